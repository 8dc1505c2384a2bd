/*
 * health.c - the database health check (health.h).
 */
#include "store/health.h"
#include "store/migrate.h"

int zl_store_health(struct zl_db *db, struct zl_error *err)
{
	struct zl_stmt *st;
	int rc, version, need = zl_store_schema_latest();

	rc = zl_db_prepare(db, "SELECT 1", &st, err);
	if (rc != ZL_OK)
		goto fail;
	rc = zl_stmt_step(st, err);
	if (rc == ZL_DB_ROW && zl_stmt_column_int64(st, 0) != 1)
		rc = zl_error_set(err, ZL_EDB, "db", "SELECT 1 did not return 1");
	zl_stmt_reset(st);
	if (rc < 0)
		goto fail;
	rc = zl_store_schema_version(db, &version, err);
	if (rc != ZL_OK)
		goto fail;
	if (version > need)
		return zl_error_set(err, ZL_EUNAVAIL, "db",
				    "schema at version %d is newer than this program (%d);"
				    " upgrade zhiliang",
				    version, need);
	if (version < need)
		return zl_error_set(err, ZL_EUNAVAIL, "db",
				    "schema at version %d, program needs %d; run zhiliang migrate",
				    version, need);
	return ZL_OK;
fail:
	/* Whatever the driver said, to a caller this database is unavailable. */
	if (err != NULL)
		err->code = ZL_EUNAVAIL;
	return ZL_EUNAVAIL;
}
