/*
 * test_quality_report.c - the quality analysis report's layout
 * (domain/quality_report.h) on fixed groups: the title for the province
 * and for a city, the headline figures and interval, the comparison with
 * the previous year (up, down, not significant, no previous year), the
 * ranking of the worst groups (reliable only, ties, unreliable apart,
 * groups without batches), the top-N cut, and a year without batches.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "domain/quality_report.h"

#define G(k, l, b, f, r, lo, hi, u)                                                          \
	{                                                                                    \
		.key = k, .label = l, .batches = b, .failed = f, .pass_rate = r, .ci_low = lo, \
		.ci_high = hi, .enterprises = b, .enterprises_failed = f,                    \
		.ent_pass_rate = r, .ent_ci_low = lo, .ent_ci_high = hi, .unreliable = u      \
	}

static const struct zl_qr_group products[] = {
	G("0101", "电线电缆", 200, 30, 0.85, 0.795, 0.893, 0),
	G("0102", "插头插座", 5, 3, 0.40, 0.118, 0.769, 1), /* worst, but unreliable */
	G("0103", "儿童玩具", 300, 60, 0.80, 0.752, 0.841, 0),
	G("0104", "安全帽", 150, 30, 0.80, 0.730, 0.855, 0), /* same rate, wider interval */
	G("0105", "食品容器", 0, 0, -1, -1, -1, 0),	/* no batches: not ranked */
	G("0106", "化肥", 400, 8, 0.98, 0.961, 0.990, 0),
};

static const struct zl_qr_group regions[] = {
	G("410100", "郑州市", 500, 40, 0.92, 0.894, 0.940, 0),
	G("410200", "开封市", 100, 20, 0.80, 0.711, 0.867, 0),
	G("410300", "洛阳市", 8, 1, 0.875, 0.529, 0.978, 1),
};

static const struct zl_qr_group quarters[] = {
	G("2014Q1", "第一季度", 250, 25, 0.90, 0.857, 0.931, 0),
	G("2014Q2", "第二季度", 358, 36, 0.899, 0.864, 0.926, 0),
};

static struct zl_qr_input input(void)
{
	struct zl_qr_input in = {
		.year = 2014,
		.scope_name = "河南省",
		.org_name = "河南省质量技术监督局",
		.date = "2015-01-20",
		.min_batches = 30,
		.total = G("2014", "2014年", 608, 61, 0.8997, 0.8733, 0.9211, 0),
		.has_prev = 1,
		.prev = G("2013", "2013年", 500, 75, 0.85, 0.8163, 0.8787, 0),
		.has_diff = 1,
		.diff = 0.0497,
		.diff_low = 0.0087,
		.diff_high = 0.0912,
		.has_mfg = 1,
		.mfg_rate = 0.9371,
		.quarters = quarters,
		.nquarters = 2,
		.regions = regions,
		.nregions = 3,
		.products = products,
		.nproducts = 6,
	};
	return in;
}

static void test_format(void **state)
{
	char a[16], b[40];

	(void)state;
	zl_qr_pct(0.9125, a);
	assert_string_equal(a, "91.3%");
	zl_qr_pct(1.0, a);
	assert_string_equal(a, "100.0%");
	zl_qr_pct(-1, a);
	assert_string_equal(a, "—");
	zl_qr_interval(0.8733, 0.9211, b);
	assert_string_equal(b, "87.3%–92.1%");
	zl_qr_interval(-1, 0.5, b);
	assert_string_equal(b, "—");
}

static void test_headline(void **state)
{
	struct zl_qr_input in = input();
	struct zl_qr_layout l;

	(void)state;
	assert_int_equal(zl_qr_layout_make(&in, &l), 0);
	assert_string_equal(l.title, "河南省2014年产品质量状况分析报告");
	assert_string_equal(l.subtitle, "河南省质量技术监督局 · 数据截至 2015-01-20");
	assert_non_null(strstr(l.headline, "共检验产品608批次，不合格61批次"));
	assert_non_null(strstr(l.headline, "批次合格率90.0%（95%置信区间87.3%–92.1%）"));
	assert_non_null(strstr(l.headline, "抽查企业608家"));
	assert_non_null(strstr(l.headline, "制造业产品质量合格率为93.7%"));
	assert_non_null(strstr(l.comparison, "与2013年（500批次，合格率85.0%）相比"));
	assert_non_null(strstr(l.comparison, "+5.0个百分点"));
	assert_non_null(strstr(l.comparison, "+0.9至+9.1"));
	assert_non_null(strstr(l.comparison, "提高"));
	assert_non_null(strstr(l.method, "少于30批"));
	assert_non_null(strstr(l.method, "Wilson"));
	assert_int_equal(l.t[ZL_QR_OVERVIEW].n, 2);
	assert_string_equal(l.t[ZL_QR_OVERVIEW].rows[1]->key, "2013");
	assert_string_equal(l.t[ZL_QR_REGIONS].key_title, "省辖市");
	zl_qr_layout_release(&l);

	/* no weights, a fall, a city's report */
	in.has_mfg = 0;
	in.diff = -0.02;
	in.diff_low = -0.05;
	in.diff_high = -0.001;
	in.scope_name = "郑州市";
	in.by_county = 1;
	assert_int_equal(zl_qr_layout_make(&in, &l), 0);
	assert_string_equal(l.title, "郑州市2014年产品质量状况分析报告");
	assert_null(strstr(l.headline, "制造业"));
	assert_non_null(strstr(l.comparison, "-2.0个百分点"));
	assert_non_null(strstr(l.comparison, "下降"));
	assert_string_equal(l.t[ZL_QR_REGIONS].key_title, "县（市、区）");
	zl_qr_layout_release(&l);

	in.diff_low = -0.05;
	in.diff_high = 0.01;
	assert_int_equal(zl_qr_layout_make(&in, &l), 0);
	assert_non_null(strstr(l.comparison, "区间包含0"));
	zl_qr_layout_release(&l);

	in.has_prev = 0;
	assert_int_equal(zl_qr_layout_make(&in, &l), 0);
	assert_string_equal(l.comparison, "2013年没有检验数据，不作同比比较。");
	assert_int_equal(l.t[ZL_QR_OVERVIEW].n, 1);
	zl_qr_layout_release(&l);
}

static void test_ranking(void **state)
{
	struct zl_qr_input in = input();
	struct zl_qr_layout l;
	const struct zl_qr_table *p, *r;

	(void)state;
	assert_int_equal(zl_qr_layout_make(&in, &l), 0);
	p = &l.t[ZL_QR_PRODUCTS];
	assert_true(p->ranked);
	assert_int_equal(p->n, 6);
	assert_int_equal(p->nshown, 4);
	/* same rate 80%: the lower interval top (儿童玩具, more batches, 84.1%) ranks worse */
	assert_string_equal(p->rows[0]->key, "0103");
	assert_string_equal(p->rows[1]->key, "0104");
	assert_string_equal(p->rows[2]->key, "0101");
	assert_string_equal(p->rows[3]->key, "0106");
	assert_int_equal(p->rank[0], 1);
	assert_int_equal(p->rank[3], 4);
	/* unreliable and batch-less groups come after, unranked, by key */
	assert_int_equal(p->napart, 2);
	assert_string_equal(p->apart[0]->key, "0102");
	assert_string_equal(p->apart[1]->key, "0105");
	assert_int_equal(p->rank[4], 0);
	assert_int_equal(p->rank[5], 0);

	r = &l.t[ZL_QR_REGIONS];
	assert_int_equal(r->nshown, 2);
	assert_string_equal(r->rows[0]->label, "开封市");
	assert_string_equal(r->apart[0]->label, "洛阳市");
	assert_non_null(strstr(l.worst, "合格率最低的是儿童玩具（80.0%，75.2%–84.1%）"));
	assert_non_null(strstr(l.worst, "省辖市中，合格率最低的是开封市"));

	/* quarters keep their order and are all shown */
	assert_false(l.t[ZL_QR_QUARTERS].ranked);
	assert_int_equal(l.t[ZL_QR_QUARTERS].nshown, 2);
	assert_string_equal(l.t[ZL_QR_QUARTERS].rows[0]->key, "2014Q1");
	assert_int_equal(l.t[ZL_QR_SIZES].n, 0);
	zl_qr_layout_release(&l);
}

static void test_top_cut(void **state)
{
	struct zl_qr_group many[25];
	char keys[25][16];
	struct zl_qr_input in = input();
	struct zl_qr_layout l;

	(void)state;
	for (int i = 0; i < 25; i++) {
		snprintf(keys[i], sizeof(keys[i]), "%02d", i);
		many[i] = (struct zl_qr_group)G(keys[i], keys[i], 100, i, 1.0 - i / 100.0, 0, 1, 0);
	}
	in.products = many;
	in.nproducts = 25;
	assert_int_equal(zl_qr_layout_make(&in, &l), 0);
	assert_int_equal(l.t[ZL_QR_PRODUCTS].n, 25);
	assert_int_equal(l.t[ZL_QR_PRODUCTS].nshown, ZL_QR_TOP);
	assert_string_equal(l.t[ZL_QR_PRODUCTS].rows[0]->key, "24");
	assert_int_equal(l.t[ZL_QR_PRODUCTS].rank[24], 25);
	zl_qr_layout_release(&l);
}

static void test_empty_year(void **state)
{
	struct zl_qr_input in = input();
	struct zl_qr_layout l;

	(void)state;
	in.total.batches = 0;
	assert_int_equal(zl_qr_layout_make(&in, &l), 1);
	zl_qr_layout_release(&l); /* harmless on an unmade layout */

	/* nothing but the total: every table empty, no worst sentence */
	in = input();
	in.nquarters = in.nregions = in.nproducts = 0;
	assert_int_equal(zl_qr_layout_make(&in, &l), 0);
	assert_string_equal(l.worst, "");
	assert_int_equal(l.t[ZL_QR_PRODUCTS].nshown, 0);
	zl_qr_layout_release(&l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_format),	  cmocka_unit_test(test_headline),
		cmocka_unit_test(test_ranking),	  cmocka_unit_test(test_top_cut),
		cmocka_unit_test(test_empty_year),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
