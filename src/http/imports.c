/*
 * imports.c - POST /api/v1/imports/enterprises (see imports.h).  The route's
 * BODY is UPLOAD (routes.def): server.c has already streamed the file to a
 * temporary file (req->upload_path), after authorization, within
 * cfg.max_upload; this handler runs the import engine (store/import.h) on
 * that path inside one transaction and answers the report as JSON, or as a
 * workbook / CSV with format=xlsx|csv.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "core/csvw.h"
#include "core/jw.h"
#include "core/xlsxw.h"
#include "http/audit_hook.h"
#include "http/handlers.h"
#include "http/import_jobs.h"
#include "http/imports.h"
#include "http/internal.h"
#include "http/routes.h"
#include "store/import.h"

static int media_ok(const char *ct)
{
	if (!ct || !ct[0])
		return 1;
	for (size_t i = 0; zl_upload_media[i]; i++) {
		size_t n = strlen(zl_upload_media[i]);

		if (!strncasecmp(ct, zl_upload_media[i], n) &&
		    (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' '))
			return 1;
	}
	return 0;
}

/* A yes/no query parameter: absent, "", "0", "false" = 0; "1", "true" = 1. */
int zl_import_report_parse(const struct zl_req *req, enum zl_import_report *fmt,
			   struct zl_error *err)
{
	const char *f = zl_req_query(req, "format");

	if (!f || !f[0] || !strcmp(f, "json"))
		*fmt = ZL_IMPORT_REPORT_JSON;
	else if (!strcmp(f, "xlsx"))
		*fmt = ZL_IMPORT_REPORT_XLSX;
	else if (!strcmp(f, "csv"))
		*fmt = ZL_IMPORT_REPORT_CSV;
	else
		return zl_error_set(err, ZL_EINVAL, "format", "format must be json, xlsx or csv");
	return ZL_OK;
}

static int flag(const struct zl_req *req, const char *name, int *out, struct zl_error *err)
{
	const char *v = zl_req_query(req, name);

	*out = 0;
	if (!v || !v[0] || !strcmp(v, "0") || !strcmp(v, "false"))
		return ZL_OK;
	if (!strcmp(v, "1") || !strcmp(v, "true")) {
		*out = 1;
		return ZL_OK;
	}
	return zl_error_set(err, ZL_EINVAL, name, "%s must be 1 or 0", name);
}

int zl_import_upload_parse(const struct zl_req *req, struct zl_import_upload *u,
			   struct zl_error *err)
{
	const char *enc = zl_req_query(req, "encoding");
	const char *n = zl_req_query(req, "name");
	int rc;

	memset(u, 0, sizeof(*u));
	u->name = "upload";
	if ((rc = flag(req, "partial", &u->partial, err)) != ZL_OK ||
	    (rc = flag(req, "dry_run", &u->dry_run, err)) != ZL_OK ||
	    (rc = flag(req, "async", &u->async, err)) != ZL_OK)
		return rc;
	if (!enc || !enc[0] || !strcmp(enc, "auto"))
		u->encoding = ZL_TABLE_ENC_AUTO;
	else if (!strcasecmp(enc, "utf-8") || !strcasecmp(enc, "utf8"))
		u->encoding = ZL_TABLE_ENC_UTF8;
	else if (!strcasecmp(enc, "gbk") || !strcasecmp(enc, "gb18030"))
		u->encoding = ZL_TABLE_ENC_GBK;
	else
		return zl_error_set(err, ZL_EINVAL, "encoding",
				    "encoding must be auto, utf-8 or gbk");
	if ((rc = zl_import_report_parse(req, &u->fmt, err)) != ZL_OK)
		return rc;
	if (u->async && u->fmt != ZL_IMPORT_REPORT_JSON)
		return zl_error_set(
			err, ZL_EINVAL, "format",
			"with async=1 the report file comes from GET /api/v1/imports/{id}");
	if (n && strlen(n) > 200)
		return zl_error_set(err, ZL_EINVAL, "name", "name is longer than 200 bytes");
	/* A browser may send a whole path: keep the file name only. */
	if (n && strrchr(n, '/'))
		n = strrchr(n, '/') + 1;
	if (n && strrchr(n, '\\'))
		n = strrchr(n, '\\') + 1;
	u->name = n && n[0] ? n : "upload";
	return ZL_OK;
}

void zl_import_write_json(struct zl_jw *w, const struct zl_import_result *r, int written,
			  int dry_run)
{
	size_t listed = r->nrejects < ZL_IMPORT_JSON_REJECTS ? r->nrejects : ZL_IMPORT_JSON_REJECTS;

	zl_jw_obj_begin(w);
	zl_jw_key(w, "imported");
	zl_jw_uint(w, r->imported);
	zl_jw_key(w, "updated");
	zl_jw_uint(w, r->updated);
	zl_jw_key(w, "unchanged");
	zl_jw_uint(w, r->unchanged);
	zl_jw_key(w, "rejected");
	zl_jw_uint(w, r->rejected);
	zl_jw_key(w, "rows");
	zl_jw_uint(w, r->rows);
	zl_jw_kbool(w, "written", written);
	zl_jw_kbool(w, "dry_run", dry_run);
	zl_jw_key(w, "header_row");
	zl_jw_uint(w, r->header_row);
	zl_jw_kstr(w, "format",
		   r->format == ZL_TABLE_XLSX  ? "xlsx"
		   : r->format == ZL_TABLE_XLS ? "xls"
					       : "csv");
	zl_jw_kstr(w, "encoding", r->encoding);
	zl_jw_key(w, "unmapped");
	zl_jw_arr_begin(w);
	for (size_t i = 0; i < r->nunmapped; i++)
		zl_jw_str(w, r->unmapped[i]);
	zl_jw_arr_end(w);
	zl_jw_key(w, "notes");
	zl_jw_arr_begin(w);
	for (size_t i = 0; i < r->nnotes; i++)
		zl_jw_str(w, r->notes[i]);
	zl_jw_arr_end(w);
	zl_jw_key(w, "rejects_listed");
	zl_jw_uint(w, listed);
	zl_jw_key(w, "rejects");
	zl_jw_arr_begin(w);
	for (size_t i = 0; i < listed; i++) {
		zl_jw_obj_begin(w);
		zl_jw_key(w, "row");
		zl_jw_uint(w, r->rejects[i].row);
		zl_jw_kstr(w, "column", r->rejects[i].column);
		zl_jw_kstr(w, "value", r->rejects[i].value);
		zl_jw_kstr(w, "reason", r->rejects[i].reason);
		zl_jw_obj_end(w);
	}
	zl_jw_arr_end(w);
	zl_jw_obj_end(w);
}

static const char *const report_header[] = {"row", "column", "value", "reason"};
static const char unmapped_reason[] = "unmapped column: ignored";

/* The report as a workbook: one line per rejected row, then one per unmapped column. */
static int write_xlsx(struct zl_resp *resp, const struct zl_import_result *r, struct zl_error *err)
{
	struct zl_xlsxw *x = NULL;
	uint64_t size = 0;
	int fd = -1, rc;

	rc = zl_xlsxw_new(NULL, "rejected", report_header, 4, &x, err);
	for (size_t i = 0; rc == ZL_OK && i < r->nrejects; i++) {
		const struct zl_import_reject *j = &r->rejects[i];

		if ((rc = zl_xlsxw_num(x, 0, (double)j->row, err)) == ZL_OK &&
		    (rc = zl_xlsxw_str(x, 1, j->column, err)) == ZL_OK &&
		    (rc = zl_xlsxw_str(x, 2, j->value, err)) == ZL_OK &&
		    (rc = zl_xlsxw_str(x, 3, j->reason, err)) == ZL_OK)
			rc = zl_xlsxw_end_row(x, err);
	}
	for (size_t i = 0; rc == ZL_OK && i < r->nunmapped; i++) {
		if ((rc = zl_xlsxw_num(x, 0, (double)r->header_row, err)) == ZL_OK &&
		    (rc = zl_xlsxw_str(x, 1, r->unmapped[i], err)) == ZL_OK &&
		    (rc = zl_xlsxw_str(x, 3, unmapped_reason, err)) == ZL_OK)
			rc = zl_xlsxw_end_row(x, err);
	}
	if (rc != ZL_OK) {
		zl_xlsxw_free(x);
		return rc;
	}
	if ((rc = zl_xlsxw_finish(x, &fd, &size, err)) != ZL_OK) /* frees x */
		return rc;
	resp->status = 200;
	resp->fd = fd; /* sent and closed by the server */
	resp->fd_size = size;
	resp->content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
	return ZL_OK;
}

/* The report as CSV, UTF-8 with a BOM so Excel shows the Chinese text. */
static int write_csv(struct zl_resp *resp, const struct zl_import_result *r, struct zl_error *err)
{
	struct zl_csvw w;
	char num[24];

	zl_csvw_init(&w, &resp->body, ZL_CSVW_BOM);
	zl_csvw_row(&w, report_header, 4);
	for (size_t i = 0; i < r->nrejects; i++) {
		snprintf(num, sizeof(num), "%llu", (unsigned long long)r->rejects[i].row);
		zl_csvw_num(&w, num);
		zl_csvw_field(&w, r->rejects[i].column);
		zl_csvw_field(&w, r->rejects[i].value);
		zl_csvw_field(&w, r->rejects[i].reason);
		zl_csvw_end_row(&w);
	}
	for (size_t i = 0; i < r->nunmapped; i++) {
		snprintf(num, sizeof(num), "%llu", (unsigned long long)r->header_row);
		zl_csvw_num(&w, num);
		zl_csvw_field(&w, r->unmapped[i]);
		zl_csvw_field(&w, "");
		zl_csvw_field(&w, unmapped_reason);
		zl_csvw_end_row(&w);
	}
	if (resp->body.err)
		return zl_error_set(err, ZL_EINTERNAL, NULL, "the report is too large to send");
	resp->status = 200;
	resp->content_type = "text/csv; charset=utf-8";
	return ZL_OK;
}

/* The counts of a report answered as a file, in one header. */
static int counts_header(struct zl_req *req, struct zl_resp *resp, const struct zl_import_result *r,
			 int written, const char *ext, struct zl_error *err)
{
	char *v = zl_arena_printf(req->arena,
				  "imported=%llu; updated=%llu; unchanged=%llu; rejected=%llu; "
				  "written=%d",
				  (unsigned long long)r->imported, (unsigned long long)r->updated,
				  (unsigned long long)r->unchanged, (unsigned long long)r->rejected,
				  written);
	char *d = zl_arena_printf(req->arena, "attachment; filename=\"import-report.%s\"", ext);

	if (!v || !d)
		return zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
	if (zl_resp_header(resp, "X-Import-Counts", v) ||
	    zl_resp_header(resp, "Content-Disposition", d))
		return zl_error_set(err, ZL_EINTERNAL, NULL, "too many response headers");
	return ZL_OK;
}

static int audit(struct zl_req *req, struct zl_db *db, const char *name,
		 const struct zl_import_result *res, int partial, struct zl_error *err)
{
	struct zl_buf detail = ZL_BUF_INIT(4096);
	struct zl_jw dw;
	int rc;

	zl_jw_init(&dw, &detail);
	zl_jw_obj_begin(&dw);
	zl_jw_kstr(&dw, "file", name);
	zl_jw_key(&dw, "rows");
	zl_jw_uint(&dw, res->rows);
	zl_jw_key(&dw, "imported");
	zl_jw_uint(&dw, res->imported);
	zl_jw_key(&dw, "updated");
	zl_jw_uint(&dw, res->updated);
	zl_jw_key(&dw, "unchanged");
	zl_jw_uint(&dw, res->unchanged);
	zl_jw_key(&dw, "rejected");
	zl_jw_uint(&dw, res->rejected);
	zl_jw_kbool(&dw, "partial", partial);
	zl_jw_obj_end(&dw);
	rc = zl_jw_error(&dw) ? zl_error_set(err, ZL_ENOMEM, "", "out of memory")
			      : zl_req_audit(req, db, "enterprise.import", name, NULL, NULL,
					     zl_buf_str(&detail), err);
	zl_buf_release(&detail);
	return rc;
}

int zl_import_write_file(struct zl_req *req, struct zl_resp *resp, const struct zl_import_result *r,
			 int written, enum zl_import_report fmt, struct zl_error *err)
{
	int xlsx = fmt == ZL_IMPORT_REPORT_XLSX;
	int rc = xlsx ? write_xlsx(resp, r, err) : write_csv(resp, r, err);

	if (rc == ZL_OK)
		rc = counts_header(req, resp, r, written, xlsx ? "xlsx" : "csv", err);
	return rc;
}

int zl_import_run(struct zl_req *req, struct zl_db *db, const char *path,
		  const struct zl_import_options *opt, const char *name, int dry_run,
		  struct zl_import_result *res, int *written, struct zl_error *err)
{
	int rc;

	*written = 0;
	if ((rc = zl_db_begin(db, err)) != ZL_OK)
		return rc;
	rc = zl_import_enterprises(db, path, opt, res, err);
	if (rc == ZL_OK && res->written && !dry_run) {
		rc = audit(req, db, name, res, opt->partial, err);
		if (rc == ZL_OK)
			rc = zl_db_commit(db, err);
		if (rc != ZL_OK)
			zl_db_rollback(db);
		*written = rc == ZL_OK;
	} else {
		zl_db_rollback(db);
	}
	return rc;
}

/* The caller as the store records it: user name or "token:ID". */
void zl_import_actor(const struct zl_principal *p, char *out, size_t n)
{
	snprintf(out, n, "%s%s", p->kind == ZL_PRINCIPAL_TOKEN ? "token:" : "", p->name);
}

int zl_import_upload_answer(struct zl_req *req, struct zl_resp *resp,
			    const struct zl_import_upload *u, const struct zl_sc_import_options *sc,
			    zl_import_upload_run_fn *run, void *opt, struct zl_error *err)
{
	struct zl_import_result res;
	struct zl_db *db;
	struct zl_jw w;
	int written = 0, rc;

	zl_import_result_init(&res);
	if (!req->upload_path || req->upload_len == 0) {
		rc = zl_error_set(err, ZL_EINVAL, "body",
				  "empty body: send the file itself as the request body");
		goto out;
	}
	if (u->async) {
		struct zl_import_job_spec spec = {
			.path = req->upload_path,
			.size = req->upload_len,
			.principal = &req->principal,
			.rid = req->rid,
			.name = u->name,
			.partial = u->partial,
			.encoding = u->encoding,
			.dry_run = u->dry_run,
			.sc = sc,
		};
		char id[ZL_IMPORT_JOB_ID_LEN + 1];
		char *loc;

		rc = zl_import_jobs_submit(req->srv->imports, &spec, id, err);
		if (rc != ZL_OK)
			goto out;
		loc = zl_arena_printf(req->arena, "/api/v1/imports/%s", id);
		if (loc)
			zl_resp_header(resp, "Location", loc);
		rc = zl_import_jobs_status(req->srv->imports, id, &req->principal, resp, 202, err);
		goto out;
	}
	if ((db = zl_req_db(req, err)) == NULL) {
		rc = ZL_EUNAVAIL;
		goto out;
	}
	rc = run(req, db, req->upload_path, opt, u->name, u->dry_run, &res, &written, err);
	if (rc != ZL_OK)
		goto out;
	if (u->fmt != ZL_IMPORT_REPORT_JSON) {
		rc = zl_import_write_file(req, resp, &res, written, u->fmt, err);
	} else {
		zl_resp_json(resp, 200, &w);
		zl_import_write_json(&w, &res, written, u->dry_run);
	}
out:
	zl_import_result_release(&res);
	return rc;
}

/* zl_import_run with the options as zl_import_upload_answer passes them. */
static int run_enterprises(struct zl_req *req, struct zl_db *db, const char *path, void *opt,
			   const char *name, int dry_run, struct zl_import_result *res,
			   int *written, struct zl_error *err)
{
	return zl_import_run(req, db, path, opt, name, dry_run, res, written, err);
}

int zl_h_import_enterprises(struct zl_req *req, struct zl_resp *resp, struct zl_error *err)
{
	struct zl_import_options opt = {0};
	struct zl_import_upload u;
	char actor[160];
	int rc;

	if ((rc = zl_import_upload_parse(req, &u, err)) != ZL_OK)
		return rc;
	if (!media_ok(zl_req_header(req, "Content-Type")))
		return zl_error_set(err, ZL_EMEDIA, "Content-Type",
				    "send the file as text/csv, an Excel type or "
				    "application/octet-stream");
	opt.partial = u.partial;
	opt.encoding = u.encoding;
	zl_import_actor(&req->principal, actor, sizeof(actor));
	opt.actor = actor;
	return zl_import_upload_answer(req, resp, &u, NULL, run_enterprises, &opt, err);
}

int zl_h_import_get(struct zl_req *req, struct zl_resp *resp, struct zl_error *err)
{
	enum zl_import_report fmt;
	const char *id = zl_req_param(req, "id");
	int rc;

	if ((rc = zl_import_report_parse(req, &fmt, err)) != ZL_OK)
		return rc;
	if (fmt != ZL_IMPORT_REPORT_JSON)
		return zl_import_jobs_report(req->srv->imports, id, req, resp, fmt, err);
	return zl_import_jobs_status(req->srv->imports, id, &req->principal, resp, 200, err);
}
