/*
 * catalogue.c - the key-product catalogue over HTTP (docs/spotchecks.md):
 *   GET    /api/v1/catalogue                 categories, filtered, paged or as a tree; CSV, xlsx
 *   GET    /api/v1/catalogue/items           test items, one row each; CSV, xlsx
 *   GET    /api/v1/catalogue/{code}          one category with its place in the tree
 *   GET    /api/v1/catalogue/{code}/history  its versions
 *   POST   /api/v1/catalogue                 create (provincial level)
 *   PATCH  /api/v1/catalogue/{code}          change, move, retire, reinstate (provincial level)
 *   DELETE /api/v1/catalogue/{code}          retire (provincial level)
 *   GET    /api/v1/public/catalogue          the key products of a year, for the portal
 * Every signed-in caller reads the catalogue; writes carry catalogue.write
 * with org scope "province" (http/auth.c) and are audited with the
 * category's JSON before and after.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/json.h"
#include "domain/check.h"
#include "http/audit_hook.h"
#include "http/credit.h"
#include "http/handlers.h"
#include "http/list.h"
#include "http/plan_http.h"
#include "http/spotcheck_http.h"
#include "store/catalogue.h"

static int given(const char *s)
{
	return s != NULL && *s != '\0';
}

static const char *nul(const char *s)
{
	return given(s) ? s : NULL;
}

/* The whole catalogue, read in one snapshot; ZL_EUNAVAIL without a database. */
static int load_all(struct zl_req *req, struct zl_cat_set *s, struct zl_error *err)
{
	struct zl_db *db;
	int rc;

	if ((rc = zl_plan_http_open(req, 0, &db, err)))
		return rc;
	rc = zl_store_cat_load(db, NULL, s, err);
	zl_db_rollback(db);
	return rc;
}

/* A query flag: 1, true. */
static int flag(const char *s)
{
	return s != NULL && (!strcmp(s, "1") || !strcmp(s, "true"));
}

/* A year query parameter 1949..2100 into *out (0 when absent); ZL_EINVAL naming it. */
static int query_year(struct zl_req *req, const char *name, int *out, struct zl_error *err)
{
	const char *s = zl_req_query(req, name);
	char *end = NULL;
	long v;

	*out = 0;
	if (!given(s))
		return ZL_OK;
	v = strtol(s, &end, 10);
	if (end == s || *end != '\0' || v < 1949 || v > 2100)
		return zl_error_set(err, ZL_EINVAL, name, "%s must be a year 1949..2100", name);
	*out = (int)v;
	return ZL_OK;
}

/* "GB 175-2007 通用硅酸盐水泥；GB/T ..." for list rows, in the arena. */
static const char *standards_text(struct zl_req *req, const struct zl_cat *c)
{
	struct zl_buf b = ZL_BUF_INIT(64 << 10);
	const char *out = NULL;

	for (size_t i = 0; i < c->nstandards; i++) {
		const struct zl_cat_std *s = &c->standards[i];

		zl_buf_adds(&b, i ? "；" : "");
		zl_buf_adds(&b, s->number);
		if (s->year)
			zl_buf_addf(&b, "-%d", s->year);
		zl_buf_addch(&b, ' ');
		zl_buf_adds(&b, s->title);
	}
	if (!b.err)
		out = zl_arena_strdup(req->arena, zl_buf_str(&b));
	zl_buf_release(&b);
	return out;
}

/* The industry codes joined by "、", in the arena. */
static const char *industries_text(struct zl_req *req, const struct zl_cat *c)
{
	struct zl_buf b = ZL_BUF_INIT(4096);
	const char *out = NULL;

	for (size_t i = 0; i < c->nindustries; i++) {
		zl_buf_adds(&b, i ? "、" : "");
		zl_buf_adds(&b, c->industries[i]);
	}
	if (!b.err)
		out = zl_arena_strdup(req->arena, zl_buf_str(&b));
	zl_buf_release(&b);
	return out;
}

/* ---- the list and the tree ------------------------------------------------------------------ */

struct cat_filter {
	const char *q;
	const char *status; /* active | retired | all */
	int risk;	    /* 0: any */
	int key;	    /* key-supervised only */
	int year;	    /* key-supervised in that year */
	const char *parent;
	const char *industry;
};

/* The category or one of its industries is related to `industry` (either is a prefix). */
static int industry_match(const struct zl_cat *c, const char *industry)
{
	size_t n = strlen(industry);

	for (size_t i = 0; i < c->nindustries; i++) {
		size_t m = strlen(c->industries[i]);

		if (!strncmp(c->industries[i], industry, m < n ? m : n))
			return 1;
	}
	return 0;
}

static int matches(const struct zl_cat *c, const struct cat_filter *f)
{
	if (strcmp(f->status, "all") != 0 && strcmp(c->status, f->status) != 0)
		return 0;
	if (f->risk && c->risk != f->risk)
		return 0;
	if (f->key && !c->key_supervised)
		return 0;
	if (f->year && !zl_cat_key_in(c->key_supervised, c->key_from, c->key_to, f->year))
		return 0;
	if (f->parent && strcmp(c->parent, f->parent) != 0)
		return 0;
	if (f->industry && !industry_match(c, f->industry))
		return 0;
	if (f->q && strncmp(c->code, f->q, strlen(f->q)) != 0 && !strstr(c->name, f->q))
		return 0;
	return 1;
}

static int parse_filter(struct zl_req *req, struct cat_filter *f, struct zl_error *err)
{
	const char *risk = zl_req_query(req, "risk");
	int rc;

	memset(f, 0, sizeof(*f));
	f->q = nul(zl_req_query(req, "q"));
	f->status = given(zl_req_query(req, "status")) ? zl_req_query(req, "status") : "active";
	f->key = flag(zl_req_query(req, "key"));
	f->parent = nul(zl_req_query(req, "parent"));
	f->industry = nul(zl_req_query(req, "industry"));
	if (f->q && zl_check_chars(f->q) > 100)
		return zl_error_set(err, ZL_EINVAL, "q", "q: at most 100 characters");
	if (strcmp(f->status, "active") && strcmp(f->status, "retired") && strcmp(f->status, "all"))
		return zl_error_set(err, ZL_EINVAL, "status", "status is active, retired or all");
	if (given(risk) && zl_risk_parse(risk, &f->risk) != ZL_OK)
		return zl_error_set(err, ZL_EINVAL, "risk", "risk is I, II or III");
	if ((rc = query_year(req, "year", &f->year, err)))
		return rc;
	return ZL_OK;
}

static const struct zl_list_col cat_cols[] = {
	{"code", "编码", "Code", ZL_COL_TEXT},
	{"parent", "上级编码", "Parent", ZL_COL_TEXT},
	{"name", "产品名称", "Product", ZL_COL_TEXT},
	{"level", "层级", "Level", ZL_COL_INT},
	{"risk", "风险等级", "Risk level", ZL_COL_TEXT},
	{"key_supervised", "重点监管", "Key-supervised", ZL_COL_BOOL},
	{"key_from", "重点监管起始年度", "Key from", ZL_COL_INT},
	{"key_to", "重点监管截止年度", "Key to", ZL_COL_INT},
	{"industries", "国民经济行业（GB/T 4754-2017）", "Industries (GB/T 4754-2017)",
	 ZL_COL_TEXT},
	{"standards", "适用标准", "Standards", ZL_COL_TEXT},
	{"items", "检验项目数", "Test items", ZL_COL_INT},
	{"status", "状态", "Status", ZL_COL_TEXT},
	{"version", "版本", "Version", ZL_COL_INT},
	{"updated_at", "更新时间", "Updated", ZL_COL_TIME},
};
#define N_CAT_COLS (sizeof(cat_cols) / sizeof(cat_cols[0]))

static void tree_node(struct zl_jw *w, const struct zl_cat_set *s, const unsigned char *keep,
		      size_t i)
{
	const struct zl_cat *c = &s->v[i];

	zl_jw_obj_begin(w);
	zl_jw_kstr(w, "code", c->code);
	zl_jw_kstr(w, "parent", nul(c->parent));
	zl_jw_kstr(w, "name", c->name);
	zl_jw_kint(w, "level", c->depth);
	zl_jw_kstr(w, "risk", zl_risk_name(c->risk));
	zl_jw_kbool(w, "key_supervised", c->key_supervised);
	zl_jw_kstr(w, "status", c->status);
	zl_jw_kint(w, "standards", (int64_t)c->nstandards);
	zl_jw_kint(w, "items", (int64_t)c->nitems);
	zl_jw_key(w, "children");
	zl_jw_arr_begin(w);
	for (size_t k = 0; k < s->n; k++)
		if (keep[k] && strcmp(s->v[k].parent, c->code) == 0)
			tree_node(w, s, keep, k);
	zl_jw_arr_end(w);
	zl_jw_obj_end(w);
}

/* tree=1: the matching categories nested under their parents (an orphan at the top). */
static int answer_tree(struct zl_req *req, struct zl_resp *resp, const struct zl_cat_set *s,
		       const unsigned char *keep, size_t n, struct zl_error *err)
{
	struct zl_jw w;

	(void)err;
	(void)req;
	zl_resp_json(resp, 200, &w);
	zl_jw_obj_begin(&w);
	zl_jw_key(&w, "items");
	zl_jw_arr_begin(&w);
	for (size_t i = 0; i < s->n; i++) {
		const struct zl_cat *up;

		if (!keep[i])
			continue;
		up = given(s->v[i].parent) ? zl_cat_set_find(s, s->v[i].parent) : NULL;
		if (up == NULL || !keep[up - s->v])
			tree_node(&w, s, keep, i);
	}
	zl_jw_arr_end(&w);
	zl_jw_kint(&w, "total", (int64_t)n);
	zl_jw_obj_end(&w);
	return zl_jw_error(&w);
}

int zl_h_catalogue_list(struct zl_req *req, struct zl_resp *resp, struct zl_error *err)
{
	struct zl_list_writer *lw = NULL;
	struct zl_list_params lp;
	struct cat_filter f;
	struct zl_cat_set s;
	unsigned char *keep = NULL;
	size_t n = 0;
	int rc;

	if ((rc = zl_list_parse(req, &lp, err)) || (rc = parse_filter(req, &f, err)))
		return rc;
	zl_cat_set_init(&s);
	if ((rc = load_all(req, &s, err)))
		goto out;
	keep = zl_arena_calloc(req->arena, s.n + 1, 1);
	if (keep == NULL) {
		rc = zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < s.n; i++)
		n += keep[i] = (unsigned char)matches(&s.v[i], &f);
	if (lp.format == ZL_LIST_JSON && flag(zl_req_query(req, "tree"))) {
		rc = answer_tree(req, resp, &s, keep, n, err);
		goto out;
	}
	rc = zl_list_begin(req, resp, &lp, "重点监管产品目录", cat_cols, N_CAT_COLS, (int64_t)n,
			   &lw, err);
	for (size_t i = 0; i < s.n && rc == ZL_OK; i++) {
		const struct zl_cat *c = &s.v[i];
		char level[16], from[16], to[16], items[24], version[16];
		const char *v[N_CAT_COLS] = {c->code,
					     nul(c->parent),
					     c->name,
					     level,
					     zl_risk_name(c->risk),
					     c->key_supervised ? "1" : "0",
					     c->key_from ? from : NULL,
					     c->key_to ? to : NULL,
					     industries_text(req, c),
					     standards_text(req, c),
					     items,
					     c->status,
					     version,
					     c->updated_at};

		if (!keep[i] || (lp.cursor_key[0] && strcmp(c->code, lp.cursor_key) <= 0))
			continue;
		snprintf(level, sizeof(level), "%d", c->depth);
		snprintf(from, sizeof(from), "%d", c->key_from);
		snprintf(to, sizeof(to), "%d", c->key_to);
		snprintf(items, sizeof(items), "%zu", c->nitems);
		snprintf(version, sizeof(version), "%d", c->version);
		rc = zl_list_row_key(lw, v, c->code);
	}
	if (rc == ZL_OK)
		rc = zl_list_end_page(lw, err);
out:
	zl_cat_set_release(&s);
	return rc;
}

/* ---- test items ----------------------------------------------------------------------------- */

static const struct zl_list_col item_cols[] = {
	{"code", "产品编码", "Product code", ZL_COL_TEXT},
	{"product", "产品名称", "Product", ZL_COL_TEXT},
	{"item", "检验项目", "Test item", ZL_COL_TEXT},
	{"unit", "单位", "Unit", ZL_COL_TEXT},
	{"min", "下限", "Minimum", ZL_COL_TEXT},
	{"max", "上限", "Maximum", ZL_COL_TEXT},
	{"text", "技术要求", "Requirement", ZL_COL_TEXT},
	{"method", "检验方法", "Method", ZL_COL_TEXT},
	{"severity", "不合格程度", "Severity", ZL_COL_TEXT},
};
#define N_ITEM_COLS (sizeof(item_cols) / sizeof(item_cols[0]))

/* Is `c` the category `code` or under it? */
static int under(const struct zl_cat_set *s, const struct zl_cat *c, const char *code)
{
	for (int d = 0; c != NULL && d <= ZL_CAT_DEPTH_MAX; d++) {
		if (strcmp(c->code, code) == 0)
			return 1;
		c = given(c->parent) ? zl_cat_set_find(s, c->parent) : NULL;
	}
	return 0;
}

/* A limit as the shortest decimal that reads back the same, in the arena. */
static const char *limit_text(struct zl_req *req, int has, double v)
{
	return has ? zl_arena_printf(req->arena, "%.15g", v) : NULL;
}

int zl_h_catalogue_items(struct zl_req *req, struct zl_resp *resp, struct zl_error *err)
{
	const char *code = nul(zl_req_query(req, "code"));
	const char *severity = nul(zl_req_query(req, "severity"));
	const char *status = zl_req_query(req, "status");
	struct zl_list_writer *lw = NULL;
	struct zl_list_params lp;
	struct zl_cat_set s;
	int64_t total = 0;
	int rc;

	if ((rc = zl_list_parse(req, &lp, err)))
		return rc;
	if (!given(status))
		status = "active";
	if (strcmp(status, "active") && strcmp(status, "retired") && strcmp(status, "all"))
		return zl_error_set(err, ZL_EINVAL, "status", "status is active, retired or all");
	if (severity && zl_severity_zh(severity) == NULL)
		return zl_error_set(err, ZL_EINVAL, "severity", "severity is serious or general");
	zl_cat_set_init(&s);
	if ((rc = load_all(req, &s, err)))
		goto out;
	if (code && !zl_cat_set_find(&s, code)) {
		rc = zl_error_set(err, ZL_ENOTFOUND, "code", "no catalogue category %.40s", code);
		goto out;
	}
	for (int pass = 0; pass < 2 && rc == ZL_OK; pass++) {
		if (pass == 1)
			rc = zl_list_begin(req, resp, &lp, "检验项目", item_cols, N_ITEM_COLS,
					   total, &lw, err);
		for (size_t i = 0; i < s.n && rc == ZL_OK; i++) {
			const struct zl_cat *c = &s.v[i];

			if ((strcmp(status, "all") != 0 && strcmp(c->status, status) != 0) ||
			    (code && !under(&s, c, code)))
				continue;
			for (size_t k = 0; k < c->nitems && rc == ZL_OK; k++) {
				const struct zl_cat_item *x = &c->items[k];
				char key[ZL_CAT_CODE_MAX + 24];
				const char *v[N_ITEM_COLS] = {c->code,
							      c->name,
							      x->name,
							      nul(x->unit),
							      limit_text(req, x->has_min, x->min),
							      limit_text(req, x->has_max, x->max),
							      nul(x->text),
							      nul(x->method),
							      x->severity};

				if (severity && strcmp(x->severity, severity) != 0)
					continue;
				if (pass == 0) {
					total++;
					continue;
				}
				/* Code padded with spaces (below every code character), then
				 * the position: keys sort as the rows do. */
				snprintf(key, sizeof(key), "%-*s%04zu", ZL_CAT_CODE_MAX, c->code,
					 k);
				if (lp.cursor_key[0] && strcmp(key, lp.cursor_key) <= 0)
					continue;
				rc = zl_list_row_key(lw, v, key);
			}
		}
	}
	if (rc == ZL_OK)
		rc = zl_list_end_page(lw, err);
out:
	zl_cat_set_release(&s);
	return rc;
}

/* ---- one category --------------------------------------------------------------------------- */

/* GET's answer: the category's members, its depth, ancestors and children. */
static int answer_category(struct zl_resp *resp, int status, const char *code, struct zl_db *db,
			   struct zl_error *err)
{
	struct zl_cat_set s;
	const struct zl_cat *c;
	struct zl_jw w;
	int rc;

	zl_cat_set_init(&s);
	rc = zl_store_cat_load(db, NULL, &s, err);
	c = rc == ZL_OK ? zl_cat_set_find(&s, code) : NULL;
	if (rc == ZL_OK && c == NULL)
		rc = zl_error_set(err, ZL_ENOTFOUND, "code", "no catalogue category %.40s", code);
	if (rc == ZL_OK) {
		const struct zl_cat *path[ZL_CAT_DEPTH_MAX + 1];
		size_t n = 0;

		for (const struct zl_cat *up = given(c->parent) ? zl_cat_set_find(&s, c->parent)
								: NULL;
		     up != NULL && n < ZL_CAT_DEPTH_MAX;
		     up = given(up->parent) ? zl_cat_set_find(&s, up->parent) : NULL)
			path[n++] = up;
		zl_resp_json(resp, status, &w);
		zl_jw_obj_begin(&w);
		zl_cat_write_members(&w, c);
		zl_jw_kint(&w, "level", c->depth);
		zl_jw_key(&w, "ancestors");
		zl_jw_arr_begin(&w);
		for (size_t k = n; k-- > 0;) {
			zl_jw_obj_begin(&w);
			zl_jw_kstr(&w, "code", path[k]->code);
			zl_jw_kstr(&w, "name", path[k]->name);
			zl_jw_obj_end(&w);
		}
		zl_jw_arr_end(&w);
		/* What the ancestors carry applies to this category too, from the family down. */
		zl_jw_key(&w, "inherited_standards");
		zl_jw_arr_begin(&w);
		for (size_t k = n; k-- > 0;)
			for (size_t i = 0; i < path[k]->nstandards; i++) {
				const struct zl_cat_std *x = &path[k]->standards[i];

				zl_jw_obj_begin(&w);
				zl_jw_kstr(&w, "from", path[k]->code);
				zl_jw_kstr(&w, "number", x->number);
				zl_jw_key(&w, "year");
				if (x->year)
					zl_jw_int(&w, x->year);
				else
					zl_jw_null(&w);
				zl_jw_kstr(&w, "title", x->title);
				zl_jw_obj_end(&w);
			}
		zl_jw_arr_end(&w);
		zl_jw_key(&w, "inherited_items");
		zl_jw_arr_begin(&w);
		for (size_t k = n; k-- > 0;)
			for (size_t i = 0; i < path[k]->nitems; i++) {
				zl_jw_obj_begin(&w);
				zl_jw_kstr(&w, "from", path[k]->code);
				zl_jw_kstr(&w, "name", path[k]->items[i].name);
				zl_jw_kstr(&w, "severity", path[k]->items[i].severity);
				zl_jw_obj_end(&w);
			}
		zl_jw_arr_end(&w);
		zl_jw_key(&w, "children");
		zl_jw_arr_begin(&w);
		for (size_t i = 0; i < s.n; i++) {
			if (strcmp(s.v[i].parent, c->code) != 0)
				continue;
			zl_jw_obj_begin(&w);
			zl_jw_kstr(&w, "code", s.v[i].code);
			zl_jw_kstr(&w, "name", s.v[i].name);
			zl_jw_kstr(&w, "status", s.v[i].status);
			zl_jw_obj_end(&w);
		}
		zl_jw_arr_end(&w);
		zl_jw_kstr(&w, "created_by", c->created_by);
		zl_jw_kstr(&w, "created_at", c->created_at);
		zl_jw_kstr(&w, "updated_by", c->updated_by);
		zl_jw_kstr(&w, "updated_at", c->updated_at);
		zl_jw_obj_end(&w);
		rc = zl_jw_error(&w);
	}
	zl_cat_set_release(&s);
	return rc;
}

int zl_h_catalogue_get(struct zl_req *req, struct zl_resp *resp, struct zl_error *err)
{
	struct zl_db *db;
	int rc;

	if ((rc = zl_plan_http_open(req, 0, &db, err)))
		return rc;
	rc = answer_category(resp, 200, zl_req_param(req, "code"), db, err);
	zl_db_rollback(db);
	return rc;
}

static const struct zl_list_col history_cols[] = {
	{"version", "版本", "Version", ZL_COL_INT},
	{"action", "操作", "Action", ZL_COL_TEXT},
	{"changed_by", "操作人", "Changed by", ZL_COL_TEXT},
	{"changed_at", "时间", "Changed at", ZL_COL_TIME},
	{"category", "该版本内容（JSON）", "The category (JSON)", ZL_COL_TEXT},
};
#define N_HISTORY_COLS (sizeof(history_cols) / sizeof(history_cols[0]))

struct history {
	struct zl_list_writer *w;
	int before; /* the cursor: versions below this one; 0 none */
};

static int history_row(void *cls, const struct zl_cat_version *v)
{
	struct history *h = cls;
	char version[16];
	const char *row[N_HISTORY_COLS] = {version, v->action, v->changed_by, v->changed_at,
					   v->snapshot};

	if (h->before > 0 && v->version >= h->before)
		return ZL_OK;
	snprintf(version, sizeof(version), "%d", v->version);
	return zl_list_row_key(h->w, row, version);
}

/* How many versions `code` has (the total); ZL_ENOTFOUND as zl_store_cat_versions. */
static int count_version(void *cls, const struct zl_cat_version *v)
{
	(void)v;
	(*(int64_t *)cls)++;
	return ZL_OK;
}

int zl_h_catalogue_history(struct zl_req *req, struct zl_resp *resp, struct zl_error *err)
{
	const char *code = zl_req_param(req, "code");
	struct zl_list_params lp;
	struct history h = {0};
	int64_t total = 0;
	struct zl_db *db;
	int rc;

	if ((rc = zl_list_parse(req, &lp, err)))
		return rc;
	if (lp.cursor_key[0]) {
		char *end = NULL;
		long v = strtol(lp.cursor_key, &end, 10);

		if (v <= 0 || *end != '\0' || v > INT32_MAX)
			return zl_error_set(err, ZL_EINVAL, "cursor", "bad cursor");
		h.before = (int)v;
	}
	if ((rc = zl_plan_http_open(req, 0, &db, err)))
		return rc;
	rc = zl_store_cat_versions(db, code, count_version, &total, err);
	if (rc == ZL_OK)
		rc = zl_list_begin(req, resp, &lp, "目录变更记录", history_cols, N_HISTORY_COLS,
				   total, &h.w, err);
	if (rc == ZL_OK)
		rc = zl_store_cat_versions(db, code, history_row, &h, err);
	zl_db_rollback(db);
	if (rc == ZL_OK)
		rc = zl_list_end_page(h.w, err);
	return rc;
}

/* ---- writes --------------------------------------------------------------------------------- */

static void cat_json(struct zl_jw *w, const void *c)
{
	zl_cat_write_json(w, c);
}

/* The category `code` as JSON text (for audit digests), or NULL. */
static const char *cat_text(struct zl_req *req, struct zl_db *db, const char *code)
{
	struct zl_error ignored = ZL_ERROR_INIT;
	const char *s = NULL;
	struct zl_cat_set set;

	zl_cat_set_init(&set);
	if (zl_store_cat_load(db, code, &set, &ignored) == ZL_OK)
		s = zl_plan_http_json_text(req, cat_json, &set.v[0]);
	zl_cat_set_release(&set);
	return s;
}

/* Audit `action` on the category, commit, answer `status` with it. */
static int finish(struct zl_req *req, struct zl_resp *resp, struct zl_db *db, int rc, int status,
		  const char *action, const char *code, const char *before, struct zl_error *err)
{
	const char *target = zl_arena_printf(req->arena, "catalogue:%s", code);

	if (rc == ZL_OK)
		rc = zl_req_audit(req, db, action, target ? target : "catalogue", before,
				  cat_text(req, db, code), NULL, err);
	if ((rc = zl_plan_http_finish(db, rc, err)))
		return rc;
	return answer_category(resp, status, code, db, err);
}

int zl_h_catalogue_create(struct zl_req *req, struct zl_resp *resp, struct zl_error *err)
{
	struct zl_plan_actor who;
	struct zl_cat_in in;
	char today[16];
	cJSON *body = NULL;
	struct zl_db *db;
	int rc;

	zl_plan_http_actor(req, &who, today);
	if ((rc = zl_json_parse_object(req->body, req->body_len, 4, &body, err)))
		return rc;
	if ((rc = zl_cat_http_parse(req, body, 0, &in, NULL, NULL, err)) ||
	    (rc = zl_cat_in_check(&in, err)) || (rc = zl_plan_http_open(req, 1, &db, err)))
		goto out;
	rc = zl_store_cat_create(db, &in, &who, err);
	rc = finish(req, resp, db, rc, 201, "catalogue.create", in.code, NULL, err);
out:
	cJSON_Delete(body);
	return rc;
}

int zl_h_catalogue_update(struct zl_req *req, struct zl_resp *resp, struct zl_error *err)
{
	const char *code = zl_req_param(req, "code"), *status = NULL, *before, *action;
	struct zl_plan_actor who;
	struct zl_cat_set s;
	struct zl_cat_in in;
	char today[16];
	cJSON *body = NULL;
	struct zl_db *db = NULL;
	int rc, version = 0;

	zl_plan_http_actor(req, &who, today);
	zl_cat_set_init(&s);
	if ((rc = zl_json_parse_object(req->body, req->body_len, 4, &body, err)) ||
	    (rc = zl_plan_http_open(req, 1, &db, err)))
		goto done;
	if ((rc = zl_store_cat_load(db, code, &s, err)) ||
	    (rc = zl_cat_input_of(req->arena, &s.v[0], &in, err)) ||
	    (rc = zl_cat_http_parse(req, body, 1, &in, &status, &version, err))) {
		zl_db_rollback(db);
		goto done;
	}
	before = zl_plan_http_json_text(req, cat_json, &s.v[0]);
	action = status == NULL || strcmp(status, s.v[0].status) == 0 ? "catalogue.update"
		 : strcmp(status, "retired") == 0		      ? "catalogue.retire"
								      : "catalogue.reinstate";
	rc = zl_store_cat_update(db, &in, status, version, &who, err);
	rc = finish(req, resp, db, rc, 200, action, s.v[0].code, before, err);
done:
	zl_cat_set_release(&s);
	cJSON_Delete(body);
	return rc;
}

int zl_h_catalogue_retire(struct zl_req *req, struct zl_resp *resp, struct zl_error *err)
{
	const char *code = zl_req_param(req, "code");
	struct zl_plan_actor who;
	const char *before;
	char today[16];
	struct zl_db *db;
	int rc;

	zl_plan_http_actor(req, &who, today);
	if ((rc = zl_plan_http_open(req, 1, &db, err)))
		return rc;
	before = cat_text(req, db, code);
	rc = zl_store_cat_retire(db, code, &who, err);
	return finish(req, resp, db, rc, 200, "catalogue.retire", code, before, err);
}

/* ---- the portal ----------------------------------------------------------------------------- */

static const struct zl_list_col public_cols[] = {
	{"code", "编码", "Code", ZL_COL_TEXT},
	{"parent", "上级编码", "Parent", ZL_COL_TEXT},
	{"name", "产品名称", "Product", ZL_COL_TEXT},
	{"industries", "国民经济行业（GB/T 4754-2017）", "Industries (GB/T 4754-2017)",
	 ZL_COL_TEXT},
	{"standards", "适用标准", "Standards", ZL_COL_TEXT},
};
#define N_PUBLIC_COLS (sizeof(public_cols) / sizeof(public_cols[0]))

int zl_h_public_catalogue(struct zl_req *req, struct zl_resp *resp, struct zl_error *err)
{
	struct zl_list_writer *lw = NULL;
	struct zl_list_params lp;
	struct zl_cat_set s;
	char today[16];
	int64_t n = 0;
	int rc, year = 0;

	if ((rc = zl_list_parse(req, &lp, err)) || (rc = query_year(req, "year", &year, err)))
		return rc;
	if (year == 0) {
		zl_http_credit_today(today);
		year = (today[0] - '0') * 1000 + (today[1] - '0') * 100 + (today[2] - '0') * 10 +
		       (today[3] - '0');
	}
	zl_cat_set_init(&s);
	if ((rc = load_all(req, &s, err)))
		goto out;
	for (size_t i = 0; i < s.n; i++)
		n += !strcmp(s.v[i].status, "active") &&
		     zl_cat_key_in(s.v[i].key_supervised, s.v[i].key_from, s.v[i].key_to, year);
	rc = zl_list_begin(req, resp, &lp, "重点监管产品目录", public_cols, N_PUBLIC_COLS, n, &lw,
			   err);
	for (size_t i = 0; i < s.n && rc == ZL_OK; i++) {
		const struct zl_cat *c = &s.v[i];
		const char *v[N_PUBLIC_COLS] = {c->code, nul(c->parent), c->name,
						industries_text(req, c), standards_text(req, c)};

		if (strcmp(c->status, "active") != 0 ||
		    !zl_cat_key_in(c->key_supervised, c->key_from, c->key_to, year) ||
		    (lp.cursor_key[0] && strcmp(c->code, lp.cursor_key) <= 0))
			continue;
		rc = zl_list_row_key(lw, v, c->code);
	}
	if (rc == ZL_OK)
		rc = zl_list_end_page(lw, err);
out:
	zl_cat_set_release(&s);
	return rc;
}
