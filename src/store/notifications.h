/*
 * notifications.h - the messages a user finds in the notification list
 * (migration 7): written by the modules in the same transaction as the
 * change they announce, one row per recipient, read and marked read by
 * their recipient only.  Kinds (docs/plan-ledger.md): plan.task_yellow,
 * plan.task_red, plan.task_due_soon, plan.task_assigned,
 * plan.report_pending, plan.report_confirmed, plan.report_returned.
 */
#ifndef ZL_STORE_NOTIFICATIONS_H
#define ZL_STORE_NOTIFICATIONS_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "db/db.h"
#include "domain/authz.h"

#define ZL_NOTE_MESSAGE_MAX 1024 /* bytes of a message (longer ones are cut) */

/* What a notification is about; 0 ids mean "none". */
struct zl_note_in {
	const char *kind;
	int64_t plan_id;
	int64_t task_id;
	int64_t report_id;
	const char *message;
	const char *now; /* RFC 3339 UTC; NULL: the clock */
};

/* One notification to one user; ZL_EDB etc.  Inside the caller's transaction. */
int zl_store_notify_user(struct zl_db *db, const char *username, const struct zl_note_in *n,
			 struct zl_error *err);

/*
 * The same to every enabled account of organization `org` (exactly, not its
 * subtree) whose role holds permission `need`, except `skip_user` (the
 * actor; may be NULL).  *sent (may be NULL) is increased by the number
 * written.
 */
int zl_store_notify_org(struct zl_db *db, const char *org, enum zl_perm need, const char *skip_user,
			const struct zl_note_in *n, int64_t *sent, struct zl_error *err);

struct zl_note {
	int64_t id;
	char kind[32];
	int64_t plan_id;
	int64_t task_id;
	int64_t report_id;
	char message[ZL_NOTE_MESSAGE_MAX];
	char created_at[32];
	char read_at[32]; /* "" while unread */
};

typedef int zl_note_fn(void *cls, const struct zl_note *n);

/*
 * A user's notifications, newest first (id descending), ids below `before`
 * (0: from the newest), unread only when asked, at most `limit` (<= 0:
 * all).  *total (may be NULL) counts the matching ones and *unread (may be
 * NULL) the unread ones, cursor ignored.
 */
int zl_store_notifications(struct zl_db *db, const char *username, int unread_only, int64_t before,
			   long limit, zl_note_fn *fn, void *cls, int64_t *total, int64_t *unread,
			   struct zl_error *err);

/*
 * Mark notifications of `username` read at `now` (NULL: the clock): those
 * with the given ids (other users' ids are ignored), or all when `all`.
 * *changed (may be NULL) receives how many were unread.
 */
int zl_store_notifications_read(struct zl_db *db, const char *username, const int64_t *ids,
				size_t n, int all, const char *now, int64_t *changed,
				struct zl_error *err);

#endif /* ZL_STORE_NOTIFICATIONS_H */
