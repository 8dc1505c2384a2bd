/*
 * test_postings.c - the postings codec, id-list set operations and the
 * gram builder of the name index (domain/postings.h).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/grams.h"
#include "domain/postings.h"

/* xorshift64*: a fixed, portable pseudo-random sequence */
static uint64_t rnd(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * UINT64_C(2685821657736338717);
}

/* Encode ids, decode the blob, and check the round trip; returns the blob size. */
static size_t round_trip(const uint64_t *ids, size_t n)
{
	uint8_t *buf = malloc(zl_postings_bound(n));
	struct zl_ids out = ZL_IDS_INIT;
	struct zl_error err = ZL_ERROR_INIT;
	uint64_t count = 0;
	size_t len;

	assert_non_null(buf);
	len = zl_postings_encode(ids, n, buf);
	assert_true(len >= 2);
	assert_true(len <= zl_postings_bound(n));
	assert_int_equal(buf[0], ZL_POSTINGS_FORMAT);
	assert_int_equal(zl_postings_count(buf, len, &count, &err), ZL_OK);
	assert_int_equal(count, n);
	assert_int_equal(zl_postings_decode(buf, len, &out, &err), ZL_OK);
	assert_int_equal(out.n, n);
	if (n)
		assert_memory_equal(out.v, ids, n * sizeof *ids);
	zl_ids_release(&out);
	free(buf);
	return len;
}

static void test_round_trip_small(void **state)
{
	static const uint64_t one[] = {1};
	static const uint64_t big[] = {1, 127, 128, 255, 16384, ZL_EID_MAX - 1, ZL_EID_MAX};
	static const uint64_t top[] = {ZL_EID_MAX};
	static const uint64_t run[] = {5,   6,	  7,	8,    9,    10,	  11,	12,
				       13,  140,  141,	142,  143,  144,  145,	146,
				       147, 1000, 1001, 1002, 1003, 1004, 1005, 1006};
	uint8_t buf[64];

	(void)state;
	assert_int_equal(round_trip(NULL, 0), 2);
	assert_int_equal(round_trip(one, 1), 3);
	round_trip(big, sizeof big / sizeof *big);
	/* the largest gap: 9 varint bytes */
	assert_int_equal(round_trip(top, 1), 2 + 9);
	round_trip(run, sizeof run / sizeof *run);
	/* the exact bytes of a small list */
	assert_int_equal(zl_postings_encode(big, 3, buf), 5);
	assert_memory_equal(buf, "\x01\x03\x01\x7e\x01", 5);
	/* gaps 1, 126, 1, 127, 16129 (= 1 + 126 * 128) */
	assert_int_equal(zl_postings_encode(big, 5, buf), 8);
	assert_memory_equal(buf, "\x01\x05\x01\x7e\x01\x7f\x81\x7e", 8);
}

static void test_round_trip_random(void **state)
{
	struct zl_ids l = ZL_IDS_INIT;
	uint64_t s = 42;
	size_t i, len;

	(void)state;
	/* 1M random ids below 2^24: mostly one-byte gaps, with duplicates to drop */
	for (i = 0; i < 1000000; i++)
		assert_int_equal(zl_ids_push(&l, 1 + rnd(&s) % (1u << 24)), ZL_OK);
	zl_ids_sort_unique(&l);
	assert_true(l.n > 900000);
	for (i = 1; i < l.n; i++)
		assert_true(l.v[i - 1] < l.v[i]);
	len = round_trip(l.v, l.n);
	assert_true(len < l.n * 2);
	/* 100k random ids over the whole range: long gaps */
	zl_ids_clear(&l);
	for (i = 0; i < 100000; i++)
		assert_int_equal(zl_ids_push(&l, 1 + rnd(&s) % ZL_EID_MAX), ZL_OK);
	zl_ids_sort_unique(&l);
	round_trip(l.v, l.n);
	/* ids that alternate one-byte and longer gaps, across the fast path */
	zl_ids_clear(&l);
	{
		uint64_t id = 0;

		for (i = 0; i < 10000; i++) {
			id += (i % 9 == 8) ? 300 + i : 1 + i % 100;
			assert_int_equal(zl_ids_push(&l, id), ZL_OK);
		}
	}
	round_trip(l.v, l.n);
	zl_ids_release(&l);
}

static void test_encode_rejects(void **state)
{
	static const uint64_t dup[] = {3, 3};
	static const uint64_t down[] = {4, 3};
	static const uint64_t zero[] = {0, 3};
	static const uint64_t over[] = {1, ZL_EID_MAX + 1};
	uint8_t buf[64];

	(void)state;
	assert_int_equal(zl_postings_encode(dup, 2, buf), 0);
	assert_int_equal(zl_postings_encode(down, 2, buf), 0);
	assert_int_equal(zl_postings_encode(zero, 2, buf), 0);
	assert_int_equal(zl_postings_encode(over, 2, buf), 0);
	assert_int_equal(zl_postings_bound(0), 11);
	assert_true(zl_postings_bound(1000) >= 11 + 9000);
	assert_int_equal(zl_postings_bound(SIZE_MAX), SIZE_MAX);
}

/* The blob must be rejected, and out must keep exactly its old contents. */
static void expect_bad(const char *blob, size_t len)
{
	struct zl_ids out = ZL_IDS_INIT;
	struct zl_error err = ZL_ERROR_INIT;
	uint64_t n = 12345;

	assert_int_equal(zl_ids_push(&out, 7), ZL_OK);
	assert_int_equal(zl_ids_push(&out, 9), ZL_OK);
	assert_int_equal(zl_postings_decode((const uint8_t *)blob, len, &out, &err), ZL_EINVAL);
	assert_int_equal(err.code, ZL_EINVAL);
	assert_string_equal(err.field, "postings");
	assert_true(err.message[0] != '\0');
	assert_int_equal(out.n, 2);
	assert_int_equal(out.v[0], 7);
	assert_int_equal(out.v[1], 9);
	zl_ids_release(&out);
	/* a header that count() accepts must still fail in decode */
	if (zl_postings_count((const uint8_t *)blob, len, &n, &err) == ZL_OK)
		assert_true(n <= len);
	else
		assert_int_equal(n, 12345);
}

static void test_decode_malformed(void **state)
{
	struct zl_error err = ZL_ERROR_INIT;
	uint64_t n;
	char blob[64];
	size_t i;

	(void)state;
	expect_bad("", 0);
	expect_bad("\x02\x00", 2);		       /* unknown format */
	expect_bad("\x00\x00", 2);		       /* unknown format */
	expect_bad("\x01", 1);			       /* no count */
	expect_bad("\x01\x80", 2);		       /* count cut short */
	expect_bad("\x01\x00\x00", 3);		       /* trailing byte after an empty list */
	expect_bad("\x01\x01\x05\x05", 4);	       /* trailing byte */
	expect_bad("\x01\x02\x05", 3);		       /* fewer gaps than announced */
	expect_bad("\x01\x01\x85", 3);		       /* gap cut short */
	expect_bad("\x01\x01\x00", 3);		       /* first id 0 */
	expect_bad("\x01\x02\x05\x00", 4);	       /* zero gap: a duplicate */
	expect_bad("\x01\x01\x80\x00", 4);	       /* gap not in shortest form */
	expect_bad("\x01\x81\x00\x01", 4);	       /* count not in shortest form */
	expect_bad("\x01\x05\x01\x01\x01\x01", 6);     /* n larger than the bytes left */
	expect_bad("\x01\xff\xff\xff\xff\x7f\x01", 7); /* n huge: must not allocate */
	/* n = 2^32 + 1 > ZL_POSTINGS_MAX */
	expect_bad("\x01\x81\x80\x80\x80\x10", 6);
	/* zero gap inside a run of one-byte gaps (the fast path) */
	expect_bad("\x01\x0a\x01\x01\x01\x01\x00\x01\x01\x01\x01\x01", 12);
	/* one-byte gaps after an id at ZL_EID_MAX - 3 overflow the maximum */
	memcpy(blob, "\x01\x0a\xfc\xff\xff\xff\xff\xff\xff\xff\x7f", 11);
	for (i = 0; i < 9; i++)
		blob[11 + i] = 1;
	expect_bad(blob, 20);
	/* the same inside the eight-gap fast path: ZL_EID_MAX - 20, seven gaps
	 * of 1 (read with the first), then eight gaps of 2 read as one word */
	memcpy(blob, "\x01\x10\xeb\xff\xff\xff\xff\xff\xff\xff\x7f", 11);
	for (i = 0; i < 7; i++)
		blob[11 + i] = 1;
	for (i = 0; i < 8; i++)
		blob[18 + i] = 2;
	expect_bad(blob, 26);
	/* ... but ZL_EID_MAX itself is fine: gaps 1 x 7 and 6 */
	for (i = 0; i < 7; i++)
		blob[18 + i] = 1;
	blob[25] = 6;
	{
		struct zl_ids out = ZL_IDS_INIT;

		assert_int_equal(zl_postings_decode((const uint8_t *)blob, 26, &out, &err), ZL_OK);
		assert_int_equal(out.n, 16);
		assert_int_equal(out.v[0], ZL_EID_MAX - 20);
		assert_int_equal(out.v[15], ZL_EID_MAX);
		zl_ids_release(&out);
	}
	/* an id of 2^63 (> ZL_EID_MAX) in one gap */
	expect_bad("\x01\x01\x80\x80\x80\x80\x80\x80\x80\x80\x80\x01", 12);
	/* two gaps whose sum passes ZL_EID_MAX (and 2^64) */
	expect_bad("\x01\x02\xff\xff\xff\xff\xff\xff\xff\xff\x7f\xff\xff\xff\xff\xff\xff\xff\xff"
		   "\x7f",
		   20);
	/* varint of 11 bytes */
	expect_bad("\x01\x01\x81\x80\x80\x80\x80\x80\x80\x80\x80\x80\x00", 13);
	/* a 10th byte that overflows 64 bits */
	expect_bad("\x01\x01\xff\xff\xff\xff\xff\xff\xff\xff\xff\x02", 12);
	/* count() reads the header only */
	assert_int_equal(zl_postings_count((const uint8_t *)"\x01\x03\x01\x01\x01", 5, &n, &err),
			 ZL_OK);
	assert_int_equal(n, 3);
	assert_int_equal(zl_postings_count((const uint8_t *)"\x01\x03\x01\x01", 4, &n, &err),
			 ZL_EINVAL);
	/* the same blob is fine once complete, and NULL err is allowed */
	{
		struct zl_ids out = ZL_IDS_INIT;

		assert_int_equal(
			zl_postings_decode((const uint8_t *)"\x01\x03\x01\x01\x01", 5, &out, NULL),
			ZL_OK);
		assert_int_equal(out.n, 3);
		assert_int_equal(out.v[2], 3);
		assert_int_equal(
			zl_postings_decode((const uint8_t *)"\x01\x03\x01\x01", 4, &out, NULL),
			ZL_EINVAL);
		assert_int_equal(out.n, 3);
		/* decode appends */
		assert_int_equal(
			zl_postings_decode((const uint8_t *)"\x01\x02\x0a\x01", 4, &out, NULL),
			ZL_OK);
		assert_int_equal(out.n, 5);
		assert_int_equal(out.v[3], 10);
		assert_int_equal(out.v[4], 11);
		zl_ids_release(&out);
	}
}

static struct zl_ids list_of(const uint64_t *v, size_t n)
{
	struct zl_ids l = ZL_IDS_INIT;
	size_t i;

	for (i = 0; i < n; i++)
		assert_int_equal(zl_ids_push(&l, v[i]), ZL_OK);
	return l;
}

static void expect_list(const struct zl_ids *l, const uint64_t *v, size_t n)
{
	assert_int_equal(l->n, n);
	if (n)
		assert_memory_equal(l->v, v, n * sizeof *v);
}

static void test_set_ops(void **state)
{
	static const uint64_t av[] = {1, 3, 5, 7, 9};
	static const uint64_t bv[] = {2, 3, 4, 9, 10};
	static const uint64_t cv[] = {20, 30};
	static const uint64_t ab_and[] = {3, 9};
	static const uint64_t ab_or[] = {1, 2, 3, 4, 5, 7, 9, 10};
	static const uint64_t ac_or[] = {1, 3, 5, 7, 9, 20, 30};
	struct zl_ids a = list_of(av, 5), b = list_of(bv, 5), c = list_of(cv, 2);
	struct zl_ids e = ZL_IDS_INIT, out = ZL_IDS_INIT;

	(void)state;
	assert_int_equal(zl_ids_intersect(&a, &b, &out), ZL_OK);
	expect_list(&out, ab_and, 2);
	assert_int_equal(zl_ids_intersect(&b, &a, &out), ZL_OK);
	expect_list(&out, ab_and, 2);
	assert_int_equal(zl_ids_union(&a, &b, &out), ZL_OK);
	expect_list(&out, ab_or, 8);
	assert_int_equal(zl_ids_union(&b, &a, &out), ZL_OK);
	expect_list(&out, ab_or, 8);
	/* disjoint */
	assert_int_equal(zl_ids_intersect(&a, &c, &out), ZL_OK);
	assert_int_equal(out.n, 0);
	assert_int_equal(zl_ids_union(&c, &a, &out), ZL_OK);
	expect_list(&out, ac_or, 7);
	/* identical */
	assert_int_equal(zl_ids_intersect(&a, &a, &out), ZL_OK);
	expect_list(&out, av, 5);
	assert_int_equal(zl_ids_union(&a, &a, &out), ZL_OK);
	expect_list(&out, av, 5);
	/* empty */
	assert_int_equal(zl_ids_intersect(&a, &e, &out), ZL_OK);
	assert_int_equal(out.n, 0);
	assert_int_equal(zl_ids_intersect(&e, &e, &out), ZL_OK);
	assert_int_equal(out.n, 0);
	assert_int_equal(zl_ids_union(&e, &a, &out), ZL_OK);
	expect_list(&out, av, 5);
	assert_int_equal(zl_ids_union(&a, &e, &out), ZL_OK);
	expect_list(&out, av, 5);
	assert_int_equal(zl_ids_union(&e, &e, &out), ZL_OK);
	assert_int_equal(out.n, 0);
	/* contains */
	assert_true(zl_ids_contains(&a, 1));
	assert_true(zl_ids_contains(&a, 9));
	assert_true(zl_ids_contains(&a, 5));
	assert_false(zl_ids_contains(&a, 0));
	assert_false(zl_ids_contains(&a, 4));
	assert_false(zl_ids_contains(&a, 10));
	assert_false(zl_ids_contains(&e, 1));
	zl_ids_release(&a);
	zl_ids_release(&b);
	zl_ids_release(&c);
	zl_ids_release(&out);
}

/* The naive intersection, to check the galloping one. */
static void test_intersect_skewed(void **state)
{
	struct zl_ids big = ZL_IDS_INIT, small = ZL_IDS_INIT, out = ZL_IDS_INIT;
	uint64_t s = 7;
	size_t i, k, round;

	(void)state;
	for (i = 1; i <= 100000; i++)
		if (rnd(&s) % 3)
			assert_int_equal(zl_ids_push(&big, 2 * i), ZL_OK);
	for (round = 0; round < 20; round++) {
		size_t want = 0;

		zl_ids_clear(&small);
		for (i = 0; i < 1 + round * 20; i++)
			assert_int_equal(zl_ids_push(&small, 1 + rnd(&s) % 210000), ZL_OK);
		if (round == 1) {
			/* first and last of the big list, and beyond both ends */
			zl_ids_push(&small, 1);
			zl_ids_push(&small, big.v[0]);
			zl_ids_push(&small, big.v[big.n - 1]);
			zl_ids_push(&small, ZL_EID_MAX);
		}
		zl_ids_sort_unique(&small);
		assert_true(small.n * 32 < big.n);
		for (i = 0; i < small.n; i++)
			want += (size_t)zl_ids_contains(&big, small.v[i]);
		assert_int_equal(zl_ids_intersect(&small, &big, &out), ZL_OK);
		assert_int_equal(out.n, want);
		for (i = 0, k = 0; i < small.n; i++)
			if (zl_ids_contains(&big, small.v[i]))
				assert_int_equal(out.v[k++], small.v[i]);
		assert_int_equal(zl_ids_intersect(&big, &small, &out), ZL_OK);
		assert_int_equal(out.n, want);
	}
	/* a short list entirely inside the long one */
	zl_ids_clear(&small);
	for (i = 0; i < big.n; i += 1000)
		zl_ids_push(&small, big.v[i]);
	assert_int_equal(zl_ids_intersect(&big, &small, &out), ZL_OK);
	expect_list(&out, small.v, small.n);
	zl_ids_release(&big);
	zl_ids_release(&small);
	zl_ids_release(&out);
}

static void test_sort_unique(void **state)
{
	static const uint64_t want[] = {1, 2, 3, 5, 8};
	static const uint64_t mixed[] = {5, 3, 8, 1, 3, 2, 8, 8, 1};
	struct zl_ids l = list_of(mixed, 9);
	uint64_t s = 99;
	size_t i;

	(void)state;
	zl_ids_sort_unique(&l);
	expect_list(&l, want, 5);
	zl_ids_sort_unique(&l);
	expect_list(&l, want, 5);
	/* large (radix) with wide ids and many duplicates */
	zl_ids_clear(&l);
	for (i = 0; i < 50000; i++) {
		uint64_t x = rnd(&s) % 1000;

		zl_ids_push(&l, x << (i % 2 ? 40 : 0));
	}
	zl_ids_sort_unique(&l);
	assert_true(l.n <= 2000);
	assert_true(l.n > 1500);
	for (i = 1; i < l.n; i++)
		assert_true(l.v[i - 1] < l.v[i]);
	/* reserve and clear */
	assert_int_equal(zl_ids_reserve(&l, 100000), ZL_OK);
	assert_true(l.cap >= 100000);
	zl_ids_clear(&l);
	assert_int_equal(l.n, 0);
	assert_true(l.cap >= 100000);
	zl_ids_release(&l);
	assert_null(l.v);
	assert_int_equal(l.cap, 0);
}

/* ---- builder ----------------------------------------------------------- */

#define MAX_SEEN 4096

struct seen {
	size_t n;
	char gram[MAX_SEEN][ZL_GRAM_SIZE];
	struct zl_ids ids[MAX_SEEN];
	int stop_after;
};

static int collect(void *cls, const char *gram, const uint64_t *ids, size_t n)
{
	struct seen *s = cls;
	size_t i;

	assert_true(s->n < MAX_SEEN);
	assert_true(strlen(gram) < ZL_GRAM_SIZE);
	assert_true(n > 0);
	snprintf(s->gram[s->n], ZL_GRAM_SIZE, "%s", gram);
	s->ids[s->n] = (struct zl_ids)ZL_IDS_INIT;
	for (i = 0; i < n; i++)
		assert_int_equal(zl_ids_push(&s->ids[s->n], ids[i]), ZL_OK);
	s->n++;
	if (s->stop_after && (int)s->n == s->stop_after)
		return 77;
	return 0;
}

static void seen_release(struct seen *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		zl_ids_release(&s->ids[i]);
	s->n = 0;
}

static void test_builder_basic(void **state)
{
	static const uint64_t ab[] = {1, 3, 9};
	static const uint64_t b[] = {2};
	static const uint64_t wide[] = {5, UINT64_C(1) << 40, ZL_EID_MAX};
	struct zl_gram_builder *gb = NULL;
	struct seen *s = calloc(1, sizeof *s);

	(void)state;
	assert_non_null(s);
	assert_int_equal(zl_gram_builder_new(&gb), ZL_OK);
	assert_int_equal(zl_gram_builder_drain(gb, collect, s), 0);
	assert_int_equal(s->n, 0);
	/* duplicates and any order */
	assert_int_equal(zl_gram_builder_add(gb, "ab", 9), ZL_OK);
	assert_int_equal(zl_gram_builder_add(gb, "ab", 3), ZL_OK);
	assert_int_equal(zl_gram_builder_add(gb, "ab", 9), ZL_OK);
	assert_int_equal(zl_gram_builder_add(gb, "b", 2), ZL_OK);
	assert_int_equal(zl_gram_builder_add(gb, "ab", 1), ZL_OK);
	assert_int_equal(zl_gram_builder_add(gb, "ab", 3), ZL_OK);
	assert_int_equal(zl_gram_builder_add(gb, "b", 2), ZL_OK);
	/* wide ids next to 32-bit ones */
	assert_int_equal(zl_gram_builder_add(gb, "zz", ZL_EID_MAX), ZL_OK);
	assert_int_equal(zl_gram_builder_add(gb, "zz", 5), ZL_OK);
	assert_int_equal(zl_gram_builder_add(gb, "zz", UINT64_C(1) << 40), ZL_OK);
	/* a 12-byte gram is the longest */
	assert_int_equal(
		zl_gram_builder_add(gb, "\xf0\xa0\xae\xb7\xf0\xa0\xae\xb7\xf0\xa0\xae\xb7", 4),
		ZL_OK);
	/* bad input */
	assert_int_equal(zl_gram_builder_add(gb, "0123456789abc", 4), ZL_EINVAL);
	assert_int_equal(zl_gram_builder_add(gb, "", 4), ZL_EINVAL);
	assert_int_equal(zl_gram_builder_add(gb, "ab", 0), ZL_EINVAL);
	assert_int_equal(zl_gram_builder_add(gb, "ab", ZL_EID_MAX + 1), ZL_EINVAL);
	assert_int_equal(zl_gram_builder_postings(gb), 11);
	assert_int_equal(zl_gram_builder_grams(gb), 4);
	assert_int_equal(zl_gram_builder_drain(gb, collect, s), 0);
	assert_int_equal(s->n, 4);
	assert_string_equal(s->gram[0], "ab");
	expect_list(&s->ids[0], ab, 3);
	assert_string_equal(s->gram[1], "b");
	expect_list(&s->ids[1], b, 1);
	assert_string_equal(s->gram[2], "zz");
	expect_list(&s->ids[2], wide, 3);
	assert_int_equal(strlen(s->gram[3]), 12);
	/* empty after a drain, and reusable */
	assert_int_equal(zl_gram_builder_postings(gb), 0);
	assert_int_equal(zl_gram_builder_grams(gb), 0);
	seen_release(s);
	assert_int_equal(zl_gram_builder_drain(gb, collect, s), 0);
	assert_int_equal(s->n, 0);
	assert_int_equal(zl_gram_builder_add(gb, "ab", 42), ZL_OK);
	assert_int_equal(zl_gram_builder_drain(gb, collect, s), 0);
	assert_int_equal(s->n, 1);
	assert_int_equal(s->ids[0].n, 1);
	assert_int_equal(s->ids[0].v[0], 42);
	seen_release(s);
	zl_gram_builder_free(gb);
	zl_gram_builder_free(NULL);
	free(s);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void test_builder_many(void **state)
{
	enum { GRAMS = 3000, IDS = 20000 };
	struct zl_gram_builder *gb = NULL;
	struct seen *s = calloc(1, sizeof *s);
	char(*names)[ZL_GRAM_SIZE] = calloc(GRAMS, ZL_GRAM_SIZE);
	struct zl_ids *ref = calloc(GRAMS, sizeof *ref);
	uint64_t r = 1234;
	size_t i, k, round, total;

	(void)state;
	assert_non_null(s);
	assert_non_null(names);
	assert_non_null(ref);
	assert_int_equal(zl_gram_builder_new(&gb), ZL_OK);
	/* grams of varying length and bytes, including high (UTF-8) bytes */
	for (i = 0; i < GRAMS; i++) {
		size_t len = 1 + i % 12, j;

		for (j = 0; j < len; j++)
			names[i][j] =
				(char)(j == 0 ? 'a' + i % 26 : 0x80 + (i * 7 + j * 13) % 0x7f);
		names[i][len] = '\0';
		/* keep them distinct: encode i in bytes 1 and 2 when there is room */
		if (len >= 3) {
			names[i][1] = (char)(0x80 + i % 64);
			names[i][2] = (char)(0x80 + i / 64);
		}
	}
	for (round = 0; round < 2; round++) {
		size_t distinct = 0;

		total = 0;
		for (i = 0; i < GRAMS; i++)
			zl_ids_clear(&ref[i]);
		/* increasing ids (an import), then random ones */
		for (i = 0; i < IDS; i++) {
			uint64_t id = round == 0 ? i + 1 : 1 + rnd(&r) % 5000000;

			for (k = 0; k < 3; k++) {
				size_t g = (size_t)(rnd(&r) % (k == 0 ? 10 : GRAMS));

				assert_int_equal(zl_gram_builder_add(gb, names[g], id), ZL_OK);
				assert_int_equal(zl_ids_push(&ref[g], id), ZL_OK);
				total++;
			}
		}
		/* the names that are really distinct strings (short ones repeat) */
		for (i = 0; i < GRAMS; i++) {
			size_t j;

			for (j = 0; j < i && strcmp(names[j], names[i]) != 0; j++)
				;
			if (j < i && ref[i].n)
				for (j = 0; j < i; j++)
					if (strcmp(names[j], names[i]) == 0) {
						size_t m;

						for (m = 0; m < ref[i].n; m++)
							zl_ids_push(&ref[j], ref[i].v[m]);
						zl_ids_clear(&ref[i]);
						break;
					}
		}
		for (i = 0; i < GRAMS; i++)
			distinct += ref[i].n > 0;
		assert_int_equal(zl_gram_builder_postings(gb), total);
		assert_int_equal(zl_gram_builder_grams(gb), distinct);
		assert_int_equal(zl_gram_builder_drain(gb, collect, s), 0);
		assert_int_equal(s->n, distinct);
		/* ascending byte order, each list equal to the sorted reference */
		for (i = 0; i < s->n; i++) {
			size_t g;

			if (i)
				assert_true(strcmp(s->gram[i - 1], s->gram[i]) < 0);
			for (g = 0; strcmp(names[g], s->gram[i]) != 0; g++)
				;
			zl_ids_sort_unique(&ref[g]);
			expect_list(&s->ids[i], ref[g].v, ref[g].n);
		}
		seen_release(s);
	}
	/* a callback that stops: its value comes back, the builder is empty */
	assert_int_equal(zl_gram_builder_add(gb, "x", 1), ZL_OK);
	assert_int_equal(zl_gram_builder_add(gb, "y", 1), ZL_OK);
	assert_int_equal(zl_gram_builder_add(gb, "z", 1), ZL_OK);
	s->stop_after = 2;
	assert_int_equal(zl_gram_builder_drain(gb, collect, s), 77);
	assert_int_equal(s->n, 2);
	assert_string_equal(s->gram[1], "y");
	assert_int_equal(zl_gram_builder_grams(gb), 0);
	seen_release(s);
	for (i = 0; i < GRAMS; i++)
		zl_ids_release(&ref[i]);
	zl_gram_builder_free(gb);
	free(ref);
	free(names);
	free(s);
}

static void test_builder_long_list(void **state)
{
	struct zl_gram_builder *gb = NULL;
	struct seen *s = calloc(1, sizeof *s);
	size_t i;

	(void)state;
	assert_non_null(s);
	assert_int_equal(zl_gram_builder_new(&gb), ZL_OK);
	/* one gram past the small-block sizes, descending, then a wide id */
	for (i = 100000; i >= 1; i--)
		assert_int_equal(zl_gram_builder_add(gb, "有限", i), ZL_OK);
	assert_int_equal(zl_gram_builder_add(gb, "有限", UINT64_C(1) << 33), ZL_OK);
	assert_int_equal(zl_gram_builder_drain(gb, collect, s), 0);
	assert_int_equal(s->n, 1);
	assert_int_equal(s->ids[0].n, 100001);
	for (i = 0; i < 100000; i++)
		assert_int_equal(s->ids[0].v[i], i + 1);
	assert_int_equal(s->ids[0].v[100000], UINT64_C(1) << 33);
	seen_release(s);
	zl_gram_builder_free(gb);
	free(s);
}

static void test_builder_add_name(void **state)
{
	static const char *name = "郑州宇通客车股份有限公司";
	char g[ZL_NAME_GRAMS_MAX][ZL_GRAM_SIZE];
	char *want[ZL_NAME_GRAMS_MAX];
	struct zl_gram_builder *gb = NULL;
	struct seen *s = calloc(1, sizeof *s);
	size_t n, i;

	(void)state;
	assert_non_null(s);
	n = zl_name_grams(name, strlen(name), g, ZL_NAME_GRAMS_MAX);
	assert_int_equal(n, 11 + 10);
	for (i = 0; i < n; i++)
		want[i] = g[i];
	qsort(want, n, sizeof *want, cmp_str);
	assert_int_equal(zl_gram_builder_new(&gb), ZL_OK);
	assert_int_equal(zl_gram_builder_add_name(gb, name, 17), ZL_OK);
	assert_int_equal(zl_gram_builder_add_name(gb, "郑州宇通", 5), ZL_OK);
	/* the same name again for the same id changes nothing */
	assert_int_equal(zl_gram_builder_add_name(gb, name, 17), ZL_OK);
	assert_int_equal(zl_gram_builder_add_name(gb, "", 3), ZL_OK);
	assert_int_equal(zl_gram_builder_add_name(gb, name, 0), ZL_EINVAL);
	assert_int_equal(zl_gram_builder_postings(gb), 2 * n + 5);
	assert_int_equal(zl_gram_builder_grams(gb), n);
	assert_int_equal(zl_gram_builder_drain(gb, collect, s), 0);
	assert_int_equal(s->n, n);
	for (i = 0; i < n; i++) {
		assert_string_equal(s->gram[i], want[i]);
		if (strcmp(want[i], "郑州") == 0 || strcmp(want[i], "州宇") == 0 ||
		    strcmp(want[i], "宇通") == 0 || strcmp(want[i], "郑州宇") == 0 ||
		    strcmp(want[i], "州宇通") == 0) {
			assert_int_equal(s->ids[i].n, 2);
			assert_int_equal(s->ids[i].v[0], 5);
			assert_int_equal(s->ids[i].v[1], 17);
		} else {
			assert_int_equal(s->ids[i].n, 1);
			assert_int_equal(s->ids[i].v[0], 17);
		}
	}
	seen_release(s);
	zl_gram_builder_free(gb);
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip_small), cmocka_unit_test(test_round_trip_random),
		cmocka_unit_test(test_encode_rejects),	 cmocka_unit_test(test_decode_malformed),
		cmocka_unit_test(test_set_ops),		 cmocka_unit_test(test_intersect_skewed),
		cmocka_unit_test(test_sort_unique),	 cmocka_unit_test(test_builder_basic),
		cmocka_unit_test(test_builder_many),	 cmocka_unit_test(test_builder_long_list),
		cmocka_unit_test(test_builder_add_name),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
