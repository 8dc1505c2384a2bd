/*
 * plans.c - the plan ledger's writes and plan-level reads (store/plans.h):
 * creating a plan from the neutral input with its department names
 * resolved, adding and changing tasks, decomposition into local plans, the
 * unresolved names and their mapping, and plans by id or as a list.
 * Tasks are read in plan_tasks.c, reports in plan_reports.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/timeutil.h"
#include "domain/plan_access.h"
#include "store/orgs.h"
#include "store/plan_internal.h"
#include "store/query.h"

/* Organizations one name may match before it is called ambiguous anyway. */
#define MATCH_MAX 16

static int given(const char *s)
{
	return s != NULL && *s != '\0';
}

static const char *or_empty(const char *s)
{
	return s != NULL ? s : "";
}

/* ---- resolving names --------------------------------------------------------- */

struct resolved {
	char org[ZL_ORG_CODE_MAX]; /* "" unresolved */
	int candidates;
};

/*
 * What `name` stands for in a plan owned by plan_path: among the current
 * organizations of that name (store/orgs.h) those admissible in the plan;
 * of several, those under the plan's organization; exactly one resolves.
 */
static int resolve(struct zl_db *db, const char *name, const char *plan_path, struct resolved *out,
		   struct zl_error *err)
{
	struct zl_org_match *m = calloc(MATCH_MAX, sizeof(*m));
	size_t n = 0, adm = 0, inside = 0, pick_adm = 0, pick_in = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	if (m == NULL)
		return zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
	rc = zl_store_org_match_name(db, name, m, MATCH_MAX, &n, err);
	if (rc != ZL_OK)
		goto out;
	if (n > MATCH_MAX) {
		out->candidates = (int)n;
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		if (!zl_plan_org_admissible(m[i].path, plan_path))
			continue;
		adm++;
		pick_adm = i;
		if (zl_org_path_within(m[i].path, plan_path)) {
			inside++;
			pick_in = i;
		}
	}
	if (adm == 1)
		zl_strlcpy(out->org, m[pick_adm].code, sizeof(out->org));
	else if (adm > 1 && inside == 1)
		zl_strlcpy(out->org, m[pick_in].code, sizeof(out->org));
	else
		out->candidates = (int)adm;
out:
	free(m);
	return rc;
}

/* The current name and path of organization `code`; ZL_ENOTFOUND when none. */
static int org_facts(struct zl_db *db, const char *code, char name[ZL_ORG_NAME_MAX],
		     char path[ZL_ORG_PATH_MAX], char parent[ZL_ORG_CODE_MAX], struct zl_error *err)
{
	struct zl_stmt *st;
	int rc = zl_db_prepare(db,
			       "SELECT name, path, COALESCE(parent, '') FROM orgs WHERE code = ?"
			       " AND valid_to IS NULL",
			       &st, err);

	if (rc != ZL_OK)
		return rc;
	zl_stmt_bind_text(st, 1, code, -1);
	rc = zl_stmt_step(st, err);
	if (rc == ZL_DB_ROW) {
		if (name != NULL)
			zl_store_col_text(st, 0, name, ZL_ORG_NAME_MAX);
		if (parent != NULL)
			zl_store_col_text(st, 2, parent, ZL_ORG_CODE_MAX);
		rc = zl_store_copy_exact(path, ZL_ORG_PATH_MAX, zl_stmt_column_text(st, 1), "path",
					 err);
	} else if (rc == ZL_DB_DONE) {
		rc = ZL_ENOTFOUND;
	}
	zl_stmt_reset(st);
	return rc;
}

/* ---- plans ------------------------------------------------------------------- */

#define PLAN_COLS                                                                                  \
	"p.id, p.title, p.issuer, p.doc_date, p.year, p.org, COALESCE(po.name, ''),"               \
	" COALESCE(po.path, ''), COALESCE(p.parent_plan, 0), p.lead_rule, p.source_name,"          \
	" p.source_sha256, p.created_by, p.created_at"
#define PLAN_FROM " FROM plans p LEFT JOIN orgs po ON po.code = p.org AND po.valid_to IS NULL"

static void read_plan(struct zl_stmt *st, struct zl_plan_info *p)
{
	memset(p, 0, sizeof(*p));
	p->id = zl_stmt_column_int64(st, 0);
	zl_store_col_text(st, 1, p->title, sizeof(p->title));
	zl_store_col_text(st, 2, p->issuer, sizeof(p->issuer));
	zl_store_col_text(st, 3, p->doc_date, sizeof(p->doc_date));
	p->year = (int)zl_stmt_column_int64(st, 4);
	zl_store_col_text(st, 5, p->org, sizeof(p->org));
	zl_store_col_text(st, 6, p->org_name, sizeof(p->org_name));
	/* A path that does not fit is left empty (reaches nothing), never cut. */
	if (strlen(zl_stmt_column_text(st, 7)) < sizeof(p->org_path))
		zl_store_col_text(st, 7, p->org_path, sizeof(p->org_path));
	p->parent_plan = zl_stmt_column_int64(st, 8);
	zl_store_col_text(st, 9, p->lead_rule, sizeof(p->lead_rule));
	zl_store_col_text(st, 10, p->source_name, sizeof(p->source_name));
	zl_store_col_text(st, 11, p->source_sha256, sizeof(p->source_sha256));
	zl_store_col_text(st, 12, p->created_by, sizeof(p->created_by));
	zl_store_col_text(st, 13, p->created_at, sizeof(p->created_at));
}

static void read_plan_cb(struct zl_stmt *st, void *out)
{
	read_plan(st, out);
}

int zl_store_plan_get(struct zl_db *db, int64_t id, struct zl_plan_info *out, struct zl_error *err)
{
	return zl_plan_row_by_id(db, "SELECT " PLAN_COLS PLAN_FROM " WHERE p.id = ?", id,
				 read_plan_cb, out, "plan", err);
}

/* The caller reaches an owner of one of the plan's tasks (SQL form of "involved"). */
#define INVOLVED_SQL                                                                               \
	"EXISTS (SELECT 1 FROM plan_tasks it JOIN plan_task_owners iw ON iw.task_id = it.id"       \
	" JOIN orgs io ON io.code = iw.org AND io.valid_to IS NULL WHERE it.plan_id = p.id"        \
	" AND substr(io.path, 1, length(CAST(? AS TEXT))) = CAST(? AS TEXT))"

int zl_store_plan_visible(struct zl_db *db, const struct zl_plan_info *p, const char *caller_path,
			  int *visible, struct zl_error *err)
{
	struct zl_stmt *st;
	int rc;

	*visible = 0;
	if (!given(caller_path))
		return ZL_OK;
	if (zl_plan_visible(caller_path, p->org_path, 0)) {
		*visible = 1;
		return ZL_OK;
	}
	rc = zl_db_prepare(db, "SELECT count(*) FROM plans p WHERE p.id = ? AND " INVOLVED_SQL, &st,
			   err);
	if (rc != ZL_OK)
		return rc;
	zl_stmt_bind_int64(st, 1, p->id);
	zl_stmt_bind_text(st, 2, caller_path, -1);
	zl_stmt_bind_text(st, 3, caller_path, -1);
	rc = zl_stmt_step(st, err);
	if (rc == ZL_DB_ROW)
		*visible =
			zl_plan_visible(caller_path, p->org_path, zl_stmt_column_int64(st, 0) > 0);
	zl_stmt_reset(st);
	return rc < 0 ? rc : ZL_OK;
}

static void plan_where(struct zl_buf *sql, const struct zl_plan_filter *f, int cursor)
{
	/* Related (either way) to the viewer, or the viewer is named in it. */
	zl_buf_adds(sql, " WHERE ((po.path IS NOT NULL AND (substr(po.path, 1,"
			 " length(CAST(? AS TEXT))) = CAST(? AS TEXT)"
			 " OR substr(CAST(? AS TEXT), 1, length(po.path)) = po.path))"
			 " OR " INVOLVED_SQL ")");
	if (given(f->org))
		zl_buf_adds(sql, " AND p.org = ?");
	if (f->year > 0)
		zl_buf_adds(sql, " AND p.year = ?");
	if (f->parent > 0)
		zl_buf_adds(sql, " AND p.parent_plan = ?");
	if (f->top_only)
		zl_buf_adds(sql, " AND p.parent_plan IS NULL");
	if (f->local_only)
		zl_buf_adds(sql, " AND p.parent_plan IS NOT NULL");
	if (given(f->q))
		zl_buf_adds(sql, " AND lower(p.title) LIKE lower(?) ESCAPE '\\'");
	if (cursor)
		zl_buf_adds(sql, " AND p.id < ?");
}

static int plan_bind(struct zl_stmt *st, const struct zl_plan_filter *f, const char *like,
		     int cursor)
{
	int i = 1;

	for (int k = 0; k < 5; k++)
		zl_stmt_bind_text(st, i++, f->viewer_path, -1);
	if (given(f->org))
		zl_stmt_bind_text(st, i++, f->org, -1);
	if (f->year > 0)
		zl_stmt_bind_int64(st, i++, f->year);
	if (f->parent > 0)
		zl_stmt_bind_int64(st, i++, f->parent);
	if (given(f->q))
		zl_stmt_bind_text(st, i++, like, -1);
	if (cursor)
		zl_stmt_bind_int64(st, i++, f->before);
	return i;
}

int zl_store_plan_list(struct zl_db *db, const struct zl_plan_filter *f, long limit,
		       zl_plan_row_fn *fn, void *cls, int64_t *total, struct zl_error *err)
{
	struct zl_buf sql = ZL_BUF_INIT(4096), like = ZL_BUF_INIT(1024);
	struct zl_plan_info *p = NULL;
	struct zl_stmt *st;
	int rc = ZL_OK, cb = 0, i;

	if (!given(f->viewer_path))
		return zl_error_set(err, ZL_EINTERNAL, NULL, "a plan list without a viewer");
	if (given(f->q))
		zl_store_like_contains(&like, f->q);
	if (total != NULL) {
		zl_buf_adds(&sql, "SELECT count(*)" PLAN_FROM);
		plan_where(&sql, f, 0);
		if (sql.err || like.err) {
			rc = zl_error_set(err, ZL_EINVAL, "q", "the filter is too long");
			goto out;
		}
		rc = zl_db_prepare(db, zl_buf_str(&sql), &st, err);
		if (rc != ZL_OK)
			goto out;
		plan_bind(st, f, zl_buf_str(&like), 0);
		rc = zl_stmt_step(st, err);
		*total = rc == ZL_DB_ROW ? zl_stmt_column_int64(st, 0) : 0;
		zl_stmt_reset(st);
		if (rc < 0)
			goto out;
		rc = ZL_OK;
	}
	if (fn == NULL)
		goto out;
	p = calloc(1, sizeof(*p));
	if (p == NULL) {
		rc = zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
		goto out;
	}
	zl_buf_reset(&sql);
	zl_buf_adds(&sql, "SELECT " PLAN_COLS PLAN_FROM);
	plan_where(&sql, f, f->before > 0);
	zl_buf_adds(&sql, " ORDER BY p.id DESC LIMIT ?");
	if (sql.err || like.err) {
		rc = zl_error_set(err, ZL_EINVAL, "q", "the filter is too long");
		goto out;
	}
	rc = zl_db_prepare(db, zl_buf_str(&sql), &st, err);
	if (rc != ZL_OK)
		goto out;
	i = plan_bind(st, f, zl_buf_str(&like), f->before > 0);
	zl_stmt_bind_int64(st, i, limit > 0 ? limit : INT64_MAX);
	while ((rc = zl_stmt_step(st, err)) == ZL_DB_ROW) {
		read_plan(st, p);
		cb = fn(cls, p);
		if (cb != 0)
			break;
	}
	zl_stmt_reset(st);
	if (cb != 0)
		rc = cb;
	else if (rc >= 0)
		rc = ZL_OK;
out:
	free(p);
	zl_buf_release(&sql);
	zl_buf_release(&like);
	return rc;
}

int zl_store_plan_children(struct zl_db *db, int64_t id, zl_plan_row_fn *fn, void *cls,
			   struct zl_error *err)
{
	struct zl_plan_info *p = calloc(1, sizeof(*p));
	struct zl_stmt *st;
	int rc, cb = 0;

	if (p == NULL)
		return zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
	rc = zl_db_prepare(db,
			   "SELECT " PLAN_COLS PLAN_FROM " WHERE p.parent_plan = ? ORDER BY p.id",
			   &st, err);
	if (rc != ZL_OK)
		goto out;
	zl_stmt_bind_int64(st, 1, id);
	while ((rc = zl_stmt_step(st, err)) == ZL_DB_ROW) {
		read_plan(st, p);
		if ((cb = fn(cls, p)) != 0)
			break;
	}
	zl_stmt_reset(st);
	rc = cb != 0 ? cb : rc < 0 ? rc : ZL_OK;
out:
	free(p);
	return rc;
}

int zl_store_plan_child_counts(struct zl_db *db, int64_t plan_id, zl_plan_count_fn *fn, void *cls,
			       struct zl_error *err)
{
	struct zl_stmt *st;
	int rc, cb = 0;

	rc = zl_db_prepare(db,
			   "SELECT c.parent_task, count(*) FROM plan_tasks c JOIN plan_tasks t"
			   " ON t.id = c.parent_task WHERE t.plan_id = ? GROUP BY c.parent_task",
			   &st, err);
	if (rc != ZL_OK)
		return rc;
	zl_stmt_bind_int64(st, 1, plan_id);
	while ((rc = zl_stmt_step(st, err)) == ZL_DB_ROW)
		if ((cb = fn(cls, zl_stmt_column_int64(st, 0), zl_stmt_column_int64(st, 1))) != 0)
			break;
	zl_stmt_reset(st);
	return cb != 0 ? cb : rc < 0 ? rc : ZL_OK;
}

int zl_store_plan_sections(struct zl_db *db, int64_t plan_id, struct zl_arena *a,
			   struct zl_plan_section_row **out, size_t *n, struct zl_error *err)
{
	struct zl_plan_section_row *v = NULL;
	int64_t count = 0;
	struct zl_stmt *st;
	int rc;

	*out = NULL;
	*n = 0;
	rc = zl_store_int_by_id(db, "SELECT count(*) FROM plan_sections WHERE plan_id = ?", plan_id,
				&count, err);
	if (rc != ZL_OK || count == 0)
		return rc;
	v = zl_arena_calloc(a, (size_t)count, sizeof(*v));
	if (v == NULL)
		return zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
	rc = zl_db_prepare(db,
			   "SELECT number, title FROM plan_sections WHERE plan_id = ? ORDER BY ord",
			   &st, err);
	if (rc != ZL_OK)
		return rc;
	zl_stmt_bind_int64(st, 1, plan_id);
	while ((rc = zl_stmt_step(st, err)) == ZL_DB_ROW && *n < (size_t)count) {
		v[*n].number = zl_arena_strdup(a, zl_stmt_column_text(st, 0));
		v[*n].title = zl_arena_strdup(a, zl_stmt_column_text(st, 1));
		if (v[*n].number == NULL || v[*n].title == NULL) {
			rc = zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
			break;
		}
		(*n)++;
	}
	zl_stmt_reset(st);
	if (rc < 0)
		return rc;
	*out = v;
	return ZL_OK;
}

/* ---- writing tasks ----------------------------------------------------------- */

/* What one write knows about the plan it writes into. */
struct plan_ctx {
	int64_t id;
	int64_t parent_plan;
	char org[ZL_ORG_CODE_MAX];
	char path[ZL_ORG_PATH_MAX];
	const struct zl_plan_actor *who;
	char now[32];
	const char *owner_source; /* source of direct owners: manual | decompose */
};

/* Organizations a write made owners of a task (to notify them). */
struct assigned {
	char org[ZL_PLAN_OWNERS_MAX][ZL_ORG_CODE_MAX];
	char role[ZL_PLAN_OWNERS_MAX][8];
	size_t n;
};

static void assigned_add(struct assigned *a, const char *org, const char *role)
{
	for (size_t i = 0; i < a->n; i++)
		if (strcmp(a->org[i], org) == 0)
			return;
	if (a->n < ZL_PLAN_OWNERS_MAX) {
		zl_strlcpy(a->org[a->n], org, sizeof(a->org[0]));
		zl_strlcpy(a->role[a->n], role, sizeof(a->role[0]));
		a->n++;
	}
}

static int insert_owner(struct zl_db *db, const struct plan_ctx *pc, int64_t task, int ord,
			const char *name, const char *org, int candidates, const char *role,
			int attribution, const char *source, const char *flags, struct assigned *as,
			struct zl_error *err)
{
	struct zl_stmt *st;
	int rc = zl_db_prepare(db,
			       "INSERT INTO plan_task_owners (task_id, ord, name, org, role,"
			       " attribution, source, flags, candidates)"
			       " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
			       &st, err);

	(void)pc;
	if (rc != ZL_OK)
		return rc;
	zl_stmt_bind_int64(st, 1, task);
	zl_stmt_bind_int64(st, 2, ord);
	zl_stmt_bind_text(st, 3, name, -1);
	zl_stmt_bind_text(st, 4, given(org) ? org : NULL, -1);
	zl_stmt_bind_text(st, 5, role, -1);
	zl_stmt_bind_int64(st, 6, attribution);
	zl_stmt_bind_text(st, 7, source, -1);
	zl_stmt_bind_text(st, 8, or_empty(flags), -1);
	zl_stmt_bind_int64(st, 9, candidates);
	rc = zl_store_run(st, err);
	if (rc == ZL_OK && given(org) && as != NULL && strcmp(role, "unnamed") != 0)
		assigned_add(as, org, role);
	return rc;
}

/* Flags of an attribution's owner rows: the document's, plus what the row adds. */
static void attr_flags(const struct zl_plan_attr_in *a, const char *extra, char *out, size_t n)
{
	struct zl_buf b = ZL_BUF_INIT(512);

	for (size_t i = 0; i < a->nflags; i++) {
		zl_buf_adds(&b, b.len ? "," : "");
		zl_buf_adds(&b, a->flags[i]);
	}
	if (a->open_ended) {
		zl_buf_adds(&b, b.len ? "," : "");
		zl_buf_adds(&b, "open_ended");
	}
	if (given(extra)) {
		zl_buf_adds(&b, b.len ? "," : "");
		zl_buf_adds(&b, extra);
	}
	zl_strlcpy(out, b.err ? "" : zl_buf_str(&b), n);
	zl_buf_release(&b);
}

/*
 * The owner rows of a task: first each attribution's departments (the lead
 * as lead, the others co; all shared under 按职责分工负责; co_leads and
 * unstated leads leave no lead), then the owners given directly.
 */
static int insert_owners(struct zl_db *db, const struct plan_ctx *pc, int64_t task,
			 const struct zl_plan_task_in *t, const char *field, struct assigned *as,
			 struct zl_error *err)
{
	char flags[512], f[96], name[ZL_ORG_NAME_MAX], path[ZL_ORG_PATH_MAX];
	int ord = 0, rc = ZL_OK;

	for (size_t k = 0; k < t->nattrs && rc == ZL_OK; k++) {
		const struct zl_plan_attr_in *a = &t->attrs[k];

		if (a->ndepartments == 0) {
			/* 各有关部门和单位按职责分工负责: nobody is named. */
			attr_flags(a, NULL, flags, sizeof(flags));
			rc = insert_owner(db, pc, task, ord++, "", NULL, 0, "unnamed", (int)k,
					  "document", flags, as, err);
			continue;
		}
		for (size_t i = 0; i < a->ndepartments && rc == ZL_OK; i++) {
			const char *dep = a->departments[i];
			int is_lead = strcmp(a->mode, "lead") == 0 && given(a->lead) &&
				      strcmp(a->lead, dep) == 0;
			const char *role = strcmp(a->mode, "shared") == 0    ? "shared"
					   : strcmp(a->mode, "unnamed") == 0 ? "unnamed"
					   : is_lead			     ? "lead"
									     : "co";
			struct resolved r;

			attr_flags(a, is_lead ? a->lead_basis : NULL, flags, sizeof(flags));
			rc = resolve(db, dep, pc->path, &r, err);
			if (rc == ZL_OK)
				rc = insert_owner(db, pc, task, ord++, dep, r.org, r.candidates,
						  role, (int)k, "document", flags, as, err);
		}
	}
	for (size_t i = 0; i < t->nowners && rc == ZL_OK; i++) {
		const struct zl_plan_owner_in *o = &t->owners[i];

		if (given(o->org)) {
			rc = org_facts(db, o->org, name, path, NULL, err);
			snprintf(f, sizeof(f), "%s%sowners[%zu].org", field, *field ? "." : "", i);
			if (rc == ZL_ENOTFOUND)
				return zl_error_set(err, ZL_EUNPROC, f, "%s: no organization %s", f,
						    o->org);
			if (rc != ZL_OK)
				return rc;
			if (!zl_plan_org_admissible(path, pc->path))
				return zl_error_set(err, ZL_EUNPROC, f,
						    "%s: %s cannot be named in this plan "
						    "(it belongs to another government)",
						    f, o->org);
			rc = insert_owner(db, pc, task, ord++, given(o->name) ? o->name : name,
					  o->org, 0, o->role, -1, pc->owner_source, o->flags, as,
					  err);
		} else {
			struct resolved r;

			rc = resolve(db, o->name, pc->path, &r, err);
			if (rc == ZL_OK)
				rc = insert_owner(db, pc, task, ord++, o->name, r.org, r.candidates,
						  o->role, -1, pc->owner_source, o->flags, as, err);
		}
	}
	return rc;
}

/* Insert a milestone (id 0) or update milestone `id` of the task. */
static int save_milestone(struct zl_db *db, int64_t task, int ord,
			  const struct zl_plan_milestone_in *m, int64_t id, struct zl_error *err)
{
	struct zl_stmt *st;
	int rc = zl_db_prepare(
		db,
		id == 0 ? "INSERT INTO plan_milestones (ord, title, due, done_on, task_id)"
			  " VALUES (?, ?, ?, ?, ?)"
			: "UPDATE plan_milestones SET ord = ?, title = ?, due = ?,"
			  " done_on = ? WHERE task_id = ? AND id = ?",
		&st, err);

	if (rc != ZL_OK)
		return rc;
	zl_stmt_bind_int64(st, 1, ord);
	zl_stmt_bind_text(st, 2, m->title, -1);
	zl_stmt_bind_text(st, 3, m->due, -1);
	zl_stmt_bind_text(st, 4, or_empty(m->done_on), -1);
	zl_stmt_bind_int64(st, 5, task);
	if (id != 0)
		zl_stmt_bind_int64(st, 6, id);
	return zl_store_run(st, err);
}

/* Insert an indicator (id 0) or update indicator `id` of the task (not its value). */
static int save_indicator(struct zl_db *db, int64_t task, int ord,
			  const struct zl_plan_indicator_in *x, int64_t id, struct zl_error *err)
{
	struct zl_stmt *st;
	int rc = zl_db_prepare(db,
			       id == 0 ? "INSERT INTO plan_indicators (ord, name, unit, direction,"
					 " target, baseline, task_id) VALUES (?, ?, ?, ?, ?, ?, ?)"
				       : "UPDATE plan_indicators SET ord = ?, name = ?, unit = ?,"
					 " direction = ?, target = ?, baseline = ?"
					 " WHERE task_id = ? AND id = ?",
			       &st, err);

	if (rc != ZL_OK)
		return rc;
	zl_stmt_bind_int64(st, 1, ord);
	zl_stmt_bind_text(st, 2, x->name, -1);
	zl_stmt_bind_text(st, 3, or_empty(x->unit), -1);
	zl_stmt_bind_text(st, 4, given(x->direction) ? x->direction : "at_least", -1);
	zl_stmt_bind_double(st, 5, x->target);
	if (x->has_baseline)
		zl_stmt_bind_double(st, 6, x->baseline);
	else
		zl_stmt_bind_null(st, 6);
	zl_stmt_bind_int64(st, 7, task);
	if (id != 0)
		zl_stmt_bind_int64(st, 8, id);
	return zl_store_run(st, err);
}

/* Tell the organizations a write made owners; the actor's own is not told. */
static int notify_assigned(struct zl_db *db, const struct plan_ctx *pc, int64_t task,
			   const char *number, const char *title, const struct assigned *as,
			   struct zl_error *err)
{
	struct zl_plan_task_row t = {0};
	char label[600], msg[800];
	struct zl_note_in n = {0};
	int rc = ZL_OK;

	t.number = number;
	t.title = title;
	zl_plan_task_label(&t, label, sizeof(label));
	n.kind = "plan.task_assigned";
	n.plan_id = pc->id;
	n.task_id = task;
	n.now = pc->now;
	n.message = msg;
	for (size_t i = 0; i < as->n && rc == ZL_OK; i++) {
		if (given(pc->who->org) && strcmp(as->org[i], pc->who->org) == 0)
			continue;
		snprintf(msg, sizeof(msg), "%s已交本单位%s", label,
			 strcmp(as->role[i], "lead") == 0     ? "牵头办理"
			 : strcmp(as->role[i], "shared") == 0 ? "按职责分工办理"
							      : "配合办理");
		rc = zl_store_notify_org(db, as->org[i], ZL_PERM_PLAN_READ, pc->who->user, &n, NULL,
					 err);
	}
	return rc;
}

/* The lineage of a task: its parent's with its own id appended. */
static int set_lineage(struct zl_db *db, int64_t task, int64_t parent, struct zl_error *err)
{
	char lineage[1024] = "", own[32];
	struct zl_stmt *st;
	int rc;

	if (parent > 0) {
		rc = zl_db_prepare(db, "SELECT lineage FROM plan_tasks WHERE id = ?", &st, err);
		if (rc != ZL_OK)
			return rc;
		zl_stmt_bind_int64(st, 1, parent);
		rc = zl_stmt_step(st, err);
		if (rc == ZL_DB_ROW)
			rc = zl_store_copy_exact(lineage, sizeof(lineage),
						 zl_stmt_column_text(st, 0), "lineage", err);
		zl_stmt_reset(st);
		if (rc < 0)
			return rc;
	}
	if (lineage[0] == '\0')
		zl_strlcpy(lineage, "/", sizeof(lineage));
	snprintf(own, sizeof(own), "%lld/", (long long)task);
	if (strlen(lineage) + strlen(own) >= sizeof(lineage))
		return zl_error_set(err, ZL_EUNPROC, "parent_task",
				    "decomposed too many levels deep");
	zl_strlcpy(lineage + strlen(lineage), own, sizeof(lineage) - strlen(lineage));
	rc = zl_db_prepare(db, "UPDATE plan_tasks SET lineage = ? WHERE id = ?", &st, err);
	if (rc != ZL_OK)
		return rc;
	zl_stmt_bind_text(st, 1, lineage, -1);
	zl_stmt_bind_int64(st, 2, task);
	return zl_store_run(st, err);
}

/* One task with everything under it; `field` names it in errors ("tasks[3]"). */
static int insert_task(struct zl_db *db, const struct plan_ctx *pc, int ord,
		       const struct zl_plan_task_in *t, const char *field, int64_t *id_out,
		       struct zl_error *err)
{
	struct assigned *as = calloc(1, sizeof(*as));
	char f[96];
	int64_t id = 0, parent_plan = 0;
	struct zl_stmt *st;
	int rc;

	if (as == NULL)
		return zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
	if (t->parent_task > 0) {
		rc = zl_store_int_by_id(db, "SELECT plan_id FROM plan_tasks WHERE id = ?",
					t->parent_task, &parent_plan, err);
		if (rc != ZL_OK)
			goto out;
		if (pc->parent_plan == 0 || parent_plan != pc->parent_plan) {
			snprintf(f, sizeof(f), "%s%sparent_task", field, *field ? "." : "");
			rc = zl_error_set(err, ZL_EUNPROC, f,
					  "%s: task %lld is not a task of the plan this one "
					  "decomposes",
					  f, (long long)t->parent_task);
			goto out;
		}
	}
	rc = zl_db_prepare(db,
			   "INSERT INTO plan_tasks (plan_id, ord, number, section, title, text,"
			   " start_on, deadline, parent_task, updated_at)"
			   " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
			   &st, err);
	if (rc != ZL_OK)
		goto out;
	zl_stmt_bind_int64(st, 1, pc->id);
	zl_stmt_bind_int64(st, 2, ord);
	zl_stmt_bind_text(st, 3, t->number, -1);
	zl_stmt_bind_text(st, 4, or_empty(t->section), -1);
	zl_stmt_bind_text(st, 5, t->title, -1);
	zl_stmt_bind_text(st, 6, or_empty(t->text), -1);
	zl_stmt_bind_text(st, 7, or_empty(t->start), -1);
	zl_stmt_bind_text(st, 8, or_empty(t->deadline), -1);
	if (t->parent_task > 0)
		zl_stmt_bind_int64(st, 9, t->parent_task);
	else
		zl_stmt_bind_null(st, 9);
	zl_stmt_bind_text(st, 10, pc->now, -1);
	rc = zl_plan_run_id(st, &id, err);
	if (rc == ZL_OK)
		rc = set_lineage(db, id, t->parent_task, err);
	if (rc == ZL_OK)
		rc = insert_owners(db, pc, id, t, field, as, err);
	for (size_t i = 0; rc == ZL_OK && i < t->nmilestones; i++)
		rc = save_milestone(db, id, (int)i, &t->milestones[i], 0, err);
	for (size_t i = 0; rc == ZL_OK && i < t->nindicators; i++)
		rc = save_indicator(db, id, (int)i, &t->indicators[i], 0, err);
	if (rc == ZL_OK)
		rc = notify_assigned(db, pc, id, t->number, t->title, as, err);
	if (rc == ZL_OK)
		rc = zl_plan_relight(db, id, pc->who->today, pc->now, pc->who->user, err);
	if (rc == ZL_OK && id_out != NULL)
		*id_out = id;
out:
	free(as);
	return rc;
}

static int insert_plan(struct zl_db *db, const struct zl_plan_in *in, struct plan_ctx *pc,
		       struct zl_error *err)
{
	char name[ZL_ORG_NAME_MAX], f[48];
	struct zl_plan_info parent;
	int64_t d;
	struct zl_stmt *st;
	int rc;

	rc = org_facts(db, in->org, name, pc->path, NULL, err);
	if (rc == ZL_ENOTFOUND)
		return zl_error_set(err, ZL_EUNPROC, "org", "no organization %s", in->org);
	if (rc != ZL_OK)
		return rc;
	zl_strlcpy(pc->org, in->org, sizeof(pc->org));
	pc->parent_plan = in->parent_plan;
	if (in->parent_plan > 0) {
		rc = zl_store_plan_get(db, in->parent_plan, &parent, err);
		if (rc == ZL_ENOTFOUND)
			return zl_error_set(err, ZL_EUNPROC, "parent_plan", "no plan %lld",
					    (long long)in->parent_plan);
		if (rc != ZL_OK)
			return rc;
	}
	rc = zl_db_prepare(db,
			   "INSERT INTO plans (title, issuer, doc_date, year, org, parent_plan,"
			   " lead_rule, source_name, source_sha256, created_by, created_at)"
			   " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
			   &st, err);
	if (rc != ZL_OK)
		return rc;
	zl_stmt_bind_text(st, 1, in->title, -1);
	zl_stmt_bind_text(st, 2, or_empty(in->issuer), -1);
	zl_stmt_bind_text(st, 3, or_empty(in->date), -1);
	if (in->year > 0) {
		zl_stmt_bind_int64(st, 4, in->year);
	} else {
		int64_t y;
		unsigned m, dd;

		zl_date_parse(in->date, &d);
		zl_civil_from_days(d, &y, &m, &dd);
		zl_stmt_bind_int64(st, 4, y);
	}
	zl_stmt_bind_text(st, 5, in->org, -1);
	if (in->parent_plan > 0)
		zl_stmt_bind_int64(st, 6, in->parent_plan);
	else
		zl_stmt_bind_null(st, 6);
	zl_stmt_bind_text(st, 7, or_empty(in->lead_rule), -1);
	zl_stmt_bind_text(st, 8, or_empty(in->source_name), -1);
	zl_stmt_bind_text(st, 9, or_empty(in->source_sha256), -1);
	zl_stmt_bind_text(st, 10, pc->who->user, -1);
	zl_stmt_bind_text(st, 11, pc->now, -1);
	rc = zl_plan_run_id(st, &pc->id, err);
	if (rc == ZL_ECONFLICT && in->parent_plan > 0)
		return zl_error_set(err, ZL_ECONFLICT, "org",
				    "%s already has a local plan of plan %lld", in->org,
				    (long long)in->parent_plan);
	if (rc == ZL_ECONFLICT)
		return zl_error_set(err, ZL_ECONFLICT, "source_sha256",
				    "%s already has a plan imported from this file", in->org);
	if (rc != ZL_OK)
		return rc;
	for (size_t i = 0; i < in->nsections && rc == ZL_OK; i++) {
		rc = zl_db_prepare(db,
				   "INSERT INTO plan_sections (plan_id, number, title, ord)"
				   " VALUES (?, ?, ?, ?)",
				   &st, err);
		if (rc != ZL_OK)
			break;
		zl_stmt_bind_int64(st, 1, pc->id);
		zl_stmt_bind_text(st, 2, in->sections[i].number, -1);
		zl_stmt_bind_text(st, 3, in->sections[i].title, -1);
		zl_stmt_bind_int64(st, 4, (int64_t)i);
		rc = zl_store_run(st, err);
	}
	for (size_t i = 0; i < in->ntasks && rc == ZL_OK; i++) {
		snprintf(f, sizeof(f), "tasks[%zu]", i);
		rc = insert_task(db, pc, (int)i, &in->tasks[i], f, NULL, err);
	}
	return rc;
}

int zl_store_plan_create(struct zl_db *db, const struct zl_plan_in *in,
			 const struct zl_plan_actor *who, int64_t *id, struct zl_error *err)
{
	struct plan_ctx pc = {0};
	int rc, own = 0;

	if ((rc = zl_plan_actor_check(who, err)) != ZL_OK ||
	    (rc = zl_plan_in_check(in, err)) != ZL_OK)
		return rc;
	pc.who = who;
	pc.owner_source = "manual";
	zl_plan_now(who, pc.now);
	rc = zl_plan_tx_begin(db, &own, err);
	if (rc != ZL_OK)
		return rc;
	rc = insert_plan(db, in, &pc, err);
	rc = zl_plan_tx_end(db, own, rc, err);
	if (rc == ZL_OK && id != NULL)
		*id = pc.id;
	return rc;
}

/* The plan's facts a task write needs, by plan id. */
static int plan_ctx_load(struct zl_db *db, int64_t plan_id, const struct zl_plan_actor *who,
			 struct plan_ctx *pc, struct zl_error *err)
{
	struct zl_plan_info *p = calloc(1, sizeof(*p));
	int rc;

	if (p == NULL)
		return zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
	rc = zl_store_plan_get(db, plan_id, p, err);
	if (rc == ZL_OK) {
		memset(pc, 0, sizeof(*pc));
		pc->id = p->id;
		pc->parent_plan = p->parent_plan;
		zl_strlcpy(pc->org, p->org, sizeof(pc->org));
		zl_strlcpy(pc->path, p->org_path, sizeof(pc->path));
		pc->who = who;
		pc->owner_source = "manual";
		zl_plan_now(who, pc->now);
	}
	free(p);
	return rc;
}

int zl_store_plan_task_add(struct zl_db *db, int64_t plan_id, const struct zl_plan_task_in *t,
			   const struct zl_plan_actor *who, int64_t *task_id, struct zl_error *err)
{
	struct plan_ctx pc;
	int64_t ord = 0, known = 0;
	struct zl_stmt *st;
	int rc, own = 0;

	if ((rc = zl_plan_actor_check(who, err)) != ZL_OK ||
	    (rc = zl_plan_task_in_check(t, "", err)) != ZL_OK)
		return rc;
	rc = zl_plan_tx_begin(db, &own, err);
	if (rc != ZL_OK)
		return rc;
	rc = plan_ctx_load(db, plan_id, who, &pc, err);
	if (rc == ZL_OK && given(t->section)) {
		rc = zl_db_prepare(
			db, "SELECT count(*) FROM plan_sections WHERE plan_id = ? AND number = ?",
			&st, err);
		if (rc == ZL_OK) {
			zl_stmt_bind_int64(st, 1, plan_id);
			zl_stmt_bind_text(st, 2, t->section, -1);
			rc = zl_stmt_step(st, err);
			known = rc == ZL_DB_ROW ? zl_stmt_column_int64(st, 0) : 0;
			zl_stmt_reset(st);
			rc = rc < 0 ? rc : ZL_OK;
		}
		if (rc == ZL_OK && known == 0)
			rc = zl_error_set(err, ZL_EUNPROC, "section", "no section %s in the plan",
					  t->section);
	}
	if (rc == ZL_OK)
		rc = zl_store_int_by_id(
			db, "SELECT COALESCE(MAX(ord), -1) + 1 FROM plan_tasks WHERE plan_id = ?",
			plan_id, &ord, err);
	if (rc == ZL_OK)
		rc = insert_task(db, &pc, (int)ord, t, "", task_id, err);
	return zl_plan_tx_end(db, own, rc, err);
}

/* ---- changing a task ---------------------------------------------------------- */

/* Is `id` one of ids[0..n)? */
static int has_id(const int64_t *ids, size_t n, int64_t id)
{
	for (size_t i = 0; i < n; i++)
		if (ids[i] == id)
			return 1;
	return 0;
}

/*
 * The ids a replacing list keeps (given[i] != 0): each must be one the task
 * has (have[]), once; ZL_EUNPROC naming "<list>[i].id" otherwise.  The
 * lists are at most ZL_PLAN_ITEMS_MAX long (checked before).
 */
static int kept_ids(const int64_t *given_ids, size_t n, const int64_t *have, size_t m,
		    const char *list, int64_t *keep, size_t *nkeep, struct zl_error *err)
{
	char f[48];

	*nkeep = 0;
	for (size_t i = 0; i < n && i < ZL_PLAN_ITEMS_MAX; i++) {
		if (given_ids[i] == 0)
			continue;
		if (!has_id(have, m, given_ids[i]) || has_id(keep, *nkeep, given_ids[i])) {
			snprintf(f, sizeof(f), "%.12s[%zu].id", list, i);
			return zl_error_set(err, ZL_EUNPROC, f,
					    "%s: %lld is not one of this task's %s (or is listed "
					    "twice)",
					    f, (long long)given_ids[i], list);
		}
		keep[(*nkeep)++] = given_ids[i];
	}
	return ZL_OK;
}

static int replace_milestones(struct zl_db *db, const struct zl_plan_task_row *t,
			      const struct zl_plan_task_change *ch, struct zl_error *err)
{
	int64_t given_ids[ZL_PLAN_ITEMS_MAX], have[ZL_PLAN_ITEMS_MAX], keep[ZL_PLAN_ITEMS_MAX];
	size_t nkeep = 0;
	int rc;

	for (size_t i = 0; i < ch->nmilestones && i < ZL_PLAN_ITEMS_MAX; i++)
		given_ids[i] = ch->milestones[i].id;
	for (size_t k = 0; k < t->nmilestones && k < ZL_PLAN_ITEMS_MAX; k++)
		have[k] = t->milestones[k].id;
	rc = kept_ids(given_ids, ch->nmilestones, have, t->nmilestones, "milestones", keep, &nkeep,
		      err);
	if (rc != ZL_OK)
		return rc;
	for (size_t k = 0; k < t->nmilestones && rc == ZL_OK; k++)
		if (!has_id(keep, nkeep, t->milestones[k].id))
			rc = zl_store_exec_id(db, "DELETE FROM plan_milestones WHERE id = ?",
					      t->milestones[k].id, err);
	for (size_t i = 0; i < ch->nmilestones && rc == ZL_OK; i++)
		rc = save_milestone(db, t->id, (int)i, &ch->milestones[i], ch->milestones[i].id,
				    err);
	return rc;
}

static int replace_indicators(struct zl_db *db, const struct zl_plan_task_row *t,
			      const struct zl_plan_task_change *ch, struct zl_error *err)
{
	int64_t given_ids[ZL_PLAN_ITEMS_MAX], have[ZL_PLAN_ITEMS_MAX], keep[ZL_PLAN_ITEMS_MAX];
	int64_t used = 0;
	size_t nkeep = 0;
	int rc;

	for (size_t i = 0; i < ch->nindicators && i < ZL_PLAN_ITEMS_MAX; i++)
		given_ids[i] = ch->indicators[i].id;
	for (size_t k = 0; k < t->nindicators && k < ZL_PLAN_ITEMS_MAX; k++)
		have[k] = t->indicators[k].id;
	rc = kept_ids(given_ids, ch->nindicators, have, t->nindicators, "indicators", keep, &nkeep,
		      err);
	if (rc != ZL_OK)
		return rc;
	for (size_t k = 0; k < t->nindicators && rc == ZL_OK; k++) {
		int64_t id = t->indicators[k].id;

		if (has_id(keep, nkeep, id))
			continue;
		rc = zl_store_int_by_id(
			db, "SELECT count(*) FROM plan_report_values WHERE indicator_id = ?", id,
			&used, err);
		if (rc == ZL_OK && used > 0)
			return zl_error_set(err, ZL_ECONFLICT, "indicators",
					    "indicator %lld (%s) has reported values: keep it",
					    (long long)id, t->indicators[k].name);
		if (rc == ZL_OK)
			rc = zl_store_exec_id(db, "DELETE FROM plan_indicators WHERE id = ?", id,
					      err);
	}
	for (size_t i = 0; i < ch->nindicators && rc == ZL_OK; i++)
		rc = save_indicator(db, t->id, (int)i, &ch->indicators[i], ch->indicators[i].id,
				    err);
	return rc;
}

/* Check a change as zl_plan_task_in_check checks a new task. */
static int change_check(const struct zl_plan_task_row *t, const struct zl_plan_task_change *ch,
			struct zl_error *err)
{
	struct zl_plan_task_in in = {0};
	int64_t d;

	in.number = t->number;
	in.title = ch->title != NULL ? ch->title : t->title;
	in.text = ch->text != NULL ? ch->text : t->text;
	in.start = ch->start != NULL ? ch->start : t->start;
	in.deadline = ch->deadline != NULL ? ch->deadline : t->deadline;
	in.owners = ch->set_owners ? ch->owners : NULL;
	in.nowners = ch->set_owners ? ch->nowners : 0;
	in.milestones = ch->set_milestones ? ch->milestones : NULL;
	in.nmilestones = ch->set_milestones ? ch->nmilestones : 0;
	in.indicators = ch->set_indicators ? ch->indicators : NULL;
	in.nindicators = ch->set_indicators ? ch->nindicators : 0;
	if (ch->title != NULL && !given(ch->title))
		return zl_error_set(err, ZL_EUNPROC, "title", "title is required");
	if (given(ch->completed_on) && zl_date_parse(ch->completed_on, &d) != ZL_OK)
		return zl_error_set(err, ZL_EUNPROC, "completed_on",
				    "completed_on must be a date YYYY-MM-DD");
	return zl_plan_task_in_check(&in, "", err);
}

int zl_store_plan_task_update(struct zl_db *db, int64_t task_id,
			      const struct zl_plan_task_change *ch, const struct zl_plan_actor *who,
			      struct zl_error *err)
{
	struct zl_plan_task_set set;
	struct assigned *as = NULL;
	struct zl_plan_task_row *t;
	struct plan_ctx pc;
	struct zl_stmt *st;
	int rc, own = 0;

	if ((rc = zl_plan_actor_check(who, err)) != ZL_OK)
		return rc;
	zl_plan_task_set_init(&set);
	rc = zl_plan_tx_begin(db, &own, err);
	if (rc != ZL_OK)
		return rc;
	rc = zl_store_plan_task_get(db, task_id, who->today, &set, err);
	if (rc != ZL_OK)
		goto out;
	t = &set.tasks[0];
	if ((rc = change_check(t, ch, err)) != ZL_OK ||
	    (rc = plan_ctx_load(db, t->plan_id, who, &pc, err)) != ZL_OK)
		goto out;
	rc = zl_db_prepare(db,
			   "UPDATE plan_tasks SET title = ?, text = ?, start_on = ?, deadline = ?,"
			   " completed_on = ?, updated_at = ? WHERE id = ?",
			   &st, err);
	if (rc != ZL_OK)
		goto out;
	zl_stmt_bind_text(st, 1, ch->title != NULL ? ch->title : t->title, -1);
	zl_stmt_bind_text(st, 2, ch->text != NULL ? ch->text : t->text, -1);
	zl_stmt_bind_text(st, 3, ch->start != NULL ? ch->start : t->start, -1);
	zl_stmt_bind_text(st, 4, ch->deadline != NULL ? ch->deadline : t->deadline, -1);
	zl_stmt_bind_text(st, 5, ch->completed_on != NULL ? ch->completed_on : t->completed_on, -1);
	zl_stmt_bind_text(st, 6, pc.now, -1);
	zl_stmt_bind_int64(st, 7, task_id);
	rc = zl_store_run(st, err);
	if (rc == ZL_OK && ch->set_owners) {
		struct zl_plan_task_in in = {0};

		as = calloc(1, sizeof(*as));
		if (as == NULL) {
			rc = zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
			goto out;
		}
		in.owners = ch->owners;
		in.nowners = ch->nowners;
		rc = zl_store_exec_id(db, "DELETE FROM plan_task_owners WHERE task_id = ?", task_id,
				      err);
		if (rc == ZL_OK)
			rc = insert_owners(db, &pc, task_id, &in, "", as, err);
		/* Only organizations that were not owners before are told. */
		for (size_t i = 0; rc == ZL_OK && i < as->n;) {
			int was = 0;

			for (size_t k = 0; k < t->nowners; k++)
				was |= strcmp(t->owners[k].org, as->org[i]) == 0;
			if (was) {
				as->n--;
				memmove(as->org[i], as->org[i + 1],
					(as->n - i) * sizeof(as->org[0]));
				memmove(as->role[i], as->role[i + 1],
					(as->n - i) * sizeof(as->role[0]));
			} else {
				i++;
			}
		}
		if (rc == ZL_OK)
			rc = notify_assigned(db, &pc, task_id, t->number,
					     ch->title != NULL ? ch->title : t->title, as, err);
	}
	if (rc == ZL_OK && ch->set_milestones)
		rc = replace_milestones(db, t, ch, err);
	if (rc == ZL_OK && ch->set_indicators)
		rc = replace_indicators(db, t, ch, err);
	if (rc == ZL_OK)
		rc = zl_plan_relight(db, task_id, who->today, pc.now, who->user, err);
out:
	free(as);
	zl_plan_task_set_release(&set);
	return zl_plan_tx_end(db, own, rc, err);
}

/* ---- decomposition ------------------------------------------------------------- */

int zl_store_plan_decompose(struct zl_db *db, int64_t plan_id, const struct zl_plan_decompose *d,
			    const struct zl_plan_actor *who, int64_t *id, struct zl_error *err)
{
	struct zl_plan_info *src = calloc(1, sizeof(*src));
	struct zl_plan_task_filter f = {.plan_id = plan_id};
	char name[ZL_ORG_NAME_MAX], path[ZL_ORG_PATH_MAX], parent[ZL_ORG_CODE_MAX] = "";
	struct zl_plan_section_row *sections = NULL;
	struct zl_plan_section_in *sin = NULL;
	struct zl_plan_task_in *tin = NULL;
	struct zl_plan_task_set set;
	struct zl_plan_in in = {0};
	struct plan_ctx pc = {0};
	struct zl_arena a;
	const char *base;
	char *title = NULL;
	size_t nsections = 0, ntasks = 0;
	int rc, own = 0;

	zl_arena_init(&a, (size_t)64 << 20);
	zl_plan_task_set_init(&set);
	if (src == NULL)
		return zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
	if ((rc = zl_plan_actor_check(who, err)) != ZL_OK)
		goto done;
	if (!given(d->org)) {
		rc = zl_error_set(err, ZL_EUNPROC, "org", "org is required");
		goto done;
	}
	rc = zl_plan_tx_begin(db, &own, err);
	if (rc != ZL_OK)
		goto done;
	rc = zl_store_plan_get(db, plan_id, src, err);
	if (rc != ZL_OK)
		goto out;
	rc = org_facts(db, d->org, name, path, parent, err);
	if (rc == ZL_ENOTFOUND || (rc == ZL_OK && strcmp(parent, src->org) != 0)) {
		rc = zl_error_set(err, ZL_EUNPROC, "org",
				  "%s is not an organization directly under %s, which owns the "
				  "plan: plans are decomposed one level at a time",
				  d->org, src->org);
		goto out;
	}
	if (rc != ZL_OK)
		goto out;
	for (size_t i = 0; i < d->nnumbers; i++) {
		if (!given(d->numbers[i])) {
			char fld[32];

			snprintf(fld, sizeof(fld), "numbers[%zu]", i);
			rc = zl_error_set(err, ZL_EUNPROC, fld, "%s is empty", fld);
			goto out;
		}
	}
	if ((rc = zl_store_plan_sections(db, plan_id, &a, &sections, &nsections, err)) != ZL_OK ||
	    (rc = zl_store_plan_tasks(db, &f, who->today, &set, err)) != ZL_OK)
		goto out;
	sin = zl_arena_calloc(&a, nsections + 1, sizeof(*sin));
	tin = zl_arena_calloc(&a, set.n + 1, sizeof(*tin));
	/* A plan decomposed from a local plan keeps one organization in front: the
	 * parent's own "<organization>：" prefix makes way for the new one. */
	base = src->title;
	if (given(src->org_name) && strncmp(base, src->org_name, strlen(src->org_name)) == 0 &&
	    strncmp(base + strlen(src->org_name), "：", strlen("：")) == 0)
		base += strlen(src->org_name) + strlen("：");
	title = zl_arena_printf(&a, "%s：%s", name, base);
	if (sin == NULL || tin == NULL || title == NULL) {
		rc = zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < nsections; i++) {
		sin[i].number = sections[i].number;
		sin[i].title = sections[i].title;
	}
	/* The chosen numbers must all exist. */
	for (size_t k = 0; k < d->nnumbers; k++) {
		int found = 0;

		for (size_t i = 0; i < set.n && !found; i++)
			found = strcmp(set.tasks[i].number, d->numbers[k]) == 0;
		if (!found) {
			char fld[32];

			snprintf(fld, sizeof(fld), "numbers[%zu]", k);
			rc = zl_error_set(err, ZL_EUNPROC, fld, "the plan has no task %s",
					  d->numbers[k]);
			goto out;
		}
	}
	for (size_t i = 0; i < set.n; i++) {
		const struct zl_plan_task_row *t = &set.tasks[i];
		struct zl_plan_task_in *x = &tin[ntasks];
		struct zl_plan_milestone_in *ms;
		struct zl_plan_indicator_in *xs;
		struct zl_plan_owner_in *owner;
		int take = d->nnumbers == 0;

		for (size_t k = 0; k < d->nnumbers && !take; k++)
			take = strcmp(t->number, d->numbers[k]) == 0;
		if (!take)
			continue;
		owner = zl_arena_calloc(&a, 1, sizeof(*owner));
		ms = zl_arena_calloc(&a, t->nmilestones + 1, sizeof(*ms));
		xs = zl_arena_calloc(&a, t->nindicators + 1, sizeof(*xs));
		if (owner == NULL || ms == NULL || xs == NULL) {
			rc = zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
			goto out;
		}
		x->number = t->number;
		x->section = t->section;
		x->title = t->title;
		x->text = t->text;
		x->start = t->start;
		x->deadline = t->deadline;
		x->parent_task = t->id;
		/* The local organization answers for it until it assigns its own. */
		owner->org = d->org;
		owner->role = "lead";
		x->owners = owner;
		x->nowners = 1;
		for (size_t k = 0; k < t->nmilestones; k++) {
			ms[k].title = t->milestones[k].title;
			ms[k].due = t->milestones[k].due;
		}
		x->milestones = ms;
		x->nmilestones = t->nmilestones;
		for (size_t k = 0; k < t->nindicators; k++) {
			struct zl_plan_indicator_in *v = &xs[k];
			const struct zl_plan_indicator *s = &t->indicators[k];

			v->name = s->name;
			v->unit = s->unit;
			v->direction = s->direction;
			v->target = s->target;
			v->baseline = s->baseline;
			v->has_baseline = s->has_baseline;
		}
		x->indicators = xs;
		x->nindicators = t->nindicators;
		ntasks++;
	}
	in.title = given(d->title) ? d->title : title;
	in.year = src->year;
	in.org = d->org;
	in.parent_plan = plan_id;
	in.lead_rule = given(src->lead_rule) ? src->lead_rule : NULL;
	in.sections = sin;
	in.nsections = nsections;
	in.tasks = tin;
	in.ntasks = ntasks;
	rc = zl_plan_in_check(&in, err);
	if (rc != ZL_OK)
		goto out;
	pc.who = who;
	pc.owner_source = "decompose";
	zl_plan_now(who, pc.now);
	rc = insert_plan(db, &in, &pc, err);
	if (rc == ZL_OK && id != NULL)
		*id = pc.id;
out:
	rc = zl_plan_tx_end(db, own, rc, err);
done:
	zl_plan_task_set_release(&set);
	zl_arena_release(&a);
	free(src);
	return rc;
}

/* ---- unresolved names ---------------------------------------------------------- */

int zl_store_plan_unresolved(struct zl_db *db, int64_t plan_id, zl_plan_unresolved_fn *fn,
			     void *cls, int64_t *total, struct zl_error *err)
{
	struct zl_buf numbers = ZL_BUF_INIT(64 << 10);
	char name[4 * ZL_PLAN_NAME_MAX + 1] = "", last_number[64] = "";
	struct zl_plan_unresolved u = {0};
	int64_t count = 0;
	struct zl_stmt *st;
	int rc, cb = 0, have = 0;

	/* Grouped by name: equal names are adjacent in any collation. */
	rc = zl_db_prepare(db,
			   "SELECT w.name, w.candidates, t.number FROM plan_task_owners w"
			   " JOIN plan_tasks t ON t.id = w.task_id WHERE t.plan_id = ?"
			   " AND w.org IS NULL AND w.role <> 'unnamed' AND w.name <> ''"
			   " ORDER BY w.name, t.ord",
			   &st, err);
	if (rc != ZL_OK)
		goto out;
	zl_stmt_bind_int64(st, 1, plan_id);
	for (;;) {
		const char *nm = NULL;

		rc = zl_stmt_step(st, err);
		if (rc < 0)
			break;
		if (rc == ZL_DB_ROW)
			nm = zl_stmt_column_text(st, 0);
		if (have && (nm == NULL || strcmp(nm, name) != 0)) {
			u.name = name;
			u.numbers = numbers.err ? "" : zl_buf_str(&numbers);
			count++;
			if (fn != NULL && (cb = fn(cls, &u)) != 0)
				break;
			have = 0;
		}
		if (nm == NULL)
			break;
		if (!have) {
			zl_strlcpy(name, nm, sizeof(name));
			memset(&u, 0, sizeof(u));
			zl_buf_reset(&numbers);
			last_number[0] = '\0';
			have = 1;
		}
		u.rows++;
		if ((int)zl_stmt_column_int64(st, 1) > u.candidates)
			u.candidates = (int)zl_stmt_column_int64(st, 1);
		if (strcmp(last_number, zl_stmt_column_text(st, 2)) != 0) {
			zl_strlcpy(last_number, zl_stmt_column_text(st, 2), sizeof(last_number));
			if (numbers.len)
				zl_buf_addch(&numbers, ',');
			zl_buf_adds(&numbers, last_number);
		}
	}
	zl_stmt_reset(st);
	if (cb != 0)
		rc = cb;
	else if (rc >= 0)
		rc = ZL_OK;
	if (rc == ZL_OK && total != NULL)
		*total = count;
out:
	zl_buf_release(&numbers);
	return rc;
}

/* Set `org` on the unresolved rows named `name` of one plan; the tasks are notified. */
static int resolve_rows(struct zl_db *db, struct plan_ctx *pc, const char *name, const char *org,
			int64_t *rows, struct zl_error *err)
{
	struct zl_plan_task_filter f = {.plan_id = pc->id};
	struct zl_plan_task_set set;
	struct assigned as = {0};
	struct zl_stmt *st;
	int rc;

	*rows = 0;
	zl_plan_task_set_init(&set);
	rc = zl_store_plan_tasks(db, &f, pc->who->today, &set, err);
	for (size_t i = 0; rc == ZL_OK && i < set.n; i++) {
		const struct zl_plan_task_row *t = &set.tasks[i];
		int64_t changed = 0;

		rc = zl_db_prepare(db,
				   "UPDATE plan_task_owners SET org = ?, candidates = 0"
				   " WHERE task_id = ? AND name = ? AND org IS NULL"
				   " AND role <> 'unnamed'",
				   &st, err);
		if (rc != ZL_OK)
			break;
		zl_stmt_bind_text(st, 1, org, -1);
		zl_stmt_bind_int64(st, 2, t->id);
		zl_stmt_bind_text(st, 3, name, -1);
		rc = zl_stmt_step(st, err);
		if (rc >= 0)
			changed = zl_stmt_changes(st);
		zl_stmt_reset(st);
		if (rc < 0)
			break;
		rc = ZL_OK;
		if (changed == 0)
			continue;
		*rows += changed;
		as.n = 0;
		for (size_t k = 0; k < t->nowners; k++)
			if (!given(t->owners[k].org) && strcmp(t->owners[k].name, name) == 0)
				assigned_add(&as, org, t->owners[k].role);
		rc = notify_assigned(db, pc, t->id, t->number, t->title, &as, err);
	}
	zl_plan_task_set_release(&set);
	return rc;
}

int zl_store_plan_map_name(struct zl_db *db, int64_t plan_id, const char *name, const char *org,
			   const char *viewer_path, const struct zl_plan_actor *who, int64_t *rows,
			   int64_t *plans, struct zl_error *err)
{
	char oname[ZL_ORG_NAME_MAX], opath[ZL_ORG_PATH_MAX];
	struct zl_plan_info *other = calloc(1, sizeof(*other));
	int64_t *ids = NULL, n_rows = 0, n_plans = 0;
	size_t n = 0;
	struct plan_ctx pc;
	struct zl_stmt *st;
	int rc, own = 0;

	if (other == NULL)
		return zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
	if ((rc = zl_plan_actor_check(who, err)) != ZL_OK)
		goto done;
	if (!given(name) || !given(org)) {
		rc = zl_error_set(err, ZL_EUNPROC, given(name) ? "org" : "name", "%s is required",
				  given(name) ? "org" : "name");
		goto done;
	}
	rc = zl_plan_tx_begin(db, &own, err);
	if (rc != ZL_OK)
		goto done;
	if ((rc = plan_ctx_load(db, plan_id, who, &pc, err)) != ZL_OK)
		goto out;
	rc = org_facts(db, org, oname, opath, NULL, err);
	if (rc == ZL_ENOTFOUND)
		rc = zl_error_set(err, ZL_EUNPROC, "org", "no organization %s", org);
	if (rc != ZL_OK)
		goto out;
	if (!zl_plan_org_admissible(opath, pc.path)) {
		rc = zl_error_set(err, ZL_EUNPROC, "org",
				  "%s cannot be named in this plan (it belongs to another "
				  "government)",
				  org);
		goto out;
	}
	rc = resolve_rows(db, &pc, name, org, &n_rows, err);
	if (rc == ZL_OK && n_rows == 0)
		rc = zl_error_set(err, ZL_EUNPROC, "name",
				  "the plan has no unresolved department named %s", name);
	if (rc == ZL_OK)
		rc = zl_store_org_alias_add(db, name, org, err);
	if (rc != ZL_OK)
		goto out;
	n_plans = 1;
	/* Other plans carrying the name, where it now resolves. */
	rc = zl_db_prepare(db,
			   "SELECT DISTINCT t.plan_id FROM plan_task_owners w JOIN plan_tasks t"
			   " ON t.id = w.task_id WHERE w.org IS NULL AND w.name = ?"
			   " AND w.role <> 'unnamed' AND t.plan_id <> ? ORDER BY t.plan_id",
			   &st, err);
	if (rc != ZL_OK)
		goto out;
	zl_stmt_bind_text(st, 1, name, -1);
	zl_stmt_bind_int64(st, 2, plan_id);
	rc = zl_plan_collect_ids(st, &ids, &n, err);
	if (rc != ZL_OK)
		goto out;
	for (size_t i = 0; i < n && rc == ZL_OK; i++) {
		struct plan_ctx opc;
		struct resolved r;
		int visible = 0;
		int64_t got = 0;

		rc = zl_store_plan_get(db, ids[i], other, err);
		if (rc == ZL_OK)
			rc = zl_store_plan_visible(db, other, viewer_path, &visible, err);
		if (rc != ZL_OK || !visible)
			continue;
		rc = resolve(db, name, other->org_path, &r, err);
		if (rc != ZL_OK || !given(r.org))
			continue;
		rc = plan_ctx_load(db, ids[i], who, &opc, err);
		if (rc == ZL_OK)
			rc = resolve_rows(db, &opc, name, r.org, &got, err);
		if (rc == ZL_OK && got > 0) {
			n_rows += got;
			n_plans++;
		}
	}
out:
	rc = zl_plan_tx_end(db, own, rc, err);
	if (rc == ZL_OK) {
		if (rows != NULL)
			*rows = n_rows;
		if (plans != NULL)
			*plans = n_plans;
	}
done:
	free(ids);
	free(other);
	return rc;
}
