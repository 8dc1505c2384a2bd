/*
 * test_time.c - clocks, civil-date arithmetic, RFC 3339 formatting in UTC
 * and Asia/Shanghai, and strict parsing.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>
#include <time.h>

#include "core/err.h"
#include "core/timeutil.h"

/* 2014-07-18T08:30:00Z, cross-checked with `date -u -d @1405672200`. */
#define T2014 INT64_C(1405672200)

static void test_clocks(void **state)
{
	int64_t a = zl_mono_us(), b = zl_mono_us(), now = zl_now_us();
	struct timespec ts;

	(void)state;
	assert_true(b >= a);
	clock_gettime(CLOCK_REALTIME, &ts);
	assert_true(now / 1000000 <= (int64_t)ts.tv_sec);
	assert_true(now / 1000000 >= (int64_t)ts.tv_sec - 5);
	assert_true(now > INT64_C(1700000000) * 1000000);
}

static void test_civil(void **state)
{
	int64_t y, d;
	unsigned m, dd;

	(void)state;
	assert_int_equal(zl_days_from_civil(1970, 1, 1), 0);
	assert_int_equal(zl_days_from_civil(2014, 7, 18), 16269);
	assert_int_equal(zl_days_from_civil(2000, 3, 1), 11017);
	assert_int_equal(zl_days_from_civil(1969, 12, 31), -1);
	assert_int_equal(zl_days_from_civil(1900, 3, 1), -25508);
	for (d = -800000; d <= 800000; d += 997) {
		zl_civil_from_days(d, &y, &m, &dd);
		assert_true(zl_date_valid(y, m, dd));
		assert_int_equal(zl_days_from_civil(y, m, dd), d);
	}
	assert_true(zl_date_valid(2000, 2, 29));
	assert_false(zl_date_valid(1900, 2, 29));
	assert_true(zl_date_valid(2016, 2, 29));
	assert_false(zl_date_valid(2014, 2, 29));
	assert_false(zl_date_valid(2014, 4, 31));
	assert_false(zl_date_valid(2014, 13, 1));
	assert_false(zl_date_valid(2014, 0, 1));
	assert_false(zl_date_valid(2014, 1, 0));
}

static void test_format(void **state)
{
	char out[32];

	(void)state;
	assert_string_equal(zl_time_format_rfc3339(T2014 * 1000000, out), "2014-07-18T08:30:00Z");
	assert_string_equal(zl_time_format_rfc3339_us(T2014 * 1000000 + 123, out),
			    "2014-07-18T08:30:00.000123Z");
	assert_string_equal(zl_time_format_shanghai(T2014 * 1000000, out),
			    "2014-07-18T16:30:00+08:00");
	/* Shanghai crosses midnight before UTC does. */
	assert_string_equal(zl_time_format_shanghai(INT64_C(1419955200) * 1000000, out),
			    "2014-12-31T00:00:00+08:00");
	assert_string_equal(zl_time_format_rfc3339(INT64_C(1419955200) * 1000000, out),
			    "2014-12-30T16:00:00Z");
	assert_string_equal(zl_time_format_rfc3339(0, out), "1970-01-01T00:00:00Z");
	/* Before the epoch: floor, not truncation toward zero. */
	assert_string_equal(zl_time_format_rfc3339_us(-1, out), "1969-12-31T23:59:59.999999Z");
	assert_string_equal(zl_time_format_rfc3339(-1, out), "1969-12-31T23:59:59Z");
	/* Clamped to four-digit years. */
	assert_string_equal(zl_time_format_rfc3339(INT64_MAX, out), "9999-12-31T23:59:59Z");
	assert_string_equal(zl_time_format_rfc3339(INT64_MIN, out), "0000-01-01T00:00:00Z");
	assert_string_equal(zl_time_format_shanghai(INT64_MAX, out), "9999-12-31T23:59:59+08:00");
}

static void test_parse(void **state)
{
	int64_t t = 0;

	(void)state;
	assert_int_equal(zl_time_parse_rfc3339("2014-07-18T08:30:00Z", &t), ZL_OK);
	assert_int_equal(t, T2014 * 1000000);
	assert_int_equal(zl_time_parse_rfc3339("2014-07-18T16:30:00+08:00", &t), ZL_OK);
	assert_int_equal(t, T2014 * 1000000);
	assert_int_equal(zl_time_parse_rfc3339("2014-07-18t03:00:00-05:30", &t), ZL_OK);
	assert_int_equal(t, T2014 * 1000000);
	assert_int_equal(zl_time_parse_rfc3339("2014-07-18 08:30:00.5z", &t), ZL_OK);
	assert_int_equal(t, T2014 * 1000000 + 500000);
	assert_int_equal(zl_time_parse_rfc3339("2014-07-18T08:30:00.123456789Z", &t), ZL_OK);
	assert_int_equal(t, T2014 * 1000000 + 123456);
	assert_int_equal(zl_time_parse_rfc3339("1969-12-31T23:59:59.999999Z", &t), ZL_OK);
	assert_int_equal(t, -1);

	static const char *const bad[] = {
		"",
		"2014-07-18",
		"2014-07-18T08:30:00", /* no offset */
		"2014-07-18T08:30Z",   /* no seconds */
		"2014-07-18T24:00:00Z",
		"2014-07-18T08:60:00Z",
		"2014-07-18T08:30:60Z", /* leap second rejected */
		"2014-02-29T00:00:00Z",
		"2014-13-01T00:00:00Z",
		"2014-7-18T08:30:00Z",
		"2014-07-18T08:30:00.Z",
		"2014-07-18T08:30:00.1234567890Z",
		"2014-07-18T08:30:00+0800",
		"2014-07-18T08:30:00+24:00",
		"2014-07-18T08:30:00Z ",
		"2014-07-18X08:30:00Z",
		"２０１４-07-18T08:30:00Z",
		"+2014-07-18T08:30:00Z",
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (zl_time_parse_rfc3339(bad[i], &t) != ZL_EINVAL)
			fail_msg("accepted '%s'", bad[i]);
	assert_int_equal(zl_time_parse_rfc3339(NULL, &t), ZL_EINVAL);
}

static void test_dates(void **state)
{
	int64_t d = 0;
	char out[16];

	(void)state;
	assert_int_equal(zl_date_parse("2014-07-18", &d), ZL_OK);
	assert_int_equal(d, 16269);
	assert_string_equal(zl_date_format(d, out), "2014-07-18");
	assert_int_equal(zl_date_parse("2016-02-29", &d), ZL_OK);
	assert_string_equal(zl_date_format(d, out), "2016-02-29");
	assert_string_equal(zl_date_format(-1, out), "1969-12-31");
	assert_int_equal(zl_date_parse("2015-02-29", &d), ZL_EINVAL);
	assert_int_equal(zl_date_parse("2014-07-18 ", &d), ZL_EINVAL);
	assert_int_equal(zl_date_parse("2014/07/18", &d), ZL_EINVAL);
	assert_int_equal(zl_date_parse("2014-7-18", &d), ZL_EINVAL);
	assert_int_equal(zl_date_parse("20140718", &d), ZL_EINVAL);
	assert_int_equal(zl_date_parse("2014-07-1a", &d), ZL_EINVAL);
	assert_int_equal(zl_date_parse("", &d), ZL_EINVAL);
	assert_int_equal(zl_date_parse(NULL, &d), ZL_EINVAL);
	assert_string_equal(zl_date_format(INT64_C(1) << 40, out), "9999-12-31");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clocks), cmocka_unit_test(test_civil),
		cmocka_unit_test(test_format), cmocka_unit_test(test_parse),
		cmocka_unit_test(test_dates),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
