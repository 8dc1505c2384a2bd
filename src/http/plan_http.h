/*
 * plan_http.h - what the plan ledger's HTTP files share (plans.c,
 * plan_tasks.c, plan_reports.c): the caller as the store's actor, loading a
 * plan or a task the caller may see (else the same 404 as for one that does
 * not exist), the relation rules' view of a task's owners, the JSON forms of
 * plans, tasks and reports, and reading the neutral plan input
 * (store/plans.h) from request JSON with errors naming the member path
 * ("tasks[2].owners[0].role"), and the per-organization tallies behind the
 * completion figures and the bulletin.  docs/plan-ledger.md describes the API.
 */
#ifndef ZL_HTTP_PLAN_HTTP_H
#define ZL_HTTP_PLAN_HTTP_H

#include <stdint.h>

#include "core/json.h"
#include "domain/plan_access.h"
#include "domain/plan_bulletin.h"
#include "http/http.h"
#include "store/plan_reports.h"
#include "store/plans.h"

/* The caller as the store's actor: name ("token:ID" for tokens), organization, today. */
void zl_plan_http_actor(struct zl_req *req, struct zl_plan_actor *who, char today[16]);

/* The path parameter {id} as an id; ZL_ENOTFOUND "no <what> <text>" when it cannot be one. */
int zl_plan_http_id(struct zl_req *req, const char *what, int64_t *id, struct zl_error *err);

/* zl_plan_http_actor() and zl_plan_http_id() together: how every handler of a thing starts. */
int zl_plan_http_start(struct zl_req *req, const char *what, struct zl_plan_actor *who,
		       char today[16], int64_t *id, struct zl_error *err);

/*
 * The thread's connection in a transaction: a write one (`write`) or a
 * read one (one snapshot for the several reads of an answer).  ZL_EUNAVAIL.
 */
int zl_plan_http_open(struct zl_req *req, int write, struct zl_db **db, struct zl_error *err);

/* Commit when rc is ZL_OK, else roll back; the result. */
int zl_plan_http_finish(struct zl_db *db, int rc, struct zl_error *err);

/*
 * Plan `id` into *p when the caller may see it (domain/plan_access.h);
 * otherwise - and when there is none - ZL_ENOTFOUND "no plan <id>", so
 * nobody learns of a plan outside their reach.
 */
int zl_plan_http_plan(struct zl_req *req, struct zl_db *db, int64_t id, struct zl_plan_info *p,
		      struct zl_error *err);

/* Task `id` into `set` (read for `today`) and its plan into *p, on the same terms. */
int zl_plan_http_task(struct zl_req *req, struct zl_db *db, int64_t id, const char *today,
		      struct zl_plan_task_set *set, struct zl_plan_info *p, struct zl_error *err);

/* t's owners as the relation rules see them (an array of t->nowners in req->arena, or NULL). */
const struct zl_plan_access_owner *zl_plan_http_owners(struct zl_req *req,
						       const struct zl_plan_task_row *t);

/*
 * The tasks of plan `plan_id` tallied per organization as of `today`
 * (domain/plan_bulletin.h), inside the caller's read transaction: local = 0,
 * one tally per organization leading or sharing tasks of the plan (each task
 * once per organization); local = 1, one tally per local plan of the plan
 * (all its tasks, under its organization, plan_id set); `visit` (may be
 * NULL) sees every task.  The tallies and their strings live in req->arena,
 * sorted by organization code.
 */
struct zl_plan_tallies {
	struct zl_plan_tally *v;
	size_t n, cap;
};
/*
 * Called once per task tallied (not once per owner), with the tally of its
 * local plan (local = 1) or NULL; returns ZL_OK to go on, or an error that
 * stops the walk and is returned.  The row lives until the call returns.
 */
typedef int zl_plan_tally_visit_fn(void *cls, const struct zl_plan_task_row *t,
				   const struct zl_plan_tally *local);
int zl_plan_http_tallies(struct zl_req *req, struct zl_db *db, int64_t plan_id, int local,
			 const char *today, zl_plan_tally_visit_fn *visit, void *cls,
			 struct zl_plan_tallies *out, struct zl_error *err);

/* ---- JSON out ----------------------------------------------------------------- */

/* A task's summary members (id, number, title, dates, progress, light, lead, co,
 * owners) into the object the caller has opened. */
void zl_plan_http_task_members(struct zl_jw *w, const struct zl_plan_task_row *t);

/*
 * Plan p's members as GET /api/v1/plans/{id} answers them (the tree of
 * sections and tasks with lights as of `today`, counts, local plans) into
 * the object the caller has opened (http/plans.c).
 */
int zl_plan_http_plan_members(struct zl_req *req, struct zl_db *db, struct zl_jw *w,
			      const struct zl_plan_info *p, const char *today,
			      struct zl_error *err);

/* Writes one task of a plan's tree (a member of "tasks" arrays). */
typedef void zl_plan_http_node_fn(struct zl_jw *w, const struct zl_plan_task_row *t,
				  const void *cls);

/*
 * The members "sections" ([{number, title, tasks:[...]}], in order) and
 * "tasks" (those under no section the plan has) of a plan's tree, each
 * task written by node(w, task, cls) (http/plans.c).
 */
void zl_plan_http_tree(struct zl_jw *w, const struct zl_plan_section_row *sections,
		       size_t nsections, const struct zl_plan_task_set *set,
		       zl_plan_http_node_fn *node, const void *cls);

/* A task's members "lead" and "co" (names) and "owners" (their rows), into an open object. */
void zl_plan_http_owner_members(struct zl_jw *w, const struct zl_plan_task_row *t);

/* One owner row as a JSON object (name, org, org_name, role, resolved, candidates, flags...). */
void zl_plan_http_owner_json(struct zl_jw *w, const struct zl_plan_owner *o);

/* The names of t's lead owners (lead) or of the others, as a JSON array. */
void zl_plan_http_names_json(struct zl_jw *w, const struct zl_plan_task_row *t, int lead);

/* "lead" / "co" names of a task joined by "、" (for lists and the ledger), in req->arena. */
const char *zl_plan_http_names(struct zl_req *req, const struct zl_plan_task_row *t, int lead);

/* Comma-separated words ("co_leads,open_ended") as a JSON array of strings. */
void zl_plan_http_flags(struct zl_jw *w, const char *flags);

/* The light's reasons as words joined by "," (for list rows), in req->arena. */
const char *zl_plan_http_reasons(struct zl_req *req, unsigned reasons);

/* One report's members (without values and files; `files`: add "files", their number). */
void zl_plan_http_report_members(struct zl_jw *w, const struct zl_plan_report *r, int files);

/* One attachment's description as a JSON object. */
void zl_plan_http_attachment_json(struct zl_jw *w, const struct zl_plan_attachment *a);

/*
 * Answer `status` with task `task_id` as GET /api/v1/plan-tasks/{id} shows it
 * (http/plan_tasks.c), after a write committed.
 */
int zl_plan_http_answer_task(struct zl_req *req, struct zl_resp *resp, struct zl_db *db, int status,
			     int64_t task_id, const char *today, struct zl_error *err);

/*
 * Answer `status` with report `report_id` as GET /api/v1/plan-reports/{id}
 * shows it (http/plan_reports.c), after a write committed.
 */
int zl_plan_http_answer_report(struct zl_req *req, struct zl_resp *resp, struct zl_db *db,
			       int status, int64_t report_id, struct zl_error *err);

/* ---- JSON in ------------------------------------------------------------------ */

/* A whole plan ({"title","org",...,"sections","tasks"}); strings point into `body`. */
int zl_plan_http_parse_plan(struct zl_req *req, const cJSON *body, struct zl_plan_in *in,
			    struct zl_error *err);

/*
 * Member `name` of `obj`, an array of at most `max` non-empty strings of at
 * most max_chars characters, into an arena array (*out NULL, *n 0 when
 * absent or null).  ZL_EUNPROC naming "path.name[i]".
 */
int zl_plan_http_strings(struct zl_req *req, const cJSON *obj, const char *path, const char *name,
			 size_t max, size_t max_chars, const char *const **out, size_t *n,
			 struct zl_error *err);

/* One task object; `path` names it in errors ("tasks[3]", or "" for a body). */
int zl_plan_http_parse_task(struct zl_req *req, const cJSON *obj, const char *path,
			    struct zl_plan_task_in *t, struct zl_error *err);

/* The lists a PATCH replaces: member `name` of `obj` when present (*present = 1). */
int zl_plan_http_parse_owners(struct zl_req *req, const cJSON *obj, const char *path,
			      const struct zl_plan_owner_in **out, size_t *n, int *present,
			      struct zl_error *err);
int zl_plan_http_parse_milestones(struct zl_req *req, const cJSON *obj, const char *path, int ids,
				  const struct zl_plan_milestone_in **out, size_t *n, int *present,
				  struct zl_error *err);
int zl_plan_http_parse_indicators(struct zl_req *req, const cJSON *obj, const char *path, int ids,
				  const struct zl_plan_indicator_in **out, size_t *n, int *present,
				  struct zl_error *err);

/* ---- files -------------------------------------------------------------------- */

/*
 * The upload of a FILE route (the raw request body) into a malloc'd *data
 * (*n bytes; the caller frees it, NULL on failure): ZL_EINVAL (field
 * "file") when there is none or it is empty, ZL_ETOOBIG past `max` bytes,
 * ZL_EIO when it cannot be read back.  Plan reports and inspections attach
 * files with it.
 */
int zl_plan_http_read_upload(struct zl_req *req, size_t max, void **data, size_t *n,
			     struct zl_error *err);

/* The request's Content-Type without parameters ("application/octet-stream" when none). */
const char *zl_plan_http_media_type(struct zl_req *req);

/*
 * Answer 200 with a stored file's bytes as a download named `name` of type
 * `media_type` (Content-Disposition, Cache-Control: no-store).  ZL_ENOMEM.
 */
int zl_plan_http_send_file(struct zl_req *req, struct zl_resp *resp, const char *name,
			   const char *media_type, const void *data, size_t n,
			   struct zl_error *err);

/* JSON text written by `fn(w, arg)`, for the audit trail's digests (req->arena; NULL on failure).
 */
const char *zl_plan_http_json_text(struct zl_req *req, void (*fn)(struct zl_jw *w, const void *arg),
				   const void *arg);

#endif /* ZL_HTTP_PLAN_HTTP_H */
