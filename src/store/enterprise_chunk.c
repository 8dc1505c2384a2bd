/*
 * enterprise_chunk.c - the chunk writer of store/enterprise_chunk.h.
 *
 * PostgreSQL, per batch of at most ZL_ENT_CHUNK_BATCH records:
 *   1. the change feed's advisory lock (the one zl_store_enterprise_upsert
 *      takes: change numbers and eids are MAX + 1 under it);
 *   2. one SELECT of the existing rows (uscc = ANY(array)); each is
 *      compared with its record in C as the per-record path compares them,
 *      and a changed one gets the JSON snapshot of the row it supersedes;
 *   3. the change numbers and eids, in record order, from the bulk
 *      counters or MAX + 1 of the tables (whichever is larger: single
 *      writers in the same transaction, e.g. former names, number from the
 *      tables);
 *   4. the changed records COPYed into the temporary table zl_ent_stage
 *      (dropped at commit, emptied per batch) with their new version,
 *      change number, old name and snapshot; from it one statement each
 *      stores the superseded versions, the former names of renamed records
 *      (and drops a former name taken back) and updates the rows;
 *   5. the new records COPYed straight into enterprises (in key order, so
 *      the key index grows at its right edge), the change rows of the
 *      batch into enterprise_changes;
 *   6. the grams of new and renamed names into the bulk builder (or delta
 *      rows).
 * SQLite has no cheaper path than its prepared statements: the records are
 * upserted one by one.
 *
 * Appending (zl_store_enterprise_append(), both backends): records above
 * the register's highest key cannot exist, so nothing is read; their ids
 * and change numbers (a record's own, then one per new former name) are
 * counted in C in the order the per-record writes would give them, and
 * the rows go by three copies: the records, the change rows, the former
 * names.  An import into an empty register is nothing but appends.
 */
#include "store/enterprise_chunk.h"
#include "store/enterprise_row.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/jw.h"
#include "core/timeutil.h"
#include "domain/postings.h"
#include "store/enterprise_index.h"
#include "store/query.h"

/* The record's fields: columns of enterprises and of the staging table. */
#define REC_COLS                                                                                   \
	"uscc, org_code, legacy, name, region, industry, address, legal_rep,"                      \
	" registered_capital, founded, size_class, status, cqo_name, cqo_appointed"

#define STAGE_COLS REC_COLS ", version, change_seq, old_name, snapshot"
#define STAGE_NCOLS 18

#define STAGE_SQL                                                                                  \
	"CREATE TEMP TABLE IF NOT EXISTS zl_ent_stage (uscc TEXT NOT NULL,"                        \
	" org_code TEXT NOT NULL, legacy INTEGER NOT NULL, name TEXT NOT NULL,"                    \
	" region TEXT NOT NULL,"                                                                   \
	" industry TEXT NOT NULL, address TEXT NOT NULL, legal_rep TEXT NOT NULL,"                 \
	" registered_capital TEXT NOT NULL, founded TEXT NOT NULL, size_class TEXT NOT NULL,"      \
	" status TEXT NOT NULL, cqo_name TEXT NOT NULL, cqo_appointed TEXT NOT NULL,"              \
	" version BIGINT NOT NULL, change_seq BIGINT NOT NULL, old_name TEXT,"                     \
	" snapshot TEXT NOT NULL) ON COMMIT DROP;"                                                 \
	" TRUNCATE zl_ent_stage"

enum { KIND_SAME = 0, KIND_NEW = 1, KIND_CHANGED = 2 };

/* What the batch does with one record. */
struct plan {
	int kind;
	int64_t version, seq, eid;
	/* Changed records: offsets into the batch's arena of the snapshot and, when renamed, of
	 * the old name (0: not renamed). */
	size_t snap, old_name;
};

static int is_postgres(struct zl_db *db)
{
	return strcmp(zl_db_backend(db), "postgres") == 0;
}

/* The record with key `uscc` among recs[0..n) (ascending), or -1. */
static long find_rec(const struct zl_enterprise *recs, size_t n, const char *uscc)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(recs[mid].uscc, uscc);

		if (c == 0)
			return (long)mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

static int run_exec(struct zl_stmt *st, struct zl_error *err)
{
	int rc = zl_stmt_step(st, err);

	zl_stmt_reset(st);
	return rc < 0 ? rc : ZL_OK;
}

/* Step 2: compare the existing rows with their records; snapshots and old names into `arena`. */
static int read_existing(struct zl_db *db, const struct zl_enterprise *recs, size_t n,
			 struct plan *plan, struct zl_buf *arena, struct zl_error *err)
{
	struct zl_buf keys = ZL_BUF_INIT(SIZE_MAX);
	struct zl_enterprise cur;
	struct zl_stmt *st;
	int rc;

	/* An array literal of the keys; a key holds no '"' or '\\', escaped all the same. */
	zl_buf_addch(&keys, '{');
	for (size_t i = 0; i < n; i++) {
		zl_buf_adds(&keys, i ? ",\"" : "\"");
		for (const char *p = recs[i].uscc; *p; p++) {
			if (*p == '"' || *p == '\\')
				zl_buf_addch(&keys, '\\');
			zl_buf_addch(&keys, *p);
		}
		zl_buf_addch(&keys, '"');
	}
	zl_buf_addch(&keys, '}');
	if (keys.err) {
		zl_buf_release(&keys);
		return zl_error_set(err, ZL_ENOMEM, "enterprise", "out of memory");
	}
	rc = zl_db_prepare(
		db, "SELECT " ZL_ENT_COLS " FROM enterprises WHERE uscc = ANY(CAST(? AS TEXT[]))",
		&st, err);
	if (rc != ZL_OK) {
		zl_buf_release(&keys);
		return rc;
	}
	zl_stmt_bind_text(st, 1, keys.data, (long)keys.len);
	while ((rc = zl_stmt_step(st, err)) == ZL_DB_ROW) {
		struct zl_jw w;
		long i;

		zl_store_enterprise_row_read(st, &cur);
		i = find_rec(recs, n, zl_stmt_column_text(st, 0));
		if (i < 0)
			continue; /* cannot happen: the keys are the records' */
		if (zl_store_enterprise_same(&recs[i], &cur)) {
			plan[i].kind = KIND_SAME;
			continue;
		}
		plan[i].kind = KIND_CHANGED;
		plan[i].version = cur.version + 1;
		plan[i].eid = cur.eid;
		plan[i].snap = arena->len;
		zl_jw_init(&w, arena);
		zl_store_enterprise_json(&w, &cur);
		if (zl_jw_error(&w) != ZL_OK || zl_buf_addch(arena, '\0') != ZL_OK)
			break;
		if (strcmp(cur.name, recs[i].name) != 0) {
			plan[i].old_name = arena->len;
			zl_buf_add(arena, cur.name, strlen(cur.name) + 1);
		}
	}
	zl_stmt_reset(st);
	zl_buf_release(&keys);
	if (rc == ZL_DB_ROW || arena->err)
		return zl_error_set(err, ZL_ENOMEM, "enterprise",
				    "out of memory writing version snapshots");
	return rc < 0 ? rc : ZL_OK;
}

/* Step 3: MAX(seq) and MAX(eid). */
static int read_max(struct zl_db *db, int64_t *seq, int64_t *eid, struct zl_error *err)
{
	struct zl_stmt *st;
	int rc;

	*seq = *eid = 0;
	rc = zl_db_prepare(db,
			   "SELECT (SELECT COALESCE(MAX(seq), 0) FROM enterprise_changes),"
			   " (SELECT COALESCE(MAX(eid), 0) FROM enterprises)",
			   &st, err);
	if (rc != ZL_OK)
		return rc;
	rc = zl_stmt_step(st, err);
	if (rc == ZL_DB_ROW) {
		*seq = zl_stmt_column_int64(st, 0);
		*eid = zl_stmt_column_int64(st, 1);
	}
	zl_stmt_reset(st);
	return rc < 0 ? rc : ZL_OK;
}

/* The record fields of `e` as copy values, into v[0..14). */
static void rec_values(const struct zl_enterprise *e, const char **v)
{
	v[0] = e->uscc;
	v[1] = e->org_code;
	v[2] = e->legacy ? "1" : "0";
	v[3] = e->name;
	v[4] = e->region;
	v[5] = e->industry;
	v[6] = e->address;
	v[7] = e->legal_rep;
	v[8] = e->registered_capital;
	v[9] = e->founded;
	v[10] = e->size_class;
	v[11] = e->status;
	v[12] = e->cqo_name;
	v[13] = e->cqo_appointed;
}

/* Step 4: the changed records into zl_ent_stage, with their new version and change number. */
static int stage(struct zl_db *db, const struct zl_enterprise *recs, size_t n,
		 const struct plan *plan, const struct zl_buf *arena, struct zl_error *err)
{
	int rc;

	if ((rc = zl_db_exec(db, STAGE_SQL, err)) != ZL_OK)
		return rc;
	if ((rc = zl_db_copy_begin(db, "zl_ent_stage", STAGE_COLS, err)) != ZL_OK)
		return rc;
	for (size_t i = 0; i < n; i++) {
		const struct plan *p = &plan[i];
		char version[24], seq[24];
		const char *v[STAGE_NCOLS];

		if (p->kind != KIND_CHANGED)
			continue;
		rec_values(&recs[i], v);
		snprintf(version, sizeof(version), "%" PRId64, p->version);
		snprintf(seq, sizeof(seq), "%" PRId64, p->seq);
		v[14] = version;
		v[15] = seq;
		v[16] = p->old_name ? arena->data + p->old_name : NULL;
		v[17] = arena->data + p->snap;
		if ((rc = zl_db_copy_row(db, v, STAGE_NCOLS, err)) != ZL_OK)
			return rc;
	}
	return zl_db_copy_end(db, err);
}

/* Step 5b: the new records straight into enterprises, in key order (the key index grows at
 * its right edge), and the change rows of the batch in number order. */
static int copy_new(struct zl_db *db, const struct zl_enterprise *recs, size_t n,
		    const struct plan *plan, size_t nnew, const char *actor, const char *now,
		    struct zl_error *err)
{
	int rc;

	if (nnew > 0) {
		rc = zl_db_copy_begin(db, "enterprises",
				      REC_COLS ", version, created_at, updated_at, change_seq, eid,"
					       " updated_by",
				      err);
		if (rc != ZL_OK)
			return rc;
		for (size_t i = 0; i < n; i++) {
			char seq[24], eid[24];
			const char *v[20];

			if (plan[i].kind != KIND_NEW)
				continue;
			rec_values(&recs[i], v);
			snprintf(seq, sizeof(seq), "%" PRId64, plan[i].seq);
			snprintf(eid, sizeof(eid), "%" PRId64, plan[i].eid);
			v[14] = "1";
			v[15] = now;
			v[16] = now;
			v[17] = seq;
			v[18] = eid;
			v[19] = actor;
			if ((rc = zl_db_copy_row(db, v, 20, err)) != ZL_OK)
				return rc;
		}
		if ((rc = zl_db_copy_end(db, err)) != ZL_OK)
			return rc;
	}
	rc = zl_db_copy_begin(db, "enterprise_changes", "seq, uscc, op, at", err);
	if (rc != ZL_OK)
		return rc;
	for (size_t i = 0; i < n; i++) {
		char seq[24];
		const char *v[4];

		if (plan[i].kind == KIND_SAME)
			continue;
		snprintf(seq, sizeof(seq), "%" PRId64, plan[i].seq);
		v[0] = seq;
		v[1] = recs[i].uscc;
		v[2] = plan[i].kind == KIND_NEW ? "insert" : "update";
		v[3] = now;
		if ((rc = zl_db_copy_row(db, v, 4, err)) != ZL_OK)
			return rc;
	}
	return zl_db_copy_end(db, err);
}

/* A statement with the given text parameters (NULL-terminated list). */
static int run_texts(struct zl_db *db, const char *sql, const char *const *params,
		     struct zl_error *err)
{
	struct zl_stmt *st;
	int rc;

	if ((rc = zl_db_prepare(db, sql, &st, err)) != ZL_OK)
		return rc;
	for (int i = 0; params[i] != NULL; i++)
		zl_stmt_bind_text(st, i + 1, params[i], -1);
	return run_exec(st, err);
}

/* Step 5a: the changed records, from the staging table. */
static int apply_changed(struct zl_db *db, size_t nrenamed, const char *actor, const char *now,
			 const char *today, struct zl_error *err)
{
	const char *p_today[] = {today, NULL};
	const char *p_update[] = {now, actor, NULL};
	int rc;

	/* The version each changed row supersedes, as it is (snapshot_add()). */
	rc = zl_db_exec(
		db,
		"INSERT INTO enterprise_versions (uscc, version, changed_at, changed_by, data)"
		" SELECT e.uscc, e.version, e.updated_at, e.updated_by, s.snapshot"
		" FROM zl_ent_stage s JOIN enterprises e ON e.uscc = s.uscc"
		" ON CONFLICT (uscc, version) DO NOTHING",
		err);
	if (rc != ZL_OK)
		return rc;
	if (nrenamed > 0) {
		/* former_name_add(): the old name is former now; a name taken back is not. */
		rc = run_texts(
			db,
			"INSERT INTO enterprise_former_names (uscc, name, valid_to)"
			" SELECT uscc, old_name, ? FROM zl_ent_stage"
			" WHERE old_name IS NOT NULL"
			" ON CONFLICT (uscc, name) DO UPDATE SET valid_to = excluded.valid_to",
			p_today, err);
		if (rc != ZL_OK)
			return rc;
		rc = zl_db_exec(
			db,
			"DELETE FROM enterprise_former_names f USING zl_ent_stage s"
			" WHERE s.old_name IS NOT NULL AND f.uscc = s.uscc AND f.name = s.name",
			err);
		if (rc != ZL_OK)
			return rc;
	}
	return run_texts(db,
			 "UPDATE enterprises SET org_code = s.org_code, legacy = s.legacy,"
			 " name = s.name, region = s.region, industry = s.industry,"
			 " address = s.address, legal_rep = s.legal_rep,"
			 " registered_capital = s.registered_capital, founded = s.founded,"
			 " size_class = s.size_class, status = s.status, cqo_name = s.cqo_name,"
			 " cqo_appointed = s.cqo_appointed, version = s.version, updated_at = ?,"
			 " change_seq = s.change_seq, updated_by = ? FROM zl_ent_stage s"
			 " WHERE enterprises.uscc = s.uscc",
			 p_update, err);
}

/* Step 6: the grams of new and renamed names (name_index() of enterprises.c). */
static int index_names(struct zl_db *db, const struct zl_enterprise *recs, size_t n,
		       const struct plan *plan, struct zl_ent_bulk *bulk, struct zl_error *err)
{
	for (size_t i = 0; i < n; i++) {
		int rc;

		if (plan[i].kind != KIND_NEW && !plan[i].old_name)
			continue;
		if ((rc = zl_store_ent_bulk_name(db, bulk, plan[i].eid, recs[i].name, err)) !=
		    ZL_OK)
			return rc;
	}
	return ZL_OK;
}

static int batch_pg(struct zl_db *db, const struct zl_enterprise *recs, size_t n, const char *actor,
		    struct zl_ent_bulk *bulk, enum zl_upsert_outcome *outcomes,
		    struct zl_error *err)
{
	struct zl_buf arena = ZL_BUF_INIT(SIZE_MAX);
	struct plan *plan = calloc(n, sizeof(*plan));
	size_t nnew = 0, nchanged = 0, nrenamed = 0;
	int64_t max_seq, max_eid, seq, eid, now_us;
	char now[32], today[16];
	int rc;

	if (plan == NULL)
		return zl_error_set(err, ZL_ENOMEM, "enterprise", "out of memory");
	for (size_t i = 0; i < n; i++)
		plan[i].kind = KIND_NEW;
	/* Offset 0 of the arena means "none". */
	zl_buf_addch(&arena, '\0');
	if ((rc = zl_db_exec(db, ZL_ENT_LOCK_SQL, err)) != ZL_OK ||
	    (rc = read_existing(db, recs, n, plan, &arena, err)) != ZL_OK)
		goto out;
	for (size_t i = 0; i < n; i++) {
		nnew += plan[i].kind == KIND_NEW;
		nchanged += plan[i].kind == KIND_CHANGED;
		nrenamed += plan[i].old_name != 0;
	}
	if (nnew + nchanged == 0)
		goto done;

	if ((rc = read_max(db, &max_seq, &max_eid, err)) != ZL_OK)
		goto out;
	seq = bulk != NULL && bulk->next_seq > max_seq ? bulk->next_seq : max_seq + 1;
	eid = bulk != NULL && bulk->next_eid > max_eid ? bulk->next_eid : max_eid + 1;
	for (size_t i = 0; i < n; i++) {
		if (plan[i].kind == KIND_SAME)
			continue;
		plan[i].seq = seq++;
		if (plan[i].kind == KIND_NEW) {
			plan[i].version = 1;
			plan[i].eid = eid++;
		}
	}
	now_us = zl_now_us();
	zl_time_format_rfc3339_us(now_us, now);
	/* The day a name was given up, as officials in Henan count days (enterprises.c). */
	zl_date_format((now_us / 1000000 + ZL_SHANGHAI_OFFSET_S) / 86400, today);
	if (nchanged > 0 && ((rc = stage(db, recs, n, plan, &arena, err)) != ZL_OK ||
			     (rc = apply_changed(db, nrenamed, actor, now, today, err)) != ZL_OK))
		goto out;
	if ((rc = copy_new(db, recs, n, plan, nnew, actor, now, err)) != ZL_OK ||
	    (rc = index_names(db, recs, n, plan, bulk, err)) != ZL_OK)
		goto out;
	if (bulk != NULL) {
		bulk->next_seq = seq;
		if (nnew > 0)
			bulk->next_eid = eid;
	}
done:
	if (outcomes != NULL)
		for (size_t i = 0; i < n; i++)
			outcomes[i] = plan[i].kind == KIND_NEW	     ? ZL_UPSERT_INSERTED
				      : plan[i].kind == KIND_CHANGED ? ZL_UPSERT_UPDATED
								     : ZL_UPSERT_UNCHANGED;
	rc = ZL_OK;
out:
	zl_db_copy_abort(db);
	zl_buf_release(&arena);
	free(plan);
	return rc;
}

/* ---- appending new records ------------------------------------------------------ */

/* Decimal text of v into out (room for 21 bytes); returns out. */
static const char *dec(int64_t v, char out[24])
{
	char tmp[24];
	size_t n = 0, o = 0;
	uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;

	do {
		tmp[n++] = (char)('0' + u % 10);
		u /= 10;
	} while (u > 0);
	if (v < 0)
		out[o++] = '-';
	while (n > 0)
		out[o++] = tmp[--n];
	out[o] = '\0';
	return out;
}

/* A former name as zl_store_enterprise_former_name_add_bulk() accepts it. */
static int former_ok(const char *name, size_t len)
{
	if (len == 0 || len > 255)
		return 0;
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)name[i] < 0x20 || name[i] == 0x7F)
			return 0;
	return 1;
}

/* Is name[0..len) among the names of list[0..upto) ('\n'-separated)? */
static int former_seen(const char *list, size_t upto, const char *name, size_t len)
{
	const char *p = list, *end = list + upto;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t l = nl != NULL ? (size_t)(nl - p) : (size_t)(end - p);

		if (l == len && memcmp(p, name, len) == 0)
			return 1;
		p += l + 1;
	}
	return 0;
}

/*
 * Walk the former names of one record that would be recorded: in order,
 * not its current name, not twice.  fn(cls, name, len) for each; stops at
 * its first non-zero result.
 */
typedef int former_fn(void *cls, const char *name, size_t len);
static int former_each(const struct zl_enterprise *e, const char *list, former_fn *fn, void *cls)
{
	const char *p = list;

	while (p != NULL && *p != '\0') {
		size_t len = strcspn(p, "\n");
		int rc;

		if (!(len == strlen(e->name) && memcmp(p, e->name, len) == 0) &&
		    !former_seen(list, (size_t)(p - list), p, len) && (rc = fn(cls, p, len)) != 0)
			return rc;
		p += len + (p[len] == '\n');
	}
	return 0;
}

struct append_ctx {
	struct zl_db *db;
	struct zl_ent_bulk *bulk;
	const struct zl_enterprise *e;
	int64_t eid, seq;
	uint32_t count;
	int step; /* 1: check, 2: change rows, 3: former name rows, 4: index */
	char name[256];
	struct zl_error *err;
};

static int append_former(void *cls, const char *name, size_t len)
{
	struct append_ctx *a = cls;
	char seq[24];
	const char *v[4];
	int rc = ZL_OK;

	switch (a->step) {
	case 1:
		if (!former_ok(name, len))
			return zl_error_set(a->err, ZL_EUNPROC, "former_name",
					    "a former name of 1 to 255 bytes without control "
					    "characters");
		a->count++;
		return ZL_OK;
	case 2:
		v[0] = dec(++a->seq, seq);
		v[1] = a->e->uscc;
		v[2] = "names";
		v[3] = a->bulk->now;
		return zl_db_copy_row(a->db, v, 4, a->err);
	case 3:
		memcpy(a->name, name, len);
		a->name[len] = '\0';
		v[0] = a->e->uscc;
		v[1] = a->name;
		v[2] = "";
		return zl_db_copy_row(a->db, v, 3, a->err);
	default:
		memcpy(a->name, name, len);
		a->name[len] = '\0';
		rc = zl_store_ent_bulk_name(a->db, a->bulk, a->eid, a->name, a->err);
		return rc;
	}
}

int zl_store_enterprise_append(struct zl_db *db, const struct zl_enterprise *recs,
			       const char *const *former, size_t n, const char *actor,
			       struct zl_ent_bulk *bulk, uint32_t *added, struct zl_error *err)
{
	struct append_ctx a = {.db = db, .bulk = bulk, .err = err};
	int64_t eid0, seq0, max_seq, max_eid;
	uint32_t *count = added;
	size_t nformer = 0;
	int rc;

	if (!zl_db_in_tx(db))
		return zl_error_set(err, ZL_EINTERNAL, "enterprise",
				    "enterprise write outside a transaction");
	if (bulk == NULL || !bulk->started || !bulk->hi_valid || bulk->next_seq <= 0)
		return zl_error_set(err, ZL_EINVAL, "enterprise",
				    "append needs a started bulk writer with counters");
	if (actor == NULL || actor[0] == '\0')
		actor = "system";
	if (n == 0)
		return ZL_OK;
	if (count == NULL && (count = malloc(n * sizeof(*count))) == NULL)
		return zl_error_set(err, ZL_ENOMEM, "enterprise", "out of memory");
	/* Everything checked before anything is written. */
	for (size_t i = 0; i < n; i++) {
		if (recs[i].uscc[0] == '\0' || strlen(recs[i].uscc) >= ZL_ENT_KEY_MAX ||
		    strcmp(recs[i].uscc, i ? recs[i - 1].uscc : bulk->hi_key) <= 0) {
			rc = zl_error_set(err, ZL_EINVAL, "uscc",
					  "appended keys not ascending above the register's");
			goto out;
		}
		a.e = &recs[i];
		a.step = 1;
		a.count = 0;
		if (former != NULL &&
		    (rc = former_each(&recs[i], former[i], append_former, &a)) != 0)
			goto out;
		count[i] = a.count;
		nformer += a.count;
	}
	if (bulk->next_eid <= 0) {
		if ((rc = read_max(db, &max_seq, &max_eid, err)) != ZL_OK)
			goto out;
		bulk->next_eid = max_eid + 1;
	}
	eid0 = bulk->next_eid;
	seq0 = bulk->next_seq;

	/* The records, with their ids and change numbers (each record's former names take the
	 * numbers after its own). */
	rc = zl_db_copy_begin(
		db, "enterprises",
		REC_COLS ", version, created_at, updated_at, change_seq, eid, updated_by", err);
	if (rc != ZL_OK)
		goto out;
	a.seq = seq0;
	for (size_t i = 0; i < n; i++) {
		char seq[24], eid[24];
		const char *v[20];

		rec_values(&recs[i], v);
		v[14] = "1";
		v[15] = bulk->now;
		v[16] = bulk->now;
		v[17] = dec(a.seq, seq);
		v[18] = dec(eid0 + (int64_t)i, eid);
		v[19] = actor;
		if ((rc = zl_db_copy_row(db, v, 20, err)) != ZL_OK)
			goto out;
		a.seq += 1 + count[i];
	}
	if ((rc = zl_db_copy_end(db, err)) != ZL_OK)
		goto out;
	/* The change rows in number order. */
	if ((rc = zl_db_copy_begin(db, "enterprise_changes", "seq, uscc, op, at", err)) != ZL_OK)
		goto out;
	a.seq = seq0 - 1;
	a.step = 2;
	for (size_t i = 0; i < n; i++) {
		char seq[24];
		const char *v[4] = {dec(++a.seq, seq), recs[i].uscc, "insert", bulk->now};

		if ((rc = zl_db_copy_row(db, v, 4, err)) != ZL_OK)
			goto out;
		a.e = &recs[i];
		if (former != NULL &&
		    (rc = former_each(&recs[i], former[i], append_former, &a)) != 0)
			goto out;
	}
	if ((rc = zl_db_copy_end(db, err)) != ZL_OK)
		goto out;
	/* The former names. */
	if (nformer > 0) {
		rc = zl_db_copy_begin(db, "enterprise_former_names", "uscc, name, valid_to", err);
		if (rc != ZL_OK)
			goto out;
		a.step = 3;
		for (size_t i = 0; i < n; i++) {
			a.e = &recs[i];
			if (former != NULL &&
			    (rc = former_each(&recs[i], former[i], append_former, &a)) != 0)
				goto out;
		}
		if ((rc = zl_db_copy_end(db, err)) != ZL_OK)
			goto out;
	}
	/* The names for the index, in the order the per-record writes give them. */
	a.step = 4;
	for (size_t i = 0; i < n; i++) {
		a.e = &recs[i];
		a.eid = eid0 + (int64_t)i;
		if ((rc = zl_store_ent_bulk_name(db, bulk, a.eid, recs[i].name, err)) != ZL_OK)
			goto out;
		if (former != NULL &&
		    (rc = former_each(&recs[i], former[i], append_former, &a)) != 0)
			goto out;
	}
	bulk->next_eid = eid0 + (int64_t)n;
	bulk->next_seq = a.seq + 1;
	zl_strlcpy(bulk->hi_key, recs[n - 1].uscc, sizeof(bulk->hi_key));
	rc = ZL_OK;
out:
	zl_db_copy_abort(db);
	if (count != added)
		free(count);
	return rc;
}

int zl_store_enterprise_write_chunk(struct zl_db *db, const struct zl_enterprise *recs, size_t n,
				    const char *actor, struct zl_ent_bulk *bulk,
				    enum zl_upsert_outcome *outcomes, struct zl_error *err)
{
	int rc;

	if (!zl_db_in_tx(db))
		return zl_error_set(err, ZL_EINTERNAL, "enterprise",
				    "enterprise write outside a transaction");
	for (size_t i = 0; i < n; i++) {
		if (recs[i].uscc[0] == '\0' || strlen(recs[i].uscc) >= ZL_ENT_KEY_MAX)
			return zl_error_set(err, ZL_EINVAL, "uscc",
					    "enterprise without a valid key");
		if (i > 0 && strcmp(recs[i - 1].uscc, recs[i].uscc) >= 0)
			return zl_error_set(err, ZL_EINVAL, "uscc",
					    "chunk keys not in strictly ascending order at %zu", i);
	}
	if (actor == NULL || actor[0] == '\0')
		actor = "system";
	if (!is_postgres(db)) {
		for (size_t i = 0; i < n; i++) {
			rc = zl_store_enterprise_upsert_bulk(db, &recs[i], actor, bulk,
							     outcomes != NULL ? &outcomes[i] : NULL,
							     err);
			if (rc != ZL_OK)
				return rc;
		}
		return ZL_OK;
	}
	for (size_t off = 0; off < n; off += ZL_ENT_CHUNK_BATCH) {
		size_t k = n - off < ZL_ENT_CHUNK_BATCH ? n - off : ZL_ENT_CHUNK_BATCH;

		rc = batch_pg(db, recs + off, k, actor, bulk,
			      outcomes != NULL ? outcomes + off : NULL, err);
		if (rc != ZL_OK)
			return rc;
	}
	return ZL_OK;
}
