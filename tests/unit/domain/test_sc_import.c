/*
 * test_sc_import.c - reading published spot-check result tables
 * (domain/sc_import.h): the synonym table is unambiguous, header cells with
 * spaces and line breaks map, the header is found under title rows, the
 * result words (合格/不合格, 符合/不符合) and a table without a result column
 * (failures only), failed items split on 、，,；; with "*" marks, nominal
 * and counterfeit producers, 生产日期/批号 cells holding dates, batch numbers
 * or "/", name normalisation, title hints, ugly cells; and the fixture
 * files of tests/data/spotchecks (UTF-8 with titles and footer, UTF-8 BOM,
 * GBK, a legacy .xls) plus an xlsx written here, each read through core/table.h.
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

#include "core/buf.h"
#include "core/table.h"
#include "domain/sc_import.h"

static void test_synonyms_unambiguous(void **state)
{
	(void)state;
	for (size_t i = 0; i < zl_scc_synonym_count(); i++) {
		enum zl_scc f, a, b;
		const char *text;
		zl_scc_synonym_at(i, &f, &text);
		assert_int_equal(zl_scc_lookup(text, &a, &b), (int)f);
	}
	for (int f = 1; f < ZL_SCC__COUNT; f++) {
		enum zl_scc a, b;
		assert_int_equal(zl_scc_lookup(zl_scc_label((enum zl_scc)f), &a, &b), f);
	}
	{
		enum zl_scc a, b;
		assert_int_equal(zl_scc_lookup("标称生产\n企业名称", &a, &b), ZL_SCC_PRODUCER);
		assert_int_equal(zl_scc_lookup(" 规 格 型 号 ", &a, &b), ZL_SCC_SPEC);
		assert_int_equal(zl_scc_lookup("生产日期（批号）", &a, &b), ZL_SCC_BATCH);
		assert_int_equal(zl_scc_lookup("联系电话", &a, &b), ZL_SCC_NONE);
	}
}

static void map_of(struct zl_sc_map *m, const char *const *h, size_t n)
{
	struct zl_error err = ZL_ERROR_INIT;
	zl_sc_map_init(m);
	assert_int_equal(zl_sc_map_header(m, h, n, 3, &err), 1);
	assert_int_equal(zl_sc_map_check(m, &err), ZL_OK);
}

static void test_header(void **state)
{
	static const char *const title[] = {"2014年河南省产品质量监督抽查结果", "", ""};
	static const char *const dup[] = {"生产企业", "企业名称", "产品名称"};
	static const char *const nobody[] = {"产品名称", "检验结果"};
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_sc_map m;
	(void)state;

	zl_sc_map_init(&m);
	assert_int_equal(zl_sc_map_header(&m, title, 3, 1, &err), 0);
	assert_int_equal(zl_sc_map_header(&m, dup, 3, 2, &err), ZL_EUNPROC);
	assert_non_null(strstr(err.message, "both map to producer"));
	assert_int_equal(zl_sc_map_header(&m, nobody, 2, 3, &err), 1);
	assert_int_equal(zl_sc_map_check(&m, &err), ZL_EUNPROC);
	zl_sc_map_release(&m);
}

static const char *const H[] = {"序号",		 "产品名称", "标称生产企业名称",
				"生产日期/批号", "检验结果", "不合格项目",
				"备注",		 "电商平台"};

static void parse_ok(const struct zl_sc_map *m, const char *const *cells, size_t n,
		     struct zl_sc_row *r)
{
	struct zl_error err = ZL_ERROR_INIT;
	long col;
	int rc = zl_sc_row_parse(m, cells, n, r, &col, &err);
	if (rc != ZL_OK)
		fail_msg("parse: %s", err.message);
}

static void test_rows(void **state)
{
	struct zl_sc_row *r = malloc(sizeof(*r));
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_sc_map m;
	long col;
	(void)state;

	map_of(&m, H, 8);
	assert_true(m.nominal_header);
	{
		const char *c[] = {
			"1",	     "电饭锅", "郑州（乙）有限公司（标称）",
			"2020-4-30", "不合格", "＊温升、 标志和说明* ，输入功率；温升;\n能效",
			"涉嫌假冒",  "天猫"};
		parse_ok(&m, c, 8, r);
		assert_int_equal(r->failed, 1);
		assert_int_equal(r->nominal, 1);
		assert_int_equal(r->counterfeit, 1);
		assert_string_equal(r->producer, "郑州（乙）有限公司");
		assert_string_equal(r->production_date, "2020-04-30");
		assert_string_equal(r->platform, "天猫");
		assert_int_equal(r->nitems, 4);
		assert_string_equal(r->items[0], "温升");
		assert_string_equal(r->items[1], "标志和说明");
		assert_string_equal(r->items[2], "输入功率");
		assert_string_equal(r->items[3], "能效");
	}
	{
		const char *c[] = {"2", "电饭锅", "甲公司", "2014年5月3日", "合格", "", "", "/"};
		parse_ok(&m, c, 8, r);
		assert_int_equal(r->failed, 0);
		assert_int_equal(r->nitems, 0);
		assert_string_equal(r->production_date, "2014-05-03");
		assert_string_equal(r->platform, "");
	}
	{
		const char *c[] = {"3", "x", "甲公司", "2016/09/17 B12", "符合", "", "", ""};
		parse_ok(&m, c, 8, r);
		assert_string_equal(r->production_date, "2016-09-17");
		assert_string_equal(r->batch, "B12");
	}
	{
		const char *c[] = {"4", "x", "甲公司", "20160917A", "不符合", "", "", ""};
		parse_ok(&m, c, 8, r);
		assert_string_equal(r->batch, "20160917A");
		assert_string_equal(r->production_date, "");
		/* failed without items named: one placeholder item */
		assert_int_equal(r->nitems, 1);
		assert_string_equal(r->items[0], ZL_SC_ITEM_UNKNOWN);
	}
	{
		const char *c[] = {"5", "x", "甲公司", "/", "良好", "", "", ""};
		assert_int_equal(zl_sc_row_parse(&m, c, 8, r, &col, &err), ZL_EUNPROC);
		assert_int_equal(col, 4);
		assert_string_equal(err.field, "result");
	}
	{
		const char *c[] = {"6", "x", "甲公司", "/", "合格", "标志", "", ""};
		assert_int_equal(zl_sc_row_parse(&m, c, 8, r, &col, &err), ZL_EUNPROC);
		assert_int_equal(col, 5);
	}
	{
		const char *c[] = {"7", "x", " / ", "", "合格", "", "", ""};
		assert_int_equal(zl_sc_row_parse(&m, c, 8, r, &col, &err), ZL_EUNPROC);
		assert_int_equal(col, 2);
	}
	{
		/* short rows: missing cells are blank */
		const char *c[] = {"8", "x", "甲公司"};
		assert_int_equal(zl_sc_row_parse(&m, c, 3, r, &col, &err), ZL_EUNPROC);
		assert_string_equal(err.field, "result");
	}
	zl_sc_map_release(&m);
	/* no result column: failures only */
	{
		static const char *const h2[] = {"产品名称", "生产企业", "主要不合格项目"};
		const char *c[] = {"电线", "甲公司", "导体电阻"};
		map_of(&m, h2, 3);
		assert_false(m.nominal_header);
		parse_ok(&m, c, 3, r);
		assert_int_equal(r->failed, 1);
		assert_int_equal(r->nominal, 0);
		assert_int_equal(r->nitems, 1);
		zl_sc_map_release(&m);
	}
	free(r);
}

static void test_items_ugly(void **state)
{
	struct zl_sc_row *r = malloc(sizeof(*r));
	struct zl_error err = ZL_ERROR_INIT;
	char big[20000];
	(void)state;

	assert_int_equal(zl_sc_split_items("、、,,；;*", r, &err), ZL_OK);
	assert_int_equal(r->nitems, 0);
	memset(big, 'a', 300);
	big[300] = '\0';
	assert_int_equal(zl_sc_split_items(big, r, &err), ZL_EUNPROC);
	{
		size_t o = 0;
		for (int i = 0; i < 70; i++)
			o += (size_t)snprintf(big + o, sizeof(big) - o, "item%d,", i);
		assert_int_equal(zl_sc_split_items(big, r, &err), ZL_EUNPROC);
	}
	free(r);
}

static void test_name_norm(void **state)
{
	char a[256], b[256];
	(void)state;
	zl_sc_name_norm("郑州（乙） 有限公司", a, sizeof(a));
	zl_sc_name_norm("郑州(乙)有限公司（标称）", b, sizeof(b));
	assert_string_equal(a, b);
	zl_sc_name_norm("ＡＢＣ　公司【河南】", a, sizeof(a));
	assert_string_equal(a, "abc公司(河南)");
	/* cut at a character boundary */
	assert_true(zl_sc_name_norm("郑州乙有限公司", a, 5) <= 4);
	assert_int_equal(strlen(a), 3);
}

static void test_title_hints(void **state)
{
	char doc[64], lvl[16];
	int year;
	(void)state;
	zl_sc_title_hints(" 2014年河南省质量技术监督局抽查结果公告 豫质监〔2014〕12号", &year, doc,
			  sizeof(doc), lvl, sizeof(lvl));
	assert_int_equal(year, 2014);
	assert_string_equal(doc, "豫质监〔2014〕12号");
	assert_string_equal(lvl, "province");
	zl_sc_title_hints("", &year, doc, sizeof(doc), lvl, sizeof(lvl));
	assert_int_equal(year, 0);
	assert_string_equal(doc, "");
	assert_string_equal(lvl, "");
}

/* Read a whole fixture: header row, data rows parsed, failed rows, rejected rows. */
struct tally {
	uint64_t header;
	int rows, failed, rejected, nominal, items;
	char encoding[16];
};

static void read_file(const char *path, struct tally *t)
{
	struct zl_table_reader *rd = NULL;
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_sc_row *r = malloc(sizeof(*r));
	struct zl_sc_map m;
	const char *const *cells;
	size_t n;
	int rc;

	memset(t, 0, sizeof(*t));
	zl_sc_map_init(&m);
	if (zl_table_open(path, NULL, &rd, &err) != ZL_OK)
		fail_msg("%s: %s", path, err.message);
	zl_strlcpy(t->encoding, zl_table_encoding_name(rd), sizeof(t->encoding));
	while ((rc = zl_table_next(rd, &cells, &n, &err)) == 1) {
		int blank = 1;
		long col;
		for (size_t i = 0; i < n; i++)
			blank &= cells[i][0] == '\0';
		if (blank)
			continue;
		if (!m.header_row) {
			assert_true(zl_sc_map_header(&m, cells, n, zl_table_row(rd), &err) >= 0);
			continue;
		}
		if (!strncmp(cells[0], "注", 3))
			continue;
		t->rows++;
		if (zl_sc_row_parse(&m, cells, n, r, &col, &err) != ZL_OK) {
			t->rejected++;
			continue;
		}
		t->failed += r->failed;
		t->nominal += r->nominal;
		t->items += (int)r->nitems;
	}
	assert_int_equal(rc, 0);
	t->header = m.header_row;
	zl_table_close(rd);
	zl_sc_map_release(&m);
	free(r);
}

static const char *data_dir(void)
{
	const char *d = getenv("ZL_TEST_DATA");
	return d ? d : "tests/data";
}

static void test_fixtures(void **state)
{
	char path[512];
	struct tally t;
	(void)state;

	snprintf(path, sizeof(path), "%s/spotchecks/titles_footer.csv", data_dir());
	read_file(path, &t);
	assert_int_equal(t.header, 3);
	assert_int_equal(t.rows, 3);
	assert_int_equal(t.failed, 2);
	assert_int_equal(t.nominal, 3);
	assert_int_equal(t.items, 5);

	snprintf(path, sizeof(path), "%s/spotchecks/bom_fuhe.csv", data_dir());
	read_file(path, &t);
	assert_int_equal(t.header, 1);
	assert_int_equal(t.rows, 2);
	assert_int_equal(t.failed, 1);
	assert_int_equal(t.items, 3);

	/* Excel 97-2003 (made with python3-xlwt): title, a blank row, header on row 3, org codes.
	 */
	snprintf(path, sizeof(path), "%s/spotchecks/legacy.xls", data_dir());
	read_file(path, &t);
	assert_int_equal(t.header, 3);
	assert_int_equal(t.rows, 2);
	assert_int_equal(t.failed, 1);
	assert_int_equal(t.items, 2);

	snprintf(path, sizeof(path), "%s/spotchecks/gbk_failures.csv", data_dir());
	read_file(path, &t);
	assert_string_not_equal(t.encoding, "utf-8");
	assert_int_equal(t.header, 2);
	assert_int_equal(t.rows, 3);
	assert_int_equal(t.failed, 3);
	assert_int_equal(t.items, 4);
}

static void test_xlsx(void **state)
{
	char path[] = "/tmp/zl-sc-XXXXXX.xlsx";
	int fd = mkstemps(path, 5);
	lxw_workbook *wb;
	lxw_worksheet *ws;
	struct tally t;
	(void)state;

	assert_true(fd >= 0);
	close(fd);
	wb = workbook_new(path);
	ws = workbook_add_worksheet(wb, NULL);
	worksheet_write_string(ws, 0, 0, "2016年省级产品质量监督抽查结果", NULL);
	worksheet_write_string(ws, 1, 0, "序号", NULL);
	worksheet_write_string(ws, 1, 1, "产品\n名称", NULL);
	worksheet_write_string(ws, 1, 2, "被抽样单位", NULL);
	worksheet_write_string(ws, 1, 3, "检验结论", NULL);
	worksheet_write_string(ws, 1, 4, "不合格项目", NULL);
	worksheet_write_number(ws, 2, 0, 1, NULL);
	worksheet_write_string(ws, 2, 1, "电饭锅", NULL);
	worksheet_write_string(ws, 2, 2, "甲公司", NULL);
	worksheet_write_string(ws, 2, 3, "不合格", NULL);
	worksheet_write_string(ws, 2, 4, "*温升、标志", NULL);
	worksheet_write_number(ws, 3, 0, 2, NULL);
	worksheet_write_string(ws, 3, 1, "电饭锅", NULL);
	worksheet_write_string(ws, 3, 2, "乙公司", NULL);
	worksheet_write_string(ws, 3, 3, "合格", NULL);
	worksheet_write_string(ws, 5, 0, "注：排名不分先后", NULL);
	assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
	read_file(path, &t);
	unlink(path);
	assert_int_equal(t.header, 2);
	assert_int_equal(t.rows, 2);
	assert_int_equal(t.failed, 1);
	assert_int_equal(t.items, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_synonyms_unambiguous),
		cmocka_unit_test(test_header),
		cmocka_unit_test(test_rows),
		cmocka_unit_test(test_items_ugly),
		cmocka_unit_test(test_name_norm),
		cmocka_unit_test(test_title_hints),
		cmocka_unit_test(test_fixtures),
		cmocka_unit_test(test_xlsx),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
