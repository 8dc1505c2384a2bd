/*
 * plan_reports.c - progress reports and their files over HTTP
 * (docs/plan-ledger.md):
 *   GET  /api/v1/plan-reports/{id}               one report with values and files
 *   POST /api/v1/plan-reports/{id}/confirm       the lead (or the plan's organization)
 *   POST /api/v1/plan-reports/{id}/return        sends it back with a reason
 *   POST /api/v1/plan-reports/{id}/attachments   attach a file (raw body)
 *   GET  /api/v1/plan-attachments/{id}           download one
 * A report is seen by whoever may read its task's reports
 * (domain/plan_access.h); a report of a plan out of reach answers 404.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/json.h"
#include "http/audit_hook.h"
#include "http/handlers.h"
#include "http/list.h"
#include "http/plan_http.h"

static int given(const char *s)
{
	return s != NULL && *s != '\0';
}

/* What a request about one report has loaded. */
struct loaded {
	struct zl_plan_report *r;
	struct zl_plan_info *p;
	struct zl_plan_task_set set;
	const struct zl_plan_access_owner *own;
};

static void loaded_release(struct loaded *l)
{
	zl_plan_task_set_release(&l->set);
}

/*
 * Report `id`, its task and plan, when the caller may see the plan (else 404
 * "no report") and read the task's reports (else 403).
 */
static int load(struct zl_req *req, struct zl_db *db, int64_t id, const char *today,
		struct loaded *l, struct zl_error *err)
{
	int rc;

	l->r = zl_arena_calloc(req->arena, 1, sizeof(*l->r));
	l->p = zl_arena_calloc(req->arena, 1, sizeof(*l->p));
	zl_plan_task_set_init(&l->set);
	if (l->r == NULL || l->p == NULL)
		return zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
	rc = zl_store_plan_report_get(db, id, l->r, err);
	if (rc == ZL_OK)
		rc = zl_plan_http_task(req, db, l->r->task_id, today, &l->set, l->p, err);
	if (rc == ZL_ENOTFOUND)
		return zl_error_set(err, ZL_ENOTFOUND, "id", "no report %" PRId64, id);
	if (rc != ZL_OK)
		return rc;
	l->own = zl_plan_http_owners(req, &l->set.tasks[0]);
	if (!zl_plan_reports_visible(req->principal.org_path, l->p->org_path, l->own,
				     l->set.tasks[0].nowners))
		return zl_error_set(err, ZL_EFORBIDDEN, NULL,
				    "a task's reports are read by the plan's organization and the "
				    "task's owners");
	return ZL_OK;
}

static int value_json(void *cls, const struct zl_plan_report_value *v)
{
	struct zl_jw *w = cls;

	zl_jw_obj_begin(w);
	zl_jw_kint(w, "indicator", v->indicator_id);
	zl_jw_kstr(w, "name", v->name);
	zl_jw_kstr(w, "unit", given(v->unit) ? v->unit : NULL);
	zl_jw_kdouble(w, "value", v->value);
	zl_jw_obj_end(w);
	return ZL_OK;
}

static int attachment_json(void *cls, const struct zl_plan_attachment *a)
{
	zl_plan_http_attachment_json(cls, a);
	return ZL_OK;
}

static void report_fact_json(struct zl_jw *w, const void *arg)
{
	zl_jw_obj_begin(w);
	zl_plan_http_report_members(w, arg, 1);
	zl_jw_obj_end(w);
}

static int write_report(struct zl_req *req, struct zl_db *db, struct zl_jw *w,
			const struct loaded *l, struct zl_error *err)
{
	const struct zl_plan_task_row *t = &l->set.tasks[0];
	int rc;

	zl_jw_obj_begin(w);
	zl_plan_http_report_members(w, l->r, 0);
	zl_jw_kstr(w, "task_number", t->number);
	zl_jw_kstr(w, "task_title", t->title);
	zl_jw_key(w, "values");
	zl_jw_arr_begin(w);
	rc = zl_store_plan_report_values(db, l->r->id, value_json, w, err);
	zl_jw_arr_end(w);
	zl_jw_key(w, "attachments");
	zl_jw_arr_begin(w);
	if (rc == ZL_OK)
		rc = zl_store_plan_attachments(db, l->r->id, attachment_json, w, err);
	zl_jw_arr_end(w);
	zl_jw_kbool(w, "may_confirm",
		    (req->principal.perms & ZL_PERMBIT(ZL_PERM_PLAN_CONFIRM)) &&
			    strcmp(l->r->status, "submitted") == 0 &&
			    zl_plan_may_confirm(req->principal.org_path, l->p->org_path, l->own,
						t->nowners));
	zl_jw_obj_end(w);
	return rc;
}

int zl_plan_http_answer_report(struct zl_req *req, struct zl_resp *resp, struct zl_db *db,
			       int status, int64_t report_id, struct zl_error *err)
{
	struct zl_plan_actor who;
	struct loaded l = {0};
	char today[16];
	struct zl_jw w;
	int rc;

	zl_plan_http_actor(req, &who, today);
	rc = load(req, db, report_id, today, &l, err);
	if (rc == ZL_EFORBIDDEN) {
		/* The writer just wrote it: the author always sees the answer. */
		zl_error_clear(err);
		rc = ZL_OK;
	}
	if (rc == ZL_OK) {
		zl_resp_json(resp, status, &w);
		rc = write_report(req, db, &w, &l, err);
		if (rc == ZL_OK)
			rc = zl_jw_error(&w);
	}
	loaded_release(&l);
	return rc;
}

int zl_h_plan_report_get(struct zl_req *req, struct zl_resp *resp, struct zl_error *err)
{
	struct zl_plan_actor who;
	struct loaded l = {0};
	char today[16];
	struct zl_db *db;
	struct zl_jw w;
	int64_t id;
	int rc;

	if ((rc = zl_plan_http_start(req, "report", &who, today, &id, err)))
		return rc;
	if ((rc = zl_plan_http_open(req, 0, &db, err)))
		return rc;
	rc = load(req, db, id, today, &l, err);
	if (rc == ZL_OK) {
		zl_resp_json(resp, 200, &w);
		rc = write_report(req, db, &w, &l, err);
		if (rc == ZL_OK)
			rc = zl_jw_error(&w);
	}
	zl_db_rollback(db);
	loaded_release(&l);
	return rc;
}

/* Confirm (confirm = 1) or return a report. */
static int decide(struct zl_req *req, struct zl_resp *resp, int confirm, struct zl_error *err)
{
	static const char *const confirm_fields[] = {"note", "complete", NULL};
	static const char *const return_fields[] = {"reason", NULL};
	struct zl_plan_actor who;
	struct loaded l = {0};
	const char *note = NULL, *before;
	char today[16], target[48];
	cJSON *body = NULL;
	struct zl_db *db = NULL;
	int64_t id;
	int complete = 0, rc;

	if ((rc = zl_plan_http_start(req, "report", &who, today, &id, err)))
		return rc;
	rc = zl_json_parse_object(req->body, req->body_len, 2, &body, err);
	if (rc)
		return rc;
	if (confirm) {
		if ((rc = zl_json_only_fields(body, confirm_fields, err)) ||
		    (rc = zl_json_get_string(body, "note", 0, ZL_PLAN_NOTE_MAX, &note, err)) ||
		    (rc = zl_json_get_bool(body, "complete", 0, &complete, err)))
			goto out;
	} else if ((rc = zl_json_only_fields(body, return_fields, err)) ||
		   (rc = zl_json_get_string(body, "reason", 1, ZL_PLAN_NOTE_MAX, &note, err))) {
		goto out;
	}
	if ((rc = zl_plan_http_open(req, 1, &db, err)))
		goto out;
	if ((rc = load(req, db, id, today, &l, err)))
		goto tx;
	if (!zl_plan_may_confirm(req->principal.org_path, l.p->org_path, l.own,
				 l.set.tasks[0].nowners)) {
		rc = zl_error_set(err, ZL_EFORBIDDEN, NULL,
				  "a report is confirmed or returned by a lead of its task or the "
				  "plan's organization");
		goto tx;
	}
	if (strcmp(l.r->author, who.user) == 0) {
		rc = zl_error_set(err, ZL_EFORBIDDEN, NULL,
				  "you filed this report: someone else confirms or returns it");
		goto tx;
	}
	before = zl_plan_http_json_text(req, report_fact_json, l.r);
	rc = zl_store_plan_report_decide(db, id, confirm, note, complete, &who, err);
	if (rc == ZL_OK)
		rc = zl_store_plan_report_get(db, id, l.r, err);
	if (rc == ZL_OK) {
		snprintf(target, sizeof(target), "plan-report:%" PRId64, id);
		rc = zl_req_audit(req, db, confirm ? "plan.report_confirm" : "plan.report_return",
				  target, before,
				  zl_plan_http_json_text(req, report_fact_json, l.r),
				  complete ? "task completed" : NULL, err);
	}
tx:
	if ((rc = zl_plan_http_finish(db, rc, err)))
		goto out;
	rc = zl_plan_http_answer_report(req, resp, db, 200, id, err);
out:
	loaded_release(&l);
	cJSON_Delete(body);
	return rc;
}

int zl_h_plan_report_confirm(struct zl_req *req, struct zl_resp *resp, struct zl_error *err)
{
	return decide(req, resp, 1, err);
}

int zl_h_plan_report_return(struct zl_req *req, struct zl_resp *resp, struct zl_error *err)
{
	return decide(req, resp, 0, err);
}

/* ---- files ------------------------------------------------------------------------ */

int zl_h_plan_attachment_add(struct zl_req *req, struct zl_resp *resp, struct zl_error *err)
{
	const char *name = zl_req_query(req, "name"), *want = NULL, *slash;
	struct zl_plan_attachment *a = zl_arena_calloc(req->arena, 1, sizeof(*a));
	struct zl_plan_actor who;
	struct loaded l = {0};
	char today[16], target[48], detail[128];
	const struct zl_plan_task_row *t;
	struct zl_db *db = NULL;
	void *data = NULL;
	size_t n = 0;
	int64_t id;
	struct zl_jw w;
	int rc;

	if (a == NULL)
		return zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
	if ((rc = zl_plan_http_start(req, "report", &who, today, &id, err)))
		return rc;
	if (!given(name))
		return zl_error_set(err, ZL_EINVAL, "name", "name=FILE names the attachment");
	/* A path from the client's machine: its last part. */
	while ((slash = strpbrk(name, "/\\")) != NULL)
		name = slash + 1;
	if (!(db = zl_req_db(req, err)))
		return ZL_EUNAVAIL;
	if ((rc = zl_db_begin(db, err)))
		return rc;
	if ((rc = load(req, db, id, today, &l, err)))
		goto tx;
	t = &l.set.tasks[0];
	/* As the report's organization (or one above it). */
	for (size_t i = 0; i < t->nowners && want == NULL; i++)
		if (strcmp(t->owners[i].org, l.r->org) == 0)
			want = t->owners[i].org_path;
	if (want == NULL && strcmp(l.r->org, l.p->org) == 0)
		want = l.p->org_path;
	if (want == NULL || zl_plan_report_owner(req->principal.org_path, l.p->org_path, l.own,
						 t->nowners, want) < 0) {
		rc = zl_error_set(err, ZL_EFORBIDDEN, NULL,
				  "files are attached by the organization that filed the report");
		goto tx;
	}
	if ((rc = zl_plan_http_read_upload(req, ZL_PLAN_ATTACHMENT_MAX, &data, &n, err)))
		goto tx;
	rc = zl_store_plan_attachment_add(db, id, name, zl_plan_http_media_type(req), data, n,
					  &who, a, err);
	if (rc == ZL_OK) {
		snprintf(target, sizeof(target), "plan-attachment:%" PRId64, a->id);
		snprintf(detail, sizeof(detail), "report %" PRId64 ", %zu bytes, sha256 %.16s...",
			 id, n, a->sha256);
		rc = zl_req_audit(req, db, "plan.attachment_add", target, NULL, NULL, detail, err);
	}
tx:
	free(data);
	loaded_release(&l);
	if ((rc = zl_plan_http_finish(db, rc, err)))
		return rc;
	zl_resp_json(resp, 201, &w);
	zl_plan_http_attachment_json(&w, a);
	return zl_jw_error(&w);
}

int zl_h_plan_attachment_get(struct zl_req *req, struct zl_resp *resp, struct zl_error *err)
{
	struct zl_plan_attachment *a = zl_arena_calloc(req->arena, 1, sizeof(*a));
	struct zl_plan_actor who;
	struct loaded l = {0};
	char today[16];
	struct zl_db *db;
	void *data = NULL;
	size_t n = 0;
	int64_t id;
	int rc;

	if (a == NULL)
		return zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
	if ((rc = zl_plan_http_start(req, "attachment", &who, today, &id, err)))
		return rc;
	if ((rc = zl_plan_http_open(req, 0, &db, err)))
		return rc;
	rc = zl_store_plan_attachment_get(db, id, a, NULL, NULL, err);
	if (rc == ZL_OK) {
		rc = load(req, db, a->report_id, today, &l, err);
		if (rc == ZL_ENOTFOUND)
			rc = zl_error_set(err, ZL_ENOTFOUND, "id", "no attachment %" PRId64, id);
	}
	if (rc == ZL_OK)
		rc = zl_store_plan_attachment_get(db, id, a, &data, &n, err);
	zl_db_rollback(db);
	loaded_release(&l);
	if (rc != ZL_OK)
		goto out;
	rc = zl_plan_http_send_file(req, resp, a->name, a->media_type, data, n, err);
out:
	free(data);
	return rc;
}
