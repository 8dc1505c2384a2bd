/*
 * draw_csv.h - a draw's inputs from CSV files, for scripts and auditors
 * (`zhiliang draw select|commit`): a candidate table and, for stratified
 * draws, a quota table, read from bytes already in memory.
 *
 * The text may be UTF-8 with or without a BOM, GBK/GB18030, or UTF-16
 * with a BOM (core/text.h detects it, or the caller forces UTF-8 or GBK);
 * fields are split by core/csvr.h with the delimiter (comma, TAB or
 * semicolon) detected.  The first row that is not blank is the header;
 * blank rows are skipped; a row may have fewer cells than the header
 * (the missing ones are empty) but not more, unless the extra ones are
 * empty (as spreadsheets write).  Row numbers are the CSV record numbers
 * a spreadsheet shows.
 *
 * Candidates: one row each.  The id is the column named by `id_column`
 * (the first column when NULL), the weight the column `weight_column`
 * (weight 1 for all when NULL; zl_draw_weight_parse() reads it, so 0, a
 * negative number, text or more than six decimals is refused), the
 * stratum the column `stratum_column` (required with quotas).  Spaces and
 * tabs around an id or stratum are removed (in the table, so the rows
 * printed afterwards show them removed too).  Each candidate's attrs point
 * at its row's cells.
 *
 * Quotas: a header row, then one row per stratum: the stratum in the first
 * column, the quota (a whole number, 0 allowed) in the second; further
 * columns are ignored.
 *
 * Every refusal names the file, the row and the column, and what is wrong:
 * "candidates.csv row 7, column 权重: weight '-1' is negative: ...".
 */
#ifndef ZL_DOMAIN_DRAW_CSV_H
#define ZL_DOMAIN_DRAW_CSV_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/table.h"
#include "domain/draw.h"

/* A CSV table in memory, header first. */
struct zl_draw_table {
	const char *name;   /* the file's name in messages (borrowed) */
	char *text;	    /* owned: every cell, NUL-terminated */
	const char **cells; /* owned: (nrows + 1) rows of ncols cells; row 0 is the header */
	uint64_t *rowno;    /* owned: the CSV record number of each of those rows */
	size_t ncols;
	size_t nrows;	      /* data rows (the header not counted) */
	const char *encoding; /* "utf-8", "utf-8-bom", "gb18030", ...: what was read */
};

/*
 * Read the table in bytes[0 .. n) (borrowed only during the call).
 * `name` is used in messages and kept (borrowed).  Returns ZL_OK, or
 * ZL_EINVAL: bytes that are not text in the encoding (err->field
 * "encoding"; the message names the byte offset and line), or a table
 * that is not one (an unterminated quote, no header, a row with more cells
 * than the header); or ZL_ETOOBIG or ZL_ENOMEM.  Release with
 * zl_draw_table_release() in every case.
 */
int zl_draw_table_read(struct zl_draw_table *t, const char *name, const char *bytes, size_t n,
		       enum zl_table_encoding enc, struct zl_error *err);
void zl_draw_table_release(struct zl_draw_table *t);
/* The cells of data row r (0-based), ncols of them. */
const char *const *zl_draw_table_row(const struct zl_draw_table *t, size_t r);
/* The CSV record number of the row whose cells are `cells` (as in a candidate's attrs). */
uint64_t zl_draw_table_rowno(const struct zl_draw_table *t, const char *const *cells);

/* What to draw from the tables. */
struct zl_draw_csv_input {
	const char *label;	    /* NULL: "" */
	const char *id_column;	    /* NULL: the first column */
	const char *weight_column;  /* NULL: every weight is 1 */
	const char *stratum_column; /* required when quotas are given */
	uint64_t count;		    /* without quotas: how many to draw; with: 0, or their sum */
};

/* The candidates and quotas read from the tables, and the prepared draw. */
struct zl_draw_csv {
	struct zl_draw_candidate *cand; /* owned */
	size_t ncand;
	struct zl_draw_quota *quotas; /* owned */
	size_t nquotas;
	size_t id_col, weight_col, stratum_col; /* SIZE_MAX: none */
	struct zl_draw draw;			/* prepared */
};

/*
 * Build the candidates from `cands` (and the quotas from `quotas`, or NULL
 * for an unstratified draw) and prepare the draw.  Returns ZL_OK, or
 * ZL_EUNPROC (a column not in the header, a bad value, or a refusal of
 * zl_draw_prepare(), the message naming the file, row and column), or
 * ZL_ENOMEM.  The tables must outlive `c`.  Release with
 * zl_draw_csv_release() in every case.
 */
int zl_draw_csv_load(struct zl_draw_csv *c, struct zl_draw_table *cands,
		     struct zl_draw_table *quotas, const struct zl_draw_csv_input *in,
		     struct zl_error *err);
void zl_draw_csv_release(struct zl_draw_csv *c);

#endif /* ZL_DOMAIN_DRAW_CSV_H */
