/*
 * req.c - the request and response helpers handlers use, and the one
 * mapping from a struct zl_error to an HTTP status and JSON body.
 */
#include "http/http.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/log.h"

const char *zl_req_header(const struct zl_req *req, const char *name)
{
	if (!req->header_fn)
		return NULL;
	return req->header_fn(req->conn, name);
}

const char *zl_req_param(const struct zl_req *req, const char *name)
{
	for (size_t i = 0; i < req->nparams; i++)
		if (!strcmp(req->params[i].name, name))
			return req->params[i].value;
	return NULL;
}

/*
 * Sanitizer builds (the ASan server the API suite runs, the ASan unit
 * tests) abort on a read of an undeclared query parameter, so a handler
 * that forgot its params.def entry fails every test that reaches it.
 */
#if defined(__SANITIZE_ADDRESS__)
#define QUERY_STRICT 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define QUERY_STRICT 1
#endif
#endif
#ifndef QUERY_STRICT
#define QUERY_STRICT 0
#endif

/*
 * A request the server dispatched (req->srv set; hand-built requests in
 * unit tests have none) may only read the query parameters its route
 * declares in params.def: the server refused the request if it carried
 * any other, so such a read is a handler bug.  Logged, answered NULL
 * (absent), and fatal in sanitizer builds.
 */
const char *zl_req_query(const struct zl_req *req, const char *name)
{
	if (req->srv && !zl_route_query_declared(req->route, name)) {
		const char *handler = req->route >= 0 && req->route < ZL_ROUTE_COUNT
					      ? zl_routes[req->route].handler
					      : "(no route)";

		if (QUERY_STRICT) {
			fprintf(stderr,
				"zl_req_query: %s reads the undeclared query parameter \"%s\": "
				"declare it in src/http/params.def\n",
				handler, name ? name : "(null)");
			abort();
		}
		if (req->ctx)
			zl_log_msg(&req->ctx->log, ZL_LOG_ERROR,
				   "zl_req_query: %s reads the undeclared query parameter \"%s\" "
				   "rid=%s: declare it in src/http/params.def",
				   handler, name ? name : "(null)", req->rid);
		return NULL;
	}
	return zl_query_get(req->query, req->nquery, name);
}

struct zl_db *zl_req_db(struct zl_req *req, struct zl_error *err)
{
	if (req->db)
		return req->db;
	if (!req->ctx || !req->ctx->pool) {
		zl_error_set(err, ZL_EUNAVAIL, "db", "no database is open");
		return NULL;
	}
	req->db = zl_db_pool_get(req->ctx->pool, err);
	if (!req->db && err && err->code != ZL_EUNAVAIL)
		err->code = ZL_EUNAVAIL;
	return req->db;
}

void zl_resp_json(struct zl_resp *resp, int status, struct zl_jw *w)
{
	resp->status = status;
	resp->content_type = "application/json";
	zl_jw_init(w, &resp->body);
}

int zl_resp_header(struct zl_resp *resp, const char *name, const char *value)
{
	if (resp->nheaders >= ZL_RESP_MAX_HEADERS)
		return ZL_ETOOBIG;
	resp->headers[resp->nheaders].name = name;
	resp->headers[resp->nheaders].value = value;
	resp->nheaders++;
	return ZL_OK;
}

void zl_http_error(struct zl_resp *resp, const struct zl_error *e)
{
	struct zl_jw w;

	zl_buf_reset(&resp->body);
	resp->gzip = 0;
	resp->ext_data = NULL;
	zl_resp_json(resp, zl_err_http_status(e->code), &w);
	zl_error_write_json(e, &w, 0);
}
