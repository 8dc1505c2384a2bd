/*
 * inspection.c - the spot-check state machine of domain/inspection.h: the tables built
 * from inspection.def, the deadline arithmetic over the working-day calendar, the
 * conditions each event needs of the record and of its date, the checks of each event's
 * data, and the descriptions for the API and the docs.
 *
 * One event goes through zl_insp_apply() in a fixed order, so that the error says the most
 * basic thing that is wrong: the environment, the record, the event's name and role, the
 * table (state), the role, the date, the conditions on the record, then the event's data.
 * Nothing is written until every check has passed.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "codes/workdays.h"
#include "core/buf.h"
#include "core/jw.h"
#include "core/timeutil.h"
#include "domain/inspection.h"

/* ---- the tables ------------------------------------------------------------------------ */

struct state_info {
	const char *name, *zh, *text;
	int terminal;
};

static const struct state_info states[ZL_INSP_STATE_COUNT] = {
#define ZL_INSP_STATE(id, name, zh, terminal, text) [ZL_INSP_##id] = {name, zh, text, terminal},
#include "domain/inspection.def"
};

struct event_info {
	const char *name, *zh, *text;
};

static const struct event_info events[ZL_INSP_EVENT_COUNT] = {
#define ZL_INSP_EVENT(id, name, zh, text) [ZL_INSP_EV_##id] = {name, zh, text},
#include "domain/inspection.def"
};

static const struct zl_insp_deadline_rule deadline_rules[ZL_INSP_DEADLINE_COUNT] = {
#define ZL_INSP_DEADLINE(id, name, count, unit, from, source, confirmed, text)                     \
	[ZL_INSP_DL_##id] = {name, count, ZL_INSP_##unit, from, source, confirmed, text},
#include "domain/inspection.def"
};

static const struct zl_insp_transition table[] = {
#define ZL_INSP_TRANSITION(from, event, to, roles, kind, subkind, title, guard, source)            \
	{ZL_INSP_##from, ZL_INSP_EV_##event, ZL_INSP_##to, roles, kind, subkind, title, guard,     \
	 source},
#include "domain/inspection.def"
};
#define NTABLE (sizeof(table) / sizeof(table[0]))

struct task_info {
	const char *name, *text;
};

static const struct task_info tasks[ZL_INSP_TASK_COUNT] = {
#define ZL_INSP_TASK(id, name, text) [ZL_INSP_TASK_##id] = {name, text},
#include "domain/inspection.def"
};

static const struct zl_insp_due_rule due_rules[] = {
#define ZL_INSP_DUE(state, task, roles, kind, deadline, text)                                      \
	{ZL_INSP_##state, ZL_INSP_TASK_##task, roles, ZL_INSP_##kind, ZL_INSP_DL_##deadline, text},
#include "domain/inspection.def"
};
#define NDUE (sizeof(due_rules) / sizeof(due_rules[0]))

static const char *const role_names[ZL_INSP_ROLE_COUNT] = {"officer", "inspector", "lab",
							   "enterprise", "system"};
static const char *const outcome_names[ZL_INSP_OUTCOME_COUNT] = {
	"", "passed", "overturned", "rectified", "exempt", "revoked", "cancelled", "disposal_unknown"};
static const char *const verdict_names[] = {"", "pass", "fail"};
static const char *const level_names[] = {"", "county", "city", "province", "national"};
static const char *const extension_names[] = {"", "requested", "granted", "refused"};
static const char *const due_kind_names[] = {"duty", "right", "timer"};
static const char *const unit_names[] = {"working days", "days", "set by the order"};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))
#define SBIT(s) (1u << (s))

/* ---- names ----------------------------------------------------------------------------- */

/*
 * zl_insp_KIND_name() and zl_insp_KIND_parse() for one enum whose value i has the stable
 * word NAME(i), for N values.
 */
#define NAMES(kind, type, n, NAME)                                                                 \
	const char *zl_insp_##kind##_name(type v)                                                  \
	{                                                                                          \
		return (unsigned)v < (unsigned)(n) ? NAME(v) : NULL;                               \
	}                                                                                          \
	int zl_insp_##kind##_parse(const char *s, type *out)                                       \
	{                                                                                          \
		for (unsigned i = 0; s != NULL && i < (unsigned)(n); i++) {                        \
			if (strcmp(s, NAME(i)) == 0) {                                             \
				*out = (type)i;                                                    \
				return ZL_OK;                                                      \
			}                                                                          \
		}                                                                                  \
		return ZL_EINVAL;                                                                  \
	}

#define STATE_NAME(i) states[i].name
#define EVENT_NAME(i) events[i].name
#define ROLE_NAME(i) role_names[i]
#define OUTCOME_NAME(i) outcome_names[i]
#define VERDICT_NAME(i) verdict_names[i]
#define LEVEL_NAME(i) level_names[i]

NAMES(state, enum zl_insp_state, ZL_INSP_STATE_COUNT, STATE_NAME)
NAMES(event, enum zl_insp_event_id, ZL_INSP_EVENT_COUNT, EVENT_NAME)
NAMES(role, enum zl_insp_role, ZL_INSP_ROLE_COUNT, ROLE_NAME)
NAMES(outcome, enum zl_insp_outcome, ZL_INSP_OUTCOME_COUNT, OUTCOME_NAME)
NAMES(verdict, enum zl_insp_verdict, NELEM(verdict_names), VERDICT_NAME)
NAMES(level, enum zl_insp_level, NELEM(level_names), LEVEL_NAME)

const char *zl_insp_state_zh(enum zl_insp_state s)
{
	return (unsigned)s < ZL_INSP_STATE_COUNT ? states[s].zh : NULL;
}

int zl_insp_state_terminal(enum zl_insp_state s)
{
	return (unsigned)s < ZL_INSP_STATE_COUNT && states[s].terminal;
}

const char *zl_insp_event_zh(enum zl_insp_event_id e)
{
	return (unsigned)e < ZL_INSP_EVENT_COUNT ? events[e].zh : NULL;
}

const char *zl_insp_task_name(enum zl_insp_task t)
{
	return (unsigned)t < ZL_INSP_TASK_COUNT ? tasks[t].name : NULL;
}

const char *zl_insp_extension_name(enum zl_insp_extension x)
{
	return (unsigned)x < NELEM(extension_names) ? extension_names[x] : NULL;
}

const char *zl_insp_due_kind_name(enum zl_insp_due_kind k)
{
	return (unsigned)k < NELEM(due_kind_names) ? due_kind_names[k] : NULL;
}

/* ---- table access ---------------------------------------------------------------------- */

const struct zl_insp_transition *zl_insp_transitions(size_t *n)
{
	*n = NTABLE;
	return table;
}

const struct zl_insp_transition *zl_insp_transition_find(enum zl_insp_state from,
							 enum zl_insp_event_id event)
{
	for (size_t i = 0; i < NTABLE; i++)
		if (table[i].from == from && table[i].event == event)
			return &table[i];
	return NULL;
}

const struct zl_insp_deadline_rule *zl_insp_deadline_rule(int id)
{
	return id >= 0 && id < ZL_INSP_DEADLINE_COUNT ? &deadline_rules[id] : NULL;
}

const struct zl_insp_due_rule *zl_insp_due_rules(size_t *n)
{
	*n = NDUE;
	return due_rules;
}

uint64_t zl_insp_events_for(enum zl_insp_state state, unsigned roles)
{
	uint64_t set = 0;

	for (size_t i = 0; i < NTABLE; i++)
		if (table[i].from == state && (table[i].roles & roles))
			set |= UINT64_C(1) << table[i].event;
	return set;
}

struct zl_insp_rules zl_insp_rules_default(void)
{
	struct zl_insp_rules r;

	r.notify_working_days = deadline_rules[ZL_INSP_DL_NOTIFY].count;
	r.objection_days = deadline_rules[ZL_INSP_DL_OBJECTION].count;
	r.sample_return_days = deadline_rules[ZL_INSP_DL_SAMPLE_RETURN].count;
	r.rectification_days = deadline_rules[ZL_INSP_DL_RECTIFICATION].count;
	r.extension_max_days = deadline_rules[ZL_INSP_DL_EXTENSION].count;
	r.extension_notice_days = deadline_rules[ZL_INSP_DL_EXTENSION_REQUEST].count;
	r.roll_to_working_day = 1;
	r.min_samplers = 2;
	r.min_photos = 1;
	return r;
}

/* ---- dates and bit sets ---------------------------------------------------------------- */

#define NO_DAY INT64_MIN

static int given(const char *s)
{
	return s != NULL && s[0] != '\0';
}

/* A text that is given and not only spaces. */
static int has_text(const char *s)
{
	if (s == NULL)
		return 0;
	for (; *s; s++)
		if (*s != ' ' && *s != '\t' && *s != '\r' && *s != '\n')
			return 1;
	return 0;
}

/* A record date: NO_DAY for "". */
static int64_t rday(const char *s)
{
	int64_t d;

	if (!given(s) || zl_date_parse(s, &d) != ZL_OK)
		return NO_DAY;
	return d;
}

static void put_day(char dst[11], int64_t day)
{
	char buf[16];

	if (day == NO_DAY) {
		dst[0] = '\0';
		return;
	}
	zl_date_format(day, buf);
	zl_strlcpy(dst, buf, 11);
}

static int bit_get(const uint64_t *set, size_t i)
{
	return (int)((set[i / 64] >> (i % 64)) & 1u);
}

static void bit_set(uint64_t *set, size_t i)
{
	set[i / 64] |= UINT64_C(1) << (i % 64);
}

static int bits_empty(const uint64_t *set)
{
	for (int w = 0; w < ZL_INSP_ITEM_WORDS; w++)
		if (set[w])
			return 0;
	return 1;
}

static int bits_count(const uint64_t *set)
{
	int n = 0;

	for (int w = 0; w < ZL_INSP_ITEM_WORDS; w++)
		n += __builtin_popcountll(set[w]);
	return n;
}

/* ---- the environment and the deadlines ------------------------------------------------- */

/* What a call works with once the environment is checked. */
struct env {
	const struct zl_workdays *wd;
	struct zl_insp_rules rules;
	int64_t today;
};

static int env_load(const struct zl_insp_env *in, struct env *e, struct zl_error *err)
{
	if (in == NULL || in->wd == NULL)
		return zl_error_set(err, ZL_EINVAL, "calendar",
				    "the working-day calendar is missing");
	if (!given(in->today) || zl_date_parse(in->today, &e->today) != ZL_OK)
		return zl_error_set(err, ZL_EINVAL, "today", "today must be a date YYYY-MM-DD");
	e->wd = in->wd;
	e->rules = in->rules ? *in->rules : zl_insp_rules_default();
	if (e->rules.notify_working_days < 0 || e->rules.objection_days < 1 ||
	    e->rules.sample_return_days < 0 || e->rules.rectification_days < 1 ||
	    e->rules.extension_max_days < 0 || e->rules.extension_notice_days < 0 ||
	    e->rules.min_samplers < 1 || e->rules.min_photos < 0)
		return zl_error_set(
			err, ZL_EINVAL, "rules",
			"rule numbers must be non-negative (periods and samplers >= 1)");
	return ZL_OK;
}

/* Re-label a calendar refusal with the deadline it was computing. */
static int calendar_failed(int rc, const char *what, struct zl_error *err)
{
	if (err != NULL) {
		char msg[ZL_ERR_MSG_MAX];

		zl_strlcpy(msg, err->message, sizeof(msg));
		zl_error_set(err, (enum zl_err)rc, what, "%s cannot be computed: %s", what, msg);
	}
	return rc;
}

/* `from` + `days` calendar days, moved to the next working day when the rules say so. */
static int calendar_end(const struct env *e, int64_t from, int64_t days, const char *what,
			int64_t *out, struct zl_error *err)
{
	int rc;

	*out = from + days;
	if (!e->rules.roll_to_working_day)
		return ZL_OK;
	if ((rc = zl_workdays_next(e->wd, from + days, out, err)) != ZL_OK)
		return calendar_failed(rc, what, err);
	return ZL_OK;
}

static int notify_by(const struct env *e, const struct zl_inspection *r, int64_t *out,
		     struct zl_error *err)
{
	int rc = zl_workdays_add(e->wd, rday(r->report_on), e->rules.notify_working_days, out, err);

	return rc == ZL_OK ? ZL_OK : calendar_failed(rc, "notify_by", err);
}

static int objection_until(const struct env *e, const struct zl_inspection *r, int64_t *out,
			   struct zl_error *err)
{
	return calendar_end(e, rday(r->received_on), e->rules.objection_days, "objection_until",
			    out, err);
}

static int sample_return_by(const struct env *e, const struct zl_inspection *r, int64_t *out,
			    struct zl_error *err)
{
	int64_t end;
	int rc = objection_until(e, r, &end, err);

	if (rc != ZL_OK)
		return rc;
	return calendar_end(e, end, e->rules.sample_return_days, "sample_return_by", out, err);
}

/* The rectification period's last day; an extension runs on from the unmoved end. */
static int rectify_by(const struct env *e, const struct zl_inspection *r, int64_t *out,
		      struct zl_error *err)
{
	int64_t days = e->rules.rectification_days;

	if (r->extension == ZL_INSP_EXT_GRANTED)
		days += r->extension_days;
	return calendar_end(e, rday(r->order_received_on), days, "rectify_by", out, err);
}

/* The last day to ask for an extension: not moved off days off (inspection.def). */
static int extension_request_by(const struct env *e, const struct zl_inspection *r, int64_t *out,
				struct zl_error *err)
{
	int rc = rectify_by(e, r, out, err);

	if (rc == ZL_OK)
		*out -= e->rules.extension_notice_days;
	return rc;
}

/* The date a due rule's deadline gives on `r` (NO_DAY: none). */
static int deadline_day(const struct env *e, const struct zl_inspection *r, int id, int64_t *out,
			struct zl_error *err)
{
	*out = NO_DAY;
	switch (id) {
	case ZL_INSP_DL_NOTIFY:
		return notify_by(e, r, out, err);
	case ZL_INSP_DL_OBJECTION:
		return objection_until(e, r, out, err);
	case ZL_INSP_DL_SAMPLE_RETURN:
		return sample_return_by(e, r, out, err);
	case ZL_INSP_DL_RECTIFICATION:
	case ZL_INSP_DL_EXTENSION_DECISION:
		return rectify_by(e, r, out, err);
	case ZL_INSP_DL_EXTENSION_REQUEST:
		return extension_request_by(e, r, out, err);
	case ZL_INSP_DL_SUSPENSION:
		*out = rday(r->suspended_until);
		return ZL_OK;
	case ZL_INSP_DL_PLAN:
		*out = rday(r->plan_due);
		return ZL_OK;
	default:
		return ZL_OK;
	}
}

/* ---- the record ------------------------------------------------------------------------ */

int zl_insp_init(struct zl_inspection *rec, const char *plan_due, struct zl_error *err)
{
	int64_t d;

	memset(rec, 0, sizeof(*rec));
	rec->state = ZL_INSP_PLANNED;
	if (!given(plan_due))
		return ZL_OK;
	if (zl_date_parse(plan_due, &d) != ZL_OK)
		return zl_error_set(err, ZL_EINVAL, "plan_due",
				    "plan_due must be a date YYYY-MM-DD");
	put_day(rec->plan_due, d);
	return ZL_OK;
}

/* States after the report on the tested path, and those after a final failure. */
#define AFTER_REPORT                                                                               \
	(SBIT(ZL_INSP_TESTED) | SBIT(ZL_INSP_NOTIFIED) | SBIT(ZL_INSP_OBJECTION_WINDOW) |          \
	 SBIT(ZL_INSP_RETEST) | AFTER_FINAL)
#define AFTER_FINAL                                                                                \
	(SBIT(ZL_INSP_FAILED) | SBIT(ZL_INSP_RECTIFYING) | SBIT(ZL_INSP_FOLLOW_UP) |               \
	 SBIT(ZL_INSP_UNCORRECTED) | SBIT(ZL_INSP_ANNOUNCED) | SBIT(ZL_INSP_SUSPENDED))
#define AFTER_ORDER (AFTER_FINAL & ~SBIT(ZL_INSP_FAILED))

static int bad(struct zl_error *err, const char *field, const char *what)
{
	return zl_error_set(err, ZL_EINTERNAL, field, "not a record of the inspection machine: %s",
			    what);
}

static int check_dates(const struct zl_inspection *r, struct zl_error *err)
{
	const struct {
		const char *name;
		const char *value;
	} dates[] = {
		{"plan_due", r->plan_due},
		{"last_on", r->last_on},
		{"sampled_on", r->sampled_on},
		{"report_on", r->report_on},
		{"notified_on", r->notified_on},
		{"received_on", r->received_on},
		{"objected_on", r->objected_on},
		{"final_on", r->final_on},
		{"order_on", r->order_on},
		{"order_received_on", r->order_received_on},
		{"extension_asked_on", r->extension_asked_on},
		{"follow_up_applied_on", r->follow_up_applied_on},
		{"follow_up_on", r->follow_up_on},
		{"announced_on", r->announced_on},
		{"suspended_on", r->suspended_on},
		{"suspended_until", r->suspended_until},
		{"samples_returned_on", r->samples_returned_on},
		{"closed_on", r->closed_on},
	};
	int64_t d;

	for (size_t i = 0; i < NELEM(dates); i++) {
		if (memchr(dates[i].value, '\0', 11) == NULL ||
		    (given(dates[i].value) && zl_date_parse(dates[i].value, &d) != ZL_OK))
			return bad(err, dates[i].name, "a date must be YYYY-MM-DD or empty");
	}
	return ZL_OK;
}

int zl_insp_check(const struct zl_inspection *r, struct zl_error *err)
{
	unsigned s;
	int rc, tested;

	if ((unsigned)r->state >= ZL_INSP_STATE_COUNT)
		return bad(err, "state", "unknown state");
	s = SBIT(r->state);
	if ((unsigned)r->outcome >= ZL_INSP_OUTCOME_COUNT)
		return bad(err, "outcome", "unknown outcome");
	if ((unsigned)r->conclusion > ZL_INSP_FAIL)
		return bad(err, "conclusion", "unknown verdict");
	if ((unsigned)r->extension > ZL_INSP_EXT_REFUSED)
		return bad(err, "extension", "unknown extension state");
	if (r->nitems < 0 || r->nitems > ZL_INSP_ITEMS_MAX)
		return bad(err, "nitems", "item count out of range");
	if ((rc = check_dates(r, err)) != ZL_OK)
		return rc;
	for (int i = r->nitems; i < ZL_INSP_ITEMS_MAX; i++)
		if (bit_get(r->failed, (size_t)i) || bit_get(r->contested, (size_t)i) ||
		    bit_get(r->retest_failed, (size_t)i))
			return bad(err, "failed", "an item beyond the report's items is marked");
	for (int w = 0; w < ZL_INSP_ITEM_WORDS; w++) {
		if (r->contested[w] & ~r->failed[w])
			return bad(err, "contested", "a contested item did not fail");
		if (r->retest_failed[w] & ~r->contested[w])
			return bad(err, "retest_failed", "a re-tested item was not contested");
	}
	if (r->refusals < 0 || r->warnings < 0 || r->resamples < 0 || r->warnings > r->refusals)
		return bad(err, "warnings", "counts out of range");
	if (r->deemed != 0 && r->deemed != 1)
		return bad(err, "deemed", "a flag is 0 or 1");
	if (r->notified_late != 0 && r->notified_late != 1)
		return bad(err, "notified_late", "a flag is 0 or 1");
	/* An imported failure waits in state failed with its disposal unknown. */
	if (r->outcome == ZL_INSP_OUTCOME_DISPOSAL_UNKNOWN) {
		if (r->state != ZL_INSP_FAILED)
			return bad(err, "outcome", "disposal_unknown outside state failed");
	} else if ((r->outcome == ZL_INSP_OUTCOME_NONE) != !states[r->state].terminal ||
	    (r->outcome == ZL_INSP_OUTCOME_CANCELLED) != (r->state == ZL_INSP_CANCELLED))
		return bad(err, "outcome", "the outcome does not fit the state");
	if (r->state == ZL_INSP_ANNOUNCED ? r->level != 1
	    : r->state == ZL_INSP_SUSPENDED
		    ? r->level != 2
		    : (r->level < 0 || r->level > 2 ||
		       (r->level > 0 && !(s & (SBIT(ZL_INSP_UNCORRECTED) | SBIT(ZL_INSP_CLOSED))))))
		return bad(err, "level", "the sanction level does not fit the state");
	if (r->extension != ZL_INSP_EXT_NONE &&
	    (!(s & (AFTER_ORDER | SBIT(ZL_INSP_CLOSED))) || !given(r->extension_asked_on) ||
	     r->extension_asked < 1))
		return bad(err, "extension", "an extension without a rectification order");
	if (r->extension == ZL_INSP_EXT_GRANTED
		    ? r->extension_days < 1 || r->extension_days > r->extension_asked
		    : r->extension_days != 0)
		return bad(err, "extension_days", "granted days do not fit the request");
	/* A report exists on the tested path; a deemed failure has none. */
	tested = !r->deemed && ((s & AFTER_REPORT) || r->nitems > 0);
	if (tested &&
	    (r->nitems < 1 || !given(r->report_on) || r->conclusion == ZL_INSP_NO_VERDICT))
		return bad(err, "report_on", "a state after the report without one");
	if (tested && bits_empty(r->failed) != (r->conclusion == ZL_INSP_PASS) &&
	    !given(r->objected_on))
		return bad(err, "conclusion", "the conclusion does not fit the failed items");
	if (r->deemed && (r->nitems != 0 || r->conclusion != ZL_INSP_FAIL || !given(r->final_on)))
		return bad(err, "deemed", "a deemed failure has no items and a final date");
	if ((s & (AFTER_REPORT & ~SBIT(ZL_INSP_TESTED))) && !r->deemed &&
	    (!given(r->notified_on) || (!(s & SBIT(ZL_INSP_NOTIFIED)) && !given(r->received_on))))
		return bad(err, "received_on", "a state after the notification without its dates");
	if ((s & SBIT(ZL_INSP_RETEST)) && !given(r->objected_on))
		return bad(err, "objected_on", "a re-test without an objection");
	if ((s & AFTER_FINAL) && (r->conclusion != ZL_INSP_FAIL || !given(r->final_on)))
		return bad(err, "final_on", "a state after a final failure without one");
	if ((s & AFTER_ORDER) && (!given(r->order_on) || !given(r->order_received_on)))
		return bad(err, "order_received_on", "a state after the order without its dates");
	if ((s & (SBIT(ZL_INSP_SUSPENDED))) && !given(r->suspended_until))
		return bad(err, "suspended_until", "a suspension without its end");
	if (states[r->state].terminal && !given(r->closed_on))
		return bad(err, "closed_on", "a terminal state without its date");
	return ZL_OK;
}

/* ---- conditions on the record and the event's date ------------------------------------- */

/* Refuse the event's date: "<why> <day>". */
static int refuse_date(struct zl_error *err, const char *why, int64_t day)
{
	char d[16];

	zl_date_format(day, d);
	return zl_error_set(err, ZL_EUNPROC, "date", "%s %s", why, d);
}

/*
 * What `event` needs of the record when it happens on `date`: the guard's part that does
 * not depend on the event's data.  Shared by zl_insp_apply() and zl_insp_available().
 */
static int conditions(const struct env *e, const struct zl_inspection *r,
		      enum zl_insp_event_id event, int64_t date, struct zl_error *err)
{
	int64_t d;
	int rc;

	if (event != ZL_INSP_EV_RETURN_SAMPLES && given(r->last_on) && date < rday(r->last_on))
		return refuse_date(err, "the date must not be before the previous step's date,",
				   rday(r->last_on));
	switch (event) {
	case ZL_INSP_EV_DEEM_FAILED:
		if (r->warnings < 1)
			return zl_error_set(err, ZL_EUNPROC, "warnings",
					    "a refusal is deemed a failure only after a warning "
					    "(warn first, then sample again)");
		return ZL_OK;
	case ZL_INSP_EV_OBJECT:
		if (r->conclusion != ZL_INSP_FAIL)
			return zl_error_set(
				err, ZL_EUNPROC, "conclusion",
				"the product passed: there is no failed item to contest");
		if ((rc = objection_until(e, r, &d, err)) != ZL_OK)
			return rc;
		if (date > d)
			return refuse_date(err, "the objection period ended on", d);
		return ZL_OK;
	case ZL_INSP_EV_CLOSE:
		if (r->conclusion != ZL_INSP_PASS)
			return zl_error_set(
				err, ZL_EUNPROC, "conclusion",
				"the product failed: close is for a pass (finalize a failure)");
		return ZL_OK;
	case ZL_INSP_EV_FINALIZE:
		if (r->conclusion != ZL_INSP_FAIL)
			return zl_error_set(
				err, ZL_EUNPROC, "conclusion",
				"the product passed: finalize is for a failure (close a pass)");
		if ((rc = objection_until(e, r, &d, err)) != ZL_OK)
			return rc;
		if (date <= d)
			return refuse_date(err, "the objection period runs until", d);
		return ZL_OK;
	case ZL_INSP_EV_REQUEST_EXTENSION:
		if (r->extension != ZL_INSP_EXT_NONE)
			return zl_error_set(err, ZL_EUNPROC, "extension",
					    "an extension was already %s: only one may be asked",
					    extension_names[r->extension]);
		if ((rc = extension_request_by(e, r, &d, err)) != ZL_OK)
			return rc;
		if (date > d)
			return refuse_date(err,
					   "the last day to ask for an extension (before the "
					   "period ends) was",
					   d);
		return ZL_OK;
	case ZL_INSP_EV_GRANT_EXTENSION:
	case ZL_INSP_EV_REFUSE_EXTENSION:
		if (r->extension != ZL_INSP_EXT_REQUESTED)
			return zl_error_set(err, ZL_EUNPROC, "extension",
					    "no extension request is pending");
		return ZL_OK;
	case ZL_INSP_EV_APPLY_FOLLOW_UP:
		if ((rc = rectify_by(e, r, &d, err)) != ZL_OK)
			return rc;
		if (date > d)
			return refuse_date(err, "the rectification period ended on", d);
		return ZL_OK;
	case ZL_INSP_EV_LAPSE:
		if (r->extension == ZL_INSP_EXT_REQUESTED)
			return zl_error_set(err, ZL_EUNPROC, "extension",
					    "an extension request is undecided: decide it first");
		if ((rc = rectify_by(e, r, &d, err)) != ZL_OK)
			return rc;
		if (date <= d)
			return refuse_date(err, "the rectification period runs until", d);
		return ZL_OK;
	case ZL_INSP_EV_ANNOUNCE:
		if (r->level != 0)
			return zl_error_set(err, ZL_EUNPROC, "level",
					    "already announced: the next step is suspension");
		return ZL_OK;
	case ZL_INSP_EV_SUSPEND:
		if (r->level != 1)
			return zl_error_set(err, ZL_EUNPROC, "level",
					    r->level == 0
						    ? "suspension comes after the announcement"
						    : "already suspended: the next step is "
						      "revocation");
		return ZL_OK;
	case ZL_INSP_EV_REVOKE:
		if (r->level != 2)
			return zl_error_set(err, ZL_EUNPROC, "level",
					    "revocation comes after a suspension");
		return ZL_OK;
	case ZL_INSP_EV_RETURN_SAMPLES:
		if (!given(r->received_on))
			return zl_error_set(err, ZL_EUNPROC, "received_on",
					    "no result was received: there is no objection period "
					    "and no sample to return");
		if (given(r->objected_on))
			return zl_error_set(
				err, ZL_EUNPROC, "objected_on",
				"the result was contested: the samples are not returned "
				"as uncontested");
		if (given(r->samples_returned_on))
			return zl_error_set(err, ZL_EUNPROC, "samples_returned_on",
					    "the return was already notified on %s",
					    r->samples_returned_on);
		if ((rc = objection_until(e, r, &d, err)) != ZL_OK)
			return rc;
		if (date <= d)
			return refuse_date(err,
					   "samples are returned after the objection period, "
					   "which runs until",
					   d);
		return ZL_OK;
	default:
		return ZL_OK;
	}
}

/* ---- the events' data ------------------------------------------------------------------ */

/* One event being applied: the checks read rec and ev, the writes go to nx. */
struct step {
	const struct env *e;
	const struct zl_inspection *rec;
	const struct zl_insp_event *ev;
	struct zl_inspection nx;
	int64_t date;
	struct zl_insp_effect eff;
	struct zl_error *err;
};

static int need_text(const char *s, const char *field, struct zl_error *err)
{
	if (s == NULL)
		return zl_error_set(err, ZL_EINVAL, field, "%s is required", field);
	if (!has_text(s))
		return zl_error_set(err, ZL_EUNPROC, field, "%s must not be empty", field);
	return ZL_OK;
}

static int need_samplers(const struct step *st)
{
	const struct zl_insp_event *ev = st->ev;
	char field[32];
	int rc;

	if (ev->nsamplers > 0 && ev->samplers == NULL)
		return zl_error_set(st->err, ZL_EINVAL, "samplers", "samplers are missing");
	if (ev->nsamplers < (size_t)st->e->rules.min_samplers)
		return zl_error_set(st->err, ZL_EUNPROC, "samplers",
				    "at least %d samplers must sign, %zu given",
				    st->e->rules.min_samplers, ev->nsamplers);
	for (size_t i = 0; i < ev->nsamplers; i++) {
		snprintf(field, sizeof(field), "samplers[%zu]", i);
		if ((rc = need_text(ev->samplers[i], field, st->err)) != ZL_OK)
			return rc;
		for (size_t j = 0; j < i; j++)
			if (strcmp(ev->samplers[i], ev->samplers[j]) == 0)
				return zl_error_set(st->err, ZL_EUNPROC, field,
						    "the samplers must be distinct people: %s is "
						    "samplers[%zu] too",
						    ev->samplers[i], j);
	}
	return ZL_OK;
}

static int ev_record_sampling(struct step *st)
{
	const struct zl_insp_sampling *s = st->ev->sampling;
	int64_t made;
	int rc;

	if ((rc = need_samplers(st)) != ZL_OK)
		return rc;
	if (s == NULL)
		return zl_error_set(st->err, ZL_EINVAL, "sampling",
				    "the sampling record is missing");
	if ((rc = need_text(s->place, "sampling.place", st->err)) != ZL_OK)
		return rc;
	if (strcmp(s->place, "production") != 0 && strcmp(s->place, "circulation") != 0 &&
	    strcmp(s->place, "ecommerce") != 0)
		return zl_error_set(st->err, ZL_EUNPROC, "sampling.place",
				    "the place is production, circulation or ecommerce");
	if ((rc = need_text(s->batch, "sampling.batch", st->err)) != ZL_OK ||
	    (rc = need_text(s->spec, "sampling.spec", st->err)) != ZL_OK ||
	    (rc = need_text(s->trademark, "sampling.trademark", st->err)) != ZL_OK)
		return rc;
	if (!given(s->production_date) || zl_date_parse(s->production_date, &made) != ZL_OK)
		return zl_error_set(st->err, ZL_EINVAL, "sampling.production_date",
				    "the production date must be a date YYYY-MM-DD");
	if (made > st->date)
		return zl_error_set(st->err, ZL_EUNPROC, "sampling.production_date",
				    "the production date is after the sampling date");
	if (s->sample_qty < 1)
		return zl_error_set(st->err, ZL_EUNPROC, "sampling.sample_qty",
				    "the sample quantity must be at least 1");
	if (s->backup_qty < 1)
		return zl_error_set(st->err, ZL_EUNPROC, "sampling.backup_qty",
				    "a backup sample must be kept for a re-test");
	if (!s->backup_sealed)
		return zl_error_set(st->err, ZL_EUNPROC, "sampling.backup_sealed",
				    "the backup sample must be sealed");
	if ((rc = need_text(s->seal_no, "sampling.seal_no", st->err)) != ZL_OK)
		return rc;
	if (s->photos < st->e->rules.min_photos)
		return zl_error_set(st->err, ZL_EUNPROC, "sampling.photos",
				    "at least %d photo(s) of the sampling must be attached",
				    st->e->rules.min_photos);
	put_day(st->nx.sampled_on, st->date);
	return ZL_OK;
}

static int ev_report(struct step *st)
{
	const struct zl_insp_event *ev = st->ev;
	char field[40];
	int rc, any_failed = 0;

	if ((rc = need_text(ev->doc_no, "doc_no", st->err)) != ZL_OK)
		return rc;
	if (ev->nitems > 0 && ev->items == NULL)
		return zl_error_set(st->err, ZL_EINVAL, "items", "the items are missing");
	if (ev->nitems < 1 || ev->nitems > ZL_INSP_ITEMS_MAX)
		return zl_error_set(st->err, ZL_EUNPROC, "items",
				    "a report has 1 to %d test items, %zu given", ZL_INSP_ITEMS_MAX,
				    ev->nitems);
	memset(st->nx.failed, 0, sizeof(st->nx.failed));
	for (size_t i = 0; i < ev->nitems; i++) {
		const struct zl_insp_item *it = &ev->items[i];

		snprintf(field, sizeof(field), "items[%zu].name", i);
		if ((rc = need_text(it->name, field, st->err)) != ZL_OK)
			return rc;
		for (size_t j = 0; j < i; j++)
			if (strcmp(it->name, ev->items[j].name) == 0)
				return zl_error_set(st->err, ZL_EUNPROC, field,
						    "item names must be distinct: \"%s\" is "
						    "items[%zu] too",
						    it->name, j);
		snprintf(field, sizeof(field), "items[%zu].measured", i);
		if ((rc = need_text(it->measured, field, st->err)) != ZL_OK)
			return rc;
		snprintf(field, sizeof(field), "items[%zu].limit", i);
		if ((rc = need_text(it->limit, field, st->err)) != ZL_OK)
			return rc;
		snprintf(field, sizeof(field), "items[%zu].verdict", i);
		if (it->verdict != ZL_INSP_PASS && it->verdict != ZL_INSP_FAIL)
			return zl_error_set(st->err, ZL_EUNPROC, field,
					    "every item needs a verdict, pass or fail");
		if (it->verdict == ZL_INSP_FAIL) {
			bit_set(st->nx.failed, i);
			any_failed = 1;
		}
	}
	if (ev->conclusion != ZL_INSP_PASS && ev->conclusion != ZL_INSP_FAIL)
		return zl_error_set(st->err, ZL_EUNPROC, "conclusion",
				    "the conclusion is pass or fail");
	if ((ev->conclusion == ZL_INSP_FAIL) != any_failed)
		return zl_error_set(st->err, ZL_EUNPROC, "conclusion",
				    any_failed ? "an item failed, so the conclusion is fail"
					       : "no item failed, so the conclusion is pass");
	st->nx.nitems = (int)ev->nitems;
	st->nx.conclusion = ev->conclusion;
	put_day(st->nx.report_on, st->date);
	return ZL_OK;
}

static int ev_notify(struct step *st)
{
	int64_t by;
	int rc;

	if ((rc = notify_by(st->e, st->rec, &by, st->err)) != ZL_OK)
		return rc;
	st->nx.notified_late = st->date > by;
	st->eff.late = st->nx.notified_late;
	put_day(st->eff.deadline, by);
	put_day(st->nx.notified_on, st->date);
	return ZL_OK;
}

static int ev_object(struct step *st)
{
	const struct zl_insp_event *ev = st->ev;
	char field[32];

	if (ev->ncontested > 0 && ev->contested == NULL)
		return zl_error_set(st->err, ZL_EINVAL, "contested",
				    "the contested items are missing");
	if (ev->ncontested < 1)
		return zl_error_set(st->err, ZL_EUNPROC, "contested",
				    "name at least one failed item to contest");
	memset(st->nx.contested, 0, sizeof(st->nx.contested));
	for (size_t i = 0; i < ev->ncontested; i++) {
		size_t it = ev->contested[i];

		snprintf(field, sizeof(field), "contested[%zu]", i);
		if (it >= (size_t)st->rec->nitems)
			return zl_error_set(
				st->err, ZL_EUNPROC, field,
				"items[%zu] is not in the report (items[0] to items[%d])", it,
				st->rec->nitems - 1);
		if (!bit_get(st->rec->failed, it))
			return zl_error_set(st->err, ZL_EUNPROC, field,
					    "items[%zu] passed: only failed items can be contested",
					    it);
		if (bit_get(st->nx.contested, it))
			return zl_error_set(st->err, ZL_EUNPROC, field, "items[%zu] is named twice",
					    it);
		bit_set(st->nx.contested, it);
	}
	put_day(st->nx.objected_on, st->date);
	return ZL_OK;
}

/* The re-test's verdicts: exactly one per contested item.  *fails: items failing after it. */
static int retest_verdicts(struct step *st, int *fails)
{
	const struct zl_insp_event *ev = st->ev;
	uint64_t seen[ZL_INSP_ITEM_WORDS] = {0};
	char field[32];
	int rc;

	if ((rc = need_text(ev->doc_no, "doc_no", st->err)) != ZL_OK)
		return rc;
	if (ev->ncontested > 0 && (ev->contested == NULL || ev->verdicts == NULL))
		return zl_error_set(st->err, ZL_EINVAL, "verdicts",
				    "the re-test verdicts are missing");
	if (ev->ncontested != (size_t)bits_count(st->rec->contested))
		return zl_error_set(st->err, ZL_EUNPROC, "verdicts",
				    "the re-test gives a verdict for each of the %d contested "
				    "items, %zu given",
				    bits_count(st->rec->contested), ev->ncontested);
	memset(st->nx.retest_failed, 0, sizeof(st->nx.retest_failed));
	for (size_t i = 0; i < ev->ncontested; i++) {
		size_t it = ev->contested[i];

		snprintf(field, sizeof(field), "contested[%zu]", i);
		if (it >= (size_t)st->rec->nitems || !bit_get(st->rec->contested, it))
			return zl_error_set(st->err, ZL_EUNPROC, field,
					    "item %zu was not contested", it);
		if (bit_get(seen, it))
			return zl_error_set(st->err, ZL_EUNPROC, field, "items[%zu] is named twice",
					    it);
		bit_set(seen, it);
		snprintf(field, sizeof(field), "verdicts[%zu]", i);
		if (ev->verdicts[i] != ZL_INSP_PASS && ev->verdicts[i] != ZL_INSP_FAIL)
			return zl_error_set(st->err, ZL_EUNPROC, field,
					    "every re-tested item needs a verdict, pass or fail");
		if (ev->verdicts[i] == ZL_INSP_FAIL)
			bit_set(st->nx.retest_failed, it);
	}
	*fails = 0;
	for (int w = 0; w < ZL_INSP_ITEM_WORDS; w++)
		*fails += __builtin_popcountll((st->rec->failed[w] & ~st->rec->contested[w]) |
					       st->nx.retest_failed[w]);
	return ZL_OK;
}

static int ev_retest_upheld(struct step *st)
{
	int rc, fails;

	if ((rc = retest_verdicts(st, &fails)) != ZL_OK)
		return rc;
	if (fails == 0)
		return zl_error_set(st->err, ZL_EUNPROC, "verdicts",
				    "no item fails any more: the re-test overturns the failure "
				    "(retest_overturned)");
	put_day(st->nx.final_on, st->date);
	return ZL_OK;
}

static int ev_retest_overturned(struct step *st)
{
	int rc, fails;

	if ((rc = retest_verdicts(st, &fails)) != ZL_OK)
		return rc;
	if (fails != 0)
		return zl_error_set(st->err, ZL_EUNPROC, "verdicts",
				    "%d item(s) still fail: the failure stands (retest_upheld)",
				    fails);
	st->nx.conclusion = ZL_INSP_PASS;
	st->nx.outcome = ZL_INSP_OUTCOME_OVERTURNED;
	return ZL_OK;
}

static int ev_order(struct step *st)
{
	int64_t got;
	int rc;

	if ((rc = need_text(st->ev->doc_no, "doc_no", st->err)) != ZL_OK)
		return rc;
	if (!given(st->ev->received_on) || zl_date_parse(st->ev->received_on, &got) != ZL_OK)
		return zl_error_set(st->err, ZL_EINVAL, "received_on",
				    "the day the order was received must be a date YYYY-MM-DD");
	if (got < st->date || got > st->e->today)
		return zl_error_set(
			st->err, ZL_EUNPROC, "received_on",
			"the order is received on or after its date and not after today");
	put_day(st->nx.order_on, st->date);
	put_day(st->nx.order_received_on, got);
	return ZL_OK;
}

static int ev_extension_days(struct step *st, int most)
{
	if (st->ev->days < 1 || st->ev->days > most)
		return zl_error_set(st->err, ZL_EUNPROC, "days",
				    "an extension is 1 to %d days, %d given", most, st->ev->days);
	return ZL_OK;
}

static int need_authority(struct step *st)
{
	enum zl_insp_level l = st->ev->level;

	if ((unsigned)l > ZL_INSP_LEVEL_NATIONAL)
		return zl_error_set(st->err, ZL_EINVAL, "level", "unknown authority level");
	if (l != ZL_INSP_LEVEL_PROVINCE && l != ZL_INSP_LEVEL_NATIONAL)
		return zl_error_set(
			st->err, ZL_EUNPROC, "level",
			"only a provincial or higher authority may %s (产品质量法 art. 17)",
			events[st->ev->event].name);
	return ZL_OK;
}

static void close_as(struct step *st, enum zl_insp_outcome o)
{
	st->nx.outcome = o;
	put_day(st->nx.closed_on, st->date);
}

/* The event's data: checked, then written into st->nx (the state is set by the caller). */
static int event_data(struct step *st)
{
	const struct zl_insp_event *ev = st->ev;
	struct zl_inspection *nx = &st->nx;
	int64_t until;
	int rc;

	switch (ev->event) {
	case ZL_INSP_EV_RECORD_SAMPLING:
		return ev_record_sampling(st);
	case ZL_INSP_EV_REFUSE_SAMPLING:
		if ((rc = need_text(ev->reason, "reason", st->err)) != ZL_OK ||
		    (rc = need_samplers(st)) != ZL_OK)
			return rc;
		nx->refusals++;
		return ZL_OK;
	case ZL_INSP_EV_WARN:
		nx->warnings++;
		return ZL_OK;
	case ZL_INSP_EV_DEEM_FAILED:
		nx->deemed = 1;
		nx->conclusion = ZL_INSP_FAIL;
		put_day(nx->final_on, st->date);
		return ZL_OK;
	case ZL_INSP_EV_RESAMPLE:
		nx->resamples++;
		nx->sampled_on[0] = '\0';
		return ZL_OK;
	case ZL_INSP_EV_ENTER_REPORT:
	case ZL_INSP_EV_AMEND_REPORT:
		return ev_report(st);
	case ZL_INSP_EV_NOTIFY:
		return ev_notify(st);
	case ZL_INSP_EV_RECEIVE:
		put_day(nx->received_on, st->date);
		return ZL_OK;
	case ZL_INSP_EV_OBJECT:
		return ev_object(st);
	case ZL_INSP_EV_CLOSE:
		close_as(st, ZL_INSP_OUTCOME_PASSED);
		return ZL_OK;
	case ZL_INSP_EV_FINALIZE:
		put_day(nx->final_on, st->date);
		return ZL_OK;
	case ZL_INSP_EV_RETEST_UPHELD:
		return ev_retest_upheld(st);
	case ZL_INSP_EV_RETEST_OVERTURNED:
		if ((rc = ev_retest_overturned(st)) != ZL_OK)
			return rc;
		put_day(nx->closed_on, st->date);
		return ZL_OK;
	case ZL_INSP_EV_REJECT_OBJECTION:
		if ((rc = need_text(ev->reason, "reason", st->err)) != ZL_OK)
			return rc;
		put_day(nx->final_on, st->date);
		return ZL_OK;
	case ZL_INSP_EV_ORDER_RECTIFICATION:
		return ev_order(st);
	case ZL_INSP_EV_REQUEST_EXTENSION:
		if ((rc = ev_extension_days(st, st->e->rules.extension_max_days)) != ZL_OK)
			return rc;
		nx->extension = ZL_INSP_EXT_REQUESTED;
		nx->extension_asked = ev->days;
		put_day(nx->extension_asked_on, st->date);
		return ZL_OK;
	case ZL_INSP_EV_GRANT_EXTENSION: {
		int most = st->rec->extension_asked < st->e->rules.extension_max_days
				   ? st->rec->extension_asked
				   : st->e->rules.extension_max_days;

		if ((rc = ev_extension_days(st, most)) != ZL_OK)
			return rc;
		nx->extension = ZL_INSP_EXT_GRANTED;
		nx->extension_days = ev->days;
		return ZL_OK;
	}
	case ZL_INSP_EV_REFUSE_EXTENSION:
		if ((rc = need_text(ev->reason, "reason", st->err)) != ZL_OK)
			return rc;
		nx->extension = ZL_INSP_EXT_REFUSED;
		return ZL_OK;
	case ZL_INSP_EV_APPLY_FOLLOW_UP:
		put_day(nx->follow_up_applied_on, st->date);
		return ZL_OK;
	case ZL_INSP_EV_LAPSE:
		return ZL_OK;
	case ZL_INSP_EV_FOLLOW_UP_PASSED:
		put_day(nx->follow_up_on, st->date);
		close_as(st, ZL_INSP_OUTCOME_RECTIFIED);
		return ZL_OK;
	case ZL_INSP_EV_FOLLOW_UP_FAILED:
		put_day(nx->follow_up_on, st->date);
		return ZL_OK;
	case ZL_INSP_EV_ANNOUNCE:
		if ((rc = need_authority(st)) != ZL_OK)
			return rc;
		nx->level = 1;
		put_day(nx->announced_on, st->date);
		return ZL_OK;
	case ZL_INSP_EV_SUSPEND:
		if ((rc = need_authority(st)) != ZL_OK)
			return rc;
		if (!given(ev->until) || zl_date_parse(ev->until, &until) != ZL_OK)
			return zl_error_set(st->err, ZL_EINVAL, "until",
					    "the suspension's last day must be a date YYYY-MM-DD");
		if (until <= st->date)
			return zl_error_set(st->err, ZL_EUNPROC, "until",
					    "the suspension must end after the order");
		nx->level = 2;
		put_day(nx->suspended_on, st->date);
		put_day(nx->suspended_until, until);
		return ZL_OK;
	case ZL_INSP_EV_REVOKE:
		close_as(st, ZL_INSP_OUTCOME_REVOKED);
		return ZL_OK;
	case ZL_INSP_EV_EXEMPT:
		if ((rc = need_text(ev->reason, "reason", st->err)) != ZL_OK)
			return rc;
		close_as(st, ZL_INSP_OUTCOME_EXEMPT);
		return ZL_OK;
	case ZL_INSP_EV_RETURN_SAMPLES:
		put_day(nx->samples_returned_on, st->date);
		return ZL_OK;
	case ZL_INSP_EV_SAMPLE_UNUSABLE:
		return need_text(ev->reason, "reason", st->err);
	case ZL_INSP_EV_CANCEL:
		if ((rc = need_text(ev->reason, "reason", st->err)) != ZL_OK)
			return rc;
		close_as(st, ZL_INSP_OUTCOME_CANCELLED);
		return ZL_OK;
	default:
		return zl_error_set(st->err, ZL_EINTERNAL, "event", "event without a handler");
	}
}

/* ---- apply ----------------------------------------------------------------------------- */

/* "a, b or c": the names of the roles in `roles`. */
static void role_list(unsigned roles, char *out, size_t n)
{
	struct zl_buf b = ZL_BUF_INIT(256);
	int k = 0, total = __builtin_popcount(roles);

	for (int r = 0; r < ZL_INSP_ROLE_COUNT; r++) {
		if (!(roles & (1u << r)))
			continue;
		if (k > 0)
			zl_buf_adds(&b, k == total - 1 ? " or " : ", ");
		zl_buf_adds(&b, role_names[r]);
		k++;
	}
	zl_strlcpy(out, zl_buf_str(&b), n);
	zl_buf_release(&b);
}

static int wrong_state(const struct zl_inspection *rec, enum zl_insp_event_id event,
		       struct zl_error *err)
{
	struct zl_buf b = ZL_BUF_INIT(1024);
	uint64_t allowed = zl_insp_events_for(rec->state, ZL_INSP_BY_ANY);
	int rc;

	for (int e = 0; e < ZL_INSP_EVENT_COUNT; e++)
		if (allowed & (UINT64_C(1) << e))
			zl_buf_addf(&b, "%s%s", b.len ? ", " : "", events[e].name);
	rc = zl_error_set(err, ZL_ECONFLICT, "event",
			  "%s is not allowed in state %s (%s); allowed there: %s",
			  events[event].name, states[rec->state].name, states[rec->state].zh,
			  b.len ? zl_buf_str(&b) : "nothing, the state is terminal");
	zl_buf_release(&b);
	return rc;
}

int zl_insp_apply(const struct zl_inspection *rec, const struct zl_insp_event *ev,
		  const struct zl_insp_env *env, struct zl_inspection *next,
		  struct zl_insp_effect *eff, struct zl_error *err)
{
	const struct zl_insp_transition *row;
	struct env e;
	struct step st;
	char who[64];
	int rc;

	if ((rc = env_load(env, &e, err)) != ZL_OK)
		return rc;
	if ((rc = zl_insp_check(rec, err)) != ZL_OK)
		return rc;
	if (ev == NULL || (unsigned)ev->event >= ZL_INSP_EVENT_COUNT)
		return zl_error_set(err, ZL_EINVAL, "event", "unknown event");
	if ((unsigned)ev->role >= ZL_INSP_ROLE_COUNT)
		return zl_error_set(err, ZL_EINVAL, "role", "unknown role");
	row = zl_insp_transition_find(rec->state, ev->event);
	if (row == NULL)
		return wrong_state(rec, ev->event, err);
	if (!(row->roles & (1u << ev->role))) {
		role_list(row->roles, who, sizeof(who));
		return zl_error_set(
			err, ZL_EFORBIDDEN, "role", "%s in state %s is for the %s, not the %s",
			events[ev->event].name, states[rec->state].name, who, role_names[ev->role]);
	}

	memset(&st, 0, sizeof(st));
	st.e = &e;
	st.rec = rec;
	st.ev = ev;
	st.nx = *rec;
	st.err = err;
	if (!given(ev->date) || zl_date_parse(ev->date, &st.date) != ZL_OK)
		return zl_error_set(err, ZL_EINVAL, "date", "the date must be a date YYYY-MM-DD");
	if (st.date > e.today)
		return zl_error_set(err, ZL_EUNPROC, "date", "the date %s is after today (%s)",
				    ev->date, env->today);
	if ((rc = conditions(&e, rec, ev->event, st.date, err)) != ZL_OK)
		return rc;
	if ((rc = event_data(&st)) != ZL_OK)
		return rc;

	st.nx.state = row->to;
	/* A step on an imported failure: its disposal is known from now on. */
	if (st.nx.outcome == ZL_INSP_OUTCOME_DISPOSAL_UNKNOWN && st.nx.state != ZL_INSP_FAILED)
		st.nx.outcome = ZL_INSP_OUTCOME_NONE;
	if (ev->event != ZL_INSP_EV_RETURN_SAMPLES)
		put_day(st.nx.last_on, st.date);
	st.eff.row = row;
	st.eff.credit_kind = row->credit_kind;
	st.eff.credit_subkind = row->credit_subkind;
	st.eff.credit_title = row->credit_title;
	if (row->credit_kind != NULL)
		put_day(st.eff.credit_date, st.date);
	/* The machine must only produce records it accepts; anything else is a bug here. */
	if ((rc = zl_insp_check(&st.nx, err)) != ZL_OK)
		return rc;
	*next = st.nx;
	if (eff != NULL)
		*eff = st.eff;
	return ZL_OK;
}

uint64_t zl_insp_available(const struct zl_inspection *rec, const struct zl_insp_env *env,
			   unsigned roles)
{
	struct env e;
	uint64_t set, out = 0;

	if (env_load(env, &e, NULL) != ZL_OK || zl_insp_check(rec, NULL) != ZL_OK)
		return 0;
	set = zl_insp_events_for(rec->state, roles);
	for (int ev = 0; ev < ZL_INSP_EVENT_COUNT; ev++)
		if ((set & (UINT64_C(1) << ev)) &&
		    conditions(&e, rec, (enum zl_insp_event_id)ev, e.today, NULL) == ZL_OK)
			out |= UINT64_C(1) << ev;
	return out;
}

/* ---- deadlines and task lists ---------------------------------------------------------- */

int zl_insp_deadlines(const struct zl_inspection *rec, const struct zl_insp_env *env,
		      struct zl_insp_deadlines *out, struct zl_error *err)
{
	struct env e;
	int64_t d;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = env_load(env, &e, err)) != ZL_OK || (rc = zl_insp_check(rec, err)) != ZL_OK)
		return rc;
	if (given(rec->report_on)) {
		if ((rc = notify_by(&e, rec, &d, err)) != ZL_OK)
			goto fail;
		put_day(out->notify_by, d);
	}
	if (given(rec->received_on)) {
		if ((rc = objection_until(&e, rec, &d, err)) != ZL_OK)
			goto fail;
		put_day(out->objection_until, d);
		if (!given(rec->objected_on)) {
			if ((rc = sample_return_by(&e, rec, &d, err)) != ZL_OK)
				goto fail;
			put_day(out->sample_return_by, d);
		}
	}
	if (given(rec->order_received_on)) {
		if ((rc = rectify_by(&e, rec, &d, err)) != ZL_OK)
			goto fail;
		put_day(out->rectify_by, d);
		if (rec->extension == ZL_INSP_EXT_NONE)
			put_day(out->extension_request_by, d - e.rules.extension_notice_days);
	}
	zl_strlcpy(out->suspended_until, rec->suspended_until, sizeof(out->suspended_until));
	return ZL_OK;
fail:
	memset(out, 0, sizeof(*out));
	return rc;
}

/* Whether a due rule's task is on the list of `r` today (its "when" column). */
static int due_listed(const struct env *e, const struct zl_inspection *r,
		      const struct zl_insp_due_rule *d, int64_t date)
{
	int64_t end;

	switch (d->task) {
	case ZL_INSP_TASK_OBJECT:
		return r->conclusion == ZL_INSP_FAIL && e->today <= date;
	case ZL_INSP_TASK_FINALIZE:
		return r->conclusion == ZL_INSP_FAIL;
	case ZL_INSP_TASK_CLOSE:
		return r->conclusion == ZL_INSP_PASS;
	case ZL_INSP_TASK_REQUEST_EXTENSION:
		return r->extension == ZL_INSP_EXT_NONE && e->today <= date;
	case ZL_INSP_TASK_DECIDE_EXTENSION:
		return r->extension == ZL_INSP_EXT_REQUESTED;
	case ZL_INSP_TASK_LAPSE:
		return r->extension != ZL_INSP_EXT_REQUESTED;
	case ZL_INSP_TASK_RETURN_SAMPLES:
		return given(r->received_on) && !given(r->objected_on) &&
		       !given(r->samples_returned_on) &&
		       objection_until(e, r, &end, NULL) == ZL_OK && e->today > end;
	default:
		return 1;
	}
}

int zl_insp_dues(const struct zl_inspection *rec, const struct zl_insp_env *env, unsigned roles,
		 struct zl_insp_due out[ZL_INSP_DUES_MAX], size_t *n, struct zl_error *err)
{
	struct env e;
	int rc;

	*n = 0;
	if ((rc = env_load(env, &e, err)) != ZL_OK || (rc = zl_insp_check(rec, err)) != ZL_OK)
		return rc;
	if (roles == 0)
		roles = ZL_INSP_BY_ANY;
	/* Imported failures are nobody's task and fire no timer (inspection.h). */
	if (rec->outcome == ZL_INSP_OUTCOME_DISPOSAL_UNKNOWN)
		return ZL_OK;
	for (size_t i = 0; i < NDUE; i++) {
		const struct zl_insp_due_rule *d = &due_rules[i];
		struct zl_insp_due *o;
		int64_t date;

		if (d->state != rec->state || !(d->roles & roles))
			continue;
		if ((rc = deadline_day(&e, rec, d->deadline, &date, err)) != ZL_OK) {
			*n = 0;
			return rc;
		}
		if (!due_listed(&e, rec, d, date))
			continue;
		if (*n == ZL_INSP_DUES_MAX) /* the table has fewer per state: a bug */
			return zl_error_set(err, ZL_EINTERNAL, "dues",
					    "more dues than ZL_INSP_DUES_MAX");
		o = &out[(*n)++];
		memset(o, 0, sizeof(*o));
		o->task = d->task;
		o->roles = d->roles;
		o->kind = d->kind;
		o->deadline = d->deadline;
		if (date != NO_DAY && d->kind == ZL_INSP_TIMER)
			date++; /* a timer fires from the day after the period */
		put_day(o->date, date);
		o->overdue = date != NO_DAY && d->kind == ZL_INSP_DUTY && e.today > date;
		o->ready = date != NO_DAY && d->kind == ZL_INSP_TIMER && e.today >= date;
	}
	return ZL_OK;
}

/* ---- descriptions ---------------------------------------------------------------------- */

static void json_roles(struct zl_jw *w, const char *key, unsigned roles)
{
	zl_jw_key(w, key);
	zl_jw_arr_begin(w);
	for (int r = 0; r < ZL_INSP_ROLE_COUNT; r++)
		if (roles & (1u << r))
			zl_jw_str(w, role_names[r]);
	zl_jw_arr_end(w);
}

static const char *deadline_name(int id)
{
	return id == ZL_INSP_DL_PLAN	     ? "plan"
	       : id < ZL_INSP_DEADLINE_COUNT ? deadline_rules[id].name
					     : NULL;
}

void zl_insp_describe_json(struct zl_jw *w)
{
	zl_jw_obj_begin(w);
	zl_jw_key(w, "states");
	zl_jw_arr_begin(w);
	for (int s = 0; s < ZL_INSP_STATE_COUNT; s++) {
		zl_jw_obj_begin(w);
		zl_jw_kstr(w, "name", states[s].name);
		zl_jw_kstr(w, "zh", states[s].zh);
		zl_jw_kbool(w, "terminal", states[s].terminal);
		zl_jw_kstr(w, "description", states[s].text);
		zl_jw_obj_end(w);
	}
	zl_jw_arr_end(w);
	zl_jw_key(w, "events");
	zl_jw_arr_begin(w);
	for (int ev = 0; ev < ZL_INSP_EVENT_COUNT; ev++) {
		zl_jw_obj_begin(w);
		zl_jw_kstr(w, "name", events[ev].name);
		zl_jw_kstr(w, "zh", events[ev].zh);
		zl_jw_kstr(w, "description", events[ev].text);
		zl_jw_obj_end(w);
	}
	zl_jw_arr_end(w);
	json_roles(w, "roles", ZL_INSP_BY_ANY);
	zl_jw_key(w, "deadlines");
	zl_jw_arr_begin(w);
	for (int d = 0; d < ZL_INSP_DEADLINE_COUNT; d++) {
		const struct zl_insp_deadline_rule *r = &deadline_rules[d];

		zl_jw_obj_begin(w);
		zl_jw_kstr(w, "name", r->name);
		zl_jw_kint(w, "count", r->count);
		zl_jw_kstr(w, "unit",
			   r->unit == ZL_INSP_WORKING	 ? "working_days"
			   : r->unit == ZL_INSP_CALENDAR ? "days"
							 : "set");
		zl_jw_kstr(w, "from", r->from);
		zl_jw_kstr(w, "source", r->source);
		zl_jw_kbool(w, "confirmed", r->confirmed);
		zl_jw_kstr(w, "rule", r->text);
		zl_jw_obj_end(w);
	}
	zl_jw_arr_end(w);
	zl_jw_key(w, "transitions");
	zl_jw_arr_begin(w);
	for (size_t i = 0; i < NTABLE; i++) {
		const struct zl_insp_transition *t = &table[i];

		zl_jw_obj_begin(w);
		zl_jw_kstr(w, "from", states[t->from].name);
		zl_jw_kstr(w, "event", events[t->event].name);
		zl_jw_kstr(w, "to", states[t->to].name);
		json_roles(w, "roles", t->roles);
		zl_jw_kstr(w, "guard", t->guard);
		zl_jw_key(w, "credit");
		if (t->credit_kind == NULL) {
			zl_jw_null(w);
		} else {
			zl_jw_obj_begin(w);
			zl_jw_kstr(w, "kind", t->credit_kind);
			zl_jw_kstr(w, "subkind", t->credit_subkind);
			zl_jw_kstr(w, "title", t->credit_title);
			zl_jw_obj_end(w);
		}
		zl_jw_kstr(w, "source", t->source);
		zl_jw_obj_end(w);
	}
	zl_jw_arr_end(w);
	zl_jw_key(w, "tasks");
	zl_jw_arr_begin(w);
	for (int t = 0; t < ZL_INSP_TASK_COUNT; t++) {
		zl_jw_obj_begin(w);
		zl_jw_kstr(w, "name", tasks[t].name);
		zl_jw_kstr(w, "description", tasks[t].text);
		zl_jw_obj_end(w);
	}
	zl_jw_arr_end(w);
	zl_jw_key(w, "dues");
	zl_jw_arr_begin(w);
	for (size_t i = 0; i < NDUE; i++) {
		const struct zl_insp_due_rule *d = &due_rules[i];

		zl_jw_obj_begin(w);
		zl_jw_kstr(w, "state", states[d->state].name);
		zl_jw_kstr(w, "task", tasks[d->task].name);
		json_roles(w, "roles", d->roles);
		zl_jw_kstr(w, "kind", due_kind_names[d->kind]);
		zl_jw_kstr(w, "deadline", deadline_name(d->deadline));
		zl_jw_kstr(w, "when", d->text);
		zl_jw_obj_end(w);
	}
	zl_jw_arr_end(w);
	zl_jw_obj_end(w);
}

/* A Markdown table cell: '|' escaped, line breaks as spaces, "" as a dash. */
static void md_cell(struct zl_buf *b, const char *s)
{
	zl_buf_adds(b, " ");
	if (s == NULL || s[0] == '\0')
		zl_buf_adds(b, "-");
	for (; s != NULL && *s; s++) {
		if (*s == '|')
			zl_buf_adds(b, "\\|");
		else if (*s == '\n')
			zl_buf_addch(b, ' ');
		else
			zl_buf_addch(b, *s);
	}
	zl_buf_adds(b, " |");
}

static void md_cellf(struct zl_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void md_cellf(struct zl_buf *b, const char *fmt, ...)
{
	struct zl_buf t = ZL_BUF_INIT(4096);
	va_list ap;

	va_start(ap, fmt);
	zl_buf_addvf(&t, fmt, ap);
	va_end(ap);
	md_cell(b, zl_buf_str(&t));
	zl_buf_release(&t);
}

static void md_roles(struct zl_buf *b, unsigned roles)
{
	char who[64];

	role_list(roles, who, sizeof(who));
	md_cell(b, who);
}

int zl_insp_describe_markdown(struct zl_buf *b)
{
	zl_buf_adds(b, "### States\n\n| state | 中文 | terminal | meaning |\n|---|---|---|---|\n");
	for (int s = 0; s < ZL_INSP_STATE_COUNT; s++) {
		zl_buf_addf(b, "| `%s` |", states[s].name);
		md_cell(b, states[s].zh);
		md_cell(b, states[s].terminal ? "yes" : "no");
		md_cell(b, states[s].text);
		zl_buf_addch(b, '\n');
	}

	zl_buf_adds(b, "\n### Transitions\n\n| from | event | to | who | guard | credit archive "
		       "| source |\n|---|---|---|---|---|---|---|\n");
	for (size_t i = 0; i < NTABLE; i++) {
		const struct zl_insp_transition *t = &table[i];

		zl_buf_addf(b, "| `%s` | `%s` %s | `%s` |", states[t->from].name,
			    events[t->event].name, events[t->event].zh, states[t->to].name);
		md_roles(b, t->roles);
		md_cell(b, t->guard);
		if (t->credit_kind != NULL)
			md_cellf(b, "%s/%s: %s", t->credit_kind, t->credit_subkind,
				 t->credit_title);
		else
			md_cell(b, "");
		md_cell(b, t->source);
		zl_buf_addch(b, '\n');
	}

	zl_buf_adds(b,
		    "\n### Deadlines\n\n| rule | period | counted from | source | the period is "
		    "| how it is counted, and our interpretations |\n|---|---|---|---|---|---|\n");
	for (int d = 0; d < ZL_INSP_DEADLINE_COUNT; d++) {
		const struct zl_insp_deadline_rule *r = &deadline_rules[d];

		zl_buf_addf(b, "| `%s` |", r->name);
		if (r->unit == ZL_INSP_SET || r->count == 0)
			md_cell(b, r->unit == ZL_INSP_SET ? unit_names[r->unit] : "");
		else
			md_cellf(b, "%d %s", r->count, unit_names[r->unit]);
		md_cell(b, r->from);
		md_cell(b, r->source);
		md_cell(b, r->confirmed ? "stated by the source" : "[U] our choice");
		md_cell(b, r->text);
		zl_buf_addch(b, '\n');
	}

	zl_buf_adds(b, "\n### Task lists\n\n| state | task | who | kind | deadline | when listed "
		       "|\n|---|---|---|---|---|---|\n");
	for (size_t i = 0; i < NDUE; i++) {
		const struct zl_insp_due_rule *d = &due_rules[i];

		zl_buf_addf(b, "| `%s` | `%s` |", states[d->state].name, tasks[d->task].name);
		md_roles(b, d->roles);
		md_cell(b, due_kind_names[d->kind]);
		if (d->deadline == ZL_INSP_DL_NONE)
			md_cell(b, "");
		else
			md_cellf(b, "`%s`", deadline_name(d->deadline));
		md_cell(b, d->text);
		zl_buf_addch(b, '\n');
	}
	return b->err ? b->err : ZL_OK;
}
