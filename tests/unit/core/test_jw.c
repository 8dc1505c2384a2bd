/*
 * test_jw.c - the streaming JSON writer: separators, nesting, escaping,
 * invalid UTF-8, "</", numbers, misuse and the buffer cap.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/jw.h"

struct fx {
	struct zl_buf b;
	struct zl_jw w;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	zl_buf_init(&f->b, 1 << 20);
	zl_jw_init(&f->w, &f->b);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	zl_buf_release(&f->b);
	free(f);
	return 0;
}

static void test_nesting(void **state)
{
	struct fx *f = *state;
	struct zl_jw *w = &f->w;

	zl_jw_obj_begin(w);
	zl_jw_kstr(w, "name", "郑州市");
	zl_jw_kint(w, "n", -3);
	zl_jw_key(w, "list");
	zl_jw_arr_begin(w);
	zl_jw_int(w, 1);
	zl_jw_uint(w, UINT64_MAX);
	zl_jw_arr_begin(w);
	zl_jw_arr_end(w);
	zl_jw_obj_begin(w);
	zl_jw_obj_end(w);
	zl_jw_null(w);
	zl_jw_bool(w, 0);
	zl_jw_str(w, NULL);
	zl_jw_raw(w, "{\"x\":[1]}", 9);
	zl_jw_arr_end(w);
	zl_jw_kbool(w, "ok", 7);
	zl_jw_kdouble(w, "d", 0.5);
	zl_jw_kint(w, "min", INT64_MIN);
	zl_jw_obj_end(w);
	assert_int_equal(zl_jw_error(w), ZL_OK);
	assert_int_equal(w->depth, 0);
	assert_string_equal(
		zl_buf_str(&f->b),
		"{\"name\":\"郑州市\",\"n\":-3,\"list\":[1,18446744073709551615,[],{},null,"
		"false,null,{\"x\":[1]}],\"ok\":true,\"d\":0.5,"
		"\"min\":-9223372036854775808}");
}

static void test_escaping(void **state)
{
	struct fx *f = *state;
	static const char in[] = "a\"b\\c\n\t\r\b\f\x01\x1f\x7f</script><b>/ \xe2\x80\xa8.";

	zl_jw_strn(&f->w, in, sizeof(in) - 1);
	assert_int_equal(zl_jw_error(&f->w), ZL_OK);
	assert_string_equal(zl_buf_str(&f->b), "\"a\\\"b\\\\c\\n\\t\\r\\b\\f\\u0001\\u001f\\u007f"
					       "<\\/script><b>/ \\u2028.\"");
}

static void test_embedded_nul(void **state)
{
	struct fx *f = *state;

	zl_jw_strn(&f->w, "a\0b", 3);
	assert_string_equal(zl_buf_str(&f->b), "\"a\\u0000b\"");
}

static void test_invalid_utf8(void **state)
{
	struct fx *f = *state;
	/* GBK "质量", a lone continuation, an overlong '/', a surrogate, a truncated 3-byte seq */
	static const char in[] = "\xd6\xca\xc1\xbf|\x80|\xc0\xaf|\xed\xa0\x80|\xe8\xb4";

	zl_jw_strn(&f->w, in, sizeof(in) - 1);
	assert_int_equal(zl_jw_error(&f->w), ZL_OK);
	/* Each bad byte becomes one U+FFFD. */
	assert_string_equal(zl_buf_str(&f->b),
			    "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd|\xef\xbf\xbd|"
			    "\xef\xbf\xbd\xef\xbf\xbd|\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd|"
			    "\xef\xbf\xbd\xef\xbf\xbd\"");
	zl_buf_reset(&f->b);
	zl_jw_init(&f->w, &f->b);
	zl_jw_str(&f->w, "😀 𠮷 é");
	assert_string_equal(zl_buf_str(&f->b), "\"😀 𠮷 é\"");
	/* Every inline fast-path lead byte class, and its neighbours. */
	zl_buf_reset(&f->b);
	zl_jw_init(&f->w, &f->b);
	zl_jw_str(&f->w, "，（）—€\xed\x9f\xbf\xe0\xa0\x80\xee\x80\x80\xe2\x80\xa9|\xe0\x80\xaf|"
			 "\xef\xbc|\xc2");
	assert_string_equal(
		zl_buf_str(&f->b),
		"\"，（）—€\xed\x9f\xbf\xe0\xa0\x80\xee\x80\x80\\u2029|"
		"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd|\xef\xbf\xbd\xef\xbf\xbd|\xef\xbf\xbd\"");
}

static void test_keys_escaped(void **state)
{
	struct fx *f = *state;

	zl_jw_obj_begin(&f->w);
	zl_jw_kint(&f->w, "a\"b", 1);
	zl_jw_obj_end(&f->w);
	assert_string_equal(zl_buf_str(&f->b), "{\"a\\\"b\":1}");
}

static void check_double(struct fx *f, double v, const char *expect)
{
	zl_buf_reset(&f->b);
	zl_jw_init(&f->w, &f->b);
	zl_jw_double(&f->w, v);
	assert_int_equal(zl_jw_error(&f->w), ZL_OK);
	assert_string_equal(zl_buf_str(&f->b), expect);
	if (isfinite(v))
		assert_true(strtod(zl_buf_str(&f->b), NULL) == v);
}

static void test_doubles(void **state)
{
	struct fx *f = *state;

	check_double(f, 0.1, "0.1");
	check_double(f, 0.1 + 0.2, "0.30000000000000004");
	check_double(f, 1.0 / 3.0, "0.3333333333333333");
	check_double(f, 100.0, "100");
	check_double(f, -2.5, "-2.5");
	check_double(f, 1e300, "1e+300");
	check_double(f, 5e-324, "4.94065645841247e-324");
	check_double(f, 1.7976931348623157e308, "1.7976931348623157e+308");
	check_double(f, 123456789012345678.0, "1.2345678901234568e+17");
	check_double(f, -0.0, "-0");
	check_double(f, 0.005, "0.005");
	check_double(f, 1234.5678, "1234.5678");
	check_double(f, -0.000001, "-0.000001");
	check_double(f, 0.1234567, "0.1234567");
	check_double(f, 1e-7, "1e-07");
	check_double(f, 87.5, "87.5");
	check_double(f, 9007199254740991.0, "9007199254740991");
	check_double(f, 9007199254740992.0, "9007199254740992");
	check_double(f, 123456.789, "123456.789");
	check_double(f, 0.0, "0");
	check_double(f, NAN, "null");
	check_double(f, INFINITY, "null");
	check_double(f, -INFINITY, "null");
}

/* Any finite double, written and read back, is the same double. */
static void test_doubles_round_trip(void **state)
{
	struct fx *f = *state;
	uint64_t x = 88172645463325252u, bits;
	double v, scale[] = {1, 10, 100, 1e6, 1e-3, 1e15, 1e-300, 1e300};
	int i;

	for (i = 0; i < 200000; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		if (i % 2) {
			bits = x;
			memcpy(&v, &bits, sizeof(v));
			if (!isfinite(v))
				continue;
		} else {
			/* Short decimals, the fast path's territory, and near misses. */
			v = (double)(int64_t)(x % 2000000001u - 1000000000) / scale[x >> 61];
			if (i % 4 == 0)
				v = nextafter(v, 1e308);
			if (!isfinite(v))
				continue;
		}
		zl_buf_reset(&f->b);
		zl_jw_init(&f->w, &f->b);
		zl_jw_double(&f->w, v);
		if (strtod(zl_buf_str(&f->b), NULL) != v)
			fail_msg("%.17g written as %s", v, zl_buf_str(&f->b));
		assert_true(strchr("-0123456789", zl_buf_str(&f->b)[0]) != NULL);
	}
}

static void test_misuse_value_without_key(void **state)
{
	struct fx *f = *state;

	zl_jw_obj_begin(&f->w);
	zl_jw_int(&f->w, 1);
	assert_int_equal(zl_jw_error(&f->w), ZL_EINTERNAL);
	/* Sticky: nothing more is written. */
	zl_jw_obj_end(&f->w);
	assert_string_equal(zl_buf_str(&f->b), "{");
}

static void test_misuse_cases(void **state)
{
	struct fx *f = *state;
	struct zl_jw *w = &f->w;
	int i;

	zl_jw_obj_end(w); /* end without begin */
	assert_int_equal(zl_jw_error(w), ZL_EINTERNAL);

	zl_jw_init(w, &f->b);
	zl_jw_arr_begin(w);
	zl_jw_key(w, "k"); /* key in array */
	assert_int_equal(zl_jw_error(w), ZL_EINTERNAL);

	zl_jw_init(w, &f->b);
	zl_jw_obj_begin(w);
	zl_jw_arr_end(w); /* mismatched end */
	assert_int_equal(zl_jw_error(w), ZL_EINTERNAL);

	zl_jw_init(w, &f->b);
	zl_jw_obj_begin(w);
	zl_jw_key(w, "a");
	zl_jw_key(w, "b"); /* two keys */
	assert_int_equal(zl_jw_error(w), ZL_EINTERNAL);

	zl_jw_init(w, &f->b);
	zl_jw_obj_begin(w);
	zl_jw_key(w, "a");
	zl_jw_obj_end(w); /* key without value */
	assert_int_equal(zl_jw_error(w), ZL_EINTERNAL);

	zl_jw_init(w, &f->b);
	zl_jw_key(w, "top"); /* key at top level */
	assert_int_equal(zl_jw_error(w), ZL_EINTERNAL);

	/* Exactly the maximum depth is fine; one more is not. */
	zl_buf_reset(&f->b);
	zl_jw_init(w, &f->b);
	for (i = 0; i < ZL_JW_MAX_DEPTH; i++)
		zl_jw_arr_begin(w);
	assert_int_equal(zl_jw_error(w), ZL_OK);
	for (i = 0; i < ZL_JW_MAX_DEPTH; i++)
		zl_jw_arr_end(w);
	assert_int_equal(zl_jw_error(w), ZL_OK);
	assert_int_equal(f->b.len, 2 * ZL_JW_MAX_DEPTH);
	zl_jw_init(w, &f->b);
	for (i = 0; i <= ZL_JW_MAX_DEPTH; i++)
		zl_jw_obj_begin(w), zl_jw_key(w, "k");
	assert_int_equal(zl_jw_error(w), ZL_EINTERNAL);
}

static void test_deep_object_bits(void **state)
{
	struct fx *f = *state;
	struct zl_jw *w = &f->w;
	int i;

	/* Alternate objects and arrays down to level 64, with siblings at each. */
	for (i = 0; i < ZL_JW_MAX_DEPTH; i++) {
		if (i % 2 == 0) {
			zl_jw_obj_begin(w);
			zl_jw_kint(w, "a", i);
			zl_jw_key(w, "b");
		} else {
			zl_jw_arr_begin(w);
			zl_jw_int(w, i);
		}
	}
	for (i = ZL_JW_MAX_DEPTH - 1; i >= 0; i--) {
		if (i % 2 == 0)
			zl_jw_obj_end(w);
		else
			zl_jw_arr_end(w);
	}
	assert_int_equal(zl_jw_error(w), ZL_OK);
	assert_memory_equal(zl_buf_str(&f->b), "{\"a\":0,\"b\":[1,{\"a\":2,\"b\":[3,", 28);
}

static void test_cap_hit(void **state)
{
	struct zl_buf b = ZL_BUF_INIT(16);
	struct zl_jw w;

	(void)state;
	zl_jw_init(&w, &b);
	zl_jw_arr_begin(&w);
	zl_jw_str(&w, "0123456789");
	assert_int_equal(zl_jw_error(&w), ZL_OK);
	zl_jw_str(&w, "0123456789");
	assert_int_equal(zl_jw_error(&w), ZL_ETOOBIG);
	zl_jw_arr_end(&w);
	assert_int_equal(zl_jw_error(&w), ZL_ETOOBIG);
	assert_true(b.len <= 16);
	zl_buf_release(&b);
}

static void test_long_string_speed_path(void **state)
{
	struct fx *f = *state;
	char *s = malloc(100001);
	size_t i;

	assert_non_null(s);
	for (i = 0; i < 100000; i++)
		s[i] = (char)('a' + i % 26);
	s[50000] = '"';
	s[100000] = '\0';
	zl_jw_str(&f->w, s);
	assert_int_equal(f->b.len, 100000 + 2 + 1);
	assert_memory_equal(f->b.data + 1 + 50000, "\\\"", 2);
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_nesting, setup, teardown),
		cmocka_unit_test_setup_teardown(test_escaping, setup, teardown),
		cmocka_unit_test_setup_teardown(test_embedded_nul, setup, teardown),
		cmocka_unit_test_setup_teardown(test_invalid_utf8, setup, teardown),
		cmocka_unit_test_setup_teardown(test_keys_escaped, setup, teardown),
		cmocka_unit_test_setup_teardown(test_doubles, setup, teardown),
		cmocka_unit_test_setup_teardown(test_doubles_round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_misuse_value_without_key, setup, teardown),
		cmocka_unit_test_setup_teardown(test_misuse_cases, setup, teardown),
		cmocka_unit_test_setup_teardown(test_deep_object_bits, setup, teardown),
		cmocka_unit_test(test_cap_hit),
		cmocka_unit_test_setup_teardown(test_long_string_speed_path, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
