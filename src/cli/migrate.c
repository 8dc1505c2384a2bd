/*
 * migrate.c - `zhiliang migrate`: bring the database schema up to date.
 * The server also migrates at start-up; this command lets an operator do
 * it (and see what was done) before a deployment.
 */
#include "cli/cli.h"
#include "cli/cli_audit.h"
#include "store/migrate.h"

int cmd_migrate(struct zl_ctx *ctx, int argc, char **argv);

int cmd_migrate(struct zl_ctx *ctx, int argc, char **argv)
{
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_db *db;
	int applied = 0, version = 0;

	(void)argv;
	if (argc > 1) {
		fprintf(stderr, "usage: zhiliang migrate [--db URL]\n");
		return ZL_EXIT_USAGE;
	}
	db = zl_cli_open_db(ctx, "migrate", 0);
	if (!db)
		return ZL_EXIT_FAIL;
	if (zl_store_migrate(db, &applied, &err) || zl_store_schema_version(db, &version, &err))
		goto fail;
	if (applied) {
		char detail[64];

		snprintf(detail, sizeof(detail), "%d migration(s); schema version %d", applied,
			 version);
		if (zl_db_begin(db, &err))
			goto fail;
		if (zl_cli_audit(db, "system.migrate", "database", NULL, NULL, detail, &err) ||
		    zl_db_commit(db, &err)) {
			zl_db_rollback(db);
			goto fail;
		}
	}
	printf("applied %d migration(s); schema version %d (%s)\n", applied, version,
	       zl_db_backend(db));
	return ZL_EXIT_OK;
fail:
	zl_cli_error("migrate", &err);
	return ZL_EXIT_FAIL;
}
