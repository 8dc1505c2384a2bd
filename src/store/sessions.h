/*
 * sessions.h - login sessions (table `sessions`).
 *
 * The cookie carries a 256-bit random token; only its SHA-256 (64 hex) is
 * stored, so a stolen database does not yield live sessions.  A session
 * ends at its absolute expiry (expires_at), after `idle_seconds` without a
 * request, at logout, or when its user is disabled.  Times are Unix
 * seconds, passed in by the caller (no clock here).
 */
#ifndef ZL_STORE_SESSIONS_H
#define ZL_STORE_SESSIONS_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "db/db.h"
#include "domain/authz.h"

/* Default lifetimes (config keys session_absolute and session_idle override
 * them): a session ends 8 hours after login (the cookie's Max-Age) or after
 * 30 minutes without a request, whichever comes first. */
#define ZL_SESSION_ABSOLUTE_SECONDS (8 * 3600)
#define ZL_SESSION_IDLE_SECONDS (30 * 60)

/* last_seen is written at most this often (seconds), so most requests do no write. */
#define ZL_SESSION_TOUCH_SECONDS 60

/*
 * Store a session: `token_hash_hex` and `csrf_hex` are 64 hex digits;
 * `address` and `user_agent` may be NULL (stored as "", user agent cut to
 * 200 bytes).  ZL_ECONFLICT on a duplicate hash.
 */
int zl_store_session_create(struct zl_db *db, const char *token_hash_hex, const char *username,
			    const char *csrf_hex, int64_t now_unix, int64_t expires_unix,
			    const char *address, const char *user_agent, struct zl_error *err);

/*
 * The principal of a live session: kind USER, name, org, org_path, role,
 * perms = zl_role_perms(role), csrf.  ZL_EUNAUTH when the session is
 * missing, past expires_at, idle for more than `idle_seconds` (0: no idle
 * limit), its user disabled or its organization without a current row.
 * Updates last_seen when it is ZL_SESSION_TOUCH_SECONDS old or more.
 */
int zl_store_session_principal(struct zl_db *db, const char *token_hash_hex, int64_t now_unix,
			       int64_t idle_seconds, struct zl_principal *out,
			       struct zl_error *err);

/* Delete one session (no error when it does not exist). */
int zl_store_session_delete(struct zl_db *db, const char *token_hash_hex, struct zl_error *err);
/* Delete every session of `username`. */
int zl_store_session_delete_user(struct zl_db *db, const char *username, struct zl_error *err);
/*
 * Delete sessions past expires_at or idle longer than `idle_seconds` (0:
 * expiry only); `*deleted` (may be NULL) receives the count.
 */
int zl_store_session_purge(struct zl_db *db, int64_t now_unix, int64_t idle_seconds,
			   int64_t *deleted, struct zl_error *err);

#endif /* ZL_STORE_SESSIONS_H */
