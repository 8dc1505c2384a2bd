/*
 * xlsr.c - the .xls reader of xlsr.h over freexl's cell API.
 */
#include <freexl.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/xlsr.h"

struct zl_xlsr {
	const void *h;
	unsigned int rows;
	unsigned short cols;
	unsigned int next; /* 0-based row to read next */
	uint64_t row;
	struct zl_buf text;
	size_t *offs;
	const char **cells;
};

int zl_xlsr_open(const char *path, struct zl_xlsr **out, struct zl_error *err)
{
	struct zl_xlsr *x = calloc(1, sizeof(*x));
	int rc;

	*out = NULL;
	if (!x)
		return zl_error_set(err, ZL_ENOMEM, "", "out of memory");
	zl_buf_init(&x->text, 64u << 20);
	rc = freexl_open(path, &x->h);
	if (rc != FREEXL_OK) {
		x->h = NULL;
		zl_xlsr_close(x);
		return zl_error_set(err, rc == FREEXL_FILE_NOT_FOUND ? ZL_EIO : ZL_EMEDIA, "",
				    "%s: not a readable .xls workbook (freexl error %d)", path, rc);
	}
	if (freexl_select_active_worksheet(x->h, 0) != FREEXL_OK ||
	    freexl_worksheet_dimensions(x->h, &x->rows, &x->cols) != FREEXL_OK) {
		zl_xlsr_close(x);
		return zl_error_set(err, ZL_EMEDIA, "", "%s: the .xls workbook has no worksheet",
				    path);
	}
	x->offs = calloc((size_t)x->cols + 1, sizeof(*x->offs));
	x->cells = calloc((size_t)x->cols + 1, sizeof(*x->cells));
	if (!x->offs || !x->cells) {
		zl_xlsr_close(x);
		return zl_error_set(err, ZL_ENOMEM, "", "out of memory");
	}
	*out = x;
	return ZL_OK;
}

int zl_xlsr_next(struct zl_xlsr *x, const char *const **cells, size_t *ncells, struct zl_error *err)
{
	*cells = NULL;
	*ncells = 0;
	while (x->next < x->rows) {
		unsigned int r = x->next++;
		size_t last = 0;
		int any = 0;

		zl_buf_reset(&x->text);
		for (unsigned short c = 0; c < x->cols; c++) {
			FreeXL_CellValue v;
			x->offs[c] = x->text.len;
			if (freexl_get_cell_value(x->h, r, c, &v) == FREEXL_OK) {
				switch (v.type) {
				case FREEXL_CELL_INT:
					zl_buf_addf(&x->text, "%d", v.value.int_value);
					break;
				case FREEXL_CELL_DOUBLE:
					zl_buf_addf(&x->text, "%.15g", v.value.double_value);
					break;
				case FREEXL_CELL_TEXT:
				case FREEXL_CELL_SST_TEXT:
				case FREEXL_CELL_DATE:
				case FREEXL_CELL_DATETIME:
				case FREEXL_CELL_TIME:
					if (v.value.text_value)
						zl_buf_adds(&x->text, v.value.text_value);
					break;
				default:
					break;
				}
			}
			if (x->text.len > x->offs[c]) {
				any = 1;
				last = (size_t)c + 1;
			}
			zl_buf_addch(&x->text, '\0');
		}
		if (x->text.err)
			return zl_error_set(err, ZL_ETOOBIG, "", "row %u of the .xls is too large",
					    r + 1);
		if (!any)
			continue;
		for (size_t c = 0; c < last; c++)
			x->cells[c] = x->text.data + x->offs[c];
		x->row = (uint64_t)r + 1;
		*cells = x->cells;
		*ncells = last;
		return 1;
	}
	return 0;
}

uint64_t zl_xlsr_row(const struct zl_xlsr *x)
{
	return x->row;
}

void zl_xlsr_progress(const struct zl_xlsr *x, uint64_t *done, uint64_t *total)
{
	*done = x->next;
	*total = x->rows;
}

void zl_xlsr_close(struct zl_xlsr *x)
{
	if (!x)
		return;
	if (x->h)
		freexl_close(x->h);
	zl_buf_release(&x->text);
	free(x->offs);
	free((void *)x->cells);
	free(x);
}
