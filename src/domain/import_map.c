/*
 * import_map.c - header detection, synonym lookup and cell normalisation
 * for enterprise imports (see import_map.h).
 */
#include <stdlib.h>
#include <string.h>

#include "codes/region.h"
#include "core/text.h"
#include "domain/import_map.h"

struct col_def {
	const char *key;
	const char *label;
};

static const struct col_def cols[] = {
	{NULL, NULL},
#define ZL_ENT_COL(F, KEY, LABEL) {KEY, LABEL},
#define ZL_ENT_SYN(F, TEXT)
#include "domain/enterprise_columns.def"
#undef ZL_ENT_COL
#undef ZL_ENT_SYN
};

struct syn_def {
	enum zl_ecol field;
	const char *text;
};

static const struct syn_def syns[] = {
#define ZL_ENT_COL(F, KEY, LABEL)
#define ZL_ENT_SYN(F, TEXT) {ZL_ECOL_##F, TEXT},
#include "domain/enterprise_columns.def"
#undef ZL_ENT_COL
#undef ZL_ENT_SYN
};

const char *zl_ecol_key(enum zl_ecol c)
{
	return c > ZL_ECOL_NONE && c < ZL_ECOL__COUNT ? cols[c].key : NULL;
}

const char *zl_ecol_label(enum zl_ecol c)
{
	return c > ZL_ECOL_NONE && c < ZL_ECOL__COUNT ? cols[c].label : NULL;
}

size_t zl_ecol_synonym_count(void)
{
	return sizeof(syns) / sizeof(syns[0]);
}

void zl_ecol_synonym_at(size_t i, enum zl_ecol *field, const char **text)
{
	*field = i < zl_ecol_synonym_count() ? syns[i].field : ZL_ECOL_NONE;
	*text = i < zl_ecol_synonym_count() ? syns[i].text : NULL;
}

/* Length of a white-space character at s (ASCII, U+00A0, U+3000), or 0. */
static size_t space_at(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;

	if (n >= 1 && (u[0] == ' ' || (u[0] >= '\t' && u[0] <= '\r')))
		return 1;
	if (n >= 2 && u[0] == 0xC2 && u[1] == 0xA0)
		return 2;
	if (n >= 3 && u[0] == 0xE3 && u[1] == 0x80 && u[2] == 0x80)
		return 3;
	return 0;
}

/* Trimmed view of s: *start and *len. */
static void trim(const char *s, const char **start, size_t *len)
{
	size_t n = strlen(s), k;

	while (n > 0 && (k = space_at(s, n)) > 0)
		s += k, n -= k;
	for (;;) {
		if (n >= 1 && space_at(s + n - 1, 1))
			n -= 1;
		else if (n >= 2 && space_at(s + n - 2, 2) == 2)
			n -= 2;
		else if (n >= 3 && space_at(s + n - 3, 3) == 3)
			n -= 3;
		else
			break;
	}
	*start = s;
	*len = n;
}

int zl_import_header_norm(const char *s, struct zl_buf *out)
{
	struct zl_buf f = ZL_BUF_INIT(1 << 16);
	size_t start = out->len, n, k;
	const char *p;
	int rc = zl_text_fold_fullwidth(s, strlen(s), &f);

	if (rc != ZL_OK) {
		zl_buf_release(&f);
		return rc;
	}
	p = zl_buf_str(&f);
	n = f.len;
	while (n > 0) {
		if ((k = space_at(p, n)) > 0) {
			p += k, n -= k;
			continue;
		}
		if (*p >= 'A' && *p <= 'Z')
			zl_buf_addch(out, (char)(*p - 'A' + 'a'));
		else
			zl_buf_addch(out, *p);
		p++, n--;
	}
	zl_buf_release(&f);
	/* Required-field markers and label colons: "*企业名称", "企业名称：". */
	while (out->len > start &&
	       (out->data[out->len - 1] == '*' || out->data[out->len - 1] == ':'))
		zl_buf_truncate(out, out->len - 1);
	if (out->len > start && out->data[start] == '*') {
		memmove(out->data + start, out->data + start + 1, out->len - start - 1);
		zl_buf_truncate(out, out->len - 1);
	}
	return out->err;
}

static int norm_eq(const char *candidate, const char *normed, struct zl_buf *tmp)
{
	zl_buf_reset(tmp);
	zl_import_header_norm(candidate, tmp);
	return !strcmp(zl_buf_str(tmp), normed);
}

static int lookup_normed(const char *normed, enum zl_ecol *a, enum zl_ecol *b)
{
	struct zl_buf tmp = ZL_BUF_INIT(1 << 16);
	enum zl_ecol found = ZL_ECOL_NONE;
	int rc = ZL_ECOL_NONE;

	*a = *b = ZL_ECOL_NONE;
	if (!normed[0])
		goto out;
	for (int f = 1; f < ZL_ECOL__COUNT; f++) {
		int hit =
			norm_eq(cols[f].key, normed, &tmp) || norm_eq(cols[f].label, normed, &tmp);
		for (size_t i = 0; !hit && i < zl_ecol_synonym_count(); i++)
			hit = syns[i].field == (enum zl_ecol)f &&
			      norm_eq(syns[i].text, normed, &tmp);
		if (!hit)
			continue;
		if (found != ZL_ECOL_NONE) {
			*a = found;
			*b = (enum zl_ecol)f;
			rc = -1;
			goto out;
		}
		found = (enum zl_ecol)f;
	}
	*a = found;
	rc = (int)found;
out:
	zl_buf_release(&tmp);
	return rc;
}

int zl_import_header_lookup(const char *s, enum zl_ecol *a, enum zl_ecol *b)
{
	struct zl_buf n = ZL_BUF_INIT(1 << 16);
	int rc;

	zl_import_header_norm(s, &n);
	rc = lookup_normed(zl_buf_str(&n), a, b);
	/* A unit or format note in parentheses: "成立日期(yyyy-mm-dd)" -> "成立日期". */
	if (rc == ZL_ECOL_NONE && n.len > 2 && n.data[n.len - 1] == ')') {
		char *open = strrchr(n.data, '(');
		if (open && open > n.data) {
			zl_buf_truncate(&n, (size_t)(open - n.data));
			rc = lookup_normed(zl_buf_str(&n), a, b);
		}
	}
	zl_buf_release(&n);
	return rc;
}

void zl_import_map_init(struct zl_import_map *m)
{
	memset(m, 0, sizeof(*m));
	for (int f = 0; f < ZL_ECOL__COUNT; f++)
		m->col_of[f] = -1;
}

void zl_import_map_release(struct zl_import_map *m)
{
	for (size_t i = 0; m->header && i < m->ncols; i++)
		free(m->header[i]);
	free(m->header);
	free(m->field);
	zl_import_map_init(m);
}

void zl_import_col_name(size_t idx, char out[8])
{
	char tmp[8];
	size_t n = 0;

	idx++;
	while (idx > 0 && n < 7) {
		idx--;
		tmp[n++] = (char)('A' + idx % 26);
		idx /= 26;
	}
	for (size_t i = 0; i < n; i++)
		out[i] = tmp[n - 1 - i];
	out[n] = '\0';
}

int zl_import_header_map(const struct zl_import_header_spec *spec, const char *const *cells,
			 size_t n, uint64_t row, int **field_out, char ***header_out, long *col_of,
			 struct zl_error *err)
{
	int *field = calloc(n ? n : 1, sizeof(*field));
	char **header = NULL;
	size_t mapped = 0;
	char ca[8], cb[8];
	int rc = 0;

	if (!field)
		return zl_error_set(err, ZL_ENOMEM, "", "out of memory");
	for (size_t i = 0; i < n; i++) {
		int a, b;
		if (spec->lookup(cells[i], &a, &b) < 0) {
			zl_import_col_name(i, ca);
			rc = zl_error_set(err, ZL_EUNPROC, "header",
					  "row %llu, column %s: header \"%s\" matches two %s, %s and %s",
					  (unsigned long long)row, ca, cells[i], spec->two_what,
					  spec->key(a), spec->key(b));
			goto out;
		}
		field[i] = a;
		mapped += a != 0 && a != spec->uncounted;
	}
	if (mapped < 2)
		goto out;
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < i; j++)
			if (field[i] != 0 && field[i] == field[j]) {
				zl_import_col_name(j, ca);
				zl_import_col_name(i, cb);
				rc = zl_error_set(
					err, ZL_EUNPROC, "header",
					"row %llu: columns %s (\"%s\") and %s (\"%s\") both map "
					"to %s",
					(unsigned long long)row, ca, cells[j], cb, cells[i],
					spec->key(field[i]));
				goto out;
			}
	header = calloc(n ? n : 1, sizeof(*header));
	if (!header) {
		rc = zl_error_set(err, ZL_ENOMEM, "", "out of memory");
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		header[i] = strdup(cells[i]);
		if (!header[i]) {
			rc = zl_error_set(err, ZL_ENOMEM, "", "out of memory");
			goto out;
		}
	}
	for (int f = 0; f < spec->nfields; f++)
		col_of[f] = -1;
	for (size_t i = 0; i < n; i++)
		if (field[i] != 0)
			col_of[field[i]] = (long)i;
	*field_out = field;
	*header_out = header;
	field = NULL;
	header = NULL;
	rc = 1;
out:
	for (size_t i = 0; header && i < n; i++)
		free(header[i]);
	free(header);
	free(field);
	return rc;
}

/* The enterprise lookup, with int field ids for zl_import_header_map. */
static int ecol_lookup(const char *s, int *a, int *b)
{
	enum zl_ecol ea = ZL_ECOL_NONE, eb = ZL_ECOL_NONE;
	int rc = zl_import_header_lookup(s, &ea, &eb);

	*a = (int)ea;
	*b = (int)eb;
	return rc;
}

/* zl_ecol_key for an int field id. */
static const char *ecol_key(int f)
{
	return zl_ecol_key((enum zl_ecol)f);
}

static const struct zl_import_header_spec ecol_spec = {
	.nfields = ZL_ECOL__COUNT,
	.lookup = ecol_lookup,
	.key = ecol_key,
	.two_what = "fields",
	.uncounted = ZL_ECOL_NONE,
};

int zl_import_map_header(struct zl_import_map *m, const char *const *cells, size_t n, uint64_t row,
			 struct zl_error *err)
{
	long col_of[ZL_ECOL__COUNT];
	char **header;
	int *field;
	int rc = zl_import_header_map(&ecol_spec, cells, n, row, &field, &header, col_of, err);

	if (rc != 1)
		return rc;
	zl_import_map_release(m);
	m->ncols = n;
	m->field = field;
	m->header = header;
	memcpy(m->col_of, col_of, sizeof(m->col_of));
	m->header_row = row;
	return 1;
}

int zl_import_map_check(const struct zl_import_map *m, struct zl_error *err)
{
	if (!m->header_row)
		return zl_error_set(
			err, ZL_EUNPROC, "header",
			"no header row found in the first %d rows (a header row names"
			" at least two known columns, e.g. 统一社会信用代码 and 企业名称)",
			ZL_IMPORT_HEADER_SCAN);
	if (m->col_of[ZL_ECOL_NAME] < 0)
		return zl_error_set(err, ZL_EUNPROC, "header",
				    "no name column (企业名称 / 单位名称 / 名称)");
	if (m->col_of[ZL_ECOL_USCC] < 0 && m->col_of[ZL_ECOL_ORG_CODE] < 0)
		return zl_error_set(err, ZL_EUNPROC, "header",
				    "no code column (统一社会信用代码 or 组织机构代码)");
	return ZL_OK;
}

/* ---- values ---- */

static int put(const char *s, size_t len, char *out, size_t n, enum zl_ecol f, struct zl_error *err)
{
	if (len >= n)
		return zl_error_set(err, ZL_EUNPROC, zl_ecol_key(f),
				    "value too long (%zu bytes, at most %zu)", len, n - 1);
	memcpy(out, s, len);
	out[len] = '\0';
	return ZL_OK;
}

static int eq_any(const char *s, const char *const *list)
{
	for (; *list; list++)
		if (!strcmp(s, *list))
			return 1;
	return 0;
}

static int map_size(const char *s, char *out, size_t n, struct zl_error *err)
{
	static const char *const large[] = {"大型", "大型企业", "大", "large", "L", NULL};
	static const char *const medium[] = {"中型", "中型企业", "中", "medium", "M", NULL};
	static const char *const small[] = {"小型", "小型企业", "小", "small", "S", NULL};
	static const char *const micro[] = {"微型", "微型企业", "微", "micro", "XS", NULL};
	const char *v = eq_any(s, large)    ? "large"
			: eq_any(s, medium) ? "medium"
			: eq_any(s, small)  ? "small"
			: eq_any(s, micro)  ? "micro"
					    : NULL;

	if (!v)
		return zl_error_set(err, ZL_EUNPROC, "size_class",
				    "unknown size class \"%s\" (大型/中型/小型/微型)", s);
	return put(v, strlen(v), out, n, ZL_ECOL_SIZE_CLASS, err);
}

static int map_status(const char *s, char *out, size_t n, struct zl_error *err)
{
	static const char *const operating[] = {"存续", "在业", "开业",	     "在营",
						"正常", "在册", "operating", NULL};
	static const char *const revoked[] = {"吊销", "吊销未注销", "已吊销", "revoked", NULL};
	static const char *const cancelled[] = {"注销", "已注销", "吊销已注销", "cancelled", NULL};
	char base[128];
	const char *v, *paren;

	/* 存续（在营、开业、在册） as gsxt prints it: the word before the parenthesis decides. */
	zl_strlcpy(base, s, sizeof(base));
	paren = strstr(base, "(");
	if (!paren)
		paren = strstr(base, "（");
	if (paren && paren > base)
		base[paren - base] = '\0';
	v = eq_any(base, operating)   ? "operating"
	    : eq_any(base, revoked)   ? "revoked"
	    : eq_any(base, cancelled) ? "cancelled"
				      : NULL;
	if (!v)
		return zl_error_set(err, ZL_EUNPROC, "status",
				    "unknown status \"%s\" (存续/在业/开业, 吊销, 注销)", s);
	return put(v, strlen(v), out, n, ZL_ECOL_STATUS, err);
}

static const struct zl_region *region_by_name(const char *name, int *count)
{
	const struct zl_region *found = NULL;

	*count = 0;
	for (size_t i = 0; i < zl_region_count(); i++) {
		const struct zl_region *r = zl_region_at(i);
		if (r->valid_to != 0 || strcmp(r->name, name))
			continue;
		if (!found || found->code != r->code)
			(*count)++;
		found = r;
	}
	return found;
}

static int map_region(const char *s, char *out, size_t n, struct zl_error *err)
{
	const struct zl_region *r;
	char alt[96], code[16];
	int count;

	static const char *const generic[] = {"市辖区", "郊区", "城区", "矿区", "市辖县",
					      "县",	"区",	"市",	NULL};

	if (strlen(s) == 6 && zl_region_code_parse(s, 6) >= 0)
		return put(s, 6, out, n, ZL_ECOL_REGION, err);
	/* Names every city has (or had): never pick one of them silently. */
	if (eq_any(s, generic))
		return zl_error_set(
			err, ZL_EUNPROC, "region",
			"region name \"%s\" is ambiguous (many cities have one); give the"
			" six-digit code",
			s);
	r = region_by_name(s, &count);
	/* A name too long for alt is no region's name, with or without 市. */
	if (count == 0 && strlen(s) + sizeof("市") <= sizeof(alt)) {
		memcpy(alt, s, strlen(s));
		memcpy(alt + strlen(s), "市", sizeof("市"));
		r = region_by_name(alt, &count);
	}
	if (count == 0) {
		for (size_t i = 0; i < zl_region_count(); i++) {
			r = zl_region_at(i);
			if (!strcmp(r->name, s))
				return zl_error_set(
					err, ZL_EUNPROC, "region",
					"region \"%s\" (%06d) is no longer in force since"
					" %d; give the current code",
					s, r->code, r->valid_to);
		}
	}
	if (count == 0)
		return zl_error_set(err, ZL_EUNPROC, "region",
				    "\"%s\" is neither a region code nor the name of a Henan region"
				    " in force",
				    s);
	if (count > 1)
		return zl_error_set(err, ZL_EUNPROC, "region",
				    "region name \"%s\" is ambiguous (%d regions bear it); give the"
				    " six-digit code",
				    s, count);
	snprintf(code, sizeof(code), "%06d", r->code);
	return put(code, 6, out, n, ZL_ECOL_REGION, err);
}

static int leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int map_date(enum zl_ecol f, const char *s, char *out, size_t n, struct zl_error *err)
{
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	long part[3] = {0, 0, 0};
	int np = 0, digits = 0;
	const char *p = s;
	char buf[64];

	if (strlen(s) == 8 && strspn(s, "0123456789") == 8) {
		part[0] = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + s[3] - '0';
		part[1] = (s[4] - '0') * 10 + s[5] - '0';
		part[2] = (s[6] - '0') * 10 + s[7] - '0';
		np = 3;
	} else {
		while (*p && np < 3) {
			if (*p >= '0' && *p <= '9') {
				if (++digits > 4)
					goto bad;
				part[np] = part[np] * 10 + (*p - '0');
				p++;
				continue;
			}
			if (!digits)
				goto bad;
			np++;
			digits = 0;
			if (*p == '-' || *p == '/' || *p == '.')
				p++;
			else if (!strncmp(p, "年", 3) || !strncmp(p, "月", 3))
				p += 3;
			else if (!strncmp(p, "日", 3) && np == 3)
				p += 3;
			else
				break;
		}
		if (digits && np < 3)
			np++;
		/* A time after the date ("2016-09-17 00:00:00") is dropped. */
		if (*p && *p != ' ' && *p != 'T')
			goto bad;
	}
	if (np != 3 || part[0] < 1800 || part[0] > 9999 || part[1] < 1 || part[1] > 12 ||
	    part[2] < 1 || part[2] > mdays[part[1] - 1] + (part[1] == 2 && leap((int)part[0])))
		goto bad;
	/* YYYY-MM-DD (the ranges above bound every part): once per row, no printf. */
	buf[0] = (char)('0' + part[0] / 1000);
	buf[1] = (char)('0' + part[0] / 100 % 10);
	buf[2] = (char)('0' + part[0] / 10 % 10);
	buf[3] = (char)('0' + part[0] % 10);
	buf[4] = '-';
	buf[5] = (char)('0' + part[1] / 10);
	buf[6] = (char)('0' + part[1] % 10);
	buf[7] = '-';
	buf[8] = (char)('0' + part[2] / 10);
	buf[9] = (char)('0' + part[2] % 10);
	return put(buf, 10, out, n, f, err);
bad:
	return zl_error_set(err, ZL_EUNPROC, zl_ecol_key(f),
			    "\"%s\" is not a date (YYYY-MM-DD, YYYY/M/D, YYYY年M月D日)", s);
}

/* Line breaks and TABs inside a cell (Alt+Enter in Excel) become one space; o: bytes written. */
static size_t breaks_to_spaces(const char *s, size_t len, char *out)
{
	size_t o = 0;

	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		if (c == '\r' || c == '\n' || c == '\t') {
			if (o == 0 || out[o - 1] != ' ')
				out[o++] = ' ';
		} else {
			out[o++] = c;
		}
	}
	return o;
}

/* Longest cell value normalised: the table readers allow 1 MiB per cell. */
#define VALUE_MAX ((size_t)1 << 20)

int zl_import_value(enum zl_ecol f, const char *in, char *out, size_t n, struct zl_error *err)
{
	/* Both rewritings below never lengthen the text: a value that fits here (nearly all:
	 * this runs for every cell of every row) needs no allocation. */
	char small[1024], *heap = NULL, *b = small;
	const char *s;
	size_t len;
	int rc;

	trim(in, &s, &len);
	if (len == 0)
		return put("", 0, out, n, f, err);
	if (len > VALUE_MAX)
		return zl_error_set(err, ZL_EUNPROC, zl_ecol_key(f), "value too long");
	if (len >= sizeof(small) && (b = heap = malloc(len + 1)) == NULL)
		return zl_error_set(err, ZL_ENOMEM, zl_ecol_key(f), "out of memory");
	switch (f) {
	case ZL_ECOL_USCC:
	case ZL_ECOL_ORG_CODE:
	case ZL_ECOL_INDUSTRY:
	case ZL_ECOL_REGION:
	case ZL_ECOL_FOUNDED:
	case ZL_ECOL_CQO_APPOINTED:
	case ZL_ECOL_CAPITAL:
	case ZL_ECOL_SIZE_CLASS:
	case ZL_ECOL_STATUS:
		len = zl_text_fold_fullwidth_to(s, len, b);
		break;
	default:
		len = breaks_to_spaces(s, len, b);
		break;
	}
	b[len] = '\0';
	s = b;
	switch (f) {
	case ZL_ECOL_ORG_CODE:
		if (len == 10 && s[8] == '-') {
			char tmp[10];
			memcpy(tmp, s, 8);
			tmp[8] = s[9];
			tmp[9] = '\0';
			rc = put(tmp, 9, out, n, f, err);
		} else {
			rc = put(s, len, out, n, f, err);
		}
		break;
	case ZL_ECOL_INDUSTRY:
		if (len >= 3 && s[0] >= 'A' && s[0] <= 'T' && s[1] >= '0' && s[1] <= '9')
			s++, len--;
		rc = put(s, len, out, n, f, err);
		break;
	case ZL_ECOL_REGION:
		rc = map_region(s, out, n, err);
		break;
	case ZL_ECOL_FOUNDED:
	case ZL_ECOL_CQO_APPOINTED:
		rc = map_date(f, s, out, n, err);
		break;
	case ZL_ECOL_SIZE_CLASS:
		rc = map_size(s, out, n, err);
		break;
	case ZL_ECOL_STATUS:
		rc = map_status(s, out, n, err);
		break;
	default:
		rc = put(s, len, out, n, f, err);
		break;
	}
	free(heap);
	return rc;
}
