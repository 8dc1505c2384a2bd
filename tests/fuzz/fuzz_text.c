/*
 * fuzz_text.c - libFuzzer target for encoding detection, conversion to
 * UTF-8, full-width folding and UTF-8 validation.
 *
 * Invariants: a successful conversion yields valid UTF-8; folding valid
 * UTF-8 yields valid UTF-8 that is no longer than the input; a failed
 * conversion leaves the output buffer as it was.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	struct zl_buf out = ZL_BUF_INIT(1 << 24), folded = ZL_BUF_INIT(1 << 24);
	struct zl_error e = ZL_ERROR_INIT;
	enum zl_encoding enc = zl_text_detect(s, size);
	int valid = zl_utf8_valid(s, size), i;

	if (valid != (zl_utf8_invalid_at(s, size) == size))
		abort();
	if (zl_text_to_utf8(s, size, enc, &out, &e) == ZL_OK) {
		if (!zl_utf8_valid(out.data ? out.data : "", out.len))
			abort();
		if (zl_text_fold_fullwidth(zl_buf_str(&out), out.len, &folded) != ZL_OK)
			abort();
		if (!zl_utf8_valid(zl_buf_str(&folded), folded.len) || folded.len > out.len)
			abort();
	} else if (out.len != 0 || !e.message[0]) {
		abort();
	}
	/* Every encoding on every input: must not crash, must roll back on failure. */
	for (i = ZL_ENC_UTF8; i <= ZL_ENC_GB18030; i++) {
		zl_buf_reset(&out);
		zl_buf_adds(&out, "x");
		if (zl_text_to_utf8(s, size, (enum zl_encoding)i, &out, &e) != ZL_OK &&
		    out.len != 1)
			abort();
	}
	zl_buf_reset(&folded);
	zl_text_fold_fullwidth(s, size, &folded);
	zl_buf_release(&out);
	zl_buf_release(&folded);
	return 0;
}
