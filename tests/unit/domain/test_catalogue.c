/*
 * test_catalogue.c - one catalogue category checked as a client writes it
 * (domain/catalogue.h): a good cement category passes; each bad member is
 * refused with its JSON path as the field; risk and severity names.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "domain/catalogue.h"

static const char *const industries[] = {"C3011"};
static const struct zl_cat_std_in standards[] = {
	{"GB 175", 2007, "通用硅酸盐水泥"}, {"GB/T 17671", 1999, "水泥胶砂强度检验方法（ISO法）"}};
static const struct zl_cat_item_in items[] = {
	{"28d抗压强度", "MPa", 1, 0, 42.5, 0, NULL, "GB/T 17671-1999", "serious"},
	{"安定性", NULL, 0, 0, 0, 0, "沸煮法合格", "GB/T 1346-2011", "serious"},
	{"pH值", NULL, 1, 1, 4.0, 7.5, NULL, NULL, "general"},
};

static struct zl_cat_in good(void)
{
	struct zl_cat_in in = {0};

	in.code = "0401";
	in.parent = "04";
	in.name = "普通硅酸盐水泥（P·O 42.5）";
	in.risk = ZL_RISK_I;
	in.key_supervised = 1;
	in.key_from = 2014;
	in.industries = industries;
	in.nindustries = 1;
	in.standards = standards;
	in.nstandards = 2;
	in.items = items;
	in.nitems = 3;
	return in;
}

#define REFUSED(in, want_field)                                                                    \
	do {                                                                                       \
		struct zl_error e_ = ZL_ERROR_INIT;                                                \
		assert_int_equal(zl_cat_in_check(&(in), &e_), ZL_EUNPROC);                         \
		assert_string_equal(e_.field, want_field);                                         \
	} while (0)

static void test_good(void **state)
{
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_cat_in in = good();

	(void)state;
	assert_int_equal(zl_cat_in_check(&in, &err), ZL_OK);
	in.parent = NULL; /* a family */
	in.nindustries = in.nstandards = in.nitems = 0;
	in.key_supervised = 0;
	in.key_from = 0;
	assert_int_equal(zl_cat_in_check(&in, &err), ZL_OK);
}

static void test_refused(void **state)
{
	struct zl_cat_in in = good();
	struct zl_cat_std_in s[2];
	struct zl_cat_item_in it[3];
	const char *ind[2] = {"C3011", "C3011"};

	(void)state;
	in.code = "04-01";
	REFUSED(in, "code");
	in.code = "4";
	REFUSED(in, "code");
	in.code = "ab";
	REFUSED(in, "code");
	in = good();
	in.parent = "0401";
	REFUSED(in, "parent");
	in = good();
	in.name = "";
	REFUSED(in, "name");
	in = good();
	in.risk = 4;
	REFUSED(in, "risk");
	in = good();
	in.key_from = 0;
	REFUSED(in, "key_from");
	in = good();
	in.key_to = 2013;
	REFUSED(in, "key_to");
	in = good();
	in.key_supervised = 0;
	REFUSED(in, "key_from");
	in = good();
	in.industries = ind;
	in.nindustries = 2;
	REFUSED(in, "industries[1]");
	ind[1] = "X9999";
	REFUSED(in, "industries[1]");
	ind[1] = "C99";
	REFUSED(in, "industries[1]");
	/* Standards: the year in its member, each number once. */
	in = good();
	memcpy(s, standards, sizeof(s));
	in.standards = s;
	s[1].number = "GB/T 17671-1999";
	REFUSED(in, "standards[1].number");
	s[1].number = "gb 175";
	REFUSED(in, "standards[1].number");
	s[1].number = "GB 175";
	REFUSED(in, "standards[1].number");
	s[1].number = "GB/T 5023.1";
	assert_int_equal(zl_cat_in_check(&in, &(struct zl_error)ZL_ERROR_INIT), ZL_OK);
	s[1].year = 1800;
	REFUSED(in, "standards[1].year");
	s[1].year = 0;
	s[1].title = NULL;
	REFUSED(in, "standards[1].title");
	/* Items: a limit, min <= max, a severity, each name once. */
	in = good();
	memcpy(it, items, sizeof(it));
	in.items = it;
	it[1].text = NULL;
	REFUSED(in, "items[1].text");
	memcpy(it, items, sizeof(it));
	it[2].min = 8;
	REFUSED(in, "items[2].max");
	memcpy(it, items, sizeof(it));
	it[0].severity = "minor";
	REFUSED(in, "items[0].severity");
	memcpy(it, items, sizeof(it));
	it[2].name = "安定性";
	REFUSED(in, "items[2]");
	memcpy(it, items, sizeof(it));
	it[0].min = 1e13;
	REFUSED(in, "items[0].min");
}

static void test_names(void **state)
{
	int r = 0;

	(void)state;
	assert_string_equal(zl_risk_name(1), "I");
	assert_string_equal(zl_risk_name(3), "III");
	assert_null(zl_risk_name(0));
	assert_string_equal(zl_risk_zh(2), "Ⅱ");
	assert_int_equal(zl_risk_parse("II", &r), ZL_OK);
	assert_int_equal(r, 2);
	assert_int_equal(zl_risk_parse("Ⅲ", &r), ZL_OK);
	assert_int_equal(r, 3);
	assert_int_equal(zl_risk_parse("IV", &r), ZL_EUNPROC);
	assert_int_equal(zl_risk_parse(NULL, &r), ZL_EUNPROC);
	assert_string_equal(zl_severity_zh("serious"), "严重");
	assert_string_equal(zl_severity_zh("general"), "一般");
	assert_null(zl_severity_zh("minor"));
	assert_true(zl_cat_key_in(1, 2014, 0, 2030));
	assert_true(zl_cat_key_in(1, 2014, 2015, 2015));
	assert_false(zl_cat_key_in(1, 2014, 2015, 2016));
	assert_false(zl_cat_key_in(1, 2014, 0, 2013));
	assert_false(zl_cat_key_in(0, 2014, 0, 2014));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
