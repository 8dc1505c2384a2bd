/*
 * inspection.h - the legal lifecycle of one supervision spot check (监督抽查) as a pure,
 * explicit state machine with its statutory deadlines (docs/inspections.md).
 *
 * The machine is data: domain/inspection.def lists the states, the events, the transition
 * table (state, event) -> next state with who may fire it, its guard and what it writes to
 * the credit archive, the deadlines with their legal sources, and the tasks each state puts
 * on someone's list.  This header is the code around that table:
 *
 *   zl_insp_apply()      one event on one record: refused with a clear error (wrong state,
 *                        wrong role, a guard that does not hold), or the next record and
 *                        the effects the caller must store (a credit event, a late flag)
 *   zl_insp_dues()       what is due next on a record, for whom, by when, and whether it is
 *                        overdue today: the task lists
 *   zl_insp_deadlines()  every deadline of a record, for its page
 *   zl_insp_events_for(), zl_insp_available()   the buttons a role may press
 *   names, parsers, zl_insp_describe_json/_markdown   for the store, the API and the docs
 *
 * A record (struct zl_inspection) is the machine's state only: the state, the dates of the
 * steps, the items that failed and were contested, the sanction level.  It has no pointers
 * and a fixed size, so it is copied, compared and stored as it is.  The documents behind
 * the steps (sampling record, laboratory report, orders) are the caller's to store; an event
 * carries them in so that the guards can check them.
 *
 * Pure: no I/O, no clock.  "today" (Asia/Shanghai) and the working-day calendar
 * (codes/workdays.h) are passed in through struct zl_insp_env.  Dates are "YYYY-MM-DD"
 * strings, "" for none.
 */
#ifndef ZL_DOMAIN_INSPECTION_H
#define ZL_DOMAIN_INSPECTION_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

struct zl_workdays;
struct zl_jw;
struct zl_buf;

enum zl_insp_state {
#define ZL_INSP_STATE(id, name, zh, terminal, text) ZL_INSP_##id,
#include "domain/inspection.def"
	ZL_INSP_STATE_COUNT
};

enum zl_insp_event_id {
#define ZL_INSP_EVENT(id, name, zh, text) ZL_INSP_EV_##id,
#include "domain/inspection.def"
	ZL_INSP_EVENT_COUNT
};

enum zl_insp_deadline_id {
#define ZL_INSP_DEADLINE(id, name, count, unit, from, source, confirmed, text) ZL_INSP_DL_##id,
#include "domain/inspection.def"
	ZL_INSP_DEADLINE_COUNT,
	/* Not rules, but where a due item's date may come from (struct zl_insp_due_rule). */
	ZL_INSP_DL_NONE = ZL_INSP_DEADLINE_COUNT,
	ZL_INSP_DL_PLAN,
};

enum zl_insp_task {
#define ZL_INSP_TASK(id, name, text) ZL_INSP_TASK_##id,
#include "domain/inspection.def"
	ZL_INSP_TASK_COUNT
};

/* Who acts.  The first four are the user roles of domain/authz.h by name. */
enum zl_insp_role {
	ZL_INSP_ROLE_OFFICER,	 /* "officer": planner / supervising authority */
	ZL_INSP_ROLE_INSPECTOR,	 /* "inspector": sampler */
	ZL_INSP_ROLE_LAB,	 /* "lab": the testing laboratory */
	ZL_INSP_ROLE_ENTERPRISE, /* "enterprise": the inspected enterprise */
	ZL_INSP_ROLE_SYSTEM,	 /* "system": the timer that fires lapsed periods */
	ZL_INSP_ROLE_COUNT
};
#define ZL_INSP_BY_OFFICER (1u << ZL_INSP_ROLE_OFFICER)
#define ZL_INSP_BY_INSPECTOR (1u << ZL_INSP_ROLE_INSPECTOR)
#define ZL_INSP_BY_LAB (1u << ZL_INSP_ROLE_LAB)
#define ZL_INSP_BY_ENTERPRISE (1u << ZL_INSP_ROLE_ENTERPRISE)
#define ZL_INSP_BY_SYSTEM (1u << ZL_INSP_ROLE_SYSTEM)
#define ZL_INSP_BY_ANY ((1u << ZL_INSP_ROLE_COUNT) - 1)

/* The level of the acting authority: announce and suspend need province or national. */
enum zl_insp_level {
	ZL_INSP_LEVEL_NONE = 0,
	ZL_INSP_LEVEL_COUNTY,
	ZL_INSP_LEVEL_CITY,
	ZL_INSP_LEVEL_PROVINCE,
	ZL_INSP_LEVEL_NATIONAL,
};

enum zl_insp_verdict { ZL_INSP_NO_VERDICT = 0, ZL_INSP_PASS, ZL_INSP_FAIL };

/* How a terminal record ended ("" while open; disposal_unknown: see below). */
enum zl_insp_outcome {
	ZL_INSP_OUTCOME_NONE = 0,
	ZL_INSP_OUTCOME_PASSED,	    /* closed: passed */
	ZL_INSP_OUTCOME_OVERTURNED, /* closed: a failure overturned by the re-test */
	ZL_INSP_OUTCOME_RECTIFIED,  /* closed: a follow-up check passed */
	ZL_INSP_OUTCOME_EXEMPT,	    /* closed: production ceased, nothing to rectify */
	ZL_INSP_OUTCOME_REVOKED,    /* closed: licence revoked */
	ZL_INSP_OUTCOME_CANCELLED,  /* cancelled */
	/* failed, imported from a published result table (store/sc_import.h): the failure is
	 * final but what was done about it is not known here, so nothing is due on it - no
	 * task, no timer - until an officer records a step (which clears it) */
	ZL_INSP_OUTCOME_DISPOSAL_UNKNOWN,
	ZL_INSP_OUTCOME_COUNT
};

enum zl_insp_extension {
	ZL_INSP_EXT_NONE = 0,
	ZL_INSP_EXT_REQUESTED,
	ZL_INSP_EXT_GRANTED,
	ZL_INSP_EXT_REFUSED,
};

/* Items of a report are numbered 0..n-1 in the report's order; at most this many. */
#define ZL_INSP_ITEMS_MAX 256
#define ZL_INSP_ITEM_WORDS (ZL_INSP_ITEMS_MAX / 64)

/*
 * The record: the machine's state, fixed size, no pointers.  Written by zl_insp_init() and
 * zl_insp_apply() only; the store keeps it as it is and gives it back.  Dates are
 * "YYYY-MM-DD" or "".
 */
struct zl_inspection {
	enum zl_insp_state state;
	enum zl_insp_outcome outcome;
	enum zl_insp_verdict conclusion; /* of the report, then of the re-test; NO_VERDICT before */
	int nitems;			 /* items of the report; 0 before one (or when deemed) */
	uint64_t failed[ZL_INSP_ITEM_WORDS];	    /* items the report failed */
	uint64_t contested[ZL_INSP_ITEM_WORDS];	    /* items the objection contests */
	uint64_t retest_failed[ZL_INSP_ITEM_WORDS]; /* contested items the re-test failed */
	int deemed;			   /* failed by deem_failed (refusal after a warning) */
	int notified_late;		   /* notify came after its deadline */
	int refusals, warnings, resamples; /* counts of refuse_sampling, warn, resample */
	enum zl_insp_extension extension;
	int extension_asked; /* days requested */
	int extension_days;  /* days granted */
	int level;	     /* sanctions reached: 0 none, 1 announced, 2 suspended */
	char plan_due[11];   /* the plan's last day for sampling, or "" */
	char last_on[11];    /* date of the last step (return_samples aside) */
	char sampled_on[11];
	char report_on[11];
	char notified_on[11];
	char received_on[11]; /* the result's receipt: the objection period starts here */
	char objected_on[11];
	char final_on[11]; /* the day the failure became final */
	char order_on[11]; /* rectification order issued */
	char order_received_on[11];
	char extension_asked_on[11];
	char follow_up_applied_on[11];
	char follow_up_on[11]; /* the latest follow-up check */
	char announced_on[11];
	char suspended_on[11];
	char suspended_until[11];
	char samples_returned_on[11];
	char closed_on[11]; /* closed or cancelled */
};

/* One test item of a laboratory report.  Strings are borrowed for the call. */
struct zl_insp_item {
	const char *name;     /* 检验项目: required, distinct within the report */
	const char *measured; /* 检验结果 as written: required */
	const char *limit;    /* 标准要求: required */
	const char *unit;     /* may be NULL / "" */
	enum zl_insp_verdict verdict;
};

/* The sampling record (抽样单) beyond its date and samplers. */
struct zl_insp_sampling {
	const char *place;	     /* "production" | "circulation" | "ecommerce" */
	const char *batch;	     /* 批号 */
	const char *production_date; /* YYYY-MM-DD, not after the sampling date */
	const char *spec;	     /* 规格型号 */
	const char *trademark;	     /* 商标 (as marked; "无" when none) */
	int sample_qty;		     /* >= 1 */
	int backup_qty;		     /* >= 1 */
	int backup_sealed;	     /* 1: the backup sample is sealed */
	const char *seal_no;	     /* the seal's number */
	int photos;		     /* photos taken */
};

/*
 * One event.  `event`, `role` and `date` are always required; the rest only where the
 * event reads it (zl_insp_apply() says which).  Everything is borrowed for the call.
 */
struct zl_insp_event {
	enum zl_insp_event_id event;
	enum zl_insp_role role;
	enum zl_insp_level level;    /* announce, suspend: the acting authority's level */
	const char *date;	     /* the act's date: YYYY-MM-DD, not after today */
	const char *doc_no;	     /* enter/amend_report, retest_*: report number;
					order_rectification: order number */
	const char *reason;	     /* refuse_sampling (statement), sample_unusable,
					reject_objection, refuse_extension, exempt, cancel */
	const char *received_on;     /* order_rectification: the day the order was received */
	const char *until;	     /* suspend: the period's last day */
	int days;		     /* request_extension, grant_extension */
	const char *const *samplers; /* record_sampling, refuse_sampling */
	size_t nsamplers;
	const struct zl_insp_sampling *sampling; /* record_sampling */
	const struct zl_insp_item *items;	 /* enter_report, amend_report */
	size_t nitems;
	enum zl_insp_verdict conclusion; /* enter_report, amend_report */
	const size_t *contested;	 /* object; retest_*: item numbers */
	size_t ncontested;
	const enum zl_insp_verdict *verdicts; /* retest_*: one per contested[] */
};

/*
 * The rule numbers.  zl_insp_rules_default() gives the statutory ones of
 * inspection.def; a province whose rules differ (or a later national rule) changes them
 * here, not in the code.
 */
struct zl_insp_rules {
	int notify_working_days;   /* 5 */
	int objection_days;	   /* 15 */
	int sample_return_days;	   /* 7 */
	int rectification_days;	   /* 30 */
	int extension_max_days;	   /* 30 */
	int extension_notice_days; /* 5 */
	int roll_to_working_day;   /* 1: a calendar-day period ending on a day off moves on [U] */
	int min_samplers;	   /* 2 [U] */
	int min_photos;		   /* 1 [U] */
};

/* What every call needs from outside. */
struct zl_insp_env {
	const struct zl_workdays *wd;	   /* required: the working-day calendar */
	const char *today;		   /* required: YYYY-MM-DD in Asia/Shanghai */
	const struct zl_insp_rules *rules; /* NULL: zl_insp_rules_default() */
};

/* One row of the transition table.  Strings are static. */
struct zl_insp_transition {
	enum zl_insp_state from;
	enum zl_insp_event_id event;
	enum zl_insp_state to;
	unsigned roles;		    /* ZL_INSP_BY_* */
	const char *credit_kind;    /* "spot_check", "penalty", or NULL: nothing written */
	const char *credit_subkind; /* "failed", "passed", "minor", "major", or NULL */
	const char *credit_title;   /* the credit event's title, or NULL */
	const char *guard;	    /* the guard in words */
	const char *source;	    /* legal source, "" when none */
};

/* One deadline rule.  Strings are static. */
enum zl_insp_unit { ZL_INSP_WORKING, ZL_INSP_CALENDAR, ZL_INSP_SET };
struct zl_insp_deadline_rule {
	const char *name;
	int count; /* the statutory default (the rules may change it) */
	enum zl_insp_unit unit;
	const char *from;
	const char *source;
	int confirmed; /* 0: an interpretation ([U]) */
	const char *text;
};

/* One row of "what a state puts on someone's list".  Strings are static. */
enum zl_insp_due_kind { ZL_INSP_DUTY, ZL_INSP_RIGHT, ZL_INSP_TIMER };
struct zl_insp_due_rule {
	enum zl_insp_state state;
	enum zl_insp_task task;
	unsigned roles;
	enum zl_insp_due_kind kind;
	int deadline; /* enum zl_insp_deadline_id, ZL_INSP_DL_NONE or ZL_INSP_DL_PLAN */
	const char *text;
};

/* What a transition asks the caller to store besides the next record. */
struct zl_insp_effect {
	const struct zl_insp_transition *row; /* the transition taken */
	const char *credit_kind;	      /* NULL: nothing for the credit archive */
	const char *credit_subkind;
	const char *credit_title;
	char credit_date[11]; /* the credit event's date: the event's date */
	int late;	      /* notify: after its deadline (also in the record) */
	char deadline[11];    /* notify: the deadline it was checked against */
};

/* One item of a task list. */
struct zl_insp_due {
	enum zl_insp_task task;
	unsigned roles;		    /* who it is for */
	enum zl_insp_due_kind kind; /* duty, right or timer */
	int deadline;		    /* the rule its date comes from (as zl_insp_due_rule) */
	char date[11];		    /* duty/right: the last day; timer: the first day; "" none */
	int overdue;		    /* duty: today is after its date */
	int ready;		    /* timer: today is on or after its date */
};
#define ZL_INSP_DUES_MAX 8

/* Every deadline of a record ("" where it does not apply yet or any more). */
struct zl_insp_deadlines {
	char notify_by[11];	       /* report + 5 working days */
	char objection_until[11];      /* receipt + 15 days (moved off a day off) */
	char sample_return_by[11];     /* objection end + 7 days, when no objection */
	char rectify_by[11];	       /* order receipt + 30 days (+ extension) */
	char extension_request_by[11]; /* rectify_by - 5 days, while none was asked */
	char suspended_until[11];      /* the suspension's end */
};

/* The statutory rule numbers of inspection.def. */
struct zl_insp_rules zl_insp_rules_default(void);

/*
 * Start a record in state planned.  `plan_due` is the plan's last day for sampling
 * ("" / NULL: none).  ZL_OK, or ZL_EINVAL (field "plan_due") for a malformed date, the
 * record then zeroed in state planned.
 */
int zl_insp_init(struct zl_inspection *rec, const char *plan_due, struct zl_error *err);

/*
 * Apply `ev` to `rec` as of env->today.  On success fills *next (which may be rec itself)
 * and *eff (may be NULL) and returns ZL_OK.  On refusal returns, with err naming the field
 * and *next and *eff untouched:
 *   ZL_EINVAL     env->today missing or malformed (field "today"), an unknown event or
 *                 role, a malformed date, a payload the event needs missing (its field)
 *   ZL_ECONFLICT  the event is not allowed in the record's state (field "event"; the
 *                 message names the state, the event and the events allowed there)
 *   ZL_EFORBIDDEN the role may not fire it (field "role")
 *   ZL_EUNPROC    a guard does not hold (the field it is about: "date", "samplers",
 *                 "items[3].verdict", "conclusion", "contested[0]", "days", ...), or a
 *                 deadline cannot be computed outside the calendar (2014-2026)
 *   ZL_EINTERNAL  `rec` is not a record this machine could have produced (its field)
 * The event fields each event reads, beyond event, role and date:
 *   record_sampling   samplers, sampling            refuse_sampling  samplers, reason
 *   enter_report, amend_report   doc_no, items, conclusion
 *   object            contested                     retest_*         doc_no, contested, verdicts
 *   order_rectification   doc_no, received_on       request/grant_extension   days
 *   announce          level                         suspend          level, until
 *   sample_unusable, reject_objection, refuse_extension, exempt, cancel   reason
 */
int zl_insp_apply(const struct zl_inspection *rec, const struct zl_insp_event *ev,
		  const struct zl_insp_env *env, struct zl_inspection *next,
		  struct zl_insp_effect *eff, struct zl_error *err);

/*
 * Check that `rec` is a record the machine could have produced (states, enums, dates,
 * the fields each state needs).  For records read back from storage.  ZL_OK, or
 * ZL_EINTERNAL naming the field.
 */
int zl_insp_check(const struct zl_inspection *rec, struct zl_error *err);

/*
 * The deadlines of `rec` into *out.  ZL_OK; ZL_EINVAL for a bad env; ZL_EUNPROC when a
 * deadline falls outside the calendar (field names the deadline); ZL_EINTERNAL for a bad
 * record.  *out is all "" on failure.
 */
int zl_insp_deadlines(const struct zl_inspection *rec, const struct zl_insp_env *env,
		      struct zl_insp_deadlines *out, struct zl_error *err);

/*
 * What is due on `rec` for any of `roles` (ZL_INSP_BY_* bits; 0 = everyone), in the
 * order of the due rules: at most ZL_INSP_DUES_MAX items into out[], their number in *n.
 * Errors as zl_insp_deadlines(), *n = 0.
 */
int zl_insp_dues(const struct zl_inspection *rec, const struct zl_insp_env *env, unsigned roles,
		 struct zl_insp_due out[ZL_INSP_DUES_MAX], size_t *n, struct zl_error *err);

/* The events the table allows in `state` to any of `roles`: bit (1 << event). */
uint64_t zl_insp_events_for(enum zl_insp_state state, unsigned roles);

/*
 * The events of zl_insp_events_for(rec->state, roles) whose conditions on the record
 * hold today (e.g. no request_extension once one was asked, no finalize before the
 * objection period ends): the buttons to show.  Conditions on the event's own data (a
 * date, the items) are not known yet and not checked.  0 on a bad record or env.
 */
uint64_t zl_insp_available(const struct zl_inspection *rec, const struct zl_insp_env *env,
			   unsigned roles);

/* The transition table, in file order; its length in *n.  Immutable. */
const struct zl_insp_transition *zl_insp_transitions(size_t *n);
/* The row for (from, event), or NULL when the table has none. */
const struct zl_insp_transition *zl_insp_transition_find(enum zl_insp_state from,
							 enum zl_insp_event_id event);
/* The deadline rules and due rules; NULL past the end. */
const struct zl_insp_deadline_rule *zl_insp_deadline_rule(int id);
const struct zl_insp_due_rule *zl_insp_due_rules(size_t *n);

/*
 * Stable names (stored in the database and used by the API) and their parsers.  A name
 * function returns NULL for a value out of range; a parser returns ZL_OK or ZL_EINVAL.
 */
const char *zl_insp_state_name(enum zl_insp_state s);
const char *zl_insp_state_zh(enum zl_insp_state s);
int zl_insp_state_terminal(enum zl_insp_state s);
int zl_insp_state_parse(const char *s, enum zl_insp_state *out);
const char *zl_insp_event_name(enum zl_insp_event_id e);
const char *zl_insp_event_zh(enum zl_insp_event_id e);
int zl_insp_event_parse(const char *s, enum zl_insp_event_id *out);
const char *zl_insp_role_name(enum zl_insp_role r); /* officer inspector lab enterprise system */
int zl_insp_role_parse(const char *s, enum zl_insp_role *out);
const char *zl_insp_task_name(enum zl_insp_task t);
const char *zl_insp_outcome_name(enum zl_insp_outcome o); /* "" for NONE */
int zl_insp_outcome_parse(const char *s, enum zl_insp_outcome *out);
const char *zl_insp_verdict_name(enum zl_insp_verdict v); /* "", "pass", "fail" */
int zl_insp_verdict_parse(const char *s, enum zl_insp_verdict *out);
const char *zl_insp_level_name(enum zl_insp_level l); /* "", county city province national */
int zl_insp_level_parse(const char *s, enum zl_insp_level *out);
const char *zl_insp_extension_name(enum zl_insp_extension x); /* "", requested granted refused */
const char *zl_insp_due_kind_name(enum zl_insp_due_kind k);   /* duty right timer */

/*
 * The whole machine as one JSON object into `w`: {"states":[...], "events":[...],
 * "roles":[...], "deadlines":[...], "transitions":[...], "tasks":[...], "dues":[...]}, for
 * the API and the UI.  Errors are the writer's (zl_jw_error()).
 */
void zl_insp_describe_json(struct zl_jw *w);

/*
 * The tables of docs/inspections.md (states, transitions, deadlines, task lists) as
 * Markdown appended to `out`.  ZL_OK or the buffer's error.
 */
int zl_insp_describe_markdown(struct zl_buf *out);

#endif /* ZL_DOMAIN_INSPECTION_H */
