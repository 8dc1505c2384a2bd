/*
 * inspections.h - spot-check inspections in the database (migration 11,
 * docs/inspections.md, docs/spotchecks.md): one spot check of one product
 * at one enterprise, made by a draw (store/draws.h), with the lifecycle
 * machine's record (domain/inspection.h) kept as columns, the documents
 * the steps bring in (the sampling record, the laboratory report with its
 * items, the re-test's verdicts, the numbers of the orders), the inspectors
 * drawn for it, photos and documents as attachments, and the history of
 * every step.
 *
 * A step is applied by zl_store_insp_apply(): the stored record is read
 * and checked (zl_insp_check), the event is applied by zl_insp_apply() as
 * of env->today, and in the caller's transaction the new record and the
 * event's documents are written, the event row is appended, and the
 * credit-archive event the machine asks for (store/credit.h) is added for
 * the enterprise in the plan's organization's name.  A refusal of the
 * machine is returned as it is (ZL_ECONFLICT wrong state, ZL_EFORBIDDEN
 * wrong role, ZL_EINVAL / ZL_EUNPROC a guard naming the field) and writes
 * nothing.  Who the caller is for the record (which role it may fire) is
 * decided before, by domain/inspection_access.h.
 *
 * Reads fill a set whose strings live in its arena; lists walk rows
 * through a callback, each row valid during the call.
 */
#ifndef ZL_STORE_INSPECTIONS_H
#define ZL_STORE_INSPECTIONS_H

#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/err.h"
#include "db/db.h"
#include "domain/inspection.h"
#include "store/plans.h" /* struct zl_plan_actor */

#define ZL_INSP_TEXT_MAX 200	  /* characters: batch, spec, trademark, numbers, samplers */
#define ZL_INSP_REASON_MAX 500	  /* characters: reasons and statements */
#define ZL_INSP_SAMPLERS_MAX 16	  /* names in a sampling record */
#define ZL_INSP_FILE_NAME_MAX 200 /* characters */
#define ZL_INSP_ATTACHMENT_MAX ((size_t)20 << 20) /* bytes per file */
#define ZL_INSP_ATTACHMENTS_MAX 50		  /* files per inspection */

/* A new inspection (state planned), as a draw makes it. */
struct zl_insp_new {
	int64_t plan_id;
	const char *product;
	const char *uscc, *enterprise_name;
	const char *county; /* the enterprise's region in the register, "" */
	const char *region; /* the quota's government (the draw's stratum) */
	const char *lab;    /* the product's laboratory in the plan, "" */
	const char *gov;    /* the plan's government: the authority */
	const char *plan_due; /* the plan's last day, the sampling task's date; "" */
	int64_t draw_id;      /* 0: none */
	int position;	      /* in the draw's result, from 1 */
};

/* Store it with a history row "created"; *id receives its id. */
int zl_store_insp_create(struct zl_db *db, const struct zl_insp_new *n,
			 const struct zl_plan_actor *who, int64_t *id, struct zl_error *err);

/*
 * An inspection taken from a published result table (store/sc_import.h):
 * the machine's record as the import built it (closed/passed, or
 * failed/disposal_unknown; zl_insp_check must accept it), the sampling
 * details and the columns of migration 13.  Strings are borrowed.
 */
struct zl_insp_imported {
	int64_t plan_id, announcement_id;
	const char *product, *uscc, *enterprise_name;
	const char *county, *region, *gov; /* the enterprise's region, the row's, the plan's */
	const char *level, *size_class;
	const char *batch, *production_date, *spec, *trademark, *place;
	const char *sampled_unit, *retailer, *platform, *product_text, *remark;
	int nominal, counterfeit;
	int64_t source_row;
	const char *const *failed_items; /* names of the failed items, nitems of them */
	const char *on_date;		  /* the day the history row records */
};

/*
 * Insert it with its failed items (verdict fail, measured and limit "")
 * and one history row "imported" (data {"announcement":ID,"row":N}) in
 * the caller's transaction, without reading anything back: the import's
 * bulk path.  *id receives the id.  ZL_EINTERNAL when the record is not
 * one the machine accepts; database errors.
 */
int zl_store_insp_import_row(struct zl_db *db, const struct zl_insp_imported *in,
			     const struct zl_inspection *rec, const struct zl_plan_actor *who,
			     const char *now, int64_t *id, struct zl_error *err);

/*
 * Assign inspector accounts to inspection `id` (replacing none: they are
 * added after any assigned before, in order) with a history row
 * "inspectors_drawn" naming the draw.  ZL_ENOTFOUND.
 */
int zl_store_insp_assign(struct zl_db *db, int64_t id, const char *const *usernames, size_t n,
			 int64_t draw_id, const struct zl_plan_actor *who, struct zl_error *err);

/* One item of the laboratory report. */
struct zl_insp_item_row {
	int ord;
	const char *name, *measured, *limit, *unit;
	const char *verdict;	    /* pass | fail */
	const char *retest_measured; /* "" */
	const char *retest_verdict;  /* "" | pass | fail */
};

/* One row of the history. */
struct zl_insp_event_row {
	int seq;
	const char *event; /* a machine event, or created | inspectors_drawn */
	const char *role, *actor, *org;
	const char *on_date; /* the act's day */
	const char *at;	     /* when it was recorded (RFC 3339) */
	const char *from_state, *to_state;
	const char *data;	   /* the event's data as a JSON object */
	int64_t credit_event; /* the credit-archive event written, 0 none */
};

/* An attachment's description (its bytes are read separately). */
struct zl_insp_attachment {
	int64_t id;
	int64_t inspection_id;
	char kind[16]; /* photo | document */
	char name[4 * ZL_INSP_FILE_NAME_MAX + 1];
	char media_type[128];
	int64_t size;
	char sha256[65];
	char created_by[96];
	char created_at[32];
};

/* One inspection.  Strings live in the set's arena. */
struct zl_insp_row {
	int64_t id, plan_id, draw_id;
	int position, version;
	const char *plan_title, *plan_org, *plan_org_name, *plan_org_path, *plan_end;
	const char *plan_level; /* the plan's: province | city | county */
	const char *product, *product_name;
	const char *uscc, *enterprise_name, *county;
	const char *region, *region_name, *region_path;
	const char *lab, *lab_name, *lab_path;
	const char *gov;
	const char *created_by, *created_at, *updated_by, *updated_at;
	struct zl_inspection rec; /* the machine's record */
	/* The sampling record. */
	const char *place, *batch, *production_date, *spec, *trademark, *seal_no;
	int sample_qty, backup_qty, backup_sealed;
	const char **samplers;
	size_t nsamplers;
	const char *report_no, *retest_no, *order_no;
	const char **inspectors; /* usernames, in order */
	const char **inspector_names; /* their display names ("" none) */
	size_t ninspectors;
	int64_t photos; /* photo attachments */
	/* Details (zl_store_insp_get only). */
	struct zl_insp_item_row *items;
	size_t nitems;
	struct zl_insp_event_row *events;
	size_t nevents;
	struct zl_insp_attachment *attachments;
	size_t nattachments;
};

struct zl_insp_set {
	struct zl_arena arena;
	struct zl_insp_row *v;
	size_t n;
};

void zl_insp_set_init(struct zl_insp_set *s);
void zl_insp_set_release(struct zl_insp_set *s);

/* Inspection `id` whole into `set` (one element); ZL_ENOTFOUND (field "id"). */
int zl_store_insp_get(struct zl_db *db, int64_t id, struct zl_insp_set *set,
		      struct zl_error *err);

/* Whose inspections a list shows (domain/inspection_access.h as SQL). */
enum zl_insp_scope {
	ZL_INSP_SCOPE_STAFF = 0, /* of plans whose organization, or regions whose government,
				    lies in `path`'s subtree */
	ZL_INSP_SCOPE_INSPECTOR, /* assigned to `user` */
	ZL_INSP_SCOPE_LAB,	 /* whose laboratory is `path` or lies above it */
	ZL_INSP_SCOPE_ENTERPRISE /* of enterprise `uscc` */
};

/* Filters of zl_store_insp_list; NULL / 0 do not filter. */
struct zl_insp_filter {
	enum zl_insp_scope scope;
	const char *path, *user, *uscc_scope; /* what the scope needs */
	int64_t plan_id, draw_id;
	const char *product; /* this catalogue code and every code below it */
	const char *uscc;
	const char *county_like; /* the enterprise's county LIKE this (digits, then '%' or not):
				    the subtree of a GB/T 2260 code, as the statistics group */
	const char *state;	 /* a state name */
	int open_only;		 /* not closed or cancelled */
	int final_only;		 /* final results, as an announcement takes them
				    (store/announcements.c) */
	int announced;		 /* 0: no filter; 1: in an announcement not withdrawn;
				    -1: in none (or only in withdrawn ones) */
	/* The statistics' filters (docs/dashboard.md): counted batches only (the
	 * laboratory's final conclusion pass or fail; not deemed, not cancelled),
	 * of that conclusion ("pass"/"fail"), of a period date (the sampling date,
	 * else the report date, else the announcement's issue date) in [from, to)
	 * (YYYY-MM-DD), of that size class, plan level and sampling place. */
	int counted;
	const char *result;
	const char *from, *to;
	const char *size, *level, *place;
	/* Only those on which something may be due (a task list): open ones, and closed
	 * ones whose samples' return may still be due (inspection.def's dues; a closed
	 * record with the return notified, or contested, has none).  Timer-free history
	 * is never read for a task list. */
	int may_be_due;
	int64_t before;	    /* cursor: ids below it */
	int64_t limit;	    /* rows at most; <= 0: all */
};

/* Called per row (newest first); the row and its strings live until the call returns. */
typedef int zl_insp_row_fn(void *cls, const struct zl_insp_row *r);

/*
 * The inspections matching `f`, id descending, without details; *total
 * (may be NULL) receives the exact count of all matching rows (cursor and
 * limit ignored).  ZL_OK, a database error, or what `fn` returned.
 */
int zl_store_insp_list(struct zl_db *db, const struct zl_insp_filter *f, zl_insp_row_fn *fn,
		       void *cls, int64_t *total, struct zl_error *err);

/* One step to apply. */
struct zl_insp_step {
	struct zl_insp_event ev; /* the machine's event; strings borrowed for the call */
	/* record_sampling, refuse_sampling without samplers: the inspectors' names */
	/* retest_*: the re-test's measured values, one per contested item, or NULL */
	const char *const *retest_measured;
	int expect_version; /* > 0: ZL_ECONFLICT (field "version") unless at it */
};

/* What a step did. */
struct zl_insp_applied {
	struct zl_inspection before, after;
	struct zl_insp_effect eff;
	int seq;	       /* its history row */
	int64_t credit_event;  /* the credit-archive event written, 0 none */
};

/*
 * Apply `step` to inspection `id` as of env->today (see above).  For
 * record_sampling the photos are the inspection's photo attachments
 * (whatever the event says); for record_sampling and refuse_sampling
 * without samplers, the assigned inspectors' display names.  Inside the
 * caller's transaction, or its own.  `out` may be NULL.
 */
int zl_store_insp_apply(struct zl_db *db, int64_t id, const struct zl_insp_step *step,
			const struct zl_insp_env *env, const struct zl_plan_actor *who,
			struct zl_insp_applied *out, struct zl_error *err);

/* What a run of the timers did. */
struct zl_insp_timer_stats {
	int64_t inspections;		       /* in a state with a timer, looked at */
	int64_t fired;			       /* steps fired */
	int64_t skipped;		       /* inspections left as they were after an error */
	int64_t by_event[ZL_INSP_EVENT_COUNT]; /* steps fired, per event */
};

/* Told of an inspection skipped by a run of the timers, and why. */
typedef void zl_insp_timer_skip_fn(void *cls, int64_t id, const struct zl_error *err);

/*
 * Fire every timer that is ready as of `today` (YYYY-MM-DD, Asia/Shanghai)
 * on the working-day calendar (codes/workdays.h): the daily run of
 * `zhiliang inspections fire-timers` and `serve` (docs/inspections.md).
 * The records of the inspections in a state that has a timer (the due
 * rules of kind timer: objection_window, rectifying) are read by state in
 * one query and their dues for the role system computed; only those with
 * a timer ready are read again in a transaction of their own, where each
 * ready timer's event (finalize, close, lapse) is applied by
 * zl_store_insp_apply() in the role system, dated the timer's own date
 * (the day after the period: the history and the credit archive say when
 * the period ended, not when the run came), with an audit row (actor
 * "system", organization the plan's, action "inspection.EVENT") in the
 * same transaction.  An inspection that fails (a deadline outside the
 * calendar, a record changed meanwhile, a database error) is rolled back,
 * counted in st->skipped, told to `skip` (may be NULL) and passed over;
 * the run goes on.  Idempotent: a second run the same day fires nothing.
 * Must not be called inside a transaction (ZL_EINTERNAL).  Returns ZL_OK
 * (skipped inspections included), ZL_EINVAL (field "today") for a
 * malformed date, or the error of reading the list.  `st` may be NULL.
 */
int zl_store_insp_fire_timers(struct zl_db *db, const char *today, struct zl_insp_timer_stats *st,
			      zl_insp_timer_skip_fn *skip, void *cls, struct zl_error *err);

/*
 * Attach data[0..n) to inspection `id`: kind "photo" (of the sampling:
 * only while the inspection is planned, ZL_ECONFLICT after) or "document"
 * (any time before it is closed or cancelled).  ZL_ETOOBIG past
 * ZL_INSP_ATTACHMENT_MAX bytes or ZL_INSP_ATTACHMENTS_MAX files;
 * ZL_EUNPROC "name" (empty, too long, a path), "type" (not type/subtype),
 * "kind".  `out` (may be NULL) receives the description.
 */
int zl_store_insp_attachment_add(struct zl_db *db, int64_t id, const char *kind, const char *name,
				 const char *media_type, const void *data, size_t n,
				 const struct zl_plan_actor *who, struct zl_insp_attachment *out,
				 struct zl_error *err);

/*
 * Attachment `att` of inspection `id`: its description into *meta and,
 * when `data` is not NULL, its bytes into a malloc'd *data (*n bytes; the
 * caller frees).  ZL_ENOTFOUND (also for another inspection's file).
 */
int zl_store_insp_attachment_get(struct zl_db *db, int64_t id, int64_t att,
				 struct zl_insp_attachment *meta, void **data, size_t *n,
				 struct zl_error *err);

#endif /* ZL_STORE_INSPECTIONS_H */
