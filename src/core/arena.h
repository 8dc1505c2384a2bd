/*
 * arena.h - a bump allocator for per-request (or per-command) memory.
 *
 * Everything allocated from an arena lives until zl_arena_reset() or
 * zl_arena_release(); nothing is freed individually.  Blocks are chained
 * from the heap; the total is capped by `max` (an allocation past it
 * returns NULL), so a hostile request cannot exhaust memory through it.
 * Allocations are aligned for any type (alignof(max_align_t)).
 * Not thread-safe: one arena per request or worker.
 */
#ifndef ZL_CORE_ARENA_H
#define ZL_CORE_ARENA_H

#include <stddef.h>

struct zl_arena_block;

struct zl_arena {
	struct zl_arena_block *head; /* current block; older blocks chained behind */
	size_t used_total;	     /* bytes handed out since the last reset */
	size_t max;		     /* cap on used_total */
	size_t block_size;	     /* default size of a new block */
};

/* Initialise without allocating; `max` caps the total handed out. */
void zl_arena_init(struct zl_arena *a, size_t max);
/* Return `n` bytes (uninitialised), or NULL past the cap or on OOM. */
void *zl_arena_alloc(struct zl_arena *a, size_t n);
/* Zero-filled variant; checks count*size for overflow. */
void *zl_arena_calloc(struct zl_arena *a, size_t count, size_t size);
/* Copies of strings (NUL-terminated results), or NULL. */
char *zl_arena_strdup(struct zl_arena *a, const char *s);
char *zl_arena_strndup(struct zl_arena *a, const char *s, size_t n);
/* Formatted string in the arena, or NULL. */
char *zl_arena_printf(struct zl_arena *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Forget all allocations, keeping the first block for reuse. */
void zl_arena_reset(struct zl_arena *a);
/* Free every block. The arena may be reused after zl_arena_init(). */
void zl_arena_release(struct zl_arena *a);

#endif /* ZL_CORE_ARENA_H */
