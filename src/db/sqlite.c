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

/* The bulk copy's virtual table (defined with the copy, below). */
static const sqlite3_module cv_module;

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
	/* The bulk copy's source (see "bulk copy" below). */
	if (sqlite3_create_module_v2(h, "zl_copy", &cv_module, db, NULL) != SQLITE_OK) {
		rc = zl_error_set(err, ZL_ENOMEM, "db", "cannot register the copy table");
		sqlite3_close(h);
		db->conn = NULL;
		return rc;
	}
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

static int sq_bind_text_ref(struct zl_stmt *st, int idx, const char *s, size_t n)
{
	return bind_rc(sqlite3_bind_text64(sq(st)->s, idx, s, n, SQLITE_STATIC, SQLITE_UTF8));
}

static int sq_bind_blob(struct zl_stmt *st, int idx, const void *p, size_t n)
{
	/* A NULL pointer would bind SQL NULL; an empty blob is not NULL. */
	if (n == 0)
		return bind_rc(sqlite3_bind_zeroblob(sq(st)->s, idx, 0));
	return bind_rc(sqlite3_bind_blob64(sq(st)->s, idx, p, n, SQLITE_TRANSIENT));
}

static int sq_bind_blob_ref(struct zl_stmt *st, int idx, const void *p, size_t n)
{
	if (n == 0)
		return bind_rc(sqlite3_bind_zeroblob(sq(st)->s, idx, 0));
	return bind_rc(sqlite3_bind_blob64(sq(st)->s, idx, p, n, SQLITE_STATIC));
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

/* ---- bulk mode: a rollback journal while the connection is alone ------------------- */

/* The text of a one-row PRAGMA into out ("" when none); the SQLite result code. */
static int pragma_text(sqlite3 *h, const char *sql, char *out, size_t n)
{
	sqlite3_stmt *s = NULL;
	int rc = sqlite3_prepare_v2(h, sql, -1, &s, NULL);

	out[0] = '\0';
	if (rc == SQLITE_OK && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		const unsigned char *t = sqlite3_column_text(s, 0);

		snprintf(out, n, "%s", t != NULL ? (const char *)t : "");
		rc = SQLITE_OK;
	} else if (rc == SQLITE_DONE) {
		rc = SQLITE_OK;
	}
	sqlite3_finalize(s);
	return rc;
}

static int sq_bulk_begin(struct zl_db *db, int *on, struct zl_error *err)
{
	sqlite3 *h = handle(db);
	const char *file = sqlite3_db_filename(h, "main");
	char busy[32], mode[32];
	int rc;

	if (file == NULL || file[0] == '\0' || db->readonly)
		return ZL_OK; /* in memory: no journal file to change */
	/* Leaving the WAL needs every other connection gone: ask, without waiting for them. */
	if ((rc = pragma_text(h, "PRAGMA busy_timeout", busy, sizeof(busy))) != SQLITE_OK)
		return fail(h, err, "bulk mode");
	sqlite3_busy_timeout(h, 0);
	rc = pragma_text(h, "PRAGMA journal_mode = DELETE", mode, sizeof(mode));
	sqlite3_busy_timeout(h, (int)strtol(busy, NULL, 10));
	if (rc != SQLITE_OK && (rc & 0xff) != SQLITE_BUSY && (rc & 0xff) != SQLITE_LOCKED)
		return fail(h, err, "bulk mode");
	if (strcmp(mode, "delete") != 0)
		return ZL_OK; /* not alone (or not allowed): the WAL it is */
	/* A rollback journal is crash-safe with FULL (NORMAL may lose the journal's header). */
	if (sq_exec(db, "PRAGMA synchronous = FULL", err) != ZL_OK) {
		(void)sqlite3_exec(h, "PRAGMA journal_mode = WAL", NULL, NULL, NULL);
		return ZL_EDB;
	}
	*on = 1;
	return ZL_OK;
}

static void sq_bulk_end(struct zl_db *db)
{
	sqlite3 *h = handle(db);

	(void)sqlite3_exec(h, "PRAGMA journal_mode = WAL", NULL, NULL, NULL);
	(void)sqlite3_exec(h, "PRAGMA synchronous = NORMAL", NULL, NULL, NULL);
}

/* ---- bulk copy: buffered rows, one INSERT ... SELECT per batch -------------------- */

/*
 * A copy's rows wait in a buffer (the values back to back, an offset and
 * length per cell); every COPY_ROWS rows, or COPY_TEXT bytes, and at the
 * end, ONE statement `INSERT INTO table (cols) SELECT c0, c1, ... FROM
 * zl_copy` writes them: zl_copy is a virtual table of this connection
 * (eponymous, registered at open, read-only) whose rows are the buffer.
 * SQLite then runs the insert loop once per batch instead of a statement
 * (cursors opened, bindings copied and cleared, ...) per row, several
 * times faster.  The values reach SQLite as text without a copy (they are
 * copied into the record as it is built), as the bound text of the
 * per-row INSERT did.  A row's error shows when its batch is written.
 */
#define COPY_MAX_COLS 64
#define COPY_ROWS 1024
#define COPY_TEXT ((size_t)4 << 20)

struct sq_cell {
	int64_t off; /* in text; -1: NULL */
	size_t len;
};

struct sq_copy {
	sqlite3_stmt *ins;
	size_t ncols;
	char *text;
	size_t len, cap;
	struct sq_cell *cell; /* nrows * ncols */
	size_t nrows;
};

struct cv_vtab {
	sqlite3_vtab base; /* first */
	struct zl_db *db;
};

struct cv_cursor {
	sqlite3_vtab_cursor base; /* first */
	size_t row;
};

static int cv_connect(sqlite3 *h, void *aux, int argc, const char *const *argv, sqlite3_vtab **out,
		      char **errmsg)
{
	char decl[32 + 6 * COPY_MAX_COLS];
	size_t o = (size_t)snprintf(decl, sizeof(decl), "CREATE TABLE x(");
	struct cv_vtab *v;
	int rc;

	(void)argc;
	(void)argv;
	(void)errmsg;
	for (int i = 0; i < COPY_MAX_COLS; i++)
		o += (size_t)snprintf(decl + o, sizeof(decl) - o, i ? ",c%d" : "c%d", i);
	snprintf(decl + o, sizeof(decl) - o, ")");
	if ((rc = sqlite3_declare_vtab(h, decl)) != SQLITE_OK)
		return rc;
	/* Never from a trigger or a view: only the copy's own statement reads it. */
	sqlite3_vtab_config(h, SQLITE_VTAB_DIRECTONLY);
	if ((v = sqlite3_malloc(sizeof(*v))) == NULL)
		return SQLITE_NOMEM;
	memset(v, 0, sizeof(*v));
	v->db = aux;
	*out = &v->base;
	return SQLITE_OK;
}

static int cv_disconnect(sqlite3_vtab *vt)
{
	sqlite3_free(vt);
	return SQLITE_OK;
}

static int cv_best_index(sqlite3_vtab *vt, sqlite3_index_info *info)
{
	(void)vt;
	info->estimatedCost = COPY_ROWS;
	info->estimatedRows = COPY_ROWS;
	return SQLITE_OK;
}

static int cv_open(sqlite3_vtab *vt, sqlite3_vtab_cursor **out)
{
	struct cv_cursor *c = sqlite3_malloc(sizeof(*c));

	(void)vt;
	if (c == NULL)
		return SQLITE_NOMEM;
	memset(c, 0, sizeof(*c));
	*out = &c->base;
	return SQLITE_OK;
}

static int cv_close(sqlite3_vtab_cursor *cur)
{
	sqlite3_free(cur);
	return SQLITE_OK;
}

static struct sq_copy *cv_copy(sqlite3_vtab_cursor *cur)
{
	return ((struct cv_vtab *)cur->pVtab)->db->copy;
}

static int cv_filter(sqlite3_vtab_cursor *cur, int idx, const char *idxstr, int argc,
		     sqlite3_value **argv)
{
	(void)idx;
	(void)idxstr;
	(void)argc;
	(void)argv;
	((struct cv_cursor *)cur)->row = 0;
	return SQLITE_OK;
}

static int cv_next(sqlite3_vtab_cursor *cur)
{
	((struct cv_cursor *)cur)->row++;
	return SQLITE_OK;
}

static int cv_eof(sqlite3_vtab_cursor *cur)
{
	struct sq_copy *cp = cv_copy(cur);

	return cp == NULL || ((struct cv_cursor *)cur)->row >= cp->nrows;
}

static int cv_column(sqlite3_vtab_cursor *cur, sqlite3_context *ctx, int col)
{
	struct sq_copy *cp = cv_copy(cur);
	const struct sq_cell *c;

	if (cp == NULL || col < 0 || (size_t)col >= cp->ncols) {
		sqlite3_result_null(ctx);
		return SQLITE_OK;
	}
	c = &cp->cell[((struct cv_cursor *)cur)->row * cp->ncols + (size_t)col];
	if (c->off < 0)
		sqlite3_result_null(ctx);
	else
		sqlite3_result_text64(ctx, cp->text + c->off, c->len, SQLITE_STATIC, SQLITE_UTF8);
	return SQLITE_OK;
}

static int cv_rowid(sqlite3_vtab_cursor *cur, sqlite3_int64 *rowid)
{
	*rowid = (sqlite3_int64)((struct cv_cursor *)cur)->row;
	return SQLITE_OK;
}

/* Eponymous-only (no xCreate): SELECT ... FROM zl_copy needs no CREATE VIRTUAL TABLE. */
static const sqlite3_module cv_module = {
	.iVersion = 0,
	.xConnect = cv_connect,
	.xBestIndex = cv_best_index,
	.xDisconnect = cv_disconnect,
	.xOpen = cv_open,
	.xClose = cv_close,
	.xFilter = cv_filter,
	.xNext = cv_next,
	.xEof = cv_eof,
	.xColumn = cv_column,
	.xRowid = cv_rowid,
};

static void copy_free(struct sq_copy *cp)
{
	if (cp == NULL)
		return;
	sqlite3_finalize(cp->ins);
	free(cp->text);
	free(cp->cell);
	free(cp);
}

static int sq_copy_begin(struct zl_db *db, const char *table, const char *cols, size_t ncols,
			 struct zl_error *err)
{
	size_t n = strlen(table) + strlen(cols) + 8 * ncols + 64;
	struct sq_copy *cp;
	char *sql, *p;
	int rc;

	if (ncols > COPY_MAX_COLS)
		return zl_error_set(err, ZL_EINVAL, "db", "copy: more than %d columns",
				    COPY_MAX_COLS);
	cp = calloc(1, sizeof(*cp));
	sql = malloc(n);
	if (cp != NULL)
		cp->cell = malloc(COPY_ROWS * ncols * sizeof(*cp->cell));
	if (cp == NULL || sql == NULL || cp->cell == NULL) {
		copy_free(cp);
		free(sql);
		return zl_error_set(err, ZL_ENOMEM, "db", "out of memory");
	}
	cp->ncols = ncols;
	p = sql + snprintf(sql, n, "INSERT INTO %s (%s) SELECT ", table, cols);
	for (size_t i = 0; i < ncols; i++)
		p += snprintf(p, n - (size_t)(p - sql), i ? ", c%zu" : "c%zu", i);
	snprintf(p, n - (size_t)(p - sql), " FROM zl_copy");
	rc = sqlite3_prepare_v3(handle(db), sql, -1, SQLITE_PREPARE_PERSISTENT, &cp->ins, NULL);
	free(sql);
	if (rc != SQLITE_OK) {
		rc = fail(handle(db), err, "copy");
		copy_free(cp);
		return rc;
	}
	db->copy = cp;
	return ZL_OK;
}

/* Write the buffered rows (one statement) and empty the buffer. */
static int copy_flush(struct zl_db *db, struct zl_error *err)
{
	struct sq_copy *cp = db->copy;
	int rc;

	if (cp->nrows == 0)
		return ZL_OK;
	rc = sqlite3_step(cp->ins);
	rc = rc == SQLITE_DONE ? ZL_OK : fail(handle(db), err, "copy");
	sqlite3_reset(cp->ins);
	cp->nrows = 0;
	cp->len = 0;
	return rc;
}

static int sq_copy_row(struct zl_db *db, const char *const *values, size_t n, struct zl_error *err)
{
	struct sq_copy *cp = db->copy;
	struct sq_cell *cell = &cp->cell[cp->nrows * cp->ncols];
	size_t need = 0;

	for (size_t i = 0; i < n; i++) {
		cell[i].off = values[i] != NULL ? 0 : -1;
		cell[i].len = values[i] != NULL ? strlen(values[i]) : 0;
		need += cell[i].len;
	}
	if (need > cp->cap - cp->len) {
		size_t cap = cp->cap ? cp->cap : 64 * 1024;
		char *t;

		while (cap - cp->len < need)
			cap *= 2;
		if ((t = realloc(cp->text, cap)) == NULL)
			return zl_error_set(err, ZL_ENOMEM, "db", "out of memory");
		cp->text = t;
		cp->cap = cap;
	}
	for (size_t i = 0; i < n; i++) {
		if (cell[i].off < 0)
			continue;
		cell[i].off = (int64_t)cp->len;
		memcpy(cp->text + cp->len, values[i], cell[i].len);
		cp->len += cell[i].len;
	}
	cp->nrows++;
	if (cp->nrows == COPY_ROWS || cp->len >= COPY_TEXT)
		return copy_flush(db, err);
	return ZL_OK;
}

static int sq_copy_end(struct zl_db *db, const char *abort_msg, struct zl_error *err)
{
	int rc = ZL_OK;

	/* Abandoned: the rows still buffered are dropped. */
	if (abort_msg == NULL)
		rc = copy_flush(db, err);
	copy_free(db->copy);
	db->copy = NULL;
	return rc;
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
	.bind_text_ref = sq_bind_text_ref,
	.bind_blob = sq_bind_blob,
	.bind_blob_ref = sq_bind_blob_ref,
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
	.bulk_begin = sq_bulk_begin,
	.bulk_end = sq_bulk_end,
	.copy_begin = sq_copy_begin,
	.copy_row = sq_copy_row,
	.copy_end = sq_copy_end,
};
