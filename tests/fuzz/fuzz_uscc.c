/*
 * fuzz_uscc.c - libFuzzer target for the USCC and organization-code validators.
 *
 * Feeds arbitrary bytes to zl_uscc_check() in every flag combination and to
 * zl_orgcode_check(), and asserts the invariants the rest of the program relies on:
 * a valid USCC is 18 bytes whose check character is what zl_uscc_compute_check() gives
 * for its (uppercased) first 17 and whose embedded organization code validates (unless
 * tolerated by the legacy flag); a normalised valid code is valid in strict mode; error
 * positions lie inside the input; messages are terminated and ASCII (English).
 */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "codes/orgcode.h"
#include "codes/uscc.h"
#include "core/err.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_message_ascii(const char *msg, size_t n, size_t cap)
{
	size_t len = strlen(msg);

	assert(len < cap);
	assert(len == n || n >= cap);
	for (size_t i = 0; i < len; i++)
		assert((unsigned char)msg[i] >= 0x20 && (unsigned char)msg[i] < 0x7f);
}

static void fuzz_uscc(const char *s, size_t size, unsigned flags)
{
	struct zl_uscc_result r;
	char msg[256];
	char zh[256];
	int rc = zl_uscc_check(s, size, flags, &r);

	check_message_ascii(msg, zl_uscc_message(&r, ZL_USCC_EN, msg, sizeof(msg)), sizeof(msg));
	(void)zl_uscc_message(&r, ZL_USCC_ZH, zh, sizeof(zh));
	assert(strlen(zh) < sizeof(zh));
	if (rc == ZL_OK) {
		char up[ZL_USCC_LEN + 1], c;
		struct zl_orgcode_result o;
		struct zl_uscc_result strict;

		assert(r.status == ZL_USCC_OK && size == ZL_USCC_LEN);
		assert(zl_uscc_normalize(s, size, up) == ZL_OK);
		assert(zl_uscc_compute_check(up, &c) == ZL_OK && c == up[17]);
		for (int i = 2; i < 8; i++)
			assert(up[i] >= '0' && up[i] <= '9');
		if (zl_orgcode_check(up + 8, 9, 0, &o) != ZL_OK)
			assert((flags & ZL_USCC_LEGACY) && (r.warnings & ZL_USCC_WARN_ORG_CHECK) &&
			       o.expected == r.org_expected);
		/* The uppercase form is valid without normalisation, with the same warnings. */
		assert(zl_uscc_check(up, ZL_USCC_LEN, flags & ~ZL_USCC_NORMALIZE, &strict) ==
		       ZL_OK);
		assert((strict.warnings | ZL_USCC_WARN_LOWERCASE) ==
		       (r.warnings | ZL_USCC_WARN_LOWERCASE));
		assert(!(r.warnings & ZL_USCC_WARN_UNKNOWN_TYPE) == (r.type != NULL));
	} else {
		assert(rc == ZL_EUNPROC && r.status != ZL_USCC_OK);
		if (r.status == ZL_USCC_BAD_LENGTH)
			assert(size != ZL_USCC_LEN);
		else
			assert(r.pos >= 1 && r.pos <= ZL_USCC_LEN && size == ZL_USCC_LEN);
		if (r.status == ZL_USCC_BAD_CHECK || r.status == ZL_USCC_BAD_ORG_CHECK)
			assert(r.expected != 0);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	struct zl_orgcode_result o;
	char msg[128];
	int rc;

	for (unsigned flags = 0; flags < 4; flags++)
		fuzz_uscc(s, size, flags);

	for (unsigned flags = 0; flags < 2; flags++) {
		rc = zl_orgcode_check(s, size, flags, &o);
		(void)zl_orgcode_message(&o, 0, msg, sizeof(msg));
		assert(strlen(msg) < sizeof(msg));
		if (rc == ZL_OK) {
			char body[8], c;

			assert(size == 9 || size == 10);
			for (int i = 0; i < 8; i++) {
				char ch = s[i];

				body[i] = (ch >= 'a' && ch <= 'z') ? (char)(ch - 'a' + 'A') : ch;
			}
			assert(zl_orgcode_compute_check(body, &c) == ZL_OK);
			assert(c == s[size - 1] || c == s[size - 1] - 'a' + 'A');
		} else if (o.status != ZL_ORGCODE_BAD_LENGTH) {
			assert(o.pos >= 1 && (size_t)o.pos <= size);
		}
	}
	return 0;
}
