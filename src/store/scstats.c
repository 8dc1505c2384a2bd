/*
 * scstats.c - the spot-check statistics' rollups and their query
 * (scstats.h, migration 14, docs/statistics.md).
 *
 * Tables: sc_cells (grain, k) holds a cell's counts, k being the cell's
 * dimension values joined by '|' and the values also kept as columns to
 * filter on; sc_cell_ents (grain, k, uscc) holds each enterprise's batches
 * and failed batches in the cell, so the cell's distinct enterprise counts
 * stay exact when a fact comes and goes.  Which fact counts, and its
 * dimensions, is one SQL expression (SC_FACTS) shared by the one-row path
 * and the set-based path, so the two cannot disagree.
 */
#include "store/scstats.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "store/query.h"

/* clang-format off */

/* A counted inspection: the laboratory's conclusion exists and is final as recorded. */
#define SC_COUNTED \
	"i.state NOT IN ('planned', 'refused', 'sampled', 'untestable', 'cancelled')" \
	" AND i.deemed = 0 AND i.conclusion IN ('pass', 'fail')"

/* Its facts: uscc, fail, q (YYYYQn or ''), city, county, product, sz, lv, pl. */
#define SC_FACTS(COND) \
	"SELECT id, uscc, fail," \
	" CASE WHEN length(d) < 7 THEN '' ELSE substr(d, 1, 4) || 'Q' ||" \
	"  CAST((CAST(substr(d, 6, 2) AS INTEGER) + 2) / 3 AS TEXT) END AS q," \
	" CASE WHEN county = '' OR substr(county, 3, 2) = '90' THEN county" \
	"  ELSE substr(county, 1, 4) || '00' END AS city," \
	" county, product, sz, lv, pl FROM (" \
	"SELECT i.id, i.uscc, i.county, i.product, i.size_class AS sz, i.level AS lv," \
	" i.place AS pl, CASE WHEN i.conclusion = 'fail' THEN 1 ELSE 0 END AS fail," \
	" CASE WHEN i.sampled_on <> '' THEN i.sampled_on WHEN i.report_on <> '' THEN i.report_on" \
	"  ELSE COALESCE(a.issued_on, '') END AS d" \
	" FROM inspections i LEFT JOIN spotcheck_announcements a ON a.id = i.announcement_id" \
	" WHERE " COND " AND " SC_COUNTED ") f"

/* The cell key of each grain, over SC_FACTS's columns. */
#define K1 "q || '|' || city"
#define K2 "q || '|' || county"
#define K3 "q || '|' || product"
#define K4 "q || '|' || sz || '|' || lv || '|' || pl"
#define K5 "q || '|' || county || '|' || product || '|' || sz || '|' || lv || '|' || pl"

#define FACT_SQL \
	"SELECT uscc, fail, q, city, county, product, sz, lv, pl, " \
	K1 ", " K2 ", " K3 ", " K4 ", " K5 " FROM (" SC_FACTS("i.id = ?") ") g"

/* The set-based path reads the facts once into a temporary table. */
#define FACTS_TMP_DDL \
	"CREATE TEMP TABLE IF NOT EXISTS sc_facts (id BIGINT, uscc TEXT, fail INTEGER, q TEXT," \
	" city TEXT, county TEXT, product TEXT, sz TEXT, lv TEXT, pl TEXT)"
#define FACTS_FILL(COND) "INSERT INTO sc_facts " SC_FACTS(COND)

/* Per grain: its enterprises, its cells, then the cells' enterprise counts. */
#define GRAIN_ENTS(G, K, GRP) \
	"INSERT INTO sc_cell_ents (grain, k, uscc, batches, failed)" \
	" SELECT " #G ", " K ", uscc, count(*), sum(fail) FROM sc_facts WHERE true" \
	" GROUP BY " GRP ", uscc" \
	" ON CONFLICT (grain, k, uscc) DO UPDATE SET batches = sc_cell_ents.batches +" \
	" excluded.batches, failed = sc_cell_ents.failed + excluded.failed"
#define GRAIN_CELLS(G, K, SEL, GRP) \
	"INSERT INTO sc_cells (grain, k, quarter, city, county, product, size, level, place," \
	" batches, failed, enterprises, enterprises_failed)" \
	" SELECT " #G ", " K ", " SEL ", count(*), sum(fail), 0, 0 FROM sc_facts WHERE true" \
	" GROUP BY " GRP \
	" ON CONFLICT (grain, k) DO UPDATE SET batches = sc_cells.batches + excluded.batches," \
	" failed = sc_cells.failed + excluded.failed"
#define ENT_COUNTS \
	"UPDATE sc_cells SET" \
	" enterprises = (SELECT count(*) FROM sc_cell_ents e" \
	"  WHERE e.grain = sc_cells.grain AND e.k = sc_cells.k)," \
	" enterprises_failed = (SELECT count(*) FROM sc_cell_ents e" \
	"  WHERE e.grain = sc_cells.grain AND e.k = sc_cells.k AND e.failed > 0)" \
	" WHERE grain = "
#define GRAIN_COUNTS_ALL(G) ENT_COUNTS #G
#define GRAIN_COUNTS_TOUCHED(G, K) ENT_COUNTS #G " AND k IN (SELECT " K " FROM sc_facts)"

#define GRAIN(G, K, SEL, GRP, MASK) \
	{ G, MASK, GRAIN_ENTS(G, K, GRP), GRAIN_CELLS(G, K, SEL, GRP), \
	  GRAIN_COUNTS_ALL(G), GRAIN_COUNTS_TOUCHED(G, K) }

/* clang-format on */

/* Dimension bits of a grain (the quarter is in every grain). */
enum {
	D_CITY = 1 << 0,
	D_COUNTY = 1 << 1,
	D_PRODUCT = 1 << 2,
	D_SIZE = 1 << 3,
	D_LEVEL = 1 << 4,
	D_PLACE = 1 << 5,
};

static const struct grain {
	int id;
	unsigned mask;
	const char *ents, *cells, *counts_all, *counts_touched;
} grains[] = {
	/* clang-format off */
	GRAIN(1, K1, "q, city, '', '', '', '', ''", "q, city", D_CITY),
	GRAIN(2, K2, "q, city, county, '', '', '', ''", "q, city, county", D_CITY | D_COUNTY),
	GRAIN(3, K3, "q, '', '', product, '', '', ''", "q, product", D_PRODUCT),
	GRAIN(4, K4, "q, '', '', '', sz, lv, pl", "q, sz, lv, pl", D_SIZE | D_LEVEL | D_PLACE),
	GRAIN(5, K5, "q, city, county, product, sz, lv, pl", "q, city, county, product, sz, lv, pl",
	      D_CITY | D_COUNTY | D_PRODUCT | D_SIZE | D_LEVEL | D_PLACE),
	/* clang-format on */
};
#define NGRAINS (sizeof(grains) / sizeof(grains[0]))

/* ---- one fact ------------------------------------------------------------------------------ */

struct fact {
	char uscc[32];
	int fail;
	char dim[7][32]; /* q, city, county, product, sz, lv, pl */
	char k[NGRAINS][200];
};

/* The value of cell column c (0 quarter .. 6 place) in grain g for fact f. */
static const char *cell_col(const struct grain *g, const struct fact *f, int c)
{
	static const unsigned bit[7] = {0, D_CITY, D_COUNTY, D_PRODUCT, D_SIZE, D_LEVEL, D_PLACE};

	return c == 0 || (g->mask & bit[c]) ? f->dim[c] : "";
}

static int fact_grain(struct zl_db *db, const struct grain *g, const struct fact *f, int sign,
		      struct zl_error *err)
{
	struct zl_stmt *st;
	int64_t nb, nf, ob, of, de, dfe, cb;
	const char *k = f->k[g->id - 1];
	int rc;

	rc = zl_db_prepare(db,
			   "INSERT INTO sc_cell_ents (grain, k, uscc, batches, failed)"
			   " VALUES (?, ?, ?, ?, ?) ON CONFLICT (grain, k, uscc) DO UPDATE SET"
			   " batches = sc_cell_ents.batches + excluded.batches,"
			   " failed = sc_cell_ents.failed + excluded.failed RETURNING batches, failed",
			   &st, err);
	if (rc != ZL_OK)
		return rc;
	zl_stmt_bind_int64(st, 1, g->id);
	zl_stmt_bind_text(st, 2, k, -1);
	zl_stmt_bind_text(st, 3, f->uscc, -1);
	zl_stmt_bind_int64(st, 4, sign);
	zl_stmt_bind_int64(st, 5, f->fail ? sign : 0);
	rc = zl_stmt_step(st, err);
	if (rc != ZL_DB_ROW) {
		zl_stmt_reset(st);
		return rc < 0 ? rc : zl_error_set(err, ZL_EDB, "db", "upsert returned no row");
	}
	nb = zl_stmt_column_int64(st, 0);
	nf = zl_stmt_column_int64(st, 1);
	zl_stmt_reset(st);
	ob = nb - sign;
	of = nf - (f->fail ? sign : 0);
	de = (nb > 0) - (ob > 0);
	dfe = (nf > 0) - (of > 0);
	if (nb <= 0) {
		rc = zl_db_prepare(db,
				   "DELETE FROM sc_cell_ents WHERE grain = ? AND k = ? AND uscc = ?",
				   &st, err);
		if (rc != ZL_OK)
			return rc;
		zl_stmt_bind_int64(st, 1, g->id);
		zl_stmt_bind_text(st, 2, k, -1);
		zl_stmt_bind_text(st, 3, f->uscc, -1);
		if ((rc = zl_store_run(st, err)) != ZL_OK)
			return rc;
	}
	rc = zl_db_prepare(db,
			   "INSERT INTO sc_cells (grain, k, quarter, city, county, product, size,"
			   " level, place, batches, failed, enterprises, enterprises_failed)"
			   " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
			   " ON CONFLICT (grain, k) DO UPDATE SET"
			   " batches = sc_cells.batches + excluded.batches,"
			   " failed = sc_cells.failed + excluded.failed,"
			   " enterprises = sc_cells.enterprises + excluded.enterprises,"
			   " enterprises_failed = sc_cells.enterprises_failed +"
			   " excluded.enterprises_failed RETURNING batches",
			   &st, err);
	if (rc != ZL_OK)
		return rc;
	zl_stmt_bind_int64(st, 1, g->id);
	zl_stmt_bind_text(st, 2, k, -1);
	for (int c = 0; c < 7; c++)
		zl_stmt_bind_text(st, 3 + c, cell_col(g, f, c), -1);
	zl_stmt_bind_int64(st, 10, sign);
	zl_stmt_bind_int64(st, 11, f->fail ? sign : 0);
	zl_stmt_bind_int64(st, 12, de);
	zl_stmt_bind_int64(st, 13, dfe);
	rc = zl_stmt_step(st, err);
	if (rc != ZL_DB_ROW) {
		zl_stmt_reset(st);
		return rc < 0 ? rc : zl_error_set(err, ZL_EDB, "db", "upsert returned no row");
	}
	cb = zl_stmt_column_int64(st, 0);
	zl_stmt_reset(st);
	if (cb < 0)
		return zl_error_set(err, ZL_EINTERNAL, "rollup",
				    "rollup cell %d/%s went below zero: rebuild the statistics",
				    g->id, k);
	if (cb == 0) {
		rc = zl_db_prepare(db, "DELETE FROM sc_cells WHERE grain = ? AND k = ?", &st, err);
		if (rc != ZL_OK)
			return rc;
		zl_stmt_bind_int64(st, 1, g->id);
		zl_stmt_bind_text(st, 2, k, -1);
		return zl_store_run(st, err);
	}
	return ZL_OK;
}

int zl_store_sc_fact(struct zl_db *db, int64_t inspection_id, int sign, struct zl_error *err)
{
	struct fact *f;
	struct zl_stmt *st;
	int rc;

	if (sign != 1 && sign != -1)
		return zl_error_set(err, ZL_EINTERNAL, "sign", "sign is +1 or -1");
	if ((f = calloc(1, sizeof(*f))) == NULL)
		return zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
	rc = zl_db_prepare(db, FACT_SQL, &st, err);
	if (rc != ZL_OK)
		goto out;
	zl_stmt_bind_int64(st, 1, inspection_id);
	rc = zl_stmt_step(st, err);
	if (rc == ZL_DB_ROW) {
		zl_store_col_text(st, 0, f->uscc, sizeof(f->uscc));
		f->fail = zl_stmt_column_int64(st, 1) != 0;
		for (int c = 0; c < 7; c++)
			zl_store_col_text(st, 2 + c, f->dim[c], sizeof(f->dim[c]));
		for (size_t g = 0; g < NGRAINS; g++)
			zl_store_col_text(st, 9 + (int)g, f->k[g], sizeof(f->k[g]));
	}
	zl_stmt_reset(st);
	if (rc == ZL_DB_DONE) { /* not counted: nothing to do */
		rc = ZL_OK;
		goto out;
	}
	if (rc != ZL_DB_ROW)
		goto out;
	rc = ZL_OK;
	for (size_t g = 0; g < NGRAINS && rc == ZL_OK; g++)
		rc = fact_grain(db, &grains[g], f, sign, err);
out:
	free(f);
	return rc;
}

/* ---- set-based ----------------------------------------------------------------------------- */

static int own_begin(struct zl_db *db, int *own, struct zl_error *err)
{
	*own = 0;
	if (zl_db_in_tx(db))
		return ZL_OK;
	*own = 1;
	return zl_db_begin(db, err);
}

static int own_end(struct zl_db *db, int own, int rc, struct zl_error *err)
{
	if (!own)
		return rc;
	if (rc != ZL_OK) {
		zl_db_rollback(db);
		return rc;
	}
	return zl_db_commit(db, err);
}

/* Fill sc_facts with the counted inspections of [lo, hi]; *n receives how many. */
static int facts_fill(struct zl_db *db, int64_t lo, int64_t hi, int64_t *n, struct zl_error *err)
{
	struct zl_stmt *st;
	int rc;

	if ((rc = zl_db_exec(db, FACTS_TMP_DDL, err)) != ZL_OK ||
	    (rc = zl_db_exec(db, "DELETE FROM sc_facts", err)) != ZL_OK)
		return rc;
	rc = zl_db_prepare(db, FACTS_FILL("i.id BETWEEN ? AND ?"), &st, err);
	if (rc != ZL_OK)
		return rc;
	zl_stmt_bind_int64(st, 1, lo);
	zl_stmt_bind_int64(st, 2, hi);
	rc = zl_stmt_step(st, err);
	if (n != NULL)
		*n = zl_stmt_changes(st);
	zl_stmt_reset(st);
	return rc < 0 ? rc : ZL_OK;
}

/* Add what sc_facts holds to every grain; all: the rollups were empty (a rebuild). */
static int facts_add(struct zl_db *db, int all, struct zl_error *err)
{
	int rc = ZL_OK;

	for (size_t g = 0; g < NGRAINS && rc == ZL_OK; g++) {
		if ((rc = zl_db_exec(db, grains[g].ents, err)) != ZL_OK ||
		    (rc = zl_db_exec(db, grains[g].cells, err)) != ZL_OK)
			break;
		rc = zl_db_exec(db, all ? grains[g].counts_all : grains[g].counts_touched, err);
	}
	if (rc == ZL_OK)
		rc = zl_db_exec(db, "DELETE FROM sc_facts", err);
	return rc;
}

int zl_store_sc_rollup_add_range(struct zl_db *db, int64_t min_id, int64_t max_id,
				 struct zl_error *err)
{
	int64_t n = 0;
	int own, rc;

	if (min_id > max_id)
		return ZL_OK;
	if ((rc = own_begin(db, &own, err)) != ZL_OK)
		return rc;
	rc = facts_fill(db, min_id, max_id, &n, err);
	if (rc == ZL_OK && n > 0)
		rc = facts_add(db, 0, err);
	return own_end(db, own, rc, err);
}

int zl_store_sc_rollup_rebuild_info(struct zl_db *db, struct zl_sc_rebuild_info *info,
				    struct zl_error *err)
{
	int64_t n = 0, cells = 0;
	int own, rc;

	if ((rc = own_begin(db, &own, err)) != ZL_OK)
		return rc;
	if ((rc = zl_db_exec(db, "DELETE FROM sc_cell_ents", err)) != ZL_OK ||
	    (rc = zl_db_exec(db, "DELETE FROM sc_cells", err)) != ZL_OK ||
	    (rc = facts_fill(db, INT64_MIN, INT64_MAX, &n, err)) != ZL_OK ||
	    (rc = facts_add(db, 1, err)) != ZL_OK)
		goto out;
	rc = zl_store_int_by_id(db, "SELECT count(*) FROM sc_cells WHERE grain <> ?", 0, &cells,
				err);
out:
	rc = own_end(db, own, rc, err);
	if (rc == ZL_OK && info != NULL) {
		info->facts = n;
		info->cells = cells;
	}
	return rc;
}

int zl_store_sc_rollup_rebuild(struct zl_db *db, struct zl_error *err)
{
	return zl_store_sc_rollup_rebuild_info(db, NULL, err);
}

/* ---- the query ----------------------------------------------------------------------------- */

void zl_sc_stats_result_release(struct zl_sc_stats_result *r)
{
	free(r->groups);
	r->groups = NULL;
	r->n = 0;
}

/* The sc_cells expression of a dimension (fixed text, never a request value). */
static const char *dim_expr(enum zl_sc_dim d)
{
	switch (d) {
	case ZL_SC_DIM_REGION: return "city";
	case ZL_SC_DIM_COUNTY: return "county";
	case ZL_SC_DIM_PRODUCT: return "product";
	case ZL_SC_DIM_SIZE: return "size";
	case ZL_SC_DIM_LEVEL: return "level";
	case ZL_SC_DIM_PLACE: return "place";
	case ZL_SC_DIM_YEAR: return "substr(quarter, 1, 4)";
	case ZL_SC_DIM_QUARTER: return "quarter";
	case ZL_SC_DIM_COUNT: break;
	}
	return "''";
}

static unsigned dim_bit(enum zl_sc_dim d)
{
	switch (d) {
	case ZL_SC_DIM_REGION: return D_CITY;
	case ZL_SC_DIM_COUNTY: return D_COUNTY;
	case ZL_SC_DIM_PRODUCT: return D_PRODUCT;
	case ZL_SC_DIM_SIZE: return D_SIZE;
	case ZL_SC_DIM_LEVEL: return D_LEVEL;
	case ZL_SC_DIM_PLACE: return D_PLACE;
	default: return 0;
	}
}

static int region_kind(const char *r)
{
	/* 2 province, 1 city-level, 0 county; -1 malformed */
	size_t n = strlen(r);

	if (n != 6 || strspn(r, "0123456789") != 6)
		return -1;
	if (strcmp(r + 2, "0000") == 0)
		return 2;
	if (strcmp(r + 4, "00") == 0)
		return 1;
	return 0;
}

/* Bound values of the WHERE clause, in order. */
struct binds {
	const char *v[12];
	int n;
};

static void where_add(struct zl_buf *b, struct binds *bv, const char *clause, const char *v1,
		      const char *v2)
{
	zl_buf_adds(b, " AND ");
	zl_buf_adds(b, clause);
	bv->v[bv->n++] = v1;
	if (v2 != NULL)
		bv->v[bv->n++] = v2;
}

static int run_query(struct zl_db *db, const char *sql, const struct binds *bv, int grain,
		     int nby, const struct zl_sc_stats_query *q, struct zl_sc_stats_result *out,
		     int total, struct zl_error *err)
{
	struct zl_stmt *st;
	size_t cap = 0;
	int rc;

	rc = zl_db_prepare(db, sql, &st, err);
	if (rc != ZL_OK)
		return rc;
	zl_stmt_bind_int64(st, 1, grain);
	for (int i = 0; i < bv->n; i++)
		zl_stmt_bind_text(st, 2 + i, bv->v[i], -1);
	while ((rc = zl_stmt_step(st, err)) == ZL_DB_ROW) {
		struct zl_sc_group *g;
		int c = 0;

		if (total) {
			g = &out->total;
		} else {
			if (out->n == cap) {
				size_t nc = cap ? cap * 2 : 64;
				void *p = realloc(out->groups, nc * sizeof(*out->groups));
				if (p == NULL) {
					rc = zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
					break;
				}
				out->groups = p;
				cap = nc;
			}
			g = &out->groups[out->n++];
		}
		memset(g, 0, sizeof(*g));
		for (; c < nby; c++)
			zl_store_col_text(st, c, g->key[c], sizeof(g->key[c]));
		g->c.batches = zl_stmt_column_int64(st, c++);
		g->c.failed = zl_stmt_column_int64(st, c++);
		g->c.enterprises = zl_stmt_column_int64(st, c++);
		g->c.enterprises_failed = zl_stmt_column_int64(st, c);
		zl_sc_rates_of(&g->c, &g->r);
		g->unreliable = g->c.batches < q->min_batches;
	}
	zl_stmt_reset(st);
	return rc < 0 ? rc : ZL_OK;
}

/* Replace group and total enterprise counts by exact distinct counts over sc_cell_ents. */
static int exact_enterprises(struct zl_db *db, const struct zl_sc_stats_query *q, int grain,
			     const char *where, const struct binds *bv, int do_groups,
			     struct zl_sc_stats_result *out, struct zl_error *err)
{
	struct zl_buf sql = ZL_BUF_INIT(8192);
	int rc = ZL_OK;

	for (int pass = 0; pass < 2 && rc == ZL_OK; pass++) {
		int groups = pass == 0 && q->nby > 0;
		struct zl_stmt *st;
		size_t i = 0;

		if (pass == 0 && (q->nby == 0 || !do_groups))
			continue;
		zl_buf_reset(&sql);
		zl_buf_adds(&sql, "SELECT ");
		for (int d = 0; groups && d < q->nby; d++) {
			zl_buf_adds(&sql, dim_expr(q->by[d]));
			zl_buf_adds(&sql, ", ");
		}
		zl_buf_adds(&sql, "count(DISTINCT e.uscc),"
				  " count(DISTINCT CASE WHEN e.failed > 0 THEN e.uscc END)"
				  " FROM sc_cells c JOIN sc_cell_ents e ON e.grain = c.grain"
				  " AND e.k = c.k WHERE c.grain = ?");
		zl_buf_adds(&sql, where);
		for (int d = 0; groups && d < q->nby; d++) {
			zl_buf_adds(&sql, d ? ", " : " GROUP BY ");
			zl_buf_adds(&sql, dim_expr(q->by[d]));
		}
		for (int d = 0; groups && d < q->nby; d++)
			zl_buf_addf(&sql, "%s%d", d ? ", " : " ORDER BY ", d + 1);
		if (sql.err) {
			rc = zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
			break;
		}
		if ((rc = zl_db_prepare(db, zl_buf_str(&sql), &st, err)) != ZL_OK)
			break;
		zl_stmt_bind_int64(st, 1, grain);
		for (int b = 0; b < bv->n; b++)
			zl_stmt_bind_text(st, 2 + b, bv->v[b], -1);
		while ((rc = zl_stmt_step(st, err)) == ZL_DB_ROW) {
			struct zl_sc_group *x = groups ? (i < out->n ? &out->groups[i] : NULL)
						       : &out->total;
			int c = groups ? q->nby : 0;

			/* The same cells in the same order: the keys must agree. */
			for (int d = 0; x != NULL && groups && d < q->nby; d++)
				if (strcmp(x->key[d], zl_stmt_column_text(st, d)) != 0)
					x = NULL;
			if (x == NULL) {
				rc = zl_error_set(err, ZL_EINTERNAL, "rollup",
						  "enterprise rows do not match the cells");
				break;
			}
			x->c.enterprises = zl_stmt_column_int64(st, c);
			x->c.enterprises_failed = zl_stmt_column_int64(st, c + 1);
			zl_sc_rates_of(&x->c, &x->r);
			i++;
		}
		zl_stmt_reset(st);
		rc = rc < 0 ? rc : ZL_OK;
	}
	zl_buf_release(&sql);
	if (rc == ZL_OK)
		out->enterprises_exact = 1;
	return rc;
}

int zl_store_sc_stats(struct zl_db *db, const struct zl_sc_stats_query *q,
		      struct zl_sc_stats_result *out, struct zl_error *err)
{
	struct zl_buf where = ZL_BUF_INIT(4096), sql = ZL_BUF_INIT(8192);
	struct binds bv = {{0}, 0};
	char year[8];
	unsigned need = 0, bymask = 0;
	const struct grain *g = NULL;
	int rk = -1, has_quarter = 0, rc;

	memset(out, 0, sizeof(*out));
	if (q->nby < 0 || q->nby > ZL_SC_BY_MAX)
		return zl_error_set(err, ZL_EINVAL, "by", "group by one or two dimensions");
	for (int i = 0; i < q->nby; i++) {
		if ((unsigned)q->by[i] >= ZL_SC_DIM_COUNT)
			return zl_error_set(err, ZL_EINVAL, "by", "unknown dimension");
		if (i > 0 && q->by[i] == q->by[0])
			return zl_error_set(err, ZL_EINVAL, "by", "a dimension given twice");
		need |= dim_bit(q->by[i]);
		has_quarter |= q->by[i] == ZL_SC_DIM_QUARTER;
	}
	bymask = need;
	if (bymask & D_COUNTY)
		bymask |= D_CITY; /* a county names its city */
	if (q->region[0] != '\0') {
		if ((rk = region_kind(q->region)) < 0)
			return zl_error_set(err, ZL_EINVAL, "region", "a region is a 6-digit code");
		need |= rk == 0 ? D_COUNTY : D_CITY;
	}
	if (q->product[0] != '\0')
		need |= D_PRODUCT;
	if (q->size[0] != '\0')
		need |= D_SIZE;
	if (q->level[0] != '\0')
		need |= D_LEVEL;
	if (q->place[0] != '\0')
		need |= D_PLACE;
	for (size_t i = 0; i < NGRAINS && g == NULL; i++)
		if ((grains[i].mask & need) == need)
			g = &grains[i];
	if (g == NULL) /* cannot happen: the last grain has every dimension */
		return zl_error_set(err, ZL_EINTERNAL, "by", "no grain covers the query");
	out->grain = g->id;
	out->enterprises_exact = has_quarter && (g->mask & ~bymask) == 0;

	if (q->year > 0) {
		snprintf(year, sizeof(year), "%04d", q->year % 10000);
		where_add(&where, &bv, "substr(quarter, 1, 4) = ?", year, NULL);
	}
	if (q->from[0] != '\0')
		where_add(&where, &bv, "quarter >= ?", q->from, NULL);
	if (q->to[0] != '\0')
		where_add(&where, &bv, "quarter <> '' AND quarter <= ?", q->to, NULL);
	if (rk == 2) {
		/* The province: its first two digits. */
		where_add(&where, &bv, "substr(city, 1, 2) = substr(?, 1, 2)", q->region, NULL);
	} else if (rk == 1) {
		where_add(&where, &bv, "city = ?", q->region, NULL);
	} else if (rk == 0) {
		where_add(&where, &bv, "county = ?", q->region, NULL);
	}
	if (q->product[0] != '\0')
		where_add(&where, &bv,
			  "(product = ? OR product IN (SELECT code FROM catalogue_categories"
			  " WHERE parent = ?))",
			  q->product, q->product);
	if (q->size[0] != '\0')
		where_add(&where, &bv, "size = ?", q->size, NULL);
	if (q->level[0] != '\0')
		where_add(&where, &bv, "level = ?", q->level, NULL);
	if (q->place[0] != '\0')
		where_add(&where, &bv, "place = ?", q->place, NULL);

	/* The groups. */
	zl_buf_adds(&sql, "SELECT ");
	for (int i = 0; i < q->nby; i++) {
		zl_buf_adds(&sql, dim_expr(q->by[i]));
		zl_buf_adds(&sql, ", ");
	}
	zl_buf_adds(&sql, "COALESCE(sum(batches), 0), COALESCE(sum(failed), 0),"
			  " COALESCE(sum(enterprises), 0), COALESCE(sum(enterprises_failed), 0)"
			  " FROM sc_cells WHERE grain = ?");
	zl_buf_adds(&sql, zl_buf_str(&where));
	if (q->nby > 0) {
		zl_buf_adds(&sql, " GROUP BY ");
		for (int i = 0; i < q->nby; i++) {
			if (i)
				zl_buf_adds(&sql, ", ");
			zl_buf_adds(&sql, dim_expr(q->by[i]));
		}
		zl_buf_adds(&sql, " ORDER BY ");
		for (int i = 0; i < q->nby; i++) {
			if (i)
				zl_buf_adds(&sql, ", ");
			zl_buf_addf(&sql, "%d", i + 1);
		}
	}
	if (where.err || sql.err) {
		rc = zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
		goto out;
	}
	if (q->nby > 0) {
		rc = run_query(db, zl_buf_str(&sql), &bv, g->id, q->nby, q, out, 0, err);
		if (rc != ZL_OK)
			goto out;
		/* The total: the same cells, summed. */
		zl_buf_reset(&sql);
		zl_buf_adds(&sql, "SELECT COALESCE(sum(batches), 0), COALESCE(sum(failed), 0),"
				  " COALESCE(sum(enterprises), 0),"
				  " COALESCE(sum(enterprises_failed), 0) FROM sc_cells WHERE grain = ?");
		zl_buf_adds(&sql, zl_buf_str(&where));
		if (sql.err) {
			rc = zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
			goto out;
		}
	}
	rc = run_query(db, zl_buf_str(&sql), &bv, g->id, 0, q, out, 1, err);
	/* Groups spanning several cells: count distinct enterprises over the cells'
	 * enterprise rows when they are few enough to read (their number is the sum
	 * of the cells' counts); else the sum stands, flagged. */
	if (rc == ZL_OK && out->total.c.enterprises <= ZL_SC_EXACT_READ_MAX)
		rc = exact_enterprises(db, q, g->id, zl_buf_str(&where), &bv,
				       !out->enterprises_exact, out, err);
	else if (rc == ZL_OK)
		out->enterprises_exact = 0; /* the total is a sum over cells */
out:
	zl_buf_release(&where);
	zl_buf_release(&sql);
	if (rc != ZL_OK)
		zl_sc_stats_result_release(out);
	return rc;
}

/* ---- output weights and the manufacturing rate ---------------------------------------------- */

int zl_store_sc_weights_put(struct zl_db *db, const struct zl_sc_output_weight *w,
			    const int *rows, size_t n, const char *user, const char *now,
			    size_t *years, struct zl_error *err)
{
	struct zl_stmt *st;
	size_t ny = 0;
	int own, rc;

	if (years != NULL)
		*years = 0;
	if ((rc = own_begin(db, &own, err)) != ZL_OK)
		return rc;
	/* Each year present once: clear it. */
	for (size_t i = 0; i < n && rc == ZL_OK; i++) {
		int seen = 0;
		for (size_t j = 0; j < i && !seen; j++)
			seen = w[j].year == w[i].year;
		if (seen)
			continue;
		ny++;
		rc = zl_db_prepare(db, "DELETE FROM output_weights WHERE year = ?", &st, err);
		if (rc == ZL_OK) {
			zl_stmt_bind_int64(st, 1, w[i].year);
			rc = zl_store_run(st, err);
		}
	}
	for (size_t i = 0; i < n && rc == ZL_OK; i++) {
		int64_t dup = 0;

		rc = zl_db_prepare(db,
				   "SELECT count(*) FROM output_weights WHERE year = ? AND region = ?"
				   " AND division = ?",
				   &st, err);
		if (rc != ZL_OK)
			break;
		zl_stmt_bind_int64(st, 1, w[i].year);
		zl_stmt_bind_text(st, 2, w[i].region, -1);
		zl_stmt_bind_text(st, 3, w[i].division, -1);
		rc = zl_stmt_step(st, err);
		if (rc == ZL_DB_ROW)
			dup = zl_stmt_column_int64(st, 0);
		zl_stmt_reset(st);
		if (rc < 0)
			break;
		if (dup > 0) {
			char field[32];
			snprintf(field, sizeof(field), "row %d", rows ? rows[i] : (int)i + 1);
			rc = zl_error_set(err, ZL_ECONFLICT, field,
					  "%d, %s, division %s given twice", w[i].year,
					  w[i].region, w[i].division);
			break;
		}
		rc = zl_db_prepare(db,
				   "INSERT INTO output_weights (year, region, division, output,"
				   " updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
				   &st, err);
		if (rc != ZL_OK)
			break;
		zl_stmt_bind_int64(st, 1, w[i].year);
		zl_stmt_bind_text(st, 2, w[i].region, -1);
		zl_stmt_bind_text(st, 3, w[i].division, -1);
		zl_stmt_bind_double(st, 4, w[i].output);
		zl_stmt_bind_text(st, 5, user, -1);
		zl_stmt_bind_text(st, 6, now, -1);
		rc = zl_store_run(st, err);
	}
	rc = own_end(db, own, rc, err);
	if (rc == ZL_OK && years != NULL)
		*years = ny;
	return rc;
}

void zl_sc_mfg_release(struct zl_sc_mfg *m)
{
	free(m->v);
	m->v = NULL;
	m->n = 0;
}

/* The cell of (region, division), appended when new; NULL when out of memory. */
static struct zl_sc_mfg_cell *mfg_cell(struct zl_sc_mfg *m, size_t *cap, const char *region,
				       const char *division)
{
	struct zl_sc_mfg_cell *c;

	for (size_t i = 0; i < m->n; i++)
		if (strcmp(m->v[i].region, region) == 0 && strcmp(m->v[i].division, division) == 0)
			return &m->v[i];
	if (m->n == *cap) {
		size_t nc = *cap ? *cap * 2 : 64;
		void *p = realloc(m->v, nc * sizeof(*m->v));
		if (p == NULL)
			return NULL;
		m->v = p;
		*cap = nc;
	}
	c = &m->v[m->n++];
	memset(c, 0, sizeof(*c));
	snprintf(c->region, sizeof(c->region), "%s", region);
	snprintf(c->division, sizeof(c->division), "%s", division);
	return c;
}

static int mfg_cmp(const void *a, const void *b)
{
	const struct zl_sc_mfg_cell *x = a, *y = b;
	int c = strcmp(x->region, y->region);

	return c ? c : strcmp(x->division, y->division);
}

/* Does city-level unit `city` lie in `region` (a province, a city-level unit, or "")? */
static int in_region(const char *city, const char *region)
{
	int k;

	if (region == NULL || region[0] == '\0')
		return 1;
	k = region_kind(region);
	if (k == 2)
		return strncmp(city, region, 2) == 0;
	return strcmp(city, region) == 0;
}

int zl_store_sc_manufacturing(struct zl_db *db, int year, const char *region,
			      struct zl_sc_mfg *out, struct zl_error *err)
{
	struct zl_stmt *st;
	char y[8];
	size_t cap = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	snprintf(y, sizeof(y), "%04d", year % 10000);
	/* Tested batches by city and division: the finest grain, joined to each product's
	 * first industry (the lowest ord). */
	rc = zl_db_prepare(
		db,
		"SELECT c.city, ci.industry, sum(c.batches), sum(c.failed) FROM sc_cells c"
		" JOIN catalogue_industries ci ON ci.code = c.product AND ci.ord ="
		" (SELECT min(ord) FROM catalogue_industries m WHERE m.code = c.product)"
		" WHERE c.grain = 5 AND substr(c.quarter, 1, 4) = ? AND c.city <> ''"
		" GROUP BY c.city, ci.industry ORDER BY 1, 2",
		&st, err);
	if (rc != ZL_OK)
		return rc;
	zl_stmt_bind_text(st, 1, y, -1);
	while ((rc = zl_stmt_step(st, err)) == ZL_DB_ROW) {
		char city[8], ind[16], div[3];
		struct zl_sc_mfg_cell *c;

		zl_store_col_text(st, 0, city, sizeof(city));
		zl_store_col_text(st, 1, ind, sizeof(ind));
		if (!zl_sc_manufacturing_division(ind, div) || !in_region(city, region))
			continue;
		if ((c = mfg_cell(out, &cap, city, div)) == NULL) {
			rc = zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
			break;
		}
		c->batches += zl_stmt_column_int64(st, 2);
		c->failed += zl_stmt_column_int64(st, 3);
	}
	zl_stmt_reset(st);
	if (rc < 0)
		goto fail;
	rc = zl_db_prepare(db,
			   "SELECT region, division, output FROM output_weights WHERE year = ?"
			   " ORDER BY 1, 2",
			   &st, err);
	if (rc != ZL_OK)
		goto fail;
	zl_stmt_bind_int64(st, 1, year);
	while ((rc = zl_stmt_step(st, err)) == ZL_DB_ROW) {
		char reg[8], div[4];
		struct zl_sc_mfg_cell *c;

		zl_store_col_text(st, 0, reg, sizeof(reg));
		zl_store_col_text(st, 1, div, sizeof(div));
		/* Weights of city-level units only (a province's own row is not a part). */
		if (region_kind(reg) == 2 || !in_region(reg, region))
			continue;
		if ((c = mfg_cell(out, &cap, reg, div)) == NULL) {
			rc = zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
			break;
		}
		c->has_weight = 1;
		c->output = zl_stmt_column_double(st, 2);
	}
	zl_stmt_reset(st);
	if (rc < 0)
		goto fail;
	if (out->n > 1)
		qsort(out->v, out->n, sizeof(*out->v), mfg_cmp);
	return ZL_OK;
fail:
	zl_sc_mfg_release(out);
	return rc;
}
