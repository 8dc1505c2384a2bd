/*
 * fuzz_csvr.c - libFuzzer target for the CSV reader (core/csvr.h).
 *
 * The first byte picks the delimiter (auto, comma, TAB, semicolon) and the
 * source (buffer or FILE stream through fmemopen); the rest is the input.
 * Invariants: every record has at least one cell; the reader consumes
 * exactly the input when it reaches the end; buffer and stream readings of
 * the same input yield the same cells.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/csvr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void digest(struct zl_csvr *r, struct zl_buf *out, int *rc_out)
{
	const char *const *cells;
	struct zl_error e = ZL_ERROR_INIT;
	size_t n;
	int rc;

	while ((rc = zl_csvr_next(r, &cells, &n, &e)) == 1) {
		if (n < 1)
			abort();
		for (size_t i = 0; i < n; i++) {
			zl_buf_adds(out, cells[i]);
			zl_buf_addch(out, '\x1f');
		}
		zl_buf_addch(out, '\x1e');
	}
	*rc_out = rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char delims[] = {ZL_CSVR_DELIM_AUTO, ',', '\t', ';'};
	struct zl_buf a = ZL_BUF_INIT(1 << 26), b = ZL_BUF_INIT(1 << 26);
	struct zl_error e = ZL_ERROR_INIT;
	struct zl_csvr r;
	char delim;
	int rca, rcb;
	FILE *f;

	if (size < 1)
		return 0;
	delim = delims[data[0] & 3];
	data++, size--;

	if (zl_csvr_init_buf(&r, (const char *)data, size, delim, &e) != ZL_OK)
		abort();
	digest(&r, &a, &rca);
	if (rca == 0 && zl_csvr_consumed(&r) != size)
		abort();
	zl_csvr_release(&r);

	f = size ? fmemopen((void *)data, size, "rb") : NULL;
	if (f) {
		if (zl_csvr_init_file(&r, f, delim, &e) == ZL_OK) {
			digest(&r, &b, &rcb);
			if (rca != rcb || a.len != b.len || (a.len && memcmp(a.data, b.data, a.len)))
				abort();
		}
		zl_csvr_release(&r);
		fclose(f);
	}
	zl_buf_release(&a);
	zl_buf_release(&b);
	return 0;
}
