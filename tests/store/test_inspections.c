/*
 * test_inspections.c - the store suite for draws as a service
 * (store/draws.h) and inspections (store/inspections.h): the candidate list
 * built from the register (operating, in the region's territory without the
 * directly administered counties, of the product's industries, a narrower
 * region's own, not sampled lately by the same or a higher authority),
 * weights from the classes, quotas capped by candidates and less what was
 * drawn, refusals, records that verify before and after the draw; the
 * draw of inspectors (pool, pseudonyms, the county rule, declared
 * conflicts, a pool too small); an inspection's whole life through the
 * store with its documents, history and credit event, the machine's
 * refusals, attachments, and the lists' scopes.  Runs against
 * ZHILIANG_TEST_DB (SQLite by default, PostgreSQL when pointed at one).
 */
#include <setjmp.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "codes/uscc.h"
#include "codes/workdays.h"
#include "core/core.h"
#include "db/db.h"
#include "domain/draw_record.h"
#include "store/catalogue.h"
#include "store/credit.h"
#include "store/draws.h"
#include "store/enterprises.h"
#include "store/inspections.h"
#include "store/migrate.h"
#include "store/orgs.h"
#include "store/query.h"
#include "store/spotcheck_plans.h"
#include "store/users.h"

#include "harness.h"
#include "sc_check.h"

#define LAB "410000-L001"
#define N(a) (sizeof(a) / sizeof((a)[0]))

/* The enterprises of the fixture: index -> (region, industry, status). */
static const struct {
	const char *region, *industry, *status;
} ents[] = {
	{"410102", "38", "operating"},	 /* 0..3: wire makers of 中原区 */
	{"410102", "38", "operating"},	 /* 1 */
	{"410102", "3831", "operating"}, /* 2: a class of the division */
	{"410102", "38", "operating"},	 /* 3 */
	{"410102", "38", "revoked"},	 /* 4: not operating */
	{"410102", "30", "operating"},	 /* 5: cement, another industry */
	{"410181", "38", "operating"},	 /* 6: 巩义, administered by the province */
	{"410105", "38", "operating"},	 /* 7: 金水区 */
	{"410302", "38", "operating"},	 /* 8: 洛阳 */
};
static char uscc[N(ents)][24];

static void must(int rc, const struct zl_error *err)
{
	if (rc != ZL_OK)
		fail_msg("failed (%d): %s: %s", rc, err->field, err->message);
}

static struct zl_plan_actor actor(const char *user, const char *org)
{
	struct zl_plan_actor a = {user, org, "", "2014-06-01", NULL};

	return a;
}

/* A USCC of region `region` with serial i, its check character computed. */
static void make_uscc(size_t i, const char *region, char out[24])
{
	char first[18];

	snprintf(first, sizeof(first), "91%sMA%06zu0", region, i + 1);
	assert_int_equal(zl_uscc_compute_check(first, &out[17]), ZL_OK);
	memcpy(out, first, 17);
	out[18] = '\0';
}

static void add_enterprise(struct zl_db *db, size_t i)
{
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_enterprise e;

	memset(&e, 0, sizeof(e));
	make_uscc(i, ents[i].region, uscc[i]);
	snprintf(e.uscc, sizeof(e.uscc), "%s", uscc[i]);
	snprintf(e.name, sizeof(e.name), "测试企业%zu有限公司", i);
	snprintf(e.region, sizeof(e.region), "%s", ents[i].region);
	snprintf(e.industry, sizeof(e.industry), "%s", ents[i].industry);
	snprintf(e.status, sizeof(e.status), "%s", ents[i].status);
	must(zl_enterprise_validate(&e, ZL_ENT_LEGACY_IMPORT, &err), &err);
	must(zl_store_enterprise_upsert(db, &e, "test", NULL, &err), &err);
}

static void add_user(struct zl_db *db, const char *name, const char *org, const char *role)
{
	struct zl_error err = ZL_ERROR_INIT;

	must(zl_store_user_create(db, name, "x", org, role, NULL, &err), &err);
}

/* A plan of `org` for 0801 with the quotas given, taken to in progress; its id. */
static int64_t make_plan_county(struct zl_db *db, const char *org, const struct zl_sc_quota_in *q,
				size_t nq, int start, int own_county)
{
	static const char *const labs[] = {LAB};
	static const struct zl_sc_place_in places[] = {{"production", 100, 0}};
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_plan_actor planner = actor("planner", org);
	struct zl_plan_actor approver = actor("approver", "410000-D006");
	struct zl_sc_product_in prod = {"0801", LAB, q, nq};
	struct zl_sc_plan_in in;
	int64_t id = 0;

	memset(&in, 0, sizeof(in));
	in.own_county = own_county;
	in.title = "测试抽查计划";
	in.year = 2014;
	in.kind = "special";
	in.org = org;
	in.start = "2014-01-01";
	in.end = "2014-12-31";
	in.labs = labs;
	in.nlabs = 1;
	in.places = places;
	in.nplaces = 1;
	in.products = &prod;
	in.nproducts = 1;
	must(zl_store_sc_plan_create(db, &in, &planner, &id, &err), &err);
	must(zl_store_sc_plan_act(db, id, ZL_SC_SUBMIT, NULL, &planner, &err), &err);
	must(zl_store_sc_plan_act(db, id, ZL_SC_APPROVE, NULL, &approver, &err), &err);
	if (start)
		must(zl_store_sc_plan_act(db, id, ZL_SC_START, NULL, &planner, &err), &err);
	return id;
}

/* A plan as make_plan_county() whose inspectors never come from the enterprise's county. */
static int64_t make_plan(struct zl_db *db, const char *org, const struct zl_sc_quota_in *q,
			 size_t nq, int start)
{
	return make_plan_county(db, org, q, nq, start, 0);
}

static int setup_db(void **state)
{
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_plan_actor who = actor("seed", "");
	struct zl_db *db = harness_open_empty(1);

	if (!db)
		return -1;
	if (zl_store_load_orgs(db, &err) != ZL_OK || zl_store_cat_seed(db, &who, NULL, &err) ||
	    zl_db_begin(db, &err)) {
		fprintf(stderr, "cannot set up: %s: %s\n", err.field, err.message);
		zl_db_close(db);
		return -1;
	}
	for (size_t i = 0; i < N(ents); i++)
		add_enterprise(db, i);
	add_user(db, "i.zz1", "410100", "inspector");
	add_user(db, "i.zy", "410102", "inspector");
	add_user(db, "i.ly", "410300", "inspector");
	add_user(db, "lab.1", LAB, "lab");
	if (zl_db_commit(db, &err) != ZL_OK) {
		zl_db_close(db);
		return -1;
	}
	*state = db;
	return 0;
}

/* query_int of a statement made from `fmt` and ids (never a request value). */
static int64_t row_count(struct zl_db *db, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static int64_t row_count(struct zl_db *db, const char *fmt, ...)
{
	char sql[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(sql, sizeof(sql), fmt, ap);
	va_end(ap);
	return harness_query_int(db, sql);
}

static void seed_of(unsigned char b, unsigned char seed[ZL_DRAW_SEED_BYTES])
{
	for (int i = 0; i < ZL_DRAW_SEED_BYTES; i++)
		seed[i] = (unsigned char)(b + i);
}

/* The stored record of draw `id` checks out: commitments and, once drawn, every position. */
static void verify(struct zl_db *db, int64_t id, int drawn)
{
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_sc_draw_set ds;
	struct zl_draw_record rec;
	struct zl_draw_check chk;

	zl_sc_draw_set_init(&ds);
	must(zl_store_draw_get(db, id, &ds, &err), &err);
	must(zl_draw_record_parse(ds.v[0].record, strlen(ds.v[0].record), &rec, &err), &err);
	must(zl_draw_record_check(&rec, &chk, &err), &err);
	assert_true(chk.input_ok);
	assert_string_equal(rec.input_commitment, ds.v[0].input_commitment);
	assert_int_equal(rec.has_seed, drawn);
	if (drawn)
		assert_true(zl_draw_check_ok(&chk));
	else
		assert_string_equal(ds.v[0].seed, ""); /* never before the draw */
	zl_draw_record_release(&rec);
	zl_sc_draw_set_release(&ds);
}

/* The candidate ids of draw `id`'s record in stratum `region`, joined by ',' into out. */
static void candidates_of(struct zl_db *db, int64_t id, const char *region, char *out, size_t n)
{
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_sc_draw_set ds;
	struct zl_draw_record rec;

	zl_sc_draw_set_init(&ds);
	must(zl_store_draw_get(db, id, &ds, &err), &err);
	must(zl_draw_record_parse(ds.v[0].record, strlen(ds.v[0].record), &rec, &err), &err);
	out[0] = '\0';
	for (size_t i = 0; i < rec.spec.ncand; i++)
		if (strcmp(rec.spec.cand[i].stratum, region) == 0)
			snprintf(out + strlen(out), n - strlen(out), "%s%s", out[0] ? "," : "",
				 rec.spec.cand[i].id);
	zl_draw_record_release(&rec);
	zl_sc_draw_set_release(&ds);
}

static const struct zl_sc_quota_in zz_quotas[] = {{"410100", 3}, {"410102", 2}};

/* ---- draws of enterprises ------------------------------------------------------------------ */

static void test_candidates(void **state)
{
	struct zl_db *db = *state;
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_plan_actor who = actor("zz.officer", "410100");
	unsigned char seed[ZL_DRAW_SEED_BYTES];
	struct zl_draw_new in = {0};
	struct zl_sc_draw_set ds;
	char list[1024], want[1024];
	int64_t plan = make_plan(db, "410100", zz_quotas, N(zz_quotas), 1), id = 0;
	const struct zl_sc_draw *d;

	/* Class C weighs the C cell (7 for a risk I product), the others B's (5). */
	must(zl_store_ent_class_set(db, uscc[1], "C", "2014-01-02", NULL, &who, &err), &err);
	in.plan_id = plan;
	in.product = "0801";
	seed_of(1, seed);
	must(zl_store_draw_publish(db, &in, seed, &who, &id, &err), &err);
	zl_sc_draw_set_init(&ds);
	must(zl_store_draw_get(db, id, &ds, &err), &err);
	d = &ds.v[0];
	assert_string_equal(d->kind, "select");
	assert_string_equal(d->status, "published");
	/* 中原区's four makers go to their district, not to the city beside it; the city keeps
	 * 金水区's; 巩义 (the province's), the revoked one and the cement maker never count. */
	assert_int_equal(d->nstrata, 2);
	assert_string_equal(d->strata[0].region, "410100");
	assert_int_equal(d->strata[0].candidates, 1);
	assert_int_equal(d->strata[0].plan_quota, 3);
	assert_int_equal(d->strata[0].quota, 1); /* short of candidates: all of them */
	assert_string_equal(d->strata[1].region, "410102");
	assert_int_equal(d->strata[1].candidates, 4);
	assert_int_equal(d->strata[1].quota, 2);
	assert_int_equal(d->candidates, 5);
	assert_int_equal(d->selected, 3);
	candidates_of(db, id, "410100", list, sizeof(list));
	assert_string_equal(list, uscc[7]);
	candidates_of(db, id, "410102", list, sizeof(list));
	snprintf(want, sizeof(want), "%s,%s,%s,%s", uscc[0], uscc[1], uscc[2], uscc[3]);
	assert_string_equal(list, want);
	assert_non_null(strstr(d->record, "\"weight\":\"7\""));
	assert_non_null(strstr(d->record, "\"candidate_names\""));
	assert_null(strstr(d->record, "\"seed\":\""));
	verify(db, id, 0);
	/* A second one while this one is open: refused. */
	assert_int_equal(zl_store_draw_publish(db, &in, seed, &who, NULL, &err), ZL_ECONFLICT);
	assert_string_equal(err.field, "product");
	/* Drawn: the record, three inspections in selection order, verifiable. */
	must(zl_store_draw_make(db, id, &who, &err), &err);
	assert_int_equal(zl_store_draw_make(db, id, &who, &err), ZL_ECONFLICT);
	verify(db, id, 1);
	zl_sc_draw_set_release(&ds);
	zl_sc_draw_set_init(&ds);
	must(zl_store_draw_get(db, id, &ds, &err), &err);
	d = &ds.v[0];
	assert_string_equal(d->status, "drawn");
	assert_int_equal(strlen(d->seed), 64);
	assert_int_equal(d->ninspections, 3);
	assert_int_equal(
		harness_query_int(db, "SELECT count(*) FROM inspections WHERE state = 'planned'"
				      " AND lab = '" LAB "' AND gov = '410100'"
				      " AND plan_due = '2014-12-31' AND draw_position > 0"),
		3);
	assert_int_equal(harness_query_int(db, "SELECT count(*) FROM inspection_events WHERE"
					       " event = 'created'"),
			 3);
	/* Nothing left: 410102 is drawn, 410100's one candidate is drawn (planned). */
	assert_int_equal(zl_store_draw_publish(db, &in, seed, &who, NULL, &err), ZL_EUNPROC);
	assert_string_equal(err.field, "product");
	{
		static const char *const zy[] = {"410102"};

		in.regions = zy;
		in.nregions = 1;
		assert_int_equal(zl_store_draw_publish(db, &in, seed, &who, NULL, &err),
				 ZL_ECONFLICT);
		assert_string_equal(err.field, "regions");
	}
	zl_sc_draw_set_release(&ds);
}

static void test_lookback(void **state)
{
	struct zl_db *db = *state;
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_plan_actor who = actor("officer", "410000-D006");
	static const struct zl_sc_quota_in zy[] = {{"410102", 4}};
	unsigned char seed[ZL_DRAW_SEED_BYTES];
	struct zl_draw_new in = {0};
	struct zl_sc_draw_set ds;
	int64_t city = make_plan(db, "410100", zy, N(zy), 1), prov, id = 0;

	/* 郑州 draws 中原区 whole: four makers. */
	in.plan_id = city;
	in.product = "0801";
	seed_of(7, seed);
	must(zl_store_draw_publish(db, &in, seed, &who, &id, &err), &err);
	must(zl_store_draw_make(db, id, &who, &err), &err);
	/* The province may check what a city did (the law forbids the reverse). */
	prov = make_plan(db, "410000-D006", zy, N(zy), 1);
	in.plan_id = prov;
	must(zl_store_draw_publish(db, &in, seed, &who, &id, &err), &err);
	zl_sc_draw_set_init(&ds);
	must(zl_store_draw_get(db, id, &ds, &err), &err);
	assert_int_equal(ds.v[0].strata[0].candidates, 4);
	must(zl_store_draw_make(db, id, &who, &err), &err);
	zl_sc_draw_set_release(&ds);
	/* Now the city may not: the province sampled them (planned counts as sampled). */
	{
		static const struct zl_sc_quota_in one[] = {{"410102", 1}};
		int64_t city2 = make_plan(db, "410100", one, 1, 1);

		in.plan_id = city2;
		assert_int_equal(zl_store_draw_publish(db, &in, seed, &who, NULL, &err),
				 ZL_EUNPROC);
		assert_string_equal(err.field, "product");
		/* Sampled seven months before the draw: candidates again; five: still not. */
		exec_ok(db, "UPDATE inspections SET state = 'closed', sampled_on = '2013-10-31'");
		must(zl_store_draw_publish(db, &in, seed, &who, &id, &err), &err);
		zl_sc_draw_set_init(&ds);
		must(zl_store_draw_get(db, id, &ds, &err), &err);
		assert_int_equal(ds.v[0].strata[0].candidates, 4);
		zl_sc_draw_set_release(&ds);
		exec_ok(db, "DELETE FROM spotcheck_draw_strata WHERE draw_id = (SELECT MAX(id)"
			    " FROM spotcheck_draws)");
		exec_ok(db, "DELETE FROM spotcheck_draws WHERE id = (SELECT MAX(id) FROM"
			    " spotcheck_draws)");
		exec_ok(db, "UPDATE inspections SET sampled_on = '2014-01-05'");
		assert_int_equal(zl_store_draw_publish(db, &in, seed, &who, NULL, &err),
				 ZL_EUNPROC);
		/* A cancelled one does not count. */
		exec_ok(db, "UPDATE inspections SET state = 'cancelled'");
		must(zl_store_draw_publish(db, &in, seed, &who, NULL, &err), &err);
	}
}

static void test_refusals(void **state)
{
	struct zl_db *db = *state;
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_plan_actor who = actor("officer", "410100");
	static const char *const other[] = {"410105"};
	unsigned char seed[ZL_DRAW_SEED_BYTES];
	struct zl_draw_new in = {0};
	int64_t approved = make_plan(db, "410100", zz_quotas, N(zz_quotas), 0);
	int64_t plan = make_plan(db, "410100", zz_quotas, N(zz_quotas), 1), id = 0;

	seed_of(3, seed);
	in.product = "0801";
	in.plan_id = 9999;
	assert_int_equal(zl_store_draw_publish(db, &in, seed, &who, NULL, &err), ZL_ENOTFOUND);
	in.plan_id = approved;
	assert_int_equal(zl_store_draw_publish(db, &in, seed, &who, NULL, &err), ZL_ECONFLICT);
	assert_string_equal(err.field, "status");
	in.plan_id = plan;
	in.product = "0401";
	assert_int_equal(zl_store_draw_publish(db, &in, seed, &who, NULL, &err), ZL_EUNPROC);
	assert_string_equal(err.field, "product");
	in.product = "0801";
	in.regions = other;
	in.nregions = 1;
	assert_int_equal(zl_store_draw_publish(db, &in, seed, &who, NULL, &err), ZL_EUNPROC);
	assert_string_equal(err.field, "regions");
	assert_non_null(strstr(err.message, "410105"));
	in.regions = NULL;
	in.nregions = 0;
	in.not_before = "tomorrow";
	assert_int_equal(zl_store_draw_publish(db, &in, seed, &who, NULL, &err), ZL_EUNPROC);
	assert_string_equal(err.field, "not_before");
	/* Announced for a time to come: drawn not before it. */
	in.not_before = "2099-01-01T00:00:00+08:00";
	must(zl_store_draw_publish(db, &in, seed, &who, &id, &err), &err);
	assert_int_equal(zl_store_draw_make(db, id, &who, &err), ZL_ECONFLICT);
	assert_string_equal(err.field, "not_before");
	assert_int_equal(harness_query_int(db,
					   "SELECT count(*) FROM spotcheck_draws WHERE not_before ="
					   " '2098-12-31T16:00:00Z'"),
			 1);
	/* No inspectors for a draw not drawn. */
	assert_int_equal(zl_store_draw_publish_inspectors(db, id, seed, &who, NULL, &err),
			 ZL_ECONFLICT);
	assert_int_equal(zl_store_draw_make(db, 4242, &who, &err), ZL_ENOTFOUND);
	sc_check_rollups(db); /* the statistics followed every step */
}

/* ---- draws of inspectors -------------------------------------------------------------------- */

static void test_inspectors(void **state)
{
	struct zl_db *db = *state;
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_plan_actor who = actor("officer", "410100");
	static const struct zl_sc_quota_in zy[] = {{"410102", 4}};
	unsigned char seed[ZL_DRAW_SEED_BYTES];
	struct zl_draw_new in = {0};
	struct zl_sc_draw_set ds;
	struct zl_insp_set is;
	int64_t plan = make_plan(db, "410100", zy, N(zy), 1), sel = 0, ins = 0;

	in.plan_id = plan;
	in.product = "0801";
	seed_of(9, seed);
	must(zl_store_draw_publish(db, &in, seed, &who, &sel, &err), &err);
	must(zl_store_draw_make(db, sel, &who, &err), &err);
	/* The pool under 郑州: i.zz1 (the city: no county) and i.zy (中原区, the enterprises'
	 * county: excluded); i.ly is 洛阳's.  One eligible: refused, whatever the seed. */
	assert_int_equal(zl_store_draw_publish_inspectors(db, sel, seed, &who, NULL, &err),
			 ZL_EUNPROC);
	assert_string_equal(err.field, "pool");
	assert_non_null(strstr(err.message, "1 eligible"));
	add_user(db, "i.zz2", "410100", "inspector");
	/* A declared conflict with one of them: refused again; withdrawn: staffed. */
	must(zl_store_conflict_declare(db, "i.zz2", uscc[0], "亲属", &who, &err), &err);
	assert_int_equal(zl_store_conflict_declare(db, "i.zz2", uscc[0], NULL, &who, &err),
			 ZL_ECONFLICT);
	assert_int_equal(zl_store_draw_publish_inspectors(db, sel, seed, &who, NULL, &err),
			 ZL_EUNPROC);
	must(zl_store_conflict_withdraw(db, "i.zz2", uscc[0], &who, &err), &err);
	assert_int_equal(zl_store_conflict_withdraw(db, "i.zz2", uscc[0], &who, &err),
			 ZL_ENOTFOUND);
	/* A conflict with an enterprise outside the draw is neither needed nor published. */
	must(zl_store_conflict_declare(db, "i.zz1", uscc[8], NULL, &who, &err), &err);
	must(zl_store_draw_publish_inspectors(db, sel, seed, &who, &ins, &err), &err);
	zl_sc_draw_set_init(&ds);
	must(zl_store_draw_get(db, ins, &ds, &err), &err);
	assert_string_equal(ds.v[0].kind, "inspectors");
	assert_int_equal(ds.v[0].of_draw, sel);
	assert_int_equal(ds.v[0].npool, 3);
	assert_string_equal(ds.v[0].pool[0].member, "I001");
	assert_string_equal(ds.v[0].pool[0].username, "i.zy");
	assert_string_equal(ds.v[0].pool[2].username, "i.zz2");
	assert_null(strstr(ds.v[0].record, "i.zz"));  /* pseudonyms, never accounts */
	assert_null(strstr(ds.v[0].record, uscc[8])); /* only the conflicts needed */
	assert_non_null(strstr(ds.v[0].record, "\"county\":\"410102\""));
	verify(db, ins, 0);
	assert_int_equal(zl_store_draw_publish_inspectors(db, sel, seed, &who, NULL, &err),
			 ZL_ECONFLICT);
	must(zl_store_draw_make(db, ins, &who, &err), &err);
	verify(db, ins, 1);
	/* Every inspection has the two of the city, never 中原区's own. */
	assert_int_equal(harness_query_int(db, "SELECT count(*) FROM inspection_inspectors"), 8);
	assert_int_equal(harness_query_int(db, "SELECT count(*) FROM inspection_inspectors WHERE"
					       " username = 'i.zy'"),
			 0);
	zl_insp_set_init(&is);
	must(zl_store_insp_get(db, 1, &is, &err), &err);
	assert_int_equal(is.v[0].ninspectors, 2);
	assert_int_equal(is.v[0].nevents, 2);
	assert_string_equal(is.v[0].events[1].event, "inspectors_drawn");
	zl_insp_set_release(&is);
	/* Nothing left to staff. */
	assert_int_equal(zl_store_draw_publish_inspectors(db, sel, seed, &who, NULL, &err),
			 ZL_ECONFLICT);
	zl_sc_draw_set_release(&ds);
}

/* The inspectors of inspection `id`, joined by ',' in their order, into out. */
static void inspectors_of(struct zl_db *db, int64_t id, char *out, size_t n)
{
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_insp_set is;

	zl_insp_set_init(&is);
	must(zl_store_insp_get(db, id, &is, &err), &err);
	out[0] = '\0';
	for (size_t i = 0; i < is.v[0].ninspectors; i++)
		snprintf(out + strlen(out), n - strlen(out), "%s%s", i ? "," : "",
			 is.v[0].inspectors[i]);
	zl_insp_set_release(&is);
}

static void test_inspector_rules(void **state)
{
	struct zl_db *db = *state;
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_plan_actor who = actor("officer", "410100");
	static const struct zl_sc_quota_in zy[] = {{"410102", 2}};
	unsigned char seed[ZL_DRAW_SEED_BYTES];
	struct zl_draw_new in = {0};
	char got[128], conflicted[24], key[24];
	int64_t plan = make_plan_county(db, "410100", zy, N(zy), 1, 1), sel = 0, ins = 0, first;

	/* A plan that lets the county's own inspectors go: i.zy (中原区) is eligible beside
	 * i.zz1, so two staff every inspection where the default plan refuses (1 eligible). */
	in.plan_id = plan;
	in.product = "0801";
	seed_of(21, seed);
	must(zl_store_draw_publish(db, &in, seed, &who, &sel, &err), &err);
	must(zl_store_draw_make(db, sel, &who, &err), &err);
	must(zl_store_draw_publish_inspectors(db, sel, seed, &who, &ins, &err), &err);
	must(zl_store_draw_make(db, ins, &who, &err), &err);
	verify(db, ins, 1);
	first = harness_query_int(db, "SELECT MIN(id) FROM inspections");
	for (int64_t id = first; id < first + 2; id++) {
		inspectors_of(db, id, got, sizeof(got));
		assert_true(strcmp(got, "i.zy,i.zz1") == 0 || strcmp(got, "i.zz1,i.zy") == 0);
	}
	/* A plan of the default rule draws the district's other two makers; three of the city
	 * are in the pool, one declared a conflict with the first of them: it is skipped there
	 * (the other two go), whatever the seed. */
	add_user(db, "i.zz2", "410100", "inspector");
	add_user(db, "i.zz3", "410100", "inspector");
	in.plan_id = make_plan(db, "410100", zy, N(zy), 1);
	seed_of(23, seed);
	must(zl_store_draw_publish(db, &in, seed, &who, &sel, &err), &err);
	must(zl_store_draw_make(db, sel, &who, &err), &err);
	first = harness_query_int(db, "SELECT MAX(id) - 1 FROM inspections");
	snprintf(key, sizeof(key), "%" PRId64, first);
	must(zl_store_text_by_key(db, "SELECT uscc FROM inspections WHERE id = CAST(? AS BIGINT)",
				  key, conflicted, sizeof(conflicted), &err),
	     &err);
	must(zl_store_conflict_declare(db, "i.zz3", conflicted, "亲属", &who, &err), &err);
	must(zl_store_draw_publish_inspectors(db, sel, seed, &who, &ins, &err), &err);
	must(zl_store_draw_make(db, ins, &who, &err), &err);
	verify(db, ins, 1);
	inspectors_of(db, first, got, sizeof(got));
	assert_true(strcmp(got, "i.zz1,i.zz2") == 0 || strcmp(got, "i.zz2,i.zz1") == 0);
	assert_int_equal(row_count(db,
				   "SELECT count(*) FROM inspection_inspectors WHERE inspection_id"
				   " >= %" PRId64 " AND username = 'i.zy'",
				   first),
			 0);
	inspectors_of(db, first + 1, got, sizeof(got));
	assert_non_null(got[0] ? got : NULL);
	assert_null(strstr(got, "i.zy"));
}

/* ---- an inspection's life ------------------------------------------------------------------ */

struct life {
	struct zl_db *db;
	struct zl_workdays wd;
	struct zl_insp_env env;
	struct zl_plan_actor who;
	int64_t id;
};

static int apply(struct life *l, struct zl_insp_step *st, const char *event, enum zl_insp_role role,
		 const char *date, struct zl_error *err)
{
	assert_int_equal(zl_insp_event_parse(event, &st->ev.event), ZL_OK);
	st->ev.role = role;
	st->ev.date = date;
	return zl_store_insp_apply(l->db, l->id, st, &l->env, &l->who, NULL, err);
}

static int step(struct life *l, const char *event, enum zl_insp_role role, const char *date,
		struct zl_error *err)
{
	struct zl_insp_step st;

	memset(&st, 0, sizeof(st));
	return apply(l, &st, event, role, date, err);
}

/* One inspection, drawn by a plan of 郑州 in 中原区, planned; its id. */
static int64_t one_inspection(struct zl_db *db)
{
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_plan_actor who = actor("officer", "410100");
	static const struct zl_sc_quota_in zy[] = {{"410102", 1}};
	unsigned char seed[ZL_DRAW_SEED_BYTES];
	struct zl_draw_new in = {0};
	int64_t plan = make_plan(db, "410100", zy, N(zy), 1), sel = 0;

	in.plan_id = plan;
	in.product = "0801";
	seed_of(11, seed);
	must(zl_store_draw_publish(db, &in, seed, &who, &sel, &err), &err);
	must(zl_store_draw_make(db, sel, &who, &err), &err);
	return harness_query_int(db, "SELECT MAX(id) FROM inspections");
}

static void test_lifecycle(void **state)
{
	static const struct zl_insp_sampling smp = {
		"production", "B-1", "2014-03-01", "BV 2.5", "无", 2, 2, 1, "S-1", 0};
	static const char *const samplers[] = {"张三", "李四"};
	static const unsigned char png[] = {0x89, 'P', 'N', 'G'};
	struct life l = {.db = *state};
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_insp_item items[2] = {{"导体电阻", "7.98", "≤7.41", "Ω/km", ZL_INSP_FAIL},
					{"绝缘厚度", "0.80", "≥0.72", "mm", ZL_INSP_PASS}};
	struct zl_insp_attachment att;
	struct zl_insp_step st;
	struct zl_insp_set s;
	struct zl_credit_event ce;
	char uscc_drawn[24];
	void *data = NULL;
	size_t n = 0;

	must(zl_workdays_init(&l.wd, &err), &err);
	l.env = (struct zl_insp_env){&l.wd, "2014-12-01", NULL};
	l.who = actor("officer", "410100");
	l.id = one_inspection(l.db);
	/* Sampling: the machine wants a photo (the attachments) and two samplers. */
	memset(&st, 0, sizeof(st));
	st.ev.sampling = &smp;
	st.ev.samplers = samplers;
	st.ev.nsamplers = 2;
	assert_int_equal(
		apply(&l, &st, "record_sampling", ZL_INSP_ROLE_INSPECTOR, "2014-04-01", &err),
		ZL_EUNPROC);
	must(zl_store_insp_attachment_add(l.db, l.id, "photo", "a.png", "image/png", png,
					  sizeof(png), &l.who, &att, &err),
	     &err);
	assert_string_equal(att.kind, "photo");
	assert_int_equal(zl_store_insp_attachment_add(l.db, l.id, "photo", "../a.png", "image/png",
						      png, sizeof(png), &l.who, NULL, &err),
			 ZL_EUNPROC);
	assert_int_equal(zl_store_insp_attachment_add(l.db, l.id, "note", "a.png", "image/png", png,
						      sizeof(png), &l.who, NULL, &err),
			 ZL_EUNPROC);
	/* The wrong role, then the right one. */
	assert_int_equal(apply(&l, &st, "record_sampling", ZL_INSP_ROLE_LAB, "2014-04-01", &err),
			 ZL_EFORBIDDEN);
	assert_string_equal(err.field, "role");
	st.expect_version = 7;
	assert_int_equal(
		apply(&l, &st, "record_sampling", ZL_INSP_ROLE_INSPECTOR, "2014-04-01", &err),
		ZL_ECONFLICT);
	assert_string_equal(err.field, "version");
	st.expect_version = 1;
	must(apply(&l, &st, "record_sampling", ZL_INSP_ROLE_INSPECTOR, "2014-04-01", &err), &err);
	/* Photos are of the sampling: no more once it is recorded; documents still. */
	assert_int_equal(zl_store_insp_attachment_add(l.db, l.id, "photo", "b.png", "image/png",
						      png, sizeof(png), &l.who, NULL, &err),
			 ZL_ECONFLICT);
	must(zl_store_insp_attachment_add(l.db, l.id, "document", "抽样单.pdf", "application/pdf",
					  png, sizeof(png), &l.who, &att, &err),
	     &err);
	must(zl_store_insp_attachment_get(l.db, l.id, att.id, &att, &data, &n, &err), &err);
	assert_int_equal(n, sizeof(png));
	assert_memory_equal(data, png, n);
	free(data);
	assert_int_equal(
		zl_store_insp_attachment_get(l.db, l.id + 1, att.id, &att, NULL, NULL, &err),
		ZL_ENOTFOUND);
	/* A wrong state: the machine's refusal, with what is allowed there. */
	assert_int_equal(step(&l, "notify", ZL_INSP_ROLE_OFFICER, "2014-04-02", &err),
			 ZL_ECONFLICT);
	assert_string_equal(err.field, "event");
	assert_non_null(strstr(err.message, "enter_report"));
	/* ... and nothing of it written: no version, no history row, no credit event. */
	assert_int_equal(
		row_count(l.db, "SELECT version FROM inspections WHERE id = %" PRId64, l.id), 2);
	assert_int_equal(row_count(l.db,
				   "SELECT count(*) FROM inspection_events WHERE inspection_id"
				   " = %" PRId64,
				   l.id),
			 2);
	assert_int_equal(harness_query_int(l.db, "SELECT count(*) FROM credit_events"), 0);
	assert_int_equal(row_count(l.db,
				   "SELECT count(*) FROM inspections WHERE id = %" PRId64
				   " AND state = 'sampled'",
				   l.id),
			 1);
	/* The report: failed on its first item. */
	memset(&st, 0, sizeof(st));
	st.ev.doc_no = "R-1";
	st.ev.items = items;
	st.ev.nitems = 2;
	st.ev.conclusion = ZL_INSP_FAIL;
	must(apply(&l, &st, "enter_report", ZL_INSP_ROLE_LAB, "2014-04-10", &err), &err);
	must(step(&l, "notify", ZL_INSP_ROLE_LAB, "2014-04-11", &err), &err);
	must(step(&l, "receive", ZL_INSP_ROLE_ENTERPRISE, "2014-04-14", &err), &err);
	/* A guard naming its field: not final before the objection period ends. */
	assert_int_equal(step(&l, "finalize", ZL_INSP_ROLE_OFFICER, "2014-04-20", &err),
			 ZL_EUNPROC);
	assert_string_equal(err.field, "date");
	must(step(&l, "finalize", ZL_INSP_ROLE_OFFICER, "2014-05-05", &err), &err);
	memset(&st, 0, sizeof(st));
	st.ev.doc_no = "O-1";
	st.ev.received_on = "2014-05-07";
	must(apply(&l, &st, "order_rectification", ZL_INSP_ROLE_OFFICER, "2014-05-06", &err), &err);
	memset(&st, 0, sizeof(st));
	st.ev.days = 20;
	must(apply(&l, &st, "request_extension", ZL_INSP_ROLE_ENTERPRISE, "2014-05-20", &err),
	     &err);
	st.ev.days = 15;
	must(apply(&l, &st, "grant_extension", ZL_INSP_ROLE_OFFICER, "2014-05-22", &err), &err);
	must(step(&l, "apply_follow_up", ZL_INSP_ROLE_ENTERPRISE, "2014-06-20", &err), &err);
	must(step(&l, "follow_up_passed", ZL_INSP_ROLE_OFFICER, "2014-07-01", &err), &err);
	/* Read back: the documents, the history, the credit event. */
	zl_insp_set_init(&s);
	must(zl_store_insp_get(l.db, l.id, &s, &err), &err);
	assert_int_equal(s.v[0].rec.state, ZL_INSP_CLOSED);
	assert_int_equal(s.v[0].rec.outcome, ZL_INSP_OUTCOME_RECTIFIED);
	assert_int_equal(s.v[0].version, 11);
	assert_string_equal(s.v[0].batch, "B-1");
	assert_int_equal(s.v[0].nsamplers, 2);
	assert_string_equal(s.v[0].samplers[1], "李四");
	assert_string_equal(s.v[0].report_no, "R-1");
	assert_string_equal(s.v[0].order_no, "O-1");
	assert_int_equal(s.v[0].nitems, 2);
	assert_string_equal(s.v[0].items[0].verdict, "fail");
	assert_string_equal(s.v[0].items[0].unit, "Ω/km");
	assert_int_equal(s.v[0].photos, 1);
	assert_int_equal(s.v[0].nattachments, 2);
	assert_int_equal(s.v[0].rec.extension_days, 15);
	assert_int_equal(s.v[0].nevents, 11); /* created + 10 steps */
	assert_string_equal(s.v[0].events[1].event, "record_sampling");
	assert_string_equal(s.v[0].events[1].role, "inspector");
	assert_non_null(strstr(s.v[0].events[1].data, "\"photos\":1"));
	assert_string_equal(s.v[0].events[5].event, "finalize");
	assert_true(s.v[0].events[5].credit_event > 0);
	memset(&ce, 0, sizeof(ce));
	must(zl_store_credit_get(l.db, s.v[0].events[5].credit_event, &ce, &err), &err);
	zl_strlcpy(uscc_drawn, s.v[0].uscc, sizeof(uscc_drawn));
	assert_string_equal(ce.uscc, uscc_drawn);
	assert_string_equal(ce.kind, "spot_check");
	assert_string_equal(ce.polarity, "negative");
	assert_string_equal(ce.event_date, "2014-05-05");
	assert_string_equal(ce.source_org, "410100");
	assert_string_equal(ce.doc_no, "R-1");
	assert_string_equal(ce.created_by, "module:spotcheck");
	assert_int_equal(harness_query_int(l.db, "SELECT count(*) FROM credit_events"), 1);
	zl_insp_set_release(&s);
	/* Closed: documents no more. */
	assert_int_equal(zl_store_insp_attachment_add(l.db, l.id, "document", "x.pdf",
						      "application/pdf", png, sizeof(png), &l.who,
						      NULL, &err),
			 ZL_ECONFLICT);
	sc_check_rollups(l.db); /* the statistics followed every step */
}

static void test_retest(void **state)
{
	static const struct zl_insp_sampling smp = {
		"circulation", "B-2", "2014-03-01", "BV 1.5", "无", 2, 2, 1, "S-2", 0};
	static const size_t contested[] = {0};
	static const enum zl_insp_verdict pass[] = {ZL_INSP_PASS};
	static const char *const measured[] = {"7.30"};
	struct life l = {.db = *state};
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_insp_item items[2] = {{"导体电阻", "7.98", "≤7.41", "Ω/km", ZL_INSP_FAIL},
					{"绝缘厚度", "0.80", "≥0.72", "mm", ZL_INSP_PASS}};
	struct zl_insp_step st;
	struct zl_insp_set s;

	must(zl_workdays_init(&l.wd, &err), &err);
	l.env = (struct zl_insp_env){&l.wd, "2014-12-01", NULL};
	l.who = actor("officer", "410100");
	l.id = one_inspection(l.db);
	/* A refusal of sampling, a warning, then sampling with the inspectors' names. */
	memset(&st, 0, sizeof(st));
	st.ev.reason = "拒绝抽样";
	assert_int_equal(
		apply(&l, &st, "refuse_sampling", ZL_INSP_ROLE_INSPECTOR, "2014-03-10", &err),
		ZL_EUNPROC); /* no inspectors assigned yet: no two witnesses */
	must(zl_store_insp_assign(l.db, l.id, (const char *const[]){"i.zz1", "i.zy"}, 2, 0, &l.who,
				  &err),
	     &err);
	must(apply(&l, &st, "refuse_sampling", ZL_INSP_ROLE_INSPECTOR, "2014-03-10", &err), &err);
	must(step(&l, "warn", ZL_INSP_ROLE_OFFICER, "2014-03-11", &err), &err);
	assert_int_equal(harness_query_int(l.db, "SELECT count(*) FROM credit_events WHERE kind ="
						 " 'penalty'"),
			 1);
	zl_insp_set_init(&s);
	must(zl_store_insp_get(l.db, l.id, &s, &err), &err);
	assert_string_equal(s.v[0].rec.plan_due, "2014-12-31");
	assert_int_equal(s.v[0].rec.refusals, 1);
	assert_int_equal(s.v[0].rec.warnings, 1);
	zl_insp_set_release(&s);
	/* Sampled again, the samplers being the inspectors drawn (no names given). */
	must(zl_store_insp_attachment_add(l.db, l.id, "photo", "a.png", "image/png",
					  (const unsigned char[]){1, 2, 3}, 3, &l.who, NULL, &err),
	     &err);
	memset(&st, 0, sizeof(st));
	st.ev.sampling = &smp;
	must(apply(&l, &st, "record_sampling", ZL_INSP_ROLE_INSPECTOR, "2014-03-20", &err), &err);
	zl_insp_set_init(&s);
	must(zl_store_insp_get(l.db, l.id, &s, &err), &err);
	assert_int_equal(s.v[0].nsamplers, 2);
	assert_string_equal(s.v[0].samplers[0], "i.zz1"); /* no display name: the account */
	zl_insp_set_release(&s);
	memset(&st, 0, sizeof(st));
	st.ev.doc_no = "R-2";
	st.ev.items = items;
	st.ev.nitems = 2;
	st.ev.conclusion = ZL_INSP_FAIL;
	must(apply(&l, &st, "enter_report", ZL_INSP_ROLE_LAB, "2014-04-10", &err), &err);
	must(step(&l, "notify", ZL_INSP_ROLE_OFFICER, "2014-04-11", &err), &err);
	must(step(&l, "receive", ZL_INSP_ROLE_OFFICER, "2014-04-14", &err), &err);
	memset(&st, 0, sizeof(st));
	st.ev.contested = contested;
	st.ev.ncontested = 1;
	must(apply(&l, &st, "object", ZL_INSP_ROLE_ENTERPRISE, "2014-04-20", &err), &err);
	st.ev.doc_no = "RT-2";
	st.ev.verdicts = pass;
	st.retest_measured = measured;
	must(apply(&l, &st, "retest_overturned", ZL_INSP_ROLE_LAB, "2014-05-05", &err), &err);
	zl_insp_set_init(&s);
	must(zl_store_insp_get(l.db, l.id, &s, &err), &err);
	assert_int_equal(s.v[0].rec.state, ZL_INSP_CLOSED);
	assert_int_equal(s.v[0].rec.outcome, ZL_INSP_OUTCOME_OVERTURNED);
	assert_string_equal(s.v[0].retest_no, "RT-2");
	assert_string_equal(s.v[0].items[0].retest_verdict, "pass");
	assert_string_equal(s.v[0].items[0].retest_measured, "7.30");
	assert_string_equal(s.v[0].items[1].retest_verdict, "");
	zl_insp_set_release(&s);
	assert_int_equal(harness_query_int(l.db, "SELECT count(*) FROM credit_events WHERE kind ="
						 " 'spot_check' AND polarity = 'positive'"
						 " AND doc_no = 'RT-2'"),
			 1);
	/* The overturned failure counts as one passed batch (the re-test is final). */
	assert_int_equal(harness_query_int(l.db, "SELECT sum(batches) * 10 + sum(failed) FROM sc_cells"
						 " WHERE grain = 1"),
			 10);
	sc_check_rollups(l.db); /* the statistics followed every step */
}

/* ---- timers --------------------------------------------------------------------------------- */

/*
 * A new inspection taken to objection_window: sampled, a report of `conclusion`
 * on `report_on`, notified the next day, the result received on `received_on`.
 */
static int64_t to_objection(struct life *l, enum zl_insp_verdict conclusion, const char *report_on,
			    const char *notified_on, const char *received_on)
{
	static const struct zl_insp_sampling smp = {
		"production", "B-T", "2014-03-01", "BV 2.5", "无", 2, 2, 1, "S-T", 0};
	static const char *const samplers[] = {"张三", "李四"};
	static const unsigned char png[] = {0x89, 'P', 'N', 'G'};
	struct zl_insp_item items[1] = {{"导体电阻", "7.98", "≤7.41", "Ω/km", conclusion}};
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_insp_step st;

	l->id = one_inspection(l->db);
	must(zl_store_insp_attachment_add(l->db, l->id, "photo", "a.png", "image/png", png,
					  sizeof(png), &l->who, NULL, &err),
	     &err);
	memset(&st, 0, sizeof(st));
	st.ev.sampling = &smp;
	st.ev.samplers = samplers;
	st.ev.nsamplers = 2;
	must(apply(l, &st, "record_sampling", ZL_INSP_ROLE_INSPECTOR, "2014-04-01", &err), &err);
	memset(&st, 0, sizeof(st));
	st.ev.doc_no = "R-T";
	st.ev.items = items;
	st.ev.nitems = 1;
	st.ev.conclusion = conclusion;
	must(apply(l, &st, "enter_report", ZL_INSP_ROLE_LAB, report_on, &err), &err);
	must(step(l, "notify", ZL_INSP_ROLE_LAB, notified_on, &err), &err);
	must(step(l, "receive", ZL_INSP_ROLE_ENTERPRISE, received_on, &err), &err);
	return l->id;
}

/* A failed inspection (received 2014-04-14) under a rectification order received 2014-05-07. */
static int64_t to_rectifying(struct life *l)
{
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_insp_step st;

	to_objection(l, ZL_INSP_FAIL, "2014-04-10", "2014-04-11", "2014-04-14");
	must(step(l, "finalize", ZL_INSP_ROLE_OFFICER, "2014-05-05", &err), &err);
	memset(&st, 0, sizeof(st));
	st.ev.doc_no = "O-T";
	st.ev.received_on = "2014-05-07";
	must(apply(l, &st, "order_rectification", ZL_INSP_ROLE_OFFICER, "2014-05-06", &err), &err);
	return l->id;
}

static const char *state_of(struct zl_db *db, int64_t id, char out[32])
{
	struct zl_error err = ZL_ERROR_INIT;
	char key[24];

	snprintf(key, sizeof(key), "%" PRId64, id);
	must(zl_store_text_by_key(db, "SELECT state FROM inspections WHERE id = CAST(? AS BIGINT)",
				  key, out, 32, &err),
	     &err);
	return out;
}

/* The last history row of `id`: it must be the timer's `event`, by system on `date`. */
static int64_t check_fired(struct zl_db *db, int64_t id, const char *event, const char *date)
{
	struct zl_error err = ZL_ERROR_INIT;
	const struct zl_insp_event_row *e;
	struct zl_insp_set s;
	int64_t credit;

	zl_insp_set_init(&s);
	must(zl_store_insp_get(db, id, &s, &err), &err);
	e = &s.v[0].events[s.v[0].nevents - 1];
	assert_string_equal(e->event, event);
	assert_string_equal(e->role, "system");
	assert_string_equal(e->actor, "system");
	assert_string_equal(e->org, "410100");
	assert_string_equal(e->on_date, date);
	assert_string_equal(s.v[0].rec.last_on, date);
	credit = e->credit_event;
	zl_insp_set_release(&s);
	assert_int_equal(row_count(db,
				   "SELECT count(*) FROM audit_log WHERE actor = 'system'"
				   " AND org = '410100' AND target = 'inspection:%" PRId64
				   "' AND action = 'inspection.%s'",
				   id, event),
			 1);
	return credit;
}

static void test_timers(void **state)
{
	struct life l = {.db = *state};
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_insp_timer_stats st;
	struct zl_insp_step rq;
	struct zl_credit_event ce;
	int64_t failing, passing, lapsing, asked, cid;
	char got[32];

	must(zl_workdays_init(&l.wd, &err), &err);
	l.env = (struct zl_insp_env){&l.wd, "2014-12-01", NULL};
	l.who = actor("officer", "410100");
	/* Received 2014-04-14: the objection period ends on 2014-04-29, a Tuesday. */
	failing = to_objection(&l, ZL_INSP_FAIL, "2014-04-10", "2014-04-11", "2014-04-14");
	passing = to_objection(&l, ZL_INSP_PASS, "2014-04-10", "2014-04-11", "2014-04-14");
	/* Order received 2014-05-07: rectified by 2014-06-06, a Friday. */
	lapsing = to_rectifying(&l);
	asked = to_rectifying(&l);
	memset(&rq, 0, sizeof(rq));
	rq.ev.days = 20;
	must(apply(&l, &rq, "request_extension", ZL_INSP_ROLE_ENTERPRISE, "2014-05-20", &err),
	     &err);
	assert_int_equal(harness_query_int(l.db, "SELECT count(*) FROM audit_log WHERE actor ="
						 " 'system'"),
			 0);

	/* On 2014-06-06 the objection periods are over, the rectification period not. */
	must(zl_store_insp_fire_timers(l.db, "2014-06-06", &st, NULL, NULL, &err), &err);
	assert_int_equal(st.inspections, 4);
	assert_int_equal(st.fired, 2);
	assert_int_equal(st.skipped, 0);
	assert_int_equal(st.by_event[ZL_INSP_EV_FINALIZE], 1);
	assert_int_equal(st.by_event[ZL_INSP_EV_CLOSE], 1);
	assert_int_equal(st.by_event[ZL_INSP_EV_LAPSE], 0);
	/* Dated the day after the period, not the day of the run. */
	assert_string_equal(state_of(l.db, failing, got), "failed");
	cid = check_fired(l.db, failing, "finalize", "2014-04-30");
	assert_true(cid > 0);
	memset(&ce, 0, sizeof(ce));
	must(zl_store_credit_get(l.db, cid, &ce, &err), &err);
	assert_string_equal(ce.kind, "spot_check");
	assert_string_equal(ce.polarity, "negative");
	assert_string_equal(ce.event_date, "2014-04-30");
	assert_string_equal(ce.source_org, "410100");
	assert_string_equal(state_of(l.db, passing, got), "closed");
	cid = check_fired(l.db, passing, "close", "2014-04-30");
	memset(&ce, 0, sizeof(ce));
	must(zl_store_credit_get(l.db, cid, &ce, &err), &err);
	assert_string_equal(ce.polarity, "positive");
	assert_string_equal(ce.event_date, "2014-04-30");
	/* Still inside its period, and a request pending: left alone. */
	assert_string_equal(state_of(l.db, lapsing, got), "rectifying");
	assert_string_equal(state_of(l.db, asked, got), "rectifying");

	/* Again the same day: nothing more to fire. */
	must(zl_store_insp_fire_timers(l.db, "2014-06-06", &st, NULL, NULL, &err), &err);
	assert_int_equal(st.inspections, 2);
	assert_int_equal(st.fired, 0);
	assert_int_equal(st.skipped, 0);
	assert_int_equal(harness_query_int(l.db, "SELECT count(*) FROM audit_log WHERE actor ="
						 " 'system'"),
			 2);

	/* Later, past the rectification period: it lapses as of 2014-06-07, the pending
	 * request keeps the other one open. */
	must(zl_store_insp_fire_timers(l.db, "2014-07-20", &st, NULL, NULL, &err), &err);
	assert_int_equal(st.inspections, 2);
	assert_int_equal(st.fired, 1);
	assert_int_equal(st.by_event[ZL_INSP_EV_LAPSE], 1);
	assert_string_equal(state_of(l.db, lapsing, got), "uncorrected");
	assert_int_equal(check_fired(l.db, lapsing, "lapse", "2014-06-07"), 0);
	assert_string_equal(state_of(l.db, asked, got), "rectifying");
	must(zl_store_insp_fire_timers(l.db, "2014-07-20", &st, NULL, NULL, &err), &err);
	assert_int_equal(st.fired, 0);
	assert_int_equal(harness_query_int(l.db, "SELECT count(*) FROM audit_log WHERE actor ="
						 " 'system'"),
			 3);
	assert_int_equal(
		harness_query_int(l.db,
				  "SELECT count(*) FROM inspection_events WHERE role = 'system'"),
		3);

	/* Not in a caller's transaction; not without a date. */
	must(zl_db_begin(l.db, &err), &err);
	assert_int_equal(zl_store_insp_fire_timers(l.db, "2014-07-20", &st, NULL, NULL, &err),
			 ZL_EINTERNAL);
	zl_db_rollback(l.db);
	assert_int_equal(zl_store_insp_fire_timers(l.db, "2014-7-20", &st, NULL, NULL, &err),
			 ZL_EINVAL);
	assert_string_equal(err.field, "today");
	sc_check_rollups(l.db); /* the statistics followed every step */
}

struct skipped {
	int n;
	int64_t id;
	char field[64];
};

static void on_skip(void *cls, int64_t id, const struct zl_error *err)
{
	struct skipped *k = cls;

	k->n++;
	k->id = id;
	zl_strlcpy(k->field, err->field, sizeof(k->field));
}

/* A period ending past the calendar (2026) is skipped, and the rest still fire. */
static void test_timers_calendar(void **state)
{
	struct life l = {.db = *state};
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_insp_timer_stats st;
	struct skipped k = {0};
	int64_t late, early;
	char got[32];

	must(zl_workdays_init(&l.wd, &err), &err);
	l.env = (struct zl_insp_env){&l.wd, "2026-12-31", NULL};
	l.who = actor("officer", "410100");
	/* Received 2026-12-20: the period would end in January 2027. */
	late = to_objection(&l, ZL_INSP_FAIL, "2026-12-10", "2026-12-11", "2026-12-20");
	early = to_objection(&l, ZL_INSP_FAIL, "2014-04-10", "2014-04-11", "2014-04-14");
	must(zl_store_insp_fire_timers(l.db, "2027-01-10", &st, on_skip, &k, &err), &err);
	assert_int_equal(st.inspections, 2);
	assert_int_equal(st.fired, 1);
	assert_int_equal(st.skipped, 1);
	assert_int_equal(k.n, 1);
	assert_int_equal(k.id, late);
	assert_true(k.field[0] != '\0');
	assert_string_equal(state_of(l.db, late, got), "objection_window");
	assert_string_equal(state_of(l.db, early, got), "failed");
	assert_int_equal(row_count(l.db,
				   "SELECT count(*) FROM inspection_events WHERE inspection_id = "
				   "%" PRId64 " AND role = 'system'",
				   late),
			 0);
	sc_check_rollups(l.db); /* the statistics followed every step */
}

/* ---- lists and scopes ------------------------------------------------------------------------ */

static int count_row(void *cls, const struct zl_insp_row *r)
{
	(void)r;
	(*(int *)cls)++;
	return ZL_OK;
}

static int64_t listed(struct zl_db *db, struct zl_insp_filter *f, int *rows)
{
	struct zl_error err = ZL_ERROR_INIT;
	int64_t total = -1;

	*rows = 0;
	must(zl_store_insp_list(db, f, count_row, rows, &total, &err), &err);
	return total;
}

static void test_scopes(void **state)
{
	struct zl_db *db = *state;
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_plan_actor who = actor("officer", "410100");
	struct zl_insp_filter f;
	char first[24];
	int64_t id = one_inspection(db);
	int rows = 0;

	must(zl_store_insp_assign(db, id, (const char *const[]){"i.zz1", "i.zy"}, 2, 0, &who, &err),
	     &err);
	one_inspection(db); /* a second one, nobody assigned */
	memset(&f, 0, sizeof(f));
	f.path = "/410000/410100/";
	assert_int_equal(listed(db, &f, &rows), 2);
	assert_int_equal(rows, 2);
	f.path = "/410000/410300/"; /* 洛阳 */
	assert_int_equal(listed(db, &f, &rows), 0);
	f.path = "/410000/410100/410102/"; /* the region's government */
	assert_int_equal(listed(db, &f, &rows), 2);
	f.path = "/410000/410100/410105/";
	assert_int_equal(listed(db, &f, &rows), 0);
	/* Paged: a limit and a cursor, the total unchanged. */
	f.path = "/410000/";
	f.limit = 1;
	assert_int_equal(listed(db, &f, &rows), 2);
	assert_int_equal(rows, 1);
	f.before = id + 1;
	f.limit = 0;
	assert_int_equal(listed(db, &f, &rows), 2);
	assert_int_equal(rows, 1);
	f.before = 0;
	/* An inspector, a lab, an enterprise. */
	memset(&f, 0, sizeof(f));
	f.scope = ZL_INSP_SCOPE_INSPECTOR;
	f.user = "i.zy";
	assert_int_equal(listed(db, &f, &rows), 1);
	f.user = "i.ly";
	assert_int_equal(listed(db, &f, &rows), 0);
	f.scope = ZL_INSP_SCOPE_LAB;
	f.path = "/410000/410000-D006/" LAB "/";
	assert_int_equal(listed(db, &f, &rows), 2);
	f.path = "/410000/410000-D006/410000-L002/";
	assert_int_equal(listed(db, &f, &rows), 0);
	f.scope = ZL_INSP_SCOPE_ENTERPRISE;
	must(zl_store_text_by_key(db, "SELECT uscc FROM inspections WHERE id = CAST(? AS BIGINT)",
				  "1", first, sizeof(first), &err),
	     &err);
	f.uscc_scope = first;
	assert_true(listed(db, &f, &rows) >= 1);
	f.uscc_scope = uscc[8];
	assert_int_equal(listed(db, &f, &rows), 0);
	/* Filters. */
	memset(&f, 0, sizeof(f));
	f.path = "/410000/";
	f.state = "closed";
	assert_int_equal(listed(db, &f, &rows), 0);
	f.state = NULL;
	f.open_only = 1;
	f.product = "0801";
	assert_int_equal(listed(db, &f, &rows), 2);
	f.product = "0401";
	assert_int_equal(listed(db, &f, &rows), 0);
}

/* ---- inputs ---------------------------------------------------------------------------------- */

static int collect(void *cls, const struct zl_conflict *c)
{
	char *out = cls;

	snprintf(out + strlen(out), 256 - strlen(out), "%s:%s;", c->uscc,
		 c->withdrawn_at[0] ? "withdrawn" : "in force");
	return ZL_OK;
}

static void test_classes_conflicts(void **state)
{
	struct zl_db *db = *state;
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_plan_actor who = actor("officer", "410000-D006");
	char cls[4], got[256] = "";

	must(zl_store_ent_class_set(db, uscc[0], "AA", NULL, "note", &who, &err), &err);
	must(zl_store_ent_class_get(db, uscc[0], cls, &err), &err);
	assert_string_equal(cls, "AA");
	must(zl_store_ent_class_set(db, uscc[0], "C", "2014-02-01", NULL, &who, &err), &err);
	must(zl_store_ent_class_get(db, uscc[0], cls, &err), &err);
	assert_string_equal(cls, "C");
	must(zl_store_ent_class_set(db, uscc[0], NULL, NULL, NULL, &who, &err), &err);
	must(zl_store_ent_class_get(db, uscc[0], cls, &err), &err);
	assert_string_equal(cls, "");
	assert_int_equal(zl_store_ent_class_set(db, uscc[0], "D", NULL, NULL, &who, &err),
			 ZL_EUNPROC);
	assert_string_equal(err.field, "class");
	assert_int_equal(
		zl_store_ent_class_set(db, "91410100MA0000000X", "A", NULL, NULL, &who, &err),
		ZL_ENOTFOUND);
	/* Declared, withdrawn, declared again; unknown enterprises refused. */
	must(zl_store_conflict_declare(db, "i.zz1", uscc[1], "曾任职", &who, &err), &err);
	must(zl_store_conflict_declare(db, "i.zz1", uscc[0], NULL, &who, &err), &err);
	must(zl_store_conflict_withdraw(db, "i.zz1", uscc[1], &who, &err), &err);
	must(zl_store_conflicts(db, "i.zz1", collect, got, &err), &err);
	{
		char want[256];

		snprintf(want, sizeof(want), "%s:in force;%s:withdrawn;", uscc[0], uscc[1]);
		assert_string_equal(got, want);
	}
	must(zl_store_conflict_declare(db, "i.zz1", uscc[1], NULL, &who, &err), &err);
	assert_int_equal(
		zl_store_conflict_declare(db, "i.zz1", "91410100MA0000000X", NULL, &who, &err),
		ZL_ENOTFOUND);
	assert_int_equal(harness_query_int(db, "SELECT count(*) FROM inspector_conflicts WHERE"
					       " withdrawn_at = ''"),
			 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_candidates, setup_db, teardown_db),
		cmocka_unit_test_setup_teardown(test_lookback, setup_db, teardown_db),
		cmocka_unit_test_setup_teardown(test_refusals, setup_db, teardown_db),
		cmocka_unit_test_setup_teardown(test_inspectors, setup_db, teardown_db),
		cmocka_unit_test_setup_teardown(test_inspector_rules, setup_db, teardown_db),
		cmocka_unit_test_setup_teardown(test_lifecycle, setup_db, teardown_db),
		cmocka_unit_test_setup_teardown(test_retest, setup_db, teardown_db),
		cmocka_unit_test_setup_teardown(test_timers, setup_db, teardown_db),
		cmocka_unit_test_setup_teardown(test_timers_calendar, setup_db, teardown_db),
		cmocka_unit_test_setup_teardown(test_scopes, setup_db, teardown_db),
		cmocka_unit_test_setup_teardown(test_classes_conflicts, setup_db, teardown_db),
	};
	zl_core_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
