/*
 * test_catalogue_seed.c - the seed of Henan's key-product catalogue
 * (codes/catalogue.h, catalogue_henan.def) is consistent: every category
 * passes the domain's check with its standards and items (the same check
 * the API applies), codes are unique, every product's family comes before
 * it, every family has products, every product has test items, and the
 * families the 2014 plan names are there.  A wrong row fails here, not at
 * `init --demo`.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "codes/catalogue.h"
#include "domain/catalogue.h"

#define MAXN 256

static void test_each_category_checks(void **state)
{
	static struct zl_cat_std_in s[MAXN];
	static struct zl_cat_item_in it[MAXN];
	size_t n = zl_cat_seed_count(), ns = zl_cat_seed_std_count(), ni = zl_cat_seed_item_count();

	(void)state;
	assert_true(n >= 30);
	for (size_t i = 0; i < n; i++) {
		const struct zl_cat_seed *c = zl_cat_seed_at(i);
		struct zl_error err = ZL_ERROR_INIT;
		struct zl_cat_in in = {0};
		char buf[256], *ind[ZL_CAT_INDUSTRIES_MAX];
		size_t nind = 0, k = 0, m = 0;

		in.code = c->code;
		in.parent = c->parent;
		in.name = c->name;
		in.risk = c->risk;
		in.key_supervised = c->key_from > 0;
		in.key_from = c->key_from;
		in.key_to = c->key_to;
		in.note = c->note;
		assert_true(strlen(c->industries) < sizeof(buf));
		memcpy(buf, c->industries, strlen(c->industries) + 1);
		for (char *p = buf; *p && nind < ZL_CAT_INDUSTRIES_MAX;) {
			char *bar = strchr(p, '|');

			ind[nind++] = p;
			if (!bar)
				break;
			*bar = '\0';
			p = bar + 1;
		}
		in.industries = (const char *const *)ind;
		in.nindustries = nind;
		for (size_t j = 0; j < ns; j++) {
			const struct zl_cat_seed_std *x = zl_cat_seed_std_at(j);

			if (strcmp(x->code, c->code) == 0)
				s[k++] = (struct zl_cat_std_in){x->number, x->year, x->title};
		}
		for (size_t j = 0; j < ni; j++) {
			const struct zl_cat_seed_item *x = zl_cat_seed_item_at(j);

			if (strcmp(x->code, c->code) != 0)
				continue;
			it[m] = (struct zl_cat_item_in){x->name,
							x->unit,
							x->min[0] != '\0',
							x->max[0] != '\0',
							strtod(x->min, NULL),
							strtod(x->max, NULL),
							x->text,
							x->method,
							x->severity};
			m++;
		}
		in.standards = s;
		in.nstandards = k;
		in.items = it;
		in.nitems = m;
		if (zl_cat_in_check(&in, &err) != ZL_OK)
			fail_msg("category %s: %s: %s", c->code, err.field, err.message);
		/* A product (not a family) has test items to examine. */
		if (c->parent[0])
			assert_true(m > 0);
	}
}

static void test_tree(void **state)
{
	size_t n = zl_cat_seed_count(), families = 0;

	(void)state;
	for (size_t i = 0; i < n; i++) {
		const struct zl_cat_seed *c = zl_cat_seed_at(i);
		int parent_before = c->parent[0] == '\0', children = 0;

		for (size_t k = 0; k < i; k++) {
			assert_string_not_equal(zl_cat_seed_at(k)->code, c->code);
			parent_before |= strcmp(zl_cat_seed_at(k)->code, c->parent) == 0;
		}
		if (!parent_before)
			fail_msg("%s: its parent %s does not come before it", c->code, c->parent);
		if (c->parent[0])
			continue;
		families++;
		for (size_t k = 0; k < n; k++)
			children += strcmp(zl_cat_seed_at(k)->parent, c->code) == 0;
		if (!children)
			fail_msg("family %s has no products", c->code);
	}
	assert_true(families >= 11);
	/* Standards and items name categories of the table. */
	for (size_t j = 0; j < zl_cat_seed_std_count(); j++) {
		int known = 0;

		for (size_t i = 0; i < n && !known; i++)
			known = strcmp(zl_cat_seed_at(i)->code, zl_cat_seed_std_at(j)->code) == 0;
		assert_true(known);
	}
	for (size_t j = 0; j < zl_cat_seed_item_count(); j++) {
		int known = 0;

		for (size_t i = 0; i < n && !known; i++)
			known = strcmp(zl_cat_seed_at(i)->code, zl_cat_seed_item_at(j)->code) == 0;
		assert_true(known);
	}
	assert_null(zl_cat_seed_at(n));
	assert_null(zl_cat_seed_std_at(zl_cat_seed_std_count()));
	assert_null(zl_cat_seed_item_at(zl_cat_seed_item_count()));
}

/* The families task 一.2 of the 2014 plan names are all there. */
static void test_plan_families(void **state)
{
	static const char *const named[] = {"家用电器", "纺织服装", "复混肥料", "水泥",
					    "儿童用品", "车用燃料", "农资",	"电线电缆"};

	(void)state;
	for (size_t k = 0; k < sizeof(named) / sizeof(named[0]); k++) {
		int found = 0;

		for (size_t i = 0; i < zl_cat_seed_count() && !found; i++) {
			const struct zl_cat_seed *c = zl_cat_seed_at(i);

			found = c->parent[0] == '\0' && strcmp(c->name, named[k]) == 0 &&
				strstr(c->note, "计划一.2") != NULL;
		}
		if (!found)
			fail_msg("the plan's family %s is missing", named[k]);
	}
}

/* Spot checks of facts that matter: P·O 42.5 strength, GB 18401 grade A formaldehyde. */
static void test_known_limits(void **state)
{
	int cement = 0, formaldehyde = 0;

	(void)state;
	for (size_t j = 0; j < zl_cat_seed_item_count(); j++) {
		const struct zl_cat_seed_item *x = zl_cat_seed_item_at(j);

		if (!strcmp(x->code, "0401") && !strcmp(x->name, "28d抗压强度")) {
			assert_string_equal(x->min, "42.5");
			assert_string_equal(x->severity, "serious");
			cement = 1;
		}
		if (!strcmp(x->code, "0201") && !strcmp(x->name, "甲醛含量")) {
			assert_string_equal(x->max, "20");
			formaldehyde = 1;
		}
	}
	assert_true(cement && formaldehyde);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_each_category_checks),
		cmocka_unit_test(test_tree),
		cmocka_unit_test(test_plan_families),
		cmocka_unit_test(test_known_limits),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
