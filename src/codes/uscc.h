/*
 * uscc.h - the Unified Social Credit Code (统一社会信用代码, GB 32100-2015) validator.
 *
 * A USCC is 18 characters: pos 1 registration authority, pos 2 entity type
 * (both from the 31-symbol USCC alphabet 0-9 A-H J-N P-R T U W X Y, never
 * I O S V Z), pos 3-8 the GB/T 2260 division code of the registering office
 * (digits), pos 9-17 the GB 11714 organization code whose pos 17 is its own
 * mod-11 check, and pos 18 the mod-31 check character (DOMAIN.md section 1).
 *
 * Checks run in this order and the first failure is reported:
 *   length 18 -> alphabet -> pos 3-8 digits -> mod-31 (pos 18) -> inner mod-11 (pos 17).
 * The inner organization-code check is a hard error for new data; with
 * ZL_USCC_LEGACY it is downgraded to a warning (legacy imports).  An
 * authority/type pair (pos 1-2) missing from uscc_types.def is only a warning.
 *
 * Lowercase policy: by default a lowercase letter is an illegal character.
 * With ZL_USCC_NORMALIZE lowercase letters are read as their uppercase form
 * (as python-stdnum does) and the code is valid if its uppercase form is; the
 * result then carries ZL_USCC_WARN_LOWERCASE.  The `zhiliang uscc check`
 * command uses ZL_USCC_NORMALIZE.  Callers that store a code must store the
 * uppercase form (zl_uscc_normalize()).
 *
 * Everything here is pure: no allocation, no global state except const tables.
 */
#ifndef ZL_CODES_USCC_H
#define ZL_CODES_USCC_H

#include <stddef.h>

#define ZL_USCC_LEN 18

/* Flags for zl_uscc_check(). */
#define ZL_USCC_LEGACY 0x1u    /* inner GB 11714 check failure is a warning only */
#define ZL_USCC_NORMALIZE 0x2u /* accept lowercase letters as uppercase */

enum zl_uscc_status {
	ZL_USCC_OK = 0,
	ZL_USCC_BAD_LENGTH,   /* pos = the length found */
	ZL_USCC_BAD_CHAR,     /* pos = 1-based position of the first illegal byte */
	ZL_USCC_BAD_DIVISION, /* pos = first non-digit among positions 3-8 */
	ZL_USCC_BAD_CHECK,    /* pos = 18, expected = the correct check character */
	ZL_USCC_BAD_ORG_CHECK /* pos = 17, expected = the correct GB 11714 check char */
};

/* Warning bits in zl_uscc_result.warnings (the code may still be valid). */
#define ZL_USCC_WARN_ORG_CHECK 0x1u    /* inner check failed, tolerated by ZL_USCC_LEGACY */
#define ZL_USCC_WARN_UNKNOWN_TYPE 0x2u /* pos 1-2 not in the authority/type table */
#define ZL_USCC_WARN_LOWERCASE 0x4u    /* lowercase letters were normalised */

struct zl_uscc_type {
	char code[3];		  /* "91" */
	const char *authority_zh; /* "工商（市场监管）" */
	const char *type_zh;	  /* "企业" */
	int confirmed;		  /* 0: not confirmed against the official table */
};

struct zl_uscc_result {
	enum zl_uscc_status status;
	int pos;	     /* see enum zl_uscc_status; 0 when status is ZL_USCC_OK */
	char expected;	     /* check character expected (BAD_CHECK, BAD_ORG_CHECK), else 0 */
	unsigned char found; /* the offending byte (BAD_CHAR, BAD_DIVISION, BAD_*CHECK) */
	unsigned warnings;   /* ZL_USCC_WARN_* bits */
	char org_expected;   /* with ZL_USCC_WARN_ORG_CHECK: the correct pos-17 char */
	const struct zl_uscc_type *type; /* table row of pos 1-2, NULL if unknown/invalid */
};

/*
 * Validate the `n` bytes at `s` (not NUL-terminated; may hold any bytes).
 * Fills `r` (required).  Returns ZL_OK when the code is valid (possibly with
 * warnings) and ZL_EUNPROC otherwise.  Never reads beyond s[n-1].
 */
int zl_uscc_check(const char *s, size_t n, unsigned flags, struct zl_uscc_result *r);

/*
 * Compute the mod-31 check character for the first 17 characters (uppercase
 * USCC alphabet only).  Returns ZL_OK and sets *out, or ZL_EINVAL if a
 * character is outside the alphabet (*out untouched).
 */
int zl_uscc_compute_check(const char first17[17], char *out);

/*
 * Copy an 18-character code to `out` (19 bytes, NUL-terminated), upper-casing
 * ASCII letters.  Does not validate.  Returns ZL_OK, or ZL_EINVAL if n != 18.
 */
int zl_uscc_normalize(const char *s, size_t n, char out[ZL_USCC_LEN + 1]);

enum zl_uscc_lang { ZL_USCC_EN = 0, ZL_USCC_ZH = 1 };

/*
 * Write the message for a result into buf (size bytes, always NUL-terminated
 * when size > 0), e.g. "bad check character at position 18: expected L" or
 * "第18位校验码错误，应为L".  For a valid result the message describes the
 * warnings ("" when none).  Messages are ASCII (English) or UTF-8 (Chinese)
 * and never echo non-printable input bytes.  Returns the length the full
 * message has (snprintf semantics).
 */
size_t zl_uscc_message(const struct zl_uscc_result *r, enum zl_uscc_lang lang, char *buf,
		       size_t size);

/* The authority/type row for pos 1-2 (uppercase), or NULL. */
const struct zl_uscc_type *zl_uscc_type_find(char c1, char c2);
/* Number of rows in the authority/type table, and row i (NULL if out of range). */
size_t zl_uscc_type_count(void);
const struct zl_uscc_type *zl_uscc_type_at(size_t i);

/* Value 0..30 of a USCC alphabet character, or -1. */
int zl_uscc_char_value(unsigned char c);
/* The USCC alphabet: "0123456789ABCDEFGHJKLMNPQRTUWXY" (31 symbols). */
extern const char zl_uscc_alphabet[32];

#endif /* ZL_CODES_USCC_H */
