/*
 * catalogue.c - the key-product catalogue's store (store/catalogue.h):
 * loading categories with their industries, standards and items, the
 * writes with their checks against the tree, the versions kept as JSON
 * snapshots, and the seed from codes/catalogue.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codes/catalogue.h"
#include "codes/industry.h"
#include "core/buf.h"
#include "core/timeutil.h"
#include "store/catalogue.h"
#include "store/plan_internal.h"
#include "store/query.h"

#define CAT_COLS                                                                                   \
	"code, COALESCE(parent, ''), name, risk, key_supervised, key_from, key_to, note, status,"  \
	" retired_on, version, created_by, created_at, updated_by, updated_at"

static int given(const char *s)
{
	return s != NULL && *s != '\0';
}

void zl_cat_set_init(struct zl_cat_set *s)
{
	memset(s, 0, sizeof(*s));
	zl_arena_init(&s->arena, (size_t)64 << 20);
}

void zl_cat_set_release(struct zl_cat_set *s)
{
	zl_arena_release(&s->arena);
	s->v = NULL;
	s->n = 0;
}

static int cmp_code(const void *a, const void *b)
{
	return strcmp(((const struct zl_cat *)a)->code, ((const struct zl_cat *)b)->code);
}

const struct zl_cat *zl_cat_set_find(const struct zl_cat_set *s, const char *code)
{
	struct zl_cat key = {0};

	if (s->n == 0 || code == NULL)
		return NULL;
	key.code = code;
	return bsearch(&key, s->v, s->n, sizeof(*s->v), cmp_code);
}

/* ---- loading -------------------------------------------------------------------------------- */

/* A text column copied into the set's arena ("" for NULL); NULL when out of memory. */
static const char *col(struct zl_cat_set *s, struct zl_stmt *st, int c)
{
	return zl_arena_strdup(&s->arena, zl_stmt_column_text(st, c));
}

static int read_cats(struct zl_db *db, const char *code, struct zl_cat_set *s, size_t *cap,
		     struct zl_error *err)
{
	struct zl_stmt *st;
	int rc, oom = 0;

	rc = zl_db_prepare(db,
			   code ? "SELECT " CAT_COLS " FROM catalogue_categories WHERE code = ?"
				: "SELECT " CAT_COLS " FROM catalogue_categories",
			   &st, err);
	if (rc != ZL_OK)
		return rc;
	if (code)
		zl_stmt_bind_text(st, 1, code, -1);
	while ((rc = zl_stmt_step(st, err)) == ZL_DB_ROW) {
		struct zl_cat *c;

		ZL_PLAN_GROW(s->v, s->n, *cap, oom);
		if (oom)
			break;
		c = &s->v[s->n++];
		memset(c, 0, sizeof(*c));
		c->code = col(s, st, 0);
		c->parent = col(s, st, 1);
		c->name = col(s, st, 2);
		c->risk = (int)zl_stmt_column_int64(st, 3);
		c->key_supervised = (int)zl_stmt_column_int64(st, 4);
		c->key_from = (int)zl_stmt_column_int64(st, 5);
		c->key_to = (int)zl_stmt_column_int64(st, 6);
		c->note = col(s, st, 7);
		c->status = col(s, st, 8);
		c->retired_on = col(s, st, 9);
		c->version = (int)zl_stmt_column_int64(st, 10);
		c->created_by = col(s, st, 11);
		c->created_at = col(s, st, 12);
		c->updated_by = col(s, st, 13);
		c->updated_at = col(s, st, 14);
		if (!c->code || !c->parent || !c->name || !c->note || !c->status ||
		    !c->retired_on || !c->created_by || !c->created_at || !c->updated_by ||
		    !c->updated_at) {
			oom = 1;
			break;
		}
	}
	zl_stmt_reset(st);
	if (oom)
		return zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
	return rc < 0 ? rc : ZL_OK;
}

/* Which child table a pass reads. */
enum part { PART_INDUSTRY, PART_STANDARD, PART_ITEM };

static const char *const part_sql[3][2] = {
	{"SELECT code, industry FROM catalogue_industries ORDER BY code, ord",
	 "SELECT code, industry FROM catalogue_industries WHERE code = ? ORDER BY ord"},
	{"SELECT code, number, year, title FROM catalogue_standards ORDER BY code, ord",
	 "SELECT code, number, year, title FROM catalogue_standards WHERE code = ? ORDER BY ord"},
	{"SELECT code, name, unit, limit_min, limit_max, limit_text, method, severity"
	 " FROM catalogue_items ORDER BY code, ord",
	 "SELECT code, name, unit, limit_min, limit_max, limit_text, method, severity"
	 " FROM catalogue_items WHERE code = ? ORDER BY ord"},
};

/*
 * Count the child rows of each category, give each its array, then fill
 * them: two passes over the same query (rows of one code are adjacent in
 * any collation, in `ord` order).
 */
static int read_part(struct zl_db *db, const char *code, enum part part, struct zl_cat_set *s,
		     struct zl_error *err)
{
	struct zl_stmt *st;
	int rc = ZL_OK;

	for (int pass = 0; pass < 2 && rc == ZL_OK; pass++) {
		struct zl_cat *c = NULL;
		char last[ZL_CAT_CODE_MAX + 1] = "";

		rc = zl_db_prepare(db, part_sql[part][code != NULL], &st, err);
		if (rc != ZL_OK)
			return rc;
		if (code)
			zl_stmt_bind_text(st, 1, code, -1);
		while ((rc = zl_stmt_step(st, err)) == ZL_DB_ROW) {
			const char *k = zl_stmt_column_text(st, 0);

			if (strcmp(k, last) != 0) {
				c = (struct zl_cat *)zl_cat_set_find(s, k);
				zl_strlcpy(last, k, sizeof(last));
			}
			if (c == NULL)
				continue;
			if (pass == 0) {
				/* Count into the fields that will hold the arrays' lengths. */
				c->nindustries += part == PART_INDUSTRY;
				c->nstandards += part == PART_STANDARD;
				c->nitems += part == PART_ITEM;
				continue;
			}
			if (part == PART_INDUSTRY) {
				c->industries[c->nindustries++] = col(s, st, 1);
			} else if (part == PART_STANDARD) {
				struct zl_cat_std *x = &c->standards[c->nstandards++];

				x->number = col(s, st, 1);
				x->year = (int)zl_stmt_column_int64(st, 2);
				x->title = col(s, st, 3);
			} else {
				struct zl_cat_item *x = &c->items[c->nitems++];

				x->name = col(s, st, 1);
				x->unit = col(s, st, 2);
				x->has_min = !zl_stmt_column_is_null(st, 3);
				x->has_max = !zl_stmt_column_is_null(st, 4);
				x->min = x->has_min ? zl_stmt_column_double(st, 3) : 0;
				x->max = x->has_max ? zl_stmt_column_double(st, 4) : 0;
				x->text = col(s, st, 5);
				x->method = col(s, st, 6);
				x->severity = col(s, st, 7);
			}
		}
		zl_stmt_reset(st);
		if (rc < 0)
			return rc;
		rc = ZL_OK;
		if (pass == 1)
			break;
		/* Arrays of the counted sizes; the counts restart as fill positions. */
		for (size_t i = 0; i < s->n; i++) {
			struct zl_cat *x = &s->v[i];
			size_t n = part == PART_INDUSTRY   ? x->nindustries
				   : part == PART_STANDARD ? x->nstandards
							   : x->nitems;
			void *a = NULL;

			if (n == 0)
				continue;
			if (part == PART_INDUSTRY)
				a = x->industries = zl_arena_calloc(&s->arena, n, sizeof(char *));
			else if (part == PART_STANDARD)
				a = x->standards =
					zl_arena_calloc(&s->arena, n, sizeof(*x->standards));
			else
				a = x->items = zl_arena_calloc(&s->arena, n, sizeof(*x->items));
			if (a == NULL)
				return zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
			if (part == PART_INDUSTRY)
				x->nindustries = 0;
			else if (part == PART_STANDARD)
				x->nstandards = 0;
			else
				x->nitems = 0;
		}
	}
	return rc;
}

/* Depth and number of children of every category of a whole set. */
static void tree_facts(struct zl_cat_set *s)
{
	for (size_t i = 0; i < s->n; i++) {
		struct zl_cat *c = &s->v[i];
		const struct zl_cat *p = c;
		int depth = 1;

		while (given(p->parent) && depth <= ZL_CAT_DEPTH_MAX + 1) {
			const struct zl_cat *up = zl_cat_set_find(s, p->parent);

			if (up == NULL)
				break;
			if (p == c)
				((struct zl_cat *)up)->children++;
			p = up;
			depth++;
		}
		c->depth = depth;
	}
}

int zl_store_cat_load(struct zl_db *db, const char *code, struct zl_cat_set *set,
		      struct zl_error *err)
{
	struct zl_cat *heap = NULL;
	size_t cap = 0;
	int rc;

	set->v = NULL;
	set->n = 0;
	rc = read_cats(db, code, set, &cap, err);
	/* Move the rows into the arena: the set owns nothing else. */
	heap = set->v;
	if (rc == ZL_OK && set->n > 0) {
		set->v = zl_arena_calloc(&set->arena, set->n, sizeof(*set->v));
		if (set->v == NULL)
			rc = zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
		else
			memcpy(set->v, heap, set->n * sizeof(*set->v));
	}
	free(heap);
	if (rc == ZL_OK && code != NULL && set->n == 0)
		rc = zl_error_set(err, ZL_ENOTFOUND, "code", "no catalogue category %.40s", code);
	if (rc == ZL_OK && set->n > 1)
		qsort(set->v, set->n, sizeof(*set->v), cmp_code);
	for (int part = 0; rc == ZL_OK && part < 3; part++)
		rc = read_part(db, code, (enum part)part, set, err);
	if (rc == ZL_OK && code == NULL)
		tree_facts(set);
	if (rc != ZL_OK) {
		set->v = NULL;
		set->n = 0;
	}
	return rc;
}

int zl_store_cat_status(struct zl_db *db, const char *code, char status[16], int *risk,
			struct zl_error *err)
{
	struct zl_stmt *st;
	int rc = zl_db_prepare(db, "SELECT status, risk FROM catalogue_categories WHERE code = ?",
			       &st, err);

	if (rc != ZL_OK)
		return rc;
	zl_stmt_bind_text(st, 1, code, -1);
	rc = zl_stmt_step(st, err);
	if (rc == ZL_DB_ROW) {
		zl_store_col_text(st, 0, status, 16);
		*risk = (int)zl_stmt_column_int64(st, 1);
		rc = ZL_OK;
	} else if (rc == ZL_DB_DONE) {
		rc = ZL_ENOTFOUND;
	}
	zl_stmt_reset(st);
	return rc;
}

/* ---- JSON ----------------------------------------------------------------------------------- */

void zl_cat_write_json(struct zl_jw *w, const struct zl_cat *c)
{
	zl_jw_obj_begin(w);
	zl_cat_write_members(w, c);
	zl_jw_obj_end(w);
}

void zl_cat_write_members(struct zl_jw *w, const struct zl_cat *c)
{
	zl_jw_kstr(w, "code", c->code);
	zl_jw_kstr(w, "parent", given(c->parent) ? c->parent : NULL);
	zl_jw_kstr(w, "name", c->name);
	zl_jw_kstr(w, "risk", zl_risk_name(c->risk));
	zl_jw_kbool(w, "key_supervised", c->key_supervised);
	zl_jw_key(w, "key_from");
	if (c->key_from)
		zl_jw_int(w, c->key_from);
	else
		zl_jw_null(w);
	zl_jw_key(w, "key_to");
	if (c->key_to)
		zl_jw_int(w, c->key_to);
	else
		zl_jw_null(w);
	zl_jw_kstr(w, "note", c->note);
	zl_jw_kstr(w, "status", c->status);
	zl_jw_kstr(w, "retired_on", given(c->retired_on) ? c->retired_on : NULL);
	zl_jw_kint(w, "version", c->version);
	zl_jw_key(w, "industries");
	zl_jw_arr_begin(w);
	for (size_t i = 0; i < c->nindustries; i++) {
		const struct zl_industry_division *d = zl_industry_find(c->industries[i]);

		zl_jw_obj_begin(w);
		zl_jw_kstr(w, "code", c->industries[i]);
		zl_jw_kstr(w, "division", d ? d->name : NULL);
		zl_jw_obj_end(w);
	}
	zl_jw_arr_end(w);
	zl_jw_key(w, "standards");
	zl_jw_arr_begin(w);
	for (size_t i = 0; i < c->nstandards; i++) {
		zl_jw_obj_begin(w);
		zl_jw_kstr(w, "number", c->standards[i].number);
		zl_jw_key(w, "year");
		if (c->standards[i].year)
			zl_jw_int(w, c->standards[i].year);
		else
			zl_jw_null(w);
		zl_jw_kstr(w, "title", c->standards[i].title);
		zl_jw_obj_end(w);
	}
	zl_jw_arr_end(w);
	zl_jw_key(w, "items");
	zl_jw_arr_begin(w);
	for (size_t i = 0; i < c->nitems; i++) {
		const struct zl_cat_item *x = &c->items[i];

		zl_jw_obj_begin(w);
		zl_jw_kstr(w, "name", x->name);
		zl_jw_kstr(w, "unit", given(x->unit) ? x->unit : NULL);
		zl_jw_key(w, "min");
		if (x->has_min)
			zl_jw_double(w, x->min);
		else
			zl_jw_null(w);
		zl_jw_key(w, "max");
		if (x->has_max)
			zl_jw_double(w, x->max);
		else
			zl_jw_null(w);
		zl_jw_kstr(w, "text", given(x->text) ? x->text : NULL);
		zl_jw_kstr(w, "method", given(x->method) ? x->method : NULL);
		zl_jw_kstr(w, "severity", x->severity);
		zl_jw_obj_end(w);
	}
	zl_jw_arr_end(w);
}

/* ---- writing -------------------------------------------------------------------------------- */

/* Prepare `sql` and bind the category's code as ?1, a position as ?2 and a text as ?3. */
static int part_stmt(struct zl_db *db, const char *sql, const char *code, size_t ord,
		     const char *text, struct zl_stmt **st, struct zl_error *err)
{
	int rc = zl_db_prepare(db, sql, st, err);

	if (rc != ZL_OK)
		return rc;
	zl_stmt_bind_text(*st, 1, code, -1);
	zl_stmt_bind_int64(*st, 2, (int64_t)ord);
	zl_stmt_bind_text(*st, 3, text, -1);
	return ZL_OK;
}

/* The category's child rows, replaced by those of `in`. */
static int write_parts(struct zl_db *db, const struct zl_cat_in *in, struct zl_error *err)
{
	static const char *const del[] = {"DELETE FROM catalogue_industries WHERE code = ?",
					  "DELETE FROM catalogue_standards WHERE code = ?",
					  "DELETE FROM catalogue_items WHERE code = ?"};
	struct zl_stmt *st;
	int rc = ZL_OK;

	for (size_t k = 0; k < 3 && rc == ZL_OK; k++) {
		rc = zl_db_prepare(db, del[k], &st, err);
		if (rc == ZL_OK) {
			zl_stmt_bind_text(st, 1, in->code, -1);
			rc = zl_store_run(st, err);
		}
	}
	for (size_t i = 0; i < in->nindustries && rc == ZL_OK; i++) {
		rc = part_stmt(db,
			       "INSERT INTO catalogue_industries (code, ord, industry, edition)"
			       " VALUES (?, ?, ?, ?)",
			       in->code, i, in->industries[i], &st, err);
		if (rc != ZL_OK)
			break;
		zl_stmt_bind_text(st, 4, zl_industry_edition(), -1);
		rc = zl_store_run(st, err);
	}
	for (size_t i = 0; i < in->nstandards && rc == ZL_OK; i++) {
		rc = part_stmt(db,
			       "INSERT INTO catalogue_standards (code, ord, number, year, title)"
			       " VALUES (?, ?, ?, ?, ?)",
			       in->code, i, in->standards[i].number, &st, err);
		if (rc != ZL_OK)
			break;
		zl_stmt_bind_int64(st, 4, in->standards[i].year);
		zl_stmt_bind_text(st, 5, in->standards[i].title, -1);
		rc = zl_store_run(st, err);
	}
	for (size_t i = 0; i < in->nitems && rc == ZL_OK; i++) {
		const struct zl_cat_item_in *x = &in->items[i];

		rc = part_stmt(db,
			       "INSERT INTO catalogue_items (code, ord, name, unit, limit_min,"
			       " limit_max, limit_text, method, severity)"
			       " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
			       in->code, i, x->name, &st, err);
		if (rc != ZL_OK)
			break;
		zl_stmt_bind_text(st, 4, given(x->unit) ? x->unit : "", -1);
		if (x->has_min)
			zl_stmt_bind_double(st, 5, x->min);
		else
			zl_stmt_bind_null(st, 5);
		if (x->has_max)
			zl_stmt_bind_double(st, 6, x->max);
		else
			zl_stmt_bind_null(st, 6);
		zl_stmt_bind_text(st, 7, given(x->text) ? x->text : "", -1);
		zl_stmt_bind_text(st, 8, given(x->method) ? x->method : "", -1);
		zl_stmt_bind_text(st, 9, x->severity, -1);
		rc = zl_store_run(st, err);
	}
	return rc;
}

/* Store the category as it now is as version `version` with `action`. */
static int save_version(struct zl_db *db, const char *code, const char *action,
			const struct zl_plan_actor *who, const char *now, struct zl_error *err)
{
	struct zl_buf b = ZL_BUF_INIT(1 << 20);
	struct zl_cat_set set;
	struct zl_stmt *st;
	struct zl_jw w;
	int rc;

	zl_cat_set_init(&set);
	rc = zl_store_cat_load(db, code, &set, err);
	if (rc == ZL_OK) {
		zl_jw_init(&w, &b);
		zl_cat_write_json(&w, &set.v[0]);
		if (zl_jw_error(&w) || b.err)
			rc = zl_error_set(err, ZL_ETOOBIG, NULL, "the category is too large");
	}
	if (rc == ZL_OK)
		rc = zl_db_prepare(
			db,
			"INSERT INTO catalogue_versions (code, version, action, changed_by,"
			" changed_at, snapshot) VALUES (?, ?, ?, ?, ?, ?)",
			&st, err);
	if (rc == ZL_OK) {
		zl_stmt_bind_text(st, 1, code, -1);
		zl_stmt_bind_int64(st, 2, set.v[0].version);
		zl_stmt_bind_text(st, 3, action, -1);
		zl_stmt_bind_text(st, 4, who->user, -1);
		zl_stmt_bind_text(st, 5, now, -1);
		zl_stmt_bind_text(st, 6, zl_buf_str(&b), -1);
		rc = zl_store_run(st, err);
	}
	zl_cat_set_release(&set);
	zl_buf_release(&b);
	return rc;
}

/*
 * The tree rules for `in` against the catalogue `s` as it is: the parent
 * exists and is active, `in->code` is not its ancestor, and the deepest
 * category of in->code's subtree stays within ZL_CAT_DEPTH_MAX levels.
 */
static int tree_check(const struct zl_cat_set *s, const struct zl_cat_in *in, struct zl_error *err)
{
	const struct zl_cat *p;
	int depth = 1, below = 0;

	if (!given(in->parent))
		goto subtree;
	p = zl_cat_set_find(s, in->parent);
	if (p == NULL)
		return zl_error_set(err, ZL_EUNPROC, "parent", "parent: no category %s",
				    in->parent);
	if (strcmp(p->status, "active") != 0)
		return zl_error_set(err, ZL_EUNPROC, "parent", "parent: %s is retired", p->code);
	for (const struct zl_cat *up = p; up != NULL;
	     up = given(up->parent) ? zl_cat_set_find(s, up->parent) : NULL) {
		if (strcmp(up->code, in->code) == 0)
			return zl_error_set(err, ZL_EUNPROC, "parent",
					    "parent: %s lies under %s (a cycle)", in->parent,
					    in->code);
		if (++depth > ZL_CAT_DEPTH_MAX + 1)
			break;
	}
subtree:
	/* The levels below in->code: a category's depth minus in->code's old depth. */
	for (size_t i = 0; i < s->n; i++) {
		const struct zl_cat *c = &s->v[i];
		int d = 0;

		for (const struct zl_cat *up = c; up != NULL && d <= ZL_CAT_DEPTH_MAX;
		     up = given(up->parent) ? zl_cat_set_find(s, up->parent) : NULL, d++) {
			if (strcmp(up->code, in->code) == 0) {
				if (d > below)
					below = d;
				break;
			}
		}
	}
	if (depth + below > ZL_CAT_DEPTH_MAX)
		return zl_error_set(err, ZL_EUNPROC, "parent",
				    "the catalogue is at most %d levels deep", ZL_CAT_DEPTH_MAX);
	return ZL_OK;
}

/* Bind the category's own members to `st` from position 1: parent .. note. */
static int bind_members(struct zl_stmt *st, const struct zl_cat_in *in)
{
	if (given(in->parent))
		zl_stmt_bind_text(st, 1, in->parent, -1);
	else
		zl_stmt_bind_null(st, 1);
	zl_stmt_bind_text(st, 2, in->name, -1);
	zl_stmt_bind_int64(st, 3, in->risk);
	zl_stmt_bind_int64(st, 4, in->key_supervised ? 1 : 0);
	zl_stmt_bind_int64(st, 5, in->key_supervised ? in->key_from : 0);
	zl_stmt_bind_int64(st, 6, in->key_supervised ? in->key_to : 0);
	zl_stmt_bind_text(st, 7, given(in->note) ? in->note : "", -1);
	return 8;
}

static int create_locked(struct zl_db *db, const struct zl_cat_in *in,
			 const struct zl_plan_actor *who, const char *action,
			 const struct zl_cat_set *s, struct zl_error *err)
{
	char now[32];
	struct zl_stmt *st;
	int rc, i;

	zl_plan_now(who, now);
	if (zl_cat_set_find(s, in->code))
		return zl_error_set(err, ZL_ECONFLICT, "code", "category %s exists", in->code);
	if ((rc = tree_check(s, in, err)) != ZL_OK)
		return rc;
	rc = zl_db_prepare(db,
			   "INSERT INTO catalogue_categories (parent, name, risk, key_supervised,"
			   " key_from, key_to, note, code, created_by, created_at, updated_by,"
			   " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
			   &st, err);
	if (rc != ZL_OK)
		return rc;
	i = bind_members(st, in);
	zl_stmt_bind_text(st, i++, in->code, -1);
	zl_stmt_bind_text(st, i++, who->user, -1);
	zl_stmt_bind_text(st, i++, now, -1);
	zl_stmt_bind_text(st, i++, who->user, -1);
	zl_stmt_bind_text(st, i, now, -1);
	rc = zl_store_run(st, err);
	if (rc == ZL_ECONFLICT)
		return zl_error_set(err, ZL_ECONFLICT, "code", "category %s exists", in->code);
	if (rc == ZL_OK)
		rc = write_parts(db, in, err);
	if (rc == ZL_OK)
		rc = save_version(db, in->code, action, who, now, err);
	return rc;
}

int zl_store_cat_create(struct zl_db *db, const struct zl_cat_in *in,
			const struct zl_plan_actor *who, struct zl_error *err)
{
	struct zl_cat_set s;
	int rc, own = 0;

	if ((rc = zl_plan_actor_check(who, err)) || (rc = zl_cat_in_check(in, err)))
		return rc;
	zl_cat_set_init(&s);
	rc = zl_plan_tx_begin(db, &own, err);
	if (rc == ZL_OK) {
		rc = zl_store_cat_load(db, NULL, &s, err);
		if (rc == ZL_OK)
			rc = create_locked(db, in, who, "create", &s, err);
		rc = zl_plan_tx_end(db, own, rc, err);
	}
	zl_cat_set_release(&s);
	return rc;
}

/* Active children of `code` in the set. */
static size_t active_children(const struct zl_cat_set *s, const char *code)
{
	size_t n = 0;

	for (size_t i = 0; i < s->n; i++)
		n += strcmp(s->v[i].parent, code) == 0 && strcmp(s->v[i].status, "active") == 0;
	return n;
}

int zl_store_cat_update(struct zl_db *db, const struct zl_cat_in *in, const char *status,
			int expect_version, const struct zl_plan_actor *who, struct zl_error *err)
{
	const struct zl_cat *cur;
	const char *action = "update", *new_status;
	struct zl_cat_set s;
	char now[32];
	struct zl_stmt *st;
	int rc, own = 0, i;

	if ((rc = zl_plan_actor_check(who, err)) || (rc = zl_cat_in_check(in, err)))
		return rc;
	if (status != NULL && strcmp(status, "active") != 0 && strcmp(status, "retired") != 0)
		return zl_error_set(err, ZL_EUNPROC, "status",
				    "status must be one of active, retired");
	zl_plan_now(who, now);
	zl_cat_set_init(&s);
	rc = zl_plan_tx_begin(db, &own, err);
	if (rc != ZL_OK)
		goto done;
	if ((rc = zl_store_cat_load(db, NULL, &s, err)) != ZL_OK)
		goto out;
	cur = zl_cat_set_find(&s, in->code);
	if (cur == NULL) {
		rc = zl_error_set(err, ZL_ENOTFOUND, "code", "no catalogue category %s", in->code);
		goto out;
	}
	if (expect_version > 0 && cur->version != expect_version) {
		rc = zl_error_set(err, ZL_ECONFLICT, "version",
				  "category %s is at version %d, not %d: reload it", in->code,
				  cur->version, expect_version);
		goto out;
	}
	new_status = status != NULL ? status : cur->status;
	if (strcmp(new_status, cur->status) != 0)
		action = strcmp(new_status, "retired") == 0 ? "retire" : "reinstate";
	if (strcmp(new_status, "retired") == 0 && active_children(&s, in->code) > 0) {
		rc = zl_error_set(err, ZL_ECONFLICT, "status",
				  "category %s has active categories under it: retire them first",
				  in->code);
		goto out;
	}
	/* A retired category keeps its parent; an active one needs an active parent. */
	if (strcmp(new_status, "active") == 0 || strcmp(in->parent ? in->parent : "", cur->parent))
		if ((rc = tree_check(&s, in, err)) != ZL_OK)
			goto out;
	rc = zl_db_prepare(db,
			   "UPDATE catalogue_categories SET parent = ?, name = ?, risk = ?,"
			   " key_supervised = ?, key_from = ?, key_to = ?, note = ?, status = ?,"
			   " retired_on = ?, version = version + 1, updated_by = ?, updated_at = ?"
			   " WHERE code = ?",
			   &st, err);
	if (rc != ZL_OK)
		goto out;
	i = bind_members(st, in);
	zl_stmt_bind_text(st, i++, new_status, -1);
	zl_stmt_bind_text(st, i++,
			  strcmp(new_status, "retired") != 0	? ""
			  : strcmp(cur->status, "retired") == 0 ? cur->retired_on
								: who->today,
			  -1);
	zl_stmt_bind_text(st, i++, who->user, -1);
	zl_stmt_bind_text(st, i++, now, -1);
	zl_stmt_bind_text(st, i, in->code, -1);
	rc = zl_store_run(st, err);
	if (rc == ZL_OK)
		rc = write_parts(db, in, err);
	if (rc == ZL_OK)
		rc = save_version(db, in->code, action, who, now, err);
out:
	rc = zl_plan_tx_end(db, own, rc, err);
done:
	zl_cat_set_release(&s);
	return rc;
}

int zl_cat_input_of(struct zl_arena *a, const struct zl_cat *c, struct zl_cat_in *in,
		    struct zl_error *err)
{
	struct zl_cat_std_in *std = zl_arena_calloc(a, c->nstandards + 1, sizeof(*std));
	struct zl_cat_item_in *it = zl_arena_calloc(a, c->nitems + 1, sizeof(*it));

	if (std == NULL || it == NULL)
		return zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
	memset(in, 0, sizeof(*in));
	in->code = c->code;
	in->parent = c->parent;
	in->name = c->name;
	in->risk = c->risk;
	in->key_supervised = c->key_supervised;
	in->key_from = c->key_from;
	in->key_to = c->key_to;
	in->note = c->note;
	in->industries = c->industries;
	in->nindustries = c->nindustries;
	for (size_t i = 0; i < c->nstandards; i++)
		std[i] = (struct zl_cat_std_in){c->standards[i].number, c->standards[i].year,
						c->standards[i].title};
	for (size_t i = 0; i < c->nitems; i++) {
		const struct zl_cat_item *x = &c->items[i];

		it[i] = (struct zl_cat_item_in){x->name, x->unit, x->has_min, x->has_max, x->min,
						x->max,	 x->text, x->method,  x->severity};
	}
	in->standards = std;
	in->nstandards = c->nstandards;
	in->items = it;
	in->nitems = c->nitems;
	return ZL_OK;
}

int zl_store_cat_retire(struct zl_db *db, const char *code, const struct zl_plan_actor *who,
			struct zl_error *err)
{
	struct zl_cat_set s;
	struct zl_cat_in in;
	int rc, own = 0;

	zl_cat_set_init(&s);
	rc = zl_plan_tx_begin(db, &own, err);
	if (rc != ZL_OK)
		goto done;
	rc = zl_store_cat_load(db, code, &s, err);
	if (rc == ZL_OK && strcmp(s.v[0].status, "retired") == 0)
		rc = zl_error_set(err, ZL_ECONFLICT, "status", "category %s is retired already",
				  code);
	if (rc == ZL_OK)
		rc = zl_cat_input_of(&s.arena, &s.v[0], &in, err);
	if (rc == ZL_OK)
		rc = zl_store_cat_update(db, &in, "retired", 0, who, err);
	rc = zl_plan_tx_end(db, own, rc, err);
done:
	zl_cat_set_release(&s);
	return rc;
}

int zl_store_cat_versions(struct zl_db *db, const char *code, zl_cat_version_fn *fn, void *cls,
			  struct zl_error *err)
{
	struct zl_cat_version v;
	struct zl_stmt *st;
	int64_t n = 0;
	int rc, cb = 0;

	rc = zl_store_int_by_key(db, "SELECT count(*) FROM catalogue_categories WHERE code = ?",
				 code, &n, err);
	if (rc != ZL_OK)
		return rc;
	if (n == 0)
		return zl_error_set(err, ZL_ENOTFOUND, "code", "no catalogue category %.40s", code);
	rc = zl_db_prepare(db,
			   "SELECT version, action, changed_by, changed_at, snapshot"
			   " FROM catalogue_versions WHERE code = ? ORDER BY version DESC",
			   &st, err);
	if (rc != ZL_OK)
		return rc;
	zl_stmt_bind_text(st, 1, code, -1);
	while ((rc = zl_stmt_step(st, err)) == ZL_DB_ROW) {
		v.version = (int)zl_stmt_column_int64(st, 0);
		v.action = zl_stmt_column_text(st, 1);
		v.changed_by = zl_stmt_column_text(st, 2);
		v.changed_at = zl_stmt_column_text(st, 3);
		v.snapshot = zl_stmt_column_text(st, 4);
		if ((cb = fn(cls, &v)) != 0)
			break;
	}
	zl_stmt_reset(st);
	return cb != 0 ? cb : rc < 0 ? rc : ZL_OK;
}

/* ---- the seed ------------------------------------------------------------------------------- */

/* One seed category as the input of create (arrays in `a`). */
static int seed_input(struct zl_arena *a, const struct zl_cat_seed *c, struct zl_cat_in *in,
		      struct zl_error *err)
{
	size_t ns = 0, ni = 0, nind = 0;
	const char **ind = zl_arena_calloc(a, ZL_CAT_INDUSTRIES_MAX, sizeof(*ind));
	struct zl_cat_std_in *std = zl_arena_calloc(a, ZL_CAT_STANDARDS_MAX, sizeof(*std));
	struct zl_cat_item_in *it = zl_arena_calloc(a, ZL_CAT_ITEMS_MAX, sizeof(*it));
	char *list = zl_arena_strdup(a, c->industries);

	if (!ind || !std || !it || !list)
		return zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
	memset(in, 0, sizeof(*in));
	in->code = c->code;
	in->parent = c->parent;
	in->name = c->name;
	in->risk = c->risk;
	in->key_supervised = c->key_from > 0;
	in->key_from = c->key_from;
	in->key_to = c->key_to;
	in->note = c->note;
	for (char *p = list; *p && nind < ZL_CAT_INDUSTRIES_MAX;) {
		char *bar = strchr(p, '|');

		ind[nind++] = p;
		if (bar == NULL)
			break;
		*bar = '\0';
		p = bar + 1;
	}
	for (size_t j = 0; j < zl_cat_seed_std_count() && ns < ZL_CAT_STANDARDS_MAX; j++) {
		const struct zl_cat_seed_std *x = zl_cat_seed_std_at(j);

		if (strcmp(x->code, c->code) == 0)
			std[ns++] = (struct zl_cat_std_in){x->number, x->year, x->title};
	}
	for (size_t j = 0; j < zl_cat_seed_item_count() && ni < ZL_CAT_ITEMS_MAX; j++) {
		const struct zl_cat_seed_item *x = zl_cat_seed_item_at(j);

		if (strcmp(x->code, c->code) != 0)
			continue;
		it[ni++] = (struct zl_cat_item_in){x->name,
						   x->unit,
						   x->min[0] != '\0',
						   x->max[0] != '\0',
						   strtod(x->min, NULL),
						   strtod(x->max, NULL),
						   x->text,
						   x->method,
						   x->severity};
	}
	in->industries = ind;
	in->nindustries = nind;
	in->standards = std;
	in->nstandards = ns;
	in->items = it;
	in->nitems = ni;
	return ZL_OK;
}

int zl_store_cat_seed(struct zl_db *db, const struct zl_plan_actor *who, int *loaded,
		      struct zl_error *err)
{
	struct zl_cat_set s;
	struct zl_arena a;
	int64_t n = 0;
	int rc, own = 0, count = 0;

	if (loaded)
		*loaded = 0;
	if ((rc = zl_plan_actor_check(who, err)))
		return rc;
	zl_cat_set_init(&s);
	zl_arena_init(&a, (size_t)16 << 20);
	rc = zl_plan_tx_begin(db, &own, err);
	if (rc != ZL_OK)
		goto done;
	rc = zl_store_int_by_id(db, "SELECT count(*) FROM catalogue_categories WHERE 0 = ?", 0, &n,
				err);
	/* The seed's families come before their products, so each parent exists in time. */
	for (size_t i = 0; rc == ZL_OK && n == 0 && i < zl_cat_seed_count(); i++) {
		struct zl_cat_in in;

		zl_arena_reset(&a);
		zl_cat_set_release(&s);
		zl_cat_set_init(&s);
		if ((rc = seed_input(&a, zl_cat_seed_at(i), &in, err)) ||
		    (rc = zl_cat_in_check(&in, err)) || (rc = zl_store_cat_load(db, NULL, &s, err)))
			break;
		rc = create_locked(db, &in, who, "seed", &s, err);
		count += rc == ZL_OK;
	}
	rc = zl_plan_tx_end(db, own, rc, err);
	if (rc == ZL_OK && loaded)
		*loaded = count;
done:
	zl_arena_release(&a);
	zl_cat_set_release(&s);
	return rc;
}
