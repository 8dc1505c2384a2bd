/*
 * test_credit.c - the store suite for the quality credit archive
 * (store/credit.h): append with sequential ids inside the caller's
 * transaction, the full list, the public filter around an expiry date,
 * ordering by event date then id, cursor paging and the per-enterprise
 * counts credit grading reads, and four connections adding at once.  Runs against ZHILIANG_TEST_DB
 * (SQLite by default, PostgreSQL when pointed at one); every test starts empty.
 */
#include <inttypes.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/buf.h"
#include "db/db.h"
#include "store/credit.h"
#include "store/enterprises.h"
#include "store/migrate.h"

#include "harness.h"

#define ENT_A "91410100MA3X4Y5Z6A"
#define ENT_B "91410300MA3X4Y5Z6B"

static int setup_db(void **state)
{
	struct zl_db *db = harness_open_empty(1);

	if (!db)
		return -1;
	*state = db;
	return 0;
}

/* A complete event: defaults applied from the rule table. */
static void make(struct zl_credit_event *ev, const char *uscc, const char *kind, const char *sub,
		 const char *date, const char *title)
{
	memset(ev, 0, sizeof(*ev));
	zl_strlcpy(ev->uscc, uscc, sizeof(ev->uscc));
	zl_strlcpy(ev->kind, kind, sizeof(ev->kind));
	zl_strlcpy(ev->subkind, sub, sizeof(ev->subkind));
	zl_strlcpy(ev->event_date, date, sizeof(ev->event_date));
	zl_strlcpy(ev->source_org, "410100", sizeof(ev->source_org));
	zl_strlcpy(ev->title, title, sizeof(ev->title));
	zl_strlcpy(ev->created_by, "test", sizeof(ev->created_by));
	zl_credit_apply_defaults(ev, 1);
}

/* Add one event in its own transaction; returns its id. */
static int64_t add(struct zl_db *db, const struct zl_credit_event *ev)
{
	struct zl_error err = ZL_ERROR_INIT;
	int64_t id = 0;
	int rc;

	assert_int_equal(zl_db_begin(db, &err), ZL_OK);
	rc = zl_store_credit_add(db, ev, &id, &err);
	if (rc != ZL_OK)
		fail_msg("add failed (%d): %s %s", rc, err.field, err.message);
	assert_int_equal(zl_db_commit(db, &err), ZL_OK);
	return id;
}

/* Collected ids and titles of a walk. */
struct got {
	int n;
	int64_t ids[32];
	char titles[32][64];
	int stop_after; /* 0: never */
};

static int collect(void *cls, const struct zl_credit_event *ev)
{
	struct got *g = cls;

	assert_true(g->n < 32);
	g->ids[g->n] = ev->id;
	zl_strlcpy(g->titles[g->n], ev->title, sizeof(g->titles[0]));
	g->n++;
	return g->stop_after > 0 && g->n >= g->stop_after ? 99 : 0;
}

/* The ops of the change feed, joined: "credit,credit". */
static int feed_op(void *cls, const struct zl_ent_change *c)
{
	char *ops = cls;
	size_t n = strlen(ops);

	snprintf(ops + n, 256 - n, "%s%s:%s", n ? "," : "", c->uscc, c->op);
	return ZL_OK;
}

static void test_add_and_get(void **state)
{
	struct zl_db *db = *state;
	struct zl_credit_event ev, back;
	struct zl_error err = ZL_ERROR_INIT;

	make(&ev, ENT_A, "penalty", "minor", "2019-02-28", "通报批评");
	zl_strlcpy(ev.doc_no, "郑市监罚〔2019〕12号", sizeof(ev.doc_no));
	zl_strlcpy(ev.detail, "标签不合格", sizeof(ev.detail));
	assert_int_equal(add(db, &ev), 1);
	make(&ev, ENT_B, "award", "", "2018-05-01", "河南省长质量奖");
	assert_int_equal(add(db, &ev), 2);
	make(&ev, ENT_A, "spot_check", "", "2020-01-10", "抽查不合格");
	assert_int_equal(add(db, &ev), 3);
	/* Each event is announced in the register's change feed. */
	{
		char ops[256] = "";
		int64_t last = 0;

		assert_int_equal(zl_store_enterprise_changes(db, 0, 10, feed_op, ops, &last, &err),
				 ZL_OK);
		assert_int_equal(last, 3);
		assert_string_equal(ops, ENT_A ":credit," ENT_B ":credit," ENT_A ":credit");
	}

	assert_int_equal(zl_store_credit_get(db, 1, &back, &err), ZL_OK);
	assert_int_equal(back.id, 1);
	assert_string_equal(back.uscc, ENT_A);
	assert_string_equal(back.kind, "penalty");
	assert_string_equal(back.subkind, ""); /* not stored */
	assert_string_equal(back.polarity, "negative");
	assert_string_equal(back.event_date, "2019-02-28");
	assert_string_equal(back.source_org, "410100");
	assert_string_equal(back.source_org_name, ""); /* no such organization in this db */
	assert_string_equal(back.doc_no, "郑市监罚〔2019〕12号");
	assert_string_equal(back.title, "通报批评");
	assert_string_equal(back.detail, "标签不合格");
	assert_string_equal(back.visibility, "public");
	assert_string_equal(back.public_until, "2019-05-28");
	assert_string_equal(back.created_by, "test");
	assert_int_equal(strlen(back.created_at), 20); /* 2026-01-01T00:00:00Z */
	assert_int_equal(back.created_at[19], 'Z');

	/* The source organization's name as it was on the event's date. */
	exec_ok(db, "INSERT INTO orgs (code, kind, name, path, valid_from, valid_to) VALUES"
		    " ('410100', 'city', '郑州市质量技术监督局', '410100', '2000-01-01', '2019-01-01'),"
		    " ('410100', 'city', '郑州市市场监督管理局', '410100', '2019-01-01', NULL)");
	assert_int_equal(zl_store_credit_get(db, 1, &back, &err), ZL_OK);
	assert_string_equal(back.source_org_name, "郑州市市场监督管理局");
	assert_int_equal(zl_store_credit_get(db, 2, &back, &err), ZL_OK); /* 2018-05-01 */
	assert_string_equal(back.source_org_name, "郑州市质量技术监督局");
	assert_int_equal(zl_store_credit_get(db, 4, &back, &err), ZL_ENOTFOUND);
}

static void test_add_refuses(void **state)
{
	struct zl_db *db = *state;
	struct zl_credit_event ev;
	struct zl_error err = ZL_ERROR_INIT;
	struct got g = {0};

	make(&ev, ENT_A, "award", "", "2018-05-01", "名牌产品");
	/* outside a transaction */
	assert_int_equal(zl_store_credit_add(db, &ev, NULL, &err), ZL_EINTERNAL);
	assert_int_equal(zl_db_begin(db, &err), ZL_OK);
	zl_strlcpy(ev.kind, "fine", sizeof(ev.kind));
	assert_int_equal(zl_store_credit_add(db, &ev, NULL, &err), ZL_EUNPROC);
	assert_string_equal(err.field, "kind");
	make(&ev, ENT_A, "penalty", "major", "2018-05-01", "罚款");
	ev.public_until[0] = '\0'; /* a public negative event without an end */
	assert_int_equal(zl_store_credit_add(db, &ev, NULL, &err), ZL_EUNPROC);
	assert_string_equal(err.field, "public_until");
	make(&ev, ENT_A, "award", "", "2018-05-01", "名牌产品");
	ev.created_by[0] = '\0';
	assert_int_equal(zl_store_credit_add(db, &ev, NULL, &err), ZL_EUNPROC);
	assert_string_equal(err.field, "created_by");
	zl_db_rollback(db);
	assert_int_equal(zl_store_credit_list(db, ENT_A, 0, NULL, collect, &g, &err), ZL_OK);
	assert_int_equal(g.n, 0);
}

static void test_ids_in_transaction(void **state)
{
	struct zl_db *db = *state;
	struct zl_credit_event ev;
	struct zl_error err = ZL_ERROR_INIT;
	int64_t a = 0, b = 0;

	/* two adds in one transaction get consecutive ids */
	make(&ev, ENT_A, "award", "", "2018-05-01", "一");
	assert_int_equal(zl_db_begin(db, &err), ZL_OK);
	assert_int_equal(zl_store_credit_add(db, &ev, &a, &err), ZL_OK);
	assert_int_equal(zl_store_credit_add(db, &ev, &b, &err), ZL_OK);
	assert_int_equal(a, 1);
	assert_int_equal(b, 2);
	/* a rolled-back add leaves no gap behind */
	zl_db_rollback(db);
	assert_int_equal(add(db, &ev), 1);
	assert_int_equal(add(db, &ev), 2);
	/* created_at as given is kept */
	zl_strlcpy(ev.created_at, "2014-07-18T08:30:00Z", sizeof(ev.created_at));
	assert_int_equal(add(db, &ev), 3);
	assert_int_equal(zl_store_credit_get(db, 3, &ev, &err), ZL_OK);
	assert_string_equal(ev.created_at, "2014-07-18T08:30:00Z");
}

static void test_list_order(void **state)
{
	struct zl_db *db = *state;
	struct zl_credit_event ev;
	struct zl_error err = ZL_ERROR_INIT;
	struct got g = {0};

	make(&ev, ENT_A, "award", "", "2018-05-01", "b");
	add(db, &ev); /* 1 */
	make(&ev, ENT_A, "award", "", "2020-05-01", "d");
	add(db, &ev); /* 2 */
	make(&ev, ENT_B, "award", "", "2021-05-01", "other");
	add(db, &ev); /* 3 */
	make(&ev, ENT_A, "award", "", "2018-05-01", "c");
	add(db, &ev); /* 4: same day as 1, added later: listed first */
	make(&ev, ENT_A, "award", "", "2016-12-31", "a");
	add(db, &ev); /* 5 */

	assert_int_equal(zl_store_credit_list(db, ENT_A, 0, NULL, collect, &g, &err), ZL_OK);
	assert_int_equal(g.n, 4);
	assert_int_equal(g.ids[0], 2);
	assert_int_equal(g.ids[1], 4);
	assert_int_equal(g.ids[2], 1);
	assert_int_equal(g.ids[3], 5);
	assert_string_equal(g.titles[0], "d");
	assert_string_equal(g.titles[3], "a");

	/* a callback's non-zero return stops the walk and is returned */
	memset(&g, 0, sizeof(g));
	g.stop_after = 2;
	assert_int_equal(zl_store_credit_list(db, ENT_A, 0, NULL, collect, &g, &err), 99);
	assert_int_equal(g.n, 2);

	/* nothing for an unknown enterprise */
	memset(&g, 0, sizeof(g));
	assert_int_equal(zl_store_credit_list(db, "91410100MA0000000X", 0, NULL, collect, &g, &err),
			 ZL_OK);
	assert_int_equal(g.n, 0);
}

static void test_public_filter(void **state)
{
	struct zl_db *db = *state;
	struct zl_credit_event ev;
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_credit_counts c;
	struct got g = {0};
	int64_t total = 0;
	struct zl_credit_filter f = {.uscc = ENT_A, .public_only = 1};

	make(&ev, ENT_A, "penalty", "minor", "2019-02-28", "minor");	  /* until 2019-05-28 */
	add(db, &ev);							  /* 1 */
	make(&ev, ENT_A, "complaint", "", "2019-03-01", "internal");	  /* internal */
	add(db, &ev);							  /* 2 */
	make(&ev, ENT_A, "award", "", "2010-01-01", "forever");		  /* no limit */
	add(db, &ev);							  /* 3 */
	make(&ev, ENT_A, "recall", "voluntary", "2019-04-01", "neutral"); /* until 2024-04-01 */
	add(db, &ev);							  /* 4 */

	/* the last day still shows */
	assert_int_equal(zl_store_credit_list(db, ENT_A, 1, "2019-05-28", collect, &g, &err),
			 ZL_OK);
	assert_int_equal(g.n, 3);
	assert_int_equal(g.ids[0], 4);
	assert_int_equal(g.ids[1], 1);
	assert_int_equal(g.ids[2], 3);
	/* the day after, the minor penalty has expired */
	memset(&g, 0, sizeof(g));
	assert_int_equal(zl_store_credit_list(db, ENT_A, 1, "2019-05-29", collect, &g, &err),
			 ZL_OK);
	assert_int_equal(g.n, 2);
	assert_int_equal(g.ids[0], 4);
	assert_int_equal(g.ids[1], 3);
	/* all events, internal and expired too */
	memset(&g, 0, sizeof(g));
	assert_int_equal(zl_store_credit_list(db, ENT_A, 0, "2019-05-29", collect, &g, &err),
			 ZL_OK);
	assert_int_equal(g.n, 4);
	/* the public filter needs a date */
	assert_int_equal(zl_store_credit_list(db, ENT_A, 1, NULL, collect, &g, &err), ZL_EINVAL);

	f.today = "2019-05-28";
	assert_int_equal(zl_store_credit_count(db, &f, &total, &err), ZL_OK);
	assert_int_equal(total, 3);
	f.today = "2030-01-01";
	assert_int_equal(zl_store_credit_count(db, &f, &total, &err), ZL_OK);
	assert_int_equal(total, 1);

	assert_int_equal(zl_store_credit_counts(db, ENT_A, "2019-05-28", &c, &err), ZL_OK);
	assert_int_equal(c.positive, 1);
	assert_int_equal(c.negative, 1);
	assert_int_equal(c.neutral, 1);
	assert_int_equal(zl_store_credit_counts(db, ENT_A, "2019-05-29", &c, &err), ZL_OK);
	assert_int_equal(c.negative, 0);
	assert_int_equal(c.positive, 1);
	assert_int_equal(zl_store_credit_counts(db, ENT_B, "2019-05-29", &c, &err), ZL_OK);
	assert_int_equal(c.positive + c.negative + c.neutral, 0);
}

static void test_paging(void **state)
{
	struct zl_db *db = *state;
	struct zl_credit_event ev;
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_credit_filter f = {.uscc = ENT_A};
	struct got g = {0};
	int64_t total = 0;
	char date[32], title[16];

	/* 12 events on 4 days, 3 a day */
	for (int i = 0; i < 12; i++) {
		snprintf(date, sizeof(date), "2020-01-0%d", 1 + i / 3);
		snprintf(title, sizeof(title), "e%d", i + 1);
		make(&ev, ENT_A, "award", "", date, title);
		add(db, &ev);
	}
	f.kind = "award";
	assert_int_equal(zl_store_credit_count(db, &f, &total, &err), ZL_OK);
	assert_int_equal(total, 12);
	f.kind = "penalty";
	assert_int_equal(zl_store_credit_count(db, &f, &total, &err), ZL_OK);
	assert_int_equal(total, 0);
	f.kind = NULL;
	/* pages of 5 after a (date, id) cursor visit every event once, in order */
	assert_int_equal(zl_store_credit_page(db, &f, 5, collect, &g, &err), ZL_OK);
	assert_int_equal(g.n, 5);
	assert_int_equal(g.ids[0], 12);
	assert_int_equal(g.ids[4], 8);
	f.after_date = "2020-01-03"; /* event 8 is on day 3 */
	f.after_id = 8;
	assert_int_equal(zl_store_credit_page(db, &f, 5, collect, &g, &err), ZL_OK);
	assert_int_equal(g.n, 10);
	assert_int_equal(g.ids[5], 7);
	assert_int_equal(g.ids[9], 3);
	f.after_date = "2020-01-01";
	f.after_id = 3;
	assert_int_equal(zl_store_credit_page(db, &f, 5, collect, &g, &err), ZL_OK);
	assert_int_equal(g.n, 12);
	assert_int_equal(g.ids[10], 2);
	assert_int_equal(g.ids[11], 1);
}

/* Counts the events of a walk and checks the list order. */
struct counter {
	int64_t n;
	char last_date[12];
	int64_t last_id;
	int out_of_order;
};

static int count_row(void *cls, const struct zl_credit_event *ev)
{
	struct counter *c = cls;
	int cmp = strcmp(ev->event_date, c->last_date);

	if (c->n > 0 && (cmp > 0 || (cmp == 0 && ev->id >= c->last_id)))
		c->out_of_order++;
	zl_strlcpy(c->last_date, ev->event_date, sizeof(c->last_date));
	c->last_id = ev->id;
	c->n++;
	return 0;
}

/* More events than one batch (500): the walk continues across batches. */
static void test_batches(void **state)
{
	struct zl_db *db = *state;
	struct zl_credit_event ev;
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_credit_filter f = {.uscc = ENT_B};
	struct counter c = {0};
	char date[32];

	assert_int_equal(zl_db_begin(db, &err), ZL_OK);
	for (int i = 0; i < 1203; i++) {
		snprintf(date, sizeof(date), "2020-%02d-%02d", 1 + i % 12, 1 + i % 28);
		make(&ev, ENT_B, "award", "", date, "x");
		assert_int_equal(zl_store_credit_add(db, &ev, NULL, &err), ZL_OK);
	}
	assert_int_equal(zl_db_commit(db, &err), ZL_OK);
	assert_int_equal(zl_store_credit_list(db, ENT_B, 0, NULL, count_row, &c, &err), ZL_OK);
	assert_int_equal(c.n, 1203);
	assert_int_equal(c.out_of_order, 0);
	memset(&c, 0, sizeof(c));
	assert_int_equal(zl_store_credit_page(db, &f, 700, count_row, &c, &err), ZL_OK);
	assert_int_equal(c.n, 700);
	assert_int_equal(c.out_of_order, 0);
}

/* ---- concurrent writers -------------------------------------------------- */

struct writer_arg {
	const char *url;
	int id, n, rc;
	char msg[ZL_ERR_MSG_MAX];
};

static void *writer_thread(void *p)
{
	struct writer_arg *a = p;
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_db_options opt = {.busy_ms = 30000, .readonly = 0};
	struct zl_credit_event *ev = calloc(1, sizeof(*ev));
	struct zl_db *db = NULL;
	char by[32];

	if (ev == NULL) {
		a->rc = ZL_ENOMEM;
		return NULL;
	}
	snprintf(by, sizeof(by), "writer%d", a->id);
	make(ev, ENT_A, "award", "", "2020-01-01", "concurrent");
	zl_strlcpy(ev->created_by, by, sizeof(ev->created_by));
	a->rc = zl_db_open(a->url, &opt, &db, &err);
	for (int i = 0; a->rc == ZL_OK && i < a->n; i++) {
		a->rc = zl_db_begin(db, &err);
		if (a->rc == ZL_OK)
			a->rc = zl_store_credit_add(db, ev, NULL, &err);
		if (a->rc == ZL_OK)
			a->rc = zl_db_commit(db, &err);
		else
			zl_db_rollback(db);
	}
	if (a->rc != ZL_OK)
		zl_strlcpy(a->msg, err.message, sizeof(a->msg));
	zl_db_close(db);
	free(ev);
	return NULL;
}

/* Four connections adding at once: ids stay 1..N without a duplicate or a gap. */
static void test_concurrent_writers(void **state)
{
	struct zl_db *db = *state, *fdb = NULL;
	struct zl_error err = ZL_ERROR_INIT;
	struct writer_arg a[4];
	pthread_t t[4];
	char url[512];

	/* Several connections need one shared database: a file for SQLite. */
	if (strcmp(test_url(), "sqlite::memory:") == 0) {
		snprintf(url, sizeof(url), "sqlite:/tmp/zl-credit-concurrent-%ld.db",
			 (long)getpid());
		unlink_sqlite(url);
		assert_int_equal(zl_db_open(url, NULL, &fdb, &err), ZL_OK);
		assert_int_equal(zl_store_migrate(fdb, NULL, &err), ZL_OK);
		db = fdb;
	} else {
		zl_strlcpy(url, test_url(), sizeof(url));
	}
	for (int i = 0; i < 4; i++) {
		memset(&a[i], 0, sizeof(a[i]));
		a[i].url = url;
		a[i].id = i;
		a[i].n = 40;
		assert_int_equal(pthread_create(&t[i], NULL, writer_thread, &a[i]), 0);
	}
	for (int i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		if (a[i].rc != ZL_OK)
			fail_msg("writer %d: %d %s", i, a[i].rc, a[i].msg);
	}
	assert_int_equal(harness_query_int(db, "SELECT count(DISTINCT id) FROM credit_events"),
			 160);
	assert_int_equal(harness_query_int(db, "SELECT MIN(id) FROM credit_events"), 1);
	assert_int_equal(harness_query_int(db, "SELECT MAX(id) FROM credit_events"), 160);
	assert_int_equal(
		harness_query_int(
			db, "SELECT count(*) FROM credit_events WHERE created_by = 'writer2'"),
		40);
	if (fdb != NULL) {
		zl_db_close(fdb);
		unlink_sqlite(url);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_add_and_get, setup_db, teardown_db),
		cmocka_unit_test_setup_teardown(test_add_refuses, setup_db, teardown_db),
		cmocka_unit_test_setup_teardown(test_ids_in_transaction, setup_db, teardown_db),
		cmocka_unit_test_setup_teardown(test_list_order, setup_db, teardown_db),
		cmocka_unit_test_setup_teardown(test_public_filter, setup_db, teardown_db),
		cmocka_unit_test_setup_teardown(test_paging, setup_db, teardown_db),
		cmocka_unit_test_setup_teardown(test_batches, setup_db, teardown_db),
		cmocka_unit_test_setup_teardown(test_concurrent_writers, setup_db, teardown_db),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
