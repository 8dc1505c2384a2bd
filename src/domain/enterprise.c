/*
 * enterprise.c - normalisation and validation of an enterprise record, and
 * the certification/award vocabularies (domain/enterprise.h).
 *
 * Records arrive from forms and from spreadsheets typed by hand, so the
 * normalisation is generous (full-width digits, Chinese status words,
 * several date spellings) while the validation is strict: whatever is
 * stored is canonical, and every refusal names the field.
 */
#include "domain/enterprise.h"

#include <string.h>

#include "codes/industry.h"
#include "codes/orgcode.h"
#include "codes/region.h"
#include "codes/uscc.h"
#include "core/buf.h"
#include "core/text.h"
#include "core/timeutil.h"

static const struct zl_ent_kind cert_kinds[] = {
	{"iso9001", "ISO 9001质量管理体系认证"},
	{"ccc", "中国强制性产品认证（CCC）"},
	{"production_licence", "工业产品生产许可证"},
	{"pollution_free", "无公害农产品"},
	{"green_food", "绿色食品"},
	{"organic", "有机产品认证"},
	{"geo_indication", "地理标志产品"},
	{"energy_saving", "节能产品认证"},
	{"low_carbon", "低碳产品认证"},
};

static const struct zl_ent_kind award_kinds[] = {
	{"famous_brand", "河南省名牌产品"},
	{"well_known_mark", "中国驰名商标"},
	{"time_honoured", "中华老字号"},
	{"governor_quality_award", "河南省省长质量奖"},
};

#define N_CERT (sizeof(cert_kinds) / sizeof(cert_kinds[0]))
#define N_AWARD (sizeof(award_kinds) / sizeof(award_kinds[0]))

const struct zl_ent_kind *zl_enterprise_cert_kind(const char *kind)
{
	for (size_t i = 0; kind && i < N_CERT; i++)
		if (!strcmp(cert_kinds[i].kind, kind))
			return &cert_kinds[i];
	return NULL;
}

const struct zl_ent_kind *zl_enterprise_award_kind(const char *kind)
{
	for (size_t i = 0; kind && i < N_AWARD; i++)
		if (!strcmp(award_kinds[i].kind, kind))
			return &award_kinds[i];
	return NULL;
}

size_t zl_enterprise_cert_kind_count(void)
{
	return N_CERT;
}

const struct zl_ent_kind *zl_enterprise_cert_kind_at(size_t i)
{
	return i < N_CERT ? &cert_kinds[i] : NULL;
}

size_t zl_enterprise_award_kind_count(void)
{
	return N_AWARD;
}

const struct zl_ent_kind *zl_enterprise_award_kind_at(size_t i)
{
	return i < N_AWARD ? &award_kinds[i] : NULL;
}

const char *zl_enterprise_warning_text(unsigned bit)
{
	switch (bit) {
	case ZL_ENT_WARN_ORG_CHECK:
		return "the organization code's check character is wrong (legacy import)";
	case ZL_ENT_WARN_LOWERCASE:
		return "the code was written in lowercase";
	case ZL_ENT_WARN_UNKNOWN_TYPE:
		return "unknown registration authority / entity type (USCC positions 1-2)";
	default:
		return "";
	}
}

/* ---- text helpers ------------------------------------------------------ */

static int is_ascii_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

/* Length of a space at s (ASCII whitespace, U+3000, U+00A0), 0 if none. */
static size_t space_len(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;

	if (n >= 1 && is_ascii_space(u[0]))
		return 1;
	if (n >= 3 && u[0] == 0xE3 && u[1] == 0x80 && u[2] == 0x80)
		return 3;
	if (n >= 2 && u[0] == 0xC2 && u[1] == 0xA0)
		return 2;
	return 0;
}

/* 1 when byte c may start (first) or end (last) a space of space_len(). */
static int may_start_space(unsigned char c)
{
	return is_ascii_space(c) || c == 0xE3 || c == 0xC2;
}

static int may_end_space(unsigned char c)
{
	return is_ascii_space(c) || c == 0x80 || c == 0xA0;
}

/* Trim spaces on both ends of the NUL-terminated s, in place. */
static void trim(char *s)
{
	size_t n = strlen(s), b = 0, k;

	/* Nearly every value has nothing to trim: said by its first and last bytes. */
	if (n == 0 ||
	    (!may_start_space((unsigned char)s[0]) && !may_end_space((unsigned char)s[n - 1])))
		return;

	while (b < n && (k = space_len(s + b, n - b)) > 0)
		b += k;
	/* Trailing: walk forward and remember the end of the last non-space. */
	size_t end = b, i = b;
	while (i < n) {
		k = space_len(s + i, n - i);
		if (k > 0) {
			i += k;
		} else {
			i++;
			end = i;
		}
	}
	memmove(s, s + b, end - b);
	s[end - b] = '\0';
}

/*
 * Fold full-width ASCII (U+FF01..U+FF5E) to ASCII and drop every space
 * (ASCII, U+3000, U+00A0), in place: for codes and dates.
 */
static void fold_code(char *s)
{
	size_t n = 0, i = 0, o = 0;

	/* Codes are nearly always plain ASCII without spaces: nothing to do. */
	for (const unsigned char *u = (const unsigned char *)s; u[n]; n++)
		if (u[n] >= 0x80 || is_ascii_space(u[n]))
			break;
	if (s[n] == '\0')
		return;
	n += strlen(s + n);

	while (i < n) {
		const unsigned char *u = (const unsigned char *)s + i;
		size_t k = space_len(s + i, n - i);

		if (k > 0) {
			i += k;
			continue;
		}
		/* U+FF01..U+FF5E is EF BC 81..EF BC BF, EF BD 80..EF BD 9E. */
		if (n - i >= 3 && u[0] == 0xEF && (u[1] == 0xBC || u[1] == 0xBD)) {
			unsigned cp = 0xFF00u + ((unsigned)(u[1] & 0x3) << 6) + (u[2] & 0x3Fu);

			if (cp >= 0xFF01 && cp <= 0xFF5E) {
				s[o++] = (char)(cp - 0xFF01 + 0x21);
				i += 3;
				continue;
			}
		}
		s[o++] = s[i++];
	}
	s[o] = '\0';
}

static void upper_ascii(char *s)
{
	for (; *s; s++)
		if (*s >= 'a' && *s <= 'z')
			*s = (char)(*s - 'a' + 'A');
}

static void lower_ascii(char *s)
{
	for (; *s; s++)
		if (*s >= 'A' && *s <= 'Z')
			*s = (char)(*s - 'A' + 'a');
}

/* Valid UTF-8 without control characters; counts characters into *chars. */
static int text_ok(const char *s, size_t *chars)
{
	size_t n = strlen(s), i = 0, c = 0;

	while (i < n) {
		uint32_t cp;
		size_t k;

		if ((unsigned char)s[i] < 0x80) { /* what zl_utf8_decode() says of ASCII */
			if ((unsigned char)s[i] < 0x20 || s[i] == 0x7F)
				return 0;
			i++;
			c++;
			continue;
		}
		/* Longer sequences are all above the control characters. */
		if ((k = zl_utf8_seq_len(s + i, n - i)) == 3) {
			i += 3;
			c++;
			continue;
		}
		k = zl_utf8_decode(s + i, n - i, &cp);
		if (k == 0 || cp < 0x20 || cp == 0x7F)
			return 0;
		i += k;
		c++;
	}
	if (chars)
		*chars = c;
	return 1;
}

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !memcmp(s + n - m, suffix, m);
}

/* ---- dates --------------------------------------------------------------- */

/* Read 1..max digits at *p into *v; returns the count read. */
static int read_digits(const char **p, int max, long *v)
{
	int k = 0;

	*v = 0;
	while (k < max && **p >= '0' && **p <= '9') {
		*v = *v * 10 + (**p - '0');
		(*p)++;
		k++;
	}
	return k;
}

/* Skip one date separator: - / . or 年 月 (UTF-8); returns 1 if one was there. */
static int skip_sep(const char **p)
{
	if (**p == '-' || **p == '/' || **p == '.') {
		(*p)++;
		return 1;
	}
	if (!strncmp(*p, "年", 3) || !strncmp(*p, "月", 3)) {
		*p += 3;
		return 1;
	}
	return 0;
}

int zl_enterprise_date_normalise(char *s, size_t cap, const char *field, struct zl_error *err)
{
	const char *p;
	long y, m, d;
	int ok;

	fold_code(s);
	if (s[0] == '\0')
		return ZL_OK;
	p = s;
	if (strlen(s) == 8 && read_digits(&p, 8, &y) == 8) {
		d = y % 100;
		m = (y / 100) % 100;
		y /= 10000;
		ok = 1;
	} else {
		p = s;
		ok = read_digits(&p, 4, &y) == 4 && skip_sep(&p) && read_digits(&p, 2, &m) > 0 &&
		     skip_sep(&p) && read_digits(&p, 2, &d) > 0;
		if (ok && !strncmp(p, "日", 3))
			p += 3;
		ok = ok && *p == '\0';
	}
	if (!ok || y < 1800 || !zl_date_valid(y, (unsigned)m, (unsigned)d) || cap < 11)
		return zl_error_set(err, ZL_EUNPROC, field, "not a date (YYYY-MM-DD): %.40s", s);
	/* y has 4 digits (read so), 1 <= m <= 12, 1 <= d <= 31: 10 bytes. */
	s[0] = (char)('0' + y / 1000);
	s[1] = (char)('0' + y / 100 % 10);
	s[2] = (char)('0' + y / 10 % 10);
	s[3] = (char)('0' + y % 10);
	s[4] = '-';
	s[5] = (char)('0' + m / 10);
	s[6] = (char)('0' + m % 10);
	s[7] = '-';
	s[8] = (char)('0' + d / 10);
	s[9] = (char)('0' + d % 10);
	s[10] = '\0';
	return ZL_OK;
}

/* ---- the key ------------------------------------------------------------- */

/* Validate an organization code (9 chars, or 10 with '-') into out (10 bytes). */
static int org_code_norm(const char *code, unsigned flags, struct zl_enterprise *e,
			 const char *field, struct zl_error *err)
{
	struct zl_orgcode_result r;
	char buf[16], msg[160];
	size_t n = strlen(code), o = 0;

	if (n > 10)
		return zl_error_set(err, ZL_EUNPROC, field,
				    "an organization code has 9 characters, found %zu", n);
	if (zl_orgcode_check(code, n, ZL_ORGCODE_NORMALIZE, &r) != ZL_OK) {
		if (r.status == ZL_ORGCODE_BAD_CHECK && (flags & ZL_ENT_LEGACY_IMPORT)) {
			e->warnings |= ZL_ENT_WARN_ORG_CHECK;
		} else {
			zl_orgcode_message(&r, 0, msg, sizeof(msg));
			return zl_error_set(err, ZL_EUNPROC, field, "organization code: %s", msg);
		}
	}
	for (size_t i = 0; i < n && o < 9; i++)
		if (code[i] != '-')
			buf[o++] = code[i];
	buf[o] = '\0';
	for (size_t i = 0; i < o; i++)
		if (buf[i] >= 'a' && buf[i] <= 'z')
			e->warnings |= ZL_ENT_WARN_LOWERCASE;
	upper_ascii(buf);
	zl_strlcpy(e->org_code, buf, sizeof(e->org_code));
	snprintf(e->uscc, sizeof(e->uscc), "ORG:%s", buf);
	e->legacy = 1;
	return ZL_OK;
}

static int key_norm(struct zl_enterprise *e, unsigned flags, struct zl_error *err)
{
	struct zl_uscc_result r;
	char up[ZL_USCC_LEN + 1], msg[160];
	size_t n;

	fold_code(e->uscc);
	fold_code(e->org_code);
	if (!strncmp(e->uscc, "ORG:", 4) || !strncmp(e->uscc, "org:", 4)) {
		char code[sizeof(e->uscc)];

		zl_strlcpy(code, e->uscc + 4, sizeof(code));
		return org_code_norm(code, flags, e, "uscc", err);
	}
	n = strlen(e->uscc);
	if (n == 0) {
		if (e->org_code[0] == '\0')
			return zl_error_set(err, ZL_EUNPROC, "uscc",
					    "a unified social credit code (or, for a legacy "
					    "record, an organization code) is required");
		char code[sizeof(e->org_code)];

		zl_strlcpy(code, e->org_code, sizeof(code));
		return org_code_norm(code, flags, e, "org_code", err);
	}
	if (n == 9 || n == 10) {
		char code[sizeof(e->uscc)];

		/* An organization code typed into the USCC column. */
		zl_strlcpy(code, e->uscc, sizeof(code));
		return org_code_norm(code, flags, e, "uscc", err);
	}
	if (zl_uscc_check(e->uscc, n,
			  ZL_USCC_NORMALIZE | ((flags & ZL_ENT_LEGACY_IMPORT) ? ZL_USCC_LEGACY : 0),
			  &r) != ZL_OK) {
		zl_uscc_message(&r, ZL_USCC_EN, msg, sizeof(msg));
		return zl_error_set(err, ZL_EUNPROC, "uscc", "%s", msg);
	}
	if (r.warnings & ZL_USCC_WARN_ORG_CHECK)
		e->warnings |= ZL_ENT_WARN_ORG_CHECK;
	if (r.warnings & ZL_USCC_WARN_LOWERCASE)
		e->warnings |= ZL_ENT_WARN_LOWERCASE;
	if (r.warnings & ZL_USCC_WARN_UNKNOWN_TYPE)
		e->warnings |= ZL_ENT_WARN_UNKNOWN_TYPE;
	zl_uscc_normalize(e->uscc, n, up);
	zl_strlcpy(e->uscc, up, sizeof(e->uscc));
	if (e->org_code[0] != '\0') {
		char given[16];
		size_t o = 0;

		for (size_t i = 0; e->org_code[i] && o < sizeof(given) - 1; i++)
			if (e->org_code[i] != '-')
				given[o++] = e->org_code[i];
		given[o] = '\0';
		upper_ascii(given);
		if (strlen(given) != 9 || memcmp(given, up + 8, 9) != 0)
			return zl_error_set(err, ZL_EUNPROC, "org_code",
					    "organization code %.12s is not the one in the "
					    "USCC (%.9s)",
					    given, up + 8);
	}
	memcpy(e->org_code, up + 8, 9);
	e->org_code[9] = '\0';
	e->legacy = 0;
	return ZL_OK;
}

/* ---- the other fields ---------------------------------------------------- */

static int region_norm(struct zl_enterprise *e, struct zl_error *err)
{
	const struct zl_region *r;

	fold_code(e->region);
	if (e->region[0] == '\0')
		return ZL_OK;
	if (strlen(e->region) != 6 || zl_region_code_parse(e->region, 6) < 0)
		return zl_error_set(err, ZL_EUNPROC, "region",
				    "not a six-digit GB/T 2260 code: %.12s", e->region);
	r = zl_region_find(e->region, ZL_REGION_LATEST);
	if (r == NULL)
		return zl_error_set(err, ZL_EUNPROC, "region",
				    "%s is not a GB/T 2260 code of Henan", e->region);
	if (r->valid_to != 0)
		return zl_error_set(err, ZL_EUNPROC, "region", "%s (%s) is no longer in force",
				    e->region, r->name);
	return ZL_OK;
}

static int industry_norm(struct zl_enterprise *e, struct zl_error *err)
{
	const char *digits;
	size_t n;

	fold_code(e->industry);
	if (e->industry[0] == '\0')
		return ZL_OK;
	if (e->industry[0] >= 'a' && e->industry[0] <= 'z')
		e->industry[0] = (char)(e->industry[0] - 'a' + 'A');
	digits = (e->industry[0] >= 'A' && e->industry[0] <= 'Z') ? e->industry + 1 : e->industry;
	n = strlen(digits);
	if (n < 2 || n > 4 || zl_industry_find(e->industry) == NULL)
		return zl_error_set(err, ZL_EUNPROC, "industry",
				    "not a GB/T 4754-2017 division or class: %.8s", e->industry);
	memmove(e->industry, digits, n + 1);
	return ZL_OK;
}

struct word {
	const char *in;
	const char *out;
};

static const struct word status_words[] = {
	{"operating", "operating"}, {"revoked", "revoked"}, {"cancelled", "cancelled"},
	{"canceled", "cancelled"},  {"存续", "operating"},  {"在营", "operating"},
	{"开业", "operating"},	    {"在业", "operating"},  {"吊销", "revoked"},
	{"注销", "cancelled"},
};

static const struct word size_words[] = {
	{"large", "large"}, {"medium", "medium"}, {"small", "small"}, {"micro", "micro"},
	{"大型", "large"},  {"中型", "medium"},	  {"小型", "small"},  {"微型", "micro"},
};

static int enum_norm(char *s, size_t cap, const struct word *w, size_t nw, const char *field,
		     const char *allowed, struct zl_error *err)
{
	fold_code(s);
	lower_ascii(s);
	for (size_t i = 0; i < nw; i++) {
		/* "吊销，未注销" and similar registry phrases start with the word. */
		if (!strcmp(s, w[i].in) || (w[i].in[0] & 0x80 && !strncmp(s, w[i].in, 6))) {
			zl_strlcpy(s, w[i].out, cap);
			return ZL_OK;
		}
	}
	return zl_error_set(err, ZL_EUNPROC, field, "must be one of %s", allowed);
}

static int capital_norm(struct zl_enterprise *e, struct zl_error *err)
{
	char *s = e->registered_capital;
	size_t o = 0;
	int dot = 0, digits = 0;

	fold_code(s);
	if (ends_with(s, "万元"))
		s[strlen(s) - 6] = '\0';
	else if (ends_with(s, "万"))
		s[strlen(s) - 3] = '\0';
	for (size_t i = 0; s[i]; i++) {
		if (s[i] == ',')
			continue;
		if (s[i] == '.' && !dot && digits) {
			dot = 1;
		} else if (s[i] >= '0' && s[i] <= '9') {
			digits++;
		} else {
			return zl_error_set(err, ZL_EUNPROC, "registered_capital",
					    "registered capital must be a number of 万元");
		}
		s[o++] = s[i];
	}
	s[o] = '\0';
	if (o > 0 && s[o - 1] == '.')
		return zl_error_set(err, ZL_EUNPROC, "registered_capital",
				    "registered capital must be a number of 万元");
	return ZL_OK;
}

static int text_field(char *s, const char *field, struct zl_error *err)
{
	trim(s);
	if (!text_ok(s, NULL))
		return zl_error_set(err, ZL_EUNPROC, field, "invalid UTF-8 or a control character");
	return ZL_OK;
}

int zl_enterprise_validate(struct zl_enterprise *e, unsigned flags, struct zl_error *err)
{
	size_t chars = 0;
	int rc;

	e->warnings = 0;
	rc = key_norm(e, flags, err);
	if (rc != ZL_OK)
		return rc;

	trim(e->name);
	if (!text_ok(e->name, &chars))
		return zl_error_set(err, ZL_EUNPROC, "name",
				    "invalid UTF-8 or a control character");
	if (chars < 2 || chars > 200)
		return zl_error_set(err, ZL_EUNPROC, "name",
				    "the name must have 2 to 200 characters, found %zu", chars);

	if ((rc = region_norm(e, err)) != ZL_OK || (rc = industry_norm(e, err)) != ZL_OK)
		return rc;
	if ((rc = text_field(e->address, "address", err)) != ZL_OK ||
	    (rc = text_field(e->legal_rep, "legal_rep", err)) != ZL_OK ||
	    (rc = text_field(e->cqo_name, "cqo_name", err)) != ZL_OK)
		return rc;
	if ((rc = capital_norm(e, err)) != ZL_OK)
		return rc;
	if ((rc = zl_enterprise_date_normalise(e->founded, sizeof(e->founded), "founded", err)) !=
		    ZL_OK ||
	    (rc = zl_enterprise_date_normalise(e->cqo_appointed, sizeof(e->cqo_appointed),
					       "cqo_appointed", err)) != ZL_OK)
		return rc;
	if (e->cqo_appointed[0] != '\0' && e->cqo_name[0] == '\0')
		return zl_error_set(err, ZL_EUNPROC, "cqo_name",
				    "an appointment date needs the chief quality officer's name");

	fold_code(e->status);
	if (e->status[0] == '\0')
		zl_strlcpy(e->status, "operating", sizeof(e->status));
	rc = enum_norm(e->status, sizeof(e->status), status_words,
		       sizeof(status_words) / sizeof(status_words[0]), "status",
		       "operating, revoked, cancelled", err);
	if (rc != ZL_OK)
		return rc;
	fold_code(e->size_class);
	if (e->size_class[0] != '\0') {
		rc = enum_norm(e->size_class, sizeof(e->size_class), size_words,
			       sizeof(size_words) / sizeof(size_words[0]), "size_class",
			       "large, medium, small, micro", err);
		if (rc != ZL_OK)
			return rc;
	}
	return ZL_OK;
}
