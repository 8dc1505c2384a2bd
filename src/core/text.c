/*
 * text.c - UTF-8 checks, encoding detection, iconv conversion and
 * full-width folding (see text.h).
 */
#include "core/text.h"

#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>

size_t zl_utf8_decode(const char *s, size_t n, uint32_t *cp)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned char b0, lo = 0x80, hi = 0xbf;
	size_t len, i;
	uint32_t c;

	if (n == 0)
		return 0;
	b0 = p[0];
	if (b0 < 0x80) {
		if (cp)
			*cp = b0;
		return 1;
	}
	if (b0 >= 0xc2 && b0 <= 0xdf) {
		len = 2;
		c = b0 & 0x1f;
	} else if (b0 >= 0xe0 && b0 <= 0xef) {
		len = 3;
		c = b0 & 0x0f;
		/* The second byte's range excludes overlongs (E0) and surrogates (ED). */
		if (b0 == 0xe0)
			lo = 0xa0;
		else if (b0 == 0xed)
			hi = 0x9f;
	} else if (b0 >= 0xf0 && b0 <= 0xf4) {
		len = 4;
		c = b0 & 0x07;
		/* Excludes overlongs (F0) and values above U+10FFFF (F4). */
		if (b0 == 0xf0)
			lo = 0x90;
		else if (b0 == 0xf4)
			hi = 0x8f;
	} else {
		return 0; /* continuation byte, C0/C1 overlong lead, F5..FF */
	}
	if (n < len || p[1] < lo || p[1] > hi)
		return 0;
	for (i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (p[i] & 0x3f);
	}
	if (cp)
		*cp = c;
	return len;
}

size_t zl_utf8_invalid_at(const char *s, size_t n)
{
	size_t i = 0, len;

	while (i < n) {
		uint64_t w;

		/* Eight ASCII bytes at once (whole files go through here). */
		if (n - i >= 8) {
			memcpy(&w, s + i, 8);
			if ((w & UINT64_C(0x8080808080808080)) == 0) {
				i += 8;
				continue;
			}
		}
		len = zl_utf8_seq_len(s + i, n - i);
		if (len == 0)
			return i;
		i += len;
	}
	return n;
}

int zl_utf8_valid(const char *s, size_t n)
{
	return zl_utf8_invalid_at(s, n) == n;
}

const char *zl_utf8_strip_bom(const char *s, size_t *n)
{
	if (*n >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0) {
		*n -= 3;
		return s + 3;
	}
	return s;
}

enum zl_encoding zl_text_detect(const char *s, size_t n)
{
	if (n >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0)
		return ZL_ENC_UTF8_BOM;
	if (n >= 2 && memcmp(s, "\xff\xfe", 2) == 0)
		return ZL_ENC_UTF16LE_BOM;
	if (n >= 2 && memcmp(s, "\xfe\xff", 2) == 0)
		return ZL_ENC_UTF16BE_BOM;
	if (zl_utf8_valid(s, n))
		return ZL_ENC_UTF8;
	return ZL_ENC_GB18030;
}

const char *zl_encoding_name(enum zl_encoding enc)
{
	switch (enc) {
	case ZL_ENC_UTF8:
		return "utf-8";
	case ZL_ENC_UTF8_BOM:
		return "utf-8-bom";
	case ZL_ENC_UTF16LE_BOM:
		return "utf-16le";
	case ZL_ENC_UTF16BE_BOM:
		return "utf-16be";
	case ZL_ENC_GB18030:
		return "gb18030";
	}
	return "unknown";
}

static size_t count_lines(const char *s, size_t n)
{
	size_t lines = 1;
	const char *p = s, *end = s + n;

	while (p < end && (p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		lines++;
		p++;
	}
	return lines;
}

static int utf8_copy(const char *in, size_t n, size_t base, struct zl_buf *out,
		     struct zl_error *err)
{
	size_t bad = zl_utf8_invalid_at(in, n);
	int rc;

	if (bad < n)
		return zl_error_set(err, ZL_EINVAL, "",
				    "invalid UTF-8 at byte offset %zu (line %zu)", base + bad,
				    count_lines(in, bad));
	rc = zl_buf_add(out, in, n);
	if (rc)
		return zl_error_set(err, rc, "", "converted text too large");
	return ZL_OK;
}

static int iconv_convert(const char *in, size_t n, size_t base, const char *from,
			 struct zl_buf *out, struct zl_error *err)
{
	size_t start = out->len, inleft = n, outleft, r;
	char chunk[4096], *ip = (char *)in, *op;
	iconv_t cd;
	int rc = ZL_OK, e;

	cd = iconv_open("UTF-8", from);
	if (cd == (iconv_t)-1)
		return zl_error_set(err, ZL_EINTERNAL, "", "iconv cannot convert from %s", from);
	/* Convert through a stack chunk so E2BIG only means "flush and go on". */
	while (inleft > 0) {
		op = chunk;
		outleft = sizeof(chunk);
		r = iconv(cd, &ip, &inleft, &op, &outleft);
		e = errno;
		rc = zl_buf_add(out, chunk, (size_t)(op - chunk));
		if (rc) {
			rc = zl_error_set(err, rc, "", "converted text too large");
			goto fail;
		}
		if (r == (size_t)-1 && e != E2BIG) {
			size_t off = (size_t)(ip - in);

			rc = zl_error_set(err, ZL_EINVAL, "",
					  "%s %s sequence at byte offset %zu (line %zu)",
					  e == EINVAL ? "truncated" : "invalid", from, base + off,
					  count_lines(zl_buf_str(out) + start, out->len - start));
			goto fail;
		}
	}
	iconv_close(cd);
	return ZL_OK;
fail:
	iconv_close(cd);
	if (out->len >= start) {
		int keep = out->err;

		zl_buf_truncate(out, start);
		out->err = keep;
	}
	return rc;
}

int zl_text_to_utf8(const char *in, size_t n, enum zl_encoding enc, struct zl_buf *out,
		    struct zl_error *err)
{
	if (out->err)
		return zl_error_set(err, out->err, "", "output buffer already failed");
	switch (enc) {
	case ZL_ENC_UTF8:
		return utf8_copy(in, n, 0, out, err);
	case ZL_ENC_UTF8_BOM: {
		size_t m = n;
		const char *p = zl_utf8_strip_bom(in, &m);

		return utf8_copy(p, m, (size_t)(p - in), out, err);
	}
	case ZL_ENC_UTF16LE_BOM:
	case ZL_ENC_UTF16BE_BOM: {
		const char *from = enc == ZL_ENC_UTF16LE_BOM ? "UTF-16LE" : "UTF-16BE";
		const char *bom = enc == ZL_ENC_UTF16LE_BOM ? "\xff\xfe" : "\xfe\xff";
		size_t skip = n >= 2 && memcmp(in, bom, 2) == 0 ? 2 : 0;

		return iconv_convert(in + skip, n - skip, skip, from, out, err);
	}
	case ZL_ENC_GB18030:
		return iconv_convert(in, n, 0, "GB18030", out, err);
	}
	return zl_error_set(err, ZL_EINTERNAL, "", "unknown encoding %d", (int)enc);
}

size_t zl_text_fold_fullwidth_to(const char *s, size_t n, char *out)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, o = 0, start;

	while (i < n) {
		start = i;
		/* Every folded character starts with EF (U+FFxx) or E3 (U+3000). */
		while (i < n && p[i] != 0xef && p[i] != 0xe3)
			i++;
		memcpy(out + o, s + start, i - start);
		o += i - start;
		if (i >= n)
			break;
		if (i + 2 < n && p[i] == 0xef && p[i + 1] == 0xbc && p[i + 2] >= 0x81 &&
		    p[i + 2] <= 0xbf) {
			/* U+FF01..U+FF3F */
			out[o++] = (char)(p[i + 2] - 0x81 + 0x21);
			i += 3;
		} else if (i + 2 < n && p[i] == 0xef && p[i + 1] == 0xbd && p[i + 2] >= 0x80 &&
			   p[i + 2] <= 0x9e) {
			/* U+FF40..U+FF5E */
			out[o++] = (char)(p[i + 2] - 0x80 + 0x60);
			i += 3;
		} else if (i + 2 < n && p[i] == 0xe3 && p[i + 1] == 0x80 && p[i + 2] == 0x80) {
			out[o++] = ' ';
			i += 3;
		} else {
			out[o++] = (char)p[i];
			i++;
		}
	}
	return o;
}

int zl_text_fold_fullwidth(const char *s, size_t n, struct zl_buf *out)
{
	char *t;
	int rc;

	if (out->err || n == 0)
		return out->err;
	/* Folding never lengthens the text: room for n bytes is enough. */
	if (n <= out->max - out->len) {
		if ((rc = zl_buf_grow(out, n)) != ZL_OK)
			return rc;
		out->len += zl_text_fold_fullwidth_to(s, n, out->data + out->len);
		out->data[out->len] = '\0';
		return ZL_OK;
	}
	/* Longer than the buffer may grow: what it folds to may still fit. */
	if ((t = malloc(n)) == NULL)
		return out->err = ZL_ENOMEM;
	rc = zl_buf_add(out, t, zl_text_fold_fullwidth_to(s, n, t));
	free(t);
	return rc;
}

int zl_hex_digit(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}
