/*
 * spotcheck_plans.c - spot-check plans over HTTP (docs/spotchecks.md):
 *   GET   /api/v1/spotcheck-plans               plans the caller may see (awaiting=1: the
 *                                               approval queue), paged, CSV, xlsx
 *   POST  /api/v1/spotcheck-plans               draft a plan
 *   GET   /api/v1/spotcheck-plans/{id}          a plan whole, with what the caller may do
 *   PATCH /api/v1/spotcheck-plans/{id}          change a draft
 *   GET   /api/v1/spotcheck-plans/{id}/quotas   its quotas, one row per product and region
 *   POST  /api/v1/spotcheck-plans/{id}/submit|approve|return|start|finish
 * Who sees a plan and who may act is domain/spotcheck.h's (zl_sc_visible,
 * zl_sc_may) after the route's permission; a plan out of sight answers 404
 * like a missing one.  Writes commit with their audit row.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "domain/catalogue.h"
#include "domain/check.h"
#include "http/audit_hook.h"
#include "http/handlers.h"
#include "http/list.h"
#include "http/plan_http.h"
#include "http/spotcheck_http.h"
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

/* Plan `id` into `set` when the caller may see it; otherwise 404 as for none. */
static int load_plan(struct zl_req *req, struct zl_db *db, int64_t id, const struct zl_sc_caller *c,
		     struct zl_sc_plan_set *set, struct zl_error *err)
{
	struct zl_sc_plan_facts f;
	int rc = zl_store_sc_plan_get(db, id, set, err);

	(void)req;
	if (rc != ZL_OK)
		return rc;
	zl_sc_plan_facts(&set->v[0], &f);
	if (!zl_sc_visible(c, &f))
		return zl_error_set(err, ZL_ENOTFOUND, "id", "no plan %" PRId64, id);
	return ZL_OK;
}

/* ---- JSON out ------------------------------------------------------------------------------- */

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* {"410100":"郑州市人民政府",...} for the regions the plan's quotas name. */
static void region_names(struct zl_req *req, struct zl_jw *w, const struct zl_sc_plan *p)
{
	size_t n = 0, k = 0;
	const char **codes;

	for (size_t i = 0; i < p->nproducts; i++)
		n += p->products[i].nquotas;
	codes = zl_arena_calloc(req->arena, 2 * n + 1, sizeof(*codes));
	zl_jw_obj_begin(w);
	if (codes != NULL) {
		/* Pairs code, name, sorted by code; each code once. */
		for (size_t i = 0; i < p->nproducts; i++)
			for (size_t j = 0; j < p->products[i].nquotas; j++) {
				codes[2 * k] = p->products[i].quotas[j].region;
				codes[2 * k + 1] = p->products[i].quotas[j].region_name;
				k++;
			}
		qsort(codes, k, 2 * sizeof(*codes), cmp_str);
		for (size_t i = 0; i < k; i++)
			if (i == 0 || strcmp(codes[2 * i], codes[2 * (i - 1)]) != 0)
				zl_jw_kstr(w, codes[2 * i], nul(codes[2 * i + 1]));
	}
	zl_jw_obj_end(w);
}

static void frequency_json(struct zl_jw *w, const struct zl_sc_freq *f)
{
	zl_jw_obj_begin(w);
	for (int c = 0; c < ZL_SC_CLASSES; c++) {
		zl_jw_key(w, zl_sc_class_name(c));
		zl_jw_obj_begin(w);
		for (int r = 0; r < ZL_SC_RISKS; r++)
			zl_jw_kdouble(w, zl_risk_name(r + 1), zl_sc_weight_value(f->w[c][r]));
		zl_jw_obj_end(w);
	}
	zl_jw_obj_end(w);
}

static void may_json(struct zl_jw *w, const struct zl_sc_caller *c, const struct zl_sc_plan *p)
{
	struct zl_sc_plan_facts f;

	zl_sc_plan_facts(p, &f);
	zl_jw_obj_begin(w);
	zl_jw_kbool(w, "edit", zl_sc_may(c, &f, -1, NULL) == ZL_OK);
	for (int a = 0; a < ZL_SC_ACTIONS; a++)
		zl_jw_kbool(w, zl_sc_action_name(a), zl_sc_may(c, &f, a, NULL) == ZL_OK);
	zl_jw_obj_end(w);
}

/* The plan whole; with a caller, what it may do ("may"). */
static void plan_json(struct zl_req *req, struct zl_jw *w, const struct zl_sc_plan *p,
		      const struct zl_sc_caller *c)
{
	zl_jw_obj_begin(w);
	zl_jw_kint(w, "id", p->id);
	zl_jw_kstr(w, "title", p->title);
	zl_jw_kint(w, "year", p->year);
	zl_jw_kstr(w, "kind", p->kind);
	zl_jw_kstr(w, "org", p->org);
	zl_jw_kstr(w, "org_name", nul(p->org_name));
	zl_jw_kstr(w, "level", p->level);
	zl_jw_kstr(w, "gov", p->gov);
	zl_jw_kstr(w, "status", zl_sc_status_name(p->status));
	zl_jw_kint(w, "version", p->version);
	zl_jw_kint(w, "budget_fen", p->budget_fen);
	zl_jw_kstr(w, "start", p->start);
	zl_jw_kstr(w, "end", p->end);
	zl_jw_kstr(w, "note", p->note);
	zl_jw_kint(w, "batches", p->batches);
	zl_jw_kbool(w, "exclude_own_county", p->exclude_own_county);
	zl_jw_key(w, "labs");
	zl_jw_arr_begin(w);
	for (size_t i = 0; i < p->nlabs; i++) {
		zl_jw_obj_begin(w);
		zl_jw_kstr(w, "org", p->labs[i].org);
		zl_jw_kstr(w, "name", nul(p->labs[i].name));
		zl_jw_obj_end(w);
	}
	zl_jw_arr_end(w);
	zl_jw_key(w, "places");
	zl_jw_arr_begin(w);
	for (size_t i = 0; i < p->nplaces; i++) {
		zl_jw_obj_begin(w);
		zl_jw_kstr(w, "type", p->places[i].type);
		zl_jw_key(w, "share");
		if (p->places[i].share)
			zl_jw_int(w, p->places[i].share);
		else
			zl_jw_null(w);
		zl_jw_key(w, "batches");
		if (p->places[i].batches)
			zl_jw_int(w, p->places[i].batches);
		else
			zl_jw_null(w);
		zl_jw_obj_end(w);
	}
	zl_jw_arr_end(w);
	zl_jw_key(w, "products");
	zl_jw_arr_begin(w);
	for (size_t i = 0; i < p->nproducts; i++) {
		const struct zl_sc_product *x = &p->products[i];

		zl_jw_obj_begin(w);
		zl_jw_kstr(w, "code", x->code);
		zl_jw_kstr(w, "name", nul(x->name));
		zl_jw_kstr(w, "risk", zl_risk_name(x->risk));
		zl_jw_kstr(w, "status", nul(x->status));
		zl_jw_kstr(w, "lab", nul(x->lab));
		zl_jw_kint(w, "batches", x->batches);
		zl_jw_key(w, "quotas");
		zl_jw_obj_begin(w);
		for (size_t k = 0; k < x->nquotas; k++)
			zl_jw_kint(w, x->quotas[k].region, x->quotas[k].batches);
		zl_jw_obj_end(w);
		zl_jw_obj_end(w);
	}
	zl_jw_arr_end(w);
	zl_jw_key(w, "region_names");
	region_names(req, w, p);
	zl_jw_key(w, "frequency");
	frequency_json(w, &p->freq);
	zl_jw_kstr(w, "created_by", p->created_by);
	zl_jw_kstr(w, "created_at", p->created_at);
	zl_jw_kstr(w, "updated_by", p->updated_by);
	zl_jw_kstr(w, "updated_at", p->updated_at);
	zl_jw_kstr(w, "submitted_by", nul(p->submitted_by));
	zl_jw_kstr(w, "submitted_at", nul(p->submitted_at));
	zl_jw_kstr(w, "decided_by", nul(p->decided_by));
	zl_jw_kstr(w, "decided_at", nul(p->decided_at));
	zl_jw_kstr(w, "decision_note", nul(p->decision_note));
	zl_jw_key(w, "events");
	zl_jw_arr_begin(w);
	for (size_t i = 0; i < p->nevents; i++) {
		const struct zl_sc_event *e = &p->events[i];

		zl_jw_obj_begin(w);
		zl_jw_kint(w, "seq", e->seq);
		zl_jw_kstr(w, "action", e->action);
		zl_jw_kstr(w, "from", nul(e->from));
		zl_jw_kstr(w, "to", e->to);
		zl_jw_kstr(w, "actor", e->actor);
		zl_jw_kstr(w, "org", nul(e->org));
		zl_jw_kstr(w, "at", e->at);
		zl_jw_kstr(w, "note", nul(e->note));
		zl_jw_obj_end(w);
	}
	zl_jw_arr_end(w);
	if (c != NULL) {
		zl_jw_key(w, "may");
		may_json(w, c, p);
	}
	zl_jw_obj_end(w);
}

/* The plan's JSON text for the audit trail's digests (no "may"), or NULL. */
static const char *plan_text(struct zl_req *req, const struct zl_sc_plan *p)
{
	struct zl_buf b = ZL_BUF_INIT(16 << 20);
	const char *s = NULL;
	struct zl_jw w;

	zl_jw_init(&w, &b);
	plan_json(req, &w, p, NULL);
	if (zl_jw_error(&w) == ZL_OK)
		s = zl_arena_strdup(req->arena, zl_buf_str(&b));
	zl_buf_release(&b);
	return s;
}

/* Answer `status` with plan `id` as GET shows it (after a write committed). */
static int answer_plan(struct zl_req *req, struct zl_resp *resp, struct zl_db *db, int status,
		       int64_t id, const struct zl_sc_caller *c, struct zl_error *err)
{
	struct zl_sc_plan_set s;
	struct zl_jw w;
	int rc;

	zl_sc_plan_set_init(&s);
	rc = zl_store_sc_plan_get(db, id, &s, err);
	if (rc == ZL_OK) {
		zl_resp_json(resp, status, &w);
		plan_json(req, &w, &s.v[0], c);
		rc = zl_jw_error(&w);
	}
	zl_sc_plan_set_release(&s);
	return rc;
}

int zl_h_sc_plan_get(struct zl_req *req, struct zl_resp *resp, struct zl_error *err)
{
	struct zl_plan_actor who;
	struct zl_sc_plan_set s;
	struct zl_sc_caller c;
	char today[16];
	struct zl_db *db;
	struct zl_jw w;
	int64_t id;
	int rc;

	if ((rc = zl_plan_http_start(req, "plan", &who, today, &id, err)) ||
	    (rc = zl_plan_http_open(req, 0, &db, err)))
		return rc;
	caller_of(req, &who, &c);
	zl_sc_plan_set_init(&s);
	rc = load_plan(req, db, id, &c, &s, err);
	if (rc == ZL_OK) {
		zl_resp_json(resp, 200, &w);
		plan_json(req, &w, &s.v[0], &c);
		rc = zl_jw_error(&w);
	}
	zl_db_rollback(db);
	zl_sc_plan_set_release(&s);
	return rc;
}

/* ---- the list ------------------------------------------------------------------------------- */

static const struct zl_list_col plan_cols[] = {
	{"id", "编号", "ID", ZL_COL_INT},
	{"title", "计划名称", "Title", ZL_COL_TEXT},
	{"year", "年度", "Year", ZL_COL_INT},
	{"kind", "类型", "Kind", ZL_COL_TEXT},
	{"org", "单位代码", "Organization code", ZL_COL_TEXT},
	{"org_name", "制定单位", "Organization", ZL_COL_TEXT},
	{"level", "层级", "Level", ZL_COL_TEXT},
	{"status", "状态", "Status", ZL_COL_TEXT},
	{"products", "产品数", "Products", ZL_COL_INT},
	{"batches", "批次数", "Batches", ZL_COL_INT},
	{"budget_fen", "预算（分）", "Budget (fen)", ZL_COL_INT},
	{"start", "开始日期", "Start", ZL_COL_TEXT},
	{"end", "结束日期", "End", ZL_COL_TEXT},
	{"submitted_at", "报送时间", "Submitted", ZL_COL_TIME},
	{"updated_at", "更新时间", "Updated", ZL_COL_TIME},
};
#define N_PLAN_COLS (sizeof(plan_cols) / sizeof(plan_cols[0]))

/* A positive id or year from a query parameter; ZL_EINVAL naming it. */
static int query_number(struct zl_req *req, const char *name, int64_t min, int64_t max,
			int64_t *out, struct zl_error *err)
{
	const char *s = zl_req_query(req, name);
	char *end = NULL;
	long long v;

	*out = 0;
	if (!given(s))
		return ZL_OK;
	v = strtoll(s, &end, 10);
	if (end == s || *end != '\0' || v < min || v > max)
		return zl_error_set(err, ZL_EINVAL, name, "%s must be a whole number %lld..%lld",
				    name, (long long)min, (long long)max);
	*out = v;
	return ZL_OK;
}

static int list_filter(struct zl_req *req, struct zl_sc_plan_filter *f, int64_t *before,
		       const struct zl_list_params *lp, struct zl_error *err)
{
	static const char *const kinds[] = {"yearly", "special", NULL};
	static const char *const levels[] = {"province", "city", "county", NULL};
	const char *status = zl_req_query(req, "status");
	int64_t year = 0;
	int rc;

	memset(f, 0, sizeof(*f));
	f->status = -1;
	f->kind = nul(zl_req_query(req, "kind"));
	f->level = nul(zl_req_query(req, "level"));
	f->org = nul(zl_req_query(req, "org"));
	f->q = nul(zl_req_query(req, "q"));
	f->open_only = given(zl_req_query(req, "open")) &&
		       (!strcmp(zl_req_query(req, "open"), "1") ||
			!strcmp(zl_req_query(req, "open"), "true"));
	if ((rc = query_number(req, "year", 1949, 2100, &year, err)))
		return rc;
	f->year = (int)year;
	if ((f->kind && zl_check_one_of(f->kind, kinds, "kind", 0, err)) ||
	    (f->level && zl_check_one_of(f->level, levels, "level", 0, err)))
		return zl_error_set(err, ZL_EINVAL, err->field, "%s", err->message);
	if (given(status) && zl_sc_status_parse(status, &f->status) != ZL_OK)
		return zl_error_set(
			err, ZL_EINVAL, "status",
			"status is draft, submitted, approved, in_progress or finished");
	if (f->q && zl_check_chars(f->q) > 100)
		return zl_error_set(err, ZL_EINVAL, "q", "q: at most 100 characters");
	*before = 0;
	if (lp->cursor_key[0]) {
		char *end = NULL;

		*before = strtoll(lp->cursor_key, &end, 10);
		if (*before <= 0 || *end != '\0')
			return zl_error_set(err, ZL_EINVAL, "cursor", "bad cursor");
	}
	return ZL_OK;
}

int zl_h_sc_plans_list(struct zl_req *req, struct zl_resp *resp, struct zl_error *err)
{
	struct zl_list_writer *lw = NULL;
	struct zl_sc_plan_filter f;
	struct zl_list_params lp;
	struct zl_plan_actor who;
	struct zl_sc_plan_set s;
	struct zl_sc_caller c;
	unsigned char *keep = NULL;
	int awaiting = 0;
	int64_t before = 0, n = 0;
	char today[16];
	struct zl_db *db;
	int rc;

	if ((rc = zl_list_parse(req, &lp, err)) || (rc = list_filter(req, &f, &before, &lp, err)))
		return rc;
	awaiting = given(zl_req_query(req, "awaiting")) &&
		   (!strcmp(zl_req_query(req, "awaiting"), "1") ||
		    !strcmp(zl_req_query(req, "awaiting"), "true"));
	zl_plan_http_actor(req, &who, today);
	caller_of(req, &who, &c);
	if ((rc = zl_plan_http_open(req, 0, &db, err)))
		return rc;
	zl_sc_plan_set_init(&s);
	rc = zl_store_sc_plan_list(db, &f, &s, err);
	zl_db_rollback(db);
	if (rc == ZL_OK && (keep = zl_arena_calloc(req->arena, s.n + 1, 1)) == NULL)
		rc = zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
	for (size_t i = 0; rc == ZL_OK && i < s.n; i++) {
		struct zl_sc_plan_facts fx;

		zl_sc_plan_facts(&s.v[i], &fx);
		keep[i] = (unsigned char)(zl_sc_visible(&c, &fx) &&
					  (!awaiting ||
					   zl_sc_may(&c, &fx, ZL_SC_APPROVE, NULL) == ZL_OK));
		n += keep[i];
	}
	if (rc == ZL_OK)
		rc = zl_list_begin(req, resp, &lp, "抽查计划", plan_cols, N_PLAN_COLS, n, &lw, err);
	for (size_t i = 0; rc == ZL_OK && i < s.n; i++) {
		const struct zl_sc_plan *p = &s.v[i];
		char id[24], year[16], products[24], batches[24], budget[24];
		const char *v[N_PLAN_COLS] = {id,	    p->title,
					      year,	    p->kind,
					      p->org,	    nul(p->org_name),
					      p->level,	    zl_sc_status_name(p->status),
					      products,	    batches,
					      budget,	    p->start,
					      p->end,	    nul(p->submitted_at),
					      p->updated_at};

		if (!keep[i] || (before > 0 && p->id >= before))
			continue;
		snprintf(id, sizeof(id), "%" PRId64, p->id);
		snprintf(year, sizeof(year), "%d", p->year);
		snprintf(products, sizeof(products), "%zu", p->nproducts_total);
		snprintf(batches, sizeof(batches), "%" PRId64, p->batches);
		snprintf(budget, sizeof(budget), "%" PRId64, p->budget_fen);
		rc = zl_list_row_key(lw, v, id);
	}
	if (rc == ZL_OK)
		rc = zl_list_end_page(lw, err);
	zl_sc_plan_set_release(&s);
	return rc;
}

/* ---- quotas --------------------------------------------------------------------------------- */

static const struct zl_list_col quota_cols[] = {
	{"product", "产品编码", "Product code", ZL_COL_TEXT},
	{"product_name", "产品名称", "Product", ZL_COL_TEXT},
	{"risk", "风险等级", "Risk level", ZL_COL_TEXT},
	{"region", "地区代码", "Region code", ZL_COL_TEXT},
	{"region_name", "地区", "Region", ZL_COL_TEXT},
	{"batches", "抽样批次", "Batches", ZL_COL_INT},
	{"lab", "承检机构", "Laboratory", ZL_COL_TEXT},
};
#define N_QUOTA_COLS (sizeof(quota_cols) / sizeof(quota_cols[0]))

int zl_h_sc_plan_quotas(struct zl_req *req, struct zl_resp *resp, struct zl_error *err)
{
	struct zl_list_writer *lw = NULL;
	struct zl_list_params lp;
	struct zl_plan_actor who;
	struct zl_sc_plan_set s;
	struct zl_sc_caller c;
	const struct zl_sc_plan *p;
	char today[16];
	struct zl_db *db;
	int64_t id, n = 0;
	int rc;

	if ((rc = zl_list_parse(req, &lp, err)) ||
	    (rc = zl_plan_http_start(req, "plan", &who, today, &id, err)) ||
	    (rc = zl_plan_http_open(req, 0, &db, err)))
		return rc;
	caller_of(req, &who, &c);
	zl_sc_plan_set_init(&s);
	rc = load_plan(req, db, id, &c, &s, err);
	zl_db_rollback(db);
	if (rc != ZL_OK)
		goto out;
	p = &s.v[0];
	for (size_t i = 0; i < p->nproducts; i++)
		n += (int64_t)p->products[i].nquotas;
	rc = zl_list_begin(req, resp, &lp, "抽样任务分配", quota_cols, N_QUOTA_COLS, n, &lw, err);
	for (size_t i = 0; rc == ZL_OK && i < p->nproducts; i++) {
		const struct zl_sc_product *x = &p->products[i];
		const char *lab = NULL;

		for (size_t k = 0; k < p->nlabs && given(x->lab); k++)
			if (strcmp(p->labs[k].org, x->lab) == 0)
				lab = nul(p->labs[k].name);
		for (size_t k = 0; rc == ZL_OK && k < x->nquotas; k++) {
			char key[48], batches[24];
			const char *v[N_QUOTA_COLS] = {x->code,
						       nul(x->name),
						       zl_risk_name(x->risk),
						       x->quotas[k].region,
						       nul(x->quotas[k].region_name),
						       batches,
						       lab ? lab : nul(x->lab)};

			snprintf(key, sizeof(key), "%05zu%05zu", i, k);
			if (lp.cursor_key[0] && strcmp(key, lp.cursor_key) <= 0)
				continue;
			snprintf(batches, sizeof(batches), "%" PRId64, x->quotas[k].batches);
			rc = zl_list_row_key(lw, v, key);
		}
	}
	if (rc == ZL_OK)
		rc = zl_list_end_page(lw, err);
out:
	zl_sc_plan_set_release(&s);
	return rc;
}

/* ---- writes --------------------------------------------------------------------------------- */

int zl_h_sc_plans_create(struct zl_req *req, struct zl_resp *resp, struct zl_error *err)
{
	struct zl_plan_actor who;
	struct zl_sc_plan_in in;
	struct zl_sc_caller c;
	char today[16], target[48];
	cJSON *body = NULL;
	struct zl_db *db;
	int64_t id = 0;
	int rc;

	zl_plan_http_actor(req, &who, today);
	caller_of(req, &who, &c);
	if ((rc = zl_json_parse_object(req->body, req->body_len, 6, &body, err)))
		return rc;
	if ((rc = zl_sc_http_parse_plan(req, body, 0, &in, NULL, err)) ||
	    (rc = zl_sc_plan_in_check(&in, err)) || (rc = zl_plan_http_open(req, 1, &db, err)))
		goto out;
	rc = zl_store_sc_plan_create(db, &in, &who, &id, err);
	snprintf(target, sizeof(target), "spotcheck-plan:%" PRId64, id);
	if (rc == ZL_OK)
		rc = zl_req_audit(req, db, "spotcheck.plan_create", target, NULL, req->body, NULL,
				  err);
	if ((rc = zl_plan_http_finish(db, rc, err)) == ZL_OK)
		rc = answer_plan(req, resp, db, 201, id, &c, err);
out:
	cJSON_Delete(body);
	return rc;
}

/*
 * Open a write transaction and load plan {id} as the caller may see it and
 * may do `action` (-1: change) to it; on failure nothing is left open.
 */
static int start_write(struct zl_req *req, struct zl_plan_actor *who, char today[16],
		       struct zl_sc_caller *c, int action, int64_t *id, struct zl_db **db,
		       struct zl_sc_plan_set *s, struct zl_error *err)
{
	struct zl_sc_plan_facts f;
	int rc;

	if ((rc = zl_plan_http_start(req, "plan", who, today, id, err)))
		return rc;
	caller_of(req, who, c);
	if ((rc = zl_plan_http_open(req, 1, db, err)))
		return rc;
	rc = load_plan(req, *db, *id, c, s, err);
	if (rc == ZL_OK) {
		zl_sc_plan_facts(&s->v[0], &f);
		rc = zl_sc_may(c, &f, action, err);
	}
	if (rc != ZL_OK)
		zl_db_rollback(*db);
	return rc;
}

/* Audit `action` with the plan before and after, commit, answer 200 with it. */
static int finish_write(struct zl_req *req, struct zl_resp *resp, struct zl_db *db, int rc,
			int64_t id, const char *action, const char *before,
			const struct zl_sc_caller *c, struct zl_error *err)
{
	char target[48];
	struct zl_sc_plan_set s;

	snprintf(target, sizeof(target), "spotcheck-plan:%" PRId64, id);
	zl_sc_plan_set_init(&s);
	if (rc == ZL_OK)
		rc = zl_store_sc_plan_get(db, id, &s, err);
	if (rc == ZL_OK)
		rc = zl_req_audit(req, db, action, target, before, plan_text(req, &s.v[0]), NULL,
				  err);
	zl_sc_plan_set_release(&s);
	if ((rc = zl_plan_http_finish(db, rc, err)))
		return rc;
	return answer_plan(req, resp, db, 200, id, c, err);
}

int zl_h_sc_plan_update(struct zl_req *req, struct zl_resp *resp, struct zl_error *err)
{
	struct zl_plan_actor who;
	struct zl_sc_plan_set s;
	struct zl_sc_plan_in in;
	struct zl_sc_caller c;
	char today[16], path[ZL_ORG_PATH_MAX];
	const char *before;
	cJSON *body = NULL;
	struct zl_db *db;
	int64_t id;
	int rc, version = 0;

	if ((rc = zl_json_parse_object(req->body, req->body_len, 6, &body, err)))
		return rc;
	zl_sc_plan_set_init(&s);
	if ((rc = start_write(req, &who, today, &c, -1, &id, &db, &s, err)))
		goto done;
	before = plan_text(req, &s.v[0]);
	if ((rc = zl_sc_http_plan_input(req, &s.v[0], &in, err)) ||
	    (rc = zl_sc_http_parse_plan(req, body, 1, &in, &version, err)))
		goto out;
	/* Moving the plan to another organization: the same decision for the new one. */
	if (strcmp(in.org, s.v[0].org) != 0) {
		rc = zl_store_org_path(db, in.org, path, sizeof(path), err);
		if (rc == ZL_ENOTFOUND || rc == ZL_ETOOBIG) {
			zl_error_clear(err);
			path[0] = '\0';
			rc = ZL_OK;
		}
		if (rc == ZL_OK)
			rc = zl_authz_check(&req->principal, ZL_PERM_SPOTCHECK_PLAN, path, err);
		if (rc != ZL_OK)
			goto out;
	}
	rc = zl_store_sc_plan_update(db, id, &in, version, &who, err);
out:
	rc = finish_write(req, resp, db, rc, id, "spotcheck.plan_update", before, &c, err);
done:
	zl_sc_plan_set_release(&s);
	cJSON_Delete(body);
	return rc;
}

/* One step of a plan's life: {"note"?}, or {"reason"} to return it. */
static int act(struct zl_req *req, struct zl_resp *resp, int action, struct zl_error *err)
{
	static const char *const note_only[] = {"note", NULL};
	static const char *const reason_only[] = {"reason", NULL};
	const char *note = NULL, *before, *name = action == ZL_SC_RETURN ? "reason" : "note";
	char audit[48];
	struct zl_plan_actor who;
	struct zl_sc_plan_set s;
	struct zl_sc_caller c;
	char today[16];
	cJSON *body = NULL;
	struct zl_db *db;
	int64_t id;
	int rc;

	if (req->body_len > 0) {
		if ((rc = zl_json_parse_object(req->body, req->body_len, 2, &body, err)))
			return rc;
		if ((rc = zl_json_only_fields(
			     body, action == ZL_SC_RETURN ? reason_only : note_only, err)) ||
		    (rc = zl_json_get_string(body, name, 0, ZL_SC_REASON_MAX, &note, err)))
			goto done;
	}
	zl_sc_plan_set_init(&s);
	rc = start_write(req, &who, today, &c, action, &id, &db, &s, err);
	if (rc == ZL_OK) {
		before = plan_text(req, &s.v[0]);
		rc = zl_store_sc_plan_act(db, id, action, note, &who, err);
		snprintf(audit, sizeof(audit), "spotcheck.plan_%s", zl_sc_action_name(action));
		rc = finish_write(req, resp, db, rc, id, audit, before, &c, err);
	}
	zl_sc_plan_set_release(&s);
done:
	cJSON_Delete(body);
	return rc;
}

int zl_h_sc_plan_submit(struct zl_req *req, struct zl_resp *resp, struct zl_error *err)
{
	return act(req, resp, ZL_SC_SUBMIT, err);
}

int zl_h_sc_plan_approve(struct zl_req *req, struct zl_resp *resp, struct zl_error *err)
{
	return act(req, resp, ZL_SC_APPROVE, err);
}

int zl_h_sc_plan_return(struct zl_req *req, struct zl_resp *resp, struct zl_error *err)
{
	return act(req, resp, ZL_SC_RETURN, err);
}

int zl_h_sc_plan_start(struct zl_req *req, struct zl_resp *resp, struct zl_error *err)
{
	return act(req, resp, ZL_SC_START, err);
}

int zl_h_sc_plan_finish(struct zl_req *req, struct zl_resp *resp, struct zl_error *err)
{
	return act(req, resp, ZL_SC_FINISH, err);
}
