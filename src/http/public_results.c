/*
 * public_results.c - the public view of published spot-check results
 * (docs/results.md, "Publication"), no login, rate-limited like every
 * anonymous request:
 *
 *   GET /api/v1/public/spotchecks               results of published announcements
 *   GET /api/v1/public/announcements            published announcements
 *   GET /api/v1/public/announcements/{id}       one, with a page of its results
 *   GET /api/v1/public/announcements.atom       Atom feed (RFC 4287), newest 50
 *
 * Only announcements of status published are shown, and only the
 * inspections they carry: drafts, submitted and withdrawn announcements
 * answer 404 here, as unknown ones do.  Also the result columns and JSON
 * shared with the staff handlers (http/announce_http.h).
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codes/region.h"
#include "core/buf.h"
#include "http/announce_http.h"
#include "http/handlers.h"
#include "http/plan_http.h"
#include "store/announcements.h"

static int given(const char *s)
{
	return s != NULL && *s != '\0';
}

static int oom(struct zl_error *err)
{
	return zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
}

/* ---- shared: a result ------------------------------------------------------------------ */

const struct zl_list_col zl_ann_result_cols[ZL_ANN_RESULT_NCOLS] = {
	{"inspection_id", "编号", "Inspection", ZL_COL_INT},
	{"enterprise_name", "标称生产企业", "Producer (as labelled)", ZL_COL_TEXT},
	{"uscc", "统一社会信用代码", "Credit code", ZL_COL_TEXT},
	{"nominal", "标称", "Nominal producer", ZL_COL_BOOL},
	{"counterfeit", "涉嫌假冒", "Suspected counterfeit", ZL_COL_BOOL},
	{"sampled_unit", "受检单位", "Sampled unit", ZL_COL_TEXT},
	{"retailer", "销售单位", "Retailer", ZL_COL_TEXT},
	{"platform", "电商平台", "Online platform", ZL_COL_TEXT},
	{"region", "地区代码", "Region code", ZL_COL_TEXT},
	{"region_name", "地区", "Region", ZL_COL_TEXT},
	{"product", "产品类别代码", "Product code", ZL_COL_TEXT},
	{"product_name", "产品类别", "Product", ZL_COL_TEXT},
	{"product_text", "产品名称", "Product as written", ZL_COL_TEXT},
	{"trademark", "商标", "Trademark", ZL_COL_TEXT},
	{"spec", "规格型号", "Specification", ZL_COL_TEXT},
	{"batch", "批号", "Batch", ZL_COL_TEXT},
	{"production_date", "生产日期", "Production date", ZL_COL_TEXT},
	{"result", "抽查结果", "Result", ZL_COL_TEXT},
	{"failing_items", "不合格项目", "Failing items", ZL_COL_TEXT},
	{"level", "抽查层级", "Level", ZL_COL_TEXT},
	{"announcement_id", "公告编号", "Announcement", ZL_COL_INT},
	{"announcement_title", "公告标题", "Announcement title", ZL_COL_TEXT},
	{"doc_no", "文号", "Document number", ZL_COL_TEXT},
	{"announcement_date", "公告日期", "Announcement date", ZL_COL_TEXT},
	{"org", "发布机关代码", "Issuing authority code", ZL_COL_TEXT},
	{"org_name", "发布机关", "Issuing authority", ZL_COL_TEXT},
};

static const char *region_name(const char *code)
{
	const struct zl_region *r;

	if (code == NULL || strlen(code) != 6)
		return "";
	r = zl_region_find(code, ZL_REGION_LATEST);
	return r != NULL ? r->name : "";
}

int zl_ann_result_values(struct zl_req *req, const struct zl_ann_result *r, const char **v)
{
	char *id = zl_arena_printf(req->arena, "%" PRId64, r->inspection_id);
	char *ann = zl_arena_printf(req->arena, "%" PRId64, r->announcement_id);
	size_t i = 0;

	if (id == NULL || ann == NULL)
		return ZL_ENOMEM;
	v[i++] = id;
	v[i++] = r->enterprise_name;
	v[i++] = r->uscc;
	v[i++] = r->nominal ? "1" : "0";
	v[i++] = r->counterfeit ? "1" : "0";
	v[i++] = r->sampled_unit;
	v[i++] = r->retailer;
	v[i++] = r->platform;
	v[i++] = r->region;
	v[i++] = region_name(r->region);
	v[i++] = r->product;
	v[i++] = r->product_name;
	v[i++] = r->product_text;
	v[i++] = r->trademark;
	v[i++] = r->spec;
	v[i++] = r->batch;
	v[i++] = r->production_date;
	v[i++] = r->result;
	v[i++] = r->failing_items;
	v[i++] = r->level;
	v[i++] = ann;
	v[i++] = r->ann_title;
	v[i++] = r->ann_doc_no;
	v[i++] = r->ann_date;
	v[i++] = r->ann_org;
	v[i++] = r->ann_org_name;
	return i == ZL_ANN_RESULT_NCOLS ? ZL_OK : ZL_EINTERNAL;
}

int zl_ann_result_json(struct zl_req *req, struct zl_jw *w, const struct zl_ann_result *r)
{
	const char *v[ZL_ANN_RESULT_NCOLS];
	int rc = zl_ann_result_values(req, r, v);

	if (rc != ZL_OK)
		return rc;
	zl_jw_obj_begin(w);
	for (size_t i = 0; i < ZL_ANN_RESULT_NCOLS; i++) {
		const struct zl_list_col *c = &zl_ann_result_cols[i];

		if (c->type == ZL_COL_INT)
			zl_jw_kint(w, c->key, strtoll(v[i], NULL, 10));
		else if (c->type == ZL_COL_BOOL)
			zl_jw_kbool(w, c->key, v[i][0] == '1');
		else
			zl_jw_kstr(w, c->key, v[i]);
	}
	zl_jw_obj_end(w);
	return ZL_OK;
}

const char *zl_ann_stage(const struct zl_ann_row *a)
{
	if (strcmp(a->status, "draft") == 0 && given(a->submitted_at))
		return "submitted";
	return a->status;
}

void zl_ann_json_members(struct zl_jw *w, const struct zl_ann_row *a, int public_view)
{
	zl_jw_kint(w, "id", a->id);
	zl_jw_kstr(w, "org", a->org);
	zl_jw_kstr(w, "org_name", a->org_name);
	zl_jw_kstr(w, "level", a->level);
	zl_jw_kstr(w, "title", a->title);
	zl_jw_kstr(w, "doc_no", a->doc_no);
	zl_jw_kstr(w, "issued_on", a->issued_on);
	zl_jw_kstr(w, "published_at", a->published_at);
	zl_jw_kstr(w, "note", a->note);
	zl_jw_kint(w, "result_count", a->results);
	zl_jw_kint(w, "failed_count", a->failed);
	if (public_view)
		return;
	zl_jw_kstr(w, "status", zl_ann_stage(a));
	zl_jw_kstr(w, "origin", a->origin);
	zl_jw_kstr(w, "source", a->source);
	zl_jw_kint(w, "version", a->version);
	zl_jw_kstr(w, "created_by", a->created_by);
	zl_jw_kstr(w, "created_at", a->created_at);
	zl_jw_kstr(w, "updated_by", a->updated_by);
	zl_jw_kstr(w, "updated_at", a->updated_at);
	zl_jw_kstr(w, "submitted_by", a->submitted_by);
	zl_jw_kstr(w, "submitted_at", a->submitted_at);
	zl_jw_kstr(w, "approved_by", a->approved_by);
	zl_jw_kstr(w, "approved_at", a->approved_at);
	zl_jw_kstr(w, "withdrawn_by", a->withdrawn_by);
	zl_jw_kstr(w, "withdrawn_at", a->withdrawn_at);
	zl_jw_kstr(w, "withdraw_reason", a->withdraw_reason);
}

/* ---- GET /api/v1/public/spotchecks ------------------------------------------------------- */

/* A cursor key that is an id; ZL_EINVAL naming "cursor" otherwise. */
static int cursor_id(const char *key, int64_t *out, struct zl_error *err)
{
	char *end = NULL;

	*out = 0;
	if (!key[0])
		return ZL_OK;
	*out = strtoll(key, &end, 10);
	if (*out <= 0 || *end != '\0')
		return zl_error_set(err, ZL_EINVAL, "cursor", "bad cursor");
	return ZL_OK;
}

static int all_alnum(const char *s, size_t max)
{
	size_t n = 0;

	for (; *s; s++, n++)
		if (!((*s >= '0' && *s <= '9') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= 'a' && *s <= 'z')))
			return 0;
	return n > 0 && n <= max;
}

/* The public filters; ZL_EINVAL naming the parameter. */
static int result_filter(struct zl_req *req, struct zl_ann_result_filter *f, struct zl_error *err)
{
	const char *product = zl_req_query(req, "product"), *region = zl_req_query(req, "region");
	const char *year = zl_req_query(req, "year"), *result = zl_req_query(req, "result");
	const char *q = zl_req_query(req, "q"), *ann = zl_req_query(req, "announcement");

	memset(f, 0, sizeof(*f));
	f->public_only = 1;
	if (given(product)) {
		if (!all_alnum(product, 16))
			return zl_error_set(err, ZL_EINVAL, "product",
					    "product is a catalogue code (letters and digits)");
		f->product = product;
	}
	if (given(region)) {
		if (zl_region_code_parse(region, strlen(region)) < 0)
			return zl_error_set(err, ZL_EINVAL, "region", "region is six digits");
		f->region = region;
	}
	if (given(year)) {
		char *end = NULL;
		long y = strtol(year, &end, 10);

		if (*end != '\0' || y < 1949 || y > 2100)
			return zl_error_set(err, ZL_EINVAL, "year", "year is 1949..2100");
		f->year = (int)y;
	}
	if (given(result)) {
		if (strcmp(result, "pass") != 0 && strcmp(result, "fail") != 0)
			return zl_error_set(err, ZL_EINVAL, "result", "result is pass or fail");
		f->result = result;
	}
	if (given(q)) {
		if (strlen(q) > 200)
			return zl_error_set(err, ZL_EINVAL, "q", "q is at most 200 bytes");
		f->q = q;
	}
	if (given(ann)) {
		char *end = NULL;

		f->announcement_id = strtoll(ann, &end, 10);
		if (f->announcement_id <= 0 || *end != '\0')
			return zl_error_set(err, ZL_EINVAL, "announcement",
					    "announcement is an announcement's id");
	}
	return ZL_OK;
}

struct result_walk {
	struct zl_req *req;
	struct zl_list_writer *w;
};

static int result_row(void *cls, const struct zl_ann_result *r)
{
	struct result_walk *k = cls;
	const char *v[ZL_ANN_RESULT_NCOLS];
	char key[24];

	if (zl_ann_result_values(k->req, r, v) != ZL_OK)
		return ZL_ENOMEM;
	snprintf(key, sizeof(key), "%" PRId64, r->inspection_id);
	return zl_list_row_key(k->w, v, key);
}

int zl_ann_results_list(struct zl_req *req, struct zl_resp *resp,
			struct zl_ann_result_filter *f, const char *name, struct zl_error *err)
{
	struct zl_list_params lp;
	struct result_walk k = {req, NULL};
	struct zl_db *db;
	int64_t total = 0;
	int rc;

	if ((rc = zl_list_parse(req, &lp, err)) || (rc = cursor_id(lp.cursor_key, &f->before, err)))
		return rc;
	f->limit = zl_list_fetch_limit(&lp);
	if ((rc = zl_plan_http_open(req, 0, &db, err)))
		return rc;
	rc = zl_store_ann_results(db, f, NULL, NULL, &total, err);
	if (rc == ZL_OK)
		rc = zl_list_begin(req, resp, &lp, name, zl_ann_result_cols, ZL_ANN_RESULT_NCOLS,
				   total, &k.w, err);
	if (rc == ZL_OK)
		rc = zl_store_ann_results(db, f, result_row, &k, NULL, err);
	zl_db_rollback(db);
	return rc == ZL_OK ? zl_list_end_page(k.w, err) : rc;
}

int zl_h_public_spotchecks(struct zl_req *req, struct zl_resp *resp, struct zl_error *err)
{
	struct zl_ann_result_filter f;
	int rc;

	if ((rc = result_filter(req, &f, err)))
		return rc;
	return zl_ann_results_list(req, resp, &f, "抽查结果", err);
}

/* ---- GET /api/v1/public/announcements ------------------------------------------------------ */

static const struct zl_list_col ann_cols[] = {
	{"id", "编号", "ID", ZL_COL_INT},
	{"title", "公告标题", "Title", ZL_COL_TEXT},
	{"doc_no", "文号", "Document number", ZL_COL_TEXT},
	{"org", "发布机关代码", "Authority code", ZL_COL_TEXT},
	{"org_name", "发布机关", "Authority", ZL_COL_TEXT},
	{"level", "层级", "Level", ZL_COL_TEXT},
	{"issued_on", "公告日期", "Issued on", ZL_COL_TEXT},
	{"published_at", "发布时间", "Published at", ZL_COL_TIME},
	{"result_count", "批次", "Batches", ZL_COL_INT},
	{"failed_count", "不合格批次", "Failed", ZL_COL_INT},
};
#define N_ANN_COLS (sizeof(ann_cols) / sizeof(ann_cols[0]))

struct ann_walk {
	struct zl_req *req;
	struct zl_list_writer *w;
};

static int ann_row(void *cls, const struct zl_ann_row *a)
{
	struct ann_walk *k = cls;
	char id[24], n[24], f[24];
	const char *v[N_ANN_COLS] = {id,	   a->title,	 a->doc_no,	  a->org, a->org_name,
				     a->level, a->issued_on, a->published_at, n,      f};

	snprintf(id, sizeof(id), "%" PRId64, a->id);
	snprintf(n, sizeof(n), "%" PRId64, a->results);
	snprintf(f, sizeof(f), "%" PRId64, a->failed);
	return zl_list_row_key(k->w, v, id);
}

int zl_h_public_announcements(struct zl_req *req, struct zl_resp *resp, struct zl_error *err)
{
	struct zl_ann_filter f = {0};
	struct zl_list_params lp;
	struct ann_walk k = {req, NULL};
	const char *q = zl_req_query(req, "q");
	struct zl_db *db;
	int64_t total = 0;
	int rc;

	f.public_only = 1;
	if (given(q)) {
		if (strlen(q) > 200)
			return zl_error_set(err, ZL_EINVAL, "q", "q is at most 200 bytes");
		f.q = q;
	}
	if ((rc = zl_list_parse(req, &lp, err)) || (rc = cursor_id(lp.cursor_key, &f.before, err)))
		return rc;
	f.limit = zl_list_fetch_limit(&lp);
	if ((rc = zl_plan_http_open(req, 0, &db, err)))
		return rc;
	rc = zl_store_ann_list(db, &f, NULL, NULL, &total, err);
	if (rc == ZL_OK)
		rc = zl_list_begin(req, resp, &lp, "抽查结果公告", ann_cols, N_ANN_COLS, total, &k.w,
				   err);
	if (rc == ZL_OK)
		rc = zl_store_ann_list(db, &f, ann_row, &k, NULL, err);
	zl_db_rollback(db);
	return rc == ZL_OK ? zl_list_end_page(k.w, err) : rc;
}

/* ---- GET /api/v1/public/announcements/{id} ------------------------------------------------ */

struct page_walk {
	struct zl_req *req;
	struct zl_jw *w;
	int64_t limit, n, last;
	int more;
};

static int page_row(void *cls, const struct zl_ann_result *r)
{
	struct page_walk *k = cls;

	if (k->n == k->limit) {
		k->more = 1; /* the look-ahead row */
		return ZL_OK;
	}
	k->n++;
	k->last = r->inspection_id;
	return zl_ann_result_json(k->req, k->w, r);
}

int zl_h_public_announcement(struct zl_req *req, struct zl_resp *resp, struct zl_error *err)
{
	struct zl_ann_result_filter f = {0};
	struct zl_ann_set s;
	struct page_walk k = {0};
	struct zl_plan_actor who;
	const char *limit = zl_req_query(req, "limit"), *cursor = zl_req_query(req, "cursor");
	char today[16], key[ZL_CURSOR_KEY_MAX + 1];
	struct zl_db *db;
	struct zl_jw w;
	int64_t id, total = 0;
	int rc;

	if ((rc = zl_plan_http_start(req, "announcement", &who, today, &id, err)))
		return rc;
	k.limit = 50;
	if (given(limit)) {
		char *end = NULL;

		k.limit = strtoll(limit, &end, 10);
		if (*end != '\0' || k.limit < 1 || k.limit > 500)
			return zl_error_set(err, ZL_EINVAL, "limit", "limit is 1..500");
	}
	if (given(cursor) && (zl_cursor_decode(cursor, key, sizeof(key)) != ZL_OK ||
			      cursor_id(key, &f.before, err) != ZL_OK))
		return zl_error_set(err, ZL_EINVAL, "cursor", "bad cursor");
	f.announcement_id = id;
	f.public_only = 1;
	f.limit = k.limit + 1;
	if ((rc = zl_plan_http_open(req, 0, &db, err)))
		return rc;
	zl_ann_set_init(&s);
	rc = zl_store_ann_get(db, id, &s, err);
	/* Drafts and withdrawn announcements do not exist for the public. */
	if (rc == ZL_OK && strcmp(s.v[0].status, "published") != 0)
		rc = zl_error_set(err, ZL_ENOTFOUND, "id", "no announcement %" PRId64, id);
	if (rc == ZL_OK)
		rc = zl_store_ann_results(db, &f, NULL, NULL, &total, err);
	if (rc == ZL_OK) {
		zl_resp_json(resp, 200, &w);
		zl_jw_obj_begin(&w);
		zl_ann_json_members(&w, &s.v[0], 1);
		zl_jw_key(&w, "results");
		zl_jw_obj_begin(&w);
		zl_jw_key(&w, "items");
		zl_jw_arr_begin(&w);
		k.req = req;
		k.w = &w;
		rc = zl_store_ann_results(db, &f, page_row, &k, NULL, err);
		zl_jw_arr_end(&w);
		zl_jw_kint(&w, "total", total);
		if (k.more) {
			char next[ZL_CURSOR_MAX + 1], last[24];

			snprintf(last, sizeof(last), "%" PRId64, k.last);
			if (zl_cursor_encode(last, next, sizeof(next)) == ZL_OK)
				zl_jw_kstr(&w, "next_cursor", next);
			else
				zl_jw_kstr(&w, "next_cursor", NULL);
		} else {
			zl_jw_kstr(&w, "next_cursor", NULL);
		}
		zl_jw_obj_end(&w);
		zl_jw_obj_end(&w);
		if (rc == ZL_OK)
			rc = zl_jw_error(&w);
	}
	zl_ann_set_release(&s);
	zl_db_rollback(db);
	return rc;
}

/* ---- GET /api/v1/public/announcements.atom ------------------------------------------------ */

#define FEED_MAX 50

/* Length of the valid UTF-8 sequence at s (1..4) that XML 1.0 allows as a character, else 0. */
static size_t xml_char_len(const unsigned char *s)
{
	unsigned c = s[0];
	uint32_t cp;
	size_t n;

	if (c < 0x80)
		return (c >= 0x20 || c == '\t' || c == '\n' || c == '\r') ? 1 : 0;
	if (c >= 0xC2 && c <= 0xDF)
		n = 2, cp = c & 0x1F;
	else if (c >= 0xE0 && c <= 0xEF)
		n = 3, cp = c & 0x0F;
	else if (c >= 0xF0 && c <= 0xF4)
		n = 4, cp = c & 0x07;
	else
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0; /* also stops at the NUL */
		cp = (cp << 6) | (s[i] & 0x3F);
	}
	/* Overlong forms, surrogates, beyond U+10FFFF, and U+FFFE/U+FFFF are not characters. */
	if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
	    (cp >= 0xD800 && cp <= 0xDFFF) || cp == 0xFFFE || cp == 0xFFFF)
		return 0;
	return n;
}

void zl_atom_text(struct zl_buf *b, const char *text)
{
	const unsigned char *s = (const unsigned char *)text;

	while (s && *s) {
		size_t n = xml_char_len(s);

		switch (*s) {
		case '&':
			zl_buf_adds(b, "&amp;");
			break;
		case '<':
			zl_buf_adds(b, "&lt;");
			break;
		case '>':
			zl_buf_adds(b, "&gt;");
			break;
		case '"':
			zl_buf_adds(b, "&quot;");
			break;
		case '\'':
			zl_buf_adds(b, "&apos;");
			break;
		default:
			/* What XML 1.0 cannot carry (C0 controls, broken UTF-8) is dropped
			 * byte by byte: a feed must stay well-formed whatever a title holds. */
			if (n == 0) {
				s++;
				continue;
			}
			zl_buf_add(b, s, n);
			s += n;
			continue;
		}
		s++;
	}
}

static void xml_elem(struct zl_buf *b, const char *indent, const char *name, const char *text)
{
	zl_buf_addf(b, "%s<%s>", indent, name);
	zl_atom_text(b, text);
	zl_buf_addf(b, "</%s>\n", name);
}

/* The Host header when it is a plain host[:port], else NULL (never echo odd bytes). */
static const char *safe_host(struct zl_req *req)
{
	const char *h = zl_req_header(req, "Host");

	if (h == NULL || !*h || strlen(h) > 253)
		return NULL;
	for (const char *p = h; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '.' || *p == '-' || *p == ':' ||
		      *p == '[' || *p == ']'))
			return NULL;
	return h;
}

struct feed {
	struct zl_buf *b;
	int n;
};

static int feed_entry(void *cls, const struct zl_ann_row *a)
{
	struct feed *fd = cls;
	struct zl_buf *b = fd->b;
	char summary[1024];

	if (fd->n++ == 0) {
		/* Newest first: the first entry's time is the feed's. */
		xml_elem(b, "  ", "updated", a->published_at);
	}
	snprintf(summary, sizeof(summary), "%s%s%s：抽查 %" PRId64 " 批次，不合格 %" PRId64 " 批次",
		 a->doc_no, a->doc_no[0] ? " " : "", a->org_name[0] ? a->org_name : a->org,
		 a->results, a->failed);
	zl_buf_adds(b, "  <entry>\n");
	xml_elem(b, "    ", "title", a->title);
	zl_buf_addf(b, "    <id>tag:zhiliang,2014:announcement/%" PRId64 "</id>\n", a->id);
	xml_elem(b, "    ", "updated", a->published_at);
	xml_elem(b, "    ", "published", a->published_at);
	zl_buf_adds(b, "    <author><name>");
	zl_atom_text(b, a->org_name[0] ? a->org_name : a->org);
	zl_buf_adds(b, "</name></author>\n");
	zl_buf_addf(b,
		    "    <link rel=\"alternate\" type=\"text/html\" href=\"/public/results?"
		    "announcement=%" PRId64 "\"/>\n",
		    a->id);
	zl_buf_addf(b,
		    "    <link rel=\"related\" type=\"application/json\""
		    " href=\"/api/v1/public/announcements/%" PRId64 "\"/>\n",
		    a->id);
	xml_elem(b, "    ", "summary", summary);
	zl_buf_adds(b, "  </entry>\n");
	return ZL_OK;
}

int zl_h_public_announcements_atom(struct zl_req *req, struct zl_resp *resp,
				   struct zl_error *err)
{
	struct zl_ann_filter f = {0};
	struct zl_buf *b = &resp->body;
	struct feed fd = {b, 0};
	const char *host = safe_host(req);
	struct zl_db *db;
	int rc;

	f.public_only = 1;
	f.limit = FEED_MAX;
	if ((rc = zl_plan_http_open(req, 0, &db, err)))
		return rc;
	zl_buf_reset(b);
	zl_buf_adds(b, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
	zl_buf_adds(b, "<feed xmlns=\"http://www.w3.org/2005/Atom\"");
	/* Relative links resolve against the server the feed came from. */
	if (host != NULL)
		zl_buf_addf(b, " xml:base=\"http://%s/\"", host);
	zl_buf_adds(b, ">\n");
	xml_elem(b, "  ", "title", "产品质量监督抽查结果公告");
	xml_elem(b, "  ", "subtitle", "Spot-check result announcements");
	zl_buf_adds(b, "  <id>tag:zhiliang,2014:announcements</id>\n");
	zl_buf_adds(b, "  <link rel=\"self\" type=\"application/atom+xml\""
		       " href=\"/api/v1/public/announcements.atom\"/>\n");
	zl_buf_adds(b, "  <link rel=\"alternate\" type=\"text/html\" href=\"/public/results\"/>\n");
	zl_buf_adds(b, "  <generator>Zhiliang</generator>\n");
	rc = zl_store_ann_list(db, &f, feed_entry, &fd, NULL, err);
	zl_db_rollback(db);
	if (rc != ZL_OK)
		return rc;
	if (fd.n == 0)
		xml_elem(b, "  ", "updated", "1970-01-01T00:00:00Z");
	zl_buf_adds(b, "</feed>\n");
	if (b->err)
		return oom(err);
	/* <updated> must precede the entries in no particular order (RFC 4287
	 * leaves the order of feed children free), so writing it inside the
	 * first entry's turn is valid. */
	resp->status = 200;
	resp->content_type = "application/atom+xml; charset=utf-8";
	return ZL_OK;
}
