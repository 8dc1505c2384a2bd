/*
 * audit.h - the append-only, hash-chained audit trail.
 *
 * Every state-changing request and command appends one row, inside the
 * same transaction as the change it records, so a change and its audit
 * row commit or roll back together.  Rows are numbered 1, 2, 3, ... and
 * chained: row_hash = SHA-256(canonical(row) || prev_hash), hex; the first
 * row's prev_hash is 64 '0'.  The canonical form (domain/audit.h) is
 * length-prefixed fields in column order, so no two different rows
 * serialise the same.  zl_store_audit_verify() recomputes the chain and
 * names the first row that does not match: altered, deleted (a gap in
 * seq), inserted or reordered rows all break it.
 */
#ifndef ZL_STORE_AUDIT_H
#define ZL_STORE_AUDIT_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "db/db.h"
#include "domain/audit.h"

struct zl_audit_entry {
	const char *at;		   /* RFC 3339 UTC with microseconds; NULL = now */
	const char *actor;	   /* username, "token:ID", or "cli:USER" */
	const char *org;	   /* the actor's organization code, or "" */
	const char *action;	   /* "user.create", "org.update", "session.login", ... */
	const char *target;	   /* what was changed: "user:zhang", "org:410100" */
	const char *before_digest; /* SHA-256 hex of the canonical JSON before, or "" */
	const char *after_digest;  /* ... after, or "" */
	const char *request_id;	   /* X-Request-Id, or "" for commands */
	const char *detail;	   /* short human-readable note (no secrets), or "" */
};

/*
 * Append one row.  Must be called inside a transaction (zl_db_begin) so it
 * commits with the change; serialises concurrent writers (SQLite: the
 * write lock; PostgreSQL: an advisory transaction lock).  On success
 * `seq_out` (may be NULL) receives the row's number.
 */
int zl_store_audit_append(struct zl_db *db, const struct zl_audit_entry *e, int64_t *seq_out,
			  struct zl_error *err);

struct zl_audit_verify_result {
	int64_t rows;	   /* rows checked */
	int64_t first_bad; /* seq of the first broken row, 0 when intact */
	char reason[128];  /* "row_hash mismatch", "gap: expected seq 7", ... */
};

/* Walk the whole chain in seq order.  Returns ZL_OK (check first_bad) or a db error. */
int zl_store_audit_verify(struct zl_db *db, struct zl_audit_verify_result *r, struct zl_error *err);

/* ---- additions: reading the trail ----------------------------------- */

/*
 * The latest row: *seq (0 when the trail is empty) and its row_hash into
 * `hash` (ZL_AUDIT_GENESIS when empty).  Operators record this pair
 * outside the database (`zhiliang audit head`): the chain alone cannot
 * show that rows were cut off its end.  ZL_OK or a db error.
 */
int zl_store_audit_head(struct zl_db *db, int64_t *seq, char hash[ZL_SHA256_HEX_LEN + 1],
			struct zl_error *err);

/* row_hash of row `seq` into `hash`; ZL_ENOTFOUND when there is no such row. */
int zl_store_audit_hash_at(struct zl_db *db, int64_t seq, char hash[ZL_SHA256_HEX_LEN + 1],
			   struct zl_error *err);

/* One stored row, as read: fields, then its row_hash.  Strings are borrowed
 * and valid only during the callback. */
struct zl_audit_record {
	struct zl_audit_fields f;
	const char *row_hash;
};

/* Which rows to list or count.  NULL / 0 members do not filter. */
struct zl_audit_filter {
	const char *actor;	   /* exact actor */
	const char *action;	   /* exact action */
	const char *target_prefix; /* target starts with this (case-sensitive) */
	const char *from;	   /* at >= from; RFC 3339 UTC with microseconds
				    * (zl_time_format_rfc3339_us), as rows store it */
	const char *to;		   /* at < to; the same form */
	/*
	 * The caller's organization path ("/410000/410100/"; it must start and
	 * end with '/', else ZL_EINVAL): only rows whose organization's latest
	 * path starts with it.  Rows without an organization (commands,
	 * "cli:...") are shown only to a root path ("/410000/", one code).
	 * NULL: every row (operators' commands).
	 */
	const char *subtree_path;
	int64_t before_seq; /* cursor: only rows with seq < before_seq */
};

/* Called once per row; a non-zero return stops the walk and is returned. */
typedef int zl_audit_row_fn(void *arg, const struct zl_audit_record *r);

/*
 * The rows matching `flt`, newest first (seq descending), at most `limit`
 * (0: all), passed one by one to `fn`.  Reads in batches, so an export of
 * the whole trail holds only one batch in memory.  Returns ZL_OK, a db
 * error, or what `fn` returned.
 */
int zl_store_audit_list(struct zl_db *db, const struct zl_audit_filter *flt, int64_t limit,
			zl_audit_row_fn *fn, void *arg, struct zl_error *err);

/* Exact number of rows matching `flt` (before_seq ignored) into *total. */
int zl_store_audit_count(struct zl_db *db, const struct zl_audit_filter *flt, int64_t *total,
			 struct zl_error *err);

#endif /* ZL_STORE_AUDIT_H */
