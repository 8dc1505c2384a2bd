/*
 * rand.c - ChaCha20 keystream random source and OS tokens (see rand.h).
 */
#include "core/rand.h"

#include <string.h>

#include <sodium.h>

#define BLOCK_BYTES 64

_Static_assert(ZL_RNG_BUF_BYTES % BLOCK_BYTES == 0, "buffer must hold whole blocks");
_Static_assert(crypto_stream_chacha20_ietf_KEYBYTES == ZL_RNG_SEED_BYTES, "key size");
_Static_assert(crypto_stream_chacha20_ietf_NONCEBYTES == 12, "nonce size");

/* Refill buf with the next ZL_RNG_BUF_BYTES of keystream. */
static void rng_refill(struct zl_rng *rng)
{
	unsigned char nonce[crypto_stream_chacha20_ietf_NONCEBYTES] = {0};
	uint64_t hi = rng->block >> 32;
	int i;

	for (i = 0; i < 8; i++)
		nonce[i] = (unsigned char)(hi >> (8 * i));
	/* XOR over zeros yields the keystream; the block counter continues from rng->block. */
	memset(rng->buf, 0, sizeof(rng->buf));
	crypto_stream_chacha20_ietf_xor_ic(rng->buf, rng->buf, sizeof(rng->buf), nonce,
					   (uint32_t)rng->block, rng->key);
	rng->block += sizeof(rng->buf) / BLOCK_BYTES;
	rng->pos = 0;
}

void zl_rng_seed(struct zl_rng *rng, const unsigned char seed[ZL_RNG_SEED_BYTES])
{
	memcpy(rng->key, seed, ZL_RNG_SEED_BYTES);
	rng->block = 0;
	rng->pos = sizeof(rng->buf); /* empty: refill on first use */
}

void zl_rng_seed_str(struct zl_rng *rng, const char *seed_text)
{
	unsigned char key[crypto_hash_sha256_BYTES];

	crypto_hash_sha256(key, (const unsigned char *)seed_text, strlen(seed_text));
	zl_rng_seed(rng, key);
	sodium_memzero(key, sizeof(key));
}

void zl_rng_release(struct zl_rng *rng)
{
	sodium_memzero(rng, sizeof(*rng));
	rng->pos = sizeof(rng->buf);
}

void zl_rng_bytes(struct zl_rng *rng, void *out, size_t n)
{
	unsigned char *o = out;
	size_t take;

	while (n > 0) {
		if (rng->pos >= sizeof(rng->buf))
			rng_refill(rng);
		take = sizeof(rng->buf) - rng->pos;
		if (take > n)
			take = n;
		memcpy(o, rng->buf + rng->pos, take);
		rng->pos += take;
		o += take;
		n -= take;
	}
}

uint64_t zl_rng_u64(struct zl_rng *rng)
{
	unsigned char b[8];
	uint64_t v = 0;
	int i;

	zl_rng_bytes(rng, b, sizeof(b));
	for (i = 7; i >= 0; i--)
		v = (v << 8) | b[i];
	return v;
}

uint64_t zl_rng_below(struct zl_rng *rng, uint64_t bound)
{
	uint64_t threshold, r;

	if (bound == 0)
		return 0;
	/* 2^64 mod bound: values below it would make low results more likely. */
	threshold = (0 - bound) % bound;
	do {
		r = zl_rng_u64(rng);
	} while (r < threshold);
	return r % bound;
}

double zl_rng_unit(struct zl_rng *rng)
{
	return (double)(zl_rng_u64(rng) >> 11) * (1.0 / 9007199254740992.0);
}

static void swap_bytes(unsigned char *a, unsigned char *b, size_t size)
{
	unsigned char tmp[64];
	size_t c;

	while (size > 0) {
		c = size < sizeof(tmp) ? size : sizeof(tmp);
		memcpy(tmp, a, c);
		memcpy(a, b, c);
		memcpy(b, tmp, c);
		a += c;
		b += c;
		size -= c;
	}
}

void zl_rng_shuffle(struct zl_rng *rng, void *base, size_t n, size_t size)
{
	unsigned char *p = base;
	size_t i, j;

	if (n < 2 || size == 0)
		return;
	for (i = n - 1; i > 0; i--) {
		j = (size_t)zl_rng_below(rng, (uint64_t)i + 1);
		if (j != i)
			swap_bytes(p + i * size, p + j * size, size);
	}
}

void zl_random_token(unsigned char *out, size_t n)
{
	randombytes_buf(out, n);
}
