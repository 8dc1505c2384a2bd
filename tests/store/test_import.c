/*
 * test_import.c - the enterprise import engine (store/import.h) against a
 * real database: an xlsx workbook written here with libxlsxwriter (title
 * row, shared strings, a date cell, a number, an unmapped column, a
 * footer note) is imported and read back; a bad row makes the engine
 * report it and leave written = 0 (the caller's rollback then leaves the
 * register as it was); partial writes the good rows; re-import changes
 * nothing; the progress callback reaches the whole file.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <xlsxwriter.h>

#include "db/db.h"
#include "store/enterprises.h"
#include "store/import.h"

#include "harness.h"

static char book[64];

static int setup_db(void **state)
{
	struct zl_db *db = harness_open_empty(1);

	if (!db)
		return -1;
	*state = db;
	return 0;
}

/* bad: 0 all good; 1 with a bad code in row 5 */
static void make_book(int bad)
{
	lxw_workbook *wb;
	lxw_worksheet *ws;
	lxw_format *date;
	lxw_datetime dt = {2016, 9, 17, 0, 0, 0};
	int fd;

	snprintf(book, sizeof(book), "/tmp/zl_import_XXXXXX");
	fd = mkstemp(book);
	assert_true(fd >= 0);
	close(fd);
	wb = workbook_new(book);
	assert_non_null(wb);
	ws = workbook_add_worksheet(wb, NULL);
	date = workbook_add_format(wb);
	format_set_num_format_index(date, 14);
	worksheet_write_string(ws, 0, 0, "河南省企业名录（2014）", NULL);
	worksheet_write_string(ws, 1, 0, "统一社会\n信用代码", NULL);
	worksheet_write_string(ws, 1, 1, "企业（单位）名称", NULL);
	worksheet_write_string(ws, 1, 2, "成立日期", NULL);
	worksheet_write_string(ws, 1, 3, "注册资本（万元）", NULL);
	worksheet_write_string(ws, 1, 4, "所在地区", NULL);
	worksheet_write_string(ws, 1, 5, "联系电话", NULL);
	worksheet_write_string(ws, 2, 0, "914112810713741814", NULL);
	worksheet_write_string(ws, 2, 1, "义马甲有限公司", NULL);
	worksheet_write_datetime(ws, 2, 2, &dt, date);
	worksheet_write_number(ws, 2, 3, 500, NULL);
	worksheet_write_string(ws, 2, 4, "义马市", NULL);
	worksheet_write_string(ws, 3, 0, "91440300192317458F", NULL);
	worksheet_write_string(ws, 3, 1, "郑州乙有限公司", NULL);
	worksheet_write_string(ws, 3, 4, "410102", NULL);
	worksheet_write_string(ws, 4, 0, bad ? "91110000600037341N" : "91440606722473344C", NULL);
	worksheet_write_string(ws, 4, 1, "佛山丙有限公司", NULL);
	worksheet_write_string(ws, 4, 4, "郑州市", NULL);
	worksheet_write_string(ws, 6, 0, "注：排名不分先后", NULL);
	assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
}

struct prog {
	uint64_t calls, rows, done, total;
};

static void on_progress(void *cls, uint64_t rows, uint64_t done, uint64_t total)
{
	struct prog *p = cls;
	p->calls++;
	p->rows = rows;
	p->done = done;
	p->total = total;
}

static int run(struct zl_db *db, int partial, struct zl_import_result *res, struct prog *p)
{
	struct zl_import_options opt = {0};
	struct zl_error e = ZL_ERROR_INIT;
	int rc;

	opt.partial = partial;
	opt.actor = "import:test";
	opt.progress = on_progress;
	opt.progress_cls = p;
	zl_import_result_init(res);
	assert_int_equal(zl_db_begin(db, &e), ZL_OK);
	rc = zl_import_enterprises(db, book, &opt, res, &e);
	if (rc == ZL_OK && res->written)
		assert_int_equal(zl_db_commit(db, &e), ZL_OK);
	else
		zl_db_rollback(db);
	return rc;
}

static void test_xlsx_import(void **state)
{
	struct zl_db *db = *state;
	struct zl_import_result res;
	struct zl_enterprise e;
	struct zl_error err = ZL_ERROR_INIT;
	struct prog p = {0};

	make_book(0);
	assert_int_equal(run(db, 0, &res, &p), ZL_OK);
	assert_int_equal(res.format, ZL_TABLE_XLSX);
	assert_int_equal(res.header_row, 2);
	assert_int_equal(res.rows, 3);
	assert_int_equal(res.imported, 3);
	assert_int_equal(res.rejected, 0);
	assert_int_equal(res.written, 1);
	assert_int_equal(res.nunmapped, 1);
	assert_string_equal(res.unmapped[0], "F (联系电话)");
	assert_true(p.calls >= 1);
	assert_int_equal(p.rows, 3);
	assert_true(p.total > 0 && p.done == p.total);
	zl_import_result_release(&res);

	assert_int_equal(zl_store_enterprise_get(db, "914112810713741814", &e, &err), ZL_OK);
	assert_string_equal(e.name, "义马甲有限公司");
	assert_string_equal(e.founded, "2016-09-17");
	assert_string_equal(e.registered_capital, "500");
	assert_string_equal(e.region, "411281");
	assert_int_equal(zl_store_enterprise_get(db, "91440606722473344C", &e, &err), ZL_OK);
	assert_string_equal(e.region, "410100");

	/* The same file again: nothing changes. */
	assert_int_equal(run(db, 0, &res, &p), ZL_OK);
	assert_int_equal(res.imported, 0);
	assert_int_equal(res.updated, 0);
	assert_int_equal(res.unchanged, 3);
	zl_import_result_release(&res);
	unlink(book);
}

static void test_bad_row(void **state)
{
	struct zl_db *db = *state;
	struct zl_import_result res;
	struct zl_enterprise e;
	struct zl_error err = ZL_ERROR_INIT;
	struct prog p = {0};

	make_book(1);
	assert_int_equal(run(db, 0, &res, &p), ZL_OK);
	assert_int_equal(res.rejected, 1);
	assert_int_equal(res.written, 0);
	assert_int_equal(res.imported, 0);
	assert_int_equal(res.nrejects, 1);
	assert_int_equal(res.rejects[0].row, 5);
	assert_string_equal(res.rejects[0].column, "A (统一社会\n信用代码)");
	assert_string_equal(res.rejects[0].value, "91110000600037341N");
	zl_import_result_release(&res);
	/* Rolled back: the good rows before the bad one are not there. */
	assert_int_equal(zl_store_enterprise_get(db, "914112810713741814", &e, &err), ZL_ENOTFOUND);

	assert_int_equal(run(db, 1, &res, &p), ZL_OK);
	assert_int_equal(res.rejected, 1);
	assert_int_equal(res.written, 1);
	assert_int_equal(res.imported, 2);
	zl_import_result_release(&res);
	assert_int_equal(zl_store_enterprise_get(db, "914112810713741814", &e, &err), ZL_OK);
	unlink(book);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_xlsx_import, setup_db, teardown_db),
		cmocka_unit_test_setup_teardown(test_bad_row, setup_db, teardown_db),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
