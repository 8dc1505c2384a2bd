/*
 * enterprise_search.h - finding enterprises in the register (issue 4
 * "Find"): name-fragment search over current and former names, filters,
 * sort, exact totals, keyset paging and count buckets.
 *
 * Name search.  `q` is split at whitespace and punctuation into terms
 * (domain/grams.h decides what is punctuation; ASCII is lower-cased); an
 * enterprise matches when EVERY term occurs in its current name or in one
 * of its former names.  The register keeps, for every bigram and trigram
 * of every name, the sorted ids (eid) of the enterprises holding it
 * (store/enterprise_index.h), so a term of two or three characters is
 * exactly one gram: its postings, no other test.  A longer term takes the
 * ids holding all of its trigrams and confirms them by a substring test,
 * because grams match out of order (宇通客车 vs "客车宇通客").  A
 * one-character term has no gram: it is a substring test over every name
 * (a scan: slow on a large register).  Name tests are lower(name) LIKE
 * '%term%'; a term never holds % _ or \ (they are punctuation).
 * Punctuation inside a stored name is ignored by the gram lookups (宇通
 * finds "宇(通"), not by the substring test.
 *
 * Plan.  The postings of the gram terms are read and intersected in C,
 * rarest gram first (by the blob's stored count), stopping when nothing is
 * left: the candidates L.  Everything else (filters, confirming substring
 * tests, sort, cursor) is SQL, in one of two plans:
 *   1 (list): L is passed to SQL as one bound parameter and the query
 *     probes its rows by eid, then sorts them; for small L.
 *   2 (walk): SQL reads the register in sort order under the other
 *     conditions, in batches, and C keeps the rows whose eid is in L until
 *     the page is full; for large L (有限 is in 80% of the names, so a
 *     page reads about limit / 0.8 rows).
 * The automatic choice compares |L| with the rows a walk would read
 * (docs/search.md has the measurements).  The exact total is |L| when the
 * gram terms are the only condition (postings are distinct): no query at
 * all.  With other conditions the store reads the eids of the matching
 * rows M, in SQL over L (plan 1) or by walking the eids of the rows that
 * meet them (plan 2: a scan of the filtered rows; slow for a loose filter
 * with a very common fragment), and then reads the page over M.  Counts
 * (buckets) follow the same plans: GROUP BY over L, or a walk counting in
 * C.
 *
 * Paging is keyset on (sort key, uscc): the cursor is the uscc of the last
 * row sent and the store re-reads that row's sort key, so pages never skip
 * or repeat a row that did not change in between.
 */
#ifndef ZL_STORE_ENTERPRISE_SEARCH_H
#define ZL_STORE_ENTERPRISE_SEARCH_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "db/db.h"
#include "store/enterprises.h"

/* Longest accepted q in bytes, and the most terms / bigrams used from it. */
#define ZL_ENT_Q_MAX 200
#define ZL_ENT_TERMS_MAX 8
#define ZL_ENT_GRAMS_MAX 16

enum zl_ent_sort {
	ZL_ENT_SORT_USCC = 0,
	ZL_ENT_SORT_NAME,
	ZL_ENT_SORT_FOUNDED,
	ZL_ENT_SORT_UPDATED
};

enum zl_ent_count { ZL_ENT_COUNT_REGION = 0, ZL_ENT_COUNT_INDUSTRY, ZL_ENT_COUNT_STATUS };

struct zl_ent_filter {
	const char *q;	      /* NULL/"": any name; else fragments (see above) */
	const char *region;   /* NULL/"": any; else a GB/T 2260 code and its subtree */
	const char *industry; /* NULL/"": any; else a GB/T 4754 code (2..4 digits) as prefix */
	const char *status;   /* NULL/"": any; operating | revoked | cancelled */
	const char *cert;     /* NULL/"": any; else has a certification of this kind */
	enum zl_ent_sort sort;
	int desc;	   /* 1: descending (ties on uscc descending too) */
	const char *after; /* cursor: uscc of the last row of the previous page; NULL/"" first */
	int limit;	   /* rows at most; <= 0: all */
	int plan;	   /* 0 automatic; tests and benchmarks force 1 (list) or 2 (walk);
			    * 3 is the walk in batches of two rows (tests) */
};

/*
 * Parse the API spellings: "uscc" | "name" | "founded" | "updated_at" and
 * "region" | "industry" | "status".  ZL_OK or ZL_EINVAL (err not filled).
 */
int zl_ent_sort_parse(const char *s, enum zl_ent_sort *out);
int zl_ent_count_parse(const char *s, enum zl_ent_count *out);

/*
 * Check a filter before running it: q length and terms, region digits (2,
 * 4 or 6), industry digits (2..4), status enum, cert kind characters.
 * ZL_EINVAL with err->field naming the parameter ("q", "region", ...).
 */
int zl_ent_filter_check(const struct zl_ent_filter *f, struct zl_error *err);

/* Called per row; non-zero stops the list with that code. */
typedef int zl_ent_row_fn(void *cls, const struct zl_enterprise *e);

/*
 * Enterprises matching `f`, in its order, after f->after, at most f->limit,
 * each passed to fn (NULL: only count).  `*total` (may be NULL) receives
 * the exact count of all matching rows (cursor ignored).  Runs
 * zl_ent_filter_check first.  Errors: ZL_EINVAL (bad filter), driver
 * errors.
 */
int zl_store_enterprise_list(struct zl_db *db, const struct zl_ent_filter *f, zl_ent_row_fn *fn,
			     void *cls, int64_t *total, struct zl_error *err);

/*
 * Called per bucket of a count, in key order: key "" is the bucket of
 * records without a value (empty region / industry).  Industry buckets
 * are divisions (the first two digits).
 */
typedef int zl_ent_bucket_fn(void *cls, const char *key, int64_t count);

/*
 * Every bucket of `field` over the enterprises matching `f` (sort, cursor
 * and limit ignored), with exact counts, no top-N cap.  `*total` (may be
 * NULL) receives the sum.
 */
int zl_store_enterprise_count(struct zl_db *db, const struct zl_ent_filter *f,
			      enum zl_ent_count field, zl_ent_bucket_fn *fn, void *cls,
			      int64_t *total, struct zl_error *err);

#endif /* ZL_STORE_ENTERPRISE_SEARCH_H */
