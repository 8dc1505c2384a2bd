/*
 * plan_input.c - checking the neutral plan input of store/plans.h before
 * anything is written: every refusal names the field as the API client or
 * the import wrote it ("tasks[3].owners[0].role").  No database here.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/buf.h"
#include "core/text.h"
#include "core/timeutil.h"
#include "domain/check.h"
#include "store/plan_internal.h"

#define FIELD_MAX 96

/*
 * out = a + b + c, cut to FIELD_MAX - 1 bytes (field names in messages;
 * built without printf so the compiler need not prove they fit).
 */
static const char *join(char out[FIELD_MAX], const char *a, const char *b, const char *c)
{
	const char *parts[3] = {a, b, c};
	size_t len = 0;

	for (int i = 0; i < 3; i++) {
		size_t k = parts[i] ? strlen(parts[i]) : 0;

		if (len + k > FIELD_MAX - 1)
			k = FIELD_MAX - 1 - len;
		memcpy(out + len, parts[i], k);
		len += k;
	}
	out[len] = '\0';
	return out;
}

/* out = prefix + name + "[i]" ("tasks[3].owners" + "[1]"). */
static const char *joini(char out[FIELD_MAX], const char *prefix, const char *name, size_t i)
{
	char idx[32];

	snprintf(idx, sizeof(idx), "[%zu]", i);
	return join(out, prefix, name, idx);
}

static int given(const char *s)
{
	return zl_check_given(s);
}

/* The shared checks (domain/check.h), under the names this file has always used. */
static int text(const char *s, const char *field, int required, size_t max, struct zl_error *err)
{
	return zl_check_text(s, field, required, max, err);
}

static int date(const char *s, const char *field, int required, struct zl_error *err)
{
	return zl_check_date(s, field, required, err);
}

static int one_of(const char *s, const char *const *words, const char *field, int required,
		  struct zl_error *err)
{
	return zl_check_one_of(s, words, field, required, err);
}

/* A comma-separated list of [a-z_] words, or a flag name. */
static int words(const char *s, const char *field, struct zl_error *err)
{
	if (!given(s))
		return ZL_OK;
	if (strlen(s) > 200)
		return zl_error_set(err, ZL_EUNPROC, field, "%s is too long", field);
	for (const char *p = s; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || *p == '_' || *p == ','))
			return zl_error_set(err, ZL_EUNPROC, field,
					    "%s holds words of a-z and _ only", field);
	return ZL_OK;
}

static const char *const roles[] = {"lead", "co", "shared", "unnamed", NULL};
static const char *const modes[] = {"lead", "shared", "unnamed", NULL};
static const char *const bases[] = {"stated", "presumed", "explicit", NULL};
static const char *const directions[] = {"at_least", "at_most", NULL};

static int attr_check(const struct zl_plan_attr_in *a, const char *at, struct zl_error *err)
{
	char f[FIELD_MAX];
	int rc, found = 0;

	join(f, at, ".mode", "");
	if ((rc = one_of(a->mode, modes, f, 1, err)))
		return rc;
	join(f, at, ".lead_basis", "");
	if ((rc = one_of(a->lead_basis, bases, f, 0, err)))
		return rc;
	join(f, at, ".departments", "");
	if (a->ndepartments == 0 && strcmp(a->mode, "unnamed") != 0)
		return zl_error_set(err, ZL_EUNPROC, f, "%s: name at least one department", f);
	if (a->ndepartments > ZL_PLAN_OWNERS_MAX)
		return zl_error_set(err, ZL_EUNPROC, f, "%s: at most %d departments", f,
				    ZL_PLAN_OWNERS_MAX);
	for (size_t i = 0; i < a->ndepartments; i++) {
		joini(f, at, ".departments", i);
		if ((rc = text(a->departments[i], f, 1, ZL_PLAN_NAME_MAX, err)))
			return rc;
		if (given(a->lead) && strcmp(a->lead, a->departments[i]) == 0)
			found = 1;
	}
	join(f, at, ".lead", "");
	if (given(a->lead) && !found)
		return zl_error_set(err, ZL_EUNPROC, f, "%s must be one of the departments", f);
	for (size_t i = 0; i < a->nflags; i++) {
		joini(f, at, ".flags", i);
		if ((rc = text(a->flags[i], f, 1, 32, err)) || (rc = words(a->flags[i], f, err)))
			return rc;
		if (strchr(a->flags[i], ','))
			return zl_error_set(err, ZL_EUNPROC, f, "%s is one word", f);
	}
	return ZL_OK;
}

static int owner_check(const struct zl_plan_owner_in *o, const char *at, struct zl_error *err)
{
	char f[FIELD_MAX];
	int rc;

	join(f, at, ".name", "");
	if (!given(o->name) && !given(o->org))
		return zl_error_set(err, ZL_EUNPROC, f, "%s: give a name or an org", at);
	if ((rc = text(o->name, f, 0, ZL_PLAN_NAME_MAX, err)))
		return rc;
	join(f, at, ".org", "");
	if ((rc = text(o->org, f, 0, ZL_ORG_CODE_MAX - 1, err)))
		return rc;
	join(f, at, ".role", "");
	if ((rc = one_of(o->role, roles, f, 1, err)))
		return rc;
	join(f, at, ".flags", "");
	return words(o->flags, f, err);
}

static int milestone_check(const struct zl_plan_milestone_in *m, const char *at,
			   struct zl_error *err)
{
	char f[FIELD_MAX];
	int rc;

	join(f, at, ".title", "");
	if ((rc = text(m->title, f, 1, ZL_PLAN_TITLE_MAX, err)))
		return rc;
	join(f, at, ".due", "");
	if ((rc = date(m->due, f, 1, err)))
		return rc;
	join(f, at, ".done_on", "");
	return date(m->done_on, f, 0, err);
}

static int indicator_check(const struct zl_plan_indicator_in *x, const char *at,
			   struct zl_error *err)
{
	char f[FIELD_MAX];
	int rc;

	join(f, at, ".name", "");
	if ((rc = text(x->name, f, 1, ZL_PLAN_NAME_MAX, err)))
		return rc;
	join(f, at, ".unit", "");
	if ((rc = text(x->unit, f, 0, 16, err)))
		return rc;
	join(f, at, ".direction", "");
	if ((rc = one_of(x->direction, directions, f, 0, err)))
		return rc;
	join(f, at, ".target", "");
	if (!isfinite(x->target))
		return zl_error_set(err, ZL_EUNPROC, f, "%s must be a number", f);
	join(f, at, ".baseline", "");
	if (x->has_baseline && !isfinite(x->baseline))
		return zl_error_set(err, ZL_EUNPROC, f, "%s must be a number", f);
	return ZL_OK;
}

int zl_plan_task_in_check(const struct zl_plan_task_in *t, const char *field, struct zl_error *err)
{
	char f[FIELD_MAX], at[FIELD_MAX], pre[FIELD_MAX];
	const char *p = field != NULL && *field ? field : "";
	const char *dot = *p ? "." : "";
	size_t owners = t->nowners;
	int64_t s, d;
	int rc;

	join(pre, p, dot, "");
#define F(name) join(f, pre, name, "")
	if ((rc = text(t->number, F("number"), 1, ZL_PLAN_NUMBER_MAX, err)) ||
	    (rc = text(t->section, F("section"), 0, ZL_PLAN_NUMBER_MAX, err)) ||
	    (rc = text(t->title, F("title"), 1, ZL_PLAN_TASK_TITLE_MAX, err)) ||
	    (rc = text(t->text, F("text"), 0, ZL_PLAN_TEXT_MAX, err)) ||
	    (rc = date(t->start, F("start"), 0, err)) ||
	    (rc = date(t->deadline, F("deadline"), 0, err)))
		return rc;
	if (given(t->start) && given(t->deadline) && zl_date_parse(t->start, &s) == ZL_OK &&
	    zl_date_parse(t->deadline, &d) == ZL_OK && d < s)
		return zl_error_set(err, ZL_EUNPROC, F("deadline"), "%s is before the start", f);
	if (t->parent_task < 0)
		return zl_error_set(err, ZL_EUNPROC, F("parent_task"), "%s is a task id", f);
	for (size_t i = 0; i < t->nattrs; i++) {
		joini(at, pre, "attributions", i);
		if ((rc = attr_check(&t->attrs[i], at, err)))
			return rc;
		owners += t->attrs[i].ndepartments ? t->attrs[i].ndepartments : 1;
	}
	for (size_t i = 0; i < t->nowners; i++) {
		joini(at, pre, "owners", i);
		if ((rc = owner_check(&t->owners[i], at, err)))
			return rc;
	}
	if (owners > ZL_PLAN_OWNERS_MAX)
		return zl_error_set(err, ZL_EUNPROC, F("owners"), "%s: at most %d owners", f,
				    ZL_PLAN_OWNERS_MAX);
	if (t->nmilestones > ZL_PLAN_ITEMS_MAX)
		return zl_error_set(err, ZL_EUNPROC, F("milestones"), "%s: at most %d", f,
				    ZL_PLAN_ITEMS_MAX);
	for (size_t i = 0; i < t->nmilestones; i++) {
		joini(at, pre, "milestones", i);
		if ((rc = milestone_check(&t->milestones[i], at, err)))
			return rc;
	}
	if (t->nindicators > ZL_PLAN_ITEMS_MAX)
		return zl_error_set(err, ZL_EUNPROC, F("indicators"), "%s: at most %d", f,
				    ZL_PLAN_ITEMS_MAX);
	for (size_t i = 0; i < t->nindicators; i++) {
		joini(at, pre, "indicators", i);
		if ((rc = indicator_check(&t->indicators[i], at, err)))
			return rc;
	}
#undef F
	return ZL_OK;
}

static int is_sha256(const char *s)
{
	size_t i;

	for (i = 0; s[i]; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return i == 64;
}

int zl_plan_in_check(const struct zl_plan_in *in, struct zl_error *err)
{
	static const char *const rules[] = {"first_listed", NULL};
	char f[FIELD_MAX];
	int rc;

	if ((rc = text(in->title, "title", 1, ZL_PLAN_TITLE_MAX, err)) ||
	    (rc = text(in->issuer, "issuer", 0, ZL_PLAN_ISSUER_MAX, err)) ||
	    (rc = date(in->date, "date", in->year == 0, err)) ||
	    (rc = text(in->org, "org", 1, ZL_ORG_CODE_MAX - 1, err)) ||
	    (rc = one_of(in->lead_rule, rules, "lead_rule", 0, err)) ||
	    (rc = text(in->source_name, "source_name", 0, 200, err)))
		return rc;
	if (in->year != 0 && (in->year < 1949 || in->year > 2100))
		return zl_error_set(err, ZL_EUNPROC, "year", "year must be 1949..2100");
	if (in->parent_plan < 0)
		return zl_error_set(err, ZL_EUNPROC, "parent_plan", "parent_plan is a plan id");
	if (given(in->source_sha256) && !is_sha256(in->source_sha256))
		return zl_error_set(err, ZL_EUNPROC, "source_sha256",
				    "source_sha256 must be 64 lower-case hex digits");
	if (in->nsections > ZL_PLAN_SECTIONS_MAX)
		return zl_error_set(err, ZL_EUNPROC, "sections", "at most %d sections",
				    ZL_PLAN_SECTIONS_MAX);
	for (size_t i = 0; i < in->nsections; i++) {
		const struct zl_plan_section_in *s = &in->sections[i];

		snprintf(f, sizeof(f), "sections[%zu].number", i);
		if ((rc = text(s->number, f, 1, ZL_PLAN_NUMBER_MAX, err)))
			return rc;
		for (size_t j = 0; j < i; j++)
			if (strcmp(in->sections[j].number, s->number) == 0)
				return zl_error_set(err, ZL_EUNPROC, f,
						    "%s: section %s is listed twice", f, s->number);
		snprintf(f, sizeof(f), "sections[%zu].title", i);
		if ((rc = text(s->title, f, 1, ZL_PLAN_TITLE_MAX, err)))
			return rc;
	}
	if (in->ntasks > ZL_PLAN_TASKS_MAX)
		return zl_error_set(err, ZL_EUNPROC, "tasks", "at most %d tasks",
				    ZL_PLAN_TASKS_MAX);
	for (size_t i = 0; i < in->ntasks; i++) {
		const struct zl_plan_task_in *t = &in->tasks[i];
		int known = !given(t->section);

		snprintf(f, sizeof(f), "tasks[%zu]", i);
		if ((rc = zl_plan_task_in_check(t, f, err)))
			return rc;
		for (size_t j = 0; !known && j < in->nsections; j++)
			known = strcmp(in->sections[j].number, t->section) == 0;
		if (!known) {
			snprintf(f, sizeof(f), "tasks[%zu].section", i);
			return zl_error_set(err, ZL_EUNPROC, f, "%s: no section %s in the plan", f,
					    t->section);
		}
	}
	return ZL_OK;
}

const char *zl_plan_light_zh(enum zl_light l)
{
	switch (l) {
	case ZL_LIGHT_GREEN:
		return "绿灯";
	case ZL_LIGHT_YELLOW:
		return "黄灯";
	case ZL_LIGHT_RED:
		return "红灯";
	case ZL_LIGHT_DONE:
		return "已完成";
	}
	return "";
}

const char *zl_plan_reason_zh(unsigned bit_index)
{
	static const char *const words[ZL_LIGHT_REASONS] = {
		"逾期",	      "节点逾期",   "进度滞后", "指标滞后",
		"未按时报送", "整改观察期", "即将到期", "节点即将到期",
	};

	return bit_index < ZL_LIGHT_REASONS ? words[bit_index] : NULL;
}
