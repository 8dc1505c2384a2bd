/*
 * audit.h - the hash chain of the audit trail, as pure functions.
 *
 * One audit row is serialised canonically as eleven netstrings, in column
 * order: seq, at, actor, org, action, target, before_digest, after_digest,
 * request_id, detail, prev_hash.  A netstring is the decimal byte length,
 * ':', the bytes, ',' ("5:hello,"; the empty string is "0:,"); seq is
 * written in decimal without leading zeros.  Because every field carries
 * its length, no two different rows serialise to the same bytes.
 *
 *   row_hash = lowercase hex of SHA-256(canonical(row))
 *
 * and prev_hash is the previous row's row_hash (ZL_AUDIT_GENESIS, 64 '0',
 * for row 1), so altering, removing or reordering a row breaks every link
 * after it.  docs/audit.md gives the same definition for auditors who
 * re-verify the chain with their own tools.
 *
 * Pure: no I/O, no clock; SHA-256 is libsodium's crypto_hash_sha256.
 */
#ifndef ZL_DOMAIN_AUDIT_H
#define ZL_DOMAIN_AUDIT_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/err.h"

/* Length of a SHA-256 digest in hex, without the NUL. */
#define ZL_SHA256_HEX_LEN 64

/* prev_hash of the first row. */
#define ZL_AUDIT_GENESIS "0000000000000000000000000000000000000000000000000000000000000000"

/*
 * The hashed content of one row.  Every string is borrowed and must be
 * non-NULL (use "" for an empty field).
 */
struct zl_audit_fields {
	int64_t seq;
	const char *at;
	const char *actor;
	const char *org;
	const char *action;
	const char *target;
	const char *before_digest;
	const char *after_digest;
	const char *request_id;
	const char *detail;
	const char *prev_hash;
};

/*
 * Lowercase hex SHA-256 of `n` bytes at `p` into `out` (64 digits + NUL).
 * Used for the before/after digests of JSON texts.  Cannot fail.
 */
void zl_sha256_hex(const void *p, size_t n, char out[ZL_SHA256_HEX_LEN + 1]);

/*
 * Append the canonical serialisation of `f` to `out`.  Returns ZL_OK or
 * the buffer's error (ZL_ENOMEM / ZL_ETOOBIG).  For tests, tools and docs:
 * zl_audit_row_hash() hashes the same bytes without building them.
 */
int zl_audit_canonical(const struct zl_audit_fields *f, struct zl_buf *out);

/*
 * row_hash of `f` (hex SHA-256 of its canonical form) into `out`
 * (64 digits + NUL).  Streams the fields through the hash: no allocation,
 * cannot fail.
 */
void zl_audit_row_hash(const struct zl_audit_fields *f, char out[ZL_SHA256_HEX_LEN + 1]);

/* 1 when `s` is exactly 64 lowercase hex digits, else 0. */
int zl_audit_is_hash(const char *s);

#endif /* ZL_DOMAIN_AUDIT_H */
