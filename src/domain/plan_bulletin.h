/*
 * plan_bulletin.h - the figures of a plan's bulletin (通报), pure: tasks
 * tallied per organization as of a day, the on-time completion rate, and
 * the ranking of organizations by it (docs/plan-ledger.md, "Bulletin").
 *
 * For one organization, as of day D:
 *   assessed  tasks whose deadline has passed (is before D), plus tasks
 *             completed by D (an early completion counts for its
 *             organization); a task due on D itself still has the day
 *   on time   assessed tasks completed on or before their deadline (or
 *             completed without a deadline)
 *   late      completed after the deadline
 *   overdue   not completed and past the deadline (deadline < D)
 *   rate      on time / assessed; none when nothing is assessed
 *
 * Ranking: rate, highest first (organizations without a rate after all
 * others); then fewer overdue tasks; then higher average confirmed
 * progress; ties on all three share a rank ("1, 2, 2, 4") and are listed
 * by organization code.
 *
 * Pure: no I/O, no clock; "as of" is passed in.  Dates are "YYYY-MM-DD"
 * text, compared as text (the format sorts by date).
 */
#ifndef ZL_DOMAIN_PLAN_BULLETIN_H
#define ZL_DOMAIN_PLAN_BULLETIN_H

#include <stddef.h>
#include <stdint.h>

#include "domain/plan_light.h"

/* One organization's tasks (zero-initialise, then set org/org_name/plan_id). */
struct zl_plan_tally {
	const char *org;      /* organization code (not owned) */
	const char *org_name; /* its name (not owned) */
	int64_t plan_id;      /* its local plan, when tallied by local plan */
	int64_t tasks, assessed, on_time, late, overdue, done;
	int64_t lights[4];    /* by enum zl_light */
	int64_t progress_sum; /* of the tasks with a confirmed progress (done = 100) */
	int64_t reported;     /* how many those are */
};

/*
 * Count one task: its deadline and completion day ("" / NULL: none), its
 * light as of `as_of`, its latest confirmed progress (-1: none), as of
 * `as_of`.
 */
void zl_plan_tally_task(struct zl_plan_tally *y, const char *deadline, const char *completed_on,
			enum zl_light light, int progress, const char *as_of);

/* On time / assessed in [0, 1], or -1 when nothing is assessed. */
double zl_plan_tally_rate(const struct zl_plan_tally *y);

/* Average confirmed progress 0..100 (rounded down), or -1 when none is reported. */
int zl_plan_tally_progress(const struct zl_plan_tally *y);

/*
 * Rank v[0..n): order[0..n) receives the indices of v in ranking order
 * and rank[i] the rank (1-based) of v[order[i]].  Deterministic for any
 * input order.
 */
void zl_plan_rank(const struct zl_plan_tally *v, size_t n, size_t *order, int *rank);

#endif /* ZL_DOMAIN_PLAN_BULLETIN_H */
