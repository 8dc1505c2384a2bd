/*
 * notifications.c - the caller's notifications over HTTP
 * (store/notifications.h, docs/plan-ledger.md):
 *   GET  /api/v1/notifications        newest first, paged (unread=1: the badge's total)
 *   POST /api/v1/notifications/read   mark some or all read
 * A user's own list: an API token (no user) has none.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "http/audit_hook.h"
#include "http/handlers.h"
#include "http/list.h"
#include "store/notifications.h"

#define READ_IDS_MAX 500

static const char *id_or_null(int64_t id, char buf[24])
{
	if (id <= 0)
		return NULL;
	snprintf(buf, 24, "%" PRId64, id);
	return buf;
}

static const struct zl_list_col note_cols[] = {
	{"id", "编号", "ID", ZL_COL_INT},
	{"kind", "类别", "Kind", ZL_COL_TEXT},
	{"plan_id", "计划编号", "Plan", ZL_COL_INT},
	{"task_id", "任务编号", "Task", ZL_COL_INT},
	{"report_id", "报送编号", "Report", ZL_COL_INT},
	{"message", "内容", "Message", ZL_COL_TEXT},
	{"created_at", "时间", "Time", ZL_COL_TIME},
	{"read_at", "阅读时间", "Read", ZL_COL_TIME},
};
#define N_NOTE_COLS (sizeof(note_cols) / sizeof(note_cols[0]))

static int note_row(void *cls, const struct zl_note *n)
{
	char id[24], plan[24], task[24], report[24];
	const char *v[N_NOTE_COLS] = {id_or_null(n->id, id),
				      n->kind,
				      id_or_null(n->plan_id, plan),
				      id_or_null(n->task_id, task),
				      id_or_null(n->report_id, report),
				      n->message,
				      n->created_at,
				      n->read_at[0] ? n->read_at : NULL};

	return zl_list_row_key(cls, v, id);
}

/* Notifications belong to accounts; a token's caller has none. */
static const char *user_of(const struct zl_req *req)
{
	return req->principal.kind == ZL_PRINCIPAL_USER ? req->principal.name : NULL;
}

int zl_h_notifications_list(struct zl_req *req, struct zl_resp *resp, struct zl_error *err)
{
	const char *unread = zl_req_query(req, "unread"), *user = user_of(req);
	struct zl_list_writer *lw = NULL;
	struct zl_list_params lp;
	int64_t total = 0, before = 0;
	int only_unread = 0, rc;
	struct zl_db *db;

	if ((rc = zl_list_parse(req, &lp, err)))
		return rc;
	if (unread != NULL && *unread) {
		if (strcmp(unread, "1") && strcmp(unread, "true") && strcmp(unread, "0") &&
		    strcmp(unread, "false"))
			return zl_error_set(err, ZL_EINVAL, "unread", "unread is 1 or 0");
		only_unread = !strcmp(unread, "1") || !strcmp(unread, "true");
	}
	if (lp.cursor_key[0]) {
		char *end = NULL;

		before = strtoll(lp.cursor_key, &end, 10);
		if (before <= 0 || end == NULL || *end != '\0')
			return zl_error_set(err, ZL_EINVAL, "cursor", "not a cursor of this list");
	}
	if (user == NULL) {
		rc = zl_list_begin(req, resp, &lp, "notifications", note_cols, N_NOTE_COLS, 0, &lw,
				   err);
		return rc ? rc : zl_list_end_page(lw, err);
	}
	if (!(db = zl_req_db(req, err)))
		return ZL_EUNAVAIL;
	if ((rc = zl_db_begin_read(db, err)))
		return rc;
	rc = zl_store_notifications(db, user, only_unread, 0, 0, NULL, NULL, &total, NULL, err);
	if (rc == ZL_OK)
		rc = zl_list_begin(req, resp, &lp, "notifications", note_cols, N_NOTE_COLS, total,
				   &lw, err);
	if (rc == ZL_OK)
		rc = zl_store_notifications(db, user, only_unread, before, zl_list_fetch_limit(&lp),
					    note_row, lw, NULL, NULL, err);
	zl_db_rollback(db);
	if (rc != ZL_OK)
		return rc;
	return zl_list_end_page(lw, err);
}

int zl_h_notifications_read(struct zl_req *req, struct zl_resp *resp, struct zl_error *err)
{
	static const char *const allowed[] = {"ids", "all", NULL};
	const char *user = user_of(req);
	const cJSON *ids, *v;
	int64_t *list = NULL, marked = 0;
	char target[96], detail[48];
	cJSON *body = NULL;
	struct zl_db *db = NULL;
	size_t n = 0;
	struct zl_jw w;
	int all = 0, rc;

	rc = zl_json_parse_object(req->body, req->body_len, 3, &body, err);
	if (rc)
		return rc;
	if ((rc = zl_json_only_fields(body, allowed, err)) ||
	    (rc = zl_json_get_bool(body, "all", 0, &all, err)))
		goto out;
	ids = cJSON_GetObjectItemCaseSensitive(body, "ids");
	if (ids != NULL && !cJSON_IsNull(ids)) {
		if (!cJSON_IsArray(ids) || cJSON_GetArraySize(ids) > READ_IDS_MAX) {
			rc = zl_error_set(err, ZL_EUNPROC, "ids",
					  "ids must be an array of at most %d notification ids",
					  READ_IDS_MAX);
			goto out;
		}
		n = (size_t)cJSON_GetArraySize(ids);
		list = zl_arena_calloc(req->arena, n + 1, sizeof(*list));
		if (list == NULL) {
			rc = zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
			goto out;
		}
		n = 0;
		cJSON_ArrayForEach(v, ids)
		{
			if (!cJSON_IsNumber(v) || v->valuedouble < 1 ||
			    v->valuedouble > (double)ZL_JSON_INT_MAX ||
			    v->valuedouble != (double)(int64_t)v->valuedouble) {
				rc = zl_error_set(err, ZL_EUNPROC, "ids",
						  "ids[%zu] must be a notification id", n);
				goto out;
			}
			list[n++] = (int64_t)v->valuedouble;
		}
	}
	if (all == (ids != NULL && !cJSON_IsNull(ids))) {
		rc = zl_error_set(err, ZL_EUNPROC, "ids", "give either ids or \"all\":true");
		goto out;
	}
	if (user != NULL) {
		if (!(db = zl_req_db(req, err))) {
			rc = ZL_EUNAVAIL;
			goto out;
		}
		if ((rc = zl_db_begin(db, err)))
			goto out;
		rc = zl_store_notifications_read(db, user, list, n, all, NULL, &marked, err);
		if (rc == ZL_OK && marked > 0) {
			snprintf(target, sizeof(target), "user:%s", user);
			snprintf(detail, sizeof(detail), "%" PRId64 " notifications read", marked);
			rc = zl_req_audit(req, db, "notification.read", target, NULL, NULL, detail,
					  err);
		}
		if (rc != ZL_OK) {
			zl_db_rollback(db);
			goto out;
		}
		if ((rc = zl_db_commit(db, err)))
			goto out;
	}
	zl_resp_json(resp, 200, &w);
	zl_jw_obj_begin(&w);
	zl_jw_kint(&w, "marked", marked);
	zl_jw_obj_end(&w);
	rc = zl_jw_error(&w);
out:
	cJSON_Delete(body);
	return rc;
}
