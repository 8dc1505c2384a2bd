/*
 * json.h - parsing request JSON (through cJSON) strictly, and reading
 * members with errors that name the field.
 *
 * cJSON builds the tree, but first our own scanner checks the text
 * against RFC 8259 without cJSON's leniencies: the input must be valid
 * UTF-8, strings may not hold raw control characters, "\u0000" or unpaired
 * surrogates (so every string is a clean C string), numbers follow the
 * JSON grammar, nothing but whitespace may follow the value, nesting may
 * not exceed the caller's limit, and an object may not repeat a member
 * name (ambiguous between parsers).  Malformed input fails with ZL_EINVAL
 * (400) and "byte offset N" in the message; a well-formed value of the
 * wrong type or range fails in the getters with ZL_EUNPROC (422) and the
 * field's name in err->field.  No global state is used (cJSON_GetErrorPtr
 * is not called), so this is thread-safe.
 */
#ifndef ZL_CORE_JSON_H
#define ZL_CORE_JSON_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "core/err.h"

struct zl_jw;

/* Nesting limit that zl_json_parse() never exceeds, whatever max_depth says. */
#define ZL_JSON_DEPTH_LIMIT 256
/* Integers read by zl_json_get_int() are limited to +-2^53 (exact in a double). */
#define ZL_JSON_INT_MAX INT64_C(9007199254740992)

/*
 * Parse s[0..n) (need not be NUL-terminated) into a cJSON tree, stored in
 * *out; the caller frees it with cJSON_Delete().  Any JSON value is
 * accepted at the top level.  Depth counts open containers (a top-level
 * object has depth 1); deeper input is rejected.  Returns ZL_OK,
 * ZL_EINVAL for malformed input (message: "invalid JSON at byte offset N:
 * why"), or ZL_ENOMEM.  On failure *out is NULL.
 */
int zl_json_parse(const char *s, size_t n, size_t max_depth, cJSON **out, struct zl_error *err);
/* As zl_json_parse(), but the top-level value must be an object (else ZL_EINVAL). */
int zl_json_parse_object(const char *s, size_t n, size_t max_depth, cJSON **out,
			 struct zl_error *err);

/*
 * Typed member getters.  `obj` must be a JSON object; `field` is the member
 * name, matched case-sensitively, and is what err->field reports.
 * An absent member or a JSON null counts as missing: if `required`, that
 * is ZL_EUNPROC ("is required"); otherwise the call returns ZL_OK and
 * leaves *out untouched (string: sets *out to NULL), so callers preset
 * defaults.  A present member of the wrong type or out of range is
 * ZL_EUNPROC.
 *
 * zl_json_get_string: *out points into the tree (valid until cJSON_Delete).
 * `max_len` limits the length in characters (Unicode code points), not
 * bytes, because limits such as "name up to 100 characters" are stated
 * for people; 0 means no limit.
 */
int zl_json_get_string(const cJSON *obj, const char *field, int required, size_t max_len,
		       const char **out, struct zl_error *err);
/*
 * zl_json_get_int: the number must be integral (1e3 and 1000.0 are 1000)
 * and within [min, max]; and within +-ZL_JSON_INT_MAX whatever min/max say.
 */
int zl_json_get_int(const cJSON *obj, const char *field, int required, int64_t min, int64_t max,
		    int64_t *out, struct zl_error *err);
/* zl_json_get_bool: true or false only (not 0/1, not "true"); *out is 1 or 0. */
int zl_json_get_bool(const cJSON *obj, const char *field, int required, int *out,
		     struct zl_error *err);

/*
 * Reject members of `obj` not named in the NULL-terminated list `allowed`:
 * ZL_EUNPROC with err->field set to the first unknown member's name.
 * Also ZL_EUNPROC (field "") if `obj` is not an object.
 */
int zl_json_only_fields(const cJSON *obj, const char *const *allowed, struct zl_error *err);

/*
 * Write the cJSON value `v` through the streaming writer (numbers with
 * zl_jw_double's shortest round-trip form, so 3.0 is written as 3).  For
 * echoing stored documents; errors are the writer's (check zl_jw_error).
 */
void zl_json_write(struct zl_jw *w, const cJSON *v);

#endif /* ZL_CORE_JSON_H */
