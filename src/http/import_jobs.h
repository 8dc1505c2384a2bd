/*
 * import_jobs.h - enterprise and spot-check result imports run in the background, so a large
 * upload answers at once (202) and the browser can show how far the import
 * has come (POST /api/v1/imports/enterprises?async=1, then
 * GET /api/v1/imports/{id}).
 *
 * One worker thread per server runs the jobs one after another, in the
 * order they were submitted, with its own database connection from the
 * pool (imports write heavily; running them side by side would only make
 * them wait for each other's locks).  At most ZL_IMPORT_JOBS_WAITING jobs
 * may be queued or running (429 beyond); a finished job (its state and
 * report) is kept for ZL_IMPORT_JOBS_KEEP_S seconds and among the last
 * ZL_IMPORT_JOBS_SLOTS jobs.  Jobs live in memory only: a restart forgets
 * them (a queued job is dropped; the running one finishes first, as
 * zl_import_jobs_free() waits for it).
 *
 * A job is visible to its submitter only (the same user, or the same API
 * token): anyone else gets 404, as for an unknown id.
 *
 * The state as JSON:
 *   {"id","state":"queued|running|done|failed","file","size","dry_run",
 *    "phase":"reading|sorting|writing|indexing"|null,"rows","bytes_done","bytes_total",
 *    "written_rows","grams_done","grams_total","elapsed_ms",
 *    "result":<the report of imports.h>|null,"error":{"code","message","field"}|null}
 */
#ifndef ZL_HTTP_IMPORT_JOBS_H
#define ZL_HTTP_IMPORT_JOBS_H

#include <stdint.h>

#include "ctx.h"
#include "http/imports.h"
#include "store/sc_import.h"

#define ZL_IMPORT_JOB_ID_LEN 32	   /* hex digits */
#define ZL_IMPORT_JOBS_SLOTS 16	   /* jobs remembered */
#define ZL_IMPORT_JOBS_WAITING 4   /* queued or running at most */
#define ZL_IMPORT_JOBS_KEEP_S 3600 /* a finished job is forgotten after this */

struct zl_import_jobs;

struct zl_import_job_spec {
	const char *path; /* the upload: moved into the job (the caller's name is gone after) */
	uint64_t size;
	const struct zl_principal *principal; /* the submitter */
	const char *rid;		      /* request id, for the audit row */
	const char *name;		      /* the file name for the audit row */
	int partial;
	enum zl_table_encoding encoding;
	int dry_run;
	/* A spot-check result import (http/imports.h zl_sc_import_run) instead of an enterprise
	 * import: its options (strings copied into the job; who and progress set by the worker). */
	const struct zl_sc_import_options *sc;
};

/* Start the worker.  ZL_ENOMEM, or ZL_EINTERNAL when the thread cannot start. */
int zl_import_jobs_new(struct zl_ctx *ctx, struct zl_import_jobs **out, struct zl_error *err);
/* Drop queued jobs, wait for the running one, stop the worker.  NULL is a no-op. */
void zl_import_jobs_free(struct zl_import_jobs *j);

/*
 * Queue an import.  Returns ZL_OK and the job's id, or ZL_ERATE (429) when
 * ZL_IMPORT_JOBS_WAITING jobs are waiting already, ZL_EIO when the upload
 * cannot be moved.
 */
int zl_import_jobs_submit(struct zl_import_jobs *j, const struct zl_import_job_spec *s,
			  char id[ZL_IMPORT_JOB_ID_LEN + 1], struct zl_error *err);
/* Answer the job's state as JSON with `status`; ZL_ENOTFOUND for another caller's job. */
int zl_import_jobs_status(struct zl_import_jobs *j, const char *id, const struct zl_principal *who,
			  struct zl_resp *resp, int status, struct zl_error *err);
/*
 * Answer a finished job's report as a file (imports.h format); 409 while it
 * is queued or running, 422 when it failed.
 */
int zl_import_jobs_report(struct zl_import_jobs *j, const char *id, struct zl_req *req,
			  struct zl_resp *resp, enum zl_import_report fmt, struct zl_error *err);

#endif /* ZL_HTTP_IMPORT_JOBS_H */
