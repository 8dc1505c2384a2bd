/*
 * harness.h - what every store-suite program shares: the database it runs
 * against ($ZHILIANG_TEST_DB, default sqlite::memory:) and a connection to
 * an EMPTY database for each test (a SQLite file and its -wal/-shm removed,
 * the PostgreSQL schema dropped and recreated - point it only at a
 * throwaway database).  Header-only: each tests/store/test_*.c is its own
 * program; include it after cmocka.h and db/db.h.
 */
#ifndef ZL_TEST_STORE_HARNESS_H
#define ZL_TEST_STORE_HARNESS_H

#include <unistd.h>

#include "store/migrate.h"

#define HARNESS_FN static __attribute__((unused))

HARNESS_FN const char *test_url(void)
{
	const char *u = getenv("ZHILIANG_TEST_DB");

	return u != NULL && *u != '\0' ? u : "sqlite::memory:";
}

HARNESS_FN int is_pg(struct zl_db *db)
{
	return strcmp(zl_db_backend(db), "postgres") == 0;
}

HARNESS_FN void exec_ok(struct zl_db *db, const char *sql)
{
	struct zl_error err = ZL_ERROR_INIT;
	int rc = zl_db_exec(db, sql, &err);

	if (rc != ZL_OK)
		fail_msg("exec failed (%d): %s\nSQL: %s", rc, err.message, sql);
}

/* The first column of the first row of `sql`, an integer; fails the test otherwise. */
HARNESS_FN int64_t harness_query_int(struct zl_db *db, const char *sql)
{
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_stmt *st = NULL;
	int64_t v;

	if (zl_db_prepare(db, sql, &st, &err) != ZL_OK)
		fail_msg("prepare failed: %s\nSQL: %s", err.message, sql);
	assert_int_equal(zl_stmt_step(st, &err), ZL_DB_ROW);
	v = zl_stmt_column_int64(st, 0);
	zl_stmt_reset(st);
	return v;
}

/* Remove a SQLite database file and its WAL side files. */
HARNESS_FN void unlink_sqlite(const char *url)
{
	const char *path = url + 7;
	char side[4096];

	if (strncmp(url, "sqlite:", 7) != 0 || strcmp(url, "sqlite::memory:") == 0)
		return;
	if (strncmp(path, "//", 2) == 0)
		path += 2;
	unlink(path);
	snprintf(side, sizeof(side), "%s-wal", path);
	unlink(side);
	snprintf(side, sizeof(side), "%s-shm", path);
	unlink(side);
}

/*
 * A connection to an empty database, migrated to the latest schema when
 * `migrate` is set.  NULL (with the reason on stderr) when that fails.
 */
HARNESS_FN struct zl_db *harness_open_empty(int migrate)
{
	const char *url = test_url();
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_db *db = NULL;

	unlink_sqlite(url);
	if (zl_db_open(url, NULL, &db, &err) != ZL_OK) {
		fprintf(stderr, "cannot open %s: %s\n", url, err.message);
		return NULL;
	}
	if (is_pg(db) &&
	    zl_db_exec(db, "DROP SCHEMA public CASCADE; CREATE SCHEMA public;", &err) != ZL_OK) {
		fprintf(stderr, "cannot reset the schema: %s\n", err.message);
		zl_db_close(db);
		return NULL;
	}
	if (migrate && zl_store_migrate(db, NULL, &err) != ZL_OK) {
		fprintf(stderr, "cannot migrate: %s\n", err.message);
		zl_db_close(db);
		return NULL;
	}
	return db;
}

HARNESS_FN int teardown_db(void **state)
{
	zl_db_close(*state);
	*state = NULL;
	return 0;
}

#endif /* ZL_TEST_STORE_HARNESS_H */
