/*
 * routes.h - the route metadata generated from http/routes.def, and the
 * HTTP method set the router understands.
 *
 * The metadata has no handler pointers, so the router, the OpenAPI writer
 * and `zhiliang routes` (and the path fuzzer) link without the handlers.
 * The array is immutable and global, indexed by enum zl_route_id.
 */
#ifndef ZL_HTTP_ROUTES_H
#define ZL_HTTP_ROUTES_H

#include <stddef.h>

#include "core/buf.h"
#include "core/err.h"
#include "domain/authz.h"

/* Methods as bits, so a set of them (the Allow header) is one unsigned. */
enum zl_method {
	ZL_M_GET = 1 << 0,
	ZL_M_HEAD = 1 << 1,
	ZL_M_POST = 1 << 2,
	ZL_M_PUT = 1 << 3,
	ZL_M_PATCH = 1 << 4,
	ZL_M_DELETE = 1 << 5,
	ZL_M_OPTIONS = 1 << 6,
	ZL_M_OTHER = 1 << 7,
};
#define ZL_M_COUNT 8

/* Route identifiers: ZL_ROUTE_ID_<handler>, then ZL_ROUTE_COUNT. */
enum zl_route_id {
#define ZL_ROUTE(m, p, fn, perm, scope, tag, summary, resp, media, body) ZL_ROUTE_ID_##fn,
#include "http/routes.def"
#undef ZL_ROUTE
	ZL_ROUTE_COUNT
};

/*
 * Where a route's target organization comes from (the ORG_SCOPE column,
 * docs/permissions.md); http/auth.c resolves it to a materialised path.
 */
enum zl_scope_kind {
	ZL_SCOPE_NONE = 0, /* "none": not about one organization (lists filter by subtree) */
	ZL_SCOPE_SELF,	   /* "self": the caller's own account or session */
	ZL_SCOPE_PARAM,	   /* "param:NAME": path parameter NAME is an organization code */
	ZL_SCOPE_USER,	   /* "user:NAME": path parameter NAME is a username */
	ZL_SCOPE_TOKEN,	   /* "token:NAME": path parameter NAME is an API token id */
	ZL_SCOPE_BODY,	   /* "body:NAME": JSON body member NAME is an organization code */
	ZL_SCOPE_QUERY,	   /* "query:NAME": query parameter NAME (absent: the caller's org) */
	ZL_SCOPE_PROVINCE, /* "province": not about one organization, but held at provincial
			    * level only (zl_org_path_provincial: the province, a provincial
			    * department or its laboratory) */
};

struct zl_org_scope {
	enum zl_scope_kind kind;
	const char *name; /* the NAME part, pointing into the route's string; "" without one */
};

/* What a route's request body is (the BODY column of routes.def). */
enum zl_body_kind {
	ZL_BODY_JSON = 0, /* application/json, at most cfg.max_body, in memory (req->body) */
	ZL_BODY_UPLOAD,	  /* a table file, at most cfg.max_upload, in a temporary file */
	ZL_BODY_FILE,	  /* any file (an attachment) kept with its Content-Type: as UPLOAD,
			   * but the handler checks the type and its own size limit */
};

/* The media types an UPLOAD route accepts, NULL-terminated (OpenAPI, imports.c). */
extern const char *const zl_upload_media[];

struct zl_route {
	enum zl_method method;
	const char *method_name; /* "GET" */
	const char *pattern;	 /* "/api/v1/orgs/{code}" */
	const char *handler;	 /* handler function name, used as operationId */
	enum zl_perm perm;	 /* ZL_PERM_PUBLIC, ... (zl_perm_name() for "public") */
	const char *org_scope;	 /* the ORG_SCOPE string as written ("param:code") */
	const char *tag;
	const char *summary;
	const char *response;
	const char *media;
	enum zl_body_kind body; /* ZL_BODY_JSON, ZL_BODY_UPLOAD, ZL_BODY_FILE (both streamed) */
};

/* The table, ZL_ROUTE_COUNT entries in routes.def order. */
extern const struct zl_route zl_routes[];

/* ---- query parameters (http/params.def) ---------------------------------- */

/* The TYPE column of params.def. */
enum zl_query_type {
	ZL_QT_STRING = 0,
	ZL_QT_INTEGER, /* VALUES: "" or "MIN..MAX" */
	ZL_QT_BOOLEAN, /* 1, 0, true, false */
};

/* One declared query parameter of a route. */
struct zl_query_param {
	int route;		 /* enum zl_route_id */
	const char *handler;	 /* the HANDLER as written, checked against zl_routes[route] */
	const char *name;	 /* "region" */
	enum zl_query_type type; /* ZL_QT_STRING, ... */
	const char *values;	 /* "a|b|c" (STRING), "MIN..MAX" (INTEGER) or "" */
	const char *description;
	int list; /* one of the four parameters of a list route (ZL_LIST) */
};

/* Every declared parameter in params.def order (a route's list parameters at its ZL_LIST). */
extern const struct zl_query_param zl_query_params[];
extern const size_t zl_query_param_count;

/* Is `name` a declared query parameter of route `route`?  0 for a route id out of range. */
int zl_route_query_declared(int route, const char *name);
/* "string", "integer" or "boolean" (the OpenAPI schema type). */
const char *zl_query_type_name(enum zl_query_type t);
/* Is the route a list route (ZL_LIST in params.def: cursor paging, csv/xlsx exports)? */
int zl_route_is_list(int route);
/*
 * Check the parameter table (zl_routes_check runs it): each entry's handler
 * is its route's, names are [a-z0-9_]+ and unique per route, VALUES fits
 * TYPE, descriptions are not empty, and a "query:NAME" org scope names a
 * declared parameter.  ZL_EINVAL naming the route and problem in `err`.
 */
int zl_query_params_check(struct zl_error *err);

/*
 * Parse an ORG_SCOPE string into `out` (out->name points into `s`, which
 * must outlive it).  Returns ZL_OK or ZL_EINVAL naming the bad text.
 */
int zl_org_scope_parse(const char *s, struct zl_org_scope *out, struct zl_error *err);
/*
 * Check the whole table once (server start, unit test): every ORG_SCOPE
 * parses, and a param:/user:/token: scope names a {parameter} of its
 * pattern.  On success fills scopes[0..ZL_ROUTE_COUNT-1] (pointing into the
 * static table), and checks the query parameters (zl_query_params_check).
 * ZL_EINVAL with the route and problem in `err`.
 */
int zl_routes_check(struct zl_org_scope scopes[], struct zl_error *err);

/* ZL_M_* for a method token ("GET"); ZL_M_OTHER when unknown. */
enum zl_method zl_method_parse(const char *s);
/* Bit index 0..ZL_M_COUNT-1 of a single-method value (for metric arrays). */
unsigned zl_method_index(enum zl_method m);
/* Name of one method bit ("GET"; "OTHER"). */
const char *zl_method_name(enum zl_method m);
/*
 * Append the methods of `set` as an Allow header value ("GET, HEAD") to `out`.
 * Returns ZL_OK or the buffer's error.
 */
int zl_method_set_format(unsigned set, struct zl_buf *out);

/*
 * `zhiliang routes` output, appended to `out`: a Markdown document (the
 * content of docs/api.md) or a JSON array of the routes with all metadata.
 * Returns ZL_OK or the buffer's error (ZL_ENOMEM/ZL_ETOOBIG) in `err`.
 */
int zl_routes_markdown(struct zl_buf *out, struct zl_error *err);
int zl_routes_json(struct zl_buf *out, struct zl_error *err);

/*
 * The OpenAPI 3.1 document for the table, appended to `out`; `version` is
 * info.version.  Returns ZL_OK or ZL_ENOMEM/ZL_ETOOBIG in `err`.
 */
int zl_openapi_write(struct zl_buf *out, const char *version, struct zl_error *err);

#endif /* ZL_HTTP_ROUTES_H */
