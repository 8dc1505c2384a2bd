/*
 * test_inspection_access.c - who sees a spot-check inspection and in which
 * role of the lifecycle it acts, and who draws for a plan
 * (domain/inspection_access.h), on a slice of the Henan tree: the
 * province's quality bureau owning the plan, 郑州 with 中原区, 洛阳, the
 * provincial laboratory and a city laboratory.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "domain/inspection.h"
#include "domain/inspection_access.h"

#define PROV "/410000/"
#define ZJ "/410000/410000-D006/"
#define LAB "/410000/410000-D006/410000-L001/"
#define LAB2 "/410000/410000-D006/410000-L002/"
#define ZZ "/410000/410100/"
#define ZY "/410000/410100/410102/"
#define LY "/410000/410300/"
#define USCC_A "91410100MA0000001X"
#define USCC_B "91410300MA0000002Y"

static const char *const assigned[] = {"zz.insp1", "zj.insp2"};

/* An inspection of the bureau's plan, drawn for 郑州's quota. */
static struct zl_insp_facts zz_case(void)
{
	struct zl_insp_facts f = {ZJ, ZZ, LAB, USCC_A, assigned, 2};

	return f;
}

static struct zl_insp_caller caller(enum zl_role role, const char *path, const char *org,
				    const char *user, int planner)
{
	struct zl_insp_caller c = {role, path, org, user, planner};

	return c;
}

static void test_staff(void **state)
{
	struct zl_insp_facts f = zz_case();
	struct zl_insp_caller c;
	unsigned roles = 99;

	(void)state;
	/* The bureau owning the plan: sees and acts as the authority. */
	c = caller(ZL_ROLE_OFFICER, ZJ, "410000-D006", "zj.officer", 1);
	assert_true(zl_insp_access(&c, &f, &roles));
	assert_int_equal(roles, ZL_INSP_BY_OFFICER);
	/* 郑州, whose region it is, and 中原区 does not reach the city. */
	c = caller(ZL_ROLE_OFFICER, ZZ, "410100", "zz.officer", 1);
	assert_true(zl_insp_access(&c, &f, &roles));
	assert_int_equal(roles, ZL_INSP_BY_OFFICER);
	c = caller(ZL_ROLE_OFFICER, ZY, "410102", "zy.officer", 1);
	assert_false(zl_insp_access(&c, &f, &roles));
	assert_int_equal(roles, 0);
	/* 洛阳 never. */
	c = caller(ZL_ROLE_OFFICER, LY, "410300", "ly.officer", 1);
	assert_false(zl_insp_access(&c, &f, NULL));
	/* The province reaches everything; an analyst reads without a role. */
	c = caller(ZL_ROLE_ADMIN, PROV, "410000", "admin", 1);
	assert_true(zl_insp_access(&c, &f, &roles));
	assert_int_equal(roles, ZL_INSP_BY_OFFICER);
	c = caller(ZL_ROLE_ANALYST, ZZ, "410100", "zz.analyst", 0);
	assert_true(zl_insp_access(&c, &f, &roles));
	assert_int_equal(roles, 0);
	/* A token is staff too. */
	c = caller(ZL_ROLE_NONE, LY, "410300", "token:7", 1);
	assert_false(zl_insp_access(&c, &f, &roles));
}

static void test_inspector(void **state)
{
	struct zl_insp_facts f = zz_case();
	struct zl_insp_caller c;
	unsigned roles = 0;

	(void)state;
	c = caller(ZL_ROLE_INSPECTOR, ZZ, "410100", "zz.insp1", 0);
	assert_true(zl_insp_access(&c, &f, &roles));
	assert_int_equal(roles, ZL_INSP_BY_INSPECTOR);
	/* Another inspector of the same city: not assigned, not seen. */
	c = caller(ZL_ROLE_INSPECTOR, ZZ, "410100", "zz.insp3", 0);
	assert_false(zl_insp_access(&c, &f, &roles));
	assert_int_equal(roles, 0);
	/* A prefix of a name is not the name. */
	c = caller(ZL_ROLE_INSPECTOR, ZZ, "410100", "zz.insp", 0);
	assert_false(zl_insp_access(&c, &f, NULL));
	f.ninspectors = 0;
	c = caller(ZL_ROLE_INSPECTOR, ZZ, "410100", "zz.insp1", 0);
	assert_false(zl_insp_access(&c, &f, NULL));
}

static void test_lab(void **state)
{
	struct zl_insp_facts f = zz_case();
	struct zl_insp_caller c;
	unsigned roles = 0;

	(void)state;
	c = caller(ZL_ROLE_LAB, LAB, "410000-L001", "lab.user", 0);
	assert_true(zl_insp_access(&c, &f, &roles));
	assert_int_equal(roles, ZL_INSP_BY_LAB);
	/* Another laboratory's account, and a lab account of the bureau above it. */
	c = caller(ZL_ROLE_LAB, LAB2, "410000-L002", "lab2.user", 0);
	assert_false(zl_insp_access(&c, &f, NULL));
	c = caller(ZL_ROLE_LAB, ZJ, "410000-D006", "odd.lab", 0);
	assert_false(zl_insp_access(&c, &f, NULL));
	/* No laboratory named: nobody of role lab. */
	f.lab_path = "";
	c = caller(ZL_ROLE_LAB, LAB, "410000-L001", "lab.user", 0);
	assert_false(zl_insp_access(&c, &f, NULL));
}

static void test_enterprise(void **state)
{
	struct zl_insp_facts f = zz_case();
	struct zl_insp_caller c;
	unsigned roles = 0;

	(void)state;
	c = caller(ZL_ROLE_ENTERPRISE, ZY "" USCC_A "/", USCC_A, "ent.a", 0);
	assert_true(zl_insp_access(&c, &f, &roles));
	assert_int_equal(roles, ZL_INSP_BY_ENTERPRISE);
	c = caller(ZL_ROLE_ENTERPRISE, "/410000/410300/" USCC_B "/", USCC_B, "ent.b", 0);
	assert_false(zl_insp_access(&c, &f, NULL));
	/* Its place in the tree gives it nothing: an enterprise account held in a
	 * government organization sees no inspection. */
	c = caller(ZL_ROLE_ENTERPRISE, PROV, "410000", "odd.ent", 0);
	assert_false(zl_insp_access(&c, &f, NULL));
}

static void test_caller_of(void **state)
{
	struct zl_principal p;
	struct zl_insp_caller c;

	(void)state;
	memset(&p, 0, sizeof(p));
	p.kind = ZL_PRINCIPAL_TOKEN;
	p.role = ZL_ROLE_INSPECTOR; /* never set for tokens; a token is staff anyway */
	p.perms = ZL_PERMBIT(ZL_PERM_SPOTCHECK_PLAN);
	zl_insp_caller_of(&p, &c);
	assert_int_equal(c.role, ZL_ROLE_NONE);
	assert_true(c.planner);
	p.kind = ZL_PRINCIPAL_USER;
	p.perms = 0;
	zl_insp_caller_of(&p, &c);
	assert_int_equal(c.role, ZL_ROLE_INSPECTOR);
	assert_false(c.planner);
}

static void test_draw(void **state)
{
	const char *const zz[] = {ZZ};
	const char *const both[] = {ZZ, LY};

	(void)state;
	/* The plan's organization draws anywhere in its quotas. */
	assert_true(zl_insp_draw_may(ZJ, ZJ, both, 2));
	assert_true(zl_insp_draw_may(PROV, ZJ, both, 2));
	/* A city draws its own region, not another's, and not "everything". */
	assert_true(zl_insp_draw_may(ZZ, ZJ, zz, 1));
	assert_false(zl_insp_draw_may(ZZ, ZJ, both, 2));
	assert_false(zl_insp_draw_may(ZZ, ZJ, NULL, 0));
	assert_true(zl_insp_draw_region(ZZ, ZJ, ZZ));
	assert_false(zl_insp_draw_region(ZZ, ZJ, LY));
	assert_false(zl_insp_draw_region(LY, ZJ, ZY));
	assert_false(zl_insp_draw_region("", ZJ, ZZ));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_staff),	   cmocka_unit_test(test_inspector),
		cmocka_unit_test(test_lab),	   cmocka_unit_test(test_enterprise),
		cmocka_unit_test(test_caller_of), cmocka_unit_test(test_draw),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
