/*
 * audit.c - GET /api/v1/audit: the audit trail of the caller's subtree,
 * newest first, filtered, paged or exported (http/list.h).
 *
 * Filters: actor= and action= (exact), target= (prefix), from= and to=
 * (inclusive; an RFC 3339 instant, or a date YYYY-MM-DD meaning that whole
 * day in Beijing time; an instant without a fraction of a second covers
 * that whole second).  The route needs audit.read (checked by http/auth.c
 * before the handler runs); the handler restricts the rows to the caller's
 * organization subtree, by the organization each row names.
 */
#include <errno.h>
#include <inttypes.h>

#include "core/timeutil.h"
#include "http/handlers.h"
#include "http/list.h"
#include "store/audit.h"

static const struct zl_list_col audit_cols[] = {
	{"seq", "序号", "Seq", ZL_COL_INT},
	{"at", "时间", "Time", ZL_COL_TIME},
	{"actor", "操作者", "Actor", ZL_COL_TEXT},
	{"org", "机构", "Organization", ZL_COL_TEXT},
	{"action", "操作", "Action", ZL_COL_TEXT},
	{"target", "对象", "Target", ZL_COL_TEXT},
	{"before_digest", "变更前摘要", "Digest before", ZL_COL_TEXT},
	{"after_digest", "变更后摘要", "Digest after", ZL_COL_TEXT},
	{"request_id", "请求编号", "Request ID", ZL_COL_TEXT},
	{"detail", "说明", "Detail", ZL_COL_TEXT},
};

#define N_COLS (sizeof(audit_cols) / sizeof(audit_cols[0]))

struct audit_page {
	struct zl_list_writer *w;
	int row_rc; /* the writer's failure, which stops the walk */
};

static int audit_row(void *cls, const struct zl_audit_record *r)
{
	struct audit_page *p = cls;
	char seq[24];
	const char *v[N_COLS];

	snprintf(seq, sizeof(seq), "%" PRId64, r->f.seq);
	v[0] = seq;
	v[1] = r->f.at;
	v[2] = r->f.actor;
	v[3] = r->f.org;
	v[4] = r->f.action;
	v[5] = r->f.target;
	v[6] = r->f.before_digest;
	v[7] = r->f.after_digest;
	v[8] = r->f.request_id;
	v[9] = r->f.detail;
	p->row_rc = zl_list_row_key(p->w, v, seq); /* the cursor continues below seq */
	return p->row_rc;
}

/*
 * A from/to parameter as the bound the store compares with (RFC 3339 UTC
 * with microseconds, like the rows).  `upper`: the value is the inclusive
 * end, so the bound is the first instant after what it names.
 */
static int time_bound(const char *name, const char *s, int upper, char out[32],
		      struct zl_error *err)
{
	int64_t t, days;

	if (zl_date_parse(s, &days) == ZL_OK) {
		/* A day in Beijing time, which starts at 16:00 UTC the day before. */
		t = (days + (upper ? 1 : 0)) * 86400 * INT64_C(1000000) -
		    (int64_t)ZL_SHANGHAI_OFFSET_S * 1000000;
	} else if (zl_time_parse_rfc3339(s, &t) == ZL_OK) {
		if (upper)
			t += strchr(s, '.') != NULL ? 1 : 1000000;
	} else {
		return zl_error_set(err, ZL_EINVAL, name,
				    "%s must be a date (2014-07-18) or an RFC 3339 time"
				    " (2014-07-18T08:30:00Z)",
				    name);
	}
	zl_time_format_rfc3339_us(t, out);
	return ZL_OK;
}

/* An optional non-empty query parameter, or NULL. */
static const char *param(const struct zl_req *req, const char *name)
{
	const char *v = zl_req_query(req, name);

	return v != NULL && v[0] != '\0' ? v : NULL;
}

int zl_h_audit_list(struct zl_req *req, struct zl_resp *resp, struct zl_error *err)
{
	struct zl_list_params lp;
	struct audit_page p = {0};
	struct zl_audit_filter f = {0};
	char from[32], to[32];
	int64_t total = 0, fetch;
	struct zl_db *db;
	const char *s;
	int rc;

	rc = zl_list_parse(req, &lp, err);
	if (rc)
		return rc;
	f.actor = param(req, "actor");
	f.action = param(req, "action");
	f.target_prefix = param(req, "target");
	if ((s = param(req, "from")) != NULL) {
		rc = time_bound("from", s, 0, from, err);
		if (rc)
			return rc;
		f.from = from;
	}
	if ((s = param(req, "to")) != NULL) {
		rc = time_bound("to", s, 1, to, err);
		if (rc)
			return rc;
		f.to = to;
	}
	if (lp.cursor_key[0] != '\0') {
		char *end;

		errno = 0;
		f.before_seq = strtoll(lp.cursor_key, &end, 10);
		if (errno != 0 || *end != '\0' || f.before_seq < 1)
			return zl_error_set(err, ZL_EINVAL, "cursor", "not a cursor of this list");
	}
	/* The caller's subtree, always: the route is scoped "none". */
	if (req->principal.org_path[0] == '\0')
		return zl_error_set(err, ZL_EFORBIDDEN, NULL,
				    "the audit trail is read within an organization");
	f.subtree_path = req->principal.org_path;

	db = zl_req_db(req, err);
	if (!db)
		return ZL_EUNAVAIL;
	rc = zl_store_audit_count(db, &f, &total, err);
	if (rc)
		return rc;
	fetch = zl_list_fetch_limit(&lp);
	rc = zl_list_begin(req, resp, &lp, "audit", audit_cols, N_COLS, total, &p.w, err);
	if (rc)
		return rc;
	rc = zl_store_audit_list(db, &f, fetch > 0 ? fetch : 0, audit_row, &p, err);
	if (rc && p.row_rc)
		return zl_list_end(p.w, NULL, err); /* it names the writer's failure */
	if (rc)
		return rc;
	return zl_list_end_page(p.w, err);
}
