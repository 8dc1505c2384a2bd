/*
 * internal.h - what the files of http/ share and nothing outside uses: the
 * server object, the metrics counters and the static-file server.
 * No libmicrohttpd types (server.c keeps those to itself).
 */
#ifndef ZL_HTTP_INTERNAL_H
#define ZL_HTTP_INTERNAL_H

#include <stdatomic.h>
#include <stdint.h>

#include "http/http.h"
#include "http/ratelimit.h"

/* ---- metrics (metrics.c) -------------------------------------------------
 * Lock-free: every counter is an atomic updated with relaxed ordering, in
 * arrays indexed by route slot, method and status slot, so recording a
 * request never takes a lock.  Route slots are the route ids, then one for
 * static files and one for requests that matched no route.
 */
#define ZL_MET_ROUTE_STATIC ZL_ROUTE_COUNT
#define ZL_MET_ROUTE_NONE (ZL_ROUTE_COUNT + 1)
#define ZL_MET_ROUTES (ZL_ROUTE_COUNT + 2)
#define ZL_MET_STATUSES 24
#define ZL_MET_BUCKETS 15

struct zl_http_metrics {
	_Atomic uint64_t requests[ZL_MET_ROUTES][ZL_M_COUNT][ZL_MET_STATUSES];
	_Atomic uint64_t buckets[ZL_MET_ROUTES][ZL_MET_BUCKETS + 1]; /* last: +Inf only */
	_Atomic uint64_t dur_count[ZL_MET_ROUTES];
	_Atomic uint64_t dur_sum_us[ZL_MET_ROUTES];
	_Atomic int64_t open_connections;
};

/* Count one finished request. `slot` is a route id or ZL_MET_ROUTE_*. */
void zl_metrics_observe(struct zl_http_metrics *m, int slot, enum zl_method method, int status,
			uint64_t usec);
/* Prometheus text format 0.0.4 of everything, appended to `out`. */
int zl_metrics_write(struct zl_http_metrics *m, struct zl_http_server *srv, struct zl_buf *out);

/* ---- static files (static.c) ------------------------------------------- */
struct zl_static;
/*
 * Prepare serving `web_root`.  A missing root is not an error: requests
 * then get a 503 page saying to run `make web`.  ZL_ENOMEM only.
 */
int zl_static_new(const char *web_root, struct zl_static **out, struct zl_error *err);
void zl_static_free(struct zl_static *st);
/* Answer a GET/HEAD for req->path from the web root (SPA fallback to index.html). */
int zl_static_serve(struct zl_static *st, struct zl_req *req, struct zl_resp *resp,
		    struct zl_error *err);

/* ---- the server object (server.c) --------------------------------------- */
struct MHD_Daemon;
struct zl_import_jobs;

struct zl_http_server {
	struct zl_ctx *ctx;
	const char *version;
	struct MHD_Daemon *daemon;
	unsigned port;
	struct zl_http_metrics *metrics;
	struct zl_static *statics;
	char *openapi; /* the OpenAPI document, rendered once at start */
	size_t openapi_len;
	/* The ORG_SCOPE of every route, parsed and checked once at start. */
	struct zl_org_scope scopes[ZL_ROUTE_COUNT];
	/* Rate limits (http/auth.c); NULL when switched off (per minute = 0). */
	struct zl_ratelimit *rl_anon;
	struct zl_ratelimit *rl_login;
	/* Background imports (http/import_jobs.h). */
	struct zl_import_jobs *imports;
};

#endif /* ZL_HTTP_INTERNAL_H */
