/*
 * table.h - one row source over the table files officials bring: CSV
 * (any of the encodings core/text.h detects), .xlsx and legacy .xls.
 *
 * zl_table_open() chooses the reader by content, never by file name: a
 * zip (PK\3\4) is read as xlsx, an OLE compound file (D0 CF 11 E0 A1 B1 1A
 * E1) as xls, anything else as CSV text.  CSV text is memory-mapped; when
 * it is UTF-8 (with or without BOM) it is read in place, otherwise
 * (GB18030/GBK, UTF-16 with BOM) it is converted to UTF-8 in memory first,
 * which is refused past opt->max_convert bytes of input (default
 * ZL_TABLE_MAX_CONVERT, 1 GiB) with a message saying to save the file as
 * UTF-8.  The delimiter (comma, TAB, semicolon) is auto-detected.
 *
 * Rows come from zl_table_next(); row numbers are those a spreadsheet
 * shows for the file (CSV record number, the sheet's own row number).
 * Not thread-safe per reader; no global state.
 */
#ifndef ZL_CORE_TABLE_H
#define ZL_CORE_TABLE_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

#define ZL_TABLE_MAX_CONVERT (1ull << 30)

enum zl_table_format { ZL_TABLE_CSV = 1, ZL_TABLE_XLSX, ZL_TABLE_XLS };

/* How CSV bytes are decoded. */
enum zl_table_encoding {
	ZL_TABLE_ENC_AUTO = 0, /* BOM, else valid UTF-8, else GB18030 */
	ZL_TABLE_ENC_UTF8,     /* must be valid UTF-8 (a BOM is skipped) */
	ZL_TABLE_ENC_GBK,      /* GB18030 (a superset of GBK and GB 2312) */
};

struct zl_table_options {
	enum zl_table_encoding encoding;
	uint64_t max_convert; /* 0: ZL_TABLE_MAX_CONVERT */
};

struct zl_table_reader; /* opaque, heap-allocated */

/*
 * Open `path` (opt may be NULL for the defaults).  Returns ZL_OK and *out,
 * or an error (ZL_EIO cannot open/read, ZL_EMEDIA unreadable workbook,
 * ZL_EINVAL bad encoding with the byte offset and line, ZL_ETOOBIG past
 * max_convert) with *out NULL.
 */
int zl_table_open(const char *path, const struct zl_table_options *opt,
		  struct zl_table_reader **out, struct zl_error *err);

/* "Sniff" the format of the first bytes p[0..n) as zl_table_open does. */
enum zl_table_format zl_table_sniff(const void *p, size_t n);

/*
 * Next row: 1 with *cells (ncells UTF-8 strings, never NULL, owned by the
 * reader and valid until the next call), 0 at the end, or a negative
 * error naming the row in err->field.
 */
int zl_table_next(struct zl_table_reader *t, const char *const **cells, size_t *ncells,
		  struct zl_error *err);
/* Row number (1-based) of the row last returned. */
uint64_t zl_table_row(const struct zl_table_reader *t);
/* Format chosen, and the CSV encoding detected ("" for workbooks). */
enum zl_table_format zl_table_format(const struct zl_table_reader *t);
const char *zl_table_encoding_name(const struct zl_table_reader *t);
/*
 * Progress as bytes of the file: *done of *total (estimated for workbooks
 * from the position in the worksheet).
 */
void zl_table_progress(const struct zl_table_reader *t, uint64_t *done, uint64_t *total);
/* Free everything.  NULL is a no-op. */
void zl_table_close(struct zl_table_reader *t);

#endif /* ZL_CORE_TABLE_H */
