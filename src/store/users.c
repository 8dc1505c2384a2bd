/*
 * users.c - user accounts (users.h).  The organization facts come from the
 * organization's current row (valid_to IS NULL) joined on the code.
 */
#include <string.h>

#include "core/buf.h"
#include "core/text.h"
#include "core/timeutil.h"
#include "store/query.h"
#include "store/sessions.h"
#include "store/users.h"

#define USER_COLS                                                                                  \
	"u.username, u.display_name, u.org, COALESCE(o.name, ''), COALESCE(o.kind, ''), "          \
	"COALESCE(o.path, ''), u.role, u.disabled, u.created_at, u.updated_at, "                   \
	"u.password_changed_at"
#define USER_FROM " FROM users u LEFT JOIN orgs o ON o.code = u.org AND o.valid_to IS NULL"

int zl_username_valid(const char *s, struct zl_error *err)
{
	size_t n = strlen(s);

	if (n < 3 || n > 32)
		return zl_error_set(
			err, ZL_EUNPROC, "username",
			"用户名须为 3-32 个字符 / username must have 3 to 32 characters");
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
		      c == '-'))
			return zl_error_set(
				err, ZL_EUNPROC, "username",
				"用户名只能包含小写字母、数字和 . _ - / username may contain"
				" only a-z, 0-9, '.', '_' and '-'");
	}
	/* The audit trail names the server's own acts (the lifecycle's timers) "system". */
	if (strcmp(s, "system") == 0)
		return zl_error_set(err, ZL_EUNPROC, "username",
				    "用户名 system 为系统保留 / the username system is reserved for the"
				    " server's own acts");
	return ZL_OK;
}

static void now_text(char out[32])
{
	zl_time_format_rfc3339(zl_now_us(), out);
}

static void read_user(struct zl_stmt *st, struct zl_user *u)
{
	memset(u, 0, sizeof(*u));
	zl_store_col_text(st, 0, u->username, sizeof(u->username));
	zl_store_col_text(st, 1, u->display_name, sizeof(u->display_name));
	zl_store_col_text(st, 2, u->org, sizeof(u->org));
	zl_store_col_text(st, 3, u->org_name, sizeof(u->org_name));
	zl_store_col_text(st, 4, u->org_kind, sizeof(u->org_kind));
	zl_store_col_text(st, 5, u->org_path, sizeof(u->org_path));
	zl_store_col_text(st, 6, u->role, sizeof(u->role));
	u->disabled = zl_stmt_column_int64(st, 7) != 0;
	zl_store_col_text(st, 8, u->created_at, sizeof(u->created_at));
	zl_store_col_text(st, 9, u->updated_at, sizeof(u->updated_at));
	zl_store_col_text(st, 10, u->password_changed_at, sizeof(u->password_changed_at));
}

/* ZL_OK when `org` has a current row, else ZL_EUNPROC naming field "org". */
static int check_org(struct zl_db *db, const char *org, struct zl_error *err)
{
	struct zl_stmt *st;
	int rc;

	rc = zl_db_prepare(db, "SELECT count(*) FROM orgs WHERE code = ? AND valid_to IS NULL", &st,
			   err);
	if (rc != ZL_OK)
		return rc;
	zl_stmt_bind_text(st, 1, org, -1);
	int64_t n = 0;
	rc = zl_stmt_step(st, err);
	if (rc == ZL_DB_ROW)
		n = zl_stmt_column_int64(st, 0);
	zl_stmt_reset(st);
	if (rc < 0)
		return rc;
	return n > 0 ? ZL_OK
		     : zl_error_set(err, ZL_EUNPROC, "org", "没有该机构 / no organization %s", org);
}

static int check_role(const char *role, struct zl_error *err)
{
	enum zl_role r;

	if (zl_role_parse(role, &r) != ZL_OK || r == ZL_ROLE_NONE)
		return zl_error_set(err, ZL_EUNPROC, "role", "没有该角色 / unknown role %s", role);
	return ZL_OK;
}

static int check_display_name(const char *s, struct zl_error *err)
{
	size_t n = strlen(s), chars = 0, i = 0;

	while (i < n) {
		size_t len = zl_utf8_decode(s + i, n - i, NULL);
		if (len == 0 || (unsigned char)s[i] < 0x20)
			return zl_error_set(err, ZL_EUNPROC, "display_name",
					    "display_name is not valid text");
		i += len;
		chars++;
	}
	if (chars > 64 || n >= ZL_DISPLAY_NAME_MAX)
		return zl_error_set(err, ZL_EUNPROC, "display_name",
				    "display_name has more than 64 characters");
	return ZL_OK;
}

int zl_store_user_create(struct zl_db *db, const char *username, const char *password_hash,
			 const char *org, const char *role, const char *display_name,
			 struct zl_error *err)
{
	struct zl_stmt *st;
	char now[32];
	int rc;

	if (display_name == NULL)
		display_name = "";
	if ((rc = zl_username_valid(username, err)) != ZL_OK ||
	    (rc = check_role(role, err)) != ZL_OK ||
	    (rc = check_display_name(display_name, err)) != ZL_OK ||
	    (rc = check_org(db, org, err)) != ZL_OK)
		return rc;
	rc = zl_db_prepare(db,
			   "INSERT INTO users (username, display_name, password_hash, org, role,"
			   " disabled, created_at, updated_at, password_changed_at)"
			   " VALUES (?, ?, ?, ?, ?, 0, ?, ?, ?)",
			   &st, err);
	if (rc != ZL_OK)
		return rc;
	now_text(now);
	zl_stmt_bind_text(st, 1, username, -1);
	zl_stmt_bind_text(st, 2, display_name, -1);
	zl_stmt_bind_text(st, 3, password_hash, -1);
	zl_stmt_bind_text(st, 4, org, -1);
	zl_stmt_bind_text(st, 5, role, -1);
	zl_stmt_bind_text(st, 6, now, -1);
	zl_stmt_bind_text(st, 7, now, -1);
	zl_stmt_bind_text(st, 8, now, -1);
	rc = zl_stmt_step(st, err);
	zl_stmt_reset(st);
	if (rc == ZL_ECONFLICT)
		return zl_error_set(err, ZL_ECONFLICT, "username",
				    "用户名已存在 / username %s is taken", username);
	return rc < 0 ? rc : ZL_OK;
}

int zl_store_user_get(struct zl_db *db, const char *username, struct zl_user *out,
		      struct zl_error *err)
{
	struct zl_stmt *st;
	int rc;

	rc = zl_db_prepare(
		db, "SELECT " USER_COLS ", u.password_hash" USER_FROM " WHERE u.username = ?", &st,
		err);
	if (rc != ZL_OK)
		return rc;
	zl_stmt_bind_text(st, 1, username, -1);
	rc = zl_stmt_step(st, err);
	if (rc == ZL_DB_ROW) {
		read_user(st, out);
		zl_store_col_text(st, 11, out->password_hash, sizeof(out->password_hash));
		rc = ZL_OK;
	} else if (rc == ZL_DB_DONE) {
		rc = zl_error_set(err, ZL_ENOTFOUND, "username", "no user %s", username);
	}
	zl_stmt_reset(st);
	return rc;
}

int zl_store_user_org_path(struct zl_db *db, const char *username, char *path, size_t n,
			   struct zl_error *err)
{
	int rc = zl_store_text_by_key(db,
				      "SELECT o.path FROM users u JOIN orgs o ON o.code = u.org"
				      " AND o.valid_to IS NULL WHERE u.username = ?",
				      username, path, n, err);

	if (rc == ZL_ENOTFOUND)
		rc = zl_error_set(err, ZL_ENOTFOUND, "username", "no user %s", username);
	return rc;
}

/* LIKE pattern: optional '%' + s with % _ \ escaped + '%'. */
static int like_pattern(struct zl_buf *b, const char *s, int leading)
{
	if (leading)
		zl_buf_addch(b, '%');
	for (; *s; s++) {
		if (*s == '%' || *s == '_' || *s == '\\')
			zl_buf_addch(b, '\\');
		zl_buf_addch(b, *s);
	}
	return zl_buf_addch(b, '%');
}

/*
 * One WHERE clause for the page and the count: every optional filter is a
 * parameter that disables itself when empty/negative, so the SQL text is
 * fixed (cached, no string building from request values).
 */
#define USER_WHERE                                                                                 \
	" WHERE o.path LIKE ? ESCAPE '\\'"                                                         \
	" AND (CAST(? AS TEXT) = '' OR o.path LIKE ? ESCAPE '\\')"                                 \
	" AND (CAST(? AS TEXT) = '' OR u.role = ?)"                                                \
	" AND (CAST(? AS TEXT) = '' OR lower(u.username) LIKE lower(?) ESCAPE '\\'"                \
	"      OR lower(u.display_name) LIKE lower(?) ESCAPE '\\')"                                \
	" AND (CAST(? AS BIGINT) < 0 OR u.disabled = ?)"

/* Bind the USER_WHERE parameters (1..10). */
static int bind_filter(struct zl_db *db, struct zl_stmt *st, const struct zl_user_filter *f,
		       struct zl_error *err)
{
	struct zl_buf scope = ZL_BUF_INIT(1024), orgp = ZL_BUF_INIT(1024), q = ZL_BUF_INIT(1024);
	const char *org = f->org ? f->org : "", *role = f->role ? f->role : "";
	const char *qs = f->q ? f->q : "";
	char path[ZL_ORG_PATH_MAX] = "";
	int rc = ZL_OK;

	(void)db;
	like_pattern(&scope, f->org_path, 0);
	if (*org) {
		/* The subtree of the org code: its current path as a prefix.
		 * An unknown code matches nothing ("" never equals a path). */
		struct zl_stmt *ps;
		rc = zl_db_prepare(db, "SELECT path FROM orgs WHERE code = ? AND valid_to IS NULL",
				   &ps, err);
		if (rc != ZL_OK)
			goto out;
		zl_stmt_bind_text(ps, 1, org, -1);
		rc = zl_stmt_step(ps, err);
		if (rc == ZL_DB_ROW)
			zl_strlcpy(path, zl_stmt_column_text(ps, 0), sizeof(path));
		zl_stmt_reset(ps);
		if (rc < 0)
			goto out;
		rc = ZL_OK;
		if (*path)
			like_pattern(&orgp, path, 0);
		else
			zl_buf_adds(&orgp, "-");
	}
	if (*qs)
		like_pattern(&q, qs, 1);
	if (scope.err || orgp.err || q.err) {
		rc = zl_error_set(err, ZL_ETOOBIG, "q", "filter too long");
		goto out;
	}
	zl_stmt_bind_text(st, 1, zl_buf_str(&scope), -1);
	zl_stmt_bind_text(st, 2, org, -1);
	zl_stmt_bind_text(st, 3, zl_buf_str(&orgp), -1);
	zl_stmt_bind_text(st, 4, role, -1);
	zl_stmt_bind_text(st, 5, role, -1);
	zl_stmt_bind_text(st, 6, qs, -1);
	zl_stmt_bind_text(st, 7, zl_buf_str(&q), -1);
	zl_stmt_bind_text(st, 8, zl_buf_str(&q), -1);
	zl_stmt_bind_int64(st, 9, f->disabled);
	zl_stmt_bind_int64(st, 10, f->disabled);
out:
	zl_buf_release(&scope);
	zl_buf_release(&orgp);
	zl_buf_release(&q);
	return rc;
}

int zl_store_user_list(struct zl_db *db, const struct zl_user_filter *f, zl_user_row_fn *fn,
		       void *cls, int64_t *total, struct zl_error *err)
{
	struct zl_stmt *st;
	struct zl_user u;
	int rc;

	if (total != NULL) {
		rc = zl_db_prepare(db, "SELECT count(*)" USER_FROM USER_WHERE, &st, err);
		if (rc != ZL_OK)
			return rc;
		rc = bind_filter(db, st, f, err);
		if (rc == ZL_OK) {
			rc = zl_stmt_step(st, err);
			if (rc == ZL_DB_ROW)
				*total = zl_stmt_column_int64(st, 0);
			rc = rc < 0 ? rc : ZL_OK;
		}
		zl_stmt_reset(st);
		if (rc != ZL_OK)
			return rc;
	}
	if (fn == NULL)
		return ZL_OK;
	rc = zl_db_prepare(db,
			   "SELECT " USER_COLS USER_FROM USER_WHERE
			   " AND u.username > ? ORDER BY u.username LIMIT ?",
			   &st, err);
	if (rc != ZL_OK)
		return rc;
	rc = bind_filter(db, st, f, err);
	if (rc != ZL_OK)
		goto out;
	zl_stmt_bind_text(st, 11, f->after ? f->after : "", -1);
	zl_stmt_bind_int64(st, 12, f->limit > 0 ? f->limit : INT64_MAX);
	while ((rc = zl_stmt_step(st, err)) == ZL_DB_ROW) {
		read_user(st, &u);
		rc = fn(cls, &u);
		if (rc != ZL_OK)
			goto out;
	}
	rc = rc < 0 ? rc : ZL_OK;
out:
	zl_stmt_reset(st);
	return rc;
}

/* Run an UPDATE users SET <col> = ?, updated_at = ? WHERE username = ? for one text column. */
static int set_text(struct zl_db *db, const char *sql, const char *username, const char *value,
		    const char *now, struct zl_error *err)
{
	struct zl_stmt *st;
	int rc;

	rc = zl_db_prepare(db, sql, &st, err);
	if (rc != ZL_OK)
		return rc;
	zl_stmt_bind_text(st, 1, value, -1);
	zl_stmt_bind_text(st, 2, now, -1);
	zl_stmt_bind_text(st, 3, username, -1);
	rc = zl_stmt_step(st, err);
	zl_stmt_reset(st);
	return rc < 0 ? rc : ZL_OK;
}

int zl_store_user_update(struct zl_db *db, const char *username, const struct zl_user_update *u,
			 struct zl_error *err)
{
	struct zl_user cur;
	char now[32];
	int rc;

	rc = zl_store_user_get(db, username, &cur, err);
	if (rc != ZL_OK)
		return rc;
	if ((u->role && (rc = check_role(u->role, err)) != ZL_OK) ||
	    (u->org && (rc = check_org(db, u->org, err)) != ZL_OK) ||
	    (u->display_name && (rc = check_display_name(u->display_name, err)) != ZL_OK))
		return rc;
	now_text(now);
	if (u->display_name &&
	    (rc = set_text(db,
			   "UPDATE users SET display_name = ?, updated_at = ? WHERE username = ?",
			   username, u->display_name, now, err)) != ZL_OK)
		return rc;
	if (u->role &&
	    (rc = set_text(db, "UPDATE users SET role = ?, updated_at = ? WHERE username = ?",
			   username, u->role, now, err)) != ZL_OK)
		return rc;
	if (u->org &&
	    (rc = set_text(db, "UPDATE users SET org = ?, updated_at = ? WHERE username = ?",
			   username, u->org, now, err)) != ZL_OK)
		return rc;
	if (u->password_hash) {
		struct zl_stmt *st;
		rc = zl_db_prepare(db,
				   "UPDATE users SET password_hash = ?, updated_at = ?,"
				   " password_changed_at = ? WHERE username = ?",
				   &st, err);
		if (rc != ZL_OK)
			return rc;
		zl_stmt_bind_text(st, 1, u->password_hash, -1);
		zl_stmt_bind_text(st, 2, now, -1);
		zl_stmt_bind_text(st, 3, now, -1);
		zl_stmt_bind_text(st, 4, username, -1);
		rc = zl_stmt_step(st, err);
		zl_stmt_reset(st);
		if (rc < 0)
			return rc;
	}
	if (u->disabled >= 0) {
		struct zl_stmt *st;
		rc = zl_db_prepare(
			db, "UPDATE users SET disabled = ?, updated_at = ? WHERE username = ?", &st,
			err);
		if (rc != ZL_OK)
			return rc;
		zl_stmt_bind_int64(st, 1, u->disabled ? 1 : 0);
		zl_stmt_bind_text(st, 2, now, -1);
		zl_stmt_bind_text(st, 3, username, -1);
		rc = zl_stmt_step(st, err);
		zl_stmt_reset(st);
		if (rc < 0)
			return rc;
		if (u->disabled)
			return zl_store_session_delete_user(db, username, err);
	}
	return ZL_OK;
}

int zl_store_user_disable(struct zl_db *db, const char *username, struct zl_error *err)
{
	struct zl_user_update u = {NULL, NULL, NULL, 1, NULL};

	return zl_store_user_update(db, username, &u, err);
}
