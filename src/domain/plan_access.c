/*
 * plan_access.c - the plan ledger's relation rules (plan_access.h), over
 * the subtree test of domain/authz.h.
 */
#include "domain/plan_access.h"

#include <string.h>

#include "domain/authz.h"

static int given(const char *s)
{
	return s != NULL && *s != '\0';
}

/* x lies in the subtree of `caller` (reached by it). */
static int reaches(const char *caller, const char *x)
{
	return given(caller) && given(x) && zl_org_path_within(x, caller);
}

/* One lies in the other's subtree (or they are the same). */
static int related(const char *a, const char *b)
{
	return reaches(a, b) || reaches(b, a);
}

int zl_plan_visible(const char *caller_path, const char *plan_path, int involved)
{
	return given(caller_path) && (involved || related(caller_path, plan_path));
}

int zl_plan_editable(const char *caller_path, const char *plan_path)
{
	return reaches(caller_path, plan_path);
}

static int reaches_lead(const char *caller, const struct zl_plan_access_owner *owners, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (owners[i].lead && reaches(caller, owners[i].org_path))
			return 1;
	return 0;
}

enum zl_plan_edit zl_plan_task_edit(const char *caller_path, const char *plan_path,
				    const struct zl_plan_access_owner *owners, size_t n)
{
	if (reaches(caller_path, plan_path))
		return ZL_PLAN_EDIT_ALL;
	return reaches_lead(caller_path, owners, n) ? ZL_PLAN_EDIT_REFINE : ZL_PLAN_EDIT_NONE;
}

int zl_plan_reports_visible(const char *caller_path, const char *plan_path,
			    const struct zl_plan_access_owner *owners, size_t n)
{
	if (reaches(caller_path, plan_path))
		return 1;
	for (size_t i = 0; i < n; i++)
		if (reaches(caller_path, owners[i].org_path))
			return 1;
	return 0;
}

long zl_plan_report_owner(const char *caller_path, const char *plan_path,
			  const struct zl_plan_access_owner *owners, size_t n,
			  const char *want_path)
{
	long first = -1;
	int resolved = 0;

	for (size_t i = 0; i < n; i++) {
		const char *p = owners[i].org_path;

		if (!given(p))
			continue;
		resolved = 1;
		if (!reaches(caller_path, p))
			continue;
		if (want_path != NULL) {
			if (strcmp(p, want_path) == 0)
				return (long)i;
			continue;
		}
		/* The caller's own organization before one it merely reaches. */
		if (strcmp(p, caller_path) == 0)
			return (long)i;
		if (first < 0)
			first = (long)i;
	}
	if (first >= 0)
		return first;
	/* Nobody is named (各有关部门, or names not yet mapped): the plan's
	 * organization answers for the task. */
	if (!resolved && reaches(caller_path, plan_path) &&
	    (want_path == NULL || strcmp(want_path, plan_path) == 0))
		return (long)n;
	return -1;
}

int zl_plan_may_confirm(const char *caller_path, const char *plan_path,
			const struct zl_plan_access_owner *owners, size_t n)
{
	return reaches(caller_path, plan_path) || reaches_lead(caller_path, owners, n);
}

int zl_plan_org_admissible(const char *org_path, const char *plan_path)
{
	char parent[ZL_ORG_PATH_MAX];
	size_t len;

	if (!given(org_path) || !given(plan_path))
		return 0;
	if (related(org_path, plan_path))
		return 1;
	/* The organization it hangs under: the path without its last code. */
	len = strlen(org_path);
	if (len >= sizeof(parent) || len < 2)
		return 0;
	memcpy(parent, org_path, len + 1);
	len--; /* the final '/' */
	while (len > 0 && parent[len - 1] != '/')
		len--;
	parent[len] = '\0';
	return len > 1 && related(parent, plan_path);
}
