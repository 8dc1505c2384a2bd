/*
 * test_enterprise_chunk.c - the chunk writer (store/enterprise_chunk.h)
 * gives what zl_store_enterprise_upsert_bulk() record by record gives: the
 * same scenario (new records over more than one batch, a former name added
 * between writes, then a second chunk with unchanged, changed, renamed,
 * renamed-back and new records, then the same chunk again) is written both
 * ways into an empty database, with a bulk writer (postings in a builder)
 * and without (delta rows), and every table of the register is compared,
 * timestamps masked: enterprises, versions (the JSON snapshots byte for
 * byte), former names, the change feed, postings and delta rows; and the
 * outcomes.  Keys out of order are refused.  On SQLite the chunk writer is
 * the per-record path; the comparison matters on PostgreSQL.
 * zl_store_enterprise_append() of new records above the register's keys,
 * with their former names (a duplicate, the current name among them),
 * over several copy batches, after an update by the same writer, gives
 * what the upserts and former-name additions record by record give, on
 * both backends (with a builder, delta rows, or the on_name hook, whose
 * names come in the same order); keys not above the register's and bad
 * former names are refused before anything is written:
 *
 *   ZHILIANG_TEST_DB=$(scripts/pg.sh start /tmp/zl-pg 55432) \
 *     build/release/tests/store/test_enterprise_chunk
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/buf.h"
#include "db/db.h"
#include "domain/postings.h"
#include "store/enterprise_chunk.h"
#include "store/enterprise_index.h"
#include "store/enterprises.h"

#include "harness.h"

#define N1 (ZL_ENT_CHUNK_BATCH + 40)
#define N2 12

static int setup_db(void **state)
{
	struct zl_db *db = harness_open_empty(1);

	if (!db)
		return -1;
	*state = db;
	return 0;
}

static void make(struct zl_enterprise *e, int key, const char *name, const char *address)
{
	memset(e, 0, sizeof(*e));
	snprintf(e->uscc, sizeof(e->uscc), "K%06d", key);
	snprintf(e->org_code, sizeof(e->org_code), "%09d", key);
	snprintf(e->name, sizeof(e->name), "%s", name);
	snprintf(e->region, sizeof(e->region), "4101%02d", key % 7);
	snprintf(e->industry, sizeof(e->industry), "%d", 13 + key % 20);
	snprintf(e->address, sizeof(e->address), "%s", address);
	snprintf(e->legal_rep, sizeof(e->legal_rep), "张%d", key);
	snprintf(e->registered_capital, sizeof(e->registered_capital), "%d", key * 10);
	snprintf(e->founded, sizeof(e->founded), "2001-02-%02d", 1 + key % 28);
	snprintf(e->size_class, sizeof(e->size_class), "%s", key % 3 ? "small" : "micro");
	snprintf(e->status, sizeof(e->status), "operating");
	e->legacy = key % 11 == 0;
}

/* Write recs one way or the other, in its own transaction; outcomes appended to `log`. */
static void write_recs(struct zl_db *db, int chunked, struct zl_ent_bulk *bulk,
		       const struct zl_enterprise *recs, size_t n, struct zl_buf *log)
{
	struct zl_error err = ZL_ERROR_INIT;
	enum zl_upsert_outcome *out = calloc(n, sizeof(*out));
	int rc = ZL_OK;

	assert_non_null(out);
	assert_int_equal(zl_db_begin(db, &err), ZL_OK);
	/* A writer reused in a new transaction starts afresh (enterprises.h): others
	 * have written in between. */
	if (bulk != NULL) {
		bulk->started = 0;
		bulk->next_seq = 0;
		bulk->next_eid = 0;
	}
	if (chunked)
		rc = zl_store_enterprise_write_chunk(db, recs, n, "import:a.csv", bulk, out, &err);
	else
		for (size_t i = 0; i < n && rc == ZL_OK; i++)
			rc = zl_store_enterprise_upsert_bulk(db, &recs[i], "import:a.csv", bulk,
							     &out[i], &err);
	if (rc != ZL_OK)
		fail_msg("write (%s): %s", chunked ? "chunk" : "rows", err.message);
	if (bulk != NULL && bulk->grams != NULL)
		assert_int_equal(zl_store_index_flush(db, bulk->grams, NULL, NULL, &err), ZL_OK);
	assert_int_equal(zl_db_commit(db, &err), ZL_OK);
	for (size_t i = 0; i < n; i++)
		zl_buf_addch(log, "ENU"[out[i] == ZL_UPSERT_INSERTED  ? 1
					: out[i] == ZL_UPSERT_UPDATED ? 2
								      : 0]);
	zl_buf_addch(log, '\n');
	free(out);
}

/* "2026-11-26T21:00:00.123456Z" at p. */
static int is_stamp(const char *p)
{
	static const char pat[] = "dddd-dd-ddTdd:dd:dd.ddddddZ";

	for (size_t i = 0; pat[i]; i++) {
		if (pat[i] == 'd' ? (p[i] < '0' || p[i] > '9') : p[i] != pat[i])
			return 0;
	}
	return 1;
}

/* Every row of `sql` as text, columns separated by '|', timestamps masked, blobs in hex. */
static void dump(struct zl_db *db, const char *sql, struct zl_buf *out)
{
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_stmt *st;
	int rc;

	zl_buf_adds(out, sql);
	zl_buf_addch(out, '\n');
	if (zl_db_prepare(db, sql, &st, &err) != ZL_OK)
		fail_msg("prepare: %s\nSQL: %s", err.message, sql);
	while ((rc = zl_stmt_step(st, &err)) == ZL_DB_ROW) {
		for (int c = 0; c < zl_stmt_column_count(st); c++) {
			if (c > 0)
				zl_buf_addch(out, '|');
			if (strstr(sql, "ids") != NULL && c == 2) {
				size_t n;
				const unsigned char *p = zl_stmt_column_blob(st, c, &n);

				for (size_t i = 0; i < n; i++)
					zl_buf_addf(out, "%02x", p[i]);
				continue;
			}
			for (const char *p = zl_stmt_column_text(st, c); *p;) {
				if (is_stamp(p)) {
					zl_buf_adds(out, "<t>");
					p += 27;
				} else {
					zl_buf_addch(out, *p++);
				}
			}
		}
		zl_buf_addch(out, '\n');
	}
	assert_int_equal(rc, ZL_DB_DONE);
	zl_stmt_reset(st);
}

static void dump_all(struct zl_db *db, struct zl_buf *out)
{
	dump(db,
	     "SELECT uscc, org_code, legacy, name, region, industry, address, legal_rep,"
	     " registered_capital, founded, size_class, status, cqo_name, cqo_appointed,"
	     " version, change_seq, eid, updated_by FROM enterprises ORDER BY eid",
	     out);
	dump(db,
	     "SELECT uscc, version, changed_by, data FROM enterprise_versions"
	     " ORDER BY uscc, version",
	     out);
	dump(db, "SELECT uscc, name, valid_to FROM enterprise_former_names ORDER BY uscc, name",
	     out);
	dump(db, "SELECT seq, uscc, op FROM enterprise_changes ORDER BY seq", out);
	dump(db, "SELECT gram, n, ids FROM enterprise_postings ORDER BY gram", out);
	dump(db, "SELECT gram, eid FROM enterprise_gram_delta ORDER BY gram, eid", out);
}

/* The scenario, one way; the database's contents and the outcomes into `out`. */
static void scenario(struct zl_db *db, int chunked, int with_builder, struct zl_buf *out)
{
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_enterprise *r1 = calloc(N1, sizeof(*r1)), r2[N2];
	struct zl_ent_bulk bulk = {0};
	char name[64], addr[64];
	int added = 0;

	assert_non_null(r1);
	if (with_builder)
		assert_int_equal(zl_gram_builder_new(&bulk.grams), ZL_OK);
	for (int i = 0; i < N1; i++) {
		snprintf(name, sizeof(name), "第%d号测试企业有限公司", i);
		snprintf(addr, sizeof(addr), i % 5 ? "郑州市%d路" : "郑州\t市\\%d路\n二楼\r", i);
		make(&r1[i], 2 * i, name, addr);
	}
	write_recs(db, chunked, &bulk, r1, N1, out);
	/* A former name between two writes: a change row numbered by the table. */
	assert_int_equal(zl_db_begin(db, &err), ZL_OK);
	assert_int_equal(zl_store_enterprise_former_name_add(db, "K000006", "老六实业公司",
							     "2010-01-01", &added, &err),
			 ZL_OK);
	assert_int_equal(added, 1);
	assert_int_equal(zl_db_commit(db, &err), ZL_OK);

	make(&r2[0], 0, "第0号测试企业有限公司", "郑州\t市\\0路\n二楼\r");  /* unchanged */
	make(&r2[1], 1, "新企业一号有限公司", "新路1号");		    /* new */
	make(&r2[2], 2, "第1号测试企业有限公司", "改过的地址");		    /* changed */
	make(&r2[3], 3, "新企业三号有限公司", "新路3号");		    /* new */
	make(&r2[4], 4, "改名以后的企业", "郑州市2路");			    /* renamed */
	make(&r2[5], 6, "老六实业公司", "郑州市3路");			    /* renamed back */
	make(&r2[6], 8, "第4号测试企业有限公司", "郑州市4路");		    /* unchanged */
	r2[6].legacy = 1;						    /* changed: legacy */
	make(&r2[7], 10, "第5号测试企业有限公司", "郑州\t市\\5路\n二楼\r"); /* unchanged */
	make(&r2[8], 12, "第6号测试企业有限公司", "郑州市6路");
	snprintf(r2[8].cqo_name, sizeof(r2[8].cqo_name), "质量官"); /* changed */
	make(&r2[9], 13, "新企业十三有限公司", "新路13号");	    /* new */
	make(&r2[10], 2 * (N1 - 1), "最后一家改名了", "郑州市路");  /* renamed */
	make(&r2[11], 2 * N1 + 1, "最后新来的企业", "新路");	    /* new */
	write_recs(db, chunked, &bulk, r2, N2, out);
	/* Again: everything unchanged. */
	write_recs(db, chunked, &bulk, r2, N2, out);
	/* And a rename of a renamed one. */
	make(&r2[4], 4, "又改名的企业", "郑州市2路");
	write_recs(db, chunked, &bulk, r2 + 4, 1, out);
	dump_all(db, out);
	zl_gram_builder_free(bulk.grams);
	free(r1);
}

typedef void scenario_fn(struct zl_db *db, int other_way, int names, struct zl_buf *out);

/* Run the scenario both ways, each into an empty database: the same dump; it holds `want`. */
static void compare_ways(void **state, scenario_fn *fn, int names, const char *const *want)
{
	struct zl_buf a = ZL_BUF_INIT(SIZE_MAX), b = ZL_BUF_INIT(SIZE_MAX);
	struct zl_db *db = *state;

	fn(db, 0, names, &a);
	zl_db_close(db);
	*state = db = harness_open_empty(1);
	assert_non_null(db);
	fn(db, 1, names, &b);
	assert_int_equal(a.err, 0);
	assert_int_equal(b.err, 0);
	/* Something was written: not two empty dumps. */
	for (size_t i = 0; want[i] != NULL; i++)
		if (strstr(a.data, want[i]) == NULL)
			fail_msg("not in the dump: %s", want[i]);
	assert_string_equal(a.data, b.data);
	zl_buf_release(&a);
	zl_buf_release(&b);
}

static void compare(void **state, int with_builder)
{
	static const char *const want[] = {"K000004|改名以后的企业|", "\"name\":\"改名以后的企业\"",
					   NULL};

	compare_ways(state, scenario, with_builder, want);
}

static void test_same_with_builder(void **state)
{
	compare(state, 1);
}

static void test_same_with_delta_rows(void **state)
{
	compare(state, 0);
}

static void test_refused(void **state)
{
	struct zl_db *db = *state;
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_enterprise r[2];

	make(&r[0], 5, "第五家企业", "路");
	make(&r[1], 4, "第四家企业", "路");
	assert_int_equal(zl_store_enterprise_write_chunk(db, r, 2, "x", NULL, NULL, &err),
			 ZL_EINTERNAL);
	assert_int_equal(zl_db_begin(db, &err), ZL_OK);
	assert_int_equal(zl_store_enterprise_write_chunk(db, r, 2, "x", NULL, NULL, &err),
			 ZL_EINVAL);
	make(&r[1], 5, "第五家企业", "路");
	assert_int_equal(zl_store_enterprise_write_chunk(db, r, 2, "x", NULL, NULL, &err),
			 ZL_EINVAL);
	r[0].uscc[0] = '\0';
	assert_int_equal(zl_store_enterprise_write_chunk(db, r, 1, "x", NULL, NULL, &err),
			 ZL_EINVAL);
	assert_int_equal(zl_store_enterprise_write_chunk(db, r, 0, "x", NULL, NULL, &err), ZL_OK);
	assert_int_equal(zl_db_commit(db, &err), ZL_OK);
}

/* ---- append ---------------------------------------------------------------------- */

#define NA 2500 /* more than two copy batches on SQLite */

static const char *former_of(int i, const char *name, char *buf, size_t n)
{
	switch (i % 6) {
	case 0:
		snprintf(buf, n, "旧名%dA\n旧名%dB", i, i);
		return buf;
	case 1: /* the current name is skipped (names here are short: no truncation) */
		if (snprintf(buf, n, "%.64s\n旧名%dC", name, i) >= (int)n)
			fail_msg("former names too long");
		return buf;
	case 2:
		snprintf(buf, n, "旧名%dD\n旧名%dE\n旧名%dD", i, i, i); /* D once */
		return buf;
	case 3:
		return "";
	default:
		return NULL;
	}
}

/* The bulk writer's on_name hook of the scenario below: every name and id, in order. */
static int log_name(void *cls, int64_t eid, const char *name)
{
	zl_buf_addf(cls, "%lld:%s\n", (long long)eid, name);
	return ZL_OK;
}

/* names: 0 delta rows, 1 a builder, 2 the on_name hook (its log ends the dump). */
static void scenario_append(struct zl_db *db, int appended, int names, struct zl_buf *out)
{
	struct zl_buf hook = ZL_BUF_INIT(SIZE_MAX);
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_enterprise *r = calloc(NA, sizeof(*r)), e;
	const char **former = calloc(NA, sizeof(*former));
	char(*fbuf)[160] = calloc(NA, sizeof(*fbuf));
	uint32_t *added = calloc(NA, sizeof(*added));
	struct zl_ent_bulk bulk = {0};
	enum zl_upsert_outcome o;
	char name[64];
	int rc = ZL_OK;

	assert_true(r && former && fbuf && added);
	if (names == 1)
		assert_int_equal(zl_gram_builder_new(&bulk.grams), ZL_OK);
	if (names == 2) {
		bulk.on_name = log_name;
		bulk.on_name_cls = &hook;
	}
	assert_int_equal(zl_db_begin(db, &err), ZL_OK);
	for (int k = 100; k <= 300; k += 100) {
		snprintf(name, sizeof(name), "第%d号老企业有限公司", k);
		make(&e, k, name, "老路");
		assert_int_equal(zl_store_enterprise_upsert(db, &e, "hand", NULL, &err), ZL_OK);
	}
	assert_int_equal(zl_db_commit(db, &err), ZL_OK);
	for (int i = 0; i < NA; i++) {
		snprintf(name, sizeof(name), "第%d号新来企业有限公司", i);
		make(&r[i], 301 + i, name, i % 3 ? "新路" : "新\t路\\");
		former[i] = former_of(i, r[i].name, fbuf[i], sizeof(fbuf[i]));
	}

	assert_int_equal(zl_db_begin(db, &err), ZL_OK);
	assert_int_equal(zl_store_enterprise_bulk_begin(db, &bulk, &err), ZL_OK);
	assert_string_equal(bulk.hi_key, "K000300");
	make(&e, 200, "第200号老企业改名了", "老路"); /* below: the per-record path */
	assert_int_equal(zl_store_enterprise_upsert_bulk(db, &e, "import:a.csv", &bulk, &o, &err),
			 ZL_OK);
	assert_int_equal(o, ZL_UPSERT_UPDATED);
	if (appended) {
		rc = zl_store_enterprise_append(db, r, former, NA, "import:a.csv", &bulk, added,
						&err);
	} else {
		for (int i = 0; i < NA && rc == ZL_OK; i++) {
			const char *p = former[i];

			rc = zl_store_enterprise_upsert_bulk(db, &r[i], "import:a.csv", &bulk, &o,
							     &err);
			assert_int_equal(o, ZL_UPSERT_INSERTED);
			while (rc == ZL_OK && p != NULL && *p) {
				size_t len = strcspn(p, "\n");
				char one[128];
				int a = 0;

				memcpy(one, p, len);
				one[len] = '\0';
				p += len + (p[len] == '\n');
				if (strcmp(one, r[i].name) == 0)
					continue;
				rc = zl_store_enterprise_former_name_add_bulk(db, r[i].uscc, one,
									      "", &bulk, &a, &err);
				added[i] += (uint32_t)a;
			}
		}
	}
	if (rc != ZL_OK)
		fail_msg("append (%d): %s", appended, err.message);
	assert_string_equal(bulk.hi_key, r[NA - 1].uscc);
	/* After the append the writer goes on as before. */
	make(&e, 301 + NA + 5, "最后一家", "路");
	assert_int_equal(zl_store_enterprise_upsert_bulk(db, &e, "import:a.csv", &bulk, &o, &err),
			 ZL_OK);
	if (bulk.grams != NULL)
		assert_int_equal(zl_store_index_flush(db, bulk.grams, NULL, NULL, &err), ZL_OK);
	assert_int_equal(zl_db_commit(db, &err), ZL_OK);
	for (int i = 0; i < NA; i++)
		zl_buf_addf(out, "%u", added[i]);
	zl_buf_addch(out, '\n');
	dump_all(db, out);
	zl_buf_add(out, hook.data, hook.len);
	zl_buf_release(&hook);
	zl_gram_builder_free(bulk.grams);
	free(r);
	free(former);
	free(fbuf);
	free(added);
}

static void test_append_with_builder(void **state)
{
	static const char *const want[] = {"K000301|旧名0A|\n", "|K000303|names\n", NULL};

	compare_ways(state, scenario_append, 1, want);
}

static void test_append_with_delta_rows(void **state)
{
	static const char *const want[] = {"K000301|旧名0A|\n", "|K000303|names\n", NULL};

	compare_ways(state, scenario_append, 0, want);
}

/* The names handed to the hook: each record's name, then its new former names, in order. */
static void test_append_with_hook(void **state)
{
	static const char *const want[] = {
		"\n4:第0号新来企业有限公司\n4:旧名0A\n4:旧名0B\n",
		"\n6:第2号新来企业有限公司\n6:旧名2D\n6:旧名2E\n7:", NULL};

	compare_ways(state, scenario_append, 2, want);
}

static void test_append_refused(void **state)
{
	struct zl_db *db = *state;
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_ent_bulk bulk = {0};
	struct zl_enterprise r[2];
	const char *former[2] = {NULL, "好名字\n坏\x01名字"};

	make(&r[0], 5, "第五家企业", "路");
	assert_int_equal(zl_db_begin(db, &err), ZL_OK);
	/* Not started: refused. */
	assert_int_equal(zl_store_enterprise_append(db, r, NULL, 1, "x", &bulk, NULL, &err),
			 ZL_EINVAL);
	assert_int_equal(zl_store_enterprise_upsert(db, &r[0], "x", NULL, &err), ZL_OK);
	assert_int_equal(zl_store_enterprise_bulk_begin(db, &bulk, &err), ZL_OK);
	/* At or below the highest key. */
	assert_int_equal(zl_store_enterprise_append(db, r, NULL, 1, "x", &bulk, NULL, &err),
			 ZL_EINVAL);
	make(&r[0], 7, "第七家企业", "路");
	make(&r[1], 6, "第六家企业", "路");
	assert_int_equal(zl_store_enterprise_append(db, r, NULL, 2, "x", &bulk, NULL, &err),
			 ZL_EINVAL);
	/* A bad former name in the second record: nothing of the first is written. */
	make(&r[1], 8, "第八家企业", "路");
	assert_int_equal(zl_store_enterprise_append(db, r, former, 2, "x", &bulk, NULL, &err),
			 ZL_EUNPROC);
	assert_string_equal(err.field, "former_name");
	assert_int_equal(zl_store_enterprise_get(db, r[0].uscc, &r[1], &err), ZL_ENOTFOUND);
	zl_db_rollback(db);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup_db, teardown_db)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_same_with_builder),
		T(test_same_with_delta_rows),
		T(test_refused),
		T(test_append_with_builder),
		T(test_append_with_delta_rows),
		T(test_append_with_hook),
		T(test_append_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
