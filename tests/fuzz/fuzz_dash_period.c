/*
 * fuzz_dash_period.c - libFuzzer target for the dashboard's quarter and year
 * parsers (domain/dash_period.h).
 *
 * Invariants: an accepted quarter writes back to exactly the input text and
 * its first day sorts before the first day after it; an accepted year is
 * its four digits.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/dash_period.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char text[32], back[32], a[16], b[16];
	int y, q;

	if (size >= sizeof(text))
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (zl_dash_quarter_parse(text, &y, &q) == 0) {
		snprintf(back, sizeof(back), "%04dQ%d", y, q);
		if (strcmp(back, text) != 0 || q < 1 || q > 4)
			abort();
		zl_dash_quarter_day(y, q, 0, a);
		zl_dash_quarter_day(y, q, 1, b);
		if (strcmp(a, b) >= 0)
			abort();
	}
	if (zl_dash_year_parse(text, &y) == 0) {
		snprintf(back, sizeof(back), "%04d", y);
		if (strcmp(back, text) != 0)
			abort();
	}
	return 0;
}
