/*
 * test_arena.c - the bump allocator: alignment, the cap, big allocations,
 * strings, reset reuse and overflow checks.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdalign.h>
#include <string.h>

#include "core/arena.h"

static void test_alignment_and_distinct(void **state)
{
	struct zl_arena a;
	char *p[100];
	int i, j;

	(void)state;
	zl_arena_init(&a, 1 << 20);
	for (i = 0; i < 100; i++) {
		p[i] = zl_arena_alloc(&a, (size_t)i * 7 + 1);
		assert_non_null(p[i]);
		assert_int_equal((uintptr_t)p[i] % alignof(max_align_t), 0);
		memset(p[i], i, (size_t)i * 7 + 1);
	}
	/* Nothing overlapped. */
	for (i = 0; i < 100; i++)
		for (j = 0; j < i * 7 + 1; j++)
			assert_int_equal((unsigned char)p[i][j], i);
	zl_arena_release(&a);
	assert_null(a.head);
}

static void test_cap(void **state)
{
	struct zl_arena a;
	void *p;

	(void)state;
	zl_arena_init(&a, 1000);
	p = zl_arena_alloc(&a, 900);
	assert_non_null(p);
	assert_null(zl_arena_alloc(&a, 200));
	/* Still usable below the cap. */
	assert_non_null(zl_arena_alloc(&a, 50));
	assert_null(zl_arena_alloc(&a, SIZE_MAX));
	assert_null(zl_arena_alloc(&a, SIZE_MAX - 3));
	zl_arena_reset(&a);
	assert_int_equal(a.used_total, 0);
	assert_non_null(zl_arena_alloc(&a, 900));
	zl_arena_release(&a);
}

static void test_big_allocations_keep_block(void **state)
{
	struct zl_arena a;
	char *small1, *big, *small2;

	(void)state;
	zl_arena_init(&a, 64 << 20);
	small1 = zl_arena_alloc(&a, 10);
	big = zl_arena_alloc(&a, 1 << 20);
	assert_non_null(big);
	memset(big, 0xab, 1 << 20);
	small2 = zl_arena_alloc(&a, 10);
	/* The small ones share the first block: the big one did not displace it. */
	assert_ptr_equal(small2, small1 + alignof(max_align_t));
	zl_arena_reset(&a);
	/* After reset the first block is reused. */
	assert_ptr_equal(zl_arena_alloc(&a, 10), small1);
	zl_arena_release(&a);
}

static void test_strings(void **state)
{
	struct zl_arena a;
	char *s;

	(void)state;
	zl_arena_init(&a, 1 << 16);
	s = zl_arena_strdup(&a, "河南省质量技术监督局");
	assert_string_equal(s, "河南省质量技术监督局");
	s = zl_arena_strndup(&a, "abcdef", 3);
	assert_string_equal(s, "abc");
	s = zl_arena_strndup(&a, "ab", 10);
	assert_string_equal(s, "ab");
	s = zl_arena_printf(&a, "%s-%04d", "HN", 42);
	assert_string_equal(s, "HN-0042");
	zl_arena_release(&a);
}

static void test_arena_calloc(void **state)
{
	struct zl_arena a;
	unsigned char *p;
	size_t i;

	(void)state;
	zl_arena_init(&a, 1 << 20);
	/* Dirty the block first, then reset, so calloc must really zero. */
	memset(zl_arena_alloc(&a, 4000), 0xff, 4000);
	zl_arena_reset(&a);
	p = zl_arena_calloc(&a, 1000, 4);
	assert_non_null(p);
	for (i = 0; i < 4000; i++)
		assert_int_equal(p[i], 0);
	assert_null(zl_arena_calloc(&a, SIZE_MAX / 2, 3));
	assert_non_null(zl_arena_alloc(&a, 0));
	zl_arena_release(&a);
}

static void test_many_blocks(void **state)
{
	struct zl_arena a;
	int i;

	(void)state;
	zl_arena_init(&a, 8 << 20);
	for (i = 0; i < 2000; i++)
		assert_non_null(zl_arena_alloc(&a, 1000));
	assert_true(a.used_total >= 2000 * 1000);
	zl_arena_reset(&a);
	for (i = 0; i < 2000; i++)
		assert_non_null(zl_arena_alloc(&a, 1000));
	zl_arena_release(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_alignment_and_distinct),
		cmocka_unit_test(test_cap),
		cmocka_unit_test(test_big_allocations_keep_block),
		cmocka_unit_test(test_strings),
		cmocka_unit_test(test_arena_calloc),
		cmocka_unit_test(test_many_blocks),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
