/*
 * pdfw.h - PDF documents for reports and bulletins (the plan bulletin
 * 通报, the quality analysis report): A4 pages of Chinese text, tables
 * that continue over pages, and bar charts, drawn with cairo and laid out
 * with pango in the Noto CJK fonts (fonts-noto-cjk).
 *
 * The document is a flow: each call appends below the previous one and a
 * new page starts when the next line, table row or chart does not fit.
 * Headings never stay alone at the foot of a page; a table repeats its
 * header row on every page it continues on; every page has a footer with
 * the document's footer text, its date and "第 N 页".
 *
 * Errors are sticky, as in struct zl_buf: the drawing calls return
 * nothing, and zl_pdf_finish() reports the first failure (ZL_ENOMEM,
 * ZL_EIO with cairo's status text, ZL_EINVAL for a misuse such as a row
 * outside a table).  Text that is not valid UTF-8 is drawn with U+FFFD in
 * place of the bad bytes rather than failing the document.
 *
 * Output is reproducible: the same calls with the same `date` give the
 * same bytes (the date is also the PDF's creation date; without one cairo
 * writes the current time).
 */
#ifndef ZL_CORE_PDFW_H
#define ZL_CORE_PDFW_H

#include <stddef.h>

#include "core/buf.h"
#include "core/err.h"

struct zl_pdf; /* opaque; heap-allocated */

struct zl_pdf_info {
	const char *title; /* document metadata and nothing else (the page title is zl_pdf_title) */
	const char *author;  /* metadata: the issuing organization */
	const char *subject; /* metadata, may be NULL */
	const char *footer;  /* left of every page's footer, may be NULL */
	const char *date; /* "YYYY-MM-DD": right of the footer and the creation date; may be NULL */
};

/* Column alignment in tables. */
enum zl_pdf_align { ZL_PDF_LEFT = 0, ZL_PDF_RIGHT, ZL_PDF_CENTER };

struct zl_pdf_col {
	const char *title;
	double width; /* share of the text width (the shares are scaled to add up to 1) */
	enum zl_pdf_align align;
};

/* Colours are 0xRRGGBB; ZL_PDF_NOCOLOR means none. */
#define ZL_PDF_NOCOLOR 0xffffffffu
#define ZL_PDF_GREEN 0x2e7d32u
#define ZL_PDF_YELLOW 0xf9a825u
#define ZL_PDF_RED 0xc62828u
#define ZL_PDF_BLUE 0x1f4e8cu
#define ZL_PDF_GREY 0x9e9e9eu

/* One bar of zl_pdf_bars(): a value, optionally with an interval drawn as a whisker. */
struct zl_pdf_bar {
	const char *label;
	double value;
	const char *value_text; /* printed after the bar; NULL: the value with 1 decimal */
	unsigned color;		/* ZL_PDF_NOCOLOR: the default blue */
	int has_interval;
	double lo, hi; /* the interval (e.g. a 95% confidence interval) */
};

/*
 * A new document in memory.  `info` and its strings are copied.  Returns
 * NULL only when out of memory (err set); drawing errors come later from
 * zl_pdf_finish().
 */
struct zl_pdf *zl_pdf_new(const struct zl_pdf_info *info, struct zl_error *err);

/* The document's title block: a large centred title and an optional subtitle line. */
void zl_pdf_title(struct zl_pdf *p, const char *title, const char *subtitle);
/* A section heading (level 1) or sub-heading (level 2). */
void zl_pdf_heading(struct zl_pdf *p, int level, const char *text);
/* A paragraph of body text, wrapped to the page width; '\n' starts a new line. */
void zl_pdf_text(struct zl_pdf *p, const char *text);
/* A smaller grey paragraph (sources, notes, definitions). */
void zl_pdf_note(struct zl_pdf *p, const char *text);
/* Vertical space in points. */
void zl_pdf_space(struct zl_pdf *p, double points);
/* Start the next content on a new page (nothing when the page is still empty). */
void zl_pdf_page_break(struct zl_pdf *p);

/*
 * A table: begin with its columns (1..16; copied), then rows of ncols
 * cells (NULL cells are blank; long cells wrap within their column), then
 * end.  `mark` colours a dot before the first cell (ZL_PDF_NOCOLOR: no
 * dot), e.g. a task's traffic light.
 */
void zl_pdf_table_begin(struct zl_pdf *p, const struct zl_pdf_col *cols, size_t ncols);
void zl_pdf_table_row(struct zl_pdf *p, const char *const *cells, unsigned mark);
void zl_pdf_table_end(struct zl_pdf *p);

/*
 * A horizontal bar chart under an optional caption: one bar per item,
 * labels on the left, scaled to `max` (<= 0: the largest value or
 * interval end).  Negative values draw as empty bars.  A chart taller than
 * a page continues on the next one.
 */
void zl_pdf_bars(struct zl_pdf *p, const char *caption, const struct zl_pdf_bar *bars, size_t n,
		 double max);

/* Pages so far (the current one included). */
int zl_pdf_pages(const struct zl_pdf *p);

/*
 * End the document, append the PDF to `out` and free `p` (also on
 * failure).  Returns ZL_OK or the first error of any call (nothing useful
 * is appended then).
 */
int zl_pdf_finish(struct zl_pdf *p, struct zl_buf *out, struct zl_error *err);

/* Abandon a document (NULL is fine). */
void zl_pdf_free(struct zl_pdf *p);

#endif /* ZL_CORE_PDFW_H */
