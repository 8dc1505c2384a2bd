/*
 * check.c - the shared input checks of domain/check.h.  The messages are the
 * API's words (docs: "field is required", "must be a date YYYY-MM-DD").
 */
#include "domain/check.h"

#include <stdio.h>
#include <string.h>

#include "core/buf.h"
#include "core/text.h"
#include "core/timeutil.h"

size_t zl_check_chars(const char *s)
{
	size_t n = 0;

	for (; s && *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

int zl_check_given(const char *s)
{
	return s != NULL && *s != '\0';
}

int zl_check_text(const char *s, const char *field, int required, size_t max, struct zl_error *err)
{
	if (!zl_check_given(s)) {
		if (required)
			return zl_error_set(err, ZL_EUNPROC, field, "%s is required", field);
		return ZL_OK;
	}
	if (!zl_utf8_valid(s, strlen(s)))
		return zl_error_set(err, ZL_EUNPROC, field, "%s is not valid UTF-8", field);
	if (zl_check_chars(s) > max)
		return zl_error_set(err, ZL_EUNPROC, field,
				    "%s is too long (at most %zu characters)", field, max);
	return ZL_OK;
}

int zl_check_date(const char *s, const char *field, int required, struct zl_error *err)
{
	int64_t days;

	if (!zl_check_given(s))
		return required ? zl_error_set(err, ZL_EUNPROC, field, "%s is required", field)
				: ZL_OK;
	if (zl_date_parse(s, &days) != ZL_OK)
		return zl_error_set(err, ZL_EUNPROC, field, "%s must be a date YYYY-MM-DD", field);
	return ZL_OK;
}

int zl_check_one_of(const char *s, const char *const *words, const char *field, int required,
		    struct zl_error *err)
{
	struct zl_buf list = ZL_BUF_INIT(256);
	int rc;

	if (!zl_check_given(s))
		return required ? zl_error_set(err, ZL_EUNPROC, field, "%s is required", field)
				: ZL_OK;
	for (size_t i = 0; words[i]; i++)
		if (strcmp(s, words[i]) == 0)
			return ZL_OK;
	for (size_t i = 0; words[i]; i++) {
		zl_buf_adds(&list, i ? ", " : "");
		zl_buf_adds(&list, words[i]);
	}
	rc = zl_error_set(err, ZL_EUNPROC, field, "%s must be one of %s", field,
			  list.err ? "..." : zl_buf_str(&list));
	zl_buf_release(&list);
	return rc;
}

const char *zl_check_field(char out[ZL_CHECK_FIELD_MAX], const char *prefix, const char *name,
			   long i)
{
	char idx[24] = "";
	const char *parts[4];
	size_t len = 0;

	if (i >= 0)
		snprintf(idx, sizeof(idx), "[%ld]", i);
	parts[0] = prefix ? prefix : "";
	parts[1] = zl_check_given(prefix) && zl_check_given(name) ? "." : "";
	parts[2] = name ? name : "";
	parts[3] = idx;
	for (int k = 0; k < 4; k++) {
		size_t n = strlen(parts[k]);

		if (len + n > ZL_CHECK_FIELD_MAX - 1)
			n = ZL_CHECK_FIELD_MAX - 1 - len;
		memcpy(out + len, parts[k], n);
		len += n;
	}
	out[len] = '\0';
	return out;
}
