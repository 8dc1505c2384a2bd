/*
 * enterprises.h - the enterprise register (issue 4): one record per
 * enterprise keyed by its USCC, with history, former names, certifications
 * and awards, the name-fragment index and the change feed.
 *
 * Writes run inside the caller's transaction (zl_db_begin): an import
 * commits a whole file at once, a request commits a record and its audit
 * row together.  Each write that changes a record bumps `version`, stores
 * the JSON snapshot of the version it supersedes in enterprise_versions
 * (the current version is the enterprises row itself, with updated_at and
 * updated_by), records a former name when the name changed, indexes the
 * grams of a new name (store/enterprise_index.h; the old name's grams stay)
 * and appends a row to enterprise_changes.  A new record gets the next
 * enterprise id (eid, never reused).  A write that changes nothing changes
 * nothing (re-importing a file is idempotent).
 */
#ifndef ZL_STORE_ENTERPRISES_H
#define ZL_STORE_ENTERPRISES_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "db/db.h"
#include "domain/enterprise.h"

/* struct zl_enterprise and its validation: domain/enterprise.h. */

enum zl_upsert_outcome { ZL_UPSERT_UNCHANGED = 0, ZL_UPSERT_INSERTED, ZL_UPSERT_UPDATED };

/*
 * Insert or update one record (by e->uscc) inside the caller's transaction.
 * `actor` names who changed it (username, "import:FILE", "demo").  The
 * record must already be validated (http/cli layers validate; see
 * domain/enterprise.h).  `outcome` (may be NULL) says what happened.
 */
int zl_store_enterprise_upsert(struct zl_db *db, const struct zl_enterprise *e, const char *actor,
			       enum zl_upsert_outcome *outcome, struct zl_error *err);

/*
 * State of a bulk writer (an import): the postings of new and changed
 * names go into `grams` instead of delta rows, and new records take ids
 * from `next_eid` (0: the store reads max(eid) + 1 at the first insert and
 * keeps counting here).  The caller flushes `grams` with
 * zl_store_index_flush() (store/enterprise_index.h) before it commits.
 * `grams` NULL: delta rows, as without a bulk writer.
 *
 * Change rows are numbered from `next_seq` the same way (0: max(seq) + 1
 * read at the first write, then counted here), without a query per row.
 * While such a counter is live, every change row of the transaction must
 * be written through this writer (zl_store_enterprise_upsert_bulk(),
 * zl_store_enterprise_former_name_add_bulk()): a single write in between
 * would take a number the counter hands out again.  A writer that shares
 * its transaction with single writes (certifications, awards) sets
 * next_seq = -1: each change row is then numbered max + 1 as it is
 * written.  On PostgreSQL the first write takes the change feed's advisory
 * transaction lock and so holds it to the commit: concurrent writers wait
 * instead of reusing numbers.
 *
 * The rest is per transaction, set by the store at the first write
 * (`started`): the time all records of the transaction are stamped with,
 * and the highest key in the table, above which a key needs no lookup
 * (with next_seq >= 0 only; keys in ascending order, as an import writes
 * them, then cost no read).  Before reusing a writer in another
 * transaction set started = 0 (and next_seq = 0 unless nobody else can
 * have written in between).
 *
 * `on_name`, when set, receives every name the writer would add to
 * `grams` (a new record's name, a changed name, a new former name) with
 * its record's id, in the order written, instead of the builder: the
 * import hands them to a thread of its own (store/import.c).  It returns
 * ZL_OK or an error (ZL_ENOMEM), which fails the write; `name` is valid
 * only during the call.
 */
struct zl_gram_builder;
typedef int zl_ent_name_fn(void *cls, int64_t eid, const char *name);
struct zl_ent_bulk {
	struct zl_gram_builder *grams;
	zl_ent_name_fn *on_name;
	void *on_name_cls;
	int64_t next_eid;
	/* The next change number to give (0: MAX(seq) + 1 of enterprise_changes at the
	 * first write; -1: no counter, every change row reads MAX + 1); the chunk
	 * writer (store/enterprise_chunk.h) leaves it one past its last change row. */
	int64_t next_seq;
	/* Set by the store: */
	int started;
	int64_t now_us;
	char now[32];		     /* now_us as RFC 3339 */
	char hi_key[ZL_ENT_KEY_MAX]; /* no record has a key above ("" : none at all) */
	int hi_valid;		     /* hi_key is used */
	/* The statements of a new record and its change row, prepared at the first use
	 * (they belong to the connection's cache: no need to release them). */
	struct zl_stmt *st_insert, *st_change;
};

/*
 * Start a bulk writer in the caller's transaction now rather than at its
 * first write (what that write would do: the lock on PostgreSQL, the
 * counters, the time, the highest key), so the caller can see hi_key
 * before it writes.  A no-op once started.  ZL_EINTERNAL outside a
 * transaction, or the database's error.
 */
int zl_store_enterprise_bulk_begin(struct zl_db *db, struct zl_ent_bulk *bulk,
				   struct zl_error *err);

/*
 * zl_store_enterprise_upsert() for bulk writers.  Records passed in
 * ascending uscc order write fastest (B-tree pages stay hot).  bulk NULL:
 * exactly zl_store_enterprise_upsert().
 */
int zl_store_enterprise_upsert_bulk(struct zl_db *db, const struct zl_enterprise *e,
				    const char *actor, struct zl_ent_bulk *bulk,
				    enum zl_upsert_outcome *outcome, struct zl_error *err);

/* One record by key; ZL_ENOTFOUND when absent. */
int zl_store_enterprise_get(struct zl_db *db, const char *uscc, struct zl_enterprise *out,
			    struct zl_error *err);

/* The lists of a record, as bits for zl_store_enterprise_lookup(). */
#define ZL_ENT_LIST_FORMER 0x01u   /* former names */
#define ZL_ENT_LIST_CERTS 0x02u	   /* certifications */
#define ZL_ENT_LIST_AWARDS 0x04u   /* brands and awards */
#define ZL_ENT_LIST_CREDIT 0x08u   /* credit events, of any visibility (store/credit.h) */
#define ZL_ENT_LIST_VERSIONS 0x10u /* stored snapshots of superseded versions */
#define ZL_ENT_LIST_ALL 0x1fu

/*
 * zl_store_enterprise_get() that also tells, in the same statement, which
 * of the lists named by the bits of `want` hold at least one row of the
 * record: *has gets those bits (0 when the record is absent).  A lookup
 * then runs no statement for an empty list (most records have none).  The
 * answer is exact for the snapshot it is read in: read the lists in the
 * same transaction (zl_db_begin_read).  A list with rows may still yield
 * none through a filter (public credit events).  ZL_ENOTFOUND when absent.
 */
int zl_store_enterprise_lookup(struct zl_db *db, const char *uscc, unsigned want,
			       struct zl_enterprise *out, unsigned *has, struct zl_error *err);

/* ---- additions by the register (issue 4) ------------------------------- */

/* A former name and the day it was given up (valid_to, YYYY-MM-DD). */
struct zl_ent_former_name {
	char name[256];
	char valid_to[16];
};

/* One certification (kind from zl_enterprise_cert_kind()), dated. */
struct zl_ent_cert {
	char kind[32];
	char number[64]; /* certificate number; "" when unknown (one per kind then) */
	char issuer[128];
	char valid_from[16];
	char valid_to[16];
	char status[16]; /* valid | suspended | revoked | expired */
};

/* One brand / award (kind from zl_enterprise_award_kind()), dated. */
struct zl_ent_award {
	char kind[32];
	char name[256]; /* the product or mark honoured, e.g. "宇通牌客车" */
	char awarded_on[16];
	char valid_to[16];
};

/* One row of the change feed. */
struct zl_ent_change {
	int64_t seq;
	char uscc[ZL_ENT_KEY_MAX];
	char op[16]; /* insert | update | certs | awards | names | credit */
	char at[32];
};

/* One version of a record; data (its JSON snapshot) is valid during the callback only. */
struct zl_ent_version {
	int64_t version;
	char changed_at[32];
	char changed_by[128];
	const char *data;
};

/* Row callbacks: return ZL_OK to go on, anything else stops and is returned. */
typedef int zl_ent_former_fn(void *cls, const struct zl_ent_former_name *f);
typedef int zl_ent_cert_fn(void *cls, const struct zl_ent_cert *c);
typedef int zl_ent_award_fn(void *cls, const struct zl_ent_award *a);
typedef int zl_ent_change_fn(void *cls, const struct zl_ent_change *c);
typedef int zl_ent_version_fn(void *cls, const struct zl_ent_version *v);

/* Former names of `uscc`, most recently given up first. */
int zl_store_enterprise_former_names(struct zl_db *db, const char *uscc, zl_ent_former_fn *fn,
				     void *cls, struct zl_error *err);

/*
 * Record `name` as a former name of `uscc` (given up on valid_to,
 * YYYY-MM-DD) inside the caller's transaction and index its grams (delta
 * rows), for importers with a 曾用名 column and the demo data.  Idempotent: an
 * existing (uscc, name) row is left alone (*added = 0).  The enterprise
 * must exist (ZL_ENOTFOUND).  A change row ("names") is appended when added.
 */
int zl_store_enterprise_former_name_add(struct zl_db *db, const char *uscc, const char *name,
					const char *valid_to, int *added, struct zl_error *err);
/*
 * The same for a bulk writer: the change row takes its number from the
 * writer's counter and the name's grams go into bulk->grams (flushed by
 * the caller) instead of delta rows.  bulk NULL: exactly
 * zl_store_enterprise_former_name_add().
 */
struct zl_ent_bulk;
int zl_store_enterprise_former_name_add_bulk(struct zl_db *db, const char *uscc, const char *name,
					     const char *valid_to, struct zl_ent_bulk *bulk,
					     int *added, struct zl_error *err);

/*
 * Versions of `uscc`, newest first: the current one (from the enterprises
 * row: updated_at, updated_by, and the record's JSON as data), then the
 * stored snapshots of the versions it superseded.  with_data = 0 leaves
 * v->data "".  An unknown uscc has no versions (ZL_OK, no call).
 */
int zl_store_enterprise_versions(struct zl_db *db, const char *uscc, int with_data,
				 zl_ent_version_fn *fn, void *cls, struct zl_error *err);
/*
 * The same for a record the caller has read (zl_store_enterprise_get or
 * _lookup, in the same transaction), without reading its row again.
 * stored = 0 skips the query of superseded versions (the caller knows
 * there are none: ZL_ENT_LIST_VERSIONS not in *has of the lookup).
 */
int zl_store_enterprise_versions_of(struct zl_db *db, const struct zl_enterprise *cur,
				    int stored, int with_data, zl_ent_version_fn *fn, void *cls,
				    struct zl_error *err);

/*
 * Insert or replace the certification (uscc, kind, number) / award
 * (uscc, kind, name) inside the caller's transaction, and append a change
 * row ("certs" / "awards") when something changed.  The enterprise must
 * exist (ZL_ENOTFOUND); kind and dates are validated (ZL_EUNPROC, field
 * named).  `changed` (may be NULL) is set to 1 when a row was written.
 */
int zl_store_enterprise_cert_put(struct zl_db *db, const char *uscc, const struct zl_ent_cert *c,
				 int *changed, struct zl_error *err);
int zl_store_enterprise_award_put(struct zl_db *db, const char *uscc, const struct zl_ent_award *a,
				  int *changed, struct zl_error *err);
/* Remove one certification / award (ZL_ENOTFOUND when absent); appends a change row. */
int zl_store_enterprise_cert_delete(struct zl_db *db, const char *uscc, const char *kind,
				    const char *number, struct zl_error *err);
int zl_store_enterprise_award_delete(struct zl_db *db, const char *uscc, const char *kind,
				     const char *name, struct zl_error *err);
/* Certifications ordered by kind, valid_from; awards by awarded_on (newest first). */
int zl_store_enterprise_certs(struct zl_db *db, const char *uscc, zl_ent_cert_fn *fn, void *cls,
			      struct zl_error *err);
int zl_store_enterprise_awards(struct zl_db *db, const char *uscc, zl_ent_award_fn *fn, void *cls,
			       struct zl_error *err);

/*
 * The change feed: rows with seq > since, in seq order, at most `limit`
 * (1..10000).  *last (may be NULL) is set to the seq of the last row given,
 * or to `since` when none.
 */
int zl_store_enterprise_changes(struct zl_db *db, int64_t since, int limit, zl_ent_change_fn *fn,
				void *cls, int64_t *last, struct zl_error *err);

/* The number of the latest change (0 when there is none): where "follow from now" starts. */
int zl_store_enterprise_changes_head(struct zl_db *db, int64_t *seq, struct zl_error *err);

/* Append one change row (seq = MAX + 1) inside the caller's transaction; for other writers. */
int zl_store_enterprise_change_append(struct zl_db *db, const char *uscc, const char *op,
				      int64_t *seq_out, struct zl_error *err);

/* Write the JSON object of a record (the version snapshot and API form) with `w`. */
struct zl_jw;
void zl_store_enterprise_json(struct zl_jw *w, const struct zl_enterprise *e);
/* The same members without the braces, to extend the object (the API's detail). */
void zl_store_enterprise_json_members(struct zl_jw *w, const struct zl_enterprise *e);

#endif /* ZL_STORE_ENTERPRISES_H */
