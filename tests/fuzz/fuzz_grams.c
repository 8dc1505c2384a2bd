/*
 * fuzz_grams.c - libFuzzer target for the name-gram splitter shared by the
 * enterprise register and name search (domain/grams.h).
 *
 * Invariants: at most `max` grams, pairwise distinct, each valid UTF-8 of
 * two or three kept characters (one only when the whole name keeps exactly
 * one), each its own last gram when split again (normalisation is
 * idempotent); a name that keeps n >= 2 characters yields at least one
 * gram, and one that keeps none yields none; a smaller `max` yields a
 * prefix of the full list.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "domain/grams.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char grams[ZL_NAME_GRAMS_MAX][ZL_GRAM_SIZE];
static char few[3][ZL_GRAM_SIZE];
static char again[ZL_NAME_GRAMS_MAX][ZL_GRAM_SIZE];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	size_t n, i, j, chars, kept, m, k;

	if (size > 4096)
		return 0;
	kept = zl_gram_len(s, size);
	n = zl_name_grams(s, size, grams, ZL_NAME_GRAMS_MAX);
	if (n > ZL_NAME_GRAMS_MAX)
		abort();
	if ((kept == 0) != (n == 0))
		abort();
	for (i = 0; i < n; i++) {
		size_t len = strlen(grams[i]);

		if (len == 0 || len >= ZL_GRAM_SIZE || !zl_utf8_valid(grams[i], len))
			abort();
		chars = zl_gram_len(grams[i], len);
		if (kept == 1 ? chars != 1 : (chars != 2 && chars != 3))
			abort();
		for (j = 0; j < i; j++)
			if (strcmp(grams[i], grams[j]) == 0)
				abort();
		if (chars >= 2) {
			m = zl_name_grams(grams[i], len, again, ZL_NAME_GRAMS_MAX);
			if (m == 0 || strcmp(again[m - 1], grams[i]) != 0)
				abort();
		}
	}
	m = zl_name_grams(s, size, few, 3);
	if (m != (n < 3 ? n : 3))
		abort();
	for (k = 0; k < m; k++)
		if (strcmp(few[k], grams[k]) != 0)
			abort();
	return 0;
}
