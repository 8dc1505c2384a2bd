/*
 * logins.h - failed-login counting and lock-out (table `login_failures`).
 *
 * Keys are "u:USERNAME" and "a:ADDRESS".  Failures are counted in a window
 * of ZL_LOGIN_WINDOW seconds from the first failure; the ZL_LOGIN_USER_MAX-th
 * failure for a user (ZL_LOGIN_ADDR_MAX-th for an address) within the
 * window locks that key for ZL_LOGIN_LOCK seconds.  While locked, a login
 * is refused without checking the password (the HTTP answer is the same
 * 401 as for a wrong password; only the audit row says "locked").  A
 * successful login clears the user's key (not the address's).  The counts
 * live in the database so every server process agrees.  Times are Unix
 * seconds from the caller.
 */
#ifndef ZL_STORE_LOGINS_H
#define ZL_STORE_LOGINS_H

#include <stdint.h>

#include "core/err.h"
#include "db/db.h"

#define ZL_LOGIN_USER_MAX 5
#define ZL_LOGIN_ADDR_MAX 20
#define ZL_LOGIN_WINDOW 900
#define ZL_LOGIN_LOCK 900

/* *locked = 1 when `key` is locked at `now`. */
int zl_store_login_locked(struct zl_db *db, const char *key, int64_t now, int *locked,
			  struct zl_error *err);

/*
 * Count one failure for `key`; `max` failures within `window` seconds lock
 * it for `lock` seconds.  *locked (may be NULL) = 1 when the key is locked
 * after this failure.
 */
int zl_store_login_failure(struct zl_db *db, const char *key, int64_t now, int max, int64_t window,
			   int64_t lock, int *locked, struct zl_error *err);

/* Forget the failures of `key`. */
int zl_store_login_clear(struct zl_db *db, const char *key, struct zl_error *err);

/*
 * The login flow's three steps with the policy above, for user `username`
 * from `address` (either may be "" to skip that key):
 *   check:   *locked = 1 when the user or the address is locked;
 *   failed:  count a failure for both keys;
 *   success: clear the user's key.
 */
int zl_store_login_check(struct zl_db *db, const char *username, const char *address, int64_t now,
			 int *locked, struct zl_error *err);
int zl_store_login_failed(struct zl_db *db, const char *username, const char *address, int64_t now,
			  struct zl_error *err);
int zl_store_login_succeeded(struct zl_db *db, const char *username, struct zl_error *err);

/* Delete rows whose window and lock are both over. */
int zl_store_login_purge(struct zl_db *db, int64_t now, struct zl_error *err);

#endif /* ZL_STORE_LOGINS_H */
