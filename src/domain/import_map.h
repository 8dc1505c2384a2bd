/*
 * import_map.h - mapping the columns of an imported enterprise table to
 * register fields, and normalising the values of its cells.  Pure: no I/O,
 * no clock; the synonym table is data (enterprise_columns.def).
 *
 * Header detection: the header row may sit under title rows ("河南省2014年
 * 规模以上工业企业名录", a date line); the first row among the first
 * ZL_IMPORT_HEADER_SCAN rows in which at least two cells name known
 * fields is the header.  Header cells are normalised before matching:
 * full-width forms folded to ASCII (（万元） -> (万元)), every white-space
 * character and line break removed (so "企业\n名称" and "企 业 名 称"
 * match), ASCII lower-cased, one trailing '*' or ':' dropped.  Nothing is
 * guessed: a header text that matches two fields, or two columns that map
 * to the same field, is an error naming both; a header that matches no
 * field is reported as unmapped (and its cells ignored).
 */
#ifndef ZL_DOMAIN_IMPORT_MAP_H
#define ZL_DOMAIN_IMPORT_MAP_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/err.h"

#define ZL_IMPORT_HEADER_SCAN 10

enum zl_ecol {
	ZL_ECOL_NONE = 0,
#define ZL_ENT_COL(F, KEY, LABEL) ZL_ECOL_##F,
#define ZL_ENT_SYN(F, TEXT)
#include "domain/enterprise_columns.def"
#undef ZL_ENT_COL
#undef ZL_ENT_SYN
	ZL_ECOL__COUNT
};

/* "uscc", "name", ... for a field (NULL for NONE or out of range). */
const char *zl_ecol_key(enum zl_ecol c);
/* The canonical Chinese header of a field ("统一社会信用代码"). */
const char *zl_ecol_label(enum zl_ecol c);
/* Synonym table access (for docs and the table test): count and entry i. */
size_t zl_ecol_synonym_count(void);
void zl_ecol_synonym_at(size_t i, enum zl_ecol *field, const char **text);

/*
 * Append the normalised form of header text s to `out` (see the file
 * comment).  Returns ZL_OK or the buffer's error.
 */
int zl_import_header_norm(const char *s, struct zl_buf *out);

/*
 * The field that header text `s` names, or ZL_ECOL_NONE.  When the text
 * names two different fields, returns -1 and sets *a and *b to them.
 */
int zl_import_header_lookup(const char *s, enum zl_ecol *a, enum zl_ecol *b);

/*
 * What a header-row mapping needs to know about one kind of table (the
 * enterprise register's columns, the published spot-check results'
 * columns): field ids are 1 .. nfields-1, 0 is "no field".
 *   lookup:    the field a header cell names, 0, or -1 when it names two
 *              (*a, *b set to them), as zl_import_header_lookup does;
 *   key:       the field's key for messages ("uscc", "producer");
 *   two_what:  the noun in "header ... matches two <two_what>";
 *   uncounted: a field that maps but does not make a row a header (a
 *              sequence-number column), or 0.
 */
struct zl_import_header_spec {
	int nfields;
	int (*lookup)(const char *s, int *a, int *b);
	const char *(*key)(int field);
	const char *two_what;
	int uncounted;
};

/*
 * Map header row `row` (cells[0..n)) through `spec`.  Returns 1 when it is
 * the header: *field (n field ids, heap), *header (n copies of the cells,
 * each heap, in a heap array) are the caller's, and col_of[0..nfields) is
 * the column index of each field or -1.  Returns 0 when it is not (fewer
 * than two counted fields), or a negative error: ZL_EUNPROC (field
 * "header") when a cell names two fields or two columns name the same
 * field, ZL_ENOMEM.  On anything but 1 the outputs are untouched.
 */
int zl_import_header_map(const struct zl_import_header_spec *spec, const char *const *cells,
			 size_t n, uint64_t row, int **field, char ***header, long *col_of,
			 struct zl_error *err);

struct zl_import_map {
	size_t ncols;		     /* cells in the header row */
	int *field;		     /* per column: an enum zl_ecol; heap */
	char **header;		     /* per column: the header text as in the file; heap */
	long col_of[ZL_ECOL__COUNT]; /* column index of each field, or -1 */
	uint64_t header_row;	     /* row number of the header in the file (0: not found) */
};

void zl_import_map_init(struct zl_import_map *m);
void zl_import_map_release(struct zl_import_map *m);

/*
 * Offer one row (row number `row` of the file) as a header candidate.
 * Returns 1 when it is the header (the map is filled), 0 when it is not (a
 * title row: fewer than two cells name fields), or a negative error:
 * ZL_EUNPROC when a header cell names two fields or two columns name the
 * same field (message names both columns and fields), ZL_ENOMEM.
 */
int zl_import_map_header(struct zl_import_map *m, const char *const *cells, size_t n, uint64_t row,
			 struct zl_error *err);

/*
 * After the header: ZL_OK when the map has a name column and a uscc or
 * org_code column, else ZL_EUNPROC naming what is missing.
 */
int zl_import_map_check(const struct zl_import_map *m, struct zl_error *err);

/* Spreadsheet column name of a 0-based index: 0 -> "A", 26 -> "AA". */
void zl_import_col_name(size_t idx, char out[8]);

/*
 * Normalise the cell value `in` for field `f` into out[0..n):
 *   all fields: surrounding white space (ASCII, U+3000, U+00A0) trimmed;
 *   uscc, org_code, industry, region code, dates, capital: full-width folded;
 *   org_code: a '-' before the check character removed (12345678-9);
 *   industry: a leading GB/T 4754 section letter dropped (C3670 -> 3670);
 *   text fields: line breaks and TABs inside the cell become one space;
 *   region: six digits kept; otherwise a Henan region name in force now
 *     (郑州市, 中原区; "郑州" tries "郑州市"); an error for generic names
 *     every city has (市辖区, 郊区, 城区, 矿区, ...), for a name that only
 *     an old code bore (naming it), for an unknown name, and when more than
 *     one region in force has that name;
 *   founded, cqo_appointed: 2016-09-17, 2016/9/17, 2016.9.17, 2016年9月17日,
 *     20160917 and a trailing time -> YYYY-MM-DD (calendar checked);
 *   size_class: 大型/中型/小型/微型 (with or without 企业), large/medium/
 *     small/micro -> large|medium|small|micro;
 *   status: 存续/在业/开业/在营/正常 (and 存续（在营、开业、在册）) ->
 *     operating, 吊销 (吊销未注销) -> revoked, 注销/已注销 -> cancelled.
 * An empty cell stays empty (whether it may be empty is the validator's
 * call).  Returns ZL_OK, or ZL_EUNPROC with a message (err->field is the
 * field key) when the value cannot be read or does not fit in n bytes.
 */
int zl_import_value(enum zl_ecol f, const char *in, char *out, size_t n, struct zl_error *err);

#endif /* ZL_DOMAIN_IMPORT_MAP_H */
