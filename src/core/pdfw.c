/*
 * pdfw.c - the PDF document writer of pdfw.h: a cairo PDF surface that
 * streams into a zl_buf, a cursor `y` moving down the page, and pango
 * layouts drawn line by line so any paragraph, table row or chart can
 * continue on the next page.
 *
 * Units are PDF points (1/72 inch); A4 is 595.28 x 841.89.  Body text is
 * Noto Serif CJK SC (a Song face, as official documents use), tables,
 * charts and footers Noto Sans CJK SC; fontconfig falls back to any CJK
 * face installed when these are missing.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>

#include "core/buf.h"
#include "core/pdfw.h"

#define PAGE_W 595.28
#define PAGE_H 841.89
#define MARGIN_L 72.0
#define MARGIN_R 72.0
#define MARGIN_T 72.0
#define MARGIN_B 72.0
#define TEXT_W (PAGE_W - MARGIN_L - MARGIN_R)
#define BOTTOM (PAGE_H - MARGIN_B)
#define FOOTER_Y (PAGE_H - 44.0)

#define BODY_PT 11.0
#define NOTE_PT 9.0
#define CELL_PT 9.0
#define CELL_PAD 4.0
#define CELL_MAX_LINES 40 /* a taller cell is cut with an ellipsis: a row always fits a page */
#define LEADING 0.45	  /* extra space between body lines, as a share of the line */
#define MAX_COLS 16
#define PDF_MAX (256u << 20) /* a report larger than this is a bug */

struct zl_pdf {
	cairo_surface_t *surface;
	cairo_t *cr;
	struct zl_buf out;
	char *title, *author, *subject, *footer, *date;
	double y;	/* top of the free space on the current page */
	int page;	/* 1-based */
	int page_empty; /* nothing drawn on the current page yet */
	int err;	/* first error (ZL_*), sticky */
	char errmsg[160];
	/* The open table, if any. */
	int in_table;
	size_t ncols;
	struct zl_pdf_col cols[MAX_COLS];
	char *col_titles[MAX_COLS];
	double colw[MAX_COLS];
};

static void fail(struct zl_pdf *p, int code, const char *msg)
{
	if (p->err)
		return;
	p->err = code;
	snprintf(p->errmsg, sizeof(p->errmsg), "%s", msg);
}

static char *dup_or_null(const char *s, int *oom)
{
	char *d;

	if (s == NULL)
		return NULL;
	if ((d = strdup(s)) == NULL)
		*oom = 1;
	return d;
}

static cairo_status_t write_out(void *closure, const unsigned char *data, unsigned int len)
{
	struct zl_buf *b = closure;

	zl_buf_add(b, data, len);
	return b->err ? CAIRO_STATUS_WRITE_ERROR : CAIRO_STATUS_SUCCESS;
}

static void set_rgb(cairo_t *cr, unsigned rgb)
{
	cairo_set_source_rgb(cr, ((rgb >> 16) & 0xff) / 255.0, ((rgb >> 8) & 0xff) / 255.0,
			     (rgb & 0xff) / 255.0);
}

/* A layout of `text` (made valid UTF-8) in `font` at `pt`, wrapped at `width` (<= 0: none). */
static PangoLayout *layout(struct zl_pdf *p, const char *text, const char *font, double pt,
			   int bold, double width)
{
	PangoLayout *l = pango_cairo_create_layout(p->cr);
	PangoFontDescription *fd = pango_font_description_from_string(font);
	gchar *valid = g_utf8_make_valid(text ? text : "", -1);

	pango_font_description_set_size(fd, (gint)(pt * PANGO_SCALE));
	if (bold)
		pango_font_description_set_weight(fd, PANGO_WEIGHT_BOLD);
	pango_layout_set_font_description(l, fd);
	if (width > 0) {
		pango_layout_set_width(l, (int)(width * PANGO_SCALE));
		pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
	}
	pango_layout_set_text(l, valid, -1);
	pango_font_description_free(fd);
	g_free(valid);
	return l;
}

static double layout_height(PangoLayout *l)
{
	int w, h;

	pango_layout_get_size(l, &w, &h);
	return (double)h / PANGO_SCALE;
}

static double layout_width(PangoLayout *l)
{
	int w, h;

	pango_layout_get_size(l, &w, &h);
	return (double)w / PANGO_SCALE;
}

static void text_at(struct zl_pdf *p, double x, double y, const char *text, double pt, unsigned rgb,
		    enum zl_pdf_align align, double width)
{
	PangoLayout *l = layout(p, text, "Noto Sans CJK SC", pt, 0, -1);
	double w = layout_width(l);

	if (align == ZL_PDF_RIGHT)
		x += width - w;
	else if (align == ZL_PDF_CENTER)
		x += (width - w) / 2;
	set_rgb(p->cr, rgb);
	cairo_move_to(p->cr, x, y);
	pango_cairo_show_layout(p->cr, l);
	g_object_unref(l);
}

static void footer(struct zl_pdf *p)
{
	char num[32];

	snprintf(num, sizeof(num), "第 %d 页", p->page);
	cairo_save(p->cr);
	cairo_set_line_width(p->cr, 0.5);
	set_rgb(p->cr, 0xbdbdbd);
	cairo_move_to(p->cr, MARGIN_L, FOOTER_Y - 6);
	cairo_line_to(p->cr, PAGE_W - MARGIN_R, FOOTER_Y - 6);
	cairo_stroke(p->cr);
	if (p->footer)
		text_at(p, MARGIN_L, FOOTER_Y, p->footer, 8.5, 0x616161, ZL_PDF_LEFT, TEXT_W);
	text_at(p, MARGIN_L, FOOTER_Y, num, 8.5, 0x616161, ZL_PDF_CENTER, TEXT_W);
	if (p->date)
		text_at(p, MARGIN_L, FOOTER_Y, p->date, 8.5, 0x616161, ZL_PDF_RIGHT, TEXT_W);
	cairo_restore(p->cr);
}

static void table_header(struct zl_pdf *p);

static void new_page(struct zl_pdf *p)
{
	footer(p);
	cairo_show_page(p->cr);
	p->page++;
	p->y = MARGIN_T;
	p->page_empty = 1;
	if (p->in_table)
		table_header(p);
}

/* Make room for `h` points (a new page when they do not fit and the page is not empty). */
static void room(struct zl_pdf *p, double h)
{
	if (p->y + h > BOTTOM && !p->page_empty)
		new_page(p);
}

/* Draw a layout at x line by line from p->y, breaking pages between lines. */
static void flow(struct zl_pdf *p, PangoLayout *l, double x, double leading, unsigned rgb)
{
	PangoLayoutIter *it = pango_layout_get_iter(l);

	set_rgb(p->cr, rgb);
	do {
		PangoLayoutLine *line = pango_layout_iter_get_line_readonly(it);
		PangoRectangle r;
		double h, base;

		pango_layout_iter_get_line_extents(it, NULL, &r);
		h = (double)r.height / PANGO_SCALE;
		base = (double)(pango_layout_iter_get_baseline(it) - r.y) / PANGO_SCALE;
		room(p, h);
		set_rgb(p->cr, rgb);
		cairo_move_to(p->cr, x + (double)r.x / PANGO_SCALE, p->y + base);
		pango_cairo_show_layout_line(p->cr, line);
		p->y += h * (1.0 + leading);
		p->page_empty = 0;
	} while (pango_layout_iter_next_line(it));
	pango_layout_iter_free(it);
}

struct zl_pdf *zl_pdf_new(const struct zl_pdf_info *info, struct zl_error *err)
{
	struct zl_pdf *p = calloc(1, sizeof(*p));
	char when[32];
	int oom = 0;

	if (p == NULL) {
		zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
		return NULL;
	}
	zl_buf_init(&p->out, PDF_MAX);
	p->title = dup_or_null(info ? info->title : NULL, &oom);
	p->author = dup_or_null(info ? info->author : NULL, &oom);
	p->subject = dup_or_null(info ? info->subject : NULL, &oom);
	p->footer = dup_or_null(info ? info->footer : NULL, &oom);
	p->date = dup_or_null(info ? info->date : NULL, &oom);
	if (oom) {
		zl_pdf_free(p);
		zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
		return NULL;
	}
	p->surface = cairo_pdf_surface_create_for_stream(write_out, &p->out, PAGE_W, PAGE_H);
	p->cr = cairo_create(p->surface);
	p->page = 1;
	p->y = MARGIN_T;
	p->page_empty = 1;
	if (cairo_status(p->cr) != CAIRO_STATUS_SUCCESS)
		fail(p, ZL_EIO, cairo_status_to_string(cairo_status(p->cr)));
	if (p->title)
		cairo_pdf_surface_set_metadata(p->surface, CAIRO_PDF_METADATA_TITLE, p->title);
	if (p->author)
		cairo_pdf_surface_set_metadata(p->surface, CAIRO_PDF_METADATA_AUTHOR, p->author);
	if (p->subject)
		cairo_pdf_surface_set_metadata(p->surface, CAIRO_PDF_METADATA_SUBJECT, p->subject);
	cairo_pdf_surface_set_metadata(p->surface, CAIRO_PDF_METADATA_CREATOR, "Zhiliang");
	if (p->date && strlen(p->date) == 10) {
		snprintf(when, sizeof(when), "%sT00:00:00", p->date);
		cairo_pdf_surface_set_metadata(p->surface, CAIRO_PDF_METADATA_CREATE_DATE, when);
	}
	return p;
}

void zl_pdf_title(struct zl_pdf *p, const char *title, const char *subtitle)
{
	PangoLayout *l;

	if (p->err)
		return;
	l = layout(p, title, "Noto Serif CJK SC", 20, 1, TEXT_W);
	pango_layout_set_alignment(l, PANGO_ALIGN_CENTER);
	room(p, layout_height(l) + 40);
	flow(p, l, MARGIN_L, 0.2, 0x000000);
	g_object_unref(l);
	if (subtitle && subtitle[0]) {
		p->y += 4;
		l = layout(p, subtitle, "Noto Sans CJK SC", 10.5, 0, TEXT_W);
		pango_layout_set_alignment(l, PANGO_ALIGN_CENTER);
		flow(p, l, MARGIN_L, 0.2, 0x424242);
		g_object_unref(l);
	}
	/* The red rule under a government document's head (版头分隔线). */
	p->y += 8;
	cairo_set_line_width(p->cr, 1.2);
	set_rgb(p->cr, ZL_PDF_RED);
	cairo_move_to(p->cr, MARGIN_L, p->y);
	cairo_line_to(p->cr, PAGE_W - MARGIN_R, p->y);
	cairo_stroke(p->cr);
	p->y += 18;
}

void zl_pdf_heading(struct zl_pdf *p, int level, const char *text)
{
	double pt = level <= 1 ? 14 : 12;
	PangoLayout *l;

	if (p->err)
		return;
	if (p->in_table) {
		fail(p, ZL_EINVAL, "heading inside a table");
		return;
	}
	l = layout(p, text, level <= 1 ? "Noto Sans CJK SC" : "Noto Serif CJK SC", pt, 1, TEXT_W);
	p->y += p->page_empty ? 0 : pt * 0.8;
	/* Keep with the next three lines of body text. */
	room(p, layout_height(l) + 3 * BODY_PT * (1 + LEADING) * 1.4);
	flow(p, l, MARGIN_L, 0.3, level <= 1 ? ZL_PDF_BLUE : 0x212121);
	p->y += pt * 0.4;
	g_object_unref(l);
}

static void paragraph(struct zl_pdf *p, const char *text, double pt, unsigned rgb, int indent)
{
	PangoLayout *l;

	if (p->err)
		return;
	if (p->in_table) {
		fail(p, ZL_EINVAL, "text inside a table");
		return;
	}
	l = layout(p, text, indent ? "Noto Serif CJK SC" : "Noto Sans CJK SC", pt, 0, TEXT_W);
	if (indent)
		pango_layout_set_indent(l, (int)(2 * pt * PANGO_SCALE)); /* two characters */
	pango_layout_set_justify(l, TRUE);
	flow(p, l, MARGIN_L, indent ? LEADING : 0.25, rgb);
	p->y += pt * 0.5;
	g_object_unref(l);
}

void zl_pdf_text(struct zl_pdf *p, const char *text)
{
	paragraph(p, text, BODY_PT, 0x000000, 1);
}

void zl_pdf_note(struct zl_pdf *p, const char *text)
{
	paragraph(p, text, NOTE_PT, 0x616161, 0);
}

void zl_pdf_space(struct zl_pdf *p, double points)
{
	if (p->err || points <= 0)
		return;
	p->y += points;
	if (p->y > BOTTOM)
		new_page(p);
}

void zl_pdf_page_break(struct zl_pdf *p)
{
	if (!p->err && !p->page_empty)
		new_page(p);
}

/* ---- tables --------------------------------------------------------------- */

static PangoLayout *cell_layout(struct zl_pdf *p, size_t c, const char *text, int bold,
				double indent)
{
	PangoLayout *l = layout(p, text, "Noto Sans CJK SC", CELL_PT, bold,
				p->colw[c] - 2 * CELL_PAD - indent);

	pango_layout_set_alignment(l, p->cols[c].align == ZL_PDF_RIGHT	  ? PANGO_ALIGN_RIGHT
				      : p->cols[c].align == ZL_PDF_CENTER ? PANGO_ALIGN_CENTER
									  : PANGO_ALIGN_LEFT);
	pango_layout_set_height(l, -CELL_MAX_LINES);
	pango_layout_set_ellipsize(l, PANGO_ELLIPSIZE_END);
	return l;
}

/* One row of cells at p->y (the caller made room); returns its height. */
static double draw_row(struct zl_pdf *p, const char *const *cells, int header, unsigned mark)
{
	PangoLayout *l[MAX_COLS];
	double h = 0, x = MARGIN_L, indent = mark != ZL_PDF_NOCOLOR ? 10 : 0;
	size_t c;

	for (c = 0; c < p->ncols; c++) {
		l[c] = cell_layout(p, c, cells[c] ? cells[c] : "", header, c == 0 ? indent : 0);
		if (layout_height(l[c]) > h)
			h = layout_height(l[c]);
	}
	h += 2 * CELL_PAD;
	if (!header)
		room(p, h); /* may start a page, which draws the header first */
	if (header) {
		set_rgb(p->cr, 0xe8eef6);
		cairo_rectangle(p->cr, MARGIN_L, p->y, TEXT_W, h);
		cairo_fill(p->cr);
	}
	for (c = 0; c < p->ncols; c++) {
		double dx = c == 0 ? indent : 0;

		set_rgb(p->cr, 0x000000);
		cairo_move_to(p->cr, x + CELL_PAD + dx, p->y + CELL_PAD);
		pango_cairo_show_layout(p->cr, l[c]);
		g_object_unref(l[c]);
		x += p->colw[c];
	}
	if (mark != ZL_PDF_NOCOLOR) {
		set_rgb(p->cr, mark);
		/* Not joined by a line to the point the last cell's text left. */
		cairo_new_path(p->cr);
		cairo_arc(p->cr, MARGIN_L + CELL_PAD + 3.5, p->y + CELL_PAD + CELL_PT * 0.75, 3.5,
			  0, 2 * M_PI);
		cairo_fill(p->cr);
	}
	/* The grid: the row's box and its column separators. */
	cairo_set_line_width(p->cr, 0.5);
	set_rgb(p->cr, 0x9e9e9e);
	cairo_rectangle(p->cr, MARGIN_L, p->y, TEXT_W, h);
	x = MARGIN_L;
	for (c = 0; c + 1 < p->ncols; c++) {
		x += p->colw[c];
		cairo_move_to(p->cr, x, p->y);
		cairo_line_to(p->cr, x, p->y + h);
	}
	cairo_stroke(p->cr);
	p->y += h;
	p->page_empty = 0;
	return h;
}

static void table_header(struct zl_pdf *p)
{
	draw_row(p, (const char *const *)p->col_titles, 1, ZL_PDF_NOCOLOR);
}

void zl_pdf_table_begin(struct zl_pdf *p, const struct zl_pdf_col *cols, size_t ncols)
{
	double total = 0;
	size_t c;

	if (p->err)
		return;
	if (p->in_table) {
		fail(p, ZL_EINVAL, "a table inside a table");
		return;
	}
	if (ncols == 0 || ncols > MAX_COLS) {
		fail(p, ZL_EINVAL, "a table needs 1 to 16 columns");
		return;
	}
	for (c = 0; c < ncols; c++)
		total += cols[c].width > 0 ? cols[c].width : 0;
	for (c = 0; c < ncols; c++) {
		p->cols[c] = cols[c];
		p->col_titles[c] = strdup(cols[c].title ? cols[c].title : "");
		if (p->col_titles[c] == NULL) {
			p->ncols = c;
			{
				fail(p, ZL_ENOMEM, "out of memory");
				return;
			}
		}
		p->colw[c] = total > 0 ? TEXT_W * (cols[c].width > 0 ? cols[c].width : 0) / total
				       : TEXT_W / (double)ncols;
	}
	p->ncols = ncols;
	/* The header and at least two rows together. */
	room(p, 4 * (CELL_PT * 1.6 + 2 * CELL_PAD));
	p->in_table = 1;
	table_header(p);
}

void zl_pdf_table_row(struct zl_pdf *p, const char *const *cells, unsigned mark)
{
	if (p->err)
		return;
	if (!p->in_table) {
		fail(p, ZL_EINVAL, "a table row outside a table");
		return;
	}
	draw_row(p, cells, 0, mark);
}

void zl_pdf_table_end(struct zl_pdf *p)
{
	if (p->err)
		return;
	if (!p->in_table) {
		fail(p, ZL_EINVAL, "table end without a table");
		return;
	}
	p->in_table = 0;
	for (size_t c = 0; c < p->ncols; c++) {
		free(p->col_titles[c]);
		p->col_titles[c] = NULL;
	}
	p->y += BODY_PT;
}

/* ---- charts --------------------------------------------------------------- */

static void value_text(const struct zl_pdf_bar *b, char *out, size_t n)
{
	if (b->value_text)
		snprintf(out, n, "%s", b->value_text);
	else
		snprintf(out, n, "%.1f", b->value);
}

void zl_pdf_bars(struct zl_pdf *p, const char *caption, const struct zl_pdf_bar *bars, size_t n,
		 double max)
{
	const double row = 17, bar_h = 10, value_w = 64;
	double label_w = 0, x0, span;
	char v[320]; /* "%.1f" of the largest double */
	size_t i;

	if (p->err)
		return;
	if (p->in_table) {
		fail(p, ZL_EINVAL, "a chart inside a table");
		return;
	}
	if (max <= 0) {
		for (i = 0; i < n; i++) {
			double top = bars[i].has_interval && bars[i].hi > bars[i].value
					     ? bars[i].hi
					     : bars[i].value;
			if (isfinite(top) && top > max)
				max = top;
		}
		if (max <= 0)
			max = 1;
	}
	for (i = 0; i < n; i++) {
		PangoLayout *l = layout(p, bars[i].label, "Noto Sans CJK SC", CELL_PT, 0, -1);

		if (layout_width(l) > label_w)
			label_w = layout_width(l);
		g_object_unref(l);
	}
	if (label_w > TEXT_W * 0.35)
		label_w = TEXT_W * 0.35;
	x0 = MARGIN_L + label_w + 8;
	span = TEXT_W - label_w - 8 - value_w;
	if (caption && caption[0]) {
		PangoLayout *l = layout(p, caption, "Noto Sans CJK SC", 10, 1, TEXT_W);

		room(p, layout_height(l) + 3 * row);
		flow(p, l, MARGIN_L, 0.2, 0x212121);
		p->y += 4;
		g_object_unref(l);
	}
	for (i = 0; i < n; i++) {
		const struct zl_pdf_bar *b = &bars[i];
		double w = isfinite(b->value) && b->value > 0 ? span * fmin(b->value / max, 1) : 0;
		double cy, end;
		PangoLayout *l;

		room(p, row);
		cy = p->y + row / 2;
		l = layout(p, b->label, "Noto Sans CJK SC", CELL_PT, 0, label_w);
		pango_layout_set_ellipsize(l, PANGO_ELLIPSIZE_END);
		pango_layout_set_width(l, (int)(label_w * PANGO_SCALE));
		pango_layout_set_alignment(l, PANGO_ALIGN_RIGHT);
		set_rgb(p->cr, 0x212121);
		cairo_move_to(p->cr, MARGIN_L, cy - layout_height(l) / 2);
		pango_cairo_show_layout(p->cr, l);
		g_object_unref(l);
		set_rgb(p->cr, b->color == ZL_PDF_NOCOLOR ? ZL_PDF_BLUE : b->color);
		cairo_rectangle(p->cr, x0, cy - bar_h / 2, w, bar_h);
		cairo_fill(p->cr);
		end = x0 + w;
		if (b->has_interval && isfinite(b->lo) && isfinite(b->hi) && b->hi >= b->lo) {
			double lo = x0 + span * fmax(0, fmin(b->lo / max, 1));
			double hi = x0 + span * fmax(0, fmin(b->hi / max, 1));

			cairo_set_line_width(p->cr, 0.8);
			set_rgb(p->cr, 0x212121);
			cairo_move_to(p->cr, lo, cy);
			cairo_line_to(p->cr, hi, cy);
			cairo_move_to(p->cr, lo, cy - 3);
			cairo_line_to(p->cr, lo, cy + 3);
			cairo_move_to(p->cr, hi, cy - 3);
			cairo_line_to(p->cr, hi, cy + 3);
			cairo_stroke(p->cr);
			if (hi > end)
				end = hi;
		}
		value_text(b, v, sizeof(v));
		text_at(p, end + 4, cy - CELL_PT * 0.75, v, CELL_PT, 0x424242, ZL_PDF_LEFT,
			value_w);
		p->y += row;
		p->page_empty = 0;
	}
	/* The axis. */
	cairo_set_line_width(p->cr, 0.5);
	set_rgb(p->cr, 0x9e9e9e);
	cairo_move_to(p->cr, x0, p->y);
	cairo_line_to(p->cr, x0 + span, p->y);
	cairo_stroke(p->cr);
	for (i = 0; i <= 4; i++) {
		snprintf(v, sizeof(v), "%.4g", max * (double)i / 4);
		text_at(p, x0 + span * (double)i / 4 - 30, p->y + 2, v, 7.5, 0x757575,
			ZL_PDF_CENTER, 60);
	}
	p->y += 14 + BODY_PT;
}

int zl_pdf_pages(const struct zl_pdf *p)
{
	return p->page;
}

/* ---- the end -------------------------------------------------------------- */

int zl_pdf_finish(struct zl_pdf *p, struct zl_buf *out, struct zl_error *err)
{
	cairo_status_t st;
	int rc;

	if (p->in_table)
		fail(p, ZL_EINVAL, "a table was not ended");
	footer(p);
	cairo_show_page(p->cr);
	cairo_destroy(p->cr);
	p->cr = NULL;
	cairo_surface_finish(p->surface);
	st = cairo_surface_status(p->surface);
	if (st != CAIRO_STATUS_SUCCESS)
		fail(p, p->out.err == ZL_ETOOBIG ? ZL_ETOOBIG : ZL_EIO,
		     p->out.err ? "the PDF is too large" : cairo_status_to_string(st));
	if (p->out.err)
		fail(p, p->out.err, "the PDF is too large");
	if (p->err) {
		rc = zl_error_set(err, p->err, "pdf", "%s", p->errmsg);
	} else {
		zl_buf_add(out, p->out.data, p->out.len);
		rc = out->err ? zl_error_set(err, out->err, "pdf", "the PDF does not fit") : ZL_OK;
	}
	zl_pdf_free(p);
	return rc;
}

void zl_pdf_free(struct zl_pdf *p)
{
	if (p == NULL)
		return;
	if (p->cr)
		cairo_destroy(p->cr);
	if (p->surface)
		cairo_surface_destroy(p->surface);
	for (size_t c = 0; c < MAX_COLS; c++)
		free(p->col_titles[c]);
	zl_buf_release(&p->out);
	free(p->title);
	free(p->author);
	free(p->subject);
	free(p->footer);
	free(p->date);
	free(p);
}
