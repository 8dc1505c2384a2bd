/*
 * inspection_access.c - who sees an inspection and in which role of the
 * lifecycle it acts; who may draw for a plan (domain/inspection_access.h).
 */
#include "domain/inspection_access.h"

#include <string.h>

#include "domain/inspection.h"

static int given(const char *s)
{
	return s != NULL && *s != '\0';
}

void zl_insp_caller_of(const struct zl_principal *p, struct zl_insp_caller *c)
{
	memset(c, 0, sizeof(*c));
	c->role = p->kind == ZL_PRINCIPAL_USER ? p->role : ZL_ROLE_NONE;
	c->path = p->org_path;
	c->org = p->org;
	c->user = p->name;
	c->planner = (p->perms & ZL_PERMBIT(ZL_PERM_SPOTCHECK_PLAN)) != 0;
}

/* path reaches target (target lies in its subtree); empty never does. */
static int reaches(const char *path, const char *target)
{
	return given(path) && given(target) && zl_org_path_within(target, path);
}

static int answer(int seen, unsigned roles, unsigned *out)
{
	if (out != NULL)
		*out = seen ? roles : 0;
	return seen;
}

int zl_insp_access(const struct zl_insp_caller *c, const struct zl_insp_facts *f,
		   unsigned *roles)
{
	int seen = 0;

	switch (c->role) {
	case ZL_ROLE_INSPECTOR:
		for (size_t i = 0; i < f->ninspectors && !seen; i++)
			seen = given(c->user) && given(f->inspectors[i]) &&
			       strcmp(c->user, f->inspectors[i]) == 0;
		return answer(seen, ZL_INSP_BY_INSPECTOR, roles);
	case ZL_ROLE_LAB:
		/* The lab's own accounts: at or under the laboratory, as for plans. */
		seen = given(c->path) && given(f->lab_path) && zl_org_path_within(c->path, f->lab_path);
		return answer(seen, ZL_INSP_BY_LAB, roles);
	case ZL_ROLE_ENTERPRISE:
		seen = given(c->org) && given(f->uscc) && strcmp(c->org, f->uscc) == 0;
		return answer(seen, ZL_INSP_BY_ENTERPRISE, roles);
	default:
		seen = reaches(c->path, f->plan_path) || reaches(c->path, f->region_path);
		return answer(seen, c->planner ? ZL_INSP_BY_OFFICER : 0, roles);
	}
}

int zl_insp_draw_region(const char *caller_path, const char *plan_path, const char *region_path)
{
	return reaches(caller_path, plan_path) || reaches(caller_path, region_path);
}

int zl_insp_draw_may(const char *caller_path, const char *plan_path,
		     const char *const *region_paths, size_t n)
{
	if (reaches(caller_path, plan_path))
		return 1;
	if (n == 0)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!reaches(caller_path, region_paths[i]))
			return 0;
	return 1;
}
