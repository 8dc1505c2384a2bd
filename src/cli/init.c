/*
 * init.c - `zhiliang init [--demo]`: create (or upgrade) the database, load
 * the dated code tables (GB/T 2260 regions, GB/T 4754 industries), and with
 * --demo mark the instance as a demonstration so later modules add their
 * demo records.  Idempotent: running it again changes nothing but the
 * tables whose data the program has newer versions of.
 */
#include "cli/cli.h"
#include "store/codes.h"
#include "store/meta.h"
#include "store/migrate.h"
#include "store/stats.h"

int cmd_init(struct zl_ctx *ctx, int argc, char **argv);

int cmd_init(struct zl_ctx *ctx, int argc, char **argv)
{
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_store_count counts[32];
	struct zl_db *db;
	size_t n = 0;
	int demo = 0, version = 0;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--demo")) {
			demo = 1;
		} else {
			fprintf(stderr, "usage: zhiliang init [--demo] [--db URL]\n");
			return ZL_EXIT_USAGE;
		}
	}
	db = zl_cli_open_db(ctx, "init", 1);
	if (!db)
		return ZL_EXIT_FAIL;
	if (zl_store_load_codes(db, &err))
		goto fail;
	if (demo && zl_store_meta_set(db, "demo", "1", &err))
		goto fail;
	if (zl_store_schema_version(db, &version, &err) ||
	    zl_store_counts(db, counts, sizeof(counts) / sizeof(counts[0]), &n, &err))
		goto fail;
	printf("database ready: %s (%s, schema version %d%s)\n", ctx->cfg.db, zl_db_backend(db),
	       version, demo ? ", demo" : "");
	for (size_t i = 0; i < n; i++)
		printf("  %-12s %lld\n", counts[i].name, (long long)counts[i].count);
	return ZL_EXIT_OK;
fail:
	zl_cli_error("init", &err);
	return ZL_EXIT_FAIL;
}
