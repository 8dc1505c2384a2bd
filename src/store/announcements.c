/*
 * announcements.c - spot-check result announcements and the public view
 * of their results (store/announcements.h, docs/results.md).
 *
 * Every statement here binds its values; the only text put into SQL is
 * fixed fragments and numbers the code computed (limits, cursors).
 */
#include "store/announcements.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "core/buf.h"
#include "core/timeutil.h"
#include "domain/announcement.h"
#include "store/plan_internal.h"
#include "store/query.h"
#include "store/scstats.h"

static int oom(struct zl_error *err)
{
	return zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
}

static int given(const char *s)
{
	return s != NULL && *s != '\0';
}

void zl_ann_set_init(struct zl_ann_set *s)
{
	memset(s, 0, sizeof(*s));
	zl_arena_init(&s->arena, (size_t)16 << 20);
}

void zl_ann_set_release(struct zl_ann_set *s)
{
	zl_arena_release(&s->arena);
	s->v = NULL;
	s->n = 0;
}

/* A result is final: closed with a conclusion, or failed and any state after. */
#define FINAL_SQL(p)                                                                               \
	"((" p "state = 'closed' AND " p "conclusion IN ('pass', 'fail')) OR " p "state IN"        \
	" ('failed', 'rectifying', 'follow_up', 'uncorrected', 'announced', 'suspended'))"

/* ---- reading announcements ------------------------------------------------------------------ */

#define ANN_COLS                                                                                   \
	"a.id, a.org, COALESCE(o.name, ''), COALESCE(o.path, ''), a.level, a.title, a.doc_no,"     \
	" a.origin, a.source, a.status, a.issued_on, a.published_at, a.note, a.version,"          \
	" a.created_by, a.created_at, a.updated_by, a.updated_at, a.submitted_by,"                 \
	" a.submitted_at, a.approved_by, a.approved_at, a.withdrawn_by, a.withdrawn_at,"           \
	" a.withdraw_reason,"                                                                      \
	" (SELECT count(*) FROM inspections x WHERE x.announcement_id = a.id),"                    \
	" (SELECT count(*) FROM inspections x WHERE x.announcement_id = a.id"                      \
	" AND x.conclusion = 'fail')"
#define ANN_FROM                                                                                   \
	" FROM spotcheck_announcements a"                                                          \
	" LEFT JOIN orgs o ON o.code = a.org AND o.valid_to IS NULL"

struct reader {
	struct zl_arena *a;
	struct zl_stmt *st;
	int c;
	int oom;
};

static const char *next_text(struct reader *r)
{
	const char *v = zl_arena_strdup(r->a, zl_stmt_column_text(r->st, r->c++));

	r->oom |= v == NULL;
	return v ? v : "";
}

static int64_t next_int(struct reader *r)
{
	return zl_stmt_column_int64(r->st, r->c++);
}

static void read_ann(struct reader *r, struct zl_ann_row *x)
{
	x->id = next_int(r);
	x->org = next_text(r);
	x->org_name = next_text(r);
	x->org_path = next_text(r);
	x->level = next_text(r);
	x->title = next_text(r);
	x->doc_no = next_text(r);
	x->origin = next_text(r);
	x->source = next_text(r);
	x->status = next_text(r);
	x->issued_on = next_text(r);
	x->published_at = next_text(r);
	x->note = next_text(r);
	x->version = (int)next_int(r);
	x->created_by = next_text(r);
	x->created_at = next_text(r);
	x->updated_by = next_text(r);
	x->updated_at = next_text(r);
	x->submitted_by = next_text(r);
	x->submitted_at = next_text(r);
	x->approved_by = next_text(r);
	x->approved_at = next_text(r);
	x->withdrawn_by = next_text(r);
	x->withdrawn_at = next_text(r);
	x->withdraw_reason = next_text(r);
	x->results = next_int(r);
	x->failed = next_int(r);
}

int zl_store_ann_get(struct zl_db *db, int64_t id, struct zl_ann_set *set, struct zl_error *err)
{
	struct zl_stmt *st;
	struct reader r = {&set->arena, NULL, 0, 0};
	int rc = zl_db_prepare(db, "SELECT " ANN_COLS ANN_FROM " WHERE a.id = ?", &st, err);

	if (rc != ZL_OK)
		return rc;
	zl_stmt_bind_int64(st, 1, id);
	rc = zl_stmt_step(st, err);
	if (rc == ZL_DB_ROW) {
		set->v = zl_arena_calloc(&set->arena, 1, sizeof(*set->v));
		r.st = st;
		if (set->v == NULL) {
			r.oom = 1;
		} else {
			read_ann(&r, &set->v[0]);
			set->n = 1;
		}
		rc = r.oom ? oom(err) : ZL_OK;
	} else if (rc == ZL_DB_DONE) {
		rc = zl_error_set(err, ZL_ENOTFOUND, "id", "no announcement %" PRId64, id);
	}
	zl_stmt_reset(st);
	return rc;
}

/* Bound values of a WHERE built at run time. */
#define WHERE_MAX 16
struct where {
	struct zl_buf sql;
	int n;
	int kind[WHERE_MAX]; /* 0 text, 1 int */
	const char *text[WHERE_MAX];
	int64_t num[WHERE_MAX];
};

static void where_text(struct where *w, const char *frag, const char *v)
{
	if (w->n >= WHERE_MAX) {
		w->sql.err = 1;
		return;
	}
	zl_buf_adds(&w->sql, frag);
	w->kind[w->n] = 0;
	w->text[w->n++] = v;
}

static void where_int(struct where *w, const char *frag, int64_t v)
{
	if (w->n >= WHERE_MAX) {
		w->sql.err = 1;
		return;
	}
	zl_buf_adds(&w->sql, frag);
	w->kind[w->n] = 1;
	w->num[w->n++] = v;
}

static void where_bind(const struct where *w, struct zl_stmt *st)
{
	for (int i = 0; i < w->n; i++) {
		if (w->kind[i])
			zl_stmt_bind_int64(st, i + 1, w->num[i]);
		else
			zl_stmt_bind_text(st, i + 1, w->text[i], -1);
	}
}

/* Count with `head` + w, then (fn) rows with `cols` + w + cursor/order/limit. */
static int run_list(struct zl_db *db, struct where *w, const char *cols, const char *order_col,
		    int64_t before, int64_t limit, int64_t *total, struct zl_stmt **rows,
		    struct zl_error *err)
{
	struct zl_stmt *st;
	struct zl_buf q;
	int rc;

	*rows = NULL;
	if (w->sql.err)
		return oom(err);
	if (total != NULL) {
		zl_buf_init(&q, 64 << 10);
		zl_buf_adds(&q, "SELECT count(*)");
		zl_buf_adds(&q, zl_buf_str(&w->sql));
		rc = q.err ? oom(err) : zl_db_prepare(db, zl_buf_str(&q), &st, err);
		zl_buf_release(&q);
		if (rc != ZL_OK)
			return rc;
		where_bind(w, st);
		rc = zl_stmt_step(st, err);
		*total = rc == ZL_DB_ROW ? zl_stmt_column_int64(st, 0) : 0;
		zl_stmt_reset(st);
		if (rc < 0)
			return rc;
	}
	if (cols == NULL)
		return ZL_OK;
	zl_buf_init(&q, 64 << 10);
	zl_buf_adds(&q, "SELECT ");
	zl_buf_adds(&q, cols);
	zl_buf_adds(&q, zl_buf_str(&w->sql));
	if (before > 0)
		zl_buf_addf(&q, " AND %s < %" PRId64, order_col, before);
	zl_buf_addf(&q, " ORDER BY %s DESC", order_col);
	if (limit > 0)
		zl_buf_addf(&q, " LIMIT %" PRId64, limit);
	rc = q.err ? oom(err) : zl_db_prepare(db, zl_buf_str(&q), &st, err);
	zl_buf_release(&q);
	if (rc != ZL_OK)
		return rc;
	where_bind(w, st);
	*rows = st;
	return ZL_OK;
}

/* The LIKE pattern of a q= fragment (store/query.h) in like[0..n); ZL_EINVAL naming q when
 * it does not fit. */
static int q_pattern(const char *q, char *like, size_t n, struct zl_error *err)
{
	struct zl_buf b;
	int rc = ZL_OK;

	zl_buf_init(&b, n);
	zl_store_like_contains(&b, q);
	if (b.err)
		rc = zl_error_set(err, ZL_EINVAL, "q", "q is too long");
	else
		zl_strlcpy(like, zl_buf_str(&b), n);
	zl_buf_release(&b);
	return rc;
}

int zl_store_ann_list(struct zl_db *db, const struct zl_ann_filter *f, zl_ann_row_fn *fn,
		      void *cls, int64_t *total, struct zl_error *err)
{
	struct where w;
	struct zl_arena a;
	struct zl_stmt *st = NULL;
	char prefix[300], like[300];
	int rc;

	memset(&w, 0, sizeof(w));
	zl_buf_init(&w.sql, 16 << 10);
	zl_arena_init(&a, (size_t)4 << 20);
	zl_buf_adds(&w.sql, ANN_FROM " WHERE 1 = 1");
	if (f->path != NULL) {
		/* Org paths hold digits, capitals, '-' and '/': no LIKE wildcard to escape. */
		snprintf(prefix, sizeof(prefix), "%s%%", f->path);
		where_text(&w, " AND o.path LIKE ?", prefix);
	}
	if (f->public_only)
		zl_buf_adds(&w.sql, " AND a.status = 'published'");
	if (given(f->status)) {
		if (strcmp(f->status, "draft") == 0)
			zl_buf_adds(&w.sql, " AND a.status = 'draft' AND a.submitted_at = ''");
		else if (strcmp(f->status, "submitted") == 0)
			zl_buf_adds(&w.sql, " AND a.status = 'draft' AND a.submitted_at <> ''");
		else
			where_text(&w, " AND a.status = ?", f->status);
	}
	if (given(f->origin))
		where_text(&w, " AND a.origin = ?", f->origin);
	if (given(f->q)) {
		if ((rc = q_pattern(f->q, like, sizeof(like), err)) != ZL_OK)
			goto out;
		where_text(&w, " AND (a.title LIKE ? ESCAPE '\\'", like);
		where_text(&w, " OR a.doc_no LIKE ? ESCAPE '\\')", like);
	}
	rc = run_list(db, &w, fn ? ANN_COLS : NULL, "a.id", f->before, f->limit, total, &st, err);
	if (rc != ZL_OK || st == NULL)
		goto out;
	while ((rc = zl_stmt_step(st, err)) == ZL_DB_ROW) {
		struct zl_ann_row row;
		struct reader r = {&a, st, 0, 0};

		zl_arena_reset(&a);
		read_ann(&r, &row);
		if (r.oom) {
			rc = oom(err);
			break;
		}
		if ((rc = fn(cls, &row)) != ZL_OK)
			break;
	}
	zl_stmt_reset(st);
	if (rc == ZL_DB_DONE)
		rc = ZL_OK;
out:
	zl_arena_release(&a);
	zl_buf_release(&w.sql);
	return rc;
}

/* ---- writes --------------------------------------------------------------------------------- */

static int is_level(const char *s)
{
	static const char *const levels[] = {"national", "province", "city", "county"};

	for (size_t i = 0; s && i < sizeof(levels) / sizeof(levels[0]); i++)
		if (strcmp(s, levels[i]) == 0)
			return 1;
	return 0;
}

static int valid_date(const char *s)
{
	int64_t d;

	return strlen(s) == 10 && zl_date_parse(s, &d) == ZL_OK;
}

/* Characters of UTF-8 text (bytes that do not continue a sequence). */
static size_t chars(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

int zl_ann_new_check(const struct zl_ann_new *n, struct zl_error *err)
{
	if (!given(n->org))
		return zl_error_set(err, ZL_EUNPROC, "org", "org is required");
	if (!is_level(n->level))
		return zl_error_set(err, ZL_EUNPROC, "level",
				    "level is national, province, city or county");
	if (!given(n->title) || chars(n->title) > ZL_ANN_TITLE_MAX)
		return zl_error_set(err, ZL_EUNPROC, "title", "title is 1 to %d characters",
				    ZL_ANN_TITLE_MAX);
	if (n->doc_no && chars(n->doc_no) > ZL_ANN_DOC_NO_MAX)
		return zl_error_set(err, ZL_EUNPROC, "doc_no", "doc_no is at most %d characters",
				    ZL_ANN_DOC_NO_MAX);
	if (given(n->issued_on) && !valid_date(n->issued_on))
		return zl_error_set(err, ZL_EUNPROC, "issued_on", "issued_on is a date YYYY-MM-DD");
	if (n->note && chars(n->note) > ZL_ANN_NOTE_MAX)
		return zl_error_set(err, ZL_EUNPROC, "note", "note is at most %d characters",
				    ZL_ANN_NOTE_MAX);
	return ZL_OK;
}

int zl_store_ann_create(struct zl_db *db, const struct zl_ann_new *n,
			const struct zl_plan_actor *who, int64_t *id, struct zl_error *err)
{
	struct zl_stmt *st;
	char now[32], path[512];
	int64_t new_id = 0;
	int rc, own = 0;

	if ((rc = zl_plan_actor_check(who, err)) || (rc = zl_ann_new_check(n, err)))
		return rc;
	zl_plan_now(who, now);
	if ((rc = zl_plan_tx_begin(db, &own, err)) != ZL_OK)
		return rc;
	rc = zl_store_text_by_key(db, "SELECT path FROM orgs WHERE code = ? AND valid_to IS NULL",
				  n->org, path, sizeof(path), err);
	if (rc == ZL_ENOTFOUND || rc == ZL_ETOOBIG) {
		rc = zl_error_set(err, ZL_EUNPROC, "org", "no organization %s", n->org);
		goto out;
	}
	if (rc != ZL_OK)
		goto out;
	rc = zl_db_prepare(db,
			   "INSERT INTO spotcheck_announcements (org, level, title, doc_no, origin,"
			   " status, issued_on, note, created_by, created_at, updated_by, updated_at)"
			   " VALUES (?, ?, ?, ?, 'own', 'draft', ?, ?, ?, ?, ?, ?) RETURNING id",
			   &st, err);
	if (rc != ZL_OK)
		goto out;
	zl_stmt_bind_text(st, 1, n->org, -1);
	zl_stmt_bind_text(st, 2, n->level, -1);
	zl_stmt_bind_text(st, 3, n->title, -1);
	zl_stmt_bind_text(st, 4, n->doc_no ? n->doc_no : "", -1);
	zl_stmt_bind_text(st, 5, n->issued_on ? n->issued_on : "", -1);
	zl_stmt_bind_text(st, 6, n->note ? n->note : "", -1);
	zl_stmt_bind_text(st, 7, who->user, -1);
	zl_stmt_bind_text(st, 8, now, -1);
	zl_stmt_bind_text(st, 9, who->user, -1);
	zl_stmt_bind_text(st, 10, now, -1);
	rc = zl_plan_run_id(st, &new_id, err);
out:
	rc = zl_plan_tx_end(db, own, rc, err);
	if (rc == ZL_OK && id != NULL)
		*id = new_id;
	return rc;
}

/* Status and submission of announcement id: ZL_ENOTFOUND naming "id". */
static int ann_state(struct zl_db *db, int64_t id, char status[16], char submitted_by[128],
		     int *submitted, struct zl_error *err)
{
	struct zl_stmt *st;
	int rc = zl_db_prepare(db,
			       "SELECT status, submitted_at, submitted_by FROM spotcheck_announcements"
			       " WHERE id = ?",
			       &st, err);

	if (rc != ZL_OK)
		return rc;
	zl_stmt_bind_int64(st, 1, id);
	rc = zl_stmt_step(st, err);
	if (rc == ZL_DB_ROW) {
		zl_store_col_text(st, 0, status, 16);
		*submitted = zl_stmt_column_text(st, 1)[0] != '\0';
		zl_store_col_text(st, 2, submitted_by, 128);
		rc = ZL_OK;
	} else if (rc == ZL_DB_DONE) {
		rc = zl_error_set(err, ZL_ENOTFOUND, "id", "no announcement %" PRId64, id);
	}
	zl_stmt_reset(st);
	return rc;
}

/* Bump version and updated_by/at of announcement id. */
static int touch(struct zl_db *db, int64_t id, const struct zl_plan_actor *who, const char *now,
		 struct zl_error *err)
{
	struct zl_stmt *st;
	int rc = zl_db_prepare(db,
			       "UPDATE spotcheck_announcements SET version = version + 1,"
			       " updated_by = ?, updated_at = ? WHERE id = ?",
			       &st, err);

	if (rc != ZL_OK)
		return rc;
	zl_stmt_bind_text(st, 1, who->user, -1);
	zl_stmt_bind_text(st, 2, now, -1);
	zl_stmt_bind_int64(st, 3, id);
	return zl_store_run(st, err);
}

/* The draft must be open for changes (a draft, not submitted). */
static int open_draft(struct zl_db *db, int64_t id, struct zl_error *err)
{
	char status[16], by[128];
	int submitted = 0;
	int rc = ann_state(db, id, status, by, &submitted, err);

	if (rc != ZL_OK)
		return rc;
	if (strcmp(status, "draft") != 0)
		return zl_error_set(err, ZL_ECONFLICT, "status",
				    "only a draft announcement changes; this one is %s", status);
	if (submitted)
		return zl_error_set(err, ZL_ECONFLICT, "status",
				    "the announcement is submitted for approval; withdraw the"
				    " submission to change it");
	return ZL_OK;
}

int zl_store_ann_add(struct zl_db *db, int64_t id, int64_t insp, const struct zl_plan_actor *who,
		     struct zl_error *err)
{
	struct zl_stmt *st;
	char now[32], state[32], conclusion[16], other_status[16];
	int64_t other = 0;
	int rc, own = 0, final = 0;

	if ((rc = zl_plan_actor_check(who, err)) != ZL_OK)
		return rc;
	zl_plan_now(who, now);
	if ((rc = zl_plan_tx_begin(db, &own, err)) != ZL_OK)
		return rc;
	if ((rc = open_draft(db, id, err)) != ZL_OK)
		goto out;
	rc = zl_db_prepare(db,
			   "SELECT i.state, i.conclusion, COALESCE(i.announcement_id, 0),"
			   " COALESCE(a.status, ''), " FINAL_SQL("i.")
			   " FROM inspections i LEFT JOIN spotcheck_announcements a"
			   " ON a.id = i.announcement_id WHERE i.id = ?",
			   &st, err);
	if (rc != ZL_OK)
		goto out;
	zl_stmt_bind_int64(st, 1, insp);
	rc = zl_stmt_step(st, err);
	if (rc == ZL_DB_ROW) {
		zl_store_col_text(st, 0, state, sizeof(state));
		zl_store_col_text(st, 1, conclusion, sizeof(conclusion));
		other = zl_stmt_column_int64(st, 2);
		zl_store_col_text(st, 3, other_status, sizeof(other_status));
		final = zl_stmt_column_int64(st, 4) != 0;
		rc = ZL_OK;
	} else if (rc == ZL_DB_DONE) {
		rc = zl_error_set(err, ZL_ENOTFOUND, "inspection", "no inspection %" PRId64, insp);
	}
	zl_stmt_reset(st);
	if (rc != ZL_OK)
		goto out;
	if (other == id)
		goto out; /* already there */
	if (!final) {
		rc = zl_error_set(err, ZL_EUNPROC, "inspection",
				  "inspection %" PRId64 " has no final result (state %s): only"
				  " closed results with a conclusion and final failures are announced",
				  insp, state);
		goto out;
	}
	/* A withdrawn announcement lets its results go to a new one. */
	if (other > 0 && strcmp(other_status, "withdrawn") != 0) {
		rc = zl_error_set(err, ZL_ECONFLICT, "inspection",
				  "inspection %" PRId64 " is in announcement %" PRId64 " already", insp,
				  other);
		goto out;
	}
	/* The announcement's date dates a result without sampling or report date in the
	 * statistics: move its fact around the change (store/scstats.h). */
	if ((rc = zl_store_sc_fact(db, insp, -1, err)) != ZL_OK)
		goto out;
	rc = zl_db_prepare(db, "UPDATE inspections SET announcement_id = ? WHERE id = ?", &st, err);
	if (rc != ZL_OK)
		goto out;
	zl_stmt_bind_int64(st, 1, id);
	zl_stmt_bind_int64(st, 2, insp);
	if ((rc = zl_store_run(st, err)) == ZL_OK &&
	    (rc = zl_store_sc_fact(db, insp, +1, err)) == ZL_OK)
		rc = touch(db, id, who, now, err);
out:
	return zl_plan_tx_end(db, own, rc, err);
}

int zl_store_ann_remove(struct zl_db *db, int64_t id, int64_t insp,
			const struct zl_plan_actor *who, struct zl_error *err)
{
	struct zl_stmt *st;
	char now[32];
	int rc, own = 0;

	if ((rc = zl_plan_actor_check(who, err)) != ZL_OK)
		return rc;
	zl_plan_now(who, now);
	if ((rc = zl_plan_tx_begin(db, &own, err)) != ZL_OK)
		return rc;
	if ((rc = open_draft(db, id, err)) != ZL_OK ||
	    (rc = zl_store_sc_fact(db, insp, -1, err)) != ZL_OK)
		goto out;
	rc = zl_db_prepare(db,
			   "UPDATE inspections SET announcement_id = NULL"
			   " WHERE id = ? AND announcement_id = ?",
			   &st, err);
	if (rc != ZL_OK)
		goto out;
	zl_stmt_bind_int64(st, 1, insp);
	zl_stmt_bind_int64(st, 2, id);
	rc = zl_stmt_step(st, err);
	if (rc == ZL_DB_DONE)
		rc = zl_stmt_changes(st) > 0 ? ZL_OK
					     : zl_error_set(err, ZL_ENOTFOUND, "inspection",
							    "announcement %" PRId64
							    " does not carry inspection %" PRId64,
							    id, insp);
	zl_stmt_reset(st);
	if (rc == ZL_OK && (rc = zl_store_sc_fact(db, insp, +1, err)) == ZL_OK)
		rc = touch(db, id, who, now, err);
out:
	return zl_plan_tx_end(db, own, rc, err);
}

/* Run an UPDATE of announcement `id` with text values v[0..n) bound first, id last. */
static int update_ann(struct zl_db *db, const char *sql, const char *const *v, int n, int64_t id,
		      struct zl_error *err)
{
	struct zl_stmt *st;
	int rc = zl_db_prepare(db, sql, &st, err);

	if (rc != ZL_OK)
		return rc;
	for (int i = 0; i < n; i++)
		zl_stmt_bind_text(st, i + 1, v[i], -1);
	zl_stmt_bind_int64(st, n + 1, id);
	return zl_store_run(st, err);
}

int zl_store_ann_submit(struct zl_db *db, int64_t id, const struct zl_plan_actor *who,
			struct zl_error *err)
{
	char now[32];
	int64_t n = 0;
	int rc, own = 0;

	if ((rc = zl_plan_actor_check(who, err)) != ZL_OK)
		return rc;
	zl_plan_now(who, now);
	if ((rc = zl_plan_tx_begin(db, &own, err)) != ZL_OK)
		return rc;
	if ((rc = open_draft(db, id, err)) != ZL_OK)
		goto out;
	rc = zl_store_int_by_id(db, "SELECT count(*) FROM inspections WHERE announcement_id = ?", id,
				&n, err);
	if (rc == ZL_OK && n == 0)
		rc = zl_error_set(err, ZL_EUNPROC, "results", "the announcement carries no result");
	if (rc == ZL_OK) {
		const char *v[] = {who->user, now, who->user, now};

		rc = update_ann(db,
				"UPDATE spotcheck_announcements SET submitted_by = ?, submitted_at = ?,"
				" updated_by = ?, updated_at = ?, version = version + 1 WHERE id = ?",
				v, 4, id, err);
	}
out:
	return zl_plan_tx_end(db, own, rc, err);
}

/* The completeness check of every result of announcement id (domain/announcement.h). */
static int check_complete(struct zl_db *db, int64_t id, struct zl_error *err)
{
	struct zl_stmt *st;
	int rc = zl_db_prepare(
		db,
		"SELECT i.id, i.uscc, i.enterprise_name,"
		" CASE WHEN i.product <> '' THEN i.product ELSE i.product_text END, i.batch,"
		" i.production_date, i.conclusion,"
		" (SELECT count(*) FROM inspection_items t WHERE t.inspection_id = i.id AND"
		" (t.retest_verdict = 'fail' OR (t.retest_verdict = '' AND t.verdict = 'fail')))"
		" FROM inspections i WHERE i.announcement_id = ? ORDER BY i.id",
		&st, err);

	if (rc != ZL_OK)
		return rc;
	zl_stmt_bind_int64(st, 1, id);
	while ((rc = zl_stmt_step(st, err)) == ZL_DB_ROW) {
		char uscc[64], name[1024], product[1024], batch[1024], pdate[64], result[16];
		struct zl_ann_facts f = {uscc, name, product, batch, pdate, result, 0};
		int64_t insp = zl_stmt_column_int64(st, 0);
		const char *miss;

		zl_store_col_text(st, 1, uscc, sizeof(uscc));
		zl_store_col_text(st, 2, name, sizeof(name));
		zl_store_col_text(st, 3, product, sizeof(product));
		zl_store_col_text(st, 4, batch, sizeof(batch));
		zl_store_col_text(st, 5, pdate, sizeof(pdate));
		zl_store_col_text(st, 6, result, sizeof(result));
		f.failing_items = (int)zl_stmt_column_int64(st, 7);
		if ((miss = zl_ann_incomplete(&f)) != NULL) {
			rc = zl_error_set(err, ZL_EUNPROC, NULL,
					  "inspection %" PRId64 " cannot be published: %s is missing",
					  insp, miss);
			snprintf(err->field, sizeof(err->field), "results[%" PRId64 "].%s", insp,
				 miss);
			break;
		}
	}
	zl_stmt_reset(st);
	return rc == ZL_DB_DONE ? ZL_OK : rc;
}

int zl_store_ann_approve(struct zl_db *db, int64_t id, const struct zl_plan_actor *who,
			 struct zl_error *err)
{
	char now[32], status[16], by[128];
	int rc, own = 0, submitted = 0;

	if ((rc = zl_plan_actor_check(who, err)) != ZL_OK)
		return rc;
	zl_plan_now(who, now);
	if ((rc = zl_plan_tx_begin(db, &own, err)) != ZL_OK)
		return rc;
	if ((rc = ann_state(db, id, status, by, &submitted, err)) != ZL_OK)
		goto out;
	if (strcmp(status, "draft") != 0 || !submitted) {
		rc = zl_error_set(err, ZL_ECONFLICT, "status",
				  "only a submitted draft is approved; this one is %s",
				  strcmp(status, "draft") == 0 ? "not submitted" : status);
		goto out;
	}
	/* As for spot-check plans: four eyes, the submitter never approves. */
	if (strcmp(by, who->user) == 0) {
		rc = zl_error_set(err, ZL_EFORBIDDEN, NULL,
				  "an announcement is approved by someone other than who submitted it");
		goto out;
	}
	if ((rc = check_complete(db, id, err)) != ZL_OK)
		goto out;
	{
		const char *v[] = {now, who->user, now, who->user, now};

		rc = update_ann(db,
				"UPDATE spotcheck_announcements SET status = 'published',"
				" published_at = ?, approved_by = ?, approved_at = ?, updated_by = ?,"
				" updated_at = ?, version = version + 1 WHERE id = ?",
				v, 5, id, err);
	}
out:
	return zl_plan_tx_end(db, own, rc, err);
}

int zl_store_ann_withdraw(struct zl_db *db, int64_t id, const char *reason,
			  const struct zl_plan_actor *who, struct zl_error *err)
{
	char now[32], status[16], by[128];
	int rc, own = 0, submitted = 0;

	if ((rc = zl_plan_actor_check(who, err)) != ZL_OK)
		return rc;
	zl_plan_now(who, now);
	if ((rc = zl_plan_tx_begin(db, &own, err)) != ZL_OK)
		return rc;
	if ((rc = ann_state(db, id, status, by, &submitted, err)) != ZL_OK)
		goto out;
	if (strcmp(status, "published") == 0) {
		const char *v[] = {who->user, now, reason ? reason : "", who->user, now};

		if (!given(reason)) {
			rc = zl_error_set(err, ZL_EUNPROC, "reason",
					  "withdrawing a published announcement needs a reason");
			goto out;
		}
		rc = update_ann(db,
				"UPDATE spotcheck_announcements SET status = 'withdrawn',"
				" withdrawn_by = ?, withdrawn_at = ?, withdraw_reason = ?,"
				" updated_by = ?, updated_at = ?, version = version + 1 WHERE id = ?",
				v, 5, id, err);
	} else if (strcmp(status, "draft") == 0 && submitted) {
		const char *v[] = {who->user, now};

		rc = update_ann(db,
				"UPDATE spotcheck_announcements SET submitted_by = '',"
				" submitted_at = '', updated_by = ?, updated_at = ?,"
				" version = version + 1 WHERE id = ?",
				v, 2, id, err);
	} else {
		rc = zl_error_set(err, ZL_ECONFLICT, "status",
				  "only a published or submitted announcement is withdrawn; this one"
				  " is %s",
				  strcmp(status, "draft") == 0 ? "an unsubmitted draft" : status);
	}
out:
	return zl_plan_tx_end(db, own, rc, err);
}

/* ---- results ---------------------------------------------------------------------------- */

#define RES_DATE "CASE WHEN a.issued_on <> '' THEN a.issued_on ELSE substr(a.published_at, 1, 10) END"
#define RES_REGION "CASE WHEN i.county <> '' THEN i.county ELSE i.region END"
#define RES_COLS                                                                                   \
	"i.id, a.id, i.uscc, i.enterprise_name, i.nominal, i.counterfeit, i.sampled_unit,"        \
	" i.retailer, i.platform, " RES_REGION ", i.product, COALESCE(c.name, ''),"               \
	" i.product_text, i.trademark, i.spec, i.batch, i.production_date, i.conclusion,"         \
	" CASE WHEN i.level <> '' THEN i.level ELSE a.level END, i.state, a.title, a.doc_no, "   \
	RES_DATE ", a.org, COALESCE(o.name, ''), a.status"
#define RES_FROM                                                                                   \
	" FROM inspections i JOIN spotcheck_announcements a ON a.id = i.announcement_id"           \
	" LEFT JOIN orgs o ON o.code = a.org AND o.valid_to IS NULL"                               \
	" LEFT JOIN catalogue_categories c ON c.code = i.product"

static void read_result(struct reader *r, struct zl_ann_result *x)
{
	x->inspection_id = next_int(r);
	x->announcement_id = next_int(r);
	x->uscc = next_text(r);
	x->enterprise_name = next_text(r);
	x->nominal = next_int(r) != 0;
	x->counterfeit = next_int(r) != 0;
	x->sampled_unit = next_text(r);
	x->retailer = next_text(r);
	x->platform = next_text(r);
	x->region = next_text(r);
	x->product = next_text(r);
	x->product_name = next_text(r);
	x->product_text = next_text(r);
	x->trademark = next_text(r);
	x->spec = next_text(r);
	x->batch = next_text(r);
	x->production_date = next_text(r);
	x->result = next_text(r);
	x->level = next_text(r);
	x->state = next_text(r);
	x->ann_title = next_text(r);
	x->ann_doc_no = next_text(r);
	x->ann_date = next_text(r);
	x->ann_org = next_text(r);
	x->ann_org_name = next_text(r);
	x->ann_status = next_text(r);
}

/* The names of the items the final verdict failed, joined by "；". */
static int failing_items(struct zl_db *db, struct zl_stmt **st, struct zl_arena *a, int64_t insp,
			 const char **out, struct zl_error *err)
{
	struct zl_buf b;
	int rc;

	*out = "";
	if (*st == NULL &&
	    (rc = zl_db_prepare(db,
				"SELECT name FROM inspection_items WHERE inspection_id = ? AND"
				" (retest_verdict = 'fail' OR (retest_verdict = '' AND verdict = 'fail'))"
				" ORDER BY ord",
				st, err)) != ZL_OK)
		return rc;
	zl_buf_init(&b, 64 << 10);
	zl_stmt_bind_int64(*st, 1, insp);
	while ((rc = zl_stmt_step(*st, err)) == ZL_DB_ROW) {
		if (b.len)
			zl_buf_adds(&b, "；");
		zl_buf_adds(&b, zl_stmt_column_text(*st, 0));
	}
	zl_stmt_reset(*st);
	if (rc == ZL_DB_DONE) {
		rc = ZL_OK;
		if (b.err || (*out = zl_arena_strdup(a, zl_buf_str(&b))) == NULL)
			rc = oom(err);
	}
	zl_buf_release(&b);
	return rc;
}

/* Significant prefix of a region code ("410100" -> "4101%", "410000" -> "41%"). */
static void region_like(const char *code, char *out, size_t n)
{
	size_t len = strlen(code);

	while (len >= 2 && code[len - 1] == '0' && code[len - 2] == '0')
		len -= 2;
	if (len + 2 > n)
		len = n - 2;
	memcpy(out, code, len);
	out[len] = '%';
	out[len + 1] = '\0';
}

int zl_store_ann_results(struct zl_db *db, const struct zl_ann_result_filter *f,
			 zl_ann_result_fn *fn, void *cls, int64_t *total, struct zl_error *err)
{
	struct where w;
	struct zl_arena a;
	struct zl_stmt *st = NULL, *items = NULL;
	char product[64], region[16], year[8], like[300];
	int rc;

	memset(&w, 0, sizeof(w));
	zl_buf_init(&w.sql, 16 << 10);
	zl_arena_init(&a, (size_t)4 << 20);
	zl_buf_adds(&w.sql, RES_FROM " WHERE 1 = 1");
	if (f->announcement_id > 0)
		where_int(&w, " AND a.id = ?", f->announcement_id);
	if (f->public_only)
		zl_buf_adds(&w.sql, " AND a.status = 'published'");
	if (given(f->product)) {
		/* Catalogue codes are letters and digits (checked by the caller). */
		snprintf(product, sizeof(product), "%s%%", f->product);
		where_text(&w, " AND i.product LIKE ?", product);
	}
	if (given(f->region)) {
		region_like(f->region, region, sizeof(region));
		where_text(&w, " AND " RES_REGION " LIKE ?", region);
	}
	if (f->year > 0) {
		snprintf(year, sizeof(year), "%04d%%", f->year % 10000);
		where_text(&w, " AND " RES_DATE " LIKE ?", year);
	}
	if (given(f->result))
		where_text(&w, " AND i.conclusion = ?", f->result);
	if (given(f->q)) {
		if ((rc = q_pattern(f->q, like, sizeof(like), err)) != ZL_OK)
			goto out;
		where_text(&w, " AND (i.enterprise_name LIKE ? ESCAPE '\\'", like);
		where_text(&w, " OR i.sampled_unit LIKE ? ESCAPE '\\'", like);
		where_text(&w, " OR i.product_text LIKE ? ESCAPE '\\'", like);
		where_text(&w, " OR COALESCE(c.name, '') LIKE ? ESCAPE '\\'", like);
		where_text(&w, " OR i.trademark LIKE ? ESCAPE '\\')", like);
	}
	rc = run_list(db, &w, fn ? RES_COLS : NULL, "i.id", f->before, f->limit, total, &st, err);
	if (rc != ZL_OK || st == NULL)
		goto out;
	while ((rc = zl_stmt_step(st, err)) == ZL_DB_ROW) {
		struct zl_ann_result row;
		struct reader r = {&a, st, 0, 0};

		zl_arena_reset(&a);
		read_result(&r, &row);
		if (r.oom) {
			rc = oom(err);
			break;
		}
		if ((rc = failing_items(db, &items, &a, row.inspection_id, &row.failing_items, err)) ||
		    (rc = fn(cls, &row)))
			break;
	}
	zl_stmt_reset(st);
	if (rc == ZL_DB_DONE)
		rc = ZL_OK;
out:
	zl_arena_release(&a);
	zl_buf_release(&w.sql);
	return rc;
}
