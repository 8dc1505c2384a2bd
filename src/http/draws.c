/*
 * draws.c - the random draws of spot checks over HTTP (docs/spotchecks.md,
 * "Draws and inspections as a service"; store/draws.h):
 *   GET  /api/v1/draws                     draws of the plans the caller sees
 *   POST /api/v1/draws                     publish a draw of enterprises (commitment)
 *   GET  /api/v1/draws/{id}                a draw for the staff's draw page
 *   POST /api/v1/draws/{id}/draw           draw it with its stored seed
 *   POST /api/v1/draws/{id}/inspectors     publish the draw of inspectors for what it made
 *   GET  /api/v1/public/draws[/{id}[/verify]]  the portal: lists, records, their check
 *   GET|POST /api/v1/me/conflicts, DELETE /api/v1/me/conflicts/{uscc}
 *                                          an inspector's declared conflicts of interest
 * A draw is seen by whoever sees its plan (domain/spotcheck.h, zl_sc_visible)
 * and drawn by a planner who reaches the plan's organization or every region
 * it draws in (domain/inspection_access.h).  The seed comes from libsodium
 * and no route shows it before the draw.  Writes commit with their audit row.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "core/rand.h"
#include "domain/draw_record.h"
#include "domain/inspection_access.h"
#include "domain/spotcheck.h"
#include "http/audit_hook.h"
#include "http/handlers.h"
#include "http/list.h"
#include "http/plan_http.h"
#include "http/spotcheck_http.h"
#include "store/draws.h"
#include "store/orgs.h"
#include "store/spotcheck_plans.h"

static int given(const char *s)
{
	return s != NULL && *s != '\0';
}

static const char *nul(const char *s)
{
	return given(s) ? s : NULL;
}

static void caller_of(const struct zl_req *req, const struct zl_plan_actor *who,
		      struct zl_sc_caller *c)
{
	zl_sc_http_caller(req, who, c);
}

/* Plan `id` into `set` when the caller sees it; ZL_ENOTFOUND (as `what` `wid`) otherwise. */
static int visible_plan(struct zl_req *req, struct zl_db *db, int64_t id,
			const struct zl_plan_actor *who, struct zl_sc_plan_set *set,
			const char *what, int64_t wid, struct zl_error *err)
{
	struct zl_sc_plan_facts f;
	struct zl_sc_caller c;
	int rc = zl_store_sc_plan_get(db, id, set, err);

	caller_of(req, who, &c);
	if (rc == ZL_ENOTFOUND)
		return zl_error_set(err, ZL_ENOTFOUND, "id", "no %s %" PRId64, what, wid);
	if (rc != ZL_OK)
		return rc;
	zl_sc_plan_facts(&set->v[0], &f);
	if (!zl_sc_visible(&c, &f))
		return zl_error_set(err, ZL_ENOTFOUND, "id", "no %s %" PRId64, what, wid);
	return ZL_OK;
}

/* Draw `id` into `ds` and its plan into `ps`, when the caller sees the plan. */
static int load_draw(struct zl_req *req, struct zl_db *db, int64_t id,
		     const struct zl_plan_actor *who, struct zl_sc_draw_set *ds,
		     struct zl_sc_plan_set *ps, struct zl_error *err)
{
	int rc = zl_store_draw_get(db, id, ds, err);

	if (rc != ZL_OK)
		return rc;
	return visible_plan(req, db, ds->v[0].plan_id, who, ps, "draw", id, err);
}

/* May the caller draw in the strata of `d` (for an inspectors draw, those of its select draw)? */
static int may_draw(struct zl_req *req, struct zl_db *db, const struct zl_sc_draw *d,
		    const struct zl_sc_plan *p, struct zl_error *err)
{
	struct zl_sc_draw_set sel;
	const struct zl_sc_draw *s = d;
	const char **paths;
	int ok = 0, rc = ZL_OK;

	if (!(req->principal.perms & ZL_PERMBIT(ZL_PERM_SPOTCHECK_PLAN)))
		return 0;
	zl_sc_draw_set_init(&sel);
	if (d->of_draw > 0) {
		rc = zl_store_draw_get(db, d->of_draw, &sel, err);
		if (rc == ZL_OK)
			s = &sel.v[0];
	}
	paths = rc == ZL_OK ? zl_arena_calloc(req->arena, s->nstrata + 1, sizeof(*paths)) : NULL;
	if (paths != NULL) {
		for (size_t i = 0; i < s->nstrata; i++)
			paths[i] = s->strata[i].region_path;
		ok = zl_insp_draw_may(req->principal.org_path, p->org_path, paths, s->nstrata);
	}
	zl_sc_draw_set_release(&sel);
	return ok;
}

/* ---- JSON out ------------------------------------------------------------------------------- */

static void summary_members(struct zl_jw *w, const struct zl_sc_draw *d, int staff)
{
	zl_jw_kint(w, "id", d->id);
	zl_jw_kint(w, "plan_id", d->plan_id);
	zl_jw_kstr(w, "plan_title", d->plan_title);
	zl_jw_kstr(w, "product", d->product);
	zl_jw_kstr(w, "product_name", nul(d->product_name));
	zl_jw_kstr(w, "kind", d->kind);
	zl_jw_key(w, "of_draw");
	if (d->of_draw > 0)
		zl_jw_int(w, d->of_draw);
	else
		zl_jw_null(w);
	zl_jw_kstr(w, "label", d->label);
	zl_jw_kstr(w, "status", d->status);
	zl_jw_kint(w, "candidates", d->candidates);
	zl_jw_kint(w, "selected", d->selected);
	zl_jw_kstr(w, "input_commitment", d->input_commitment);
	zl_jw_kstr(w, "seed_commitment", d->seed_commitment);
	zl_jw_kstr(w, "not_before", nul(d->not_before));
	if (staff) {
		zl_jw_kstr(w, "org", nul(d->org));
		zl_jw_kstr(w, "published_by", d->published_by);
		zl_jw_kstr(w, "drawn_by", nul(d->drawn_by));
	}
	zl_jw_kstr(w, "published_at", d->published_at);
	zl_jw_kstr(w, "drawn_at", nul(d->drawn_at));
}

static void ids_json(struct zl_jw *w, const char *key, const int64_t *v, size_t n)
{
	zl_jw_key(w, key);
	zl_jw_arr_begin(w);
	for (size_t i = 0; i < n; i++)
		zl_jw_int(w, v[i]);
	zl_jw_arr_end(w);
}

/* The draw for the staff's page. */
static void draw_json(struct zl_req *req, struct zl_db *db, struct zl_jw *w,
		      const struct zl_sc_draw *d, const struct zl_sc_plan *p, struct zl_error *err)
{
	int drawer = may_draw(req, db, d, p, err);

	zl_jw_obj_begin(w);
	summary_members(w, d, 1);
	zl_jw_kstr(w, "seed", nul(d->seed));
	zl_jw_key(w, "strata");
	zl_jw_arr_begin(w);
	for (size_t i = 0; i < d->nstrata; i++) {
		const struct zl_draw_stratum_row *s = &d->strata[i];

		zl_jw_obj_begin(w);
		zl_jw_kstr(w, "region", s->region);
		zl_jw_kstr(w, "region_name", nul(s->region_name));
		zl_jw_kint(w, "plan_quota", s->plan_quota);
		zl_jw_kint(w, "earlier", s->earlier);
		zl_jw_kint(w, "candidates", s->candidates);
		zl_jw_kint(w, "quota", s->quota);
		zl_jw_obj_end(w);
	}
	zl_jw_arr_end(w);
	zl_jw_key(w, "pool");
	zl_jw_arr_begin(w);
	for (size_t i = 0; i < d->npool; i++) {
		zl_jw_obj_begin(w);
		zl_jw_kstr(w, "member", d->pool[i].member);
		zl_jw_kstr(w, "username", d->pool[i].username);
		zl_jw_obj_end(w);
	}
	zl_jw_arr_end(w);
	ids_json(w, "inspections", d->inspections, d->ninspections);
	ids_json(w, "inspector_draws", d->inspector_draws, d->ninspector_draws);
	zl_jw_key(w, "may");
	zl_jw_obj_begin(w);
	zl_jw_kbool(w, "draw", drawer && strcmp(d->status, "published") == 0 &&
				       p->status == ZL_SC_IN_PROGRESS);
	zl_jw_kbool(w, "inspectors", drawer && strcmp(d->kind, "select") == 0 &&
					     strcmp(d->status, "drawn") == 0 &&
					     p->status == ZL_SC_IN_PROGRESS);
	zl_jw_obj_end(w);
	zl_jw_key(w, "record");
	if (given(d->record))
		zl_jw_raw(w, d->record, strlen(d->record));
	else
		zl_jw_null(w);
	zl_jw_obj_end(w);
}

/* Answer `status` with draw `id` (read again after a write committed). */
static int answer_draw(struct zl_req *req, struct zl_resp *resp, struct zl_db *db, int status,
		       int64_t id, const struct zl_plan_actor *who, struct zl_error *err)
{
	struct zl_sc_draw_set ds;
	struct zl_sc_plan_set ps;
	struct zl_jw w;
	int rc;

	zl_sc_draw_set_init(&ds);
	zl_sc_plan_set_init(&ps);
	if ((rc = zl_db_begin_read(db, err)) != ZL_OK)
		goto out;
	rc = load_draw(req, db, id, who, &ds, &ps, err);
	if (rc == ZL_OK) {
		zl_resp_json(resp, status, &w);
		draw_json(req, db, &w, &ds.v[0], &ps.v[0], err);
		rc = zl_jw_error(&w);
	}
	zl_db_rollback(db);
out:
	zl_sc_draw_set_release(&ds);
	zl_sc_plan_set_release(&ps);
	return rc;
}

/* ---- the lists --------------------------------------------------------------------------- */

static const struct zl_list_col draw_cols[] = {
	{"id", "编号", "ID", ZL_COL_INT},
	{"plan_id", "计划编号", "Plan", ZL_COL_INT},
	{"plan_title", "抽查计划", "Plan title", ZL_COL_TEXT},
	{"product", "产品编码", "Product code", ZL_COL_TEXT},
	{"product_name", "产品", "Product", ZL_COL_TEXT},
	{"kind", "类型", "Kind", ZL_COL_TEXT},
	{"of_draw", "所属抽取", "Of draw", ZL_COL_INT},
	{"label", "名称", "Label", ZL_COL_TEXT},
	{"status", "状态", "Status", ZL_COL_TEXT},
	{"candidates", "候选数", "Candidates", ZL_COL_INT},
	{"selected", "抽取数", "Selected", ZL_COL_INT},
	{"input_commitment", "输入承诺", "Input commitment", ZL_COL_TEXT},
	{"seed_commitment", "种子承诺", "Seed commitment", ZL_COL_TEXT},
	{"not_before", "最早抽取时间", "Not before", ZL_COL_TIME},
	{"published_by", "发布人", "Published by", ZL_COL_TEXT},
	{"published_at", "发布时间", "Published", ZL_COL_TIME},
	{"drawn_by", "抽取人", "Drawn by", ZL_COL_TEXT},
	{"drawn_at", "抽取时间", "Drawn", ZL_COL_TIME},
};
#define N_DRAW_COLS (sizeof(draw_cols) / sizeof(draw_cols[0]))
/* The portal's columns: the first 14, then published_at and drawn_at (no accounts). */
#define N_PUBLIC_COLS 16

static void public_columns(struct zl_list_col out[N_PUBLIC_COLS])
{
	memcpy(out, draw_cols, 14 * sizeof(*out));
	out[14] = draw_cols[15]; /* published_at */
	out[15] = draw_cols[17]; /* drawn_at */
}

static int list_filter(struct zl_req *req, const struct zl_list_params *lp,
		       struct zl_draw_filter *f, struct zl_error *err)
{
	const char *plan = zl_req_query(req, "plan");

	memset(f, 0, sizeof(*f));
	if (given(plan))
		f->plan_id = strtoll(plan, NULL, 10); /* declared 1.. in params.def */
	f->product = nul(zl_req_query(req, "product"));
	f->kind = nul(zl_req_query(req, "kind"));
	f->status = nul(zl_req_query(req, "status"));
	/* A filter that names nothing is a mistake, not an empty list. */
	if (f->kind != NULL && strcmp(f->kind, "select") != 0 && strcmp(f->kind, "inspectors") != 0)
		return zl_error_set(err, ZL_EINVAL, "kind", "kind is select or inspectors");
	if (f->status != NULL && strcmp(f->status, "published") != 0 &&
	    strcmp(f->status, "drawn") != 0)
		return zl_error_set(err, ZL_EINVAL, "status", "status is published or drawn");
	if (lp->cursor_key[0]) {
		char *end = NULL;

		f->before = strtoll(lp->cursor_key, &end, 10);
		if (f->before <= 0 || *end != '\0')
			return zl_error_set(err, ZL_EINVAL, "cursor", "bad cursor");
	}
	return ZL_OK;
}

/* The visibility of each plan a list names, asked once per plan. */
struct plan_seen {
	int64_t id;
	int seen;
};

static int plan_seen(struct zl_req *req, struct zl_db *db, const struct zl_plan_actor *who,
		     struct plan_seen *cache, size_t *n, size_t cap, int64_t id, int *seen,
		     struct zl_error *err)
{
	struct zl_sc_plan_set ps;
	int rc;

	for (size_t i = 0; i < *n; i++)
		if (cache[i].id == id) {
			*seen = cache[i].seen;
			return ZL_OK;
		}
	zl_sc_plan_set_init(&ps);
	rc = visible_plan(req, db, id, who, &ps, "plan", id, err);
	zl_sc_plan_set_release(&ps);
	*seen = rc == ZL_OK;
	if (rc == ZL_ENOTFOUND) {
		zl_error_clear(err);
		rc = ZL_OK;
	}
	if (rc == ZL_OK && *n < cap)
		cache[(*n)++] = (struct plan_seen){id, *seen};
	return rc;
}

static int draws_list(struct zl_req *req, struct zl_resp *resp, int public_list,
		      struct zl_error *err)
{
	struct zl_list_writer *lw = NULL;
	struct zl_list_params lp;
	struct zl_draw_filter f;
	struct zl_plan_actor who;
	struct zl_sc_draw_set ds;
	struct plan_seen cache[64];
	struct zl_list_col pub_cols[N_PUBLIC_COLS];
	unsigned char *keep = NULL;
	size_t ncache = 0;
	int64_t n = 0;
	char today[16];
	struct zl_db *db;
	int rc;

	if ((rc = zl_list_parse(req, &lp, err)) || (rc = list_filter(req, &lp, &f, err)))
		return rc;
	f.public_only = public_list;
	public_columns(pub_cols);
	zl_plan_http_actor(req, &who, today);
	if ((rc = zl_plan_http_open(req, 0, &db, err)))
		return rc;
	zl_sc_draw_set_init(&ds);
	/* The exact total counts every row the caller may see; the cursor only pages. */
	{
		int64_t before = f.before;

		f.before = 0;
		rc = zl_store_draw_list(db, &f, &ds, err);
		f.before = before;
	}
	if (rc == ZL_OK && (keep = zl_arena_calloc(req->arena, ds.n + 1, 1)) == NULL)
		rc = zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
	for (size_t i = 0; rc == ZL_OK && i < ds.n; i++) {
		int seen = 1;

		if (!public_list)
			rc = plan_seen(req, db, &who, cache, &ncache,
				       sizeof(cache) / sizeof(cache[0]), ds.v[i].plan_id, &seen,
				       err);
		keep[i] = (unsigned char)seen;
		n += seen;
	}
	zl_db_rollback(db);
	if (rc == ZL_OK)
		rc = zl_list_begin(req, resp, &lp, public_list ? "公开抽取" : "随机抽取",
				   public_list ? pub_cols : draw_cols,
				   public_list ? N_PUBLIC_COLS : N_DRAW_COLS, n, &lw, err);
	for (size_t i = 0; rc == ZL_OK && i < ds.n; i++) {
		const struct zl_sc_draw *d = &ds.v[i];
		char id[24], plan[24], of[24], cands[24], sel[24];
		const char *all[N_DRAW_COLS] = {
			id,	     plan,	       d->plan_title,	     d->product,
			nul(d->product_name), d->kind, d->of_draw ? of : NULL, d->label,
			d->status,   cands,	       sel,		     d->input_commitment,
			d->seed_commitment,   nul(d->not_before),    d->published_by,
			d->published_at,      nul(d->drawn_by),	     nul(d->drawn_at)};
		const char *pub[N_PUBLIC_COLS];

		if (!keep[i] || (f.before > 0 && d->id >= f.before))
			continue;
		snprintf(id, sizeof(id), "%" PRId64, d->id);
		snprintf(plan, sizeof(plan), "%" PRId64, d->plan_id);
		snprintf(of, sizeof(of), "%" PRId64, d->of_draw);
		snprintf(cands, sizeof(cands), "%" PRId64, d->candidates);
		snprintf(sel, sizeof(sel), "%" PRId64, d->selected);
		memcpy(pub, all, 14 * sizeof(*pub));
		pub[14] = d->published_at;
		pub[15] = nul(d->drawn_at);
		rc = zl_list_row_key(lw, public_list ? pub : all, id);
	}
	if (rc == ZL_OK)
		rc = zl_list_end_page(lw, err);
	zl_sc_draw_set_release(&ds);
	return rc;
}

int zl_h_draws_list(struct zl_req *req, struct zl_resp *resp, struct zl_error *err)
{
	return draws_list(req, resp, 0, err);
}

int zl_h_public_draws(struct zl_req *req, struct zl_resp *resp, struct zl_error *err)
{
	return draws_list(req, resp, 1, err);
}

/* ---- one draw ---------------------------------------------------------------------------- */

int zl_h_draw_get(struct zl_req *req, struct zl_resp *resp, struct zl_error *err)
{
	struct zl_plan_actor who;
	char today[16];
	struct zl_db *db;
	int64_t id;
	int rc;

	if ((rc = zl_plan_http_start(req, "draw", &who, today, &id, err)))
		return rc;
	if (!(db = zl_req_db(req, err)))
		return ZL_EUNAVAIL;
	return answer_draw(req, resp, db, 200, id, &who, err);
}

/* The regions of `in` (given, or those the caller may draw in) and whether it may. */
static int regions_for(struct zl_req *req, struct zl_db *db, const struct zl_sc_plan *p,
		       const char *product, struct zl_draw_new *in, struct zl_error *err)
{
	const struct zl_sc_product *prod = NULL;
	const char *caller = req->principal.org_path;
	const char **regions, **paths;
	char path[ZL_ORG_PATH_MAX];
	size_t n = 0;
	int rc;

	for (size_t i = 0; i < p->nproducts && prod == NULL; i++)
		if (given(product) && strcmp(p->products[i].code, product) == 0)
			prod = &p->products[i];
	if (prod == NULL)
		return ZL_OK; /* the store names the product the plan does not have */
	if (in->nregions > 0) {
		paths = zl_arena_calloc(req->arena, in->nregions, sizeof(*paths));
		if (paths == NULL)
			return zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
		for (size_t i = 0; i < in->nregions; i++) {
			rc = zl_store_org_path(db, in->regions[i], path, sizeof(path), err);
			if (rc == ZL_ENOTFOUND || rc == ZL_ETOOBIG) {
				zl_error_clear(err);
				path[0] = '\0';
			} else if (rc != ZL_OK) {
				return rc;
			}
			paths[i] = zl_arena_strdup(req->arena, path);
		}
		if (!zl_insp_draw_may(caller, p->org_path, paths, in->nregions))
			return zl_error_set(err, ZL_EFORBIDDEN, "regions",
					    "a draw is made by the plan's organization, or by a"
					    " government for its own regions");
		return ZL_OK;
	}
	if (zl_insp_draw_may(caller, p->org_path, NULL, 0))
		return ZL_OK; /* the plan's organization: every region */
	regions = zl_arena_calloc(req->arena, prod->nquotas + 1, sizeof(*regions));
	if (regions == NULL)
		return zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
	for (size_t i = 0; i < prod->nquotas; i++) {
		rc = zl_store_org_path(db, prod->quotas[i].region, path, sizeof(path), err);
		if (rc == ZL_ENOTFOUND || rc == ZL_ETOOBIG) {
			zl_error_clear(err);
			continue;
		}
		if (rc != ZL_OK)
			return rc;
		if (zl_insp_draw_region(caller, p->org_path, path))
			regions[n++] = prod->quotas[i].region;
	}
	if (n == 0)
		return zl_error_set(err, ZL_EFORBIDDEN, "regions",
				    "none of the plan's regions for %s lies in the caller's reach",
				    prod->code);
	in->regions = regions;
	in->nregions = n;
	return ZL_OK;
}

static int audit_draw(struct zl_req *req, struct zl_db *db, const char *action, int64_t id,
		      struct zl_error *err)
{
	struct zl_sc_draw_set ds;
	char target[48], detail[320];
	int rc;

	zl_sc_draw_set_init(&ds);
	rc = zl_store_draw_get(db, id, &ds, err);
	if (rc == ZL_OK) {
		const struct zl_sc_draw *d = &ds.v[0];

		snprintf(target, sizeof(target), "draw:%" PRId64, id);
		snprintf(detail, sizeof(detail),
			 "%s draw of plan %" PRId64 " product %s, %" PRId64 " of %" PRId64
			 ", input %s, seed %s",
			 d->kind, d->plan_id, d->product, d->selected, d->candidates,
			 d->input_commitment, d->seed_commitment);
		rc = zl_req_audit(req, db, action, target, NULL, NULL, detail, err);
	}
	zl_sc_draw_set_release(&ds);
	return rc;
}

int zl_h_draws_create(struct zl_req *req, struct zl_resp *resp, struct zl_error *err)
{
	static const char *const allowed[] = {"plan", "product", "regions", "label", "not_before",
					      NULL};
	unsigned char seed[ZL_DRAW_SEED_BYTES];
	struct zl_plan_actor who;
	struct zl_sc_plan_set ps;
	struct zl_draw_new in;
	char today[16];
	cJSON *body = NULL;
	struct zl_db *db = NULL;
	int64_t plan = 0, id = 0;
	int rc;

	zl_plan_http_actor(req, &who, today);
	zl_sc_plan_set_init(&ps);
	memset(&in, 0, sizeof(in));
	if ((rc = zl_json_parse_object(req->body, req->body_len, 3, &body, err)))
		return rc;
	if ((rc = zl_json_only_fields(body, allowed, err)) ||
	    (rc = zl_json_get_int(body, "plan", 1, 1, ZL_JSON_INT_MAX, &plan, err)) ||
	    (rc = zl_json_get_string(body, "product", 1, 16, &in.product, err)) ||
	    (rc = zl_json_get_string(body, "label", 0, ZL_DRAW_LABEL_MAX, &in.label, err)) ||
	    (rc = zl_json_get_string(body, "not_before", 0, 40, &in.not_before, err)) ||
	    (rc = zl_plan_http_strings(req, body, "", "regions", ZL_SC_QUOTAS_MAX, 6,
				       (const char *const **)&in.regions, &in.nregions, err)))
		goto done;
	in.plan_id = plan;
	if ((rc = zl_plan_http_open(req, 1, &db, err)))
		goto done;
	rc = visible_plan(req, db, plan, &who, &ps, "plan", plan, err);
	if (rc == ZL_ENOTFOUND)
		rc = zl_error_set(err, ZL_ENOTFOUND, "plan", "no plan %" PRId64, plan);
	if (rc == ZL_OK)
		rc = regions_for(req, db, &ps.v[0], in.product, &in, err);
	if (rc == ZL_OK) {
		zl_random_token(seed, sizeof(seed));
		rc = zl_store_draw_publish(db, &in, seed, &who, &id, err);
		memset(seed, 0, sizeof(seed));
	}
	if (rc == ZL_OK)
		rc = audit_draw(req, db, "spotcheck.draw_publish", id, err);
	if ((rc = zl_plan_http_finish(db, rc, err)) == ZL_OK)
		rc = answer_draw(req, resp, db, 201, id, &who, err);
done:
	zl_sc_plan_set_release(&ps);
	cJSON_Delete(body);
	return rc;
}

/* Open a write transaction and load draw {id} that the caller may draw; nothing left open on
 * failure. */
static int start_draw_write(struct zl_req *req, struct zl_plan_actor *who, char today[16],
			    int64_t *id, struct zl_db **db, struct zl_sc_draw_set *ds,
			    struct zl_sc_plan_set *ps, struct zl_error *err)
{
	int rc;

	if ((rc = zl_plan_http_start(req, "draw", who, today, id, err)) ||
	    (rc = zl_plan_http_open(req, 1, db, err)))
		return rc;
	rc = load_draw(req, *db, *id, who, ds, ps, err);
	if (rc == ZL_OK && !may_draw(req, *db, &ds->v[0], &ps->v[0], err))
		rc = zl_error_set(err, ZL_EFORBIDDEN, NULL,
				  "a draw is made by the plan's organization, or by a government"
				  " for its own regions");
	if (rc != ZL_OK)
		zl_db_rollback(*db);
	return rc;
}

int zl_h_draw_make(struct zl_req *req, struct zl_resp *resp, struct zl_error *err)
{
	struct zl_plan_actor who;
	struct zl_sc_draw_set ds;
	struct zl_sc_plan_set ps;
	char today[16];
	struct zl_db *db;
	int64_t id;
	int rc;

	zl_sc_draw_set_init(&ds);
	zl_sc_plan_set_init(&ps);
	if ((rc = start_draw_write(req, &who, today, &id, &db, &ds, &ps, err)))
		goto out;
	rc = zl_store_draw_make(db, id, &who, err);
	if (rc == ZL_OK)
		rc = audit_draw(req, db, "spotcheck.draw_make", id, err);
	if ((rc = zl_plan_http_finish(db, rc, err)) == ZL_OK)
		rc = answer_draw(req, resp, db, 200, id, &who, err);
out:
	zl_sc_draw_set_release(&ds);
	zl_sc_plan_set_release(&ps);
	return rc;
}

int zl_h_draw_inspectors(struct zl_req *req, struct zl_resp *resp, struct zl_error *err)
{
	unsigned char seed[ZL_DRAW_SEED_BYTES];
	struct zl_plan_actor who;
	struct zl_sc_draw_set ds;
	struct zl_sc_plan_set ps;
	char today[16];
	struct zl_db *db;
	int64_t id, new_id = 0;
	int rc;

	zl_sc_draw_set_init(&ds);
	zl_sc_plan_set_init(&ps);
	if ((rc = start_draw_write(req, &who, today, &id, &db, &ds, &ps, err)))
		goto out;
	zl_random_token(seed, sizeof(seed));
	rc = zl_store_draw_publish_inspectors(db, id, seed, &who, &new_id, err);
	memset(seed, 0, sizeof(seed));
	if (rc == ZL_OK)
		rc = audit_draw(req, db, "spotcheck.draw_publish", new_id, err);
	if ((rc = zl_plan_http_finish(db, rc, err)) == ZL_OK)
		rc = answer_draw(req, resp, db, 201, new_id, &who, err);
out:
	zl_sc_draw_set_release(&ds);
	zl_sc_plan_set_release(&ps);
	return rc;
}

/* ---- the portal -------------------------------------------------------------------------- */

/* Draw {id}'s record for the public: ZL_ENOTFOUND unless its plan is in progress or finished. */
static int public_draw(struct zl_req *req, struct zl_sc_draw_set *ds, int64_t *id,
		       struct zl_error *err)
{
	struct zl_plan_actor who;
	char today[16];
	struct zl_db *db;
	int rc;

	if ((rc = zl_plan_http_start(req, "draw", &who, today, id, err)) ||
	    (rc = zl_plan_http_open(req, 0, &db, err)))
		return rc;
	rc = zl_store_draw_get(db, *id, ds, err);
	zl_db_rollback(db);
	if (rc == ZL_OK && ds->v[0].plan_status != ZL_SC_IN_PROGRESS &&
	    ds->v[0].plan_status != ZL_SC_FINISHED)
		rc = zl_error_set(err, ZL_ENOTFOUND, "id", "no draw %" PRId64, *id);
	return rc;
}

int zl_h_public_draw(struct zl_req *req, struct zl_resp *resp, struct zl_error *err)
{
	struct zl_sc_draw_set ds;
	int64_t id;
	int rc;

	zl_sc_draw_set_init(&ds);
	rc = public_draw(req, &ds, &id, err);
	if (rc == ZL_OK) {
		/* The stored record is the publication, byte for byte. */
		resp->status = 200;
		resp->content_type = "application/json";
		if (zl_buf_adds(&resp->body, ds.v[0].record))
			rc = zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
	}
	zl_sc_draw_set_release(&ds);
	return rc;
}

int zl_h_public_draw_verify(struct zl_req *req, struct zl_resp *resp, struct zl_error *err)
{
	struct zl_sc_draw_set ds;
	struct zl_draw_record rec;
	struct zl_draw_check *chk = zl_arena_calloc(req->arena, 1, sizeof(*chk));
	struct zl_jw w;
	int64_t id;
	int rc;

	memset(&rec, 0, sizeof(rec));
	zl_sc_draw_set_init(&ds);
	if (chk == NULL) {
		rc = zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
		goto out;
	}
	if ((rc = public_draw(req, &ds, &id, err)))
		goto out;
	rc = zl_draw_record_parse(ds.v[0].record, strlen(ds.v[0].record), &rec, err);
	if (rc == ZL_OK)
		rc = zl_draw_record_check(&rec, chk, err);
	if (rc != ZL_OK) {
		/* A stored record the engine refuses is the server's fault, not the caller's. */
		rc = zl_error_set(err, ZL_EINTERNAL, "record", "draw %" PRId64 ": %s", id,
				  "its record cannot be checked");
		goto out;
	}
	zl_resp_json(resp, 200, &w);
	zl_jw_obj_begin(&w);
	zl_jw_kint(&w, "draw_id", id);
	zl_jw_kbool(&w, "drawn", rec.has_seed && rec.has_result);
	zl_jw_kstr(&w, "input_commitment", rec.input_commitment);
	zl_jw_kstr(&w, "input_computed", chk->input_computed);
	zl_jw_kbool(&w, "input_ok", chk->input_ok);
	zl_jw_kstr(&w, "seed_commitment", rec.seed_commitment);
	if (rec.has_seed) {
		zl_jw_kstr(&w, "seed_computed", chk->seed_computed);
		zl_jw_kbool(&w, "seed_ok", chk->seed_ok);
	}
	zl_jw_kbool(&w, "result_checked", chk->result_checked);
	zl_jw_kbool(&w, "result_ok", chk->result_ok);
	zl_jw_kint(&w, "positions", (int64_t)chk->result_recorded);
	zl_jw_kint(&w, "computed_positions", (int64_t)chk->result_computed);
	zl_jw_key(&w, "differences");
	zl_jw_arr_begin(&w);
	for (size_t i = 0; i < chk->ndiffs && i < ZL_DRAW_DIFFS_KEPT; i++) {
		zl_jw_obj_begin(&w);
		zl_jw_kint(&w, "position", (int64_t)chk->diffs[i].position);
		zl_jw_kstr(&w, "what", chk->diffs[i].what);
		zl_jw_kstr(&w, "recorded", chk->diffs[i].recorded);
		zl_jw_kstr(&w, "computed", chk->diffs[i].computed);
		zl_jw_obj_end(&w);
	}
	zl_jw_arr_end(&w);
	zl_jw_kbool(&w, "verified", zl_draw_check_ok(chk));
	zl_jw_obj_end(&w);
	rc = zl_jw_error(&w);
out:
	zl_draw_record_release(&rec);
	zl_sc_draw_set_release(&ds);
	return rc;
}

/* ---- conflicts of interest --------------------------------------------------------------- */

static const struct zl_list_col conflict_cols[] = {
	{"uscc", "统一社会信用代码", "USCC", ZL_COL_TEXT},
	{"name", "企业名称", "Enterprise", ZL_COL_TEXT},
	{"reason", "事由", "Reason", ZL_COL_TEXT},
	{"declared_at", "申报时间", "Declared", ZL_COL_TIME},
	{"withdrawn_at", "撤回时间", "Withdrawn", ZL_COL_TIME},
};
#define N_CONFLICT_COLS (sizeof(conflict_cols) / sizeof(conflict_cols[0]))

struct conflict_rows {
	struct zl_list_writer *w;
	const char *after;
	int count; /* counting pass: only *n */
	int64_t n;
};

static int conflict_row(void *cls, const struct zl_conflict *c)
{
	struct conflict_rows *r = cls;
	const char *v[N_CONFLICT_COLS] = {c->uscc, nul(c->name), nul(c->reason), c->declared_at,
					  nul(c->withdrawn_at)};

	if (r->count) {
		r->n++;
		return ZL_OK;
	}
	if (given(r->after) && strcmp(c->uscc, r->after) <= 0)
		return ZL_OK;
	return zl_list_row_key(r->w, v, c->uscc);
}

int zl_h_conflicts_list(struct zl_req *req, struct zl_resp *resp, struct zl_error *err)
{
	struct conflict_rows r = {0};
	struct zl_list_params lp;
	struct zl_db *db;
	int rc;

	if ((rc = zl_list_parse(req, &lp, err)) || (rc = zl_plan_http_open(req, 0, &db, err)))
		return rc;
	r.count = 1;
	rc = zl_store_conflicts(db, req->principal.name, conflict_row, &r, err);
	if (rc == ZL_OK)
		rc = zl_list_begin(req, resp, &lp, "利益冲突申报", conflict_cols, N_CONFLICT_COLS,
				   r.n, &r.w, err);
	r.count = 0;
	r.after = lp.cursor_key;
	if (rc == ZL_OK)
		rc = zl_store_conflicts(db, req->principal.name, conflict_row, &r, err);
	zl_db_rollback(db);
	if (rc == ZL_OK)
		rc = zl_list_end_page(r.w, err);
	return rc;
}

struct one_conflict {
	const char *uscc;
	struct zl_conflict c;
	int found;
};

static int find_conflict(void *cls, const struct zl_conflict *c)
{
	struct one_conflict *o = cls;

	if (strcmp(c->uscc, o->uscc) == 0) {
		o->c = *c;
		o->found = 1;
	}
	return ZL_OK;
}

int zl_h_conflicts_declare(struct zl_req *req, struct zl_resp *resp, struct zl_error *err)
{
	static const char *const allowed[] = {"uscc", "reason", NULL};
	struct one_conflict *o = zl_arena_calloc(req->arena, 1, sizeof(*o));
	const char *uscc = NULL, *reason = NULL;
	struct zl_plan_actor who;
	char today[16], target[96];
	cJSON *body = NULL;
	struct zl_db *db;
	struct zl_jw w;
	int rc;

	if (o == NULL)
		return zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
	zl_plan_http_actor(req, &who, today);
	if ((rc = zl_json_parse_object(req->body, req->body_len, 2, &body, err)))
		return rc;
	if ((rc = zl_json_only_fields(body, allowed, err)) ||
	    (rc = zl_json_get_string(body, "uscc", 1, 23, &uscc, err)) ||
	    (rc = zl_json_get_string(body, "reason", 0, 4 * ZL_CONFLICT_REASON_MAX, &reason, err)) ||
	    (rc = zl_plan_http_open(req, 1, &db, err)))
		goto done;
	rc = zl_store_conflict_declare(db, req->principal.name, uscc, reason, &who, err);
	if (rc == ZL_ENOTFOUND)
		rc = zl_error_set(err, ZL_EUNPROC, "uscc", "uscc: no enterprise %s in the register",
				  uscc);
	snprintf(target, sizeof(target), "user:%s/conflict:%s", req->principal.name, uscc);
	if (rc == ZL_OK)
		rc = zl_req_audit(req, db, "inspection.conflict_declare", target, NULL, NULL, reason,
				  err);
	o->uscc = uscc;
	if (rc == ZL_OK)
		rc = zl_store_conflicts(db, req->principal.name, find_conflict, o, err);
	if ((rc = zl_plan_http_finish(db, rc, err)))
		goto done;
	zl_resp_json(resp, 201, &w);
	zl_jw_obj_begin(&w);
	zl_jw_kstr(&w, "uscc", o->c.uscc);
	zl_jw_kstr(&w, "name", nul(o->c.name));
	zl_jw_kstr(&w, "reason", nul(o->c.reason));
	zl_jw_kstr(&w, "declared_at", o->c.declared_at);
	zl_jw_kstr(&w, "withdrawn_at", nul(o->c.withdrawn_at));
	zl_jw_obj_end(&w);
	rc = zl_jw_error(&w);
done:
	cJSON_Delete(body);
	return rc;
}

int zl_h_conflicts_withdraw(struct zl_req *req, struct zl_resp *resp, struct zl_error *err)
{
	const char *uscc = zl_req_param(req, "uscc");
	struct zl_plan_actor who;
	char today[16], target[96];
	struct zl_db *db;
	struct zl_jw w;
	int rc;

	zl_plan_http_actor(req, &who, today);
	if (!given(uscc) || strlen(uscc) > 23)
		return zl_error_set(err, ZL_ENOTFOUND, "uscc", "no declared conflict");
	if ((rc = zl_plan_http_open(req, 1, &db, err)))
		return rc;
	rc = zl_store_conflict_withdraw(db, req->principal.name, uscc, &who, err);
	snprintf(target, sizeof(target), "user:%s/conflict:%s", req->principal.name, uscc);
	if (rc == ZL_OK)
		rc = zl_req_audit(req, db, "inspection.conflict_withdraw", target, NULL, NULL, NULL,
				  err);
	if ((rc = zl_plan_http_finish(db, rc, err)))
		return rc;
	zl_resp_json(resp, 200, &w);
	zl_jw_obj_begin(&w);
	zl_jw_kstr(&w, "uscc", uscc);
	zl_jw_kbool(&w, "withdrawn", 1);
	zl_jw_obj_end(&w);
	return zl_jw_error(&w);
}
