/*
 * credit.c - the quality credit archive over HTTP (docs/credit.md):
 *   POST /api/v1/enterprises/{uscc}/credit-events   manual entry (credit.write)
 *   GET  /api/v1/enterprises/{uscc}/credit-events   every event, paged, CSV/xlsx
 *                                                    (enterprise.read)
 * The register is provincial (route scope "none"), but whoever records an
 * event does so for an organization: source_org must lie in the caller's
 * subtree, decided by the one zl_authz_check() on that organization's path.
 * Defaults (polarity, visibility, public_until) come from the rule table
 * (domain/credit_rules.def); the event and its audit row commit together.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "core/timeutil.h"
#include "http/audit_hook.h"
#include "http/credit.h"
#include "http/handlers.h"
#include "http/list.h"
#include "store/credit.h"
#include "store/enterprises.h"
#include "store/orgs.h"

#define AUDIT_JSON_MAX (64u << 10)

static const char *nul(const char *s)
{
	return s != NULL && *s != '\0' ? s : NULL;
}

void zl_http_credit_today(char out[16])
{
	zl_date_format((zl_now_us() / 1000000 + ZL_SHANGHAI_OFFSET_S) / 86400, out);
}

void zl_http_credit_event_json(struct zl_jw *w, const struct zl_credit_event *ev, const char *today,
			       int staff)
{
	zl_jw_obj_begin(w);
	zl_jw_kint(w, "id", ev->id);
	zl_jw_kstr(w, "uscc", ev->uscc);
	zl_jw_kstr(w, "kind", ev->kind);
	zl_jw_kstr(w, "polarity", ev->polarity);
	zl_jw_kstr(w, "event_date", ev->event_date);
	zl_jw_kstr(w, "source_org", ev->source_org);
	zl_jw_kstr(w, "source_org_name", nul(ev->source_org_name));
	zl_jw_kstr(w, "doc_no", nul(ev->doc_no));
	zl_jw_kstr(w, "title", ev->title);
	zl_jw_kstr(w, "detail", nul(ev->detail));
	if (staff)
		zl_jw_kstr(w, "visibility", ev->visibility);
	zl_jw_kstr(w, "public_until", nul(ev->public_until));
	zl_jw_kbool(w, "public", zl_credit_is_public(ev, today));
	if (staff) {
		zl_jw_kstr(w, "created_at", ev->created_at);
		zl_jw_kstr(w, "created_by", ev->created_by);
	}
	zl_jw_obj_end(w);
}

/* The enterprise of the path must exist: 404 naming uscc otherwise. */
static int check_enterprise(struct zl_req *req, struct zl_db *db, const char *uscc,
			    struct zl_error *err)
{
	struct zl_enterprise *e = zl_arena_calloc(req->arena, 1, sizeof(*e));
	int rc;

	if (e == NULL)
		return zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
	if (strlen(uscc) >= sizeof(e->uscc))
		return zl_error_set(err, ZL_ENOTFOUND, "uscc", "no enterprise %s", uscc);
	rc = zl_store_enterprise_get(db, uscc, e, err);
	if (rc == ZL_ENOTFOUND)
		return zl_error_set(err, ZL_ENOTFOUND, "uscc", "no enterprise %s", uscc);
	return rc;
}

/* ---- list --------------------------------------------------------------- */

static const struct zl_list_col cols[] = {
	{"id", "编号", "ID", ZL_COL_INT},
	{"uscc", "统一社会信用代码", "USCC", ZL_COL_TEXT},
	{"kind", "类别", "Kind", ZL_COL_TEXT},
	{"polarity", "性质", "Polarity", ZL_COL_TEXT},
	{"event_date", "日期", "Date", ZL_COL_TEXT},
	{"source_org", "来源机构代码", "Source organization code", ZL_COL_TEXT},
	{"source_org_name", "来源机构", "Source organization", ZL_COL_TEXT},
	{"doc_no", "文书编号", "Document number", ZL_COL_TEXT},
	{"title", "标题", "Title", ZL_COL_TEXT},
	{"detail", "详情", "Detail", ZL_COL_TEXT},
	{"visibility", "公开范围", "Visibility", ZL_COL_TEXT},
	{"public_until", "公示截止", "Public until", ZL_COL_TEXT},
	{"public", "当前公示", "Shown publicly", ZL_COL_BOOL},
	{"created_at", "登记时间", "Recorded at", ZL_COL_TIME},
	{"created_by", "登记人", "Recorded by", ZL_COL_TEXT},
};
#define NCOLS (sizeof(cols) / sizeof(cols[0]))

struct page {
	struct zl_list_writer *w;
	const char *today;
};

static int page_row(void *cls, const struct zl_credit_event *ev)
{
	struct page *p = cls;
	char id[24], key[48];
	const char *v[NCOLS] = {id,
				ev->uscc,
				ev->kind,
				ev->polarity,
				ev->event_date,
				ev->source_org,
				nul(ev->source_org_name),
				nul(ev->doc_no),
				ev->title,
				nul(ev->detail),
				ev->visibility,
				nul(ev->public_until),
				zl_credit_is_public(ev, p->today) ? "1" : "0",
				ev->created_at,
				ev->created_by};

	snprintf(id, sizeof(id), "%" PRId64, ev->id);
	/* The sort key: list order is event_date desc, id desc. */
	snprintf(key, sizeof(key), "%s/%" PRId64, ev->event_date, ev->id);
	return zl_list_row_key(p->w, v, key);
}

/* "YYYY-MM-DD/ID" of a cursor into the filter; ZL_EINVAL naming cursor. */
static int parse_cursor(const char *key, char date[16], struct zl_credit_filter *f,
			struct zl_error *err)
{
	const char *slash = strchr(key, '/');
	int64_t days;
	char *end;
	long long id;

	if (slash == NULL || slash - key != 10)
		goto bad;
	memcpy(date, key, 10);
	date[10] = '\0';
	if (zl_date_parse(date, &days) != ZL_OK)
		goto bad;
	id = strtoll(slash + 1, &end, 10);
	if (end == slash + 1 || *end != '\0' || id < 1)
		goto bad;
	f->after_date = date;
	f->after_id = id;
	return ZL_OK;
bad:
	return zl_error_set(err, ZL_EINVAL, "cursor", "not a cursor of this list");
}

int zl_h_credit_list(struct zl_req *req, struct zl_resp *resp, struct zl_error *err)
{
	const char *uscc = zl_req_param(req, "uscc");
	const char *pub = zl_req_query(req, "public");
	struct zl_credit_filter f = {.uscc = uscc};
	struct zl_list_params lp;
	struct page p = {0};
	char today[16], date[16];
	struct zl_db *db;
	int64_t total = 0;
	int rc;

	rc = zl_list_parse(req, &lp, err);
	if (rc)
		return rc;
	zl_http_credit_today(today);
	p.today = today;
	f.today = today;
	f.kind = nul(zl_req_query(req, "kind"));
	if (f.kind != NULL && !zl_credit_kind_known(f.kind))
		return zl_error_set(err, ZL_EINVAL, "kind", "unknown kind: %s", f.kind);
	if (pub != NULL && strcmp(pub, "1") != 0 && strcmp(pub, "0") != 0 &&
	    strcmp(pub, "true") != 0 && strcmp(pub, "false") != 0)
		return zl_error_set(err, ZL_EINVAL, "public", "public is 1 or 0");
	f.public_only = pub != NULL && (strcmp(pub, "1") == 0 || strcmp(pub, "true") == 0);
	db = zl_req_db(req, err);
	if (!db)
		return ZL_EUNAVAIL;
	rc = check_enterprise(req, db, uscc, err);
	if (rc)
		return rc;
	rc = zl_store_credit_count(db, &f, &total, err);
	if (rc)
		return rc;
	if (lp.cursor_key[0] != '\0') {
		rc = parse_cursor(lp.cursor_key, date, &f, err);
		if (rc)
			return rc;
	}
	rc = zl_list_begin(req, resp, &lp, "credit-events", cols, NCOLS, total, &p.w, err);
	if (rc)
		return rc;
	rc = zl_store_credit_page(db, &f, zl_list_fetch_limit(&lp), page_row, &p, err);
	if (rc)
		return rc;
	return zl_list_end_page(p.w, err);
}

/* ---- manual entry ----------------------------------------------------- */

/* Copy an optional string member into dst (left as is when absent). */
static int get_into(const cJSON *body, const char *field, int required, size_t max_chars, char *dst,
		    size_t n, struct zl_error *err)
{
	const char *s = NULL;
	int rc = zl_json_get_string(body, field, required, max_chars, &s, err);

	if (rc == ZL_OK && s != NULL) {
		if (strlen(s) >= n)
			return zl_error_set(err, ZL_EUNPROC, field, "%s is too long", field);
		zl_strlcpy(dst, s, n);
	}
	return rc;
}

/*
 * source_org must be a current organization inside the caller's subtree.
 * An unknown code is decided like one outside the subtree (its existence is
 * not revealed); only a caller at the root, who would pass, learns that it
 * does not exist (422).
 */
static int check_source_org(struct zl_req *req, struct zl_db *db, const char *code,
			    struct zl_error *err)
{
	char path[ZL_ORG_PATH_MAX];
	int rc = zl_store_org_path(db, code, path, sizeof(path), err);
	int missing = rc == ZL_ENOTFOUND;

	if (missing) {
		zl_error_clear(err);
		path[0] = '\0';
	} else if (rc != ZL_OK) {
		return rc;
	}
	rc = zl_authz_check(&req->principal, ZL_PERM_CREDIT_WRITE, path, err);
	if (rc != ZL_OK) {
		zl_strlcpy(err->field, "source_org", sizeof(err->field));
		return rc;
	}
	if (missing)
		return zl_error_set(err, ZL_EUNPROC, "source_org", "no organization %s", code);
	return ZL_OK;
}

/* "corrects": the id of an earlier event of the same enterprise; recorded in detail. */
static int apply_correction(struct zl_req *req, struct zl_db *db, int64_t corrects,
			    struct zl_credit_event *ev, struct zl_error *err)
{
	struct zl_credit_event *old = zl_arena_calloc(req->arena, 1, sizeof(*old));
	struct zl_buf b = ZL_BUF_INIT(2 * sizeof(ev->detail));
	int rc;

	if (old == NULL)
		return zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
	rc = zl_store_credit_get(db, corrects, old, err);
	if (rc == ZL_ENOTFOUND || (rc == ZL_OK && strcmp(old->uscc, ev->uscc) != 0))
		return zl_error_set(err, ZL_EUNPROC, "corrects",
				    "no event %" PRId64 " of this enterprise", corrects);
	if (rc != ZL_OK)
		return rc;
	zl_buf_addf(&b, "corrects #%" PRId64, corrects);
	if (ev->detail[0] != '\0') {
		zl_buf_adds(&b, ": ");
		zl_buf_adds(&b, ev->detail);
	}
	if (b.err || b.len >= sizeof(ev->detail))
		rc = zl_error_set(err, ZL_EUNPROC, "detail", "detail is too long");
	else
		zl_strlcpy(ev->detail, zl_buf_str(&b), sizeof(ev->detail));
	zl_buf_release(&b);
	return rc;
}

static const char *event_json(struct zl_req *req, const struct zl_credit_event *ev,
			      const char *today)
{
	struct zl_buf b;
	struct zl_jw w;
	const char *s = NULL;

	zl_buf_init(&b, AUDIT_JSON_MAX);
	zl_jw_init(&w, &b);
	zl_http_credit_event_json(&w, ev, today, 1);
	if (zl_jw_error(&w) == ZL_OK)
		s = zl_arena_strdup(req->arena, zl_buf_str(&b));
	zl_buf_release(&b);
	return s;
}

int zl_h_credit_add(struct zl_req *req, struct zl_resp *resp, struct zl_error *err)
{
	static const char *const allowed[] = {
		"kind",	 "subkind", "polarity",	  "event_date",	  "source_org", "doc_no",
		"title", "detail",  "visibility", "public_until", "corrects",	NULL};
	const char *uscc = zl_req_param(req, "uscc");
	struct zl_credit_event *ev = zl_arena_calloc(req->arena, 1, sizeof(*ev));
	char today[16], target[96], detail[64];
	int64_t corrects = 0;
	cJSON *body = NULL;
	struct zl_db *db = NULL;
	struct zl_jw w;
	int rc, in_tx = 0;

	if (ev == NULL)
		return zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
	rc = zl_json_parse_object(req->body, req->body_len, 4, &body, err);
	if (rc)
		return rc;
	/* Limits in characters; the struct's byte sizes hold 4 bytes each. */
	if ((rc = zl_json_only_fields(body, allowed, err)) ||
	    (rc = get_into(body, "kind", 1, 15, ev->kind, sizeof(ev->kind), err)) ||
	    (rc = get_into(body, "subkind", 0, 15, ev->subkind, sizeof(ev->subkind), err)) ||
	    (rc = get_into(body, "polarity", 0, 11, ev->polarity, sizeof(ev->polarity), err)) ||
	    (rc = get_into(body, "event_date", 1, 11, ev->event_date, sizeof(ev->event_date),
			   err)) ||
	    (rc = get_into(body, "source_org", 1, ZL_ORG_CODE_MAX - 1, ev->source_org,
			   sizeof(ev->source_org), err)) ||
	    (rc = get_into(body, "doc_no", 0, ZL_CREDIT_DOCNO_MAX, ev->doc_no, sizeof(ev->doc_no),
			   err)) ||
	    (rc = get_into(body, "title", 1, ZL_CREDIT_TITLE_MAX, ev->title, sizeof(ev->title),
			   err)) ||
	    (rc = get_into(body, "detail", 0, ZL_CREDIT_DETAIL_MAX, ev->detail, sizeof(ev->detail),
			   err)) ||
	    (rc = get_into(body, "visibility", 0, 11, ev->visibility, sizeof(ev->visibility),
			   err)) ||
	    (rc = get_into(body, "public_until", 0, 11, ev->public_until, sizeof(ev->public_until),
			   err)) ||
	    (rc = zl_json_get_int(body, "corrects", 0, 1, INT64_MAX, &corrects, err)))
		goto out;
	zl_strlcpy(ev->uscc, uscc, sizeof(ev->uscc));
	zl_strlcpy(ev->created_by, req->principal.kind == ZL_PRINCIPAL_TOKEN ? "token:" : "",
		   sizeof(ev->created_by));
	zl_strlcpy(ev->created_by + strlen(ev->created_by), req->principal.name,
		   sizeof(ev->created_by) - strlen(ev->created_by));
	zl_credit_apply_defaults(ev, 1);
	zl_http_credit_today(today);
	rc = zl_credit_validate(ev, today, err);
	if (rc)
		goto out;
	db = zl_req_db(req, err);
	if (!db) {
		rc = ZL_EUNAVAIL;
		goto out;
	}
	rc = check_source_org(req, db, ev->source_org, err);
	if (rc)
		goto out;
	rc = check_enterprise(req, db, uscc, err);
	if (rc)
		goto out;
	rc = zl_db_begin(db, err);
	if (rc)
		goto out;
	in_tx = 1;
	if (corrects > 0) {
		rc = apply_correction(req, db, corrects, ev, err);
		if (rc == ZL_OK)
			rc = zl_credit_validate(ev, today, err);
		if (rc)
			goto out;
	}
	rc = zl_store_credit_add(db, ev, &ev->id, err);
	if (rc)
		goto out;
	/* Read back what was stored (created_at), so the answer is the row. */
	rc = zl_store_credit_get(db, ev->id, ev, err);
	if (rc)
		goto out;
	snprintf(target, sizeof(target), "enterprise:%s/credit:%" PRId64, ev->uscc, ev->id);
	snprintf(detail, sizeof(detail), "%s %s", ev->kind, ev->polarity);
	rc = zl_req_audit(req, db, "credit.add", target, NULL, event_json(req, ev, today), detail,
			  err);
	if (rc)
		goto out;
	in_tx = 0;
	rc = zl_db_commit(db, err);
	if (rc)
		goto out;
	zl_resp_json(resp, 201, &w);
	zl_http_credit_event_json(&w, ev, today, 1);
	rc = zl_jw_error(&w);
out:
	if (in_tx)
		zl_db_rollback(db);
	cJSON_Delete(body);
	return rc;
}
