/*
 * test_spotcheck.c - spot-check plans' rules (domain/spotcheck.h): the
 * frequency matrix and a candidate's weight, every step of the status
 * machine (legal and illegal), who sees a plan in each status and who may
 * act on it, and the check of a plan as written, naming each bad field.
 * The tree: the province, 郑州 with 中原区, 洛阳, the provincial quality
 * bureau (省质监局) with its laboratory.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "domain/spotcheck.h"

#define PROV "/410000/"
#define ZZ "/410000/410100/"
#define ZY "/410000/410100/410102/"
#define LY "/410000/410300/"
#define ZJ "/410000/410000-D006/"
#define LAB "/410000/410000-D006/410000-L001/"
#define ZZ_LAB "/410000/410100/410100-L001/"

/* ---- the matrix ------------------------------------------------------------------------- */

static void test_default_matrix(void **state)
{
	struct zl_sc_freq f;
	struct zl_error err = ZL_ERROR_INIT;
	uint64_t w;

	(void)state;
	zl_sc_freq_default(&f);
	assert_int_equal(zl_sc_freq_check(&f, &err), ZL_OK);
	/* AA: 2, 1.5, 1; C: 7, 5.25, 3.5 */
	assert_int_equal(f.w[ZL_SC_AA][0], 2000000);
	assert_int_equal(f.w[ZL_SC_AA][2], 1000000);
	assert_int_equal(f.w[ZL_SC_A][1], 2250000);
	assert_int_equal(f.w[ZL_SC_B][0], 5000000);
	assert_int_equal(f.w[ZL_SC_C][1], 5250000);
	assert_int_equal(f.w[ZL_SC_C][2], 3500000);
	/* A worse class is sampled more often at every risk level, a riskier product too. */
	for (int r = 0; r < ZL_SC_RISKS; r++)
		for (int c = 1; c < ZL_SC_CLASSES; c++)
			assert_true(f.w[c][r] > f.w[c - 1][r]);
	for (int c = 0; c < ZL_SC_CLASSES; c++)
		for (int r = 1; r < ZL_SC_RISKS; r++)
			assert_true(f.w[c][r] < f.w[c][r - 1]);
	/* The weight of candidates. */
	assert_int_equal(zl_sc_weight(&f, "C", 1, &w, &err), ZL_OK);
	assert_int_equal(w, 7000000);
	assert_int_equal(zl_sc_weight(&f, "AA", 3, &w, &err), ZL_OK);
	assert_int_equal(w, 1000000);
	/* Not classified yet: class B. */
	assert_int_equal(zl_sc_weight(&f, NULL, 2, &w, &err), ZL_OK);
	assert_int_equal(w, 3750000);
	assert_int_equal(zl_sc_weight(&f, "", 1, &w, &err), ZL_OK);
	assert_int_equal(w, 5000000);
	assert_int_equal(zl_sc_weight(&f, "D", 1, &w, &err), ZL_EUNPROC);
	assert_string_equal(err.field, "class");
	assert_int_equal(w, 0);
	assert_int_equal(zl_sc_weight(&f, "a", 1, &w, &err), ZL_EUNPROC);
	assert_int_equal(zl_sc_weight(&f, "B", 0, &w, &err), ZL_EUNPROC);
	assert_string_equal(err.field, "risk");
	assert_int_equal(zl_sc_weight(&f, "B", 4, &w, &err), ZL_EUNPROC);
}

static void test_matrix_check(void **state)
{
	struct zl_sc_freq f;
	struct zl_error err = ZL_ERROR_INIT;
	uint64_t w;

	(void)state;
	zl_sc_freq_default(&f);
	f.w[ZL_SC_B][1] = 0;
	assert_int_equal(zl_sc_freq_check(&f, &err), ZL_EUNPROC);
	assert_string_equal(err.field, "frequency.B.II");
	zl_sc_freq_default(&f);
	f.w[ZL_SC_C][2] = ZL_SC_WEIGHT_MAX + 1;
	assert_int_equal(zl_sc_freq_check(&f, &err), ZL_EUNPROC);
	assert_string_equal(err.field, "frequency.C.III");
	/* Weights as JSON numbers, in millionths. */
	assert_int_equal(zl_sc_weight_parse(2.5, &w), ZL_OK);
	assert_int_equal(w, 2500000);
	assert_int_equal(zl_sc_weight_parse(1, &w), ZL_OK);
	assert_int_equal(w, ZL_SC_WEIGHT_ONE);
	assert_int_equal(zl_sc_weight_parse(0.000001, &w), ZL_OK);
	assert_int_equal(w, 1);
	assert_int_equal(zl_sc_weight_parse(1e9, &w), ZL_OK);
	assert_int_equal(w, ZL_SC_WEIGHT_MAX);
	assert_int_equal(zl_sc_weight_parse(0, &w), ZL_EUNPROC);
	assert_int_equal(zl_sc_weight_parse(-1, &w), ZL_EUNPROC);
	assert_int_equal(zl_sc_weight_parse(0.0000004, &w), ZL_EUNPROC); /* rounds to 0 */
	assert_int_equal(zl_sc_weight_parse(1e9 + 1, &w), ZL_EUNPROC);
	assert_int_equal(zl_sc_weight_parse(0.0 / 0.0, &w), ZL_EUNPROC);
	assert_true(zl_sc_weight_value(2250000) == 2.25);
	/* Names. */
	for (int c = 0; c < ZL_SC_CLASSES; c++) {
		int back = -1;

		assert_int_equal(zl_sc_class_parse(zl_sc_class_name(c), &back), ZL_OK);
		assert_int_equal(back, c);
	}
	assert_null(zl_sc_class_name(ZL_SC_CLASSES));
}

/* ---- the machine ---------------------------------------------------------------------------- */

static void test_transitions(void **state)
{
	/* The one legal step of each action; every other status refuses it. */
	static const int from[ZL_SC_ACTIONS] = {ZL_SC_DRAFT, ZL_SC_SUBMITTED, ZL_SC_SUBMITTED,
						ZL_SC_APPROVED, ZL_SC_IN_PROGRESS};
	static const int to[ZL_SC_ACTIONS] = {ZL_SC_SUBMITTED, ZL_SC_APPROVED, ZL_SC_DRAFT,
					      ZL_SC_IN_PROGRESS, ZL_SC_FINISHED};

	(void)state;
	for (int a = 0; a < ZL_SC_ACTIONS; a++) {
		for (int s = 0; s < ZL_SC_STATUSES; s++) {
			struct zl_error err = ZL_ERROR_INIT;
			int next = -1, rc = zl_sc_transition(s, a, &next, &err);

			if (s == from[a]) {
				assert_int_equal(rc, ZL_OK);
				assert_int_equal(next, to[a]);
			} else {
				assert_int_equal(rc, ZL_ECONFLICT);
				assert_int_equal(next, -1);
				assert_string_equal(err.field, "status");
				assert_non_null(strstr(err.message, zl_sc_status_name(s)));
			}
		}
	}
	for (int s = 0; s < ZL_SC_STATUSES; s++) {
		int back = -1;

		assert_non_null(zl_sc_status_zh(s));
		assert_int_equal(zl_sc_status_parse(zl_sc_status_name(s), &back), ZL_OK);
		assert_int_equal(back, s);
	}
	assert_int_equal(zl_sc_status_parse("cancelled", &(int){0}), ZL_EUNPROC);
	assert_string_equal(zl_sc_action_name(ZL_SC_RETURN), "return");
}

/* ---- who sees and does what --------------------------------------------------------------------
 */

static struct zl_sc_plan_facts facts(int status, const char *owner, const char *gov,
				     const char *const *labs, size_t nlabs)
{
	struct zl_sc_plan_facts p = {status, owner, gov, labs, nlabs, "zz.planner"};

	return p;
}

static void test_visible(void **state)
{
	static const char *const labs[] = {LAB};
	const struct zl_sc_caller zz_planner = {ZZ, 1, 1, "zz.planner"};
	const struct zl_sc_caller zz_reader = {ZZ, 0, 0, "zz.inspector"};
	const struct zl_sc_caller zy_reader = {ZY, 0, 0, "zy.inspector"};
	const struct zl_sc_caller ly_planner = {LY, 1, 1, "ly.planner"};
	const struct zl_sc_caller zj_approver = {ZJ, 1, 1, "zj.officer"};
	const struct zl_sc_caller zj_reader = {ZJ, 0, 0, "zj.analyst"};
	const struct zl_sc_caller lab = {LAB, 0, 0, "lab"};
	const struct zl_sc_caller prov = {PROV, 1, 1, "admin"};

	(void)state;
	for (int s = 0; s < ZL_SC_STATUSES; s++) {
		struct zl_sc_plan_facts zz = facts(s, ZZ, ZZ, labs, 1);
		struct zl_sc_plan_facts pv = facts(s, ZJ, PROV, NULL, 0);
		int approved = s >= ZL_SC_APPROVED;

		/* 郑州's plan: its planners always; 洛阳 never, draft or not. */
		assert_true(zl_sc_visible(&zz_planner, &zz));
		assert_false(zl_sc_visible(&ly_planner, &zz));
		/* Readers of 郑州 and its district once approved. */
		assert_int_equal(zl_sc_visible(&zz_reader, &zz), approved);
		assert_int_equal(zl_sc_visible(&zy_reader, &zz), approved);
		/* The province: the root reaches it; the bureau from submission (the queue). */
		assert_true(zl_sc_visible(&prov, &zz));
		assert_int_equal(zl_sc_visible(&zj_approver, &zz), s >= ZL_SC_SUBMITTED);
		assert_false(zl_sc_visible(&zj_reader, &zz));
		/* Its laboratory once approved. */
		assert_int_equal(zl_sc_visible(&lab, &zz), approved);
		/* The provincial plan (by the bureau): everyone in Henan once approved. */
		assert_true(zl_sc_visible(&zj_approver, &pv));
		assert_int_equal(zl_sc_visible(&zz_planner, &pv), approved);
		assert_int_equal(zl_sc_visible(&zy_reader, &pv), approved);
		assert_int_equal(zl_sc_visible(&zj_reader, &pv), approved);
	}
	/* A district's approved plan is not 郑州-wide news for 洛阳 or the bureau's readers. */
	{
		struct zl_sc_plan_facts zy = facts(ZL_SC_APPROVED, ZY, ZY, NULL, 0);
		const struct zl_sc_caller zz_lab = {ZZ_LAB, 0, 0, "lab"};

		assert_true(zl_sc_visible(&zz_reader, &zy));
		assert_false(zl_sc_visible(&zz_lab, &zy));
		assert_false(zl_sc_visible(&ly_planner, &zy));
		assert_false(zl_sc_visible(&zj_reader, &zy));
	}
}

static void test_may(void **state)
{
	const struct zl_sc_caller zz_planner = {ZZ, 1, 1, "zz.planner"};
	const struct zl_sc_caller zz_other = {ZZ, 1, 1, "zz.other"};
	const struct zl_sc_caller zz_reader = {ZZ, 0, 0, "zz.inspector"};
	const struct zl_sc_caller zy_planner = {ZY, 1, 1, "zy.planner"};
	const struct zl_sc_caller zj_approver = {ZJ, 1, 1, "zj.officer"};
	const struct zl_sc_caller zj_reader = {ZJ, 1, 0, "zj.planner"};
	const struct zl_sc_caller prov = {PROV, 1, 1, "admin"};
	struct zl_sc_plan_facts p = facts(ZL_SC_DRAFT, ZZ, ZZ, NULL, 0);
	struct zl_error err = ZL_ERROR_INIT;

	(void)state;
	/* Change and submit a draft: 郑州's planners, the root; not a district, not a reader. */
	assert_int_equal(zl_sc_may(&zz_planner, &p, -1, &err), ZL_OK);
	assert_int_equal(zl_sc_may(&prov, &p, ZL_SC_SUBMIT, &err), ZL_OK);
	assert_int_equal(zl_sc_may(&zy_planner, &p, -1, &err), ZL_EFORBIDDEN);
	assert_int_equal(zl_sc_may(&zz_reader, &p, ZL_SC_SUBMIT, &err), ZL_EFORBIDDEN);
	assert_int_equal(zl_sc_may(&zj_approver, &p, -1, &err), ZL_EFORBIDDEN);
	/* Not approved while a draft (the status), and never by 郑州 (the level) first. */
	assert_int_equal(zl_sc_may(&zj_approver, &p, ZL_SC_APPROVE, &err), ZL_ECONFLICT);
	assert_int_equal(zl_sc_may(&zz_planner, &p, ZL_SC_APPROVE, &err), ZL_EFORBIDDEN);
	assert_non_null(strstr(err.message, "provincial"));
	/* Submitted: no more changes; approved at provincial level by someone else. */
	p.status = ZL_SC_SUBMITTED;
	assert_int_equal(zl_sc_may(&zz_planner, &p, -1, &err), ZL_ECONFLICT);
	assert_int_equal(zl_sc_may(&zj_approver, &p, ZL_SC_APPROVE, &err), ZL_OK);
	assert_int_equal(zl_sc_may(&zj_approver, &p, ZL_SC_RETURN, &err), ZL_OK);
	assert_int_equal(zl_sc_may(&zj_reader, &p, ZL_SC_APPROVE, &err), ZL_EFORBIDDEN);
	assert_int_equal(zl_sc_may(&zz_other, &p, ZL_SC_APPROVE, &err), ZL_EFORBIDDEN);
	/* The province's own plan is not approved by its submitter. */
	{
		struct zl_sc_plan_facts pv = facts(ZL_SC_SUBMITTED, ZJ, PROV, NULL, 0);

		pv.submitted_by = "zj.officer";
		assert_int_equal(zl_sc_may(&zj_approver, &pv, ZL_SC_APPROVE, &err), ZL_EFORBIDDEN);
		assert_non_null(strstr(err.message, "other than"));
		assert_int_equal(zl_sc_may(&prov, &pv, ZL_SC_APPROVE, &err), ZL_OK);
	}
	/* Approved: started by its planners, then finished. */
	p.status = ZL_SC_APPROVED;
	assert_int_equal(zl_sc_may(&zz_other, &p, ZL_SC_START, &err), ZL_OK);
	assert_int_equal(zl_sc_may(&zz_other, &p, ZL_SC_FINISH, &err), ZL_ECONFLICT);
	assert_int_equal(zl_sc_may(&zj_approver, &p, ZL_SC_START, &err), ZL_EFORBIDDEN);
	p.status = ZL_SC_IN_PROGRESS;
	assert_int_equal(zl_sc_may(&zz_other, &p, ZL_SC_FINISH, &err), ZL_OK);
	assert_int_equal(zl_sc_may(&zz_other, &p, ZL_SC_SUBMIT, &err), ZL_ECONFLICT);
}

/* ---- the plan as written
 * ------------------------------------------------------------------------- */

static const char *const labs2[] = {"410000-L001", "410000-L002"};
static const struct zl_sc_quota_in q_cement[] = {{"410100", 10}, {"410300", 8}};
static const struct zl_sc_quota_in q_cable[] = {{"410100", 5}};
static const struct zl_sc_product_in products[] = {
	{"0401", "410000-L001", q_cement, 2},
	{"0801", NULL, q_cable, 1},
};
static const struct zl_sc_place_in places[] = {
	{"production", 60, 0}, {"circulation", 30, 0}, {"ecommerce", 10, 0}};

static struct zl_sc_plan_in good_plan(void)
{
	struct zl_sc_plan_in in = {0};

	in.title = "2014年河南省产品质量监督抽查计划";
	in.year = 2014;
	in.kind = "yearly";
	in.org = "410000-D006";
	in.budget_fen = 380000000;
	in.start = "2014-03-01";
	in.end = "2014-11-30";
	in.labs = labs2;
	in.nlabs = 2;
	in.places = places;
	in.nplaces = 3;
	in.products = products;
	in.nproducts = 2;
	return in;
}

#define REFUSED(in, want_field)                                                                    \
	do {                                                                                       \
		struct zl_error e_ = ZL_ERROR_INIT;                                                \
		assert_int_equal(zl_sc_plan_in_check(&(in), &e_), ZL_EUNPROC);                     \
		assert_string_equal(e_.field, want_field);                                         \
	} while (0)

static void test_plan_check(void **state)
{
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_sc_plan_in in = good_plan();

	(void)state;
	assert_int_equal(zl_sc_plan_in_check(&in, &err), ZL_OK);
	assert_int_equal(zl_sc_plan_in_batches(&in), 23);
	in.title = "";
	REFUSED(in, "title");
	in = good_plan();
	in.year = 1900;
	REFUSED(in, "year");
	in = good_plan();
	in.kind = "monthly";
	REFUSED(in, "kind");
	in = good_plan();
	in.org = NULL;
	REFUSED(in, "org");
	in = good_plan();
	in.end = "2014-02-28";
	REFUSED(in, "end");
	in = good_plan();
	in.start = "2014-02-30";
	REFUSED(in, "start");
	in = good_plan();
	in.budget_fen = -1;
	REFUSED(in, "budget_fen");
	in = good_plan();
	in.nlabs = 1; /* the cement product names 410000-L001: still one of them */
	assert_int_equal(zl_sc_plan_in_check(&in, &err), ZL_OK);
	in.labs = labs2 + 1; /* only L002 now */
	REFUSED(in, "products[0].lab");
	in = good_plan();
	in.nproducts = 0;
	REFUSED(in, "products");
}

static void test_plan_check_products(void **state)
{
	struct zl_sc_plan_in in = good_plan();
	struct zl_sc_product_in p[2];
	struct zl_sc_quota_in q[2];
	struct zl_sc_place_in pl[3];

	(void)state;
	memcpy(p, products, sizeof(p));
	in.products = p;
	p[1].code = "0401";
	REFUSED(in, "products[1].code");
	p[1].code = "04.1";
	REFUSED(in, "products[1].code");
	memcpy(p, products, sizeof(p));
	p[1].nquotas = 0;
	REFUSED(in, "products[1].quotas");
	/* Quotas: positive whole numbers of six-digit regions, each once. */
	memcpy(p, products, sizeof(p));
	memcpy(q, q_cement, sizeof(q));
	p[0].quotas = q;
	q[1].batches = 0;
	REFUSED(in, "products[0].quotas.410300");
	q[1].batches = -3;
	REFUSED(in, "products[0].quotas.410300");
	q[1].batches = 8;
	q[1].region = "410100";
	REFUSED(in, "products[0].quotas.410100");
	q[1].region = "4103";
	REFUSED(in, "products[0].quotas.4103");
	/* Places: all shares summing to 100, or all batches summing to the quotas. */
	memcpy(p, products, sizeof(p));
	memcpy(pl, places, sizeof(pl));
	in.places = pl;
	pl[2].share = 20;
	REFUSED(in, "places");
	pl[2].share = 0;
	REFUSED(in, "places[2].share");
	pl[2].batches = 10;
	REFUSED(in, "places[2]");
	pl[0] = (struct zl_sc_place_in){"production", 0, 13};
	pl[1] = (struct zl_sc_place_in){"circulation", 0, 5};
	pl[2] = (struct zl_sc_place_in){"ecommerce", 0, 5};
	assert_int_equal(zl_sc_plan_in_check(&in, &(struct zl_error)ZL_ERROR_INIT), ZL_OK);
	pl[2].batches = 6;
	REFUSED(in, "places");
	pl[2] = (struct zl_sc_place_in){"production", 0, 5};
	REFUSED(in, "places[2].type");
	pl[2] = (struct zl_sc_place_in){"market", 0, 5};
	REFUSED(in, "places[2].type");
	in.nplaces = 0;
	REFUSED(in, "places");
	/* The matrix, when given, complete and positive. */
	in = good_plan();
	in.has_freq = 1;
	zl_sc_freq_default(&in.freq);
	assert_int_equal(zl_sc_plan_in_check(&in, &(struct zl_error)ZL_ERROR_INIT), ZL_OK);
	in.freq.w[ZL_SC_A][2] = 0;
	REFUSED(in, "frequency.A.III");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_default_matrix),
		cmocka_unit_test(test_matrix_check),
		cmocka_unit_test(test_transitions),
		cmocka_unit_test(test_visible),
		cmocka_unit_test(test_may),
		cmocka_unit_test(test_plan_check),
		cmocka_unit_test(test_plan_check_products),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
