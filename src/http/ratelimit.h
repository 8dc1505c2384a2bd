/*
 * ratelimit.h - token buckets per client address, for anonymous API
 * requests and login attempts (docs/permissions.md, "Rate limits").
 *
 * A bucket holds up to `burst` tokens and gains `per_min` tokens a minute;
 * a request takes one token or is refused with the seconds until a token
 * will be there.  Buckets live in a fixed-size hash table split into
 * stripes, each with its own mutex, so requests from different addresses
 * rarely contend and memory never grows with the number of addresses.
 * When a stripe is full, a bucket that has refilled completely (which is
 * the same as no bucket) is reused first, else the least recently used.
 *
 * The clock is a parameter (milliseconds of any monotonic clock), so tests
 * drive time by hand.  Thread-safe.
 */
#ifndef ZL_HTTP_RATELIMIT_H
#define ZL_HTTP_RATELIMIT_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

struct zl_ratelimit;

/* Longest key (client address text) that is told apart; longer keys are cut. */
#define ZL_RATELIMIT_KEY_MAX 64

/*
 * A limiter of `per_min` requests a minute with bursts of `burst` for each
 * key, in a table of about `capacity` buckets (rounded up; 0: 16384).
 * `per_min` 0 means no limit: *out is NULL, which zl_ratelimit_take()
 * accepts and always allows.  `burst` < 1 counts as 1.  Returns ZL_OK or
 * ZL_ENOMEM / ZL_EIO (mutex) in `err`.  Free with zl_ratelimit_free().
 */
int zl_ratelimit_new(int per_min, int burst, size_t capacity, struct zl_ratelimit **out,
		     struct zl_error *err);
/* Free a limiter; NULL is a no-op.  No request may be using it. */
void zl_ratelimit_free(struct zl_ratelimit *rl);

/*
 * Take one token from `key`'s bucket at time `now_ms`.  Returns 0 when the
 * request may proceed, else the whole seconds (>= 1, rounded up) until the
 * bucket will hold a token again: the Retry-After value.  A NULL limiter
 * always returns 0.  A clock that goes backwards is treated as standing still.
 */
int64_t zl_ratelimit_take(struct zl_ratelimit *rl, const char *key, int64_t now_ms);

#endif /* ZL_HTTP_RATELIMIT_H */
