/*
 * test_plan_bulletin.c - the bulletin's tallies and ranking
 * (domain/plan_bulletin.h): what counts as assessed, on time, late and
 * overdue as of a day; the rate; ranking with ties sharing a rank and the
 * same answer for any input order.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "domain/plan_bulletin.h"

#define AS_OF "2014-12-31"

static void test_tally(void **state)
{
	struct zl_plan_tally y = {.org = "410100"};

	(void)state;
	/* Done on its deadline: on time. */
	zl_plan_tally_task(&y, "2014-10-31", "2014-10-31", ZL_LIGHT_DONE, 100, AS_OF);
	/* Done after it: late. */
	zl_plan_tally_task(&y, "2014-10-31", "2014-11-05", ZL_LIGHT_DONE, 100, AS_OF);
	/* Open past its deadline: overdue. */
	zl_plan_tally_task(&y, "2014-12-30", "", ZL_LIGHT_RED, 60, AS_OF);
	/* Due on the day itself: not assessed yet. */
	zl_plan_tally_task(&y, AS_OF, NULL, ZL_LIGHT_GREEN, 90, AS_OF);
	/* Done early, deadline next year: assessed, on time. */
	zl_plan_tally_task(&y, "2015-06-30", "2014-12-01", ZL_LIGHT_DONE, -1, AS_OF);
	/* Not due, no report: neither assessed nor in the progress average. */
	zl_plan_tally_task(&y, "2015-06-30", "", ZL_LIGHT_YELLOW, -1, AS_OF);
	/* Completed after the day of the bulletin: as of that day it was open and overdue. */
	zl_plan_tally_task(&y, "2014-12-01", "2015-01-10", ZL_LIGHT_DONE, 100, AS_OF);

	assert_int_equal(y.tasks, 7);
	assert_int_equal(y.assessed, 5);
	assert_int_equal(y.on_time, 2);
	assert_int_equal(y.late, 1);
	assert_int_equal(y.overdue, 2);
	assert_int_equal(y.done, 3);
	assert_int_equal(y.lights[ZL_LIGHT_DONE], 4);
	assert_int_equal(y.lights[ZL_LIGHT_RED], 1);
	assert_int_equal(y.lights[ZL_LIGHT_GREEN], 1);
	assert_int_equal(y.lights[ZL_LIGHT_YELLOW], 1);
	assert_true(zl_plan_tally_rate(&y) == 2.0 / 5.0);
	/* 100 + 100 + 60 + 90 + 100 + 100 over 6 reported. */
	assert_int_equal(zl_plan_tally_progress(&y), 91);
}

static void test_empty(void **state)
{
	struct zl_plan_tally y = {0};

	(void)state;
	assert_true(zl_plan_tally_rate(&y) == -1.0);
	assert_int_equal(zl_plan_tally_progress(&y), -1);
	/* A task not due and not reported leaves both undefined. */
	zl_plan_tally_task(&y, "2015-12-01", "", ZL_LIGHT_GREEN, -1, AS_OF);
	assert_true(zl_plan_tally_rate(&y) == -1.0);
	assert_int_equal(zl_plan_tally_progress(&y), -1);
	zl_plan_tally_task(&y, "2014-12-01", "2014-11-01", ZL_LIGHT_DONE, 100, AS_OF);
	assert_true(zl_plan_tally_rate(&y) == 1.0);
}

static struct zl_plan_tally org(const char *code, int64_t assessed, int64_t on_time,
				int64_t overdue, int64_t progress_avg)
{
	struct zl_plan_tally y = {.org = code, .org_name = code};

	y.tasks = assessed + 1;
	y.assessed = assessed;
	y.on_time = on_time;
	y.overdue = overdue;
	y.reported = progress_avg >= 0 ? 1 : 0;
	y.progress_sum = progress_avg >= 0 ? progress_avg : 0;
	return y;
}

static void test_rank(void **state)
{
	struct zl_plan_tally v[7];
	size_t order[7];
	int rank[7];
	const char *want[7] = {"410300", "410500", "410100", "410200",
			       "410400", "410700", "410600"};
	const int want_rank[7] = {1, 2, 3, 3, 5, 6, 7};

	(void)state;
	v[0] = org("410100", 4, 3, 1, 80); /* 75% */
	v[1] = org("410200", 8, 6, 1, 80); /* 75%, same figures: shares rank 3 */
	v[2] = org("410300", 2, 2, 0, 10); /* 100% */
	v[3] = org("410400", 4, 3, 1, 50); /* 75%, lower progress */
	v[4] = org("410500", 4, 3, 0, 0);  /* 75%, fewer overdue */
	v[5] = org("410600", 0, 0, 0, 99); /* nothing assessed: last */
	v[6] = org("410700", 3, 0, 3, -1); /* 0% */
	zl_plan_rank(v, 7, order, rank);
	for (int i = 0; i < 7; i++) {
		assert_string_equal(v[order[i]].org, want[i]);
		assert_int_equal(rank[i], want_rank[i]);
	}
	/* Any input order gives the same ranking. */
	for (int rot = 1; rot < 7; rot++) {
		struct zl_plan_tally w[7];

		for (int i = 0; i < 7; i++)
			w[i] = v[(i + rot) % 7];
		zl_plan_rank(w, 7, order, rank);
		for (int i = 0; i < 7; i++) {
			assert_string_equal(w[order[i]].org, want[i]);
			assert_int_equal(rank[i], want_rank[i]);
		}
	}
	zl_plan_rank(v, 0, order, rank); /* nothing to rank */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tally),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_rank),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
