/*
 * csvr.c - the CSV reader of csvr.h: a byte state machine over a window of
 * input (the whole buffer, or the current 64 KiB chunk of a stream), with a
 * fast path that copies runs of plain bytes at once.
 */
#include <stdlib.h>
#include <string.h>

#include "core/csvr.h"

#define CHUNK (64u * 1024u)
#define SNIFF_RECORDS 10

enum { ST_START, ST_PLAIN, ST_QUOTED, ST_AFTER_QUOTE };

static const char *window(const struct zl_csvr *r, size_t *n)
{
	if (r->fp) {
		*n = r->len;
		return r->chunk;
	}
	*n = r->len;
	return r->buf;
}

/* Stream mode: load the next chunk.  Returns 1 when bytes are available, 0 at EOF, <0 on error. */
static int refill(struct zl_csvr *r, struct zl_error *err)
{
	size_t got;

	if (!r->fp || r->eof)
		return 0;
	got = fread(r->chunk, 1, CHUNK, r->fp);
	if (got < CHUNK) {
		if (ferror(r->fp))
			return zl_error_set(err, ZL_EIO, "", "read error in CSV input");
		r->eof = 1;
	}
	r->len = got;
	r->pos = 0;
	return got > 0;
}

/* Next byte or -1 at the end; <-1 never (errors are reported through *rc). */
static int get(struct zl_csvr *r, int *rc, struct zl_error *err)
{
	if (r->pos >= r->len) {
		int k = refill(r, err);
		if (k < 0)
			*rc = k;
		if (k <= 0)
			return -1;
	}
	r->consumed++;
	return (unsigned char)(r->fp ? r->chunk : r->buf)[r->pos++];
}

static int peek(struct zl_csvr *r, int *rc, struct zl_error *err)
{
	if (r->pos >= r->len) {
		int k = refill(r, err);
		if (k < 0)
			*rc = k;
		if (k <= 0)
			return -1;
	}
	return (unsigned char)(r->fp ? r->chunk : r->buf)[r->pos];
}

static char sniff(const char *s, size_t n)
{
	size_t counts[3] = {0, 0, 0}, records = 0;
	int quoted = 0;

	if (n > CHUNK)
		n = CHUNK;
	for (size_t i = 0; i < n && records < SNIFF_RECORDS; i++) {
		char c = s[i];
		if (c == '"')
			quoted = !quoted;
		else if (quoted)
			continue;
		else if (c == ',')
			counts[0]++;
		else if (c == '\t')
			counts[1]++;
		else if (c == ';')
			counts[2]++;
		else if (c == '\n' || c == '\r')
			records++;
	}
	if (counts[1] > counts[0] && counts[1] >= counts[2])
		return '\t';
	if (counts[2] > counts[0] && counts[2] > counts[1])
		return ';';
	return ',';
}

static int common_init(struct zl_csvr *r, char delim, struct zl_error *err)
{
	zl_buf_init(&r->text, (size_t)-1 / 2);
	r->max_cell = ZL_CSVR_MAX_CELL_DEFAULT;
	r->max_cells = ZL_CSVR_MAX_CELLS_DEFAULT;
	if (delim != ZL_CSVR_DELIM_AUTO && delim != ',' && delim != '\t' && delim != ';')
		return zl_error_set(err, ZL_EINVAL, "delimiter",
				    "CSV delimiter must be comma, TAB or semicolon");
	r->delim = delim;
	return ZL_OK;
}

static void skip_bom(struct zl_csvr *r)
{
	size_t n;
	const char *s = window(r, &n);

	if (n >= 3 && (unsigned char)s[0] == 0xEF && (unsigned char)s[1] == 0xBB &&
	    (unsigned char)s[2] == 0xBF) {
		r->pos = 3;
		r->consumed = 3;
	}
}

int zl_csvr_init_buf(struct zl_csvr *r, const char *s, size_t n, char delim, struct zl_error *err)
{
	int rc;

	memset(r, 0, sizeof(*r));
	rc = common_init(r, delim, err);
	r->buf = s ? s : "";
	r->len = s ? n : 0;
	skip_bom(r);
	if (r->delim == ZL_CSVR_DELIM_AUTO)
		r->delim = sniff(r->buf + r->pos, r->len - r->pos);
	return rc;
}

int zl_csvr_init_file(struct zl_csvr *r, FILE *fp, char delim, struct zl_error *err)
{
	int rc;

	memset(r, 0, sizeof(*r));
	rc = common_init(r, delim, err);
	if (rc != ZL_OK)
		return rc;
	r->fp = fp;
	r->chunk = malloc(CHUNK);
	if (!r->chunk)
		return zl_error_set(err, ZL_ENOMEM, "", "out of memory");
	rc = refill(r, err);
	if (rc < 0)
		return rc;
	skip_bom(r);
	if (r->delim == ZL_CSVR_DELIM_AUTO)
		r->delim = sniff(r->chunk + r->pos, r->len - r->pos);
	return ZL_OK;
}

static int end_cell(struct zl_csvr *r, size_t start, struct zl_error *err)
{
	if (r->ncells >= r->max_cells)
		return zl_error_set(err, ZL_ETOOBIG, "", "row %llu has more than %zu cells",
				    (unsigned long long)r->record, r->max_cells);
	if (r->ncells == r->cap) {
		size_t ncap = r->cap ? r->cap * 2 : 32;
		size_t *o = realloc(r->offs, ncap * sizeof(*o));
		if (!o)
			return zl_error_set(err, ZL_ENOMEM, "", "out of memory");
		r->offs = o;
		r->cap = ncap;
	}
	r->offs[r->ncells++] = start;
	if (zl_buf_addch(&r->text, '\0') != ZL_OK)
		return zl_error_set(err, ZL_ENOMEM, "", "out of memory");
	return ZL_OK;
}

/* Copy a run of plain bytes (no delimiter, quote or line break) at once. */
static void plain_run(struct zl_csvr *r)
{
	const char *s = r->fp ? r->chunk : r->buf;
	size_t i = r->pos;
	char d = r->delim;

	while (i < r->len) {
		char c = s[i];
		if (c == d || c == '"' || c == '\n' || c == '\r')
			break;
		i++;
	}
	if (i > r->pos) {
		zl_buf_add(&r->text, s + r->pos, i - r->pos);
		r->consumed += i - r->pos;
		r->pos = i;
	}
}

static int finish(struct zl_csvr *r, const char *const **cells, size_t *ncells,
		  struct zl_error *err)
{
	char **p;

	if (r->text.err)
		return zl_error_set(err, ZL_ENOMEM, "", "out of memory");
	p = realloc((void *)r->cells, (r->cap ? r->cap : 1) * sizeof(*p));
	if (!p)
		return zl_error_set(err, ZL_ENOMEM, "", "out of memory");
	for (size_t i = 0; i < r->ncells; i++)
		p[i] = r->text.data + r->offs[i];
	r->cells = (const char **)p;
	*cells = r->cells;
	*ncells = r->ncells;
	return 1;
}

int zl_csvr_next(struct zl_csvr *r, const char *const **cells, size_t *ncells, struct zl_error *err)
{
	int state = ST_START, started = 0, rc = ZL_OK;
	size_t cell_start = 0;
	char fieldbuf[32];

	*cells = NULL;
	*ncells = 0;
	if (r->done)
		return 0;
	zl_buf_reset(&r->text);
	r->ncells = 0;
	r->record++;
	for (;;) {
		int c;

		if (state == ST_PLAIN || state == ST_START) {
			plain_run(r);
			if (r->text.len > cell_start)
				started = 1, state = ST_PLAIN;
		}
		if (r->text.len - cell_start > r->max_cell) {
			snprintf(fieldbuf, sizeof(fieldbuf), "row %llu",
				 (unsigned long long)r->record);
			return zl_error_set(err, ZL_ETOOBIG, fieldbuf,
					    "a cell in row %llu is longer than %zu bytes",
					    (unsigned long long)r->record, r->max_cell);
		}
		c = get(r, &rc, err);
		if (rc < 0)
			return rc;
		if (c < 0) {
			r->done = 1;
			if (state == ST_QUOTED) {
				snprintf(fieldbuf, sizeof(fieldbuf), "row %llu",
					 (unsigned long long)r->record);
				return zl_error_set(err, ZL_EINVAL, fieldbuf,
						    "row %llu: quoted cell not closed before the "
						    "end of the file",
						    (unsigned long long)r->record);
			}
			if (!started) {
				r->record--;
				return 0;
			}
			if ((rc = end_cell(r, cell_start, err)) < 0)
				return rc;
			return finish(r, cells, ncells, err);
		}
		started = 1;
		if (state == ST_QUOTED) {
			if (c == '"')
				state = ST_AFTER_QUOTE;
			else
				zl_buf_addch(&r->text, (char)c);
			continue;
		}
		if (state == ST_AFTER_QUOTE && c == '"') {
			zl_buf_addch(&r->text, '"');
			state = ST_QUOTED;
			continue;
		}
		if (c == r->delim) {
			if ((rc = end_cell(r, cell_start, err)) < 0)
				return rc;
			cell_start = r->text.len;
			state = ST_START;
		} else if (c == '\n' || c == '\r') {
			if (c == '\r' && peek(r, &rc, err) == '\n')
				get(r, &rc, err);
			if (rc < 0)
				return rc;
			if ((rc = end_cell(r, cell_start, err)) < 0)
				return rc;
			return finish(r, cells, ncells, err);
		} else if (c == '"' && state == ST_START) {
			state = ST_QUOTED;
		} else {
			/* Text after a closing quote, or a quote inside a plain cell: literal. */
			zl_buf_addch(&r->text, (char)c);
			state = ST_PLAIN;
		}
	}
}

uint64_t zl_csvr_record(const struct zl_csvr *r)
{
	return r->record;
}

uint64_t zl_csvr_consumed(const struct zl_csvr *r)
{
	return r->consumed;
}

char zl_csvr_delim(const struct zl_csvr *r)
{
	return r->delim;
}

void zl_csvr_release(struct zl_csvr *r)
{
	zl_buf_release(&r->text);
	free(r->offs);
	free((void *)r->cells);
	free(r->chunk);
	r->offs = NULL;
	r->cells = NULL;
	r->chunk = NULL;
	r->cap = r->ncells = 0;
}
