/*
 * enterprise_search.c - finding enterprises over HTTP (issue 4 "Find"):
 *
 *   GET /api/v1/enterprises          staff search and list: q, region,
 *       industry, status, cert, sort, order, limit, cursor, format=csv|xlsx,
 *       or count=region|industry|status for buckets instead of rows;
 *   GET /api/v1/public/enterprises   the public portal's name search: q of
 *       at least two characters, pages of at most 20 rows (cursor paging) of uscc, name, region name
 *       and status, nothing else (anonymous callers are rate-limited by
 *       http/auth.c like every anonymous API request).
 *
 * Matching rules, plan and paging are store/enterprise_search.h's; this
 * file decodes and validates the query string and writes the answer.
 */
#include <stdlib.h>
#include <string.h>

#include "codes/industry.h"
#include "codes/region.h"
#include "core/jw.h"
#include "domain/grams.h"
#include "http/handlers.h"
#include "http/http.h"
#include "http/list.h"
#include "store/enterprise_search.h"

static const char *param(const struct zl_req *req, const char *name)
{
	const char *v = zl_req_query(req, name);

	return v != NULL && v[0] != '\0' ? v : NULL;
}

static const char *region_name(const char *code)
{
	const struct zl_region *r;

	if (code == NULL || strlen(code) != 6)
		return NULL;
	r = zl_region_find(code, ZL_REGION_LATEST);
	return r != NULL ? r->name : NULL;
}

/* The filter parameters shared by rows and counts; 400 naming the parameter. */
static int parse_filter(const struct zl_req *req, struct zl_ent_filter *f, struct zl_error *err)
{
	const char *s;

	memset(f, 0, sizeof(*f));
	f->q = param(req, "q");
	f->region = param(req, "region");
	f->industry = param(req, "industry");
	f->status = param(req, "status");
	f->cert = param(req, "cert");
	/* A region is named by its full six-digit code (its subtree is searched). */
	if (f->region != NULL && region_name(f->region) == NULL)
		return zl_error_set(err, ZL_EINVAL, "region",
				    "region must be a six-digit GB/T 2260 code of Henan");
	if (f->industry != NULL && zl_industry_find(f->industry) == NULL)
		return zl_error_set(err, ZL_EINVAL, "industry",
				    "industry must be a GB/T 4754-2017 division or class code");
	if ((s = param(req, "sort")) != NULL && zl_ent_sort_parse(s, &f->sort) != ZL_OK)
		return zl_error_set(err, ZL_EINVAL, "sort",
				    "sort must be uscc, name, founded or updated_at");
	if ((s = param(req, "order")) != NULL) {
		if (strcmp(s, "desc") == 0)
			f->desc = 1;
		else if (strcmp(s, "asc") != 0)
			return zl_error_set(err, ZL_EINVAL, "order", "order must be asc or desc");
	}
	return zl_ent_filter_check(f, err);
}

/* ---- counts -------------------------------------------------------------- */

struct bucket_out {
	struct zl_jw *w;
	enum zl_ent_count field;
	int64_t missing; /* the bucket without a value, written last */
};

static int bucket(void *cls, const char *key, int64_t count)
{
	struct bucket_out *b = cls;
	const struct zl_industry_division *d;
	const char *name = NULL;

	if (key[0] == '\0') {
		b->missing += count;
		return ZL_OK;
	}
	if (b->field == ZL_ENT_COUNT_REGION) {
		name = region_name(key);
	} else if (b->field == ZL_ENT_COUNT_INDUSTRY) {
		d = zl_industry_find(key);
		name = d != NULL ? d->name : NULL;
	}
	zl_jw_obj_begin(b->w);
	zl_jw_kstr(b->w, "key", key);
	if (b->field != ZL_ENT_COUNT_STATUS)
		zl_jw_kstr(b->w, "name", name);
	zl_jw_kint(b->w, "count", count);
	zl_jw_obj_end(b->w);
	return ZL_OK;
}

static int answer_count(struct zl_req *req, struct zl_resp *resp, struct zl_db *db,
			const struct zl_ent_filter *f, const char *field, struct zl_error *err)
{
	struct bucket_out b = {0};
	struct zl_jw w;
	int64_t total = 0;
	int rc;

	(void)req;
	if (zl_ent_count_parse(field, &b.field) != ZL_OK)
		return zl_error_set(err, ZL_EINVAL, "count",
				    "count must be region, industry or status");
	if (param(req, "format") != NULL && strcmp(param(req, "format"), "json") != 0)
		return zl_error_set(err, ZL_EINVAL, "format", "count answers only in JSON");
	b.w = &w;
	zl_resp_json(resp, 200, &w);
	zl_jw_obj_begin(&w);
	zl_jw_kstr(&w, "field", field);
	zl_jw_key(&w, "buckets");
	zl_jw_arr_begin(&w);
	rc = zl_store_enterprise_count(db, f, b.field, bucket, &b, &total, err);
	if (rc != ZL_OK)
		return rc;
	if (b.missing > 0) {
		zl_jw_obj_begin(&w);
		zl_jw_key(&w, "key");
		zl_jw_null(&w);
		zl_jw_kint(&w, "count", b.missing);
		zl_jw_obj_end(&w);
	}
	zl_jw_arr_end(&w);
	zl_jw_kint(&w, "total", total);
	zl_jw_obj_end(&w);
	return zl_jw_error(&w);
}

/* ---- rows ---------------------------------------------------------------- */

static const struct zl_list_col ent_cols[] = {
	{"uscc", "统一社会信用代码", "USCC", ZL_COL_TEXT},
	{"name", "企业名称", "Name", ZL_COL_TEXT},
	{"region", "行政区划代码", "Region code", ZL_COL_TEXT},
	{"region_name", "行政区划", "Region", ZL_COL_TEXT},
	{"industry", "行业代码", "Industry", ZL_COL_TEXT},
	{"status", "登记状态", "Status", ZL_COL_TEXT},
	{"size_class", "企业规模", "Size class", ZL_COL_TEXT},
	{"founded", "成立日期", "Founded", ZL_COL_TEXT},
	{"updated_at", "更新时间", "Updated", ZL_COL_TIME},
};
#define N_ENT_COLS (sizeof(ent_cols) / sizeof(ent_cols[0]))

struct ent_page {
	struct zl_list_writer *w;
	int row_rc; /* the writer's failure, which stops the walk */
};

static int ent_row(void *cls, const struct zl_enterprise *e)
{
	struct ent_page *p = cls;
	const char *v[N_ENT_COLS];

	v[0] = e->uscc;
	v[1] = e->name;
	v[2] = e->region[0] ? e->region : NULL;
	v[3] = region_name(e->region);
	v[4] = e->industry[0] ? e->industry : NULL;
	v[5] = e->status;
	v[6] = e->size_class[0] ? e->size_class : NULL;
	v[7] = e->founded[0] ? e->founded : NULL;
	v[8] = e->updated_at;
	/* The cursor is the uscc: the store re-reads that row's sort key. */
	p->row_rc = zl_list_row_key(p->w, v, e->uscc);
	return p->row_rc;
}

int zl_h_enterprises_list(struct zl_req *req, struct zl_resp *resp, struct zl_error *err)
{
	struct zl_list_params lp;
	struct zl_ent_filter f;
	struct ent_page p = {0};
	struct zl_db *db;
	const char *count;
	int64_t total = 0;
	int rc;

	rc = parse_filter(req, &f, err);
	if (rc != ZL_OK)
		return rc;
	db = zl_req_db(req, err);
	if (!db)
		return ZL_EUNAVAIL;
	if ((count = param(req, "count")) != NULL)
		return answer_count(req, resp, db, &f, count, err);
	rc = zl_list_parse(req, &lp, err);
	if (rc != ZL_OK)
		return rc;
	if (lp.cursor_key[0] != '\0' && strlen(lp.cursor_key) >= ZL_ENT_KEY_MAX)
		return zl_error_set(err, ZL_EINVAL, "cursor", "bad cursor");
	f.after = lp.cursor_key;
	f.limit = zl_list_fetch_limit(&lp);
	/* An xlsx export checks the total up front (Excel's row limit). */
	if (lp.format == ZL_LIST_XLSX) {
		rc = zl_store_enterprise_list(db, &f, NULL, NULL, &total, err);
		if (rc != ZL_OK)
			return rc;
	}
	rc = zl_list_begin(req, resp, &lp, "enterprises", ent_cols, N_ENT_COLS, total, &p.w, err);
	if (rc != ZL_OK)
		return rc;
	/* One plan for the rows and the exact total (counted before the rows). */
	rc = zl_store_enterprise_list(db, &f, ent_row, &p, &total, err);
	if (rc && p.row_rc)
		return zl_list_end(p.w, NULL, err);
	if (rc)
		return rc;
	zl_list_set_total(p.w, total);
	return zl_list_end_page(p.w, err);
}

/* ---- the public portal --------------------------------------------------- */

#define PUBLIC_LIMIT_MAX 20
#define PUBLIC_LIMIT_DEFAULT 10

struct public_out {
	struct zl_jw *w;
	int limit, n;		   /* rows wanted; rows written */
	char last[ZL_ENT_KEY_MAX]; /* uscc of the last row written */
	int more;		   /* the look-ahead row came: another page follows */
};

static int public_row(void *cls, const struct zl_enterprise *e)
{
	struct public_out *o = cls;

	if (o->n == o->limit) {
		o->more = 1;
		return ZL_OK;
	}
	/* What the register publishes: no address, people or capital. */
	zl_jw_obj_begin(o->w);
	zl_jw_kstr(o->w, "uscc", e->uscc);
	zl_jw_kstr(o->w, "name", e->name);
	zl_jw_kstr(o->w, "region_name", region_name(e->region));
	zl_jw_kstr(o->w, "status", e->status);
	zl_jw_obj_end(o->w);
	zl_strlcpy(o->last, e->uscc, sizeof(o->last));
	o->n++;
	return ZL_OK;
}

int zl_h_public_enterprises_search(struct zl_req *req, struct zl_resp *resp, struct zl_error *err)
{
	struct zl_ent_filter f = {0};
	struct public_out o = {0};
	struct zl_db *db;
	struct zl_jw w;
	const char *s;
	char *end, after[ZL_ENT_KEY_MAX], next[ZL_CURSOR_MAX + 1];
	int64_t total = 0;
	long limit = PUBLIC_LIMIT_DEFAULT;
	int rc;

	f.q = param(req, "q");
	if (f.q == NULL || strlen(f.q) > ZL_ENT_Q_MAX || zl_gram_len(f.q, strlen(f.q)) < 2)
		return zl_error_set(err, ZL_EINVAL, "q",
				    "q must hold at least two characters of the name");
	if ((s = param(req, "limit")) != NULL) {
		limit = strtol(s, &end, 10);
		if (*end != '\0' || limit < 1 || limit > PUBLIC_LIMIT_MAX)
			return zl_error_set(err, ZL_EINVAL, "limit", "limit must be 1 to %d",
					    PUBLIC_LIMIT_MAX);
	}
	/* The same opaque cursor as the staff lists: the uscc of the last row. */
	if ((s = param(req, "cursor")) != NULL) {
		if (zl_cursor_decode(s, after, sizeof(after)) != ZL_OK)
			return zl_error_set(err, ZL_EINVAL, "cursor", "bad cursor");
		f.after = after;
	}
	f.sort = ZL_ENT_SORT_USCC;
	o.limit = (int)limit;
	f.limit = o.limit + 1; /* the look-ahead row says whether a next page exists */
	db = zl_req_db(req, err);
	if (!db)
		return ZL_EUNAVAIL;
	o.w = &w;
	zl_resp_json(resp, 200, &w);
	zl_jw_obj_begin(&w);
	zl_jw_key(&w, "items");
	zl_jw_arr_begin(&w);
	rc = zl_store_enterprise_list(db, &f, public_row, &o, &total, err);
	if (rc != ZL_OK)
		return rc;
	zl_jw_arr_end(&w);
	zl_jw_kint(&w, "total", total);
	if (o.more && zl_cursor_encode(o.last, next, sizeof(next)) == ZL_OK)
		zl_jw_kstr(&w, "next_cursor", next);
	else
		zl_jw_kstr(&w, "next_cursor", NULL);
	zl_jw_obj_end(&w);
	return zl_jw_error(&w);
}
