/*
 * jw.c - the streaming JSON writer of jw.h.
 *
 * Strings are escaped run by run: a 256-entry class table says which bytes
 * may be copied as they are, so a plain ASCII run costs one table lookup per
 * byte and one memcpy per run.  Bytes >= 0x80 are checked as UTF-8 (invalid
 * sequences become U+FFFD); U+2028/U+2029 are escaped too, because they end
 * a line in JavaScript and we promise output that embeds in <script>.
 *
 * Nesting state: `depth` is the number of open containers; bit (depth - 1)
 * of `in_object` / `has_item` describes the innermost one.  Top-level
 * values are written back to back with no separator; callers write one.
 */
#include "core/jw.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/text.h"

enum { C_PLAIN = 0, C_ESC, C_CTRL, C_LT, C_HIGH };

/* Class of each byte inside a JSON string. */
/* clang-format off */
static const unsigned char jw_class[256] = {
	/* 0x00..0x1f: control characters, all escaped */
	C_CTRL, C_CTRL, C_CTRL, C_CTRL, C_CTRL, C_CTRL, C_CTRL, C_CTRL,
	C_ESC,  C_ESC,  C_ESC,  C_CTRL, C_ESC,  C_ESC,  C_CTRL, C_CTRL,
	C_CTRL, C_CTRL, C_CTRL, C_CTRL, C_CTRL, C_CTRL, C_CTRL, C_CTRL,
	C_CTRL, C_CTRL, C_CTRL, C_CTRL, C_CTRL, C_CTRL, C_CTRL, C_CTRL,
	['"'] = C_ESC,
	['\\'] = C_ESC,
	['<'] = C_LT,
	[0x7f] = C_CTRL,
	[0x80] = C_HIGH, C_HIGH, C_HIGH, C_HIGH, C_HIGH, C_HIGH, C_HIGH, C_HIGH,
	C_HIGH, C_HIGH, C_HIGH, C_HIGH, C_HIGH, C_HIGH, C_HIGH, C_HIGH,
	C_HIGH, C_HIGH, C_HIGH, C_HIGH, C_HIGH, C_HIGH, C_HIGH, C_HIGH,
	C_HIGH, C_HIGH, C_HIGH, C_HIGH, C_HIGH, C_HIGH, C_HIGH, C_HIGH,
	C_HIGH, C_HIGH, C_HIGH, C_HIGH, C_HIGH, C_HIGH, C_HIGH, C_HIGH,
	C_HIGH, C_HIGH, C_HIGH, C_HIGH, C_HIGH, C_HIGH, C_HIGH, C_HIGH,
	C_HIGH, C_HIGH, C_HIGH, C_HIGH, C_HIGH, C_HIGH, C_HIGH, C_HIGH,
	C_HIGH, C_HIGH, C_HIGH, C_HIGH, C_HIGH, C_HIGH, C_HIGH, C_HIGH,
	C_HIGH, C_HIGH, C_HIGH, C_HIGH, C_HIGH, C_HIGH, C_HIGH, C_HIGH,
	C_HIGH, C_HIGH, C_HIGH, C_HIGH, C_HIGH, C_HIGH, C_HIGH, C_HIGH,
	C_HIGH, C_HIGH, C_HIGH, C_HIGH, C_HIGH, C_HIGH, C_HIGH, C_HIGH,
	C_HIGH, C_HIGH, C_HIGH, C_HIGH, C_HIGH, C_HIGH, C_HIGH, C_HIGH,
	C_HIGH, C_HIGH, C_HIGH, C_HIGH, C_HIGH, C_HIGH, C_HIGH, C_HIGH,
	C_HIGH, C_HIGH, C_HIGH, C_HIGH, C_HIGH, C_HIGH, C_HIGH, C_HIGH,
	C_HIGH, C_HIGH, C_HIGH, C_HIGH, C_HIGH, C_HIGH, C_HIGH, C_HIGH,
	C_HIGH, C_HIGH, C_HIGH, C_HIGH, C_HIGH, C_HIGH, C_HIGH, C_HIGH,
};
/* clang-format on */

static void jw_misuse(struct zl_jw *w)
{
	if (!w->err)
		w->err = ZL_EINTERNAL;
}

static int jw_failed(const struct zl_jw *w)
{
	return w->err || w->out->err;
}

/* Slow path: grow (or record the buffer's error). */
static void jw_put_slow(struct zl_jw *w, const char *p, size_t n)
{
	int rc = zl_buf_add(w->out, p, n);

	if (rc && !w->err)
		w->err = rc;
}

/*
 * Append bytes; the fast path writes straight into the buffer when the
 * allocation already has room (keeping buf.h's invariants: NUL after the
 * contents, never past max).
 */
static inline void jw_put(struct zl_jw *w, const char *p, size_t n)
{
	struct zl_buf *b = w->out;

	if (b->data && n < b->cap - b->len && n <= b->max - b->len && !b->err) {
		memcpy(b->data + b->len, p, n);
		b->len += n;
		b->data[b->len] = '\0';
		return;
	}
	jw_put_slow(w, p, n);
}

static inline void jw_putc(struct zl_jw *w, char c)
{
	struct zl_buf *b = w->out;

	if (b->data && b->len + 1 < b->cap && b->len < b->max && !b->err) {
		b->data[b->len++] = c;
		b->data[b->len] = '\0';
		return;
	}
	jw_put_slow(w, &c, 1);
}

/*
 * Length of the valid UTF-8 sequence at p (n > 0 bytes available, p[0] >=
 * 0x80) that may be copied verbatim, or 0 (invalid, or U+2028/U+2029 which
 * must be escaped).  Two- and three-byte forms, nearly all CJK text, are
 * checked inline; the rest goes through zl_utf8_decode().
 */
static inline size_t jw_utf8_run(const unsigned char *p, size_t n)
{
	uint32_t cp;
	size_t len;

	if (p[0] >= 0xc2 && p[0] <= 0xdf) {
		if (n >= 2 && (p[1] & 0xc0) == 0x80)
			return 2;
		return 0;
	}
	/* E0 (overlongs), E2 (U+2028/9) and ED (surrogates) need the full check. */
	if (p[0] >= 0xe1 && p[0] <= 0xef && p[0] != 0xe2 && p[0] != 0xed) {
		if (n >= 3 && (p[1] & 0xc0) == 0x80 && (p[2] & 0xc0) == 0x80)
			return 3;
		return 0;
	}
	len = zl_utf8_decode((const char *)p, n, &cp);
	if (cp == 0x2028 || cp == 0x2029)
		return 0;
	return len;
}

/*
 * Prepare for a value: inside an object a key must have been written;
 * inside an array a comma separates it from the previous item.
 * Returns 0 if the value may be written.
 */
static int jw_before_value(struct zl_jw *w)
{
	uint64_t bit;

	if (jw_failed(w))
		return -1;
	if (w->depth == 0)
		return w->after_key ? (jw_misuse(w), -1) : 0;
	bit = UINT64_C(1) << (w->depth - 1);
	if (w->in_object & bit) {
		if (!w->after_key) {
			jw_misuse(w);
			return -1;
		}
		w->after_key = 0;
		return 0;
	}
	if (w->has_item & bit)
		jw_putc(w, ',');
	w->has_item |= bit;
	return 0;
}

static void jw_string_body(struct zl_jw *w, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, start, len;
	uint32_t cp;
	char esc[6];

	while (i < n && !w->err) {
		/* Extend the verbatim run over plain ASCII and valid UTF-8 sequences. */
		start = i;
		for (;;) {
			while (i < n && jw_class[p[i]] == C_PLAIN)
				i++;
			if (i >= n || jw_class[p[i]] != C_HIGH)
				break;
			len = jw_utf8_run(p + i, n - i);
			if (len == 0)
				break;
			i += len;
		}
		if (i > start)
			jw_put(w, s + start, i - start);
		if (i >= n)
			break;
		switch (jw_class[p[i]]) {
		case C_ESC:
			esc[0] = '\\';
			switch (p[i]) {
			case '\b':
				esc[1] = 'b';
				break;
			case '\t':
				esc[1] = 't';
				break;
			case '\n':
				esc[1] = 'n';
				break;
			case '\f':
				esc[1] = 'f';
				break;
			case '\r':
				esc[1] = 'r';
				break;
			default:
				esc[1] = (char)p[i]; /* '"' or '\\' */
				break;
			}
			jw_put(w, esc, 2);
			i++;
			break;
		case C_CTRL:
			esc[0] = '\\';
			esc[1] = 'u';
			esc[2] = '0';
			esc[3] = '0';
			esc[4] = hex[p[i] >> 4];
			esc[5] = hex[p[i] & 15];
			jw_put(w, esc, 6);
			i++;
			break;
		case C_LT:
			/* "</" would let a string close a <script> element. */
			if (i + 1 < n && p[i + 1] == '/') {
				jw_put(w, "<\\/", 3);
				i += 2;
			} else {
				jw_putc(w, '<');
				i++;
			}
			break;
		default: /* C_HIGH that is invalid, or U+2028/U+2029 */
			len = zl_utf8_decode(s + i, n - i, &cp);
			if (len == 0) {
				jw_put(w, "\xef\xbf\xbd", 3);
				i++;
			} else {
				jw_put(w, cp == 0x2028 ? "\\u2028" : "\\u2029", 6);
				i += len;
			}
			break;
		}
	}
}

static void jw_string(struct zl_jw *w, const char *s, size_t n)
{
	/* One growth check for the common case of no escapes. */
	if (!w->out->err && n < w->out->max - w->out->len - 1 && w->out->len < w->out->max)
		zl_buf_grow(w->out, n + 2);
	jw_putc(w, '"');
	jw_string_body(w, s, n);
	jw_putc(w, '"');
}

void zl_jw_init(struct zl_jw *w, struct zl_buf *out)
{
	w->out = out;
	w->depth = 0;
	w->in_object = 0;
	w->has_item = 0;
	w->after_key = 0;
	w->err = 0;
}

static void jw_begin(struct zl_jw *w, int object)
{
	uint64_t bit;

	if (jw_before_value(w))
		return;
	if (w->depth >= ZL_JW_MAX_DEPTH) {
		jw_misuse(w);
		return;
	}
	bit = UINT64_C(1) << w->depth;
	w->depth++;
	if (object)
		w->in_object |= bit;
	else
		w->in_object &= ~bit;
	w->has_item &= ~bit;
	jw_putc(w, object ? '{' : '[');
}

static void jw_end(struct zl_jw *w, int object)
{
	uint64_t bit;

	if (jw_failed(w))
		return;
	if (w->depth == 0 || w->after_key) {
		jw_misuse(w);
		return;
	}
	bit = UINT64_C(1) << (w->depth - 1);
	if (!(w->in_object & bit) != !object) {
		jw_misuse(w);
		return;
	}
	w->depth--;
	jw_putc(w, object ? '}' : ']');
}

void zl_jw_obj_begin(struct zl_jw *w)
{
	jw_begin(w, 1);
}

void zl_jw_obj_end(struct zl_jw *w)
{
	jw_end(w, 1);
}

void zl_jw_arr_begin(struct zl_jw *w)
{
	jw_begin(w, 0);
}

void zl_jw_arr_end(struct zl_jw *w)
{
	jw_end(w, 0);
}

void zl_jw_key(struct zl_jw *w, const char *key)
{
	uint64_t bit;

	if (jw_failed(w))
		return;
	if (w->depth == 0 || w->after_key || !key) {
		jw_misuse(w);
		return;
	}
	bit = UINT64_C(1) << (w->depth - 1);
	if (!(w->in_object & bit)) {
		jw_misuse(w);
		return;
	}
	if (w->has_item & bit)
		jw_putc(w, ',');
	w->has_item |= bit;
	jw_string(w, key, strlen(key));
	jw_putc(w, ':');
	w->after_key = 1;
}

void zl_jw_strn(struct zl_jw *w, const char *s, size_t n)
{
	if (!s) {
		zl_jw_null(w);
		return;
	}
	if (jw_before_value(w))
		return;
	jw_string(w, s, n);
}

void zl_jw_str(struct zl_jw *w, const char *s)
{
	zl_jw_strn(w, s, s ? strlen(s) : 0);
}

/* Digits of v, right-aligned ending at `end`; returns the first one. */
static char *jw_utoa(uint64_t v, char *end)
{
	do {
		*--end = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	return end;
}

void zl_jw_uint(struct zl_jw *w, uint64_t v)
{
	char tmp[24], *p;

	if (jw_before_value(w))
		return;
	p = jw_utoa(v, tmp + sizeof(tmp));
	jw_put(w, p, (size_t)(tmp + sizeof(tmp) - p));
}

void zl_jw_int(struct zl_jw *w, int64_t v)
{
	char tmp[24], *p;
	/* Negate in unsigned arithmetic so INT64_MIN is fine. */
	uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;

	if (jw_before_value(w))
		return;
	p = jw_utoa(u, tmp + sizeof(tmp));
	if (v < 0)
		*--p = '-';
	jw_put(w, p, (size_t)(tmp + sizeof(tmp) - p));
}

/*
 * Fast path for the common numbers (counts, scores, money): if v * 10^k is
 * an integer m below 2^53 for some k <= 6, and m / 10^k (an IEEE-correctly
 * rounded division of two exact values, so the same double strtod would
 * return for that decimal text) is v again, write m with a decimal point.
 * Returns the length, or 0 to fall back to printf.
 */
static int jw_format_double_fast(double v, char *dst)
{
	static const double p10[] = {1, 10, 100, 1000, 10000, 100000, 1000000};
	double a = v < 0 ? -v : v, scaled;
	uint64_t m;
	char tmp[32], *p, *end = tmp + sizeof(tmp);
	int k, len, digits;

	if (a >= 9007199254740992.0)
		return 0;
	for (k = 0; k <= 6; k++) {
		scaled = a * p10[k];
		if (scaled >= 9007199254740992.0)
			return 0;
		m = (uint64_t)scaled;
		if ((double)m == scaled && (double)m / p10[k] == a)
			break;
	}
	if (k > 6)
		return 0;
	while (k > 0 && m % 10 == 0) {
		m /= 10;
		k--;
	}
	p = jw_utoa(m, end);
	digits = (int)(end - p);
	len = 0;
	if (signbit(v))
		dst[len++] = '-';
	if (k == 0) {
		memcpy(dst + len, p, (size_t)digits);
		return len + digits;
	}
	if (digits <= k) {
		/* 0.00ddd */
		dst[len++] = '0';
		dst[len++] = '.';
		memset(dst + len, '0', (size_t)(k - digits));
		len += k - digits;
		memcpy(dst + len, p, (size_t)digits);
		return len + digits;
	}
	memcpy(dst + len, p, (size_t)(digits - k));
	len += digits - k;
	dst[len++] = '.';
	memcpy(dst + len, p + digits - k, (size_t)k);
	return len + k;
}

/* Shortest of %.15g, %.16g, %.17g that reads back as exactly `v`. */
static int jw_format_double(double v, char *dst, size_t cap)
{
	int prec, n = 0;

	n = jw_format_double_fast(v, dst);
	if (n > 0)
		return n;
	for (prec = 15; prec <= 17; prec++) {
		n = snprintf(dst, cap, "%.*g", prec, v);
		if (n < 0 || (size_t)n >= cap)
			return -1;
		if (strtod(dst, NULL) == v)
			break;
	}
	return n;
}

void zl_jw_double(struct zl_jw *w, double v)
{
	char tmp[40];
	int n;

	if (!isfinite(v)) {
		zl_jw_null(w);
		return;
	}
	if (jw_before_value(w))
		return;
	n = jw_format_double(v, tmp, sizeof(tmp));
	if (n < 0) {
		jw_misuse(w);
		return;
	}
	jw_put(w, tmp, (size_t)n);
}

void zl_jw_bool(struct zl_jw *w, int v)
{
	if (jw_before_value(w))
		return;
	if (v)
		jw_put(w, "true", 4);
	else
		jw_put(w, "false", 5);
}

void zl_jw_null(struct zl_jw *w)
{
	if (jw_before_value(w))
		return;
	jw_put(w, "null", 4);
}

void zl_jw_raw(struct zl_jw *w, const char *json, size_t n)
{
	if (jw_before_value(w))
		return;
	jw_put(w, json, n);
}

void zl_jw_kstr(struct zl_jw *w, const char *key, const char *s)
{
	zl_jw_key(w, key);
	zl_jw_str(w, s);
}

void zl_jw_kint(struct zl_jw *w, const char *key, int64_t v)
{
	zl_jw_key(w, key);
	zl_jw_int(w, v);
}

void zl_jw_kbool(struct zl_jw *w, const char *key, int v)
{
	zl_jw_key(w, key);
	zl_jw_bool(w, v);
}

void zl_jw_kdouble(struct zl_jw *w, const char *key, double v)
{
	zl_jw_key(w, key);
	zl_jw_double(w, v);
}

int zl_jw_error(const struct zl_jw *w)
{
	if (w->err)
		return w->err;
	return w->out->err;
}
