/*
 * plan_import.c - POST /api/v1/plans/import: a plan document uploaded as
 * the raw request body (routes.def BODY UPLOAD: server.c has streamed it to
 * a temporary file after authorization, req->upload_path) becomes a plan
 * of the ledger.  The bytes are decoded, parsed and mapped by
 * store/plan_import.h, then stored by zl_store_plan_create() in one
 * transaction with the audit row "plan.import".
 *
 * A dry run (dry_run=1) stores the plan in the same transaction and rolls
 * it back after reading it: the names resolve exactly as a real import
 * would resolve them (the same store code, the same admissible
 * organizations), a second import of the same file is refused the same
 * way (409), and nothing is left behind.  Its answer holds no ids (they
 * would name nothing): sections, tasks with their owners, and every
 * department name with the organization it resolved to or none.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/timeutil.h"
#include "http/audit_hook.h"
#include "http/handlers.h"
#include "http/plan_http.h"
#include "store/plan_import.h"

static int given(const char *s)
{
	return s != NULL && *s != '\0';
}

static const char *nul(const char *s)
{
	return given(s) ? s : NULL;
}

/* Plain text, or a type that says nothing (curl's default, a browser's for unknown files). */
static int media_ok(const char *ct)
{
	static const char *const ok[] = {"text/plain", "application/octet-stream", NULL};

	if (!given(ct))
		return 1;
	for (size_t i = 0; ok[i]; i++) {
		size_t n = strlen(ok[i]);

		if (!strncasecmp(ct, ok[i], n) && (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' '))
			return 1;
	}
	return 0;
}

struct options {
	struct zl_plan_import_opts o;
	enum zl_plan_enc enc;
	int dry;
	const char *label; /* the file in messages */
};

static int parse_options(struct zl_req *req, struct options *op, struct zl_error *err)
{
	const char *org = zl_req_query(req, "org"), *name = zl_req_query(req, "name");
	const char *dry = zl_req_query(req, "dry_run"), *year = zl_req_query(req, "year");
	const char *deadline = zl_req_query(req, "deadline");
	int64_t days;
	int rc;

	memset(op, 0, sizeof(*op));
	if ((rc = zl_plan_enc_parse(zl_req_query(req, "encoding"), &op->enc, err)))
		return rc;
	if (given(dry) && strcmp(dry, "0") && strcmp(dry, "false")) {
		if (strcmp(dry, "1") && strcmp(dry, "true"))
			return zl_error_set(err, ZL_EINVAL, "dry_run", "dry_run must be 1 or 0");
		op->dry = 1;
	}
	if (given(year)) {
		char *end = NULL;
		long y = strtol(year, &end, 10);

		if (end == year || *end || y < 1949 || y > 2100)
			return zl_error_set(err, ZL_EINVAL, "year", "year must be 1949..2100");
		op->o.year = (int)y;
	}
	if (given(deadline)) {
		if (zl_date_parse(deadline, &days) != ZL_OK)
			return zl_error_set(err, ZL_EINVAL, "deadline",
					    "deadline must be a date YYYY-MM-DD");
		op->o.deadline = deadline;
	}
	if (given(name) && strlen(name) > 200)
		return zl_error_set(err, ZL_EINVAL, "name", "name is longer than 200 bytes");
	/* A browser may send a whole path: keep the file name only. */
	if (given(name) && strrchr(name, '\\'))
		name = strrchr(name, '\\') + 1;
	op->o.source_name = nul(name);
	op->o.org = given(org) ? org : req->principal.org;
	op->label = op->o.source_name ? op->o.source_name : "the upload";
	return ZL_OK;
}

/* ---- what the answer says about names ------------------------------------------------ */

struct name {
	const char *name, *org, *org_name;
	int candidates;
	const char **tasks; /* the numbers of the tasks naming it, in plan order */
	size_t ntasks, cap;
};

struct names {
	struct name *v;
	size_t n, cap;
};

static void names_release(struct names *x)
{
	for (size_t i = 0; i < x->n; i++)
		free(x->v[i].tasks);
	free(x->v);
}

/* Every department name of the tasks in first-seen order, with the task numbers naming it. */
static int collect_names(const struct zl_plan_task_set *set, struct names *x)
{
	for (size_t i = 0; i < set->n; i++) {
		const struct zl_plan_task_row *t = &set->tasks[i];

		for (size_t k = 0; k < t->nowners; k++) {
			const struct zl_plan_owner *o = &t->owners[k];
			struct name *nm = NULL;

			if (!strcmp(o->role, "unnamed") || !given(o->name))
				continue;
			for (size_t j = 0; j < x->n && !nm; j++)
				if (!strcmp(x->v[j].name, o->name))
					nm = &x->v[j];
			if (nm == NULL) {
				if (x->n == x->cap) {
					size_t cap = x->cap ? 2 * x->cap : 32;
					struct name *v = realloc(x->v, cap * sizeof(*v));

					if (v == NULL)
						return ZL_ENOMEM;
					x->v = v;
					x->cap = cap;
				}
				nm = &x->v[x->n++];
				nm->name = o->name;
				nm->org = o->org;
				nm->org_name = o->org_name;
				nm->candidates = o->candidates;
				nm->tasks = NULL;
				nm->ntasks = nm->cap = 0;
			}
			if (nm->ntasks && nm->tasks[nm->ntasks - 1] == t->number)
				continue;
			if (nm->ntasks == nm->cap) {
				size_t cap = nm->cap ? 2 * nm->cap : 8;
				const char **v = realloc(nm->tasks, cap * sizeof(*v));

				if (v == NULL)
					return ZL_ENOMEM;
				nm->tasks = v;
				nm->cap = cap;
			}
			nm->tasks[nm->ntasks++] = t->number;
		}
	}
	return ZL_OK;
}

static void names_json(struct zl_jw *w, const struct names *x)
{
	zl_jw_key(w, "names");
	zl_jw_arr_begin(w);
	for (size_t i = 0; i < x->n; i++) {
		const struct name *nm = &x->v[i];

		zl_jw_obj_begin(w);
		zl_jw_kstr(w, "name", nm->name);
		zl_jw_kstr(w, "org", nul(nm->org));
		zl_jw_kstr(w, "org_name", nul(nm->org_name));
		zl_jw_kbool(w, "resolved", given(nm->org));
		if (!given(nm->org))
			zl_jw_kint(w, "candidates", nm->candidates);
		zl_jw_key(w, "tasks");
		zl_jw_arr_begin(w);
		for (size_t k = 0; k < nm->ntasks; k++)
			zl_jw_str(w, nm->tasks[k]);
		zl_jw_arr_end(w);
		zl_jw_obj_end(w);
	}
	zl_jw_arr_end(w);
}

static int unresolved_json(void *cls, const struct zl_plan_unresolved *u)
{
	struct zl_jw *w = cls;

	zl_jw_obj_begin(w);
	zl_jw_kstr(w, "name", u->name);
	zl_jw_kint(w, "candidates", u->candidates);
	zl_jw_kint(w, "rows", u->rows);
	zl_jw_kstr(w, "tasks", u->numbers);
	zl_jw_obj_end(w);
	return ZL_OK;
}

/* What the parser noticed: standing rules and notes (docs/plans.md). */
static void parser_json(struct zl_jw *w, const struct zl_plan_import *im)
{
	zl_jw_kstr(w, "encoding", im->encoding);
	zl_plan_write_notes(&im->plan, w);
}

/* ---- the dry run's plan: the parse with the names resolved, no ids ------------------- */

static void dry_task(struct zl_jw *w, const struct zl_plan_task_row *t, const void *cls)
{
	(void)cls;
	zl_jw_obj_begin(w);
	zl_jw_kstr(w, "number", t->number);
	zl_jw_kstr(w, "section", nul(t->section));
	zl_jw_kstr(w, "title", t->title);
	zl_jw_kstr(w, "text", nul(t->text));
	zl_jw_kstr(w, "deadline", nul(t->deadline));
	zl_plan_http_owner_members(w, t);
	zl_jw_obj_end(w);
}

static int dry_members(struct zl_req *req, struct zl_db *db, struct zl_jw *w,
		       const struct zl_plan_info *p, const struct zl_plan_task_set *set,
		       int64_t unresolved, struct zl_error *err)
{
	struct zl_plan_section_row *sections = NULL;
	size_t nsections = 0;
	int rc = zl_store_plan_sections(db, p->id, req->arena, &sections, &nsections, err);

	if (rc != ZL_OK)
		return rc;
	zl_jw_kbool(w, "dry_run", 1);
	zl_jw_kstr(w, "title", p->title);
	zl_jw_kstr(w, "issuer", nul(p->issuer));
	zl_jw_kstr(w, "date", nul(p->doc_date));
	zl_jw_kint(w, "year", p->year);
	zl_jw_kstr(w, "org", p->org);
	zl_jw_kstr(w, "org_name", nul(p->org_name));
	zl_jw_kstr(w, "lead_rule", nul(p->lead_rule));
	zl_jw_kstr(w, "source_name", nul(p->source_name));
	zl_jw_kstr(w, "source_sha256", nul(p->source_sha256));
	zl_jw_kint(w, "tasks_total", (int64_t)set->n);
	zl_jw_kint(w, "unresolved", unresolved);
	zl_plan_http_tree(w, sections, nsections, set, dry_task, NULL);
	return ZL_OK;
}

/*
 * The answer: a dry run's plan, or the stored plan as GET shows it; then
 * the names, the unresolved names and what the parser noticed.  Reads in
 * the transaction open on db.
 */
static int answer(struct zl_req *req, struct zl_resp *resp, struct zl_db *db, int64_t id,
		  const struct zl_plan_import *im, int dry, const char *today, struct zl_error *err)
{
	struct zl_plan_info *p = zl_arena_calloc(req->arena, 1, sizeof(*p));
	struct zl_plan_task_filter f = {.plan_id = id};
	struct zl_plan_task_set set;
	struct names x = {0};
	int64_t unresolved = 0;
	struct zl_jw w;
	int rc;

	if (p == NULL)
		return zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
	zl_plan_task_set_init(&set);
	if ((rc = zl_store_plan_get(db, id, p, err)) ||
	    (rc = zl_store_plan_tasks(db, &f, today, &set, err)) ||
	    (rc = zl_store_plan_unresolved(db, id, NULL, NULL, &unresolved, err)))
		goto out;
	if (collect_names(&set, &x) != ZL_OK) {
		rc = zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
		goto out;
	}
	zl_resp_json(resp, dry ? 200 : 201, &w);
	zl_jw_obj_begin(&w);
	rc = dry ? dry_members(req, db, &w, p, &set, unresolved, err)
		 : zl_plan_http_plan_members(req, db, &w, p, today, err);
	if (rc != ZL_OK)
		goto out;
	names_json(&w, &x);
	zl_jw_key(&w, "unresolved_names");
	zl_jw_arr_begin(&w);
	rc = zl_store_plan_unresolved(db, id, unresolved_json, &w, NULL, err);
	zl_jw_arr_end(&w);
	parser_json(&w, im);
	zl_jw_obj_end(&w);
	if (rc == ZL_OK)
		rc = zl_jw_error(&w);
out:
	names_release(&x);
	zl_plan_task_set_release(&set);
	return rc;
}

static int audit(struct zl_req *req, struct zl_db *db, int64_t id, const struct zl_plan_import *im,
		 const char *today, struct zl_error *err)
{
	struct zl_plan_task_filter f = {.plan_id = id};
	struct zl_buf detail = ZL_BUF_INIT(4096);
	struct zl_plan_task_set set;
	size_t names = 0, resolved = 0;
	char target[32];
	int rc;

	zl_plan_task_set_init(&set);
	rc = zl_store_plan_tasks(db, &f, today, &set, err);
	zl_plan_import_count(&set, &names, &resolved);
	snprintf(target, sizeof(target), "plan:%" PRId64, id);
	if (rc == ZL_OK)
		rc = zl_plan_import_detail(im, set.n, names, names - resolved, &detail)
			     ? zl_error_set(err, ZL_ENOMEM, NULL, "out of memory")
			     : zl_req_audit(req, db, "plan.import", target, NULL, NULL,
					    zl_buf_str(&detail), err);
	zl_plan_task_set_release(&set);
	zl_buf_release(&detail);
	return rc;
}

int zl_h_plan_import(struct zl_req *req, struct zl_resp *resp, struct zl_error *err)
{
	struct zl_buf raw = ZL_BUF_INIT(ZL_PLAN_MAX_INPUT);
	struct zl_plan_import im;
	struct zl_plan_actor who;
	struct options op;
	char today[16];
	struct zl_db *db = NULL;
	int64_t id = 0;
	int rc;

	zl_plan_import_init(&im);
	zl_plan_http_actor(req, &who, today);
	if ((rc = parse_options(req, &op, err)))
		goto out;
	if (!media_ok(zl_req_header(req, "Content-Type"))) {
		rc = zl_error_set(err, ZL_EMEDIA, "Content-Type",
				  "send the plan as text/plain or application/octet-stream");
		goto out;
	}
	if (!req->upload_path || req->upload_len == 0) {
		rc = zl_error_set(err, ZL_EINVAL, "body",
				  "empty body: send the plan's text itself as the request body");
		goto out;
	}
	if ((rc = zl_plan_load(req->upload_path, &raw, err)))
		goto out;
	if ((rc = zl_plan_import_prepare(raw.data, raw.len, op.enc, op.label, &op.o, &im, err)))
		goto out;
	zl_buf_release(&raw);
	if ((rc = zl_plan_http_open(req, 1, &db, err)))
		goto out;
	rc = zl_store_plan_create(db, &im.in, &who, &id, err);
	if (rc == ZL_OK && op.dry) {
		/* Read what would be stored, then forget it. */
		rc = answer(req, resp, db, id, &im, 1, today, err);
		zl_db_rollback(db);
		goto out;
	}
	if (rc == ZL_OK)
		rc = audit(req, db, id, &im, today, err);
	if ((rc = zl_plan_http_finish(db, rc, err)))
		goto out;
	if ((rc = zl_db_begin_read(db, err)))
		goto out;
	rc = answer(req, resp, db, id, &im, 0, today, err);
	zl_db_rollback(db);
out:
	zl_buf_release(&raw);
	zl_plan_import_release(&im);
	return rc;
}
