/*
 * import.c - the enterprise import engine of import.h.  No SQL here: rows
 * go through zl_store_enterprise_upsert().
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "domain/enterprise.h"
#include "domain/import_map.h"
#include "store/enterprises.h"
#include "store/import.h"

struct slot {
	size_t off;
	size_t size;
};

/* Where each field's value goes in struct zl_enterprise (size 0: not stored). */
static struct slot slot_of(enum zl_ecol f)
{
#define S(member)                                                                                  \
	(struct slot)                                                                              \
	{                                                                                          \
		offsetof(struct zl_enterprise, member),                                            \
			sizeof(((struct zl_enterprise *)0)->member)                                \
	}
	switch (f) {
	case ZL_ECOL_USCC:
		return S(uscc);
	case ZL_ECOL_ORG_CODE:
		return S(org_code);
	case ZL_ECOL_NAME:
		return S(name);
	case ZL_ECOL_REGION:
		return S(region);
	case ZL_ECOL_INDUSTRY:
		return S(industry);
	case ZL_ECOL_ADDRESS:
		return S(address);
	case ZL_ECOL_LEGAL_REP:
		return S(legal_rep);
	case ZL_ECOL_CAPITAL:
		return S(registered_capital);
	case ZL_ECOL_FOUNDED:
		return S(founded);
	case ZL_ECOL_SIZE_CLASS:
		return S(size_class);
	case ZL_ECOL_STATUS:
		return S(status);
	case ZL_ECOL_CQO_NAME:
		return S(cqo_name);
	case ZL_ECOL_CQO_APPOINTED:
		return S(cqo_appointed);
	default:
		return (struct slot){0, 0};
	}
#undef S
}

/*
 * The keys seen in this file, to refuse a second row for the same
 * enterprise (which would make the file's outcome depend on row order and
 * re-imports not idempotent).  Open addressing over 64-bit hashes of the
 * key and the row that had it: 24 bytes per row at most, no key copies.
 * Two different keys with the same 64-bit hash (odds about 3e-6 for ten
 * million rows) would be reported as duplicates naming both rows.
 */
struct keyset {
	uint64_t *h; /* 0 = empty */
	uint64_t *row;
	size_t cap, n;
};

static uint64_t key_hash(const char *s)
{
	uint64_t h = 1469598103934665603ull;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdull;
	h ^= h >> 33;
	return h ? h : 1;
}

static int keyset_grow(struct keyset *k)
{
	size_t ncap = k->cap ? k->cap * 2 : 4096;
	uint64_t *h = calloc(ncap, sizeof(*h)), *row = calloc(ncap, sizeof(*row));

	if (!h || !row) {
		free(h);
		free(row);
		return ZL_ENOMEM;
	}
	for (size_t i = 0; i < k->cap; i++) {
		size_t j;
		if (!k->h[i])
			continue;
		for (j = k->h[i] & (ncap - 1); h[j]; j = (j + 1) & (ncap - 1))
			;
		h[j] = k->h[i];
		row[j] = k->row[i];
	}
	free(k->h);
	free(k->row);
	k->h = h;
	k->row = row;
	k->cap = ncap;
	return ZL_OK;
}

/* 0 and records the key when new; else the row that had it first.  (uint64_t)-1: no memory. */
static uint64_t keyset_add(struct keyset *k, const char *key, uint64_t row)
{
	uint64_t h = key_hash(key);
	size_t j;

	if ((k->n + 1) * 2 > k->cap && keyset_grow(k) != ZL_OK)
		return (uint64_t)-1;
	for (j = h & (k->cap - 1); k->h[j]; j = (j + 1) & (k->cap - 1))
		if (k->h[j] == h)
			return k->row[j];
	k->h[j] = h;
	k->row[j] = row;
	k->n++;
	return 0;
}

static void keyset_release(struct keyset *k)
{
	free(k->h);
	free(k->row);
	memset(k, 0, sizeof(*k));
}

void zl_import_result_init(struct zl_import_result *res)
{
	memset(res, 0, sizeof(*res));
}

static void free_list(char **l, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(l[i]);
	free(l);
}

void zl_import_result_release(struct zl_import_result *res)
{
	free(res->rejects);
	free_list(res->unmapped, res->nunmapped);
	free_list(res->notes, res->nnotes);
	zl_import_result_init(res);
}

static int push_str(char ***list, size_t *n, const char *s)
{
	char **l = realloc(*list, (*n + 1) * sizeof(*l));
	if (!l)
		return ZL_ENOMEM;
	*list = l;
	if (!(l[*n] = strdup(s)))
		return ZL_ENOMEM;
	(*n)++;
	return ZL_OK;
}

/* Copy at most n-1 bytes of UTF-8 text without cutting a character. */
static void copy_utf8(char *dst, size_t n, const char *src)
{
	size_t len = strlen(src);

	if (len >= n) {
		len = n - 1;
		while (len > 0 && ((unsigned char)src[len] & 0xC0) == 0x80)
			len--;
	}
	memcpy(dst, src, len);
	dst[len] = '\0';
}

static void column_label(const struct zl_import_map *m, long col, char *out, size_t n)
{
	char name[8];

	if (col < 0 || (size_t)col >= m->ncols) {
		out[0] = '\0';
		return;
	}
	zl_import_col_name((size_t)col, name);
	snprintf(out, n, "%s (%s)", name, m->header[col]);
}

static int add_reject(struct zl_import_result *res, size_t max, uint64_t row,
		      const struct zl_import_map *m, long col, const char *value,
		      const char *reason)
{
	struct zl_import_reject *r;

	res->rejected++;
	if (res->nrejects >= max)
		return ZL_OK;
	if (res->nrejects == res->cap) {
		size_t ncap = res->cap ? res->cap * 2 : 64;
		r = realloc(res->rejects, ncap * sizeof(*r));
		if (!r)
			return ZL_ENOMEM;
		res->rejects = r;
		res->cap = ncap;
	}
	r = &res->rejects[res->nrejects++];
	r->row = row;
	column_label(m, col, r->column, sizeof(r->column));
	copy_utf8(r->value, sizeof(r->value), value ? value : "");
	copy_utf8(r->reason, sizeof(r->reason), reason);
	return ZL_OK;
}

static int blank(const char *s)
{
	for (; *s; s++)
		if (*s != ' ' && *s != '\t' && *s != '\r' && *s != '\n')
			return 0;
	return 1;
}

/* 1: skip the row (all blank, or a footer note). */
static int skip_row(const char *const *cells, size_t n)
{
	static const char *const notes[] = {"注", "备注", "说明", "制表", "填表", NULL};
	const char *only = NULL;
	size_t filled = 0;

	for (size_t i = 0; i < n; i++)
		if (!blank(cells[i])) {
			filled++;
			only = cells[i];
		}
	if (filled == 0)
		return 1;
	if (filled == 1) {
		while (*only == ' ')
			only++;
		for (size_t i = 0; notes[i]; i++)
			if (!strncmp(only, notes[i], strlen(notes[i])))
				return 1;
	}
	return 0;
}

static long column_of_field(const struct zl_import_map *m, const char *field)
{
	for (int f = 1; f < ZL_ECOL__COUNT; f++)
		if (field && !strcmp(field, zl_ecol_key((enum zl_ecol)f)))
			return m->col_of[f];
	return -1;
}

static void progress(const struct zl_import_options *opt, struct zl_table_reader *t, uint64_t rows)
{
	uint64_t done, total;

	if (!opt->progress)
		return;
	zl_table_progress(t, &done, &total);
	opt->progress(opt->progress_cls, rows, done, total);
}

/* Map, normalise, validate one data row and write it (when writing).  <0: fatal. */
static int do_row(struct zl_db *db, const struct zl_import_map *m, const char *const *cells,
		  size_t n, uint64_t row, const struct zl_import_options *opt, size_t max_rej,
		  const char *actor, int *writing, struct keyset *keys,
		  struct zl_import_result *res, struct zl_error *err)
{
	struct zl_enterprise e;
	uint64_t first;
	struct zl_error verr = ZL_ERROR_INIT;
	enum zl_upsert_outcome outcome;
	int rc;

	memset(&e, 0, sizeof(e));
	for (int f = 1; f < ZL_ECOL__COUNT; f++) {
		long col = m->col_of[f];
		struct slot s = slot_of((enum zl_ecol)f);
		const char *v;

		if (col < 0 || !s.size)
			continue;
		v = (size_t)col < n ? cells[col] : "";
		if (zl_import_value((enum zl_ecol)f, v, (char *)&e + s.off, s.size, &verr) != ZL_OK)
			return add_reject(res, max_rej, row, m, col, v, verr.message) ? ZL_ENOMEM
										      : 0;
	}
	if (zl_enterprise_validate(&e, ZL_ENT_LEGACY_IMPORT, &verr) != ZL_OK) {
		long col = column_of_field(m, verr.field);
		if (col < 0 && !strcmp(verr.field, "uscc"))
			col = m->col_of[ZL_ECOL_ORG_CODE];
		return add_reject(res, max_rej, row, m, col,
				  col >= 0 && (size_t)col < n ? cells[col] : "", verr.message)
			       ? ZL_ENOMEM
			       : 0;
	}
	first = keyset_add(keys, e.uscc, row);
	if (first == (uint64_t)-1)
		return ZL_ENOMEM;
	if (first) {
		long col = m->col_of[ZL_ECOL_USCC] >= 0 ? m->col_of[ZL_ECOL_USCC]
							: m->col_of[ZL_ECOL_ORG_CODE];
		char why[192];
		snprintf(why, sizeof(why), "the same enterprise as row %llu (%s)",
			 (unsigned long long)first, e.uscc);
		return add_reject(res, max_rej, row, m, col,
				  col >= 0 && (size_t)col < n ? cells[col] : "", why)
			       ? ZL_ENOMEM
			       : 0;
	}
	if (!*writing)
		return 0;
	rc = zl_store_enterprise_upsert(db, &e, actor, &outcome, err);
	if (rc != ZL_OK) {
		char field[48];
		snprintf(field, sizeof(field), "row %llu", (unsigned long long)row);
		zl_strlcpy(err->field, field, sizeof(err->field));
		return rc;
	}
	if (outcome == ZL_UPSERT_INSERTED)
		res->imported++;
	else if (outcome == ZL_UPSERT_UPDATED)
		res->updated++;
	else
		res->unchanged++;
	(void)opt;
	return 0;
}

int zl_import_enterprises(struct zl_db *db, const char *path, const struct zl_import_options *opt,
			  struct zl_import_result *res, struct zl_error *err)
{
	static const struct zl_import_options defaults = {0};
	struct zl_table_options topt = {0};
	struct zl_table_reader *t = NULL;
	struct zl_import_map m;
	struct keyset keys = {0};
	const char *const *cells;
	const char *actor;
	size_t n, max_rej, scanned = 0;
	int rc, writing = 1;

	if (!opt)
		opt = &defaults;
	actor = opt->actor ? opt->actor : "import";
	max_rej = opt->max_rejects ? opt->max_rejects : ZL_IMPORT_MAX_REJECTS_DEFAULT;
	zl_import_map_init(&m);
	topt.encoding = opt->encoding;
	rc = zl_table_open(path, &topt, &t, err);
	if (rc != ZL_OK)
		goto out;
	res->format = zl_table_format(t);
	zl_strlcpy(res->encoding, zl_table_encoding_name(t), sizeof(res->encoding));

	/* Header: the first of the first rows that names at least two fields. */
	while (!m.header_row && scanned < ZL_IMPORT_HEADER_SCAN) {
		rc = zl_table_next(t, &cells, &n, err);
		if (rc < 0)
			goto out;
		if (rc == 0)
			break;
		if (skip_row(cells, n))
			continue;
		scanned++;
		rc = zl_import_map_header(&m, cells, n, zl_table_row(t), err);
		if (rc < 0)
			goto out;
	}
	rc = zl_import_map_check(&m, err);
	if (rc != ZL_OK)
		goto out;
	res->header_row = m.header_row;
	for (size_t i = 0; i < m.ncols; i++) {
		char label[128];
		if (blank(m.header[i]))
			continue;
		column_label(&m, (long)i, label, sizeof(label));
		if (m.field[i] == ZL_ECOL_NONE)
			rc = push_str(&res->unmapped, &res->nunmapped, label);
		else if (!slot_of(m.field[i]).size) {
			char note[192];
			snprintf(note, sizeof(note),
				 "column %s is recognised (%s) but not imported", label,
				 zl_ecol_key(m.field[i]));
			rc = push_str(&res->notes, &res->nnotes, note);
		}
		if (rc != ZL_OK) {
			rc = zl_error_set(err, ZL_ENOMEM, "", "out of memory");
			goto out;
		}
	}

	for (;;) {
		rc = zl_table_next(t, &cells, &n, err);
		if (rc < 0)
			goto out;
		if (rc == 0)
			break;
		if (skip_row(cells, n))
			continue;
		res->rows++;
		rc = do_row(db, &m, cells, n, zl_table_row(t), opt, max_rej, actor, &writing, &keys,
			    res, err);
		if (rc == ZL_ENOMEM)
			rc = zl_error_set(err, ZL_ENOMEM, "", "out of memory");
		if (rc < 0)
			goto out;
		if (res->rejected && !opt->partial)
			writing = 0;
		if ((res->rows & 255) == 0)
			progress(opt, t, res->rows);
	}
	progress(opt, t, res->rows);
	res->written = writing;
	if (!writing)
		res->imported = res->updated = res->unchanged = 0;
	rc = ZL_OK;
out:
	if (rc != ZL_OK)
		res->written = 0;
	zl_import_map_release(&m);
	keyset_release(&keys);
	zl_table_close(t);
	return rc;
}
