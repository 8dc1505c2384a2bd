/*
 * tokens.h - API tokens for system-to-system use (table `api_tokens`).
 *
 * A token is shown once at creation ("zlt_" + 64 hex); only the SHA-256
 * hex of the whole token text is stored.  It is scoped to an organization
 * (and its subtree) and a permission list (names from domain/perms.def,
 * stored comma-separated), may expire (Unix seconds) and is revoked, never
 * deleted.  The token's id (16 hex) names it in lists, URLs and the audit
 * trail ("token:ID").
 */
#ifndef ZL_STORE_TOKENS_H
#define ZL_STORE_TOKENS_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "db/db.h"
#include "domain/authz.h"

#define ZL_TOKEN_ID_MAX 33
#define ZL_TOKEN_NAME_MAX 256

struct zl_token {
	char id[ZL_TOKEN_ID_MAX];
	char name[ZL_TOKEN_NAME_MAX];
	char org[ZL_ORG_CODE_MAX];
	char org_path[ZL_ORG_PATH_MAX]; /* "" when the org has no current row */
	char perms[512];		/* "org.read,user.read" */
	char created_by[ZL_NAME_MAX];
	char created_at[32];
	int64_t expires_at;  /* Unix seconds, 0 = never */
	char revoked_at[32]; /* "" while valid */
	char last_used_at[32];
};

/*
 * Store a token.  `perms` is a zl_permset_format() text; `expires_at` 0
 * means never.  `org` must have a current row (ZL_EUNPROC, field "org");
 * `name` 1..100 bytes (ZL_EUNPROC, field "name").  ZL_ECONFLICT on a
 * duplicate id or hash.
 */
int zl_store_token_create(struct zl_db *db, const char *id, const char *token_hash_hex,
			  const char *name, const char *org, const char *perms,
			  const char *created_by, int64_t expires_at, struct zl_error *err);

/* One token by id; ZL_ENOTFOUND when there is none. */
int zl_store_token_get(struct zl_db *db, const char *id, struct zl_token *out,
		       struct zl_error *err);

typedef int zl_token_row_fn(void *cls, const struct zl_token *t);

/*
 * Tokens whose organization lies in the subtree `org_path`, ordered by id,
 * after `after` ("" first page), at most `limit` (<= 0 all), revoked ones
 * included; `*total` (may be NULL) counts all matching rows; `fn` NULL: only count.
 */
int zl_store_token_list(struct zl_db *db, const char *org_path, const char *after, int limit,
			zl_token_row_fn *fn, void *cls, int64_t *total, struct zl_error *err);

/* Revoke (sets revoked_at = now); ZL_ENOTFOUND when no such token or already revoked. */
int zl_store_token_revoke(struct zl_db *db, const char *id, struct zl_error *err);

/*
 * The principal of a valid token: kind TOKEN, name = id, org, org_path,
 * role NONE, perms = the token's permissions plus public and
 * authenticated, csrf "".  ZL_EUNAUTH when unknown, revoked, expired
 * (now >= expires_at) or its organization has no current row.
 */
int zl_store_token_principal(struct zl_db *db, const char *token_hash_hex, int64_t now_unix,
			     struct zl_principal *out, struct zl_error *err);

/* The org path of token `id` into path[n]; ZL_ENOTFOUND when there is no such token. */
int zl_store_token_org_path(struct zl_db *db, const char *id, char *path, size_t n,
			    struct zl_error *err);

#endif /* ZL_STORE_TOKENS_H */
