/*
 * inspections.c - spot-check inspections over HTTP (docs/spotchecks.md,
 * docs/inspections.md; store/inspections.h):
 *   GET  /api/v1/inspections                       those the caller sees; due= task lists
 *   GET  /api/v1/inspections/{id}                  one whole, with deadlines, dues, "may"
 *   POST /api/v1/inspections/{id}/events           one lifecycle step in the caller's role
 *   POST /api/v1/inspections/{id}/attachments      photos and documents
 *   GET  /api/v1/inspections/{id}/attachments/{att}
 *   GET  /api/v1/public/spotcheck-lifecycle        the machine as data
 * Who sees an inspection and in which role of the machine it acts there is
 * domain/inspection_access.h's, after the route's permission: an
 * inspection out of sight answers 404 like a missing one.  The machine
 * (domain/inspection.h) decides what a step may do; its refusals are
 * answered as they are.  Writes commit with their audit row.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codes/workdays.h"
#include "core/json.h"
#include "core/timeutil.h"
#include "domain/dash_period.h"
#include "domain/inspection.h"
#include "domain/inspection_access.h"
#include "http/audit_hook.h"
#include "http/handlers.h"
#include "http/inspection_http.h"
#include "http/list.h"
#include "http/plan_http.h"
#include "store/inspections.h"
#include "store/orgs.h"

/* "Due soon": within this many days. */
#define DUE_SOON_DAYS 7

static int given(const char *s)
{
	return s != NULL && *s != '\0';
}

static const char *nul(const char *s)
{
	return given(s) ? s : NULL;
}

/* What every handler needs: the calendar and today. */
struct env {
	struct zl_workdays wd;
	struct zl_insp_env env;
	char today[16];
};

static int env_init(struct env *e, const char *today, struct zl_error *err)
{
	memset(e, 0, sizeof(*e));
	zl_strlcpy(e->today, today, sizeof(e->today));
	e->env.wd = &e->wd;
	e->env.today = e->today;
	return zl_workdays_init(&e->wd, err);
}

static void facts_of(const struct zl_insp_row *r, struct zl_insp_facts *f)
{
	memset(f, 0, sizeof(*f));
	f->plan_path = r->plan_org_path;
	f->region_path = r->region_path;
	f->lab_path = r->lab_path;
	f->uscc = r->uscc;
	f->inspectors = r->inspectors;
	f->ninspectors = r->ninspectors;
}

/* The caller's roles on `r`; ZL_ENOTFOUND when it does not see it. */
static int access_of(struct zl_req *req, const struct zl_insp_row *r, unsigned *roles,
		     struct zl_error *err)
{
	struct zl_insp_caller c;
	struct zl_insp_facts f;

	zl_insp_caller_of(&req->principal, &c);
	facts_of(r, &f);
	if (!zl_insp_access(&c, &f, roles))
		return zl_error_set(err, ZL_ENOTFOUND, "id", "no inspection %" PRId64, r->id);
	return ZL_OK;
}

/* Inspection `id` whole into `set` when the caller sees it; its roles into *roles. */
static int load(struct zl_req *req, struct zl_db *db, int64_t id, struct zl_insp_set *set,
		unsigned *roles, struct zl_error *err)
{
	int rc = zl_store_insp_get(db, id, set, err);

	if (rc != ZL_OK)
		return rc;
	return access_of(req, &set->v[0], roles, err);
}

static int is_enterprise(const struct zl_req *req)
{
	return req->principal.kind == ZL_PRINCIPAL_USER && req->principal.role == ZL_ROLE_ENTERPRISE;
}

/* ---- JSON out ------------------------------------------------------------------------------- */

static void bits_json(struct zl_jw *w, const char *key, const uint64_t *bits, int n)
{
	zl_jw_key(w, key);
	zl_jw_arr_begin(w);
	for (int i = 0; i < n && i < ZL_INSP_ITEMS_MAX; i++)
		if (bits[i / 64] >> (i % 64) & 1)
			zl_jw_int(w, i);
	zl_jw_arr_end(w);
}

static void roles_json(struct zl_jw *w, const char *key, unsigned roles)
{
	zl_jw_key(w, key);
	zl_jw_arr_begin(w);
	for (int r = 0; r < ZL_INSP_ROLE_COUNT; r++)
		if (roles & (1u << r))
			zl_jw_str(w, zl_insp_role_name((enum zl_insp_role)r));
	zl_jw_arr_end(w);
}

static void record_json(struct zl_jw *w, const struct zl_inspection *r)
{
	zl_jw_obj_begin(w);
	zl_jw_kint(w, "items", r->nitems);
	bits_json(w, "failed", r->failed, r->nitems);
	bits_json(w, "contested", r->contested, r->nitems);
	bits_json(w, "retest_failed", r->retest_failed, r->nitems);
	zl_jw_kbool(w, "deemed", r->deemed);
	zl_jw_kbool(w, "notified_late", r->notified_late);
	zl_jw_kint(w, "refusals", r->refusals);
	zl_jw_kint(w, "warnings", r->warnings);
	zl_jw_kint(w, "resamples", r->resamples);
	zl_jw_kstr(w, "extension", nul(zl_insp_extension_name(r->extension)));
	zl_jw_kint(w, "extension_asked", r->extension_asked);
	zl_jw_kint(w, "extension_days", r->extension_days);
	zl_jw_kint(w, "sanction_level", r->level);
	zl_jw_kstr(w, "plan_due", nul(r->plan_due));
	zl_jw_kstr(w, "last_on", nul(r->last_on));
	zl_jw_kstr(w, "sampled_on", nul(r->sampled_on));
	zl_jw_kstr(w, "report_on", nul(r->report_on));
	zl_jw_kstr(w, "notified_on", nul(r->notified_on));
	zl_jw_kstr(w, "received_on", nul(r->received_on));
	zl_jw_kstr(w, "objected_on", nul(r->objected_on));
	zl_jw_kstr(w, "final_on", nul(r->final_on));
	zl_jw_kstr(w, "order_on", nul(r->order_on));
	zl_jw_kstr(w, "order_received_on", nul(r->order_received_on));
	zl_jw_kstr(w, "extension_asked_on", nul(r->extension_asked_on));
	zl_jw_kstr(w, "follow_up_applied_on", nul(r->follow_up_applied_on));
	zl_jw_kstr(w, "follow_up_on", nul(r->follow_up_on));
	zl_jw_kstr(w, "announced_on", nul(r->announced_on));
	zl_jw_kstr(w, "suspended_on", nul(r->suspended_on));
	zl_jw_kstr(w, "suspended_until", nul(r->suspended_until));
	zl_jw_kstr(w, "samples_returned_on", nul(r->samples_returned_on));
	zl_jw_kstr(w, "closed_on", nul(r->closed_on));
	zl_jw_obj_end(w);
}

static void deadlines_json(struct zl_jw *w, const struct zl_inspection *r, const struct env *e)
{
	struct zl_insp_deadlines d;

	zl_jw_key(w, "deadlines");
	/* Past the calendar's years a deadline is unknown, never guessed: null. */
	if (zl_insp_deadlines(r, &e->env, &d, NULL) != ZL_OK) {
		zl_jw_null(w);
		return;
	}
	zl_jw_obj_begin(w);
	zl_jw_kstr(w, "notify_by", nul(d.notify_by));
	zl_jw_kstr(w, "objection_until", nul(d.objection_until));
	zl_jw_kstr(w, "sample_return_by", nul(d.sample_return_by));
	zl_jw_kstr(w, "rectify_by", nul(d.rectify_by));
	zl_jw_kstr(w, "extension_request_by", nul(d.extension_request_by));
	zl_jw_kstr(w, "suspended_until", nul(d.suspended_until));
	zl_jw_obj_end(w);
}

static void dues_json(struct zl_jw *w, const struct zl_inspection *r, const struct env *e)
{
	struct zl_insp_due due[ZL_INSP_DUES_MAX];
	size_t n = 0;

	zl_jw_key(w, "dues");
	zl_jw_arr_begin(w);
	if (zl_insp_dues(r, &e->env, 0, due, &n, NULL) != ZL_OK)
		n = 0;
	for (size_t i = 0; i < n; i++) {
		zl_jw_obj_begin(w);
		zl_jw_kstr(w, "task", zl_insp_task_name(due[i].task));
		roles_json(w, "roles", due[i].roles);
		zl_jw_kstr(w, "kind", zl_insp_due_kind_name(due[i].kind));
		zl_jw_kstr(w, "date", nul(due[i].date));
		zl_jw_kbool(w, "overdue", due[i].overdue);
		zl_jw_kbool(w, "ready", due[i].ready);
		zl_jw_obj_end(w);
	}
	zl_jw_arr_end(w);
}

static void attachment_json(struct zl_jw *w, const struct zl_insp_attachment *a)
{
	zl_jw_obj_begin(w);
	zl_jw_kint(w, "id", a->id);
	zl_jw_kint(w, "inspection_id", a->inspection_id);
	zl_jw_kstr(w, "kind", a->kind);
	zl_jw_kstr(w, "name", a->name);
	zl_jw_kstr(w, "type", a->media_type);
	zl_jw_kint(w, "size", a->size);
	zl_jw_kstr(w, "sha256", a->sha256);
	zl_jw_kstr(w, "created_by", a->created_by);
	zl_jw_kstr(w, "created_at", a->created_at);
	zl_jw_obj_end(w);
}

/*
 * The inspection for its page.  `e` NULL: without deadlines, dues and "may"
 * (the audit trail's digests).  `staff_names` 0 hides the accounts behind
 * acts and inspectors (the enterprise sees people's names, not accounts).
 */
static void inspection_json(struct zl_jw *w, const struct zl_insp_row *r, const struct env *e,
			    unsigned roles, int staff_names)
{
	const struct zl_inspection *rec = &r->rec;

	zl_jw_obj_begin(w);
	zl_jw_kint(w, "id", r->id);
	zl_jw_kint(w, "version", r->version);
	zl_jw_key(w, "plan");
	zl_jw_obj_begin(w);
	zl_jw_kint(w, "id", r->plan_id);
	zl_jw_kstr(w, "title", r->plan_title);
	zl_jw_kstr(w, "org", r->plan_org);
	zl_jw_kstr(w, "org_name", nul(r->plan_org_name));
	zl_jw_kstr(w, "level", r->plan_level);
	zl_jw_kstr(w, "end", r->plan_end);
	zl_jw_obj_end(w);
	zl_jw_kstr(w, "product", r->product);
	zl_jw_kstr(w, "product_name", nul(r->product_name));
	zl_jw_key(w, "enterprise");
	zl_jw_obj_begin(w);
	zl_jw_kstr(w, "uscc", r->uscc);
	zl_jw_kstr(w, "name", r->enterprise_name);
	zl_jw_kstr(w, "county", nul(r->county));
	zl_jw_obj_end(w);
	zl_jw_kstr(w, "region", r->region);
	zl_jw_kstr(w, "region_name", nul(r->region_name));
	zl_jw_kstr(w, "lab", nul(r->lab));
	zl_jw_kstr(w, "lab_name", nul(r->lab_name));
	zl_jw_key(w, "draw_id");
	if (r->draw_id > 0)
		zl_jw_int(w, r->draw_id);
	else
		zl_jw_null(w);
	zl_jw_kint(w, "position", r->position);
	zl_jw_key(w, "inspectors");
	zl_jw_arr_begin(w);
	for (size_t i = 0; i < r->ninspectors; i++) {
		zl_jw_obj_begin(w);
		if (staff_names)
			zl_jw_kstr(w, "username", r->inspectors[i]);
		zl_jw_kstr(w, "name", nul(r->inspector_names[i]));
		zl_jw_obj_end(w);
	}
	zl_jw_arr_end(w);
	zl_jw_kstr(w, "state", zl_insp_state_name(rec->state));
	zl_jw_kstr(w, "state_zh", zl_insp_state_zh(rec->state));
	zl_jw_kstr(w, "outcome", nul(zl_insp_outcome_name(rec->outcome)));
	zl_jw_kstr(w, "conclusion", nul(zl_insp_verdict_name(rec->conclusion)));
	zl_jw_key(w, "record");
	record_json(w, rec);
	zl_jw_key(w, "sampling");
	zl_jw_obj_begin(w);
	zl_jw_kstr(w, "place", nul(r->place));
	zl_jw_kstr(w, "batch", nul(r->batch));
	zl_jw_kstr(w, "production_date", nul(r->production_date));
	zl_jw_kstr(w, "spec", nul(r->spec));
	zl_jw_kstr(w, "trademark", nul(r->trademark));
	zl_jw_kint(w, "sample_qty", r->sample_qty);
	zl_jw_kint(w, "backup_qty", r->backup_qty);
	zl_jw_kbool(w, "backup_sealed", r->backup_sealed);
	zl_jw_kstr(w, "seal_no", nul(r->seal_no));
	zl_jw_key(w, "samplers");
	zl_jw_arr_begin(w);
	for (size_t i = 0; i < r->nsamplers; i++)
		zl_jw_str(w, r->samplers[i]);
	zl_jw_arr_end(w);
	zl_jw_kint(w, "photos", r->photos);
	zl_jw_obj_end(w);
	zl_jw_key(w, "report");
	zl_jw_obj_begin(w);
	zl_jw_kstr(w, "number", nul(r->report_no));
	zl_jw_key(w, "items");
	zl_jw_arr_begin(w);
	for (size_t i = 0; i < r->nitems; i++) {
		const struct zl_insp_item_row *it = &r->items[i];

		zl_jw_obj_begin(w);
		zl_jw_kint(w, "number", it->ord);
		zl_jw_kstr(w, "name", it->name);
		zl_jw_kstr(w, "measured", it->measured);
		zl_jw_kstr(w, "limit", it->limit);
		zl_jw_kstr(w, "unit", nul(it->unit));
		zl_jw_kstr(w, "verdict", it->verdict);
		zl_jw_kstr(w, "retest_measured", nul(it->retest_measured));
		zl_jw_kstr(w, "retest_verdict", nul(it->retest_verdict));
		zl_jw_obj_end(w);
	}
	zl_jw_arr_end(w);
	zl_jw_obj_end(w);
	zl_jw_kstr(w, "retest_no", nul(r->retest_no));
	zl_jw_kstr(w, "order_no", nul(r->order_no));
	zl_jw_key(w, "attachments");
	zl_jw_arr_begin(w);
	for (size_t i = 0; i < r->nattachments; i++)
		attachment_json(w, &r->attachments[i]);
	zl_jw_arr_end(w);
	zl_jw_key(w, "events");
	zl_jw_arr_begin(w);
	for (size_t i = 0; i < r->nevents; i++) {
		const struct zl_insp_event_row *ev = &r->events[i];

		zl_jw_obj_begin(w);
		zl_jw_kint(w, "seq", ev->seq);
		zl_jw_kstr(w, "event", ev->event);
		zl_jw_kstr(w, "role", ev->role);
		if (staff_names) {
			zl_jw_kstr(w, "actor", ev->actor);
			zl_jw_kstr(w, "org", nul(ev->org));
		}
		zl_jw_kstr(w, "date", ev->on_date);
		zl_jw_kstr(w, "at", ev->at);
		zl_jw_kstr(w, "from", nul(ev->from_state));
		zl_jw_kstr(w, "to", ev->to_state);
		zl_jw_key(w, "data");
		if (given(ev->data) && (staff_names || strcmp(ev->event, "inspectors_drawn") != 0))
			zl_jw_raw(w, ev->data, strlen(ev->data));
		else
			zl_jw_null(w);
		zl_jw_key(w, "credit_event");
		if (ev->credit_event > 0)
			zl_jw_int(w, ev->credit_event);
		else
			zl_jw_null(w);
		zl_jw_obj_end(w);
	}
	zl_jw_arr_end(w);
	if (e != NULL) {
		uint64_t may = zl_insp_available(rec, &e->env, roles);

		deadlines_json(w, rec, e);
		dues_json(w, rec, e);
		roles_json(w, "roles", roles);
		zl_jw_key(w, "may");
		zl_jw_arr_begin(w);
		for (int ev = 0; ev < ZL_INSP_EVENT_COUNT; ev++)
			if (may >> ev & 1)
				zl_jw_str(w, zl_insp_event_name((enum zl_insp_event_id)ev));
		zl_jw_arr_end(w);
	}
	zl_jw_kstr(w, "created_by", staff_names ? r->created_by : NULL);
	zl_jw_kstr(w, "created_at", r->created_at);
	zl_jw_kstr(w, "updated_at", r->updated_at);
	zl_jw_obj_end(w);
}

/* The inspection's JSON text for the audit trail's digests, or NULL. */
static const char *inspection_text(struct zl_req *req, const struct zl_insp_row *r)
{
	struct zl_buf b = ZL_BUF_INIT(16 << 20);
	const char *s = NULL;
	struct zl_jw w;

	zl_jw_init(&w, &b);
	inspection_json(&w, r, NULL, 0, 1);
	if (zl_jw_error(&w) == ZL_OK)
		s = zl_arena_strdup(req->arena, zl_buf_str(&b));
	zl_buf_release(&b);
	return s;
}

/* Answer `status` with inspection `id` as GET shows it (after a write committed). */
static int answer(struct zl_req *req, struct zl_resp *resp, struct zl_db *db, int status,
		  int64_t id, const struct env *e, struct zl_error *err)
{
	struct zl_insp_set s;
	unsigned roles = 0;
	struct zl_jw w;
	int rc;

	zl_insp_set_init(&s);
	if ((rc = zl_db_begin_read(db, err)) != ZL_OK)
		goto out;
	rc = load(req, db, id, &s, &roles, err);
	zl_db_rollback(db);
	if (rc == ZL_OK) {
		zl_resp_json(resp, status, &w);
		inspection_json(&w, &s.v[0], e, roles, !is_enterprise(req));
		rc = zl_jw_error(&w);
	}
out:
	zl_insp_set_release(&s);
	return rc;
}

int zl_h_inspection_get(struct zl_req *req, struct zl_resp *resp, struct zl_error *err)
{
	struct zl_plan_actor who;
	struct env *e = zl_arena_calloc(req->arena, 1, sizeof(*e));
	char today[16];
	struct zl_db *db;
	int64_t id;
	int rc;

	if (e == NULL)
		return zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
	if ((rc = zl_plan_http_start(req, "inspection", &who, today, &id, err)) ||
	    (rc = env_init(e, today, err)))
		return rc;
	if (!(db = zl_req_db(req, err)))
		return ZL_EUNAVAIL;
	return answer(req, resp, db, 200, id, e, err);
}

int zl_h_public_lifecycle(struct zl_req *req, struct zl_resp *resp, struct zl_error *err)
{
	struct zl_jw w;

	(void)req;
	(void)err;
	zl_resp_json(resp, 200, &w);
	zl_insp_describe_json(&w);
	return zl_jw_error(&w);
}

/* ---- the list and the task lists ------------------------------------------------------------ */

static const struct zl_list_col insp_cols[] = {
	{"id", "编号", "ID", ZL_COL_INT},
	{"plan_id", "计划编号", "Plan", ZL_COL_INT},
	{"plan_title", "抽查计划", "Plan title", ZL_COL_TEXT},
	{"product", "产品编码", "Product code", ZL_COL_TEXT},
	{"product_name", "产品", "Product", ZL_COL_TEXT},
	{"uscc", "统一社会信用代码", "USCC", ZL_COL_TEXT},
	{"enterprise_name", "企业名称", "Enterprise", ZL_COL_TEXT},
	{"county", "企业所在地", "County", ZL_COL_TEXT},
	{"region", "地区代码", "Region code", ZL_COL_TEXT},
	{"region_name", "地区", "Region", ZL_COL_TEXT},
	{"lab", "承检机构代码", "Laboratory code", ZL_COL_TEXT},
	{"lab_name", "承检机构", "Laboratory", ZL_COL_TEXT},
	{"state", "状态", "State", ZL_COL_TEXT},
	{"state_zh", "状态（中文）", "State (Chinese)", ZL_COL_TEXT},
	{"outcome", "结果", "Outcome", ZL_COL_TEXT},
	{"conclusion", "检验结论", "Conclusion", ZL_COL_TEXT},
	{"sampled_on", "抽样日期", "Sampled", ZL_COL_TEXT},
	{"report_on", "报告日期", "Report", ZL_COL_TEXT},
	{"notified_on", "告知日期", "Notified", ZL_COL_TEXT},
	{"rectify_by", "整改期限", "Rectify by", ZL_COL_TEXT},
	{"inspectors", "检查人员", "Inspectors", ZL_COL_TEXT},
	{"due_task", "待办事项", "Task due", ZL_COL_TEXT},
	{"due_on", "期限", "Due on", ZL_COL_TEXT},
	{"due_kind", "待办类型", "Kind of task", ZL_COL_TEXT},
	{"overdue", "已逾期", "Overdue", ZL_COL_BOOL},
	{"updated_at", "更新时间", "Updated", ZL_COL_TIME},
};
#define N_INSP_COLS (sizeof(insp_cols) / sizeof(insp_cols[0]))

/* The roles named by ?role= (one bit), or 0 for the caller's own. */
static unsigned role_filter(struct zl_req *req)
{
	enum zl_insp_role r;
	const char *s = zl_req_query(req, "role");

	if (given(s) && zl_insp_role_parse(s, &r) == ZL_OK)
		return 1u << r;
	return 0;
}

/* One row of the list, and what is due on it. */
struct due_row {
	int64_t id;
	char key[40]; /* the task list's sort key: "date|id" */
	const char *v[N_INSP_COLS];
};

struct walk {
	struct zl_req *req;
	const struct env *e;
	unsigned want_roles; /* ?role=, 0: the caller's */
	int due;	     /* 0 none, 1 overdue, 2 soon */
	char soon[16];	     /* today + DUE_SOON_DAYS */
	struct zl_list_writer *w;
	/* due lists: collected, sorted, then paged */
	struct due_row *rows;
	size_t n, cap;
	struct zl_error *err;
};

/* The first item due on `r` for `roles`; does it pass the due filter? */
static int pick_due(const struct walk *k, const struct zl_inspection *rec, unsigned roles,
		    struct zl_insp_due *out)
{
	struct zl_insp_due due[ZL_INSP_DUES_MAX];
	size_t n = 0;

	memset(out, 0, sizeof(*out));
	if (zl_insp_dues(rec, &k->e->env, roles, due, &n, NULL) != ZL_OK || n == 0)
		return 0;
	for (size_t i = 0; i < n; i++) {
		const struct zl_insp_due *d = &due[i];
		int hit;

		if (k->due == 1)
			hit = d->overdue;
		else if (k->due == 2)
			hit = !d->overdue && ((d->kind == ZL_INSP_TIMER && d->ready) ||
					      (given(d->date) && d->kind != ZL_INSP_TIMER &&
					       strcmp(d->date, k->soon) <= 0));
		else
			hit = 1;
		if (hit) {
			*out = *d;
			return 1;
		}
	}
	return 0;
}

static int walk_row(void *cls, const struct zl_insp_row *r)
{
	struct walk *k = cls;
	struct zl_req *req = k->req;
	struct zl_insp_deadlines dl;
	struct zl_insp_due due;
	struct due_row row;
	unsigned roles = 0;
	const char *names = "";
	int listed;

	if (access_of(req, r, &roles, NULL) != ZL_OK)
		return ZL_OK; /* the SQL scope and the rule agree; the rule has the last word */
	listed = pick_due(k, &r->rec, k->want_roles ? k->want_roles : roles, &due);
	if (k->due && !listed)
		return ZL_OK;
	if (zl_insp_deadlines(&r->rec, &k->e->env, &dl, NULL) != ZL_OK)
		memset(&dl, 0, sizeof(dl));
	for (size_t i = 0; i < r->ninspectors; i++) {
		const char *one = given(r->inspector_names[i]) ? r->inspector_names[i]
								 : r->inspectors[i];

		names = zl_arena_printf(req->arena, "%s%s%s", names, i ? "、" : "", one);
		if (names == NULL)
			return zl_error_set(k->err, ZL_ENOMEM, NULL, "out of memory");
	}
	memset(&row, 0, sizeof(row));
	row.id = r->id;
	{
		char id_text[24], plan_text[24];

		snprintf(id_text, sizeof(id_text), "%" PRId64, r->id);
		snprintf(plan_text, sizeof(plan_text), "%" PRId64, r->plan_id);
		const char *v[N_INSP_COLS] = {
			id_text,
			plan_text,
			r->plan_title,
			r->product,
			nul(r->product_name),
			r->uscc,
			r->enterprise_name,
			nul(r->county),
			r->region,
			nul(r->region_name),
			nul(r->lab),
			nul(r->lab_name),
			zl_insp_state_name(r->rec.state),
			zl_insp_state_zh(r->rec.state),
			nul(zl_insp_outcome_name(r->rec.outcome)),
			nul(zl_insp_verdict_name(r->rec.conclusion)),
			nul(r->rec.sampled_on),
			nul(r->rec.report_on),
			nul(r->rec.notified_on),
			nul(dl.rectify_by),
			nul(names),
			listed ? zl_insp_task_name(due.task) : NULL,
			listed ? nul(due.date) : NULL,
			listed ? zl_insp_due_kind_name(due.kind) : NULL,
			listed ? (due.overdue ? "1" : "0") : NULL,
			r->updated_at,
		};
		/* A plain list streams the row at once: nothing kept in the request's arena,
		 * so an export of every closed inspection (the demo has 200,000) fits. */
		if (!k->due)
			return zl_list_row_key(k->w, v, id_text);
		for (size_t i = 0; i < N_INSP_COLS; i++) {
			row.v[i] = v[i] ? zl_arena_strdup(req->arena, v[i]) : NULL;
			if (v[i] && !row.v[i])
				return zl_error_set(k->err, ZL_ENOMEM, NULL, "out of memory");
		}
	}
	/* Undated tasks last; ties by id. */
	snprintf(row.key, sizeof(row.key), "%s|%020" PRId64,
		 listed && given(due.date) ? due.date : "9999-12-31", r->id);
	if (k->n == k->cap) {
		size_t ncap = k->cap ? 2 * k->cap : 64;
		struct due_row *v = zl_arena_calloc(req->arena, ncap, sizeof(*v));

		if (v == NULL)
			return zl_error_set(k->err, ZL_ENOMEM, NULL, "out of memory");
		if (k->cap)
			memcpy(v, k->rows, k->cap * sizeof(*v));
		k->rows = v;
		k->cap = ncap;
	}
	k->rows[k->n++] = row;
	return ZL_OK;
}

static int cmp_due(const void *a, const void *b)
{
	return strcmp(((const struct due_row *)a)->key, ((const struct due_row *)b)->key);
}

static int one_of(const char *s, const char *const *names)
{
	for (; *names != NULL; names++)
		if (strcmp(s, *names) == 0)
			return 1;
	return 0;
}

/*
 * The filters the statistics use (GET /api/v1/spotchecks/stats), so that a number of the
 * dashboard opens the inspections behind it: region (a GB/T 2260 code: the enterprises'
 * counties in its subtree), year or from/to (quarters YYYYQn of the period date), size, level,
 * place, result=pass|fail and counted=1 (counted batches only; result implies it).  The
 * strings live in the request's arena.
 */
static int stats_filter(struct zl_req *req, struct zl_insp_filter *f, struct zl_error *err)
{
	static const char *const sizes[] = {"large", "medium", "small", "micro", NULL};
	static const char *const levels[] = {"county", "city", "province", "national", NULL};
	static const char *const places[] = {"production", "circulation", "ecommerce", NULL};
	static const char *const results[] = {"pass", "fail", NULL};
	const char *region = zl_req_query(req, "region"), *year = zl_req_query(req, "year");
	const char *from = zl_req_query(req, "from"), *to = zl_req_query(req, "to");
	const char *counted = zl_req_query(req, "counted");
	char *from_day = zl_arena_calloc(req->arena, 2, 16), *to_day = from_day + 16;
	char *like = zl_arena_calloc(req->arena, 1, 8);
	int y, qn;

	if (from_day == NULL || like == NULL)
		return zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
	if (given(region)) {
		size_t keep = 6;

		if (strlen(region) != 6 || strspn(region, "0123456789") != 6)
			return zl_error_set(err, ZL_EINVAL, "region",
					    "region is a GB/T 2260 code of six digits");
		/* A province (..0000) or a city (..00) stands for its subtree; 济源 (419001)
		 * and counties for themselves. */
		if (strcmp(region + 2, "0000") == 0)
			keep = 2;
		else if (strcmp(region + 4, "00") == 0)
			keep = 4;
		memcpy(like, region, keep);
		if (keep < 6)
			like[keep] = '%';
		f->county_like = like;
	}
	if (given(year)) {
		if (given(from) || given(to))
			return zl_error_set(err, ZL_EINVAL, "year", "give year, or from and to");
		if (zl_dash_year_parse(year, &y) != 0)
			return zl_error_set(err, ZL_EINVAL, "year", "year is YYYY");
		zl_dash_quarter_day(y, 1, 0, from_day);
		zl_dash_quarter_day(y, 4, 1, to_day);
		f->from = from_day;
		f->to = to_day;
	}
	if (given(from)) {
		if (zl_dash_quarter_parse(from, &y, &qn) != 0)
			return zl_error_set(err, ZL_EINVAL, "from", "from is a quarter, YYYYQn");
		zl_dash_quarter_day(y, qn, 0, from_day);
		f->from = from_day;
	}
	if (given(to)) {
		if (zl_dash_quarter_parse(to, &y, &qn) != 0)
			return zl_error_set(err, ZL_EINVAL, "to", "to is a quarter, YYYYQn");
		zl_dash_quarter_day(y, qn, 1, to_day);
		f->to = to_day;
	}
	if (f->from != NULL && f->to != NULL && strcmp(f->from, f->to) >= 0)
		return zl_error_set(err, ZL_EINVAL, "to", "to is before from");
	f->size = nul(zl_req_query(req, "size"));
	f->level = nul(zl_req_query(req, "level"));
	f->place = nul(zl_req_query(req, "place"));
	f->result = nul(zl_req_query(req, "result"));
	if (f->size != NULL && !one_of(f->size, sizes))
		return zl_error_set(err, ZL_EINVAL, "size", "size is large, medium, small or micro");
	if (f->level != NULL && !one_of(f->level, levels))
		return zl_error_set(err, ZL_EINVAL, "level",
				    "level is county, city, province or national");
	if (f->place != NULL && !one_of(f->place, places))
		return zl_error_set(err, ZL_EINVAL, "place",
				    "place is production, circulation or ecommerce");
	if (f->result != NULL && !one_of(f->result, results))
		return zl_error_set(err, ZL_EINVAL, "result", "result is pass or fail");
	f->counted = given(counted) && (!strcmp(counted, "1") || !strcmp(counted, "true"));
	return ZL_OK;
}

static int list_filter(struct zl_req *req, struct zl_insp_filter *f, struct zl_error *err)
{
	const char *plan = zl_req_query(req, "plan"), *draw = zl_req_query(req, "draw");
	const char *open = zl_req_query(req, "open");
	const char *final = zl_req_query(req, "final"), *announced = zl_req_query(req, "announced");
	const char *due = zl_req_query(req, "due"), *role = zl_req_query(req, "role");
	const struct zl_principal *p = &req->principal;
	enum zl_insp_state state;
	enum zl_insp_role r;
	int rc;

	memset(f, 0, sizeof(*f));
	if (given(plan))
		f->plan_id = strtoll(plan, NULL, 10);
	if (given(draw))
		f->draw_id = strtoll(draw, NULL, 10);
	f->product = nul(zl_req_query(req, "product"));
	f->uscc = nul(zl_req_query(req, "uscc"));
	f->state = nul(zl_req_query(req, "state"));
	f->open_only = given(open) && (!strcmp(open, "1") || !strcmp(open, "true"));
	f->final_only = given(final) && (!strcmp(final, "1") || !strcmp(final, "true"));
	if (given(announced))
		f->announced = !strcmp(announced, "1") || !strcmp(announced, "true") ? 1 : -1;
	if ((rc = stats_filter(req, f, err)) != ZL_OK)
		return rc;
	/* A filter that names nothing is a mistake, not an empty list. */
	if (f->state != NULL && zl_insp_state_parse(f->state, &state) != ZL_OK)
		return zl_error_set(err, ZL_EINVAL, "state",
				    "state is one of the lifecycle's states"
				    " (GET /api/v1/public/spotcheck-lifecycle)");
	if (given(due) && strcmp(due, "overdue") != 0 && strcmp(due, "soon") != 0)
		return zl_error_set(err, ZL_EINVAL, "due", "due is overdue or soon");
	if (given(role) && zl_insp_role_parse(role, &r) != ZL_OK)
		return zl_error_set(err, ZL_EINVAL, "role",
				    "role is officer, inspector, lab, enterprise or system");
	/* The caller's scope: domain/inspection_access.h as SQL. */
	f->scope = ZL_INSP_SCOPE_STAFF;
	f->path = p->org_path;
	if (p->kind == ZL_PRINCIPAL_USER && p->role == ZL_ROLE_INSPECTOR) {
		f->scope = ZL_INSP_SCOPE_INSPECTOR;
		f->user = p->name;
	} else if (p->kind == ZL_PRINCIPAL_USER && p->role == ZL_ROLE_LAB) {
		f->scope = ZL_INSP_SCOPE_LAB;
	} else if (p->kind == ZL_PRINCIPAL_USER && p->role == ZL_ROLE_ENTERPRISE) {
		f->scope = ZL_INSP_SCOPE_ENTERPRISE;
		f->uscc_scope = p->org;
	}
	return ZL_OK;
}

int zl_h_inspections_list(struct zl_req *req, struct zl_resp *resp, struct zl_error *err)
{
	struct env *e = zl_arena_calloc(req->arena, 1, sizeof(*e));
	struct walk k = {0};
	struct zl_list_params lp;
	struct zl_insp_filter f;
	struct zl_plan_actor who;
	const char *due = zl_req_query(req, "due");
	char today[16];
	struct zl_db *db;
	int64_t total = 0, day;
	int rc;

	if (e == NULL)
		return zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
	zl_plan_http_actor(req, &who, today);
	if ((rc = zl_list_parse(req, &lp, err)) || (rc = list_filter(req, &f, err)) ||
	    (rc = env_init(e, today, err)))
		return rc;
	k.req = req;
	k.e = e;
	k.err = err;
	k.want_roles = role_filter(req);
	k.due = !given(due) ? 0 : strcmp(due, "overdue") == 0 ? 1 : 2;
	/* A task list reads only what may be due: not the closed history. */
	f.may_be_due = k.due != 0;
	if (zl_date_parse(today, &day) == ZL_OK)
		zl_date_format(day + DUE_SOON_DAYS, k.soon);
	if (!k.due && lp.cursor_key[0]) {
		char *end = NULL;

		f.before = strtoll(lp.cursor_key, &end, 10);
		if (f.before <= 0 || *end != '\0')
			return zl_error_set(err, ZL_EINVAL, "cursor", "bad cursor");
	}
	if ((rc = zl_plan_http_open(req, 0, &db, err)))
		return rc;
	if (!k.due) {
		/* Paged in SQL: a page and the exact total. */
		f.limit = zl_list_fetch_limit(&lp);
		rc = zl_store_insp_list(db, &f, NULL, NULL, &total, err);
		if (rc == ZL_OK)
			rc = zl_list_begin(req, resp, &lp, "抽查任务", insp_cols, N_INSP_COLS, total,
					   &k.w, err);
		if (rc == ZL_OK)
			rc = zl_store_insp_list(db, &f, walk_row, &k, NULL, err);
		zl_db_rollback(db);
		return rc == ZL_OK ? zl_list_end_page(k.w, err) : rc;
	}
	/* A task list: every open inspection in scope, by the date due. */
	f.open_only = 1;
	rc = zl_store_insp_list(db, &f, walk_row, &k, NULL, err);
	zl_db_rollback(db);
	if (rc != ZL_OK)
		return rc;
	if (k.n > 1)
		qsort(k.rows, k.n, sizeof(*k.rows), cmp_due);
	rc = zl_list_begin(req, resp, &lp, "抽查待办", insp_cols, N_INSP_COLS, (int64_t)k.n, &k.w,
			   err);
	for (size_t i = 0; rc == ZL_OK && i < k.n; i++) {
		if (lp.cursor_key[0] && strcmp(k.rows[i].key, lp.cursor_key) <= 0)
			continue;
		rc = zl_list_row_key(k.w, k.rows[i].v, k.rows[i].key);
	}
	return rc == ZL_OK ? zl_list_end_page(k.w, err) : rc;
}

/* ---- steps ---------------------------------------------------------------------------------- */

/* The machine's role the caller acts in (one of `roles`); officer first. */
static enum zl_insp_role role_of(unsigned roles)
{
	for (int r = 0; r < ZL_INSP_ROLE_COUNT; r++)
		if (roles & (1u << r))
			return (enum zl_insp_role)r;
	return ZL_INSP_ROLE_COUNT;
}

/* The acting authority's level, from the caller's organization (announce, suspend). */
static int level_of(struct zl_req *req, struct zl_db *db, enum zl_insp_level *out,
		    struct zl_error *err)
{
	struct zl_org_info *o;
	char gov[ZL_ORG_PATH_MAX], code[8];
	size_t n;
	int rc;

	*out = ZL_INSP_LEVEL_NONE;
	if (zl_org_path_provincial(req->principal.org_path)) {
		*out = ZL_INSP_LEVEL_PROVINCE;
		return ZL_OK;
	}
	n = zl_org_path_government(req->principal.org_path, gov, sizeof(gov));
	if (n < 8)
		return ZL_OK;
	memcpy(code, gov + n - 7, 6);
	code[6] = '\0';
	if ((o = calloc(1, sizeof(*o))) == NULL)
		return zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
	rc = zl_store_org_get(db, code, o, err);
	if (rc == ZL_OK)
		*out = !strcmp(o->org.kind, "city")	? ZL_INSP_LEVEL_CITY
		       : !strcmp(o->org.kind, "county") ? ZL_INSP_LEVEL_COUNTY
							: ZL_INSP_LEVEL_NONE;
	else if (rc == ZL_ENOTFOUND) {
		zl_error_clear(err);
		rc = ZL_OK;
	}
	free(o);
	return rc;
}

int zl_h_inspection_event(struct zl_req *req, struct zl_resp *resp, struct zl_error *err)
{
	struct env *e = zl_arena_calloc(req->arena, 1, sizeof(*e));
	struct zl_insp_applied *done = zl_arena_calloc(req->arena, 1, sizeof(*done));
	struct zl_insp_step step;
	struct zl_plan_actor who;
	struct zl_insp_set s;
	const char *before = NULL;
	char today[16], target[48], action[64], detail[256];
	cJSON *body = NULL;
	struct zl_db *db = NULL;
	unsigned roles = 0;
	int64_t id;
	int rc;

	if (e == NULL || done == NULL)
		return zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
	zl_insp_set_init(&s);
	if ((rc = zl_plan_http_start(req, "inspection", &who, today, &id, err)) ||
	    (rc = env_init(e, today, err)) ||
	    (rc = zl_json_parse_object(req->body, req->body_len, 4, &body, err)))
		goto out;
	if ((rc = zl_insp_http_parse_event(req, body, &step, err)) ||
	    (rc = zl_plan_http_open(req, 1, &db, err)))
		goto out;
	rc = load(req, db, id, &s, &roles, err);
	if (rc == ZL_OK && roles == 0)
		rc = zl_error_set(err, ZL_EFORBIDDEN, "role",
				  "the caller reads this inspection and takes no part in it");
	if (rc == ZL_OK) {
		step.ev.role = role_of(roles);
		before = inspection_text(req, &s.v[0]);
		/*
		 * An enterprise files online: its receipt, objection or request is dated the
		 * day it is filed.  Back-dated, an objection could slip into a period that has
		 * closed; officers record paper filings with the dates they bear.  Checked only
		 * for an event the state allows, so a wrong event still answers 409.
		 */
		if (step.ev.role == ZL_INSP_ROLE_ENTERPRISE && step.ev.date != NULL &&
		    zl_insp_transition_find(s.v[0].rec.state, step.ev.event) != NULL &&
		    strcmp(step.ev.date, today) != 0)
			rc = zl_error_set(err, ZL_EUNPROC, "date",
					  "an enterprise's filing is dated the day it is filed (%s), "
					  "not %s; an officer records a filing made on paper",
					  today, step.ev.date);
		if (rc == ZL_OK &&
		    (step.ev.event == ZL_INSP_EV_ANNOUNCE || step.ev.event == ZL_INSP_EV_SUSPEND))
			rc = level_of(req, db, &step.ev.level, err);
	}
	if (rc == ZL_OK)
		rc = zl_store_insp_apply(db, id, &step, &e->env, &who, done, err);
	if (rc == ZL_OK) {
		zl_insp_set_release(&s);
		zl_insp_set_init(&s);
		rc = zl_store_insp_get(db, id, &s, err);
	}
	if (rc == ZL_OK) {
		snprintf(target, sizeof(target), "inspection:%" PRId64, id);
		snprintf(action, sizeof(action), "inspection.%s", zl_insp_event_name(step.ev.event));
		if (done->credit_event)
			snprintf(detail, sizeof(detail), "%s -> %s on %s as %s, credit event %" PRId64,
				 zl_insp_state_name(done->before.state),
				 zl_insp_state_name(done->after.state), step.ev.date,
				 zl_insp_role_name(step.ev.role), done->credit_event);
		else
			snprintf(detail, sizeof(detail), "%s -> %s on %s as %s",
				 zl_insp_state_name(done->before.state),
				 zl_insp_state_name(done->after.state), step.ev.date,
				 zl_insp_role_name(step.ev.role));
		rc = zl_req_audit(req, db, action, target, before, inspection_text(req, &s.v[0]),
				  detail, err);
	}
	if (db != NULL && (rc = zl_plan_http_finish(db, rc, err)) == ZL_OK)
		rc = answer(req, resp, db, 200, id, e, err);
out:
	zl_insp_set_release(&s);
	cJSON_Delete(body);
	return rc;
}

/* ---- attachments ------------------------------------------------------------------------------ */

int zl_h_inspection_attach(struct zl_req *req, struct zl_resp *resp, struct zl_error *err)
{
	const char *name = zl_req_query(req, "name"), *kind = zl_req_query(req, "kind"), *slash;
	struct zl_insp_attachment *a = zl_arena_calloc(req->arena, 1, sizeof(*a));
	struct zl_plan_actor who;
	struct zl_insp_set s;
	char today[16], target[64], detail[160];
	struct zl_db *db = NULL;
	unsigned roles = 0;
	void *data = NULL;
	size_t n = 0;
	int64_t id;
	struct zl_jw w;
	int rc, photo;

	if (a == NULL)
		return zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
	if ((rc = zl_plan_http_start(req, "inspection", &who, today, &id, err)))
		return rc;
	if (!given(name))
		return zl_error_set(err, ZL_EINVAL, "name", "name=FILE names the attachment");
	while ((slash = strpbrk(name, "/\\")) != NULL)
		name = slash + 1;
	photo = !given(kind) || strcmp(kind, "photo") == 0;
	zl_insp_set_init(&s);
	if ((rc = zl_plan_http_open(req, 1, &db, err)))
		goto out;
	rc = load(req, db, id, &s, &roles, err);
	if (rc == ZL_OK &&
	    !(roles & (photo ? (ZL_INSP_BY_INSPECTOR | ZL_INSP_BY_OFFICER) : ZL_INSP_BY_ANY)))
		rc = zl_error_set(err, ZL_EFORBIDDEN, "role",
				  photo ? "photos of the sampling are added by its inspectors or an"
					  " officer"
					: "the caller reads this inspection and takes no part in it");
	if (rc == ZL_OK)
		rc = zl_plan_http_read_upload(req, ZL_INSP_ATTACHMENT_MAX, &data, &n, err);
	if (rc == ZL_OK)
		rc = zl_store_insp_attachment_add(db, id, photo ? "photo" : "document", name,
						  zl_plan_http_media_type(req), data, n, &who, a,
						  err);
	if (rc == ZL_OK) {
		snprintf(target, sizeof(target), "inspection:%" PRId64 "/attachment:%" PRId64, id,
			 a->id);
		snprintf(detail, sizeof(detail), "%s, %zu bytes, sha256 %.16s...", a->kind, n,
			 a->sha256);
		rc = zl_req_audit(req, db, "inspection.attachment_add", target, NULL, NULL, detail,
				  err);
	}
	rc = zl_plan_http_finish(db, rc, err);
	if (rc == ZL_OK) {
		zl_resp_json(resp, 201, &w);
		attachment_json(&w, a);
		rc = zl_jw_error(&w);
	}
out:
	free(data);
	zl_insp_set_release(&s);
	return rc;
}

int zl_h_inspection_attachment(struct zl_req *req, struct zl_resp *resp, struct zl_error *err)
{
	const char *att_s = zl_req_param(req, "att");
	struct zl_insp_attachment *a = zl_arena_calloc(req->arena, 1, sizeof(*a));
	struct zl_plan_actor who;
	struct zl_insp_set s;
	char today[16];
	struct zl_db *db;
	unsigned roles = 0;
	void *data = NULL;
	size_t n = 0;
	int64_t id, att = 0;
	int rc;

	if (a == NULL)
		return zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
	if ((rc = zl_plan_http_start(req, "inspection", &who, today, &id, err)))
		return rc;
	if (given(att_s) && *att_s >= '1' && *att_s <= '9' && strlen(att_s) < 19)
		att = strtoll(att_s, NULL, 10);
	if ((rc = zl_plan_http_open(req, 0, &db, err)))
		return rc;
	zl_insp_set_init(&s);
	rc = load(req, db, id, &s, &roles, err);
	if (rc == ZL_OK)
		rc = att > 0 ? zl_store_insp_attachment_get(db, id, att, a, &data, &n, err)
			     : zl_error_set(err, ZL_ENOTFOUND, "att", "no attachment %.24s",
					    att_s ? att_s : "");
	zl_db_rollback(db);
	zl_insp_set_release(&s);
	if (rc == ZL_OK)
		rc = zl_plan_http_send_file(req, resp, a->name, a->media_type, data, n, err);
	free(data);
	return rc;
}
