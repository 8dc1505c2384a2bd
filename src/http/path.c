/*
 * path.c - request path canonicalisation and query-string parsing.
 *
 * Both decode percent-escapes exactly once (a double-encoded "%252e" stays
 * "%2e" and is then just a name), and both refuse a decoded NUL, which would
 * otherwise cut a C string short and change what a later check sees.
 */
#include "http/path.h"

#include "core/text.h"

#include <string.h>

/* Check the segment that ends at out[end] (exclusive) and starts after the last '/'. */
static int dot_segment(const char *out, size_t start, size_t end)
{
	size_t len = end - start;

	return (len == 1 && out[start] == '.') ||
	       (len == 2 && out[start] == '.' && out[start + 1] == '.');
}

int zl_path_canon(const char *raw, size_t n, char *out, size_t cap, size_t *outlen,
		  struct zl_error *err)
{
	size_t i = 0, o = 0, seg = 1;

	if (cap == 0)
		return zl_error_set(err, ZL_ETOOBIG, "path", "path is too long");
	if (n == 0 || raw[0] != '/')
		return zl_error_set(err, ZL_EINVAL, "path", "path must start with '/'");
	while (i < n) {
		unsigned char c = (unsigned char)raw[i];

		if (c == '%') {
			int hi, lo;

			if (i + 2 >= n)
				return zl_error_set(err, ZL_EINVAL, "path",
						    "bad %%-escape in path");
			hi = zl_hex_digit((unsigned char)raw[i + 1]);
			lo = zl_hex_digit((unsigned char)raw[i + 2]);
			if (hi < 0 || lo < 0)
				return zl_error_set(err, ZL_EINVAL, "path",
						    "bad %%-escape in path");
			c = (unsigned char)(hi * 16 + lo);
			i += 3;
		} else {
			i++;
		}
		if (c < 0x20 || c == 0x7f)
			return zl_error_set(err, ZL_EINVAL, "path", "control character in path");
		if (c == '\\')
			return zl_error_set(err, ZL_EINVAL, "path", "backslash in path");
		if (c == '/') {
			if (o > 0 && dot_segment(out, seg, o))
				return zl_error_set(err, ZL_EINVAL, "path",
						    "'.' or '..' segment in path");
			/* Collapse "//": an empty segment names nothing. */
			if (o > 0 && out[o - 1] == '/')
				continue;
			if (o + 1 >= cap)
				return zl_error_set(err, ZL_ETOOBIG, "path", "path is too long");
			out[o++] = '/';
			seg = o;
			continue;
		}
		if (o + 1 >= cap)
			return zl_error_set(err, ZL_ETOOBIG, "path", "path is too long");
		out[o++] = (char)c;
	}
	if (dot_segment(out, seg, o))
		return zl_error_set(err, ZL_EINVAL, "path", "'.' or '..' segment in path");
	out[o] = '\0';
	if (outlen)
		*outlen = o;
	return ZL_OK;
}

/* Decode %XX and '+' in place; returns the new length or -1 on a bad escape or NUL. */
static long decode_component(char *s)
{
	char *r = s, *w = s;

	while (*r) {
		if (*r == '%') {
			int hi = zl_hex_digit((unsigned char)r[1]);
			int lo = hi < 0 ? -1 : zl_hex_digit((unsigned char)r[2]);

			if (hi < 0 || lo < 0)
				return -1;
			if (hi == 0 && lo == 0)
				return -1;
			*w++ = (char)(hi * 16 + lo);
			r += 3;
		} else if (*r == '+') {
			*w++ = ' ';
			r++;
		} else {
			*w++ = *r++;
		}
	}
	*w = '\0';
	return (long)(w - s);
}

int zl_query_parse(char *qs, struct zl_query_kv *kv, size_t max, size_t *n, struct zl_error *err)
{
	char *save = NULL, *item;

	*n = 0;
	if (!qs)
		return ZL_OK;
	for (item = strtok_r(qs, "&", &save); item; item = strtok_r(NULL, "&", &save)) {
		char *eq = strchr(item, '=');
		const char *value = "";

		if (eq) {
			*eq = '\0';
			value = eq + 1;
		}
		if (decode_component(item) < 0 || (eq && decode_component(eq + 1) < 0))
			return zl_error_set(err, ZL_EINVAL, "query",
					    "bad %%-escape in query string");
		if (*n >= max)
			return zl_error_set(err, ZL_ETOOBIG, "query",
					    "too many query parameters (at most %zu)", max);
		kv[*n].key = item;
		kv[*n].value = value;
		(*n)++;
	}
	return ZL_OK;
}

const char *zl_query_get(const struct zl_query_kv *kv, size_t n, const char *key)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(kv[i].key, key))
			return kv[i].value;
	return NULL;
}
