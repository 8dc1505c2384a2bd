/*
 * scstats.h - the arithmetic of spot-check statistics (DOMAIN.md section
 * 3.4, docs/statistics.md), pure: pass rates by batch and by enterprise,
 * the 95% Wilson score interval of a rate, Newcombe's hybrid score
 * interval of the difference of two rates, the output-weighted
 * manufacturing pass rate, and the names of the dimensions statistics
 * group by.  No I/O, no allocation.
 */
#ifndef ZL_DOMAIN_SCSTATS_H
#define ZL_DOMAIN_SCSTATS_H

#include <stddef.h>
#include <stdint.h>

/* The dimensions a statistic groups or filters by. */
enum zl_sc_dim {
	ZL_SC_DIM_REGION = 0, /* the city-level unit (4-digit prefix + "00"; 济源 419001 itself) */
	ZL_SC_DIM_COUNTY,     /* the enterprise's county */
	ZL_SC_DIM_PRODUCT,    /* the catalogue code */
	ZL_SC_DIM_SIZE,	      /* the enterprise's size class when sampled */
	ZL_SC_DIM_LEVEL,      /* national | province | city | county */
	ZL_SC_DIM_PLACE,      /* production | circulation | ecommerce | "" */
	ZL_SC_DIM_YEAR,
	ZL_SC_DIM_QUARTER,    /* YYYYQn */
	ZL_SC_DIM_COUNT
};

/* "region", "county", ... ; parse returns 0 and sets *out, or -1 for an unknown name. */
const char *zl_sc_dim_name(enum zl_sc_dim d);
int zl_sc_dim_parse(const char *s, size_t n, enum zl_sc_dim *out);

/* The counts of a group. */
struct zl_sc_counts {
	int64_t batches, failed;		/* tested batches, failed among them */
	int64_t enterprises, enterprises_failed; /* distinct enterprises tested, failed */
};

/* The rates of a group: fractions 0..1; all 0 when the denominator is 0. */
struct zl_sc_rates {
	double pass_rate, ci_low, ci_high;
	double enterprise_pass_rate, enterprise_ci_low, enterprise_ci_high;
};

/* z for a two-sided 95% interval. */
#define ZL_SC_Z95 1.959963984540054

/*
 * The Wilson score interval of x successes in n trials at z: *lo, *hi
 * in [0, 1].  n <= 0 gives 0, 0; x is clamped to 0..n.
 */
void zl_sc_wilson(int64_t x, int64_t n, double z, double *lo, double *hi);

/* Fill r from c (95%): pass = (batches - failed) / batches, likewise for enterprises. */
void zl_sc_rates_of(const struct zl_sc_counts *c, struct zl_sc_rates *r);

/*
 * The difference p1 - p2 of two proportions (x1/n1, x2/n2) with Newcombe's
 * hybrid score interval (his method 10) from the two Wilson intervals at z:
 *   lo = d - sqrt((p1 - l1)^2 + (u2 - p2)^2), hi = d + sqrt((u1 - p1)^2 + (p2 - l2)^2).
 * Returns 0; -1 when n1 or n2 is 0 (*d, *lo, *hi set to 0).
 */
int zl_sc_newcombe(int64_t x1, int64_t n1, int64_t x2, int64_t n2, double z, double *d,
		   double *lo, double *hi);

/*
 * A GB/T 4754 division (2 digits) of the 29 counted by 制造业产品质量合格率:
 * 13..41 (manufacturing without 42, 43).  Accepts "C36", "36", "C3611" (its
 * division).  1 yes, 0 no.
 */
int zl_sc_manufacturing_division(const char *industry, char out[3]);

/* One division's part of the manufacturing rate. */
struct zl_sc_weighted_part {
	double output;	 /* the region's industrial output of the division (weight), <= 0 none */
	int64_t batches; /* tested */
	int64_t passed;
};

/*
 * P = Σ_k w_k p_k with w_k = output_k / Σ output over the divisions that
 * have both a weight and tested batches (p_k = passed_k / batches_k).
 * *used (may be NULL) receives how many parts entered.  Returns 0, or -1
 * when none did (*p = 0).
 */
int zl_sc_weighted_rate(const struct zl_sc_weighted_part *parts, size_t n, double *p,
			size_t *used);

/*
 * Who reads statistics (docs/statistics.md): the route asks stats.read
 * (officers, analysts, administrators, tokens granted it); besides, the
 * caller's organization must be a government (a six-digit GB/T 2260 code)
 * or one of its departments (RRRRRR-Dnnn) - never a laboratory, an
 * enterprise or another body, whatever role it holds there.  Statistics
 * are aggregates: staff read them for any region.  1 yes, 0 no.
 */
int zl_sc_stats_org_may_read(const char *org_code);

/* One row of the output weights (制造业 weights: industrial output by region and division). */
struct zl_sc_output_weight {
	int year;
	char region[7];	  /* GB/T 2260 code, six digits */
	char division[3]; /* GB/T 4754 division 13..41 */
	double output;	  /* >= 0, finite */
};

/*
 * Parse one row's cells (year, region, division, output) into *w.  Returns
 * 0, or -1 with *field naming the bad cell ("year", "region", "division",
 * "output") and *why a static English reason.  Cells are trimmed of ASCII
 * spaces; division accepts "C36", "36" or a longer code of that division;
 * output accepts a decimal number with an optional thousands comma
 * grouping ("1,234.5").
 */
int zl_sc_output_weight_parse(const char *year, const char *region, const char *division,
		       const char *output, struct zl_sc_output_weight *w, const char **field,
		       const char **why);

/* Parse "YYYYQn" (n 1..4) into year and quarter: 0, or -1. */
int zl_sc_quarter_parse(const char *s, int *year, int *quarter);

#endif /* ZL_DOMAIN_SCSTATS_H */
