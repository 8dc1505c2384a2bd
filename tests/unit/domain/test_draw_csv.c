/*
 * test_draw_csv.c - a draw's inputs from CSV (domain/draw_csv.h): the
 * same table in UTF-8, UTF-8 with BOM, GBK and TAB-separated gives the
 * same draw; blank rows, short rows and spaces are handled; and every
 * refusal names file, row and column (a bad weight, an empty or repeated
 * id, an unknown column, a quota for an unknown stratum or larger than
 * its stratum, a stratum without quota, a quota file without header, bad
 * bytes, an unterminated quote).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "core/core.h"
#include "domain/draw_csv.h"

static int init(void **state)
{
	(void)state;
	return zl_core_init() == ZL_OK ? 0 : -1;
}

#define UTF8_TABLE                                                                                 \
	"代码,名称,区划,权重\r\n"                                                          \
	"91410100000000001A,甲公司,410102,1\r\n"                                                \
	"91410100000000002B,乙公司,410103,2.5\r\n"
/* The same in GBK (iconv -f UTF-8 -t GBK). */
#define GBK_TABLE                                                                                  \
	"\xb4\xfa\xc2\xeb,\xc3\xfb\xb3\xc6,\xc7\xf8\xbb\xae,\xc8\xa8\xd6\xd8\r\n"                  \
	"91410100000000001A,\xbc\xd7\xb9\xab\xcb\xbe,410102,1\r\n"                                 \
	"91410100000000002B,\xd2\xd2\xb9\xab\xcb\xbe,410103,2.5\r\n"

struct loaded {
	struct zl_draw_table t, q;
	struct zl_draw_csv c;
	struct zl_error err;
	int rc;
};

/* Read `cand` (and `quota` if not NULL) and load the draw; the result in l. */
static void load(struct loaded *l, const char *cand, const char *quota,
		 const struct zl_draw_csv_input *in)
{
	memset(l, 0, sizeof(*l));
	l->rc = zl_draw_table_read(&l->t, "c.csv", cand, strlen(cand), ZL_TABLE_ENC_AUTO, &l->err);
	if (l->rc == ZL_OK && quota)
		l->rc = zl_draw_table_read(&l->q, "q.csv", quota, strlen(quota), ZL_TABLE_ENC_AUTO,
					   &l->err);
	if (l->rc == ZL_OK)
		l->rc = zl_draw_csv_load(&l->c, &l->t, quota ? &l->q : NULL, in, &l->err);
}

static void unload(struct loaded *l)
{
	zl_draw_csv_release(&l->c);
	zl_draw_table_release(&l->t);
	zl_draw_table_release(&l->q);
}

/* Load and expect a refusal whose message is exactly `msg`. */
static void refused(const char *cand, const char *quota, const struct zl_draw_csv_input *in,
		    const char *msg)
{
	struct loaded l;

	load(&l, cand, quota, in);
	if (l.rc == ZL_OK || strcmp(l.err.message, msg) != 0)
		fail_msg("expected '%s', got %d '%s'", msg, l.rc, l.err.message);
	unload(&l);
}

static void test_encodings(void **state)
{
	static const struct {
		const char *text, *encoding;
	} forms[] = {
		{UTF8_TABLE, "utf-8"},
		{"\xEF\xBB\xBF" UTF8_TABLE, "utf-8-bom"},
		{GBK_TABLE, "gb18030"},
		{"代码\t名称\t区划\t权重\n91410100000000001A\t甲公司\t410102\t1\n"
		 "91410100000000002B\t乙公司\t410103\t2.5\n",
		 "utf-8"},
	};
	struct zl_draw_csv_input in = {"x", NULL, "权重", NULL, 1};
	char first[ZL_DRAW_HEX_LEN + 1], hex[ZL_DRAW_HEX_LEN + 1];

	(void)state;
	for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		struct loaded l;

		load(&l, forms[i].text, NULL, &in);
		if (l.rc != ZL_OK)
			fail_msg("form %zu: %s", i, l.err.message);
		assert_string_equal(l.t.encoding, forms[i].encoding);
		assert_int_equal(l.t.ncols, 4);
		assert_int_equal(l.t.nrows, 2);
		assert_string_equal(l.t.cells[3], "权重");
		assert_string_equal(zl_draw_table_row(&l.t, 1)[1], "乙公司");
		assert_int_equal(l.c.ncand, 2);
		assert_int_equal(l.c.cand[1].weight, 2500000);
		zl_draw_input_commitment(&l.c.draw, hex);
		if (i == 0)
			memcpy(first, hex, sizeof(first));
		assert_string_equal(hex, first);
		unload(&l);
	}
}

static void test_rows(void **state)
{
	const char *text = "id,name,county\n"
			   "\n"
			   " A1 ,short\n"    /* row 3: spaces around the id, a cell missing */
			   ",,\n"	     /* row 4: empty cells, skipped */
			   "A2,x,410102,,\n" /* row 5: extra empty cells */
			   "\"A3\",\"a, b\",410103\n"; /* row 6 */
	struct zl_draw_csv_input in = {NULL, "id", NULL, NULL, 2};
	struct loaded l;

	(void)state;
	load(&l, text, NULL, &in);
	assert_int_equal(l.rc, ZL_OK);
	assert_int_equal(l.t.nrows, 3);
	assert_string_equal(l.c.cand[0].id, "A1");
	assert_int_equal(zl_draw_table_rowno(&l.t, l.c.cand[0].attrs), 3);
	assert_string_equal(zl_draw_table_row(&l.t, 0)[2], "");
	assert_int_equal(zl_draw_table_rowno(&l.t, l.c.cand[2].attrs), 6);
	assert_string_equal(zl_draw_table_row(&l.t, 2)[1], "a, b");
	unload(&l);
	refused("id,name\nA1,x\nA2,y,z\n", NULL, &in, "c.csv row 3: 3 cells, but the header has 2");
	refused("", NULL, &in, "c.csv is empty: no header row");
	refused("\n\n", NULL, &in, "c.csv is empty: no header row");
	refused("id,name\nA1,\"x\nA2,y\n", NULL, &in,
		"c.csv row 2: quoted cell not closed before the end of the file");
}

static void test_candidate_errors(void **state)
{
	struct zl_draw_csv_input in = {NULL, NULL, "权重", NULL, 1};
	const char *head = "代码,名称,区划,权重\n91410100000000001A,甲公司,410102,1\n";
	char text[512];

	(void)state;
	snprintf(text, sizeof(text), "%s%s", head, "91410100000000002B,乙公司,410103,-1\n");
	refused(text, NULL, &in,
		"c.csv row 3, column 权重: weight '-1' is negative: weights are greater than 0");
	snprintf(text, sizeof(text), "%s%s", head, "91410100000000002B,乙公司,410103,0\n");
	refused(text, NULL, &in,
		"c.csv row 3, column 权重: weight '0' is 0: weights are greater than 0 (leave a "
		"candidate that must not be drawn out of the list)");
	snprintf(text, sizeof(text), "%s%s", head, "91410100000000002B,乙公司,410103,高\n");
	refused(text, NULL, &in,
		"c.csv row 3, column 权重: weight '高' is not a plain decimal number such as 2 or "
		"0.5");
	snprintf(text, sizeof(text), "%s%s", head, "91410100000000002B,乙公司,410103,\n");
	refused(text, NULL, &in, "c.csv row 3, column 权重: weight is empty");
	snprintf(text, sizeof(text), "%s%s", head, " ,乙公司,410103,1\n");
	refused(text, NULL, &in, "c.csv row 3, column 代码: the id is empty");
	snprintf(text, sizeof(text), "%s\n%s", head, "91410100000000001A,乙公司,410103,1\n");
	refused(text, NULL, &in,
		"c.csv row 4, column 代码: id '91410100000000001A' is there twice (first at row "
		"2)");
	in.weight_column = "重量";
	refused(head, NULL, &in,
		"c.csv has no column '重量' (the header has: 代码, 名称, 区划, 权重)");
	in.weight_column = NULL;
	in.count = 2;
	refused(head, NULL, &in, "cannot draw 2 from 1 candidates");
	in.id_column = "名称";
	snprintf(text, sizeof(text), "%s%s", head, "91410100000000002B,甲公司,410103,1\n");
	refused(text, NULL, &in,
		"c.csv row 3, column 名称: id '甲公司' is there twice (first at row 2)");
}

static void test_quota_errors(void **state)
{
	struct zl_draw_csv_input in = {NULL, NULL, NULL, "区划", 0};
	const char *cands = "代码,名称,区划\n"
			    "A1,甲,410102\n"
			    "A2,乙,410102\n"
			    "A3,丙,410103\n";
	struct loaded l;

	(void)state;
	load(&l, cands, "区划,配额\n410102,1\n410103,1\n", &in);
	assert_int_equal(l.rc, ZL_OK);
	assert_int_equal(l.c.draw.total, 2);
	unload(&l);
	refused(cands, "区划,配额\n410102,1\n410103,1\n410199,1\n", &in,
		"q.csv row 4: stratum '410199' has a quota but no candidates");
	refused(cands, "区划,配额\n410102,3\n410103,1\n", &in,
		"q.csv row 2: the quota 3 of stratum '410102' is larger than its 2 candidates");
	refused(cands, "区划,配额\n410102,1\n", &in,
		"c.csv row 4, column 区划: stratum '410103' (of 'A3') has no quota: give it one (0 "
		"to draw none of it)");
	refused(cands, "区划,配额\n410102,1\n410102,1\n410103,0\n", &in,
		"q.csv row 3: stratum '410102' is given two quotas");
	refused(cands, "410102,1\n410103,1\n", &in,
		"q.csv row 1 is not a header (its second cell is a number): the first row names "
		"the "
		"columns, e.g. 'stratum,quota'");
	refused(cands, "区划,配额\n410102,一\n410103,1\n", &in,
		"q.csv row 2, column 配额: quota '一' is not a whole number 0 to 100000000");
	refused(cands, "区划\n410102\n", &in,
		"q.csv needs two columns: the stratum, then its quota");
	refused(cands, "区划,配额\n410102,0\n410103,0\n", &in, "every quota is 0: nothing to draw");
	in.count = 3;
	refused(cands, "区划,配额\n410102,1\n410103,1\n", &in,
		"the count 3 is not the sum of the quotas (2)");
	in.count = 0;
	refused("代码,名称,区划\nA1,甲,\n", "区划,配额\n410102,1\n", &in,
		"c.csv row 2, column 区划: the stratum is empty");
	in.stratum_column = NULL;
	refused(cands, "区划,配额\n410102,1\n", &in,
		"quotas need the column that names each candidate's stratum");
}

static void test_bad_bytes(void **state)
{
	struct zl_draw_table t;
	struct zl_error err = ZL_ERROR_INIT;

	(void)state;
	assert_int_equal(zl_draw_table_read(&t, "g.csv", GBK_TABLE, strlen(GBK_TABLE),
					    ZL_TABLE_ENC_UTF8, &err),
			 ZL_EINVAL);
	assert_string_equal(err.message, "g.csv is not valid UTF-8: bad byte at offset 0 (line 1); "
					 "try --encoding gbk");
	zl_draw_table_release(&t);
	/* forced GBK on GBK is fine */
	assert_int_equal(zl_draw_table_read(&t, "g.csv", GBK_TABLE, strlen(GBK_TABLE),
					    ZL_TABLE_ENC_GBK, &err),
			 ZL_OK);
	assert_string_equal(t.cells[0], "代码");
	zl_draw_table_release(&t);
	/* a truncated GBK character at the end */
	assert_int_equal(zl_draw_table_read(&t, "g.csv", "a,b\n1,\xb4", 7, ZL_TABLE_ENC_GBK, &err),
			 ZL_EINVAL);
	assert_non_null(strstr(err.message, "g.csv: "));
	zl_draw_table_release(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_encodings),	 cmocka_unit_test(test_rows),
		cmocka_unit_test(test_candidate_errors), cmocka_unit_test(test_quota_errors),
		cmocka_unit_test(test_bad_bytes),
	};

	return cmocka_run_group_tests(tests, init, NULL);
}
