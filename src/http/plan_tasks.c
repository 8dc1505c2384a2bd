/*
 * plan_tasks.c - plan tasks over HTTP (docs/plan-ledger.md):
 *   GET   /api/v1/plan-tasks                  tasks of an organization's subtree (chasing)
 *   GET   /api/v1/me/tasks                    the caller's organization's tasks
 *   GET   /api/v1/plan-tasks/{id}             one task with its roll-up
 *   PATCH /api/v1/plan-tasks/{id}             change dates, owners, milestones, indicators
 *   GET   /api/v1/plan-tasks/{id}/reports     its progress reports
 *   POST  /api/v1/plan-tasks/{id}/reports     file a report
 * Lights are those of today (the store evaluates them on read); the
 * overdue, due-soon and light filters work on them, so lists are read
 * whole, filtered and paged here (a subtree's tasks, not the province's
 * millions of enterprises).  Who may edit, report or read reports is
 * decided by domain/plan_access.h.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "http/audit_hook.h"
#include "http/handlers.h"
#include "http/list.h"
#include "http/plan_http.h"
#include "store/orgs.h"

static int given(const char *s)
{
	return s != NULL && *s != '\0';
}

static const char *nul(const char *s)
{
	return given(s) ? s : NULL;
}

static int holds(const struct zl_req *req, enum zl_perm p)
{
	return (req->principal.perms & ZL_PERMBIT(p)) != 0;
}

/* ---- lists ------------------------------------------------------------------------ */

static const struct zl_list_col task_cols[] = {
	{"id", "任务编号", "ID", ZL_COL_INT},
	{"plan_id", "计划编号", "Plan", ZL_COL_INT},
	{"plan_title", "计划", "Plan title", ZL_COL_TEXT},
	{"plan_org", "计划制定单位", "Plan organization", ZL_COL_TEXT},
	{"number", "序号", "No.", ZL_COL_TEXT},
	{"title", "工作任务", "Task", ZL_COL_TEXT},
	{"lead", "牵头单位", "Lead", ZL_COL_TEXT},
	{"co", "责任单位", "Co-responsible", ZL_COL_TEXT},
	{"start", "开始日期", "Start", ZL_COL_TEXT},
	{"deadline", "完成时限", "Deadline", ZL_COL_TEXT},
	{"days_left", "剩余天数", "Days left", ZL_COL_INT},
	{"light", "灯色", "Light", ZL_COL_TEXT},
	{"reasons", "原因", "Reasons", ZL_COL_TEXT},
	{"progress", "进度(%)", "Progress (%)", ZL_COL_INT},
	{"last_report", "最近报送", "Last report", ZL_COL_TEXT},
	{"completed_on", "完成日期", "Completed", ZL_COL_TEXT},
};
#define N_TASK_COLS (sizeof(task_cols) / sizeof(task_cols[0]))

/* What the lists filter on after the store has read the tasks. */
struct task_filter {
	int light; /* enum zl_light, -1 any */
	int due;   /* 0 any, 1 overdue, 2 soon */
	int open;
};

static int keep(const struct zl_plan_task_row *t, const struct task_filter *tf)
{
	unsigned r = t->light.reasons;

	if (tf->light >= 0 && (int)t->light.light != tf->light)
		return 0;
	if (tf->open && given(t->completed_on))
		return 0;
	if (tf->due == 1)
		return !given(t->completed_on) &&
		       (r & (ZL_LIGHT_OVERDUE | ZL_LIGHT_MILESTONE_OVERDUE));
	if (tf->due == 2)
		return !given(t->completed_on) &&
		       (r & (ZL_LIGHT_DUE_SOON | ZL_LIGHT_MILESTONE_DUE_SOON));
	return 1;
}

/* The sort key: deadline (none last), plan, document order. */
static void task_key(const struct zl_plan_task_row *t, char key[64])
{
	snprintf(key, 64, "%s|%019" PRId64 "|%010d",
		 given(t->deadline) ? t->deadline : "9999-99-99", t->plan_id, t->ord);
}

struct keyed {
	const struct zl_plan_task_row *t;
	char key[64];
};

static int cmp_keyed(const void *a, const void *b)
{
	return strcmp(((const struct keyed *)a)->key, ((const struct keyed *)b)->key);
}

/* The list filters of both task lists; ZL_EINVAL naming the parameter. */
static int parse_filters(struct zl_req *req, struct zl_plan_task_filter *f, struct task_filter *tf,
			 struct zl_error *err)
{
	const char *light = zl_req_query(req, "light"), *due = zl_req_query(req, "due");
	const char *role = zl_req_query(req, "role"), *plan = zl_req_query(req, "plan");
	const char *open = zl_req_query(req, "open");
	enum zl_light l;

	tf->light = -1;
	if (given(light)) {
		if (zl_light_parse(light, &l) != ZL_OK)
			return zl_error_set(err, ZL_EINVAL, "light",
					    "light is green, yellow, red or done");
		tf->light = (int)l;
	}
	if (given(due)) {
		if (strcmp(due, "overdue") != 0 && strcmp(due, "soon") != 0)
			return zl_error_set(err, ZL_EINVAL, "due", "due is overdue or soon");
		tf->due = strcmp(due, "overdue") == 0 ? 1 : 2;
	}
	if (given(role)) {
		if (strcmp(role, "lead") != 0 && strcmp(role, "co") != 0 &&
		    strcmp(role, "shared") != 0)
			return zl_error_set(err, ZL_EINVAL, "role", "role is lead, co or shared");
		f->role = role;
	}
	if (given(plan)) {
		char *end = NULL;
		long long v = *plan >= '1' && *plan <= '9' ? strtoll(plan, &end, 10) : 0;

		if (v <= 0 || end == NULL || *end != '\0')
			return zl_error_set(err, ZL_EINVAL, "plan", "plan is a plan id");
		f->plan_id = v;
	}
	if (given(open)) {
		if (strcmp(open, "1") && strcmp(open, "true") && strcmp(open, "0") &&
		    strcmp(open, "false"))
			return zl_error_set(err, ZL_EINVAL, "open", "open is 1 or 0");
		tf->open = !strcmp(open, "1") || !strcmp(open, "true");
	}
	return ZL_OK;
}

/* Read, filter, sort and page the tasks of `f` as a list answer. */
static int task_list(struct zl_req *req, struct zl_resp *resp, struct zl_plan_task_filter *f,
		     const struct task_filter *tf, const char *name, struct zl_error *err)
{
	struct zl_list_writer *lw = NULL;
	struct zl_plan_task_set set;
	struct zl_list_params lp;
	struct zl_plan_actor who;
	struct keyed *rows = NULL;
	char today[16];
	size_t n = 0;
	struct zl_db *db;
	int rc;

	if ((rc = zl_list_parse(req, &lp, err)))
		return rc;
	zl_plan_http_actor(req, &who, today);
	if (!(db = zl_req_db(req, err)))
		return ZL_EUNAVAIL;
	zl_plan_task_set_init(&set);
	if ((rc = zl_db_begin_read(db, err)))
		return rc;
	rc = zl_store_plan_tasks(db, f, today, &set, err);
	zl_db_rollback(db);
	if (rc != ZL_OK)
		goto out;
	rows = set.n ? calloc(set.n, sizeof(*rows)) : NULL;
	if (set.n && rows == NULL) {
		rc = zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < set.n; i++) {
		if (!keep(&set.tasks[i], tf))
			continue;
		rows[n].t = &set.tasks[i];
		task_key(&set.tasks[i], rows[n].key);
		n++;
	}
	if (n > 1)
		qsort(rows, n, sizeof(*rows), cmp_keyed);
	rc = zl_list_begin(req, resp, &lp, name, task_cols, N_TASK_COLS, (int64_t)n, &lw, err);
	for (size_t i = 0; i < n && rc == ZL_OK; i++) {
		const struct zl_plan_task_row *t = rows[i].t;
		char id[24], plan[24], days[24], progress[16];
		const char *v[N_TASK_COLS];

		if (lp.cursor_key[0] && strcmp(rows[i].key, lp.cursor_key) <= 0)
			continue;
		snprintf(id, sizeof(id), "%" PRId64, t->id);
		snprintf(plan, sizeof(plan), "%" PRId64, t->plan_id);
		snprintf(days, sizeof(days), "%" PRId64, t->light.days_left);
		snprintf(progress, sizeof(progress), "%d", t->progress);
		v[0] = id;
		v[1] = plan;
		v[2] = t->plan_title;
		v[3] = t->plan_org;
		v[4] = t->number;
		v[5] = t->title;
		v[6] = zl_plan_http_names(req, t, 1);
		v[7] = zl_plan_http_names(req, t, 0);
		v[8] = nul(t->start);
		v[9] = nul(t->deadline);
		v[10] = t->light.days_left != INT64_MIN ? days : NULL;
		v[11] = zl_light_name(t->light.light);
		v[12] = zl_plan_http_reasons(req, t->light.reasons);
		v[13] = t->progress >= 0 ? progress : NULL;
		v[14] = nul(t->last_report);
		v[15] = nul(t->completed_on);
		rc = zl_list_row_key(lw, v, rows[i].key);
	}
	if (rc == ZL_OK)
		rc = zl_list_end_page(lw, err);
out:
	free(rows);
	zl_plan_task_set_release(&set);
	return rc;
}

int zl_h_plan_tasks_list(struct zl_req *req, struct zl_resp *resp, struct zl_error *err)
{
	struct zl_plan_task_filter f = {0};
	struct task_filter tf = {0};
	const char *org = zl_req_query(req, "org");
	char path[ZL_ORG_PATH_MAX];
	int rc;

	if ((rc = parse_filters(req, &f, &tf, err)))
		return rc;
	/* The route's scope checked org against the caller's subtree; absent: the caller's. */
	if (given(org)) {
		struct zl_db *db = zl_req_db(req, err);

		if (!db)
			return ZL_EUNAVAIL;
		rc = zl_store_org_path(db, org, path, sizeof(path), err);
		if (rc == ZL_ENOTFOUND)
			return zl_error_set(err, ZL_ENOTFOUND, "org", "no organization %s", org);
		if (rc != ZL_OK)
			return rc;
		f.owner_within = path;
	} else {
		f.owner_within = req->principal.org_path;
	}
	if (!given(f.owner_within))
		return zl_error_set(err, ZL_EFORBIDDEN, NULL, "the caller has no organization");
	return task_list(req, resp, &f, &tf, "plan-tasks", err);
}

int zl_h_my_tasks(struct zl_req *req, struct zl_resp *resp, struct zl_error *err)
{
	struct zl_plan_task_filter f = {0};
	struct task_filter tf = {0};
	int rc;

	if ((rc = parse_filters(req, &f, &tf, err)))
		return rc;
	if (!given(req->principal.org))
		return zl_error_set(err, ZL_EFORBIDDEN, NULL, "the caller has no organization");
	f.owner_org = req->principal.org;
	return task_list(req, resp, &f, &tf, "my-tasks", err);
}

/* ---- one task ----------------------------------------------------------------------- */

static void lights_json(struct zl_jw *w, const int64_t l[4])
{
	zl_jw_obj_begin(w);
	zl_jw_kint(w, "green", l[ZL_LIGHT_GREEN]);
	zl_jw_kint(w, "yellow", l[ZL_LIGHT_YELLOW]);
	zl_jw_kint(w, "red", l[ZL_LIGHT_RED]);
	zl_jw_kint(w, "done", l[ZL_LIGHT_DONE]);
	zl_jw_obj_end(w);
}

static void milestones_json(struct zl_jw *w, const struct zl_plan_task_row *t)
{
	zl_jw_arr_begin(w);
	for (size_t i = 0; i < t->nmilestones; i++) {
		zl_jw_obj_begin(w);
		zl_jw_kint(w, "id", t->milestones[i].id);
		zl_jw_kstr(w, "title", t->milestones[i].title);
		zl_jw_kstr(w, "due", t->milestones[i].due);
		zl_jw_kstr(w, "done_on", nul(t->milestones[i].done_on));
		zl_jw_obj_end(w);
	}
	zl_jw_arr_end(w);
}

static void indicators_json(struct zl_jw *w, const struct zl_plan_task_row *t)
{
	zl_jw_arr_begin(w);
	for (size_t i = 0; i < t->nindicators; i++) {
		const struct zl_plan_indicator *x = &t->indicators[i];

		zl_jw_obj_begin(w);
		zl_jw_kint(w, "id", x->id);
		zl_jw_kstr(w, "name", x->name);
		zl_jw_kstr(w, "unit", nul(x->unit));
		zl_jw_kstr(w, "direction", x->direction);
		zl_jw_kdouble(w, "target", x->target);
		zl_jw_key(w, "baseline");
		if (x->has_baseline)
			zl_jw_double(w, x->baseline);
		else
			zl_jw_null(w);
		zl_jw_key(w, "value");
		if (x->has_value)
			zl_jw_double(w, x->value);
		else
			zl_jw_null(w);
		zl_jw_kstr(w, "value_on", nul(x->value_on));
		zl_jw_obj_end(w);
	}
	zl_jw_arr_end(w);
}

/* What the task's audit rows digest: the task's own facts, not its roll-up. */
static void task_fact_json(struct zl_jw *w, const void *arg)
{
	const struct zl_plan_task_row *t = arg;

	zl_jw_obj_begin(w);
	zl_plan_http_task_members(w, t);
	zl_jw_kstr(w, "text", t->text);
	zl_jw_key(w, "milestones");
	milestones_json(w, t);
	zl_jw_key(w, "indicators");
	indicators_json(w, t);
	zl_jw_obj_end(w);
}

struct newest {
	struct zl_plan_report *r;
	int found;
};

static int take_newest(void *cls, const struct zl_plan_report *r)
{
	struct newest *n = cls;

	*n->r = *r;
	n->found = 1;
	return ZL_OK;
}

/* Everything GET /api/v1/plan-tasks/{id} answers. */
static int write_task(struct zl_req *req, struct zl_db *db, struct zl_jw *w,
		      const struct zl_plan_task_row *t, const struct zl_plan_info *p,
		      const char *today, struct zl_error *err)
{
	const char *me = req->principal.org_path;
	const struct zl_plan_access_owner *own = zl_plan_http_owners(req, t);
	struct newest latest = {zl_arena_calloc(req->arena, 1, sizeof(struct zl_plan_report)), 0};
	struct zl_plan_task_set parent;
	struct zl_plan_rollup ru;
	enum zl_plan_edit edit = zl_plan_task_edit(me, p->org_path, own, t->nowners);
	int reports = zl_plan_reports_visible(me, p->org_path, own, t->nowners), rc;
	int64_t total = 0;

	if (latest.r == NULL)
		return zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
	zl_plan_task_set_init(&parent);
	rc = zl_store_plan_rollup(db, t, today, req->arena, &ru, err);
	if (rc == ZL_OK && t->parent_task > 0) {
		rc = zl_store_plan_task_get(db, t->parent_task, today, &parent, err);
		if (rc == ZL_ENOTFOUND)
			rc = ZL_OK;
	}
	if (rc == ZL_OK && reports)
		rc = zl_store_plan_reports(db, t->id, NULL, NULL, 0, 1, take_newest, &latest,
					   &total, err);
	if (rc != ZL_OK)
		goto out;
	zl_jw_obj_begin(w);
	zl_plan_http_task_members(w, t);
	zl_jw_kstr(w, "section", nul(t->section));
	zl_jw_kstr(w, "text", nul(t->text));
	zl_jw_kstr(w, "updated_at", t->updated_at);
	zl_jw_key(w, "plan");
	zl_jw_obj_begin(w);
	zl_jw_kint(w, "id", p->id);
	zl_jw_kstr(w, "title", p->title);
	zl_jw_kstr(w, "org", p->org);
	zl_jw_kstr(w, "org_name", nul(p->org_name));
	zl_jw_obj_end(w);
	zl_jw_key(w, "parent");
	if (parent.n > 0) {
		const struct zl_plan_task_row *q = &parent.tasks[0];

		zl_jw_obj_begin(w);
		zl_jw_kint(w, "id", q->id);
		zl_jw_kint(w, "plan_id", q->plan_id);
		zl_jw_kstr(w, "plan_title", q->plan_title);
		zl_jw_kstr(w, "number", q->number);
		zl_jw_kstr(w, "title", q->title);
		zl_jw_kstr(w, "light", zl_light_name(q->light.light));
		zl_jw_obj_end(w);
	} else {
		zl_jw_null(w);
	}
	zl_jw_key(w, "milestones");
	milestones_json(w, t);
	zl_jw_key(w, "indicators");
	indicators_json(w, t);
	zl_jw_key(w, "rollup");
	zl_jw_obj_begin(w);
	zl_jw_kint(w, "tasks", ru.tasks);
	zl_jw_key(w, "lights");
	lights_json(w, ru.lights);
	zl_jw_key(w, "progress");
	if (ru.progress >= 0)
		zl_jw_int(w, ru.progress);
	else
		zl_jw_null(w);
	zl_jw_key(w, "orgs");
	zl_jw_arr_begin(w);
	for (size_t i = 0; i < ru.norgs; i++) {
		const struct zl_plan_rollup_org *o = &ru.orgs[i];

		zl_jw_obj_begin(w);
		zl_jw_kstr(w, "org", o->org);
		zl_jw_kstr(w, "name", o->name);
		zl_jw_kbool(w, "decomposed", o->decomposed);
		zl_jw_kint(w, "tasks", o->tasks);
		zl_jw_key(w, "lights");
		lights_json(w, o->lights);
		zl_jw_key(w, "progress");
		if (o->progress >= 0)
			zl_jw_int(w, o->progress);
		else
			zl_jw_null(w);
		zl_jw_obj_end(w);
	}
	zl_jw_arr_end(w);
	zl_jw_obj_end(w);
	zl_jw_key(w, "reports");
	zl_jw_obj_begin(w);
	zl_jw_kbool(w, "visible", reports);
	if (reports) {
		zl_jw_kint(w, "total", total);
		zl_jw_key(w, "latest");
		if (latest.found) {
			zl_jw_obj_begin(w);
			zl_plan_http_report_members(w, latest.r, 1);
			zl_jw_obj_end(w);
		} else {
			zl_jw_null(w);
		}
	}
	zl_jw_obj_end(w);
	zl_jw_key(w, "may");
	zl_jw_obj_begin(w);
	zl_jw_kstr(w, "edit",
		   !holds(req, ZL_PERM_PLAN_WRITE) ? "none"
		   : edit == ZL_PLAN_EDIT_ALL	   ? "all"
		   : edit == ZL_PLAN_EDIT_REFINE   ? "refine"
						   : "none");
	zl_jw_kbool(w, "report",
		    holds(req, ZL_PERM_PLAN_REPORT) && !given(t->completed_on) &&
			    zl_plan_report_owner(me, p->org_path, own, t->nowners, NULL) >= 0);
	zl_jw_kbool(w, "confirm",
		    holds(req, ZL_PERM_PLAN_CONFIRM) &&
			    zl_plan_may_confirm(me, p->org_path, own, t->nowners));
	zl_jw_obj_end(w);
	zl_jw_obj_end(w);
out:
	zl_plan_task_set_release(&parent);
	return rc;
}

int zl_plan_http_answer_task(struct zl_req *req, struct zl_resp *resp, struct zl_db *db, int status,
			     int64_t task_id, const char *today, struct zl_error *err)
{
	struct zl_plan_info *p = zl_arena_calloc(req->arena, 1, sizeof(*p));
	struct zl_plan_task_set set;
	struct zl_jw w;
	int rc;

	if (p == NULL)
		return zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
	zl_plan_task_set_init(&set);
	rc = zl_store_plan_task_get(db, task_id, today, &set, err);
	if (rc == ZL_OK)
		rc = zl_store_plan_get(db, set.tasks[0].plan_id, p, err);
	if (rc == ZL_OK) {
		zl_resp_json(resp, status, &w);
		rc = write_task(req, db, &w, &set.tasks[0], p, today, err);
		if (rc == ZL_OK)
			rc = zl_jw_error(&w);
	}
	zl_plan_task_set_release(&set);
	return rc;
}

int zl_h_plan_task_get(struct zl_req *req, struct zl_resp *resp, struct zl_error *err)
{
	struct zl_plan_info *p = zl_arena_calloc(req->arena, 1, sizeof(*p));
	struct zl_plan_task_set set;
	struct zl_plan_actor who;
	char today[16];
	struct zl_db *db;
	struct zl_jw w;
	int64_t id;
	int rc;

	if (p == NULL)
		return zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
	if ((rc = zl_plan_http_start(req, "task", &who, today, &id, err)))
		return rc;
	if (!(db = zl_req_db(req, err)))
		return ZL_EUNAVAIL;
	zl_plan_task_set_init(&set);
	if ((rc = zl_db_begin_read(db, err)))
		return rc;
	rc = zl_plan_http_task(req, db, id, today, &set, p, err);
	if (rc == ZL_OK) {
		zl_resp_json(resp, 200, &w);
		rc = write_task(req, db, &w, &set.tasks[0], p, today, err);
		if (rc == ZL_OK)
			rc = zl_jw_error(&w);
	}
	zl_db_rollback(db);
	zl_plan_task_set_release(&set);
	return rc;
}

int zl_h_plan_task_update(struct zl_req *req, struct zl_resp *resp, struct zl_error *err)
{
	static const char *const allowed[] = {"title",	    "text",	    "start",
					      "deadline",   "completed_on", "owners",
					      "milestones", "indicators",   NULL};
	static const char *const refine_only[] = {"title",	  "text",   "start", "deadline",
						  "completed_on", "owners", NULL};
	struct zl_plan_info *p = zl_arena_calloc(req->arena, 1, sizeof(*p));
	struct zl_plan_task_change ch = {0};
	struct zl_plan_task_set set, after;
	struct zl_plan_actor who;
	const char *before = NULL;
	char today[16], target[48];
	enum zl_plan_edit edit;
	cJSON *body = NULL;
	struct zl_db *db = NULL;
	int64_t id;
	int rc;

	if (p == NULL)
		return zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
	zl_plan_http_actor(req, &who, today);
	zl_plan_task_set_init(&set);
	zl_plan_task_set_init(&after);
	if ((rc = zl_plan_http_id(req, "task", &id, err)))
		return rc;
	rc = zl_json_parse_object(req->body, req->body_len, 4, &body, err);
	if (rc)
		return rc;
	if ((rc = zl_json_only_fields(body, allowed, err)) ||
	    (rc = zl_json_get_string(body, "title", 0, ZL_PLAN_TASK_TITLE_MAX, &ch.title, err)) ||
	    (rc = zl_json_get_string(body, "text", 0, ZL_PLAN_TEXT_MAX, &ch.text, err)) ||
	    (rc = zl_json_get_string(body, "start", 0, 10, &ch.start, err)) ||
	    (rc = zl_json_get_string(body, "deadline", 0, 10, &ch.deadline, err)) ||
	    (rc = zl_json_get_string(body, "completed_on", 0, 10, &ch.completed_on, err)) ||
	    (rc = zl_plan_http_parse_owners(req, body, "", &ch.owners, &ch.nowners, &ch.set_owners,
					    err)) ||
	    (rc = zl_plan_http_parse_milestones(req, body, "", 1, &ch.milestones, &ch.nmilestones,
						&ch.set_milestones, err)) ||
	    (rc = zl_plan_http_parse_indicators(req, body, "", 1, &ch.indicators, &ch.nindicators,
						&ch.set_indicators, err)))
		goto out;
	/* "" clears a date; JSON null would be "leave it": the string is the one way. */
	if ((rc = zl_plan_http_open(req, 1, &db, err)))
		goto out;
	rc = zl_plan_http_task(req, db, id, today, &set, p, err);
	if (rc != ZL_OK)
		goto tx;
	edit = zl_plan_task_edit(req->principal.org_path, p->org_path,
				 zl_plan_http_owners(req, &set.tasks[0]), set.tasks[0].nowners);
	if (edit == ZL_PLAN_EDIT_NONE) {
		rc = zl_error_set(err, ZL_EFORBIDDEN, NULL,
				  "only the plan's organization, or a lead of the task for its "
				  "milestones and indicators, changes this task");
		goto tx;
	}
	if (edit == ZL_PLAN_EDIT_REFINE) {
		for (size_t i = 0; refine_only[i]; i++) {
			if (cJSON_GetObjectItemCaseSensitive(body, refine_only[i]) != NULL) {
				rc = zl_error_set(err, ZL_EFORBIDDEN, refine_only[i],
						  "a lead changes milestones and indicators only; "
						  "%s is the plan's organization's to change",
						  refine_only[i]);
				goto tx;
			}
		}
	}
	before = zl_plan_http_json_text(req, task_fact_json, &set.tasks[0]);
	rc = zl_store_plan_task_update(db, id, &ch, &who, err);
	if (rc == ZL_OK)
		rc = zl_store_plan_task_get(db, id, today, &after, err);
	if (rc == ZL_OK) {
		snprintf(target, sizeof(target), "plan-task:%" PRId64, id);
		rc = zl_req_audit(req, db, "plan.task_update", target, before,
				  zl_plan_http_json_text(req, task_fact_json, &after.tasks[0]),
				  set.tasks[0].number, err);
	}
tx:
	if ((rc = zl_plan_http_finish(db, rc, err)))
		goto out;
	rc = zl_plan_http_answer_task(req, resp, db, 200, id, today, err);
out:
	zl_plan_task_set_release(&set);
	zl_plan_task_set_release(&after);
	cJSON_Delete(body);
	return rc;
}

/* ---- reports of a task ----------------------------------------------------------------- */

static const struct zl_list_col report_cols[] = {
	{"id", "报送编号", "ID", ZL_COL_INT},
	{"report_on", "报送日期", "Date", ZL_COL_TEXT},
	{"org", "报送单位代码", "Organization code", ZL_COL_TEXT},
	{"org_name", "报送单位", "Organization", ZL_COL_TEXT},
	{"author", "报送人", "Author", ZL_COL_TEXT},
	{"progress", "进度(%)", "Progress (%)", ZL_COL_INT},
	{"status", "状态", "Status", ZL_COL_TEXT},
	{"text", "进展情况", "Progress report", ZL_COL_TEXT},
	{"decided_by", "审核人", "Decided by", ZL_COL_TEXT},
	{"decided_at", "审核时间", "Decided at", ZL_COL_TIME},
	{"decision_note", "审核意见", "Note", ZL_COL_TEXT},
	{"files", "附件数", "Files", ZL_COL_INT},
};
#define N_REPORT_COLS (sizeof(report_cols) / sizeof(report_cols[0]))

static int report_row(void *cls, const struct zl_plan_report *r)
{
	struct zl_list_writer *lw = cls;
	char id[24], progress[16], files[24], key[48];
	const char *v[N_REPORT_COLS] = {id,
					r->report_on,
					r->org,
					nul(r->org_name),
					r->author,
					progress,
					r->status,
					r->text,
					nul(r->decided_by),
					nul(r->decided_at),
					nul(r->decision_note),
					files};

	snprintf(id, sizeof(id), "%" PRId64, r->id);
	snprintf(progress, sizeof(progress), "%d", r->progress);
	snprintf(files, sizeof(files), "%" PRId64, r->attachments);
	snprintf(key, sizeof(key), "%s/%" PRId64, r->report_on, r->id);
	return zl_list_row_key(lw, v, key);
}

/* "YYYY-MM-DD/ID" of a cursor; ZL_EINVAL naming cursor. */
static int report_cursor(const char *key, char date[16], int64_t *id, struct zl_error *err)
{
	const char *slash = strchr(key, '/');
	char *end = NULL;
	long long v = 0;

	if (slash == NULL || slash - key != 10)
		return zl_error_set(err, ZL_EINVAL, "cursor", "not a cursor of this list");
	memcpy(date, key, 10);
	date[10] = '\0';
	if (slash[1] >= '1' && slash[1] <= '9')
		v = strtoll(slash + 1, &end, 10);
	if (v <= 0 || end == NULL || *end != '\0')
		return zl_error_set(err, ZL_EINVAL, "cursor", "not a cursor of this list");
	*id = v;
	return ZL_OK;
}

/* The task's reports may be read by the caller: 403 otherwise (the task itself is visible). */
static int reports_allowed(struct zl_req *req, const struct zl_plan_task_row *t,
			   const struct zl_plan_info *p, struct zl_error *err)
{
	if (zl_plan_reports_visible(req->principal.org_path, p->org_path,
				    zl_plan_http_owners(req, t), t->nowners))
		return ZL_OK;
	return zl_error_set(err, ZL_EFORBIDDEN, NULL,
			    "a task's reports are read by the plan's organization and the task's "
			    "owners");
}

int zl_h_plan_reports_list(struct zl_req *req, struct zl_resp *resp, struct zl_error *err)
{
	struct zl_plan_info *p = zl_arena_calloc(req->arena, 1, sizeof(*p));
	const char *status = zl_req_query(req, "status");
	struct zl_list_writer *lw = NULL;
	struct zl_plan_task_set set;
	struct zl_list_params lp;
	struct zl_plan_actor who;
	char today[16], date[16];
	const char *before_on = NULL;
	int64_t id, before_id = 0, total = 0;
	struct zl_db *db;
	int rc;

	if (p == NULL)
		return zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
	if ((rc = zl_list_parse(req, &lp, err)) || (rc = zl_plan_http_id(req, "task", &id, err)))
		return rc;
	if (given(status) && strcmp(status, "submitted") && strcmp(status, "confirmed") &&
	    strcmp(status, "returned"))
		return zl_error_set(err, ZL_EINVAL, "status",
				    "status is submitted, confirmed or returned");
	if (lp.cursor_key[0]) {
		if ((rc = report_cursor(lp.cursor_key, date, &before_id, err)))
			return rc;
		before_on = date;
	}
	zl_plan_http_actor(req, &who, today);
	if (!(db = zl_req_db(req, err)))
		return ZL_EUNAVAIL;
	zl_plan_task_set_init(&set);
	if ((rc = zl_db_begin_read(db, err)))
		return rc;
	if ((rc = zl_plan_http_task(req, db, id, today, &set, p, err)) ||
	    (rc = reports_allowed(req, &set.tasks[0], p, err)) ||
	    (rc = zl_store_plan_reports(db, id, nul(status), NULL, 0, 0, NULL, NULL, &total,
					err)) ||
	    (rc = zl_list_begin(req, resp, &lp, "reports", report_cols, N_REPORT_COLS, total, &lw,
				err)))
		goto out;
	rc = zl_store_plan_reports(db, id, nul(status), before_on, before_id,
				   zl_list_fetch_limit(&lp), report_row, lw, NULL, err);
out:
	zl_db_rollback(db);
	zl_plan_task_set_release(&set);
	if (rc != ZL_OK)
		return rc;
	return zl_list_end_page(lw, err);
}

int zl_h_plan_report_add(struct zl_req *req, struct zl_resp *resp, struct zl_error *err)
{
	static const char *const allowed[] = {"text", "progress", "org", "values", NULL};
	static const char *const value_fields[] = {"indicator", "value", NULL};
	struct zl_plan_info *p = zl_arena_calloc(req->arena, 1, sizeof(*p));
	struct zl_plan_report_in in = {0};
	struct zl_plan_value_in *values = NULL;
	const struct zl_plan_access_owner *own;
	const struct zl_plan_task_row *t;
	struct zl_plan_task_set set;
	struct zl_plan_actor who;
	const char *org = NULL, *want = NULL;
	char today[16], target[48], detail[48];
	const cJSON *arr, *v;
	cJSON *body = NULL;
	struct zl_db *db = NULL;
	int64_t id, progress = -1, rid = 0;
	long k;
	size_t i = 0;
	int rc;

	if (p == NULL)
		return zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
	zl_plan_http_actor(req, &who, today);
	zl_plan_task_set_init(&set);
	if ((rc = zl_plan_http_id(req, "task", &id, err)))
		return rc;
	rc = zl_json_parse_object(req->body, req->body_len, 4, &body, err);
	if (rc)
		return rc;
	if ((rc = zl_json_only_fields(body, allowed, err)) ||
	    (rc = zl_json_get_string(body, "text", 1, ZL_PLAN_REPORT_TEXT_MAX, &in.text, err)) ||
	    (rc = zl_json_get_int(body, "progress", 1, 0, 100, &progress, err)) ||
	    (rc = zl_json_get_string(body, "org", 0, ZL_ORG_CODE_MAX - 1, &org, err)))
		goto out;
	in.progress = (int)progress;
	arr = cJSON_GetObjectItemCaseSensitive(body, "values");
	if (arr != NULL && !cJSON_IsNull(arr)) {
		if (!cJSON_IsArray(arr) || cJSON_GetArraySize(arr) > ZL_PLAN_ITEMS_MAX) {
			rc = zl_error_set(err, ZL_EUNPROC, "values",
					  "values must be an array of {\"indicator\",\"value\"}");
			goto out;
		}
		in.nvalues = (size_t)cJSON_GetArraySize(arr);
		values = zl_arena_calloc(req->arena, in.nvalues + 1, sizeof(*values));
		if (values == NULL) {
			rc = zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
			goto out;
		}
		cJSON_ArrayForEach(v, arr)
		{
			const cJSON *num = cJSON_GetObjectItemCaseSensitive(v, "value");

			if ((rc = zl_json_only_fields(v, value_fields, err)) ||
			    (rc = zl_json_get_int(v, "indicator", 1, 1, ZL_JSON_INT_MAX,
						  &values[i].indicator_id, err))) {
				char msg[ZL_ERR_MSG_MAX];

				snprintf(msg, sizeof(msg), "%s", err->message);
				rc = zl_error_set(err, (enum zl_err)rc, "values", "values[%zu]: %s",
						  i, msg);
				goto out;
			}
			if (!cJSON_IsNumber(num)) {
				rc = zl_error_set(err, ZL_EUNPROC, "values",
						  "values[%zu].value must be a number", i);
				goto out;
			}
			values[i++].value = num->valuedouble;
		}
		in.values = values;
	}
	if ((rc = zl_plan_http_open(req, 1, &db, err)))
		goto out;
	if ((rc = zl_plan_http_task(req, db, id, today, &set, p, err)))
		goto tx;
	t = &set.tasks[0];
	own = zl_plan_http_owners(req, t);
	/* The organization reported for: named by the caller, else found by the rule. */
	if (given(org)) {
		for (size_t j = 0; j < t->nowners && want == NULL; j++)
			if (strcmp(t->owners[j].org, org) == 0)
				want = t->owners[j].org_path;
		if (want == NULL && strcmp(org, p->org) == 0)
			want = p->org_path;
		if (want == NULL) {
			rc = zl_error_set(err, ZL_EUNPROC, "org", "%s does not own this task", org);
			goto tx;
		}
	}
	k = zl_plan_report_owner(req->principal.org_path, p->org_path, own, t->nowners, want);
	if (k < 0) {
		rc = zl_error_set(err, ZL_EFORBIDDEN, NULL,
				  "only an organization owning this task reports on it");
		goto tx;
	}
	in.task_id = id;
	in.org = (size_t)k == t->nowners ? p->org : t->owners[k].org;
	rc = zl_store_plan_report_add(db, &in, &who, &rid, err);
	if (rc == ZL_OK) {
		snprintf(target, sizeof(target), "plan-report:%" PRId64, rid);
		snprintf(detail, sizeof(detail), "task %" PRId64 ", %d%%", id, in.progress);
		rc = zl_req_audit(req, db, "plan.report_add", target, NULL, req->body, detail, err);
	}
tx:
	if ((rc = zl_plan_http_finish(db, rc, err)))
		goto out;
	rc = zl_plan_http_answer_report(req, resp, db, 201, rid, err);
out:
	zl_plan_task_set_release(&set);
	cJSON_Delete(body);
	return rc;
}
