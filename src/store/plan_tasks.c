/*
 * plan_tasks.c - reading plan tasks with everything their light needs
 * (store/plans.h: zl_store_plan_tasks), evaluating and storing lights,
 * notifying owners, the roll-up of a task's descendants and the daily
 * refresh.  A read is four statements whatever the number of tasks: the
 * tasks, then their owners, milestones and indicators selected by the
 * same condition, joined to the tasks in C.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/timeutil.h"
#include "store/plan_internal.h"
#include "store/query.h"

/* Memory of one read: generous, but a bound (tasks carry their whole text). */
#define SET_ARENA_MAX ((size_t)256 << 20)

static int given(const char *s)
{
	return s != NULL && *s != '\0';
}

void zl_plan_now(const struct zl_plan_actor *who, char out[32])
{
	if (who != NULL && given(who->now))
		zl_strlcpy(out, who->now, 32);
	else
		zl_time_format_rfc3339(zl_now_us(), out);
}

int zl_plan_tx_begin(struct zl_db *db, int *own, struct zl_error *err)
{
	*own = 0;
	if (zl_db_in_tx(db))
		return ZL_OK;
	*own = 1;
	return zl_db_begin(db, err);
}

int zl_plan_tx_end(struct zl_db *db, int own, int rc, struct zl_error *err)
{
	if (!own)
		return rc;
	if (rc != ZL_OK) {
		zl_db_rollback(db);
		return rc;
	}
	return zl_db_commit(db, err);
}

int zl_plan_actor_check(const struct zl_plan_actor *who, struct zl_error *err)
{
	int64_t d;

	if (who == NULL || !given(who->user) || !given(who->today) ||
	    zl_date_parse(who->today, &d) != ZL_OK)
		return zl_error_set(err, ZL_EINTERNAL, "actor",
				    "a plan write needs the actor's name and today's date");
	return ZL_OK;
}

size_t zl_plan_chars(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

int zl_plan_row_by_id(struct zl_db *db, const char *sql, int64_t id, zl_plan_read_fn *read,
		      void *out, const char *what, struct zl_error *err)
{
	struct zl_stmt *st;
	int rc = zl_db_prepare(db, sql, &st, err);

	if (rc != ZL_OK)
		return rc;
	zl_stmt_bind_int64(st, 1, id);
	rc = zl_stmt_step(st, err);
	if (rc == ZL_DB_ROW) {
		read(st, out);
		rc = ZL_OK;
	} else if (rc == ZL_DB_DONE) {
		rc = zl_error_set(err, ZL_ENOTFOUND, "id", "no %s %lld", what, (long long)id);
	}
	zl_stmt_reset(st);
	return rc;
}

int zl_plan_collect_ids(struct zl_stmt *st, int64_t **ids, size_t *n, struct zl_error *err)
{
	size_t cap = 0;
	int rc, oom = 0;

	*ids = NULL;
	*n = 0;
	while ((rc = zl_stmt_step(st, err)) == ZL_DB_ROW) {
		ZL_PLAN_GROW(*ids, *n, cap, oom);
		if (oom)
			break;
		(*ids)[(*n)++] = zl_stmt_column_int64(st, 0);
	}
	zl_stmt_reset(st);
	if (oom)
		return zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
	return rc < 0 ? rc : ZL_OK;
}

int zl_plan_run_id(struct zl_stmt *st, int64_t *id, struct zl_error *err)
{
	int rc = zl_stmt_step(st, err);

	if (rc == ZL_DB_ROW) {
		*id = zl_stmt_column_int64(st, 0);
		rc = ZL_OK;
	} else if (rc == ZL_DB_DONE) {
		rc = zl_error_set(err, ZL_EDB, "db", "INSERT returned no id");
	}
	zl_stmt_reset(st);
	return rc;
}

void zl_plan_task_set_init(struct zl_plan_task_set *s)
{
	memset(s, 0, sizeof(*s));
	zl_arena_init(&s->arena, SET_ARENA_MAX);
}

void zl_plan_task_set_release(struct zl_plan_task_set *s)
{
	zl_arena_release(&s->arena);
	s->tasks = NULL;
	s->n = 0;
}

/* ---- the condition ---------------------------------------------------------- */

/* Append the WHERE condition on `t` (plan_tasks) for `f`: fixed text only. */
static void where(struct zl_buf *sql, const struct zl_plan_task_filter *f)
{
	zl_buf_adds(sql, " WHERE 1 = 1");
	if (f->plan_id > 0)
		zl_buf_adds(sql, " AND t.plan_id = ?");
	if (f->task_id > 0)
		zl_buf_adds(sql, " AND t.id = ?");
	if (given(f->owner_org))
		zl_buf_adds(sql, given(f->role)
					 ? " AND EXISTS (SELECT 1 FROM plan_task_owners w"
					   " WHERE w.task_id = t.id AND w.org = ? AND w.role = ?)"
					 : " AND EXISTS (SELECT 1 FROM plan_task_owners w"
					   " WHERE w.task_id = t.id AND w.org = ?)");
	if (given(f->owner_within)) {
		zl_buf_adds(sql,
			    " AND EXISTS (SELECT 1 FROM plan_task_owners w"
			    " JOIN orgs wo ON wo.code = w.org AND wo.valid_to IS NULL"
			    " WHERE w.task_id = t.id"
			    " AND substr(wo.path, 1, length(CAST(? AS TEXT))) = CAST(? AS TEXT)");
		zl_buf_adds(sql, given(f->role) ? " AND w.role = ?)" : ")");
	}
	if (given(f->lineage))
		zl_buf_adds(sql, " AND substr(t.lineage, 1, length(CAST(? AS TEXT)))"
				 " = CAST(? AS TEXT) AND t.lineage <> CAST(? AS TEXT)");
	if (f->open_only)
		zl_buf_adds(sql, " AND t.completed_on = ''");
}

/* Bind what where() wrote, from parameter i; returns the next index. */
static int bind_where(struct zl_stmt *st, int i, const struct zl_plan_task_filter *f)
{
	if (f->plan_id > 0)
		zl_stmt_bind_int64(st, i++, f->plan_id);
	if (f->task_id > 0)
		zl_stmt_bind_int64(st, i++, f->task_id);
	if (given(f->owner_org)) {
		zl_stmt_bind_text(st, i++, f->owner_org, -1);
		if (given(f->role))
			zl_stmt_bind_text(st, i++, f->role, -1);
	}
	if (given(f->owner_within)) {
		zl_stmt_bind_text(st, i++, f->owner_within, -1);
		zl_stmt_bind_text(st, i++, f->owner_within, -1);
		if (given(f->role))
			zl_stmt_bind_text(st, i++, f->role, -1);
	}
	if (given(f->lineage)) {
		zl_stmt_bind_text(st, i++, f->lineage, -1);
		zl_stmt_bind_text(st, i++, f->lineage, -1);
		zl_stmt_bind_text(st, i++, f->lineage, -1);
	}
	return i;
}

/* ---- reading ---------------------------------------------------------------- */

struct reader {
	struct zl_plan_task_set *set;
	size_t cap;
	/* task ids in ascending order with their index, to attach children */
	struct id_index {
		int64_t id;
		size_t at;
	} * ids;
};

static const char *dup(struct zl_plan_task_set *s, struct zl_stmt *st, int col, int *oom)
{
	char *p = zl_arena_strdup(&s->arena, zl_stmt_column_text(st, col));

	if (p == NULL)
		*oom = 1;
	return p != NULL ? p : "";
}

static int cmp_id(const void *a, const void *b)
{
	const struct id_index *x = a, *y = b;

	return x->id < y->id ? -1 : x->id > y->id;
}

static struct zl_plan_task_row *find(struct reader *r, int64_t id)
{
	size_t lo = 0, hi = r->set->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (r->ids[mid].id == id)
			return &r->set->tasks[r->ids[mid].at];
		if (r->ids[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

#define TASK_COLS                                                                                  \
	"t.id, t.plan_id, t.parent_task, t.ord, t.number, t.section, t.title, t.text,"             \
	" t.start_on, t.deadline, t.completed_on, t.last_report, t.lineage, t.updated_at,"         \
	" t.progress, t.light, t.reasons, t.cleared, t.lit_on, p.title, p.org,"                    \
	" COALESCE(po.path, ''), p.year"

static int read_tasks(struct zl_db *db, const struct zl_plan_task_filter *f, struct reader *r,
		      struct zl_error *err)
{
	struct zl_plan_task_set *s = r->set;
	struct zl_buf sql = ZL_BUF_INIT(4096);
	struct zl_stmt *st;
	int rc, oom = 0;

	zl_buf_adds(&sql, "SELECT " TASK_COLS " FROM plan_tasks t JOIN plans p ON p.id = t.plan_id"
			  " LEFT JOIN orgs po ON po.code = p.org AND po.valid_to IS NULL");
	where(&sql, f);
	zl_buf_adds(&sql, " ORDER BY t.plan_id, t.ord");
	if (sql.err) {
		rc = zl_error_set(err, ZL_EINTERNAL, NULL, "task query too long");
		goto out;
	}
	rc = zl_db_prepare(db, zl_buf_str(&sql), &st, err);
	if (rc != ZL_OK)
		goto out;
	bind_where(st, 1, f);
	while ((rc = zl_stmt_step(st, err)) == ZL_DB_ROW) {
		struct zl_plan_task_row *t;

		if (s->n == r->cap) {
			size_t cap = r->cap ? 2 * r->cap : 32;
			struct zl_plan_task_row *nt = realloc(s->tasks, cap * sizeof(*nt));

			if (nt == NULL) {
				oom = 1;
				break;
			}
			s->tasks = nt;
			r->cap = cap;
		}
		t = &s->tasks[s->n++];
		memset(t, 0, sizeof(*t));
		t->id = zl_stmt_column_int64(st, 0);
		t->plan_id = zl_stmt_column_int64(st, 1);
		t->parent_task = zl_stmt_column_int64(st, 2);
		t->ord = (int)zl_stmt_column_int64(st, 3);
		t->number = dup(s, st, 4, &oom);
		t->section = dup(s, st, 5, &oom);
		t->title = dup(s, st, 6, &oom);
		t->text = dup(s, st, 7, &oom);
		t->start = dup(s, st, 8, &oom);
		t->deadline = dup(s, st, 9, &oom);
		t->completed_on = dup(s, st, 10, &oom);
		t->last_report = dup(s, st, 11, &oom);
		t->lineage = dup(s, st, 12, &oom);
		t->updated_at = dup(s, st, 13, &oom);
		t->progress = (int)zl_stmt_column_int64(st, 14);
		if (zl_light_parse(zl_stmt_column_text(st, 15), &t->stored_light) != ZL_OK)
			t->stored_light = ZL_LIGHT_GREEN;
		t->stored_reasons = (unsigned)zl_stmt_column_int64(st, 16);
		t->cleared = dup(s, st, 17, &oom);
		t->lit_on = dup(s, st, 18, &oom);
		t->plan_title = dup(s, st, 19, &oom);
		t->plan_org = dup(s, st, 20, &oom);
		t->plan_org_path = dup(s, st, 21, &oom);
		t->plan_year = (int)zl_stmt_column_int64(st, 22);
		if (oom)
			break;
	}
	zl_stmt_reset(st);
	if (oom)
		rc = zl_error_set(err, ZL_ENOMEM, NULL, "out of memory reading tasks");
	else if (rc >= 0)
		rc = ZL_OK;
out:
	zl_buf_release(&sql);
	return rc;
}

/* SQL of a child table's rows for the tasks of `f`: "SELECT cols FROM x WHERE task_id IN". */
static int child_sql(struct zl_buf *sql, const char *head, const struct zl_plan_task_filter *f,
		     const char *tail, struct zl_error *err)
{
	zl_buf_adds(sql, head);
	zl_buf_adds(sql, " IN (SELECT t.id FROM plan_tasks t");
	where(sql, f);
	zl_buf_adds(sql, ")");
	zl_buf_adds(sql, tail);
	if (sql->err)
		return zl_error_set(err, ZL_EINTERNAL, NULL, "task query too long");
	return ZL_OK;
}

/*
 * A child table read with the tasks: its rows arrive ordered by task id,
 * are read into a heap vector and handed to their tasks as arrays in the
 * set's arena, one group at a time (counting first would double the
 * statements).
 */
struct child {
	const char *head; /* "SELECT x.task_id, ... WHERE x.task_id": column 0 is the task */
	const char *tail; /* " ORDER BY x.task_id, ..." */
	size_t size;	  /* of one element */
	void (*read)(struct zl_plan_task_set *s, struct zl_stmt *st, void *elem, int *oom);
	void (*attach)(struct zl_plan_task_row *t, void *elems, size_t n);
};

static int read_children(struct zl_db *db, const struct zl_plan_task_filter *f, struct reader *r,
			 const struct child *c, struct zl_error *err)
{
	struct zl_plan_task_set *s = r->set;
	struct zl_buf sql = ZL_BUF_INIT(4096);
	unsigned char *v = NULL;
	int64_t *task = NULL;
	size_t n = 0, cap = 0, vcap = 0;
	struct zl_stmt *st;
	int rc, oom = 0;

	rc = child_sql(&sql, c->head, f, c->tail, err);
	if (rc != ZL_OK)
		goto out;
	rc = zl_db_prepare(db, zl_buf_str(&sql), &st, err);
	if (rc != ZL_OK)
		goto out;
	bind_where(st, 1, f);
	while ((rc = zl_stmt_step(st, err)) == ZL_DB_ROW) {
		size_t had = cap;

		ZL_PLAN_GROW(task, n, cap, oom);
		if (!oom && cap != had) {
			void *p = realloc(v, cap * c->size);

			if (p == NULL)
				oom = 1;
			else
				v = p, vcap = cap;
		}
		if (oom || n >= vcap)
			break;
		task[n] = zl_stmt_column_int64(st, 0);
		memset(v + n * c->size, 0, c->size);
		c->read(s, st, v + n * c->size, &oom);
		n++;
	}
	zl_stmt_reset(st);
	if (rc < 0 && !oom)
		goto out;
	rc = ZL_OK;
	for (size_t i = 0; i < n && !oom;) {
		struct zl_plan_task_row *t = find(r, task[i]);
		size_t j = i;
		void *arr;

		while (j < n && task[j] == task[i])
			j++;
		if (t != NULL) {
			arr = zl_arena_alloc(&s->arena, (j - i) * c->size);
			if (arr == NULL) {
				oom = 1;
				break;
			}
			memcpy(arr, v + i * c->size, (j - i) * c->size);
			c->attach(t, arr, j - i);
		}
		i = j;
	}
	if (oom)
		rc = zl_error_set(err, ZL_ENOMEM, NULL, "out of memory reading tasks");
out:
	free(v);
	free(task);
	zl_buf_release(&sql);
	return rc;
}

static void read_owner(struct zl_plan_task_set *s, struct zl_stmt *st, void *elem, int *oom)
{
	struct zl_plan_owner *o = elem;

	o->ord = (int)zl_stmt_column_int64(st, 1);
	o->name = dup(s, st, 2, oom);
	o->org = dup(s, st, 3, oom);
	o->org_name = dup(s, st, 4, oom);
	o->org_path = dup(s, st, 5, oom);
	o->role = dup(s, st, 6, oom);
	o->attribution = (int)zl_stmt_column_int64(st, 7);
	o->source = dup(s, st, 8, oom);
	o->flags = dup(s, st, 9, oom);
	o->candidates = (int)zl_stmt_column_int64(st, 10);
}

static void attach_owners(struct zl_plan_task_row *t, void *elems, size_t n)
{
	t->owners = elems;
	t->nowners = n;
}

static void read_milestone(struct zl_plan_task_set *s, struct zl_stmt *st, void *elem, int *oom)
{
	struct zl_plan_milestone *m = elem;

	m->id = zl_stmt_column_int64(st, 1);
	m->title = dup(s, st, 2, oom);
	m->due = dup(s, st, 3, oom);
	m->done_on = dup(s, st, 4, oom);
}

static void attach_milestones(struct zl_plan_task_row *t, void *elems, size_t n)
{
	t->milestones = elems;
	t->nmilestones = n;
}

static void read_indicator(struct zl_plan_task_set *s, struct zl_stmt *st, void *elem, int *oom)
{
	struct zl_plan_indicator *x = elem;

	x->id = zl_stmt_column_int64(st, 1);
	x->name = dup(s, st, 2, oom);
	x->unit = dup(s, st, 3, oom);
	x->direction = dup(s, st, 4, oom);
	x->target = zl_stmt_column_double(st, 5);
	x->has_baseline = !zl_stmt_column_is_null(st, 6);
	x->baseline = x->has_baseline ? zl_stmt_column_double(st, 6) : 0.0;
	x->has_value = !zl_stmt_column_is_null(st, 7);
	x->value = x->has_value ? zl_stmt_column_double(st, 7) : 0.0;
	x->value_on = dup(s, st, 8, oom);
}

static void attach_indicators(struct zl_plan_task_row *t, void *elems, size_t n)
{
	t->indicators = elems;
	t->nindicators = n;
}

static const struct child owners_child = {
	"SELECT w.task_id, w.ord, w.name, COALESCE(w.org, ''), COALESCE(o.name, ''),"
	" COALESCE(o.path, ''), w.role, w.attribution, w.source, w.flags, w.candidates"
	" FROM plan_task_owners w LEFT JOIN orgs o ON o.code = w.org"
	" AND o.valid_to IS NULL WHERE w.task_id",
	" ORDER BY w.task_id, w.ord", sizeof(struct zl_plan_owner), read_owner, attach_owners};

static const struct child milestones_child = {
	"SELECT m.task_id, m.id, m.title, m.due, m.done_on FROM plan_milestones m"
	" WHERE m.task_id",
	" ORDER BY m.task_id, m.ord, m.id", sizeof(struct zl_plan_milestone), read_milestone,
	attach_milestones};

static const struct child indicators_child = {
	"SELECT x.task_id, x.id, x.name, x.unit, x.direction, x.target, x.baseline,"
	" x.value, x.value_on FROM plan_indicators x WHERE x.task_id",
	" ORDER BY x.task_id, x.ord, x.id", sizeof(struct zl_plan_indicator), read_indicator,
	attach_indicators};

/* The light of t for `today` from its stored inputs and state. */
static int evaluate(struct zl_plan_task_set *s, struct zl_plan_task_row *t, const char *today,
		    struct zl_error *err)
{
	struct zl_light_milestone *ms = NULL;
	struct zl_light_indicator *xs = NULL;
	struct zl_light_input in = {0};
	int rc;

	if (t->nmilestones) {
		ms = zl_arena_calloc(&s->arena, t->nmilestones, sizeof(*ms));
		if (ms == NULL)
			return zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
		for (size_t i = 0; i < t->nmilestones; i++) {
			ms[i].due = t->milestones[i].due;
			ms[i].done_on = t->milestones[i].done_on;
		}
	}
	if (t->nindicators) {
		xs = zl_arena_calloc(&s->arena, t->nindicators, sizeof(*xs));
		if (xs == NULL)
			return zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
		for (size_t i = 0; i < t->nindicators; i++) {
			const struct zl_plan_indicator *x = &t->indicators[i];

			xs[i].target = x->target;
			xs[i].baseline = x->baseline;
			xs[i].has_baseline = x->has_baseline;
			xs[i].value = x->value;
			xs[i].has_value = x->has_value;
			xs[i].at_most = strcmp(x->direction, "at_most") == 0;
		}
	}
	in.today = today;
	in.start = t->start;
	in.deadline = t->deadline;
	in.completed = given(t->completed_on);
	in.progress = t->progress < -1 || t->progress > 100 ? -1 : t->progress;
	in.last_report = t->last_report;
	in.milestones = ms;
	in.nmilestones = t->nmilestones;
	in.indicators = xs;
	in.nindicators = t->nindicators;
	in.prev = t->stored_light;
	in.prev_cleared = t->cleared;
	rc = zl_plan_light(&in, &t->light, err);
	if (rc != ZL_OK) {
		/* Stored data the rule refuses: say which task. */
		char msg[ZL_ERR_MSG_MAX];

		snprintf(msg, sizeof(msg), "%s", err != NULL ? err->message : "");
		return zl_error_set(err, ZL_EINTERNAL, "task", "task %lld: %s", (long long)t->id,
				    msg);
	}
	return ZL_OK;
}

int zl_store_plan_tasks(struct zl_db *db, const struct zl_plan_task_filter *f, const char *today,
			struct zl_plan_task_set *set, struct zl_error *err)
{
	struct reader r = {set, 0, NULL};
	int rc;

	if (f->plan_id <= 0 && f->task_id <= 0 && !given(f->owner_org) && !given(f->owner_within) &&
	    !given(f->lineage))
		return zl_error_set(err, ZL_EINTERNAL, NULL, "an unbounded task read");
	set->tasks = NULL;
	set->n = 0;
	rc = read_tasks(db, f, &r, err);
	if (rc == ZL_OK && set->n > 0) {
		r.ids = malloc(set->n * sizeof(*r.ids));
		if (r.ids == NULL) {
			rc = zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
		} else {
			for (size_t i = 0; i < set->n; i++) {
				r.ids[i].id = set->tasks[i].id;
				r.ids[i].at = i;
			}
			qsort(r.ids, set->n, sizeof(*r.ids), cmp_id);
		}
		if (rc == ZL_OK)
			rc = read_children(db, f, &r, &owners_child, err);
		if (rc == ZL_OK)
			rc = read_children(db, f, &r, &milestones_child, err);
		if (rc == ZL_OK)
			rc = read_children(db, f, &r, &indicators_child, err);
		for (size_t i = 0; rc == ZL_OK && i < set->n; i++)
			rc = evaluate(set, &set->tasks[i], today, err);
	}
	free(r.ids);
	/* The task array moves into the arena, so releasing the set frees all. */
	if (rc == ZL_OK && set->n > 0) {
		struct zl_plan_task_row *tasks =
			zl_arena_alloc(&set->arena, set->n * sizeof(*tasks));

		if (tasks == NULL) {
			rc = zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
		} else {
			memcpy(tasks, set->tasks, set->n * sizeof(*tasks));
			free(set->tasks);
			set->tasks = tasks;
		}
	}
	if (rc != ZL_OK) {
		free(set->tasks);
		set->tasks = NULL;
		set->n = 0;
		zl_arena_reset(&set->arena);
	} else if (set->n == 0) {
		free(set->tasks);
		set->tasks = NULL;
	}
	return rc;
}

int zl_store_plan_task_get(struct zl_db *db, int64_t task_id, const char *today,
			   struct zl_plan_task_set *set, struct zl_error *err)
{
	struct zl_plan_task_filter f = {.task_id = task_id};
	int rc;

	if (task_id <= 0)
		return zl_error_set(err, ZL_ENOTFOUND, "id", "no task %lld", (long long)task_id);
	rc = zl_store_plan_tasks(db, &f, today, set, err);
	if (rc == ZL_OK && set->n == 0)
		rc = zl_error_set(err, ZL_ENOTFOUND, "id", "no task %lld", (long long)task_id);
	return rc;
}

/* ---- storing lights, notifying ----------------------------------------------- */

void zl_plan_task_label(const struct zl_plan_task_row *t, char *out, size_t n)
{
	size_t len;

	snprintf(out, n, "任务 %s「%s", t->number, t->title);
	len = strlen(out);
	/* Cut on a character boundary with room for the closing bracket. */
	if (len + 4 > n) {
		len = n > 4 ? n - 4 : 0;
		while (len > 0 && ((unsigned char)out[len] & 0xC0) == 0x80)
			len--;
	}
	memcpy(out + len, "」", 4);
}

int zl_plan_notify_owners(struct zl_db *db, const struct zl_plan_task_row *t, int leads_only,
			  enum zl_perm need, const char *skip_user, const struct zl_note_in *n,
			  int64_t *sent, struct zl_error *err)
{
	int any = 0, rc = ZL_OK;

	for (size_t i = 0; i < t->nowners && rc == ZL_OK; i++) {
		const struct zl_plan_owner *o = &t->owners[i];
		int dup_org = 0;

		if (!given(o->org) || strcmp(o->role, "unnamed") == 0 ||
		    (leads_only && strcmp(o->role, "lead") != 0))
			continue;
		any = 1;
		for (size_t j = 0; j < i; j++)
			if (strcmp(t->owners[j].org, o->org) == 0)
				dup_org = 1;
		if (!dup_org)
			rc = zl_store_notify_org(db, o->org, need, skip_user, n, sent, err);
	}
	if (rc == ZL_OK && !any)
		rc = zl_store_notify_org(db, t->plan_org, need, skip_user, n, sent, err);
	return rc;
}

int zl_plan_store_light(struct zl_db *db, const struct zl_plan_task_row *t, const char *today,
			const char *now, const char *actor_user, int *changed, int64_t *sent,
			struct zl_error *err)
{
	const struct zl_light_result *l = &t->light;
	unsigned soon = ZL_LIGHT_DUE_SOON | ZL_LIGHT_MILESTONE_DUE_SOON;
	char label[600], msg[800];
	struct zl_note_in n = {0};
	struct zl_stmt *st;
	int rc;

	if (changed != NULL)
		*changed = 0;
	if (l->light == t->stored_light && l->reasons == t->stored_reasons &&
	    strcmp(l->cleared, t->cleared) == 0 && strcmp(today, t->lit_on) == 0)
		return ZL_OK;
	rc = zl_db_prepare(db,
			   "UPDATE plan_tasks SET light = ?, reasons = ?, cleared = ?, lit_on = ?"
			   " WHERE id = ?",
			   &st, err);
	if (rc != ZL_OK)
		return rc;
	zl_stmt_bind_text(st, 1, zl_light_name(l->light), -1);
	zl_stmt_bind_int64(st, 2, l->reasons);
	zl_stmt_bind_text(st, 3, l->cleared, -1);
	zl_stmt_bind_text(st, 4, today, -1);
	zl_stmt_bind_int64(st, 5, t->id);
	rc = zl_stmt_step(st, err);
	zl_stmt_reset(st);
	if (rc < 0)
		return rc;
	if (changed != NULL)
		*changed = l->light != t->stored_light || l->reasons != t->stored_reasons ||
			   strcmp(l->cleared, t->cleared) != 0;
	zl_plan_task_label(t, label, sizeof(label));
	n.plan_id = t->plan_id;
	n.task_id = t->id;
	n.now = now;
	n.message = msg;
	if (l->light != t->stored_light &&
	    (l->light == ZL_LIGHT_YELLOW || l->light == ZL_LIGHT_RED)) {
		int red = l->light == ZL_LIGHT_RED;

		n.kind = red ? "plan.task_red" : "plan.task_yellow";
		snprintf(msg, sizeof(msg), "%s转为%s%s", label, zl_plan_light_zh(l->light),
			 red ? "：已逾期，请抓紧办理" : "：进度滞后或未按时报送，请关注");
		rc = zl_plan_notify_owners(db, t, 0, ZL_PERM_PLAN_READ, actor_user, &n, sent, err);
		if (rc != ZL_OK)
			return rc;
	}
	if ((l->reasons & soon) && !(t->stored_reasons & soon) && l->light != ZL_LIGHT_DONE) {
		n.kind = "plan.task_due_soon";
		if (l->reasons & ZL_LIGHT_DUE_SOON)
			snprintf(msg, sizeof(msg), "%s将于 %s 到期（还有 %lld 天）", label,
				 t->deadline, (long long)l->days_left);
		else
			snprintf(msg, sizeof(msg), "%s有节点即将到期", label);
		rc = zl_plan_notify_owners(db, t, 0, ZL_PERM_PLAN_READ, actor_user, &n, sent, err);
	}
	return rc;
}

int zl_plan_relight(struct zl_db *db, int64_t task_id, const char *today, const char *now,
		    const char *actor_user, struct zl_error *err)
{
	struct zl_plan_task_set set;
	int rc;

	zl_plan_task_set_init(&set);
	rc = zl_store_plan_task_get(db, task_id, today, &set, err);
	if (rc == ZL_OK)
		rc = zl_plan_store_light(db, &set.tasks[0], today, now, actor_user, NULL, NULL,
					 err);
	zl_plan_task_set_release(&set);
	return rc;
}

/* ---- refresh ------------------------------------------------------------------ */

int zl_store_plan_refresh(struct zl_db *db, const char *today, struct zl_plan_refresh_stats *st,
			  struct zl_error *err)
{
	struct zl_plan_refresh_stats local = {0};
	int64_t *plans = NULL, d;
	size_t n = 0;
	struct zl_stmt *q;
	char now[32];
	int rc, own = 0;

	if (st == NULL)
		st = &local;
	memset(st, 0, sizeof(*st));
	if (today == NULL || zl_date_parse(today, &d) != ZL_OK)
		return zl_error_set(err, ZL_EINVAL, "today", "today must be a date YYYY-MM-DD");
	zl_time_format_rfc3339(zl_now_us(), now);
	rc = zl_plan_tx_begin(db, &own, err);
	if (rc != ZL_OK)
		return rc;
	rc = zl_db_prepare(db,
			   "SELECT DISTINCT plan_id FROM plan_tasks WHERE completed_on = ''"
			   " ORDER BY plan_id",
			   &q, err);
	if (rc != ZL_OK)
		goto out;
	rc = zl_plan_collect_ids(q, &plans, &n, err);
	if (rc != ZL_OK)
		goto out;
	/* One plan at a time: a read is bounded by one plan's tasks. */
	for (size_t i = 0; i < n && rc == ZL_OK; i++) {
		struct zl_plan_task_filter f = {.plan_id = plans[i], .open_only = 1};
		struct zl_plan_task_set set;

		zl_plan_task_set_init(&set);
		rc = zl_store_plan_tasks(db, &f, today, &set, err);
		for (size_t k = 0; rc == ZL_OK && k < set.n; k++) {
			int changed = 0;

			st->tasks++;
			rc = zl_plan_store_light(db, &set.tasks[k], today, now, NULL, &changed,
						 &st->notifications, err);
			st->changed += changed;
		}
		zl_plan_task_set_release(&set);
	}
out:
	free(plans);
	return zl_plan_tx_end(db, own, rc, err);
}

/* ---- roll-up ------------------------------------------------------------------ */

static int cmp_org(const void *a, const void *b)
{
	return strcmp(((const struct zl_plan_rollup_org *)a)->org,
		      ((const struct zl_plan_rollup_org *)b)->org);
}

/* Progress a task counts with in an average: a completed task is 100. */
static int task_progress(const struct zl_plan_task_row *t)
{
	if (given(t->completed_on))
		return 100;
	return t->progress;
}

int zl_store_plan_rollup(struct zl_db *db, const struct zl_plan_task_row *t, const char *today,
			 struct zl_arena *a, struct zl_plan_rollup *out, struct zl_error *err)
{
	struct zl_plan_task_filter f = {.lineage = t->lineage};
	struct zl_plan_rollup_org *orgs = NULL;
	struct zl_plan_task_set set;
	char(*paths)[ZL_ORG_PATH_MAX] = NULL;
	size_t n = 0, cap = 0;
	int64_t sum = 0, counted = 0;
	struct zl_stmt *st;
	int rc, oom = 0;

	memset(out, 0, sizeof(*out));
	out->progress = -1;
	zl_plan_task_set_init(&set);
	/* Who is expected to decompose: the plan organization's cities and
	 * counties, and whoever already holds a local plan of the plan. */
	rc = zl_db_prepare(db,
			   "SELECT o.code, o.name, o.path FROM orgs o WHERE o.valid_to IS NULL"
			   " AND o.parent = ? AND o.kind IN ('city', 'county')"
			   " UNION SELECT o.code, o.name, o.path FROM plans p JOIN orgs o"
			   " ON o.code = p.org AND o.valid_to IS NULL WHERE p.parent_plan = ?",
			   &st, err);
	if (rc != ZL_OK)
		goto out;
	zl_stmt_bind_text(st, 1, t->plan_org, -1);
	zl_stmt_bind_int64(st, 2, t->plan_id);
	while ((rc = zl_stmt_step(st, err)) == ZL_DB_ROW) {
		if (n == cap) {
			size_t c = cap ? 2 * cap : 32;
			void *po = realloc(orgs, c * sizeof(*orgs));
			void *pp = po ? realloc(paths, c * sizeof(*paths)) : NULL;

			if (po)
				orgs = po;
			if (pp == NULL) {
				oom = 1;
				break;
			}
			paths = pp;
			cap = c;
		}
		memset(&orgs[n], 0, sizeof(orgs[n]));
		zl_strlcpy(orgs[n].org, zl_stmt_column_text(st, 0), sizeof(orgs[n].org));
		zl_strlcpy(orgs[n].name, zl_stmt_column_text(st, 1), sizeof(orgs[n].name));
		if (zl_store_copy_exact(paths[n], sizeof(paths[n]), zl_stmt_column_text(st, 2),
					"path", err) != ZL_OK) {
			rc = ZL_ETOOBIG;
			break;
		}
		orgs[n].progress = -1;
		n++;
	}
	zl_stmt_reset(st);
	if (oom) {
		rc = zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
		goto out;
	}
	if (rc < 0)
		goto out;
	rc = zl_store_plan_tasks(db, &f, today, &set, err);
	if (rc != ZL_OK)
		goto out;
	{
		/* Per organization: sums of progress and how many reported. */
		int64_t *osum = calloc(n ? n : 1, sizeof(*osum));
		int64_t *ocnt = calloc(n ? n : 1, sizeof(*ocnt));

		if (osum == NULL || ocnt == NULL) {
			free(osum);
			free(ocnt);
			rc = zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
			goto out;
		}
		for (size_t i = 0; i < set.n; i++) {
			const struct zl_plan_task_row *d = &set.tasks[i];
			int p = task_progress(d);

			out->tasks++;
			out->lights[d->light.light]++;
			if (p >= 0) {
				sum += p;
				counted++;
			}
			for (size_t k = 0; k < n; k++) {
				if (!zl_org_path_within(d->plan_org_path, paths[k]))
					continue;
				orgs[k].tasks++;
				orgs[k].lights[d->light.light]++;
				if (p >= 0) {
					osum[k] += p;
					ocnt[k]++;
				}
				if (d->parent_task == t->id &&
				    strcmp(d->plan_org, orgs[k].org) == 0)
					orgs[k].decomposed = 1;
			}
		}
		for (size_t k = 0; k < n; k++)
			if (ocnt[k] > 0)
				orgs[k].progress = (int)(osum[k] / ocnt[k]);
		free(osum);
		free(ocnt);
	}
	if (counted > 0)
		out->progress = (int)(sum / counted);
	if (n > 0) {
		qsort(orgs, n, sizeof(*orgs), cmp_org);
		out->orgs = zl_arena_alloc(a, n * sizeof(*orgs));
		if (out->orgs == NULL) {
			rc = zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
			goto out;
		}
		memcpy(out->orgs, orgs, n * sizeof(*orgs));
		out->norgs = n;
	}
out:
	free(orgs);
	free(paths);
	zl_plan_task_set_release(&set);
	return rc;
}
