/*
 * test_draw.c - the verifiable draw (domain/draw.h): the worked example
 * of docs/draws.md byte for byte, the fixed-point logarithm and the exact
 * key comparison, weights and seeds as text, every refusal of the inputs,
 * reproducibility and independence of input order, strata that do not
 * affect each other, and the statistics: equal weights give a uniform
 * inclusion and weights give proportional chances (chi-square tests over
 * 10,000 fixed seeds at a significance of 1e-6), and the inspector rules.
 *
 * The worked example's numbers were computed without this code, by the
 * shell and tests/cli/draw_ref.py (docs/draws.md shows how):
 *
 *   seed = the bytes 00 01 .. 1f
 *   printf "$SEED" | sha256sum                               -> SEED_COMMITMENT
 *   printf '%s' "$CANONICAL" | sha256sum                     -> INPUT_COMMITMENT
 *   K=$({ printf '16:zhiliang-draw-v1,7:stratum,32:'; printf "$SEED";
 *         printf ',6:410102,'; } | sha256sum | cut -d' ' -f1) -> KEY_410102
 *   head -c 24 /dev/zero | openssl enc -chacha20 -K $K -iv 00000000000000000000000000000000 |
 *     od -An -tx8 -w8                                        -> the words; U = word >> 11
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "domain/draw.h"

#define CANONICAL                                                                                  \
	"16:zhiliang-draw-v1,6:select,27:2014年第3批 电线电缆,1:2,"                         \
	"6:410102,1:2,1:3,18:914101001234567890,1:2,18:914101005555555555,3:0.5,"                  \
	"18:914101007890123456,1:1,"                                                               \
	"6:410105,1:1,1:2,18:914101003333333333,1:4,18:914101009999999999,1:1,"
#define INPUT_COMMITMENT "c50fd1f008bbb6db466ec1c26b2a4d61a0d84a51c110817d3c37615dc27540b7"
#define SEED_COMMITMENT "630dcd2966c4336691125448bbb25b4ff412a49c732db2c8abc1b8581bd710dd"
#define KEY_410102 "5274002584f007927cc77506d71060a6e1705592f6eb2f93f5fe7aaee3fff55b"
#define KEY_410105 "07f66b1b54855b55db966b0a8354d2435336eb8310fa95904b9525641a854b24"

/* Chi-square critical values at a significance of 1e-6, by degrees of freedom. */
#define CHI2_3 30.665
#define CHI2_4 33.377
#define CHI2_9 44.811
#define CHI2_11 48.866
#define SEEDS 10000

static int init(void **state)
{
	(void)state;
	return zl_core_init() == ZL_OK ? 0 : -1;
}

static void example_seed(unsigned char seed[ZL_DRAW_SEED_BYTES])
{
	for (int i = 0; i < ZL_DRAW_SEED_BYTES; i++)
		seed[i] = (unsigned char)i;
}

/* Seed number i of the statistical tests. */
static void nth_seed(unsigned char seed[ZL_DRAW_SEED_BYTES], uint32_t i)
{
	memset(seed, 0x5a, ZL_DRAW_SEED_BYTES);
	memcpy(seed, &i, sizeof(i));
}

/* The example's candidates, deliberately not in canonical order; attrs point at themselves. */
static const struct zl_draw_candidate example_cand[] = {
	{"914101007890123456", "410102", 1000000, &example_cand[0]},
	{"914101009999999999", "410105", 1000000, &example_cand[1]},
	{"914101001234567890", "410102", 2000000, &example_cand[2]},
	{"914101003333333333", "410105", 4000000, &example_cand[3]},
	{"914101005555555555", "410102", 500000, &example_cand[4]},
};
static const struct zl_draw_quota example_quotas[] = {{"410105", 1}, {"410102", 2}};

static void prepare_example(struct zl_draw *d)
{
	struct zl_draw_spec spec = {"2014年第3批 电线电缆", example_cand, 5, 0, example_quotas, 2};
	struct zl_error err = ZL_ERROR_INIT;

	assert_int_equal(zl_draw_prepare(d, &spec, &err), ZL_OK);
}

static void test_example_canonical(void **state)
{
	struct zl_buf b = ZL_BUF_INIT(1 << 20);
	char hex[ZL_DRAW_HEX_LEN + 1];
	unsigned char seed[ZL_DRAW_SEED_BYTES];
	struct zl_draw d;

	(void)state;
	prepare_example(&d);
	assert_int_equal(zl_draw_canonical(&d, &b), ZL_OK);
	assert_string_equal(zl_buf_str(&b), CANONICAL);
	zl_draw_input_commitment(&d, hex);
	assert_string_equal(hex, INPUT_COMMITMENT);
	example_seed(seed);
	zl_draw_seed_commitment(seed, hex);
	assert_string_equal(hex, SEED_COMMITMENT);
	/* canonical order: strata by name, ids within; input positions kept */
	assert_int_equal(d.nstrata, 2);
	assert_string_equal(d.strata[0].name, "410102");
	assert_int_equal(d.strata[0].n, 3);
	assert_string_equal(d.cand[0].id, "914101001234567890");
	assert_int_equal(d.input[0], 2);
	assert_string_equal(d.cand[3].id, "914101003333333333");
	assert_string_equal(d.cand[3].stratum, "410105");
	assert_int_equal(d.total, 3);
	zl_buf_release(&b);
	zl_draw_release(&d);
}

static void test_example_draw(void **state)
{
	static const struct {
		const char *id;
		uint64_t u53, neglog2;
	} want[] = {
		{"914101001234567890", UINT64_C(7521510285911439), UINT64_C(74956096038823316)},
		{"914101007890123456", UINT64_C(2316418435509166), UINT64_C(564695964505056036)},
		{"914101003333333333", UINT64_C(6386048404940376), UINT64_C(143006967761097276)},
	};
	unsigned char seed[ZL_DRAW_SEED_BYTES], key[ZL_DRAW_SEED_BYTES];
	char hex[ZL_DRAW_HEX_LEN + 1];
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_draw_result res;
	struct zl_draw d;

	(void)state;
	example_seed(seed);
	zl_draw_stream_key("stratum", seed, "410102", key);
	zl_draw_hex(key, sizeof(key), hex);
	assert_string_equal(hex, KEY_410102);
	zl_draw_stream_key("stratum", seed, "410105", key);
	zl_draw_hex(key, sizeof(key), hex);
	assert_string_equal(hex, KEY_410105);
	/* the keys of the two that lost: */
	assert_int_equal(zl_draw_neglog2(UINT64_C(2477417051662338)), UINT64_C(536754660975985118));
	assert_int_equal(zl_draw_neglog2(UINT64_C(2638036794409218)), UINT64_C(510632937840213358));

	prepare_example(&d);
	assert_int_equal(zl_draw_run(&d, seed, &res, &err), ZL_OK);
	assert_int_equal(res.n, 3);
	for (size_t i = 0; i < 3; i++) {
		assert_string_equal(d.cand[res.picks[i].cand].id, want[i].id);
		assert_int_equal(res.picks[i].u53, want[i].u53);
		assert_int_equal(res.picks[i].neglog2, want[i].neglog2);
		/* the caller's position and attrs come back with the pick */
		assert_string_equal(example_cand[res.picks[i].input].id, want[i].id);
		assert_ptr_equal(d.cand[res.picks[i].cand].attrs,
				 &example_cand[res.picks[i].input]);
	}
	zl_draw_result_release(&res);
	zl_draw_release(&d);
}

static void test_neglog2(void **state)
{
	uint64_t prev = UINT64_MAX, x = 88172645463325252u;

	(void)state;
	assert_int_equal(zl_draw_neglog2((UINT64_C(1) << 53) - 1), 0); /* u = 1 */
	assert_int_equal(zl_draw_neglog2(0), UINT64_C(53) << 58);      /* u = 2^-53 */
	assert_int_equal(zl_draw_neglog2((UINT64_C(1) << 52) - 1), UINT64_C(1) << 58); /* u = 1/2 */
	assert_int_equal(zl_draw_neglog2((UINT64_C(1) << 51) - 1), UINT64_C(2) << 58); /* u = 1/4 */
	/* 3/4: -log2(0.75) * 2^58 = 119626414534206945.506 (50 digits of Python's decimal) */
	assert_int_equal(zl_draw_neglog2(3 * (UINT64_C(1) << 51) - 1),
			 UINT64_C(119626414534206946));
	/* Close to the real logarithm everywhere, and never increasing with U. */
	for (int i = 0; i < 20000; i++) {
		uint64_t u, l;
		long double want;

		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		u = (x >> 11) & ((UINT64_C(1) << 53) - 1);
		l = zl_draw_neglog2(u);
		want = -log2l(((long double)u + 1) / 9007199254740992.0L) * 288230376151711744.0L;
		assert_true(fabsl((long double)l - want) < 16 + want * 1e-15L);
	}
	for (uint64_t u = (UINT64_C(1) << 53) - 5000; u < (UINT64_C(1) << 53); u++) {
		uint64_t l = zl_draw_neglog2(u);

		assert_true(l <= prev);
		prev = l;
	}
	/* bits above 53 are ignored */
	assert_int_equal(zl_draw_neglog2(UINT64_C(1) << 53), zl_draw_neglog2(0));
}

static void test_key_cmp(void **state)
{
	(void)state;
	assert_int_equal(zl_draw_key_cmp(6, 3, 4, 2), 0); /* 2 = 2 */
	assert_true(zl_draw_key_cmp(1, 1, 1, 2) > 0);	  /* 1 > 0.5 */
	assert_true(zl_draw_key_cmp(1, 2, 1, 1) < 0);
	/* Differences a double cannot see: (2^60 + 1) / 3 against 2^60 / 3. */
	assert_true(zl_draw_key_cmp((UINT64_C(1) << 60) + 1, 3, UINT64_C(1) << 60, 3) > 0);
	assert_true(zl_draw_key_cmp(UINT64_MAX, ZL_DRAW_WEIGHT_MAX, UINT64_MAX - 1,
				    ZL_DRAW_WEIGHT_MAX) > 0);
	assert_true(zl_draw_key_cmp(UINT64_MAX, ZL_DRAW_WEIGHT_MAX, UINT64_MAX,
				    ZL_DRAW_WEIGHT_MAX - 1) < 0);
	assert_int_equal(
		zl_draw_key_cmp(UINT64_MAX, ZL_DRAW_WEIGHT_MAX, UINT64_MAX, ZL_DRAW_WEIGHT_MAX), 0);
	assert_int_equal(zl_draw_key_cmp(0, 1, 0, ZL_DRAW_WEIGHT_MAX), 0);
}

static void test_weights(void **state)
{
	static const struct {
		const char *text;
		uint64_t micro;
		const char *canonical;
	} good[] = {
		{"1", 1000000, "1"},
		{"2.5", 2500000, "2.5"},
		{" 0.125\t", 125000, "0.125"},
		{"007", 7000000, "7"},
		{"2.500000", 2500000, "2.5"},
		{"0.000001", 1, "0.000001"},
		{"1000000000", UINT64_C(1000000000000000), "1000000000"},
		{"999999999.999999", UINT64_C(999999999999999), "999999999.999999"},
		{"1.23", 1230000, "1.23"},
	};
	static const struct {
		const char *text, *why;
	} bad[] = {
		{"", "empty"},
		{"  ", "empty"},
		{"-1", "negative"},
		{"-0.5", "negative"},
		{"0", "is 0"},
		{"0.000000", "is 0"},
		{"abc", "not a plain decimal"},
		{"1e3", "not a plain decimal"},
		{"1,5", "not a plain decimal"},
		{".5", "not a plain decimal"},
		{"2.", "not a plain decimal"},
		{"+1", "not a plain decimal"},
		{"1 2", "not a plain decimal"},
		{"NaN", "not a plain decimal"},
		{"１", "not a plain decimal"}, /* full-width one */
		{"0.0000001", "more than 6 decimal places"},
		{"1000000000.1", "larger than"},
		{"99999999999999999999999", "larger than"},
	};
	char out[ZL_DRAW_WEIGHT_TEXT];
	uint64_t m;

	(void)state;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		struct zl_error err = ZL_ERROR_INIT;

		assert_int_equal(zl_draw_weight_parse(good[i].text, &m, &err), ZL_OK);
		assert_int_equal(m, good[i].micro);
		assert_string_equal(zl_draw_weight_format(m, out), good[i].canonical);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct zl_error err = ZL_ERROR_INIT;

		assert_int_equal(zl_draw_weight_parse(bad[i].text, &m, &err), ZL_EUNPROC);
		if (!strstr(err.message, bad[i].why))
			fail_msg("weight '%s': %s", bad[i].text, err.message);
	}
}

static void test_seed_parse(void **state)
{
	unsigned char seed[ZL_DRAW_SEED_BYTES], want[ZL_DRAW_SEED_BYTES];
	struct zl_error err = ZL_ERROR_INIT;
	char hex[2 * ZL_DRAW_SEED_BYTES + 1];

	(void)state;
	example_seed(want);
	assert_int_equal(zl_draw_seed_parse(
				 "000102030405060708090A0B0C0D0E0F101112131415161718191a1b1c1d1e1f",
				 seed, &err),
			 ZL_OK);
	assert_memory_equal(seed, want, sizeof(seed));
	zl_draw_hex(seed, sizeof(seed), hex);
	assert_string_equal(hex,
			    "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
	assert_int_equal(zl_draw_seed_parse("00", seed, &err), ZL_EINVAL);
	assert_non_null(strstr(err.message, "64 hex digits"));
	assert_int_equal(
		zl_draw_seed_parse(
			"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f00", seed,
			&err),
		ZL_EINVAL);
	assert_int_equal(zl_draw_seed_parse(
				 "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1g",
				 seed, &err),
			 ZL_EINVAL);
	assert_non_null(strstr(err.message, "character 64"));
	assert_int_equal(zl_draw_seed_parse("", seed, &err), ZL_EINVAL);
	assert_int_equal(zl_draw_seed_parse(NULL, seed, &err), ZL_EINVAL);
}

/* Prepare `spec`; expect a refusal whose message holds `why`. */
static void refused(const struct zl_draw_spec *spec, const char *field, const char *why,
		    size_t cand, size_t cand2, size_t quota)
{
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_draw d;
	int rc = zl_draw_prepare(&d, spec, &err);

	if (rc == ZL_OK || !strstr(err.message, why))
		fail_msg("expected a refusal with '%s', got %d '%s'", why, rc, err.message);
	assert_string_equal(err.field, field);
	assert_int_equal(d.fault.cand, cand);
	assert_int_equal(d.fault.cand2, cand2);
	assert_int_equal(d.fault.quota, quota);
	zl_draw_release(&d);
}

static void test_refusals(void **state)
{
	struct zl_draw_candidate c[4] = {
		{"A", "s1", 1000000, NULL},
		{"B", "s1", 1000000, NULL},
		{"C", "s2", 1000000, NULL},
		{"D", "s2", 1000000, NULL},
	};
	struct zl_draw_quota q[3] = {{"s1", 1}, {"s2", 1}, {"s3", 1}};
	struct zl_draw_spec s = {NULL, c, 4, 2, NULL, 0};
	char longid[ZL_DRAW_ID_MAX + 2];
	const size_t none = SIZE_MAX;

	(void)state;
	s.ncand = 0;
	refused(&s, "candidates", "no candidates", none, none, none);
	s.ncand = 4;
	s.count = 0;
	refused(&s, "count", "at least 1", none, none, none);
	s.count = 5;
	refused(&s, "count", "cannot draw 5 from 4 candidates", none, none, none);
	s.count = 2;
	c[2].id = "";
	refused(&s, "candidates", "the id of candidate 3 is empty", 2, none, none);
	c[2].id = "C\n";
	refused(&s, "candidates", "control character", 2, none, none);
	c[2].id = "\xe4\xb8";
	refused(&s, "candidates", "not UTF-8", 2, none, none);
	memset(longid, 'x', sizeof(longid) - 1);
	longid[sizeof(longid) - 1] = '\0';
	c[2].id = longid;
	refused(&s, "candidates", "longer than 256 bytes", 2, none, none);
	c[2].id = "A";
	refused(&s, "candidates", "id 'A' is there twice", 0, 2, none);
	c[2].id = "C";
	c[1].weight = 0;
	refused(&s, "candidates", "weight of 'B'", 1, none, none);
	c[1].weight = ZL_DRAW_WEIGHT_MAX + 1;
	refused(&s, "candidates", "weight of 'B'", 1, none, none);
	c[1].weight = ZL_DRAW_WEIGHT_MAX;
	s.label = "a\tb";
	refused(&s, "label", "control character", none, none, none);
	s.label = "2014";

	/* quotas */
	s.quotas = q;
	s.nquotas = 3;
	refused(&s, "quotas", "stratum 's3' has a quota but no candidates", none, none, 2);
	s.nquotas = 1;
	refused(&s, "candidates", "stratum 's2' (of 'C') has no quota", 2, none, none);
	q[1].stratum = "s1";
	s.nquotas = 2;
	refused(&s, "quotas", "stratum 's1' is given two quotas", none, none, 1);
	q[1].stratum = "s2";
	q[1].quota = 3;
	refused(&s, "quotas", "the quota 3 of stratum 's2' is larger than its 2 candidates", none,
		none, 1);
	q[0].quota = q[1].quota = 0;
	refused(&s, "quotas", "nothing to draw", none, none, none);
	q[0].quota = 1;
	c[3].stratum = "";
	refused(&s, "candidates", "the stratum of 'D' is empty", 3, none, none);
	c[3].stratum = "s2";
	c[3].id = "B"; /* the same id in two strata */
	refused(&s, "candidates", "id 'B' is there twice", 1, 3, none);
}

/* A draw of n candidates "c0000".."c<n>" with the given weights, in the given strata. */
struct fixture {
	char ids[64][24];
	struct zl_draw_candidate c[64];
	size_t n;
};

static void fixture_make(struct fixture *f, size_t n, const uint64_t *weights,
			 const char *const *strata)
{
	f->n = n;
	for (size_t i = 0; i < n; i++) {
		snprintf(f->ids[i], sizeof(f->ids[i]), "c%04zu", i);
		f->c[i] = (struct zl_draw_candidate){f->ids[i], strata ? strata[i] : NULL,
						     weights ? weights[i] : ZL_DRAW_WEIGHT_ONE,
						     &f->c[i]};
	}
}

/* Run `spec` with seed number i; the picks' input positions in selection order into out. */
static size_t run_positions(const struct zl_draw_spec *spec, uint32_t i, size_t *out)
{
	unsigned char seed[ZL_DRAW_SEED_BYTES];
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_draw_result res;
	struct zl_draw d;
	size_t n;

	nth_seed(seed, i);
	assert_int_equal(zl_draw_prepare(&d, spec, &err), ZL_OK);
	assert_int_equal(zl_draw_run(&d, seed, &res, &err), ZL_OK);
	for (size_t k = 0; k < res.n; k++)
		out[k] = res.picks[k].input;
	n = res.n;
	zl_draw_result_release(&res);
	zl_draw_release(&d);
	return n;
}

static void test_reproducible(void **state)
{
	struct fixture f;
	struct zl_draw_spec spec = {"x", NULL, 20, 5, NULL, 0};
	size_t a[5], b[5], differ = 0;

	(void)state;
	fixture_make(&f, 20, NULL, NULL);
	spec.cand = f.c;
	assert_int_equal(run_positions(&spec, 7, a), 5);
	assert_int_equal(run_positions(&spec, 7, b), 5);
	assert_memory_equal(a, b, sizeof(a));
	/* distinct picks */
	for (int i = 0; i < 5; i++)
		for (int j = i + 1; j < 5; j++)
			assert_true(a[i] != a[j]);
	/* another seed, another result (for these seeds) */
	for (uint32_t s = 8; s < 18; s++) {
		run_positions(&spec, s, b);
		differ += memcmp(a, b, sizeof(a)) != 0;
	}
	assert_int_equal(differ, 10);
}

/* The same inputs in another order: the same canonical form and result. */
static void test_input_order(void **state)
{
	struct fixture f;
	struct zl_draw_candidate rev[64];
	struct zl_draw_spec spec = {"x", NULL, 30, 7, NULL, 0};
	char h1[ZL_DRAW_HEX_LEN + 1], h2[ZL_DRAW_HEX_LEN + 1];
	struct zl_error err = ZL_ERROR_INIT;
	size_t a[7], b[7];
	struct zl_draw d;

	(void)state;
	fixture_make(&f, 30, NULL, NULL);
	for (size_t i = 0; i < 30; i++)
		rev[i] = f.c[29 - i];
	spec.cand = f.c;
	assert_int_equal(zl_draw_prepare(&d, &spec, &err), ZL_OK);
	zl_draw_input_commitment(&d, h1);
	zl_draw_release(&d);
	run_positions(&spec, 3, a);
	spec.cand = rev;
	assert_int_equal(zl_draw_prepare(&d, &spec, &err), ZL_OK);
	zl_draw_input_commitment(&d, h2);
	zl_draw_release(&d);
	run_positions(&spec, 3, b);
	assert_string_equal(h1, h2);
	for (int k = 0; k < 7; k++)
		assert_int_equal(a[k], 29 - b[k]);
	/* ...and a changed candidate changes the commitment */
	rev[4].weight = 2 * ZL_DRAW_WEIGHT_ONE;
	assert_int_equal(zl_draw_prepare(&d, &spec, &err), ZL_OK);
	zl_draw_input_commitment(&d, h2);
	zl_draw_release(&d);
	assert_string_not_equal(h1, h2);
}

/* Strata: a change in one stratum leaves every other stratum's result as it was. */
static void test_strata_independent(void **state)
{
	static const char *const strata[40] = {"A", "B", "C", "A", "B", "C", "A", "B", "C", "A",
					       "B", "C", "A", "B", "C", "A", "B", "C", "A", "B",
					       "C", "A", "B", "C", "A", "B", "C", "A", "B", "C",
					       "A", "B", "C", "A", "B", "C", "A", "B", "C", "A"};
	struct zl_draw_quota q[3] = {{"A", 3}, {"B", 4}, {"C", 2}};
	struct zl_draw_spec spec = {"x", NULL, 39, 0, q, 3};
	struct fixture f;
	size_t before[9], after[10], changed = 0;

	(void)state;
	fixture_make(&f, 40, NULL, strata);
	spec.cand = f.c;
	for (uint32_t s = 0; s < 50; s++) {
		assert_int_equal(run_positions(&spec, s, before), 9);
		/* stratum A gets a 40th candidate and a larger quota */
		spec.ncand = 40;
		q[0].quota = 4;
		assert_int_equal(run_positions(&spec, s, after), 10);
		/* A's picks come first (strata in name order); B's and C's are untouched */
		assert_memory_equal(before + 3, after + 4, 6 * sizeof(size_t));
		changed += memcmp(before, after, 3 * sizeof(size_t)) != 0;
		spec.ncand = 39;
		q[0].quota = 3;
	}
	assert_true(changed > 0); /* A itself did change */
	/* Removing stratum C altogether does not move A or B either. */
	{
		struct zl_draw_spec ab = {"x", NULL, 0, 0, q, 2};
		struct zl_draw_candidate only[40];
		size_t map[40], n = 0, x[9], y[7];

		for (size_t i = 0; i < 39; i++)
			if (strcmp(strata[i], "C") != 0) {
				map[n] = i;
				only[n++] = f.c[i];
			}
		ab.cand = only;
		ab.ncand = n;
		run_positions(&spec, 11, x);
		run_positions(&ab, 11, y);
		for (int k = 0; k < 7; k++)
			assert_int_equal(map[y[k]], x[k]);
	}
}

static void test_quota_edges(void **state)
{
	static const char *const strata[6] = {"A", "A", "B", "B", "B", "C"};
	struct zl_draw_quota q[3] = {{"A", 0}, {"B", 3}, {"C", 1}};
	struct zl_draw_spec spec = {"x", NULL, 6, 0, q, 3};
	unsigned char seed[ZL_DRAW_SEED_BYTES];
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_draw_result res;
	struct zl_draw d;
	struct fixture f;

	(void)state;
	fixture_make(&f, 6, NULL, strata);
	spec.cand = f.c;
	nth_seed(seed, 1);
	assert_int_equal(zl_draw_prepare(&d, &spec, &err), ZL_OK);
	assert_int_equal(zl_draw_run(&d, seed, &res, &err), ZL_OK);
	assert_int_equal(res.n, 4);
	/* B entirely, in key order, then C */
	for (size_t k = 0; k < 3; k++) {
		assert_string_equal(d.cand[res.picks[k].cand].stratum, "B");
		if (k > 0)
			assert_true(zl_draw_key_cmp(res.picks[k - 1].neglog2, ZL_DRAW_WEIGHT_ONE,
						    res.picks[k].neglog2, ZL_DRAW_WEIGHT_ONE) <= 0);
	}
	assert_string_equal(d.cand[res.picks[3].cand].id, "c0005");
	zl_draw_result_release(&res);
	zl_draw_release(&d);
}

/* Equal weights: every candidate is included k/n of the time (chi-square, 9 degrees). */
static void test_uniform_inclusion(void **state)
{
	struct fixture f;
	struct zl_draw_spec spec = {"uniform", NULL, 10, 3, NULL, 0};
	double count[10] = {0}, x2 = 0, p = 0.3, e = SEEDS * 0.3;
	size_t pick[3];

	(void)state;
	fixture_make(&f, 10, NULL, NULL);
	spec.cand = f.c;
	for (uint32_t s = 0; s < SEEDS; s++) {
		run_positions(&spec, s, pick);
		for (int k = 0; k < 3; k++)
			count[pick[k]]++;
	}
	/*
	 * Inclusions of a k-of-n draw are not a multinomial: each count has
	 * variance T p (1 - p), and the counts sum to T k, so the scaled
	 * statistic sum (O - E)^2 / (T p (1 - p)) * (n - 1) / n follows
	 * chi-square with n - 1 degrees of freedom.
	 */
	for (int i = 0; i < 10; i++)
		x2 += (count[i] - e) * (count[i] - e);
	x2 = x2 / (SEEDS * p * (1 - p)) * 9.0 / 10.0;
	print_message(
		"uniform inclusion of 3 of 10 over %d seeds: chi-square %.2f (9 df, limit %.2f)\n",
		SEEDS, x2, CHI2_9);
	assert_true(x2 < CHI2_9);
	/* The test can fail: a draw that always took the first three would be far off. */
	{
		double biased = 3 * (SEEDS - e) * (SEEDS - e) + 7 * e * e;

		assert_true(biased / (SEEDS * p * (1 - p)) * 0.9 > CHI2_9);
	}
}

/* Chi-square of single-item draws against the weights' shares. */
static double single_draw_chi2(const uint64_t *w, size_t n)
{
	struct fixture f;
	struct zl_draw_spec spec = {"weighted", NULL, n, 1, NULL, 0};
	double count[64] = {0}, total = 0, x2 = 0;
	size_t pick;

	fixture_make(&f, n, w, NULL);
	spec.cand = f.c;
	for (uint32_t s = 0; s < SEEDS; s++) {
		run_positions(&spec, s, &pick);
		count[pick]++;
	}
	for (size_t i = 0; i < n; i++)
		total += (double)w[i];
	for (size_t i = 0; i < n; i++) {
		double e = SEEDS * (double)w[i] / total;

		x2 += (count[i] - e) * (count[i] - e) / e;
	}
	return x2;
}

static void test_weighted_single(void **state)
{
	static const uint64_t w4[4] = {1000000, 2000000, 3000000, 4000000};
	static const uint64_t w5[5] = {500000, 1000000, 1000000, 2500000, 5000000};
	double a, b;

	(void)state;
	a = single_draw_chi2(w4, 4);
	b = single_draw_chi2(w5, 5);
	print_message("single draws, weights 1:2:3:4 chi-square %.2f (3 df, limit %.2f); "
		      "0.5:1:1:2.5:5 %.2f (4 df, limit %.2f)\n",
		      a, CHI2_3, b, CHI2_4);
	assert_true(a < CHI2_3);
	assert_true(b < CHI2_4);
}

/*
 * Two of four by weight: the ordered pair (first, second) must follow
 * successive sampling, P(a, b) = w_a / W * w_b / (W - w_a), which is what
 * Efraimidis and Spirakis prove their keys give (12 cells, 11 df).
 */
static void test_weighted_pairs(void **state)
{
	static const uint64_t w[4] = {1000000, 2000000, 3000000, 4000000};
	struct fixture f;
	struct zl_draw_spec spec = {"pairs", NULL, 4, 2, NULL, 0};
	double count[4][4] = {{0}}, x2 = 0;
	size_t pick[2];

	(void)state;
	fixture_make(&f, 4, w, NULL);
	spec.cand = f.c;
	for (uint32_t s = 0; s < SEEDS; s++) {
		run_positions(&spec, s, pick);
		count[pick[0]][pick[1]]++;
	}
	for (int a = 0; a < 4; a++)
		for (int b = 0; b < 4; b++) {
			double e;

			if (a == b) {
				assert_true(count[a][b] == 0);
				continue;
			}
			e = SEEDS * (a + 1) / 10.0 * (b + 1) / (10.0 - (a + 1));
			x2 += (count[a][b] - e) * (count[a][b] - e) / e;
		}
	print_message("ordered pairs of 2 of 4, weights 1:2:3:4: chi-square %.2f (11 df, limit "
		      "%.2f)\n",
		      x2, CHI2_11);
	assert_true(x2 < CHI2_11);
}

/* ---- inspectors ---- */

static const char *const conflicts_i3[] = {"E1"};
static const char *const conflicts_i5[] = {"E2", "E1"};

static const struct zl_draw_inspector pool[] = {
	{"I1", "410102", NULL, 0, NULL},	 {"I2", "410102", NULL, 0, NULL},
	{"I3", "410103", conflicts_i3, 1, NULL}, {"I4", "410103", NULL, 0, NULL},
	{"I5", "", conflicts_i5, 2, NULL},	 {"I6", "410104", NULL, 0, NULL},
};
static const struct zl_draw_task tasks[] = {
	{"T2", "E2", "410103"},
	{"T1", "E1", "410102"},
	{"T3", "E3", "410104"},
};

static int member_in(const struct zl_draw_inspectors *ins, const struct zl_draw_assignment *a,
		     const char *id)
{
	for (unsigned k = 0; k < ins->per_task; k++)
		if (strcmp(ins->pool[a->member[k]].id, id) == 0)
			return 1;
	return 0;
}

static void test_inspectors(void **state)
{
	struct zl_draw_inspector_spec spec = {"2014 第3批", pool, 6, tasks, 3, 2, 1};
	struct zl_error err = ZL_ERROR_INIT;
	unsigned char seed[ZL_DRAW_SEED_BYTES];
	struct zl_draw_inspector_result res, res2;
	struct zl_draw_inspectors ins;
	int seen_i5 = 0;

	(void)state;
	assert_int_equal(zl_draw_inspectors_prepare(&ins, &spec, &err), ZL_OK);
	assert_string_equal(ins.tasks[0].id, "T1");
	assert_string_equal(ins.pool[4].conflicts[0], "E1"); /* sorted */
	for (uint32_t s = 0; s < 300; s++) {
		nth_seed(seed, s);
		assert_int_equal(zl_draw_inspectors_run(&ins, seed, &res, &err), ZL_OK);
		assert_int_equal(res.ntasks, 3);
		for (size_t t = 0; t < 3; t++) {
			const struct zl_draw_assignment *a = &res.tasks[t];
			const struct zl_draw_task *task = &ins.tasks[a->task];

			assert_true(a->member[0] != a->member[1]);
			for (unsigned k = 0; k < 2; k++) {
				const struct zl_draw_inspector *m = &ins.pool[a->member[k]];

				/* never the enterprise's own county, never a declared conflict */
				assert_true(strcmp(m->county, task->county) != 0);
				for (size_t c = 0; c < m->nconflicts; c++)
					assert_string_not_equal(m->conflicts[c], task->enterprise);
				seen_i5 |= !strcmp(m->id, "I5");
			}
		}
		/* T1 (E1, 410102): I1, I2 same county; I3, I5 conflicted: I4 and I6 are left */
		assert_int_equal(res.tasks[0].eligible, 2);
		assert_int_equal(res.tasks[0].same_county, 2);
		assert_int_equal(res.tasks[0].conflicted, 2);
		assert_true(member_in(&ins, &res.tasks[0], "I4") &&
			    member_in(&ins, &res.tasks[0], "I6"));
		/* the same seed, the same assignment */
		assert_int_equal(zl_draw_inspectors_run(&ins, seed, &res2, &err), ZL_OK);
		assert_memory_equal(res.tasks, res2.tasks, 3 * sizeof(*res.tasks));
		zl_draw_inspector_result_release(&res2);
		zl_draw_inspector_result_release(&res);
	}
	assert_true(seen_i5); /* a member with no county is never excluded for it */
	zl_draw_inspectors_release(&ins);

	/* Without the county rule, T1 may get I1 or I2. */
	spec.exclude_own_county = 0;
	assert_int_equal(zl_draw_inspectors_prepare(&ins, &spec, &err), ZL_OK);
	{
		int same = 0;

		for (uint32_t s = 0; s < 100; s++) {
			nth_seed(seed, s);
			assert_int_equal(zl_draw_inspectors_run(&ins, seed, &res, &err), ZL_OK);
			same |= member_in(&ins, &res.tasks[0], "I1") ||
				member_in(&ins, &res.tasks[0], "I2");
			assert_int_equal(res.tasks[0].same_county, 0);
			zl_draw_inspector_result_release(&res);
		}
		assert_true(same);
	}
	zl_draw_inspectors_release(&ins);
}

/* The rules skip inspectors, never shift the others' keys. */
static void test_inspectors_rules_skip(void **state)
{
	struct zl_draw_inspector p2[6];
	struct zl_draw_inspector_spec spec = {"x", pool, 6, tasks, 3, 1, 0};
	struct zl_error err = ZL_ERROR_INIT;
	unsigned char seed[ZL_DRAW_SEED_BYTES];
	struct zl_draw_inspector_result a, b;
	struct zl_draw_inspectors x, y;
	static const char *const conflicts_all[] = {"E1", "E2", "E3"};
	int checked = 0;

	(void)state;
	memcpy(p2, pool, sizeof(p2));
	assert_int_equal(zl_draw_inspectors_prepare(&x, &spec, &err), ZL_OK);
	for (uint32_t s = 0; s < 40; s++) {
		size_t winner;

		nth_seed(seed, s);
		assert_int_equal(zl_draw_inspectors_run(&x, seed, &a, &err), ZL_OK);
		/* a member that did not win T3 declares conflicts with everything: T3 keeps its
		 * winner */
		winner = a.tasks[2].member[0];
		memcpy(p2, pool, sizeof(p2));
		for (size_t j = 0; j < 6; j++) {
			if (strcmp(pool[j].id, x.pool[winner].id) != 0 &&
			    strcmp(pool[j].id, "I5") != 0) {
				p2[j].conflicts = conflicts_all;
				p2[j].nconflicts = 3;
				break;
			}
		}
		spec.pool = p2;
		assert_int_equal(zl_draw_inspectors_prepare(&y, &spec, &err), ZL_OK);
		assert_int_equal(zl_draw_inspectors_run(&y, seed, &b, &err), ZL_OK);
		assert_string_equal(y.pool[b.tasks[2].member[0]].id, x.pool[winner].id);
		assert_int_equal(b.tasks[2].u53[0], a.tasks[2].u53[0]);
		checked++;
		zl_draw_inspector_result_release(&a);
		zl_draw_inspector_result_release(&b);
		zl_draw_inspectors_release(&y);
		spec.pool = pool;
	}
	assert_int_equal(checked, 40);
	zl_draw_inspectors_release(&x);
}

static void test_inspectors_refusals(void **state)
{
	struct zl_draw_inspector p2[6];
	struct zl_draw_task t2[3];
	struct zl_draw_inspector_spec spec = {"x", p2, 6, t2, 3, 2, 1};
	struct zl_error err = ZL_ERROR_INIT;
	unsigned char seed[ZL_DRAW_SEED_BYTES];
	struct zl_draw_inspector_result res;
	struct zl_draw_inspectors ins;
	static const char *const twice[] = {"E1", "E1"};

	(void)state;
	memcpy(p2, pool, sizeof(p2));
	memcpy(t2, tasks, sizeof(t2));
	nth_seed(seed, 0);
	/* T1 left with one inspector: refused at the draw, naming the task */
	p2[5].conflicts = conflicts_i3;
	p2[5].nconflicts = 1;
	assert_int_equal(zl_draw_inspectors_prepare(&ins, &spec, &err), ZL_OK);
	assert_int_equal(zl_draw_inspectors_run(&ins, seed, &res, &err), ZL_EUNPROC);
	assert_non_null(strstr(err.message, "task 'T1': 1 inspector eligible, 2 needed (2 from the "
					    "enterprise's county, 3 with a declared conflict)"));
	assert_int_equal(ins.fault.cand, 1);
	zl_draw_inspector_result_release(&res);
	zl_draw_inspectors_release(&ins);
	memcpy(p2, pool, sizeof(p2));

	p2[3].id = "I1";
	assert_int_equal(zl_draw_inspectors_prepare(&ins, &spec, &err), ZL_EUNPROC);
	assert_non_null(strstr(err.message, "inspector 'I1' is there twice"));
	assert_int_equal(ins.fault.cand, 0);
	assert_int_equal(ins.fault.cand2, 3);
	zl_draw_inspectors_release(&ins);
	p2[3].id = "I4";
	p2[2].conflicts = twice;
	p2[2].nconflicts = 2;
	assert_int_equal(zl_draw_inspectors_prepare(&ins, &spec, &err), ZL_EUNPROC);
	assert_non_null(strstr(err.message, "declares the conflict with 'E1' twice"));
	zl_draw_inspectors_release(&ins);
	p2[2] = pool[2];
	t2[2].county = "";
	assert_int_equal(zl_draw_inspectors_prepare(&ins, &spec, &err), ZL_EUNPROC);
	assert_non_null(strstr(err.message, "task 'T3' has no county"));
	assert_string_equal(err.field, "tasks");
	zl_draw_inspectors_release(&ins);
	t2[2] = tasks[2];
	t2[1].id = "T2";
	assert_int_equal(zl_draw_inspectors_prepare(&ins, &spec, &err), ZL_EUNPROC);
	assert_non_null(strstr(err.message, "task 'T2' is there twice"));
	zl_draw_inspectors_release(&ins);
	t2[1] = tasks[1];
	spec.per_task = 0;
	assert_int_equal(zl_draw_inspectors_prepare(&ins, &spec, &err), ZL_EUNPROC);
	assert_string_equal(err.field, "per_task");
	zl_draw_inspectors_release(&ins);
	spec.per_task = 2;
	spec.npool = 0;
	assert_int_equal(zl_draw_inspectors_prepare(&ins, &spec, &err), ZL_EUNPROC);
	assert_string_equal(err.field, "pool");
	zl_draw_inspectors_release(&ins);
}

static void test_inspectors_canonical(void **state)
{
	struct zl_draw_inspector_spec spec = {"L", pool, 6, tasks, 3, 2, 1};
	struct zl_buf b = ZL_BUF_INIT(1 << 16);
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_draw_inspectors ins;

	(void)state;
	assert_int_equal(zl_draw_inspectors_prepare(&ins, &spec, &err), ZL_OK);
	assert_int_equal(zl_draw_inspectors_canonical(&ins, &b), ZL_OK);
	assert_string_equal(zl_buf_str(&b),
			    "16:zhiliang-draw-v1,10:inspectors,1:L,1:2,1:1,1:6,"
			    "2:I1,6:410102,1:0,2:I2,6:410102,1:0,2:I3,6:410103,1:1,2:E1,"
			    "2:I4,6:410103,1:0,2:I5,0:,1:2,2:E1,2:E2,2:I6,6:410104,1:0,"
			    "1:3,2:T1,2:E1,6:410102,2:T2,2:E2,6:410103,2:T3,2:E3,6:410104,");
	zl_buf_release(&b);
	zl_draw_inspectors_release(&ins);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_example_canonical),
		cmocka_unit_test(test_example_draw),
		cmocka_unit_test(test_neglog2),
		cmocka_unit_test(test_key_cmp),
		cmocka_unit_test(test_weights),
		cmocka_unit_test(test_seed_parse),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_reproducible),
		cmocka_unit_test(test_input_order),
		cmocka_unit_test(test_strata_independent),
		cmocka_unit_test(test_quota_edges),
		cmocka_unit_test(test_uniform_inclusion),
		cmocka_unit_test(test_weighted_single),
		cmocka_unit_test(test_weighted_pairs),
		cmocka_unit_test(test_inspectors),
		cmocka_unit_test(test_inspectors_rules_skip),
		cmocka_unit_test(test_inspectors_refusals),
		cmocka_unit_test(test_inspectors_canonical),
	};

	return cmocka_run_group_tests(tests, init, NULL);
}
