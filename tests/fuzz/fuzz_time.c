/*
 * fuzz_time.c - libFuzzer target for the RFC 3339 and date parsers.
 *
 * Invariants: an accepted date-time with a four-digit UTC year formats
 * (with microseconds) and parses back to the same instant; an accepted
 * date formats back to exactly the input text.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/timeutil.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char text[64], out[32], date[16];
	int64_t t, t2, d;

	if (size >= sizeof(text))
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (zl_time_parse_rfc3339(text, &t) == ZL_OK) {
		/* 0000-01-01T00:00:00Z .. 9999-12-31T23:59:59.999999Z */
		if (t >= INT64_C(-62167219200) * 1000000 &&
		    t <= INT64_C(253402300799) * 1000000 + 999999) {
			zl_time_format_rfc3339_us(t, out);
			if (zl_time_parse_rfc3339(out, &t2) != ZL_OK || t2 != t)
				abort();
		}
		zl_time_format_shanghai(t, out);
		zl_time_format_rfc3339(t, out);
	}
	if (zl_date_parse(text, &d) == ZL_OK) {
		zl_date_format(d, date);
		if (strcmp(date, text) != 0)
			abort();
	}
	return 0;
}
