/*
 * test_uscc.c - the USCC validator against the vectors of DOMAIN.md sections 1.5 and 1.6.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "codes/uscc.h"
#include "core/err.h"

static int check(const char *s, unsigned flags, struct zl_uscc_result *r)
{
	return zl_uscc_check(s, strlen(s), flags, r);
}

/* DOMAIN.md 1.5: mod-31 and inner mod-11 both pass. */
static const char *const valid_vectors[] = {
	"914403001922038216",
	"91520000214434146R",
	"91440300192317458F",
	"91440606722473344C",
	"91440400192548256N",
	"91330100716105852F",
	"91100000100003962T",
	"91440300708461136T",
	"91110000101623741K",
	"911101066976941872",
	"91110000600037341L",
	"914112810713741814",
	"121200004013590816",
	"92340602MA2PBMEM24",
	"9115220107837941X1",
	"91620105L015101280",
	"91310110666007217T",
	"91310115591693856A",
	/* synthetic, letters in pos 1 */
	"A1110000600037341K",
	"Y1110000600037341Y",
};

static void test_valid_vectors(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(valid_vectors) / sizeof(valid_vectors[0]); i++) {
		const char *s = valid_vectors[i];
		struct zl_uscc_result r;
		char c;

		assert_int_equal(check(s, 0, &r), ZL_OK);
		assert_int_equal(r.status, ZL_USCC_OK);
		assert_int_equal(r.pos, 0);
		assert_int_equal(r.warnings, 0);
		assert_non_null(r.type);
		assert_int_equal(zl_uscc_compute_check(s, &c), ZL_OK);
		assert_int_equal(c, s[17]);
		/* Still valid in every mode. */
		assert_int_equal(check(s, ZL_USCC_LEGACY | ZL_USCC_NORMALIZE, &r), ZL_OK);
		assert_int_equal(r.warnings, 0);
	}
}

static void test_types(void **state)
{
	struct zl_uscc_result r;

	(void)state;
	assert_int_equal(check("914403001922038216", 0, &r), ZL_OK);
	assert_string_equal(r.type->code, "91");
	assert_string_equal(r.type->type_zh, "企业");
	assert_int_equal(r.type->confirmed, 1);
	assert_int_equal(check("121200004013590816", 0, &r), ZL_OK);
	assert_string_equal(r.type->type_zh, "事业单位");
	assert_int_equal(check("92340602MA2PBMEM24", 0, &r), ZL_OK);
	assert_string_equal(r.type->type_zh, "个体工商户");
	assert_int_equal(check("A1110000600037341K", 0, &r), ZL_OK);
	assert_string_equal(r.type->code, "A1");
	assert_int_equal(r.type->confirmed, 0);
	assert_int_equal(check("Y1110000600037341Y", 0, &r), ZL_OK);
	assert_string_equal(r.type->code, "Y1");
	assert_int_equal(r.type->confirmed, 1);

	/* The table is sorted and every row is found by its own code. */
	for (size_t i = 0; i < zl_uscc_type_count(); i++) {
		const struct zl_uscc_type *t = zl_uscc_type_at(i);

		assert_ptr_equal(zl_uscc_type_find(t->code[0], t->code[1]), t);
		if (i)
			assert_true(strcmp(zl_uscc_type_at(i - 1)->code, t->code) < 0);
	}
	assert_null(zl_uscc_type_at(zl_uscc_type_count()));
	assert_null(zl_uscc_type_find('9', '9'));
	assert_null(zl_uscc_type_find('K', '1'));
}

static void test_unknown_type_is_warning(void **state)
{
	char s[19] = "K1110000600037341?";
	struct zl_uscc_result r;
	char msg[256];

	(void)state;
	assert_int_equal(zl_uscc_compute_check(s, &s[17]), ZL_OK);
	assert_int_equal(check(s, 0, &r), ZL_OK);
	assert_int_equal(r.status, ZL_USCC_OK);
	assert_int_equal(r.warnings, ZL_USCC_WARN_UNKNOWN_TYPE);
	assert_null(r.type);
	zl_uscc_message(&r, ZL_USCC_EN, msg, sizeof(msg));
	assert_string_equal(msg, "unknown registration authority/entity type (positions 1-2)");
}

static void test_bad_check(void **state)
{
	static const struct {
		const char *code;
		char expected;
	} cases[] = {
		{"91110000600037341N", 'L'}, {"914403001922038217", '6'},
		{"A1110000600037341L", 'K'}, {"91350211M0000XUF46", 'R'},
		{"91350203M0001QAY9B", '9'},
	};
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct zl_uscc_result r;

		assert_int_equal(check(cases[i].code, 0, &r), ZL_EUNPROC);
		assert_int_equal(r.status, ZL_USCC_BAD_CHECK);
		assert_int_equal(r.pos, 18);
		assert_int_equal(r.expected, cases[i].expected);
		/* --legacy does not relax the mod-31 check. */
		assert_int_equal(check(cases[i].code, ZL_USCC_LEGACY, &r), ZL_EUNPROC);
		assert_int_equal(r.status, ZL_USCC_BAD_CHECK);
	}
}

static void test_bad_chars(void **state)
{
	struct zl_uscc_result r;
	static const char banned[] = "IOSVZ";

	(void)state;
	assert_int_equal(check("9111000060003IOZSV", 0, &r), ZL_EUNPROC);
	assert_int_equal(r.status, ZL_USCC_BAD_CHAR);
	assert_int_equal(r.pos, 14);
	assert_int_equal(r.found, 'I');
	for (size_t i = 0; i < 5; i++) {
		char s[19] = "91110000600037341L";

		s[9] = banned[i];
		assert_int_equal(check(s, ZL_USCC_NORMALIZE, &r), ZL_EUNPROC);
		assert_int_equal(r.status, ZL_USCC_BAD_CHAR);
		assert_int_equal(r.pos, 10);
		s[9] = (char)(banned[i] - 'A' + 'a');
		assert_int_equal(check(s, ZL_USCC_NORMALIZE, &r), ZL_EUNPROC);
		assert_int_equal(r.status, ZL_USCC_BAD_CHAR);
	}
	/* Arbitrary bytes, including NUL, are illegal characters, never read past n. */
	assert_int_equal(zl_uscc_check("91110000\0"
				       "00037341L",
				       18, 0, &r),
			 ZL_EUNPROC);
	assert_int_equal(r.status, ZL_USCC_BAD_CHAR);
	assert_int_equal(r.pos, 9);
	assert_int_equal(check("9111000060003734\xe4\xb8", 0, &r), ZL_EUNPROC);
	assert_int_equal(r.status, ZL_USCC_BAD_CHAR);
	assert_int_equal(r.pos, 17);
	assert_int_equal(r.found, 0xe4);
}

static void test_bad_division(void **state)
{
	struct zl_uscc_result r;

	(void)state;
	assert_int_equal(check("9111000A600037341L", 0, &r), ZL_EUNPROC);
	assert_int_equal(r.status, ZL_USCC_BAD_DIVISION);
	assert_int_equal(r.pos, 8);
	assert_int_equal(r.found, 'A');
}

static void test_bad_length(void **state)
{
	struct zl_uscc_result r;

	(void)state;
	assert_int_equal(check("9111000060003734L", 0, &r), ZL_EUNPROC);
	assert_int_equal(r.status, ZL_USCC_BAD_LENGTH);
	assert_int_equal(r.pos, 17);
	assert_int_equal(check("911100006000373411L", 0, &r), ZL_EUNPROC);
	assert_int_equal(r.status, ZL_USCC_BAD_LENGTH);
	assert_int_equal(r.pos, 19);
	assert_int_equal(zl_uscc_check("", 0, 0, &r), ZL_EUNPROC);
	assert_int_equal(r.status, ZL_USCC_BAD_LENGTH);
	assert_int_equal(r.pos, 0);
}

static void test_lowercase_policy(void **state)
{
	struct zl_uscc_result r;
	char up[19];

	(void)state;
	/* Strict: a lowercase letter is an illegal character. */
	assert_int_equal(check("91110000600037341l", 0, &r), ZL_EUNPROC);
	assert_int_equal(r.status, ZL_USCC_BAD_CHAR);
	assert_int_equal(r.pos, 18);
	/* Normalising (the CLI's policy): valid, with a warning. */
	assert_int_equal(check("91110000600037341l", ZL_USCC_NORMALIZE, &r), ZL_OK);
	assert_int_equal(r.warnings, ZL_USCC_WARN_LOWERCASE);
	assert_int_equal(check("92340602ma2pbmem24", ZL_USCC_NORMALIZE, &r), ZL_OK);
	/* A lowercase code with a wrong check character still fails, expecting uppercase. */
	assert_int_equal(check("91110000600037341n", ZL_USCC_NORMALIZE, &r), ZL_EUNPROC);
	assert_int_equal(r.status, ZL_USCC_BAD_CHECK);
	assert_int_equal(r.expected, 'L');
	assert_int_equal(zl_uscc_normalize("92340602ma2pbmem24", 18, up), ZL_OK);
	assert_string_equal(up, "92340602MA2PBMEM24");
	assert_int_equal(zl_uscc_normalize("9234", 4, up), ZL_EINVAL);
}

static void test_inner_org_check(void **state)
{
	struct zl_uscc_result r;
	char msg[256];

	(void)state;
	/* Hard error for new data. */
	assert_int_equal(check("91310000631295002H", 0, &r), ZL_EUNPROC);
	assert_int_equal(r.status, ZL_USCC_BAD_ORG_CHECK);
	assert_int_equal(r.pos, 17);
	assert_int_equal(r.expected, '1');
	zl_uscc_message(&r, ZL_USCC_EN, msg, sizeof(msg));
	assert_string_equal(msg,
			    "bad organization code check character at position 17: expected 1");
	zl_uscc_message(&r, ZL_USCC_ZH, msg, sizeof(msg));
	assert_string_equal(msg, "第17位组织机构代码校验码错误，应为1");
	/* Warning for legacy imports. */
	assert_int_equal(check("91310000631295002H", ZL_USCC_LEGACY, &r), ZL_OK);
	assert_int_equal(r.status, ZL_USCC_OK);
	assert_int_equal(r.warnings, ZL_USCC_WARN_ORG_CHECK);
	assert_int_equal(r.org_expected, '1');
	zl_uscc_message(&r, ZL_USCC_EN, msg, sizeof(msg));
	assert_string_equal(msg, "organization code check character at position 17 should be 1 "
				 "(accepted as legacy)");
}

static void test_compute_check(void **state)
{
	char c = 0;

	(void)state;
	/* DOMAIN.md 1.2 worked example: S = 831, 831 mod 31 = 25, 31 - 25 = 6. */
	assert_int_equal(zl_uscc_compute_check("91440300192203821", &c), ZL_OK);
	assert_int_equal(c, '6');
	assert_int_equal(zl_uscc_compute_check("91110000600037341", &c), ZL_OK);
	assert_int_equal(c, 'L');
	assert_int_equal(zl_uscc_compute_check("A1110000600037341", &c), ZL_OK);
	assert_int_equal(c, 'K');
	c = '?';
	assert_int_equal(zl_uscc_compute_check("9111000060003734I", &c), ZL_EINVAL);
	assert_int_equal(c, '?');
	assert_int_equal(zl_uscc_compute_check("9111000060003734l", &c), ZL_EINVAL);
	/* The alphabet and its values. */
	assert_int_equal(strlen(zl_uscc_alphabet), 31);
	for (int v = 0; v < 31; v++)
		assert_int_equal(zl_uscc_char_value((unsigned char)zl_uscc_alphabet[v]), v);
	assert_int_equal(zl_uscc_char_value('I'), -1);
	assert_int_equal(zl_uscc_char_value('a'), -1);
}

static void test_messages(void **state)
{
	struct zl_uscc_result r;
	char msg[256];
	char small[8];
	size_t n;

	(void)state;
	check("91110000600037341N", 0, &r);
	n = zl_uscc_message(&r, ZL_USCC_EN, msg, sizeof(msg));
	assert_string_equal(msg, "bad check character at position 18: expected L");
	assert_int_equal(n, strlen(msg));
	zl_uscc_message(&r, ZL_USCC_ZH, msg, sizeof(msg));
	assert_string_equal(msg, "第18位校验码错误，应为L");
	/* Truncation keeps a terminated string and reports the full length. */
	n = zl_uscc_message(&r, ZL_USCC_EN, small, sizeof(small));
	assert_int_equal(n, strlen("bad check character at position 18: expected L"));
	assert_string_equal(small, "bad che");

	check("9111000060003734L", 0, &r);
	zl_uscc_message(&r, ZL_USCC_EN, msg, sizeof(msg));
	assert_string_equal(msg, "wrong length: 17 characters, expected 18");
	zl_uscc_message(&r, ZL_USCC_ZH, msg, sizeof(msg));
	assert_string_equal(msg, "长度错误：17位，应为18位");

	check("9111000060003IOZSV", 0, &r);
	zl_uscc_message(&r, ZL_USCC_EN, msg, sizeof(msg));
	assert_string_equal(msg, "illegal character 'I' at position 14");
	zl_uscc_message(&r, ZL_USCC_ZH, msg, sizeof(msg));
	assert_string_equal(msg, "第14位含非法字符“I”");

	/* Non-printable bytes are never echoed. */
	check("91110000600037341\x01", 0, &r);
	zl_uscc_message(&r, ZL_USCC_EN, msg, sizeof(msg));
	assert_string_equal(msg, "illegal byte 0x01 at position 18");

	check("9111000A600037341L", 0, &r);
	zl_uscc_message(&r, ZL_USCC_ZH, msg, sizeof(msg));
	assert_string_equal(msg, "第8位应为数字（登记管理机关行政区划码）");

	check("914403001922038216", 0, &r);
	assert_int_equal(zl_uscc_message(&r, ZL_USCC_EN, msg, sizeof(msg)), 0);
	assert_string_equal(msg, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid_vectors),
		cmocka_unit_test(test_types),
		cmocka_unit_test(test_unknown_type_is_warning),
		cmocka_unit_test(test_bad_check),
		cmocka_unit_test(test_bad_chars),
		cmocka_unit_test(test_bad_division),
		cmocka_unit_test(test_bad_length),
		cmocka_unit_test(test_lowercase_policy),
		cmocka_unit_test(test_inner_org_check),
		cmocka_unit_test(test_compute_check),
		cmocka_unit_test(test_messages),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
