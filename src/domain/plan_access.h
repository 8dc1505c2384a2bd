/*
 * plan_access.h - who may see and do what in the plan ledger (督查督办),
 * beyond the route's permission: the relations between the caller's
 * organization, the plan's owning organization and the organizations that
 * own a task (docs/plan-ledger.md, "Who sees and does what").
 *
 * Organizations are compared by materialised path ("/410000/410100/"), as
 * in domain/authz.h: the caller "reaches" X when X lies in the caller's
 * subtree (zl_org_path_within(X, caller)).  The rules:
 *
 *   see a plan        the caller reaches the plan's organization (it or an
 *                     ancestor: the province reads every city's plan), or
 *                     lies under it (a city reads the provincial plan it
 *                     decomposes), or reaches an owner of one of its tasks
 *                     (a provincial department named in a city's plan).
 *                     So 郑州 never sees 洛阳's plan unless it is named in it.
 *   edit a plan       the caller reaches the plan's organization.
 *   refine a task     (milestones, indicators) also a caller reaching a
 *                     lead owner of the task.
 *   read its reports  the caller reaches the plan's organization or one of
 *                     the task's owners: a department sees the reports of
 *                     its own tasks only, in plans it does not own.
 *   report on it      the caller reaches an owner (lead, co or shared) and
 *                     reports for that owner; a task without a resolved
 *                     owner is reported on by the plan's organization.
 *   confirm / return  the caller reaches a lead owner or the plan's
 *                     organization.
 *   name an owner     an organization is admissible in a plan when the
 *                     organization it hangs under is related (ancestor or
 *                     descendant, or the same) to the plan's organization:
 *                     a provincial department in a city's plan, a district
 *                     in its city's plan, never 郑州's bureau in 洛阳's plan.
 *
 * Pure: paths in, decisions out; no I/O.  An empty or NULL path never
 * reaches or is reached by anything.
 */
#ifndef ZL_DOMAIN_PLAN_ACCESS_H
#define ZL_DOMAIN_PLAN_ACCESS_H

#include <stddef.h>

/* A task owner as the rules see it. */
struct zl_plan_access_owner {
	const char *org_path; /* its organization's path; NULL or "": unresolved */
	int lead;	      /* the role is lead */
};

/*
 * May the caller (at caller_path) see the plan owned by plan_path?
 * `involved`: the caller reaches an owner of one of the plan's tasks (the
 * store finds that out).
 */
int zl_plan_visible(const char *caller_path, const char *plan_path, int involved);

/* May the caller change the plan, its tasks and owners, and decompose from it? */
int zl_plan_editable(const char *caller_path, const char *plan_path);

/* How far the caller may change one task (PATCH). */
enum zl_plan_edit {
	ZL_PLAN_EDIT_NONE = 0,
	ZL_PLAN_EDIT_REFINE, /* milestones and indicators only: a lead owner */
	ZL_PLAN_EDIT_ALL,    /* everything: the plan's organization */
};
enum zl_plan_edit zl_plan_task_edit(const char *caller_path, const char *plan_path,
				    const struct zl_plan_access_owner *owners, size_t n);

/* May the caller read the task's progress reports and attachments? */
int zl_plan_reports_visible(const char *caller_path, const char *plan_path,
			    const struct zl_plan_access_owner *owners, size_t n);

/*
 * For which owner may the caller report?  `want_path` (NULL: any) names
 * the organization the caller says it reports for.  Returns the index of
 * that owner (the caller's own organization first, then the first owner
 * it reaches), `n` for "the plan's organization" (only when the task has
 * no resolved owner and the caller reaches the plan's organization), or
 * -1 when the caller may not report.
 */
long zl_plan_report_owner(const char *caller_path, const char *plan_path,
			  const struct zl_plan_access_owner *owners, size_t n,
			  const char *want_path);

/* May the caller confirm or return a report on the task? */
int zl_plan_may_confirm(const char *caller_path, const char *plan_path,
			const struct zl_plan_access_owner *owners, size_t n);

/*
 * May an organization at org_path be named as an owner in the plan owned
 * by plan_path (see "name an owner" above)?
 */
int zl_plan_org_admissible(const char *org_path, const char *plan_path);

#endif /* ZL_DOMAIN_PLAN_ACCESS_H */
