/*
 * test_db_copy.c - the bulk copy of the driver (zl_db_copy_begin/_row/_end,
 * db/db.h) against the database of $ZHILIANG_TEST_DB: ugly values (tabs,
 * newlines, carriage returns, backslashes, "\N" and "\." as text, Chinese
 * text, empty strings, NULL, a value bigger than the 256 KiB send block)
 * read back byte for byte; many rows across several blocks; misuse (a row
 * without a copy, nesting, the wrong number of values) refused and the
 * connection still usable; a constraint violation reported at the end on
 * PostgreSQL (at the row of a later batch or at the end on SQLite, with
 * the rows of its batch); an abandoned copy writes nothing on PostgreSQL,
 * nor its rows still buffered on SQLite, and leaves the connection usable.
 *
 *   build/release/tests/store/test_db_copy
 *   ZHILIANG_TEST_DB=$(scripts/pg.sh start /tmp/zl-pg 55432) build/release/tests/store/test_db_copy
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "db/db.h"

#include "harness.h"

static int setup_db(void **state)
{
	struct zl_db *db = harness_open_empty(0);

	if (!db)
		return -1;
	exec_ok(db, "CREATE TABLE t (id BIGINT PRIMARY KEY, a TEXT, b TEXT NOT NULL DEFAULT '')");
	*state = db;
	return 0;
}

static int64_t count_rows(struct zl_db *db)
{
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_stmt *st;
	int64_t n;

	assert_int_equal(zl_db_prepare(db, "SELECT count(*) FROM t", &st, &err), ZL_OK);
	assert_int_equal(zl_stmt_step(st, &err), ZL_DB_ROW);
	n = zl_stmt_column_int64(st, 0);
	zl_stmt_reset(st);
	return n;
}

static void copy_ok(struct zl_db *db, const char *id, const char *a, const char *b)
{
	struct zl_error err = ZL_ERROR_INIT;
	const char *v[3] = {id, a, b};

	if (zl_db_copy_row(db, v, 3, &err) != ZL_OK)
		fail_msg("copy row %s: %s", id, err.message);
}

static void test_ugly_values(void **state)
{
	struct zl_db *db = *state;
	struct zl_error err = ZL_ERROR_INIT;
	size_t big_n = 300 * 1024;
	char *big = malloc(big_n + 1);
	static const char *const ugly[] = {
		"tab\there",
		"line\nbreak",
		"cr\rlf\r\n",
		"back\\slash",
		"\\N",
		"\\.",
		"ends with a backslash\\",
		"\\\\\t\t\n\n\\",
		"郑州宇通客车股份有限公司\t（曾用名：宇通）\n第二行",
		"",
		"'quotes' \"and\" ,commas; |pipes|",
		"\x01\x02\x7f control bytes",
		".",
		"\\.\n\\.",
	};
	size_t n = sizeof(ugly) / sizeof(ugly[0]);
	struct zl_stmt *st;
	char id[16];

	assert_non_null(big);
	/* A big value full of characters to escape, with the COPY end marker inside. */
	big_n -= big_n % 8;
	for (size_t i = 0; i < big_n; i += 8)
		memcpy(big + i, "a\\\t\n.中", 8);
	big[big_n] = '\0';

	assert_int_equal(zl_db_begin(db, &err), ZL_OK);
	assert_int_equal(zl_db_copy_begin(db, "t", "id, a, b", &err), ZL_OK);
	for (size_t i = 0; i < n; i++) {
		snprintf(id, sizeof(id), "%zu", i + 1);
		copy_ok(db, id, ugly[i], ugly[n - 1 - i]);
	}
	copy_ok(db, "100", NULL, "a NULL beside");
	copy_ok(db, "101", big, "big");
	assert_int_equal(zl_db_copy_end(db, &err), ZL_OK);
	assert_int_equal(zl_db_commit(db, &err), ZL_OK);

	assert_int_equal(count_rows(db), (int64_t)n + 2);
	assert_int_equal(zl_db_prepare(db, "SELECT a, b FROM t WHERE id = ?", &st, &err), ZL_OK);
	for (size_t i = 0; i < n; i++) {
		zl_stmt_bind_int64(st, 1, (int64_t)i + 1);
		assert_int_equal(zl_stmt_step(st, &err), ZL_DB_ROW);
		assert_false(zl_stmt_column_is_null(st, 0));
		assert_string_equal(zl_stmt_column_text(st, 0), ugly[i]);
		assert_string_equal(zl_stmt_column_text(st, 1), ugly[n - 1 - i]);
		zl_stmt_reset(st);
	}
	zl_stmt_bind_int64(st, 1, 100);
	assert_int_equal(zl_stmt_step(st, &err), ZL_DB_ROW);
	assert_true(zl_stmt_column_is_null(st, 0));
	assert_string_equal(zl_stmt_column_text(st, 1), "a NULL beside");
	zl_stmt_reset(st);
	zl_stmt_bind_int64(st, 1, 101);
	assert_int_equal(zl_stmt_step(st, &err), ZL_DB_ROW);
	assert_int_equal(strlen(zl_stmt_column_text(st, 0)), big_n);
	assert_memory_equal(zl_stmt_column_text(st, 0), big, big_n);
	zl_stmt_reset(st);
	free(big);
}

/* Many rows: several 256 KiB blocks; the sum proves none was lost or doubled. */
static void test_many_rows(void **state)
{
	struct zl_db *db = *state;
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_stmt *st;
	char id[24], a[256];
	int64_t sum = 0;

	assert_int_equal(zl_db_begin(db, &err), ZL_OK);
	assert_int_equal(zl_db_copy_begin(db, "t", "id,a,b", &err), ZL_OK);
	for (int i = 1; i <= 20000; i++) {
		snprintf(id, sizeof(id), "%d", i);
		snprintf(a, sizeof(a), "行%d\t%0*d", i, 100 + i % 50, i);
		copy_ok(db, id, a, "x");
		sum += i;
	}
	assert_int_equal(zl_db_copy_end(db, &err), ZL_OK);
	assert_int_equal(zl_db_commit(db, &err), ZL_OK);
	assert_int_equal(
		zl_db_prepare(db, "SELECT count(*), sum(id) FROM t WHERE b = 'x'", &st, &err),
		ZL_OK);
	assert_int_equal(zl_stmt_step(st, &err), ZL_DB_ROW);
	assert_int_equal(zl_stmt_column_int64(st, 0), 20000);
	assert_int_equal(zl_stmt_column_int64(st, 1), sum);
	zl_stmt_reset(st);
	assert_int_equal(zl_db_prepare(db, "SELECT a FROM t WHERE id = 12345", &st, &err), ZL_OK);
	assert_int_equal(zl_stmt_step(st, &err), ZL_DB_ROW);
	snprintf(a, sizeof(a), "行%d\t%0*d", 12345, 100 + 12345 % 50, 12345);
	assert_string_equal(zl_stmt_column_text(st, 0), a);
	zl_stmt_reset(st);
}

static void test_misuse(void **state)
{
	struct zl_db *db = *state;
	struct zl_error err = ZL_ERROR_INIT;
	const char *v[3] = {"1", "a", "b"};

	assert_int_equal(zl_db_copy_row(db, v, 3, &err), ZL_EINTERNAL);
	assert_int_equal(zl_db_copy_end(db, &err), ZL_EINTERNAL);
	assert_int_equal(zl_db_copy_begin(db, "t", "", &err), ZL_EINVAL);
	assert_int_equal(zl_db_begin(db, &err), ZL_OK);
	assert_int_equal(zl_db_copy_begin(db, "t", "id, a, b", &err), ZL_OK);
	assert_int_equal(zl_db_copy_begin(db, "t", "id, a, b", &err), ZL_EINTERNAL);
	/* The wrong number of values ends the copy. */
	assert_int_equal(zl_db_copy_row(db, v, 2, &err), ZL_EINVAL);
	assert_int_equal(zl_db_copy_row(db, v, 3, &err), ZL_EINTERNAL);
	assert_int_equal(zl_db_copy_end(db, &err), ZL_EINTERNAL);
	/* The connection still works (an abandoned copy fails the transaction on PostgreSQL). */
	zl_db_rollback(db);
	assert_int_equal(zl_db_begin(db, &err), ZL_OK);
	assert_int_equal(zl_db_copy_begin(db, "t", "id, a, b", &err), ZL_OK);
	copy_ok(db, "7", "seven", "b");
	assert_int_equal(zl_db_copy_end(db, &err), ZL_OK);
	assert_int_equal(zl_db_commit(db, &err), ZL_OK);
	assert_int_equal(count_rows(db), 1);
	/* No such table. */
	assert_int_not_equal(zl_db_copy_begin(db, "no_such_table", "id", &err), ZL_OK);
	assert_int_equal(count_rows(db), 1);
	/* zl_db_copy_abort() without a copy is a no-op. */
	zl_db_copy_abort(db);
	assert_int_equal(count_rows(db), 1);
}

/* A duplicate key: ZL_ECONFLICT (at the end on PostgreSQL, when its batch is written on SQLite). */
static void test_conflict(void **state)
{
	struct zl_db *db = *state;
	struct zl_error err = ZL_ERROR_INIT;
	const char *v[3] = {"1", "dup", "b"};
	int rc;

	assert_int_equal(zl_db_begin(db, &err), ZL_OK);
	assert_int_equal(zl_db_copy_begin(db, "t", "id, a, b", &err), ZL_OK);
	copy_ok(db, "1", "first", "b");
	rc = zl_db_copy_row(db, v, 3, &err);
	if (rc == ZL_OK)
		rc = zl_db_copy_end(db, &err);
	assert_int_equal(rc, ZL_ECONFLICT);
	assert_string_equal(err.field, "db");
	zl_db_rollback(db);
	assert_int_equal(count_rows(db), 0);

	/* NOT NULL violated by a NULL value. */
	assert_int_equal(zl_db_begin(db, &err), ZL_OK);
	assert_int_equal(zl_db_copy_begin(db, "t", "id, a, b", &err), ZL_OK);
	v[2] = NULL;
	rc = zl_db_copy_row(db, v, 3, &err);
	if (rc == ZL_OK)
		rc = zl_db_copy_end(db, &err);
	assert_int_equal(rc, ZL_EDB);
	zl_db_rollback(db);
	assert_int_equal(count_rows(db), 0);

	/* Far from the first rows (in a later batch on SQLite): found all the same. */
	assert_int_equal(zl_db_begin(db, &err), ZL_OK);
	assert_int_equal(zl_db_copy_begin(db, "t", "id, a, b", &err), ZL_OK);
	rc = ZL_OK;
	for (int i = 1; i <= 5000 && rc == ZL_OK; i++) {
		char id[16];
		const char *w[3] = {id, "x", "b"};

		snprintf(id, sizeof(id), "%d", i == 4321 ? 17 : i);
		rc = zl_db_copy_row(db, w, 3, &err);
	}
	if (rc == ZL_OK)
		rc = zl_db_copy_end(db, &err);
	else
		assert_int_equal(zl_db_copy_end(db, &err), ZL_EINTERNAL); /* already ended */
	assert_int_equal(rc, ZL_ECONFLICT);
	zl_db_rollback(db);
	assert_int_equal(count_rows(db), 0);
}

/* Abandoned: PostgreSQL writes none of its rows; a rollback ends an open copy. */
static void test_abort(void **state)
{
	struct zl_db *db = *state;
	struct zl_error err = ZL_ERROR_INIT;

	assert_int_equal(zl_db_begin(db, &err), ZL_OK);
	assert_int_equal(zl_db_copy_begin(db, "t", "id, a, b", &err), ZL_OK);
	copy_ok(db, "1", "one", "b");
	zl_db_copy_abort(db);
	assert_int_equal(zl_db_copy_end(db, &err), ZL_EINTERNAL);
	if (is_pg(db)) {
		/* The transaction is failed: its commit says so. */
		assert_int_not_equal(zl_db_commit(db, &err), ZL_OK);
		assert_int_equal(count_rows(db), 0);
	} else {
		/* The row was still buffered: dropped. */
		assert_int_equal(zl_db_commit(db, &err), ZL_OK);
		assert_int_equal(count_rows(db), 0);
	}
	/* A rollback in the middle of a copy. */
	assert_int_equal(zl_db_begin(db, &err), ZL_OK);
	assert_int_equal(zl_db_copy_begin(db, "t", "id, a, b", &err), ZL_OK);
	copy_ok(db, "2", "two", "b");
	zl_db_rollback(db);
	assert_int_equal(count_rows(db), 0);
	/* Outside a transaction: the copy commits by itself. */
	assert_int_equal(zl_db_copy_begin(db, "t", "id, a, b", &err), ZL_OK);
	copy_ok(db, "3", "three", "b");
	assert_int_equal(zl_db_copy_end(db, &err), ZL_OK);
	assert_int_equal(count_rows(db), 1);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup_db, teardown_db)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_ugly_values), T(test_many_rows), T(test_misuse),
		T(test_conflict),    T(test_abort),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
