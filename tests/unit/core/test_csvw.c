/*
 * test_csvw.c - the CSV writer: RFC 4180 quoting, CRLF, BOM, NULL versus
 * empty, invalid UTF-8, the formula-injection guard, and the buffer cap.
 * Expected outputs are written out byte for byte.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "core/csvw.h"
#include "core/err.h"

static void test_plain_and_quoted(void **state)
{
	static const char *const row[] = {
		"abc",	    "",		NULL, "a,b",	   "say \"hi\"", "two\nlines",
		"cr\rhere", "crlf\r\n", "\"", "质量,监督", "  spaced  ", "tab\tinside",
	};
	struct zl_buf b = ZL_BUF_INIT(1 << 16);
	struct zl_csvw w;

	(void)state;
	assert_int_equal(zl_csvw_init(&w, &b, 0), ZL_OK);
	assert_int_equal(zl_csvw_row(&w, row, sizeof(row) / sizeof(row[0])), ZL_OK);
	assert_string_equal(zl_buf_str(&b), "abc,,,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\","
					    "\"cr\rhere\",\"crlf\r\n\",\"\"\"\",\"质量,监督\","
					    "  spaced  ,tab\tinside\r\n");
	zl_buf_release(&b);
}

static void test_bom_and_records(void **state)
{
	struct zl_buf b = ZL_BUF_INIT(1 << 16);
	struct zl_csvw w;

	(void)state;
	assert_int_equal(zl_csvw_init(&w, &b, ZL_CSVW_BOM), ZL_OK);
	zl_csvw_field(&w, "河南省质量技术监督局");
	zl_csvw_field(&w, "省质监局");
	zl_csvw_end_row(&w);
	zl_csvw_end_row(&w); /* an empty record is an empty line */
	zl_csvw_fieldn(&w, "ab\0cd", 5);
	assert_int_equal(zl_csvw_end_row(&w), ZL_OK);
	assert_int_equal(b.len, 3 + strlen("河南省质量技术监督局,省质监局\r\n\r\n") + 7);
	assert_memory_equal(b.data,
			    "\xef\xbb\xbf"
			    "河南省质量技术监督局,省质监局\r\n\r\nab\0cd\r\n",
			    b.len);
	zl_buf_release(&b);
}

static void test_formula_guard(void **state)
{
	static const char *const row[] = {
		"=1+1",
		"+86 371",
		"-5",
		"@SUM(A1)",
		"\tx",
		"\r=cmd",
		"=HYPERLINK(\"http://x\",\"a,b\")",
		"a=b",
		" =1",
		"'=already",
		"＝1",
	};
	struct zl_buf b = ZL_BUF_INIT(1 << 16);
	struct zl_csvw w;

	(void)state;
	zl_csvw_init(&w, &b, 0);
	assert_int_equal(zl_csvw_row(&w, row, sizeof(row) / sizeof(row[0])), ZL_OK);
	assert_string_equal(zl_buf_str(&b), "'=1+1,'+86 371,'-5,'@SUM(A1),'\tx,\"'\r=cmd\","
					    "\"'=HYPERLINK(\"\"http://x\"\",\"\"a,b\"\")\","
					    "a=b, =1,'=already,＝1\r\n");
	assert_true(zl_csvw_is_formula("=", 1));
	assert_false(zl_csvw_is_formula("=", 0));
	assert_false(zl_csvw_is_formula(NULL, 3));
	assert_false(zl_csvw_is_formula("1=", 2));
	zl_buf_release(&b);

	/* the guard can be switched off for raw data files */
	zl_csvw_init(&w, &b, ZL_CSVW_NO_GUARD);
	zl_csvw_row(&w, row, 3);
	assert_string_equal(zl_buf_str(&b), "=1+1,+86 371,-5\r\n");
	zl_buf_release(&b);
}

static void test_numbers(void **state)
{
	struct zl_buf b = ZL_BUF_INIT(1 << 16);
	struct zl_csvw w;

	(void)state;
	zl_csvw_init(&w, &b, 0);
	zl_csvw_num(&w, "-5");
	zl_csvw_num(&w, "0");
	zl_csvw_num(&w, "-0.25");
	zl_csvw_num(&w, NULL);
	zl_csvw_num(&w, "-1e3"); /* not plain: guarded like text */
	zl_csvw_num(&w, "-");
	zl_csvw_num(&w, "-1.");
	zl_csvw_num(&w, "=1");
	zl_csvw_num(&w, "1,5");
	zl_csvw_end_row(&w);
	assert_string_equal(zl_buf_str(&b), "-5,0,-0.25,,'-1e3,'-,'-1.,'=1,\"1,5\"\r\n");
	zl_buf_release(&b);
}

static void test_invalid_utf8(void **state)
{
	struct zl_buf b = ZL_BUF_INIT(1 << 16);
	struct zl_csvw w;

	(void)state;
	zl_csvw_init(&w, &b, 0);
	/* GBK bytes for 质量 (D6 CA C1 BF), a lone continuation byte, a truncated sequence */
	zl_csvw_field(&w, "\xd6\xca\xc1\xbf");
	zl_csvw_field(&w, "a\x80z");
	zl_csvw_field(&w, "\"\xe8\xb4");
	zl_csvw_end_row(&w);
	assert_string_equal(zl_buf_str(&b), "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd,"
					    "a\xef\xbf\xbdz,"
					    "\"\"\"\xef\xbf\xbd\xef\xbf\xbd\"\r\n");
	zl_buf_release(&b);
}

static void test_cap_is_sticky(void **state)
{
	struct zl_buf b = ZL_BUF_INIT(16);
	struct zl_csvw w;

	(void)state;
	assert_int_equal(zl_csvw_init(&w, &b, ZL_CSVW_BOM), ZL_OK);
	assert_int_equal(zl_csvw_field(&w, "0123456789"), ZL_OK);
	assert_int_equal(zl_csvw_field(&w, "0123456789"), ZL_ETOOBIG);
	assert_int_equal(zl_csvw_end_row(&w), ZL_ETOOBIG);
	assert_int_equal(zl_csvw_field(&w, "x"), ZL_ETOOBIG);
	assert_true(b.len <= 16);
	zl_buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_and_quoted), cmocka_unit_test(test_bom_and_records),
		cmocka_unit_test(test_formula_guard),	 cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_invalid_utf8),	 cmocka_unit_test(test_cap_is_sticky),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
