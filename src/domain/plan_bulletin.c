/*
 * plan_bulletin.c - tallies and ranking of a plan's bulletin
 * (plan_bulletin.h).  The ranking sorts indices with an insertion sort:
 * a bulletin ranks tens of organizations (18 cities, 40 departments), and
 * a stable sort keyed on the organization code last keeps it the same
 * whatever order the rows came in.
 */
#include <string.h>

#include "domain/plan_bulletin.h"

static int given(const char *s)
{
	return s != NULL && s[0] != '\0';
}

void zl_plan_tally_task(struct zl_plan_tally *y, const char *deadline, const char *completed_on,
			enum zl_light light, int progress, const char *as_of)
{
	int done = given(completed_on) && strcmp(completed_on, as_of) <= 0;
	int past = given(deadline) && strcmp(deadline, as_of) < 0;

	y->tasks++;
	if ((unsigned)light < 4)
		y->lights[light]++;
	if (done) {
		y->done++;
		if (!given(deadline) || strcmp(completed_on, deadline) <= 0)
			y->on_time++;
		else
			y->late++;
	} else if (past) {
		y->overdue++;
	}
	if (done || past)
		y->assessed++;
	if (done || progress >= 0) {
		y->progress_sum += done ? 100 : (progress > 100 ? 100 : progress);
		y->reported++;
	}
}

double zl_plan_tally_rate(const struct zl_plan_tally *y)
{
	return y->assessed > 0 ? (double)y->on_time / (double)y->assessed : -1.0;
}

int zl_plan_tally_progress(const struct zl_plan_tally *y)
{
	return y->reported > 0 ? (int)(y->progress_sum / y->reported) : -1;
}

/* <0 when a ranks before b on the figures alone (0: a tie). */
static int cmp_figures(const struct zl_plan_tally *a, const struct zl_plan_tally *b)
{
	/* Rates compared exactly as fractions: on_a/as_a vs on_b/as_b. */
	int ha = a->assessed > 0, hb = b->assessed > 0;
	int pa = zl_plan_tally_progress(a), pb = zl_plan_tally_progress(b);

	if (ha != hb)
		return ha ? -1 : 1;
	if (ha) {
		int64_t l = a->on_time * b->assessed, r = b->on_time * a->assessed;

		if (l != r)
			return l > r ? -1 : 1;
	}
	if (a->overdue != b->overdue)
		return a->overdue < b->overdue ? -1 : 1;
	if (pa != pb)
		return pa > pb ? -1 : 1;
	return 0;
}

static int cmp_rank(const struct zl_plan_tally *a, const struct zl_plan_tally *b)
{
	int c = cmp_figures(a, b);

	if (c != 0)
		return c;
	return strcmp(a->org ? a->org : "", b->org ? b->org : "");
}

void zl_plan_rank(const struct zl_plan_tally *v, size_t n, size_t *order, int *rank)
{
	for (size_t i = 0; i < n; i++) {
		size_t j = i;

		order[i] = i;
		while (j > 0 && cmp_rank(&v[order[j - 1]], &v[i]) > 0) {
			order[j] = order[j - 1];
			j--;
		}
		order[j] = i;
	}
	for (size_t i = 0; i < n; i++)
		rank[i] = i > 0 && cmp_figures(&v[order[i - 1]], &v[order[i]]) == 0 ? rank[i - 1]
										    : (int)i + 1;
}
