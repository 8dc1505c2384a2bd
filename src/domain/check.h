/*
 * check.h - the small checks every input of the domain shares (plans of the
 * ledger, catalogue categories, spot-check plans): a required or optional
 * text of at most so many characters, a date, one word of a list, and the
 * member path that names a field in errors ("products[2].quotas.410100").
 * Every refusal is ZL_EUNPROC with err->field set to the field's name and a
 * message that starts with it, so an API client knows what to fix.
 * Pure: no I/O, no allocation.
 */
#ifndef ZL_DOMAIN_CHECK_H
#define ZL_DOMAIN_CHECK_H

#include <stddef.h>

#include "core/err.h"

/* Room for a field name; longer names are cut (they only label messages). */
#define ZL_CHECK_FIELD_MAX 96

/* The number of Unicode code points of a valid UTF-8 string (the unit of text limits). */
size_t zl_check_chars(const char *s);

/* s is neither NULL nor "". */
int zl_check_given(const char *s);

/*
 * A text member: missing (NULL or "") is ZL_EUNPROC "F is required" when
 * `required`, else fine; invalid UTF-8, or more than `max` characters, is
 * ZL_EUNPROC naming `field`.
 */
int zl_check_text(const char *s, const char *field, int required, size_t max, struct zl_error *err);

/* A date YYYY-MM-DD (optional unless `required`). */
int zl_check_date(const char *s, const char *field, int required, struct zl_error *err);

/* One of the NULL-terminated `words` (optional unless `required`): "F must be one of a, b". */
int zl_check_one_of(const char *s, const char *const *words, const char *field, int required,
		    struct zl_error *err);

/*
 * The field name prefix + "." + name, then "[i]" when i >= 0, into out:
 * ("products[2]", ".", "lab", -1) -> "products[2].lab"; ("", ".", "labs", 0)
 * -> "labs[0]" (no separator after an empty prefix).  Returns out.
 */
const char *zl_check_field(char out[ZL_CHECK_FIELD_MAX], const char *prefix, const char *name,
			   long i);

#endif /* ZL_DOMAIN_CHECK_H */
