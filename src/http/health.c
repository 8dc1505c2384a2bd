/*
 * health.c - GET /healthz: is the service up and can it use its database?
 * Answers 200 {"status":"ok","db":"sqlite","schema_version":N}, or 503 with
 * the error body when the database check fails (load balancers and the
 * test scripts poll this).
 */
#include "http/handlers.h"
#include "store/health.h"
#include "store/migrate.h"

int zl_h_healthz(struct zl_req *req, struct zl_resp *resp, struct zl_error *err)
{
	struct zl_db *db = zl_req_db(req, err);
	struct zl_jw w;

	if (!db)
		return ZL_EUNAVAIL;
	if (zl_store_health(db, err)) {
		/*
		 * Whatever failed, the answer to "are you healthy" is "unavailable";
		 * server.c logs the detail with the request id.
		 */
		err->code = ZL_EUNAVAIL;
		return ZL_EUNAVAIL;
	}
	zl_resp_json(resp, 200, &w);
	zl_jw_obj_begin(&w);
	zl_jw_kstr(&w, "status", "ok");
	zl_jw_kstr(&w, "db", zl_db_backend(db));
	/* zl_store_health() succeeds only when the schema is exactly at the latest version. */
	zl_jw_kint(&w, "schema_version", zl_store_schema_latest());
	zl_jw_obj_end(&w);
	return zl_jw_error(&w);
}
