/*
 * test_draw_record.c - the draw record (domain/draw_record.h): written and
 * read back, it verifies; before the draw it carries the commitments and
 * nothing to check a result with; every kind of tampering is found and
 * named (a candidate, a weight, the label, a quota, the seed, a result
 * position, its u53, a missing position); malformed records are refused
 * naming the member; an inspector draw's record does the same.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "core/jw.h"
#include "domain/draw_record.h"

static int init(void **state)
{
	(void)state;
	return zl_core_init() == ZL_OK ? 0 : -1;
}

static const struct zl_draw_candidate cands[] = {
	{"914101007890123456", "410102", 1000000, "甲"},
	{"914101009999999999", "410105", 1000000, "乙"},
	{"914101001234567890", "410102", 2000000, "丙"},
	{"914101003333333333", "410105", 4000000, "丁"},
	{"914101005555555555", "410102", 500000, "戊"},
};
static const struct zl_draw_quota quotas[] = {{"410105", 1}, {"410102", 2}};

static void pick_hook(void *ctx, const struct zl_draw_candidate *c, struct zl_jw *w)
{
	(void)ctx;
	zl_jw_kstr(w, "name", c->attrs);
}

static void extra_hook(void *ctx, struct zl_jw *w)
{
	zl_jw_kstr(w, "published", ctx);
}

/* The record of the example draw (stratified unless `plain`); seedless before the draw. */
static char *make_record(int plain, int drawn)
{
	struct zl_draw_spec spec = {"2014年第3批",	   cands,	 5, 3,
				    plain ? NULL : quotas, plain ? 0 : 2};
	static char published[] = "2014-07-18";
	struct zl_draw_record_hooks hooks = {extra_hook, pick_hook, NULL, published};
	struct zl_error err = ZL_ERROR_INIT;
	unsigned char seed[ZL_DRAW_SEED_BYTES];
	char scom[ZL_DRAW_HEX_LEN + 1];
	struct zl_buf b = ZL_BUF_INIT(1 << 20);
	struct zl_draw_result res = {0};
	struct zl_draw d;
	struct zl_jw w;

	for (int i = 0; i < ZL_DRAW_SEED_BYTES; i++)
		seed[i] = (unsigned char)i;
	assert_int_equal(zl_draw_prepare(&d, &spec, &err), ZL_OK);
	zl_jw_init(&w, &b);
	if (drawn) {
		assert_int_equal(zl_draw_run(&d, seed, &res, &err), ZL_OK);
		zl_draw_record_write(&w, &d, NULL, seed, &res, &hooks);
	} else {
		zl_draw_seed_commitment(seed, scom);
		zl_draw_record_write(&w, &d, scom, NULL, NULL, NULL);
	}
	assert_int_equal(zl_jw_error(&w), ZL_OK);
	zl_draw_result_release(&res);
	zl_draw_release(&d);
	return zl_buf_detach(&b, NULL);
}

/* A copy of s with the first `from` replaced by `to` (which must be there). */
static char *replaced(const char *s, const char *from, const char *to)
{
	const char *at = strstr(s, from);
	size_t n = strlen(s) - strlen(from) + strlen(to);
	char *out = malloc(n + 1);

	assert_non_null(at);
	assert_non_null(out);
	memcpy(out, s, (size_t)(at - s));
	memcpy(out + (at - s), to, strlen(to));
	memcpy(out + (at - s) + strlen(to), at + strlen(from), strlen(at + strlen(from)) + 1);
	return out;
}

/* Parse and check `text`; returns the check (the record is released). */
static struct zl_draw_check check_text(const char *text)
{
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_draw_record rec;
	struct zl_draw_check chk;

	if (zl_draw_record_parse(text, strlen(text), &rec, &err) != ZL_OK)
		fail_msg("parse: %s (%s)", err.message, err.field);
	if (zl_draw_record_check(&rec, &chk, &err) != ZL_OK)
		fail_msg("check: %s (%s)", err.message, err.field);
	zl_draw_record_release(&rec);
	return chk;
}

static void test_round_trip(void **state)
{
	char *text = make_record(0, 1), *plain = make_record(1, 1);
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_draw_record rec;
	struct zl_draw_check chk;

	(void)state;
	/* what a reader sees */
	assert_non_null(strstr(text, "\"record\":\"zhiliang-draw-record\",\"algorithm\":"
				     "\"zhiliang-draw-v1\",\"kind\":\"select\""));
	assert_non_null(strstr(text, "\"seed\":\"000102030405060708090a0b0c0d0e0f10111213141516171"
				     "8191a1b1c1d1e1f\""));
	assert_non_null(
		strstr(text, "\"quotas\":[{\"stratum\":\"410102\",\"quota\":2,\"candidates\":3}"));
	assert_non_null(strstr(text,
			       "{\"position\":1,\"id\":\"914101001234567890\",\"stratum\":"
			       "\"410102\",\"weight\":\"2\",\"u53\":7521510285911439,\"neglog2\":"
			       "\"74956096038823316\",\"name\":\"丙\"}"));
	assert_non_null(strstr(text, "\"published\":\"2014-07-18\"}"));
	assert_null(strstr(plain, "quotas"));
	assert_null(strstr(plain, "stratum"));

	assert_int_equal(zl_draw_record_parse(text, strlen(text), &rec, &err), ZL_OK);
	assert_int_equal(rec.kind, ZL_DRAW_KIND_SELECT);
	assert_int_equal(rec.spec.ncand, 5);
	assert_int_equal(rec.spec.nquotas, 2);
	assert_int_equal(rec.spec.count, 3);
	assert_true(rec.has_seed && rec.has_result);
	assert_int_equal(rec.npicks, 3);
	assert_string_equal(rec.picks[2].id, "914101003333333333");
	assert_string_equal(rec.picks[2].group, "410105");
	assert_int_equal(zl_draw_record_check(&rec, &chk, &err), ZL_OK);
	assert_true(chk.input_ok && chk.seed_ok && chk.result_checked && chk.result_ok);
	assert_true(zl_draw_check_ok(&chk));
	assert_int_equal(chk.result_recorded, 3);
	assert_int_equal(chk.result_computed, 3);
	zl_draw_record_release(&rec);

	chk = check_text(plain);
	assert_true(zl_draw_check_ok(&chk));
	free(text);
	free(plain);
}

static void test_before_the_draw(void **state)
{
	char *text = make_record(0, 0), *drawn = make_record(0, 1);
	struct zl_draw_check chk;
	const char *c1, *c2;

	(void)state;
	assert_null(strstr(text, "\"seed\""));
	assert_null(strstr(text, "\"result\""));
	/* the same commitments before and after */
	c1 = strstr(text, "\"input_commitment\"");
	c2 = strstr(drawn, "\"input_commitment\"");
	assert_memory_equal(c1, c2, 20 + 64 + 1);
	c1 = strstr(text, "\"seed_commitment\"");
	c2 = strstr(drawn, "\"seed_commitment\"");
	assert_memory_equal(c1, c2, 19 + 64 + 1);
	chk = check_text(text);
	assert_true(chk.input_ok);
	assert_false(chk.result_checked);
	assert_false(zl_draw_check_ok(&chk)); /* nothing drawn: not verified */
	free(text);
	free(drawn);
}

static void test_tampering(void **state)
{
	char *text = make_record(0, 1), *t;
	struct zl_draw_check chk;

	(void)state;
	/* a candidate changed: the input commitment no longer matches */
	t = replaced(text, "914101005555555555", "914101005555555556");
	chk = check_text(t);
	assert_false(chk.input_ok);
	assert_true(chk.seed_ok);
	assert_false(zl_draw_check_ok(&chk));
	free(t);
	/* a weight, the label, a quota (with the count) */
	t = replaced(text, "\"weight\":\"0.5\"", "\"weight\":\"0.6\"");
	chk = check_text(t);
	assert_false(chk.input_ok);
	free(t);
	t = replaced(text, "2014年第3批", "2014年第4批");
	chk = check_text(t);
	assert_false(chk.input_ok);
	free(t);
	{
		char *t2 = replaced(text, "\"count\":3", "\"count\":4");

		t = replaced(t2, "\"quota\":1", "\"quota\":2");
		chk = check_text(t);
		assert_false(chk.input_ok);
		assert_false(chk.result_ok); /* one more position now */
		free(t);
		free(t2);
	}
	/* the seed changed: its commitment fails, and the result is not reproduced */
	t = replaced(text, "1c1d1e1f\"", "1c1d1e1e\"");
	chk = check_text(t);
	assert_true(chk.input_ok);
	assert_false(chk.seed_ok);
	assert_false(chk.result_ok);
	assert_true(chk.ndiffs > 0);
	free(t);
	/* the result: another id at position 2 */
	t = replaced(text, "\"position\":2,\"id\":\"914101007890123456\"",
		     "\"position\":2,\"id\":\"914101005555555555\"");
	chk = check_text(t);
	assert_true(chk.input_ok && chk.seed_ok);
	assert_false(chk.result_ok);
	assert_int_equal(chk.ndiffs, 1);
	assert_int_equal(chk.diffs[0].position, 2);
	assert_string_equal(chk.diffs[0].what, "id");
	assert_string_equal(chk.diffs[0].recorded, "914101005555555555");
	assert_string_equal(chk.diffs[0].computed, "914101007890123456");
	free(t);
	/* a stated u53 that is not the stream's */
	t = replaced(text, "7521510285911439", "7521510285911438");
	chk = check_text(t);
	assert_int_equal(chk.ndiffs, 1);
	assert_string_equal(chk.diffs[0].what, "u53");
	assert_int_equal(chk.diffs[0].position, 1);
	free(t);
	/* a position left out */
	{
		const char *last = strstr(text, ",{\"position\":3");
		const char *end = strstr(last, "}]");
		size_t n = strlen(text);

		t = malloc(n + 1);
		assert_non_null(t);
		memcpy(t, text, (size_t)(last - text));
		memcpy(t + (last - text), end + 1, strlen(end + 1) + 1);
		chk = check_text(t);
		assert_int_equal(chk.ndiffs, 1);
		assert_string_equal(chk.diffs[0].what, "missing");
		assert_int_equal(chk.diffs[0].position, 3);
		assert_int_equal(chk.result_recorded, 2);
		free(t);
	}
	free(text);
}

/* Parse `text`: expect `code` with err->field `field`. */
static void parse_refused(const char *text, int code, const char *field)
{
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_draw_record rec;
	int rc = zl_draw_record_parse(text, strlen(text), &rec, &err);

	if (rc != code || strcmp(err.field, field) != 0)
		fail_msg("expected %d (%s), got %d (%s): %s", code, field, rc, err.field,
			 err.message);
	zl_draw_record_release(&rec);
}

static void test_malformed(void **state)
{
	char *text = make_record(0, 1), *t;
	static const struct {
		const char *from, *to, *field;
	} cases[] = {
		{"zhiliang-draw-record", "zhiliang-draw-recorx", "record"},
		{"\"algorithm\":\"zhiliang-draw-v1\"", "\"algorithm\":\"zhiliang-draw-v2\"",
		 "algorithm"},
		{"\"kind\":\"select\"", "\"kind\":\"lottery\"", "kind"},
		{"\"count\":3", "\"count\":\"3\"", "count"},
		{"\"count\":3", "\"count\":4", "count"}, /* not the sum of the quotas */
		/* candidates in canonical order: 914101005555555555 is the second */
		{"\"weight\":\"0.5\"", "\"weight\":0.5", "candidates[1].weight"},
		{"\"weight\":\"0.5\"", "\"weight\":\"-0.5\"", "candidates[1].weight"},
		{"{\"id\":\"914101005555555555\",", "{\"ID\":\"914101005555555555\",",
		 "candidates[1].id"},
		{"\"weight\":\"0.5\",\"stratum\":\"410102\"", "\"weight\":\"0.5\"",
		 "candidates[1].stratum"},
		{"\"seed\":\"00", "\"seed\":\"0g", "seed"},
		{"\"seed_commitment\":\"", "\"seed_commitment\":\"A", "seed_commitment"},
		{"\"neglog2\":\"74956096038823316\"", "\"neglog2\":\"7495609603882331x\"",
		 "result[0].neglog2"},
		{"\"u53\":7521510285911439", "\"u53\":9007199254740993", "result[0].u53"},
		{"\"quotas\":[{\"stratum\":\"410102\",\"quota\":2",
		 "\"quotas\":[{\"stratum\":\"410102\",\"quota\":-2", "quotas[0].quota"},
		{"\"result\":[", "\"result\":7,\"old_result\":[", "result"},
	};

	(void)state;
	parse_refused("{", ZL_EINVAL, "");
	parse_refused("[]", ZL_EINVAL, "");
	parse_refused("{}", ZL_EUNPROC, "record");
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		t = replaced(text, cases[i].from, cases[i].to);
		parse_refused(t, ZL_EUNPROC, cases[i].field);
		free(t);
	}
	free(text);
}

/* Inputs that parse but do not make a draw: check refuses, naming why. */
static void test_invalid_inputs(void **state)
{
	char *text = make_record(0, 1), *t;
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_draw_record rec;
	struct zl_draw_check chk;

	(void)state;
	t = replaced(text, "914101005555555555", "914101001234567890");
	assert_int_equal(zl_draw_record_parse(t, strlen(t), &rec, &err), ZL_OK);
	assert_int_equal(zl_draw_record_check(&rec, &chk, &err), ZL_EUNPROC);
	assert_non_null(strstr(err.message, "id '914101001234567890' is there twice"));
	zl_draw_record_release(&rec);
	free(t);
	free(text);
}

static const char *const conflicts_a[] = {"E1"};
static const struct zl_draw_inspector pool[] = {
	{"I1", "410102", NULL, 0, NULL},
	{"I2", "410103", conflicts_a, 1, NULL},
	{"I3", "410103", NULL, 0, NULL},
	{"I4", "", NULL, 0, NULL},
};
static const struct zl_draw_task tasks[] = {{"T1", "E1", "410102"}, {"T2", "E2", "410103"}};

static void member_hook(void *ctx, const struct zl_draw_inspector *m, struct zl_jw *w)
{
	(void)ctx;
	zl_jw_kstr(w, "county_seen", m->county);
}

static void test_inspectors_record(void **state)
{
	struct zl_draw_inspector_spec spec = {"抽查人员", pool, 4, tasks, 2, 2, 1};
	struct zl_draw_record_hooks hooks = {NULL, NULL, member_hook, NULL};
	struct zl_error err = ZL_ERROR_INIT;
	unsigned char seed[ZL_DRAW_SEED_BYTES];
	struct zl_draw_inspector_result res;
	struct zl_buf b = ZL_BUF_INIT(1 << 20);
	struct zl_draw_inspectors ins;
	struct zl_draw_check chk;
	struct zl_jw w;
	char *t;

	(void)state;
	memset(seed, 7, sizeof(seed));
	assert_int_equal(zl_draw_inspectors_prepare(&ins, &spec, &err), ZL_OK);
	assert_int_equal(zl_draw_inspectors_run(&ins, seed, &res, &err), ZL_OK);
	zl_jw_init(&w, &b);
	zl_draw_inspectors_record_write(&w, &ins, NULL, seed, &res, &hooks);
	assert_int_equal(zl_jw_error(&w), ZL_OK);
	assert_non_null(strstr(zl_buf_str(&b), "\"kind\":\"inspectors\""));
	assert_non_null(strstr(zl_buf_str(&b),
			       "{\"id\":\"I2\",\"county\":\"410103\",\"conflicts\":[\"E1\"]}"));
	assert_non_null(
		strstr(zl_buf_str(&b), "\"result\":[{\"task\":\"T1\",\"inspectors\":[{\"id\":"));
	chk = check_text(zl_buf_str(&b));
	assert_true(zl_draw_check_ok(&chk));
	assert_int_equal(chk.result_computed, 4);

	/* a conflict withdrawn after the commitment */
	t = replaced(zl_buf_str(&b), "\"conflicts\":[\"E1\"]", "\"conflicts\":[]");
	chk = check_text(t);
	assert_false(chk.input_ok);
	free(t);
	/* the county rule switched off after the commitment */
	t = replaced(zl_buf_str(&b), "\"exclude_own_county\":true", "\"exclude_own_county\":false");
	chk = check_text(t);
	assert_false(chk.input_ok);
	free(t);
	/* another inspector at T2's first place */
	{
		const char *at =
			strstr(zl_buf_str(&b), "{\"task\":\"T2\",\"inspectors\":[{\"id\":\"I");
		char from[64], to[64];

		assert_non_null(at);
		/* ...,{"id":"I<digit>: the digit is at 35 */
		snprintf(from, sizeof(from), "%.36s", at);
		snprintf(to, sizeof(to), "%.35s%c", at, at[35] == '1' ? '4' : '1');
		t = replaced(zl_buf_str(&b), from, to);
		chk = check_text(t);
		assert_true(chk.input_ok && chk.seed_ok);
		assert_int_equal(chk.ndiffs, 1);
		assert_int_equal(chk.diffs[0].position, 3);
		assert_string_equal(chk.diffs[0].what, "id");
		free(t);
	}
	zl_buf_release(&b);
	zl_draw_inspector_result_release(&res);
	zl_draw_inspectors_release(&ins);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),     cmocka_unit_test(test_before_the_draw),
		cmocka_unit_test(test_tampering),      cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_invalid_inputs), cmocka_unit_test(test_inspectors_record),
	};

	return cmocka_run_group_tests(tests, init, NULL);
}
