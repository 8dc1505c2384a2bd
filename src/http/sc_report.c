/*
 * sc_report.c - the quality analysis report's figures gathered from the
 * spot-check statistics (store/scstats.h) and its two routes,
 * GET /api/v1/spotchecks/report.pdf and .../report.xlsx (docs/report.md).
 *
 * Who reads what: the routes need stats.read and are scoped by the region
 * parameter (query:region), so a city's officer reaches his city and its
 * counties and gets 403 for another city; without a region the report is
 * that of the caller's own government (a city officer never gets the
 * province's comparison of cities by leaving the parameter out).
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "codes/region.h"
#include "core/timeutil.h"
#include "domain/authz.h"
#include "domain/scstats.h"
#include "http/credit.h"
#include "http/handlers.h"
#include "http/list.h"
#include "http/sc_report.h"
#include "store/catalogue.h"
#include "store/scstats.h"

static const char *size_label(const char *k)
{
	static const char *const map[][2] = {
		{"large", "大型"}, {"medium", "中型"}, {"small", "小型"}, {"micro", "微型"}};

	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (!strcmp(k, map[i][0]))
			return map[i][1];
	return k[0] ? k : "未填规模";
}

static const char *quarter_label(struct zl_arena *a, const char *k)
{
	static const char *const q[] = {"第一季度", "第二季度", "第三季度", "第四季度"};
	int y, n;

	if (zl_sc_quarter_parse(k, &y, &n) == 0 && n >= 1 && n <= 4)
		return q[n - 1];
	return zl_arena_strdup(a, k[0] ? k : "日期不详");
}

static const char *region_label(struct zl_arena *a, const char *k, int year)
{
	const struct zl_region *r =
		strlen(k) == 6 ? zl_region_find(k, year * 10000 + 1231) : NULL;

	if (r == NULL && strlen(k) == 6)
		r = zl_region_find(k, ZL_REGION_LATEST);
	return zl_arena_strdup(a, r ? r->name : k[0] ? k : "地区不详");
}

static void group_of(const struct zl_sc_group *s, const char *key, const char *label,
		     struct zl_qr_group *g)
{
	memset(g, 0, sizeof(*g));
	g->key = key;
	g->label = label;
	g->batches = s->c.batches;
	g->failed = s->c.failed;
	g->enterprises = s->c.enterprises;
	g->enterprises_failed = s->c.enterprises_failed;
	g->pass_rate = s->c.batches > 0 ? s->r.pass_rate : -1;
	g->ci_low = s->c.batches > 0 ? s->r.ci_low : -1;
	g->ci_high = s->c.batches > 0 ? s->r.ci_high : -1;
	g->ent_pass_rate = s->c.enterprises > 0 ? s->r.enterprise_pass_rate : -1;
	g->ent_ci_low = s->c.enterprises > 0 ? s->r.enterprise_ci_low : -1;
	g->ent_ci_high = s->c.enterprises > 0 ? s->r.enterprise_ci_high : -1;
	g->unreliable = s->unreliable;
}

struct gather {
	struct zl_db *db;
	struct zl_arena *a;
	struct zl_sc_stats_query q;
	struct zl_cat_set cat;
	int cat_loaded;
	int year;
};

/* Groups by one dimension (ZL_SC_DIM_COUNT: the total only, into *total). */
static int groups(struct gather *g, enum zl_sc_dim dim, int year, const struct zl_qr_group **out,
		  size_t *n, struct zl_qr_group *total, struct zl_error *err)
{
	struct zl_sc_stats_result r = {0};
	struct zl_qr_group *v = NULL;
	int rc;

	g->q.year = year;
	g->q.nby = dim == ZL_SC_DIM_COUNT ? 0 : 1;
	g->q.by[0] = dim == ZL_SC_DIM_COUNT ? ZL_SC_DIM_REGION : dim;
	if ((rc = zl_store_sc_stats(g->db, &g->q, &r, err)) != ZL_OK)
		return rc;
	if (total)
		group_of(&r.total, zl_arena_printf(g->a, "%d", year),
			 zl_arena_printf(g->a, "%d年", year), total);
	if (out) {
		v = r.n ? zl_arena_calloc(g->a, r.n, sizeof(*v)) : NULL;
		if (r.n && v == NULL) {
			zl_sc_stats_result_release(&r);
			return zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
		}
		for (size_t i = 0; i < r.n; i++) {
			const char *k = zl_arena_strdup(g->a, r.groups[i].key[0]);
			const char *label = k;

			switch (dim) {
			case ZL_SC_DIM_QUARTER:
				label = quarter_label(g->a, k);
				break;
			case ZL_SC_DIM_REGION:
			case ZL_SC_DIM_COUNTY:
				label = region_label(g->a, k, year);
				break;
			case ZL_SC_DIM_SIZE:
				label = size_label(k);
				break;
			case ZL_SC_DIM_PRODUCT: {
				const struct zl_cat *c =
					g->cat_loaded ? zl_cat_set_find(&g->cat, k) : NULL;

				/* the catalogue set is released before the report is drawn */
				label = c ? zl_arena_strdup(g->a, c->name) : k[0] ? k : "产品不详";
				break;
			}
			default:
				break;
			}
			group_of(&r.groups[i], k, label, &v[i]);
		}
		*out = v;
		*n = r.n;
	}
	zl_sc_stats_result_release(&r);
	return ZL_OK;
}

/*
 * 制造业产品质量合格率 (DOMAIN.md §3.4), in two layers as GET
 * /api/v1/spotchecks/stats/manufacturing computes it: each city-level
 * unit's rate weighted by its divisions' output, then the units' rates
 * weighted by their output.  *has 0 when no division has both a weight and
 * tested batches (no weights uploaded: the report says nothing of it).
 */
static int mfg_rate(struct zl_db *db, int year, const char *region, int *has, double *rate,
		    struct zl_error *err)
{
	struct zl_sc_mfg m = {NULL, 0};
	struct zl_sc_weighted_part *parts = NULL, *regs = NULL;
	size_t nregs = 0, used = 0;
	double p;
	int rc;

	*has = 0;
	*rate = 0;
	if ((rc = zl_store_sc_manufacturing(db, year, region, &m, err)) != ZL_OK)
		return rc;
	parts = calloc(m.n + 1, sizeof(*parts));
	regs = calloc(m.n + 1, sizeof(*regs));
	if (parts == NULL || regs == NULL) {
		rc = zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < m.n;) {
		size_t j = i;
		double out_sum = 0;

		while (j < m.n && strcmp(m.v[j].region, m.v[i].region) == 0)
			j++;
		for (size_t k = i; k < j; k++) {
			parts[k - i].output = m.v[k].has_weight ? m.v[k].output : 0;
			parts[k - i].batches = m.v[k].batches;
			parts[k - i].passed = m.v[k].batches - m.v[k].failed;
			if (m.v[k].has_weight && m.v[k].batches > 0)
				out_sum += m.v[k].output;
		}
		if (zl_sc_weighted_rate(parts, j - i, &p, &used) == 0) {
			/* a unit's rate enters the second layer as a proportion of 10^6 */
			regs[nregs].output = out_sum;
			regs[nregs].batches = 1000000;
			regs[nregs].passed = (int64_t)llround(p * 1000000.0);
			nregs++;
		}
		i = j;
	}
	if (zl_sc_weighted_rate(regs, nregs, &p, &used) == 0) {
		*has = 1;
		*rate = p;
	}
out:
	free(parts);
	free(regs);
	zl_sc_mfg_release(&m);
	return rc;
}

int zl_sc_report_gather(struct zl_db *db, struct zl_arena *a, int year, const char *region,
			const char *date, const char *org_name, int64_t min_batches,
			struct zl_qr_input *in, struct zl_error *err)
{
	struct gather g = {.db = db, .a = a, .year = year};
	const struct zl_region *r = NULL;
	enum zl_sc_dim by_region = ZL_SC_DIM_REGION;
	int rc;

	memset(in, 0, sizeof(*in));
	if (year < ZL_SC_REPORT_YEAR_MIN || year > ZL_SC_REPORT_YEAR_MAX)
		return zl_error_set(err, ZL_EINVAL, "year", "year must be %d..%d",
				    ZL_SC_REPORT_YEAR_MIN, ZL_SC_REPORT_YEAR_MAX);
	if (region && region[0] && strcmp(region, "410000") != 0) {
		if (strlen(region) != 6 ||
		    ((r = zl_region_find(region, year * 10000 + 1231)) == NULL &&
		     (r = zl_region_find(region, ZL_REGION_LATEST)) == NULL) ||
		    r->level == ZL_REGION_PROVINCE)
			return zl_error_set(err, ZL_EINVAL, "region",
					    "region must be the GB/T 2260 code of a city or county "
					    "of the province (or 410000)");
		by_region = ZL_SC_DIM_COUNTY;
		zl_strlcpy(g.q.region, region, sizeof(g.q.region));
	}
	g.q.min_batches = min_batches;
	in->year = year;
	in->scope_name = r ? zl_arena_strdup(a, r->name) : "河南省";
	in->by_county = r != NULL;
	in->org_name = org_name ? zl_arena_strdup(a, org_name) : NULL;
	in->date = zl_arena_strdup(a, date ? date : "");
	in->min_batches = min_batches;
	zl_cat_set_init(&g.cat);
	/* product names; a catalogue that cannot be read leaves the codes */
	g.cat_loaded = zl_store_cat_load(db, NULL, &g.cat, err) == ZL_OK;
	zl_error_clear(err);

	rc = groups(&g, ZL_SC_DIM_COUNT, year, NULL, NULL, &in->total, err);
	if (rc == ZL_OK)
		rc = groups(&g, ZL_SC_DIM_COUNT, year - 1, NULL, NULL, &in->prev, err);
	if (rc == ZL_OK)
		rc = groups(&g, ZL_SC_DIM_QUARTER, year, &in->quarters, &in->nquarters, NULL, err);
	if (rc == ZL_OK)
		rc = groups(&g, by_region, year, &in->regions, &in->nregions, NULL, err);
	if (rc == ZL_OK)
		rc = groups(&g, ZL_SC_DIM_SIZE, year, &in->sizes, &in->nsizes, NULL, err);
	if (rc == ZL_OK)
		rc = groups(&g, ZL_SC_DIM_PRODUCT, year, &in->products, &in->nproducts, NULL,
			    err);
	zl_cat_set_release(&g.cat);
	/* defined for the province and for city-level units, not for a county */
	if (rc == ZL_OK && (r == NULL || r->level != ZL_REGION_COUNTY || zl_region_is_provincial_city(r)))
		rc = mfg_rate(db, year, r ? region : "", &in->has_mfg, &in->mfg_rate, err);
	if (rc != ZL_OK)
		return rc;
	in->has_prev = in->prev.batches > 0;
	if (in->has_prev && in->total.batches > 0)
		in->has_diff =
			zl_sc_newcombe(in->total.batches - in->total.failed, in->total.batches,
				       in->prev.batches - in->prev.failed, in->prev.batches,
				       ZL_SC_Z95, &in->diff, &in->diff_low, &in->diff_high) == 0;
	return ZL_OK;
}

/* ---- the routes ------------------------------------------------------------------ */

/* The region asked for, or the caller's own government's code. */
static int report_region(struct zl_req *req, char out[8], struct zl_error *err)
{
	const char *s = zl_req_query(req, "region");
	char gov[ZL_ORG_PATH_MAX];
	size_t n;

	out[0] = '\0';
	if (s && s[0]) {
		if (strlen(s) != 6)
			return zl_error_set(err, ZL_EINVAL, "region",
					    "region must be a six-digit GB/T 2260 code");
		memcpy(out, s, 7);
		return ZL_OK;
	}
	n = zl_org_path_government(req->principal.org_path, gov, sizeof(gov));
	/* "/410000/410100/": the last six digits before the final '/' */
	if (n >= 8 && gov[n - 1] == '/') {
		memcpy(out, gov + n - 7, 6);
		out[6] = '\0';
	}
	return ZL_OK;
}

static int report_year(struct zl_req *req, int *year, struct zl_error *err)
{
	const char *s = zl_req_query(req, "year");
	char *end = NULL;
	long v;

	if (!s || !s[0])
		return zl_error_set(err, ZL_EINVAL, "year", "year is required");
	v = strtol(s, &end, 10);
	if (end == s || *end != '\0' || v < ZL_SC_REPORT_YEAR_MIN || v > ZL_SC_REPORT_YEAR_MAX)
		return zl_error_set(err, ZL_EINVAL, "year", "year must be %d..%d",
				    ZL_SC_REPORT_YEAR_MIN, ZL_SC_REPORT_YEAR_MAX);
	*year = (int)v;
	return ZL_OK;
}

/* Gather and lay out the report the request asks for. */
static int prepare(struct zl_req *req, struct zl_qr_input *in, struct zl_qr_layout *l,
		   char file[64], struct zl_error *err)
{
	char region[8], today[16];
	struct zl_db *db;
	int year = 0, rc;

	if ((rc = report_year(req, &year, err)) || (rc = report_region(req, region, err)))
		return rc;
	zl_http_credit_today(today);
	if (!(db = zl_req_db(req, err)))
		return ZL_EUNAVAIL;
	if ((rc = zl_db_begin_read(db, err)))
		return rc;
	rc = zl_sc_report_gather(db, req->arena, year, region, today, NULL,
				 req->ctx ? req->ctx->cfg.stats_min_batches : 30, in, err);
	zl_db_rollback(db);
	if (rc != ZL_OK)
		return rc;
	rc = zl_qr_layout_make(in, l);
	if (rc < 0)
		return zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
	if (rc > 0)
		return zl_error_set(err, ZL_ENOTFOUND, "year", "%s has no tested batch in %d",
				    in->scope_name, year);
	snprintf(file, 64, "quality-report-%d-%s", year, region[0] ? region : "410000");
	return ZL_OK;
}

static int attach(struct zl_req *req, struct zl_resp *resp, const char *file, const char *type,
		  struct zl_error *err)
{
	const char *disposition = zl_http_disposition(req->arena, file);

	resp->status = 200;
	resp->content_type = type;
	if (disposition == NULL || zl_resp_header(resp, "Content-Disposition", disposition) ||
	    zl_resp_header(resp, "Cache-Control", "no-store"))
		return zl_error_set(err, ZL_ENOMEM, NULL, "cannot answer the file");
	return ZL_OK;
}

int zl_h_sc_report_pdf(struct zl_req *req, struct zl_resp *resp, struct zl_error *err)
{
	struct zl_qr_input in;
	struct zl_qr_layout l;
	char file[64], name[80];
	int rc;

	if ((rc = prepare(req, &in, &l, file, err)))
		return rc;
	rc = zl_sc_report_pdf(&in, &l, &resp->body, err);
	zl_qr_layout_release(&l);
	if (rc != ZL_OK)
		return rc;
	snprintf(name, sizeof(name), "%s.pdf", file);
	return attach(req, resp, name, "application/pdf", err);
}

int zl_h_sc_report_xlsx(struct zl_req *req, struct zl_resp *resp, struct zl_error *err)
{
	struct zl_qr_input in;
	struct zl_qr_layout l;
	char file[64], name[80];
	uint64_t size;
	int fd, rc;

	if ((rc = prepare(req, &in, &l, file, err)))
		return rc;
	rc = zl_sc_report_annex(&in, &l, NULL, &fd, &size, err);
	zl_qr_layout_release(&l);
	if (rc != ZL_OK)
		return rc;
	resp->fd = fd; /* the server sends and closes it */
	resp->fd_size = size;
	snprintf(name, sizeof(name), "%s.xlsx", file);
	return attach(req, resp, name,
		      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", err);
}
