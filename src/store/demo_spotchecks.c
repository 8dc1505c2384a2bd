/*
 * demo_spotchecks.c - the key-product catalogue and spot-check plans of
 * `init --demo` (store/demo.h): the seed catalogue (codes/catalogue.h), the
 * province's yearly plan for 2014 - made by the quality bureau, approved
 * and in progress - and 郑州's special plan for wires, cables and compound
 * fertilisers, submitted and awaiting provincial approval.  The plans'
 * quotas, budget and shares are invented (a plausible spread over the 18
 * cities, more cement in 巩义, a cement town); their structure is what the
 * API takes.  Written through the store's own functions in one
 * transaction; run again, it changes nothing.
 */
#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "store/catalogue.h"
#include "store/demo.h"
#include "store/query.h"
#include "store/spotcheck_plans.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define PROV_TITLE "2014年河南省产品质量监督抽查计划"
#define ZJ "410000-D006"  /* 河南省质量技术监督局 */
#define LAB "410000-L001" /* 河南省产品质量监督检验院 */

/* The 18 city-level governments of Henan. */
static const char *const cities[] = {"410100", "410200", "410300", "410400", "410500", "410600",
				     "410700", "410800", "410900", "411000", "411100", "411200",
				     "411300", "411400", "411500", "411600", "411700", "419001"};

/* The provincial plan's products (catalogue codes). */
static const char *const prov_products[] = {"0101", "0102", "0105", "0201", "0202",
					    "0301", "0401", "0402", "0501", "0502",
					    "0601", "0602", "0603", "0801", "0901"};

static const char *const plan_labs[] = {LAB};
static const struct zl_sc_place_in prov_places[] = {
	{"production", 60, 0}, {"circulation", 30, 0}, {"ecommerce", 10, 0}};

/* 郑州's districts and counties of its special plan. */
static const struct zl_sc_quota_in zz_cables[] = {{"410102", 3}, {"410103", 3}, {"410104", 2},
						  {"410105", 4}, {"410122", 2}, {"410182", 2}};
static const struct zl_sc_quota_in zz_fertiliser[] = {
	{"410122", 4}, {"410182", 3}, {"410183", 2}, {"410184", 3}, {"410185", 2}};
static const struct zl_sc_product_in zz_products[] = {
	{"0801", LAB, zz_cables, N(zz_cables)},
	{"0301", LAB, zz_fertiliser, N(zz_fertiliser)},
};
static const struct zl_sc_place_in zz_places[] = {{"production", 70, 0}, {"circulation", 30, 0}};

/* The provincial plan: every city gets 2 to 5 batches of each product; 巩义 more cement. */
static int prov_plan(struct zl_arena *a, struct zl_sc_plan_in *in)
{
	struct zl_sc_product_in *p = zl_arena_calloc(a, N(prov_products), sizeof(*p));

	if (p == NULL)
		return ZL_ENOMEM;
	for (size_t i = 0; i < N(prov_products); i++) {
		int cement = strncmp(prov_products[i], "04", 2) == 0;
		size_t n = N(cities) + (size_t)cement;
		struct zl_sc_quota_in *q = zl_arena_calloc(a, n, sizeof(*q));

		if (q == NULL)
			return ZL_ENOMEM;
		for (size_t k = 0; k < N(cities); k++)
			q[k] = (struct zl_sc_quota_in){cities[k], (int64_t)(2 + (i + 3 * k) % 4)};
		if (cement)
			q[N(cities)] = (struct zl_sc_quota_in){"410181", 6}; /* 巩义, 省直管 */
		p[i] = (struct zl_sc_product_in){prov_products[i], LAB, q, n};
	}
	memset(in, 0, sizeof(*in));
	in->title = PROV_TITLE;
	in->year = 2014;
	in->kind = "yearly";
	in->org = ZJ;
	in->budget_fen = 420000000; /* 420万元 */
	in->start = "2014-03-01";
	in->end = "2014-11-30";
	in->note = "演示数据：批次与预算为虚构";
	in->labs = plan_labs;
	in->nlabs = N(plan_labs);
	in->places = prov_places;
	in->nplaces = N(prov_places);
	in->products = p;
	in->nproducts = N(prov_products);
	return ZL_OK;
}

int zl_store_demo_spotchecks(struct zl_db *db, const char *today, struct zl_error *err)
{
	struct zl_plan_actor planner = {"demo.zj.planner", ZJ, "", today, NULL};
	struct zl_plan_actor approver = {"demo.zj.approver", ZJ, "", today, NULL};
	struct zl_plan_actor zz = {"demo.zz.planner", "410100", "", today, NULL};
	struct zl_sc_plan_in in;
	struct zl_arena a;
	int64_t exists = 0, id = 0;
	int rc;

	rc = zl_store_int_by_key(db, "SELECT count(*) FROM spotcheck_plans WHERE title = ?",
				 PROV_TITLE, &exists, err);
	if (rc != ZL_OK || exists > 0)
		return rc;
	zl_arena_init(&a, (size_t)4 << 20);
	if ((rc = zl_db_begin(db, err)))
		goto done;
	rc = zl_store_cat_seed(db, &planner, NULL, err);
	if (rc == ZL_OK && prov_plan(&a, &in) != ZL_OK)
		rc = zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
	if (rc == ZL_OK)
		rc = zl_store_sc_plan_create(db, &in, &planner, &id, err);
	if (rc == ZL_OK)
		rc = zl_store_sc_plan_act(db, id, ZL_SC_SUBMIT, NULL, &planner, err);
	if (rc == ZL_OK)
		rc = zl_store_sc_plan_act(db, id, ZL_SC_APPROVE, "同意", &approver, err);
	if (rc == ZL_OK)
		rc = zl_store_sc_plan_act(db, id, ZL_SC_START, NULL, &planner, err);
	if (rc == ZL_OK) {
		memset(&in, 0, sizeof(in));
		in.title = "2014年郑州市电线电缆和复混肥料专项监督抽查计划";
		in.year = 2014;
		in.kind = "special";
		in.org = "410100";
		in.budget_fen = 36000000; /* 36万元 */
		in.start = "2014-05-01";
		in.end = "2014-09-30";
		in.note = "演示数据：批次与预算为虚构";
		in.labs = plan_labs;
		in.nlabs = N(plan_labs);
		in.places = zz_places;
		in.nplaces = N(zz_places);
		in.products = zz_products;
		in.nproducts = N(zz_products);
		rc = zl_store_sc_plan_create(db, &in, &zz, &id, err);
	}
	if (rc == ZL_OK)
		rc = zl_store_sc_plan_act(db, id, ZL_SC_SUBMIT, NULL, &zz, err);
	if (rc == ZL_OK)
		rc = zl_db_commit(db, err);
	else
		zl_db_rollback(db);
done:
	zl_arena_release(&a);
	return rc;
}
