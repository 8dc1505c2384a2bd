/*
 * sc_import.c - the import of published spot-check result tables (see
 * sc_import.h): the file's hash, the header and title rows, the product
 * and producer matching, the announcement and the imported plan, and one
 * inspection per accepted row through zl_store_insp_import_row().
 *
 * The register is read for a name or organization-code match only when a
 * row needs one: then once, whole, into a sorted in-memory index of
 * normalised names (former names included) and embedded organization codes,
 * so that a million rows cost a million binary searches, not a million
 * queries.  A USCC match is one prepared primary-key lookup.
 */
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codes/uscc.h"
#include "core/table.h"
#include "domain/authz.h"
#include "domain/import_map.h"
#include "domain/inspection.h"
#include "domain/sc_import.h"
#include "store/inspections.h"
#include "store/plan_internal.h"
#include "store/query.h"
#include "store/sc_import.h"
#include "store/scstats.h"

#define NAME_NORM_MAX 768

/* ---- the register index (lazy) ---- */

struct ent {
	char uscc[19];
	char org[10]; /* the organization code in the USCC, or a legacy record's */
	char region[7];
	char size[12];
	char *name; /* the current name (heap) */
	char *norm; /* the normalised name this entry answers to (heap) */
	int former; /* norm is a former name (the code index skips these) */
};

struct reg {
	int loaded;
	struct ent *v;
	size_t n, cap;
	size_t *by_name, *by_org; /* indices sorted by norm / by org (org entries only) */
	size_t norg;
};

static void reg_release(struct reg *r)
{
	for (size_t i = 0; i < r->n; i++) {
		free(r->v[i].name);
		free(r->v[i].norm);
	}
	free(r->v);
	free(r->by_name);
	free(r->by_org);
	memset(r, 0, sizeof(*r));
}

static const struct reg *sort_reg; /* qsort has no context argument in C17 */

static int cmp_name(const void *a, const void *b)
{
	return strcmp(sort_reg->v[*(const size_t *)a].norm, sort_reg->v[*(const size_t *)b].norm);
}

static int cmp_org(const void *a, const void *b)
{
	return strcmp(sort_reg->v[*(const size_t *)a].org, sort_reg->v[*(const size_t *)b].org);
}

static int reg_push(struct reg *r, const char *uscc, const char *org, const char *name,
		    const char *normed_from, const char *region, const char *size, int former)
{
	char norm[NAME_NORM_MAX];
	struct ent *e;

	if (r->n == r->cap) {
		size_t nc = r->cap ? r->cap * 2 : 4096;
		struct ent *v = realloc(r->v, nc * sizeof(*v));
		if (!v)
			return ZL_ENOMEM;
		r->v = v;
		r->cap = nc;
	}
	e = &r->v[r->n];
	memset(e, 0, sizeof(*e));
	zl_strlcpy(e->uscc, uscc, sizeof(e->uscc));
	zl_strlcpy(e->org, org, sizeof(e->org));
	zl_strlcpy(e->region, region, sizeof(e->region));
	zl_strlcpy(e->size, size, sizeof(e->size));
	e->former = former;
	zl_sc_name_norm(normed_from, norm, sizeof(norm));
	e->name = strdup(name);
	e->norm = strdup(norm);
	if (!e->name || !e->norm) {
		free(e->name);
		free(e->norm);
		return ZL_ENOMEM;
	}
	r->n++;
	return ZL_OK;
}

static int reg_load(struct zl_db *db, struct reg *r, struct zl_error *err)
{
	struct zl_stmt *st;
	int rc;

	rc = zl_db_prepare(db,
			   "SELECT e.uscc, e.org_code, e.name, e.name, e.region, e.size_class, 0"
			   " FROM enterprises e UNION ALL"
			   " SELECT e.uscc, e.org_code, e.name, f.name, e.region, e.size_class, 1"
			   " FROM enterprise_former_names f JOIN enterprises e ON e.uscc = f.uscc",
			   &st, err);
	if (rc != ZL_OK)
		return rc;
	while ((rc = zl_stmt_step(st, err)) == ZL_DB_ROW) {
		const char *uscc = zl_stmt_column_text(st, 0);
		const char *org = zl_stmt_column_text(st, 1);
		char embedded[10] = "";

		/* A USCC carries the organization code in positions 9-17. */
		if (strlen(uscc) == 18) {
			memcpy(embedded, uscc + 8, 9);
			embedded[9] = '\0';
		}
		rc = reg_push(r, uscc, org[0] ? org : embedded, zl_stmt_column_text(st, 2),
			      zl_stmt_column_text(st, 3), zl_stmt_column_text(st, 4),
			      zl_stmt_column_text(st, 5), (int)zl_stmt_column_int64(st, 6));
		if (rc != ZL_OK) {
			zl_stmt_reset(st);
			return zl_error_set(err, ZL_ENOMEM, "", "out of memory");
		}
	}
	zl_stmt_reset(st);
	if (rc != ZL_DB_DONE)
		return rc;
	r->by_name = malloc((r->n ? r->n : 1) * sizeof(size_t));
	r->by_org = malloc((r->n ? r->n : 1) * sizeof(size_t));
	if (!r->by_name || !r->by_org)
		return zl_error_set(err, ZL_ENOMEM, "", "out of memory");
	for (size_t i = 0; i < r->n; i++) {
		r->by_name[i] = i;
		if (r->v[i].org[0] && !r->v[i].former)
			r->by_org[r->norg++] = i;
	}
	sort_reg = r;
	qsort(r->by_name, r->n, sizeof(size_t), cmp_name);
	qsort(r->by_org, r->norg, sizeof(size_t), cmp_org);
	sort_reg = NULL;
	r->loaded = 1;
	return ZL_OK;
}

/* First index in idx[0..n) whose key is >= key. */
static size_t lower(const struct reg *r, const size_t *idx, size_t n, const char *key, int org)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct ent *e = &r->v[idx[mid]];
		if (strcmp(org ? e->org : e->norm, key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Is region code `code` in the subtree of `root` (six digits each)? */
static int in_region(const char *code, const char *root)
{
	if (!root || !root[0])
		return 1;
	if (!strcmp(root + 2, "0000"))
		return !strncmp(code, root, 2);
	if (!strcmp(root + 4, "00"))
		return !strncmp(code, root, 4);
	return !strcmp(code, root);
}

/* ---- the import ---- */

/* The enterprise matched. */
struct match {
	char uscc[19];
	char name[NAME_NORM_MAX];
	char region[7];
	char size[12];
};

/* Enterprises found by USCC, remembered: a table names the same producers again and again. */
#define USCC_CACHE 4096

struct cat {
	char code[16];
	char norm[NAME_NORM_MAX];
};

struct imp {
	struct zl_db *db;
	const struct zl_sc_import_options *opt;
	struct zl_import_result *res;
	struct zl_sc_import_info *info;
	struct zl_sc_map m;
	struct zl_sc_row *row;
	struct reg reg;
	struct cat *cats;
	size_t ncats;
	int64_t *done_rows; /* source rows already imported (sorted) */
	size_t ndone;
	size_t max_rej;
	int writing; /* still writing rows (no reject without --partial, no dry run) */
	char org[ZL_ORG_CODE_MAX]; /* opt->org, or the province's */
	char org_name[256], gov[16], gov_level[16], now[32], source[256];
	char first_title[512];
	char title_rows[2048];		/* every title row, for the year and document number */
	struct match *uscc_cache;	/* USCC_CACHE slots by hash of the code; uscc "" = empty */
	char last_text[ZL_SC_TEXT_MAX]; /* match_product's last question ("" with none) */
	const char *last_product;	/* and its answer */
};

static int oom(struct zl_error *err)
{
	return zl_error_set(err, ZL_ENOMEM, "", "out of memory");
}

static int file_sha256(const char *path, char hex[65], struct zl_error *err)
{
	crypto_hash_sha256_state h;
	unsigned char d[crypto_hash_sha256_BYTES], buf[1 << 16];
	FILE *f = fopen(path, "rb");
	size_t n;

	if (!f)
		return zl_error_set(err, ZL_EIO, "file", "cannot open %s", path);
	crypto_hash_sha256_init(&h);
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		crypto_hash_sha256_update(&h, buf, n);
	if (ferror(f)) {
		fclose(f);
		return zl_error_set(err, ZL_EIO, "file", "cannot read %s", path);
	}
	fclose(f);
	crypto_hash_sha256_final(&h, d);
	sodium_bin2hex(hex, 65, d, sizeof(d));
	return ZL_OK;
}

static int reject(struct imp *k, uint64_t row, long col, const char *value, const char *reason)
{
	char label[96];

	zl_sc_map_label(&k->m, col, label, sizeof(label));
	if (!k->opt->partial)
		k->writing = 0;
	return zl_import_add_reject(k->res, k->max_rej, row, label, value, reason) == ZL_OK
		       ? ZL_OK
		       : ZL_ENOMEM;
}

/* The organization: its name, its government and the government's level. */
static int load_org(struct imp *k, struct zl_error *err)
{
	char kind[16], path[ZL_ORG_PATH_MAX], gov_path[ZL_ORG_PATH_MAX];
	struct zl_stmt *st;
	size_t n;
	int rc;

	if (!k->org[0]) {
		/* No --org: the province's government, the root of the tree. */
		rc = zl_store_text_by_key(
			k->db,
			"SELECT code FROM orgs WHERE kind = ? AND valid_to IS NULL"
			" ORDER BY code LIMIT 1",
			"province", k->org, sizeof(k->org), err);
		if (rc == ZL_ENOTFOUND)
			return zl_error_set(err, ZL_EUNPROC, "org", "no province organization");
		if (rc != ZL_OK)
			return rc;
	}
	rc = zl_db_prepare(k->db,
			   "SELECT o.kind, o.path, o.name FROM orgs o WHERE o.code = ?"
			   " AND o.valid_to IS NULL",
			   &st, err);
	if (rc != ZL_OK)
		return rc;
	zl_stmt_bind_text(st, 1, k->org, -1);
	rc = zl_stmt_step(st, err);
	if (rc == ZL_DB_ROW) {
		zl_store_col_text(st, 0, kind, sizeof(kind));
		zl_store_col_text(st, 1, path, sizeof(path));
		zl_store_col_text(st, 2, k->org_name, sizeof(k->org_name));
		rc = ZL_OK;
	} else if (rc == ZL_DB_DONE) {
		rc = zl_error_set(err, ZL_EUNPROC, "org", "no current organization %s", k->org);
	}
	zl_stmt_reset(st);
	if (rc != ZL_OK)
		return rc;
	n = zl_org_path_government(path, gov_path, sizeof(gov_path));
	if (n < 7 || !strcmp(kind, "enterprise"))
		return zl_error_set(err, ZL_EUNPROC, "org",
				    "%s belongs to no province, city or county", k->org);
	memcpy(k->gov, gov_path + n - 7, 6);
	k->gov[6] = '\0';
	rc = zl_store_text_by_key(k->db,
				  "SELECT kind FROM orgs WHERE code = ? AND valid_to IS NULL",
				  k->gov, k->gov_level, sizeof(k->gov_level), err);
	if (rc == ZL_ENOTFOUND)
		return zl_error_set(err, ZL_EUNPROC, "org", "%s belongs to no government", k->org);
	return rc;
}

static int load_catalogue(struct imp *k, struct zl_error *err)
{
	struct zl_stmt *st;
	size_t cap = 0;
	int rc = zl_db_prepare(k->db,
			       "SELECT code, name FROM catalogue_categories WHERE status = 'active'"
			       " ORDER BY length(code) DESC, code",
			       &st, err);

	if (rc != ZL_OK)
		return rc;
	while ((rc = zl_stmt_step(st, err)) == ZL_DB_ROW) {
		if (k->ncats == cap) {
			size_t nc = cap ? cap * 2 : 64;
			struct cat *v = realloc(k->cats, nc * sizeof(*v));
			if (!v) {
				zl_stmt_reset(st);
				return oom(err);
			}
			k->cats = v;
			cap = nc;
		}
		zl_store_col_text(st, 0, k->cats[k->ncats].code, sizeof(k->cats[0].code));
		zl_sc_name_norm(zl_stmt_column_text(st, 1), k->cats[k->ncats].norm,
				sizeof(k->cats[0].norm));
		k->ncats++;
	}
	zl_stmt_reset(st);
	return rc == ZL_DB_DONE ? ZL_OK : rc;
}

static int cat_has(const struct imp *k, const char *code)
{
	for (size_t i = 0; i < k->ncats; i++)
		if (!strcmp(k->cats[i].code, code))
			return 1;
	return 0;
}

/* The catalogue code of the row's product, or NULL. */
static const char *match_product(struct imp *k, const char *text)
{
	char norm[NAME_NORM_MAX];
	const char *syn;

	/* A table names one or a few products: the last answer is usually the answer. */
	if (k->last_product && !strcmp(text, k->last_text))
		return k->last_product;
	k->last_product = NULL;
	if (strlen(text) < sizeof(k->last_text))
		memcpy(k->last_text, text, strlen(text) + 1);
	else
		k->last_text[0] = '\0';
	if (text[0]) {
		zl_sc_name_norm(text, norm, sizeof(norm));
		for (size_t i = 0; i < k->ncats; i++)
			if (!strcmp(k->cats[i].norm, norm))
				return k->last_product = k->cats[i].code;
		syn = zl_sc_product_synonym(text);
		if (syn && cat_has(k, syn))
			return k->last_product = syn;
	}
	return k->last_product = k->opt->product && k->opt->product[0] ? k->opt->product : NULL;
}

/*
 * Match the row's producer (else its sampled unit): 1 matched (*mt), 0 not
 * (the row was rejected), < 0 an error.
 */
static int match_enterprise(struct imp *k, uint64_t rowno, struct match *mt, struct zl_error *err)
{
	const struct zl_sc_row *r = k->row;
	const char *who = r->producer[0] ? r->producer : r->sampled_unit;
	long who_col =
		r->producer[0] ? k->m.col_of[ZL_SCC_PRODUCER] : k->m.col_of[ZL_SCC_SAMPLED_UNIT];
	const char *root = r->region[0] ? r->region : k->opt->region;
	char reason[512], norm[NAME_NORM_MAX];
	int rc;

	if (r->uscc[0]) {
		struct zl_uscc_result u;
		struct zl_stmt *st;
		struct match *slot;

		if (zl_uscc_check(r->uscc, strlen(r->uscc), 0, &u) != ZL_OK) {
			rc = reject(k, rowno, k->m.col_of[ZL_SCC_USCC], r->uscc,
				    "not a valid unified social credit code");
			return rc == ZL_OK ? 0 : oom(err);
		}
		{
			uint32_t h = 2166136261u;
			for (const char *p = r->uscc; *p; p++)
				h = (h ^ (unsigned char)*p) * 16777619u;
			slot = k->uscc_cache ? &k->uscc_cache[h % USCC_CACHE] : NULL;
			if (slot && !strcmp(slot->uscc, r->uscc)) {
				*mt = *slot;
				return 1;
			}
		}
		rc = zl_db_prepare(k->db,
				   "SELECT uscc, name, region, size_class FROM enterprises"
				   " WHERE uscc = ?",
				   &st, err);
		if (rc != ZL_OK)
			return rc;
		zl_stmt_bind_text(st, 1, r->uscc, -1);
		rc = zl_stmt_step(st, err);
		if (rc == ZL_DB_ROW) {
			zl_store_col_text(st, 0, mt->uscc, sizeof(mt->uscc));
			zl_store_col_text(st, 1, mt->name, sizeof(mt->name));
			zl_store_col_text(st, 2, mt->region, sizeof(mt->region));
			zl_store_col_text(st, 3, mt->size, sizeof(mt->size));
			rc = 1;
		} else if (rc == ZL_DB_DONE) {
			rc = 0;
		}
		zl_stmt_reset(st);
		if (rc < 0)
			return rc;
		if (rc == 0) {
			rc = reject(k, rowno, k->m.col_of[ZL_SCC_USCC], r->uscc,
				    "unmatched: no enterprise with this code in the register");
			return rc == ZL_OK ? 0 : oom(err);
		}
		if (slot)
			*slot = *mt;
		return 1;
	}
	if (!k->reg.loaded && (rc = reg_load(k->db, &k->reg, err)) != ZL_OK)
		return rc;
	if (r->org_code[0]) {
		size_t i = lower(&k->reg, k->reg.by_org, k->reg.norg, r->org_code, 1), found = 0;
		const struct ent *hit = NULL;

		for (; i < k->reg.norg && !strcmp(k->reg.v[k->reg.by_org[i]].org, r->org_code);
		     i++) {
			const struct ent *e = &k->reg.v[k->reg.by_org[i]];
			if (hit && !strcmp(hit->uscc, e->uscc))
				continue;
			hit = e;
			found++;
		}
		if (found != 1) {
			if (found)
				snprintf(reason, sizeof(reason),
					 "unmatched: %zu enterprises bear this organization code",
					 found);
			else
				zl_strlcpy(reason,
					   "unmatched: no enterprise with this organization code",
					   sizeof(reason));
			rc = reject(k, rowno, k->m.col_of[ZL_SCC_ORG_CODE], r->org_code, reason);
			return rc == ZL_OK ? 0 : oom(err);
		}
		zl_strlcpy(mt->uscc, hit->uscc, sizeof(mt->uscc));
		zl_strlcpy(mt->name, hit->name, sizeof(mt->name));
		zl_strlcpy(mt->region, hit->region, sizeof(mt->region));
		zl_strlcpy(mt->size, hit->size, sizeof(mt->size));
		return 1;
	}
	zl_sc_name_norm(who, norm, sizeof(norm));
	{
		size_t i = lower(&k->reg, k->reg.by_name, k->reg.n, norm, 0), found = 0, len = 0;
		const struct ent *hit = NULL;
		char codes[200] = "";

		for (; i < k->reg.n && !strcmp(k->reg.v[k->reg.by_name[i]].norm, norm); i++) {
			const struct ent *e = &k->reg.v[k->reg.by_name[i]];
			if (!in_region(e->region, root) || (hit && !strcmp(hit->uscc, e->uscc)))
				continue;
			/* A current name and a former name of the same enterprise count once. */
			if (hit && strstr(codes, e->uscc))
				continue;
			hit = e;
			found++;
			if (len + 20 < sizeof(codes)) {
				len += (size_t)snprintf(codes + len, sizeof(codes) - len, "%s%s",
							len ? " " : "", e->uscc);
			}
		}
		if (found == 1) {
			zl_strlcpy(mt->uscc, hit->uscc, sizeof(mt->uscc));
			zl_strlcpy(mt->name, hit->name, sizeof(mt->name));
			zl_strlcpy(mt->region, hit->region, sizeof(mt->region));
			zl_strlcpy(mt->size, hit->size, sizeof(mt->size));
			return 1;
		}
		if (found == 0)
			snprintf(reason, sizeof(reason),
				 "unmatched: no enterprise of this name in the register%s%s%s",
				 root && root[0] ? " within region " : "", root ? root : "",
				 "; resolve it by hand (register it, or add the code to the file)");
		else
			snprintf(reason, sizeof(reason),
				 "unmatched: %zu enterprises bear this name (%s); add the code to"
				 " the file",
				 found, codes);
		rc = reject(k, rowno, who_col, who, reason);
		return rc == ZL_OK ? 0 : oom(err);
	}
}

/* The announcement (found by its file's hash, or made) and the year's imported plan. */
static int ensure_parents(struct imp *k, struct zl_error *err)
{
	struct zl_sc_import_info *in = k->info;
	const struct zl_plan_actor *who = k->opt->who;
	char title[400], start[16], end[16];
	struct zl_stmt *st;
	int rc, y = in->year % 10000;

	if (in->plan_id)
		return ZL_OK;
	if (!in->announcement_id) {
		rc = zl_db_prepare(k->db,
				   "INSERT INTO spotcheck_announcements (org, level, title, doc_no,"
				   " origin, source, source_sha256, status, issued_on, created_by,"
				   " created_at, updated_by, updated_at) VALUES (?, ?, ?, ?,"
				   " 'imported', ?, ?, 'draft', ?, ?, ?, ?, ?) RETURNING id",
				   &st, err);
		if (rc != ZL_OK)
			return rc;
		zl_stmt_bind_text(st, 1, k->org, -1);
		zl_stmt_bind_text(st, 2, in->level, -1);
		zl_stmt_bind_text(st, 3, in->title, -1);
		zl_stmt_bind_text(st, 4, in->doc_no, -1);
		zl_stmt_bind_text(st, 5, k->source, -1);
		zl_stmt_bind_text(st, 6, in->sha256, -1);
		zl_stmt_bind_text(st, 7, in->issued_on, -1);
		zl_stmt_bind_text(st, 8, who->user, -1);
		zl_stmt_bind_text(st, 9, k->now, -1);
		zl_stmt_bind_text(st, 10, who->user, -1);
		zl_stmt_bind_text(st, 11, k->now, -1);
		if ((rc = zl_plan_run_id(st, &in->announcement_id, err)) != ZL_OK)
			return rc;
	}
	rc = zl_db_prepare(k->db,
			   "SELECT id FROM spotcheck_plans WHERE org = ? AND year = ?"
			   " AND origin = 'imported' ORDER BY id LIMIT 1",
			   &st, err);
	if (rc != ZL_OK)
		return rc;
	zl_stmt_bind_text(st, 1, k->org, -1);
	zl_stmt_bind_int64(st, 2, in->year);
	rc = zl_stmt_step(st, err);
	if (rc == ZL_DB_ROW)
		in->plan_id = zl_stmt_column_int64(st, 0);
	zl_stmt_reset(st);
	if (rc != ZL_DB_ROW && rc != ZL_DB_DONE)
		return rc;
	if (in->plan_id)
		return ZL_OK;
	snprintf(title, sizeof(title), "%d年%s抽查结果（导入）", y, k->org_name);
	snprintf(start, sizeof(start), "%04d-01-01", y < 0 ? 0 : y);
	snprintf(end, sizeof(end), "%04d-12-31", y < 0 ? 0 : y);
	rc = zl_db_prepare(
		k->db,
		"INSERT INTO spotcheck_plans (title, year, kind, org, gov, level, start_on,"
		" end_on, note, status, origin, created_by, created_at, updated_by,"
		" updated_at) VALUES (?, ?, 'yearly', ?, ?, ?, ?, ?, ?, 'finished',"
		" 'imported', ?, ?, ?, ?) RETURNING id",
		&st, err);
	if (rc != ZL_OK)
		return rc;
	zl_stmt_bind_text(st, 1, title, -1);
	zl_stmt_bind_int64(st, 2, in->year);
	zl_stmt_bind_text(st, 3, k->org, -1);
	zl_stmt_bind_text(st, 4, k->gov, -1);
	zl_stmt_bind_text(st, 5, k->gov_level, -1);
	zl_stmt_bind_text(st, 6, start, -1);
	zl_stmt_bind_text(st, 7, end, -1);
	zl_stmt_bind_text(st, 8, "Results imported from published announcements", -1);
	zl_stmt_bind_text(st, 9, who->user, -1);
	zl_stmt_bind_text(st, 10, k->now, -1);
	zl_stmt_bind_text(st, 11, who->user, -1);
	zl_stmt_bind_text(st, 12, k->now, -1);
	return zl_plan_run_id(st, &in->plan_id, err);
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

/* An earlier import of the same file: its announcement and the rows it holds. */
static int find_earlier(struct imp *k, struct zl_error *err)
{
	struct zl_stmt *st;
	size_t cap = 0;
	int rc = zl_db_prepare(k->db,
			       "SELECT id FROM spotcheck_announcements WHERE org = ?"
			       " AND source_sha256 = ?",
			       &st, err);

	if (rc != ZL_OK)
		return rc;
	zl_stmt_bind_text(st, 1, k->org, -1);
	zl_stmt_bind_text(st, 2, k->info->sha256, -1);
	rc = zl_stmt_step(st, err);
	if (rc == ZL_DB_ROW)
		k->info->announcement_id = zl_stmt_column_int64(st, 0);
	zl_stmt_reset(st);
	if (rc != ZL_DB_ROW)
		return rc == ZL_DB_DONE ? ZL_OK : rc;
	k->info->announcement_existed = 1;
	rc = zl_db_prepare(k->db,
			   "SELECT source_row, plan_id FROM inspections WHERE announcement_id = ?",
			   &st, err);
	if (rc != ZL_OK)
		return rc;
	zl_stmt_bind_int64(st, 1, k->info->announcement_id);
	while ((rc = zl_stmt_step(st, err)) == ZL_DB_ROW) {
		if (k->ndone == cap) {
			size_t nc = cap ? cap * 2 : 1024;
			int64_t *v = realloc(k->done_rows, nc * sizeof(*v));
			if (!v) {
				zl_stmt_reset(st);
				return oom(err);
			}
			k->done_rows = v;
			cap = nc;
		}
		k->done_rows[k->ndone++] = zl_stmt_column_int64(st, 0);
		k->info->plan_id = zl_stmt_column_int64(st, 1);
	}
	zl_stmt_reset(st);
	if (rc != ZL_DB_DONE)
		return rc;
	qsort(k->done_rows, k->ndone, sizeof(int64_t), cmp_i64);
	return ZL_OK;
}

static int done_before(const struct imp *k, int64_t row)
{
	return k->ndone && bsearch(&row, k->done_rows, k->ndone, sizeof(row), cmp_i64) != NULL;
}

/* Write the accepted row. */
static int write_row(struct imp *k, uint64_t rowno, const char *product, const struct match *mt,
		     struct zl_error *err)
{
	const struct zl_sc_row *r = k->row;
	const char *items[ZL_SC_ITEMS_MAX];
	struct zl_insp_imported in;
	struct zl_inspection rec;
	const char *day;
	int64_t id = 0;
	int rc;

	if ((rc = ensure_parents(k, err)) != ZL_OK)
		return rc;
	/* The day of the result: the notice's, else the sampling's, else today. */
	day = k->info->issued_on[0] ? k->info->issued_on
	      : r->sampled_on[0]    ? r->sampled_on
				    : k->opt->who->today;
	memset(&rec, 0, sizeof(rec));
	zl_strlcpy(rec.sampled_on, r->sampled_on, sizeof(rec.sampled_on));
	zl_strlcpy(rec.last_on, day, sizeof(rec.last_on));
	if (r->failed) {
		rec.state = ZL_INSP_FAILED;
		rec.outcome = ZL_INSP_OUTCOME_DISPOSAL_UNKNOWN;
		rec.conclusion = ZL_INSP_FAIL;
		rec.nitems = (int)r->nitems;
		for (size_t i = 0; i < r->nitems; i++)
			rec.failed[i / 64] |= (uint64_t)1 << (i % 64);
		zl_strlcpy(rec.report_on, day, sizeof(rec.report_on));
		zl_strlcpy(rec.notified_on, day, sizeof(rec.notified_on));
		zl_strlcpy(rec.received_on, day, sizeof(rec.received_on));
		zl_strlcpy(rec.final_on, day, sizeof(rec.final_on));
	} else {
		rec.state = ZL_INSP_CLOSED;
		rec.outcome = ZL_INSP_OUTCOME_PASSED;
		rec.conclusion = ZL_INSP_PASS;
		zl_strlcpy(rec.closed_on, day, sizeof(rec.closed_on));
	}
	for (size_t i = 0; i < r->nitems; i++)
		items[i] = r->items[i];
	memset(&in, 0, sizeof(in));
	in.plan_id = k->info->plan_id;
	in.announcement_id = k->info->announcement_id;
	in.product = product;
	in.uscc = mt->uscc;
	in.enterprise_name = mt->name;
	in.county = mt->region;
	in.region = r->region[0]			  ? r->region
		    : k->opt->region && k->opt->region[0] ? k->opt->region
		    : mt->region[0]			  ? mt->region
							  : k->gov;
	in.gov = k->gov;
	in.level = k->info->level;
	in.size_class = mt->size;
	in.batch = r->batch;
	in.production_date = r->production_date;
	in.spec = r->spec;
	in.trademark = r->trademark;
	in.place = r->platform[0] ? "ecommerce" : r->retailer[0] ? "circulation" : "";
	in.sampled_unit = r->sampled_unit;
	in.retailer = r->retailer;
	in.platform = r->platform;
	in.product_text = r->product_text;
	in.remark = r->remark;
	in.nominal = r->nominal;
	in.counterfeit = r->counterfeit;
	in.source_row = (int64_t)rowno;
	in.failed_items = items;
	in.on_date = k->opt->who->today;
	if ((rc = zl_store_insp_import_row(k->db, &in, &rec, k->opt->who, k->now, &id, err)) !=
	    ZL_OK)
		return rc;
	if (!k->info->min_id || id < k->info->min_id)
		k->info->min_id = id;
	if (id > k->info->max_id)
		k->info->max_id = id;
	if (r->failed)
		k->info->failed++;
	else
		k->info->passed++;
	k->res->imported++;
	return ZL_OK;
}

/* One data row: parse, match, write (or reject). */
static int do_row(struct imp *k, uint64_t rowno, const char *const *cells, size_t n,
		  struct zl_error *err)
{
	struct zl_error e = ZL_ERROR_INIT;
	struct match mt;
	const char *product;
	long col = -1;
	int rc;

	k->res->rows++;
	if (done_before(k, (int64_t)rowno)) {
		k->res->unchanged++;
		return ZL_OK;
	}
	if (zl_sc_row_parse(&k->m, cells, n, k->row, &col, &e) != ZL_OK) {
		const char *v = col >= 0 && (size_t)col < n ? cells[col] : "";
		return reject(k, rowno, col, v, e.message) == ZL_OK ? ZL_OK : oom(err);
	}
	product = match_product(k, k->row->product_text);
	if (!product) {
		long pc = k->m.col_of[ZL_SCC_PRODUCT];
		return reject(k, rowno, pc, k->row->product_text,
			      pc < 0 ? "no product column: give --product CODE"
				     : "no catalogue category of this name (nor a synonym);"
				       " give --product CODE")
			       ? oom(err)
			       : ZL_OK;
	}
	memset(&mt, 0, sizeof(mt));
	rc = match_enterprise(k, rowno, &mt, err);
	if (rc <= 0)
		return rc;
	if (!k->writing)
		return ZL_OK;
	return write_row(k, rowno, product, &mt, err);
}

/* Options that concern the whole file. */
static int check_options(const struct zl_sc_import_options *opt, struct zl_error *err)
{
	static const char *const levels[] = {"national", "province", "city", "county", NULL};
	char d[16];

	if (opt->org && strlen(opt->org) >= ZL_ORG_CODE_MAX)
		return zl_error_set(err, ZL_EINVAL, "org", "no organization %s", opt->org);
	if (opt->level && opt->level[0]) {
		int ok = 0;
		for (size_t i = 0; levels[i]; i++)
			ok |= !strcmp(opt->level, levels[i]);
		if (!ok)
			return zl_error_set(err, ZL_EINVAL, "level",
					    "level must be national, province, city or county");
	}
	if (opt->issued_on && opt->issued_on[0]) {
		struct zl_error e = ZL_ERROR_INIT;
		if (zl_import_value(ZL_ECOL_FOUNDED, opt->issued_on, d, sizeof(d), &e) != ZL_OK)
			return zl_error_set(err, ZL_EINVAL, "issued_on",
					    "issued_on must be a date YYYY-MM-DD");
	}
	if (opt->region && opt->region[0] &&
	    (strlen(opt->region) != 6 || strspn(opt->region, "0123456789") != 6))
		return zl_error_set(err, ZL_EINVAL, "region", "region must be a six-digit code");
	if (!opt->who || !opt->who->user || !opt->who->today)
		return zl_error_set(err, ZL_EINTERNAL, "who", "no actor");
	return ZL_OK;
}

/* The year of "YYYY-..." (0 when it is not one). */
static int year4(const char *s)
{
	if (strlen(s) < 4 || strspn(s, "0123456789") < 4)
		return 0;
	return (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
}

static const char *base_name(const char *p)
{
	const char *s = strrchr(p, '/');
	return s ? s + 1 : p;
}

/* Title, document number, level, date and year from the options and the title rows. */
static void settle_info(struct imp *k, int year_of_rows)
{
	struct zl_sc_import_info *in = k->info;
	const struct zl_sc_import_options *o = k->opt;
	char doc[128] = "", lvl[16] = "";
	int year = 0;

	zl_sc_title_hints(k->title_rows, &year, doc, sizeof(doc), lvl, sizeof(lvl));
	zl_strlcpy(in->title,
		   o->title && o->title[0] ? o->title
		   : k->first_title[0]	   ? k->first_title
					   : k->source,
		   sizeof(in->title));
	zl_strlcpy(in->doc_no, o->doc_no && o->doc_no[0] ? o->doc_no : doc, sizeof(in->doc_no));
	zl_strlcpy(in->level,
		   o->level && o->level[0] ? o->level
		   : lvl[0]		   ? lvl
					   : k->gov_level,
		   sizeof(in->level));
	if (o->issued_on && o->issued_on[0]) {
		struct zl_error e = ZL_ERROR_INIT;
		zl_import_value(ZL_ECOL_FOUNDED, o->issued_on, in->issued_on, sizeof(in->issued_on),
				&e);
	}
	in->year = in->issued_on[0] ? year4(in->issued_on)
		   : year	    ? year
		   : year_of_rows   ? year_of_rows
				    : year4(o->who->today);
}

int zl_sc_import(struct zl_db *db, const char *path, const struct zl_sc_import_options *opt,
		 struct zl_import_result *res, struct zl_sc_import_info *info, struct zl_error *err)
{
	struct zl_table_options topt = {.encoding = opt->encoding, .max_convert = 0};
	struct zl_table_reader *t = NULL;
	struct zl_import_progress pr = {0};
	struct imp k;
	const char *const *cells;
	size_t n;
	int64_t saved_cache = 0;
	int rc, settled = 0;

	memset(info, 0, sizeof(*info));
	memset(&k, 0, sizeof(k));
	k.db = db;
	k.opt = opt;
	k.res = res;
	k.info = info;
	k.max_rej = opt->max_rejects ? opt->max_rejects : ZL_IMPORT_MAX_REJECTS_DEFAULT;
	k.writing = !opt->dry_run;
	zl_sc_map_init(&k.m);
	zl_strlcpy(k.source, opt->source && opt->source[0] ? opt->source : base_name(path),
		   sizeof(k.source));
	if ((rc = check_options(opt, err)) != ZL_OK)
		goto out;
	zl_strlcpy(k.org, opt->org ? opt->org : "", sizeof(k.org));
	zl_plan_now(opt->who, k.now);
	/* The cache is an optimisation: without memory for it every code is looked up. */
	k.uscc_cache = calloc(USCC_CACHE, sizeof(*k.uscc_cache));
	if (!(k.row = malloc(sizeof(*k.row)))) {
		rc = oom(err);
		goto out;
	}
	if ((rc = file_sha256(path, info->sha256, err)) != ZL_OK ||
	    (rc = load_org(&k, err)) != ZL_OK || (rc = load_catalogue(&k, err)) != ZL_OK)
		goto out;
	if (opt->product && opt->product[0] && !cat_has(&k, opt->product)) {
		rc = zl_error_set(err, ZL_EINVAL, "product", "no active catalogue category %s",
				  opt->product);
		goto out;
	}
	if ((rc = find_earlier(&k, err)) != ZL_OK ||
	    (rc = zl_import_cache_raise(db, &saved_cache, err)) != ZL_OK)
		goto out;
	if ((rc = zl_table_open(path, &topt, &t, err)) != ZL_OK)
		goto out;
	res->format = zl_table_format(t);
	zl_strlcpy(res->encoding, zl_table_encoding_name(t), sizeof(res->encoding));
	pr.phase = ZL_IMPORT_READING;
	while ((rc = zl_table_next(t, &cells, &n, err)) == 1) {
		uint64_t rowno = zl_table_row(t);

		if (!k.m.header_row) {
			int h;
			if (rowno > ZL_IMPORT_HEADER_SCAN)
				break;
			h = zl_sc_map_header(&k.m, cells, n, rowno, err);
			if (h < 0) {
				rc = h;
				goto out;
			}
			if (h == 0) {
				/* A title row: the first non-blank one is the title; all of
				 * them may give the year and the document number. */
				for (size_t i = 0; i < n; i++) {
					size_t len = strlen(cells[i]), at;
					if (!len || strspn(cells[i], " \t\r\n") == len)
						continue;
					if (!k.first_title[0])
						zl_strlcpy(k.first_title, cells[i],
							   sizeof(k.first_title));
					at = strlen(k.title_rows);
					if (at + len + 2 < sizeof(k.title_rows)) {
						k.title_rows[at] = ' ';
						zl_strlcpy(k.title_rows + at + 1, cells[i],
							   sizeof(k.title_rows) - at - 1);
					}
				}
				continue;
			}
			if ((rc = zl_sc_map_check(&k.m, err)) != ZL_OK)
				goto out;
			res->header_row = rowno;
			for (size_t i = 0; i < k.m.ncols; i++) {
				char label[96];
				if (k.m.field[i] != ZL_SCC_NONE || !k.m.header[i][0])
					continue;
				zl_sc_map_label(&k.m, (long)i, label, sizeof(label));
				if (zl_import_push_str(&res->unmapped, &res->nunmapped, label) !=
				    ZL_OK) {
					rc = oom(err);
					goto out;
				}
			}
			if (k.m.col_of[ZL_SCC_RESULT] < 0 &&
			    zl_import_push_str(&res->notes, &res->nnotes,
					       "no result column: every row is taken as failed") !=
				    ZL_OK) {
				rc = oom(err);
				goto out;
			}
			continue;
		}
		if (zl_import_skip_row(cells, n))
			continue;
		if (!settled) {
			/* The year may come from the first row's sampling date. */
			struct zl_sc_row *r = k.row;
			long col;
			struct zl_error e = ZL_ERROR_INIT;
			int y = 0;
			if (zl_sc_row_parse(&k.m, cells, n, r, &col, &e) == ZL_OK &&
			    r->sampled_on[0])
				y = year4(r->sampled_on);
			settle_info(&k, y);
			settled = 1;
		}
		if ((rc = do_row(&k, rowno, cells, n, err)) != ZL_OK)
			goto out;
		if (opt->progress && (res->rows & 255) == 0) {
			pr.rows = res->rows;
			pr.written = res->imported;
			zl_table_progress(t, &pr.bytes_done, &pr.bytes_total);
			opt->progress(opt->progress_cls, &pr);
		}
	}
	if (rc < 0)
		goto out;
	if (!k.m.header_row) {
		rc = zl_sc_map_check(&k.m, err);
		goto out;
	}
	if (!settled)
		settle_info(&k, 0);
	if (opt->progress) {
		pr.rows = res->rows;
		pr.written = res->imported;
		zl_table_progress(t, &pr.bytes_done, &pr.bytes_total);
		pr.bytes_done = pr.bytes_total;
		opt->progress(opt->progress_cls, &pr);
	}
	res->written = k.writing && res->imported > 0;
	/* The statistics' rollups count the new rows in this transaction (store/scstats.h). */
	if (res->written && info->max_id &&
	    (rc = zl_store_sc_rollup_add_range(db, info->min_id, info->max_id, err)) != ZL_OK)
		goto out;
	if (!res->written) {
		info->min_id = info->max_id = 0;
		if (!info->announcement_existed)
			info->announcement_id = 0;
		res->imported = 0;
	}
	rc = ZL_OK;
out:
	zl_import_cache_restore(db, saved_cache);
	zl_table_close(t);
	zl_sc_map_release(&k.m);
	reg_release(&k.reg);
	free(k.cats);
	free(k.done_rows);
	free(k.row);
	free(k.uscc_cache);
	return rc;
}
