/*
 * test_credit.c - the credit archive's rules (domain/credit.h): the rule
 * table, month arithmetic at month ends and leap years, default public
 * retention per kind, the public test and event validation.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "core/buf.h"
#include "domain/credit.h"

static void expect_months(const char *date, int months, const char *want)
{
	char out[11];

	assert_int_equal(zl_credit_add_months(date, months, out), ZL_OK);
	assert_string_equal(out, want);
}

static void test_add_months(void **state)
{
	char out[11];

	(void)state;
	expect_months("2019-02-28", 3, "2019-05-28");
	expect_months("2019-11-30", 3, "2020-02-29"); /* leap year: 29 days */
	expect_months("2018-11-30", 3, "2019-02-28"); /* common year */
	expect_months("2100-11-30", 3, "2101-02-28");
	expect_months("2099-11-30", 3, "2100-02-28"); /* 2100 is not a leap year */
	expect_months("1999-11-30", 3, "2000-02-29"); /* 2000 is */
	expect_months("2020-02-29", 36, "2023-02-28");
	expect_months("2020-02-29", 48, "2024-02-29");
	expect_months("2020-02-29", 60, "2025-02-28");
	expect_months("2019-01-31", 1, "2019-02-28");
	expect_months("2019-03-31", 1, "2019-04-30");
	expect_months("2019-08-31", 3, "2019-11-30");
	expect_months("2019-10-31", 3, "2020-01-31"); /* across the year */
	expect_months("2019-12-15", 1, "2020-01-15");
	expect_months("2019-12-31", 0, "2019-12-31");
	expect_months("2014-07-18", 60, "2019-07-18");
	assert_int_equal(zl_credit_add_months("2019-02-29", 3, out), ZL_EINVAL);
	assert_string_equal(out, "");
	assert_int_equal(zl_credit_add_months("2019-2-28", 3, out), ZL_EINVAL);
	assert_int_equal(zl_credit_add_months("2019-02-28", -1, out), ZL_EINVAL);
	assert_int_equal(zl_credit_add_months(NULL, 1, out), ZL_EINVAL);
	assert_int_equal(zl_credit_add_months("9999-12-01", 1, out), ZL_EINVAL);
}

static void test_rules(void **state)
{
	const struct zl_credit_rule *r, *t;
	static const char *const kinds[] = {"spot_check", "penalty",   "recall", "complaint",
					    "accident",	  "interview", "award",	 "certification"};
	size_t n;

	(void)state;
	t = zl_credit_rules(&n);
	assert_true(n >= 8);
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		assert_true(zl_credit_kind_known(kinds[i]));
	assert_false(zl_credit_kind_known("fine"));
	assert_false(zl_credit_kind_known(""));
	assert_false(zl_credit_kind_known(NULL));
	for (size_t i = 0; i < n; i++) {
		/* every rule is consistent with the five-year bound and cites a source */
		assert_true(strcmp(t[i].polarity, "positive") == 0 ||
			    strcmp(t[i].polarity, "negative") == 0 ||
			    strcmp(t[i].polarity, "neutral") == 0);
		assert_true(strcmp(t[i].visibility, "public") == 0 ||
			    strcmp(t[i].visibility, "internal") == 0);
		if (strcmp(t[i].polarity, "negative") == 0) {
			assert_true(t[i].months > 0);
			assert_true(t[i].months <= ZL_CREDIT_NEGATIVE_MAX_MONTHS);
		}
		assert_true(strlen(t[i].source) > 10);
	}
	/* the first row of a kind is its default */
	r = zl_credit_rule_find("penalty", NULL);
	assert_non_null(r);
	assert_string_equal(r->subkind, "major");
	assert_int_equal(r->months, 36);
	r = zl_credit_rule_find("penalty", "minor");
	assert_non_null(r);
	assert_int_equal(r->months, 3);
	assert_int_equal(r->confirmed, 1);
	assert_string_equal(r->polarity, "negative");
	r = zl_credit_rule_find("spot_check", "");
	assert_string_equal(r->subkind, "failed");
	assert_int_equal(r->confirmed, 0);
	assert_null(zl_credit_rule_find("penalty", "failed"));
	assert_string_equal(zl_credit_rule_find("award", NULL)->polarity, "positive");
	assert_string_equal(zl_credit_rule_find("complaint", NULL)->visibility, "internal");
}

static void test_public_until(void **state)
{
	char out[11];

	(void)state;
	assert_int_equal(zl_credit_public_until("penalty", "minor", "2019-02-28", out), ZL_OK);
	assert_string_equal(out, "2019-05-28");
	assert_int_equal(zl_credit_public_until("penalty", "minor", "2019-11-30", out), ZL_OK);
	assert_string_equal(out, "2020-02-29");
	assert_int_equal(zl_credit_public_until("penalty", "major", "2020-02-29", out), ZL_OK);
	assert_string_equal(out, "2023-02-28");
	assert_int_equal(zl_credit_public_until("penalty", NULL, "2021-09-01", out), ZL_OK);
	assert_string_equal(out, "2024-09-01");
	assert_int_equal(zl_credit_public_until("spot_check", "failed", "2016-08-31", out), ZL_OK);
	assert_string_equal(out, "2021-08-31");
	/* positive: no limit */
	assert_int_equal(zl_credit_public_until("award", NULL, "2014-07-18", out), ZL_OK);
	assert_string_equal(out, "");
	assert_int_equal(zl_credit_public_until("fine", NULL, "2014-07-18", out), ZL_EUNPROC);
	assert_int_equal(zl_credit_public_until("penalty", "huge", "2014-07-18", out), ZL_EUNPROC);
	assert_int_equal(zl_credit_public_until("penalty", "minor", "2014-13-01", out), ZL_EINVAL);
	assert_string_equal(out, "");
}

static void event(struct zl_credit_event *ev, const char *kind, const char *sub, const char *date)
{
	memset(ev, 0, sizeof(*ev));
	zl_strlcpy(ev->uscc, "91410100MA3X4Y5Z6A", sizeof(ev->uscc));
	zl_strlcpy(ev->kind, kind, sizeof(ev->kind));
	zl_strlcpy(ev->subkind, sub, sizeof(ev->subkind));
	zl_strlcpy(ev->event_date, date, sizeof(ev->event_date));
	zl_strlcpy(ev->source_org, "410100", sizeof(ev->source_org));
	zl_strlcpy(ev->title, "产品质量监督抽查不合格", sizeof(ev->title));
}

static void test_is_public(void **state)
{
	struct zl_credit_event ev;

	(void)state;
	event(&ev, "penalty", "minor", "2019-02-28");
	zl_credit_apply_defaults(&ev, 1);
	assert_string_equal(ev.public_until, "2019-05-28");
	assert_true(zl_credit_is_public(&ev, "2019-02-28"));
	assert_true(zl_credit_is_public(&ev, "2019-05-28")); /* the last day still shows */
	assert_false(zl_credit_is_public(&ev, "2019-05-29"));
	zl_strlcpy(ev.visibility, "internal", sizeof(ev.visibility));
	assert_false(zl_credit_is_public(&ev, "2019-03-01"));
	event(&ev, "award", "", "2014-07-18");
	zl_credit_apply_defaults(&ev, 1);
	assert_string_equal(ev.public_until, "");
	assert_true(zl_credit_is_public(&ev, "2099-01-01"));
}

static void test_defaults(void **state)
{
	struct zl_credit_event ev;
	struct zl_error e = ZL_ERROR_INIT;

	(void)state;
	event(&ev, " complaint ", "", "2020-03-01 ");
	zl_strlcpy(ev.title, "  投诉属实  ", sizeof(ev.title));
	zl_credit_apply_defaults(&ev, 1);
	assert_string_equal(ev.kind, "complaint");
	assert_string_equal(ev.subkind, "upheld");
	assert_string_equal(ev.polarity, "negative");
	assert_string_equal(ev.visibility, "internal");
	assert_string_equal(ev.public_until, "2025-03-01");
	assert_string_equal(ev.title, "投诉属实");
	assert_int_equal(zl_credit_validate(&ev, "2020-03-01", &e), ZL_OK);
	/* given values win over the rule */
	event(&ev, "recall", "voluntary", "2020-03-01");
	zl_strlcpy(ev.polarity, "negative", sizeof(ev.polarity));
	zl_strlcpy(ev.visibility, "internal", sizeof(ev.visibility));
	zl_strlcpy(ev.public_until, "2021-01-01", sizeof(ev.public_until));
	zl_credit_apply_defaults(&ev, 1);
	assert_string_equal(ev.polarity, "negative");
	assert_string_equal(ev.visibility, "internal");
	assert_string_equal(ev.public_until, "2021-01-01");
	/* without default_until public_until stays empty */
	event(&ev, "penalty", "", "2020-03-01");
	zl_credit_apply_defaults(&ev, 0);
	assert_string_equal(ev.public_until, "");
	/* unknown kind: left alone for validate */
	event(&ev, "fine", "", "2020-03-01");
	zl_credit_apply_defaults(&ev, 1);
	assert_string_equal(ev.polarity, "");
}

static void expect_invalid(struct zl_credit_event *ev, const char *today, const char *field)
{
	struct zl_error e = ZL_ERROR_INIT;

	assert_int_equal(zl_credit_validate(ev, today, &e), ZL_EUNPROC);
	assert_string_equal(e.field, field);
}

static void test_validate(void **state)
{
	struct zl_credit_event ev;
	struct zl_error e = ZL_ERROR_INIT;
	const char *today = "2021-06-30";

	(void)state;
	event(&ev, "spot_check", "", "2021-06-30");
	zl_credit_apply_defaults(&ev, 1);
	assert_int_equal(zl_credit_validate(&ev, today, &e), ZL_OK);
	assert_string_equal(ev.public_until, "2026-06-30");

	ev.uscc[0] = '\0';
	expect_invalid(&ev, today, "uscc");

	event(&ev, "fine", "", "2021-06-01");
	zl_credit_apply_defaults(&ev, 1);
	expect_invalid(&ev, today, "kind");
	assert_int_equal(zl_credit_validate(&ev, today, &e), ZL_EUNPROC);
	assert_non_null(strstr(e.message, "spot_check, penalty, recall"));
	event(&ev, "", "", "2021-06-01");
	expect_invalid(&ev, today, "kind");

	event(&ev, "penalty", "huge", "2021-06-01");
	zl_credit_apply_defaults(&ev, 1);
	expect_invalid(&ev, today, "subkind");

	/* dates */
	event(&ev, "award", "", "2021-07-01"); /* tomorrow */
	zl_credit_apply_defaults(&ev, 1);
	expect_invalid(&ev, today, "event_date");
	assert_int_equal(zl_credit_validate(&ev, NULL, &e), ZL_OK); /* not checked */
	event(&ev, "award", "", "2021-02-29");
	zl_credit_apply_defaults(&ev, 1);
	expect_invalid(&ev, today, "event_date");
	event(&ev, "award", "", "2021/06/01");
	zl_credit_apply_defaults(&ev, 1);
	expect_invalid(&ev, today, "event_date");
	event(&ev, "award", "", "");
	zl_credit_apply_defaults(&ev, 1);
	expect_invalid(&ev, today, "event_date");

	/* required text and enums */
	event(&ev, "award", "", "2021-06-01");
	zl_credit_apply_defaults(&ev, 1);
	ev.title[0] = '\0';
	expect_invalid(&ev, today, "title");
	event(&ev, "award", "", "2021-06-01");
	zl_credit_apply_defaults(&ev, 1);
	ev.source_org[0] = '\0';
	expect_invalid(&ev, today, "source_org");
	event(&ev, "award", "", "2021-06-01");
	zl_credit_apply_defaults(&ev, 1);
	zl_strlcpy(ev.visibility, "secret", sizeof(ev.visibility));
	expect_invalid(&ev, today, "visibility");
	event(&ev, "award", "", "2021-06-01");
	zl_credit_apply_defaults(&ev, 1);
	zl_strlcpy(ev.polarity, "good", sizeof(ev.polarity));
	expect_invalid(&ev, today, "polarity");

	/* lengths count characters: 200 Chinese characters pass, 201 fail */
	event(&ev, "award", "", "2021-06-01");
	zl_credit_apply_defaults(&ev, 1);
	ev.title[0] = '\0';
	for (int i = 0; i < 200; i++)
		zl_strlcpy(ev.title + strlen(ev.title), "质", sizeof(ev.title) - strlen(ev.title));
	assert_int_equal(zl_credit_validate(&ev, today, &e), ZL_OK);
	zl_strlcpy(ev.title + strlen(ev.title), "量", sizeof(ev.title) - strlen(ev.title));
	expect_invalid(&ev, today, "title");

	/* public_until */
	event(&ev, "award", "", "2021-06-01");
	zl_credit_apply_defaults(&ev, 1);
	zl_strlcpy(ev.public_until, "2021-05-31", sizeof(ev.public_until));
	expect_invalid(&ev, today, "public_until");
	zl_strlcpy(ev.public_until, "2021-06-01", sizeof(ev.public_until));
	assert_int_equal(zl_credit_validate(&ev, today, &e), ZL_OK);
	zl_strlcpy(ev.public_until, "2021-06-31", sizeof(ev.public_until));
	expect_invalid(&ev, today, "public_until");
}

static void test_negative_bound(void **state)
{
	struct zl_credit_event ev;
	struct zl_error e = ZL_ERROR_INIT;

	(void)state;
	/* exactly five years passes; a day more is refused, not clamped */
	event(&ev, "penalty", "major", "2020-02-29");
	zl_strlcpy(ev.public_until, "2025-02-28", sizeof(ev.public_until));
	zl_credit_apply_defaults(&ev, 1);
	assert_int_equal(zl_credit_validate(&ev, "2021-01-01", &e), ZL_OK);
	zl_strlcpy(ev.public_until, "2025-03-01", sizeof(ev.public_until));
	expect_invalid(&ev, "2021-01-01", "public_until");
	assert_string_equal(ev.public_until, "2025-03-01");
	assert_int_equal(zl_credit_validate(&ev, "2021-01-01", &e), ZL_EUNPROC);
	assert_non_null(strstr(e.message, "2025-02-28"));
	/* "no limit" is refused for a public negative event */
	ev.public_until[0] = '\0';
	expect_invalid(&ev, "2021-01-01", "public_until");
	/* ... but fine when internal, or positive */
	zl_strlcpy(ev.visibility, "internal", sizeof(ev.visibility));
	assert_int_equal(zl_credit_validate(&ev, "2021-01-01", &e), ZL_OK);
	zl_strlcpy(ev.visibility, "public", sizeof(ev.visibility));
	zl_strlcpy(ev.polarity, "positive", sizeof(ev.polarity));
	assert_int_equal(zl_credit_validate(&ev, "2021-01-01", &e), ZL_OK);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_add_months),     cmocka_unit_test(test_rules),
		cmocka_unit_test(test_public_until),   cmocka_unit_test(test_is_public),
		cmocka_unit_test(test_defaults),       cmocka_unit_test(test_validate),
		cmocka_unit_test(test_negative_bound),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
