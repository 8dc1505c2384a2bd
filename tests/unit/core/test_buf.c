/*
 * test_buf.c - struct zl_buf: growth, the hard cap, sticky errors,
 * formatting, detach and the NUL-terminator invariant.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "core/buf.h"
#include "core/err.h"

static void test_empty(void **state)
{
	struct zl_buf b = ZL_BUF_INIT(100);

	(void)state;
	assert_string_equal(zl_buf_str(&b), "");
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	zl_buf_release(&b);
	assert_int_equal(b.max, 100);
}

static void test_append_and_terminator(void **state)
{
	struct zl_buf b;
	char big[1000];
	size_t i;

	(void)state;
	zl_buf_init(&b, 1 << 20);
	assert_int_equal(zl_buf_adds(&b, "质量"), ZL_OK);
	assert_int_equal(zl_buf_addch(&b, '!'), ZL_OK);
	assert_int_equal(zl_buf_add(&b, "a\0b", 3), ZL_OK);
	assert_int_equal(b.len, 6 + 1 + 3);
	assert_memory_equal(b.data, "质量!a\0b", 10);
	assert_int_equal(b.data[b.len], '\0');
	memset(big, 'x', sizeof(big));
	for (i = 0; i < 50; i++)
		assert_int_equal(zl_buf_add(&b, big, sizeof(big)), ZL_OK);
	assert_int_equal(b.len, 10 + 50000);
	assert_true(b.cap > b.len);
	assert_int_equal(b.data[b.len], '\0');
	zl_buf_truncate(&b, 2);
	assert_int_equal(b.len, 2);
	assert_int_equal(b.data[2], '\0');
	zl_buf_reset(&b);
	assert_string_equal(zl_buf_str(&b), "");
	assert_non_null(b.data);
	zl_buf_release(&b);
	assert_null(b.data);
}

static void test_cap_is_hard_and_sticky(void **state)
{
	struct zl_buf b = ZL_BUF_INIT(8);

	(void)state;
	assert_int_equal(zl_buf_adds(&b, "12345"), ZL_OK);
	/* 5 + 4 > 8: refused, buffer unchanged. */
	assert_int_equal(zl_buf_adds(&b, "6789"), ZL_ETOOBIG);
	assert_string_equal(zl_buf_str(&b), "12345");
	assert_int_equal(b.err, ZL_ETOOBIG);
	/* Sticky: even a small append now fails. */
	assert_int_equal(zl_buf_addch(&b, 'x'), ZL_ETOOBIG);
	assert_int_equal(zl_buf_addf(&b, "%d", 1), ZL_ETOOBIG);
	assert_string_equal(zl_buf_str(&b), "12345");
	assert_true(b.cap <= 9);
	/* reset clears the error */
	zl_buf_reset(&b);
	assert_int_equal(zl_buf_adds(&b, "12345678"), ZL_OK);
	assert_int_equal(b.len, 8);
	assert_int_equal(zl_buf_addch(&b, '9'), ZL_ETOOBIG);
	assert_string_equal(zl_buf_str(&b), "12345678");
	zl_buf_release(&b);
}

static void test_zero_cap(void **state)
{
	struct zl_buf b = ZL_BUF_INIT(0);

	(void)state;
	assert_int_equal(zl_buf_add(&b, "", 0), ZL_OK);
	assert_string_equal(zl_buf_str(&b), "");
	assert_int_equal(zl_buf_addch(&b, 'a'), ZL_ETOOBIG);
	zl_buf_release(&b);
}

static void test_addf(void **state)
{
	struct zl_buf b = ZL_BUF_INIT(1 << 16);
	char expect[3000];
	int i;

	(void)state;
	assert_int_equal(zl_buf_addf(&b, "%s=%d;", "a", 42), ZL_OK);
	assert_string_equal(zl_buf_str(&b), "a=42;");
	/* Longer than the first allocation: exercises the second vsnprintf. */
	memset(expect, 'q', 2999);
	expect[2999] = '\0';
	assert_int_equal(zl_buf_addf(&b, "%s", expect), ZL_OK);
	assert_int_equal(b.len, 5 + 2999);
	assert_memory_equal(b.data + 5, expect, 2999);
	for (i = 0; i < 100; i++)
		assert_int_equal(zl_buf_addf(&b, "%03d", i), ZL_OK);
	assert_int_equal(b.len, 5 + 2999 + 300);
	assert_memory_equal(b.data + b.len - 6, "098099", 6);
	zl_buf_release(&b);
}

static void test_addf_cap(void **state)
{
	struct zl_buf b = ZL_BUF_INIT(10);

	(void)state;
	assert_int_equal(zl_buf_addf(&b, "%s", "0123456789"), ZL_OK);
	zl_buf_reset(&b);
	assert_int_equal(zl_buf_addf(&b, "%s", "0123"), ZL_OK);
	assert_int_equal(zl_buf_addf(&b, "%s", "0123456"), ZL_ETOOBIG);
	assert_string_equal(zl_buf_str(&b), "0123");
	zl_buf_release(&b);
}

static void test_detach(void **state)
{
	struct zl_buf b = ZL_BUF_INIT(64);
	size_t len = 99;
	char *s;

	(void)state;
	s = zl_buf_detach(&b, &len);
	assert_non_null(s);
	assert_string_equal(s, "");
	assert_int_equal(len, 0);
	free(s);
	zl_buf_adds(&b, "hello");
	s = zl_buf_detach(&b, &len);
	assert_string_equal(s, "hello");
	assert_int_equal(len, 5);
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	assert_int_equal(b.max, 64);
	free(s);
}

static void test_strlcpy(void **state)
{
	char d[5];

	(void)state;
	assert_int_equal(zl_strlcpy(d, "abc", sizeof(d)), 3);
	assert_string_equal(d, "abc");
	assert_int_equal(zl_strlcpy(d, "abcdefgh", sizeof(d)), 8);
	assert_string_equal(d, "abcd");
	assert_int_equal(zl_strlcpy(d, "", sizeof(d)), 0);
	assert_string_equal(d, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_append_and_terminator),
		cmocka_unit_test(test_cap_is_hard_and_sticky),
		cmocka_unit_test(test_zero_cap),
		cmocka_unit_test(test_addf),
		cmocka_unit_test(test_addf_cap),
		cmocka_unit_test(test_detach),
		cmocka_unit_test(test_strlcpy),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
