/*
 * draw.c - verifiable random draws (draw.h; docs/draws.md is the method).
 *
 * The result is decided by integers only: the keystream words, the
 * fixed-point logarithm zl_draw_neglog2() and 128-bit cross products of
 * logs and weights.  Computing the exact logarithm for every candidate
 * would cost 58 multiplications each; instead a double-precision estimate
 * with a generous error bound (far wider than libm's error) picks out the
 * few candidates that can be among a stratum's smallest keys, and only
 * those are ranked exactly.  The estimate decides nothing by itself, so a
 * libm that rounds differently changes no result (docs/draws.md, "Keys and
 * selection").
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "core/rand.h"
#include "core/text.h"
#include "domain/draw.h"

_Static_assert(ZL_DRAW_SEED_BYTES == crypto_hash_sha256_BYTES, "seed and SHA-256 sizes");
_Static_assert(ZL_DRAW_SEED_BYTES == ZL_RNG_SEED_BYTES, "seed and ChaCha20 key sizes");

/* ---- small helpers ---------------------------------------------------- */

/* Decimal digits of v into d (at least 21 bytes), NUL-terminated; returns the length. */
static size_t utoa(uint64_t v, char *d)
{
	char t[24], *p = t + sizeof(t);
	size_t n;

	*--p = '\0';
	do
		*--p = (char)('0' + v % 10);
	while ((v /= 10) > 0);
	n = (size_t)(t + sizeof(t) - 1 - p);
	memcpy(d, p, n + 1);
	return n;
}

void zl_draw_hex(const unsigned char *p, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[p[i] >> 4];
		out[2 * i + 1] = digits[p[i] & 15];
	}
	out[2 * n] = '\0';
}

int zl_draw_seed_parse(const char *hex, unsigned char seed[ZL_DRAW_SEED_BYTES],
		       struct zl_error *err)
{
	size_t n = hex ? strlen(hex) : 0;

	if (n != 2 * ZL_DRAW_SEED_BYTES)
		return zl_error_set(err, ZL_EINVAL, "seed",
				    "a seed is 64 hex digits (32 bytes), not %zu characters", n);
	for (size_t i = 0; i < n; i += 2) {
		int hi = zl_hex_digit((unsigned char)hex[i]),
		    lo = zl_hex_digit((unsigned char)hex[i + 1]);

		if (hi < 0 || lo < 0)
			return zl_error_set(err, ZL_EINVAL, "seed",
					    "a seed is 64 hex digits; character %zu is not one",
					    hi < 0 ? i + 1 : i + 2);
		seed[i / 2] = (unsigned char)(hi << 4 | lo);
	}
	return ZL_OK;
}

/* 1 when s holds at most `max` bytes of UTF-8 without control characters; else *why. */
static int text_ok(const char *s, size_t max, const char **why)
{
	size_t n = strlen(s);

	if (n > max) {
		*why = max == ZL_DRAW_ID_MAX ? "is longer than 256 bytes"
					     : "is longer than 1024 bytes";
		return 0;
	}
	for (size_t i = 0; i < n; i++) {
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f) {
			*why = "holds a control character";
			return 0;
		}
	}
	if (!zl_utf8_valid(s, n)) {
		*why = "is not UTF-8";
		return 0;
	}
	return 1;
}

int zl_draw_name_ok(const char *s, const char **why)
{
	if (s == NULL || s[0] == '\0') {
		*why = "is empty";
		return 0;
	}
	return text_ok(s, ZL_DRAW_ID_MAX, why);
}

/* The label: may be empty; otherwise as a name, up to ZL_DRAW_LABEL_MAX bytes. */
static int label_ok(const char *s, const char **why)
{
	return text_ok(s, ZL_DRAW_LABEL_MAX, why);
}

/* ---- weights ---------------------------------------------------------- */

int zl_draw_weight_parse(const char *s, uint64_t *micro, struct zl_error *err)
{
	const char *b = s, *p, *end;
	uint64_t whole = 0, frac = 0;
	int nwhole = 0, nfrac = 0, len;

	if (s == NULL)
		return zl_error_set(err, ZL_EUNPROC, "", "weight is empty");
	while (*b == ' ' || *b == '\t')
		b++;
	end = b + strlen(b);
	while (end > b && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	len = end - b > 40 ? 40 : (int)(end - b); /* how much of it a message shows, */
	while (len > 0 && b + len < end && ((unsigned char)b[len] & 0xc0) == 0x80)
		len--; /* not cutting a character */
	if (b == end)
		return zl_error_set(err, ZL_EUNPROC, "", "weight is empty");
	if (*b == '-')
		return zl_error_set(err, ZL_EUNPROC, "",
				    "weight '%.*s' is negative: weights are greater than 0", len,
				    b);
	for (p = b; p < end && *p >= '0' && *p <= '9'; p++, nwhole++)
		if (whole <= UINT64_C(1000000000))
			whole = whole * 10 +
				(uint64_t)(*p - '0'); /* past 10^9 only "too large" matters */
	if (p < end && *p == '.') {
		for (p++; p < end && *p >= '0' && *p <= '9'; p++, nfrac++)
			if (nfrac < 6)
				frac = frac * 10 + (uint64_t)(*p - '0');
		if (nfrac == 0)
			nwhole = 0; /* "2." */
	}
	if (p != end || nwhole == 0)
		return zl_error_set(err, ZL_EUNPROC, "",
				    "weight '%.*s' is not a plain decimal number such as 2 or 0.5",
				    len, b);
	if (nfrac > 6)
		return zl_error_set(err, ZL_EUNPROC, "",
				    "weight '%.*s' has more than 6 decimal places", len, b);
	for (int i = nfrac; i < 6; i++)
		frac *= 10;
	if (whole > UINT64_C(1000000000) || (whole == UINT64_C(1000000000) && frac > 0))
		return zl_error_set(err, ZL_EUNPROC, "", "weight '%.*s' is larger than 1000000000",
				    len, b);
	*micro = whole * ZL_DRAW_WEIGHT_ONE + frac;
	if (*micro == 0)
		return zl_error_set(
			err, ZL_EUNPROC, "",
			"weight '%.*s' is 0: weights are greater than 0 (leave a candidate "
			"that must not be drawn out of the list)",
			len, b);
	return ZL_OK;
}

const char *zl_draw_weight_format(uint64_t micro, char out[ZL_DRAW_WEIGHT_TEXT])
{
	size_t n = utoa(micro / ZL_DRAW_WEIGHT_ONE, out);
	uint64_t frac = micro % ZL_DRAW_WEIGHT_ONE;

	if (frac != 0) {
		int digits = 6;

		while (frac % 10 == 0) {
			frac /= 10;
			digits--;
		}
		out[n++] = '.';
		for (int i = digits - 1; i >= 0; i--) {
			out[n + (size_t)i] = (char)('0' + frac % 10);
			frac /= 10;
		}
		n += (size_t)digits;
		out[n] = '\0';
	}
	return out;
}

/* ---- the canonical form: netstrings into a hash or a buffer ------------ */

struct sink {
	crypto_hash_sha256_state *hash; /* exactly one of hash / out */
	struct zl_buf *out;
	size_t n;
	unsigned char buf[16384];
};

static void sink_flush(struct sink *s)
{
	if (s->hash)
		crypto_hash_sha256_update(s->hash, s->buf, s->n);
	else
		zl_buf_add(s->out, s->buf, s->n); /* errors are sticky: checked at the end */
	s->n = 0;
}

static void sink_put(struct sink *s, const void *p, size_t n)
{
	if (n > sizeof(s->buf) - s->n) {
		sink_flush(s);
		if (n > sizeof(s->buf)) {
			if (s->hash)
				crypto_hash_sha256_update(s->hash, p, n);
			else
				zl_buf_add(s->out, p, n);
			return;
		}
	}
	memcpy(s->buf + s->n, p, n);
	s->n += n;
}

/* One netstring: the decimal length, ':', the bytes, ','. */
static void sink_ns(struct sink *s, const void *p, size_t n)
{
	char len[24];
	size_t k = utoa(n, len);

	len[k++] = ':';
	sink_put(s, len, k);
	sink_put(s, p, n);
	sink_put(s, ",", 1);
}

static void sink_str(struct sink *s, const char *str)
{
	sink_ns(s, str, strlen(str));
}

static void sink_u64(struct sink *s, uint64_t v)
{
	char d[24];

	sink_ns(s, d, utoa(v, d));
}

void zl_draw_stream_key(const char *kind, const unsigned char seed[ZL_DRAW_SEED_BYTES],
			const char *name, unsigned char key[ZL_DRAW_SEED_BYTES])
{
	crypto_hash_sha256_state h;
	struct sink s;

	s.hash = &h;
	s.out = NULL;
	s.n = 0;
	crypto_hash_sha256_init(&h);
	sink_str(&s, ZL_DRAW_ALGORITHM);
	sink_str(&s, kind);
	sink_ns(&s, seed, ZL_DRAW_SEED_BYTES);
	sink_str(&s, name);
	sink_flush(&s);
	crypto_hash_sha256_final(&h, key);
	sodium_memzero(&h, sizeof(h));
	sodium_memzero(&s, sizeof(s));
}

void zl_draw_seed_commitment(const unsigned char seed[ZL_DRAW_SEED_BYTES],
			     char out[ZL_DRAW_HEX_LEN + 1])
{
	unsigned char d[crypto_hash_sha256_BYTES];

	crypto_hash_sha256(d, seed, ZL_DRAW_SEED_BYTES);
	zl_draw_hex(d, sizeof(d), out);
}

static void draw_canonical(const void *what, struct sink *s)
{
	const struct zl_draw *d = what;
	char w[ZL_DRAW_WEIGHT_TEXT];

	sink_str(s, ZL_DRAW_ALGORITHM);
	sink_str(s, "select");
	sink_str(s, d->label);
	sink_u64(s, d->nstrata);
	for (size_t i = 0; i < d->nstrata; i++) {
		const struct zl_draw_stratum *st = &d->strata[i];

		sink_str(s, st->name);
		sink_u64(s, st->quota);
		sink_u64(s, st->n);
		for (size_t j = st->first; j < st->first + st->n; j++) {
			sink_str(s, d->cand[j].id);
			sink_str(s, zl_draw_weight_format(d->cand[j].weight, w));
		}
	}
	sink_flush(s);
}

/* Write a canonical form (made by `fn` from `what`) into a buffer, or hash it into hex. */
typedef void canonical_fn(const void *what, struct sink *s);

static int canonical_bytes(canonical_fn *fn, const void *what, struct zl_buf *out)
{
	struct sink *s = malloc(sizeof(*s));

	if (s == NULL)
		return ZL_ENOMEM;
	s->hash = NULL;
	s->out = out;
	s->n = 0;
	fn(what, s);
	free(s);
	return out->err;
}

static void canonical_hash(canonical_fn *fn, const void *what, char out[ZL_DRAW_HEX_LEN + 1])
{
	crypto_hash_sha256_state h;
	unsigned char dg[crypto_hash_sha256_BYTES];
	struct sink s;

	s.hash = &h;
	s.out = NULL;
	s.n = 0;
	crypto_hash_sha256_init(&h);
	fn(what, &s);
	crypto_hash_sha256_final(&h, dg);
	zl_draw_hex(dg, sizeof(dg), out);
}

int zl_draw_canonical(const struct zl_draw *d, struct zl_buf *out)
{
	return canonical_bytes(draw_canonical, d, out);
}

void zl_draw_input_commitment(const struct zl_draw *d, char out[ZL_DRAW_HEX_LEN + 1])
{
	canonical_hash(draw_canonical, d, out);
}

/* ---- the key: fixed-point logarithm and exact comparison ---------------- */

/* The 128-bit product a * b as (*hi, *lo), from 32-bit halves (portable C). */
static void mul64(uint64_t a, uint64_t b, uint64_t *hi, uint64_t *lo)
{
	uint64_t a0 = a & 0xffffffffu, a1 = a >> 32, b0 = b & 0xffffffffu, b1 = b >> 32;
	uint64_t p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
	uint64_t mid = (p00 >> 32) + (p01 & 0xffffffffu) + (p10 & 0xffffffffu);

	*lo = (mid << 32) | (p00 & 0xffffffffu);
	*hi = p11 + (p01 >> 32) + (p10 >> 32) + (mid >> 32);
}

uint64_t zl_draw_neglog2(uint64_t u53)
{
	uint64_t v = (u53 & ((UINT64_C(1) << 53) - 1)) + 1, y, hi, lo, frac = 0;
	int n = 0;

	/* v = 2^n * f with 1 <= f < 2; y holds f with 62 fractional bits. */
	while ((v >> (n + 1)) != 0)
		n++;
	y = v << (62 - n);
	/* Binary digits of log2(f): squaring f doubles its logarithm; a square of 2 or more carries
	 * a 1. */
	for (int i = 0; i < ZL_DRAW_LOG_BITS; i++) {
		mul64(y, y, &hi, &lo);
		y = (hi << 2) | (lo >> 62);
		frac <<= 1;
		if (y >> 63) {
			y >>= 1;
			frac |= 1;
		}
	}
	/* -log2(v / 2^53) = 53 - n - log2(f) */
	return ((uint64_t)(53 - n) << ZL_DRAW_LOG_BITS) - frac;
}

int zl_draw_key_cmp(uint64_t l_a, uint64_t w_a, uint64_t l_b, uint64_t w_b)
{
	uint64_t ah, al, bh, bl;

	/* l_a / w_a < l_b / w_b  <=>  l_a * w_b < l_b * w_a (weights are positive) */
	mul64(l_a, w_b, &ah, &al);
	mul64(l_b, w_a, &bh, &bl);
	if (ah != bh)
		return ah < bh ? -1 : 1;
	if (al != bl)
		return al < bl ? -1 : 1;
	return 0;
}

/*
 * Selecting the k smallest keys of a stream of candidates.
 *
 * For each candidate fed, est = (53 - log2(U + 1)) / w, with w its weight
 * in millionths, estimates its exact key (L * 2^-58) / w.  lo and hi
 * bracket the exact key with a wide margin: 53 - log2(U + 1) in doubles is
 * within 2^-46 of the true logarithm (libm's log2 is within an ulp of a
 * result below 64, 2^-47) and L * 2^-58 within 2^-57 of it, so the two
 * differ by less than 2^-44; the division and the bounds' own arithmetic
 * add a relative 2^-51 or so; 2^-30 is allowed for each, relative and
 * absolute.  A max-heap of the k smallest `hi` seen gives a
 * threshold T that only falls: at least k keys are at most T, so every
 * candidate of the final k has lo <= T, and a candidate whose lo is above
 * the threshold when it arrives can be forgotten.  The rest (about
 * k * (1 + ln(n / k)) of them) are ranked by their exact keys at the end.
 */
#define EST_REL 0x1p-30
#define EST_ABS 0x1p-30

struct sel_entry {
	uint64_t u53;
	uint64_t weight;
	uint64_t neglog2;
	double lo;
	uint32_t j; /* position in the stratum or pool: breaks ties */
};

struct selector {
	size_t k;
	double *heap; /* max-heap of the k smallest hi */
	size_t nheap;
	struct sel_entry *e;
	size_t ne, cap;
	int oom;
};

static int sel_init(struct selector *s, size_t k)
{
	memset(s, 0, sizeof(*s));
	s->k = k;
	s->heap = malloc((k ? k : 1) * sizeof(*s->heap));
	return s->heap ? ZL_OK : ZL_ENOMEM;
}

static void sel_reset(struct selector *s, size_t k)
{
	s->k = k; /* never more than at sel_init */
	s->nheap = 0;
	s->ne = 0;
}

static void sel_release(struct selector *s)
{
	free(s->heap);
	free(s->e);
	memset(s, 0, sizeof(*s));
}

static void heap_down(double *h, size_t n, size_t i)
{
	double v = h[i];

	for (;;) {
		size_t c = 2 * i + 1;

		if (c >= n)
			break;
		if (c + 1 < n && h[c + 1] > h[c])
			c++;
		if (h[c] <= v)
			break;
		h[i] = h[c];
		i = c;
	}
	h[i] = v;
}

static void heap_up(double *h, size_t i)
{
	double v = h[i];

	while (i > 0 && h[(i - 1) / 2] < v) {
		h[i] = h[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	h[i] = v;
}

static void sel_feed(struct selector *s, uint32_t j, uint64_t u53, uint64_t weight)
{
	double w = (double)weight;
	double est = (53.0 - log2((double)(u53 + 1))) / w;
	double lo = est * (1 - EST_REL) - EST_ABS / w;
	double hi = est * (1 + EST_REL) + EST_ABS / w;

	if (s->nheap < s->k) {
		s->heap[s->nheap] = hi;
		heap_up(s->heap, s->nheap++);
	} else if (hi < s->heap[0]) {
		s->heap[0] = hi;
		heap_down(s->heap, s->nheap, 0);
	} else if (lo > s->heap[0]) {
		return; /* cannot be among the k smallest */
	}
	if (s->ne == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 64;
		struct sel_entry *e = realloc(s->e, cap * sizeof(*e));

		if (e == NULL) {
			s->oom = 1;
			return;
		}
		s->e = e;
		s->cap = cap;
	}
	s->e[s->ne++] = (struct sel_entry){u53, weight, 0, lo, j};
}

static int entry_cmp(const void *pa, const void *pb)
{
	const struct sel_entry *a = pa, *b = pb;
	int c = zl_draw_key_cmp(a->neglog2, a->weight, b->neglog2, b->weight);

	if (c != 0)
		return c;
	return a->j < b->j ? -1 : a->j > b->j;
}

/*
 * Rank the remaining entries exactly; on return s->e[0 .. k) are the k
 * smallest keys in order (ties by position).  Needs at least k fed.
 */
static int sel_finish(struct selector *s)
{
	double t;
	size_t m = 0;

	if (s->oom)
		return ZL_ENOMEM;
	if (s->k == 0)
		return ZL_OK;
	t = s->heap[0];
	for (size_t i = 0; i < s->ne; i++) {
		if (s->e[i].lo > t)
			continue;
		s->e[i].neglog2 = zl_draw_neglog2(s->e[i].u53);
		s->e[m++] = s->e[i];
	}
	s->ne = m;
	qsort(s->e, m, sizeof(*s->e), entry_cmp);
	return m >= s->k ? ZL_OK : ZL_EINTERNAL;
}

/* ---- preparing a draw --------------------------------------------------- */

/*
 * A candidate while sorting: the first 16 bytes of its id as two
 * big-endian integers (zero-padded: ids hold no NUL, so this orders as
 * strcmp does), the id, its stratum number and input position.  Most
 * comparisons end on the integers, without reading the id through its
 * pointer, which for a million ids in random order is a cache miss.
 */
struct sort_item {
	uint64_t k0, k1;
	const char *id;
	uint32_t stratum;
	uint32_t pos;
};

static void item_key(struct sort_item *it, const char *id)
{
	unsigned char b[16] = {0};
	size_t n = 0;

	while (n < 16 && id[n])
		n++;
	memcpy(b, id, n);
	it->k0 = it->k1 = 0;
	for (int i = 0; i < 8; i++) {
		it->k0 = it->k0 << 8 | b[i];
		it->k1 = it->k1 << 8 | b[8 + i];
	}
}

static int item_cmp(const void *pa, const void *pb)
{
	const struct sort_item *a = pa, *b = pb;

	if (a->k0 != b->k0)
		return a->k0 < b->k0 ? -1 : 1;
	if (a->k1 != b->k1)
		return a->k1 < b->k1 ? -1 : 1;
	/* Same first 16 bytes: the rest decides, if the ids go on. */
	return (a->k1 & 0xff) ? strcmp(a->id + 16, b->id + 16) : 0;
}

static int quota_ptr_cmp(const void *pa, const void *pb)
{
	const struct zl_draw_stratum *a = pa, *b = pb;

	return strcmp(a->name, b->name);
}

/* The stratum named `name` in the sorted d->strata, or -1. */
static long find_stratum(const struct zl_draw *d, const char *name)
{
	size_t lo = 0, hi = d->nstrata;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(name, d->strata[mid].name);

		if (c == 0)
			return (long)mid;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return -1;
}

static void fault_clear(struct zl_draw_fault *f)
{
	f->cand = f->cand2 = f->quota = SIZE_MAX;
	f->member = NULL;
}

/* Fill d->strata from the spec's quotas (or the single unnamed stratum). */
static int prepare_strata(struct zl_draw *d, const struct zl_draw_spec *spec, struct zl_error *err)
{
	const char *why;

	d->nstrata = spec->nquotas ? spec->nquotas : 1;
	d->strata = calloc(d->nstrata, sizeof(*d->strata));
	if (d->strata == NULL)
		return zl_error_set(err, ZL_ENOMEM, "", "out of memory");
	if (!d->stratified) {
		if (spec->count == 0)
			return zl_error_set(err, ZL_EUNPROC, "count",
					    "the number to draw must be at least 1");
		d->strata[0] = (struct zl_draw_stratum){"", spec->count, 0, 0, 0};
		return ZL_OK;
	}
	for (size_t i = 0; i < spec->nquotas; i++) {
		const struct zl_draw_quota *q = &spec->quotas[i];

		d->fault.quota = i;
		if (!zl_draw_name_ok(q->stratum, &why))
			return zl_error_set(err, ZL_EUNPROC, "quotas",
					    "the stratum of quota %zu %s", i + 1, why);
		if (q->quota > ZL_DRAW_MAX_QUOTA)
			return zl_error_set(err, ZL_ETOOBIG, "quotas",
					    "the quota of stratum '%s' is larger than %u",
					    q->stratum, ZL_DRAW_MAX_QUOTA);
		d->strata[i] = (struct zl_draw_stratum){q->stratum, q->quota, 0, 0, i};
	}
	qsort(d->strata, d->nstrata, sizeof(*d->strata), quota_ptr_cmp);
	for (size_t i = 1; i < d->nstrata; i++) {
		if (strcmp(d->strata[i - 1].name, d->strata[i].name) == 0) {
			d->fault.quota = d->strata[i - 1].input > d->strata[i].input
						 ? d->strata[i - 1].input
						 : d->strata[i].input;
			return zl_error_set(err, ZL_EUNPROC, "quotas",
					    "stratum '%s' is given two quotas", d->strata[i].name);
		}
	}
	fault_clear(&d->fault);
	return ZL_OK;
}

/* Check every candidate, number its stratum; fills items[] and *idbytes (the ids' size). */
static int prepare_items(struct zl_draw *d, const struct zl_draw_spec *spec,
			 struct sort_item *items, size_t *idbytes, struct zl_error *err)
{
	const char *why;

	*idbytes = 0;
	for (size_t i = 0; i < spec->ncand; i++) {
		const struct zl_draw_candidate *c = &spec->cand[i];
		long st = 0;

		d->fault.cand = i;
		d->fault.member = "id";
		if (!zl_draw_name_ok(c->id, &why))
			return zl_error_set(err, ZL_EUNPROC, "candidates",
					    "the id of candidate %zu %s", i + 1, why);
		d->fault.member = "weight";
		if (c->weight == 0 || c->weight > ZL_DRAW_WEIGHT_MAX)
			return zl_error_set(err, ZL_EUNPROC, "candidates",
					    "the weight of '%s' is outside 0.000001 .. 1000000000",
					    c->id);
		if (d->stratified) {
			d->fault.member = "stratum";
			if (!zl_draw_name_ok(c->stratum, &why))
				return zl_error_set(err, ZL_EUNPROC, "candidates",
						    "the stratum of '%s' %s", c->id, why);
			st = find_stratum(d, c->stratum);
			if (st < 0)
				return zl_error_set(
					err, ZL_EUNPROC, "candidates",
					"stratum '%s' (of '%s') has no quota: give it one "
					"(0 to draw none of it)",
					c->stratum, c->id);
		}
		*idbytes += strlen(c->id) + 1;
		items[i].id = c->id;
		items[i].stratum = (uint32_t)st;
		items[i].pos = (uint32_t)i;
		item_key(&items[i], c->id);
		d->strata[st].n++;
	}
	fault_clear(&d->fault);
	return ZL_OK;
}

/* 1 when items[0 .. n) are in id order already (a list from the register often is). */
static int items_sorted(const struct sort_item *items, size_t n)
{
	for (size_t i = 1; i < n; i++)
		if (item_cmp(&items[i - 1], &items[i]) > 0)
			return 0;
	return 1;
}

static int duplicate(struct zl_draw *d, const struct sort_item *a, const struct sort_item *b,
		     struct zl_error *err)
{
	d->fault.cand = a->pos < b->pos ? a->pos : b->pos;
	d->fault.cand2 = a->pos < b->pos ? b->pos : a->pos;
	d->fault.member = "id";
	return zl_error_set(err, ZL_EUNPROC, "candidates", "id '%s' is there twice", a->id);
}

/*
 * An id in two strata: merge the strata's sorted runs of items (a heap of
 * their heads, smallest first) and compare each id with the one before.
 */
static int duplicates_across(struct zl_draw *d, const struct sort_item *items, struct zl_error *err)
{
	size_t *heap = malloc(d->nstrata * sizeof(*heap)), *at = malloc(d->nstrata * sizeof(*at));
	const struct sort_item *last = NULL;
	size_t nh = 0;
	int rc = ZL_OK;

	if (!heap || !at) {
		rc = zl_error_set(err, ZL_ENOMEM, "", "out of memory");
		goto out;
	}
#define HEAD(r) (&items[at[r]])
#define LESS(r, q) (item_cmp(HEAD(r), HEAD(q)) < 0)
	for (size_t r = 0; r < d->nstrata; r++) {
		at[r] = d->strata[r].first;
		if (d->strata[r].n == 0)
			continue;
		heap[nh] = r;
		for (size_t i = nh++; i > 0 && LESS(heap[i], heap[(i - 1) / 2]); i = (i - 1) / 2) {
			size_t t = heap[i];

			heap[i] = heap[(i - 1) / 2];
			heap[(i - 1) / 2] = t;
		}
	}
	while (nh > 0) {
		size_t r = heap[0], i = 0;

		if (last && item_cmp(last, HEAD(r)) == 0) {
			rc = duplicate(d, last, HEAD(r), err);
			goto out;
		}
		last = HEAD(r);
		if (++at[r] == d->strata[r].first + d->strata[r].n)
			heap[0] = heap[--nh];
		for (;;) { /* sift the new head down */
			size_t c = 2 * i + 1, t;

			if (c >= nh)
				break;
			if (c + 1 < nh && LESS(heap[c + 1], heap[c]))
				c++;
			if (!LESS(heap[c], heap[i]))
				break;
			t = heap[i];
			heap[i] = heap[c];
			heap[c] = t;
			i = c;
		}
	}
#undef HEAD
#undef LESS
out:
	free(heap);
	free(at);
	return rc;
}

/*
 * Put items[] in canonical order into sorted[]: grouped by stratum (a
 * counting sort, which keeps the input order), then each stratum by id;
 * refuse a repeated id.  A stratum already in id order is not sorted again.
 */
static int sort_items(struct zl_draw *d, const struct sort_item *items, struct sort_item *sorted,
		      size_t n, struct zl_error *err)
{
	size_t *next = malloc(d->nstrata * sizeof(*next));

	if (next == NULL)
		return zl_error_set(err, ZL_ENOMEM, "", "out of memory");
	for (size_t i = 0, at = 0; i < d->nstrata; i++) {
		d->strata[i].first = at;
		next[i] = at;
		at += d->strata[i].n;
	}
	for (size_t i = 0; i < n; i++)
		sorted[next[items[i].stratum]++] = items[i];
	free(next);
	for (size_t i = 0; i < d->nstrata; i++) {
		struct sort_item *run = sorted + d->strata[i].first;
		size_t m = d->strata[i].n;

		if (!items_sorted(run, m))
			qsort(run, m, sizeof(*run), item_cmp);
		for (size_t j = 1; j < m; j++)
			if (item_cmp(&run[j - 1], &run[j]) == 0)
				return duplicate(d, &run[j - 1], &run[j], err);
	}
	return d->nstrata > 1 ? duplicates_across(d, sorted, err) : ZL_OK;
}

/* Quotas against the strata's sizes. */
static int check_quotas(struct zl_draw *d, struct zl_error *err)
{
	d->total = 0;
	for (size_t i = 0; i < d->nstrata; i++) {
		const struct zl_draw_stratum *st = &d->strata[i];

		d->fault.quota = d->stratified ? st->input : SIZE_MAX;
		if (d->stratified && st->n == 0)
			return zl_error_set(err, ZL_EUNPROC, "quotas",
					    "stratum '%s' has a quota but no candidates", st->name);
		if (st->quota > st->n) {
			if (!d->stratified)
				return zl_error_set(err, ZL_EUNPROC, "count",
						    "cannot draw %llu from %zu candidates",
						    (unsigned long long)st->quota, st->n);
			return zl_error_set(err, ZL_EUNPROC, "quotas",
					    "the quota %llu of stratum '%s' is larger than its %zu "
					    "candidates",
					    (unsigned long long)st->quota, st->name, st->n);
		}
		d->total += st->quota;
	}
	fault_clear(&d->fault);
	if (d->total == 0)
		return zl_error_set(err, ZL_EUNPROC, "quotas", "every quota is 0: nothing to draw");
	if (d->total > ZL_DRAW_MAX_QUOTA)
		return zl_error_set(err, ZL_ETOOBIG, "quotas", "more than %u to draw in all",
				    ZL_DRAW_MAX_QUOTA);
	return ZL_OK;
}

/*
 * Copy the ids (`total` bytes with their NULs) into d->text in canonical
 * order and point the candidates at them.
 */
static int copy_ids(struct zl_draw *d, size_t n, size_t total, struct zl_error *err)
{
	size_t at = 0;

	d->text = malloc(total ? total : 1);
	if (d->text == NULL)
		return zl_error_set(err, ZL_ENOMEM, "", "out of memory");
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(d->cand[i].id) + 1;

		memcpy(d->text + at, d->cand[i].id, len);
		d->cand[i].id = d->text + at;
		at += len;
	}
	return ZL_OK;
}

int zl_draw_prepare(struct zl_draw *d, const struct zl_draw_spec *spec, struct zl_error *err)
{
	struct sort_item *items = NULL;
	size_t idbytes = 0;
	const char *why;
	int rc;

	memset(d, 0, sizeof(*d));
	fault_clear(&d->fault);
	d->label = spec->label ? spec->label : "";
	d->stratified = spec->nquotas > 0;
	if (!label_ok(d->label, &why))
		return zl_error_set(err, ZL_EUNPROC, "label", "the label %s", why);
	if (spec->ncand == 0)
		return zl_error_set(err, ZL_EUNPROC, "candidates", "there are no candidates");
	if (spec->ncand > ZL_DRAW_MAX_CANDIDATES)
		return zl_error_set(err, ZL_ETOOBIG, "candidates", "more than %u candidates",
				    ZL_DRAW_MAX_CANDIDATES);
	rc = prepare_strata(d, spec, err);
	if (rc)
		goto out;
	items = malloc(2 * spec->ncand * sizeof(*items));
	d->cand = malloc(spec->ncand * sizeof(*d->cand));
	d->input = malloc(spec->ncand * sizeof(*d->input));
	if (!items || !d->cand || !d->input) {
		rc = zl_error_set(err, ZL_ENOMEM, "", "out of memory");
		goto out;
	}
	rc = prepare_items(d, spec, items, &idbytes, err);
	if (rc == ZL_OK)
		rc = sort_items(d, items, items + spec->ncand, spec->ncand, err);
	if (rc == ZL_OK)
		rc = check_quotas(d, err);
	if (rc)
		goto out;
	for (size_t i = 0; i < spec->ncand; i++) {
		const struct sort_item *it = &items[spec->ncand + i];

		d->cand[i] = spec->cand[it->pos];
		d->cand[i].stratum = d->strata[it->stratum].name;
		d->input[i] = it->pos;
	}
	rc = copy_ids(d, spec->ncand, idbytes, err);
	if (rc)
		goto out;
	d->ncand = spec->ncand;
out:
	free(items);
	return rc;
}

void zl_draw_release(struct zl_draw *d)
{
	free(d->cand);
	free(d->text);
	free(d->input);
	free(d->strata);
	memset(d, 0, sizeof(*d));
	fault_clear(&d->fault);
}

/* ---- running a draw ------------------------------------------------------ */

int zl_draw_run(const struct zl_draw *d, const unsigned char seed[ZL_DRAW_SEED_BYTES],
		struct zl_draw_result *res, struct zl_error *err)
{
	struct selector sel;
	struct zl_rng rng;
	unsigned char key[ZL_DRAW_SEED_BYTES];
	uint64_t kmax = 0;
	size_t at = 0;
	int rc;

	memset(res, 0, sizeof(*res));
	for (size_t i = 0; i < d->nstrata; i++)
		if (d->strata[i].quota > kmax)
			kmax = d->strata[i].quota;
	res->picks = calloc(d->total ? d->total : 1, sizeof(*res->picks));
	if (res->picks == NULL || sel_init(&sel, kmax) != ZL_OK) {
		free(res->picks);
		res->picks = NULL;
		return zl_error_set(err, ZL_ENOMEM, "", "out of memory");
	}
	for (size_t i = 0; i < d->nstrata; i++) {
		const struct zl_draw_stratum *st = &d->strata[i];

		if (st->quota == 0)
			continue;
		zl_draw_stream_key("stratum", seed, st->name, key);
		zl_rng_seed(&rng, key);
		sel_reset(&sel, st->quota);
		for (size_t j = 0; j < st->n; j++)
			sel_feed(&sel, (uint32_t)j, zl_rng_u64(&rng) >> 11,
				 d->cand[st->first + j].weight);
		rc = sel_finish(&sel);
		if (rc) {
			zl_error_set(err, rc, "",
				     rc == ZL_ENOMEM ? "out of memory"
						     : "draw: fewer ranked than the quota");
			goto out;
		}
		for (size_t k = 0; k < st->quota; k++) {
			const struct sel_entry *e = &sel.e[k];

			res->picks[at++] = (struct zl_draw_pick){
				st->first + e->j, d->input[st->first + e->j], e->u53, e->neglog2};
		}
	}
	res->n = at;
	rc = ZL_OK;
out:
	zl_rng_release(&rng);
	sodium_memzero(key, sizeof(key));
	sel_release(&sel);
	return rc;
}

void zl_draw_result_release(struct zl_draw_result *res)
{
	free(res->picks);
	memset(res, 0, sizeof(*res));
}

/* ---- inspectors ---------------------------------------------------------- */

static int str_ptr_cmp(const void *pa, const void *pb)
{
	return strcmp(*(const char *const *)pa, *(const char *const *)pb);
}

/* An id to sort by, with its input position. */
struct id_item {
	const char *id;
	uint32_t pos;
};

static int id_item_cmp(const void *pa, const void *pb)
{
	return strcmp(((const struct id_item *)pa)->id, ((const struct id_item *)pb)->id);
}

/*
 * Sort n ids (read through `id_at`) into items[]; on a repeated id return
 * ZL_EUNPROC with both positions in *fault.
 */
static int sort_ids(struct id_item *items, size_t n, struct zl_draw_fault *fault, const char *field,
		    const char *what, struct zl_error *err)
{
	qsort(items, n, sizeof(*items), id_item_cmp);
	for (size_t i = 1; i < n; i++) {
		if (strcmp(items[i - 1].id, items[i].id) == 0) {
			fault->cand =
				items[i - 1].pos < items[i].pos ? items[i - 1].pos : items[i].pos;
			fault->cand2 =
				items[i - 1].pos < items[i].pos ? items[i].pos : items[i - 1].pos;
			return zl_error_set(err, ZL_EUNPROC, field, "%s '%s' is there twice", what,
					    items[i].id);
		}
	}
	return ZL_OK;
}

/* A county: "" or NULL (none), else a name. */
static int county_ok(const char *s, const char **why)
{
	return s == NULL || s[0] == '\0' || zl_draw_name_ok(s, why);
}

static int prepare_pool(struct zl_draw_inspectors *ins, const struct zl_draw_inspector_spec *spec,
			struct zl_error *err)
{
	struct id_item *items = malloc(spec->npool * sizeof(*items));
	size_t nconf = 0, at = 0;
	const char *why;
	int rc = ZL_OK;

	for (size_t i = 0; i < spec->npool; i++)
		nconf += spec->pool[i].nconflicts;
	ins->pool = calloc(spec->npool, sizeof(*ins->pool));
	ins->pool_input = malloc(spec->npool * sizeof(*ins->pool_input));
	ins->conflict_store = malloc((nconf ? nconf : 1) * sizeof(*ins->conflict_store));
	if (!items || !ins->pool || !ins->pool_input || !ins->conflict_store) {
		rc = zl_error_set(err, ZL_ENOMEM, "", "out of memory");
		goto out;
	}
	for (size_t i = 0; i < spec->npool; i++) {
		const struct zl_draw_inspector *m = &spec->pool[i];

		ins->fault.cand = i;
		if (!zl_draw_name_ok(m->id, &why)) {
			rc = zl_error_set(err, ZL_EUNPROC, "pool", "the id of inspector %zu %s",
					  i + 1, why);
			goto out;
		}
		if (!county_ok(m->county, &why)) {
			rc = zl_error_set(err, ZL_EUNPROC, "pool",
					  "the county of inspector '%s' %s", m->id, why);
			goto out;
		}
		for (size_t k = 0; k < m->nconflicts; k++) {
			if (!zl_draw_name_ok(m->conflicts[k], &why)) {
				rc = zl_error_set(err, ZL_EUNPROC, "pool",
						  "conflict %zu of inspector '%s' %s", k + 1, m->id,
						  why);
				goto out;
			}
		}
		items[i] = (struct id_item){m->id, (uint32_t)i};
	}
	fault_clear(&ins->fault);
	rc = sort_ids(items, spec->npool, &ins->fault, "pool", "inspector", err);
	if (rc)
		goto out;
	for (size_t i = 0; i < spec->npool; i++) {
		const struct zl_draw_inspector *m = &spec->pool[items[i].pos];
		const char **list = ins->conflict_store + at;

		ins->pool[i] = *m;
		ins->pool[i].county = m->county ? m->county : "";
		ins->pool_input[i] = items[i].pos;
		if (m->nconflicts)
			memcpy(list, m->conflicts, m->nconflicts * sizeof(*list));
		qsort(list, m->nconflicts, sizeof(*list), str_ptr_cmp);
		for (size_t k = 1; k < m->nconflicts; k++) {
			if (strcmp(list[k - 1], list[k]) == 0) {
				ins->fault.cand = items[i].pos;
				rc = zl_error_set(
					err, ZL_EUNPROC, "pool",
					"inspector '%s' declares the conflict with '%s' twice",
					m->id, list[k]);
				goto out;
			}
		}
		ins->pool[i].conflicts = list;
		at += m->nconflicts;
	}
	ins->npool = spec->npool;
out:
	free(items);
	return rc;
}

static int prepare_tasks(struct zl_draw_inspectors *ins, const struct zl_draw_inspector_spec *spec,
			 struct zl_error *err)
{
	struct id_item *items = malloc(spec->ntasks * sizeof(*items));
	const char *why;
	int rc = ZL_OK;

	ins->tasks = calloc(spec->ntasks, sizeof(*ins->tasks));
	ins->task_input = malloc(spec->ntasks * sizeof(*ins->task_input));
	if (!items || !ins->tasks || !ins->task_input) {
		rc = zl_error_set(err, ZL_ENOMEM, "", "out of memory");
		goto out;
	}
	for (size_t i = 0; i < spec->ntasks; i++) {
		const struct zl_draw_task *t = &spec->tasks[i];

		ins->fault.cand = i;
		if (!zl_draw_name_ok(t->id, &why)) {
			rc = zl_error_set(err, ZL_EUNPROC, "tasks", "the id of task %zu %s", i + 1,
					  why);
			goto out;
		}
		if (!zl_draw_name_ok(t->enterprise, &why)) {
			rc = zl_error_set(err, ZL_EUNPROC, "tasks",
					  "the enterprise of task '%s' %s", t->id, why);
			goto out;
		}
		if (!county_ok(t->county, &why)) {
			rc = zl_error_set(err, ZL_EUNPROC, "tasks", "the county of task '%s' %s",
					  t->id, why);
			goto out;
		}
		if (spec->exclude_own_county && (t->county == NULL || t->county[0] == '\0')) {
			rc = zl_error_set(err, ZL_EUNPROC, "tasks",
					  "task '%s' has no county, but inspectors from the "
					  "enterprise's own county are to be excluded",
					  t->id);
			goto out;
		}
		items[i] = (struct id_item){t->id, (uint32_t)i};
	}
	fault_clear(&ins->fault);
	rc = sort_ids(items, spec->ntasks, &ins->fault, "tasks", "task", err);
	if (rc)
		goto out;
	for (size_t i = 0; i < spec->ntasks; i++) {
		ins->tasks[i] = spec->tasks[items[i].pos];
		if (ins->tasks[i].county == NULL)
			ins->tasks[i].county = "";
		ins->task_input[i] = items[i].pos;
	}
	ins->ntasks = spec->ntasks;
out:
	free(items);
	return rc;
}

int zl_draw_inspectors_prepare(struct zl_draw_inspectors *ins,
			       const struct zl_draw_inspector_spec *spec, struct zl_error *err)
{
	const char *why;
	int rc;

	memset(ins, 0, sizeof(*ins));
	fault_clear(&ins->fault);
	ins->label = spec->label ? spec->label : "";
	ins->per_task = spec->per_task;
	ins->exclude_own_county = spec->exclude_own_county != 0;
	if (!label_ok(ins->label, &why))
		return zl_error_set(err, ZL_EUNPROC, "label", "the label %s", why);
	if (spec->per_task < 1 || spec->per_task > ZL_DRAW_PER_TASK_MAX)
		return zl_error_set(err, ZL_EUNPROC, "per_task",
				    "inspectors per task must be 1 to %d, not %u",
				    ZL_DRAW_PER_TASK_MAX, spec->per_task);
	if (spec->npool == 0)
		return zl_error_set(err, ZL_EUNPROC, "pool", "the inspector pool is empty");
	if (spec->ntasks == 0)
		return zl_error_set(err, ZL_EUNPROC, "tasks", "there are no tasks");
	if (spec->npool > ZL_DRAW_MAX_CANDIDATES || spec->ntasks > ZL_DRAW_MAX_CANDIDATES)
		return zl_error_set(err, ZL_ETOOBIG,
				    spec->npool > ZL_DRAW_MAX_CANDIDATES ? "pool" : "tasks",
				    "more than %u entries", ZL_DRAW_MAX_CANDIDATES);
	rc = prepare_pool(ins, spec, err);
	if (rc == ZL_OK)
		rc = prepare_tasks(ins, spec, err);
	return rc;
}

void zl_draw_inspectors_release(struct zl_draw_inspectors *ins)
{
	free(ins->pool);
	free(ins->pool_input);
	free((void *)ins->conflict_store);
	free(ins->tasks);
	free(ins->task_input);
	memset(ins, 0, sizeof(*ins));
	fault_clear(&ins->fault);
}

static void inspectors_canonical(const void *what, struct sink *s)
{
	const struct zl_draw_inspectors *ins = what;

	sink_str(s, ZL_DRAW_ALGORITHM);
	sink_str(s, "inspectors");
	sink_str(s, ins->label);
	sink_u64(s, ins->per_task);
	sink_u64(s, (uint64_t)ins->exclude_own_county);
	sink_u64(s, ins->npool);
	for (size_t i = 0; i < ins->npool; i++) {
		const struct zl_draw_inspector *m = &ins->pool[i];

		sink_str(s, m->id);
		sink_str(s, m->county);
		sink_u64(s, m->nconflicts);
		for (size_t k = 0; k < m->nconflicts; k++)
			sink_str(s, m->conflicts[k]);
	}
	sink_u64(s, ins->ntasks);
	for (size_t i = 0; i < ins->ntasks; i++) {
		sink_str(s, ins->tasks[i].id);
		sink_str(s, ins->tasks[i].enterprise);
		sink_str(s, ins->tasks[i].county);
	}
	sink_flush(s);
}

int zl_draw_inspectors_canonical(const struct zl_draw_inspectors *ins, struct zl_buf *out)
{
	return canonical_bytes(inspectors_canonical, ins, out);
}

void zl_draw_inspectors_commitment(const struct zl_draw_inspectors *ins,
				   char out[ZL_DRAW_HEX_LEN + 1])
{
	canonical_hash(inspectors_canonical, ins, out);
}

/* 1 when the sorted list holds `id`. */
static int in_sorted(const char *const *list, size_t n, const char *id)
{
	return n > 0 && bsearch(&id, list, n, sizeof(*list), str_ptr_cmp) != NULL;
}

int zl_draw_inspectors_run(struct zl_draw_inspectors *ins,
			   const unsigned char seed[ZL_DRAW_SEED_BYTES],
			   struct zl_draw_inspector_result *res, struct zl_error *err)
{
	struct selector sel;
	struct zl_rng rng;
	unsigned char key[ZL_DRAW_SEED_BYTES];
	int rc = ZL_OK;

	memset(res, 0, sizeof(*res));
	memset(&rng, 0, sizeof(rng));
	res->tasks = calloc(ins->ntasks ? ins->ntasks : 1, sizeof(*res->tasks));
	if (res->tasks == NULL || sel_init(&sel, ins->per_task) != ZL_OK) {
		free(res->tasks);
		res->tasks = NULL;
		return zl_error_set(err, ZL_ENOMEM, "", "out of memory");
	}
	for (size_t t = 0; t < ins->ntasks; t++) {
		const struct zl_draw_task *task = &ins->tasks[t];
		struct zl_draw_assignment *a = &res->tasks[t];

		a->task = t;
		zl_draw_stream_key("task", seed, task->id, key);
		zl_rng_seed(&rng, key);
		sel_reset(&sel, ins->per_task);
		for (size_t j = 0; j < ins->npool; j++) {
			const struct zl_draw_inspector *m = &ins->pool[j];
			/* Every member takes its word, eligible or not: the rules skip, never
			 * shift. */
			uint64_t u = zl_rng_u64(&rng) >> 11;

			if (ins->exclude_own_county && m->county[0] != '\0' &&
			    strcmp(m->county, task->county) == 0) {
				a->same_county++;
				continue;
			}
			if (in_sorted(m->conflicts, m->nconflicts, task->enterprise)) {
				a->conflicted++;
				continue;
			}
			a->eligible++;
			sel_feed(&sel, (uint32_t)j, u, ZL_DRAW_WEIGHT_ONE);
		}
		if (a->eligible < ins->per_task) {
			ins->fault.cand = ins->task_input[t];
			rc = zl_error_set(
				err, ZL_EUNPROC, "tasks",
				"task '%s': %zu inspector%s eligible, %u needed (%zu from the "
				"enterprise's county, %zu with a declared conflict)",
				task->id, a->eligible, a->eligible == 1 ? "" : "s", ins->per_task,
				a->same_county, a->conflicted);
			goto out;
		}
		rc = sel_finish(&sel);
		if (rc) {
			zl_error_set(err, rc, "",
				     rc == ZL_ENOMEM ? "out of memory"
						     : "draw: fewer ranked than needed");
			goto out;
		}
		for (unsigned k = 0; k < ins->per_task; k++) {
			a->member[k] = sel.e[k].j;
			a->u53[k] = sel.e[k].u53;
			a->neglog2[k] = sel.e[k].neglog2;
		}
	}
	res->ntasks = ins->ntasks;
out:
	zl_rng_release(&rng);
	sodium_memzero(key, sizeof(key));
	sel_release(&sel);
	return rc;
}

void zl_draw_inspector_result_release(struct zl_draw_inspector_result *res)
{
	free(res->tasks);
	memset(res, 0, sizeof(*res));
}
