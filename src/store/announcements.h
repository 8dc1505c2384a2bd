/*
 * announcements.h - spot-check result announcements (抽查结果公告) in the
 * database (migrations 13 and 15, docs/results.md "Publication"): a
 * grouping of final inspection results by one organization, drafted,
 * submitted, approved (then public) or withdrawn, and the public view of
 * the results of published announcements.
 *
 * An inspection belongs to at most one announcement (inspections.
 * announcement_id).  Only final results are added: state closed with a
 * conclusion, or failed and any state after it (the failure is final).
 * Who may add which inspection, and who may approve, is decided by the
 * caller (http/announcements.c, domain/inspection_access.h); the store
 * enforces the states: results change only in a draft not yet submitted,
 * approval needs a submitted draft whose every failure is complete
 * (domain/announcement.h), withdrawal a published announcement.  A refusal
 * writes nothing.
 *
 * Reads fill a set whose strings live in its arena; lists walk rows
 * through a callback, each row valid during the call.  Writes run in the
 * caller's transaction, or their own.
 */
#ifndef ZL_STORE_ANNOUNCEMENTS_H
#define ZL_STORE_ANNOUNCEMENTS_H

#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/err.h"
#include "db/db.h"
#include "store/plans.h" /* struct zl_plan_actor */

#define ZL_ANN_TITLE_MAX 200 /* characters */
#define ZL_ANN_DOC_NO_MAX 100
#define ZL_ANN_NOTE_MAX 2000

/* One announcement.  Strings live in the set's arena ("" when empty). */
struct zl_ann_row {
	int64_t id;
	const char *org, *org_name, *org_path;
	const char *level;  /* national | province | city | county */
	const char *title, *doc_no;
	const char *origin; /* own | imported */
	const char *source;
	const char *status; /* draft | published | withdrawn */
	const char *issued_on, *published_at, *note;
	int version;
	const char *created_by, *created_at, *updated_by, *updated_at;
	const char *submitted_by, *submitted_at, *approved_by, *approved_at;
	const char *withdrawn_by, *withdrawn_at, *withdraw_reason;
	int64_t results, failed; /* inspections it carries, of which failed */
};

struct zl_ann_set {
	struct zl_arena arena;
	struct zl_ann_row *v;
	size_t n;
};

void zl_ann_set_init(struct zl_ann_set *s);
void zl_ann_set_release(struct zl_ann_set *s);

/* Announcement `id` into `set` (one element); ZL_ENOTFOUND (field "id"). */
int zl_store_ann_get(struct zl_db *db, int64_t id, struct zl_ann_set *set, struct zl_error *err);

/* Filters of zl_store_ann_list; NULL / 0 do not filter. */
struct zl_ann_filter {
	const char *path;   /* staff: announcements of organizations in this subtree */
	int public_only;    /* only published ones (the public lists) */
	const char *status; /* draft | submitted (a draft submitted) | published | withdrawn */
	const char *origin; /* own | imported */
	const char *q;	    /* fragment of the title or doc_no */
	int64_t before;	    /* cursor: ids below it */
	int64_t limit;	    /* rows at most; <= 0 all */
};

typedef int zl_ann_row_fn(void *cls, const struct zl_ann_row *r);

/* Announcements matching `f`, id descending; *total (may be NULL) the exact count. */
int zl_store_ann_list(struct zl_db *db, const struct zl_ann_filter *f, zl_ann_row_fn *fn,
		      void *cls, int64_t *total, struct zl_error *err);

/* A new draft of origin own. */
struct zl_ann_new {
	const char *org, *level, *title, *doc_no, *issued_on, *note;
};

/* Check `n` (ZL_EUNPROC naming the field); pure. */
int zl_ann_new_check(const struct zl_ann_new *n, struct zl_error *err);

/* Store it as a draft; *id receives its id.  ZL_EUNPROC (field org) for an unknown organization. */
int zl_store_ann_create(struct zl_db *db, const struct zl_ann_new *n,
			const struct zl_plan_actor *who, int64_t *id, struct zl_error *err);

/*
 * Add inspection `insp` to draft `id`: ZL_ECONFLICT (field "status") when
 * the announcement is not an unsubmitted draft, ZL_EUNPROC (field
 * "inspection") when the result is not final, ZL_ECONFLICT (field
 * "inspection") when another announcement (not withdrawn) carries it;
 * adding one already there is a no-op.  ZL_ENOTFOUND for either id.
 */
int zl_store_ann_add(struct zl_db *db, int64_t id, int64_t insp, const struct zl_plan_actor *who,
		     struct zl_error *err);
/* Take it out again (ZL_ENOTFOUND when the draft does not carry it). */
int zl_store_ann_remove(struct zl_db *db, int64_t id, int64_t insp,
			const struct zl_plan_actor *who, struct zl_error *err);

/* Submit draft `id` for approval (ZL_ECONFLICT when submitted or not a draft; ZL_EUNPROC when empty). */
int zl_store_ann_submit(struct zl_db *db, int64_t id, const struct zl_plan_actor *who,
			struct zl_error *err);
/*
 * Approve submitted draft `id`: the completeness check of every failure
 * (ZL_EUNPROC, field "results[INSPECTION].FIELD", nothing changed), then
 * status published, published_at, approved_by/at.  ZL_EFORBIDDEN when
 * who->user submitted it; ZL_ECONFLICT when it is not a submitted draft.
 */
int zl_store_ann_approve(struct zl_db *db, int64_t id, const struct zl_plan_actor *who,
			 struct zl_error *err);
/*
 * Withdraw: a published announcement becomes withdrawn (it leaves the
 * public lists; `reason` required), a submitted draft goes back to an
 * unsubmitted draft.  ZL_ECONFLICT otherwise.
 */
int zl_store_ann_withdraw(struct zl_db *db, int64_t id, const char *reason,
			  const struct zl_plan_actor *who, struct zl_error *err);

/* ---- results ------------------------------------------------------------------------------ */

/* One result of an announcement, as published.  Strings in the walk's arena. */
struct zl_ann_result {
	int64_t inspection_id, announcement_id;
	const char *uscc, *enterprise_name;
	int nominal, counterfeit;
	const char *sampled_unit, *retailer, *platform;
	const char *region; /* the enterprise's region code (county, else the quota's) */
	const char *product, *product_name, *product_text;
	const char *trademark, *spec, *batch, *production_date;
	const char *result; /* pass | fail */
	const char *failing_items; /* names joined by "；" */
	const char *level;
	const char *state; /* the inspection's lifecycle state */
	const char *ann_title, *ann_doc_no, *ann_date, *ann_org, *ann_org_name, *ann_status;
};

/* Filters of zl_store_ann_results. */
struct zl_ann_result_filter {
	int64_t announcement_id; /* > 0: only this one's (any status: the caller decides) */
	int public_only;	 /* only results of published announcements */
	const char *product;	 /* catalogue code: its subtree */
	const char *region;	 /* six digits: its subtree (trailing 00 pairs dropped) */
	int year;		 /* of the announcement's date (issued_on, else published) */
	const char *result;	 /* pass | fail */
	const char *q;		 /* fragment of enterprise, sampled unit, product text, trademark */
	int64_t before;		 /* cursor: inspection ids below it */
	int64_t limit;
};

typedef int zl_ann_result_fn(void *cls, const struct zl_ann_result *r);

/* Results matching `f`, inspection id descending; *total (may be NULL) the exact count. */
int zl_store_ann_results(struct zl_db *db, const struct zl_ann_result_filter *f,
			 zl_ann_result_fn *fn, void *cls, int64_t *total, struct zl_error *err);

#endif /* ZL_STORE_ANNOUNCEMENTS_H */
