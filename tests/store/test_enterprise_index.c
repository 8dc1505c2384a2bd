/*
 * test_enterprise_index.c - the name index of the register in the database
 * (store/enterprise_index.h): postings read from blobs and delta rows,
 * flush, rebuild, the writes of the register that feed it (new ids,
 * renames, former names, the bulk writer and its counters, concurrent
 * writers on PostgreSQL), migration 5 from a database that had the old
 * per-row index and migration 6 (ids and change numbers as SQLite's rowids),
 * against SQLite and PostgreSQL:
 *
 *   build/release/tests/store/test_enterprise_index
 *   ZHILIANG_TEST_DB=$(scripts/pg.sh start /tmp/zl-pg 55432)
 * build/release/tests/store/test_enterprise_index
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <pthread.h>

#include <cmocka.h>

#include "codes/orgcode.h"
#include "codes/uscc.h"
#include "db/db.h"
#include "domain/grams.h"
#include "domain/postings.h"
#include "store/enterprise_index.h"
#include "store/enterprises.h"

#include "harness.h"

#define YUTONG "郑州宇通客车股份有限公司"
#define YUTONG_USCC "9141010017001312XG"
#define OTHER_USCC "914112810713741814"

static int setup_db(void **state)
{
	struct zl_db *db = harness_open_empty(1);

	if (!db)
		return -1;
	*state = db;
	return 0;
}

static int64_t query_int(struct zl_db *db, const char *sql, const char *arg)
{
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_stmt *st = NULL;
	int64_t v;

	if (zl_db_prepare(db, sql, &st, &err) != ZL_OK)
		fail_msg("prepare failed: %s\nSQL: %s", err.message, sql);
	if (arg != NULL)
		zl_stmt_bind_text(st, 1, arg, -1);
	assert_int_equal(zl_stmt_step(st, &err), ZL_DB_ROW);
	v = zl_stmt_column_int64(st, 0);
	zl_stmt_reset(st);
	return v;
}

static void begin(struct zl_db *db)
{
	struct zl_error err = ZL_ERROR_INIT;

	assert_int_equal(zl_db_begin(db, &err), ZL_OK);
}

static void commit(struct zl_db *db)
{
	struct zl_error err = ZL_ERROR_INIT;

	if (zl_db_commit(db, &err) != ZL_OK)
		fail_msg("commit: %s", err.message);
}

/* Write a blob row for `gram` holding ids[0..n). */
static void put_blob(struct zl_db *db, const char *gram, const uint64_t *ids, size_t n)
{
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_stmt *st = NULL;
	uint8_t buf[256];
	size_t len;

	assert_true(zl_postings_bound(n) <= sizeof(buf));
	len = zl_postings_encode(ids, n, buf);
	assert_true(len > 0);
	assert_int_equal(
		zl_db_prepare(db, "INSERT INTO enterprise_postings (gram, n, ids) VALUES (?, ?, ?)",
			      &st, &err),
		ZL_OK);
	zl_stmt_bind_text(st, 1, gram, -1);
	zl_stmt_bind_int64(st, 2, (int64_t)n);
	zl_stmt_bind_blob(st, 3, buf, len);
	if (zl_stmt_step(st, &err) < 0)
		fail_msg("put_blob: %s", err.message);
	zl_stmt_reset(st);
}

static void put_delta(struct zl_db *db, const char *gram, int64_t eid)
{
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_stmt *st = NULL;

	assert_int_equal(
		zl_db_prepare(db, "INSERT INTO enterprise_gram_delta (gram, eid) VALUES (?, ?)",
			      &st, &err),
		ZL_OK);
	zl_stmt_bind_text(st, 1, gram, -1);
	zl_stmt_bind_int64(st, 2, eid);
	if (zl_stmt_step(st, &err) < 0)
		fail_msg("put_delta: %s", err.message);
	zl_stmt_reset(st);
}

/* The postings of `gram` as "1,3,5" ("" for none). */
static void postings_str(struct zl_db *db, const char *gram, char *out, size_t cap)
{
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_ids ids = ZL_IDS_INIT;
	size_t o = 0;

	if (zl_store_gram_postings(db, gram, &ids, &err) != ZL_OK)
		fail_msg("postings of %s: %s", gram, err.message);
	out[0] = '\0';
	for (size_t i = 0; i < ids.n && o + 24 < cap; i++)
		o += (size_t)snprintf(out + o, cap - o, i ? ",%llu" : "%llu",
				      (unsigned long long)ids.v[i]);
	zl_ids_release(&ids);
}

static void assert_postings(struct zl_db *db, const char *gram, const char *want)
{
	char got[4096];

	postings_str(db, gram, got, sizeof(got));
	if (strcmp(got, want) != 0)
		fail_msg("postings of %s: got [%s], want [%s]", gram, got, want);
}

static int64_t delta_rows(struct zl_db *db)
{
	return query_int(db, "SELECT count(*) FROM enterprise_gram_delta", NULL);
}

static int64_t eid_of(struct zl_db *db, const char *uscc)
{
	return query_int(db, "SELECT eid FROM enterprises WHERE uscc = ?", uscc);
}

/* 1 when the postings of `gram` hold `eid`. */
static int has_posting(struct zl_db *db, const char *gram, int64_t eid)
{
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_ids ids = ZL_IDS_INIT;
	int r;

	if (zl_store_gram_postings(db, gram, &ids, &err) != ZL_OK)
		fail_msg("postings of %s: %s", gram, err.message);
	r = zl_ids_contains(&ids, (uint64_t)eid);
	zl_ids_release(&ids);
	return r;
}

/* A validated record. */
static void make(struct zl_enterprise *e, const char *uscc, const char *name)
{
	struct zl_error err = ZL_ERROR_INIT;

	memset(e, 0, sizeof(*e));
	snprintf(e->uscc, sizeof(e->uscc), "%s", uscc);
	snprintf(e->name, sizeof(e->name), "%s", name);
	snprintf(e->region, sizeof(e->region), "410100");
	if (zl_enterprise_validate(e, ZL_ENT_LEGACY_IMPORT, &err) != ZL_OK)
		fail_msg("invalid test record %s: %s %s", uscc, err.field, err.message);
}

static void upsert_bulk(struct zl_db *db, const struct zl_enterprise *e, struct zl_ent_bulk *bulk)
{
	struct zl_error err = ZL_ERROR_INIT;

	if (zl_store_enterprise_upsert_bulk(db, e, "tester", bulk, NULL, &err) != ZL_OK)
		fail_msg("upsert %s: %s %s", e->uscc, err.field, err.message);
}

static void upsert(struct zl_db *db, const struct zl_enterprise *e)
{
	begin(db);
	upsert_bulk(db, e, NULL);
	commit(db);
}

/* A valid USCC of Zhengzhou (410100) whose organization code body is i. */
static void uscc_for(unsigned i, char out[ZL_ENT_KEY_MAX])
{
	char s[19], check;

	snprintf(s, sizeof(s), "91410100%08u", i % 100000000u);
	assert_int_equal(zl_orgcode_compute_check(s + 8, &check), ZL_OK);
	s[16] = check;
	assert_int_equal(zl_uscc_compute_check(s, &check), ZL_OK);
	s[17] = check;
	s[18] = '\0';
	snprintf(out, ZL_ENT_KEY_MAX, "%s", s);
}

/* ---- reads ------------------------------------------------------------------------ */

static void test_postings_blob_delta_union(void **state)
{
	struct zl_db *db = *state;
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_ids ids = ZL_IDS_INIT;
	const uint64_t blob[] = {1, 3, 5, 1000000};
	int64_t n = -1, g = -1, d = -1;

	begin(db);
	put_blob(db, "宇通", blob, 4);
	put_delta(db, "郑州", 7);
	put_delta(db, "郑州", 2);
	put_blob(db, "客车", blob, 3);
	put_delta(db, "客车", 3);
	put_delta(db, "客车", 4);
	commit(db);

	assert_postings(db, "宇通", "1,3,5,1000000"); /* blob only */
	assert_postings(db, "郑州", "2,7");	      /* delta only */
	assert_postings(db, "客车", "1,3,4,5");	      /* both, 3 once */
	assert_postings(db, "没有", "");	      /* neither */
	assert_postings(db, "宇", "");		      /* a prefix of a gram is not it */
	/* Appends to what `out` holds, then sorts and deduplicates the lot. */
	assert_int_equal(zl_ids_push(&ids, 9), ZL_OK);
	assert_int_equal(zl_ids_push(&ids, 4), ZL_OK);
	assert_int_equal(zl_store_gram_postings(db, "客车", &ids, &err), ZL_OK);
	assert_int_equal(ids.n, 5);
	assert_int_equal(ids.v[0], 1);
	assert_int_equal(ids.v[2], 4);
	assert_int_equal(ids.v[4], 9);
	zl_ids_release(&ids);

	/* Estimates: blob count + delta rows, an upper bound before a flush. */
	assert_int_equal(zl_store_gram_estimate(db, "客车", &n, &err), ZL_OK);
	assert_int_equal(n, 5);
	assert_int_equal(zl_store_gram_estimate(db, "宇通", &n, &err), ZL_OK);
	assert_int_equal(n, 4);
	assert_int_equal(zl_store_gram_estimate(db, "郑州", &n, &err), ZL_OK);
	assert_int_equal(n, 2);
	assert_int_equal(zl_store_gram_estimate(db, "没有", &n, &err), ZL_OK);
	assert_int_equal(n, 0);
	assert_int_equal(zl_store_index_stats(db, &g, &d, &err), ZL_OK);
	assert_int_equal(g, 2);
	assert_int_equal(d, 4);
}

static void test_corrupt_blob(void **state)
{
	struct zl_db *db = *state;
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_ids ids = ZL_IDS_INIT;
	struct zl_stmt *st = NULL;
	const uint8_t bad[] = {0x01, 0x02, 0x05}; /* announces 2 ids, holds 1 */

	begin(db);
	assert_int_equal(
		zl_db_prepare(db, "INSERT INTO enterprise_postings (gram, n, ids) VALUES (?, ?, ?)",
			      &st, &err),
		ZL_OK);
	zl_stmt_bind_text(st, 1, "坏的", -1);
	zl_stmt_bind_int64(st, 2, 2);
	zl_stmt_bind_blob(st, 3, bad, sizeof(bad));
	assert_true(zl_stmt_step(st, &err) >= 0);
	zl_stmt_reset(st);
	commit(db);
	assert_int_equal(zl_ids_push(&ids, 42), ZL_OK);
	assert_int_equal(zl_store_gram_postings(db, "坏的", &ids, &err), ZL_EINVAL);
	assert_string_equal(err.field, "postings");
	/* out keeps what it held. */
	assert_int_equal(ids.n, 1);
	assert_int_equal(ids.v[0], 42);
	zl_ids_release(&ids);
	/* A flush touching that gram fails rather than overwrite it. */
	begin(db);
	put_delta(db, "坏的", 3);
	assert_int_equal(zl_store_index_flush(db, NULL, NULL, NULL, &err), ZL_EINVAL);
	zl_db_rollback(db);
}

/* ---- flush ------------------------------------------------------------------------ */

struct progress {
	uint64_t calls, last_done, last_total;
};

static void on_progress(void *cls, uint64_t done, uint64_t total)
{
	struct progress *p = cls;

	p->calls++;
	assert_true(done >= p->last_done);
	assert_true(done <= total);
	p->last_done = done;
	p->last_total = total;
}

/* The stored bytes of a gram's blob as hex ("" when there is no row). */
static void blob_hex(struct zl_db *db, const char *gram, char *out, size_t cap)
{
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_stmt *st = NULL;
	const uint8_t *p;
	size_t n = 0, o = 0;

	out[0] = '\0';
	assert_int_equal(
		zl_db_prepare(db, "SELECT ids FROM enterprise_postings WHERE gram = ?", &st, &err),
		ZL_OK);
	zl_stmt_bind_text(st, 1, gram, -1);
	if (zl_stmt_step(st, &err) == ZL_DB_ROW) {
		p = zl_stmt_column_blob(st, 0, &n);
		for (size_t i = 0; i < n && o + 3 < cap; i++)
			o += (size_t)snprintf(out + o, cap - o, "%02x", p[i]);
	}
	zl_stmt_reset(st);
}

static void test_flush(void **state)
{
	struct zl_db *db = *state;
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_gram_builder *b = NULL;
	struct progress pr = {0};
	const uint64_t blob[] = {1, 3, 5};
	char hex1[256], hex2[256];
	int64_t g, d;

	/* Outside a transaction: refused. */
	assert_int_equal(zl_store_index_flush(db, NULL, NULL, NULL, &err), ZL_EINTERNAL);

	begin(db);
	put_blob(db, "客车", blob, 3);
	put_delta(db, "客车", 3);
	put_delta(db, "客车", 4);
	put_delta(db, "郑州", 8);
	assert_int_equal(zl_gram_builder_new(&b), ZL_OK);
	assert_int_equal(zl_gram_builder_add(b, "客车", 9), ZL_OK);
	assert_int_equal(zl_gram_builder_add(b, "客车", 1), ZL_OK);
	assert_int_equal(zl_gram_builder_add(b, "宇通", 2), ZL_OK);
	assert_int_equal(zl_store_index_flush(db, b, on_progress, &pr, &err), ZL_OK);
	commit(db);

	/* Delta and builder folded into the blobs; both emptied. */
	assert_int_equal(delta_rows(db), 0);
	assert_int_equal(zl_gram_builder_postings(b), 0);
	assert_int_equal(zl_gram_builder_grams(b), 0);
	assert_int_equal(query_int(db, "SELECT n FROM enterprise_postings WHERE gram = ?", "客车"),
			 5);
	assert_postings(db, "客车", "1,3,4,5,9");
	assert_postings(db, "宇通", "2");
	assert_postings(db, "郑州", "8");
	assert_int_equal(zl_store_index_stats(db, &g, &d, &err), ZL_OK);
	assert_int_equal(g, 3);
	assert_int_equal(d, 0);
	/* Progress ended at grams in all. */
	assert_true(pr.calls >= 1);
	assert_int_equal(pr.last_done, 3);
	assert_int_equal(pr.last_total, 3);

	/* Flushing again (and the same postings again) changes nothing. */
	blob_hex(db, "客车", hex1, sizeof(hex1));
	assert_true(hex1[0] != '\0');
	begin(db);
	assert_int_equal(zl_store_index_flush(db, NULL, NULL, NULL, &err), ZL_OK);
	assert_int_equal(zl_gram_builder_add(b, "客车", 4), ZL_OK);
	put_delta(db, "客车", 5);
	assert_int_equal(zl_store_index_flush(db, b, NULL, NULL, &err), ZL_OK);
	commit(db);
	blob_hex(db, "客车", hex2, sizeof(hex2));
	assert_string_equal(hex1, hex2);
	assert_int_equal(delta_rows(db), 0);
	assert_int_equal(zl_store_index_stats(db, &g, &d, &err), ZL_OK);
	assert_int_equal(g, 3);
	assert_int_equal(zl_store_gram_estimate(db, "客车", &g, &err), ZL_OK);
	assert_int_equal(g, 5); /* exact after a flush */
	zl_gram_builder_free(b);
}

static void test_flush_many_grams(void **state)
{
	struct zl_db *db = *state;
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_gram_builder *b = NULL;
	struct progress pr = {0};
	int64_t g, d;
	char gram[ZL_GRAM_SIZE], want[64];

	/* Enough grams for several progress reports, across two flushes. */
	assert_int_equal(zl_gram_builder_new(&b), ZL_OK);
	for (unsigned i = 0; i < 10000; i++) {
		snprintf(gram, sizeof(gram), "g%05u", i);
		assert_int_equal(zl_gram_builder_add(b, gram, 1 + i % 7), ZL_OK);
		assert_int_equal(zl_gram_builder_add(b, gram, 100 + i), ZL_OK);
	}
	begin(db);
	assert_int_equal(zl_store_index_flush(db, b, on_progress, &pr, &err), ZL_OK);
	commit(db);
	assert_true(pr.calls >= 2);
	assert_int_equal(pr.last_done, 10000);
	for (unsigned i = 0; i < 10000; i += 2) {
		snprintf(gram, sizeof(gram), "g%05u", i);
		assert_int_equal(zl_gram_builder_add(b, gram, 50000 + i), ZL_OK);
	}
	begin(db);
	assert_int_equal(zl_store_index_flush(db, b, NULL, NULL, &err), ZL_OK);
	commit(db);
	assert_int_equal(zl_store_index_stats(db, &g, &d, &err), ZL_OK);
	assert_int_equal(g, 10000);
	assert_postings(db, "g00009", "3,109");
	snprintf(want, sizeof(want), "%u,%u,%u", 1 + 9998 % 7, 100 + 9998, 50000 + 9998);
	assert_postings(db, "g09998", want);
	zl_gram_builder_free(b);
}

/* ---- the register's writes --------------------------------------------------------- */

static void test_eids(void **state)
{
	struct zl_db *db = *state;
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_enterprise e, got;
	struct zl_ent_bulk bulk = {0};
	char uscc[ZL_ENT_KEY_MAX];

	make(&e, YUTONG_USCC, YUTONG);
	upsert(db, &e);
	make(&e, OTHER_USCC, "义马市测试机械有限公司");
	upsert(db, &e);
	assert_int_equal(eid_of(db, YUTONG_USCC), 1);
	assert_int_equal(eid_of(db, OTHER_USCC), 2);
	assert_int_equal(zl_store_enterprise_get(db, OTHER_USCC, &got, &err), ZL_OK);
	assert_int_equal(got.eid, 2);
	assert_string_equal(got.updated_by, "tester");

	/* An update keeps the id. */
	make(&e, YUTONG_USCC, "郑州宇通集团有限公司");
	upsert(db, &e);
	assert_int_equal(eid_of(db, YUTONG_USCC), 1);

	/* The bulk counter: starts at max + 1, then counts in memory. */
	begin(db);
	for (unsigned i = 0; i < 3; i++) {
		uscc_for(1000 + i, uscc);
		make(&e, uscc, "洛阳测试机械有限公司");
		upsert_bulk(db, &e, &bulk);
	}
	commit(db);
	assert_int_equal(bulk.next_eid, 6);
	uscc_for(1000, uscc);
	assert_int_equal(eid_of(db, uscc), 3);
	uscc_for(1002, uscc);
	assert_int_equal(eid_of(db, uscc), 5);
	/* A counter set by the caller is used as is. */
	bulk.next_eid = 100;
	bulk.started = 0;
	begin(db);
	uscc_for(2000, uscc);
	make(&e, uscc, "开封测试食品有限公司");
	upsert_bulk(db, &e, &bulk);
	/* An update through the bulk writer takes no id. */
	make(&e, OTHER_USCC, "义马市测试重工有限公司");
	upsert_bulk(db, &e, &bulk);
	commit(db);
	assert_int_equal(eid_of(db, uscc), 100);
	assert_int_equal(bulk.next_eid, 101);
	assert_int_equal(eid_of(db, OTHER_USCC), 2);
	/* A single write after it continues from the maximum. */
	uscc_for(3000, uscc);
	make(&e, uscc, "新乡测试电子有限公司");
	upsert(db, &e);
	assert_int_equal(eid_of(db, uscc), 101);
	assert_int_equal(query_int(db, "SELECT count(DISTINCT eid) FROM enterprises", NULL),
			 query_int(db, "SELECT count(*) FROM enterprises", NULL));
	assert_int_equal(query_int(db, "SELECT count(*) FROM enterprises WHERE eid <= 0", NULL), 0);
}

static void test_rename_and_former_names(void **state)
{
	struct zl_db *db = *state;
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_enterprise e;
	char g[ZL_NAME_GRAMS_MAX][ZL_GRAM_SIZE];
	size_t n;
	int64_t eid, before;
	int added = -1;

	make(&e, YUTONG_USCC, YUTONG);
	upsert(db, &e);
	eid = eid_of(db, YUTONG_USCC);
	/* A single write adds delta rows: exactly the name's grams. */
	n = zl_name_grams(YUTONG, strlen(YUTONG), g, ZL_NAME_GRAMS_MAX);
	assert_int_equal(delta_rows(db), (int64_t)n);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(has_posting(db, g[i], eid), 1);
	assert_int_equal(has_posting(db, "通宇", eid), 0);

	/* Rename: the old grams stay (a former name is findable), new ones come. */
	make(&e, YUTONG_USCC, "河南新能源客车有限公司");
	upsert(db, &e);
	assert_int_equal(has_posting(db, "宇通", eid), 1);
	assert_int_equal(has_posting(db, "能源", eid), 1);
	assert_int_equal(has_posting(db, "新能源", eid), 1);
	/* Unchanged names add nothing; another field's change neither. */
	before = delta_rows(db);
	snprintf(e.address, sizeof(e.address), "郑州市管城回族区宇通路");
	upsert(db, &e);
	assert_int_equal(delta_rows(db), before);

	/* A former name recorded directly adds delta rows for its grams. */
	begin(db);
	assert_int_equal(zl_store_enterprise_former_name_add(db, YUTONG_USCC, "郑州客运汽车厂",
							     "1997-01-01", &added, &err),
			 ZL_OK);
	assert_int_equal(added, 1);
	commit(db);
	assert_true(delta_rows(db) > before);
	assert_int_equal(has_posting(db, "汽车", eid), 1);
	assert_int_equal(has_posting(db, "客运汽", eid), 1);
	assert_int_equal(query_int(db,
				   "SELECT count(*) FROM enterprise_gram_delta WHERE gram = '汽车'",
				   NULL),
			 1);
	/* Again: nothing added. */
	before = delta_rows(db);
	begin(db);
	assert_int_equal(zl_store_enterprise_former_name_add(db, YUTONG_USCC, "郑州客运汽车厂",
							     "1997-01-01", &added, &err),
			 ZL_OK);
	assert_int_equal(added, 0);
	assert_int_equal(zl_store_enterprise_former_name_add(db, "9141010017001312XH", "某厂",
							     "1997-01-01", &added, &err),
			 ZL_ENOTFOUND);
	commit(db);
	assert_int_equal(delta_rows(db), before);

	/* After a flush the same postings come from the blobs alone. */
	begin(db);
	assert_int_equal(zl_store_index_flush(db, NULL, NULL, NULL, &err), ZL_OK);
	commit(db);
	assert_int_equal(delta_rows(db), 0);
	assert_int_equal(has_posting(db, "宇通", eid), 1);
	assert_int_equal(has_posting(db, "能源", eid), 1);
	assert_int_equal(has_posting(db, "汽车", eid), 1);
	/* And a rename after the flush adds delta rows on top of the blobs. */
	make(&e, YUTONG_USCC, "河南宇通重工有限公司");
	upsert(db, &e);
	assert_int_equal(has_posting(db, "重工", eid), 1);
	assert_int_equal(has_posting(db, "能源", eid), 1);
}

/* Every gram's postings, one line each, in gram order. */
static void index_dump(struct zl_db *db, char **out)
{
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_stmt *st = NULL;
	size_t cap = 1 << 20, o = 0;
	char *s = malloc(cap);
	char(*grams)[ZL_GRAM_SIZE] = malloc(4096 * ZL_GRAM_SIZE);
	size_t ng = 0;

	assert_non_null(s);
	assert_non_null(grams);
	assert_int_equal(zl_db_prepare(db,
				       "SELECT gram FROM enterprise_postings UNION"
				       " SELECT gram FROM enterprise_gram_delta ORDER BY 1",
				       &st, &err),
			 ZL_OK);
	while (zl_stmt_step(st, &err) == ZL_DB_ROW && ng < 4096)
		snprintf(grams[ng++], ZL_GRAM_SIZE, "%s", zl_stmt_column_text(st, 0));
	zl_stmt_reset(st);
	assert_true(ng > 0 && ng < 4096);
	s[0] = '\0';
	for (size_t i = 0; i < ng; i++) {
		char line[2048];

		postings_str(db, grams[i], line, sizeof(line));
		o += (size_t)snprintf(s + o, cap - o, "%s:%s\n", grams[i], line);
		assert_true(o < cap);
	}
	free(grams);
	*out = s;
}

static void test_rebuild_equals_incremental(void **state)
{
	struct zl_db *db = *state;
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_enterprise e;
	struct zl_ent_bulk bulk = {0};
	char *inc = NULL, *folded = NULL, *rebuilt = NULL, uscc[ZL_ENT_KEY_MAX];
	static const char *const names[] = {
		"郑州宇通客车股份有限公司", "洛阳恒瑞机械有限公司",	"开封恒瑞食品有限公司",
		"新乡华夏电子有限公司",	    "河南中原重工集团有限公司",
	};
	int64_t g, d;

	/* Single writes (delta rows), a bulk writer (builder), renames and former names. */
	for (unsigned i = 0; i < 5; i++) {
		uscc_for(100 + i, uscc);
		make(&e, uscc, names[i]);
		upsert(db, &e);
	}
	uscc_for(101, uscc);
	make(&e, uscc, "洛阳恒瑞重型机械有限公司");
	upsert(db, &e);
	begin(db);
	assert_int_equal(zl_store_enterprise_former_name_add(db, uscc, "洛阳瑞恒机械厂",
							     "2001-05-01", NULL, &err),
			 ZL_OK);
	commit(db);
	assert_int_equal(zl_gram_builder_new(&bulk.grams), ZL_OK);
	begin(db);
	for (unsigned i = 0; i < 5; i++) {
		uscc_for(200 + i, uscc);
		make(&e, uscc, names[4 - i]);
		snprintf(e.name + strlen(e.name) - strlen("有限公司"), 32, "%u号有限公司", i);
		upsert_bulk(db, &e, &bulk);
	}
	uscc_for(102, uscc);
	make(&e, uscc, "开封恒瑞面业有限公司"); /* a rename through the bulk writer */
	upsert_bulk(db, &e, &bulk);
	assert_int_equal(zl_store_index_flush(db, bulk.grams, NULL, NULL, &err), ZL_OK);
	commit(db);
	zl_gram_builder_free(bulk.grams);
	/* More single writes after the flush: delta rows on top of blobs. */
	uscc_for(103, uscc);
	make(&e, uscc, "新乡华夏智能电子有限公司");
	upsert(db, &e);
	assert_true(delta_rows(db) > 0);

	index_dump(db, &inc);
	assert_non_null(strstr(inc, "恒瑞:"));
	/* Folding the delta changes no posting. */
	begin(db);
	assert_int_equal(zl_store_index_flush(db, NULL, NULL, NULL, &err), ZL_OK);
	commit(db);
	index_dump(db, &folded);
	assert_string_equal(inc, folded);
	/* Neither does a rebuild from the register. */
	exec_ok(db, "INSERT INTO enterprise_postings (gram, n, ids) SELECT 'zz', n, ids"
		    " FROM enterprise_postings WHERE gram = '恒瑞'");
	begin(db);
	assert_int_equal(zl_store_index_rebuild(db, &err), ZL_OK);
	commit(db);
	index_dump(db, &rebuilt);
	assert_string_equal(inc, rebuilt); /* and the stray row is gone */
	assert_int_equal(delta_rows(db), 0);
	assert_int_equal(zl_store_index_stats(db, &g, &d, &err), ZL_OK);
	assert_int_equal(d, 0);
	assert_int_equal(
		g,
		query_int(db,
			  "SELECT count(*) FROM (SELECT DISTINCT gram FROM enterprise_postings) t",
			  NULL));
	free(inc);
	free(folded);
	free(rebuilt);
}

static void test_rebuild_empty(void **state)
{
	struct zl_db *db = *state;
	struct zl_error err = ZL_ERROR_INIT;
	int64_t g = -1, d = -1;

	assert_int_equal(zl_store_index_rebuild(db, &err), ZL_EINTERNAL); /* no transaction */
	begin(db);
	put_delta(db, "孤儿", 77); /* a posting of no enterprise */
	assert_int_equal(zl_store_index_rebuild(db, &err), ZL_OK);
	commit(db);
	assert_int_equal(zl_store_index_stats(db, &g, &d, &err), ZL_OK);
	assert_int_equal(g, 0);
	assert_int_equal(d, 0);
}

/* ---- migration 5 ---------------------------------------------------------------- */

struct versions {
	char line[8][256];
	int n;
};

static int got_version(void *cls, const struct zl_ent_version *v)
{
	struct versions *l = cls;

	if (l->n < 8)
		snprintf(l->line[l->n++], sizeof(l->line[0]), "%lld %s", (long long)v->version,
			 v->changed_by);
	return ZL_OK;
}

/*
 * An empty database at schema version 4 (migration 5's starting point) in
 * place of the test's migrated one: later migrations never run, so this
 * test does not depend on what they do.
 */
static struct zl_db *fresh_v4(void **state)
{
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_db *db;

	zl_db_close(*state);
	*state = db = harness_open_empty(0);
	assert_non_null(db);
	if (zl_store_migrate_to(db, 4, NULL, &err) != ZL_OK)
		fail_msg("migrate to 4: %s", err.message);
	return db;
}

static void test_migration_5(void **state)
{
	struct zl_db *db = fresh_v4(state);
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_enterprise e, got;
	struct versions l = {0};
	char uscc[ZL_ENT_KEY_MAX];
	int version = 0, applied = 0;
	char g[ZL_NAME_GRAMS_MAX][ZL_GRAM_SIZE];
	size_t n;
	int64_t eid_a, eid_b;

	assert_int_equal(zl_store_schema_version(db, &version, &err), ZL_OK);
	assert_int_equal(version, 4);
	/* Two records as the old code wrote them: a snapshot per version, gram rows. */
	exec_ok(db, "INSERT INTO enterprises (uscc, name, version, created_at, updated_at)"
		    " VALUES ('9141010017001312XG', '郑州宇通客车股份有限公司', 2,"
		    " '2025-01-01T00:00:00Z', '2025-02-01T00:00:00Z'),"
		    " ('914112810713741814', '义马市测试机械有限公司', 1,"
		    " '2025-01-02T00:00:00Z', '2025-01-02T00:00:00Z')");
	exec_ok(db, "INSERT INTO enterprise_versions (uscc, version, changed_at, changed_by, data)"
		    " VALUES ('9141010017001312XG', 1, '2025-01-01T00:00:00Z', 'alice', '{}'),"
		    " ('9141010017001312XG', 2, '2025-02-01T00:00:00Z', 'bob', '{}'),"
		    " ('914112810713741814', 1, '2025-01-02T00:00:00Z', 'import:a.csv', '{}')");
	exec_ok(db, "INSERT INTO enterprise_former_names (uscc, name, valid_to) VALUES"
		    " ('9141010017001312XG', '郑州客车厂', '2024-12-31')");
	exec_ok(db, "INSERT INTO enterprise_grams (gram, uscc) VALUES"
		    " ('宇通', '9141010017001312XG'), ('客车', '9141010017001312XG'),"
		    " ('车厂', '9141010017001312XG'), ('机械', '914112810713741814'),"
		    " ('客车', '914112810713741814')");

	/* 5 and 6: the code that reads and writes on below needs the register as 6 left it. */
	assert_int_equal(zl_store_migrate_to(db, 6, &applied, &err), ZL_OK);
	assert_int_equal(applied, 2);
	assert_int_equal(zl_store_schema_version(db, &version, &err), ZL_OK);
	assert_int_equal(version, 6);

	/* eid backfilled, distinct and positive; updated_by from the current version. */
	eid_a = eid_of(db, YUTONG_USCC);
	eid_b = eid_of(db, OTHER_USCC);
	assert_true(eid_a > 0 && eid_b > 0 && eid_a != eid_b);
	assert_int_equal(zl_store_enterprise_get(db, YUTONG_USCC, &got, &err), ZL_OK);
	assert_int_equal(got.eid, eid_a);
	assert_string_equal(got.updated_by, "bob");
	assert_int_equal(zl_store_enterprise_get(db, OTHER_USCC, &got, &err), ZL_OK);
	assert_string_equal(got.updated_by, "import:a.csv");

	/* The gram rows moved to the delta table; the search postings find them. */
	assert_int_equal(delta_rows(db), 5);
	assert_int_equal(query_int(db, "SELECT count(*) FROM enterprise_postings", NULL), 0);
	{
		char want[64];

		snprintf(want, sizeof(want), "%lld", (long long)eid_a);
		assert_postings(db, "宇通", want);
		snprintf(want, sizeof(want), "%lld,%lld",
			 (long long)(eid_a < eid_b ? eid_a : eid_b),
			 (long long)(eid_a < eid_b ? eid_b : eid_a));
		assert_postings(db, "客车", want);
	}
	assert_int_equal(has_posting(db, "车厂", eid_a), 1);

	/* The stored copy of the current version is not listed twice. */
	assert_int_equal(zl_store_enterprise_versions(db, YUTONG_USCC, 0, got_version, &l, &err),
			 ZL_OK);
	assert_int_equal(l.n, 2);
	assert_string_equal(l.line[0], "2 bob");
	assert_string_equal(l.line[1], "1 alice");

	/* Writing on: an update keeps the id, stores no duplicate of version 2. */
	make(&e, YUTONG_USCC, YUTONG);
	snprintf(e.size_class, sizeof(e.size_class), "large");
	upsert(db, &e);
	assert_int_equal(eid_of(db, YUTONG_USCC), eid_a);
	memset(&l, 0, sizeof(l));
	assert_int_equal(zl_store_enterprise_versions(db, YUTONG_USCC, 0, got_version, &l, &err),
			 ZL_OK);
	assert_int_equal(l.n, 3);
	assert_string_equal(l.line[0], "3 tester");
	assert_string_equal(l.line[1], "2 bob");
	assert_string_equal(l.line[2], "1 alice");
	/* A new record takes an id above the backfilled ones. */
	uscc_for(4242, uscc);
	make(&e, uscc, "郑州新测试有限公司");
	upsert(db, &e);
	assert_true(eid_of(db, uscc) > (eid_a > eid_b ? eid_a : eid_b));
	/* A rebuild indexes every current and former name in full. */
	begin(db);
	assert_int_equal(zl_store_index_rebuild(db, &err), ZL_OK);
	commit(db);
	n = zl_name_grams("郑州客车厂", strlen("郑州客车厂"), g, ZL_NAME_GRAMS_MAX);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(has_posting(db, g[i], eid_a), 1);
	assert_int_equal(has_posting(db, "义马", eid_b), 1);
}

/*
 * Migration 6: records and change rows keep their ids and numbers; on
 * SQLite eid is the rowid of enterprises and seq the one of
 * enterprise_changes (no index of their own), the code stays unique and
 * the filter indexes are on the column alone; writing goes on: a new
 * record takes the next id, an update keeps it, a second record with the
 * same code is refused.
 */
static void test_migration_6(void **state)
{
	struct zl_db *db;
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_enterprise e, got;
	char uscc[ZL_ENT_KEY_MAX];
	int version = 0, applied = 0;

	/* An empty database at schema version 5, migration 6's starting point. */
	zl_db_close(*state);
	*state = db = harness_open_empty(0);
	assert_non_null(db);
	if (zl_store_migrate_to(db, 5, NULL, &err) != ZL_OK)
		fail_msg("migrate to 5: %s", err.message);
	assert_int_equal(zl_store_schema_version(db, &version, &err), ZL_OK);
	assert_int_equal(version, 5);
	/* Ids and numbers as the old code gave them: not those a rowid would have taken. */
	exec_ok(db, "INSERT INTO enterprises (uscc, name, region, version, created_at, updated_at,"
		    " change_seq, eid, updated_by) VALUES"
		    " ('9141010017001312XG', '郑州宇通客车股份有限公司', '410100', 2,"
		    " '2025-01-01T00:00:00Z', '2025-02-01T00:00:00Z', 7, 40, 'bob'),"
		    " ('914112810713741814', '义马市测试机械有限公司', '411281', 1,"
		    " '2025-01-02T00:00:00Z', '2025-01-02T00:00:00Z', 5, 3, 'alice')");
	exec_ok(db, "INSERT INTO enterprise_changes (seq, uscc, op, at) VALUES"
		    " (5, '914112810713741814', 'insert', '2025-01-02T00:00:00Z'),"
		    " (6, '9141010017001312XG', 'insert', '2025-01-01T00:00:00Z'),"
		    " (7, '9141010017001312XG', 'update', '2025-02-01T00:00:00Z')");

	assert_int_equal(zl_store_migrate_to(db, 6, &applied, &err), ZL_OK);
	assert_int_equal(applied, 1);
	assert_int_equal(zl_store_schema_version(db, &version, &err), ZL_OK);
	assert_int_equal(version, 6);

	assert_int_equal(eid_of(db, YUTONG_USCC), 40);
	assert_int_equal(eid_of(db, OTHER_USCC), 3);
	assert_int_equal(zl_store_enterprise_get(db, YUTONG_USCC, &got, &err), ZL_OK);
	assert_string_equal(got.name, YUTONG);
	assert_int_equal(got.version, 2);
	assert_string_equal(got.updated_by, "bob");
	assert_string_equal(got.region, "410100");
	assert_int_equal(query_int(db, "SELECT count(*) FROM enterprise_changes", NULL), 3);
	assert_int_equal(
		query_int(db, "SELECT change_seq FROM enterprises WHERE uscc = ?", YUTONG_USCC), 7);
	if (!is_pg(db)) {
		assert_int_equal(
			query_int(db, "SELECT count(*) FROM enterprises WHERE rowid <> eid", NULL),
			0);
		assert_int_equal(
			query_int(db, "SELECT rowid FROM enterprise_changes WHERE seq = 7", NULL),
			7);
		/* Left: the code's own unique index and the three filter indexes. */
		assert_int_equal(query_int(db,
					   "SELECT count(*) FROM sqlite_master WHERE type = 'index'"
					   " AND tbl_name IN ('enterprises', 'enterprise_changes')",
					   NULL),
				 4);
		assert_int_equal(
			query_int(db,
				  "SELECT count(*) FROM sqlite_master WHERE type = 'index'"
				  " AND name = 'enterprises_region'"
				  " AND sql = 'CREATE INDEX enterprises_region ON enterprises"
				  " (region)'",
				  NULL),
			1);
	}

	/* Writing on: a new record takes the next id, an update keeps its id. */
	uscc_for(4242, uscc);
	make(&e, uscc, "郑州新测试有限公司");
	upsert(db, &e);
	assert_int_equal(eid_of(db, uscc), 41);
	assert_int_equal(query_int(db, "SELECT change_seq FROM enterprises WHERE uscc = ?", uscc),
			 8);
	make(&e, OTHER_USCC, "义马市测试机械有限公司");
	snprintf(e.size_class, sizeof(e.size_class), "large");
	upsert(db, &e);
	assert_int_equal(eid_of(db, OTHER_USCC), 3);
	assert_int_equal(zl_store_enterprise_get(db, OTHER_USCC, &got, &err), ZL_OK);
	assert_int_equal(got.version, 2);
	/* The code is still a key. */
	assert_int_equal(
		zl_db_exec(db,
			   "INSERT INTO enterprises (uscc, name, created_at, updated_at, eid)"
			   " VALUES ('914112810713741814', 'x', '', '', 99)",
			   &err),
		ZL_ECONFLICT);
}

/* ---- the bulk writer's counters --------------------------------------------------- */

static int64_t change_seq_of(struct zl_db *db, const char *uscc)
{
	return query_int(db, "SELECT change_seq FROM enterprises WHERE uscc = ?", uscc);
}

/*
 * Change numbers counted by a bulk writer follow the single writes before
 * it and are followed by those after; keys at or below the highest one are
 * looked up (updates found), above it are not; a former name through the
 * bulk writer goes into its builder, no delta row, and is found after the
 * flush.
 */
static void test_bulk_counters(void **state)
{
	struct zl_db *db = *state;
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_enterprise e, got;
	struct zl_ent_bulk bulk = {0};
	char k5[ZL_ENT_KEY_MAX], k10[ZL_ENT_KEY_MAX], k20[ZL_ENT_KEY_MAX], k30[ZL_ENT_KEY_MAX];
	enum zl_upsert_outcome o;
	int64_t delta;
	int added = 0;

	uscc_for(5, k5);
	uscc_for(10, k10);
	uscc_for(20, k20);
	uscc_for(30, k30);
	make(&e, k10, "郑州十号机械有限公司");
	upsert(db, &e);
	assert_int_equal(change_seq_of(db, k10), 1);
	delta = delta_rows(db); /* the single write's grams */
	assert_true(delta > 0);

	assert_int_equal(zl_gram_builder_new(&bulk.grams), ZL_OK);
	begin(db);
	make(&e, k20, "郑州二十号机械有限公司"); /* above the highest key: no lookup */
	assert_int_equal(zl_store_enterprise_upsert_bulk(db, &e, "bulk", &bulk, &o, &err), ZL_OK);
	assert_int_equal(o, ZL_UPSERT_INSERTED);
	make(&e, k5, "郑州五号机械有限公司"); /* below it: looked up, absent */
	assert_int_equal(zl_store_enterprise_upsert_bulk(db, &e, "bulk", &bulk, &o, &err), ZL_OK);
	assert_int_equal(o, ZL_UPSERT_INSERTED);
	make(&e, k10, "郑州十号重工有限公司"); /* an existing record: an update */
	assert_int_equal(zl_store_enterprise_upsert_bulk(db, &e, "bulk", &bulk, &o, &err), ZL_OK);
	assert_int_equal(o, ZL_UPSERT_UPDATED);
	make(&e, k20, "郑州二十号重工有限公司"); /* written by this writer: found again */
	assert_int_equal(zl_store_enterprise_upsert_bulk(db, &e, "bulk", &bulk, &o, &err), ZL_OK);
	assert_int_equal(o, ZL_UPSERT_UPDATED);
	assert_int_equal(zl_store_enterprise_former_name_add_bulk(db, k5, "洛阳旧名农机厂", "",
								  &bulk, &added, &err),
			 ZL_OK);
	assert_int_equal(added, 1);
	/* The same name again: nothing, no number taken. */
	assert_int_equal(zl_store_enterprise_former_name_add_bulk(db, k5, "洛阳旧名农机厂", "",
								  &bulk, &added, &err),
			 ZL_OK);
	assert_int_equal(added, 0);
	assert_int_equal(delta_rows(db), delta); /* none added by the bulk writer */
	assert_true(zl_gram_builder_postings(bulk.grams) > 0);
	assert_int_equal(zl_store_index_flush(db, bulk.grams, NULL, NULL, &err), ZL_OK);
	commit(db);
	assert_int_equal(bulk.next_seq, 7);
	assert_int_equal(change_seq_of(db, k20), 5);
	assert_int_equal(change_seq_of(db, k5), 3);
	assert_int_equal(change_seq_of(db, k10), 4);
	assert_int_equal(
		query_int(db, "SELECT seq FROM enterprise_changes WHERE op = 'names'", NULL), 6);
	assert_int_equal(has_posting(db, "农机", eid_of(db, k5)), 1);
	assert_int_equal(has_posting(db, "重工", eid_of(db, k10)), 1);
	/* All records of the transaction share its time. */
	assert_int_equal(query_int(db,
				   "SELECT count(DISTINCT updated_at) FROM enterprises"
				   " WHERE updated_by = 'bulk'",
				   NULL),
			 1);

	/* Single writes after it continue from the table. */
	begin(db);
	assert_int_equal(
		zl_store_enterprise_former_name_add(db, k20, "郑州老二十号厂", "", &added, &err),
		ZL_OK);
	commit(db);
	assert_int_equal(added, 1);
	make(&e, k30, "郑州三十号机械有限公司");
	upsert(db, &e);
	assert_int_equal(change_seq_of(db, k30), 8);

	/* The writer again, in a new transaction: counted from the table afresh. */
	bulk.started = 0;
	bulk.next_seq = 0;
	begin(db);
	make(&e, k10, "郑州十号重工有限公司"); /* unchanged: no number */
	assert_int_equal(zl_store_enterprise_upsert_bulk(db, &e, "bulk", &bulk, &o, &err), ZL_OK);
	assert_int_equal(o, ZL_UPSERT_UNCHANGED);
	make(&e, k30, "郑州三十号电子有限公司");
	assert_int_equal(zl_store_enterprise_upsert_bulk(db, &e, "bulk", &bulk, &o, &err), ZL_OK);
	assert_int_equal(o, ZL_UPSERT_UPDATED);
	assert_int_equal(zl_store_index_flush(db, bulk.grams, NULL, NULL, &err), ZL_OK);
	commit(db);
	assert_int_equal(change_seq_of(db, k30), 9);
	assert_int_equal(query_int(db, "SELECT count(DISTINCT seq) FROM enterprise_changes", NULL),
			 9);
	assert_int_equal(query_int(db, "SELECT max(seq) FROM enterprise_changes", NULL), 9);
	assert_int_equal(zl_store_enterprise_get(db, k30, &got, &err), ZL_OK);
	assert_int_equal(got.version, 2);
	zl_gram_builder_free(bulk.grams);
}

/* A single writer on another connection, started while a bulk writer holds the feed. */
struct other_writer {
	struct zl_db *db;
	char uscc[ZL_ENT_KEY_MAX];
	int rc;
	char message[256];
};

static void *other_write(void *cls)
{
	struct other_writer *w = cls;
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_enterprise e;

	memset(&e, 0, sizeof(e));
	snprintf(e.uscc, sizeof(e.uscc), "%s", w->uscc);
	snprintf(e.name, sizeof(e.name), "开封并发测试有限公司");
	snprintf(e.region, sizeof(e.region), "410200");
	w->rc = zl_db_begin(w->db, &err);
	if (w->rc == ZL_OK)
		w->rc = zl_store_enterprise_upsert(w->db, &e, "other", NULL, &err);
	if (w->rc == ZL_OK)
		w->rc = zl_db_commit(w->db, &err);
	else
		zl_db_rollback(w->db);
	snprintf(w->message, sizeof(w->message), "%s", err.message);
	return NULL;
}

/*
 * PostgreSQL: a bulk writer holds the change feed's lock from its first
 * write to its commit, so a concurrent writer waits and then numbers after
 * it instead of taking a number the counter hands out.
 */
static void test_bulk_concurrent_writers(void **state)
{
	struct zl_db *db = *state, *db2 = NULL;
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_enterprise e;
	struct zl_ent_bulk bulk = {0};
	struct other_writer w;
	char a[ZL_ENT_KEY_MAX], c[ZL_ENT_KEY_MAX];
	pthread_t th;
	struct timespec pause = {0, 300 * 1000 * 1000};

	if (!is_pg(db))
		skip(); /* SQLite: BEGIN IMMEDIATE serialises writers already */
	assert_int_equal(zl_db_open(test_url(), NULL, &db2, &err), ZL_OK);
	memset(&w, 0, sizeof(w));
	w.db = db2;
	uscc_for(40, a);
	uscc_for(50, w.uscc);
	uscc_for(60, c);
	/* Postings into a builder: no delta row (whose write takes the same lock). */
	assert_int_equal(zl_gram_builder_new(&bulk.grams), ZL_OK);
	begin(db);
	make(&e, a, "郑州并发甲有限公司");
	upsert_bulk(db, &e, &bulk);
	assert_int_equal(pthread_create(&th, NULL, other_write, &w), 0);
	nanosleep(&pause, NULL); /* the other writer now waits for the lock */
	make(&e, c, "郑州并发丙有限公司");
	upsert_bulk(db, &e, &bulk);
	assert_int_equal(zl_store_index_flush(db, bulk.grams, NULL, NULL, &err), ZL_OK);
	commit(db);
	zl_gram_builder_free(bulk.grams);
	assert_int_equal(pthread_join(th, NULL), 0);
	if (w.rc != ZL_OK)
		fail_msg("the other writer failed: %s", w.message);
	assert_int_equal(change_seq_of(db, a), 1);
	assert_int_equal(change_seq_of(db, c), 2);
	assert_int_equal(change_seq_of(db, w.uscc), 3);
	assert_int_equal(eid_of(db, w.uscc), 3);
	zl_db_close(db2);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup_db, teardown_db)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_postings_blob_delta_union),
		T(test_corrupt_blob),
		T(test_flush),
		T(test_flush_many_grams),
		T(test_eids),
		T(test_bulk_counters),
		T(test_bulk_concurrent_writers),
		T(test_rename_and_former_names),
		T(test_rebuild_equals_incremental),
		T(test_rebuild_empty),
		T(test_migration_5),
		T(test_migration_6),
	};

	fprintf(stderr, "enterprise index store suite against %s\n",
		zl_db_url_backend(test_url()) != NULL ? zl_db_url_backend(test_url())
						      : "(bad ZHILIANG_TEST_DB)");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
