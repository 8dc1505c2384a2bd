/*
 * test_dash_period.c - the dashboard's quarters and years (domain/dash_period.h):
 * what is accepted, the dates that bound a period, and ugly input refused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "domain/dash_period.h"

static void quarters_parse(void **state)
{
	int y = 0, q = 0;

	(void)state;
	assert_int_equal(zl_dash_quarter_parse("2014Q3", &y, &q), 0);
	assert_int_equal(y, 2014);
	assert_int_equal(q, 3);
	assert_int_equal(zl_dash_quarter_parse("1900Q1", &y, &q), 0);
	assert_int_equal(zl_dash_quarter_parse("9000Q4", &y, &q), 0);
}

static void quarters_refused(void **state)
{
	static const char *const bad[] = {
		"", "2014", "2014Q", "2014Q0", "2014Q5", "2014q1", "2014Q1 ", " 2014Q1", "14Q1",
		"201XQ1", "2014-Q1", "1899Q4", "9001Q1", "２０１４Q1", "2014Q1\n", "2014Q10",
	};
	int y = -7, q = -7;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(zl_dash_quarter_parse(bad[i], &y, &q), -1);
	assert_int_equal(zl_dash_quarter_parse(NULL, &y, &q), -1);
	/* Nothing written on a refusal. */
	assert_int_equal(y, -7);
	assert_int_equal(q, -7);
}

static void years(void **state)
{
	int y = 0;

	(void)state;
	assert_int_equal(zl_dash_year_parse("2014", &y), 0);
	assert_int_equal(y, 2014);
	assert_int_equal(zl_dash_year_parse("214", &y), -1);
	assert_int_equal(zl_dash_year_parse("20140", &y), -1);
	assert_int_equal(zl_dash_year_parse("2014Q1", &y), -1);
	assert_int_equal(zl_dash_year_parse("0000", &y), -1);
	assert_int_equal(zl_dash_year_parse(NULL, &y), -1);
}

static void bounds(void **state)
{
	char d[16];

	(void)state;
	zl_dash_quarter_day(2014, 1, 0, d);
	assert_string_equal(d, "2014-01-01");
	zl_dash_quarter_day(2014, 1, 1, d);
	assert_string_equal(d, "2014-04-01");
	zl_dash_quarter_day(2014, 3, 0, d);
	assert_string_equal(d, "2014-07-01");
	/* The end of Q4 is the next year's first day. */
	zl_dash_quarter_day(2014, 4, 1, d);
	assert_string_equal(d, "2015-01-01");
	zl_dash_quarter_day(9000, 4, 1, d);
	assert_string_equal(d, "9001-01-01");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(quarters_parse),
		cmocka_unit_test(quarters_refused),
		cmocka_unit_test(years),
		cmocka_unit_test(bounds),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
