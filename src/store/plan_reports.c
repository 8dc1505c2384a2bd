/*
 * plan_reports.c - progress reports, their indicator values and files
 * (store/plan_reports.h).  A report's effects on its task - progress,
 * indicator values, the date of the last report, completion - are
 * recomputed from the reports themselves on every change, so confirming
 * an older report never overwrites a newer one.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/text.h"
#include "core/timeutil.h"
#include "store/plan_internal.h"
#include "store/plan_reports.h"
#include "store/query.h"

static int given(const char *s)
{
	return s != NULL && *s != '\0';
}

/*
 * What the task keeps of its reports: the latest confirmed percentage, the
 * day of the latest report not returned, each indicator's latest confirmed
 * value.
 */
static int task_from_reports(struct zl_db *db, int64_t task, struct zl_error *err)
{
	int rc = zl_store_exec_id(
		db,
		"UPDATE plan_tasks SET"
		" progress = COALESCE((SELECT r.progress FROM plan_reports r"
		"  WHERE r.task_id = plan_tasks.id AND r.status = 'confirmed'"
		"  ORDER BY r.report_on DESC, r.id DESC LIMIT 1), -1),"
		" last_report = COALESCE((SELECT MAX(r.report_on) FROM plan_reports r"
		"  WHERE r.task_id = plan_tasks.id AND r.status <> 'returned'), '')"
		" WHERE id = ?",
		task, err);

	if (rc == ZL_OK)
		rc = zl_store_exec_id(
			db,
			"UPDATE plan_indicators SET"
			" value = (SELECT v.value FROM plan_report_values v JOIN plan_reports r"
			"  ON r.id = v.report_id WHERE v.indicator_id = plan_indicators.id"
			"  AND r.status = 'confirmed' ORDER BY r.report_on DESC, r.id DESC LIMIT "
			"1),"
			" value_on = COALESCE((SELECT r.report_on FROM plan_report_values v"
			"  JOIN plan_reports r ON r.id = v.report_id"
			"  WHERE v.indicator_id = plan_indicators.id AND r.status = 'confirmed'"
			"  ORDER BY r.report_on DESC, r.id DESC LIMIT 1), '')"
			" WHERE task_id = ?",
			task, err);
	return rc;
}

/* ---- filing ------------------------------------------------------------------ */

static int check_report(const struct zl_plan_report_in *in, const struct zl_plan_task_row *t,
			const char *today, const char *date, struct zl_error *err)
{
	int64_t d, now;
	int owner = 0, resolved = 0;

	if (!given(in->text))
		return zl_error_set(err, ZL_EUNPROC, "text", "text is required");
	if (!zl_utf8_valid(in->text, strlen(in->text)) ||
	    zl_plan_chars(in->text) > ZL_PLAN_REPORT_TEXT_MAX)
		return zl_error_set(err, ZL_EUNPROC, "text", "text: at most %d characters of UTF-8",
				    ZL_PLAN_REPORT_TEXT_MAX);
	if (in->progress < 0 || in->progress > 100)
		return zl_error_set(err, ZL_EUNPROC, "progress", "progress is a percentage 0..100");
	if (zl_date_parse(date, &d) != ZL_OK)
		return zl_error_set(err, ZL_EUNPROC, "date", "date must be a date YYYY-MM-DD");
	if (zl_date_parse(today, &now) == ZL_OK && d > now)
		return zl_error_set(err, ZL_EUNPROC, "date",
				    "a report cannot be dated after today");
	for (size_t i = 0; i < t->nowners; i++) {
		if (!given(t->owners[i].org))
			continue;
		resolved = 1;
		owner |= given(in->org) && strcmp(t->owners[i].org, in->org) == 0;
	}
	if (!owner && !(given(in->org) && !resolved && strcmp(in->org, t->plan_org) == 0))
		return zl_error_set(err, ZL_EUNPROC, "org", "%s does not own this task",
				    given(in->org) ? in->org : "-");
	for (size_t i = 0; i < in->nvalues; i++) {
		char f[48];
		int known = 0;

		for (size_t k = 0; k < t->nindicators; k++)
			known |= t->indicators[k].id == in->values[i].indicator_id;
		for (size_t k = 0; k < i; k++)
			if (in->values[k].indicator_id == in->values[i].indicator_id)
				known = 0;
		snprintf(f, sizeof(f), "values[%zu].indicator", i);
		if (!known)
			return zl_error_set(err, ZL_EUNPROC, f,
					    "%s: not an indicator of this task (or given twice)",
					    f);
		snprintf(f, sizeof(f), "values[%zu].value", i);
		if (!isfinite(in->values[i].value))
			return zl_error_set(err, ZL_EUNPROC, f, "%s must be a number", f);
	}
	return ZL_OK;
}

int zl_store_plan_report_add(struct zl_db *db, const struct zl_plan_report_in *in,
			     const struct zl_plan_actor *who, int64_t *id, struct zl_error *err)
{
	struct zl_plan_task_set set;
	const struct zl_plan_task_row *t;
	const char *date = given(in->date) ? in->date : who != NULL ? who->today : NULL;
	char now[32], label[600], msg[800];
	struct zl_note_in note = {0};
	int64_t rid = 0;
	struct zl_stmt *st;
	int rc, own = 0;

	if ((rc = zl_plan_actor_check(who, err)) != ZL_OK)
		return rc;
	zl_plan_now(who, now);
	zl_plan_task_set_init(&set);
	rc = zl_plan_tx_begin(db, &own, err);
	if (rc != ZL_OK)
		return rc;
	rc = zl_store_plan_task_get(db, in->task_id, who->today, &set, err);
	if (rc != ZL_OK)
		goto out;
	t = &set.tasks[0];
	if (given(t->completed_on)) {
		rc = zl_error_set(err, ZL_ECONFLICT, "task", "the task was completed on %s",
				  t->completed_on);
		goto out;
	}
	if ((rc = check_report(in, t, who->today, date, err)) != ZL_OK)
		goto out;
	rc = zl_db_prepare(db,
			   "INSERT INTO plan_reports (task_id, org, author, report_on, created_at,"
			   " text, progress) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
			   &st, err);
	if (rc != ZL_OK)
		goto out;
	zl_stmt_bind_int64(st, 1, in->task_id);
	zl_stmt_bind_text(st, 2, in->org, -1);
	zl_stmt_bind_text(st, 3, who->user, -1);
	zl_stmt_bind_text(st, 4, date, -1);
	zl_stmt_bind_text(st, 5, now, -1);
	zl_stmt_bind_text(st, 6, in->text, -1);
	zl_stmt_bind_int64(st, 7, in->progress);
	rc = zl_plan_run_id(st, &rid, err);
	for (size_t i = 0; i < in->nvalues && rc == ZL_OK; i++) {
		rc = zl_db_prepare(db,
				   "INSERT INTO plan_report_values (report_id, indicator_id, value)"
				   " VALUES (?, ?, ?)",
				   &st, err);
		if (rc != ZL_OK)
			break;
		zl_stmt_bind_int64(st, 1, rid);
		zl_stmt_bind_int64(st, 2, in->values[i].indicator_id);
		zl_stmt_bind_double(st, 3, in->values[i].value);
		rc = zl_store_run(st, err);
	}
	if (rc == ZL_OK)
		rc = task_from_reports(db, in->task_id, err);
	if (rc == ZL_OK)
		rc = zl_plan_relight(db, in->task_id, who->today, now, who->user, err);
	if (rc == ZL_OK) {
		/* Those who confirm: the leads, or the plan's organization. */
		zl_plan_task_label(t, label, sizeof(label));
		snprintf(msg, sizeof(msg), "%s有新的进展报送（%d%%），待确认", label, in->progress);
		note.kind = "plan.report_pending";
		note.plan_id = t->plan_id;
		note.task_id = t->id;
		note.report_id = rid;
		note.message = msg;
		note.now = now;
		rc = zl_plan_notify_owners(db, t, 1, ZL_PERM_PLAN_CONFIRM, who->user, &note, NULL,
					   err);
	}
	if (rc == ZL_OK && id != NULL)
		*id = rid;
out:
	zl_plan_task_set_release(&set);
	return zl_plan_tx_end(db, own, rc, err);
}

/* ---- reading ------------------------------------------------------------------ */

#define REPORT_COLS                                                                                \
	"r.id, r.task_id, t.plan_id, r.org, COALESCE(o.name, ''), r.author, r.report_on,"          \
	" r.created_at, r.text, r.progress, r.status, r.decided_by, r.decided_at,"                 \
	" r.decision_note, (SELECT count(*) FROM plan_attachments a WHERE a.report_id = r.id)"
#define REPORT_FROM                                                                                \
	" FROM plan_reports r JOIN plan_tasks t ON t.id = r.task_id"                               \
	" LEFT JOIN orgs o ON o.code = r.org AND o.valid_to IS NULL"

static void read_report(struct zl_stmt *st, struct zl_plan_report *r)
{
	memset(r, 0, sizeof(*r));
	r->id = zl_stmt_column_int64(st, 0);
	r->task_id = zl_stmt_column_int64(st, 1);
	r->plan_id = zl_stmt_column_int64(st, 2);
	zl_store_col_text(st, 3, r->org, sizeof(r->org));
	zl_store_col_text(st, 4, r->org_name, sizeof(r->org_name));
	zl_store_col_text(st, 5, r->author, sizeof(r->author));
	zl_store_col_text(st, 6, r->report_on, sizeof(r->report_on));
	zl_store_col_text(st, 7, r->created_at, sizeof(r->created_at));
	zl_store_col_text(st, 8, r->text, sizeof(r->text));
	r->progress = (int)zl_stmt_column_int64(st, 9);
	zl_store_col_text(st, 10, r->status, sizeof(r->status));
	zl_store_col_text(st, 11, r->decided_by, sizeof(r->decided_by));
	zl_store_col_text(st, 12, r->decided_at, sizeof(r->decided_at));
	zl_store_col_text(st, 13, r->decision_note, sizeof(r->decision_note));
	r->attachments = zl_stmt_column_int64(st, 14);
}

static void read_report_cb(struct zl_stmt *st, void *out)
{
	read_report(st, out);
}

int zl_store_plan_report_get(struct zl_db *db, int64_t id, struct zl_plan_report *out,
			     struct zl_error *err)
{
	return zl_plan_row_by_id(db, "SELECT " REPORT_COLS REPORT_FROM " WHERE r.id = ?", id,
				 read_report_cb, out, "report", err);
}

int zl_store_plan_reports(struct zl_db *db, int64_t task_id, const char *status,
			  const char *before_on, int64_t before_id, long limit,
			  zl_plan_report_fn *fn, void *cls, int64_t *total, struct zl_error *err)
{
	struct zl_plan_report *r = NULL;
	struct zl_buf sql = ZL_BUF_INIT(2048);
	struct zl_stmt *st;
	int rc = ZL_OK, cb = 0, i = 1;

	if (total != NULL) {
		rc = zl_db_prepare(db,
				   given(status)
					   ? "SELECT count(*) FROM plan_reports WHERE task_id = ?"
					     " AND status = ?"
					   : "SELECT count(*) FROM plan_reports WHERE task_id = ?",
				   &st, err);
		if (rc != ZL_OK)
			return rc;
		zl_stmt_bind_int64(st, 1, task_id);
		if (given(status))
			zl_stmt_bind_text(st, 2, status, -1);
		rc = zl_stmt_step(st, err);
		*total = rc == ZL_DB_ROW ? zl_stmt_column_int64(st, 0) : 0;
		zl_stmt_reset(st);
		if (rc < 0)
			return rc;
		rc = ZL_OK;
	}
	if (fn == NULL)
		return ZL_OK;
	r = calloc(1, sizeof(*r));
	if (r == NULL)
		return zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
	zl_buf_adds(&sql, "SELECT " REPORT_COLS REPORT_FROM " WHERE r.task_id = ?");
	if (given(status))
		zl_buf_adds(&sql, " AND r.status = ?");
	if (before_on != NULL)
		zl_buf_adds(&sql, " AND (r.report_on < ? OR (r.report_on = ? AND r.id < ?))");
	zl_buf_adds(&sql, " ORDER BY r.report_on DESC, r.id DESC LIMIT ?");
	if (sql.err) {
		rc = zl_error_set(err, ZL_EINTERNAL, NULL, "report query too long");
		goto out;
	}
	rc = zl_db_prepare(db, zl_buf_str(&sql), &st, err);
	if (rc != ZL_OK)
		goto out;
	zl_stmt_bind_int64(st, i++, task_id);
	if (given(status))
		zl_stmt_bind_text(st, i++, status, -1);
	if (before_on != NULL) {
		zl_stmt_bind_text(st, i++, before_on, -1);
		zl_stmt_bind_text(st, i++, before_on, -1);
		zl_stmt_bind_int64(st, i++, before_id);
	}
	zl_stmt_bind_int64(st, i, limit > 0 ? limit : INT64_MAX);
	while ((rc = zl_stmt_step(st, err)) == ZL_DB_ROW) {
		read_report(st, r);
		cb = fn(cls, r);
		if (cb != 0)
			break;
	}
	zl_stmt_reset(st);
	if (cb != 0)
		rc = cb;
	else if (rc >= 0)
		rc = ZL_OK;
out:
	free(r);
	zl_buf_release(&sql);
	return rc;
}

int zl_store_plan_latest_reports(struct zl_db *db, int64_t plan_id, zl_plan_report_fn *fn,
				 void *cls, struct zl_error *err)
{
	struct zl_plan_report *r = calloc(1, sizeof(*r));
	struct zl_stmt *st;
	int64_t last = 0;
	int rc, cb = 0;

	if (r == NULL)
		return zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
	rc = zl_db_prepare(
		db,
		"SELECT " REPORT_COLS REPORT_FROM " WHERE t.plan_id = ?"
		" AND r.status <> 'returned' ORDER BY r.task_id, r.report_on DESC, r.id DESC",
		&st, err);
	if (rc != ZL_OK)
		goto out;
	zl_stmt_bind_int64(st, 1, plan_id);
	while ((rc = zl_stmt_step(st, err)) == ZL_DB_ROW) {
		/* The first row of each task is its latest. */
		if (zl_stmt_column_int64(st, 1) == last)
			continue;
		read_report(st, r);
		last = r->task_id;
		if ((cb = fn(cls, r)) != 0)
			break;
	}
	zl_stmt_reset(st);
	rc = cb != 0 ? cb : rc < 0 ? rc : ZL_OK;
out:
	free(r);
	return rc;
}

int zl_store_plan_report_values(struct zl_db *db, int64_t report_id, zl_plan_value_fn *fn,
				void *cls, struct zl_error *err)
{
	struct zl_stmt *st;
	int rc, cb = 0;

	rc = zl_db_prepare(
		db,
		"SELECT v.indicator_id, x.name, x.unit, v.value FROM plan_report_values v"
		" JOIN plan_indicators x ON x.id = v.indicator_id WHERE v.report_id = ?"
		" ORDER BY x.ord, x.id",
		&st, err);
	if (rc != ZL_OK)
		return rc;
	zl_stmt_bind_int64(st, 1, report_id);
	while ((rc = zl_stmt_step(st, err)) == ZL_DB_ROW) {
		struct zl_plan_report_value v;

		v.indicator_id = zl_stmt_column_int64(st, 0);
		v.name = zl_stmt_column_text(st, 1);
		v.unit = zl_stmt_column_text(st, 2);
		v.value = zl_stmt_column_double(st, 3);
		cb = fn(cls, &v);
		if (cb != 0)
			break;
	}
	zl_stmt_reset(st);
	if (cb != 0)
		return cb;
	return rc < 0 ? rc : ZL_OK;
}

/* ---- deciding ----------------------------------------------------------------- */

int zl_store_plan_report_decide(struct zl_db *db, int64_t report_id, int confirm, const char *note,
				int complete, const struct zl_plan_actor *who, struct zl_error *err)
{
	struct zl_plan_report *r = calloc(1, sizeof(*r));
	struct zl_plan_task_set set;
	char now[32], label[600], msg[1400];
	struct zl_note_in n = {0};
	int64_t user = 0;
	struct zl_stmt *st;
	int rc, own = 0;

	if (r == NULL)
		return zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
	zl_plan_task_set_init(&set);
	if ((rc = zl_plan_actor_check(who, err)) != ZL_OK)
		goto done;
	if (given(note) &&
	    (!zl_utf8_valid(note, strlen(note)) || zl_plan_chars(note) > ZL_PLAN_NOTE_MAX)) {
		rc = zl_error_set(err, ZL_EUNPROC, confirm ? "note" : "reason",
				  "%s: at most %d characters of UTF-8", confirm ? "note" : "reason",
				  ZL_PLAN_NOTE_MAX);
		goto done;
	}
	if (!confirm && !given(note)) {
		rc = zl_error_set(err, ZL_EUNPROC, "reason", "say why the report is returned");
		goto done;
	}
	zl_plan_now(who, now);
	rc = zl_plan_tx_begin(db, &own, err);
	if (rc != ZL_OK)
		goto done;
	rc = zl_store_plan_report_get(db, report_id, r, err);
	if (rc != ZL_OK)
		goto out;
	if (strcmp(r->status, "submitted") != 0) {
		rc = zl_error_set(err, ZL_ECONFLICT, "status", "the report was already %s",
				  r->status);
		goto out;
	}
	rc = zl_db_prepare(db,
			   "UPDATE plan_reports SET status = ?, decided_by = ?, decided_at = ?,"
			   " decision_note = ? WHERE id = ? AND status = 'submitted'",
			   &st, err);
	if (rc != ZL_OK)
		goto out;
	zl_stmt_bind_text(st, 1, confirm ? "confirmed" : "returned", -1);
	zl_stmt_bind_text(st, 2, who->user, -1);
	zl_stmt_bind_text(st, 3, now, -1);
	zl_stmt_bind_text(st, 4, given(note) ? note : "", -1);
	zl_stmt_bind_int64(st, 5, report_id);
	rc = zl_store_run(st, err);
	if (rc == ZL_OK && confirm && complete) {
		rc = zl_db_prepare(
			db, "UPDATE plan_tasks SET completed_on = ?, updated_at = ? WHERE id = ?",
			&st, err);
		if (rc == ZL_OK) {
			zl_stmt_bind_text(st, 1, r->report_on, -1);
			zl_stmt_bind_text(st, 2, now, -1);
			zl_stmt_bind_int64(st, 3, r->task_id);
			rc = zl_store_run(st, err);
		}
	}
	if (rc == ZL_OK)
		rc = task_from_reports(db, r->task_id, err);
	if (rc == ZL_OK)
		rc = zl_plan_relight(db, r->task_id, who->today, now, who->user, err);
	if (rc == ZL_OK)
		rc = zl_store_plan_task_get(db, r->task_id, who->today, &set, err);
	if (rc == ZL_OK)
		rc = zl_store_int_by_key(db, "SELECT count(*) FROM users WHERE username = ?",
					 r->author, &user, err);
	if (rc == ZL_OK && user > 0 && strcmp(r->author, who->user) != 0) {
		zl_plan_task_label(&set.tasks[0], label, sizeof(label));
		if (confirm)
			snprintf(msg, sizeof(msg), "%s %s 的进展报送已确认%s", label, r->report_on,
				 complete ? "，任务办结" : "");
		else
			snprintf(msg, sizeof(msg), "%s %s 的进展报送被退回：%s", label,
				 r->report_on, note);
		n.kind = confirm ? "plan.report_confirmed" : "plan.report_returned";
		n.plan_id = r->plan_id;
		n.task_id = r->task_id;
		n.report_id = r->id;
		n.message = msg;
		n.now = now;
		rc = zl_store_notify_user(db, r->author, &n, err);
	}
out:
	rc = zl_plan_tx_end(db, own, rc, err);
done:
	zl_plan_task_set_release(&set);
	free(r);
	return rc;
}

/* ---- attachments ---------------------------------------------------------------- */

#define ATTACH_COLS "id, report_id, name, media_type, size, sha256, created_by, created_at"

static void read_attachment(struct zl_stmt *st, struct zl_plan_attachment *a)
{
	memset(a, 0, sizeof(*a));
	a->id = zl_stmt_column_int64(st, 0);
	a->report_id = zl_stmt_column_int64(st, 1);
	zl_store_col_text(st, 2, a->name, sizeof(a->name));
	zl_store_col_text(st, 3, a->media_type, sizeof(a->media_type));
	a->size = zl_stmt_column_int64(st, 4);
	zl_store_col_text(st, 5, a->sha256, sizeof(a->sha256));
	zl_store_col_text(st, 6, a->created_by, sizeof(a->created_by));
	zl_store_col_text(st, 7, a->created_at, sizeof(a->created_at));
}

/* type/subtype of RFC 6838 token characters, parameters cut off by the caller. */
int zl_plan_media_type_ok(const char *t)
{
	const char *slash = strchr(t, '/');
	size_t n = strlen(t);

	if (slash == NULL || slash == t || slash[1] == '\0' || n >= 128)
		return 0;
	for (const char *p = t; *p; p++) {
		unsigned char c = (unsigned char)*p;

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      strchr("!#$&-^_.+/", c) != NULL))
			return 0;
		if (c == '/' && p != slash)
			return 0;
	}
	return 1;
}

int zl_plan_file_name_ok(const char *name)
{
	size_t n = strlen(name);

	if (n == 0 || !zl_utf8_valid(name, n) || zl_plan_chars(name) > ZL_PLAN_FILE_NAME_MAX ||
	    strchr(name, '/') != NULL || strchr(name, '\\') != NULL || strcmp(name, ".") == 0 ||
	    strcmp(name, "..") == 0)
		return 0;
	for (const char *p = name; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f || *p == '"')
			return 0;
	return 1;
}

int zl_store_plan_attachment_add(struct zl_db *db, int64_t report_id, const char *name,
				 const char *media_type, const void *data, size_t n,
				 const struct zl_plan_actor *who, struct zl_plan_attachment *out,
				 struct zl_error *err)
{
	struct zl_plan_report *r = calloc(1, sizeof(*r));
	char sha[ZL_SHA256_HEX_LEN + 1], now[32];
	int64_t count = 0, id = 0;
	struct zl_stmt *st;
	int rc, own = 0;

	if (r == NULL)
		return zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
	if ((rc = zl_plan_actor_check(who, err)) != ZL_OK)
		goto done;
	if (name == NULL || !zl_plan_file_name_ok(name)) {
		rc = zl_error_set(
			err, ZL_EUNPROC, "name",
			"name: a file name of 1..%d characters, without / \\ \" or control "
			"characters",
			ZL_PLAN_FILE_NAME_MAX);
		goto done;
	}
	if (media_type == NULL || !zl_plan_media_type_ok(media_type)) {
		rc = zl_error_set(err, ZL_EUNPROC, "type", "the file's type must be type/subtype");
		goto done;
	}
	if (n > ZL_PLAN_ATTACHMENT_MAX) {
		rc = zl_error_set(err, ZL_ETOOBIG, "file", "a file may have at most %zu MiB",
				  ZL_PLAN_ATTACHMENT_MAX >> 20);
		goto done;
	}
	if (n == 0) {
		rc = zl_error_set(err, ZL_EUNPROC, "file", "the file is empty");
		goto done;
	}
	zl_plan_now(who, now);
	zl_sha256_hex(data, n, sha);
	rc = zl_plan_tx_begin(db, &own, err);
	if (rc != ZL_OK)
		goto done;
	rc = zl_store_plan_report_get(db, report_id, r, err);
	if (rc != ZL_OK)
		goto out;
	if (strcmp(r->status, "submitted") != 0) {
		rc = zl_error_set(err, ZL_ECONFLICT, "status",
				  "the report was already %s: files are attached before that",
				  r->status);
		goto out;
	}
	count = r->attachments;
	if (count >= ZL_PLAN_ATTACHMENTS_MAX) {
		rc = zl_error_set(err, ZL_ETOOBIG, "file", "a report has at most %d files",
				  ZL_PLAN_ATTACHMENTS_MAX);
		goto out;
	}
	rc = zl_db_prepare(
		db,
		"INSERT INTO plan_attachments (report_id, name, media_type, size, sha256,"
		" data, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
		" RETURNING id",
		&st, err);
	if (rc != ZL_OK)
		goto out;
	zl_stmt_bind_int64(st, 1, report_id);
	zl_stmt_bind_text(st, 2, name, -1);
	zl_stmt_bind_text(st, 3, media_type, -1);
	zl_stmt_bind_int64(st, 4, (int64_t)n);
	zl_stmt_bind_text(st, 5, sha, -1);
	zl_stmt_bind_blob(st, 6, data, n);
	zl_stmt_bind_text(st, 7, who->user, -1);
	zl_stmt_bind_text(st, 8, now, -1);
	rc = zl_plan_run_id(st, &id, err);
	if (rc == ZL_OK && out != NULL)
		rc = zl_store_plan_attachment_get(db, id, out, NULL, NULL, err);
out:
	rc = zl_plan_tx_end(db, own, rc, err);
done:
	free(r);
	return rc;
}

int zl_store_plan_attachments(struct zl_db *db, int64_t report_id, zl_plan_attachment_fn *fn,
			      void *cls, struct zl_error *err)
{
	struct zl_plan_attachment a;
	struct zl_stmt *st;
	int rc, cb = 0;

	rc = zl_db_prepare(db,
			   "SELECT " ATTACH_COLS " FROM plan_attachments WHERE report_id = ?"
			   " ORDER BY id",
			   &st, err);
	if (rc != ZL_OK)
		return rc;
	zl_stmt_bind_int64(st, 1, report_id);
	while ((rc = zl_stmt_step(st, err)) == ZL_DB_ROW) {
		read_attachment(st, &a);
		cb = fn(cls, &a);
		if (cb != 0)
			break;
	}
	zl_stmt_reset(st);
	if (cb != 0)
		return cb;
	return rc < 0 ? rc : ZL_OK;
}

int zl_store_plan_attachment_get(struct zl_db *db, int64_t id, struct zl_plan_attachment *meta,
				 void **data, size_t *n, struct zl_error *err)
{
	struct zl_stmt *st;
	int rc;

	if (data != NULL)
		*data = NULL;
	if (n != NULL)
		*n = 0;
	rc = zl_db_prepare(
		db,
		data != NULL ? "SELECT " ATTACH_COLS ", data FROM plan_attachments WHERE id = ?"
			     : "SELECT " ATTACH_COLS " FROM plan_attachments WHERE id = ?",
		&st, err);
	if (rc != ZL_OK)
		return rc;
	zl_stmt_bind_int64(st, 1, id);
	rc = zl_stmt_step(st, err);
	if (rc == ZL_DB_ROW) {
		read_attachment(st, meta);
		rc = ZL_OK;
		if (data != NULL) {
			size_t len = 0;
			const void *p = zl_stmt_column_blob(st, 8, &len);

			*data = malloc(len ? len : 1);
			if (*data == NULL) {
				rc = zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
			} else {
				if (len)
					memcpy(*data, p, len);
				if (n != NULL)
					*n = len;
			}
		}
	} else if (rc == ZL_DB_DONE) {
		rc = zl_error_set(err, ZL_ENOTFOUND, "id", "no attachment %lld", (long long)id);
	}
	zl_stmt_reset(st);
	return rc;
}
