/*
 * test_plan_light.c - the traffic light of a plan task (domain/plan_light.h):
 * each red and yellow cause alone, the due-soon flags, completion, the
 * hysteresis from red through yellow to green, indicators in both
 * directions, and the refusals naming the field.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <limits.h>
#include <string.h>

#include "domain/plan_light.h"

/* A task of 2014: start 2014-07-18 (the plan's date), deadline 2014-12-31 (166 days). */
static struct zl_light_input task(const char *today, int progress, const char *last_report)
{
	struct zl_light_input in = {0};

	in.today = today;
	in.start = "2014-07-18";
	in.deadline = "2014-12-31";
	in.progress = progress;
	in.last_report = last_report;
	return in;
}

static struct zl_light_result eval(const struct zl_light_input *in)
{
	struct zl_light_result out;
	struct zl_error err = ZL_ERROR_INIT;

	assert_int_equal(zl_plan_light(in, &out, &err), ZL_OK);
	return out;
}

static void test_green_on_schedule(void **state)
{
	struct zl_light_input in = task("2014-09-30", 40, "2014-09-25");
	struct zl_light_result r;

	(void)state;
	r = eval(&in);
	assert_int_equal(r.light, ZL_LIGHT_GREEN);
	assert_int_equal(r.reasons, 0);
	/* 74 of 166 days: 44% expected. */
	assert_int_equal(r.expected, 44);
	assert_int_equal(r.days_left, 92);
	assert_string_equal(r.cleared, "");
}

static void test_yellow_behind(void **state)
{
	struct zl_light_input in = task("2014-09-30", 24, "2014-09-25");
	struct zl_light_result r;

	(void)state;
	/* 44 - 24 = 20 points: not more than the tolerance. */
	r = eval(&in);
	assert_int_equal(r.light, ZL_LIGHT_GREEN);
	in.progress = 23;
	r = eval(&in);
	assert_int_equal(r.light, ZL_LIGHT_YELLOW);
	assert_int_equal(r.reasons, ZL_LIGHT_BEHIND);
}

static void test_yellow_no_report(void **state)
{
	struct zl_light_input in = task("2014-09-01", 50, "2014-07-25");
	struct zl_light_result r;

	(void)state;
	/* 38 days since the report: within 30 + 7?  No: 38 > 37. */
	r = eval(&in);
	assert_int_equal(r.light, ZL_LIGHT_YELLOW);
	assert_int_equal(r.reasons, ZL_LIGHT_NO_REPORT);
	in.today = "2014-08-31"; /* 37 days */
	r = eval(&in);
	assert_int_equal(r.light, ZL_LIGHT_GREEN);
	/* No report at all: counted from the start (2014-07-18 + 37 = 08-24). */
	in.last_report = NULL;
	in.progress = -1;
	in.today = "2014-08-24";
	r = eval(&in);
	assert_false(r.reasons & ZL_LIGHT_NO_REPORT);
	in.today = "2014-08-25";
	r = eval(&in);
	assert_true(r.reasons & ZL_LIGHT_NO_REPORT);
	/* Before the start nothing is due. */
	in.today = "2014-07-01";
	r = eval(&in);
	assert_int_equal(r.light, ZL_LIGHT_GREEN);
	assert_int_equal(r.expected, 0);
}

static void test_red_overdue_and_due_soon(void **state)
{
	struct zl_light_input in = task("2014-12-20", 95, "2014-12-15");
	struct zl_light_result r;

	(void)state;
	r = eval(&in);
	assert_int_equal(r.light, ZL_LIGHT_GREEN);
	assert_int_equal(r.reasons, ZL_LIGHT_DUE_SOON);
	assert_int_equal(r.days_left, 11);
	in.today = "2014-12-31"; /* the deadline itself is still in time */
	assert_int_equal(eval(&in).light, ZL_LIGHT_GREEN);
	in.today = "2015-01-01";
	r = eval(&in);
	assert_int_equal(r.light, ZL_LIGHT_RED);
	assert_true(r.reasons & ZL_LIGHT_OVERDUE);
	assert_int_equal(r.days_left, -1);
	assert_int_equal(r.expected, 100);
}

static void test_milestones(void **state)
{
	struct zl_light_milestone ms[2] = {{"2014-09-30", ""}, {"2014-11-30", NULL}};
	struct zl_light_input in = task("2014-09-20", 40, "2014-09-18");
	struct zl_light_result r;

	(void)state;
	in.milestones = ms;
	in.nmilestones = 2;
	r = eval(&in);
	assert_int_equal(r.light, ZL_LIGHT_GREEN);
	assert_int_equal(r.reasons, ZL_LIGHT_MILESTONE_DUE_SOON);
	in.today = "2014-10-01";
	r = eval(&in);
	assert_int_equal(r.light, ZL_LIGHT_RED);
	assert_true(r.reasons & ZL_LIGHT_MILESTONE_OVERDUE);
	ms[0].done_on = "2014-10-01";
	r = eval(&in);
	assert_int_equal(r.light, ZL_LIGHT_GREEN);
}

static void test_done(void **state)
{
	struct zl_light_input in = task("2015-03-01", 100, "2014-12-01");
	struct zl_light_result r;

	(void)state;
	in.completed = 1;
	in.prev = ZL_LIGHT_RED;
	r = eval(&in);
	assert_int_equal(r.light, ZL_LIGHT_DONE);
	assert_int_equal(r.reasons, 0);
	assert_string_equal(r.cleared, "");
}

/* Red -> (gap closed) yellow "recovering" -> (a later report, on track) green. */
static void test_hysteresis(void **state)
{
	struct zl_light_milestone ms[1] = {{"2014-09-30", ""}};
	struct zl_light_input in = task("2014-10-05", 50, "2014-09-28");
	struct zl_light_result r;
	char cleared[16];

	(void)state;
	in.milestones = ms;
	in.nmilestones = 1;
	r = eval(&in);
	assert_int_equal(r.light, ZL_LIGHT_RED);

	/* The milestone is done on 10-08: the gap is closed, but not green yet. */
	ms[0].done_on = "2014-10-08";
	in.today = "2014-10-08";
	in.last_report = "2014-10-08";
	in.prev = ZL_LIGHT_RED;
	r = eval(&in);
	assert_int_equal(r.light, ZL_LIGHT_YELLOW);
	assert_int_equal(r.reasons, ZL_LIGHT_RECOVERING);
	assert_string_equal(r.cleared, "2014-10-08");
	memcpy(cleared, r.cleared, sizeof(cleared));

	/* Evaluated again the same day (or later without a report): still yellow. */
	in.prev = ZL_LIGHT_YELLOW;
	in.prev_cleared = cleared;
	in.today = "2014-10-12";
	r = eval(&in);
	assert_int_equal(r.light, ZL_LIGHT_YELLOW);
	assert_string_equal(r.cleared, "2014-10-08");

	/* A report after that day, on track: green, nothing carried on. */
	in.last_report = "2014-10-10";
	in.progress = 55;
	r = eval(&in);
	assert_int_equal(r.light, ZL_LIGHT_GREEN);
	assert_string_equal(r.cleared, "");

	/* A report after that day, behind: yellow for that reason, not recovering. */
	in.progress = 10;
	r = eval(&in);
	assert_int_equal(r.light, ZL_LIGHT_YELLOW);
	assert_int_equal(r.reasons, ZL_LIGHT_BEHIND);

	/* Red again while recovering: red. */
	in.today = "2015-01-02";
	r = eval(&in);
	assert_int_equal(r.light, ZL_LIGHT_RED);
	assert_string_equal(r.cleared, "");
}

static void test_indicators(void **state)
{
	/* Coverage from 60% to 90%: at 75% half the way is made. */
	struct zl_light_indicator up = {
		.target = 90, .baseline = 60, .value = 75, .has_baseline = 1, .has_value = 1};
	/* Accident rate to stay at most 2 from 5: at 4 a third of the way. */
	struct zl_light_indicator down = {.target = 2,
					  .baseline = 5,
					  .value = 4,
					  .has_baseline = 1,
					  .has_value = 1,
					  .at_most = 1};
	struct zl_light_input in = task("2014-11-10", 80, "2014-11-01"); /* expected 69 */
	struct zl_light_result r;

	(void)state;
	in.indicators = &up;
	in.nindicators = 1;
	r = eval(&in);
	assert_int_equal(r.expected, 69);
	assert_int_equal(r.light, ZL_LIGHT_GREEN); /* 50 >= 69 - 20 */
	up.value = 73;				   /* 43% < 49 */
	r = eval(&in);
	assert_int_equal(r.light, ZL_LIGHT_YELLOW);
	assert_int_equal(r.reasons, ZL_LIGHT_INDICATOR_BEHIND);
	/* Without a baseline the share is value / target: 73 / 90 = 81%. */
	up.has_baseline = 0;
	assert_int_equal(eval(&in).light, ZL_LIGHT_GREEN);
	/* A value not reported yet does not count. */
	in.indicators = &down;
	down.has_value = 0;
	assert_int_equal(eval(&in).light, ZL_LIGHT_GREEN);
	down.has_value = 1;
	r = eval(&in);
	assert_int_equal(r.light, ZL_LIGHT_YELLOW);
	down.value = 1.5; /* under the bound: reached */
	assert_int_equal(eval(&in).light, ZL_LIGHT_GREEN);
}

static void test_no_schedule(void **state)
{
	struct zl_light_input in = {0};
	struct zl_light_result r;

	(void)state;
	in.today = "2014-08-01";
	in.progress = -1;
	r = eval(&in);
	assert_int_equal(r.light, ZL_LIGHT_GREEN);
	assert_int_equal(r.expected, -1);
	assert_true(r.days_left == INT64_MIN);
	/* A deadline alone still makes red when passed. */
	in.deadline = "2014-07-31";
	assert_int_equal(eval(&in).light, ZL_LIGHT_RED);
}

static void expect_refused(const struct zl_light_input *in, const char *field)
{
	struct zl_light_result out;
	struct zl_error err = ZL_ERROR_INIT;

	assert_int_equal(zl_plan_light(in, &out, &err), ZL_EINVAL);
	assert_string_equal(err.field, field);
	assert_int_equal(out.light, ZL_LIGHT_GREEN);
	assert_int_equal(out.reasons, 0);
}

static void test_refusals(void **state)
{
	struct zl_light_milestone ms[1] = {{"2014-02-30", ""}};
	struct zl_light_rules rules = zl_light_rules_default();
	struct zl_light_input in = task("2014-09-30", 40, "");

	(void)state;
	in.today = "";
	expect_refused(&in, "today");
	in.today = "2014-09-30";
	in.deadline = "2014/12/31";
	expect_refused(&in, "deadline");
	in.deadline = "2014-12-31";
	in.progress = 101;
	expect_refused(&in, "progress");
	in.progress = 40;
	in.milestones = ms;
	in.nmilestones = 1;
	expect_refused(&in, "milestones[0].due");
	ms[0].due = "";
	expect_refused(&in, "milestones[0].due");
	ms[0].due = "2014-10-01";
	ms[0].done_on = "yesterday";
	expect_refused(&in, "milestones[0].done_on");
	in.nmilestones = 0;
	rules.report_every_days = 0;
	in.rules = &rules;
	expect_refused(&in, "rules");
}

static void test_names(void **state)
{
	enum zl_light l;

	(void)state;
	for (int i = ZL_LIGHT_GREEN; i <= ZL_LIGHT_DONE; i++) {
		assert_int_equal(zl_light_parse(zl_light_name((enum zl_light)i), &l), ZL_OK);
		assert_int_equal(l, i);
	}
	assert_int_equal(zl_light_parse("amber", &l), ZL_EINVAL);
	assert_null(zl_light_name((enum zl_light)7));
	assert_string_equal(zl_light_reason_name(0), "overdue");
	assert_string_equal(zl_light_reason_name(7), "milestone_due_soon");
	assert_null(zl_light_reason_name(ZL_LIGHT_REASONS));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_green_on_schedule),
		cmocka_unit_test(test_yellow_behind),
		cmocka_unit_test(test_yellow_no_report),
		cmocka_unit_test(test_red_overdue_and_due_soon),
		cmocka_unit_test(test_milestones),
		cmocka_unit_test(test_done),
		cmocka_unit_test(test_hysteresis),
		cmocka_unit_test(test_indicators),
		cmocka_unit_test(test_no_schedule),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
