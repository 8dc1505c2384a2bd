/*
 * test_table.c - the table readers: the CSV reader over buffers and
 * streams (quotes, embedded line breaks, CRLF/LF/CR, no final newline,
 * delimiter sniffing, limits, unterminated quotes), the xlsx reader over
 * a workbook written here with libxlsxwriter (shared strings, a number, a
 * date cell, gaps, a second sheet that must be ignored), Excel serial
 * dates, and zl_table_open on ugly real-world files written here byte by
 * byte: UTF-8 with BOM, GBK (GB18030 bytes), CRLF with quoted newlines and
 * blank rows, magic sniffing, and the .xls path.
 *
 * .xls: freexl cannot write and no .xls fixture is copied into the tree,
 * so only the detection by magic and the error path for a file that
 * claims to be OLE but is not are tested here.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "core/csvr.h"
#include "core/table.h"
#include "core/xlsxr.h"

static char dir[64];

static void path_in(char *out, size_t n, const char *name)
{
	snprintf(out, n, "%s/%s", dir, name);
}

static void write_file(const char *name, const void *p, size_t n)
{
	char path[128];
	FILE *f;

	path_in(path, sizeof(path), name);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(p, 1, n, f), n);
	assert_int_equal(fclose(f), 0);
}

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/zl_table_XXXXXX");
	assert_non_null(mkdtemp(dir));
	return 0;
}

static int teardown(void **state)
{
	char cmd[128];
	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* Read every record of r into "a|b|c\n" lines. */
static void dump(struct zl_csvr *r, char *out, size_t n)
{
	const char *const *cells;
	size_t nc, len = 0;
	struct zl_error e = ZL_ERROR_INIT;
	int rc;

	out[0] = '\0';
	while ((rc = zl_csvr_next(r, &cells, &nc, &e)) == 1) {
		for (size_t i = 0; i < nc; i++)
			len += (size_t)snprintf(out + len, n - len, "%s%s", i ? "|" : "", cells[i]);
		len += (size_t)snprintf(out + len, n - len, "\n");
	}
	assert_int_equal(rc, 0);
}

static void test_csv_basics(void **state)
{
	static const char in[] = "\xEF\xBB\xBF"
				 "a,b,c\r\n"
				 "\"x, y\",\"say \"\"hi\"\"\",\"two\r\nlines\"\r\n"
				 "\r\n"
				 ",,\n"
				 "old\rmac\n"
				 "a\"b,\"q\"tail,last";
	struct zl_csvr r;
	struct zl_error e = ZL_ERROR_INIT;
	char out[512];
	(void)state;

	assert_int_equal(zl_csvr_init_buf(&r, in, sizeof(in) - 1, ZL_CSVR_DELIM_AUTO, &e), ZL_OK);
	assert_int_equal(zl_csvr_delim(&r), ',');
	dump(&r, out, sizeof(out));
	assert_string_equal(out, "a|b|c\n"
				 "x, y|say \"hi\"|two\r\nlines\n"
				 "\n"
				 "||\n"
				 "old\n"
				 "mac\n"
				 "a\"b|qtail|last\n");
	/* 7 records: blank lines count, so numbers match a spreadsheet's rows. */
	assert_int_equal(zl_csvr_record(&r), 7);
	assert_int_equal(zl_csvr_consumed(&r), sizeof(in) - 1);
	zl_csvr_release(&r);
}

static void test_csv_delims(void **state)
{
	static const char tab[] = "标题\n名称\t代码\t地区\nA\tB,C\tD\n";
	static const char semi[] = "a;b;c\n1;\"2;3\";4\n";
	struct zl_csvr r;
	struct zl_error e = ZL_ERROR_INIT;
	char out[256];
	(void)state;

	assert_int_equal(zl_csvr_init_buf(&r, tab, sizeof(tab) - 1, ZL_CSVR_DELIM_AUTO, &e), ZL_OK);
	assert_int_equal(zl_csvr_delim(&r), '\t');
	dump(&r, out, sizeof(out));
	assert_string_equal(out, "标题\n名称|代码|地区\nA|B,C|D\n");
	zl_csvr_release(&r);

	assert_int_equal(zl_csvr_init_buf(&r, semi, sizeof(semi) - 1, ZL_CSVR_DELIM_AUTO, &e),
			 ZL_OK);
	assert_int_equal(zl_csvr_delim(&r), ';');
	dump(&r, out, sizeof(out));
	assert_string_equal(out, "a|b|c\n1|2;3|4\n");
	zl_csvr_release(&r);

	assert_int_equal(zl_csvr_init_buf(&r, "", 0, 'x', &e), ZL_EINVAL);
	zl_csvr_release(&r);
}

static void test_csv_errors(void **state)
{
	static const char open_q[] = "a,b\n1,\"never closed\n2,3\n";
	struct zl_csvr r;
	struct zl_error e = ZL_ERROR_INIT;
	const char *const *cells;
	size_t n;
	char big[300];
	(void)state;

	assert_int_equal(zl_csvr_init_buf(&r, open_q, sizeof(open_q) - 1, ',', &e), ZL_OK);
	assert_int_equal(zl_csvr_next(&r, &cells, &n, &e), 1);
	assert_int_equal(zl_csvr_next(&r, &cells, &n, &e), ZL_EINVAL);
	assert_string_equal(e.field, "row 2");
	assert_non_null(strstr(e.message, "not closed"));
	zl_csvr_release(&r);

	memset(big, 'x', sizeof(big));
	assert_int_equal(zl_csvr_init_buf(&r, big, sizeof(big), ',', &e), ZL_OK);
	r.max_cell = 100;
	assert_int_equal(zl_csvr_next(&r, &cells, &n, &e), ZL_ETOOBIG);
	zl_csvr_release(&r);

	assert_int_equal(zl_csvr_init_buf(&r, ",,,,,\n", 6, ',', &e), ZL_OK);
	r.max_cells = 3;
	assert_int_equal(zl_csvr_next(&r, &cells, &n, &e), ZL_ETOOBIG);
	zl_csvr_release(&r);

	/* Empty input: no records at all. */
	assert_int_equal(zl_csvr_init_buf(&r, "", 0, ',', &e), ZL_OK);
	assert_int_equal(zl_csvr_next(&r, &cells, &n, &e), 0);
	zl_csvr_release(&r);
}

static void test_csv_stream(void **state)
{
	/* Longer than one 64 KiB chunk, with a quoted cell straddling the boundary. */
	struct zl_buf b = ZL_BUF_INIT(1 << 22);
	struct zl_csvr r;
	struct zl_error e = ZL_ERROR_INIT;
	const char *const *cells;
	size_t n, rows = 0;
	char path[128];
	FILE *f;
	int rc;
	(void)state;

	zl_buf_adds(&b, "id,text\r\n");
	for (int i = 0; i < 5000; i++)
		zl_buf_addf(&b, "%d,\"line %d\r\nsecond, \"\"part\"\"\"\r\n", i, i);
	write_file("stream.csv", b.data, b.len);
	path_in(path, sizeof(path), "stream.csv");
	f = fopen(path, "rb");
	assert_non_null(f);
	assert_int_equal(zl_csvr_init_file(&r, f, ZL_CSVR_DELIM_AUTO, &e), ZL_OK);
	assert_int_equal(zl_csvr_next(&r, &cells, &n, &e), 1);
	while ((rc = zl_csvr_next(&r, &cells, &n, &e)) == 1) {
		char want[64];
		assert_int_equal(n, 2);
		assert_int_equal(strtol(cells[0], NULL, 10), (long)rows);
		snprintf(want, sizeof(want), "line %zu\r\nsecond, \"part\"", rows);
		assert_string_equal(cells[1], want);
		rows++;
	}
	assert_int_equal(rc, 0);
	assert_int_equal(rows, 5000);
	assert_int_equal(zl_csvr_consumed(&r), b.len);
	zl_csvr_release(&r);
	fclose(f);
	zl_buf_release(&b);
}

static void make_xlsx(const char *name)
{
	char path[128];
	lxw_workbook *wb;
	lxw_worksheet *ws, *ws2;
	lxw_format *date, *custom;
	lxw_datetime dt = {2016, 9, 17, 0, 0, 0};

	path_in(path, sizeof(path), name);
	wb = workbook_new(path);
	assert_non_null(wb);
	ws = workbook_add_worksheet(wb, "名录");
	ws2 = workbook_add_worksheet(wb, "other");
	date = workbook_add_format(wb);
	format_set_num_format_index(date, 14);
	custom = workbook_add_format(wb);
	format_set_num_format(custom, "yyyy\"年\"m\"月\"d\"日\"");
	worksheet_write_string(ws, 0, 0, "河南省企业名录", NULL);
	worksheet_write_string(ws, 2, 0, "统一社会信用代码", NULL);
	worksheet_write_string(ws, 2, 1, "企业名称", NULL);
	worksheet_write_string(ws, 2, 2, "成立日期", NULL);
	worksheet_write_string(ws, 2, 3, "注册资本", NULL);
	worksheet_write_string(ws, 2, 5, "备注", NULL);
	worksheet_write_string(ws, 3, 0, "914112810713741814", NULL);
	worksheet_write_string(ws, 3, 1, "义马某某有限公司", NULL);
	worksheet_write_datetime(ws, 3, 2, &dt, date);
	worksheet_write_number(ws, 3, 3, 1234.5, NULL);
	worksheet_write_string(ws, 4, 1, "企业名称", NULL); /* shared string used twice */
	worksheet_write_number(ws, 4, 2, 42000, custom);
	worksheet_write_boolean(ws, 4, 3, 1, NULL);
	worksheet_write_string(ws2, 0, 0, "must not be read", NULL);
	assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
}

static void test_xlsx(void **state)
{
	struct zl_xlsxr *x;
	struct zl_error e = ZL_ERROR_INIT;
	const char *const *c;
	size_t n;
	char path[128];
	uint64_t done, total;
	(void)state;

	make_xlsx("book.xlsx");
	path_in(path, sizeof(path), "book.xlsx");
	assert_int_equal(zl_xlsxr_open(path, &x, &e), ZL_OK);
	assert_int_equal(zl_xlsxr_next(x, &c, &n, &e), 1);
	assert_int_equal(zl_xlsxr_row(x), 1);
	assert_int_equal(n, 1);
	assert_string_equal(c[0], "河南省企业名录");
	assert_int_equal(zl_xlsxr_next(x, &c, &n, &e), 1);
	assert_int_equal(zl_xlsxr_row(x), 3); /* row 2 is absent: numbers follow the sheet */
	assert_int_equal(n, 6);
	assert_string_equal(c[1], "企业名称");
	assert_string_equal(c[4], ""); /* missing cell */
	assert_string_equal(c[5], "备注");
	assert_int_equal(zl_xlsxr_next(x, &c, &n, &e), 1);
	assert_int_equal(zl_xlsxr_row(x), 4);
	assert_string_equal(c[0], "914112810713741814");
	assert_string_equal(c[2], "2016-09-17");
	assert_string_equal(c[3], "1234.5");
	assert_int_equal(zl_xlsxr_next(x, &c, &n, &e), 1);
	assert_int_equal(zl_xlsxr_row(x), 5);
	assert_string_equal(c[0], "");
	assert_string_equal(c[1], "企业名称");
	assert_string_equal(c[2], "2014-12-27"); /* serial 42000, custom 年月日 format */
	assert_string_equal(c[3], "TRUE");
	assert_int_equal(zl_xlsxr_next(x, &c, &n, &e), 0);
	assert_int_equal(zl_xlsxr_next(x, &c, &n, &e), 0);
	zl_xlsxr_progress(x, &done, &total);
	assert_true(done > 0 && done == total);
	zl_xlsxr_close(x);
}

static void test_xlsx_inline_and_errors(void **state)
{
	struct zl_xlsxr *x;
	struct zl_error e = ZL_ERROR_INIT;
	char path[128];
	(void)state;

	lxw_workbook_options o = {.constant_memory = LXW_TRUE, .tmpdir = NULL};
	lxw_workbook *wb;
	lxw_worksheet *ws;
	const char *const *c;
	size_t n;

	/* constant_memory mode writes inline strings (t="inlineStr"), no sharedStrings part. */
	path_in(path, sizeof(path), "inline.xlsx");
	wb = workbook_new_opt(path, &o);
	assert_non_null(wb);
	ws = workbook_add_worksheet(wb, NULL);
	worksheet_write_string(ws, 0, 0, "名称", NULL);
	worksheet_write_string(ws, 0, 2, "a&b<c>", NULL);
	worksheet_write_number(ws, 1, 1, -0.25, NULL);
	assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
	assert_int_equal(zl_xlsxr_open(path, &x, &e), ZL_OK);
	assert_int_equal(zl_xlsxr_next(x, &c, &n, &e), 1);
	assert_int_equal(n, 3);
	assert_string_equal(c[0], "名称");
	assert_string_equal(c[1], "");
	assert_string_equal(c[2], "a&b<c>");
	assert_int_equal(zl_xlsxr_next(x, &c, &n, &e), 1);
	assert_int_equal(zl_xlsxr_row(x), 2);
	assert_int_equal(n, 2);
	assert_string_equal(c[1], "-0.25");
	assert_int_equal(zl_xlsxr_next(x, &c, &n, &e), 0);
	zl_xlsxr_close(x);

	write_file("not.xlsx", "PK\3\4garbage", 11);
	path_in(path, sizeof(path), "not.xlsx");
	assert_int_equal(zl_xlsxr_open(path, &x, &e), ZL_EMEDIA);
	assert_null(x);
	assert_int_equal(zl_xlsxr_open_buffer("hello", 5, &x, &e), ZL_EMEDIA);
	assert_null(x);
}

static void test_serial_dates(void **state)
{
	char d[11];
	(void)state;

	assert_int_equal(zl_excel_serial_date(1, 0, d), 0);
	assert_string_equal(d, "1900-01-01");
	assert_int_equal(zl_excel_serial_date(59, 0, d), 0);
	assert_string_equal(d, "1900-02-28");
	assert_int_equal(zl_excel_serial_date(60, 0, d), 0);
	assert_string_equal(d, "1900-02-29");
	assert_int_equal(zl_excel_serial_date(61, 0, d), 0);
	assert_string_equal(d, "1900-03-01");
	assert_int_equal(zl_excel_serial_date(41821.75, 0, d), 0);
	assert_string_equal(d, "2014-07-01");
	assert_int_equal(zl_excel_serial_date(0, 1, d), -1);
	assert_int_equal(zl_excel_serial_date(40359, 1, d), 0); /* 1904 system: +1462 days */
	assert_string_equal(d, "2014-07-01");
	assert_int_equal(zl_excel_serial_date(2958465, 0, d), 0);
	assert_string_equal(d, "9999-12-31");
	assert_int_equal(zl_excel_serial_date(2958466, 0, d), -1);
	assert_int_equal(zl_excel_serial_date(-5, 0, d), -1);
}

/* Open a file and collect "row:a|b" lines. */
static int read_table(const char *name, enum zl_table_encoding enc, char *out, size_t n,
		      struct zl_error *e)
{
	struct zl_table_options opt = {enc, 0};
	struct zl_table_reader *t;
	const char *const *c;
	size_t nc, len = 0;
	char path[128];
	int rc;

	path_in(path, sizeof(path), name);
	out[0] = '\0';
	rc = zl_table_open(path, &opt, &t, e);
	if (rc != ZL_OK)
		return rc;
	while ((rc = zl_table_next(t, &c, &nc, e)) == 1) {
		len += (size_t)snprintf(out + len, n - len,
					"%llu:", (unsigned long long)zl_table_row(t));
		for (size_t i = 0; i < nc; i++)
			len += (size_t)snprintf(out + len, n - len, "%s%s", i ? "|" : "", c[i]);
		len += (size_t)snprintf(out + len, n - len, "\n");
	}
	zl_table_close(t);
	return rc;
}

static void test_table_encodings(void **state)
{
	/* 企业名称 in GB18030/GBK bytes: C6F3 D2B5 C3FB B3C6; 郑州 = D6A3 D6DD */
	static const char gbk[] = "\xC6\xF3\xD2\xB5\xC3\xFB\xB3\xC6,code\r\n\xD6\xA3\xD6\xDD,1\r\n";
	static const char bom[] = "\xEF\xBB\xBF企业名称,code\r\n\r\n郑州,\"a\nb\"\r\n";
	static const char u16[] = "\xFF\xFE"
				  "a\0,\0b\0\n\0";
	char out[512];
	struct zl_error e = ZL_ERROR_INIT;
	(void)state;

	write_file("gbk.csv", gbk, sizeof(gbk) - 1);
	assert_int_equal(read_table("gbk.csv", ZL_TABLE_ENC_AUTO, out, sizeof(out), &e), 0);
	assert_string_equal(out, "1:企业名称|code\n2:郑州|1\n");
	/* Forcing UTF-8 on GBK bytes fails naming the offset and line. */
	assert_int_equal(read_table("gbk.csv", ZL_TABLE_ENC_UTF8, out, sizeof(out), &e), ZL_EINVAL);
	assert_non_null(strstr(e.message, "offset 0 (line 1)"));

	write_file("bom.csv", bom, sizeof(bom) - 1);
	assert_int_equal(read_table("bom.csv", ZL_TABLE_ENC_AUTO, out, sizeof(out), &e), 0);
	assert_string_equal(out, "1:企业名称|code\n2:\n3:郑州|a\nb\n");
	assert_int_equal(read_table("bom.csv", ZL_TABLE_ENC_UTF8, out, sizeof(out), &e), 0);

	write_file("u16.csv", u16, sizeof(u16) - 1);
	assert_int_equal(read_table("u16.csv", ZL_TABLE_ENC_AUTO, out, sizeof(out), &e), 0);
	assert_string_equal(out, "1:a|b\n");

	write_file("empty.csv", "", 0);
	assert_int_equal(read_table("empty.csv", ZL_TABLE_ENC_AUTO, out, sizeof(out), &e), 0);
	assert_string_equal(out, "");

	assert_int_equal(read_table("missing.csv", ZL_TABLE_ENC_AUTO, out, sizeof(out), &e),
			 ZL_EIO);
}

static void test_table_cap(void **state)
{
	static const char gbk[] = "\xD6\xA3\xD6\xDD,1\r\n";
	struct zl_table_options opt = {ZL_TABLE_ENC_AUTO, 4};
	struct zl_table_reader *t;
	struct zl_error e = ZL_ERROR_INIT;
	char path[128];
	(void)state;

	write_file("cap.csv", gbk, sizeof(gbk) - 1);
	path_in(path, sizeof(path), "cap.csv");
	assert_int_equal(zl_table_open(path, &opt, &t, &e), ZL_ETOOBIG);
	assert_non_null(strstr(e.message, "save it as UTF-8"));
	opt.max_convert = 0; /* default cap: fine */
	assert_int_equal(zl_table_open(path, &opt, &t, &e), ZL_OK);
	zl_table_close(t);
}

static void test_table_formats(void **state)
{
	static const unsigned char ole[] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1,
					    0x1A, 0xE1, 0,    0,    0,	  0};
	struct zl_table_reader *t;
	struct zl_error e = ZL_ERROR_INIT;
	char out[512], path[128];
	uint64_t done, total;
	(void)state;

	assert_int_equal(zl_table_sniff("PK\3\4", 4), ZL_TABLE_XLSX);
	assert_int_equal(zl_table_sniff(ole, sizeof(ole)), ZL_TABLE_XLS);
	assert_int_equal(zl_table_sniff("PK", 2), ZL_TABLE_CSV);
	assert_int_equal(zl_table_sniff("a,b", 3), ZL_TABLE_CSV);

	/* An xlsx named .csv is still read as xlsx: content decides. */
	make_xlsx("book.csv");
	assert_int_equal(read_table("book.csv", ZL_TABLE_ENC_AUTO, out, sizeof(out), &e), 0);
	assert_non_null(strstr(out, "4:914112810713741814|义马某某有限公司|2016-09-17|1234.5\n"));
	path_in(path, sizeof(path), "book.csv");
	assert_int_equal(zl_table_open(path, NULL, &t, &e), ZL_OK);
	assert_int_equal(zl_table_format(t), ZL_TABLE_XLSX);
	assert_string_equal(zl_table_encoding_name(t), "");
	zl_table_progress(t, &done, &total);
	assert_int_equal(done, 0);
	zl_table_close(t);

	/* OLE magic but no workbook inside: the xls reader's error, not CSV garbage. */
	write_file("fake.xls", ole, sizeof(ole));
	assert_int_equal(read_table("fake.xls", ZL_TABLE_ENC_AUTO, out, sizeof(out), &e),
			 ZL_EMEDIA);
	assert_non_null(strstr(e.message, ".xls"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_csv_basics),   cmocka_unit_test(test_csv_delims),
		cmocka_unit_test(test_csv_errors),   cmocka_unit_test(test_csv_stream),
		cmocka_unit_test(test_xlsx),	     cmocka_unit_test(test_xlsx_inline_and_errors),
		cmocka_unit_test(test_serial_dates), cmocka_unit_test(test_table_encodings),
		cmocka_unit_test(test_table_cap),    cmocka_unit_test(test_table_formats),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
