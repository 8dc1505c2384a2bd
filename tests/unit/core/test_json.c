/*
 * test_json.c - strict request JSON: what is rejected (with byte offsets),
 * depth limits, duplicates, the typed getters' field-named errors, and
 * writing a tree back out through the streaming writer.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/json.h"
#include "core/jw.h"

static cJSON *parse_ok(const char *s)
{
	struct zl_error e = ZL_ERROR_INIT;
	cJSON *j = NULL;
	int rc = zl_json_parse(s, strlen(s), 32, &j, &e);

	if (rc != ZL_OK)
		fail_msg("'%s' rejected: %s", s, e.message);
	assert_non_null(j);
	return j;
}

/* Must be rejected with ZL_EINVAL and a message containing `part`. */
static void parse_bad(const char *s, size_t n, const char *part)
{
	struct zl_error e = ZL_ERROR_INIT;
	cJSON *j = (cJSON *)1;

	assert_int_equal(zl_json_parse(s, n, 32, &j, &e), ZL_EINVAL);
	assert_null(j);
	assert_int_equal(e.code, ZL_EINVAL);
	if (!strstr(e.message, part))
		fail_msg("for '%.*s': message '%s' lacks '%s'", (int)n, s, e.message, part);
}

#define BAD(lit, part) parse_bad(lit, sizeof(lit) - 1, part)

static void test_accepts(void **state)
{
	static const char *const ok[] = {
		"{}",
		"[]",
		" \r\n\t{ \"a\" : [ 1 , -0 , 0.5e-3 , 1E+2 , true , false , null ] } \n",
		"\"just a string\"",
		"0",
		"-12.5",
		"\"\\u8d28\\u91cf \\ud83d\\ude00 \\\\ \\/ \\\"\"",
		"{\"名称\":\"郑州宇通客车股份有限公司\"}",
		"[[[[[[[[[[]]]]]]]]]]",
		"{\"a\":{\"a\":{\"a\":1}},\"b\":1}",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		cJSON_Delete(parse_ok(ok[i]));
}

static void test_rejects_with_offsets(void **state)
{
	(void)state;
	BAD("", "byte offset 0: unexpected end of input");
	BAD("   ", "byte offset 3: unexpected end of input");
	BAD("{\"a\":1} x", "byte offset 8: unexpected characters after");
	BAD("{\"a\":1}{}", "byte offset 7: unexpected characters after");
	BAD("{\"a\":1,}", "byte offset 7: expected a member name");
	BAD("[1,]", "byte offset 3: unexpected character");
	BAD("[1 2]", "byte offset 3: expected ',' or ']'");
	BAD("{\"a\" 1}", "byte offset 5: expected ':'");
	BAD("{'a':1}", "byte offset 1: expected a member name");
	BAD("{a:1}", "byte offset 1");
	BAD("[01]", "byte offset 2: leading zero");
	BAD("[1.]", "byte offset 3: digit expected after '.'");
	BAD("[.5]", "byte offset 1: unexpected character");
	BAD("[+1]", "byte offset 1");
	BAD("[1e]", "digit expected in exponent");
	BAD("[1e999]", "byte offset 1: number out of range");
	BAD("[NaN]", "byte offset 1");
	BAD("[tru]", "byte offset 1");
	BAD("[True]", "byte offset 1");
	BAD("\"abc", "unterminated string");
	BAD("[\"a\tb\"]", "byte offset 3: control character");
	BAD("[\"a\\x\"]", "invalid escape");
	BAD("[\"\\u12G4\"]", "invalid \\u escape");
	BAD("[\"\\u12", "truncated \\u escape");
	BAD("[\"a\\u0000b\"]", "byte offset 3: \\u0000 is not allowed");
	BAD("[\"\\ud800\"]", "byte offset 2: unpaired surrogate");
	BAD("[\"\\udc00\\ud800\"]", "unpaired surrogate");
	BAD("[\"\\ud800\\u0041\"]", "unpaired surrogate");
	BAD("{\"a\":\"\xd6\xca\xc1\xbf\"}", "byte offset 6: invalid UTF-8");
	BAD("{\"a\":\"\xc0\xaf\"}", "byte offset 6: invalid UTF-8");
	BAD("{\"a\":\"\xed\xa0\x80\"}", "invalid UTF-8");
	BAD("[1]\0", "byte offset 3: unexpected characters");
	BAD("\xef\xbb\xbf{}", "byte offset 0: unexpected character");
	BAD("[1234567890123456789012345678901234567890123456789012345678901234]",
	    "byte offset 1: number longer than 63");
	BAD("/* c */ {}", "byte offset 0");
}

static void test_depth(void **state)
{
	struct zl_error e = ZL_ERROR_INIT;
	char deep[2001];
	cJSON *j = NULL;
	int i;

	(void)state;
	assert_int_equal(zl_json_parse("[[[1]]]", 7, 3, &j, &e), ZL_OK);
	cJSON_Delete(j);
	assert_int_equal(zl_json_parse("[[[1]]]", 7, 2, &j, &e), ZL_EINVAL);
	assert_string_equal(e.message, "invalid JSON at byte offset 2: nesting too deep");
	assert_int_equal(zl_json_parse("{\"a\":{\"b\":[]}}", 14, 2, &j, &e), ZL_EINVAL);
	assert_int_equal(zl_json_parse("1", 1, 0, &j, &e), ZL_OK);
	cJSON_Delete(j);
	/* 1000 levels: far past any limit, rejected before cJSON recurses. */
	for (i = 0; i < 1000; i++) {
		deep[i] = '[';
		deep[1000 + i] = ']';
	}
	deep[2000] = '\0';
	assert_int_equal(zl_json_parse(deep, 2000, 100000, &j, &e), ZL_EINVAL);
	assert_non_null(strstr(e.message, "byte offset 256: nesting too deep"));
	assert_int_equal(zl_json_parse(deep + 1000 - 256, 512, 100000, &j, &e), ZL_OK);
	cJSON_Delete(j);
}

static void test_duplicates(void **state)
{
	struct zl_error e = ZL_ERROR_INIT;
	struct zl_buf b = ZL_BUF_INIT(1 << 20);
	cJSON *j = NULL;
	int i;

	(void)state;
	assert_int_equal(zl_json_parse("{\"a\":1,\"b\":2,\"a\":3}", 19, 8, &j, &e), ZL_EINVAL);
	assert_string_equal(e.field, "a");
	assert_non_null(strstr(e.message, "duplicate member 'a'"));
	assert_int_equal(zl_json_parse("[{\"x\":{\"k\":1,\"K\":2}},{\"y\":{\"k\":1,\"k\":2}}]", 41,
				       8, &j, &e),
			 ZL_EINVAL);
	assert_string_equal(e.field, "k");
	/* Many members (sorted path): distinct passes, one duplicate fails. */
	zl_buf_adds(&b, "{");
	for (i = 0; i < 500; i++)
		zl_buf_addf(&b, "%s\"m%d\":%d", i ? "," : "", i, i);
	zl_buf_adds(&b, "}");
	assert_int_equal(zl_json_parse(b.data, b.len, 8, &j, &e), ZL_OK);
	cJSON_Delete(j);
	zl_buf_truncate(&b, b.len - 1);
	zl_buf_adds(&b, ",\"m250\":0}");
	assert_int_equal(zl_json_parse(b.data, b.len, 8, &j, &e), ZL_EINVAL);
	assert_string_equal(e.field, "m250");
	zl_buf_release(&b);
}

static void test_object_required(void **state)
{
	struct zl_error e = ZL_ERROR_INIT;
	cJSON *j = NULL;

	(void)state;
	assert_int_equal(zl_json_parse_object(" [1]", 4, 8, &j, &e), ZL_EINVAL);
	assert_string_equal(e.message, "invalid JSON at byte offset 1: expected an object");
	assert_int_equal(zl_json_parse_object("\"{}\"", 4, 8, &j, &e), ZL_EINVAL);
	assert_int_equal(zl_json_parse_object("\n {\"a\":1} ", 10, 8, &j, &e), ZL_OK);
	cJSON_Delete(j);
}

static void test_not_nul_terminated(void **state)
{
	struct zl_error e = ZL_ERROR_INIT;
	char *s = malloc(7);
	cJSON *j = NULL;

	(void)state;
	/* Exactly the bytes given, no terminator: ASan catches any over-read. */
	memcpy(s, "{\"a\":1}", 7);
	assert_int_equal(zl_json_parse(s, 7, 8, &j, &e), ZL_OK);
	cJSON_Delete(j);
	assert_int_equal(zl_json_parse(s, 6, 8, &j, &e), ZL_EINVAL);
	memcpy(s, "[12345", 6);
	assert_int_equal(zl_json_parse(s, 6, 8, &j, &e), ZL_EINVAL);
	assert_int_equal(zl_json_parse(s + 1, 5, 8, &j, &e), ZL_OK);
	assert_true(j->valuedouble == 12345);
	cJSON_Delete(j);
	free(s);
}

static void test_getters(void **state)
{
	static const char body[] = "{\"name\":\"河南省质量技术监督局\",\"count\":42,\"big\":1e3,"
				   "\"frac\":1.5,\"neg\":-7,\"huge\":1e17,\"flag\":true,"
				   "\"nul\":null,\"s\":\"x\",\"Name\":\"other\"}";
	struct zl_error e = ZL_ERROR_INIT;
	const char *s = "unset";
	int64_t v = 99;
	int b = 5;
	cJSON *j = parse_ok(body);

	(void)state;
	assert_int_equal(zl_json_get_string(j, "name", 1, 10, &s, &e), ZL_OK);
	assert_string_equal(s, "河南省质量技术监督局");
	/* 10 characters, 30 bytes: the limit counts characters. */
	assert_int_equal(zl_json_get_string(j, "name", 1, 9, &s, &e), ZL_EUNPROC);
	assert_string_equal(e.field, "name");
	assert_string_equal(e.message, "name must be at most 9 characters");
	assert_int_equal(zl_json_get_string(j, "count", 1, 0, &s, &e), ZL_EUNPROC);
	assert_string_equal(e.message, "count must be a string");
	assert_int_equal(zl_json_get_string(j, "missing", 1, 0, &s, &e), ZL_EUNPROC);
	assert_string_equal(e.field, "missing");
	assert_string_equal(e.message, "missing is required");
	assert_int_equal(zl_json_get_string(j, "nul", 1, 0, &s, &e), ZL_EUNPROC);
	s = "unset";
	assert_int_equal(zl_json_get_string(j, "nul", 0, 0, &s, &e), ZL_OK);
	assert_null(s);
	/* Case-sensitive match. */
	assert_int_equal(zl_json_get_string(j, "Name", 1, 0, &s, &e), ZL_OK);
	assert_string_equal(s, "other");

	assert_int_equal(zl_json_get_int(j, "count", 1, 0, 100, &v, &e), ZL_OK);
	assert_int_equal(v, 42);
	assert_int_equal(zl_json_get_int(j, "big", 1, 0, 1000, &v, &e), ZL_OK);
	assert_int_equal(v, 1000);
	assert_int_equal(zl_json_get_int(j, "neg", 1, -10, 10, &v, &e), ZL_OK);
	assert_int_equal(v, -7);
	assert_int_equal(zl_json_get_int(j, "count", 1, 0, 41, &v, &e), ZL_EUNPROC);
	assert_string_equal(e.message, "count must be between 0 and 41");
	assert_int_equal(zl_json_get_int(j, "frac", 1, 0, 10, &v, &e), ZL_EUNPROC);
	assert_string_equal(e.message, "frac must be an integer");
	assert_int_equal(zl_json_get_int(j, "s", 1, 0, 10, &v, &e), ZL_EUNPROC);
	assert_int_equal(zl_json_get_int(j, "flag", 1, 0, 10, &v, &e), ZL_EUNPROC);
	assert_int_equal(zl_json_get_int(j, "huge", 1, INT64_MIN, INT64_MAX, &v, &e), ZL_EUNPROC);
	assert_string_equal(e.message, "huge is out of range");
	v = 99;
	assert_int_equal(zl_json_get_int(j, "missing", 0, 0, 10, &v, &e), ZL_OK);
	assert_int_equal(v, 99);

	assert_int_equal(zl_json_get_bool(j, "flag", 1, &b, &e), ZL_OK);
	assert_int_equal(b, 1);
	assert_int_equal(zl_json_get_bool(j, "count", 1, &b, &e), ZL_EUNPROC);
	assert_string_equal(e.message, "count must be true or false");
	assert_int_equal(zl_json_get_bool(j, "s", 1, &b, &e), ZL_EUNPROC);
	b = 5;
	assert_int_equal(zl_json_get_bool(j, "missing", 0, &b, &e), ZL_OK);
	assert_int_equal(b, 5);
	cJSON_Delete(j);

	/* Getters on a non-object. */
	j = parse_ok("[1]");
	assert_int_equal(zl_json_get_int(j, "a", 0, 0, 1, &v, &e), ZL_EUNPROC);
	cJSON_Delete(j);
}

static void test_only_fields(void **state)
{
	static const char *const allowed[] = {"name", "code", NULL};
	struct zl_error e = ZL_ERROR_INIT;
	cJSON *j = parse_ok("{\"name\":\"a\",\"code\":\"b\"}");

	(void)state;
	assert_int_equal(zl_json_only_fields(j, allowed, &e), ZL_OK);
	cJSON_Delete(j);
	j = parse_ok("{\"name\":\"a\",\"is_admin\":true}");
	assert_int_equal(zl_json_only_fields(j, allowed, &e), ZL_EUNPROC);
	assert_string_equal(e.field, "is_admin");
	assert_string_equal(e.message, "unknown field 'is_admin'");
	cJSON_Delete(j);
	j = parse_ok("\"x\"");
	assert_int_equal(zl_json_only_fields(j, allowed, &e), ZL_EUNPROC);
	cJSON_Delete(j);
}

static void test_write_back(void **state)
{
	static const char in[] = " { \"a\" : [ 1 , 2.50 , -0.0 , 1e2 , \"</x>\\u00e9\" ] , "
				 "\"b\" : { } , \"c\" : null , \"d\" : false } ";
	struct zl_buf b = ZL_BUF_INIT(4096);
	struct zl_jw w;
	cJSON *j = parse_ok(in), *j2;

	(void)state;
	zl_jw_init(&w, &b);
	zl_json_write(&w, j);
	assert_int_equal(zl_jw_error(&w), ZL_OK);
	assert_string_equal(zl_buf_str(&b),
			    "{\"a\":[1,2.5,-0,100,\"<\\/x>é\"],\"b\":{},\"c\":null,\"d\":false}");
	j2 = parse_ok(zl_buf_str(&b));
	assert_true(cJSON_Compare(j, j2, 1));
	cJSON_Delete(j);
	cJSON_Delete(j2);
	zl_buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_accepts),		cmocka_unit_test(test_rejects_with_offsets),
		cmocka_unit_test(test_depth),		cmocka_unit_test(test_duplicates),
		cmocka_unit_test(test_object_required), cmocka_unit_test(test_not_nul_terminated),
		cmocka_unit_test(test_getters),		cmocka_unit_test(test_only_fields),
		cmocka_unit_test(test_write_back),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
