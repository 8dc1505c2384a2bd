/*
 * plans.c - plans over HTTP (docs/plan-ledger.md):
 *   GET  /api/v1/plans                     plans related to the caller, paged, exports
 *   POST /api/v1/plans                     store a plan from its structure
 *   GET  /api/v1/plans/{id}                the plan as a tree with lights
 *   POST /api/v1/plans/{id}/tasks          add a task
 *   POST /api/v1/plans/{id}/decompose      a city's or county's local plan from it
 *   GET  /api/v1/plans/{id}/ledger         the 任务分工台账 (JSON, CSV, Excel)
 *   GET  /api/v1/plans/{id}/unresolved     names that resolve to no organization
 *   POST /api/v1/plans/{id}/unresolved     map a name (an administrator)
 *   GET  /api/v1/plans/{id}/completion     completion by organization (dashboard)
 * Whether the caller may see or change a plan is decided by
 * domain/plan_access.h after the route's permission; a plan out of reach
 * answers 404 like a missing one.  Writes commit with their audit row.
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

static void count_lights(const struct zl_plan_task_set *s, int64_t out[4])
{
	memset(out, 0, 4 * sizeof(*out));
	for (size_t i = 0; i < s->n; i++)
		out[s->tasks[i].light.light]++;
}

static void lights_json(struct zl_jw *w, const int64_t l[4])
{
	zl_jw_obj_begin(w);
	zl_jw_kint(w, "green", l[ZL_LIGHT_GREEN]);
	zl_jw_kint(w, "yellow", l[ZL_LIGHT_YELLOW]);
	zl_jw_kint(w, "red", l[ZL_LIGHT_RED]);
	zl_jw_kint(w, "done", l[ZL_LIGHT_DONE]);
	zl_jw_obj_end(w);
}

/* ---- the plan as a tree -------------------------------------------------------- */

struct counts {
	int64_t *task;
	int64_t *n;
	size_t len, cap;
};

static int add_count(void *cls, int64_t task_id, int64_t n)
{
	struct counts *c = cls;

	if (c->len == c->cap) {
		size_t cap = c->cap ? 2 * c->cap : 32;
		int64_t *t = realloc(c->task, cap * sizeof(*t));
		int64_t *k = t ? realloc(c->n, cap * sizeof(*k)) : NULL;

		if (t)
			c->task = t;
		if (k == NULL)
			return ZL_ENOMEM;
		c->n = k;
		c->cap = cap;
	}
	c->task[c->len] = task_id;
	c->n[c->len++] = n;
	return ZL_OK;
}

static int64_t count_of(const struct counts *c, int64_t task_id)
{
	for (size_t i = 0; i < c->len; i++)
		if (c->task[i] == task_id)
			return c->n[i];
	return 0;
}

static void task_node(struct zl_jw *w, const struct zl_plan_task_row *t, const void *cls)
{
	const struct counts *c = cls;

	zl_jw_obj_begin(w);
	zl_plan_http_task_members(w, t);
	zl_jw_kint(w, "local_tasks", count_of(c, t->id));
	zl_jw_obj_end(w);
}

struct local_plans {
	struct zl_req *req;
	struct zl_db *db;
	struct zl_jw *w;
	const char *today;
	struct zl_error *err;
};

static int local_plan(void *cls, const struct zl_plan_info *p)
{
	struct local_plans *lp = cls;
	struct zl_plan_task_filter f = {.plan_id = p->id};
	struct zl_plan_task_set set;
	int64_t lights[4];
	int visible = 0, rc;

	rc = zl_store_plan_visible(lp->db, p, lp->req->principal.org_path, &visible, lp->err);
	if (rc != ZL_OK || !visible)
		return rc;
	zl_plan_task_set_init(&set);
	rc = zl_store_plan_tasks(lp->db, &f, lp->today, &set, lp->err);
	if (rc == ZL_OK) {
		count_lights(&set, lights);
		zl_jw_obj_begin(lp->w);
		zl_jw_kint(lp->w, "id", p->id);
		zl_jw_kstr(lp->w, "org", p->org);
		zl_jw_kstr(lp->w, "org_name", nul(p->org_name));
		zl_jw_kstr(lp->w, "title", p->title);
		zl_jw_kint(lp->w, "tasks", (int64_t)set.n);
		zl_jw_key(lp->w, "lights");
		lights_json(lp->w, lights);
		zl_jw_obj_end(lp->w);
	}
	zl_plan_task_set_release(&set);
	return rc;
}

void zl_plan_http_tree(struct zl_jw *w, const struct zl_plan_section_row *sections,
		       size_t nsections, const struct zl_plan_task_set *set,
		       zl_plan_http_node_fn *node, const void *cls)
{
	zl_jw_key(w, "sections");
	zl_jw_arr_begin(w);
	for (size_t k = 0; k < nsections; k++) {
		zl_jw_obj_begin(w);
		zl_jw_kstr(w, "number", sections[k].number);
		zl_jw_kstr(w, "title", sections[k].title);
		zl_jw_key(w, "tasks");
		zl_jw_arr_begin(w);
		for (size_t i = 0; i < set->n; i++)
			if (strcmp(set->tasks[i].section, sections[k].number) == 0)
				node(w, &set->tasks[i], cls);
		zl_jw_arr_end(w);
		zl_jw_obj_end(w);
	}
	zl_jw_arr_end(w);
	/* Tasks outside any section (and under a number no section has). */
	zl_jw_key(w, "tasks");
	zl_jw_arr_begin(w);
	for (size_t i = 0; i < set->n; i++) {
		int placed = 0;

		for (size_t k = 0; k < nsections && !placed; k++)
			placed = strcmp(set->tasks[i].section, sections[k].number) == 0;
		if (!placed)
			node(w, &set->tasks[i], cls);
	}
	zl_jw_arr_end(w);
}

int zl_plan_http_plan_members(struct zl_req *req, struct zl_db *db, struct zl_jw *w,
			      const struct zl_plan_info *p, const char *today, struct zl_error *err)
{
	struct zl_plan_task_filter f = {.plan_id = p->id};
	struct zl_plan_section_row *sections = NULL;
	struct local_plans lp = {req, db, w, today, err};
	struct zl_plan_task_set set;
	struct counts c = {0};
	int64_t lights[4], unresolved = 0;
	size_t nsections = 0;
	int rc;

	zl_plan_task_set_init(&set);
	if ((rc = zl_store_plan_tasks(db, &f, today, &set, err)) ||
	    (rc = zl_store_plan_sections(db, p->id, req->arena, &sections, &nsections, err)) ||
	    (rc = zl_store_plan_child_counts(db, p->id, add_count, &c, err)) ||
	    (rc = zl_store_plan_unresolved(db, p->id, NULL, NULL, &unresolved, err)))
		goto out;
	count_lights(&set, lights);
	zl_jw_kint(w, "id", p->id);
	zl_jw_kstr(w, "title", p->title);
	zl_jw_kstr(w, "issuer", nul(p->issuer));
	zl_jw_kstr(w, "date", nul(p->doc_date));
	zl_jw_kint(w, "year", p->year);
	zl_jw_kstr(w, "org", p->org);
	zl_jw_kstr(w, "org_name", nul(p->org_name));
	zl_jw_key(w, "parent_plan");
	if (p->parent_plan > 0)
		zl_jw_int(w, p->parent_plan);
	else
		zl_jw_null(w);
	zl_jw_kstr(w, "lead_rule", nul(p->lead_rule));
	zl_jw_kstr(w, "source_name", nul(p->source_name));
	zl_jw_kstr(w, "source_sha256", nul(p->source_sha256));
	zl_jw_kstr(w, "created_by", p->created_by);
	zl_jw_kstr(w, "created_at", p->created_at);
	zl_jw_kbool(w, "editable", zl_plan_editable(req->principal.org_path, p->org_path));
	zl_jw_kint(w, "tasks_total", (int64_t)set.n);
	zl_jw_key(w, "lights");
	lights_json(w, lights);
	zl_jw_kint(w, "unresolved", unresolved);
	zl_plan_http_tree(w, sections, nsections, &set, task_node, &c);
	zl_jw_key(w, "local_plans");
	zl_jw_arr_begin(w);
	rc = zl_store_plan_children(db, p->id, local_plan, &lp, err);
	zl_jw_arr_end(w);
	if (rc == ZL_ENOMEM)
		rc = zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
out:
	free(c.task);
	free(c.n);
	zl_plan_task_set_release(&set);
	return rc;
}

/* Everything GET /api/v1/plans/{id} answers, as one object. */
static int write_plan(struct zl_req *req, struct zl_db *db, struct zl_jw *w,
		      const struct zl_plan_info *p, const char *today, struct zl_error *err)
{
	int rc;

	zl_jw_obj_begin(w);
	rc = zl_plan_http_plan_members(req, db, w, p, today, err);
	zl_jw_obj_end(w);
	return rc;
}

/* Answer `status` with plan `id` as GET shows it (after a write committed). */
static int answer_plan(struct zl_req *req, struct zl_resp *resp, struct zl_db *db, int status,
		       int64_t id, const char *today, struct zl_error *err)
{
	struct zl_plan_info *p = zl_arena_calloc(req->arena, 1, sizeof(*p));
	struct zl_jw w;
	int rc;

	if (p == NULL)
		return zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
	rc = zl_store_plan_get(db, id, p, err);
	if (rc != ZL_OK)
		return rc;
	zl_resp_json(resp, status, &w);
	rc = write_plan(req, db, &w, p, today, err);
	return rc != ZL_OK ? rc : zl_jw_error(&w);
}

int zl_h_plan_get(struct zl_req *req, struct zl_resp *resp, struct zl_error *err)
{
	struct zl_plan_info *p = zl_arena_calloc(req->arena, 1, sizeof(*p));
	struct zl_plan_actor who;
	char today[16];
	struct zl_db *db;
	struct zl_jw w;
	int64_t id;
	int rc;

	if (p == NULL)
		return zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
	if ((rc = zl_plan_http_start(req, "plan", &who, today, &id, err)))
		return rc;
	if ((rc = zl_plan_http_open(req, 0, &db, err)))
		return rc;
	rc = zl_plan_http_plan(req, db, id, p, err);
	if (rc == ZL_OK) {
		zl_resp_json(resp, 200, &w);
		rc = write_plan(req, db, &w, p, today, err);
		if (rc == ZL_OK)
			rc = zl_jw_error(&w);
	}
	zl_db_rollback(db);
	return rc;
}

/* ---- the list ------------------------------------------------------------------- */

static const struct zl_list_col plan_cols[] = {
	{"id", "编号", "ID", ZL_COL_INT},
	{"title", "计划名称", "Title", ZL_COL_TEXT},
	{"year", "年度", "Year", ZL_COL_INT},
	{"org", "单位代码", "Organization code", ZL_COL_TEXT},
	{"org_name", "制定单位", "Organization", ZL_COL_TEXT},
	{"parent_plan", "上级计划", "Parent plan", ZL_COL_INT},
	{"doc_date", "印发日期", "Date", ZL_COL_TEXT},
	{"issuer", "印发单位", "Issuer", ZL_COL_TEXT},
	{"tasks", "任务数", "Tasks", ZL_COL_INT},
	{"green", "绿灯", "Green", ZL_COL_INT},
	{"yellow", "黄灯", "Yellow", ZL_COL_INT},
	{"red", "红灯", "Red", ZL_COL_INT},
	{"done", "已完成", "Done", ZL_COL_INT},
	{"created_at", "登记时间", "Created", ZL_COL_TIME},
};
#define N_PLAN_COLS (sizeof(plan_cols) / sizeof(plan_cols[0]))

struct plan_page {
	struct zl_list_writer *w;
	struct zl_db *db;
	const char *today;
	struct zl_error *err;
};

static int plan_row(void *cls, const struct zl_plan_info *p)
{
	struct plan_page *pg = cls;
	struct zl_plan_task_filter f = {.plan_id = p->id};
	struct zl_plan_task_set set;
	char id[24], year[16], parent[24], n[24], l[4][24], key[24];
	int64_t lights[4];
	int rc;

	zl_plan_task_set_init(&set);
	rc = zl_store_plan_tasks(pg->db, &f, pg->today, &set, pg->err);
	if (rc == ZL_OK) {
		const char *v[N_PLAN_COLS] = {id,
					      p->title,
					      year,
					      p->org,
					      nul(p->org_name),
					      p->parent_plan ? parent : NULL,
					      nul(p->doc_date),
					      nul(p->issuer),
					      n,
					      l[0],
					      l[1],
					      l[2],
					      l[3],
					      p->created_at};

		count_lights(&set, lights);
		snprintf(id, sizeof(id), "%" PRId64, p->id);
		snprintf(year, sizeof(year), "%d", p->year);
		snprintf(parent, sizeof(parent), "%" PRId64, p->parent_plan);
		snprintf(n, sizeof(n), "%zu", set.n);
		for (int i = 0; i < 4; i++)
			snprintf(l[i], sizeof(l[i]), "%" PRId64, lights[i]);
		snprintf(key, sizeof(key), "%" PRId64, p->id);
		rc = zl_list_row_key(pg->w, v, key);
	}
	zl_plan_task_set_release(&set);
	return rc;
}

/* A positive id from a query parameter or a cursor; ZL_EINVAL naming `field`. */
static int parse_id(const char *s, const char *field, int64_t *out, struct zl_error *err)
{
	char *end = NULL;
	long long v = 0;

	*out = 0;
	if (!given(s))
		return ZL_OK;
	if (*s >= '1' && *s <= '9')
		v = strtoll(s, &end, 10);
	if (v <= 0 || end == NULL || *end != '\0' || v > ZL_JSON_INT_MAX)
		return zl_error_set(err, ZL_EINVAL, field, "%s must be a positive whole number",
				    field);
	*out = v;
	return ZL_OK;
}

int zl_h_plans_list(struct zl_req *req, struct zl_resp *resp, struct zl_error *err)
{
	struct zl_plan_filter f = {0};
	struct zl_list_params lp;
	struct plan_page pg = {0};
	struct zl_plan_actor who;
	const char *top = zl_req_query(req, "top"), *local = zl_req_query(req, "local");
	char today[16];
	int64_t total = 0, year = 0;
	struct zl_db *db;
	int rc;

	if ((rc = zl_list_parse(req, &lp, err)))
		return rc;
	zl_plan_http_actor(req, &who, today);
	f.viewer_path = req->principal.org_path;
	f.org = nul(zl_req_query(req, "org"));
	f.q = nul(zl_req_query(req, "q"));
	if (f.q != NULL && zl_plan_chars(f.q) > 100)
		return zl_error_set(err, ZL_EINVAL, "q", "q: at most 100 characters");
	if ((rc = parse_id(zl_req_query(req, "year"), "year", &year, err)) ||
	    (rc = parse_id(zl_req_query(req, "parent"), "parent", &f.parent, err)) ||
	    (rc = parse_id(lp.cursor_key[0] ? lp.cursor_key : NULL, "cursor", &f.before, err)))
		return rc;
	if (year != 0 && (year < 1949 || year > 2100))
		return zl_error_set(err, ZL_EINVAL, "year", "year must be 1949..2100");
	f.year = (int)year;
	f.top_only = top != NULL && (!strcmp(top, "1") || !strcmp(top, "true"));
	f.local_only = local != NULL && (!strcmp(local, "1") || !strcmp(local, "true"));
	if ((rc = zl_plan_http_open(req, 0, &db, err)))
		return rc;
	rc = zl_store_plan_list(db, &f, 0, NULL, NULL, &total, err);
	if (rc == ZL_OK)
		rc = zl_list_begin(req, resp, &lp, "plans", plan_cols, N_PLAN_COLS, total, &pg.w,
				   err);
	if (rc == ZL_OK) {
		pg.db = db;
		pg.today = today;
		pg.err = err;
		rc = zl_store_plan_list(db, &f, zl_list_fetch_limit(&lp), plan_row, &pg, NULL, err);
	}
	zl_db_rollback(db);
	if (rc != ZL_OK)
		return rc;
	return zl_list_end_page(pg.w, err);
}

/* ---- writes ---------------------------------------------------------------------- */

int zl_h_plans_create(struct zl_req *req, struct zl_resp *resp, struct zl_error *err)
{
	struct zl_plan_in in;
	struct zl_plan_actor who;
	char today[16], target[48], detail[96];
	cJSON *body = NULL;
	struct zl_db *db = NULL;
	int64_t id = 0, unresolved = 0;
	int rc;

	zl_plan_http_actor(req, &who, today);
	rc = zl_json_parse_object(req->body, req->body_len, 8, &body, err);
	if (rc)
		return rc;
	if ((rc = zl_plan_http_parse_plan(req, body, &in, err)) ||
	    (rc = zl_plan_in_check(&in, err)))
		goto out;
	if ((rc = zl_plan_http_open(req, 1, &db, err)))
		goto out;
	rc = zl_store_plan_create(db, &in, &who, &id, err);
	if (rc == ZL_OK)
		rc = zl_store_plan_unresolved(db, id, NULL, NULL, &unresolved, err);
	if (rc == ZL_OK) {
		snprintf(target, sizeof(target), "plan:%" PRId64, id);
		snprintf(detail, sizeof(detail), "%zu tasks, %" PRId64 " names unresolved",
			 in.ntasks, unresolved);
		rc = zl_req_audit(req, db, "plan.create", target, NULL, req->body, detail, err);
	}
	if ((rc = zl_plan_http_finish(db, rc, err)))
		goto out;
	rc = answer_plan(req, resp, db, 201, id, today, err);
out:
	cJSON_Delete(body);
	return rc;
}

int zl_h_plan_decompose(struct zl_req *req, struct zl_resp *resp, struct zl_error *err)
{
	static const char *const allowed[] = {"org", "title", "numbers", NULL};
	struct zl_plan_info *p = zl_arena_calloc(req->arena, 1, sizeof(*p));
	struct zl_plan_decompose d = {0};
	struct zl_plan_actor who;
	char today[16], target[48], detail[96];
	cJSON *body = NULL;
	struct zl_db *db = NULL;
	int64_t id, local = 0;
	int rc;

	if (p == NULL)
		return zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
	if ((rc = zl_plan_http_start(req, "plan", &who, today, &id, err)))
		return rc;
	rc = zl_json_parse_object(req->body, req->body_len, 4, &body, err);
	if (rc)
		return rc;
	if ((rc = zl_json_only_fields(body, allowed, err)) ||
	    (rc = zl_json_get_string(body, "org", 1, ZL_ORG_CODE_MAX - 1, &d.org, err)) ||
	    (rc = zl_json_get_string(body, "title", 0, ZL_PLAN_TITLE_MAX, &d.title, err)))
		goto out;
	if ((rc = zl_plan_http_strings(req, body, "", "numbers", ZL_PLAN_TASKS_MAX,
				       ZL_PLAN_NUMBER_MAX, &d.numbers, &d.nnumbers, err)))
		goto out;
	if ((rc = zl_plan_http_open(req, 1, &db, err)))
		goto out;
	rc = zl_plan_http_plan(req, db, id, p, err);
	if (rc == ZL_OK)
		rc = zl_store_plan_decompose(db, id, &d, &who, &local, err);
	if (rc == ZL_OK) {
		snprintf(target, sizeof(target), "plan:%" PRId64, local);
		snprintf(detail, sizeof(detail), "local plan of plan %" PRId64 " for %s", id,
			 d.org);
		rc = zl_req_audit(req, db, "plan.decompose", target, NULL, req->body, detail, err);
	}
	if ((rc = zl_plan_http_finish(db, rc, err)))
		goto out;
	rc = answer_plan(req, resp, db, 201, local, today, err);
out:
	cJSON_Delete(body);
	return rc;
}

int zl_h_plan_task_add(struct zl_req *req, struct zl_resp *resp, struct zl_error *err)
{
	struct zl_plan_info *p = zl_arena_calloc(req->arena, 1, sizeof(*p));
	struct zl_plan_task_in t;
	struct zl_plan_actor who;
	char today[16], target[48];
	cJSON *body = NULL;
	struct zl_db *db = NULL;
	int64_t id, task = 0;
	int rc;

	if (p == NULL)
		return zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
	if ((rc = zl_plan_http_start(req, "plan", &who, today, &id, err)))
		return rc;
	rc = zl_json_parse_object(req->body, req->body_len, 6, &body, err);
	if (rc)
		return rc;
	if ((rc = zl_plan_http_parse_task(req, body, "", &t, err)))
		goto out;
	if ((rc = zl_plan_http_open(req, 1, &db, err)))
		goto out;
	rc = zl_plan_http_plan(req, db, id, p, err);
	if (rc == ZL_OK && !zl_plan_editable(req->principal.org_path, p->org_path))
		rc = zl_error_set(err, ZL_EFORBIDDEN, NULL,
				  "only %s (or an organization above it) changes this plan",
				  p->org_name[0] ? p->org_name : p->org);
	if (rc == ZL_OK)
		rc = zl_store_plan_task_add(db, id, &t, &who, &task, err);
	if (rc == ZL_OK) {
		snprintf(target, sizeof(target), "plan-task:%" PRId64, task);
		rc = zl_req_audit(req, db, "plan.task_add", target, NULL, req->body, t.number, err);
	}
	if ((rc = zl_plan_http_finish(db, rc, err)))
		goto out;
	rc = zl_plan_http_answer_task(req, resp, db, 201, task, today, err);
out:
	cJSON_Delete(body);
	return rc;
}

/* ---- the ledger ------------------------------------------------------------------- */

static const struct zl_list_col ledger_cols[] = {
	{"id", "系统编号", "ID", ZL_COL_INT},
	{"number", "序号", "No.", ZL_COL_TEXT},
	{"section", "所属部分", "Section", ZL_COL_TEXT},
	{"title", "工作任务", "Task", ZL_COL_TEXT},
	{"lead", "牵头单位", "Lead", ZL_COL_TEXT},
	{"co", "责任单位", "Co-responsible", ZL_COL_TEXT},
	{"start", "开始日期", "Start", ZL_COL_TEXT},
	{"deadline", "完成时限", "Deadline", ZL_COL_TEXT},
	{"light", "灯色", "Light", ZL_COL_TEXT},
	{"status", "状态", "Status", ZL_COL_TEXT},
	{"progress", "进度(%)", "Progress (%)", ZL_COL_INT},
	{"completed_on", "完成日期", "Completed", ZL_COL_TEXT},
	{"latest_report_on", "最新报送日期", "Latest report", ZL_COL_TEXT},
	{"latest_report", "最新进展", "Latest progress", ZL_COL_TEXT},
};
#define N_LEDGER_COLS (sizeof(ledger_cols) / sizeof(ledger_cols[0]))

struct latest {
	struct zl_req *req;
	size_t n, cap;
	int64_t *task;
	const char **on;
	const char **text;
};

static int keep_latest(void *cls, const struct zl_plan_report *r)
{
	struct latest *l = cls;

	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 32;
		int64_t *t = zl_arena_calloc(l->req->arena, cap, sizeof(*t));
		const char **on = zl_arena_calloc(l->req->arena, cap, sizeof(*on));
		const char **tx = zl_arena_calloc(l->req->arena, cap, sizeof(*tx));

		if (t == NULL || on == NULL || tx == NULL)
			return ZL_ENOMEM;
		if (l->n) {
			memcpy(t, l->task, l->n * sizeof(*t));
			memcpy(on, l->on, l->n * sizeof(*on));
			memcpy(tx, l->text, l->n * sizeof(*tx));
		}
		l->task = t;
		l->on = on;
		l->text = tx;
		l->cap = cap;
	}
	l->task[l->n] = r->task_id;
	l->on[l->n] = zl_arena_strdup(l->req->arena, r->report_on);
	l->text[l->n] = zl_arena_strdup(l->req->arena, r->text);
	if (l->on[l->n] == NULL || l->text[l->n] == NULL)
		return ZL_ENOMEM;
	l->n++;
	return ZL_OK;
}

/* "红灯（逾期、节点逾期）" for the ledger's status column, in the arena. */
static const char *status_text(struct zl_req *req, const struct zl_light_result *l)
{
	struct zl_buf b = ZL_BUF_INIT(1024);
	const char *out = NULL;
	int first = 1;

	zl_buf_adds(&b, zl_plan_light_zh(l->light));
	for (unsigned i = 0; i < ZL_LIGHT_REASONS; i++) {
		if (!(l->reasons & (1u << i)))
			continue;
		zl_buf_adds(&b, first ? "（" : "、");
		zl_buf_adds(&b, zl_plan_reason_zh(i));
		first = 0;
	}
	if (!first)
		zl_buf_adds(&b, "）");
	if (!b.err)
		out = zl_arena_strdup(req->arena, zl_buf_str(&b));
	zl_buf_release(&b);
	return out;
}

int zl_h_plan_ledger(struct zl_req *req, struct zl_resp *resp, struct zl_error *err)
{
	struct zl_plan_info *p = zl_arena_calloc(req->arena, 1, sizeof(*p));
	struct zl_plan_task_filter f = {0};
	struct latest latest = {req, 0, 0, NULL, NULL, NULL};
	struct zl_list_writer *lw = NULL;
	struct zl_plan_task_set set;
	struct zl_list_params lp;
	struct zl_plan_actor who;
	char today[16];
	struct zl_db *db;
	int64_t id;
	int rc;

	if (p == NULL)
		return zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
	if ((rc = zl_list_parse(req, &lp, err)))
		return rc;
	if ((rc = zl_plan_http_start(req, "plan", &who, today, &id, err)))
		return rc;
	if (!(db = zl_req_db(req, err)))
		return ZL_EUNAVAIL;
	zl_plan_task_set_init(&set);
	if ((rc = zl_db_begin_read(db, err)))
		return rc;
	f.plan_id = id;
	if ((rc = zl_plan_http_plan(req, db, id, p, err)) ||
	    (rc = zl_store_plan_tasks(db, &f, today, &set, err)) ||
	    (rc = zl_store_plan_latest_reports(db, id, keep_latest, &latest, err)) ||
	    (rc = zl_list_begin(req, resp, &lp, "任务分工台账", ledger_cols, N_LEDGER_COLS,
				(int64_t)set.n, &lw, err)))
		goto out;
	for (size_t i = 0; i < set.n && rc == ZL_OK; i++) {
		const struct zl_plan_task_row *t = &set.tasks[i];
		const char *on = NULL, *text = NULL;
		char sid[24], progress[16], key[16];
		const char *v[N_LEDGER_COLS];

		snprintf(key, sizeof(key), "%010d", t->ord);
		if (lp.cursor_key[0] && strcmp(key, lp.cursor_key) <= 0)
			continue;
		if (zl_plan_reports_visible(req->principal.org_path, p->org_path,
					    zl_plan_http_owners(req, t), t->nowners)) {
			for (size_t k = 0; k < latest.n; k++) {
				if (latest.task[k] == t->id) {
					on = latest.on[k];
					text = latest.text[k];
				}
			}
		}
		snprintf(sid, sizeof(sid), "%" PRId64, t->id);
		snprintf(progress, sizeof(progress), "%d", t->progress);
		v[0] = sid;
		v[1] = t->number;
		v[2] = nul(t->section);
		v[3] = t->title;
		v[4] = zl_plan_http_names(req, t, 1);
		v[5] = zl_plan_http_names(req, t, 0);
		v[6] = nul(t->start);
		v[7] = nul(t->deadline);
		v[8] = zl_light_name(t->light.light);
		v[9] = status_text(req, &t->light);
		v[10] = t->progress >= 0 ? progress : NULL;
		v[11] = nul(t->completed_on);
		v[12] = on;
		v[13] = text;
		rc = zl_list_row_key(lw, v, key);
	}
out:
	zl_db_rollback(db);
	zl_plan_task_set_release(&set);
	if (rc != ZL_OK)
		return rc == ZL_ENOMEM ? zl_error_set(err, ZL_ENOMEM, NULL, "out of memory") : rc;
	return zl_list_end_page(lw, err);
}

/* ---- names ------------------------------------------------------------------------ */

static const struct zl_list_col name_cols[] = {
	{"name", "名称（原文）", "Name as written", ZL_COL_TEXT},
	{"candidates", "匹配单位数", "Candidates", ZL_COL_INT},
	{"rows", "出现次数", "Rows", ZL_COL_INT},
	{"tasks", "任务序号", "Tasks", ZL_COL_TEXT},
};
#define N_NAME_COLS (sizeof(name_cols) / sizeof(name_cols[0]))

struct names {
	struct zl_req *req;
	struct zl_plan_unresolved *v;
	size_t n, cap;
};

static int keep_name(void *cls, const struct zl_plan_unresolved *u)
{
	struct names *x = cls;

	if (x->n == x->cap) {
		size_t cap = x->cap ? 2 * x->cap : 16;
		struct zl_plan_unresolved *v = zl_arena_calloc(x->req->arena, cap, sizeof(*v));

		if (v == NULL)
			return ZL_ENOMEM;
		if (x->n)
			memcpy(v, x->v, x->n * sizeof(*v));
		x->v = v;
		x->cap = cap;
	}
	x->v[x->n] = *u;
	x->v[x->n].name = zl_arena_strdup(x->req->arena, u->name);
	x->v[x->n].numbers = zl_arena_strdup(x->req->arena, u->numbers);
	if (x->v[x->n].name == NULL || x->v[x->n].numbers == NULL)
		return ZL_ENOMEM;
	x->n++;
	return ZL_OK;
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(((const struct zl_plan_unresolved *)a)->name,
		      ((const struct zl_plan_unresolved *)b)->name);
}

int zl_h_plan_unresolved(struct zl_req *req, struct zl_resp *resp, struct zl_error *err)
{
	struct zl_plan_info *p = zl_arena_calloc(req->arena, 1, sizeof(*p));
	struct names x = {req, NULL, 0, 0};
	struct zl_list_writer *lw = NULL;
	struct zl_list_params lp;
	struct zl_db *db;
	int64_t id;
	int rc;

	if (p == NULL)
		return zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
	if ((rc = zl_list_parse(req, &lp, err)) || (rc = zl_plan_http_id(req, "plan", &id, err)))
		return rc;
	if ((rc = zl_plan_http_open(req, 0, &db, err)))
		return rc;
	rc = zl_plan_http_plan(req, db, id, p, err);
	if (rc == ZL_OK)
		rc = zl_store_plan_unresolved(db, id, keep_name, &x, NULL, err);
	zl_db_rollback(db);
	if (rc == ZL_ENOMEM)
		return zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
	if (rc != ZL_OK)
		return rc;
	/* Byte order of names, the same on both backends: what the cursor continues after. */
	if (x.n > 1)
		qsort(x.v, x.n, sizeof(*x.v), cmp_name);
	rc = zl_list_begin(req, resp, &lp, "unresolved-names", name_cols, N_NAME_COLS, (int64_t)x.n,
			   &lw, err);
	for (size_t i = 0; i < x.n && rc == ZL_OK; i++) {
		char cand[16], rows[24];
		const char *v[N_NAME_COLS] = {x.v[i].name, cand, rows, x.v[i].numbers};

		if (lp.cursor_key[0] && strcmp(x.v[i].name, lp.cursor_key) <= 0)
			continue;
		snprintf(cand, sizeof(cand), "%d", x.v[i].candidates);
		snprintf(rows, sizeof(rows), "%" PRId64, x.v[i].rows);
		rc = zl_list_row_key(lw, v, x.v[i].name);
	}
	if (rc != ZL_OK)
		return rc;
	return zl_list_end_page(lw, err);
}

int zl_h_plan_map_name(struct zl_req *req, struct zl_resp *resp, struct zl_error *err)
{
	static const char *const allowed[] = {"name", "org", NULL};
	struct zl_plan_info *p = zl_arena_calloc(req->arena, 1, sizeof(*p));
	struct zl_org_info *o = zl_arena_calloc(req->arena, 1, sizeof(*o));
	struct zl_plan_actor who;
	const char *name = NULL, *org = NULL;
	char today[16], target[48], detail[512];
	int64_t id, rows = 0, plans = 0;
	cJSON *body = NULL;
	struct zl_db *db = NULL;
	struct zl_jw w;
	int rc;

	if (p == NULL || o == NULL)
		return zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
	if ((rc = zl_plan_http_start(req, "plan", &who, today, &id, err)))
		return rc;
	rc = zl_json_parse_object(req->body, req->body_len, 2, &body, err);
	if (rc)
		return rc;
	if ((rc = zl_json_only_fields(body, allowed, err)) ||
	    (rc = zl_json_get_string(body, "name", 1, ZL_PLAN_NAME_MAX, &name, err)) ||
	    (rc = zl_json_get_string(body, "org", 1, ZL_ORG_CODE_MAX - 1, &org, err)))
		goto out;
	if ((rc = zl_plan_http_open(req, 1, &db, err)))
		goto out;
	rc = zl_plan_http_plan(req, db, id, p, err);
	if (rc == ZL_OK)
		rc = zl_store_plan_map_name(db, id, name, org, req->principal.org_path, &who, &rows,
					    &plans, err);
	if (rc == ZL_OK)
		rc = zl_store_org_get(db, org, o, err);
	if (rc == ZL_OK) {
		snprintf(target, sizeof(target), "plan:%" PRId64, id);
		snprintf(detail, sizeof(detail),
			 "%.300s = %s (%" PRId64 " rows in %" PRId64 " plans)", name, org, rows,
			 plans);
		rc = zl_req_audit(req, db, "plan.name_map", target, NULL, req->body, detail, err);
	}
	if ((rc = zl_plan_http_finish(db, rc, err)))
		goto out;
	zl_resp_json(resp, 200, &w);
	zl_jw_obj_begin(&w);
	zl_jw_kstr(&w, "name", name);
	zl_jw_kstr(&w, "org", org);
	zl_jw_kstr(&w, "org_name", o->org.name);
	zl_jw_kint(&w, "rows", rows);
	zl_jw_kint(&w, "plans", plans);
	zl_jw_obj_end(&w);
	rc = zl_jw_error(&w);
out:
	cJSON_Delete(body);
	return rc;
}

/* ---- completion by organization ------------------------------------------------------ */

static const struct zl_list_col completion_cols[] = {
	{"org", "单位代码", "Organization code", ZL_COL_TEXT},
	{"org_name", "单位", "Organization", ZL_COL_TEXT},
	{"plan_id", "计划编号", "Plan", ZL_COL_INT},
	{"tasks", "任务数", "Tasks", ZL_COL_INT},
	{"done", "已完成", "Done", ZL_COL_INT},
	{"on_time", "按时完成", "Done on time", ZL_COL_INT},
	{"green", "绿灯", "Green", ZL_COL_INT},
	{"yellow", "黄灯", "Yellow", ZL_COL_INT},
	{"red", "红灯", "Red", ZL_COL_INT},
	{"progress", "平均进度(%)", "Average progress (%)", ZL_COL_INT},
};
#define N_COMPLETION_COLS (sizeof(completion_cols) / sizeof(completion_cols[0]))

int zl_h_plan_completion(struct zl_req *req, struct zl_resp *resp, struct zl_error *err)
{
	struct zl_plan_info *p = zl_arena_calloc(req->arena, 1, sizeof(*p));
	const char *by = zl_req_query(req, "by");
	struct zl_plan_tallies x = {0};
	struct zl_list_writer *lw = NULL;
	struct zl_list_params lp;
	struct zl_plan_actor who;
	char today[16];
	struct zl_db *db;
	int64_t id;
	int rc, local;

	if (p == NULL)
		return zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
	if ((rc = zl_list_parse(req, &lp, err)) || (rc = zl_plan_http_id(req, "plan", &id, err)))
		return rc;
	if (given(by) && strcmp(by, "owner") != 0 && strcmp(by, "local") != 0)
		return zl_error_set(err, ZL_EINVAL, "by", "by is owner or local");
	local = given(by) && strcmp(by, "local") == 0;
	zl_plan_http_actor(req, &who, today);
	if (!(db = zl_req_db(req, err)))
		return ZL_EUNAVAIL;
	if ((rc = zl_db_begin_read(db, err)))
		return rc;
	rc = zl_plan_http_plan(req, db, id, p, err);
	if (rc == ZL_OK)
		rc = zl_plan_http_tallies(req, db, id, local, today, NULL, NULL, &x, err);
	zl_db_rollback(db);
	if (rc != ZL_OK)
		return rc;
	rc = zl_list_begin(req, resp, &lp, local ? "completion-local" : "completion",
			   completion_cols, N_COMPLETION_COLS, (int64_t)x.n, &lw, err);
	for (size_t i = 0; i < x.n && rc == ZL_OK; i++) {
		const struct zl_plan_tally *y = &x.v[i];
		char c[9][24];
		const char *v[N_COMPLETION_COLS] = {
			y->org, nul(y->org_name), c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]};

		if (lp.cursor_key[0] && strcmp(y->org, lp.cursor_key) <= 0)
			continue;
		snprintf(c[0], sizeof(c[0]), "%" PRId64, local ? y->plan_id : id);
		snprintf(c[1], sizeof(c[1]), "%" PRId64, y->tasks);
		snprintf(c[2], sizeof(c[2]), "%" PRId64, y->done);
		snprintf(c[3], sizeof(c[3]), "%" PRId64, y->on_time);
		snprintf(c[4], sizeof(c[4]), "%" PRId64, y->lights[ZL_LIGHT_GREEN]);
		snprintf(c[5], sizeof(c[5]), "%" PRId64, y->lights[ZL_LIGHT_YELLOW]);
		snprintf(c[6], sizeof(c[6]), "%" PRId64, y->lights[ZL_LIGHT_RED]);
		snprintf(c[7], sizeof(c[7]), "%d", zl_plan_tally_progress(y));
		if (!y->reported)
			v[9] = NULL;
		rc = zl_list_row_key(lw, v, y->org);
	}
	if (rc != ZL_OK)
		return rc;
	return zl_list_end_page(lw, err);
}
