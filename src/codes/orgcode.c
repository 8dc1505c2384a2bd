/*
 * orgcode.c - GB 11714 organization code check (see orgcode.h).
 */
#include "codes/orgcode.h"

#include <stdio.h>

#include "core/err.h"

/* value + 1 of each organization-code character; 0 marks an illegal byte. */
/* clang-format off */
static const unsigned char org_tab[256] = {
	['0'] = 1,   ['1'] = 2,   ['2'] = 3,   ['3'] = 4,   ['4'] = 5,   ['5'] = 6,
	['6'] = 7,   ['7'] = 8,   ['8'] = 9,   ['9'] = 10,  ['A'] = 11,  ['B'] = 12,
	['C'] = 13,  ['D'] = 14,  ['E'] = 15,  ['F'] = 16,  ['G'] = 17,  ['H'] = 18,
	['I'] = 19,  ['J'] = 20,  ['K'] = 21,  ['L'] = 22,  ['M'] = 23,  ['N'] = 24,
	['O'] = 25,  ['P'] = 26,  ['Q'] = 27,  ['R'] = 28,  ['S'] = 29,  ['T'] = 30,
	['U'] = 31,  ['V'] = 32,  ['W'] = 33,  ['X'] = 34,  ['Y'] = 35,  ['Z'] = 36,
};

/* clang-format on */

static const int org_weights[8] = {3, 7, 9, 10, 5, 8, 4, 2};

static char org_check_char(unsigned sum)
{
	unsigned c = 11 - sum % 11;

	if (c == 10)
		return 'X';
	if (c == 11)
		return '0';
	return (char)('0' + c);
}

int zl_orgcode_compute_check(const char body[8], char *out)
{
	unsigned sum = 0;

	for (int i = 0; i < 8; i++) {
		unsigned v = org_tab[(unsigned char)body[i]];

		if (!v)
			return ZL_EINVAL;
		sum += (v - 1) * (unsigned)org_weights[i];
	}
	*out = org_check_char(sum);
	return ZL_OK;
}

static unsigned char upcase(unsigned char c, unsigned flags)
{
	if ((flags & ZL_ORGCODE_NORMALIZE) && c >= 'a' && c <= 'z')
		return (unsigned char)(c - 'a' + 'A');
	return c;
}

int zl_orgcode_check(const char *s, size_t n, unsigned flags, struct zl_orgcode_result *r)
{
	const unsigned char *p = (const unsigned char *)s;
	char body[8];
	unsigned char check;
	int checkpos;
	char expected;

	r->status = ZL_ORGCODE_OK;
	r->pos = 0;
	r->expected = 0;
	r->found = 0;

	if (n != 9 && !(n == 10 && p[8] == '-')) {
		r->status = ZL_ORGCODE_BAD_LENGTH;
		/* A 10-byte string without the hyphen is reported as a length error. */
		r->pos = n > 1000000 ? 1000000 : (int)n;
		return ZL_EUNPROC;
	}
	for (int i = 0; i < 8; i++) {
		unsigned char c = upcase(p[i], flags);

		if (!org_tab[c]) {
			r->status = ZL_ORGCODE_BAD_CHAR;
			r->pos = i + 1;
			r->found = p[i];
			return ZL_EUNPROC;
		}
		body[i] = (char)c;
	}
	checkpos = n == 10 ? 10 : 9;
	check = upcase(p[checkpos - 1], flags);
	if (!org_tab[check]) {
		r->status = ZL_ORGCODE_BAD_CHAR;
		r->pos = checkpos;
		r->found = p[checkpos - 1];
		return ZL_EUNPROC;
	}
	(void)zl_orgcode_compute_check(body, &expected);
	if ((char)check != expected) {
		r->status = ZL_ORGCODE_BAD_CHECK;
		r->pos = checkpos;
		r->expected = expected;
		r->found = p[checkpos - 1];
		return ZL_EUNPROC;
	}
	return ZL_OK;
}

size_t zl_orgcode_message(const struct zl_orgcode_result *r, int lang, char *buf, size_t size)
{
	int n = 0;

	switch (r->status) {
	case ZL_ORGCODE_OK:
		n = snprintf(buf, size, "%s", "");
		break;
	case ZL_ORGCODE_BAD_LENGTH:
		n = lang ? snprintf(buf, size, "长度错误：%d位，应为9位（或带连字符10位）", r->pos)
			 : snprintf(buf, size,
				    "wrong length: %d characters, expected 9 (or 10 with a hyphen)",
				    r->pos);
		break;
	case ZL_ORGCODE_BAD_CHAR:
		n = lang ? snprintf(buf, size, "第%d位含非法字符", r->pos)
			 : snprintf(buf, size, "illegal character at position %d", r->pos);
		break;
	case ZL_ORGCODE_BAD_CHECK:
		n = lang ? snprintf(buf, size, "第%d位校验码错误，应为%c", r->pos, r->expected)
			 : snprintf(buf, size, "bad check character at position %d: expected %c",
				    r->pos, r->expected);
		break;
	}
	return n < 0 ? 0 : (size_t)n;
}
