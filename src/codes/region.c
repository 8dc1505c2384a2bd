/*
 * region.c - lookups over the dated GB/T 2260 table of Henan (see region.h).
 * The table is small (a few hundred rows) and sorted, so a binary search for the first
 * row of a code followed by a scan over that code's periods is all that is needed.
 */
#include "codes/region.h"

#include <string.h>

static const struct zl_region regions[] = {
#define ZL_REGION(code, name, level, from, to, conf) {code, name, level, from, to, conf},
#include "codes/region_henan.def"
#undef ZL_REGION
};

#define NREGIONS (sizeof(regions) / sizeof(regions[0]))

static const struct zl_region_direct directs[] = {
#define ZL_DIRECT_ADMIN(code, from, to, conf) {code, from, to, conf},
#include "codes/region_henan_direct.def"
#undef ZL_DIRECT_ADMIN
};

#define NDIRECTS (sizeof(directs) / sizeof(directs[0]))

int zl_region_code_parse(const char *s, size_t n)
{
	int v = 0;

	if (!s || n != 6)
		return -1;
	for (size_t i = 0; i < 6; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

static int period_holds(int from, int to, int date)
{
	return from <= date && (to == 0 || date < to);
}

/* Index of the first row with this code, or NREGIONS. */
static size_t first_row(int code)
{
	size_t lo = 0, hi = NREGIONS;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (regions[mid].code < code)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

int zl_region_in_force(const struct zl_region *r, int date)
{
	if (date != ZL_REGION_LATEST)
		return period_holds(r->valid_from, r->valid_to, date);
	/* The latest row is the last of its code (rows are sorted by valid_from). */
	return r + 1 == regions + NREGIONS || r[1].code != r->code;
}

const struct zl_region *zl_region_find_int(int code, int date)
{
	for (size_t i = first_row(code); i < NREGIONS && regions[i].code == code; i++) {
		if (zl_region_in_force(&regions[i], date))
			return &regions[i];
	}
	return NULL;
}

const struct zl_region *zl_region_find(const char code[6], int date)
{
	int c = zl_region_code_parse(code, 6);

	return c < 0 ? NULL : zl_region_find_int(c, date);
}

const struct zl_region *zl_region_find_name(const char *name, int date)
{
	for (size_t i = 0; i < NREGIONS; i++) {
		if (!strcmp(regions[i].name, name) && zl_region_in_force(&regions[i], date))
			return &regions[i];
	}
	return NULL;
}

const struct zl_region *zl_region_parent(const struct zl_region *r, int date)
{
	const struct zl_region *p = NULL;

	switch (r->level) {
	case ZL_REGION_PROVINCE:
		return NULL;
	case ZL_REGION_CITY:
		return zl_region_find_int(r->code / 10000 * 10000, date);
	case ZL_REGION_COUNTY:
		p = zl_region_find_int(r->code / 100 * 100, date);
		return p ? p : zl_region_find_int(r->code / 10000 * 10000, date);
	}
	return NULL;
}

int zl_region_is_ancestor(const char ancestor[6], const char code[6], int date)
{
	int a = zl_region_code_parse(ancestor, 6);
	const struct zl_region *r = zl_region_find(code, date);

	if (a < 0 || !r || !zl_region_find_int(a, date))
		return 0;
	/* Depth is at most three; the bound guards against a cycle in bad data. */
	for (int depth = 0; r && depth < 4; depth++) {
		if (r->code == a)
			return 1;
		r = zl_region_parent(r, date);
	}
	return 0;
}

int zl_region_is_provincial_city(const struct zl_region *r)
{
	if (r->level == ZL_REGION_CITY)
		return r->code != 419000;
	/* 419001 meant 义马市 before 1995; only the 济源 period counts. */
	return r->code == 419001 && r->valid_from >= 19970101;
}

size_t zl_region_count(void)
{
	return NREGIONS;
}

const struct zl_region *zl_region_at(size_t i)
{
	return i < NREGIONS ? &regions[i] : NULL;
}

const struct zl_region_direct *zl_region_direct_find(const char code[6], int date)
{
	int c = zl_region_code_parse(code, 6);

	if (c < 0 || !zl_region_find_int(c, date))
		return NULL;
	for (size_t i = 0; i < NDIRECTS; i++) {
		if (directs[i].code != c)
			continue;
		if (date == ZL_REGION_LATEST ||
		    period_holds(directs[i].valid_from, directs[i].valid_to, date))
			return &directs[i];
	}
	return NULL;
}

int zl_region_direct_admin(const char code[6], int date)
{
	return zl_region_direct_find(code, date) != NULL;
}

size_t zl_region_direct_count(void)
{
	return NDIRECTS;
}

const struct zl_region_direct *zl_region_direct_at(size_t i)
{
	return i < NDIRECTS ? &directs[i] : NULL;
}
