/*
 * stats.c - `zhiliang stats rebuild | show`: the spot-check statistics'
 * rollups (store/scstats.h, docs/statistics.md).
 *
 * rebuild: recompute every rollup from the inspections in one transaction
 * (readers see the old figures until it commits), audited as one
 * "stats.rebuild" row committed with it; prints the facts counted, the
 * rollup rows (groups) written and the time.  A repair tool: every write
 * keeps the rollups current by itself.
 * show --by DIM[,DIM] [--year Y] [--from YYYYQn] [--to YYYYQn]
 *      [--region CODE] [--product CODE] [--json]: the grouped pass rates
 * as GET /api/v1/spotchecks/stats gives them, as a table or JSON lines.
 * Exit 0 on success, 1 on failure, 2 on a usage error.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "cli/cli_audit.h"
#include "ctx.h"
#include "store/scstats.h"

int cmd_stats(struct zl_ctx *ctx, int argc, char **argv);

#define USAGE                                                                                      \
	"usage: zhiliang stats rebuild\n"                                                          \
	"       zhiliang stats show --by DIM[,DIM] [--year Y] [--from YYYYQn] [--to YYYYQn]\n"     \
	"                           [--region CODE] [--product CODE] [--json]\n"                   \
	"  DIM: region county product size level place year quarter\n"

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int rebuild(struct zl_db *db)
{
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_sc_rebuild_info info = {0, 0};
	char detail[128];
	double t0 = now_s();

	if (zl_db_begin(db, &err) != ZL_OK)
		goto fail;
	if (zl_store_sc_rollup_rebuild_info(db, &info, &err) != ZL_OK)
		goto fail_tx;
	snprintf(detail, sizeof(detail), "{\"facts\":%lld,\"groups\":%lld}",
		 (long long)info.facts, (long long)info.cells);
	if (zl_cli_audit(db, "stats.rebuild", "sc_cells", NULL, NULL, detail, &err) != ZL_OK ||
	    zl_db_commit(db, &err) != ZL_OK)
		goto fail_tx;
	printf("rebuilt the statistics: %lld tested batches, %lld groups in %.2f s\n",
	       (long long)info.facts, (long long)info.cells, now_s() - t0);
	return ZL_EXIT_OK;
fail_tx:
	zl_db_rollback(db);
fail:
	zl_cli_error("stats", &err);
	return ZL_EXIT_FAIL;
}

static int usage(void)
{
	fputs(USAGE, stderr);
	return ZL_EXIT_USAGE;
}

static int copy_arg(char *out, size_t n, const char *v)
{
	if (strlen(v) >= n)
		return -1;
	memcpy(out, v, strlen(v) + 1);
	return 0;
}

static int show(struct zl_ctx *ctx, int argc, char **argv)
{
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_sc_stats_query q;
	struct zl_sc_stats_result res;
	struct zl_db *db;
	int json = 0, y, qq;

	memset(&q, 0, sizeof(q));
	q.min_batches = ctx->cfg.stats_min_batches;
	for (int i = 2; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(a, "--json")) {
			json = 1;
			continue;
		}
		if (v == NULL)
			return usage();
		i++;
		if (!strcmp(a, "--by")) {
			for (const char *p = v; *p != '\0';) {
				size_t n = strcspn(p, ",");
				if (q.nby == ZL_SC_BY_MAX || zl_sc_dim_parse(p, n, &q.by[q.nby]) != 0)
					return usage();
				q.nby++;
				p += n + (p[n] == ',');
			}
		} else if (!strcmp(a, "--year")) {
			char *end;
			q.year = (int)strtol(v, &end, 10);
			if (*end != '\0' || q.year < 1990 || q.year > 2100)
				return usage();
		} else if (!strcmp(a, "--from") || !strcmp(a, "--to")) {
			if (zl_sc_quarter_parse(v, &y, &qq) != 0)
				return usage();
			copy_arg(a[2] == 'f' ? q.from : q.to, 8, v);
		} else if (!strcmp(a, "--region")) {
			if (copy_arg(q.region, sizeof(q.region), v))
				return usage();
		} else if (!strcmp(a, "--product")) {
			if (copy_arg(q.product, sizeof(q.product), v))
				return usage();
		} else {
			return usage();
		}
	}
	if (q.nby == 0)
		return usage();
	if ((db = zl_cli_open_db(ctx, "stats", 1)) == NULL)
		return ZL_EXIT_FAIL;
	if (zl_db_begin_read(db, &err) != ZL_OK || zl_store_sc_stats(db, &q, &res, &err) != ZL_OK) {
		zl_db_rollback(db);
		zl_cli_error("stats", &err);
		return err.code == ZL_EINVAL ? ZL_EXIT_USAGE : ZL_EXIT_FAIL;
	}
	zl_db_commit(db, &err);
	if (!json) {
		for (int i = 0; i < q.nby; i++)
			printf("%-10s", zl_sc_dim_name(q.by[i]));
		printf("%10s %8s %9s %17s %8s%s\n", "batches", "failed", "pass", "95% CI", "firms",
		       "");
	}
	for (size_t g = 0; g <= res.n; g++) {
		const struct zl_sc_group *x = g < res.n ? &res.groups[g] : &res.total;

		if (json) {
			printf("{");
			if (g < res.n)
				for (int i = 0; i < q.nby; i++)
					printf("\"%s\":\"%s\",", zl_sc_dim_name(q.by[i]), x->key[i]);
			else
				printf("\"total\":true,");
			printf("\"batches\":%lld,\"failed\":%lld,\"pass_rate\":%.6f,\"ci_low\":%.6f,"
			       "\"ci_high\":%.6f,\"enterprises\":%lld,\"enterprises_failed\":%lld,"
			       "\"unreliable\":%s}\n",
			       (long long)x->c.batches, (long long)x->c.failed, x->r.pass_rate,
			       x->r.ci_low, x->r.ci_high, (long long)x->c.enterprises,
			       (long long)x->c.enterprises_failed, x->unreliable ? "true" : "false");
			continue;
		}
		for (int i = 0; i < q.nby; i++)
			printf("%-10s", g < res.n ? (x->key[i][0] ? x->key[i] : "-")
						 : (i == 0 ? "total" : ""));
		printf("%10lld %8lld %8.2f%% [%6.2f%%, %6.2f%%] %8lld%s\n", (long long)x->c.batches,
		       (long long)x->c.failed, 100 * x->r.pass_rate, 100 * x->r.ci_low,
		       100 * x->r.ci_high, (long long)x->c.enterprises,
		       x->unreliable ? "  unreliable" : "");
	}
	zl_sc_stats_result_release(&res);
	return ZL_EXIT_OK;
}

int cmd_stats(struct zl_ctx *ctx, int argc, char **argv)
{
	struct zl_db *db;

	if (argc == 2 && !strcmp(argv[1], "rebuild")) {
		db = zl_cli_open_db(ctx, "stats", 1);
		return db ? rebuild(db) : ZL_EXIT_FAIL;
	}
	if (argc >= 2 && !strcmp(argv[1], "show"))
		return show(ctx, argc, argv);
	return usage();
}
