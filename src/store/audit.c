/*
 * audit.c - appending to, verifying and reading the hash-chained audit
 * trail (store/audit.h).  The chain's format is domain/audit.h's; this
 * file only moves rows in and out of the audit_log table.
 *
 * Appends are serialised so that two writers never both extend the same
 * last row: on SQLite the caller's transaction already holds the write
 * lock (BEGIN IMMEDIATE); on PostgreSQL the append takes an advisory
 * transaction lock before reading the last row, and keeps it until the
 * caller's transaction ends.  Reads of the whole trail (verify, exports)
 * go in batches by seq, so memory stays bounded however long the trail.
 */
#include <inttypes.h>
#include <string.h>

#include "core/buf.h"
#include "core/timeutil.h"
#include "store/audit.h"

/* An arbitrary constant naming "Zhiliang audit append" among advisory
 * locks ("zlaudit" in ASCII); the migration lock uses another one. */
#define PG_AUDIT_LOCK_SQL "SELECT pg_advisory_xact_lock(34459112995842420)"

/* Rows per statement when walking the whole trail. */
#define BATCH 500

#define COLUMNS                                                                                    \
	"a.seq, a.at, a.actor, a.org, a.action, a.target, a.before_digest, a.after_digest,"        \
	" a.request_id, a.detail, a.prev_hash, a.row_hash"

static int is_postgres(struct zl_db *db)
{
	return strcmp(zl_db_backend(db), "postgres") == 0;
}

static const char *str_or_empty(const char *s)
{
	return s != NULL ? s : "";
}

/* Read the COLUMNS of the current row of `st` into `r` (borrowed strings). */
static void read_record(struct zl_stmt *st, struct zl_audit_record *r)
{
	r->f.seq = zl_stmt_column_int64(st, 0);
	r->f.at = zl_stmt_column_text(st, 1);
	r->f.actor = zl_stmt_column_text(st, 2);
	r->f.org = zl_stmt_column_text(st, 3);
	r->f.action = zl_stmt_column_text(st, 4);
	r->f.target = zl_stmt_column_text(st, 5);
	r->f.before_digest = zl_stmt_column_text(st, 6);
	r->f.after_digest = zl_stmt_column_text(st, 7);
	r->f.request_id = zl_stmt_column_text(st, 8);
	r->f.detail = zl_stmt_column_text(st, 9);
	r->f.prev_hash = zl_stmt_column_text(st, 10);
	r->row_hash = zl_stmt_column_text(st, 11);
}

/* ---- head ------------------------------------------------------------- */

int zl_store_audit_head(struct zl_db *db, int64_t *seq, char hash[ZL_SHA256_HEX_LEN + 1],
			struct zl_error *err)
{
	struct zl_stmt *st;
	int rc;

	*seq = 0;
	zl_strlcpy(hash, ZL_AUDIT_GENESIS, ZL_SHA256_HEX_LEN + 1);
	rc = zl_db_prepare(db, "SELECT seq, row_hash FROM audit_log ORDER BY seq DESC LIMIT 1", &st,
			   err);
	if (rc != ZL_OK)
		return rc;
	rc = zl_stmt_step(st, err);
	if (rc == ZL_DB_ROW) {
		*seq = zl_stmt_column_int64(st, 0);
		zl_strlcpy(hash, zl_stmt_column_text(st, 1), ZL_SHA256_HEX_LEN + 1);
	}
	zl_stmt_reset(st);
	return rc < 0 ? rc : ZL_OK;
}

int zl_store_audit_hash_at(struct zl_db *db, int64_t seq, char hash[ZL_SHA256_HEX_LEN + 1],
			   struct zl_error *err)
{
	struct zl_stmt *st;
	int rc;

	hash[0] = '\0';
	rc = zl_db_prepare(db, "SELECT row_hash FROM audit_log WHERE seq = ?", &st, err);
	if (rc != ZL_OK)
		return rc;
	zl_stmt_bind_int64(st, 1, seq);
	rc = zl_stmt_step(st, err);
	if (rc == ZL_DB_ROW) {
		zl_strlcpy(hash, zl_stmt_column_text(st, 0), ZL_SHA256_HEX_LEN + 1);
		rc = ZL_OK;
	} else if (rc == ZL_DB_DONE) {
		rc = zl_error_set(err, ZL_ENOTFOUND, "seq", "no audit row %" PRId64, seq);
	}
	zl_stmt_reset(st);
	return rc;
}

/* ---- append ----------------------------------------------------------- */

int zl_store_audit_append(struct zl_db *db, const struct zl_audit_entry *e, int64_t *seq_out,
			  struct zl_error *err)
{
	struct zl_audit_fields f;
	struct zl_stmt *st;
	char at[32], prev[ZL_SHA256_HEX_LEN + 1], hash[ZL_SHA256_HEX_LEN + 1];
	int64_t last = 0, t;
	int rc;

	if (!zl_db_in_tx(db))
		return zl_error_set(err, ZL_EINTERNAL, "audit",
				    "audit append outside a transaction");
	if (e->actor == NULL || e->actor[0] == '\0')
		return zl_error_set(err, ZL_EINVAL, "actor", "audit row without an actor");
	if (e->action == NULL || e->action[0] == '\0')
		return zl_error_set(err, ZL_EINVAL, "action", "audit row without an action");
	/* One spelling of time for every row, so text order is time order
	 * and the from/to filters compare like with like. */
	if (e->at == NULL)
		t = zl_now_us();
	else if (zl_time_parse_rfc3339(e->at, &t) != ZL_OK)
		return zl_error_set(err, ZL_EINVAL, "at", "not an RFC 3339 time: %s", e->at);
	zl_time_format_rfc3339_us(t, at);

	if (is_postgres(db)) {
		rc = zl_db_exec(db, PG_AUDIT_LOCK_SQL, err);
		if (rc != ZL_OK)
			return rc;
	}
	rc = zl_store_audit_head(db, &last, prev, err);
	if (rc != ZL_OK)
		return rc;

	f.seq = last + 1;
	f.at = at;
	f.actor = e->actor;
	f.org = str_or_empty(e->org);
	f.action = e->action;
	f.target = str_or_empty(e->target);
	f.before_digest = str_or_empty(e->before_digest);
	f.after_digest = str_or_empty(e->after_digest);
	f.request_id = str_or_empty(e->request_id);
	f.detail = str_or_empty(e->detail);
	f.prev_hash = prev;
	zl_audit_row_hash(&f, hash);

	rc = zl_db_prepare(db,
			   "INSERT INTO audit_log (seq, at, actor, org, action, target,"
			   " before_digest, after_digest, request_id, detail, prev_hash, row_hash)"
			   " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
			   &st, err);
	if (rc != ZL_OK)
		return rc;
	zl_stmt_bind_int64(st, 1, f.seq);
	zl_stmt_bind_text(st, 2, f.at, -1);
	zl_stmt_bind_text(st, 3, f.actor, -1);
	zl_stmt_bind_text(st, 4, f.org, -1);
	zl_stmt_bind_text(st, 5, f.action, -1);
	zl_stmt_bind_text(st, 6, f.target, -1);
	zl_stmt_bind_text(st, 7, f.before_digest, -1);
	zl_stmt_bind_text(st, 8, f.after_digest, -1);
	zl_stmt_bind_text(st, 9, f.request_id, -1);
	zl_stmt_bind_text(st, 10, f.detail, -1);
	zl_stmt_bind_text(st, 11, f.prev_hash, -1);
	zl_stmt_bind_text(st, 12, hash, -1);
	rc = zl_stmt_step(st, err);
	zl_stmt_reset(st);
	if (rc < 0)
		return rc;
	if (seq_out != NULL)
		*seq_out = f.seq;
	return ZL_OK;
}

/* ---- verify ----------------------------------------------------------- */

/*
 * Check one row against the previous one (seq `*prev_seq`, row_hash
 * `prev_hash`).  Returns 1 and fills r->first_bad/reason when it breaks the
 * chain, else 0.  The order of the checks names the most telling reason:
 * a missing row first, then a broken link, then altered content.
 */
static int check_row(const struct zl_audit_record *rec, int64_t prev_seq, const char *prev_hash,
		     struct zl_audit_verify_result *r)
{
	char hash[ZL_SHA256_HEX_LEN + 1];

	if (rec->f.seq > prev_seq + 1) {
		r->first_bad = rec->f.seq;
		snprintf(r->reason, sizeof(r->reason),
			 "gap: expected seq %" PRId64 ", found %" PRId64 " (rows deleted)",
			 prev_seq + 1, rec->f.seq);
		return 1;
	}
	if (rec->f.seq != prev_seq + 1) {
		/* seq 0 or below, or a repeated seq (the primary key dropped). */
		r->first_bad = rec->f.seq;
		snprintf(r->reason, sizeof(r->reason),
			 "unexpected seq %" PRId64 " where %" PRId64 " belongs (rows inserted)",
			 rec->f.seq, prev_seq + 1);
		return 1;
	}
	if (strcmp(rec->f.prev_hash, prev_hash) != 0) {
		r->first_bad = rec->f.seq;
		if (prev_seq == 0)
			snprintf(r->reason, sizeof(r->reason),
				 "prev_hash of the first row is not the genesis value");
		else
			snprintf(r->reason, sizeof(r->reason),
				 "prev_hash does not match row %" PRId64
				 "'s row_hash (rows reordered, inserted or rewritten)",
				 prev_seq);
		return 1;
	}
	zl_audit_row_hash(&rec->f, hash);
	if (strcmp(hash, rec->row_hash) != 0) {
		r->first_bad = rec->f.seq;
		snprintf(r->reason, sizeof(r->reason), "row_hash mismatch (row content altered)");
		return 1;
	}
	return 0;
}

/*
 * After an intact walk up to `last`: the table must hold exactly r->rows
 * rows up to there.  More means a repeated seq (possible only once the
 * primary key is dropped) that the walk by "seq > previous" stepped over.
 * Rows appended meanwhile have larger seqs and do not count.
 */
static int check_duplicates(struct zl_db *db, int64_t last, struct zl_audit_verify_result *r,
			    struct zl_error *err)
{
	struct zl_stmt *st;
	int64_t n = 0;
	int rc;

	rc = zl_db_prepare(db, "SELECT count(*) FROM audit_log WHERE seq <= ?", &st, err);
	if (rc != ZL_OK)
		return rc;
	zl_stmt_bind_int64(st, 1, last);
	rc = zl_stmt_step(st, err);
	if (rc == ZL_DB_ROW)
		n = zl_stmt_column_int64(st, 0);
	zl_stmt_reset(st);
	if (rc < 0)
		return rc;
	if (n == r->rows)
		return ZL_OK;
	rc = zl_db_prepare(db,
			   "SELECT seq FROM audit_log WHERE seq <= ? GROUP BY seq"
			   " HAVING count(*) > 1 ORDER BY seq LIMIT 1",
			   &st, err);
	if (rc != ZL_OK)
		return rc;
	zl_stmt_bind_int64(st, 1, last);
	rc = zl_stmt_step(st, err);
	r->first_bad = rc == ZL_DB_ROW ? zl_stmt_column_int64(st, 0) : last;
	zl_stmt_reset(st);
	if (rc < 0)
		return rc;
	snprintf(r->reason, sizeof(r->reason),
		 "%" PRId64 " rows where the chain has %" PRId64
		 " (rows inserted with a repeated seq)",
		 n, r->rows);
	return ZL_OK;
}

int zl_store_audit_verify(struct zl_db *db, struct zl_audit_verify_result *r, struct zl_error *err)
{
	char prev_hash[ZL_SHA256_HEX_LEN + 1];
	int64_t prev_seq = 0, after = INT64_MIN;
	struct zl_stmt *st;
	int rc;

	memset(r, 0, sizeof(*r));
	zl_strlcpy(prev_hash, ZL_AUDIT_GENESIS, sizeof(prev_hash));
	rc = zl_db_prepare(db,
			   "SELECT " COLUMNS " FROM audit_log a WHERE a.seq > ?"
			   " ORDER BY a.seq LIMIT ?",
			   &st, err);
	if (rc != ZL_OK)
		return rc;
	for (;;) {
		int64_t got = 0;

		/* The first batch starts below 1, so rows slipped in at seq 0 or
		 * below are seen (and rejected) too. */
		zl_stmt_bind_int64(st, 1, after);
		zl_stmt_bind_int64(st, 2, BATCH);
		while ((rc = zl_stmt_step(st, err)) == ZL_DB_ROW) {
			struct zl_audit_record rec;

			read_record(st, &rec);
			got++;
			r->rows++;
			if (check_row(&rec, prev_seq, prev_hash, r)) {
				rc = ZL_OK;
				goto out;
			}
			prev_seq = after = rec.f.seq;
			/* A verified row_hash is 64 hex digits: it fits. */
			zl_strlcpy(prev_hash, rec.row_hash, sizeof(prev_hash));
		}
		zl_stmt_reset(st);
		if (rc < 0)
			return rc;
		if (got < BATCH)
			return check_duplicates(db, prev_seq, r, err);
	}
out:
	zl_stmt_reset(st);
	return rc;
}

/* ---- list ------------------------------------------------------------- */

/* Characters (not bytes) of UTF-8 text: SQL substr() counts characters. */
static int64_t utf8_chars(const char *s)
{
	int64_t n = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	return n;
}

/* "/410000/": one code, the top of a tree. */
static int is_root_path(const char *p)
{
	int slashes = 0;

	for (; *p; p++)
		slashes += *p == '/';
	return slashes == 2;
}

/* A subtree path must end with '/', or "/41010" would match "/410100/". */
static int check_filter(const struct zl_audit_filter *flt, struct zl_error *err)
{
	const char *p = flt->subtree_path;

	if (p != NULL && (p[0] != '/' || p[strlen(p) - 1] != '/'))
		return zl_error_set(err, ZL_EINVAL, "org_path", "not an organization path: %s", p);
	return ZL_OK;
}

/*
 * FROM and WHERE for `flt`, appended to `sql`.  Only fixed SQL text goes
 * in; every value is bound by bind_where() in the same order.
 */
static void build_where(struct zl_buf *sql, const struct zl_audit_filter *flt, int cursor)
{
	zl_buf_adds(sql, " FROM audit_log a");
	if (flt->subtree_path != NULL)
		/* The organization's latest row: its current one, or the last
		 * one it had when it was closed. */
		zl_buf_adds(sql, " LEFT JOIN orgs o ON o.code = a.org AND o.valid_from ="
				 " (SELECT MAX(m.valid_from) FROM orgs m WHERE m.code = a.org)");
	zl_buf_adds(sql, " WHERE 1 = 1");
	if (flt->actor != NULL)
		zl_buf_adds(sql, " AND a.actor = ?");
	if (flt->action != NULL)
		zl_buf_adds(sql, " AND a.action = ?");
	if (flt->target_prefix != NULL)
		zl_buf_adds(sql, " AND substr(a.target, 1, CAST(? AS INTEGER)) = ?");
	if (flt->from != NULL)
		zl_buf_adds(sql, " AND a.at >= ?");
	if (flt->to != NULL)
		zl_buf_adds(sql, " AND a.at < ?");
	if (flt->subtree_path != NULL)
		zl_buf_adds(
			sql,
			is_root_path(flt->subtree_path)
				? " AND (substr(o.path, 1, CAST(? AS INTEGER)) = ? OR a.org = '')"
				: " AND substr(o.path, 1, CAST(? AS INTEGER)) = ?");
	if (cursor && flt->before_seq > 0)
		zl_buf_adds(sql, " AND a.seq < ?");
}

/* Bind the values of build_where(); returns the next parameter index. */
static int bind_where(struct zl_stmt *st, const struct zl_audit_filter *flt, int cursor,
		      int64_t before_seq)
{
	int i = 1;

	if (flt->actor != NULL)
		zl_stmt_bind_text(st, i++, flt->actor, -1);
	if (flt->action != NULL)
		zl_stmt_bind_text(st, i++, flt->action, -1);
	if (flt->target_prefix != NULL) {
		zl_stmt_bind_int64(st, i++, utf8_chars(flt->target_prefix));
		zl_stmt_bind_text(st, i++, flt->target_prefix, -1);
	}
	if (flt->from != NULL)
		zl_stmt_bind_text(st, i++, flt->from, -1);
	if (flt->to != NULL)
		zl_stmt_bind_text(st, i++, flt->to, -1);
	if (flt->subtree_path != NULL) {
		zl_stmt_bind_int64(st, i++, utf8_chars(flt->subtree_path));
		zl_stmt_bind_text(st, i++, flt->subtree_path, -1);
	}
	if (cursor && flt->before_seq > 0)
		zl_stmt_bind_int64(st, i++, before_seq);
	return i;
}

int zl_store_audit_count(struct zl_db *db, const struct zl_audit_filter *flt, int64_t *total,
			 struct zl_error *err)
{
	struct zl_buf sql = ZL_BUF_INIT(4096);
	struct zl_stmt *st;
	int rc;

	*total = 0;
	rc = check_filter(flt, err);
	if (rc != ZL_OK)
		return rc;
	zl_buf_adds(&sql, "SELECT count(*)");
	build_where(&sql, flt, 0);
	if (sql.err) {
		rc = zl_error_set(err, sql.err, NULL, "audit query too long");
		goto out;
	}
	rc = zl_db_prepare(db, zl_buf_str(&sql), &st, err);
	if (rc != ZL_OK)
		goto out;
	bind_where(st, flt, 0, 0);
	rc = zl_stmt_step(st, err);
	if (rc == ZL_DB_ROW) {
		*total = zl_stmt_column_int64(st, 0);
		rc = ZL_OK;
	} else if (rc == ZL_DB_DONE) {
		rc = zl_error_set(err, ZL_EDB, "db", "count returned no row");
	}
	zl_stmt_reset(st);
out:
	zl_buf_release(&sql);
	return rc;
}

int zl_store_audit_list(struct zl_db *db, const struct zl_audit_filter *flt, int64_t limit,
			zl_audit_row_fn *fn, void *arg, struct zl_error *err)
{
	struct zl_audit_filter f = *flt;
	struct zl_buf sql = ZL_BUF_INIT(4096);
	struct zl_stmt *st = NULL;
	int64_t sent = 0;
	int rc, cb = 0;

	rc = check_filter(flt, err);
	if (rc != ZL_OK)
		return rc;
	/* Every batch after the first continues below the last seq sent, so
	 * the cursor clause is always present; INT64_MAX stands for "none". */
	if (f.before_seq <= 0)
		f.before_seq = INT64_MAX;
	zl_buf_adds(&sql, "SELECT " COLUMNS);
	build_where(&sql, &f, 1);
	zl_buf_adds(&sql, " ORDER BY a.seq DESC LIMIT ?");
	if (sql.err) {
		rc = zl_error_set(err, sql.err, NULL, "audit query too long");
		goto out;
	}
	rc = zl_db_prepare(db, zl_buf_str(&sql), &st, err);
	if (rc != ZL_OK)
		goto out;
	for (;;) {
		int64_t want = BATCH, got = 0;
		int i;

		if (limit > 0 && limit - sent < want)
			want = limit - sent;
		if (want <= 0)
			break;
		i = bind_where(st, &f, 1, f.before_seq);
		zl_stmt_bind_int64(st, i, want);
		while ((rc = zl_stmt_step(st, err)) == ZL_DB_ROW) {
			struct zl_audit_record rec;

			read_record(st, &rec);
			got++;
			sent++;
			f.before_seq = rec.f.seq;
			cb = fn(arg, &rec);
			if (cb != 0)
				break;
		}
		zl_stmt_reset(st);
		if (cb != 0) {
			rc = cb;
			goto out;
		}
		if (rc < 0)
			goto out;
		rc = ZL_OK;
		if (got < want)
			break;
	}
out:
	zl_buf_release(&sql);
	return rc;
}
