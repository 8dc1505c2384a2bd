/*
 * query.h - small helpers shared by the store files for the commonest
 * statement shapes, so each repository file keeps only its SQL.
 */
#ifndef ZL_STORE_QUERY_H
#define ZL_STORE_QUERY_H

#include <stddef.h>

#include "core/buf.h"
#include "core/err.h"
#include "db/db.h"

/*
 * Run `sql` (one `?`, bound to `key`) and copy the first column of its
 * first row into `out` (n bytes).  Returns ZL_OK; ZL_ENOTFOUND when there
 * is no row, without touching `err` (the caller says what was missing);
 * ZL_ETOOBIG when the value does not fit.  Values are never truncated: a
 * cut organization path is an ancestor's path and would widen a subtree.
 */
int zl_store_text_by_key(struct zl_db *db, const char *sql, const char *key, char *out, size_t n,
			 struct zl_error *err);

/*
 * Run `sql` with one parameter - an id, or a text key - and read the first
 * column of its first row as an integer into *out (0 when there is no row:
 * for count(*) and MAX() queries, which always answer one).
 */
int zl_store_int_by_id(struct zl_db *db, const char *sql, int64_t id, int64_t *out,
		       struct zl_error *err);
int zl_store_int_by_key(struct zl_db *db, const char *sql, const char *key, int64_t *out,
			struct zl_error *err);

/* Run `sql` (an UPDATE or DELETE with one `?`, bound to `id`) to its end. */
int zl_store_exec_id(struct zl_db *db, const char *sql, int64_t id, struct zl_error *err);

/* Step a statement the caller bound, which returns no row, then reset it. */
int zl_store_run(struct zl_stmt *st, struct zl_error *err);

/*
 * Copy a column value into a fixed buffer, refusing (ZL_ETOOBIG, naming
 * `field`) instead of truncating.
 */
int zl_store_copy_exact(char *out, size_t n, const char *value, const char *field,
			struct zl_error *err);

/*
 * Copy a text column of the current row into a fixed buffer, cut to fit
 * (for display fields; use zl_store_copy_exact where a cut would be wrong).
 */
void zl_store_col_text(struct zl_stmt *st, int col, char *dst, size_t n);

/*
 * Append the LIKE pattern matching any text that contains `s` ("%s%") to b,
 * with %, _ and \ escaped by \ (use with ESCAPE '\\'), so a filter's own
 * characters are literal.  A full buffer sets b->err, as zl_buf does.
 */
void zl_store_like_contains(struct zl_buf *b, const char *s);

#endif /* ZL_STORE_QUERY_H */
