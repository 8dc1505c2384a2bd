/*
 * test_workdays.c - the working-day calendar of codes/workdays.h and its table
 * workdays_cn.def: every year's facts, its total against the statutory count, vectors
 * around the Spring Festival and National Day of every year, the issue's vector
 * (2014-09-30 + 5 working days = 2014-10-13), the arithmetic against a day-by-day
 * reference over the whole calendar, the refusals outside 2014-2026, and the speed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "codes/workdays.h"
#include "core/err.h"
#include "core/timeutil.h"

static struct zl_workdays cal;

static int setup(void **state)
{
	struct zl_error err = ZL_ERROR_INIT;

	(void)state;
	if (zl_workdays_init(&cal, &err) != ZL_OK) {
		fprintf(stderr, "zl_workdays_init: %s\n", err.message);
		return -1;
	}
	return 0;
}

static int64_t day(const char *s)
{
	int64_t d = 0;

	if (zl_date_parse(s, &d) != ZL_OK)
		fail_msg("bad date in the test: %s", s);
	return d;
}

static int working(int64_t d)
{
	int w = -1;

	assert_int_equal(zl_workdays_is_working(&cal, d, &w, NULL), ZL_OK);
	return w;
}

static int64_t add(int64_t d, int64_t n)
{
	int64_t out = 0;

	assert_int_equal(zl_workdays_add(&cal, d, n, &out, NULL), ZL_OK);
	return out;
}

static int64_t count(int64_t a, int64_t b)
{
	int64_t out = -1;

	assert_int_equal(zl_workdays_count(&cal, a, b, &out, NULL), ZL_OK);
	return out;
}

static int64_t next(int64_t d)
{
	int64_t out = 0;

	assert_int_equal(zl_workdays_next(&cal, d, &out, NULL), ZL_OK);
	return out;
}

static void assert_date(int64_t got, const char *want)
{
	char buf[16];

	assert_string_equal(zl_date_format(got, buf), want);
}

/* The issue's vector: National Day 1-7 October off, Saturday 11 October worked. */
static void test_issue_vector(void **state)
{
	(void)state;
	assert_date(add(day("2014-09-30"), 5), "2014-10-13");
	assert_int_equal(count(day("2014-09-30"), day("2014-10-13")), 5);
	assert_true(working(day("2014-10-11")));
	assert_false(working(day("2014-10-12")));
	assert_date(add(day("2014-09-30"), 0), "2014-09-30");
	assert_date(add(day("2014-10-01"), 1), "2014-10-08"); /* from a day off */
	assert_date(next(day("2014-10-01")), "2014-10-08");
	assert_date(next(day("2014-10-08")), "2014-10-08");
	assert_date(next(day("2014-10-12")), "2014-10-13");
}

/* Every notice: one arrangement per covered year, dated the year before, sound numbers. */
static void test_notices(void **state)
{
	int arrangements[ZL_WORKDAYS_LAST_YEAR + 1] = {0};

	(void)state;
	assert_int_equal(zl_workdays_notice_count(), 13 + 3);
	for (size_t i = 0; i < zl_workdays_notice_count(); i++) {
		const struct zl_workdays_notice *n = zl_workdays_notice_at(i);
		char want[128];

		assert_non_null(n);
		assert_in_range(n->year, ZL_WORKDAYS_FIRST_YEAR, ZL_WORKDAYS_LAST_YEAR);
		if (n->kind == ZL_WD_ARRANGEMENT) {
			arrangements[n->year]++;
			/* Issued in the year before, numbered in that year's series. */
			assert_int_equal(n->date / 10000, n->year - 1);
			snprintf(want, sizeof(want), "国办发明电〔%d〕", n->year - 1);
			assert_memory_equal(n->number, want, strlen(want));
			snprintf(want, sizeof(want), "国务院办公厅关于%d年部分节假日安排的通知",
				 n->year);
			assert_string_equal(n->title, want);
		} else {
			assert_int_equal(n->kind, ZL_WD_CHANGE);
			assert_int_equal(n->date / 10000, n->year);
		}
	}
	for (int y = ZL_WORKDAYS_FIRST_YEAR; y <= ZL_WORKDAYS_LAST_YEAR; y++)
		assert_int_equal(arrangements[y], 1);
	assert_string_equal(zl_workdays_notice_at(0)->number, "国办发明电〔2013〕28号");
	assert_int_equal(zl_workdays_notice_at(0)->date, 20131211);
	assert_null(zl_workdays_notice_at(zl_workdays_notice_count()));
	assert_null(zl_workdays_fact_at(zl_workdays_fact_count()));
}

/*
 * Every make-up working day is a Saturday or Sunday and a working day; every day of every
 * holiday period is a day off.  The one exception is a fact a later notice overrides:
 * Saturday 2020-02-01, worked under the 2020 arrangement, became a day off when the
 * Spring Festival was extended (国办发明电〔2020〕1号).  (2019-05-01 is named twice, off
 * both times: by the 2019 arrangement and by its Labour Day change.)
 */
static void test_every_fact(void **state)
{
	size_t nwork = 0, noff = 0, overridden = 0, restated = 0;

	(void)state;
	for (size_t i = 0; i < zl_workdays_fact_count(); i++) {
		const struct zl_workdays_fact *f = zl_workdays_fact_at(i);
		int64_t a = zl_workdays_day_of(f->from), b = zl_workdays_day_of(f->to);

		assert_true(a <= b);
		assert_true(b - a < 10); /* no period is longer than 9 days */
		for (int64_t d = a; d <= b; d++) {
			const struct zl_workdays_fact *last = zl_workdays_fact_for(d);

			assert_true(zl_workdays_covers(&cal, d));
			assert_non_null(last);
			if (last != f) {
				/* Only a later fact overrides: 2019-05-01 restated as off by the
				 * Labour Day change, 2020-02-01 turned from worked to off. */
				assert_true(last > f);
				if (last->kind == f->kind) {
					assert_int_equal(zl_workdays_yyyymmdd(d), 20190501);
					restated++;
				} else {
					assert_int_equal(zl_workdays_yyyymmdd(d), 20200201);
					overridden++;
				}
				assert_false(working(d));
				continue;
			}
			if (f->kind == ZL_WD_WORK) {
				assert_int_equal(zl_workdays_weekday(d), f->weekday);
				assert_true(f->weekday >= 5);
				assert_true(working(d));
				nwork++;
			} else {
				assert_int_equal(f->kind, ZL_WD_OFF);
				assert_false(working(d));
				noff++;
			}
		}
	}
	assert_int_equal(overridden, 1);
	assert_int_equal(restated, 1);
	/* Weekend days worked per notice year 2014..2026 (2018-12-29 under 2019). */
	assert_int_equal(nwork, 5 + 5 + 6 + 5 + 6 + 7 + 6 + 7 + 7 + 7 + 8 + 5 + 6);
	assert_true(noff > 200);
}

/*
 * Working days per year.  The figure is derived, not copied: Monday-Friday of the year,
 * minus the statutory days off (11 until 2024; 13 from 2025, when the eve of the Spring
 * Festival and 2 May were added), each of which the notices turn into exactly one weekday
 * off (a statutory day on a weekend gets a weekday in lieu, swaps are paired with a
 * weekend day worked), minus the days the extra notices took: 2015 one (3 September,
 * victory anniversary: Thursday off, Friday swapped with Sunday 6 September), 2020 two
 * (Friday 31 January off and Saturday 1 February no longer worked).
 */
static void test_year_totals(void **state)
{
	static const int totals[] = {
		250, 249, 250, 249, 250, 250, 249, 250, 249, 249, 251, 248, 248,
	};

	(void)state;
	assert_int_equal(sizeof(totals) / sizeof(totals[0]),
			 ZL_WORKDAYS_LAST_YEAR - ZL_WORKDAYS_FIRST_YEAR + 1);
	for (int y = ZL_WORKDAYS_FIRST_YEAR; y <= ZL_WORKDAYS_LAST_YEAR; y++) {
		int64_t a = zl_days_from_civil(y, 1, 1), b = zl_days_from_civil(y + 1, 1, 1);
		int64_t weekdays = 0, walked = 0, total = -1;
		int statutory = y >= 2025 ? 13 : 11;
		int extra = y == 2015 ? 1 : y == 2020 ? 2 : 0;

		for (int64_t d = a; d < b; d++) {
			weekdays += zl_workdays_weekday(d) < 5;
			walked += working(d);
		}
		assert_int_equal(zl_workdays_in_year(&cal, y, &total, NULL), ZL_OK);
		assert_int_equal(total, walked);
		assert_int_equal(total, weekdays - statutory - extra);
		assert_int_equal(total, totals[y - ZL_WORKDAYS_FIRST_YEAR]);
		if (y > ZL_WORKDAYS_FIRST_YEAR)
			assert_int_equal(count(a - 1, b - 1), total);
	}
	/* 1 January 2014 is a day off, so leaving it out of the count changes nothing. */
	assert_int_equal(count(day("2014-01-01"), day("2014-12-31")), 250);
	assert_int_equal(count(day("2015-01-01"), day("2015-12-31")), 249);
}

/* Does a fact of holiday `f` stand for statutory holiday `h`? */
static int holiday_matches(int f, int h)
{
	return f == h || (f == ZL_WD_MID_AUTUMN_NATIONAL_DAY &&
			  (h == ZL_WD_MID_AUTUMN || h == ZL_WD_NATIONAL_DAY));
}

static void assert_off_for(int yyyymmdd, int holiday)
{
	const struct zl_workdays_fact *f = zl_workdays_fact_for(zl_workdays_day_of(yyyymmdd));

	if (!f || f->kind != ZL_WD_OFF || !holiday_matches(f->holiday, holiday))
		fail_msg("%d (%s) is not inside a period off of that holiday", yyyymmdd,
			 zl_workdays_holiday_name_en(holiday));
}

/*
 * Every statutory day of every year lies inside a period off of its own holiday.  The
 * dates come from the law and the sky, not from the notices: 全国年节及纪念日放假办法
 * (元旦 1 January, 劳动节 1 May and from 2025 2 May, 国庆节 1-3 October, 春节 the first three
 * days of the lunar year and from 2025 its eve), the solar term 清明, and the lunar dates of
 * 春节 (正月初一), 端午 (五月初五) and 中秋 (八月十五).  A period entered a day off its place
 * fails here even when the year's total does not change.
 */
static void test_statutory_days_inside_periods(void **state)
{
	static const struct {
		int spring, qingming, dragon, autumn; /* MMDD */
	} sky[] = {
		/* One per year, 2014 to 2026, three to a line. */
		{131, 405, 602, 908},  {219, 405, 620, 927}, {208, 404, 609, 915},
		{128, 404, 530, 1004}, {216, 405, 618, 924}, {205, 405, 607, 913},
		{125, 404, 625, 1001}, {212, 404, 614, 921}, {201, 405, 603, 910},
		{122, 405, 622, 929},  {210, 404, 610, 917}, {129, 404, 531, 1006},
		{217, 405, 619, 925},
	};

	(void)state;
	assert_int_equal(sizeof(sky) / sizeof(sky[0]),
			 ZL_WORKDAYS_LAST_YEAR - ZL_WORKDAYS_FIRST_YEAR + 1);
	for (int y = ZL_WORKDAYS_FIRST_YEAR; y <= ZL_WORKDAYS_LAST_YEAR; y++) {
		int b = y * 10000, i = y - ZL_WORKDAYS_FIRST_YEAR;
		int64_t first = zl_workdays_day_of(b + sky[i].spring);

		assert_off_for(b + 101, ZL_WD_NEW_YEAR);
		for (int64_t d = first - (y >= 2025); d < first + 3; d++)
			assert_off_for(zl_workdays_yyyymmdd(d), ZL_WD_SPRING_FESTIVAL);
		assert_off_for(b + sky[i].qingming, ZL_WD_QINGMING);
		assert_off_for(b + 501, ZL_WD_LABOUR_DAY);
		if (y >= 2025)
			assert_off_for(b + 502, ZL_WD_LABOUR_DAY);
		assert_off_for(b + sky[i].dragon, ZL_WD_DRAGON_BOAT);
		assert_off_for(b + sky[i].autumn, ZL_WD_MID_AUTUMN);
		for (int d = 1001; d <= 1003; d++)
			assert_off_for(b + d, ZL_WD_NATIONAL_DAY);
	}
}

/*
 * Around the Spring Festival and National Day of every year: the last working day before
 * the period and the first after it (a make-up Saturday or Sunday when there is one).
 */
static void test_spring_festival_and_national_day(void **state)
{
	static const struct {
		const char *before, *after;
	} v[] = {
		{"2014-01-30", "2014-02-07"}, {"2014-09-30", "2014-10-08"},
		{"2015-02-17", "2015-02-25"}, {"2015-09-30", "2015-10-08"},
		{"2016-02-06", "2016-02-14"}, {"2016-09-30", "2016-10-08"},
		{"2017-01-26", "2017-02-03"}, {"2017-09-30", "2017-10-09"},
		{"2018-02-14", "2018-02-22"}, {"2018-09-30", "2018-10-08"},
		{"2019-02-03", "2019-02-11"}, {"2019-09-30", "2019-10-08"},
		{"2020-01-23", "2020-02-03"}, {"2020-09-30", "2020-10-09"},
		{"2021-02-10", "2021-02-18"}, {"2021-09-30", "2021-10-08"},
		{"2022-01-30", "2022-02-07"}, {"2022-09-30", "2022-10-08"},
		{"2023-01-20", "2023-01-28"}, {"2023-09-28", "2023-10-07"},
		{"2024-02-09", "2024-02-18"}, {"2024-09-30", "2024-10-08"},
		{"2025-01-27", "2025-02-05"}, {"2025-09-30", "2025-10-09"},
		{"2026-02-14", "2026-02-24"}, {"2026-09-30", "2026-10-08"},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		int64_t b = day(v[i].before), a = day(v[i].after);

		assert_true(working(b));
		assert_true(working(a));
		for (int64_t d = b + 1; d < a; d++)
			assert_false(working(d));
		assert_true(a - b >= 7);
		assert_int_equal(add(b, 1), a);
		assert_int_equal(count(b, a), 1);
		assert_int_equal(next(b + 1), a);
	}
}

/* The notices that changed an arrangement, and the days one notice sets in another year. */
static void test_changes_and_year_ends(void **state)
{
	(void)state;
	/* 2015: victory anniversary, Thursday 3 and Friday 4 September off, Sunday 6 worked. */
	assert_false(working(day("2015-09-03")));
	assert_false(working(day("2015-09-04")));
	assert_true(working(day("2015-09-06")));
	assert_date(add(day("2015-09-02"), 1), "2015-09-06");
	/* 2019: Labour Day 1-4 May, Sundays 28 April and 5 May worked. */
	assert_false(working(day("2019-05-02")));
	assert_false(working(day("2019-05-03")));
	assert_true(working(day("2019-04-28")));
	assert_true(working(day("2019-05-05")));
	/* 2020: the Spring Festival extended to 2 February; 1 February no longer worked. */
	assert_false(working(day("2020-01-31")));
	assert_false(working(day("2020-02-01")));
	assert_true(working(day("2020-01-19")));
	assert_int_equal(zl_workdays_fact_for(day("2020-02-01"))->kind, ZL_WD_OFF);
	assert_string_equal(
		zl_workdays_notice_at(zl_workdays_fact_for(day("2020-02-01"))->notice)->number,
		"国办发明电〔2020〕1号");
	/* The 2019 notice works Saturday 2018-12-29 and gives Monday 2018-12-31 off. */
	assert_true(working(day("2018-12-29")));
	assert_false(working(day("2018-12-31")));
	assert_date(add(day("2018-12-28"), 2), "2019-01-02");
	/* The 2023 notice: Monday 2023-01-02 off (1 January a Sunday). */
	assert_false(working(day("2023-01-02")));
	/* 2024: the eve (9 February) was only encouraged, not given. */
	assert_true(working(day("2024-02-09")));
	/* 2025: the eve is statutory from this year on; 2 May too. */
	assert_false(working(day("2025-01-28")));
	assert_false(working(day("2025-05-02")));
	/* 2026: Sunday 4 January worked; the last day covered is an ordinary Thursday. */
	assert_true(working(day("2026-01-04")));
	assert_true(working(day("2026-12-31")));
	/* A day with no fact: an ordinary Sunday. */
	assert_null(zl_workdays_fact_for(day("2014-10-12")));
	assert_string_equal(zl_workdays_holiday_name(ZL_WD_NATIONAL_DAY), "国庆节");
	assert_string_equal(zl_workdays_holiday_name_en(ZL_WD_NATIONAL_DAY), "National Day");
	assert_string_equal(zl_workdays_holiday_name(-1), "?");
	assert_string_equal(zl_workdays_holiday_name_en(ZL_WD_HOLIDAY_COUNT), "?");
}

/*
 * The arithmetic against a day-by-day reference over the whole calendar: for every day D
 * and every N up to 300, add(D, N) is the N-th working day after D, count inverts it,
 * next(D) is the first working day on or after D.
 */
static void test_against_reference(void **state)
{
	enum { NMAX = 300 };
	int64_t first = zl_days_from_civil(ZL_WORKDAYS_FIRST_YEAR, 1, 1);
	int64_t end = zl_days_from_civil(ZL_WORKDAYS_LAST_YEAR + 1, 1, 1);
	size_t checked = 0;

	(void)state;
	assert_int_equal(end - first, ZL_WORKDAYS_NDAYS);
	for (int64_t d = first; d < end; d++) {
		int64_t e = d, n = 0, nx = d;

		while (nx < end && !working(nx))
			nx++;
		if (nx < end)
			assert_int_equal(next(d), nx);
		assert_int_equal(add(d, 0), d);
		for (e = d + 1; e < end && n < NMAX; e++) {
			if (!working(e))
				continue;
			n++;
			assert_int_equal(add(d, n), e);
			assert_int_equal(count(d, e), n);
			assert_int_equal(count(d, e - 1), n - 1);
			checked++;
		}
		if (n < NMAX) {
			/* Past the end of the calendar: refused, not guessed. */
			int64_t out = 12345;
			struct zl_error err = ZL_ERROR_INIT;

			assert_int_equal(zl_workdays_add(&cal, d, n + 1, &out, &err), ZL_EUNPROC);
			assert_int_equal(out, 12345);
			assert_string_equal(err.field, "n");
		}
	}
	assert_true(checked > 1000000);
}

static void test_refusals(void **state)
{
	struct zl_error err = ZL_ERROR_INIT;
	int64_t out = 0;
	int w = -1;

	(void)state;
	assert_false(zl_workdays_covers(&cal, day("2013-12-31")));
	assert_true(zl_workdays_covers(&cal, day("2014-01-01")));
	assert_true(zl_workdays_covers(&cal, day("2026-12-31")));
	assert_false(zl_workdays_covers(&cal, day("2027-01-01")));
	assert_int_equal(zl_workdays_is_working(&cal, day("2013-12-31"), &w, &err), ZL_EUNPROC);
	assert_int_equal(w, -1);
	assert_string_equal(err.field, "date");
	assert_non_null(strstr(err.message, "2013-12-31 is outside the working-day calendar"));
	assert_non_null(strstr(err.message, "2014-01-01 to 2026-12-31"));
	assert_int_equal(zl_workdays_is_working(&cal, day("2027-01-01"), &w, NULL), ZL_EUNPROC);
	assert_int_equal(zl_workdays_add(&cal, day("2027-01-04"), 1, &out, NULL), ZL_EUNPROC);
	assert_int_equal(zl_workdays_add(&cal, day("2014-01-02"), -1, &out, &err), ZL_EINVAL);
	assert_string_equal(err.field, "n");
	assert_int_equal(zl_workdays_add(&cal, day("2026-12-25"), 5, &out, &err), ZL_EUNPROC);
	assert_non_null(strstr(err.message, "falls after 2026-12-31"));
	assert_int_equal(zl_workdays_add(&cal, day("2026-12-25"), 4, &out, NULL), ZL_OK);
	assert_date(out, "2026-12-31");
	assert_int_equal(zl_workdays_add(&cal, day("2014-01-02"), INT64_MAX, &out, NULL),
			 ZL_EUNPROC);
	assert_int_equal(zl_workdays_count(&cal, day("2014-05-01"), day("2014-04-30"), &out, &err),
			 ZL_EINVAL);
	assert_string_equal(err.field, "to");
	assert_int_equal(zl_workdays_count(&cal, day("2013-12-31"), day("2014-01-02"), &out, &err),
			 ZL_EUNPROC);
	assert_string_equal(err.field, "from");
	assert_int_equal(zl_workdays_count(&cal, day("2026-12-31"), day("2027-01-02"), &out, &err),
			 ZL_EUNPROC);
	assert_string_equal(err.field, "to");
	assert_int_equal(zl_workdays_count(&cal, day("2014-01-01"), day("2014-01-01"), &out, NULL),
			 ZL_OK);
	assert_int_equal(out, 0);
	assert_int_equal(zl_workdays_next(&cal, day("2027-01-01"), &out, NULL), ZL_EUNPROC);
	assert_int_equal(zl_workdays_in_year(&cal, 2013, &out, &err), ZL_EUNPROC);
	assert_string_equal(err.field, "year");
	assert_int_equal(zl_workdays_in_year(&cal, 2027, &out, NULL), ZL_EUNPROC);
	assert_int_equal(zl_workdays_weekday(0), 3);  /* 1970-01-01, a Thursday */
	assert_int_equal(zl_workdays_weekday(-1), 2); /* 1969-12-31 */
	assert_int_equal(zl_workdays_yyyymmdd(day("2014-10-13")), 20141013);
}

/* Adding a year's working days must take microseconds; prints the figure. */
static void test_speed(void **state)
{
	enum { ROUNDS = 200000 };
	int64_t first = zl_days_from_civil(2014, 1, 1), sum = 0, t0, t1;
	double ns;

	(void)state;
	t0 = zl_mono_us();
	for (int i = 0; i < ROUNDS; i++)
		sum += add(first + (i * 7919) % 3650, 250);
	t1 = zl_mono_us();
	ns = (double)(t1 - t0) * 1000.0 / ROUNDS;
	printf("add-working-days 250: %.0f ns per call (checksum %lld)\n", ns, (long long)sum);
	/* Generous for sanitizer builds on a shared machine; a day-by-day walk costs more. */
	assert_true(ns < 5000.0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_issue_vector),
		cmocka_unit_test(test_notices),
		cmocka_unit_test(test_every_fact),
		cmocka_unit_test(test_year_totals),
		cmocka_unit_test(test_statutory_days_inside_periods),
		cmocka_unit_test(test_spring_festival_and_national_day),
		cmocka_unit_test(test_changes_and_year_ends),
		cmocka_unit_test(test_against_reference),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_speed),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
