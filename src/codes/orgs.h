/*
 * orgs.h - the organization tree's reference data: the dated government organizations
 * derived from the GB/T 2260 table (region.h), the non-government organizations of
 * orgs_henan.def, and the rules for organization codes (docs/orgs.md).
 *
 * Government organizations are not listed anywhere: each GB/T 2260 row of Henan yields one
 * organization row (the province 410000, the 18 cities - 17 prefecture-level cities and 济源
 * 419001 - and the counties/districts), named "<region>人民政府" (districts "<city><district>
 * 人民政府").  Their parent is the province for cities, and the city for counties - except a
 * directly administered county (省直管县, region_henan_direct.def) while its flag is in
 * force: then its parent in the organization tree is the province, though its region code
 * stays under the city.  So 兰考县人民政府 410225 has two rows: under 开封 410200 until
 * 2013-12-31, under 410000 from 2014-01-01.  419000 (a grouping code) yields no row.
 *
 * Dates are ints YYYYMMDD, valid_to exclusive and 0 for open, as in region.h.  Everything
 * here is pure; returned pointers point into static tables or the caller's buffers.
 */
#ifndef ZL_CODES_ORGS_H
#define ZL_CODES_ORGS_H

#include <stddef.h>

#define ZL_ORG_PROVINCE_CODE "410000"

/* One row of orgs_henan.def (see that file for the meaning of each field). */
struct zl_org_def {
	const char *code;
	const char *kind;
	const char *name;
	const char *short_name;
	const char *parent;
	int valid_from;
	int valid_to;
	int confirmed;
	const char *aliases; /* '|'-separated */
	const char *note;
};

size_t zl_org_def_count(void);
const struct zl_org_def *zl_org_def_at(size_t i); /* NULL past the end */

/* One dated government organization row, derived from the region table. */
struct zl_org_gov {
	char code[16];	     /* "410225" */
	const char *kind;    /* "province" | "city" | "county" (static) */
	char name[128];	     /* "兰考县人民政府" */
	char short_name[64]; /* the region name, "兰考县" */
	char parent[16];     /* "" for the province */
	char region[16];     /* the GB/T 2260 code (= code) */
	int valid_from;
	int valid_to; /* 0 = open */
	int direct;   /* 1 while directly administered by the province */
};

/* An upper bound on the rows zl_org_gov_rows() produces (size for `out`). */
size_t zl_org_gov_max(void);

/*
 * Fill out[0..*n) with every government organization row, sorted by code then valid_from.
 * Returns 0, or -1 when `max` is too small (then *n is the number needed).
 */
int zl_org_gov_rows(struct zl_org_gov *out, size_t max, size_t *n);

/*
 * Is `kind` one of province, city, county, department, group, lab, enterprise, other?
 * zl_org_kind_is_government: province, city or county.
 */
int zl_org_kind_valid(const char *kind);
int zl_org_kind_is_government(const char *kind);

/*
 * Check an organization code for its kind (docs/orgs.md):
 *   province/city/county   a GB/T 2260 code of the region table (any period) whose level
 *                          matches (a county code for "county", ...)
 *   department/group/other/lab
 *                          "RRRRRR-Knnn": RRRRRR a code of the region table, K the kind's
 *                          letter (D, G, O, L), nnn three digits (001-999)
 *   enterprise             a valid USCC (GB 32100, 18 characters)
 * Returns 0 when valid, -1 otherwise; `why` (may be NULL) then points to a static English
 * reason.
 */
int zl_org_code_check(const char *kind, const char *code, const char **why);

#endif /* ZL_CODES_ORGS_H */
