/*
 * inspection_access.h - who sees a spot-check inspection (监督抽查) and in
 * which role of the lifecycle (domain/inspection.h) it acts on it, and who
 * may draw enterprises and inspectors for a spot-check plan
 * (docs/spotchecks.md, "Draws and inspections as a service").
 *
 * The route's permission (inspection.read, inspection.act, spotcheck.plan)
 * is checked before by domain/authz.h; these rules relate the caller to one
 * inspection:
 *
 *   inspector   an account of role inspector sees only the inspections it
 *               is assigned to (drawn for), and acts there as the sampler
 *               (role "inspector" of the machine);
 *   lab         an account of role lab sees the inspections whose
 *               laboratory is its organization (or lies above it: the
 *               caller's organization lies at or under the lab, as for
 *               plans, domain/spotcheck.h), and acts as "lab";
 *   enterprise  an account of role enterprise, held in the organization
 *               whose code is its USCC (docs/orgs.md: an enterprise's code
 *               is its USCC), sees that enterprise's inspections only and
 *               acts as "enterprise";
 *   staff       everyone else (officers, analysts, administrators, API
 *               tokens) sees the inspections of plans whose organization it
 *               reaches, and those in a region whose government it reaches
 *               (a city carries out the provincial plan on its territory
 *               and follows up its failures, 属地后处理); with spotcheck.plan
 *               it acts there as the supervising authority ("officer").
 *
 * So a 郑州 officer never sees 洛阳's inspections of the provincial plan, an
 * inspector never sees another's, a laboratory never another's samples,
 * an enterprise never another's records.  "Reaches X" is
 * zl_org_path_within(X, caller path) as everywhere (domain/authz.h).
 *
 * Draws: a planner (spotcheck.plan) who reaches the plan's organization
 * draws for any region of its quotas; one who does not reaches each region
 * it draws for (a city draws its own quota of the provincial plan).
 *
 * Pure: paths and names in, decisions out; no I/O.  NULL and "" never
 * match anything.
 */
#ifndef ZL_DOMAIN_INSPECTION_ACCESS_H
#define ZL_DOMAIN_INSPECTION_ACCESS_H

#include <stddef.h>

#include "domain/authz.h"

/* The caller as the rules see it. */
struct zl_insp_caller {
	enum zl_role role; /* the account's role; ZL_ROLE_NONE for API tokens (staff) */
	const char *path;  /* its organization's path */
	const char *org;   /* its organization's code (an enterprise's USCC) */
	const char *user;  /* the username ("token:ID" for tokens) */
	int planner;	   /* holds spotcheck.plan */
};

/* One inspection as the rules see it. */
struct zl_insp_facts {
	const char *plan_path;	 /* the plan's organization */
	const char *region_path; /* the government of the region it was drawn for */
	const char *lab_path;	 /* its laboratory, "" none */
	const char *uscc;	 /* the inspected enterprise */
	const char *const *inspectors; /* usernames assigned */
	size_t ninspectors;
};

/* The caller from a principal (strings borrowed from it). */
void zl_insp_caller_of(const struct zl_principal *p, struct zl_insp_caller *c);

/*
 * Does the caller see the inspection?  Returns 1 or 0; *roles (may be
 * NULL) receives the machine roles (ZL_INSP_BY_* of domain/inspection.h)
 * it acts in there: 0 for a reader who may only read.
 */
int zl_insp_access(const struct zl_insp_caller *c, const struct zl_insp_facts *f,
		   unsigned *roles);

/*
 * May a planner at `caller_path` draw for the plan owned by `plan_path`
 * in the regions whose governments' paths are region_paths[0..n)?  1 or 0.
 */
int zl_insp_draw_may(const char *caller_path, const char *plan_path,
		     const char *const *region_paths, size_t n);

/* May it draw in the region at `region_path` (it reaches the plan's organization or it)? */
int zl_insp_draw_region(const char *caller_path, const char *plan_path, const char *region_path);

#endif /* ZL_DOMAIN_INSPECTION_ACCESS_H */
