/*
 * index.c - `zhiliang index rebuild | stats [--json]`: the name index of
 * the enterprise register (store/enterprise_index.h, docs/enterprises.md).
 *
 * rebuild: write the index afresh from every current and former name, in
 * one transaction (searches keep reading the old index until it commits),
 * audited as one "enterprise.index_rebuild" row committed with it.  A
 * repair tool: the register keeps its index current by itself.  On a
 * terminal, stderr shows what is being done and the time it took.
 * stats: the blob rows (distinct grams) and the delta rows waiting to be
 * folded in, as text or as one JSON object.
 * Exit 0 on success, 1 on failure, 2 on a usage error.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/cli_audit.h"
#include "store/enterprise_index.h"

int cmd_index(struct zl_ctx *ctx, int argc, char **argv);

#define USAGE "usage: zhiliang index rebuild | stats [--json]\n"

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* "\r  writing grams: 41% (1,234,567 of 3,000,000)" on a terminal. */
static void on_progress(void *cls, uint64_t done, uint64_t total)
{
	(void)cls;
	fprintf(stderr, "\r  writing grams: %3d%% (%llu of %llu)   ",
		total ? (int)(done * 100 / total) : 100, (unsigned long long)done,
		(unsigned long long)total);
	fflush(stderr);
}

static int rebuild(struct zl_db *db)
{
	struct zl_error err = ZL_ERROR_INIT;
	int64_t grams0 = 0, delta0 = 0, grams = 0, delta = 0;
	int tty = isatty(STDERR_FILENO);
	char detail[160];
	double t0 = now_s();

	if (zl_db_begin(db, &err) != ZL_OK)
		goto fail;
	if (zl_store_index_stats(db, &grams0, &delta0, &err) != ZL_OK)
		goto fail_tx;
	if (tty)
		fprintf(stderr, "rebuilding the name index (%lld grams, %lld delta rows)\n",
			(long long)grams0, (long long)delta0);
	if (zl_store_index_rebuild_progress(db, tty ? on_progress : NULL, NULL, &err) != ZL_OK ||
	    zl_store_index_stats(db, &grams, &delta, &err) != ZL_OK)
		goto fail_tx;
	snprintf(detail, sizeof(detail),
		 "{\"grams_before\":%lld,\"delta_before\":%lld,\"grams\":%lld}", (long long)grams0,
		 (long long)delta0, (long long)grams);
	if (zl_cli_audit(db, "enterprise.index_rebuild", "enterprise_index", NULL, NULL, detail,
			 &err) != ZL_OK ||
	    zl_db_commit(db, &err) != ZL_OK)
		goto fail_tx;
	if (tty)
		fputc('\n', stderr);
	printf("rebuilt the name index: %lld grams, %lld delta rows in %.1f s\n", (long long)grams,
	       (long long)delta, now_s() - t0);
	return ZL_EXIT_OK;
fail_tx:
	zl_db_rollback(db);
	if (tty)
		fputc('\n', stderr);
fail:
	zl_cli_error("index", &err);
	return ZL_EXIT_FAIL;
}

static int stats(struct zl_db *db, int json)
{
	struct zl_error err = ZL_ERROR_INIT;
	int64_t grams = 0, delta = 0;

	if (zl_store_index_stats(db, &grams, &delta, &err) != ZL_OK) {
		zl_cli_error("index", &err);
		return ZL_EXIT_FAIL;
	}
	if (json)
		printf("{\"grams\":%lld,\"delta\":%lld}\n", (long long)grams, (long long)delta);
	else
		printf("grams %lld\ndelta %lld\n", (long long)grams, (long long)delta);
	return ZL_EXIT_OK;
}

int cmd_index(struct zl_ctx *ctx, int argc, char **argv)
{
	struct zl_db *db;
	int json = 0;

	if (argc == 2 && !strcmp(argv[1], "rebuild")) {
		db = zl_cli_open_db(ctx, "index", 1);
		return db ? rebuild(db) : ZL_EXIT_FAIL;
	}
	if ((argc == 2 || argc == 3) && !strcmp(argv[1], "stats")) {
		if (argc == 3) {
			if (strcmp(argv[2], "--json")) {
				fputs(USAGE, stderr);
				return ZL_EXIT_USAGE;
			}
			json = 1;
		}
		db = zl_cli_open_db(ctx, "index", 1);
		return db ? stats(db, json) : ZL_EXIT_FAIL;
	}
	fputs(USAGE, stderr);
	return ZL_EXIT_USAGE;
}
