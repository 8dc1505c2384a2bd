/*
 * draws.c - draws of spot checks as a service (store/draws.h): the
 * candidate list built from the register, the plan and the inspections
 * table; the pool of inspectors from the accounts and their declarations;
 * publishing a commitment, drawing with the stored seed, and what a draw
 * makes (inspections) or does (assigns inspectors); reading draws; the
 * enterprise classes and conflict declarations draws read.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/json.h"
#include "core/jw.h"
#include "core/timeutil.h"
#include "domain/draw_record.h"
#include "domain/spotcheck.h"
#include "store/catalogue.h"
#include "store/draws.h"
#include "store/inspections.h"
#include "store/plan_internal.h"
#include "store/query.h"
#include "store/spotcheck_plans.h"

static int given(const char *s)
{
	return s != NULL && *s != '\0';
}

static int oom(struct zl_error *err)
{
	return zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
}

void zl_sc_draw_set_init(struct zl_sc_draw_set *s)
{
	memset(s, 0, sizeof(*s));
	zl_arena_init(&s->arena, (size_t)256 << 20);
}

void zl_sc_draw_set_release(struct zl_sc_draw_set *s)
{
	zl_arena_release(&s->arena);
	s->v = NULL;
	s->n = 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* ---- small facts -------------------------------------------------------------------------- */

/* A current organization's kind, path and name; ZL_ENOTFOUND without a current row. */
static int org_facts(struct zl_db *db, const char *code, char kind[16], char path[ZL_ORG_PATH_MAX],
		     char name[192], struct zl_error *err)
{
	struct zl_stmt *st;
	int rc = zl_db_prepare(db,
			       "SELECT kind, path, name FROM orgs WHERE code = ? AND valid_to IS NULL",
			       &st, err);

	if (rc != ZL_OK)
		return rc;
	zl_stmt_bind_text(st, 1, code, -1);
	rc = zl_stmt_step(st, err);
	if (rc == ZL_DB_ROW) {
		zl_store_col_text(st, 0, kind, 16);
		rc = zl_store_copy_exact(path, ZL_ORG_PATH_MAX, zl_stmt_column_text(st, 1), "path",
					 err);
		zl_store_col_text(st, 2, name, 192);
	} else if (rc == ZL_DB_DONE) {
		rc = ZL_ENOTFOUND;
	}
	zl_stmt_reset(st);
	return rc;
}

/* `date` minus `months` calendar months (the day kept, or the month's last day). */
static int months_back(const char *date, int months, char out[16])
{
	int64_t days, y;
	unsigned m, d, mdays;
	int64_t k;

	if (zl_date_parse(date, &days) != ZL_OK)
		return ZL_EINVAL;
	zl_civil_from_days(days, &y, &m, &d);
	k = y * 12 + (int64_t)(m - 1) - months;
	y = k / 12;
	m = (unsigned)(k % 12) + 1;
	for (mdays = 31; mdays > 28 && !zl_date_valid(y, m, mdays); mdays--)
		;
	if (d > mdays)
		d = mdays;
	zl_date_format(zl_days_from_civil(y, m, d), out);
	return ZL_OK;
}

/* The governments from the root down to the one of `gov_path` ("/410000/410100/"): codes. */
static size_t gov_chain(const char *gov_path, char codes[4][8])
{
	size_t n = 0;

	for (const char *p = gov_path; p && *p && n < 4;) {
		const char *e;

		if (*p == '/')
			p++;
		e = strchr(p, '/');
		if (e == NULL)
			break;
		if (e - p == 6 && strspn(p, "0123456789") == 6) {
			memcpy(codes[n], p, 6);
			codes[n++][6] = '\0';
		}
		p = e;
	}
	return n;
}

/* "C3011" -> "3011": the digits of a GB/T 4754 code. */
static const char *industry_digits(const char *code)
{
	while (*code && (*code < '0' || *code > '9'))
		code++;
	return code;
}

/* Either code is a prefix of the other (a division matches its classes and back). */
static int industry_match(const char *ent, const char *const *cat, size_t n)
{
	size_t el = strlen(ent);

	if (el == 0)
		return 0;
	for (size_t i = 0; i < n; i++) {
		const char *c = industry_digits(cat[i]);
		size_t cl = strlen(c);

		if (cl && strncmp(ent, c, el < cl ? el : cl) == 0)
			return 1;
	}
	return 0;
}

/* ---- the plan a draw is about ------------------------------------------------------------- */

struct plan_ctx {
	struct zl_sc_plan_set set;
	const struct zl_sc_plan *p;
	const struct zl_sc_product *prod;
	struct zl_cat_set cats;
	const char *const *industries; /* the product's, or its nearest ancestor's */
	size_t nindustries;
};

static void plan_ctx_release(struct plan_ctx *c)
{
	zl_sc_plan_set_release(&c->set);
	zl_cat_set_release(&c->cats);
}

/* Plan `plan_id` (field `field` in refusals) and its product `code`. */
static int plan_ctx_load(struct zl_db *db, int64_t plan_id, const char *code, const char *field,
			 struct plan_ctx *c, struct zl_error *err)
{
	const struct zl_cat *cat;
	int rc;

	memset(c, 0, sizeof(*c));
	zl_sc_plan_set_init(&c->set);
	zl_cat_set_init(&c->cats);
	rc = zl_store_sc_plan_get(db, plan_id, &c->set, err);
	if (rc == ZL_ENOTFOUND)
		return zl_error_set(err, ZL_ENOTFOUND, field, "no plan %" PRId64, plan_id);
	if (rc != ZL_OK)
		return rc;
	c->p = &c->set.v[0];
	for (size_t i = 0; i < c->p->nproducts && c->prod == NULL; i++)
		if (given(code) && strcmp(c->p->products[i].code, code) == 0)
			c->prod = &c->p->products[i];
	if (c->prod == NULL)
		return zl_error_set(err, ZL_EUNPROC, "product",
				    "product: %s is not a product of plan %" PRId64,
				    given(code) ? code : "(none)", plan_id);
	if ((rc = zl_store_cat_load(db, NULL, &c->cats, err)) != ZL_OK)
		return rc;
	for (cat = zl_cat_set_find(&c->cats, code); cat != NULL;
	     cat = given(cat->parent) ? zl_cat_set_find(&c->cats, cat->parent) : NULL)
		if (cat->nindustries > 0) {
			c->industries = cat->industries;
			c->nindustries = cat->nindustries;
			break;
		}
	return ZL_OK;
}

static int plan_in_progress(const struct zl_sc_plan *p, struct zl_error *err)
{
	if (p->status != ZL_SC_IN_PROGRESS)
		return zl_error_set(err, ZL_ECONFLICT, "status",
				    "draws are made for a plan in progress; plan %" PRId64 " is %s",
				    p->id, zl_sc_status_name(p->status));
	return ZL_OK;
}

/* ---- the service members of a record ------------------------------------------------------ */

/* What a stored record says about the draw besides the engine's members. */
struct service {
	int64_t draw_id, of_draw, plan_id;
	const char *plan_title, *product, *product_name;
	const char *published_at, *not_before, *drawn_at;
	/* select: region code -> name; inspectors: nothing */
	const char *const *regions; /* pairs code, name */
	size_t nregions;
	/* the candidates' or tasks' enterprises: pairs uscc, name */
	const char *const *names;
	size_t nnames;
	const char *names_key; /* "candidate_names" | "enterprise_names" */
	const cJSON *names_json; /* at draw time: the stored names (object) */
};

static void service_extra(void *ctx, struct zl_jw *w)
{
	const struct service *s = ctx;

	zl_jw_kint(w, "draw_id", s->draw_id);
	if (s->of_draw > 0)
		zl_jw_kint(w, "of_draw", s->of_draw);
	zl_jw_kint(w, "plan_id", s->plan_id);
	zl_jw_kstr(w, "plan_title", s->plan_title);
	zl_jw_kstr(w, "product", s->product);
	zl_jw_kstr(w, "product_name", s->product_name);
	zl_jw_kstr(w, "published_at", s->published_at);
	zl_jw_kstr(w, "not_before", given(s->not_before) ? s->not_before : NULL);
	if (given(s->drawn_at))
		zl_jw_kstr(w, "drawn_at", s->drawn_at);
	if (s->regions != NULL) {
		zl_jw_key(w, "region_names");
		zl_jw_obj_begin(w);
		for (size_t i = 0; i < s->nregions; i++)
			zl_jw_kstr(w, s->regions[2 * i], s->regions[2 * i + 1]);
		zl_jw_obj_end(w);
	}
	zl_jw_key(w, s->names_key);
	if (s->names_json != NULL) {
		zl_json_write(w, s->names_json);
	} else {
		zl_jw_obj_begin(w);
		for (size_t i = 0; i < s->nnames; i++)
			zl_jw_kstr(w, s->names[2 * i], s->names[2 * i + 1]);
		zl_jw_obj_end(w);
	}
}

/* A result entry's "name": the enterprise's, from the stored names. */
static void service_pick(void *ctx, const struct zl_draw_candidate *c, struct zl_jw *w)
{
	const struct service *s = ctx;
	const cJSON *n = s->names_json ? cJSON_GetObjectItemCaseSensitive(s->names_json, c->id)
				       : NULL;

	if (cJSON_IsString(n))
		zl_jw_kstr(w, "name", n->valuestring);
}

/* ---- publishing a draw of enterprises ------------------------------------------------------ */

struct cand {
	const char *uscc, *name;
	const char *cls; /* "" none */
};

struct stratum {
	const char *region, *name, *path;
	char prefix[8]; /* the region codes of its territory begin with it */
	int64_t plan_quota, earlier, candidates, quota;
	struct cand *v;
	size_t n, cap;
};

struct build {
	struct zl_arena a;
	struct stratum *strata;
	size_t nstrata;
	const char **excluded; /* sorted USCCs */
	size_t nexcluded;
	const char **govs; /* "code path" of every current government, sorted by code */
	size_t ngovs;
	char (*owners)[8]; /* the territory prefixes of every quota region of the product */
	size_t nowners;
};

static void build_release(struct build *b)
{
	for (size_t i = 0; i < b->nstrata; i++)
		free(b->strata[i].v);
	free(b->strata);
	free(b->excluded);
	free(b->govs);
	free(b->owners);
	zl_arena_release(&b->a);
}

/* Every first column of `st`'s rows (bound by the caller) into a malloc'd, sorted array. */
static int collect_texts(struct zl_arena *a, struct zl_stmt *st, const char ***out, size_t *n,
			 struct zl_error *err)
{
	size_t cap = 0;
	int rc, fail = 0;

	*out = NULL;
	*n = 0;
	while ((rc = zl_stmt_step(st, err)) == ZL_DB_ROW) {
		const char *s = zl_arena_strdup(a, zl_stmt_column_text(st, 0));

		ZL_PLAN_GROW(*out, *n, cap, fail);
		if (fail || s == NULL) {
			rc = oom(err);
			break;
		}
		(*out)[(*n)++] = s;
	}
	zl_stmt_reset(st);
	if (rc < 0)
		return rc;
	if (*n > 1)
		qsort(*out, *n, sizeof(**out), cmp_str);
	return ZL_OK;
}

static int in_sorted(const char *const *v, size_t n, const char *s)
{
	return n > 0 && bsearch(&s, v, n, sizeof(*v), cmp_str) != NULL;
}

/* Those sampled for the product by the plan's authority or one above it lately, or drawn. */
static int load_excluded(struct zl_db *db, struct build *b, const struct zl_sc_plan *p,
			 const char *product, const char *today, struct zl_error *err)
{
	char govs[4][8], since[16];
	size_t n = gov_chain(p->gov_path, govs);
	struct zl_stmt *st;
	int rc;

	if (n == 0) {
		memcpy(govs[0], p->gov, strlen(p->gov) < 7 ? strlen(p->gov) + 1 : 7);
		n = 1;
	}
	while (n < 3) {
		memcpy(govs[n], govs[n - 1], sizeof(govs[n]));
		n++;
	}
	if (months_back(today, ZL_DRAW_LOOKBACK_MONTHS, since) != ZL_OK)
		return zl_error_set(err, ZL_EINTERNAL, "today", "today is not a date");
	rc = zl_db_prepare(db,
			   "SELECT DISTINCT uscc FROM inspections WHERE product = ?"
			   " AND state <> 'cancelled' AND gov IN (?, ?, ?)"
			   " AND (sampled_on = '' OR sampled_on >= ?)",
			   &st, err);
	if (rc != ZL_OK)
		return rc;
	zl_stmt_bind_text(st, 1, product, -1);
	for (int i = 0; i < 3; i++)
		zl_stmt_bind_text(st, 2 + i, govs[i], -1);
	zl_stmt_bind_text(st, 5, since, -1);
	return collect_texts(&b->a, st, &b->excluded, &b->nexcluded, err);
}

/* The governments of the tree, to place a region code in a territory. */
static int load_govs(struct zl_db *db, struct build *b, struct zl_error *err)
{
	struct zl_stmt *st;
	int rc = zl_db_prepare(db,
			       "SELECT code || ' ' || path FROM orgs WHERE valid_to IS NULL"
			       " AND kind IN ('province', 'city', 'county')",
			       &st, err);

	if (rc != ZL_OK)
		return rc;
	return collect_texts(&b->a, st, &b->govs, &b->ngovs, err);
}

/*
 * Does a region code lie in the territory of the government at `path`?
 * By the organization tree: a county the province administers directly
 * hangs under the province, not under the city its code begins with.  A
 * code that is no government of the tree (a city-level code of an old
 * record) is placed by its digits alone.
 */
static int in_territory(const struct build *b, const char *region, const char *path)
{
	size_t lo = 0, hi = b->ngovs, len = strlen(region);

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strncmp(b->govs[mid], region, len);

		if (c == 0 && b->govs[mid][len] == ' ')
			return zl_org_path_within(b->govs[mid] + len + 1, path);
		if (c < 0 || (c == 0 && b->govs[mid][len] < ' '))
			lo = mid + 1;
		else
			hi = mid;
	}
	return 1;
}

/* The batches of the plan's product already drawn in `region` (not cancelled). */
static int drawn_before(struct zl_db *db, int64_t plan_id, const char *product,
			const char *region, int64_t *n, struct zl_error *err)
{
	struct zl_stmt *st;
	int rc = zl_db_prepare(db,
			       "SELECT count(*) FROM inspections WHERE plan_id = ? AND product = ?"
			       " AND region = ? AND state <> 'cancelled'",
			       &st, err);

	*n = 0;
	if (rc != ZL_OK)
		return rc;
	zl_stmt_bind_int64(st, 1, plan_id);
	zl_stmt_bind_text(st, 2, product, -1);
	zl_stmt_bind_text(st, 3, region, -1);
	rc = zl_stmt_step(st, err);
	if (rc == ZL_DB_ROW)
		*n = zl_stmt_column_int64(st, 0);
	zl_stmt_reset(st);
	return rc < 0 ? rc : ZL_OK;
}

/* The prefix of the region codes in the territory of a government of `kind`. */
static void territory_prefix(const char *kind, const char *region, char prefix[8])
{
	size_t len = !strcmp(kind, "province") ? 2 : !strcmp(kind, "city") ? 4 : 6;

	if (strlen(region) < len)
		len = strlen(region);
	memcpy(prefix, region, len);
	prefix[len] = '\0';
}

/* A region's name, path and the prefix of the region codes of its territory. */
static int stratum_facts(struct zl_db *db, struct build *b, struct stratum *s, struct zl_error *err)
{
	char kind[16], path[ZL_ORG_PATH_MAX], name[192];
	int rc = org_facts(db, s->region, kind, path, name, err);

	if (rc == ZL_ENOTFOUND)
		return zl_error_set(err, ZL_EUNPROC, "regions", "regions: no government %s",
				    s->region);
	if (rc != ZL_OK)
		return rc;
	s->name = zl_arena_strdup(&b->a, name);
	s->path = zl_arena_strdup(&b->a, path);
	if (s->name == NULL || s->path == NULL)
		return oom(err);
	territory_prefix(kind, s->region, s->prefix);
	return ZL_OK;
}

/*
 * The territories of every quota the plan gives the product, drawn in this
 * draw or not: a district's enterprises stay the district's even when its
 * quota is drawn out and only the city's is drawn now.
 */
static int quota_owners(struct zl_db *db, struct build *b, const struct zl_sc_product *prod,
			struct zl_error *err)
{
	char kind[16], path[ZL_ORG_PATH_MAX], name[192];

	b->owners = calloc(prod->nquotas + 1, sizeof(*b->owners));
	if (b->owners == NULL)
		return oom(err);
	for (size_t i = 0; i < prod->nquotas; i++) {
		int rc = org_facts(db, prod->quotas[i].region, kind, path, name, err);

		if (rc == ZL_ENOTFOUND)
			continue; /* no government today: it owns no territory */
		if (rc != ZL_OK)
			return rc;
		territory_prefix(kind, prod->quotas[i].region, b->owners[b->nowners++]);
	}
	return ZL_OK;
}

/*
 * Does `region` lie in the territory of a quota region of the product
 * narrower than `s` (a city's district beside the city)?  Then it is that
 * one's.
 */
static int narrower(const struct build *b, const struct stratum *s, const char *region)
{
	size_t len = strlen(s->prefix);

	for (size_t i = 0; i < b->nowners; i++) {
		size_t tl = strlen(b->owners[i]);

		if (tl > len && strncmp(region, b->owners[i], tl) == 0)
			return 1;
	}
	return 0;
}

/*
 * The candidates of one region: its territory's operating enterprises of
 * the industries, less those of a narrower region of the same draw.
 */
static int load_stratum(struct zl_db *db, struct build *b, struct stratum *s,
			const struct plan_ctx *pc, struct zl_error *err)
{
	char lo[8], hi[8];
	size_t len = strlen(s->prefix);
	struct zl_stmt *st;
	int rc, fail = 0;

	if (len == 0)
		return zl_error_set(err, ZL_EINTERNAL, "regions", "a region without a territory");
	memcpy(lo, s->prefix, len + 1);
	memcpy(hi, lo, len + 1);
	hi[len - 1]++; /* the next prefix: '9' + 1 is ':', above every digit */
	rc = zl_db_prepare(db,
			   "SELECT e.uscc, e.name, e.region, e.industry, COALESCE(c.ent_class, '')"
			   " FROM enterprises e LEFT JOIN enterprise_classes c ON c.uscc = e.uscc"
			   " WHERE e.status = 'operating' AND e.region >= ? AND e.region < ?"
			   " ORDER BY e.uscc",
			   &st, err);
	if (rc != ZL_OK)
		return rc;
	zl_stmt_bind_text(st, 1, lo, -1);
	zl_stmt_bind_text(st, 2, hi, -1);
	while ((rc = zl_stmt_step(st, err)) == ZL_DB_ROW) {
		const char *uscc = zl_stmt_column_text(st, 0);
		const char *region = zl_stmt_column_text(st, 2);
		struct cand *c;

		if (!industry_match(zl_stmt_column_text(st, 3), pc->industries, pc->nindustries) ||
		    in_sorted(b->excluded, b->nexcluded, uscc) || narrower(b, s, region))
			continue;
		/* A city's territory without the counties the province administers directly. */
		if (!in_territory(b, region, s->path))
			continue;
		ZL_PLAN_GROW(s->v, s->n, s->cap, fail);
		if (fail) {
			rc = oom(err);
			break;
		}
		c = &s->v[s->n++];
		c->uscc = zl_arena_strdup(&b->a, uscc);
		c->name = zl_arena_strdup(&b->a, zl_stmt_column_text(st, 1));
		c->cls = zl_arena_strdup(&b->a, zl_stmt_column_text(st, 4));
		if (!c->uscc || !c->name || !c->cls) {
			rc = oom(err);
			break;
		}
	}
	zl_stmt_reset(st);
	if (rc < 0)
		return rc;
	s->candidates = (int64_t)s->n;
	return ZL_OK;
}

/* The strata to draw: the regions asked for (or all), what is left of their quotas. */
static int plan_strata(struct zl_db *db, struct build *b, const struct zl_draw_new *in,
		       const struct plan_ctx *pc, struct zl_error *err)
{
	const struct zl_sc_product *prod = pc->prod;
	size_t n = in->nregions ? in->nregions : prod->nquotas;
	int rc = ZL_OK, left = 0;

	b->strata = calloc(n + 1, sizeof(*b->strata));
	if (b->strata == NULL)
		return oom(err);
	for (size_t i = 0; i < n; i++) {
		const char *region = in->nregions ? in->regions[i] : prod->quotas[i].region;
		const struct zl_sc_quota *q = NULL;
		struct stratum *s;

		for (size_t k = 0; k < prod->nquotas && q == NULL; k++)
			if (given(region) && strcmp(prod->quotas[k].region, region) == 0)
				q = &prod->quotas[k];
		if (q == NULL)
			return zl_error_set(err, ZL_EUNPROC, "regions",
					    "regions[%zu]: the plan has no quota of %s in %s", i,
					    prod->code, given(region) ? region : "(none)");
		for (size_t k = 0; k < b->nstrata; k++)
			if (strcmp(b->strata[k].region, region) == 0)
				return zl_error_set(err, ZL_EUNPROC, "regions",
						    "regions[%zu]: %s is named twice", i, region);
		s = &b->strata[b->nstrata];
		s->region = q->region;
		s->plan_quota = q->batches;
		if ((rc = drawn_before(db, pc->p->id, prod->code, region, &s->earlier, err)))
			return rc;
		if (s->earlier >= s->plan_quota) {
			if (in->nregions)
				return zl_error_set(err, ZL_ECONFLICT, "regions",
						    "regions[%zu]: the %" PRId64
						    " batches of %s in %s are drawn",
						    i, s->plan_quota, prod->code, region);
			continue; /* all regions: skip those drawn */
		}
		b->nstrata++;
		left = 1;
	}
	if (!left)
		return zl_error_set(err, ZL_ECONFLICT, "regions",
				    "every quota of %s in plan %" PRId64 " is drawn", prod->code,
				    pc->p->id);
	return ZL_OK;
}

/* A draw of the plan's product that is published and not drawn, if any. */
static int open_draw(struct zl_db *db, int64_t plan_id, const char *product, const char *kind,
		     int64_t of_draw, int64_t *id, struct zl_error *err)
{
	struct zl_stmt *st;
	int rc = zl_db_prepare(db,
			       "SELECT COALESCE(MIN(id), 0) FROM spotcheck_draws WHERE plan_id = ?"
			       " AND product = ? AND kind = ? AND status = 'published'"
			       " AND COALESCE(of_draw, 0) = ?",
			       &st, err);

	*id = 0;
	if (rc != ZL_OK)
		return rc;
	zl_stmt_bind_int64(st, 1, plan_id);
	zl_stmt_bind_text(st, 2, product, -1);
	zl_stmt_bind_text(st, 3, kind, -1);
	zl_stmt_bind_int64(st, 4, of_draw);
	rc = zl_stmt_step(st, err);
	if (rc == ZL_DB_ROW)
		*id = zl_stmt_column_int64(st, 0);
	zl_stmt_reset(st);
	return rc < 0 ? rc : ZL_OK;
}

/* Insert the draw's row (its record follows once the id is known); *id its id. */
static int insert_draw(struct zl_db *db, int64_t plan_id, const char *product, const char *kind,
		       int64_t of_draw, const char *label, const char *input_commitment,
		       const char *seed_commitment, const char *seed_hex, int64_t candidates,
		       int64_t selected, const char *not_before, const struct zl_plan_actor *who,
		       const char *now, int64_t *id, struct zl_error *err)
{
	struct zl_stmt *st;
	int rc = zl_db_prepare(db,
			       "INSERT INTO spotcheck_draws (plan_id, product, kind, of_draw, label,"
			       " status, input_commitment, seed_commitment, seed, commitment,"
			       " candidates, selected, not_before, org, published_by, published_at)"
			       " VALUES (?, ?, ?, ?, ?, 'published', ?, ?, ?, '', ?, ?, ?, ?, ?, ?)"
			       " RETURNING id",
			       &st, err);

	if (rc != ZL_OK)
		return rc;
	zl_stmt_bind_int64(st, 1, plan_id);
	zl_stmt_bind_text(st, 2, product, -1);
	zl_stmt_bind_text(st, 3, kind, -1);
	if (of_draw > 0)
		zl_stmt_bind_int64(st, 4, of_draw);
	else
		zl_stmt_bind_null(st, 4);
	zl_stmt_bind_text(st, 5, label, -1);
	zl_stmt_bind_text(st, 6, input_commitment, -1);
	zl_stmt_bind_text(st, 7, seed_commitment, -1);
	zl_stmt_bind_text(st, 8, seed_hex, -1);
	zl_stmt_bind_int64(st, 9, candidates);
	zl_stmt_bind_int64(st, 10, selected);
	zl_stmt_bind_text(st, 11, given(not_before) ? not_before : "", -1);
	zl_stmt_bind_text(st, 12, given(who->org) ? who->org : "", -1);
	zl_stmt_bind_text(st, 13, who->user, -1);
	zl_stmt_bind_text(st, 14, now, -1);
	return zl_plan_run_id(st, id, err);
}

static int set_draw_text(struct zl_db *db, const char *sql, const char *text, int64_t id,
			 struct zl_error *err)
{
	struct zl_stmt *st;
	int rc = zl_db_prepare(db, sql, &st, err);

	if (rc != ZL_OK)
		return rc;
	zl_stmt_bind_text(st, 1, text, -1);
	zl_stmt_bind_int64(st, 2, id);
	return zl_store_run(st, err);
}

/*
 * Store the record written by `w` into `text` as draw `id`'s "commitment"
 * or "record" (column: program text, never a request's), or refuse one
 * the writer could not finish (naming `field`).
 */
static int store_record(struct zl_db *db, const char *column, int64_t id, const struct zl_jw *w,
			const struct zl_buf *text, const char *field, struct zl_error *err)
{
	if (zl_jw_error(w))
		return zl_error_set(err, zl_jw_error(w), field, "the record is too large");
	return set_draw_text(db,
			     strcmp(column, "record") == 0
				     ? "UPDATE spotcheck_draws SET record = ? WHERE id = ?"
				     : "UPDATE spotcheck_draws SET commitment = ? WHERE id = ?",
			     zl_buf_str(text), id, err);
}

/* Check not_before: RFC 3339, in canonical form (seconds, UTC) into out. */
static int not_before_check(const char *s, char out[32], struct zl_error *err)
{
	int64_t us;

	out[0] = '\0';
	if (!given(s))
		return ZL_OK;
	if (zl_time_parse_rfc3339(s, &us) != ZL_OK)
		return zl_error_set(err, ZL_EUNPROC, "not_before",
				    "not_before: an RFC 3339 time such as 2014-05-06T02:00:00Z");
	zl_time_format_rfc3339(us, out);
	return ZL_OK;
}

int zl_store_draw_publish(struct zl_db *db, const struct zl_draw_new *in,
			  const unsigned char seed[ZL_DRAW_SEED_BYTES],
			  const struct zl_plan_actor *who, int64_t *id, struct zl_error *err)
{
	struct plan_ctx pc;
	struct build b;
	struct zl_draw d;
	struct zl_draw_candidate *cv = NULL;
	struct zl_draw_quota *qv = NULL;
	struct zl_draw_spec spec;
	struct service svc;
	struct zl_draw_record_hooks hooks;
	struct zl_buf rec = ZL_BUF_INIT(256 << 20);
	const char **names = NULL, **regions = NULL;
	char label[1100], nb[32], now[32], ic[ZL_DRAW_HEX_LEN + 1], sc[ZL_DRAW_HEX_LEN + 1];
	char seed_hex[2 * ZL_DRAW_SEED_BYTES + 1];
	size_t ncand = 0, k = 0;
	int64_t new_id = 0, open = 0;
	struct zl_jw w;
	int rc, own = 0;

	memset(&b, 0, sizeof(b));
	memset(&d, 0, sizeof(d));
	zl_arena_init(&b.a, (size_t)256 << 20);
	memset(&pc, 0, sizeof(pc));
	zl_sc_plan_set_init(&pc.set);
	zl_cat_set_init(&pc.cats);
	if ((rc = zl_plan_actor_check(who, err)) || (rc = not_before_check(in->not_before, nb, err)))
		goto done;
	zl_plan_now(who, now);
	if ((rc = zl_plan_tx_begin(db, &own, err)) != ZL_OK)
		goto done;
	plan_ctx_release(&pc);
	if ((rc = plan_ctx_load(db, in->plan_id, in->product, "plan", &pc, err)) ||
	    (rc = plan_in_progress(pc.p, err)))
		goto out;
	if (pc.nindustries == 0) {
		rc = zl_error_set(err, ZL_EUNPROC, "product",
				  "product: catalogue category %s (and those above it) names no"
				  " GB/T 4754 industry to find its makers by",
				  in->product);
		goto out;
	}
	if ((rc = open_draw(db, pc.p->id, pc.prod->code, "select", 0, &open, err)))
		goto out;
	if (open > 0) {
		rc = zl_error_set(err, ZL_ECONFLICT, "product",
				  "draw %" PRId64 " of %s is published and not drawn yet", open,
				  pc.prod->code);
		goto out;
	}
	if ((rc = plan_strata(db, &b, in, &pc, err)) ||
	    (rc = load_excluded(db, &b, pc.p, pc.prod->code, who->today, err)) ||
	    (rc = load_govs(db, &b, err)) || (rc = quota_owners(db, &b, pc.prod, err)))
		goto out;
	for (size_t i = 0; i < b.nstrata; i++)
		if ((rc = stratum_facts(db, &b, &b.strata[i], err)))
			goto out;
	for (size_t i = 0; i < b.nstrata; i++) {
		struct stratum *s = &b.strata[i];

		if ((rc = load_stratum(db, &b, s, &pc, err)))
			goto out;
		s->quota = s->plan_quota - s->earlier;
		if (s->quota > s->candidates)
			s->quota = s->candidates;
		ncand += s->n;
	}
	if (ncand == 0) {
		rc = zl_error_set(err, ZL_EUNPROC, "product",
				  "product: no operating enterprise of %s's industries is left to"
				  " draw in these regions",
				  pc.prod->code);
		goto out;
	}
	cv = calloc(ncand, sizeof(*cv));
	qv = calloc(b.nstrata, sizeof(*qv));
	names = calloc(2 * ncand, sizeof(*names));
	regions = calloc(2 * b.nstrata, sizeof(*regions));
	if (!cv || !qv || !names || !regions) {
		rc = oom(err);
		goto out;
	}
	memset(&spec, 0, sizeof(spec));
	for (size_t i = 0; i < b.nstrata; i++) {
		struct stratum *s = &b.strata[i];

		regions[2 * i] = s->region;
		regions[2 * i + 1] = s->name;
		if (s->n == 0)
			continue; /* a region without candidates draws nothing: kept in the strata */
		qv[spec.nquotas++] = (struct zl_draw_quota){s->region, (uint64_t)s->quota};
		for (size_t j = 0; j < s->n; j++) {
			uint64_t wt;

			if ((rc = zl_sc_weight(&pc.p->freq, s->v[j].cls, pc.prod->risk, &wt, err)))
				goto out;
			cv[k] = (struct zl_draw_candidate){s->v[j].uscc, s->region, wt, NULL};
			names[2 * k] = s->v[j].uscc;
			names[2 * k + 1] = s->v[j].name;
			k++;
		}
	}
	if (given(in->label))
		zl_strlcpy(label, in->label, sizeof(label));
	else
		snprintf(label, sizeof(label), "%s %s %s", pc.p->title, pc.prod->code,
			 pc.prod->name);
	spec.label = label;
	spec.cand = cv;
	spec.ncand = k;
	spec.quotas = qv;
	if ((rc = zl_draw_prepare(&d, &spec, err)))
		goto out;
	zl_draw_input_commitment(&d, ic);
	zl_draw_seed_commitment(seed, sc);
	zl_draw_hex(seed, ZL_DRAW_SEED_BYTES, seed_hex);
	if ((rc = insert_draw(db, pc.p->id, pc.prod->code, "select", 0, label, ic, sc, seed_hex,
			      (int64_t)k, (int64_t)d.total, nb, who, now, &new_id, err)))
		goto out;
	for (size_t i = 0; i < b.nstrata && rc == ZL_OK; i++) {
		const struct stratum *s = &b.strata[i];
		struct zl_stmt *st;

		rc = zl_db_prepare(db,
				   "INSERT INTO spotcheck_draw_strata (draw_id, region, plan_quota,"
				   " earlier, candidates, quota) VALUES (?, ?, ?, ?, ?, ?)",
				   &st, err);
		if (rc != ZL_OK)
			break;
		zl_stmt_bind_int64(st, 1, new_id);
		zl_stmt_bind_text(st, 2, s->region, -1);
		zl_stmt_bind_int64(st, 3, s->plan_quota);
		zl_stmt_bind_int64(st, 4, s->earlier);
		zl_stmt_bind_int64(st, 5, s->candidates);
		zl_stmt_bind_int64(st, 6, s->quota);
		rc = zl_store_run(st, err);
	}
	if (rc != ZL_OK)
		goto out;
	memset(&svc, 0, sizeof(svc));
	svc = (struct service){.draw_id = new_id,
			       .plan_id = pc.p->id,
			       .plan_title = pc.p->title,
			       .product = pc.prod->code,
			       .product_name = pc.prod->name,
			       .published_at = now,
			       .not_before = nb,
			       .regions = regions,
			       .nregions = b.nstrata,
			       .names = names,
			       .nnames = k,
			       .names_key = "candidate_names"};
	hooks = (struct zl_draw_record_hooks){service_extra, NULL, NULL, &svc};
	zl_jw_init(&w, &rec);
	zl_draw_record_write(&w, &d, sc, NULL, NULL, &hooks);
	rc = store_record(db, "commitment", new_id, &w, &rec, "candidates", err);
out:
	rc = zl_plan_tx_end(db, own, rc, err);
	if (rc == ZL_OK && id != NULL)
		*id = new_id;
done:
	zl_draw_release(&d);
	free(cv);
	free(qv);
	free(names);
	free(regions);
	zl_buf_release(&rec);
	build_release(&b);
	plan_ctx_release(&pc);
	return rc;
}

/* ---- publishing a draw of inspectors -------------------------------------------------------- */

/* A planned, unstaffed inspection of a select draw: a task. */
struct task {
	char id[24];
	const char *uscc, *name, *county, *region_path;
};

/* An account of the pool. */
struct member {
	const char *username, *path, *county;
	char pseudonym[24];
	const char **conflicts; /* with the tasks' enterprises, sorted */
	size_t nconflicts, cap;
};

struct staffing {
	struct zl_arena a;
	struct task *tasks;
	size_t ntasks, tcap;
	struct member *pool;
	size_t npool, pcap;
	const char **enterprises; /* the tasks' USCCs, sorted, for the conflicts */
	size_t nent;
};

static void staffing_release(struct staffing *s)
{
	for (size_t i = 0; i < s->npool; i++)
		free(s->pool[i].conflicts);
	free(s->pool);
	free(s->tasks);
	free(s->enterprises);
	zl_arena_release(&s->a);
}

static int load_tasks(struct zl_db *db, struct staffing *s, int64_t select_id,
		      struct zl_error *err)
{
	struct zl_stmt *st;
	int rc = zl_db_prepare(
		db,
		"SELECT i.id, i.uscc, i.enterprise_name, i.county, i.region, COALESCE(o.path, '')"
		" FROM inspections i LEFT JOIN orgs o ON o.code = i.region AND o.valid_to IS NULL"
		" WHERE i.draw_id = ? AND i.state = 'planned' AND NOT EXISTS (SELECT 1 FROM"
		" inspection_inspectors x WHERE x.inspection_id = i.id) ORDER BY i.id",
		&st, err);
	int fail = 0;

	if (rc != ZL_OK)
		return rc;
	zl_stmt_bind_int64(st, 1, select_id);
	while ((rc = zl_stmt_step(st, err)) == ZL_DB_ROW) {
		struct task *t;
		const char *county = zl_stmt_column_text(st, 3);

		ZL_PLAN_GROW(s->tasks, s->ntasks, s->tcap, fail);
		if (fail) {
			rc = oom(err);
			break;
		}
		t = &s->tasks[s->ntasks++];
		snprintf(t->id, sizeof(t->id), "%" PRId64, zl_stmt_column_int64(st, 0));
		t->uscc = zl_arena_strdup(&s->a, zl_stmt_column_text(st, 1));
		t->name = zl_arena_strdup(&s->a, zl_stmt_column_text(st, 2));
		/* An enterprise without a county in the register: its quota's region. */
		t->county = zl_arena_strdup(&s->a, given(county) ? county
								  : zl_stmt_column_text(st, 4));
		t->region_path = zl_arena_strdup(&s->a, zl_stmt_column_text(st, 5));
		if (!t->uscc || !t->name || !t->county || !t->region_path) {
			rc = oom(err);
			break;
		}
	}
	zl_stmt_reset(st);
	return rc < 0 ? rc : ZL_OK;
}

/* The county an inspector works in: its organization's government, when that is a county. */
static int member_county(struct zl_db *db, struct zl_arena *a, const char *path,
			 const char **county, struct zl_error *err)
{
	char gov_path[ZL_ORG_PATH_MAX], code[8], kind[16], gpath[ZL_ORG_PATH_MAX], name[192];
	size_t n = zl_org_path_government(path, gov_path, sizeof(gov_path));
	int rc;

	*county = "";
	if (n < 8)
		return ZL_OK;
	memcpy(code, gov_path + n - 7, 6);
	code[6] = '\0';
	rc = org_facts(db, code, kind, gpath, name, err);
	if (rc == ZL_ENOTFOUND)
		return ZL_OK;
	if (rc != ZL_OK)
		return rc;
	if (strcmp(kind, "county") == 0 && (*county = zl_arena_strdup(a, code)) == NULL)
		return oom(err);
	return ZL_OK;
}

/* Enabled inspector accounts under the plan's organization or a task's region. */
static int load_pool(struct zl_db *db, struct staffing *s, const char *plan_path,
		     struct zl_error *err)
{
	struct zl_stmt *st;
	int rc = zl_db_prepare(db,
			       "SELECT u.username, o.path FROM users u JOIN orgs o ON o.code = u.org"
			       " AND o.valid_to IS NULL WHERE u.role = 'inspector'"
			       " AND u.disabled = 0 ORDER BY u.username",
			       &st, err);
	int fail = 0;

	if (rc != ZL_OK)
		return rc;
	while ((rc = zl_stmt_step(st, err)) == ZL_DB_ROW) {
		const char *path = zl_stmt_column_text(st, 1);
		int in = given(plan_path) && zl_org_path_within(path, plan_path);
		struct member *m;

		for (size_t i = 0; i < s->ntasks && !in; i++)
			in = given(s->tasks[i].region_path) &&
			     zl_org_path_within(path, s->tasks[i].region_path);
		if (!in)
			continue;
		ZL_PLAN_GROW(s->pool, s->npool, s->pcap, fail);
		if (fail) {
			rc = oom(err);
			break;
		}
		m = &s->pool[s->npool++];
		memset(m, 0, sizeof(*m));
		m->username = zl_arena_strdup(&s->a, zl_stmt_column_text(st, 0));
		m->path = zl_arena_strdup(&s->a, path);
		if (!m->username || !m->path) {
			rc = oom(err);
			break;
		}
	}
	zl_stmt_reset(st);
	if (rc < 0)
		return rc;
	for (size_t i = 0; i < s->npool; i++) {
		/* Pseudonyms by username order, as wide as the pool needs. */
		snprintf(s->pool[i].pseudonym, sizeof(s->pool[i].pseudonym), "I%0*zu",
			 s->npool < 1000 ? 3 : 6, i + 1);
		if ((rc = member_county(db, &s->a, s->pool[i].path, &s->pool[i].county, err)))
			return rc;
	}
	return ZL_OK;
}

/* Each member's conflicts in force with the tasks' enterprises. */
static int load_conflicts(struct zl_db *db, struct staffing *s, struct zl_error *err)
{
	struct zl_stmt *st;
	int rc = ZL_OK, fail = 0;

	s->enterprises = calloc(s->ntasks + 1, sizeof(*s->enterprises));
	if (s->enterprises == NULL)
		return oom(err);
	for (size_t i = 0; i < s->ntasks; i++)
		s->enterprises[s->nent++] = s->tasks[i].uscc;
	qsort(s->enterprises, s->nent, sizeof(*s->enterprises), cmp_str);
	for (size_t i = 0; i < s->npool && rc == ZL_OK; i++) {
		struct member *m = &s->pool[i];

		rc = zl_db_prepare(db,
				   "SELECT uscc FROM inspector_conflicts WHERE username = ?"
				   " AND withdrawn_at = '' ORDER BY uscc",
				   &st, err);
		if (rc != ZL_OK)
			break;
		zl_stmt_bind_text(st, 1, m->username, -1);
		while ((rc = zl_stmt_step(st, err)) == ZL_DB_ROW) {
			const char *u = zl_stmt_column_text(st, 0);

			/* Only the declarations the draw needs are published. */
			if (!in_sorted(s->enterprises, s->nent, u))
				continue;
			ZL_PLAN_GROW(m->conflicts, m->nconflicts, m->cap, fail);
			if (fail || (u = zl_arena_strdup(&s->a, u)) == NULL) {
				rc = oom(err);
				break;
			}
			m->conflicts[m->nconflicts++] = u;
		}
		zl_stmt_reset(st);
		if (rc == ZL_DB_DONE)
			rc = ZL_OK;
	}
	return rc;
}

/* Refuse a pool that cannot staff a task: eligibility does not depend on the seed. */
static int check_eligible(const struct staffing *s, int exclude_own_county,
			  struct zl_error *err)
{
	for (size_t t = 0; t < s->ntasks; t++) {
		const struct task *k = &s->tasks[t];
		size_t ok = 0;

		for (size_t i = 0; i < s->npool; i++) {
			const struct member *m = &s->pool[i];
			int conflict = 0;

			for (size_t c = 0; c < m->nconflicts && !conflict; c++)
				conflict = strcmp(m->conflicts[c], k->uscc) == 0;
			if (conflict || (exclude_own_county && given(m->county) &&
					 strcmp(m->county, k->county) == 0))
				continue;
			ok++;
		}
		if (ok < ZL_DRAW_INSPECTORS_PER_TASK)
			return zl_error_set(
				err, ZL_EUNPROC, "pool",
				"pool: inspection %s (%s %s, county %s) has %zu eligible inspectors"
				" of %zu, %d are needed: add inspector accounts under the plan's"
				" organization or the region, or review the declarations",
				k->id, k->uscc, k->name, k->county, ok, s->npool,
				ZL_DRAW_INSPECTORS_PER_TASK);
	}
	return ZL_OK;
}

int zl_store_draw_publish_inspectors(struct zl_db *db, int64_t select_id,
				     const unsigned char seed[ZL_DRAW_SEED_BYTES],
				     const struct zl_plan_actor *who, int64_t *id,
				     struct zl_error *err)
{
	struct zl_sc_draw_set ds;
	struct staffing s;
	struct plan_ctx pc;
	struct zl_draw_inspectors ins;
	struct zl_draw_inspector *pool = NULL;
	struct zl_draw_task *tasks = NULL;
	const char **names = NULL;
	struct zl_draw_inspector_spec spec;
	struct service svc;
	struct zl_draw_record_hooks hooks;
	struct zl_buf rec = ZL_BUF_INIT(64 << 20);
	char label[1100], now[32], ic[ZL_DRAW_HEX_LEN + 1], sc[ZL_DRAW_HEX_LEN + 1];
	char seed_hex[2 * ZL_DRAW_SEED_BYTES + 1];
	const struct zl_sc_draw *sel;
	int64_t new_id = 0, open = 0;
	struct zl_jw w;
	int rc, own = 0;

	memset(&s, 0, sizeof(s));
	memset(&ins, 0, sizeof(ins));
	zl_arena_init(&s.a, (size_t)64 << 20);
	zl_sc_draw_set_init(&ds);
	memset(&pc, 0, sizeof(pc));
	zl_sc_plan_set_init(&pc.set);
	zl_cat_set_init(&pc.cats);
	if ((rc = zl_plan_actor_check(who, err)) != ZL_OK)
		goto done;
	zl_plan_now(who, now);
	if ((rc = zl_plan_tx_begin(db, &own, err)) != ZL_OK)
		goto done;
	if ((rc = zl_store_draw_get(db, select_id, &ds, err)))
		goto out;
	sel = &ds.v[0];
	if (strcmp(sel->kind, "select") != 0 || strcmp(sel->status, "drawn") != 0) {
		rc = zl_error_set(err, ZL_ECONFLICT, "status",
				  "inspectors are drawn for a draw of enterprises once it is drawn;"
				  " draw %" PRId64 " is a %s draw, %s",
				  select_id, sel->kind, sel->status);
		goto out;
	}
	plan_ctx_release(&pc);
	if ((rc = plan_ctx_load(db, sel->plan_id, sel->product, "id", &pc, err)) ||
	    (rc = plan_in_progress(pc.p, err)) ||
	    (rc = open_draw(db, sel->plan_id, sel->product, "inspectors", select_id, &open, err)))
		goto out;
	if (open > 0) {
		rc = zl_error_set(err, ZL_ECONFLICT, "id",
				  "draw %" PRId64 " of its inspectors is published and not drawn yet",
				  open);
		goto out;
	}
	if ((rc = load_tasks(db, &s, select_id, err)))
		goto out;
	if (s.ntasks == 0) {
		rc = zl_error_set(err, ZL_ECONFLICT, "id",
				  "draw %" PRId64 " has no planned inspection without inspectors",
				  select_id);
		goto out;
	}
	if ((rc = load_pool(db, &s, pc.p->org_path, err)) || (rc = load_conflicts(db, &s, err)))
		goto out;
	if (s.npool == 0) {
		rc = zl_error_set(err, ZL_EUNPROC, "pool",
				  "pool: no inspector account under the plan's organization or the"
				  " regions of the inspections");
		goto out;
	}
	if ((rc = check_eligible(&s, pc.p->exclude_own_county, err)))
		goto out;
	pool = calloc(s.npool, sizeof(*pool));
	tasks = calloc(s.ntasks, sizeof(*tasks));
	names = calloc(2 * s.ntasks, sizeof(*names));
	if (!pool || !tasks || !names) {
		rc = oom(err);
		goto out;
	}
	for (size_t i = 0; i < s.npool; i++)
		pool[i] = (struct zl_draw_inspector){s.pool[i].pseudonym, s.pool[i].county,
						     s.pool[i].conflicts, s.pool[i].nconflicts,
						     NULL};
	for (size_t i = 0; i < s.ntasks; i++) {
		tasks[i] = (struct zl_draw_task){s.tasks[i].id, s.tasks[i].uscc, s.tasks[i].county};
		names[2 * i] = s.tasks[i].uscc;
		names[2 * i + 1] = s.tasks[i].name;
	}
	snprintf(label, sizeof(label), "%s 检查人员", sel->label);
	spec = (struct zl_draw_inspector_spec){label,
					       pool,
					       s.npool,
					       tasks,
					       s.ntasks,
					       ZL_DRAW_INSPECTORS_PER_TASK,
					       pc.p->exclude_own_county};
	if ((rc = zl_draw_inspectors_prepare(&ins, &spec, err)))
		goto out;
	zl_draw_inspectors_commitment(&ins, ic);
	zl_draw_seed_commitment(seed, sc);
	zl_draw_hex(seed, ZL_DRAW_SEED_BYTES, seed_hex);
	if ((rc = insert_draw(db, sel->plan_id, sel->product, "inspectors", select_id, label, ic,
			      sc, seed_hex, (int64_t)s.npool,
			      (int64_t)(s.ntasks * ZL_DRAW_INSPECTORS_PER_TASK), NULL, who, now,
			      &new_id, err)))
		goto out;
	for (size_t i = 0; i < s.npool && rc == ZL_OK; i++) {
		struct zl_stmt *st;

		rc = zl_db_prepare(db,
				   "INSERT INTO spotcheck_draw_pool (draw_id, member, username)"
				   " VALUES (?, ?, ?)",
				   &st, err);
		if (rc != ZL_OK)
			break;
		zl_stmt_bind_int64(st, 1, new_id);
		zl_stmt_bind_text(st, 2, s.pool[i].pseudonym, -1);
		zl_stmt_bind_text(st, 3, s.pool[i].username, -1);
		rc = zl_store_run(st, err);
	}
	if (rc != ZL_OK)
		goto out;
	svc = (struct service){.draw_id = new_id,
			       .of_draw = select_id,
			       .plan_id = sel->plan_id,
			       .plan_title = sel->plan_title,
			       .product = sel->product,
			       .product_name = sel->product_name,
			       .published_at = now,
			       .names = names,
			       .nnames = s.ntasks,
			       .names_key = "enterprise_names"};
	hooks = (struct zl_draw_record_hooks){service_extra, NULL, NULL, &svc};
	zl_jw_init(&w, &rec);
	zl_draw_inspectors_record_write(&w, &ins, sc, NULL, NULL, &hooks);
	rc = store_record(db, "commitment", new_id, &w, &rec, "pool", err);
out:
	rc = zl_plan_tx_end(db, own, rc, err);
	if (rc == ZL_OK && id != NULL)
		*id = new_id;
done:
	zl_draw_inspectors_release(&ins);
	free(pool);
	free(tasks);
	free(names);
	zl_buf_release(&rec);
	staffing_release(&s);
	zl_sc_draw_set_release(&ds);
	plan_ctx_release(&pc);
	return rc;
}

/* ---- drawing ----------------------------------------------------------------------------- */

/* The stored commitment record of draw `d`, parsed; its input commitment checked. */
static int read_commitment(struct zl_db *db, int64_t id, struct zl_draw_record *rec,
			   const char *input_commitment, struct zl_error *err)
{
	struct zl_buf text = ZL_BUF_INIT(256 << 20);
	struct zl_stmt *st;
	int rc = zl_db_prepare(db, "SELECT commitment FROM spotcheck_draws WHERE id = ?", &st, err);

	memset(rec, 0, sizeof(*rec));
	if (rc != ZL_OK)
		return rc;
	zl_stmt_bind_int64(st, 1, id);
	rc = zl_stmt_step(st, err);
	if (rc == ZL_DB_ROW)
		rc = zl_buf_adds(&text, zl_stmt_column_text(st, 0)) ? oom(err) : ZL_OK;
	else if (rc == ZL_DB_DONE)
		rc = zl_error_set(err, ZL_ENOTFOUND, "id", "no draw %" PRId64, id);
	zl_stmt_reset(st);
	if (rc == ZL_OK) {
		rc = zl_draw_record_parse(zl_buf_str(&text), text.len, rec, err);
		if (rc != ZL_OK) {
			char why[ZL_ERR_MSG_MAX];

			snprintf(why, sizeof(why), "%s", err ? err->message : "");
			rc = zl_error_set(err, ZL_EINTERNAL, "commitment",
					  "draw %" PRId64 ": its stored commitment does not parse: %s",
					  id, why);
		} else if (strcmp(rec->input_commitment, input_commitment) != 0)
			rc = zl_error_set(err, ZL_EINTERNAL, "commitment",
					  "draw %" PRId64 ": its stored inputs are not the committed"
					  " ones",
					  id);
	}
	zl_buf_release(&text);
	return rc;
}

/* Fill the service members of a stored draw. */
static void service_of(const struct zl_sc_draw *d, const struct zl_draw_record *rec,
		       const char *now, struct zl_arena *a, struct service *svc)
{
	const cJSON *regions = cJSON_GetObjectItemCaseSensitive(rec->root, "region_names");
	const cJSON *names = cJSON_GetObjectItemCaseSensitive(
		rec->root, rec->kind == ZL_DRAW_KIND_SELECT ? "candidate_names" : "enterprise_names");
	const cJSON *r;

	memset(svc, 0, sizeof(*svc));
	svc->draw_id = d->id;
	svc->of_draw = d->of_draw;
	svc->plan_id = d->plan_id;
	svc->plan_title = d->plan_title;
	svc->product = d->product;
	svc->product_name = d->product_name;
	svc->published_at = d->published_at;
	svc->not_before = d->not_before;
	svc->drawn_at = now;
	svc->names_key = rec->kind == ZL_DRAW_KIND_SELECT ? "candidate_names" : "enterprise_names";
	svc->names_json = cJSON_IsObject(names) ? names : NULL;
	if (cJSON_IsObject(regions)) {
		size_t n = (size_t)cJSON_GetArraySize(regions), k = 0;
		const char **v = zl_arena_calloc(a, 2 * n + 1, sizeof(*v));

		if (v == NULL)
			return;
		cJSON_ArrayForEach(r, regions)
		{
			v[2 * k] = r->string;
			v[2 * k + 1] = cJSON_IsString(r) ? r->valuestring : "";
			k++;
		}
		svc->regions = v;
		svc->nregions = k;
	}
}

/* The enterprise's region in the register ("" when it is gone). */
static int enterprise_region(struct zl_db *db, const char *uscc, char out[24],
			     struct zl_error *err)
{
	int rc = zl_store_text_by_key(db, "SELECT region FROM enterprises WHERE uscc = ?", uscc,
				      out, 24, err);

	if (rc == ZL_ENOTFOUND) {
		out[0] = '\0';
		return ZL_OK;
	}
	return rc;
}

static int make_select(struct zl_db *db, const struct zl_sc_draw *d,
		       const struct plan_ctx *pc, const unsigned char seed[ZL_DRAW_SEED_BYTES],
		       const struct zl_plan_actor *who, const char *now, struct zl_arena *a,
		       struct zl_error *err)
{
	struct zl_draw_record rec;
	struct zl_draw dr;
	struct zl_draw_result res;
	struct service svc;
	struct zl_draw_record_hooks hooks;
	struct zl_buf text = ZL_BUF_INIT(256 << 20);
	struct zl_jw w;
	int rc;

	memset(&dr, 0, sizeof(dr));
	memset(&res, 0, sizeof(res));
	if ((rc = read_commitment(db, d->id, &rec, d->input_commitment, err)) ||
	    (rc = zl_draw_prepare(&dr, &rec.spec, err)) || (rc = zl_draw_run(&dr, seed, &res, err)))
		goto out;
	service_of(d, &rec, now, a, &svc);
	hooks = (struct zl_draw_record_hooks){service_extra, service_pick, NULL, &svc};
	zl_jw_init(&w, &text);
	zl_draw_record_write(&w, &dr, NULL, seed, &res, &hooks);
	if ((rc = store_record(db, "record", d->id, &w, &text, "record", err)))
		goto out;
	for (size_t i = 0; i < res.n && rc == ZL_OK; i++) {
		const struct zl_draw_candidate *c = &dr.cand[res.picks[i].cand];
		const cJSON *name =
			svc.names_json ? cJSON_GetObjectItemCaseSensitive(svc.names_json, c->id)
				       : NULL;
		char county[24];
		struct zl_insp_new n = {0};

		if ((rc = enterprise_region(db, c->id, county, err)))
			break;
		n.plan_id = d->plan_id;
		n.product = d->product;
		n.uscc = c->id;
		n.enterprise_name = cJSON_IsString(name) ? name->valuestring : "";
		n.county = county;
		n.region = c->stratum;
		n.lab = pc->prod->lab;
		n.gov = pc->p->gov;
		n.plan_due = pc->p->end;
		n.draw_id = d->id;
		n.position = (int)(i + 1);
		rc = zl_store_insp_create(db, &n, who, NULL, err);
	}
out:
	zl_draw_result_release(&res);
	zl_draw_release(&dr);
	zl_draw_record_release(&rec);
	zl_buf_release(&text);
	return rc;
}

/* The username behind pseudonym `member` of draw `id`. */
static int pool_username(struct zl_db *db, int64_t id, const char *member, char out[64],
			 struct zl_error *err)
{
	struct zl_stmt *st;
	int rc = zl_db_prepare(db,
			       "SELECT username FROM spotcheck_draw_pool WHERE draw_id = ?"
			       " AND member = ?",
			       &st, err);

	if (rc != ZL_OK)
		return rc;
	zl_stmt_bind_int64(st, 1, id);
	zl_stmt_bind_text(st, 2, member, -1);
	rc = zl_stmt_step(st, err);
	if (rc == ZL_DB_ROW)
		rc = zl_store_copy_exact(out, 64, zl_stmt_column_text(st, 0), "username", err);
	else if (rc == ZL_DB_DONE)
		rc = zl_error_set(err, ZL_EINTERNAL, "pool", "draw %" PRId64 ": no member %s", id,
				  member);
	zl_stmt_reset(st);
	return rc;
}

static int make_inspectors(struct zl_db *db, const struct zl_sc_draw *d,
			   const unsigned char seed[ZL_DRAW_SEED_BYTES],
			   const struct zl_plan_actor *who, const char *now, struct zl_arena *a,
			   struct zl_error *err)
{
	struct zl_draw_record rec;
	struct zl_draw_inspectors ins;
	struct zl_draw_inspector_result res;
	struct service svc;
	struct zl_draw_record_hooks hooks;
	struct zl_buf text = ZL_BUF_INIT(64 << 20);
	struct zl_jw w;
	int rc;

	memset(&ins, 0, sizeof(ins));
	memset(&res, 0, sizeof(res));
	if ((rc = read_commitment(db, d->id, &rec, d->input_commitment, err)) ||
	    (rc = zl_draw_inspectors_prepare(&ins, &rec.ins_spec, err)) ||
	    (rc = zl_draw_inspectors_run(&ins, seed, &res, err)))
		goto out;
	service_of(d, &rec, now, a, &svc);
	hooks = (struct zl_draw_record_hooks){service_extra, NULL, NULL, &svc};
	zl_jw_init(&w, &text);
	zl_draw_inspectors_record_write(&w, &ins, NULL, seed, &res, &hooks);
	if ((rc = store_record(db, "record", d->id, &w, &text, "record", err)))
		goto out;
	for (size_t t = 0; t < res.ntasks && rc == ZL_OK; t++) {
		const struct zl_draw_assignment *as = &res.tasks[t];
		char users[ZL_DRAW_PER_TASK_MAX][64];
		const char *uv[ZL_DRAW_PER_TASK_MAX];
		unsigned k;

		for (k = 0; k < ins.per_task && rc == ZL_OK; k++) {
			rc = pool_username(db, d->id, ins.pool[as->member[k]].id, users[k], err);
			uv[k] = users[k];
		}
		if (rc == ZL_OK)
			rc = zl_store_insp_assign(db, strtoll(ins.tasks[as->task].id, NULL, 10), uv,
						  ins.per_task, d->id, who, err);
	}
out:
	zl_draw_inspector_result_release(&res);
	zl_draw_inspectors_release(&ins);
	zl_draw_record_release(&rec);
	zl_buf_release(&text);
	return rc;
}

int zl_store_draw_make(struct zl_db *db, int64_t id, const struct zl_plan_actor *who,
		       struct zl_error *err)
{
	unsigned char seed[ZL_DRAW_SEED_BYTES];
	char now[32], seed_hex[2 * ZL_DRAW_SEED_BYTES + 1], sc[ZL_DRAW_HEX_LEN + 1];
	struct zl_sc_draw_set ds;
	struct plan_ctx pc;
	const struct zl_sc_draw *d;
	struct zl_stmt *st;
	int rc, own = 0;

	zl_sc_draw_set_init(&ds);
	memset(&pc, 0, sizeof(pc));
	zl_sc_plan_set_init(&pc.set);
	zl_cat_set_init(&pc.cats);
	if ((rc = zl_plan_actor_check(who, err)) != ZL_OK)
		goto done;
	zl_plan_now(who, now);
	if ((rc = zl_plan_tx_begin(db, &own, err)) != ZL_OK)
		goto done;
	if ((rc = zl_store_draw_get(db, id, &ds, err)))
		goto out;
	d = &ds.v[0];
	if (strcmp(d->status, "published") != 0) {
		rc = zl_error_set(err, ZL_ECONFLICT, "status", "draw %" PRId64 " is drawn already",
				  id);
		goto out;
	}
	if (given(d->not_before) && strcmp(now, d->not_before) < 0) {
		rc = zl_error_set(err, ZL_ECONFLICT, "not_before",
				  "draw %" PRId64 " is announced for %s, not before", id,
				  d->not_before);
		goto out;
	}
	plan_ctx_release(&pc);
	if ((rc = plan_ctx_load(db, d->plan_id, d->product, "id", &pc, err)) ||
	    (rc = plan_in_progress(pc.p, err)))
		goto out;
	/* The seed behind the stored commitment, read here for the first time. */
	{
		char key[24];

		snprintf(key, sizeof(key), "%" PRId64, id);
		rc = zl_store_text_by_key(
			db, "SELECT seed FROM spotcheck_draws WHERE id = CAST(? AS BIGINT)", key,
			seed_hex, sizeof(seed_hex), err);
	}
	if (rc != ZL_OK || (rc = zl_draw_seed_parse(seed_hex, seed, err)) != ZL_OK)
		goto out;
	zl_draw_seed_commitment(seed, sc);
	if (strcmp(sc, d->seed_commitment) != 0) {
		rc = zl_error_set(err, ZL_EINTERNAL, "seed",
				  "draw %" PRId64 ": the stored seed is not the committed one", id);
		goto out;
	}
	rc = zl_db_prepare(db,
			   "UPDATE spotcheck_draws SET status = 'drawn', drawn_by = ?, drawn_at = ?"
			   " WHERE id = ? AND status = 'published'",
			   &st, err);
	if (rc != ZL_OK)
		goto out;
	zl_stmt_bind_text(st, 1, who->user, -1);
	zl_stmt_bind_text(st, 2, now, -1);
	zl_stmt_bind_int64(st, 3, id);
	if ((rc = zl_store_run(st, err)) != ZL_OK)
		goto out;
	rc = strcmp(d->kind, "select") == 0
		     ? make_select(db, d, &pc, seed, who, now, &ds.arena, err)
		     : make_inspectors(db, d, seed, who, now, &ds.arena, err);
out:
	rc = zl_plan_tx_end(db, own, rc, err);
done:
	zl_sc_draw_set_release(&ds);
	plan_ctx_release(&pc);
	return rc;
}

/* ---- reading ------------------------------------------------------------------------------ */

#define DRAW_COLS                                                                                  \
	"d.id, d.plan_id, p.title, p.org, COALESCE(o.path, ''), p.status, d.product,"              \
	" COALESCE(c.name, ''), d.kind, COALESCE(d.of_draw, 0), d.label, d.status,"                \
	" d.input_commitment, d.seed_commitment, d.candidates, d.selected, d.not_before, d.org,"  \
	" d.published_by, d.published_at, d.drawn_by, d.drawn_at"
#define DRAW_FROM                                                                                  \
	" FROM spotcheck_draws d JOIN spotcheck_plans p ON p.id = d.plan_id"                       \
	" LEFT JOIN orgs o ON o.code = p.org AND o.valid_to IS NULL"                               \
	" LEFT JOIN catalogue_categories c ON c.code = d.product"

static const char *dup_col(struct zl_arena *a, struct zl_stmt *st, int c, int *fail)
{
	const char *v = zl_arena_strdup(a, zl_stmt_column_text(st, c));

	*fail |= v == NULL;
	return v ? v : "";
}

static int read_draw(struct zl_arena *a, struct zl_stmt *st, struct zl_sc_draw *d,
		     struct zl_error *err)
{
	int fail = 0;

	memset(d, 0, sizeof(*d));
	d->id = zl_stmt_column_int64(st, 0);
	d->plan_id = zl_stmt_column_int64(st, 1);
	d->plan_title = dup_col(a, st, 2, &fail);
	d->plan_org = dup_col(a, st, 3, &fail);
	d->plan_org_path = dup_col(a, st, 4, &fail);
	if (zl_sc_status_parse(zl_stmt_column_text(st, 5), &d->plan_status) != ZL_OK)
		d->plan_status = -1;
	d->product = dup_col(a, st, 6, &fail);
	d->product_name = dup_col(a, st, 7, &fail);
	d->kind = dup_col(a, st, 8, &fail);
	d->of_draw = zl_stmt_column_int64(st, 9);
	d->label = dup_col(a, st, 10, &fail);
	d->status = dup_col(a, st, 11, &fail);
	d->input_commitment = dup_col(a, st, 12, &fail);
	d->seed_commitment = dup_col(a, st, 13, &fail);
	d->candidates = zl_stmt_column_int64(st, 14);
	d->selected = zl_stmt_column_int64(st, 15);
	d->not_before = dup_col(a, st, 16, &fail);
	d->org = dup_col(a, st, 17, &fail);
	d->published_by = dup_col(a, st, 18, &fail);
	d->published_at = dup_col(a, st, 19, &fail);
	d->drawn_by = dup_col(a, st, 20, &fail);
	d->drawn_at = dup_col(a, st, 21, &fail);
	d->seed = "";
	d->record = "";
	return fail ? oom(err) : ZL_OK;
}

/* The ids `sql` (one ?, the draw's id) selects, into an arena array. */
static int draw_ids(struct zl_db *db, struct zl_arena *a, const char *sql, int64_t id,
		    int64_t **out, size_t *n, struct zl_error *err)
{
	int64_t *ids = NULL;
	size_t count = 0;
	struct zl_stmt *st;
	int rc = zl_db_prepare(db, sql, &st, err);

	*out = NULL;
	*n = 0;
	if (rc != ZL_OK)
		return rc;
	zl_stmt_bind_int64(st, 1, id);
	rc = zl_plan_collect_ids(st, &ids, &count, err);
	if (rc == ZL_OK && count > 0) {
		*out = zl_arena_calloc(a, count, sizeof(**out));
		if (*out == NULL)
			rc = oom(err);
		else {
			memcpy(*out, ids, count * sizeof(*ids));
			*n = count;
		}
	}
	free(ids);
	return rc;
}

static int read_details(struct zl_db *db, struct zl_arena *a, struct zl_sc_draw *d,
			struct zl_error *err)
{
	struct zl_stmt *st;
	size_t cap = 0;
	int rc, fail = 0;

	/* The seed shows once drawn, and the record is the commitment until then. */
	rc = zl_db_prepare(db,
			   "SELECT CASE WHEN status = 'drawn' THEN seed ELSE '' END,"
			   " CASE WHEN status = 'drawn' THEN record ELSE commitment END"
			   " FROM spotcheck_draws WHERE id = ?",
			   &st, err);
	if (rc != ZL_OK)
		return rc;
	zl_stmt_bind_int64(st, 1, d->id);
	if ((rc = zl_stmt_step(st, err)) == ZL_DB_ROW) {
		d->seed = dup_col(a, st, 0, &fail);
		d->record = dup_col(a, st, 1, &fail);
	}
	zl_stmt_reset(st);
	if (rc < 0)
		return rc;
	rc = zl_db_prepare(db,
			   "SELECT s.region, COALESCE(o.name, ''), COALESCE(o.path, ''),"
			   " s.plan_quota, s.earlier, s.candidates, s.quota"
			   " FROM spotcheck_draw_strata s LEFT JOIN orgs o ON o.code = s.region"
			   " AND o.valid_to IS NULL WHERE s.draw_id = ? ORDER BY s.region",
			   &st, err);
	if (rc != ZL_OK)
		return rc;
	zl_stmt_bind_int64(st, 1, d->id);
	while ((rc = zl_stmt_step(st, err)) == ZL_DB_ROW) {
		struct zl_draw_stratum_row *s;

		if (d->nstrata == cap) {
			size_t ncap = cap ? 2 * cap : 16;
			struct zl_draw_stratum_row *v = zl_arena_calloc(a, ncap, sizeof(*v));

			if (v == NULL) {
				fail = 1;
				break;
			}
			if (cap)
				memcpy(v, d->strata, cap * sizeof(*v));
			d->strata = v;
			cap = ncap;
		}
		s = &d->strata[d->nstrata++];
		s->region = dup_col(a, st, 0, &fail);
		s->region_name = dup_col(a, st, 1, &fail);
		s->region_path = dup_col(a, st, 2, &fail);
		s->plan_quota = zl_stmt_column_int64(st, 3);
		s->earlier = zl_stmt_column_int64(st, 4);
		s->candidates = zl_stmt_column_int64(st, 5);
		s->quota = zl_stmt_column_int64(st, 6);
	}
	zl_stmt_reset(st);
	if (rc < 0)
		return rc;
	cap = 0;
	rc = zl_db_prepare(db,
			   "SELECT member, username FROM spotcheck_draw_pool WHERE draw_id = ?"
			   " ORDER BY member",
			   &st, err);
	if (rc != ZL_OK)
		return rc;
	zl_stmt_bind_int64(st, 1, d->id);
	while (!fail && (rc = zl_stmt_step(st, err)) == ZL_DB_ROW) {
		if (d->npool == cap) {
			size_t ncap = cap ? 2 * cap : 16;
			struct zl_draw_pool_row *v = zl_arena_calloc(a, ncap, sizeof(*v));

			if (v == NULL) {
				fail = 1;
				break;
			}
			if (cap)
				memcpy(v, d->pool, cap * sizeof(*v));
			d->pool = v;
			cap = ncap;
		}
		d->pool[d->npool].member = dup_col(a, st, 0, &fail);
		d->pool[d->npool++].username = dup_col(a, st, 1, &fail);
	}
	zl_stmt_reset(st);
	if (rc < 0)
		return rc;
	if (fail)
		return oom(err);
	rc = draw_ids(db, a,
		      strcmp(d->kind, "select") == 0
			      ? "SELECT id FROM inspections WHERE draw_id = ? ORDER BY draw_position, id"
			      : "SELECT DISTINCT inspection_id FROM inspection_inspectors"
				" WHERE draw_id = ? ORDER BY inspection_id",
		      d->id, &d->inspections, &d->ninspections, err);
	if (rc == ZL_OK)
		rc = draw_ids(db, a, "SELECT id FROM spotcheck_draws WHERE of_draw = ? ORDER BY id",
			      d->id, &d->inspector_draws, &d->ninspector_draws, err);
	return rc;
}

int zl_store_draw_get(struct zl_db *db, int64_t id, struct zl_sc_draw_set *set,
		      struct zl_error *err)
{
	struct zl_sc_draw *d = zl_arena_calloc(&set->arena, 1, sizeof(*d));
	struct zl_stmt *st;
	int rc;

	set->v = d;
	set->n = 0;
	if (d == NULL)
		return oom(err);
	rc = zl_db_prepare(db, "SELECT " DRAW_COLS DRAW_FROM " WHERE d.id = ?", &st, err);
	if (rc != ZL_OK)
		return rc;
	zl_stmt_bind_int64(st, 1, id);
	rc = zl_stmt_step(st, err);
	if (rc == ZL_DB_ROW)
		rc = read_draw(&set->arena, st, d, err);
	else if (rc == ZL_DB_DONE)
		rc = zl_error_set(err, ZL_ENOTFOUND, "id", "no draw %" PRId64, id);
	zl_stmt_reset(st);
	if (rc == ZL_OK && (rc = read_details(db, &set->arena, d, err)) == ZL_OK)
		set->n = 1;
	return rc;
}

int zl_store_draw_list(struct zl_db *db, const struct zl_draw_filter *f,
		       struct zl_sc_draw_set *set, struct zl_error *err)
{
	struct zl_stmt *st;
	size_t cap = 0;
	int rc;

	set->v = NULL;
	set->n = 0;
	rc = zl_db_prepare(
		db,
		"SELECT " DRAW_COLS DRAW_FROM
		" WHERE (CAST(? AS BIGINT) = 0 OR d.plan_id = CAST(? AS BIGINT))"
		" AND (CAST(? AS TEXT) = '' OR d.product = CAST(? AS TEXT))"
		" AND (CAST(? AS TEXT) = '' OR d.kind = CAST(? AS TEXT))"
		" AND (CAST(? AS TEXT) = '' OR d.status = CAST(? AS TEXT))"
		" AND (CAST(? AS BIGINT) = 0 OR d.id < CAST(? AS BIGINT))"
		" AND (CAST(? AS BIGINT) = 0 OR p.status IN ('in_progress', 'finished'))"
		" ORDER BY d.id DESC",
		&st, err);
	if (rc != ZL_OK)
		return rc;
	zl_stmt_bind_int64(st, 1, f->plan_id);
	zl_stmt_bind_int64(st, 2, f->plan_id);
	zl_stmt_bind_text(st, 3, f->product ? f->product : "", -1);
	zl_stmt_bind_text(st, 4, f->product ? f->product : "", -1);
	zl_stmt_bind_text(st, 5, f->kind ? f->kind : "", -1);
	zl_stmt_bind_text(st, 6, f->kind ? f->kind : "", -1);
	zl_stmt_bind_text(st, 7, f->status ? f->status : "", -1);
	zl_stmt_bind_text(st, 8, f->status ? f->status : "", -1);
	zl_stmt_bind_int64(st, 9, f->before);
	zl_stmt_bind_int64(st, 10, f->before);
	zl_stmt_bind_int64(st, 11, f->public_only ? 1 : 0);
	while ((rc = zl_stmt_step(st, err)) == ZL_DB_ROW) {
		if (set->n == cap) {
			size_t ncap = cap ? 2 * cap : 64;
			struct zl_sc_draw *v = zl_arena_calloc(&set->arena, ncap, sizeof(*v));

			if (v == NULL) {
				rc = oom(err);
				break;
			}
			if (cap)
				memcpy(v, set->v, cap * sizeof(*v));
			set->v = v;
			cap = ncap;
		}
		if ((rc = read_draw(&set->arena, st, &set->v[set->n], err)))
			break;
		set->n++;
	}
	zl_stmt_reset(st);
	return rc < 0 ? rc : ZL_OK;
}

/* ---- enterprise classes ------------------------------------------------------------------- */

static int enterprise_known(struct zl_db *db, const char *uscc, struct zl_error *err)
{
	int64_t n = 0;
	int rc = zl_store_int_by_key(db, "SELECT count(*) FROM enterprises WHERE uscc = ?", uscc,
				     &n, err);

	if (rc == ZL_OK && n == 0)
		rc = zl_error_set(err, ZL_ENOTFOUND, "uscc", "no enterprise %s in the register",
				  uscc);
	return rc;
}

int zl_store_ent_class_set(struct zl_db *db, const char *uscc, const char *cls,
			   const char *decided_on, const char *note,
			   const struct zl_plan_actor *who, struct zl_error *err)
{
	struct zl_stmt *st;
	int rc, own = 0, c;

	if ((rc = zl_plan_actor_check(who, err)) != ZL_OK)
		return rc;
	if (cls != NULL && zl_sc_class_parse(cls, &c) != ZL_OK)
		return zl_error_set(err, ZL_EUNPROC, "class", "class is AA, A, B or C");
	if ((rc = zl_plan_tx_begin(db, &own, err)) != ZL_OK)
		return rc;
	if ((rc = enterprise_known(db, uscc, err)) != ZL_OK)
		goto out;
	if (cls == NULL) {
		rc = zl_db_prepare(db, "DELETE FROM enterprise_classes WHERE uscc = ?", &st, err);
		if (rc == ZL_OK) {
			zl_stmt_bind_text(st, 1, uscc, -1);
			rc = zl_store_run(st, err);
		}
		goto out;
	}
	rc = zl_db_prepare(db,
			   "INSERT INTO enterprise_classes (uscc, ent_class, decided_on, decided_by,"
			   " note) VALUES (?, ?, ?, ?, ?) ON CONFLICT (uscc) DO UPDATE SET"
			   " ent_class = excluded.ent_class, decided_on = excluded.decided_on,"
			   " decided_by = excluded.decided_by, note = excluded.note",
			   &st, err);
	if (rc != ZL_OK)
		goto out;
	zl_stmt_bind_text(st, 1, uscc, -1);
	zl_stmt_bind_text(st, 2, cls, -1);
	zl_stmt_bind_text(st, 3, given(decided_on) ? decided_on : who->today, -1);
	zl_stmt_bind_text(st, 4, who->user, -1);
	zl_stmt_bind_text(st, 5, note ? note : "", -1);
	rc = zl_store_run(st, err);
out:
	return zl_plan_tx_end(db, own, rc, err);
}

int zl_store_ent_class_get(struct zl_db *db, const char *uscc, char cls[4], struct zl_error *err)
{
	int rc = zl_store_text_by_key(db, "SELECT ent_class FROM enterprise_classes WHERE uscc = ?",
				      uscc, cls, 4, err);

	if (rc == ZL_ENOTFOUND) {
		cls[0] = '\0';
		return ZL_OK;
	}
	return rc;
}

/* ---- conflicts of interest ---------------------------------------------------------------- */

int zl_store_conflict_declare(struct zl_db *db, const char *username, const char *uscc,
			      const char *reason, const struct zl_plan_actor *who,
			      struct zl_error *err)
{
	char now[32], withdrawn[32];
	struct zl_stmt *st;
	int rc, own = 0;

	if ((rc = zl_plan_actor_check(who, err)) != ZL_OK)
		return rc;
	if (reason != NULL && zl_plan_chars(reason) > ZL_CONFLICT_REASON_MAX)
		return zl_error_set(err, ZL_EUNPROC, "reason", "reason: at most %d characters",
				    ZL_CONFLICT_REASON_MAX);
	zl_plan_now(who, now);
	if ((rc = zl_plan_tx_begin(db, &own, err)) != ZL_OK)
		return rc;
	if ((rc = enterprise_known(db, uscc, err)) != ZL_OK)
		goto out;
	rc = zl_db_prepare(db,
			   "SELECT withdrawn_at FROM inspector_conflicts WHERE username = ?"
			   " AND uscc = ?",
			   &st, err);
	if (rc != ZL_OK)
		goto out;
	zl_stmt_bind_text(st, 1, username, -1);
	zl_stmt_bind_text(st, 2, uscc, -1);
	rc = zl_stmt_step(st, err);
	withdrawn[0] = '\0';
	if (rc == ZL_DB_ROW)
		zl_store_col_text(st, 0, withdrawn, sizeof(withdrawn));
	zl_stmt_reset(st);
	if (rc < 0)
		goto out;
	if (rc == ZL_DB_ROW && withdrawn[0] == '\0') {
		rc = zl_error_set(err, ZL_ECONFLICT, "uscc",
				  "a conflict with %s is declared already", uscc);
		goto out;
	}
	rc = zl_db_prepare(db,
			   "INSERT INTO inspector_conflicts (username, uscc, reason, declared_at)"
			   " VALUES (?, ?, ?, ?) ON CONFLICT (username, uscc) DO UPDATE SET"
			   " reason = excluded.reason, declared_at = excluded.declared_at,"
			   " withdrawn_at = ''",
			   &st, err);
	if (rc != ZL_OK)
		goto out;
	zl_stmt_bind_text(st, 1, username, -1);
	zl_stmt_bind_text(st, 2, uscc, -1);
	zl_stmt_bind_text(st, 3, reason ? reason : "", -1);
	zl_stmt_bind_text(st, 4, now, -1);
	rc = zl_store_run(st, err);
out:
	return zl_plan_tx_end(db, own, rc, err);
}

int zl_store_conflict_withdraw(struct zl_db *db, const char *username, const char *uscc,
			       const struct zl_plan_actor *who, struct zl_error *err)
{
	char now[32];
	struct zl_stmt *st;
	int rc;

	if ((rc = zl_plan_actor_check(who, err)) != ZL_OK)
		return rc;
	zl_plan_now(who, now);
	rc = zl_db_prepare(db,
			   "UPDATE inspector_conflicts SET withdrawn_at = ? WHERE username = ?"
			   " AND uscc = ? AND withdrawn_at = ''",
			   &st, err);
	if (rc != ZL_OK)
		return rc;
	zl_stmt_bind_text(st, 1, now, -1);
	zl_stmt_bind_text(st, 2, username, -1);
	zl_stmt_bind_text(st, 3, uscc, -1);
	rc = zl_stmt_step(st, err);
	if (rc >= 0) {
		rc = zl_stmt_changes(st) > 0
			     ? ZL_OK
			     : zl_error_set(err, ZL_ENOTFOUND, "uscc",
					    "no declared conflict with %s in force", uscc);
	}
	zl_stmt_reset(st);
	return rc;
}

int zl_store_conflicts(struct zl_db *db, const char *username, zl_conflict_fn *fn, void *cls,
		       struct zl_error *err)
{
	struct zl_conflict *c = calloc(1, sizeof(*c));
	struct zl_stmt *st;
	int rc;

	if (c == NULL)
		return oom(err);
	rc = zl_db_prepare(db,
			   "SELECT k.username, k.uscc, COALESCE(e.name, ''), k.reason,"
			   " k.declared_at, k.withdrawn_at FROM inspector_conflicts k"
			   " LEFT JOIN enterprises e ON e.uscc = k.uscc WHERE k.username = ?"
			   " ORDER BY k.uscc",
			   &st, err);
	if (rc == ZL_OK) {
		zl_stmt_bind_text(st, 1, username, -1);
		while ((rc = zl_stmt_step(st, err)) == ZL_DB_ROW) {
			zl_store_col_text(st, 0, c->username, sizeof(c->username));
			zl_store_col_text(st, 1, c->uscc, sizeof(c->uscc));
			zl_store_col_text(st, 2, c->name, sizeof(c->name));
			zl_store_col_text(st, 3, c->reason, sizeof(c->reason));
			zl_store_col_text(st, 4, c->declared_at, sizeof(c->declared_at));
			zl_store_col_text(st, 5, c->withdrawn_at, sizeof(c->withdrawn_at));
			if ((rc = fn(cls, c)) != ZL_OK)
				break;
		}
		zl_stmt_reset(st);
		if (rc == ZL_DB_DONE)
			rc = ZL_OK;
	}
	free(c);
	return rc;
}
