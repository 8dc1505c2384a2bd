/*
 * industry.c - lookups in the GB/T 4754-2017 sections and divisions table (industry.h).
 * Divisions are numbered 01-97 without gaps, so a division is found by direct index.
 */
#include "codes/industry.h"

#include <string.h>

#define ZL_IND_SECTION(letter, name, first, last, conf)
#define ZL_IND_DIVISION(code, sec, name, conf) {code, sec, name, conf},
static const struct zl_industry_division divisions[] = {
#include "codes/gbt4754_2017.def"
};
#undef ZL_IND_SECTION
#undef ZL_IND_DIVISION

#define ZL_IND_SECTION(letter, name, first, last, conf) {letter, name, first, last, conf},
#define ZL_IND_DIVISION(code, sec, name, conf)
static const struct zl_industry_section sections[] = {
#include "codes/gbt4754_2017.def"
};
#undef ZL_IND_SECTION
#undef ZL_IND_DIVISION

#define NDIV (sizeof(divisions) / sizeof(divisions[0]))
#define NSEC (sizeof(sections) / sizeof(sections[0]))

/* The direct index below relies on divisions 01..97 in order. */
_Static_assert(NDIV == 97, "GB/T 4754-2017 has 97 divisions");
_Static_assert(NSEC == 20, "GB/T 4754-2017 has 20 sections");

const char *zl_industry_edition(void)
{
	return "GB/T 4754-2017";
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

const struct zl_industry_division *zl_industry_find(const char *code)
{
	const struct zl_industry_division *d;
	const char *p = code;
	char letter = 0;
	size_t n;
	int num;

	if (!code)
		return NULL;
	if (*p >= 'A' && *p <= 'Z')
		letter = *p++;
	n = strlen(p);
	/* 2 digits = division, 3 = group, 4 = class. */
	if (n < 2 || n > 4)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		if (!is_digit(p[i]))
			return NULL;
	}
	num = (p[0] - '0') * 10 + (p[1] - '0');
	if (num < 1 || num > (int)NDIV)
		return NULL;
	d = &divisions[num - 1];
	if (letter && letter != d->section)
		return NULL;
	return d;
}

const struct zl_industry_section *zl_industry_section(char letter)
{
	if (letter < 'A' || letter > 'T')
		return NULL;
	return &sections[letter - 'A'];
}

const struct zl_industry_section *zl_industry_section_of(const struct zl_industry_division *d)
{
	return d ? zl_industry_section(d->section) : NULL;
}

int zl_industry_is_manufacturing(const char *code)
{
	const struct zl_industry_division *d = zl_industry_find(code);

	return d && d->section == 'C';
}

size_t zl_industry_division_count(void)
{
	return NDIV;
}

const struct zl_industry_division *zl_industry_division_at(size_t i)
{
	return i < NDIV ? &divisions[i] : NULL;
}

size_t zl_industry_section_count(void)
{
	return NSEC;
}

const struct zl_industry_section *zl_industry_section_at(size_t i)
{
	return i < NSEC ? &sections[i] : NULL;
}
