/*
 * catalogue.h - the rules of the key-product catalogue (重点监管产品目录,
 * docs/spotchecks.md): what a product category is - code, name, parent,
 * GB/T 4754-2017 industries, risk level Ⅰ/Ⅱ/Ⅲ, key-supervised years,
 * applicable standards and test items with limits and severity - and the
 * check of one category as a client or the seed writes it, before the store
 * compares it with the rest of the catalogue (parents, cycles, children).
 *
 * Risk levels follow the two-dimensional model of classified supervision
 * (DOMAIN.md section 4, "企业分类 + 产品分级"): Ⅰ 高风险, Ⅱ 较高风险, Ⅲ 一般风险,
 * written "I", "II", "III" in JSON.  A test item's failure is "serious"
 * (严重不合格) or "general" (一般不合格).
 *
 * Pure: no I/O.  Strings are borrowed from the caller; nothing is retained.
 */
#ifndef ZL_DOMAIN_CATALOGUE_H
#define ZL_DOMAIN_CATALOGUE_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

/* Limits, in characters (Unicode code points) unless said otherwise. */
#define ZL_CAT_CODE_MAX 16 /* bytes: [0-9A-Z], at least 2 */
#define ZL_CAT_NAME_MAX 100
#define ZL_CAT_NOTE_MAX 1000
#define ZL_CAT_INDUSTRIES_MAX 10
#define ZL_CAT_STANDARDS_MAX 50
#define ZL_CAT_ITEMS_MAX 200
#define ZL_CAT_STD_NUMBER_MAX 40 /* bytes */
#define ZL_CAT_STD_TITLE_MAX 200
#define ZL_CAT_ITEM_NAME_MAX 100
#define ZL_CAT_UNIT_MAX 20
#define ZL_CAT_TEXT_MAX 200   /* a limit in words, a method */
#define ZL_CAT_DEPTH_MAX 4    /* levels of the tree, a family being 1 */
#define ZL_CAT_LIMIT_MAX 1e12 /* |min|, |max| */
#define ZL_CAT_YEAR_MIN 1949
#define ZL_CAT_YEAR_MAX 2100

enum zl_risk { ZL_RISK_I = 1, ZL_RISK_II = 2, ZL_RISK_III = 3 };
#define ZL_RISKS 3

/* "I", "II", "III" for 1..3, NULL otherwise. */
const char *zl_risk_name(int risk);
/* "Ⅰ", "Ⅱ", "Ⅲ" for 1..3 (exports, messages), NULL otherwise. */
const char *zl_risk_zh(int risk);
/* "I" | "II" | "III" (also the Roman numerals Ⅰ Ⅱ Ⅲ) into *risk; ZL_EUNPROC otherwise. */
int zl_risk_parse(const char *s, int *risk);

/* "serious" -> "严重", "general" -> "一般"; NULL for anything else. */
const char *zl_severity_zh(const char *severity);

/* A category code: 2..ZL_CAT_CODE_MAX bytes of 0-9 and A-Z. */
int zl_cat_code_valid(const char *code);

/* A standard that applies: {"number":"GB 175","year":2007,"title":"通用硅酸盐水泥"}. */
struct zl_cat_std_in {
	const char *number; /* "GB 175", "GB/T 5023.1": letters, '/', a space, digits and dots */
	int year;	    /* the edition, 0 unknown */
	const char *title;  /* required */
};

/* A test item and its limit. */
struct zl_cat_item_in {
	const char *name; /* required */
	const char *unit; /* NULL or "" */
	int has_min, has_max;
	double min, max;      /* at least one of min, max, text; min <= max */
	const char *text;     /* the limit in words ("沸煮法合格", "≥3-4级") */
	const char *method;   /* test-method standard, NULL or "" */
	const char *severity; /* "serious" | "general" (required) */
};

/* One category as written by a client or the seed. */
struct zl_cat_in {
	const char *code;   /* required, zl_cat_code_valid */
	const char *parent; /* NULL or "": a family at the top of the tree */
	const char *name;   /* required */
	int risk;	    /* 1..3, required */
	int key_supervised; /* 0 | 1 */
	int key_from;	    /* first year key-supervised: required when key_supervised */
	int key_to;	    /* last year, inclusive; 0 = open (only with key_supervised) */
	const char *note;
	const char *const *industries; /* GB/T 4754-2017 codes (codes/industry.h), unique */
	size_t nindustries;
	const struct zl_cat_std_in *standards;
	size_t nstandards;
	const struct zl_cat_item_in *items;
	size_t nitems;
};

/*
 * Check one category without the rest of the catalogue: required members,
 * the code's form, lengths, valid UTF-8, the risk, the key-supervised years
 * (key_from <= key_to; none without the flag), industries known to
 * GB/T 4754-2017 and not repeated, standard numbers (their year in `year`,
 * not in the number) not repeated, items with a limit, min <= max, known
 * severity, and the counts above.  Returns ZL_OK or ZL_EUNPROC naming the
 * first bad field as the JSON writes it ("items[3].max", "standards[0].number").
 */
int zl_cat_in_check(const struct zl_cat_in *in, struct zl_error *err);

/* Is the category key-supervised in `year` (key_from <= year <= key_to, or open)? */
int zl_cat_key_in(int key_supervised, int key_from, int key_to, int year);

#endif /* ZL_DOMAIN_CATALOGUE_H */
