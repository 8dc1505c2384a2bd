/*
 * test_ratelimit.c - the token buckets of http/ratelimit.h, driven by an
 * injected clock: burst, refill, Retry-After rounding, independent keys,
 * "0 disables", eviction in a tiny table, and concurrent use.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "http/ratelimit.h"

static struct zl_ratelimit *make(int per_min, int burst, size_t cap)
{
	struct zl_ratelimit *rl = NULL;
	struct zl_error e = ZL_ERROR_INIT;

	assert_int_equal(zl_ratelimit_new(per_min, burst, cap, &rl, &e), ZL_OK);
	assert_non_null(rl);
	return rl;
}

static void test_login_class(void **state)
{
	/* the login defaults: 10 a minute, burst 5 -> one token every 6 s */
	struct zl_ratelimit *rl = make(10, 5, 0);
	int64_t t = 1000000;

	(void)state;
	for (int i = 0; i < 5; i++)
		assert_int_equal(zl_ratelimit_take(rl, "192.0.2.7", t), 0);
	assert_int_equal(zl_ratelimit_take(rl, "192.0.2.7", t), 6);
	/* refused requests take nothing */
	assert_int_equal(zl_ratelimit_take(rl, "192.0.2.7", t), 6);
	/* 1 s later: 5 s to go; 5.001 s later: rounded up to 1 */
	assert_int_equal(zl_ratelimit_take(rl, "192.0.2.7", t + 1000), 5);
	assert_int_equal(zl_ratelimit_take(rl, "192.0.2.7", t + 5001), 1);
	/* after 6 s exactly one request passes */
	assert_int_equal(zl_ratelimit_take(rl, "192.0.2.7", t + 6000), 0);
	assert_int_equal(zl_ratelimit_take(rl, "192.0.2.7", t + 6000), 6);
	/* another address has its own bucket */
	assert_int_equal(zl_ratelimit_take(rl, "2001:db8::1", t + 6000), 0);
	/* a long pause refills up to the burst only */
	t += 3600 * 1000;
	for (int i = 0; i < 5; i++)
		assert_int_equal(zl_ratelimit_take(rl, "192.0.2.7", t), 0);
	assert_true(zl_ratelimit_take(rl, "192.0.2.7", t) > 0);
	/* a clock going backwards neither refills nor breaks anything */
	assert_int_equal(zl_ratelimit_take(rl, "192.0.2.7", t - 60000), 6);
	zl_ratelimit_free(rl);
}

static void test_anon_class(void **state)
{
	/* the anonymous defaults: 600 a minute = 10 a second, burst 100 */
	struct zl_ratelimit *rl = make(600, 100, 0);
	int64_t t = 5000;
	int passed = 0;

	(void)state;
	for (int i = 0; i < 150; i++)
		passed += zl_ratelimit_take(rl, "198.51.100.1", t) == 0;
	assert_int_equal(passed, 100);
	assert_int_equal(zl_ratelimit_take(rl, "198.51.100.1", t), 1);
	/* 1 s refills 10 */
	passed = 0;
	for (int i = 0; i < 20; i++)
		passed += zl_ratelimit_take(rl, "198.51.100.1", t + 1000) == 0;
	assert_int_equal(passed, 10);
	zl_ratelimit_free(rl);
}

static void test_disabled(void **state)
{
	struct zl_ratelimit *rl = (struct zl_ratelimit *)1;
	struct zl_error e = ZL_ERROR_INIT;

	(void)state;
	assert_int_equal(zl_ratelimit_new(0, 5, 0, &rl, &e), ZL_OK);
	assert_null(rl);
	for (int i = 0; i < 1000; i++)
		assert_int_equal(zl_ratelimit_take(NULL, "192.0.2.7", 1), 0);
	zl_ratelimit_free(NULL);
}

static void test_keys(void **state)
{
	struct zl_ratelimit *rl = make(1, 1, 0);
	char longkey[200];

	(void)state;
	assert_int_equal(zl_ratelimit_take(rl, "", 10), 0);
	assert_int_equal(zl_ratelimit_take(rl, "", 10), 60);
	assert_int_equal(zl_ratelimit_take(rl, NULL, 10), 60); /* NULL is "" */
	memset(longkey, 'k', sizeof(longkey) - 1);
	longkey[sizeof(longkey) - 1] = '\0';
	assert_int_equal(zl_ratelimit_take(rl, longkey, 10), 0);
	assert_int_equal(zl_ratelimit_take(rl, longkey, 10), 60);
	/* a time of 0 or below still works */
	assert_int_equal(zl_ratelimit_take(rl, "x", 0), 0);
	assert_int_equal(zl_ratelimit_take(rl, "x", -5), 60);
	zl_ratelimit_free(rl);
}

/* Far more addresses than slots: memory stays fixed and the limiter keeps answering. */
static void test_eviction(void **state)
{
	struct zl_ratelimit *rl = make(60, 2, 1); /* the smallest table */
	char key[32];
	int64_t t = 1000;

	(void)state;
	for (int i = 0; i < 20000; i++) {
		snprintf(key, sizeof(key), "10.0.%d.%d", i / 256, i % 256);
		assert_int_equal(zl_ratelimit_take(rl, key, t), 0);
	}
	/* An address seen just now is remembered: its bucket is not full, so not reused first. */
	assert_int_equal(zl_ratelimit_take(rl, "203.0.113.9", t), 0);
	assert_int_equal(zl_ratelimit_take(rl, "203.0.113.9", t), 0);
	assert_int_equal(zl_ratelimit_take(rl, "203.0.113.9", t), 1);
	zl_ratelimit_free(rl);
}

struct worker {
	struct zl_ratelimit *rl;
	int passed;
};

static void *hammer(void *arg)
{
	struct worker *w = arg;

	for (int i = 0; i < 10000; i++)
		w->passed += zl_ratelimit_take(w->rl, "192.0.2.99", 42) == 0;
	return NULL;
}

/* Eight threads on one key at one instant: exactly `burst` requests pass. */
static void test_threads(void **state)
{
	struct zl_ratelimit *rl = make(60, 1000, 0);
	struct worker w[8];
	pthread_t th[8];
	int total = 0;

	(void)state;
	for (int i = 0; i < 8; i++) {
		w[i].rl = rl;
		w[i].passed = 0;
		assert_int_equal(pthread_create(&th[i], NULL, hammer, &w[i]), 0);
	}
	for (int i = 0; i < 8; i++) {
		pthread_join(th[i], NULL);
		total += w[i].passed;
	}
	assert_int_equal(total, 1000);
	zl_ratelimit_free(rl);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_login_class), cmocka_unit_test(test_anon_class),
		cmocka_unit_test(test_disabled),    cmocka_unit_test(test_keys),
		cmocka_unit_test(test_eviction),    cmocka_unit_test(test_threads),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
