/*
 * test_pdfw.c - the PDF writer (core/pdfw.h), checked the way a reader
 * sees the file: poppler's pdftotext finds the Chinese text, the page
 * footers and the table header repeated on the page a table continues
 * on; pdffonts finds the Noto CJK fonts embedded; pdftoppm renders page
 * one with ink on it.  Also: the same calls give the same bytes, misuse is
 * reported by zl_pdf_finish, and bad UTF-8 does not fail a document.
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
#include "core/pdfw.h"

static const struct zl_pdf_info info = {
	.title = "2014年第三季度质量工作通报",
	.author = "河南省质量技术监督局",
	.footer = "河南省质量技术监督局",
	.date = "2014-10-15",
};

static const char *const para =
	"为加快推进质量强省建设，各地各部门按照《贯彻实施质量发展纲要2014年行动计划实施方案》"
	"的要求，认真抓好工作落实。本通报汇总了截至本季度末各项任务的进展情况，"
	"对按期完成任务的单位予以通报表扬，对进度滞后的单位提出督办意见。";

/* A document of several pages: title, headings, text, a long table, a chart. */
static int build(struct zl_buf *out, struct zl_error *err)
{
	static const struct zl_pdf_col cols[] = {
		{"序号", 0.08, ZL_PDF_CENTER},
		{"任务", 0.52, ZL_PDF_LEFT},
		{"牵头单位", 0.25, ZL_PDF_LEFT},
		{"进度", 0.15, ZL_PDF_RIGHT},
	};
	static const unsigned marks[] = {ZL_PDF_GREEN, ZL_PDF_YELLOW, ZL_PDF_RED, ZL_PDF_NOCOLOR};
	struct zl_pdf_bar bars[18];
	char num[16], task[256], pct[16], label[32];
	struct zl_pdf *p = zl_pdf_new(&info, err);

	if (p == NULL)
		return ZL_ENOMEM;
	zl_pdf_title(p, "质量工作通报", "2014年第三季度 · 河南省质量技术监督局");
	zl_pdf_heading(p, 1, "一、总体情况");
	for (int i = 0; i < 4; i++)
		zl_pdf_text(p, para);
	zl_pdf_heading(p, 2, "（一）任务进展");
	zl_pdf_table_begin(p, cols, 4);
	for (int i = 1; i <= 80; i++) {
		const char *cells[4];

		snprintf(num, sizeof(num), "%d", i);
		snprintf(task, sizeof(task), "第%d行：加强重点领域质量安全监管%s", i,
			 i % 7 == 0 ? "，完善质量安全风险监测和预警制度，推进质量诚信体系建设"
				    : "");
		snprintf(pct, sizeof(pct), "%d%%", (i * 37) % 101);
		cells[0] = num;
		cells[1] = task;
		cells[2] = i % 3 ? "省质监局" : NULL;
		cells[3] = pct;
		zl_pdf_table_row(p, cells, marks[i % 4]);
	}
	zl_pdf_table_end(p);
	zl_pdf_note(p, "注：进度为牵头单位确认的最新进度。");
	for (int i = 0; i < 18; i++) {
		snprintf(label, sizeof(label), "城市%02d", i + 1);
		bars[i] = (struct zl_pdf_bar){.label = strdup(label),
					      .value = 60 + i * 2,
					      .color = ZL_PDF_NOCOLOR,
					      .has_interval = i % 2,
					      .lo = 55 + i * 2,
					      .hi = 65 + i * 2};
	}
	zl_pdf_bars(p, "按期完成率（%）", bars, 18, 100);
	/* Bad UTF-8 is drawn, not refused. */
	zl_pdf_note(p, "bad \xff\xfe bytes");
	for (int i = 0; i < 18; i++)
		free((char *)bars[i].label);
	return zl_pdf_finish(p, out, err);
}

/* Drop the spaces pdftotext puts between characters it placed apart. */
static void squeeze(struct zl_buf *text)
{
	size_t j = 0;

	for (size_t i = 0; i < text->len; i++)
		if (text->data[i] != ' ')
			text->data[j++] = text->data[i];
	text->len = j;
	zl_buf_addch(text, '\0');
}

/* Run `cmd PATH tail` on the PDF written to PATH; its standard output in *text. */
static void run_on(const struct zl_buf *pdf, const char *cmd, const char *tail, struct zl_buf *text)
{
	char path[] = "/tmp/zl-test-pdfw-XXXXXX", line[512];
	FILE *f;
	size_t n;
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, pdf->data, pdf->len), (ssize_t)pdf->len);
	close(fd);
	snprintf(line, sizeof(line), "%s %s %s", cmd, path, tail);
	f = popen(line, "r");
	assert_non_null(f);
	while ((n = fread(line, 1, sizeof(line), f)) > 0)
		zl_buf_add(text, line, n);
	assert_int_equal(pclose(f), 0);
	unlink(path);
}

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;

	for (const char *s = hay; (s = strstr(s, needle)) != NULL; s += strlen(needle))
		n++;
	return n;
}

static void test_text_pages_and_header(void **state)
{
	struct zl_buf pdf = ZL_BUF_INIT(64u << 20), text = ZL_BUF_INIT(64u << 20);
	struct zl_error err = ZL_ERROR_INIT;

	(void)state;
	assert_int_equal(build(&pdf, &err), ZL_OK);
	assert_true(pdf.len > 1000);
	assert_memory_equal(pdf.data, "%PDF-", 5);
	run_on(&pdf, "pdftotext -enc UTF-8", "-", &text);
	squeeze(&text);
	assert_non_null(strstr(text.data, "质量工作通报"));
	assert_non_null(strstr(text.data, "一、总体情况"));
	assert_non_null(strstr(text.data, "第80行"));
	assert_non_null(strstr(text.data, "第1页"));
	assert_non_null(strstr(text.data, "第3页"));
	assert_non_null(strstr(text.data, "2014-10-15"));
	assert_non_null(strstr(text.data, "城市18"));
	/* The table spans pages: its header is repeated on each of them. */
	assert_true(count(text.data, "牵头单位") >= 2);
	zl_buf_release(&text);

	run_on(&pdf, "pdfinfo", "", &text);
	zl_buf_addch(&text, '\0');
	assert_non_null(strstr(text.data, "2014年第三季度质量工作通报"));
	zl_buf_release(&text);
	zl_buf_release(&pdf);
}

static void test_fonts_embedded(void **state)
{
	struct zl_buf pdf = ZL_BUF_INIT(64u << 20), text = ZL_BUF_INIT(64u << 20);
	struct zl_error err = ZL_ERROR_INIT;

	(void)state;
	assert_int_equal(build(&pdf, &err), ZL_OK);
	run_on(&pdf, "pdffonts", "", &text);
	zl_buf_addch(&text, '\0');
	assert_non_null(strstr(text.data, "NotoSerifCJK"));
	assert_non_null(strstr(text.data, "NotoSansCJK"));
	zl_buf_release(&text);
	zl_buf_release(&pdf);
}

/* Page one rendered at 20 dpi in grey: some of it is ink, most of it paper. */
static void test_renders(void **state)
{
	struct zl_buf pdf = ZL_BUF_INIT(64u << 20), pgm = ZL_BUF_INIT(64u << 20);
	struct zl_error err = ZL_ERROR_INIT;
	size_t w = 0, h = 0, maxv = 0, dark = 0, off;
	int used = 0;

	(void)state;
	assert_int_equal(build(&pdf, &err), ZL_OK);
	run_on(&pdf, "pdftoppm -r 20 -f 1 -l 1 -gray", "", &pgm);
	assert_int_equal(sscanf(pgm.data, "P5 %zu %zu %zu%n", &w, &h, &maxv, &used), 3);
	off = (size_t)used + 1;
	/* A4 at 20 dpi. */
	assert_true(w >= 160 && w <= 170);
	assert_true(h >= 230 && h <= 236);
	assert_int_equal(pgm.len, off + w * h);
	for (size_t i = off; i < pgm.len; i++)
		dark += (unsigned char)pgm.data[i] < 160;
	assert_true(dark > w * h / 100);
	assert_true(dark < w * h / 2);
	zl_buf_release(&pgm);
	zl_buf_release(&pdf);
}

static void test_reproducible(void **state)
{
	struct zl_buf a = ZL_BUF_INIT(64u << 20), b = ZL_BUF_INIT(64u << 20);
	struct zl_error err = ZL_ERROR_INIT;

	(void)state;
	assert_int_equal(build(&a, &err), ZL_OK);
	assert_int_equal(build(&b, &err), ZL_OK);
	assert_int_equal(a.len, b.len);
	assert_memory_equal(a.data, b.data, a.len);
	zl_buf_release(&a);
	zl_buf_release(&b);
}

static void test_misuse(void **state)
{
	static const struct zl_pdf_col col = {"一", 1, ZL_PDF_LEFT};
	const char *cell = "x";
	struct zl_buf out = ZL_BUF_INIT(64u << 20);
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_pdf *p;

	(void)state;
	p = zl_pdf_new(&info, &err);
	zl_pdf_table_row(p, &cell, ZL_PDF_NOCOLOR);
	zl_pdf_text(p, "never drawn: the error is sticky");
	assert_int_equal(zl_pdf_finish(p, &out, &err), ZL_EINVAL);
	assert_string_equal(err.message, "a table row outside a table");
	assert_int_equal(out.len, 0);

	p = zl_pdf_new(NULL, &err);
	zl_pdf_table_begin(p, &col, 1);
	zl_pdf_table_row(p, &cell, ZL_PDF_NOCOLOR);
	assert_int_equal(zl_pdf_finish(p, &out, &err), ZL_EINVAL);
	assert_string_equal(err.message, "a table was not ended");

	p = zl_pdf_new(NULL, &err);
	zl_pdf_table_begin(p, &col, 0);
	assert_int_equal(zl_pdf_finish(p, &out, &err), ZL_EINVAL);
	zl_pdf_free(NULL);
	zl_buf_release(&out);
}

static void test_empty_document(void **state)
{
	struct zl_buf out = ZL_BUF_INIT(64u << 20);
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_pdf *p = zl_pdf_new(NULL, &err);

	(void)state;
	assert_int_equal(zl_pdf_pages(p), 1);
	zl_pdf_page_break(p); /* an empty page is not left behind */
	assert_int_equal(zl_pdf_pages(p), 1);
	assert_int_equal(zl_pdf_finish(p, &out, &err), ZL_OK);
	assert_memory_equal(out.data, "%PDF-", 5);
	zl_buf_release(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_pages_and_header),
		cmocka_unit_test(test_fonts_embedded),
		cmocka_unit_test(test_renders),
		cmocka_unit_test(test_reproducible),
		cmocka_unit_test(test_misuse),
		cmocka_unit_test(test_empty_document),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
