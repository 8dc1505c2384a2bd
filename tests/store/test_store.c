/*
 * test_store.c - the store suite: the database driver and the store layer
 * against a real database.
 *
 * The database is chosen by the environment variable ZHILIANG_TEST_DB
 * (default "sqlite::memory:"), so this one binary runs against SQLite and
 * against PostgreSQL:
 *
 *   build/release/tests/store/test_store
 *   ZHILIANG_TEST_DB=sqlite:/tmp/zl-store.db build/release/tests/store/test_store
 *   ZHILIANG_TEST_DB=$(scripts/pg.sh start /tmp/zl-pg 55432) build/release/tests/store/test_store
 *
 * Every test starts from an empty database: a fresh connection to a new
 * in-memory database, a deleted SQLite file, or, on PostgreSQL, the schema
 * `public` dropped and re-created (so point it at a throwaway database).
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "codes/industry.h"
#include "codes/region.h"
#include "db/db.h"
#include "store/codes.h"
#include "store/health.h"
#include "store/meta.h"
#include "store/migrate.h"
#include "store/query.h"
#include "store/stats.h"

#include "harness.h"

/* Open a connection to an empty database (see the file comment). */
static int setup_db(void **state)
{
	struct zl_db *db = harness_open_empty(0);

	if (!db)
		return -1;
	*state = db;
	return 0;
}

static struct zl_stmt *prepare_ok(struct zl_db *db, const char *sql)
{
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_stmt *st = NULL;
	int rc = zl_db_prepare(db, sql, &st, &err);

	if (rc != ZL_OK)
		fail_msg("prepare failed (%d): %s\nSQL: %s", rc, err.message, sql);
	return st;
}

static int step(struct zl_stmt *st)
{
	struct zl_error err = ZL_ERROR_INIT;
	int rc = zl_stmt_step(st, &err);

	if (rc < 0)
		fail_msg("step failed (%d): %s", rc, err.message);
	return rc;
}

/* A one-integer query. */
static int64_t query_int(struct zl_db *db, const char *sql)
{
	struct zl_stmt *st = prepare_ok(db, sql);
	int64_t v;

	assert_int_equal(step(st), ZL_DB_ROW);
	v = zl_stmt_column_int64(st, 0);
	zl_stmt_reset(st);
	return v;
}

static void create_types_table(struct zl_db *db)
{
	/* BLOB is the one type spelled differently (docs/store.md). */
	exec_ok(db, is_pg(db) ? "CREATE TABLE t_types (id INTEGER PRIMARY KEY, i BIGINT,"
				" d DOUBLE PRECISION, t TEXT, b BYTEA)"
			      : "CREATE TABLE t_types (id INTEGER PRIMARY KEY, i BIGINT,"
				" d DOUBLE PRECISION, t TEXT, b BLOB)");
}

static void insert_types(struct zl_db *db, int id, int64_t i, double d, const char *t,
			 const void *b, size_t bn)
{
	struct zl_stmt *st = prepare_ok(db, "INSERT INTO t_types (id, i, d, t, b)"
					    " VALUES (?, ?, ?, ?, ?)");

	assert_int_equal(zl_stmt_bind_int64(st, 1, id), ZL_OK);
	assert_int_equal(zl_stmt_bind_int64(st, 2, i), ZL_OK);
	assert_int_equal(zl_stmt_bind_double(st, 3, d), ZL_OK);
	assert_int_equal(zl_stmt_bind_text(st, 4, t, -1), ZL_OK);
	if (b != NULL)
		assert_int_equal(zl_stmt_bind_blob(st, 5, b, bn), ZL_OK);
	else
		assert_int_equal(zl_stmt_bind_null(st, 5), ZL_OK);
	assert_int_equal(step(st), ZL_DB_DONE);
	assert_int_equal(zl_stmt_changes(st), 1);
	zl_stmt_reset(st);
}

/* ---- driver ---------------------------------------------------------- */

static void test_types_roundtrip(void **state)
{
	struct zl_db *db = *state;
	static const unsigned char blob[] = {0, 1, 0, 255, 'a', 0, 0x80};
	const char *uni = "质量 ✓ 𝄞 Zhìliàng";
	struct zl_stmt *st;
	const void *p;
	size_t n = 99;

	create_types_table(db);
	insert_types(db, 1, INT64_MAX, 0.1, uni, blob, sizeof(blob));
	insert_types(db, 2, INT64_MIN, -2.5e300, "", "", 0);
	insert_types(db, 3, 0, 3.141592653589793, NULL, NULL, 0);

	st = prepare_ok(db, "SELECT i, d, t, b, length(t) FROM t_types WHERE id = ?");
	zl_stmt_bind_int64(st, 1, 1);
	assert_int_equal(step(st), ZL_DB_ROW);
	assert_int_equal(zl_stmt_column_count(st), 5);
	assert_true(zl_stmt_column_int64(st, 0) == INT64_MAX);
	assert_true(zl_stmt_column_double(st, 1) == 0.1);
	assert_string_equal(zl_stmt_column_text(st, 2), uni);
	assert_false(zl_stmt_column_is_null(st, 2));
	p = zl_stmt_column_blob(st, 3, &n);
	assert_int_equal(n, sizeof(blob));
	assert_memory_equal(p, blob, sizeof(blob));
	/* Characters, not bytes: the database holds UTF-8 text. */
	assert_int_equal(zl_stmt_column_int64(st, 4), 15);
	assert_int_equal(step(st), ZL_DB_DONE);
	zl_stmt_reset(st);

	zl_stmt_bind_int64(st, 1, 2);
	assert_int_equal(step(st), ZL_DB_ROW);
	assert_true(zl_stmt_column_int64(st, 0) == INT64_MIN);
	assert_true(zl_stmt_column_double(st, 1) == -2.5e300);
	assert_string_equal(zl_stmt_column_text(st, 2), "");
	assert_false(zl_stmt_column_is_null(st, 2));
	/* An empty blob is not NULL. */
	p = zl_stmt_column_blob(st, 3, &n);
	assert_non_null(p);
	assert_int_equal(n, 0);
	assert_false(zl_stmt_column_is_null(st, 3));
	zl_stmt_reset(st);

	zl_stmt_bind_int64(st, 1, 3);
	assert_int_equal(step(st), ZL_DB_ROW);
	assert_true(zl_stmt_column_double(st, 1) == 3.141592653589793);
	assert_true(zl_stmt_column_is_null(st, 2));
	assert_string_equal(zl_stmt_column_text(st, 2), "");
	assert_true(zl_stmt_column_is_null(st, 3));
	p = zl_stmt_column_blob(st, 3, &n);
	assert_int_equal(n, 0);
	assert_true(zl_stmt_column_is_null(st, 4));
	assert_int_equal(zl_stmt_column_int64(st, 4), 0);
	zl_stmt_reset(st);

	/* No row at all. */
	zl_stmt_bind_int64(st, 1, 42);
	assert_int_equal(step(st), ZL_DB_DONE);
	zl_stmt_reset(st);

	/* Text bound without a copy: read as bound, a length cuts it, NULL is NULL. */
	{
		char word[32];

		snprintf(word, sizeof(word), "%s", "质量 ref");
		st = prepare_ok(db, "INSERT INTO t_types (id, t) VALUES (?, ?)");
		zl_stmt_bind_int64(st, 1, 4);
		assert_int_equal(zl_stmt_bind_text_ref(st, 2, word, -1), ZL_OK);
		assert_int_equal(step(st), ZL_DB_DONE);
		zl_stmt_reset(st);
		zl_stmt_bind_int64(st, 1, 5);
		assert_int_equal(zl_stmt_bind_text_ref(st, 2, word, 6), ZL_OK); /* 质量 */
		assert_int_equal(step(st), ZL_DB_DONE);
		zl_stmt_reset(st);
		zl_stmt_bind_int64(st, 1, 6);
		assert_int_equal(zl_stmt_bind_text_ref(st, 2, NULL, -1), ZL_OK);
		assert_int_equal(step(st), ZL_DB_DONE);
		zl_stmt_reset(st);
		memset(word, 'x', sizeof(word)); /* reused after the reset: the rows keep theirs */
		st = prepare_ok(db, "SELECT t FROM t_types WHERE id = ?");
		zl_stmt_bind_int64(st, 1, 4);
		assert_int_equal(step(st), ZL_DB_ROW);
		assert_string_equal(zl_stmt_column_text(st, 0), "质量 ref");
		zl_stmt_reset(st);
		zl_stmt_bind_int64(st, 1, 5);
		assert_int_equal(step(st), ZL_DB_ROW);
		assert_string_equal(zl_stmt_column_text(st, 0), "质量");
		zl_stmt_reset(st);
		zl_stmt_bind_int64(st, 1, 6);
		assert_int_equal(step(st), ZL_DB_ROW);
		assert_true(zl_stmt_column_is_null(st, 0));
		zl_stmt_reset(st);
	}
}

static void test_text_length_and_nul(void **state)
{
	struct zl_db *db = *state;
	struct zl_stmt *st;

	/* An explicit length binds a prefix; the source need not be terminated. */
	st = prepare_ok(db, "SELECT CAST(? AS TEXT)");
	assert_int_equal(zl_stmt_bind_text(st, 1, "质量监督", 6), ZL_OK);
	assert_int_equal(step(st), ZL_DB_ROW);
	assert_string_equal(zl_stmt_column_text(st, 0), "质量");
	zl_stmt_reset(st);
	/* Binding NULL text binds SQL NULL. */
	assert_int_equal(zl_stmt_bind_text(st, 1, NULL, -1), ZL_OK);
	assert_int_equal(step(st), ZL_DB_ROW);
	assert_true(zl_stmt_column_is_null(st, 0));
	zl_stmt_reset(st);
}

static void test_bind_index_range(void **state)
{
	struct zl_db *db = *state;
	struct zl_stmt *st = prepare_ok(db, "SELECT CAST(? AS BIGINT)");

	assert_int_equal(zl_stmt_bind_int64(st, 0, 1), ZL_EINVAL);
	assert_int_equal(zl_stmt_bind_int64(st, 2, 1), ZL_EINVAL);
	assert_int_equal(zl_stmt_bind_int64(st, 1, 7), ZL_OK);
	assert_int_equal(step(st), ZL_DB_ROW);
	assert_int_equal(zl_stmt_column_int64(st, 0), 7);
	zl_stmt_reset(st);
	/* Reset clears bindings: an unbound parameter is NULL. */
	assert_int_equal(step(st), ZL_DB_ROW);
	assert_true(zl_stmt_column_is_null(st, 0));
	zl_stmt_reset(st);
}

static void test_placeholder_in_literal(void **state)
{
	struct zl_db *db = *state;
	struct zl_stmt *st =
		prepare_ok(db, "SELECT '?', 'it''s ?' /* ? */, CAST(? AS TEXT) -- ?\n");

	assert_int_equal(zl_stmt_bind_text(st, 1, "x", -1), ZL_OK);
	assert_int_equal(step(st), ZL_DB_ROW);
	assert_string_equal(zl_stmt_column_text(st, 0), "?");
	assert_string_equal(zl_stmt_column_text(st, 1), "it's ?");
	assert_string_equal(zl_stmt_column_text(st, 2), "x");
	zl_stmt_reset(st);
}

static void test_many_rows_and_changes(void **state)
{
	struct zl_db *db = *state;
	struct zl_stmt *st;
	int64_t sum = 0;
	int rows = 0;

	exec_ok(db, "CREATE TABLE t_n (n INTEGER PRIMARY KEY, tag TEXT NOT NULL)");
	st = prepare_ok(db, "INSERT INTO t_n (n, tag) VALUES (?, ?)");
	for (int i = 1; i <= 50; i++) {
		zl_stmt_bind_int64(st, 1, i);
		zl_stmt_bind_text(st, 2, i % 2 ? "odd" : "even", -1);
		assert_int_equal(step(st), ZL_DB_DONE);
		zl_stmt_reset(st);
	}
	st = prepare_ok(db, "SELECT n FROM t_n WHERE tag = ? ORDER BY n");
	zl_stmt_bind_text(st, 1, "odd", -1);
	while (step(st) == ZL_DB_ROW) {
		sum += zl_stmt_column_int64(st, 0);
		rows++;
	}
	/* A read changes nothing, whatever the connection wrote before. */
	assert_int_equal(zl_stmt_changes(st), 0);
	zl_stmt_reset(st);
	assert_int_equal(rows, 25);
	assert_int_equal(sum, 625);

	st = prepare_ok(db, "UPDATE t_n SET tag = ? WHERE n > ?");
	zl_stmt_bind_text(st, 1, "big", -1);
	zl_stmt_bind_int64(st, 2, 40);
	assert_int_equal(step(st), ZL_DB_DONE);
	assert_int_equal(zl_stmt_changes(st), 10);
	zl_stmt_reset(st);
	st = prepare_ok(db, "DELETE FROM t_n WHERE tag = ?");
	zl_stmt_bind_text(st, 1, "nothing", -1);
	assert_int_equal(step(st), ZL_DB_DONE);
	assert_int_equal(zl_stmt_changes(st), 0);
	zl_stmt_reset(st);
}

static void test_unique_violation(void **state)
{
	struct zl_db *db = *state;
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_stmt *st;

	exec_ok(db, "CREATE TABLE t_u (k TEXT PRIMARY KEY, v INTEGER UNIQUE)");
	st = prepare_ok(db, "INSERT INTO t_u (k, v) VALUES (?, ?)");
	zl_stmt_bind_text(st, 1, "a", -1);
	zl_stmt_bind_int64(st, 2, 1);
	assert_int_equal(step(st), ZL_DB_DONE);
	zl_stmt_reset(st);
	/* Primary key. */
	zl_stmt_bind_text(st, 1, "a", -1);
	zl_stmt_bind_int64(st, 2, 2);
	assert_int_equal(zl_stmt_step(st, &err), ZL_ECONFLICT);
	assert_int_equal(err.code, ZL_ECONFLICT);
	assert_true(strlen(err.message) > 0);
	zl_stmt_reset(st);
	/* Unique column; the statement is reusable after the error. */
	zl_error_clear(&err);
	zl_stmt_bind_text(st, 1, "b", -1);
	zl_stmt_bind_int64(st, 2, 1);
	assert_int_equal(zl_stmt_step(st, &err), ZL_ECONFLICT);
	zl_stmt_reset(st);
	zl_stmt_bind_text(st, 1, "b", -1);
	zl_stmt_bind_int64(st, 2, 2);
	assert_int_equal(step(st), ZL_DB_DONE);
	zl_stmt_reset(st);
	assert_int_equal(query_int(db, "SELECT count(*) FROM t_u"), 2);
}

static void test_foreign_key_violation(void **state)
{
	struct zl_db *db = *state;
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_stmt *st;

	exec_ok(db, "CREATE TABLE t_parent (id INTEGER PRIMARY KEY);"
		    "CREATE TABLE t_child (id INTEGER PRIMARY KEY,"
		    " parent INTEGER NOT NULL REFERENCES t_parent (id))");
	st = prepare_ok(db, "INSERT INTO t_child (id, parent) VALUES (?, ?)");
	zl_stmt_bind_int64(st, 1, 1);
	zl_stmt_bind_int64(st, 2, 99);
	assert_int_equal(zl_stmt_step(st, &err), ZL_ECONFLICT);
	zl_stmt_reset(st);
	assert_int_equal(query_int(db, "SELECT count(*) FROM t_child"), 0);
}

static void test_transactions(void **state)
{
	struct zl_db *db = *state;
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_stmt *st;

	exec_ok(db, "CREATE TABLE t_tx (k TEXT PRIMARY KEY)");
	assert_false(zl_db_in_tx(db));
	assert_int_equal(zl_db_begin(db, &err), ZL_OK);
	assert_true(zl_db_in_tx(db));
	/* Nesting is a bug in the caller. */
	assert_int_equal(zl_db_begin(db, &err), ZL_EINTERNAL);
	assert_int_equal(err.code, ZL_EINTERNAL);
	assert_true(zl_db_in_tx(db));
	st = prepare_ok(db, "INSERT INTO t_tx (k) VALUES (?)");
	zl_stmt_bind_text(st, 1, "gone", -1);
	assert_int_equal(step(st), ZL_DB_DONE);
	zl_stmt_reset(st);
	assert_int_equal(query_int(db, "SELECT count(*) FROM t_tx"), 1);
	assert_int_equal(zl_db_rollback(db), ZL_OK);
	assert_false(zl_db_in_tx(db));
	assert_int_equal(query_int(db, "SELECT count(*) FROM t_tx"), 0);

	assert_int_equal(zl_db_begin(db, &err), ZL_OK);
	zl_stmt_bind_text(st, 1, "kept", -1);
	assert_int_equal(step(st), ZL_DB_DONE);
	zl_stmt_reset(st);
	assert_int_equal(zl_db_commit(db, &err), ZL_OK);
	assert_int_equal(query_int(db, "SELECT count(*) FROM t_tx"), 1);

	/* Commit or rollback without a transaction. */
	zl_error_clear(&err);
	assert_int_equal(zl_db_commit(db, &err), ZL_EINTERNAL);
	assert_int_equal(zl_db_rollback(db), ZL_OK);
}

static void test_failed_tx_commit(void **state)
{
	struct zl_db *db = *state;
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_stmt *st;

	/* A statement fails inside a transaction and the caller commits
	 * anyway: the earlier insert must survive on neither backend...
	 * except that SQLite keeps the transaction open after a constraint
	 * error, so there the commit succeeds with the first row.  What
	 * both promise: the commit result tells the truth about the row. */
	exec_ok(db, "CREATE TABLE t_f (k TEXT PRIMARY KEY)");
	assert_int_equal(zl_db_begin(db, &err), ZL_OK);
	st = prepare_ok(db, "INSERT INTO t_f (k) VALUES (?)");
	zl_stmt_bind_text(st, 1, "a", -1);
	assert_int_equal(step(st), ZL_DB_DONE);
	zl_stmt_reset(st);
	zl_stmt_bind_text(st, 1, "a", -1);
	assert_int_equal(zl_stmt_step(st, &err), ZL_ECONFLICT);
	zl_stmt_reset(st);
	zl_error_clear(&err);
	int rc = zl_db_commit(db, &err);
	assert_false(zl_db_in_tx(db));
	assert_int_equal(query_int(db, "SELECT count(*) FROM t_f"), rc == ZL_OK ? 1 : 0);
	if (is_pg(db))
		assert_int_equal(rc, ZL_EDB);
}

static void test_read_transaction(void **state)
{
	struct zl_db *db = *state;
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_db *other = NULL;
	struct zl_stmt *st;

	exec_ok(db, "CREATE TABLE t_rd (k TEXT PRIMARY KEY)");
	exec_ok(db, "INSERT INTO t_rd (k) VALUES ('a')");
	/* Many in a row: the transaction statements are reused, not re-made. */
	for (int i = 0; i < 50; i++) {
		assert_int_equal(zl_db_begin_read(db, &err), ZL_OK);
		assert_true(zl_db_in_tx(db));
		assert_int_equal(query_int(db, "SELECT count(*) FROM t_rd"), 1);
		if (i % 2)
			assert_int_equal(zl_db_commit(db, &err), ZL_OK);
		else
			assert_int_equal(zl_db_rollback(db), ZL_OK);
		assert_false(zl_db_in_tx(db));
	}
	/* No nesting, either way round. */
	assert_int_equal(zl_db_begin_read(db, &err), ZL_OK);
	assert_int_equal(zl_db_begin_read(db, &err), ZL_EINTERNAL);
	assert_int_equal(zl_db_begin(db, &err), ZL_EINTERNAL);
	assert_int_equal(zl_db_commit(db, &err), ZL_OK);
	assert_int_equal(zl_db_begin(db, &err), ZL_OK);
	assert_int_equal(zl_db_begin_read(db, &err), ZL_EINTERNAL);
	assert_int_equal(zl_db_rollback(db), ZL_OK);

	/* One snapshot: a row another connection commits meanwhile shows only
	 * after the read transaction (a file or a server: two connections). */
	if (strcmp(test_url(), "sqlite::memory:") == 0)
		return;
	assert_int_equal(zl_db_open(test_url(), NULL, &other, &err), ZL_OK);
	assert_int_equal(zl_db_begin_read(db, &err), ZL_OK);
	assert_int_equal(query_int(db, "SELECT count(*) FROM t_rd"), 1);
	st = prepare_ok(other, "INSERT INTO t_rd (k) VALUES (?)");
	zl_stmt_bind_text(st, 1, "b", -1);
	assert_int_equal(step(st), ZL_DB_DONE);
	zl_stmt_reset(st);
	assert_int_equal(query_int(db, "SELECT count(*) FROM t_rd"), 1);
	assert_int_equal(zl_db_commit(db, &err), ZL_OK);
	assert_int_equal(query_int(db, "SELECT count(*) FROM t_rd"), 2);
	zl_db_close(other);
}

/* SQLite: the mmap_mb and cache_mb options become the connection's pragmas. */
static void test_sqlite_sizes(void **state)
{
	struct zl_db *db = *state;
	struct zl_error err = ZL_ERROR_INIT;
	char path[] = "/tmp/zl-store-sizes-XXXXXX";
	char url[64];
	struct zl_db_options opt;
	struct zl_db *c = NULL;
	int fd;

	if (is_pg(db))
		skip();
	/* mmap_size is meaningless for :memory:: always a file. */
	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	snprintf(url, sizeof(url), "sqlite:%s", path);

	assert_int_equal(zl_db_open(url, NULL, &c, &err), ZL_OK);
	/* The default, or the build's cap (Debian: 0x7fff0000) if lower. */
	int64_t def = query_int(c, "PRAGMA mmap_size");
	assert_true(def > 0);
	assert_true(def <= (int64_t)ZL_DB_MMAP_MB_DEFAULT << 20);
	assert_int_equal(query_int(c, "PRAGMA cache_size"), -2000); /* SQLite's */
	zl_db_close(c);

	memset(&opt, 0, sizeof(opt));
	opt.mmap_mb = 3;
	opt.cache_mb = 5;
	assert_int_equal(zl_db_open(url, &opt, &c, &err), ZL_OK);
	assert_int_equal(query_int(c, "PRAGMA mmap_size"), 3 << 20);
	assert_int_equal(query_int(c, "PRAGMA cache_size"), -5 * 1024);
	zl_db_close(c);

	opt.mmap_mb = ZL_DB_MMAP_OFF;
	assert_int_equal(zl_db_open(url, &opt, &c, &err), ZL_OK);
	assert_int_equal(query_int(c, "PRAGMA mmap_size"), 0);
	zl_db_close(c);
	unlink_sqlite(url);
}

/* Step `st` (one integer row), check the value, reset. */
static void st_check(struct zl_stmt *st, int64_t want)
{
	assert_int_equal(step(st), ZL_DB_ROW);
	assert_int_equal(zl_stmt_column_int64(st, 0), want);
	zl_stmt_reset(st);
}

static void test_statement_cache(void **state)
{
	struct zl_db *db = *state;
	char sql[64];
	struct zl_stmt *a = prepare_ok(db, "SELECT 1");
	struct zl_stmt *b, *c;

	/* Same text from a different buffer: the same cached statement. */
	snprintf(sql, sizeof(sql), "SELECT %d", 1);
	b = prepare_ok(db, sql);
	assert_ptr_equal(a, b);
	c = prepare_ok(db, "SELECT 2");
	assert_ptr_not_equal(a, c);
	/* Many distinct statements (forces the cache to grow), then the old ones again. */
	for (int i = 0; i < 100; i++) {
		struct zl_stmt *st;
		snprintf(sql, sizeof(sql), "SELECT %d + 1000", i);
		st = prepare_ok(db, sql);
		assert_int_equal(step(st), ZL_DB_ROW);
		assert_int_equal(zl_stmt_column_int64(st, 0), i + 1000);
		zl_stmt_done(st);
	}
	assert_ptr_equal(prepare_ok(db, "SELECT 1"), a);
	assert_ptr_equal(prepare_ok(db, "SELECT 2"), c);
	/* A statement left mid-result is handed out reset. */
	assert_int_equal(step(a), ZL_DB_ROW);
	b = prepare_ok(db, "SELECT 1");
	assert_int_equal(step(b), ZL_DB_ROW);
	assert_int_equal(zl_stmt_column_int64(b, 0), 1);
	assert_int_equal(step(b), ZL_DB_DONE);
	zl_stmt_reset(b);
	/* So is one left bound: its old value does not leak into the next use. */
	a = prepare_ok(db, "SELECT CAST(? AS BIGINT)");
	assert_int_equal(zl_stmt_bind_int64(a, 1, 7), ZL_OK);
	b = prepare_ok(db, "SELECT CAST(? AS BIGINT)");
	assert_ptr_equal(a, b);
	assert_int_equal(step(b), ZL_DB_ROW);
	assert_true(zl_stmt_column_is_null(b, 0));
	zl_stmt_reset(b);
	/* Texts at many addresses, some in slots of the same address hash,
	 * each with its own statement. */
	{
		char bufs[200][24];

		for (int i = 0; i < 200; i++) {
			snprintf(bufs[i], sizeof(bufs[i]), "SELECT %d", 5000 + i % 50);
			st_check(prepare_ok(db, bufs[i]), 5000 + i % 50);
		}
		for (int i = 199; i >= 0; i--)
			st_check(prepare_ok(db, bufs[i]), 5000 + i % 50);
	}
}

static void test_errors(void **state)
{
	struct zl_db *db = *state;
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_stmt *st = NULL;
	struct zl_db *other = NULL;

	assert_int_equal(zl_db_prepare(db, "SELEC nonsense", &st, &err), ZL_EDB);
	assert_null(st);
	assert_int_equal(err.code, ZL_EDB);
	assert_true(strlen(err.message) > 0);
	/* A failed prepare is not cached: it fails again. */
	assert_int_equal(zl_db_prepare(db, "SELEC nonsense", &st, &err), ZL_EDB);
	assert_int_equal(zl_db_prepare(db, "SELECT * FROM no_such_table", &st, &err), ZL_EDB);
	assert_int_equal(zl_db_exec(db, "CREATE TABLE t_e (a INTEGER); BOGUS", &err), ZL_EDB);
	/* The connection is still usable. */
	assert_int_equal(query_int(db, "SELECT 40 + 2"), 42);

	zl_error_clear(&err);
	assert_int_equal(zl_db_open("sqlite:/nonexistent-dir/zl/x.db", NULL, &other, &err),
			 ZL_EUNAVAIL);
	assert_null(other);
	assert_non_null(strstr(err.message, "/nonexistent-dir/zl/x.db"));
	zl_error_clear(&err);
	assert_int_equal(zl_db_open("postgres://nobody@127.0.0.1:1/none?connect_timeout=2", NULL,
				    &other, &err),
			 ZL_EUNAVAIL);
	assert_null(other);
	assert_non_null(strstr(err.message, "PostgreSQL"));
	zl_error_clear(&err);
	assert_int_equal(zl_db_open("oracle://x", NULL, &other, &err), ZL_EINVAL);
	zl_db_close(NULL);
}

static void test_backend_name(void **state)
{
	struct zl_db *db = *state;

	assert_string_equal(zl_db_backend(db), zl_db_url_backend(test_url()));
}

/* ---- pool ------------------------------------------------------------ */

struct pool_arg {
	struct zl_db_pool *pool;
	struct zl_db *got, *again;
	int64_t answer;
};

static void *pool_thread(void *p)
{
	struct pool_arg *a = p;
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_stmt *st;

	a->got = zl_db_pool_get(a->pool, &err);
	a->again = zl_db_pool_get(a->pool, &err);
	if (a->got != NULL && zl_db_prepare(a->got, "SELECT 6 * 7", &st, &err) == ZL_OK) {
		if (zl_stmt_step(st, &err) == ZL_DB_ROW)
			a->answer = zl_stmt_column_int64(st, 0);
		zl_stmt_reset(st);
	}
	return NULL;
}

static void test_pool(void **state)
{
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_db_pool *pool = NULL;
	struct pool_arg a[2];
	pthread_t t[2];

	(void)state;
	assert_int_equal(zl_db_pool_new(test_url(), NULL, &pool, &err), ZL_OK);
	assert_int_equal(zl_db_pool_open_count(pool), 0);
	for (int i = 0; i < 2; i++) {
		memset(&a[i], 0, sizeof(a[i]));
		a[i].pool = pool;
		assert_int_equal(pthread_create(&t[i], NULL, pool_thread, &a[i]), 0);
	}
	for (int i = 0; i < 2; i++) {
		pthread_join(t[i], NULL);
		assert_non_null(a[i].got);
		assert_ptr_equal(a[i].got, a[i].again);
		assert_int_equal(a[i].answer, 42);
	}
	assert_ptr_not_equal(a[0].got, a[1].got);
	assert_int_equal(zl_db_pool_open_count(pool), 2);
	/* This thread gets a third connection. */
	struct zl_db *mine = zl_db_pool_get(pool, &err);
	assert_non_null(mine);
	assert_ptr_not_equal(mine, a[0].got);
	assert_ptr_not_equal(mine, a[1].got);
	assert_ptr_equal(zl_db_pool_get(pool, &err), mine);
	assert_int_equal(zl_db_pool_open_count(pool), 3);
	assert_string_equal(zl_db_pool_url(pool), test_url());
	zl_db_pool_free(pool);
	zl_db_pool_free(NULL);
}

static void test_pool_url_redacted(void **state)
{
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_db_pool *pool = NULL;

	(void)state;
	/* Creating a pool connects to nothing. */
	assert_int_equal(
		zl_db_pool_new("postgres://zl:s3cret@db.example:5432/zl", NULL, &pool, &err),
		ZL_OK);
	assert_string_equal(zl_db_pool_url(pool), "postgres://zl:***@db.example:5432/zl");
	zl_db_pool_free(pool);
	assert_int_equal(zl_db_pool_new("nope:x", NULL, &pool, &err), ZL_EINVAL);
	assert_null(pool);
}

/* ---- migrations, health, meta, counts -------------------------------- */

static void migrate_ok(struct zl_db *db, int *applied)
{
	struct zl_error err = ZL_ERROR_INIT;
	int rc = zl_store_migrate(db, applied, &err);

	if (rc != ZL_OK)
		fail_msg("migrate failed (%d): %s", rc, err.message);
}

static void test_migrate(void **state)
{
	struct zl_db *db = *state;
	struct zl_error err = ZL_ERROR_INIT;
	int version = -1, pending = -1, applied = -1;
	int latest = zl_store_schema_latest(), count = zl_store_migrations_count();

	assert_true(latest >= 1);
	assert_true(count >= 1 && count <= latest);
	assert_int_equal(zl_store_schema_version(db, &version, &err), ZL_OK);
	assert_int_equal(version, 0);
	assert_int_equal(zl_store_migrations_pending(db, &pending, &err), ZL_OK);
	assert_int_equal(pending, count);

	migrate_ok(db, &applied);
	assert_int_equal(applied, count);
	assert_int_equal(zl_store_schema_version(db, &version, &err), ZL_OK);
	assert_int_equal(version, latest);
	assert_int_equal(zl_store_migrations_pending(db, &pending, &err), ZL_OK);
	assert_int_equal(pending, 0);
	assert_int_equal(query_int(db, "SELECT count(*) FROM schema_migrations"), count);
	assert_int_equal(query_int(db, "SELECT count(*) FROM schema_migrations"
				       " WHERE version = 1 AND name = 'foundation'"
				       " AND applied_at LIKE '20__-__-__T__:__:__Z'"),
			 1);
	/* The tables of migration 1 exist and are empty. */
	assert_int_equal(query_int(db, "SELECT count(*) FROM meta"), 0);
	assert_int_equal(query_int(db, "SELECT count(*) FROM regions"), 0);
	assert_int_equal(query_int(db, "SELECT count(*) FROM region_direct_admin"), 0);
	assert_int_equal(query_int(db, "SELECT count(*) FROM industries"), 0);

	/* Idempotent. */
	migrate_ok(db, &applied);
	assert_int_equal(applied, 0);
	assert_int_equal(query_int(db, "SELECT count(*) FROM schema_migrations"), count);
	migrate_ok(db, NULL);

	/* Not inside a transaction. */
	assert_int_equal(zl_db_begin(db, &err), ZL_OK);
	assert_int_equal(zl_store_migrate(db, &applied, &err), ZL_EINTERNAL);
	zl_db_rollback(db);
}

static void test_migrate_second_connection(void **state)
{
	struct zl_db *db = *state;
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_db *other = NULL;
	int applied = -1;

	/* An in-memory SQLite database is private to its connection. */
	if (strcmp(test_url(), "sqlite::memory:") == 0)
		skip();
	migrate_ok(db, &applied);
	assert_int_equal(zl_db_open(test_url(), NULL, &other, &err), ZL_OK);
	assert_int_equal(zl_store_migrate(other, &applied, &err), ZL_OK);
	assert_int_equal(applied, 0);
	assert_int_equal(zl_store_health(other, &err), ZL_OK);
	zl_db_close(other);
}

struct migrate_arg {
	int rc, applied;
};

static void *migrate_thread(void *p)
{
	struct migrate_arg *a = p;
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_db *db = NULL;

	a->rc = zl_db_open(test_url(), NULL, &db, &err);
	if (a->rc == ZL_OK)
		a->rc = zl_store_migrate(db, &a->applied, &err);
	if (a->rc != ZL_OK)
		fprintf(stderr, "concurrent migrate: %s\n", err.message);
	zl_db_close(db);
	return NULL;
}

static void test_migrate_concurrent(void **state)
{
	struct zl_db *db = *state;
	struct zl_error err = ZL_ERROR_INIT;
	struct migrate_arg a[3];
	pthread_t t[3];
	int total = 0, version = -1;

	if (strcmp(test_url(), "sqlite::memory:") == 0)
		skip();
	/* Three migrators at once: each migration is applied exactly once. */
	for (int i = 0; i < 3; i++) {
		memset(&a[i], 0, sizeof(a[i]));
		assert_int_equal(pthread_create(&t[i], NULL, migrate_thread, &a[i]), 0);
	}
	for (int i = 0; i < 3; i++) {
		pthread_join(t[i], NULL);
		assert_int_equal(a[i].rc, ZL_OK);
		total += a[i].applied;
	}
	assert_int_equal(total, zl_store_migrations_count());
	assert_int_equal(zl_store_schema_version(db, &version, &err), ZL_OK);
	assert_int_equal(version, zl_store_schema_latest());
	assert_int_equal(query_int(db, "SELECT count(*) FROM schema_migrations"),
			 zl_store_migrations_count());
}

static void test_readonly(void **state)
{
	struct zl_db *db = *state;
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_db_options ro = {.readonly = 1};
	struct zl_db *reader = NULL;
	char out[16];

	if (strcmp(test_url(), "sqlite::memory:") == 0)
		skip();
	migrate_ok(db, NULL);
	assert_int_equal(zl_store_meta_set(db, "demo", "1", &err), ZL_OK);
	assert_int_equal(zl_db_open(test_url(), &ro, &reader, &err), ZL_OK);
	assert_int_equal(zl_store_meta_get(reader, "demo", out, sizeof(out), &err), ZL_OK);
	assert_string_equal(out, "1");
	assert_int_equal(zl_store_health(reader, &err), ZL_OK);
	zl_error_clear(&err);
	assert_int_equal(zl_store_meta_set(reader, "demo", "0", &err), ZL_EDB);
	assert_int_equal(err.code, ZL_EDB);
	zl_db_close(reader);
	assert_int_equal(zl_store_meta_get(db, "demo", out, sizeof(out), &err), ZL_OK);
	assert_string_equal(out, "1");
}

/* The text of PRAGMA journal_mode on a connection. */
static void journal_mode(struct zl_db *db, char *out, size_t n)
{
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_stmt *st;

	assert_int_equal(zl_db_prepare(db, "PRAGMA journal_mode", &st, &err), ZL_OK);
	assert_int_equal(zl_stmt_step(st, &err), ZL_DB_ROW);
	snprintf(out, n, "%s", zl_stmt_column_text(st, 0));
	zl_stmt_reset(st);
}

/*
 * Bulk mode: on a SQLite file alone, a rollback journal until the end (a
 * transaction in it writes and commits), then the WAL again; not while
 * another connection has the file open (and without waiting for it); not
 * inside a transaction; nothing to do in memory and on PostgreSQL.
 */
static void test_bulk_mode(void **state)
{
	struct zl_db *db = *state, *a = NULL, *b = NULL;
	struct zl_error err = ZL_ERROR_INIT;
	char path[64], url[80], mode[16];
	int on = -1, fd;

	assert_int_equal(zl_db_bulk_begin(db, &on, &err), ZL_OK);
	if (is_pg(db) || strcmp(test_url(), "sqlite::memory:") == 0) {
		assert_int_equal(on, 0);
		return;
	}
	zl_db_bulk_end(db);
	snprintf(path, sizeof(path), "/tmp/zl_bulk_XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	snprintf(url, sizeof(url), "sqlite:%s", path);
	unlink_sqlite(url);
	assert_int_equal(zl_db_open(url, NULL, &a, &err), ZL_OK);
	assert_int_equal(zl_db_open(url, NULL, &b, &err), ZL_OK);
	exec_ok(a, "CREATE TABLE t (x INTEGER)");
	exec_ok(b, "INSERT INTO t VALUES (1)");
	/* b is open: the WAL stays. */
	assert_int_equal(zl_db_bulk_begin(a, &on, &err), ZL_OK);
	assert_int_equal(on, 0);
	journal_mode(a, mode, sizeof(mode));
	assert_string_equal(mode, "wal");
	zl_db_close(b);
	assert_int_equal(zl_db_begin(a, &err), ZL_OK);
	assert_int_equal(zl_db_bulk_begin(a, &on, &err), ZL_EINTERNAL);
	zl_db_rollback(a);
	/* Alone: a rollback journal, in which a transaction commits. */
	assert_int_equal(zl_db_bulk_begin(a, &on, &err), ZL_OK);
	assert_int_equal(on, 1);
	journal_mode(a, mode, sizeof(mode));
	assert_string_equal(mode, "delete");
	assert_int_equal(zl_db_begin(a, &err), ZL_OK);
	exec_ok(a, "INSERT INTO t VALUES (2)");
	assert_int_equal(zl_db_commit(a, &err), ZL_OK);
	zl_db_bulk_end(a);
	journal_mode(a, mode, sizeof(mode));
	assert_string_equal(mode, "wal");
	zl_db_close(a);
	/* Another connection sees both rows, in WAL mode. */
	assert_int_equal(zl_db_open(url, NULL, &b, &err), ZL_OK);
	journal_mode(b, mode, sizeof(mode));
	assert_string_equal(mode, "wal");
	assert_int_equal(query_int(b, "SELECT count(*) FROM t"), 2);
	zl_db_close(b);
	unlink_sqlite(url);
}

static void test_health(void **state)
{
	struct zl_db *db = *state;
	struct zl_error err = ZL_ERROR_INIT;
	char want[128];

	assert_int_equal(zl_store_health(db, &err), ZL_EUNAVAIL);
	assert_int_equal(err.code, ZL_EUNAVAIL);
	snprintf(want, sizeof(want), "schema at version 0, program needs %d; run zhiliang migrate",
		 zl_store_schema_latest());
	assert_string_equal(err.message, want);
	migrate_ok(db, NULL);
	zl_error_clear(&err);
	assert_int_equal(zl_store_health(db, &err), ZL_OK);
	assert_int_equal(err.code, ZL_OK);
}

static void test_text_by_key(void **state)
{
	struct zl_db *db = *state;
	struct zl_error err = ZL_ERROR_INIT;
	char small[8], big[64];

	migrate_ok(db, NULL);
	assert_int_equal(zl_store_meta_set(db, "k", "/410000/410100/", &err), ZL_OK);
	assert_int_equal(zl_store_text_by_key(db, "SELECT value FROM meta WHERE key = ?", "k", big,
					      sizeof(big), &err),
			 ZL_OK);
	assert_string_equal(big, "/410000/410100/");
	/* Never cut short: "/410000" would be the province's subtree. */
	assert_int_equal(zl_store_text_by_key(db, "SELECT value FROM meta WHERE key = ?", "k",
					      small, sizeof(small), &err),
			 ZL_ETOOBIG);
	assert_string_equal(small, "");
	/* No row: ZL_ENOTFOUND and the caller's error left alone. */
	zl_error_clear(&err);
	assert_int_equal(zl_store_text_by_key(db, "SELECT value FROM meta WHERE key = ?", "nope",
					      big, sizeof(big), &err),
			 ZL_ENOTFOUND);
	assert_int_equal(err.code, ZL_OK);
}

static void test_meta(void **state)
{
	struct zl_db *db = *state;
	struct zl_error err = ZL_ERROR_INIT;
	char out[16];

	migrate_ok(db, NULL);
	assert_int_equal(zl_store_meta_get(db, "instance_id", out, sizeof(out), &err),
			 ZL_ENOTFOUND);
	assert_int_equal(err.code, ZL_ENOTFOUND);
	assert_string_equal(err.field, "instance_id");
	assert_string_equal(out, "");
	assert_int_equal(zl_store_meta_set(db, "instance_id", "abc", &err), ZL_OK);
	assert_int_equal(zl_store_meta_get(db, "instance_id", out, sizeof(out), &err), ZL_OK);
	assert_string_equal(out, "abc");
	/* Replace, with UTF-8. */
	assert_int_equal(zl_store_meta_set(db, "instance_id", "河南质监", &err), ZL_OK);
	assert_int_equal(zl_store_meta_get(db, "instance_id", out, sizeof(out), &err), ZL_OK);
	assert_string_equal(out, "河南质监");
	assert_int_equal(query_int(db, "SELECT count(*) FROM meta"), 1);
	/* Exactly 15 bytes fit in 16; 16 do not. */
	assert_int_equal(zl_store_meta_set(db, "demo", "123456789012345", &err), ZL_OK);
	assert_int_equal(zl_store_meta_get(db, "demo", out, sizeof(out), &err), ZL_OK);
	assert_int_equal(zl_store_meta_set(db, "demo", "1234567890123456", &err), ZL_OK);
	zl_error_clear(&err);
	assert_int_equal(zl_store_meta_get(db, "demo", out, sizeof(out), &err), ZL_ETOOBIG);
	assert_int_equal(err.code, ZL_ETOOBIG);
	assert_string_equal(out, "123456789012345");
}

static void counts_of(struct zl_db *db, int64_t *regions, int64_t *industries)
{
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_store_count c[16];
	size_t n = 99;

	assert_true(zl_store_count_kinds() <= 16);
	assert_int_equal(zl_store_counts(db, c, 16, &n, &err), ZL_OK);
	assert_int_equal(n, zl_store_count_kinds());
	*regions = *industries = -1;
	for (size_t i = 0; i < n; i++) {
		if (strcmp(c[i].name, "regions") == 0)
			*regions = c[i].count;
		else if (strcmp(c[i].name, "industries") == 0)
			*industries = c[i].count;
	}
}

static void test_counts_empty(void **state)
{
	struct zl_db *db = *state;
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_store_count c[1];
	int64_t r, i;
	size_t n;

	migrate_ok(db, NULL);
	counts_of(db, &r, &i);
	assert_int_equal(r, 0);
	assert_int_equal(i, 0);
	assert_int_equal(zl_store_counts(db, c, 1, &n, &err), ZL_ETOOBIG);
	assert_int_equal(n, 1);
}

static void test_load_codes(void **state)
{
	struct zl_db *db = *state;
	struct zl_error err = ZL_ERROR_INIT;
	size_t want_regions = 0, want_industries = 0;
	int64_t r, i;

	for (size_t k = 0; k < zl_region_count(); k++)
		if (zl_region_at(k)->valid_to == 0)
			want_regions++;
	want_industries = zl_industry_section_count() + zl_industry_division_count();
	assert_true(want_regions > 150); /* Henan: 1 + 18 + ~160 in force */
	assert_true(want_industries >= 20 + 97);

	migrate_ok(db, NULL);
	for (int round = 0; round < 2; round++) {
		assert_int_equal(zl_store_load_codes(db, &err), ZL_OK);
		counts_of(db, &r, &i);
		assert_int_equal(r, (int64_t)want_regions);
		assert_int_equal(i, (int64_t)want_industries);
		assert_int_equal(query_int(db, "SELECT count(*) FROM regions"),
				 (int64_t)zl_region_count());
		assert_int_equal(query_int(db, "SELECT count(*) FROM region_direct_admin"),
				 (int64_t)zl_region_direct_count());
	}
	/* Spot checks against the codes layer (DOMAIN.md): Zhengzhou under Henan,
	 * Lankao under Kaifeng, directly administered from 2014. */
	assert_int_equal(query_int(db, "SELECT count(*) FROM regions WHERE code = '410100'"
				       " AND name = '郑州市' AND level = 2 AND parent = '410000'"
				       " AND valid_to IS NULL"),
			 1);
	assert_int_equal(query_int(db, "SELECT count(*) FROM regions WHERE code = '410000'"
				       " AND parent IS NULL AND level = 1"),
			 1);
	assert_int_equal(query_int(db, "SELECT count(*) FROM regions WHERE code = '410225'"
				       " AND parent = '410200' AND valid_to IS NULL"),
			 1);
	assert_int_equal(query_int(db, "SELECT count(*) FROM region_direct_admin"
				       " WHERE code = '410225' AND valid_from = '2014-01-01'"),
			 1);
	assert_int_equal(query_int(db, "SELECT count(*) FROM industries WHERE code = 'C'"
				       " AND level = 1 AND section = 'C' AND name = '制造业'"
				       " AND edition = 'GB/T 4754-2017'"),
			 1);
	assert_int_equal(query_int(db, "SELECT count(*) FROM industries WHERE code = '13'"
				       " AND level = 2 AND section = 'C'"),
			 1);
	assert_false(zl_db_in_tx(db));
}

static void test_load_codes_needs_schema(void **state)
{
	struct zl_db *db = *state;
	struct zl_error err = ZL_ERROR_INIT;

	/* No tables: fails cleanly, no transaction left open. */
	assert_true(zl_store_load_codes(db, &err) < 0);
	assert_false(zl_db_in_tx(db));
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup_db, teardown_db)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_backend_name),
		T(test_types_roundtrip),
		T(test_text_length_and_nul),
		T(test_bind_index_range),
		T(test_placeholder_in_literal),
		T(test_many_rows_and_changes),
		T(test_unique_violation),
		T(test_foreign_key_violation),
		T(test_transactions),
		T(test_failed_tx_commit),
		T(test_read_transaction),
		T(test_sqlite_sizes),
		T(test_statement_cache),
		T(test_errors),
		T(test_pool),
		T(test_pool_url_redacted),
		T(test_migrate),
		T(test_migrate_second_connection),
		T(test_migrate_concurrent),
		T(test_readonly),
		T(test_bulk_mode),
		T(test_health),
		T(test_text_by_key),
		T(test_meta),
		T(test_counts_empty),
		T(test_load_codes),
		T(test_load_codes_needs_schema),
	};

	/* The backend only: a URL may carry a password. */
	fprintf(stderr, "store suite against %s\n",
		zl_db_url_backend(test_url()) != NULL ? zl_db_url_backend(test_url())
						      : "(bad ZHILIANG_TEST_DB)");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
