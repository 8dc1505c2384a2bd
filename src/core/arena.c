/*
 * arena.c - the bump allocator of arena.h.
 *
 * Blocks come from malloc and are chained newest first.  A request larger
 * than a quarter of the default block size gets a block of its own, linked
 * behind the current one, so a single big allocation does not waste the
 * rest of the current block.  zl_arena_reset() keeps the oldest block of
 * the default size, so a worker reusing its arena stops calling malloc
 * once warm.
 */
#include "core/arena.h"

#include <stdalign.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_ALIGN alignof(max_align_t)
#define ARENA_DEFAULT_BLOCK ((size_t)16 * 1024)

struct zl_arena_block {
	struct zl_arena_block *next; /* older block */
	size_t size;		     /* usable bytes in data[] */
	size_t used;
	max_align_t data[];
};

void zl_arena_init(struct zl_arena *a, size_t max)
{
	a->head = NULL;
	a->used_total = 0;
	a->max = max;
	a->block_size = ARENA_DEFAULT_BLOCK;
	/* A small arena should not allocate a large first block. */
	if (max < a->block_size)
		a->block_size = max < ARENA_ALIGN ? ARENA_ALIGN : max;
}

static struct zl_arena_block *arena_block_new(size_t size)
{
	struct zl_arena_block *b;

	if (size > SIZE_MAX - sizeof(*b))
		return NULL;
	b = malloc(sizeof(*b) + size);
	if (!b)
		return NULL;
	b->next = NULL;
	b->size = size;
	b->used = 0;
	return b;
}

void *zl_arena_alloc(struct zl_arena *a, size_t n)
{
	struct zl_arena_block *b = a->head;
	size_t need;
	char *p;

	/* Round up so the next allocation stays aligned; 0 bytes still gets a slot. */
	if (n > SIZE_MAX - ARENA_ALIGN)
		return NULL;
	need = (n + ARENA_ALIGN - 1) / ARENA_ALIGN * ARENA_ALIGN;
	if (need == 0)
		need = ARENA_ALIGN;
	if (need > a->max - a->used_total || a->used_total > a->max)
		return NULL;
	if (!b || b->size - b->used < need) {
		if (need > a->block_size / 4 && b) {
			/* Own block, behind the current one, which keeps its free space. */
			struct zl_arena_block *big = arena_block_new(need);

			if (!big)
				return NULL;
			big->next = b->next;
			b->next = big;
			big->used = need;
			a->used_total += need;
			return big->data;
		}
		b = arena_block_new(need > a->block_size ? need : a->block_size);
		if (!b)
			return NULL;
		b->next = a->head;
		a->head = b;
	}
	p = (char *)b->data + b->used;
	b->used += need;
	a->used_total += need;
	return p;
}

void *zl_arena_calloc(struct zl_arena *a, size_t count, size_t size)
{
	void *p;

	if (size && count > SIZE_MAX / size)
		return NULL;
	p = zl_arena_alloc(a, count * size);
	if (p)
		memset(p, 0, count * size);
	return p;
}

char *zl_arena_strndup(struct zl_arena *a, const char *s, size_t n)
{
	size_t len = strnlen(s, n);
	char *p;

	if (len == SIZE_MAX)
		return NULL;
	p = zl_arena_alloc(a, len + 1);
	if (!p)
		return NULL;
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

char *zl_arena_strdup(struct zl_arena *a, const char *s)
{
	return zl_arena_strndup(a, s, SIZE_MAX - 1);
}

char *zl_arena_printf(struct zl_arena *a, const char *fmt, ...)
{
	va_list ap;
	int n;
	char *p;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return NULL;
	p = zl_arena_alloc(a, (size_t)n + 1);
	if (!p)
		return NULL;
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

void zl_arena_reset(struct zl_arena *a)
{
	struct zl_arena_block *b, *next, *keep = NULL;

	/*
	 * Keep the oldest default-size block: the last such one in the chain
	 * (big blocks are linked behind the head, so it need not be the tail).
	 */
	for (b = a->head; b; b = b->next)
		if (b->size == a->block_size)
			keep = b;
	for (b = a->head; b; b = next) {
		next = b->next;
		if (b != keep)
			free(b);
	}
	if (keep) {
		keep->used = 0;
		keep->next = NULL;
	}
	a->head = keep;
	a->used_total = 0;
}

void zl_arena_release(struct zl_arena *a)
{
	struct zl_arena_block *b = a->head, *next;

	while (b) {
		next = b->next;
		free(b);
		b = next;
	}
	a->head = NULL;
	a->used_total = 0;
}
