/*
 * inspection_in.c - a lifecycle step read from request JSON
 * (http/inspection_http.h): the event, its date and the documents it
 * carries, each member checked for its form with the member path in
 * refusals; whether the event may happen is the machine's question.
 */
#include <string.h>

#include "http/inspection_http.h"
#include "http/json_in.h"
#include "http/plan_http.h"

static int oom(struct zl_error *err)
{
	return zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
}

/* No control character: the samplers are stored one per line. */
static int plain(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 0;
	return 1;
}

static int verdict_of(const cJSON *v, const char *f, enum zl_insp_verdict *out,
		      struct zl_error *err)
{
	if (!cJSON_IsString(v) || (strcmp(v->valuestring, "pass") != 0 &&
				   strcmp(v->valuestring, "fail") != 0))
		return zl_error_set(err, ZL_EUNPROC, f, "%s is pass or fail", f);
	*out = strcmp(v->valuestring, "pass") == 0 ? ZL_INSP_PASS : ZL_INSP_FAIL;
	return ZL_OK;
}

static int parse_sampling(struct zl_req *req, const cJSON *body, struct zl_insp_step *st,
			  struct zl_error *err)
{
	static const char *const allowed[] = {"place",	   "batch",	 "production_date",
					      "spec",	   "trademark",	 "sample_qty",
					      "backup_qty", "backup_sealed", "seal_no",
					      NULL};
	const cJSON *o = cJSON_GetObjectItemCaseSensitive(body, "sampling");
	struct zl_insp_sampling *s;
	int64_t v = 0;
	int rc, sealed = 0;

	if (o == NULL || cJSON_IsNull(o))
		return ZL_OK;
	if ((s = zl_arena_calloc(req->arena, 1, sizeof(*s))) == NULL)
		return oom(err);
	if ((rc = zl_jin_only(req, o, "sampling", allowed, err)) ||
	    (rc = zl_jin_str(req, o, "sampling", "place", 0, 16, &s->place, err)) ||
	    (rc = zl_jin_str(req, o, "sampling", "batch", 0, ZL_INSP_TEXT_MAX, &s->batch, err)) ||
	    (rc = zl_jin_str(req, o, "sampling", "production_date", 0, 10, &s->production_date,
			     err)) ||
	    (rc = zl_jin_str(req, o, "sampling", "spec", 0, ZL_INSP_TEXT_MAX, &s->spec, err)) ||
	    (rc = zl_jin_str(req, o, "sampling", "trademark", 0, ZL_INSP_TEXT_MAX, &s->trademark,
			     err)) ||
	    (rc = zl_jin_str(req, o, "sampling", "seal_no", 0, ZL_INSP_TEXT_MAX, &s->seal_no,
			     err)))
		return rc;
	if ((rc = zl_json_get_int(o, "sample_qty", 0, 0, 1000000, &v, err)))
		return zl_jin_relabel(err, rc, "sampling.sample_qty", "sample_qty");
	s->sample_qty = (int)v;
	v = 0;
	if ((rc = zl_json_get_int(o, "backup_qty", 0, 0, 1000000, &v, err)))
		return zl_jin_relabel(err, rc, "sampling.backup_qty", "backup_qty");
	s->backup_qty = (int)v;
	if ((rc = zl_json_get_bool(o, "backup_sealed", 0, &sealed, err)))
		return zl_jin_relabel(err, rc, "sampling.backup_sealed", "backup_sealed");
	s->backup_sealed = sealed;
	st->ev.sampling = s;
	return ZL_OK;
}

static int parse_items(struct zl_req *req, const cJSON *body, struct zl_insp_step *st,
		       struct zl_error *err)
{
	static const char *const allowed[] = {"name", "measured", "limit", "unit", "verdict", NULL};
	struct zl_insp_item *v;
	const cJSON *arr, *o, *verdict;
	size_t n = 0, i = 0;
	int rc = zl_jin_array(req, body, "", "items", ZL_INSP_ITEMS_MAX, &arr, &n, err);

	if (rc != ZL_OK || arr == NULL)
		return rc;
	if ((v = zl_arena_calloc(req->arena, n + 1, sizeof(*v))) == NULL)
		return oom(err);
	cJSON_ArrayForEach(o, arr)
	{
		const char *p = zl_jin_at_i(req, "", "items", i);
		struct zl_insp_item *x = &v[i++];

		if ((rc = zl_jin_only(req, o, p, allowed, err)) ||
		    (rc = zl_jin_str(req, o, p, "name", 0, ZL_INSP_TEXT_MAX, &x->name, err)) ||
		    (rc = zl_jin_str(req, o, p, "measured", 0, ZL_INSP_TEXT_MAX, &x->measured,
				     err)) ||
		    (rc = zl_jin_str(req, o, p, "limit", 0, ZL_INSP_TEXT_MAX, &x->limit, err)) ||
		    (rc = zl_jin_str(req, o, p, "unit", 0, 20, &x->unit, err)))
			return rc;
		verdict = cJSON_GetObjectItemCaseSensitive(o, "verdict");
		if (verdict != NULL && !cJSON_IsNull(verdict) &&
		    (rc = verdict_of(verdict, zl_jin_at(req, p, "verdict"), &x->verdict, err)))
			return rc;
	}
	st->ev.items = v;
	st->ev.nitems = n;
	return ZL_OK;
}

/* "contested", and per contested item "verdicts" and "measured" when given. */
static int parse_contested(struct zl_req *req, const cJSON *body, struct zl_insp_step *st,
			   struct zl_error *err)
{
	const cJSON *arr, *o;
	size_t n = 0, m = 0, i = 0;
	size_t *c;
	int rc = zl_jin_array(req, body, "", "contested", ZL_INSP_ITEMS_MAX, &arr, &n, err);

	if (rc != ZL_OK || arr == NULL)
		return rc;
	if ((c = zl_arena_calloc(req->arena, n + 1, sizeof(*c))) == NULL)
		return oom(err);
	cJSON_ArrayForEach(o, arr)
	{
		const char *f = zl_jin_at_i(req, "", "contested", i);

		if (!cJSON_IsNumber(o) || o->valuedouble < 0 || o->valuedouble >= ZL_INSP_ITEMS_MAX ||
		    o->valuedouble != (double)(int)o->valuedouble)
			return zl_error_set(err, ZL_EUNPROC, f,
					    "%s is an item number of the report, from 0", f);
		c[i++] = (size_t)o->valuedouble;
	}
	st->ev.contested = c;
	st->ev.ncontested = n;
	if ((rc = zl_jin_array(req, body, "", "verdicts", ZL_INSP_ITEMS_MAX, &arr, &m, err)))
		return rc;
	if (arr != NULL) {
		enum zl_insp_verdict *v;

		if (m != n)
			return zl_error_set(err, ZL_EUNPROC, "verdicts",
					    "verdicts: one per contested item");
		if ((v = zl_arena_calloc(req->arena, n + 1, sizeof(*v))) == NULL)
			return oom(err);
		i = 0;
		cJSON_ArrayForEach(o, arr)
		{
			if ((rc = verdict_of(o, zl_jin_at_i(req, "", "verdicts", i), &v[i], err)))
				return rc;
			i++;
		}
		st->ev.verdicts = v;
	}
	if ((rc = zl_plan_http_strings(req, body, "", "measured", ZL_INSP_ITEMS_MAX,
				       ZL_INSP_TEXT_MAX, &st->retest_measured, &m, err)))
		return rc;
	if (st->retest_measured != NULL && m != n)
		return zl_error_set(err, ZL_EUNPROC, "measured", "measured: one per contested item");
	return ZL_OK;
}

int zl_insp_http_parse_event(struct zl_req *req, const cJSON *body, struct zl_insp_step *st,
			     struct zl_error *err)
{
	static const char *const allowed[] = {
		"event",    "date",	"version",   "samplers", "sampling", "doc_no",
		"items",    "conclusion", "contested", "verdicts", "measured", "received_on",
		"until",    "days",	"reason",    NULL};
	const char *event = NULL, *conclusion = NULL;
	int64_t v = 0;
	int rc;

	memset(st, 0, sizeof(*st));
	if ((rc = zl_jin_only(req, body, "", allowed, err)) ||
	    (rc = zl_json_get_string(body, "event", 1, 32, &event, err)) ||
	    (rc = zl_json_get_string(body, "date", 1, 10, &st->ev.date, err)) ||
	    (rc = zl_json_get_string(body, "doc_no", 0, ZL_INSP_TEXT_MAX, &st->ev.doc_no, err)) ||
	    (rc = zl_json_get_string(body, "reason", 0, ZL_INSP_REASON_MAX, &st->ev.reason, err)) ||
	    (rc = zl_json_get_string(body, "received_on", 0, 10, &st->ev.received_on, err)) ||
	    (rc = zl_json_get_string(body, "until", 0, 10, &st->ev.until, err)) ||
	    (rc = zl_json_get_string(body, "conclusion", 0, 8, &conclusion, err)))
		return rc;
	if (zl_insp_event_parse(event, &st->ev.event) != ZL_OK)
		return zl_error_set(err, ZL_EUNPROC, "event",
				    "event: no lifecycle event %.40s (GET "
				    "/api/v1/public/spotcheck-lifecycle lists them)",
				    event);
	if ((rc = zl_json_get_int(body, "version", 0, 1, INT32_MAX, &v, err)))
		return rc;
	st->expect_version = (int)v;
	v = 0;
	if ((rc = zl_json_get_int(body, "days", 0, 1, 366, &v, err)))
		return rc;
	st->ev.days = (int)v;
	if (conclusion != NULL) {
		const cJSON *c = cJSON_GetObjectItemCaseSensitive(body, "conclusion");

		if ((rc = verdict_of(c, "conclusion", &st->ev.conclusion, err)))
			return rc;
	}
	if ((rc = zl_plan_http_strings(req, body, "", "samplers", ZL_INSP_SAMPLERS_MAX,
				       ZL_INSP_TEXT_MAX, &st->ev.samplers, &st->ev.nsamplers, err)))
		return rc;
	for (size_t i = 0; i < st->ev.nsamplers; i++)
		if (!plain(st->ev.samplers[i])) {
			const char *f = zl_jin_at_i(req, "", "samplers", i);

			return zl_error_set(err, ZL_EUNPROC, f, "%s: a name, on one line", f);
		}
	if ((rc = parse_sampling(req, body, st, err)) || (rc = parse_items(req, body, st, err)) ||
	    (rc = parse_contested(req, body, st, err)))
		return rc;
	return ZL_OK;
}
