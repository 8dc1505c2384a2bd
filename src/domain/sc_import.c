/*
 * sc_import.c - column mapping and row reading for published spot-check
 * result tables (see sc_import.h).  The header normalisation, the date
 * reader and the region reader are the enterprise import's
 * (domain/import_map.h); only the columns and what a row means are new.
 */
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/text.h"
#include "domain/import_map.h"
#include "domain/sc_import.h"

struct col_def {
	const char *key, *label;
};

static const struct col_def cols[] = {
	{NULL, NULL},
#define ZL_SC_COL(F, KEY, LABEL) {KEY, LABEL},
#define ZL_SC_SYN(F, TEXT)
#include "domain/sc_columns.def"
#undef ZL_SC_COL
#undef ZL_SC_SYN
};

struct syn_def {
	enum zl_scc field;
	const char *text;
};

static const struct syn_def syns[] = {
#define ZL_SC_COL(F, KEY, LABEL)
#define ZL_SC_SYN(F, TEXT) {ZL_SCC_##F, TEXT},
#include "domain/sc_columns.def"
#undef ZL_SC_COL
#undef ZL_SC_SYN
};

#define NSYN (sizeof(syns) / sizeof(syns[0]))

const char *zl_scc_key(enum zl_scc c)
{
	return c > ZL_SCC_NONE && c < ZL_SCC__COUNT ? cols[c].key : NULL;
}

const char *zl_scc_label(enum zl_scc c)
{
	return c > ZL_SCC_NONE && c < ZL_SCC__COUNT ? cols[c].label : NULL;
}

size_t zl_scc_synonym_count(void)
{
	return NSYN;
}

void zl_scc_synonym_at(size_t i, enum zl_scc *field, const char **text)
{
	*field = i < NSYN ? syns[i].field : ZL_SCC_NONE;
	*text = i < NSYN ? syns[i].text : NULL;
}

static int norm_eq(const char *candidate, const char *normed, struct zl_buf *tmp)
{
	zl_buf_reset(tmp);
	zl_import_header_norm(candidate, tmp);
	return !strcmp(zl_buf_str(tmp), normed);
}

static int lookup_normed(const char *normed, enum zl_scc *a, enum zl_scc *b)
{
	struct zl_buf tmp = ZL_BUF_INIT(1 << 16);
	enum zl_scc found = ZL_SCC_NONE;
	int rc = ZL_SCC_NONE;

	*a = *b = ZL_SCC_NONE;
	if (!normed[0])
		goto out;
	for (int f = 1; f < ZL_SCC__COUNT; f++) {
		int hit =
			norm_eq(cols[f].key, normed, &tmp) || norm_eq(cols[f].label, normed, &tmp);
		for (size_t i = 0; !hit && i < NSYN; i++)
			hit = syns[i].field == (enum zl_scc)f &&
			      norm_eq(syns[i].text, normed, &tmp);
		if (!hit)
			continue;
		if (found != ZL_SCC_NONE) {
			*a = found;
			*b = (enum zl_scc)f;
			rc = -1;
			goto out;
		}
		found = (enum zl_scc)f;
	}
	*a = found;
	rc = (int)found;
out:
	zl_buf_release(&tmp);
	return rc;
}

int zl_scc_lookup(const char *s, enum zl_scc *a, enum zl_scc *b)
{
	struct zl_buf n = ZL_BUF_INIT(1 << 16);
	int rc;

	zl_import_header_norm(s, &n);
	rc = n.err ? ZL_SCC_NONE : lookup_normed(zl_buf_str(&n), a, b);
	/* A note in parentheses: "生产日期(批号)", "不合格项目(检验结果/标准值)". */
	if (rc == ZL_SCC_NONE && !n.err && n.len > 2 && n.data[n.len - 1] == ')') {
		char *open = strrchr(n.data, '(');
		if (open && open > n.data) {
			zl_buf_truncate(&n, (size_t)(open - n.data));
			rc = lookup_normed(zl_buf_str(&n), a, b);
		}
	}
	zl_buf_release(&n);
	return rc;
}

void zl_sc_map_init(struct zl_sc_map *m)
{
	memset(m, 0, sizeof(*m));
	for (int f = 0; f < ZL_SCC__COUNT; f++)
		m->col_of[f] = -1;
}

void zl_sc_map_release(struct zl_sc_map *m)
{
	for (size_t i = 0; m->header && i < m->ncols; i++)
		free(m->header[i]);
	free(m->header);
	free(m->field);
	zl_sc_map_init(m);
}

void zl_sc_map_label(const struct zl_sc_map *m, long col, char *out, size_t n)
{
	char name[8];
	struct zl_buf h = ZL_BUF_INIT(4096);

	out[0] = '\0';
	if (col < 0 || (size_t)col >= m->ncols || n == 0)
		return;
	zl_import_col_name((size_t)col, name);
	/* The header as the file has it, line breaks folded, so the report stays one line. */
	zl_import_header_norm(m->header[col], &h);
	zl_strlcpy(out, name, n);
	if (!h.err && h.len) {
		size_t at = strlen(out);
		if (at + 3 < n) {
			out[at++] = ' ';
			out[at++] = '(';
			out[at] = '\0';
			zl_strlcpy(out + at, zl_buf_str(&h), n - at - 1);
			at = strlen(out);
			/* Cut back to a character boundary before closing. */
			while (at > 0 && at + 1 >= n)
				at--;
			while (at > 0 && ((unsigned char)out[at] & 0xC0) == 0x80)
				at--;
			out[at] = ')';
			out[at + 1] = '\0';
		}
	}
	zl_buf_release(&h);
}

/* zl_scc_lookup with int field ids for zl_import_header_map. */
static int scc_lookup(const char *s, int *a, int *b)
{
	enum zl_scc ea = ZL_SCC_NONE, eb = ZL_SCC_NONE;
	int rc = zl_scc_lookup(s, &ea, &eb);

	*a = (int)ea;
	*b = (int)eb;
	return rc;
}

/* zl_scc_key for an int field id. */
static const char *scc_key(int f)
{
	return zl_scc_key((enum zl_scc)f);
}

/* A 序号 column is no sign of a header: title rows number things too. */
static const struct zl_import_header_spec scc_spec = {
	.nfields = ZL_SCC__COUNT,
	.lookup = scc_lookup,
	.key = scc_key,
	.two_what = "columns",
	.uncounted = ZL_SCC_SEQ,
};

int zl_sc_map_header(struct zl_sc_map *m, const char *const *cells, size_t n, uint64_t row,
		     struct zl_error *err)
{
	long col_of[ZL_SCC__COUNT];
	char **header;
	int *field;
	int rc = zl_import_header_map(&scc_spec, cells, n, row, &field, &header, col_of, err);

	if (rc != 1)
		return rc;
	zl_sc_map_release(m);
	m->ncols = n;
	m->field = field;
	m->header = header;
	memcpy(m->col_of, col_of, sizeof(m->col_of));
	for (size_t i = 0; i < n; i++)
		if (field[i] == ZL_SCC_PRODUCER && strstr(cells[i], "标称"))
			m->nominal_header = 1;
	m->header_row = row;
	return 1;
}

int zl_sc_map_check(const struct zl_sc_map *m, struct zl_error *err)
{
	if (!m->header_row)
		return zl_error_set(err, ZL_EUNPROC, "header",
				    "no header row found in the first %d rows (a header row names"
				    " at least two known columns, e.g. 产品名称 and 生产企业)",
				    ZL_IMPORT_HEADER_SCAN);
	if (m->col_of[ZL_SCC_PRODUCER] < 0 && m->col_of[ZL_SCC_SAMPLED_UNIT] < 0)
		return zl_error_set(err, ZL_EUNPROC, "header",
				    "no producer column (生产企业 / 标称生产企业名称) and no"
				    " sampled-unit column (受检单位 / 被抽样单位)");
	return ZL_OK;
}

/* ---- text helpers ---- */

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

/* Trim s[0..*n) in place: returns the start, *n the trimmed length. */
static const char *trim(const char *s, size_t *n)
{
	size_t k;

	while (*n > 0 && (k = space_at(s, *n)) > 0)
		s += k, *n -= k;
	for (;;) {
		if (*n >= 1 && space_at(s + *n - 1, 1))
			*n -= 1;
		else if (*n >= 2 && space_at(s + *n - 2, 2) == 2)
			*n -= 2;
		else if (*n >= 3 && space_at(s + *n - 3, 3) == 3)
			*n -= 3;
		else
			break;
	}
	return s;
}

/*
 * Copy the cell trimmed, line breaks and TABs as one space, into out[0..n);
 * ZL_EUNPROC naming the column's key when it does not fit.
 */
static int put_text(enum zl_scc f, const char *cell, char *out, size_t n, struct zl_error *err)
{
	size_t len = strlen(cell), o = 0;
	const char *s = trim(cell, &len);

	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		if (o + 1 >= n)
			return zl_error_set(err, ZL_EUNPROC, zl_scc_key(f),
					    "value too long (at most %zu bytes)", n - 1);
		if (c == '\r' || c == '\n' || c == '\t') {
			if (o == 0 || out[o - 1] != ' ')
				out[o++] = ' ';
		} else {
			out[o++] = c;
		}
	}
	out[o] = '\0';
	return ZL_OK;
}

static const char *cell_of(const struct zl_sc_map *m, const char *const *cells, size_t n,
			   enum zl_scc f)
{
	long c = m->col_of[f];
	return c >= 0 && (size_t)c < n ? cells[c] : "";
}

/* Remove every occurrence of `word` from s (in place); 1 when one was found. */
static int cut_word(char *s, const char *word)
{
	size_t wl = strlen(word);
	int found = 0;
	char *p;

	while ((p = strstr(s, word)) != NULL) {
		memmove(p, p + wl, strlen(p + wl) + 1);
		found = 1;
	}
	return found;
}

/* Trim s in place. */
static void trim_in_place(char *s)
{
	size_t n = strlen(s);
	const char *t = trim(s, &n);

	memmove(s, t, n);
	s[n] = '\0';
}

size_t zl_sc_name_norm(const char *s, char *out, size_t n)
{
	static const struct {
		const char *from, *to;
	} brackets[] = {{"（", "("}, {"）", ")"}, {"【", "("}, {"】", ")"},
			{"[", "("},  {"]", ")"},  {"〔", "("}, {"〕", ")"}};
	size_t len = strlen(s), o = 0;

	if (n == 0)
		return 0;
	while (len > 0 && o + 1 < n) {
		size_t k = space_at(s, len), step;
		char tmp[4];

		if (k > 0) {
			s += k, len -= k;
			continue;
		}
		step = 0;
		for (size_t i = 0; i < sizeof(brackets) / sizeof(brackets[0]); i++) {
			size_t bl = strlen(brackets[i].from);
			if (len >= bl && !memcmp(s, brackets[i].from, bl)) {
				tmp[0] = brackets[i].to[0];
				step = bl;
				break;
			}
		}
		if (step == 0) {
			step = zl_utf8_seq_len(s, len);
			if (step == 0)
				step = 1;
			if (step == 3 && zl_text_fold_fullwidth_to(s, 3, tmp) == 1) {
				/* a full-width ASCII form */
			} else {
				if (o + step >= n)
					break;
				memcpy(out + o, s, step);
				o += step;
				s += step, len -= step;
				continue;
			}
		}
		out[o++] = tmp[0] >= 'A' && tmp[0] <= 'Z' ? (char)(tmp[0] - 'A' + 'a') : tmp[0];
		s += step, len -= step;
	}
	out[o] = '\0';
	/* ASCII upper case outside the full-width forms. */
	for (size_t i = 0; i < o; i++)
		if (out[i] >= 'A' && out[i] <= 'Z')
			out[i] = (char)(out[i] - 'A' + 'a');
	if (cut_word(out, "(标称)"))
		o = strlen(out);
	return o;
}

/* ---- the row ---- */

/* Item separators: 、，,；; and line breaks. */
static size_t item_sep(const char *s)
{
	if (*s == ',' || *s == ';' || *s == '\n' || *s == '\r')
		return 1;
	if (!strncmp(s, "、", 3) || !strncmp(s, "，", 3) || !strncmp(s, "；", 3))
		return 3;
	return 0;
}

int zl_sc_split_items(const char *cell, struct zl_sc_row *out, struct zl_error *err)
{
	const char *p = cell;

	out->nitems = 0;
	while (*p) {
		const char *start = p;
		size_t len, k;
		char item[ZL_SC_ITEM_MAX];
		int dup = 0;

		while (*p && item_sep(p) == 0)
			p++;
		len = (size_t)(p - start);
		if (*p)
			p += item_sep(p);
		start = trim(start, &len);
		/* "*" marks (serious items) before or after the name, also full-width. */
		for (;;) {
			if (len >= 1 && start[0] == '*')
				start++, len--;
			else if (len >= 3 && !memcmp(start, "＊", 3))
				start += 3, len -= 3;
			else if (len >= 1 && start[len - 1] == '*')
				len--;
			else if (len >= 3 && !memcmp(start + len - 3, "＊", 3))
				len -= 3;
			else
				break;
			start = trim(start, &len);
		}
		if (len == 0)
			continue;
		if (len >= sizeof(item))
			return zl_error_set(err, ZL_EUNPROC, "failed_items",
					    "a failed item is too long (at most %zu bytes)",
					    sizeof(item) - 1);
		memcpy(item, start, len);
		item[len] = '\0';
		for (k = 0; k < out->nitems && !dup; k++)
			dup = !strcmp(out->items[k], item);
		if (dup)
			continue;
		if (out->nitems == ZL_SC_ITEMS_MAX)
			return zl_error_set(err, ZL_EUNPROC, "failed_items",
					    "more than %d failed items", ZL_SC_ITEMS_MAX);
		memcpy(out->items[out->nitems++], item, len + 1);
	}
	return ZL_OK;
}

/* 0 passed, 1 failed, -1 not a result word. */
static int result_word(const char *cell)
{
	static const char *const pass[] = {"合格", "符合", "合格品", "符合要求", "pass", NULL};
	static const char *const fail[] = {"不合格", "不符合",	       "不合格品", "不符合要求",
					   "fail",   "不合格（复检）", NULL};
	char b[64];
	size_t len = strlen(cell);
	const char *s = trim(cell, &len);

	if (len >= sizeof(b))
		return -1;
	len = zl_text_fold_fullwidth_to(s, len, b);
	b[len] = '\0';
	for (size_t i = 0; pass[i]; i++)
		if (!strcmp(b, pass[i]))
			return 0;
	for (size_t i = 0; fail[i]; i++)
		if (!strcmp(b, fail[i]))
			return 1;
	/* "不合格(标签)" and the like: the word before the parenthesis decides. */
	if (!strncmp(b, "不合格(", strlen("不合格(")) || !strncmp(b, "不符合(", strlen("不符合(")))
		return 1;
	return -1;
}

/* A date cell (zl_import_value's reader): 1 and out set, or 0. */
static int as_date(const char *s, char out[11])
{
	struct zl_error e = ZL_ERROR_INIT;
	char tmp[16];

	if (zl_import_value(ZL_ECOL_FOUNDED, s, tmp, sizeof(tmp), &e) != ZL_OK || !tmp[0])
		return 0;
	memcpy(out, tmp, 11);
	return 1;
}

static int is_none(const char *s)
{
	static const char *const none[] = {"/", "-", "—", "--", "——", "无", "／", "不详", NULL};

	for (size_t i = 0; none[i]; i++)
		if (!strcmp(s, none[i]))
			return 1;
	return 0;
}

/*
 * 生产日期/批号: a date (2020-4-30, 2016/09/17, 2014年5月3日) goes to
 * production_date; "/" and the like mean none; a date followed by more
 * text ("2014-05-03 A123", "2014-05-03/A123") splits; anything else is a
 * batch number.
 */
static int read_batch(const char *cell, struct zl_sc_row *out, struct zl_error *err)
{
	char v[ZL_SC_TEXT_MAX];
	int rc = put_text(ZL_SCC_BATCH, cell, v, sizeof(v), err);
	char *sep;

	if (rc != ZL_OK)
		return rc;
	if (!v[0] || is_none(v))
		return ZL_OK;
	sep = strchr(v, ' ');
	/* "2016-09-17 00:00:00" is a date with a time; "2016-09-17 B12" a date and a batch. */
	if ((!sep || strchr(sep, ':')) && as_date(v, out->production_date))
		return ZL_OK;
	if (sep) {
		*sep = '\0';
		if (as_date(v, out->production_date)) {
			zl_strlcpy(out->batch, sep + 1, sizeof(out->batch));
			trim_in_place(out->batch);
			return ZL_OK;
		}
		*sep = ' ';
	}
	zl_strlcpy(out->batch, v, sizeof(out->batch));
	return ZL_OK;
}

#define FAIL_AT(c, ...)                                                                            \
	do {                                                                                       \
		*col = m->col_of[c];                                                               \
		rc = zl_error_set(err, ZL_EUNPROC, zl_scc_key(c), __VA_ARGS__);                    \
		goto out;                                                                          \
	} while (0)

#define TEXT(c, dst)                                                                               \
	do {                                                                                       \
		if ((rc = put_text(c, cell_of(m, cells, n, c), dst, sizeof(dst), err)) != ZL_OK) { \
			*col = m->col_of[c];                                                       \
			goto out;                                                                  \
		}                                                                                  \
	} while (0)

int zl_sc_row_parse(const struct zl_sc_map *m, const char *const *cells, size_t n,
		    struct zl_sc_row *out, long *col, struct zl_error *err)
{
	char tmp[ZL_SC_TEXT_MAX];
	const char *c;
	int rc = ZL_OK, r;

	memset(out, 0, offsetof(struct zl_sc_row, items));
	out->nitems = 0;
	*col = -1;
	TEXT(ZL_SCC_PRODUCT, out->product_text);
	TEXT(ZL_SCC_PRODUCER, out->producer);
	TEXT(ZL_SCC_SAMPLED_UNIT, out->sampled_unit);
	TEXT(ZL_SCC_RETAILER, out->retailer);
	TEXT(ZL_SCC_PLATFORM, out->platform);
	TEXT(ZL_SCC_TRADEMARK, out->trademark);
	TEXT(ZL_SCC_SPEC, out->spec);
	TEXT(ZL_SCC_LAB, out->lab);
	TEXT(ZL_SCC_REMARK, out->remark);
	TEXT(ZL_SCC_REGION, out->region_text);
	if (is_none(out->retailer))
		out->retailer[0] = '\0';
	if (is_none(out->platform))
		out->platform[0] = '\0';
	if (is_none(out->sampled_unit))
		out->sampled_unit[0] = '\0';
	if (is_none(out->trademark))
		out->trademark[0] = '\0';
	if (is_none(out->spec))
		out->spec[0] = '\0';

	/* The producer: "(标称)" anywhere in the cell, or a 标称 header, makes it nominal. */
	out->nominal = m->nominal_header;
	if (cut_word(out->producer, "(标称)") | cut_word(out->producer, "（标称）") |
	    cut_word(out->producer, "标称："))
		out->nominal = 1;
	trim_in_place(out->producer);
	if (is_none(out->producer))
		out->producer[0] = '\0';
	out->counterfeit =
		strstr(out->remark, "假冒") != NULL || strstr(out->producer, "假冒") != NULL;
	if (!out->producer[0] && !out->sampled_unit[0]) {
		*col = m->col_of[ZL_SCC_PRODUCER] >= 0 ? m->col_of[ZL_SCC_PRODUCER]
						       : m->col_of[ZL_SCC_SAMPLED_UNIT];
		rc = zl_error_set(err, ZL_EUNPROC,
				  m->col_of[ZL_SCC_PRODUCER] >= 0 ? "producer" : "sampled_unit",
				  "no producer and no sampled unit: whose result is it?");
		goto out;
	}

	/* Codes, folded; an org code's '-' before the check character dropped. */
	TEXT(ZL_SCC_USCC, tmp);
	if (tmp[0] && !is_none(tmp)) {
		size_t l = zl_text_fold_fullwidth_to(tmp, strlen(tmp), out->uscc);
		if (l >= sizeof(out->uscc))
			FAIL_AT(ZL_SCC_USCC, "\"%s\" is not a unified social credit code", tmp);
		out->uscc[l] = '\0';
		for (char *p = out->uscc; *p; p++)
			if (*p >= 'a' && *p <= 'z')
				*p = (char)(*p - 'a' + 'A');
	}
	TEXT(ZL_SCC_ORG_CODE, tmp);
	if (tmp[0] && !is_none(tmp)) {
		struct zl_error e = ZL_ERROR_INIT;
		if (zl_import_value(ZL_ECOL_ORG_CODE, tmp, out->org_code, sizeof(out->org_code),
				    &e) != ZL_OK)
			FAIL_AT(ZL_SCC_ORG_CODE, "\"%s\" is not an organization code", tmp);
		for (char *p = out->org_code; *p; p++)
			if (*p >= 'a' && *p <= 'z')
				*p = (char)(*p - 'a' + 'A');
	}

	if ((rc = read_batch(cell_of(m, cells, n, ZL_SCC_BATCH), out, err)) != ZL_OK) {
		*col = m->col_of[ZL_SCC_BATCH];
		goto out;
	}
	TEXT(ZL_SCC_SAMPLED_ON, tmp);
	if (tmp[0] && !is_none(tmp) && !as_date(tmp, out->sampled_on))
		FAIL_AT(ZL_SCC_SAMPLED_ON,
			"\"%s\" is not a date (YYYY-MM-DD, YYYY/M/D, YYYY年M月D日)", tmp);

	if (out->region_text[0] && !is_none(out->region_text)) {
		struct zl_error e = ZL_ERROR_INIT;
		char code[16];
		if (zl_import_value(ZL_ECOL_REGION, out->region_text, code, sizeof(code), &e) !=
		    ZL_OK)
			FAIL_AT(ZL_SCC_REGION, "%s", e.message);
		memcpy(out->region, code, 7);
	}

	/* The verdict and the failed items. */
	c = cell_of(m, cells, n, ZL_SCC_FAILED_ITEMS);
	if ((rc = zl_sc_split_items(c, out, err)) != ZL_OK) {
		*col = m->col_of[ZL_SCC_FAILED_ITEMS];
		goto out;
	}
	if (out->nitems == 1 && is_none(out->items[0]))
		out->nitems = 0;
	if (m->col_of[ZL_SCC_RESULT] < 0) {
		out->failed = 1; /* a failures-only table */
	} else {
		c = cell_of(m, cells, n, ZL_SCC_RESULT);
		r = result_word(c);
		if (r < 0)
			FAIL_AT(ZL_SCC_RESULT, "\"%s\" is not a result (合格/不合格, 符合/不符合)",
				c);
		out->failed = r;
		if (!r && out->nitems > 0) {
			*col = m->col_of[ZL_SCC_FAILED_ITEMS];
			rc = zl_error_set(err, ZL_EUNPROC, "failed_items",
					  "the row passed but names failed items");
			goto out;
		}
	}
	if (out->failed && out->nitems == 0) {
		zl_strlcpy(out->items[0], ZL_SC_ITEM_UNKNOWN, sizeof(out->items[0]));
		out->nitems = 1;
	}
out:
	return rc;
}

/* ---- title rows ---- */

void zl_sc_title_hints(const char *title, int *year, char *doc_no, size_t ndoc, char *level,
		       size_t nlevel)
{
	static const struct {
		const char *word, *level;
	} levels[] = {{"国家", "national"}, {"总局", "national"}, {"省", "province"},
		      {"市", "city"},	    {"县", "county"},	  {"区", "county"}};
	const char *p, *end;

	*year = 0;
	if (ndoc)
		doc_no[0] = '\0';
	if (nlevel)
		level[0] = '\0';
	/* The first four digits followed by 年. */
	for (p = title; *p; p++) {
		if (p[0] >= '1' && p[0] <= '2' && p[1] >= '0' && p[1] <= '9' && p[2] >= '0' &&
		    p[2] <= '9' && p[3] >= '0' && p[3] <= '9' && !strncmp(p + 4, "年", 3)) {
			*year = (p[0] - '0') * 1000 + (p[1] - '0') * 100 + (p[2] - '0') * 10 +
				(p[3] - '0');
			break;
		}
	}
	/* A document number: from the character before 〔 or [ to 号. */
	p = strstr(title, "〔");
	if (!p)
		p = strchr(title, '[');
	end = p ? strstr(p, "号") : NULL;
	if (p && end && ndoc) {
		const char *s = p;
		/* Back over the issuing agency's short name (up to 4 characters). */
		for (int k = 0; k < 4 && s > title; k++) {
			const char *q = s - 1;
			while (q > title && ((unsigned char)*q & 0xC0) == 0x80)
				q--;
			if ((unsigned char)*q < 0x80)
				break;
			s = q;
		}
		size_t len = (size_t)(end + 3 - s);
		if (len < ndoc) {
			memcpy(doc_no, s, len);
			doc_no[len] = '\0';
		}
	}
	/* The level: the first level word before an authority's name. */
	if (nlevel) {
		const char *auth = strstr(title, "质量技术监督局");
		if (!auth)
			auth = strstr(title, "市场监督管理");
		if (!auth)
			auth = strstr(title, "质监局");
		if (auth) {
			const char *best = NULL, *lv = NULL;
			for (size_t i = 0; i < sizeof(levels) / sizeof(levels[0]); i++) {
				const char *q = strstr(title, levels[i].word);
				if (q && q < auth && (!best || q > best)) {
					best = q;
					lv = levels[i].level;
				}
			}
			if (lv)
				zl_strlcpy(level, lv, nlevel);
		}
	}
}

/* ---- product synonyms ---- */

static const struct {
	const char *name, *code;
} products[] = {
#define ZL_SC_PRODUCT(NAME, CODE) {NAME, CODE},
#include "domain/sc_products.def"
#undef ZL_SC_PRODUCT
};

#define NPRODUCTS (sizeof(products) / sizeof(products[0]))

size_t zl_sc_product_synonym_count(void)
{
	return NPRODUCTS;
}

void zl_sc_product_synonym_at(size_t i, const char **name, const char **code)
{
	*name = i < NPRODUCTS ? products[i].name : NULL;
	*code = i < NPRODUCTS ? products[i].code : NULL;
}

const char *zl_sc_product_synonym(const char *name)
{
	char a[ZL_SC_TEXT_MAX], b[ZL_SC_TEXT_MAX];

	zl_sc_name_norm(name, a, sizeof(a));
	for (size_t i = 0; i < NPRODUCTS; i++) {
		zl_sc_name_norm(products[i].name, b, sizeof(b));
		if (!strcmp(a, b))
			return products[i].code;
	}
	return NULL;
}
