/*
 * sc_import.h - the import of published spot-check result tables
 * (抽查结果公告, docs/results.md): read the file (core/table.h: CSV in any
 * encoding core/text.h detects, xlsx, xls), find its header under the
 * title rows and read each row (domain/sc_import.h), match the product to
 * the catalogue and the producer to the register, and write each accepted
 * row as an inspection of a new announcement (spotcheck_announcements,
 * origin imported, status draft) on the organization's imported plan for
 * the year (spotcheck_plans, origin imported, status finished; found or
 * made).  A passed row becomes an inspection closed with outcome passed; a
 * failed row one in state failed with outcome disposal_unknown
 * (domain/inspection.h: nothing is due on it), its failed items in
 * inspection_items with verdict fail.
 *
 * Matching the producer: by the USCC column when the row has one (it must
 * be valid and in the register), else the organization-code column (the
 * code embedded in a USCC, or a legacy record's), else the exact
 * normalised name (zl_sc_name_norm; former names count) among the
 * enterprises of the row's region subtree (its region column, else
 * opt->region, else everywhere).  No match, or several, rejects the row as
 * unmatched (naming the candidates' codes): an enterprise is never made up.
 * Without a producer cell the sampled unit is matched the same way.
 *
 * Atomicity is the caller's transaction (zl_sc_import() runs inside
 * zl_db_begin()).  Rows are written while the file is read; as soon as a
 * row is rejected without opt->partial (or always with opt->dry_run) the
 * engine stops writing, keeps reading to report every bad row, and leaves
 * res->written = 0: the caller must then roll back.  With res->written = 1
 * the caller commits.  Idempotence: the announcement is found again by
 * (org, source_sha256); rows already imported into it (by source row) are
 * skipped and counted in res->unchanged, so a file imported with --partial
 * can be imported again once its unmatched producers are registered.
 */
#ifndef ZL_STORE_SC_IMPORT_H
#define ZL_STORE_SC_IMPORT_H

#include <stdint.h>

#include "core/err.h"
#include "db/db.h"
#include "store/import.h"
#include "store/plans.h" /* struct zl_plan_actor */

struct zl_sc_import_options {
	const char *org;       /* organization code of the authority (required) */
	const char *level;     /* national | province | city | county; NULL: the title's, else
				* the organization's government's */
	const char *title;     /* NULL: the first title row, else the file name */
	const char *doc_no;    /* NULL: from the title rows when they carry one */
	const char *issued_on; /* YYYY-MM-DD or NULL */
	const char *product;   /* catalogue code for rows whose product matches none */
	const char *region;    /* six-digit region code for rows without one */
	const char *source;    /* file name recorded (NULL: the path's last part) */
	int partial;	       /* write the good rows when some are rejected */
	int dry_run;	       /* check everything, write nothing */
	enum zl_table_encoding encoding;
	const struct zl_plan_actor *who; /* user, today (required) */
	zl_import_progress_fn *progress; /* may be NULL; every 256 rows and at the end */
	void *progress_cls;
	size_t max_rejects; /* 0: ZL_IMPORT_MAX_REJECTS_DEFAULT */
};

/* What the import made, besides the counts in struct zl_import_result. */
struct zl_sc_import_info {
	int64_t announcement_id; /* 0 when nothing was written */
	int64_t plan_id;
	int announcement_existed; /* the same file was imported before */
	int64_t min_id, max_id;	  /* inspections inserted (0, 0: none) */
	uint64_t failed, passed;  /* rows written by verdict */
	char title[512], doc_no[128], level[16], issued_on[11];
	int year;
	char sha256[65];
};

/*
 * Import the result table at `path` (see the file comment).  ZL_OK when
 * the file was read to the end (rows may have been rejected: see res), or
 * an error concerning the whole file (unreadable, no header, an unknown
 * organization or level, a bad option, a database failure); then the
 * caller rolls back.  res must be initialised; info is filled.
 */
int zl_sc_import(struct zl_db *db, const char *path, const struct zl_sc_import_options *opt,
		 struct zl_import_result *res, struct zl_sc_import_info *info,
		 struct zl_error *err);

#endif /* ZL_STORE_SC_IMPORT_H */
