/*
 * password.h - password hashing (argon2id, libsodium) and the password
 * policy every new or changed password must pass.
 *
 * Hashes are libsodium's self-describing strings
 * ("$argon2id$v=19$m=32768,t=3,p=1$salt$hash"), so the parameters travel
 * with each hash and a cost change needs no migration:
 * zl_password_needs_rehash() tells the login code to store a fresh hash.
 *
 * Cost (measured on the 2-core build machine, libsodium 1.0.18, see
 * docs/security.md / the identity report):
 *   ZL_PWCOST_STANDARD  argon2id t=3, m=32 MiB, p=1: ~62 ms to hash or
 *                       verify.  Above the OWASP minimum (t=2, m=19 MiB),
 *                       keeps a login under ~100 ms, and two concurrent
 *                       logins per core stay within 64 MiB each.
 *                       (libsodium's INTERACTIVE, t=2 m=64 MiB, costs
 *                       ~100 ms here; MODERATE, m=256 MiB, ~0.5 s.)
 *   ZL_PWCOST_FAST      t=1, m=8 MiB: ~5 ms.  For test suites only
 *                       (config key password_cost=fast).
 * Call zl_core_init() first (it starts libsodium).
 */
#ifndef ZL_CORE_PASSWORD_H
#define ZL_CORE_PASSWORD_H

#include <stddef.h>

#include "core/err.h"

#define ZL_PASSWORD_HASH_MAX 128 /* crypto_pwhash_STRBYTES, with the NUL */
#define ZL_PASSWORD_MIN_CHARS 10 /* UTF-8 characters */
#define ZL_PASSWORD_MAX_BYTES 256

enum zl_password_cost { ZL_PWCOST_STANDARD = 0, ZL_PWCOST_FAST };

/* "standard" | "fast" -> cost; ZL_EUNPROC for anything else. */
int zl_password_cost_parse(const char *s, enum zl_password_cost *out);

/*
 * Hash `pw` (NUL-terminated, at most ZL_PASSWORD_MAX_BYTES) with a random
 * salt at the standard cost into `out` (NUL-terminated).  Returns ZL_OK,
 * ZL_EUNPROC (field "password") when too long, ZL_ENOMEM when argon2's
 * memory cannot be allocated.  Does not apply the policy.
 */
int zl_password_hash(const char *pw, char out[ZL_PASSWORD_HASH_MAX], struct zl_error *err);
/* The same at a chosen cost. */
int zl_password_hash_cost(const char *pw, enum zl_password_cost cost,
			  char out[ZL_PASSWORD_HASH_MAX], struct zl_error *err);

/*
 * 1 when `pw` matches `hash`, 0 otherwise (wrong password, malformed or
 * empty hash, password longer than ZL_PASSWORD_MAX_BYTES).  Constant-time
 * in the comparison; the time is that of one hash at the hash's cost.
 */
int zl_password_verify(const char *hash, const char *pw);

/*
 * 1 when `hash` was not made at `cost` (or is not an argon2id hash), so a
 * successful login should store a new hash; 0 when it is current.
 */
int zl_password_needs_rehash(const char *hash, enum zl_password_cost cost);

/*
 * A fixed, valid hash at the standard cost of a password nobody knows:
 * login verifies against it when the user does not exist, so the answer
 * takes as long as for a real user.
 */
const char *zl_password_dummy_hash(void);

/*
 * The policy: at least ZL_PASSWORD_MIN_CHARS UTF-8 characters, at most
 * ZL_PASSWORD_MAX_BYTES bytes, valid UTF-8, not one of the most common
 * passwords (case-insensitive), not containing `username` (case-
 * insensitive; NULL or "" skips that rule).  Returns ZL_OK or ZL_EUNPROC
 * with field "password" and a message saying which rule failed.
 */
int zl_password_policy(const char *pw, const char *username, struct zl_error *err);

/* 1 when `pw` is in the common-password list (ASCII case-insensitive). */
int zl_password_is_common(const char *pw);
/* The list itself (sorted, lower-case, unique), for tests. */
size_t zl_password_common_count(void);
const char *zl_password_common_at(size_t i);

#endif /* ZL_CORE_PASSWORD_H */
