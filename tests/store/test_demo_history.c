/*
 * test_demo_history.c - the demo's five years of historical spot checks
 * (store/demo_history.c): on a small register, every record is closed, one
 * the lifecycle machine accepts (zl_insp_check), on nobody's task list and
 * with no timer; a 2014 record is exactly what the machine writes when its
 * events are replayed (the calendar starts in 2014, so older ones are
 * checked by the same builder); items, plans and announcements fit the
 * records; a second run changes nothing; the same register gives the same
 * history.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "codes/workdays.h"
#include "core/core.h"
#include "core/rand.h"
#include "db/db.h"
#include "domain/inspection.h"
#include "store/codes.h"
#include "store/demo.h"
#include "store/inspections.h"
#include "store/orgs.h"
#include "store/query.h"

#include "harness.h"

#define TODAY "2026-12-08"
#define PER_MILLE 15 /* some 3,000 records */

static void must(int rc, const struct zl_error *err)
{
	if (rc != ZL_OK)
		fail_msg("rc %d: %s: %s", rc, err->field, err->message);
}

static int setup_db(void **state)
{
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_db *db = harness_open_empty(1);
	struct zl_rng rng;
	int rc;

	if (!db)
		return -1;
	zl_rng_seed_str(&rng, "demo history test");
	rc = zl_store_load_codes(db, &err);
	if (rc == ZL_OK)
		rc = zl_store_load_orgs(db, &err);
	if (rc == ZL_OK)
		rc = zl_store_demo_enterprises(db, &rng, 600, &err);
	if (rc == ZL_OK)
		rc = zl_store_demo_spotchecks(db, TODAY, &err);
	zl_rng_release(&rng);
	if (rc != ZL_OK) {
		fprintf(stderr, "cannot set up: %s: %s\n", err.field, err.message);
		zl_db_close(db);
		return -1;
	}
	*state = db;
	return 0;
}

/* Apply one event of a replay; fails the test when the machine refuses. */
static void replay_step(struct zl_inspection *rec, struct zl_insp_event *ev, const char *event,
			enum zl_insp_role role, const char *date, const struct zl_insp_env *env)
{
	struct zl_error err = ZL_ERROR_INIT;

	assert_int_equal(zl_insp_event_parse(event, &ev->event), ZL_OK);
	ev->role = role;
	ev->date = date;
	if (zl_insp_apply(rec, ev, env, rec, NULL, &err) != ZL_OK)
		fail_msg("replay %s on %s: %s: %s", event, date, err.field, err.message);
}

static int bit(const uint64_t *w, int i)
{
	return (int)((w[i / 64] >> (i % 64)) & 1);
}

/*
 * The record the machine writes for the steps whose dates `want` holds:
 * sampling, report, notify, receive, then close / object and re-test /
 * finalize, order, follow-up / exempt, and the return of the samples.
 */
static void replay(const struct zl_inspection *want, const struct zl_insp_env *env,
		   struct zl_inspection *got)
{
	static const char *const samplers[] = {"甲", "乙"};
	const struct zl_insp_sampling sampling = {"production", "B1", "2014-01-01", "S", "无",
						  2, 2, 1, "封-1", 1};
	struct zl_insp_item items[ZL_INSP_ITEMS_MAX];
	enum zl_insp_verdict verdicts[ZL_INSP_ITEMS_MAX];
	size_t contested[ZL_INSP_ITEMS_MAX], nc = 0;
	char names[ZL_INSP_ITEMS_MAX][24];
	struct zl_insp_event ev;
	struct zl_error err = ZL_ERROR_INIT;

	assert_int_equal(zl_insp_init(got, want->plan_due, &err), ZL_OK);
	memset(&ev, 0, sizeof(ev));
	ev.samplers = samplers;
	ev.nsamplers = 2;
	ev.sampling = &sampling;
	replay_step(got, &ev, "record_sampling", ZL_INSP_ROLE_INSPECTOR, want->sampled_on, env);
	memset(&ev, 0, sizeof(ev));
	for (int i = 0; i < want->nitems; i++) {
		snprintf(names[i], sizeof(names[i]), "项目%d", i);
		items[i] = (struct zl_insp_item){names[i], "1", "≤2", "",
						 bit(want->failed, i) ? ZL_INSP_FAIL : ZL_INSP_PASS};
		if (bit(want->failed, i)) {
			contested[nc] = (size_t)i;
			verdicts[nc++] = bit(want->retest_failed, i) ? ZL_INSP_FAIL : ZL_INSP_PASS;
		}
	}
	ev.doc_no = "R1";
	ev.items = items;
	ev.nitems = (size_t)want->nitems;
	ev.conclusion = nc > 0 ? ZL_INSP_FAIL : ZL_INSP_PASS;
	replay_step(got, &ev, "enter_report", ZL_INSP_ROLE_LAB, want->report_on, env);
	memset(&ev, 0, sizeof(ev));
	replay_step(got, &ev, "notify", ZL_INSP_ROLE_OFFICER, want->notified_on, env);
	replay_step(got, &ev, "receive", ZL_INSP_ROLE_OFFICER, want->received_on, env);
	if (nc == 0) {
		replay_step(got, &ev, "close", ZL_INSP_ROLE_OFFICER, want->closed_on, env);
	} else if (want->objected_on[0]) {
		ev.contested = contested;
		ev.ncontested = nc;
		replay_step(got, &ev, "object", ZL_INSP_ROLE_ENTERPRISE, want->objected_on, env);
		ev.doc_no = "R2";
		ev.verdicts = verdicts;
		replay_step(got, &ev,
			    want->outcome == ZL_INSP_OUTCOME_OVERTURNED ? "retest_overturned"
									: "retest_upheld",
			    ZL_INSP_ROLE_LAB, want->outcome == ZL_INSP_OUTCOME_OVERTURNED
						  ? want->closed_on
						  : want->final_on,
			    env);
	} else {
		replay_step(got, &ev, "finalize", ZL_INSP_ROLE_OFFICER, want->final_on, env);
	}
	memset(&ev, 0, sizeof(ev));
	if (want->order_on[0]) {
		ev.doc_no = "O1";
		ev.received_on = want->order_received_on;
		replay_step(got, &ev, "order_rectification", ZL_INSP_ROLE_OFFICER, want->order_on,
			    env);
		memset(&ev, 0, sizeof(ev));
		replay_step(got, &ev, "apply_follow_up", ZL_INSP_ROLE_ENTERPRISE,
			    want->follow_up_applied_on, env);
		replay_step(got, &ev, "follow_up_passed", ZL_INSP_ROLE_OFFICER, want->follow_up_on,
			    env);
	} else if (want->outcome == ZL_INSP_OUTCOME_EXEMPT) {
		ev.reason = "停产";
		replay_step(got, &ev, "exempt", ZL_INSP_ROLE_OFFICER, want->closed_on, env);
	}
	memset(&ev, 0, sizeof(ev));
	if (want->samples_returned_on[0])
		replay_step(got, &ev, "return_samples", ZL_INSP_ROLE_LAB, want->samples_returned_on,
			    env);
}

struct walk {
	struct zl_insp_env *env;
	int64_t rows, replayed, outcomes[ZL_INSP_OUTCOME_COUNT];
};

static int check_row(void *cls, const struct zl_insp_row *r)
{
	struct walk *k = cls;
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_insp_due due[ZL_INSP_DUES_MAX];
	struct zl_inspection got;
	size_t n = 9;

	k->rows++;
	k->outcomes[r->rec.outcome]++;
	assert_int_equal(r->rec.state, ZL_INSP_CLOSED);
	if (zl_insp_check(&r->rec, &err) != ZL_OK)
		fail_msg("inspection %lld: %s: %s", (long long)r->id, err.field, err.message);
	/* Nothing due and no timer, whatever the calendar says about old dates. */
	if (zl_insp_dues(&r->rec, k->env, 0, due, &n, &err) == ZL_OK)
		assert_int_equal(n, 0);
	if (strcmp(r->rec.sampled_on, "2014-01-01") >= 0) {
		replay(&r->rec, k->env, &got);
		if (memcmp(&got, &r->rec, sizeof(got)) != 0)
			fail_msg("inspection %lld (sampled %s, outcome %s): the machine writes"
				 " another record (state %s, closed %s, last %s)",
				 (long long)r->id, r->rec.sampled_on,
				 zl_insp_outcome_name(r->rec.outcome), zl_insp_state_name(got.state),
				 got.closed_on, got.last_on);
		k->replayed++;
	}
	return ZL_OK;
}

static void test_history(void **state)
{
	struct zl_db *db = *state;
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_demo_history h, again;
	struct zl_workdays wd;
	struct zl_insp_env env = {&wd, TODAY, NULL};
	struct zl_insp_filter f;
	struct zl_insp_timer_stats ts;
	struct walk k;
	int64_t total = 0;

	must(zl_workdays_init(&wd, &err), &err);
	must(zl_store_demo_history(db, PER_MILLE, &h, &err), &err);
	assert_true(h.inspections > 2500);
	assert_true(h.failed > 0 && h.failed < h.inspections / 4);
	assert_int_equal(h.last_id - h.first_id + 1, h.inspections);
	assert_int_equal(harness_query_int(db, "SELECT count(*) FROM inspections"), h.inspections);
	assert_int_equal(harness_query_int(db, "SELECT count(*) FROM inspections WHERE state <>"
					       " 'closed' OR announcement_id IS NULL OR level = ''"
					       " OR size_class = ''"),
			 0);
	/* Each failing item stored where the failed set says, and only those. */
	assert_int_equal(harness_query_int(db, "SELECT count(*) FROM inspection_items t JOIN"
					       " inspections i ON i.id = t.inspection_id WHERE"
					       " t.verdict <> 'fail' OR t.ord >= i.nitems"
					       " OR i.failed_items = ''"),
			 0);
	assert_true(harness_query_int(db, "SELECT count(*) FROM inspection_items") >= h.failed);
	/* An enterprise is inspected for products of its industry only. */
	assert_int_equal(harness_query_int(db,
					   "SELECT count(*) FROM inspections i JOIN enterprises e ON"
					   " e.uscc = i.uscc WHERE NOT EXISTS (SELECT 1 FROM"
					   " catalogue_industries c WHERE c.code = i.product AND"
					   " substr(c.industry, 2, 2) = substr(e.industry, 1, 2))"),
			 0);
	/* Finished plans, published announcements, one per authority and quarter. */
	assert_int_equal(harness_query_int(db, "SELECT count(*) FROM spotcheck_plans p WHERE"
					       " EXISTS (SELECT 1 FROM inspections i WHERE i.plan_id"
					       " = p.id) AND p.status <> 'finished'"),
			 0);
	assert_int_equal(harness_query_int(db, "SELECT count(*) FROM spotcheck_announcements"
					       " WHERE status <> 'published' OR origin <> 'own'"),
			 0);
	assert_int_equal(harness_query_int(db, "SELECT count(*) FROM (SELECT org, issued_on FROM"
					       " spotcheck_announcements GROUP BY org, issued_on"
					       " HAVING count(*) > 1) x"),
			 0);
	/* Quotas add up to the inspections. */
	assert_int_equal(harness_query_int(db, "SELECT sum(batches) FROM spotcheck_plan_quotas q"
					       " JOIN spotcheck_plans p ON p.id = q.plan_id"
					       " WHERE p.status = 'finished'"),
			 h.inspections);

	/* Every record: closed, valid, nothing due, the machine's own for 2014. */
	memset(&f, 0, sizeof(f));
	f.path = "/";
	memset(&k, 0, sizeof(k));
	k.env = &env;
	must(zl_store_insp_list(db, &f, check_row, &k, &total, &err), &err);
	assert_int_equal(k.rows, h.inspections);
	assert_true(k.replayed > 300);
	assert_true(k.outcomes[ZL_INSP_OUTCOME_PASSED] > 0 &&
		    k.outcomes[ZL_INSP_OUTCOME_RECTIFIED] > 0);
	/* The task lists and the timers never read them. */
	f.may_be_due = 1;
	must(zl_store_insp_list(db, &f, NULL, NULL, &total, &err), &err);
	assert_int_equal(total, 0);
	memset(&ts, 0, sizeof(ts));
	must(zl_store_insp_fire_timers(db, TODAY, &ts, NULL, NULL, &err), &err);
	assert_int_equal(ts.inspections, 0);
	assert_int_equal(ts.fired, 0);

	/* Again: nothing. */
	must(zl_store_demo_history(db, PER_MILLE, &again, &err), &err);
	assert_int_equal(again.inspections, 0);
	assert_int_equal(harness_query_int(db, "SELECT count(*) FROM inspections"), h.inspections);
}

/* The figures' shape: small firms fail more than large ones, cables more than rebar. */
static void test_rates(void **state)
{
	struct zl_db *db = *state;
	struct zl_error err = ZL_ERROR_INIT;

	must(zl_store_demo_history(db, 60, NULL, &err), &err);
	assert_true(harness_query_int(db, "SELECT 1000 * sum(CASE WHEN conclusion = 'pass' THEN 1 ELSE 0 END) / count(*) FROM"
					  " inspections") > 870);
	assert_true(harness_query_int(db, "SELECT 1000 * sum(CASE WHEN conclusion = 'pass' THEN 1 ELSE 0 END) / count(*) FROM"
					  " inspections") < 940);
	assert_true(harness_query_int(db, "SELECT 1000 * sum(CASE WHEN conclusion = 'pass' THEN 1 ELSE 0 END) / count(*) FROM"
					  " inspections WHERE size_class = 'large'") >
		    harness_query_int(db, "SELECT 1000 * sum(CASE WHEN conclusion = 'pass' THEN 1 ELSE 0 END) / count(*) FROM"
					  " inspections WHERE size_class IN ('small', 'micro')"));
	assert_true(harness_query_int(db, "SELECT 1000 * sum(CASE WHEN conclusion = 'pass' THEN 1 ELSE 0 END) / count(*) FROM"
					  " inspections WHERE product = '0901'") >
		    harness_query_int(db, "SELECT 1000 * sum(CASE WHEN conclusion = 'pass' THEN 1 ELSE 0 END) / count(*) FROM"
					  " inspections WHERE product LIKE '08%'"));
	assert_true(harness_query_int(db, "SELECT count(*) FROM inspections WHERE level ="
					  " 'province'") >
		    harness_query_int(db, "SELECT count(*) FROM inspections WHERE level <>"
					  " 'province'"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_history, setup_db, teardown_db),
		cmocka_unit_test_setup_teardown(test_rates, setup_db, teardown_db),
	};

	zl_core_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
