/*
 * users.h - user accounts (table `users`): one role held in one
 * organization per account.  Accounts are never erased (the audit trail
 * names them): they are disabled, which also ends their sessions.
 *
 * Usernames are 3-32 characters of [a-z0-9._-] (lower case; callers fold
 * nothing: an upper-case name is invalid).  The password hash is an
 * argon2id string from core/password.h and never leaves the store except
 * through zl_store_user_get() for login.  Times are RFC 3339 UTC text.
 */
#ifndef ZL_STORE_USERS_H
#define ZL_STORE_USERS_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "core/password.h"
#include "db/db.h"
#include "store/orgs.h"
#include "domain/authz.h"

#define ZL_USERNAME_MAX 33	/* 32 characters and the NUL */
#define ZL_DISPLAY_NAME_MAX 256 /* bytes with the NUL (64 characters of CJK fit) */

struct zl_user {
	char username[ZL_USERNAME_MAX];
	char display_name[ZL_DISPLAY_NAME_MAX];
	char org[ZL_ORG_CODE_MAX];
	char org_name[ZL_ORG_NAME_MAX]; /* current name of the organization, "" if none */
	char org_kind[32];
	char org_path[ZL_ORG_PATH_MAX]; /* "" when the organization has no current row */
	char role[16];
	int disabled;
	char created_at[32];
	char updated_at[32];
	char password_changed_at[32];
	char password_hash[ZL_PASSWORD_HASH_MAX]; /* filled by zl_store_user_get only */
};

/* ZL_OK when `s` is a valid username, else ZL_EUNPROC with field "username". */
int zl_username_valid(const char *s, struct zl_error *err);

/*
 * Create an account.  `org` must be the code of an organization with a
 * current row (else ZL_EUNPROC, field "org"); `role` a role name from
 * domain/authz.h other than anonymous (ZL_EUNPROC, field "role");
 * `display_name` may be NULL ("") and is at most 64 characters.
 * ZL_ECONFLICT (field "username") when the name is taken.
 */
int zl_store_user_create(struct zl_db *db, const char *username, const char *password_hash,
			 const char *org, const char *role, const char *display_name,
			 struct zl_error *err);

/* Fill `out` (with the hash and org facts); ZL_ENOTFOUND when there is no such account. */
int zl_store_user_get(struct zl_db *db, const char *username, struct zl_user *out,
		      struct zl_error *err);

/*
 * The materialised path of the user's organization into path[n];
 * ZL_ENOTFOUND when there is no such user or its organization has no
 * current row.
 */
int zl_store_user_org_path(struct zl_db *db, const char *username, char *path, size_t n,
			   struct zl_error *err);

struct zl_user_filter {
	const char *org_path; /* only users whose organization is in this subtree; required */
	const char *org;      /* NULL/"": any; else the subtree of this org code */
	const char *role;     /* NULL/"": any */
	const char *q;	      /* NULL/"": any; else a fragment of username or display name */
	int disabled;	      /* -1 any, 0 enabled only, 1 disabled only */
	const char *after;    /* cursor: usernames after this one ("" first page) */
	int limit;	      /* rows to return at most; <= 0: all */
};

/* Called for each row of a list (the hash is not filled); non-zero stops with that code. */
typedef int zl_user_row_fn(void *cls, const struct zl_user *u);

/*
 * Users matching `f`, ordered by username, after `f->after`, at most
 * `f->limit`; `*total` (may be NULL) receives the exact count of all rows
 * matching the filters (cursor ignored).  `fn` NULL: only count.
 */
int zl_store_user_list(struct zl_db *db, const struct zl_user_filter *f, zl_user_row_fn *fn,
		       void *cls, int64_t *total, struct zl_error *err);

struct zl_user_update {
	const char *display_name;  /* NULL: unchanged */
	const char *role;	   /* NULL: unchanged */
	const char *org;	   /* NULL: unchanged; must have a current row */
	int disabled;		   /* -1: unchanged */
	const char *password_hash; /* NULL: unchanged; sets password_changed_at */
};

/* Apply `u`; ZL_ENOTFOUND when no such account, ZL_EUNPROC for a bad role/org. */
int zl_store_user_update(struct zl_db *db, const char *username, const struct zl_user_update *u,
			 struct zl_error *err);

/* Disable the account and delete all its sessions; ZL_ENOTFOUND when no such account. */
int zl_store_user_disable(struct zl_db *db, const char *username, struct zl_error *err);

#endif /* ZL_STORE_USERS_H */
