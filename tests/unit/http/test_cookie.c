/*
 * test_cookie.c - the credential parsers of http/cookie.h (Cookie and
 * Authorization headers, token shapes) and the ORG_SCOPE parser and table
 * check of http/routes.h.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "http/cookie.h"
#include "http/routes.h"

#define HEX64 "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

static void expect_cookie(const char *header, const char *name, int rc, const char *value)
{
	char out[ZL_CREDENTIAL_MAX];

	memset(out, 'x', sizeof(out));
	assert_int_equal(zl_cookie_get(header, name, out, sizeof(out)), rc);
	assert_string_equal(out, value);
}

static void test_cookie_basic(void **state)
{
	(void)state;
	expect_cookie("zl_session=" HEX64, "zl_session", ZL_OK, HEX64);
	expect_cookie("a=1; zl_session=abc; b=2", "zl_session", ZL_OK, "abc");
	expect_cookie("a=1;zl_session=abc;b=2", "zl_session", ZL_OK, "abc");
	expect_cookie("a=1;   zl_session =  abc  ;b=2", "zl_session", ZL_OK, "abc");
	expect_cookie("\tzl_session=abc\t", "zl_session", ZL_OK, "abc");
	expect_cookie("a=1; b=2", "a", ZL_OK, "1");
	expect_cookie("a=1; b=2", "b", ZL_OK, "2");
	/* quoted values lose their quotes */
	expect_cookie("zl_session=\"abc\"", "zl_session", ZL_OK, "abc");
	expect_cookie("x=1; zl_session=\"\"", "zl_session", ZL_OK, "");
	/* empty value is a value */
	expect_cookie("zl_session=; a=1", "zl_session", ZL_OK, "");
	/* values may contain '=' and other cookie-octets */
	expect_cookie("t=a=b/c:d", "t", ZL_OK, "a=b/c:d");
	/* names are case-sensitive and matched whole */
	expect_cookie("ZL_SESSION=abc", "zl_session", ZL_ENOTFOUND, "");
	expect_cookie("zl_session_old=abc; xzl_session=def", "zl_session", ZL_ENOTFOUND, "");
	expect_cookie("zl_session_old=abc; zl_session=def", "zl_session", ZL_OK, "def");
}

static void test_cookie_duplicates(void **state)
{
	(void)state;
	expect_cookie("zl_session=first; zl_session=second", "zl_session", ZL_OK, "first");
	expect_cookie("a=1; zl_session=first; zl_session=second", "zl_session", ZL_OK, "first");
	/* the first wins even when it is malformed: no falling through to the second */
	expect_cookie("zl_session=\"bad; zl_session=good", "zl_session", ZL_EINVAL, "");
	expect_cookie("zl_session=a b; zl_session=good", "zl_session", ZL_EINVAL, "");
}

static void test_cookie_empty_and_garbage(void **state)
{
	(void)state;
	expect_cookie(NULL, "zl_session", ZL_ENOTFOUND, "");
	expect_cookie("", "zl_session", ZL_ENOTFOUND, "");
	expect_cookie(";;;", "zl_session", ZL_ENOTFOUND, "");
	expect_cookie("   ", "zl_session", ZL_ENOTFOUND, "");
	expect_cookie("zl_session", "zl_session", ZL_ENOTFOUND, "");
	expect_cookie("zl_session; a=1", "zl_session", ZL_ENOTFOUND, "");
	expect_cookie("=abc", "zl_session", ZL_ENOTFOUND, "");
	expect_cookie("a=1", "", ZL_ENOTFOUND, "");
	expect_cookie("a=1", NULL, ZL_ENOTFOUND, "");
	/* characters outside cookie-octet */
	expect_cookie("zl_session=a,b", "zl_session", ZL_EINVAL, "");
	expect_cookie("zl_session=a\\b", "zl_session", ZL_EINVAL, "");
	expect_cookie("zl_session=a\x01z", "zl_session", ZL_EINVAL, "");
	expect_cookie("zl_session=\xe8\xb4\xa8", "zl_session", ZL_EINVAL, "");
	expect_cookie("zl_session=a\"b", "zl_session", ZL_EINVAL, "");
	/* unbalanced quotes */
	expect_cookie("zl_session=\"abc", "zl_session", ZL_EINVAL, "");
	expect_cookie("zl_session=abc\"", "zl_session", ZL_EINVAL, "");
	expect_cookie("zl_session=\"", "zl_session", ZL_EINVAL, "");
	/* garbage elsewhere does not matter */
	expect_cookie("\x01\x02=; ,,,; zl_session=ok", "zl_session", ZL_OK, "ok");
}

static void test_cookie_overlong(void **state)
{
	char header[1024], out[8];

	(void)state;
	memcpy(header, "zl_session=", 11);
	memset(header + 11, 'a', 600);
	header[611] = '\0';
	expect_cookie(header, "zl_session", ZL_ETOOBIG, "");
	/* exactly fits: n - 1 bytes */
	assert_int_equal(zl_cookie_get("k=1234567", "k", out, sizeof(out)), ZL_OK);
	assert_string_equal(out, "1234567");
	assert_int_equal(zl_cookie_get("k=12345678", "k", out, sizeof(out)), ZL_ETOOBIG);
	assert_string_equal(out, "");
	assert_int_equal(zl_cookie_get("k=1", "k", out, 0), ZL_ETOOBIG);
}

static void expect_bearer(const char *header, int rc, const char *value)
{
	char out[ZL_CREDENTIAL_MAX];

	memset(out, 'x', sizeof(out));
	assert_int_equal(zl_bearer_get(header, out, sizeof(out)), rc);
	assert_string_equal(out, value);
}

static void test_bearer(void **state)
{
	char big[400];

	(void)state;
	expect_bearer("Bearer zlt_" HEX64, ZL_OK, "zlt_" HEX64);
	expect_bearer("bearer abc", ZL_OK, "abc");
	expect_bearer("BEARER   abc  ", ZL_OK, "abc");
	expect_bearer("  Bearer\tabc", ZL_OK, "abc");
	expect_bearer("Bearer abc==", ZL_OK, "abc==");
	expect_bearer("Bearer a-b.c_d~e+f/g", ZL_OK, "a-b.c_d~e+f/g");
	expect_bearer(NULL, ZL_ENOTFOUND, "");
	expect_bearer("", ZL_ENOTFOUND, "");
	expect_bearer("Basic dXNlcjpwYXNz", ZL_ENOTFOUND, "");
	expect_bearer("Bearerabc", ZL_ENOTFOUND, "");
	expect_bearer("Bearer", ZL_EINVAL, "");
	expect_bearer("Bearer ", ZL_EINVAL, "");
	expect_bearer("Bearer a b", ZL_EINVAL, "");
	expect_bearer("Bearer a=b", ZL_EINVAL, "");
	expect_bearer("Bearer =abc", ZL_EINVAL, "");
	expect_bearer("Bearer abc,def", ZL_EINVAL, "");
	expect_bearer("Bearer \xe8\xb4\xa8", ZL_EINVAL, "");
	memcpy(big, "Bearer ", 7);
	memset(big + 7, 'a', 300);
	big[307] = '\0';
	expect_bearer(big, ZL_ETOOBIG, "");
}

static void test_shapes(void **state)
{
	(void)state;
	assert_true(zl_is_hex64(HEX64));
	assert_false(zl_is_hex64(HEX64 "0"));
	assert_false(zl_is_hex64("0123"));
	assert_false(zl_is_hex64(""));
	assert_false(zl_is_hex64(NULL));
	assert_false(
		zl_is_hex64("0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef"));
	assert_false(
		zl_is_hex64("g123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"));
	assert_true(zl_is_api_token("zlt_" HEX64));
	assert_false(zl_is_api_token(HEX64));
	assert_false(zl_is_api_token("zlt_" HEX64 "a"));
	assert_false(zl_is_api_token("ZLT_" HEX64));
	assert_false(zl_is_api_token("zlt_"));
	assert_false(zl_is_api_token(NULL));
}

static void test_scope_parse(void **state)
{
	static const struct {
		const char *s;
		enum zl_scope_kind kind;
		const char *name;
	} ok[] = {
		{"none", ZL_SCOPE_NONE, ""},
		{"self", ZL_SCOPE_SELF, ""},
		{"param:code", ZL_SCOPE_PARAM, "code"},
		{"user:username", ZL_SCOPE_USER, "username"},
		{"token:id", ZL_SCOPE_TOKEN, "id"},
		{"body:org", ZL_SCOPE_BODY, "org"},
		{"query:org", ZL_SCOPE_QUERY, "org"},
	};
	static const char *const bad[] = {
		"",	     "None",  "nonex", "param:",  "param", "param:Code",
		"param:a-b", "body:", "x:y",   "self:me", " none", "query:org ",
	};
	struct zl_org_scope sc;
	struct zl_error e = ZL_ERROR_INIT;

	(void)state;
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		assert_int_equal(zl_org_scope_parse(ok[i].s, &sc, &e), ZL_OK);
		assert_int_equal(sc.kind, ok[i].kind);
		assert_string_equal(sc.name, ok[i].name);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		zl_error_clear(&e);
		assert_int_equal(zl_org_scope_parse(bad[i], &sc, &e), ZL_EINVAL);
		assert_string_equal(e.field, "org_scope");
	}
	assert_int_equal(zl_org_scope_parse(NULL, &sc, &e), ZL_EINVAL);
}

/* The real table passes its own check, and perms/scopes agree with the text. */
static void test_route_table(void **state)
{
	struct zl_org_scope scopes[ZL_ROUTE_COUNT + 1];
	struct zl_error e = ZL_ERROR_INIT;

	(void)state;
	assert_int_equal(zl_routes_check(scopes, &e), ZL_OK);
	for (int i = 0; i < ZL_ROUTE_COUNT; i++) {
		assert_true((unsigned)zl_routes[i].perm < ZL_PERM_COUNT);
		/* a route naming a target needs more than the public permission */
		if (scopes[i].kind != ZL_SCOPE_NONE && scopes[i].kind != ZL_SCOPE_SELF)
			assert_int_not_equal(zl_routes[i].perm, ZL_PERM_PUBLIC);
		if (!strcmp(zl_routes[i].pattern, "/healthz"))
			assert_int_equal(zl_routes[i].perm, ZL_PERM_PUBLIC);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cookie_basic),
		cmocka_unit_test(test_cookie_duplicates),
		cmocka_unit_test(test_cookie_empty_and_garbage),
		cmocka_unit_test(test_cookie_overlong),
		cmocka_unit_test(test_bearer),
		cmocka_unit_test(test_shapes),
		cmocka_unit_test(test_scope_parse),
		cmocka_unit_test(test_route_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
