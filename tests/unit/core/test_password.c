/*
 * test_password.c - argon2id hashing (round trip, salts differ, rehash
 * detection, the dummy hash) and the password policy (length in UTF-8
 * characters, the common-password list and its order, the username rule).
 * Hashes use the fast cost except where the standard cost itself is tested.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "core/core.h"
#include "core/err.h"
#include "core/password.h"

static int init(void **state)
{
	(void)state;
	return zl_core_init() == ZL_OK ? 0 : -1;
}

static void test_hash_verify(void **state)
{
	struct zl_error err = ZL_ERROR_INIT;
	char h1[ZL_PASSWORD_HASH_MAX], h2[ZL_PASSWORD_HASH_MAX];

	(void)state;
	assert_int_equal(zl_password_hash_cost("Huanghe-2014-黄河", ZL_PWCOST_FAST, h1, &err),
			 ZL_OK);
	assert_int_equal(strncmp(h1, "$argon2id$v=19$m=8192,t=1,p=1$", 30), 0);
	assert_true(zl_password_verify(h1, "Huanghe-2014-黄河"));
	assert_false(zl_password_verify(h1, "Huanghe-2014-黄"));
	assert_false(zl_password_verify(h1, "huanghe-2014-黄河"));
	assert_false(zl_password_verify(h1, ""));
	/* A fresh salt every time. */
	assert_int_equal(zl_password_hash_cost("Huanghe-2014-黄河", ZL_PWCOST_FAST, h2, &err),
			 ZL_OK);
	assert_string_not_equal(h1, h2);
	assert_true(zl_password_verify(h2, "Huanghe-2014-黄河"));
	/* Malformed or empty hashes never verify. */
	assert_false(zl_password_verify("", "x"));
	assert_false(zl_password_verify(NULL, "x"));
	assert_false(zl_password_verify("$2y$10$abcdefghijklmnopqrstuv", "x"));
	h1[strlen(h1) - 3] = h1[strlen(h1) - 3] == 'A' ? 'B' : 'A';
	assert_false(zl_password_verify(h1, "Huanghe-2014-黄河"));
}

static void test_standard_cost_and_rehash(void **state)
{
	struct zl_error err = ZL_ERROR_INIT;
	char fast[ZL_PASSWORD_HASH_MAX], std[ZL_PASSWORD_HASH_MAX];
	enum zl_password_cost c;

	(void)state;
	assert_int_equal(zl_password_hash("Songshan-Shaolin-495", std, &err), ZL_OK);
	assert_int_equal(strncmp(std, "$argon2id$v=19$m=32768,t=3,p=1$", 31), 0);
	assert_true(zl_password_verify(std, "Songshan-Shaolin-495"));
	assert_int_equal(zl_password_hash_cost("Songshan-Shaolin-495", ZL_PWCOST_FAST, fast, &err),
			 ZL_OK);
	assert_false(zl_password_needs_rehash(std, ZL_PWCOST_STANDARD));
	assert_true(zl_password_needs_rehash(fast, ZL_PWCOST_STANDARD));
	assert_false(zl_password_needs_rehash(fast, ZL_PWCOST_FAST));
	assert_true(zl_password_needs_rehash("", ZL_PWCOST_STANDARD));
	assert_false(zl_password_needs_rehash(zl_password_dummy_hash(), ZL_PWCOST_STANDARD));
	assert_false(zl_password_verify(zl_password_dummy_hash(), ""));
	assert_false(zl_password_verify(zl_password_dummy_hash(), "Songshan-Shaolin-495"));
	assert_int_equal(zl_password_cost_parse("fast", &c), ZL_OK);
	assert_int_equal(c, ZL_PWCOST_FAST);
	assert_int_equal(zl_password_cost_parse("standard", &c), ZL_OK);
	assert_int_equal(c, ZL_PWCOST_STANDARD);
	assert_int_equal(zl_password_cost_parse("moderate", &c), ZL_EUNPROC);
}

static void test_too_long(void **state)
{
	struct zl_error err = ZL_ERROR_INIT;
	char pw[ZL_PASSWORD_MAX_BYTES + 2], h[ZL_PASSWORD_HASH_MAX];

	(void)state;
	memset(pw, 'x', sizeof(pw) - 1);
	pw[sizeof(pw) - 1] = '\0';
	assert_int_equal(zl_password_hash_cost(pw, ZL_PWCOST_FAST, h, &err), ZL_EUNPROC);
	assert_string_equal(err.field, "password");
	assert_int_equal(zl_password_policy(pw, "zhang", &err), ZL_EUNPROC);
	pw[ZL_PASSWORD_MAX_BYTES] = '\0'; /* exactly the maximum is fine */
	assert_int_equal(zl_password_hash_cost(pw, ZL_PWCOST_FAST, h, &err), ZL_OK);
	assert_true(zl_password_verify(h, pw));
}

static void test_list_sorted(void **state)
{
	size_t n = zl_password_common_count();

	(void)state;
	assert_true(n >= 500);
	for (size_t i = 0; i < n; i++) {
		const char *s = zl_password_common_at(i);
		for (const char *p = s; *p; p++)
			assert_false(*p >= 'A' && *p <= 'Z');
		if (i > 0 && strcmp(zl_password_common_at(i - 1), s) >= 0)
			fail_msg("not sorted/unique at %zu: %s", i, s);
	}
	assert_null(zl_password_common_at(n));
}

static void test_common(void **state)
{
	static const char *const yes[] = {"123456",	  "123456789",	"111111",     "5201314",
					  "woaini1314",	  "qq123456",	"a123456",    "1qaz2wsx",
					  "password",	  "1234567890", "QWERTYUIOP", "WoAiNi1314",
					  "1qaz2wsx3edc", "dearbook"};
	static const char *const no[] = {"", "Huanghe-2014", "zz", "~~~~~~~~~~~~", "woaini13145"};

	(void)state;
	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
		if (!zl_password_is_common(yes[i]))
			fail_msg("%s should be common", yes[i]);
	for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		if (zl_password_is_common(no[i]))
			fail_msg("%s should not be common", no[i]);
}

static void test_policy(void **state)
{
	struct zl_error err = ZL_ERROR_INIT;

	(void)state;
	assert_int_equal(zl_password_policy("Zhengzhou-410100", "zhang", &err), ZL_OK);
	/* 9 characters: too short. */
	assert_int_equal(zl_password_policy("Kaifeng-9", "zhang", &err), ZL_EUNPROC);
	assert_string_equal(err.field, "password");
	assert_non_null(strstr(err.message, "at least 10"));
	/* Ten Chinese characters are ten characters (30 bytes). */
	assert_int_equal(zl_password_policy("河南省质量技术监督局", "zhang", &err), ZL_OK);
	/* Nine Chinese characters are 27 bytes but too short. */
	assert_int_equal(zl_password_policy("河南省质量技术监督", "zhang", &err), ZL_EUNPROC);
	/* Common, whatever the case. */
	assert_int_equal(zl_password_policy("WOAINI1314", "zhang", &err), ZL_EUNPROC);
	assert_non_null(strstr(err.message, "common"));
	assert_int_equal(zl_password_policy("1234567890", NULL, &err), ZL_EUNPROC);
	/* Containing the username, whatever the case. */
	assert_int_equal(zl_password_policy("my-ZhangSan-pass", "zhangsan", &err), ZL_EUNPROC);
	assert_non_null(strstr(err.message, "username"));
	assert_int_equal(zl_password_policy("my-ZhangSan-pass", "", &err), ZL_OK);
	assert_int_equal(zl_password_policy("my-ZhangSan-pass", "lisi", &err), ZL_OK);
	/* Invalid UTF-8. */
	assert_int_equal(zl_password_policy("abcdefghij\xff", "x", &err), ZL_EUNPROC);
	assert_non_null(strstr(err.message, "UTF-8"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hash_verify), cmocka_unit_test(test_standard_cost_and_rehash),
		cmocka_unit_test(test_too_long),    cmocka_unit_test(test_list_sorted),
		cmocka_unit_test(test_common),	    cmocka_unit_test(test_policy),
	};
	return cmocka_run_group_tests(tests, init, NULL);
}
