/*
 * test_audit.c - the store suite for the audit trail (store/audit.h):
 * appending, the append-only triggers (migration 3), verification against
 * rows tampered with by hand, concurrent appenders and the filtered list.
 *
 * Like test_store.c, the database is ZHILIANG_TEST_DB (default
 * "sqlite::memory:") and every test starts from an empty database (a new
 * in-memory database, a deleted SQLite file, or on PostgreSQL the schema
 * `public` dropped and re-created: point it at a throwaway database).
 *
 * Tampering is done the way an attacker with database access would: raw
 * SQL, after dropping the triggers that make the table append-only.
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

#include "db/db.h"
#include "domain/audit.h"
#include "store/audit.h"
#include "store/migrate.h"

#include "harness.h"

/* Open a connection to an empty, migrated database. */
static int setup_db(void **state)
{
	struct zl_db *db = harness_open_empty(1);

	if (!db)
		return -1;
	*state = db;
	return 0;
}

/* Append one row in its own transaction; returns its seq. */
static int64_t append_one(struct zl_db *db, const char *actor, const char *org, const char *action,
			  const char *target, const char *at)
{
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_audit_entry e = {
		.at = at,
		.actor = actor,
		.org = org,
		.action = action,
		.target = target,
		.before_digest = "",
		.after_digest = "",
		.request_id = "",
		.detail = "",
	};
	int64_t seq = -1;
	int rc;

	assert_int_equal(zl_db_begin(db, &err), ZL_OK);
	rc = zl_store_audit_append(db, &e, &seq, &err);
	if (rc != ZL_OK)
		fail_msg("append failed (%d): %s", rc, err.message);
	assert_int_equal(zl_db_commit(db, &err), ZL_OK);
	return seq;
}

/* Five rows, the chain the tampering tests start from. */
static void append_five(struct zl_db *db)
{
	static const char *const actions[] = {"user.create", "user.update", "org.update",
					      "token.create", "user.disable"};
	char target[32];

	for (int i = 0; i < 5; i++) {
		snprintf(target, sizeof(target), "user:u%d", i + 1);
		assert_int_equal(append_one(db, "admin", "410000", actions[i], target, NULL),
				 i + 1);
	}
}

static struct zl_audit_verify_result verify(struct zl_db *db)
{
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_audit_verify_result r;
	int rc = zl_store_audit_verify(db, &r, &err);

	if (rc != ZL_OK)
		fail_msg("verify failed (%d): %s", rc, err.message);
	return r;
}

/* What an attacker with database rights does first. */
static void drop_triggers(struct zl_db *db)
{
	if (is_pg(db))
		exec_ok(db, "DROP TRIGGER audit_log_no_update ON audit_log;"
			    " DROP TRIGGER audit_log_no_delete ON audit_log;");
	else
		exec_ok(db, "DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;");
}

static void assert_contains(const char *s, const char *part)
{
	if (strstr(s, part) == NULL)
		fail_msg("\"%s\" does not contain \"%s\"", s, part);
}

/* ---- append and verify ------------------------------------------------ */

static void test_empty_trail(void **state)
{
	struct zl_db *db = *state;
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_audit_verify_result r = verify(db);
	char hash[ZL_SHA256_HEX_LEN + 1];
	int64_t seq = -1;

	assert_int_equal(r.rows, 0);
	assert_int_equal(r.first_bad, 0);
	assert_int_equal(zl_store_audit_head(db, &seq, hash, &err), ZL_OK);
	assert_int_equal(seq, 0);
	assert_string_equal(hash, ZL_AUDIT_GENESIS);
	assert_int_equal(zl_store_audit_hash_at(db, 1, hash, &err), ZL_ENOTFOUND);
}

static void test_append_verify_intact(void **state)
{
	struct zl_db *db = *state;
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_audit_verify_result r;
	char hash[ZL_SHA256_HEX_LEN + 1], h3[ZL_SHA256_HEX_LEN + 1];
	int64_t seq = 0;
	struct zl_stmt *st;

	append_five(db);
	r = verify(db);
	assert_int_equal(r.rows, 5);
	assert_int_equal(r.first_bad, 0);
	assert_string_equal(r.reason, "");

	assert_int_equal(zl_store_audit_head(db, &seq, hash, &err), ZL_OK);
	assert_int_equal(seq, 5);
	assert_true(zl_audit_is_hash(hash));
	assert_int_equal(zl_store_audit_hash_at(db, 3, h3, &err), ZL_OK);
	assert_true(zl_audit_is_hash(h3));
	assert_string_not_equal(h3, hash);

	/* The stored chain is the documented one: recompute row 1 and the link. */
	assert_int_equal(zl_db_prepare(db,
				       "SELECT seq, at, actor, org, action, target, before_digest,"
				       " after_digest, request_id, detail, prev_hash, row_hash"
				       " FROM audit_log WHERE seq <= 2 ORDER BY seq",
				       &st, &err),
			 ZL_OK);
	{
		char prev[ZL_SHA256_HEX_LEN + 1] = ZL_AUDIT_GENESIS;

		while (zl_stmt_step(st, &err) == ZL_DB_ROW) {
			struct zl_audit_fields f = {
				.seq = zl_stmt_column_int64(st, 0),
				.at = zl_stmt_column_text(st, 1),
				.actor = zl_stmt_column_text(st, 2),
				.org = zl_stmt_column_text(st, 3),
				.action = zl_stmt_column_text(st, 4),
				.target = zl_stmt_column_text(st, 5),
				.before_digest = zl_stmt_column_text(st, 6),
				.after_digest = zl_stmt_column_text(st, 7),
				.request_id = zl_stmt_column_text(st, 8),
				.detail = zl_stmt_column_text(st, 9),
				.prev_hash = zl_stmt_column_text(st, 10),
			};
			char h[ZL_SHA256_HEX_LEN + 1];

			assert_string_equal(f.prev_hash, prev);
			/* RFC 3339 UTC with microseconds: 2026-11-26T17:55:00.123456Z */
			assert_int_equal(strlen(f.at), 27);
			assert_int_equal(f.at[26], 'Z');
			zl_audit_row_hash(&f, h);
			assert_string_equal(h, zl_stmt_column_text(st, 11));
			zl_strlcpy(prev, h, sizeof(prev));
		}
	}
	zl_stmt_reset(st);
}

static void test_append_fields(void **state)
{
	struct zl_db *db = *state;
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_audit_entry e = {
		.at = "2014-07-18T16:30:00.5+08:00", .actor = "cli:root", .action = "init"};
	struct zl_stmt *st;
	int64_t seq = 0;

	assert_int_equal(zl_db_begin(db, &err), ZL_OK);
	/* NULL optional fields are stored as "". */
	assert_int_equal(zl_store_audit_append(db, &e, &seq, &err), ZL_OK);
	assert_int_equal(seq, 1);
	e.at = "yesterday";
	assert_int_equal(zl_store_audit_append(db, &e, &seq, &err), ZL_EINVAL);
	assert_string_equal(err.field, "at");
	e.at = NULL;
	e.actor = "";
	assert_int_equal(zl_store_audit_append(db, &e, &seq, &err), ZL_EINVAL);
	assert_string_equal(err.field, "actor");
	e.actor = "x";
	e.action = NULL;
	assert_int_equal(zl_store_audit_append(db, &e, &seq, &err), ZL_EINVAL);
	assert_string_equal(err.field, "action");
	assert_int_equal(zl_db_commit(db, &err), ZL_OK);

	assert_int_equal(
		zl_db_prepare(db, "SELECT at, org, target, detail FROM audit_log", &st, &err),
		ZL_OK);
	assert_int_equal(zl_stmt_step(st, &err), ZL_DB_ROW);
	/* Normalised to UTC with microseconds. */
	assert_string_equal(zl_stmt_column_text(st, 0), "2014-07-18T08:30:00.500000Z");
	assert_string_equal(zl_stmt_column_text(st, 1), "");
	assert_string_equal(zl_stmt_column_text(st, 2), "");
	assert_string_equal(zl_stmt_column_text(st, 3), "");
	assert_false(zl_stmt_column_is_null(st, 3));
	assert_int_equal(zl_stmt_step(st, &err), ZL_DB_DONE);
	zl_stmt_reset(st);
	assert_int_equal(verify(db).first_bad, 0);
}

static void test_append_outside_tx(void **state)
{
	struct zl_db *db = *state;
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_audit_entry e = {.actor = "admin", .action = "user.create"};

	assert_int_equal(zl_store_audit_append(db, &e, NULL, &err), ZL_EINTERNAL);
	assert_int_equal(harness_query_int(db, "SELECT count(*) FROM audit_log"), 0);
}

/* Rolled back with the change it records: no row, no gap. */
static void test_append_rollback(void **state)
{
	struct zl_db *db = *state;
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_audit_entry e = {.actor = "admin", .action = "user.create"};
	int64_t seq = 0;

	append_one(db, "admin", "", "a", "", NULL);
	assert_int_equal(zl_db_begin(db, &err), ZL_OK);
	assert_int_equal(zl_store_audit_append(db, &e, &seq, &err), ZL_OK);
	assert_int_equal(seq, 2);
	zl_db_rollback(db);
	assert_int_equal(append_one(db, "admin", "", "b", "", NULL), 2);
	assert_int_equal(verify(db).rows, 2);
	assert_int_equal(verify(db).first_bad, 0);
}

static void test_triggers_reject_changes(void **state)
{
	struct zl_db *db = *state;
	struct zl_error err = ZL_ERROR_INIT;

	append_five(db);
	assert_int_not_equal(
		zl_db_exec(db, "UPDATE audit_log SET detail = 'x' WHERE seq = 3", &err), ZL_OK);
	assert_contains(err.message, "append-only");
	zl_error_clear(&err);
	assert_int_not_equal(zl_db_exec(db, "DELETE FROM audit_log WHERE seq = 5", &err), ZL_OK);
	assert_contains(err.message, "append-only");
	zl_error_clear(&err);
	assert_int_not_equal(zl_db_exec(db, "DELETE FROM audit_log", &err), ZL_OK);
	if (is_pg(db)) {
		zl_error_clear(&err);
		assert_int_not_equal(zl_db_exec(db, "TRUNCATE audit_log", &err), ZL_OK);
		assert_contains(err.message, "append-only");
	}
	assert_int_equal(harness_query_int(db, "SELECT count(*) FROM audit_log"), 5);
	assert_int_equal(harness_query_int(db, "SELECT count(*) FROM audit_log WHERE detail = 'x'"),
			 0);
	assert_int_equal(verify(db).first_bad, 0);
}

/* ---- tampering -------------------------------------------------------- */

static void test_tamper_alter(void **state)
{
	struct zl_db *db = *state;
	struct zl_audit_verify_result r;

	append_five(db);
	drop_triggers(db);
	exec_ok(db, "UPDATE audit_log SET actor = 'someone' WHERE seq = 3");
	r = verify(db);
	assert_int_equal(r.first_bad, 3);
	assert_int_equal(r.rows, 3);
	assert_contains(r.reason, "row_hash mismatch");
}

static void test_tamper_alter_time(void **state)
{
	struct zl_db *db = *state;

	append_five(db);
	drop_triggers(db);
	exec_ok(db, "UPDATE audit_log SET at = '2000-01-01T00:00:00.000000Z' WHERE seq = 5");
	assert_int_equal(verify(db).first_bad, 5);
}

static void test_tamper_delete(void **state)
{
	struct zl_db *db = *state;
	struct zl_audit_verify_result r;

	append_five(db);
	drop_triggers(db);
	exec_ok(db, "DELETE FROM audit_log WHERE seq = 2");
	r = verify(db);
	assert_int_equal(r.first_bad, 3);
	assert_contains(r.reason, "expected seq 2");
}

static void test_tamper_delete_first(void **state)
{
	struct zl_db *db = *state;
	struct zl_audit_verify_result r;

	append_five(db);
	drop_triggers(db);
	exec_ok(db, "DELETE FROM audit_log WHERE seq = 1");
	r = verify(db);
	assert_int_equal(r.first_bad, 2);
	assert_contains(r.reason, "expected seq 1");
}

/* Deleting a row and renumbering the rest hides the gap, not the break. */
static void test_tamper_delete_renumber(void **state)
{
	struct zl_db *db = *state;
	struct zl_audit_verify_result r;

	append_five(db);
	drop_triggers(db);
	exec_ok(db, "DELETE FROM audit_log WHERE seq = 2");
	exec_ok(db, "UPDATE audit_log SET seq = 2 WHERE seq = 3");
	exec_ok(db, "UPDATE audit_log SET seq = 3 WHERE seq = 4");
	exec_ok(db, "UPDATE audit_log SET seq = 4 WHERE seq = 5");
	r = verify(db);
	assert_int_equal(r.first_bad, 2);
	assert_contains(r.reason, "prev_hash");
}

static void test_tamper_reorder(void **state)
{
	struct zl_db *db = *state;
	struct zl_audit_verify_result r;

	append_five(db);
	drop_triggers(db);
	/* Swap the contents of rows 2 and 4. */
	exec_ok(db, "UPDATE audit_log SET seq = -2 WHERE seq = 2");
	exec_ok(db, "UPDATE audit_log SET seq = 2 WHERE seq = 4");
	exec_ok(db, "UPDATE audit_log SET seq = 4 WHERE seq = -2");
	assert_int_equal(harness_query_int(db, "SELECT count(*) FROM audit_log"), 5);
	r = verify(db);
	assert_int_equal(r.first_bad, 2);
	assert_contains(r.reason, "prev_hash does not match row 1");
}

/* An attacker who knows the algorithm re-hashes the row he altered. */
static void test_tamper_rehash(void **state)
{
	struct zl_db *db = *state;
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_audit_verify_result r;
	struct zl_stmt *st;
	char h[ZL_SHA256_HEX_LEN + 1];

	append_five(db);
	drop_triggers(db);
	assert_int_equal(zl_db_prepare(db,
				       "SELECT seq, at, actor, org, action, target, before_digest,"
				       " after_digest, request_id, detail, prev_hash"
				       " FROM audit_log WHERE seq = 3",
				       &st, &err),
			 ZL_OK);
	assert_int_equal(zl_stmt_step(st, &err), ZL_DB_ROW);
	{
		struct zl_audit_fields f = {
			.seq = zl_stmt_column_int64(st, 0),
			.at = zl_stmt_column_text(st, 1),
			.actor = "someone-else",
			.org = zl_stmt_column_text(st, 3),
			.action = zl_stmt_column_text(st, 4),
			.target = zl_stmt_column_text(st, 5),
			.before_digest = zl_stmt_column_text(st, 6),
			.after_digest = zl_stmt_column_text(st, 7),
			.request_id = zl_stmt_column_text(st, 8),
			.detail = zl_stmt_column_text(st, 9),
			.prev_hash = zl_stmt_column_text(st, 10),
		};
		zl_audit_row_hash(&f, h);
	}
	zl_stmt_reset(st);
	assert_int_equal(zl_db_prepare(db,
				       "UPDATE audit_log SET actor = 'someone-else', row_hash = ?"
				       " WHERE seq = 3",
				       &st, &err),
			 ZL_OK);
	zl_stmt_bind_text(st, 1, h, -1);
	assert_int_equal(zl_stmt_step(st, &err), ZL_DB_DONE);
	assert_int_equal(zl_stmt_changes(st), 1);
	zl_stmt_reset(st);

	r = verify(db);
	assert_int_equal(r.first_bad, 4);
	assert_contains(r.reason, "prev_hash does not match row 3");
}

/* A row inserted at the end (no trigger stops INSERT) with a made-up link. */
static void test_tamper_forged_append(void **state)
{
	struct zl_db *db = *state;
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_audit_verify_result r;
	struct zl_audit_fields f = {
		.seq = 6,
		.at = "2026-01-01T00:00:00.000000Z",
		.actor = "admin",
		.org = "410000",
		.action = "user.create",
		.target = "user:mole",
		.before_digest = "",
		.after_digest = "",
		.request_id = "",
		.detail = "",
		.prev_hash = "1111111111111111111111111111111111111111111111111111111111111111",
	};
	char h[ZL_SHA256_HEX_LEN + 1];
	struct zl_stmt *st;

	append_five(db);
	/* Its own hash is right: only the link gives it away. */
	zl_audit_row_hash(&f, h);
	assert_int_equal(zl_db_prepare(db,
				       "INSERT INTO audit_log (seq, at, actor, org, action, target,"
				       " prev_hash, row_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
				       &st, &err),
			 ZL_OK);
	zl_stmt_bind_int64(st, 1, f.seq);
	zl_stmt_bind_text(st, 2, f.at, -1);
	zl_stmt_bind_text(st, 3, f.actor, -1);
	zl_stmt_bind_text(st, 4, f.org, -1);
	zl_stmt_bind_text(st, 5, f.action, -1);
	zl_stmt_bind_text(st, 6, f.target, -1);
	zl_stmt_bind_text(st, 7, f.prev_hash, -1);
	zl_stmt_bind_text(st, 8, h, -1);
	assert_int_equal(zl_stmt_step(st, &err), ZL_DB_DONE);
	zl_stmt_reset(st);

	r = verify(db);
	assert_int_equal(r.rows, 6);
	assert_int_equal(r.first_bad, 6);
	assert_contains(r.reason, "prev_hash does not match row 5");
}

static void test_tamper_first_prev_hash(void **state)
{
	struct zl_db *db = *state;
	struct zl_audit_verify_result r;

	append_five(db);
	drop_triggers(db);
	exec_ok(db, "UPDATE audit_log SET prev_hash = "
		    "'0000000000000000000000000000000000000000000000000000000000000001'"
		    " WHERE seq = 1");
	r = verify(db);
	assert_int_equal(r.first_bad, 1);
	assert_contains(r.reason, "genesis");
}

/* A row slipped in below the chain's start. */
static void test_tamper_seq_zero(void **state)
{
	struct zl_db *db = *state;
	struct zl_audit_verify_result r;

	append_five(db);
	exec_ok(db,
		"INSERT INTO audit_log (seq, at, actor, action, prev_hash, row_hash)"
		" SELECT 0, at, actor, action, prev_hash, row_hash FROM audit_log WHERE seq = 1");
	r = verify(db);
	assert_int_equal(r.first_bad, 0);
	assert_contains(r.reason, "unexpected seq 0");
}

/* Without the primary key (the table re-created by hand) a seq can repeat. */
static void drop_primary_key(struct zl_db *db)
{
	exec_ok(db, "CREATE TABLE audit_copy AS SELECT * FROM audit_log");
	exec_ok(db, "DROP TABLE audit_log");
	exec_ok(db, "ALTER TABLE audit_copy RENAME TO audit_log");
}

static void test_tamper_repeated_seq(void **state)
{
	struct zl_db *db = *state;
	struct zl_audit_verify_result r;

	append_five(db);
	drop_primary_key(db);
	exec_ok(db, "INSERT INTO audit_log SELECT * FROM audit_log WHERE seq = 3");
	r = verify(db);
	assert_int_equal(r.first_bad, 3);
	assert_contains(r.reason, "unexpected seq 3 where 4 belongs");
}

/* ... also where one verify batch ends and the next begins. */
static void test_tamper_repeated_seq_at_batch_end(void **state)
{
	struct zl_db *db = *state;
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_audit_entry e = {.actor = "admin", .action = "bulk"};
	struct zl_audit_verify_result r;

	assert_int_equal(zl_db_begin(db, &err), ZL_OK);
	for (int i = 0; i < 600; i++)
		assert_int_equal(zl_store_audit_append(db, &e, NULL, &err), ZL_OK);
	assert_int_equal(zl_db_commit(db, &err), ZL_OK);
	drop_primary_key(db);
	exec_ok(db, "INSERT INTO audit_log SELECT * FROM audit_log WHERE seq = 500");
	r = verify(db);
	assert_int_equal(r.first_bad, 500);
	assert_contains(r.reason, "601 rows where the chain has 600");
}

/* ---- many rows and concurrent writers --------------------------------- */

/* More rows than one verify batch, appended in one transaction. */
static void test_long_chain(void **state)
{
	struct zl_db *db = *state;
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_audit_entry e = {.actor = "admin", .action = "bulk", .org = "410000"};
	struct zl_audit_verify_result r;
	char target[32];
	int64_t seq = 0;

	assert_int_equal(zl_db_begin(db, &err), ZL_OK);
	for (int i = 1; i <= 1234; i++) {
		snprintf(target, sizeof(target), "row:%d", i);
		e.target = target;
		assert_int_equal(zl_store_audit_append(db, &e, &seq, &err), ZL_OK);
		assert_int_equal(seq, i);
	}
	assert_int_equal(zl_db_commit(db, &err), ZL_OK);
	r = verify(db);
	assert_int_equal(r.rows, 1234);
	assert_int_equal(r.first_bad, 0);

	/* A break in the third batch is found and named. */
	drop_triggers(db);
	exec_ok(db, "UPDATE audit_log SET target = 'row:x' WHERE seq = 1111");
	r = verify(db);
	assert_int_equal(r.first_bad, 1111);
	assert_int_equal(r.rows, 1111);
}

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
	struct zl_db *db = NULL;
	char actor[32], target[32];

	snprintf(actor, sizeof(actor), "writer%d", a->id);
	a->rc = zl_db_open(a->url, &opt, &db, &err);
	for (int i = 0; a->rc == ZL_OK && i < a->n; i++) {
		struct zl_audit_entry e = {.actor = actor, .action = "concurrent"};

		snprintf(target, sizeof(target), "n:%d", i);
		e.target = target;
		a->rc = zl_db_begin(db, &err);
		if (a->rc == ZL_OK)
			a->rc = zl_store_audit_append(db, &e, NULL, &err);
		if (a->rc == ZL_OK)
			a->rc = zl_db_commit(db, &err);
		else
			zl_db_rollback(db);
	}
	if (a->rc != ZL_OK)
		zl_strlcpy(a->msg, err.message, sizeof(a->msg));
	zl_db_close(db);
	return NULL;
}

static void test_concurrent_appenders(void **state)
{
	struct zl_db *db = *state;
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_audit_verify_result r;
	struct writer_arg a[4];
	pthread_t t[4];
	char url[512];
	struct zl_db *fdb = NULL;

	/* Several connections need one shared database: a file for SQLite. */
	if (strcmp(test_url(), "sqlite::memory:") == 0) {
		snprintf(url, sizeof(url), "sqlite:/tmp/zl-audit-concurrent-%ld.db",
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
		a[i].n = 50;
		assert_int_equal(pthread_create(&t[i], NULL, writer_thread, &a[i]), 0);
	}
	for (int i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		if (a[i].rc != ZL_OK)
			fail_msg("writer %d: %d %s", i, a[i].rc, a[i].msg);
	}
	r = verify(db);
	assert_int_equal(r.rows, 200);
	assert_int_equal(r.first_bad, 0);
	assert_int_equal(harness_query_int(db, "SELECT count(DISTINCT seq) FROM audit_log"), 200);
	assert_int_equal(harness_query_int(db, "SELECT MAX(seq) FROM audit_log"), 200);
	assert_int_equal(
		harness_query_int(db, "SELECT count(*) FROM audit_log WHERE actor = 'writer3'"),
		50);
	if (fdb != NULL) {
		zl_db_close(fdb);
		unlink_sqlite(url);
	}
}

/* ---- list --------------------------------------------------------------- */

struct collected {
	int n;
	int64_t seq[64];
	char actor[64][32];
	int stop_after;
};

static int collect(void *arg, const struct zl_audit_record *r)
{
	struct collected *c = arg;

	if (c->stop_after > 0 && c->n >= c->stop_after)
		return ZL_ECONFLICT;
	if (c->n < 64) {
		c->seq[c->n] = r->f.seq;
		zl_strlcpy(c->actor[c->n], r->f.actor, sizeof(c->actor[0]));
	}
	c->n++;
	return 0;
}

static int list(struct zl_db *db, const struct zl_audit_filter *flt, int64_t limit,
		struct collected *c)
{
	struct zl_error err = ZL_ERROR_INIT;
	int rc;

	c->n = 0;
	rc = zl_store_audit_list(db, flt, limit, collect, c, &err);
	if (rc != ZL_OK && rc != ZL_ECONFLICT)
		fail_msg("list failed (%d): %s", rc, err.message);
	return rc;
}

static int64_t count(struct zl_db *db, const struct zl_audit_filter *flt)
{
	struct zl_error err = ZL_ERROR_INIT;
	int64_t n = -1;
	int rc = zl_store_audit_count(db, flt, &n, &err);

	if (rc != ZL_OK)
		fail_msg("count failed (%d): %s", rc, err.message);
	return n;
}

/*
 * Organizations: the province, two cities, a district of the first, and
 * a city organization that was renamed (two rows, the latest current).
 * Rows: 1 cli (no org), 2 province, 3 Zhengzhou, 4 Jinshui district,
 * 5 Kaifeng, 6 Zhengzhou, 7 Luoyang (renamed), 8 unknown org.
 */
static void list_fixture(struct zl_db *db)
{
	exec_ok(db,
		"INSERT INTO orgs (code, kind, name, path, parent, valid_from, valid_to) VALUES"
		" ('410000', 'province', '河南省', '/410000/', NULL, '2014-01-01', NULL),"
		" ('410100', 'city', '郑州市', '/410000/410100/', '410000', '2014-01-01', NULL),"
		" ('410105', 'county', '金水区', '/410000/410100/410105/', '410100',"
		"  '2014-01-01', NULL),"
		" ('410200', 'city', '开封市', '/410000/410200/', '410000', '2014-01-01', NULL),"
		" ('410300', 'city', '洛阳旧', '/410000/410100/410300/', '410100', '2014-01-01',"
		"  '2015-01-01'),"
		" ('410300', 'city', '洛阳市', '/410000/410300/', '410000', '2015-01-01', NULL)");
	append_one(db, "cli:root", "", "init", "", "2014-07-01T00:00:00Z");
	append_one(db, "admin", "410000", "user.create", "user:zz", "2014-07-02T00:00:00Z");
	append_one(db, "zz", "410100", "user.create", "user:官员", "2014-07-03T00:00:00Z");
	append_one(db, "js", "410105", "org.update", "org:410105", "2014-07-04T00:00:00Z");
	append_one(db, "kf", "410200", "user.create", "user:kf2", "2014-07-05T00:00:00Z");
	append_one(db, "zz", "410100", "user.disable", "user:官员2", "2014-07-06T00:00:00Z");
	append_one(db, "ly", "410300", "user.create", "user:ly2", "2014-07-07T00:00:00Z");
	append_one(db, "ghost", "999999", "user.create", "user:g", "2014-07-08T00:00:00Z");
}

static void test_list_all_newest_first(void **state)
{
	struct zl_db *db = *state;
	struct zl_audit_filter f = {0};
	struct collected c = {0};

	list_fixture(db);
	list(db, &f, 0, &c);
	assert_int_equal(c.n, 8);
	for (int i = 0; i < 8; i++)
		assert_int_equal(c.seq[i], 8 - i);
	assert_int_equal(count(db, &f), 8);
	/* limit and the cursor */
	list(db, &f, 3, &c);
	assert_int_equal(c.n, 3);
	assert_int_equal(c.seq[2], 6);
	f.before_seq = 6;
	list(db, &f, 3, &c);
	assert_int_equal(c.n, 3);
	assert_int_equal(c.seq[0], 5);
	assert_int_equal(c.seq[2], 3);
	/* The total ignores the cursor. */
	assert_int_equal(count(db, &f), 8);
	f.before_seq = 1;
	list(db, &f, 3, &c);
	assert_int_equal(c.n, 0);
}

static void test_list_filters(void **state)
{
	struct zl_db *db = *state;
	struct zl_audit_filter f = {0};
	struct collected c = {0};

	list_fixture(db);
	f.actor = "zz";
	list(db, &f, 0, &c);
	assert_int_equal(c.n, 2);
	assert_int_equal(c.seq[0], 6);
	assert_int_equal(c.seq[1], 3);
	assert_int_equal(count(db, &f), 2);

	memset(&f, 0, sizeof(f));
	f.action = "user.create";
	assert_int_equal(count(db, &f), 5);

	/* A prefix, counted in characters (官员 is 6 bytes). */
	memset(&f, 0, sizeof(f));
	f.target_prefix = "user:官员";
	list(db, &f, 0, &c);
	assert_int_equal(c.n, 2);
	f.target_prefix = "user:官员2";
	assert_int_equal(count(db, &f), 1);
	f.target_prefix = "USER:";
	assert_int_equal(count(db, &f), 0); /* case-sensitive on both backends */
	f.target_prefix = "org:";
	assert_int_equal(count(db, &f), 1);
	f.target_prefix = "";
	assert_int_equal(count(db, &f), 8);

	/* from inclusive, to exclusive */
	memset(&f, 0, sizeof(f));
	f.from = "2014-07-03T00:00:00.000000Z";
	f.to = "2014-07-06T00:00:00.000000Z";
	list(db, &f, 0, &c);
	assert_int_equal(c.n, 3);
	assert_int_equal(c.seq[0], 5);
	assert_int_equal(c.seq[2], 3);
	f.action = "user.create";
	assert_int_equal(count(db, &f), 2);
}

static void test_list_subtree(void **state)
{
	struct zl_db *db = *state;
	struct zl_audit_filter f = {0};
	struct collected c = {0};

	list_fixture(db);
	/* Zhengzhou sees its own rows and its district's, not Luoyang's
	 * (which was under it only in an old row). */
	f.subtree_path = "/410000/410100/";
	list(db, &f, 0, &c);
	assert_int_equal(c.n, 3);
	assert_int_equal(c.seq[0], 6);
	assert_int_equal(c.seq[1], 4);
	assert_int_equal(c.seq[2], 3);
	assert_int_equal(count(db, &f), 3);
	f.subtree_path = "/410000/410100/410105/";
	assert_int_equal(count(db, &f), 1);
	f.subtree_path = "/410000/410300/";
	assert_int_equal(count(db, &f), 1);
	/* No prefix confusion between 41010 and 410100. */
	f.subtree_path = "/410000/41010/";
	assert_int_equal(count(db, &f), 0);
	{
		struct zl_error err = ZL_ERROR_INIT;
		int64_t n;

		f.subtree_path = "/410000/41010";
		assert_int_equal(zl_store_audit_count(db, &f, &n, &err), ZL_EINVAL);
		assert_int_equal(zl_store_audit_list(db, &f, 0, collect, &c, &err), ZL_EINVAL);
	}
	/* The root sees every row of its tree and the command rows, but not
	 * rows of organizations it does not know. */
	f.subtree_path = "/410000/";
	list(db, &f, 0, &c);
	assert_int_equal(c.n, 7);
	assert_int_equal(c.seq[0], 7);
	assert_int_equal(c.seq[6], 1);
	assert_string_equal(c.actor[6], "cli:root");
	/* Filters combine with the subtree. */
	f.subtree_path = "/410000/410100/";
	f.action = "user.create";
	f.before_seq = 6;
	list(db, &f, 10, &c);
	assert_int_equal(c.n, 1);
	assert_int_equal(c.seq[0], 3);
	/* Operators (NULL) see everything. */
	memset(&f, 0, sizeof(f));
	assert_int_equal(count(db, &f), 8);
}

/* Across batch boundaries, and a callback that stops the walk. */
static void test_list_batches_and_stop(void **state)
{
	struct zl_db *db = *state;
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_audit_entry e = {.actor = "admin", .action = "bulk"};
	struct zl_audit_filter f = {0};
	struct collected c = {0};

	assert_int_equal(zl_db_begin(db, &err), ZL_OK);
	for (int i = 0; i < 1100; i++)
		assert_int_equal(zl_store_audit_append(db, &e, NULL, &err), ZL_OK);
	assert_int_equal(zl_db_commit(db, &err), ZL_OK);
	list(db, &f, 0, &c);
	assert_int_equal(c.n, 1100);
	assert_int_equal(c.seq[0], 1100);
	list(db, &f, 777, &c);
	assert_int_equal(c.n, 777);
	c.stop_after = 10;
	assert_int_equal(list(db, &f, 0, &c), ZL_ECONFLICT);
	assert_int_equal(c.n, 10);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup_db, teardown_db)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_empty_trail),
		T(test_append_verify_intact),
		T(test_append_fields),
		T(test_append_outside_tx),
		T(test_append_rollback),
		T(test_triggers_reject_changes),
		T(test_tamper_alter),
		T(test_tamper_alter_time),
		T(test_tamper_delete),
		T(test_tamper_delete_first),
		T(test_tamper_delete_renumber),
		T(test_tamper_reorder),
		T(test_tamper_rehash),
		T(test_tamper_forged_append),
		T(test_tamper_first_prev_hash),
		T(test_tamper_seq_zero),
		T(test_tamper_repeated_seq),
		T(test_tamper_repeated_seq_at_batch_end),
		T(test_long_chain),
		T(test_concurrent_appenders),
		T(test_list_all_newest_first),
		T(test_list_filters),
		T(test_list_subtree),
		T(test_list_batches_and_stop),
	};

	fprintf(stderr, "audit store suite against %s\n",
		zl_db_url_backend(test_url()) != NULL ? zl_db_url_backend(test_url())
						      : "(bad ZHILIANG_TEST_DB)");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
