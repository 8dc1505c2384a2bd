/*
 * cookie.h - reading credentials out of request headers: one cookie from a
 * Cookie header (RFC 6265 section 4.2, parsed leniently as browsers send
 * it) and the token of an "Authorization: Bearer ..." header (RFC 6750),
 * plus the shape checks of Zhiliang's two secrets.
 *
 * Pure functions on strings, no libmicrohttpd: http/auth.c calls them with
 * header values, the unit tests and the fuzz target with anything.
 */
#ifndef ZL_HTTP_COOKIE_H
#define ZL_HTTP_COOKIE_H

#include <stddef.h>

#include "core/err.h"

/* Longest cookie value / bearer token accepted, in bytes. */
#define ZL_CREDENTIAL_MAX 256

/*
 * Find the cookie `name` in the Cookie header value `header` (may be NULL)
 * and copy its value to out[0..n) (NUL-terminated).  Pairs are separated by
 * ';' with optional spaces or tabs around names and values; a value may be
 * wrapped in double quotes, which are removed.  Pairs without '=' are
 * skipped.  When the name occurs more than once the FIRST occurrence wins
 * (browsers send the most specific path first).  Returns ZL_OK;
 * ZL_ENOTFOUND when the cookie is absent; ZL_EINVAL when the first
 * occurrence has a value with characters outside RFC 6265 cookie-octets
 * (controls, space, '"', ',', ';', '\') or an unbalanced quote; ZL_ETOOBIG
 * when the value does not fit in `n` bytes.  On failure out is "".
 */
int zl_cookie_get(const char *header, const char *name, char *out, size_t n);

/*
 * The credentials of an Authorization header value (may be NULL): the
 * scheme "Bearer" (any case), one or more spaces, then a token68 (letters,
 * digits, "-._~+/" then optional '=' padding), nothing after but spaces.
 * Copies the token to out[0..n).  Returns ZL_OK; ZL_ENOTFOUND when the
 * header is absent or uses another scheme (Basic, ...); ZL_EINVAL when it
 * says Bearer but the token is missing or malformed; ZL_ETOOBIG when the
 * token does not fit.  On failure out is "".
 */
int zl_bearer_get(const char *header, char *out, size_t n);

/* True when `s` is exactly 64 lowercase hex digits (a session token). */
int zl_is_hex64(const char *s);
/* True when `s` is "zlt_" followed by 64 lowercase hex digits (an API token). */
int zl_is_api_token(const char *s);

#endif /* ZL_HTTP_COOKIE_H */
