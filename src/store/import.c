/*
 * import.c - the enterprise import engine of import.h.  The main thread
 * reads the rows; a second thread maps and validates them (the checker),
 * and the main thread takes them back in file order for what depends on
 * the rows before (duplicate keys, rejects); the accepted ones wait packed
 * in a chunk that is sorted by key when full and set aside in a temporary
 * file.  Once the file is read the sorted chunks are merged and every row
 * is written in the key order of the whole file (the key index then grows
 * at its end instead of all over it): rows above the register's highest
 * key are appended by zl_store_enterprise_append() without a read, the
 * others go through zl_store_enterprise_upsert_bulk() (the chunk writer on
 * PostgreSQL).  Meanwhile the second thread adds the names written to the
 * index builder (the namer), flushed into the name index by
 * zl_store_index_flush().  The only SQL here is SQLite's page cache
 * pragma.
 */
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/text.h"
#include "domain/enterprise.h"
#include "domain/grams.h"
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

int zl_import_push_str(char ***list, size_t *n, const char *s)
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
	char label[96];

	column_label(m, col, label, sizeof(label));
	return zl_import_add_reject(res, max, row, label, value, reason);
}

int zl_import_add_reject(struct zl_import_result *res, size_t max, uint64_t row,
			 const char *column, const char *value, const char *reason)
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
	copy_utf8(r->column, sizeof(r->column), column ? column : "");
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

int zl_import_skip_row(const char *const *cells, size_t n)
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
 * names, each NUL-terminated.  An entry per row holds the first 16 bytes
 * of the key as two big-endian numbers (for the sort: they order as
 * strcmp() orders the keys, which decides only between keys equal that
 * far), where the row starts and its packed size: 24 bytes to move and
 * compare instead of the key's 64.
 */
struct entry {
	uint64_t k0, k1;
	uint32_t off;
	uint32_t len;
};

/* Where the key starts in a packed row (after the row number and the legacy flag). */
#define PACKED_KEY_OFF (sizeof(uint64_t) + 1)

/* The 8 bytes of s from byte `at` as a big-endian number, zero past the end of s. */
static uint64_t key_word(const char *s, size_t at, size_t len)
{
	uint64_t w = 0;

	for (size_t i = 0; i < 8; i++)
		w = (w << 8) | (at + i < len ? (unsigned char)s[at + i] : 0u);
	return w;
}

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

/* Append the packed form of a row to `out` (see above).  ZL_OK or ZL_ENOMEM. */
static int pack_row(struct zl_buf *out, const struct zl_enterprise *e, uint64_t row,
		    const struct zl_buf *former)
{
	unsigned char legacy = e->legacy ? 1 : 0;

	zl_buf_add(out, &row, sizeof(row));
	zl_buf_add(out, &legacy, 1);
	for (int f = 1; f < ZL_ECOL__COUNT; f++) {
		struct slot s = slot_of((enum zl_ecol)f);
		if (s.size)
			zl_buf_add(out, (const char *)e + s.off,
				   strlen((const char *)e + s.off) + 1);
	}
	zl_buf_add(out, former->len ? former->data : "", former->len + 1);
	return out->err ? ZL_ENOMEM : ZL_OK;
}

/* Add a packed row (len bytes at p) to the chunk. */
static int chunk_add_packed(struct chunk *c, const char *p, size_t len)
{
	struct entry *x;

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
	{
		const char *key = p + PACKED_KEY_OFF;
		size_t klen = strlen(key);

		x->k0 = key_word(key, 0, klen);
		x->k1 = key_word(key, 8, klen);
	}
	x->off = (uint32_t)c->data.len;
	if (zl_buf_add(&c->data, p, len) != ZL_OK)
		return ZL_ENOMEM;
	x->len = (uint32_t)len;
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

/* strcmp() order of the keys of two entries of the chunk whose data is `cls`. */
static int entry_cmp(const void *a, const void *b, void *cls)
{
	const struct entry *x = a, *y = b;
	const char *data = cls;

	if (x->k0 != y->k0)
		return x->k0 < y->k0 ? -1 : 1;
	if (x->k1 != y->k1)
		return x->k1 < y->k1 ? -1 : 1;
	return strcmp(data + x->off + PACKED_KEY_OFF, data + y->off + PACKED_KEY_OFF);
}

/* Sort the chunk's entries by key. */
static void chunk_sort(struct chunk *c)
{
	qsort_r(c->ent, c->n, sizeof(*c->ent), entry_cmp, c->data.data);
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
	char *buf; /* the stdio buffer of f (RUN_BUFFER bytes) */
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
		free(rs->in[i].buf);
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
	/* glibc ignores the size when setvbuf() is given no buffer (it keeps one of
	 * st_blksize, 4 KiB: a system call per 4 KiB each way), so give it one. */
	if ((in->buf = malloc(RUN_BUFFER)) != NULL)
		setvbuf(f, in->buf, _IOFBF, RUN_BUFFER);
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

/* ---- helper threads ------------------------------------------------------------------ */

/* Start fn(arg) on a thread with its mutex and condition: 0, or -1 with nothing to release. */
static int thread_start(pthread_t *th, pthread_mutex_t *mu, pthread_cond_t *cv, void *(*fn)(void *),
			void *arg)
{
	if (pthread_mutex_init(mu, NULL) != 0)
		return -1;
	if (pthread_cond_init(cv, NULL) != 0) {
		pthread_mutex_destroy(mu);
		return -1;
	}
	if (pthread_create(th, NULL, fn, arg) != 0) {
		pthread_cond_destroy(cv);
		pthread_mutex_destroy(mu);
		return -1;
	}
	return 0;
}

/* Set *stop under the mutex, wake the thread, wait for it to end, release the rest. */
static void thread_stop(pthread_t th, pthread_mutex_t *mu, pthread_cond_t *cv, int *stop)
{
	pthread_mutex_lock(mu);
	*stop = 1;
	pthread_cond_broadcast(cv);
	pthread_mutex_unlock(mu);
	pthread_join(th, NULL);
	pthread_cond_destroy(cv);
	pthread_mutex_destroy(mu);
}

/* ---- checking rows on a thread of its own ------------------------------------------ */

/*
 * While the main thread reads the file (zl_table_next(): the parser keeps
 * state, so one thread reads), a second one maps, normalises and
 * validates the rows: the main thread copies the cells of up to
 * CHECK_ROWS rows into a batch and hands it over, reads the next one, and
 * takes the checked batches back in order to do what depends on the rows
 * before (duplicate keys, the reject list, the chunk).  So every row goes
 * through exactly the steps it went through before, in the same order;
 * only the pure part of the work, the larger one, runs beside the reading.
 * Batches go round a ring as the name thread's do.
 */
#define CHECK_ROWS 1024
#define CHECK_TEXT ((size_t)8 << 20) /* a batch is handed over once its cells hold this */
#define CHECK_BATCHES 4

/* What the check of one row found. */
struct checked {
	int rc;		 /* ZL_OK: accepted; ZL_EUNPROC: rejected; ZL_ENOMEM */
	long col;	 /* rejected: the column to name (or -1) */
	size_t off, len; /* accepted: the packed row in `packed`; rejected: the reason in `msgs` */
};

struct rbatch {
	size_t n;
	uint64_t row[CHECK_ROWS];
	size_t cell0[CHECK_ROWS + 1]; /* the cells of row i: cellv[cell0[i] .. cell0[i + 1]) */
	size_t *celloff;	      /* offsets into text while filling */
	const char **cellv;	      /* the cells, once filled */
	size_t cellcap;
	struct zl_buf text;
	struct checked res[CHECK_ROWS];
	struct zl_buf packed, msgs, former; /* the checker's */
};

struct checker {
	const struct zl_import_map *m;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct rbatch *ring[CHECK_BATCHES];
	size_t head;  /* the oldest batch handed over and not yet taken back */
	size_t nsub;  /* batches handed over, not taken back: ring[head], ... */
	size_t ndone; /* of those, the first ndone are checked */
	int stop;
	int threaded; /* 0: no thread, the main thread checks each batch itself */
};

/* Map, normalise and validate one row (pure): the packed row or the reason, into out. */
static void check_row(const struct zl_import_map *m, const char *const *cells, size_t n,
		      uint64_t row, struct rbatch *b, struct checked *out)
{
	struct zl_enterprise e;
	struct zl_error verr = ZL_ERROR_INIT;
	long col;

	out->rc = ZL_EUNPROC;
	out->col = -1;
	memset(&e, 0, sizeof(e));
	for (int f = 1; f < ZL_ECOL__COUNT; f++) {
		struct slot s = slot_of((enum zl_ecol)f);

		col = m->col_of[f];
		if (col < 0 || !s.size)
			continue;
		if (zl_import_value((enum zl_ecol)f, (size_t)col < n ? cells[col] : "",
				    (char *)&e + s.off, s.size, &verr) != ZL_OK) {
			out->col = col;
			goto reject;
		}
	}
	if (zl_enterprise_validate(&e, ZL_ENT_LEGACY_IMPORT, &verr) != ZL_OK) {
		col = column_of_field(m, verr.field);
		if (col < 0 && !strcmp(verr.field, "uscc"))
			col = m->col_of[ZL_ECOL_ORG_CODE];
		out->col = col;
		goto reject;
	}
	zl_buf_reset(&b->former);
	col = m->col_of[ZL_ECOL_FORMER_NAME];
	if (col >= 0 && (size_t)col < n) {
		int rc = zl_import_former_names(cells[col], &b->former, &verr);
		if (rc == ZL_ENOMEM)
			goto nomem;
		if (rc != ZL_OK) {
			out->col = col;
			goto reject;
		}
	}
	out->off = b->packed.len;
	if (pack_row(&b->packed, &e, row, &b->former) != ZL_OK)
		goto nomem;
	out->len = b->packed.len - out->off;
	out->rc = ZL_OK;
	return;
reject:
	out->off = b->msgs.len;
	if (zl_buf_add(&b->msgs, verr.message, strlen(verr.message) + 1) != ZL_OK)
		goto nomem;
	return;
nomem:
	out->rc = ZL_ENOMEM;
}

static void check_batch(const struct zl_import_map *m, struct rbatch *b)
{
	zl_buf_reset(&b->packed);
	zl_buf_reset(&b->msgs);
	for (size_t i = 0; i < b->n; i++)
		check_row(m, b->cellv + b->cell0[i], b->cell0[i + 1] - b->cell0[i], b->row[i], b,
			  &b->res[i]);
}

static void *checker_main(void *arg)
{
	struct checker *ck = arg;

	pthread_mutex_lock(&ck->mu);
	for (;;) {
		struct rbatch *b;

		while (ck->ndone == ck->nsub && !ck->stop)
			pthread_cond_wait(&ck->cv, &ck->mu);
		if (ck->ndone == ck->nsub)
			break;
		/* Stays handed over (not taken back) until marked done below. */
		b = ck->ring[(ck->head + ck->ndone) % CHECK_BATCHES];
		pthread_mutex_unlock(&ck->mu);
		check_batch(ck->m, b);
		pthread_mutex_lock(&ck->mu);
		ck->ndone++;
		pthread_cond_broadcast(&ck->cv);
	}
	pthread_mutex_unlock(&ck->mu);
	return NULL;
}

static void rbatch_free(struct rbatch *b)
{
	if (b == NULL)
		return;
	free(b->celloff);
	free(b->cellv);
	zl_buf_release(&b->text);
	zl_buf_release(&b->packed);
	zl_buf_release(&b->msgs);
	zl_buf_release(&b->former);
	free(b);
}

/* The batches, and the thread when one can be had.  ZL_OK or ZL_ENOMEM. */
static int checker_start(struct checker *ck, const struct zl_import_map *m)
{
	memset(ck, 0, sizeof(*ck));
	ck->m = m;
	for (size_t i = 0; i < CHECK_BATCHES; i++) {
		struct rbatch *b = calloc(1, sizeof(*b));

		if ((ck->ring[i] = b) == NULL)
			return ZL_ENOMEM;
		zl_buf_init(&b->text, SIZE_MAX);
		zl_buf_init(&b->packed, SIZE_MAX);
		zl_buf_init(&b->msgs, SIZE_MAX);
		zl_buf_init(&b->former, 64 * 1024);
	}
	/* Without a thread the main thread checks each batch itself. */
	ck->threaded = thread_start(&ck->thread, &ck->mu, &ck->cv, checker_main, ck) == 0;
	return ZL_OK;
}

/* Stop the thread (a batch being checked is finished first) and free the batches. */
static void checker_stop(struct checker *ck)
{
	if (ck->threaded) {
		/* What is not started is not wanted. */
		pthread_mutex_lock(&ck->mu);
		ck->nsub = ck->ndone;
		pthread_mutex_unlock(&ck->mu);
		thread_stop(ck->thread, &ck->mu, &ck->cv, &ck->stop);
	}
	for (size_t i = 0; i < CHECK_BATCHES; i++)
		rbatch_free(ck->ring[i]);
	memset(ck, 0, sizeof(*ck));
}

/* The batch to fill next, or NULL when every batch is handed over. */
static struct rbatch *checker_free_batch(struct checker *ck)
{
	size_t nsub;

	if (ck->threaded)
		pthread_mutex_lock(&ck->mu);
	nsub = ck->nsub;
	if (ck->threaded)
		pthread_mutex_unlock(&ck->mu);
	return nsub < CHECK_BATCHES ? ck->ring[(ck->head + nsub) % CHECK_BATCHES] : NULL;
}

static void checker_submit(struct checker *ck)
{
	if (!ck->threaded) {
		check_batch(ck->m, ck->ring[(ck->head + ck->nsub) % CHECK_BATCHES]);
		ck->nsub++;
		ck->ndone++;
		return;
	}
	pthread_mutex_lock(&ck->mu);
	ck->nsub++;
	pthread_cond_broadcast(&ck->cv);
	pthread_mutex_unlock(&ck->mu);
}

/* The oldest batch handed over, once checked (NULL: none is out). */
static struct rbatch *checker_take(struct checker *ck)
{
	struct rbatch *b = NULL;

	if (ck->threaded)
		pthread_mutex_lock(&ck->mu);
	if (ck->nsub > 0) {
		while (ck->ndone == 0)
			pthread_cond_wait(&ck->cv, &ck->mu);
		b = ck->ring[ck->head];
	}
	if (ck->threaded)
		pthread_mutex_unlock(&ck->mu);
	return b;
}

/* The batch of checker_take() is done with. */
static void checker_release(struct checker *ck)
{
	if (ck->threaded)
		pthread_mutex_lock(&ck->mu);
	ck->head = (ck->head + 1) % CHECK_BATCHES;
	ck->nsub--;
	ck->ndone--;
	if (ck->threaded)
		pthread_mutex_unlock(&ck->mu);
}

/* ---- setting chunks aside on a thread of their own ---------------------------------- */

/*
 * A full chunk is handed to another thread that sorts it and writes it as
 * a run, while the main thread fills a second chunk (so reading and
 * checking do not stop for the sort); the main thread waits only when a
 * chunk is full before the one before it is set aside.  The runs are the
 * thread's until spiller_wait() returns.
 */
struct spiller {
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct chunk *job; /* the chunk being set aside, NULL when idle */
	struct runs *runs;
	int stop;
	int rc; /* the first failure, with its message in err */
	struct zl_error err;
	int started;
};

static void *spiller_main(void *arg)
{
	struct spiller *sp = arg;

	pthread_mutex_lock(&sp->mu);
	for (;;) {
		struct zl_error e = ZL_ERROR_INIT;
		struct chunk *c;
		int rc = ZL_OK;

		while (sp->job == NULL && !sp->stop)
			pthread_cond_wait(&sp->cv, &sp->mu);
		if ((c = sp->job) == NULL)
			break;
		rc = sp->rc;
		pthread_mutex_unlock(&sp->mu);
		if (rc == ZL_OK) {
			chunk_sort(c);
			rc = run_spill(sp->runs, c, &e);
		}
		chunk_clear(c);
		pthread_mutex_lock(&sp->mu);
		if (rc != ZL_OK && sp->rc == ZL_OK) {
			sp->rc = rc;
			sp->err = e;
		}
		sp->job = NULL;
		pthread_cond_broadcast(&sp->cv);
	}
	pthread_mutex_unlock(&sp->mu);
	return NULL;
}

/* Start the thread; without one (*started 0) the main thread sets chunks aside itself. */
static void spiller_start(struct spiller *sp, struct runs *runs)
{
	memset(sp, 0, sizeof(*sp));
	sp->runs = runs;
	sp->started = thread_start(&sp->thread, &sp->mu, &sp->cv, spiller_main, sp) == 0;
}

/* Wait until the chunk handed over is set aside: ZL_OK or the first failure (in err). */
static int spiller_wait(struct spiller *sp, struct zl_error *err)
{
	int rc;

	if (!sp->started)
		return ZL_OK;
	pthread_mutex_lock(&sp->mu);
	while (sp->job != NULL)
		pthread_cond_wait(&sp->cv, &sp->mu);
	rc = sp->rc;
	if (rc != ZL_OK && err != NULL)
		*err = sp->err;
	pthread_mutex_unlock(&sp->mu);
	return rc;
}

/* Hand a full chunk over (the thread is idle: spiller_wait() returned). */
static void spiller_give(struct spiller *sp, struct chunk *c)
{
	pthread_mutex_lock(&sp->mu);
	sp->job = c;
	pthread_cond_broadcast(&sp->cv);
	pthread_mutex_unlock(&sp->mu);
}

/* Stop the thread after the chunk it may be setting aside.  Idempotent. */
static void spiller_stop(struct spiller *sp)
{
	if (!sp->started)
		return;
	(void)spiller_wait(sp, NULL);
	thread_stop(sp->thread, &sp->mu, &sp->cv, &sp->stop);
	sp->started = 0;
}

/* ---- the name index on a thread of its own --------------------------------------- */

/*
 * While the rows are written, the grams of their names are added to the
 * index builder by a second thread: the writer (the bulk writer's on_name
 * hook) copies each name and its id into a batch, and hands a full batch
 * over; the thread adds the batches in the order given, so the builder
 * ends the same as if the writer had added them itself.  The writer
 * touches the builder only after namer_sync() (every batch handed over
 * is done), to flush it; the builder is the thread's until then.  Batches
 * go round a ring: the writer fills the one after the queued ones, and
 * waits when all are queued.
 */
#define NAME_BATCH 4096			  /* names per batch */
#define NAME_BATCH_TEXT ((size_t)1 << 20) /* bytes of names per batch (a name: < 256) */
#define NAME_BATCHES 4

struct name_batch {
	size_t n, used;
	int64_t eid[NAME_BATCH];
	uint32_t off[NAME_BATCH];
	char text[NAME_BATCH_TEXT];
};

struct namer {
	struct zl_gram_builder *b;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv; /* any change of head, count, stop */
	struct name_batch *ring[NAME_BATCHES];
	size_t head, count;	 /* the queued batches: ring[head], ... (count of them) */
	struct name_batch *fill; /* the writer's, ring[(head + count) % NAME_BATCHES] */
	int stop;
	int rc;		 /* the first error of the builder (then batches are dropped) */
	size_t postings; /* the builder's postings once the queued batches are done */
	size_t done;	 /* names added by the thread */
	size_t handed;	 /* names handed over (the writer's) */
	int started;
};

static void *namer_main(void *arg)
{
	struct namer *nm = arg;

	pthread_mutex_lock(&nm->mu);
	for (;;) {
		struct name_batch *bt;
		int rc = ZL_OK;

		while (nm->count == 0 && !nm->stop)
			pthread_cond_wait(&nm->cv, &nm->mu);
		if (nm->count == 0)
			break;
		bt = nm->ring[nm->head];
		if (nm->rc == ZL_OK) {
			pthread_mutex_unlock(&nm->mu);
			for (size_t i = 0; i < bt->n && rc == ZL_OK; i++)
				rc = zl_gram_builder_add_name(nm->b, bt->text + bt->off[i],
							      (uint64_t)bt->eid[i]);
			pthread_mutex_lock(&nm->mu);
			if (rc != ZL_OK)
				nm->rc = rc;
		}
		nm->postings = zl_gram_builder_postings(nm->b);
		nm->done += bt->n;
		nm->head = (nm->head + 1) % NAME_BATCHES;
		nm->count--;
		pthread_cond_broadcast(&nm->cv);
	}
	pthread_mutex_unlock(&nm->mu);
	return NULL;
}

/* Start the thread over builder b.  ZL_ENOMEM or ZL_EINTERNAL (no thread). */
static int namer_start(struct namer *nm, struct zl_gram_builder *b)
{
	int rc = ZL_OK;

	memset(nm, 0, sizeof(*nm));
	nm->b = b;

	for (size_t i = 0; i < NAME_BATCHES && rc == ZL_OK; i++)
		if ((nm->ring[i] = malloc(sizeof(*nm->ring[i]))) == NULL)
			rc = ZL_ENOMEM;
	if (rc == ZL_OK && thread_start(&nm->thread, &nm->mu, &nm->cv, namer_main, nm) != 0)
		rc = ZL_EINTERNAL;
	if (rc != ZL_OK) {
		for (size_t i = 0; i < NAME_BATCHES; i++)
			free(nm->ring[i]);
		memset(nm, 0, sizeof(*nm));
		return rc;
	}
	nm->started = 1;
	return ZL_OK;
}

/* Hand the batch being filled over (if it holds names). */
static void namer_submit(struct namer *nm)
{
	if (nm->fill == NULL)
		return;
	pthread_mutex_lock(&nm->mu);
	if (nm->fill->n > 0) {
		nm->count++;
		pthread_cond_broadcast(&nm->cv);
	}
	nm->fill = NULL;
	pthread_mutex_unlock(&nm->mu);
}

/* The bulk writer's on_name hook (store/enterprises.h): queue a copy of the name. */
static int namer_add(void *cls, int64_t eid, const char *name)
{
	struct namer *nm = cls;
	size_t len = strlen(name) + 1;
	struct name_batch *bt;
	int rc;

	if (len > NAME_BATCH_TEXT)
		return ZL_EINVAL;
	if (nm->fill != NULL &&
	    (nm->fill->n == NAME_BATCH || nm->fill->used + len > NAME_BATCH_TEXT))
		namer_submit(nm);
	if (nm->fill == NULL) {
		pthread_mutex_lock(&nm->mu);
		while (nm->count == NAME_BATCHES)
			pthread_cond_wait(&nm->cv, &nm->mu);
		rc = nm->rc;
		nm->fill = nm->ring[(nm->head + nm->count) % NAME_BATCHES];
		pthread_mutex_unlock(&nm->mu);
		if (rc != ZL_OK)
			return rc;
		nm->fill->n = nm->fill->used = 0;
	}
	bt = nm->fill;
	nm->handed++;
	bt->eid[bt->n] = eid;
	bt->off[bt->n++] = (uint32_t)bt->used;
	memcpy(bt->text + bt->used, name, len);
	bt->used += len;
	return ZL_OK;
}

/* Wait until every name handed to the hook is in the builder: ZL_OK or the builder's error. */
static int namer_sync(struct namer *nm, size_t *postings)
{
	int rc;

	namer_submit(nm);
	pthread_mutex_lock(&nm->mu);
	while (nm->count > 0)
		pthread_cond_wait(&nm->cv, &nm->mu);
	rc = nm->rc;
	if (postings != NULL)
		*postings = nm->postings;
	pthread_mutex_unlock(&nm->mu);
	return rc;
}

/* After a flush by the writer (the thread idle since namer_sync()): the builder is empty. */
static void namer_emptied(struct namer *nm)
{
	pthread_mutex_lock(&nm->mu);
	nm->postings = zl_gram_builder_postings(nm->b);
	pthread_mutex_unlock(&nm->mu);
}

/*
 * 1 when the builder may hold more than `limit` postings: what it holds
 * after the names done, plus what the names not done yet could add (a
 * name has at most ZL_NAME_GRAMS_MAX grams).  No waiting; an exact count
 * needs namer_sync().  So the writer flushes at the same rows whatever
 * the thread's pace.
 */
static int namer_may_exceed(struct namer *nm, size_t limit)
{
	size_t known, pending;

	pthread_mutex_lock(&nm->mu);
	known = nm->postings;
	pending = nm->handed - nm->done;
	pthread_mutex_unlock(&nm->mu);
	return known > limit || pending > (limit - known) / ZL_NAME_GRAMS_MAX;
}

/* Stop the thread (what is queued is still added) and free the batches.  Idempotent. */
static void namer_stop(struct namer *nm)
{
	if (!nm->started)
		return;
	namer_submit(nm);
	thread_stop(nm->thread, &nm->mu, &nm->cv, &nm->stop);
	for (size_t i = 0; i < NAME_BATCHES; i++)
		free(nm->ring[i]);
	memset(nm, 0, sizeof(*nm));
}

/* ---- the run ------------------------------------------------------------------ */

/*
 * Rows are written in batches (store/enterprise_chunk.h): rows in key
 * order wait here, their former names copied (the packed row they came
 * from may be reused first; NULL: none).  The rows above the register's
 * highest key are new: appended without a read (all of them into an empty
 * register); those at or below it go through the writers that look each
 * key up (PostgreSQL: the set-based chunk writer; SQLite: the upsert).
 */
struct batch {
	struct zl_enterprise *recs;
	enum zl_upsert_outcome *outcomes;
	char **former;
	uint64_t *rows;
	uint32_t *added;
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
	free(b->added);
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
	struct chunk spare; /* the chunk being set aside by the spiller */
	struct runs runs;
	struct zl_ent_bulk bulk;
	struct zl_import_progress prog;
	const char *actor;
	size_t max_rej, flush_postings;
	int writing;
	struct batch batch; /* rows waiting to be written */
	int set_based; /* 1: rows in the register's key range by the chunk writer (PostgreSQL) */
	struct namer namer;	/* while writing: the thread that adds names to bulk.grams */
	struct checker checker; /* while reading: the thread that checks the rows */
	struct spiller spiller; /* while reading: the thread that sorts full chunks */
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
	int rc;

	/* The builder is the name thread's until it has done every name handed over. */
	if (r->namer.started && (rc = namer_sync(&r->namer, NULL)) != ZL_OK)
		return zl_error_set(err, rc, "index", "cannot index the names");
	r->prog.grams_done = r->prog.grams_total = 0;
	progress(r, ZL_IMPORT_INDEXING);
	rc = zl_store_index_flush(r->db, r->bulk.grams, on_index_progress, r, err);
	/* Emptied: the count the thread last gave would call for another flush at once. */
	if (r->namer.started)
		namer_emptied(&r->namer);
	return rc;
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

/* The rows of the batch in the register's key range [0, n): looked up, then their former names. */
static int batch_write_known(struct run *r, size_t n, struct zl_error *err)
{
	struct batch *b = &r->batch;
	int rc = ZL_OK;

	if (n == 0)
		return ZL_OK;
	if (r->set_based)
		rc = zl_store_enterprise_write_chunk(r->db, b->recs, n, r->actor, &r->bulk,
						     b->outcomes, err);
	for (size_t i = 0; i < n && rc == ZL_OK; i++) {
		uint64_t added = 0;

		if (!r->set_based)
			rc = zl_store_enterprise_upsert_bulk(r->db, &b->recs[i], r->actor, &r->bulk,
							     &b->outcomes[i], err);
		if (rc == ZL_OK && b->former[i] != NULL)
			rc = former_write(r, &b->recs[i], b->former[i], &added, err);
		if (rc != ZL_OK) {
			row_error(err, b->rows[i]);
			break;
		}
		count_row(r, b->outcomes[i], added);
	}
	return rc;
}

/* Write the waiting rows. */
static int batch_write(struct run *r, struct zl_error *err)
{
	struct batch *b = &r->batch;
	size_t split = b->n;
	int rc = ZL_OK;

	if (b->n == 0)
		return ZL_OK;
	if ((rc = zl_store_enterprise_bulk_begin(r->db, &r->bulk, err)) != ZL_OK)
		goto out;
	/* The first row above the highest key: from there on all are new (keys ascend). */
	if (r->bulk.hi_valid && r->bulk.next_seq > 0)
		for (split = 0; split < b->n && strcmp(b->recs[split].uscc, r->bulk.hi_key) <= 0;)
			split++;
	if ((rc = batch_write_known(r, split, err)) != ZL_OK)
		goto out;
	if (split < b->n) {
		rc = zl_store_enterprise_append(
			r->db, b->recs + split, (const char *const *)b->former + split,
			b->n - split, r->actor, &r->bulk, b->added + split, err);
		if (rc != ZL_OK) {
			/* The rows went together: name the first. */
			row_error(err, b->rows[split]);
			goto out;
		}
		for (size_t i = split; i < b->n; i++)
			count_row(r, ZL_UPSERT_INSERTED, b->added[i]);
	}
out:
	for (size_t i = 0; i < b->n; i++) {
		free(b->former[i]);
		b->former[i] = NULL;
	}
	b->n = 0;
	return rc;
}

/* Flush the name index when its builder holds more than flush_postings. */
static int flush_if_full(struct run *r, struct zl_error *err)
{
	size_t n;
	int rc;

	if (!r->namer.started)
		n = zl_gram_builder_postings(r->bulk.grams);
	else if (!namer_may_exceed(&r->namer, r->flush_postings))
		return ZL_OK;
	else if ((rc = namer_sync(&r->namer, &n)) != ZL_OK)
		return zl_error_set(err, rc, "index", "cannot index the names");
	return n > r->flush_postings ? index_flush(r, err) : ZL_OK;
}

/* Queue one packed row; a full batch is written. */
static int batch_add(struct run *r, const char *packed, struct zl_error *err)
{
	struct batch *b = &r->batch;
	const char *former;

	if (b->recs == NULL) {
		b->recs = malloc(ZL_ENT_CHUNK_BATCH * sizeof(*b->recs));
		b->outcomes = malloc(ZL_ENT_CHUNK_BATCH * sizeof(*b->outcomes));
		b->former = calloc(ZL_ENT_CHUNK_BATCH, sizeof(*b->former));
		b->rows = malloc(ZL_ENT_CHUNK_BATCH * sizeof(*b->rows));
		b->added = malloc(ZL_ENT_CHUNK_BATCH * sizeof(*b->added));
		if (!b->recs || !b->outcomes || !b->former || !b->rows || !b->added) {
			batch_release(b);
			return zl_error_set(err, ZL_ENOMEM, "", "out of memory");
		}
	}
	former = unpack(packed, &b->recs[b->n], &b->rows[b->n]);
	if (*former && (b->former[b->n] = strdup(former)) == NULL)
		return zl_error_set(err, ZL_ENOMEM, "", "out of memory");
	b->n++;
	return b->n == ZL_ENT_CHUNK_BATCH ? batch_write(r, err) : ZL_OK;
}

/* Write one packed row (rows come in key order). */
static int write_packed(struct run *r, const char *packed, struct zl_error *err)
{
	int rc;

	if ((rc = batch_add(r, packed, err)) != ZL_OK)
		return rc;
	r->prog.written++;
	if ((r->prog.written & 4095) == 0) {
		progress(r, ZL_IMPORT_WRITING);
		if ((rc = flush_if_full(r, err)) != ZL_OK)
			return rc;
	}
	return ZL_OK;
}

/* Stop writing (a row was rejected without --partial): drop what waits. */
static void drop_pending(struct run *r)
{
	(void)spiller_wait(&r->spiller, NULL);
	chunk_clear(&r->chunk);
	chunk_clear(&r->spare);
	runs_release(&r->runs);
}

/*
 * The chunk is full: sort it and set it aside as a run on disk, by the
 * spiller (the main thread goes on with the spare chunk) or here.
 */
static int chunk_spill(struct run *r, struct zl_error *err)
{
	struct chunk *c = &r->chunk, t;
	int rc;

	if (!r->writing || c->n == 0) {
		chunk_clear(c);
		return ZL_OK;
	}
	progress(r, ZL_IMPORT_SORTING);
	if (r->spiller.started) {
		if ((rc = spiller_wait(&r->spiller, err)) != ZL_OK)
			return rc;
		t = r->spare;
		r->spare = *c;
		*c = t;
		spiller_give(&r->spiller, &r->spare);
		return ZL_OK;
	}
	chunk_sort(c);
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
	/* Every chunk handed over is set aside; the runs are ours again. */
	if ((rc = spiller_wait(&r->spiller, err)) != ZL_OK)
		return rc;
	spiller_stop(&r->spiller);
	if (c->n == 0 && r->runs.n == 0)
		return ZL_OK;
	/* The names go to a thread of their own; without one (no memory, no thread) the
	 * writer adds them itself. */
	if (namer_start(&r->namer, r->bulk.grams) == ZL_OK) {
		r->bulk.on_name = namer_add;
		r->bulk.on_name_cls = &r->namer;
	}
	if (r->runs.n == 0) {
		progress(r, ZL_IMPORT_SORTING);
		chunk_sort(c);
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

/* Read rows into b until it is full or the file ends (*eof).  ZL_OK or the reader's error. */
static int fill_batch(struct run *r, struct rbatch *b, int *eof, struct zl_error *err)
{
	const char *const *cells;
	size_t n, ncells = 0;
	int rc;

	b->n = 0;
	zl_buf_reset(&b->text);
	while (b->n < CHECK_ROWS && b->text.len < CHECK_TEXT) {
		rc = zl_table_next(r->t, &cells, &n, err);
		if (rc < 0)
			return rc;
		if (rc == 0) {
			*eof = 1;
			break;
		}
		if (zl_import_skip_row(cells, n))
			continue;
		if (ncells + n > b->cellcap) {
			size_t cap = b->cellcap ? b->cellcap * 2 : 16 * 1024;
			size_t *off;

			while (cap < ncells + n)
				cap *= 2;
			if ((off = realloc(b->celloff, cap * sizeof(*off))) == NULL)
				return zl_error_set(err, ZL_ENOMEM, "", "out of memory");
			b->celloff = off;
			b->cellcap = cap;
			free(b->cellv);
			if ((b->cellv = malloc(cap * sizeof(*b->cellv))) == NULL) {
				b->cellcap = 0;
				return zl_error_set(err, ZL_ENOMEM, "", "out of memory");
			}
		}
		b->row[b->n] = zl_table_row(r->t);
		b->cell0[b->n] = ncells;
		for (size_t i = 0; i < n; i++) {
			b->celloff[ncells++] = b->text.len;
			zl_buf_add(&b->text, cells[i], strlen(cells[i]) + 1);
		}
		if (b->text.err)
			return zl_error_set(err, ZL_ENOMEM, "", "out of memory");
		b->n++;
	}
	b->cell0[b->n] = ncells;
	for (size_t i = 0; i < ncells; i++)
		b->cellv[i] = b->text.data + b->celloff[i];
	return ZL_OK;
}

/*
 * Take one checked row in file order: the reject, or the duplicate-key
 * test and the chunk (sorted and set aside when full).  <0: fatal.
 */
static int take_row(struct run *r, const struct rbatch *b, size_t i, struct zl_error *err)
{
	const struct checked *c = &b->res[i];
	const char *const *cells = b->cellv + b->cell0[i];
	size_t n = b->cell0[i + 1] - b->cell0[i];
	uint64_t row = b->row[i], first;
	const char *key;
	long col;

	if (c->rc == ZL_ENOMEM)
		return ZL_ENOMEM;
	if (c->rc != ZL_OK)
		return reject(r, row, c->col, cells, n, b->msgs.data + c->off);
	key = b->packed.data + c->off + PACKED_KEY_OFF;
	first = keyset_add(&r->keys, key, row);
	if (first == (uint64_t)-1)
		return ZL_ENOMEM;
	if (first) {
		char why[192];

		col = r->m.col_of[ZL_ECOL_USCC] >= 0 ? r->m.col_of[ZL_ECOL_USCC]
						     : r->m.col_of[ZL_ECOL_ORG_CODE];
		snprintf(why, sizeof(why), "the same enterprise as row %llu (%s)",
			 (unsigned long long)first, key);
		return reject(r, row, col, cells, n, why);
	}
	if (!r->writing)
		return ZL_OK;
	if (chunk_add_packed(&r->chunk, b->packed.data + c->off, c->len) != ZL_OK)
		return ZL_ENOMEM;
	return chunk_full(&r->chunk) ? chunk_spill(r, err) : ZL_OK;
}

/* Read, check and take every row of the file. */
static int read_all(struct run *r, struct zl_error *err)
{
	struct checker *ck = &r->checker;
	struct rbatch *b;
	int eof = 0, rc;

	if (checker_start(ck, &r->m) != ZL_OK)
		return zl_error_set(err, ZL_ENOMEM, "", "out of memory");
	spiller_start(&r->spiller, &r->runs);
	for (;;) {
		/* Keep the checker fed: every free batch filled and handed over. */
		while (!eof && (b = checker_free_batch(ck)) != NULL) {
			if ((rc = fill_batch(r, b, &eof, err)) != ZL_OK)
				return rc;
			if (b->n > 0)
				checker_submit(ck);
		}
		if ((b = checker_take(ck)) == NULL)
			break;
		for (size_t i = 0; i < b->n; i++) {
			r->res->rows++;
			rc = take_row(r, b, i, err);
			if (rc == ZL_ENOMEM)
				rc = zl_error_set(err, ZL_ENOMEM, "", "out of memory");
			if (rc < 0)
				return rc;
			if (r->res->rejected && !r->opt->partial && r->writing) {
				r->writing = 0;
				drop_pending(r);
			}
			if ((r->res->rows & 255) == 0)
				progress(r, ZL_IMPORT_READING);
		}
		checker_release(ck);
	}
	checker_stop(ck);
	return ZL_OK;
}

/* ---- the SQLite page cache ------------------------------------------------------ */

/*
 * An import touches many more pages than SQLite's default cache (2 MB)
 * holds, and a spilled page costs a write and a read: raise the cache of
 * this connection for the import, and put the previous size back after
 * (the HTTP upload runs on a pooled connection).  *saved = 0: not changed.
 */
int zl_import_cache_raise(struct zl_db *db, int64_t *saved, struct zl_error *err)
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

void zl_import_cache_restore(struct zl_db *db, int64_t saved)
{
	struct zl_error ignored = ZL_ERROR_INIT;
	char sql[64];

	if (saved == 0)
		return;
	snprintf(sql, sizeof(sql), "PRAGMA cache_size = %lld", (long long)saved);
	(void)zl_db_exec(db, sql, &ignored);
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
		if (zl_import_skip_row(cells, n))
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
		if (zl_import_push_str(&r->res->unmapped, &r->res->nunmapped, label) != ZL_OK)
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
	int64_t saved_cache = 0;
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
	zl_buf_init(&r.spare.data, (size_t)UINT32_MAX);
	r.spare.max = r.chunk.max;
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
	if ((rc = zl_import_cache_raise(db, &saved_cache, err)) != ZL_OK)
		goto out;

	if ((rc = read_all(&r, err)) != ZL_OK)
		goto out;
	progress(&r, ZL_IMPORT_READING);
	if ((rc = write_all(&r, err)) != ZL_OK)
		goto out;
	/* The name thread may still be adding names: index_flush() waits for it. */
	if (r.writing && (rc = index_flush(&r, err)) != ZL_OK)
		goto out;
	namer_stop(&r.namer);
	r.bulk.on_name = NULL;
	res->written = r.writing;
	if (!r.writing)
		res->imported = res->updated = res->unchanged = res->former_names = 0;
	rc = ZL_OK;
out:
	if (rc != ZL_OK)
		res->written = 0;
	checker_stop(&r.checker);
	spiller_stop(&r.spiller); /* before the chunks and runs it may use go */
	namer_stop(&r.namer);	  /* before the builder it fills goes */
	zl_import_cache_restore(db, saved_cache);
	zl_import_map_release(&r.m);
	keyset_release(&r.keys);
	chunk_release(&r.chunk);
	chunk_release(&r.spare);
	runs_release(&r.runs);
	zl_gram_builder_free(r.bulk.grams);
	batch_release(&r.batch);
	zl_table_close(r.t);
	return rc;
}
