/*
 * test_enterprises.c - the enterprise register in the database
 * (store/enterprises.h): upsert, history, former names, name postings, the
 * change feed, certifications and awards, against SQLite and PostgreSQL
 * (the index itself: test_enterprise_index.c):
 *
 *   build/release/tests/store/test_enterprises
 *   ZHILIANG_TEST_DB=$(scripts/pg.sh start /tmp/zl-pg 55432)
 * build/release/tests/store/test_enterprises
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/rand.h"
#include "db/db.h"
#include "domain/grams.h"
#include "domain/postings.h"
#include "domain/credit.h"
#include "store/credit.h"
#include "store/demo.h"
#include "store/enterprise_index.h"
#include "store/enterprises.h"

#include "harness.h"

#define YUTONG "郑州宇通客车股份有限公司"
#define YUTONG_USCC "9141010017001312XG"

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

/* A validated record with a computed-valid USCC. */
static void make(struct zl_enterprise *e, const char *uscc, const char *name)
{
	struct zl_error err = ZL_ERROR_INIT;

	memset(e, 0, sizeof(*e));
	snprintf(e->uscc, sizeof(e->uscc), "%s", uscc);
	snprintf(e->name, sizeof(e->name), "%s", name);
	snprintf(e->region, sizeof(e->region), "410100");
	snprintf(e->industry, sizeof(e->industry), "36");
	snprintf(e->legal_rep, sizeof(e->legal_rep), "汤玉祥");
	snprintf(e->founded, sizeof(e->founded), "1997-01-08");
	if (zl_enterprise_validate(e, ZL_ENT_LEGACY_IMPORT, &err) != ZL_OK)
		fail_msg("invalid test record %s: %s %s", uscc, err.field, err.message);
}

static enum zl_upsert_outcome upsert_as(struct zl_db *db, const struct zl_enterprise *e,
					const char *actor)
{
	struct zl_error err = ZL_ERROR_INIT;
	enum zl_upsert_outcome o = ZL_UPSERT_UNCHANGED;

	assert_int_equal(zl_db_begin(db, &err), ZL_OK);
	if (zl_store_enterprise_upsert(db, e, actor, &o, &err) != ZL_OK)
		fail_msg("upsert: %s %s", err.field, err.message);
	assert_int_equal(zl_db_commit(db, &err), ZL_OK);
	return o;
}

static enum zl_upsert_outcome upsert(struct zl_db *db, const struct zl_enterprise *e)
{
	return upsert_as(db, e, "tester");
}

/* 1 when the name index lists `uscc` under `gram` (blob or delta rows). */
static int has_gram(struct zl_db *db, const char *gram, const char *uscc)
{
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_ids ids = ZL_IDS_INIT;
	int64_t eid = query_int(db, "SELECT eid FROM enterprises WHERE uscc = ?", uscc);
	int rc;

	assert_true(eid > 0);
	if (zl_store_gram_postings(db, gram, &ids, &err) != ZL_OK)
		fail_msg("postings of %s: %s", gram, err.message);
	rc = zl_ids_contains(&ids, (uint64_t)eid);
	zl_ids_release(&ids);
	return rc;
}

static void test_insert_and_get(void **state)
{
	struct zl_db *db = *state;
	struct zl_enterprise e, got;
	struct zl_error err = ZL_ERROR_INIT;

	make(&e, YUTONG_USCC, YUTONG);
	assert_int_equal(upsert(db, &e), ZL_UPSERT_INSERTED);
	assert_int_equal(zl_store_enterprise_get(db, YUTONG_USCC, &got, &err), ZL_OK);
	assert_string_equal(got.name, YUTONG);
	assert_string_equal(got.org_code, "17001312X");
	assert_string_equal(got.region, "410100");
	assert_string_equal(got.legal_rep, "汤玉祥");
	assert_string_equal(got.founded, "1997-01-08");
	assert_string_equal(got.status, "operating");
	assert_int_equal(got.version, 1);
	assert_true(strlen(got.created_at) >= 20);
	assert_string_equal(got.created_at, got.updated_at);
	assert_int_equal(got.eid, 1);
	assert_string_equal(got.updated_by, "tester");
	/* The current version is the row: an insert stores no snapshot. */
	assert_int_equal(query_int(db, "SELECT count(*) FROM enterprise_versions WHERE uscc = ?",
				   YUTONG_USCC),
			 0);
	assert_int_equal(zl_store_enterprise_get(db, "9141010017001312XH", &got, &err),
			 ZL_ENOTFOUND);
	/* Writes need the caller's transaction. */
	assert_int_equal(zl_store_enterprise_upsert(db, &e, "x", NULL, &err), ZL_EINTERNAL);
}

static void test_idempotent(void **state)
{
	struct zl_db *db = *state;
	struct zl_enterprise e;

	make(&e, YUTONG_USCC, YUTONG);
	assert_int_equal(upsert(db, &e), ZL_UPSERT_INSERTED);
	assert_int_equal(upsert(db, &e), ZL_UPSERT_UNCHANGED);
	assert_int_equal(upsert(db, &e), ZL_UPSERT_UNCHANGED);
	assert_int_equal(query_int(db, "SELECT count(*) FROM enterprise_versions", NULL), 0);
	assert_int_equal(query_int(db, "SELECT count(*) FROM enterprise_changes", NULL), 1);
	assert_int_equal(
		query_int(db, "SELECT version FROM enterprises WHERE uscc = ?", YUTONG_USCC), 1);
}

struct names {
	char n[8][1024];
	int count;
};

static int got_former(void *cls, const struct zl_ent_former_name *f)
{
	struct names *l = cls;

	if (l->count < 8)
		snprintf(l->n[l->count++], 256, "%s", f->name);
	return ZL_OK;
}

static int got_version(void *cls, const struct zl_ent_version *v)
{
	struct names *l = cls;

	if (l->count < 8)
		snprintf(l->n[l->count++], 1024, "%lld %s %s", (long long)v->version, v->changed_by,
			 v->data);
	return ZL_OK;
}

static void test_update_history_and_former_name(void **state)
{
	struct zl_db *db = *state;
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_enterprise e, got;
	struct names l = {0};

	make(&e, YUTONG_USCC, "郑州宇通客车有限公司");
	assert_int_equal(upsert_as(db, &e, "alice"), ZL_UPSERT_INSERTED);
	/* One version, the row itself. */
	assert_int_equal(zl_store_enterprise_versions(db, YUTONG_USCC, 1, got_version, &l, &err),
			 ZL_OK);
	assert_int_equal(l.count, 1);
	assert_non_null(strstr(l.n[0], "1 alice {"));
	assert_non_null(strstr(l.n[0], "\"name\":\"郑州宇通客车有限公司\""));
	memset(&l, 0, sizeof(l));
	assert_int_equal(zl_store_enterprise_versions(db, YUTONG_USCC, 0, got_version, &l, &err),
			 ZL_OK);
	assert_int_equal(l.count, 1);
	assert_string_equal(l.n[0], "1 alice ");
	memset(&l, 0, sizeof(l));
	/* No enterprise, no versions. */
	assert_int_equal(
		zl_store_enterprise_versions(db, "9141010017001312XH", 1, got_version, &l, &err),
		ZL_OK);
	assert_int_equal(l.count, 0);

	make(&e, YUTONG_USCC, YUTONG);
	snprintf(e.size_class, sizeof(e.size_class), "large");
	assert_int_equal(upsert(db, &e), ZL_UPSERT_UPDATED);
	assert_int_equal(zl_store_enterprise_get(db, YUTONG_USCC, &got, &err), ZL_OK);
	assert_int_equal(got.version, 2);
	assert_string_equal(got.name, YUTONG);
	assert_string_equal(got.size_class, "large");
	assert_string_equal(got.updated_by, "tester");
	assert_int_equal(zl_store_enterprise_former_names(db, YUTONG_USCC, got_former, &l, &err),
			 ZL_OK);
	assert_int_equal(l.count, 1);
	assert_string_equal(l.n[0], "郑州宇通客车有限公司");

	memset(&l, 0, sizeof(l));
	assert_int_equal(zl_store_enterprise_versions(db, YUTONG_USCC, 1, got_version, &l, &err),
			 ZL_OK);
	assert_int_equal(l.count, 2);
	assert_non_null(strstr(l.n[0], "2 tester {"));
	assert_non_null(strstr(l.n[0], "\"size_class\":\"large\""));
	assert_non_null(strstr(l.n[0], "\"version\":2"));
	/* The superseded version, stored with its own author. */
	assert_non_null(strstr(l.n[1], "1 alice {"));
	assert_non_null(strstr(l.n[1], "\"name\":\"郑州宇通客车有限公司\""));
	assert_non_null(strstr(l.n[1], "\"version\":1"));
	assert_null(strstr(l.n[1], "large"));
	assert_int_equal(query_int(db, "SELECT count(*) FROM enterprise_versions WHERE uscc = ?",
				   YUTONG_USCC),
			 1);
	assert_int_equal(query_int(db,
				   "SELECT count(*) FROM enterprise_versions v JOIN enterprises e"
				   " ON e.uscc = v.uscc WHERE v.version = 1"
				   " AND v.changed_at = e.created_at AND v.changed_by = 'alice'",
				   NULL),
			 1);

	/* A change of another field keeps the former name. */
	snprintf(e.status, sizeof(e.status), "revoked");
	assert_int_equal(upsert(db, &e), ZL_UPSERT_UPDATED);
	assert_int_equal(query_int(db,
				   "SELECT count(*) FROM enterprise_former_names WHERE uscc = ?",
				   YUTONG_USCC),
			 1);
	/* Renamed back: the earlier name is current again, the other one former. */
	make(&e, YUTONG_USCC, "郑州宇通客车有限公司");
	assert_int_equal(upsert(db, &e), ZL_UPSERT_UPDATED);
	memset(&l, 0, sizeof(l));
	assert_int_equal(zl_store_enterprise_former_names(db, YUTONG_USCC, got_former, &l, &err),
			 ZL_OK);
	assert_int_equal(l.count, 1);
	assert_string_equal(l.n[0], YUTONG);
	assert_int_equal(
		query_int(db, "SELECT version FROM enterprises WHERE uscc = ?", YUTONG_USCC), 4);
}

static void test_grams(void **state)
{
	struct zl_db *db = *state;
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_enterprise e;
	int64_t eid;

	make(&e, YUTONG_USCC, YUTONG);
	upsert(db, &e);
	assert_int_equal(has_gram(db, "宇通", YUTONG_USCC), 1);
	assert_int_equal(has_gram(db, "郑州", YUTONG_USCC), 1);
	assert_int_equal(has_gram(db, "公司", YUTONG_USCC), 1);
	assert_int_equal(has_gram(db, "通宇", YUTONG_USCC), 0);
	/* Exactly the grams domain/grams.h makes of the name, as delta rows of its eid. */
	eid = query_int(db, "SELECT eid FROM enterprises WHERE uscc = ?", YUTONG_USCC);
	{
		char g[ZL_NAME_GRAMS_MAX][ZL_GRAM_SIZE], sql[128];
		size_t n = zl_name_grams(YUTONG, strlen(YUTONG), g, ZL_NAME_GRAMS_MAX);

		assert_true(n >= 11);
		snprintf(sql, sizeof(sql),
			 "SELECT count(*) FROM enterprise_gram_delta WHERE eid = %lld",
			 (long long)eid);
		assert_int_equal(query_int(db, sql, NULL), (int64_t)n);
		for (size_t i = 0; i < n; i++)
			assert_int_equal(has_gram(db, g[i], YUTONG_USCC), 1);
	}

	/* Rename: the former name stays findable. */
	make(&e, YUTONG_USCC, "河南新能源客车有限公司");
	assert_int_equal(upsert(db, &e), ZL_UPSERT_UPDATED);
	assert_int_equal(has_gram(db, "宇通", YUTONG_USCC), 1);
	assert_int_equal(has_gram(db, "能源", YUTONG_USCC), 1);

	/* A former name recorded directly (as an importer may) is indexed by a rebuild. */
	exec_ok(db, "INSERT INTO enterprise_former_names (uscc, name, valid_to) VALUES "
		    "('9141010017001312XG', '郑州客运汽车厂', '1997-01-01')");
	assert_int_equal(has_gram(db, "汽车", YUTONG_USCC), 0);
	assert_int_equal(zl_db_begin(db, &err), ZL_OK);
	assert_int_equal(zl_store_index_rebuild(db, &err), ZL_OK);
	assert_int_equal(zl_db_commit(db, &err), ZL_OK);
	assert_int_equal(has_gram(db, "汽车", YUTONG_USCC), 1);
	assert_int_equal(has_gram(db, "宇通", YUTONG_USCC), 1);
	assert_int_equal(has_gram(db, "能源", YUTONG_USCC), 1);
	assert_int_equal(query_int(db, "SELECT count(*) FROM enterprise_gram_delta", NULL), 0);
}

struct feed {
	int64_t seq[16];
	char uscc[16][ZL_ENT_KEY_MAX];
	char op[16][16];
	int n;
};

static int got_change(void *cls, const struct zl_ent_change *c)
{
	struct feed *f = cls;

	if (f->n < 16) {
		f->seq[f->n] = c->seq;
		snprintf(f->uscc[f->n], ZL_ENT_KEY_MAX, "%s", c->uscc);
		snprintf(f->op[f->n], 16, "%s", c->op);
		f->n++;
	}
	return ZL_OK;
}

static void test_change_feed(void **state)
{
	struct zl_db *db = *state;
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_enterprise a, b;
	struct zl_ent_cert c;
	struct zl_ent_award w;
	struct feed f = {0};
	int64_t last = -1;
	int changed = -1;

	make(&a, YUTONG_USCC, YUTONG);
	make(&b, "914112810713741814", "义马市测试机械有限公司");
	upsert(db, &a);
	upsert(db, &b);
	snprintf(a.address, sizeof(a.address), "郑州市管城回族区宇通路");
	upsert(db, &a);
	upsert(db, &a); /* unchanged: no row */

	memset(&c, 0, sizeof(c));
	snprintf(c.kind, sizeof(c.kind), "iso9001");
	snprintf(c.number, sizeof(c.number), "00119Q12345R0L");
	snprintf(c.valid_from, sizeof(c.valid_from), "2019/6/1");
	memset(&w, 0, sizeof(w));
	snprintf(w.kind, sizeof(w.kind), "famous_brand");
	snprintf(w.name, sizeof(w.name), "宇通牌客车");
	snprintf(w.awarded_on, sizeof(w.awarded_on), "2012-12-01");
	assert_int_equal(zl_db_begin(db, &err), ZL_OK);
	assert_int_equal(zl_store_enterprise_cert_put(db, YUTONG_USCC, &c, &changed, &err), ZL_OK);
	assert_int_equal(changed, 1);
	assert_int_equal(zl_store_enterprise_cert_put(db, YUTONG_USCC, &c, &changed, &err), ZL_OK);
	assert_int_equal(changed, 0);
	assert_int_equal(zl_store_enterprise_award_put(db, YUTONG_USCC, &w, &changed, &err), ZL_OK);
	assert_int_equal(changed, 1);
	snprintf(c.kind, sizeof(c.kind), "nonsense");
	assert_int_equal(zl_store_enterprise_cert_put(db, YUTONG_USCC, &c, &changed, &err),
			 ZL_EUNPROC);
	assert_string_equal(err.field, "kind");
	snprintf(c.kind, sizeof(c.kind), "ccc");
	assert_int_equal(zl_store_enterprise_cert_put(db, "9141010017001312XH", &c, &changed, &err),
			 ZL_ENOTFOUND);
	snprintf(c.valid_to, sizeof(c.valid_to), "2019-02-30");
	assert_int_equal(zl_store_enterprise_cert_put(db, YUTONG_USCC, &c, &changed, &err),
			 ZL_EUNPROC);
	assert_string_equal(err.field, "valid_to");
	assert_int_equal(zl_db_commit(db, &err), ZL_OK);

	assert_int_equal(zl_store_enterprise_changes(db, 0, 100, got_change, &f, &last, &err),
			 ZL_OK);
	assert_int_equal(f.n, 5);
	for (int i = 0; i < f.n; i++)
		assert_int_equal(f.seq[i], i + 1);
	assert_string_equal(f.op[0], "insert");
	assert_string_equal(f.uscc[0], YUTONG_USCC);
	assert_string_equal(f.op[1], "insert");
	assert_string_equal(f.uscc[1], "914112810713741814");
	assert_string_equal(f.op[2], "update");
	assert_string_equal(f.op[3], "certs");
	assert_string_equal(f.op[4], "awards");
	assert_int_equal(last, 5);
	assert_int_equal(
		query_int(db, "SELECT change_seq FROM enterprises WHERE uscc = ?", YUTONG_USCC), 3);

	/* Paging by cursor. */
	memset(&f, 0, sizeof(f));
	assert_int_equal(zl_store_enterprise_changes(db, 2, 2, got_change, &f, &last, &err), ZL_OK);
	assert_int_equal(f.n, 2);
	assert_int_equal(f.seq[0], 3);
	assert_int_equal(last, 4);
	memset(&f, 0, sizeof(f));
	assert_int_equal(zl_store_enterprise_changes(db, 5, 2, got_change, &f, &last, &err), ZL_OK);
	assert_int_equal(f.n, 0);
	assert_int_equal(last, 5);
	assert_int_equal(zl_store_enterprise_changes(db, 0, 0, got_change, &f, &last, &err),
			 ZL_EUNPROC);

	/* Certificates read back normalised. */
	assert_int_equal(query_int(db,
				   "SELECT count(*) FROM enterprise_certs WHERE valid_from = "
				   "'2019-06-01' AND uscc = ?",
				   YUTONG_USCC),
			 1);
	assert_int_equal(zl_db_begin(db, &err), ZL_OK);
	assert_int_equal(zl_store_enterprise_award_delete(db, YUTONG_USCC, "famous_brand",
							  "宇通牌客车", &err),
			 ZL_OK);
	assert_int_equal(zl_store_enterprise_award_delete(db, YUTONG_USCC, "famous_brand",
							  "宇通牌客车", &err),
			 ZL_ENOTFOUND);
	assert_int_equal(zl_db_commit(db, &err), ZL_OK);
	assert_int_equal(
		query_int(db, "SELECT count(*) FROM enterprise_awards WHERE uscc = ?", YUTONG_USCC),
		0);
}

static void test_legacy_key(void **state)
{
	struct zl_db *db = *state;
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_enterprise e, got;

	make(&e, "19220382-1", "老国有机械厂");
	assert_string_equal(e.uscc, "ORG:192203821");
	assert_int_equal(upsert(db, &e), ZL_UPSERT_INSERTED);
	assert_int_equal(zl_store_enterprise_get(db, "ORG:192203821", &got, &err), ZL_OK);
	assert_int_equal(got.legacy, 1);
	assert_string_equal(got.org_code, "192203821");
	/* A one-character-per-side name still has grams; a rename with same grams is fine. */
	assert_int_equal(has_gram(db, "机械", "ORG:192203821"), 1);
}

static void test_demo(void **state)
{
	struct zl_db *db = *state;
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_rng rng;
	int64_t n1;

	zl_rng_seed_str(&rng, "42");
	assert_int_equal(zl_store_demo_enterprises(db, &rng, 300, &err), ZL_OK);
	n1 = query_int(db, "SELECT count(*) FROM enterprises", NULL);
	assert_int_equal(n1, 300);
	/* Every key is a valid code, every name long enough. */
	assert_int_equal(
		query_int(db, "SELECT count(*) FROM enterprises WHERE length(uscc) <> 18", NULL),
		0);
	assert_true(query_int(db, "SELECT count(DISTINCT region) FROM enterprises", NULL) > 20);
	assert_true(query_int(db, "SELECT count(DISTINCT industry) FROM enterprises", NULL) > 20);
	assert_true(query_int(db, "SELECT count(*) FROM enterprise_certs", NULL) > 10);
	assert_true(query_int(db, "SELECT count(*) FROM enterprise_awards", NULL) > 0);
	assert_true(query_int(db, "SELECT count(*) FROM enterprise_former_names", NULL) > 0);
	/* One bulk write: ids 1..n, every name's postings in blobs, no delta row left. */
	assert_int_equal(query_int(db, "SELECT min(eid) FROM enterprises", NULL), 1);
	assert_int_equal(query_int(db, "SELECT max(eid) FROM enterprises", NULL), 300);
	assert_int_equal(query_int(db, "SELECT count(*) FROM enterprise_gram_delta", NULL), 0);
	assert_true(query_int(db, "SELECT count(*) FROM enterprise_postings", NULL) > 300);
	assert_int_equal(query_int(db, "SELECT count(*) FROM enterprise_versions", NULL), 0);
	{
		struct zl_stmt *st = NULL;
		char name[256], uscc[ZL_ENT_KEY_MAX];
		char g[ZL_NAME_GRAMS_MAX][ZL_GRAM_SIZE];
		size_t n;

		assert_int_equal(zl_db_prepare(db,
					       "SELECT uscc, name FROM enterprises WHERE eid = 150",
					       &st, &err),
				 ZL_OK);
		assert_int_equal(zl_stmt_step(st, &err), ZL_DB_ROW);
		snprintf(uscc, sizeof(uscc), "%s", zl_stmt_column_text(st, 0));
		snprintf(name, sizeof(name), "%s", zl_stmt_column_text(st, 1));
		zl_stmt_reset(st);
		n = zl_name_grams(name, strlen(name), g, ZL_NAME_GRAMS_MAX);
		for (size_t i = 0; i < n; i++)
			assert_int_equal(has_gram(db, g[i], uscc), 1);
	}
	/* Deterministic: the same seed again changes nothing. */
	zl_rng_seed_str(&rng, "42");
	assert_int_equal(zl_store_demo_enterprises(db, &rng, 300, &err), ZL_OK);
	assert_int_equal(query_int(db, "SELECT count(*) FROM enterprises", NULL), 300);
	assert_int_equal(query_int(db, "SELECT max(version) FROM enterprises", NULL), 1);
}

/* zl_store_enterprise_lookup() of `uscc` asking for `want`: the bits it answers. */
static unsigned lookup_has(struct zl_db *db, const char *uscc, unsigned want)
{
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_enterprise got, ref;
	unsigned has = 0xdead;

	if (zl_store_enterprise_lookup(db, uscc, want, &got, &has, &err) != ZL_OK)
		fail_msg("lookup %s: %s", uscc, err.message);
	/* The record itself is what zl_store_enterprise_get() reads. */
	assert_int_equal(zl_store_enterprise_get(db, uscc, &ref, &err), ZL_OK);
	assert_memory_equal(&got, &ref, sizeof(got));
	return has;
}

static void test_lookup_lists(void **state)
{
	struct zl_db *db = *state;
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_enterprise a, b, got;
	struct zl_credit_event ev;
	struct zl_ent_cert c;
	struct zl_ent_award w;
	const char *other = "914112810713741814";
	unsigned has = 0xdead;

	make(&a, YUTONG_USCC, YUTONG);
	make(&b, other, "义马市测试机械有限公司");
	upsert(db, &a);
	upsert(db, &b);
	assert_int_equal(lookup_has(db, YUTONG_USCC, ZL_ENT_LIST_ALL), 0);
	assert_int_equal(zl_store_enterprise_lookup(db, "9141010017001312XH", ZL_ENT_LIST_ALL, &got,
						    &has, &err),
			 ZL_ENOTFOUND);
	assert_int_equal(has, 0);

	/* A rename: a former name and a stored version. */
	make(&a, YUTONG_USCC, "郑州宇通集团有限公司");
	assert_int_equal(upsert(db, &a), ZL_UPSERT_UPDATED);
	assert_int_equal(lookup_has(db, YUTONG_USCC, ZL_ENT_LIST_ALL),
			 ZL_ENT_LIST_FORMER | ZL_ENT_LIST_VERSIONS);

	memset(&c, 0, sizeof(c));
	snprintf(c.kind, sizeof(c.kind), "iso9001");
	snprintf(c.number, sizeof(c.number), "00119Q12345R0L");
	memset(&w, 0, sizeof(w));
	snprintf(w.kind, sizeof(w.kind), "famous_brand");
	snprintf(w.name, sizeof(w.name), "宇通牌客车");
	/* An internal event: the list has a row even if the public answer shows none. */
	memset(&ev, 0, sizeof(ev));
	snprintf(ev.uscc, sizeof(ev.uscc), "%s", YUTONG_USCC);
	snprintf(ev.kind, sizeof(ev.kind), "interview");
	snprintf(ev.event_date, sizeof(ev.event_date), "2019-02-28");
	snprintf(ev.source_org, sizeof(ev.source_org), "410100");
	snprintf(ev.title, sizeof(ev.title), "约谈");
	snprintf(ev.created_by, sizeof(ev.created_by), "test");
	zl_credit_apply_defaults(&ev, 1);
	assert_int_equal(zl_db_begin(db, &err), ZL_OK);
	assert_int_equal(zl_store_enterprise_cert_put(db, YUTONG_USCC, &c, NULL, &err), ZL_OK);
	assert_int_equal(zl_store_enterprise_award_put(db, YUTONG_USCC, &w, NULL, &err), ZL_OK);
	if (zl_store_credit_add(db, &ev, NULL, &err) != ZL_OK)
		fail_msg("credit: %s %s", err.field, err.message);
	assert_int_equal(zl_db_commit(db, &err), ZL_OK);

	/* Inside a read transaction, as the handlers ask. */
	assert_int_equal(zl_db_begin_read(db, &err), ZL_OK);
	assert_int_equal(lookup_has(db, YUTONG_USCC, ZL_ENT_LIST_ALL), ZL_ENT_LIST_ALL);
	assert_int_equal(zl_db_commit(db, &err), ZL_OK);
	/* Only what is asked for; the other record has none of it. */
	assert_int_equal(lookup_has(db, YUTONG_USCC, ZL_ENT_LIST_CERTS | ZL_ENT_LIST_CREDIT),
			 ZL_ENT_LIST_CERTS | ZL_ENT_LIST_CREDIT);
	assert_int_equal(lookup_has(db, YUTONG_USCC, 0), 0);
	assert_int_equal(lookup_has(db, other, ZL_ENT_LIST_ALL), 0);

	/* Gone again: the bit goes. */
	assert_int_equal(zl_db_begin(db, &err), ZL_OK);
	assert_int_equal(zl_store_enterprise_award_delete(db, YUTONG_USCC, "famous_brand",
							  "宇通牌客车", &err),
			 ZL_OK);
	assert_int_equal(zl_store_enterprise_cert_delete(db, YUTONG_USCC, "iso9001",
							 "00119Q12345R0L", &err),
			 ZL_OK);
	assert_int_equal(zl_db_commit(db, &err), ZL_OK);
	assert_int_equal(lookup_has(db, YUTONG_USCC, ZL_ENT_LIST_ALL),
			 ZL_ENT_LIST_FORMER | ZL_ENT_LIST_VERSIONS | ZL_ENT_LIST_CREDIT);
}

/* zl_store_enterprise_versions_of() says what zl_store_enterprise_versions() says. */
static void test_versions_of(void **state)
{
	struct zl_db *db = *state;
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_enterprise e, cur;
	struct names a, b;
	char actor[200];

	/* An author longer than the record's updated_by holds (cut there), not
	 * longer than a version's changed_by. */
	memset(actor, 'x', 150);
	memcpy(actor, "import:", 7);
	actor[150] = '\0';
	make(&e, YUTONG_USCC, YUTONG);
	upsert_as(db, &e, "alice");
	snprintf(e.address, sizeof(e.address), "郑州市管城回族区宇通路");
	upsert_as(db, &e, actor);
	assert_int_equal(zl_store_enterprise_get(db, YUTONG_USCC, &cur, &err), ZL_OK);
	assert_int_equal(strlen(cur.updated_by), sizeof(cur.updated_by) - 1);
	for (int data = 0; data <= 1; data++) {
		memset(&a, 0, sizeof(a));
		memset(&b, 0, sizeof(b));
		assert_int_equal(
			zl_store_enterprise_versions(db, YUTONG_USCC, data, got_version, &a, &err),
			ZL_OK);
		assert_int_equal(
			zl_store_enterprise_versions_of(db, &cur, 1, data, got_version, &b, &err),
			ZL_OK);
		assert_int_equal(a.count, 2);
		assert_int_equal(b.count, 2);
		for (int i = 0; i < 2; i++)
			assert_string_equal(a.n[i], b.n[i]);
	}
	/* The author in full (as far as a version holds it). */
	assert_non_null(strstr(a.n[0], "2 import:xxx"));
	assert_true(strlen(a.n[0]) > 130);
	/* stored = 0: the current version only. */
	memset(&b, 0, sizeof(b));
	assert_int_equal(zl_store_enterprise_versions_of(db, &cur, 0, 0, got_version, &b, &err),
			 ZL_OK);
	assert_int_equal(b.count, 1);
	assert_non_null(strstr(b.n[0], "2 import:xxx"));
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup_db, teardown_db)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_insert_and_get), T(test_idempotent),  T(test_update_history_and_former_name),
		T(test_grams),		T(test_change_feed), T(test_legacy_key),
		T(test_demo),		T(test_lookup_lists), T(test_versions_of),
	};

	fprintf(stderr, "enterprises store suite against %s\n",
		zl_db_url_backend(test_url()) != NULL ? zl_db_url_backend(test_url())
						      : "(bad ZHILIANG_TEST_DB)");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
