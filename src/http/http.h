/*
 * http.h - the HTTP server and what a handler sees: a request and a response
 * object, never a socket and never a libmicrohttpd type.
 *
 * Model (Redis addReply, h2o on_req): server.c reads a request, routes it
 * (http/routes.def), builds a struct zl_req, and calls the route's handler
 * with an empty struct zl_resp.  The handler writes a status, a content type
 * and a body into the response buffer (or names an open file for static
 * files) and returns; server.c then adds the security headers, sends, logs
 * one JSON line and counts the request in /metrics.  A handler that returns
 * an error leaves its response to the server, which renders the error with
 * zl_http_error() (the one error-to-HTTP mapping).
 *
 * Lifetimes: everything in a request (strings, the arena, the body) lives
 * until the response has been sent; handlers allocate from req->arena.
 * Handlers run on one of the server's worker threads; several run at once.
 */
#ifndef ZL_HTTP_HTTP_H
#define ZL_HTTP_HTTP_H

#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/jw.h"
#include "ctx.h"
#include "domain/authz.h"
#include "http/path.h"

struct zl_http_server;

/* Size limits of one request. */
#define ZL_REQ_MAX_QUERY 64	     /* query parameters */
#define ZL_REQ_MAX_PATH 2048	     /* canonical path bytes */
#define ZL_RESP_MAX_HEADERS 8	     /* extra headers a handler may add */
#define ZL_RESP_MAX_BODY (64u << 20) /* response buffer cap */

struct zl_kv {
	const char *name;
	const char *value;
};

struct zl_req {
	enum zl_method method;	   /* ZL_M_GET, ...; HEAD routes to GET handlers */
	const char *method_name;   /* as sent ("GET") */
	const char *path;	   /* canonical, percent-decoded, NUL-terminated */
	int route;		   /* enum zl_route_id, or -1 (static files, errors) */
	const char *route_pattern; /* "" when no route matched */
	struct zl_kv params[ZL_ROUTE_MAX_PARAMS]; /* path parameters, NUL-terminated copies */
	size_t nparams;
	struct zl_query_kv query[ZL_REQ_MAX_QUERY];
	size_t nquery;
	const char *body; /* request body (NUL-terminated for convenience), "" when none */
	size_t body_len;
	/* UPLOAD routes (routes.def BODY column): the body is not in `body` but
	 * in this temporary file, which the server deletes after the response;
	 * NULL when no body was sent.  upload_len is its size in bytes. */
	const char *upload_path;
	uint64_t upload_len;
	struct zl_arena *arena; /* per-request memory, reset after the response */
	char rid[33];		/* request id: 32 hex digits, also sent as X-Request-Id */
	struct zl_ctx *ctx;
	struct zl_http_server *srv;
	/* The caller, resolved by http/auth.c before the handler runs
	 * (anonymous when no valid session cookie or API token was sent). */
	struct zl_principal principal;
	char peer[64]; /* client address, for rate limits, lock-out and audit */
	/* private to server.c: */
	struct zl_db *db;
	void *conn;
	const char *(*header_fn)(void *conn, const char *name);
};

struct zl_resp {
	int status;		  /* 200 unless set */
	const char *content_type; /* static or arena string; NULL: no Content-Type */
	struct zl_buf body;	  /* the body, unless fd >= 0 or ext_data is set */
	struct zl_kv headers[ZL_RESP_MAX_HEADERS]; /* static or arena strings */
	size_t nheaders;
	/* Static files: an open file the server sends and closes (owned once set). */
	int fd;
	uint64_t fd_size;
	/* A body owned elsewhere (a cache entry): released with ext_free(ext_cls). */
	const void *ext_data;
	size_t ext_len;
	void (*ext_free)(void *cls);
	void *ext_cls;
	int gzip; /* the body is gzip-encoded: send Content-Encoding: gzip */
};

/*
 * A request handler.  Returns ZL_OK with `resp` filled, or an error code
 * with `err` filled, in which case the server discards the response and
 * answers with the error (zl_http_error).
 */
typedef int zl_handler_fn(struct zl_req *req, struct zl_resp *resp, struct zl_error *err);

/* Request header value (case-insensitive name), or NULL. */
const char *zl_req_header(const struct zl_req *req, const char *name);
/* Path parameter by name ("code" for "{code}"), or NULL. */
const char *zl_req_param(const struct zl_req *req, const char *name);
/*
 * First query parameter value by name (decoded), or NULL.  `name` must be
 * declared for the route in http/params.def: for an undeclared name the
 * answer is NULL and an error is logged (sanitizer builds abort).
 */
const char *zl_req_query(const struct zl_req *req, const char *name);
/*
 * The database connection of this worker thread, opened on first use
 * (zl_db_pool_get); NULL with `err` set to ZL_EUNAVAIL when no database is
 * configured or it cannot be opened.  Owned by the pool.
 */
struct zl_db *zl_req_db(struct zl_req *req, struct zl_error *err);

/* Set status and Content-Type: application/json; returns a writer on resp->body. */
void zl_resp_json(struct zl_resp *resp, int status, struct zl_jw *w);
/*
 * Add a response header.  `name` and `value` must outlive the response
 * (static strings or req->arena).  ZL_ETOOBIG past ZL_RESP_MAX_HEADERS.
 */
int zl_resp_header(struct zl_resp *resp, const char *name, const char *value);
/*
 * The one mapping from an error to HTTP: empties the body, sets the status
 * from zl_err_http_status(e->code) and writes {"error":{...}} as JSON.
 */
void zl_http_error(struct zl_resp *resp, const struct zl_error *e);

/* ---- the server --------------------------------------------------------- */

/*
 * Start serving ctx->cfg.addr with a thread pool of ctx->cfg.threads (0:
 * one per core), ctx->cfg.max_body (max_upload for UPLOAD routes),
 * ctx->cfg.conn_timeout and static files
 * from ctx->cfg.web_root.  `version` (e.g. zl_version()) is reported by
 * /api/v1/version, /metrics and the OpenAPI document; it must outlive the
 * server.  ctx->pool may be NULL (then /healthz answers 503).  The caller
 * should block SIGPIPE and its own shutdown signals first: the worker
 * threads inherit the signal mask.  Returns ZL_OK and *out, or ZL_EINVAL
 * (bad addr), ZL_EIO (cannot listen; message says why), ZL_ENOMEM.
 */
int zl_http_start(struct zl_ctx *ctx, const char *version, struct zl_http_server **out,
		  struct zl_error *err);
/* The port actually bound (useful with addr "127.0.0.1:0"). */
unsigned zl_http_port(const struct zl_http_server *srv);
/* Stop accepting, finish the workers, free everything.  NULL is a no-op. */
void zl_http_stop(struct zl_http_server *srv);

#endif /* ZL_HTTP_HTTP_H */
