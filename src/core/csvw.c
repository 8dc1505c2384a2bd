/*
 * csvw.c - RFC 4180 CSV writer with the OWASP formula-injection guard (see
 * csvw.h for the output rules).
 */
#include "core/csvw.h"

#include "core/err.h"
#include "core/text.h"

static const char replacement[] = "\xef\xbf\xbd"; /* U+FFFD */

int zl_csvw_init(struct zl_csvw *w, struct zl_buf *out, unsigned flags)
{
	w->out = out;
	w->nfields = 0;
	w->guard = !(flags & ZL_CSVW_NO_GUARD);
	if (flags & ZL_CSVW_BOM)
		return zl_buf_add(out, "\xef\xbb\xbf", 3);
	return out->err;
}

int zl_csvw_is_formula(const char *s, size_t n)
{
	if (!s || n == 0)
		return 0;
	switch (s[0]) {
	case '=':
	case '+':
	case '-':
	case '@':
	case '\t':
	case '\r':
		return 1;
	default:
		return 0;
	}
}

/* Append s[0..n), doubling quotes and replacing invalid UTF-8 by U+FFFD. */
static void add_body(struct zl_buf *b, const char *s, size_t n, int quoted)
{
	size_t i = 0, run = 0;

	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		size_t len;

		if (c < 0x80) {
			if (c == '"' && quoted) {
				/* flush through this quote, then add its double */
				zl_buf_add(b, s + run, i + 1 - run);
				zl_buf_addch(b, '"');
				run = ++i;
				continue;
			}
			i++;
			continue;
		}
		len = zl_utf8_decode(s + i, n - i, NULL);
		if (len) {
			i += len;
			continue;
		}
		zl_buf_add(b, s + run, i - run);
		zl_buf_add(b, replacement, 3);
		run = ++i;
	}
	zl_buf_add(b, s + run, n - run);
}

static int field(struct zl_csvw *w, const char *s, size_t n, int guard)
{
	int quote = 0;

	if (w->nfields++)
		zl_buf_addch(w->out, ',');
	if (!s)
		return w->out->err;
	for (size_t i = 0; i < n; i++)
		if (s[i] == ',' || s[i] == '"' || s[i] == '\r' || s[i] == '\n') {
			quote = 1;
			break;
		}
	if (quote)
		zl_buf_addch(w->out, '"');
	if (guard && zl_csvw_is_formula(s, n))
		zl_buf_addch(w->out, '\'');
	add_body(w->out, s, n, quote);
	if (quote)
		zl_buf_addch(w->out, '"');
	return w->out->err;
}

int zl_csvw_fieldn(struct zl_csvw *w, const char *s, size_t n)
{
	return field(w, s, n, w->guard);
}

int zl_csvw_field(struct zl_csvw *w, const char *s)
{
	return field(w, s, s ? strlen(s) : 0, w->guard);
}

/* -?digits[.digits] */
static int plain_number(const char *s)
{
	const char *p = s;

	if (*p == '-')
		p++;
	if (*p < '0' || *p > '9')
		return 0;
	while (*p >= '0' && *p <= '9')
		p++;
	if (*p == '.') {
		p++;
		if (*p < '0' || *p > '9')
			return 0;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	return *p == '\0';
}

int zl_csvw_num(struct zl_csvw *w, const char *s)
{
	if (!s)
		return field(w, NULL, 0, 0);
	return field(w, s, strlen(s), w->guard && !plain_number(s));
}

int zl_csvw_end_row(struct zl_csvw *w)
{
	w->nfields = 0;
	return zl_buf_add(w->out, "\r\n", 2);
}

int zl_csvw_row(struct zl_csvw *w, const char *const *fields, size_t n)
{
	for (size_t i = 0; i < n; i++)
		zl_csvw_field(w, fields[i]);
	return zl_csvw_end_row(w);
}
