/*
 * plan_reports.h - progress reports on plan tasks (督查督办), their
 * indicator values and attached files (migration 7, docs/plan-ledger.md).
 *
 * An owner of a task files a report: text, a percentage, values of the
 * task's indicators, files.  The lead (or the plan's organization)
 * confirms it - the task's progress and indicator values become the
 * report's - or returns it with a reason; a returned report stays as it
 * was and the owner files a new one.  Status: submitted -> confirmed |
 * returned, once.  Every write evaluates the task's light again and
 * writes notifications (the confirmers when a report arrives, the author
 * when it is decided).  Who may do what is decided by the caller
 * (domain/plan_access.h); these functions check the facts only.
 *
 * Transactions and errors as in store/plans.h.
 */
#ifndef ZL_STORE_PLAN_REPORTS_H
#define ZL_STORE_PLAN_REPORTS_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "db/db.h"
#include "domain/audit.h"
#include "store/plans.h"

#define ZL_PLAN_REPORT_TEXT_MAX 4000		  /* characters */
#define ZL_PLAN_NOTE_MAX 500			  /* characters of a decision's note */
#define ZL_PLAN_ATTACHMENT_MAX ((size_t)20 << 20) /* bytes of one file */
#define ZL_PLAN_ATTACHMENTS_MAX 20		  /* files per report */
#define ZL_PLAN_FILE_NAME_MAX 200		  /* characters */

struct zl_plan_value_in {
	int64_t indicator_id; /* an indicator of the task */
	double value;
};

struct zl_plan_report_in {
	int64_t task_id;
	const char *org;  /* the owner reported for (an owner row's organization, or the
			   * plan's organization for a task nobody is named for) */
	const char *text; /* required */
	int progress;	  /* 0..100 */
	const char *date; /* the day reported; NULL: who->today */
	const struct zl_plan_value_in *values;
	size_t nvalues;
};

/*
 * File a report (status submitted).  ZL_ENOTFOUND (task), ZL_EUNPROC naming
 * "text", "progress", "date" (malformed, or after who->today),
 * "values[i].indicator" (not an indicator of the task) or "values[i].value"
 * (not finite).  ZL_ECONFLICT when the task is completed.  *id (may be
 * NULL) receives the report's id.
 */
int zl_store_plan_report_add(struct zl_db *db, const struct zl_plan_report_in *in,
			     const struct zl_plan_actor *who, int64_t *id, struct zl_error *err);

struct zl_plan_report {
	int64_t id;
	int64_t task_id;
	int64_t plan_id;
	char org[ZL_ORG_CODE_MAX];
	char org_name[192];
	char author[96];
	char report_on[16];
	char created_at[32];
	char text[4 * ZL_PLAN_REPORT_TEXT_MAX + 1];
	int progress;
	char status[16]; /* submitted | confirmed | returned */
	char decided_by[96];
	char decided_at[32];
	char decision_note[4 * ZL_PLAN_NOTE_MAX + 1];
	int64_t attachments; /* number of files */
};

/* One report (about 20 KiB: allocate it); ZL_ENOTFOUND (field "id"). */
int zl_store_plan_report_get(struct zl_db *db, int64_t id, struct zl_plan_report *out,
			     struct zl_error *err);

typedef int zl_plan_report_fn(void *cls, const struct zl_plan_report *r);

/*
 * The reports of a task, newest first (report_on, then id, descending),
 * after the cursor (before_on, before_id: rows sorting after it in that
 * order; before_on NULL: from the start), at most `limit` (<= 0: all).
 * status NULL: any.  *total (may be NULL): the exact number, cursor ignored.
 */
int zl_store_plan_reports(struct zl_db *db, int64_t task_id, const char *status,
			  const char *before_on, int64_t before_id, long limit,
			  zl_plan_report_fn *fn, void *cls, int64_t *total, struct zl_error *err);

/*
 * The latest report that was not returned of every task of plan `plan_id`
 * that has one (in task id order), for the ledger's "latest report".
 */
int zl_store_plan_latest_reports(struct zl_db *db, int64_t plan_id, zl_plan_report_fn *fn,
				 void *cls, struct zl_error *err);

struct zl_plan_report_value {
	int64_t indicator_id;
	const char *name;
	const char *unit;
	double value;
};
typedef int zl_plan_value_fn(void *cls, const struct zl_plan_report_value *v);

/* The indicator values a report gives, in the indicators' order. */
int zl_store_plan_report_values(struct zl_db *db, int64_t report_id, zl_plan_value_fn *fn,
				void *cls, struct zl_error *err);

/*
 * Decide a submitted report: confirm (the task's progress becomes that of
 * its latest confirmed report, each indicator's value that of its latest
 * confirmed report; `complete` also marks the task completed on the
 * report's day) or return it (`note`, the reason, required: ZL_EUNPROC
 * "reason").  ZL_ENOTFOUND; ZL_ECONFLICT when it is no longer submitted.
 */
int zl_store_plan_report_decide(struct zl_db *db, int64_t report_id, int confirm, const char *note,
				int complete, const struct zl_plan_actor *who,
				struct zl_error *err);

/* An attached file's description (its bytes are read separately). */
struct zl_plan_attachment {
	int64_t id;
	int64_t report_id;
	char name[4 * ZL_PLAN_FILE_NAME_MAX + 1];
	char media_type[128];
	int64_t size;
	char sha256[ZL_SHA256_HEX_LEN + 1];
	char created_by[96];
	char created_at[32];
};

/*
 * Attach data[0..n) to a report that is not decided yet (ZL_ECONFLICT
 * otherwise): ZL_ETOOBIG beyond ZL_PLAN_ATTACHMENT_MAX bytes or
 * ZL_PLAN_ATTACHMENTS_MAX files, ZL_EUNPROC "name" (empty, too long, a
 * path) or "type" (not type/subtype).  The SHA-256 is computed here.
 * `out` (may be NULL) receives the stored description.
 */
int zl_store_plan_attachment_add(struct zl_db *db, int64_t report_id, const char *name,
				 const char *media_type, const void *data, size_t n,
				 const struct zl_plan_actor *who, struct zl_plan_attachment *out,
				 struct zl_error *err);

typedef int zl_plan_attachment_fn(void *cls, const struct zl_plan_attachment *a);

/* The files of a report, oldest first (descriptions only). */
int zl_store_plan_attachments(struct zl_db *db, int64_t report_id, zl_plan_attachment_fn *fn,
			      void *cls, struct zl_error *err);

/*
 * One file: its description into *meta and, when `data` is not NULL, its
 * bytes into a malloc'd *data (*n bytes; the caller frees).  ZL_ENOTFOUND.
 */
int zl_store_plan_attachment_get(struct zl_db *db, int64_t id, struct zl_plan_attachment *meta,
				 void **data, size_t *n, struct zl_error *err);

#endif /* ZL_STORE_PLAN_REPORTS_H */
