/*
 * test_err.c - struct zl_error, the status mapping and the JSON error body.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/jw.h"

static void test_set_and_clear(void **state)
{
	struct zl_error e = ZL_ERROR_INIT;
	char longfield[200];

	(void)state;
	assert_int_equal(e.code, ZL_OK);
	assert_int_equal(zl_error_set(&e, ZL_EUNPROC, "uscc", "bad check digit %c", 'X'),
			 ZL_EUNPROC);
	assert_int_equal(e.code, ZL_EUNPROC);
	assert_string_equal(e.field, "uscc");
	assert_string_equal(e.message, "bad check digit X");
	zl_error_clear(&e);
	assert_int_equal(e.code, ZL_OK);
	assert_string_equal(e.field, "");
	assert_string_equal(e.message, "");
	/* NULL field, over-long field truncated. */
	zl_error_set(&e, ZL_EINVAL, NULL, "x");
	assert_string_equal(e.field, "");
	memset(longfield, 'f', sizeof(longfield) - 1);
	longfield[sizeof(longfield) - 1] = '\0';
	zl_error_set(&e, ZL_EINVAL, longfield, "%s%s", longfield, longfield);
	assert_int_equal(strlen(e.field), ZL_ERR_FIELD_MAX - 1);
	assert_int_equal(strlen(e.message), ZL_ERR_MSG_MAX - 1);
	/* NULL error: only the code comes back. */
	assert_int_equal(zl_error_set(NULL, ZL_EDB, "x", "y"), ZL_EDB);
	zl_error_clear(NULL);
}

static void test_status_and_names(void **state)
{
	static const struct {
		enum zl_err code;
		int status;
		const char *name;
	} t[] = {
		{ZL_OK, 200, "ok"},
		{ZL_EINVAL, 400, "bad_request"},
		{ZL_EUNAUTH, 401, "unauthorized"},
		{ZL_EFORBIDDEN, 403, "forbidden"},
		{ZL_ENOTFOUND, 404, "not_found"},
		{ZL_EMETHOD, 405, "method_not_allowed"},
		{ZL_ECONFLICT, 409, "conflict"},
		{ZL_ETOOBIG, 413, "payload_too_large"},
		{ZL_EMEDIA, 415, "unsupported_media_type"},
		{ZL_EUNPROC, 422, "unprocessable"},
		{ZL_ERATE, 429, "too_many_requests"},
		{ZL_ENOMEM, 500, "out_of_memory"},
		{ZL_EIO, 500, "io_error"},
		{ZL_EDB, 500, "database_error"},
		{ZL_EINTERNAL, 500, "internal_error"},
		{ZL_EUNAVAIL, 503, "unavailable"},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		assert_int_equal(zl_err_http_status(t[i].code), t[i].status);
		assert_string_equal(zl_err_name(t[i].code), t[i].name);
	}
	assert_int_equal(zl_err_http_status((enum zl_err) - 99), 500);
	assert_string_equal(zl_err_name((enum zl_err) - 99), "internal_error");
}

static void render(const struct zl_error *e, int expose, struct zl_buf *b)
{
	struct zl_jw w;

	zl_buf_reset(b);
	zl_jw_init(&w, b);
	zl_error_write_json(e, &w, expose);
	assert_int_equal(zl_jw_error(&w), ZL_OK);
}

static void test_write_json(void **state)
{
	struct zl_error e = ZL_ERROR_INIT;
	struct zl_buf b = ZL_BUF_INIT(4096);

	(void)state;
	zl_error_set(&e, ZL_EUNPROC, "name", "must not contain \"quotes\"");
	render(&e, 0, &b);
	assert_string_equal(zl_buf_str(&b),
			    "{\"error\":{\"code\":\"unprocessable\",\"message\":"
			    "\"must not contain \\\"quotes\\\"\",\"field\":\"name\"}}");
	/* No field: member omitted. */
	zl_error_set(&e, ZL_ENOTFOUND, "", "no such organisation");
	render(&e, 0, &b);
	assert_string_equal(
		zl_buf_str(&b),
		"{\"error\":{\"code\":\"not_found\",\"message\":\"no such organisation\"}}");
	/* 5xx: message hidden unless exposed. */
	zl_error_set(&e, ZL_EDB, "", "SQLITE_CORRUPT in /var/secret.db");
	render(&e, 0, &b);
	assert_string_equal(zl_buf_str(&b), "{\"error\":{\"code\":\"database_error\",\"message\":"
					    "\"internal server error\"}}");
	assert_null(strstr(zl_buf_str(&b), "secret"));
	render(&e, 1, &b);
	assert_non_null(strstr(zl_buf_str(&b), "/var/secret.db"));
	zl_error_set(&e, ZL_EUNAVAIL, "", "pg down at 10.0.0.5");
	render(&e, 0, &b);
	assert_null(strstr(zl_buf_str(&b), "10.0.0.5"));
	/* Empty message: the code name stands in. */
	zl_error_set(&e, ZL_EFORBIDDEN, "", "%s", "");
	render(&e, 0, &b);
	assert_string_equal(zl_buf_str(&b),
			    "{\"error\":{\"code\":\"forbidden\",\"message\":\"forbidden\"}}");
	zl_buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_set_and_clear),
		cmocka_unit_test(test_status_and_names),
		cmocka_unit_test(test_write_json),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
