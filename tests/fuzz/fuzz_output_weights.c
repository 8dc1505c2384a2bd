/*
 * fuzz_output_weights.c - libFuzzer target for the output-weight row parser
 * (zl_sc_output_weight_parse, domain/scstats.h) that the weights upload runs
 * on every row of a CSV, xlsx or JSON file.
 *
 * The input is split on '\n' into rows and on ',' into up to four cells
 * (missing cells are empty).  Invariants: an accepted row has a year in
 * 1990..2100, a six-digit region, a manufacturing division 13..41 and a
 * finite output >= 0; a refused row names one of the four fields with a
 * reason.
 */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "domain/scstats.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1), *row, *next;

	if (text == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	for (row = text; row != NULL; row = next) {
		const char *cell[4] = {"", "", "", ""}, *field = NULL, *why = NULL;
		struct zl_sc_output_weight w;
		char *p = row;
		int rc;

		next = strchr(row, '\n');
		if (next != NULL)
			*next++ = '\0';
		for (int c = 0; c < 4 && p != NULL; c++) {
			char *comma = c < 3 ? strchr(p, ',') : NULL;
			cell[c] = p;
			if (comma != NULL)
				*comma++ = '\0';
			p = comma;
		}
		rc = zl_sc_output_weight_parse(cell[0], cell[1], cell[2], cell[3], &w, &field, &why);
		if (rc == 0) {
			if (w.year < 1990 || w.year > 2100 || strlen(w.region) != 6 ||
			    !zl_sc_manufacturing_division(w.division, NULL) || !isfinite(w.output) ||
			    w.output < 0)
				abort();
		} else if (rc != -1 || field == NULL || why == NULL ||
			   (strcmp(field, "year") && strcmp(field, "region") &&
			    strcmp(field, "division") && strcmp(field, "output"))) {
			abort();
		}
	}
	free(text);
	return 0;
}
