/*
 * sc_imports.c - POST /api/v1/imports/spotchecks: a published spot-check
 * result table (CSV in UTF-8 or GBK, xlsx, xls) uploaded as the raw request
 * body, imported by store/sc_import.h as inspections of a new draft
 * announcement of organization `org` (default the caller's; the route's
 * scope "query:org" keeps it in the caller's subtree, so a city officer
 * imports for its own city and counties only), answered with the same
 * report as the enterprise import (http/imports.h: JSON, or format=xlsx|csv
 * for the rejection report as a file; async=1 a job of
 * http/import_jobs.h whose progress GET /api/v1/imports/{id} answers).
 *
 * Query parameters as the command `zhiliang import spotchecks`: org,
 * level, title, doc_no, issued_on, product, region, partial, dry_run,
 * encoding, name, format, async.  Audited as one "spotcheck.import" row
 * committed with the rows.
 */
#include <string.h>

#include "core/jw.h"
#include "http/audit_hook.h"
#include "http/handlers.h"
#include "http/imports.h"
#include "http/internal.h"
#include "http/credit.h"
#include "http/routes.h"
#include "store/sc_import.h"

static const char *q(const struct zl_req *req, const char *name)
{
	const char *v = zl_req_query(req, name);
	return v && v[0] ? v : NULL;
}

static int audit(struct zl_req *req, struct zl_db *db, const char *name,
		 const struct zl_import_result *res, const struct zl_sc_import_info *info,
		 int partial, struct zl_error *err)
{
	struct zl_buf detail = ZL_BUF_INIT(4096);
	struct zl_jw dw;
	int rc;

	zl_jw_init(&dw, &detail);
	zl_jw_obj_begin(&dw);
	zl_jw_kstr(&dw, "file", name);
	zl_jw_kstr(&dw, "sha256", info->sha256);
	zl_jw_key(&dw, "announcement");
	zl_jw_int(&dw, info->announcement_id);
	zl_jw_key(&dw, "plan");
	zl_jw_int(&dw, info->plan_id);
	zl_jw_key(&dw, "rows");
	zl_jw_uint(&dw, res->rows);
	zl_jw_key(&dw, "imported");
	zl_jw_uint(&dw, res->imported);
	zl_jw_key(&dw, "skipped");
	zl_jw_uint(&dw, res->unchanged);
	zl_jw_key(&dw, "rejected");
	zl_jw_uint(&dw, res->rejected);
	zl_jw_kbool(&dw, "partial", partial);
	zl_jw_obj_end(&dw);
	rc = zl_jw_error(&dw) ? zl_error_set(err, ZL_ENOMEM, "", "out of memory")
			      : zl_req_audit(req, db, "spotcheck.import", name, NULL, NULL,
					     zl_buf_str(&detail), err);
	zl_buf_release(&detail);
	return rc;
}

int zl_sc_import_run(struct zl_req *req, struct zl_db *db, const char *path,
		     struct zl_sc_import_options *opt, const char *name, int dry_run,
		     struct zl_import_result *res, int *written, struct zl_error *err)
{
	struct zl_sc_import_info info;
	struct zl_plan_actor who;
	char today[16], actor[160];
	int rc;

	*written = 0;
	/* Not zl_plan_http_actor(): the import worker's request has no arena. */
	zl_import_actor(&req->principal, actor, sizeof(actor));
	zl_http_credit_today(today);
	memset(&who, 0, sizeof(who));
	who.user = actor;
	who.org = req->principal.org;
	who.org_path = req->principal.org_path;
	who.today = today;
	opt->who = &who;
	opt->source = name;
	opt->dry_run = dry_run;
	if ((rc = zl_db_begin(db, err)) != ZL_OK)
		return rc;
	rc = zl_sc_import(db, path, opt, res, &info, err);
	if (rc == ZL_OK && res->written && !dry_run) {
		rc = audit(req, db, name, res, &info, opt->partial, err);
		if (rc == ZL_OK)
			rc = zl_db_commit(db, err);
		if (rc != ZL_OK)
			zl_db_rollback(db);
		*written = rc == ZL_OK;
	} else {
		zl_db_rollback(db);
	}
	opt->who = NULL;
	return rc;
}

/* zl_sc_import_run with the options as zl_import_upload_answer passes them. */
static int run_spotchecks(struct zl_req *req, struct zl_db *db, const char *path, void *opt,
			  const char *name, int dry_run, struct zl_import_result *res,
			  int *written, struct zl_error *err)
{
	return zl_sc_import_run(req, db, path, opt, name, dry_run, res, written, err);
}

int zl_h_import_spotchecks(struct zl_req *req, struct zl_resp *resp, struct zl_error *err)
{
	struct zl_sc_import_options opt = {0};
	struct zl_import_upload u;
	int rc;

	if ((rc = zl_import_upload_parse(req, &u, err)) != ZL_OK)
		return rc;
	opt.partial = u.partial;
	opt.encoding = u.encoding;
	opt.org = q(req, "org") ? q(req, "org") : req->principal.org;
	opt.level = q(req, "level");
	opt.title = q(req, "title");
	opt.doc_no = q(req, "doc_no");
	opt.issued_on = q(req, "issued_on");
	opt.product = q(req, "product");
	opt.region = q(req, "region");
	return zl_import_upload_answer(req, resp, &u, &opt, run_spotchecks, &opt, err);
}
