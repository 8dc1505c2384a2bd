/*
 * fuzz_cursor.c - libFuzzer target for the list paging input: cursor
 * decoding/encoding and the list query parameters (http/list.h).
 *
 * Invariants checked:
 *   - a cursor that decodes gives a key of 1..ZL_CURSOR_KEY_MAX bytes of
 *     valid UTF-8 without NUL, and encoding that key gives back exactly the
 *     input (one cursor per key: no padding, no trailing-bit variants);
 *   - any input accepted as a key round-trips through encode/decode;
 *   - the input read as a query string either fails zl_list_parse naming
 *     one of limit/format/lang/cursor, or yields limit 1..500, a known
 *     format, and a cursor key that is valid UTF-8 (empty for exports).
 */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "http/list.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_cursor(const char *s)
{
	char key[ZL_CURSOR_KEY_MAX + 1], again[ZL_CURSOR_MAX + 1];
	size_t n;

	if (zl_cursor_decode(s, key, sizeof(key)) != ZL_OK) {
		assert(key[0] == '\0');
		return;
	}
	n = strlen(key);
	assert(n >= 1 && n <= ZL_CURSOR_KEY_MAX);
	assert(zl_utf8_valid(key, n));
	assert(zl_cursor_encode(key, again, sizeof(again)) == ZL_OK);
	assert(!strcmp(again, s));
}

static void check_key(const char *s)
{
	char cur[ZL_CURSOR_MAX + 1], back[ZL_CURSOR_KEY_MAX + 1];
	size_t n = strlen(s);
	int rc = zl_cursor_encode(s, cur, sizeof(cur));

	if (n == 0 || n > ZL_CURSOR_KEY_MAX || !zl_utf8_valid(s, n)) {
		assert(rc == ZL_EINVAL);
		return;
	}
	assert(rc == ZL_OK);
	assert(strlen(cur) <= ZL_CURSOR_MAX);
	assert(zl_cursor_decode(cur, back, sizeof(back)) == ZL_OK);
	assert(!strcmp(back, s));
}

static void check_query(char *qs)
{
	struct zl_arena arena;
	struct zl_req req;
	struct zl_list_params lp;
	struct zl_error err = ZL_ERROR_INIT;

	memset(&req, 0, sizeof(req));
	zl_arena_init(&arena, 1 << 16);
	req.arena = &arena;
	if (zl_query_parse(qs, req.query, ZL_REQ_MAX_QUERY, &req.nquery, &err) == ZL_OK) {
		if (zl_list_parse(&req, &lp, &err) == ZL_OK) {
			assert(lp.limit >= 1 && lp.limit <= 500);
			assert(lp.format == ZL_LIST_JSON || lp.format == ZL_LIST_CSV ||
			       lp.format == ZL_LIST_XLSX);
			assert(zl_utf8_valid(lp.cursor_key, strlen(lp.cursor_key)));
			assert(lp.format == ZL_LIST_JSON || lp.cursor_key[0] == '\0');
		} else {
			assert(err.code == ZL_EINVAL);
			assert(!strcmp(err.field, "limit") || !strcmp(err.field, "format") ||
			       !strcmp(err.field, "lang") || !strcmp(err.field, "cursor"));
		}
	}
	zl_arena_release(&arena);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0'; /* an embedded NUL just ends the string early */
	check_cursor(s);
	check_key(s);
	check_query(s); /* last: parses in place */
	free(s);
	return 0;
}
