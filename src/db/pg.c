/*
 * pg.c - the PostgreSQL backend of the database driver, over libpq.
 *
 * A connection is opened from the URL itself (libpq understands
 * postgres:// and postgresql:// URLs), then set to UTC, with NOTICE
 * messages suppressed (client_min_messages=warning, and a notice processor
 * that drops the rest) so nothing is printed to stderr.  Statements are written with `?`
 * placeholders, rewritten to $1..$n (placeholders.c) and prepared once per
 * connection under a generated name ("zl_1", "zl_2", ...); the server infers
 * parameter types from their use, so every parameter must appear where its
 * type is evident (a column comparison, an INSERT value, a CAST).
 *
 * Parameters travel as text (int64 in decimal, doubles with 17 significant
 * digits so they round-trip), blobs in binary format.  Results come back as
 * text; the first zl_stmt_step() executes the statement and keeps the whole
 * result, later steps walk its rows.  bytea columns are unescaped on demand.
 *
 * Error mapping by SQLSTATE: 23505 unique and 23503 foreign-key violations
 * are ZL_ECONFLICT; class 08 (connection), 57P0x (shutdown), 53 (resources)
 * and 55P03 (lock not available), or a dead connection, are ZL_EUNAVAIL;
 * everything else is ZL_EDB with the server's message.
 */
#include <libpq-fe.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>

#include "db/db_impl.h"

#define PG_BYTEA_OID 17

/* Bytes of COPY data collected before they go to libpq in one call. */
#define PG_COPY_BLOCK (256 * 1024)

struct pg_conn {
	PGconn *c;
	unsigned long next_id; /* for statement names */
	/* COPY data not yet handed to libpq (zl_db_copy_row). */
	char *cbuf;
	size_t clen, ccap;
};

/* One bound parameter: small values live inline, big ones on the heap. */
struct pg_param {
	char *heap;
	char small[32];
};

struct pg_stmt {
	struct zl_stmt base; /* first: see db_impl.h */
	char name[32];
	int nparams;
	struct pg_param *params;
	const char **values;
	int *lengths;
	int *formats;
	PGresult *res;
	int executed;
	int row, nrows;
	int64_t changes;
	/* Unescaped bytea values of the current row, one per column, so two
	 * blob columns of one row can be held at once; PQfreemem'd on step. */
	struct pg_blob {
		unsigned char *p;
		size_t n;
	} * blobs;
	int nblobs;
};

static PGconn *conn_of(struct zl_db *db)
{
	return ((struct pg_conn *)db->conn)->c;
}

static struct pg_stmt *pgs(struct zl_stmt *st)
{
	return (struct pg_stmt *)st;
}

/* libpq messages end with a newline (sometimes several lines); keep the first. */
static void set_msg(struct zl_error *err, enum zl_err code, const char *what, const char *msg)
{
	size_t n = strcspn(msg, "\n");

	zl_error_set(err, code, "db", "%s: %.*s", what, (int)n, msg);
}

static enum zl_err map_sqlstate(PGconn *c, const PGresult *res)
{
	const char *state = res != NULL ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;

	if (PQstatus(c) == CONNECTION_BAD)
		return ZL_EUNAVAIL;
	if (state == NULL)
		return ZL_EDB;
	if (strcmp(state, "23505") == 0 || strcmp(state, "23503") == 0)
		return ZL_ECONFLICT;
	if (strncmp(state, "08", 2) == 0 || strncmp(state, "57P0", 4) == 0 ||
	    strncmp(state, "53", 2) == 0 || strcmp(state, "55P03") == 0)
		return ZL_EUNAVAIL;
	return ZL_EDB;
}

/* Check a result; on failure fill `err`, clear it and return the code. */
static int check_result(PGconn *c, PGresult *res, const char *what, struct zl_error *err)
{
	ExecStatusType s = res != NULL ? PQresultStatus(res) : PGRES_FATAL_ERROR;
	enum zl_err code;

	if (s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK || s == PGRES_EMPTY_QUERY)
		return ZL_OK;
	code = res == NULL ? ZL_ENOMEM : map_sqlstate(c, res);
	if (res == NULL && PQstatus(c) == CONNECTION_BAD)
		code = ZL_EUNAVAIL;
	set_msg(err, code, what, res != NULL ? PQresultErrorMessage(res) : PQerrorMessage(c));
	return code;
}

static int pg_exec(struct zl_db *db, const char *sql, struct zl_error *err)
{
	PGconn *c = conn_of(db);
	PGresult *res = PQexec(c, sql);
	int rc = check_result(c, res, "exec", err);

	PQclear(res);
	return rc;
}

static void drop_notice(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

static int pg_open(struct zl_db *db, const char *target, const struct zl_db_options *opt,
		   struct zl_error *err)
{
	struct pg_conn *pc = calloc(1, sizeof(*pc));
	int rc;

	if (pc == NULL)
		return zl_error_set(err, ZL_ENOMEM, "db", "out of memory");
	pc->c = PQconnectdb(target);
	if (pc->c == NULL) {
		free(pc);
		return zl_error_set(err, ZL_ENOMEM, "db", "out of memory connecting to PostgreSQL");
	}
	if (PQstatus(pc->c) != CONNECTION_OK) {
		/* Never echo the URL: it may carry a password. */
		set_msg(err, ZL_EUNAVAIL, "cannot connect to PostgreSQL", PQerrorMessage(pc->c));
		PQfinish(pc->c);
		free(pc);
		return ZL_EUNAVAIL;
	}
	/* A library does not write to stderr: notices and warnings (e.g. ROLLBACK
	 * after a failed COMMIT: "no transaction in progress") are dropped. */
	PQsetNoticeProcessor(pc->c, drop_notice, NULL);
	db->conn = pc;
	rc = pg_exec(db,
		     opt != NULL && opt->readonly
			     ? "SET client_min_messages=warning; SET TIME ZONE 'UTC';"
			       " SET default_transaction_read_only=on"
			     : "SET client_min_messages=warning; SET TIME ZONE 'UTC'",
		     err);
	if (rc != ZL_OK) {
		PQfinish(pc->c);
		free(pc);
		db->conn = NULL;
		return rc;
	}
	return ZL_OK;
}

static void pg_close(struct zl_db *db)
{
	struct pg_conn *pc = db->conn;

	PQfinish(pc->c);
	free(pc->cbuf);
	free(pc);
	db->conn = NULL;
}

static void clear_params(struct pg_stmt *s)
{
	for (int i = 0; i < s->nparams; i++) {
		free(s->params[i].heap);
		s->params[i].heap = NULL;
		s->values[i] = NULL;
		s->lengths[i] = 0;
		s->formats[i] = 0;
	}
}

static void clear_blobs(struct pg_stmt *s)
{
	for (int i = 0; i < s->nblobs; i++) {
		if (s->blobs[i].p != NULL)
			PQfreemem(s->blobs[i].p);
		s->blobs[i].p = NULL;
	}
}

static void clear_result(struct pg_stmt *s)
{
	PQclear(s->res);
	s->res = NULL;
	clear_blobs(s);
	free(s->blobs);
	s->blobs = NULL;
	s->nblobs = 0;
	s->executed = 0;
	s->row = -1;
	s->nrows = 0;
}

static void pg_finalize(struct zl_stmt *st)
{
	struct pg_stmt *s = pgs(st);

	/* The server-side statement goes away with the connection, and
	 * statements are finalized only when it closes. */
	clear_result(s);
	clear_params(s);
	free(s->params);
	free(s->values);
	free(s->lengths);
	free(s->formats);
	free(s);
}

static int pg_prepare(struct zl_db *db, const char *sql, struct zl_stmt **out, struct zl_error *err)
{
	struct pg_conn *pc = db->conn;
	struct pg_stmt *s;
	PGresult *res;
	char *text;
	int n = 0, rc;

	text = zl_db_rewrite_placeholders(sql, &n);
	if (text == NULL)
		return zl_error_set(err, ZL_ENOMEM, "db", "out of memory");
	s = calloc(1, sizeof(*s));
	if (s == NULL) {
		free(text);
		return zl_error_set(err, ZL_ENOMEM, "db", "out of memory");
	}
	s->row = -1;
	s->nparams = n;
	if (n > 0) {
		s->params = calloc((size_t)n, sizeof(*s->params));
		s->values = calloc((size_t)n, sizeof(*s->values));
		s->lengths = calloc((size_t)n, sizeof(*s->lengths));
		s->formats = calloc((size_t)n, sizeof(*s->formats));
		if (s->params == NULL || s->values == NULL || s->lengths == NULL ||
		    s->formats == NULL) {
			free(text);
			pg_finalize(&s->base);
			return zl_error_set(err, ZL_ENOMEM, "db", "out of memory");
		}
	}
	snprintf(s->name, sizeof(s->name), "zl_%lu", ++pc->next_id);
	res = PQprepare(pc->c, s->name, text, 0, NULL);
	free(text);
	rc = check_result(pc->c, res, "prepare", err);
	PQclear(res);
	if (rc != ZL_OK) {
		pg_finalize(&s->base);
		return rc;
	}
	*out = &s->base;
	return ZL_OK;
}

/* Store a parameter value of `n` bytes (plus a NUL for text). */
static int set_param(struct pg_stmt *s, int idx, const void *p, size_t n, int binary)
{
	struct pg_param *pp;
	char *dst;

	if (idx < 1 || idx > s->nparams)
		return ZL_EINVAL;
	if (n > INT32_MAX - 1)
		return ZL_ETOOBIG;
	pp = &s->params[idx - 1];
	free(pp->heap);
	pp->heap = NULL;
	if (n < sizeof(pp->small)) {
		dst = pp->small;
	} else {
		pp->heap = malloc(n + 1);
		if (pp->heap == NULL)
			return ZL_ENOMEM;
		dst = pp->heap;
	}
	if (n > 0)
		memcpy(dst, p, n);
	dst[n] = '\0';
	s->values[idx - 1] = dst;
	s->lengths[idx - 1] = (int)n;
	s->formats[idx - 1] = binary;
	return ZL_OK;
}

static int pg_bind_int64(struct zl_stmt *st, int idx, int64_t v)
{
	char tmp[32];
	int n = snprintf(tmp, sizeof(tmp), "%lld", (long long)v);

	return set_param(pgs(st), idx, tmp, (size_t)n, 0);
}

static int pg_bind_double(struct zl_stmt *st, int idx, double v)
{
	char tmp[40];
	int n;

	if (isnan(v))
		n = snprintf(tmp, sizeof(tmp), "NaN");
	else if (isinf(v))
		n = snprintf(tmp, sizeof(tmp), "%sInfinity", v < 0 ? "-" : "");
	else
		n = snprintf(tmp, sizeof(tmp), "%.17g", v);
	return set_param(pgs(st), idx, tmp, (size_t)n, 0);
}

static int pg_bind_text(struct zl_stmt *st, int idx, const char *s, size_t n)
{
	return set_param(pgs(st), idx, s, n, 0);
}

static int pg_bind_blob(struct zl_stmt *st, int idx, const void *p, size_t n)
{
	return set_param(pgs(st), idx, p, n, 1);
}

static int pg_bind_null(struct zl_stmt *st, int idx)
{
	struct pg_stmt *s = pgs(st);

	if (idx < 1 || idx > s->nparams)
		return ZL_EINVAL;
	free(s->params[idx - 1].heap);
	s->params[idx - 1].heap = NULL;
	s->values[idx - 1] = NULL;
	s->lengths[idx - 1] = 0;
	s->formats[idx - 1] = 0;
	return ZL_OK;
}

/* Rows written, from the command tag ("INSERT 0 3", "UPDATE 2"); 0 for reads. */
static int64_t tag_changes(PGresult *res)
{
	const char *tag = PQcmdStatus(res);
	const char *n = PQcmdTuples(res);

	if (strncmp(tag, "INSERT", 6) != 0 && strncmp(tag, "UPDATE", 6) != 0 &&
	    strncmp(tag, "DELETE", 6) != 0 && strncmp(tag, "MERGE", 5) != 0)
		return 0;
	return n != NULL && *n != '\0' ? strtoll(n, NULL, 10) : 0;
}

static int pg_step(struct zl_stmt *st, struct zl_error *err)
{
	struct pg_stmt *s = pgs(st);
	PGconn *c = conn_of(st->db);
	int rc;

	if (!s->executed) {
		s->executed = 1;
		s->res = PQexecPrepared(c, s->name, s->nparams, s->values, s->lengths, s->formats,
					0);
		rc = check_result(c, s->res, "step", err);
		if (rc != ZL_OK) {
			PQclear(s->res);
			s->res = NULL;
			return rc;
		}
		s->nrows = PQresultStatus(s->res) == PGRES_TUPLES_OK ? PQntuples(s->res) : 0;
		s->changes = tag_changes(s->res);
		s->row = -1;
	}
	clear_blobs(s);
	if (s->row + 1 < s->nrows) {
		s->row++;
		return ZL_DB_ROW;
	}
	s->row = s->nrows;
	return ZL_DB_DONE;
}

/* True when `col` of the current row can be read. */
static int on_row(struct pg_stmt *s, int col)
{
	return s->res != NULL && s->row >= 0 && s->row < s->nrows && col >= 0 &&
	       col < PQnfields(s->res);
}

static int pg_column_count(struct zl_stmt *st)
{
	struct pg_stmt *s = pgs(st);

	return s->res != NULL ? PQnfields(s->res) : 0;
}

static int pg_column_is_null(struct zl_stmt *st, int col)
{
	struct pg_stmt *s = pgs(st);

	return !on_row(s, col) || PQgetisnull(s->res, s->row, col);
}

static int64_t pg_column_int64(struct zl_stmt *st, int col)
{
	struct pg_stmt *s = pgs(st);
	const char *v;

	if (!on_row(s, col) || PQgetisnull(s->res, s->row, col))
		return 0;
	v = PQgetvalue(s->res, s->row, col);
	/* Booleans come back as t/f; numerics may carry a fraction (truncated,
	 * as SQLite does for a REAL read as an integer). */
	if (v[0] == 't' && v[1] == '\0')
		return 1;
	if (strpbrk(v, ".eE") != NULL)
		return (int64_t)strtod(v, NULL);
	return strtoll(v, NULL, 10);
}

static double pg_column_double(struct zl_stmt *st, int col)
{
	struct pg_stmt *s = pgs(st);

	if (!on_row(s, col) || PQgetisnull(s->res, s->row, col))
		return 0.0;
	return strtod(PQgetvalue(s->res, s->row, col), NULL);
}

static const char *pg_column_text(struct zl_stmt *st, int col)
{
	struct pg_stmt *s = pgs(st);

	if (!on_row(s, col) || PQgetisnull(s->res, s->row, col))
		return "";
	return PQgetvalue(s->res, s->row, col);
}

static const void *pg_column_blob(struct zl_stmt *st, int col, size_t *n)
{
	struct pg_stmt *s = pgs(st);
	size_t len = 0;

	*n = 0;
	if (!on_row(s, col) || PQgetisnull(s->res, s->row, col))
		return "";
	if (PQftype(s->res, col) != PG_BYTEA_OID) {
		*n = (size_t)PQgetlength(s->res, s->row, col);
		return PQgetvalue(s->res, s->row, col);
	}
	if (s->blobs == NULL) {
		s->blobs = calloc((size_t)PQnfields(s->res), sizeof(*s->blobs));
		if (s->blobs == NULL)
			return "";
		s->nblobs = PQnfields(s->res);
	}
	if (s->blobs[col].p == NULL) {
		s->blobs[col].p = PQunescapeBytea(
			(const unsigned char *)PQgetvalue(s->res, s->row, col), &len);
		if (s->blobs[col].p == NULL)
			return "";
		s->blobs[col].n = len;
	}
	*n = s->blobs[col].n;
	return s->blobs[col].p;
}

static int64_t pg_changes(struct zl_stmt *st)
{
	return pgs(st)->changes;
}

static void pg_reset(struct zl_stmt *st)
{
	struct pg_stmt *s = pgs(st);

	clear_result(s);
	clear_params(s);
	s->changes = 0;
}

static int pg_begin(struct zl_db *db, struct zl_error *err)
{
	return pg_exec(db, "BEGIN", err);
}

static int pg_begin_read(struct zl_db *db, struct zl_error *err)
{
	/* One snapshot for every statement of the transaction, read-only. */
	return pg_exec(db, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", err);
}

static int pg_commit(struct zl_db *db, struct zl_error *err)
{
	PGconn *c = conn_of(db);
	PGresult *res = PQexec(c, "COMMIT");
	int rc = check_result(c, res, "commit", err);

	/* COMMIT of a transaction that already failed "succeeds" with the tag
	 * ROLLBACK; the caller must learn that nothing was written. */
	if (rc == ZL_OK && strcmp(PQcmdStatus(res), "ROLLBACK") == 0)
		rc = zl_error_set(err, ZL_EDB, "db",
				  "commit: the transaction had failed and was rolled back");
	PQclear(res);
	return rc;
}

static void pg_rollback(struct zl_db *db)
{
	PQclear(PQexec(conn_of(db), "ROLLBACK"));
}

/* ---- COPY ... FROM STDIN ----------------------------------------------------- */

static int pg_copy_begin(struct zl_db *db, const char *table, const char *cols, size_t ncols,
			 struct zl_error *err)
{
	struct pg_conn *pc = db->conn;
	size_t n = strlen(table) + strlen(cols) + 32;
	char *sql = malloc(n);
	PGresult *res;
	int rc = ZL_OK;

	(void)ncols;
	if (sql == NULL)
		return zl_error_set(err, ZL_ENOMEM, "db", "out of memory");
	snprintf(sql, n, "COPY %s (%s) FROM STDIN", table, cols);
	res = PQexec(pc->c, sql);
	free(sql);
	if (res == NULL || PQresultStatus(res) != PGRES_COPY_IN) {
		rc = check_result(pc->c, res, "copy", err);
		if (rc == ZL_OK) /* a statement that is not a COPY: cannot happen */
			rc = zl_error_set(err, ZL_EDB, "db", "copy: the server did not start it");
	}
	PQclear(res);
	pc->clen = 0;
	return rc;
}

/* Hand the collected COPY data to libpq. */
static int copy_flush(struct pg_conn *pc, struct zl_error *err)
{
	if (pc->clen == 0)
		return ZL_OK;
	if (PQputCopyData(pc->c, pc->cbuf, (int)pc->clen) != 1) {
		set_msg(err, PQstatus(pc->c) == CONNECTION_BAD ? ZL_EUNAVAIL : ZL_EDB, "copy",
			PQerrorMessage(pc->c));
		return err != NULL ? err->code : ZL_EDB;
	}
	pc->clen = 0;
	return ZL_OK;
}

/* Room for `more` bytes in the copy buffer. */
static int copy_room(struct pg_conn *pc, size_t more)
{
	size_t cap = pc->ccap ? pc->ccap : PG_COPY_BLOCK + 4096;
	char *p;

	if (pc->clen + more <= pc->ccap)
		return ZL_OK;
	while (cap < pc->clen + more)
		cap *= 2;
	p = realloc(pc->cbuf, cap);
	if (p == NULL)
		return ZL_ENOMEM;
	pc->cbuf = p;
	pc->ccap = cap;
	return ZL_OK;
}

/*
 * One row in COPY text format: values separated by tabs, a newline at the
 * end, \N for NULL; in a value backslash, tab, newline and carriage return
 * are written \\, \t, \n and \r (every other byte goes as is: the data is
 * UTF-8 and so is the connection).
 */
static int pg_copy_row(struct zl_db *db, const char *const *values, size_t n, struct zl_error *err)
{
	struct pg_conn *pc = db->conn;
	size_t need = n + 1;
	char *o;

	for (size_t i = 0; i < n; i++)
		need += values[i] != NULL ? 2 * strlen(values[i]) : 2;
	if (need > (size_t)INT32_MAX / 2)
		return zl_error_set(err, ZL_ETOOBIG, "db", "copy: a row of %zu bytes", need);
	if (copy_room(pc, need) != ZL_OK)
		return zl_error_set(err, ZL_ENOMEM, "db", "out of memory");
	o = pc->cbuf + pc->clen;
	for (size_t i = 0; i < n; i++) {
		const char *v = values[i];

		if (i > 0)
			*o++ = '\t';
		if (v == NULL) {
			*o++ = '\\';
			*o++ = 'N';
			continue;
		}
		for (; *v != '\0'; v++) {
			switch (*v) {
			case '\\':
				*o++ = '\\';
				*o++ = '\\';
				break;
			case '\t':
				*o++ = '\\';
				*o++ = 't';
				break;
			case '\n':
				*o++ = '\\';
				*o++ = 'n';
				break;
			case '\r':
				*o++ = '\\';
				*o++ = 'r';
				break;
			default:
				*o++ = *v;
			}
		}
	}
	*o++ = '\n';
	pc->clen = (size_t)(o - pc->cbuf);
	return pc->clen >= PG_COPY_BLOCK ? copy_flush(pc, err) : ZL_OK;
}

static int pg_copy_end(struct zl_db *db, const char *abort_msg, struct zl_error *err)
{
	struct pg_conn *pc = db->conn;
	PGresult *res;
	int rc = ZL_OK, r;

	if (abort_msg == NULL)
		rc = copy_flush(pc, err);
	pc->clen = 0;
	r = PQputCopyEnd(pc->c, rc == ZL_OK ? abort_msg : "client error");
	if (r != 1 && rc == ZL_OK && abort_msg == NULL) {
		set_msg(err, PQstatus(pc->c) == CONNECTION_BAD ? ZL_EUNAVAIL : ZL_EDB, "copy",
			PQerrorMessage(pc->c));
		rc = err != NULL ? err->code : ZL_EDB;
	}
	/* The COPY's own result, then NULL; drain them all so the connection is free. */
	while ((res = PQgetResult(pc->c)) != NULL) {
		if (rc == ZL_OK && abort_msg == NULL)
			rc = check_result(pc->c, res, "copy", err);
		PQclear(res);
		if (PQstatus(pc->c) == CONNECTION_BAD)
			break;
	}
	return abort_msg == NULL ? rc : ZL_OK;
}

static void pg_library_version(char *out, size_t n)
{
	int v = PQlibVersion(); /* e.g. 150020 for 15.20 */

	snprintf(out, n, "libpq %d.%d", v / 10000, v % 10000);
}

const struct zl_db_ops zl_db_pg_ops = {
	.name = "postgres",
	.library_version = pg_library_version,
	.open = pg_open,
	.close = pg_close,
	.exec = pg_exec,
	.prepare = pg_prepare,
	.bind_int64 = pg_bind_int64,
	.bind_double = pg_bind_double,
	.bind_text = pg_bind_text,
	/* libpq sends parameters from our buffers at the step: copied as ever. */
	.bind_text_ref = pg_bind_text,
	.bind_blob = pg_bind_blob,
	.bind_blob_ref = pg_bind_blob,
	.bind_null = pg_bind_null,
	.step = pg_step,
	.column_count = pg_column_count,
	.column_is_null = pg_column_is_null,
	.column_int64 = pg_column_int64,
	.column_double = pg_column_double,
	.column_text = pg_column_text,
	.column_blob = pg_column_blob,
	.changes = pg_changes,
	.reset = pg_reset,
	.finalize = pg_finalize,
	.begin = pg_begin,
	.begin_read = pg_begin_read,
	.commit = pg_commit,
	.rollback = pg_rollback,
	.copy_begin = pg_copy_begin,
	.copy_row = pg_copy_row,
	.copy_end = pg_copy_end,
};
