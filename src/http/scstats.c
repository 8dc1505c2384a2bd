/*
 * scstats.c - the spot-check statistics API (docs/statistics.md):
 *   GET /api/v1/spotchecks/stats               grouped pass rates with Wilson intervals,
 *                                              as JSON, CSV or xlsx
 *   GET /api/v1/spotchecks/stats/compare       two groups and the difference of their
 *                                              pass rates (Newcombe's hybrid score interval)
 *   GET /api/v1/spotchecks/stats/manufacturing 制造业产品质量合格率 by region and province
 *   PUT /api/v1/spotchecks/output-weights      the output weights (CSV, xlsx, xls or JSON)
 * Reads come from the rollups (store/scstats.h), never from the
 * inspections.  Statistics are aggregates that staff of any government
 * read for any region; the route asks stats.read and the handler the
 * caller's organization to be a government or a department of one
 * (zl_sc_stats_org_may_read).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "codes/region.h"
#include "core/table.h"
#include "core/timeutil.h"
#include "ctx.h"
#include "domain/scstats.h"
#include "http/audit_hook.h"
#include "http/handlers.h"
#include "http/internal.h"
#include "http/list.h"
#include "store/scstats.h"

#define WEIGHT_ROWS_MAX 100000

static int staff_only(const struct zl_req *req, struct zl_error *err)
{
	if (!zl_sc_stats_org_may_read(req->principal.org))
		return zl_error_set(err, ZL_EFORBIDDEN, NULL,
				    "statistics are read by the staff of a government or its"
				    " departments");
	return ZL_OK;
}

/* A short text parameter copied into out[n]; ZL_EINVAL naming it when too long. */
static int text_param(const struct zl_req *req, const char *name, char *out, size_t n,
		      struct zl_error *err)
{
	const char *v = zl_req_query(req, name);

	out[0] = '\0';
	if (v == NULL)
		return ZL_OK;
	if (strlen(v) >= n)
		return zl_error_set(err, ZL_EINVAL, name, "%s is too long", name);
	memcpy(out, v, strlen(v) + 1);
	return ZL_OK;
}

static int quarter_param(const struct zl_req *req, const char *name, char out[8],
			 struct zl_error *err)
{
	int y, q, rc = text_param(req, name, out, 8, err);

	if (rc == ZL_OK && out[0] != '\0' && zl_sc_quarter_parse(out, &y, &q) != 0)
		rc = zl_error_set(err, ZL_EINVAL, name, "%s is a quarter YYYYQn, e.g. 2014Q3", name);
	return rc;
}

/* The filters every statistics route shares. */
static int parse_filters(const struct zl_req *req, struct zl_sc_stats_query *q,
			 struct zl_error *err)
{
	const char *v;
	int rc;

	memset(q, 0, sizeof(*q));
	q->min_batches = req->ctx != NULL ? req->ctx->cfg.stats_min_batches : 30;
	if ((v = zl_req_query(req, "year")) != NULL) {
		char *end;
		long y = strtol(v, &end, 10);
		if (*v == '\0' || *end != '\0' || y < 1990 || y > 2100)
			return zl_error_set(err, ZL_EINVAL, "year", "year is 1990..2100");
		q->year = (int)y;
	}
	if ((v = zl_req_query(req, "min_batches")) != NULL) {
		char *end;
		long m = strtol(v, &end, 10);
		if (*v == '\0' || *end != '\0' || m < 0 || m > 1000000)
			return zl_error_set(err, ZL_EINVAL, "min_batches", "min_batches is 0..1000000");
		q->min_batches = m;
	}
	if ((rc = quarter_param(req, "from", q->from, err)) ||
	    (rc = quarter_param(req, "to", q->to, err)) ||
	    (rc = text_param(req, "region", q->region, sizeof(q->region), err)) ||
	    (rc = text_param(req, "product", q->product, sizeof(q->product), err)) ||
	    (rc = text_param(req, "size", q->size, sizeof(q->size), err)) ||
	    (rc = text_param(req, "level", q->level, sizeof(q->level), err)) ||
	    (rc = text_param(req, "place", q->place, sizeof(q->place), err)))
		return rc;
	if (q->region[0] != '\0' && zl_region_code_parse(q->region, strlen(q->region)) < 0)
		return zl_error_set(err, ZL_EINVAL, "region", "region is a GB/T 2260 code");
	if (q->from[0] && q->to[0] && strcmp(q->from, q->to) > 0)
		return zl_error_set(err, ZL_EINVAL, "to", "to is before from");
	return ZL_OK;
}

static int parse_by(const struct zl_req *req, struct zl_sc_stats_query *q, struct zl_error *err)
{
	const char *v = zl_req_query(req, "by"), *p;

	if (v == NULL || *v == '\0')
		return zl_error_set(err, ZL_EINVAL, "by",
				    "by names one or two dimensions, e.g. by=region,quarter");
	for (p = v; *p != '\0';) {
		size_t n = strcspn(p, ",");
		if (q->nby == ZL_SC_BY_MAX || zl_sc_dim_parse(p, n, &q->by[q->nby]) != 0)
			return zl_error_set(err, ZL_EINVAL, "by",
					    "by is one or two of region, county, product, size,"
					    " level, place, year, quarter");
		if (q->nby == 1 && q->by[0] == q->by[1])
			return zl_error_set(err, ZL_EINVAL, "by", "a dimension given twice");
		q->nby++;
		p += n;
		if (*p == ',')
			p++;
	}
	return ZL_OK;
}

/* The display name of a key, or NULL (regions only: the product's name is in the catalogue). */
static const char *key_name(enum zl_sc_dim d, const char *key)
{
	const struct zl_region *r;

	if ((d != ZL_SC_DIM_REGION && d != ZL_SC_DIM_COUNTY) || strlen(key) != 6)
		return NULL;
	r = zl_region_find(key, ZL_REGION_LATEST);
	return r != NULL ? r->name : NULL;
}

static void write_fields(struct zl_jw *w, const struct zl_sc_group *g)
{
	zl_jw_kint(w, "batches", g->c.batches);
	zl_jw_kint(w, "failed", g->c.failed);
	zl_jw_kdouble(w, "pass_rate", g->r.pass_rate);
	zl_jw_kdouble(w, "ci_low", g->r.ci_low);
	zl_jw_kdouble(w, "ci_high", g->r.ci_high);
	zl_jw_kint(w, "enterprises", g->c.enterprises);
	zl_jw_kint(w, "enterprises_failed", g->c.enterprises_failed);
	zl_jw_kdouble(w, "enterprise_pass_rate", g->r.enterprise_pass_rate);
	zl_jw_kdouble(w, "enterprise_ci_low", g->r.enterprise_ci_low);
	zl_jw_kdouble(w, "enterprise_ci_high", g->r.enterprise_ci_high);
	zl_jw_kbool(w, "unreliable", g->unreliable);
}

static void write_group(struct zl_jw *w, const struct zl_sc_stats_query *q,
			const struct zl_sc_group *g)
{
	zl_jw_obj_begin(w);
	zl_jw_key(w, "key");
	zl_jw_obj_begin(w);
	for (int i = 0; i < q->nby; i++)
		zl_jw_kstr(w, zl_sc_dim_name(q->by[i]), g->key[i]);
	zl_jw_obj_end(w);
	for (int i = 0; i < q->nby; i++) {
		const char *name = key_name(q->by[i], g->key[i]);
		char k[32];
		if (name == NULL)
			continue;
		snprintf(k, sizeof(k), "%s_name", zl_sc_dim_name(q->by[i]));
		zl_jw_kstr(w, k, name);
	}
	write_fields(w, g);
	zl_jw_obj_end(w);
}

/* The export's columns: up to two keys with their names, then the figures. */
static const struct zl_list_col fig_cols[] = {
	{"batches", "检验批次", "Batches", ZL_COL_INT},
	{"failed", "不合格批次", "Failed", ZL_COL_INT},
	{"pass_rate", "批次合格率", "Pass rate", ZL_COL_TEXT},
	{"ci_low", "95%置信下限", "95% CI low", ZL_COL_TEXT},
	{"ci_high", "95%置信上限", "95% CI high", ZL_COL_TEXT},
	{"enterprises", "受检企业数", "Enterprises", ZL_COL_INT},
	{"enterprises_failed", "不合格企业数", "Enterprises failed", ZL_COL_INT},
	{"enterprise_pass_rate", "企业合格率", "Enterprise pass rate", ZL_COL_TEXT},
	{"enterprise_ci_low", "企业95%置信下限", "Enterprise 95% CI low", ZL_COL_TEXT},
	{"enterprise_ci_high", "企业95%置信上限", "Enterprise 95% CI high", ZL_COL_TEXT},
	{"unreliable", "样本不足", "Unreliable", ZL_COL_BOOL},
};
#define N_FIG (sizeof(fig_cols) / sizeof(fig_cols[0]))

static const struct {
	const char *zh, *en;
} dim_heads[ZL_SC_DIM_COUNT] = {
	{"地区", "Region"}, {"县区", "County"},	 {"产品", "Product"}, {"企业规模", "Size"},
	{"抽查层级", "Level"}, {"抽样环节", "Place"}, {"年度", "Year"},    {"季度", "Quarter"},
};

static int export_groups(struct zl_req *req, struct zl_resp *resp,
			 const struct zl_sc_stats_query *q, const struct zl_sc_stats_result *res,
			 enum zl_list_format fmt, struct zl_error *err)
{
	struct zl_list_col cols[2 * ZL_SC_BY_MAX + N_FIG];
	char names[2 * ZL_SC_BY_MAX][32];
	struct zl_list_params lp;
	struct zl_list_writer *lw = NULL;
	size_t nc = 0;
	int rc;

	memset(&lp, 0, sizeof(lp));
	lp.format = fmt;
	lp.lang_en = zl_req_query(req, "lang") && strcmp(zl_req_query(req, "lang"), "en") == 0;
	for (int i = 0; i < q->nby; i++) {
		cols[nc++] = (struct zl_list_col){zl_sc_dim_name(q->by[i]), dim_heads[q->by[i]].zh,
						  dim_heads[q->by[i]].en, ZL_COL_TEXT};
		snprintf(names[i], sizeof(names[i]), "%s_name", zl_sc_dim_name(q->by[i]));
		cols[nc++] = (struct zl_list_col){names[i], "名称", "Name", ZL_COL_TEXT};
	}
	for (size_t i = 0; i < N_FIG; i++)
		cols[nc++] = fig_cols[i];
	rc = zl_list_begin(req, resp, &lp, "抽查合格率统计", cols, nc, (int64_t)res->n, &lw, err);
	for (size_t g = 0; g < res->n && rc == ZL_OK; g++) {
		const struct zl_sc_group *x = &res->groups[g];
		char num[N_FIG][330];
		const char *v[2 * ZL_SC_BY_MAX + N_FIG];
		size_t k = 0;

		for (int i = 0; i < q->nby; i++) {
			v[k++] = x->key[i];
			v[k++] = key_name(q->by[i], x->key[i]);
		}
		snprintf(num[0], sizeof(num[0]), "%lld", (long long)x->c.batches);
		snprintf(num[1], sizeof(num[1]), "%lld", (long long)x->c.failed);
		snprintf(num[2], sizeof(num[2]), "%.6f", x->r.pass_rate);
		snprintf(num[3], sizeof(num[3]), "%.6f", x->r.ci_low);
		snprintf(num[4], sizeof(num[4]), "%.6f", x->r.ci_high);
		snprintf(num[5], sizeof(num[5]), "%lld", (long long)x->c.enterprises);
		snprintf(num[6], sizeof(num[6]), "%lld", (long long)x->c.enterprises_failed);
		snprintf(num[7], sizeof(num[7]), "%.6f", x->r.enterprise_pass_rate);
		snprintf(num[8], sizeof(num[8]), "%.6f", x->r.enterprise_ci_low);
		snprintf(num[9], sizeof(num[9]), "%.6f", x->r.enterprise_ci_high);
		snprintf(num[10], sizeof(num[10]), "%d", x->unreliable ? 1 : 0);
		for (size_t i = 0; i < N_FIG; i++)
			v[k++] = num[i];
		rc = zl_list_row(lw, v);
	}
	if (rc == ZL_OK)
		rc = zl_list_end(lw, NULL, err);
	return rc;
}

static int run_stats(struct zl_req *req, const struct zl_sc_stats_query *q,
		     struct zl_sc_stats_result *res, struct zl_error *err)
{
	struct zl_db *db = zl_req_db(req, err);
	int rc;

	if (db == NULL)
		return ZL_EUNAVAIL;
	if ((rc = zl_db_begin_read(db, err)) != ZL_OK)
		return rc;
	rc = zl_store_sc_stats(db, q, res, err);
	if (rc == ZL_OK)
		rc = zl_db_commit(db, err);
	else
		zl_db_rollback(db);
	return rc;
}

int zl_h_sc_stats(struct zl_req *req, struct zl_resp *resp, struct zl_error *err)
{
	struct zl_sc_stats_query q;
	struct zl_sc_stats_result res;
	const char *fmt = zl_req_query(req, "format");
	enum zl_list_format f = ZL_LIST_JSON;
	struct zl_jw w;
	int rc;

	if ((rc = staff_only(req, err)) || (rc = parse_filters(req, &q, err)) ||
	    (rc = parse_by(req, &q, err)))
		return rc;
	if (fmt != NULL) {
		if (strcmp(fmt, "csv") == 0)
			f = ZL_LIST_CSV;
		else if (strcmp(fmt, "xlsx") == 0)
			f = ZL_LIST_XLSX;
		else if (strcmp(fmt, "json") != 0)
			return zl_error_set(err, ZL_EINVAL, "format", "format is json, csv or xlsx");
	}
	if ((rc = run_stats(req, &q, &res, err)) != ZL_OK)
		return rc;
	if (f != ZL_LIST_JSON) {
		rc = export_groups(req, resp, &q, &res, f, err);
		zl_sc_stats_result_release(&res);
		return rc;
	}
	zl_resp_json(resp, 200, &w);
	zl_jw_obj_begin(&w);
	zl_jw_key(&w, "groups");
	zl_jw_arr_begin(&w);
	for (size_t i = 0; i < res.n; i++)
		write_group(&w, &q, &res.groups[i]);
	zl_jw_arr_end(&w);
	zl_jw_key(&w, "total");
	zl_jw_obj_begin(&w);
	write_fields(&w, &res.total);
	zl_jw_obj_end(&w);
	/* false: enterprises were summed over rollup cells (docs/statistics.md). */
	zl_jw_kbool(&w, "enterprises_exact", res.enterprises_exact);
	zl_jw_obj_end(&w);
	zl_sc_stats_result_release(&res);
	return zl_jw_error(&w);
}

/* Narrow q to dim = value (the compare route's two sides). */
static int set_side(struct zl_sc_stats_query *q, enum zl_sc_dim d, const char *v, const char *name,
		    struct zl_error *err)
{
	int y, qq;

	if (v == NULL || *v == '\0' || strlen(v) > 15)
		return zl_error_set(err, ZL_EINVAL, name, "%s is the value of dim to compare", name);
	switch (d) {
	case ZL_SC_DIM_REGION:
	case ZL_SC_DIM_COUNTY:
		if (zl_region_code_parse(v, strlen(v)) < 0)
			return zl_error_set(err, ZL_EINVAL, name, "%s is a GB/T 2260 code", name);
		snprintf(q->region, sizeof(q->region), "%s", v);
		break;
	case ZL_SC_DIM_PRODUCT: snprintf(q->product, sizeof(q->product), "%s", v); break;
	case ZL_SC_DIM_SIZE: snprintf(q->size, sizeof(q->size), "%s", v); break;
	case ZL_SC_DIM_LEVEL: snprintf(q->level, sizeof(q->level), "%s", v); break;
	case ZL_SC_DIM_PLACE: snprintf(q->place, sizeof(q->place), "%s", v); break;
	case ZL_SC_DIM_YEAR:
		if (strlen(v) != 4 || strspn(v, "0123456789") != 4)
			return zl_error_set(err, ZL_EINVAL, name, "%s is a year", name);
		q->year = (int)strtol(v, NULL, 10);
		break;
	case ZL_SC_DIM_QUARTER:
		if (zl_sc_quarter_parse(v, &y, &qq) != 0)
			return zl_error_set(err, ZL_EINVAL, name, "%s is a quarter YYYYQn", name);
		snprintf(q->from, sizeof(q->from), "%s", v);
		snprintf(q->to, sizeof(q->to), "%s", v);
		break;
	case ZL_SC_DIM_COUNT: break;
	}
	return ZL_OK;
}

int zl_h_sc_stats_compare(struct zl_req *req, struct zl_resp *resp, struct zl_error *err)
{
	const char *dim = zl_req_query(req, "dim");
	struct zl_sc_stats_query base, q[2];
	struct zl_sc_stats_result res[2];
	const char *side[2] = {zl_req_query(req, "a"), zl_req_query(req, "b")};
	enum zl_sc_dim d;
	double diff, lo, hi;
	struct zl_jw w;
	int rc, have;

	if ((rc = staff_only(req, err)) || (rc = parse_filters(req, &base, err)))
		return rc;
	if (dim == NULL || zl_sc_dim_parse(dim, strlen(dim), &d) != 0)
		return zl_error_set(err, ZL_EINVAL, "dim",
				    "dim is one of region, county, product, size, level, place,"
				    " year, quarter");
	for (int i = 0; i < 2; i++) {
		q[i] = base;
		if ((rc = set_side(&q[i], d, side[i], i ? "b" : "a", err)) != ZL_OK)
			return rc;
	}
	if ((rc = run_stats(req, &q[0], &res[0], err)) != ZL_OK)
		return rc;
	if ((rc = run_stats(req, &q[1], &res[1], err)) != ZL_OK) {
		zl_sc_stats_result_release(&res[0]);
		return rc;
	}
	have = zl_sc_newcombe(res[0].total.c.batches - res[0].total.c.failed,
			      res[0].total.c.batches,
			      res[1].total.c.batches - res[1].total.c.failed,
			      res[1].total.c.batches, ZL_SC_Z95, &diff, &lo, &hi) == 0;
	zl_resp_json(resp, 200, &w);
	zl_jw_obj_begin(&w);
	zl_jw_kstr(&w, "dim", zl_sc_dim_name(d));
	for (int i = 0; i < 2; i++) {
		zl_jw_key(&w, i ? "b" : "a");
		zl_jw_obj_begin(&w);
		zl_jw_kstr(&w, "value", side[i]);
		if (key_name(d, side[i]) != NULL)
			zl_jw_kstr(&w, "name", key_name(d, side[i]));
		write_fields(&w, &res[i].total);
		zl_jw_obj_end(&w);
	}
	/* The difference of pass rates a - b; null when a side has no tested batch. */
	zl_jw_key(&w, "difference");
	have ? zl_jw_double(&w, diff) : zl_jw_null(&w);
	zl_jw_key(&w, "diff_ci_low");
	have ? zl_jw_double(&w, lo) : zl_jw_null(&w);
	zl_jw_key(&w, "diff_ci_high");
	have ? zl_jw_double(&w, hi) : zl_jw_null(&w);
	zl_jw_kbool(&w, "significant", have && (lo > 0 || hi < 0));
	zl_jw_obj_end(&w);
	zl_sc_stats_result_release(&res[0]);
	zl_sc_stats_result_release(&res[1]);
	return zl_jw_error(&w);
}

/* ---- the manufacturing pass rate ------------------------------------------------------------- */

static void div_list(struct zl_jw *w, const char *key, const struct zl_sc_mfg_cell *v, size_t n,
		     int want_weight_missing)
{
	zl_jw_key(w, key);
	zl_jw_arr_begin(w);
	for (size_t i = 0; i < n; i++)
		if (want_weight_missing ? (!v[i].has_weight && v[i].batches > 0)
					: (v[i].has_weight && v[i].batches == 0))
			zl_jw_str(w, v[i].division);
	zl_jw_arr_end(w);
}

int zl_h_sc_stats_manufacturing(struct zl_req *req, struct zl_resp *resp, struct zl_error *err)
{
	struct zl_sc_stats_query q;
	struct zl_sc_mfg m = {NULL, 0};
	struct zl_sc_weighted_part *parts = NULL, *regs = NULL;
	size_t nregs = 0, used = 0;
	struct zl_db *db;
	struct zl_jw w;
	double p;
	int rc;

	if ((rc = staff_only(req, err)) || (rc = parse_filters(req, &q, err)))
		return rc;
	if (q.year == 0)
		return zl_error_set(err, ZL_EINVAL, "year", "year is required");
	if (q.region[0] != '\0' && strcmp(q.region + 4, "00") != 0 &&
	    strncmp(q.region + 2, "90", 2) != 0)
		return zl_error_set(err, ZL_EINVAL, "region",
				    "region is a province or a city-level unit");
	if ((db = zl_req_db(req, err)) == NULL)
		return ZL_EUNAVAIL;
	if ((rc = zl_db_begin_read(db, err)) != ZL_OK)
		return rc;
	rc = zl_store_sc_manufacturing(db, q.year, q.region, &m, err);
	if (rc == ZL_OK)
		rc = zl_db_commit(db, err);
	else
		zl_db_rollback(db);
	if (rc != ZL_OK)
		return rc;
	parts = calloc(m.n + 1, sizeof(*parts));
	regs = calloc(m.n + 1, sizeof(*regs));
	if (parts == NULL || regs == NULL) {
		rc = zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
		goto out;
	}
	zl_resp_json(resp, 200, &w);
	zl_jw_obj_begin(&w);
	zl_jw_kint(&w, "year", q.year);
	zl_jw_key(&w, "regions");
	zl_jw_arr_begin(&w);
	for (size_t i = 0; i < m.n;) {
		size_t j = i, k;
		double out_sum = 0;
		int64_t b = 0, f = 0;

		while (j < m.n && strcmp(m.v[j].region, m.v[i].region) == 0)
			j++;
		for (k = i; k < j; k++) {
			parts[k - i].output = m.v[k].has_weight ? m.v[k].output : 0;
			parts[k - i].batches = m.v[k].batches;
			parts[k - i].passed = m.v[k].batches - m.v[k].failed;
			if (m.v[k].has_weight && m.v[k].batches > 0) {
				out_sum += m.v[k].output;
				b += m.v[k].batches;
				f += m.v[k].failed;
			}
		}
		zl_jw_obj_begin(&w);
		zl_jw_kstr(&w, "region", m.v[i].region);
		if (key_name(ZL_SC_DIM_REGION, m.v[i].region) != NULL)
			zl_jw_kstr(&w, "region_name", key_name(ZL_SC_DIM_REGION, m.v[i].region));
		zl_jw_key(&w, "rate");
		if (zl_sc_weighted_rate(parts, j - i, &p, &used) == 0) {
			zl_jw_double(&w, p);
			regs[nregs].output = out_sum;
			regs[nregs].batches = 1000000;
			regs[nregs].passed = (int64_t)llround(p * 1000000.0);
			nregs++;
		} else {
			zl_jw_null(&w);
		}
		zl_jw_kint(&w, "divisions_used", (int64_t)used);
		zl_jw_kdouble(&w, "output_used", out_sum);
		zl_jw_kint(&w, "batches_used", b);
		zl_jw_kint(&w, "failed_used", f);
		div_list(&w, "divisions_without_weight", m.v + i, j - i, 1);
		div_list(&w, "divisions_without_tests", m.v + i, j - i, 0);
		zl_jw_obj_end(&w);
		i = j;
	}
	zl_jw_arr_end(&w);
	/* The province (or the region asked): the regions' rates weighted by their output. */
	zl_jw_key(&w, "province");
	zl_jw_obj_begin(&w);
	zl_jw_key(&w, "rate");
	if (zl_sc_weighted_rate(regs, nregs, &p, &used) == 0)
		zl_jw_double(&w, p);
	else
		zl_jw_null(&w);
	zl_jw_kint(&w, "regions_used", (int64_t)nregs);
	zl_jw_obj_end(&w);
	zl_jw_obj_end(&w);
	rc = zl_jw_error(&w);
out:
	free(parts);
	free(regs);
	zl_sc_mfg_release(&m);
	return rc;
}

/* ---- output weights -------------------------------------------------------------------------- */

struct weights {
	struct zl_sc_output_weight *v;
	int *rows;
	size_t n, cap;
};

static int weights_add(struct weights *ws, const struct zl_sc_output_weight *x, int row,
		       struct zl_error *err)
{
	if (ws->n == WEIGHT_ROWS_MAX)
		return zl_error_set(err, ZL_ETOOBIG, NULL, "at most %d weight rows",
				    WEIGHT_ROWS_MAX);
	if (ws->n == ws->cap) {
		size_t nc = ws->cap ? ws->cap * 2 : 256;
		void *a = realloc(ws->v, nc * sizeof(*ws->v)), *b;
		if (a == NULL)
			return zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
		ws->v = a;
		if ((b = realloc(ws->rows, nc * sizeof(*ws->rows))) == NULL)
			return zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
		ws->rows = b;
		ws->cap = nc;
	}
	ws->v[ws->n] = *x;
	ws->rows[ws->n++] = row;
	return ZL_OK;
}

/* Which header cell names which column (English or Chinese, case-insensitive ASCII). */
static int header_col(const char *h)
{
	static const struct {
		const char *name;
		int col;
	} syn[] = {
		{"year", 0},	 {"年份", 0},	   {"年度", 0},	      {"region", 1},
		{"地区", 1},	 {"地区代码", 1},  {"行政区划代码", 1}, {"division", 2},
		{"行业", 2},	 {"行业代码", 2},  {"行业大类", 2},   {"output", 3},
		{"产值", 3},	 {"工业总产值", 3}, {"工业产值", 3},
	};
	char t[64];
	size_t n;

	while (*h == ' ')
		h++;
	n = strlen(h);
	while (n > 0 && (h[n - 1] == ' ' || h[n - 1] == '\r'))
		n--;
	if (n >= sizeof(t))
		return -1;
	for (size_t i = 0; i < n; i++)
		t[i] = (h[i] >= 'A' && h[i] <= 'Z') ? (char)(h[i] + 32) : h[i];
	t[n] = '\0';
	for (size_t i = 0; i < sizeof(syn) / sizeof(syn[0]); i++)
		if (strcmp(t, syn[i].name) == 0)
			return syn[i].col;
	return -1;
}

static int bad_row(struct zl_error *err, int row, const char *field, const char *why)
{
	char f[48];

	snprintf(f, sizeof(f), "row %d, column %s", row, field);
	return zl_error_set(err, ZL_EUNPROC, f, "%s", why);
}

static int read_table(const char *path, struct weights *ws, struct zl_error *err)
{
	struct zl_table_reader *t = NULL;
	const char *const *cells;
	size_t nc;
	int col[4] = {-1, -1, -1, -1}, rc, header = 1;

	if ((rc = zl_table_open(path, NULL, &t, err)) != ZL_OK)
		return rc;
	while ((rc = zl_table_next(t, &cells, &nc, err)) == 1) {
		struct zl_sc_output_weight x;
		const char *field, *why;
		const char *v[4];
		int row = (int)zl_table_row(t), blank = 1;

		for (size_t i = 0; i < nc && blank; i++)
			blank = cells[i][strspn(cells[i], " \t\r")] == '\0';
		if (blank)
			continue;
		if (header) {
			for (size_t i = 0; i < nc && i < 64; i++) {
				int c = header_col(cells[i]);
				if (c >= 0 && col[c] < 0)
					col[c] = (int)i;
			}
			for (int c = 0; c < 4; c++)
				if (col[c] < 0) {
					rc = zl_error_set(
						err, ZL_EUNPROC, "header",
						"the header row needs the columns year, region,"
						" division and output (年份, 地区代码, 行业代码, 产值)");
					goto out;
				}
			header = 0;
			continue;
		}
		for (int c = 0; c < 4; c++)
			v[c] = (size_t)col[c] < nc ? cells[col[c]] : "";
		if (zl_sc_output_weight_parse(v[0], v[1], v[2], v[3], &x, &field, &why) != 0) {
			rc = bad_row(err, row, field, why);
			goto out;
		}
		if ((rc = weights_add(ws, &x, row, err)) != ZL_OK)
			goto out;
	}
	if (rc == 0 && header)
		rc = zl_error_set(err, ZL_EUNPROC, "header", "the file has no header row");
out:
	zl_table_close(t);
	return rc < 0 ? rc : ZL_OK;
}

/* A JSON array of {"year","region","division","output"}; numbers or strings alike. */
static int read_json(const char *path, struct weights *ws, struct zl_error *err)
{
	FILE *f = fopen(path, "rb");
	char *text = NULL;
	long len;
	cJSON *root = NULL;
	int rc = ZL_OK, row = 0;
	const cJSON *it;

	if (f == NULL)
		return zl_error_set(err, ZL_EIO, NULL, "cannot read the upload");
	if (fseek(f, 0, SEEK_END) != 0 || (len = ftell(f)) < 0 || len > (16L << 20) ||
	    fseek(f, 0, SEEK_SET) != 0) {
		fclose(f);
		return zl_error_set(err, ZL_ETOOBIG, NULL, "a JSON upload is at most 16 MiB");
	}
	if ((text = malloc((size_t)len + 1)) == NULL ||
	    fread(text, 1, (size_t)len, f) != (size_t)len) {
		fclose(f);
		free(text);
		return zl_error_set(err, ZL_EIO, NULL, "cannot read the upload");
	}
	fclose(f);
	text[len] = '\0';
	root = cJSON_ParseWithLength(text, (size_t)len);
	free(text);
	if (root == NULL || !cJSON_IsArray(root)) {
		cJSON_Delete(root);
		return zl_error_set(err, ZL_EINVAL, "body",
				    "a JSON upload is an array of {year, region, division, output}");
	}
	cJSON_ArrayForEach(it, root)
	{
		static const char *const keys[4] = {"year", "region", "division", "output"};
		char num[4][400];
		const char *v[4], *field, *why;
		struct zl_sc_output_weight x;

		row++;
		if (!cJSON_IsObject(it)) {
			rc = bad_row(err, row, "body", "each element is an object");
			break;
		}
		for (int c = 0; c < 4; c++) {
			const cJSON *m = cJSON_GetObjectItemCaseSensitive(it, keys[c]);
			if (cJSON_IsString(m)) {
				v[c] = m->valuestring;
			} else if (cJSON_IsNumber(m) && isfinite(m->valuedouble) &&
				   fabs(m->valuedouble) < 1e18) {
				snprintf(num[c], sizeof(num[c]), c == 3 ? "%.6f" : "%.0f",
					 m->valuedouble);
				v[c] = num[c];
			} else {
				v[c] = "";
			}
		}
		if (zl_sc_output_weight_parse(v[0], v[1], v[2], v[3], &x, &field, &why) != 0) {
			rc = bad_row(err, row, field, why);
			break;
		}
		if ((rc = weights_add(ws, &x, row, err)) != ZL_OK)
			break;
	}
	cJSON_Delete(root);
	return rc;
}

static int json_upload(const char *path)
{
	FILE *f = fopen(path, "rb");
	int c = EOF;

	if (f == NULL)
		return 0;
	do
		c = fgetc(f);
	while (c == ' ' || c == '\n' || c == '\r' || c == '\t');
	fclose(f);
	return c == '[';
}

int zl_h_sc_output_weights_put(struct zl_req *req, struct zl_resp *resp, struct zl_error *err)
{
	struct weights ws = {NULL, NULL, 0, 0};
	struct zl_db *db;
	char now[32], detail[96];
	size_t years = 0;
	struct zl_jw w;
	int rc;

	if ((rc = staff_only(req, err)) != ZL_OK)
		return rc;
	if (req->upload_path == NULL || req->upload_len == 0)
		return zl_error_set(err, ZL_EINVAL, "body",
				    "send the weights as a CSV, xlsx or xls file or a JSON array");
	rc = json_upload(req->upload_path) ? read_json(req->upload_path, &ws, err)
					   : read_table(req->upload_path, &ws, err);
	if (rc != ZL_OK)
		goto out;
	if (ws.n == 0) {
		rc = zl_error_set(err, ZL_EUNPROC, "body", "no weight rows");
		goto out;
	}
	if ((db = zl_req_db(req, err)) == NULL) {
		rc = ZL_EUNAVAIL;
		goto out;
	}
	zl_time_format_rfc3339((int64_t)time(NULL) * 1000000, now);
	if ((rc = zl_db_begin(db, err)) != ZL_OK)
		goto out;
	rc = zl_store_sc_weights_put(db, ws.v, ws.rows, ws.n, req->principal.name, now, &years,
				     err);
	snprintf(detail, sizeof(detail), "{\"rows\":%zu,\"years\":%zu}", ws.n, years);
	if (rc == ZL_OK)
		rc = zl_req_audit(req, db, "stats.output_weights", "output_weights", NULL, detail,
				  NULL, err);
	if (rc == ZL_OK)
		rc = zl_db_commit(db, err);
	else
		zl_db_rollback(db);
	if (rc != ZL_OK)
		goto out;
	zl_resp_json(resp, 200, &w);
	zl_jw_obj_begin(&w);
	zl_jw_kint(&w, "rows", (int64_t)ws.n);
	zl_jw_kint(&w, "years", (int64_t)years);
	zl_jw_obj_end(&w);
	rc = zl_jw_error(&w);
out:
	free(ws.v);
	free(ws.rows);
	return rc;
}
