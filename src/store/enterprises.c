/*
 * enterprises.c - the SQL of the enterprise register (store/enterprises.h):
 * upsert with version history, former names, the name-gram index, the
 * change feed, certifications and awards.
 *
 * The upsert is the hot path of bulk imports (millions of rows in one
 * transaction), so it reads the current row once, does nothing more for an
 * unchanged record, and otherwise issues only cached prepared statements:
 * the record, its change row, on an update the snapshot of the version it
 * replaces and, when the name is new, its grams (delta rows of the name
 * index, or postings in the bulk writer's builder).  Change rows and new
 * eids are numbered MAX + 1 inside the transaction: on SQLite the write
 * lock of BEGIN IMMEDIATE serialises writers; on PostgreSQL an advisory
 * transaction lock does, as for the audit trail (the name index takes the
 * same lock, store/enterprise_index.c).  A bulk writer reads both maxima
 * once, under that lock taken at its first write and held to the commit,
 * and counts in memory; it also reads the highest key once and skips the
 * lookup of keys above it (an import writes in ascending key order, so
 * into an empty or older register most rows cost no read).
 */
#include "store/query.h"
#include "store/enterprise_row.h"
#include "store/enterprises.h"

#include <inttypes.h>
#include <string.h>

#include "core/buf.h"
#include "core/jw.h"
#include "core/timeutil.h"
#include "domain/postings.h"
#include "store/enterprise_index.h"

/* An arbitrary constant naming "Zhiliang enterprise change feed" among advisory locks. */

static int is_postgres(struct zl_db *db)
{
	return strcmp(zl_db_backend(db), "postgres") == 0;
}

static int need_tx(struct zl_db *db, struct zl_error *err)
{
	if (!zl_db_in_tx(db))
		return zl_error_set(err, ZL_EINTERNAL, "enterprise",
				    "enterprise write outside a transaction");
	return ZL_OK;
}

void zl_store_enterprise_row_read(struct zl_stmt *st, struct zl_enterprise *e)
{
	memset(e, 0, sizeof(*e));
	zl_store_col_text(st, 0, e->uscc, sizeof(e->uscc));
	zl_store_col_text(st, 1, e->org_code, sizeof(e->org_code));
	e->legacy = (int)zl_stmt_column_int64(st, 2);
	zl_store_col_text(st, 3, e->name, sizeof(e->name));
	zl_store_col_text(st, 4, e->region, sizeof(e->region));
	zl_store_col_text(st, 5, e->industry, sizeof(e->industry));
	zl_store_col_text(st, 6, e->address, sizeof(e->address));
	zl_store_col_text(st, 7, e->legal_rep, sizeof(e->legal_rep));
	zl_store_col_text(st, 8, e->registered_capital, sizeof(e->registered_capital));
	zl_store_col_text(st, 9, e->founded, sizeof(e->founded));
	zl_store_col_text(st, 10, e->size_class, sizeof(e->size_class));
	zl_store_col_text(st, 11, e->status, sizeof(e->status));
	zl_store_col_text(st, 12, e->cqo_name, sizeof(e->cqo_name));
	zl_store_col_text(st, 13, e->cqo_appointed, sizeof(e->cqo_appointed));
	e->version = zl_stmt_column_int64(st, 14);
	zl_store_col_text(st, 15, e->created_at, sizeof(e->created_at));
	zl_store_col_text(st, 16, e->updated_at, sizeof(e->updated_at));
	e->eid = zl_stmt_column_int64(st, 17);
	zl_store_col_text(st, 18, e->updated_by, sizeof(e->updated_by));
}

int zl_store_enterprise_get(struct zl_db *db, const char *uscc, struct zl_enterprise *out,
			    struct zl_error *err)
{
	struct zl_stmt *st;
	int rc;

	rc = zl_db_prepare(db, "SELECT " ZL_ENT_COLS " FROM enterprises WHERE uscc = ?", &st, err);
	if (rc != ZL_OK)
		return rc;
	zl_stmt_bind_text(st, 1, uscc, -1);
	rc = zl_stmt_step(st, err);
	if (rc == ZL_DB_ROW) {
		zl_store_enterprise_row_read(st, out);
		rc = ZL_OK;
	} else if (rc == ZL_DB_DONE) {
		rc = zl_error_set(err, ZL_ENOTFOUND, "uscc", "no enterprise %.24s", uscc);
	}
	zl_stmt_reset(st);
	return rc;
}

/*
 * One flag column per list of zl_store_enterprise_lookup(): 1 when the
 * caller asked for it (its parameter is not 0) and the list has a row.  A
 * CASE evaluates the EXISTS only when asked, on both backends, and yields
 * an integer on both (EXISTS alone is a boolean on PostgreSQL).
 */
#define LIST_FLAG(table)                                                                           \
	", CASE WHEN CAST(? AS INTEGER) = 0 THEN 0 WHEN EXISTS (SELECT 1 FROM " table                 \
	" l WHERE l.uscc = enterprises.uscc) THEN 1 ELSE 0 END"

/* The lists in the order of their flag columns (after ZL_ENT_COLS) and parameters. */
static const unsigned list_bits[] = {ZL_ENT_LIST_FORMER, ZL_ENT_LIST_CERTS, ZL_ENT_LIST_AWARDS,
				     ZL_ENT_LIST_CREDIT, ZL_ENT_LIST_VERSIONS};

#define ENT_N_COLS 19 /* columns of ZL_ENT_COLS */

int zl_store_enterprise_lookup(struct zl_db *db, const char *uscc, unsigned want,
			       struct zl_enterprise *out, unsigned *has, struct zl_error *err)
{
	const size_t nlists = sizeof(list_bits) / sizeof(list_bits[0]);
	struct zl_stmt *st;
	int rc;

	*has = 0;
	rc = zl_db_prepare(db,
			   "SELECT " ZL_ENT_COLS LIST_FLAG("enterprise_former_names")
				   LIST_FLAG("enterprise_certs") LIST_FLAG("enterprise_awards")
					   LIST_FLAG("credit_events") LIST_FLAG("enterprise_versions")
						   " FROM enterprises WHERE uscc = ?",
			   &st, err);
	if (rc != ZL_OK)
		return rc;
	for (size_t i = 0; i < nlists; i++)
		zl_stmt_bind_int64(st, (int)i + 1, (want & list_bits[i]) != 0);
	zl_stmt_bind_text(st, (int)nlists + 1, uscc, -1);
	rc = zl_stmt_step(st, err);
	if (rc == ZL_DB_ROW) {
		zl_store_enterprise_row_read(st, out);
		for (size_t i = 0; i < nlists; i++)
			if (zl_stmt_column_int64(st, ENT_N_COLS + (int)i) != 0)
				*has |= list_bits[i];
		rc = ZL_OK;
	} else if (rc == ZL_DB_DONE) {
		rc = zl_error_set(err, ZL_ENOTFOUND, "uscc", "no enterprise %.24s", uscc);
	}
	zl_stmt_reset(st);
	return rc;
}

/* The stored fields of two records are equal (version, times, eid and updated_by aside). */
int zl_store_enterprise_same(const struct zl_enterprise *a, const struct zl_enterprise *b)
{
	return a->legacy == b->legacy && !strcmp(a->org_code, b->org_code) &&
	       !strcmp(a->name, b->name) && !strcmp(a->region, b->region) &&
	       !strcmp(a->industry, b->industry) && !strcmp(a->address, b->address) &&
	       !strcmp(a->legal_rep, b->legal_rep) &&
	       !strcmp(a->registered_capital, b->registered_capital) &&
	       !strcmp(a->founded, b->founded) && !strcmp(a->size_class, b->size_class) &&
	       !strcmp(a->status, b->status) && !strcmp(a->cqo_name, b->cqo_name) &&
	       !strcmp(a->cqo_appointed, b->cqo_appointed);
}

void zl_store_enterprise_json(struct zl_jw *w, const struct zl_enterprise *e)
{
	zl_jw_obj_begin(w);
	zl_store_enterprise_json_members(w, e);
	zl_jw_obj_end(w);
}

void zl_store_enterprise_json_members(struct zl_jw *w, const struct zl_enterprise *e)
{
	zl_jw_kstr(w, "uscc", e->uscc);
	zl_jw_kstr(w, "org_code", e->org_code);
	zl_jw_kbool(w, "legacy", e->legacy);
	zl_jw_kstr(w, "name", e->name);
	zl_jw_kstr(w, "region", e->region);
	zl_jw_kstr(w, "industry", e->industry);
	zl_jw_kstr(w, "address", e->address);
	zl_jw_kstr(w, "legal_rep", e->legal_rep);
	zl_jw_kstr(w, "registered_capital", e->registered_capital);
	zl_jw_kstr(w, "founded", e->founded);
	zl_jw_kstr(w, "size_class", e->size_class);
	zl_jw_kstr(w, "status", e->status);
	zl_jw_kstr(w, "cqo_name", e->cqo_name);
	zl_jw_kstr(w, "cqo_appointed", e->cqo_appointed);
	zl_jw_kint(w, "version", e->version);
	zl_jw_kstr(w, "created_at", e->created_at);
	zl_jw_kstr(w, "updated_at", e->updated_at);
}

/* ---- the change feed ------------------------------------------------------ */

/* Append a change row numbered max + 1 (the single writers' way), stamped `at`. */
static int change_append_at(struct zl_db *db, const char *uscc, const char *op, const char *at,
			    int64_t *seq_out, struct zl_error *err)
{
	struct zl_stmt *st;
	int64_t seq = 0;
	int rc;

	if ((rc = need_tx(db, err)) != ZL_OK)
		return rc;
	if (is_postgres(db)) {
		rc = zl_db_exec(db, ZL_ENT_LOCK_SQL, err);
		if (rc != ZL_OK)
			return rc;
	}
	/* Number and insert in one statement: one round trip per change. */
	rc = zl_db_prepare(db,
			   "INSERT INTO enterprise_changes (seq, uscc, op, at)"
			   " SELECT COALESCE(MAX(seq), 0) + 1, ?, ?, ? FROM enterprise_changes"
			   " RETURNING seq",
			   &st, err);
	if (rc != ZL_OK)
		return rc;
	zl_stmt_bind_text(st, 1, uscc, -1);
	zl_stmt_bind_text(st, 2, op, -1);
	zl_stmt_bind_text(st, 3, at, -1);
	rc = zl_stmt_step(st, err);
	if (rc == ZL_DB_ROW)
		seq = zl_stmt_column_int64(st, 0);
	zl_stmt_reset(st);
	if (rc < 0)
		return rc;
	if (seq <= 0)
		return zl_error_set(err, ZL_EINTERNAL, "seq", "change row without a number");
	if (seq_out != NULL)
		*seq_out = seq;
	return ZL_OK;
}

int zl_store_enterprise_change_append(struct zl_db *db, const char *uscc, const char *op,
				      int64_t *seq_out, struct zl_error *err)
{
	char at[32];

	zl_time_format_rfc3339_us(zl_now_us(), at);
	return change_append_at(db, uscc, op, at, seq_out, err);
}

/* A single int64 from a one-row query (NULL reads as 0). */
static int query_int64(struct zl_db *db, const char *sql, int64_t *out, struct zl_error *err)
{
	struct zl_stmt *st;
	int rc;

	*out = 0;
	if ((rc = zl_db_prepare(db, sql, &st, err)) != ZL_OK)
		return rc;
	rc = zl_stmt_step(st, err);
	if (rc == ZL_DB_ROW)
		*out = zl_stmt_column_int64(st, 0);
	zl_stmt_reset(st);
	return rc < 0 ? rc : ZL_OK;
}

/*
 * The first write of a bulk writer in this transaction (enterprises.h):
 * on PostgreSQL the change feed's lock, held to the commit (an xact lock),
 * then the counters and the time, read under it.
 */
static int bulk_start(struct zl_db *db, struct zl_ent_bulk *bulk, struct zl_error *err);

int zl_store_enterprise_bulk_begin(struct zl_db *db, struct zl_ent_bulk *bulk, struct zl_error *err)
{
	return bulk_start(db, bulk, err);
}

static int bulk_start(struct zl_db *db, struct zl_ent_bulk *bulk, struct zl_error *err)
{
	struct zl_stmt *st;
	int rc;

	if (bulk->started)
		return ZL_OK;
	if ((rc = need_tx(db, err)) != ZL_OK)
		return rc;
	if (is_postgres(db) && (rc = zl_db_exec(db, ZL_ENT_LOCK_SQL, err)) != ZL_OK)
		return rc;
	if (bulk->next_seq == 0) {
		rc = query_int64(db, "SELECT COALESCE(MAX(seq), 0) + 1 FROM enterprise_changes",
				 &bulk->next_seq, err);
		if (rc != ZL_OK)
			return rc;
		if (bulk->next_seq <= 0)
			return zl_error_set(err, ZL_EINTERNAL, "seq", "no change number left");
	}
	bulk->hi_valid = 0;
	bulk->hi_key[0] = '\0';
	if (bulk->next_seq > 0) {
		/* In byte order, as strcmp() compares (PostgreSQL's default collation may not). */
		rc = zl_db_prepare(db,
				   is_postgres(db)
					   ? "SELECT MAX(uscc COLLATE \"C\") FROM enterprises"
					   : "SELECT MAX(uscc) FROM enterprises",
				   &st, err);
		if (rc != ZL_OK)
			return rc;
		rc = zl_stmt_step(st, err);
		if (rc == ZL_DB_ROW) {
			const char *k = zl_stmt_column_text(st, 0);
			/* A key too long to copy whole disables the shortcut. */
			if (k == NULL || strlen(k) < sizeof(bulk->hi_key)) {
				zl_strlcpy(bulk->hi_key, k ? k : "", sizeof(bulk->hi_key));
				bulk->hi_valid = 1;
			}
		}
		zl_stmt_reset(st);
		if (rc < 0)
			return rc;
	}
	bulk->now_us = zl_now_us();
	zl_time_format_rfc3339_us(bulk->now_us, bulk->now);
	bulk->started = 1;
	return ZL_OK;
}

/* Append a change row: numbered by the bulk writer's counter when it has one. */
static int change_add(struct zl_db *db, struct zl_ent_bulk *bulk, const char *uscc, const char *op,
		      int64_t *seq_out, struct zl_error *err)
{
	struct zl_stmt *st;
	int rc;

	if (bulk == NULL)
		return zl_store_enterprise_change_append(db, uscc, op, seq_out, err);
	if ((rc = bulk_start(db, bulk, err)) != ZL_OK)
		return rc;
	if (bulk->next_seq < 0)
		return change_append_at(db, uscc, op, bulk->now, seq_out, err);
	/* Once per writer: the cache's lookup hashes the whole SQL text. */
	if (bulk->st_change == NULL &&
	    (rc = zl_db_prepare(
		     db, "INSERT INTO enterprise_changes (seq, uscc, op, at) VALUES (?, ?, ?, ?)",
		     &bulk->st_change, err)) != ZL_OK)
		return rc;
	st = bulk->st_change;
	zl_stmt_bind_int64(st, 1, bulk->next_seq);
	zl_stmt_bind_text_ref(st, 2, uscc, -1);
	zl_stmt_bind_text_ref(st, 3, op, -1);
	zl_stmt_bind_text_ref(st, 4, bulk->now, -1);
	rc = zl_stmt_step(st, err);
	zl_stmt_reset(st);
	if (rc < 0)
		return rc;
	if (seq_out != NULL)
		*seq_out = bulk->next_seq;
	bulk->next_seq++;
	return ZL_OK;
}

int zl_store_enterprise_changes(struct zl_db *db, int64_t since, int limit, zl_ent_change_fn *fn,
				void *cls, int64_t *last, struct zl_error *err)
{
	struct zl_stmt *st;
	struct zl_ent_change c;
	int rc;

	if (last != NULL)
		*last = since;
	if (limit < 1 || limit > 10000)
		return zl_error_set(err, ZL_EUNPROC, "limit", "limit must be 1 to 10000");
	rc = zl_db_prepare(db,
			   "SELECT seq, uscc, op, at FROM enterprise_changes WHERE seq > ?"
			   " ORDER BY seq LIMIT ?",
			   &st, err);
	if (rc != ZL_OK)
		return rc;
	zl_stmt_bind_int64(st, 1, since);
	zl_stmt_bind_int64(st, 2, limit);
	while ((rc = zl_stmt_step(st, err)) == ZL_DB_ROW) {
		memset(&c, 0, sizeof(c));
		c.seq = zl_stmt_column_int64(st, 0);
		zl_store_col_text(st, 1, c.uscc, sizeof(c.uscc));
		zl_store_col_text(st, 2, c.op, sizeof(c.op));
		zl_store_col_text(st, 3, c.at, sizeof(c.at));
		if (last != NULL)
			*last = c.seq;
		rc = fn(cls, &c);
		if (rc != ZL_OK)
			break;
	}
	zl_stmt_reset(st);
	return rc < 0 ? rc : rc == ZL_DB_DONE ? ZL_OK : rc;
}

int zl_store_enterprise_changes_head(struct zl_db *db, int64_t *seq, struct zl_error *err)
{
	struct zl_stmt *st;
	int rc;

	*seq = 0;
	rc = zl_db_prepare(db, "SELECT COALESCE(MAX(seq), 0) FROM enterprise_changes", &st, err);
	if (rc != ZL_OK)
		return rc;
	rc = zl_stmt_step(st, err);
	if (rc == ZL_DB_ROW)
		*seq = zl_stmt_column_int64(st, 0);
	zl_stmt_reset(st);
	return rc < 0 ? rc : ZL_OK;
}

/* ---- upsert ------------------------------------------------------------------- */

/* Bound without copies: e must stay as it is until the statement is reset. */
static void bind_fields(struct zl_stmt *st, const struct zl_enterprise *e, int first)
{
	int i = first;

	zl_stmt_bind_text_ref(st, i++, e->org_code, -1);
	zl_stmt_bind_int64(st, i++, e->legacy ? 1 : 0);
	zl_stmt_bind_text_ref(st, i++, e->name, -1);
	zl_stmt_bind_text_ref(st, i++, e->region, -1);
	zl_stmt_bind_text_ref(st, i++, e->industry, -1);
	zl_stmt_bind_text_ref(st, i++, e->address, -1);
	zl_stmt_bind_text_ref(st, i++, e->legal_rep, -1);
	zl_stmt_bind_text_ref(st, i++, e->registered_capital, -1);
	zl_stmt_bind_text_ref(st, i++, e->founded, -1);
	zl_stmt_bind_text_ref(st, i++, e->size_class, -1);
	zl_stmt_bind_text_ref(st, i++, e->status, -1);
	zl_stmt_bind_text_ref(st, i++, e->cqo_name, -1);
	zl_stmt_bind_text_ref(st, i, e->cqo_appointed, -1);
}

static int run(struct zl_stmt *st, struct zl_error *err)
{
	int rc = zl_stmt_step(st, err);

	zl_stmt_reset(st);
	return rc < 0 ? rc : ZL_OK;
}

static int former_name_add(struct zl_db *db, const char *uscc, const char *old_name,
			   const char *new_name, const char *today, struct zl_error *err)
{
	struct zl_stmt *st;
	int rc;

	rc = zl_db_prepare(
		db,
		"INSERT INTO enterprise_former_names (uscc, name, valid_to) VALUES (?, ?, ?)"
		" ON CONFLICT (uscc, name) DO UPDATE SET valid_to = excluded.valid_to",
		&st, err);
	if (rc != ZL_OK)
		return rc;
	zl_stmt_bind_text(st, 1, uscc, -1);
	zl_stmt_bind_text(st, 2, old_name, -1);
	zl_stmt_bind_text(st, 3, today, -1);
	if ((rc = run(st, err)) != ZL_OK)
		return rc;
	/* Renamed back to an earlier name: that name is current, not former. */
	rc = zl_db_prepare(db, "DELETE FROM enterprise_former_names WHERE uscc = ? AND name = ?",
			   &st, err);
	if (rc != ZL_OK)
		return rc;
	zl_stmt_bind_text(st, 1, uscc, -1);
	zl_stmt_bind_text(st, 2, new_name, -1);
	return run(st, err);
}

/* Bytes a record's JSON may take: its fields are bounded, escapes at most sixfold. */
#define SNAPSHOT_MAX (64 * 1024)
/* What a record's JSON takes in all but pathological cases: one allocation. */
#define SNAPSHOT_HINT 4096

/* The JSON of `e` into b (empty on entry). */
static int record_json(struct zl_buf *b, const struct zl_enterprise *e, struct zl_error *err)
{
	struct zl_jw w;
	int rc;

	if (zl_buf_grow(b, SNAPSHOT_HINT) != ZL_OK)
		return zl_error_set(err, ZL_ENOMEM, "enterprise", "out of memory");
	zl_jw_init(&w, b);
	zl_store_enterprise_json(&w, e);
	rc = zl_jw_error(&w);
	if (rc != ZL_OK)
		return zl_error_set(err, rc, "enterprise", "cannot write the version snapshot");
	return ZL_OK;
}

/*
 * Store the version `cur` that an update is about to supersede, as it was:
 * its number, time and author, read from the row before it changes (the
 * author in full: cur->updated_by may be cut).  A database from before
 * migration 5 already holds the snapshot of its current version (the old
 * scheme stored every version on write): that row is the same record and
 * stays.
 */
static int snapshot_add(struct zl_db *db, const struct zl_enterprise *cur, struct zl_error *err)
{
	struct zl_buf b = ZL_BUF_INIT(SNAPSHOT_MAX);
	struct zl_stmt *st;
	int rc;

	if ((rc = record_json(&b, cur, err)) != ZL_OK)
		goto out;
	rc = zl_db_prepare(
		db,
		"INSERT INTO enterprise_versions (uscc, version, changed_at, changed_by, data)"
		" SELECT uscc, version, updated_at, updated_by, ? FROM enterprises WHERE uscc = ?"
		" ON CONFLICT (uscc, version) DO NOTHING",
		&st, err);
	if (rc != ZL_OK)
		goto out;
	zl_stmt_bind_text(st, 1, b.data, (long)b.len);
	zl_stmt_bind_text(st, 2, cur->uscc, -1);
	rc = run(st, err);
out:
	zl_buf_release(&b);
	return rc;
}

/* The id of a new record: the bulk writer's counter, or max(eid) + 1. */
static int next_eid(struct zl_db *db, struct zl_ent_bulk *bulk, int64_t *eid, struct zl_error *err)
{
	struct zl_stmt *st;
	int rc;

	if (bulk != NULL && bulk->next_eid > 0) {
		*eid = bulk->next_eid++;
		return ZL_OK;
	}
	*eid = 0;
	rc = zl_db_prepare(db, "SELECT coalesce(max(eid), 0) + 1 FROM enterprises", &st, err);
	if (rc != ZL_OK)
		return rc;
	rc = zl_stmt_step(st, err);
	if (rc == ZL_DB_ROW)
		*eid = zl_stmt_column_int64(st, 0);
	zl_stmt_reset(st);
	if (rc < 0)
		return rc;
	if (*eid <= 0)
		return zl_error_set(err, ZL_EINTERNAL, "eid", "no enterprise id left");
	if (bulk != NULL)
		bulk->next_eid = *eid + 1;
	return ZL_OK;
}

/* Index the grams of a record's new name: to the hook, into the builder, or as delta rows. */
int zl_store_ent_bulk_name(struct zl_db *db, struct zl_ent_bulk *bulk, int64_t eid,
			   const char *name, struct zl_error *err)
{
	int rc;

	if (bulk != NULL && bulk->on_name != NULL) {
		if ((rc = bulk->on_name(bulk->on_name_cls, eid, name)) != ZL_OK)
			return zl_error_set(err, rc, "index", "cannot index the name");
		return ZL_OK;
	}
	if (bulk != NULL && bulk->grams != NULL) {
		if (zl_gram_builder_add_name(bulk->grams, name, (uint64_t)eid) != ZL_OK)
			return zl_error_set(err, ZL_ENOMEM, "index", "out of memory");
		return ZL_OK;
	}
	return zl_store_index_add_name(db, eid, name, err);
}

static int name_index(struct zl_db *db, struct zl_ent_bulk *bulk, int64_t eid, const char *name,
		      struct zl_error *err)
{
	return zl_store_ent_bulk_name(db, bulk, eid, name, err);
}

int zl_store_enterprise_upsert(struct zl_db *db, const struct zl_enterprise *e, const char *actor,
			       enum zl_upsert_outcome *outcome, struct zl_error *err)
{
	return zl_store_enterprise_upsert_bulk(db, e, actor, NULL, outcome, err);
}

int zl_store_enterprise_upsert_bulk(struct zl_db *db, const struct zl_enterprise *e,
				    const char *actor, struct zl_ent_bulk *bulk,
				    enum zl_upsert_outcome *outcome, struct zl_error *err)
{
	struct zl_enterprise cur, next;
	struct zl_stmt *st;
	char today[16];
	int64_t now, seq;
	int found, rc;

	if (outcome != NULL)
		*outcome = ZL_UPSERT_UNCHANGED;
	if ((rc = need_tx(db, err)) != ZL_OK)
		return rc;
	if (e->uscc[0] == '\0' || strlen(e->uscc) >= ZL_ENT_KEY_MAX)
		return zl_error_set(err, ZL_EINVAL, "uscc", "enterprise without a valid key");
	if (actor == NULL || actor[0] == '\0')
		actor = "system";

	if (bulk != NULL && (rc = bulk_start(db, bulk, err)) != ZL_OK)
		return rc;
	/* Above the highest key there is no record: no lookup (ascending imports). */
	if (bulk != NULL && bulk->hi_valid && strcmp(e->uscc, bulk->hi_key) > 0)
		rc = ZL_ENOTFOUND;
	else
		rc = zl_store_enterprise_get(db, e->uscc, &cur, err);
	if (rc == ZL_ENOTFOUND) {
		found = 0;
		zl_error_clear(err);
	} else if (rc != ZL_OK) {
		return rc;
	} else {
		found = 1;
		if (zl_store_enterprise_same(e, &cur))
			return ZL_OK;
	}

	next = *e;
	if (bulk != NULL) {
		now = bulk->now_us;
		zl_strlcpy(next.updated_at, bulk->now, sizeof(next.updated_at));
	} else {
		now = zl_now_us();
		zl_time_format_rfc3339_us(now, next.updated_at);
	}
	zl_strlcpy(next.updated_by, actor, sizeof(next.updated_by));
	if (found) {
		next.version = cur.version + 1;
		next.eid = cur.eid;
		zl_strlcpy(next.created_at, cur.created_at, sizeof(next.created_at));
	} else {
		next.version = 1;
		zl_strlcpy(next.created_at, next.updated_at, sizeof(next.created_at));
	}
	/* First: on PostgreSQL it takes the lock that makes max(eid) + 1 safe. */
	rc = change_add(db, bulk, e->uscc, found ? "update" : "insert", &seq, err);
	if (rc != ZL_OK)
		return rc;
	if (!found && (rc = next_eid(db, bulk, &next.eid, err)) != ZL_OK)
		return rc;
	if (found && (rc = snapshot_add(db, &cur, err)) != ZL_OK)
		return rc;

	if (found)
		rc = zl_db_prepare(
			db,
			"UPDATE enterprises SET org_code = ?, legacy = ?, name = ?,"
			" region = ?, industry = ?, address = ?, legal_rep = ?,"
			" registered_capital = ?, founded = ?, size_class = ?, status = ?,"
			" cqo_name = ?, cqo_appointed = ?, version = ?, updated_at = ?,"
			" change_seq = ?, updated_by = ? WHERE uscc = ?",
			&st, err);
	else if (bulk != NULL && bulk->st_insert != NULL)
		st = bulk->st_insert; /* the cache's lookup hashes the text: once per writer */
	else
		rc = zl_db_prepare(
			db,
			"INSERT INTO enterprises (org_code, legacy, name, region, industry,"
			" address, legal_rep, registered_capital, founded, size_class,"
			" status, cqo_name, cqo_appointed, version, updated_at, change_seq,"
			" updated_by, uscc, created_at, eid)"
			" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
			&st, err);
	if (rc != ZL_OK)
		return rc;
	if (!found && bulk != NULL)
		bulk->st_insert = st;
	/* No copies: next and actor outlive the statement's use (run() resets it). */
	bind_fields(st, &next, 1);
	zl_stmt_bind_int64(st, 14, next.version);
	zl_stmt_bind_text_ref(st, 15, next.updated_at, -1);
	zl_stmt_bind_int64(st, 16, seq);
	/* The whole actor: updated_by of the struct is for display. */
	zl_stmt_bind_text_ref(st, 17, actor, -1);
	zl_stmt_bind_text_ref(st, 18, next.uscc, -1);
	if (!found) {
		zl_stmt_bind_text_ref(st, 19, next.created_at, -1);
		zl_stmt_bind_int64(st, 20, next.eid);
	}
	if ((rc = run(st, err)) != ZL_OK)
		return rc;
	if (bulk != NULL && bulk->hi_valid && strcmp(next.uscc, bulk->hi_key) > 0)
		zl_strlcpy(bulk->hi_key, next.uscc, sizeof(bulk->hi_key));

	if (found && strcmp(cur.name, next.name) != 0) {
		/* The day a name was given up, as officials in Henan count days. */
		zl_date_format((now / 1000000 + ZL_SHANGHAI_OFFSET_S) / 86400, today);
		rc = former_name_add(db, next.uscc, cur.name, next.name, today, err);
		if (rc != ZL_OK)
			return rc;
	}
	/* The old name's grams stay: it is a former name now, still findable. */
	if (!found || strcmp(cur.name, next.name) != 0) {
		if ((rc = name_index(db, bulk, next.eid, next.name, err)) != ZL_OK)
			return rc;
	}
	if (outcome != NULL)
		*outcome = found ? ZL_UPSERT_UPDATED : ZL_UPSERT_INSERTED;
	return ZL_OK;
}

/* ---- former names, versions ------------------------------------------------ */

int zl_store_enterprise_former_names(struct zl_db *db, const char *uscc, zl_ent_former_fn *fn,
				     void *cls, struct zl_error *err)
{
	struct zl_ent_former_name f;
	struct zl_stmt *st;
	int rc;

	rc = zl_db_prepare(db,
			   "SELECT name, valid_to FROM enterprise_former_names WHERE uscc = ?"
			   " ORDER BY valid_to DESC, name",
			   &st, err);
	if (rc != ZL_OK)
		return rc;
	zl_stmt_bind_text(st, 1, uscc, -1);
	while ((rc = zl_stmt_step(st, err)) == ZL_DB_ROW) {
		zl_store_col_text(st, 0, f.name, sizeof(f.name));
		zl_store_col_text(st, 1, f.valid_to, sizeof(f.valid_to));
		rc = fn(cls, &f);
		if (rc != ZL_OK)
			break;
	}
	zl_stmt_reset(st);
	return rc == ZL_DB_DONE ? ZL_OK : rc;
}

int zl_store_enterprise_versions(struct zl_db *db, const char *uscc, int with_data,
				 zl_ent_version_fn *fn, void *cls, struct zl_error *err)
{
	struct zl_enterprise cur;
	int rc = zl_store_enterprise_get(db, uscc, &cur, err);

	if (rc == ZL_ENOTFOUND)
		return ZL_OK; /* no such enterprise: no versions */
	if (rc != ZL_OK)
		return rc;
	return zl_store_enterprise_versions_of(db, &cur, 1, with_data, fn, cls, err);
}

int zl_store_enterprise_versions_of(struct zl_db *db, const struct zl_enterprise *cur,
				    int stored, int with_data, zl_ent_version_fn *fn, void *cls,
				    struct zl_error *err)
{
	struct zl_buf b = ZL_BUF_INIT(SNAPSHOT_MAX);
	struct zl_ent_version v;
	struct zl_stmt *st;
	int rc;

	/* The current version is the row itself. */
	memset(&v, 0, sizeof(v));
	v.version = cur->version;
	zl_strlcpy(v.changed_at, cur->updated_at, sizeof(v.changed_at));
	zl_strlcpy(v.changed_by, cur->updated_by, sizeof(v.changed_by));
	if (strlen(cur->updated_by) + 1 >= sizeof(cur->updated_by)) {
		/* cur->updated_by may be cut where changed_by is not: read it in full. */
		rc = zl_db_prepare(db, "SELECT updated_by FROM enterprises WHERE uscc = ?", &st, err);
		if (rc != ZL_OK)
			return rc;
		zl_stmt_bind_text(st, 1, cur->uscc, -1);
		rc = zl_stmt_step(st, err);
		if (rc == ZL_DB_ROW)
			zl_store_col_text(st, 0, v.changed_by, sizeof(v.changed_by));
		zl_stmt_reset(st);
		if (rc < 0)
			return rc;
	}
	v.data = "";
	if (with_data) {
		if ((rc = record_json(&b, cur, err)) != ZL_OK)
			goto out;
		v.data = b.data;
	}
	if ((rc = fn(cls, &v)) != ZL_OK)
		goto out;
	zl_buf_release(&b);
	if (!stored)
		return ZL_OK;

	/* Then the versions it superseded, skipping a stored copy of the current one. */
	rc = zl_db_prepare(
		db,
		with_data ? "SELECT version, changed_at, changed_by, data FROM enterprise_versions"
			    " WHERE uscc = ? AND version <> ? ORDER BY version DESC"
			  : "SELECT version, changed_at, changed_by, '' FROM enterprise_versions"
			    " WHERE uscc = ? AND version <> ? ORDER BY version DESC",
		&st, err);
	if (rc != ZL_OK)
		return rc;
	zl_stmt_bind_text(st, 1, cur->uscc, -1);
	zl_stmt_bind_int64(st, 2, cur->version);
	while ((rc = zl_stmt_step(st, err)) == ZL_DB_ROW) {
		v.version = zl_stmt_column_int64(st, 0);
		zl_store_col_text(st, 1, v.changed_at, sizeof(v.changed_at));
		zl_store_col_text(st, 2, v.changed_by, sizeof(v.changed_by));
		v.data = zl_stmt_column_text(st, 3);
		rc = fn(cls, &v);
		if (rc != ZL_OK)
			break;
	}
	zl_stmt_reset(st);
	return rc == ZL_DB_DONE ? ZL_OK : rc;
out:
	zl_buf_release(&b);
	return rc;
}

/* ---- certifications and awards ----------------------------------------------- */

static int exists(struct zl_db *db, const char *uscc, struct zl_error *err)
{
	struct zl_stmt *st;
	int rc;

	rc = zl_db_prepare(db, "SELECT 1 FROM enterprises WHERE uscc = ?", &st, err);
	if (rc != ZL_OK)
		return rc;
	zl_stmt_bind_text(st, 1, uscc, -1);
	rc = zl_stmt_step(st, err);
	zl_stmt_reset(st);
	if (rc == ZL_DB_DONE)
		return zl_error_set(err, ZL_ENOTFOUND, "uscc", "no enterprise %.24s", uscc);
	return rc < 0 ? rc : ZL_OK;
}

/* The eid of `uscc`; ZL_ENOTFOUND when there is no such enterprise. */
static int eid_of(struct zl_db *db, const char *uscc, int64_t *eid, struct zl_error *err)
{
	struct zl_stmt *st;
	int rc;

	*eid = 0;
	rc = zl_db_prepare(db, "SELECT eid FROM enterprises WHERE uscc = ?", &st, err);
	if (rc != ZL_OK)
		return rc;
	zl_stmt_bind_text(st, 1, uscc, -1);
	rc = zl_stmt_step(st, err);
	if (rc == ZL_DB_ROW)
		*eid = zl_stmt_column_int64(st, 0);
	zl_stmt_reset(st);
	if (rc == ZL_DB_DONE)
		return zl_error_set(err, ZL_ENOTFOUND, "uscc", "no enterprise %.24s", uscc);
	return rc < 0 ? rc : ZL_OK;
}

/* Validate a date field copy (may be ""); writes the canonical form into out. */
static int date_field(const char *in, char out[16], const char *field, struct zl_error *err)
{
	zl_strlcpy(out, in, 16);
	return zl_enterprise_date_normalise(out, 16, field, err);
}

static int text_ok(const char *s, size_t max, const char *field, struct zl_error *err)
{
	if (strlen(s) > max)
		return zl_error_set(err, ZL_EUNPROC, field, "too long (at most %zu bytes)", max);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p == 0x7F)
			return zl_error_set(err, ZL_EUNPROC, field, "control character");
	return ZL_OK;
}

int zl_store_enterprise_cert_put(struct zl_db *db, const char *uscc, const struct zl_ent_cert *c,
				 int *changed, struct zl_error *err)
{
	struct zl_ent_cert n = *c;
	struct zl_stmt *st;
	int rc;

	if (changed != NULL)
		*changed = 0;
	if ((rc = need_tx(db, err)) != ZL_OK)
		return rc;
	if (zl_enterprise_cert_kind(c->kind) == NULL)
		return zl_error_set(err, ZL_EUNPROC, "kind", "unknown certification kind %.32s",
				    c->kind);
	if ((rc = date_field(c->valid_from, n.valid_from, "valid_from", err)) != ZL_OK ||
	    (rc = date_field(c->valid_to, n.valid_to, "valid_to", err)) != ZL_OK ||
	    (rc = text_ok(n.number, 63, "number", err)) != ZL_OK ||
	    (rc = text_ok(n.issuer, 127, "issuer", err)) != ZL_OK)
		return rc;
	if (n.status[0] == '\0')
		zl_strlcpy(n.status, "valid", sizeof(n.status));
	if (strcmp(n.status, "valid") && strcmp(n.status, "suspended") &&
	    strcmp(n.status, "revoked") && strcmp(n.status, "expired"))
		return zl_error_set(err, ZL_EUNPROC, "status",
				    "must be one of valid, suspended, revoked, expired");
	if ((rc = exists(db, uscc, err)) != ZL_OK)
		return rc;
	/* Write only what differs, so a re-import adds no change row. */
	rc = zl_db_prepare(
		db,
		"INSERT INTO enterprise_certs (uscc, kind, number, issuer, valid_from,"
		" valid_to, status) VALUES (?, ?, ?, ?, ?, ?, ?)"
		" ON CONFLICT (uscc, kind, number) DO UPDATE SET issuer = excluded.issuer,"
		" valid_from = excluded.valid_from, valid_to = excluded.valid_to,"
		" status = excluded.status"
		" WHERE enterprise_certs.issuer <> excluded.issuer"
		" OR enterprise_certs.valid_from <> excluded.valid_from"
		" OR enterprise_certs.valid_to <> excluded.valid_to"
		" OR enterprise_certs.status <> excluded.status",
		&st, err);
	if (rc != ZL_OK)
		return rc;
	zl_stmt_bind_text(st, 1, uscc, -1);
	zl_stmt_bind_text(st, 2, n.kind, -1);
	zl_stmt_bind_text(st, 3, n.number, -1);
	zl_stmt_bind_text(st, 4, n.issuer, -1);
	zl_stmt_bind_text(st, 5, n.valid_from, -1);
	zl_stmt_bind_text(st, 6, n.valid_to, -1);
	zl_stmt_bind_text(st, 7, n.status, -1);
	rc = zl_stmt_step(st, err);
	if (rc >= 0 && zl_stmt_changes(st) > 0) {
		zl_stmt_reset(st);
		if (changed != NULL)
			*changed = 1;
		return zl_store_enterprise_change_append(db, uscc, "certs", NULL, err);
	}
	zl_stmt_reset(st);
	return rc < 0 ? rc : ZL_OK;
}

int zl_store_enterprise_award_put(struct zl_db *db, const char *uscc, const struct zl_ent_award *a,
				  int *changed, struct zl_error *err)
{
	struct zl_ent_award n = *a;
	struct zl_stmt *st;
	int rc;

	if (changed != NULL)
		*changed = 0;
	if ((rc = need_tx(db, err)) != ZL_OK)
		return rc;
	if (zl_enterprise_award_kind(a->kind) == NULL)
		return zl_error_set(err, ZL_EUNPROC, "kind", "unknown award kind %.32s", a->kind);
	if (a->name[0] == '\0')
		return zl_error_set(err, ZL_EUNPROC, "name", "the award needs a name");
	if ((rc = date_field(a->awarded_on, n.awarded_on, "awarded_on", err)) != ZL_OK ||
	    (rc = date_field(a->valid_to, n.valid_to, "valid_to", err)) != ZL_OK ||
	    (rc = text_ok(n.name, 255, "name", err)) != ZL_OK)
		return rc;
	if ((rc = exists(db, uscc, err)) != ZL_OK)
		return rc;
	rc = zl_db_prepare(db,
			   "INSERT INTO enterprise_awards (uscc, kind, name, awarded_on, valid_to)"
			   " VALUES (?, ?, ?, ?, ?)"
			   " ON CONFLICT (uscc, kind, name) DO UPDATE SET"
			   " awarded_on = excluded.awarded_on, valid_to = excluded.valid_to"
			   " WHERE enterprise_awards.awarded_on <> excluded.awarded_on"
			   " OR enterprise_awards.valid_to <> excluded.valid_to",
			   &st, err);
	if (rc != ZL_OK)
		return rc;
	zl_stmt_bind_text(st, 1, uscc, -1);
	zl_stmt_bind_text(st, 2, n.kind, -1);
	zl_stmt_bind_text(st, 3, n.name, -1);
	zl_stmt_bind_text(st, 4, n.awarded_on, -1);
	zl_stmt_bind_text(st, 5, n.valid_to, -1);
	rc = zl_stmt_step(st, err);
	if (rc >= 0 && zl_stmt_changes(st) > 0) {
		zl_stmt_reset(st);
		if (changed != NULL)
			*changed = 1;
		return zl_store_enterprise_change_append(db, uscc, "awards", NULL, err);
	}
	zl_stmt_reset(st);
	return rc < 0 ? rc : ZL_OK;
}

static int delete_one(struct zl_db *db, const char *sql, const char *uscc, const char *kind,
		      const char *key, const char *op, struct zl_error *err)
{
	struct zl_stmt *st;
	int64_t n;
	int rc;

	if ((rc = need_tx(db, err)) != ZL_OK)
		return rc;
	rc = zl_db_prepare(db, sql, &st, err);
	if (rc != ZL_OK)
		return rc;
	zl_stmt_bind_text(st, 1, uscc, -1);
	zl_stmt_bind_text(st, 2, kind, -1);
	zl_stmt_bind_text(st, 3, key, -1);
	rc = zl_stmt_step(st, err);
	n = zl_stmt_changes(st);
	zl_stmt_reset(st);
	if (rc < 0)
		return rc;
	if (n == 0)
		return zl_error_set(err, ZL_ENOTFOUND, "kind", "no such %s", op);
	return zl_store_enterprise_change_append(db, uscc, op, NULL, err);
}

int zl_store_enterprise_cert_delete(struct zl_db *db, const char *uscc, const char *kind,
				    const char *number, struct zl_error *err)
{
	return delete_one(db,
			  "DELETE FROM enterprise_certs WHERE uscc = ? AND kind = ? AND number = ?",
			  uscc, kind, number, "certs", err);
}

int zl_store_enterprise_award_delete(struct zl_db *db, const char *uscc, const char *kind,
				     const char *name, struct zl_error *err)
{
	return delete_one(db,
			  "DELETE FROM enterprise_awards WHERE uscc = ? AND kind = ? AND name = ?",
			  uscc, kind, name, "awards", err);
}

int zl_store_enterprise_former_name_add(struct zl_db *db, const char *uscc, const char *name,
					const char *valid_to, int *added, struct zl_error *err)
{
	return zl_store_enterprise_former_name_add_bulk(db, uscc, name, valid_to, NULL, added, err);
}

int zl_store_enterprise_former_name_add_bulk(struct zl_db *db, const char *uscc, const char *name,
					     const char *valid_to, struct zl_ent_bulk *bulk,
					     int *added, struct zl_error *err)
{
	struct zl_stmt *st;
	char to[16];
	int64_t n, eid;
	int rc;

	if (added != NULL)
		*added = 0;
	if ((rc = need_tx(db, err)) != ZL_OK)
		return rc;
	if (name == NULL || name[0] == '\0' || strlen(name) > 255)
		return zl_error_set(err, ZL_EUNPROC, "former_name",
				    "a former name of 1 to 255 bytes");
	if ((rc = text_ok(name, 255, "former_name", err)) != ZL_OK ||
	    (rc = date_field(valid_to ? valid_to : "", to, "valid_to", err)) != ZL_OK)
		return rc;
	if ((rc = eid_of(db, uscc, &eid, err)) != ZL_OK)
		return rc;
	rc = zl_db_prepare(
		db,
		"INSERT INTO enterprise_former_names (uscc, name, valid_to) VALUES (?, ?, ?)"
		" ON CONFLICT (uscc, name) DO NOTHING",
		&st, err);
	if (rc != ZL_OK)
		return rc;
	zl_stmt_bind_text(st, 1, uscc, -1);
	zl_stmt_bind_text(st, 2, name, -1);
	zl_stmt_bind_text(st, 3, to, -1);
	rc = zl_stmt_step(st, err);
	n = zl_stmt_changes(st);
	zl_stmt_reset(st);
	if (rc < 0 || n == 0)
		return rc < 0 ? rc : ZL_OK;
	if ((rc = name_index(db, bulk, eid, name, err)) != ZL_OK)
		return rc;
	if (added != NULL)
		*added = 1;
	return change_add(db, bulk, uscc, "names", NULL, err);
}

int zl_store_enterprise_certs(struct zl_db *db, const char *uscc, zl_ent_cert_fn *fn, void *cls,
			      struct zl_error *err)
{
	struct zl_ent_cert c;
	struct zl_stmt *st;
	int rc;

	rc = zl_db_prepare(
		db,
		"SELECT kind, number, issuer, valid_from, valid_to, status"
		" FROM enterprise_certs WHERE uscc = ? ORDER BY kind, valid_from, number",
		&st, err);
	if (rc != ZL_OK)
		return rc;
	zl_stmt_bind_text(st, 1, uscc, -1);
	while ((rc = zl_stmt_step(st, err)) == ZL_DB_ROW) {
		zl_store_col_text(st, 0, c.kind, sizeof(c.kind));
		zl_store_col_text(st, 1, c.number, sizeof(c.number));
		zl_store_col_text(st, 2, c.issuer, sizeof(c.issuer));
		zl_store_col_text(st, 3, c.valid_from, sizeof(c.valid_from));
		zl_store_col_text(st, 4, c.valid_to, sizeof(c.valid_to));
		zl_store_col_text(st, 5, c.status, sizeof(c.status));
		rc = fn(cls, &c);
		if (rc != ZL_OK)
			break;
	}
	zl_stmt_reset(st);
	return rc == ZL_DB_DONE ? ZL_OK : rc;
}

int zl_store_enterprise_awards(struct zl_db *db, const char *uscc, zl_ent_award_fn *fn, void *cls,
			       struct zl_error *err)
{
	struct zl_ent_award a;
	struct zl_stmt *st;
	int rc;

	rc = zl_db_prepare(db,
			   "SELECT kind, name, awarded_on, valid_to FROM enterprise_awards"
			   " WHERE uscc = ? ORDER BY awarded_on DESC, kind, name",
			   &st, err);
	if (rc != ZL_OK)
		return rc;
	zl_stmt_bind_text(st, 1, uscc, -1);
	while ((rc = zl_stmt_step(st, err)) == ZL_DB_ROW) {
		zl_store_col_text(st, 0, a.kind, sizeof(a.kind));
		zl_store_col_text(st, 1, a.name, sizeof(a.name));
		zl_store_col_text(st, 2, a.awarded_on, sizeof(a.awarded_on));
		zl_store_col_text(st, 3, a.valid_to, sizeof(a.valid_to));
		rc = fn(cls, &a);
		if (rc != ZL_OK)
			break;
	}
	zl_stmt_reset(st);
	return rc == ZL_DB_DONE ? ZL_OK : rc;
}
