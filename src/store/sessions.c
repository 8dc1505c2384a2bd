/*
 * sessions.c - login sessions (sessions.h).
 */
#include <string.h>

#include "core/buf.h"
#include "store/sessions.h"

int zl_store_session_create(struct zl_db *db, const char *token_hash_hex, const char *username,
			    const char *csrf_hex, int64_t now_unix, int64_t expires_unix,
			    const char *address, const char *user_agent, struct zl_error *err)
{
	struct zl_stmt *st;
	size_t ua_len = user_agent ? strlen(user_agent) : 0;
	int rc;

	rc = zl_db_prepare(db,
			   "INSERT INTO sessions (token_hash, username, csrf_token, created_at,"
			   " last_seen, expires_at, address, user_agent)"
			   " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
			   &st, err);
	if (rc != ZL_OK)
		return rc;
	/* Cut the user agent on a UTF-8 boundary. */
	if (ua_len > 200) {
		ua_len = 200;
		while (ua_len > 0 && ((unsigned char)user_agent[ua_len] & 0xC0) == 0x80)
			ua_len--;
	}
	zl_stmt_bind_text(st, 1, token_hash_hex, -1);
	zl_stmt_bind_text(st, 2, username, -1);
	zl_stmt_bind_text(st, 3, csrf_hex, -1);
	zl_stmt_bind_int64(st, 4, now_unix);
	zl_stmt_bind_int64(st, 5, now_unix);
	zl_stmt_bind_int64(st, 6, expires_unix);
	zl_stmt_bind_text(st, 7, address ? address : "", -1);
	zl_stmt_bind_text(st, 8, user_agent ? user_agent : "", (long)ua_len);
	rc = zl_stmt_step(st, err);
	zl_stmt_reset(st);
	return rc < 0 ? rc : ZL_OK;
}

static int unauth(struct zl_error *err)
{
	return zl_error_set(err, ZL_EUNAUTH, NULL, "session expired or not signed in");
}

int zl_store_session_principal(struct zl_db *db, const char *token_hash_hex, int64_t now_unix,
			       int64_t idle_seconds, struct zl_principal *out, struct zl_error *err)
{
	struct zl_stmt *st;
	int64_t last_seen, expires_at;
	enum zl_role role;
	int rc, live;

	zl_principal_anonymous(out);
	rc = zl_db_prepare(db,
			   "SELECT s.username, s.csrf_token, s.last_seen, s.expires_at, u.org,"
			   " u.role, u.disabled, COALESCE(o.path, '')"
			   " FROM sessions s JOIN users u ON u.username = s.username"
			   " LEFT JOIN orgs o ON o.code = u.org AND o.valid_to IS NULL"
			   " WHERE s.token_hash = ?",
			   &st, err);
	if (rc != ZL_OK)
		return rc;
	zl_stmt_bind_text(st, 1, token_hash_hex, -1);
	rc = zl_stmt_step(st, err);
	if (rc != ZL_DB_ROW) {
		zl_stmt_reset(st);
		return rc < 0 ? rc : unauth(err);
	}
	last_seen = zl_stmt_column_int64(st, 2);
	expires_at = zl_stmt_column_int64(st, 3);
	live = now_unix < expires_at &&
	       (idle_seconds <= 0 || now_unix - last_seen <= idle_seconds) &&
	       zl_stmt_column_int64(st, 6) == 0 && *zl_stmt_column_text(st, 7) != '\0' &&
	       /* never a cut path: it would be an ancestor's, a wider subtree */
	       strlen(zl_stmt_column_text(st, 7)) < sizeof(out->org_path) &&
	       zl_role_parse(zl_stmt_column_text(st, 5), &role) == ZL_OK && role != ZL_ROLE_NONE;
	if (live) {
		out->kind = ZL_PRINCIPAL_USER;
		zl_strlcpy(out->name, zl_stmt_column_text(st, 0), sizeof(out->name));
		zl_strlcpy(out->csrf, zl_stmt_column_text(st, 1), sizeof(out->csrf));
		zl_strlcpy(out->org, zl_stmt_column_text(st, 4), sizeof(out->org));
		zl_strlcpy(out->org_path, zl_stmt_column_text(st, 7), sizeof(out->org_path));
		out->role = role;
		out->perms = zl_role_perms(role);
	}
	zl_stmt_reset(st);
	if (!live)
		return unauth(err);
	if (now_unix - last_seen >= ZL_SESSION_TOUCH_SECONDS) {
		rc = zl_db_prepare(db, "UPDATE sessions SET last_seen = ? WHERE token_hash = ?",
				   &st, err);
		if (rc != ZL_OK)
			goto fail;
		zl_stmt_bind_int64(st, 1, now_unix);
		zl_stmt_bind_text(st, 2, token_hash_hex, -1);
		rc = zl_stmt_step(st, err);
		zl_stmt_reset(st);
		if (rc < 0)
			goto fail;
	}
	return ZL_OK;
fail:
	zl_principal_anonymous(out);
	return rc;
}

static int delete_by(struct zl_db *db, const char *sql, const char *value, struct zl_error *err)
{
	struct zl_stmt *st;
	int rc;

	rc = zl_db_prepare(db, sql, &st, err);
	if (rc != ZL_OK)
		return rc;
	zl_stmt_bind_text(st, 1, value, -1);
	rc = zl_stmt_step(st, err);
	zl_stmt_reset(st);
	return rc < 0 ? rc : ZL_OK;
}

int zl_store_session_delete(struct zl_db *db, const char *token_hash_hex, struct zl_error *err)
{
	return delete_by(db, "DELETE FROM sessions WHERE token_hash = ?", token_hash_hex, err);
}

int zl_store_session_delete_user(struct zl_db *db, const char *username, struct zl_error *err)
{
	return delete_by(db, "DELETE FROM sessions WHERE username = ?", username, err);
}

int zl_store_session_purge(struct zl_db *db, int64_t now_unix, int64_t idle_seconds,
			   int64_t *deleted, struct zl_error *err)
{
	struct zl_stmt *st;
	int rc;

	rc = zl_db_prepare(db, "DELETE FROM sessions WHERE expires_at <= ? OR last_seen < ?", &st,
			   err);
	if (rc != ZL_OK)
		return rc;
	zl_stmt_bind_int64(st, 1, now_unix);
	zl_stmt_bind_int64(st, 2, idle_seconds > 0 ? now_unix - idle_seconds : INT64_MIN);
	rc = zl_stmt_step(st, err);
	if (rc >= 0 && deleted != NULL)
		*deleted = zl_stmt_changes(st);
	zl_stmt_reset(st);
	return rc < 0 ? rc : ZL_OK;
}
