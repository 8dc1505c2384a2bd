/*
 * orgs.c - the organization tree over HTTP:
 *   GET   /api/v1/orgs          list (kind, parent, q, at, tree=1; paging and
 * export via list.h), always restricted to the caller's subtree GET
 * /api/v1/orgs/{code}   one organization with aliases, child count and history
 *   POST  /api/v1/orgs          create (org.write; the parent must be in the
 * caller's subtree) PATCH /api/v1/orgs/{code}   rename / move / close, history
 * kept (store/orgs.h) Who may call what is decided by http/auth.c from
 * routes.def before a handler runs; the one extra decision here - a move's
 * destination must also lie in the caller's subtree - asks the same
 * zl_authz_check().  Writes run in one transaction with their audit row.
 */
#include <stdlib.h>
#include <string.h>

#include "codes/orgs.h"
#include "core/json.h"
#include "http/audit_hook.h"
#include "http/handlers.h"
#include "http/list.h"
#include "store/orgs.h"

#define TREE_MAX_ROWS 10000 /* fits the request arena (8 MiB) */
#define AUDIT_JSON_MAX (1u << 20)

static const struct zl_list_col cols[] = {
	{"code", "代码", "Code", ZL_COL_TEXT},
	{"kind", "类型", "Kind", ZL_COL_TEXT},
	{"name", "名称", "Name", ZL_COL_TEXT},
	{"short_name", "简称", "Short name", ZL_COL_TEXT},
	{"parent", "上级", "Parent", ZL_COL_TEXT},
	{"path", "路径", "Path", ZL_COL_TEXT},
	{"region", "行政区划", "Region", ZL_COL_TEXT},
	{"valid_from", "起始日期", "Valid from", ZL_COL_TEXT},
	{"valid_to", "终止日期", "Valid to", ZL_COL_TEXT},
};
#define NCOLS (sizeof(cols) / sizeof(cols[0]))

static const char *nul(const char *s)
{
	return s != NULL && *s != '\0' ? s : NULL;
}

/* The caller's subtree; every route here needs one (auth.c resolved it). */
static int caller_path(const struct zl_req *req, struct zl_error *err)
{
	if (req->principal.org_path[0] == '\0')
		return zl_error_set(err, ZL_EFORBIDDEN, NULL, "no organization for this caller");
	return ZL_OK;
}

/* ---- list
 * -----------------------------------------------------------------------------
 */

static int page_row(void *cls, const struct zl_org *o)
{
	struct zl_list_writer *w = cls;
	const char *v[NCOLS] = {o->code,	 o->kind, o->name,	  nul(o->short_name),
				nul(o->parent),	 o->path, nul(o->region), o->valid_from,
				nul(o->valid_to)};

	return zl_list_row_key(w, v, o->code);
}

/* One node of tree=1, strings in the request arena. */
struct node {
	const char *v[NCOLS];
	size_t first_child, next_sibling; /* index + 1; 0 = none */
	int has_parent;
};

struct tree {
	struct zl_req *req;
	struct node *nodes;
	size_t n, cap;
};

static int tree_row(void *cls, const struct zl_org *o)
{
	struct tree *t = cls;
	const char *src[NCOLS] = {o->code, o->kind,   o->name,	     o->short_name, o->parent,
				  o->path, o->region, o->valid_from, o->valid_to};
	struct node *nd;

	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 256;
		struct node *nn;
		if (cap > TREE_MAX_ROWS)
			return ZL_ETOOBIG;
		nn = zl_arena_calloc(t->req->arena, cap, sizeof(*nn));
		if (nn == NULL)
			return ZL_ENOMEM;
		if (t->n)
			memcpy(nn, t->nodes, t->n * sizeof(*nn));
		t->nodes = nn;
		t->cap = cap;
	}
	nd = &t->nodes[t->n];
	memset(nd, 0, sizeof(*nd));
	for (size_t i = 0; i < NCOLS; i++) {
		if (src[i][0] == '\0')
			continue;
		nd->v[i] = zl_arena_strdup(t->req->arena, src[i]);
		if (nd->v[i] == NULL)
			return ZL_ENOMEM;
	}
	t->n++;
	return ZL_OK;
}

static int node_cmp(const void *a, const void *b)
{
	return strcmp(((const struct node *)a)->v[0], ((const struct node *)b)->v[0]);
}

static void write_node(struct zl_jw *w, const struct tree *t, size_t i, int depth)
{
	const struct node *nd = &t->nodes[i];

	zl_jw_obj_begin(w);
	for (size_t c = 0; c < NCOLS; c++)
		zl_jw_kstr(w, cols[c].key, nd->v[c]);
	zl_jw_key(w, "children");
	zl_jw_arr_begin(w);
	/* The tree is shallow (province, city, county, department, lab); the bound
	 * only protects the stack from bad data. */
	for (size_t k = nd->first_child; k != 0 && depth < 32; k = t->nodes[k - 1].next_sibling)
		write_node(w, t, k - 1, depth + 1);
	zl_jw_arr_end(w);
	zl_jw_obj_end(w);
}

static int list_tree(struct zl_req *req, struct zl_resp *resp, struct zl_db *db,
		     const struct zl_org_filter *f, struct zl_error *err)
{
	struct tree t = {.req = req};
	struct zl_jw w;
	int rc;

	rc = zl_store_org_list(db, f, 0, tree_row, &t, NULL, err);
	if (rc == ZL_ETOOBIG)
		return zl_error_set(err, rc, "tree", "more than %d organizations: filter by parent",
				    TREE_MAX_ROWS);
	if (rc == ZL_ENOMEM)
		return zl_error_set(err, rc, NULL, "out of memory");
	if (rc != ZL_OK)
		return rc;
	/* Sorted by code in C (the database's collation may differ) for the parent
	 * search. */
	if (t.n > 0)
		qsort(t.nodes, t.n, sizeof(*t.nodes), node_cmp);
	/* Link children in reverse so each child list comes out in code order. */
	for (size_t i = t.n; i-- > 0;) {
		struct node key, *p;
		if (t.nodes[i].v[4] == NULL)
			continue;
		key.v[0] = t.nodes[i].v[4];
		p = bsearch(&key, t.nodes, t.n, sizeof(*t.nodes), node_cmp);
		if (p == NULL)
			continue;
		t.nodes[i].has_parent = 1;
		t.nodes[i].next_sibling = p->first_child;
		p->first_child = i + 1;
	}
	zl_resp_json(resp, 200, &w);
	zl_jw_obj_begin(&w);
	zl_jw_key(&w, "items");
	zl_jw_arr_begin(&w);
	for (size_t i = 0; i < t.n; i++)
		if (!t.nodes[i].has_parent)
			write_node(&w, &t, i, 0);
	zl_jw_arr_end(&w);
	zl_jw_kint(&w, "total", (int64_t)t.n);
	zl_jw_key(&w, "next_cursor");
	zl_jw_null(&w);
	zl_jw_obj_end(&w);
	return zl_jw_error(&w);
}

int zl_h_orgs_list(struct zl_req *req, struct zl_resp *resp, struct zl_error *err)
{
	struct zl_org_filter f = {0};
	struct zl_list_params lp;
	struct zl_list_writer *w = NULL;
	struct zl_db *db;
	const char *tree = zl_req_query(req, "tree");
	int64_t total = 0;
	int rc;

	rc = caller_path(req, err);
	if (rc)
		return rc;
	rc = zl_list_parse(req, &lp, err);
	if (rc)
		return rc;
	f.kind = nul(zl_req_query(req, "kind"));
	f.parent = nul(zl_req_query(req, "parent"));
	f.q = nul(zl_req_query(req, "q"));
	f.at = nul(zl_req_query(req, "at"));
	f.within = req->principal.org_path;
	if (f.kind != NULL && !zl_org_kind_valid(f.kind))
		return zl_error_set(err, ZL_EINVAL, "kind",
				    "kind is one of province, city, county, department, group, "
				    "lab, enterprise, other");
	if (f.q != NULL && strlen(f.q) > 200)
		return zl_error_set(err, ZL_EINVAL, "q", "search text longer than 200 bytes");
	if (tree != NULL && strcmp(tree, "1") != 0 && strcmp(tree, "0") != 0 &&
	    strcmp(tree, "true") != 0 && strcmp(tree, "false") != 0)
		return zl_error_set(err, ZL_EINVAL, "tree", "tree is 1 or 0");
	db = zl_req_db(req, err);
	if (!db)
		return ZL_EUNAVAIL;
	if (tree != NULL && (strcmp(tree, "1") == 0 || strcmp(tree, "true") == 0) &&
	    lp.format == ZL_LIST_JSON)
		return list_tree(req, resp, db, &f, err);
	rc = zl_store_org_count(db, &f, &total, err);
	if (rc)
		return rc;
	f.after = lp.cursor_key[0] ? lp.cursor_key : NULL;
	rc = zl_list_begin(req, resp, &lp, "orgs", cols, NCOLS, total, &w, err);
	if (rc)
		return rc;
	/* Exports get every row; a page asks for one row more to know whether more
	 * follow. */
	rc = zl_store_org_list(db, &f, zl_list_fetch_limit(&lp), page_row, w, NULL, err);
	if (rc)
		return rc;
	return zl_list_end_page(w, err);
}

/* ---- one organization
 * ----------------------------------------------------------------- */

static void write_row_members(struct zl_jw *w, const struct zl_org *o)
{
	zl_jw_kstr(w, "code", o->code);
	zl_jw_kstr(w, "kind", o->kind);
	zl_jw_kstr(w, "name", o->name);
	zl_jw_kstr(w, "short_name", nul(o->short_name));
	zl_jw_kstr(w, "parent", nul(o->parent));
	zl_jw_kstr(w, "path", o->path);
	zl_jw_kstr(w, "region", nul(o->region));
	zl_jw_kstr(w, "valid_from", o->valid_from);
	zl_jw_kstr(w, "valid_to", nul(o->valid_to));
}

/* {"code",...,"note","aliases":[...],"children":N,"history":[{name,parent,valid_from,valid_to}]}
 */
static void write_info(struct zl_jw *w, const struct zl_org_info *in)
{
	zl_jw_obj_begin(w);
	write_row_members(w, &in->org);
	zl_jw_kstr(w, "note", nul(in->org.note));
	zl_jw_key(w, "aliases");
	zl_jw_arr_begin(w);
	for (size_t i = 0; i < in->naliases; i++)
		zl_jw_str(w, in->aliases[i]);
	zl_jw_arr_end(w);
	zl_jw_kint(w, "children", in->children);
	zl_jw_key(w, "history");
	zl_jw_arr_begin(w);
	for (size_t i = 0; i < in->nhistory; i++) {
		const struct zl_org *h = &in->history[i];
		zl_jw_obj_begin(w);
		zl_jw_kstr(w, "name", h->name);
		zl_jw_kstr(w, "parent", nul(h->parent));
		zl_jw_kstr(w, "valid_from", h->valid_from);
		zl_jw_kstr(w, "valid_to", nul(h->valid_to));
		zl_jw_obj_end(w);
	}
	zl_jw_arr_end(w);
	zl_jw_obj_end(w);
}

/* The organization as JSON text in the request arena (for the audit digests),
 * or NULL. */
static const char *info_json(struct zl_req *req, const struct zl_org_info *in)
{
	struct zl_buf b;
	struct zl_jw w;
	const char *s = NULL;

	zl_buf_init(&b, AUDIT_JSON_MAX);
	zl_jw_init(&w, &b);
	write_info(&w, in);
	if (zl_jw_error(&w) == ZL_OK)
		s = zl_arena_strdup(req->arena, zl_buf_str(&b));
	zl_buf_release(&b);
	return s;
}

static struct zl_org_info *new_info(struct zl_req *req, struct zl_error *err)
{
	struct zl_org_info *in = zl_arena_calloc(req->arena, 1, sizeof(*in));

	if (in == NULL)
		zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
	return in;
}

int zl_h_org_get(struct zl_req *req, struct zl_resp *resp, struct zl_error *err)
{
	const char *code = zl_req_param(req, "code");
	struct zl_org_info *in = new_info(req, err);
	struct zl_db *db;
	struct zl_jw w;
	int rc;

	if (in == NULL)
		return ZL_ENOMEM;
	db = zl_req_db(req, err);
	if (!db)
		return ZL_EUNAVAIL;
	rc = zl_store_org_get(db, code, in, err);
	if (rc)
		return rc;
	zl_resp_json(resp, 200, &w);
	write_info(&w, in);
	return zl_jw_error(&w);
}

/* ---- writes
 * ---------------------------------------------------------------------------
 */

/* "aliases": ["...", ...] into an arena array (NULL and 0 when absent). */
static int get_aliases(struct zl_req *req, const cJSON *body, const char ***out, size_t *n,
		       int *present, struct zl_error *err)
{
	const cJSON *a = cJSON_GetObjectItemCaseSensitive(body, "aliases");
	const cJSON *it;
	size_t k = 0;

	*out = NULL;
	*n = 0;
	*present = a != NULL && !cJSON_IsNull(a);
	if (!*present)
		return ZL_OK;
	if (!cJSON_IsArray(a) || cJSON_GetArraySize(a) > ZL_ORG_ALIASES_MAX)
		return zl_error_set(err, ZL_EUNPROC, "aliases", "an array of at most %d names",
				    ZL_ORG_ALIASES_MAX);
	*out = zl_arena_calloc(req->arena, (size_t)cJSON_GetArraySize(a) + 1, sizeof(char *));
	if (*out == NULL)
		return zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
	cJSON_ArrayForEach(it, a)
	{
		if (!cJSON_IsString(it) || it->valuestring[0] == '\0' ||
		    strlen(it->valuestring) >= 96)
			return zl_error_set(err, ZL_EUNPROC, "aliases",
					    "aliases are non-empty strings under 96 bytes");
		(*out)[k++] = it->valuestring;
	}
	*n = k;
	return ZL_OK;
}

/* Copy an optional string member into dst (left as is when absent). */
static int get_into(const cJSON *body, const char *field, int required, size_t max_chars, char *dst,
		    size_t n, struct zl_error *err)
{
	const char *s = NULL;
	int rc = zl_json_get_string(body, field, required, max_chars, &s, err);

	if (rc == ZL_OK && s != NULL) {
		if (strlen(s) >= n)
			return zl_error_set(err, ZL_EUNPROC, field, "too long");
		zl_strlcpy(dst, s, n);
	}
	return rc;
}

static int finish_tx(struct zl_db *db, int rc, struct zl_error *err)
{
	if (rc != ZL_OK) {
		zl_db_rollback(db);
		return rc;
	}
	return zl_db_commit(db, err);
}

int zl_h_org_create(struct zl_req *req, struct zl_resp *resp, struct zl_error *err)
{
	static const char *const allowed[] = {"code",	 "kind",   "name", "short_name",
					      "parent",	 "region", "note", "valid_from",
					      "aliases", NULL};
	struct zl_org_info *in = new_info(req, err);
	char code[ZL_ORG_CODE_MAX];
	struct zl_org *o;
	const char **aliases = NULL;
	size_t naliases = 0;
	cJSON *body = NULL;
	struct zl_db *db;
	struct zl_jw w;
	int present = 0, rc;

	if (in == NULL)
		return ZL_ENOMEM;
	o = &in->org;
	rc = zl_json_parse_object(req->body, req->body_len, 8, &body, err);
	if (rc)
		return rc;
	if ((rc = zl_json_only_fields(body, allowed, err)) ||
	    (rc = get_into(body, "code", 1, 0, o->code, sizeof(o->code), err)) ||
	    (rc = get_into(body, "kind", 1, 0, o->kind, sizeof(o->kind), err)) ||
	    (rc = get_into(body, "name", 1, 60, o->name, sizeof(o->name), err)) ||
	    (rc = get_into(body, "short_name", 0, 30, o->short_name, sizeof(o->short_name), err)) ||
	    (rc = get_into(body, "parent", 1, 0, o->parent, sizeof(o->parent), err)) ||
	    (rc = get_into(body, "region", 0, 0, o->region, sizeof(o->region), err)) ||
	    (rc = get_into(body, "note", 0, 150, o->note, sizeof(o->note), err)) ||
	    (rc = get_into(body, "valid_from", 0, 0, o->valid_from, sizeof(o->valid_from), err)) ||
	    (rc = get_aliases(req, body, &aliases, &naliases, &present, err)))
		goto out;
	db = zl_req_db(req, err);
	if (!db) {
		rc = ZL_EUNAVAIL;
		goto out;
	}
	rc = zl_db_begin(db, err);
	if (rc)
		goto out;
	rc = zl_store_org_create(db, o, aliases, naliases, err);
	/* Copied first: zl_store_org_get() clears `in`, which holds `o`. */
	zl_strlcpy(code, o->code, sizeof(code));
	if (rc == ZL_OK)
		rc = zl_store_org_get(db, code, in, err);
	if (rc == ZL_OK)
		rc = zl_req_audit(req, db, "org.create", in->org.code, NULL, info_json(req, in),
				  NULL, err);
	rc = finish_tx(db, rc, err);
	if (rc)
		goto out;
	zl_resp_json(resp, 201, &w);
	write_info(&w, in);
	rc = zl_jw_error(&w);
out:
	cJSON_Delete(body);
	return rc;
}

/* A move's destination must lie in the caller's subtree too (same decision as
 * auth.c). */
static int check_destination(struct zl_req *req, struct zl_db *db, const char *parent,
			     struct zl_error *err)
{
	char path[ZL_ORG_PATH_MAX];
	int rc = zl_store_org_path(db, parent, path, sizeof(path), err);

	if (rc == ZL_ENOTFOUND) {
		/* Unknown: decided like an outside target, existence never revealed. */
		zl_error_clear(err);
		path[0] = '\0';
	} else if (rc != ZL_OK) {
		return rc;
	}
	return zl_authz_check(&req->principal, ZL_PERM_ORG_WRITE, path, err);
}

int zl_h_org_update(struct zl_req *req, struct zl_resp *resp, struct zl_error *err)
{
	static const char *const allowed[] = {"name", "short_name", "parent",  "note",
					      "date", "close",	    "aliases", NULL};
	const char *code = zl_req_param(req, "code");
	struct zl_org_info *before = new_info(req, err), *after = new_info(req, err);
	struct zl_org_change ch = {0};
	const char **aliases = NULL;
	const char *before_json;
	cJSON *body = NULL;
	struct zl_db *db;
	struct zl_jw w;
	int present = 0, rc;

	if (before == NULL || after == NULL)
		return ZL_ENOMEM;
	rc = zl_json_parse_object(req->body, req->body_len, 8, &body, err);
	if (rc)
		return rc;
	if ((rc = zl_json_only_fields(body, allowed, err)) ||
	    (rc = zl_json_get_string(body, "name", 0, 60, &ch.name, err)) ||
	    (rc = zl_json_get_string(body, "short_name", 0, 30, &ch.short_name, err)) ||
	    (rc = zl_json_get_string(body, "parent", 0, ZL_ORG_CODE_MAX - 1, &ch.parent, err)) ||
	    (rc = zl_json_get_string(body, "note", 0, 150, &ch.note, err)) ||
	    (rc = zl_json_get_string(body, "date", 0, 10, &ch.date, err)) ||
	    (rc = zl_json_get_bool(body, "close", 0, &ch.close, err)) ||
	    (rc = get_aliases(req, body, &aliases, &ch.naliases, &present, err)))
		goto out;
	ch.aliases = aliases;
	ch.set_aliases = present;
	if (!ch.close && !ch.name && !ch.short_name && !ch.parent && !ch.note && !present) {
		rc = zl_error_set(err, ZL_EUNPROC, NULL,
				  "nothing to change: give name, short_name, parent, note, aliases "
				  "or close");
		goto out;
	}
	db = zl_req_db(req, err);
	if (!db) {
		rc = ZL_EUNAVAIL;
		goto out;
	}
	if (ch.parent != NULL) {
		rc = check_destination(req, db, ch.parent, err);
		if (rc)
			goto out;
	}
	rc = zl_db_begin(db, err);
	if (rc)
		goto out;
	rc = zl_store_org_get(db, code, before, err);
	before_json = rc == ZL_OK ? info_json(req, before) : NULL;
	if (rc == ZL_OK)
		rc = zl_store_org_update(db, code, &ch, NULL, err);
	if (rc == ZL_OK)
		rc = zl_store_org_get(db, code, after, err);
	if (rc == ZL_OK)
		rc = zl_req_audit(req, db,
				  ch.close	      ? "org.close"
				  : ch.parent != NULL ? "org.move"
						      : "org.update",
				  code, before_json, info_json(req, after), NULL, err);
	rc = finish_tx(db, rc, err);
	if (rc)
		goto out;
	zl_resp_json(resp, 200, &w);
	write_info(&w, after);
	rc = zl_jw_error(&w);
out:
	cJSON_Delete(body);
	return rc;
}
