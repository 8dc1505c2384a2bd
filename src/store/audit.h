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

struct zl_audit_entry {
	const char *at;            /* RFC 3339 UTC with microseconds; NULL = now */
	const char *actor;         /* username, "token:ID", or "cli:USER" */
	const char *org;           /* the actor's organization code, or "" */
	const char *action;        /* "user.create", "org.update", "session.login", ... */
	const char *target;        /* what was changed: "user:zhang", "org:410100" */
	const char *before_digest; /* SHA-256 hex of the canonical JSON before, or "" */
	const char *after_digest;  /* ... after, or "" */
	const char *request_id;    /* X-Request-Id, or "" for commands */
	const char *detail;        /* short human-readable note (no secrets), or "" */
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
	int64_t rows;        /* rows checked */
	int64_t first_bad;   /* seq of the first broken row, 0 when intact */
	char reason[128];    /* "row_hash mismatch", "gap: expected seq 7", ... */
};

/* Walk the whole chain in seq order.  Returns ZL_OK (check first_bad) or a db error. */
int zl_store_audit_verify(struct zl_db *db, struct zl_audit_verify_result *r,
			  struct zl_error *err);

#endif /* ZL_STORE_AUDIT_H */
