/*
 * enterprises.c - the enterprise register over HTTP (docs/enterprises.md):
 *   GET   /api/v1/enterprises/changes?since=&limit=   the change feed (enterprise.read)
 *   GET   /api/v1/enterprises/{uscc}                  one record with everything (enterprise.read)
 *   POST  /api/v1/enterprises                         manual registration (enterprise.write)
 *   PATCH /api/v1/enterprises/{uscc}                  change a record (enterprise.write)
 *   GET   /api/v1/public/enterprises/{uscc}           the public lookup (no login)
 * The register is provincial (scope "none"): every official with
 * enterprise.read sees every record.  Writes validate with the domain rules
 * (domain/enterprise.h) and commit together with their audit row.  The
 * public answer is built from an allow-list of members, so a field added
 * to the record later is never published by accident.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codes/industry.h"
#include "codes/region.h"
#include "core/json.h"
#include "http/audit_hook.h"
#include "http/credit.h"
#include "http/handlers.h"
#include "store/credit.h"
#include "store/enterprises.h"

#define AUDIT_JSON_MAX (64u << 10)

static const char *nul(const char *s)
{
	return s != NULL && *s != '\0' ? s : NULL;
}

/* The key of the path, upper-cased ("ORG:" keys too); 404 when it cannot be one. */
static int path_key(struct zl_req *req, char out[ZL_ENT_KEY_MAX], struct zl_error *err)
{
	const char *k = zl_req_param(req, "uscc");
	size_t n = k ? strlen(k) : 0;

	if (n == 0 || n >= ZL_ENT_KEY_MAX)
		return zl_error_set(err, ZL_ENOTFOUND, "uscc", "no enterprise %.40s", k ? k : "");
	for (size_t i = 0; i <= n; i++)
		out[i] = (k[i] >= 'a' && k[i] <= 'z') ? (char)(k[i] - 'a' + 'A') : k[i];
	return ZL_OK;
}

/* Who changes a record, as the audit trail names them: user name or "token:ID". */
static const char *actor(struct zl_req *req)
{
	const struct zl_principal *p = &req->principal;
	char *s = zl_arena_calloc(req->arena, 1, sizeof(p->name) + 8);

	if (s == NULL)
		return "unknown";
	snprintf(s, sizeof(p->name) + 8, "%s%s", p->kind == ZL_PRINCIPAL_TOKEN ? "token:" : "",
		 p->name);
	return s;
}

static int load(struct zl_db *db, const char *key, struct zl_enterprise *e, struct zl_error *err)
{
	int rc = zl_store_enterprise_get(db, key, e, err);

	if (rc == ZL_ENOTFOUND)
		return zl_error_set(err, ZL_ENOTFOUND, "uscc", "no enterprise %s", key);
	return rc;
}

/* load() for an answer: also which of the lists in `want` hold rows (*has). */
static int load_lookup(struct zl_db *db, const char *key, unsigned want, struct zl_enterprise *e,
		       unsigned *has, struct zl_error *err)
{
	int rc = zl_store_enterprise_lookup(db, key, want, e, has, err);

	if (rc == ZL_ENOTFOUND)
		return zl_error_set(err, ZL_ENOTFOUND, "uscc", "no enterprise %s", key);
	return rc;
}

/* ---- writing the pieces -------------------------------------------------- */

static void region_industry(struct zl_jw *w, const struct zl_enterprise *e)
{
	const struct zl_region *r =
		e->region[0] ? zl_region_find(e->region, ZL_REGION_LATEST) : NULL;
	const struct zl_industry_division *d =
		e->industry[0] ? zl_industry_find(e->industry) : NULL;

	zl_jw_kstr(w, "region_name", r ? r->name : NULL);
	zl_jw_kstr(w, "industry_name", d ? d->name : NULL);
}

static int cert_row(void *cls, const struct zl_ent_cert *c)
{
	struct zl_jw *w = cls;
	const struct zl_ent_kind *k = zl_enterprise_cert_kind(c->kind);

	zl_jw_obj_begin(w);
	zl_jw_kstr(w, "kind", c->kind);
	zl_jw_kstr(w, "label", k ? k->label : c->kind);
	zl_jw_kstr(w, "number", nul(c->number));
	zl_jw_kstr(w, "issuer", nul(c->issuer));
	zl_jw_kstr(w, "valid_from", nul(c->valid_from));
	zl_jw_kstr(w, "valid_to", nul(c->valid_to));
	zl_jw_kstr(w, "status", c->status);
	zl_jw_obj_end(w);
	return ZL_OK;
}

static int award_row(void *cls, const struct zl_ent_award *a)
{
	struct zl_jw *w = cls;
	const struct zl_ent_kind *k = zl_enterprise_award_kind(a->kind);

	zl_jw_obj_begin(w);
	zl_jw_kstr(w, "kind", a->kind);
	zl_jw_kstr(w, "label", k ? k->label : a->kind);
	zl_jw_kstr(w, "name", a->name);
	zl_jw_kstr(w, "awarded_on", nul(a->awarded_on));
	zl_jw_kstr(w, "valid_to", nul(a->valid_to));
	zl_jw_obj_end(w);
	return ZL_OK;
}

static int former_row(void *cls, const struct zl_ent_former_name *f)
{
	struct zl_jw *w = cls;

	zl_jw_obj_begin(w);
	zl_jw_kstr(w, "name", f->name);
	zl_jw_kstr(w, "valid_to", nul(f->valid_to));
	zl_jw_obj_end(w);
	return ZL_OK;
}

static int version_row(void *cls, const struct zl_ent_version *v)
{
	struct zl_jw *w = cls;

	zl_jw_obj_begin(w);
	zl_jw_kint(w, "version", v->version);
	zl_jw_kstr(w, "changed_at", v->changed_at);
	zl_jw_kstr(w, "changed_by", v->changed_by);
	zl_jw_obj_end(w);
	return ZL_OK;
}

struct archive {
	struct zl_jw *w;
	const char *today;
	int staff;
};

static int event_row(void *cls, const struct zl_credit_event *ev)
{
	struct archive *a = cls;

	zl_http_credit_event_json(a->w, ev, a->today, a->staff);
	return ZL_OK;
}

/*
 * Former names, certifications, awards (both answers have them).  `has`
 * (zl_store_enterprise_lookup) says which hold rows: an empty list is
 * written without a statement.
 */
static int write_lists(struct zl_jw *w, struct zl_db *db, const char *key, unsigned has,
		       struct zl_error *err)
{
	int rc = ZL_OK;

	zl_jw_key(w, "former_names");
	zl_jw_arr_begin(w);
	if (has & ZL_ENT_LIST_FORMER)
		rc = zl_store_enterprise_former_names(db, key, former_row, w, err);
	zl_jw_arr_end(w);
	if (rc != ZL_OK)
		return rc;
	zl_jw_key(w, "certifications");
	zl_jw_arr_begin(w);
	if (has & ZL_ENT_LIST_CERTS)
		rc = zl_store_enterprise_certs(db, key, cert_row, w, err);
	zl_jw_arr_end(w);
	if (rc != ZL_OK)
		return rc;
	zl_jw_key(w, "awards");
	zl_jw_arr_begin(w);
	if (has & ZL_ENT_LIST_AWARDS)
		rc = zl_store_enterprise_awards(db, key, award_row, w, err);
	zl_jw_arr_end(w);
	return rc;
}

/* The staff view: the record, its lists, its history and its whole archive. */
static int write_detail(struct zl_jw *w, struct zl_db *db, const struct zl_enterprise *e,
			unsigned has, struct zl_error *err)
{
	char today[16];
	struct archive a = {w, today, 1};
	int rc = ZL_OK;

	zl_http_credit_today(today);
	zl_jw_obj_begin(w);
	zl_store_enterprise_json_members(w, e);
	region_industry(w, e);
	rc = write_lists(w, db, e->uscc, has, err);
	if (rc != ZL_OK)
		return rc;
	zl_jw_key(w, "history");
	zl_jw_arr_begin(w);
	rc = zl_store_enterprise_versions_of(db, e, (has & ZL_ENT_LIST_VERSIONS) != 0, 0,
					     version_row, w, err);
	zl_jw_arr_end(w);
	if (rc != ZL_OK)
		return rc;
	zl_jw_key(w, "archive");
	zl_jw_arr_begin(w);
	if (has & ZL_ENT_LIST_CREDIT)
		rc = zl_store_credit_list(db, e->uscc, 0, today, event_row, &a, err);
	zl_jw_arr_end(w);
	zl_jw_obj_end(w);
	return rc;
}

/* `has`: ZL_ENT_LIST_ALL, or what zl_store_enterprise_lookup() said in this transaction. */
static int answer_detail(struct zl_resp *resp, int status, struct zl_db *db,
			 const struct zl_enterprise *e, unsigned has, struct zl_error *err)
{
	struct zl_jw w;
	int rc;

	zl_resp_json(resp, status, &w);
	rc = write_detail(&w, db, e, has, err);
	if (rc == ZL_OK)
		rc = zl_jw_error(&w);
	return rc;
}

/*
 * End the read transaction a lookup ran in (zl_db_begin_read: its several
 * statements lock the database once) and pass on the lookup's result.
 */
static int read_tx(struct zl_db *db, int rc, struct zl_error *err)
{
	if (!zl_db_in_tx(db))
		return rc;
	if (rc != ZL_OK) {
		zl_db_rollback(db);
		return rc;
	}
	return zl_db_commit(db, err);
}

int zl_h_enterprise_get(struct zl_req *req, struct zl_resp *resp, struct zl_error *err)
{
	struct zl_enterprise *e = zl_arena_calloc(req->arena, 1, sizeof(*e));
	char key[ZL_ENT_KEY_MAX];
	struct zl_db *db;
	unsigned has;
	int rc;

	if (e == NULL)
		return zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
	if ((rc = path_key(req, key, err)) != ZL_OK)
		return rc;
	if ((db = zl_req_db(req, err)) == NULL)
		return ZL_EUNAVAIL;
	if ((rc = zl_db_begin_read(db, err)) != ZL_OK)
		return rc;
	rc = load_lookup(db, key, ZL_ENT_LIST_ALL, e, &has, err);
	if (rc == ZL_OK)
		rc = answer_detail(resp, 200, db, e, has, err);
	return read_tx(db, rc, err);
}

/* ---- the public lookup -------------------------------------------------- */

int zl_h_public_enterprise_get(struct zl_req *req, struct zl_resp *resp, struct zl_error *err)
{
	struct zl_enterprise *e = zl_arena_calloc(req->arena, 1, sizeof(*e));
	char key[ZL_ENT_KEY_MAX], today[16];
	struct archive a;
	struct zl_db *db;
	struct zl_jw w;
	unsigned has;
	int rc;

	if (e == NULL)
		return zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
	if ((rc = path_key(req, key, err)) != ZL_OK)
		return rc;
	if ((db = zl_req_db(req, err)) == NULL)
		return ZL_EUNAVAIL;
	if ((rc = zl_db_begin_read(db, err)) != ZL_OK)
		return rc;
	rc = load_lookup(db, key,
			 ZL_ENT_LIST_FORMER | ZL_ENT_LIST_CERTS | ZL_ENT_LIST_AWARDS |
				 ZL_ENT_LIST_CREDIT,
			 e, &has, err);
	if (rc != ZL_OK)
		return read_tx(db, rc, err);
	zl_http_credit_today(today);
	a.today = today;
	a.staff = 0;
	a.w = &w;
	zl_resp_json(resp, 200, &w);
	/* What 国家企业信用信息公示系统 publishes, and nothing more: no chief
	 * quality officer, no history, no internal or expired events. */
	zl_jw_obj_begin(&w);
	zl_jw_kstr(&w, "uscc", e->uscc);
	zl_jw_kstr(&w, "org_code", e->org_code);
	zl_jw_kbool(&w, "legacy", e->legacy);
	zl_jw_kstr(&w, "name", e->name);
	zl_jw_kstr(&w, "region", nul(e->region));
	zl_jw_kstr(&w, "industry", nul(e->industry));
	region_industry(&w, e);
	zl_jw_kstr(&w, "status", e->status);
	zl_jw_kstr(&w, "legal_rep", nul(e->legal_rep));
	zl_jw_kstr(&w, "address", nul(e->address));
	zl_jw_kstr(&w, "registered_capital", nul(e->registered_capital));
	zl_jw_kstr(&w, "founded", nul(e->founded));
	rc = write_lists(&w, db, e->uscc, has, err);
	if (rc != ZL_OK)
		return read_tx(db, rc, err);
	zl_jw_key(&w, "credit_events");
	zl_jw_arr_begin(&w);
	if (has & ZL_ENT_LIST_CREDIT)
		rc = zl_store_credit_list(db, e->uscc, 1, today, event_row, &a, err);
	zl_jw_arr_end(&w);
	zl_jw_obj_end(&w);
	if (rc == ZL_OK)
		rc = zl_jw_error(&w);
	return read_tx(db, rc, err);
}

/* ---- the change feed ---------------------------------------------------- */

struct feed {
	struct zl_jw *w;
	int limit, n, more;
	int64_t last;
};

static int feed_row(void *cls, const struct zl_ent_change *c)
{
	struct feed *f = cls;

	if (f->n == f->limit) {
		f->more = 1;
		return 1; /* the probe row: stop */
	}
	zl_jw_obj_begin(f->w);
	zl_jw_kint(f->w, "seq", c->seq);
	zl_jw_kstr(f->w, "uscc", c->uscc);
	zl_jw_kstr(f->w, "op", c->op);
	zl_jw_kstr(f->w, "at", c->at);
	zl_jw_obj_end(f->w);
	f->n++;
	f->last = c->seq;
	return ZL_OK;
}

static int query_int(struct zl_req *req, const char *name, int64_t def, int64_t min, int64_t max,
		     int64_t *out, struct zl_error *err)
{
	const char *s = zl_req_query(req, name);
	char *end;
	long long v;

	*out = def;
	if (s == NULL || *s == '\0')
		return ZL_OK;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (*end != '\0' || errno != 0 || v < min || v > max || !(*s >= '0' && *s <= '9'))
		return zl_error_set(err, ZL_EINVAL, name,
				    "%s must be an integer from %" PRId64 " to %" PRId64, name, min,
				    max);
	*out = v;
	return ZL_OK;
}

int zl_h_enterprise_changes(struct zl_req *req, struct zl_resp *resp, struct zl_error *err)
{
	struct feed f;
	struct zl_db *db;
	struct zl_jw w;
	int64_t since = 0, limit, last;
	const char *s = zl_req_query(req, "since");
	int now = s != NULL && !strcmp(s, "now");
	int rc;

	/* since=now: no items, only the current head, to follow from here on. */
	if ((!now && (rc = query_int(req, "since", 0, 0, INT64_MAX, &since, err)) != ZL_OK) ||
	    (rc = query_int(req, "limit", 100, 1, 1000, &limit, err)) != ZL_OK)
		return rc;
	if ((db = zl_req_db(req, err)) == NULL)
		return ZL_EUNAVAIL;
	if (now && (rc = zl_store_enterprise_changes_head(db, &since, err)) != ZL_OK)
		return rc;
	zl_resp_json(resp, 200, &w);
	f.w = &w;
	f.limit = (int)limit;
	f.n = 0;
	f.more = 0;
	f.last = since;
	zl_jw_obj_begin(&w);
	zl_jw_key(&w, "items");
	zl_jw_arr_begin(&w);
	rc = zl_store_enterprise_changes(db, since, (int)limit + 1, feed_row, &f, &last, err);
	if (rc == 1)
		rc = ZL_OK;
	if (rc != ZL_OK)
		return rc;
	zl_jw_arr_end(&w);
	zl_jw_kint(&w, "next_since", f.last);
	zl_jw_kbool(&w, "has_more", f.more);
	zl_jw_obj_end(&w);
	return zl_jw_error(&w);
}

/* ---- writes --------------------------------------------------------------- */

static const char *const record_fields[] = {
	"name",	   "region",	 "industry", "address",	 "legal_rep",	  "registered_capital",
	"founded", "size_class", "status",   "cqo_name", "cqo_appointed",
};

#define N_RECORD_FIELDS (sizeof(record_fields) / sizeof(record_fields[0]))

static char *field_ptr(struct zl_enterprise *e, size_t i, size_t *cap)
{
	char *p[N_RECORD_FIELDS] = {e->name,	 e->region,	  e->industry,
				    e->address,	 e->legal_rep,	  e->registered_capital,
				    e->founded,	 e->size_class,	  e->status,
				    e->cqo_name, e->cqo_appointed};
	size_t c[N_RECORD_FIELDS] = {
		sizeof(e->name),     sizeof(e->region),	      sizeof(e->industry),
		sizeof(e->address),  sizeof(e->legal_rep),    sizeof(e->registered_capital),
		sizeof(e->founded),  sizeof(e->size_class),   sizeof(e->status),
		sizeof(e->cqo_name), sizeof(e->cqo_appointed)};

	*cap = c[i];
	return p[i];
}

/* Copy the string member `field` into dst (cap bytes); absent: left alone. */
static int get_into(const cJSON *body, const char *field, char *dst, size_t cap,
		    struct zl_error *err)
{
	const char *s = NULL;
	int rc = zl_json_get_string(body, field, 0, 0, &s, err);

	if (rc != ZL_OK || s == NULL)
		return rc;
	if (strlen(s) >= cap)
		return zl_error_set(err, ZL_EUNPROC, field, "too long");
	zl_strlcpy(dst, s, cap);
	return ZL_OK;
}

static int get_record(const cJSON *body, struct zl_enterprise *e, struct zl_error *err)
{
	int rc = ZL_OK;

	for (size_t i = 0; rc == ZL_OK && i < N_RECORD_FIELDS; i++) {
		size_t cap;
		char *dst = field_ptr(e, i, &cap);

		rc = get_into(body, record_fields[i], dst, cap, err);
	}
	return rc;
}

/* Prefix the store's field name with the array member: "certifications[2].kind". */
static int item_error(struct zl_error *err, const char *array, int i)
{
	char f[ZL_ERR_FIELD_MAX];

	snprintf(f, sizeof(f), "%s[%d].%.32s", array, i, err->field);
	zl_strlcpy(err->field, f, sizeof(err->field));
	return err->code;
}

/* Where put_cert / put_award store an item. */
struct item_target {
	struct zl_db *db;
	const char *key;
};

typedef int item_fn(const cJSON *it, const struct item_target *t, struct zl_error *err);

/*
 * Walk body[member], an optional array of at most 100 objects, calling `fn`
 * for each; an error names the member and the item's index.
 */
static int each_item(const cJSON *body, const char *member, item_fn *fn,
		     const struct item_target *t, struct zl_error *err)
{
	const cJSON *a = cJSON_GetObjectItemCaseSensitive(body, member), *it;
	int i = 0;

	if (a == NULL || cJSON_IsNull(a))
		return ZL_OK;
	if (!cJSON_IsArray(a) || cJSON_GetArraySize(a) > 100)
		return zl_error_set(err, ZL_EUNPROC, member, "an array of at most 100 %s", member);
	cJSON_ArrayForEach(it, a)
	{
		if (!cJSON_IsObject(it)) {
			zl_error_set(err, ZL_EUNPROC, "", "not an object");
			return item_error(err, member, i);
		}
		if (fn(it, t, err))
			return item_error(err, member, i);
		i++;
	}
	return ZL_OK;
}

static int put_cert(const cJSON *it, const struct item_target *t, struct zl_error *err)
{
	static const char *const allowed[] = {"kind",	  "number", "issuer", "valid_from",
					      "valid_to", "status", NULL};
	struct zl_ent_cert c;
	int rc;

	memset(&c, 0, sizeof(c));
	if ((rc = zl_json_only_fields(it, allowed, err)) ||
	    (rc = get_into(it, "kind", c.kind, sizeof(c.kind), err)) ||
	    (rc = get_into(it, "number", c.number, sizeof(c.number), err)) ||
	    (rc = get_into(it, "issuer", c.issuer, sizeof(c.issuer), err)) ||
	    (rc = get_into(it, "valid_from", c.valid_from, sizeof(c.valid_from), err)) ||
	    (rc = get_into(it, "valid_to", c.valid_to, sizeof(c.valid_to), err)) ||
	    (rc = get_into(it, "status", c.status, sizeof(c.status), err)))
		return rc;
	return zl_store_enterprise_cert_put(t->db, t->key, &c, NULL, err);
}

static int put_award(const cJSON *it, const struct item_target *t, struct zl_error *err)
{
	static const char *const allowed[] = {"kind", "name", "awarded_on", "valid_to", NULL};
	struct zl_ent_award w;
	int rc;

	memset(&w, 0, sizeof(w));
	if ((rc = zl_json_only_fields(it, allowed, err)) ||
	    (rc = get_into(it, "kind", w.kind, sizeof(w.kind), err)) ||
	    (rc = get_into(it, "name", w.name, sizeof(w.name), err)) ||
	    (rc = get_into(it, "awarded_on", w.awarded_on, sizeof(w.awarded_on), err)) ||
	    (rc = get_into(it, "valid_to", w.valid_to, sizeof(w.valid_to), err)))
		return rc;
	return zl_store_enterprise_award_put(t->db, t->key, &w, NULL, err);
}

static int put_certs(struct zl_db *db, const char *key, const cJSON *body, struct zl_error *err)
{
	const struct item_target t = {db, key};

	return each_item(body, "certifications", put_cert, &t, err);
}

static int put_awards(struct zl_db *db, const char *key, const cJSON *body, struct zl_error *err)
{
	const struct item_target t = {db, key};

	return each_item(body, "awards", put_award, &t, err);
}

/* The record as JSON in the arena, for the audit digests. */
static const char *record_json(struct zl_req *req, const struct zl_enterprise *e)
{
	struct zl_buf b = ZL_BUF_INIT(AUDIT_JSON_MAX);
	struct zl_jw w;
	char *s = NULL;

	zl_jw_init(&w, &b);
	zl_store_enterprise_json(&w, e);
	if (zl_jw_error(&w) == ZL_OK)
		s = zl_arena_strndup(req->arena, b.data, b.len);
	zl_buf_release(&b);
	return s;
}

static int finish_tx(struct zl_db *db, int rc, struct zl_error *err)
{
	if (rc != ZL_OK) {
		zl_db_rollback(db);
		return rc;
	}
	return zl_db_commit(db, err);
}

int zl_h_enterprise_create(struct zl_req *req, struct zl_resp *resp, struct zl_error *err)
{
	static const char *const allowed[] = {
		"uscc",		 "org_code",	   "name",	"region",
		"industry",	 "address",	   "legal_rep", "registered_capital",
		"founded",	 "size_class",	   "status",	"cqo_name",
		"cqo_appointed", "certifications", "awards",	NULL};
	struct zl_enterprise *e = zl_arena_calloc(req->arena, 1, sizeof(*e));
	struct zl_enterprise *cur = zl_arena_calloc(req->arena, 1, sizeof(*cur));
	enum zl_upsert_outcome o;
	cJSON *body = NULL;
	struct zl_db *db;
	char target[96];
	int rc;

	if (e == NULL || cur == NULL)
		return zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
	rc = zl_json_parse_object(req->body, req->body_len, 8, &body, err);
	if (rc)
		return rc;
	if ((rc = zl_json_only_fields(body, allowed, err)) ||
	    (rc = get_into(body, "uscc", e->uscc, sizeof(e->uscc), err)) ||
	    (rc = get_into(body, "org_code", e->org_code, sizeof(e->org_code), err)) ||
	    (rc = get_record(body, e, err)))
		goto out;
	if (e->name[0] == '\0') {
		rc = zl_error_set(err, ZL_EUNPROC, "name", "name is required");
		goto out;
	}
	/* Manual registration is new data: the strict rules, no legacy tolerance. */
	if ((rc = zl_enterprise_validate(e, 0, err)) != ZL_OK)
		goto out;
	if ((db = zl_req_db(req, err)) == NULL) {
		rc = ZL_EUNAVAIL;
		goto out;
	}
	if ((rc = zl_db_begin(db, err)) != ZL_OK)
		goto out;
	rc = zl_store_enterprise_get(db, e->uscc, cur, err);
	if (rc == ZL_OK)
		rc = zl_error_set(err, ZL_ECONFLICT, "uscc", "%s is already registered", e->uscc);
	else if (rc == ZL_ENOTFOUND)
		rc = zl_store_enterprise_upsert(db, e, actor(req), &o, err);
	if (rc == ZL_OK)
		rc = put_certs(db, e->uscc, body, err);
	if (rc == ZL_OK)
		rc = put_awards(db, e->uscc, body, err);
	if (rc == ZL_OK)
		rc = zl_store_enterprise_get(db, e->uscc, cur, err);
	snprintf(target, sizeof(target), "enterprise:%s", cur->uscc);
	if (rc == ZL_OK)
		rc = zl_req_audit(req, db, "enterprise.create", target, NULL, record_json(req, cur),
				  NULL, err);
	if ((rc = finish_tx(db, rc, err)) != ZL_OK)
		goto out;
	rc = answer_detail(resp, 201, db, cur, ZL_ENT_LIST_ALL, err);
out:
	cJSON_Delete(body);
	return rc;
}

int zl_h_enterprise_update(struct zl_req *req, struct zl_resp *resp, struct zl_error *err)
{
	static const char *const allowed[] = {"name",	  "region",	   "industry",
					      "address",  "legal_rep",	   "registered_capital",
					      "founded",  "size_class",	   "status",
					      "cqo_name", "cqo_appointed", "certifications",
					      "awards",	  "version",	   NULL};
	struct zl_enterprise *e = zl_arena_calloc(req->arena, 1, sizeof(*e));
	struct zl_enterprise *cur = zl_arena_calloc(req->arena, 1, sizeof(*cur));
	char key[ZL_ENT_KEY_MAX], target[96];
	const char *before = NULL;
	int64_t version = -1;
	enum zl_upsert_outcome o = ZL_UPSERT_UNCHANGED;
	cJSON *body = NULL;
	struct zl_db *db;
	int rc;

	if (e == NULL || cur == NULL)
		return zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
	if ((rc = path_key(req, key, err)) != ZL_OK)
		return rc;
	rc = zl_json_parse_object(req->body, req->body_len, 8, &body, err);
	if (rc)
		return rc;
	if ((rc = zl_json_only_fields(body, allowed, err)) ||
	    (rc = zl_json_get_int(body, "version", 0, 1, ZL_JSON_INT_MAX, &version, err)))
		goto out;
	if ((db = zl_req_db(req, err)) == NULL) {
		rc = ZL_EUNAVAIL;
		goto out;
	}
	if ((rc = zl_db_begin(db, err)) != ZL_OK)
		goto out;
	rc = load(db, key, cur, err);
	if (rc == ZL_OK && version > 0 && version != cur->version)
		rc = zl_error_set(err, ZL_ECONFLICT, "version",
				  "the record is at version %" PRId64 ", not %" PRId64
				  ": reload and try again",
				  cur->version, version);
	if (rc == ZL_OK) {
		*e = *cur;
		before = record_json(req, cur);
		rc = get_record(body, e, err);
	}
	/* The key is not changing and was accepted once: a legacy record's
	 * tolerated organization-code check must not block an edit. */
	if (rc == ZL_OK)
		rc = zl_enterprise_validate(e, ZL_ENT_LEGACY_IMPORT, err);
	if (rc == ZL_OK && strcmp(e->uscc, cur->uscc) != 0)
		rc = zl_error_set(err, ZL_EINTERNAL, "uscc", "the key changed in validation");
	if (rc == ZL_OK)
		rc = zl_store_enterprise_upsert(db, e, actor(req), &o, err);
	if (rc == ZL_OK)
		rc = put_certs(db, cur->uscc, body, err);
	if (rc == ZL_OK)
		rc = put_awards(db, cur->uscc, body, err);
	if (rc == ZL_OK)
		rc = zl_store_enterprise_get(db, key, e, err);
	snprintf(target, sizeof(target), "enterprise:%s", key);
	if (rc == ZL_OK)
		rc = zl_req_audit(req, db, "enterprise.update", target, before, record_json(req, e),
				  o == ZL_UPSERT_UNCHANGED ? "record unchanged" : NULL, err);
	if ((rc = finish_tx(db, rc, err)) != ZL_OK)
		goto out;
	rc = answer_detail(resp, 200, db, e, ZL_ENT_LIST_ALL, err);
out:
	cJSON_Delete(body);
	return rc;
}
