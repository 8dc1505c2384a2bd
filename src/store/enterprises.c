/*
 * enterprises.c - the SQL of the enterprise register (store/enterprises.h):
 * upsert with version history, former names, the name-gram index, the
 * change feed, certifications and awards.
 *
 * The upsert is the hot path of bulk imports (millions of rows in one
 * transaction), so it reads the current row once, does nothing more for an
 * unchanged record, and otherwise issues only cached prepared statements:
 * the record, its snapshot, its change row and, when the name is new, its
 * grams.  Change rows are numbered MAX(seq) + 1 inside the transaction: on
 * SQLite the write lock of BEGIN IMMEDIATE serialises writers; on
 * PostgreSQL an advisory transaction lock does, as for the audit trail.
 */
#include "store/query.h"
#include "store/enterprises.h"

#include <inttypes.h>
#include <string.h>

#include "core/buf.h"
#include "core/jw.h"
#include "core/timeutil.h"
#include "domain/grams.h"

/* An arbitrary constant naming "Zhiliang enterprise change feed" among advisory locks. */
#define PG_CHANGES_LOCK_SQL "SELECT pg_advisory_xact_lock(6148912503190118407)"

#define ENT_COLS                                                                                   \
	"uscc, org_code, legacy, name, region, industry, address, legal_rep,"                      \
	" registered_capital, founded, size_class, status, cqo_name, cqo_appointed,"               \
	" version, created_at, updated_at"

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

/* Fill `e` from a row of ENT_COLS. */
static void row_read(struct zl_stmt *st, struct zl_enterprise *e)
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
}

int zl_store_enterprise_get(struct zl_db *db, const char *uscc, struct zl_enterprise *out,
			    struct zl_error *err)
{
	struct zl_stmt *st;
	int rc;

	rc = zl_db_prepare(db, "SELECT " ENT_COLS " FROM enterprises WHERE uscc = ?", &st, err);
	if (rc != ZL_OK)
		return rc;
	zl_stmt_bind_text(st, 1, uscc, -1);
	rc = zl_stmt_step(st, err);
	if (rc == ZL_DB_ROW) {
		row_read(st, out);
		rc = ZL_OK;
	} else if (rc == ZL_DB_DONE) {
		rc = zl_error_set(err, ZL_ENOTFOUND, "uscc", "no enterprise %.24s", uscc);
	}
	zl_stmt_reset(st);
	return rc;
}

/* The stored fields of two records are equal (version and times aside). */
static int same_record(const struct zl_enterprise *a, const struct zl_enterprise *b)
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

int zl_store_enterprise_change_append(struct zl_db *db, const char *uscc, const char *op,
				      int64_t *seq_out, struct zl_error *err)
{
	struct zl_stmt *st;
	char at[32];
	int64_t seq = 0;
	int rc;

	if ((rc = need_tx(db, err)) != ZL_OK)
		return rc;
	if (is_postgres(db)) {
		rc = zl_db_exec(db, PG_CHANGES_LOCK_SQL, err);
		if (rc != ZL_OK)
			return rc;
	}
	zl_time_format_rfc3339_us(zl_now_us(), at);
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

/* ---- grams ------------------------------------------------------------------ */

/* Rows per INSERT of grams: one round trip for a typical name on PostgreSQL. */
#define GRAMS_PER_INSERT 32

/* The INSERT of `rows` grams (1..GRAMS_PER_INSERT) into sql (one text per count, cached). */
static void grams_sql(char *sql, size_t cap, size_t rows)
{
	size_t o = (size_t)snprintf(sql, cap, "INSERT INTO enterprise_grams (gram, uscc) VALUES ");

	for (size_t i = 0; i < rows && o + 8 < cap; i++)
		o += (size_t)snprintf(sql + o, cap - o, i ? ",(?,?)" : "(?,?)");
	snprintf(sql + o, cap - o, " ON CONFLICT (gram, uscc) DO NOTHING");
}

static int grams_insert(struct zl_db *db, const char *uscc, const char *name, struct zl_error *err)
{
	char g[ZL_NAME_GRAMS_MAX][ZL_GRAM_SIZE];
	char sql[128 + 6 * GRAMS_PER_INSERT];
	size_t n = zl_name_grams(name, strlen(name), g, ZL_NAME_GRAMS_MAX);
	struct zl_stmt *st;
	int rc;

	for (size_t at = 0; at < n; at += GRAMS_PER_INSERT) {
		size_t rows = n - at < GRAMS_PER_INSERT ? n - at : GRAMS_PER_INSERT;

		grams_sql(sql, sizeof(sql), rows);
		rc = zl_db_prepare(db, sql, &st, err);
		if (rc != ZL_OK)
			return rc;
		for (size_t i = 0; i < rows; i++) {
			zl_stmt_bind_text(st, (int)(2 * i + 1), g[at + i], -1);
			zl_stmt_bind_text(st, (int)(2 * i + 2), uscc, -1);
		}
		rc = zl_stmt_step(st, err);
		zl_stmt_reset(st);
		if (rc < 0)
			return rc;
	}
	return ZL_OK;
}

struct name_list {
	char (*names)[256];
	size_t n, cap;
};

static int collect_former(void *cls, const struct zl_ent_former_name *f)
{
	struct name_list *l = cls;

	if (l->n < l->cap)
		zl_strlcpy(l->names[l->n++], f->name, sizeof(l->names[0]));
	return ZL_OK;
}

int zl_store_enterprise_grams(struct zl_db *db, const char *uscc, struct zl_error *err)
{
	struct zl_enterprise e;
	struct zl_stmt *st;
	char names[64][256];
	struct name_list l = {names, 0, 64};
	int rc;

	rc = zl_store_enterprise_get(db, uscc, &e, err);
	if (rc != ZL_OK)
		return rc;
	rc = zl_store_enterprise_former_names(db, uscc, collect_former, &l, err);
	if (rc != ZL_OK)
		return rc;
	rc = zl_db_prepare(db, "DELETE FROM enterprise_grams WHERE uscc = ?", &st, err);
	if (rc != ZL_OK)
		return rc;
	zl_stmt_bind_text(st, 1, uscc, -1);
	rc = zl_stmt_step(st, err);
	zl_stmt_reset(st);
	if (rc < 0)
		return rc;
	rc = grams_insert(db, uscc, e.name, err);
	for (size_t i = 0; rc == ZL_OK && i < l.n; i++)
		rc = grams_insert(db, uscc, names[i], err);
	return rc;
}

/* ---- upsert ------------------------------------------------------------------- */

static void bind_fields(struct zl_stmt *st, const struct zl_enterprise *e, int first)
{
	int i = first;

	zl_stmt_bind_text(st, i++, e->org_code, -1);
	zl_stmt_bind_int64(st, i++, e->legacy ? 1 : 0);
	zl_stmt_bind_text(st, i++, e->name, -1);
	zl_stmt_bind_text(st, i++, e->region, -1);
	zl_stmt_bind_text(st, i++, e->industry, -1);
	zl_stmt_bind_text(st, i++, e->address, -1);
	zl_stmt_bind_text(st, i++, e->legal_rep, -1);
	zl_stmt_bind_text(st, i++, e->registered_capital, -1);
	zl_stmt_bind_text(st, i++, e->founded, -1);
	zl_stmt_bind_text(st, i++, e->size_class, -1);
	zl_stmt_bind_text(st, i++, e->status, -1);
	zl_stmt_bind_text(st, i++, e->cqo_name, -1);
	zl_stmt_bind_text(st, i, e->cqo_appointed, -1);
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

static int snapshot_add(struct zl_db *db, const struct zl_enterprise *e, const char *actor,
			struct zl_error *err)
{
	struct zl_buf b = ZL_BUF_INIT(64 * 1024);
	struct zl_jw w;
	struct zl_stmt *st;
	int rc;

	zl_jw_init(&w, &b);
	zl_store_enterprise_json(&w, e);
	rc = zl_jw_error(&w);
	if (rc != ZL_OK) {
		zl_error_set(err, rc, "enterprise", "cannot write the version snapshot");
		goto out;
	}
	rc = zl_db_prepare(
		db,
		"INSERT INTO enterprise_versions (uscc, version, changed_at, changed_by, data)"
		" VALUES (?, ?, ?, ?, ?)",
		&st, err);
	if (rc != ZL_OK)
		goto out;
	zl_stmt_bind_text(st, 1, e->uscc, -1);
	zl_stmt_bind_int64(st, 2, e->version);
	zl_stmt_bind_text(st, 3, e->updated_at, -1);
	zl_stmt_bind_text(st, 4, actor, -1);
	zl_stmt_bind_text(st, 5, b.data, (long)b.len);
	rc = run(st, err);
out:
	zl_buf_release(&b);
	return rc;
}

int zl_store_enterprise_upsert(struct zl_db *db, const struct zl_enterprise *e, const char *actor,
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

	rc = zl_store_enterprise_get(db, e->uscc, &cur, err);
	if (rc == ZL_ENOTFOUND) {
		found = 0;
		zl_error_clear(err);
	} else if (rc != ZL_OK) {
		return rc;
	} else {
		found = 1;
		if (same_record(e, &cur))
			return ZL_OK;
	}

	next = *e;
	now = zl_now_us();
	zl_time_format_rfc3339_us(now, next.updated_at);
	/* The day a name was given up, as officials in Henan count days. */
	zl_date_format((now / 1000000 + ZL_SHANGHAI_OFFSET_S) / 86400, today);
	if (found) {
		next.version = cur.version + 1;
		zl_strlcpy(next.created_at, cur.created_at, sizeof(next.created_at));
	} else {
		next.version = 1;
		zl_strlcpy(next.created_at, next.updated_at, sizeof(next.created_at));
	}
	rc = zl_store_enterprise_change_append(db, e->uscc, found ? "update" : "insert", &seq, err);
	if (rc != ZL_OK)
		return rc;

	if (found)
		rc = zl_db_prepare(
			db,
			"UPDATE enterprises SET org_code = ?, legacy = ?, name = ?,"
			" region = ?, industry = ?, address = ?, legal_rep = ?,"
			" registered_capital = ?, founded = ?, size_class = ?, status = ?,"
			" cqo_name = ?, cqo_appointed = ?, version = ?, updated_at = ?,"
			" change_seq = ? WHERE uscc = ?",
			&st, err);
	else
		rc = zl_db_prepare(
			db,
			"INSERT INTO enterprises (org_code, legacy, name, region, industry,"
			" address, legal_rep, registered_capital, founded, size_class,"
			" status, cqo_name, cqo_appointed, version, updated_at, change_seq,"
			" uscc, created_at)"
			" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
			&st, err);
	if (rc != ZL_OK)
		return rc;
	bind_fields(st, &next, 1);
	zl_stmt_bind_int64(st, 14, next.version);
	zl_stmt_bind_text(st, 15, next.updated_at, -1);
	zl_stmt_bind_int64(st, 16, seq);
	zl_stmt_bind_text(st, 17, next.uscc, -1);
	if (!found)
		zl_stmt_bind_text(st, 18, next.created_at, -1);
	if ((rc = run(st, err)) != ZL_OK)
		return rc;

	if (found && strcmp(cur.name, next.name) != 0) {
		rc = former_name_add(db, next.uscc, cur.name, next.name, today, err);
		if (rc != ZL_OK)
			return rc;
	}
	if ((rc = snapshot_add(db, &next, actor, err)) != ZL_OK)
		return rc;
	/* The old name's grams stay: it is a former name now, still findable. */
	if (!found || strcmp(cur.name, next.name) != 0) {
		rc = grams_insert(db, next.uscc, next.name, err);
		if (rc != ZL_OK)
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
	struct zl_ent_version v;
	struct zl_stmt *st;
	int rc;

	rc = zl_db_prepare(
		db,
		with_data ? "SELECT version, changed_at, changed_by, data"
			    " FROM enterprise_versions WHERE uscc = ? ORDER BY version DESC"
			  : "SELECT version, changed_at, changed_by, ''"
			    " FROM enterprise_versions WHERE uscc = ? ORDER BY version DESC",
		&st, err);
	if (rc != ZL_OK)
		return rc;
	zl_stmt_bind_text(st, 1, uscc, -1);
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
	struct zl_stmt *st;
	char to[16];
	int64_t n;
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
	if ((rc = exists(db, uscc, err)) != ZL_OK)
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
	if ((rc = grams_insert(db, uscc, name, err)) != ZL_OK)
		return rc;
	if (added != NULL)
		*added = 1;
	return zl_store_enterprise_change_append(db, uscc, "names", NULL, err);
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
