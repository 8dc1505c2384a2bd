/*
 * cookie.c - the Cookie and Authorization header parsers of cookie.h.
 *
 * Both scan the header once, never write past `out`, and treat anything
 * unexpected as "no credential" or "malformed", which auth.c turns into an
 * anonymous caller: a broken cookie must not break a public page.
 */
#include "http/cookie.h"

#include <string.h>
#include <strings.h>

static int is_ows(char c)
{
	return c == ' ' || c == '\t';
}

/* RFC 6265 cookie-octet: %x21 / %x23-2B / %x2D-3A / %x3C-5B / %x5D-7E */
static int is_cookie_octet(unsigned char c)
{
	return c == 0x21 || (c >= 0x23 && c <= 0x2b) || (c >= 0x2d && c <= 0x3a) ||
	       (c >= 0x3c && c <= 0x5b) || (c >= 0x5d && c <= 0x7e);
}

/* Validate and copy the value v[0..len) (quotes already checked); ZL_OK or an error. */
static int copy_value(const char *v, size_t len, char *out, size_t n)
{
	for (size_t i = 0; i < len; i++)
		if (!is_cookie_octet((unsigned char)v[i]))
			return ZL_EINVAL;
	if (len >= n)
		return ZL_ETOOBIG;
	memcpy(out, v, len);
	out[len] = '\0';
	return ZL_OK;
}

int zl_cookie_get(const char *header, const char *name, char *out, size_t n)
{
	size_t name_len = name ? strlen(name) : 0;
	const char *p = header;

	if (!n)
		return ZL_ETOOBIG;
	out[0] = '\0';
	if (!header || !name_len)
		return ZL_ENOTFOUND;
	while (*p) {
		const char *pair = p, *end = strchr(p, ';'), *eq, *nb, *ne, *vb, *ve;
		int rc;

		if (!end)
			end = p + strlen(p);
		p = *end ? end + 1 : end;
		eq = memchr(pair, '=', (size_t)(end - pair));
		if (!eq)
			continue;
		for (nb = pair; nb < eq && is_ows(*nb); nb++)
			;
		for (ne = eq; ne > nb && is_ows(ne[-1]); ne--)
			;
		if ((size_t)(ne - nb) != name_len || memcmp(nb, name, name_len))
			continue;
		for (vb = eq + 1; vb < end && is_ows(*vb); vb++)
			;
		for (ve = end; ve > vb && is_ows(ve[-1]); ve--)
			;
		if (ve > vb && (*vb == '"' || ve[-1] == '"')) {
			if (ve - vb < 2 || *vb != '"' || ve[-1] != '"')
				return ZL_EINVAL;
			vb++;
			ve--;
		}
		rc = copy_value(vb, (size_t)(ve - vb), out, n);
		if (rc)
			out[0] = '\0';
		return rc; /* first occurrence wins, even when it is bad */
	}
	return ZL_ENOTFOUND;
}

static int is_token68(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '.' || c == '_' || c == '~' || c == '+' || c == '/';
}

int zl_bearer_get(const char *header, char *out, size_t n)
{
	const char *p, *b;
	size_t len;

	if (!n)
		return ZL_ETOOBIG;
	out[0] = '\0';
	if (!header)
		return ZL_ENOTFOUND;
	for (p = header; is_ows(*p); p++)
		;
	if (strncasecmp(p, "Bearer", 6) || (p[6] && !is_ows(p[6])))
		return ZL_ENOTFOUND;
	for (p += 6; is_ows(*p); p++)
		;
	b = p;
	while (is_token68((unsigned char)*p))
		p++;
	if (p == b)
		return ZL_EINVAL;
	while (*p == '=')
		p++;
	len = (size_t)(p - b);
	while (is_ows(*p))
		p++;
	if (*p)
		return ZL_EINVAL;
	if (len >= n)
		return ZL_ETOOBIG;
	memcpy(out, b, len);
	out[len] = '\0';
	return ZL_OK;
}

int zl_is_hex64(const char *s)
{
	size_t i;

	if (!s)
		return 0;
	for (i = 0; i < 64; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return s[64] == '\0';
}

int zl_is_api_token(const char *s)
{
	return s && !strncmp(s, "zlt_", 4) && zl_is_hex64(s + 4);
}
