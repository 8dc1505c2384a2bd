/*
 * test_industry.c - GB/T 4754-2017 sections and divisions (DOMAIN.md section 9).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "codes/industry.h"

static void test_shape(void **state)
{
	int next = 1;

	(void)state;
	assert_string_equal(zl_industry_edition(), "GB/T 4754-2017");
	assert_int_equal(zl_industry_division_count(), 97);
	assert_int_equal(zl_industry_section_count(), 20);
	/* Sections A-T cover 01-97 contiguously, and each division lies in its section. */
	for (size_t i = 0; i < zl_industry_section_count(); i++) {
		const struct zl_industry_section *s = zl_industry_section_at(i);

		assert_int_equal(s->letter, 'A' + (int)i);
		assert_int_equal(s->first, next);
		assert_true(s->last >= s->first);
		next = s->last + 1;
		for (int d = s->first; d <= s->last; d++)
			assert_int_equal(zl_industry_division_at((size_t)d - 1)->section,
					 s->letter);
	}
	assert_int_equal(next, 98);
	for (size_t i = 0; i < zl_industry_division_count(); i++) {
		const struct zl_industry_division *d = zl_industry_division_at(i);
		char code[3] = {(char)('0' + (i + 1) / 10), (char)('0' + (i + 1) % 10), 0};

		assert_string_equal(d->code, code);
		assert_ptr_equal(zl_industry_find(code), d);
		assert_true(strlen(d->name) > 0);
	}
	assert_null(zl_industry_division_at(97));
	assert_null(zl_industry_section_at(20));
}

static void test_names(void **state)
{
	static const struct {
		const char *code;
		const char *name;
	} cases[] = {
		{"01", "农业"},
		{"05", "农、林、牧、渔专业及辅助性活动"},
		{"11", "开采专业及辅助性活动"},
		{"13", "农副食品加工业"},
		{"25", "石油、煤炭及其他燃料加工业"},
		{"36", "汽车制造业"},
		{"37", "铁路、船舶、航空航天和其他运输设备制造业"},
		{"43", "金属制品、机械和设备修理业"},
		{"58", "多式联运和运输代理业"},
		{"79", "土地管理业"},
		{"96", "基层群众自治组织及其他组织"},
		{"97", "国际组织"},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_string_equal(zl_industry_find(cases[i].code)->name, cases[i].name);
	assert_string_equal(zl_industry_section('C')->name, "制造业");
	assert_string_equal(zl_industry_section('D')->name, "电力、热力、燃气及水生产和供应业");
	assert_string_equal(zl_industry_section('S')->name, "公共管理、社会保障和社会组织");
	assert_null(zl_industry_section('U'));
	assert_null(zl_industry_section('c'));
}

static void test_find(void **state)
{
	const struct zl_industry_division *d;

	(void)state;
	d = zl_industry_find("C3611");
	assert_non_null(d);
	assert_string_equal(d->code, "36");
	assert_ptr_equal(zl_industry_find("3611"), d);
	assert_ptr_equal(zl_industry_find("C36"), d);
	assert_ptr_equal(zl_industry_find("C361"), d);
	assert_int_equal(zl_industry_section_of(d)->letter, 'C');
	/* Wrong section letter, malformed or out of range. */
	assert_null(zl_industry_find("A36"));
	assert_null(zl_industry_find("c36"));
	assert_null(zl_industry_find("00"));
	assert_null(zl_industry_find("98"));
	assert_null(zl_industry_find("3"));
	assert_null(zl_industry_find("C"));
	assert_null(zl_industry_find(""));
	assert_null(zl_industry_find(NULL));
	assert_null(zl_industry_find("C36111"));
	assert_null(zl_industry_find("C36a1"));
	assert_null(zl_industry_find(" 36"));
	assert_null(zl_industry_section_of(NULL));
}

static void test_manufacturing(void **state)
{
	int n = 0;

	(void)state;
	for (size_t i = 0; i < zl_industry_division_count(); i++)
		n += zl_industry_is_manufacturing(zl_industry_division_at(i)->code);
	assert_int_equal(n, 31);
	assert_true(zl_industry_is_manufacturing("13"));
	assert_true(zl_industry_is_manufacturing("C43"));
	assert_false(zl_industry_is_manufacturing("12"));
	assert_false(zl_industry_is_manufacturing("44"));
	assert_false(zl_industry_is_manufacturing("bogus"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shape),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_find),
		cmocka_unit_test(test_manufacturing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
