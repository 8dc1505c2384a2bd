/*
 * plan_light.c - the traffic light of a plan task (plan_light.h): dates
 * are turned into day numbers once, then the red causes, the yellow
 * causes and the hysteresis are applied in the order the header gives.
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "core/timeutil.h"
#include "domain/plan_light.h"

static const char *const light_names[] = {"green", "yellow", "red", "done"};

static const char *const reason_names[ZL_LIGHT_REASONS] = {
	"overdue",   "milestone_overdue", "behind",   "indicator_behind",
	"no_report", "recovering",	  "due_soon", "milestone_due_soon",
};

struct zl_light_rules zl_light_rules_default(void)
{
	return (struct zl_light_rules){20, 30, 7, 14};
}

const char *zl_light_name(enum zl_light l)
{
	return (unsigned)l < sizeof(light_names) / sizeof(light_names[0]) ? light_names[l] : NULL;
}

int zl_light_parse(const char *s, enum zl_light *out)
{
	for (size_t i = 0; s != NULL && i < sizeof(light_names) / sizeof(light_names[0]); i++) {
		if (strcmp(s, light_names[i]) == 0) {
			*out = (enum zl_light)i;
			return ZL_OK;
		}
	}
	return ZL_EINVAL;
}

const char *zl_light_reason_name(unsigned bit_index)
{
	return bit_index < ZL_LIGHT_REASONS ? reason_names[bit_index] : NULL;
}

static int given(const char *s)
{
	return s != NULL && s[0] != '\0';
}

/* An optional date: *has 0 for ""/NULL; ZL_EINVAL naming `field` when malformed. */
static int opt_date(const char *s, const char *field, int64_t *days, int *has, struct zl_error *err)
{
	*has = 0;
	*days = 0;
	if (!given(s))
		return ZL_OK;
	if (zl_date_parse(s, days) != ZL_OK)
		return zl_error_set(err, ZL_EINVAL, field, "%s must be a date YYYY-MM-DD", field);
	*has = 1;
	return ZL_OK;
}

/* The share of an indicator's way from its start to its target already made, 0..1. */
static double achieved(const struct zl_light_indicator *ind)
{
	double share;

	if (ind->at_most) {
		if (ind->value <= ind->target)
			return 1.0;
		if (!ind->has_baseline || ind->baseline <= ind->target)
			return 0.0;
		share = (ind->baseline - ind->value) / (ind->baseline - ind->target);
	} else if (ind->has_baseline && ind->target != ind->baseline) {
		share = (ind->value - ind->baseline) / (ind->target - ind->baseline);
	} else if (ind->target != 0.0) {
		share = ind->value / ind->target;
	} else {
		share = ind->value >= ind->target ? 1.0 : 0.0;
	}
	/* NaN (a NaN value) compares false everywhere: counted as nothing made. */
	if (!(share > 0.0))
		return 0.0;
	return share < 1.0 ? share : 1.0;
}

static int check_rules(const struct zl_light_rules *r, struct zl_error *err)
{
	if (r->behind_points < 0 || r->behind_points > 100 || r->report_every_days < 1 ||
	    r->report_grace_days < 0 || r->due_soon_days < 0)
		return zl_error_set(err, ZL_EINVAL, "rules",
				    "thresholds must be 0..100 points and non-negative days "
				    "(a reporting period of at least one day)");
	return ZL_OK;
}

/* The red causes and the due-soon flags of the milestones. */
static int milestones(const struct zl_light_input *in, int64_t today, int soon, unsigned *reasons,
		      struct zl_error *err)
{
	char field[48];
	int64_t due, done;
	int has_due, has_done, rc;

	for (size_t i = 0; i < in->nmilestones; i++) {
		const struct zl_light_milestone *m = &in->milestones[i];

		snprintf(field, sizeof(field), "milestones[%zu].due", i);
		if ((rc = opt_date(m->due, field, &due, &has_due, err)) != ZL_OK)
			return rc;
		if (!has_due)
			return zl_error_set(err, ZL_EINVAL, field,
					    "a milestone needs its due date");
		snprintf(field, sizeof(field), "milestones[%zu].done_on", i);
		if ((rc = opt_date(m->done_on, field, &done, &has_done, err)) != ZL_OK)
			return rc;
		if (has_done)
			continue;
		if (today > due)
			*reasons |= ZL_LIGHT_MILESTONE_OVERDUE;
		else if (due - today <= soon)
			*reasons |= ZL_LIGHT_MILESTONE_DUE_SOON;
	}
	return ZL_OK;
}

int zl_plan_light(const struct zl_light_input *in, struct zl_light_result *out,
		  struct zl_error *err)
{
	struct zl_light_rules rules = in->rules ? *in->rules : zl_light_rules_default();
	int64_t today, start, deadline, report, cleared;
	int has_today, has_start, has_deadline, has_report, has_cleared, recovering = 0, rc;
	unsigned r = 0;

	memset(out, 0, sizeof(*out));
	out->expected = -1;
	out->days_left = INT64_MIN;
	if ((rc = check_rules(&rules, err)) != ZL_OK)
		goto fail;
	if ((rc = opt_date(in->today, "today", &today, &has_today, err)) != ZL_OK)
		goto fail;
	if (!has_today) {
		rc = zl_error_set(err, ZL_EINVAL, "today", "today must be a date YYYY-MM-DD");
		goto fail;
	}
	if ((rc = opt_date(in->start, "start", &start, &has_start, err)) != ZL_OK ||
	    (rc = opt_date(in->deadline, "deadline", &deadline, &has_deadline, err)) != ZL_OK ||
	    (rc = opt_date(in->last_report, "last_report", &report, &has_report, err)) != ZL_OK ||
	    (rc = opt_date(in->prev_cleared, "prev_cleared", &cleared, &has_cleared, err)) != ZL_OK)
		goto fail;
	if (in->progress < -1 || in->progress > 100) {
		rc = zl_error_set(err, ZL_EINVAL, "progress", "progress must be 0..100 (or none)");
		goto fail;
	}
	if ((rc = milestones(in, today, rules.due_soon_days, &r, err)) != ZL_OK)
		goto fail;

	if (has_deadline) {
		out->days_left = deadline - today;
		if (today > deadline)
			r |= ZL_LIGHT_OVERDUE;
		else if (deadline - today <= rules.due_soon_days)
			r |= ZL_LIGHT_DUE_SOON;
	}
	/* The schedule: a straight line from 0 at the start to 100 at the deadline. */
	if (has_start && has_deadline && deadline > start) {
		int64_t span = deadline - start, gone = today - start;

		out->expected = gone <= 0 ? 0 : gone >= span ? 100 : (int)(gone * 100 / span);
		if (out->expected - (in->progress < 0 ? 0 : in->progress) > rules.behind_points)
			r |= ZL_LIGHT_BEHIND;
		for (size_t i = 0; i < in->nindicators; i++) {
			const struct zl_light_indicator *ind = &in->indicators[i];

			if (ind->has_value &&
			    achieved(ind) * 100.0 < (double)(out->expected - rules.behind_points))
				r |= ZL_LIGHT_INDICATOR_BEHIND;
		}
	}
	/* Reports are due every period, counted from the last one (or the start). */
	if ((has_report || (has_start && today >= start)) &&
	    today - (has_report ? report : start) >
		    rules.report_every_days + rules.report_grace_days)
		r |= ZL_LIGHT_NO_REPORT;

	if (in->completed) {
		out->light = ZL_LIGHT_DONE;
		out->reasons = 0;
		return ZL_OK;
	}
	out->reasons = r;
	if (r & (ZL_LIGHT_OVERDUE | ZL_LIGHT_MILESTONE_OVERDUE)) {
		out->light = ZL_LIGHT_RED;
		return ZL_OK;
	}
	/* Hysteresis: from red through yellow until a report after the gap closed. */
	if (in->prev == ZL_LIGHT_RED) {
		zl_date_format(today, out->cleared);
		recovering = 1;
	} else if (in->prev == ZL_LIGHT_YELLOW && has_cleared &&
		   !(has_report && report > cleared)) {
		zl_date_format(cleared, out->cleared);
		recovering = 1;
	}
	if (recovering)
		out->reasons |= ZL_LIGHT_RECOVERING;
	out->light = (out->reasons & (ZL_LIGHT_BEHIND | ZL_LIGHT_INDICATOR_BEHIND |
				      ZL_LIGHT_NO_REPORT | ZL_LIGHT_RECOVERING))
			     ? ZL_LIGHT_YELLOW
			     : ZL_LIGHT_GREEN;
	return ZL_OK;
fail:
	memset(out, 0, sizeof(*out));
	return rc;
}
