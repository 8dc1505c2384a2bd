/*
 * db_impl.h - private to src/db/: the backend ops table and the pieces of
 * the generic driver that backends and tests need (URL parsing, the `?`
 * placeholder rewriter).
 *
 * A backend (db/sqlite.c, db/pg.c) fills one `struct zl_db_ops` and
 * allocates its own connection and statement objects; a backend statement
 * struct embeds `struct zl_stmt` as its FIRST member so the generic layer
 * and the backend can convert between the two with a cast (as git's ref
 * backends embed `struct ref_store`).  db.c owns the statement cache, the
 * transaction flag and the pool; backends never see each other.
 *
 * Nothing outside src/db/ (except the db unit tests and fuzz target)
 * includes this header.
 */
#ifndef ZL_DB_DB_IMPL_H
#define ZL_DB_DB_IMPL_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "db/db.h"

struct zl_db_ops;

#define ZL_DB_BY_ADDR 64 /* a power of two */

/* One connection: generic state plus the backend's handle. */
struct zl_db {
	const struct zl_db_ops *ops;
	void *conn;   /* backend connection (sqlite3 *, PGconn * wrapper) */
	int in_tx;    /* set by zl_db_begin, cleared by commit/rollback */
	int readonly; /* opened with zl_db_options.readonly */
	/* A bulk copy in progress (zl_db_copy_begin): its column count; the
	 * backend keeps its own state in `copy`. */
	int in_copy;
	size_t copy_ncols;
	void *copy;
	/* Statement cache: open addressing on the FNV-1a hash of the SQL text. */
	struct zl_stmt **slots;
	size_t slot_cap; /* power of two, or 0 before the first prepare */
	size_t slot_used;
	/*
	 * In front of it, statements by the address of the SQL text they were
	 * last asked for with (ZL_DB_BY_ADDR entries, direct-mapped): most
	 * SQL is a string literal, asked for at the same address every time,
	 * and a hit costs a strcmp instead of hashing the whole text.  A hit
	 * is confirmed by comparing the text, so a buffer reused with other
	 * SQL falls through to the hash.  Cached statements live as long as
	 * the connection, so the pointers never dangle.
	 */
	const char *addr_key[ZL_DB_BY_ADDR];
	struct zl_stmt *addr_stmt[ZL_DB_BY_ADDR];
};

/* The generic part of a statement; backends embed it first. */
struct zl_stmt {
	struct zl_db *db;
	char *sql;     /* owned copy of the SQL text: the cache key */
	uint64_t hash; /* FNV-1a of `sql` */
	int used;      /* bound or stepped since the last reset */
};

/*
 * The backend interface.  Every function pointer is required but bulk_begin
 * and bulk_end.
 * Error-returning functions return ZL_OK or a negative enum zl_err and fill
 * `err` (which may be NULL).  Bind functions return ZL_EINVAL for an index
 * out of range and ZL_ENOMEM when a copy cannot be made.
 */
struct zl_db_ops {
	const char *name; /* "sqlite" or "postgres" */
	/* The client library's name and version, e.g. "sqlite 3.40.1". */
	void (*library_version)(char *out, size_t n);
	/* `target` is the URL after the scheme for sqlite (a path or
	 * ":memory:"), the whole URL for postgres.  Sets db->conn. */
	int (*open)(struct zl_db *db, const char *target, const struct zl_db_options *opt,
		    struct zl_error *err);
	void (*close)(struct zl_db *db); /* statements are finalized before */
	int (*exec)(struct zl_db *db, const char *sql, struct zl_error *err);
	/* Allocate a backend statement for one SQL statement written with `?`
	 * placeholders; the caller fills the generic fields. */
	int (*prepare)(struct zl_db *db, const char *sql, struct zl_stmt **out,
		       struct zl_error *err);
	int (*bind_int64)(struct zl_stmt *st, int idx, int64_t v);
	int (*bind_double)(struct zl_stmt *st, int idx, double v);
	int (*bind_text)(struct zl_stmt *st, int idx, const char *s, size_t n);
	/* bind_text without a copy: s stays valid until the reset (db.h). */
	int (*bind_text_ref)(struct zl_stmt *st, int idx, const char *s, size_t n);
	int (*bind_blob)(struct zl_stmt *st, int idx, const void *p, size_t n);
	/* bind_blob without a copy: p stays valid until the reset (db.h). */
	int (*bind_blob_ref)(struct zl_stmt *st, int idx, const void *p, size_t n);
	int (*bind_null)(struct zl_stmt *st, int idx);
	int (*step)(struct zl_stmt *st, struct zl_error *err);
	int (*column_count)(struct zl_stmt *st);
	int (*column_is_null)(struct zl_stmt *st, int col);
	int64_t (*column_int64)(struct zl_stmt *st, int col);
	double (*column_double)(struct zl_stmt *st, int col);
	const char *(*column_text)(struct zl_stmt *st, int col);
	const void *(*column_blob)(struct zl_stmt *st, int col, size_t *n);
	int64_t (*changes)(struct zl_stmt *st);
	void (*reset)(struct zl_stmt *st);
	void (*finalize)(struct zl_stmt *st); /* frees the statement itself */
	int (*begin)(struct zl_db *db, struct zl_error *err);
	/* A read transaction (zl_db_begin_read in db.h). */
	int (*begin_read)(struct zl_db *db, struct zl_error *err);
	int (*commit)(struct zl_db *db, struct zl_error *err);
	void (*rollback)(struct zl_db *db);
	/* zl_db_bulk_begin/_end (db.h); NULL: the backend has nothing to switch. */
	int (*bulk_begin)(struct zl_db *db, int *on, struct zl_error *err);
	void (*bulk_end)(struct zl_db *db);
	/* Bulk copy (db.h): db.c checks the call order and the column count
	 * (`ncols`, counted from `cols`) before calling these.  copy_end with
	 * `abort_msg` NULL finishes the copy; otherwise it abandons it (the
	 * rows sent are discarded by the server), leaving the connection
	 * usable, and reports nothing. */
	int (*copy_begin)(struct zl_db *db, const char *table, const char *cols, size_t ncols,
			  struct zl_error *err);
	int (*copy_row)(struct zl_db *db, const char *const *values, size_t n,
			struct zl_error *err);
	int (*copy_end)(struct zl_db *db, const char *abort_msg, struct zl_error *err);
};

extern const struct zl_db_ops zl_db_sqlite_ops;
extern const struct zl_db_ops zl_db_pg_ops;

/*
 * Split a database URL.  Accepted forms:
 *   sqlite:PATH   sqlite://PATH   sqlite::memory:
 *   postgres://...   postgresql://...
 * On success returns ZL_OK, sets *ops to the backend and *target to the
 * string the backend opens (a pointer into `url`: the path for sqlite, the
 * whole URL for postgres).  Returns ZL_EINVAL with `err` filled for an
 * unknown scheme or an empty sqlite path.  Pure; no I/O.
 */
int zl_db_url_parse(const char *url, const struct zl_db_ops **ops, const char **target,
		    struct zl_error *err);

/*
 * Rewrite `?` placeholders to PostgreSQL's `$1, $2, ...` in order,
 * leaving alone every `?` inside a string literal ('...', with '' and, for
 * E'...', backslash escapes), a quoted identifier ("..."), a dollar-quoted
 * string ($$...$$, $tag$...$tag$), a line comment (-- to end of line) or a
 * block comment (/ * ... * /, nesting as PostgreSQL does).  Unterminated
 * quotes or comments run to the end of the text (the server reports the
 * syntax error).  Returns a NUL-terminated copy the caller must free(), or
 * NULL when out of memory; *nparams (may be NULL) receives the number of
 * placeholders replaced.
 */
char *zl_db_rewrite_placeholders(const char *sql, int *nparams);

/* FNV-1a 64-bit hash of a NUL-terminated string (the cache key). */
uint64_t zl_db_sql_hash(const char *sql);

#endif /* ZL_DB_DB_IMPL_H */
