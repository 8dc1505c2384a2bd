/*
 * enterprise_index.h - the name index of the register: for every gram
 * (domain/grams.h) the sorted ids (`enterprises.eid`) of the enterprises
 * whose current or former names contain it.
 *
 * Two tables (migration 5):
 *   enterprise_postings (gram PRIMARY KEY, n, ids)  one blob per gram, the
 *       format of domain/postings.h; written by bulk operations only.
 *   enterprise_gram_delta (gram, eid)  one row per posting added by a
 *       single change (an API edit, a rename, a former name), so an edit
 *       costs a few small inserts, never the rewrite of a large blob.
 * The postings of a gram are the union of its blob and its delta rows.  A
 * posting is never removed: a name an enterprise gave up stays findable
 * (it is a former name), and an enterprise is never deleted.
 *
 * zl_store_index_flush() merges a builder (and every delta row) into the
 * blobs: a bulk import collects its postings in a zl_gram_builder and
 * flushes it once at the end (earlier only when it grows very large),
 * writing one row per distinct gram, in gram order (on PostgreSQL by one
 * COPY when the index was empty).
 *
 * All writes run inside the caller's transaction.
 */
#ifndef ZL_STORE_ENTERPRISE_INDEX_H
#define ZL_STORE_ENTERPRISE_INDEX_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "db/db.h"
#include "domain/postings.h"

/*
 * Append to `out` the postings of `gram` (blob ∪ delta), then leave out
 * sorted and distinct.  A gram with no postings leaves out as it was
 * (sorted).  ZL_EINVAL (field "postings") for a corrupt blob, driver
 * errors.
 */
int zl_store_gram_postings(struct zl_db *db, const char *gram, struct zl_ids *out,
			   struct zl_error *err);

/*
 * Number of postings of `gram`: the blob's count plus its delta rows (an
 * upper bound when a delta row repeats a blob id; exact after a flush).
 * Cheap: no blob is decoded.  Used to pick the rarest gram.
 */
int zl_store_gram_estimate(struct zl_db *db, const char *gram, int64_t *n, struct zl_error *err);

/* Add the grams of `name` for enterprise `eid` as delta rows (single changes). */
int zl_store_index_add_name(struct zl_db *db, int64_t eid, const char *name,
			    struct zl_error *err);

/*
 * Merge the builder's postings and every delta row into the blobs, then
 * empty the builder and the delta table.  `b` may be NULL (fold the delta
 * only).  Progress (may be NULL) is called with grams done / grams in all.
 */
typedef void zl_index_progress_fn(void *cls, uint64_t done, uint64_t total);
int zl_store_index_flush(struct zl_db *db, struct zl_gram_builder *b, zl_index_progress_fn *progress,
			 void *cls, struct zl_error *err);

/*
 * Rebuild the whole index from the register (every current and former
 * name): empties both tables and writes the blobs afresh.  For
 * `zhiliang index rebuild` and tests.
 */
int zl_store_index_rebuild(struct zl_db *db, struct zl_error *err);
/* The same, reporting each flush's progress (grams written / grams of the flush). */
int zl_store_index_rebuild_progress(struct zl_db *db, zl_index_progress_fn *progress, void *cls,
				    struct zl_error *err);

/* Counts for health pages and tests: blob rows, delta rows. */
int zl_store_index_stats(struct zl_db *db, int64_t *grams, int64_t *delta, struct zl_error *err);

#endif /* ZL_STORE_ENTERPRISE_INDEX_H */
