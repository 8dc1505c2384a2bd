/*
 * test_announcements.c - the store suite for result announcements
 * (store/announcements.h): a draft takes only final results (closed with
 * a conclusion, failed and later), one announcement per inspection unless
 * the other was withdrawn; submission; the four-eyes rule; the
 * completeness check naming inspection and field and changing nothing;
 * publication; the public results only of published announcements with
 * their filters (region and product subtrees, year, result, q), exact
 * totals and cursor; withdrawal.  The inspections are written as rows
 * here (the lifecycle has its own suite).  Runs against ZHILIANG_TEST_DB
 * (SQLite by default, PostgreSQL when pointed at one).
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

#include "core/core.h"
#include "db/db.h"
#include "store/announcements.h"
#include "store/catalogue.h"
#include "store/migrate.h"
#include "store/orgs.h"

#include "harness.h"

static void must(int rc, const struct zl_error *err)
{
	if (rc != ZL_OK)
		fail_msg("rc %d: %s: %s", rc, err->field, err->message);
}

static struct zl_plan_actor actor(const char *user, const char *org)
{
	struct zl_plan_actor a = {user, org, "", "2014-12-01", "2014-12-01T02:00:00Z"};

	return a;
}

/*
 * An inspection row: id, state, conclusion, region (county), product,
 * batch; a failure gets one failed item unless `items` is 0.
 */
static void add_insp(struct zl_db *db, int id, const char *state, const char *conclusion,
		     const char *county, const char *product, const char *batch, int items)
{
	char sql[1024];

	snprintf(sql, sizeof(sql),
		 "INSERT INTO inspections (id, plan_id, product, uscc, enterprise_name, county,"
		 " region, gov, created_by, created_at, updated_by, updated_at, state, conclusion,"
		 " batch, level) VALUES (%d, 1, '%s', '91410100MA0000000%d', '测试企业%d', '%s',"
		 " '%.4s00', '410000', 't', 't', 't', 't', '%s', '%s', '%s', 'province')",
		 id, product, id % 10, id, county, county, state, conclusion, batch);
	exec_ok(db, sql);
	if (items && strcmp(conclusion, "fail") == 0) {
		snprintf(sql, sizeof(sql),
			 "INSERT INTO inspection_items (inspection_id, ord, name, measured,"
			 " limit_text, verdict) VALUES (%d, 1, '3d抗压强度', '15', '≥17', 'fail'),"
			 " (%d, 2, '细度', '1', '≤10', 'pass')",
			 id, id);
		exec_ok(db, sql);
	}
}

static int setup_db(void **state)
{
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_plan_actor who = actor("seed", "");
	struct zl_db *db = harness_open_empty(1);

	if (!db)
		return -1;
	if (zl_store_load_orgs(db, &err) != ZL_OK || zl_store_cat_seed(db, &who, NULL, &err)) {
		fprintf(stderr, "cannot set up: %s: %s\n", err.field, err.message);
		zl_db_close(db);
		return -1;
	}
	exec_ok(db, "INSERT INTO spotcheck_plans (id, title, year, kind, org, gov, level, start_on,"
		    " end_on, status, created_by, created_at, updated_by, updated_at) VALUES"
		    " (1, '测试计划', 2014, 'yearly', '410000-D006', '410000', 'province',"
		    " '2014-01-01', '2014-12-31', 'in_progress', 't', 't', 't', 't')");
	add_insp(db, 1, "rectifying", "fail", "410183", "0401", "B-1", 1);
	add_insp(db, 2, "closed", "pass", "410103", "0401", "B-2", 0);
	add_insp(db, 3, "retest", "fail", "410103", "0401", "B-3", 1);
	add_insp(db, 4, "failed", "fail", "410183", "0401", "", 1); /* no batch */
	add_insp(db, 5, "failed", "fail", "410305", "0401", "B-5", 0); /* no failing item */
	add_insp(db, 6, "closed", "", "410103", "0401", "", 0);	    /* cancelled-like: no verdict */
	add_insp(db, 7, "announced", "fail", "410302", "0101", "B-7", 1);
	*state = db;
	return 0;
}

static int64_t create(struct zl_db *db, const char *org, const char *user)
{
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_plan_actor who = actor(user, org);
	struct zl_ann_new n = {org, "city", "测试公告 & <结果>", "测〔2014〕1号", "2014-12-01", ""};
	int64_t id = 0;

	must(zl_store_ann_create(db, &n, &who, &id, &err), &err);
	assert_true(id > 0);
	return id;
}

static void test_checks(void **state)
{
	struct zl_db *db = *state;
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_plan_actor who = actor("a", "410100");
	struct zl_ann_new n = {"410100", "town", "t", "", "", ""};
	int64_t id = 0;

	assert_int_equal(zl_store_ann_create(db, &n, &who, &id, &err), ZL_EUNPROC);
	assert_string_equal(err.field, "level");
	n.level = "city";
	n.issued_on = "2014-02-30";
	zl_error_clear(&err);
	assert_int_equal(zl_store_ann_create(db, &n, &who, &id, &err), ZL_EUNPROC);
	assert_string_equal(err.field, "issued_on");
	n.issued_on = "";
	n.org = "999999";
	zl_error_clear(&err);
	assert_int_equal(zl_store_ann_create(db, &n, &who, &id, &err), ZL_EUNPROC);
	assert_string_equal(err.field, "org");
	n.org = "410100";
	n.title = "";
	zl_error_clear(&err);
	assert_int_equal(zl_store_ann_create(db, &n, &who, &id, &err), ZL_EUNPROC);
	assert_string_equal(err.field, "title");
	assert_int_equal(harness_query_int(db, "SELECT count(*) FROM spotcheck_announcements"), 0);
}

static void test_lifecycle(void **state)
{
	struct zl_db *db = *state;
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_plan_actor drafter = actor("zz.a", "410100"), approver = actor("zz.b", "410100");
	struct zl_ann_set s;
	int64_t id = create(db, "410100", "zz.a"), other, total = -1;

	/* Only final results. */
	assert_int_equal(zl_store_ann_add(db, id, 3, &drafter, &err), ZL_EUNPROC);
	assert_string_equal(err.field, "inspection");
	zl_error_clear(&err);
	assert_int_equal(zl_store_ann_add(db, id, 6, &drafter, &err), ZL_EUNPROC);
	zl_error_clear(&err);
	assert_int_equal(zl_store_ann_add(db, id, 99, &drafter, &err), ZL_ENOTFOUND);
	zl_error_clear(&err);
	must(zl_store_ann_add(db, id, 1, &drafter, &err), &err);
	must(zl_store_ann_add(db, id, 2, &drafter, &err), &err);
	must(zl_store_ann_add(db, id, 2, &drafter, &err), &err); /* again: no-op */
	must(zl_store_ann_add(db, id, 4, &drafter, &err), &err);
	/* One announcement per inspection. */
	other = create(db, "410100", "zz.a");
	assert_int_equal(zl_store_ann_add(db, other, 1, &drafter, &err), ZL_ECONFLICT);
	zl_error_clear(&err);
	/* Approval needs a submission; an empty draft is not submitted. */
	assert_int_equal(zl_store_ann_approve(db, id, &approver, &err), ZL_ECONFLICT);
	zl_error_clear(&err);
	assert_int_equal(zl_store_ann_submit(db, other, &drafter, &err), ZL_EUNPROC);
	zl_error_clear(&err);
	must(zl_store_ann_submit(db, id, &drafter, &err), &err);
	/* Submitted: frozen. */
	assert_int_equal(zl_store_ann_add(db, id, 7, &drafter, &err), ZL_ECONFLICT);
	zl_error_clear(&err);
	/* Four eyes. */
	assert_int_equal(zl_store_ann_approve(db, id, &drafter, &err), ZL_EFORBIDDEN);
	zl_error_clear(&err);
	/* Completeness: inspection 4 has no batch; nothing changes. */
	assert_int_equal(zl_store_ann_approve(db, id, &approver, &err), ZL_EUNPROC);
	assert_string_equal(err.field, "results[4].batch");
	assert_non_null(strstr(err.message, "inspection 4"));
	zl_error_clear(&err);
	zl_ann_set_init(&s);
	must(zl_store_ann_get(db, id, &s, &err), &err);
	assert_string_equal(s.v[0].status, "draft");
	assert_string_equal(s.v[0].approved_by, "");
	assert_int_equal(s.v[0].results, 3);
	assert_int_equal(s.v[0].failed, 2);
	zl_ann_set_release(&s);
	/* Withdraw the submission, take 4 out, submit, approve. */
	must(zl_store_ann_withdraw(db, id, NULL, &drafter, &err), &err);
	must(zl_store_ann_remove(db, id, 4, &drafter, &err), &err);
	assert_int_equal(zl_store_ann_remove(db, id, 4, &drafter, &err), ZL_ENOTFOUND);
	zl_error_clear(&err);
	{
		struct zl_ann_result_filter f = {0};

		f.public_only = 1;
		must(zl_store_ann_results(db, &f, NULL, NULL, &total, &err), &err);
		assert_int_equal(total, 0); /* a draft is not public */
	}
	must(zl_store_ann_submit(db, id, &drafter, &err), &err);
	must(zl_store_ann_approve(db, id, &approver, &err), &err);
	zl_ann_set_init(&s);
	must(zl_store_ann_get(db, id, &s, &err), &err);
	assert_string_equal(s.v[0].status, "published");
	assert_string_equal(s.v[0].approved_by, "zz.b");
	assert_string_equal(s.v[0].published_at, "2014-12-01T02:00:00Z");
	zl_ann_set_release(&s);
	/* Published: withdrawing needs a reason; then it leaves the public view. */
	assert_int_equal(zl_store_ann_withdraw(db, id, "", &drafter, &err), ZL_EUNPROC);
	assert_string_equal(err.field, "reason");
	zl_error_clear(&err);
	must(zl_store_ann_withdraw(db, id, "更正", &drafter, &err), &err);
	assert_int_equal(zl_store_ann_withdraw(db, id, "again", &drafter, &err), ZL_ECONFLICT);
	zl_error_clear(&err);
	/* A withdrawn announcement's result may go into a new one. */
	must(zl_store_ann_add(db, other, 1, &drafter, &err), &err);
}

struct seen {
	int64_t ids[16];
	size_t n;
	char items[256];
};

static int collect(void *cls, const struct zl_ann_result *r)
{
	struct seen *s = cls;

	if (s->n < 16)
		s->ids[s->n++] = r->inspection_id;
	if (r->inspection_id == 1)
		snprintf(s->items, sizeof(s->items), "%s", r->failing_items);
	return ZL_OK;
}

static void publish(struct zl_db *db, const char *org, const int64_t *insp, size_t n)
{
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_plan_actor a = actor("x.a", org), b = actor("x.b", org);
	int64_t id = create(db, org, "x.a");

	for (size_t i = 0; i < n; i++)
		must(zl_store_ann_add(db, id, insp[i], &a, &err), &err);
	must(zl_store_ann_submit(db, id, &a, &err), &err);
	must(zl_store_ann_approve(db, id, &b, &err), &err);
}

static void test_public(void **state)
{
	struct zl_db *db = *state;
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_ann_result_filter f;
	struct seen s;
	int64_t total = -1;
	const int64_t zz[] = {1, 2}, ly[] = {7};
	struct zl_plan_actor a = actor("x.a", "410300");
	int64_t draft;

	publish(db, "410100", zz, 2);
	publish(db, "410300", ly, 1);
	/* A draft of 洛阳 with inspection 5: never public. */
	draft = create(db, "410300", "x.a");
	must(zl_store_ann_add(db, draft, 5, &a, &err), &err);

	memset(&f, 0, sizeof(f));
	memset(&s, 0, sizeof(s));
	f.public_only = 1;
	must(zl_store_ann_results(db, &f, collect, &s, &total, &err), &err);
	assert_int_equal(total, 3);
	assert_int_equal(s.n, 3);
	assert_int_equal(s.ids[0], 7); /* id descending */
	assert_int_equal(s.ids[2], 1);
	assert_string_equal(s.items, "3d抗压强度"); /* the passed item is not listed */

	/* Region subtree: 郑州 (4101..) holds 1 and 2. */
	memset(&s, 0, sizeof(s));
	f.region = "410100";
	must(zl_store_ann_results(db, &f, collect, &s, &total, &err), &err);
	assert_int_equal(total, 2);
	f.region = "410183";
	must(zl_store_ann_results(db, &f, NULL, NULL, &total, &err), &err);
	assert_int_equal(total, 1);
	f.region = NULL;
	/* Product subtree: 01 holds 7 only. */
	f.product = "01";
	must(zl_store_ann_results(db, &f, NULL, NULL, &total, &err), &err);
	assert_int_equal(total, 1);
	f.product = NULL;
	f.result = "pass";
	must(zl_store_ann_results(db, &f, NULL, NULL, &total, &err), &err);
	assert_int_equal(total, 1);
	f.result = NULL;
	f.year = 2014;
	must(zl_store_ann_results(db, &f, NULL, NULL, &total, &err), &err);
	assert_int_equal(total, 3);
	f.year = 2013;
	must(zl_store_ann_results(db, &f, NULL, NULL, &total, &err), &err);
	assert_int_equal(total, 0);
	f.year = 0;
	/* q: an enterprise name fragment; LIKE wildcards are literal. */
	f.q = "测试企业7";
	must(zl_store_ann_results(db, &f, NULL, NULL, &total, &err), &err);
	assert_int_equal(total, 1);
	f.q = "%";
	must(zl_store_ann_results(db, &f, NULL, NULL, &total, &err), &err);
	assert_int_equal(total, 0);
	f.q = NULL;
	/* Cursor: below id 7, a page of one; the total ignores the cursor. */
	memset(&s, 0, sizeof(s));
	f.before = 7;
	f.limit = 1;
	must(zl_store_ann_results(db, &f, collect, &s, &total, &err), &err);
	assert_int_equal(total, 3);
	assert_int_equal(s.n, 1);
	assert_int_equal(s.ids[0], 2);

	/* The public list of announcements: the two published ones. */
	{
		struct zl_ann_filter af = {0};

		af.public_only = 1;
		must(zl_store_ann_list(db, &af, NULL, NULL, &total, &err), &err);
		assert_int_equal(total, 2);
		af.public_only = 0;
		af.path = "/410000/410300/";
		must(zl_store_ann_list(db, &af, NULL, NULL, &total, &err), &err);
		assert_int_equal(total, 2); /* 洛阳's published one and its draft */
		af.status = "draft";
		must(zl_store_ann_list(db, &af, NULL, NULL, &total, &err), &err);
		assert_int_equal(total, 1);
		af.status = NULL;
		af.q = "<结果>";
		must(zl_store_ann_list(db, &af, NULL, NULL, &total, &err), &err);
		assert_int_equal(total, 2);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_checks, setup_db, teardown_db),
		cmocka_unit_test_setup_teardown(test_lifecycle, setup_db, teardown_db),
		cmocka_unit_test_setup_teardown(test_public, setup_db, teardown_db),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
