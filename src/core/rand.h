/*
 * rand.h - the seeded, deterministic random source that domain code
 * receives explicitly, and unpredictable tokens for secrets.
 *
 * A struct zl_rng is the ChaCha20 keystream (IETF variant, libsodium's
 * crypto_stream_chacha20_ietf) under a 32-byte key, read from the start
 * in order.  The key comes from a seed: zl_rng_seed_str() hashes a seed
 * text with SHA-256, so publishing the seed text of a spot-check draw (for
 * example a lottery result or "2014-07-18 第3批") lets anyone reproduce
 * the draw bit for bit.  Block counter b uses nonce (b >> 32) encoded
 * little-endian in the first 8 nonce bytes and counter (uint32_t)b, so the
 * first 256 GiB of output are exactly crypto_stream_chacha20_ietf() with an
 * all-zero nonce.  Every function consumes the stream in a documented way,
 * so results are stable across platforms and releases: changing how a
 * function consumes bytes changes past draws and is a breaking change.
 *
 * Not thread-safe: one struct zl_rng per draw.  Call zl_core_init() first.
 */
#ifndef ZL_CORE_RAND_H
#define ZL_CORE_RAND_H

#include <stddef.h>
#include <stdint.h>

#define ZL_RNG_SEED_BYTES 32
#define ZL_RNG_BUF_BYTES 256

struct zl_rng {
	unsigned char key[ZL_RNG_SEED_BYTES];
	uint64_t block;			     /* next 64-byte keystream block */
	unsigned char buf[ZL_RNG_BUF_BYTES]; /* keystream not yet consumed */
	size_t pos;			     /* bytes of buf already used */
};

/* Start the stream for the 32-byte key `seed`. */
void zl_rng_seed(struct zl_rng *rng, const unsigned char seed[ZL_RNG_SEED_BYTES]);
/* Start the stream for key = SHA-256(seed_text) (the text's bytes, no NUL). */
void zl_rng_seed_str(struct zl_rng *rng, const char *seed_text);
/* Wipe the key and buffered keystream. */
void zl_rng_release(struct zl_rng *rng);

/* The next n keystream bytes. */
void zl_rng_bytes(struct zl_rng *rng, void *out, size_t n);
/* The next 8 keystream bytes as a little-endian integer. */
uint64_t zl_rng_u64(struct zl_rng *rng);
/*
 * Uniform integer in [0, bound), without modulo bias: draws u64 values and
 * rejects those below (2^64 mod bound), then returns value % bound.
 * bound 0 returns 0 and consumes nothing; bound 1 consumes one u64.
 */
uint64_t zl_rng_below(struct zl_rng *rng, uint64_t bound);
/* Uniform double in [0, 1) with 53 random bits: (u64 >> 11) * 2^-53. */
double zl_rng_unit(struct zl_rng *rng);
/*
 * Shuffle n elements of `size` bytes at `base` in place (Fisher-Yates:
 * for i = n-1 down to 1, swap element i with element zl_rng_below(i + 1)).
 */
void zl_rng_shuffle(struct zl_rng *rng, void *base, size_t n, size_t size);

/*
 * Fill out[0..n) with unpredictable bytes from the operating system
 * (libsodium randombytes_buf) for session ids, CSRF tokens and salts.
 * Never seeded, never reproducible: do not use for draws.
 */
void zl_random_token(unsigned char *out, size_t n);

#endif /* ZL_CORE_RAND_H */
