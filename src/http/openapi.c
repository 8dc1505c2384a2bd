/*
 * openapi.c - the OpenAPI 3.1 document of the API, generated from the route
 * table (routes.def), and GET /api/v1/openapi.json which serves it.
 *
 * The server renders the document once at start (zl_http_start) and
 * serves that copy; nothing here is written by hand per route, so the
 * document cannot drift from the router.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "http/handlers.h"
#include "http/internal.h"

static void write_error_schema(struct zl_jw *w)
{
	zl_jw_key(w, "Error");
	zl_jw_obj_begin(w);
	zl_jw_kstr(w, "type", "object");
	zl_jw_key(w, "required");
	zl_jw_arr_begin(w);
	zl_jw_str(w, "error");
	zl_jw_arr_end(w);
	zl_jw_key(w, "properties");
	zl_jw_obj_begin(w);
	zl_jw_key(w, "error");
	zl_jw_obj_begin(w);
	zl_jw_kstr(w, "type", "object");
	zl_jw_key(w, "required");
	zl_jw_arr_begin(w);
	zl_jw_str(w, "code");
	zl_jw_str(w, "message");
	zl_jw_arr_end(w);
	zl_jw_key(w, "properties");
	zl_jw_obj_begin(w);
	zl_jw_key(w, "code");
	zl_jw_obj_begin(w);
	zl_jw_kstr(w, "type", "string");
	zl_jw_kstr(w, "description",
		   "Stable machine-readable code: bad_request, unauthorized, forbidden, not_found, "
		   "method_not_allowed, conflict, payload_too_large, unsupported_media_type, "
		   "unprocessable, too_many_requests, internal, unavailable");
	zl_jw_obj_end(w);
	zl_jw_key(w, "message");
	zl_jw_obj_begin(w);
	zl_jw_kstr(w, "type", "string");
	zl_jw_kstr(w, "description", "Human-readable explanation");
	zl_jw_obj_end(w);
	zl_jw_key(w, "field");
	zl_jw_obj_begin(w);
	zl_jw_kstr(w, "type", "string");
	zl_jw_kstr(w, "description", "The request field, parameter or row the error is about");
	zl_jw_obj_end(w);
	zl_jw_obj_end(w);
	zl_jw_obj_end(w);
	zl_jw_obj_end(w);
	zl_jw_obj_end(w);
}

static void write_components(struct zl_jw *w)
{
	zl_jw_key(w, "components");
	zl_jw_obj_begin(w);
	zl_jw_key(w, "schemas");
	zl_jw_obj_begin(w);
	write_error_schema(w);
	zl_jw_obj_end(w);
	zl_jw_key(w, "responses");
	zl_jw_obj_begin(w);
	zl_jw_key(w, "Error");
	zl_jw_obj_begin(w);
	zl_jw_kstr(w, "description",
		   "Error: 400, 401, 403, 404, 405 (with Allow), 413, 415, 422, 429, 500, 503");
	zl_jw_key(w, "content");
	zl_jw_obj_begin(w);
	zl_jw_key(w, "application/json");
	zl_jw_obj_begin(w);
	zl_jw_key(w, "schema");
	zl_jw_obj_begin(w);
	zl_jw_kstr(w, "$ref", "#/components/schemas/Error");
	zl_jw_obj_end(w);
	zl_jw_obj_end(w);
	zl_jw_obj_end(w);
	zl_jw_obj_end(w);
	zl_jw_obj_end(w);
	zl_jw_key(w, "securitySchemes");
	zl_jw_obj_begin(w);
	zl_jw_key(w, "session");
	zl_jw_obj_begin(w);
	zl_jw_kstr(w, "type", "apiKey");
	zl_jw_kstr(w, "in", "cookie");
	zl_jw_kstr(w, "name", "zl_session");
	zl_jw_kstr(w, "description",
		   "Browser session cookie set by POST /api/v1/session (HttpOnly, SameSite=Strict; "
		   "idle and absolute expiry)");
	zl_jw_obj_end(w);
	zl_jw_key(w, "csrf");
	zl_jw_obj_begin(w);
	zl_jw_kstr(w, "type", "apiKey");
	zl_jw_kstr(w, "in", "header");
	zl_jw_kstr(w, "name", "X-CSRF-Token");
	zl_jw_kstr(w, "description",
		   "The csrf_token of the session (login response, GET /api/v1/me); required with "
		   "the cookie on POST, PUT, PATCH and DELETE");
	zl_jw_obj_end(w);
	zl_jw_key(w, "bearer");
	zl_jw_obj_begin(w);
	zl_jw_kstr(w, "type", "http");
	zl_jw_kstr(w, "scheme", "bearer");
	zl_jw_kstr(w, "description",
		   "API token \"zlt_\" + 64 hex digits (POST /api/v1/tokens), scoped to an "
		   "organization and a permission set; no CSRF header needed");
	zl_jw_obj_end(w);
	zl_jw_obj_end(w);
	zl_jw_obj_end(w);
}

/* The path parameters of a pattern, as an OpenAPI "parameters" array. */
static void write_path_params(struct zl_jw *w, const char *pattern)
{
	const char *p = pattern;
	int any = 0;

	while ((p = strchr(p, '{')) != NULL) {
		const char *e = strchr(p, '}');

		if (!e)
			break;
		if (!any) {
			zl_jw_key(w, "parameters");
			zl_jw_arr_begin(w);
			any = 1;
		}
		zl_jw_obj_begin(w);
		zl_jw_key(w, "name");
		zl_jw_strn(w, p + 1, (size_t)(e - p - 1));
		zl_jw_kstr(w, "in", "path");
		zl_jw_kbool(w, "required", 1);
		zl_jw_key(w, "schema");
		zl_jw_obj_begin(w);
		zl_jw_kstr(w, "type", "string");
		zl_jw_obj_end(w);
		zl_jw_obj_end(w);
		p = e + 1;
	}
	if (any)
		zl_jw_arr_end(w);
}

/* The values of an "a|b|c" list as the schema's "enum" array. */
static void write_enum(struct zl_jw *w, const char *values)
{
	zl_jw_key(w, "enum");
	zl_jw_arr_begin(w);
	for (const char *v = values; *v;) {
		const char *e = strchr(v, '|');
		size_t n = e ? (size_t)(e - v) : strlen(v);

		zl_jw_strn(w, v, n);
		v += n + (e ? 1 : 0);
	}
	zl_jw_arr_end(w);
}

/* A query parameter's schema: its type, enum values or integer range. */
static void write_param_schema(struct zl_jw *w, const struct zl_query_param *p)
{
	zl_jw_key(w, "schema");
	zl_jw_obj_begin(w);
	zl_jw_kstr(w, "type", zl_query_type_name(p->type));
	if (p->type == ZL_QT_STRING && p->values[0]) {
		write_enum(w, p->values);
	} else if (p->type == ZL_QT_INTEGER && p->values[0]) {
		const char *dots = strstr(p->values, "..");

		zl_jw_kint(w, "minimum", strtoll(p->values, NULL, 10));
		if (dots)
			zl_jw_kint(w, "maximum", strtoll(dots + 2, NULL, 10));
	}
	zl_jw_obj_end(w);
}

/*
 * The operation's query parameters (params.def), all optional.  Path
 * parameters are declared once on the path item (write_path_params).
 */
static void write_query_params(struct zl_jw *w, int route)
{
	int any = 0;

	for (size_t i = 0; i < zl_query_param_count; i++) {
		const struct zl_query_param *p = &zl_query_params[i];

		if (p->route != route)
			continue;
		if (!any) {
			zl_jw_key(w, "parameters");
			zl_jw_arr_begin(w);
			any = 1;
		}
		zl_jw_obj_begin(w);
		zl_jw_kstr(w, "name", p->name);
		zl_jw_kstr(w, "in", "query");
		zl_jw_kbool(w, "required", 0);
		zl_jw_kstr(w, "description", p->description);
		write_param_schema(w, p);
		zl_jw_obj_end(w);
	}
	if (any)
		zl_jw_arr_end(w);
}

/*
 * The file media types a route answers with format=csv|xlsx|pdf (list
 * exports, import reports, bulletins): those of its "format" parameter's
 * values other than json.
 */
static const struct {
	const char *format;
	const char *media;
	const char *schema_format; /* "binary" or NULL */
} file_media[] = {
	{"csv", "text/csv", NULL},
	{"xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "binary"},
	{"pdf", "application/pdf", "binary"},
};

/* Does the "a|b|c" list hold `v`? */
static int values_have(const char *values, const char *v)
{
	size_t n = strlen(v);

	for (const char *p = values; (p = strstr(p, v)) != NULL; p += n)
		if ((p == values || p[-1] == '|') && (p[n] == '\0' || p[n] == '|'))
			return 1;
	return 0;
}

static void write_file_media(struct zl_jw *w, int route)
{
	const char *values = NULL;

	for (size_t i = 0; i < zl_query_param_count; i++)
		if (zl_query_params[i].route == route && !strcmp(zl_query_params[i].name, "format"))
			values = zl_query_params[i].values;
	if (!values)
		return;
	for (size_t i = 0; i < sizeof(file_media) / sizeof(file_media[0]); i++) {
		if (!values_have(values, file_media[i].format))
			continue;
		zl_jw_key(w, file_media[i].media);
		zl_jw_obj_begin(w);
		zl_jw_key(w, "schema");
		zl_jw_obj_begin(w);
		zl_jw_kstr(w, "type", "string");
		if (file_media[i].schema_format)
			zl_jw_kstr(w, "format", file_media[i].schema_format);
		zl_jw_obj_end(w);
		zl_jw_obj_end(w);
	}
}

/* A FILE route takes a file of any type. */
static const char *const any_media[] = {"*/*", NULL};

/*
 * An upload route's request body: the file itself, raw (no multipart), in
 * one of `media` (the spreadsheet types, or any type for a FILE route), at
 * most max_upload bytes.
 */
static void write_upload_body(struct zl_jw *w, const char *const *media)
{
	zl_jw_key(w, "requestBody");
	zl_jw_obj_begin(w);
	zl_jw_kbool(w, "required", 1);
	zl_jw_kstr(w, "description",
		   "The file itself as the raw request body (not multipart), at most the "
		   "server's max_upload bytes (default 1 GiB): 413 beyond");
	zl_jw_key(w, "content");
	zl_jw_obj_begin(w);
	for (size_t i = 0; media[i]; i++) {
		zl_jw_key(w, media[i]);
		zl_jw_obj_begin(w);
		zl_jw_key(w, "schema");
		zl_jw_obj_begin(w);
		zl_jw_kstr(w, "type", "string");
		zl_jw_kstr(w, "format", "binary");
		zl_jw_obj_end(w);
		zl_jw_obj_end(w);
	}
	zl_jw_obj_end(w);
	zl_jw_obj_end(w);
}

static void write_operation(struct zl_jw *w, int route)
{
	const struct zl_route *r = &zl_routes[route];
	char method[16];
	size_t i;

	for (i = 0; r->method_name[i] && i + 1 < sizeof(method); i++)
		method[i] = (char)tolower((unsigned char)r->method_name[i]);
	method[i] = '\0';
	zl_jw_key(w, method);
	zl_jw_obj_begin(w);
	zl_jw_kstr(w, "operationId", r->handler);
	zl_jw_kstr(w, "summary", r->summary);
	zl_jw_key(w, "tags");
	zl_jw_arr_begin(w);
	zl_jw_str(w, r->tag);
	zl_jw_arr_end(w);
	zl_jw_kstr(w, "x-zhiliang-permission", zl_perm_name(r->perm));
	zl_jw_kstr(w, "x-zhiliang-org-scope", r->org_scope);
	/*
	 * Alternatives: the session cookie (plus the CSRF header on a
	 * state-changing method) or an API token.  Public routes: none.
	 */
	zl_jw_key(w, "security");
	zl_jw_arr_begin(w);
	if (r->perm != ZL_PERM_PUBLIC) {
		zl_jw_obj_begin(w);
		zl_jw_key(w, "session");
		zl_jw_arr_begin(w);
		zl_jw_arr_end(w);
		if (r->method & (ZL_M_POST | ZL_M_PUT | ZL_M_PATCH | ZL_M_DELETE)) {
			zl_jw_key(w, "csrf");
			zl_jw_arr_begin(w);
			zl_jw_arr_end(w);
		}
		zl_jw_obj_end(w);
		zl_jw_obj_begin(w);
		zl_jw_key(w, "bearer");
		zl_jw_arr_begin(w);
		zl_jw_arr_end(w);
		zl_jw_obj_end(w);
	}
	zl_jw_arr_end(w);
	write_query_params(w, route);
	if (r->body == ZL_BODY_UPLOAD)
		write_upload_body(w, zl_upload_media);
	else if (r->body == ZL_BODY_FILE)
		write_upload_body(w, any_media);
	zl_jw_key(w, "responses");
	zl_jw_obj_begin(w);
	zl_jw_key(w, "200");
	zl_jw_obj_begin(w);
	zl_jw_kstr(w, "description", r->response);
	zl_jw_key(w, "content");
	zl_jw_obj_begin(w);
	zl_jw_key(w, r->media);
	zl_jw_obj_begin(w);
	zl_jw_key(w, "schema");
	zl_jw_obj_begin(w);
	zl_jw_kstr(w, "type", strncmp(r->media, "application/json", 16) ? "string" : "object");
	zl_jw_obj_end(w);
	zl_jw_obj_end(w);
	write_file_media(w, route);
	zl_jw_obj_end(w);
	zl_jw_obj_end(w);
	zl_jw_key(w, "default");
	zl_jw_obj_begin(w);
	zl_jw_kstr(w, "$ref", "#/components/responses/Error");
	zl_jw_obj_end(w);
	zl_jw_obj_end(w);
	zl_jw_obj_end(w);
}

static int seen_before(int i, int by_tag)
{
	for (int j = 0; j < i; j++)
		if (!strcmp(by_tag ? zl_routes[j].tag : zl_routes[j].pattern,
			    by_tag ? zl_routes[i].tag : zl_routes[i].pattern))
			return 1;
	return 0;
}

int zl_openapi_write(struct zl_buf *out, const char *version, struct zl_error *err)
{
	struct zl_jw w;
	int rc;

	zl_jw_init(&w, out);
	zl_jw_obj_begin(&w);
	zl_jw_kstr(&w, "openapi", "3.1.0");
	zl_jw_key(&w, "info");
	zl_jw_obj_begin(&w);
	zl_jw_kstr(&w, "title", "Zhiliang API");
	zl_jw_kstr(&w, "version", version);
	zl_jw_kstr(&w, "description",
		   "Quality-governance platform. Generated from src/http/routes.def.");
	zl_jw_obj_end(&w);
	zl_jw_key(&w, "servers");
	zl_jw_arr_begin(&w);
	zl_jw_obj_begin(&w);
	zl_jw_kstr(&w, "url", "/");
	zl_jw_obj_end(&w);
	zl_jw_arr_end(&w);
	zl_jw_key(&w, "tags");
	zl_jw_arr_begin(&w);
	for (int i = 0; i < ZL_ROUTE_COUNT; i++) {
		if (seen_before(i, 1))
			continue;
		zl_jw_obj_begin(&w);
		zl_jw_kstr(&w, "name", zl_routes[i].tag);
		zl_jw_obj_end(&w);
	}
	zl_jw_arr_end(&w);
	zl_jw_key(&w, "paths");
	zl_jw_obj_begin(&w);
	for (int i = 0; i < ZL_ROUTE_COUNT; i++) {
		if (seen_before(i, 0))
			continue;
		zl_jw_key(&w, zl_routes[i].pattern);
		zl_jw_obj_begin(&w);
		write_path_params(&w, zl_routes[i].pattern);
		for (int j = i; j < ZL_ROUTE_COUNT; j++)
			if (!strcmp(zl_routes[j].pattern, zl_routes[i].pattern))
				write_operation(&w, j);
		zl_jw_obj_end(&w);
	}
	zl_jw_obj_end(&w);
	write_components(&w);
	zl_jw_obj_end(&w);
	rc = zl_jw_error(&w);
	if (rc)
		return zl_error_set(err, rc, NULL, "cannot render the OpenAPI document");
	return ZL_OK;
}

int zl_h_openapi(struct zl_req *req, struct zl_resp *resp, struct zl_error *err)
{
	(void)err;
	resp->status = 200;
	resp->content_type = "application/json";
	/* Rendered once at start and owned by the server: no copy, nothing to free. */
	resp->ext_data = req->srv->openapi;
	resp->ext_len = req->srv->openapi_len;
	return ZL_OK;
}
