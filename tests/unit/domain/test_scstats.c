/*
 * test_scstats.c - the arithmetic of spot-check statistics (domain/scstats.h):
 * DOMAIN.md section 3.4's published figures, Wilson intervals against
 * published values, Newcombe's hybrid score interval against his 1998
 * paper's worked examples (method 10), the weighted manufacturing rate,
 * the 29 divisions, dimension and quarter names, who reads statistics, and
 * the output-weight row parser with ugly cells.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "domain/scstats.h"

#define NEAR(a, b, eps) assert_true((a) - (b) < (eps) && (b) - (a) < (eps))

static void test_domain_vectors(void **state)
{
	struct zl_sc_counts c = {28265, 3476, 26472, 3302};
	struct zl_sc_rates r;

	(void)state;
	/* SAMR 2023: 3476 of 28265 failed: 12.3% fail, 87.70% pass; enterprises 12.47% fail. */
	zl_sc_rates_of(&c, &r);
	NEAR(r.pass_rate, 0.87702, 1e-5);
	NEAR(1 - r.pass_rate, 0.12298, 1e-5);
	NEAR(1 - r.enterprise_pass_rate, 0.12474, 1e-5);
	assert_true(r.ci_low < r.pass_rate && r.pass_rate < r.ci_high);
	NEAR(r.ci_low, 0.873141, 1e-6);
	NEAR(r.ci_high, 0.880799, 1e-6);
	/* AQSIQ 2015 batch 4: 266 of 2747 failed: 90.3% pass. */
	c = (struct zl_sc_counts){2747, 266, 0, 0};
	zl_sc_rates_of(&c, &r);
	NEAR(r.pass_rate, 0.90317, 1e-5);
	assert_true(r.enterprise_pass_rate == 0 && r.enterprise_ci_low == 0);
	/* SAMR 2019: 687 of 5573 tested (not 5594 sampled): 12.33% fail. */
	c = (struct zl_sc_counts){5573, 687, 0, 0};
	zl_sc_rates_of(&c, &r);
	NEAR(1 - r.pass_rate, 0.12327, 1e-5);
	/* Nothing tested: all zero, no division by zero. */
	memset(&c, 0, sizeof(c));
	zl_sc_rates_of(&c, &r);
	assert_true(r.pass_rate == 0 && r.ci_low == 0 && r.ci_high == 0);
}

static void test_wilson(void **state)
{
	double lo, hi;

	(void)state;
	/* 81 of 263: 0.2553 .. 0.3662 (Newcombe 1998, Wilson's method). */
	zl_sc_wilson(81, 263, ZL_SC_Z95, &lo, &hi);
	NEAR(lo, 0.2553, 1e-4);
	NEAR(hi, 0.3662, 1e-4);
	/* 0 of 10: 0 .. 0.2775; 10 of 10: 0.7225 .. 1 (the edges exact). */
	zl_sc_wilson(0, 10, ZL_SC_Z95, &lo, &hi);
	assert_true(lo == 0);
	NEAR(hi, 0.2775, 1e-4);
	zl_sc_wilson(10, 10, ZL_SC_Z95, &lo, &hi);
	NEAR(lo, 0.7225, 1e-4);
	assert_true(hi == 1);
	/* Out-of-range inputs clamp; n = 0 gives 0, 0. */
	zl_sc_wilson(12, 10, ZL_SC_Z95, &lo, &hi);
	assert_true(hi == 1);
	zl_sc_wilson(-3, 10, ZL_SC_Z95, &lo, &hi);
	assert_true(lo == 0);
	zl_sc_wilson(1, 0, ZL_SC_Z95, &lo, &hi);
	assert_true(lo == 0 && hi == 0);
}

static void test_newcombe(void **state)
{
	static const struct {
		int64_t x1, n1, x2, n2;
		double lo, hi;
	} v[] = {
		/* Newcombe (1998), Statistics in Medicine 17:873, table II, method 10. */
		{56, 70, 48, 80, 0.0524, 0.3339},
		{9, 10, 3, 10, 0.1705, 0.8090},
		{6, 7, 2, 7, 0.0582, 0.8062},
		{5, 56, 0, 29, -0.0381, 0.1926},
	};
	double d, lo, hi;

	(void)state;
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		assert_int_equal(zl_sc_newcombe(v[i].x1, v[i].n1, v[i].x2, v[i].n2, ZL_SC_Z95, &d,
						&lo, &hi),
				 0);
		NEAR(d, (double)v[i].x1 / (double)v[i].n1 - (double)v[i].x2 / (double)v[i].n2,
		     1e-12);
		NEAR(lo, v[i].lo, 1e-4);
		NEAR(hi, v[i].hi, 1e-4);
	}
	assert_int_equal(zl_sc_newcombe(1, 0, 1, 2, ZL_SC_Z95, &d, &lo, &hi), -1);
	assert_true(d == 0 && lo == 0 && hi == 0);
}

static void test_manufacturing(void **state)
{
	const struct zl_sc_weighted_part parts[] = {
		{300, 100, 90}, /* 0.9 */
		{100, 50, 40},	/* 0.8 */
		{0, 10, 0},	/* no weight: out */
		{500, 0, 0},	/* not tested: out */
	};
	char div[3];
	double p;
	size_t used;

	(void)state;
	assert_int_equal(zl_sc_weighted_rate(parts, 4, &p, &used), 0);
	assert_int_equal(used, 2);
	NEAR(p, (300 * 0.9 + 100 * 0.8) / 400, 1e-12);
	assert_int_equal(zl_sc_weighted_rate(parts + 2, 2, &p, &used), -1);
	assert_true(p == 0 && used == 0);
	/* The 29 divisions: 13..41, not 42, 43 nor other sections. */
	assert_true(zl_sc_manufacturing_division("C13", div) && strcmp(div, "13") == 0);
	assert_true(zl_sc_manufacturing_division("C3611", div) && strcmp(div, "36") == 0);
	assert_true(zl_sc_manufacturing_division("41", div));
	assert_false(zl_sc_manufacturing_division("C42", div));
	assert_false(zl_sc_manufacturing_division("C43", div));
	assert_false(zl_sc_manufacturing_division("C12", div));
	assert_false(zl_sc_manufacturing_division("F51", div));
	assert_false(zl_sc_manufacturing_division("C", div));
	assert_false(zl_sc_manufacturing_division("", div));
	assert_false(zl_sc_manufacturing_division(NULL, div));
	{
		int n = 0;
		char code[4];
		for (int k = 0; k < 100; k++) {
			code[0] = (char)('0' + k / 10);
			code[1] = (char)('0' + k % 10);
			code[2] = '\0';
			n += zl_sc_manufacturing_division(code, NULL);
		}
		assert_int_equal(n, 29);
	}
}

static void test_names(void **state)
{
	enum zl_sc_dim d;
	int y, q;

	(void)state;
	for (int i = 0; i < ZL_SC_DIM_COUNT; i++) {
		const char *s = zl_sc_dim_name((enum zl_sc_dim)i);
		assert_int_equal(zl_sc_dim_parse(s, strlen(s), &d), 0);
		assert_int_equal(d, i);
	}
	assert_int_equal(zl_sc_dim_parse("regio", 5, &d), -1);
	assert_int_equal(zl_sc_dim_parse("region,", 7, &d), -1);
	assert_string_equal(zl_sc_dim_name(ZL_SC_DIM_COUNT), "");
	assert_int_equal(zl_sc_quarter_parse("2014Q3", &y, &q), 0);
	assert_true(y == 2014 && q == 3);
	assert_int_equal(zl_sc_quarter_parse("2014Q5", &y, &q), -1);
	assert_int_equal(zl_sc_quarter_parse("2014q1", &y, &q), -1);
	assert_int_equal(zl_sc_quarter_parse("14Q1", &y, &q), -1);
	assert_int_equal(zl_sc_quarter_parse("2014Q12", &y, &q), -1);
	assert_int_equal(zl_sc_quarter_parse(NULL, &y, &q), -1);
	/* Governments and their departments read statistics; labs and enterprises do not. */
	assert_true(zl_sc_stats_org_may_read("410000"));
	assert_true(zl_sc_stats_org_may_read("410100"));
	assert_true(zl_sc_stats_org_may_read("410000-D006"));
	assert_false(zl_sc_stats_org_may_read("410000-L001"));
	assert_false(zl_sc_stats_org_may_read("91410100MA0000000X"));
	assert_false(zl_sc_stats_org_may_read(""));
	assert_false(zl_sc_stats_org_may_read(NULL));
	assert_false(zl_sc_stats_org_may_read("41000a"));
}

static void test_weight_rows(void **state)
{
	static const struct {
		const char *year, *region, *division, *output;
		const char *field; /* NULL: accepted */
		double value;
	} v[] = {
		{"2014", "410100", "C36", "1234.5", NULL, 1234.5},
		{" 2014 ", " 410100\r", "36", "1,234,567.25", NULL, 1234567.25},
		{"2014", "410100", "C3611", "0", NULL, 0},
		{"14", "410100", "C36", "1", "year", 0},
		{"2014x", "410100", "C36", "1", "year", 0},
		{"1800", "410100", "C36", "1", "year", 0},
		{"2014", "4101", "C36", "1", "region", 0},
		{"2014", "41010O", "C36", "1", "region", 0},
		{"2014", "410100", "C42", "1", "division", 0},
		{"2014", "410100", "", "1", "division", 0},
		{"2014", "410100", "C361111", "1", "division", 0},
		{"2014", "410100", "C36", "", "output", 0},
		{"2014", "410100", "C36", "-5", "output", 0},
		{"2014", "410100", "C36", "1e400", "output", 0},
		{"2014", "410100", "C36", "nan", "output", 0},
		{"2014", "410100", "C36", "1,23", "output", 0},
		{"2014", "410100", "C36", ",123", "output", 0},
		{"2014", "410100", "C36", "1.2.3", "output", 0},
		{"2014", "410100", "C36", ".5", "output", 0},
		{"2014", "410100", "C36", "12 34", "output", 0},
		{NULL, NULL, NULL, NULL, "year", 0},
	};
	struct zl_sc_output_weight w;
	const char *field, *why;

	(void)state;
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		int rc = zl_sc_output_weight_parse(v[i].year, v[i].region, v[i].division,
						   v[i].output, &w, &field, &why);
		if (v[i].field == NULL) {
			assert_int_equal(rc, 0);
			assert_int_equal(w.year, 2014);
			assert_string_equal(w.region, "410100");
			assert_string_equal(w.division, "36");
			NEAR(w.output, v[i].value, 1e-9);
		} else {
			if (rc != -1)
				fail_msg("row %zu accepted", i);
			assert_string_equal(field, v[i].field);
			assert_non_null(why);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_domain_vectors), cmocka_unit_test(test_wilson),
		cmocka_unit_test(test_newcombe),       cmocka_unit_test(test_manufacturing),
		cmocka_unit_test(test_names),	       cmocka_unit_test(test_weight_rows),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
