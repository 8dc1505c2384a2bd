/*
 * draw_csv.c - a draw's inputs from CSV bytes (draw_csv.h): decode to
 * UTF-8, split with core/csvr, keep the cells in one block, then read the
 * candidates and quotas out of them with errors that name row and column.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/csvr.h"
#include "core/text.h"
#include "domain/draw_csv.h"

/* No cap but memory: the caller chose to load the file. */
#define TEXT_MAX ((size_t)-1 / 4)

/* Put the formatted text in front of err->message (truncating the whole to fit). */
static void prefix(struct zl_error *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void prefix(struct zl_error *err, const char *fmt, ...)
{
	struct zl_buf b = ZL_BUF_INIT(4 * ZL_ERR_MSG_MAX);
	va_list ap;

	va_start(ap, fmt);
	zl_buf_addvf(&b, fmt, ap);
	va_end(ap);
	zl_buf_adds(&b, err->message);
	zl_strlcpy(err->message, zl_buf_str(&b), sizeof(err->message));
	zl_buf_release(&b);
}

/* How many bytes of s to show, at most max, not cutting a UTF-8 sequence. */
static int clip(const char *s, int max)
{
	int n = 0;

	while (n < max && s[n])
		n++;
	if (n == max)
		while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
	return n;
}

/* "FILE row N, column C: " in front of err->message; err->field set to `field`. */
static int located(struct zl_error *err, const struct zl_draw_table *t, uint64_t row,
		   const char *column, const char *field)
{
	if (err == NULL)
		return ZL_EUNPROC;
	if (column)
		prefix(err, "%.*s row %llu, column %.*s: ", clip(t->name, 64), t->name,
		       (unsigned long long)row, clip(column, 64), column);
	else
		prefix(err, "%.*s row %llu: ", clip(t->name, 64), t->name, (unsigned long long)row);
	zl_strlcpy(err->field, field, sizeof(err->field));
	if (err->code == ZL_OK)
		err->code = ZL_EUNPROC;
	return err->code;
}

/* Decode bytes[0 .. n) to UTF-8: *text points at bytes or into conv. */
static int decode(struct zl_draw_table *t, const char *bytes, size_t n, enum zl_table_encoding want,
		  struct zl_buf *conv, const char **text, size_t *len, struct zl_error *err)
{
	enum zl_encoding enc;
	int rc;

	if (want == ZL_TABLE_ENC_GBK)
		enc = ZL_ENC_GB18030;
	else if (want == ZL_TABLE_ENC_UTF8)
		enc = n >= 3 && !memcmp(bytes, "\xEF\xBB\xBF", 3) ? ZL_ENC_UTF8_BOM : ZL_ENC_UTF8;
	else
		enc = zl_text_detect(bytes, n);
	t->encoding = zl_encoding_name(enc);
	if (enc == ZL_ENC_UTF8 || enc == ZL_ENC_UTF8_BOM) {
		/* detection proved text without BOM valid; after a BOM, or forced, it is checked */
		size_t bad = want == ZL_TABLE_ENC_AUTO && enc == ZL_ENC_UTF8
				     ? n
				     : zl_utf8_invalid_at(bytes, n);
		size_t line = 1;

		if (bad < n) {
			for (size_t i = 0; i < bad; i++)
				line += bytes[i] == '\n';
			return zl_error_set(
				err, ZL_EINVAL, "encoding",
				"%.64s is not valid UTF-8: bad byte at offset %zu (line "
				"%zu); try --encoding gbk",
				t->name, bad, line);
		}
		*text = bytes; /* csvr skips the BOM */
		*len = n;
		return ZL_OK;
	}
	rc = zl_text_to_utf8(bytes, n, enc, conv, err);
	if (rc) {
		if (err) {
			prefix(err, "%.*s: ", clip(t->name, 64), t->name);
			zl_strlcpy(err->field, "encoding", sizeof(err->field));
		}
		return rc;
	}
	*text = conv->data ? conv->data : "";
	*len = conv->len;
	return ZL_OK;
}

/* 1 when every cell is empty (a blank line, or a row of empty cells). */
static int blank(const char *const *cells, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (cells[i][0])
			return 0;
	return 1;
}

struct grow {
	size_t *offs; /* cell offsets in the text */
	size_t noffs, cap;
	uint64_t *rowno;
	size_t nrows, rowcap;
};

static int grow_cells(struct grow *g, size_t more)
{
	if (g->noffs + more > g->cap) {
		size_t cap = g->cap ? g->cap : 1024;
		size_t *p;

		while (cap < g->noffs + more)
			cap *= 2;
		p = realloc(g->offs, cap * sizeof(*p));
		if (p == NULL)
			return ZL_ENOMEM;
		g->offs = p;
		g->cap = cap;
	}
	if (g->nrows == g->rowcap) {
		size_t cap = g->rowcap ? 2 * g->rowcap : 256;
		uint64_t *p = realloc(g->rowno, cap * sizeof(*p));

		if (p == NULL)
			return ZL_ENOMEM;
		g->rowno = p;
		g->rowcap = cap;
	}
	return ZL_OK;
}

/* Split the UTF-8 text into rows of ncols cells in out (text) and g (offsets). */
static int split(struct zl_draw_table *t, const char *text, size_t len, struct zl_buf *out,
		 struct grow *g, struct zl_error *err)
{
	struct zl_csvr r;
	const char *const *cells;
	size_t ncells;
	int rc;

	rc = zl_csvr_init_buf(&r, text, len, ZL_CSVR_DELIM_AUTO, err);
	while (rc == ZL_OK) {
		uint64_t row;

		rc = zl_csvr_next(&r, &cells, &ncells, err);
		if (rc <= 0) {
			/* csvr names the row in err->field, and may start its message with it */
			if (rc < 0 && err &&
			    strncmp(err->message, err->field, strlen(err->field)) == 0)
				prefix(err, "%.*s ", clip(t->name, 64), t->name);
			else if (rc < 0 && err)
				prefix(err, "%.*s %s: ", clip(t->name, 64), t->name, err->field);
			break;
		}
		rc = ZL_OK;
		row = zl_csvr_record(&r);
		if (blank(cells, ncells))
			continue;
		if (t->ncols == 0)
			t->ncols = ncells; /* the header */
		if (ncells > t->ncols && !blank(cells + t->ncols, ncells - t->ncols)) {
			zl_error_set(err, ZL_EINVAL, "", "%zu cells, but the header has %zu",
				     ncells, t->ncols);
			rc = located(err, t, row, NULL, "row");
			break;
		}
		if (grow_cells(g, t->ncols) != ZL_OK) {
			rc = zl_error_set(err, ZL_ENOMEM, "", "out of memory");
			break;
		}
		for (size_t i = 0; i < t->ncols; i++) {
			g->offs[g->noffs++] = out->len;
			zl_buf_add(out, i < ncells ? cells[i] : "",
				   i < ncells ? strlen(cells[i]) + 1 : 1);
		}
		g->rowno[g->nrows++] = row;
		if (out->err) {
			rc = zl_error_set(err, out->err, "", "%.64s: too large to hold", t->name);
			break;
		}
	}
	zl_csvr_release(&r);
	return rc;
}

int zl_draw_table_read(struct zl_draw_table *t, const char *name, const char *bytes, size_t n,
		       enum zl_table_encoding enc, struct zl_error *err)
{
	struct zl_buf conv, out;
	struct grow g = {0};
	const char *text = "";
	size_t len = 0;
	int rc;

	memset(t, 0, sizeof(*t));
	t->name = name;
	zl_buf_init(&conv, TEXT_MAX);
	zl_buf_init(&out, TEXT_MAX);
	rc = decode(t, bytes, n, enc, &conv, &text, &len, err);
	if (rc == ZL_OK)
		rc = split(t, text, len, &out, &g, err);
	if (rc == ZL_OK && g.nrows == 0)
		rc = zl_error_set(err, ZL_EINVAL, "", "%.64s is empty: no header row", name);
	if (rc == ZL_OK) {
		t->cells = malloc(g.noffs * sizeof(*t->cells));
		if (t->cells == NULL) {
			rc = zl_error_set(err, ZL_ENOMEM, "", "out of memory");
		} else {
			t->text = zl_buf_detach(&out, NULL);
			for (size_t i = 0; i < g.noffs; i++)
				t->cells[i] = t->text + g.offs[i];
			t->rowno = g.rowno;
			g.rowno = NULL;
			t->nrows = g.nrows - 1;
		}
	}
	zl_buf_release(&conv);
	zl_buf_release(&out);
	free(g.offs);
	free(g.rowno);
	return rc;
}

void zl_draw_table_release(struct zl_draw_table *t)
{
	free(t->text);
	free((void *)t->cells);
	free(t->rowno);
	memset(t, 0, sizeof(*t));
}

const char *const *zl_draw_table_row(const struct zl_draw_table *t, size_t r)
{
	return t->cells + (r + 1) * t->ncols;
}

uint64_t zl_draw_table_rowno(const struct zl_draw_table *t, const char *const *cells)
{
	return t->rowno[(size_t)(cells - t->cells) / t->ncols];
}

/* ---- candidates and quotas ----------------------------------------------- */

/* Remove spaces and tabs around the cell, in the table's own text. */
static const char *trim(const char *cell)
{
	char *s = (char *)cell, *e; /* the table owns the text: cells are ours to trim */

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
		*--e = '\0';
	return s;
}

/* The index of the header cell `name` (spaces around header cells ignored). */
static int column(const struct zl_draw_table *t, const char *name, const char *option, size_t *col,
		  struct zl_error *err)
{
	struct zl_buf list = ZL_BUF_INIT(256);
	size_t found = SIZE_MAX;
	int rc;

	for (size_t i = 0; i < t->ncols; i++) {
		const char *h = trim(t->cells[i]);

		if (strcmp(h, name) != 0)
			continue;
		if (found != SIZE_MAX)
			return zl_error_set(err, ZL_EUNPROC, option,
					    "%.*s: column '%.*s' appears twice in the header",
					    clip(t->name, 64), t->name, clip(name, 48), name);
		found = i;
	}
	if (found != SIZE_MAX) {
		*col = found;
		return ZL_OK;
	}
	for (size_t i = 0; i < t->ncols && list.len < 120; i++)
		zl_buf_addf(&list, "%s%.*s", i ? ", " : "", clip(t->cells[i], 48), t->cells[i]);
	rc = zl_error_set(err, ZL_EUNPROC, option, "%.*s has no column '%.*s' (the header has: %s)",
			  clip(t->name, 64), t->name, clip(name, 48), name, zl_buf_str(&list));
	zl_buf_release(&list);
	return rc;
}

static int read_candidates(struct zl_draw_csv *c, struct zl_draw_table *t,
			   const struct zl_draw_csv_input *in, struct zl_error *err)
{
	int rc;

	c->id_col = 0;
	c->weight_col = c->stratum_col = SIZE_MAX;
	if (in->id_column && (rc = column(t, in->id_column, "id", &c->id_col, err)) != ZL_OK)
		return rc;
	if (in->weight_column &&
	    (rc = column(t, in->weight_column, "weight", &c->weight_col, err)) != ZL_OK)
		return rc;
	if (in->stratum_column &&
	    (rc = column(t, in->stratum_column, "stratum", &c->stratum_col, err)) != ZL_OK)
		return rc;
	c->cand = calloc(t->nrows ? t->nrows : 1, sizeof(*c->cand));
	if (c->cand == NULL)
		return zl_error_set(err, ZL_ENOMEM, "", "out of memory");
	for (size_t r = 0; r < t->nrows; r++) {
		const char *const *row = zl_draw_table_row(t, r);
		struct zl_draw_candidate *cd = &c->cand[r];
		const char *why;

		cd->attrs = row;
		cd->id = trim(row[c->id_col]);
		if (!zl_draw_name_ok(cd->id, &why)) {
			zl_error_set(err, ZL_EUNPROC, "", "the id %s", why);
			return located(err, t, t->rowno[r + 1], t->cells[c->id_col], "candidates");
		}
		cd->weight = ZL_DRAW_WEIGHT_ONE;
		if (c->weight_col != SIZE_MAX &&
		    zl_draw_weight_parse(row[c->weight_col], &cd->weight, err) != ZL_OK)
			return located(err, t, t->rowno[r + 1], t->cells[c->weight_col],
				       "candidates");
		cd->stratum = c->stratum_col != SIZE_MAX ? trim(row[c->stratum_col]) : "";
		if (c->stratum_col != SIZE_MAX && !zl_draw_name_ok(cd->stratum, &why)) {
			zl_error_set(err, ZL_EUNPROC, "", "the stratum %s", why);
			return located(err, t, t->rowno[r + 1], t->cells[c->stratum_col],
				       "candidates");
		}
	}
	c->ncand = t->nrows;
	return ZL_OK;
}

/* A whole number 0 .. ZL_DRAW_MAX_QUOTA, spaces around it allowed. */
static int whole(const char *s, uint64_t *out)
{
	uint64_t v = 0;
	size_t i = 0;

	while (s[i] == ' ' || s[i] == '\t')
		i++;
	if (s[i] < '0' || s[i] > '9')
		return -1;
	for (; s[i] >= '0' && s[i] <= '9'; i++) {
		v = v * 10 + (uint64_t)(s[i] - '0');
		if (v > ZL_DRAW_MAX_QUOTA)
			return -1;
	}
	while (s[i] == ' ' || s[i] == '\t')
		i++;
	if (s[i])
		return -1;
	*out = v;
	return 0;
}

static int read_quotas(struct zl_draw_csv *c, struct zl_draw_table *q, struct zl_error *err)
{
	uint64_t v;

	if (q->ncols < 2)
		return zl_error_set(err, ZL_EUNPROC, "quota",
				    "%.64s needs two columns: the stratum, then its quota",
				    q->name);
	if (whole(q->cells[1], &v) == 0)
		return zl_error_set(err, ZL_EUNPROC, "quota",
				    "%.64s row %llu is not a header (its second cell is a number): "
				    "the first row names the columns, e.g. 'stratum,quota'",
				    q->name, (unsigned long long)q->rowno[0]);
	if (q->nrows == 0)
		return zl_error_set(err, ZL_EUNPROC, "quota", "%.64s has no quota rows", q->name);
	c->quotas = calloc(q->nrows, sizeof(*c->quotas));
	if (c->quotas == NULL)
		return zl_error_set(err, ZL_ENOMEM, "", "out of memory");
	for (size_t r = 0; r < q->nrows; r++) {
		const char *const *row = zl_draw_table_row(q, r);
		const char *why;

		c->quotas[r].stratum = trim(row[0]);
		if (!zl_draw_name_ok(c->quotas[r].stratum, &why)) {
			zl_error_set(err, ZL_EUNPROC, "", "the stratum %s", why);
			return located(err, q, q->rowno[r + 1], q->cells[0], "quota");
		}
		if (whole(row[1], &c->quotas[r].quota) != 0) {
			zl_error_set(err, ZL_EUNPROC, "",
				     "quota '%.*s' is not a whole number 0 to %u", clip(row[1], 40),
				     row[1], ZL_DRAW_MAX_QUOTA);
			return located(err, q, q->rowno[r + 1], q->cells[1], "quota");
		}
	}
	c->nquotas = q->nrows;
	return ZL_OK;
}

/* Name the rows behind a refusal of zl_draw_prepare(). */
static int explain_fault(const struct zl_draw_csv *c, const struct zl_draw_table *t,
			 const struct zl_draw_table *q, struct zl_error *err)
{
	const struct zl_draw_fault *f = &c->draw.fault;

	if (f->cand != SIZE_MAX && f->cand < c->ncand) {
		const char *col = t->cells[c->id_col];
		uint64_t row = t->rowno[f->cand + 1];

		if (f->cand2 != SIZE_MAX && f->cand2 < c->ncand) {
			char first[48];

			row = t->rowno[f->cand2 + 1];
			snprintf(first, sizeof(first), " (first at row %llu)",
				 (unsigned long long)t->rowno[f->cand + 1]);
			if (strlen(err->message) + strlen(first) < sizeof(err->message))
				memcpy(err->message + strlen(err->message), first,
				       strlen(first) + 1);
		} else if (f->member && !strcmp(f->member, "stratum") &&
			   c->stratum_col != SIZE_MAX) {
			col = t->cells[c->stratum_col];
		} else if (f->member && !strcmp(f->member, "weight") && c->weight_col != SIZE_MAX) {
			col = t->cells[c->weight_col];
		}
		return located(err, t, row, col, "candidates");
	}
	if (f->quota != SIZE_MAX && q && f->quota < c->nquotas)
		return located(err, q, q->rowno[f->quota + 1], NULL, "quota");
	return err ? err->code : ZL_EUNPROC;
}

int zl_draw_csv_load(struct zl_draw_csv *c, struct zl_draw_table *cands,
		     struct zl_draw_table *quotas, const struct zl_draw_csv_input *in,
		     struct zl_error *err)
{
	struct zl_draw_spec spec = {0};
	int rc;

	memset(c, 0, sizeof(*c));
	c->draw.fault.cand = c->draw.fault.cand2 = c->draw.fault.quota = SIZE_MAX;
	c->draw.fault.member = NULL;
	if (quotas && !in->stratum_column)
		return zl_error_set(err, ZL_EUNPROC, "stratum",
				    "quotas need the column that names each candidate's stratum");
	if (!quotas && in->stratum_column)
		return zl_error_set(err, ZL_EUNPROC, "quota",
				    "a stratum column needs the quota of each stratum");
	rc = read_candidates(c, cands, in, err);
	if (rc == ZL_OK && quotas)
		rc = read_quotas(c, quotas, err);
	if (rc)
		return rc;
	spec.label = in->label;
	spec.cand = c->cand;
	spec.ncand = c->ncand;
	spec.count = in->count;
	spec.quotas = c->quotas;
	spec.nquotas = c->nquotas;
	if (quotas && in->count) {
		uint64_t sum = 0;

		for (size_t i = 0; i < c->nquotas; i++)
			sum += c->quotas[i].quota;
		if (sum != in->count)
			return zl_error_set(err, ZL_EUNPROC, "count",
					    "the count %llu is not the sum of the quotas (%llu)",
					    (unsigned long long)in->count, (unsigned long long)sum);
	}
	rc = zl_draw_prepare(&c->draw, &spec, err);
	if (rc == ZL_EUNPROC)
		return explain_fault(c, cands, quotas, err);
	return rc;
}

void zl_draw_csv_release(struct zl_draw_csv *c)
{
	zl_draw_release(&c->draw);
	free(c->cand);
	free(c->quotas);
	memset(c, 0, sizeof(*c));
}
