/*
 * quality_report.c - the quality analysis report's layout from computed
 * groups (see quality_report.h): texts, tables, rankings.  Pure.
 */
#include "domain/quality_report.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Append to the text in dst[cap] (cut when full: the texts are sized for the longest names). */
__attribute__((format(printf, 3, 4))) static void addf(char *dst, size_t cap, const char *fmt,
						       ...)
{
	size_t len = strnlen(dst, cap);
	va_list ap;

	if (len + 1 >= cap)
		return;
	va_start(ap, fmt);
	vsnprintf(dst + len, cap - len, fmt, ap);
	va_end(ap);
}

void zl_qr_pct(double rate, char out[16])
{
	out[0] = '\0';
	if (rate < 0) {
		addf(out, 16, "—");
		return;
	}
	if (rate > 1)
		rate = 1;
	/* the epsilon makes 0.9125 print as 91.3 rather than whatever the double rounds to */
	addf(out, 16, "%.1f%%", rate * 100.0 + 1e-9);
}

void zl_qr_interval(double lo, double hi, char out[40])
{
	char a[16], b[16];

	out[0] = '\0';
	if (lo < 0 || hi < 0) {
		addf(out, 40, "—");
		return;
	}
	zl_qr_pct(lo, a);
	zl_qr_pct(hi, b);
	addf(out, 40, "%s–%s", a, b);
}

/* A group without batches has no rate to rank by, whatever its flag says. */
static int rankable(const struct zl_qr_group *g)
{
	return !g->unreliable && g->batches > 0;
}

static int cmp_worst(const void *pa, const void *pb)
{
	const struct zl_qr_group *a = *(const struct zl_qr_group *const *)pa;
	const struct zl_qr_group *b = *(const struct zl_qr_group *const *)pb;

	if (rankable(a) != rankable(b))
		return rankable(a) ? -1 : 1;
	if (rankable(a)) {
		if (a->pass_rate != b->pass_rate)
			return a->pass_rate < b->pass_rate ? -1 : 1;
		if (a->ci_high != b->ci_high)
			return a->ci_high < b->ci_high ? -1 : 1;
	}
	return strcmp(a->key ? a->key : "", b->key ? b->key : "");
}

size_t zl_qr_rank(const struct zl_qr_group *v, size_t n, const struct zl_qr_group **order)
{
	size_t reliable = 0;

	for (size_t i = 0; i < n; i++) {
		order[i] = &v[i];
		reliable += (size_t)rankable(&v[i]);
	}
	qsort(order, n, sizeof(*order), cmp_worst);
	return reliable;
}

void zl_qr_layout_release(struct zl_qr_layout *l)
{
	for (size_t k = 0; k < ZL_QR_NTABLES; k++) {
		if (l->t[k].rows != (const struct zl_qr_group **)l->overview)
			free(l->t[k].rows);
		free(l->t[k].rank);
		l->t[k].rows = NULL;
		l->t[k].rank = NULL;
		l->t[k].apart = NULL;
	}
}

/* rows[] in input order (every row shown). */
static int plain(struct zl_qr_table *t, const struct zl_qr_group *v, size_t n)
{
	t->rows = calloc(n + 1, sizeof(*t->rows));
	if (!t->rows)
		return -1;
	for (size_t i = 0; i < n; i++)
		t->rows[i] = &v[i];
	t->n = t->nshown = n;
	return 0;
}

/* rows[] as a ranking: the ZL_QR_TOP worst reliable groups shown, unreliable apart. */
static int ranking(struct zl_qr_table *t, const struct zl_qr_group *v, size_t n)
{
	size_t reliable;

	t->rows = calloc(n + 1, sizeof(*t->rows));
	t->rank = calloc(n + 1, sizeof(*t->rank));
	if (!t->rows || !t->rank)
		return -1;
	reliable = zl_qr_rank(v, n, t->rows);
	for (size_t i = 0; i < n; i++)
		t->rank[i] = i < reliable ? (int)i + 1 : 0;
	t->ranked = 1;
	t->n = n;
	t->nshown = reliable < ZL_QR_TOP ? reliable : ZL_QR_TOP;
	t->apart = t->rows + reliable;
	t->napart = n - reliable;
	return 0;
}

static void headline(const struct zl_qr_input *in, struct zl_qr_layout *l)
{
	const struct zl_qr_group *g = &in->total;
	char rate[16], ci[40], erate[16], eci[40], mfg[16];
	zl_qr_pct(g->pass_rate, rate);
	zl_qr_interval(g->ci_low, g->ci_high, ci);
	zl_qr_pct(g->ent_pass_rate, erate);
	zl_qr_interval(g->ent_ci_low, g->ent_ci_high, eci);
	addf(l->headline, sizeof(l->headline),
		       "%d年，%s共检验产品%" PRId64 "批次，不合格%" PRId64
		       "批次，批次合格率%s（95%%置信区间%s）；抽查企业%" PRId64
		       "家，不合格企业%" PRId64 "家，企业合格率%s（95%%置信区间%s）。",
		       in->year, in->scope_name, g->batches, g->failed, rate, ci, g->enterprises,
		       g->enterprises_failed, erate, eci);
	if (in->has_mfg) {
		zl_qr_pct(in->mfg_rate, mfg);
		addf(l->headline, sizeof(l->headline), "按行业产值加权的制造业产品质量合格率为%s。", mfg);
	}
}

static void comparison(const struct zl_qr_input *in, struct zl_qr_layout *l)
{
	char prev[16], now[16];

	if (!in->has_prev || in->prev.batches <= 0) {
		addf(l->comparison, sizeof(l->comparison),
			 "%d年没有检验数据，不作同比比较。", in->year - 1);
		return;
	}
	zl_qr_pct(in->prev.pass_rate, prev);
	zl_qr_pct(in->total.pass_rate, now);
	if (!in->has_diff) {
		addf(l->comparison, sizeof(l->comparison),
			 "%d年批次合格率%s（%" PRId64 "批次），%d年为%s。", in->year - 1, prev,
			 in->prev.batches, in->year, now);
		return;
	}
	addf(l->comparison, sizeof(l->comparison),
		 "与%d年（%" PRId64 "批次，合格率%s）相比，批次合格率变化%+.1f个百分点"
		 "（95%%置信区间%+.1f至%+.1f个百分点）；%s",
		 in->year - 1, in->prev.batches, prev, in->diff * 100.0, in->diff_low * 100.0,
		 in->diff_high * 100.0,
		 in->diff_low > 0	 ? "区间不含0，合格率有统计意义上的提高。"
		 : in->diff_high < 0 ? "区间不含0，合格率有统计意义上的下降。"
				     : "区间包含0，变化不具有统计意义。");
}

static void worst(const struct zl_qr_input *in, struct zl_qr_layout *l)
{
	const struct zl_qr_table *p = &l->t[ZL_QR_PRODUCTS], *r = &l->t[ZL_QR_REGIONS];
	char rate[16], ci[40];
	l->worst[0] = '\0';
	if (p->nshown) {
		zl_qr_pct(p->rows[0]->pass_rate, rate);
		zl_qr_interval(p->rows[0]->ci_low, p->rows[0]->ci_high, ci);
		addf(l->worst, sizeof(l->worst), "样本充足的产品中，合格率最低的是%s（%s，%s）。",
			     p->rows[0]->label, rate, ci);
	}
	if (r->nshown) {
		zl_qr_pct(r->rows[0]->pass_rate, rate);
		zl_qr_interval(r->rows[0]->ci_low, r->rows[0]->ci_high, ci);
		addf(l->worst, sizeof(l->worst), "样本充足的%s中，合格率最低的是%s（%s，%s）。",
			 in->by_county ? "县（市、区）" : "省辖市", r->rows[0]->label, rate, ci);
	}
}

int zl_qr_layout_make(const struct zl_qr_input *in, struct zl_qr_layout *l)
{
	static const char *const sheets[ZL_QR_NTABLES] = {"总体", "季度", "地区", "企业规模",
							  "产品"};
	static const char *const headings[ZL_QR_NTABLES] = {
		"一、总体情况", "二、分季度情况", "三、分地区情况", "四、分企业规模情况",
		"五、分产品情况"};
	static const char *const keys[ZL_QR_NTABLES] = {"年度", "季度", "地区", "企业规模",
							"产品"};

	memset(l, 0, sizeof(*l));
	if (in->total.batches <= 0)
		return 1;
	for (size_t k = 0; k < ZL_QR_NTABLES; k++) {
		l->t[k].sheet = sheets[k];
		l->t[k].heading = headings[k];
		l->t[k].key_title = keys[k];
	}
	l->t[ZL_QR_REGIONS].key_title = in->by_county ? "县（市、区）" : "省辖市";
	addf(l->title, sizeof(l->title), "%s%d年产品质量状况分析报告", in->scope_name,
		 in->year);
	addf(l->subtitle, sizeof(l->subtitle), "%s%s数据截至 %s",
		 in->org_name ? in->org_name : "", in->org_name && in->org_name[0] ? " · " : "",
		 in->date ? in->date : "");
	l->overview[0] = &in->total;
	l->t[ZL_QR_OVERVIEW].rows = (const struct zl_qr_group **)l->overview;
	l->t[ZL_QR_OVERVIEW].n = l->t[ZL_QR_OVERVIEW].nshown = 1;
	if (in->has_prev && in->prev.batches > 0) {
		l->overview[1] = &in->prev;
		l->t[ZL_QR_OVERVIEW].n = l->t[ZL_QR_OVERVIEW].nshown = 2;
	}
	if (plain(&l->t[ZL_QR_QUARTERS], in->quarters, in->nquarters) ||
	    ranking(&l->t[ZL_QR_REGIONS], in->regions, in->nregions) ||
	    plain(&l->t[ZL_QR_SIZES], in->sizes, in->nsizes) ||
	    ranking(&l->t[ZL_QR_PRODUCTS], in->products, in->nproducts)) {
		zl_qr_layout_release(l);
		return -1;
	}
	headline(in, l);
	comparison(in, l);
	worst(in, l);
	addf(l->method, sizeof(l->method),
		 "1. 批次合格率 = 合格批次 / 检验批次 × 100%%，以实际检验的批次为分母"
		 "（抽样未检验的不计入）；不合格批次包括判定不合格的全部批次。\n"
		 "2. 企业合格率 = 1 − 不合格企业数 / 抽查企业数；一家企业有任一批次不合格即为不合格企业。\n"
		 "3. 95%%置信区间采用 Wilson 得分区间；两年合格率之差的区间采用 Newcombe 方法"
		 "（由两个 Wilson 区间合成）。区间越宽，说明样本越少、结论越不确定。\n"
		 "4. 检验批次少于%" PRId64 "批的分组标为“样本不足”，不参加排名，单独列出；"
		 "排名按批次合格率由低到高，合格率相同时按区间上限由低到高。\n"
		 "5. 制造业产品质量合格率按地区、行业的工业产值加权计算（没有权重数据时不列）。\n"
		 "6. 各表的完整分组数据见 xlsx 附件（每表一页）。",
		 in->min_batches);
	return 0;
}
