/*
 * sqlite.c - the SQLite backend of the database driver.
 *
 * One sqlite3 handle per struct zl_db, opened NOMUTEX because a connection
 * is used by one thread at a time (db.h).  Every connection runs in WAL
 * mode with synchronous=NORMAL (durable at checkpoints, never corrupt),
 * foreign keys on, temp tables in memory and a busy timeout, so readers
 * never block the writer and writers wait for each other instead of
 * failing at once.  Write transactions start with BEGIN IMMEDIATE: taking
 * the write lock up front avoids the deadlock of two deferred transactions
 * that both read and then try to upgrade (which SQLite reports as BUSY
 * without waiting).  Cached statements are prepared PERSISTENT.
 *
 * Reads: each connection memory-maps up to `mmap_mb` MiB of the file
 * (PRAGMA mmap_size), so a page of a large register is read from the
 * kernel's page cache without a pread() and a copy per page, and keeps
 * `cache_mb` MiB of pages (PRAGMA cache_size).  The transaction statements
 * (BEGIN, BEGIN IMMEDIATE, COMMIT, ROLLBACK) are prepared once per
 * connection instead of being parsed by sqlite3_exec() every time, and
 * SQLite's global memory statistics are off (they take a mutex on every
 * allocation; nothing reads them).
 *
 * Error mapping: unique, primary-key and foreign-key violations are
 * ZL_ECONFLICT; BUSY/LOCKED (after the timeout) are ZL_EUNAVAIL; out of
 * memory is ZL_ENOMEM; everything else is ZL_EDB with SQLite's message.
 */
#include <pthread.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db_impl.h"

/* The transaction statements, prepared once per connection (TX_* index). */
enum { TX_BEGIN, TX_BEGIN_IMMEDIATE, TX_COMMIT, TX_ROLLBACK, TX_COUNT };
static const char *const tx_sql[TX_COUNT] = {"BEGIN", "BEGIN IMMEDIATE", "COMMIT", "ROLLBACK"};

/* What db->conn points to. */
struct sq_conn {
	sqlite3 *h;
	sqlite3_stmt *tx[TX_COUNT]; /* prepared on first use */
};

struct sq_stmt {
	struct zl_stmt base; /* first: see db_impl.h */
	sqlite3_stmt *s;
	int64_t changes;
};

static sqlite3 *handle(struct zl_db *db)
{
	return ((struct sq_conn *)db->conn)->h;
}

static struct sq_stmt *sq(struct zl_stmt *st)
{
	return (struct sq_stmt *)st;
}

static int map_code(int xrc)
{
	switch (xrc) {
	case SQLITE_CONSTRAINT_UNIQUE:
	case SQLITE_CONSTRAINT_PRIMARYKEY:
	case SQLITE_CONSTRAINT_FOREIGNKEY:
		return ZL_ECONFLICT;
	default:
		break;
	}
	switch (xrc & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return ZL_EUNAVAIL;
	case SQLITE_NOMEM:
		return ZL_ENOMEM;
	default:
		return ZL_EDB;
	}
}

/* Fill `err` from the connection's last error and return the mapped code. */
static int fail(sqlite3 *h, struct zl_error *err, const char *what)
{
	int xrc = sqlite3_extended_errcode(h);

	return zl_error_set(err, map_code(xrc), "db", "%s: %s", what, sqlite3_errmsg(h));
}

static int sq_exec(struct zl_db *db, const char *sql, struct zl_error *err)
{
	char *msg = NULL;
	int rc = sqlite3_exec(handle(db), sql, NULL, NULL, &msg);

	if (rc != SQLITE_OK) {
		int code = map_code(sqlite3_extended_errcode(handle(db)));
		zl_error_set(err, code, "db", "%s", msg != NULL ? msg : sqlite3_errstr(rc));
		sqlite3_free(msg);
		return code;
	}
	return ZL_OK;
}

static pthread_once_t sq_once = PTHREAD_ONCE_INIT;

static void sq_global_init(void)
{
	/* Only possible before SQLite initializes; SQLITE_MISUSE (another part
	 * of the process used SQLite first) leaves the statistics on, which
	 * costs time, not correctness. */
	(void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

static int sq_open(struct zl_db *db, const char *target, const struct zl_db_options *opt,
		   struct zl_error *err)
{
	int ro = opt != NULL && opt->readonly;
	int busy = opt != NULL && opt->busy_ms > 0 ? opt->busy_ms : 5000;
	int mmap_mb = opt == NULL || opt->mmap_mb == 0 ? ZL_DB_MMAP_MB_DEFAULT
			: opt->mmap_mb < 0		 ? 0
							 : opt->mmap_mb;
	int cache_mb = opt != NULL && opt->cache_mb > 0 ? opt->cache_mb : 0;
	int flags = SQLITE_OPEN_NOMUTEX |
		    (ro ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
	struct sq_conn *c;
	sqlite3 *h = NULL;
	char sizes[128];
	int rc;

	pthread_once(&sq_once, sq_global_init);
	c = calloc(1, sizeof(*c));
	if (c == NULL)
		return zl_error_set(err, ZL_ENOMEM, "db", "out of memory opening the database");
	rc = sqlite3_open_v2(target, &h, flags, NULL);
	if (rc != SQLITE_OK) {
		rc = zl_error_set(err, rc == SQLITE_NOMEM ? ZL_ENOMEM : ZL_EUNAVAIL, "db",
				  "cannot open SQLite database \"%s\": %s", target,
				  h != NULL ? sqlite3_errmsg(h) : sqlite3_errstr(rc));
		sqlite3_close(h);
		free(c);
		return rc;
	}
	c->h = h;
	db->conn = c;
	sqlite3_extended_result_codes(h, 1);
	sqlite3_busy_timeout(h, busy);
	/* mmap_size is in bytes (SQLite caps it at its compile-time maximum,
	 * 2 GB in Debian's build); a negative cache_size is in KiB. */
	if (cache_mb > 0)
		snprintf(sizes, sizeof(sizes), "PRAGMA mmap_size=%lld; PRAGMA cache_size=-%lld;",
			 (long long)mmap_mb * 1024 * 1024, (long long)cache_mb * 1024);
	else
		snprintf(sizes, sizeof(sizes), "PRAGMA mmap_size=%lld;",
			 (long long)mmap_mb * 1024 * 1024);
	/* journal_mode cannot change on a read-only handle; readers follow the file's mode. */
	rc = sq_exec(db,
		     ro ? "PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY;"
			: "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
			  " PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY;",
		     err);
	if (rc == ZL_OK)
		rc = sq_exec(db, sizes, err);
	if (rc != ZL_OK) {
		/* A file that is not a database fails here, on the first read. */
		rc = zl_error_set(err, rc == ZL_EDB ? ZL_EUNAVAIL : (enum zl_err)rc, "db",
				  "cannot use SQLite database \"%s\": %s", target,
				  sqlite3_errmsg(h));
		sqlite3_close(h);
		free(c);
		db->conn = NULL;
		return rc;
	}
	return ZL_OK;
}

static void sq_close(struct zl_db *db)
{
	struct sq_conn *c = db->conn;

	for (int i = 0; i < TX_COUNT; i++)
		sqlite3_finalize(c->tx[i]);
	sqlite3_close(c->h);
	free(c);
	db->conn = NULL;
}

static int sq_prepare(struct zl_db *db, const char *sql, struct zl_stmt **out, struct zl_error *err)
{
	sqlite3_stmt *s = NULL;
	const char *tail = NULL;
	struct sq_stmt *st;
	int rc;

	rc = sqlite3_prepare_v3(handle(db), sql, -1, SQLITE_PREPARE_PERSISTENT, &s, &tail);
	if (rc != SQLITE_OK)
		return fail(handle(db), err, "prepare");
	if (s == NULL)
		return zl_error_set(err, ZL_EDB, "db", "prepare: empty SQL statement");
	while (tail != NULL &&
	       (*tail == ' ' || *tail == '\t' || *tail == '\n' || *tail == '\r' || *tail == ';'))
		tail++;
	if (tail != NULL && *tail != '\0') {
		sqlite3_finalize(s);
		return zl_error_set(err, ZL_EDB, "db",
				    "prepare: more than one statement in the SQL text");
	}
	st = calloc(1, sizeof(*st));
	if (st == NULL) {
		sqlite3_finalize(s);
		return zl_error_set(err, ZL_ENOMEM, "db", "out of memory");
	}
	st->s = s;
	*out = &st->base;
	return ZL_OK;
}

static int bind_rc(int rc)
{
	switch (rc) {
	case SQLITE_OK:
		return ZL_OK;
	case SQLITE_NOMEM:
		return ZL_ENOMEM;
	case SQLITE_RANGE:
		return ZL_EINVAL;
	case SQLITE_TOOBIG:
		return ZL_ETOOBIG;
	default:
		/* SQLITE_MISUSE: binding while the statement is mid-result. */
		return ZL_EINTERNAL;
	}
}

static int sq_bind_int64(struct zl_stmt *st, int idx, int64_t v)
{
	return bind_rc(sqlite3_bind_int64(sq(st)->s, idx, v));
}

static int sq_bind_double(struct zl_stmt *st, int idx, double v)
{
	return bind_rc(sqlite3_bind_double(sq(st)->s, idx, v));
}

static int sq_bind_text(struct zl_stmt *st, int idx, const char *s, size_t n)
{
	return bind_rc(sqlite3_bind_text64(sq(st)->s, idx, s, n, SQLITE_TRANSIENT, SQLITE_UTF8));
}

static int sq_bind_blob(struct zl_stmt *st, int idx, const void *p, size_t n)
{
	/* A NULL pointer would bind SQL NULL; an empty blob is not NULL. */
	if (n == 0)
		return bind_rc(sqlite3_bind_zeroblob(sq(st)->s, idx, 0));
	return bind_rc(sqlite3_bind_blob64(sq(st)->s, idx, p, n, SQLITE_TRANSIENT));
}

static int sq_bind_null(struct zl_stmt *st, int idx)
{
	return bind_rc(sqlite3_bind_null(sq(st)->s, idx));
}

static int sq_step(struct zl_stmt *st, struct zl_error *err)
{
	struct sq_stmt *s = sq(st);
	int rc = sqlite3_step(s->s);

	if (rc == SQLITE_ROW)
		return ZL_DB_ROW;
	if (rc == SQLITE_DONE) {
		/* sqlite3_changes() reports the connection's last write, so a
		 * read-only statement must not pick up someone else's count. */
		s->changes = sqlite3_stmt_readonly(s->s) ? 0 : sqlite3_changes64(handle(st->db));
		return ZL_DB_DONE;
	}
	return fail(handle(st->db), err, "step");
}

static int sq_column_count(struct zl_stmt *st)
{
	return sqlite3_column_count(sq(st)->s);
}

static int sq_column_is_null(struct zl_stmt *st, int col)
{
	return sqlite3_column_type(sq(st)->s, col) == SQLITE_NULL;
}

static int64_t sq_column_int64(struct zl_stmt *st, int col)
{
	return sqlite3_column_int64(sq(st)->s, col);
}

static double sq_column_double(struct zl_stmt *st, int col)
{
	return sqlite3_column_double(sq(st)->s, col);
}

static const char *sq_column_text(struct zl_stmt *st, int col)
{
	const unsigned char *t = sqlite3_column_text(sq(st)->s, col);

	return t != NULL ? (const char *)t : "";
}

static const void *sq_column_blob(struct zl_stmt *st, int col, size_t *n)
{
	const void *p = sqlite3_column_blob(sq(st)->s, col);

	*n = (size_t)sqlite3_column_bytes(sq(st)->s, col);
	return p != NULL ? p : "";
}

static int64_t sq_changes(struct zl_stmt *st)
{
	return sq(st)->changes;
}

static void sq_reset(struct zl_stmt *st)
{
	sqlite3_reset(sq(st)->s);
	sqlite3_clear_bindings(sq(st)->s);
	sq(st)->changes = 0;
}

static void sq_finalize(struct zl_stmt *st)
{
	sqlite3_finalize(sq(st)->s);
	free(sq(st));
}

/*
 * Run transaction statement `which`, preparing it on first use.  The same
 * as sqlite3_exec() of its text, without parsing it every time.
 */
static int sq_tx(struct zl_db *db, int which, struct zl_error *err)
{
	struct sq_conn *c = db->conn;
	int rc;

	if (c->tx[which] == NULL &&
	    sqlite3_prepare_v3(c->h, tx_sql[which], -1, SQLITE_PREPARE_PERSISTENT, &c->tx[which],
			       NULL) != SQLITE_OK)
		return fail(c->h, err, tx_sql[which]);
	rc = sqlite3_step(c->tx[which]);
	sqlite3_reset(c->tx[which]);
	if (rc != SQLITE_DONE)
		return fail(c->h, err, tx_sql[which]);
	return ZL_OK;
}

static int sq_begin(struct zl_db *db, struct zl_error *err)
{
	return sq_tx(db, db->readonly ? TX_BEGIN : TX_BEGIN_IMMEDIATE, err);
}

static int sq_begin_read(struct zl_db *db, struct zl_error *err)
{
	/* Deferred: the read lock is taken at the first statement and held to
	 * COMMIT, instead of each statement locking and unlocking the file. */
	return sq_tx(db, TX_BEGIN, err);
}

static int sq_commit(struct zl_db *db, struct zl_error *err)
{
	return sq_tx(db, TX_COMMIT, err);
}

static void sq_rollback(struct zl_db *db)
{
	/* Fails only when no transaction is open (SQLite already rolled back
	 * after some errors), which is the state we want anyway. */
	(void)sq_tx(db, TX_ROLLBACK, NULL);
}

/* ---- bulk copy: a prepared INSERT per row -------------------------------------------- */

static int sq_copy_begin(struct zl_db *db, const char *table, const char *cols, size_t ncols,
			 struct zl_error *err)
{
	size_t n = strlen(table) + strlen(cols) + 3 * ncols + 40;
	sqlite3_stmt *s = NULL;
	char *sql = malloc(n), *p;
	int rc;

	if (sql == NULL)
		return zl_error_set(err, ZL_ENOMEM, "db", "out of memory");
	p = sql + snprintf(sql, n, "INSERT INTO %s (%s) VALUES (", table, cols);
	for (size_t i = 0; i < ncols; i++)
		p += snprintf(p, n - (size_t)(p - sql), i ? ", ?" : "?");
	snprintf(p, n - (size_t)(p - sql), ")");
	rc = sqlite3_prepare_v3(handle(db), sql, -1, 0, &s, NULL);
	free(sql);
	if (rc != SQLITE_OK)
		return fail(handle(db), err, "copy");
	db->copy = s;
	return ZL_OK;
}

static int sq_copy_row(struct zl_db *db, const char *const *values, size_t n, struct zl_error *err)
{
	sqlite3_stmt *s = db->copy;
	int rc = SQLITE_OK;

	for (size_t i = 0; i < n && rc == SQLITE_OK; i++)
		rc = values[i] != NULL
			     ? sqlite3_bind_text64(s, (int)i + 1, values[i], strlen(values[i]),
						   SQLITE_STATIC, SQLITE_UTF8)
			     : sqlite3_bind_null(s, (int)i + 1);
	if (rc != SQLITE_OK) {
		sqlite3_reset(s);
		return zl_error_set(err, bind_rc(rc), "db", "copy: cannot bind a value");
	}
	rc = sqlite3_step(s);
	rc = rc == SQLITE_DONE ? ZL_OK : fail(handle(db), err, "copy");
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	return rc;
}

static int sq_copy_end(struct zl_db *db, const char *abort_msg, struct zl_error *err)
{
	(void)abort_msg;
	(void)err;
	sqlite3_finalize(db->copy);
	db->copy = NULL;
	return ZL_OK;
}

static void sq_library_version(char *out, size_t n)
{
	snprintf(out, n, "sqlite %s", sqlite3_libversion());
}

const struct zl_db_ops zl_db_sqlite_ops = {
	.name = "sqlite",
	.library_version = sq_library_version,
	.open = sq_open,
	.close = sq_close,
	.exec = sq_exec,
	.prepare = sq_prepare,
	.bind_int64 = sq_bind_int64,
	.bind_double = sq_bind_double,
	.bind_text = sq_bind_text,
	.bind_blob = sq_bind_blob,
	.bind_null = sq_bind_null,
	.step = sq_step,
	.column_count = sq_column_count,
	.column_is_null = sq_column_is_null,
	.column_int64 = sq_column_int64,
	.column_double = sq_column_double,
	.column_text = sq_column_text,
	.column_blob = sq_column_blob,
	.changes = sq_changes,
	.reset = sq_reset,
	.finalize = sq_finalize,
	.begin = sq_begin,
	.begin_read = sq_begin_read,
	.commit = sq_commit,
	.rollback = sq_rollback,
	.copy_begin = sq_copy_begin,
	.copy_row = sq_copy_row,
	.copy_end = sq_copy_end,
};
