/*
 * enterprise_index.c - the name index of the register on SQL
 * (store/enterprise_index.h): postings blobs in enterprise_postings, single
 * additions in enterprise_gram_delta.
 *
 * A flush writes one row per distinct gram in ascending gram order (the
 * order of the primary key, so B-tree pages stay hot), in batches of grams:
 * one statement reads the stored blobs of a batch (skipped when the index
 * was empty), one upserts its rows.  A rebuild walks the register in ranges of eids,
 * so neither the result of a query nor the builder grows with the size of
 * the register: the builder is flushed whenever it holds REBUILD_CHUNK
 * postings (a flush unions with the blobs already written).
 *
 * Concurrency: every write of the index runs under the write lock of the
 * transaction on SQLite (BEGIN IMMEDIATE) and, on PostgreSQL, first takes
 * the advisory transaction lock of the change feed (store/enterprises.c),
 * which every writer of the register holds too.  So a flush never deletes
 * a delta row it did not read (committed by an edit in between), and two
 * flushes never overwrite each other's union.
 */
#include "store/enterprise_index.h"
#include "store/enterprise_row.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/grams.h"

/* Rows per INSERT of delta rows: one round trip for a typical name on PostgreSQL. */
#define DELTA_PER_INSERT 32
/* Progress is reported every this many grams. */
#define PROGRESS_EVERY 4096
/* A rebuild flushes its builder when it holds this many postings (~8 bytes each). */
#define REBUILD_CHUNK ((size_t)32 * 1024 * 1024)
/* A rebuild reads the register in ranges of this many eids. */
#define REBUILD_RANGE_LAST 65535 /* a range is this many records and one */
#define ZL_STR_(x) #x
#define ZL_STR(x) ZL_STR_(x)

static int need_tx(struct zl_db *db, struct zl_error *err)
{
	if (!zl_db_in_tx(db))
		return zl_error_set(err, ZL_EINTERNAL, "index",
				    "index write outside a transaction");
	return ZL_OK;
}

/* On PostgreSQL, serialise with every other writer of the register and its index. */
static int write_lock(struct zl_db *db, struct zl_error *err)
{
	if (strcmp(zl_db_backend(db), "postgres") != 0)
		return ZL_OK;
	return zl_db_exec(db, ZL_ENT_LOCK_SQL, err);
}

static int nomem(struct zl_error *err)
{
	return zl_error_set(err, ZL_ENOMEM, "index", "out of memory");
}

/* ---- reads ------------------------------------------------------------------ */

int zl_store_gram_postings(struct zl_db *db, const char *gram, struct zl_ids *out,
			   struct zl_error *err)
{
	struct zl_stmt *st;
	size_t before = out->n;
	int rc;

	rc = zl_db_prepare(db, "SELECT ids FROM enterprise_postings WHERE gram = ?", &st, err);
	if (rc != ZL_OK)
		return rc;
	zl_stmt_bind_text(st, 1, gram, -1);
	rc = zl_stmt_step(st, err);
	if (rc == ZL_DB_ROW) {
		size_t len = 0;
		const void *p = zl_stmt_column_blob(st, 0, &len);

		rc = zl_postings_decode(p, len, out, err);
	}
	zl_stmt_reset(st);
	if (rc < 0)
		return rc;

	rc = zl_db_prepare(db, "SELECT eid FROM enterprise_gram_delta WHERE gram = ? ORDER BY eid",
			   &st, err);
	if (rc != ZL_OK)
		goto fail;
	zl_stmt_bind_text(st, 1, gram, -1);
	while ((rc = zl_stmt_step(st, err)) == ZL_DB_ROW) {
		int64_t eid = zl_stmt_column_int64(st, 0);

		if (eid <= 0)
			continue; /* never written by the store; not a valid id */
		if (zl_ids_push(out, (uint64_t)eid) != ZL_OK) {
			rc = nomem(err);
			break;
		}
	}
	zl_stmt_reset(st);
	if (rc < 0)
		goto fail;
	zl_ids_sort_unique(out);
	return ZL_OK;
fail:
	out->n = before;
	return rc;
}

int zl_store_gram_estimate(struct zl_db *db, const char *gram, int64_t *n, struct zl_error *err)
{
	struct zl_stmt *st;
	int rc;

	*n = 0;
	rc = zl_db_prepare(
		db,
		"SELECT coalesce((SELECT p.n FROM enterprise_postings p WHERE p.gram = ?),"
		" 0) + (SELECT count(*) FROM enterprise_gram_delta d WHERE d.gram = ?)",
		&st, err);
	if (rc != ZL_OK)
		return rc;
	zl_stmt_bind_text(st, 1, gram, -1);
	zl_stmt_bind_text(st, 2, gram, -1);
	rc = zl_stmt_step(st, err);
	if (rc == ZL_DB_ROW)
		*n = zl_stmt_column_int64(st, 0);
	zl_stmt_reset(st);
	return rc < 0 ? rc : ZL_OK;
}

int zl_store_index_stats(struct zl_db *db, int64_t *grams, int64_t *delta, struct zl_error *err)
{
	struct zl_stmt *st;
	int rc;

	*grams = 0;
	*delta = 0;
	rc = zl_db_prepare(db,
			   "SELECT (SELECT count(*) FROM enterprise_postings),"
			   " (SELECT count(*) FROM enterprise_gram_delta)",
			   &st, err);
	if (rc != ZL_OK)
		return rc;
	rc = zl_stmt_step(st, err);
	if (rc == ZL_DB_ROW) {
		*grams = zl_stmt_column_int64(st, 0);
		*delta = zl_stmt_column_int64(st, 1);
	}
	zl_stmt_reset(st);
	return rc < 0 ? rc : ZL_OK;
}

/* ---- delta rows ------------------------------------------------------------------ */

/* The INSERT of `rows` delta rows (1..DELTA_PER_INSERT) into sql (one text per count, cached). */
static void delta_sql(char *sql, size_t cap, size_t rows)
{
	size_t o =
		(size_t)snprintf(sql, cap, "INSERT INTO enterprise_gram_delta (gram, eid) VALUES ");

	for (size_t i = 0; i < rows && o + 8 < cap; i++)
		o += (size_t)snprintf(sql + o, cap - o, i ? ",(?,?)" : "(?,?)");
	snprintf(sql + o, cap - o, " ON CONFLICT (gram, eid) DO NOTHING");
}

int zl_store_index_add_name(struct zl_db *db, int64_t eid, const char *name, struct zl_error *err)
{
	char g[ZL_NAME_GRAMS_MAX][ZL_GRAM_SIZE];
	char sql[128 + 6 * DELTA_PER_INSERT];
	struct zl_stmt *st;
	size_t n;
	int rc;

	if ((rc = need_tx(db, err)) != ZL_OK)
		return rc;
	if (eid <= 0)
		return zl_error_set(err, ZL_EINVAL, "eid", "enterprise id must be positive");
	if ((rc = write_lock(db, err)) != ZL_OK)
		return rc;
	n = zl_name_grams(name, strlen(name), g, ZL_NAME_GRAMS_MAX);
	for (size_t at = 0; at < n; at += DELTA_PER_INSERT) {
		size_t rows = n - at < DELTA_PER_INSERT ? n - at : DELTA_PER_INSERT;

		delta_sql(sql, sizeof(sql), rows);
		rc = zl_db_prepare(db, sql, &st, err);
		if (rc != ZL_OK)
			return rc;
		for (size_t i = 0; i < rows; i++) {
			zl_stmt_bind_text(st, (int)(2 * i + 1), g[at + i], -1);
			zl_stmt_bind_int64(st, (int)(2 * i + 2), eid);
		}
		rc = zl_stmt_step(st, err);
		zl_stmt_reset(st);
		if (rc < 0)
			return rc;
	}
	return ZL_OK;
}

/* ---- flush ------------------------------------------------------------------------ */

/*
 * The grams of a flush go to the database in batches of up to FLUSH_BATCH:
 * one statement reads the stored blobs of a batch, one writes its rows
 * (multi-row INSERT ... ON CONFLICT), each of a power-of-two size so that
 * few statement texts are prepared.  Batches save round trips on
 * PostgreSQL (twenty times faster than a gram at a time) and statement
 * overhead on SQLite (two and a half times).
 */
#define FLUSH_BATCH 128

struct pending {
	char gram[ZL_GRAM_SIZE];
	size_t off, n;	   /* its new ids in s->ids */
	int merged;	   /* 1: the ids to write are in s->out (at moff, mn) */
	size_t moff, mn;   /* the union with the stored blob */
	int skip;	   /* 1: the stored blob already holds every id */
	size_t boff, blen; /* the encoded blob in s->buf */
};

struct flush_state {
	struct zl_db *db;
	int empty; /* no blob at the start: nothing to read and merge */
	int copy;  /* empty, on PostgreSQL: the rows go by one COPY (open for the whole flush) */
	char *hex; /* COPY: a blob as bytea text */
	size_t hexcap;
	struct pending items[FLUSH_BATCH];
	size_t nitems;
	struct zl_ids ids;    /* the batch's new ids, concatenated */
	struct zl_ids old;    /* one stored blob, decoded */
	struct zl_ids merged; /* one union */
	struct zl_ids out;    /* the unions of the batch, concatenated */
	uint8_t *buf;
	size_t len, cap;
	uint64_t done, total;
	zl_index_progress_fn *progress;
	void *cls;
	struct zl_error *err;
	int rc; /* the error that stopped the walk */
};

/* The largest power of two <= n (n >= 1). */
static size_t pow2_floor(size_t n)
{
	size_t k = 1;

	while (k * 2 <= n)
		k *= 2;
	return k;
}

static void read_sql(char *sql, size_t cap, size_t k)
{
	size_t o = (size_t)snprintf(sql, cap,
				    "SELECT gram, ids FROM enterprise_postings WHERE gram IN (");

	for (size_t i = 0; i < k && o + 4 < cap; i++)
		o += (size_t)snprintf(sql + o, cap - o, i ? ",?" : "?");
	snprintf(sql + o, cap - o, ")");
}

/* upsert 0: the index held no blob when the flush began, so no row can exist: a plain INSERT. */
static void write_sql(char *sql, size_t cap, size_t k, int upsert)
{
	size_t o = (size_t)snprintf(sql, cap,
				    "INSERT INTO enterprise_postings (gram, n, ids) VALUES ");

	for (size_t i = 0; i < k && o + 12 < cap; i++)
		o += (size_t)snprintf(sql + o, cap - o, i ? ",(?,?,?)" : "(?,?,?)");
	if (upsert)
		snprintf(sql + o, cap - o,
			 " ON CONFLICT (gram) DO UPDATE SET n = excluded.n, ids = excluded.ids");
}

/* Union the stored blob of one item (read from the current row) with its new ids. */
static int merge_row(struct flush_state *s, struct pending *it, const void *p, size_t len)
{
	struct zl_ids add = {s->ids.v + it->off, it->n, it->n};
	int rc;

	zl_ids_clear(&s->old);
	rc = zl_postings_decode(p, len, &s->old, s->err);
	if (rc != ZL_OK) {
		if (rc == ZL_EINVAL)
			zl_error_set(s->err, ZL_EINVAL, "postings", "corrupt postings of gram %s",
				     it->gram);
		return rc;
	}
	if (zl_ids_union(&s->old, &add, &s->merged) != ZL_OK)
		return nomem(s->err);
	if (s->merged.n == s->old.n) {
		it->skip = 1; /* nothing new (a second flush of the same postings) */
		return ZL_OK;
	}
	if (zl_ids_reserve(&s->out, s->out.n + s->merged.n) != ZL_OK)
		return nomem(s->err);
	memcpy(s->out.v + s->out.n, s->merged.v, s->merged.n * sizeof(uint64_t));
	it->merged = 1;
	it->moff = s->out.n;
	it->mn = s->merged.n;
	s->out.n += s->merged.n;
	return ZL_OK;
}

/* Read the stored blobs of items [at, at + k) and merge them in. */
static int batch_read(struct flush_state *s, size_t at, size_t k)
{
	char sql[64 + 2 * FLUSH_BATCH];
	struct zl_stmt *st;
	int rc;

	read_sql(sql, sizeof(sql), k);
	rc = zl_db_prepare(s->db, sql, &st, s->err);
	if (rc != ZL_OK)
		return rc;
	for (size_t i = 0; i < k; i++)
		zl_stmt_bind_text(st, (int)i + 1, s->items[at + i].gram, -1);
	while ((rc = zl_stmt_step(st, s->err)) == ZL_DB_ROW) {
		const char *gram = zl_stmt_column_text(st, 0);
		size_t lo = at, hi = at + k, len = 0;
		const void *p;

		/* The items are in ascending byte order of their grams. */
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			int c = strcmp(s->items[mid].gram, gram);

			if (c == 0) {
				lo = mid;
				break;
			}
			if (c < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo >= at + k || strcmp(s->items[lo].gram, gram) != 0)
			continue; /* not asked for: cannot happen */
		p = zl_stmt_column_blob(st, 1, &len);
		if ((rc = merge_row(s, &s->items[lo], p, len)) != ZL_OK)
			break;
	}
	zl_stmt_reset(st);
	return rc < 0 ? rc : ZL_OK;
}

/* Write rows for the items whose indexes are idx[0..k). */
static int batch_write(struct flush_state *s, const size_t *idx, size_t k)
{
	char sql[128 + 8 * FLUSH_BATCH];
	struct zl_stmt *st;
	int rc;

	write_sql(sql, sizeof(sql), k, !s->empty);
	rc = zl_db_prepare(s->db, sql, &st, s->err);
	if (rc != ZL_OK)
		return rc;
	/* Items and buffer stay as they are until the reset below: no copies. */
	for (size_t i = 0; i < k; i++) {
		const struct pending *it = &s->items[idx[i]];

		zl_stmt_bind_text_ref(st, (int)(3 * i + 1), it->gram, -1);
		zl_stmt_bind_int64(st, (int)(3 * i + 2), (int64_t)(it->merged ? it->mn : it->n));
		zl_stmt_bind_blob_ref(st, (int)(3 * i + 3), s->buf + it->boff, it->blen);
	}
	rc = zl_stmt_step(st, s->err);
	zl_stmt_reset(st);
	return rc < 0 ? rc : ZL_OK;
}

/* COPY the rows of the items whose indexes are idx[0..k), blobs as bytea hex text. */
static int batch_copy(struct flush_state *s, const size_t *idx, size_t k)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < k; i++) {
		const struct pending *it = &s->items[idx[i]];
		const uint8_t *p = s->buf + it->boff;
		size_t need = 2 * it->blen + 3;
		char n[24];
		const char *v[3];
		int rc;

		if (need > s->hexcap) {
			char *h = realloc(s->hex, need);

			if (h == NULL)
				return nomem(s->err);
			s->hex = h;
			s->hexcap = need;
		}
		s->hex[0] = '\\';
		s->hex[1] = 'x';
		for (size_t j = 0; j < it->blen; j++) {
			s->hex[2 + 2 * j] = digits[p[j] >> 4];
			s->hex[3 + 2 * j] = digits[p[j] & 15];
		}
		s->hex[2 + 2 * it->blen] = '\0';
		snprintf(n, sizeof(n), "%zu", it->merged ? it->mn : it->n);
		v[0] = it->gram;
		v[1] = n;
		v[2] = s->hex;
		if ((rc = zl_db_copy_row(s->db, v, 3, s->err)) != ZL_OK)
			return rc;
	}
	return ZL_OK;
}

/* Read, merge, encode and write the pending batch, then empty it. */
static int batch_flush(struct flush_state *s)
{
	size_t idx[FLUSH_BATCH], nw = 0, need = 0, old_done;
	int rc;

	if (s->nitems == 0)
		return ZL_OK;
	zl_ids_clear(&s->out);
	for (size_t at = 0; !s->empty && at < s->nitems;) {
		size_t k = pow2_floor(s->nitems - at);

		if ((rc = batch_read(s, at, k)) != ZL_OK)
			return rc;
		at += k;
	}
	/* Encode every blob to write into one buffer. */
	for (size_t i = 0; i < s->nitems; i++)
		if (!s->items[i].skip)
			need += zl_postings_bound(s->items[i].merged ? s->items[i].mn
								     : s->items[i].n);
	if (need > s->cap) {
		uint8_t *p = realloc(s->buf, need);

		if (p == NULL)
			return nomem(s->err);
		s->buf = p;
		s->cap = need;
	}
	s->len = 0;
	for (size_t i = 0; i < s->nitems; i++) {
		struct pending *it = &s->items[i];
		const uint64_t *v = it->merged ? s->out.v + it->moff : s->ids.v + it->off;
		size_t n = it->merged ? it->mn : it->n;

		if (it->skip)
			continue;
		it->boff = s->len;
		it->blen = zl_postings_encode(v, n, s->buf + s->len);
		if (it->blen == 0)
			return zl_error_set(s->err, ZL_EINTERNAL, "postings",
					    "cannot encode the postings of gram %s", it->gram);
		s->len += it->blen;
		idx[nw++] = i;
	}
	if (s->copy && (rc = batch_copy(s, idx, nw)) != ZL_OK)
		return rc;
	for (size_t at = 0; !s->copy && at < nw;) {
		size_t k = pow2_floor(nw - at);

		if ((rc = batch_write(s, idx + at, k)) != ZL_OK)
			return rc;
		at += k;
	}
	old_done = (size_t)s->done;
	s->done += s->nitems;
	if (s->progress != NULL &&
	    (s->done / PROGRESS_EVERY != old_done / PROGRESS_EVERY || s->done == s->total))
		s->progress(s->cls, s->done, s->total);
	s->nitems = 0;
	zl_ids_clear(&s->ids);
	return ZL_OK;
}

static int flush_gram(void *cls, const char *gram, const uint64_t *ids, size_t n)
{
	struct flush_state *s = cls;
	struct pending *it;

	if (n == 0)
		return 0;
	if (strlen(gram) >= ZL_GRAM_SIZE) {
		s->rc = zl_error_set(s->err, ZL_EINTERNAL, "gram", "gram too long");
		return 1;
	}
	if (zl_ids_reserve(&s->ids, s->ids.n + n) != ZL_OK) {
		s->rc = nomem(s->err);
		return 1;
	}
	it = &s->items[s->nitems++];
	memset(it, 0, sizeof(*it));
	memcpy(it->gram, gram, strlen(gram) + 1);
	it->off = s->ids.n;
	it->n = n;
	memcpy(s->ids.v + s->ids.n, ids, n * sizeof(uint64_t));
	s->ids.n += n;
	if (s->nitems == FLUSH_BATCH && (s->rc = batch_flush(s)) != ZL_OK)
		return 1;
	return 0;
}

/* Add every delta row to the builder. */
static int delta_collect(struct zl_db *db, struct zl_gram_builder *b, struct zl_error *err)
{
	struct zl_stmt *st;
	int rc;

	rc = zl_db_prepare(db, "SELECT gram, eid FROM enterprise_gram_delta", &st, err);
	if (rc != ZL_OK)
		return rc;
	while ((rc = zl_stmt_step(st, err)) == ZL_DB_ROW) {
		const char *gram = zl_stmt_column_text(st, 0);
		int64_t eid = zl_stmt_column_int64(st, 1);

		if (eid <= 0 || strlen(gram) >= ZL_GRAM_SIZE)
			continue; /* never written by the store */
		if (zl_gram_builder_add(b, gram, (uint64_t)eid) != ZL_OK) {
			rc = nomem(err);
			break;
		}
	}
	zl_stmt_reset(st);
	return rc < 0 ? rc : ZL_OK;
}

int zl_store_index_flush(struct zl_db *db, struct zl_gram_builder *b,
			 zl_index_progress_fn *progress, void *cls, struct zl_error *err)
{
	struct flush_state *s;
	struct zl_gram_builder *own = NULL;
	struct zl_stmt *st;
	int rc;

	if ((rc = need_tx(db, err)) != ZL_OK || (rc = write_lock(db, err)) != ZL_OK)
		return rc;
	s = calloc(1, sizeof(*s));
	if (s == NULL)
		return nomem(err);
	if (b == NULL) {
		if (zl_gram_builder_new(&own) != ZL_OK) {
			free(s);
			return nomem(err);
		}
		b = own;
	}
	s->db = db;
	s->progress = progress;
	s->cls = cls;
	s->err = err;

	if ((rc = delta_collect(db, b, err)) != ZL_OK)
		goto out;
	s->total = zl_gram_builder_grams(b);
	/* A first import, the demo and a rebuild write into an empty index:
	 * no gram needs the read of its blob then. */
	rc = zl_db_prepare(db, "SELECT count(*) FROM (SELECT 1 FROM enterprise_postings LIMIT 1) t",
			   &st, err);
	if (rc != ZL_OK)
		goto out;
	rc = zl_stmt_step(st, err);
	s->empty = rc == ZL_DB_ROW && zl_stmt_column_int64(st, 0) == 0;
	zl_stmt_reset(st);
	if (rc < 0)
		goto out;
	/* Into an empty index PostgreSQL takes the rows fastest by COPY (a statement of 128
	 * rows costs it a parse and a plan); SQLite's copy would store the blobs as text. */
	s->copy = s->empty && strcmp(zl_db_backend(db), "postgres") == 0 && s->total > 0;
	if (s->copy &&
	    (rc = zl_db_copy_begin(db, "enterprise_postings", "gram, n, ids", err)) != ZL_OK)
		goto out;
	rc = zl_gram_builder_drain(b, flush_gram, s);
	if (rc == 0)
		rc = s->rc = batch_flush(s);
	if (rc == 0 && s->copy)
		rc = s->rc = zl_db_copy_end(db, err);
	if (rc != 0) {
		rc = s->rc < 0 ? s->rc
			       : zl_error_set(err, ZL_EINTERNAL, "index", "postings walk stopped");
		goto out;
	}
	if (s->total == 0 && progress != NULL)
		progress(cls, 0, 0);
	rc = zl_db_exec(db, "DELETE FROM enterprise_gram_delta", err);
out:
	zl_db_copy_abort(db);
	free(s->hex);
	zl_ids_release(&s->ids);
	zl_ids_release(&s->old);
	zl_ids_release(&s->merged);
	zl_ids_release(&s->out);
	free(s->buf);
	free(s);
	zl_gram_builder_free(own);
	return rc;
}

/* ---- rebuild ------------------------------------------------------------------------ */

/* Add the (eid, name) rows of `sql` for eids in (lo, hi] to the builder. */
static int rebuild_range(struct zl_db *db, const char *sql, int64_t lo, int64_t hi,
			 struct zl_gram_builder *b, struct zl_error *err)
{
	struct zl_stmt *st;
	int rc;

	rc = zl_db_prepare(db, sql, &st, err);
	if (rc != ZL_OK)
		return rc;
	zl_stmt_bind_int64(st, 1, lo);
	zl_stmt_bind_int64(st, 2, hi);
	while ((rc = zl_stmt_step(st, err)) == ZL_DB_ROW) {
		int64_t eid = zl_stmt_column_int64(st, 0);

		if (eid <= 0)
			continue;
		if (zl_gram_builder_add_name(b, zl_stmt_column_text(st, 1), (uint64_t)eid) !=
		    ZL_OK) {
			rc = nomem(err);
			break;
		}
	}
	zl_stmt_reset(st);
	return rc < 0 ? rc : ZL_OK;
}

/*
 * The rebuild, reporting the progress of its flushes (grams written of the
 * grams of the chunk being flushed).
 */
int zl_store_index_rebuild_progress(struct zl_db *db, zl_index_progress_fn *progress, void *cls,
				    struct zl_error *err)
{
	struct zl_gram_builder *b = NULL;
	struct zl_stmt *st;
	int64_t max = 0;
	int rc;

	if ((rc = need_tx(db, err)) != ZL_OK || (rc = write_lock(db, err)) != ZL_OK)
		return rc;
	if ((rc = zl_db_exec(db, "DELETE FROM enterprise_postings", err)) != ZL_OK ||
	    (rc = zl_db_exec(db, "DELETE FROM enterprise_gram_delta", err)) != ZL_OK)
		return rc;
	rc = zl_db_prepare(db, "SELECT coalesce(max(eid), 0) FROM enterprises", &st, err);
	if (rc != ZL_OK)
		return rc;
	rc = zl_stmt_step(st, err);
	if (rc == ZL_DB_ROW)
		max = zl_stmt_column_int64(st, 0);
	zl_stmt_reset(st);
	if (rc < 0)
		return rc;
	if (zl_gram_builder_new(&b) != ZL_OK)
		return nomem(err);
	for (int64_t lo = 0, hi; lo < max; lo = hi) {
		/* Each range holds 65,536 records, however sparse the ids are. */
		rc = zl_db_prepare(db,
				   "SELECT eid FROM enterprises WHERE eid > ? ORDER BY eid"
				   " LIMIT 1 OFFSET " ZL_STR(REBUILD_RANGE_LAST),
				   &st, err);
		if (rc != ZL_OK)
			goto out;
		zl_stmt_bind_int64(st, 1, lo);
		rc = zl_stmt_step(st, err);
		hi = rc == ZL_DB_ROW ? zl_stmt_column_int64(st, 0) : max;
		zl_stmt_reset(st);
		if (rc < 0)
			goto out;
		rc = rebuild_range(db,
				   "SELECT eid, name FROM enterprises WHERE eid > ? AND eid <= ?",
				   lo, hi, b, err);
		if (rc == ZL_OK)
			rc = rebuild_range(db,
					   "SELECT e.eid, f.name FROM enterprise_former_names f"
					   " JOIN enterprises e ON e.uscc = f.uscc"
					   " WHERE e.eid > ? AND e.eid <= ?",
					   lo, hi, b, err);
		if (rc == ZL_OK && zl_gram_builder_postings(b) >= REBUILD_CHUNK)
			rc = zl_store_index_flush(db, b, progress, cls, err);
		if (rc != ZL_OK)
			goto out;
	}
	rc = zl_store_index_flush(db, b, progress, cls, err);
out:
	zl_gram_builder_free(b);
	return rc;
}

int zl_store_index_rebuild(struct zl_db *db, struct zl_error *err)
{
	return zl_store_index_rebuild_progress(db, NULL, NULL, err);
}
