/*
 * auth.h - the one enforcement point of authorization (docs/permissions.md).
 *
 * server.c calls zl_auth_request() for every request that matched a route,
 * after routing and before the handler.  It:
 *   1. resolves the caller into req->principal: an API token from
 *      "Authorization: Bearer zlt_<64 hex>", else the session cookie
 *      zl_session, else anonymous.  A malformed, unknown, expired or
 *      revoked credential is simply anonymous, so public routes keep working;
 *   2. applies the rate limits: login attempts (POST /api/v1/session) per
 *      address, and anonymous requests to /api/ routes per address; 429 with
 *      a Retry-After header when a bucket is empty;
 *   3. requires X-CSRF-Token equal to the session's CSRF token on POST, PUT,
 *      PATCH and DELETE authenticated by the cookie (not for API tokens, not
 *      for the login route itself);
 *   4. resolves the route's target organization (ORG_SCOPE) to its
 *      materialised path and asks zl_authz_check().
 * Handlers then trust req->principal and never re-check the route's
 * permission.  Lists with scope "none" filter with req->principal.org_path.
 */
#ifndef ZL_HTTP_AUTH_H
#define ZL_HTTP_AUTH_H

#include <stdint.h>

#include "http/http.h"

/* Name of the session cookie and of the CSRF header. */
#define ZL_SESSION_COOKIE "zl_session"
#define ZL_CSRF_HEADER "X-CSRF-Token"

/*
 * Authorize `req` for its route (req->route >= 0).  Returns ZL_OK, or an
 * error in `err` that the caller renders with zl_http_error(): ZL_EUNAUTH
 * (401), ZL_EFORBIDDEN (403: permission, subtree or CSRF), ZL_ERATE (429;
 * a Retry-After header has been added to `resp`), ZL_EINVAL / ZL_EUNPROC
 * (a "body:" scope whose body is not JSON or lacks the member), ZL_EUNAVAIL
 * or ZL_EDB (the database was needed and failed).  Fills req->principal in
 * every case (anonymous on failure to resolve).
 */
int zl_auth_request(struct zl_req *req, struct zl_resp *resp, struct zl_error *err);

/*
 * The stored form of the secrets: SHA-256 as 64 lowercase hex digits of the
 * session cookie's text (64 hex) and of the whole API token ("zlt_" + 64
 * hex).  The login and token handlers store what these compute.
 */
void zl_auth_secret_hash(const char *secret, char out[65]);

/* Monotonic milliseconds, the clock of the rate limiters. */
int64_t zl_auth_now_ms(void);

#endif /* ZL_HTTP_AUTH_H */
