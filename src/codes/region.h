/*
 * region.h - GB/T 2260 administrative division codes for Henan, with validity dates, and
 * the dated "directly administered county" (省直管县) flag.
 *
 * The data are the immutable tables region_henan.def and region_henan_direct.def (sources
 * and precision documented there).  Codes are versioned: one row per (code, name, period),
 * and a code may be reused for another unit in a later period.  Dates are ints YYYYMMDD
 * (20140101); a row is in force on `date` when valid_from <= date < valid_to (valid_to 0 =
 * open).  Every lookup that takes a date also accepts ZL_REGION_LATEST (0), meaning "the
 * most recent row of that code, whether or not still in force".
 *
 * Hierarchy: a county-level code's parent is its prefecture-level city (code with the last
 * two digits 00) in force on that date; the 4190xx county-level cities (济源 419001) have
 * 419000 (省直辖县级行政区划) as parent, and 419000 and the cities have the province 410000.
 * 省直管 does not change the parent: 兰考 410225 stays under 开封 410200.
 * All functions are pure; returned pointers point into the static tables (never free them).
 */
#ifndef ZL_CODES_REGION_H
#define ZL_CODES_REGION_H

#include <stddef.h>

#define ZL_REGION_LATEST 0

enum zl_region_level { ZL_REGION_PROVINCE = 1, ZL_REGION_CITY = 2, ZL_REGION_COUNTY = 3 };

struct zl_region {
	int code;	  /* 410100 */
	const char *name; /* "郑州市", UTF-8 */
	int level;	  /* enum zl_region_level */
	int valid_from;	  /* YYYYMMDD, inclusive */
	int valid_to;	  /* YYYYMMDD, exclusive; 0 = still in force */
	int confirmed;	  /* 0: not in the source (see region_henan.def) */
};

struct zl_region_direct {
	int code;
	int valid_from;
	int valid_to;  /* 0 = open */
	int confirmed; /* 0: the open end is not confirmed (固始, 鹿邑, 新蔡) */
};

/* Parse exactly 6 ASCII digits; returns the code or -1. */
int zl_region_code_parse(const char *s, size_t n);

/* Is `r` in force on `date` (ZL_REGION_LATEST: is it the latest row of its code)? */
int zl_region_in_force(const struct zl_region *r, int date);

/*
 * The row of `code` (6 digits, not necessarily NUL-terminated) in force on `date`, or NULL
 * (unknown code, not in force that day, or malformed code).
 */
const struct zl_region *zl_region_find(const char code[6], int date);
const struct zl_region *zl_region_find_int(int code, int date);

/*
 * The first row whose name equals `name` (UTF-8, NUL-terminated) and that is in force on
 * `date`, or NULL.  Names are not unique over time (and 郊区 recurs), so prefer codes.
 */
const struct zl_region *zl_region_find_name(const char *name, int date);

/* Parent of `r` in force on `date` (see the file comment), or NULL for the province. */
const struct zl_region *zl_region_parent(const struct zl_region *r, int date);

/*
 * 1 if `code` is `ancestor` itself or lies beneath it on `date` (subtree test), else 0.
 * 0 also when either code is not in force on that date.
 */
int zl_region_is_ancestor(const char ancestor[6], const char code[6], int date);

/* One of Henan's 18 city-level units (17 prefecture-level cities + 济源 419001)? */
int zl_region_is_provincial_city(const struct zl_region *r);

/* Iterate all rows (sorted by code, then valid_from): count and row i (NULL past the end). */
size_t zl_region_count(void);
const struct zl_region *zl_region_at(size_t i);

/*
 * 1 if `code` is a directly administered county (省直管县) on `date` and the code is in force
 * then, else 0.  zl_region_direct_find() returns the flag row (to read `confirmed`) or NULL.
 */
int zl_region_direct_admin(const char code[6], int date);
const struct zl_region_direct *zl_region_direct_find(const char code[6], int date);
size_t zl_region_direct_count(void);
const struct zl_region_direct *zl_region_direct_at(size_t i);

#endif /* ZL_CODES_REGION_H */
