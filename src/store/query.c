/*
 * query.c - the shared statement helpers of query.h.
 */
#include "store/query.h"

#include "core/buf.h"

int zl_store_copy_exact(char *out, size_t n, const char *value, const char *field,
			struct zl_error *err)
{
	size_t len = strlen(value);

	if (len >= n)
		return zl_error_set(err, ZL_ETOOBIG, field, "%s is %zu bytes, at most %zu fit",
				    field, len, n ? n - 1 : 0);
	memcpy(out, value, len + 1);
	return ZL_OK;
}

int zl_store_text_by_key(struct zl_db *db, const char *sql, const char *key, char *out, size_t n,
			 struct zl_error *err)
{
	struct zl_stmt *st;
	int rc;

	if (n > 0)
		out[0] = '\0';
	rc = zl_db_prepare(db, sql, &st, err);
	if (rc != ZL_OK)
		return rc;
	zl_stmt_bind_text(st, 1, key, -1);
	rc = zl_stmt_step(st, err);
	if (rc == ZL_DB_ROW)
		rc = zl_store_copy_exact(out, n, zl_stmt_column_text(st, 0), "value", err);
	else if (rc == ZL_DB_DONE)
		rc = ZL_ENOTFOUND;
	zl_stmt_reset(st);
	return rc;
}

void zl_store_col_text(struct zl_stmt *st, int col, char *dst, size_t n)
{
	zl_strlcpy(dst, zl_stmt_column_text(st, col), n);
}

int zl_store_run(struct zl_stmt *st, struct zl_error *err)
{
	int rc = zl_stmt_step(st, err);

	zl_stmt_reset(st);
	return rc < 0 ? rc : ZL_OK;
}

int zl_store_exec_id(struct zl_db *db, const char *sql, int64_t id, struct zl_error *err)
{
	struct zl_stmt *st;
	int rc = zl_db_prepare(db, sql, &st, err);

	if (rc != ZL_OK)
		return rc;
	zl_stmt_bind_int64(st, 1, id);
	return zl_store_run(st, err);
}

static int int_result(struct zl_stmt *st, int64_t *out, struct zl_error *err)
{
	int rc = zl_stmt_step(st, err);

	if (rc == ZL_DB_ROW)
		*out = zl_stmt_column_int64(st, 0);
	zl_stmt_reset(st);
	return rc < 0 ? rc : ZL_OK;
}

int zl_store_int_by_id(struct zl_db *db, const char *sql, int64_t id, int64_t *out,
		       struct zl_error *err)
{
	struct zl_stmt *st;
	int rc = zl_db_prepare(db, sql, &st, err);

	*out = 0;
	if (rc != ZL_OK)
		return rc;
	zl_stmt_bind_int64(st, 1, id);
	return int_result(st, out, err);
}

int zl_store_int_by_key(struct zl_db *db, const char *sql, const char *key, int64_t *out,
			struct zl_error *err)
{
	struct zl_stmt *st;
	int rc = zl_db_prepare(db, sql, &st, err);

	*out = 0;
	if (rc != ZL_OK)
		return rc;
	zl_stmt_bind_text(st, 1, key, -1);
	return int_result(st, out, err);
}

void zl_store_like_contains(struct zl_buf *b, const char *s)
{
	zl_buf_addch(b, '%');
	for (; *s; s++) {
		if (*s == '%' || *s == '_' || *s == '\\')
			zl_buf_addch(b, '\\');
		zl_buf_addch(b, *s);
	}
	zl_buf_addch(b, '%');
}
