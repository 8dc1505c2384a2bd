/*
 * jw.h - streaming JSON writer into a struct zl_buf.
 *
 * Own code, not a DOM: handlers and exporters emit values in order and the
 * writer inserts commas and colons, escapes strings (control characters,
 * quote, backslash; "</" as "<\/" so JSON can be embedded in HTML) and
 * rejects invalid UTF-8 by substituting U+FFFD.  Nesting is limited to
 * ZL_JW_MAX_DEPTH; a misuse (value where a key is expected, end without
 * begin, too deep) sets `err` to ZL_EINTERNAL.  Errors are sticky, like the
 * buffer's: check zl_jw_error() once at the end.
 * Doubles are written with the shortest "%.17g"-round-trip form; NaN and
 * infinities are written as null (JSON has no such numbers).
 */
#ifndef ZL_CORE_JW_H
#define ZL_CORE_JW_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"

#define ZL_JW_MAX_DEPTH 64

struct zl_jw {
	struct zl_buf *out; /* borrowed */
	unsigned depth;
	uint64_t in_object; /* bit d set: level d is an object */
	uint64_t has_item;  /* bit d set: level d already has a member */
	int after_key;	    /* a key was written; a value must follow */
	int err;
};

/* Start writing into `out` (not cleared: output is appended). */
void zl_jw_init(struct zl_jw *w, struct zl_buf *out);
void zl_jw_obj_begin(struct zl_jw *w);
void zl_jw_obj_end(struct zl_jw *w);
void zl_jw_arr_begin(struct zl_jw *w);
void zl_jw_arr_end(struct zl_jw *w);
/* Member name inside an object. */
void zl_jw_key(struct zl_jw *w, const char *key);
void zl_jw_str(struct zl_jw *w, const char *s); /* NULL writes null */
void zl_jw_strn(struct zl_jw *w, const char *s, size_t n);
void zl_jw_int(struct zl_jw *w, int64_t v);
void zl_jw_uint(struct zl_jw *w, uint64_t v);
void zl_jw_double(struct zl_jw *w, double v);
void zl_jw_bool(struct zl_jw *w, int v);
void zl_jw_null(struct zl_jw *w);
/* Already-encoded JSON text, inserted verbatim as one value. */
void zl_jw_raw(struct zl_jw *w, const char *json, size_t n);
/* Shorthands for a key followed by a value. */
void zl_jw_kstr(struct zl_jw *w, const char *key, const char *s);
void zl_jw_kint(struct zl_jw *w, const char *key, int64_t v);
void zl_jw_kbool(struct zl_jw *w, const char *key, int v);
void zl_jw_kdouble(struct zl_jw *w, const char *key, double v);
/* ZL_OK, or the first error (writer misuse or the buffer's error). */
int zl_jw_error(const struct zl_jw *w);

#endif /* ZL_CORE_JW_H */
