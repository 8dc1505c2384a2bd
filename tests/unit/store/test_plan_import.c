/*
 * test_plan_import.c - a plan document's bytes to the ledger's neutral input
 * (store/plan_import.h), without a database: decoding (UTF-8, GBK, forced
 * encodings and their refusals), "not a plan", the one-to-one mapping of
 * the title, issuer, date, lead rule, sections, tasks and every
 * attribution (departments in order, lead, mode, basis, open-endedness,
 * flags), the caller's year and deadline, and what is adapted rather than
 * dropped: long titles cut, repeated section numbers renumbered, a missing
 * title taken from the file's name; refusals naming the task.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <iconv.h>
#include <string.h>

#include "domain/audit.h"
#include "store/plan_import.h"

static const char PLAN[] =
	"示范市质量提升行动方案\n"
	"一、夯实基础\n"
	"1.完善标准体系。制定地方标准。（市质监局、发展改革委负责。列第一位者为牵头单位，下同）\n"
	"2.加强计量监督。（市质监局牵头，市商务局参与）\n"
	"二、强化监管\n"
	"3.开展监督抽查。（市质监局、工商局等按职责分工负责）\n"
	"4.整治重点市场。（市工商局、质监局牵头）\n"
	"5.推进诚信建设。（各有关部门和单位按职责分工负责）\n"
	"示范市人民政府办公室\n"
	"2015年3月9日\n";

static const struct zl_plan_import_opts OPTS = {"410100", 0, NULL, "dir/plan.txt"};

static int prepare(const char *text, size_t n, enum zl_plan_enc enc,
		   const struct zl_plan_import_opts *o, struct zl_plan_import *im,
		   struct zl_error *err)
{
	zl_plan_import_init(im);
	return zl_plan_import_prepare(text, n, enc, "plan.txt", o, im, err);
}

static void test_map_one_to_one(void **state)
{
	struct zl_plan_import im;
	struct zl_error err = ZL_ERROR_INIT;
	const struct zl_plan_in *in = &im.in;
	char sha[65];

	(void)state;
	assert_int_equal(prepare(PLAN, strlen(PLAN), ZL_PLAN_ENC_AUTO, &OPTS, &im, &err), ZL_OK);
	assert_string_equal(in->title, "示范市质量提升行动方案");
	assert_string_equal(in->issuer, "示范市人民政府办公室");
	assert_string_equal(in->date, "2015-03-09");
	assert_int_equal(in->year, 0); /* the store takes the date's */
	assert_string_equal(in->org, "410100");
	assert_string_equal(in->lead_rule, "first_listed");
	assert_string_equal(in->source_name, "plan.txt");
	zl_sha256_hex(PLAN, strlen(PLAN), sha);
	assert_string_equal(in->source_sha256, sha);
	assert_string_equal(im.encoding, "utf-8");

	assert_int_equal(in->nsections, 2);
	assert_string_equal(in->sections[1].number, "二");
	assert_string_equal(in->sections[1].title, "强化监管");
	assert_int_equal(in->ntasks, 5);

	/* 1: stated lead, co-responsible after it, in order. */
	assert_string_equal(in->tasks[0].number, "1");
	assert_string_equal(in->tasks[0].section, "一");
	assert_string_equal(in->tasks[0].title, "完善标准体系");
	assert_non_null(strstr(in->tasks[0].text, "制定地方标准"));
	assert_null(in->tasks[0].deadline);
	assert_int_equal(in->tasks[0].nattrs, 1);
	assert_int_equal(in->tasks[0].attrs[0].ndepartments, 2);
	assert_string_equal(in->tasks[0].attrs[0].departments[0], "市质监局");
	assert_string_equal(in->tasks[0].attrs[0].departments[1], "发展改革委");
	assert_string_equal(in->tasks[0].attrs[0].lead, "市质监局");
	assert_string_equal(in->tasks[0].attrs[0].mode, "lead");
	assert_string_equal(in->tasks[0].attrs[0].lead_basis, "stated");
	assert_int_equal(in->tasks[0].attrs[0].nflags, 0);

	/* 2: explicit (X牵头). */
	assert_string_equal(in->tasks[1].attrs[0].lead_basis, "explicit");
	assert_string_equal(in->tasks[1].attrs[0].departments[1], "市商务局");

	/* 3: shared and open-ended (等). */
	assert_string_equal(in->tasks[2].section, "二");
	assert_string_equal(in->tasks[2].attrs[0].mode, "shared");
	assert_null(in->tasks[2].attrs[0].lead);
	assert_null(in->tasks[2].attrs[0].lead_basis);
	assert_true(in->tasks[2].attrs[0].open_ended);

	/* 4: two co-leads: no lead picked, the flag by its name. */
	assert_string_equal(in->tasks[3].attrs[0].mode, "lead");
	assert_null(in->tasks[3].attrs[0].lead);
	assert_int_equal(in->tasks[3].attrs[0].nflags, 1);
	assert_string_equal(in->tasks[3].attrs[0].flags[0], "co_leads");

	/* 5: nobody named. */
	assert_string_equal(in->tasks[4].attrs[0].mode, "unnamed");
	assert_int_equal(in->tasks[4].attrs[0].ndepartments, 0);
	zl_plan_import_release(&im);
}

static void test_gbk_and_encodings(void **state)
{
	struct zl_plan_import im;
	struct zl_error err = ZL_ERROR_INIT;
	char gbk[4096], *in = (char *)PLAN, *out = gbk;
	size_t inleft = strlen(PLAN), outleft = sizeof(gbk);
	iconv_t cd = iconv_open("GBK", "UTF-8");

	(void)state;
	assert_true(cd != (iconv_t)-1);
	assert_true(iconv(cd, &in, &inleft, &out, &outleft) != (size_t)-1);
	iconv_close(cd);

	assert_int_equal(prepare(gbk, sizeof(gbk) - outleft, ZL_PLAN_ENC_AUTO, &OPTS, &im, &err),
			 ZL_OK);
	assert_string_equal(im.encoding, "gb18030");
	assert_string_equal(im.in.tasks[0].attrs[0].departments[0], "市质监局");
	zl_plan_import_release(&im);

	assert_int_equal(prepare(gbk, sizeof(gbk) - outleft, ZL_PLAN_ENC_GBK, &OPTS, &im, &err),
			 ZL_OK);
	assert_int_equal(im.in.ntasks, 5);
	zl_plan_import_release(&im);

	/* GBK bytes forced as UTF-8: refused naming the encoding and the offset. */
	assert_int_equal(prepare(gbk, sizeof(gbk) - outleft, ZL_PLAN_ENC_UTF8, &OPTS, &im, &err),
			 ZL_EINVAL);
	assert_string_equal(err.field, "encoding");
	assert_non_null(strstr(err.message, "plan.txt is not utf-8 text"));
	assert_non_null(strstr(err.message, "at byte offset"));
	zl_plan_import_release(&im);

	{
		enum zl_plan_enc e;

		assert_int_equal(zl_plan_enc_parse("GB18030", &e, &err), ZL_OK);
		assert_int_equal(e, ZL_PLAN_ENC_GBK);
		assert_int_equal(zl_plan_enc_parse(NULL, &e, &err), ZL_OK);
		assert_int_equal(e, ZL_PLAN_ENC_AUTO);
		assert_int_equal(zl_plan_enc_parse("latin1", &e, &err), ZL_EINVAL);
		assert_string_equal(err.field, "encoding");
	}
}

static void test_not_a_plan(void **state)
{
	static const char prose[] =
		"关于质量工作的意见\n一、总体要求\n省质监局负责全省质量工作。\n";
	struct zl_plan_import im;
	struct zl_error err = ZL_ERROR_INIT;

	(void)state;
	assert_int_equal(prepare(prose, strlen(prose), ZL_PLAN_ENC_AUTO, &OPTS, &im, &err),
			 ZL_EUNPROC);
	assert_string_equal(err.field, "file");
	assert_non_null(strstr(err.message, "plan.txt: not a plan"));
	zl_plan_import_release(&im);

	assert_int_equal(prepare("", 0, ZL_PLAN_ENC_AUTO, &OPTS, &im, &err), ZL_EUNPROC);
	zl_plan_import_release(&im);
}

static void test_caller_year_and_deadline(void **state)
{
	/* No signature: no date, so the year must come from the caller. */
	static const char undated[] = "质量工作要点\n1.开展抽查。（省质监局负责）\n";
	struct zl_plan_import_opts o = {"410000", 0, "2026-12-31", "要点.txt"};
	struct zl_plan_import im;
	struct zl_error err = ZL_ERROR_INIT;

	(void)state;
	assert_int_equal(prepare(undated, strlen(undated), ZL_PLAN_ENC_AUTO, &o, &im, &err),
			 ZL_EUNPROC);
	assert_string_equal(err.field, "year");
	zl_plan_import_release(&im);

	o.year = 2026;
	assert_int_equal(prepare(undated, strlen(undated), ZL_PLAN_ENC_AUTO, &o, &im, &err), ZL_OK);
	assert_int_equal(im.in.year, 2026);
	assert_null(im.in.date);
	assert_null(im.in.lead_rule);
	assert_string_equal(im.in.tasks[0].deadline, "2026-12-31");
	assert_string_equal(im.in.tasks[0].attrs[0].lead_basis, "presumed");
	assert_null(im.in.tasks[0].section);
	zl_plan_import_release(&im);
}

static void test_adapted_not_dropped(void **state)
{
	struct zl_plan_import_opts o = {"410000", 2026, NULL, "/tmp/省级方案.txt"};
	struct zl_plan_import im;
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_buf doc = ZL_BUF_INIT(1 << 20);

	(void)state;
	/* No title line; a section number used twice; a task title of 600 characters. */
	zl_buf_adds(&doc, "一、基础\n1.开展抽查。（省质监局负责）\n一、监管\n2.");
	for (int i = 0; i < 600; i++)
		zl_buf_adds(&doc, "质");
	zl_buf_adds(&doc, "。（教育厅负责）\n");
	assert_int_equal(prepare(doc.data, doc.len, ZL_PLAN_ENC_AUTO, &o, &im, &err), ZL_OK);
	assert_string_equal(im.in.title, "省级方案");
	assert_string_equal(im.in.source_name, "省级方案.txt");
	assert_int_equal(im.in.nsections, 2);
	assert_string_equal(im.in.sections[0].number, "一");
	assert_string_equal(im.in.sections[1].number, "一(2)");
	assert_string_equal(im.in.tasks[0].section, "一");
	assert_string_equal(im.in.tasks[1].section, "一(2)");
	assert_int_equal(zl_plan_chars(im.in.tasks[1].title), ZL_PLAN_TASK_TITLE_MAX);
	assert_non_null(strstr(im.in.tasks[1].title, "…"));
	/* The text keeps every word. */
	assert_true(zl_plan_chars(im.in.tasks[1].text) > 600);
	zl_plan_import_release(&im);
	zl_buf_release(&doc);
}

static void test_refusal_names_the_task(void **state)
{
	struct zl_plan_import_opts o = {"410000", 2026, NULL, "big.txt"};
	struct zl_plan_import im;
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_buf doc = ZL_BUF_INIT(1 << 20);

	(void)state;
	zl_buf_adds(&doc, "方案\n1.开展抽查。（省质监局负责）\n2.开展检查。");
	for (int i = 0; i < ZL_PLAN_TEXT_MAX; i++)
		zl_buf_adds(&doc, "查");
	zl_buf_adds(&doc, "（教育厅负责）\n");
	assert_int_equal(prepare(doc.data, doc.len, ZL_PLAN_ENC_AUTO, &o, &im, &err), ZL_EUNPROC);
	assert_string_equal(err.field, "tasks[1].text");
	assert_non_null(strstr(err.message, "(task 2, line 3)"));
	zl_plan_import_release(&im);
	zl_buf_release(&doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_map_one_to_one),
		cmocka_unit_test(test_gbk_and_encodings),
		cmocka_unit_test(test_not_a_plan),
		cmocka_unit_test(test_caller_year_and_deadline),
		cmocka_unit_test(test_adapted_not_dropped),
		cmocka_unit_test(test_refusal_names_the_task),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
