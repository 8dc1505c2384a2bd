/*
 * xlsxw.h - xlsx export writer: a thin wrapper over libxlsxwriter that
 * produces one worksheet (or several, see zl_xlsxw_sheet) with a bold,
 * frozen header row, text and number cells, and column widths fitted to
 * the contents.
 *
 * libxlsxwriter 1.1.4 (Debian) can only write to a named file, so the
 * workbook goes to a temp file created with mkstemp() in `tmpdir` (NULL:
 * $TMPDIR, else /tmp).  The workbook runs in libxlsxwriter's
 * constant_memory mode: each finished row is flushed to a (deleted) temp
 * file, so memory stays flat however many rows are written, and rows must
 * be written top to bottom (which is how exports are produced anyway).
 * zl_xlsxw_finish() closes the workbook, unlinks the file and hands back an
 * open descriptor positioned at offset 0 and the size: ready for
 * struct zl_resp's fd/fd_size, and nothing is left on disk once it is
 * closed.
 *
 * Cells are written as string or number cells, never as formulas, so the
 * CSV formula-injection problem does not arise here.  Text is made safe
 * for a cell rather than failing the export: invalid UTF-8 becomes U+FFFD
 * (a single bad byte would make Excel reject the file), control characters
 * are escaped by libxlsxwriter, a literal "_xHHHH_" is escaped so Excel
 * does not decode it, and text longer than Excel's 32767-character cell
 * limit is cut at a character boundary.  Column widths are the widest cell of a column
 * in display units, counting East Asian wide characters (CJK ideographs,
 * kana, Hangul, full-width forms) as 2 and everything else as 1, plus a
 * margin, capped at 60.
 *
 * Errors: ZL_EIO with libxlsxwriter's message (or the errno text of the
 * temp file) in err->message; ZL_ETOOBIG past Excel's 1,048,576 rows;
 * ZL_EINVAL for a column outside the header; ZL_ENOMEM.
 */
#ifndef ZL_CORE_XLSXW_H
#define ZL_CORE_XLSXW_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

#define ZL_XLSXW_MAX_ROWS 1048576u /* Excel's limit, the header row included */
#define ZL_XLSXW_MAX_COLS 256u	   /* ours: an export wider than this is a bug */

struct zl_xlsxw; /* opaque; heap-allocated */

/*
 * Create a workbook with one worksheet named `sheet` (NULL: "Sheet1";
 * at most 31 characters, none of []:*?/\ - libxlsxwriter rejects others)
 * and write the header row (`ncols` names, 1..ZL_XLSXW_MAX_COLS) in bold,
 * frozen.  The temp file goes to `tmpdir` (NULL: $TMPDIR or /tmp).
 * Returns ZL_OK and *out (free with zl_xlsxw_finish or zl_xlsxw_free), or
 * an error with *out NULL and nothing left on disk.
 */
int zl_xlsxw_new(const char *tmpdir, const char *sheet, const char *const *header, size_t ncols,
		 struct zl_xlsxw **out, struct zl_error *err);
/*
 * Start another worksheet after the current one (which is complete from
 * then on: constant_memory mode writes sheets one after the other), with
 * its own header row; later cells go to it.  Same rules as zl_xlsxw_new
 * for the name and columns; sheet names must differ.  On failure the
 * current sheet stays current.
 */
int zl_xlsxw_sheet(struct zl_xlsxw *x, const char *sheet, const char *const *header, size_t ncols,
		   struct zl_error *err);
/* Column `col` of the current row as a string cell (NULL: left blank). */
int zl_xlsxw_str(struct zl_xlsxw *x, size_t col, const char *s, struct zl_error *err);
/* Column `col` of the current row as a number cell. */
int zl_xlsxw_num(struct zl_xlsxw *x, size_t col, double v, struct zl_error *err);
/*
 * Move to the next row.  ZL_ETOOBIG when the sheet is full (the cells
 * written so far stay; further writes fail the same way).
 */
int zl_xlsxw_end_row(struct zl_xlsxw *x, struct zl_error *err);
/* Data rows finished so far (the header not counted). */
uint64_t zl_xlsxw_rows(const struct zl_xlsxw *x);
/*
 * Finish: set the column widths, write the file, unlink it.  Returns ZL_OK
 * with *fd (open, read-write, offset 0; the caller closes it) and *size;
 * or an error with *fd = -1.  `x` is freed in every case.
 */
int zl_xlsxw_finish(struct zl_xlsxw *x, int *fd, uint64_t *size, struct zl_error *err);
/* Abandon an unfinished workbook: frees it and removes the temp file.  NULL is a no-op. */
void zl_xlsxw_free(struct zl_xlsxw *x);
/* Display width of UTF-8 text: East Asian wide characters count 2, others 1. */
size_t zl_text_width(const char *s, size_t n);

#endif /* ZL_CORE_XLSXW_H */
