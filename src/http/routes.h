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
#define ZL_ROUTE(m, p, fn, perm, scope, tag, summary, resp, media) ZL_ROUTE_ID_##fn,
#include "http/routes.def"
#undef ZL_ROUTE
	ZL_ROUTE_COUNT
};

struct zl_route {
	enum zl_method method;
	const char *method_name; /* "GET" */
	const char *pattern;	 /* "/api/v1/orgs/{code}" */
	const char *handler;	 /* handler function name, used as operationId */
	const char *perm;
	const char *org_scope;
	const char *tag;
	const char *summary;
	const char *response;
	const char *media;
};

/* The table, ZL_ROUTE_COUNT entries in routes.def order. */
extern const struct zl_route zl_routes[];

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
