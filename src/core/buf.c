/*
 * buf.c - the capped byte buffer of buf.h.
 *
 * `cap` is the size of the allocation, so whenever `data` is non-NULL
 * `len + 1 <= cap` holds and the byte after the contents is a NUL.  Growth
 * doubles the allocation (starting at 64 bytes) but never allocates more
 * than `max + 1` bytes, so a buffer capped at a small size stays small.
 */
#include "core/buf.h"

#include <assert.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"

void zl_buf_init(struct zl_buf *b, size_t max)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	b->max = max;
	b->err = 0;
}

void zl_buf_release(struct zl_buf *b)
{
	free(b->data);
	zl_buf_init(b, b->max);
}

void zl_buf_reset(struct zl_buf *b)
{
	b->len = 0;
	b->err = 0;
	if (b->data)
		b->data[0] = '\0';
}

int zl_buf_grow(struct zl_buf *b, size_t extra)
{
	size_t need, ncap, limit;
	char *p;

	if (b->err)
		return b->err;
	if (extra > b->max - b->len) {
		b->err = ZL_ETOOBIG;
		return b->err;
	}
	/* len + extra <= max, so need cannot overflow unless max == SIZE_MAX. */
	if (b->len + extra == SIZE_MAX) {
		b->err = ZL_ENOMEM;
		return b->err;
	}
	need = b->len + extra + 1;
	if (need <= b->cap)
		return ZL_OK;
	limit = b->max == SIZE_MAX ? SIZE_MAX : b->max + 1;
	ncap = b->cap ? b->cap : 64;
	while (ncap < need) {
		if (ncap > SIZE_MAX / 2) {
			ncap = need;
			break;
		}
		ncap *= 2;
	}
	if (ncap > limit)
		ncap = limit;
	p = realloc(b->data, ncap);
	if (!p) {
		b->err = ZL_ENOMEM;
		return b->err;
	}
	if (!b->data)
		p[0] = '\0';
	b->data = p;
	b->cap = ncap;
	return ZL_OK;
}

int zl_buf_add(struct zl_buf *b, const void *p, size_t n)
{
	int rc;

	if (b->err)
		return b->err;
	if (n == 0 && b->data)
		return ZL_OK;
	rc = zl_buf_grow(b, n);
	if (rc)
		return rc;
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return ZL_OK;
}

int zl_buf_adds(struct zl_buf *b, const char *s)
{
	return zl_buf_add(b, s, strlen(s));
}

int zl_buf_addch(struct zl_buf *b, char c)
{
	if (b->err)
		return b->err;
	/* Fast path: room for the byte and the terminator already exists. */
	if (b->len + 1 < b->cap && b->len < b->max) {
		b->data[b->len++] = c;
		b->data[b->len] = '\0';
		return ZL_OK;
	}
	return zl_buf_add(b, &c, 1);
}

int zl_buf_addvf(struct zl_buf *b, const char *fmt, va_list ap)
{
	va_list cp;
	size_t room;
	int n, rc;

	if (b->err)
		return b->err;
	room = b->data ? b->cap - b->len : 0;
	va_copy(cp, ap);
	n = vsnprintf(room ? b->data + b->len : NULL, room, fmt, cp);
	va_end(cp);
	if (n < 0) {
		/* Only an encoding error can make vsnprintf fail; keep the NUL. */
		if (b->data)
			b->data[b->len] = '\0';
		b->err = ZL_EINTERNAL;
		return b->err;
	}
	if ((size_t)n < room) {
		if ((size_t)n > b->max - b->len) {
			b->data[b->len] = '\0';
			b->err = ZL_ETOOBIG;
			return b->err;
		}
		b->len += (size_t)n;
		return ZL_OK;
	}
	/* Did not fit: undo the partial write, grow, format again. */
	if (b->data)
		b->data[b->len] = '\0';
	rc = zl_buf_grow(b, (size_t)n);
	if (rc)
		return rc;
	va_copy(cp, ap);
	n = vsnprintf(b->data + b->len, b->cap - b->len, fmt, cp);
	va_end(cp);
	assert(n >= 0 && (size_t)n < b->cap - b->len);
	b->len += (size_t)n;
	return ZL_OK;
}

int zl_buf_addf(struct zl_buf *b, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = zl_buf_addvf(b, fmt, ap);
	va_end(ap);
	return rc;
}

void zl_buf_truncate(struct zl_buf *b, size_t len)
{
	assert(len <= b->len);
	if (len > b->len)
		return;
	b->len = len;
	if (b->data)
		b->data[len] = '\0';
}

char *zl_buf_detach(struct zl_buf *b, size_t *len)
{
	char *p = b->data;
	size_t n = b->len;

	if (!p) {
		p = malloc(1);
		if (!p)
			return NULL;
		p[0] = '\0';
		n = 0;
	}
	zl_buf_init(b, b->max);
	if (len)
		*len = n;
	return p;
}

const char *zl_buf_str(const struct zl_buf *b)
{
	return b->data ? b->data : "";
}

size_t zl_strlcpy(char *dst, const char *src, size_t size)
{
	size_t n = strlen(src);

	if (size) {
		size_t c = n < size - 1 ? n : size - 1;

		memcpy(dst, src, c);
		dst[c] = '\0';
	}
	return n;
}
