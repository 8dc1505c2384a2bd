/*
 * spotcheck_choices.c - what a spot-check plan of an organization may name,
 * for the plan form (docs/spotchecks.md):
 *   GET /api/v1/spotcheck-plans/choices?org=CODE
 * answers the plan's government and level, the governments in its territory
 * (the regions quotas may be set for) and the laboratories of the province
 * (any of them may be commissioned).  The form needs it from the server
 * because neither list lies in the caller's subtree: the provincial quality
 * bureau's officers reach the bureau, not the cities they set quotas for,
 * and a city's officers do not reach the provincial institute their plan
 * may name.  The same rules as a plan's check (store/spotcheck_plans.c):
 * the government is the last six-digit segment of the organization's path,
 * a region is a current province, city or county under it.
 *
 * Route scope "query:org": the organization lies in the caller's subtree
 * (absent: the caller's own).  Read-only; nothing is audited.
 */
#include <string.h>

#include "core/json.h"
#include "domain/authz.h"
#include "http/handlers.h"
#include "http/plan_http.h"
#include "store/orgs.h"

static int given(const char *s)
{
	return s != NULL && *s != '\0';
}

static const char *nul(const char *s)
{
	return given(s) ? s : NULL;
}

static int is_government(const char *kind)
{
	return !strcmp(kind, "province") || !strcmp(kind, "city") || !strcmp(kind, "county");
}

/* The walk over the territory: the regions as JSON, and the government's own row. */
struct territory {
	struct zl_jw *w;
	const char *gov_path;
	char gov[ZL_ORG_CODE_MAX];
	char level[16];
	char gov_name[ZL_ORG_NAME_MAX];
};

static void org_members(struct zl_jw *w, const struct zl_org *o)
{
	zl_jw_kstr(w, "code", o->code);
	zl_jw_kstr(w, "kind", o->kind);
	zl_jw_kstr(w, "name", o->name);
	zl_jw_kstr(w, "short_name", nul(o->short_name));
	zl_jw_kstr(w, "parent", nul(o->parent));
}

static int region_row(void *cls, const struct zl_org *o)
{
	struct territory *t = cls;

	if (!is_government(o->kind))
		return ZL_OK;
	if (strcmp(o->path, t->gov_path) == 0) {
		memcpy(t->gov, o->code, sizeof(t->gov));
		memcpy(t->level, o->kind, sizeof(t->level));
		memcpy(t->gov_name, o->name, sizeof(t->gov_name));
	}
	zl_jw_obj_begin(t->w);
	org_members(t->w, o);
	zl_jw_obj_end(t->w);
	return ZL_OK;
}

static int lab_row(void *cls, const struct zl_org *o)
{
	struct zl_jw *w = cls;

	zl_jw_obj_begin(w);
	org_members(w, o);
	zl_jw_obj_end(w);
	return ZL_OK;
}

int zl_h_sc_plan_choices(struct zl_req *req, struct zl_resp *resp, struct zl_error *err)
{
	const char *org = zl_req_query(req, "org");
	char path[ZL_ORG_PATH_MAX], gov_path[ZL_ORG_PATH_MAX];
	struct zl_org_filter regions = {0}, labs = {0};
	struct zl_org_info *info;
	struct territory t;
	struct zl_db *db;
	struct zl_jw w;
	int rc;

	if (!given(org))
		org = req->principal.org;
	if (!given(org))
		return zl_error_set(err, ZL_EFORBIDDEN, NULL, "the caller has no organization");
	info = zl_arena_calloc(req->arena, 1, sizeof(*info));
	if (info == NULL)
		return zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
	if ((rc = zl_plan_http_open(req, 0, &db, err)))
		return rc;
	rc = zl_store_org_get(db, org, info, err);
	if (rc == ZL_OK && given(info->org.valid_to))
		rc = ZL_ENOTFOUND;
	if (rc == ZL_ENOTFOUND) {
		rc = zl_error_set(err, ZL_ENOTFOUND, "org", "no organization %.40s", org);
		goto out;
	}
	if (rc != ZL_OK)
		goto out;
	memcpy(path, info->org.path, sizeof(path));
	/* As a plan's check: an enterprise or a body outside any government plans nothing. */
	if (!strcmp(info->org.kind, "enterprise") ||
	    zl_org_path_government(path, gov_path, sizeof(gov_path)) == 0) {
		rc = zl_error_set(err, ZL_EUNPROC, "org",
				  "org: %.40s belongs to no province, city or county", org);
		goto out;
	}
	memset(&t, 0, sizeof(t));
	t.w = &w;
	t.gov_path = gov_path;
	regions.within = gov_path;
	labs.kind = "lab";
	zl_resp_json(resp, 200, &w);
	zl_jw_obj_begin(&w);
	zl_jw_kstr(&w, "org", info->org.code);
	zl_jw_kstr(&w, "org_name", info->org.name);
	zl_jw_key(&w, "regions");
	zl_jw_arr_begin(&w);
	rc = zl_store_org_list(db, &regions, 0, region_row, &t, NULL, err);
	zl_jw_arr_end(&w);
	zl_jw_key(&w, "labs");
	zl_jw_arr_begin(&w);
	if (rc == ZL_OK)
		rc = zl_store_org_list(db, &labs, 0, lab_row, &w, NULL, err);
	zl_jw_arr_end(&w);
	zl_jw_kstr(&w, "gov", nul(t.gov));
	zl_jw_kstr(&w, "gov_name", nul(t.gov_name));
	zl_jw_kstr(&w, "level", nul(t.level));
	zl_jw_obj_end(&w);
	if (rc == ZL_OK)
		rc = zl_jw_error(&w);
out:
	zl_db_rollback(db);
	return rc;
}
