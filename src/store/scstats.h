/*
 * scstats.h - spot-check statistics from rollups (migration 14,
 * docs/statistics.md): the pass rates officials report, read from small
 * tables of counts kept current in the same transaction as each
 * inspection change, never from a scan of the inspections.
 *
 * A fact is one tested batch: an inspection whose laboratory conclusion
 * exists (state tested or later, not cancelled, conclusion pass or fail,
 * not a refusal deemed failed); the re-test's conclusion replaces the
 * first, since the record's conclusion column holds the final one.
 * Imported published results count the same way (state closed or failed
 * with their conclusion).  Its dimensions: the quarter of its date
 * (sampled_on, else report_on, else its announcement's issued_on; "" when
 * none), the enterprise's county and its city-level unit, the product,
 * the enterprise's size class, the level and the sampling place.
 *
 * The rollups hold, per grain (a set of dimensions, always with the
 * quarter) and per cell (one value of each), the batches, failed batches,
 * and the exact number of distinct enterprises and of distinct failed
 * enterprises in the cell, kept exact by a per-cell enterprise table.
 * Writers keep them current: zl_store_sc_fact() around every change of a
 * counted field of one inspection, zl_store_sc_rollup_add_range() after a
 * bulk insert, zl_store_sc_rollup_rebuild() to recompute everything.
 */
#ifndef ZL_STORE_SCSTATS_H
#define ZL_STORE_SCSTATS_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "db/db.h"
#include "domain/scstats.h"

/*
 * Add (sign +1) or remove (sign -1) inspection `id`'s contribution to the
 * rollups, in the caller's transaction.  Call with -1 before and +1 after
 * any change of a counted field of an inspection.  An inspection that does
 * not count (or does not exist) contributes nothing: ZL_OK.  Database
 * errors only.
 */
int zl_store_sc_fact(struct zl_db *db, int64_t inspection_id, int sign, struct zl_error *err);

/*
 * Add every inspection with min_id <= id <= max_id (bulk: imports, demo),
 * set-based SQL, in the caller's transaction (or its own if none is open).
 * The rows must not have been counted before (newly inserted ones).
 */
int zl_store_sc_rollup_add_range(struct zl_db *db, int64_t min_id, int64_t max_id,
				 struct zl_error *err);

/* What a rebuild did. */
struct zl_sc_rebuild_info {
	int64_t facts; /* inspections counted */
	int64_t cells; /* rollup rows written, all grains */
};

/*
 * Recompute all rollups from the inspections table (its own transaction if
 * none is open).  `info` may be NULL.
 */
int zl_store_sc_rollup_rebuild_info(struct zl_db *db, struct zl_sc_rebuild_info *info,
				    struct zl_error *err);
int zl_store_sc_rollup_rebuild(struct zl_db *db, struct zl_error *err);

/*
 * Groups that span several rollup cells get exact distinct enterprise counts
 * when the cells' enterprise rows to read are at most this many; beyond,
 * the per-cell counts are summed (and the result says so).
 */
#define ZL_SC_EXACT_READ_MAX 200000

/* The grouped statistics' query: a group-by of one or two dimensions and filters. */
#define ZL_SC_BY_MAX 2
struct zl_sc_stats_query {
	enum zl_sc_dim by[ZL_SC_BY_MAX];
	int nby;	       /* 0 (total only), 1 or 2 */
	int year;	       /* 0: any */
	char from[8], to[8];   /* YYYYQn, "" none (inclusive) */
	char region[7];	       /* a GB/T 2260 code: its subtree (province, city, county); "" */
	char product[16];      /* a catalogue code: it and its products; "" */
	char size[16], level[16], place[16]; /* "" any */
	int64_t min_batches;   /* groups with fewer are unreliable */
};

/* One group (or the total). */
struct zl_sc_group {
	char key[ZL_SC_BY_MAX][16]; /* in the order of q->by; "" for the unknown value */
	struct zl_sc_counts c;
	struct zl_sc_rates r;
	int unreliable;
};

/* The answer: groups ordered by their keys.  Owned; release with zl_sc_stats_result_release. */
struct zl_sc_stats_result {
	struct zl_sc_group *groups; /* malloc'd */
	size_t n;
	struct zl_sc_group total;
	int grain;		   /* the rollup grain read (1..5), for the docs and the bench */
	int enterprises_exact;	   /* 1: enterprise counts are distinct counts (each group
				      one rollup cell, or counted over the cells' enterprise
				      rows); 0: summed over cells, an enterprise in two
				      quarters counted twice (docs/statistics.md) */
};

void zl_sc_stats_result_release(struct zl_sc_stats_result *r);

/*
 * The grouped statistics.  ZL_EINVAL (field named) for a bad query
 * (unknown dimension, a dimension twice); else database errors.  Reads
 * only; run it in a read transaction for one snapshot.
 */
int zl_store_sc_stats(struct zl_db *db, const struct zl_sc_stats_query *q,
		      struct zl_sc_stats_result *out, struct zl_error *err);

/*
 * Replace the output weights of every year present in w[0..n) by those
 * rows, in the caller's transaction (or its own).  `user` and `now`
 * (RFC 3339) are recorded.  ZL_ECONFLICT (field "row N") when a (year,
 * region, division) appears twice (N is the row's index + 1 in w, or its
 * rows[i] when `rows` is not NULL: the file's row numbers); else database
 * errors.  *years (may be NULL) receives how many years were replaced.
 */
int zl_store_sc_weights_put(struct zl_db *db, const struct zl_sc_output_weight *w,
			    const int *rows, size_t n, const char *user, const char *now,
			    size_t *years, struct zl_error *err);

/* One (region, division) of the manufacturing rate's input. */
struct zl_sc_mfg_cell {
	char region[7];	  /* a city-level unit */
	char division[3]; /* 13..41 */
	int has_weight;
	double output;
	int64_t batches, failed; /* tested in the year, products of the division */
};

struct zl_sc_mfg {
	struct zl_sc_mfg_cell *v; /* malloc'd, by region then division */
	size_t n;
};

void zl_sc_mfg_release(struct zl_sc_mfg *m);

/*
 * The manufacturing pass rate's inputs for `year` in `region` (a province:
 * its city-level units; a city-level unit: itself; "" all): every (city,
 * division 13..41) with a weight or tested batches.  A product's division
 * is that of its first GB/T 4754 industry in the catalogue (products
 * outside the 29 divisions are left out).  Database errors only.
 */
int zl_store_sc_manufacturing(struct zl_db *db, int year, const char *region,
			      struct zl_sc_mfg *out, struct zl_error *err);

#endif /* ZL_STORE_SCSTATS_H */
