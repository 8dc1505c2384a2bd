/*
 * test_sc_import.c - the store suite for the import of published result
 * tables (store/sc_import.h) on ZHILIANG_TEST_DB (SQLite by default,
 * PostgreSQL when pointed at one): producers matched by USCC, by exact
 * normalised name (brackets and spaces folded, a former name), by name
 * within --region when two regions hold the name (else rejected naming both
 * codes), never invented; the announcement and the imported plan; a failed
 * row in state failed with outcome disposal_unknown and its items; the
 * statistics' rollups equal to a raw GROUP BY after the import (sc_check.h);
 * a rejected row without partial leaving written = 0; the same file again
 * skipping the rows it already imported; dry_run writing nothing.
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

#include "db/db.h"
#include "harness.h"
#include "sc_check.h"
#include "store/catalogue.h"
#include "store/orgs.h"
#include "store/sc_import.h"

#define A "914112810713741814"
#define B "91440300192317458F"

static void must(int rc, const struct zl_error *err)
{
	if (rc != ZL_OK)
		fail_msg("rc %d: %s: %s", rc, err->field, err->message);
}

static void ent(struct zl_db *db, const char *uscc, const char *name, const char *region)
{
	static int eid;
	char sql[512];

	snprintf(sql, sizeof(sql),
		 "INSERT INTO enterprises (uscc, eid, name, region, size_class, created_at,"
		 " updated_at) VALUES ('%s', %d, '%s', '%s', 'small', 'x', 'x')",
		 uscc, ++eid, name, region);
	exec_ok(db, sql);
}

static int setup(void **state)
{
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_plan_actor who = {"seed", "", "", "2014-06-01", NULL};
	struct zl_db *db = harness_open_empty(1);

	if (!db)
		return -1;
	if (zl_store_load_orgs(db, &err) != ZL_OK || zl_store_cat_seed(db, &who, NULL, &err)) {
		fprintf(stderr, "cannot set up: %s: %s\n", err.field, err.message);
		zl_db_close(db);
		return -1;
	}
	ent(db, A, "义马甲有限公司", "411281");
	ent(db, B, "郑州（乙）有限公司", "410102");
	ent(db, "X00000000000000001", "同名有限公司", "410102");
	ent(db, "X00000000000000002", "同名有限公司", "410302");
	ent(db, "X00000000000000003", "新名有限公司", "410105");
	exec_ok(db, "INSERT INTO enterprise_former_names (uscc, name, valid_to) VALUES"
		    " ('X00000000000000003', '旧名厂', '')");
	*state = db;
	return 0;
}

static int teardown(void **state)
{
	zl_db_close(*state);
	return 0;
}

/* Write `text` to a temporary file; returns its path (static buffer). */
static const char *file_of(const char *text)
{
	static char path[64];
	int fd;

	snprintf(path, sizeof(path), "/tmp/zl-scimp-XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	return path;
}

/* Import `text` in one transaction, committed when written; returns the result's counts. */
static void run(struct zl_db *db, const char *text, struct zl_sc_import_options *o,
		struct zl_import_result *res, struct zl_sc_import_info *info)
{
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_plan_actor who = {"tester", "410000", "/410000/", "2014-06-01", NULL};
	const char *path = file_of(text);

	o->who = &who;
	o->source = "t.csv";
	zl_import_result_init(res);
	must(zl_db_begin(db, &err), &err);
	must(zl_sc_import(db, path, o, res, info, &err), &err);
	if (res->written)
		must(zl_db_commit(db, &err), &err);
	else
		zl_db_rollback(db);
	unlink(path);
}

static const char TABLE[] =
	"2014年河南省质量技术监督局产品质量监督抽查结果 豫质监〔2014〕7号\n"
	"序号,产品名称,标称生产企业名称,统一社会信用代码,所在地,检验结果,不合格项目,备注\n"
	"1,电饭锅,义马甲有限公司," A ",,合格,,\n"
	"2,电饭锅,郑州(乙) 有限公司（标称）,,410102,不合格,\"温升、*标志\",涉嫌假冒\n"
	"3,电饭锅,旧名厂,,,合格,,\n"
	"4,电饭锅,同名有限公司,,,合格,,\n";

static void test_matching(void **state)
{
	struct zl_db *db = *state;
	struct zl_sc_import_options o = {0};
	struct zl_import_result res;
	struct zl_sc_import_info info;

	/* Row 6: two enterprises bear the name and the row names no region - rejected. */
	run(db, TABLE, &o, &res, &info);
	assert_int_equal(res.rows, 4);
	assert_int_equal(res.rejected, 1);
	assert_int_equal(res.written, 0);
	assert_int_equal(res.rejects[0].row, 6);
	assert_non_null(strstr(res.rejects[0].reason, "2 enterprises bear this name"));
	assert_non_null(strstr(res.rejects[0].reason, "X00000000000000001"));
	assert_non_null(strstr(res.rejects[0].reason, "X00000000000000002"));
	assert_int_equal(harness_query_int(db, "SELECT count(*) FROM spotcheck_announcements"), 0);
	zl_import_result_release(&res);

	/* dry_run with partial: still nothing written. */
	o.partial = 1;
	o.dry_run = 1;
	run(db, TABLE, &o, &res, &info);
	assert_int_equal(res.written, 0);
	assert_int_equal(harness_query_int(db, "SELECT count(*) FROM inspections"), 0);
	zl_import_result_release(&res);

	/* partial: the three matched rows. */
	o.dry_run = 0;
	run(db, TABLE, &o, &res, &info);
	assert_int_equal(res.imported, 3);
	assert_int_equal(res.written, 1);
	assert_string_equal(info.doc_no, "豫质监〔2014〕7号");
	assert_string_equal(info.level, "province");
	assert_int_equal(info.year, 2014);
	zl_import_result_release(&res);
	assert_int_equal(harness_query_int(db,
					   "SELECT count(*) FROM inspections WHERE uscc = '" B
					   "' AND state = 'failed' AND outcome = 'disposal_unknown'"
					   " AND nominal = 1 AND counterfeit = 1 AND nitems = 2"
					   " AND size_class = 'small' AND county = '410102'"),
			 1);
	assert_int_equal(harness_query_int(db, "SELECT count(*) FROM inspection_items WHERE"
					       " verdict = 'fail'"),
			 2);
	assert_int_equal(harness_query_int(db, "SELECT count(*) FROM inspections WHERE"
					       " uscc = 'X00000000000000003' AND state = 'closed'"
					       " AND outcome = 'passed'"),
			 1);
	assert_int_equal(harness_query_int(db, "SELECT count(*) FROM spotcheck_plans WHERE"
					       " origin = 'imported' AND status = 'finished'"
					       " AND year = 2014"),
			 1);
	assert_int_equal(harness_query_int(db, "SELECT count(*) FROM spotcheck_announcements WHERE"
					       " origin = 'imported' AND status = 'draft'"),
			 1);
	sc_check_rollups(db);

	/* Again with the region that tells the two apart: only row 6 is new. */
	o.region = "410300";
	run(db, TABLE, &o, &res, &info);
	assert_int_equal(info.announcement_existed, 1);
	assert_int_equal(res.unchanged, 3);
	assert_int_equal(res.imported, 1);
	assert_int_equal(res.rejected, 0);
	zl_import_result_release(&res);
	assert_int_equal(harness_query_int(db, "SELECT count(*) FROM inspections WHERE"
					       " uscc = 'X00000000000000002'"),
			 1);
	assert_int_equal(harness_query_int(db, "SELECT count(*) FROM spotcheck_announcements"), 1);
	sc_check_rollups(db);

	/* And once more: nothing left to add. */
	run(db, TABLE, &o, &res, &info);
	assert_int_equal(res.unchanged, 4);
	assert_int_equal(res.imported, 0);
	assert_int_equal(res.written, 0);
	zl_import_result_release(&res);
	assert_int_equal(harness_query_int(db, "SELECT count(*) FROM inspections"), 4);
}

static void test_whole_file_errors(void **state)
{
	struct zl_db *db = *state;
	struct zl_sc_import_options o = {0};
	struct zl_import_result res;
	struct zl_sc_import_info info;
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_plan_actor who = {"tester", "", "", "2014-06-01", NULL};
	const char *path = file_of("甲,乙\n1,2\n");

	o.who = &who;
	zl_import_result_init(&res);
	must(zl_db_begin(db, &err), &err);
	assert_int_equal(zl_sc_import(db, path, &o, &res, &info, &err), ZL_EUNPROC);
	assert_string_equal(err.field, "header");
	o.org = "999999";
	assert_int_equal(zl_sc_import(db, path, &o, &res, &info, &err), ZL_EUNPROC);
	assert_string_equal(err.field, "org");
	o.org = NULL;
	o.product = "9999";
	assert_int_equal(zl_sc_import(db, path, &o, &res, &info, &err), ZL_EINVAL);
	assert_string_equal(err.field, "product");
	zl_db_rollback(db);
	zl_import_result_release(&res);
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_matching),
		cmocka_unit_test(test_whole_file_errors),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
