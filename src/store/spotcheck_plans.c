/*
 * spotcheck_plans.c - spot-check plans' store (store/spotcheck_plans.h):
 * the checks of a plan against the organization tree and the catalogue,
 * its rows, the steps of its life with their events, and reading plans
 * whole or as summaries.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "domain/authz.h"
#include "domain/catalogue.h"
#include "domain/check.h"
#include "store/catalogue.h"
#include "store/plan_internal.h"
#include "store/query.h"
#include "store/spotcheck_plans.h"

static int given(const char *s)
{
	return s != NULL && *s != '\0';
}

void zl_sc_plan_set_init(struct zl_sc_plan_set *s)
{
	memset(s, 0, sizeof(*s));
	zl_arena_init(&s->arena, (size_t)64 << 20);
}

void zl_sc_plan_set_release(struct zl_sc_plan_set *s)
{
	zl_arena_release(&s->arena);
	s->v = NULL;
	s->n = 0;
}

void zl_sc_plan_facts(const struct zl_sc_plan *p, struct zl_sc_plan_facts *f)
{
	memset(f, 0, sizeof(*f));
	f->status = p->status;
	f->owner_path = p->org_path;
	f->gov_path = p->gov_path;
	f->lab_paths = p->lab_paths;
	f->nlabs = p->nlabs;
	f->submitted_by = p->submitted_by;
}

/* ---- checks against the database ------------------------------------------------------------ */

/* A current organization's kind, path and name; ZL_ENOTFOUND when it has no current row. */
static int org_row(struct zl_db *db, const char *code, char kind[16], char path[ZL_ORG_PATH_MAX],
		   struct zl_error *err)
{
	struct zl_stmt *st;
	int rc = zl_db_prepare(
		db, "SELECT kind, path FROM orgs WHERE code = ? AND valid_to IS NULL", &st, err);

	if (rc != ZL_OK)
		return rc;
	zl_stmt_bind_text(st, 1, code, -1);
	rc = zl_stmt_step(st, err);
	if (rc == ZL_DB_ROW) {
		zl_store_col_text(st, 0, kind, 16);
		rc = zl_store_copy_exact(path, ZL_ORG_PATH_MAX, zl_stmt_column_text(st, 1), "path",
					 err);
	} else if (rc == ZL_DB_DONE) {
		rc = ZL_ENOTFOUND;
	}
	zl_stmt_reset(st);
	return rc;
}

static int is_government(const char *kind)
{
	return !strcmp(kind, "province") || !strcmp(kind, "city") || !strcmp(kind, "county");
}

/* What the checks learn about a plan's organization. */
struct owner {
	char gov[ZL_ORG_CODE_MAX];
	char gov_path[ZL_ORG_PATH_MAX];
	char level[16];
};

static int check_owner(struct zl_db *db, const char *org, struct owner *o, struct zl_error *err)
{
	char kind[16], path[ZL_ORG_PATH_MAX];
	size_t n;
	int rc = org_row(db, org, kind, path, err);

	if (rc == ZL_ENOTFOUND)
		return zl_error_set(err, ZL_EUNPROC, "org", "org: no organization %s", org);
	if (rc != ZL_OK)
		return rc;
	n = zl_org_path_government(path, o->gov_path, sizeof(o->gov_path));
	if (n == 0 || !strcmp(kind, "enterprise"))
		return zl_error_set(err, ZL_EUNPROC, "org",
				    "org: %s belongs to no province, city or county", org);
	/* The government is the path's last six-digit segment. */
	memcpy(o->gov, o->gov_path + n - 7, 6);
	o->gov[6] = '\0';
	rc = org_row(db, o->gov, o->level, path, err);
	if (rc == ZL_ENOTFOUND || (rc == ZL_OK && !is_government(o->level)))
		return zl_error_set(err, ZL_EUNPROC, "org", "org: %s belongs to no government",
				    org);
	return rc;
}

static int check_refs(struct zl_db *db, const struct zl_sc_plan_in *in, const struct owner *o,
		      struct zl_error *err)
{
	char kind[16], path[ZL_ORG_PATH_MAX], f[ZL_CHECK_FIELD_MAX], at[ZL_CHECK_FIELD_MAX];
	char q[ZL_CHECK_FIELD_MAX];
	int rc = ZL_OK;

	for (size_t i = 0; i < in->nlabs; i++) {
		zl_check_field(f, "", "labs", (long)i);
		rc = org_row(db, in->labs[i], kind, path, err);
		if (rc == ZL_ENOTFOUND || (rc == ZL_OK && strcmp(kind, "lab") != 0))
			return zl_error_set(err, ZL_EUNPROC, f, "%s: %s is not a laboratory", f,
					    in->labs[i]);
		if (rc != ZL_OK)
			return rc;
	}
	for (size_t i = 0; i < in->nproducts; i++) {
		const struct zl_sc_product_in *p = &in->products[i];
		char status[16];
		int risk;

		zl_check_field(at, "", "products", (long)i);
		zl_check_field(f, at, "code", -1);
		rc = zl_store_cat_status(db, p->code, status, &risk, err);
		if (rc == ZL_ENOTFOUND)
			return zl_error_set(err, ZL_EUNPROC, f, "%s: no catalogue category %s", f,
					    p->code);
		if (rc != ZL_OK)
			return rc;
		if (strcmp(status, "active") != 0)
			return zl_error_set(err, ZL_EUNPROC, f, "%s: %s is retired", f, p->code);
		zl_check_field(q, at, "quotas", -1);
		for (size_t k = 0; k < p->nquotas; k++) {
			const char *r = p->quotas[k].region;

			zl_check_field(f, q, r, -1);
			rc = org_row(db, r, kind, path, err);
			if (rc == ZL_ENOTFOUND ||
			    (rc == ZL_OK &&
			     (!is_government(kind) || !zl_org_path_within(path, o->gov_path))))
				return zl_error_set(
					err, ZL_EUNPROC, f,
					"%s: %s is not a government in the territory of "
					"%s",
					f, r, o->gov);
			if (rc != ZL_OK)
				return rc;
		}
	}
	return ZL_OK;
}

/* ---- rows ----------------------------------------------------------------------------------- */

static int delete_children(struct zl_db *db, int64_t id, struct zl_error *err)
{
	static const char *const sql[] = {
		"DELETE FROM spotcheck_plan_labs WHERE plan_id = ?",
		"DELETE FROM spotcheck_plan_places WHERE plan_id = ?",
		"DELETE FROM spotcheck_plan_quotas WHERE plan_id = ?",
		"DELETE FROM spotcheck_plan_products WHERE plan_id = ?",
		"DELETE FROM spotcheck_plan_frequency WHERE plan_id = ?",
	};
	int rc = ZL_OK;

	for (size_t i = 0; i < sizeof(sql) / sizeof(sql[0]) && rc == ZL_OK; i++)
		rc = zl_store_exec_id(db, sql[i], id, err);
	return rc;
}

/* Prepare `sql`, bind the plan id as ?1, an int as ?2 and a text as ?3 (the child rows' shape). */
static int child_stmt(struct zl_db *db, const char *sql, int64_t id, int64_t ord, const char *text,
		      struct zl_stmt **st, struct zl_error *err)
{
	int rc = zl_db_prepare(db, sql, st, err);

	if (rc != ZL_OK)
		return rc;
	zl_stmt_bind_int64(*st, 1, id);
	zl_stmt_bind_int64(*st, 2, ord);
	zl_stmt_bind_text(*st, 3, text, -1);
	return ZL_OK;
}

static int insert_children(struct zl_db *db, int64_t id, const struct zl_sc_plan_in *in,
			   struct zl_error *err)
{
	struct zl_sc_freq freq;
	struct zl_stmt *st;
	int rc = ZL_OK;

	for (size_t i = 0; i < in->nlabs && rc == ZL_OK; i++) {
		rc = child_stmt(
			db, "INSERT INTO spotcheck_plan_labs (plan_id, ord, lab) VALUES (?, ?, ?)",
			id, (int64_t)i, in->labs[i], &st, err);
		if (rc == ZL_OK)
			rc = zl_store_run(st, err);
	}
	for (size_t i = 0; i < in->nplaces && rc == ZL_OK; i++) {
		rc = child_stmt(db,
				"INSERT INTO spotcheck_plan_places (plan_id, ord, place, share,"
				" batches) VALUES (?, ?, ?, ?, ?)",
				id, (int64_t)i, in->places[i].type, &st, err);
		if (rc != ZL_OK)
			break;
		zl_stmt_bind_int64(st, 4, in->places[i].share);
		zl_stmt_bind_int64(st, 5, in->places[i].batches);
		rc = zl_store_run(st, err);
	}
	for (size_t i = 0; i < in->nproducts && rc == ZL_OK; i++) {
		const struct zl_sc_product_in *p = &in->products[i];

		rc = child_stmt(db,
				"INSERT INTO spotcheck_plan_products (plan_id, ord, product, lab)"
				" VALUES (?, ?, ?, ?)",
				id, (int64_t)i, p->code, &st, err);
		if (rc != ZL_OK)
			break;
		zl_stmt_bind_text(st, 4, given(p->lab) ? p->lab : "", -1);
		rc = zl_store_run(st, err);
		for (size_t k = 0; k < p->nquotas && rc == ZL_OK; k++) {
			rc = child_stmt(db,
					"INSERT INTO spotcheck_plan_quotas (plan_id, ord, region,"
					" product, batches) VALUES (?, ?, ?, ?, ?)",
					id, (int64_t)k, p->quotas[k].region, &st, err);
			if (rc != ZL_OK)
				break;
			zl_stmt_bind_text(st, 4, p->code, -1);
			zl_stmt_bind_int64(st, 5, p->quotas[k].batches);
			rc = zl_store_run(st, err);
		}
	}
	if (in->has_freq)
		freq = in->freq;
	else
		zl_sc_freq_default(&freq);
	for (int c = 0; c < ZL_SC_CLASSES && rc == ZL_OK; c++) {
		for (int r = 0; r < ZL_SC_RISKS && rc == ZL_OK; r++) {
			rc = child_stmt(db,
					"INSERT INTO spotcheck_plan_frequency (plan_id, risk,"
					" ent_class, weight) VALUES (?, ?, ?, ?)",
					id, r + 1, zl_sc_class_name(c), &st, err);
			if (rc != ZL_OK)
				break;
			zl_stmt_bind_int64(st, 4, (int64_t)freq.w[c][r]);
			rc = zl_store_run(st, err);
		}
	}
	return rc;
}

static int add_event(struct zl_db *db, int64_t id, const char *action, int from, int to,
		     const struct zl_plan_actor *who, const char *now, const char *note,
		     struct zl_error *err)
{
	struct zl_stmt *st;
	int64_t seq = 0;
	int rc = zl_store_int_by_id(db,
				    "SELECT COALESCE(MAX(seq), 0) FROM spotcheck_plan_events"
				    " WHERE plan_id = ?",
				    id, &seq, err);

	if (rc != ZL_OK)
		return rc;
	rc = child_stmt(
		db,
		"INSERT INTO spotcheck_plan_events (plan_id, seq, action, from_status,"
		" to_status, actor, org, acted_at, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
		id, seq + 1, action, &st, err);
	if (rc != ZL_OK)
		return rc;
	zl_stmt_bind_text(st, 4, from < 0 ? "" : zl_sc_status_name(from), -1);
	zl_stmt_bind_text(st, 5, zl_sc_status_name(to), -1);
	zl_stmt_bind_text(st, 6, who->user, -1);
	zl_stmt_bind_text(st, 7, given(who->org) ? who->org : "", -1);
	zl_stmt_bind_text(st, 8, now, -1);
	zl_stmt_bind_text(st, 9, given(note) ? note : "", -1);
	return zl_store_run(st, err);
}

/* Bind the plan's own members from position 1: title .. note; returns the next position. */
static int bind_plan(struct zl_stmt *st, const struct zl_sc_plan_in *in, const struct owner *o)
{
	zl_stmt_bind_text(st, 1, in->title, -1);
	zl_stmt_bind_int64(st, 2, in->year);
	zl_stmt_bind_text(st, 3, in->kind, -1);
	zl_stmt_bind_text(st, 4, in->org, -1);
	zl_stmt_bind_text(st, 5, o->gov, -1);
	zl_stmt_bind_text(st, 6, o->level, -1);
	zl_stmt_bind_int64(st, 7, in->budget_fen);
	zl_stmt_bind_text(st, 8, in->start, -1);
	zl_stmt_bind_text(st, 9, in->end, -1);
	zl_stmt_bind_text(st, 10, given(in->note) ? in->note : "", -1);
	zl_stmt_bind_int64(st, 11, in->own_county ? 0 : 1);
	return 12;
}

/* The status and version of plan `id`, and who submitted it; ZL_ENOTFOUND (field "id"). */
static int plan_state(struct zl_db *db, int64_t id, int *status, int *version,
		      char submitted_by[96], struct zl_error *err)
{
	struct zl_stmt *st;
	int rc = zl_db_prepare(db,
			       "SELECT status, version, submitted_by FROM spotcheck_plans"
			       " WHERE id = ?",
			       &st, err);

	if (rc != ZL_OK)
		return rc;
	zl_stmt_bind_int64(st, 1, id);
	rc = zl_stmt_step(st, err);
	if (rc == ZL_DB_ROW) {
		rc = zl_sc_status_parse(zl_stmt_column_text(st, 0), status) == ZL_OK
			     ? ZL_OK
			     : zl_error_set(err, ZL_EINTERNAL, NULL, "a plan with no known status");
		*version = (int)zl_stmt_column_int64(st, 1);
		zl_store_col_text(st, 2, submitted_by, 96);
	} else if (rc == ZL_DB_DONE) {
		rc = zl_error_set(err, ZL_ENOTFOUND, "id", "no plan %lld", (long long)id);
	}
	zl_stmt_reset(st);
	return rc;
}

/*
 * Create (*id 0: the new id into *id) or replace draft plan *id with `in`,
 * its rows and an event, in one transaction (or the caller's).
 */
static int save_plan(struct zl_db *db, int64_t *id, const struct zl_sc_plan_in *in,
		     int expect_version, const struct zl_plan_actor *who, struct zl_error *err)
{
	char now[32], submitted_by[96];
	struct owner o;
	struct zl_stmt *st;
	int64_t new_id = *id;
	int rc, own = 0, status = 0, version = 0, i;

	if ((rc = zl_plan_actor_check(who, err)) || (rc = zl_sc_plan_in_check(in, err)))
		return rc;
	zl_plan_now(who, now);
	rc = zl_plan_tx_begin(db, &own, err);
	if (rc != ZL_OK)
		return rc;
	if (*id > 0) {
		if ((rc = plan_state(db, *id, &status, &version, submitted_by, err)))
			goto out;
		if (status != ZL_SC_DRAFT) {
			rc = zl_error_set(err, ZL_ECONFLICT, "status",
					  "only a draft plan changes; this one is %s",
					  zl_sc_status_name(status));
			goto out;
		}
		if (expect_version > 0 && expect_version != version) {
			rc = zl_error_set(err, ZL_ECONFLICT, "version",
					  "the plan is at version %d, not %d: reload it", version,
					  expect_version);
			goto out;
		}
	}
	if ((rc = check_owner(db, in->org, &o, err)) || (rc = check_refs(db, in, &o, err)))
		goto out;
	rc = zl_db_prepare(
		db,
		*id == 0 ? "INSERT INTO spotcheck_plans (title, year, kind, org, gov, level,"
			   " budget_fen, start_on, end_on, note, exclude_own_county, updated_by,"
			   " updated_at, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?,"
			   " ?, ?, ?, ?, ?, ?, ?) RETURNING id"
			 : "UPDATE spotcheck_plans SET title = ?, year = ?, kind = ?,"
			   " org = ?, gov = ?, level = ?, budget_fen = ?, start_on = ?,"
			   " end_on = ?, note = ?, exclude_own_county = ?, updated_by = ?,"
			   " updated_at = ?, version = version + 1 WHERE id = ?",
		&st, err);
	if (rc != ZL_OK)
		goto out;
	i = bind_plan(st, in, &o);
	zl_stmt_bind_text(st, i++, who->user, -1);
	zl_stmt_bind_text(st, i++, now, -1);
	if (*id == 0) {
		zl_stmt_bind_text(st, i++, who->user, -1);
		zl_stmt_bind_text(st, i, now, -1);
		rc = zl_plan_run_id(st, &new_id, err);
	} else {
		zl_stmt_bind_int64(st, i, new_id);
		rc = zl_store_run(st, err);
		if (rc == ZL_OK)
			rc = delete_children(db, new_id, err);
	}
	if (rc == ZL_OK)
		rc = insert_children(db, new_id, in, err);
	if (rc == ZL_OK)
		rc = add_event(db, new_id, *id == 0 ? "create" : "update",
			       *id == 0 ? -1 : ZL_SC_DRAFT, ZL_SC_DRAFT, who, now, NULL, err);
out:
	rc = zl_plan_tx_end(db, own, rc, err);
	if (rc == ZL_OK)
		*id = new_id;
	return rc;
}

int zl_store_sc_plan_create(struct zl_db *db, const struct zl_sc_plan_in *in,
			    const struct zl_plan_actor *who, int64_t *id, struct zl_error *err)
{
	int64_t new_id = 0;
	int rc = save_plan(db, &new_id, in, 0, who, err);

	if (rc == ZL_OK && id != NULL)
		*id = new_id;
	return rc;
}

int zl_store_sc_plan_update(struct zl_db *db, int64_t id, const struct zl_sc_plan_in *in,
			    int expect_version, const struct zl_plan_actor *who,
			    struct zl_error *err)
{
	if (id <= 0)
		return zl_error_set(err, ZL_ENOTFOUND, "id", "no plan %lld", (long long)id);
	return save_plan(db, &id, in, expect_version, who, err);
}

/* Every product of the plan still active in the catalogue (checked again on submission). */
static int products_active(struct zl_db *db, int64_t id, struct zl_error *err)
{
	struct zl_stmt *st;
	int rc = zl_db_prepare(db,
			       "SELECT p.product FROM spotcheck_plan_products p JOIN"
			       " catalogue_categories c ON c.code = p.product WHERE p.plan_id = ?"
			       " AND c.status <> 'active' ORDER BY p.ord",
			       &st, err);
	char code[ZL_CAT_CODE_MAX + 1] = "";

	if (rc != ZL_OK)
		return rc;
	zl_stmt_bind_int64(st, 1, id);
	rc = zl_stmt_step(st, err);
	if (rc == ZL_DB_ROW)
		zl_store_col_text(st, 0, code, sizeof(code));
	zl_stmt_reset(st);
	if (rc < 0)
		return rc;
	if (code[0])
		return zl_error_set(err, ZL_EUNPROC, "products",
				    "products: %s has been retired from the catalogue: change the "
				    "plan first",
				    code);
	return ZL_OK;
}

int zl_store_sc_plan_act(struct zl_db *db, int64_t id, int action, const char *note,
			 const struct zl_plan_actor *who, struct zl_error *err)
{
	char now[32], submitted_by[96];
	struct zl_stmt *st;
	int rc, own = 0, status = 0, version = 0, to = 0;

	if ((rc = zl_plan_actor_check(who, err)) ||
	    (rc = zl_check_text(note, action == ZL_SC_RETURN ? "reason" : "note",
				action == ZL_SC_RETURN, ZL_SC_REASON_MAX, err)))
		return rc;
	zl_plan_now(who, now);
	rc = zl_plan_tx_begin(db, &own, err);
	if (rc != ZL_OK)
		return rc;
	if ((rc = plan_state(db, id, &status, &version, submitted_by, err)) ||
	    (rc = zl_sc_transition(status, action, &to, err)))
		goto out;
	if (action == ZL_SC_SUBMIT && (rc = products_active(db, id, err)))
		goto out;
	if (action == ZL_SC_SUBMIT)
		rc = zl_db_prepare(
			db,
			"UPDATE spotcheck_plans SET status = ?, version = version + 1,"
			" updated_by = ?, updated_at = ?, submitted_by = ?, submitted_at = ?,"
			" decided_by = '', decided_at = '', decision_note = '' WHERE id = ?",
			&st, err);
	else if (action == ZL_SC_APPROVE || action == ZL_SC_RETURN)
		rc = zl_db_prepare(
			db,
			"UPDATE spotcheck_plans SET status = ?, version = version + 1,"
			" updated_by = ?, updated_at = ?, decided_by = ?, decided_at = ?,"
			" decision_note = ? WHERE id = ?",
			&st, err);
	else
		rc = zl_db_prepare(db,
				   "UPDATE spotcheck_plans SET status = ?, version = version + 1,"
				   " updated_by = ?, updated_at = ? WHERE id = ?",
				   &st, err);
	if (rc != ZL_OK)
		goto out;
	zl_stmt_bind_text(st, 1, zl_sc_status_name(to), -1);
	zl_stmt_bind_text(st, 2, who->user, -1);
	zl_stmt_bind_text(st, 3, now, -1);
	if (action == ZL_SC_SUBMIT) {
		zl_stmt_bind_text(st, 4, who->user, -1);
		zl_stmt_bind_text(st, 5, now, -1);
		zl_stmt_bind_int64(st, 6, id);
	} else if (action == ZL_SC_APPROVE || action == ZL_SC_RETURN) {
		zl_stmt_bind_text(st, 4, who->user, -1);
		zl_stmt_bind_text(st, 5, now, -1);
		zl_stmt_bind_text(st, 6, given(note) ? note : "", -1);
		zl_stmt_bind_int64(st, 7, id);
	} else {
		zl_stmt_bind_int64(st, 4, id);
	}
	rc = zl_store_run(st, err);
	if (rc == ZL_OK)
		rc = add_event(db, id, zl_sc_action_name(action), status, to, who, now, note, err);
out:
	return zl_plan_tx_end(db, own, rc, err);
}

/* ---- reading -------------------------------------------------------------------------------- */

#define PLAN_COLS                                                                                  \
	"p.id, p.title, p.year, p.kind, p.org, COALESCE(o.name, ''), COALESCE(o.path, ''),"        \
	" p.gov, COALESCE(g.path, ''), p.level, p.budget_fen, p.start_on, p.end_on, p.note,"       \
	" p.status, p.version, p.created_by, p.created_at, p.updated_by, p.updated_at,"            \
	" p.submitted_by, p.submitted_at, p.decided_by, p.decided_at, p.decision_note,"            \
	" (SELECT count(*) FROM spotcheck_plan_products x WHERE x.plan_id = p.id),"                \
	" (SELECT COALESCE(sum(q.batches), 0) FROM spotcheck_plan_quotas q"                        \
	" WHERE q.plan_id = p.id), p.exclude_own_county"
#define PLAN_FROM                                                                                  \
	" FROM spotcheck_plans p LEFT JOIN orgs o ON o.code = p.org AND o.valid_to IS NULL"        \
	" LEFT JOIN orgs g ON g.code = p.gov AND g.valid_to IS NULL"

static const char *dup(struct zl_sc_plan_set *s, struct zl_stmt *st, int c, int *oom)
{
	const char *v = zl_arena_strdup(&s->arena, zl_stmt_column_text(st, c));

	*oom |= v == NULL;
	return v ? v : "";
}

static int read_plan(struct zl_sc_plan_set *s, struct zl_stmt *st, struct zl_sc_plan *p,
		     struct zl_error *err)
{
	int oom = 0;

	memset(p, 0, sizeof(*p));
	p->id = zl_stmt_column_int64(st, 0);
	p->title = dup(s, st, 1, &oom);
	p->year = (int)zl_stmt_column_int64(st, 2);
	p->kind = dup(s, st, 3, &oom);
	p->org = dup(s, st, 4, &oom);
	p->org_name = dup(s, st, 5, &oom);
	p->org_path = dup(s, st, 6, &oom);
	p->gov = dup(s, st, 7, &oom);
	p->gov_path = dup(s, st, 8, &oom);
	p->level = dup(s, st, 9, &oom);
	p->budget_fen = zl_stmt_column_int64(st, 10);
	p->start = dup(s, st, 11, &oom);
	p->end = dup(s, st, 12, &oom);
	p->note = dup(s, st, 13, &oom);
	if (zl_sc_status_parse(zl_stmt_column_text(st, 14), &p->status) != ZL_OK)
		return zl_error_set(err, ZL_EINTERNAL, NULL, "a plan with no known status");
	p->version = (int)zl_stmt_column_int64(st, 15);
	p->created_by = dup(s, st, 16, &oom);
	p->created_at = dup(s, st, 17, &oom);
	p->updated_by = dup(s, st, 18, &oom);
	p->updated_at = dup(s, st, 19, &oom);
	p->submitted_by = dup(s, st, 20, &oom);
	p->submitted_at = dup(s, st, 21, &oom);
	p->decided_by = dup(s, st, 22, &oom);
	p->decided_at = dup(s, st, 23, &oom);
	p->decision_note = dup(s, st, 24, &oom);
	p->nproducts_total = (size_t)zl_stmt_column_int64(st, 25);
	p->batches = zl_stmt_column_int64(st, 26);
	p->exclude_own_county = zl_stmt_column_int64(st, 27) != 0;
	return oom ? zl_error_set(err, ZL_ENOMEM, NULL, "out of memory") : ZL_OK;
}

static int cmp_id_desc(const void *a, const void *b)
{
	int64_t x = ((const struct zl_sc_plan *)a)->id, y = ((const struct zl_sc_plan *)b)->id;

	return x < y ? 1 : x > y ? -1 : 0;
}

static struct zl_sc_plan *find_plan(struct zl_sc_plan_set *s, int64_t id)
{
	struct zl_sc_plan key;

	key.id = id;
	return s->n ? bsearch(&key, s->v, s->n, sizeof(*s->v), cmp_id_desc) : NULL;
}

/*
 * The labs of the plans of the set (one plan when id > 0): two passes, to
 * size each plan's arrays, then to fill them.
 */
static int read_labs(struct zl_db *db, int64_t id, struct zl_sc_plan_set *s, struct zl_error *err)
{
	static const char *const sql[2] = {
		"SELECT l.plan_id, l.lab, COALESCE(o.name, ''), COALESCE(o.path, '')"
		" FROM spotcheck_plan_labs l LEFT JOIN orgs o ON o.code = l.lab"
		" AND o.valid_to IS NULL ORDER BY l.plan_id, l.ord",
		"SELECT l.plan_id, l.lab, COALESCE(o.name, ''), COALESCE(o.path, '')"
		" FROM spotcheck_plan_labs l LEFT JOIN orgs o ON o.code = l.lab"
		" AND o.valid_to IS NULL WHERE l.plan_id = ? ORDER BY l.ord"};
	struct zl_stmt *st;
	int rc = ZL_OK, oom = 0;

	for (int pass = 0; pass < 2 && rc == ZL_OK; pass++) {
		if ((rc = zl_db_prepare(db, sql[id > 0], &st, err)))
			return rc;
		if (id > 0)
			zl_stmt_bind_int64(st, 1, id);
		while ((rc = zl_stmt_step(st, err)) == ZL_DB_ROW) {
			struct zl_sc_plan *p = find_plan(s, zl_stmt_column_int64(st, 0));
			struct zl_sc_lab *l;

			if (p == NULL)
				continue;
			if (pass == 0) {
				p->nlabs++;
				continue;
			}
			l = &p->labs[p->nlabs];
			l->org = dup(s, st, 1, &oom);
			l->name = dup(s, st, 2, &oom);
			l->path = dup(s, st, 3, &oom);
			p->lab_paths[p->nlabs++] = l->path;
		}
		zl_stmt_reset(st);
		if (rc < 0)
			return rc;
		rc = ZL_OK;
		for (size_t i = 0; pass == 0 && i < s->n; i++) {
			struct zl_sc_plan *p = &s->v[i];

			p->labs = zl_arena_calloc(&s->arena, p->nlabs + 1, sizeof(*p->labs));
			p->lab_paths = zl_arena_calloc(&s->arena, p->nlabs + 1, sizeof(char *));
			oom |= p->labs == NULL || p->lab_paths == NULL;
			p->nlabs = 0;
		}
		if (oom)
			return zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
	}
	return rc;
}

static int read_places(struct zl_db *db, struct zl_sc_plan_set *s, struct zl_sc_plan *p,
		       struct zl_error *err)
{
	struct zl_stmt *st;
	int rc, oom = 0;

	p->places = zl_arena_calloc(&s->arena, ZL_SC_PLACES, sizeof(*p->places));
	if (p->places == NULL)
		return zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
	rc = zl_db_prepare(db,
			   "SELECT place, share, batches FROM spotcheck_plan_places"
			   " WHERE plan_id = ? ORDER BY ord",
			   &st, err);
	if (rc != ZL_OK)
		return rc;
	zl_stmt_bind_int64(st, 1, p->id);
	while ((rc = zl_stmt_step(st, err)) == ZL_DB_ROW && p->nplaces < ZL_SC_PLACES) {
		struct zl_sc_place *x = &p->places[p->nplaces++];

		x->type = dup(s, st, 0, &oom);
		x->share = zl_stmt_column_int64(st, 1);
		x->batches = zl_stmt_column_int64(st, 2);
	}
	zl_stmt_reset(st);
	if (oom)
		return zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
	return rc < 0 ? rc : ZL_OK;
}

static int read_products(struct zl_db *db, struct zl_sc_plan_set *s, struct zl_sc_plan *p,
			 struct zl_error *err)
{
	struct zl_stmt *st;
	int rc, oom = 0;

	p->products = zl_arena_calloc(&s->arena, p->nproducts_total + 1, sizeof(*p->products));
	if (p->products == NULL)
		return zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
	rc = zl_db_prepare(
		db,
		"SELECT x.product, COALESCE(c.name, ''), COALESCE(c.risk, 0),"
		" COALESCE(c.status, ''), x.lab,"
		" (SELECT count(*) FROM spotcheck_plan_quotas q WHERE q.plan_id = x.plan_id"
		" AND q.product = x.product)"
		" FROM spotcheck_plan_products x LEFT JOIN catalogue_categories c"
		" ON c.code = x.product WHERE x.plan_id = ? ORDER BY x.ord",
		&st, err);
	if (rc != ZL_OK)
		return rc;
	zl_stmt_bind_int64(st, 1, p->id);
	while ((rc = zl_stmt_step(st, err)) == ZL_DB_ROW && p->nproducts < p->nproducts_total) {
		struct zl_sc_product *x = &p->products[p->nproducts++];
		size_t nq = (size_t)zl_stmt_column_int64(st, 5);

		x->code = dup(s, st, 0, &oom);
		x->name = dup(s, st, 1, &oom);
		x->risk = (int)zl_stmt_column_int64(st, 2);
		x->status = dup(s, st, 3, &oom);
		x->lab = dup(s, st, 4, &oom);
		x->quotas = zl_arena_calloc(&s->arena, nq + 1, sizeof(*x->quotas));
		oom |= x->quotas == NULL;
	}
	zl_stmt_reset(st);
	if (oom)
		return zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
	if (rc < 0)
		return rc;
	rc = zl_db_prepare(db,
			   "SELECT q.product, q.region, COALESCE(o.name, ''), q.batches"
			   " FROM spotcheck_plan_quotas q LEFT JOIN orgs o ON o.code = q.region"
			   " AND o.valid_to IS NULL WHERE q.plan_id = ? ORDER BY q.product, q.ord",
			   &st, err);
	if (rc != ZL_OK)
		return rc;
	zl_stmt_bind_int64(st, 1, p->id);
	while ((rc = zl_stmt_step(st, err)) == ZL_DB_ROW) {
		const char *code = zl_stmt_column_text(st, 0);

		for (size_t i = 0; i < p->nproducts; i++) {
			struct zl_sc_product *x = &p->products[i];
			struct zl_sc_quota *q;

			if (strcmp(x->code, code) != 0)
				continue;
			q = &x->quotas[x->nquotas++];
			q->region = dup(s, st, 1, &oom);
			q->region_name = dup(s, st, 2, &oom);
			q->batches = zl_stmt_column_int64(st, 3);
			x->batches += q->batches;
			break;
		}
	}
	zl_stmt_reset(st);
	if (oom)
		return zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
	return rc < 0 ? rc : ZL_OK;
}

static int read_freq(struct zl_db *db, struct zl_sc_plan *p, struct zl_error *err)
{
	struct zl_stmt *st;
	int rc = zl_db_prepare(db,
			       "SELECT ent_class, risk, weight FROM spotcheck_plan_frequency"
			       " WHERE plan_id = ?",
			       &st, err);

	if (rc != ZL_OK)
		return rc;
	zl_sc_freq_default(&p->freq);
	zl_stmt_bind_int64(st, 1, p->id);
	while ((rc = zl_stmt_step(st, err)) == ZL_DB_ROW) {
		int c = 0, r = (int)zl_stmt_column_int64(st, 1);

		if (zl_sc_class_parse(zl_stmt_column_text(st, 0), &c) == ZL_OK && r >= 1 &&
		    r <= ZL_SC_RISKS)
			p->freq.w[c][r - 1] = (uint64_t)zl_stmt_column_int64(st, 2);
	}
	zl_stmt_reset(st);
	return rc < 0 ? rc : ZL_OK;
}

static int read_events(struct zl_db *db, struct zl_sc_plan_set *s, struct zl_sc_plan *p,
		       struct zl_error *err)
{
	int64_t n = 0;
	struct zl_stmt *st;
	int rc, oom = 0;

	rc = zl_store_int_by_id(db, "SELECT count(*) FROM spotcheck_plan_events WHERE plan_id = ?",
				p->id, &n, err);
	if (rc != ZL_OK)
		return rc;
	p->events = zl_arena_calloc(&s->arena, (size_t)n + 1, sizeof(*p->events));
	if (p->events == NULL)
		return zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
	rc = zl_db_prepare(db,
			   "SELECT seq, action, from_status, to_status, actor, org, acted_at, note"
			   " FROM spotcheck_plan_events WHERE plan_id = ? ORDER BY seq",
			   &st, err);
	if (rc != ZL_OK)
		return rc;
	zl_stmt_bind_int64(st, 1, p->id);
	while ((rc = zl_stmt_step(st, err)) == ZL_DB_ROW && p->nevents < (size_t)n) {
		struct zl_sc_event *e = &p->events[p->nevents++];

		e->seq = (int)zl_stmt_column_int64(st, 0);
		e->action = dup(s, st, 1, &oom);
		e->from = dup(s, st, 2, &oom);
		e->to = dup(s, st, 3, &oom);
		e->actor = dup(s, st, 4, &oom);
		e->org = dup(s, st, 5, &oom);
		e->at = dup(s, st, 6, &oom);
		e->note = dup(s, st, 7, &oom);
	}
	zl_stmt_reset(st);
	if (oom)
		return zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
	return rc < 0 ? rc : ZL_OK;
}

int zl_store_sc_plan_get(struct zl_db *db, int64_t id, struct zl_sc_plan_set *set,
			 struct zl_error *err)
{
	struct zl_sc_plan *p;
	struct zl_stmt *st;
	int rc;

	set->v = p = zl_arena_calloc(&set->arena, 1, sizeof(*p));
	set->n = 0;
	if (p == NULL)
		return zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
	rc = zl_db_prepare(db, "SELECT " PLAN_COLS PLAN_FROM " WHERE p.id = ?", &st, err);
	if (rc != ZL_OK)
		return rc;
	zl_stmt_bind_int64(st, 1, id);
	rc = zl_stmt_step(st, err);
	if (rc == ZL_DB_ROW)
		rc = read_plan(set, st, p, err);
	else if (rc == ZL_DB_DONE)
		rc = zl_error_set(err, ZL_ENOTFOUND, "id", "no plan %lld", (long long)id);
	zl_stmt_reset(st);
	if (rc != ZL_OK)
		return rc;
	set->n = 1;
	if ((rc = read_labs(db, id, set, err)) || (rc = read_places(db, set, p, err)) ||
	    (rc = read_products(db, set, p, err)) || (rc = read_freq(db, p, err)) ||
	    (rc = read_events(db, set, p, err)))
		set->n = 0;
	return rc;
}

int zl_store_sc_plan_list(struct zl_db *db, const struct zl_sc_plan_filter *f,
			  struct zl_sc_plan_set *set, struct zl_error *err)
{
	struct zl_buf sql = ZL_BUF_INIT(4096), like = ZL_BUF_INIT(1024);
	struct zl_sc_plan *v = NULL;
	size_t cap = 0;
	struct zl_stmt *st;
	int rc, i = 1, oom = 0;

	set->v = NULL;
	set->n = 0;
	zl_buf_adds(&sql, "SELECT " PLAN_COLS PLAN_FROM " WHERE 1 = 1");
	if (f->year > 0)
		zl_buf_adds(&sql, " AND p.year = ?");
	if (given(f->kind))
		zl_buf_adds(&sql, " AND p.kind = ?");
	if (given(f->level))
		zl_buf_adds(&sql, " AND p.level = ?");
	if (f->status >= 0)
		zl_buf_adds(&sql, " AND p.status = ?");
	if (f->open_only)
		zl_buf_adds(&sql, " AND p.status <> 'finished'");
	if (given(f->org))
		zl_buf_adds(&sql, " AND p.org = ?");
	if (given(f->q)) {
		zl_buf_adds(&sql, " AND lower(p.title) LIKE lower(?) ESCAPE '\\'");
		zl_store_like_contains(&like, f->q);
	}
	zl_buf_adds(&sql, " ORDER BY p.id DESC");
	if (sql.err || like.err) {
		rc = zl_error_set(err, ZL_EINVAL, "q", "the filter is too long");
		goto out;
	}
	rc = zl_db_prepare(db, zl_buf_str(&sql), &st, err);
	if (rc != ZL_OK)
		goto out;
	if (f->year > 0)
		zl_stmt_bind_int64(st, i++, f->year);
	if (given(f->kind))
		zl_stmt_bind_text(st, i++, f->kind, -1);
	if (given(f->level))
		zl_stmt_bind_text(st, i++, f->level, -1);
	if (f->status >= 0)
		zl_stmt_bind_text(st, i++, zl_sc_status_name(f->status), -1);
	if (given(f->org))
		zl_stmt_bind_text(st, i++, f->org, -1);
	if (given(f->q))
		zl_stmt_bind_text(st, i++, zl_buf_str(&like), -1);
	while ((rc = zl_stmt_step(st, err)) == ZL_DB_ROW) {
		ZL_PLAN_GROW(v, set->n, cap, oom);
		if (oom) {
			rc = zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
			break;
		}
		rc = read_plan(set, st, &v[set->n], err);
		if (rc != ZL_OK)
			break;
		set->n++;
	}
	zl_stmt_reset(st);
	if (rc < 0)
		goto out;
	rc = ZL_OK;
	if (set->n > 0) {
		set->v = zl_arena_calloc(&set->arena, set->n, sizeof(*v));
		if (set->v == NULL) {
			rc = zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
			goto out;
		}
		memcpy(set->v, v, set->n * sizeof(*v));
		rc = read_labs(db, 0, set, err);
	}
out:
	if (rc != ZL_OK) {
		set->v = NULL;
		set->n = 0;
	}
	free(v);
	zl_buf_release(&sql);
	zl_buf_release(&like);
	return rc;
}
