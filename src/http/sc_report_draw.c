/*
 * sc_report_draw.c - the quality analysis report drawn from its layout
 * (domain/quality_report.h): the PDF with core/pdfw.h and the xlsx annex
 * with core/xlsxw.h (see sc_report.h).  No database here, so the drawing
 * is tested on fixed groups (tests/unit/http/test_sc_report.c).
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/pdfw.h"
#include "core/xlsxw.h"
#include "http/sc_report.h"

/* Cells of one table row (text kept in fixed slots, so no allocation per row). */
struct row {
	char rank[16], batches[24], failed[24], rate[16], ci[40], ents[24], ents_failed[24],
		erate[16];
	const char *cells[9];
};

static void fill_row(struct row *r, const struct zl_qr_table *t, size_t i)
{
	const struct zl_qr_group *g = t->rows[i];
	size_t c = 0;

	snprintf(r->rank, sizeof(r->rank), "%d", t->rank ? t->rank[i] : 0);
	snprintf(r->batches, sizeof(r->batches), "%" PRId64, g->batches);
	snprintf(r->failed, sizeof(r->failed), "%" PRId64, g->failed);
	zl_qr_pct(g->batches > 0 ? g->pass_rate : -1, r->rate);
	zl_qr_interval(g->batches > 0 ? g->ci_low : -1, g->ci_high, r->ci);
	snprintf(r->ents, sizeof(r->ents), "%" PRId64, g->enterprises);
	snprintf(r->ents_failed, sizeof(r->ents_failed), "%" PRId64, g->enterprises_failed);
	zl_qr_pct(g->enterprises > 0 ? g->ent_pass_rate : -1, r->erate);
	if (t->ranked)
		r->cells[c++] = r->rank;
	r->cells[c++] = g->label && g->label[0] ? g->label : g->key;
	r->cells[c++] = r->batches;
	r->cells[c++] = r->failed;
	r->cells[c++] = r->rate;
	r->cells[c++] = r->ci;
	r->cells[c++] = r->ents;
	r->cells[c++] = r->ents_failed;
	r->cells[c++] = r->erate;
}

/* The PDF table of t's shown rows. */
static void table(struct zl_pdf *p, const struct zl_qr_table *t)
{
	/* short titles: the method note defines them, and long ones wrap in nine columns */
	struct zl_pdf_col cols[9] = {
		{"排名", 0.07, ZL_PDF_CENTER},	{t->key_title, 0.16, ZL_PDF_LEFT},
		{"批次", 0.09, ZL_PDF_RIGHT},	{"不合格", 0.09, ZL_PDF_RIGHT},
		{"合格率", 0.10, ZL_PDF_RIGHT}, {"95% 区间", 0.18, ZL_PDF_CENTER},
		{"企业", 0.08, ZL_PDF_RIGHT},	{"不合格企业", 0.14, ZL_PDF_RIGHT},
		{"企业合格率", 0.14, ZL_PDF_RIGHT},
	};
	struct row r;

	if (t->nshown == 0)
		return;
	zl_pdf_table_begin(p, t->ranked ? cols : cols + 1, t->ranked ? 9 : 8);
	for (size_t i = 0; i < t->nshown; i++) {
		fill_row(&r, t, i);
		zl_pdf_table_row(p, r.cells,
				 t->rows[i]->unreliable ? ZL_PDF_GREY : ZL_PDF_NOCOLOR);
	}
	zl_pdf_table_end(p);
}

/* Bars of pass rates with their intervals, for groups g[0..n) (unreliable ones grey). */
static void bars(struct zl_pdf *p, const char *caption, const struct zl_qr_group *const *g,
		 size_t n)
{
	struct zl_pdf_bar *v;
	char(*text)[16];

	if (n == 0)
		return;
	v = calloc(n, sizeof(*v));
	text = calloc(n, sizeof(*text));
	if (v && text) {
		for (size_t i = 0; i < n; i++) {
			int has = g[i]->batches > 0;

			zl_qr_pct(has ? g[i]->pass_rate : -1, text[i]);
			v[i].label = g[i]->label && g[i]->label[0] ? g[i]->label : g[i]->key;
			v[i].value = has ? g[i]->pass_rate * 100.0 : 0;
			v[i].value_text = text[i];
			v[i].color = g[i]->unreliable || !has ? ZL_PDF_GREY : ZL_PDF_NOCOLOR;
			v[i].has_interval = has && g[i]->ci_low >= 0;
			v[i].lo = g[i]->ci_low * 100.0;
			v[i].hi = g[i]->ci_high * 100.0;
		}
		zl_pdf_bars(p, caption, v, n, 100);
	}
	free(v);
	free(text);
}

/* "洛阳市（8 批次，87.5%）、..." for the groups listed apart from a ranking. */
static void apart(struct zl_pdf *p, const struct zl_qr_table *t, struct zl_buf *b)
{
	char rate[16];

	if (t->napart == 0)
		return;
	zl_buf_reset(b);
	zl_buf_addf(b, "样本不足（检验批次少于阈值），未参加排名：");
	for (size_t i = 0; i < t->napart; i++) {
		const struct zl_qr_group *g = t->apart[i];

		zl_qr_pct(g->batches > 0 ? g->pass_rate : -1, rate);
		zl_buf_addf(b, "%s%s（%" PRId64 "批次，%s）", i ? "、" : "",
			    g->label && g->label[0] ? g->label : g->key, g->batches, rate);
	}
	zl_buf_adds(b, "。");
	zl_pdf_note(p, zl_buf_str(b));
}

int zl_sc_report_pdf(const struct zl_qr_input *in, const struct zl_qr_layout *l,
		     struct zl_buf *out, struct zl_error *err)
{
	static const char *const bar_caption = "批次合格率（%），横线为 95% 置信区间，灰色为样本不足";
	struct zl_pdf_info info = {
		.title = l->title,
		.author = in->org_name,
		.subject = "产品质量状况分析报告",
		.footer = in->org_name ? in->org_name : in->scope_name,
		.date = in->date,
	};
	struct zl_buf text = ZL_BUF_INIT(64 * 1024);
	const struct zl_qr_table *t;
	const struct zl_qr_group **order = NULL;
	struct zl_pdf *p = zl_pdf_new(&info, err);
	int rc;

	if (p == NULL)
		return ZL_ENOMEM;
	zl_pdf_title(p, l->title, l->subtitle);

	t = &l->t[ZL_QR_OVERVIEW];
	zl_pdf_heading(p, 1, t->heading);
	zl_pdf_text(p, l->headline);
	zl_pdf_text(p, l->comparison);
	table(p, t);

	t = &l->t[ZL_QR_QUARTERS];
	zl_pdf_heading(p, 1, t->heading);
	if (t->n == 0)
		zl_pdf_text(p, "没有按季度的数据。");
	bars(p, bar_caption, t->rows, t->n);
	table(p, t);

	t = &l->t[ZL_QR_REGIONS];
	zl_pdf_heading(p, 1, t->heading);
	if (t->n == 0) {
		zl_pdf_text(p, "没有按地区的数据。");
	} else {
		/* the chart in the regions' own order (by code), the table worst first */
		order = calloc(t->n, sizeof(*order));
		if (order) {
			for (size_t i = 0; i < in->nregions; i++)
				order[i] = &in->regions[i];
			bars(p, bar_caption, order, in->nregions);
		}
		zl_buf_reset(&text);
		zl_buf_addf(&text, "合格率较低的%s（样本充足的，按批次合格率由低到高）",
			    t->key_title);
		zl_pdf_heading(p, 2, zl_buf_str(&text));
		if (t->nshown == 0)
			zl_pdf_text(p, "没有样本充足的地区。");
		table(p, t);
		apart(p, t, &text);
	}

	t = &l->t[ZL_QR_SIZES];
	zl_pdf_heading(p, 1, t->heading);
	if (t->n == 0)
		zl_pdf_text(p, "没有按企业规模的数据。");
	bars(p, bar_caption, t->rows, t->n);
	table(p, t);

	t = &l->t[ZL_QR_PRODUCTS];
	zl_pdf_heading(p, 1, t->heading);
	if (l->worst[0])
		zl_pdf_text(p, l->worst);
	zl_buf_reset(&text);
	zl_buf_addf(&text, "合格率最低的产品（样本充足的，前%d名；共%zu种产品）", ZL_QR_TOP,
		    t->n);
	zl_pdf_heading(p, 2, zl_buf_str(&text));
	if (t->nshown == 0)
		zl_pdf_text(p, "没有样本充足的产品。");
	table(p, t);
	apart(p, t, &text);

	zl_pdf_heading(p, 1, "六、方法说明");
	zl_pdf_note(p, l->method);
	zl_buf_reset(&text);
	zl_buf_addf(&text, "数据截至 %s。附件：%s%d年产品质量状况分析报告数据（xlsx）。",
		    in->date ? in->date : "", in->scope_name, in->year);
	zl_pdf_note(p, zl_buf_str(&text));

	free(order);
	if (text.err) {
		zl_buf_release(&text);
		zl_pdf_free(p);
		return zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
	}
	zl_buf_release(&text);
	rc = zl_pdf_finish(p, out, err);
	return rc;
}

/* ---- the annex --------------------------------------------------------------------- */

static const char *const annex_cols[] = {
	"排名",		"代码",		     "名称",	       "检验批次",
	"不合格批次",	"批次合格率(%)",     "95%下限(%)",     "95%上限(%)",
	"抽查企业",	"不合格企业",	     "企业合格率(%)", "企业95%下限(%)",
	"企业95%上限(%)", "样本不足",
};
#define ANNEX_NCOLS (sizeof(annex_cols) / sizeof(annex_cols[0]))

/* A rate as a percent number with 4 decimals, or a blank cell when there is none. */
static int pct_cell(struct zl_xlsxw *x, size_t col, double rate, int has, struct zl_error *err)
{
	if (!has || rate < 0)
		return zl_xlsxw_str(x, col, NULL, err);
	return zl_xlsxw_num(x, col, round(rate * 1e6) / 1e4, err);
}

static int annex_row(struct zl_xlsxw *x, const struct zl_qr_table *t, size_t i, size_t skip,
		     struct zl_error *err)
{
	const struct zl_qr_group *g = t->rows[i];
	int has = g->batches > 0, ehas = g->enterprises > 0;
	size_t c = 0;
	int rc = ZL_OK;

	if (!skip)
		rc = t->rank[i] ? zl_xlsxw_num(x, c, t->rank[i], err)
				: zl_xlsxw_str(x, c, NULL, err);
	c = 1 - skip;
	if (rc == ZL_OK)
		rc = zl_xlsxw_str(x, c++, g->key, err);
	if (rc == ZL_OK)
		rc = zl_xlsxw_str(x, c++, g->label, err);
	if (rc == ZL_OK)
		rc = zl_xlsxw_num(x, c++, (double)g->batches, err);
	if (rc == ZL_OK)
		rc = zl_xlsxw_num(x, c++, (double)g->failed, err);
	if (rc == ZL_OK)
		rc = pct_cell(x, c++, g->pass_rate, has, err);
	if (rc == ZL_OK)
		rc = pct_cell(x, c++, g->ci_low, has, err);
	if (rc == ZL_OK)
		rc = pct_cell(x, c++, g->ci_high, has, err);
	if (rc == ZL_OK)
		rc = zl_xlsxw_num(x, c++, (double)g->enterprises, err);
	if (rc == ZL_OK)
		rc = zl_xlsxw_num(x, c++, (double)g->enterprises_failed, err);
	if (rc == ZL_OK)
		rc = pct_cell(x, c++, g->ent_pass_rate, ehas, err);
	if (rc == ZL_OK)
		rc = pct_cell(x, c++, g->ent_ci_low, ehas, err);
	if (rc == ZL_OK)
		rc = pct_cell(x, c++, g->ent_ci_high, ehas, err);
	if (rc == ZL_OK)
		rc = zl_xlsxw_str(x, c++, g->unreliable || !has ? "是" : "否", err);
	if (rc == ZL_OK)
		rc = zl_xlsxw_end_row(x, err);
	return rc;
}

int zl_sc_report_annex(const struct zl_qr_input *in, const struct zl_qr_layout *l,
		       const char *tmpdir, int *fd, uint64_t *size, struct zl_error *err)
{
	struct zl_xlsxw *x = NULL;
	int rc = ZL_OK;

	(void)in;
	*fd = -1;
	*size = 0;
	for (size_t k = 0; k < ZL_QR_NTABLES && rc == ZL_OK; k++) {
		const struct zl_qr_table *t = &l->t[k];
		/* the rank column only for rankings */
		size_t skip = t->ranked ? 0 : 1;

		if (k == 0)
			rc = zl_xlsxw_new(tmpdir, t->sheet, annex_cols + skip, ANNEX_NCOLS - skip,
					  &x, err);
		else
			rc = zl_xlsxw_sheet(x, t->sheet, annex_cols + skip, ANNEX_NCOLS - skip,
					    err);
		for (size_t i = 0; i < t->n && rc == ZL_OK; i++)
			rc = annex_row(x, t, i, skip, err);
	}
	if (rc != ZL_OK) {
		zl_xlsxw_free(x);
		return rc;
	}
	return zl_xlsxw_finish(x, fd, size, err);
}
