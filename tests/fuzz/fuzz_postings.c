/*
 * fuzz_postings.c - libFuzzer target for the postings codec, the id-list
 * set operations and the gram builder (domain/postings.h).
 *
 * Invariants: decoding arbitrary bytes never crashes; a blob that decodes
 * re-encodes to exactly the same bytes, agrees with zl_postings_count and
 * yields strictly increasing ids in 1..ZL_EID_MAX appended after what `out`
 * held; a blob that does not decode leaves `out` as it was.  The input read
 * as operations builds two id lists, whose intersection and union must
 * match a bitmap, and a gram builder, whose drain must give every gram once
 * in strcmp order with exactly the ids added to it, sorted and distinct.
 * The input read as a name gives the builder exactly zl_name_grams' grams.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "domain/grams.h"
#include "domain/postings.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define SENTINEL UINT64_C(0xfeedface)
#define GRAMS 16
#define IDS 1024 /* ids of the operations: 1..IDS-1, some shifted above 2^32 */

static const char *const gram_names[GRAMS] = {
	"a",  "ab",   "abc",	"b",  "有限", "有限公",	   "公司", "\xf0\xa0\xae\xb7",
	"z9", "宇通", "宇通客", "ba", "aa",   "a\xc3\xa9", "0",	   "\x7f\x7f"};

static void check_decode(const uint8_t *data, size_t size)
{
	struct zl_ids out = ZL_IDS_INIT;
	struct zl_error err = ZL_ERROR_INIT;
	uint64_t n = 0;
	int rc, crc;
	size_t i;

	if (zl_ids_push(&out, SENTINEL) != ZL_OK)
		abort();
	rc = zl_postings_decode(data, size, &out, &err);
	crc = zl_postings_count(data, size, &n, &err);
	if (rc == ZL_OK) {
		uint8_t *buf;
		size_t len;

		if (crc != ZL_OK || n != out.n - 1 || out.v[0] != SENTINEL)
			abort();
		for (i = 1; i < out.n; i++)
			if (out.v[i] == 0 || out.v[i] > ZL_EID_MAX ||
			    (i > 1 && out.v[i - 1] >= out.v[i]))
				abort();
		buf = malloc(zl_postings_bound(out.n - 1));
		if (!buf)
			abort();
		len = zl_postings_encode(out.v + 1, out.n - 1, buf);
		if (len != size || memcmp(buf, data, size) != 0)
			abort();
		free(buf);
	} else {
		if (rc != ZL_EINVAL || err.code != ZL_EINVAL || strcmp(err.field, "postings") != 0)
			abort();
		if (out.n != 1 || out.v[0] != SENTINEL)
			abort();
		/* count() checks the header only: when it accepts, n fits the bytes */
		if (crc == ZL_OK && n > size)
			abort();
	}
	zl_ids_release(&out);
}

static uint64_t op_id(uint8_t hi, uint8_t lo)
{
	uint64_t id = (((uint64_t)hi << 8 | lo) % (IDS - 1)) + 1;

	return hi & 0x80 ? id << 32 : id;
}

static size_t id_index(uint64_t id)
{
	return (size_t)(id >> 32 ? (id >> 32) : id);
}

struct drained {
	const unsigned char (*want)[IDS];
	const size_t *count;
	size_t seen;
	char prev[16];
};

static int on_gram(void *cls, const char *gram, const uint64_t *ids, size_t n)
{
	struct drained *d = cls;
	size_t g, i;

	for (g = 0; g < GRAMS && strcmp(gram_names[g], gram) != 0; g++)
		;
	if (g == GRAMS || n == 0 || n != d->count[g])
		abort();
	if (d->seen && strcmp(d->prev, gram) >= 0)
		abort();
	memcpy(d->prev, gram, strlen(gram) + 1);
	d->seen++;
	for (i = 0; i < n; i++) {
		if (i && ids[i - 1] >= ids[i])
			abort();
		if (!(d->want[g][id_index(ids[i])] & (ids[i] >> 32 ? 2 : 1)))
			abort();
	}
	return 0;
}

static unsigned char in_a[IDS], in_b[IDS];
static unsigned char want[GRAMS][IDS];
static size_t want_count[GRAMS];

/* out must be strictly increasing, hold n ids, each with in(id) true. */
static void check_list(const struct zl_ids *out, size_t n, int both)
{
	size_t i;

	if (out->n != n)
		abort();
	for (i = 0; i < out->n; i++) {
		uint64_t x = out->v[i];

		if (x >= IDS || (i && out->v[i - 1] >= x))
			abort();
		if (both ? !(in_a[x] && in_b[x]) : !(in_a[x] || in_b[x]))
			abort();
	}
}

static void check_ops(const uint8_t *data, size_t size)
{
	struct zl_ids a = ZL_IDS_INIT, b = ZL_IDS_INIT, out = ZL_IDS_INIT;
	struct zl_gram_builder *gb = NULL;
	struct drained d;
	size_t i, grams = 0, both = 0;

	memset(in_a, 0, sizeof in_a);
	memset(in_b, 0, sizeof in_b);
	memset(want, 0, sizeof want);
	memset(want_count, 0, sizeof want_count);
	if (zl_gram_builder_new(&gb) != ZL_OK)
		abort();
	/* each 3 bytes: op (list a or b, gram), id high and low byte (bit 7: id << 32) */
	for (i = 0; i + 3 <= size; i += 3) {
		uint8_t op = data[i];
		size_t g = op & 0x0f;
		uint64_t id = op_id(data[i + 1], data[i + 2]);
		size_t small = id_index(id);
		unsigned char bit = id >> 32 ? 2 : 1;

		if (zl_ids_push(op & 0x10 ? &b : &a, small) != ZL_OK)
			abort();
		(op & 0x10 ? in_b : in_a)[small] = 1;
		if (zl_gram_builder_add(gb, gram_names[g], id) != ZL_OK)
			abort();
		grams += want_count[g] == 0;
		want_count[g] += !(want[g][small] & bit);
		want[g][small] |= bit;
	}
	if (zl_gram_builder_postings(gb) != size / 3 || zl_gram_builder_grams(gb) != grams)
		abort();
	d.want = (const unsigned char(*)[IDS])want;
	d.count = want_count;
	d.seen = 0;
	if (zl_gram_builder_drain(gb, on_gram, &d) != 0 || d.seen != grams)
		abort();
	if (zl_gram_builder_grams(gb) != 0 || zl_gram_builder_postings(gb) != 0)
		abort();
	zl_gram_builder_free(gb);

	zl_ids_sort_unique(&a);
	zl_ids_sort_unique(&b);
	for (i = 0; i < a.n; i++)
		both += in_b[a.v[i]];
	if (zl_ids_intersect(&a, &b, &out) != ZL_OK)
		abort();
	check_list(&out, both, 1);
	if (zl_ids_union(&a, &b, &out) != ZL_OK)
		abort();
	check_list(&out, a.n + b.n - both, 0);
	for (i = 0; i < a.n; i++)
		if (!zl_ids_contains(&out, a.v[i]) || zl_ids_contains(&b, a.v[i]) != in_b[a.v[i]])
			abort();
	zl_ids_release(&a);
	zl_ids_release(&b);
	zl_ids_release(&out);
}

static char name_grams[ZL_NAME_GRAMS_MAX][ZL_GRAM_SIZE];
static size_t name_ngrams, name_seen;

static int on_name_gram(void *cls, const char *gram, const uint64_t *ids, size_t n)
{
	size_t i;

	(void)cls;
	for (i = 0; i < name_ngrams && strcmp(name_grams[i], gram) != 0; i++)
		;
	if (i == name_ngrams || n != 2 || ids[0] != 3 || ids[1] != UINT64_C(1) << 40)
		abort();
	name_seen++;
	return 0;
}

/* The input as a name: each of its grams gets both ids, once. */
static void check_name(const uint8_t *data, size_t size)
{
	struct zl_gram_builder *gb = NULL;
	char name[1024];

	if (size >= sizeof name)
		size = sizeof name - 1;
	memcpy(name, data, size);
	name[size] = '\0';
	name_ngrams = zl_name_grams(name, strlen(name), name_grams, ZL_NAME_GRAMS_MAX);
	name_seen = 0;
	if (zl_gram_builder_new(&gb) != ZL_OK)
		abort();
	if (zl_gram_builder_add_name(gb, name, UINT64_C(1) << 40) != ZL_OK ||
	    zl_gram_builder_add_name(gb, name, 3) != ZL_OK ||
	    zl_gram_builder_add_name(gb, name, 3) != ZL_OK)
		abort();
	if (zl_gram_builder_grams(gb) != name_ngrams ||
	    zl_gram_builder_postings(gb) != 3 * name_ngrams)
		abort();
	if (zl_gram_builder_drain(gb, on_name_gram, NULL) != 0 || name_seen != name_ngrams)
		abort();
	zl_gram_builder_free(gb);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 1 << 16)
		return 0;
	check_decode(data, size);
	check_ops(data, size);
	check_name(data, size);
	return 0;
}
