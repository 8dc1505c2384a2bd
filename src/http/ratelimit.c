/*
 * ratelimit.c - the striped token-bucket table of ratelimit.h.
 *
 * A key hashes (FNV-1a with a per-limiter random seed, so nobody can aim
 * many addresses at one stripe) to a stripe and a home slot; a bucket is
 * looked for in PROBE slots from there.  Only the stripe's mutex is held,
 * for a few dozen instructions.
 */
#include "http/ratelimit.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "core/buf.h"

#define STRIPES 64
#define PROBE 8

/*
 * Tokens are counted in exact integers: one token is 60000 units and a
 * bucket gains per_min units a millisecond, so no rounding drifts.
 */
#define UNIT 60000

struct bucket {
	char key[ZL_RATELIMIT_KEY_MAX];
	int64_t units;
	int64_t last_ms; /* last refill; 0: free slot */
};

struct stripe {
	pthread_mutex_t mu;
	struct bucket *slots;
};

struct zl_ratelimit {
	int64_t per_ms; /* units gained per millisecond (= tokens per minute) */
	int64_t cap;	/* burst in units */
	size_t nslots;	/* per stripe, a power of two */
	uint64_t seed;
	int nmutex; /* initialised mutexes, for free() after a failed new() */
	struct stripe stripes[STRIPES];
};

static uint64_t hash_key(uint64_t seed, const char *k)
{
	uint64_t h = 0xcbf29ce484222325ull ^ seed;

	for (; *k; k++) {
		h ^= (unsigned char)*k;
		h *= 0x100000001b3ull;
	}
	return h ^ (h >> 29);
}

int zl_ratelimit_new(int per_min, int burst, size_t capacity, struct zl_ratelimit **out,
		     struct zl_error *err)
{
	struct zl_ratelimit *rl;
	size_t per = 1;

	*out = NULL;
	if (per_min <= 0)
		return ZL_OK;
	if (!capacity)
		capacity = 16384;
	while (per * STRIPES < capacity && per < ((size_t)1 << 20))
		per <<= 1;
	if (per < PROBE)
		per = PROBE;
	rl = calloc(1, sizeof(*rl));
	if (!rl)
		return zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
	rl->per_ms = per_min;
	rl->cap = (int64_t)(burst < 1 ? 1 : burst) * UNIT;
	rl->nslots = per;
	if (getrandom(&rl->seed, sizeof(rl->seed), 0) != (ssize_t)sizeof(rl->seed))
		rl->seed = (uint64_t)(uintptr_t)rl;
	for (int i = 0; i < STRIPES; i++) {
		rl->stripes[i].slots = calloc(per, sizeof(struct bucket));
		if (!rl->stripes[i].slots) {
			zl_ratelimit_free(rl);
			return zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
		}
		if (pthread_mutex_init(&rl->stripes[i].mu, NULL)) {
			free(rl->stripes[i].slots);
			rl->stripes[i].slots = NULL;
			zl_ratelimit_free(rl);
			return zl_error_set(err, ZL_EIO, NULL, "cannot create a mutex");
		}
		rl->nmutex = i + 1;
	}
	*out = rl;
	return ZL_OK;
}

void zl_ratelimit_free(struct zl_ratelimit *rl)
{
	if (!rl)
		return;
	for (int i = 0; i < STRIPES; i++) {
		if (i < rl->nmutex)
			pthread_mutex_destroy(&rl->stripes[i].mu);
		free(rl->stripes[i].slots);
	}
	free(rl);
}

/* The units `b` holds at `now` (refilled, capped at the burst). */
static int64_t level(const struct zl_ratelimit *rl, const struct bucket *b, int64_t now)
{
	int64_t dt = now > b->last_ms ? now - b->last_ms : 0;

	/* A long pause refills completely; checking first avoids overflow. */
	if (dt >= rl->cap / rl->per_ms + 1)
		return rl->cap;
	return b->units + dt * rl->per_ms > rl->cap ? rl->cap : b->units + dt * rl->per_ms;
}

int64_t zl_ratelimit_take(struct zl_ratelimit *rl, const char *key, int64_t now_ms)
{
	char k[ZL_RATELIMIT_KEY_MAX];
	struct stripe *s;
	struct bucket *b = NULL, *victim = NULL;
	uint64_t h;
	size_t home;
	int64_t wait = 0;
	int victim_rank = 3;

	if (!rl)
		return 0;
	/* 0 marks a free slot: keep real times positive. */
	if (now_ms < 1)
		now_ms = 1;
	zl_strlcpy(k, key ? key : "", sizeof(k));
	h = hash_key(rl->seed, k);
	s = &rl->stripes[h % STRIPES];
	home = (size_t)(h / STRIPES);
	pthread_mutex_lock(&s->mu);
	for (size_t i = 0; i < PROBE; i++) {
		struct bucket *c = &s->slots[(home + i) & (rl->nslots - 1)];
		int rank;

		if (c->last_ms && !strcmp(c->key, k)) {
			b = c;
			break;
		}
		/* Reuse a free slot, else a full bucket (no state lost), else the oldest. */
		rank = !c->last_ms ? 0 : level(rl, c, now_ms) >= rl->cap ? 1 : 2;
		if (!victim || rank < victim_rank ||
		    (rank == victim_rank && c->last_ms < victim->last_ms)) {
			victim = c;
			victim_rank = rank;
		}
	}
	if (!b) {
		b = victim;
		memcpy(b->key, k, sizeof(k));
		b->units = rl->cap;
		b->last_ms = now_ms;
	}
	b->units = level(rl, b, now_ms);
	if (now_ms > b->last_ms)
		b->last_ms = now_ms;
	if (b->units >= UNIT) {
		b->units -= UNIT;
	} else {
		int64_t ms = (UNIT - b->units + rl->per_ms - 1) / rl->per_ms;

		wait = (ms + 999) / 1000; /* rounded up, >= 1 since ms >= 1 */
	}
	pthread_mutex_unlock(&s->mu);
	return wait;
}
