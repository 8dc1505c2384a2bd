/*
 * test_orgs.c - the organization tree's reference data (codes/orgs.h): government rows
 * derived from the GB/T 2260 table with the dated 省直管 parents, the invariants of
 * orgs_henan.def, and the code rules of docs/orgs.md.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "codes/orgs.h"
#include "codes/region.h"

static struct zl_org_gov *rows(size_t *n)
{
	size_t max = zl_org_gov_max();
	struct zl_org_gov *v = calloc(max, sizeof(*v));

	assert_non_null(v);
	assert_int_equal(zl_org_gov_rows(v, max, n), 0);
	return v;
}

static int in_force(const struct zl_org_gov *g, int date)
{
	return g->valid_from <= date && (g->valid_to == 0 || date < g->valid_to);
}

static const struct zl_org_gov *find(const struct zl_org_gov *v, size_t n, const char *code,
				     int date)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i].code, code) == 0 && in_force(&v[i], date))
			return &v[i];
	return NULL;
}

static void test_government_rows(void **state)
{
	size_t n = 0, cities = 0, direct = 0;
	struct zl_org_gov *v = rows(&n);
	const struct zl_org_gov *g;

	(void)state;
	/* One province, 18 cities in 2014 (17 + 济源), no row for the 419000 grouping. */
	for (size_t i = 0; i < n; i++) {
		assert_string_not_equal(v[i].code, "419000");
		if (!in_force(&v[i], 20140718))
			continue;
		cities += strcmp(v[i].kind, "city") == 0;
		direct += v[i].direct;
		if (strcmp(v[i].kind, "city") == 0)
			assert_string_equal(v[i].parent, "410000");
	}
	assert_int_equal(cities, 18);
	assert_int_equal(direct, 10);
	g = find(v, n, "410000", 20140718);
	assert_non_null(g);
	assert_string_equal(g->kind, "province");
	assert_string_equal(g->name, "河南省人民政府");
	assert_string_equal(g->parent, "");
	g = find(v, n, "419001", 20140718);
	assert_string_equal(g->kind, "city");
	assert_string_equal(g->name, "济源市人民政府");
	/* 兰考: under 开封 until 2013-12-31, under the province from 2014-01-01; same region. */
	g = find(v, n, "410225", 20131231);
	assert_string_equal(g->parent, "410200");
	assert_int_equal(g->valid_to, 20140101);
	assert_int_equal(g->direct, 0);
	g = find(v, n, "410225", 20140101);
	assert_string_equal(g->parent, "410000");
	assert_string_equal(g->region, "410225");
	assert_int_equal(g->valid_from, 20140101);
	assert_int_equal(g->direct, 1);
	assert_string_equal(g->name, "兰考县人民政府");
	/* 长垣: county code until 2019, city code after; both under the province. */
	assert_string_equal(find(v, n, "410728", 20180101)->parent, "410000");
	assert_null(find(v, n, "410728", 20200101));
	assert_string_equal(find(v, n, "410783", 20200101)->parent, "410000");
	/* Districts carry their city's name; ordinary counties stay under their city. */
	assert_string_equal(find(v, n, "410102", 20140718)->name, "郑州市中原区人民政府");
	assert_string_equal(find(v, n, "410221", 20140718)->parent, "410200");
	free(v);
}

static void test_definitions(void **state)
{
	size_t n = zl_org_def_count(), depts = 0;

	(void)state;
	assert_null(zl_org_def_at(n));
	for (size_t i = 0; i < n; i++) {
		const struct zl_org_def *d = zl_org_def_at(i);
		const char *why = NULL;
		int parent_ok = strcmp(d->parent, "410000") == 0;
		if (zl_org_code_check(d->kind, d->code, &why) != 0)
			fail_msg("%s: %s", d->code, why);
		assert_true(strlen(d->name) > 0 && strlen(d->aliases) > 0 && strlen(d->note) > 0);
		assert_true(d->valid_from >= 20140101);
		depts += strcmp(d->kind, "department") == 0;
		for (size_t j = 0; j < n; j++) {
			if (j != i)
				assert_string_not_equal(d->code, zl_org_def_at(j)->code);
			if (strcmp(d->parent, zl_org_def_at(j)->code) == 0)
				parent_ok = 1;
		}
		assert_true(parent_ok);
	}
	assert_int_equal(depts, 24);
}

static void test_code_rules(void **state)
{
	const char *why = NULL;

	(void)state;
	assert_int_equal(zl_org_code_check("county", "410225", &why), 0);
	assert_null(why);
	assert_int_equal(zl_org_code_check("city", "410225", &why), -1);
	assert_non_null(why);
	assert_int_equal(zl_org_code_check("province", "410100", NULL), -1);
	assert_int_equal(zl_org_code_check("county", "4102250", NULL), -1);
	assert_int_equal(zl_org_code_check("lab", "410000-L001", NULL), 0);
	assert_int_equal(zl_org_code_check("lab", "410000_L001", NULL), -1);
	assert_int_equal(zl_org_code_check("group", "410000-G00a", NULL), -1);
	assert_int_equal(zl_org_code_check("other", "410000-O001", NULL), 0);
	assert_int_equal(zl_org_code_check("enterprise", "91520000214434146R", NULL), 0);
	assert_int_equal(zl_org_code_check("enterprise", "410000-D001", NULL), -1);
	assert_int_equal(zl_org_code_check(NULL, "410000", NULL), -1);
	assert_int_equal(zl_org_code_check("department", NULL, NULL), -1);
	assert_true(zl_org_kind_is_government("county"));
	assert_false(zl_org_kind_is_government("department"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_government_rows),
		cmocka_unit_test(test_definitions),
		cmocka_unit_test(test_code_rules),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
