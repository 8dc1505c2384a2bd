/*
 * uscc.c - USCC (GB 32100-2015) validation, check-character computation and
 * messages (see uscc.h).  The hot path is one pass over 18 bytes through a
 * 256-entry lookup table, no branches on the character class beyond it.
 */
#include "codes/uscc.h"

#include <limits.h>
#include <stdio.h>

#include "core/err.h"

const char zl_uscc_alphabet[32] = "0123456789ABCDEFGHJKLMNPQRTUWXY";

/*
 * value + 1 of each USCC character; 0 marks an illegal byte.  Two tables so
 * the lowercase policy costs nothing per character: the second one also maps
 * the lowercase forms (except i o s v z, which are not in the alphabet).
 */
/* clang-format off */
#define ZL_USCC_UPPER_ENTRIES                                                                   \
	['0'] = 1, ['1'] = 2, ['2'] = 3, ['3'] = 4, ['4'] = 5, ['5'] = 6, ['6'] = 7, ['7'] = 8, \
	['8'] = 9, ['9'] = 10, ['A'] = 11, ['B'] = 12, ['C'] = 13, ['D'] = 14, ['E'] = 15,      \
	['F'] = 16, ['G'] = 17, ['H'] = 18, ['J'] = 19, ['K'] = 20, ['L'] = 21, ['M'] = 22,     \
	['N'] = 23, ['P'] = 24, ['Q'] = 25, ['R'] = 26, ['T'] = 27, ['U'] = 28, ['W'] = 29,     \
	['X'] = 30, ['Y'] = 31

static const unsigned char uscc_tab[256] = { ZL_USCC_UPPER_ENTRIES };

static const unsigned char uscc_tab_ci[256] = {
	ZL_USCC_UPPER_ENTRIES,
	['a'] = 11, ['b'] = 12, ['c'] = 13, ['d'] = 14, ['e'] = 15, ['f'] = 16, ['g'] = 17,
	['h'] = 18, ['j'] = 19, ['k'] = 20, ['l'] = 21, ['m'] = 22, ['n'] = 23, ['p'] = 24,
	['q'] = 25, ['r'] = 26, ['t'] = 27, ['u'] = 28, ['w'] = 29, ['x'] = 30, ['y'] = 31,
};

/* clang-format on */

/* W_i = 3^(i-1) mod 31, i = 1..17 (DOMAIN.md 1.2). */
static const unsigned uscc_weights[17] = {1,  3,  9,  27, 19, 26, 16, 17, 20,
					  29, 25, 13, 8,  24, 10, 30, 28};

/* GB 11714 body weights. */
static const unsigned org_weights[8] = {3, 7, 9, 10, 5, 8, 4, 2};

static const struct zl_uscc_type uscc_types[] = {
#define ZL_USCC_TYPE(code, auth, type, conf) {code, auth, type, conf},
#include "codes/uscc_types.def"
#undef ZL_USCC_TYPE
};

#define NTYPES (sizeof(uscc_types) / sizeof(uscc_types[0]))

size_t zl_uscc_type_count(void)
{
	return NTYPES;
}

const struct zl_uscc_type *zl_uscc_type_at(size_t i)
{
	return i < NTYPES ? &uscc_types[i] : NULL;
}

const struct zl_uscc_type *zl_uscc_type_find(char c1, char c2)
{
	size_t lo = 0, hi = NTYPES;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const char *k = uscc_types[mid].code;
		int cmp = (unsigned char)c1 - (unsigned char)k[0];

		if (!cmp)
			cmp = (unsigned char)c2 - (unsigned char)k[1];
		if (!cmp)
			return &uscc_types[mid];
		if (cmp < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

int zl_uscc_char_value(unsigned char c)
{
	return (int)uscc_tab[c] - 1;
}

int zl_uscc_compute_check(const char first17[17], char *out)
{
	unsigned sum = 0;

	for (int i = 0; i < 17; i++) {
		unsigned v = uscc_tab[(unsigned char)first17[i]];

		if (!v)
			return ZL_EINVAL;
		sum += (v - 1) * uscc_weights[i];
	}
	*out = zl_uscc_alphabet[(31 - sum % 31) % 31];
	return ZL_OK;
}

int zl_uscc_normalize(const char *s, size_t n, char out[ZL_USCC_LEN + 1])
{
	if (n != ZL_USCC_LEN)
		return ZL_EINVAL;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		out[i] = (c >= 'a' && c <= 'z') ? (char)(c - 'a' + 'A') : c;
	}
	out[ZL_USCC_LEN] = '\0';
	return ZL_OK;
}

int zl_uscc_check(const char *s, size_t n, unsigned flags, struct zl_uscc_result *r)
{
	const unsigned char *p = (const unsigned char *)s;
	const unsigned char *tab = (flags & ZL_USCC_NORMALIZE) ? uscc_tab_ci : uscc_tab;
	unsigned char up[ZL_USCC_LEN];
	unsigned vals[ZL_USCC_LEN];
	unsigned sum = 0, orgsum = 0, lower = 0;
	unsigned c18;
	char org_expected;

	r->status = ZL_USCC_OK;
	r->pos = 0;
	r->expected = 0;
	r->found = 0;
	r->warnings = 0;
	r->org_expected = 0;
	r->type = NULL;

	if (n != ZL_USCC_LEN) {
		r->status = ZL_USCC_BAD_LENGTH;
		r->pos = n > INT_MAX ? INT_MAX : (int)n;
		return ZL_EUNPROC;
	}
	for (int i = 0; i < ZL_USCC_LEN; i++) {
		unsigned v = tab[p[i]];

		if (!v) {
			r->status = ZL_USCC_BAD_CHAR;
			r->pos = i + 1;
			r->found = p[i];
			return ZL_EUNPROC;
		}
		vals[i] = v - 1;
		up[i] = (unsigned char)zl_uscc_alphabet[v - 1];
		lower |= p[i] >= 'a';
	}
	for (int i = 2; i < 8; i++) {
		if (p[i] < '0' || p[i] > '9') {
			r->status = ZL_USCC_BAD_DIVISION;
			r->pos = i + 1;
			r->found = p[i];
			return ZL_EUNPROC;
		}
	}
	for (int i = 0; i < 17; i++)
		sum += vals[i] * uscc_weights[i];
	c18 = (31 - sum % 31) % 31;
	if (vals[17] != c18) {
		r->status = ZL_USCC_BAD_CHECK;
		r->pos = 18;
		r->expected = zl_uscc_alphabet[c18];
		r->found = p[17];
		return ZL_EUNPROC;
	}
	/* The embedded organization code uses the 36-symbol GB 11714 values. */
	for (int j = 0; j < 8; j++) {
		unsigned char c = up[8 + j];
		unsigned v = c <= '9' ? (unsigned)(c - '0') : (unsigned)(c - 'A' + 10);

		orgsum += v * org_weights[j];
	}
	{
		unsigned c9 = 11 - orgsum % 11;

		org_expected = c9 == 10 ? 'X' : c9 == 11 ? '0' : (char)('0' + c9);
	}
	if ((char)up[16] != org_expected) {
		if (!(flags & ZL_USCC_LEGACY)) {
			r->status = ZL_USCC_BAD_ORG_CHECK;
			r->pos = 17;
			r->expected = org_expected;
			r->found = p[16];
			return ZL_EUNPROC;
		}
		r->warnings |= ZL_USCC_WARN_ORG_CHECK;
		r->org_expected = org_expected;
	}
	r->type = zl_uscc_type_find((char)up[0], (char)up[1]);
	if (!r->type)
		r->warnings |= ZL_USCC_WARN_UNKNOWN_TYPE;
	if (lower)
		r->warnings |= ZL_USCC_WARN_LOWERCASE;
	return ZL_OK;
}

/* snprintf at buf+*len, keeping *len the would-be total length. */
static void add(char *buf, size_t size, size_t *len, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void add(char *buf, size_t size, size_t *len, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	if (*len < size)
		n = vsnprintf(buf + *len, size - *len, fmt, ap);
	else
		n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n > 0)
		*len += (size_t)n;
}

static void bad_char_msg(const struct zl_uscc_result *r, enum zl_uscc_lang lang, char *buf,
			 size_t size, size_t *len)
{
	unsigned char c = r->found;

	/* Never echo control or non-ASCII bytes into a message. */
	if (c > 0x20 && c < 0x7f && c != '\'' && c != '"' && c != '\\') {
		if (lang == ZL_USCC_ZH)
			add(buf, size, len, "第%d位含非法字符“%c”", r->pos, c);
		else
			add(buf, size, len, "illegal character '%c' at position %d", c, r->pos);
	} else {
		if (lang == ZL_USCC_ZH)
			add(buf, size, len, "第%d位含非法字节0x%02X", r->pos, c);
		else
			add(buf, size, len, "illegal byte 0x%02X at position %d", c, r->pos);
	}
}

size_t zl_uscc_message(const struct zl_uscc_result *r, enum zl_uscc_lang lang, char *buf,
		       size_t size)
{
	size_t len = 0;
	int zh = lang == ZL_USCC_ZH;

	if (size)
		buf[0] = '\0';
	switch (r->status) {
	case ZL_USCC_BAD_LENGTH:
		if (zh)
			add(buf, size, &len, "长度错误：%d位，应为18位", r->pos);
		else
			add(buf, size, &len, "wrong length: %d characters, expected 18", r->pos);
		return len;
	case ZL_USCC_BAD_CHAR:
		bad_char_msg(r, lang, buf, size, &len);
		return len;
	case ZL_USCC_BAD_DIVISION:
		if (zh)
			add(buf, size, &len, "第%d位应为数字（登记管理机关行政区划码）", r->pos);
		else
			add(buf, size, &len,
			    "non-digit at position %d in the administrative division code "
			    "(positions 3-8)",
			    r->pos);
		return len;
	case ZL_USCC_BAD_CHECK:
		if (zh)
			add(buf, size, &len, "第%d位校验码错误，应为%c", r->pos, r->expected);
		else
			add(buf, size, &len, "bad check character at position %d: expected %c",
			    r->pos, r->expected);
		return len;
	case ZL_USCC_BAD_ORG_CHECK:
		if (zh)
			add(buf, size, &len, "第%d位组织机构代码校验码错误，应为%c", r->pos,
			    r->expected);
		else
			add(buf, size, &len,
			    "bad organization code check character at position %d: expected %c",
			    r->pos, r->expected);
		return len;
	case ZL_USCC_OK:
		break;
	}
	if (r->warnings & ZL_USCC_WARN_ORG_CHECK) {
		if (zh)
			add(buf, size, &len, "第17位组织机构代码校验码应为%c（按存量数据接受）",
			    r->org_expected);
		else
			add(buf, size, &len,
			    "organization code check character at position 17 should be %c "
			    "(accepted as legacy)",
			    r->org_expected);
	}
	if (r->warnings & ZL_USCC_WARN_UNKNOWN_TYPE) {
		if (len)
			add(buf, size, &len, "%s", zh ? "；" : "; ");
		if (zh)
			add(buf, size, &len, "%s", "未知的登记管理部门/机构类别代码（第1-2位）");
		else
			add(buf, size, &len, "%s",
			    "unknown registration authority/entity type (positions 1-2)");
	}
	if (r->warnings & ZL_USCC_WARN_LOWERCASE) {
		if (len)
			add(buf, size, &len, "%s", zh ? "；" : "; ");
		add(buf, size, &len, "%s",
		    zh ? "小写字母已按大写处理" : "lowercase letters read as uppercase");
	}
	return len;
}
