/*
 * orgs.c - the organization tree in the database (orgs.h).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codes/orgs.h"
#include "core/timeutil.h"
#include "store/query.h"
#include "store/orgs.h"

#define COLS "code, kind, name, short_name, parent, path, region, valid_from, valid_to, note"
#define NO_LIMIT 1000000000L

void zl_store_org_today(char out[16])
{
	/* Validity dates are the province's calendar days (UTC+8, no DST). */
	int64_t days = (zl_now_us() / 1000000 + 8 * 3600) / 86400;

	zl_date_format(days, out);
}

/* YYYYMMDD -> "YYYY-MM-DD"; 0 (open end) -> NULL. */
static const char *ymd_text(int ymd, char out[16])
{
	if (ymd == 0)
		return NULL;
	snprintf(out, 16, "%04d-%02d-%02d", ymd / 10000 % 10000, ymd / 100 % 100, ymd % 100);
	return out;
}

/* Copy src (NULL = "") into dst[0..n), truncating; n > 0. */
static void copy(char *dst, size_t n, const char *src)
{
	size_t k = src ? strlen(src) : 0;

	if (k >= n)
		k = n - 1;
	if (k > 0)
		memcpy(dst, src, k);
	dst[k] = '\0';
}

/* out = a + b + "/" (a path and a code); -1 when it does not fit in n bytes. */
static int join_path(char *out, size_t n, const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);

	if (la + lb + 2 > n)
		return -1;
	memmove(out, a, la);
	memcpy(out + la, b, lb);
	out[la + lb] = '/';
	out[la + lb + 1] = '\0';
	return 0;
}

static const char *or_null(const char *s)
{
	return s != NULL && *s != '\0' ? s : NULL;
}

/* Keep the backend's message and add which statement failed. */
static int wrap(struct zl_error *err, int rc, const char *what)
{
	char msg[ZL_ERR_MSG_MAX];

	snprintf(msg, sizeof(msg), "%s", err != NULL ? err->message : "");
	return zl_error_set(err, (enum zl_err)rc, "db", "%s: %s", what, msg);
}

/* Step a statement bound by the caller that returns no row, then reset it. */
static int run(struct zl_stmt *st, struct zl_error *err)
{
	int rc = zl_stmt_step(st, err);

	zl_stmt_reset(st);
	return rc < 0 ? rc : ZL_OK;
}

static void read_row(struct zl_stmt *st, struct zl_org *o)
{
	copy(o->code, sizeof(o->code), zl_stmt_column_text(st, 0));
	copy(o->kind, sizeof(o->kind), zl_stmt_column_text(st, 1));
	copy(o->name, sizeof(o->name), zl_stmt_column_text(st, 2));
	copy(o->short_name, sizeof(o->short_name), zl_stmt_column_text(st, 3));
	copy(o->parent, sizeof(o->parent), zl_stmt_column_text(st, 4));
	copy(o->path, sizeof(o->path), zl_stmt_column_text(st, 5));
	copy(o->region, sizeof(o->region), zl_stmt_column_text(st, 6));
	copy(o->valid_from, sizeof(o->valid_from), zl_stmt_column_text(st, 7));
	copy(o->valid_to, sizeof(o->valid_to), zl_stmt_column_text(st, 8));
	copy(o->note, sizeof(o->note), zl_stmt_column_text(st, 9));
}

/* Escape % _ and \ for LIKE ... ESCAPE '\', then wrap: "%frag%" (contains) or "frag%". */
static int like_pattern(const char *s, int contains, char *out, size_t n)
{
	size_t k = 0;

	if (contains && k < n)
		out[k++] = '%';
	for (; *s; s++) {
		if (*s == '%' || *s == '_' || *s == '\\') {
			if (k + 1 >= n)
				return -1;
			out[k++] = '\\';
		}
		if (k + 1 >= n)
			return -1;
		out[k++] = *s;
	}
	if (k + 2 > n)
		return -1;
	out[k++] = '%';
	out[k] = '\0';
	return 0;
}

static int valid_date(const char *s)
{
	int64_t days;

	return s != NULL && zl_date_parse(s, &days) == ZL_OK;
}

/* ---- loading ------------------------------------------------------------------------- */

/* A seed row: a government row or a definition row, with its computed path. */
struct seed {
	char code[ZL_ORG_CODE_MAX];
	const char *kind;
	const char *name;
	const char *short_name;
	char parent[ZL_ORG_CODE_MAX];
	char region[16];
	int from, to;
	const char *note;
	char path[ZL_ORG_PATH_MAX];
	int state; /* path: 0 not computed, 1 computing, 2 done */
};

static int holds(const struct seed *s, int date)
{
	return s->from <= date && (s->to == 0 || date < s->to);
}

/* The row of `code` in force on `date`, else its latest row, else NULL. */
static struct seed *seed_find(struct seed *v, size_t n, const char *code, int date)
{
	struct seed *last = NULL;

	for (size_t i = 0; i < n; i++) {
		if (strcmp(v[i].code, code) != 0)
			continue;
		if (holds(&v[i], date))
			return &v[i];
		if (last == NULL || v[i].from > last->from)
			last = &v[i];
	}
	return last;
}

/* The path of a seed row: its parent's path (as in force on the row's first day) + code. */
static int seed_path(struct seed *v, size_t n, struct seed *s, struct zl_error *err)
{
	struct seed *p;
	int rc;

	if (s->state == 2)
		return ZL_OK;
	if (s->state == 1)
		return zl_error_set(err, ZL_EINTERNAL, "orgs", "parent cycle at %s", s->code);
	s->state = 1;
	if (s->parent[0] == '\0') {
		join_path(s->path, sizeof(s->path), "/", s->code);
	} else {
		p = seed_find(v, n, s->parent, s->from);
		if (p == NULL)
			return zl_error_set(err, ZL_EINTERNAL, "orgs", "%s: parent %s missing",
					    s->code, s->parent);
		rc = seed_path(v, n, p, err);
		if (rc != ZL_OK)
			return rc;
		if (join_path(s->path, sizeof(s->path), p->path, s->code) != 0)
			return zl_error_set(err, ZL_ETOOBIG, "orgs", "%s: path too long", s->code);
	}
	s->state = 2;
	return ZL_OK;
}

static int upsert_seed(struct zl_db *db, const struct seed *s, struct zl_error *err)
{
	struct zl_stmt *st;
	char from[16], to[16];
	int rc;

	/* A row an administrator closed stays closed (COALESCE keeps its valid_to). */
	rc = zl_db_prepare(db,
			   "INSERT INTO orgs (" COLS ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
			   " ON CONFLICT (code, valid_from) DO UPDATE SET kind = excluded.kind,"
			   " name = excluded.name, short_name = excluded.short_name,"
			   " parent = excluded.parent, path = excluded.path,"
			   " region = excluded.region, note = excluded.note,"
			   " valid_to = COALESCE(excluded.valid_to, orgs.valid_to)",
			   &st, err);
	if (rc != ZL_OK)
		return rc;
	zl_stmt_bind_text(st, 1, s->code, -1);
	zl_stmt_bind_text(st, 2, s->kind, -1);
	zl_stmt_bind_text(st, 3, s->name, -1);
	zl_stmt_bind_text(st, 4, or_null(s->short_name), -1);
	zl_stmt_bind_text(st, 5, or_null(s->parent), -1);
	zl_stmt_bind_text(st, 6, s->path, -1);
	zl_stmt_bind_text(st, 7, or_null(s->region), -1);
	zl_stmt_bind_text(st, 8, ymd_text(s->from, from), -1);
	zl_stmt_bind_text(st, 9, ymd_text(s->to, to), -1);
	zl_stmt_bind_text(st, 10, or_null(s->note), -1);
	rc = run(st, err);
	return rc == ZL_OK ? rc : wrap(err, rc, s->code);
}

static int add_alias(struct zl_db *db, const char *alias, size_t n, const char *code,
		     struct zl_error *err)
{
	struct zl_stmt *st;
	int rc;

	if (n == 0)
		return ZL_OK;
	rc = zl_db_prepare(db,
			   "INSERT INTO org_aliases (alias, code) VALUES (?, ?)"
			   " ON CONFLICT (alias, code) DO NOTHING",
			   &st, err);
	if (rc != ZL_OK)
		return rc;
	zl_stmt_bind_text(st, 1, alias, (long)n);
	zl_stmt_bind_text(st, 2, code, -1);
	return run(st, err);
}

/* Add the '|'-separated aliases of `list`. */
static int add_alias_list(struct zl_db *db, const char *list, const char *code,
			  struct zl_error *err)
{
	int rc = ZL_OK;

	while (list && *list && rc == ZL_OK) {
		const char *bar = strchr(list, '|');
		size_t n = bar ? (size_t)(bar - list) : strlen(list);
		rc = add_alias(db, list, n, code, err);
		list = bar ? bar + 1 : list + n;
	}
	return rc;
}

/* The names a city or the province goes by in plans: 郑州市 and 郑州; 省政府 for the province. */
static int add_gov_aliases(struct zl_db *db, const struct zl_org_gov *g, struct zl_error *err)
{
	size_t n = strlen(g->short_name);
	int rc;

	if (strcmp(g->kind, "province") == 0)
		return add_alias_list(db, "河南省政府|省政府|省人民政府|河南省", g->code, err);
	if (strcmp(g->kind, "city") != 0 || g->valid_to != 0)
		return ZL_OK;
	rc = add_alias(db, g->short_name, n, g->code, err);
	/* Strip the final 市 (3 bytes in UTF-8) when two characters remain at least. */
	if (rc == ZL_OK && n >= 9 && strcmp(g->short_name + n - 3, "市") == 0)
		rc = add_alias(db, g->short_name, n - 3, g->code, err);
	return rc;
}

struct cur {
	char code[ZL_ORG_CODE_MAX];
	char parent[ZL_ORG_CODE_MAX];
	char path[ZL_ORG_PATH_MAX];
	char want[ZL_ORG_PATH_MAX];
	int state;
};

static int cur_cmp(const void *a, const void *b)
{
	return strcmp(((const struct cur *)a)->code, ((const struct cur *)b)->code);
}

static struct cur *cur_find(struct cur *v, size_t n, const char *code)
{
	struct cur key;

	copy(key.code, sizeof(key.code), code);
	return bsearch(&key, v, n, sizeof(*v), cur_cmp);
}

static int cur_path(struct cur *v, size_t n, struct cur *c, struct zl_error *err)
{
	struct cur *p;
	int rc;

	if (c->state == 2)
		return ZL_OK;
	if (c->state == 1)
		return zl_error_set(err, ZL_EINTERNAL, "orgs", "parent cycle at %s", c->code);
	c->state = 1;
	p = c->parent[0] ? cur_find(v, n, c->parent) : NULL;
	if (p == NULL) {
		/* A root, or a parent that is closed: the row keeps the path it has. */
		copy(c->want, sizeof(c->want), c->parent[0] ? c->path : "");
		if (!c->parent[0])
			join_path(c->want, sizeof(c->want), "/", c->code);
	} else {
		rc = cur_path(v, n, p, err);
		if (rc != ZL_OK)
			return rc;
		if (join_path(c->want, sizeof(c->want), p->want, c->code) != 0)
			return zl_error_set(err, ZL_ETOOBIG, "orgs", "%s: path too long", c->code);
	}
	c->state = 2;
	return ZL_OK;
}

/* Make every current row's path its current parent's path + its code. */
static int recompute_current_paths(struct zl_db *db, struct zl_error *err)
{
	struct zl_stmt *st;
	struct cur *v = NULL, *nv;
	size_t n = 0, cap = 0;
	int rc;

	rc = zl_db_prepare(db, "SELECT code, parent, path FROM orgs WHERE valid_to IS NULL", &st,
			   err);
	if (rc != ZL_OK)
		return rc;
	while ((rc = zl_stmt_step(st, err)) == ZL_DB_ROW) {
		if (n == cap) {
			cap = cap ? cap * 2 : 512;
			nv = realloc(v, cap * sizeof(*v));
			if (nv == NULL) {
				rc = zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
				break;
			}
			v = nv;
		}
		copy(v[n].code, sizeof(v[n].code), zl_stmt_column_text(st, 0));
		copy(v[n].parent, sizeof(v[n].parent), zl_stmt_column_text(st, 1));
		copy(v[n].path, sizeof(v[n].path), zl_stmt_column_text(st, 2));
		v[n].state = 0;
		n++;
	}
	zl_stmt_reset(st);
	if (rc < 0)
		goto out;
	qsort(v, n, sizeof(*v), cur_cmp);
	for (size_t i = 0; i < n; i++) {
		rc = cur_path(v, n, &v[i], err);
		if (rc != ZL_OK)
			goto out;
	}
	rc = zl_db_prepare(db, "UPDATE orgs SET path = ? WHERE code = ? AND valid_to IS NULL", &st,
			   err);
	if (rc != ZL_OK)
		goto out;
	for (size_t i = 0; i < n; i++) {
		if (strcmp(v[i].path, v[i].want) == 0)
			continue;
		zl_stmt_bind_text(st, 1, v[i].want, -1);
		zl_stmt_bind_text(st, 2, v[i].code, -1);
		rc = run(st, err);
		if (rc != ZL_OK)
			goto out;
	}
	rc = ZL_OK;
out:
	free(v);
	return rc;
}

static int load_all(struct zl_db *db, struct zl_error *err)
{
	size_t ngov = 0, max = zl_org_gov_max(), n = 0;
	struct zl_org_gov *gov = calloc(max, sizeof(*gov));
	struct seed *v = calloc(max + zl_org_def_count(), sizeof(*v));
	int rc = ZL_OK;

	if (gov == NULL || v == NULL) {
		rc = zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
		goto out;
	}
	if (zl_org_gov_rows(gov, max, &ngov) != 0) {
		rc = zl_error_set(err, ZL_EINTERNAL, "orgs", "government rows: %zu > %zu", ngov,
				  max);
		goto out;
	}
	for (size_t i = 0; i < ngov; i++, n++) {
		copy(v[n].code, sizeof(v[n].code), gov[i].code);
		v[n].kind = gov[i].kind;
		v[n].name = gov[i].name;
		v[n].short_name = gov[i].short_name;
		copy(v[n].parent, sizeof(v[n].parent), gov[i].parent);
		copy(v[n].region, sizeof(v[n].region), gov[i].region);
		v[n].from = gov[i].valid_from;
		v[n].to = gov[i].valid_to;
		v[n].note = gov[i].direct ? "省直管: reports to the province (region code stays "
					    "under its city)"
					  : NULL;
	}
	for (size_t i = 0; i < zl_org_def_count(); i++, n++) {
		const struct zl_org_def *d = zl_org_def_at(i);
		copy(v[n].code, sizeof(v[n].code), d->code);
		v[n].kind = d->kind;
		v[n].name = d->name;
		v[n].short_name = d->short_name;
		copy(v[n].parent, sizeof(v[n].parent), d->parent);
		/* The region a department belongs to is its government's. */
		snprintf(v[n].region, sizeof(v[n].region), "%.6s", d->code);
		v[n].from = d->valid_from;
		v[n].to = d->valid_to;
		v[n].note = d->note;
	}
	for (size_t i = 0; i < n; i++) {
		rc = seed_path(v, n, &v[i], err);
		if (rc != ZL_OK)
			goto out;
	}
	for (size_t i = 0; i < n; i++) {
		rc = upsert_seed(db, &v[i], err);
		if (rc != ZL_OK)
			goto out;
	}
	for (size_t i = 0; i < ngov; i++) {
		rc = add_gov_aliases(db, &gov[i], err);
		if (rc != ZL_OK)
			goto out;
	}
	for (size_t i = 0; i < zl_org_def_count(); i++) {
		const struct zl_org_def *d = zl_org_def_at(i);
		rc = add_alias_list(db, d->aliases, d->code, err);
		if (rc != ZL_OK)
			goto out;
	}
	rc = recompute_current_paths(db, err);
out:
	free(gov);
	free(v);
	return rc;
}

int zl_store_load_orgs(struct zl_db *db, struct zl_error *err)
{
	int own = !zl_db_in_tx(db), rc;

	if (own) {
		rc = zl_db_begin(db, err);
		if (rc != ZL_OK)
			return rc;
	}
	rc = load_all(db, err);
	if (!own)
		return rc;
	if (rc != ZL_OK) {
		zl_db_rollback(db);
		return rc;
	}
	return zl_db_commit(db, err);
}

/* ---- reading ------------------------------------------------------------------------- */

int zl_store_org_path(struct zl_db *db, const char *code, char *path, size_t n,
		      struct zl_error *err)
{
	int rc = zl_store_text_by_key(db,
				      "SELECT path FROM orgs WHERE code = ? AND valid_to IS NULL",
				      code, path, n, err);

	if (rc == ZL_ENOTFOUND)
		rc = zl_error_set(err, ZL_ENOTFOUND, "code", "no organization %s", code);
	return rc;
}

/* The latest row of `code` (the current one while it is in force). */
static int latest_row(struct zl_db *db, const char *code, int current_only, struct zl_org *o,
		      struct zl_error *err)
{
	struct zl_stmt *st;
	int rc;

	rc = zl_db_prepare(db,
			   current_only ? "SELECT " COLS " FROM orgs WHERE code = ?"
					  " AND valid_to IS NULL ORDER BY valid_from DESC LIMIT 1"
					: "SELECT " COLS " FROM orgs WHERE code = ?"
					  " ORDER BY valid_from DESC LIMIT 1",
			   &st, err);
	if (rc != ZL_OK)
		return rc;
	zl_stmt_bind_text(st, 1, code, -1);
	rc = zl_stmt_step(st, err);
	if (rc == ZL_DB_ROW) {
		read_row(st, o);
		rc = ZL_OK;
	} else if (rc == ZL_DB_DONE) {
		rc = zl_error_set(err, ZL_ENOTFOUND, "code", "no organization %s", code);
	}
	zl_stmt_reset(st);
	return rc;
}

static int count_children(struct zl_db *db, const char *code, int64_t *n, struct zl_error *err)
{
	struct zl_stmt *st;
	int rc;

	rc = zl_db_prepare(db, "SELECT count(*) FROM orgs WHERE parent = ? AND valid_to IS NULL",
			   &st, err);
	if (rc != ZL_OK)
		return rc;
	zl_stmt_bind_text(st, 1, code, -1);
	rc = zl_stmt_step(st, err);
	if (rc == ZL_DB_ROW) {
		*n = zl_stmt_column_int64(st, 0);
		rc = ZL_OK;
	} else if (rc == ZL_DB_DONE) {
		rc = zl_error_set(err, ZL_EDB, "db", "count returned no row");
	}
	zl_stmt_reset(st);
	return rc;
}

int zl_store_org_get(struct zl_db *db, const char *code, struct zl_org_info *out,
		     struct zl_error *err)
{
	struct zl_stmt *st;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = latest_row(db, code, 0, &out->org, err);
	if (rc != ZL_OK)
		return rc;
	rc = zl_db_prepare(db, "SELECT alias FROM org_aliases WHERE code = ? ORDER BY alias", &st,
			   err);
	if (rc != ZL_OK)
		return rc;
	zl_stmt_bind_text(st, 1, code, -1);
	while ((rc = zl_stmt_step(st, err)) == ZL_DB_ROW)
		if (out->naliases < ZL_ORG_ALIASES_MAX) {
			copy(out->aliases[out->naliases], sizeof(out->aliases[0]),
			     zl_stmt_column_text(st, 0));
			out->naliases++;
		}
	zl_stmt_reset(st);
	if (rc < 0)
		return rc;
	rc = count_children(db, code, &out->children, err);
	if (rc != ZL_OK)
		return rc;
	rc = zl_db_prepare(db, "SELECT " COLS " FROM orgs WHERE code = ? ORDER BY valid_from", &st,
			   err);
	if (rc != ZL_OK)
		return rc;
	zl_stmt_bind_text(st, 1, code, -1);
	while ((rc = zl_stmt_step(st, err)) == ZL_DB_ROW)
		if (out->nhistory < ZL_ORG_HISTORY_MAX)
			read_row(st, &out->history[out->nhistory++]);
	zl_stmt_reset(st);
	return rc < 0 ? rc : ZL_OK;
}

/*
 * The WHERE clause of a list; its parameters are bound by bind_filter() in this order.
 * q is compared case-insensitively on both backends (lower() on both sides; SQLite's LIKE
 * ignores ASCII case, PostgreSQL's does not).
 */
#define LIST_WHERE                                                                                 \
	" FROM orgs o WHERE o.valid_from <= ? AND (o.valid_to IS NULL OR o.valid_to > ?)"          \
	" AND (CAST(? AS TEXT) IS NULL OR o.kind = ?)"                                             \
	" AND (CAST(? AS TEXT) IS NULL OR o.parent = ?)"                                           \
	" AND (CAST(? AS TEXT) IS NULL OR o.path LIKE ? ESCAPE '\\')"                              \
	" AND (CAST(? AS TEXT) IS NULL OR lower(o.name) LIKE lower(?) ESCAPE '\\'"                 \
	" OR lower(o.short_name) LIKE lower(?) ESCAPE '\\'"                                        \
	" OR o.code IN (SELECT a.code FROM org_aliases a WHERE lower(a.alias) LIKE lower(?)"       \
	" ESCAPE '\\'))"

struct bound {
	char at[16];
	char within[ZL_ORG_PATH_MAX * 2 + 2];
	char q[512];
};

static int prepare_filter(const struct zl_org_filter *f, struct bound *b, struct zl_error *err)
{
	if (f->at != NULL && *f->at != '\0') {
		if (!valid_date(f->at))
			return zl_error_set(err, ZL_EINVAL, "at", "expected a date YYYY-MM-DD");
		copy(b->at, sizeof(b->at), f->at);
	} else {
		zl_store_org_today(b->at);
	}
	b->within[0] = b->q[0] = '\0';
	if (or_null(f->within) && like_pattern(f->within, 0, b->within, sizeof(b->within)) != 0)
		return zl_error_set(err, ZL_EINVAL, "path", "path too long");
	if (or_null(f->q) && like_pattern(f->q, 1, b->q, sizeof(b->q)) != 0)
		return zl_error_set(err, ZL_EINVAL, "q", "search text too long");
	return ZL_OK;
}

static int bind_filter(struct zl_stmt *st, const struct zl_org_filter *f, const struct bound *b)
{
	const char *q = or_null(b->q), *within = or_null(b->within);
	int i = 1;

	zl_stmt_bind_text(st, i++, b->at, -1);
	zl_stmt_bind_text(st, i++, b->at, -1);
	zl_stmt_bind_text(st, i++, or_null(f->kind), -1);
	zl_stmt_bind_text(st, i++, or_null(f->kind), -1);
	zl_stmt_bind_text(st, i++, or_null(f->parent), -1);
	zl_stmt_bind_text(st, i++, or_null(f->parent), -1);
	zl_stmt_bind_text(st, i++, within, -1);
	zl_stmt_bind_text(st, i++, within, -1);
	for (int k = 0; k < 4; k++)
		zl_stmt_bind_text(st, i++, q, -1);
	return i;
}

int zl_store_org_count(struct zl_db *db, const struct zl_org_filter *f, int64_t *total,
		       struct zl_error *err)
{
	struct zl_org_filter g = *f;
	struct bound b;
	struct zl_stmt *st;
	int rc;

	g.after = NULL;
	rc = prepare_filter(&g, &b, err);
	if (rc != ZL_OK)
		return rc;
	rc = zl_db_prepare(db, "SELECT count(*)" LIST_WHERE, &st, err);
	if (rc != ZL_OK)
		return rc;
	bind_filter(st, &g, &b);
	rc = zl_stmt_step(st, err);
	if (rc == ZL_DB_ROW)
		*total = zl_stmt_column_int64(st, 0);
	else if (rc == ZL_DB_DONE)
		rc = zl_error_set(err, ZL_EDB, "db", "count returned no row");
	zl_stmt_reset(st);
	return rc < 0 ? rc : ZL_OK;
}

int zl_store_org_list(struct zl_db *db, const struct zl_org_filter *f, long limit,
		      zl_org_row_fn *fn, void *cls, int64_t *total, struct zl_error *err)
{
	struct zl_stmt *st;
	struct zl_org *o = NULL;
	struct bound b;
	int rc, i;

	rc = prepare_filter(f, &b, err);
	if (rc != ZL_OK)
		return rc;
	if (total != NULL) {
		rc = zl_store_org_count(db, f, total, err);
		if (rc != ZL_OK)
			return rc;
	}
	o = malloc(sizeof(*o));
	if (o == NULL)
		return zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
	rc = zl_db_prepare(db, "SELECT " COLS LIST_WHERE " AND o.code > ? ORDER BY o.code LIMIT ?",
			   &st, err);
	if (rc != ZL_OK)
		goto out;
	i = bind_filter(st, f, &b);
	zl_stmt_bind_text(st, i++, f->after != NULL ? f->after : "", -1);
	zl_stmt_bind_int64(st, i, limit > 0 ? limit : NO_LIMIT);
	while ((rc = zl_stmt_step(st, err)) == ZL_DB_ROW) {
		read_row(st, o);
		rc = fn(cls, o);
		if (rc != ZL_OK)
			break;
	}
	zl_stmt_reset(st);
	if (rc == ZL_DB_DONE)
		rc = ZL_OK;
out:
	free(o);
	return rc;
}

/* ---- writing ------------------------------------------------------------------------- */

static int insert_row(struct zl_db *db, const struct zl_org *o, struct zl_error *err)
{
	struct zl_stmt *st;
	int rc;

	rc = zl_db_prepare(db, "INSERT INTO orgs (" COLS ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
			   &st, err);
	if (rc != ZL_OK)
		return rc;
	zl_stmt_bind_text(st, 1, o->code, -1);
	zl_stmt_bind_text(st, 2, o->kind, -1);
	zl_stmt_bind_text(st, 3, o->name, -1);
	zl_stmt_bind_text(st, 4, or_null(o->short_name), -1);
	zl_stmt_bind_text(st, 5, or_null(o->parent), -1);
	zl_stmt_bind_text(st, 6, o->path, -1);
	zl_stmt_bind_text(st, 7, or_null(o->region), -1);
	zl_stmt_bind_text(st, 8, o->valid_from, -1);
	zl_stmt_bind_text(st, 9, or_null(o->valid_to), -1);
	zl_stmt_bind_text(st, 10, or_null(o->note), -1);
	return run(st, err);
}

static int code_used(struct zl_db *db, const char *code, int *used, struct zl_error *err)
{
	struct zl_stmt *st;
	int rc;

	rc = zl_db_prepare(db, "SELECT count(*) FROM orgs WHERE code = ?", &st, err);
	if (rc != ZL_OK)
		return rc;
	zl_stmt_bind_text(st, 1, code, -1);
	rc = zl_stmt_step(st, err);
	*used = rc == ZL_DB_ROW && zl_stmt_column_int64(st, 0) > 0;
	zl_stmt_reset(st);
	return rc < 0 ? rc : ZL_OK;
}

static int replace_aliases(struct zl_db *db, const char *code, const char *const *aliases, size_t n,
			   int clear, struct zl_error *err)
{
	struct zl_stmt *st;
	int rc;

	if (clear) {
		rc = zl_db_prepare(db, "DELETE FROM org_aliases WHERE code = ?", &st, err);
		if (rc != ZL_OK)
			return rc;
		zl_stmt_bind_text(st, 1, code, -1);
		rc = run(st, err);
		if (rc != ZL_OK)
			return rc;
	}
	for (size_t i = 0; i < n; i++) {
		if (aliases[i] == NULL || strlen(aliases[i]) >= 96)
			return zl_error_set(err, ZL_EUNPROC, "aliases", "alias %zu: 1-95 bytes", i);
		rc = add_alias(db, aliases[i], strlen(aliases[i]), code, err);
		if (rc != ZL_OK)
			return rc;
	}
	return ZL_OK;
}

static int check_name(const char *name, struct zl_error *err)
{
	if (name == NULL || *name == '\0' || strlen(name) >= ZL_ORG_NAME_MAX)
		return zl_error_set(err, ZL_EUNPROC, "name", "a name of 1-%d bytes is required",
				    ZL_ORG_NAME_MAX - 1);
	return ZL_OK;
}

int zl_store_org_create(struct zl_db *db, struct zl_org *o, const char *const *aliases,
			size_t naliases, struct zl_error *err)
{
	char ppath[ZL_ORG_PATH_MAX];
	const char *why = NULL;
	int used = 0, rc;

	if (!zl_org_kind_valid(o->kind) || strcmp(o->kind, "province") == 0)
		return zl_error_set(err, ZL_EUNPROC, "kind",
				    "kind must be city, county, department, group, lab, "
				    "enterprise or other");
	if (zl_org_code_check(o->kind, o->code, &why) != 0)
		return zl_error_set(err, ZL_EUNPROC, "code", "%s", why);
	rc = check_name(o->name, err);
	if (rc != ZL_OK)
		return rc;
	if (o->valid_from[0] == '\0')
		zl_store_org_today(o->valid_from);
	else if (!valid_date(o->valid_from))
		return zl_error_set(err, ZL_EINVAL, "valid_from", "expected a date YYYY-MM-DD");
	rc = code_used(db, o->code, &used, err);
	if (rc != ZL_OK)
		return rc;
	if (used)
		return zl_error_set(err, ZL_ECONFLICT, "code",
				    "code %s is or was in use (codes are never reused)", o->code);
	if (o->parent[0] == '\0')
		return zl_error_set(err, ZL_EUNPROC, "parent", "a parent is required");
	rc = zl_store_org_path(db, o->parent, ppath, sizeof(ppath), err);
	if (rc == ZL_ENOTFOUND)
		return zl_error_set(err, ZL_EUNPROC, "parent", "no current organization %s",
				    o->parent);
	if (rc != ZL_OK)
		return rc;
	if (join_path(o->path, sizeof(o->path), ppath, o->code) != 0)
		return zl_error_set(err, ZL_EUNPROC, "parent", "the tree is too deep");
	/* Governments are their region; RRRRRR-Knnn bodies belong to government RRRRRR. */
	if (o->region[0] == '\0' && zl_org_kind_is_government(o->kind))
		copy(o->region, sizeof(o->region), o->code);
	else if (o->region[0] == '\0' && strcmp(o->kind, "enterprise") != 0)
		copy(o->region, 7, o->code);
	o->valid_to[0] = '\0';
	rc = insert_row(db, o, err);
	if (rc != ZL_OK)
		return rc;
	return replace_aliases(db, o->code, aliases, naliases, 0, err);
}

/* Close the current row of `code` (valid_from `from`) on `date`. */
static int close_row(struct zl_db *db, const char *code, const char *from, const char *date,
		     struct zl_error *err)
{
	struct zl_stmt *st;
	int rc;

	rc = zl_db_prepare(db,
			   "UPDATE orgs SET valid_to = ? WHERE code = ? AND valid_from = ?"
			   " AND valid_to IS NULL",
			   &st, err);
	if (rc != ZL_OK)
		return rc;
	zl_stmt_bind_text(st, 1, date, -1);
	zl_stmt_bind_text(st, 2, code, -1);
	zl_stmt_bind_text(st, 3, from, -1);
	return run(st, err);
}

static int delete_row(struct zl_db *db, const char *code, const char *from, struct zl_error *err)
{
	struct zl_stmt *st;
	int rc;

	rc = zl_db_prepare(db, "DELETE FROM orgs WHERE code = ? AND valid_from = ?", &st, err);
	if (rc != ZL_OK)
		return rc;
	zl_stmt_bind_text(st, 1, code, -1);
	zl_stmt_bind_text(st, 2, from, -1);
	return run(st, err);
}

/* Current descendants of a moved organization: replace the old path prefix by the new one. */
static int move_subtree(struct zl_db *db, const char *code, const char *old_path,
			const char *new_path, struct zl_error *err)
{
	char pat[ZL_ORG_PATH_MAX * 2 + 2];
	struct zl_stmt *st;
	int rc;

	if (like_pattern(old_path, 0, pat, sizeof(pat)) != 0)
		return zl_error_set(err, ZL_EINTERNAL, "path", "path too long");
	/* Paths are ASCII (codes are validated), so character and byte offsets agree. */
	rc = zl_db_prepare(
		db,
		"UPDATE orgs SET path = CAST(? AS TEXT) || substr(path, CAST(? AS INTEGER))"
		" WHERE valid_to IS NULL AND code <> ? AND path LIKE ? ESCAPE '\\'",
		&st, err);
	if (rc != ZL_OK)
		return rc;
	zl_stmt_bind_text(st, 1, new_path, -1);
	zl_stmt_bind_int64(st, 2, (int64_t)strlen(old_path) + 1);
	zl_stmt_bind_text(st, 3, code, -1);
	zl_stmt_bind_text(st, 4, pat, -1);
	return run(st, err);
}

int zl_store_org_update(struct zl_db *db, const char *code, const struct zl_org_change *ch,
			struct zl_org *out, struct zl_error *err)
{
	struct zl_org *cur = NULL, *next = NULL;
	char date[16], ppath[ZL_ORG_PATH_MAX];
	int moved = 0, rc;

	cur = malloc(sizeof(*cur));
	next = malloc(sizeof(*next));
	if (cur == NULL || next == NULL) {
		rc = zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
		goto out;
	}
	if (ch->date != NULL && *ch->date != '\0') {
		if (!valid_date(ch->date)) {
			rc = zl_error_set(err, ZL_EINVAL, "date", "expected a date YYYY-MM-DD");
			goto out;
		}
		copy(date, sizeof(date), ch->date);
	} else {
		zl_store_org_today(date);
	}
	rc = latest_row(db, code, 1, cur, err);
	if (rc != ZL_OK)
		goto out;
	if (strcmp(date, cur->valid_from) < 0) {
		rc = zl_error_set(err, ZL_EUNPROC, "date",
				  "the change date is before the current row's start %s",
				  cur->valid_from);
		goto out;
	}
	*next = *cur;
	if (ch->name != NULL) {
		rc = check_name(ch->name, err);
		if (rc != ZL_OK)
			goto out;
		copy(next->name, sizeof(next->name), ch->name);
	}
	if (ch->short_name != NULL)
		copy(next->short_name, sizeof(next->short_name), ch->short_name);
	if (ch->note != NULL)
		copy(next->note, sizeof(next->note), ch->note);
	if (ch->close) {
		int64_t children = 0;
		rc = count_children(db, code, &children, err);
		if (rc != ZL_OK)
			goto out;
		if (children > 0) {
			rc = zl_error_set(err, ZL_EUNPROC, "close",
					  "%lld current organizations are under %s: move or close "
					  "them first",
					  (long long)children, code);
			goto out;
		}
		if (strcmp(date, cur->valid_from) == 0) {
			rc = zl_error_set(err, ZL_EUNPROC, "date",
					  "closing on the day the row starts would leave no row");
			goto out;
		}
		rc = close_row(db, code, cur->valid_from, date, err);
		if (rc == ZL_OK && out != NULL) {
			*out = *cur;
			copy(out->valid_to, sizeof(out->valid_to), date);
		}
		goto out;
	}
	if (ch->parent != NULL && strcmp(ch->parent, cur->parent) != 0) {
		rc = zl_store_org_path(db, ch->parent, ppath, sizeof(ppath), err);
		if (rc == ZL_ENOTFOUND)
			rc = zl_error_set(err, ZL_EUNPROC, "parent", "no current organization %s",
					  ch->parent);
		if (rc != ZL_OK)
			goto out;
		if (zl_org_path_within(ppath, cur->path)) {
			rc = zl_error_set(err, ZL_EUNPROC, "parent", "%s lies in the subtree of %s",
					  ch->parent, code);
			goto out;
		}
		copy(next->parent, sizeof(next->parent), ch->parent);
		if (join_path(next->path, sizeof(next->path), ppath, code) != 0) {
			rc = zl_error_set(err, ZL_EUNPROC, "parent", "the tree is too deep");
			goto out;
		}
		moved = 1;
	}
	/* The new row starts on the change date; a same-day change corrects the row itself. */
	if (strcmp(date, cur->valid_from) == 0)
		rc = delete_row(db, code, cur->valid_from, err);
	else
		rc = close_row(db, code, cur->valid_from, date, err);
	if (rc != ZL_OK)
		goto out;
	copy(next->valid_from, sizeof(next->valid_from), date);
	next->valid_to[0] = '\0';
	rc = insert_row(db, next, err);
	if (rc == ZL_OK && moved)
		rc = move_subtree(db, code, cur->path, next->path, err);
	if (rc == ZL_OK && ch->set_aliases)
		rc = replace_aliases(db, code, ch->aliases, ch->naliases, 1, err);
	if (rc == ZL_OK && out != NULL)
		*out = *next;
out:
	free(cur);
	free(next);
	return rc;
}

/* ---- names and aliases (the plan ledger resolves department names) ---------- */

int zl_store_org_match_name(struct zl_db *db, const char *name, struct zl_org_match *out,
			    size_t max, size_t *n, struct zl_error *err)
{
	struct zl_stmt *st;
	int rc;

	*n = 0;
	rc = zl_db_prepare(db,
			   "SELECT code, name, path FROM orgs WHERE valid_to IS NULL"
			   " AND (name = ? OR short_name = ?"
			   " OR code IN (SELECT a.code FROM org_aliases a WHERE a.alias = ?))"
			   " ORDER BY code",
			   &st, err);
	if (rc != ZL_OK)
		return rc;
	zl_stmt_bind_text(st, 1, name, -1);
	zl_stmt_bind_text(st, 2, name, -1);
	zl_stmt_bind_text(st, 3, name, -1);
	while ((rc = zl_stmt_step(st, err)) == ZL_DB_ROW) {
		if (*n < max) {
			struct zl_org_match *m = &out[*n];

			copy(m->code, sizeof(m->code), zl_stmt_column_text(st, 0));
			copy(m->name, sizeof(m->name), zl_stmt_column_text(st, 1));
			/* A cut path would be an ancestor's: never cut it. */
			if (zl_store_copy_exact(m->path, sizeof(m->path),
						zl_stmt_column_text(st, 2), "path", err) != ZL_OK) {
				rc = ZL_ETOOBIG;
				break;
			}
		}
		(*n)++;
	}
	zl_stmt_reset(st);
	return rc < 0 ? rc : ZL_OK;
}

int zl_store_org_alias_add(struct zl_db *db, const char *alias, const char *code,
			   struct zl_error *err)
{
	char path[ZL_ORG_PATH_MAX];
	int rc = zl_store_org_path(db, code, path, sizeof(path), err);

	if (rc == ZL_ENOTFOUND)
		return zl_error_set(err, ZL_EUNPROC, "org", "no organization %s", code);
	if (rc != ZL_OK)
		return rc;
	return add_alias(db, alias, strlen(alias), code, err);
}
