/*
 * sc_import.h - reading the rows of a published spot-check result table
 * (抽查结果公告, ../shared/DOMAIN.md section 12; docs/results.md): which
 * column is which (the synonym table sc_columns.def), and what one row
 * says - the product as written, the producer and whether it is nominal
 * (标称) or suspected counterfeit (假冒 in 备注), the sampled unit, the
 * retailer and the online platform, trademark, spec, the production date
 * or batch number (one cell holding either), the sampling date, the region
 * name or code, the verdict (合格/不合格, 符合/不符合, or failed when the
 * table has no result column: a failures-only table) and the failed items
 * (one cell, separated by 、，,；; and line breaks, "*" marks dropped).
 * Pure: no I/O, no clock.  The store (store/sc_import.h) matches the
 * producer and the product and writes the rows.
 *
 * Header detection as for enterprise tables (domain/import_map.h): the
 * first of the first ZL_IMPORT_HEADER_SCAN rows in which at least two
 * cells name known columns; the same normalisation (zl_import_header_norm).
 * A header cell naming two columns, or two cells naming one column, is an
 * error naming both.
 */
#ifndef ZL_DOMAIN_SC_IMPORT_H
#define ZL_DOMAIN_SC_IMPORT_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

enum zl_scc {
	ZL_SCC_NONE = 0,
#define ZL_SC_COL(F, KEY, LABEL) ZL_SCC_##F,
#define ZL_SC_SYN(F, TEXT)
#include "domain/sc_columns.def"
#undef ZL_SC_COL
#undef ZL_SC_SYN
	ZL_SCC__COUNT
};

/* "producer", ... (NULL for NONE or out of range); the canonical header ("生产企业"). */
const char *zl_scc_key(enum zl_scc c);
const char *zl_scc_label(enum zl_scc c);
/* Synonym table access (docs and tests): count and entry i. */
size_t zl_scc_synonym_count(void);
void zl_scc_synonym_at(size_t i, enum zl_scc *field, const char **text);

/* The column header text s names, ZL_SCC_NONE, or -1 when it names two (*a, *b). */
int zl_scc_lookup(const char *s, enum zl_scc *a, enum zl_scc *b);

struct zl_sc_map {
	size_t ncols;
	int *field;	    /* per column: an enum zl_scc; heap */
	char **header;	    /* per column, as in the file; heap */
	long col_of[ZL_SCC__COUNT];
	uint64_t header_row; /* 0: not found yet */
	int nominal_header;  /* the producer column says 标称: every producer is nominal */
};

void zl_sc_map_init(struct zl_sc_map *m);
void zl_sc_map_release(struct zl_sc_map *m);

/*
 * Offer row `row` as the header: 1 it is (the map is filled), 0 it is not
 * (fewer than two known columns), or ZL_EUNPROC (a cell names two
 * columns, two cells one column; field "header") or ZL_ENOMEM.
 */
int zl_sc_map_header(struct zl_sc_map *m, const char *const *cells, size_t n, uint64_t row,
		     struct zl_error *err);

/*
 * After the header: ZL_OK when there is a producer or sampled-unit column
 * (whom the result concerns), else ZL_EUNPROC (field "header").
 */
int zl_sc_map_check(const struct zl_sc_map *m, struct zl_error *err);

/* "C (生产企业)" for column col of the map ("" out of range). */
void zl_sc_map_label(const struct zl_sc_map *m, long col, char *out, size_t n);

#define ZL_SC_NAME_MAX 768 /* bytes of a name (200 characters and more) */
#define ZL_SC_TEXT_MAX 256 /* bytes of trademark, spec, batch, platform, product text */
#define ZL_SC_REMARK_MAX 1024
#define ZL_SC_ITEMS_MAX 64 /* failed items of one row */
#define ZL_SC_ITEM_MAX 256 /* bytes of one item's name */

/* Placeholder item of a failed row whose table names no failed item. */
#define ZL_SC_ITEM_UNKNOWN "不合格项目未公布"

/* One row as read; all strings NUL-terminated, "" when absent. */
struct zl_sc_row {
	char product_text[ZL_SC_TEXT_MAX];
	char producer[ZL_SC_NAME_MAX]; /* without the (标称) mark */
	char uscc[24], org_code[16];   /* folded, '-' dropped from the org code */
	char sampled_unit[ZL_SC_NAME_MAX];
	char retailer[ZL_SC_NAME_MAX];
	char platform[ZL_SC_TEXT_MAX];
	char trademark[ZL_SC_TEXT_MAX];
	char spec[ZL_SC_TEXT_MAX];
	char batch[ZL_SC_TEXT_MAX];	  /* the batch number when the cell is not a date */
	char production_date[11];	  /* YYYY-MM-DD when the cell is a date */
	char sampled_on[11];		  /* YYYY-MM-DD or "" */
	char region[8];			  /* six-digit code or "" */
	char region_text[ZL_SC_TEXT_MAX]; /* the cell as written */
	char lab[ZL_SC_NAME_MAX];
	char remark[ZL_SC_REMARK_MAX];
	int failed; /* 1 failed, 0 passed */
	int nominal, counterfeit;
	size_t nitems;
	char items[ZL_SC_ITEMS_MAX][ZL_SC_ITEM_MAX];
};

/*
 * Read the data row `cells` (n cells) with map m into *out.  ZL_OK, or
 * ZL_EUNPROC with err->field the column key ("result", "batch", ...) and a
 * message saying what is wrong (an unknown result word, a passed row with
 * failed items, a bad date, a value too long, too many items, a row
 * without producer or sampled unit); *col receives the column index
 * concerned (-1 for the whole row).
 */
int zl_sc_row_parse(const struct zl_sc_map *m, const char *const *cells, size_t n,
		    struct zl_sc_row *out, long *col, struct zl_error *err);

/*
 * Split a failed-items cell into out->items (see the file comment),
 * dropping empty parts and repeats.  ZL_OK or ZL_EUNPROC (too many, one
 * too long).
 */
int zl_sc_split_items(const char *cell, struct zl_sc_row *out, struct zl_error *err);

/*
 * The normalised form of a name for exact matching: full-width forms
 * folded to ASCII, every space removed, （）【】[] made (), ASCII
 * lower-cased, a "(标称)" mark dropped.  Writes at most n-1 bytes (cut at
 * a character boundary) and returns the length.
 */
size_t zl_sc_name_norm(const char *s, char *out, size_t n);

/*
 * A title row's hints: the year (2014年...), a document number (...〔2014〕12号
 * or ...[2014]12号) and the level word (国家/省/市/县 before 质量技术监督局 or
 * 市场监督管理局 ...).  Fills what it finds (year 0, doc_no "", level "").
 */
void zl_sc_title_hints(const char *title, int *year, char *doc_no, size_t ndoc, char *level,
		       size_t nlevel);

/*
 * The catalogue code a published product name stands for by the synonym
 * table sc_products.def (compared normalised, zl_sc_name_norm), or NULL.
 */
const char *zl_sc_product_synonym(const char *name);
/* Synonym table access (docs): count and entry i. */
size_t zl_sc_product_synonym_count(void);
void zl_sc_product_synonym_at(size_t i, const char **name, const char **code);

#endif /* ZL_DOMAIN_SC_IMPORT_H */
