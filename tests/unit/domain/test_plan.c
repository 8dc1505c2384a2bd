/*
 * test_plan.c - the work-plan parser (domain/plan.h).
 *
 * Each synthetic document of tests/data/plans/NAME.txt shows one variation
 * of DOMAIN.md section 11 (lead-rule wordings, closing phrases, blocs,
 * numbering schemes, several attributions, standing rules, sentences
 * without parentheses, prose only, mixed and ASCII punctuation, a cover
 * notice, a signature, damaged text); its expected output is NAME.json,
 * compared as JSON (cJSON_Compare), so a change of any value fails.  After
 * a deliberate change of the output, ZL_PLAN_WRITE_EXPECTED=1 rewrites the
 * .json files from the parser: review the diff before committing it.
 * The Henan plan (../shared/plans/henan-2014-quality-plan.txt) is checked
 * against the figures of issue 5 when the file is there, skipped when not.
 * Inline cases cover the API: empty and odd input, BOM and CRLF, invalid
 * bytes, NULs, the size cap, the "not a plan" messages, determinism.
 * Run from the repository root (scripts/test.sh does); ZL_TEST_ROOT may
 * name it instead.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/jw.h"
#include "domain/plan.h"

static const char *root(void)
{
	const char *r = getenv("ZL_TEST_ROOT");

	return r && *r ? r : ".";
}

/* The whole file, NUL-terminated (caller frees), or NULL when it is missing. */
static char *slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	struct zl_buf b = ZL_BUF_INIT((size_t)64 << 20);
	char chunk[8192];
	size_t got;

	if (!f)
		return NULL;
	while ((got = fread(chunk, 1, sizeof(chunk), f)) > 0)
		assert_int_equal(zl_buf_add(&b, chunk, got), ZL_OK);
	fclose(f);
	if (n)
		*n = b.len;
	return zl_buf_detach(&b, NULL);
}

/* Parse s[0..n) and return the JSON (caller frees). */
static char *to_json(const char *s, size_t n, struct zl_plan *p)
{
	struct zl_buf out = ZL_BUF_INIT((size_t)256 << 20);
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_jw w;

	assert_int_equal(zl_plan_parse(s, n, p, &err), ZL_OK);
	zl_jw_init(&w, &out);
	assert_int_equal(zl_plan_write_json(p, &w), ZL_OK);
	return zl_buf_detach(&out, NULL);
}

static char *parse_json(const char *s, struct zl_plan *p)
{
	return to_json(s, strlen(s), p);
}

/* One document of tests/data/plans: *state is its name. */
static void test_document(void **state)
{
	const char *name = *state;
	int write = getenv("ZL_PLAN_WRITE_EXPECTED") != NULL;
	char path[512];
	struct zl_plan p;
	size_t n = 0;
	char *text, *got, *want;
	cJSON *jg, *jw;

	snprintf(path, sizeof(path), "%s/tests/data/plans/%s.txt", root(), name);
	text = slurp(path, &n);
	if (!text)
		fail_msg("missing %s (run from the repository root)", path);
	zl_plan_init(&p);
	got = to_json(text, n, &p);
	snprintf(path, sizeof(path), "%s/tests/data/plans/%s.json", root(), name);
	jg = cJSON_Parse(got);
	assert_non_null(jg);
	if (write) {
		char *pretty = cJSON_Print(jg);
		FILE *f = fopen(path, "wb");

		assert_non_null(f);
		fputs(pretty, f);
		fputc('\n', f);
		fclose(f);
		free(pretty);
	}
	want = slurp(path, NULL);
	if (!want)
		fail_msg("missing %s (ZL_PLAN_WRITE_EXPECTED=1 writes it)", path);
	jw = cJSON_Parse(want);
	if (!jw)
		fail_msg("%s is not JSON", path);
	if (!cJSON_Compare(jg, jw, 1))
		fail_msg("%s: output differs from %s.json:\n%s", name, name, got);
	cJSON_Delete(jg);
	cJSON_Delete(jw);
	free(got);
	free(want);
	free(text);
	zl_plan_release(&p);
}

/* The figures on the real plan, when ../shared holds it. */
static void test_henan(void **state)
{
	char path[512];
	struct zl_plan p;
	struct zl_error err = ZL_ERROR_INIT;
	const struct zl_plan_attr *a;
	size_t n = 0;
	char *text;
	(void)state;

	snprintf(path, sizeof(path), "%s/../shared/plans/henan-2014-quality-plan.txt", root());
	text = slurp(path, &n);
	if (!text) {
		print_message("skipped: %s is not there\n", path);
		skip();
	}
	zl_plan_init(&p);
	assert_int_equal(zl_plan_parse(text, n, &p, &err), ZL_OK);
	assert_int_equal(zl_plan_check(&p, &err), ZL_OK);
	assert_string_equal(p.title, "贯彻实施质量发展纲要2014年行动计划实施方案");
	assert_string_equal(p.issuer, "河南省人民政府办公厅");
	assert_string_equal(p.date, "2014-07-18");
	assert_true(p.lead_rule);
	assert_int_equal(p.nsections, 4);
	assert_string_equal(p.sections[3].number, "四");
	assert_string_equal(p.sections[3].title, "强化质量治理体系和能力建设");
	assert_int_equal(p.ntasks, 18);
	for (size_t i = 0; i < p.ntasks; i++) {
		char num[24];

		snprintf(num, sizeof(num), "%zu", i + 1);
		assert_string_equal(p.tasks[i].number, num);
		assert_int_equal(p.tasks[i].nattrs, 1);
		assert_string_equal(p.tasks[i].section, i < 6	 ? "一"
							: i < 11 ? "二"
							: i < 14 ? "三"
								 : "四");
	}
	a = &p.tasks[0].attrs[0];
	assert_string_equal(p.tasks[0].title, "加强食品农产品质量安全监管");
	assert_string_equal(a->lead, "省食品药品监管局");
	assert_int_equal(a->mode, ZL_PLAN_LEAD);
	assert_int_equal(a->lead_basis, ZL_PLAN_BASIS_STATED);
	assert_int_equal(a->ndepartments, 7);
	assert_string_equal(a->departments[6], "河南出入境检验检疫局");
	a = &p.tasks[1].attrs[0];
	assert_int_equal(a->mode, ZL_PLAN_SHARED);
	assert_null(a->lead);
	assert_int_equal(a->lead_basis, ZL_PLAN_BASIS_NONE);
	/* 13: "...知识产权局等按职责分工负责" */
	assert_int_equal(p.tasks[12].attrs[0].mode, ZL_PLAN_SHARED);
	assert_true(p.tasks[12].attrs[0].open_ended);
	/* 15: "(省质监局等有关部门负责)" */
	a = &p.tasks[14].attrs[0];
	assert_string_equal(a->lead, "省质监局");
	assert_int_equal(a->ndepartments, 1);
	assert_true(a->open_ended);
	a = &p.tasks[17].attrs[0];
	assert_string_equal(a->lead, "省质量立省战略工作领导小组");
	assert_int_equal(a->lead_basis, ZL_PLAN_BASIS_EXPLICIT);
	assert_true(a->open_ended);
	/* the closing paragraph addressed to the cities is no part of task 18 */
	assert_null(strstr(p.tasks[17].text, "参照以上工作安排"));
	assert_int_equal(p.nnotes, 0);
	zl_plan_release(&p);
	free(text);
}

static void test_not_a_plan(void **state)
{
	struct zl_plan p;
	struct zl_error err = ZL_ERROR_INIT;
	char *j;
	(void)state;

	zl_plan_init(&p);
	j = parse_json("", &p);
	assert_string_equal(j, "{\"title\":\"\",\"issuer\":null,\"date\":null,\"lead_rule\":null,"
			       "\"sections\":[],\"subsections\":[],\"tasks\":[],"
			       "\"standing_rules\":[],\"notes\":[]}");
	free(j);
	assert_int_equal(zl_plan_check(&p, &err), ZL_EUNPROC);
	assert_non_null(strstr(err.message, "not a plan"));
	assert_non_null(strstr(err.message, "0 numbered items"));

	/* An attribution, but no numbered item to hold it. */
	j = parse_json("示范方案\n省质监局、工商局负责落实。\n", &p);
	free(j);
	assert_int_equal(p.ntasks, 0);
	assert_int_equal(p.nnotes, 1);
	assert_string_equal(p.notes[0].kind, "unattached_attribution");
	assert_int_equal(p.notes[0].line, 2);
	assert_int_equal(zl_plan_check(&p, &err), ZL_EUNPROC);
	assert_non_null(strstr(err.message, "none under a numbered item"));
	zl_plan_release(&p);
}

static void test_bom_crlf_and_spaces(void **state)
{
	struct zl_plan p, q;
	char *a, *b;
	(void)state;

	zl_plan_init(&p);
	zl_plan_init(&q);
	a = parse_json("\xEF\xBB\xBF示范方案\r\n一、任务\r\n  1.开展检查。（省质监局负责）\r\n",
		       &p);
	b = parse_json("示范方案\n一、任务\n1.开展检查。(省质监局负责)\n", &q);
	assert_string_equal(p.title, "示范方案");
	assert_int_equal(p.ntasks, 1);
	assert_string_equal(p.tasks[0].attrs[0].lead, "省质监局");
	/* the same reading, the text as written */
	assert_string_equal(p.tasks[0].text, "开展检查。（省质监局负责）");
	assert_string_equal(q.tasks[0].text, "开展检查。(省质监局负责)");
	free(a);
	free(b);
	/* ideographic spaces around the number and inside the parenthesis */
	b = parse_json("一、任务\n　１．开展检查。（　省质监局　负责　）\n", &q);
	assert_int_equal(q.ntasks, 1);
	assert_string_equal(q.tasks[0].number, "1");
	assert_string_equal(q.tasks[0].attrs[0].departments[0], "省质监局");
	free(b);
	zl_plan_release(&p);
	zl_plan_release(&q);
}

static void test_markers(void **state)
{
	struct zl_plan p;
	char *j;
	(void)state;

	zl_plan_init(&p);
	/* 3、4月份 and 1.5万吨 open no item; 十八、 and （十二） do */
	j = parse_json("十八、任务\n（十二）开展检查。（省质监局负责）\n"
		       "3、4月份开展抽查。1.5万吨产品。（省工商局负责）\n",
		       &p);
	assert_int_equal(p.ntasks, 1);
	assert_string_equal(p.tasks[0].number, "十二");
	assert_string_equal(p.tasks[0].section, "十八");
	assert_int_equal(p.tasks[0].nattrs, 2);
	assert_int_equal(p.tasks[0].attrs[1].flags, ZL_PLAN_F_UNNUMBERED);
	free(j);
	/* 十十、 and （〇） are no numbers; a number alone on its line */
	j = parse_json(
		"十十、任务\n（〇）开展检查。（省质监局负责）\n2.\n开展复查。（省工商局负责）\n",
		&p);
	assert_int_equal(p.ntasks, 1);
	assert_string_equal(p.tasks[0].number, "2");
	assert_string_equal(p.tasks[0].title, "开展复查");
	assert_int_equal(p.nnotes, 1); /* the first attribution had no numbered item */
	free(j);
	zl_plan_release(&p);
}

/* As many attributed （n） items as 1. items: the outer kind holds the tasks. */
static void test_task_level_tie(void **state)
{
	struct zl_plan p;
	char *j;
	(void)state;

	zl_plan_init(&p);
	j = parse_json("一、任务\n（一）组织抽查。（省质监局负责）\n（二）公布结果。\n"
		       "1.公布名单。（省工商局负责）\n",
		       &p);
	assert_int_equal(p.ntasks, 2);
	assert_string_equal(p.tasks[1].number, "二");
	assert_int_equal(p.tasks[1].nattrs, 1);
	assert_int_equal(p.tasks[1].attrs[0].flags, ZL_PLAN_F_SUB_ITEM);
	assert_int_equal(p.nsubsections, 0);
	free(j);
	zl_plan_release(&p);
}

static void test_prose_is_no_attribution(void **state)
{
	struct zl_plan p;
	char *j;
	(void)state;

	zl_plan_init(&p);
	j = parse_json("一、任务\n"
		       "1.落实三包。推行产品“三包”(包修、包换、包退)规定，落实首负责任制。"
		       "企业对产品质量负责。由企业自行负责。(由企业自行负责)\n"
		       "2.发挥作用。发挥省质量工作领导小组协调作用，省质监局负责全省监督工作。"
		       "(详见附件1)(2014年底前完成)\n"
		       /* a sentence is an attribution only when it is nothing else */
		       "3.明确责任。根据工作需要，省质监局负责。省质监局负责，各地要认真落实。"
		       "省质监局负责，省政府法制办。各省辖市政府对本地区质量工作负责。"
		       "质量工作由各级政府负责。\n",
		       &p);
	assert_int_equal(p.ntasks, 0);
	assert_int_equal(p.items, 4);
	free(j);
	/* ...and a lead rule after the phrase is no reason to refuse it */
	j = parse_json("一、任务\n1.明确责任。省质监局、工商局负责，列第一位者为牵头部门。\n", &p);
	assert_int_equal(p.ntasks, 1);
	assert_int_equal(p.tasks[0].attrs[0].flags, ZL_PLAN_F_NO_PARENS);
	assert_int_equal(p.tasks[0].attrs[0].lead_basis, ZL_PLAN_BASIS_STATED);
	free(j);
	zl_plan_release(&p);
}

static void test_lead_rule_wordings(void **state)
{
	static const char *const rules[] = {"列第一位者为牵头部门", "列第一位者为牵头单位",
					    "排在第一位的部门为牵头部门", "排在首位的为牵头单位"};
	struct zl_plan p;
	char doc[512];
	(void)state;

	zl_plan_init(&p);
	for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++) {
		char *j;

		snprintf(doc, sizeof(doc),
			 "一、任务\n1.开展检查。（省质监局、工商局负责。%s，下同）\n"
			 "2.开展复查。（省工商局、质监局负责）\n",
			 rules[i]);
		j = parse_json(doc, &p);
		assert_true(p.lead_rule);
		assert_int_equal(p.ntasks, 2);
		assert_int_equal(p.tasks[1].attrs[0].lead_basis, ZL_PLAN_BASIS_STATED);
		free(j);
	}
	zl_plan_release(&p);
}

static void test_invalid_bytes_and_nul(void **state)
{
	static const char doc[] = "一、任务\n1.开展检查。（省质监局\xff\xfe、工商局负责）\n"
				  "2.开展\0复查。（省工\0商局负责）\n";
	struct zl_plan p;
	struct zl_error err = ZL_ERROR_INIT;
	char *j;
	cJSON *parsed;
	(void)state;

	zl_plan_init(&p);
	j = to_json(doc, sizeof(doc) - 1, &p);
	parsed = cJSON_Parse(j);
	assert_non_null(parsed); /* the writer replaced the bad bytes */
	cJSON_Delete(parsed);
	/* 省质监局\xff\xfe is no name; 工商局 alone is read */
	assert_int_equal(p.ntasks, 2);
	assert_int_equal(p.tasks[0].attrs[0].ndepartments, 1);
	assert_string_equal(p.tasks[0].attrs[0].departments[0], "工商局");
	/* a NUL byte is dropped from what is copied, not a string end */
	assert_string_equal(p.tasks[1].title, "开展复查");
	assert_int_equal(p.nnotes, 2);
	assert_string_equal(p.notes[0].kind, "unread_text");
	assert_string_equal(p.notes[1].kind, "invalid_utf8");
	assert_int_equal(p.notes[1].line, 2);
	assert_non_null(strstr(p.notes[1].text, "2 bytes"));
	free(j);
	assert_int_equal(zl_plan_check(&p, &err), ZL_OK);
	zl_plan_release(&p);
}

static void test_too_big(void **state)
{
	size_t n = ZL_PLAN_MAX_INPUT + 1;
	char *big = calloc(1, n); /* untouched pages: no real memory */
	struct zl_plan p;
	struct zl_error err = ZL_ERROR_INIT;
	(void)state;

	assert_non_null(big);
	zl_plan_init(&p);
	assert_int_equal(zl_plan_parse(big, n, &p, &err), ZL_ETOOBIG);
	assert_int_equal(p.ntasks, 0);
	free(big);
}

static void test_repeatable_and_reusable(void **state)
{
	char path[512];
	struct zl_plan p;
	char *text, *a, *b;
	size_t n = 0;
	(void)state;

	snprintf(path, sizeof(path), "%s/tests/data/plans/05-closing-phrases.txt", root());
	text = slurp(path, &n);
	assert_non_null(text);
	zl_plan_init(&p);
	a = to_json(text, n, &p);
	b = to_json(text, n, &p); /* parse into the same plan: released first */
	assert_string_equal(a, b);
	free(a);
	free(b);
	free(text);
	zl_plan_release(&p);
	zl_plan_release(&p); /* twice is harmless */
}

static void test_names(void **state)
{
	const char *seen[ZL_PLAN_F_COUNT];
	(void)state;

	for (unsigned i = 0; i < ZL_PLAN_F_COUNT; i++) {
		seen[i] = zl_plan_flag_name(i);
		assert_non_null(seen[i]);
		for (unsigned j = 0; j < i; j++)
			assert_string_not_equal(seen[i], seen[j]);
	}
	assert_null(zl_plan_flag_name(ZL_PLAN_F_COUNT));
	assert_string_equal(zl_plan_mode_name(ZL_PLAN_SHARED), "shared");
	assert_string_equal(zl_plan_basis_name(ZL_PLAN_BASIS_PRESUMED), "presumed");
	assert_null(zl_plan_basis_name(ZL_PLAN_BASIS_NONE));
}

#define DOC(name) cmocka_unit_test_prestate(test_document, (void *)(name))

int main(void)
{
	const struct CMUnitTest tests[] = {
		DOC("01-rule-in-first-attribution"),
		DOC("02-rule-stated-later"),
		DOC("03-rule-on-its-own"),
		DOC("04-no-rule"),
		DOC("05-closing-phrases"),
		DOC("06-local-government-blocs"),
		DOC("07-unnamed"),
		DOC("08-parenthesised-tasks-running-on"),
		DOC("09-parenthesised-tasks-restarting"),
		DOC("10-numeral-tasks-no-sections"),
		DOC("11-arabic-under-subsections"),
		DOC("12-several-attributions"),
		DOC("13-standing-rule"),
		DOC("14-no-parentheses"),
		DOC("15-prose-only"),
		DOC("16-mixed-parentheses"),
		DOC("17-ascii-punctuation"),
		DOC("18-cover-notice"),
		DOC("19-signature-at-end"),
		DOC("20-damaged"),
		DOC("21-sub-items"),
		DOC("22-rule-for-one-attribution"),
		cmocka_unit_test(test_henan),
		cmocka_unit_test(test_not_a_plan),
		cmocka_unit_test(test_bom_crlf_and_spaces),
		cmocka_unit_test(test_markers),
		cmocka_unit_test(test_task_level_tie),
		cmocka_unit_test(test_prose_is_no_attribution),
		cmocka_unit_test(test_lead_rule_wordings),
		cmocka_unit_test(test_invalid_bytes_and_nul),
		cmocka_unit_test(test_too_big),
		cmocka_unit_test(test_repeatable_and_reusable),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
