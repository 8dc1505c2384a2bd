/*
 * plan_http.c - the plan ledger's shared HTTP pieces (plan_http.h): the
 * actor, loading what the caller may see, JSON out, and the neutral plan
 * input read from request JSON.  Every string of the input points into the
 * parsed request (cJSON) or req->arena, both alive for the request.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/timeutil.h"
#include "http/credit.h"
#include "http/json_in.h"
#include "http/list.h"
#include "http/plan_http.h"

#define JSON_TEXT_MAX (256u << 10)

static int given(const char *s)
{
	return s != NULL && *s != '\0';
}

static const char *nul(const char *s)
{
	return given(s) ? s : NULL;
}

void zl_plan_http_actor(struct zl_req *req, struct zl_plan_actor *who, char today[16])
{
	const struct zl_principal *p = &req->principal;
	char *user = zl_arena_printf(req->arena, "%s%s",
				     p->kind == ZL_PRINCIPAL_TOKEN ? "token:" : "", p->name);

	zl_http_credit_today(today);
	memset(who, 0, sizeof(*who));
	who->user = user != NULL ? user : "unknown";
	who->org = p->org;
	who->org_path = p->org_path;
	who->today = today;
	who->now = NULL;
}

int zl_plan_http_id(struct zl_req *req, const char *what, int64_t *id, struct zl_error *err)
{
	const char *s = zl_req_param(req, "id");
	char *end = NULL;
	long long v = 0;

	*id = 0;
	if (s != NULL && *s >= '1' && *s <= '9')
		v = strtoll(s, &end, 10);
	if (v <= 0 || end == NULL || *end != '\0' || v > ZL_JSON_INT_MAX)
		return zl_error_set(err, ZL_ENOTFOUND, "id", "no %s %.40s", what, s ? s : "");
	*id = v;
	return ZL_OK;
}

int zl_plan_http_start(struct zl_req *req, const char *what, struct zl_plan_actor *who,
		       char today[16], int64_t *id, struct zl_error *err)
{
	zl_plan_http_actor(req, who, today);
	return zl_plan_http_id(req, what, id, err);
}

int zl_plan_http_open(struct zl_req *req, int write, struct zl_db **db, struct zl_error *err)
{
	*db = zl_req_db(req, err);
	if (*db == NULL)
		return ZL_EUNAVAIL;
	return write ? zl_db_begin(*db, err) : zl_db_begin_read(*db, err);
}

int zl_plan_http_finish(struct zl_db *db, int rc, struct zl_error *err)
{
	if (rc != ZL_OK) {
		zl_db_rollback(db);
		return rc;
	}
	return zl_db_commit(db, err);
}

int zl_plan_http_plan(struct zl_req *req, struct zl_db *db, int64_t id, struct zl_plan_info *p,
		      struct zl_error *err)
{
	int visible = 0;
	int rc = zl_store_plan_get(db, id, p, err);

	if (rc == ZL_OK)
		rc = zl_store_plan_visible(db, p, req->principal.org_path, &visible, err);
	if (rc == ZL_OK && !visible)
		rc = zl_error_set(err, ZL_ENOTFOUND, "id", "no plan %" PRId64, id);
	return rc;
}

int zl_plan_http_task(struct zl_req *req, struct zl_db *db, int64_t id, const char *today,
		      struct zl_plan_task_set *set, struct zl_plan_info *p, struct zl_error *err)
{
	int rc = zl_store_plan_task_get(db, id, today, set, err);

	if (rc == ZL_OK) {
		rc = zl_plan_http_plan(req, db, set->tasks[0].plan_id, p, err);
		if (rc == ZL_ENOTFOUND)
			rc = zl_error_set(err, ZL_ENOTFOUND, "id", "no task %" PRId64, id);
	}
	return rc;
}

const struct zl_plan_access_owner *zl_plan_http_owners(struct zl_req *req,
						       const struct zl_plan_task_row *t)
{
	struct zl_plan_access_owner *o =
		t->nowners ? zl_arena_calloc(req->arena, t->nowners, sizeof(*o)) : NULL;

	for (size_t i = 0; o != NULL && i < t->nowners; i++) {
		o[i].org_path = t->owners[i].org_path;
		o[i].lead = strcmp(t->owners[i].role, "lead") == 0;
	}
	return o;
}

/* ---- tallies per organization ---------------------------------------------------- */

struct gather {
	struct zl_req *req;
	struct zl_db *db;
	const char *today;
	zl_plan_tally_visit_fn *visit;
	void *cls;
	struct zl_plan_tallies *x;
	struct zl_error *err;
};

static struct zl_plan_tally *tally_of(struct gather *g, const char *org, const char *name)
{
	struct zl_plan_tallies *x = g->x;

	for (size_t i = 0; i < x->n; i++)
		if (strcmp(x->v[i].org, org) == 0)
			return &x->v[i];
	if (x->n == x->cap) {
		size_t cap = x->cap ? 2 * x->cap : 32;
		struct zl_plan_tally *v = zl_arena_calloc(g->req->arena, cap, sizeof(*v));

		if (v == NULL)
			return NULL;
		if (x->n)
			memcpy(v, x->v, x->n * sizeof(*v));
		x->v = v;
		x->cap = cap;
	}
	memset(&x->v[x->n], 0, sizeof(x->v[0]));
	x->v[x->n].org = zl_arena_strdup(g->req->arena, org);
	x->v[x->n].org_name = zl_arena_strdup(g->req->arena, name ? name : "");
	if (x->v[x->n].org == NULL || x->v[x->n].org_name == NULL)
		return NULL;
	return &x->v[x->n++];
}

static void tally_task(struct zl_plan_tally *y, const struct zl_plan_task_row *t, const char *today)
{
	zl_plan_tally_task(y, t->deadline, t->completed_on, t->light.light, t->progress, today);
}

static int owner_counts(const struct zl_plan_owner *o)
{
	return given(o->org) && (strcmp(o->role, "lead") == 0 || strcmp(o->role, "shared") == 0);
}

static int tally_local(void *cls, const struct zl_plan_info *p)
{
	struct gather *g = cls;
	struct zl_plan_task_filter f = {.plan_id = p->id};
	struct zl_plan_task_set set;
	struct zl_plan_tally *y = tally_of(g, p->org, p->org_name);
	int rc;

	if (y == NULL)
		return zl_error_set(g->err, ZL_ENOMEM, NULL, "out of memory");
	y->plan_id = p->id;
	zl_plan_task_set_init(&set);
	rc = zl_store_plan_tasks(g->db, &f, g->today, &set, g->err);
	for (size_t i = 0; rc == ZL_OK && i < set.n; i++) {
		tally_task(y, &set.tasks[i], g->today);
		if (g->visit)
			rc = g->visit(g->cls, &set.tasks[i], y);
	}
	zl_plan_task_set_release(&set);
	return rc;
}

static int cmp_tally(const void *a, const void *b)
{
	return strcmp(((const struct zl_plan_tally *)a)->org,
		      ((const struct zl_plan_tally *)b)->org);
}

int zl_plan_http_tallies(struct zl_req *req, struct zl_db *db, int64_t plan_id, int local,
			 const char *today, zl_plan_tally_visit_fn *visit, void *cls,
			 struct zl_plan_tallies *out, struct zl_error *err)
{
	struct gather g = {req, db, today, visit, cls, out, err};
	struct zl_plan_task_filter f = {.plan_id = plan_id};
	struct zl_plan_task_set set;
	int rc;

	memset(out, 0, sizeof(*out));
	if (local) {
		rc = zl_store_plan_children(db, plan_id, tally_local, &g, err);
		goto sort;
	}
	zl_plan_task_set_init(&set);
	rc = zl_store_plan_tasks(db, &f, today, &set, err);
	for (size_t i = 0; rc == ZL_OK && i < set.n; i++) {
		const struct zl_plan_task_row *t = &set.tasks[i];

		if (visit)
			rc = visit(cls, t, NULL);
		for (size_t k = 0; rc == ZL_OK && k < t->nowners; k++) {
			const struct zl_plan_owner *o = &t->owners[k];
			struct zl_plan_tally *y;
			int seen = 0;

			if (!owner_counts(o))
				continue;
			/* Each task once per organization. */
			for (size_t j = 0; j < k && !seen; j++)
				seen = owner_counts(&t->owners[j]) &&
				       strcmp(t->owners[j].org, o->org) == 0;
			if (seen)
				continue;
			if ((y = tally_of(&g, o->org, o->org_name)) == NULL)
				rc = zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
			else
				tally_task(y, t, today);
		}
	}
	zl_plan_task_set_release(&set);
sort:
	if (rc == ZL_OK && out->n > 1)
		qsort(out->v, out->n, sizeof(*out->v), cmp_tally);
	return rc;
}

/* ---- JSON out ------------------------------------------------------------------ */

static void reasons_array(struct zl_jw *w, unsigned reasons)
{
	zl_jw_arr_begin(w);
	for (unsigned i = 0; i < ZL_LIGHT_REASONS; i++)
		if (reasons & (1u << i))
			zl_jw_str(w, zl_light_reason_name(i));
	zl_jw_arr_end(w);
}

void zl_plan_http_flags(struct zl_jw *w, const char *flags)
{
	const char *p = flags ? flags : "";

	zl_jw_arr_begin(w);
	while (*p) {
		const char *comma = strchr(p, ',');
		size_t n = comma ? (size_t)(comma - p) : strlen(p);

		if (n > 0)
			zl_jw_strn(w, p, n);
		p += n + (comma != NULL);
	}
	zl_jw_arr_end(w);
}

void zl_plan_http_names_json(struct zl_jw *w, const struct zl_plan_task_row *t, int lead)
{
	zl_jw_arr_begin(w);
	for (size_t i = 0; i < t->nowners; i++) {
		const struct zl_plan_owner *o = &t->owners[i];

		if (strcmp(o->role, "unnamed") == 0 || !given(o->name))
			continue;
		if ((strcmp(o->role, "lead") == 0) == !!lead)
			zl_jw_str(w, o->name);
	}
	zl_jw_arr_end(w);
}

void zl_plan_http_owner_json(struct zl_jw *w, const struct zl_plan_owner *o)
{
	zl_jw_obj_begin(w);
	zl_jw_kstr(w, "name", o->name);
	zl_jw_kstr(w, "org", nul(o->org));
	zl_jw_kstr(w, "org_name", nul(o->org_name));
	zl_jw_kstr(w, "role", o->role);
	zl_jw_kbool(w, "resolved", given(o->org));
	if (!given(o->org) && strcmp(o->role, "unnamed") != 0)
		zl_jw_kint(w, "candidates", o->candidates);
	zl_jw_key(w, "attribution");
	if (o->attribution >= 0)
		zl_jw_int(w, o->attribution);
	else
		zl_jw_null(w);
	zl_jw_kstr(w, "source", o->source);
	zl_jw_key(w, "flags");
	zl_plan_http_flags(w, o->flags);
	zl_jw_obj_end(w);
}

void zl_plan_http_task_members(struct zl_jw *w, const struct zl_plan_task_row *t)
{
	const struct zl_light_result *l = &t->light;

	zl_jw_kint(w, "id", t->id);
	zl_jw_kint(w, "plan_id", t->plan_id);
	zl_jw_kstr(w, "number", t->number);
	zl_jw_kstr(w, "title", t->title);
	zl_jw_kstr(w, "start", nul(t->start));
	zl_jw_kstr(w, "deadline", nul(t->deadline));
	zl_jw_kstr(w, "completed_on", nul(t->completed_on));
	zl_jw_key(w, "progress");
	if (t->progress >= 0)
		zl_jw_int(w, t->progress);
	else
		zl_jw_null(w);
	zl_jw_kstr(w, "last_report", nul(t->last_report));
	zl_jw_kstr(w, "light", zl_light_name(l->light));
	zl_jw_key(w, "reasons");
	reasons_array(w, l->reasons);
	zl_jw_key(w, "expected");
	if (l->expected >= 0)
		zl_jw_int(w, l->expected);
	else
		zl_jw_null(w);
	zl_jw_key(w, "days_left");
	if (l->days_left != INT64_MIN)
		zl_jw_int(w, l->days_left);
	else
		zl_jw_null(w);
	zl_plan_http_owner_members(w, t);
}

void zl_plan_http_owner_members(struct zl_jw *w, const struct zl_plan_task_row *t)
{
	zl_jw_key(w, "lead");
	zl_plan_http_names_json(w, t, 1);
	zl_jw_key(w, "co");
	zl_plan_http_names_json(w, t, 0);
	zl_jw_key(w, "owners");
	zl_jw_arr_begin(w);
	for (size_t i = 0; i < t->nowners; i++)
		zl_plan_http_owner_json(w, &t->owners[i]);
	zl_jw_arr_end(w);
}

const char *zl_plan_http_names(struct zl_req *req, const struct zl_plan_task_row *t, int lead)
{
	struct zl_buf b = ZL_BUF_INIT(64 << 10);
	const char *out = NULL;

	for (size_t i = 0; i < t->nowners; i++) {
		const struct zl_plan_owner *o = &t->owners[i];

		if (strcmp(o->role, "unnamed") == 0 || !given(o->name) ||
		    (strcmp(o->role, "lead") == 0) != !!lead)
			continue;
		if (b.len)
			zl_buf_adds(&b, "、");
		zl_buf_adds(&b, o->name);
	}
	if (!b.err && b.len)
		out = zl_arena_strdup(req->arena, zl_buf_str(&b));
	zl_buf_release(&b);
	return out;
}

const char *zl_plan_http_reasons(struct zl_req *req, unsigned reasons)
{
	struct zl_buf b = ZL_BUF_INIT(1024);
	const char *out = NULL;

	for (unsigned i = 0; i < ZL_LIGHT_REASONS; i++) {
		if (!(reasons & (1u << i)))
			continue;
		if (b.len)
			zl_buf_addch(&b, ',');
		zl_buf_adds(&b, zl_light_reason_name(i));
	}
	if (!b.err && b.len)
		out = zl_arena_strdup(req->arena, zl_buf_str(&b));
	zl_buf_release(&b);
	return out;
}

void zl_plan_http_report_members(struct zl_jw *w, const struct zl_plan_report *r, int files)
{
	zl_jw_kint(w, "id", r->id);
	zl_jw_kint(w, "task_id", r->task_id);
	zl_jw_kint(w, "plan_id", r->plan_id);
	zl_jw_kstr(w, "org", r->org);
	zl_jw_kstr(w, "org_name", nul(r->org_name));
	zl_jw_kstr(w, "author", r->author);
	zl_jw_kstr(w, "report_on", r->report_on);
	zl_jw_kstr(w, "created_at", r->created_at);
	zl_jw_kstr(w, "text", r->text);
	zl_jw_kint(w, "progress", r->progress);
	zl_jw_kstr(w, "status", r->status);
	zl_jw_kstr(w, "decided_by", nul(r->decided_by));
	zl_jw_kstr(w, "decided_at", nul(r->decided_at));
	zl_jw_kstr(w, "decision_note", nul(r->decision_note));
	if (files)
		zl_jw_kint(w, "files", r->attachments);
}

void zl_plan_http_attachment_json(struct zl_jw *w, const struct zl_plan_attachment *a)
{
	zl_jw_obj_begin(w);
	zl_jw_kint(w, "id", a->id);
	zl_jw_kint(w, "report_id", a->report_id);
	zl_jw_kstr(w, "name", a->name);
	zl_jw_kstr(w, "type", a->media_type);
	zl_jw_kint(w, "size", a->size);
	zl_jw_kstr(w, "sha256", a->sha256);
	zl_jw_kstr(w, "created_by", a->created_by);
	zl_jw_kstr(w, "created_at", a->created_at);
	zl_jw_obj_end(w);
}

const char *zl_plan_http_json_text(struct zl_req *req, void (*fn)(struct zl_jw *w, const void *arg),
				   const void *arg)
{
	struct zl_buf b;
	struct zl_jw w;
	const char *s = NULL;

	zl_buf_init(&b, JSON_TEXT_MAX);
	zl_jw_init(&w, &b);
	fn(&w, arg);
	if (zl_jw_error(&w) == ZL_OK)
		s = zl_arena_strdup(req->arena, zl_buf_str(&b));
	zl_buf_release(&b);
	return s;
}

/* ---- JSON in -------------------------------------------------------------------- */

int zl_plan_http_strings(struct zl_req *req, const cJSON *obj, const char *path, const char *name,
			 size_t max, size_t max_chars, const char *const **out, size_t *n,
			 struct zl_error *err)
{
	const cJSON *arr, *v;
	const char **s;
	size_t i = 0;
	int rc = zl_jin_array(req, obj, path, name, max, &arr, n, err);

	*out = NULL;
	if (rc != ZL_OK || arr == NULL || *n == 0)
		return rc;
	s = zl_arena_calloc(req->arena, *n, sizeof(*s));
	if (s == NULL)
		return zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
	cJSON_ArrayForEach(v, arr)
	{
		const char *f = zl_jin_at_i(req, path, name, i);

		if (!cJSON_IsString(v) || v->valuestring[0] == '\0')
			return zl_error_set(err, ZL_EUNPROC, f, "%s must be a non-empty string", f);
		if (zl_plan_chars(v->valuestring) > max_chars)
			return zl_error_set(err, ZL_EUNPROC, f, "%s: at most %zu characters", f,
					    max_chars);
		s[i++] = v->valuestring;
	}
	*out = s;
	return ZL_OK;
}

static int parse_attr(struct zl_req *req, const cJSON *obj, const char *path,
		      struct zl_plan_attr_in *a, struct zl_error *err)
{
	static const char *const allowed[] = {"departments", "lead",  "mode", "lead_basis",
					      "open_ended",  "flags", NULL};
	const cJSON *open;
	int rc;

	memset(a, 0, sizeof(*a));
	if ((rc = zl_jin_only(req, obj, path, allowed, err)) ||
	    (rc = zl_plan_http_strings(req, obj, path, "departments", ZL_PLAN_OWNERS_MAX,
				       ZL_PLAN_NAME_MAX, &a->departments, &a->ndepartments, err)) ||
	    (rc = zl_jin_str(req, obj, path, "lead", 0, ZL_PLAN_NAME_MAX, &a->lead, err)) ||
	    (rc = zl_jin_str(req, obj, path, "mode", 1, 16, &a->mode, err)) ||
	    (rc = zl_jin_str(req, obj, path, "lead_basis", 0, 16, &a->lead_basis, err)) ||
	    (rc = zl_plan_http_strings(req, obj, path, "flags", 16, 32, &a->flags, &a->nflags,
				       err)))
		return rc;
	open = cJSON_GetObjectItemCaseSensitive(obj, "open_ended");
	if (open != NULL && !cJSON_IsNull(open)) {
		if (!cJSON_IsBool(open))
			return zl_error_set(err, ZL_EUNPROC, zl_jin_at(req, path, "open_ended"),
					    "%s must be true or false",
					    zl_jin_at(req, path, "open_ended"));
		a->open_ended = cJSON_IsTrue(open);
	}
	return ZL_OK;
}

int zl_plan_http_parse_owners(struct zl_req *req, const cJSON *obj, const char *path,
			      const struct zl_plan_owner_in **out, size_t *n, int *present,
			      struct zl_error *err)
{
	static const char *const allowed[] = {"name", "org", "role", "flags", NULL};
	struct zl_plan_owner_in *o;
	const cJSON *arr, *v;
	size_t i = 0;
	int rc = zl_jin_array(req, obj, path, "owners", ZL_PLAN_OWNERS_MAX, &arr, n, err);

	*out = NULL;
	*present = arr != NULL;
	if (rc != ZL_OK || arr == NULL || *n == 0)
		return rc;
	o = zl_arena_calloc(req->arena, *n, sizeof(*o));
	if (o == NULL)
		return zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
	cJSON_ArrayForEach(v, arr)
	{
		const char *p = zl_jin_at_i(req, path, "owners", i);

		if ((rc = zl_jin_only(req, v, p, allowed, err)) ||
		    (rc = zl_jin_str(req, v, p, "name", 0, ZL_PLAN_NAME_MAX, &o[i].name, err)) ||
		    (rc = zl_jin_str(req, v, p, "org", 0, ZL_ORG_CODE_MAX - 1, &o[i].org, err)) ||
		    (rc = zl_jin_str(req, v, p, "role", 1, 16, &o[i].role, err)) ||
		    (rc = zl_jin_str(req, v, p, "flags", 0, 200, &o[i].flags, err)))
			return rc;
		i++;
	}
	*out = o;
	return ZL_OK;
}

int zl_plan_http_parse_milestones(struct zl_req *req, const cJSON *obj, const char *path, int ids,
				  const struct zl_plan_milestone_in **out, size_t *n, int *present,
				  struct zl_error *err)
{
	static const char *const with_id[] = {"id", "title", "due", "done_on", NULL};
	static const char *const new_only[] = {"title", "due", "done_on", NULL};
	struct zl_plan_milestone_in *m;
	const cJSON *arr, *v;
	size_t i = 0;
	int rc = zl_jin_array(req, obj, path, "milestones", ZL_PLAN_ITEMS_MAX, &arr, n, err);

	*out = NULL;
	*present = arr != NULL;
	if (rc != ZL_OK || arr == NULL || *n == 0)
		return rc;
	m = zl_arena_calloc(req->arena, *n, sizeof(*m));
	if (m == NULL)
		return zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
	cJSON_ArrayForEach(v, arr)
	{
		const char *p = zl_jin_at_i(req, path, "milestones", i);

		if ((rc = zl_jin_only(req, v, p, ids ? with_id : new_only, err)) ||
		    (rc = zl_jin_relabel(
			     err, zl_json_get_int(v, "id", 0, 1, ZL_JSON_INT_MAX, &m[i].id, err),
			     zl_jin_at(req, p, "id"), "id")) ||
		    (rc = zl_jin_str(req, v, p, "title", 1, ZL_PLAN_TITLE_MAX, &m[i].title, err)) ||
		    (rc = zl_jin_str(req, v, p, "due", 1, 10, &m[i].due, err)) ||
		    (rc = zl_jin_str(req, v, p, "done_on", 0, 10, &m[i].done_on, err)))
			return rc;
		i++;
	}
	*out = m;
	return ZL_OK;
}

int zl_plan_http_parse_indicators(struct zl_req *req, const cJSON *obj, const char *path, int ids,
				  const struct zl_plan_indicator_in **out, size_t *n, int *present,
				  struct zl_error *err)
{
	static const char *const with_id[] = {"id",	"name",	    "unit", "direction",
					      "target", "baseline", NULL};
	static const char *const new_only[] = {"name",	 "unit",     "direction",
					       "target", "baseline", NULL};
	struct zl_plan_indicator_in *x;
	const cJSON *arr, *v;
	size_t i = 0;
	int rc = zl_jin_array(req, obj, path, "indicators", ZL_PLAN_ITEMS_MAX, &arr, n, err);
	int has;

	*out = NULL;
	*present = arr != NULL;
	if (rc != ZL_OK || arr == NULL || *n == 0)
		return rc;
	x = zl_arena_calloc(req->arena, *n, sizeof(*x));
	if (x == NULL)
		return zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
	cJSON_ArrayForEach(v, arr)
	{
		const char *p = zl_jin_at_i(req, path, "indicators", i);

		if ((rc = zl_jin_only(req, v, p, ids ? with_id : new_only, err)) ||
		    (rc = zl_jin_relabel(
			     err, zl_json_get_int(v, "id", 0, 1, ZL_JSON_INT_MAX, &x[i].id, err),
			     zl_jin_at(req, p, "id"), "id")) ||
		    (rc = zl_jin_str(req, v, p, "name", 1, ZL_PLAN_NAME_MAX, &x[i].name, err)) ||
		    (rc = zl_jin_str(req, v, p, "unit", 0, 16, &x[i].unit, err)) ||
		    (rc = zl_jin_str(req, v, p, "direction", 0, 16, &x[i].direction, err)) ||
		    (rc = zl_jin_number(req, v, p, "target", 1, &x[i].target, &has, err)) ||
		    (rc = zl_jin_number(req, v, p, "baseline", 0, &x[i].baseline,
					&x[i].has_baseline, err)))
			return rc;
		i++;
	}
	*out = x;
	return ZL_OK;
}

int zl_plan_http_parse_task(struct zl_req *req, const cJSON *obj, const char *path,
			    struct zl_plan_task_in *t, struct zl_error *err)
{
	static const char *const allowed[] = {"number", "section",    "title",	     "text",
					      "start",	"deadline",   "parent_task", "attributions",
					      "owners", "milestones", "indicators",  NULL};
	const cJSON *attrs, *v;
	struct zl_plan_attr_in *a = NULL;
	size_t i = 0;
	int present, rc;

	memset(t, 0, sizeof(*t));
	if ((rc = zl_jin_only(req, obj, path, allowed, err)) ||
	    (rc = zl_jin_str(req, obj, path, "number", 1, ZL_PLAN_NUMBER_MAX, &t->number, err)) ||
	    (rc = zl_jin_str(req, obj, path, "section", 0, ZL_PLAN_NUMBER_MAX, &t->section, err)) ||
	    (rc = zl_jin_str(req, obj, path, "title", 1, ZL_PLAN_TASK_TITLE_MAX, &t->title, err)) ||
	    (rc = zl_jin_str(req, obj, path, "text", 0, ZL_PLAN_TEXT_MAX, &t->text, err)) ||
	    (rc = zl_jin_str(req, obj, path, "start", 0, 10, &t->start, err)) ||
	    (rc = zl_jin_str(req, obj, path, "deadline", 0, 10, &t->deadline, err)) ||
	    (rc = zl_jin_relabel(err,
				 zl_json_get_int(obj, "parent_task", 0, 1, ZL_JSON_INT_MAX,
						 &t->parent_task, err),
				 zl_jin_at(req, path, "parent_task"), "parent_task")) ||
	    (rc = zl_jin_array(req, obj, path, "attributions", 16, &attrs, &t->nattrs, err)) ||
	    (rc = zl_plan_http_parse_owners(req, obj, path, &t->owners, &t->nowners, &present,
					    err)) ||
	    (rc = zl_plan_http_parse_milestones(req, obj, path, 0, &t->milestones, &t->nmilestones,
						&present, err)) ||
	    (rc = zl_plan_http_parse_indicators(req, obj, path, 0, &t->indicators, &t->nindicators,
						&present, err)))
		return rc;
	if (attrs != NULL && t->nattrs > 0) {
		a = zl_arena_calloc(req->arena, t->nattrs, sizeof(*a));
		if (a == NULL)
			return zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
		cJSON_ArrayForEach(v, attrs)
		{
			if ((rc = parse_attr(req, v, zl_jin_at_i(req, path, "attributions", i),
					     &a[i], err)))
				return rc;
			i++;
		}
		t->attrs = a;
	}
	return ZL_OK;
}

int zl_plan_http_parse_plan(struct zl_req *req, const cJSON *body, struct zl_plan_in *in,
			    struct zl_error *err)
{
	static const char *const allowed[] = {
		"title",       "issuer",	"date",	    "year",  "org", "lead_rule",
		"source_name", "source_sha256", "sections", "tasks", NULL};
	static const char *const section_fields[] = {"number", "title", NULL};
	struct zl_plan_section_in *sections = NULL;
	struct zl_plan_task_in *tasks = NULL;
	const cJSON *arr, *v;
	int64_t year = 0;
	size_t i = 0;
	int rc;

	memset(in, 0, sizeof(*in));
	if ((rc = zl_jin_only(req, body, "", allowed, err)) ||
	    (rc = zl_jin_str(req, body, "", "title", 1, ZL_PLAN_TITLE_MAX, &in->title, err)) ||
	    (rc = zl_jin_str(req, body, "", "issuer", 0, ZL_PLAN_ISSUER_MAX, &in->issuer, err)) ||
	    (rc = zl_jin_str(req, body, "", "date", 0, 10, &in->date, err)) ||
	    (rc = zl_json_get_int(body, "year", 0, 1949, 2100, &year, err)) ||
	    (rc = zl_jin_str(req, body, "", "org", 1, ZL_ORG_CODE_MAX - 1, &in->org, err)) ||
	    (rc = zl_jin_str(req, body, "", "lead_rule", 0, 16, &in->lead_rule, err)) ||
	    (rc = zl_jin_str(req, body, "", "source_name", 0, 200, &in->source_name, err)) ||
	    (rc = zl_jin_str(req, body, "", "source_sha256", 0, 64, &in->source_sha256, err)))
		return rc;
	in->year = (int)year;
	if ((rc = zl_jin_array(req, body, "", "sections", ZL_PLAN_SECTIONS_MAX, &arr,
			       &in->nsections, err)))
		return rc;
	if (arr != NULL && in->nsections > 0) {
		sections = zl_arena_calloc(req->arena, in->nsections, sizeof(*sections));
		if (sections == NULL)
			return zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
		cJSON_ArrayForEach(v, arr)
		{
			const char *p = zl_jin_at_i(req, "", "sections", i);

			if ((rc = zl_jin_only(req, v, p, section_fields, err)) ||
			    (rc = zl_jin_str(req, v, p, "number", 1, ZL_PLAN_NUMBER_MAX,
					     &sections[i].number, err)) ||
			    (rc = zl_jin_str(req, v, p, "title", 1, ZL_PLAN_TITLE_MAX,
					     &sections[i].title, err)))
				return rc;
			i++;
		}
		in->sections = sections;
	}
	if ((rc = zl_jin_array(req, body, "", "tasks", ZL_PLAN_TASKS_MAX, &arr, &in->ntasks, err)))
		return rc;
	if (arr != NULL && in->ntasks > 0) {
		tasks = zl_arena_calloc(req->arena, in->ntasks, sizeof(*tasks));
		if (tasks == NULL)
			return zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
		i = 0;
		cJSON_ArrayForEach(v, arr)
		{
			if ((rc = zl_plan_http_parse_task(req, v, zl_jin_at_i(req, "", "tasks", i),
							  &tasks[i], err)))
				return rc;
			i++;
		}
		in->tasks = tasks;
	}
	return ZL_OK;
}

/* ---- files ------------------------------------------------------------------------ */

int zl_plan_http_read_upload(struct zl_req *req, size_t max, void **data, size_t *n,
			     struct zl_error *err)
{
	size_t len = (size_t)req->upload_len, got = 0;
	unsigned char *p;
	int fd;

	*data = NULL;
	*n = 0;
	if (req->upload_path == NULL || req->upload_len == 0)
		return zl_error_set(err, ZL_EINVAL, "file", "the request body (the file) is empty");
	if (req->upload_len > max)
		return zl_error_set(err, ZL_ETOOBIG, "file", "a file may have at most %zu MiB",
				    max >> 20);
	p = malloc(len);
	if (p == NULL)
		return zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
	fd = open(req->upload_path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		free(p);
		return zl_error_set(err, ZL_EIO, "file", "cannot read the upload: %s",
				    strerror(errno));
	}
	while (got < len) {
		ssize_t r = read(fd, p + got, len - got);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	close(fd);
	if (got != len) {
		free(p);
		return zl_error_set(err, ZL_EIO, "file", "the upload is shorter than announced");
	}
	*data = p;
	*n = len;
	return ZL_OK;
}

const char *zl_plan_http_media_type(struct zl_req *req)
{
	const char *ct = zl_req_header(req, "Content-Type");
	const char *t;

	if (ct == NULL || *ct == '\0')
		return "application/octet-stream";
	t = zl_arena_strndup(req->arena, ct, strcspn(ct, "; \t"));
	return t ? t : "application/octet-stream";
}

int zl_plan_http_send_file(struct zl_req *req, struct zl_resp *resp, const char *name,
			   const char *media_type, const void *data, size_t n,
			   struct zl_error *err)
{
	const char *disposition = zl_http_disposition(req->arena, name);
	int rc;

	resp->status = 200;
	resp->content_type = zl_arena_strdup(req->arena, media_type);
	if (disposition == NULL || resp->content_type == NULL)
		return zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
	if ((rc = zl_buf_add(&resp->body, data, n)) ||
	    (rc = zl_resp_header(resp, "Content-Disposition", disposition)) ||
	    (rc = zl_resp_header(resp, "Cache-Control", "no-store")))
		return zl_error_set(err, rc, NULL, "cannot answer the file");
	return ZL_OK;
}
