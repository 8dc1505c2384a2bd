/*
 * test_config.c - settings: defaults, file parsing with line-numbered
 * errors, environment overrides, flag precedence, value validation.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/config.h"
#include "core/err.h"

static const char *const env_vars[] = {
	"ZHILIANG_DB",
	"ZHILIANG_ADDR",
	"ZHILIANG_WEB_ROOT",
	"ZHILIANG_LOG_LEVEL",
	"ZHILIANG_THREADS",
	"ZHILIANG_MAX_BODY",
	"ZHILIANG_MAX_UPLOAD",
	"ZHILIANG_CONN_TIMEOUT",
	"ZHILIANG_DB_BUSY_MS",
	"ZHILIANG_CONFIG",
	NULL,
};

static int clean_env(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; env_vars[i]; i++)
		unsetenv(env_vars[i]);
	return 0;
}

static int load_text(struct zl_config *c, const char *text, struct zl_error *e)
{
	return zl_config_load_text(c, text, strlen(text), "zhiliang.conf", e);
}

static void test_defaults_and_keys(void **state)
{
	struct zl_config c;
	const char *const *k = zl_config_keys();
	char v[600];
	static const char *const expect[][2] = {
		{"db", "sqlite:./var/zhiliang.db"},
		{"addr", "127.0.0.1:8080"},
		{"web_root", "web/dist"},
		{"log_level", "info"},
		{"threads", "0"},
		{"max_body", "1048576"},
		{"max_upload", "1073741824"},
		{"conn_timeout", "30"},
		{"db_busy_ms", "5000"},
		{"db_mmap_mb", "2048"},
		{"db_cache_mb", "0"},
		{"session_idle", "1800"},
		{"session_absolute", "43200"},
		{"rate_anon_per_min", "600"},
		{"rate_anon_burst", "100"},
		{"rate_login_per_min", "10"},
		{"rate_login_burst", "5"},
		{"timers", "on"},
		{"stats_min_batches", "30"},
	};
	size_t i;

	(void)state;
	zl_config_defaults(&c);
	for (i = 0; i < sizeof(expect) / sizeof(expect[0]); i++) {
		assert_non_null(k[i]);
		assert_string_equal(k[i], expect[i][0]);
		assert_int_equal(zl_config_get(&c, k[i], v, sizeof(v)), ZL_OK);
		assert_string_equal(v, expect[i][1]);
		assert_int_equal(c.source[i], ZL_CFG_DEFAULT);
	}
	assert_null(k[i]);
	assert_int_equal(zl_config_get(&c, "nope", v, sizeof(v)), ZL_ENOTFOUND);
	assert_int_equal(zl_config_get(&c, "db", v, 5), ZL_ETOOBIG);
	assert_int_equal(zl_config_validate(&c, NULL), ZL_OK);
	assert_string_equal(zl_config_source_name(ZL_CFG_ENV), "env");
	assert_string_equal(zl_config_source_name(ZL_CFG_FLAG), "flag");
}

static void test_file_with_comments(void **state)
{
	struct zl_config c;
	struct zl_error e = ZL_ERROR_INIT;
	static const char text[] = "\xef\xbb\xbf# Zhiliang config\r\n"
				   "\n"
				   "   # indented comment\n"
				   "db = postgres://zl@127.0.0.1:5432/zhiliang#frag\r\n"
				   "addr=0.0.0.0:80\n"
				   "\tweb_root = \"/srv/zhiliang/web dist\"  \n"
				   "log_level = 'debug'\n"
				   "threads = 8\n"
				   "max_body = 2M\n"
				   "max_upload=4g\n"
				   "conn_timeout = 60\n"
				   "db_busy_ms = 0"; /* no final newline */

	(void)state;
	zl_config_defaults(&c);
	assert_int_equal(load_text(&c, text, &e), ZL_OK);
	assert_string_equal(c.db, "postgres://zl@127.0.0.1:5432/zhiliang#frag");
	assert_string_equal(c.addr, "0.0.0.0:80");
	assert_string_equal(c.web_root, "/srv/zhiliang/web dist");
	assert_string_equal(c.log_level, "debug");
	assert_int_equal(c.threads, 8);
	assert_int_equal(c.max_body, 2u << 20);
	assert_int_equal(c.max_upload, (size_t)4 << 30);
	assert_int_equal(c.conn_timeout, 60);
	assert_int_equal(c.db_busy_ms, 0);
	assert_int_equal(c.source[0], ZL_CFG_FILE);
	assert_int_equal(c.source[8], ZL_CFG_FILE);
}

static void expect_line_error(const char *text, const char *field, const char *msg_part)
{
	struct zl_config c, before;
	struct zl_error e = ZL_ERROR_INIT;

	zl_config_defaults(&c);
	before = c;
	assert_int_equal(load_text(&c, text, &e), ZL_EINVAL);
	assert_int_equal(e.code, ZL_EINVAL);
	assert_string_equal(e.field, field);
	if (!strstr(e.message, msg_part))
		fail_msg("message '%s' lacks '%s'", e.message, msg_part);
	/* All or nothing. */
	assert_memory_equal(&c, &before, sizeof(c));
}

static void test_file_errors(void **state)
{
	(void)state;
	expect_line_error("db = sqlite:x.db\n\n# c\ncolour = blue\n", "zhiliang.conf:4",
			  "zhiliang.conf:4: unknown key 'colour'");
	expect_line_error("threads = 4\njust some words\n", "zhiliang.conf:2",
			  "expected 'key = value'");
	expect_line_error("= 5\n", "zhiliang.conf:1", "missing key");
	expect_line_error("threads = 4\nthreads = 5\n", "zhiliang.conf:2", "already set on line 1");
	expect_line_error("addr = localhost\n", "zhiliang.conf:1", "HOST:PORT");
	expect_line_error("addr = 1.2.3.4:0\n", "zhiliang.conf:1", "HOST:PORT");
	expect_line_error("addr = 1.2.3.4:65536\n", "zhiliang.conf:1", "HOST:PORT");
	expect_line_error("addr = :8080\n", "zhiliang.conf:1", "HOST:PORT");
	expect_line_error("addr = host name:8080\n", "zhiliang.conf:1", "HOST:PORT");
	expect_line_error("db = mysql://x\n", "zhiliang.conf:1", "database URL");
	expect_line_error("db = sqlite:\n", "zhiliang.conf:1", "database URL");
	expect_line_error("max_body = -1\n", "zhiliang.conf:1", "positive size");
	expect_line_error("max_body = 0\n", "zhiliang.conf:1", "positive size");
	expect_line_error("max_body = 10T\n", "zhiliang.conf:1", "positive size");
	expect_line_error("max_body = 1MB\n", "zhiliang.conf:1", "positive size");
	expect_line_error("max_body = 99999999999999999999\n", "zhiliang.conf:1", "positive size");
	expect_line_error("max_upload = 99999999999G\n", "zhiliang.conf:1", "positive size");
	expect_line_error("threads = 4x\n", "zhiliang.conf:1", "threads");
	expect_line_error("threads = 2000\n", "zhiliang.conf:1", "threads");
	expect_line_error("conn_timeout = 0\n", "zhiliang.conf:1", "conn_timeout");
	expect_line_error("log_level = verbose\n", "zhiliang.conf:1", "log_level");
	expect_line_error("web_root = \"\"\n", "zhiliang.conf:1", "must not be empty");
	expect_line_error("web_root = a\xff\n", "zhiliang.conf:1", "invalid UTF-8");
}

static void test_file_nul_and_long_line(void **state)
{
	struct zl_config c;
	struct zl_error e = ZL_ERROR_INIT;
	char *big = malloc(6000);

	(void)state;
	zl_config_defaults(&c);
	assert_int_equal(zl_config_load_text(&c, "# ok\nthreads = 1\0\n", 18, "x.conf", &e),
			 ZL_EINVAL);
	assert_string_equal(e.field, "x.conf:2");
	memset(big, 'a', 6000);
	memcpy(big, "web_root = ", 11);
	assert_int_equal(zl_config_load_text(&c, big, 6000, "x.conf", &e), ZL_EINVAL);
	assert_string_equal(e.field, "x.conf:1");
	free(big);
}

static void test_long_file_name_field(void **state)
{
	struct zl_config c;
	struct zl_error e = ZL_ERROR_INIT;
	char name[300];

	(void)state;
	memset(name, 'd', sizeof(name));
	memcpy(name + sizeof(name) - 13, "/zl_end.conf", 13);
	zl_config_defaults(&c);
	assert_int_equal(zl_config_load_text(&c, "\n\nbad\n", 6, name, &e), ZL_EINVAL);
	assert_int_equal(strlen(e.field), ZL_ERR_FIELD_MAX - 1);
	assert_memory_equal(e.field, "...", 3);
	assert_string_equal(e.field + strlen(e.field) - 14, "/zl_end.conf:3");
}

static void test_set_and_precedence(void **state)
{
	struct zl_config c;
	struct zl_error e = ZL_ERROR_INIT;
	char path[] = "/tmp/zl_test_config_XXXXXX";
	int fd = mkstemp(path);
	static const char text[] = "db = sqlite:/from/file.db\naddr = 127.0.0.1:9000\n";

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, sizeof(text) - 1), (ssize_t)sizeof(text) - 1);
	close(fd);
	setenv("ZHILIANG_ADDR", "127.0.0.1:9100", 1);
	setenv("ZHILIANG_THREADS", "3", 1);
	setenv("ZHILIANG_WEB_ROOT", "", 1); /* empty: ignored */
	zl_config_defaults(&c);
	assert_int_equal(zl_config_load(&c, path, &e), ZL_OK);
	assert_string_equal(c.config_file, path);
	assert_string_equal(c.db, "sqlite:/from/file.db");
	assert_int_equal(c.source[0], ZL_CFG_FILE);
	/* env beats file */
	assert_string_equal(c.addr, "127.0.0.1:9100");
	assert_int_equal(c.source[1], ZL_CFG_ENV);
	assert_int_equal(c.threads, 3);
	assert_string_equal(c.web_root, "web/dist");
	assert_int_equal(c.source[2], ZL_CFG_DEFAULT);
	/* flags beat env */
	assert_int_equal(zl_config_set(&c, "addr", "[::1]:8443", ZL_CFG_FLAG, &e), ZL_OK);
	assert_string_equal(c.addr, "[::1]:8443");
	assert_int_equal(c.source[1], ZL_CFG_FLAG);
	assert_int_equal(zl_config_validate(&c, &e), ZL_OK);
	/* A bad flag leaves the value and its source alone. */
	assert_int_equal(zl_config_set(&c, "addr", "[::1]8443", ZL_CFG_FLAG, &e), ZL_EINVAL);
	assert_string_equal(e.field, "addr");
	assert_string_equal(c.addr, "[::1]:8443");
	assert_int_equal(zl_config_set(&c, "colour", "x", ZL_CFG_FLAG, &e), ZL_EINVAL);
	assert_string_equal(e.field, "colour");
	assert_int_equal(zl_config_set(&c, "max_body", "512K", ZL_CFG_FLAG, &e), ZL_OK);
	assert_int_equal(c.max_body, 512 * 1024);

	/* A bad environment variable is named in the error; nothing changes. */
	setenv("ZHILIANG_DB", "oracle://x", 1);
	zl_config_defaults(&c);
	assert_int_equal(zl_config_load(&c, path, &e), ZL_EINVAL);
	assert_string_equal(e.field, "ZHILIANG_DB");
	assert_string_equal(c.db, "sqlite:./var/zhiliang.db");
	assert_string_equal(c.config_file, "");
	unsetenv("ZHILIANG_DB");

	/* $ZHILIANG_CONFIG names the file when no path is given. */
	setenv("ZHILIANG_CONFIG", path, 1);
	zl_config_defaults(&c);
	assert_int_equal(zl_config_load(&c, NULL, &e), ZL_OK);
	assert_string_equal(c.db, "sqlite:/from/file.db");
	unlink(path);
	/* A named file that does not exist is an error. */
	assert_int_equal(zl_config_load(&c, NULL, &e), ZL_EIO);
	assert_non_null(strstr(e.message, path));
	clean_env(NULL);
}

static void test_validate_catches_direct_writes(void **state)
{
	struct zl_config c;
	struct zl_error e = ZL_ERROR_INIT;

	(void)state;
	zl_config_defaults(&c);
	c.conn_timeout = -5;
	assert_int_equal(zl_config_validate(&c, &e), ZL_EINVAL);
	assert_string_equal(e.field, "conn_timeout");
	zl_config_defaults(&c);
	snprintf(c.db, sizeof(c.db), "%s", "file.db");
	assert_int_equal(zl_config_validate(&c, &e), ZL_EINVAL);
	assert_string_equal(e.field, "db");
}

static void test_session_and_rate_keys(void **state)
{
	struct zl_config c;
	struct zl_error e = ZL_ERROR_INIT;

	(void)state;
	zl_config_defaults(&c);
	assert_int_equal(zl_config_set(&c, "session_idle", "600", ZL_CFG_FLAG, &e), ZL_OK);
	assert_int_equal(c.session_idle, 600);
	assert_int_equal(zl_config_set(&c, "rate_anon_per_min", "0", ZL_CFG_FLAG, &e), ZL_OK);
	assert_int_equal(c.rate_anon_per_min, 0);
	assert_int_equal(zl_config_set(&c, "rate_login_burst", "3", ZL_CFG_FLAG, &e), ZL_OK);
	assert_int_equal(c.rate_login_burst, 3);
	assert_int_equal(zl_config_set(&c, "timers", "off", ZL_CFG_FLAG, &e), ZL_OK);
	assert_int_equal(c.timers, 0);
	assert_int_equal(zl_config_set(&c, "timers", "no", ZL_CFG_FLAG, &e), ZL_EINVAL);
	assert_string_equal(e.field, "timers");
	assert_int_equal(c.timers, 0);
	assert_int_equal(zl_config_set(&c, "session_idle", "59", ZL_CFG_FLAG, &e), ZL_EINVAL);
	assert_string_equal(e.field, "session_idle");
	assert_int_equal(zl_config_set(&c, "session_absolute", "x", ZL_CFG_FLAG, &e), ZL_EINVAL);
	assert_int_equal(zl_config_set(&c, "rate_anon_burst", "0", ZL_CFG_FLAG, &e), ZL_EINVAL);
	assert_int_equal(zl_config_set(&c, "rate_login_per_min", "-1", ZL_CFG_FLAG, &e), ZL_EINVAL);
	assert_int_equal(zl_config_validate(&c, &e), ZL_OK);
	/* the absolute lifetime may not be shorter than the idle timeout */
	assert_int_equal(zl_config_set(&c, "session_absolute", "300", ZL_CFG_FLAG, &e), ZL_OK);
	assert_int_equal(zl_config_validate(&c, &e), ZL_EINVAL);
	assert_string_equal(e.field, "session_absolute");
}

static void test_db_size_keys(void **state)
{
	struct zl_config c;
	struct zl_error e = ZL_ERROR_INIT;

	(void)state;
	zl_config_defaults(&c);
	assert_int_equal(zl_config_set(&c, "db_mmap_mb", "0", ZL_CFG_FLAG, &e), ZL_OK);
	assert_int_equal(c.db_mmap_mb, 0); /* no memory mapping */
	assert_int_equal(zl_config_set(&c, "db_mmap_mb", "8192", ZL_CFG_ENV, &e), ZL_OK);
	assert_int_equal(c.db_mmap_mb, 8192);
	assert_int_equal(zl_config_set(&c, "db_mmap_mb", "-1", ZL_CFG_FLAG, &e), ZL_EINVAL);
	assert_string_equal(e.field, "db_mmap_mb");
	assert_int_equal(zl_config_set(&c, "db_mmap_mb", "1G", ZL_CFG_FLAG, &e), ZL_EINVAL);
	assert_int_equal(zl_config_set(&c, "db_cache_mb", "64", ZL_CFG_FLAG, &e), ZL_OK);
	assert_int_equal(c.db_cache_mb, 64);
	assert_int_equal(zl_config_set(&c, "db_cache_mb", "-1", ZL_CFG_FLAG, &e), ZL_EINVAL);
	assert_string_equal(e.field, "db_cache_mb");
	assert_int_equal(zl_config_set(&c, "db_cache_mb", "65537", ZL_CFG_FLAG, &e), ZL_EINVAL);
	assert_int_equal(c.db_mmap_mb, 8192);
	assert_int_equal(c.db_cache_mb, 64);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults_and_keys),
		cmocka_unit_test(test_file_with_comments),
		cmocka_unit_test(test_file_errors),
		cmocka_unit_test(test_file_nul_and_long_line),
		cmocka_unit_test(test_long_file_name_field),
		cmocka_unit_test(test_set_and_precedence),
		cmocka_unit_test(test_validate_catches_direct_writes),
		cmocka_unit_test(test_session_and_rate_keys),
		cmocka_unit_test(test_db_size_keys),
	};
	return cmocka_run_group_tests(tests, clean_env, NULL);
}
