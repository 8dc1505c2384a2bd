/*
 * version.c - GET /api/v1/version: the program and API version, for the
 * web UI's footer and for clients that check compatibility.
 */
#include "http/handlers.h"
#include "http/internal.h"

int zl_h_version(struct zl_req *req, struct zl_resp *resp, struct zl_error *err)
{
	struct zl_jw w;

	(void)err;
	zl_resp_json(resp, 200, &w);
	zl_jw_obj_begin(&w);
	zl_jw_kstr(&w, "version", req->srv->version);
	zl_jw_kstr(&w, "api", "v1");
	zl_jw_obj_end(&w);
	return zl_jw_error(&w);
}
