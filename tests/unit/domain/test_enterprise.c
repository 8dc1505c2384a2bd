/*
 * test_enterprise.c - normalisation and validation of enterprise records
 * (domain/enterprise.h), with the DOMAIN.md section 1 test vectors.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "domain/enterprise.h"

/* A valid record: 91 企业, registered in 义马 (411281). */
static void base(struct zl_enterprise *e)
{
	memset(e, 0, sizeof(*e));
	snprintf(e->uscc, sizeof(e->uscc), "914112810713741814");
	snprintf(e->name, sizeof(e->name), "义马市测试机械有限公司");
	snprintf(e->region, sizeof(e->region), "411281");
	snprintf(e->industry, sizeof(e->industry), "C3411");
}

static int validate(struct zl_enterprise *e, unsigned flags, struct zl_error *err)
{
	zl_error_clear(err);
	return zl_enterprise_validate(e, flags, err);
}

static void expect_field(struct zl_enterprise *e, unsigned flags, const char *field)
{
	struct zl_error err;

	assert_int_equal(validate(e, flags, &err), ZL_EUNPROC);
	assert_int_equal(err.code, ZL_EUNPROC);
	assert_string_equal(err.field, field);
	assert_true(err.message[0] != '\0');
}

static void test_valid_vectors(void **state)
{
	static const char *const ok[] = {
		"914403001922038216", "91520000214434146R", "91440300192317458F",
		"91440606722473344C", "91440400192548256N", "91330100716105852F",
		"91110000600037341L", "914112810713741814", "121200004013590816",
		"92340602MA2PBMEM24", "9115220107837941X1", "91620105L015101280",
		"91310110666007217T", "91310115591693856A", "A1110000600037341K",
		"Y1110000600037341Y",
	};
	struct zl_enterprise e;
	struct zl_error err;

	(void)state;
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		base(&e);
		snprintf(e.uscc, sizeof(e.uscc), "%s", ok[i]);
		assert_int_equal(validate(&e, 0, &err), ZL_OK);
		assert_string_equal(e.uscc, ok[i]);
		assert_memory_equal(e.org_code, ok[i] + 8, 9);
		assert_int_equal(strlen(e.org_code), 9);
		assert_int_equal(e.legacy, 0);
	}
	base(&e);
	assert_int_equal(validate(&e, 0, &err), ZL_OK);
	assert_string_equal(e.org_code, "071374181");
	assert_string_equal(e.industry, "3411");
	assert_string_equal(e.status, "operating");
	assert_int_equal(e.warnings, 0);
}

static void test_invalid_vectors(void **state)
{
	static const char *const bad[] = {
		"91110000600037341N",  "914403001922038217", "A1110000600037341L",
		"9111000060003IOZSV",  "9111000A600037341L", "9111000060003734L",
		"911100006000373411L", "91350211M0000XUF46", "91350203M0001QAY9B",
	};
	struct zl_enterprise e;
	struct zl_error err;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		base(&e);
		snprintf(e.uscc, sizeof(e.uscc), "%s", bad[i]);
		expect_field(&e, 0, "uscc");
		/* A legacy import tolerates only the inner check, never these. */
		base(&e);
		snprintf(e.uscc, sizeof(e.uscc), "%s", bad[i]);
		expect_field(&e, ZL_ENT_LEGACY_IMPORT, "uscc");
	}
	base(&e);
	snprintf(e.uscc, sizeof(e.uscc), "91110000600037341N");
	assert_int_equal(validate(&e, 0, &err), ZL_EUNPROC);
	assert_non_null(strstr(err.message, "L"));
}

static void test_inner_check_warning(void **state)
{
	struct zl_enterprise e;
	struct zl_error err;

	(void)state;
	base(&e);
	snprintf(e.uscc, sizeof(e.uscc), "91310000631295002H");
	expect_field(&e, 0, "uscc");
	base(&e);
	snprintf(e.uscc, sizeof(e.uscc), "91310000631295002H");
	assert_int_equal(validate(&e, ZL_ENT_LEGACY_IMPORT, &err), ZL_OK);
	assert_int_equal(e.warnings, ZL_ENT_WARN_ORG_CHECK);
	assert_string_equal(e.org_code, "631295002");
	assert_true(strlen(zl_enterprise_warning_text(ZL_ENT_WARN_ORG_CHECK)) > 0);
}

static void test_lowercase_and_fullwidth(void **state)
{
	struct zl_enterprise e;
	struct zl_error err;

	(void)state;
	base(&e);
	snprintf(e.uscc, sizeof(e.uscc), "91110000600037341l");
	assert_int_equal(validate(&e, 0, &err), ZL_OK);
	assert_string_equal(e.uscc, "91110000600037341L");
	assert_true(e.warnings & ZL_ENT_WARN_LOWERCASE);

	/* Full-width digits, surrounded by ideographic spaces. */
	base(&e);
	snprintf(e.uscc, sizeof(e.uscc), "　９１４４０３００１９２２０３８２１６ ");
	snprintf(e.region, sizeof(e.region), "４１０１００");
	snprintf(e.founded, sizeof(e.founded), "２０１４－０７－０１");
	assert_int_equal(validate(&e, 0, &err), ZL_OK);
	assert_string_equal(e.uscc, "914403001922038216");
	assert_string_equal(e.org_code, "192203821");
	assert_string_equal(e.region, "410100");
	assert_string_equal(e.founded, "2014-07-01");
}

static void test_legacy_org_code(void **state)
{
	struct zl_enterprise e;
	struct zl_error err;

	(void)state;
	base(&e);
	e.uscc[0] = '\0';
	snprintf(e.org_code, sizeof(e.org_code), "19220382-1");
	assert_int_equal(validate(&e, 0, &err), ZL_OK);
	assert_string_equal(e.uscc, "ORG:192203821");
	assert_string_equal(e.org_code, "192203821");
	assert_int_equal(e.legacy, 1);

	/* The same code typed into the USCC column, and as the key itself. */
	base(&e);
	snprintf(e.uscc, sizeof(e.uscc), "07837941x");
	assert_int_equal(validate(&e, 0, &err), ZL_OK);
	assert_string_equal(e.uscc, "ORG:07837941X");
	assert_int_equal(e.legacy, 1);
	base(&e);
	snprintf(e.uscc, sizeof(e.uscc), "ORG:192203821");
	assert_int_equal(validate(&e, 0, &err), ZL_OK);
	assert_string_equal(e.uscc, "ORG:192203821");

	/* A bad check: an error, or a warning for a legacy import. */
	base(&e);
	e.uscc[0] = '\0';
	snprintf(e.org_code, sizeof(e.org_code), "192203822");
	expect_field(&e, 0, "org_code");
	base(&e);
	e.uscc[0] = '\0';
	snprintf(e.org_code, sizeof(e.org_code), "192203822");
	assert_int_equal(validate(&e, ZL_ENT_LEGACY_IMPORT, &err), ZL_OK);
	assert_int_equal(e.warnings, ZL_ENT_WARN_ORG_CHECK);
	assert_string_equal(e.uscc, "ORG:192203822");

	/* Neither code. */
	base(&e);
	e.uscc[0] = '\0';
	expect_field(&e, 0, "uscc");
	/* An org code that contradicts the USCC. */
	base(&e);
	snprintf(e.org_code, sizeof(e.org_code), "192203821");
	expect_field(&e, 0, "org_code");
	base(&e);
	snprintf(e.org_code, sizeof(e.org_code), "07137418-1");
	assert_int_equal(validate(&e, 0, &err), ZL_OK);
}

static void test_region(void **state)
{
	struct zl_enterprise e;
	struct zl_error err;

	(void)state;
	base(&e);
	snprintf(e.region, sizeof(e.region), "410783"); /* 长垣市, from 2019 */
	assert_int_equal(validate(&e, 0, &err), ZL_OK);
	base(&e);
	snprintf(e.region, sizeof(e.region), "410728"); /* 长垣县, replaced in 2019 */
	expect_field(&e, 0, "region");
	base(&e);
	snprintf(e.region, sizeof(e.region), "440300"); /* 深圳: not Henan */
	expect_field(&e, 0, "region");
	base(&e);
	snprintf(e.region, sizeof(e.region), "41010");
	expect_field(&e, 0, "region");
	base(&e);
	e.region[0] = '\0';
	assert_int_equal(validate(&e, 0, &err), ZL_OK);
}

static void test_industry(void **state)
{
	struct zl_enterprise e;
	struct zl_error err;

	(void)state;
	base(&e);
	snprintf(e.industry, sizeof(e.industry), "36");
	assert_int_equal(validate(&e, 0, &err), ZL_OK);
	assert_string_equal(e.industry, "36");
	base(&e);
	snprintf(e.industry, sizeof(e.industry), "c3611");
	assert_int_equal(validate(&e, 0, &err), ZL_OK);
	assert_string_equal(e.industry, "3611");
	base(&e);
	snprintf(e.industry, sizeof(e.industry), "A3611"); /* 36 is in section C */
	expect_field(&e, 0, "industry");
	base(&e);
	snprintf(e.industry, sizeof(e.industry), "99");
	expect_field(&e, 0, "industry");
	base(&e);
	snprintf(e.industry, sizeof(e.industry), "C36111");
	expect_field(&e, 0, "industry");
}

static void test_dates(void **state)
{
	struct zl_enterprise e;
	struct zl_error err;

	(void)state;
	base(&e);
	snprintf(e.founded, sizeof(e.founded), "1997/1/8");
	assert_int_equal(validate(&e, 0, &err), ZL_OK);
	assert_string_equal(e.founded, "1997-01-08");
	base(&e);
	snprintf(e.founded, sizeof(e.founded), "19970108");
	assert_int_equal(validate(&e, 0, &err), ZL_OK);
	assert_string_equal(e.founded, "1997-01-08");
	base(&e);
	snprintf(e.founded, sizeof(e.founded), "1997年1月8日");
	assert_int_equal(validate(&e, 0, &err), ZL_OK);
	assert_string_equal(e.founded, "1997-01-08");
	base(&e);
	snprintf(e.founded, sizeof(e.founded), "2014-02-30");
	expect_field(&e, 0, "founded");
	base(&e);
	snprintf(e.founded, sizeof(e.founded), "yesterday");
	expect_field(&e, 0, "founded");
	base(&e);
	snprintf(e.cqo_appointed, sizeof(e.cqo_appointed), "2014-13-01");
	snprintf(e.cqo_name, sizeof(e.cqo_name), "张三");
	expect_field(&e, 0, "cqo_appointed");
	base(&e);
	snprintf(e.cqo_appointed, sizeof(e.cqo_appointed), "2014-03-01");
	expect_field(&e, 0, "cqo_name");
}

static void test_name(void **state)
{
	struct zl_enterprise e;
	struct zl_error err;

	(void)state;
	base(&e);
	snprintf(e.name, sizeof(e.name), "　郑州宇通客车股份有限公司　");
	assert_int_equal(validate(&e, 0, &err), ZL_OK);
	assert_string_equal(e.name, "郑州宇通客车股份有限公司");
	base(&e);
	snprintf(e.name, sizeof(e.name), "  （河南）Ａ公司 ");
	assert_int_equal(validate(&e, 0, &err), ZL_OK);
	/* Inside the name full-width forms are kept as written. */
	assert_string_equal(e.name, "（河南）Ａ公司");
	base(&e);
	snprintf(e.name, sizeof(e.name), "　厂　");
	expect_field(&e, 0, "name");
	base(&e);
	e.name[0] = '\0';
	expect_field(&e, 0, "name");
	base(&e);
	snprintf(e.name, sizeof(e.name), "bad\x01name");
	expect_field(&e, 0, "name");
	base(&e);
	snprintf(e.name, sizeof(e.name), "bad\xff name");
	expect_field(&e, 0, "name");
	base(&e);
	memset(e.name, 'a', 201);
	e.name[201] = '\0';
	expect_field(&e, 0, "name");
	base(&e);
	memset(e.name, 'a', 200);
	e.name[200] = '\0';
	assert_int_equal(validate(&e, 0, &err), ZL_OK);
}

static void test_enums_and_capital(void **state)
{
	struct zl_enterprise e;
	struct zl_error err;

	(void)state;
	base(&e);
	snprintf(e.status, sizeof(e.status), "吊销");
	snprintf(e.size_class, sizeof(e.size_class), "中型");
	snprintf(e.registered_capital, sizeof(e.registered_capital), "１,２00.5万元");
	assert_int_equal(validate(&e, 0, &err), ZL_OK);
	assert_string_equal(e.status, "revoked");
	assert_string_equal(e.size_class, "medium");
	assert_string_equal(e.registered_capital, "1200.5");
	base(&e);
	snprintf(e.status, sizeof(e.status), "Cancelled");
	assert_int_equal(validate(&e, 0, &err), ZL_OK);
	assert_string_equal(e.status, "cancelled");
	base(&e);
	snprintf(e.status, sizeof(e.status), "closed");
	expect_field(&e, 0, "status");
	base(&e);
	snprintf(e.size_class, sizeof(e.size_class), "huge");
	expect_field(&e, 0, "size_class");
	base(&e);
	snprintf(e.registered_capital, sizeof(e.registered_capital), "lots");
	expect_field(&e, 0, "registered_capital");
	base(&e);
	snprintf(e.registered_capital, sizeof(e.registered_capital), "12.");
	expect_field(&e, 0, "registered_capital");
	base(&e);
	snprintf(e.address, sizeof(e.address), "a\nb");
	expect_field(&e, 0, "address");
}

static void test_kinds(void **state)
{
	(void)state;
	assert_non_null(zl_enterprise_cert_kind("iso9001"));
	assert_non_null(zl_enterprise_cert_kind("geo_indication"));
	assert_null(zl_enterprise_cert_kind("famous_brand"));
	assert_non_null(zl_enterprise_award_kind("governor_quality_award"));
	assert_null(zl_enterprise_award_kind("iso9001"));
	assert_null(zl_enterprise_award_kind(NULL));
	assert_int_equal(zl_enterprise_cert_kind_count(), 9);
	assert_int_equal(zl_enterprise_award_kind_count(), 4);
	assert_null(zl_enterprise_cert_kind_at(9));
	assert_string_equal(zl_enterprise_award_kind_at(0)->kind, "famous_brand");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid_vectors),
		cmocka_unit_test(test_invalid_vectors),
		cmocka_unit_test(test_inner_check_warning),
		cmocka_unit_test(test_lowercase_and_fullwidth),
		cmocka_unit_test(test_legacy_org_code),
		cmocka_unit_test(test_region),
		cmocka_unit_test(test_industry),
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_name),
		cmocka_unit_test(test_enums_and_capital),
		cmocka_unit_test(test_kinds),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
