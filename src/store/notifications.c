/*
 * notifications.c - per-user notifications (notifications.h): writing one
 * or one per account of an organization, listing, marking read.
 */
#include "store/notifications.h"

#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/timeutil.h"
#include "store/query.h"

#define COLS "id, kind, plan_id, task_id, report_id, message, created_at, read_at"

static void bind_id(struct zl_stmt *st, int i, int64_t id)
{
	if (id > 0)
		zl_stmt_bind_int64(st, i, id);
	else
		zl_stmt_bind_null(st, i);
}

/* Cut a message to the column's documented size on a character boundary. */
static void cut_message(const char *in, char out[ZL_NOTE_MESSAGE_MAX])
{
	size_t n = strlen(in);

	if (n >= ZL_NOTE_MESSAGE_MAX) {
		n = ZL_NOTE_MESSAGE_MAX - 1;
		while (n > 0 && ((unsigned char)in[n] & 0xC0) == 0x80)
			n--;
	}
	memcpy(out, in, n);
	out[n] = '\0';
}

int zl_store_notify_user(struct zl_db *db, const char *username, const struct zl_note_in *n,
			 struct zl_error *err)
{
	char now[32], msg[ZL_NOTE_MESSAGE_MAX];
	struct zl_stmt *st;
	int rc;

	if (n->now == NULL || *n->now == '\0')
		zl_time_format_rfc3339(zl_now_us(), now);
	else
		zl_strlcpy(now, n->now, sizeof(now));
	cut_message(n->message ? n->message : "", msg);
	rc = zl_db_prepare(db,
			   "INSERT INTO notifications (username, kind, plan_id, task_id, report_id,"
			   " message, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
			   &st, err);
	if (rc != ZL_OK)
		return rc;
	zl_stmt_bind_text(st, 1, username, -1);
	zl_stmt_bind_text(st, 2, n->kind, -1);
	bind_id(st, 3, n->plan_id);
	bind_id(st, 4, n->task_id);
	bind_id(st, 5, n->report_id);
	zl_stmt_bind_text(st, 6, msg, -1);
	zl_stmt_bind_text(st, 7, now, -1);
	rc = zl_stmt_step(st, err);
	zl_stmt_reset(st);
	return rc < 0 ? rc : ZL_OK;
}

int zl_store_notify_org(struct zl_db *db, const char *org, enum zl_perm need, const char *skip_user,
			const struct zl_note_in *n, int64_t *sent, struct zl_error *err)
{
	struct zl_stmt *st;
	int rc, wr = ZL_OK;

	if (org == NULL || *org == '\0')
		return ZL_OK;
	rc = zl_db_prepare(db,
			   "SELECT username, role FROM users WHERE org = ? AND disabled = 0"
			   " ORDER BY username",
			   &st, err);
	if (rc != ZL_OK)
		return rc;
	zl_stmt_bind_text(st, 1, org, -1);
	/* Writing while the accounts are read: another statement, another table. */
	while ((rc = zl_stmt_step(st, err)) == ZL_DB_ROW) {
		const char *user = zl_stmt_column_text(st, 0);
		enum zl_role role;

		if (zl_role_parse(zl_stmt_column_text(st, 1), &role) != ZL_OK ||
		    !(zl_role_perms(role) & ZL_PERMBIT(need)) ||
		    (skip_user != NULL && strcmp(user, skip_user) == 0))
			continue;
		wr = zl_store_notify_user(db, user, n, err);
		if (wr != ZL_OK)
			break;
		if (sent != NULL)
			(*sent)++;
	}
	zl_stmt_reset(st);
	if (wr != ZL_OK)
		return wr;
	return rc < 0 ? rc : ZL_OK;
}

int zl_store_notifications(struct zl_db *db, const char *username, int unread_only, int64_t before,
			   long limit, zl_note_fn *fn, void *cls, int64_t *total, int64_t *unread,
			   struct zl_error *err)
{
	struct zl_note *n = NULL;
	struct zl_stmt *st;
	int rc, cb = 0;

	if (total != NULL) {
		rc = zl_store_int_by_key(
			db,
			unread_only ? "SELECT count(*) FROM notifications WHERE username = ?"
				      " AND read_at = ''"
				    : "SELECT count(*) FROM notifications WHERE username = ?",
			username, total, err);
		if (rc != ZL_OK)
			return rc;
	}
	if (unread != NULL) {
		rc = zl_store_int_by_key(db,
					 "SELECT count(*) FROM notifications WHERE username = ?"
					 " AND read_at = ''",
					 username, unread, err);
		if (rc != ZL_OK)
			return rc;
	}
	if (fn == NULL)
		return ZL_OK;
	n = calloc(1, sizeof(*n));
	if (n == NULL)
		return zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
	rc = zl_db_prepare(db,
			   unread_only ? "SELECT " COLS " FROM notifications WHERE username = ?"
					 " AND id < ? AND read_at = '' ORDER BY id DESC LIMIT ?"
				       : "SELECT " COLS " FROM notifications WHERE username = ?"
					 " AND id < ? ORDER BY id DESC LIMIT ?",
			   &st, err);
	if (rc != ZL_OK)
		goto out;
	zl_stmt_bind_text(st, 1, username, -1);
	zl_stmt_bind_int64(st, 2, before > 0 ? before : INT64_MAX);
	zl_stmt_bind_int64(st, 3, limit > 0 ? limit : INT64_MAX);
	while ((rc = zl_stmt_step(st, err)) == ZL_DB_ROW) {
		memset(n, 0, sizeof(*n));
		n->id = zl_stmt_column_int64(st, 0);
		zl_store_col_text(st, 1, n->kind, sizeof(n->kind));
		n->plan_id = zl_stmt_column_int64(st, 2);
		n->task_id = zl_stmt_column_int64(st, 3);
		n->report_id = zl_stmt_column_int64(st, 4);
		zl_store_col_text(st, 5, n->message, sizeof(n->message));
		zl_store_col_text(st, 6, n->created_at, sizeof(n->created_at));
		zl_store_col_text(st, 7, n->read_at, sizeof(n->read_at));
		cb = fn(cls, n);
		if (cb != 0)
			break;
	}
	zl_stmt_reset(st);
	if (cb != 0)
		rc = cb;
	else if (rc >= 0)
		rc = ZL_OK;
out:
	free(n);
	return rc;
}

int zl_store_notifications_read(struct zl_db *db, const char *username, const int64_t *ids,
				size_t n, int all, const char *now, int64_t *changed,
				struct zl_error *err)
{
	char at[32];
	struct zl_stmt *st;
	int rc = ZL_OK;

	if (changed != NULL)
		*changed = 0;
	if (now == NULL || *now == '\0')
		zl_time_format_rfc3339(zl_now_us(), at);
	else
		zl_strlcpy(at, now, sizeof(at));
	if (all) {
		rc = zl_db_prepare(db,
				   "UPDATE notifications SET read_at = ? WHERE username = ?"
				   " AND read_at = ''",
				   &st, err);
		if (rc != ZL_OK)
			return rc;
		zl_stmt_bind_text(st, 1, at, -1);
		zl_stmt_bind_text(st, 2, username, -1);
		rc = zl_stmt_step(st, err);
		if (rc >= 0 && changed != NULL)
			*changed = zl_stmt_changes(st);
		zl_stmt_reset(st);
		return rc < 0 ? rc : ZL_OK;
	}
	rc = zl_db_prepare(db,
			   "UPDATE notifications SET read_at = ? WHERE username = ? AND id = ?"
			   " AND read_at = ''",
			   &st, err);
	if (rc != ZL_OK)
		return rc;
	for (size_t i = 0; i < n; i++) {
		zl_stmt_bind_text(st, 1, at, -1);
		zl_stmt_bind_text(st, 2, username, -1);
		zl_stmt_bind_int64(st, 3, ids[i]);
		rc = zl_stmt_step(st, err);
		if (rc >= 0 && changed != NULL)
			*changed += zl_stmt_changes(st);
		zl_stmt_reset(st);
		if (rc < 0)
			return rc;
	}
	return ZL_OK;
}
