/*
 * stats.c - row counts per kind of thing held (stats.h).
 */
#include "store/stats.h"

static const struct {
	const char *name;
	const char *sql;
} kinds[] = {
	/* Regions in force (an entry that was replaced has a valid_to). */
	{"regions", "SELECT count(*) FROM regions WHERE valid_to IS NULL"},
	{"industries", "SELECT count(*) FROM industries"},
	/* Organizations in force (a renamed or moved one has one open row). */
	{"organizations", "SELECT count(*) FROM orgs WHERE valid_to IS NULL"},
	{"enterprises", "SELECT count(*) FROM enterprises"},
	{"credit_records", "SELECT count(*) FROM credit_events"},
};

#define N_KINDS (sizeof(kinds) / sizeof(kinds[0]))

size_t zl_store_count_kinds(void)
{
	return N_KINDS;
}

int zl_store_counts(struct zl_db *db, struct zl_store_count *out, size_t max, size_t *n,
		    struct zl_error *err)
{
	int rc = ZL_OK;

	*n = 0;
	for (size_t i = 0; i < N_KINDS; i++) {
		struct zl_stmt *st;
		if (i >= max)
			return zl_error_set(err, ZL_ETOOBIG, NULL,
					    "room for %zu counts, %zu needed", max, N_KINDS);
		rc = zl_db_prepare(db, kinds[i].sql, &st, err);
		if (rc != ZL_OK)
			return rc;
		rc = zl_stmt_step(st, err);
		if (rc == ZL_DB_ROW) {
			out[i].name = kinds[i].name;
			out[i].count = zl_stmt_column_int64(st, 0);
			*n = i + 1;
			rc = ZL_OK;
		} else if (rc == ZL_DB_DONE) {
			rc = zl_error_set(err, ZL_EDB, "db", "count of %s returned no row",
					  kinds[i].name);
		}
		zl_stmt_reset(st);
		if (rc != ZL_OK)
			return rc;
	}
	return ZL_OK;
}
