/*
 * inspections.c - spot-check inspections' store (store/inspections.h): the
 * machine's record as columns and back, reading one inspection whole or
 * many through a callback with the caller's scope as SQL, creating them,
 * assigning inspectors, applying a lifecycle step with its documents,
 * history row and credit-archive event, and their attachments.
 */
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codes/workdays.h"
#include "core/buf.h"
#include "core/jw.h"
#include "core/timeutil.h"
#include "domain/audit.h"
#include "domain/credit.h"
#include "store/audit.h"
#include "store/credit.h"
#include "store/inspections.h"
#include "store/scstats.h"
#include "store/plan_internal.h"
#include "store/query.h"

static int given(const char *s)
{
	return s != NULL && *s != '\0';
}

static int oom(struct zl_error *err)
{
	return zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
}

void zl_insp_set_init(struct zl_insp_set *s)
{
	memset(s, 0, sizeof(*s));
	zl_arena_init(&s->arena, (size_t)64 << 20);
}

void zl_insp_set_release(struct zl_insp_set *s)
{
	zl_arena_release(&s->arena);
	s->v = NULL;
	s->n = 0;
}

/* ---- the machine's record as columns ------------------------------------------------------- */

/* Its dates, in the order of REC_DATES. */
static const size_t date_off[] = {
	offsetof(struct zl_inspection, plan_due),
	offsetof(struct zl_inspection, last_on),
	offsetof(struct zl_inspection, sampled_on),
	offsetof(struct zl_inspection, report_on),
	offsetof(struct zl_inspection, notified_on),
	offsetof(struct zl_inspection, received_on),
	offsetof(struct zl_inspection, objected_on),
	offsetof(struct zl_inspection, final_on),
	offsetof(struct zl_inspection, order_on),
	offsetof(struct zl_inspection, order_received_on),
	offsetof(struct zl_inspection, extension_asked_on),
	offsetof(struct zl_inspection, follow_up_applied_on),
	offsetof(struct zl_inspection, follow_up_on),
	offsetof(struct zl_inspection, announced_on),
	offsetof(struct zl_inspection, suspended_on),
	offsetof(struct zl_inspection, suspended_until),
	offsetof(struct zl_inspection, samples_returned_on),
	offsetof(struct zl_inspection, closed_on),
};
#define NDATES (sizeof(date_off) / sizeof(date_off[0]))

#define REC_SCALARS(P)                                                                             \
	P "state, " P "outcome, " P "conclusion, " P "nitems, " P "failed_items, " P               \
	  "contested_items, " P "retest_failed, " P "deemed, " P "notified_late, " P "refusals, " P \
	  "warnings, " P "resamples, " P "extension, " P "extension_asked, " P "extension_days, " P \
	  "sanction_level"
#define REC_DATES(P)                                                                               \
	P "plan_due, " P "last_on, " P "sampled_on, " P "report_on, " P "notified_on, " P          \
	  "received_on, " P "objected_on, " P "final_on, " P "order_on, " P "order_received_on, " P \
	  "extension_asked_on, " P "follow_up_applied_on, " P "follow_up_on, " P "announced_on, " P \
	  "suspended_on, " P "suspended_until, " P "samples_returned_on, " P "closed_on"
#define REC_COLS(P) REC_SCALARS(P) ", " REC_DATES(P)
/* The same columns as "col = ?" for an UPDATE. */
#define REC_SET                                                                                    \
	"state = ?, outcome = ?, conclusion = ?, nitems = ?, failed_items = ?,"                    \
	" contested_items = ?, retest_failed = ?, deemed = ?, notified_late = ?, refusals = ?,"    \
	" warnings = ?, resamples = ?, extension = ?, extension_asked = ?, extension_days = ?,"    \
	" sanction_level = ?, plan_due = ?, last_on = ?, sampled_on = ?, report_on = ?,"           \
	" notified_on = ?, received_on = ?, objected_on = ?, final_on = ?, order_on = ?,"          \
	" order_received_on = ?, extension_asked_on = ?, follow_up_applied_on = ?,"                \
	" follow_up_on = ?, announced_on = ?, suspended_on = ?, suspended_until = ?,"              \
	" samples_returned_on = ?, closed_on = ?"
#define REC_NCOLS (16 + (int)NDATES)

/* An item set as 16 hex digits per word, or "" when empty. */
static void bits_text(const uint64_t *w, char out[16 * ZL_INSP_ITEM_WORDS + 1])
{
	int any = 0;

	for (int i = 0; i < ZL_INSP_ITEM_WORDS; i++)
		any |= w[i] != 0;
	out[0] = '\0';
	if (!any)
		return;
	for (int i = 0; i < ZL_INSP_ITEM_WORDS; i++)
		snprintf(out + 16 * i, 17, "%016" PRIx64, w[i]);
}

static int bits_read(const char *s, uint64_t *w)
{
	memset(w, 0, ZL_INSP_ITEM_WORDS * sizeof(*w));
	if (!given(s))
		return ZL_OK;
	if (strlen(s) != 16 * ZL_INSP_ITEM_WORDS)
		return ZL_EINTERNAL;
	for (int i = 0; i < ZL_INSP_ITEM_WORDS; i++) {
		char word[17], *end = NULL;

		memcpy(word, s + 16 * i, 16);
		word[16] = '\0';
		w[i] = strtoull(word, &end, 16);
		if (end != word + 16)
			return ZL_EINTERNAL;
	}
	return ZL_OK;
}

static int extension_parse(const char *s, enum zl_insp_extension *out)
{
	for (int x = ZL_INSP_EXT_NONE; x <= ZL_INSP_EXT_REFUSED; x++)
		if (strcmp(s, zl_insp_extension_name((enum zl_insp_extension)x)) == 0) {
			*out = (enum zl_insp_extension)x;
			return ZL_OK;
		}
	return ZL_EINVAL;
}

/* Bind the record from position `at`; returns the next position. */
static int rec_bind(struct zl_stmt *st, int at, const struct zl_inspection *r,
		    char bits[3][16 * ZL_INSP_ITEM_WORDS + 1])
{
	bits_text(r->failed, bits[0]);
	bits_text(r->contested, bits[1]);
	bits_text(r->retest_failed, bits[2]);
	zl_stmt_bind_text(st, at++, zl_insp_state_name(r->state), -1);
	zl_stmt_bind_text(st, at++, zl_insp_outcome_name(r->outcome), -1);
	zl_stmt_bind_text(st, at++, zl_insp_verdict_name(r->conclusion), -1);
	zl_stmt_bind_int64(st, at++, r->nitems);
	for (int i = 0; i < 3; i++)
		zl_stmt_bind_text(st, at++, bits[i], -1);
	zl_stmt_bind_int64(st, at++, r->deemed);
	zl_stmt_bind_int64(st, at++, r->notified_late);
	zl_stmt_bind_int64(st, at++, r->refusals);
	zl_stmt_bind_int64(st, at++, r->warnings);
	zl_stmt_bind_int64(st, at++, r->resamples);
	zl_stmt_bind_text(st, at++, zl_insp_extension_name(r->extension), -1);
	zl_stmt_bind_int64(st, at++, r->extension_asked);
	zl_stmt_bind_int64(st, at++, r->extension_days);
	zl_stmt_bind_int64(st, at++, r->level);
	for (size_t i = 0; i < NDATES; i++)
		zl_stmt_bind_text(st, at++, (const char *)r + date_off[i], -1);
	return at;
}

/* Read the record from column *c on (advancing it); ZL_EINTERNAL naming a bad column. */
static int rec_read(struct zl_stmt *st, int *c, struct zl_inspection *r, struct zl_error *err)
{
	static const char *const names[] = {"state", "outcome", "conclusion", "failed_items",
					    "contested_items", "retest_failed", "extension"};
	int bad = -1;

	memset(r, 0, sizeof(*r));
	if (zl_insp_state_parse(zl_stmt_column_text(st, *c), &r->state) != ZL_OK)
		bad = 0;
	if (zl_insp_outcome_parse(zl_stmt_column_text(st, *c + 1), &r->outcome) != ZL_OK)
		bad = 1;
	if (zl_insp_verdict_parse(zl_stmt_column_text(st, *c + 2), &r->conclusion) != ZL_OK)
		bad = 2;
	r->nitems = (int)zl_stmt_column_int64(st, *c + 3);
	if (bits_read(zl_stmt_column_text(st, *c + 4), r->failed) != ZL_OK)
		bad = 3;
	if (bits_read(zl_stmt_column_text(st, *c + 5), r->contested) != ZL_OK)
		bad = 4;
	if (bits_read(zl_stmt_column_text(st, *c + 6), r->retest_failed) != ZL_OK)
		bad = 5;
	r->deemed = (int)zl_stmt_column_int64(st, *c + 7);
	r->notified_late = (int)zl_stmt_column_int64(st, *c + 8);
	r->refusals = (int)zl_stmt_column_int64(st, *c + 9);
	r->warnings = (int)zl_stmt_column_int64(st, *c + 10);
	r->resamples = (int)zl_stmt_column_int64(st, *c + 11);
	if (extension_parse(zl_stmt_column_text(st, *c + 12), &r->extension) != ZL_OK)
		bad = 6;
	r->extension_asked = (int)zl_stmt_column_int64(st, *c + 13);
	r->extension_days = (int)zl_stmt_column_int64(st, *c + 14);
	r->level = (int)zl_stmt_column_int64(st, *c + 15);
	for (size_t i = 0; i < NDATES; i++)
		zl_store_col_text(st, *c + 16 + (int)i, (char *)r + date_off[i], 11);
	*c += REC_NCOLS;
	if (bad >= 0)
		return zl_error_set(err, ZL_EINTERNAL, names[bad],
				    "a stored inspection with a bad %s", names[bad]);
	return ZL_OK;
}

/* ---- reading ------------------------------------------------------------------------------- */

#define INSP_COLS                                                                                  \
	"i.id, i.plan_id, COALESCE(i.draw_id, 0), i.draw_position, i.version, p.title, p.org,"     \
	" COALESCE(po.name, ''), COALESCE(po.path, ''), p.end_on, p.level, i.product,"             \
	" COALESCE(c.name, ''), i.uscc, i.enterprise_name, i.county, i.region,"                    \
	" COALESCE(ro.name, ''), COALESCE(ro.path, ''), i.lab, COALESCE(lo.name, ''),"             \
	" COALESCE(lo.path, ''), i.gov, i.created_by, i.created_at, i.updated_by, i.updated_at, " \
	REC_COLS("i.") ", i.place, i.batch, i.production_date, i.spec, i.trademark, i.seal_no,"   \
	" i.sample_qty, i.backup_qty, i.backup_sealed, i.samplers, i.report_no, i.retest_no,"     \
	" i.order_no, (SELECT count(*) FROM inspection_attachments a"                              \
	" WHERE a.inspection_id = i.id AND a.kind = 'photo')"
#define INSP_COUNT_FROM                                                                            \
	" FROM inspections i JOIN spotcheck_plans p ON p.id = i.plan_id"                           \
	" LEFT JOIN orgs po ON po.code = p.org AND po.valid_to IS NULL"                            \
	" LEFT JOIN orgs ro ON ro.code = i.region AND ro.valid_to IS NULL"
#define INSP_LAB_JOIN " LEFT JOIN orgs lo ON lo.code = i.lab AND lo.valid_to IS NULL"
#define INSP_FROM                                                                                  \
	INSP_COUNT_FROM INSP_LAB_JOIN " LEFT JOIN catalogue_categories c ON c.code = i.product"

struct reader {
	struct zl_arena *a;
	struct zl_stmt *st;
	int c;	 /* the next column */
	int oom; /* an allocation failed */
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

/* The lines of `s` (the samplers column) as an arena array. */
static const char **split_lines(struct zl_arena *a, const char *s, size_t *n, int *fail)
{
	size_t count = 0, k = 0;
	const char **v;
	char *copy;

	*n = 0;
	if (!given(s))
		return NULL;
	count = 1;
	for (const char *p = s; *p; p++)
		count += *p == '\n';
	v = zl_arena_calloc(a, count + 1, sizeof(*v));
	copy = zl_arena_strdup(a, s);
	if (v == NULL || copy == NULL) {
		*fail = 1;
		return NULL;
	}
	for (char *p = copy; p && k < count;) {
		char *nl = strchr(p, '\n');

		if (nl)
			*nl = '\0';
		v[k++] = p;
		p = nl ? nl + 1 : NULL;
	}
	*n = k;
	return v;
}

static int read_row(struct zl_arena *a, struct zl_stmt *st, struct zl_insp_row *row,
		    struct zl_error *err)
{
	struct reader r = {a, st, 0, 0};
	int rc;

	memset(row, 0, sizeof(*row));
	row->id = next_int(&r);
	row->plan_id = next_int(&r);
	row->draw_id = next_int(&r);
	row->position = (int)next_int(&r);
	row->version = (int)next_int(&r);
	row->plan_title = next_text(&r);
	row->plan_org = next_text(&r);
	row->plan_org_name = next_text(&r);
	row->plan_org_path = next_text(&r);
	row->plan_end = next_text(&r);
	row->plan_level = next_text(&r);
	row->product = next_text(&r);
	row->product_name = next_text(&r);
	row->uscc = next_text(&r);
	row->enterprise_name = next_text(&r);
	row->county = next_text(&r);
	row->region = next_text(&r);
	row->region_name = next_text(&r);
	row->region_path = next_text(&r);
	row->lab = next_text(&r);
	row->lab_name = next_text(&r);
	row->lab_path = next_text(&r);
	row->gov = next_text(&r);
	row->created_by = next_text(&r);
	row->created_at = next_text(&r);
	row->updated_by = next_text(&r);
	row->updated_at = next_text(&r);
	if ((rc = rec_read(st, &r.c, &row->rec, err)) != ZL_OK)
		return rc;
	row->place = next_text(&r);
	row->batch = next_text(&r);
	row->production_date = next_text(&r);
	row->spec = next_text(&r);
	row->trademark = next_text(&r);
	row->seal_no = next_text(&r);
	row->sample_qty = (int)next_int(&r);
	row->backup_qty = (int)next_int(&r);
	row->backup_sealed = (int)next_int(&r);
	row->samplers = split_lines(a, zl_stmt_column_text(st, r.c++), &row->nsamplers, &r.oom);
	row->report_no = next_text(&r);
	row->retest_no = next_text(&r);
	row->order_no = next_text(&r);
	row->photos = next_int(&r);
	return r.oom ? oom(err) : ZL_OK;
}

/* The inspectors of row->id, in order, with their display names. */
static int read_inspectors(struct zl_db *db, struct zl_arena *a, struct zl_insp_row *row,
			   struct zl_error *err)
{
	struct zl_stmt *st;
	size_t cap = 0;
	int rc = zl_db_prepare(db,
			       "SELECT x.username, COALESCE(u.display_name, '')"
			       " FROM inspection_inspectors x LEFT JOIN users u"
			       " ON u.username = x.username WHERE x.inspection_id = ?"
			       " ORDER BY x.ord, x.username",
			       &st, err);

	if (rc != ZL_OK)
		return rc;
	zl_stmt_bind_int64(st, 1, row->id);
	while ((rc = zl_stmt_step(st, err)) == ZL_DB_ROW) {
		if (row->ninspectors == cap) {
			size_t ncap = cap ? 2 * cap : 4;
			const char **u = zl_arena_calloc(a, ncap, sizeof(*u));
			const char **d = zl_arena_calloc(a, ncap, sizeof(*d));

			if (u == NULL || d == NULL) {
				rc = oom(err);
				break;
			}
			if (cap) {
				memcpy(u, row->inspectors, cap * sizeof(*u));
				memcpy(d, row->inspector_names, cap * sizeof(*d));
			}
			row->inspectors = u;
			row->inspector_names = d;
			cap = ncap;
		}
		row->inspectors[row->ninspectors] = zl_arena_strdup(a, zl_stmt_column_text(st, 0));
		row->inspector_names[row->ninspectors] =
			zl_arena_strdup(a, zl_stmt_column_text(st, 1));
		if (!row->inspectors[row->ninspectors] || !row->inspector_names[row->ninspectors]) {
			rc = oom(err);
			break;
		}
		row->ninspectors++;
	}
	zl_stmt_reset(st);
	return rc < 0 ? rc : ZL_OK;
}

static int read_items(struct zl_db *db, struct zl_arena *a, struct zl_insp_row *row,
		      struct zl_error *err)
{
	struct zl_stmt *st;
	int64_t n = 0;
	int rc = zl_store_int_by_id(
		db, "SELECT count(*) FROM inspection_items WHERE inspection_id = ?", row->id, &n,
		err);

	if (rc != ZL_OK || n == 0)
		return rc;
	row->items = zl_arena_calloc(a, (size_t)n, sizeof(*row->items));
	if (row->items == NULL)
		return oom(err);
	rc = zl_db_prepare(db,
			   "SELECT ord, name, measured, limit_text, unit, verdict, retest_measured,"
			   " retest_verdict FROM inspection_items WHERE inspection_id = ?"
			   " ORDER BY ord",
			   &st, err);
	if (rc != ZL_OK)
		return rc;
	zl_stmt_bind_int64(st, 1, row->id);
	while (row->nitems < (size_t)n && (rc = zl_stmt_step(st, err)) == ZL_DB_ROW) {
		struct zl_insp_item_row *it = &row->items[row->nitems++];
		struct reader r = {a, st, 0, 0};

		it->ord = (int)next_int(&r);
		it->name = next_text(&r);
		it->measured = next_text(&r);
		it->limit = next_text(&r);
		it->unit = next_text(&r);
		it->verdict = next_text(&r);
		it->retest_measured = next_text(&r);
		it->retest_verdict = next_text(&r);
		if (r.oom) {
			rc = oom(err);
			break;
		}
	}
	zl_stmt_reset(st);
	return rc < 0 ? rc : ZL_OK;
}

static int read_events(struct zl_db *db, struct zl_arena *a, struct zl_insp_row *row,
		       struct zl_error *err)
{
	struct zl_stmt *st;
	int64_t n = 0;
	int rc = zl_store_int_by_id(
		db, "SELECT count(*) FROM inspection_events WHERE inspection_id = ?", row->id, &n,
		err);

	if (rc != ZL_OK || n == 0)
		return rc;
	row->events = zl_arena_calloc(a, (size_t)n, sizeof(*row->events));
	if (row->events == NULL)
		return oom(err);
	rc = zl_db_prepare(db,
			   "SELECT seq, event, role, actor, org, on_date, at, from_state, to_state,"
			   " data, COALESCE(credit_event, 0) FROM inspection_events"
			   " WHERE inspection_id = ? ORDER BY seq",
			   &st, err);
	if (rc != ZL_OK)
		return rc;
	zl_stmt_bind_int64(st, 1, row->id);
	while (row->nevents < (size_t)n && (rc = zl_stmt_step(st, err)) == ZL_DB_ROW) {
		struct zl_insp_event_row *e = &row->events[row->nevents++];
		struct reader r = {a, st, 0, 0};

		e->seq = (int)next_int(&r);
		e->event = next_text(&r);
		e->role = next_text(&r);
		e->actor = next_text(&r);
		e->org = next_text(&r);
		e->on_date = next_text(&r);
		e->at = next_text(&r);
		e->from_state = next_text(&r);
		e->to_state = next_text(&r);
		e->data = next_text(&r);
		e->credit_event = next_int(&r);
		if (r.oom) {
			rc = oom(err);
			break;
		}
	}
	zl_stmt_reset(st);
	return rc < 0 ? rc : ZL_OK;
}

#define ATT_COLS "id, inspection_id, kind, name, media_type, size, sha256, created_by, created_at"

static void read_attachment(struct zl_stmt *st, struct zl_insp_attachment *m)
{
	memset(m, 0, sizeof(*m));
	m->id = zl_stmt_column_int64(st, 0);
	m->inspection_id = zl_stmt_column_int64(st, 1);
	zl_store_col_text(st, 2, m->kind, sizeof(m->kind));
	zl_store_col_text(st, 3, m->name, sizeof(m->name));
	zl_store_col_text(st, 4, m->media_type, sizeof(m->media_type));
	m->size = zl_stmt_column_int64(st, 5);
	zl_store_col_text(st, 6, m->sha256, sizeof(m->sha256));
	zl_store_col_text(st, 7, m->created_by, sizeof(m->created_by));
	zl_store_col_text(st, 8, m->created_at, sizeof(m->created_at));
}

static int read_attachments(struct zl_db *db, struct zl_arena *a, struct zl_insp_row *row,
			    struct zl_error *err)
{
	struct zl_stmt *st;
	int64_t n = 0;
	int rc = zl_store_int_by_id(
		db, "SELECT count(*) FROM inspection_attachments WHERE inspection_id = ?", row->id,
		&n, err);

	if (rc != ZL_OK || n == 0)
		return rc;
	row->attachments = zl_arena_calloc(a, (size_t)n, sizeof(*row->attachments));
	if (row->attachments == NULL)
		return oom(err);
	rc = zl_db_prepare(db,
			   "SELECT " ATT_COLS " FROM inspection_attachments"
			   " WHERE inspection_id = ? ORDER BY id",
			   &st, err);
	if (rc != ZL_OK)
		return rc;
	zl_stmt_bind_int64(st, 1, row->id);
	while (row->nattachments < (size_t)n && (rc = zl_stmt_step(st, err)) == ZL_DB_ROW)
		read_attachment(st, &row->attachments[row->nattachments++]);
	zl_stmt_reset(st);
	return rc < 0 ? rc : ZL_OK;
}

/* Inspection `id` without details into *row (strings in `a`); ZL_ENOTFOUND. */
static int get_row(struct zl_db *db, struct zl_arena *a, int64_t id, struct zl_insp_row *row,
		   struct zl_error *err)
{
	struct zl_stmt *st;
	int rc = zl_db_prepare(db, "SELECT " INSP_COLS INSP_FROM " WHERE i.id = ?", &st, err);

	if (rc != ZL_OK)
		return rc;
	zl_stmt_bind_int64(st, 1, id);
	rc = zl_stmt_step(st, err);
	if (rc == ZL_DB_ROW)
		rc = read_row(a, st, row, err);
	else if (rc == ZL_DB_DONE)
		rc = zl_error_set(err, ZL_ENOTFOUND, "id", "no inspection %" PRId64, id);
	zl_stmt_reset(st);
	if (rc == ZL_OK)
		rc = read_inspectors(db, a, row, err);
	return rc;
}

int zl_store_insp_get(struct zl_db *db, int64_t id, struct zl_insp_set *set,
		      struct zl_error *err)
{
	struct zl_insp_row *row = zl_arena_calloc(&set->arena, 1, sizeof(*row));
	int rc;

	set->v = row;
	set->n = 0;
	if (row == NULL)
		return oom(err);
	if ((rc = get_row(db, &set->arena, id, row, err)) ||
	    (rc = read_items(db, &set->arena, row, err)) ||
	    (rc = read_events(db, &set->arena, row, err)) ||
	    (rc = read_attachments(db, &set->arena, row, err)))
		return rc;
	set->n = 1;
	return ZL_OK;
}

/* ---- lists --------------------------------------------------------------------------------- */

/* The date that puts an inspection in a period, as the statistics do: the sampling date, else
 * the report date, else the issue date of the announcement that published it. */
#define PERIOD_DATE                                                                              \
	"COALESCE(NULLIF(i.sampled_on, ''), NULLIF(i.report_on, ''),"                            \
	" (SELECT a.issued_on FROM spotcheck_announcements a WHERE a.id = i.announcement_id), '')"

/* The WHERE clause of `f` into b, and its values in order into v (text) / the ids. */
struct where {
	struct zl_buf sql;
	const char *text[24];
	int kind[24]; /* 0 text, 1 integer */
	int64_t num[24];
	int n;
	char prefix[ZL_ORG_PATH_MAX + 2]; /* the scope's path with % */
};

static void where_text(struct where *w, const char *clause, const char *v)
{
	zl_buf_adds(&w->sql, clause);
	w->kind[w->n] = 0;
	w->text[w->n++] = v;
}

static void where_int(struct where *w, const char *clause, int64_t v)
{
	zl_buf_adds(&w->sql, clause);
	w->kind[w->n] = 1;
	w->num[w->n++] = v;
}

static void where_build(struct where *w, const struct zl_insp_filter *f)
{
	zl_buf_adds(&w->sql, " WHERE 1 = 1");
	/* Org paths hold digits, capitals, '-' and '/': no LIKE wildcard to escape. */
	snprintf(w->prefix, sizeof(w->prefix), "%s%%", f->path ? f->path : "");
	switch (f->scope) {
	case ZL_INSP_SCOPE_STAFF:
		where_text(w, " AND (po.path LIKE ?", w->prefix);
		where_text(w, " OR ro.path LIKE ?)", w->prefix);
		break;
	case ZL_INSP_SCOPE_INSPECTOR:
		/* IN, not a correlated EXISTS: the inspector's few rows are found by the
		 * index on username instead of probing every inspection. */
		where_text(w,
			   " AND i.id IN (SELECT x.inspection_id FROM inspection_inspectors x"
			   " WHERE x.username = ?)",
			   f->user ? f->user : "");
		break;
	case ZL_INSP_SCOPE_LAB:
		/* The caller lies at or under the laboratory. */
		where_text(w, " AND lo.path <> '' AND CAST(? AS TEXT) LIKE lo.path || '%'",
			   f->path ? f->path : "");
		break;
	case ZL_INSP_SCOPE_ENTERPRISE:
		where_text(w, " AND i.uscc = ?", f->uscc_scope ? f->uscc_scope : "");
		break;
	}
	if (f->plan_id > 0)
		where_int(w, " AND i.plan_id = ?", f->plan_id);
	if (f->draw_id > 0)
		where_int(w, " AND i.draw_id = ?", f->draw_id);
	if (given(f->product))
		where_text(w,
			   " AND i.product IN (WITH RECURSIVE sub (code) AS (SELECT CAST(? AS TEXT)"
			   " UNION ALL SELECT c.code FROM catalogue_categories c"
			   " JOIN sub ON c.parent = sub.code) SELECT code FROM sub)",
			   f->product);
	if (given(f->uscc))
		where_text(w, " AND i.uscc = ?", f->uscc);
	if (given(f->county_like))
		where_text(w, " AND i.county LIKE ?", f->county_like);
	if (given(f->state))
		where_text(w, " AND i.state = ?", f->state);
	if (f->open_only)
		zl_buf_adds(&w->sql, " AND i.state NOT IN ('closed', 'cancelled')");
	/* What an announcement may take (store/announcements.c, FINAL_SQL). */
	if (f->final_only)
		zl_buf_adds(&w->sql,
			    " AND ((i.state = 'closed' AND i.conclusion IN ('pass', 'fail')) OR i.state"
			    " IN ('failed', 'rectifying', 'follow_up', 'uncorrected', 'announced',"
			    " 'suspended'))");
	/* A withdrawn announcement lets its results go to a new one: they count as
	 * not announced.  The index on announcement_id finds the others. */
	if (f->announced > 0)
		zl_buf_adds(&w->sql, " AND i.announcement_id IN (SELECT x.id FROM"
				     " spotcheck_announcements x WHERE x.status <> 'withdrawn')");
	else if (f->announced < 0)
		zl_buf_adds(&w->sql, " AND (i.announcement_id IS NULL OR i.announcement_id IN"
				     " (SELECT x.id FROM spotcheck_announcements x"
				     " WHERE x.status = 'withdrawn'))");
	/* A batch counts once the laboratory's final conclusion exists (a re-test's replaces
	 * the first), as the statistics' rollups count it (store/scstats.c): not a failure
	 * deemed from a refusal, not cancelled. */
	if (f->counted || given(f->result))
		zl_buf_adds(&w->sql,
			    " AND i.state NOT IN ('planned', 'refused', 'sampled', 'untestable',"
			    " 'cancelled') AND i.deemed = 0 AND i.conclusion IN ('pass', 'fail')");
	if (given(f->result))
		where_text(w, " AND i.conclusion = ?", f->result);
	if (given(f->from))
		where_text(w, " AND " PERIOD_DATE " >= ?", f->from);
	if (given(f->to))
		where_text(w, " AND " PERIOD_DATE " < ?", f->to);
	if (given(f->size))
		where_text(w, " AND i.size_class = ?", f->size);
	if (given(f->level))
		where_text(w, " AND i.level = ?", f->level);
	if (given(f->place))
		where_text(w, " AND i.place = ?", f->place);
	if (f->may_be_due) {
		/* The state names are the machine's constants, not request values. */
		int first = 1;

		zl_buf_adds(&w->sql, " AND (i.state IN (");
		for (int s = 0; s < ZL_INSP_STATE_COUNT; s++) {
			if (zl_insp_state_terminal((enum zl_insp_state)s))
				continue;
			zl_buf_addf(&w->sql, "%s'%s'", first ? "" : ", ",
				    zl_insp_state_name((enum zl_insp_state)s));
			first = 0;
		}
		zl_buf_adds(&w->sql, ") OR (i.state = 'closed' AND i.received_on <> ''"
				     " AND i.objected_on = '' AND i.samples_returned_on = ''))");
	}
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

int zl_store_insp_list(struct zl_db *db, const struct zl_insp_filter *f, zl_insp_row_fn *fn,
		       void *cls, int64_t *total, struct zl_error *err)
{
	struct where w;
	struct zl_arena a;
	struct zl_stmt *st = NULL;
	int rc;

	memset(&w, 0, sizeof(w));
	zl_buf_init(&w.sql, 64 << 10);
	zl_arena_init(&a, (size_t)8 << 20);
	/* The conditions alone; the count joins only what they read - the laboratory's
	 * row for the laboratory scope, never the catalogue (three times faster over
	 * the demo's 200,000 rows) - and the rows everything they show. */
	where_build(&w, f);
	if (w.sql.err) {
		rc = oom(err);
		goto out;
	}
	if (total != NULL) {
		struct zl_buf q;

		zl_buf_init(&q, 64 << 10);
		zl_buf_adds(&q, "SELECT count(*)" INSP_COUNT_FROM);
		if (f->scope == ZL_INSP_SCOPE_LAB)
			zl_buf_adds(&q, INSP_LAB_JOIN);
		zl_buf_adds(&q, zl_buf_str(&w.sql));
		rc = q.err ? oom(err) : zl_db_prepare(db, zl_buf_str(&q), &st, err);
		zl_buf_release(&q);
		if (rc != ZL_OK)
			goto out;
		where_bind(&w, st);
		rc = zl_stmt_step(st, err);
		*total = rc == ZL_DB_ROW ? zl_stmt_column_int64(st, 0) : 0;
		zl_stmt_reset(st);
		if (rc < 0)
			goto out;
	}
	rc = ZL_OK;
	if (fn == NULL)
		goto out;
	{
		struct zl_buf q;

		zl_buf_init(&q, 64 << 10);
		zl_buf_adds(&q, "SELECT " INSP_COLS INSP_FROM);
		zl_buf_adds(&q, zl_buf_str(&w.sql));
		if (f->before > 0)
			zl_buf_addf(&q, " AND i.id < %" PRId64, f->before);
		zl_buf_adds(&q, " ORDER BY i.id DESC");
		if (f->limit > 0)
			zl_buf_addf(&q, " LIMIT %" PRId64, f->limit);
		rc = q.err ? oom(err) : zl_db_prepare(db, zl_buf_str(&q), &st, err);
		zl_buf_release(&q);
	}
	if (rc != ZL_OK)
		goto out;
	where_bind(&w, st);
	while ((rc = zl_stmt_step(st, err)) == ZL_DB_ROW) {
		struct zl_insp_row row;

		zl_arena_reset(&a);
		if ((rc = read_row(&a, st, &row, err)) ||
		    (rc = read_inspectors(db, &a, &row, err)) || (rc = fn(cls, &row)))
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

/* ---- writes -------------------------------------------------------------------------------- */

/* Append a history row; *seq (may be NULL) receives its number. */
static int add_event(struct zl_db *db, int64_t id, const char *event, const char *role,
		     const char *on_date, const char *from, const char *to, const char *data,
		     int64_t credit, const struct zl_plan_actor *who, const char *now, int *seq,
		     struct zl_error *err)
{
	struct zl_stmt *st;
	int64_t last = 0;
	int rc = zl_store_int_by_id(
		db, "SELECT COALESCE(MAX(seq), 0) FROM inspection_events WHERE inspection_id = ?",
		id, &last, err);

	if (rc != ZL_OK)
		return rc;
	rc = zl_db_prepare(db,
			   "INSERT INTO inspection_events (inspection_id, seq, event, role, actor,"
			   " org, on_date, at, from_state, to_state, data, credit_event)"
			   " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
			   &st, err);
	if (rc != ZL_OK)
		return rc;
	zl_stmt_bind_int64(st, 1, id);
	zl_stmt_bind_int64(st, 2, last + 1);
	zl_stmt_bind_text(st, 3, event, -1);
	zl_stmt_bind_text(st, 4, role, -1);
	zl_stmt_bind_text(st, 5, who->user, -1);
	zl_stmt_bind_text(st, 6, given(who->org) ? who->org : "", -1);
	zl_stmt_bind_text(st, 7, on_date, -1);
	zl_stmt_bind_text(st, 8, now, -1);
	zl_stmt_bind_text(st, 9, from, -1);
	zl_stmt_bind_text(st, 10, to, -1);
	zl_stmt_bind_text(st, 11, data, -1);
	if (credit > 0)
		zl_stmt_bind_int64(st, 12, credit);
	else
		zl_stmt_bind_null(st, 12);
	if (seq != NULL)
		*seq = (int)(last + 1);
	return zl_store_run(st, err);
}

int zl_store_insp_create(struct zl_db *db, const struct zl_insp_new *n,
			 const struct zl_plan_actor *who, int64_t *id, struct zl_error *err)
{
	char bits[3][16 * ZL_INSP_ITEM_WORDS + 1], now[32], data[96];
	struct zl_inspection rec;
	struct zl_stmt *st;
	int64_t new_id = 0;
	int rc, own = 0, at;

	if ((rc = zl_plan_actor_check(who, err)) != ZL_OK ||
	    (rc = zl_insp_init(&rec, n->plan_due, err)) != ZL_OK)
		return rc;
	zl_plan_now(who, now);
	if ((rc = zl_plan_tx_begin(db, &own, err)) != ZL_OK)
		return rc;
	rc = zl_db_prepare(db,
			   "INSERT INTO inspections (plan_id, product, uscc, enterprise_name, county,"
			   " region, lab, gov, draw_id, draw_position, created_by, created_at,"
			   " updated_by, updated_at, " REC_COLS("") ", level, size_class)"
			   " VALUES (?, ?, ?, ?, ?, ?, ?,"
			   " ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
			   " ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
			   /* The statistics group by the plan's level and the enterprise's
			    * size when it was sampled (migration 13). */
			   " COALESCE((SELECT level FROM spotcheck_plans WHERE id = ?), ''),"
			   " COALESCE((SELECT size_class FROM enterprises WHERE uscc = ?), ''))"
			   " RETURNING id",
			   &st, err);
	if (rc != ZL_OK)
		goto out;
	zl_stmt_bind_int64(st, 1, n->plan_id);
	zl_stmt_bind_text(st, 2, n->product, -1);
	zl_stmt_bind_text(st, 3, n->uscc, -1);
	zl_stmt_bind_text(st, 4, n->enterprise_name ? n->enterprise_name : "", -1);
	zl_stmt_bind_text(st, 5, n->county ? n->county : "", -1);
	zl_stmt_bind_text(st, 6, n->region, -1);
	zl_stmt_bind_text(st, 7, n->lab ? n->lab : "", -1);
	zl_stmt_bind_text(st, 8, n->gov, -1);
	if (n->draw_id > 0)
		zl_stmt_bind_int64(st, 9, n->draw_id);
	else
		zl_stmt_bind_null(st, 9);
	zl_stmt_bind_int64(st, 10, n->position);
	zl_stmt_bind_text(st, 11, who->user, -1);
	zl_stmt_bind_text(st, 12, now, -1);
	zl_stmt_bind_text(st, 13, who->user, -1);
	zl_stmt_bind_text(st, 14, now, -1);
	at = rec_bind(st, 15, &rec, bits);
	zl_stmt_bind_int64(st, at++, n->plan_id);
	zl_stmt_bind_text(st, at, n->uscc, -1);
	if ((rc = zl_plan_run_id(st, &new_id, err)) != ZL_OK)
		goto out;
	if (n->draw_id > 0)
		snprintf(data, sizeof(data), "{\"draw\":%" PRId64 ",\"position\":%d}", n->draw_id,
			 n->position);
	else
		snprintf(data, sizeof(data), "{}");
	rc = add_event(db, new_id, "created", "officer", who->today, "", "planned", data, 0, who,
		       now, NULL, err);
	/* A new task has no conclusion yet; counted anyway, so a future create path that
	 * stores one cannot miss the statistics (store/scstats.h). */
	if (rc == ZL_OK)
		rc = zl_store_sc_fact(db, new_id, +1, err);
out:
	rc = zl_plan_tx_end(db, own, rc, err);
	if (rc == ZL_OK && id != NULL)
		*id = new_id;
	return rc;
}

int zl_store_insp_import_row(struct zl_db *db, const struct zl_insp_imported *in,
			     const struct zl_inspection *rec, const struct zl_plan_actor *who,
			     const char *now, int64_t *id, struct zl_error *err)
{
	char bits[3][16 * ZL_INSP_ITEM_WORDS + 1], data[96];
	struct zl_stmt *st;
	int64_t new_id = 0;
	int rc, at;

	if ((rc = zl_insp_check(rec, err)) != ZL_OK)
		return rc;
	rc = zl_db_prepare(db,
			   "INSERT INTO inspections (plan_id, product, uscc, enterprise_name, county,"
			   " region, gov, created_by, created_at, updated_by, updated_at, " REC_COLS("")
			   ", place, batch, production_date, spec, trademark, announcement_id, level,"
			   " size_class, sampled_unit, retailer, platform, nominal, counterfeit,"
			   " product_text, remark, source_row) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
			   " ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
			   " ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
			   " RETURNING id",
			   &st, err);
	if (rc != ZL_OK)
		return rc;
	zl_stmt_bind_int64(st, 1, in->plan_id);
	zl_stmt_bind_text(st, 2, in->product, -1);
	zl_stmt_bind_text(st, 3, in->uscc, -1);
	zl_stmt_bind_text(st, 4, in->enterprise_name, -1);
	zl_stmt_bind_text(st, 5, in->county ? in->county : "", -1);
	zl_stmt_bind_text(st, 6, in->region, -1);
	zl_stmt_bind_text(st, 7, in->gov, -1);
	zl_stmt_bind_text(st, 8, who->user, -1);
	zl_stmt_bind_text(st, 9, now, -1);
	zl_stmt_bind_text(st, 10, who->user, -1);
	zl_stmt_bind_text(st, 11, now, -1);
	at = rec_bind(st, 12, rec, bits);
	zl_stmt_bind_text(st, at++, in->place ? in->place : "", -1);
	zl_stmt_bind_text(st, at++, in->batch ? in->batch : "", -1);
	zl_stmt_bind_text(st, at++, in->production_date ? in->production_date : "", -1);
	zl_stmt_bind_text(st, at++, in->spec ? in->spec : "", -1);
	zl_stmt_bind_text(st, at++, in->trademark ? in->trademark : "", -1);
	zl_stmt_bind_int64(st, at++, in->announcement_id);
	zl_stmt_bind_text(st, at++, in->level ? in->level : "", -1);
	zl_stmt_bind_text(st, at++, in->size_class ? in->size_class : "", -1);
	zl_stmt_bind_text(st, at++, in->sampled_unit ? in->sampled_unit : "", -1);
	zl_stmt_bind_text(st, at++, in->retailer ? in->retailer : "", -1);
	zl_stmt_bind_text(st, at++, in->platform ? in->platform : "", -1);
	zl_stmt_bind_int64(st, at++, in->nominal);
	zl_stmt_bind_int64(st, at++, in->counterfeit);
	zl_stmt_bind_text(st, at++, in->product_text ? in->product_text : "", -1);
	zl_stmt_bind_text(st, at++, in->remark ? in->remark : "", -1);
	zl_stmt_bind_int64(st, at, in->source_row);
	if ((rc = zl_plan_run_id(st, &new_id, err)) != ZL_OK)
		return rc;
	for (int i = 0; rc == ZL_OK && i < rec->nitems; i++) {
		rc = zl_db_prepare(db,
				   "INSERT INTO inspection_items (inspection_id, ord, name, measured,"
				   " limit_text, unit, verdict) VALUES (?, ?, ?, '', '', '', 'fail')",
				   &st, err);
		if (rc != ZL_OK)
			break;
		zl_stmt_bind_int64(st, 1, new_id);
		zl_stmt_bind_int64(st, 2, i);
		zl_stmt_bind_text(st, 3, in->failed_items[i], -1);
		rc = zl_store_run(st, err);
	}
	if (rc != ZL_OK)
		return rc;
	rc = zl_db_prepare(db,
			   "INSERT INTO inspection_events (inspection_id, seq, event, role, actor,"
			   " org, on_date, at, from_state, to_state, data, credit_event)"
			   " VALUES (?, 1, 'imported', 'officer', ?, ?, ?, ?, '', ?, ?, NULL)",
			   &st, err);
	if (rc != ZL_OK)
		return rc;
	snprintf(data, sizeof(data), "{\"announcement\":%" PRId64 ",\"row\":%" PRId64 "}",
		 in->announcement_id, in->source_row);
	zl_stmt_bind_int64(st, 1, new_id);
	zl_stmt_bind_text(st, 2, who->user, -1);
	zl_stmt_bind_text(st, 3, given(who->org) ? who->org : "", -1);
	zl_stmt_bind_text(st, 4, in->on_date, -1);
	zl_stmt_bind_text(st, 5, now, -1);
	zl_stmt_bind_text(st, 6, zl_insp_state_name(rec->state), -1);
	zl_stmt_bind_text(st, 7, data, -1);
	if ((rc = zl_store_run(st, err)) == ZL_OK && id != NULL)
		*id = new_id;
	return rc;
}

int zl_store_insp_assign(struct zl_db *db, int64_t id, const char *const *usernames, size_t n,
			 int64_t draw_id, const struct zl_plan_actor *who, struct zl_error *err)
{
	struct zl_buf data = ZL_BUF_INIT(64 << 10);
	struct zl_jw w;
	struct zl_stmt *st;
	char now[32], state[32];
	int64_t ord = 0;
	int rc, own = 0;

	if ((rc = zl_plan_actor_check(who, err)) != ZL_OK)
		return rc;
	zl_plan_now(who, now);
	if ((rc = zl_plan_tx_begin(db, &own, err)) != ZL_OK)
		return rc;
	{
		char key[24];

		snprintf(key, sizeof(key), "%" PRId64, id);
		rc = zl_store_text_by_key(
			db, "SELECT state FROM inspections WHERE id = CAST(? AS BIGINT)", key,
			state, sizeof(state), err);
	}
	if (rc == ZL_ENOTFOUND)
		rc = zl_error_set(err, ZL_ENOTFOUND, "id", "no inspection %" PRId64, id);
	if (rc == ZL_OK)
		rc = zl_store_int_by_id(db,
					"SELECT COALESCE(MAX(ord), 0) FROM inspection_inspectors"
					" WHERE inspection_id = ?",
					id, &ord, err);
	for (size_t i = 0; rc == ZL_OK && i < n; i++) {
		rc = zl_db_prepare(db,
				   "INSERT INTO inspection_inspectors (inspection_id, username, ord,"
				   " draw_id) VALUES (?, ?, ?, ?)",
				   &st, err);
		if (rc != ZL_OK)
			break;
		zl_stmt_bind_int64(st, 1, id);
		zl_stmt_bind_text(st, 2, usernames[i], -1);
		zl_stmt_bind_int64(st, 3, ord + (int64_t)i + 1);
		if (draw_id > 0)
			zl_stmt_bind_int64(st, 4, draw_id);
		else
			zl_stmt_bind_null(st, 4);
		rc = zl_store_run(st, err);
	}
	if (rc == ZL_OK) {
		zl_jw_init(&w, &data);
		zl_jw_obj_begin(&w);
		if (draw_id > 0)
			zl_jw_kint(&w, "draw", draw_id);
		zl_jw_key(&w, "inspectors");
		zl_jw_arr_begin(&w);
		for (size_t i = 0; i < n; i++)
			zl_jw_str(&w, usernames[i]);
		zl_jw_arr_end(&w);
		zl_jw_obj_end(&w);
		rc = zl_jw_error(&w) ? oom(err)
				     : add_event(db, id, "inspectors_drawn", "officer", who->today,
						 state, state, zl_buf_str(&data), 0, who, now, NULL,
						 err);
	}
	zl_buf_release(&data);
	return zl_plan_tx_end(db, own, rc, err);
}

/* ---- applying a step ----------------------------------------------------------------------- */

static void json_strings(struct zl_jw *w, const char *key, const char *const *v, size_t n)
{
	zl_jw_key(w, key);
	zl_jw_arr_begin(w);
	for (size_t i = 0; i < n; i++)
		zl_jw_str(w, v[i]);
	zl_jw_arr_end(w);
}

/* The event's data, as the history keeps it: what it carried, and what the machine found. */
static void event_json(struct zl_jw *w, const struct zl_insp_event *ev,
		       const struct zl_insp_step *step, const struct zl_insp_effect *eff)
{
	zl_jw_obj_begin(w);
	if (given(ev->doc_no))
		zl_jw_kstr(w, "doc_no", ev->doc_no);
	if (given(ev->reason))
		zl_jw_kstr(w, "reason", ev->reason);
	if (given(ev->received_on))
		zl_jw_kstr(w, "received_on", ev->received_on);
	if (given(ev->until))
		zl_jw_kstr(w, "until", ev->until);
	if (ev->days)
		zl_jw_kint(w, "days", ev->days);
	if (ev->level != ZL_INSP_LEVEL_NONE)
		zl_jw_kstr(w, "level", zl_insp_level_name(ev->level));
	if (ev->nsamplers)
		json_strings(w, "samplers", ev->samplers, ev->nsamplers);
	if (ev->sampling != NULL) {
		const struct zl_insp_sampling *s = ev->sampling;

		zl_jw_key(w, "sampling");
		zl_jw_obj_begin(w);
		zl_jw_kstr(w, "place", s->place);
		zl_jw_kstr(w, "batch", s->batch);
		zl_jw_kstr(w, "production_date", s->production_date);
		zl_jw_kstr(w, "spec", s->spec);
		zl_jw_kstr(w, "trademark", s->trademark);
		zl_jw_kint(w, "sample_qty", s->sample_qty);
		zl_jw_kint(w, "backup_qty", s->backup_qty);
		zl_jw_kbool(w, "backup_sealed", s->backup_sealed);
		zl_jw_kstr(w, "seal_no", s->seal_no);
		zl_jw_kint(w, "photos", s->photos);
		zl_jw_obj_end(w);
	}
	if (ev->nitems) {
		zl_jw_kstr(w, "conclusion", zl_insp_verdict_name(ev->conclusion));
		zl_jw_kint(w, "items", (int64_t)ev->nitems);
	}
	if (ev->ncontested) {
		zl_jw_key(w, "contested");
		zl_jw_arr_begin(w);
		for (size_t i = 0; i < ev->ncontested; i++)
			zl_jw_int(w, (int64_t)ev->contested[i]);
		zl_jw_arr_end(w);
		if (ev->verdicts != NULL) {
			zl_jw_key(w, "verdicts");
			zl_jw_arr_begin(w);
			for (size_t i = 0; i < ev->ncontested; i++)
				zl_jw_str(w, zl_insp_verdict_name(ev->verdicts[i]));
			zl_jw_arr_end(w);
		}
		if (step->retest_measured != NULL)
			json_strings(w, "measured", step->retest_measured, ev->ncontested);
	}
	if (eff->late) {
		zl_jw_kbool(w, "late", 1);
		zl_jw_kstr(w, "deadline", eff->deadline);
	}
	zl_jw_obj_end(w);
}

/* The report's items, replacing those stored. */
static int write_items(struct zl_db *db, int64_t id, const struct zl_insp_event *ev,
		       struct zl_error *err)
{
	struct zl_stmt *st;
	int rc = zl_store_exec_id(db, "DELETE FROM inspection_items WHERE inspection_id = ?", id,
				  err);

	for (size_t i = 0; rc == ZL_OK && i < ev->nitems; i++) {
		const struct zl_insp_item *it = &ev->items[i];

		rc = zl_db_prepare(db,
				   "INSERT INTO inspection_items (inspection_id, ord, name, measured,"
				   " limit_text, unit, verdict) VALUES (?, ?, ?, ?, ?, ?, ?)",
				   &st, err);
		if (rc != ZL_OK)
			break;
		zl_stmt_bind_int64(st, 1, id);
		zl_stmt_bind_int64(st, 2, (int64_t)i);
		zl_stmt_bind_text(st, 3, it->name, -1);
		zl_stmt_bind_text(st, 4, it->measured, -1);
		zl_stmt_bind_text(st, 5, it->limit, -1);
		zl_stmt_bind_text(st, 6, it->unit ? it->unit : "", -1);
		zl_stmt_bind_text(st, 7, zl_insp_verdict_name(it->verdict), -1);
		rc = zl_store_run(st, err);
	}
	return rc;
}

/* The re-test's verdicts (and measured values) on the contested items. */
static int write_retest(struct zl_db *db, int64_t id, const struct zl_insp_step *step,
			struct zl_error *err)
{
	const struct zl_insp_event *ev = &step->ev;
	struct zl_stmt *st;
	int rc = ZL_OK;

	for (size_t i = 0; rc == ZL_OK && i < ev->ncontested; i++) {
		rc = zl_db_prepare(db,
				   "UPDATE inspection_items SET retest_verdict = ?, retest_measured = ?"
				   " WHERE inspection_id = ? AND ord = ?",
				   &st, err);
		if (rc != ZL_OK)
			break;
		zl_stmt_bind_text(st, 1, zl_insp_verdict_name(ev->verdicts[i]), -1);
		zl_stmt_bind_text(st, 2,
				  step->retest_measured && step->retest_measured[i]
					  ? step->retest_measured[i]
					  : "",
				  -1);
		zl_stmt_bind_int64(st, 3, id);
		zl_stmt_bind_int64(st, 4, (int64_t)ev->contested[i]);
		rc = zl_store_run(st, err);
	}
	return rc;
}

/* Prepare `sql` (its last ? is the id), bind `text` as ?1 and the id as ?2. */
static int set_text(struct zl_db *db, const char *sql, const char *text, int64_t id,
		    struct zl_error *err)
{
	struct zl_stmt *st;
	int rc = zl_db_prepare(db, sql, &st, err);

	if (rc != ZL_OK)
		return rc;
	zl_stmt_bind_text(st, 1, text ? text : "", -1);
	zl_stmt_bind_int64(st, 2, id);
	return zl_store_run(st, err);
}

static int write_sampling(struct zl_db *db, int64_t id, const struct zl_insp_event *ev,
			  struct zl_error *err)
{
	const struct zl_insp_sampling *s = ev->sampling;
	struct zl_buf names = ZL_BUF_INIT(64 << 10);
	struct zl_stmt *st;
	int rc;

	for (size_t i = 0; i < ev->nsamplers; i++) {
		if (i)
			zl_buf_addch(&names, '\n');
		zl_buf_adds(&names, ev->samplers[i]);
	}
	if (names.err) {
		zl_buf_release(&names);
		return oom(err);
	}
	if (s == NULL) { /* a refusal: its witnesses only */
		rc = set_text(db, "UPDATE inspections SET samplers = ? WHERE id = ?",
			      zl_buf_str(&names), id, err);
		zl_buf_release(&names);
		return rc;
	}
	rc = zl_db_prepare(db,
			   "UPDATE inspections SET place = ?, batch = ?, production_date = ?,"
			   " spec = ?, trademark = ?, sample_qty = ?, backup_qty = ?,"
			   " backup_sealed = ?, seal_no = ?, samplers = ? WHERE id = ?",
			   &st, err);
	if (rc == ZL_OK) {
		zl_stmt_bind_text(st, 1, s->place, -1);
		zl_stmt_bind_text(st, 2, s->batch, -1);
		zl_stmt_bind_text(st, 3, s->production_date, -1);
		zl_stmt_bind_text(st, 4, s->spec, -1);
		zl_stmt_bind_text(st, 5, s->trademark, -1);
		zl_stmt_bind_int64(st, 6, s->sample_qty);
		zl_stmt_bind_int64(st, 7, s->backup_qty);
		zl_stmt_bind_int64(st, 8, s->backup_sealed ? 1 : 0);
		zl_stmt_bind_text(st, 9, s->seal_no ? s->seal_no : "", -1);
		zl_stmt_bind_text(st, 10, zl_buf_str(&names), -1);
		zl_stmt_bind_int64(st, 11, id);
		rc = zl_store_run(st, err);
	}
	zl_buf_release(&names);
	return rc;
}

/* The documents the event brings in. */
static int write_documents(struct zl_db *db, int64_t id, const struct zl_insp_step *step,
			   struct zl_error *err)
{
	const struct zl_insp_event *ev = &step->ev;
	int rc;

	switch (ev->event) {
	case ZL_INSP_EV_RECORD_SAMPLING:
	case ZL_INSP_EV_REFUSE_SAMPLING:
		return write_sampling(db, id, ev, err);
	case ZL_INSP_EV_ENTER_REPORT:
	case ZL_INSP_EV_AMEND_REPORT:
		rc = set_text(db, "UPDATE inspections SET report_no = ? WHERE id = ?", ev->doc_no,
			      id, err);
		return rc ? rc : write_items(db, id, ev, err);
	case ZL_INSP_EV_RETEST_UPHELD:
	case ZL_INSP_EV_RETEST_OVERTURNED:
		rc = set_text(db, "UPDATE inspections SET retest_no = ? WHERE id = ?", ev->doc_no,
			      id, err);
		return rc ? rc : write_retest(db, id, step, err);
	case ZL_INSP_EV_ORDER_RECTIFICATION:
		return set_text(db, "UPDATE inspections SET order_no = ? WHERE id = ?", ev->doc_no,
				id, err);
	default:
		return ZL_OK;
	}
}

/* Cut `s` to at most `max` characters of UTF-8 into out[n]. */
static void cut_chars(char *out, size_t n, const char *s, size_t max)
{
	size_t chars = 0, i = 0;

	while (s[i] && chars < max) {
		size_t len = 1;

		while ((s[i + len] & 0xC0) == 0x80)
			len++;
		if (i + len >= n)
			break;
		i += len;
		chars++;
	}
	memcpy(out, s, i);
	out[i] = '\0';
}

/* The credit-archive event the machine asks for, in the plan's organization's name. */
static int write_credit(struct zl_db *db, const struct zl_insp_row *row,
			const struct zl_insp_step *step, const struct zl_insp_effect *eff,
			int64_t *cid, struct zl_error *err)
{
	struct zl_credit_event *ce = calloc(1, sizeof(*ce));
	char text[1200];
	const char *doc;
	int rc;

	if (ce == NULL)
		return oom(err);
	zl_strlcpy(ce->uscc, row->uscc, sizeof(ce->uscc));
	zl_strlcpy(ce->kind, eff->credit_kind, sizeof(ce->kind));
	zl_strlcpy(ce->subkind, eff->credit_subkind ? eff->credit_subkind : "",
		   sizeof(ce->subkind));
	zl_strlcpy(ce->event_date, eff->credit_date, sizeof(ce->event_date));
	zl_strlcpy(ce->source_org, row->plan_org, sizeof(ce->source_org));
	/* The report behind a result: the re-test's when it decided, else the first. */
	doc = given(step->ev.doc_no) && strcmp(eff->credit_kind, "spot_check") == 0
		      ? step->ev.doc_no
		      : strcmp(eff->credit_kind, "spot_check") == 0 ? row->report_no : "";
	cut_chars(ce->doc_no, sizeof(ce->doc_no), doc ? doc : "", ZL_CREDIT_DOCNO_MAX);
	snprintf(text, sizeof(text), "%s：%s", eff->credit_title,
		 given(row->product_name) ? row->product_name : row->product);
	cut_chars(ce->title, sizeof(ce->title), text, ZL_CREDIT_TITLE_MAX);
	snprintf(text, sizeof(text), "抽查任务 %" PRId64 "（%s），产品 %s %s", row->id,
		 row->plan_title, row->product, row->product_name);
	cut_chars(ce->detail, sizeof(ce->detail), text, ZL_CREDIT_DETAIL_MAX);
	zl_strlcpy(ce->created_by, "module:spotcheck", sizeof(ce->created_by));
	zl_credit_apply_defaults(ce, 1);
	rc = zl_store_credit_add(db, ce, cid, err);
	free(ce);
	return rc;
}

int zl_store_insp_apply(struct zl_db *db, int64_t id, const struct zl_insp_step *step,
			const struct zl_insp_env *env, const struct zl_plan_actor *who,
			struct zl_insp_applied *out, struct zl_error *err)
{
	char bits[3][16 * ZL_INSP_ITEM_WORDS + 1], now[32];
	struct zl_buf data = ZL_BUF_INIT(1 << 20);
	struct zl_insp_applied *res = calloc(1, sizeof(*res));
	struct zl_insp_event ev = step->ev;
	struct zl_insp_sampling smp;
	const char **names = NULL;
	struct zl_insp_set set;
	struct zl_insp_row *row;
	struct zl_stmt *st;
	struct zl_jw w;
	int rc, own = 0, at;

	zl_insp_set_init(&set);
	if (res == NULL)
		return oom(err);
	if ((rc = zl_plan_actor_check(who, err)) != ZL_OK)
		goto done;
	zl_plan_now(who, now);
	if ((rc = zl_plan_tx_begin(db, &own, err)) != ZL_OK)
		goto done;
	if ((row = zl_arena_calloc(&set.arena, 1, sizeof(*row))) == NULL) {
		rc = oom(err);
		goto out;
	}
	if ((rc = get_row(db, &set.arena, id, row, err)) ||
	    (rc = zl_insp_check(&row->rec, err)))
		goto out;
	if (step->expect_version > 0 && step->expect_version != row->version) {
		rc = zl_error_set(err, ZL_ECONFLICT, "version",
				  "the inspection is at version %d, not %d: reload it", row->version,
				  step->expect_version);
		goto out;
	}
	/* The photos are the attachments; the samplers default to the inspectors drawn. */
	if (ev.event == ZL_INSP_EV_RECORD_SAMPLING && ev.sampling != NULL) {
		smp = *ev.sampling;
		smp.photos = (int)row->photos;
		ev.sampling = &smp;
	}
	if ((ev.event == ZL_INSP_EV_RECORD_SAMPLING || ev.event == ZL_INSP_EV_REFUSE_SAMPLING) &&
	    ev.nsamplers == 0 && row->ninspectors > 0) {
		names = zl_arena_calloc(&set.arena, row->ninspectors, sizeof(*names));
		if (names == NULL) {
			rc = oom(err);
			goto out;
		}
		for (size_t i = 0; i < row->ninspectors; i++)
			names[i] = given(row->inspector_names[i]) ? row->inspector_names[i]
								  : row->inspectors[i];
		ev.samplers = names;
		ev.nsamplers = row->ninspectors;
	}
	res->before = row->rec;
	if ((rc = zl_insp_apply(&row->rec, &ev, env, &res->after, &res->eff, err)) != ZL_OK)
		goto out;
	/* The statistics' rollups: out with the old record, in with the new after the
	 * record and the documents (the sampling place) are written (store/scstats.h). */
	if ((rc = zl_store_sc_fact(db, id, -1, err)) != ZL_OK)
		goto out;
	rc = zl_db_prepare(db,
			   "UPDATE inspections SET " REC_SET ", version = version + 1,"
			   " updated_by = ?, updated_at = ? WHERE id = ? AND version = ?",
			   &st, err);
	if (rc != ZL_OK)
		goto out;
	at = rec_bind(st, 1, &res->after, bits);
	zl_stmt_bind_text(st, at++, who->user, -1);
	zl_stmt_bind_text(st, at++, now, -1);
	zl_stmt_bind_int64(st, at++, id);
	zl_stmt_bind_int64(st, at, row->version);
	/* PostgreSQL reads committed rows: a step committed since the record was read leaves
	 * no row at its version, and this one must not write history or credit after it. */
	rc = zl_stmt_step(st, err);
	if (rc >= 0)
		rc = zl_stmt_changes(st) > 0
			     ? ZL_OK
			     : zl_error_set(err, ZL_ECONFLICT, "version",
					    "the inspection changed meanwhile: reload it");
	zl_stmt_reset(st);
	if (rc != ZL_OK)
		goto out;
	{
		struct zl_insp_step eff_step = *step;

		eff_step.ev = ev;
		if ((rc = write_documents(db, id, &eff_step, err)) != ZL_OK)
			goto out;
	}
	if ((rc = zl_store_sc_fact(db, id, +1, err)) != ZL_OK)
		goto out;
	if (res->eff.credit_kind != NULL &&
	    (rc = write_credit(db, row, step, &res->eff, &res->credit_event, err)) != ZL_OK)
		goto out;
	zl_jw_init(&w, &data);
	event_json(&w, &ev, step, &res->eff);
	if (zl_jw_error(&w)) {
		rc = oom(err);
		goto out;
	}
	rc = add_event(db, id, zl_insp_event_name(ev.event), zl_insp_role_name(ev.role), ev.date,
		       zl_insp_state_name(res->before.state), zl_insp_state_name(res->after.state),
		       zl_buf_str(&data), res->credit_event, who, now, &res->seq, err);
out:
	rc = zl_plan_tx_end(db, own, rc, err);
	if (rc == ZL_OK && out != NULL)
		*out = *res;
done:
	zl_buf_release(&data);
	zl_insp_set_release(&set);
	free(res);
	return rc;
}

/* ---- timers -------------------------------------------------------------------------------- */

/* The event a timer fires: the task's name is the event's (inspection.def). */
static int timer_event(enum zl_insp_task task, enum zl_insp_event_id *ev, struct zl_error *err)
{
	const char *name = zl_insp_task_name(task);

	if (name == NULL || zl_insp_event_parse(name, ev) != ZL_OK)
		return zl_error_set(err, ZL_EINTERNAL, "task", "timer task %s fires no event",
				    name ? name : "?");
	return ZL_OK;
}

/* The audit row of a step the timer fired, as the HTTP route writes one for a person. */
static int audit_timer(struct zl_db *db, int64_t id, const struct zl_insp_row *row,
		       const struct zl_insp_event *ev, const struct zl_insp_applied *done,
		       struct zl_error *err)
{
	char target[48], action[64], detail[256];
	struct zl_audit_entry e = {
		.at = NULL,
		.actor = "system",
		.org = row->plan_org,
		.action = action,
		.target = target,
		/* The API's JSON of the inspection is not the store's to write. */
		.before_digest = "",
		.after_digest = "",
		.request_id = "",
		.detail = detail,
	};

	snprintf(target, sizeof(target), "inspection:%" PRId64, id);
	snprintf(action, sizeof(action), "inspection.%s", zl_insp_event_name(ev->event));
	if (done->credit_event > 0)
		snprintf(detail, sizeof(detail), "%s -> %s on %s as system, credit event %" PRId64,
			 zl_insp_state_name(done->before.state),
			 zl_insp_state_name(done->after.state), ev->date, done->credit_event);
	else
		snprintf(detail, sizeof(detail), "%s -> %s on %s as system",
			 zl_insp_state_name(done->before.state),
			 zl_insp_state_name(done->after.state), ev->date);
	return zl_store_audit_append(db, &e, NULL, err);
}

/* The first timer of `rec` ready as of env->today into *out: 1, or 0 when none; < 0 an error. */
static int first_ready(const struct zl_inspection *rec, const struct zl_insp_env *env,
		       struct zl_insp_due *out, struct zl_error *err)
{
	struct zl_insp_due due[ZL_INSP_DUES_MAX];
	size_t n = 0;
	int rc = zl_insp_dues(rec, env, ZL_INSP_BY_SYSTEM, due, &n, err);

	if (rc != ZL_OK)
		return rc;
	for (size_t i = 0; i < n; i++)
		if (due[i].kind == ZL_INSP_TIMER && due[i].ready) {
			*out = due[i];
			return 1;
		}
	return 0;
}

/*
 * Fire the ready timers of inspection `id` in one transaction of its own:
 * read it, fire the first ready timer, and again on the record it led to
 * (no state has a timer leading to another today, but the table may).
 */
#define TIMER_STEPS_MAX 4
static int fire_one(struct zl_db *db, int64_t id, const struct zl_insp_env *env,
		    struct zl_insp_timer_stats *st, struct zl_error *err)
{
	int64_t fired[ZL_INSP_EVENT_COUNT] = {0}, nfired = 0;
	struct zl_insp_applied *done = calloc(1, sizeof(*done));
	struct zl_arena a;
	int rc;

	if (done == NULL)
		return oom(err);
	zl_arena_init(&a, (size_t)8 << 20);
	if ((rc = zl_db_begin(db, err)) != ZL_OK)
		goto out;
	for (int n = 0; rc == ZL_OK && n < TIMER_STEPS_MAX; n++) {
		struct zl_insp_due ready;
		struct zl_insp_row row;
		struct zl_insp_step step;
		struct zl_plan_actor who;
		int found;

		zl_arena_reset(&a);
		memset(&row, 0, sizeof(row));
		if ((rc = get_row(db, &a, id, &row, err)) != ZL_OK)
			break;
		/* Read again in the transaction: a step may have been stored since the scan. */
		if ((found = first_ready(&row.rec, env, &ready, err)) <= 0) {
			rc = found;
			break;
		}
		memset(&step, 0, sizeof(step));
		if ((rc = timer_event(ready.task, &step.ev.event, err)) != ZL_OK)
			break;
		step.ev.role = ZL_INSP_ROLE_SYSTEM;
		step.ev.date = ready.date;
		step.expect_version = row.version;
		memset(&who, 0, sizeof(who));
		who.user = "system";
		who.org = row.plan_org;
		who.org_path = row.plan_org_path;
		who.today = env->today;
		if ((rc = zl_store_insp_apply(db, id, &step, env, &who, done, err)) != ZL_OK ||
		    (rc = audit_timer(db, id, &row, &step.ev, done, err)) != ZL_OK)
			break;
		fired[step.ev.event]++;
		nfired++;
	}
	if (rc != ZL_OK) {
		zl_db_rollback(db);
		goto out;
	}
	if (nfired == 0) {
		zl_db_rollback(db); /* nothing written */
		goto out;
	}
	if ((rc = zl_db_commit(db, err)) != ZL_OK)
		goto out;
	st->fired += nfired;
	for (int e = 0; e < ZL_INSP_EVENT_COUNT; e++)
		st->by_event[e] += fired[e];
out:
	zl_arena_release(&a);
	free(done);
	return rc;
}

/* What the scan of the inspections with a timer found: the ids to fire. */
struct timer_scan {
	const struct zl_insp_env *env;
	struct zl_insp_timer_stats *st;
	zl_insp_timer_skip_fn *skip;
	void *cls;
	int64_t *ids; /* malloc'd */
	size_t n, cap;
};

/*
 * Read the records of the inspections in a state with a timer (one query,
 * by state) and keep the ids of those with a timer ready: the others need
 * no transaction.  A record whose dues cannot be computed is skipped here.
 */
static int timer_scan(struct zl_db *db, struct timer_scan *k, struct zl_error *err)
{
	const char *states[ZL_INSP_STATE_COUNT];
	struct zl_buf sql = ZL_BUF_INIT(4096);
	const struct zl_insp_due_rule *rules;
	size_t nrules, nstates = 0;
	struct zl_stmt *st;
	int rc;

	rules = zl_insp_due_rules(&nrules);
	for (size_t i = 0; i < nrules; i++) {
		const char *s = zl_insp_state_name(rules[i].state);
		size_t j = 0;

		if (rules[i].kind != ZL_INSP_TIMER)
			continue;
		while (j < nstates && strcmp(states[j], s) != 0)
			j++;
		if (j == nstates)
			states[nstates++] = s;
	}
	if (nstates == 0)
		return ZL_OK;
	/* Placeholders for the table's states; the index on state finds them. */
	zl_buf_adds(&sql, "SELECT id, " REC_COLS("") " FROM inspections WHERE state IN (?");
	for (size_t i = 1; i < nstates; i++)
		zl_buf_adds(&sql, ", ?");
	zl_buf_adds(&sql, ") ORDER BY id");
	rc = sql.err ? oom(err) : zl_db_prepare(db, zl_buf_str(&sql), &st, err);
	zl_buf_release(&sql);
	if (rc != ZL_OK)
		return rc;
	for (size_t i = 0; i < nstates; i++)
		zl_stmt_bind_text(st, (int)i + 1, states[i], -1);
	while ((rc = zl_stmt_step(st, err)) == ZL_DB_ROW) {
		struct zl_error one = ZL_ERROR_INIT;
		struct zl_inspection rec;
		struct zl_insp_due ready;
		int64_t id = zl_stmt_column_int64(st, 0);
		int c = 1, found;

		k->st->inspections++;
		found = rec_read(st, &c, &rec, &one);
		if (found == ZL_OK)
			found = first_ready(&rec, k->env, &ready, &one);
		if (found < 0) {
			k->st->skipped++;
			if (k->skip != NULL)
				k->skip(k->cls, id, &one);
			continue;
		}
		if (found == 0)
			continue;
		if (k->n == k->cap) {
			size_t ncap = k->cap ? 2 * k->cap : 256;
			int64_t *v = realloc(k->ids, ncap * sizeof(*v));

			if (v == NULL) {
				rc = oom(err);
				break;
			}
			k->ids = v;
			k->cap = ncap;
		}
		k->ids[k->n++] = id;
	}
	zl_stmt_reset(st);
	return rc == ZL_DB_DONE ? ZL_OK : rc;
}

int zl_store_insp_fire_timers(struct zl_db *db, const char *today, struct zl_insp_timer_stats *st,
			      zl_insp_timer_skip_fn *skip, void *cls, struct zl_error *err)
{
	struct zl_insp_timer_stats local;
	struct zl_workdays *wd = calloc(1, sizeof(*wd));
	struct zl_insp_env env;
	struct timer_scan k = {0};
	int64_t day;
	int rc;

	if (st == NULL)
		st = &local;
	memset(st, 0, sizeof(*st));
	if (wd == NULL)
		return oom(err);
	if (today == NULL || zl_date_parse(today, &day) != ZL_OK) {
		rc = zl_error_set(err, ZL_EINVAL, "today", "today must be a date YYYY-MM-DD");
		goto out;
	}
	/* One transaction per inspection: a caller's would make one failure undo all. */
	if (zl_db_in_tx(db)) {
		rc = zl_error_set(err, ZL_EINTERNAL, NULL,
				  "the timers run in transactions of their own, not in one open");
		goto out;
	}
	if ((rc = zl_workdays_init(wd, err)) != ZL_OK)
		goto out;
	env = (struct zl_insp_env){wd, today, NULL};
	k.env = &env;
	k.st = st;
	k.skip = skip;
	k.cls = cls;
	if ((rc = timer_scan(db, &k, err)) != ZL_OK)
		goto out;
	for (size_t i = 0; i < k.n; i++) {
		struct zl_error one = ZL_ERROR_INIT;

		if (fire_one(db, k.ids[i], &env, st, &one) == ZL_OK)
			continue;
		st->skipped++;
		if (skip != NULL)
			skip(cls, k.ids[i], &one);
	}
out:
	free(k.ids);
	free(wd);
	return rc;
}

/* ---- attachments --------------------------------------------------------------------------- */

int zl_store_insp_attachment_add(struct zl_db *db, int64_t id, const char *kind, const char *name,
				 const char *media_type, const void *data, size_t n,
				 const struct zl_plan_actor *who, struct zl_insp_attachment *out,
				 struct zl_error *err)
{
	char sha[ZL_SHA256_HEX_LEN + 1], now[32], key[24], state_name[32];
	enum zl_insp_state state;
	int64_t count = 0, att = 0;
	struct zl_stmt *st;
	int rc, own = 0, photo = kind != NULL && strcmp(kind, "photo") == 0;

	if ((rc = zl_plan_actor_check(who, err)) != ZL_OK)
		return rc;
	if (!photo && (kind == NULL || strcmp(kind, "document") != 0))
		return zl_error_set(err, ZL_EUNPROC, "kind", "kind is photo or document");
	if (name == NULL || !zl_plan_file_name_ok(name))
		return zl_error_set(err, ZL_EUNPROC, "name",
				    "name: a file name of 1..%d characters, without / \\ \" or"
				    " control characters",
				    ZL_INSP_FILE_NAME_MAX);
	if (media_type == NULL || !zl_plan_media_type_ok(media_type))
		return zl_error_set(err, ZL_EUNPROC, "type", "the file's type must be type/subtype");
	if (n > ZL_INSP_ATTACHMENT_MAX)
		return zl_error_set(err, ZL_ETOOBIG, "file", "a file may have at most %zu MiB",
				    ZL_INSP_ATTACHMENT_MAX >> 20);
	if (n == 0)
		return zl_error_set(err, ZL_EUNPROC, "file", "the file is empty");
	zl_plan_now(who, now);
	zl_sha256_hex(data, n, sha);
	if ((rc = zl_plan_tx_begin(db, &own, err)) != ZL_OK)
		return rc;
	snprintf(key, sizeof(key), "%" PRId64, id);
	rc = zl_store_text_by_key(db, "SELECT state FROM inspections WHERE id = CAST(? AS BIGINT)",
				  key, state_name, sizeof(state_name), err);
	if (rc == ZL_ENOTFOUND)
		rc = zl_error_set(err, ZL_ENOTFOUND, "id", "no inspection %" PRId64, id);
	if (rc != ZL_OK)
		goto out;
	if (zl_insp_state_parse(state_name, &state) != ZL_OK) {
		rc = zl_error_set(err, ZL_EINTERNAL, "state", "a stored inspection with a bad state");
		goto out;
	}
	if (photo && state != ZL_INSP_PLANNED) {
		rc = zl_error_set(err, ZL_ECONFLICT, "state",
				  "photos of the sampling are added while the inspection is planned;"
				  " it is %s",
				  state_name);
		goto out;
	}
	if (zl_insp_state_terminal(state)) {
		rc = zl_error_set(err, ZL_ECONFLICT, "state", "the inspection is %s", state_name);
		goto out;
	}
	if ((rc = zl_store_int_by_id(db,
				     "SELECT count(*) FROM inspection_attachments"
				     " WHERE inspection_id = ?",
				     id, &count, err)) != ZL_OK)
		goto out;
	if (count >= ZL_INSP_ATTACHMENTS_MAX) {
		rc = zl_error_set(err, ZL_ETOOBIG, "file", "an inspection has at most %d files",
				  ZL_INSP_ATTACHMENTS_MAX);
		goto out;
	}
	rc = zl_db_prepare(db,
			   "INSERT INTO inspection_attachments (inspection_id, kind, name,"
			   " media_type, size, sha256, data, created_by, created_at)"
			   " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
			   &st, err);
	if (rc != ZL_OK)
		goto out;
	zl_stmt_bind_int64(st, 1, id);
	zl_stmt_bind_text(st, 2, photo ? "photo" : "document", -1);
	zl_stmt_bind_text(st, 3, name, -1);
	zl_stmt_bind_text(st, 4, media_type, -1);
	zl_stmt_bind_int64(st, 5, (int64_t)n);
	zl_stmt_bind_text(st, 6, sha, -1);
	zl_stmt_bind_blob(st, 7, data, n);
	zl_stmt_bind_text(st, 8, who->user, -1);
	zl_stmt_bind_text(st, 9, now, -1);
	rc = zl_plan_run_id(st, &att, err);
	if (rc == ZL_OK && out != NULL)
		rc = zl_store_insp_attachment_get(db, id, att, out, NULL, NULL, err);
out:
	return zl_plan_tx_end(db, own, rc, err);
}

int zl_store_insp_attachment_get(struct zl_db *db, int64_t id, int64_t att,
				 struct zl_insp_attachment *meta, void **data, size_t *n,
				 struct zl_error *err)
{
	struct zl_stmt *st;
	int rc = zl_db_prepare(db,
			       "SELECT " ATT_COLS ", data FROM inspection_attachments"
			       " WHERE id = ? AND inspection_id = ?",
			       &st, err);

	if (data != NULL)
		*data = NULL;
	if (n != NULL)
		*n = 0;
	if (rc != ZL_OK)
		return rc;
	zl_stmt_bind_int64(st, 1, att);
	zl_stmt_bind_int64(st, 2, id);
	rc = zl_stmt_step(st, err);
	if (rc == ZL_DB_ROW) {
		read_attachment(st, meta);
		rc = ZL_OK;
		if (data != NULL) {
			size_t len = 0;
			const void *p = zl_stmt_column_blob(st, 9, &len);

			*data = malloc(len ? len : 1);
			if (*data == NULL)
				rc = oom(err);
			else {
				if (len)
					memcpy(*data, p, len);
				if (n != NULL)
					*n = len;
			}
		}
	} else if (rc == ZL_DB_DONE) {
		rc = zl_error_set(err, ZL_ENOTFOUND, "id", "no attachment %" PRId64, att);
	}
	zl_stmt_reset(st);
	return rc;
}
