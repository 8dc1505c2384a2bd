/*
 * logins.c - failed-login counting and lock-out (logins.h).
 */
#include <string.h>

#include "store/logins.h"

int zl_store_login_locked(struct zl_db *db, const char *key, int64_t now, int *locked,
			  struct zl_error *err)
{
	struct zl_stmt *st;
	int rc;

	*locked = 0;
	rc = zl_db_prepare(db, "SELECT locked_until FROM login_failures WHERE key = ?", &st, err);
	if (rc != ZL_OK)
		return rc;
	zl_stmt_bind_text(st, 1, key, -1);
	rc = zl_stmt_step(st, err);
	if (rc == ZL_DB_ROW)
		*locked = zl_stmt_column_int64(st, 0) > now;
	zl_stmt_reset(st);
	return rc < 0 ? rc : ZL_OK;
}

int zl_store_login_failure(struct zl_db *db, const char *key, int64_t now, int max, int64_t window,
			   int64_t lock, int *locked, struct zl_error *err)
{
	struct zl_stmt *st;
	int64_t failures = 0, start = now, until = 0;
	int rc;

	if (locked != NULL)
		*locked = 0;
	rc = zl_db_prepare(db,
			   "SELECT failures, window_start, locked_until FROM login_failures"
			   " WHERE key = ?",
			   &st, err);
	if (rc != ZL_OK)
		return rc;
	zl_stmt_bind_text(st, 1, key, -1);
	rc = zl_stmt_step(st, err);
	if (rc == ZL_DB_ROW) {
		failures = zl_stmt_column_int64(st, 0);
		start = zl_stmt_column_int64(st, 1);
		until = zl_stmt_column_int64(st, 2);
	}
	zl_stmt_reset(st);
	if (rc < 0)
		return rc;
	/* A window that is over starts again from this failure. */
	if (now - start >= window) {
		failures = 0;
		start = now;
	}
	failures++;
	if (failures >= max && until <= now)
		until = now + lock;
	rc = zl_db_prepare(db,
			   "INSERT INTO login_failures (key, failures, window_start, locked_until)"
			   " VALUES (?, ?, ?, ?) ON CONFLICT (key) DO UPDATE SET"
			   " failures = excluded.failures, window_start = excluded.window_start,"
			   " locked_until = excluded.locked_until",
			   &st, err);
	if (rc != ZL_OK)
		return rc;
	zl_stmt_bind_text(st, 1, key, -1);
	zl_stmt_bind_int64(st, 2, failures);
	zl_stmt_bind_int64(st, 3, start);
	zl_stmt_bind_int64(st, 4, until);
	rc = zl_stmt_step(st, err);
	zl_stmt_reset(st);
	if (rc < 0)
		return rc;
	if (locked != NULL)
		*locked = until > now;
	return ZL_OK;
}

int zl_store_login_clear(struct zl_db *db, const char *key, struct zl_error *err)
{
	struct zl_stmt *st;
	int rc;

	rc = zl_db_prepare(db, "DELETE FROM login_failures WHERE key = ?", &st, err);
	if (rc != ZL_OK)
		return rc;
	zl_stmt_bind_text(st, 1, key, -1);
	rc = zl_stmt_step(st, err);
	zl_stmt_reset(st);
	return rc < 0 ? rc : ZL_OK;
}

static void make_key(char *out, size_t n, char kind, const char *name)
{
	snprintf(out, n, "%c:%s", kind, name);
}

int zl_store_login_check(struct zl_db *db, const char *username, const char *address, int64_t now,
			 int *locked, struct zl_error *err)
{
	char key[160];
	int rc;

	*locked = 0;
	if (username != NULL && *username != '\0') {
		make_key(key, sizeof(key), 'u', username);
		rc = zl_store_login_locked(db, key, now, locked, err);
		if (rc != ZL_OK || *locked)
			return rc;
	}
	if (address != NULL && *address != '\0') {
		make_key(key, sizeof(key), 'a', address);
		return zl_store_login_locked(db, key, now, locked, err);
	}
	return ZL_OK;
}

int zl_store_login_failed(struct zl_db *db, const char *username, const char *address, int64_t now,
			  struct zl_error *err)
{
	char key[160];
	int rc;

	if (username != NULL && *username != '\0') {
		make_key(key, sizeof(key), 'u', username);
		rc = zl_store_login_failure(db, key, now, ZL_LOGIN_USER_MAX, ZL_LOGIN_WINDOW,
					    ZL_LOGIN_LOCK, NULL, err);
		if (rc != ZL_OK)
			return rc;
	}
	if (address != NULL && *address != '\0') {
		make_key(key, sizeof(key), 'a', address);
		return zl_store_login_failure(db, key, now, ZL_LOGIN_ADDR_MAX, ZL_LOGIN_WINDOW,
					      ZL_LOGIN_LOCK, NULL, err);
	}
	return ZL_OK;
}

int zl_store_login_succeeded(struct zl_db *db, const char *username, struct zl_error *err)
{
	char key[160];

	make_key(key, sizeof(key), 'u', username);
	return zl_store_login_clear(db, key, err);
}

int zl_store_login_purge(struct zl_db *db, int64_t now, struct zl_error *err)
{
	struct zl_stmt *st;
	int rc;

	rc = zl_db_prepare(
		db, "DELETE FROM login_failures WHERE locked_until <= ? AND window_start <= ?", &st,
		err);
	if (rc != ZL_OK)
		return rc;
	zl_stmt_bind_int64(st, 1, now);
	zl_stmt_bind_int64(st, 2, now - ZL_LOGIN_WINDOW);
	rc = zl_stmt_step(st, err);
	zl_stmt_reset(st);
	return rc < 0 ? rc : ZL_OK;
}
