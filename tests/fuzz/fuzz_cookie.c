/*
 * fuzz_cookie.c - libFuzzer target for the credential parsers of
 * http/cookie.h: the Cookie header, the Authorization header and the token
 * shape checks.
 *
 * The input is split at its first NUL byte (if any) into a cookie name and
 * a header value; without a NUL the whole input is the header and the name
 * is "zl_session".  Invariants: the output is always NUL-terminated within
 * its buffer and "" on failure; a found value holds only RFC 6265
 * cookie-octets, is no longer than the header and occurs in it; a bearer
 * token holds only token68 characters and occurs in the header; a value
 * that passes zl_is_hex64 is 64 lowercase hex digits.
 */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http/cookie.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int cookie_octet(unsigned char c)
{
	return c == 0x21 || (c >= 0x23 && c <= 0x2b) || (c >= 0x2d && c <= 0x3a) ||
	       (c >= 0x3c && c <= 0x5b) || (c >= 0x5d && c <= 0x7e);
}

static void check_out(const char *out, size_t cap, int rc)
{
	assert(memchr(out, '\0', cap) != NULL);
	if (rc != ZL_OK)
		assert(out[0] == '\0');
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size + 1);
	const char *name = "zl_session", *header;
	char out[ZL_CREDENTIAL_MAX], small[9];
	int rc;

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	header = buf;
	if (strlen(buf) < size) {
		name = buf;
		header = buf + strlen(buf) + 1;
	}

	rc = zl_cookie_get(header, name, out, sizeof(out));
	check_out(out, sizeof(out), rc);
	assert(rc == ZL_OK || rc == ZL_ENOTFOUND || rc == ZL_EINVAL || rc == ZL_ETOOBIG);
	if (rc == ZL_OK) {
		assert(strlen(out) <= strlen(header));
		for (const char *p = out; *p; p++)
			assert(cookie_octet((unsigned char)*p));
		assert(strstr(header, out) != NULL);
		if (zl_is_hex64(out))
			assert(strlen(out) == 64 && strspn(out, "0123456789abcdef") == 64);
	}
	rc = zl_cookie_get(header, name, small, sizeof(small));
	check_out(small, sizeof(small), rc);

	rc = zl_bearer_get(header, out, sizeof(out));
	check_out(out, sizeof(out), rc);
	assert(rc == ZL_OK || rc == ZL_ENOTFOUND || rc == ZL_EINVAL || rc == ZL_ETOOBIG);
	if (rc == ZL_OK) {
		assert(out[0] != '\0' && out[0] != '=');
		assert(strspn(out, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
				   "0123456789-._~+/=") == strlen(out));
		assert(strstr(header, out) != NULL);
		if (zl_is_api_token(out))
			assert(strlen(out) == 68);
	}
	rc = zl_bearer_get(header, small, sizeof(small));
	check_out(small, sizeof(small), rc);
	(void)zl_is_hex64(header);
	(void)zl_is_api_token(header);
	free(buf);
	return 0;
}
