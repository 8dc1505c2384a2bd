/*
 * path.h - the pure parts of request parsing: path canonicalisation, the
 * route matcher and the query-string parser.
 *
 * No libmicrohttpd types and no allocation: everything works on caller
 * buffers, so the functions are unit-tested and fuzzed directly
 * (tests/fuzz/fuzz_http_path.c).
 */
#ifndef ZL_HTTP_PATH_H
#define ZL_HTTP_PATH_H

#include <stddef.h>

#include "http/routes.h"

/* Path parameters one route may have. */
#define ZL_ROUTE_MAX_PARAMS 8

/*
 * Canonicalise the path part of a request target (`raw`, `n` bytes, no
 * query string) into `out` (`cap` bytes, NUL-terminated, length in *outlen).
 * The path must start with '/'; %XX escapes are decoded exactly once;
 * repeated slashes collapse into one.  Rejected with ZL_EINVAL: a bad
 * escape, a decoded NUL or other control byte, a backslash, and any "." or
 * ".." segment (also when it was written %2e%2e), so the result can never
 * climb out of a directory it is appended to.  ZL_ETOOBIG when it does not
 * fit in `cap`.  `err` (may be NULL) gets field "path".
 */
int zl_path_canon(const char *raw, size_t n, char *out, size_t cap, size_t *outlen,
		  struct zl_error *err);

struct zl_param {
	const char *name; /* points into the route pattern, not NUL-terminated */
	size_t name_len;
	const char *value; /* points into the matched path, not NUL-terminated */
	size_t value_len;
};

struct zl_route_match {
	int route;	/* enum zl_route_id, or -1 */
	unsigned allow; /* when the path matched but the method did not: the allowed set */
	size_t nparams;
	struct zl_param params[ZL_ROUTE_MAX_PARAMS];
};

/*
 * Find the route for `method` and canonical `path`.  A GET route also
 * matches HEAD.  Returns ZL_OK with m->route set; ZL_EMETHOD when some route
 * has this path but not this method (m->allow holds the allowed methods);
 * ZL_ENOTFOUND when no route has this path.
 */
int zl_route_match(enum zl_method method, const char *path, struct zl_route_match *m);

/*
 * Does `path` match `pattern` ("/a/{x}/b")?  Fills params (may be NULL).
 * Returns 1 or 0.  Exposed for tests.
 */
int zl_pattern_match(const char *pattern, const char *path, struct zl_param *params, size_t max,
		     size_t *nparams);

struct zl_query_kv {
	const char *key;   /* NUL-terminated, decoded */
	const char *value; /* NUL-terminated, decoded; "" for "?flag" */
};

/*
 * Parse a query string in place: split on '&', then on the first '=',
 * decode %XX and '+' (space).  `qs` is modified and must stay alive while
 * the pairs are used.  Empty items are skipped.  Returns ZL_OK,
 * ZL_EINVAL (bad escape or a decoded NUL; field "query") or ZL_ETOOBIG
 * (more than `max` pairs).
 */
int zl_query_parse(char *qs, struct zl_query_kv *kv, size_t max, size_t *n, struct zl_error *err);

/* First value for `key` among `n` pairs, or NULL. */
const char *zl_query_get(const struct zl_query_kv *kv, size_t n, const char *key);

#endif /* ZL_HTTP_PATH_H */
