/*
 * xlsr.h - reader of legacy Excel 97-2003 .xls workbooks (BIFF8 in an OLE
 * compound file, as WPS and old Excel save them) through freexl.
 *
 * Reads the first worksheet only, row by row, every cell as text: numbers
 * are printed with up to 15 significant digits ("%.15g", so 100 stays
 * "100"), text is UTF-8 as freexl decodes it, cells with a date format
 * become "YYYY-MM-DD" (freexl does the conversion; a date-time keeps its
 * " HH:MM:SS" part, a time alone is "HH:MM:SS").  Row numbers are 1-based
 * like Excel's.  Rows whose cells are all empty are skipped.
 *
 * freexl parses the whole file at open and reads from a path only, so an
 * upload must be written to a temporary file first.  Errors: ZL_EMEDIA
 * (not an .xls freexl can read: wrong magic, encrypted, BIFF5 or older),
 * ZL_EIO, ZL_ENOMEM.  No global state.
 */
#ifndef ZL_CORE_XLSR_H
#define ZL_CORE_XLSR_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

struct zl_xlsr; /* opaque, heap-allocated */

/* Open `path`.  Returns ZL_OK and *out, or an error and *out NULL. */
int zl_xlsr_open(const char *path, struct zl_xlsr **out, struct zl_error *err);
/*
 * Next non-empty row: 1 with *cells and *ncells (owned by the reader, valid
 * until the next call), 0 at the end, or a negative error.
 */
int zl_xlsr_next(struct zl_xlsr *x, const char *const **cells, size_t *ncells,
		 struct zl_error *err);
/* 1-based row number of the row last returned. */
uint64_t zl_xlsr_row(const struct zl_xlsr *x);
/* Rows visited so far and the sheet's row count (for progress). */
void zl_xlsr_progress(const struct zl_xlsr *x, uint64_t *done, uint64_t *total);
/* Free everything.  NULL is a no-op. */
void zl_xlsr_close(struct zl_xlsr *x);

#endif /* ZL_CORE_XLSR_H */
