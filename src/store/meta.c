/*
 * meta.c - reading and writing the instance's key/value facts (meta.h).
 */
#include <string.h>

#include "store/meta.h"

int zl_store_meta_get(struct zl_db *db, const char *key, char *out, size_t n, struct zl_error *err)
{
	struct zl_stmt *st;
	const char *v;
	size_t len;
	int rc;

	if (n > 0)
		out[0] = '\0';
	rc = zl_db_prepare(db, "SELECT value FROM meta WHERE key = ?", &st, err);
	if (rc != ZL_OK)
		return rc;
	zl_stmt_bind_text(st, 1, key, -1);
	rc = zl_stmt_step(st, err);
	if (rc == ZL_DB_DONE) {
		rc = zl_error_set(err, ZL_ENOTFOUND, key, "no meta value \"%s\"", key);
		goto out;
	}
	if (rc < 0)
		goto out;
	v = zl_stmt_column_text(st, 0);
	len = strlen(v);
	if (n > 0) {
		size_t c = len < n ? len : n - 1;
		memcpy(out, v, c);
		out[c] = '\0';
	}
	rc = len < n ? ZL_OK
		     : zl_error_set(err, ZL_ETOOBIG, key, "meta value \"%s\" is %zu bytes", key,
				    len);
out:
	zl_stmt_reset(st);
	return rc;
}

int zl_store_meta_set(struct zl_db *db, const char *key, const char *value, struct zl_error *err)
{
	struct zl_stmt *st;
	int rc;

	rc = zl_db_prepare(db,
			   "INSERT INTO meta (key, value) VALUES (?, ?)"
			   " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
			   &st, err);
	if (rc != ZL_OK)
		return rc;
	zl_stmt_bind_text(st, 1, key, -1);
	zl_stmt_bind_text(st, 2, value, -1);
	rc = zl_stmt_step(st, err);
	zl_stmt_reset(st);
	return rc < 0 ? rc : ZL_OK;
}
