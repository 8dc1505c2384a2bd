/*
 * orgs.c - the organization tree's reference data and code rules (see orgs.h).
 */
#include "codes/orgs.h"

#include <stdio.h>
#include <string.h>

#include "codes/region.h"
#include "codes/uscc.h"

static const struct zl_org_def defs[] = {
#define ZL_ORG(code, kind, name, short_name, parent, from, to, conf, aliases, note)                \
	{code, kind, name, short_name, parent, from, to, conf, aliases, note},
#include "codes/orgs_henan.def"
#undef ZL_ORG
};

#define NDEFS (sizeof(defs) / sizeof(defs[0]))

size_t zl_org_def_count(void)
{
	return NDEFS;
}

const struct zl_org_def *zl_org_def_at(size_t i)
{
	return i < NDEFS ? &defs[i] : NULL;
}

size_t zl_org_gov_max(void)
{
	/* Each direct-administration flag can split one region row into at most three. */
	return zl_region_count() + 2 * zl_region_direct_count();
}

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && memcmp(s + n - m, suffix, m) == 0;
}

/* Kind of organization a region row yields, or NULL (419000 is a grouping, not a government). */
static const char *gov_kind(const struct zl_region *r)
{
	if (r->level == ZL_REGION_PROVINCE)
		return "province";
	if (zl_region_is_provincial_city(r))
		return "city";
	if (r->level == ZL_REGION_CITY)
		return NULL;
	return "county";
}

/* Fill one row for region `r` over [from, to). */
static void gov_row(struct zl_org_gov *g, const struct zl_region *r, const char *kind, int from,
		    int to)
{
	const struct zl_region *p = NULL;
	char code[16];

	snprintf(code, sizeof(code), "%06d", r->code % 1000000);
	memset(g, 0, sizeof(*g));
	memcpy(g->code, code, sizeof(g->code));
	memcpy(g->region, code, sizeof(g->region));
	g->kind = kind;
	g->valid_from = from;
	g->valid_to = to;
	snprintf(g->short_name, sizeof(g->short_name), "%s", r->name);
	if (strcmp(kind, "county") == 0) {
		g->direct = zl_region_direct_admin(code, from);
		p = zl_region_parent(r, from);
		/* The 4190xx grouping is no government: its county-level cities hang under the
		 * province, like the directly administered counties. */
		if (g->direct || p == NULL || p->level == ZL_REGION_PROVINCE || p->code == 419000)
			p = NULL;
	}
	if (strcmp(kind, "province") == 0)
		g->parent[0] = '\0';
	else if (p == NULL)
		snprintf(g->parent, sizeof(g->parent), "%s", ZL_ORG_PROVINCE_CODE);
	else
		snprintf(g->parent, sizeof(g->parent), "%06d", p->code % 1000000);
	/* A district's government carries its city's name: 郑州市中原区人民政府. */
	if (p != NULL && ends_with(r->name, "区"))
		snprintf(g->name, sizeof(g->name), "%s%s人民政府", p->name, r->name);
	else
		snprintf(g->name, sizeof(g->name), "%s人民政府", r->name);
}

static void sort_ints(int *v, size_t n)
{
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && v[j - 1] > v[j]; j--) {
			int t = v[j];
			v[j] = v[j - 1];
			v[j - 1] = t;
		}
}

/* End of the period as a comparable date (0 = open = the far future). */
static int end_of(int to)
{
	return to == 0 ? 99991231 : to;
}

int zl_org_gov_rows(struct zl_org_gov *out, size_t max, size_t *n)
{
	size_t k = 0;

	for (size_t i = 0; i < zl_region_count(); i++) {
		const struct zl_region *r = zl_region_at(i);
		const char *kind = gov_kind(r);
		int cuts[16], ncuts = 0;
		char code[16];

		if (kind == NULL)
			continue;
		snprintf(code, sizeof(code), "%06d", r->code % 1000000);
		/* Split the region's period where a direct-administration flag starts or ends. */
		cuts[ncuts++] = r->valid_from;
		cuts[ncuts++] = end_of(r->valid_to);
		for (size_t j = 0; j < zl_region_direct_count() && ncuts < 14; j++) {
			const struct zl_region_direct *d = zl_region_direct_at(j);
			if (d->code != r->code)
				continue;
			if (d->valid_from > r->valid_from && d->valid_from < end_of(r->valid_to))
				cuts[ncuts++] = d->valid_from;
			if (d->valid_to != 0 && d->valid_to > r->valid_from &&
			    d->valid_to < end_of(r->valid_to))
				cuts[ncuts++] = d->valid_to;
		}
		sort_ints(cuts, (size_t)ncuts);
		for (int c = 0; c + 1 < ncuts; c++) {
			int to = cuts[c + 1] == 99991231 ? 0 : cuts[c + 1];
			if (cuts[c] == cuts[c + 1])
				continue;
			if (k < max)
				gov_row(&out[k], r, kind, cuts[c], to);
			k++;
		}
	}
	*n = k;
	return k <= max ? 0 : -1;
}

static const char *const kinds[] = {"province", "city", "county",     "department",
				    "group",	"lab",	"enterprise", "other"};

int zl_org_kind_valid(const char *kind)
{
	for (size_t i = 0; kind && i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strcmp(kind, kinds[i]) == 0)
			return 1;
	return 0;
}

int zl_org_kind_is_government(const char *kind)
{
	return kind && (strcmp(kind, "province") == 0 || strcmp(kind, "city") == 0 ||
			strcmp(kind, "county") == 0);
}

static char kind_letter(const char *kind)
{
	if (strcmp(kind, "department") == 0)
		return 'D';
	if (strcmp(kind, "group") == 0)
		return 'G';
	if (strcmp(kind, "other") == 0)
		return 'O';
	if (strcmp(kind, "lab") == 0)
		return 'L';
	return 0;
}

static int fail(const char **why, const char *msg)
{
	if (why)
		*why = msg;
	return -1;
}

int zl_org_code_check(const char *kind, const char *code, const char **why)
{
	const struct zl_region *r;
	char letter;

	if (why)
		*why = NULL;
	if (!zl_org_kind_valid(kind))
		return fail(why, "unknown kind");
	if (code == NULL || *code == '\0')
		return fail(why, "empty code");
	if (zl_org_kind_is_government(kind)) {
		if (strlen(code) != 6 || zl_region_code_parse(code, 6) < 0)
			return fail(why, "a government's code is its 6-digit GB/T 2260 code");
		r = zl_region_find(code, ZL_REGION_LATEST);
		if (r == NULL)
			return fail(why, "not a GB/T 2260 code of the region table");
		if (strcmp(kind, "province") == 0 && r->level != ZL_REGION_PROVINCE)
			return fail(why, "not a province-level code");
		if (strcmp(kind, "city") == 0 && !zl_region_is_provincial_city(r))
			return fail(why, "not a city-level code");
		if (strcmp(kind, "county") == 0 && r->level != ZL_REGION_COUNTY)
			return fail(why, "not a county-level code");
		return 0;
	}
	if (strcmp(kind, "enterprise") == 0) {
		struct zl_uscc_result res;
		if (zl_uscc_check(code, strlen(code), 0, &res) != 0)
			return fail(why, "an enterprise's code is its USCC (GB 32100)");
		return 0;
	}
	letter = kind_letter(kind);
	if (strlen(code) != 11 || code[6] != '-' || code[7] != letter)
		return fail(why, "expected RRRRRR-Knnn (docs/orgs.md) with the kind's letter");
	if (zl_region_code_parse(code, 6) < 0 || zl_region_find(code, ZL_REGION_LATEST) == NULL)
		return fail(why, "RRRRRR must be a GB/T 2260 code of the region table");
	for (int i = 8; i < 11; i++)
		if (code[i] < '0' || code[i] > '9')
			return fail(why, "nnn must be three digits");
	if (memcmp(code + 8, "000", 3) == 0)
		return fail(why, "nnn starts at 001");
	return 0;
}
