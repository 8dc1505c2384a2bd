/*
 * tokens.c - API tokens (tokens.h).
 */
#include <string.h>

#include "core/buf.h"
#include "core/timeutil.h"
#include "store/query.h"
#include "store/sessions.h"
#include "store/tokens.h"

#define TOKEN_COLS                                                                                 \
	"t.id, t.name, t.org, COALESCE(o.path, ''), t.perms, t.created_by, t.created_at,"          \
	" COALESCE(t.expires_at, 0), COALESCE(t.revoked_at, ''), COALESCE(t.last_used_at, '')"
#define TOKEN_FROM " FROM api_tokens t LEFT JOIN orgs o ON o.code = t.org AND o.valid_to IS NULL"

/*
 * Returns ZL_ETOOBIG when the organization path does not fit: a cut path
 * would name an ancestor and widen the token's reach, so such a token is
 * refused rather than read short.
 */
static int read_token(struct zl_stmt *st, struct zl_token *t)
{
	memset(t, 0, sizeof(*t));
	zl_strlcpy(t->id, zl_stmt_column_text(st, 0), sizeof(t->id));
	zl_strlcpy(t->name, zl_stmt_column_text(st, 1), sizeof(t->name));
	zl_strlcpy(t->org, zl_stmt_column_text(st, 2), sizeof(t->org));
	zl_strlcpy(t->perms, zl_stmt_column_text(st, 4), sizeof(t->perms));
	zl_strlcpy(t->created_by, zl_stmt_column_text(st, 5), sizeof(t->created_by));
	zl_strlcpy(t->created_at, zl_stmt_column_text(st, 6), sizeof(t->created_at));
	t->expires_at = zl_stmt_column_int64(st, 7);
	zl_strlcpy(t->revoked_at, zl_stmt_column_text(st, 8), sizeof(t->revoked_at));
	zl_strlcpy(t->last_used_at, zl_stmt_column_text(st, 9), sizeof(t->last_used_at));
	return zl_store_copy_exact(t->org_path, sizeof(t->org_path), zl_stmt_column_text(st, 3),
				   "org_path", NULL);
}

int zl_store_token_create(struct zl_db *db, const char *id, const char *token_hash_hex,
			  const char *name, const char *org, const char *perms,
			  const char *created_by, int64_t expires_at, struct zl_error *err)
{
	struct zl_stmt *st;
	char now[32];
	int64_t n = 0;
	int rc;

	if (name == NULL || *name == '\0' || strlen(name) > 100)
		return zl_error_set(err, ZL_EUNPROC, "name", "name must have 1 to 100 bytes");
	rc = zl_db_prepare(db, "SELECT count(*) FROM orgs WHERE code = ? AND valid_to IS NULL", &st,
			   err);
	if (rc != ZL_OK)
		return rc;
	zl_stmt_bind_text(st, 1, org, -1);
	rc = zl_stmt_step(st, err);
	if (rc == ZL_DB_ROW)
		n = zl_stmt_column_int64(st, 0);
	zl_stmt_reset(st);
	if (rc < 0)
		return rc;
	if (n == 0)
		return zl_error_set(err, ZL_EUNPROC, "org", "没有该机构 / no organization %s", org);
	rc = zl_db_prepare(db,
			   "INSERT INTO api_tokens (id, token_hash, name, org, perms, created_by,"
			   " created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
			   &st, err);
	if (rc != ZL_OK)
		return rc;
	zl_time_format_rfc3339(zl_now_us(), now);
	zl_stmt_bind_text(st, 1, id, -1);
	zl_stmt_bind_text(st, 2, token_hash_hex, -1);
	zl_stmt_bind_text(st, 3, name, -1);
	zl_stmt_bind_text(st, 4, org, -1);
	zl_stmt_bind_text(st, 5, perms, -1);
	zl_stmt_bind_text(st, 6, created_by, -1);
	zl_stmt_bind_text(st, 7, now, -1);
	if (expires_at > 0)
		zl_stmt_bind_int64(st, 8, expires_at);
	else
		zl_stmt_bind_null(st, 8);
	rc = zl_stmt_step(st, err);
	zl_stmt_reset(st);
	return rc < 0 ? rc : ZL_OK;
}

int zl_store_token_get(struct zl_db *db, const char *id, struct zl_token *out, struct zl_error *err)
{
	struct zl_stmt *st;
	int rc;

	rc = zl_db_prepare(db, "SELECT " TOKEN_COLS TOKEN_FROM " WHERE t.id = ?", &st, err);
	if (rc != ZL_OK)
		return rc;
	zl_stmt_bind_text(st, 1, id, -1);
	rc = zl_stmt_step(st, err);
	if (rc == ZL_DB_ROW) {
		read_token(st, out);
		rc = ZL_OK;
	} else if (rc == ZL_DB_DONE) {
		rc = zl_error_set(err, ZL_ENOTFOUND, "id", "no token %s", id);
	}
	zl_stmt_reset(st);
	return rc;
}

/* org_path as a LIKE prefix pattern. */
static int prefix_pattern(const char *path, char *out, size_t n, struct zl_error *err)
{
	struct zl_buf b = ZL_BUF_INIT(n - 1);
	int rc = ZL_OK;

	for (const char *p = path; *p; p++) {
		if (*p == '%' || *p == '_' || *p == '\\')
			zl_buf_addch(&b, '\\');
		zl_buf_addch(&b, *p);
	}
	zl_buf_addch(&b, '%');
	if (b.err)
		rc = zl_error_set(err, ZL_ETOOBIG, "org", "organization path too long");
	else
		zl_strlcpy(out, zl_buf_str(&b), n);
	zl_buf_release(&b);
	return rc;
}

int zl_store_token_list(struct zl_db *db, const char *org_path, const char *after, int limit,
			zl_token_row_fn *fn, void *cls, int64_t *total, struct zl_error *err)
{
	char pat[2 * ZL_ORG_PATH_MAX + 2];
	struct zl_stmt *st;
	struct zl_token t;
	int rc;

	rc = prefix_pattern(org_path, pat, sizeof(pat), err);
	if (rc != ZL_OK)
		return rc;
	if (total != NULL) {
		rc = zl_db_prepare(db,
				   "SELECT count(*)" TOKEN_FROM " WHERE o.path LIKE ? ESCAPE '\\'",
				   &st, err);
		if (rc != ZL_OK)
			return rc;
		zl_stmt_bind_text(st, 1, pat, -1);
		rc = zl_stmt_step(st, err);
		if (rc == ZL_DB_ROW)
			*total = zl_stmt_column_int64(st, 0);
		zl_stmt_reset(st);
		if (rc < 0)
			return rc;
	}
	if (fn == NULL)
		return ZL_OK;
	rc = zl_db_prepare(db,
			   "SELECT " TOKEN_COLS TOKEN_FROM " WHERE o.path LIKE ? ESCAPE '\\'"
			   " AND t.id > ? ORDER BY t.id LIMIT ?",
			   &st, err);
	if (rc != ZL_OK)
		return rc;
	zl_stmt_bind_text(st, 1, pat, -1);
	zl_stmt_bind_text(st, 2, after ? after : "", -1);
	zl_stmt_bind_int64(st, 3, limit > 0 ? limit : INT64_MAX);
	while ((rc = zl_stmt_step(st, err)) == ZL_DB_ROW) {
		read_token(st, &t);
		rc = fn(cls, &t);
		if (rc != ZL_OK)
			break;
	}
	zl_stmt_reset(st);
	return rc < 0 ? rc : ZL_OK;
}

int zl_store_token_revoke(struct zl_db *db, const char *id, struct zl_error *err)
{
	struct zl_stmt *st;
	char now[32];
	int64_t n = 0;
	int rc;

	rc = zl_db_prepare(
		db, "UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", &st,
		err);
	if (rc != ZL_OK)
		return rc;
	zl_time_format_rfc3339(zl_now_us(), now);
	zl_stmt_bind_text(st, 1, now, -1);
	zl_stmt_bind_text(st, 2, id, -1);
	rc = zl_stmt_step(st, err);
	if (rc >= 0)
		n = zl_stmt_changes(st);
	zl_stmt_reset(st);
	if (rc < 0)
		return rc;
	return n > 0 ? ZL_OK : zl_error_set(err, ZL_ENOTFOUND, "id", "no active token %s", id);
}

int zl_store_token_principal(struct zl_db *db, const char *token_hash_hex, int64_t now_unix,
			     struct zl_principal *out, struct zl_error *err)
{
	struct zl_stmt *st;
	struct zl_token t;
	zl_permset perms = 0;
	int rc, found;

	zl_principal_anonymous(out);
	rc = zl_db_prepare(db, "SELECT " TOKEN_COLS TOKEN_FROM " WHERE t.token_hash = ?", &st, err);
	if (rc != ZL_OK)
		return rc;
	zl_stmt_bind_text(st, 1, token_hash_hex, -1);
	rc = zl_stmt_step(st, err);
	found = rc == ZL_DB_ROW && read_token(st, &t) == ZL_OK;
	zl_stmt_reset(st);
	if (rc < 0)
		return rc;
	if (!found || t.revoked_at[0] != '\0' || (t.expires_at > 0 && now_unix >= t.expires_at) ||
	    t.org_path[0] == '\0' || zl_permset_parse(t.perms, &perms, NULL) != ZL_OK)
		return zl_error_set(err, ZL_EUNAUTH, NULL, "API token unknown, revoked or expired");
	/* Record the use, at most once a minute (like a session's last_seen). */
	{
		char now[32], stale[32];

		zl_time_format_rfc3339(now_unix * 1000000, now);
		zl_time_format_rfc3339((now_unix - ZL_SESSION_TOUCH_SECONDS) * 1000000, stale);
		if (t.last_used_at[0] == '\0' || strcmp(t.last_used_at, stale) <= 0) {
			rc = zl_db_prepare(db, "UPDATE api_tokens SET last_used_at = ? WHERE id = ?",
					   &st, err);
			if (rc != ZL_OK)
				return rc;
			zl_stmt_bind_text(st, 1, now, -1);
			zl_stmt_bind_text(st, 2, t.id, -1);
			rc = zl_stmt_step(st, err);
			zl_stmt_reset(st);
			if (rc < 0)
				return rc;
		}
	}
	out->kind = ZL_PRINCIPAL_TOKEN;
	zl_strlcpy(out->name, t.id, sizeof(out->name));
	zl_strlcpy(out->org, t.org, sizeof(out->org));
	zl_strlcpy(out->org_path, t.org_path, sizeof(out->org_path));
	out->role = ZL_ROLE_NONE;
	out->perms = perms | ZL_PERMBIT(ZL_PERM_PUBLIC) | ZL_PERMBIT(ZL_PERM_AUTHENTICATED);
	out->csrf[0] = '\0';
	return ZL_OK;
}

int zl_store_token_org_path(struct zl_db *db, const char *id, char *path, size_t n,
			    struct zl_error *err)
{
	int rc =
		zl_store_text_by_key(db,
				     "SELECT o.path FROM api_tokens t JOIN orgs o ON o.code = t.org"
				     " AND o.valid_to IS NULL WHERE t.id = ?",
				     id, path, n, err);

	if (rc == ZL_ENOTFOUND)
		rc = zl_error_set(err, ZL_ENOTFOUND, "id", "no token %s", id);
	return rc;
}
