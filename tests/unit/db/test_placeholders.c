/*
 * test_placeholders.c - unit tests of the pure parts of the db driver: the
 * `?` -> `$n` rewriter used for libpq, database URL parsing and the
 * statement-cache hash.  No database is opened.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "db/db_impl.h"

static void check_rewrite(const char *in, const char *want, int want_n)
{
	int n = -1;
	char *out = zl_db_rewrite_placeholders(in, &n);

	assert_non_null(out);
	assert_string_equal(out, want);
	assert_int_equal(n, want_n);
	free(out);
}

static void test_plain(void **state)
{
	(void)state;
	check_rewrite("", "", 0);
	check_rewrite("SELECT 1", "SELECT 1", 0);
	check_rewrite("SELECT ?", "SELECT $1", 1);
	check_rewrite("INSERT INTO t (a, b) VALUES (?, ?)", "INSERT INTO t (a, b) VALUES ($1, $2)",
		      2);
	check_rewrite("?,?,?,?,?,?,?,?,?,?,?,?", "$1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12", 12);
	/* NULL nparams is allowed. */
	char *out = zl_db_rewrite_placeholders("x = ?", NULL);
	assert_string_equal(out, "x = $1");
	free(out);
}

static void test_string_literals(void **state)
{
	(void)state;
	check_rewrite("SELECT '?', ?", "SELECT '?', $1", 1);
	check_rewrite("SELECT 'it''s ?', ?", "SELECT 'it''s ?', $1", 1);
	check_rewrite("SELECT '', ?", "SELECT '', $1", 1);
	check_rewrite("WHERE name='a?b' AND code=?", "WHERE name='a?b' AND code=$1", 1);
	/* E'' strings: a backslash escapes the quote. */
	check_rewrite("SELECT E'\\' ?', ?", "SELECT E'\\' ?', $1", 1);
	check_rewrite("SELECT e'\\\\', ?", "SELECT e'\\\\', $1", 1);
	/* A backslash in a standard string is an ordinary character. */
	check_rewrite("SELECT '\\', ?", "SELECT '\\', $1", 1);
	/* An identifier ending in E before a quote is not an E'' prefix. */
	check_rewrite("SELECT type'\\', ?", "SELECT type'\\', $1", 1);
	/* Unterminated: copied to the end, nothing rewritten. */
	check_rewrite("SELECT 'abc ?", "SELECT 'abc ?", 0);
}

static void test_identifiers(void **state)
{
	(void)state;
	check_rewrite("SELECT \"odd?name\" FROM t WHERE x = ?",
		      "SELECT \"odd?name\" FROM t WHERE x = $1", 1);
	check_rewrite("SELECT \"a\"\"?\" , ?", "SELECT \"a\"\"?\" , $1", 1);
	check_rewrite("SELECT 质量 FROM t WHERE 名称 = ?", "SELECT 质量 FROM t WHERE 名称 = $1", 1);
}

static void test_comments(void **state)
{
	(void)state;
	check_rewrite("SELECT ? -- why?\n, ?", "SELECT $1 -- why?\n, $2", 2);
	check_rewrite("-- ? only", "-- ? only", 0);
	check_rewrite("SELECT /* ? */ ?", "SELECT /* ? */ $1", 1);
	check_rewrite("/* a /* nested ? */ still ? */ ?", "/* a /* nested ? */ still ? */ $1", 1);
	check_rewrite("SELECT /* open ?", "SELECT /* open ?", 0);
	/* A lone dash or slash is an operator. */
	check_rewrite("SELECT 5 - ? / ?", "SELECT 5 - $1 / $2", 2);
}

static void test_dollar_quotes(void **state)
{
	(void)state;
	check_rewrite("SELECT $$ ? $$, ?", "SELECT $$ ? $$, $1", 1);
	check_rewrite("SELECT $fn$ it's ? $fn$, ?", "SELECT $fn$ it's ? $fn$, $1", 1);
	/* Different tags do not close each other. */
	check_rewrite("$a$ $b$ ? $a$ ?", "$a$ $b$ ? $a$ $1", 1);
	/* '$' inside an identifier, and a positional parameter, are not quotes. */
	check_rewrite("SELECT a$b, ?", "SELECT a$b, $1", 1);
	check_rewrite("SELECT $1, ?", "SELECT $1, $1", 1);
	check_rewrite("SELECT $$ open ?", "SELECT $$ open ?", 0);
}

static void check_url(const char *url, const char *backend, const char *target)
{
	const struct zl_db_ops *ops = NULL;
	const char *t = NULL;
	struct zl_error err = ZL_ERROR_INIT;

	assert_int_equal(zl_db_url_parse(url, &ops, &t, &err), ZL_OK);
	assert_string_equal(ops->name, backend);
	assert_string_equal(t, target);
	assert_string_equal(zl_db_url_backend(url), backend);
}

static void check_bad_url(const char *url)
{
	const struct zl_db_ops *ops = NULL;
	const char *t = NULL;
	struct zl_error err = ZL_ERROR_INIT;

	assert_int_equal(zl_db_url_parse(url, &ops, &t, &err), ZL_EINVAL);
	assert_int_equal(err.code, ZL_EINVAL);
	assert_string_equal(err.field, "db");
	assert_true(strlen(err.message) > 0);
	assert_null(zl_db_url_backend(url));
}

static void test_urls(void **state)
{
	(void)state;
	check_url("sqlite:./var/zhiliang.db", "sqlite", "./var/zhiliang.db");
	check_url("sqlite::memory:", "sqlite", ":memory:");
	check_url("sqlite:///tmp/z.db", "sqlite", "/tmp/z.db");
	check_url("sqlite:z.db", "sqlite", "z.db");
	check_url("postgres://u@127.0.0.1:5432/zhiliang", "postgres",
		  "postgres://u@127.0.0.1:5432/zhiliang");
	check_url("postgresql://u:pw@h/db?sslmode=disable", "postgres",
		  "postgresql://u:pw@h/db?sslmode=disable");
	check_bad_url("");
	check_bad_url("sqlite:");
	check_bad_url("sqlite://");
	check_bad_url("mysql://u@h/db");
	check_bad_url("postgres:/h/db");
	check_bad_url("SQLITE:x.db");
	assert_null(zl_db_url_backend(NULL));
}

static void test_hash(void **state)
{
	(void)state;
	/* FNV-1a 64 reference values. */
	assert_true(zl_db_sql_hash("") == 0xcbf29ce484222325ULL);
	assert_true(zl_db_sql_hash("a") == 0xaf63dc4c8601ec8cULL);
	assert_true(zl_db_sql_hash("SELECT 1") != zl_db_sql_hash("SELECT 2"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain),	      cmocka_unit_test(test_string_literals),
		cmocka_unit_test(test_identifiers),   cmocka_unit_test(test_comments),
		cmocka_unit_test(test_dollar_quotes), cmocka_unit_test(test_urls),
		cmocka_unit_test(test_hash),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
