/*
 * test_region.c - the dated GB/T 2260 table of Henan and the 省直管县 flag
 * (DOMAIN.md section 2).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "codes/region.h"

static const char *name_at(const char *code, int date)
{
	const struct zl_region *r = zl_region_find(code, date);

	return r ? r->name : NULL;
}

static void test_city_level_units(void **state)
{
	static const struct {
		int code;
		const char *name;
		int since; /* first year the code is in force (source: yearly lists) */
	} cities[] = {
		{410100, "郑州市", 1980},   {410200, "开封市", 1980},	{410300, "洛阳市", 1980},
		{410400, "平顶山市", 1980}, {410500, "安阳市", 1984},	{410600, "鹤壁市", 1982},
		{410700, "新乡市", 1983},   {410800, "焦作市", 1982},	{410900, "濮阳市", 1983},
		{411000, "许昌市", 1986},   {411100, "漯河市", 1986},	{411200, "三门峡市", 1986},
		{411300, "南阳市", 1994},   {411400, "商丘市", 1997},	{411500, "信阳市", 1998},
		{411600, "周口市", 2000},   {411700, "驻马店市", 2000}, {419001, "济源市", 1997},
	};
	size_t n = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(cities) / sizeof(cities[0]); i++) {
		const struct zl_region *r = zl_region_find_int(cities[i].code, 20140101);

		assert_non_null(r);
		assert_string_equal(r->name, cities[i].name);
		assert_true(zl_region_is_provincial_city(r));
		assert_int_equal(r->valid_from, cities[i].since * 10000 + 101);
		/* Not yet in force the day before (or then a different unit). */
		r = zl_region_find_int(cities[i].code, (cities[i].since - 1) * 10000 + 1231);
		if (r)
			assert_string_not_equal(r->name, cities[i].name);
	}
	/* Exactly 18 city-level units in 2014 (17 prefecture-level cities + 济源). */
	for (size_t i = 0; i < zl_region_count(); i++) {
		const struct zl_region *r = zl_region_at(i);

		if (zl_region_in_force(r, 20140101) && zl_region_is_provincial_city(r))
			n++;
	}
	assert_int_equal(n, 18);
	assert_string_equal(name_at("410000", 20140101), "河南省");
	assert_null(zl_region_find("410000", 19791231));
}

static void test_jiyuan(void **state)
{
	const struct zl_region *r = zl_region_find("419001", 20140101);
	const struct zl_region *p;

	(void)state;
	assert_non_null(r);
	assert_string_equal(r->name, "济源市");
	assert_int_equal(r->level, ZL_REGION_COUNTY);
	p = zl_region_parent(r, 20140101);
	assert_non_null(p);
	assert_int_equal(p->code, 419000);
	p = zl_region_parent(p, 20140101);
	assert_non_null(p);
	assert_int_equal(p->code, 410000);
	assert_null(zl_region_parent(p, 20140101));
	/* 419001 was 义马市 before; 济源 was 410881 under 焦作 in 1995-1996. */
	assert_string_equal(name_at("419001", 19900101), "义马市");
	assert_false(zl_region_is_provincial_city(zl_region_find("419001", 19900101)));
	assert_null(zl_region_find("419001", 19960101));
	assert_string_equal(name_at("410881", 19960101), "济源市");
	assert_null(zl_region_find("410881", 20140101));
	assert_string_equal(name_at("411281", 20140101), "义马市");
}

static void test_direct_admin(void **state)
{
	static const char *const counties[] = {"410181", "410225", "410482", "410526", "410728",
					       "411381", "411481", "411525", "411628", "411729"};
	const struct zl_region_direct *d;

	(void)state;
	for (size_t i = 0; i < sizeof(counties) / sizeof(counties[0]); i++) {
		assert_false(zl_region_direct_admin(counties[i], 20131231));
		assert_true(zl_region_direct_admin(counties[i], 20140101));
		assert_true(zl_region_direct_admin(counties[i], 20150601));
		/* A fiscal flag, not a code change: the parent stays the city. */
		assert_int_equal(
			zl_region_parent(zl_region_find(counties[i], 20140101), 20140101)->code,
			zl_region_code_parse(counties[i], 6) / 100 * 100);
	}
	assert_int_equal(zl_region_parent(zl_region_find("410225", 20140101), 20140101)->code,
			 410200);
	/* 长垣: the flag follows the unit across its 2019 code change. */
	assert_false(zl_region_direct_admin("410728", 20190101));
	assert_true(zl_region_direct_admin("410783", 20190101));
	assert_false(zl_region_direct_admin("410783", 20181231));
	/* Departure of 固始/鹿邑/新蔡 unconfirmed: flagged, open-ended, confirmed == 0. */
	d = zl_region_direct_find("411525", 20250101);
	assert_non_null(d);
	assert_int_equal(d->confirmed, 0);
	assert_int_equal(d->valid_to, 0);
	d = zl_region_direct_find("410225", 20250101);
	assert_non_null(d);
	assert_int_equal(d->confirmed, 1);
	/* Ordinary counties and cities are not flagged. */
	assert_false(zl_region_direct_admin("410122", 20140101));
	assert_false(zl_region_direct_admin("410100", 20140101));
	assert_false(zl_region_direct_admin("419001", 20140101));
	assert_int_equal(zl_region_direct_count(), 11);
}

static void test_code_changes(void **state)
{
	(void)state;
	/* 长垣县 410728 -> 长垣市 410783 (2019). */
	assert_string_equal(name_at("410728", 20181231), "长垣县");
	assert_null(zl_region_find("410728", 20190101));
	assert_string_equal(name_at("410783", 20190101), "长垣市");
	assert_null(zl_region_find("410783", 20181231));
	assert_int_equal(zl_region_parent(zl_region_find("410783", 20200101), 20200101)->code,
			 410700);
	/* 巩县 410124 -> 巩义市 419009 (1991) -> 410181 (1995). */
	assert_string_equal(name_at("410124", 19901231), "巩县");
	assert_null(zl_region_find("410124", 19910101));
	assert_string_equal(name_at("419009", 19920101), "巩义市");
	assert_null(zl_region_find("410181", 19941231));
	assert_string_equal(name_at("410181", 19950101), "巩义市");
	/* 临汝县 410424 -> 汝州市 419002 (1988) -> 410482 (1995). */
	assert_string_equal(name_at("410424", 19870601), "临汝县");
	assert_null(zl_region_find("410424", 19880101));
	assert_string_equal(name_at("419002", 19890101), "汝州市");
	assert_string_equal(name_at("410482", 20140101), "汝州市");
	/* 2014: 开封县 -> 祥符区, 金明区 abolished. */
	assert_string_equal(name_at("410224", 20131231), "开封县");
	assert_null(zl_region_find("410224", 20140101));
	assert_string_equal(name_at("410212", 20140101), "祥符区");
	assert_null(zl_region_find("410211", 20140101));
	/* Renames keep the code: 邙山区 -> 惠济区 (2003). */
	assert_string_equal(name_at("410108", 20021231), "邙山区");
	assert_string_equal(name_at("410108", 20030101), "惠济区");
	/* 2021 洛阳: 偃师市 -> 偃师区, 孟津县 + 吉利区 -> 孟津区. */
	assert_string_equal(name_at("410381", 20201231), "偃师市");
	assert_string_equal(name_at("410307", 20210101), "偃师区");
	assert_null(zl_region_find("410306", 20210101));
	assert_string_equal(name_at("410308", 20210101), "孟津区");
	/* A reused code: 410500 was 鹤壁市 in 1980-1982. */
	assert_string_equal(name_at("410500", 19810101), "鹤壁市");
	assert_null(zl_region_find("410500", 19830101));
	assert_string_equal(name_at("410500", ZL_REGION_LATEST), "安阳市");
	assert_string_equal(name_at("410728", ZL_REGION_LATEST), "长垣县");
}

static void test_subtree(void **state)
{
	(void)state;
	assert_true(zl_region_is_ancestor("410000", "410225", 20140101));
	assert_true(zl_region_is_ancestor("410200", "410225", 20140101));
	assert_false(zl_region_is_ancestor("410100", "410225", 20140101));
	assert_true(zl_region_is_ancestor("410225", "410225", 20140101));
	assert_false(zl_region_is_ancestor("410225", "410200", 20140101));
	assert_true(zl_region_is_ancestor("410000", "419001", 20140101));
	assert_true(zl_region_is_ancestor("419000", "419001", 20140101));
	assert_false(zl_region_is_ancestor("410800", "419001", 20140101));
	assert_true(zl_region_is_ancestor("410700", "410783", 20200101));
	assert_false(zl_region_is_ancestor("410700", "410783", 20140101));
	/* 长垣 belonged to 濮阳 in 1983-1985 (410925). */
	assert_true(zl_region_is_ancestor("410900", "410925", 19850101));
	assert_false(zl_region_is_ancestor("410000", "999999", 20140101));
	assert_false(zl_region_is_ancestor("41000x", "410225", 20140101));
}

static void test_lookup_edges(void **state)
{
	const struct zl_region *r;

	(void)state;
	assert_int_equal(zl_region_code_parse("410100", 6), 410100);
	assert_int_equal(zl_region_code_parse("41010", 5), -1);
	assert_int_equal(zl_region_code_parse("41010a", 6), -1);
	assert_null(zl_region_find("41a100", 20140101));
	assert_null(zl_region_find("110101", 20140101));
	r = zl_region_find_name("郑州市", 20140101);
	assert_non_null(r);
	assert_int_equal(r->code, 410100);
	assert_null(zl_region_find_name("长垣市", 20140101));
	assert_int_equal(zl_region_find_name("长垣市", 20200101)->code, 410783);
	assert_null(zl_region_at(zl_region_count()));
}

/* Every row: sorted, non-overlapping per code, and its parent exists while it does. */
static void test_table_consistency(void **state)
{
	(void)state;
	for (size_t i = 0; i < zl_region_count(); i++) {
		const struct zl_region *r = zl_region_at(i);
		int last = r->valid_to ? r->valid_to - 1 : 20991231;

		assert_true(r->code / 10000 == 41);
		assert_true(r->valid_to == 0 || r->valid_to > r->valid_from);
		if (i) {
			const struct zl_region *q = zl_region_at(i - 1);

			assert_true(q->code < r->code || (q->code == r->code && q->valid_to &&
							  q->valid_to <= r->valid_from));
		}
		/* valid_to - 1 is not a date, but any int in range tests the period. */
		if (r->level != ZL_REGION_PROVINCE) {
			const struct zl_region *p1 = zl_region_parent(r, r->valid_from);
			const struct zl_region *p2 = zl_region_parent(r, last);

			assert_non_null(p1);
			assert_non_null(p2);
			assert_int_equal(p1->level, r->level - 1);
			assert_int_equal(p2->level, r->level - 1);
		}
	}
	assert_true(zl_region_count() > 250);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_city_level_units),  cmocka_unit_test(test_jiyuan),
		cmocka_unit_test(test_direct_admin),	  cmocka_unit_test(test_code_changes),
		cmocka_unit_test(test_subtree),		  cmocka_unit_test(test_lookup_edges),
		cmocka_unit_test(test_table_consistency),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
