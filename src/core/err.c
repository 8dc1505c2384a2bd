/*
 * err.c - filling a struct zl_error, and the one mapping from error codes to
 * HTTP statuses, stable code names and the JSON error body.
 */
#include "core/err.h"

#include <stdio.h>

#include "core/buf.h"
#include "core/jw.h"

void zl_error_clear(struct zl_error *e)
{
	if (!e)
		return;
	e->code = ZL_OK;
	e->field[0] = '\0';
	e->message[0] = '\0';
}

int zl_error_setv(struct zl_error *e, enum zl_err code, const char *field, const char *fmt,
		  va_list ap)
{
	if (!e)
		return code;
	e->code = code;
	zl_strlcpy(e->field, field ? field : "", sizeof(e->field));
	if (!fmt || vsnprintf(e->message, sizeof(e->message), fmt, ap) < 0)
		e->message[0] = '\0';
	return code;
}

int zl_error_set(struct zl_error *e, enum zl_err code, const char *field, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = zl_error_setv(e, code, field, fmt, ap);
	va_end(ap);
	return rc;
}

int zl_err_http_status(enum zl_err code)
{
	switch (code) {
	case ZL_OK:
		return 200;
	case ZL_EINVAL:
		return 400;
	case ZL_EUNAUTH:
		return 401;
	case ZL_EFORBIDDEN:
		return 403;
	case ZL_ENOTFOUND:
		return 404;
	case ZL_EMETHOD:
		return 405;
	case ZL_ECONFLICT:
		return 409;
	case ZL_ETOOBIG:
		return 413;
	case ZL_EMEDIA:
		return 415;
	case ZL_EUNPROC:
		return 422;
	case ZL_ERATE:
		return 429;
	case ZL_EUNAVAIL:
		return 503;
	case ZL_ENOMEM:
	case ZL_EIO:
	case ZL_EDB:
	case ZL_EINTERNAL:
		break;
	}
	return 500;
}

const char *zl_err_name(enum zl_err code)
{
	switch (code) {
	case ZL_OK:
		return "ok";
	case ZL_EINVAL:
		return "bad_request";
	case ZL_EUNAUTH:
		return "unauthorized";
	case ZL_EFORBIDDEN:
		return "forbidden";
	case ZL_ENOTFOUND:
		return "not_found";
	case ZL_EMETHOD:
		return "method_not_allowed";
	case ZL_ECONFLICT:
		return "conflict";
	case ZL_ETOOBIG:
		return "payload_too_large";
	case ZL_EMEDIA:
		return "unsupported_media_type";
	case ZL_EUNPROC:
		return "unprocessable";
	case ZL_ERATE:
		return "too_many_requests";
	case ZL_ENOMEM:
		return "out_of_memory";
	case ZL_EIO:
		return "io_error";
	case ZL_EDB:
		return "database_error";
	case ZL_EINTERNAL:
		return "internal_error";
	case ZL_EUNAVAIL:
		return "unavailable";
	}
	return "internal_error";
}

void zl_error_write_json(const struct zl_error *e, struct zl_jw *w, int expose_internal)
{
	int status = zl_err_http_status(e->code);
	const char *msg = e->message;

	if (status >= 500 && !expose_internal)
		msg = status == 503 ? "service temporarily unavailable" : "internal server error";
	else if (!msg[0])
		msg = zl_err_name(e->code);
	zl_jw_obj_begin(w);
	zl_jw_key(w, "error");
	zl_jw_obj_begin(w);
	zl_jw_kstr(w, "code", zl_err_name(e->code));
	zl_jw_kstr(w, "message", msg);
	if (e->field[0])
		zl_jw_kstr(w, "field", e->field);
	zl_jw_obj_end(w);
	zl_jw_obj_end(w);
}
