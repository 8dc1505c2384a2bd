/*
 * test_log.c - JSON-lines logging: level filtering, escaping, the request
 * line's members, and whole lines under concurrency.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "core/err.h"
#include "core/log.h"

/* The contents of a tmpfile as a malloc'd string. */
static char *slurp(FILE *f)
{
	long n;
	char *s;

	fflush(f);
	n = ftell(f);
	assert_true(n >= 0);
	s = malloc((size_t)n + 1);
	assert_non_null(s);
	rewind(f);
	assert_int_equal(fread(s, 1, (size_t)n, f), (size_t)n);
	s[n] = '\0';
	return s;
}

static void test_level_parse(void **state)
{
	enum zl_log_level l = ZL_LOG_INFO;

	(void)state;
	assert_int_equal(zl_log_level_parse("debug", &l), ZL_OK);
	assert_int_equal(l, ZL_LOG_DEBUG);
	assert_int_equal(zl_log_level_parse("off", &l), ZL_OK);
	assert_int_equal(l, ZL_LOG_OFF);
	assert_int_equal(zl_log_level_parse("warn", &l), ZL_OK);
	assert_int_equal(l, ZL_LOG_WARN);
	assert_int_equal(zl_log_level_parse("WARN", &l), ZL_EINVAL);
	assert_int_equal(zl_log_level_parse("warning", &l), ZL_EINVAL);
	assert_int_equal(zl_log_level_parse("", &l), ZL_EINVAL);
	assert_int_equal(zl_log_level_parse(NULL, &l), ZL_EINVAL);
}

static void test_msg_line(void **state)
{
	FILE *f = tmpfile();
	struct zl_log l;
	cJSON *j;
	char *s;

	(void)state;
	assert_non_null(f);
	zl_log_init(&l, f, ZL_LOG_INFO);
	zl_log_msg(&l, ZL_LOG_DEBUG, "hidden %d", 1);
	zl_log_msg(&l, ZL_LOG_WARN, "db \"%s\" slow:\n%d ms", "质量", 1500);
	s = slurp(f);
	/* Exactly one line, ending in a newline. */
	assert_non_null(strchr(s, '\n'));
	assert_int_equal(strchr(s, '\n') - s, (long)strlen(s) - 1);
	assert_null(strstr(s, "hidden"));
	j = cJSON_Parse(s);
	assert_non_null(j);
	assert_string_equal(cJSON_GetObjectItem(j, "level")->valuestring, "warn");
	assert_string_equal(cJSON_GetObjectItem(j, "msg")->valuestring,
			    "db \"质量\" slow:\n1500 ms");
	/* ts: 2026-11-26T17:22:29.123456Z */
	assert_int_equal(strlen(cJSON_GetObjectItem(j, "ts")->valuestring), 27);
	assert_int_equal(cJSON_GetObjectItem(j, "ts")->valuestring[26], 'Z');
	assert_int_equal(cJSON_GetObjectItem(j, "ts")->valuestring[19], '.');
	cJSON_Delete(j);
	free(s);
	zl_log_release(&l);
	fclose(f);
}

static void test_request_line(void **state)
{
	FILE *f = tmpfile();
	struct zl_log l;
	cJSON *j;
	char *s;

	(void)state;
	zl_log_init(&l, f, ZL_LOG_INFO);
	zl_log_request(&l, "GET", "/api/v1/orgs/{code}", "/api/v1/orgs/41%22</script>", 404, 1234,
		       NULL, "r-1");
	s = slurp(f);
	assert_non_null(strstr(s, "<\\/script>"));
	j = cJSON_Parse(s);
	assert_non_null(j);
	assert_string_equal(cJSON_GetObjectItem(j, "event")->valuestring, "request");
	assert_string_equal(cJSON_GetObjectItem(j, "level")->valuestring, "info");
	assert_string_equal(cJSON_GetObjectItem(j, "method")->valuestring, "GET");
	assert_string_equal(cJSON_GetObjectItem(j, "route")->valuestring, "/api/v1/orgs/{code}");
	assert_string_equal(cJSON_GetObjectItem(j, "path")->valuestring,
			    "/api/v1/orgs/41%22</script>");
	assert_int_equal(cJSON_GetObjectItem(j, "status")->valueint, 404);
	assert_int_equal(cJSON_GetObjectItem(j, "us")->valueint, 1234);
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(j, "user")));
	assert_string_equal(cJSON_GetObjectItem(j, "rid")->valuestring, "r-1");
	cJSON_Delete(j);
	free(s);
	zl_log_release(&l);
	fclose(f);

	/* Level above info: request lines are dropped. */
	f = tmpfile();
	zl_log_init(&l, f, ZL_LOG_WARN);
	zl_log_request(&l, "GET", "", "/", 200, 1, "admin", "");
	s = slurp(f);
	assert_string_equal(s, "");
	free(s);
	zl_log_release(&l);
	fclose(f);
}

static void test_null_sink_and_huge(void **state)
{
	FILE *f = tmpfile();
	struct zl_log l;
	char *big = malloc(100000), *s;
	cJSON *j;

	(void)state;
	zl_log_init(&l, NULL, ZL_LOG_DEBUG);
	zl_log_msg(&l, ZL_LOG_ERROR, "to nowhere");
	zl_log_release(&l);

	/* A message far beyond the line cap is cut, not lost; the line is valid JSON. */
	memset(big, 'x', 99999);
	big[99999] = '\0';
	zl_log_init(&l, f, ZL_LOG_DEBUG);
	zl_log_msg(&l, ZL_LOG_ERROR, "%s", big);
	zl_log_request(&l, "GET", "", big, 414, 1, big, "");
	s = slurp(f);
	j = cJSON_Parse(s);
	assert_non_null(j);
	assert_non_null(strstr(cJSON_GetObjectItem(j, "msg")->valuestring, "[truncated]"));
	cJSON_Delete(j);
	j = cJSON_Parse(strchr(s, '\n') + 1);
	assert_non_null(j);
	assert_int_equal(cJSON_GetObjectItem(j, "status")->valueint, 414);
	cJSON_Delete(j);
	free(s);
	free(big);
	zl_log_release(&l);
	fclose(f);
}

struct worker {
	struct zl_log *l;
	int id;
};

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	int i;

	for (i = 0; i < 500; i++)
		zl_log_msg(w->l, ZL_LOG_INFO, "worker %d line %d %s", w->id, i,
			   "padding padding padding padding padding padding padding");
	return NULL;
}

/* Bytes written to the tmpfile so far (without disturbing its position). */
static long written(FILE *f)
{
	fflush(f);
	return ftell(f);
}

static void test_buffered(void **state)
{
	FILE *f = tmpfile();
	struct zl_log l;
	char *s;
	long one;

	(void)state;
	assert_non_null(f);
	zl_log_init(&l, f, ZL_LOG_INFO);
	/* An hour of delay: only size, level, flush and release may write. */
	assert_int_equal(zl_log_set_buffered(&l, 4096, 3600LL * 1000000), ZL_OK);
	zl_log_request(&l, "GET", "/healthz", "/healthz", 200, 12, NULL, "r1");
	zl_log_request(&l, "GET", "/healthz", "/healthz", 200, 13, NULL, "r2");
	assert_int_equal(written(f), 0);
	/* A warning goes out at once, after the lines that came before it. */
	zl_log_msg(&l, ZL_LOG_WARN, "disk nearly full");
	s = slurp(f);
	assert_non_null(strstr(s, "\"rid\":\"r1\""));
	assert_true(strstr(s, "\"rid\":\"r2\"") < strstr(s, "disk nearly full"));
	assert_true(strstr(s, "\"rid\":\"r1\"") < strstr(s, "\"rid\":\"r2\""));
	free(s);
	fseek(f, 0, SEEK_END);
	one = written(f);
	/* Info lines wait until flushed. */
	zl_log_msg(&l, ZL_LOG_INFO, "pending");
	assert_int_equal(written(f), one);
	zl_log_flush(&l);
	assert_true(written(f) > one);
	/* Filling the buffer writes it out, whole lines only. */
	one = written(f);
	for (int i = 0; i < 100; i++)
		zl_log_request(&l, "GET", "/x", "/x", 200, (uint64_t)i, "u", "rid");
	assert_true(written(f) > one);
	zl_log_release(&l); /* flushes the rest */
	s = slurp(f);
	assert_int_equal(strstr(s, "\"us\":99") != NULL, 1);
	assert_int_equal(s[strlen(s) - 1], '\n');
	free(s);
	fclose(f);
}

static void test_buffered_delay_zero(void **state)
{
	FILE *f = tmpfile();
	struct zl_log l;

	(void)state;
	assert_non_null(f);
	zl_log_init(&l, f, ZL_LOG_INFO);
	/* A zero delay: every line is due as soon as it is written. */
	assert_int_equal(zl_log_set_buffered(&l, 4096, 0), ZL_OK);
	zl_log_request(&l, "GET", "/", "/", 200, 1, NULL, "r");
	assert_true(written(f) > 0);
	zl_log_release(&l);
	fclose(f);
}

static void test_threads_whole_lines(void **state)
{
	FILE *f = tmpfile();
	struct zl_log l;
	pthread_t th[4];
	struct worker w[4];
	char *s, *line, *save = NULL;
	int i, lines = 0;

	(void)state;
	zl_log_init(&l, f, ZL_LOG_INFO);
	for (i = 0; i < 4; i++) {
		w[i].l = &l;
		w[i].id = i;
		assert_int_equal(pthread_create(&th[i], NULL, worker_main, &w[i]), 0);
	}
	for (i = 0; i < 4; i++)
		pthread_join(th[i], NULL);
	s = slurp(f);
	for (line = strtok_r(s, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		cJSON *j = cJSON_Parse(line);

		assert_non_null(j);
		cJSON_Delete(j);
		lines++;
	}
	assert_int_equal(lines, 2000);
	free(s);
	zl_log_release(&l);
	fclose(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_level_parse),
		cmocka_unit_test(test_msg_line),
		cmocka_unit_test(test_request_line),
		cmocka_unit_test(test_null_sink_and_huge),
		cmocka_unit_test(test_threads_whole_lines),
		cmocka_unit_test(test_buffered),
		cmocka_unit_test(test_buffered_delay_zero),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
