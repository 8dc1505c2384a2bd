/*
 * announcements.c - the staff side of spot-check result announcements
 * (抽查结果公告, docs/results.md "Publication"):
 *
 *   GET    /api/v1/announcements                         list (cursor, total, csv/xlsx)
 *   POST   /api/v1/announcements                         create a draft
 *   GET    /api/v1/announcements/{id}                    one, with its results
 *   POST   /api/v1/announcements/{id}/results            add final results {"inspections":[ids]}
 *   DELETE /api/v1/announcements/{id}/results/{inspection}
 *   POST   /api/v1/announcements/{id}/submit|approve|withdraw
 *
 * Who: results.publish (results.approve to approve) held in an
 * organization that reaches the announcement's organization; anyone else
 * gets 404, as for an announcement that does not exist.  An inspection is
 * added only when it lies in the announcement organization's scope by the
 * staff rule of domain/inspection_access.h (its plan's organization or its
 * region's government is reached), so 洛阳 never announces 郑州's results.
 * Every write and its audit rows commit in one transaction.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "domain/inspection_access.h"
#include "http/announce_http.h"
#include "http/audit_hook.h"
#include "http/handlers.h"
#include "http/plan_http.h"
#include "store/announcements.h"
#include "store/inspections.h"

#define ADD_MAX 1000 /* inspections per request */

static int given(const char *s)
{
	return s != NULL && *s != '\0';
}

/* The caller reaches the announcement's organization. */
static int reaches(const struct zl_req *req, const struct zl_ann_row *a)
{
	return given(req->principal.org_path) && given(a->org_path) &&
	       zl_org_path_within(a->org_path, req->principal.org_path);
}

/* Announcement `id` as the caller may see it; ZL_ENOTFOUND otherwise. */
static int load(struct zl_req *req, struct zl_db *db, int64_t id, struct zl_ann_set *s,
		struct zl_error *err)
{
	int rc = zl_store_ann_get(db, id, s, err);

	if (rc == ZL_OK && !reaches(req, &s->v[0]))
		rc = zl_error_set(err, ZL_ENOTFOUND, "id", "no announcement %" PRId64, id);
	return rc;
}

static const char *ann_text(struct zl_req *req, const struct zl_ann_row *a)
{
	struct zl_buf b = ZL_BUF_INIT(1 << 20);
	const char *s = NULL;
	struct zl_jw w;

	zl_jw_init(&w, &b);
	zl_jw_obj_begin(&w);
	zl_ann_json_members(&w, a, 0);
	zl_jw_obj_end(&w);
	if (zl_jw_error(&w) == ZL_OK)
		s = zl_arena_strdup(req->arena, zl_buf_str(&b));
	zl_buf_release(&b);
	return s;
}

struct res_walk {
	struct zl_req *req;
	struct zl_jw *w;
};

static int res_json(void *cls, const struct zl_ann_result *r)
{
	struct res_walk *k = cls;

	return zl_ann_result_json(k->req, k->w, r);
}

/* Answer `status` with announcement `id` and all its results. */
static int answer(struct zl_req *req, struct zl_resp *resp, struct zl_db *db, int status,
		  int64_t id, struct zl_error *err)
{
	struct zl_ann_result_filter f = {0};
	struct res_walk k;
	struct zl_ann_set s;
	struct zl_jw w;
	int rc;

	zl_ann_set_init(&s);
	rc = load(req, db, id, &s, err);
	if (rc == ZL_OK) {
		zl_resp_json(resp, status, &w);
		zl_jw_obj_begin(&w);
		zl_ann_json_members(&w, &s.v[0], 0);
		zl_jw_key(&w, "results");
		zl_jw_arr_begin(&w);
		f.announcement_id = id;
		k.req = req;
		k.w = &w;
		rc = zl_store_ann_results(db, &f, res_json, &k, NULL, err);
		zl_jw_arr_end(&w);
		zl_jw_obj_end(&w);
		if (rc == ZL_OK)
			rc = zl_jw_error(&w);
	}
	zl_ann_set_release(&s);
	return rc;
}

/* ---- reads ------------------------------------------------------------------------------- */

static const struct zl_list_col cols[] = {
	{"id", "编号", "ID", ZL_COL_INT},
	{"title", "公告标题", "Title", ZL_COL_TEXT},
	{"doc_no", "文号", "Document number", ZL_COL_TEXT},
	{"org", "发布机关代码", "Authority code", ZL_COL_TEXT},
	{"org_name", "发布机关", "Authority", ZL_COL_TEXT},
	{"level", "层级", "Level", ZL_COL_TEXT},
	{"origin", "来源", "Origin", ZL_COL_TEXT},
	{"status", "状态", "Status", ZL_COL_TEXT},
	{"issued_on", "公告日期", "Issued on", ZL_COL_TEXT},
	{"published_at", "发布时间", "Published at", ZL_COL_TIME},
	{"result_count", "批次", "Batches", ZL_COL_INT},
	{"failed_count", "不合格批次", "Failed", ZL_COL_INT},
	{"created_by", "起草人", "Drafted by", ZL_COL_TEXT},
	{"submitted_by", "提交人", "Submitted by", ZL_COL_TEXT},
	{"approved_by", "批准人", "Approved by", ZL_COL_TEXT},
};
#define N_COLS (sizeof(cols) / sizeof(cols[0]))

struct walk {
	struct zl_list_writer *w;
};

static int list_row(void *cls, const struct zl_ann_row *a)
{
	struct walk *k = cls;
	char id[24], n[24], f[24];
	const char *v[N_COLS] = {id,		  a->title,	    a->doc_no,	       a->org,
				 a->org_name,	  a->level,	    a->origin,	       zl_ann_stage(a),
				 a->issued_on,	  a->published_at, n,		       f,
				 a->created_by,	  a->submitted_by, a->approved_by};

	snprintf(id, sizeof(id), "%" PRId64, a->id);
	snprintf(n, sizeof(n), "%" PRId64, a->results);
	snprintf(f, sizeof(f), "%" PRId64, a->failed);
	return zl_list_row_key(k->w, v, id);
}

int zl_h_ann_list(struct zl_req *req, struct zl_resp *resp, struct zl_error *err)
{
	static const char *const statuses[] = {"draft", "submitted", "published", "withdrawn", NULL};
	struct zl_ann_filter f = {0};
	struct zl_list_params lp;
	struct walk k = {NULL};
	const char *status = zl_req_query(req, "status"), *origin = zl_req_query(req, "origin");
	const char *q = zl_req_query(req, "q");
	struct zl_db *db;
	int64_t total = 0;
	int rc, ok = 0;

	f.path = given(req->principal.org_path) ? req->principal.org_path : "/-none-/";
	if (given(status)) {
		for (size_t i = 0; statuses[i]; i++)
			ok |= strcmp(status, statuses[i]) == 0;
		if (!ok)
			return zl_error_set(err, ZL_EINVAL, "status",
					    "status is draft, submitted, published or withdrawn");
		f.status = status;
	}
	if (given(origin)) {
		if (strcmp(origin, "own") != 0 && strcmp(origin, "imported") != 0)
			return zl_error_set(err, ZL_EINVAL, "origin", "origin is own or imported");
		f.origin = origin;
	}
	if (given(q)) {
		if (strlen(q) > 200)
			return zl_error_set(err, ZL_EINVAL, "q", "q is at most 200 bytes");
		f.q = q;
	}
	if ((rc = zl_list_parse(req, &lp, err)))
		return rc;
	if (lp.cursor_key[0]) {
		char *end = NULL;

		f.before = strtoll(lp.cursor_key, &end, 10);
		if (f.before <= 0 || *end != '\0')
			return zl_error_set(err, ZL_EINVAL, "cursor", "bad cursor");
	}
	f.limit = zl_list_fetch_limit(&lp);
	if ((rc = zl_plan_http_open(req, 0, &db, err)))
		return rc;
	rc = zl_store_ann_list(db, &f, NULL, NULL, &total, err);
	if (rc == ZL_OK)
		rc = zl_list_begin(req, resp, &lp, "抽查结果公告", cols, N_COLS, total, &k.w, err);
	if (rc == ZL_OK)
		rc = zl_store_ann_list(db, &f, list_row, &k, NULL, err);
	zl_db_rollback(db);
	return rc == ZL_OK ? zl_list_end_page(k.w, err) : rc;
}

int zl_h_ann_get(struct zl_req *req, struct zl_resp *resp, struct zl_error *err)
{
	struct zl_plan_actor who;
	char today[16];
	struct zl_db *db;
	int64_t id;
	int rc;

	if ((rc = zl_plan_http_start(req, "announcement", &who, today, &id, err)) ||
	    (rc = zl_plan_http_open(req, 0, &db, err)))
		return rc;
	rc = answer(req, resp, db, 200, id, err);
	zl_db_rollback(db);
	return rc;
}

/* ---- writes ------------------------------------------------------------------------------- */

static void audit_target(char *out, size_t n, int64_t id)
{
	snprintf(out, n, "announcement:%" PRId64, id);
}

int zl_h_ann_create(struct zl_req *req, struct zl_resp *resp, struct zl_error *err)
{
	static const char *const fields[] = {"org",	  "level", "title", "doc_no",
					     "issued_on", "note",  NULL};
	struct zl_ann_new n = {0};
	struct zl_plan_actor who;
	struct zl_ann_set s;
	char today[16], target[48];
	cJSON *body = NULL;
	struct zl_db *db;
	int64_t id = 0;
	int rc;

	zl_plan_http_actor(req, &who, today);
	if ((rc = zl_json_parse_object(req->body, req->body_len, 4, &body, err)))
		return rc;
	if ((rc = zl_json_only_fields(body, fields, err)) ||
	    (rc = zl_json_get_string(body, "org", 1, 32, &n.org, err)) ||
	    (rc = zl_json_get_string(body, "level", 1, 16, &n.level, err)) ||
	    (rc = zl_json_get_string(body, "title", 1, ZL_ANN_TITLE_MAX, &n.title, err)) ||
	    (rc = zl_json_get_string(body, "doc_no", 0, ZL_ANN_DOC_NO_MAX, &n.doc_no, err)) ||
	    (rc = zl_json_get_string(body, "issued_on", 0, 10, &n.issued_on, err)) ||
	    (rc = zl_json_get_string(body, "note", 0, ZL_ANN_NOTE_MAX, &n.note, err)) ||
	    (rc = zl_ann_new_check(&n, err)) || (rc = zl_plan_http_open(req, 1, &db, err)))
		goto out;
	rc = zl_store_ann_create(db, &n, &who, &id, err);
	zl_ann_set_init(&s);
	if (rc == ZL_OK)
		rc = zl_store_ann_get(db, id, &s, err);
	audit_target(target, sizeof(target), id);
	if (rc == ZL_OK)
		rc = zl_req_audit(req, db, "announcement.create", target, NULL,
				  ann_text(req, &s.v[0]), NULL, err);
	zl_ann_set_release(&s);
	if ((rc = zl_plan_http_finish(db, rc, err)) == ZL_OK) {
		rc = answer(req, resp, db, 201, id, err);
		zl_db_rollback(db);
	}
out:
	cJSON_Delete(body);
	return rc;
}

/* Open a write transaction with announcement {id} as the caller may see it; *before its JSON. */
static int start_write(struct zl_req *req, struct zl_plan_actor *who, char today[16],
		       int64_t *id, struct zl_db **db, const char **before, struct zl_error *err)
{
	struct zl_ann_set s;
	int rc;

	if ((rc = zl_plan_http_start(req, "announcement", who, today, id, err)) ||
	    (rc = zl_plan_http_open(req, 1, db, err)))
		return rc;
	zl_ann_set_init(&s);
	rc = load(req, *db, *id, &s, err);
	if (rc == ZL_OK)
		*before = ann_text(req, &s.v[0]);
	zl_ann_set_release(&s);
	if (rc != ZL_OK)
		zl_db_rollback(*db);
	return rc;
}

/* Audit `action` with the announcement before and after, commit, answer 200. */
static int finish_write(struct zl_req *req, struct zl_resp *resp, struct zl_db *db, int rc,
			int64_t id, const char *action, const char *before, const char *detail,
			struct zl_error *err)
{
	char target[48];
	struct zl_ann_set s;

	audit_target(target, sizeof(target), id);
	zl_ann_set_init(&s);
	if (rc == ZL_OK)
		rc = zl_store_ann_get(db, id, &s, err);
	if (rc == ZL_OK)
		rc = zl_req_audit(req, db, action, target, before, ann_text(req, &s.v[0]), detail,
				  err);
	zl_ann_set_release(&s);
	if ((rc = zl_plan_http_finish(db, rc, err)))
		return rc;
	rc = answer(req, resp, db, 200, id, err);
	zl_db_rollback(db);
	return rc;
}

/* Inspection `insp` lies in the scope of the organization at `org_path` (staff rule). */
static int in_scope(struct zl_db *db, int64_t insp, const char *org_path, struct zl_error *err)
{
	struct zl_insp_caller c = {0};
	struct zl_insp_facts f = {0};
	struct zl_insp_set s;
	int rc;

	zl_insp_set_init(&s);
	rc = zl_store_insp_get(db, insp, &s, err);
	if (rc == ZL_ENOTFOUND) {
		zl_error_clear(err);
		rc = zl_error_set(err, ZL_ENOTFOUND, "inspections", "no inspection %" PRId64, insp);
	}
	if (rc == ZL_OK) {
		c.role = ZL_ROLE_NONE;
		c.path = org_path;
		f.plan_path = s.v[0].plan_org_path;
		f.region_path = s.v[0].region_path;
		f.lab_path = s.v[0].lab_path;
		f.uscc = s.v[0].uscc;
		if (!zl_insp_access(&c, &f, NULL))
			rc = zl_error_set(err, ZL_EFORBIDDEN, "inspections",
					  "inspection %" PRId64 " is not in the scope of the"
					  " announcing organization",
					  insp);
	}
	zl_insp_set_release(&s);
	return rc;
}

int zl_h_ann_results_add(struct zl_req *req, struct zl_resp *resp, struct zl_error *err)
{
	struct zl_plan_actor who;
	struct zl_ann_set s;
	const char *before = NULL;
	char today[16], target[48], detail[64];
	const cJSON *arr, *it;
	cJSON *body = NULL;
	struct zl_db *db;
	int64_t id;
	int rc, n = 0;

	if ((rc = zl_json_parse_object(req->body, req->body_len, 4, &body, err)))
		return rc;
	arr = cJSON_GetObjectItemCaseSensitive(body, "inspections");
	if (!cJSON_IsArray(arr) || cJSON_GetArraySize(arr) < 1 ||
	    cJSON_GetArraySize(arr) > ADD_MAX) {
		rc = zl_error_set(err, ZL_EUNPROC, "inspections",
				  "inspections is an array of 1 to %d inspection ids", ADD_MAX);
		goto out;
	}
	{
		static const char *const fields[] = {"inspections", NULL};

		if ((rc = zl_json_only_fields(body, fields, err)))
			goto out;
	}
	if ((rc = start_write(req, &who, today, &id, &db, &before, err)))
		goto out;
	zl_ann_set_init(&s);
	rc = zl_store_ann_get(db, id, &s, err);
	cJSON_ArrayForEach(it, arr)
	{
		int64_t insp;

		if (rc != ZL_OK)
			break;
		if (!cJSON_IsNumber(it) || it->valuedouble < 1 || it->valuedouble > 9e15 ||
		    it->valuedouble != (double)(int64_t)it->valuedouble) {
			rc = zl_error_set(err, ZL_EUNPROC, NULL, "inspections[%d] is not an id", n);
			snprintf(err->field, sizeof(err->field), "inspections[%d]", n);
			break;
		}
		insp = (int64_t)it->valuedouble;
		if ((rc = in_scope(db, insp, s.v[0].org_path, err)) == ZL_OK)
			rc = zl_store_ann_add(db, id, insp, &who, err);
		if (rc == ZL_OK) {
			snprintf(target, sizeof(target), "inspection:%" PRId64, insp);
			snprintf(detail, sizeof(detail), "announcement:%" PRId64, id);
			rc = zl_req_audit(req, db, "announcement.add_result", target, NULL, NULL,
					  detail, err);
		} else if (err->field[0] == '\0' || strcmp(err->field, "inspection") == 0 ||
			   strcmp(err->field, "inspections") == 0) {
			snprintf(err->field, sizeof(err->field), "inspections[%d]", n);
		}
		n++;
	}
	zl_ann_set_release(&s);
	rc = finish_write(req, resp, db, rc, id, "announcement.results", before, NULL, err);
out:
	cJSON_Delete(body);
	return rc;
}

int zl_h_ann_result_remove(struct zl_req *req, struct zl_resp *resp, struct zl_error *err)
{
	struct zl_plan_actor who;
	const char *before = NULL, *p = zl_req_param(req, "inspection");
	char today[16], detail[48], *end = NULL;
	struct zl_db *db;
	int64_t id, insp;
	int rc;

	insp = given(p) ? strtoll(p, &end, 10) : 0;
	if (insp <= 0 || *end != '\0')
		return zl_error_set(err, ZL_ENOTFOUND, "inspection", "no inspection %s",
				    given(p) ? p : "");
	if ((rc = start_write(req, &who, today, &id, &db, &before, err)))
		return rc;
	rc = zl_store_ann_remove(db, id, insp, &who, err);
	snprintf(detail, sizeof(detail), "inspection:%" PRId64, insp);
	return finish_write(req, resp, db, rc, id, "announcement.remove_result", before, detail,
			    err);
}

int zl_h_ann_submit(struct zl_req *req, struct zl_resp *resp, struct zl_error *err)
{
	struct zl_plan_actor who;
	const char *before = NULL;
	char today[16];
	struct zl_db *db;
	int64_t id;
	int rc;

	if (req->body_len > 0 && !(req->body_len == 2 && memcmp(req->body, "{}", 2) == 0))
		return zl_error_set(err, ZL_EUNPROC, NULL, "submit takes no body");
	if ((rc = start_write(req, &who, today, &id, &db, &before, err)))
		return rc;
	rc = zl_store_ann_submit(db, id, &who, err);
	return finish_write(req, resp, db, rc, id, "announcement.submit", before, NULL, err);
}

struct audit_walk {
	struct zl_req *req;
	struct zl_db *db;
	int64_t id;
	struct zl_error *err;
};

/* Each published result gets an audit row of its own (a published fact). */
static int audit_results(void *cls, const struct zl_ann_result *r)
{
	struct audit_walk *k = cls;
	char target[48], detail[48];

	snprintf(target, sizeof(target), "inspection:%" PRId64, r->inspection_id);
	snprintf(detail, sizeof(detail), "announcement:%" PRId64, k->id);
	return zl_req_audit(k->req, k->db, "inspection.publish", target, NULL, NULL, detail,
			    k->err);
}

int zl_h_ann_approve(struct zl_req *req, struct zl_resp *resp, struct zl_error *err)
{
	struct zl_plan_actor who;
	struct zl_ann_result_filter f = {0};
	const char *before = NULL;
	char today[16];
	struct zl_db *db;
	int64_t id;
	int rc;
	struct audit_walk k;

	if (req->body_len > 0 && !(req->body_len == 2 && memcmp(req->body, "{}", 2) == 0))
		return zl_error_set(err, ZL_EUNPROC, NULL, "approve takes no body");
	if ((rc = start_write(req, &who, today, &id, &db, &before, err)))
		return rc;
	rc = zl_store_ann_approve(db, id, &who, err);
	if (rc == ZL_OK) {
		k.req = req;
		k.db = db;
		k.id = id;
		k.err = err;
		f.announcement_id = id;
		rc = zl_store_ann_results(db, &f, audit_results, &k, NULL, err);
	}
	return finish_write(req, resp, db, rc, id, "announcement.approve", before, NULL, err);
}

int zl_h_ann_withdraw(struct zl_req *req, struct zl_resp *resp, struct zl_error *err)
{
	static const char *const fields[] = {"reason", NULL};
	struct zl_plan_actor who;
	const char *before = NULL, *reason = NULL;
	char today[16];
	cJSON *body = NULL;
	struct zl_db *db;
	int64_t id;
	int rc;

	if (req->body_len > 0) {
		if ((rc = zl_json_parse_object(req->body, req->body_len, 2, &body, err)))
			return rc;
		if ((rc = zl_json_only_fields(body, fields, err)) ||
		    (rc = zl_json_get_string(body, "reason", 0, 500, &reason, err)))
			goto out;
	}
	if ((rc = start_write(req, &who, today, &id, &db, &before, err)))
		goto out;
	rc = zl_store_ann_withdraw(db, id, reason, &who, err);
	rc = finish_write(req, resp, db, rc, id, "announcement.withdraw", before, reason, err);
out:
	cJSON_Delete(body);
	return rc;
}
