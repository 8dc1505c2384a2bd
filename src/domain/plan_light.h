/*
 * plan_light.h - the traffic light of a plan task (督查督办), pure: from a
 * task's dates, milestones, reported progress and indicator values on a
 * given day, whether it is done, on track (green), at risk (yellow) or
 * overdue (red), and why (docs/plan-ledger.md, "Lights").
 *
 * The rules, in order:
 *
 *   done    the lead confirmed the task complete.  Nothing else counts.
 *   red     the deadline has passed (today > deadline), or a milestone's
 *           due date has passed without it being done.
 *   yellow  any of: reported progress behind the schedule (the share of
 *           the period from start to deadline already elapsed, as a
 *           percentage) by more than rules.behind_points; an indicator's
 *           achieved share behind the elapsed share by more than
 *           rules.behind_points; no progress report for longer than
 *           rules.report_every_days + rules.report_grace_days (counted from
 *           the start while there is none); or recovering (below).
 *   green   none of the above.
 *
 * Hysteresis: a red task does not turn green by itself.  When its red
 * causes end (the milestone is done, the deadline is extended), it turns
 * yellow ("recovering") and stays yellow until a progress report dated
 * after that day shows it on track.  The day the red causes ended is the
 * state carried from one evaluation to the next (`cleared`), with the
 * previous light; evaluating twice on the same inputs gives the same
 * answer.
 *
 * Flags that do not change the colour but feed the due-soon lists:
 * ZL_LIGHT_DUE_SOON (deadline within rules.due_soon_days) and
 * ZL_LIGHT_MILESTONE_DUE_SOON.
 *
 * Pure: no I/O, no clock; "today" is passed in.  Dates are "YYYY-MM-DD";
 * "" means none.
 */
#ifndef ZL_DOMAIN_PLAN_LIGHT_H
#define ZL_DOMAIN_PLAN_LIGHT_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

enum zl_light {
	ZL_LIGHT_GREEN = 0,
	ZL_LIGHT_YELLOW,
	ZL_LIGHT_RED,
	ZL_LIGHT_DONE,
};

/* Reasons (a bit set in zl_light_result.reasons). */
#define ZL_LIGHT_OVERDUE (1u << 0)	      /* red: deadline passed, not done */
#define ZL_LIGHT_MILESTONE_OVERDUE (1u << 1)  /* red: a milestone's due date passed */
#define ZL_LIGHT_BEHIND (1u << 2)	      /* yellow: progress behind the schedule */
#define ZL_LIGHT_INDICATOR_BEHIND (1u << 3)   /* yellow: an indicator behind the schedule */
#define ZL_LIGHT_NO_REPORT (1u << 4)	      /* yellow: no report for too long */
#define ZL_LIGHT_RECOVERING (1u << 5)	      /* yellow: was red, no report since */
#define ZL_LIGHT_DUE_SOON (1u << 6)	      /* flag: deadline within due_soon_days */
#define ZL_LIGHT_MILESTONE_DUE_SOON (1u << 7) /* flag: a milestone due within due_soon_days */
#define ZL_LIGHT_REASONS 8

/* Thresholds; zl_light_rules_default() gives the documented defaults. */
struct zl_light_rules {
	int behind_points;     /* 20: percentage points behind the schedule that make yellow */
	int report_every_days; /* 30: the reporting period (monthly) */
	int report_grace_days; /* 7: days a report may be late before yellow */
	int due_soon_days;     /* 14: the due-soon window */
};

struct zl_light_milestone {
	const char *due;     /* YYYY-MM-DD (required) */
	const char *done_on; /* YYYY-MM-DD or "" / NULL while open */
};

struct zl_light_indicator {
	double target;	 /* the value to reach (at least) or to stay under (at_most) */
	double baseline; /* the value at the start, when has_baseline */
	double value;	 /* the latest reported value, when has_value */
	int has_baseline;
	int has_value;
	int at_most; /* 1: lower is better ("≤ 2%") */
};

struct zl_light_input {
	const char *today;	 /* YYYY-MM-DD (required) */
	const char *start;	 /* the task's start ("" / NULL: no schedule, only dates count) */
	const char *deadline;	 /* "" / NULL: none */
	int completed;		 /* the lead confirmed it complete */
	int progress;		 /* latest reported percentage 0..100; -1 when none */
	const char *last_report; /* date of the latest report; "" / NULL: none */
	const struct zl_light_milestone *milestones;
	size_t nmilestones;
	const struct zl_light_indicator *indicators;
	size_t nindicators;
	enum zl_light prev;	  /* the previous evaluation's light (GREEN when none) */
	const char *prev_cleared; /* the previous evaluation's `cleared` ("" / NULL: none) */
	const struct zl_light_rules *rules; /* NULL: the defaults */
};

struct zl_light_result {
	enum zl_light light;
	unsigned reasons;
	int expected;	   /* schedule's expected progress today, 0..100; -1 without a schedule */
	int64_t days_left; /* to the deadline (negative: overdue); INT64_MIN without one */
	char cleared[16];  /* carry to the next evaluation as prev_cleared ("" when none) */
};

/* The defaults: 20 points, monthly reports, 7 days' grace, 14 days due soon. */
struct zl_light_rules zl_light_rules_default(void);

/*
 * Evaluate `in` into *out.  ZL_EINVAL naming the field ("today", "start",
 * "deadline", "last_report", "prev_cleared", "milestones[i].due",
 * "milestones[i].done_on", "progress", "rules") for a malformed date, a
 * progress outside -1..100 or a negative threshold; *out is then zeroed.
 */
int zl_plan_light(const struct zl_light_input *in, struct zl_light_result *out,
		  struct zl_error *err);

/* "green", "yellow", "red", "done"; and back (ZL_EINVAL for another word). */
const char *zl_light_name(enum zl_light l);
int zl_light_parse(const char *s, enum zl_light *out);

/*
 * The reason bits as words ("overdue", "milestone_overdue", "behind",
 * "indicator_behind", "no_report", "recovering", "due_soon",
 * "milestone_due_soon"): bit i's word, or NULL past the last.
 */
const char *zl_light_reason_name(unsigned bit_index);

#endif /* ZL_DOMAIN_PLAN_LIGHT_H */
