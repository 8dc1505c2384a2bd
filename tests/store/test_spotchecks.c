/*
 * test_spotchecks.c - the store suite for the key-product catalogue
 * (store/catalogue.h) and spot-check plans (store/spotcheck_plans.h): the
 * seed loaded once and read back, categories created, changed, moved,
 * retired and reinstated with their versions and the tree's rules, plans
 * of the province and of a city checked against the organization tree
 * (regions in the plan's territory, labs, active products), their life
 * from draft to finished with its events, and lists with the visibility
 * rule.  Runs against ZHILIANG_TEST_DB (SQLite by default, PostgreSQL
 * when pointed at one); every test starts from an empty database with the
 * organization tree.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "codes/catalogue.h"
#include "db/db.h"
#include "store/catalogue.h"
#include "store/migrate.h"
#include "store/orgs.h"
#include "store/spotcheck_plans.h"

#include "harness.h"

#define ZJ "410000-D006" /* 省质监局 */
#define LAB "410000-L001"

static void must(int rc, const struct zl_error *err)
{
	if (rc != ZL_OK)
		fail_msg("failed (%d): %s: %s", rc, err->field, err->message);
}

static struct zl_plan_actor actor(const char *user, const char *org)
{
	struct zl_plan_actor a = {user, org, "", "2014-03-01", "2014-03-01T02:00:00Z"};

	return a;
}

/* An empty, migrated database with the tree and the seed catalogue. */
static int setup_db(void **state)
{
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_plan_actor who = actor("seed", "");
	struct zl_db *db = harness_open_empty(1);
	int loaded = 0;

	if (!db)
		return -1;
	if (zl_store_load_orgs(db, &err) != ZL_OK ||
	    zl_store_cat_seed(db, &who, &loaded, &err) != ZL_OK) {
		fprintf(stderr, "cannot set up: %s: %s\n", err.field, err.message);
		zl_db_close(db);
		return -1;
	}
	*state = db;
	return 0;
}

/* ---- the catalogue ----------------------------------------------------------------------- */

static void test_seed(void **state)
{
	struct zl_db *db = *state;
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_plan_actor who = actor("seed", "");
	struct zl_cat_set s;
	const struct zl_cat *c;
	int loaded = -1;

	/* Loaded by the setup; a second seed changes nothing. */
	assert_int_equal(harness_query_int(db, "SELECT count(*) FROM catalogue_categories"),
			 (int64_t)zl_cat_seed_count());
	assert_int_equal(harness_query_int(db, "SELECT count(*) FROM catalogue_items"),
			 (int64_t)zl_cat_seed_item_count());
	assert_int_equal(harness_query_int(db, "SELECT count(*) FROM catalogue_standards"),
			 (int64_t)zl_cat_seed_std_count());
	assert_int_equal(
		harness_query_int(db, "SELECT count(*) FROM catalogue_versions WHERE version = 1"
				      " AND action = 'seed'"),
		(int64_t)zl_cat_seed_count());
	must(zl_store_cat_seed(db, &who, &loaded, &err), &err);
	assert_int_equal(loaded, 0);
	/* Read back: the tree, a family's facts, a product's limits, NULL kept NULL. */
	zl_cat_set_init(&s);
	must(zl_store_cat_load(db, NULL, &s, &err), &err);
	assert_int_equal(s.n, zl_cat_seed_count());
	for (size_t i = 1; i < s.n; i++)
		assert_true(strcmp(s.v[i - 1].code, s.v[i].code) < 0);
	c = zl_cat_set_find(&s, "04");
	assert_non_null(c);
	assert_int_equal(c->depth, 1);
	assert_int_equal(c->children, 2);
	assert_int_equal(c->risk, 1);
	assert_string_equal(c->standards[0].number, "GB 175");
	assert_int_equal(c->standards[0].year, 2007);
	assert_string_equal(c->industries[0], "C3011");
	c = zl_cat_set_find(&s, "0401");
	assert_non_null(c);
	assert_int_equal(c->depth, 2);
	assert_string_equal(c->parent, "04");
	assert_true(c->key_supervised && c->key_from == 2014 && c->key_to == 0);
	assert_int_equal(c->nitems, 12);
	assert_string_equal(c->items[1].name, "28d抗压强度");
	assert_true(c->items[1].has_min && !c->items[1].has_max);
	assert_true(c->items[1].min == 42.5);
	assert_string_equal(c->items[1].severity, "serious");
	assert_string_equal(c->items[6].text, "沸煮法合格");
	assert_false(c->items[6].has_min || c->items[6].has_max);
	assert_null(zl_cat_set_find(&s, "99"));
	zl_cat_set_release(&s);
}

static const struct zl_cat_item_in sulphur[] = {
	{"硫含量", "mg/kg", 0, 1, 0, 10, NULL, "SH/T 0689", "serious"}};
static const struct zl_cat_std_in gb17930[] = {{"GB 17930", 2013, "车用汽油"}};

static struct zl_cat_in new_cat(void)
{
	struct zl_cat_in in = {0};

	in.code = "0604";
	in.parent = "06";
	in.name = "车用汽油（国Ⅴ）";
	in.risk = 1;
	in.key_supervised = 1;
	in.key_from = 2017;
	in.standards = gb17930;
	in.nstandards = 1;
	in.items = sulphur;
	in.nitems = 1;
	return in;
}

static void expect(int rc, int want, const struct zl_error *err, const char *field)
{
	if (rc != want)
		fail_msg("got %d, want %d: %s: %s", rc, want, err->field, err->message);
	if (field)
		assert_string_equal(err->field, field);
}

static void test_catalogue_writes(void **state)
{
	struct zl_db *db = *state;
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_plan_actor who = actor("zj.officer", ZJ);
	struct zl_cat_in in = new_cat();
	struct zl_cat_set s;

	must(zl_store_cat_create(db, &in, &who, &err), &err);
	expect(zl_store_cat_create(db, &in, &who, &err), ZL_ECONFLICT, &err, "code");
	in.code = "0605";
	in.parent = "77";
	expect(zl_store_cat_create(db, &in, &who, &err), ZL_EUNPROC, &err, "parent");
	/* Change it: stale versions refused, the version goes up, the lists replaced. */
	in = new_cat();
	in.name = "车用汽油（第五阶段）";
	in.nitems = 0;
	expect(zl_store_cat_update(db, &in, NULL, 7, &who, &err), ZL_ECONFLICT, &err, "version");
	must(zl_store_cat_update(db, &in, NULL, 1, &who, &err), &err);
	zl_cat_set_init(&s);
	must(zl_store_cat_load(db, "0604", &s, &err), &err);
	assert_int_equal(s.v[0].version, 2);
	assert_string_equal(s.v[0].name, "车用汽油（第五阶段）");
	assert_int_equal(s.v[0].nitems, 0);
	assert_int_equal(s.v[0].nstandards, 1);
	assert_string_equal(s.v[0].updated_by, "zj.officer");
	zl_cat_set_release(&s);
	/* The tree: no cycle, no category under a retired one, at most four levels. */
	in = new_cat();
	in.code = "06";
	in.parent = "0604";
	in.name = "车用燃料";
	expect(zl_store_cat_update(db, &in, NULL, 0, &who, &err), ZL_EUNPROC, &err, "parent");
	in = new_cat();
	in.code = "060401";
	in.parent = "0604";
	must(zl_store_cat_create(db, &in, &who, &err), &err);
	in.code = "06040101";
	in.parent = "060401";
	must(zl_store_cat_create(db, &in, &who, &err), &err);
	in.code = "0604010101";
	in.parent = "06040101";
	expect(zl_store_cat_create(db, &in, &who, &err), ZL_EUNPROC, &err, "parent");
	/* Moving 0604 (with two levels below it) under a product makes five levels. */
	in = new_cat();
	in.parent = "0601";
	expect(zl_store_cat_update(db, &in, NULL, 0, &who, &err), ZL_EUNPROC, &err, "parent");
	/* Retire: not with active children; the leaf first, then up; not twice. */
	expect(zl_store_cat_retire(db, "060401", &who, &err), ZL_ECONFLICT, &err, "status");
	must(zl_store_cat_retire(db, "06040101", &who, &err), &err);
	expect(zl_store_cat_retire(db, "06040101", &who, &err), ZL_ECONFLICT, &err, "status");
	must(zl_store_cat_retire(db, "060401", &who, &err), &err);
	in = new_cat();
	in.code = "06040199";
	in.parent = "060401";
	expect(zl_store_cat_create(db, &in, &who, &err), ZL_EUNPROC, &err, "parent");
	zl_cat_set_init(&s);
	must(zl_store_cat_load(db, "060401", &s, &err), &err);
	assert_string_equal(s.v[0].status, "retired");
	assert_string_equal(s.v[0].retired_on, "2014-03-01");
	zl_cat_set_release(&s);
	/* Reinstating needs an active parent: 06040101 under retired 060401 cannot. */
	in = new_cat();
	in.code = "06040101";
	in.parent = "060401";
	expect(zl_store_cat_update(db, &in, "active", 0, &who, &err), ZL_EUNPROC, &err, "parent");
	in.code = "060401";
	in.parent = "0604";
	must(zl_store_cat_update(db, &in, "active", 0, &who, &err), &err);
	expect(zl_store_cat_load(db, "0999", &s, &err), ZL_ENOTFOUND, &err, "code");
	zl_cat_set_release(&s);
}

struct versions {
	int n;
	int first;
	char actions[8][16];
};

static int keep_version(void *cls, const struct zl_cat_version *v)
{
	struct versions *x = cls;

	if (x->n == 0)
		x->first = v->version;
	if (x->n < 8)
		zl_strlcpy(x->actions[x->n], v->action, sizeof(x->actions[0]));
	x->n++;
	assert_non_null(strstr(v->snapshot, "\"code\":\"0604\""));
	return ZL_OK;
}

static void test_catalogue_versions(void **state)
{
	struct zl_db *db = *state;
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_plan_actor who = actor("zj.officer", ZJ);
	struct zl_cat_in in = new_cat();
	struct versions v = {0};

	must(zl_store_cat_create(db, &in, &who, &err), &err);
	in.name = "改名";
	must(zl_store_cat_update(db, &in, NULL, 0, &who, &err), &err);
	must(zl_store_cat_retire(db, "0604", &who, &err), &err);
	must(zl_store_cat_update(db, &in, "active", 3, &who, &err), &err);
	must(zl_store_cat_versions(db, "0604", keep_version, &v, &err), &err);
	assert_int_equal(v.n, 4);
	assert_int_equal(v.first, 4);
	assert_string_equal(v.actions[0], "reinstate");
	assert_string_equal(v.actions[1], "retire");
	assert_string_equal(v.actions[2], "update");
	assert_string_equal(v.actions[3], "create");
	expect(zl_store_cat_versions(db, "0999", keep_version, &v, &err), ZL_ENOTFOUND, &err,
	       "code");
}

/* ---- plans --------------------------------------------------------------------------------- */

static const char *const plan_labs[] = {LAB};
static struct zl_sc_quota_in q_cement[] = {{"410100", 10}, {"410300", 8}, {"410225", 2}};
static struct zl_sc_quota_in q_cable[] = {{"410100", 5}};
static struct zl_sc_product_in prov_products[] = {
	{"0401", LAB, q_cement, 3},
	{"0801", NULL, q_cable, 1},
};
static const struct zl_sc_place_in places[] = {
	{"production", 60, 0}, {"circulation", 30, 0}, {"ecommerce", 10, 0}};

static struct zl_sc_plan_in prov_plan(void)
{
	struct zl_sc_plan_in in = {0};

	in.title = "2014年河南省产品质量监督抽查计划";
	in.year = 2014;
	in.kind = "yearly";
	in.org = ZJ;
	in.budget_fen = 380000000;
	in.start = "2014-03-01";
	in.end = "2014-11-30";
	in.labs = plan_labs;
	in.nlabs = 1;
	in.places = places;
	in.nplaces = 3;
	in.products = prov_products;
	in.nproducts = 2;
	return in;
}

static struct zl_sc_quota_in q_zz[] = {{"410102", 3}, {"410100", 2}};
static struct zl_sc_product_in zz_products[] = {{"0301", NULL, q_zz, 2}};

static struct zl_sc_plan_in zz_plan(void)
{
	struct zl_sc_plan_in in = prov_plan();

	in.title = "2014年郑州市复混肥料专项抽查";
	in.kind = "special";
	in.org = "410100";
	in.products = zz_products;
	in.nproducts = 1;
	return in;
}

static void test_plan_create_get(void **state)
{
	struct zl_db *db = *state;
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_plan_actor who = actor("zj.officer", ZJ);
	struct zl_sc_plan_in in = prov_plan();
	struct zl_sc_plan_set s;
	const struct zl_sc_plan *p;
	struct zl_sc_freq def;
	int64_t id = 0;

	must(zl_store_sc_plan_create(db, &in, &who, &id, &err), &err);
	assert_true(id > 0);
	zl_sc_plan_set_init(&s);
	must(zl_store_sc_plan_get(db, id, &s, &err), &err);
	p = &s.v[0];
	assert_string_equal(p->org, ZJ);
	assert_string_equal(p->org_name, "河南省质量技术监督局");
	assert_string_equal(p->gov, "410000");
	assert_string_equal(p->gov_path, "/410000/");
	assert_string_equal(p->level, "province");
	assert_int_equal(p->status, ZL_SC_DRAFT);
	assert_int_equal(p->version, 1);
	assert_int_equal(p->budget_fen, 380000000);
	assert_int_equal(p->batches, 25);
	assert_int_equal(p->nlabs, 1);
	assert_string_equal(p->labs[0].org, LAB);
	assert_string_equal(p->lab_paths[0], "/410000/410000-D006/410000-L001/");
	assert_int_equal(p->nplaces, 3);
	assert_string_equal(p->places[2].type, "ecommerce");
	assert_int_equal(p->places[2].share, 10);
	assert_int_equal(p->nproducts, 2);
	assert_string_equal(p->products[0].code, "0401");
	assert_string_equal(p->products[0].lab, LAB);
	assert_int_equal(p->products[0].risk, 1);
	assert_int_equal(p->products[0].nquotas, 3);
	assert_int_equal(p->products[0].batches, 20);
	assert_string_equal(p->products[0].quotas[2].region, "410225");
	assert_string_equal(p->products[0].quotas[2].region_name, "兰考县人民政府");
	assert_string_equal(p->products[1].lab, "");
	/* No matrix given: the default one, stored as twelve rows. */
	zl_sc_freq_default(&def);
	assert_memory_equal(&p->freq, &def, sizeof(def));
	assert_int_equal(harness_query_int(db, "SELECT count(*) FROM spotcheck_plan_frequency"),
			 12);
	assert_int_equal(p->nevents, 1);
	assert_string_equal(p->events[0].action, "create");
	assert_string_equal(p->events[0].to, "draft");
	zl_sc_plan_set_release(&s);
	zl_sc_plan_set_init(&s);
	expect(zl_store_sc_plan_get(db, id + 100, &s, &err), ZL_ENOTFOUND, &err, "id");
	zl_sc_plan_set_release(&s);
}

static void test_plan_refusals(void **state)
{
	struct zl_db *db = *state;
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_plan_actor who = actor("zz.officer", "410100");
	struct zl_sc_plan_in in = zz_plan();
	struct zl_sc_quota_in q[2] = {{"410102", 3}, {"410100", 2}};
	struct zl_sc_product_in p[1] = {{"0301", NULL, q, 2}};
	const char *not_lab[] = {ZJ};
	int64_t id = 0;

	in.products = p;
	/* A city plan cannot set quotas for another city, or its own district's neighbour. */
	q[1].region = "410300";
	expect(zl_store_sc_plan_create(db, &in, &who, &id, &err), ZL_EUNPROC, &err,
	       "products[0].quotas.410300");
	q[1].region = "999999";
	expect(zl_store_sc_plan_create(db, &in, &who, &id, &err), ZL_EUNPROC, &err,
	       "products[0].quotas.999999");
	/* 开封's plan cannot reach 兰考, which the province administers directly. */
	in.org = "410200";
	q[1].region = "410225";
	q[0].region = "410202";
	expect(zl_store_sc_plan_create(db, &in, &who, &id, &err), ZL_EUNPROC, &err,
	       "products[0].quotas.410225");
	in = zz_plan();
	in.products = p;
	q[0].region = "410102";
	q[1].region = "410100";
	p[0].code = "0999";
	expect(zl_store_sc_plan_create(db, &in, &who, &id, &err), ZL_EUNPROC, &err,
	       "products[0].code");
	p[0].code = "0301";
	in.labs = not_lab;
	expect(zl_store_sc_plan_create(db, &in, &who, &id, &err), ZL_EUNPROC, &err, "labs[0]");
	in = zz_plan();
	in.products = p;
	in.org = "410100-X001";
	expect(zl_store_sc_plan_create(db, &in, &who, &id, &err), ZL_EUNPROC, &err, "org");
	in.org = "410100";
	in.end = "2013-01-01";
	expect(zl_store_sc_plan_create(db, &in, &who, &id, &err), ZL_EUNPROC, &err, "end");
	/* A retired product is refused. */
	{
		struct zl_plan_actor zj = actor("zj.officer", ZJ);
		struct zl_cat_in c = new_cat();

		must(zl_store_cat_create(db, &c, &zj, &err), &err);
		must(zl_store_cat_retire(db, "0604", &zj, &err), &err);
		in = zz_plan();
		in.products = p;
		p[0].code = "0604";
		expect(zl_store_sc_plan_create(db, &in, &who, &id, &err), ZL_EUNPROC, &err,
		       "products[0].code");
	}
	assert_int_equal(harness_query_int(db, "SELECT count(*) FROM spotcheck_plans"), 0);
	/* A district plan: level county, its government the district. */
	in = zz_plan();
	in.org = "410102";
	q[0].region = "410102";
	in.products = p;
	p[0].code = "0301";
	in.nproducts = 1;
	p[0].nquotas = 1;
	must(zl_store_sc_plan_create(db, &in, &who, &id, &err), &err);
	assert_int_equal(
		harness_query_int(db, "SELECT count(*) FROM spotcheck_plans WHERE level = 'county'"
				      " AND gov = '410102'"),
		1);
}

static void test_plan_life(void **state)
{
	struct zl_db *db = *state;
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_plan_actor zz = actor("zz.officer", "410100");
	struct zl_plan_actor zj = actor("zj.officer", ZJ);
	struct zl_sc_plan_in in = zz_plan();
	struct zl_sc_plan_set s;
	const struct zl_sc_plan *p;
	int64_t id = 0;

	must(zl_store_sc_plan_create(db, &in, &zz, &id, &err), &err);
	/* Change the draft: the version moves on, a stale one is refused. */
	in.budget_fen = 1000000;
	in.has_freq = 1;
	zl_sc_freq_default(&in.freq);
	in.freq.w[ZL_SC_C][0] = 9000000;
	must(zl_store_sc_plan_update(db, id, &in, 1, &zz, &err), &err);
	expect(zl_store_sc_plan_update(db, id, &in, 1, &zz, &err), ZL_ECONFLICT, &err, "version");
	expect(zl_store_sc_plan_act(db, id, ZL_SC_APPROVE, NULL, &zj, &err), ZL_ECONFLICT, &err,
	       "status");
	must(zl_store_sc_plan_act(db, id, ZL_SC_SUBMIT, NULL, &zz, &err), &err);
	expect(zl_store_sc_plan_update(db, id, &in, 0, &zz, &err), ZL_ECONFLICT, &err, "status");
	/* Returned with a reason (required), changed, submitted again, approved. */
	expect(zl_store_sc_plan_act(db, id, ZL_SC_RETURN, "", &zj, &err), ZL_EUNPROC, &err,
	       "reason");
	must(zl_store_sc_plan_act(db, id, ZL_SC_RETURN, "抽样数量偏少", &zj, &err), &err);
	in.title = "2014年郑州市复混肥料专项抽查（修订）";
	must(zl_store_sc_plan_update(db, id, &in, 0, &zz, &err), &err);
	must(zl_store_sc_plan_act(db, id, ZL_SC_SUBMIT, NULL, &zz, &err), &err);
	must(zl_store_sc_plan_act(db, id, ZL_SC_APPROVE, "同意", &zj, &err), &err);
	expect(zl_store_sc_plan_act(db, id, ZL_SC_FINISH, NULL, &zz, &err), ZL_ECONFLICT, &err,
	       "status");
	must(zl_store_sc_plan_act(db, id, ZL_SC_START, NULL, &zz, &err), &err);
	must(zl_store_sc_plan_act(db, id, ZL_SC_FINISH, NULL, &zz, &err), &err);
	zl_sc_plan_set_init(&s);
	must(zl_store_sc_plan_get(db, id, &s, &err), &err);
	p = &s.v[0];
	assert_int_equal(p->status, ZL_SC_FINISHED);
	assert_string_equal(p->title, "2014年郑州市复混肥料专项抽查（修订）");
	assert_int_equal(p->budget_fen, 1000000);
	assert_int_equal(p->freq.w[ZL_SC_C][0], 9000000);
	assert_string_equal(p->submitted_by, "zz.officer");
	assert_string_equal(p->decided_by, "zj.officer");
	assert_string_equal(p->decision_note, "同意");
	assert_int_equal(p->nevents, 9);
	{
		static const char *const want[] = {"create",  "update", "submit",
						   "return",  "update", "submit",
						   "approve", "start",	"finish"};

		for (size_t i = 0; i < 9; i++)
			assert_string_equal(p->events[i].action, want[i]);
	}
	assert_string_equal(p->events[3].note, "抽样数量偏少");
	assert_string_equal(p->events[3].from, "submitted");
	assert_string_equal(p->events[3].to, "draft");
	assert_string_equal(p->events[6].actor, "zj.officer");
	assert_string_equal(p->events[6].org, ZJ);
	zl_sc_plan_set_release(&s);
}

static void test_plan_submit_retired(void **state)
{
	struct zl_db *db = *state;
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_plan_actor zz = actor("zz.officer", "410100");
	struct zl_plan_actor zj = actor("zj.officer", ZJ);
	struct zl_sc_plan_in in = zz_plan();
	struct zl_cat_in c = new_cat();
	struct zl_sc_product_in p[1] = {{"0604", NULL, q_zz, 2}};
	int64_t id = 0;

	must(zl_store_cat_create(db, &c, &zj, &err), &err);
	in.products = p;
	must(zl_store_sc_plan_create(db, &in, &zz, &id, &err), &err);
	must(zl_store_cat_retire(db, "0604", &zj, &err), &err);
	expect(zl_store_sc_plan_act(db, id, ZL_SC_SUBMIT, NULL, &zz, &err), ZL_EUNPROC, &err,
	       "products");
}

static void test_plan_list(void **state)
{
	struct zl_db *db = *state;
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_plan_actor zz = actor("zz.officer", "410100");
	struct zl_plan_actor ly = actor("ly.officer", "410300");
	struct zl_plan_actor zj = actor("zj.officer", ZJ);
	struct zl_sc_plan_in in = prov_plan();
	struct zl_sc_quota_in q_ly[] = {{"410302", 4}};
	struct zl_sc_product_in ly_products[] = {{"0801", NULL, q_ly, 1}};
	struct zl_sc_plan_filter f = {0, NULL, NULL, -1, NULL, NULL, 0};
	const struct zl_sc_caller ly_reader = {"/410000/410300/", 0, 0, "ly.inspector"};
	const struct zl_sc_caller ly_planner = {"/410000/410300/", 1, 1, "ly.officer"};
	struct zl_sc_plan_set s;
	int64_t prov = 0, zzid = 0, lyid = 0;
	size_t seen;

	must(zl_store_sc_plan_create(db, &in, &zj, &prov, &err), &err);
	in = zz_plan();
	must(zl_store_sc_plan_create(db, &in, &zz, &zzid, &err), &err);
	in = zz_plan();
	in.title = "2014年洛阳市电线电缆专项抽查";
	in.org = "410300";
	in.products = ly_products;
	must(zl_store_sc_plan_create(db, &in, &ly, &lyid, &err), &err);
	must(zl_store_sc_plan_act(db, prov, ZL_SC_SUBMIT, NULL, &zj, &err), &err);
	must(zl_store_sc_plan_act(db, prov, ZL_SC_APPROVE, NULL, &zz, &err), &err);
	/* All of them, newest first, with summaries. */
	zl_sc_plan_set_init(&s);
	must(zl_store_sc_plan_list(db, &f, &s, &err), &err);
	assert_int_equal(s.n, 3);
	assert_int_equal(s.v[0].id, lyid);
	assert_int_equal(s.v[2].id, prov);
	assert_int_equal(s.v[2].nproducts_total, 2);
	assert_int_equal(s.v[2].batches, 25);
	assert_int_equal(s.v[2].nlabs, 1);
	assert_string_equal(s.v[2].lab_paths[0], "/410000/410000-D006/410000-L001/");
	assert_null(s.v[2].products);
	/* What 洛阳 sees: its own draft (a planner), the approved provincial plan; never 郑州's. */
	seen = 0;
	for (size_t i = 0; i < s.n; i++) {
		struct zl_sc_plan_facts fx;

		zl_sc_plan_facts(&s.v[i], &fx);
		if (zl_sc_visible(&ly_planner, &fx))
			seen |= (size_t)1 << i;
		assert_false(s.v[i].id == zzid && zl_sc_visible(&ly_planner, &fx));
		assert_int_equal(zl_sc_visible(&ly_reader, &fx), s.v[i].id == prov);
	}
	assert_int_equal(seen, 1u | 4u);
	zl_sc_plan_set_release(&s);
	/* Filters. */
	f.level = "city";
	zl_sc_plan_set_init(&s);
	must(zl_store_sc_plan_list(db, &f, &s, &err), &err);
	assert_int_equal(s.n, 2);
	zl_sc_plan_set_release(&s);
	f.level = NULL;
	f.status = ZL_SC_APPROVED;
	zl_sc_plan_set_init(&s);
	must(zl_store_sc_plan_list(db, &f, &s, &err), &err);
	assert_int_equal(s.n, 1);
	zl_sc_plan_set_release(&s);
	f.status = -1;
	f.q = "洛阳";
	f.kind = "special";
	f.year = 2014;
	zl_sc_plan_set_init(&s);
	must(zl_store_sc_plan_list(db, &f, &s, &err), &err);
	assert_int_equal(s.n, 1);
	assert_int_equal(s.v[0].id, lyid);
	zl_sc_plan_set_release(&s);
	f.q = "100%";
	zl_sc_plan_set_init(&s);
	must(zl_store_sc_plan_list(db, &f, &s, &err), &err);
	assert_int_equal(s.n, 0);
	zl_sc_plan_set_release(&s);
	f.q = NULL;
	f.org = "410100";
	zl_sc_plan_set_init(&s);
	must(zl_store_sc_plan_list(db, &f, &s, &err), &err);
	assert_int_equal(s.n, 1);
	assert_int_equal(s.v[0].id, zzid);
	zl_sc_plan_set_release(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_seed, setup_db, teardown_db),
		cmocka_unit_test_setup_teardown(test_catalogue_writes, setup_db, teardown_db),
		cmocka_unit_test_setup_teardown(test_catalogue_versions, setup_db, teardown_db),
		cmocka_unit_test_setup_teardown(test_plan_create_get, setup_db, teardown_db),
		cmocka_unit_test_setup_teardown(test_plan_refusals, setup_db, teardown_db),
		cmocka_unit_test_setup_teardown(test_plan_life, setup_db, teardown_db),
		cmocka_unit_test_setup_teardown(test_plan_submit_retired, setup_db, teardown_db),
		cmocka_unit_test_setup_teardown(test_plan_list, setup_db, teardown_db),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
