/*
 * industry.h - GB/T 4754-2017 industry classification (国民经济行业分类): the 20 sections
 * (门类, A-T) and 97 divisions (大类, 01-97), from the table gbt4754_2017.def.
 *
 * Codes in data are written section letter + division + group + class ("C3611"); this
 * table holds sections and divisions only, so finer codes are resolved to their division
 * without validating the group/class digits.  A code is meaningless without its edition:
 * store zl_industry_edition() beside every code (2011-edition data exist in 2014 files).
 * Pure functions over immutable tables; returned pointers are static.
 */
#ifndef ZL_CODES_INDUSTRY_H
#define ZL_CODES_INDUSTRY_H

#include <stddef.h>

struct zl_industry_section {
	char letter;	  /* 'C' */
	const char *name; /* "制造业" */
	int first;	  /* first division number, 13 */
	int last;	  /* last division number, 43 */
	int confirmed;
};

struct zl_industry_division {
	char code[3];	  /* "13" */
	char section;	  /* 'C' */
	const char *name; /* "农副食品加工业" */
	int confirmed;
};

/* "GB/T 4754-2017". */
const char *zl_industry_edition(void);

/*
 * The division named by `code` (NUL-terminated): "13", "C13", or a finer code "C1311" /
 * "1311" (first two digits; group/class digits must be digits but are not looked up).
 * A leading section letter must be uppercase and match the division's section.
 * Returns NULL for anything else.
 */
const struct zl_industry_division *zl_industry_find(const char *code);

/* Section by letter ('A'-'T', uppercase), or NULL. */
const struct zl_industry_section *zl_industry_section(char letter);
/* The section of a division. */
const struct zl_industry_section *zl_industry_section_of(const struct zl_industry_division *d);
/* 1 if `code` (as for zl_industry_find) is in section C 制造业, else 0. */
int zl_industry_is_manufacturing(const char *code);

/* Iteration in code order. */
size_t zl_industry_division_count(void);
const struct zl_industry_division *zl_industry_division_at(size_t i);
size_t zl_industry_section_count(void);
const struct zl_industry_section *zl_industry_section_at(size_t i);

#endif /* ZL_CODES_INDUSTRY_H */
