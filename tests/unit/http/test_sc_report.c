/*
 * test_sc_report.c - the quality analysis report as a reader gets it
 * (http/sc_report.h), from fixed groups: every page of the PDF rendered by
 * pdftoppm has ink on it, pdftotext finds the title, the headline figures
 * with their interval, the comparison, the rankings and the method note;
 * the xlsx annex, read back with the project's reader (core/xlsxr.h), has
 * one sheet per table with every group, the figures as numbers.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/xlsxr.h"
#include "http/sc_report.h"

#define G(k, l, b, f, r, lo, hi, u)                                                          \
	{                                                                                    \
		.key = k, .label = l, .batches = b, .failed = f, .pass_rate = r, .ci_low = lo, \
		.ci_high = hi, .enterprises = b - 2, .enterprises_failed = f,                \
		.ent_pass_rate = r, .ent_ci_low = lo, .ent_ci_high = hi, .unreliable = u      \
	}

static const struct zl_qr_group products[] = {
	G("0101", "电线电缆", 200, 30, 0.85, 0.795, 0.893, 0),
	G("0102", "插头插座", 5, 3, 0.40, 0.118, 0.769, 1),
	G("0103", "儿童玩具", 300, 60, 0.80, 0.752, 0.841, 0),
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
static const struct zl_qr_group sizes[] = {
	G("large", "大型", 100, 2, 0.98, 0.930, 0.994, 0),
	G("small", "小型", 508, 59, 0.884, 0.854, 0.908, 0),
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
		.sizes = sizes,
		.nsizes = 2,
		.products = products,
		.nproducts = 4,
	};
	return in;
}

/* Run `cmd PATH tail` on data written to PATH; its standard output appended to *text. */
static void run_on(const void *data, size_t len, const char *cmd, const char *tail,
		   struct zl_buf *text)
{
	char path[] = "/tmp/zl-test-screport-XXXXXX", line[512];
	FILE *f;
	size_t n;
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	close(fd);
	snprintf(line, sizeof(line), "%s %s %s", cmd, path, tail);
	f = popen(line, "r");
	assert_non_null(f);
	while ((n = fread(line, 1, sizeof(line), f)) > 0)
		zl_buf_add(text, line, n);
	assert_int_equal(pclose(f), 0);
	unlink(path);
}

static void squeeze(struct zl_buf *text)
{
	size_t j = 0;

	for (size_t i = 0; i < text->len; i++)
		if (text->data[i] != ' ' && text->data[i] != '\n')
			text->data[j++] = text->data[i];
	text->len = j;
	zl_buf_addch(text, '\0');
}

static void make_pdf(struct zl_buf *pdf)
{
	struct zl_qr_input in = input();
	struct zl_qr_layout l;
	struct zl_error err = ZL_ERROR_INIT;

	assert_int_equal(zl_qr_layout_make(&in, &l), 0);
	assert_int_equal(zl_sc_report_pdf(&in, &l, pdf, &err), ZL_OK);
	zl_qr_layout_release(&l);
}

static void test_pdf_text(void **state)
{
	struct zl_buf pdf = ZL_BUF_INIT(64u << 20), text = ZL_BUF_INIT(64u << 20);

	(void)state;
	make_pdf(&pdf);
	assert_memory_equal(pdf.data, "%PDF-", 5);
	run_on(pdf.data, pdf.len, "pdftotext -enc UTF-8", "-", &text);
	squeeze(&text);
	assert_non_null(strstr(text.data, "河南省2014年产品质量状况分析报告"));
	assert_non_null(strstr(text.data, "共检验产品608批次，不合格61批次"));
	assert_non_null(strstr(text.data, "批次合格率90.0%（95%置信区间87.3%–92.1%）"));
	assert_non_null(strstr(text.data, "制造业产品质量合格率为93.7%"));
	assert_non_null(strstr(text.data, "+5.0个百分点"));
	assert_non_null(strstr(text.data, "儿童玩具"));
	assert_non_null(strstr(text.data, "插头插座（5批次，40.0%）"));
	assert_non_null(strstr(text.data, "洛阳市（8批次，87.5%）"));
	assert_non_null(strstr(text.data, "第二季度"));
	assert_non_null(strstr(text.data, "Wilson"));
	assert_non_null(strstr(text.data, "数据截至2015-01-20"));
	zl_buf_release(&text);
	zl_buf_release(&pdf);
}

/* Every page rendered at 30 dpi in grey has ink above its footer and is mostly paper. */
static void test_pdf_renders(void **state)
{
	struct zl_buf pdf = ZL_BUF_INIT(64u << 20), pgm = ZL_BUF_INIT(64u << 20),
		      info = ZL_BUF_INIT(1u << 20);
	char range[64];
	const char *s;
	int pages = 0;

	(void)state;
	make_pdf(&pdf);
	run_on(pdf.data, pdf.len, "pdfinfo", "", &info);
	zl_buf_addch(&info, '\0');
	s = strstr(info.data, "Pages:");
	assert_non_null(s);
	pages = (int)strtol(s + 6, NULL, 10);
	assert_true(pages >= 2);
	for (int pg = 1; pg <= pages; pg++) {
		size_t w = 0, h = 0, maxv = 0, dark = 0, off;
		int used = 0;

		zl_buf_reset(&pgm);
		snprintf(range, sizeof(range), "pdftoppm -r 30 -f %d -l %d -gray", pg, pg);
		run_on(pdf.data, pdf.len, range, "", &pgm);
		assert_int_equal(sscanf(pgm.data, "P5 %zu %zu %zu%n", &w, &h, &maxv, &used), 3);
		off = (size_t)used + 1;
		assert_true(w >= 245 && w <= 252); /* A4 at 30 dpi */
		assert_int_equal(pgm.len, off + w * h);
		/* above the footer (the bottom tenth): a page with only its footer is blank */
		for (size_t i = off; i < off + w * (h * 9 / 10); i++)
			dark += (unsigned char)pgm.data[i] < 200; /* the notes are grey */
		if (getenv("ZL_TEST_VERBOSE"))
			fprintf(stderr, "page %d: %zu dark of %zu\n", pg, dark, w * h);
		assert_true(dark > w * h / 200);
		assert_true(dark < w * h / 2);
	}
	zl_buf_release(&info);
	zl_buf_release(&pgm);
	zl_buf_release(&pdf);
}

/* The same figures and date give the same bytes. */
static void test_pdf_reproducible(void **state)
{
	struct zl_buf a = ZL_BUF_INIT(64u << 20), b = ZL_BUF_INIT(64u << 20);

	(void)state;
	make_pdf(&a);
	make_pdf(&b);
	assert_int_equal(a.len, b.len);
	assert_memory_equal(a.data, b.data, a.len);
	zl_buf_release(&a);
	zl_buf_release(&b);
}

static void test_annex(void **state)
{
	static const char *const sheets[] = {"总体", "季度", "地区", "企业规模", "产品"};
	static const size_t rows[] = {2, 2, 3, 2, 4};
	struct zl_qr_input in = input();
	struct zl_qr_layout l;
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_buf data = ZL_BUF_INIT(64u << 20);
	struct zl_xlsxr *x;
	const char *const *cells;
	size_t ncells;
	uint64_t size;
	char chunk[4096];
	ssize_t n;
	int fd;

	(void)state;
	assert_int_equal(zl_qr_layout_make(&in, &l), 0);
	assert_int_equal(zl_sc_report_annex(&in, &l, NULL, &fd, &size, &err), ZL_OK);
	while ((n = read(fd, chunk, sizeof(chunk))) > 0)
		zl_buf_add(&data, chunk, (size_t)n);
	close(fd);
	assert_int_equal(data.len, size);
	for (size_t k = 0; k < 5; k++) {
		size_t got = 0;

		assert_int_equal(zl_xlsxr_open_buffer_sheet(data.data, data.len, k, &x, &err),
				 ZL_OK);
		assert_string_equal(zl_xlsxr_sheet_name(x), sheets[k]);
		assert_int_equal(zl_xlsxr_next(x, &cells, &ncells, &err), 1);
		/* rankings lead with the rank */
		assert_string_equal(cells[0], k == 2 || k == 4 ? "排名" : "代码");
		while (zl_xlsxr_next(x, &cells, &ncells, &err) == 1) {
			if (k == 0 && got == 0) {
				assert_string_equal(cells[0], "2014");
				assert_string_equal(cells[2], "608");
				assert_string_equal(cells[4], "89.97");
				assert_string_equal(cells[5], "87.33");
			}
			if (k == 4 && got == 0) {
				assert_string_equal(cells[0], "1");
				assert_string_equal(cells[2], "儿童玩具");
			}
			if (k == 4 && got == 3) {
				assert_string_equal(cells[0], ""); /* unreliable: unranked */
				assert_string_equal(cells[2], "插头插座");
				assert_string_equal(cells[13], "是");
			}
			got++;
		}
		assert_int_equal(got, rows[k]);
		zl_xlsxr_close(x);
	}
	/* there is no sixth sheet */
	assert_int_equal(zl_xlsxr_open_buffer_sheet(data.data, data.len, 5, &x, &err),
			 ZL_ENOTFOUND);
	zl_buf_release(&data);
	zl_qr_layout_release(&l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pdf_text),
		cmocka_unit_test(test_pdf_renders),
		cmocka_unit_test(test_pdf_reproducible),
		cmocka_unit_test(test_annex),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
