/*
 * test_orgcode.c - the GB 11714 organization code validator (DOMAIN.md section 1.3).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "codes/orgcode.h"
#include "codes/uscc.h"
#include "core/err.h"

static int check(const char *s, unsigned flags, struct zl_orgcode_result *r)
{
	return zl_orgcode_check(s, strlen(s), flags, r);
}

static void test_compute(void **state)
{
	char c = 0;

	(void)state;
	/* 19220382: T = 164, 164 mod 11 = 10, C = 1. */
	assert_int_equal(zl_orgcode_compute_check("19220382", &c), ZL_OK);
	assert_int_equal(c, '1');
	assert_int_equal(zl_orgcode_compute_check("07837941", &c), ZL_OK);
	assert_int_equal(c, 'X');
	assert_int_equal(zl_orgcode_compute_check("71526726", &c), ZL_OK);
	assert_int_equal(c, 'X');
	/* T mod 11 == 0 gives 11 -> '0'. */
	assert_int_equal(zl_orgcode_compute_check("00000000", &c), ZL_OK);
	assert_int_equal(c, '0');
	/* Letters count 10-35, the full alphabet (I, O, S, V, Z included). */
	assert_int_equal(zl_orgcode_compute_check("MA2PBMEM", &c), ZL_OK);
	assert_int_equal(c, '2');
	assert_int_equal(zl_orgcode_compute_check("ZZZZZZZZ", &c), ZL_OK);
	/* 35 * 48 = 1680, 1680 mod 11 = 8, C = 3. */
	assert_int_equal(c, '3');
	c = '?';
	assert_int_equal(zl_orgcode_compute_check("1922038a", &c), ZL_EINVAL);
	assert_int_equal(zl_orgcode_compute_check("1922-382", &c), ZL_EINVAL);
	assert_int_equal(c, '?');
}

static void test_valid(void **state)
{
	static const char *const ok[] = {"192203821", "19220382-1", "07837941X", "07837941-X",
					 "71526726X", "000000000",  "MA2PBMEM2", "L01510128"};
	struct zl_orgcode_result r;

	(void)state;
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		assert_int_equal(check(ok[i], 0, &r), ZL_OK);
		assert_int_equal(r.status, ZL_ORGCODE_OK);
	}
}

static void test_embedded_in_uscc(void **state)
{
	/* Positions 9-17 of every valid USCC vector are a valid organization code. */
	static const char *const usccs[] = {"914403001922038216", "91520000214434146R",
					    "9115220107837941X1", "92340602MA2PBMEM24",
					    "91620105L015101280", "121200004013590816"};
	struct zl_orgcode_result r;

	(void)state;
	for (size_t i = 0; i < sizeof(usccs) / sizeof(usccs[0]); i++)
		assert_int_equal(zl_orgcode_check(usccs[i] + 8, 9, 0, &r), ZL_OK);
	/* And the legacy vector's embedded code is not. */
	assert_int_equal(zl_orgcode_check("91310000631295002H" + 8, 9, 0, &r), ZL_EUNPROC);
	assert_int_equal(r.status, ZL_ORGCODE_BAD_CHECK);
	assert_int_equal(r.expected, '1');
}

static void test_invalid(void **state)
{
	struct zl_orgcode_result r;
	char msg[128];

	(void)state;
	assert_int_equal(check("192203822", 0, &r), ZL_EUNPROC);
	assert_int_equal(r.status, ZL_ORGCODE_BAD_CHECK);
	assert_int_equal(r.pos, 9);
	assert_int_equal(r.expected, '1');
	zl_orgcode_message(&r, 0, msg, sizeof(msg));
	assert_string_equal(msg, "bad check character at position 9: expected 1");
	zl_orgcode_message(&r, 1, msg, sizeof(msg));
	assert_string_equal(msg, "第9位校验码错误，应为1");

	assert_int_equal(check("19220382-2", 0, &r), ZL_EUNPROC);
	assert_int_equal(r.status, ZL_ORGCODE_BAD_CHECK);
	assert_int_equal(r.pos, 10);

	assert_int_equal(check("07837941Y", 0, &r), ZL_EUNPROC);
	assert_int_equal(r.status, ZL_ORGCODE_BAD_CHECK);
	assert_int_equal(r.expected, 'X');

	assert_int_equal(check("1922038", 0, &r), ZL_EUNPROC);
	assert_int_equal(r.status, ZL_ORGCODE_BAD_LENGTH);
	assert_int_equal(r.pos, 7);
	/* Ten characters need the hyphen at position 9. */
	assert_int_equal(check("1922038211", 0, &r), ZL_EUNPROC);
	assert_int_equal(r.status, ZL_ORGCODE_BAD_LENGTH);
	assert_int_equal(check("1922-0382", 0, &r), ZL_EUNPROC);
	assert_int_equal(r.status, ZL_ORGCODE_BAD_CHAR);
	assert_int_equal(r.pos, 5);
	assert_int_equal(r.found, '-');
	assert_int_equal(check("19220382-\xff", 0, &r), ZL_EUNPROC);
	assert_int_equal(r.status, ZL_ORGCODE_BAD_CHAR);
	assert_int_equal(r.pos, 10);
	assert_int_equal(zl_orgcode_check("", 0, 0, &r), ZL_EUNPROC);
	assert_int_equal(r.status, ZL_ORGCODE_BAD_LENGTH);
}

static void test_lowercase(void **state)
{
	struct zl_orgcode_result r;

	(void)state;
	assert_int_equal(check("07837941x", 0, &r), ZL_EUNPROC);
	assert_int_equal(r.status, ZL_ORGCODE_BAD_CHAR);
	assert_int_equal(r.pos, 9);
	assert_int_equal(check("07837941x", ZL_ORGCODE_NORMALIZE, &r), ZL_OK);
	assert_int_equal(check("ma2pbmem2", ZL_ORGCODE_NORMALIZE, &r), ZL_OK);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_compute),		 cmocka_unit_test(test_valid),
		cmocka_unit_test(test_embedded_in_uscc), cmocka_unit_test(test_invalid),
		cmocka_unit_test(test_lowercase),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
