/*
 * xlsxr.h - streaming reader of one worksheet (the first, or one chosen by
 * number) of an .xlsx workbook
 * (Office Open XML, as Excel, WPS and libxlsxwriter write it), for imports.
 *
 * libzip opens the package; expat parses xl/workbook.xml (first <sheet>,
 * date1904), xl/_rels/workbook.xml.rels (where that sheet lives),
 * xl/sharedStrings.xml (plain <t> and rich-text runs <r><t>; phonetic
 * <rPh> runs are skipped), xl/styles.xml (which cell formats are dates)
 * and then the worksheet itself, streamed row by row: the parser is
 * suspended at each </row>, so memory is the shared strings plus one row.
 *
 * Cells: t="s" shared string, t="inlineStr" (<is><t>), t="str" (formula
 * result text), t="b" -> "TRUE"/"FALSE", t="e" -> the error text ("#N/A"),
 * t="d" -> its first 10 characters (ISO date), numbers as written in <v>
 * ("100", "0.5", "1.2E-3") except that a number whose style is a date
 * (built-in numFmtId 14-17, 22, 27-36, 50-58, or a custom format with y or
 * d outside quotes and brackets) becomes YYYY-MM-DD.  Row numbers are the
 * sheet's own (the r attribute), so a report points at the row Excel shows;
 * cells are placed by their column letters (A=0) and missing cells are "".
 * A document type declaration is refused (no entity expansion at all).
 *
 * Errors (struct zl_error): ZL_EMEDIA not a zip / no workbook or sheet,
 * ZL_EINVAL malformed XML (message names the part and line), ZL_ETOOBIG
 * past the limits below, ZL_EIO, ZL_ENOMEM.  No global state.
 */
#ifndef ZL_CORE_XLSXR_H
#define ZL_CORE_XLSXR_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

#define ZL_XLSXR_MAX_COLS 16384u	    /* Excel's XFD */
#define ZL_XLSXR_MAX_SST_BYTES (512u << 20) /* shared strings text */
#define ZL_XLSXR_MAX_ROW_BYTES (16u << 20)  /* text of one row */

struct zl_xlsxr; /* opaque, heap-allocated */

/* Open the workbook at `path`.  Returns ZL_OK and *out, or an error and *out NULL. */
int zl_xlsxr_open(const char *path, struct zl_xlsxr **out, struct zl_error *err);
/* The same over the bytes p[0..n) (borrowed: must outlive the reader). */
int zl_xlsxr_open_buffer(const void *p, size_t n, struct zl_xlsxr **out, struct zl_error *err);
/*
 * The same for the workbook's sheet number `sheet` (0-based, in the
 * workbook's order) rather than the first: for multi-sheet workbooks such
 * as the quality report's annex.  ZL_ENOTFOUND when the workbook has fewer
 * sheets.
 */
int zl_xlsxr_open_buffer_sheet(const void *p, size_t n, size_t sheet, struct zl_xlsxr **out,
			       struct zl_error *err);
/* The name of the sheet being read ("" when the workbook does not say). */
const char *zl_xlsxr_sheet_name(const struct zl_xlsxr *x);

/*
 * Next row that has at least one <c> element.  Returns 1 with *cells (ncells
 * strings, never NULL; owned by the reader, valid until the next call), 0
 * at the end of the sheet, or a negative error.
 */
int zl_xlsxr_next(struct zl_xlsxr *x, const char *const **cells, size_t *ncells,
		  struct zl_error *err);
/* The sheet's row number (1-based) of the row last returned. */
uint64_t zl_xlsxr_row(const struct zl_xlsxr *x);
/* Progress: uncompressed bytes of the sheet read so far and the sheet's size. */
void zl_xlsxr_progress(const struct zl_xlsxr *x, uint64_t *done, uint64_t *total);
/* Free everything.  NULL is a no-op. */
void zl_xlsxr_close(struct zl_xlsxr *x);

/*
 * Convert an Excel date serial to "YYYY-MM-DD" (11 bytes with the NUL);
 * `date1904` selects the Mac epoch.  The 1900 system counts the fictitious
 * 1900-02-29 as Excel does (serial 60).  Returns 0, or -1 when out of the
 * range 1..2958465 (9999-12-31).
 */
int zl_excel_serial_date(double serial, int date1904, char out[11]);

#endif /* ZL_CORE_XLSXR_H */
