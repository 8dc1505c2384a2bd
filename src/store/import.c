/*
 * import.c - the enterprise import engine of import.h.  Rows are read and
 * validated one by one; the accepted ones wait packed in a chunk that is
 * sorted by key when full and set aside in a temporary file; once the file
 * is read the sorted chunks are merged and every row is written through
 * zl_store_enterprise_upsert_bulk() in the key order of the whole file
 * (the key index then grows at its end instead of all over it), and the
 * postings of their names collect in one builder flushed into the
 * name index by zl_store_index_flush().  The only SQL here is SQLite's:
 * the page cache pragma, and the secondary indexes of an empty register
 * dropped for the import and created again after it.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/text.h"
#include "domain/enterprise.h"
#include "domain/import_map.h"
#include "domain/postings.h"
#include "store/enterprise_chunk.h"
#include "store/enterprise_index.h"
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

/* ---- former names ------------------------------------------------------------ */

/* Length of the separator of former names at s (；;、/ or a line break), else 0. */
static size_t former_sep(const char *s)
{
	if (*s == ';' || *s == '/' || *s == '\n' || *s == '\r')
		return 1;
	if (!strncmp(s, "；", 3) || !strncmp(s, "、", 3))
		return 3;
	return 0;
}

/* The names of a 曾用名 cell (import.h). */
int zl_import_former_names(const char *cell, struct zl_buf *out, struct zl_error *err)
{
	char part[1024], name[256];
	const char *p = cell;

	zl_buf_reset(out);
	while (*p) {
		size_t len = 0, sep, chars = 0;
		int rc;

		while (p[len] && !former_sep(p + len))
			len++;
		if (len >= sizeof(part))
			return zl_error_set(err, ZL_EUNPROC, "former_name",
					    "a former name of more than 255 bytes");
		memcpy(part, p, len);
		part[len] = '\0';
		p += len;
		if ((sep = former_sep(p)) != 0)
			p += sep;
		rc = zl_import_value(ZL_ECOL_FORMER_NAME, part, name, sizeof(name), err);
		if (rc != ZL_OK)
			return zl_error_set(err, ZL_EUNPROC, "former_name",
					    "a former name of more than 255 bytes");
		if (!name[0])
			continue;
		for (size_t i = 0, n = strlen(name); i < n; chars++) {
			uint32_t cp;
			size_t k = zl_utf8_decode(name + i, n - i, &cp);
			if (k == 0 || cp < 0x20 || cp == 0x7F)
				return zl_error_set(err, ZL_EUNPROC, "former_name",
						    "invalid UTF-8 or a control character");
			i += k;
		}
		if (chars < 2 || chars > 200)
			return zl_error_set(
				err, ZL_EUNPROC, "former_name",
				"a former name must have 2 to 200 characters, found %zu", chars);
		if ((out->len && zl_buf_addch(out, '\n') != ZL_OK) ||
		    zl_buf_adds(out, name) != ZL_OK)
			return ZL_ENOMEM;
	}
	return ZL_OK;
}

/* ---- chunks of accepted rows ------------------------------------------------ */

/*
 * Accepted rows wait in a chunk, packed: the row number, the legacy flag,
 * then the stored fields in enum order (the key first) and the former
 * names, each NUL-terminated.  An entry per row holds a copy of the key
 * (for the sort), where the row starts and its packed size.
 */
struct entry {
	char key[ZL_ENT_KEY_MAX];
	uint32_t off;
	uint32_t len;
};

/* Where the key starts in a packed row (after the row number and the legacy flag). */
#define PACKED_KEY_OFF (sizeof(uint64_t) + 1)

struct chunk {
	struct zl_buf data;
	struct entry *ent;
	size_t n, cap, max;
};

/* 1 when the chunk is full and must be sorted and set aside. */
static int chunk_full(const struct chunk *c)
{
	return c->n >= c->max || c->data.len >= ZL_IMPORT_CHUNK_BYTES;
}

static int chunk_add(struct chunk *c, const struct zl_enterprise *e, uint64_t row,
		     const struct zl_buf *former)
{
	struct entry *x;
	unsigned char legacy = e->legacy ? 1 : 0;

	if (c->n == c->cap) {
		size_t ncap = c->cap ? c->cap * 2 : 1024;
		if (ncap > c->max)
			ncap = c->max;
		x = realloc(c->ent, ncap * sizeof(*x));
		if (!x)
			return ZL_ENOMEM;
		c->ent = x;
		c->cap = ncap;
	}
	x = &c->ent[c->n];
	zl_strlcpy(x->key, e->uscc, sizeof(x->key));
	x->off = (uint32_t)c->data.len;
	zl_buf_add(&c->data, &row, sizeof(row));
	zl_buf_add(&c->data, &legacy, 1);
	for (int f = 1; f < ZL_ECOL__COUNT; f++) {
		struct slot s = slot_of((enum zl_ecol)f);
		if (s.size)
			zl_buf_add(&c->data, (const char *)e + s.off,
				   strlen((const char *)e + s.off) + 1);
	}
	zl_buf_add(&c->data, former->len ? former->data : "", former->len + 1);
	if (c->data.err)
		return ZL_ENOMEM;
	x->len = (uint32_t)(c->data.len - x->off);
	c->n++;
	return ZL_OK;
}

/* Unpack a packed row: the record, its row number and its former names ('\n'-separated). */
static const char *unpack(const char *p, struct zl_enterprise *e, uint64_t *row)
{
	memset(e, 0, sizeof(*e));
	memcpy(row, p, sizeof(*row));
	p += sizeof(*row);
	e->legacy = *p++;
	for (int f = 1; f < ZL_ECOL__COUNT; f++) {
		struct slot s = slot_of((enum zl_ecol)f);
		if (s.size) {
			size_t len = strlen(p);
			memcpy((char *)e + s.off, p, len + 1);
			p += len + 1;
		}
	}
	return p;
}

static int entry_cmp(const void *a, const void *b)
{
	return strcmp(((const struct entry *)a)->key, ((const struct entry *)b)->key);
}

static void chunk_clear(struct chunk *c)
{
	zl_buf_reset(&c->data);
	c->n = 0;
}

static void chunk_release(struct chunk *c)
{
	zl_buf_release(&c->data);
	free(c->ent);
	memset(c, 0, sizeof(*c));
}

/* ---- sorted runs on disk (the external sort) --------------------------------- */

/*
 * When the accepted rows do not fit in one chunk, each full chunk is
 * sorted and written to its own unlinked temporary file (a run: per row
 * its packed size as a uint32_t, then the packed row), and at the end the
 * runs are merged through a heap, so the whole file is written in key
 * order with one chunk of memory plus a read buffer per run.
 */
#define RUN_BUFFER ((size_t)256 * 1024)

struct run_in {
	FILE *f;
	char *row; /* the current row of the run, packed */
	size_t cap;
};

struct runs {
	struct run_in *in;
	size_t n, cap;
	size_t *heap; /* indices into in[], the smallest current key first */
	size_t nheap;
};

static void runs_release(struct runs *rs)
{
	for (size_t i = 0; i < rs->n; i++) {
		if (rs->in[i].f)
			fclose(rs->in[i].f);
		free(rs->in[i].row);
	}
	free(rs->in);
	free(rs->heap);
	memset(rs, 0, sizeof(*rs));
}

/* A new unlinked temporary file in $TMPDIR (else /tmp), open for writing and reading. */
static int temp_file(FILE **out, struct zl_error *err)
{
	const char *dir = getenv("TMPDIR");
	char path[4096];
	int fd;

	*out = NULL;
	if (dir == NULL || dir[0] == '\0')
		dir = "/tmp";
	if ((size_t)snprintf(path, sizeof(path), "%s/zhiliang-sort-XXXXXX", dir) >= sizeof(path))
		return zl_error_set(err, ZL_EIO, "TMPDIR", "temporary directory name too long");
	fd = mkstemp(path);
	if (fd < 0)
		return zl_error_set(err, ZL_EIO, "TMPDIR", "cannot create a temporary file in %s",
				    dir);
	unlink(path);
	*out = fdopen(fd, "w+b");
	if (*out == NULL) {
		close(fd);
		return zl_error_set(err, ZL_EIO, "TMPDIR", "cannot open a temporary file in %s",
				    dir);
	}
	return ZL_OK;
}

/* Write the (sorted) chunk as a new run. */
static int run_spill(struct runs *rs, const struct chunk *c, struct zl_error *err)
{
	struct run_in *in;
	FILE *f;

	if (rs->n == rs->cap) {
		size_t ncap = rs->cap ? rs->cap * 2 : 16;
		in = realloc(rs->in, ncap * sizeof(*in));
		if (!in)
			return zl_error_set(err, ZL_ENOMEM, "", "out of memory");
		rs->in = in;
		rs->cap = ncap;
	}
	int rc = temp_file(&f, err);

	if (rc != ZL_OK)
		return rc;
	in = &rs->in[rs->n++];
	memset(in, 0, sizeof(*in));
	in->f = f;
	setvbuf(f, NULL, _IOFBF, RUN_BUFFER);
	for (size_t i = 0; i < c->n; i++) {
		uint32_t len = c->ent[i].len;
		if (fwrite(&len, sizeof(len), 1, f) != 1 ||
		    fwrite(c->data.data + c->ent[i].off, len, 1, f) != 1)
			goto io;
	}
	if (fflush(f) != 0 || fseek(f, 0, SEEK_SET) != 0)
		goto io;
	return ZL_OK;
io:
	return zl_error_set(err, ZL_EIO, "TMPDIR",
			    "cannot write the import's temporary sort file (disk full?)");
}

/* Read the next row of run i into its buffer.  1: a row, 0: the run is done, <0: error. */
static int run_next(struct runs *rs, size_t i, struct zl_error *err)
{
	struct run_in *in = &rs->in[i];
	uint32_t len;

	if (fread(&len, sizeof(len), 1, in->f) != 1) {
		if (ferror(in->f))
			goto io;
		return 0;
	}
	if (len < PACKED_KEY_OFF + 1)
		goto io;
	if (len > in->cap) {
		char *p = realloc(in->row, len);
		if (!p)
			return zl_error_set(err, ZL_ENOMEM, "", "out of memory");
		in->row = p;
		in->cap = len;
	}
	if (fread(in->row, len, 1, in->f) != 1)
		goto io;
	return 1;
io:
	return zl_error_set(err, ZL_EIO, "TMPDIR", "cannot read the import's temporary sort file");
}

static int run_less(const struct runs *rs, size_t a, size_t b)
{
	int c = strcmp(rs->in[a].row + PACKED_KEY_OFF, rs->in[b].row + PACKED_KEY_OFF);
	return c < 0 || (c == 0 && a < b);
}

static void heap_down(struct runs *rs, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, m = i;
		if (l < rs->nheap && run_less(rs, rs->heap[l], rs->heap[m]))
			m = l;
		if (l + 1 < rs->nheap && run_less(rs, rs->heap[l + 1], rs->heap[m]))
			m = l + 1;
		if (m == i)
			return;
		size_t t = rs->heap[i];
		rs->heap[i] = rs->heap[m];
		rs->heap[m] = t;
		i = m;
	}
}

/* Fill the heap with the first row of every run. */
static int merge_start(struct runs *rs, struct zl_error *err)
{
	rs->heap = calloc(rs->n ? rs->n : 1, sizeof(*rs->heap));
	if (!rs->heap)
		return zl_error_set(err, ZL_ENOMEM, "", "out of memory");
	rs->nheap = 0;
	for (size_t i = 0; i < rs->n; i++) {
		int rc = run_next(rs, i, err);
		if (rc < 0)
			return rc;
		if (rc == 1)
			rs->heap[rs->nheap++] = i;
	}
	for (size_t i = rs->nheap / 2; i-- > 0;)
		heap_down(rs, i);
	return ZL_OK;
}

/* Advance the run at the top of the heap after its row was used. */
static int merge_pop(struct runs *rs, struct zl_error *err)
{
	int rc = run_next(rs, rs->heap[0], err);

	if (rc < 0)
		return rc;
	if (rc == 0)
		rs->heap[0] = rs->heap[--rs->nheap];
	if (rs->nheap)
		heap_down(rs, 0);
	return ZL_OK;
}

/* ---- the run ------------------------------------------------------------------ */

/*
 * PostgreSQL writes rows in batches with the set-based chunk writer
 * (store/enterprise_chunk.h): rows in key order wait here, their former
 * names copied (the packed row they came from may be reused first).
 */
struct batch {
	struct zl_enterprise *recs;
	enum zl_upsert_outcome *outcomes;
	char **former;
	uint64_t *rows;
	size_t n;
};

static void batch_release(struct batch *b)
{
	for (size_t i = 0; i < b->n; i++)
		free(b->former[i]);
	free(b->recs);
	free(b->outcomes);
	free(b->former);
	free(b->rows);
	memset(b, 0, sizeof(*b));
}

struct run {
	struct zl_db *db;
	const struct zl_import_options *opt;
	struct zl_import_result *res;
	struct zl_table_reader *t;
	struct zl_import_map m;
	struct keyset keys;
	struct chunk chunk;
	struct runs runs;
	struct zl_buf former;
	struct zl_ent_bulk bulk;
	struct zl_import_progress prog;
	const char *actor;
	size_t max_rej, flush_postings;
	int writing;
	char **index_sql; /* indexes of enterprises dropped for the import, to create again */
	size_t nindex;
	struct batch batch; /* PostgreSQL: rows waiting for the set-based chunk writer */
	int set_based;	    /* 1: write through the batch (PostgreSQL) */
};

static void progress(struct run *r, enum zl_import_phase phase)
{
	if (!r->opt->progress)
		return;
	r->prog.phase = phase;
	r->prog.rows = r->res->rows;
	zl_table_progress(r->t, &r->prog.bytes_done, &r->prog.bytes_total);
	r->opt->progress(r->opt->progress_cls, &r->prog);
}

static void on_index_progress(void *cls, uint64_t done, uint64_t total)
{
	struct run *r = cls;

	r->prog.grams_done = done;
	r->prog.grams_total = total;
	progress(r, ZL_IMPORT_INDEXING);
}

/* Merge the builder's postings into the name index. */
static int index_flush(struct run *r, struct zl_error *err)
{
	r->prog.grams_done = r->prog.grams_total = 0;
	progress(r, ZL_IMPORT_INDEXING);
	return zl_store_index_flush(r->db, r->bulk.grams, on_index_progress, r, err);
}

static void row_error(struct zl_error *err, uint64_t row)
{
	char field[48];

	snprintf(field, sizeof(field), "row %llu", (unsigned long long)row);
	zl_strlcpy(err->field, field, sizeof(err->field));
}

/* Record the former names of a written row.  *added: how many were new. */
static int former_write(struct run *r, const struct zl_enterprise *e, const char *names,
			uint64_t *added, struct zl_error *err)
{
	char name[256];

	*added = 0;
	while (*names) {
		size_t len = strcspn(names, "\n");
		int one = 0, rc;

		memcpy(name, names, len);
		name[len] = '\0';
		names += len + (names[len] == '\n');
		if (!strcmp(name, e->name))
			continue;
		rc = zl_store_enterprise_former_name_add_bulk(r->db, e->uscc, name, "", &r->bulk,
							      &one, err);
		if (rc != ZL_OK)
			return rc;
		*added += (uint64_t)one;
	}
	return ZL_OK;
}

/* Count one written row and its former names. */
static void count_row(struct run *r, enum zl_upsert_outcome outcome, uint64_t added)
{
	r->res->former_names += added;
	if (outcome == ZL_UPSERT_INSERTED)
		r->res->imported++;
	else if (outcome == ZL_UPSERT_UPDATED || added)
		r->res->updated++;
	else
		r->res->unchanged++;
}

/* PostgreSQL: write the waiting rows with the chunk writer, then their former names. */
static int batch_write(struct run *r, struct zl_error *err)
{
	struct batch *b = &r->batch;
	int rc = ZL_OK;

	if (b->n == 0)
		return ZL_OK;
	rc = zl_store_enterprise_write_chunk(r->db, b->recs, b->n, r->actor, &r->bulk, b->outcomes,
					     err);
	for (size_t i = 0; i < b->n && rc == ZL_OK; i++) {
		uint64_t added = 0;

		if (*b->former[i])
			rc = former_write(r, &b->recs[i], b->former[i], &added, err);
		if (rc != ZL_OK) {
			row_error(err, b->rows[i]);
			break;
		}
		count_row(r, b->outcomes[i], added);
	}
	for (size_t i = 0; i < b->n; i++)
		free(b->former[i]);
	b->n = 0;
	return rc;
}

/* PostgreSQL: queue one packed row; a full batch is written. */
static int batch_add(struct run *r, const char *packed, struct zl_error *err)
{
	struct batch *b = &r->batch;
	const char *former;

	if (b->recs == NULL) {
		b->recs = malloc(ZL_ENT_CHUNK_BATCH * sizeof(*b->recs));
		b->outcomes = malloc(ZL_ENT_CHUNK_BATCH * sizeof(*b->outcomes));
		b->former = calloc(ZL_ENT_CHUNK_BATCH, sizeof(*b->former));
		b->rows = malloc(ZL_ENT_CHUNK_BATCH * sizeof(*b->rows));
		if (!b->recs || !b->outcomes || !b->former || !b->rows) {
			batch_release(b);
			return zl_error_set(err, ZL_ENOMEM, "", "out of memory");
		}
	}
	former = unpack(packed, &b->recs[b->n], &b->rows[b->n]);
	if ((b->former[b->n] = strdup(former)) == NULL)
		return zl_error_set(err, ZL_ENOMEM, "", "out of memory");
	b->n++;
	return b->n == ZL_ENT_CHUNK_BATCH ? batch_write(r, err) : ZL_OK;
}

/* Write one packed row (rows come in key order). */
static int write_packed(struct run *r, const char *packed, struct zl_error *err)
{
	struct zl_enterprise e;
	enum zl_upsert_outcome outcome;
	uint64_t row, added = 0;
	const char *former;
	int rc;

	if (r->set_based) {
		if ((rc = batch_add(r, packed, err)) != ZL_OK)
			return rc;
	} else {
		former = unpack(packed, &e, &row);
		rc = zl_store_enterprise_upsert_bulk(r->db, &e, r->actor, &r->bulk, &outcome, err);
		if (rc == ZL_OK && *former)
			rc = former_write(r, &e, former, &added, err);
		if (rc != ZL_OK) {
			row_error(err, row);
			return rc;
		}
		count_row(r, outcome, added);
	}
	r->prog.written++;
	if ((r->prog.written & 4095) == 0) {
		progress(r, ZL_IMPORT_WRITING);
		if (zl_gram_builder_postings(r->bulk.grams) > r->flush_postings &&
		    (rc = index_flush(r, err)) != ZL_OK)
			return rc;
	}
	return ZL_OK;
}

/* Stop writing (a row was rejected without --partial): drop what waits. */
static void drop_pending(struct run *r)
{
	chunk_clear(&r->chunk);
	runs_release(&r->runs);
}

/* The chunk is full: sort it and set it aside as a run on disk. */
static int chunk_spill(struct run *r, struct zl_error *err)
{
	struct chunk *c = &r->chunk;
	int rc;

	if (!r->writing || c->n == 0) {
		chunk_clear(c);
		return ZL_OK;
	}
	progress(r, ZL_IMPORT_SORTING);
	qsort(c->ent, c->n, sizeof(*c->ent), entry_cmp);
	rc = run_spill(&r->runs, c, err);
	chunk_clear(c);
	return rc;
}

/*
 * Write every accepted row in key order: from the chunk when the whole
 * file fitted in it, else by merging the runs (the last chunk becomes one).
 */
static int write_all(struct run *r, struct zl_error *err)
{
	struct chunk *c = &r->chunk;
	int rc = ZL_OK;

	if (!r->writing) {
		drop_pending(r);
		return ZL_OK;
	}
	if (r->runs.n == 0) {
		if (c->n == 0)
			return ZL_OK;
		progress(r, ZL_IMPORT_SORTING);
		qsort(c->ent, c->n, sizeof(*c->ent), entry_cmp);
		progress(r, ZL_IMPORT_WRITING);
		for (size_t i = 0; i < c->n && rc == ZL_OK; i++)
			rc = write_packed(r, c->data.data + c->ent[i].off, err);
		chunk_clear(c);
	} else {
		if ((rc = chunk_spill(r, err)) != ZL_OK)
			return rc;
		progress(r, ZL_IMPORT_SORTING);
		if ((rc = merge_start(&r->runs, err)) != ZL_OK)
			return rc;
		progress(r, ZL_IMPORT_WRITING);
		while (rc == ZL_OK && r->runs.nheap) {
			rc = write_packed(r, r->runs.in[r->runs.heap[0]].row, err);
			if (rc == ZL_OK)
				rc = merge_pop(&r->runs, err);
		}
		runs_release(&r->runs);
	}
	if (rc == ZL_OK)
		rc = batch_write(r, err);
	if (rc == ZL_OK)
		progress(r, ZL_IMPORT_WRITING);
	return rc;
}

static int reject(struct run *r, uint64_t row, long col, const char *const *cells, size_t n,
		  const char *reason)
{
	return add_reject(r->res, r->max_rej, row, &r->m, col,
			  col >= 0 && (size_t)col < n ? cells[col] : "", reason)
		       ? ZL_ENOMEM
		       : ZL_OK;
}

/* Map, normalise and validate one data row; queue it for writing when accepted.  <0: fatal. */
static int do_row(struct run *r, const char *const *cells, size_t n, uint64_t row,
		  struct zl_error *err)
{
	const struct zl_import_map *m = &r->m;
	struct zl_enterprise e;
	struct zl_error verr = ZL_ERROR_INIT;
	uint64_t first;
	long col;

	memset(&e, 0, sizeof(e));
	for (int f = 1; f < ZL_ECOL__COUNT; f++) {
		struct slot s = slot_of((enum zl_ecol)f);

		col = m->col_of[f];
		if (col < 0 || !s.size)
			continue;
		if (zl_import_value((enum zl_ecol)f, (size_t)col < n ? cells[col] : "",
				    (char *)&e + s.off, s.size, &verr) != ZL_OK)
			return reject(r, row, col, cells, n, verr.message);
	}
	if (zl_enterprise_validate(&e, ZL_ENT_LEGACY_IMPORT, &verr) != ZL_OK) {
		col = column_of_field(m, verr.field);
		if (col < 0 && !strcmp(verr.field, "uscc"))
			col = m->col_of[ZL_ECOL_ORG_CODE];
		return reject(r, row, col, cells, n, verr.message);
	}
	zl_buf_reset(&r->former);
	col = m->col_of[ZL_ECOL_FORMER_NAME];
	if (col >= 0 && (size_t)col < n) {
		int rc = zl_import_former_names(cells[col], &r->former, &verr);
		if (rc == ZL_ENOMEM)
			return rc;
		if (rc != ZL_OK)
			return reject(r, row, col, cells, n, verr.message);
	}
	first = keyset_add(&r->keys, e.uscc, row);
	if (first == (uint64_t)-1)
		return ZL_ENOMEM;
	if (first) {
		char why[192];

		col = m->col_of[ZL_ECOL_USCC] >= 0 ? m->col_of[ZL_ECOL_USCC]
						   : m->col_of[ZL_ECOL_ORG_CODE];
		snprintf(why, sizeof(why), "the same enterprise as row %llu (%s)",
			 (unsigned long long)first, e.uscc);
		return reject(r, row, col, cells, n, why);
	}
	if (!r->writing)
		return ZL_OK;
	if (chunk_add(&r->chunk, &e, row, &r->former) != ZL_OK)
		return ZL_ENOMEM;
	return chunk_full(&r->chunk) ? chunk_spill(r, err) : ZL_OK;
}

/* ---- the SQLite page cache ------------------------------------------------------ */

/*
 * An import touches many more pages than SQLite's default cache (2 MB)
 * holds, and a spilled page costs a write and a read: raise the cache of
 * this connection for the import, and put the previous size back after
 * (the HTTP upload runs on a pooled connection).  *saved = 0: not changed.
 */
static int cache_raise(struct zl_db *db, int64_t *saved, struct zl_error *err)
{
	struct zl_stmt *st;
	int64_t cur = 0, page = 4096, cur_kib;
	char sql[64];
	int rc;

	*saved = 0;
	if (strcmp(zl_db_backend(db), "sqlite") != 0)
		return ZL_OK;
	if ((rc = zl_db_prepare(db, "PRAGMA cache_size", &st, err)) != ZL_OK)
		return rc;
	if ((rc = zl_stmt_step(st, err)) == ZL_DB_ROW)
		cur = zl_stmt_column_int64(st, 0);
	zl_stmt_reset(st);
	if (rc < 0)
		return rc;
	if ((rc = zl_db_prepare(db, "PRAGMA page_size", &st, err)) != ZL_OK)
		return rc;
	if ((rc = zl_stmt_step(st, err)) == ZL_DB_ROW)
		page = zl_stmt_column_int64(st, 0);
	zl_stmt_reset(st);
	if (rc < 0)
		return rc;
	cur_kib = cur < 0 ? -cur : cur * page / 1024;
	if (cur == 0 || cur_kib >= ZL_IMPORT_CACHE_KIB)
		return ZL_OK;
	snprintf(sql, sizeof(sql), "PRAGMA cache_size = %d", -ZL_IMPORT_CACHE_KIB);
	if ((rc = zl_db_exec(db, sql, err)) != ZL_OK)
		return rc;
	*saved = cur;
	return ZL_OK;
}

static void cache_restore(struct zl_db *db, int64_t saved)
{
	struct zl_error ignored = ZL_ERROR_INIT;
	char sql[64];

	if (saved == 0)
		return;
	snprintf(sql, sizeof(sql), "PRAGMA cache_size = %lld", (long long)saved);
	(void)zl_db_exec(db, sql, &ignored);
}

/* ---- the indexes of an empty register ------------------------------------------ */

/*
 * Into an empty register (SQLite), the secondary indexes of enterprises
 * are dropped before the rows are written and created again after: one
 * sort each instead of a B-tree insert per row and index (the key's own
 * index stays: rows arrive in its order).  Their definitions are read
 * from the schema, so whatever indexes the migrations made come back as
 * they were; a failure rolls the drop back with the rest of the import.
 * PostgreSQL is left alone: DROP INDEX there would lock readers out of
 * the table until the commit.
 */
static int indexes_defer(struct run *r, struct zl_error *err)
{
	struct zl_stmt *st;
	char sql[256];
	int rc;

	if (strcmp(zl_db_backend(r->db), "sqlite") != 0)
		return ZL_OK;
	if ((rc = zl_db_prepare(r->db, "SELECT 1 FROM enterprises LIMIT 1", &st, err)) != ZL_OK)
		return rc;
	rc = zl_stmt_step(st, err);
	zl_stmt_reset(st);
	if (rc != ZL_DB_DONE)
		return rc < 0 ? rc : ZL_OK; /* not empty */
	rc = zl_db_prepare(r->db,
			   "SELECT name, sql FROM sqlite_master WHERE type = 'index'"
			   " AND tbl_name = 'enterprises' AND sql IS NOT NULL ORDER BY name",
			   &st, err);
	if (rc != ZL_OK)
		return rc;
	{
		char **names = NULL;
		size_t nnames = 0;

		while ((rc = zl_stmt_step(st, err)) == ZL_DB_ROW) {
			const char *name = zl_stmt_column_text(st, 0);
			const char *def = zl_stmt_column_text(st, 1);

			if (!name || !def || strchr(name, '"') ||
			    push_str(&names, &nnames, name) != ZL_OK ||
			    push_str(&r->index_sql, &r->nindex, def) != ZL_OK) {
				rc = zl_error_set(err, ZL_ENOMEM, "", "out of memory");
				break;
			}
		}
		zl_stmt_reset(st);
		for (size_t i = 0; rc == ZL_DB_DONE && i < nnames; i++) {
			snprintf(sql, sizeof(sql), "DROP INDEX \"%s\"", names[i]);
			if ((rc = zl_db_exec(r->db, sql, err)) == ZL_OK)
				rc = ZL_DB_DONE;
		}
		free_list(names, nnames);
	}
	if (rc != ZL_DB_DONE) {
		/* Nothing to create again if nothing was dropped; else the rollback does. */
		free_list(r->index_sql, r->nindex);
		r->index_sql = NULL;
		r->nindex = 0;
		return rc < 0 ? rc : ZL_EDB;
	}
	return ZL_OK;
}

/* Create the dropped indexes again (after the rows are written). */
static int indexes_restore(struct run *r, struct zl_error *err)
{
	int rc = ZL_OK;

	for (size_t i = 0; i < r->nindex && rc == ZL_OK; i++) {
		progress(r, ZL_IMPORT_WRITING);
		rc = zl_db_exec(r->db, r->index_sql[i], err);
	}
	free_list(r->index_sql, r->nindex);
	r->index_sql = NULL;
	r->nindex = 0;
	return rc;
}

/* ---- the import ------------------------------------------------------------------ */

static int find_header(struct run *r, struct zl_error *err)
{
	const char *const *cells;
	size_t n, scanned = 0;
	int rc;

	while (!r->m.header_row && scanned < ZL_IMPORT_HEADER_SCAN) {
		rc = zl_table_next(r->t, &cells, &n, err);
		if (rc < 0)
			return rc;
		if (rc == 0)
			break;
		if (skip_row(cells, n))
			continue;
		scanned++;
		rc = zl_import_map_header(&r->m, cells, n, zl_table_row(r->t), err);
		if (rc < 0)
			return rc;
	}
	rc = zl_import_map_check(&r->m, err);
	if (rc != ZL_OK)
		return rc;
	r->res->header_row = r->m.header_row;
	for (size_t i = 0; i < r->m.ncols; i++) {
		char label[128];

		if (blank(r->m.header[i]) || r->m.field[i] != ZL_ECOL_NONE)
			continue;
		column_label(&r->m, (long)i, label, sizeof(label));
		if (push_str(&r->res->unmapped, &r->res->nunmapped, label) != ZL_OK)
			return zl_error_set(err, ZL_ENOMEM, "", "out of memory");
	}
	return ZL_OK;
}

int zl_import_enterprises(struct zl_db *db, const char *path, const struct zl_import_options *opt,
			  struct zl_import_result *res, struct zl_error *err)
{
	static const struct zl_import_options defaults = {0};
	struct zl_table_options topt = {0};
	struct run r;
	const char *const *cells;
	int64_t saved_cache = 0;
	size_t n;
	int rc;

	if (!opt)
		opt = &defaults;
	memset(&r, 0, sizeof(r));
	r.db = db;
	r.set_based = strcmp(zl_db_backend(db), "postgres") == 0;
	r.opt = opt;
	r.res = res;
	r.actor = opt->actor ? opt->actor : "import";
	r.max_rej = opt->max_rejects ? opt->max_rejects : ZL_IMPORT_MAX_REJECTS_DEFAULT;
	r.flush_postings = opt->flush_postings ? opt->flush_postings : ZL_IMPORT_FLUSH_POSTINGS;
	r.writing = 1;
	zl_import_map_init(&r.m);
	zl_buf_init(&r.chunk.data, (size_t)UINT32_MAX);
	r.chunk.max = opt->chunk_rows ? opt->chunk_rows : ZL_IMPORT_CHUNK_ROWS;
	zl_buf_init(&r.former, 64 * 1024);
	if (zl_gram_builder_new(&r.bulk.grams) != ZL_OK) {
		rc = zl_error_set(err, ZL_ENOMEM, "", "out of memory");
		goto out;
	}
	topt.encoding = opt->encoding;
	rc = zl_table_open(path, &topt, &r.t, err);
	if (rc != ZL_OK)
		goto out;
	res->format = zl_table_format(r.t);
	zl_strlcpy(res->encoding, zl_table_encoding_name(r.t), sizeof(res->encoding));
	if ((rc = find_header(&r, err)) != ZL_OK)
		goto out;
	if ((rc = cache_raise(db, &saved_cache, err)) != ZL_OK)
		goto out;

	for (;;) {
		rc = zl_table_next(r.t, &cells, &n, err);
		if (rc < 0)
			goto out;
		if (rc == 0)
			break;
		if (skip_row(cells, n))
			continue;
		res->rows++;
		rc = do_row(&r, cells, n, zl_table_row(r.t), err);
		if (rc == ZL_ENOMEM)
			rc = zl_error_set(err, ZL_ENOMEM, "", "out of memory");
		if (rc < 0)
			goto out;
		if (res->rejected && !opt->partial && r.writing) {
			r.writing = 0;
			drop_pending(&r);
		}
		if ((res->rows & 255) == 0)
			progress(&r, ZL_IMPORT_READING);
	}
	progress(&r, ZL_IMPORT_READING);
	if (r.writing && (r.chunk.n || r.runs.n) && (rc = indexes_defer(&r, err)) != ZL_OK)
		goto out;
	if ((rc = write_all(&r, err)) != ZL_OK)
		goto out;
	if ((rc = indexes_restore(&r, err)) != ZL_OK)
		goto out;
	if (r.writing && (rc = index_flush(&r, err)) != ZL_OK)
		goto out;
	res->written = r.writing;
	if (!r.writing)
		res->imported = res->updated = res->unchanged = res->former_names = 0;
	rc = ZL_OK;
out:
	if (rc != ZL_OK) {
		struct zl_error ignored = ZL_ERROR_INIT;

		res->written = 0;
		/* The caller rolls back (which restores them too); this is for a caller that does
		 * not. */
		(void)indexes_restore(&r, &ignored);
	}
	cache_restore(db, saved_cache);
	zl_import_map_release(&r.m);
	keyset_release(&r.keys);
	chunk_release(&r.chunk);
	runs_release(&r.runs);
	zl_buf_release(&r.former);
	zl_gram_builder_free(r.bulk.grams);
	batch_release(&r.batch);
	zl_table_close(r.t);
	return rc;
}
