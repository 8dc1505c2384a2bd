/*
 * routes.c - the route metadata generated from routes.def, and the two
 * renderings of it that `zhiliang routes` prints: Markdown (docs/api.md,
 * checked by a test to equal the command's output) and JSON.
 */
#include "http/routes.h"

#include <stdlib.h>
#include <string.h>

#include "core/jw.h"

const struct zl_route zl_routes[] = {
#define ZL_ROUTE(m, p, fn, perm, scope, tag, summary, resp, media, body)                           \
	{ZL_M_##m, #m, p, #fn, ZL_PERM_##perm, scope, tag, summary, resp, media, ZL_BODY_##body},
#include "http/routes.def"
#undef ZL_ROUTE
};

const char *const zl_upload_media[] = {
	"text/csv",
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	"application/vnd.ms-excel",
	"text/plain",
	"application/octet-stream",
	NULL,
};

_Static_assert(sizeof(zl_routes) / sizeof(zl_routes[0]) == ZL_ROUTE_COUNT,
	       "route table and enum disagree");

/*
 * The query parameters.  ZL_ROUTE_ID_##fn makes a HANDLER that is no
 * route's handler a compile error.
 */
#define QUERY_ENTRY(fn, name, type, values, desc, list)                                            \
	{ZL_ROUTE_ID_##fn, #fn, name, ZL_QT_##type, values, desc, list},
#define ZL_QUERY(fn, name, type, values, desc) QUERY_ENTRY(fn, name, type, values, desc, 0)
#define LIST_QUERY(fn, name, type, values, desc) QUERY_ENTRY(fn, name, type, values, desc, 1)
#define ZL_LIST(fn) ZL_LIST_QUERIES(fn, LIST_QUERY)
const struct zl_query_param zl_query_params[] = {
#include "http/params.def"
};
#undef ZL_LIST
#undef LIST_QUERY
#undef ZL_QUERY
#undef QUERY_ENTRY

const size_t zl_query_param_count = sizeof(zl_query_params) / sizeof(zl_query_params[0]);

/* Which routes are list routes, indexed by route id. */
static const unsigned char route_list[ZL_ROUTE_COUNT] = {
#define ZL_QUERY(fn, name, type, values, desc)
#define ZL_LIST(fn) [ZL_ROUTE_ID_##fn] = 1,
#include "http/params.def"
#undef ZL_LIST
#undef ZL_QUERY
};

int zl_route_query_declared(int route, const char *name)
{
	if (route < 0 || route >= ZL_ROUTE_COUNT || !name)
		return 0;
	for (size_t i = 0; i < zl_query_param_count; i++)
		if (zl_query_params[i].route == route && !strcmp(zl_query_params[i].name, name))
			return 1;
	return 0;
}

const char *zl_query_type_name(enum zl_query_type t)
{
	switch (t) {
	case ZL_QT_INTEGER:
		return "integer";
	case ZL_QT_BOOLEAN:
		return "boolean";
	case ZL_QT_STRING:
	default:
		return "string";
	}
}

int zl_route_is_list(int route)
{
	return route >= 0 && route < ZL_ROUTE_COUNT && route_list[route];
}

/* "MIN..MAX" with MIN <= MAX, both unsigned decimal. */
static int range_ok(const char *s)
{
	char *end;
	long long lo, hi;

	if (*s < '0' || *s > '9')
		return 0;
	lo = strtoll(s, &end, 10);
	if (strncmp(end, "..", 2) || end[2] < '0' || end[2] > '9')
		return 0;
	hi = strtoll(end + 2, &end, 10);
	return *end == '\0' && lo <= hi;
}

/* "" or "a|b|c" with non-empty values and no spaces. */
static int enum_ok(const char *s)
{
	size_t n = 0;

	if (!*s)
		return 1;
	for (; *s; s++) {
		if (*s == '|') {
			if (!n)
				return 0;
			n = 0;
		} else if (*s == ' ' || *s == ',') {
			return 0;
		} else {
			n++;
		}
	}
	return n > 0;
}

int zl_query_params_check(struct zl_error *err)
{
	for (size_t i = 0; i < zl_query_param_count; i++) {
		const struct zl_query_param *p = &zl_query_params[i];
		const struct zl_route *r;
		int ok;

		if (p->route < 0 || p->route >= ZL_ROUTE_COUNT ||
		    strcmp(zl_routes[p->route].handler, p->handler))
			return zl_error_set(err, ZL_EINVAL, "query",
					    "query parameter %s: %s is not a route's handler",
					    p->name, p->handler);
		r = &zl_routes[p->route];
		ok = p->name[0] != '\0';
		for (const char *c = p->name; *c; c++)
			if (!(*c == '_' || (*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9')))
				ok = 0;
		if (!ok)
			return zl_error_set(err, ZL_EINVAL, "query",
					    "route %s %s: bad query parameter name \"%s\"",
					    r->method_name, r->pattern, p->name);
		for (size_t j = 0; j < i; j++)
			if (zl_query_params[j].route == p->route &&
			    !strcmp(zl_query_params[j].name, p->name))
				return zl_error_set(
					err, ZL_EINVAL, "query",
					"route %s %s: query parameter %s declared twice",
					r->method_name, r->pattern, p->name);
		switch (p->type) {
		case ZL_QT_STRING:
			ok = enum_ok(p->values);
			break;
		case ZL_QT_INTEGER:
			ok = !p->values[0] || range_ok(p->values);
			break;
		case ZL_QT_BOOLEAN:
			ok = !p->values[0];
			break;
		default:
			ok = 0;
		}
		if (!ok)
			return zl_error_set(
				err, ZL_EINVAL, "query",
				"route %s %s: query parameter %s: values \"%s\" do not fit "
				"its type",
				r->method_name, r->pattern, p->name, p->values);
		if (!p->description[0])
			return zl_error_set(err, ZL_EINVAL, "query",
					    "route %s %s: query parameter %s has no description",
					    r->method_name, r->pattern, p->name);
	}
	for (int i = 0; i < ZL_ROUTE_COUNT; i++) {
		struct zl_org_scope sc;

		if (zl_org_scope_parse(zl_routes[i].org_scope, &sc, NULL) == ZL_OK &&
		    sc.kind == ZL_SCOPE_QUERY && !zl_route_query_declared(i, sc.name))
			return zl_error_set(err, ZL_EINVAL, "query",
					    "route %s %s: org scope %s names an undeclared query "
					    "parameter (src/http/params.def)",
					    zl_routes[i].method_name, zl_routes[i].pattern,
					    zl_routes[i].org_scope);
	}
	return ZL_OK;
}

static const struct {
	const char *prefix;
	enum zl_scope_kind kind;
	int named;
} scope_kinds[] = {
	{"none", ZL_SCOPE_NONE, 0},    {"self", ZL_SCOPE_SELF, 0},    {"param:", ZL_SCOPE_PARAM, 1},
	{"user:", ZL_SCOPE_USER, 1},   {"token:", ZL_SCOPE_TOKEN, 1}, {"body:", ZL_SCOPE_BODY, 1},
	{"query:", ZL_SCOPE_QUERY, 1}, {"province", ZL_SCOPE_PROVINCE, 0},
};

int zl_org_scope_parse(const char *s, struct zl_org_scope *out, struct zl_error *err)
{
	for (size_t i = 0; s && i < sizeof(scope_kinds) / sizeof(scope_kinds[0]); i++) {
		size_t n = strlen(scope_kinds[i].prefix);
		const char *name = s + n;

		if (scope_kinds[i].named ? strncmp(s, scope_kinds[i].prefix, n)
					 : strcmp(s, scope_kinds[i].prefix))
			continue;
		if (scope_kinds[i].named) {
			if (!*name)
				break;
			for (const char *c = name; *c; c++)
				if (!(*c == '_' || (*c >= 'a' && *c <= 'z') ||
				      (*c >= '0' && *c <= '9')))
					return zl_error_set(err, ZL_EINVAL, "org_scope",
							    "bad name in org scope: %s", s);
		}
		out->kind = scope_kinds[i].kind;
		out->name = scope_kinds[i].named ? name : "";
		return ZL_OK;
	}
	return zl_error_set(err, ZL_EINVAL, "org_scope", "unknown org scope: %s", s ? s : "(null)");
}

/* Does `pattern` have the path parameter {name}? */
static int pattern_has_param(const char *pattern, const char *name)
{
	size_t n = strlen(name);

	for (const char *p = strchr(pattern, '{'); p; p = strchr(p + 1, '{'))
		if (!strncmp(p + 1, name, n) && p[1 + n] == '}')
			return 1;
	return 0;
}

int zl_routes_check(struct zl_org_scope scopes[], struct zl_error *err)
{
	for (int i = 0; i < ZL_ROUTE_COUNT; i++) {
		const struct zl_route *r = &zl_routes[i];
		enum zl_scope_kind k;

		if (zl_org_scope_parse(r->org_scope, &scopes[i], NULL))
			return zl_error_set(err, ZL_EINVAL, "org_scope",
					    "route %s %s: unknown org scope %s", r->method_name,
					    r->pattern, r->org_scope);
		k = scopes[i].kind;
		if ((k == ZL_SCOPE_PARAM || k == ZL_SCOPE_USER || k == ZL_SCOPE_TOKEN) &&
		    !pattern_has_param(r->pattern, scopes[i].name))
			return zl_error_set(err, ZL_EINVAL, "org_scope",
					    "route %s %s: org scope %s names no path parameter",
					    r->method_name, r->pattern, r->org_scope);
		if (r->body != ZL_BODY_JSON &&
		    (!(r->method & (ZL_M_POST | ZL_M_PUT)) || k == ZL_SCOPE_BODY))
			return zl_error_set(err, ZL_EINVAL, "body",
					    "route %s %s: an upload needs POST or PUT and cannot "
					    "take its org scope from a JSON body",
					    r->method_name, r->pattern);
		if (k == ZL_SCOPE_BODY && !(r->method & (ZL_M_POST | ZL_M_PUT | ZL_M_PATCH)))
			return zl_error_set(err, ZL_EINVAL, "org_scope",
					    "route %s %s: a body scope needs a method with a body",
					    r->method_name, r->pattern);
	}
	return zl_query_params_check(err);
}

/* Markdown table cell: '|' would end the cell and a newline the row. */
static void md_cell(struct zl_buf *out, const char *s)
{
	for (; *s; s++) {
		if (*s == '|')
			zl_buf_adds(out, "\\|");
		else if (*s == '\n')
			zl_buf_addch(out, ' ');
		else
			zl_buf_addch(out, *s);
	}
}

/* Has an earlier route the same tag?  Sections follow first appearance. */
static int tag_seen_before(int i)
{
	for (int j = 0; j < i; j++)
		if (!strcmp(zl_routes[j].tag, zl_routes[i].tag))
			return 1;
	return 0;
}

/* One parameter as "`name` (values)" for the Query column. */
static void md_param(struct zl_buf *out, const struct zl_query_param *p)
{
	zl_buf_addf(out, "`%s`", p->name);
	if (p->type == ZL_QT_BOOLEAN) {
		zl_buf_adds(out, " (boolean)");
	} else if (p->values[0]) {
		zl_buf_adds(out, " (");
		md_cell(out, p->values);
		zl_buf_adds(out, ")");
	}
}

/* The Query column: the route's own parameters, then "*list*" for a list route. */
static void md_query(struct zl_buf *out, int route)
{
	int n = 0;

	for (size_t i = 0; i < zl_query_param_count; i++) {
		if (zl_query_params[i].route != route || zl_query_params[i].list)
			continue;
		if (n++)
			zl_buf_adds(out, ", ");
		md_param(out, &zl_query_params[i]);
	}
	if (zl_route_is_list(route))
		zl_buf_adds(out, n++ ? ", *list*" : "*list*");
	if (!n)
		zl_buf_adds(out, "none");
}

/* The preamble's legend of *list*, from the first list route's parameters. */
static void md_list_legend(struct zl_buf *out)
{
	int route = -1, n = 0;

	for (int i = 0; i < ZL_ROUTE_COUNT && route < 0; i++)
		if (zl_route_is_list(i))
			route = i;
	for (size_t i = 0; i < zl_query_param_count; i++) {
		if (zl_query_params[i].route != route || !zl_query_params[i].list)
			continue;
		zl_buf_adds(out, n++ ? ", " : "");
		md_param(out, &zl_query_params[i]);
	}
}

int zl_routes_markdown(struct zl_buf *out, struct zl_error *err)
{
	zl_buf_adds(out,
		    "# Zhiliang HTTP API\n\n"
		    "Generated by `zhiliang routes --markdown` from `src/http/routes.def`; "
		    "do not edit by hand (`make docs` rewrites it, and a test checks that it "
		    "matches). The same table produces `GET /api/v1/openapi.json`.\n\n"
		    "Errors are JSON: `{\"error\":{\"code\":\"...\",\"message\":\"...\","
		    "\"field\":\"...\"}}` with status 400, 401, 403, 404, 405 (with `Allow`), "
		    "413, 415, 422, 429, 500 or 503. A `GET` route also answers `HEAD`. "
		    "Any other path that is not under `/api/` serves the web UI.\n\n"
		    "Query parameters come from `src/http/params.def`; every one is optional "
		    "unless its description says otherwise. An `/api/` request with a query "
		    "parameter its route does not list is answered 400 naming it. *list* marks a "
		    "list route ([lists.md](lists.md)) and stands for ");
	md_list_legend(out);
	zl_buf_adds(out, "; such a route also answers `text/csv` and xlsx files (`format=csv`, "
			 "`format=xlsx`).\n");
	for (int i = 0; i < ZL_ROUTE_COUNT; i++) {
		if (tag_seen_before(i))
			continue;
		zl_buf_addf(out, "\n## %s\n\n", zl_routes[i].tag);
		zl_buf_adds(
			out,
			"| Method | Path | Summary | Query | Response | Permission | Org scope |\n"
			"|---|---|---|---|---|---|---|\n");
		for (int j = i; j < ZL_ROUTE_COUNT; j++) {
			const struct zl_route *r = &zl_routes[j];

			if (strcmp(r->tag, zl_routes[i].tag))
				continue;
			zl_buf_addf(out, "| %s | `%s` | ", r->method_name, r->pattern);
			md_cell(out, r->summary);
			if (r->body == ZL_BODY_UPLOAD) {
				zl_buf_adds(out, " Request body: the file itself (");
				for (size_t k = 0; zl_upload_media[k]; k++)
					zl_buf_addf(out, "%s`%s`", k ? ", " : "",
						    zl_upload_media[k]);
				zl_buf_adds(out, "), at most `max_upload` bytes.");
			} else if (r->body == ZL_BODY_FILE) {
				zl_buf_adds(out, " Request body: the file itself, of any type (its "
						 "`Content-Type` is kept).");
			}
			zl_buf_adds(out, " | ");
			md_query(out, j);
			zl_buf_adds(out, " | ");
			md_cell(out, r->media);
			zl_buf_adds(out, ": ");
			md_cell(out, r->response);
			zl_buf_addf(out, " | %s | %s |\n", zl_perm_name(r->perm), r->org_scope);
		}
	}
	if (out->err)
		return zl_error_set(err, out->err, NULL, "out of memory rendering routes");
	return ZL_OK;
}

int zl_routes_json(struct zl_buf *out, struct zl_error *err)
{
	struct zl_jw w;
	int rc;

	zl_jw_init(&w, out);
	zl_jw_arr_begin(&w);
	for (int i = 0; i < ZL_ROUTE_COUNT; i++) {
		const struct zl_route *r = &zl_routes[i];

		zl_jw_obj_begin(&w);
		zl_jw_kstr(&w, "method", r->method_name);
		zl_jw_kstr(&w, "path", r->pattern);
		zl_jw_kstr(&w, "handler", r->handler);
		zl_jw_kstr(&w, "permission", zl_perm_name(r->perm));
		zl_jw_kstr(&w, "org_scope", r->org_scope);
		zl_jw_kstr(&w, "tag", r->tag);
		zl_jw_kstr(&w, "summary", r->summary);
		zl_jw_kstr(&w, "response", r->response);
		zl_jw_kstr(&w, "media_type", r->media);
		zl_jw_kstr(&w, "body",
			   r->body == ZL_BODY_UPLOAD ? "upload"
			   : r->body == ZL_BODY_FILE ? "file"
						     : "json");
		zl_jw_kbool(&w, "list", zl_route_is_list(i));
		zl_jw_key(&w, "query");
		zl_jw_arr_begin(&w);
		for (size_t k = 0; k < zl_query_param_count; k++) {
			const struct zl_query_param *p = &zl_query_params[k];

			if (p->route != i)
				continue;
			zl_jw_obj_begin(&w);
			zl_jw_kstr(&w, "name", p->name);
			zl_jw_kstr(&w, "type", zl_query_type_name(p->type));
			zl_jw_kstr(&w, "values", p->values);
			zl_jw_kstr(&w, "description", p->description);
			zl_jw_obj_end(&w);
		}
		zl_jw_arr_end(&w);
		zl_jw_obj_end(&w);
	}
	zl_jw_arr_end(&w);
	zl_buf_addch(out, '\n');
	rc = zl_jw_error(&w);
	if (rc == ZL_OK)
		rc = out->err;
	if (rc)
		return zl_error_set(err, rc, NULL, "cannot render routes as JSON");
	return ZL_OK;
}
