/*
 * fuzz_http_path.c - libFuzzer target for the pure request parsers of
 * http/path.h: path canonicalisation, route matching and query parsing.
 *
 * Invariants checked: a canonical path starts with '/', has no empty, "."
 * or ".." segment, no NUL, control byte or backslash, and is no longer than
 * the input; canonicalising it again (when it holds no '%', which would be
 * decoded a second time) gives the same string; a route match points at a
 * route of the table whose pattern matches, with non-empty parameter values
 * lying inside the path; a 405 comes with a non-empty Allow set; query pairs
 * lie inside the parsed buffer.
 */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http/path.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_canonical(const char *p, size_t n)
{
	assert(n >= 1 && p[0] == '/');
	assert(strlen(p) == n);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];

		assert(c >= 0x20 && c != 0x7f && c != '\\');
		if (c == '/' && i + 1 < n)
			assert(p[i + 1] != '/');
	}
	assert(!strstr(p, "/../") && !strstr(p, "/./"));
	assert(!(n >= 3 && !strcmp(p + n - 3, "/..")) && !(n >= 2 && !strcmp(p + n - 2, "/.")));
}

static void fuzz_route(const char *path)
{
	static const enum zl_method methods[] = {ZL_M_GET, ZL_M_HEAD, ZL_M_POST, ZL_M_DELETE,
						 ZL_M_OTHER};
	size_t plen = strlen(path);

	for (size_t k = 0; k < sizeof(methods) / sizeof(methods[0]); k++) {
		struct zl_route_match m;
		int rc = zl_route_match(methods[k], path, &m);

		if (rc == ZL_OK) {
			assert(m.route >= 0 && m.route < ZL_ROUTE_COUNT);
			assert(zl_pattern_match(zl_routes[m.route].pattern, path, NULL, 0, NULL));
			for (size_t i = 0; i < m.nparams; i++) {
				assert(m.params[i].value_len > 0);
				assert(m.params[i].value >= path &&
				       m.params[i].value + m.params[i].value_len <= path + plen);
			}
		} else if (rc == ZL_EMETHOD) {
			assert(m.route == -1 && m.allow != 0);
		} else {
			assert(rc == ZL_ENOTFOUND && m.route == -1);
		}
	}
}

static void fuzz_query(const uint8_t *data, size_t size)
{
	struct zl_query_kv kv[16];
	char *qs = malloc(size + 1);
	size_t n = 0;
	int rc;

	if (!qs)
		return;
	memcpy(qs, data, size);
	qs[size] = '\0';
	rc = zl_query_parse(qs, kv, sizeof(kv) / sizeof(kv[0]), &n, NULL);
	assert(rc == ZL_OK || rc == ZL_EINVAL || rc == ZL_ETOOBIG);
	assert(n <= sizeof(kv) / sizeof(kv[0]));
	for (size_t i = 0; i < n; i++) {
		assert(kv[i].key >= qs && kv[i].key <= qs + size);
		assert(kv[i].value && strlen(kv[i].value) <= size);
		if (rc == ZL_OK)
			assert(zl_query_get(kv, n, kv[i].key) != NULL);
	}
	free(qs);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char out[512], again[512];
	size_t n = 0, n2 = 0;
	int rc;

	rc = zl_path_canon((const char *)data, size, out, sizeof(out), &n, NULL);
	assert(rc == ZL_OK || rc == ZL_EINVAL || rc == ZL_ETOOBIG);
	if (rc == ZL_OK) {
		check_canonical(out, n);
		assert(n <= size);
		if (!memchr(out, '%', n)) {
			rc = zl_path_canon(out, n, again, sizeof(again), &n2, NULL);
			assert(rc == ZL_OK && n2 == n && !memcmp(out, again, n));
		}
		fuzz_route(out);
	}
	fuzz_query(data, size);
	return 0;
}
