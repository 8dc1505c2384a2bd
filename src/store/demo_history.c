/*
 * demo_history.c - five years (2010-2014) of synthetic historical spot-check
 * results for `init --demo` (store/demo.h, docs/demo.md): about 204,000
 * inspections of products of the seed catalogue at enterprises of the demo
 * register whose industry makes them, grouped into finished yearly plans per
 * authority (the provincial bureau, the 18 city-level governments, a third
 * of the counties) and into published announcements (one per authority and
 * quarter), so that the statistics, the public results and the dashboard
 * have something to show.
 *
 * The figures are invented but shaped like published ones: about 90% of
 * batches pass; small and micro enterprises fail more often than large
 * ones; 电线电缆, 童装 and 电动自行车 clearly worse and 建筑用钢筋, 车用燃料
 * and 水泥 better; a gentle improvement from year to year; a mild
 * seasonality; e-commerce sampling growing from 2% to 12% of batches.
 *
 * Every record is terminal and timer-free (state closed), so none of them
 * puts anything on a task list or a timer: a pass is closed and its samples'
 * return notified; a failure is made final (or re-tested on objection) and
 * closed after rectification and a follow-up check, closed as overturned by
 * a re-test, or closed exempt (production ceased).  The records are built
 * here field by field, as domain/inspection.c's machine would have written
 * them (tests/store/test_demo_history.c replays the machine on 2014 dates
 * and compares), because the machine computes statutory deadlines in the
 * working-day calendar, which starts in 2014.  As in a published notice,
 * only the failing items are stored (inspection_items, verdict fail, at
 * their place `ord` in the report); nitems is the report's number of items
 * (the product family's and the product's catalogue items) and the failed
 * set marks the stored ones.
 *
 * Seeded (core/rand.h) from fixed text: every demo database is the same.
 * Written in one transaction with prepared statements; run again, it does
 * nothing.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/rand.h"
#include "core/timeutil.h"
#include "core/buf.h"
#include "domain/inspection.h"
#include "store/demo.h"
#include "store/plan_internal.h"
#include "store/query.h"
#include "store/scstats.h"
#include "store/spotcheck_plans.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define FIRST_YEAR 2010
#define LAST_YEAR 2014
#define NYEARS (LAST_YEAR - FIRST_YEAR + 1)
#define ZJ "410000-D006"  /* 河南省质量技术监督局 */
#define LAB "410000-L001" /* 河南省产品质量监督检验院 */
#define MARK_TITLE "2010年河南省产品质量监督抽查计划"
#define MAX_ITEMS 64 /* a catalogue product has fewer; the failed set fits one word */

/* Batches per year: a province testing a little more every year. */
static const int year_batches[NYEARS] = {38000, 39500, 41000, 42500, 44000};
/* Share of batches sampled online, per mille, by year; circulation is 280. */
static const int ecommerce_pm[NYEARS] = {20, 40, 60, 90, 120};
/* Quarterly weights of sampling (per mille) and their mild effect on failing. */
static const int quarter_pm[4] = {180, 270, 300, 250};
static const double quarter_odds[4] = {1.06, 1.0, 0.95, 1.0};

/* A product's failure rate by batch around 2012 for a medium producer, by code prefix. */
struct product_rate {
	const char *prefix;
	double fail;
	const char *spec; /* a typical 规格型号 */
};
static const struct product_rate rates[] = {
	{"0101", 0.06, "BCD-215"},	    {"0102", 0.07, "KFR-35GW"},
	{"0103", 0.09, "60L 2000W"},	    {"0104", 0.08, "2100W"},
	{"0105", 0.07, "4L 700W"},	    {"0201", 0.10, "73cm"},
	{"0202", 0.11, "170/92A"},	    {"0203", 0.09, "175/96A"},
	{"0301", 0.15, "15-15-15"},	    {"0302", 0.14, "N-P2O5-K2O 10-8-7"},
	{"0303", 0.13, "18-18-9"},	    {"0401", 0.05, "P·O 42.5"},
	{"0402", 0.06, "P·C 32.5"},	    {"0501", 0.11, "3岁以上"},
	{"0502", 0.13, "—"},		    {"0503", 0.12, "12英寸"},
	{"0504", 0.08, "—"},		    {"0505", 0.19, "100cm"},
	{"0601", 0.04, "92号"},		    {"0602", 0.04, "0号"},
	{"0603", 0.05, "E92号"},	    {"0701", 0.07, "46.4%"},
	{"0702", 0.12, "40%乳油"},	    {"0703", 0.10, "0.010mm"},
	{"0801", 0.21, "BV 2.5mm²"},	    {"0802", 0.17, "YJV 3×95+1×50"},
	{"0901", 0.03, "HRB400 Φ16"},	    {"1001", 0.10, "1220×2440×9mm"},
	{"1002", 0.11, "1220×2440×15mm"}, {"1101", 0.16, "TDR-48V"},
	{"1201", 0.12, "JZT-2"},	    {"1301", 0.13, "ABS"},
};

/* Failing is likelier for smaller firms (odds ratios), at retail and online. */
static const char *const sizes[] = {"large", "medium", "small", "micro"};
static const double size_odds[] = {0.5, 1.0, 1.3, 1.6};
static const char *const places[] = {"production", "circulation", "ecommerce"};
static const double place_odds[] = {0.95, 1.15, 1.4};
static const char *const levels[] = {"province", "city", "county"};

static const char *const platforms[] = {"淘宝网", "天猫", "京东商城", "1号店", "苏宁易购"};
static const char *const shops[] = {"百货有限公司", "商贸有限公司", "建材市场经营部",
				    "超市有限公司", "农资经营部", "五金交电商行"};
static const char *const marks[] = {"宏达", "金龙", "中原", "豫丰", "华鑫", "天源", "恒通",
				    "新星", "嵩岳", "黄河", "伏牛", "富民", "东方", "海燕",
				    "牡丹", "银鹰", "神力", "红旗", "长城", "飞燕"};
static const char *const surnames[] = {"王", "李", "张", "刘", "陈", "杨", "赵", "黄",
				       "周", "吴", "徐", "孙", "马", "朱", "胡", "郭"};
static const char *const given[] = {"伟", "芳", "娜", "敏", "静", "磊", "军", "洋",
				    "勇", "艳", "杰", "涛", "明", "超", "霞", "平"};

/* The lifecycle paths of a historical record (all end in closed). */
enum path {
	PATH_PASS,	 /* report pass, closed, samples returned */
	PATH_RECTIFIED,	 /* fail, final, order, follow-up passed */
	PATH_UPHELD,	 /* fail, objection, re-test upheld, order, follow-up passed */
	PATH_OVERTURNED, /* fail, objection, re-test overturned */
	PATH_EXEMPT,	 /* fail, final, production ceased */
};

/* ---- what the database gives ---------------------------------------------------------- */

struct item {
	char name[96], unit[24], limit[96];
	double min, max;
	int has_min, has_max;
};

struct product {
	char code[8], name[96];
	const struct product_rate *rate;
	struct item *items;
	int nitems;
	int *ents; /* candidate enterprises (indexes), by USCC */
	size_t nents;
	double weight;
};

struct ent {
	char uscc[24], name[160], county[8], founded[11];
	char qregion[8];   /* the province's quota region: city, 济源, or a 省直管 county */
	char city_org[8];  /* the city government, or "" (省直管, or 济源 itself a city) */
	int county_org;	   /* its county is one of the counties that plan spot checks */
	int size;	   /* index into sizes[] */
	char industry[8];
	int64_t founded_day;
};

/* One authority: the plan's organization of a level. */
struct authority {
	char org[16], name[128];
	int level; /* 0 province, 1 city, 2 county */
};

/* One generated inspection, compact; strings are made when it is written. */
struct hist {
	int32_t ent, product, auth, year;
	int32_t place, path, quarter;
	uint64_t failed;			  /* items the report failed */
	int32_t sampled, report, notified, received; /* day numbers */
	int32_t objected, final, order, order_recv, fu_applied, fu, closed, returned;
	int32_t seq; /* order of generation: the last tie-break of the sort */
};

struct gen {
	struct zl_db *db;
	struct zl_rng rng;
	struct ent *ents;
	size_t nents;
	struct product *products;
	size_t nproducts;
	struct authority *auths;
	size_t nauths, cauths;
	struct hist *v;
	size_t n;
	int64_t *plan_ids;   /* per (authority, year) */
	int64_t *ann_ids;    /* per (authority, year, quarter) */
	int32_t *ann_serial; /* its number in the authority's year */
};

static int oom(struct zl_error *err)
{
	return zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
}

static int64_t pick(struct zl_rng *rng, int64_t lo, int64_t hi)
{
	return lo + (int64_t)zl_rng_below(rng, (uint64_t)(hi - lo + 1));
}

static const struct product_rate *rate_of(const char *code)
{
	for (size_t i = 0; i < N(rates); i++)
		if (strcmp(rates[i].prefix, code) == 0)
			return &rates[i];
	return NULL;
}

/* Either GB/T 4754 code's digits a prefix of the other's (as draws.c matches makers). */
static int industry_match(const char *ent, const char *cat)
{
	size_t el = strlen(ent), cl;

	while (*cat && (*cat < '0' || *cat > '9'))
		cat++;
	cl = strlen(cat);
	return el && cl && strncmp(ent, cat, el < cl ? el : cl) == 0;
}

/* The authority `org` of `level`, added when new; its index. */
static int auth_index(struct gen *g, const char *org, int level, const char *name)
{
	for (size_t i = 0; i < g->nauths; i++)
		if (strcmp(g->auths[i].org, org) == 0)
			return (int)i;
	if (g->nauths == g->cauths) {
		size_t nc = g->cauths ? 2 * g->cauths : 64;
		struct authority *v = realloc(g->auths, nc * sizeof(*v));

		if (v == NULL)
			return -1;
		g->auths = v;
		g->cauths = nc;
	}
	zl_strlcpy(g->auths[g->nauths].org, org, sizeof(g->auths[0].org));
	zl_strlcpy(g->auths[g->nauths].name, name, sizeof(g->auths[0].name));
	g->auths[g->nauths].level = level;
	return (int)g->nauths++;
}

/* The operating enterprises with their county's place in the current organization tree. */
static int load_enterprises(struct gen *g, struct zl_error *err)
{
	struct zl_stmt *st;
	int64_t n = 0;
	int rc = zl_store_int_by_key(g->db, "SELECT count(*) FROM enterprises WHERE status = ?",
				     "operating", &n, err);

	if (rc != ZL_OK)
		return rc;
	g->ents = calloc((size_t)n + 1, sizeof(*g->ents));
	if (g->ents == NULL)
		return oom(err);
	rc = zl_db_prepare(g->db,
			   "SELECT e.uscc, e.name, e.region, e.industry, e.size_class, e.founded,"
			   " COALESCE(o.kind, ''), COALESCE(o.parent, '')"
			   " FROM enterprises e LEFT JOIN orgs o ON o.code = e.region"
			   " AND o.valid_to IS NULL"
			   /* The current demo's enterprises keep their one 2014 inspection
			    * (its accounts and cases read it alone). */
			   " WHERE e.status = 'operating' AND NOT EXISTS (SELECT 1 FROM"
			   " inspections i WHERE i.uscc = e.uscc) ORDER BY e.uscc",
			   &st, err);
	if (rc != ZL_OK)
		return rc;
	while (g->nents < (size_t)n && (rc = zl_stmt_step(st, err)) == ZL_DB_ROW) {
		struct ent *e = &g->ents[g->nents];
		const char *kind = zl_stmt_column_text(st, 6), *parent = zl_stmt_column_text(st, 7);
		const char *size = zl_stmt_column_text(st, 4);

		zl_store_col_text(st, 0, e->uscc, sizeof(e->uscc));
		zl_store_col_text(st, 1, e->name, sizeof(e->name));
		zl_store_col_text(st, 2, e->county, sizeof(e->county));
		zl_store_col_text(st, 3, e->industry, sizeof(e->industry));
		zl_store_col_text(st, 5, e->founded, sizeof(e->founded));
		if (zl_date_parse(e->founded, &e->founded_day) != ZL_OK)
			e->founded_day = 0;
		e->size = 3;
		for (int i = 0; i < 4; i++)
			if (strcmp(size, sizes[i]) == 0)
				e->size = i;
		if (strcmp(kind, "city") == 0) { /* 济源: a city-level unit of its own */
			zl_strlcpy(e->qregion, e->county, sizeof(e->qregion));
			zl_strlcpy(e->city_org, e->county, sizeof(e->city_org));
		} else if (strcmp(kind, "county") == 0 && strcmp(parent, "410000") == 0) {
			zl_strlcpy(e->qregion, e->county, sizeof(e->qregion)); /* 省直管 */
		} else if (strcmp(kind, "county") == 0) {
			zl_strlcpy(e->qregion, parent, sizeof(e->qregion));
			zl_strlcpy(e->city_org, parent, sizeof(e->city_org));
		} else {
			continue; /* not in the current tree: not inspected here */
		}
		/* A third of the counties plan spot checks of their own. */
		e->county_org = strcmp(kind, "county") == 0 && strtol(e->county, NULL, 10) % 3 == 0;
		g->nents++;
	}
	zl_stmt_reset(st);
	return rc < 0 ? rc : ZL_OK;
}

/* The limit of a catalogue item as a report writes it. */
static void item_limit(struct item *it, const char *text)
{
	char a[32], b[32];

	snprintf(a, sizeof(a), "%g", it->min);
	snprintf(b, sizeof(b), "%g", it->max);
	if (text[0])
		zl_strlcpy(it->limit, text, sizeof(it->limit));
	else if (it->has_min && it->has_max)
		snprintf(it->limit, sizeof(it->limit), "%s～%s", a, b);
	else if (it->has_min)
		snprintf(it->limit, sizeof(it->limit), "≥%s", a);
	else if (it->has_max)
		snprintf(it->limit, sizeof(it->limit), "≤%s", b);
	else
		zl_strlcpy(it->limit, "符合标准要求", sizeof(it->limit));
}

/* Append the test items of catalogue category `code` to p (the family's, then the product's). */
static int load_items(struct gen *g, struct product *p, const char *code, struct zl_error *err)
{
	struct zl_stmt *st;
	int rc = zl_db_prepare(g->db,
			       "SELECT name, unit, limit_min, limit_max, limit_text FROM catalogue_items"
			       " WHERE code = ? ORDER BY ord",
			       &st, err);

	if (rc != ZL_OK)
		return rc;
	zl_stmt_bind_text(st, 1, code, -1);
	while ((rc = zl_stmt_step(st, err)) == ZL_DB_ROW) {
		struct item *it;

		if (p->nitems == MAX_ITEMS)
			continue;
		it = &p->items[p->nitems++];
		memset(it, 0, sizeof(*it));
		zl_store_col_text(st, 0, it->name, sizeof(it->name));
		zl_store_col_text(st, 1, it->unit, sizeof(it->unit));
		it->has_min = !zl_stmt_column_is_null(st, 2);
		it->has_max = !zl_stmt_column_is_null(st, 3);
		it->min = zl_stmt_column_double(st, 2);
		it->max = zl_stmt_column_double(st, 3);
		item_limit(it, zl_stmt_column_text(st, 4));
	}
	zl_stmt_reset(st);
	return rc < 0 ? rc : ZL_OK;
}

/* The active products (four-digit codes) of the catalogue with their items and makers. */
static int load_products(struct gen *g, struct zl_error *err)
{
	static const double risk_weight[] = {0, 3.0, 2.0, 1.2};
	struct zl_stmt *st;
	int rc;

	g->products = calloc(N(rates), sizeof(*g->products));
	if (g->products == NULL)
		return oom(err);
	rc = zl_db_prepare(g->db,
			   "SELECT code, name, risk FROM catalogue_categories"
			   " WHERE length(code) = 4 AND status = 'active' ORDER BY code",
			   &st, err);
	if (rc != ZL_OK)
		return rc;
	while ((rc = zl_stmt_step(st, err)) == ZL_DB_ROW) {
		struct product *p = &g->products[g->nproducts];
		const char *code = zl_stmt_column_text(st, 0);
		int64_t risk = zl_stmt_column_int64(st, 2);

		if (g->nproducts == N(rates) || rate_of(code) == NULL)
			continue; /* a product added since: no figures for it */
		zl_strlcpy(p->code, code, sizeof(p->code));
		zl_store_col_text(st, 1, p->name, sizeof(p->name));
		p->rate = rate_of(code);
		p->weight = risk_weight[risk >= 1 && risk <= 3 ? risk : 3];
		g->nproducts++;
	}
	zl_stmt_reset(st);
	if (rc < 0)
		return rc;
	for (size_t i = 0; i < g->nproducts; i++) {
		struct product *p = &g->products[i];
		char family[3] = {p->code[0], p->code[1], '\0'};
		char ind[8][16];
		size_t nind = 0;

		p->items = calloc(MAX_ITEMS, sizeof(*p->items));
		p->ents = calloc(g->nents + 1, sizeof(*p->ents));
		if (p->items == NULL || p->ents == NULL)
			return oom(err);
		if ((rc = load_items(g, p, family, err)) || (rc = load_items(g, p, p->code, err)))
			return rc;
		rc = zl_db_prepare(g->db,
				   "SELECT industry FROM catalogue_industries WHERE code = ? ORDER BY ord",
				   &st, err);
		if (rc != ZL_OK)
			return rc;
		zl_stmt_bind_text(st, 1, p->code, -1);
		while (nind < N(ind) && (rc = zl_stmt_step(st, err)) == ZL_DB_ROW)
			zl_store_col_text(st, 0, ind[nind++], sizeof(ind[0]));
		zl_stmt_reset(st);
		if (rc < 0)
			return rc;
		for (size_t e = 0; e < g->nents; e++)
			for (size_t k = 0; k < nind; k++)
				if (industry_match(g->ents[e].industry, ind[k])) {
					p->ents[p->nents++] = (int)e;
					break;
				}
	}
	return ZL_OK;
}

/* ---- generation ----------------------------------------------------------------------------- */

static int32_t day_of(int y, unsigned m, unsigned d)
{
	return (int32_t)zl_days_from_civil(y, m, d);
}

/* The failure probability of one batch. */
static double fail_p(const struct gen *g, const struct hist *h)
{
	double b = g->products[h->product].rate->fail;
	double odds = b / (1 - b) * 0.72;

	odds *= size_odds[g->ents[h->ent].size] * place_odds[h->place] * quarter_odds[h->quarter];
	for (int y = 2012; y < h->year; y++)
		odds *= 0.93;
	for (int y = h->year; y < 2012; y++)
		odds /= 0.93;
	return odds / (1 + odds);
}

/* The lifecycle's dates for path h->path from the sampling day on (calendar days). */
static void lifecycle(struct zl_rng *rng, struct hist *h)
{
	h->report = h->sampled + (int32_t)pick(rng, 7, 25);
	h->notified = h->report + (int32_t)pick(rng, 1, 5); /* within 5 working days */
	h->received = h->notified + (int32_t)pick(rng, 1, 4);
	h->objected = h->final = h->order = h->order_recv = 0;
	h->fu_applied = h->fu = h->returned = 0;
	/* The objection period is 15 days, moved past a day off: a week's margin. */
	switch (h->path) {
	case PATH_PASS:
		h->closed = h->received + (int32_t)pick(rng, 1, 20);
		h->returned = h->received + (int32_t)pick(rng, 23, 32);
		return;
	case PATH_RECTIFIED:
	case PATH_EXEMPT:
		h->final = h->received + (int32_t)pick(rng, 23, 30);
		h->returned = h->received + (int32_t)pick(rng, 23, 32);
		break;
	case PATH_UPHELD:
	case PATH_OVERTURNED:
		h->objected = h->received + (int32_t)pick(rng, 3, 14);
		if (h->path == PATH_OVERTURNED) {
			h->closed = h->objected + (int32_t)pick(rng, 10, 25);
			return;
		}
		h->final = h->objected + (int32_t)pick(rng, 10, 25);
		break;
	}
	if (h->path == PATH_EXEMPT) {
		h->closed = h->final + (int32_t)pick(rng, 10, 40);
		return;
	}
	h->order = h->final + (int32_t)pick(rng, 3, 15);
	h->order_recv = h->order + (int32_t)pick(rng, 1, 5);
	h->fu_applied = h->order_recv + (int32_t)pick(rng, 10, 30); /* within the 30 days */
	h->fu = h->fu_applied + (int32_t)pick(rng, 5, 20);
	h->closed = h->fu;
}

/* The authority of a batch of enterprise e at level `level` (0..2): its index, or -1. */
static int authority_of(struct gen *g, const struct ent *e, int *level)
{
	if (*level == 2 && !e->county_org)
		*level = 1;
	if (*level == 1 && !e->city_org[0])
		*level = e->county_org ? 2 : 0;
	if (*level == 0)
		return auth_index(g, ZJ, 0, "河南省质量技术监督局");
	return auth_index(g, *level == 1 ? e->city_org : e->county, *level, "");
}

static int gen_year(struct gen *g, int year, int batches, struct zl_error *err)
{
	double total = 0;

	for (size_t i = 0; i < g->nproducts; i++)
		total += g->products[i].nents ? g->products[i].weight : 0;
	for (int k = 0; k < batches; k++) {
		struct hist *h = &g->v[g->n];
		double u = zl_rng_unit(&g->rng) * total;
		int64_t q = (int64_t)zl_rng_below(&g->rng, 1000), lvl;
		int32_t q0, q1, a;
		size_t p = 0;
		int level, tries;

		memset(h, 0, sizeof(*h));
		while (p + 1 < g->nproducts && (g->products[p].nents == 0 ||
						(u -= g->products[p].weight) >= 0))
			p++;
		if (g->products[p].nents == 0)
			return zl_error_set(err, ZL_EUNPROC, "products",
					    "demo history: no maker of any catalogue product");
		h->product = (int32_t)p;
		h->year = year;
		for (h->quarter = 0; h->quarter < 3 && q >= quarter_pm[h->quarter]; h->quarter++)
			q -= quarter_pm[h->quarter];
		q0 = day_of(year, (unsigned)(3 * h->quarter + 1), 1);
		q1 = h->quarter == 3 ? day_of(year, 12, 15) : day_of(year, (unsigned)(3 * h->quarter + 4), 1) - 1;
		if (h->quarter == 0)
			q0 = day_of(year, 1, 6);
		h->sampled = q0 + (int32_t)zl_rng_below(&g->rng, (uint64_t)(q1 - q0 + 1));
		/* A maker founded before the sampling. */
		for (tries = 0; tries < 8; tries++) {
			const struct product *pr = &g->products[p];

			h->ent = pr->ents[zl_rng_below(&g->rng, pr->nents)];
			if (g->ents[h->ent].founded_day < h->sampled)
				break;
		}
		if (tries == 8)
			continue; /* a young industry: fewer batches */
		q = (int64_t)zl_rng_below(&g->rng, 1000);
		h->place = q < ecommerce_pm[year - FIRST_YEAR]		 ? 2
			   : q < ecommerce_pm[year - FIRST_YEAR] + 280 ? 1
								       : 0;
		lvl = (int64_t)zl_rng_below(&g->rng, 100);
		level = lvl < 55 ? 0 : lvl < 88 ? 1 : 2;
		if ((a = authority_of(g, &g->ents[h->ent], &level)) < 0)
			return oom(err);
		h->auth = a;
		if (zl_rng_unit(&g->rng) >= fail_p(g, h)) {
			h->path = PATH_PASS;
		} else {
			int64_t w = (int64_t)zl_rng_below(&g->rng, 100);
			int nit = g->products[p].nitems, nf;

			h->path = w < 85 ? PATH_RECTIFIED : w < 89 ? PATH_UPHELD
						      : w < 92 ? PATH_OVERTURNED
							       : PATH_EXEMPT;
			w = (int64_t)zl_rng_below(&g->rng, 100);
			nf = w < 70 ? 1 : w < 92 ? 2 : 3;
			if (nf > nit)
				nf = nit;
			while (nf > 0) {
				int it = (int)zl_rng_below(&g->rng, (uint64_t)nit);

				if (!(h->failed & ((uint64_t)1 << it))) {
					h->failed |= (uint64_t)1 << it;
					nf--;
				}
			}
		}
		lifecycle(&g->rng, h);
		h->seq = (int32_t)g->n++;
	}
	return ZL_OK;
}

static int hist_cmp(const void *a, const void *b)
{
	const struct hist *x = a, *y = b;

	if (x->sampled != y->sampled)
		return x->sampled < y->sampled ? -1 : 1;
	if (x->auth != y->auth)
		return x->auth < y->auth ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static void put(char out[11], int32_t day)
{
	char buf[16];

	out[0] = '\0';
	if (day > 0) {
		zl_date_format(day, buf);
		zl_strlcpy(out, buf, 11);
	}
}

/*
 * The machine's record of h as zl_insp_apply() leaves it after the path's
 * events (record_sampling, enter_report, notify, receive, then close;
 * finalize or object and retest_*; order_rectification, apply_follow_up,
 * follow_up_passed; exempt; return_samples), with `nitems` report items.
 */
static void build_record(const struct hist *h, int nitems, const char *plan_due,
			 struct zl_inspection *r)
{
	memset(r, 0, sizeof(*r));
	r->state = ZL_INSP_CLOSED;
	r->nitems = nitems;
	r->failed[0] = h->failed;
	zl_strlcpy(r->plan_due, plan_due, sizeof(r->plan_due));
	put(r->sampled_on, h->sampled);
	put(r->report_on, h->report);
	put(r->notified_on, h->notified);
	put(r->received_on, h->received);
	put(r->objected_on, h->objected);
	put(r->final_on, h->final);
	put(r->order_on, h->order);
	put(r->order_received_on, h->order_recv);
	put(r->follow_up_applied_on, h->fu_applied);
	put(r->follow_up_on, h->fu);
	put(r->samples_returned_on, h->returned);
	put(r->closed_on, h->closed);
	put(r->last_on, h->closed);
	switch (h->path) {
	case PATH_PASS:
		r->conclusion = ZL_INSP_PASS;
		r->outcome = ZL_INSP_OUTCOME_PASSED;
		break;
	case PATH_RECTIFIED:
		r->conclusion = ZL_INSP_FAIL;
		r->outcome = ZL_INSP_OUTCOME_RECTIFIED;
		break;
	case PATH_UPHELD: /* every failed item contested, the re-test fails them all */
		r->conclusion = ZL_INSP_FAIL;
		r->outcome = ZL_INSP_OUTCOME_RECTIFIED;
		r->contested[0] = r->retest_failed[0] = h->failed;
		break;
	case PATH_OVERTURNED: /* every failed item contested, the re-test passes them */
		r->conclusion = ZL_INSP_PASS;
		r->outcome = ZL_INSP_OUTCOME_OVERTURNED;
		r->contested[0] = h->failed;
		break;
	case PATH_EXEMPT:
		r->conclusion = ZL_INSP_FAIL;
		r->outcome = ZL_INSP_OUTCOME_EXEMPT;
		break;
	}
}

/* An item set as inspections.c stores it: 16 hex digits per word, "" when empty. */
static void bits_text(const uint64_t *w, char out[16 * ZL_INSP_ITEM_WORDS + 1])
{
	int any = 0;

	for (int i = 0; i < ZL_INSP_ITEM_WORDS; i++)
		any |= w[i] != 0;
	out[0] = '\0';
	if (!any)
		return;
	for (int i = 0; i < ZL_INSP_ITEM_WORDS; i++)
		snprintf(out + 16 * i, 17, "%016" PRIx64, w[i]);
}

/* ---- plans and announcements ------------------------------------------------------------------ */

static int plan_key(const struct hist *h)
{
	return h->auth * NYEARS + (h->year - FIRST_YEAR);
}

/* The quota region of h: the province's city-level unit, else the enterprise's county. */
static const char *quota_region(const struct gen *g, const struct hist *h)
{
	const struct ent *e = &g->ents[h->ent];

	return g->auths[h->auth].level == 0 ? e->qregion : e->county;
}

/* The authority's current name, "人民政府" cut (郑州市人民政府 -> 郑州市). */
static int auth_names(struct gen *g, struct zl_error *err)
{
	for (size_t i = 0; i < g->nauths; i++) {
		struct authority *a = &g->auths[i];
		struct zl_stmt *st;
		char *cut;
		int rc;

		if (a->level == 0)
			continue;
		rc = zl_db_prepare(g->db, "SELECT name FROM orgs WHERE code = ? AND valid_to IS NULL",
				   &st, err);
		if (rc != ZL_OK)
			return rc;
		zl_stmt_bind_text(st, 1, a->org, -1);
		rc = zl_stmt_step(st, err);
		if (rc == ZL_DB_ROW)
			zl_store_col_text(st, 0, a->name, sizeof(a->name));
		zl_stmt_reset(st);
		if (rc < 0)
			return rc;
		if ((cut = strstr(a->name, "人民政府")) != NULL)
			*cut = '\0';
	}
	return ZL_OK;
}

static const struct gen *sort_gen; /* qsort has no context argument */

static int by_plan(const void *a, const void *b)
{
	const struct hist *x = &sort_gen->v[*(const int32_t *)a];
	const struct hist *y = &sort_gen->v[*(const int32_t *)b];
	int c;

	if (plan_key(x) != plan_key(y))
		return plan_key(x) < plan_key(y) ? -1 : 1;
	if (x->product != y->product)
		return x->product < y->product ? -1 : 1;
	if ((c = strcmp(quota_region(sort_gen, x), quota_region(sort_gen, y))) != 0)
		return c;
	return *(const int32_t *)a < *(const int32_t *)b ? -1 : 1;
}

/* Create, submit, approve, start and finish one plan of records idx[0..n) (one key). */
static int one_plan(struct gen *g, const int32_t *idx, size_t n, struct zl_arena *a,
		    int64_t *id, struct zl_error *err)
{
	static const char *const labs[] = {LAB};
	const struct hist *h0 = &g->v[idx[0]];
	const struct authority *au = &g->auths[h0->auth];
	struct zl_sc_product_in *prods = zl_arena_calloc(a, g->nproducts, sizeof(*prods));
	struct zl_sc_quota_in *quotas = zl_arena_calloc(a, n, sizeof(*quotas));
	struct zl_sc_place_in pl[3];
	int64_t count[3] = {0, 0, 0};
	size_t np = 0, nq = 0, npl = 0;
	char d0[16], d1[16], d2[16], d3[16], t0[32], t1[32], t2[32], t3[32], start[16], end[16];
	struct zl_sc_plan_in in;
	int y = h0->year, rc;

	if (prods == NULL || quotas == NULL)
		return oom(err);
	for (size_t i = 0; i < n; i++) {
		const struct hist *h = &g->v[idx[i]];
		const char *r = quota_region(g, h);

		count[h->place]++;
		if (np == 0 || strcmp(prods[np - 1].code, g->products[h->product].code) != 0) {
			prods[np].code = g->products[h->product].code;
			prods[np].lab = LAB;
			prods[np].quotas = &quotas[nq];
			np++;
		}
		if (prods[np - 1].nquotas == 0 || strcmp(quotas[nq - 1].region, r) != 0) {
			quotas[nq].region = r;
			quotas[nq++].batches = 0;
			prods[np - 1].nquotas++;
		}
		quotas[nq - 1].batches++;
	}
	for (int p = 0; p < 3; p++)
		if (count[p] > 0)
			pl[npl++] = (struct zl_sc_place_in){places[p], 0, count[p]};
	memset(&in, 0, sizeof(in));
	in.year = y;
	in.kind = "yearly";
	in.org = au->org;
	if (au->level == 0 && y == 2014) {
		/* The province's yearly plan of 2014 is the demo's current one. */
		in.kind = "special";
		in.title = "2014年河南省重点产品质量专项监督抽查计划";
	} else {
		in.title = zl_arena_printf(a, "%d年%s产品质量监督抽查计划",
					   y, au->level == 0 ? "河南省" : au->name);
	}
	zl_date_format(day_of(y, 1, 1), start);
	zl_date_format(day_of(y, 12, 20), end);
	in.start = start;
	in.end = end;
	in.budget_fen = (int64_t)n * 250000; /* 2,500 元 a batch */
	in.note = "演示数据：历史抽查结果为合成数据";
	in.labs = labs;
	in.nlabs = 1;
	in.places = pl;
	in.nplaces = npl;
	in.products = prods;
	in.nproducts = np;
	if (in.title == NULL)
		return oom(err);
	zl_date_format(day_of(y - 1, 12, 10), d0);
	zl_date_format(day_of(y - 1, 12, 24), d1);
	zl_date_format(day_of(y, 1, 2), d2);
	zl_date_format(day_of(y + 1, 3, 31), d3);
	snprintf(t0, sizeof(t0), "%sT02:00:00Z", d0);
	snprintf(t1, sizeof(t1), "%sT02:00:00Z", d1);
	snprintf(t2, sizeof(t2), "%sT02:00:00Z", d2);
	snprintf(t3, sizeof(t3), "%sT02:00:00Z", d3);
	{
		struct zl_plan_actor planner = {"demo.history", au->org, "", d0, t0};
		struct zl_plan_actor approver = {"demo.zj.approver", ZJ, "", d1, t1};
		struct zl_plan_actor starter = {"demo.history", au->org, "", d2, t2};
		struct zl_plan_actor finisher = {"demo.history", au->org, "", d3, t3};

		if ((rc = zl_store_sc_plan_create(g->db, &in, &planner, id, err)) ||
		    (rc = zl_store_sc_plan_act(g->db, *id, ZL_SC_SUBMIT, NULL, &planner, err)) ||
		    (rc = zl_store_sc_plan_act(g->db, *id, ZL_SC_APPROVE, "同意", &approver, err)) ||
		    (rc = zl_store_sc_plan_act(g->db, *id, ZL_SC_START, NULL, &starter, err)) ||
		    (rc = zl_store_sc_plan_act(g->db, *id, ZL_SC_FINISH, NULL, &finisher, err)))
			return rc;
	}
	return ZL_OK;
}

static int make_plans(struct gen *g, struct zl_error *err)
{
	int32_t *idx = malloc((g->n + 1) * sizeof(*idx));
	struct zl_arena a;
	int rc = ZL_OK;

	g->plan_ids = calloc(g->nauths * NYEARS, sizeof(*g->plan_ids));
	if (idx == NULL || g->plan_ids == NULL) {
		free(idx);
		return oom(err);
	}
	for (size_t i = 0; i < g->n; i++)
		idx[i] = (int32_t)i;
	sort_gen = g;
	qsort(idx, g->n, sizeof(*idx), by_plan);
	zl_arena_init(&a, (size_t)16 << 20);
	for (size_t i = 0, j; i < g->n && rc == ZL_OK; i = j) {
		int key = plan_key(&g->v[idx[i]]);

		for (j = i + 1; j < g->n && plan_key(&g->v[idx[j]]) == key; j++)
			;
		zl_arena_reset(&a);
		rc = one_plan(g, idx + i, j - i, &a, &g->plan_ids[key], err);
	}
	zl_arena_release(&a);
	free(idx);
	return rc;
}

static const char *const quarter_zh[] = {"一", "二", "三", "四"};

/* The authority's short name for document numbers: 豫 for the province, else its first two characters. */
static void short_name(const struct authority *au, char out[16])
{
	if (au->level == 0) {
		zl_strlcpy(out, "豫", 16);
		return;
	}
	zl_strlcpy(out, au->name, 7); /* two characters of three bytes */
}

/* One published announcement per authority and quarter, issued 80 days after the quarter. */
static int make_announcements(struct gen *g, struct zl_error *err)
{
	size_t nkeys = g->nauths * NYEARS * 4;
	char *used = calloc(nkeys + 1, 1);
	int rc = ZL_OK;

	g->ann_ids = calloc(nkeys + 1, sizeof(*g->ann_ids));
	if (used == NULL || g->ann_ids == NULL) {
		free(used);
		return oom(err);
	}
	for (size_t i = 0; i < g->n; i++)
		used[(size_t)plan_key(&g->v[i]) * 4 + (size_t)g->v[i].quarter] = 1;
	for (size_t k = 0; k < nkeys && rc == ZL_OK; k++) {
		const struct authority *au = &g->auths[k / (4 * NYEARS)];
		int y = FIRST_YEAR + (int)(k / 4 % NYEARS), q = (int)(k % 4);
		char title[256], doc[96], issued[16], at[32], sn[16];
		int32_t end = q == 3 ? day_of(y + 1, 1, 1) - 1 : day_of(y, (unsigned)(3 * q + 4), 1) - 1;
		struct zl_stmt *st;

		if (!used[k])
			continue;
		zl_date_format(end + 80, issued);
		snprintf(at, sizeof(at), "%sT02:00:00Z", issued);
		short_name(au, sn);
		snprintf(title, sizeof(title), "%s关于%d年第%s季度产品质量监督抽查结果的公告",
			 au->level == 0 ? "河南省质量技术监督局" : au->name, y, quarter_zh[q]);
		/* Issued in June, September, December and next March: numbered in the year. */
		snprintf(doc, sizeof(doc), "%s质监公告〔%d〕%d号", sn, y + (q == 3), q == 3 ? 1 : q + 2);
		rc = zl_db_prepare(g->db,
				   "INSERT INTO spotcheck_announcements (org, level, title, doc_no, origin,"
				   " status, issued_on, published_at, note, created_by, created_at,"
				   " updated_by, updated_at, approved_by, approved_at)"
				   " VALUES (?, ?, ?, ?, 'own', 'published', ?, ?,"
				   " '演示数据：历史抽查结果为合成数据', 'demo.history', ?, 'demo.history', ?,"
				   " 'demo.zj.approver', ?) RETURNING id",
				   &st, err);
		if (rc != ZL_OK)
			break;
		zl_stmt_bind_text(st, 1, au->org, -1);
		zl_stmt_bind_text(st, 2, levels[au->level], -1);
		zl_stmt_bind_text(st, 3, title, -1);
		zl_stmt_bind_text(st, 4, doc, -1);
		zl_stmt_bind_text(st, 5, issued, -1);
		zl_stmt_bind_text(st, 6, at, -1);
		zl_stmt_bind_text(st, 7, at, -1);
		zl_stmt_bind_text(st, 8, at, -1);
		zl_stmt_bind_text(st, 9, at, -1);
		rc = zl_plan_run_id(st, &g->ann_ids[k], err);
	}
	free(used);
	return rc;
}

/* ---- the inspections -------------------------------------------------------------------------- */

/* The inspection columns written, and one row's values ('?' where bound). */
#define INSERT_HEAD                                                                                \
	"INSERT INTO inspections (plan_id, product, uscc, enterprise_name, county, region, lab,"   \
	" gov, draw_position, created_by, created_at, updated_by, updated_at,"                     \
	" state, outcome, conclusion, nitems, failed_items, contested_items, retest_failed,"       \
	" deemed, notified_late, refusals, warnings, resamples, extension, extension_asked,"       \
	" extension_days, sanction_level, plan_due, last_on, sampled_on, report_on, notified_on,"  \
	" received_on, objected_on, final_on, order_on, order_received_on, extension_asked_on,"    \
	" follow_up_applied_on, follow_up_on, announced_on, suspended_on, suspended_until,"        \
	" samples_returned_on, closed_on, place, batch, production_date, spec, trademark,"         \
	" sample_qty, backup_qty, backup_sealed, seal_no, samplers, report_no, retest_no,"         \
	" order_no, announcement_id, level, size_class, sampled_unit, retailer, platform,"         \
	" product_text) VALUES "
#define INSERT_ROW                                                                                 \
	"(?, ?, ?, ?, ?, ?, ?, ?, 0, 'demo.history', ?, 'demo.history', ?,"                        \
	" ?, ?, ?, ?, ?, ?, ?, 0, 0, 0, 0, 0, '', 0, 0, 0,"                                        \
	" ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '', ?, ?, '', '', '', ?, ?,"                               \
	" ?, ?, ?, ?, ?, 2, 2, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
/* Rows per INSERT: one statement step for many rows is much cheaper than one each. */
#define ROWS_PER_INSERT 16

#define ITEM_SQL                                                                                   \
	"INSERT INTO inspection_items (inspection_id, ord, name, measured, limit_text, unit,"      \
	" verdict, retest_measured, retest_verdict) VALUES (?, ?, ?, ?, ?, ?, 'fail', ?, ?)"

/* A measured value for item `it`: within its limits, or outside them when `fail`. */
static void measured(struct zl_rng *rng, const struct item *it, int fail, char out[48])
{
	double u = zl_rng_unit(rng);

	if (it->has_min && (fail || !it->has_max))
		snprintf(out, 48, "%.3g", fail ? it->min * (0.6 + 0.37 * u) : it->min * (1.02 + 0.3 * u));
	else if (it->has_max)
		snprintf(out, 48, "%.3g", fail ? it->max * (1.05 + 0.9 * u) : it->max * (0.3 + 0.65 * u));
	else
		zl_strlcpy(out, fail ? "不符合" : "符合", 48);
}

/* The failed items of h's report, at their places in it (ord), with the re-test's verdict. */
static int write_items(struct gen *g, const struct hist *h, int64_t id, struct zl_error *err)
{
	const struct product *p = &g->products[h->product];
	int rc = ZL_OK;

	for (int i = 0; i < p->nitems && rc == ZL_OK; i++) {
		const struct item *it = &p->items[i];
		char m[48], rm[48] = "";
		const char *rv = "";
		struct zl_stmt *st;

		if (!((h->failed >> i) & 1))
			continue;
		measured(&g->rng, it, 1, m);
		if (h->path == PATH_UPHELD || h->path == PATH_OVERTURNED) {
			measured(&g->rng, it, h->path == PATH_UPHELD, rm);
			rv = h->path == PATH_UPHELD ? "fail" : "pass";
		}
		if ((rc = zl_db_prepare(g->db, ITEM_SQL, &st, err)) != ZL_OK)
			break;
		zl_stmt_bind_int64(st, 1, id);
		zl_stmt_bind_int64(st, 2, i);
		zl_stmt_bind_text_ref(st, 3, it->name, -1);
		zl_stmt_bind_text_ref(st, 4, m, -1);
		zl_stmt_bind_text_ref(st, 5, it->limit, -1);
		zl_stmt_bind_text_ref(st, 6, it->unit, -1);
		zl_stmt_bind_text_ref(st, 7, rm, -1);
		zl_stmt_bind_text_ref(st, 8, rv, -1);
		rc = zl_store_run(st, err);
	}
	return rc;
}

/* One row's text values, alive until its INSERT is stepped. */
struct row {
	struct zl_inspection r;
	char bits[3][16 * ZL_INSP_ITEM_WORDS + 1], plan_due[16], created[32], updated[32];
	char batch[48], prod_date[16], mark[48], seal[48], samplers[32], report_no[64];
	char retest_no[64], order_no[96], unit[192], retailer[192], gov[16];
	const char *platform;
};

/* Make row w's values for record h (consumes the random stream in a fixed order). */
static void fill_row(struct gen *g, const struct hist *h, int serial, struct row *w)
{
	const struct ent *e = &g->ents[h->ent];
	const struct product *p = &g->products[h->product];
	const struct authority *au = &g->auths[h->auth];
	int32_t made = h->sampled - (int32_t)pick(&g->rng, 3, 150);
	char sn[16];

	zl_date_format(day_of(h->year, 12, 20), w->plan_due);
	build_record(h, p->nitems, w->plan_due, &w->r);
	bits_text(w->r.failed, w->bits[0]);
	bits_text(w->r.contested, w->bits[1]);
	bits_text(w->r.retest_failed, w->bits[2]);
	zl_date_format(h->sampled - (int32_t)pick(&g->rng, 3, 20), w->created);
	zl_strlcpy(w->created + 10, "T02:00:00Z", sizeof(w->created) - 10);
	zl_date_format(h->closed > h->returned ? h->closed : h->returned, w->updated);
	zl_strlcpy(w->updated + 10, "T08:00:00Z", sizeof(w->updated) - 10);
	zl_date_format(made, w->prod_date);
	snprintf(w->batch, sizeof(w->batch), "%.4s%.2s%.2s%c", w->prod_date, w->prod_date + 5,
		 w->prod_date + 8, (char)('A' + pick(&g->rng, 0, 3)));
	zl_strlcpy(w->mark, marks[zl_rng_below(&g->rng, N(marks))], sizeof(w->mark));
	snprintf(w->seal, sizeof(w->seal), "豫质抽封-%d-%06d", h->year, serial);
	snprintf(w->samplers, sizeof(w->samplers), "%s%s\n%s%s",
		 surnames[zl_rng_below(&g->rng, 16)], given[zl_rng_below(&g->rng, 16)],
		 surnames[zl_rng_below(&g->rng, 16)], given[zl_rng_below(&g->rng, 16)]);
	snprintf(w->report_no, sizeof(w->report_no), "豫质检(%d)第%06d号", h->year, serial);
	w->retest_no[0] = w->order_no[0] = w->unit[0] = w->retailer[0] = '\0';
	w->platform = "";
	if (h->objected)
		snprintf(w->retest_no, sizeof(w->retest_no), "豫质检(%d)复%06d号", h->year, serial);
	short_name(au, sn);
	if (h->order)
		snprintf(w->order_no, sizeof(w->order_no), "%s质监责改〔%d〕%d号", sn, h->year,
			 serial);
	if (h->place == 1) {
		snprintf(w->unit, sizeof(w->unit), "%.6s%s%s", e->name,
			 marks[zl_rng_below(&g->rng, N(marks))], shops[zl_rng_below(&g->rng, N(shops))]);
		zl_strlcpy(w->retailer, w->unit, sizeof(w->retailer));
	} else if (h->place == 2) {
		w->platform = platforms[zl_rng_below(&g->rng, N(platforms))];
		snprintf(w->unit, sizeof(w->unit), "%s%s专营店", w->mark, p->name);
	}
	zl_strlcpy(w->gov, au->level == 0 ? "410000" : au->org, sizeof(w->gov));
}

/* Bind row w of record h from parameter `at`; returns the next parameter. */
static int bind_row(struct zl_stmt *st, int at, const struct gen *g, const struct hist *h,
		    const struct row *w)
{
	const struct ent *e = &g->ents[h->ent];
	const struct product *p = &g->products[h->product];
	const struct authority *au = &g->auths[h->auth];
	const char *const text[] = {
		p->code, e->uscc, e->name, e->county, quota_region(g, h), LAB, w->gov,
		w->created, w->updated, zl_insp_state_name(w->r.state),
		zl_insp_outcome_name(w->r.outcome), zl_insp_verdict_name(w->r.conclusion)};
	const char *const dates[] = {
		w->r.plan_due, w->r.last_on, w->r.sampled_on, w->r.report_on, w->r.notified_on,
		w->r.received_on, w->r.objected_on, w->r.final_on, w->r.order_on,
		w->r.order_received_on, w->r.follow_up_applied_on, w->r.follow_up_on,
		w->r.samples_returned_on, w->r.closed_on, places[h->place], w->batch, w->prod_date,
		p->rate->spec, w->mark, w->seal, w->samplers, w->report_no, w->retest_no,
		w->order_no};
	const char *const tail[] = {levels[au->level], sizes[e->size], w->unit, w->retailer,
				    w->platform, p->name};

	zl_stmt_bind_int64(st, at++, g->plan_ids[plan_key(h)]);
	for (size_t i = 0; i < N(text); i++)
		zl_stmt_bind_text_ref(st, at++, text[i], -1);
	zl_stmt_bind_int64(st, at++, w->r.nitems);
	for (int i = 0; i < 3; i++)
		zl_stmt_bind_text_ref(st, at++, w->bits[i], -1);
	for (size_t i = 0; i < N(dates); i++)
		zl_stmt_bind_text_ref(st, at++, dates[i], -1);
	zl_stmt_bind_int64(st, at++, g->ann_ids[(size_t)plan_key(h) * 4 + (size_t)h->quarter]);
	for (size_t i = 0; i < N(tail); i++)
		zl_stmt_bind_text_ref(st, at++, tail[i], -1);
	return at;
}

/* The INSERT of `rows` rows (1..ROWS_PER_INSERT), made once; `returning` adds RETURNING id. */
static const char *insert_sql(char *cache[ROWS_PER_INSERT + 1], int rows, int returning)
{
	size_t head = strlen(INSERT_HEAD), row = strlen(INSERT_ROW);
	char *sql, *p;

	if (cache[returning ? 0 : rows] != NULL)
		return cache[returning ? 0 : rows];
	sql = malloc(head + (size_t)rows * (row + 1) + sizeof(" RETURNING id"));
	if (sql == NULL)
		return NULL;
	memcpy(sql, INSERT_HEAD, head);
	p = sql + head;
	for (int i = 0; i < rows; i++) {
		if (i > 0)
			*p++ = ',';
		memcpy(p, INSERT_ROW, row);
		p += row;
	}
	memcpy(p, " RETURNING id", returning ? sizeof(" RETURNING id") : 1);
	if (!returning)
		*p = '\0';
	return cache[returning ? 0 : rows] = sql;
}

/* Insert the k pending rows v[0..k) in one statement. */
static int flush(struct gen *g, char *cache[ROWS_PER_INSERT + 1], const struct hist *v,
		 const struct row *rows, size_t k, struct zl_error *err)
{
	const char *sql = insert_sql(cache, (int)k, 0);
	struct zl_stmt *st;
	int at = 1, rc;

	if (k == 0)
		return ZL_OK;
	if (sql == NULL)
		return oom(err);
	if ((rc = zl_db_prepare(g->db, sql, &st, err)) != ZL_OK)
		return rc;
	for (size_t j = 0; j < k; j++)
		at = bind_row(st, at, g, &v[j], &rows[j]);
	return zl_store_run(st, err);
}

/*
 * Write every record in order, passed ones up to ROWS_PER_INSERT to a
 * statement (one step for many rows is cheaper than one each), a failed one
 * alone with RETURNING id, then its items; [*first, *last] receives the ids
 * the records got (the command owns the database: nobody else inserts
 * meanwhile).
 */
static int write_all(struct gen *g, int64_t *first, int64_t *last, struct zl_error *err)
{
	static const char max_sql[] = "SELECT COALESCE(MAX(id), 0) FROM inspections WHERE id > ?";
	struct row *rows = calloc(ROWS_PER_INSERT, sizeof(*rows));
	char *cache[ROWS_PER_INSERT + 1] = {NULL};
	size_t start = 0, k = 0;
	int serial = 0, year = 0, rc;

	if (rows == NULL) {
		rc = oom(err);
		goto out;
	}
	if ((rc = zl_store_int_by_id(g->db, max_sql, 0, first, err)) != ZL_OK)
		goto out;
	for (size_t i = 0; i < g->n && rc == ZL_OK; i++) {
		const struct hist *h = &g->v[i];
		const char *sql;
		struct zl_stmt *st;
		int64_t id = 0;

		if (h->year != year) {
			year = h->year;
			serial = 0;
		}
		if (!h->failed) {
			if (k == 0)
				start = i;
			fill_row(g, h, ++serial, &rows[k++]);
			if (k == ROWS_PER_INSERT) {
				rc = flush(g, cache, &g->v[start], rows, k, err);
				k = 0;
			}
			continue;
		}
		/* Keep the ids in order: the pending ones first. */
		if ((rc = flush(g, cache, &g->v[start], rows, k, err)) != ZL_OK)
			break;
		k = 0;
		fill_row(g, h, ++serial, &rows[0]);
		if ((sql = insert_sql(cache, 1, 1)) == NULL) {
			rc = oom(err);
			break;
		}
		if ((rc = zl_db_prepare(g->db, sql, &st, err)) != ZL_OK)
			break;
		bind_row(st, 1, g, h, &rows[0]);
		if ((rc = zl_plan_run_id(st, &id, err)) == ZL_OK)
			rc = write_items(g, h, id, err);
	}
	if (rc == ZL_OK)
		rc = flush(g, cache, &g->v[start], rows, k, err);
	if (rc == ZL_OK)
		rc = zl_store_int_by_id(g->db, max_sql, *first, last, err);
	(*first)++;
out:
	for (int i = 0; i <= ROWS_PER_INSERT; i++)
		free(cache[i]);
	free(rows);
	return rc;
}

static void gen_release(struct gen *g)
{
	for (size_t i = 0; i < g->nproducts; i++) {
		free(g->products[i].items);
		free(g->products[i].ents);
	}
	free(g->products);
	free(g->ents);
	free(g->auths);
	free(g->v);
	free(g->plan_ids);
	free(g->ann_ids);
	zl_rng_release(&g->rng);
}

int zl_store_demo_history(struct zl_db *db, int per_mille, struct zl_demo_history *out,
			  struct zl_error *err)
{
	struct gen g;
	int64_t exists = 0, first = 0, last = 0;
	size_t cap = 0;
	int rc, bulk = 0;

	if (out != NULL)
		memset(out, 0, sizeof(*out));
	rc = zl_store_int_by_key(db, "SELECT count(*) FROM spotcheck_plans WHERE title = ?",
				 MARK_TITLE, &exists, err);
	if (rc != ZL_OK || exists > 0)
		return rc;
	memset(&g, 0, sizeof(g));
	g.db = db;
	zl_rng_seed_str(&g.rng, "zhiliang demo history 2010-2014");
	for (int y = 0; y < NYEARS; y++)
		cap += (size_t)year_batches[y] * (size_t)per_mille / 1000 + 1;
	/* The command owns the database: write the new pages once, not via the WAL. */
	if ((rc = zl_db_bulk_begin(db, &bulk, err)) != ZL_OK ||
	    (rc = zl_db_begin(db, err)) != ZL_OK)
		goto done;
	g.v = calloc(cap, sizeof(*g.v));
	if (g.v == NULL) {
		rc = oom(err);
		goto out;
	}
	if ((rc = load_enterprises(&g, err)) || (rc = load_products(&g, err)))
		goto out;
	for (int y = FIRST_YEAR; y <= LAST_YEAR && rc == ZL_OK; y++)
		rc = gen_year(&g, y, (int)((int64_t)year_batches[y - FIRST_YEAR] * per_mille / 1000),
			      err);
	if (rc != ZL_OK)
		goto out;
	if (g.n == 0) /* an empty register: nothing to show */
		goto out;
	qsort(g.v, g.n, sizeof(*g.v), hist_cmp);
	if ((rc = auth_names(&g, err)) || (rc = make_plans(&g, err)) ||
	    (rc = make_announcements(&g, err)) || (rc = write_all(&g, &first, &last, err)))
		goto out;
	/* The rollups count the history, in the same transaction (store/scstats.h). */
	if ((rc = zl_store_sc_rollup_add_range(db, first, last, err)) != ZL_OK)
		goto out;
	if (out != NULL) {
		out->inspections = (int64_t)g.n;
		out->first_id = first;
		out->last_id = last;
		out->authorities = (int64_t)g.nauths;
		for (size_t i = 0; i < g.n; i++)
			out->failed += g.v[i].path != PATH_PASS && g.v[i].path != PATH_OVERTURNED;
	}
out:
	if (rc == ZL_OK)
		rc = zl_db_commit(db, err);
	else
		zl_db_rollback(db);
done:
	if (bulk)
		zl_db_bulk_end(db);
	gen_release(&g);
	return rc;
}
