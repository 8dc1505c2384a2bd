/*
 * overview.c - GET /api/v1/overview: what the dashboard shows on the home
 * page: version, backend, schema version and the row counts of the main
 * tables (store/stats.c decides which tables count).
 */
#include "http/handlers.h"
#include "http/internal.h"
#include "store/migrate.h"
#include "store/stats.h"

#define MAX_COUNTS 64

int zl_h_overview(struct zl_req *req, struct zl_resp *resp, struct zl_error *err)
{
	struct zl_store_count counts[MAX_COUNTS];
	struct zl_db *db = zl_req_db(req, err);
	struct zl_jw w;
	size_t n = 0;
	int version = 0, rc;

	if (!db)
		return ZL_EUNAVAIL;
	rc = zl_store_schema_version(db, &version, err);
	if (rc)
		return rc;
	rc = zl_store_counts(db, counts, MAX_COUNTS, &n, err);
	if (rc)
		return rc;
	zl_resp_json(resp, 200, &w);
	zl_jw_obj_begin(&w);
	zl_jw_kstr(&w, "version", req->srv->version);
	zl_jw_kstr(&w, "backend", zl_db_backend(db));
	zl_jw_kint(&w, "schema_version", version);
	zl_jw_key(&w, "counts");
	zl_jw_obj_begin(&w);
	for (size_t i = 0; i < n; i++)
		zl_jw_kint(&w, counts[i].name, counts[i].count);
	zl_jw_obj_end(&w);
	zl_jw_obj_end(&w);
	return zl_jw_error(&w);
}
