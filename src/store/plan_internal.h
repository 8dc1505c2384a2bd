/*
 * plan_internal.h - what the plan ledger's store files (plans.c,
 * plan_tasks.c, plan_reports.c) share: the transaction wrapper, the
 * actor's clock, re-evaluating a stored light, and notifying a task's
 * owners.  The catalogue and spot-check plans (catalogue.c,
 * spotcheck_plans.c) use its transaction, clock, id and vector helpers
 * too; nothing outside store/ includes it.
 */
#ifndef ZL_STORE_PLAN_INTERNAL_H
#define ZL_STORE_PLAN_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "core/err.h"
#include "db/db.h"
#include "store/notifications.h"
#include "store/plans.h"

/* who->now, or the clock, as RFC 3339 UTC. */
void zl_plan_now(const struct zl_plan_actor *who, char out[32]);

/* Begin a transaction unless one is open (*own = 1 when this call began one). */
int zl_plan_tx_begin(struct zl_db *db, int *own, struct zl_error *err);
/* End what zl_plan_tx_begin began: commit when rc is ZL_OK, else roll back; returns rc
 * or the commit's error.  With own 0 it only returns rc (the caller's transaction). */
int zl_plan_tx_end(struct zl_db *db, int own, int rc, struct zl_error *err);

/* Check an actor; ZL_EINTERNAL when user or today is missing. */
int zl_plan_actor_check(const struct zl_plan_actor *who, struct zl_error *err);

/*
 * Store task t's evaluation (t->light, computed for `today` by
 * zl_store_plan_tasks) when it differs from the stored one, and notify its
 * owners of a turn to yellow or red and of a new due-soon flag.  *changed
 * (may be NULL) is set when something was written; *sent (may be NULL)
 * is increased by the notifications written.
 */
int zl_plan_store_light(struct zl_db *db, const struct zl_plan_task_row *t, const char *today,
			const char *now, const char *actor_user, int *changed, int64_t *sent,
			struct zl_error *err);

/* Read task `task_id` for `today` and zl_plan_store_light() it. */
int zl_plan_relight(struct zl_db *db, int64_t task_id, const char *today, const char *now,
		    const char *actor_user, struct zl_error *err);

/*
 * Notify the users of each resolved owner organization of task t (roles
 * lead, co, shared; or only the leads when leads_only), or those of the
 * plan's organization when none is resolved, who hold permission `need`,
 * except `skip_user`.
 */
int zl_plan_notify_owners(struct zl_db *db, const struct zl_plan_task_row *t, int leads_only,
			  enum zl_perm need, const char *skip_user, const struct zl_note_in *n,
			  int64_t *sent, struct zl_error *err);

/*
 * Read the one row `sql` (one `?`, bound to `id`) selects with `read`
 * into `out`; ZL_ENOTFOUND (field "id", "no <what> <id>") without a row.
 */
typedef void zl_plan_read_fn(struct zl_stmt *st, void *out);
int zl_plan_row_by_id(struct zl_db *db, const char *sql, int64_t id, zl_plan_read_fn *read,
		      void *out, const char *what, struct zl_error *err);

/* Make room for one more element in a heap vector (vec, n, cap); oom = 1 on failure. */
#define ZL_PLAN_GROW(vec, n, cap, oom)                                                             \
	do {                                                                                       \
		if ((n) == (cap)) {                                                                \
			size_t c_ = (cap) ? 2 * (cap) : 64;                                        \
			void *p_ = realloc((vec), c_ * sizeof(*(vec)));                            \
			if (p_ == NULL) {                                                          \
				(oom) = 1;                                                         \
				break;                                                             \
			}                                                                          \
			(vec) = p_;                                                                \
			(cap) = c_;                                                                \
		}                                                                                  \
	} while (0)

/*
 * Step `st` (prepared and bound by the caller) to its end, collecting
 * column 0 of each row into a malloc'd *ids (*n of them; the caller frees
 * it, also on failure), then reset it.
 */
int zl_plan_collect_ids(struct zl_stmt *st, int64_t **ids, size_t *n, struct zl_error *err);

/* Step a bound INSERT ... RETURNING id and reset it; *id receives the id. */
int zl_plan_run_id(struct zl_stmt *st, int64_t *id, struct zl_error *err);

/*
 * An attached file's name as stored (plan reports, inspections): 1 ..
 * ZL_PLAN_FILE_NAME_MAX characters of UTF-8, no / \\ " or control
 * character, not . or ..; and its media type: type/subtype of token
 * characters, under 128 bytes.  1 when acceptable.
 */
int zl_plan_file_name_ok(const char *name);
int zl_plan_media_type_ok(const char *t);

/* "任务 3「title」" for messages: into out (n bytes, title cut on a character). */
void zl_plan_task_label(const struct zl_plan_task_row *t, char *out, size_t n);

#endif /* ZL_STORE_PLAN_INTERNAL_H */
