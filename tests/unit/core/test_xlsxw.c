/*
 * test_xlsxw.c - the xlsx writer: the finished file is a zip whose parts
 * (read back with zlib through tests/unit/zipcheck.h) hold the header,
 * the cells as strings and numbers, the bold style, the frozen header row
 * and the fitted column widths; the temp file is gone from disk; errors
 * come back as ZL_* codes with messages; display widths count CJK as 2.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <string.h>
#include <unistd.h>

#include "../zipcheck.h"
#include "core/buf.h"
#include "core/text.h"
#include "core/xlsxw.h"

static char tmpdir[64];

static int dir_entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0;

	assert_non_null(d);
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			n++;
	closedir(d);
	return n;
}

/* Open descriptors of this process (to prove nothing leaks). */
static int open_fds(void)
{
	return dir_entries("/proc/self/fd");
}

static void test_width(void **state)
{
	(void)state;
	assert_int_equal(zl_text_width("", 0), 0);
	assert_int_equal(zl_text_width("abc", 3), 3);
	assert_int_equal(zl_text_width("质量", strlen("质量")), 4);
	assert_int_equal(zl_text_width("省质监局ABC", strlen("省质监局ABC")), 11);
	assert_int_equal(zl_text_width("（１）", strlen("（１）")), 6); /* full-width forms */
	assert_int_equal(zl_text_width("é", strlen("é")), 1);
	assert_int_equal(zl_text_width("한글", strlen("한글")), 4);
	assert_int_equal(zl_text_width("\xff\xfe", 2), 2);	/* invalid bytes count 1 each */
	assert_int_equal(zl_text_width("𠀀", strlen("𠀀")), 2); /* CJK extension B */
}

static void test_sheet(void **state)
{
	static const char *const header[] = {"统一社会信用代码", "名称", "Count"};
	struct zl_xlsxw *x = NULL;
	struct zl_error e = ZL_ERROR_INIT;
	unsigned char *zip;
	char *sheet, *styles, *wb;
	size_t n = 0, len = 0;
	uint64_t size = 0;
	int fd = -1, fds = open_fds();

	(void)state;
	assert_int_equal(zl_xlsxw_new(tmpdir, "企业", header, 3, &x, &e), ZL_OK);
	assert_int_equal(dir_entries(tmpdir), 1);
	assert_int_equal(zl_xlsxw_str(x, 0, "91410000169954619B", &e), ZL_OK);
	assert_int_equal(zl_xlsxw_str(x, 1, "河南省宇通客车股份有限公司<&>\"", &e), ZL_OK);
	assert_int_equal(zl_xlsxw_num(x, 2, 1234.5, &e), ZL_OK);
	assert_int_equal(zl_xlsxw_end_row(x, &e), ZL_OK);
	assert_int_equal(zl_xlsxw_str(x, 0, "=cmd|' /C calc'!A0", &e), ZL_OK);
	assert_int_equal(zl_xlsxw_str(x, 1, NULL, &e), ZL_OK);
	assert_int_equal(zl_xlsxw_num(x, 2, -7, &e), ZL_OK);
	assert_int_equal(zl_xlsxw_end_row(x, &e), ZL_OK);
	assert_int_equal(zl_xlsxw_rows(x), 2);
	/* a column outside the header */
	assert_int_equal(zl_xlsxw_str(x, 3, "x", &e), ZL_EINVAL);
	assert_int_equal(e.code, ZL_EINVAL);

	assert_int_equal(zl_xlsxw_finish(x, &fd, &size, &e), ZL_OK);
	assert_true(fd >= 0);
	assert_true(size > 1000);
	assert_int_equal(dir_entries(tmpdir), 0); /* unlinked */
	assert_int_equal(open_fds(), fds + 1);	  /* only the one handed back */
	assert_int_equal(lseek(fd, 0, SEEK_CUR), 0);

	zip = zc_slurp_fd(fd, &n);
	assert_non_null(zip);
	assert_int_equal(n, size);
	assert_memory_equal(zip, "PK\003\004", 4);

	sheet = zc_entry(zip, n, "xl/worksheets/sheet1.xml", &len);
	assert_non_null(sheet);
	assert_int_equal(strlen(sheet), len);
	assert_non_null(strstr(sheet, "统一社会信用代码"));
	assert_non_null(strstr(sheet, "91410000169954619B"));
	assert_non_null(strstr(sheet, "河南省宇通客车股份有限公司&lt;&amp;&gt;\""));
	assert_non_null(strstr(sheet, "<v>1234.5</v>"));
	assert_non_null(strstr(sheet, "<v>-7</v>"));
	/* a string that looks like a formula stays a string (inline string cell) */
	assert_non_null(strstr(sheet, "t=\"inlineStr\""));
	assert_null(strstr(sheet, "<f>"));
	/* the header row is frozen */
	assert_non_null(strstr(sheet, "ySplit=\"1\""));
	assert_non_null(strstr(sheet, "state=\"frozen\""));
	/*
	 * widths (libxlsxwriter adds its 0.71 padding): column A's widest cell is
	 * the 18-digit code (18 > 16 for the eight CJK header characters), +2;
	 * column B's is 13 CJK characters (26) and 4 ASCII, +2; column C's is
	 * "1234.5", +2.
	 */
	assert_non_null(strstr(sheet, "<col min=\"1\" max=\"1\" width=\"20.7109375\""));
	assert_non_null(strstr(sheet, "<col min=\"2\" max=\"2\" width=\"32.7109375\""));
	assert_non_null(strstr(sheet, "<col min=\"3\" max=\"3\" width=\"8.7109375\""));
	/* the header cells use the bold format (style 1), defined in styles.xml */
	assert_non_null(strstr(sheet, "<c r=\"A1\" s=\"1\""));
	free(sheet);
	styles = zc_entry(zip, n, "xl/styles.xml", &len);
	assert_non_null(styles);
	assert_non_null(strstr(styles, "<b/>"));
	free(styles);
	wb = zc_entry(zip, n, "xl/workbook.xml", &len);
	assert_non_null(wb);
	assert_non_null(strstr(wb, "name=\"企业\""));
	free(wb);
	assert_null(zc_entry(zip, n, "xl/worksheets/sheet2.xml", &len));
	free(zip);
	close(fd);
	assert_int_equal(open_fds(), fds);
}

/* Several sheets: each its own header, cells and widths; an abandoned one leaks nothing. */
static void test_sheets(void **state)
{
	static const char *const h1[] = {"代码", "名称"};
	static const char *const h2[] = {"季度", "批次", "合格率(%)"};
	struct zl_xlsxw *x = NULL;
	struct zl_error e = ZL_ERROR_INIT;
	unsigned char *zip;
	char *part;
	size_t n = 0, len = 0;
	uint64_t size = 0;
	int fd = -1, fds = open_fds();

	(void)state;
	assert_int_equal(zl_xlsxw_new(tmpdir, "总体", h1, 2, &x, &e), ZL_OK);
	assert_int_equal(zl_xlsxw_str(x, 0, "2014", &e), ZL_OK);
	assert_int_equal(zl_xlsxw_str(x, 1, "2014年", &e), ZL_OK);
	assert_int_equal(zl_xlsxw_end_row(x, &e), ZL_OK);
	assert_int_equal(zl_xlsxw_sheet(x, "季度", h2, 3, &e), ZL_OK);
	assert_int_equal(zl_xlsxw_rows(x), 0);
	assert_int_equal(zl_xlsxw_str(x, 0, "2014Q1", &e), ZL_OK);
	assert_int_equal(zl_xlsxw_num(x, 1, 250, &e), ZL_OK);
	assert_int_equal(zl_xlsxw_num(x, 2, 90.5, &e), ZL_OK);
	assert_int_equal(zl_xlsxw_end_row(x, &e), ZL_OK);
	assert_int_equal(zl_xlsxw_str(x, 3, "x", &e), ZL_EINVAL); /* the new sheet's width */
	/* no columns, and a name Excel forbids */
	assert_int_equal(zl_xlsxw_sheet(x, "空", h2, 0, &e), ZL_EINVAL);
	assert_int_equal(zl_xlsxw_sheet(x, "a/b", h2, 3, &e), ZL_EIO);
	assert_int_equal(zl_xlsxw_finish(x, &fd, &size, &e), ZL_OK);
	assert_int_equal(dir_entries(tmpdir), 0);
	zip = zc_slurp_fd(fd, &n);
	assert_non_null(zip);
	part = zc_entry(zip, n, "xl/workbook.xml", &len);
	assert_non_null(part);
	assert_non_null(strstr(part, "name=\"总体\""));
	assert_non_null(strstr(part, "name=\"季度\""));
	free(part);
	part = zc_entry(zip, n, "xl/worksheets/sheet1.xml", &len);
	assert_non_null(part);
	assert_non_null(strstr(part, "2014年"));
	assert_null(strstr(part, "2014Q1"));
	free(part);
	part = zc_entry(zip, n, "xl/worksheets/sheet2.xml", &len);
	assert_non_null(part);
	assert_non_null(strstr(part, "2014Q1"));
	assert_non_null(strstr(part, "<v>90.5</v>"));
	assert_non_null(strstr(part, "ySplit=\"1\""));
	free(part);
	free(zip);
	close(fd);
	assert_int_equal(open_fds(), fds);

	/* abandoned with two sheets half-written: no file, no descriptor left */
	assert_int_equal(zl_xlsxw_new(tmpdir, "a", h1, 2, &x, &e), ZL_OK);
	assert_int_equal(zl_xlsxw_str(x, 0, "1", &e), ZL_OK);
	assert_int_equal(zl_xlsxw_end_row(x, &e), ZL_OK);
	assert_int_equal(zl_xlsxw_sheet(x, "b", h2, 3, &e), ZL_OK);
	assert_int_equal(zl_xlsxw_str(x, 0, "2", &e), ZL_OK);
	assert_int_equal(zl_xlsxw_end_row(x, &e), ZL_OK);
	zl_xlsxw_free(x);
	assert_int_equal(dir_entries(tmpdir), 0);
	assert_int_equal(open_fds(), fds);
}

static void test_long_cell_is_cut(void **state)
{
	static const char *const header[] = {"text"};
	struct zl_xlsxw *x = NULL;
	struct zl_error e = ZL_ERROR_INIT;
	size_t big = 40000;
	char *s = malloc(big + 1);
	unsigned char *zip;
	char *sheet, *t;
	size_t n = 0, len = 0;
	uint64_t size = 0;
	int fd = -1;

	(void)state;
	assert_non_null(s);
	/* "质" is 3 bytes: 32767 is not a multiple of 3, so the cut must back off */
	for (size_t i = 0; i + 3 <= big; i += 3)
		memcpy(s + i, "质", 3);
	s[big - big % 3] = '\0';
	assert_int_equal(zl_xlsxw_new(tmpdir, NULL, header, 1, &x, &e), ZL_OK);
	assert_int_equal(zl_xlsxw_str(x, 0, s, &e), ZL_OK);
	assert_int_equal(zl_xlsxw_end_row(x, &e), ZL_OK);
	assert_int_equal(zl_xlsxw_finish(x, &fd, &size, &e), ZL_OK);
	zip = zc_slurp_fd(fd, &n);
	assert_non_null(zip);
	sheet = zc_entry(zip, n, "xl/worksheets/sheet1.xml", &len);
	assert_non_null(sheet);
	/* 32766 bytes = 10922 whole characters, then the closing tag */
	t = strstr(sheet, "质质质");
	assert_non_null(t);
	assert_int_equal(strstr(t, "</t>") - t, 32766);
	/* the column width is capped */
	assert_non_null(strstr(sheet, "width=\"60.7109375\""));
	free(sheet);
	free(zip);
	free(s);
	close(fd);
}

static void test_hostile_text(void **state)
{
	static const char *const header[] = {"a", "b"};
	struct zl_xlsxw *x = NULL;
	struct zl_error e = ZL_ERROR_INIT;
	unsigned char *zip;
	char *sheet;
	size_t n = 0, len = 0;
	uint64_t size = 0;
	int fd = -1;

	(void)state;
	assert_int_equal(zl_xlsxw_new(tmpdir, NULL, header, 2, &x, &e), ZL_OK);
	assert_int_equal(zl_xlsxw_str(x, 0, "ctl\x01 tab\t nl\n end", &e), ZL_OK);
	assert_int_equal(zl_xlsxw_str(x, 1, "gbk \xd6\xca cut \xe8\xb4 _x0041_ _x00zz_ <&>", &e),
			 ZL_OK);
	assert_int_equal(zl_xlsxw_end_row(x, &e), ZL_OK);
	assert_int_equal(zl_xlsxw_finish(x, &fd, &size, &e), ZL_OK);
	zip = zc_slurp_fd(fd, &n);
	assert_non_null(zip);
	sheet = zc_entry(zip, n, "xl/worksheets/sheet1.xml", &len);
	assert_non_null(sheet);
	/* the part must stay valid UTF-8 XML, or Excel calls the file corrupt */
	assert_true(zl_utf8_valid(sheet, len));
	assert_non_null(strstr(sheet, "ctl_x0001_ tab\t nl\n end"));
	assert_non_null(strstr(sheet, "gbk \xef\xbf\xbd\xef\xbf\xbd cut \xef\xbf\xbd\xef\xbf\xbd "
				      "_x005F_x0041_ _x00zz_ &lt;&amp;&gt;"));
	free(sheet);
	free(zip);
	close(fd);
}

static void test_errors(void **state)
{
	static const char *const header[] = {"a", "b"};
	struct zl_xlsxw *x = NULL;
	struct zl_error e = ZL_ERROR_INIT;
	int fds = open_fds();

	(void)state;
	/* no such temp directory */
	assert_int_equal(zl_xlsxw_new("/nonexistent/zl", NULL, header, 2, &x, &e), ZL_EIO);
	assert_null(x);
	assert_non_null(strstr(e.message, "/nonexistent/zl"));
	/* a sheet name Excel forbids */
	zl_error_clear(&e);
	assert_int_equal(zl_xlsxw_new(tmpdir, "a/b", header, 2, &x, &e), ZL_EIO);
	assert_null(x);
	assert_non_null(strstr(e.message, "a/b"));
	assert_int_equal(dir_entries(tmpdir), 0);
	/* no columns */
	assert_int_equal(zl_xlsxw_new(tmpdir, NULL, header, 0, &x, &e), ZL_EINVAL);
	assert_int_equal(open_fds(), fds);

	/* abandoning a half-written workbook leaves nothing behind */
	assert_int_equal(zl_xlsxw_new(tmpdir, NULL, header, 2, &x, &e), ZL_OK);
	for (int r = 0; r < 100; r++) {
		assert_int_equal(zl_xlsxw_str(x, 0, "row", &e), ZL_OK);
		assert_int_equal(zl_xlsxw_num(x, 1, r, &e), ZL_OK);
		assert_int_equal(zl_xlsxw_end_row(x, &e), ZL_OK);
	}
	zl_xlsxw_free(x);
	zl_xlsxw_free(NULL);
	assert_int_equal(dir_entries(tmpdir), 0);
	assert_int_equal(open_fds(), fds);
}

static int setup(void **state)
{
	(void)state;
	zl_strlcpy(tmpdir, "/tmp/zl-test-xlsxw-XXXXXX", sizeof(tmpdir));
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	return rmdir(tmpdir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_width),
		cmocka_unit_test(test_sheet),
		cmocka_unit_test(test_sheets),
		cmocka_unit_test(test_long_cell_is_cut),
		cmocka_unit_test(test_hostile_text),
		cmocka_unit_test(test_errors),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
