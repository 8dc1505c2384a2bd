/*
 * credit.h - the quality credit archive (issue 4): append-only events per
 * enterprise (credit_events, migration 4), written by manual entry and by
 * later modules (spot checks, recalls, ...), read by the enterprise pages,
 * the public lookup and, later, credit grading.
 *
 * Append-only: there is no update or delete.  A correction is a new event
 * whose detail starts "corrects #ID" (docs/credit.md).  Events are numbered
 * 1, 2, 3, ... in commit order: an add takes MAX(id) + 1 inside the
 * caller's transaction, serialised by SQLite's write lock (BEGIN
 * IMMEDIATE) or, on PostgreSQL, an advisory transaction lock.
 *
 * "Public" means visibility = 'public' AND (public_until = '' OR
 * public_until >= today), with `today` a "YYYY-MM-DD" the caller passes
 * (Asia/Shanghai), so the store reads no clock for it.
 */
#ifndef ZL_STORE_CREDIT_H
#define ZL_STORE_CREDIT_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "db/db.h"
#include "domain/credit.h" /* struct zl_credit_event: every column of credit_events */

/*
 * Called once per event; `ev` is valid only during the call (subkind is
 * "": it is not stored).  A non-zero return stops the walk and is returned.
 */
typedef int zl_credit_row_fn(void *cls, const struct zl_credit_event *ev);

/*
 * Append one event inside the caller's transaction (ZL_EINTERNAL outside
 * one).  The event must be complete: defaults applied
 * (zl_credit_apply_defaults) and valid - the store re-checks with
 * zl_credit_validate(ev, NULL, ...) and refuses (ZL_EUNPROC naming the
 * field) what the domain refuses; it does not check that the enterprise or
 * source organization exists (the caller does).  ev->id is ignored;
 * created_at "" means now; created_by is required.  *id_out (may be NULL)
 * receives the new id.  Other failures: ZL_EDB, ZL_EUNAVAIL.
 */
int zl_store_credit_add(struct zl_db *db, const struct zl_credit_event *ev, int64_t *id_out,
			struct zl_error *err);

/*
 * Every event of `uscc`, newest first (event_date desc, id desc), passed
 * to `fn`; public_only: only those public on `today` (required then).
 * ZL_OK, a db error, or what `fn` returned.
 */
int zl_store_credit_list(struct zl_db *db, const char *uscc, int public_only, const char *today,
			 zl_credit_row_fn *fn, void *cls, struct zl_error *err);

/* ---- additions: paging, one event, counts ------------------------------ */

/* What zl_store_credit_page() and _count() select; NULL members do not filter. */
struct zl_credit_filter {
	const char *uscc;  /* required */
	int public_only;   /* with `today` */
	const char *today; /* YYYY-MM-DD */
	const char *kind;  /* exact kind */
	/* cursor: only events after (after_date, after_id) in list order,
	 * i.e. event_date < after_date, or equal and id < after_id */
	const char *after_date;
	int64_t after_id;
};

/*
 * The events matching `f` in list order, at most `limit` (<= 0: all),
 * read in batches so an export holds one batch in memory.
 */
int zl_store_credit_page(struct zl_db *db, const struct zl_credit_filter *f, int64_t limit,
			 zl_credit_row_fn *fn, void *cls, struct zl_error *err);

/* Exact number of events matching `f` (cursor ignored) into *total. */
int zl_store_credit_count(struct zl_db *db, const struct zl_credit_filter *f, int64_t *total,
			  struct zl_error *err);

/* One event by id into *out; ZL_ENOTFOUND when there is none. */
int zl_store_credit_get(struct zl_db *db, int64_t id, struct zl_credit_event *out,
			struct zl_error *err);

/* What credit grading reads: events of one enterprise public on `today`. */
struct zl_credit_counts {
	int64_t positive;
	int64_t negative;
	int64_t neutral;
};

/* Counts of the public, unexpired events of `uscc` on `today` by polarity. */
int zl_store_credit_counts(struct zl_db *db, const char *uscc, const char *today,
			   struct zl_credit_counts *out, struct zl_error *err);

#endif /* ZL_STORE_CREDIT_H */
