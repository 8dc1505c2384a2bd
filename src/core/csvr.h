/*
 * csvr.h - RFC 4180 CSV reader for imported tables (enterprise registers,
 * published spot-check results) as officials save them from Excel and WPS.
 *
 * Accepted input, a superset of RFC 4180:
 *   - fields separated by one delimiter: ',' by default, or TAB or ';'
 *     when auto-detected (ZL_CSVR_DELIM_AUTO): the delimiter occurring most
 *     often outside quotes in the first 10 records (at most the first 64 KiB)
 *     wins, ',' on a tie or when none occurs;
 *   - records ending in CRLF, LF or a lone CR (old Mac exports), and a last
 *     record without a line ending;
 *   - quoted fields with embedded delimiters, line breaks and doubled quotes
 *     ("a ""b"""); text after a closing quote is kept literally (a"b"c ->
 *     a"b"c, a "x"y -> "x"y), as Excel does, rather than failing the file;
 *   - a quoted field still open at the end of the input is an error naming
 *     the record where it started.
 * The input is UTF-8 already (convert with core/text.h first); the reader
 * does not check it, it only splits bytes.  A UTF-8 BOM at the very start is
 * skipped.  A blank line is a record with one empty cell, so record numbers
 * match the row numbers a spreadsheet shows for the same file.
 *
 * Sources: a buffer (borrowed, must outlive the reader) or a FILE stream
 * read in 64 KiB chunks (borrowed; the caller closes it).  Memory is the
 * current record only.  Limits: a cell of at most `max_cell` bytes and at
 * most `max_cells` cells per record (ZL_ETOOBIG naming the record).
 * Not thread-safe per reader; no global state.
 */
#ifndef ZL_CORE_CSVR_H
#define ZL_CORE_CSVR_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/buf.h"
#include "core/err.h"

#define ZL_CSVR_DELIM_AUTO 0
#define ZL_CSVR_MAX_CELL_DEFAULT (1u << 20) /* 1 MiB per cell */
#define ZL_CSVR_MAX_CELLS_DEFAULT 4096u

struct zl_csvr {
	/* source: exactly one of buf / fp */
	const char *buf;
	size_t len;
	FILE *fp;
	char *chunk;	   /* stream mode: the current chunk (heap) */
	size_t pos;	   /* next byte in buf/chunk */
	int eof;	   /* stream mode: fread hit end of file */
	uint64_t consumed; /* bytes of the input consumed so far */

	char delim;
	size_t max_cell;
	size_t max_cells;

	struct zl_buf text; /* the current record's cells, each NUL-terminated */
	size_t *offs;	    /* offsets of the cells in text */
	const char **cells; /* pointers into text, valid until the next call */
	size_t ncells, cap;
	uint64_t record; /* 1-based number of the current record */
	int done;
};

/*
 * Start reading the buffer s[0..n) (borrowed).  `delim` is ',', '\t', ';'
 * or ZL_CSVR_DELIM_AUTO.  Returns ZL_OK or ZL_EINVAL (bad delimiter).
 * The reader must be released with zl_csvr_release() in every case.
 */
int zl_csvr_init_buf(struct zl_csvr *r, const char *s, size_t n, char delim, struct zl_error *err);
/*
 * Start reading the stream `fp` (borrowed, not closed).  Returns ZL_OK,
 * ZL_EIO when the first read fails, ZL_ENOMEM, or ZL_EINVAL.
 */
int zl_csvr_init_file(struct zl_csvr *r, FILE *fp, char delim, struct zl_error *err);

/*
 * Read the next record.  Returns 1 with *cells / *ncells set (ncells >= 1;
 * the strings belong to the reader and stay valid until the next call), 0
 * at the end of the input, or a negative error (ZL_EINVAL unterminated
 * quote, ZL_ETOOBIG over a limit, ZL_EIO read error) with err->field
 * "row N".
 */
int zl_csvr_next(struct zl_csvr *r, const char *const **cells, size_t *ncells,
		 struct zl_error *err);

/* The 1-based number of the record last returned (0 before the first). */
uint64_t zl_csvr_record(const struct zl_csvr *r);
/* Bytes of input consumed so far (for progress). */
uint64_t zl_csvr_consumed(const struct zl_csvr *r);
/* The delimiter in use (after auto-detection). */
char zl_csvr_delim(const struct zl_csvr *r);
/* Free what the reader holds (not the source).  Safe on a zeroed reader. */
void zl_csvr_release(struct zl_csvr *r);

#endif /* ZL_CORE_CSVR_H */
