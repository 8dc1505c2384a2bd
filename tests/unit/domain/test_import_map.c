/*
 * test_import_map.c - column mapping for enterprise imports: the synonym
 * table names one field per header text, header normalisation (spaces,
 * line breaks, full-width forms, markers), header detection under title
 * rows, the errors for ambiguous headers, and the normalisation of cell
 * values (size classes, statuses, region names and codes, dates, codes).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "domain/import_map.h"

static void test_table_is_unambiguous(void **state)
{
	(void)state;
	assert_true(zl_ecol_synonym_count() > 40);
	for (size_t i = 0; i < zl_ecol_synonym_count(); i++) {
		enum zl_ecol f, a, b;
		const char *text;
		zl_ecol_synonym_at(i, &f, &text);
		assert_int_equal(zl_import_header_lookup(text, &a, &b), (int)f);
	}
	for (int f = 1; f < ZL_ECOL__COUNT; f++) {
		enum zl_ecol a, b;
		assert_int_equal(zl_import_header_lookup(zl_ecol_key((enum zl_ecol)f), &a, &b), f);
		assert_int_equal(zl_import_header_lookup(zl_ecol_label((enum zl_ecol)f), &a, &b),
				 f);
	}
}

static void test_header_norm(void **state)
{
	enum zl_ecol a, b;
	(void)state;

	assert_int_equal(zl_import_header_lookup("企 业\r\n名称", &a, &b), ZL_ECOL_NAME);
	assert_int_equal(zl_import_header_lookup("　统一社会信用代码　", &a, &b), ZL_ECOL_USCC);
	assert_int_equal(zl_import_header_lookup("ＵＳＣＣ", &a, &b), ZL_ECOL_USCC);
	assert_int_equal(zl_import_header_lookup("uscc", &a, &b), ZL_ECOL_USCC);
	assert_int_equal(zl_import_header_lookup("*企业名称：", &a, &b), ZL_ECOL_NAME);
	assert_int_equal(zl_import_header_lookup("企业（单位）名称", &a, &b), ZL_ECOL_NAME);
	assert_int_equal(zl_import_header_lookup("注册资本（万元）", &a, &b), ZL_ECOL_CAPITAL);
	assert_int_equal(zl_import_header_lookup("成立日期(yyyy-mm-dd)", &a, &b), ZL_ECOL_FOUNDED);
	assert_int_equal(zl_import_header_lookup("备注", &a, &b), ZL_ECOL_NONE);
	assert_int_equal(zl_import_header_lookup("", &a, &b), ZL_ECOL_NONE);
}

static void test_detect_header(void **state)
{
	const char *title[] = {"河南省2014年规模以上工业企业名录", "", ""};
	const char *date[] = {"制表日期：2014年7月", "", "单位：万元"};
	const char *hdr[] = {"序号", "社会信用代码", "单位名称", "所在\n地区", "备注", ""};
	struct zl_import_map m;
	struct zl_error e = ZL_ERROR_INIT;
	char col[8];
	(void)state;

	zl_import_map_init(&m);
	assert_int_equal(zl_import_map_check(&m, &e), ZL_EUNPROC);
	assert_int_equal(zl_import_map_header(&m, title, 3, 1, &e), 0);
	/* 单位 alone is no column name; two cells must map. */
	assert_int_equal(zl_import_map_header(&m, date, 3, 2, &e), 0);
	assert_int_equal(zl_import_map_header(&m, hdr, 6, 3, &e), 1);
	assert_int_equal(m.header_row, 3);
	assert_int_equal(m.col_of[ZL_ECOL_USCC], 1);
	assert_int_equal(m.col_of[ZL_ECOL_NAME], 2);
	assert_int_equal(m.col_of[ZL_ECOL_REGION], 3);
	assert_int_equal(m.col_of[ZL_ECOL_STATUS], -1);
	assert_int_equal(m.field[0], ZL_ECOL_NONE);
	assert_int_equal(m.field[4], ZL_ECOL_NONE);
	assert_string_equal(m.header[4], "备注");
	assert_int_equal(zl_import_map_check(&m, &e), ZL_OK);
	zl_import_map_release(&m);

	zl_import_col_name(0, col);
	assert_string_equal(col, "A");
	zl_import_col_name(25, col);
	assert_string_equal(col, "Z");
	zl_import_col_name(26, col);
	assert_string_equal(col, "AA");
	zl_import_col_name(16383, col);
	assert_string_equal(col, "XFD");
}

static void test_header_errors(void **state)
{
	const char *dup[] = {"信用代码", "企业名称", "统一社会信用代码"};
	const char *no_code[] = {"企业名称", "地址"};
	struct zl_import_map m;
	struct zl_error e = ZL_ERROR_INIT;
	(void)state;

	zl_import_map_init(&m);
	assert_int_equal(zl_import_map_header(&m, dup, 3, 2, &e), ZL_EUNPROC);
	assert_non_null(strstr(e.message, "columns A (\"信用代码\") and C (\"统一社会信用代码\")"));
	assert_non_null(strstr(e.message, "uscc"));
	assert_int_equal(zl_import_map_header(&m, no_code, 2, 1, &e), 1);
	assert_int_equal(zl_import_map_check(&m, &e), ZL_EUNPROC);
	assert_non_null(strstr(e.message, "code column"));
	zl_import_map_release(&m);
}

static void value_ok(enum zl_ecol f, const char *in, const char *want)
{
	struct zl_error e = ZL_ERROR_INIT;
	char out[64];

	assert_int_equal(zl_import_value(f, in, out, sizeof(out), &e), ZL_OK);
	assert_string_equal(out, want);
}

static void value_bad(enum zl_ecol f, const char *in, const char *msg)
{
	struct zl_error e = ZL_ERROR_INIT;
	char out[64];

	assert_int_equal(zl_import_value(f, in, out, sizeof(out), &e), ZL_EUNPROC);
	assert_string_equal(e.field, zl_ecol_key(f));
	if (!strstr(e.message, msg))
		print_error("\"%s\": %s\n", in, e.message);
	assert_non_null(strstr(e.message, msg));
}

static void test_values(void **state)
{
	(void)state;
	value_ok(ZL_ECOL_SIZE_CLASS, " 中型 ", "medium");
	value_ok(ZL_ECOL_SIZE_CLASS, "大型企业", "large");
	value_ok(ZL_ECOL_SIZE_CLASS, "微型", "micro");
	value_ok(ZL_ECOL_SIZE_CLASS, "", "");
	value_bad(ZL_ECOL_SIZE_CLASS, "巨型", "unknown size class");
	value_ok(ZL_ECOL_STATUS, "存续（在营、开业、在册）", "operating");
	value_ok(ZL_ECOL_STATUS, "在业", "operating");
	value_ok(ZL_ECOL_STATUS, "开业", "operating");
	value_ok(ZL_ECOL_STATUS, "吊销", "revoked");
	value_ok(ZL_ECOL_STATUS, "注销", "cancelled");
	value_bad(ZL_ECOL_STATUS, "迁出", "unknown status");
	value_ok(ZL_ECOL_REGION, "410102", "410102");
	value_ok(ZL_ECOL_REGION, "郑州市", "410100");
	value_ok(ZL_ECOL_REGION, "郑州", "410100");
	value_ok(ZL_ECOL_REGION, "中原区", "410102");
	value_ok(ZL_ECOL_REGION, "济源市", "419001");
	value_ok(ZL_ECOL_REGION, "４１０１００", "410100");
	value_bad(ZL_ECOL_REGION, "市辖区", "ambiguous");
	value_bad(ZL_ECOL_REGION, "郊区", "ambiguous");
	value_bad(ZL_ECOL_REGION, "长垣县", "no longer in force");
	value_bad(ZL_ECOL_REGION, "火星市", "neither a region code");
	value_ok(ZL_ECOL_FOUNDED, "2016/9/17", "2016-09-17");
	value_ok(ZL_ECOL_FOUNDED, "2016-09-17 00:00:00", "2016-09-17");
	value_ok(ZL_ECOL_FOUNDED, "2016年9月7日", "2016-09-07");
	value_ok(ZL_ECOL_FOUNDED, "2016.09.17", "2016-09-17");
	value_ok(ZL_ECOL_FOUNDED, "20160917", "2016-09-17");
	value_ok(ZL_ECOL_FOUNDED, "２０１６－０９－１７", "2016-09-17");
	value_ok(ZL_ECOL_FOUNDED, "2016-02-29", "2016-02-29");
	value_bad(ZL_ECOL_FOUNDED, "2015-02-29", "not a date");
	value_bad(ZL_ECOL_FOUNDED, "2016/13/1", "not a date");
	value_bad(ZL_ECOL_FOUNDED, "/", "not a date");
	value_bad(ZL_ECOL_FOUNDED, "2016", "not a date");
	value_ok(ZL_ECOL_ORG_CODE, "07137418-1", "071374181");
	value_ok(ZL_ECOL_INDUSTRY, "C3670", "3670");
	value_ok(ZL_ECOL_INDUSTRY, "36", "36");
	value_ok(ZL_ECOL_USCC, " ９１４１１２８１０７１３７４１８１４ ", "914112810713741814");
	value_ok(ZL_ECOL_NAME, "比亚迪\r\n二部", "比亚迪 二部");
	value_ok(ZL_ECOL_NAME, "\xC2\xA0宇通客车\xE3\x80\x80", "宇通客车");
	value_bad(ZL_ECOL_NAME,
		  "0123456789012345678901234567890123456789012345678901234567890123456789",
		  "too long");
	value_ok(ZL_ECOL_FOUNDED, "1800-1-1", "1800-01-01");
	value_ok(ZL_ECOL_FOUNDED, "9999/12/31", "9999-12-31");
	/* Cells longer than the stack buffer of zl_import_value(): rewritten the same. */
	{
		char big[2400];
		size_t o = 0;

		memcpy(big, "\t\t", 2);
		o = 2;
		for (int i = 0; i < 400; i++, o += 3)
			memcpy(big + o, "５", 3); /* folded to 400 ASCII digits */
		big[o] = '\0';
		value_bad(ZL_ECOL_CAPITAL, big, "(400 bytes, at most 63)");
		o = 0;
		big[o++] = 'a';
		for (int i = 0; i < 600; i++)
			big[o++] = i % 3 ? '\n' : '\r';
		memset(big + o, 'x', 1000);
		o += 1000;
		big[o] = '\0';
		value_bad(ZL_ECOL_ADDRESS, big,
			  "(1002 bytes, at most 63)"); /* a, one space, 1000 x */
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_is_unambiguous),
		cmocka_unit_test(test_header_norm),
		cmocka_unit_test(test_detect_header),
		cmocka_unit_test(test_header_errors),
		cmocka_unit_test(test_values),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
