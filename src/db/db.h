/*
 * db.h - the thin database driver: one interface over SQLite and PostgreSQL.
 *
 * A backend is chosen by URL scheme ("sqlite:PATH", "sqlite::memory:",
 * "postgres://user@host:port/dbname" or "postgresql://...") and implements
 * `struct zl_db_ops` (db/sqlite.c, db/pg.c), like git's ref backends.  No
 * other file knows which backend is in use; SQL written for both uses `?`
 * placeholders (rewritten to $1.. for libpq) and the common SQL subset.
 *
 * A `struct zl_db` is one connection, used by one thread at a time.
 * Prepared statements are cached per connection by SQL text: the statement
 * returned by zl_db_prepare() belongs to the connection; call
 * zl_stmt_reset() (or zl_stmt_done()) when finished with it, never free it.
 * Parameter indexes are 1-based; column indexes 0-based.
 * Errors: functions return ZL_OK or ZL_EDB / ZL_ECONFLICT (unique or
 * foreign-key violation) / ZL_EUNAVAIL (cannot connect, database busy too
 * long) and fill `err` with the backend's message.
 */
#ifndef ZL_DB_DB_H
#define ZL_DB_DB_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

struct zl_db;
struct zl_stmt;

/* zl_stmt_step() results besides errors (which are < 0). */
#define ZL_DB_DONE 0
#define ZL_DB_ROW 1

/* SQLite default of zl_db_options.mmap_mb (docs/store.md). */
#define ZL_DB_MMAP_MB_DEFAULT 2048
/* zl_db_options.mmap_mb: no memory mapping. */
#define ZL_DB_MMAP_OFF (-1)

struct zl_db_options {
	int busy_ms;  /* SQLite busy timeout; 0 = default 5000 */
	int readonly; /* open read-only (replicas, audit verification) */
	/* SQLite: bytes of the file each connection memory-maps for reading,
	 * in MiB (PRAGMA mmap_size; SQLite caps it at its build's maximum,
	 * 2 GB in Debian's); 0 = ZL_DB_MMAP_MB_DEFAULT; ZL_DB_MMAP_OFF = no
	 * mapping, every page is read with pread().  Ignored by PostgreSQL. */
	int mmap_mb;
	/* SQLite: page cache per connection in MiB (PRAGMA cache_size);
	 * 0 = SQLite's default (2000 KiB).  Ignored by PostgreSQL. */
	int cache_mb;
};

/* Open a connection; `opt` may be NULL. */
int zl_db_open(const char *url, const struct zl_db_options *opt, struct zl_db **out,
	       struct zl_error *err);
/* Close (finalizes cached statements).  NULL is a no-op. */
void zl_db_close(struct zl_db *db);
/* "sqlite" or "postgres". */
const char *zl_db_backend(const struct zl_db *db);
/* Run one or more statements with no parameters and no result (DDL). */
int zl_db_exec(struct zl_db *db, const char *sql, struct zl_error *err);
/* Transactions.  Nesting is an error (ZL_EINTERNAL). */
int zl_db_begin(struct zl_db *db, struct zl_error *err);
/*
 * A read transaction: every statement until zl_db_commit (or rollback)
 * sees one snapshot, and SQLite locks the file once instead of per
 * statement.  Writes inside it are a programming error (PostgreSQL refuses
 * them).  For handlers that answer with several reads.
 */
int zl_db_begin_read(struct zl_db *db, struct zl_error *err);
int zl_db_commit(struct zl_db *db, struct zl_error *err);
int zl_db_rollback(struct zl_db *db); /* never fails visibly; logs nothing */
int zl_db_in_tx(const struct zl_db *db);

/*
 * One very large write transaction (an import of millions of rows) with
 * the database to itself.  SQLite: when this connection is the only one
 * on the database file (checked without waiting), its journal changes from
 * the WAL to a rollback journal (journal_mode DELETE, synchronous FULL)
 * until zl_db_bulk_end(): the pages the transaction adds then go to the
 * database file once, where the WAL writes every page twice (to the log,
 * then at the checkpoint), and its commit waits for that second copy.  A
 * transaction stays atomic and crash-safe either way.  The price: while
 * the connection is in this mode (and its transaction writes), other
 * connections cannot use the database - they wait for their busy
 * timeout and fail - so it is for commands that own the database for a
 * while (the import command), never for a server's pooled connections.
 * *on = 1 when switched; 0 when another connection has the database
 * open, for a database in memory and on PostgreSQL (nothing to do there).
 * Outside a transaction (ZL_EINTERNAL otherwise); other errors are the
 * database's.
 */
int zl_db_bulk_begin(struct zl_db *db, int *on, struct zl_error *err);
/* Back to the WAL and synchronous NORMAL after zl_db_bulk_begin() set *on (outside a
 * transaction).  Fails silently: the next connection opened switches to the WAL anyway. */
void zl_db_bulk_end(struct zl_db *db);

/* Prepare (or fetch from the cache) a statement; it starts reset. */
int zl_db_prepare(struct zl_db *db, const char *sql, struct zl_stmt **out, struct zl_error *err);
int zl_stmt_bind_int64(struct zl_stmt *st, int idx, int64_t v);
int zl_stmt_bind_double(struct zl_stmt *st, int idx, double v);
/* Text is copied; n < 0 means strlen.  NULL binds SQL NULL. */
int zl_stmt_bind_text(struct zl_stmt *st, int idx, const char *s, long n);
/*
 * The same, without a copy where the backend can avoid one (SQLite): the
 * text must stay valid and unchanged until the statement is reset.  For
 * hot loops that bind many values per row (bulk writers).
 */
int zl_stmt_bind_text_ref(struct zl_stmt *st, int idx, const char *s, long n);
int zl_stmt_bind_blob(struct zl_stmt *st, int idx, const void *p, size_t n);
/* zl_stmt_bind_blob() without a copy where the backend can avoid one (as bind_text_ref). */
int zl_stmt_bind_blob_ref(struct zl_stmt *st, int idx, const void *p, size_t n);
int zl_stmt_bind_null(struct zl_stmt *st, int idx);
/* Advance: ZL_DB_ROW, ZL_DB_DONE, or an error (< 0) with `err` filled. */
int zl_stmt_step(struct zl_stmt *st, struct zl_error *err);
int zl_stmt_column_count(struct zl_stmt *st);
int zl_stmt_column_is_null(struct zl_stmt *st, int col);
int64_t zl_stmt_column_int64(struct zl_stmt *st, int col);
double zl_stmt_column_double(struct zl_stmt *st, int col);
/* Valid until the next step/reset; "" for NULL. */
const char *zl_stmt_column_text(struct zl_stmt *st, int col);
const void *zl_stmt_column_blob(struct zl_stmt *st, int col, size_t *n);
/* Rows changed by the last completed INSERT/UPDATE/DELETE. */
int64_t zl_stmt_changes(struct zl_stmt *st);
/* Clear results and bindings so the cached statement can be reused. */
void zl_stmt_reset(struct zl_stmt *st);
/* The same as zl_stmt_reset(): "I am finished with this statement".  NULL is a no-op. */
void zl_stmt_done(struct zl_stmt *st);

/*
 * Bulk copy: many rows into one table, fastest way the backend has.
 * `table` and `cols` ("col1, col2, ...") are SQL identifiers written by the
 * program (never user input: they are pasted into the SQL text).  Each
 * zl_db_copy_row() gives one value per column, as text (the column's type
 * converts it, as for a text parameter); NULL is SQL NULL.  Any byte but
 * NUL may appear in a value.
 *   PostgreSQL: COPY table (cols) FROM STDIN in text format; values are
 *   escaped (backslash, tab, newline, carriage return) and sent in blocks
 *   of about 256 KiB; errors of the rows (a constraint, a bad number) may
 *   only show at zl_db_copy_end().  While a copy is open the connection
 *   runs no other statement.
 *   SQLite: the rows are buffered and written a batch (1024 rows, or 4 MiB)
 *   at a time by one INSERT INTO table (cols) SELECT ... from a virtual
 *   table over the buffer; a row's error shows when its batch is written
 *   (at a later zl_db_copy_row() or at zl_db_copy_end()), and none of that
 *   batch's rows is written.  At most 64 columns.
 * A failed zl_db_copy_row() ends the copy (abandoned; no zl_db_copy_end()
 * then).  zl_db_copy_abort() abandons an open copy (a no-op when none is
 * open); zl_db_rollback() and zl_db_close() do so too.  On PostgreSQL the
 * rows of an abandoned copy are not written; on SQLite the rows still
 * buffered are not, those of earlier batches stay until the caller's
 * transaction rolls back.  Copies do not nest (ZL_EINTERNAL), nor does a
 * row with the wrong number of values (ZL_EINVAL, the copy abandoned).
 */
int zl_db_copy_begin(struct zl_db *db, const char *table, const char *cols, struct zl_error *err);
int zl_db_copy_row(struct zl_db *db, const char *const *values, size_t n, struct zl_error *err);
int zl_db_copy_end(struct zl_db *db, struct zl_error *err);
void zl_db_copy_abort(struct zl_db *db);

/*
 * A pool giving each thread its own connection, opened on first use and
 * closed by zl_db_pool_free().  Thread-safe.
 */
struct zl_db_pool;
int zl_db_pool_new(const char *url, const struct zl_db_options *opt, struct zl_db_pool **out,
		   struct zl_error *err);
/* The calling thread's connection (opened lazily), or NULL with `err`. */
struct zl_db *zl_db_pool_get(struct zl_db_pool *p, struct zl_error *err);
/* Connections currently open / configured URL (for /metrics, logs; a
 * password in a postgres URL is shown as "***"). */
int zl_db_pool_open_count(struct zl_db_pool *p);
const char *zl_db_pool_url(const struct zl_db_pool *p);
void zl_db_pool_free(struct zl_db_pool *p);

/* "sqlite 3.40.1, libpq 15.20": the client libraries of every backend. */
void zl_db_library_versions(char *out, size_t n);

/* Parse a URL's scheme; returns "sqlite", "postgres" or NULL when unknown. */
const char *zl_db_url_backend(const char *url);

#endif /* ZL_DB_DB_H */
