/*
 * demo_plans.c - the plan ledger of `init --demo` (store/demo.h): Henan's
 * 2014 quality plan from the facts of plan_henan_2014.def, with invented
 * dates, milestones, indicators and progress reports, and the local plans of
 * five cities (and one district of 郑州) decomposed from it, so the lists,
 * the tree, the ledger and the roll-up show green, yellow, red and done.
 *
 * The dates are relative to the day of the run: the plan is replayed as if
 * it had started 150 days ago, or every light of a 2014 plan would be red.
 * Everything else is fixed, so one day gives one demo.  Written in one
 * transaction through the store's own functions (store/plans.h,
 * store/plan_reports.h), like an import; run again, it changes nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/timeutil.h"
#include "store/demo.h"
#include "store/plan_reports.h"
#include "store/plans.h"
#include "store/query.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define SOURCE "demo:henan-2014-quality-plan.txt"
#define STARTED 150 /* days before today the plan's work began */

struct fact {
	const char *number, *section, *title, *mode, *basis;
	int open_ended;
	const char *departments;
};

static const struct zl_plan_section_in sections[] = {
#define ZL_PLAN_SECTION(number, title) {number, title},
#define ZL_PLAN_TASK(number, section, title, mode, basis, open_ended, departments)
#include "store/plan_henan_2014.def"
#undef ZL_PLAN_TASK
#undef ZL_PLAN_SECTION
};

static const struct fact facts[] = {
#define ZL_PLAN_SECTION(number, title)
#define ZL_PLAN_TASK(number, section, title, mode, basis, open_ended, departments)                 \
	{number, section, title, mode, basis, open_ended, departments},
#include "store/plan_henan_2014.def"
#undef ZL_PLAN_TASK
#undef ZL_PLAN_SECTION
};

/*
 * The invented schedule, one row per task in the facts' order: the deadline
 * (days from today), the provincial lead's latest confirmed progress (-1: no
 * report yet), how many days ago it reported, and whether it is done.  With
 * the work begun 150 days ago a deadline 200 days ahead expects about 42%.
 */
static const struct {
	int deadline, progress, age, done;
} schedule[] = {
	{200, 45, 12, 0}, /* 1 green */
	{200, 15, 20, 0}, /* 2 yellow: behind, its indicator too */
	{140, 50, 5, 0},  /* 3 green, a co-department's report awaits confirmation */
	{90, 60, 50, 0},  /* 4 yellow: no report for 50 days */
	{-12, 80, 10, 0}, /* 5 red: overdue */
	{60, 100, 3, 1},  /* 6 done */
	{200, 40, 8, 0},  /* 7 green */
	{20, 55, 15, 0},  /* 8 yellow: behind, due soon */
	{230, 35, 25, 0}, /* 9 green */
	{120, 60, 6, 0},  /* 10 green */
	{180, 20, 30, 0}, /* 11 yellow: behind */
	{200, 45, 9, 0},  /* 12 red: a milestone passed undone */
	{-30, 70, 40, 0}, /* 13 red: overdue, no report for long */
	{10, 90, 4, 0},	  /* 14 green, due soon */
	{200, 48, 14, 0}, /* 15 green */
	{90, 100, 20, 1}, /* 16 done */
	{200, -1, 0, 0},  /* 17 yellow: never reported */
	{260, 40, 2, 0},  /* 18 green */
};

_Static_assert(N(schedule) == N(facts), "one schedule row per task of the plan");

/* Milestones and indicators of a few tasks (invented). */
static const struct {
	const char *task, *title;
	int due, done;
} milestones[] = {
	{"1", "完成婴幼儿配方乳粉生产企业全覆盖检查", -40, 1},
	{"1", "完成食用农产品风险监测年度计划", 60, 0},
	{"2", "完成重点产品监督抽查第一批次", -20, 1},
	{"6", "完成电梯等特种设备专项检查", -10, 1},
	{"12", "建成企业质量信用档案数据库", -5, 0},
	{"15", "组织质量月活动", 30, 0},
	{"18", "出台政府质量工作考核评分细则", -60, 1},
};

static const struct {
	const char *task, *name, *unit, *direction;
	double target, baseline, value;
} indicators[] = {
	{"2", "重点产品监督抽查覆盖率", "%", "at_least", 90, 70, 72},
	{"2", "监督抽查不合格率", "%", "at_most", 5, 8, 6.5},
	{"12", "企业质量信用档案建档率", "%", "at_least", 80, 30, 60},
	{"16", "大中型企业首席质量官覆盖率", "%", "at_least", 60, 20, 62},
	{"18", "政府质量工作考核覆盖率", "%", "at_least", 100, 0, 50},
};

/* The cities that decompose the plan, how far along they are, and how late they report. */
static const struct {
	const char *org;
	int pace; /* percent of the province's progress */
	int age;  /* days since their reports */
	int skip; /* every skip-th task unreported (0: none) */
} cities[] = {
	{"410100", 110, 6, 0}, /* 郑州 */
	{"410300", 90, 12, 7}, /* 洛阳 */
	{"410700", 100, 9, 0}, /* 新乡 */
	{"410600", 55, 45, 3}, /* 鹤壁: behind and late */
	{"411100", 80, 20, 5}, /* 漯河 */
};

static char *day(struct zl_arena *a, const char *today, int offset)
{
	int64_t d = 0;
	char out[16];

	zl_date_parse(today, &d);
	return zl_arena_strdup(a, zl_date_format(d + offset, out));
}

/* "a|b|c" into an arena array. */
static const char *const *split(struct zl_arena *a, const char *s, size_t *n)
{
	const char **v;
	size_t k = 1, i = 0;

	for (const char *p = s; *p; p++)
		k += *p == '|';
	v = zl_arena_calloc(a, k, sizeof(*v));
	if (v == NULL)
		return NULL;
	while (*s) {
		size_t len = strcspn(s, "|");

		v[i++] = zl_arena_strndup(a, s, len);
		s += len + (s[len] == '|');
	}
	*n = i;
	return v;
}

static int build(struct zl_arena *a, const char *today, struct zl_plan_in *in)
{
	struct zl_plan_task_in *tasks = zl_arena_calloc(a, N(facts), sizeof(*tasks));

	if (tasks == NULL)
		return ZL_ENOMEM;
	for (size_t i = 0; i < N(facts); i++) {
		const struct fact *f = &facts[i];
		struct zl_plan_task_in *t = &tasks[i];
		struct zl_plan_attr_in *attr = zl_arena_calloc(a, 1, sizeof(*attr));
		struct zl_plan_milestone_in *ms = zl_arena_calloc(a, N(milestones), sizeof(*ms));
		struct zl_plan_indicator_in *xs = zl_arena_calloc(a, N(indicators), sizeof(*xs));

		if (attr == NULL || ms == NULL || xs == NULL)
			return ZL_ENOMEM;
		attr->departments = split(a, f->departments, &attr->ndepartments);
		if (attr->departments == NULL)
			return ZL_ENOMEM;
		attr->mode = f->mode;
		attr->lead = strcmp(f->mode, "lead") == 0 ? attr->departments[0] : NULL;
		attr->lead_basis = f->basis;
		attr->open_ended = f->open_ended;
		t->number = f->number;
		t->section = f->section;
		t->title = f->title;
		t->start = day(a, today, -STARTED);
		t->deadline = day(a, today, schedule[i].deadline);
		t->attrs = attr;
		t->nattrs = 1;
		for (size_t k = 0; k < N(milestones); k++) {
			if (strcmp(milestones[k].task, f->number) != 0)
				continue;
			ms[t->nmilestones].title = milestones[k].title;
			ms[t->nmilestones].due = day(a, today, milestones[k].due);
			ms[t->nmilestones].done_on =
				milestones[k].done ? day(a, today, milestones[k].due - 2) : NULL;
			t->nmilestones++;
		}
		for (size_t k = 0; k < N(indicators); k++) {
			if (strcmp(indicators[k].task, f->number) != 0)
				continue;
			xs[t->nindicators].name = indicators[k].name;
			xs[t->nindicators].unit = indicators[k].unit;
			xs[t->nindicators].direction = indicators[k].direction;
			xs[t->nindicators].target = indicators[k].target;
			xs[t->nindicators].baseline = indicators[k].baseline;
			xs[t->nindicators].has_baseline = 1;
			t->nindicators++;
		}
		t->milestones = ms;
		t->indicators = xs;
	}
	memset(in, 0, sizeof(*in));
	in->title = "贯彻实施质量发展纲要2014年行动计划实施方案";
	in->issuer = "河南省人民政府办公厅";
	in->date = "2014-07-18";
	in->org = "410000";
	in->lead_rule = "first_listed";
	in->source_name = SOURCE;
	in->sections = sections;
	in->nsections = N(sections);
	in->tasks = tasks;
	in->ntasks = N(facts);
	return ZL_OK;
}

/* The organization that reports for a task: its lead, else the first one sharing it. */
static const char *reporter(const struct zl_plan_task_row *t, int skip)
{
	for (size_t i = 0; i < t->nowners; i++)
		if (t->owners[i].org[0] && strcmp(t->owners[i].role, "lead") == 0)
			return t->owners[i].org;
	for (size_t i = (size_t)skip; i < t->nowners; i++)
		if (t->owners[i].org[0])
			return t->owners[i].org;
	return NULL;
}

/* File a report on t dated `age` days ago and, unless `pending`, confirm it. */
static int report(struct zl_db *db, struct zl_arena *a, const struct zl_plan_task_row *t,
		  const char *org, int progress, int age, int done, int pending, double share,
		  const struct zl_plan_actor *who, struct zl_error *err)
{
	struct zl_plan_value_in *v = zl_arena_calloc(a, t->nindicators + 1, sizeof(*v));
	struct zl_plan_report_in in = {0};
	int64_t id = 0;
	int rc;

	if (v == NULL)
		return zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
	for (size_t i = 0; i < t->nindicators; i++) {
		const struct zl_plan_indicator *x = &t->indicators[i];

		v[i].indicator_id = x->id;
		for (size_t k = 0; k < N(indicators); k++)
			if (strcmp(indicators[k].name, x->name) == 0)
				v[i].value =
					x->baseline + (indicators[k].value - x->baseline) * share;
	}
	in.task_id = t->id;
	in.org = org;
	in.progress = progress < 0 ? 0 : progress > 100 ? 100 : progress;
	in.date = day(a, who->today, -age);
	in.values = v;
	in.nvalues = t->nindicators;
	in.text = zl_arena_printf(a, "%s：已按计划推进，完成全年任务的%d%%；%s。", t->title,
				  in.progress,
				  done ? "各项工作已全部完成"
				  : in.progress >= 50 ? "重点工作取得阶段性成效，下一步将巩固提升"
						      : "部分工作进度滞后，正在加快推进");
	if (in.text == NULL || in.date == NULL)
		return zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
	rc = zl_store_plan_report_add(db, &in, who, &id, err);
	if (rc == ZL_OK && !pending)
		rc = zl_store_plan_report_decide(db, id, 1, "经核实，情况属实", done, who, err);
	return rc;
}

static int provincial_reports(struct zl_db *db, struct zl_arena *a, int64_t plan,
			      const struct zl_plan_actor *who, struct zl_error *err)
{
	struct zl_plan_task_filter f = {.plan_id = plan};
	struct zl_plan_task_set set;
	int rc;

	zl_plan_task_set_init(&set);
	rc = zl_store_plan_tasks(db, &f, who->today, &set, err);
	for (size_t i = 0; rc == ZL_OK && i < set.n && i < N(schedule); i++) {
		const struct zl_plan_task_row *t = &set.tasks[i];
		const char *org = reporter(t, 0);

		if (schedule[i].progress < 0 || org == NULL)
			continue;
		rc = report(db, a, t, org, schedule[i].progress, schedule[i].age, schedule[i].done,
			    0, schedule[i].done ? 1.0 : 0.5, who, err);
		/* Task 3: a co-responsible department's newer report awaits the province. */
		if (rc == ZL_OK && strcmp(t->number, "3") == 0 && reporter(t, 1) != NULL)
			rc = report(db, a, t, reporter(t, 1), schedule[i].progress + 5, 1, 0, 1,
				    0.5, who, err);
	}
	zl_plan_task_set_release(&set);
	return rc;
}

/* Mark t's milestones done where the provincial plan's are (same title and due date). */
static int local_milestones(struct zl_db *db, struct zl_arena *a, const struct zl_plan_task_row *t,
			    const struct zl_plan_actor *who, struct zl_error *err)
{
	struct zl_plan_milestone_in *ms = zl_arena_calloc(a, t->nmilestones, sizeof(*ms));
	struct zl_plan_task_change ch = {0};

	if (ms == NULL)
		return zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
	for (size_t i = 0; i < t->nmilestones; i++) {
		ms[i].id = t->milestones[i].id;
		ms[i].title = t->milestones[i].title;
		ms[i].due = t->milestones[i].due;
		for (size_t k = 0; k < N(milestones); k++)
			if (milestones[k].done && strcmp(milestones[k].title, ms[i].title) == 0)
				ms[i].done_on = day(a, who->today, milestones[k].due - 1);
	}
	ch.set_milestones = 1;
	ch.milestones = ms;
	ch.nmilestones = t->nmilestones;
	return zl_store_plan_task_update(db, t->id, &ch, who, err);
}

/*
 * The work of a local plan's organization: milestones done (when it keeps
 * pace with the province) and a report on each task, at `pace` percent of
 * the province's progress, `age` days ago, every skip-th task left unreported.
 */
static int local_work(struct zl_db *db, struct zl_arena *a, int64_t local, const char *org,
		      int pace, int age, int skip, const struct zl_plan_actor *who,
		      struct zl_error *err)
{
	struct zl_plan_task_filter f = {.plan_id = local};
	struct zl_plan_task_set set;
	int rc;

	zl_plan_task_set_init(&set);
	rc = zl_store_plan_tasks(db, &f, who->today, &set, err);
	for (size_t i = 0; rc == ZL_OK && i < set.n && i < N(schedule); i++) {
		const struct zl_plan_task_row *t = &set.tasks[i];
		size_t k = 0;

		/* The row of the provincial task it comes from, by number. */
		while (k < N(facts) && strcmp(facts[k].number, t->number) != 0)
			k++;
		if (k == N(facts))
			continue;
		if (pace >= 90 && t->nmilestones > 0)
			rc = local_milestones(db, a, t, who, err);
		if (rc != ZL_OK || schedule[k].progress < 0 || (skip && (k + 1) % skip == 0))
			continue;
		rc = report(db, a, t, org, schedule[k].progress * pace / 100, age,
			    schedule[k].done && pace >= 100, 0, pace / 100.0 * 0.5, who, err);
	}
	zl_plan_task_set_release(&set);
	return rc;
}

/* 郑州 shares two tasks with its districts, adds one of its own, and 中原区 goes on down. */
static int zhengzhou(struct zl_db *db, struct zl_arena *a, int64_t local,
		     const struct zl_plan_actor *who, struct zl_error *err)
{
	static const struct zl_plan_owner_in owners[] = {
		{NULL, "410100", "lead", NULL},
		{NULL, "410102", "co", NULL},
		{NULL, "410103", "co", NULL},
	};
	static const char *const down[] = {"1", "6"};
	struct zl_plan_owner_in own = {NULL, "410100", "lead", NULL};
	struct zl_plan_task_in extra = {0};
	struct zl_plan_task_filter f = {.plan_id = local};
	struct zl_plan_decompose d = {"410102", NULL, down, N(down)};
	struct zl_plan_task_set set;
	int64_t district = 0;
	int rc;

	zl_plan_task_set_init(&set);
	rc = zl_store_plan_tasks(db, &f, who->today, &set, err);
	for (size_t i = 0; rc == ZL_OK && i < set.n; i++) {
		struct zl_plan_task_change ch = {0};

		if (strcmp(set.tasks[i].number, "1") != 0 && strcmp(set.tasks[i].number, "6") != 0)
			continue;
		ch.set_owners = 1;
		ch.owners = owners;
		ch.nowners = N(owners);
		rc = zl_store_plan_task_update(db, set.tasks[i].id, &ch, who, err);
	}
	zl_plan_task_set_release(&set);
	if (rc != ZL_OK)
		return rc;
	extra.number = "19";
	extra.section = "四";
	extra.title = "争创全国质量强市示范城市";
	extra.start = day(a, who->today, -60);
	extra.deadline = day(a, who->today, 300);
	extra.owners = &own;
	extra.nowners = 1;
	rc = zl_store_plan_task_add(db, local, &extra, who, NULL, err);
	if (rc == ZL_OK)
		rc = zl_store_plan_decompose(db, local, &d, who, &district, err);
	if (rc == ZL_OK)
		rc = local_work(db, a, district, "410102", 100, 5, 0, who, err);
	return rc;
}

int zl_store_demo_plans(struct zl_db *db, const char *today, struct zl_error *err)
{
	struct zl_plan_actor who = {"demo", "", "", today, NULL};
	struct zl_plan_in in;
	struct zl_arena a;
	int64_t exists = 0, plan = 0, local = 0;
	int rc;

	rc = zl_store_int_by_key(db, "SELECT count(*) FROM plans WHERE source_name = ?", SOURCE,
				 &exists, err);
	if (rc != ZL_OK || exists > 0)
		return rc;
	zl_arena_init(&a, (size_t)16 << 20);
	if (build(&a, today, &in) != ZL_OK) {
		rc = zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
		goto done;
	}
	if ((rc = zl_db_begin(db, err)))
		goto done;
	rc = zl_store_plan_create(db, &in, &who, &plan, err);
	if (rc == ZL_OK)
		rc = provincial_reports(db, &a, plan, &who, err);
	for (size_t c = 0; rc == ZL_OK && c < N(cities); c++) {
		struct zl_plan_decompose d = {cities[c].org, NULL, NULL, 0};

		rc = zl_store_plan_decompose(db, plan, &d, &who, &local, err);
		if (rc == ZL_OK)
			rc = local_work(db, &a, local, cities[c].org, cities[c].pace, cities[c].age,
					cities[c].skip, &who, err);
		if (rc == ZL_OK && strcmp(cities[c].org, "410100") == 0)
			rc = zhengzhou(db, &a, local, &who, err);
	}
	if (rc != ZL_OK) {
		zl_db_rollback(db);
		goto done;
	}
	rc = zl_db_commit(db, err);
done:
	zl_arena_release(&a);
	return rc;
}
