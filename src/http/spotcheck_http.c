/*
 * spotcheck_http.c - reading catalogue categories and spot-check plans from
 * request JSON, and turning stored ones back into inputs
 * (http/spotcheck_http.h).  Member paths in errors come from
 * http/json_in.h; the values' own rules are the domain's checks, which the
 * store runs again.
 */
#include "http/spotcheck_http.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "http/json_in.h"
#include "http/plan_http.h"

/* The year of a date "YYYY-MM-DD", 0 when it does not start with four digits. */
static int year_of(const char *d)
{
	int y = 0;

	for (int i = 0; i < 4; i++) {
		if (d[i] < '0' || d[i] > '9')
			return 0;
		y = 10 * y + (d[i] - '0');
	}
	return y;
}

static int oom(struct zl_error *err)
{
	return zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
}

/* A member that is there, null or not (PATCH distinguishes absent from null). */
static int present(const cJSON *obj, const char *name)
{
	return cJSON_GetObjectItemCaseSensitive(obj, name) != NULL;
}

/* A whole-number member within [min, max]; *has 0 when absent or null. */
static int whole(struct zl_req *req, const cJSON *obj, const char *path, const char *name,
		 int64_t min, int64_t max, int64_t *out, int *has, struct zl_error *err)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);
	int rc;

	*has = v != NULL && !cJSON_IsNull(v);
	if (!*has)
		return ZL_OK;
	rc = zl_json_get_int(obj, name, 1, min, max, out, err);
	return zl_jin_relabel(err, rc, zl_jin_at(req, path, name), name);
}

/* A JSON number that is a whole number within [min, max], at `field`. */
static int whole_value(const cJSON *v, const char *field, int64_t min, int64_t max, int64_t *out,
		       struct zl_error *err)
{
	double d = cJSON_IsNumber(v) ? v->valuedouble : NAN;

	if (!(d >= (double)min && d <= (double)max) || d != floor(d))
		return zl_error_set(err, ZL_EUNPROC, field, "%s must be a whole number %lld..%lld",
				    field, (long long)min, (long long)max);
	*out = (int64_t)d;
	return ZL_OK;
}

/* ---- the catalogue -------------------------------------------------------------------------- */

static int parse_standards(struct zl_req *req, const cJSON *body, struct zl_cat_in *in,
			   struct zl_error *err)
{
	static const char *const allowed[] = {"number", "year", "title", NULL};
	struct zl_cat_std_in *v;
	const cJSON *arr, *o;
	size_t i = 0;
	int rc = zl_jin_array(req, body, "", "standards", ZL_CAT_STANDARDS_MAX, &arr,
			      &in->nstandards, err);

	if (rc != ZL_OK)
		return rc;
	v = zl_arena_calloc(req->arena, in->nstandards + 1, sizeof(*v));
	if (v == NULL)
		return oom(err);
	cJSON_ArrayForEach(o, arr)
	{
		const char *p = zl_jin_at_i(req, "", "standards", i);
		int64_t year = 0;
		int has;

		if ((rc = zl_jin_only(req, o, p, allowed, err)) ||
		    (rc = zl_jin_str(req, o, p, "number", 1, ZL_CAT_STD_NUMBER_MAX, &v[i].number,
				     err)) ||
		    (rc = whole(req, o, p, "year", ZL_CAT_YEAR_MIN, ZL_CAT_YEAR_MAX, &year, &has,
				err)) ||
		    (rc = zl_jin_str(req, o, p, "title", 1, ZL_CAT_STD_TITLE_MAX, &v[i].title,
				     err)))
			return rc;
		v[i++].year = (int)year;
	}
	in->standards = v;
	return ZL_OK;
}

static int parse_items(struct zl_req *req, const cJSON *body, struct zl_cat_in *in,
		       struct zl_error *err)
{
	static const char *const allowed[] = {"name", "unit",	"min",	    "max",
					      "text", "method", "severity", NULL};
	struct zl_cat_item_in *v;
	const cJSON *arr, *o;
	size_t i = 0;
	int rc = zl_jin_array(req, body, "", "items", ZL_CAT_ITEMS_MAX, &arr, &in->nitems, err);

	if (rc != ZL_OK)
		return rc;
	v = zl_arena_calloc(req->arena, in->nitems + 1, sizeof(*v));
	if (v == NULL)
		return oom(err);
	cJSON_ArrayForEach(o, arr)
	{
		const char *p = zl_jin_at_i(req, "", "items", i);
		struct zl_cat_item_in *x = &v[i++];

		if ((rc = zl_jin_only(req, o, p, allowed, err)) ||
		    (rc = zl_jin_str(req, o, p, "name", 1, ZL_CAT_ITEM_NAME_MAX, &x->name, err)) ||
		    (rc = zl_jin_str(req, o, p, "unit", 0, ZL_CAT_UNIT_MAX, &x->unit, err)) ||
		    (rc = zl_jin_number(req, o, p, "min", 0, &x->min, &x->has_min, err)) ||
		    (rc = zl_jin_number(req, o, p, "max", 0, &x->max, &x->has_max, err)) ||
		    (rc = zl_jin_str(req, o, p, "text", 0, ZL_CAT_TEXT_MAX, &x->text, err)) ||
		    (rc = zl_jin_str(req, o, p, "method", 0, ZL_CAT_TEXT_MAX, &x->method, err)) ||
		    (rc = zl_jin_str(req, o, p, "severity", 1, 16, &x->severity, err)))
			return rc;
	}
	in->items = v;
	return ZL_OK;
}

int zl_cat_http_parse(struct zl_req *req, const cJSON *body, int patch, struct zl_cat_in *in,
		      const char **status, int *version, struct zl_error *err)
{
	static const char *const create_fields[] = {"code",	      "parent",	   "name",   "risk",
						    "key_supervised", "key_from",  "key_to", "note",
						    "industries",     "standards", "items",  NULL};
	static const char *const patch_fields[] = {
		"parent",     "name",	   "risk",  "key_supervised", "key_from", "key_to", "note",
		"industries", "standards", "items", "status",	      "version",  NULL};
	const char *risk = NULL, *s = NULL;
	int64_t v = 0;
	int rc, has = 0, b = 0;

	if (status)
		*status = NULL;
	if (version)
		*version = 0;
	if (!patch)
		memset(in, 0, sizeof(*in));
	if ((rc = zl_jin_only(req, body, "", patch ? patch_fields : create_fields, err)))
		return rc;
	if (!patch && (rc = zl_json_get_string(body, "code", 1, ZL_CAT_CODE_MAX, &in->code, err)))
		return rc;
	if (!patch || present(body, "parent")) {
		if ((rc = zl_json_get_string(body, "parent", 0, ZL_CAT_CODE_MAX, &s, err)))
			return rc;
		in->parent = s;
	}
	if ((!patch || present(body, "name")) &&
	    (rc = zl_json_get_string(body, "name", 1, ZL_CAT_NAME_MAX, &in->name, err)))
		return rc;
	if (!patch || present(body, "risk")) {
		if ((rc = zl_json_get_string(body, "risk", 1, 8, &risk, err)))
			return rc;
		if (zl_risk_parse(risk, &in->risk) != ZL_OK)
			return zl_error_set(err, ZL_EUNPROC, "risk",
					    "risk must be one of I, II, III");
	}
	if (present(body, "key_supervised")) {
		if ((rc = zl_json_get_bool(body, "key_supervised", 1, &b, err)))
			return rc;
		in->key_supervised = b;
		if (!b && !present(body, "key_from"))
			in->key_from = in->key_to = 0;
	}
	if ((rc = whole(req, body, "", "key_from", 0, ZL_CAT_YEAR_MAX, &v, &has, err)))
		return rc;
	if (has || present(body, "key_from"))
		in->key_from = (int)(has ? v : 0);
	if ((rc = whole(req, body, "", "key_to", 0, ZL_CAT_YEAR_MAX, &v, &has, err)))
		return rc;
	if (has || present(body, "key_to"))
		in->key_to = (int)(has ? v : 0);
	if ((!patch || present(body, "note")) &&
	    (rc = zl_json_get_string(body, "note", 0, ZL_CAT_NOTE_MAX, &in->note, err)))
		return rc;
	if ((!patch || present(body, "industries")) &&
	    (rc = zl_plan_http_strings(req, body, "", "industries", ZL_CAT_INDUSTRIES_MAX, 16,
				       &in->industries, &in->nindustries, err)))
		return rc;
	if ((!patch || present(body, "standards")) && (rc = parse_standards(req, body, in, err)))
		return rc;
	if ((!patch || present(body, "items")) && (rc = parse_items(req, body, in, err)))
		return rc;
	if (patch && status && (rc = zl_json_get_string(body, "status", 0, 16, status, err)))
		return rc;
	if (patch && version) {
		if ((rc = whole(req, body, "", "version", 1, INT32_MAX, &v, &has, err)))
			return rc;
		*version = has ? (int)v : 0;
	}
	return ZL_OK;
}

/* ---- plans ---------------------------------------------------------------------------------- */

static int parse_places(struct zl_req *req, const cJSON *body, struct zl_sc_plan_in *in,
			struct zl_error *err)
{
	static const char *const allowed[] = {"type", "share", "batches", NULL};
	struct zl_sc_place_in *v;
	const cJSON *arr, *o;
	size_t i = 0;
	int rc = zl_jin_array(req, body, "", "places", ZL_SC_PLACES, &arr, &in->nplaces, err);

	if (rc != ZL_OK)
		return rc;
	v = zl_arena_calloc(req->arena, in->nplaces + 1, sizeof(*v));
	if (v == NULL)
		return oom(err);
	cJSON_ArrayForEach(o, arr)
	{
		const char *p = zl_jin_at_i(req, "", "places", i);
		struct zl_sc_place_in *x = &v[i++];
		int has;

		if ((rc = zl_jin_only(req, o, p, allowed, err)) ||
		    (rc = zl_jin_str(req, o, p, "type", 1, 16, &x->type, err)) ||
		    (rc = whole(req, o, p, "share", 1, 100, &x->share, &has, err)) ||
		    (rc = whole(req, o, p, "batches", 1,
				ZL_SC_BATCHES_MAX * (int64_t)ZL_SC_PRODUCTS_MAX, &x->batches, &has,
				err)))
			return rc;
	}
	in->places = v;
	return ZL_OK;
}

static int parse_quotas(struct zl_req *req, const cJSON *o, const char *p,
			struct zl_sc_product_in *x, struct zl_error *err)
{
	const cJSON *q = cJSON_GetObjectItemCaseSensitive(o, "quotas"), *e;
	const char *f = zl_jin_at(req, p, "quotas");
	struct zl_sc_quota_in *v;
	size_t n = 0;
	int rc;

	if (q == NULL || cJSON_IsNull(q))
		return ZL_OK;
	if (!cJSON_IsObject(q))
		return zl_error_set(err, ZL_EUNPROC, f,
				    "%s must be an object of region code -> batches", f);
	n = (size_t)cJSON_GetArraySize(q);
	if (n > ZL_SC_QUOTAS_MAX)
		return zl_error_set(err, ZL_EUNPROC, f, "%s: at most %d regions", f,
				    ZL_SC_QUOTAS_MAX);
	v = zl_arena_calloc(req->arena, n + 1, sizeof(*v));
	if (v == NULL)
		return oom(err);
	cJSON_ArrayForEach(e, q)
	{
		struct zl_sc_quota_in *y = &v[x->nquotas++];
		const char *key = e->string ? e->string : "";
		const char *ef = zl_jin_at(req, f, key[0] && strlen(key) <= 16 ? key : "?");

		y->region = key;
		if ((rc = whole_value(e, ef, 1, ZL_SC_BATCHES_MAX, &y->batches, err)))
			return rc;
	}
	x->quotas = v;
	return ZL_OK;
}

static int parse_products(struct zl_req *req, const cJSON *body, struct zl_sc_plan_in *in,
			  struct zl_error *err)
{
	static const char *const allowed[] = {"code", "lab", "quotas", NULL};
	struct zl_sc_product_in *v;
	const cJSON *arr, *o;
	size_t i = 0;
	int rc = zl_jin_array(req, body, "", "products", ZL_SC_PRODUCTS_MAX, &arr, &in->nproducts,
			      err);

	if (rc != ZL_OK)
		return rc;
	v = zl_arena_calloc(req->arena, in->nproducts + 1, sizeof(*v));
	if (v == NULL)
		return oom(err);
	cJSON_ArrayForEach(o, arr)
	{
		const char *p = zl_jin_at_i(req, "", "products", i);
		struct zl_sc_product_in *x = &v[i++];

		if ((rc = zl_jin_only(req, o, p, allowed, err)) ||
		    (rc = zl_jin_str(req, o, p, "code", 1, ZL_CAT_CODE_MAX, &x->code, err)) ||
		    (rc = zl_jin_str(req, o, p, "lab", 0, ZL_ORG_CODE_MAX - 1, &x->lab, err)) ||
		    (rc = parse_quotas(req, o, p, x, err)))
			return rc;
	}
	in->products = v;
	return ZL_OK;
}

static int parse_frequency(struct zl_req *req, const cJSON *body, struct zl_sc_plan_in *in,
			   struct zl_error *err)
{
	static const char *const classes[] = {"AA", "A", "B", "C", NULL};
	static const char *const risks[] = {"I", "II", "III", NULL};
	const cJSON *m = cJSON_GetObjectItemCaseSensitive(body, "frequency");
	int rc;

	if (m == NULL || cJSON_IsNull(m))
		return ZL_OK;
	if ((rc = zl_jin_only(req, m, "frequency", classes, err)))
		return rc;
	for (int c = 0; c < ZL_SC_CLASSES; c++) {
		const char *cp = zl_jin_at(req, "frequency", classes[c]);
		const cJSON *row = cJSON_GetObjectItemCaseSensitive(m, classes[c]);

		if (row == NULL)
			return zl_error_set(err, ZL_EUNPROC, cp,
					    "%s is required: the matrix names every class "
					    "(AA, A, B, C)",
					    cp);
		if ((rc = zl_jin_only(req, row, cp, risks, err)))
			return rc;
		for (int r = 0; r < ZL_SC_RISKS; r++) {
			const char *f = zl_jin_at(req, cp, risks[r]);
			const cJSON *cell = cJSON_GetObjectItemCaseSensitive(row, risks[r]);

			if (cell == NULL)
				return zl_error_set(err, ZL_EUNPROC, f,
						    "%s is required: every risk level (I, II, III)",
						    f);
			if (!cJSON_IsNumber(cell) ||
			    zl_sc_weight_parse(cell->valuedouble, &in->freq.w[c][r]) != ZL_OK)
				return zl_error_set(err, ZL_EUNPROC, f,
						    "%s must be a positive weight of at most "
						    "1000000000 (six decimals)",
						    f);
		}
	}
	in->has_freq = 1;
	return ZL_OK;
}

int zl_sc_http_parse_plan(struct zl_req *req, const cJSON *body, int patch,
			  struct zl_sc_plan_in *in, int *version, struct zl_error *err)
{
	static const char *const create_fields[] = {
		"title",     "year",	  "kind",	 "org",		       "budget_fen",
		"start",     "end",	  "note",	 "labs",	       "places",
		"products",  "frequency", "exclude_own_county", NULL};
	static const char *const patch_fields[] = {
		"title",    "year",	 "kind",	"org",		      "budget_fen",
		"start",    "end",	 "note",	"labs",		      "places",
		"products", "frequency", "exclude_own_county", "version", NULL};
	int64_t v = 0;
	int rc, has = 0;

	if (version)
		*version = 0;
	if (!patch)
		memset(in, 0, sizeof(*in));
	if ((rc = zl_jin_only(req, body, "", patch ? patch_fields : create_fields, err)))
		return rc;
	if ((!patch || present(body, "title")) &&
	    (rc = zl_json_get_string(body, "title", 1, ZL_SC_TITLE_MAX, &in->title, err)))
		return rc;
	if ((!patch || present(body, "kind")) &&
	    (rc = zl_json_get_string(body, "kind", 1, 16, &in->kind, err)))
		return rc;
	if ((!patch || present(body, "org")) &&
	    (rc = zl_json_get_string(body, "org", 1, ZL_ORG_CODE_MAX - 1, &in->org, err)))
		return rc;
	if ((!patch || present(body, "start")) &&
	    (rc = zl_json_get_string(body, "start", 1, 10, &in->start, err)))
		return rc;
	if ((!patch || present(body, "end")) &&
	    (rc = zl_json_get_string(body, "end", 1, 10, &in->end, err)))
		return rc;
	if ((!patch || present(body, "note")) &&
	    (rc = zl_json_get_string(body, "note", 0, ZL_SC_NOTE_MAX, &in->note, err)))
		return rc;
	if ((rc = whole(req, body, "", "year", 1949, 2100, &v, &has, err)))
		return rc;
	if (has)
		in->year = (int)v;
	else if (!patch && in->start)
		in->year = year_of(in->start);
	if ((rc = whole(req, body, "", "budget_fen", 0, ZL_SC_BUDGET_MAX, &v, &has, err)))
		return rc;
	if (has || (patch && present(body, "budget_fen")))
		in->budget_fen = has ? v : 0;
	if ((!patch || present(body, "labs")) &&
	    (rc = zl_plan_http_strings(req, body, "", "labs", ZL_SC_LABS_MAX, ZL_ORG_CODE_MAX - 1,
				       &in->labs, &in->nlabs, err)))
		return rc;
	if ((!patch || present(body, "places")) && (rc = parse_places(req, body, in, err)))
		return rc;
	if ((!patch || present(body, "products")) && (rc = parse_products(req, body, in, err)))
		return rc;
	if (present(body, "exclude_own_county")) {
		int exclude = 1;

		if ((rc = zl_json_get_bool(body, "exclude_own_county", 0, &exclude, err)))
			return rc;
		in->own_county = !exclude;
	}
	if (present(body, "frequency")) {
		in->has_freq = 0;
		if ((rc = parse_frequency(req, body, in, err)))
			return rc;
	}
	if (patch && version) {
		if ((rc = whole(req, body, "", "version", 1, INT32_MAX, &v, &has, err)))
			return rc;
		*version = has ? (int)v : 0;
	}
	return ZL_OK;
}

int zl_sc_http_plan_input(struct zl_req *req, const struct zl_sc_plan *p, struct zl_sc_plan_in *in,
			  struct zl_error *err)
{
	const char **labs = zl_arena_calloc(req->arena, p->nlabs + 1, sizeof(*labs));
	struct zl_sc_place_in *pl = zl_arena_calloc(req->arena, p->nplaces + 1, sizeof(*pl));
	struct zl_sc_product_in *pr = zl_arena_calloc(req->arena, p->nproducts + 1, sizeof(*pr));

	if (labs == NULL || pl == NULL || pr == NULL)
		return oom(err);
	memset(in, 0, sizeof(*in));
	in->title = p->title;
	in->year = p->year;
	in->kind = p->kind;
	in->org = p->org;
	in->budget_fen = p->budget_fen;
	in->start = p->start;
	in->end = p->end;
	in->note = p->note;
	in->own_county = !p->exclude_own_county;
	for (size_t i = 0; i < p->nlabs; i++)
		labs[i] = p->labs[i].org;
	in->labs = labs;
	in->nlabs = p->nlabs;
	for (size_t i = 0; i < p->nplaces; i++)
		pl[i] = (struct zl_sc_place_in){p->places[i].type, p->places[i].share,
						p->places[i].batches};
	in->places = pl;
	in->nplaces = p->nplaces;
	for (size_t i = 0; i < p->nproducts; i++) {
		const struct zl_sc_product *x = &p->products[i];
		struct zl_sc_quota_in *q = zl_arena_calloc(req->arena, x->nquotas + 1, sizeof(*q));

		if (q == NULL)
			return oom(err);
		for (size_t k = 0; k < x->nquotas; k++)
			q[k] = (struct zl_sc_quota_in){x->quotas[k].region, x->quotas[k].batches};
		pr[i] = (struct zl_sc_product_in){x->code, x->lab[0] ? x->lab : NULL, q,
						  x->nquotas};
	}
	in->products = pr;
	in->nproducts = p->nproducts;
	in->has_freq = 1;
	in->freq = p->freq;
	return ZL_OK;
}

void zl_sc_http_caller(const struct zl_req *req, const struct zl_plan_actor *who,
		       struct zl_sc_caller *c)
{
	c->path = req->principal.org_path;
	c->planner = (req->principal.perms & ZL_PERMBIT(ZL_PERM_SPOTCHECK_PLAN)) != 0;
	c->approver = (req->principal.perms & ZL_PERMBIT(ZL_PERM_SPOTCHECK_APPROVE)) != 0;
	c->user = who->user;
}
