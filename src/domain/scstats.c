/*
 * scstats.c - the arithmetic of spot-check statistics (scstats.h): Wilson
 * and Newcombe intervals, the weighted manufacturing rate, dimension names.
 */
#include "domain/scstats.h"

#include <math.h>
#include <string.h>

static const char *const dim_names[ZL_SC_DIM_COUNT] = {
	"region", "county", "product", "size", "level", "place", "year", "quarter",
};

const char *zl_sc_dim_name(enum zl_sc_dim d)
{
	return (unsigned)d < ZL_SC_DIM_COUNT ? dim_names[d] : "";
}

int zl_sc_dim_parse(const char *s, size_t n, enum zl_sc_dim *out)
{
	for (int i = 0; i < ZL_SC_DIM_COUNT; i++)
		if (strlen(dim_names[i]) == n && memcmp(dim_names[i], s, n) == 0) {
			*out = (enum zl_sc_dim)i;
			return 0;
		}
	return -1;
}

void zl_sc_wilson(int64_t x, int64_t n, double z, double *lo, double *hi)
{
	double p, z2, den, centre, half;

	if (n <= 0) {
		*lo = *hi = 0;
		return;
	}
	if (x < 0)
		x = 0;
	if (x > n)
		x = n;
	p = (double)x / (double)n;
	z2 = z * z;
	den = 1.0 + z2 / (double)n;
	centre = (p + z2 / (2.0 * (double)n)) / den;
	half = z * sqrt(p * (1.0 - p) / (double)n + z2 / (4.0 * (double)n * (double)n)) / den;
	*lo = centre - half;
	*hi = centre + half;
	/* Exact bounds at the edges (rounding leaves 1e-17 outside otherwise). */
	if (x == 0 || *lo < 0)
		*lo = 0;
	if (x == n || *hi > 1)
		*hi = 1;
}

void zl_sc_rates_of(const struct zl_sc_counts *c, struct zl_sc_rates *r)
{
	memset(r, 0, sizeof(*r));
	if (c->batches > 0) {
		r->pass_rate = (double)(c->batches - c->failed) / (double)c->batches;
		zl_sc_wilson(c->batches - c->failed, c->batches, ZL_SC_Z95, &r->ci_low,
			     &r->ci_high);
	}
	if (c->enterprises > 0) {
		r->enterprise_pass_rate = (double)(c->enterprises - c->enterprises_failed) /
					  (double)c->enterprises;
		zl_sc_wilson(c->enterprises - c->enterprises_failed, c->enterprises, ZL_SC_Z95,
			     &r->enterprise_ci_low, &r->enterprise_ci_high);
	}
}

int zl_sc_newcombe(int64_t x1, int64_t n1, int64_t x2, int64_t n2, double z, double *d,
		   double *lo, double *hi)
{
	double p1, p2, l1, u1, l2, u2;

	*d = *lo = *hi = 0;
	if (n1 <= 0 || n2 <= 0)
		return -1;
	p1 = (double)x1 / (double)n1;
	p2 = (double)x2 / (double)n2;
	zl_sc_wilson(x1, n1, z, &l1, &u1);
	zl_sc_wilson(x2, n2, z, &l2, &u2);
	*d = p1 - p2;
	*lo = *d - sqrt((p1 - l1) * (p1 - l1) + (u2 - p2) * (u2 - p2));
	*hi = *d + sqrt((u1 - p1) * (u1 - p1) + (p2 - l2) * (p2 - l2));
	return 0;
}

int zl_sc_manufacturing_division(const char *industry, char out[3])
{
	const char *s = industry;
	int div;

	if (s == NULL)
		return 0;
	if (*s == 'C')
		s++;
	if (s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9')
		return 0;
	div = (s[0] - '0') * 10 + (s[1] - '0');
	if (div < 13 || div > 41)
		return 0;
	if (out != NULL) {
		out[0] = s[0];
		out[1] = s[1];
		out[2] = '\0';
	}
	return 1;
}

int zl_sc_weighted_rate(const struct zl_sc_weighted_part *parts, size_t n, double *p,
			size_t *used)
{
	double wsum = 0, acc = 0;
	size_t k = 0;

	*p = 0;
	for (size_t i = 0; i < n; i++)
		if (parts[i].output > 0 && parts[i].batches > 0) {
			wsum += parts[i].output;
			acc += parts[i].output * (double)parts[i].passed / (double)parts[i].batches;
			k++;
		}
	if (used != NULL)
		*used = k;
	if (k == 0 || wsum <= 0)
		return -1;
	*p = acc / wsum;
	return 0;
}

int zl_sc_quarter_parse(const char *s, int *year, int *quarter)
{
	if (s == NULL || strlen(s) != 6 || s[4] != 'Q' || s[5] < '1' || s[5] > '4')
		return -1;
	for (int i = 0; i < 4; i++)
		if (s[i] < '0' || s[i] > '9')
			return -1;
	*year = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	*quarter = s[5] - '0';
	return *year >= 1900 ? 0 : -1;
}
