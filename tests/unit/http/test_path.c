/*
 * test_path.c - the pure request parsers of http/path.h (canonical paths,
 * route matching, query strings), the method helpers, and the documents
 * generated from the route table (OpenAPI, routes Markdown/JSON).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <cjson/cJSON.h>
#include <string.h>

#include "http/path.h"

static int canon(const char *in, char *out, size_t cap)
{
	size_t n = 0;
	struct zl_error e = ZL_ERROR_INIT;
	int rc = zl_path_canon(in, strlen(in), out, cap, &n, &e);

	if (rc == ZL_OK)
		assert_int_equal(n, strlen(out));
	else
		assert_string_equal(e.field, "path");
	return rc;
}

static void test_canon_ok(void **state)
{
	static const char *const cases[][2] = {
		{"/", "/"},
		{"/healthz", "/healthz"},
		{"//a///b//", "/a/b/"},
		{"/a%20b", "/a b"},
		{"/%E8%B4%A8", "/\xe8\xb4\xa8"},
		{"/%252e%252e/x", "/%2e%2e/x"}, /* decoded once only */
		{"/a/..b/c.", "/a/..b/c."},
		{"/assets/index-3f2a.js", "/assets/index-3f2a.js"},
	};
	char out[64];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(canon(cases[i][0], out, sizeof(out)), ZL_OK);
		assert_string_equal(out, cases[i][1]);
	}
}

static void test_canon_rejects(void **state)
{
	static const char *const bad[] = {
		"",	    "healthz", "/..",	    "/../etc/passwd", "/a/../b",
		"/a/./b",   "/.",      "/%2e%2e/x", "/%2E%2e",	      "/a/..%2f..%2fb",
		"/a%00.js", "/a%0a",   "/a\\b",	    "/a%5cb",	      "/%zz",
		"/%2",	    "/%",      "/a\x01",    "/a%7f",	      "/x/%2e/",
	};
	char out[64];

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(canon(bad[i], out, sizeof(out)), ZL_EINVAL);
}

static void test_canon_too_long(void **state)
{
	char out[8];

	(void)state;
	assert_int_equal(canon("/1234567", out, sizeof(out)), ZL_ETOOBIG);
	assert_int_equal(canon("/123456", out, sizeof(out)), ZL_OK);
	assert_string_equal(out, "/123456");
}

static void test_pattern(void **state)
{
	struct zl_param p[4];
	size_t n = 0;

	(void)state;
	assert_true(zl_pattern_match("/api/v1/orgs/{code}/users/{id}", "/api/v1/orgs/41/users/7", p,
				     4, &n));
	assert_int_equal(n, 2);
	assert_int_equal(p[0].name_len, 4);
	assert_memory_equal(p[0].name, "code", 4);
	assert_int_equal(p[0].value_len, 2);
	assert_memory_equal(p[0].value, "41", 2);
	assert_memory_equal(p[1].value, "7", 1);
	assert_false(zl_pattern_match("/api/v1/orgs/{code}", "/api/v1/orgs/", p, 4, &n));
	assert_false(zl_pattern_match("/api/v1/orgs/{code}", "/api/v1/orgs/1/x", p, 4, &n));
	assert_false(zl_pattern_match("/healthz", "/healthz/", NULL, 0, NULL));
	assert_false(zl_pattern_match("/healthz", "/health", NULL, 0, NULL));
	assert_true(zl_pattern_match("/", "/", NULL, 0, NULL));
}

/*
 * The definition of a match, written the plain way (split both strings
 * into segments, compare segment by segment): the matcher must agree with
 * it on every pair.
 */
static int ref_match(const char *pattern, const char *path, size_t *np)
{
	const char *p = pattern, *s = path;

	*np = 0;
	for (;;) {
		const char *pe, *se;

		if (*p != '/' || *s != '/')
			return 0;
		p++;
		s++;
		pe = strchr(p, '/');
		se = strchr(s, '/');
		if (!pe)
			pe = p + strlen(p);
		if (!se)
			se = s + strlen(s);
		if (pe - p >= 2 && *p == '{' && pe[-1] == '}') {
			if (se == s)
				return 0;
			(*np)++;
		} else if (pe - p != se - s || memcmp(p, s, (size_t)(pe - p))) {
			return 0;
		}
		p = pe;
		s = se;
		if (!*p || !*s)
			break;
	}
	return !*p && !*s;
}

static void test_pattern_agrees(void **state)
{
	static const char alpha[] = "//ab{}";
	uint32_t x = 2463534242u;
	char pat[12], path[12];
	struct zl_param prm[8];
	size_t n, rn;
	int matched = 0;

	(void)state;
	assert_false(zl_pattern_match("/api/v1/version", "/api/v2/version", NULL, 0, NULL));
	assert_false(zl_pattern_match("/healthz", "/healthzz", NULL, 0, NULL));
	assert_false(zl_pattern_match("/a/{id}", "/a/7/", prm, 8, &n));
	assert_true(zl_pattern_match("/a/{x/b", "/a/{x/b", NULL, 0, NULL));
	assert_false(zl_pattern_match("/a/{x/b", "/a/7/b", NULL, 0, NULL));
	assert_true(zl_pattern_match("/a//b", "/a//b", NULL, 0, NULL));
	/* Random short strings over a small alphabet (xorshift, fixed seed). */
	for (int i = 0; i < 200000; i++) {
		size_t lp, ls;
		int got, want;

		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		lp = 1 + x % 8;
		ls = 1 + (x >> 8) % 8;
		pat[0] = path[0] = '/';
		for (size_t j = 1; j < lp; j++)
			pat[j] = alpha[(x >> (j * 3)) % 6];
		for (size_t j = 1; j < ls; j++)
			path[j] = alpha[(x >> (j * 3 + 1)) % 6 == 4 ? 0 : (x >> (j * 3 + 1)) % 6];
		pat[lp] = path[ls] = '\0';
		if (i % 3 == 0)
			memcpy(path, pat, lp + 1); /* equal strings too */
		want = ref_match(pat, path, &rn);
		got = zl_pattern_match(pat, path, prm, 8, &n);
		if (got != want)
			fail_msg("pattern \"%s\" path \"%s\": got %d, want %d", pat, path, got, want);
		if (got) {
			assert_int_equal(n, rn);
			matched++;
		}
	}
	assert_true(matched > 1000);
}

static void test_route_match(void **state)
{
	struct zl_route_match m;
	struct zl_buf allow = ZL_BUF_INIT(64);

	(void)state;
	assert_int_equal(zl_route_match(ZL_M_GET, "/healthz", &m), ZL_OK);
	assert_int_equal(m.route, ZL_ROUTE_ID_zl_h_healthz);
	assert_int_equal(zl_route_match(ZL_M_HEAD, "/api/v1/version", &m), ZL_OK);
	assert_int_equal(m.route, ZL_ROUTE_ID_zl_h_version);
	assert_int_equal(zl_route_match(ZL_M_POST, "/healthz", &m), ZL_EMETHOD);
	assert_int_equal(m.route, -1);
	assert_int_equal(m.allow, ZL_M_GET | ZL_M_HEAD);
	assert_int_equal(zl_method_set_format(m.allow, &allow), ZL_OK);
	assert_string_equal(zl_buf_str(&allow), "GET, HEAD");
	assert_int_equal(zl_route_match(ZL_M_GET, "/api/v1/nope", &m), ZL_ENOTFOUND);
	assert_int_equal(zl_route_match(ZL_M_GET, "/healthz/", &m), ZL_ENOTFOUND);
	zl_buf_release(&allow);
}

static void test_methods(void **state)
{
	(void)state;
	assert_int_equal(zl_method_parse("GET"), ZL_M_GET);
	assert_int_equal(zl_method_parse("DELETE"), ZL_M_DELETE);
	assert_int_equal(zl_method_parse("get"), ZL_M_OTHER);
	assert_int_equal(zl_method_parse("BREW"), ZL_M_OTHER);
	assert_int_equal(zl_method_index(ZL_M_HEAD), 1);
	assert_string_equal(zl_method_name(ZL_M_PATCH), "PATCH");
	assert_string_equal(zl_method_name(ZL_M_OTHER), "OTHER");
}

static void test_query(void **state)
{
	char qs[] = "a=1&b=x+y&&c=%E8%B4%A8&flag&a=2&e=";
	struct zl_query_kv kv[8];
	size_t n = 0;

	(void)state;
	assert_int_equal(zl_query_parse(qs, kv, 8, &n, NULL), ZL_OK);
	assert_int_equal(n, 6);
	assert_string_equal(zl_query_get(kv, n, "a"), "1");
	assert_string_equal(zl_query_get(kv, n, "b"), "x y");
	assert_string_equal(zl_query_get(kv, n, "c"), "\xe8\xb4\xa8");
	assert_string_equal(zl_query_get(kv, n, "flag"), "");
	assert_string_equal(zl_query_get(kv, n, "e"), "");
	assert_null(zl_query_get(kv, n, "missing"));
}

static void test_query_rejects(void **state)
{
	char bad1[] = "a=%zz", bad2[] = "a=%00", bad3[] = "%2=1", many[] = "a&b&c";
	struct zl_query_kv kv[2];
	struct zl_error e = ZL_ERROR_INIT;
	size_t n = 0;

	(void)state;
	assert_int_equal(zl_query_parse(bad1, kv, 2, &n, &e), ZL_EINVAL);
	assert_string_equal(e.field, "query");
	assert_int_equal(zl_query_parse(bad2, kv, 2, &n, NULL), ZL_EINVAL);
	assert_int_equal(zl_query_parse(bad3, kv, 2, &n, NULL), ZL_EINVAL);
	assert_int_equal(zl_query_parse(many, kv, 2, &n, NULL), ZL_ETOOBIG);
}

/* The OpenAPI document is valid JSON with one path per distinct pattern. */
static void test_openapi(void **state)
{
	struct zl_buf b = ZL_BUF_INIT(1 << 20);
	struct zl_error e = ZL_ERROR_INIT;
	cJSON *doc, *paths, *op;
	int distinct = 0;

	(void)state;
	for (int i = 0; i < ZL_ROUTE_COUNT; i++) {
		int seen = 0;

		for (int j = 0; j < i; j++)
			seen |= !strcmp(zl_routes[j].pattern, zl_routes[i].pattern);
		distinct += !seen;
	}
	assert_int_equal(zl_openapi_write(&b, "9.8.7", &e), ZL_OK);
	doc = cJSON_Parse(zl_buf_str(&b));
	assert_non_null(doc);
	assert_string_equal(cJSON_GetObjectItem(doc, "openapi")->valuestring, "3.1.0");
	assert_string_equal(
		cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "info"), "version")->valuestring,
		"9.8.7");
	paths = cJSON_GetObjectItem(doc, "paths");
	assert_int_equal(cJSON_GetArraySize(paths), distinct);
	for (int i = 0; i < ZL_ROUTE_COUNT; i++) {
		char method[16];
		size_t k;

		for (k = 0; zl_routes[i].method_name[k] && k + 1 < sizeof(method); k++)
			method[k] = (char)(zl_routes[i].method_name[k] - 'A' + 'a');
		method[k] = '\0';
		op = cJSON_GetObjectItem(cJSON_GetObjectItem(paths, zl_routes[i].pattern), method);
		assert_non_null(op);
		assert_string_equal(cJSON_GetObjectItem(op, "operationId")->valuestring,
				    zl_routes[i].handler);
	}
	assert_non_null(cJSON_GetObjectItem(
		cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "components"), "schemas"), "Error"));
	cJSON_Delete(doc);
	zl_buf_release(&b);
}

static void test_routes_docs(void **state)
{
	struct zl_buf md = ZL_BUF_INIT(1 << 20), js = ZL_BUF_INIT(1 << 20);
	struct zl_error e = ZL_ERROR_INIT;
	cJSON *arr;

	(void)state;
	assert_int_equal(zl_routes_markdown(&md, &e), ZL_OK);
	assert_int_equal(zl_routes_json(&js, &e), ZL_OK);
	arr = cJSON_Parse(zl_buf_str(&js));
	assert_non_null(arr);
	assert_int_equal(cJSON_GetArraySize(arr), ZL_ROUTE_COUNT);
	for (int i = 0; i < ZL_ROUTE_COUNT; i++) {
		char row[256];

		snprintf(row, sizeof(row), "| %s | `%s` |", zl_routes[i].method_name,
			 zl_routes[i].pattern);
		assert_non_null(strstr(zl_buf_str(&md), row));
		assert_string_equal(
			cJSON_GetObjectItem(cJSON_GetArrayItem(arr, i), "path")->valuestring,
			zl_routes[i].pattern);
		assert_string_equal(
			cJSON_GetObjectItem(cJSON_GetArrayItem(arr, i), "permission")->valuestring,
			zl_perm_name(zl_routes[i].perm));
	}
	cJSON_Delete(arr);
	zl_buf_release(&md);
	zl_buf_release(&js);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_canon_ok),       cmocka_unit_test(test_canon_rejects),
		cmocka_unit_test(test_canon_too_long), cmocka_unit_test(test_pattern),
		cmocka_unit_test(test_pattern_agrees),
		cmocka_unit_test(test_route_match),    cmocka_unit_test(test_methods),
		cmocka_unit_test(test_query),	       cmocka_unit_test(test_query_rejects),
		cmocka_unit_test(test_openapi),	       cmocka_unit_test(test_routes_docs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
