/*
 * identity.h - what the identity handlers (session.c, users.c, tokens.c)
 * share: the JSON shapes of a user and of "me", and small helpers.
 * Internal to http/.
 */
#ifndef ZL_HTTP_IDENTITY_H
#define ZL_HTTP_IDENTITY_H

#include "core/jw.h"
#include "http/http.h"
#include "store/users.h"

/*
 * <user> = {"username","display_name","org","org_name","role","disabled",
 * "created_at","updated_at"} (never the hash).
 */
void zl_user_write_json(struct zl_jw *w, const struct zl_user *u);
/* The same as a NUL-terminated text in req->arena (for audit digests); NULL on OOM. */
char *zl_user_json_text(struct zl_req *req, const struct zl_user *u);

/*
 * <me> = {"username","display_name","org":{"code","name","kind"},"role",
 * "permissions":[...],"csrf_token"} for a user principal, from `u`.
 */
void zl_me_write_json(struct zl_jw *w, const struct zl_principal *p, const struct zl_user *u);

/* Lower-case hex of n random bytes into out (2n+1 bytes). */
void zl_random_hex(char *out, size_t nbytes);

#endif /* ZL_HTTP_IDENTITY_H */
