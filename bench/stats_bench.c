/*
 * stats_bench.c - the grouped statistics query at provincial scale (issue 7
 * figure: pass rate by city x quarter over 20,000,000 inspections; goal:
 * within 2 times a hand-written C loop over in-memory columns, and at least
 * 50 times faster than the same GROUP BY in plain SQLite over the raw
 * table).
 *
 * Usage: stats_bench [N]   (default 20000000)
 * Generates N synthetic tested inspections straight into the inspections
 * table of a scratch SQLite file under /tmp (one set-based INSERT from a
 * recursive counter, deterministic: 18 city-level units x 10 counties,
 * 1,000 enterprises per county, 40 products, sampling dates over 2010-2014,
 * about 9% failed), rebuilds the rollups (zl_store_sc_rollup_rebuild), then
 * times, median of 11 each:
 *   (a) the GROUP BY city, quarter in plain SQL over the raw table;
 *   (b) a C loop over three in-memory byte columns (city index, quarter
 *       index, failed flag), loaded beforehand, counting into a 18 x 20
 *       table and computing the rates with their Wilson intervals;
 *   (c) zl_store_sc_stats(by region, quarter) - groups and total with
 *       rates and intervals, as the API calls it.
 * Prints stats_rows, stats_load_s, stats_rebuild_s, stats_raw_ms,
 * stats_cloop_ms, stats_rollup_ms, stats_rollup_vs_cloop and
 * stats_raw_vs_rollup.  ZL_STATS_BENCH_DB=PATH keeps the database there
 * (a later run with the same N reuses it: no load, no rebuild).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"
#include "db/db.h"
#include "domain/scstats.h"
#include "store/migrate.h"
#include "store/scstats.h"

#define RUNS 11
#define NCITY 18
#define NQ 20

/* clang-format off */
/* h(x, salt): a cheap deterministic mix of the row number (Knuth's multiplicative hash). */
#define H(S) "((x * 2654435761 + " S ") % 4294967296)"
#define GEN_SQL \
	"INSERT INTO inspections (plan_id, product, uscc, enterprise_name, county, region, gov," \
	" created_by, created_at, updated_by, updated_at, state, outcome, conclusion, nitems," \
	" sampled_on, report_on, size_class, level, place)" \
	" WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < ?)," \
	" r AS (SELECT x, CASE x % 18 WHEN 17 THEN '419001'" \
	"   ELSE CAST(410100 + 100 * (x % 18) AS TEXT) END AS city," \
	"  " H("7") " / 7 % 10 AS cty, " H("11") " / 11 % 1000 AS ent," \
	"  " H("13") " / 13 % 100 AS f, " H("17") " / 17 % 5 AS yr," \
	"  " H("19") " / 19 % 12 AS mo, " H("23") " / 23 % 40 AS pr FROM c)" \
	" SELECT 1, printf('%02d%02d', 1 + pr / 4, 1 + pr % 4)," \
	"  city || '-' || cty || '-' || ent, 'E', " \
	"  CASE WHEN city = '419001' THEN city ELSE substr(city, 1, 4) || printf('%02d', 1 + cty) END," \
	"  city, city, 'bench', '2015-01-01T00:00:00Z', 'bench', '2015-01-01T00:00:00Z'," \
	"  CASE WHEN f < 9 THEN 'failed' ELSE 'closed' END," \
	"  CASE WHEN f < 9 THEN '' ELSE 'passed' END," \
	"  CASE WHEN f < 9 THEN 'fail' ELSE 'pass' END, 3," \
	"  printf('%04d-%02d-15', 2010 + yr, 1 + mo), printf('%04d-%02d-25', 2010 + yr, 1 + mo)," \
	"  CASE ent % 3 WHEN 0 THEN 'large' WHEN 1 THEN 'medium' ELSE 'small' END," \
	"  CASE ent % 4 WHEN 0 THEN 'national' WHEN 1 THEN 'province' WHEN 2 THEN 'city'" \
	"   ELSE 'county' END," \
	"  CASE pr % 3 WHEN 0 THEN 'production' WHEN 1 THEN 'circulation' ELSE 'ecommerce' END" \
	" FROM r"
/* (a): what a plain SQL report would run over the raw rows. */
#define RAW_SQL \
	"SELECT CASE WHEN substr(county, 3, 2) = '90' THEN county" \
	"  ELSE substr(county, 1, 4) || '00' END AS city," \
	" substr(sampled_on, 1, 4) || 'Q' || ((CAST(substr(sampled_on, 6, 2) AS INTEGER) + 2) / 3) AS q," \
	" count(*), sum(conclusion = 'fail') FROM inspections" \
	" WHERE conclusion IN ('pass', 'fail') GROUP BY 1, 2"
/* (b): the columns loaded for the loop. */
#define COLS_SQL \
	"SELECT county, CAST(substr(sampled_on, 1, 4) AS INTEGER)," \
	" CAST(substr(sampled_on, 6, 2) AS INTEGER), conclusion = 'fail' FROM inspections"
/* clang-format on */

static void die_err(const char *what, const struct zl_error *err)
{
	fprintf(stderr, "stats_bench: %s: %s %s\n", what, err->field, err->message);
	exit(1);
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	return v[n / 2];
}

static int city_index(const char *county)
{
	if (strncmp(county, "4190", 4) == 0)
		return 17;
	return ((county[2] - '0') * 10 + (county[3] - '0')) - 1;
}

int main(int argc, char **argv)
{
	int64_t n = argc > 1 ? strtoll(argv[1], NULL, 10) : 20000000;
	const char *keep = getenv("ZL_STATS_BENCH_DB");
	char path[256], url[300];
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_db_options opt = {0};
	struct zl_db *db;
	struct zl_stmt *st;
	double t0, load_s = 0, rebuild_s = 0, ta[RUNS], tb[RUNS], tc[RUNS];
	unsigned char *ccity, *cq, *cf;
	int64_t have = 0, raw_groups = 0, rows = 0;
	size_t groups = 0;
	int rc;

	if (n <= 0)
		return 2;
	if (keep != NULL && *keep != '\0')
		snprintf(path, sizeof(path), "%s", keep);
	else
		snprintf(path, sizeof(path), "/tmp/zl-stats-bench-%d.db", (int)getpid());
	snprintf(url, sizeof(url), "sqlite:%s", path);
	opt.cache_mb = 1024;
	if (zl_db_open(url, &opt, &db, &err) != ZL_OK)
		die_err("open", &err);
	if (zl_store_migrate(db, NULL, &err) != ZL_OK)
		die_err("migrate", &err);
	{
		struct zl_stmt *c;
		if (zl_db_prepare(db, "SELECT count(*) FROM inspections", &c, &err) != ZL_OK ||
		    zl_stmt_step(c, &err) != ZL_DB_ROW)
			die_err("count", &err);
		have = zl_stmt_column_int64(c, 0);
		zl_stmt_reset(c);
	}
	if (have != n) {
		/* No plan row: the bench's rows need none but the key (foreign keys off). */
		if (zl_db_exec(db, "PRAGMA foreign_keys = OFF", &err) != ZL_OK ||
		    zl_db_exec(db, "DELETE FROM inspections", &err) != ZL_OK)
			die_err("reset", &err);
		t0 = now_ms();
		if (zl_db_begin(db, &err) != ZL_OK ||
		    zl_db_prepare(db, GEN_SQL, &st, &err) != ZL_OK)
			die_err("generate", &err);
		zl_stmt_bind_int64(st, 1, n);
		if (zl_stmt_step(st, &err) < 0)
			die_err("generate", &err);
		zl_stmt_reset(st);
		if (zl_db_commit(db, &err) != ZL_OK)
			die_err("commit", &err);
		load_s = (now_ms() - t0) / 1e3;
		fprintf(stderr, "stats_bench: %" PRId64 " rows in %.1f s; rebuilding\n", n, load_s);
		t0 = now_ms();
		if (zl_store_sc_rollup_rebuild(db, &err) != ZL_OK)
			die_err("rebuild", &err);
		rebuild_s = (now_ms() - t0) / 1e3;
	}

	/* (a) the raw GROUP BY. */
	for (int r = 0; r < RUNS; r++) {
		t0 = now_ms();
		if (zl_db_prepare(db, RAW_SQL, &st, &err) != ZL_OK)
			die_err("raw", &err);
		raw_groups = 0;
		while ((rc = zl_stmt_step(st, &err)) == ZL_DB_ROW)
			raw_groups++;
		zl_stmt_reset(st);
		if (rc < 0)
			die_err("raw", &err);
		ta[r] = now_ms() - t0;
		if (r == 2 && ta[0] > 20000) { /* each takes long: 3 runs are enough */
			for (int k = 3; k < RUNS; k++)
				ta[k] = ta[k % 3];
			break;
		}
	}

	/* (b) the C loop over columns in memory (loading not timed). */
	ccity = malloc((size_t)n);
	cq = malloc((size_t)n);
	cf = malloc((size_t)n);
	if (!ccity || !cq || !cf)
		return 1;
	if (zl_db_prepare(db, COLS_SQL, &st, &err) != ZL_OK)
		die_err("columns", &err);
	while (rows < n && (rc = zl_stmt_step(st, &err)) == ZL_DB_ROW) {
		ccity[rows] = (unsigned char)city_index(zl_stmt_column_text(st, 0));
		cq[rows] = (unsigned char)((zl_stmt_column_int64(st, 1) - 2010) * 4 +
					   (zl_stmt_column_int64(st, 2) - 1) / 3);
		cf[rows] = (unsigned char)zl_stmt_column_int64(st, 3);
		rows++;
	}
	zl_stmt_reset(st);
	for (int r = 0; r < RUNS; r++) {
		static int64_t cnt[NCITY * NQ], fl[NCITY * NQ];
		static double lo[NCITY * NQ], hi[NCITY * NQ], pr[NCITY * NQ];

		t0 = now_ms();
		memset(cnt, 0, sizeof(cnt));
		memset(fl, 0, sizeof(fl));
		for (int64_t i = 0; i < rows; i++) {
			unsigned c = (unsigned)ccity[i] * NQ + cq[i];
			cnt[c]++;
			fl[c] += cf[i];
		}
		for (int c = 0; c < NCITY * NQ; c++)
			if (cnt[c] > 0) {
				pr[c] = (double)(cnt[c] - fl[c]) / (double)cnt[c];
				zl_sc_wilson(cnt[c] - fl[c], cnt[c], ZL_SC_Z95, &lo[c], &hi[c]);
			}
		tb[r] = now_ms() - t0;
		if (pr[0] < 0 || lo[0] > hi[0]) /* keep the results alive */
			return 1;
	}

	/* (c) ours. */
	for (int r = 0; r < RUNS; r++) {
		struct zl_sc_stats_query q;
		struct zl_sc_stats_result res;

		memset(&q, 0, sizeof(q));
		q.by[0] = ZL_SC_DIM_REGION;
		q.by[1] = ZL_SC_DIM_QUARTER;
		q.nby = 2;
		q.min_batches = 30;
		t0 = now_ms();
		if (zl_db_begin_read(db, &err) != ZL_OK ||
		    zl_store_sc_stats(db, &q, &res, &err) != ZL_OK)
			die_err("stats", &err);
		zl_db_commit(db, &err);
		tc[r] = now_ms() - t0;
		groups = res.n;
		if (res.total.c.batches != n)
			fprintf(stderr, "stats_bench: total %" PRId64 " != %" PRId64 "\n",
				res.total.c.batches, n);
		zl_sc_stats_result_release(&res);
	}
	{
		double a = median(ta, RUNS), b = median(tb, RUNS), c = median(tc, RUNS);

		printf("stats_rows %" PRId64 "\n", n);
		printf("stats_groups %zu (raw %" PRId64 ")\n", groups, raw_groups);
		if (load_s > 0)
			printf("stats_load_s %.1f\nstats_rebuild_s %.1f\n", load_s, rebuild_s);
		printf("stats_raw_ms %.1f\nstats_cloop_ms %.2f\nstats_rollup_ms %.3f\n", a, b, c);
		printf("stats_rollup_vs_cloop %.3f (goal <= 2)\n", c / b);
		printf("stats_raw_vs_rollup %.0f (goal >= 50)\n", a / c);
	}
	free(ccity);
	free(cq);
	free(cf);
	zl_db_close(db);
	if (keep == NULL || *keep == '\0') {
		char side[300];
		unlink(path);
		snprintf(side, sizeof(side), "%s-wal", path);
		unlink(side);
		snprintf(side, sizeof(side), "%s-shm", path);
		unlink(side);
	}
	return 0;
}
