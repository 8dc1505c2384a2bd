/*
 * health.c - the database health check (health.h).
 *
 * One statement answers both questions a health check asks, "does the
 * connection work" and "is the schema at the version this program needs",
 * because load balancers poll it many times a second.
 */
#include "store/health.h"
#include "store/migrate.h"

int zl_store_health(struct zl_db *db, struct zl_error *err)
{
	struct zl_stmt *st;
	int rc, version = 0, need = zl_store_schema_latest();

	rc = zl_db_prepare(db, "SELECT MAX(version) FROM schema_migrations", &st, err);
	if (rc == ZL_OK) {
		rc = zl_stmt_step(st, err);
		if (rc == ZL_DB_ROW && !zl_stmt_column_is_null(st, 0))
			version = (int)zl_stmt_column_int64(st, 0);
		zl_stmt_reset(st);
	}
	if (rc < 0) {
		/*
		 * The slow path, only on failure: tell "no schema yet" (the table
		 * is missing: version 0) from "cannot use the database at all".
		 */
		zl_error_clear(err);
		if (zl_store_schema_version(db, &version, err) != ZL_OK)
			goto fail;
	}
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
