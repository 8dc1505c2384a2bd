/*
 * xlsxw.c - one-sheet xlsx exports through libxlsxwriter, written to an
 * unlinked temp file (see xlsxw.h).
 */
#include "core/xlsxw.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "core/buf.h"
#include "core/text.h"

#define CELL_MAX_BYTES 32767 /* Excel's per-cell limit is 32767 characters */
#define WIDTH_MARGIN 2
#define WIDTH_MAX 60

struct zl_xlsxw {
	lxw_workbook *wb;
	lxw_worksheet *ws;
	lxw_format *bold;
	int fd;		   /* the temp file, open since mkstemp */
	char path[4096];   /* its name, until unlinked */
	char tmpdir[4096]; /* libxlsxwriter keeps a pointer to it until close */
	size_t ncols, cap; /* columns of the current sheet; room in width[] */
	uint32_t row; /* the row being written; 0 is the header */
	size_t *width;
};

size_t zl_text_width(const char *s, size_t n)
{
	size_t w = 0, i = 0;

	while (i < n) {
		uint32_t cp;
		size_t len = zl_utf8_decode(s + i, n - i, &cp);

		if (!len) {
			i++;
			w++;
			continue;
		}
		i += len;
		/* East Asian Wide and Fullwidth blocks (Unicode UAX #11), coarsely */
		if ((cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0x303E) ||
		    (cp >= 0x3041 && cp <= 0x33FF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
		    (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0xA000 && cp <= 0xA4CF) ||
		    (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
		    (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
		    (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x1F300 && cp <= 0x1F64F) ||
		    (cp >= 0x1F900 && cp <= 0x1F9FF) || (cp >= 0x20000 && cp <= 0x3FFFD))
			w += 2;
		else
			w += 1;
	}
	return w;
}

static int lxw_fail(struct zl_error *err, lxw_error e, const char *what)
{
	return zl_error_set(err, ZL_EIO, NULL, "xlsx export: %s: %s", what, lxw_strerror(e));
}

static void note_width(struct zl_xlsxw *x, size_t col, size_t w)
{
	if (w > x->width[col])
		x->width[col] = w;
}

void zl_xlsxw_free(struct zl_xlsxw *x)
{
	if (!x)
		return;
	if (x->wb) {
		/*
		 * lxw_workbook_free() (1.1.4) does not close a worksheet's
		 * constant_memory row file (only workbook_close() does): close it
		 * here, or each abandoned export would leak a descriptor.
		 */
		lxw_worksheet *ws;

		LXW_FOREACH_WORKSHEET(ws, x->wb)
		{
			if (ws->optimize_tmpfile) {
				fclose(ws->optimize_tmpfile);
				ws->optimize_tmpfile = NULL;
			}
		}
		lxw_workbook_free(x->wb);
	}
	if (x->fd >= 0)
		close(x->fd);
	if (x->path[0])
		unlink(x->path);
	free(x->width);
	free(x);
}

/* Column widths of the current sheet, from the widest cells seen. */
static void set_widths(struct zl_xlsxw *x)
{
	for (size_t c = 0; c < x->ncols; c++) {
		size_t w = x->width[c] + WIDTH_MARGIN;

		worksheet_set_column(x->ws, (lxw_col_t)c, (lxw_col_t)c,
				     (double)(w > WIDTH_MAX ? WIDTH_MAX : w), NULL);
	}
}

/* Add a worksheet and write its bold, frozen header row (x->width has room for ncols). */
static int start_sheet(struct zl_xlsxw *x, const char *sheet, const char *const *header,
		       size_t ncols, struct zl_error *err)
{
	lxw_worksheet *ws = workbook_add_worksheet(x->wb, sheet);

	/* on failure the current sheet (if any) stays current */
	if (!ws)
		return zl_error_set(err, ZL_EIO, NULL, "xlsx export: cannot add worksheet \"%s\"",
				    sheet ? sheet : "Sheet1");
	x->ws = ws;
	x->ncols = ncols;
	memset(x->width, 0, ncols * sizeof(*x->width));
	worksheet_freeze_panes(x->ws, 1, 0);
	for (size_t c = 0; c < ncols; c++) {
		const char *h = header[c] ? header[c] : "";
		lxw_error e = worksheet_write_string(x->ws, 0, (lxw_col_t)c, h, x->bold);

		if (e)
			return lxw_fail(err, e, "header");
		note_width(x, c, zl_text_width(h, strlen(h)));
	}
	x->row = 1;
	return ZL_OK;
}

int zl_xlsxw_sheet(struct zl_xlsxw *x, const char *sheet, const char *const *header, size_t ncols,
		   struct zl_error *err)
{
	size_t *w;

	if (ncols == 0 || ncols > ZL_XLSXW_MAX_COLS)
		return zl_error_set(err, ZL_EINVAL, NULL, "xlsx export: %zu columns", ncols);
	set_widths(x);
	if (ncols > x->cap) {
		if (!(w = realloc(x->width, ncols * sizeof(*w))))
			return zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
		x->width = w;
		x->cap = ncols;
	}
	return start_sheet(x, sheet, header, ncols, err);
}

int zl_xlsxw_new(const char *tmpdir, const char *sheet, const char *const *header, size_t ncols,
		 struct zl_xlsxw **out, struct zl_error *err)
{
	struct zl_xlsxw *x;
	lxw_workbook_options opt = {0};
	int rc = ZL_OK;

	*out = NULL;
	if (ncols == 0 || ncols > ZL_XLSXW_MAX_COLS)
		return zl_error_set(err, ZL_EINVAL, NULL, "xlsx export: %zu columns", ncols);
	x = calloc(1, sizeof(*x));
	if (!x)
		return zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
	x->fd = -1;
	x->ncols = x->cap = ncols;
	x->width = calloc(ncols, sizeof(*x->width));
	if (!x->width) {
		rc = zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
		goto out;
	}
	if (!tmpdir || !tmpdir[0])
		tmpdir = getenv("TMPDIR");
	if (!tmpdir || !tmpdir[0])
		tmpdir = "/tmp";
	if (zl_strlcpy(x->tmpdir, tmpdir, sizeof(x->tmpdir)) >= sizeof(x->tmpdir) ||
	    (size_t)snprintf(x->path, sizeof(x->path), "%s/zl-export-XXXXXX", tmpdir) >=
		    sizeof(x->path)) {
		x->path[0] = '\0';
		rc = zl_error_set(err, ZL_EIO, NULL, "xlsx export: temp directory name too long");
		goto out;
	}
	x->fd = mkostemp(x->path, O_CLOEXEC);
	if (x->fd < 0) {
		rc = zl_error_set(err, ZL_EIO, NULL,
				  "xlsx export: cannot create a temp file in %s: %s", tmpdir,
				  strerror(errno));
		x->path[0] = '\0';
		goto out;
	}
	opt.constant_memory = LXW_TRUE;
	opt.tmpdir = x->tmpdir;
	x->wb = workbook_new_opt(x->path, &opt);
	if (!x->wb) {
		rc = zl_error_set(err, ZL_ENOMEM, NULL, "xlsx export: cannot create the workbook");
		goto out;
	}
	x->bold = workbook_add_format(x->wb);
	if (!x->bold) {
		rc = zl_error_set(err, ZL_ENOMEM, NULL, "xlsx export: cannot create a format");
		goto out;
	}
	format_set_bold(x->bold);
	rc = start_sheet(x, sheet, header, ncols, err);
out:
	if (rc) {
		zl_xlsxw_free(x);
		return rc;
	}
	*out = x;
	return ZL_OK;
}

static int check_cell(struct zl_xlsxw *x, size_t col, struct zl_error *err)
{
	if (col >= x->ncols)
		return zl_error_set(err, ZL_EINVAL, NULL, "xlsx export: column %zu of %zu", col,
				    x->ncols);
	if (x->row >= ZL_XLSXW_MAX_ROWS)
		return zl_error_set(
			err, ZL_ETOOBIG, NULL,
			"export too large for one xlsx sheet (%u rows), narrow the filters",
			ZL_XLSXW_MAX_ROWS - 1);
	return ZL_OK;
}

/* "_xHHHH_" at s[i]: Excel would read it as an escaped character. */
static int ooxml_escape_at(const char *s, size_t n, size_t i)
{
	if (i + 7 > n || s[i] != '_' || s[i + 1] != 'x' || s[i + 6] != '_')
		return 0;
	for (size_t k = 2; k < 6; k++)
		if (zl_hex_digit((unsigned char)s[i + k]) < 0)
			return 0;
	return 1;
}

/*
 * Copy s[0..n) into `b` as text a cell can hold: invalid UTF-8 becomes
 * U+FFFD (libxlsxwriter copies bytes as they are, and one bad byte makes
 * Excel reject the whole file as corrupt), a literal "_xHHHH_" gets its
 * '_' escaped as "_x005F_" (else Excel shows the character HHHH), and the
 * text is cut at a character boundary to the cell limit.
 */
static void clean_text(struct zl_buf *b, const char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		size_t len = zl_utf8_decode(s + i, n - i, NULL);
		const char *p = s + i;
		size_t plen = len;

		if (!len) {
			p = "\xef\xbf\xbd";
			plen = 3;
			len = 1;
		} else if (ooxml_escape_at(s, n, i)) {
			p = "_x005F_";
			plen = 7;
		}
		if (b->len + plen > CELL_MAX_BYTES)
			break;
		zl_buf_add(b, p, plen);
		i += len;
	}
}

int zl_xlsxw_str(struct zl_xlsxw *x, size_t col, const char *s, struct zl_error *err)
{
	struct zl_buf clean = ZL_BUF_INIT(CELL_MAX_BYTES + 8);
	size_t n;
	lxw_error e;
	int rc = check_cell(x, col, err);

	if (rc || !s || !s[0])
		return rc;
	n = strlen(s);
	if (n > CELL_MAX_BYTES || !zl_utf8_valid(s, n) || memmem(s, n, "_x", 2)) {
		clean_text(&clean, s, n);
		if (clean.err)
			return zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
		s = zl_buf_str(&clean);
		n = clean.len;
	}
	e = worksheet_write_string(x->ws, x->row, (lxw_col_t)col, s, NULL);
	if (!e)
		note_width(x, col, zl_text_width(s, n));
	zl_buf_release(&clean);
	if (e)
		return lxw_fail(err, e, "cell");
	return ZL_OK;
}

int zl_xlsxw_num(struct zl_xlsxw *x, size_t col, double v, struct zl_error *err)
{
	char tmp[32];
	lxw_error e;
	int rc = check_cell(x, col, err);
	int len;

	if (rc)
		return rc;
	e = worksheet_write_number(x->ws, x->row, (lxw_col_t)col, v, NULL);
	if (e)
		return lxw_fail(err, e, "cell");
	len = snprintf(tmp, sizeof(tmp), "%.15g", v);
	note_width(x, col, len > 0 ? (size_t)len : 1);
	return ZL_OK;
}

int zl_xlsxw_end_row(struct zl_xlsxw *x, struct zl_error *err)
{
	if (x->row >= ZL_XLSXW_MAX_ROWS)
		return check_cell(x, 0, err);
	x->row++;
	return ZL_OK;
}

uint64_t zl_xlsxw_rows(const struct zl_xlsxw *x)
{
	return x->row ? x->row - 1u : 0u;
}

int zl_xlsxw_finish(struct zl_xlsxw *x, int *fd, uint64_t *size, struct zl_error *err)
{
	struct stat st;
	lxw_error e;
	int rc = ZL_OK;

	*fd = -1;
	*size = 0;
	set_widths(x);
	e = workbook_close(x->wb); /* frees the workbook whatever happens */
	x->wb = NULL;
	if (e) {
		rc = lxw_fail(err, e, "writing the file");
		goto out;
	}
	if (fstat(x->fd, &st) || lseek(x->fd, 0, SEEK_SET) < 0) {
		rc = zl_error_set(err, ZL_EIO, NULL, "xlsx export: %s", strerror(errno));
		goto out;
	}
	*fd = x->fd;
	*size = (uint64_t)st.st_size;
	x->fd = -1; /* handed over */
out:
	zl_xlsxw_free(x); /* unlinks the name; the open descriptor keeps the data */
	return rc;
}
