/*
 * test_announcement.c - the completeness rule of result announcements
 * (domain/announcement.h): which field a failure or a pass lacks, blanks
 * counting as missing.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "domain/announcement.h"

static void test_fail(void **state)
{
	struct zl_ann_facts f = {"91410100MA00000000", "某水泥有限公司", "0401", "B-1", "", "fail", 1};

	(void)state;
	assert_null(zl_ann_incomplete(&f));
	f.batch = "";
	f.production_date = "2014-04-02"; /* a production date stands for the batch */
	assert_null(zl_ann_incomplete(&f));
	f.production_date = "  ";
	assert_string_equal(zl_ann_incomplete(&f), "batch");
	f.batch = "B-1";
	f.failing_items = 0;
	assert_string_equal(zl_ann_incomplete(&f), "failing_items");
	f.failing_items = 2;
	f.product = NULL;
	assert_string_equal(zl_ann_incomplete(&f), "product");
	f.product = "0401";
	f.enterprise_name = "\t";
	assert_string_equal(zl_ann_incomplete(&f), "enterprise_name");
	f.uscc = "";
	assert_string_equal(zl_ann_incomplete(&f), "uscc");
}

static void test_pass_and_result(void **state)
{
	struct zl_ann_facts f = {"", "某水泥有限公司", "0401", "", "", "pass", 0};

	(void)state;
	/* A pass needs no batch, item or credit code (an imported table may lack it). */
	assert_null(zl_ann_incomplete(&f));
	f.result = "";
	assert_string_equal(zl_ann_incomplete(&f), "result");
	f.result = "maybe";
	assert_string_equal(zl_ann_incomplete(&f), "result");
	f.result = NULL;
	assert_string_equal(zl_ann_incomplete(&f), "result");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fail),
		cmocka_unit_test(test_pass_and_result),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
