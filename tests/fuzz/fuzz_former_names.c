/*
 * fuzz_former_names.c - libFuzzer target for the splitting of a former-name
 * (曾用名) cell by the import engine (zl_import_former_names, store/import.h).
 *
 * The input is the cell (cut at its first NUL).  Invariants: a refusal is
 * ZL_EUNPROC naming field "former_name"; an accepted cell yields names
 * separated by '\n', each non-empty, valid UTF-8 of 2 to 200 characters and
 * at most 255 bytes without control characters or separators, not starting
 * or ending with a space; splitting the output again gives it back
 * unchanged.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/text.h"
#include "store/import.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_name(const char *s, size_t n)
{
	size_t chars = 0;

	if (n == 0 || n > 255 || s[0] == ' ' || s[n - 1] == ' ')
		abort();
	for (size_t i = 0; i < n; chars++) {
		uint32_t cp;
		size_t k = zl_utf8_decode(s + i, n - i, &cp);

		if (k == 0 || cp < 0x20 || cp == 0x7F || cp == ';' || cp == '/' || cp == 0xFF1B ||
		    cp == 0x3001)
			abort();
		i += k;
	}
	if (chars < 2 || chars > 200)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct zl_buf out = ZL_BUF_INIT(1 << 20), again = ZL_BUF_INIT(1 << 20);
	struct zl_error err = ZL_ERROR_INIT;
	char *cell = malloc(size + 1);
	int rc;

	if (!cell)
		return 0;
	memcpy(cell, data, size);
	cell[size] = '\0';
	rc = zl_import_former_names(cell, &out, &err);
	if (rc != ZL_OK) {
		if (rc != ZL_EUNPROC || strcmp(err.field, "former_name") != 0)
			abort();
		goto done;
	}
	for (const char *p = zl_buf_str(&out); *p;) {
		size_t n = strcspn(p, "\n");

		check_name(p, n);
		p += n + (p[n] == '\n');
	}
	if (zl_import_former_names(zl_buf_str(&out), &again, &err) != ZL_OK ||
	    again.len != out.len || memcmp(zl_buf_str(&again), zl_buf_str(&out), out.len) != 0)
		abort();
done:
	zl_buf_release(&out);
	zl_buf_release(&again);
	free(cell);
	return 0;
}
