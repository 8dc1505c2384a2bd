/*
 * orgcode.h - the organization code (组织机构代码, GB 11714-1997) validator.
 *
 * An organization code is an 8-character body (0-9, A-Z) and one check
 * character, written either "192203821" or with a hyphen "19220382-1".
 * Check: T = sum of value(body[j]) * w[j] with w = 3,7,9,10,5,8,4,2 and
 * values 0-9 -> 0-9, A-Z -> 10-35; C = 11 - T mod 11; C == 10 -> 'X',
 * C == 11 -> '0', else the digit (DOMAIN.md section 1.3).
 * Legacy records in Zhiliang may carry only this code; a USCC embeds it at
 * positions 9-17.  Pure functions, no allocation.
 */
#ifndef ZL_CODES_ORGCODE_H
#define ZL_CODES_ORGCODE_H

#include <stddef.h>

#define ZL_ORGCODE_NORMALIZE 0x1u /* accept lowercase letters as uppercase */

enum zl_orgcode_status {
	ZL_ORGCODE_OK = 0,
	ZL_ORGCODE_BAD_LENGTH, /* pos = the length found */
	ZL_ORGCODE_BAD_CHAR,   /* pos = 1-based position of the first illegal byte */
	ZL_ORGCODE_BAD_CHECK   /* pos = position of the check char, expected = correct one */
};

struct zl_orgcode_result {
	enum zl_orgcode_status status;
	int pos;
	char expected;
	unsigned char found;
};

/*
 * Validate `n` bytes at `s`: 9 characters, or 10 with a '-' at position 9.
 * Fills `r` (required).  Returns ZL_OK when valid, ZL_EUNPROC otherwise.
 */
int zl_orgcode_check(const char *s, size_t n, unsigned flags, struct zl_orgcode_result *r);

/*
 * Check character for an 8-character body (0-9, A-Z uppercase).  Returns
 * ZL_OK and sets *out ('0'-'9' or 'X'), or ZL_EINVAL for a character
 * outside the alphabet.
 */
int zl_orgcode_compute_check(const char body[8], char *out);

/*
 * Message for a result, English or Chinese (lang: 0 English, 1 Chinese, the
 * values of enum zl_uscc_lang), snprintf semantics; "" for a valid result.
 */
size_t zl_orgcode_message(const struct zl_orgcode_result *r, int lang, char *buf, size_t size);

#endif /* ZL_CODES_ORGCODE_H */
