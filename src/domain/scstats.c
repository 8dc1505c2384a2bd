/*
 * scstats.c - the arithmetic of spot-check statistics (scstats.h): Wilson
 * and Newcombe intervals, the weighted manufacturing rate, dimension names.
 */
#include "domain/scstats.h"

#include <math.h>
#include <stdlib.h>
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

static int all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

int zl_sc_stats_org_may_read(const char *org)
{
	size_t n = org != NULL ? strlen(org) : 0;

	if (n == 6)
		return all_digits(org, 6);
	return n == 11 && all_digits(org, 6) && org[6] == '-' && org[7] == 'D' &&
	       all_digits(org + 8, 3);
}

/* Copy s without leading and trailing ASCII spaces into out[n]; -1 when too long. */
static int trimmed(const char *s, char *out, size_t n)
{
	size_t len;

	if (s == NULL)
		s = "";
	while (*s == ' ' || *s == '\t')
		s++;
	len = strlen(s);
	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\r'))
		len--;
	if (len >= n)
		return -1;
	memcpy(out, s, len);
	out[len] = '\0';
	return 0;
}

#define BAD(f, w)                                                                                  \
	do {                                                                                       \
		*field = (f);                                                                      \
		*why = (w);                                                                        \
		return -1;                                                                         \
	} while (0)

int zl_sc_output_weight_parse(const char *year, const char *region, const char *division,
		       const char *output, struct zl_sc_output_weight *w, const char **field,
		       const char **why)
{
	char t[64], num[64];
	size_t k = 0;
	char *end;
	double v;

	memset(w, 0, sizeof(*w));
	if (trimmed(year, t, sizeof(t)) || strlen(t) != 4 || !all_digits(t, 4))
		BAD("year", "a year of four digits");
	w->year = (int)strtol(t, NULL, 10);
	if (w->year < 1990 || w->year > 2100)
		BAD("year", "a year between 1990 and 2100");
	if (trimmed(region, t, sizeof(t)) || strlen(t) != 6 || !all_digits(t, 6))
		BAD("region", "a GB/T 2260 code of six digits");
	memcpy(w->region, t, 7);
	if (trimmed(division, t, sizeof(t)) || strlen(t) > 5 ||
	    !zl_sc_manufacturing_division(t, w->division))
		BAD("division", "a GB/T 4754 manufacturing division 13-41 (e.g. C36 or 36)");
	if (trimmed(output, t, sizeof(t)) || t[0] == '\0')
		BAD("output", "a number (the industrial output)");
	/* Drop thousands separators: digits in groups of three after the first. */
	for (size_t i = 0; t[i] != '\0'; i++) {
		if (t[i] == ',') {
			if (i == 0 || strspn(t + i + 1, "0123456789") < 3 ||
			    (t[i + 4] != '\0' && t[i + 4] != ',' && t[i + 4] != '.'))
				BAD("output", "a number (the industrial output)");
			continue;
		}
		num[k++] = t[i];
	}
	num[k] = '\0';
	if (strspn(num, "0123456789.") != k || k == 0 || num[0] == '.' ||
	    strchr(num, '.') != strrchr(num, '.'))
		BAD("output", "a number (the industrial output)");
	v = strtod(num, &end);
	if (*end != '\0' || !isfinite(v) || v < 0 || v > 1e18)
		BAD("output", "a number from 0 to 10^18");
	w->output = v;
	return 0;
}
