/*
 * fuzz_xlsxr.c - libFuzzer target for the xlsx reader (core/xlsxr.h): the
 * input is handed to libzip as a buffer (zl_xlsxr_open_buffer), then every
 * row is read; then the same for the sheet numbered by the input's last
 * byte (zl_xlsxr_open_buffer_sheet), which also has a name.  Invariants: no crash, no leak, every cell of every returned
 * row is a string within the row limit; a date serial that converts gives
 * exactly YYYY-MM-DD.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/xlsxr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct zl_error e = ZL_ERROR_INIT;
	struct zl_xlsxr *x;
	const char *const *cells;
	size_t n, rows = 0;
	char d[11];

	if (zl_xlsxr_open_buffer(data, size, &x, &e) != ZL_OK)
		return 0;
	while (zl_xlsxr_next(x, &cells, &n, &e) == 1 && rows++ < 100000)
		for (size_t i = 0; i < n; i++)
			if (!cells[i] || strlen(cells[i]) > (16u << 20))
				abort();
	zl_xlsxr_close(x);
	if (size && zl_xlsxr_open_buffer_sheet(data, size, data[size - 1] % 8, &x, &e) == ZL_OK) {
		if (!zl_xlsxr_sheet_name(x))
			abort();
		rows = 0;
		while (zl_xlsxr_next(x, &cells, &n, &e) == 1 && rows++ < 100000)
			for (size_t i = 0; i < n; i++)
				if (!cells[i])
					abort();
		zl_xlsxr_close(x);
	}
	if (size >= 8) {
		double v;
		memcpy(&v, data, sizeof(v));
		if (zl_excel_serial_date(v, data[0] & 1, d) == 0 && strlen(d) != 10)
			abort();
	}
	return 0;
}
