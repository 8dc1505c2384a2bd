/*
 * postings.c - sorted id lists of the name index: the varint blob codec,
 * set operations and the in-memory gram builder (see postings.h).
 */
#include "domain/postings.h"

#include <stdlib.h>
#include <string.h>

#include "domain/grams.h"

/* ---- id lists ------------------------------------------------------------ */

void zl_ids_release(struct zl_ids *l)
{
	free(l->v);
	l->v = NULL;
	l->n = 0;
	l->cap = 0;
}

void zl_ids_clear(struct zl_ids *l)
{
	l->n = 0;
}

int zl_ids_reserve(struct zl_ids *l, size_t n)
{
	uint64_t *v;

	if (n <= l->cap)
		return ZL_OK;
	if (n > SIZE_MAX / sizeof *v)
		return ZL_ENOMEM;
	v = realloc(l->v, n * sizeof *v);
	if (!v)
		return ZL_ENOMEM;
	l->v = v;
	l->cap = n;
	return ZL_OK;
}

/* Room for `more` ids beyond n, growing the capacity geometrically. */
static int ids_grow(struct zl_ids *l, size_t more)
{
	size_t want, cap;

	if (more > SIZE_MAX - l->n)
		return ZL_ENOMEM;
	want = l->n + more;
	if (want <= l->cap)
		return ZL_OK;
	cap = l->cap < 8 ? 8 : l->cap;
	while (cap < want)
		cap = cap > SIZE_MAX / 2 ? want : cap * 2;
	return zl_ids_reserve(l, cap);
}

int zl_ids_push(struct zl_ids *l, uint64_t id)
{
	if (l->n == l->cap && ids_grow(l, 1) != ZL_OK)
		return ZL_ENOMEM;
	l->v[l->n++] = id;
	return ZL_OK;
}

static void insertion_sort(uint64_t *v, size_t n)
{
	size_t i, j;

	for (i = 1; i < n; i++) {
		uint64_t x = v[i];

		for (j = i; j > 0 && v[j - 1] > x; j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/*
 * LSD radix sort by bytes; the passes whose byte is the same in every id
 * are skipped (ids below 2^32 take at most four).  Falls back to qsort
 * when the scratch buffer cannot be had.
 */
static void radix_sort(uint64_t *v, size_t n)
{
	size_t(*count)[256];
	uint64_t *tmp, *src, *dst;
	size_t i, sum;
	unsigned pass;

	tmp = malloc(n * sizeof *tmp);
	count = calloc(8, sizeof *count);
	if (!tmp || !count) {
		free(tmp);
		free(count);
		qsort(v, n, sizeof *v, cmp_u64);
		return;
	}
	for (i = 0; i < n; i++) {
		uint64_t x = v[i];

		for (pass = 0; pass < 8; pass++)
			count[pass][(x >> (8 * pass)) & 0xFF]++;
	}
	src = v;
	dst = tmp;
	for (pass = 0; pass < 8; pass++) {
		size_t *c = count[pass];
		unsigned shift = 8 * pass;

		if (c[(src[0] >> shift) & 0xFF] == n)
			continue; /* every id has the same byte here */
		sum = 0;
		for (i = 0; i < 256; i++) {
			size_t t = c[i];

			c[i] = sum;
			sum += t;
		}
		for (i = 0; i < n; i++) {
			uint64_t x = src[i];

			dst[c[(x >> shift) & 0xFF]++] = x;
		}
		{
			uint64_t *t = src;

			src = dst;
			dst = t;
		}
	}
	if (src != v)
		memcpy(v, src, n * sizeof *v);
	free(tmp);
	free(count);
}

/* Sort v[0..n) and drop duplicates; returns the new length. */
static size_t sort_unique(uint64_t *v, size_t n)
{
	size_t i, k;

	if (n < 2)
		return n;
	for (i = 1; i < n && v[i - 1] < v[i]; i++)
		;
	if (i == n)
		return n; /* already strictly increasing (the common case) */
	if (n <= 64)
		insertion_sort(v, n);
	else
		radix_sort(v, n);
	for (i = 1, k = 1; i < n; i++)
		if (v[i] != v[k - 1])
			v[k++] = v[i];
	return k;
}

void zl_ids_sort_unique(struct zl_ids *l)
{
	l->n = sort_unique(l->v, l->n);
}

/* Index of the first element of v[lo..n) that is >= x (n when none). */
static size_t lower_bound(const uint64_t *v, size_t lo, size_t n, uint64_t x)
{
	size_t hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (v[mid] < x)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

int zl_ids_contains(const struct zl_ids *l, uint64_t id)
{
	size_t i = lower_bound(l->v, 0, l->n, id);

	return i < l->n && l->v[i] == id;
}

/* Galloping intersection: each id of the short list is sought in the long. */
static size_t intersect_gallop(const uint64_t *s, size_t sn, const uint64_t *g, size_t gn,
			       uint64_t *o)
{
	size_t i, j = 0, k = 0;

	for (i = 0; i < sn && j < gn; i++) {
		uint64_t x = s[i];
		size_t step = 1, hi;

		if (g[j] < x) {
			/* exponential search for a bound, then binary search */
			size_t lo = j;

			while (lo + step < gn && g[lo + step] < x) {
				lo += step;
				step *= 2;
			}
			hi = lo + step < gn ? lo + step + 1 : gn;
			j = lower_bound(g, lo + 1, hi, x);
			if (j == gn)
				break;
		}
		if (g[j] == x) {
			o[k++] = x;
			j++;
		}
	}
	return k;
}

static size_t intersect_merge(const uint64_t *a, size_t an, const uint64_t *b, size_t bn,
			      uint64_t *o)
{
	size_t i = 0, j = 0, k = 0;

	while (i < an && j < bn) {
		uint64_t x = a[i], y = b[j];

		if (x == y)
			o[k++] = x;
		i += x <= y;
		j += y <= x;
	}
	return k;
}

int zl_ids_intersect(const struct zl_ids *a, const struct zl_ids *b, struct zl_ids *out)
{
	const struct zl_ids *s = a->n <= b->n ? a : b, *g = s == a ? b : a;

	zl_ids_clear(out);
	if (s->n == 0)
		return ZL_OK;
	if (zl_ids_reserve(out, s->n) != ZL_OK)
		return ZL_ENOMEM;
	if (s->n <= g->n / 32)
		out->n = intersect_gallop(s->v, s->n, g->v, g->n, out->v);
	else
		out->n = intersect_merge(a->v, a->n, b->v, b->n, out->v);
	return ZL_OK;
}

int zl_ids_union(const struct zl_ids *a, const struct zl_ids *b, struct zl_ids *out)
{
	size_t i = 0, j = 0, k = 0;
	uint64_t *o;

	zl_ids_clear(out);
	if (a->n > SIZE_MAX - b->n || zl_ids_reserve(out, a->n + b->n) != ZL_OK)
		return ZL_ENOMEM;
	o = out->v;
	if (a->n + b->n == 0)
		return ZL_OK;
	while (i < a->n && j < b->n) {
		uint64_t x = a->v[i], y = b->v[j];

		o[k++] = x <= y ? x : y;
		i += x <= y;
		j += y <= x;
	}
	if (i < a->n) {
		memcpy(o + k, a->v + i, (a->n - i) * sizeof *o);
		k += a->n - i;
	}
	if (j < b->n) {
		memcpy(o + k, b->v + j, (b->n - j) * sizeof *o);
		k += b->n - j;
	}
	out->n = k;
	return ZL_OK;
}

/* ---- codec --------------------------------------------------------------- */

/* A gap is below 2^63 (ids are at most ZL_EID_MAX), so 9 varint bytes. */
#define GAP_BYTES_MAX 9
#define HEADER_BYTES_MAX 11 /* format byte + a 10-byte count */

size_t zl_postings_bound(size_t n)
{
	if (n > (SIZE_MAX - HEADER_BYTES_MAX) / GAP_BYTES_MAX)
		return SIZE_MAX;
	return HEADER_BYTES_MAX + n * GAP_BYTES_MAX;
}

static uint8_t *put_varint(uint8_t *o, uint64_t x)
{
	while (x >= 0x80) {
		*o++ = (uint8_t)(x | 0x80);
		x >>= 7;
	}
	*o++ = (uint8_t)x;
	return o;
}

size_t zl_postings_encode(const uint64_t *ids, size_t n, uint8_t *out)
{
	uint8_t *o = out;
	uint64_t prev = 0;
	size_t i;

	if ((uint64_t)n > ZL_POSTINGS_MAX)
		return 0;
	*o++ = ZL_POSTINGS_FORMAT;
	o = put_varint(o, (uint64_t)n);
	for (i = 0; i < n; i++) {
		uint64_t id = ids[i];

		if (id <= prev || id > ZL_EID_MAX)
			return 0;
		if (id - prev < 0x80)
			*o++ = (uint8_t)(id - prev);
		else
			o = put_varint(o, id - prev);
		prev = id;
	}
	return (size_t)(o - out);
}

/*
 * Read one varint at p[*pos..len): 0 and the value in *x, or -1 when it is
 * cut short, longer than 10 bytes, overflows 64 bits or is not in its
 * shortest form (a final zero byte after the first), with the reason in
 * *why.
 */
static int get_varint(const uint8_t *p, size_t len, size_t *pos, uint64_t *x, const char **why)
{
	size_t i = *pos;
	uint64_t v = 0;
	unsigned shift;

	for (shift = 0; shift < 70; shift += 7) {
		uint8_t c;

		if (i >= len) {
			*why = "truncated varint";
			return -1;
		}
		c = p[i++];
		if (shift == 63 && c > 1) {
			*why = c & 0x80 ? "varint longer than 10 bytes"
					: "varint overflows 64 bits";
			return -1;
		}
		v |= (uint64_t)(c & 0x7F) << shift;
		if (!(c & 0x80)) {
			if (c == 0 && shift > 0) {
				*why = "varint not in shortest form";
				return -1;
			}
			*pos = i;
			*x = v;
			return 0;
		}
	}
	*why = "varint longer than 10 bytes";
	return -1;
}

/* Header: format byte and count; the offset of the first gap in *pos. */
static int read_header(const uint8_t *p, size_t len, uint64_t *n, size_t *pos, struct zl_error *err)
{
	const char *why = NULL;

	*pos = 0;
	if (len == 0 || !p)
		return zl_error_set(err, ZL_EINVAL, "postings", "empty postings blob");
	if (p[0] != ZL_POSTINGS_FORMAT)
		return zl_error_set(err, ZL_EINVAL, "postings", "unknown postings format %u",
				    (unsigned)p[0]);
	*pos = 1;
	if (get_varint(p, len, pos, n, &why) != 0)
		return zl_error_set(err, ZL_EINVAL, "postings", "bad id count: %s", why);
	if (*n > ZL_POSTINGS_MAX)
		return zl_error_set(err, ZL_EINVAL, "postings", "id count %llu exceeds the limit",
				    (unsigned long long)*n);
	if (*n > len - *pos)
		return zl_error_set(err, ZL_EINVAL, "postings",
				    "id count %llu exceeds the %zu bytes that follow",
				    (unsigned long long)*n, len - *pos);
	return ZL_OK;
}

int zl_postings_count(const uint8_t *p, size_t len, uint64_t *n, struct zl_error *err)
{
	uint64_t c;
	size_t pos;
	int rc = read_header(p, len, &c, &pos, err);

	if (rc == ZL_OK)
		*n = c;
	return rc;
}

#define ONES8 UINT64_C(0x0101010101010101)
#define HIGH8 UINT64_C(0x8080808080808080)

static uint64_t load_le64(const uint8_t *p)
{
	uint64_t w;

	memcpy(&w, p, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	w = __builtin_bswap64(w);
#endif
	return w;
}

int zl_postings_decode(const uint8_t *p, size_t len, struct zl_ids *out, struct zl_error *err)
{
	uint64_t n, prev = 0, gap;
	size_t pos, i = 0, base, stop;
	uint64_t *o;
	const char *why = NULL;
	int rc = read_header(p, len, &n, &pos, err);

	if (rc != ZL_OK)
		return rc;
	if (n == 0) {
		if (pos != len)
			return zl_error_set(err, ZL_EINVAL, "postings",
					    "trailing bytes after an empty list");
		return ZL_OK;
	}
	/* n <= len - pos, so it fits size_t; reserve exactly once */
	if ((size_t)n > SIZE_MAX - out->n || zl_ids_reserve(out, out->n + (size_t)n) != ZL_OK)
		return zl_error_set(err, ZL_ENOMEM, "postings", "out of memory");
	base = out->n;
	o = out->v + base;
	while (i < n) {
		/* Fast path: eight one-byte gaps (no high bit, no zero byte). */
		while (n - i >= 8 && len - pos >= 8) {
			uint64_t w = load_le64(p + pos);

			if ((w & HIGH8) || ((w - ONES8) & HIGH8))
				break;
			o[i] = prev + (w & 0x7F);
			o[i + 1] = o[i] + ((w >> 8) & 0x7F);
			o[i + 2] = o[i + 1] + ((w >> 16) & 0x7F);
			o[i + 3] = o[i + 2] + ((w >> 24) & 0x7F);
			o[i + 4] = o[i + 3] + ((w >> 32) & 0x7F);
			o[i + 5] = o[i + 4] + ((w >> 40) & 0x7F);
			o[i + 6] = o[i + 5] + ((w >> 48) & 0x7F);
			o[i + 7] = o[i + 6] + (w >> 56);
			prev = o[i + 7];
			/* no overflow: prev <= ZL_EID_MAX before, plus at most 8 * 127 */
			if (prev > ZL_EID_MAX) {
				why = "id exceeds the maximum";
				goto bad;
			}
			i += 8;
			pos += 8;
		}
		/* General path: up to eight varints of any length. */
		for (stop = n - i < 8 ? (size_t)n : i + 8; i < stop; i++) {
			if (len - pos >= 10) {
				/* ten bytes are there: no bounds check per byte */
				const uint8_t *q = p + pos;
				uint64_t c = q[0];
				unsigned k = 1;

				gap = c & 0x7F;
				while (c & 0x80) {
					if (k == 10)
						goto slow; /* longer than 10 bytes */
					c = q[k];
					gap |= (c & 0x7F) << (7 * k);
					k++;
				}
				if ((c == 0 && k > 1) || (k == 10 && c > 1))
					goto slow; /* not shortest, or past 64 bits */
				pos += k;
			} else if (pos < len && p[pos] < 0x80) {
				gap = p[pos++];
			} else {
			slow:
				if (get_varint(p, len, &pos, &gap, &why) != 0)
					goto bad;
			}
			if (gap == 0) {
				why = "zero gap (ids not strictly increasing)";
				goto bad;
			}
			if (gap > ZL_EID_MAX - prev) {
				why = "id exceeds the maximum";
				goto bad;
			}
			prev += gap;
			o[i] = prev;
		}
	}
	if (pos != len) {
		why = "trailing bytes after the last id";
		i = (size_t)n;
		goto bad;
	}
	out->n = base + (size_t)n;
	return ZL_OK;
bad:
	return zl_error_set(err, ZL_EINVAL, "postings", "malformed postings blob at id %zu: %s", i,
			    why);
}

/* ---- gram builder -------------------------------------------------------- */

/* Gram keys are at most this many bytes (ZL_GRAM_SIZE less the NUL). */
#define KEY_BYTES (ZL_GRAM_SIZE - 1)
/* Ids stay 32-bit in a list until one does not fit. */
#define INLINE_IDS 2

/*
 * One distinct gram: its bytes zero-padded (no NUL inside a gram, so
 * memcmp order is strcmp order), and its id list.  A list of up to
 * INLINE_IDS 32-bit ids lives in the entry itself (cap 0); longer lists
 * live in the slab (small) or the heap (large), as 32-bit ids (`wide` 0)
 * while every id fits, else 64-bit.  32 bytes.
 */
struct gram_ent {
	char key[KEY_BYTES];
	uint32_t n;
	union {
		uint32_t in[INLINE_IDS];
		uint32_t *v32;
		uint64_t *v64;
		void *p;
	} u;
	uint32_t cap;  /* ids the block holds; 0: inline */
	uint32_t wide; /* 1: 64-bit ids */
};
_Static_assert(sizeof(struct gram_ent) == 32, "a gram entry takes 32 bytes");

/*
 * Blocks of up to SLAB_MAX bytes come from chunks (8 KiB, doubling up to
 * 1 MiB), in power-of-two classes from 16 bytes, with one free list per class (a block that grows
 * goes back to its list), so small lists cost no malloc header.
 */
#define SLAB_CLASSES 8 /* 16 .. 2048 bytes */
#define SLAB_MIN 16
#define SLAB_MAX (SLAB_MIN << (SLAB_CLASSES - 1))
#define SLAB_CHUNK ((size_t)1 << 20)
#define SLAB_FIRST ((size_t)1 << 13) /* chunks double from 8 KiB up to SLAB_CHUNK */

struct slab_chunk {
	struct slab_chunk *next;
	size_t size, used;
	max_align_t data[];
};

struct zl_gram_builder {
	struct gram_ent *ent; /* distinct grams, in order of arrival */
	size_t nent, capent;
	uint32_t *slot; /* open addressing: entry index + 1, 0 empty */
	size_t nslot;	/* a power of two, at least 2 * nent */
	size_t postings;
	struct slab_chunk *chunks;
	void *freelist[SLAB_CLASSES];
	struct zl_ids scratch; /* the list handed to the drain callback */
};

static unsigned slab_class(size_t bytes)
{
	unsigned c = 0;

	while ((size_t)SLAB_MIN << c < bytes)
		c++;
	return c;
}

static void *block_alloc(struct zl_gram_builder *b, size_t bytes)
{
	unsigned c;
	size_t sz;
	void *blk;

	if (bytes > SLAB_MAX)
		return malloc(bytes);
	c = slab_class(bytes);
	sz = (size_t)SLAB_MIN << c;
	if (b->freelist[c]) {
		blk = b->freelist[c];
		memcpy(&b->freelist[c], blk, sizeof(void *));
		return blk;
	}
	if (!b->chunks || b->chunks->size - b->chunks->used < sz) {
		size_t size = !b->chunks		     ? SLAB_FIRST
			      : b->chunks->size < SLAB_CHUNK ? b->chunks->size * 2
							     : SLAB_CHUNK;
		struct slab_chunk *ch = malloc(sizeof *ch + size);

		if (!ch)
			return NULL;
		ch->size = size;
		ch->next = b->chunks;
		ch->used = 0;
		b->chunks = ch;
	}
	blk = (char *)b->chunks->data + b->chunks->used;
	b->chunks->used += sz;
	return blk;
}

static void block_free(struct zl_gram_builder *b, void *blk, size_t bytes)
{
	unsigned c;

	if (bytes > SLAB_MAX) {
		free(blk);
		return;
	}
	c = slab_class(bytes);
	memcpy(blk, &b->freelist[c], sizeof(void *));
	b->freelist[c] = blk;
}

static size_t ent_bytes(const struct gram_ent *e)
{
	return (size_t)e->cap * (e->wide ? sizeof(uint64_t) : sizeof(uint32_t));
}

int zl_gram_builder_new(struct zl_gram_builder **out)
{
	struct zl_gram_builder *b = calloc(1, sizeof *b);

	*out = NULL;
	if (!b)
		return ZL_ENOMEM;
	b->nslot = 1024;
	b->slot = calloc(b->nslot, sizeof *b->slot);
	if (!b->slot) {
		free(b);
		return ZL_ENOMEM;
	}
	*out = b;
	return ZL_OK;
}

/* Drop every gram and list; keeps the table and entry array for reuse. */
static void builder_empty(struct zl_gram_builder *b)
{
	size_t i;

	for (i = 0; i < b->nent; i++)
		if (ent_bytes(&b->ent[i]) > SLAB_MAX)
			free(b->ent[i].u.p);
	while (b->chunks) {
		struct slab_chunk *next = b->chunks->next;

		free(b->chunks);
		b->chunks = next;
	}
	memset(b->freelist, 0, sizeof b->freelist);
	memset(b->slot, 0, b->nslot * sizeof *b->slot);
	b->nent = 0;
	b->postings = 0;
}

void zl_gram_builder_free(struct zl_gram_builder *b)
{
	if (!b)
		return;
	builder_empty(b);
	free(b->slot);
	free(b->ent);
	zl_ids_release(&b->scratch);
	free(b);
}

size_t zl_gram_builder_postings(const struct zl_gram_builder *b)
{
	return b->postings;
}

size_t zl_gram_builder_grams(const struct zl_gram_builder *b)
{
	return b->nent;
}

static uint64_t be64(uint64_t x)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	return x;
#else
	return __builtin_bswap64(x);
#endif
}

static uint32_t be32(uint32_t x)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	return x;
#else
	return __builtin_bswap32(x);
#endif
}

static int key_eq(const char *x, const char *y)
{
	uint64_t a0, b0;
	uint32_t a1, b1;

	memcpy(&a0, x, 8);
	memcpy(&b0, y, 8);
	memcpy(&a1, x + 8, 4);
	memcpy(&b1, y + 8, 4);
	return a0 == b0 && a1 == b1;
}

static uint64_t key_hash(const char key[KEY_BYTES])
{
	uint64_t lo, hi = 0, h;

	memcpy(&lo, key, 8);
	memcpy(&hi, key + 8, KEY_BYTES - 8);
	h = (lo ^ (hi * UINT64_C(0x9E3779B97F4A7C15))) * UINT64_C(0xD6E8FEB86659FD93);
	h ^= h >> 32;
	h *= UINT64_C(0xD6E8FEB86659FD93);
	h ^= h >> 29;
	return h;
}

static int table_grow(struct zl_gram_builder *b)
{
	size_t nslot = b->nslot * 2, i, mask = nslot - 1;
	uint32_t *slot;

	if (nslot > SIZE_MAX / sizeof *slot)
		return ZL_ENOMEM;
	slot = calloc(nslot, sizeof *slot);
	if (!slot)
		return ZL_ENOMEM;
	for (i = 0; i < b->nent; i++) {
		size_t h = (size_t)key_hash(b->ent[i].key) & mask;

		while (slot[h])
			h = (h + 1) & mask;
		slot[h] = (uint32_t)(i + 1);
	}
	free(b->slot);
	b->slot = slot;
	b->nslot = nslot;
	return ZL_OK;
}

/* The entry of key (creating it); NULL when out of memory. */
static struct gram_ent *lookup(struct zl_gram_builder *b, const char key[KEY_BYTES], uint64_t hash)
{
	size_t mask = b->nslot - 1, h = (size_t)hash & mask;
	struct gram_ent *e;
	uint32_t s;

	while ((s = b->slot[h]) != 0) {
		e = &b->ent[s - 1];
		if (key_eq(e->key, key))
			return e;
		h = (h + 1) & mask;
	}
	if (b->nent >= UINT32_MAX - 1)
		return NULL;
	if (b->nent == b->capent) {
		size_t cap = b->capent ? b->capent + b->capent / 2 : 1024;
		struct gram_ent *ne;

		if (cap > SIZE_MAX / sizeof *ne)
			return NULL;
		ne = realloc(b->ent, cap * sizeof *ne);
		if (!ne)
			return NULL;
		b->ent = ne;
		b->capent = cap;
	}
	if ((b->nent + 1) * 2 > b->nslot) {
		if (table_grow(b) != ZL_OK)
			return NULL;
		mask = b->nslot - 1;
		h = (size_t)hash & mask;
		while (b->slot[h])
			h = (h + 1) & mask;
	}
	e = &b->ent[b->nent];
	memset(e, 0, sizeof *e);
	memcpy(e->key, key, KEY_BYTES);
	b->slot[h] = (uint32_t)(++b->nent);
	return e;
}

static uint64_t ent_last(const struct gram_ent *e)
{
	if (e->cap == 0)
		return e->u.in[e->n - 1];
	return e->wide ? e->u.v64[e->n - 1] : e->u.v32[e->n - 1];
}

/* Move e's list to a block of cap ids, 64-bit when wide. */
static int ent_move(struct zl_gram_builder *b, struct gram_ent *e, size_t cap, int wide)
{
	size_t bytes = cap * (wide ? sizeof(uint64_t) : sizeof(uint32_t)), i;
	void *blk;
	const uint32_t *v32;

	if (cap > UINT32_MAX)
		return ZL_ENOMEM;
	blk = block_alloc(b, bytes);
	if (!blk)
		return ZL_ENOMEM;
	v32 = e->cap == 0 ? e->u.in : e->u.v32;
	if (e->wide)
		memcpy(blk, e->u.v64, e->n * sizeof(uint64_t));
	else if (!wide)
		memcpy(blk, v32, e->n * sizeof(uint32_t));
	else
		for (i = 0; i < e->n; i++)
			((uint64_t *)blk)[i] = v32[i];
	if (e->cap)
		block_free(b, e->u.p, ent_bytes(e));
	e->u.p = blk;
	e->cap = (uint32_t)cap;
	e->wide = (uint32_t)wide;
	return ZL_OK;
}

/* Add id to gram key (KEY_BYTES bytes, zero-padded). */
static int add_key(struct zl_gram_builder *b, const char key[KEY_BYTES], uint64_t hash, uint64_t id)
{
	struct gram_ent *e = lookup(b, key, hash);
	int wide;

	if (!e)
		return ZL_ENOMEM;
	b->postings++;
	if (e->n > 0 && ent_last(e) == id)
		return ZL_OK; /* the same id again (a name and a former name) */
	wide = e->wide || id > UINT32_MAX;
	if (e->n == (e->cap ? e->cap : INLINE_IDS) || wide != (int)e->wide) {
		size_t cap = e->cap ? e->cap : INLINE_IDS;

		if (e->n == cap)
			cap *= 2;
		if (ent_move(b, e, cap, wide) != ZL_OK) {
			b->postings--;
			return ZL_ENOMEM;
		}
	}
	if (e->wide)
		e->u.v64[e->n++] = id;
	else if (e->cap)
		e->u.v32[e->n++] = (uint32_t)id;
	else
		e->u.in[e->n++] = (uint32_t)id;
	return ZL_OK;
}

/* The zero-padded key of a gram; 0 when it is empty or too long. */
static int make_key(const char *gram, char key[KEY_BYTES])
{
	size_t len = strnlen(gram, ZL_GRAM_SIZE);

	if (len >= ZL_GRAM_SIZE || len == 0)
		return 0;
	memset(key, 0, KEY_BYTES);
	memcpy(key, gram, len);
	return 1;
}

int zl_gram_builder_add(struct zl_gram_builder *b, const char *gram, uint64_t id)
{
	char key[KEY_BYTES];

	if (!make_key(gram, key) || id == 0 || id > ZL_EID_MAX)
		return ZL_EINVAL;
	return add_key(b, key, key_hash(key), id);
}

/*
 * A name's grams go in as one batch: their table slots, then their entries,
 * then the ends of their id lists are prefetched before any is touched, so
 * the cache misses of a large builder overlap instead of queueing.
 */
int zl_gram_builder_add_name(struct zl_gram_builder *b, const char *name, uint64_t id)
{
	/* zl_name_grams() zero-pads its slots: the first KEY_BYTES bytes of one are its key. */
	char key[ZL_NAME_GRAMS_MAX][ZL_GRAM_SIZE];
	uint64_t hash[ZL_NAME_GRAMS_MAX];
	size_t n = zl_name_grams(name, strlen(name), key, ZL_NAME_GRAMS_MAX), i, mask;
	int rc;

	if (id == 0 || id > ZL_EID_MAX)
		return ZL_EINVAL;
	mask = b->nslot - 1;
	for (i = 0; i < n; i++) {
		if (key[i][0] == '\0' || key[i][KEY_BYTES] != '\0')
			return ZL_EINVAL; /* cannot happen: grams are 1..12 bytes */
		hash[i] = key_hash(key[i]);
		__builtin_prefetch(&b->slot[hash[i] & mask]);
	}
	for (i = 0; i < n; i++) {
		uint32_t s = b->slot[hash[i] & mask];

		if (s)
			__builtin_prefetch(&b->ent[s - 1]);
	}
	for (i = 0; i < n; i++) {
		uint32_t s = b->slot[hash[i] & mask];
		const struct gram_ent *e = s ? &b->ent[s - 1] : NULL;

		if (e && e->cap && e->n && key_eq(e->key, key[i]))
			__builtin_prefetch((const char *)e->u.p +
						   (e->n - 1) * (e->wide ? sizeof(uint64_t)
									 : sizeof(uint32_t)),
					   1);
	}
	for (i = 0; i < n; i++) {
		rc = add_key(b, key[i], hash[i], id);
		if (rc != ZL_OK)
			return rc;
	}
	return ZL_OK;
}

/* Byte order of two keys (strcmp order, as keys are zero-padded). */
static int key_less(const struct gram_ent *x, const struct gram_ent *y)
{
	uint64_t a0, b0;
	uint32_t a1, b1;

	memcpy(&a0, x->key, 8);
	memcpy(&b0, y->key, 8);
	if (a0 != b0)
		return be64(a0) < be64(b0);
	memcpy(&a1, x->key + 8, 4);
	memcpy(&b1, y->key + 8, 4);
	return be32(a1) < be32(b1);
}

static void ent_swap(struct gram_ent *x, struct gram_ent *y)
{
	struct gram_ent t = *x;

	*x = *y;
	*y = t;
}

static void ent_sift(struct gram_ent *v, size_t i, size_t n)
{
	for (;;) {
		size_t c = 2 * i + 1;

		if (c >= n)
			return;
		if (c + 1 < n && key_less(&v[c], &v[c + 1]))
			c++;
		if (!key_less(&v[i], &v[c]))
			return;
		ent_swap(&v[i], &v[c]);
		i = c;
	}
}

/*
 * Introsort of the entries in place by key (the keys are distinct): the
 * table of a builder can hold tens of millions of grams, and qsort would
 * allocate a copy of them.
 */
static void ent_sort(struct gram_ent *v, size_t n, unsigned depth)
{
	size_t i, j;

	while (n > 16) {
		struct gram_ent pivot;
		size_t m = n / 2;

		if (depth-- == 0) {
			for (i = n / 2; i-- > 0;)
				ent_sift(v, i, n);
			for (i = n; --i > 0;) {
				ent_swap(&v[0], &v[i]);
				ent_sift(v, 0, i);
			}
			return;
		}
		if (key_less(&v[m], &v[0]))
			ent_swap(&v[m], &v[0]);
		if (key_less(&v[n - 1], &v[m])) {
			ent_swap(&v[n - 1], &v[m]);
			if (key_less(&v[m], &v[0]))
				ent_swap(&v[m], &v[0]);
		}
		pivot = v[m];
		/* Hoare partition: v[0..j] <= pivot <= v[j+1..n), both non-empty */
		i = (size_t)-1;
		j = n;
		for (;;) {
			do
				i++;
			while (key_less(&v[i], &pivot));
			do
				j--;
			while (key_less(&pivot, &v[j]));
			if (i >= j)
				break;
			ent_swap(&v[i], &v[j]);
		}
		j++;
		if (j < n - j) {
			ent_sort(v, j, depth);
			v += j;
			n -= j;
		} else {
			ent_sort(v + j, n - j, depth);
			n = j;
		}
	}
	for (i = 1; i < n; i++) {
		struct gram_ent x = v[i];

		for (j = i; j > 0 && key_less(&x, &v[j - 1]); j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
}

int zl_gram_builder_drain(struct zl_gram_builder *b, zl_gram_postings_fn *fn, void *cls)
{
	size_t i, j, maxn = 0;
	int rc = ZL_OK;

	for (i = 0; i < b->nent; i++)
		if (b->ent[i].n > maxn)
			maxn = b->ent[i].n;
	/* The only allocation, before anything changes: ENOMEM keeps the builder. */
	if (zl_ids_reserve(&b->scratch, maxn) != ZL_OK)
		return ZL_ENOMEM;
	/* Sorting the entries in place breaks the table, rebuilt empty below. */
	ent_sort(b->ent, b->nent, 2 * 64);
	for (i = 0; i < b->nent && rc == 0; i++) {
		const struct gram_ent *e = &b->ent[i];
		const uint32_t *v32 = e->cap == 0 ? e->u.in : e->u.v32;
		uint64_t *v = b->scratch.v;
		char gram[ZL_GRAM_SIZE];

		if (e->n == 0)
			continue; /* left by a failed add */
		if (e->wide)
			memcpy(v, e->u.v64, e->n * sizeof *v);
		else
			for (j = 0; j < e->n; j++)
				v[j] = v32[j];
		b->scratch.n = sort_unique(v, e->n);
		memcpy(gram, e->key, KEY_BYTES);
		gram[KEY_BYTES] = '\0';
		rc = fn(cls, gram, v, b->scratch.n);
	}
	builder_empty(b);
	return rc;
}
