/*
 * err.h - the one error type of Zhiliang and its mapping to HTTP.
 *
 * Every fallible function returns an `int` that is ZL_OK (0) or a negative
 * `enum zl_err` value, and may fill a caller-owned `struct zl_error` with a
 * human-readable message and the name of the offending field or row.  The
 * HTTP layer turns a struct zl_error into a status and the JSON body
 * {"error":{"code":"...","message":"...","field":"..."}} with
 * zl_err_http_status() and zl_error_write_json(); nothing else maps errors.
 */
#ifndef ZL_CORE_ERR_H
#define ZL_CORE_ERR_H

#include <stdarg.h>

enum zl_err {
	ZL_OK = 0,
	ZL_EINVAL = -1,	    /* malformed input: 400 bad_request */
	ZL_EUNAUTH = -2,    /* no or bad credentials: 401 unauthorized */
	ZL_EFORBIDDEN = -3, /* authenticated, not allowed: 403 forbidden */
	ZL_ENOTFOUND = -4,  /* 404 not_found */
	ZL_EMETHOD = -5,    /* 405 method_not_allowed */
	ZL_ECONFLICT = -6,  /* 409 conflict (duplicate key, stale version) */
	ZL_ETOOBIG = -7,    /* 413 payload_too_large, or a buffer cap hit */
	ZL_EMEDIA = -8,	    /* 415 unsupported_media_type */
	ZL_EUNPROC = -9,    /* 422 unprocessable: well-formed but invalid value */
	ZL_ERATE = -10,	    /* 429 too_many_requests */
	ZL_ENOMEM = -11,    /* 500 out of memory */
	ZL_EIO = -12,	    /* 500 file or socket I/O failed */
	ZL_EDB = -13,	    /* 500 database error */
	ZL_EINTERNAL = -14, /* 500 a bug: an invariant did not hold */
	ZL_EUNAVAIL = -15,  /* 503 dependency (database) unavailable */
};

#define ZL_ERR_FIELD_MAX 64
#define ZL_ERR_MSG_MAX 256

/*
 * The details of a failure.  Caller-owned, usually on the stack; no heap.
 * `code` is ZL_OK when nothing failed.  `field` names the JSON field, query
 * parameter, CLI argument or "row N, column X" the error is about, or is "".
 */
struct zl_error {
	enum zl_err code;
	char field[ZL_ERR_FIELD_MAX];
	char message[ZL_ERR_MSG_MAX];
};

#define ZL_ERROR_INIT                                                                              \
	{                                                                                          \
		ZL_OK, "", ""                                                                      \
	}

/* Reset `e` to "no error". */
void zl_error_clear(struct zl_error *e);

/*
 * Record an error: sets e->code, copies `field` (NULL means "") and formats
 * the message (truncated to fit).  `e` may be NULL, in which case only the
 * code is returned.  Returns `code`, so `return zl_error_set(e, ...)` works.
 */
int zl_error_set(struct zl_error *e, enum zl_err code, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
int zl_error_setv(struct zl_error *e, enum zl_err code, const char *field, const char *fmt,
		  va_list ap) __attribute__((format(printf, 4, 0)));

/* HTTP status for a code (ZL_OK -> 200; unknown -> 500). */
int zl_err_http_status(enum zl_err code);

/* Stable machine-readable name: "bad_request", "not_found", ... ("ok"). */
const char *zl_err_name(enum zl_err code);

struct zl_jw;
/*
 * Write {"error":{"code":"...","message":"...","field":"..."}} to `w`.
 * "field" is omitted when empty.  For 5xx codes the message is replaced by
 * a generic one unless `expose_internal` is set, so internals never leak.
 */
void zl_error_write_json(const struct zl_error *e, struct zl_jw *w, int expose_internal);

#endif /* ZL_CORE_ERR_H */
