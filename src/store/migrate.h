/*
 * migrate.h - the numbered schema migrations and the schema version.
 *
 * The schema is a list of numbered migrations compiled into the program
 * (store/migrate.c), applied in order, each in its own transaction, and
 * recorded in the table schema_migrations(version, name, applied_at).
 * Applying is idempotent (applied migrations are skipped) and safe against
 * a second process migrating at the same time: on PostgreSQL each
 * migration transaction first takes an advisory lock, on SQLite the
 * transaction holds the write lock from its start (BEGIN IMMEDIATE).
 * A migration is written once in the SQL subset both backends share
 * (docs/store.md) and carries a PostgreSQL variant only where they differ.
 */
#ifndef ZL_STORE_MIGRATE_H
#define ZL_STORE_MIGRATE_H

#include "core/err.h"
#include "db/db.h"

/* The version this program needs: the number of the last migration. */
int zl_store_schema_latest(void);

/*
 * How many migrations the program has.  Versions ascend but may skip a
 * number (one left free for another branch), so this can be less than
 * zl_store_schema_latest().
 */
int zl_store_migrations_count(void);

/*
 * Apply every migration not yet applied.  `applied` (may be NULL) receives
 * how many were applied by this call (0 when the schema was current).
 * Must not be called inside a transaction.  On failure the failing
 * migration is rolled back (earlier ones stay applied) and `err` names it.
 */
int zl_store_migrate(struct zl_db *db, int *applied, struct zl_error *err);

/*
 * zl_store_migrate() stopping after migration `target` (tests of a later
 * migration start from the schema before it).  The same contract otherwise.
 */
int zl_store_migrate_to(struct zl_db *db, int target, int *applied, struct zl_error *err);

/* The highest applied migration, 0 for an empty database.  Read-only. */
int zl_store_schema_version(struct zl_db *db, int *version, struct zl_error *err);

/* How many migrations the program has that the database lacks.  Read-only. */
int zl_store_migrations_pending(struct zl_db *db, int *n, struct zl_error *err);

/*
 * Refresh the query planner's statistics of every table (ANALYZE): after a
 * bulk import, and when the server starts.  Without them SQLite guesses,
 * e.g. walks the 90% of the register that is "operating" to find the 2%
 * holding a certification.  On SQLite each index is sampled (at most 1000
 * rows: analysis_limit), so it takes a fraction of a second at ten million
 * enterprises; PostgreSQL samples by itself.  Outside a transaction;
 * ZL_EDB with the database's message.
 */
int zl_store_analyze(struct zl_db *db, struct zl_error *err);

#endif /* ZL_STORE_MIGRATE_H */
