/*
 * imports.h - POST /api/v1/imports/enterprises: an enterprise table (CSV,
 * xlsx, xls) uploaded as the raw request body, imported all or nothing
 * (?partial=1: the good rows anyway) by store/import.h, answered with the
 * import report:
 *
 *   {"imported":N,"updated":N,"unchanged":N,"rejected":N,"rows":N,
 *    "written":true,"dry_run":false,"header_row":3,"format":"csv",
 *    "encoding":"gb18030","unmapped":["H (备注)"],"notes":[],
 *    "rejects_listed":1,
 *    "rejects":[{"row":5,"column":"A (统一社会信用代码)","value":"...","reason":"..."}]}
 *
 * Query parameters: partial=1; encoding=auto|utf-8|gbk (CSV decoding);
 * dry_run=1 (check only: always rolled back, never audited); name=FILE (the
 * upload's file name for the audit row, default "upload"); format=json
 * (default), xlsx or csv: answer the rejection report as a file (the
 * rejected rows, then the unmapped columns; as `zhiliang import --report`)
 * with the counts in the X-Import-Counts header.  The UI asks for the
 * report file with dry_run=1, so a second request never writes again.
 *
 * 200 whether or not rows were rejected (the report is the answer; "written"
 * says whether anything was committed); JSON lists at most
 * ZL_IMPORT_JSON_REJECTS rejected rows (all are counted; the xlsx/CSV report
 * holds up to the engine's ZL_IMPORT_MAX_REJECTS_DEFAULT).  400 for an
 * empty body or a bad query parameter, 415 for a Content-Type other than
 * the upload types of routes.c (zl_upload_media), 413 beyond max_upload
 * (server.c), 422 when the file as a whole cannot be imported (no header
 * row, ambiguous header, bad encoding).  An import that wrote rows is
 * audited as one "enterprise.import" row with the counts, committed with
 * the rows.
 *
 * The body arrives as req->upload_path (the route's BODY is UPLOAD in
 * routes.def: server.c streams it to a temporary file it deletes after the
 * response).  The import runs in the request, or with async=1 as a job of
 * http/import_jobs.h: 202 with the job's state and a Location
 * /api/v1/imports/{id}, which GET answers with its progress and, once done,
 * the report above as "result" (format=xlsx|csv there: the report file).
 */
#ifndef ZL_HTTP_IMPORTS_H
#define ZL_HTTP_IMPORTS_H

#include "http/http.h"
#include "store/import.h"

/* Rejected rows listed in a JSON answer at most (the report file has all kept). */
#define ZL_IMPORT_JSON_REJECTS 20000u

/* How the report is answered (format=json|xlsx|csv). */
enum zl_import_report {
	ZL_IMPORT_REPORT_JSON = 0,
	ZL_IMPORT_REPORT_XLSX,
	ZL_IMPORT_REPORT_CSV,
};

/* format= of the request; 400 naming "format" for another value. */
int zl_import_report_parse(const struct zl_req *req, enum zl_import_report *fmt,
			   struct zl_error *err);
/*
 * Import the file at `path` in one transaction of `db`: audited as
 * "enterprise.import" (actor from req->principal, request id req->rid) and
 * committed when rows were written and not `dry_run`, else rolled back.
 * *written says whether it was committed.  An error concerns the file as
 * a whole (nothing written).  opt->actor must be set.
 */
int zl_import_run(struct zl_req *req, struct zl_db *db, const char *path,
		  const struct zl_import_options *opt, const char *name, int dry_run,
		  struct zl_import_result *res, int *written, struct zl_error *err);
/*
 * The same for a published spot-check result table (store/sc_import.h,
 * POST /api/v1/imports/spotchecks, http/sc_imports.c): opt->who is set
 * here from req (the caller, today); audited as "spotcheck.import".
 */
struct zl_sc_import_options;
int zl_sc_import_run(struct zl_req *req, struct zl_db *db, const char *path,
		     struct zl_sc_import_options *opt, const char *name, int dry_run,
		     struct zl_import_result *res, int *written, struct zl_error *err);
/* The JSON report above (one object). */
void zl_import_write_json(struct zl_jw *w, const struct zl_import_result *r, int written,
			  int dry_run);
/* The report as an xlsx or CSV attachment with the X-Import-Counts header. */
int zl_import_write_file(struct zl_req *req, struct zl_resp *resp, const struct zl_import_result *r,
			 int written, enum zl_import_report fmt, struct zl_error *err);
/*
 * The query parameters every upload import reads: partial, dry_run and
 * async (1/true or 0/false), encoding (auto, utf-8|utf8, gbk|gb18030),
 * format (the report, above) and name (the file's name, a path cut to its
 * last part; "upload" when absent).  Fills *u (name points into the request
 * or is a literal); 400 naming the parameter for a bad value, and "format"
 * for a report file with async=1.
 */
struct zl_import_upload {
	int partial, dry_run, async;
	enum zl_table_encoding encoding;
	enum zl_import_report fmt;
	const char *name;
};
int zl_import_upload_parse(const struct zl_req *req, struct zl_import_upload *u,
			   struct zl_error *err);
/* One import of the upload, as zl_import_run and zl_sc_import_run do it; opt is theirs. */
typedef int zl_import_upload_run_fn(struct zl_req *req, struct zl_db *db, const char *path,
				    void *opt, const char *name, int dry_run,
				    struct zl_import_result *res, int *written,
				    struct zl_error *err);
/*
 * Answer an upload import whose options were read into *u: 400 "body" for
 * an empty body; with u->async a job (http/import_jobs.h; `sc` the
 * spot-check options, NULL for enterprises) answered 202 with its status
 * and Location; else `run` with `opt` on the request's database, answered
 * with the report in u->fmt (JSON, or a file).  Returns ZL_OK or the error
 * to answer (ZL_EUNAVAIL without a database).
 */
int zl_import_upload_answer(struct zl_req *req, struct zl_resp *resp,
			    const struct zl_import_upload *u, const struct zl_sc_import_options *sc,
			    zl_import_upload_run_fn *run, void *opt, struct zl_error *err);
/* The caller as the store records writers: user name or "token:ID". */
void zl_import_actor(const struct zl_principal *p, char *out, size_t n);

#endif /* ZL_HTTP_IMPORTS_H */
