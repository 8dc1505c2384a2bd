/*
 * test_plan_access.c - the plan ledger's relation rules (domain/plan_access.h)
 * on a slice of the Henan tree: the province, 郑州 with 中原区, 洛阳, the
 * quality bureau (省质监局) with its laboratory, and the education department.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "domain/plan_access.h"

#define PROV "/410000/"
#define ZZ "/410000/410100/"
#define ZY "/410000/410100/410102/"
#define LY "/410000/410300/"
#define ZJ "/410000/410000-D006/"
#define LAB "/410000/410000-D006/410000-L001/"
#define JY "/410000/410000-D003/"
#define ZZ_BUREAU "/410000/410100/410100-D001/"

static void test_visible(void **state)
{
	(void)state;
	/* The provincial plan: the province, a city, a department, a district. */
	assert_true(zl_plan_visible(PROV, PROV, 0));
	assert_true(zl_plan_visible(ZZ, PROV, 0));
	assert_true(zl_plan_visible(ZJ, PROV, 0));
	assert_true(zl_plan_visible(ZY, PROV, 0));
	/* 郑州's plan: the province above, 中原区 below; never 洛阳, nor a
	 * provincial department beside the chain. */
	assert_true(zl_plan_visible(PROV, ZZ, 0));
	assert_true(zl_plan_visible(ZY, ZZ, 0));
	assert_false(zl_plan_visible(LY, ZZ, 0));
	assert_false(zl_plan_visible(ZJ, ZZ, 0));
	/* Boundaries and emptiness. */
	assert_false(zl_plan_visible("/410000/4101/", "/410000/41010/", 0));
	assert_false(zl_plan_visible("", PROV, 0));
	assert_false(zl_plan_visible(NULL, PROV, 0));
	assert_false(zl_plan_visible(PROV, "", 0));
	/* Named in a plan: 省质监局 in 郑州's, 洛阳 in 郑州's. */
	assert_true(zl_plan_visible(ZJ, ZZ, 1));
	assert_true(zl_plan_visible(LY, ZZ, 1));
	assert_false(zl_plan_visible("", ZZ, 1));
}

static void test_edit(void **state)
{
	struct zl_plan_access_owner owners[] = {{ZJ, 1}, {JY, 0}, {NULL, 0}};

	(void)state;
	assert_true(zl_plan_editable(PROV, PROV));
	assert_false(zl_plan_editable(ZZ, PROV)); /* a city reads, never edits, the province's */
	assert_true(zl_plan_editable(PROV, ZZ));
	assert_false(zl_plan_editable(ZY, ZZ));
	assert_int_equal(zl_plan_task_edit(PROV, PROV, owners, 3), ZL_PLAN_EDIT_ALL);
	assert_int_equal(zl_plan_task_edit(ZJ, PROV, owners, 3), ZL_PLAN_EDIT_REFINE);
	assert_int_equal(zl_plan_task_edit(JY, PROV, owners, 3), ZL_PLAN_EDIT_NONE);
	assert_int_equal(zl_plan_task_edit(LAB, PROV, owners, 3), ZL_PLAN_EDIT_NONE);
	assert_int_equal(zl_plan_task_edit(ZZ, PROV, owners, 3), ZL_PLAN_EDIT_NONE);
}

static void test_reports(void **state)
{
	struct zl_plan_access_owner owners[] = {{ZJ, 1}, {JY, 0}};
	struct zl_plan_access_owner none[] = {{NULL, 0}, {"", 1}};

	(void)state;
	assert_true(zl_plan_reports_visible(PROV, PROV, owners, 2));
	assert_true(zl_plan_reports_visible(ZJ, PROV, owners, 2));
	assert_true(zl_plan_reports_visible(JY, PROV, owners, 2));
	assert_false(zl_plan_reports_visible(ZZ, PROV, owners, 2)); /* sees the plan, not these */
	assert_false(zl_plan_reports_visible(LAB, PROV, owners, 2));
	assert_true(zl_plan_reports_visible(PROV, ZZ, NULL, 0));
	assert_false(zl_plan_reports_visible(LY, ZZ, NULL, 0));

	/* Who reports for whom. */
	assert_int_equal(zl_plan_report_owner(ZJ, PROV, owners, 2, NULL), 0);
	assert_int_equal(zl_plan_report_owner(JY, PROV, owners, 2, NULL), 1);
	assert_int_equal(zl_plan_report_owner(ZZ, PROV, owners, 2, NULL), -1);
	assert_int_equal(zl_plan_report_owner(LAB, PROV, owners, 2, NULL), -1);
	/* The province reaches both; it names one, or gets the first. */
	assert_int_equal(zl_plan_report_owner(PROV, PROV, owners, 2, NULL), 0);
	assert_int_equal(zl_plan_report_owner(PROV, PROV, owners, 2, JY), 1);
	assert_int_equal(zl_plan_report_owner(ZJ, PROV, owners, 2, JY), -1);
	/* The plan's organization only answers for a task nobody is named for. */
	assert_int_equal(zl_plan_report_owner(PROV, PROV, owners, 2, PROV), -1);
	assert_int_equal(zl_plan_report_owner(PROV, PROV, none, 2, NULL), 2);
	assert_int_equal(zl_plan_report_owner(PROV, PROV, none, 2, PROV), 2);
	assert_int_equal(zl_plan_report_owner(ZJ, PROV, none, 2, NULL), -1);

	/* Confirmation: the lead or the plan's organization. */
	assert_true(zl_plan_may_confirm(ZJ, PROV, owners, 2));
	assert_true(zl_plan_may_confirm(PROV, PROV, owners, 2));
	assert_false(zl_plan_may_confirm(JY, PROV, owners, 2));
	assert_false(zl_plan_may_confirm(ZZ, PROV, owners, 2));
}

static void test_admissible(void **state)
{
	(void)state;
	/* In the provincial plan: everything in the province. */
	assert_true(zl_plan_org_admissible(ZJ, PROV));
	assert_true(zl_plan_org_admissible(ZZ_BUREAU, PROV));
	/* In 郑州's plan: its districts and bureaus, the province and its
	 * departments; not 洛阳's, nor a provincial department's laboratory. */
	assert_true(zl_plan_org_admissible(ZY, ZZ));
	assert_true(zl_plan_org_admissible(ZZ_BUREAU, ZZ));
	assert_true(zl_plan_org_admissible(PROV, ZZ));
	assert_true(zl_plan_org_admissible(ZJ, ZZ));
	assert_true(zl_plan_org_admissible(LY, ZZ)); /* another city itself, by name */
	assert_false(zl_plan_org_admissible("/410000/410300/410300-D001/", ZZ));
	assert_false(zl_plan_org_admissible("/410000/410300/410302/", ZZ));
	assert_false(zl_plan_org_admissible(LAB, ZZ));
	assert_false(zl_plan_org_admissible("", ZZ));
	assert_false(zl_plan_org_admissible(ZJ, NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_visible),
		cmocka_unit_test(test_edit),
		cmocka_unit_test(test_reports),
		cmocka_unit_test(test_admissible),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
