/*
 * test_scstats.c - the store suite for the spot-check statistics
 * (store/scstats.h): one inspection's contribution moved out and in around
 * changes of its counted fields (a failure overturned by the re-test, a
 * cancel, a move to another quarter, an announcement's date), the bulk add
 * of a range, a rebuild, and migration 14 filling the rollups of a
 * database that already held inspections - each time equal to a raw GROUP
 * BY (sc_check.h); the grouped query with its filters, grains, exact
 * enterprise counts and Wilson intervals; the output weights and the
 * manufacturing rate's inputs.  Runs against ZHILIANG_TEST_DB (SQLite by
 * default, PostgreSQL when pointed at one).
 */
#include <setjmp.h>
#include <inttypes.h>
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

static void must(int rc, const struct zl_error *err)
{
	if (rc != ZL_OK)
		fail_msg("rc %d: %s: %s", rc, err->field, err->message);
}

static void plan_row(struct zl_db *db)
{
	exec_ok(db, "INSERT INTO spotcheck_plans (id, title, year, kind, org, gov, level, start_on,"
		    " end_on, created_by, created_at, updated_by, updated_at) VALUES (1, 'p', 2014,"
		    " 'yearly', '410000', '410000', 'province', '2014-01-01', '2014-12-31', 't', 'x',"
		    " 't', 'x')");
}

/* An inspection row as a bulk writer (an import, the demo) inserts it. */
static void ins(struct zl_db *db, int id, const char *county, const char *product,
		const char *uscc, const char *state, const char *conclusion, const char *sampled,
		const char *size, const char *place)
{
	char sql[1024];

	snprintf(sql, sizeof(sql),
		 "INSERT INTO inspections (id, plan_id, product, uscc, enterprise_name, county,"
		 " region, gov, created_by, created_at, updated_by, updated_at, state, conclusion,"
		 " sampled_on, size_class, level, place) VALUES (%d, 1, '%s', '%s', 'E', '%s', '%s',"
		 " '410000', 't', 'x', 't', 'x', '%s', '%s', '%s', '%s', 'province', '%s')",
		 id, product, uscc, county, county, state, conclusion, sampled, size, place);
	exec_ok(db, sql);
}

/* Change inspection `id` by `set` (SQL), with its contribution out and back in. */
static void change(struct zl_db *db, int id, const char *set)
{
	struct zl_error err = ZL_ERROR_INIT;
	char sql[512];

	must(zl_db_begin(db, &err), &err);
	must(zl_store_sc_fact(db, id, -1, &err), &err);
	snprintf(sql, sizeof(sql), "UPDATE inspections SET %s WHERE id = %d", set, id);
	exec_ok(db, sql);
	must(zl_store_sc_fact(db, id, +1, &err), &err);
	must(zl_db_commit(db, &err), &err);
}

static int setup(void **state)
{
	struct zl_db *db = harness_open_empty(1);

	if (db == NULL)
		return -1;
	plan_row(db);
	*state = db;
	return 0;
}

static int teardown(void **state)
{
	zl_db_close(*state);
	return 0;
}

/* Rows 1..8: a small province (ids matter: add_range takes ranges). */
static void seed(struct zl_db *db)
{
	ins(db, 1, "410102", "0101", "A", "closed", "pass", "2014-01-10", "large", "production");
	ins(db, 2, "410105", "0101", "B", "failed", "fail", "2014-02-10", "small", "circulation");
	ins(db, 3, "410102", "0102", "A", "closed", "pass", "2014-08-10", "large", "production");
	ins(db, 4, "410181", "0102", "C", "closed", "pass", "2014-03-31", "small", "ecommerce");
	ins(db, 5, "419001", "0201", "D", "failed", "fail", "2014-05-01", "small", "production");
	ins(db, 6, "410102", "0101", "E", "sampled", "", "2014-05-01", "small", "production");
	ins(db, 7, "410311", "0201", "F", "notified", "fail", "2015-11-01", "medium", "production");
	ins(db, 8, "410311", "0201", "F", "closed", "pass", "2015-12-01", "medium", "production");
}

static void test_bulk_and_rebuild(void **state)
{
	struct zl_db *db = *state;
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_sc_rebuild_info info;

	/* An import that fails after adding its range leaves nothing, and the next works
	 * (the temporary table of facts was rolled back with it). */
	seed(db);
	must(zl_db_begin(db, &err), &err);
	must(zl_store_sc_rollup_add_range(db, 1, 8, &err), &err);
	zl_db_rollback(db);
	assert_int_equal(harness_query_int(db, "SELECT count(*) FROM sc_cells"), 0);
	/* Two ranges, as two import batches would add them. */
	must(zl_store_sc_rollup_add_range(db, 1, 4, &err), &err);
	must(zl_store_sc_rollup_add_range(db, 5, 8, &err), &err);
	must(zl_store_sc_rollup_add_range(db, 9, 8, &err), &err); /* empty: nothing */
	sc_check_equal(db);
	assert_int_equal(harness_query_int(db, "SELECT sum(batches) FROM sc_cells WHERE grain = 1"), 7);
	must(zl_store_sc_rollup_rebuild_info(db, &info, &err), &err);
	assert_int_equal(info.facts, 7);
	assert_true(info.cells > 10);
	sc_check_equal(db);
}

static void test_fact_moves(void **state)
{
	struct zl_db *db = *state;
	struct zl_error err = ZL_ERROR_INIT;

	seed(db);
	must(zl_store_sc_rollup_rebuild(db, &err), &err);
	/* The sampled one gets its report (counted from now on). */
	change(db, 6, "state = 'tested', conclusion = 'fail', nitems = 1");
	sc_check_equal(db);
	/* A re-test overturns failure 2: the final conclusion is the re-test's. */
	change(db, 2, "state = 'closed', conclusion = 'pass', outcome = 'overturned'");
	sc_check_equal(db);
	assert_int_equal(harness_query_int(db, "SELECT failed FROM sc_cells WHERE grain = 2"
					       " AND k = '2014Q1|410105'"),
			 0);
	/* A move to another quarter and county (a corrected sampling record). */
	change(db, 3, "sampled_on = '2014-12-31', county = '410181'");
	sc_check_equal(db);
	/* A deemed failure does not count (no laboratory conclusion). */
	change(db, 4, "deemed = 1, conclusion = 'fail', state = 'failed'");
	sc_check_equal(db);
	/* A cancel (before any result) and an unknown id: nothing to move. */
	ins(db, 9, "410102", "0101", "G", "planned", "", "", "small", "");
	change(db, 9, "state = 'cancelled', outcome = 'cancelled'");
	must(zl_store_sc_fact(db, 999, +1, &err), &err);
	sc_check_equal(db);
	/* No sampling date: the report's, then the announcement's issue date. */
	exec_ok(db, "INSERT INTO spotcheck_announcements (id, org, level, title, origin, issued_on,"
		    " created_by, created_at, updated_by, updated_at) VALUES (1, '410000',"
		    " 'province', 'n', 'imported', '2013-06-30', 't', 'x', 't', 'x')");
	ins(db, 10, "410102", "0101", "H", "failed", "fail", "", "small", "");
	must(zl_store_sc_fact(db, 10, +1, &err), &err);
	change(db, 10, "announcement_id = 1");
	assert_int_equal(harness_query_int(db, "SELECT count(*) FROM sc_cells WHERE grain = 1"
					       " AND quarter = '2013Q2'"),
			 1);
	change(db, 10, "report_on = '2013-10-09'");
	sc_check_equal(db);
	assert_int_equal(harness_query_int(db, "SELECT count(*) FROM sc_cells WHERE grain = 1"
					       " AND quarter = '2013Q4'"),
			 1);
	/* All of it, once more from scratch. */
	sc_check_rollups(db);
	/* A sign other than +1/-1 is a programming error. */
	assert_int_equal(zl_store_sc_fact(db, 1, 2, &err), ZL_EINTERNAL);
}

static void query(struct zl_db *db, struct zl_sc_stats_query *q, struct zl_sc_stats_result *r)
{
	struct zl_error err = ZL_ERROR_INIT;

	must(zl_store_sc_stats(db, q, r, &err), &err);
}

static void test_query(void **state)
{
	struct zl_db *db = *state;
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_sc_stats_query q;
	struct zl_sc_stats_result r;

	seed(db);
	must(zl_store_sc_rollup_rebuild(db, &err), &err);
	/* By city-level unit and quarter: the smallest grain, one cell per group. */
	memset(&q, 0, sizeof(q));
	q.by[0] = ZL_SC_DIM_REGION;
	q.by[1] = ZL_SC_DIM_QUARTER;
	q.nby = 2;
	q.min_batches = 2;
	query(db, &q, &r);
	assert_int_equal(r.grain, 1);
	assert_true(r.enterprises_exact);
	assert_int_equal(r.n, 4); /* 410100 2014Q1, Q3; 410300 2015Q4; 419001 2014Q2 */
	assert_string_equal(r.groups[0].key[0], "410100");
	assert_string_equal(r.groups[0].key[1], "2014Q1");
	assert_int_equal(r.groups[0].c.batches, 3);
	assert_int_equal(r.groups[0].c.failed, 1);
	assert_int_equal(r.groups[0].c.enterprises, 3);
	assert_int_equal(r.groups[0].c.enterprises_failed, 1);
	assert_false(r.groups[0].unreliable);
	assert_true(r.groups[1].unreliable); /* one batch < 2 */
	/* The total: 7 batches, 3 failed, 5 distinct enterprises (A twice, F twice). */
	assert_int_equal(r.total.c.batches, 7);
	assert_int_equal(r.total.c.failed, 3);
	assert_int_equal(r.total.c.enterprises, 5);
	assert_int_equal(r.total.c.enterprises_failed, 3);
	assert_true(r.total.r.ci_low < r.total.r.pass_rate && r.total.r.pass_rate < r.total.r.ci_high);
	zl_sc_stats_result_release(&r);
	/* By year: groups span quarters, enterprises still distinct. */
	q.by[0] = ZL_SC_DIM_YEAR;
	q.nby = 1;
	query(db, &q, &r);
	assert_int_equal(r.n, 2);
	assert_string_equal(r.groups[1].key[0], "2015");
	assert_int_equal(r.groups[1].c.batches, 2);
	assert_int_equal(r.groups[1].c.enterprises, 1); /* F twice */
	assert_int_equal(r.groups[1].c.enterprises_failed, 1);
	assert_true(r.enterprises_exact);
	zl_sc_stats_result_release(&r);
	/* Filters: a county (grain 2), a province, a year, a quarter range, a product family. */
	memset(&q, 0, sizeof(q));
	q.by[0] = ZL_SC_DIM_QUARTER;
	q.nby = 1;
	snprintf(q.region, sizeof(q.region), "410102");
	query(db, &q, &r);
	assert_int_equal(r.grain, 2);
	assert_int_equal(r.total.c.batches, 2);
	assert_int_equal(r.total.c.enterprises, 1);
	zl_sc_stats_result_release(&r);
	snprintf(q.region, sizeof(q.region), "410000");
	q.year = 2014;
	query(db, &q, &r);
	assert_int_equal(r.grain, 1);
	assert_int_equal(r.total.c.batches, 5);
	zl_sc_stats_result_release(&r);
	memset(&q, 0, sizeof(q));
	q.by[0] = ZL_SC_DIM_SIZE;
	q.by[1] = ZL_SC_DIM_PLACE;
	q.nby = 2;
	snprintf(q.from, sizeof(q.from), "2014Q2");
	snprintf(q.to, sizeof(q.to), "2015Q3");
	query(db, &q, &r);
	assert_int_equal(r.grain, 4);
	assert_int_equal(r.total.c.batches, 2); /* 2014Q2 (5) and 2014Q3 (3) */
	zl_sc_stats_result_release(&r);
	memset(&q, 0, sizeof(q));
	q.by[0] = ZL_SC_DIM_PRODUCT;
	q.nby = 1;
	snprintf(q.size, sizeof(q.size), "small");
	query(db, &q, &r);
	assert_int_equal(r.grain, 5); /* product and size: only the finest grain has both */
	assert_int_equal(r.total.c.batches, 3);
	zl_sc_stats_result_release(&r);
	/* A bad query. */
	memset(&q, 0, sizeof(q));
	q.by[0] = ZL_SC_DIM_SIZE;
	q.by[1] = ZL_SC_DIM_SIZE;
	q.nby = 2;
	assert_int_equal(zl_store_sc_stats(db, &q, &r, &err), ZL_EINVAL);
	assert_string_equal(err.field, "by");
	q.nby = 1;
	snprintf(q.region, sizeof(q.region), "41");
	assert_int_equal(zl_store_sc_stats(db, &q, &r, &err), ZL_EINVAL);
	assert_string_equal(err.field, "region");
}

static void test_migration_fills(void **state)
{
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_db *db;
	int applied = 0;

	(void)state;
	db = harness_open_empty(0);
	assert_non_null(db);
	must(zl_store_migrate_to(db, 13, &applied, &err), &err);
	plan_row(db);
	seed(db);
	must(zl_store_migrate(db, &applied, &err), &err);
	assert_true(applied >= 1);
	assert_int_equal(harness_query_int(db, "SELECT sum(batches) FROM sc_cells WHERE grain = 5"), 7);
	sc_check_equal(db);
	zl_db_close(db);
}

static void test_weights(void **state)
{
	struct zl_db *db = *state;
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_sc_output_weight w[3] = {
		{2014, "410100", "36", 800}, {2014, "410300", "33", 500}, {2014, "410100", "36", 1}};
	struct zl_sc_mfg m;
	size_t years = 0;

	assert_int_equal(zl_store_sc_weights_put(db, w, NULL, 3, "t", "x", &years, &err),
			 ZL_ECONFLICT);
	assert_string_equal(err.field, "row 3");
	assert_int_equal(harness_query_int(db, "SELECT count(*) FROM output_weights"), 0);
	must(zl_store_sc_weights_put(db, w, NULL, 2, "t", "x", &years, &err), &err);
	assert_int_equal(years, 1);
	w[0].output = 900;
	must(zl_store_sc_weights_put(db, w, NULL, 1, "t", "x", &years, &err), &err);
	assert_int_equal(harness_query_int(db, "SELECT count(*) FROM output_weights"), 1);
	/* Tested batches of products in division 36 (a family and its product). */
	exec_ok(db, "INSERT INTO catalogue_categories (code, name, risk, created_by, created_at,"
		    " updated_by, updated_at) VALUES ('01', 'f', 1, 't', 'x', 't', 'x')");
	exec_ok(db, "INSERT INTO catalogue_categories (code, parent, name, risk, created_by,"
		    " created_at, updated_by, updated_at) VALUES ('0101', '01', 'p', 1, 't', 'x', 't',"
		    " 'x')");
	exec_ok(db, "INSERT INTO catalogue_industries (code, ord, industry, edition) VALUES"
		    " ('0101', 0, 'C3660', '2017'), ('0101', 1, 'C38', '2017')");
	seed(db);
	must(zl_store_sc_rollup_rebuild(db, &err), &err);
	must(zl_store_sc_manufacturing(db, 2014, "410000", &m, &err), &err);
	/* 410100 / 36: weight 900, 2 tested (ids 1, 2) of product 0101. */
	assert_int_equal(m.n, 1);
	assert_string_equal(m.v[0].region, "410100");
	assert_string_equal(m.v[0].division, "36");
	assert_true(m.v[0].has_weight && m.v[0].output == 900);
	assert_int_equal(m.v[0].batches, 2);
	assert_int_equal(m.v[0].failed, 1);
	zl_sc_mfg_release(&m);
	/* The product family filter takes its products. */
	{
		struct zl_sc_stats_query q;
		struct zl_sc_stats_result r;

		memset(&q, 0, sizeof(q));
		q.by[0] = ZL_SC_DIM_REGION;
		q.nby = 1;
		snprintf(q.product, sizeof(q.product), "01");
		query(db, &q, &r);
		assert_int_equal(r.total.c.batches, 2);
		zl_sc_stats_result_release(&r);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_bulk_and_rebuild, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fact_moves, setup, teardown),
		cmocka_unit_test_setup_teardown(test_query, setup, teardown),
		cmocka_unit_test(test_migration_fills),
		cmocka_unit_test_setup_teardown(test_weights, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
