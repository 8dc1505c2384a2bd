/*
 * test_enterprise_search.c - name-fragment search, filters, sort, keyset
 * paging, totals and count buckets of the enterprise register
 * (store/enterprise_search.h), against SQLite and PostgreSQL:
 *
 *   build/release/tests/store/test_enterprise_search
 *   ZHILIANG_TEST_DB=postgres://... build/release/tests/store/test_enterprise_search
 *
 * The fixture writes enterprises (with their eids) and former names
 * directly, and the name index through store/enterprise_index.h: the
 * generated records' postings as blobs (a builder and one flush), the
 * fixed records' as delta rows, so every lookup reads blob and delta.  One
 * record has a huge eid (2^40), which makes the walking plan test
 * membership by binary search instead of a bitmap.
 *
 * The plans (struct zl_ent_filter.plan: 1 list, 2 walk, 3 walk in batches
 * of two rows) must give identical totals, pages and buckets: the
 * equivalence tests compare them on many filters, every sort and order,
 * whole lists and paging by cursor.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/buf.h"
#include "db/db.h"
#include "domain/grams.h"
#include "domain/postings.h"
#include "store/enterprise_index.h"
#include "store/enterprise_search.h"
#include "store/enterprises.h"
#include "store/migrate.h"

#include "harness.h"

#define N_MAX 64

struct fixture {
	const char *uscc, *name, *former, *region, *industry, *status, *founded, *updated;
	int64_t eid;
};

static const struct fixture fixed[] = {
	{"914101006149000001", "郑州宇通客车股份有限公司", NULL, "410102", "3612", "operating",
	 "1997-05-08", "2024-01-02T00:00:00Z", 1},
	{"914101006149000002", "郑州重工装备有限公司", "宇通重工有限公司", "410100", "3510",
	 "operating", "2003-03-01", "2024-01-03T00:00:00Z", 2},
	{"914103006149000003", "通宇电子有限公司", NULL, "410300", "3970", "revoked", "2010-10-10",
	 "2024-01-04T00:00:00Z", 3},
	{"914103006149000004", "通客车宇通客业有限公司", NULL, "410311", "3612", "cancelled",
	 "2011-11-11", "2024-01-05T00:00:00Z", 4},
	{"914100006149000005", "鑫", NULL, "", "", "operating", "", "2024-01-06T00:00:00Z", 5},
	{"914110006149000006", "许昌宏图有限公司", NULL, "411000", "3970", "operating",
	 "2015-06-01", "2024-01-07T00:00:00Z", (int64_t)1 << 40},
};

static const char *const towns[] = {"洛阳", "开封", "新乡", "安阳", "郑州"};
static const char *const words[] = {"鑫源", "华夏", "中原", "金星", "恒达", "天瑞", "豫丰", "瑞祥"};
static const char *const regions[] = {"410300", "410200", "410700", "410500", "410181"};

/* The name index: into the builder when given, else as delta rows. */
static void index_name(struct zl_db *db, struct zl_gram_builder *gb, int64_t eid, const char *name)
{
	struct zl_error err = ZL_ERROR_INIT;

	if (gb != NULL)
		assert_int_equal(zl_gram_builder_add_name(gb, name, (uint64_t)eid), ZL_OK);
	else if (zl_store_index_add_name(db, eid, name, &err) != ZL_OK)
		fail_msg("index %s: %s", name, err.message);
}

static void insert(struct zl_db *db, struct zl_gram_builder *gb, const struct fixture *x)
{
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_stmt *st;

	assert_int_equal(
		zl_db_prepare(db,
			      "INSERT INTO enterprises (uscc, name, region, industry, status,"
			      " founded, created_at, updated_at, eid)"
			      " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
			      &st, &err),
		ZL_OK);
	zl_stmt_bind_text(st, 1, x->uscc, -1);
	zl_stmt_bind_text(st, 2, x->name, -1);
	zl_stmt_bind_text(st, 3, x->region, -1);
	zl_stmt_bind_text(st, 4, x->industry, -1);
	zl_stmt_bind_text(st, 5, x->status, -1);
	zl_stmt_bind_text(st, 6, x->founded, -1);
	zl_stmt_bind_text(st, 7, x->updated, -1);
	zl_stmt_bind_text(st, 8, x->updated, -1);
	zl_stmt_bind_int64(st, 9, x->eid);
	if (zl_stmt_step(st, &err) != ZL_DB_DONE)
		fail_msg("insert %s: %s", x->uscc, err.message);
	zl_stmt_reset(st);
	index_name(db, gb, x->eid, x->name);
	if (x->former) {
		assert_int_equal(
			zl_db_prepare(db,
				      "INSERT INTO enterprise_former_names (uscc, name, valid_to)"
				      " VALUES (?, ?, '2020-01-01')",
				      &st, &err),
			ZL_OK);
		zl_stmt_bind_text(st, 1, x->uscc, -1);
		zl_stmt_bind_text(st, 2, x->former, -1);
		assert_int_equal(zl_stmt_step(st, &err), ZL_DB_DONE);
		zl_stmt_reset(st);
		index_name(db, gb, x->eid, x->former);
	}
}

/* 6 fixed records and 40 generated ones: 46 enterprises (and 5 certifications). */
#define N_ALL 46

static int setup_db(void **state)
{
	struct zl_db *db = harness_open_empty(1);
	char uscc[N_MAX][24], name[N_MAX][128], founded[N_MAX][16], updated[N_MAX][32];
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_gram_builder *gb = NULL;
	struct fixture x;
	size_t i, k = 0, t, w;

	if (!db)
		return -1;
	assert_int_equal(zl_gram_builder_new(&gb), ZL_OK);
	assert_int_equal(zl_db_begin(db, &err), ZL_OK);
	for (t = 0; t < 5; t++) {
		for (w = 0; w < 8; w++, k++) {
			snprintf(uscc[k], sizeof(uscc[k]), "9141%02zu00MA%08zu", t,
				 100 + k * 7 % 40);
			snprintf(name[k], sizeof(name[k]), "%s%s机械有限公司", towns[t], words[w]);
			/* founded repeats (ties broken by uscc), some empty */
			snprintf(founded[k], sizeof(founded[k]), k % 5 == 0 ? "" : "200%zu-01-01",
				 k % 3);
			snprintf(updated[k], sizeof(updated[k]), "2024-02-%02zuT00:00:00Z",
				 1 + k % 4);
			x.uscc = uscc[k];
			x.name = name[k];
			x.former = NULL;
			x.region = k % 10 == 9 ? "" : regions[t];
			x.industry = w % 2 ? "3411" : "3311";
			x.status = k % 7 == 0 ? "revoked" : "operating";
			x.founded = founded[k];
			x.updated = updated[k];
			x.eid = 101 + (int64_t)k;
			insert(db, gb, &x);
		}
	}
	/* Generated records: blobs.  Fixed ones: delta rows on top. */
	if (zl_store_index_flush(db, gb, NULL, NULL, &err) != ZL_OK)
		fail_msg("flush: %s", err.message);
	zl_gram_builder_free(gb);
	for (i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		insert(db, NULL, &fixed[i]);
	/* A delta row repeating a blob posting counts once. */
	index_name(db, NULL, 101, name[0]);
	assert_int_equal(zl_db_commit(db, &err), ZL_OK);
	exec_ok(db, "INSERT INTO enterprise_certs (uscc, kind, number) VALUES"
		    " ('914101006149000001', 'iso9001', 'A1'),"
		    " ('914101006149000001', 'ccc', 'C1'),"
		    " ('914101006149000002', 'iso9001', 'A2'),"
		    " ('914103006149000003', 'ccc', 'C3')");
	exec_ok(db, "INSERT INTO enterprise_certs (uscc, kind, number, status) VALUES"
		    " ('914103006149000004', 'iso9001', 'A4', 'revoked')");
	*state = db;
	return 0;
}

struct hits {
	char uscc[N_MAX * 2][24];
	char key[N_MAX * 2][64];
	size_t n;
	enum zl_ent_sort sort;
};

static int collect(void *cls, const struct zl_enterprise *e)
{
	struct hits *h = cls;
	const char *k = h->sort == ZL_ENT_SORT_NAME	 ? e->name
			: h->sort == ZL_ENT_SORT_FOUNDED ? e->founded
			: h->sort == ZL_ENT_SORT_UPDATED ? e->updated_at
							 : e->uscc;

	assert_true(h->n < N_MAX * 2);
	zl_strlcpy(h->uscc[h->n], e->uscc, sizeof(h->uscc[0]));
	zl_strlcpy(h->key[h->n], k, sizeof(h->key[0]));
	h->n++;
	return 0;
}

static int64_t search(struct zl_db *db, const struct zl_ent_filter *f, struct hits *h)
{
	struct zl_error err = ZL_ERROR_INIT;
	int64_t total = -1;
	int rc;

	memset(h, 0, sizeof(*h));
	h->sort = f->sort;
	rc = zl_store_enterprise_list(db, f, collect, h, &total, &err);
	if (rc != ZL_OK)
		fail_msg("list failed (%d): %s [%s]", rc, err.message, err.field);
	return total;
}

static int has(const struct hits *h, const char *uscc)
{
	size_t i;

	for (i = 0; i < h->n; i++)
		if (strcmp(h->uscc[i], uscc) == 0)
			return 1;
	return 0;
}

static int64_t q_count(struct zl_db *db, const char *q, int plan, struct hits *h)
{
	struct zl_ent_filter f = {0};
	int64_t total;

	f.q = q;
	f.plan = plan;
	total = search(db, &f, h);
	assert_int_equal(total, (int64_t)h->n);
	return total;
}

static void test_bigram(void **state)
{
	struct zl_db *db = *state;
	struct hits h;
	int plan;

	for (plan = 0; plan <= 3; plan++) {
		/* current name and former name */
		assert_int_equal(q_count(db, "宇通", plan, &h), 3);
		assert_true(has(&h, "914101006149000001"));
		assert_true(has(&h, "914101006149000002"));
		assert_true(has(&h, "914103006149000004"));
		/* reversed order is another bigram */
		assert_int_equal(q_count(db, "通宇", plan, &h), 1);
		assert_true(has(&h, "914103006149000003"));
		/* a trigram */
		assert_int_equal(q_count(db, "宇通客", plan, &h), 2);
		/* 宇通客车: 通客车宇通客业 has both trigrams but not the fragment */
		assert_int_equal(q_count(db, "宇通客车", plan, &h), 1);
		assert_string_equal(h.uscc[0], "914101006149000001");
		assert_int_equal(q_count(db, "郑州宇通客车股份有限公司", plan, &h), 1);
		/* a 3-character fragment of a former name */
		assert_int_equal(q_count(db, "宇通重", plan, &h), 1);
		assert_string_equal(h.uscc[0], "914101006149000002");
		/* words: every one must occur */
		assert_int_equal(q_count(db, "郑州 重工", plan, &h), 1);
		assert_int_equal(q_count(db, "郑州，客车", plan, &h), 1);
		assert_int_equal(q_count(db, "洛阳 客车", plan, &h), 0);
		/* one character: the slow path */
		assert_int_equal(q_count(db, "鑫", plan, &h), 6);
		assert_true(has(&h, "914100006149000005"));
		/* common bigram */
		assert_int_equal(q_count(db, "有限", plan, &h), 45);
		assert_int_equal(q_count(db, "有限公司", plan, &h), 45);
		assert_true(has(&h, "914110006149000006")); /* the huge eid */
		assert_int_equal(q_count(db, "无此企业", plan, &h), 0);
		/* ASCII is case-folded in the query */
		assert_int_equal(q_count(db, "（宇通）", plan, &h), 3);
	}
}

static void test_filters(void **state)
{
	struct zl_db *db = *state;
	struct zl_ent_filter f = {0};
	struct hits h;

	f.region = "410100"; /* city: 410102, 410181 (a county-level city) and 410100 itself */
	assert_int_equal(search(db, &f, &h), 2 + 7);
	f.region = "410102";
	assert_int_equal(search(db, &f, &h), 1);
	f.region = "41";
	assert_int_equal(search(db, &f, &h), N_ALL - 1 - 4);
	f.region = "410300"; /* 410300 itself (C and 8 generated) and 410311 (D) */
	assert_int_equal(search(db, &f, &h), 1 + 8 + 1);
	f.region = NULL;
	f.industry = "36";
	assert_int_equal(search(db, &f, &h), 2);
	f.industry = "3411";
	assert_int_equal(search(db, &f, &h), 20);
	f.industry = NULL;
	f.status = "revoked";
	assert_int_equal(search(db, &f, &h), 1 + 6);
	f.status = NULL;
	f.cert = "iso9001"; /* the revoked certificate does not count */
	assert_int_equal(search(db, &f, &h), 2);
	f.q = "宇通";
	f.cert = "ccc";
	assert_int_equal(search(db, &f, &h), 1);
	assert_string_equal(h.uscc[0], "914101006149000001");
	f.cert = NULL;
	f.region = "4103";
	assert_int_equal(search(db, &f, &h), 1);
	assert_string_equal(h.uscc[0], "914103006149000004");
}

/* The planner's statistics change the plans of the filters, never their answers. */
static void test_after_analyze(void **state)
{
	static struct hits before[4], after;
	struct zl_db *db = *state;
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_ent_filter f[4] = {{0}};
	int64_t total[4];
	size_t i, k;

	f[0].cert = "iso9001";
	f[1].cert = "iso9001";
	f[1].status = "operating";
	f[2].cert = "ccc";
	f[2].region = "410100";
	f[3].cert = "ccc";
	f[3].q = "宇通";
	for (i = 0; i < 4; i++)
		total[i] = search(db, &f[i], &before[i]);
	assert_int_equal(total[0], 2);
	assert_int_equal(zl_store_analyze(db, &err), ZL_OK);
	for (i = 0; i < 4; i++) {
		assert_int_equal(search(db, &f[i], &after), total[i]);
		assert_int_equal(after.n, before[i].n);
		for (k = 0; k < after.n; k++)
			assert_string_equal(after.uscc[k], before[i].uscc[k]);
	}
}

static void test_bad_filters(void **state)
{
	struct zl_db *db = *state;
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_ent_filter f = {0};

	f.region = "41x";
	assert_int_equal(zl_store_enterprise_list(db, &f, NULL, NULL, NULL, &err), ZL_EINVAL);
	assert_string_equal(err.field, "region");
	f.region = NULL;
	f.status = "dead";
	assert_int_equal(zl_store_enterprise_list(db, &f, NULL, NULL, NULL, &err), ZL_EINVAL);
	assert_string_equal(err.field, "status");
	f.status = NULL;
	f.q = " ,.";
	assert_int_equal(zl_store_enterprise_list(db, &f, NULL, NULL, NULL, &err), ZL_EINVAL);
	assert_string_equal(err.field, "q");
	f.q = "a b c d e f g h i";
	assert_int_equal(zl_store_enterprise_list(db, &f, NULL, NULL, NULL, &err), ZL_EINVAL);
	f.q = NULL;
	f.industry = "C36";
	assert_int_equal(zl_store_enterprise_list(db, &f, NULL, NULL, NULL, &err), ZL_EINVAL);
	assert_string_equal(err.field, "industry");
	f.industry = NULL;
	f.cert = "ISO 9001";
	assert_int_equal(zl_store_enterprise_list(db, &f, NULL, NULL, NULL, &err), ZL_EINVAL);
	assert_string_equal(err.field, "cert");
}

/* Page through with `limit` and check every row comes exactly once, in order. */
static void page_all(struct zl_db *db, const char *q, enum zl_ent_sort sort, int desc, int plan,
		     int64_t expect)
{
	struct zl_ent_filter f = {0};
	struct hits all, page;
	char after[24] = "";
	int64_t total = 0;
	size_t i, j, pages = 0;

	memset(&all, 0, sizeof(all));
	f.q = q;
	f.sort = sort;
	f.desc = desc;
	f.limit = 7;
	f.plan = plan;
	for (;;) {
		f.after = after;
		total = search(db, &f, &page);
		assert_int_equal(total, expect);
		for (i = 0; i < page.n; i++) {
			assert_true(all.n < N_MAX);
			memcpy(all.uscc[all.n], page.uscc[i], sizeof(page.uscc[i]));
			memcpy(all.key[all.n], page.key[i], sizeof(page.key[i]));
			all.n++;
		}
		assert_true(++pages < 20);
		if (page.n < 7)
			break;
		zl_strlcpy(after, page.uscc[page.n - 1], sizeof(after));
	}
	assert_int_equal((int64_t)all.n, expect);
	for (i = 0; i < all.n; i++)
		for (j = i + 1; j < all.n; j++)
			assert_string_not_equal(all.uscc[i], all.uscc[j]);
	/* Byte order holds for codes and dates on both backends; names follow the
	 * database collation on PostgreSQL. */
	if (sort == ZL_ENT_SORT_NAME && is_pg(db))
		return;
	for (i = 1; i < all.n; i++) {
		int c = strcmp(all.key[i - 1], all.key[i]);

		if (c == 0)
			c = strcmp(all.uscc[i - 1], all.uscc[i]);
		if (desc ? c <= 0 : c >= 0)
			fail_msg("out of order at %zu: %s/%s then %s/%s", i, all.key[i - 1],
				 all.uscc[i - 1], all.key[i], all.uscc[i]);
	}
}

static void test_paging(void **state)
{
	struct zl_db *db = *state;
	int s, desc, plan;

	for (s = ZL_ENT_SORT_USCC; s <= ZL_ENT_SORT_UPDATED; s++)
		for (desc = 0; desc <= 1; desc++) {
			page_all(db, NULL, (enum zl_ent_sort)s, desc, 0, N_ALL);
			for (plan = 0; plan <= 3; plan++)
				page_all(db, "有限", (enum zl_ent_sort)s, desc, plan, 45);
		}
}

struct buckets {
	char key[N_MAX][16];
	int64_t count[N_MAX];
	size_t n;
};

static int bucket(void *cls, const char *key, int64_t count)
{
	struct buckets *b = cls;

	assert_true(b->n < N_MAX);
	zl_strlcpy(b->key[b->n], key, sizeof(b->key[0]));
	b->count[b->n++] = count;
	return 0;
}

static int64_t bucket_of(const struct buckets *b, const char *key)
{
	size_t i;

	for (i = 0; i < b->n; i++)
		if (strcmp(b->key[i], key) == 0)
			return b->count[i];
	return -1;
}

static void test_count(void **state)
{
	struct zl_db *db = *state;
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_ent_filter f = {0};
	struct buckets b;
	int64_t total = 0;

	memset(&b, 0, sizeof(b));
	assert_int_equal(
		zl_store_enterprise_count(db, &f, ZL_ENT_COUNT_REGION, bucket, &b, &total, &err),
		ZL_OK);
	assert_int_equal(total, N_ALL);
	assert_int_equal(bucket_of(&b, ""), 1 + 4);
	assert_int_equal(bucket_of(&b, "410102"), 1);
	assert_int_equal(bucket_of(&b, "410300"), 1 + 8);
	assert_int_equal(bucket_of(&b, "410181"), 7);
	assert_int_equal(b.n, 10); /* "", 410100, 410102, 410181, 410200, 410300, 410311, 410500,
				      410700, 411000 */
	memset(&b, 0, sizeof(b));
	f.q = "有限";
	assert_int_equal(
		zl_store_enterprise_count(db, &f, ZL_ENT_COUNT_INDUSTRY, bucket, &b, &total, &err),
		ZL_OK);
	assert_int_equal(total, 45);
	assert_int_equal(bucket_of(&b, "33"), 20);
	assert_int_equal(bucket_of(&b, "34"), 20);
	assert_int_equal(bucket_of(&b, "36"), 2);
	assert_int_equal(bucket_of(&b, ""), -1);
	memset(&b, 0, sizeof(b));
	f.q = "宇通";
	assert_int_equal(
		zl_store_enterprise_count(db, &f, ZL_ENT_COUNT_STATUS, bucket, &b, &total, &err),
		ZL_OK);
	assert_int_equal(total, 3);
	assert_int_equal(b.n, 2);
	assert_string_equal(b.key[0], "cancelled");
	assert_int_equal(b.count[0], 1);
	assert_int_equal(bucket_of(&b, "operating"), 2);
	f.q = NULL;
	memset(&b, 0, sizeof(b));
	assert_int_equal(
		zl_store_enterprise_count(db, &f, ZL_ENT_COUNT_INDUSTRY, bucket, &b, &total, &err),
		ZL_OK);
	assert_int_equal(bucket_of(&b, ""), 1);
	assert_int_equal(total, N_ALL);
}

/* ---- the plans agree ------------------------------------------------------ */

static const char *const eq_q[] = {"有限", "宇通",   "机械有限", "郑州 有限", "鑫 有限",
				   "通客", "瑞祥机", "宇通客车", "无此企业"};

struct eq_filter {
	const char *region, *industry, *status, *cert;
};

static const struct eq_filter eq_f[] = {
	{NULL, NULL, NULL, NULL},      {"41", NULL, NULL, NULL},
	{NULL, "3411", NULL, NULL},    {"4101", NULL, "operating", NULL},
	{NULL, NULL, NULL, "iso9001"},
};

static void same_hits(const struct hits *a, const struct hits *b, const char *what)
{
	size_t i;

	if (a->n != b->n)
		fail_msg("%s: %zu rows, expected %zu", what, b->n, a->n);
	for (i = 0; i < a->n; i++)
		if (strcmp(a->uscc[i], b->uscc[i]) != 0)
			fail_msg("%s: row %zu is %s, expected %s", what, i, b->uscc[i], a->uscc[i]);
}

/* Page through with `limit` (total asked on the first page only). */
static void pages(struct zl_db *db, struct zl_ent_filter f, int limit, int64_t expect,
		  struct hits *all)
{
	struct zl_error err = ZL_ERROR_INIT;
	struct hits page;
	char after[24] = "";
	int64_t total = -1;
	size_t i, n = 0;

	memset(all, 0, sizeof(*all));
	f.limit = limit;
	for (;;) {
		f.after = after;
		memset(&page, 0, sizeof(page));
		page.sort = f.sort;
		if (zl_store_enterprise_list(db, &f, collect, &page, n == 0 ? &total : NULL,
					     &err) != ZL_OK)
			fail_msg("list failed: %s", err.message);
		if (n++ == 0)
			assert_int_equal(total, expect);
		for (i = 0; i < page.n; i++) {
			assert_true(all->n < N_MAX * 2);
			memcpy(all->uscc[all->n++], page.uscc[i], sizeof(page.uscc[i]));
		}
		assert_true(n <= N_ALL + 1);
		if (page.n < (size_t)limit)
			break;
		zl_strlcpy(after, page.uscc[page.n - 1], sizeof(after));
	}
}

/*
 * For every filter, sort and order: the whole list and its total under the
 * list plan are the reference; every other plan gives the same rows in the
 * same order, and paging by cursor under each plan gives every row exactly
 * once, in that order.
 */
static void test_plans_agree(void **state)
{
	struct zl_db *db = *state;
	struct zl_ent_filter f;
	struct hits ref, h;
	char what[160];
	size_t qi, fi;
	int64_t total;
	int s, desc, plan, checked = 0;

	for (qi = 0; qi < sizeof(eq_q) / sizeof(eq_q[0]); qi++)
		for (fi = 0; fi < sizeof(eq_f) / sizeof(eq_f[0]); fi++)
			for (s = ZL_ENT_SORT_USCC; s <= ZL_ENT_SORT_UPDATED; s++)
				for (desc = 0; desc <= 1; desc++) {
					memset(&f, 0, sizeof(f));
					f.q = eq_q[qi];
					f.region = eq_f[fi].region;
					f.industry = eq_f[fi].industry;
					f.status = eq_f[fi].status;
					f.cert = eq_f[fi].cert;
					f.sort = (enum zl_ent_sort)s;
					f.desc = desc;
					f.plan = 1;
					total = search(db, &f, &ref);
					assert_int_equal(total, (int64_t)ref.n);
					checked += ref.n > 0;
					for (plan = 0; plan <= 3; plan++) {
						snprintf(what, sizeof(what),
							 "q=%s filter %zu sort %d desc %d plan %d",
							 f.q, fi, s, desc, plan);
						f.plan = plan;
						assert_int_equal(search(db, &f, &h), total);
						same_hits(&ref, &h, what);
						pages(db, f, 5, total, &h);
						same_hits(&ref, &h, what);
					}
				}
	assert_true(checked > 150); /* the filters are not all empty */
	/* Paging one row at a time under the smallest walking batches. */
	memset(&f, 0, sizeof(f));
	f.q = "有限";
	f.sort = ZL_ENT_SORT_FOUNDED;
	f.plan = 1;
	total = search(db, &f, &ref);
	f.plan = 3;
	pages(db, f, 1, total, &h);
	same_hits(&ref, &h, "limit 1");
}

static void same_buckets(const struct buckets *a, const struct buckets *b, const char *what)
{
	size_t i;

	if (a->n != b->n)
		fail_msg("%s: %zu buckets, expected %zu", what, b->n, a->n);
	for (i = 0; i < a->n; i++)
		if (strcmp(a->key[i], b->key[i]) != 0 || a->count[i] != b->count[i])
			fail_msg("%s: bucket %zu is %s=%lld, expected %s=%lld", what, i, b->key[i],
				 (long long)b->count[i], a->key[i], (long long)a->count[i]);
}

/* Count buckets: every plan gives the same buckets, in the same order, as the list plan. */
static void test_plans_agree_count(void **state)
{
	struct zl_db *db = *state;
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_ent_filter f;
	struct buckets ref, b;
	struct hits h;
	char what[160];
	int64_t total, t2;
	size_t qi, fi;
	int field, plan;

	for (qi = 0; qi < sizeof(eq_q) / sizeof(eq_q[0]); qi++)
		for (fi = 0; fi < sizeof(eq_f) / sizeof(eq_f[0]); fi++)
			for (field = 0; field <= ZL_ENT_COUNT_STATUS; field++) {
				memset(&f, 0, sizeof(f));
				f.q = eq_q[qi];
				f.region = eq_f[fi].region;
				f.industry = eq_f[fi].industry;
				f.status = eq_f[fi].status;
				f.cert = eq_f[fi].cert;
				f.plan = 1;
				memset(&ref, 0, sizeof(ref));
				assert_int_equal(
					zl_store_enterprise_count(db, &f, (enum zl_ent_count)field,
								  bucket, &ref, &total, &err),
					ZL_OK);
				/* the buckets add up to the list's total */
				assert_int_equal(search(db, &f, &h), total);
				for (plan = 0; plan <= 3; plan++) {
					snprintf(what, sizeof(what),
						 "q=%s filter %zu field %d plan %d", f.q, fi, field,
						 plan);
					f.plan = plan;
					memset(&b, 0, sizeof(b));
					t2 = -1;
					assert_int_equal(zl_store_enterprise_count(
								 db, &f, (enum zl_ent_count)field,
								 bucket, &b, &t2, &err),
							 ZL_OK);
					assert_int_equal(t2, total);
					same_buckets(&ref, &b, what);
				}
			}
}

/* After a rebuild of the index (blobs only, no delta) the answers are the same. */
static void test_after_rebuild(void **state)
{
	struct zl_db *db = *state;
	struct zl_error err = ZL_ERROR_INIT;
	int64_t grams = -1, delta = -1;
	struct hits h;
	int plan;

	assert_int_equal(zl_store_index_stats(db, &grams, &delta, &err), ZL_OK);
	assert_true(delta > 0);
	assert_int_equal(zl_db_begin(db, &err), ZL_OK);
	/* The register holds an id of 2^40: the rebuild must not walk the gap. */
	if (zl_store_index_rebuild(db, &err) != ZL_OK)
		fail_msg("rebuild: %s", err.message);
	assert_int_equal(zl_db_commit(db, &err), ZL_OK);
	assert_int_equal(zl_store_index_stats(db, &grams, &delta, &err), ZL_OK);
	assert_int_equal(delta, 0);
	assert_true(grams > 0);
	for (plan = 0; plan <= 3; plan++) {
		assert_int_equal(q_count(db, "宇通", plan, &h), 3);
		assert_int_equal(q_count(db, "宇通重", plan, &h), 1);
		assert_int_equal(q_count(db, "有限", plan, &h), 45);
		assert_int_equal(q_count(db, "宇通客车", plan, &h), 1);
	}
}

static void test_parse(void **state)
{
	enum zl_ent_sort s;
	enum zl_ent_count c;

	(void)state;
	assert_int_equal(zl_ent_sort_parse("updated_at", &s), ZL_OK);
	assert_int_equal(s, ZL_ENT_SORT_UPDATED);
	assert_int_equal(zl_ent_sort_parse("Name", &s), ZL_EINVAL);
	assert_int_equal(zl_ent_count_parse("industry", &c), ZL_OK);
	assert_int_equal(c, ZL_ENT_COUNT_INDUSTRY);
	assert_int_equal(zl_ent_count_parse("name", &c), ZL_EINVAL);
}

/* Through the register's own upsert: a rename keeps the old name findable. */
static void test_upsert_rename(void **state)
{
	struct zl_db *db = *state;
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_enterprise e;
	struct hits h;

	memset(&e, 0, sizeof(e));
	zl_strlcpy(e.uscc, "91411728KF1ABFBX2G", sizeof(e.uscc));
	zl_strlcpy(e.org_code, "KF1ABFBX2", sizeof(e.org_code));
	zl_strlcpy(e.name, "遂平测试宇航农机有限公司", sizeof(e.name));
	zl_strlcpy(e.region, "411728", sizeof(e.region));
	zl_strlcpy(e.industry, "35", sizeof(e.industry));
	zl_strlcpy(e.status, "operating", sizeof(e.status));
	assert_int_equal(zl_db_begin(db, &err), ZL_OK);
	if (zl_store_enterprise_upsert(db, &e, "test", NULL, &err) != ZL_OK)
		fail_msg("upsert: %s", err.message);
	zl_strlcpy(e.name, "驻马店星辰重工有限公司", sizeof(e.name));
	if (zl_store_enterprise_upsert(db, &e, "test", NULL, &err) != ZL_OK)
		fail_msg("upsert: %s", err.message);
	assert_int_equal(zl_db_commit(db, &err), ZL_OK);
	assert_int_equal(q_count(db, "宇航", 0, &h), 1);
	assert_string_equal(h.uscc[0], "91411728KF1ABFBX2G");
	assert_int_equal(q_count(db, "测试宇航农机", 0, &h), 1);
	assert_int_equal(q_count(db, "星辰重", 0, &h), 1);
	assert_int_equal(q_count(db, "重工", 0, &h), 2);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup_db, teardown_db)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_bigram),	       T(test_filters),
		T(test_bad_filters),   T(test_paging),
		T(test_count),	       T(test_upsert_rename),
		T(test_plans_agree),   T(test_plans_agree_count),
		T(test_after_rebuild), T(test_after_analyze), cmocka_unit_test(test_parse),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
