/*
 * credit.c - the quality credit archive's SQL (store/credit.h): append,
 * list (newest first, cursor paging), one event, counts.  There is no
 * UPDATE or DELETE of credit_events anywhere in the program.
 */
#include <inttypes.h>
#include <string.h>

#include "core/buf.h"
#include "core/timeutil.h"
#include "store/credit.h"
#include "store/enterprises.h"

/* An arbitrary constant naming "Zhiliang credit archive append" among
 * advisory locks ("zlcredit" in ASCII); audit and migrations use others. */
#define PG_CREDIT_LOCK_SQL "SELECT pg_advisory_xact_lock(8821193464758250868)"

/* Rows per statement when walking every event (exports). */
#define BATCH 500

#define COLUMNS                                                                                    \
	"id, uscc, kind, polarity, event_date, source_org, doc_no, title, detail, visibility,"     \
	" public_until, created_at, created_by"

/*
 * COLUMNS and the name of the source organization as it was on the event's
 * date (organizations are renamed: 质监局 -> 市场监管局), else its latest name.
 */
#define READ_COLUMNS                                                                               \
	COLUMNS ", coalesce((SELECT o.name FROM orgs o WHERE o.code = credit_events.source_org"    \
		" AND o.valid_from <= credit_events.event_date ORDER BY o.valid_from DESC LIMIT 1),"  \
		" (SELECT o.name FROM orgs o WHERE o.code = credit_events.source_org"               \
		" ORDER BY o.valid_from DESC LIMIT 1), '')"

static int is_postgres(struct zl_db *db)
{
	return strcmp(zl_db_backend(db), "postgres") == 0;
}

static void read_event(struct zl_stmt *st, struct zl_credit_event *ev)
{
	memset(ev, 0, sizeof(*ev));
	ev->id = zl_stmt_column_int64(st, 0);
	zl_strlcpy(ev->uscc, zl_stmt_column_text(st, 1), sizeof(ev->uscc));
	zl_strlcpy(ev->kind, zl_stmt_column_text(st, 2), sizeof(ev->kind));
	zl_strlcpy(ev->polarity, zl_stmt_column_text(st, 3), sizeof(ev->polarity));
	zl_strlcpy(ev->event_date, zl_stmt_column_text(st, 4), sizeof(ev->event_date));
	zl_strlcpy(ev->source_org, zl_stmt_column_text(st, 5), sizeof(ev->source_org));
	zl_strlcpy(ev->doc_no, zl_stmt_column_text(st, 6), sizeof(ev->doc_no));
	zl_strlcpy(ev->title, zl_stmt_column_text(st, 7), sizeof(ev->title));
	zl_strlcpy(ev->detail, zl_stmt_column_text(st, 8), sizeof(ev->detail));
	zl_strlcpy(ev->visibility, zl_stmt_column_text(st, 9), sizeof(ev->visibility));
	zl_strlcpy(ev->public_until, zl_stmt_column_text(st, 10), sizeof(ev->public_until));
	zl_strlcpy(ev->created_at, zl_stmt_column_text(st, 11), sizeof(ev->created_at));
	zl_strlcpy(ev->created_by, zl_stmt_column_text(st, 12), sizeof(ev->created_by));
	if (zl_stmt_column_count(st) > 13)
		zl_strlcpy(ev->source_org_name, zl_stmt_column_text(st, 13),
			   sizeof(ev->source_org_name));
}

/* ---- append ----------------------------------------------------------- */

static int next_id(struct zl_db *db, int64_t *id, struct zl_error *err)
{
	struct zl_stmt *st;
	int rc;

	*id = 0;
	rc = zl_db_prepare(db, "SELECT COALESCE(MAX(id), 0) FROM credit_events", &st, err);
	if (rc != ZL_OK)
		return rc;
	rc = zl_stmt_step(st, err);
	if (rc == ZL_DB_ROW)
		*id = zl_stmt_column_int64(st, 0) + 1;
	else if (rc == ZL_DB_DONE)
		rc = zl_error_set(err, ZL_EDB, "db", "MAX(id) returned no row");
	zl_stmt_reset(st);
	return rc < 0 ? rc : ZL_OK;
}

int zl_store_credit_add(struct zl_db *db, const struct zl_credit_event *ev, int64_t *id_out,
			struct zl_error *err)
{
	struct zl_stmt *st;
	char now[32];
	int64_t id;
	int rc;

	if (!zl_db_in_tx(db))
		return zl_error_set(err, ZL_EINTERNAL, "credit",
				    "credit event added outside a transaction");
	rc = zl_credit_validate(ev, NULL, err);
	if (rc != ZL_OK)
		return rc;
	if (ev->created_by[0] == '\0')
		return zl_error_set(err, ZL_EUNPROC, "created_by", "created_by is required");
	if (is_postgres(db)) {
		/* Two writers must not both read the same MAX(id); the lock lasts
		 * until the caller's transaction ends. */
		rc = zl_db_exec(db, PG_CREDIT_LOCK_SQL, err);
		if (rc != ZL_OK)
			return rc;
	}
	rc = next_id(db, &id, err);
	if (rc != ZL_OK)
		return rc;
	if (ev->created_at[0] == '\0')
		zl_time_format_rfc3339(zl_now_us(), now);
	else
		zl_strlcpy(now, ev->created_at, sizeof(now));
	rc = zl_db_prepare(db,
			   "INSERT INTO credit_events (" COLUMNS ")"
			   " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
			   &st, err);
	if (rc != ZL_OK)
		return rc;
	zl_stmt_bind_int64(st, 1, id);
	zl_stmt_bind_text(st, 2, ev->uscc, -1);
	zl_stmt_bind_text(st, 3, ev->kind, -1);
	zl_stmt_bind_text(st, 4, ev->polarity, -1);
	zl_stmt_bind_text(st, 5, ev->event_date, -1);
	zl_stmt_bind_text(st, 6, ev->source_org, -1);
	zl_stmt_bind_text(st, 7, ev->doc_no, -1);
	zl_stmt_bind_text(st, 8, ev->title, -1);
	zl_stmt_bind_text(st, 9, ev->detail, -1);
	zl_stmt_bind_text(st, 10, ev->visibility, -1);
	zl_stmt_bind_text(st, 11, ev->public_until, -1);
	zl_stmt_bind_text(st, 12, now, -1);
	zl_stmt_bind_text(st, 13, ev->created_by, -1);
	rc = zl_stmt_step(st, err);
	zl_stmt_reset(st);
	if (rc < 0)
		return rc;
	/* Mirrors of the register learn of the archive's growth from the feed too. */
	rc = zl_store_enterprise_change_append(db, ev->uscc, "credit", NULL, err);
	if (rc != ZL_OK)
		return rc;
	if (id_out != NULL)
		*id_out = id;
	return ZL_OK;
}

/* ---- read ------------------------------------------------------------- */

static int check_filter(const struct zl_credit_filter *f, struct zl_error *err)
{
	if (f->uscc == NULL)
		return zl_error_set(err, ZL_EINVAL, "uscc", "no enterprise given");
	if (f->public_only && f->today == NULL)
		return zl_error_set(err, ZL_EINVAL, "today", "public filter without a date");
	return ZL_OK;
}

/*
 * WHERE for `f`, appended to `sql`: fixed text only, every value bound by
 * bind_where() in the same order.
 */
static void build_where(struct zl_buf *sql, const struct zl_credit_filter *f, int cursor)
{
	zl_buf_adds(sql, " FROM credit_events WHERE uscc = ?");
	if (f->public_only)
		zl_buf_adds(sql, " AND visibility = 'public' AND (public_until = '' OR"
				 " public_until >= ?)");
	if (f->kind != NULL)
		zl_buf_adds(sql, " AND kind = ?");
	if (cursor)
		zl_buf_adds(sql, " AND (event_date < ? OR (event_date = ? AND id < ?))");
}

static int bind_where(struct zl_stmt *st, const struct zl_credit_filter *f, int cursor,
		      const char *after_date, int64_t after_id)
{
	int i = 1;

	zl_stmt_bind_text(st, i++, f->uscc, -1);
	if (f->public_only)
		zl_stmt_bind_text(st, i++, f->today, -1);
	if (f->kind != NULL)
		zl_stmt_bind_text(st, i++, f->kind, -1);
	if (cursor) {
		zl_stmt_bind_text(st, i++, after_date, -1);
		zl_stmt_bind_text(st, i++, after_date, -1);
		zl_stmt_bind_int64(st, i++, after_id);
	}
	return i;
}

int zl_store_credit_count(struct zl_db *db, const struct zl_credit_filter *f, int64_t *total,
			  struct zl_error *err)
{
	struct zl_buf sql = ZL_BUF_INIT(2048);
	struct zl_stmt *st;
	int rc;

	*total = 0;
	rc = check_filter(f, err);
	if (rc != ZL_OK)
		return rc;
	zl_buf_adds(&sql, "SELECT count(*)");
	build_where(&sql, f, 0);
	if (sql.err) {
		rc = zl_error_set(err, sql.err, NULL, "credit query too long");
		goto out;
	}
	rc = zl_db_prepare(db, zl_buf_str(&sql), &st, err);
	if (rc != ZL_OK)
		goto out;
	bind_where(st, f, 0, NULL, 0);
	rc = zl_stmt_step(st, err);
	if (rc == ZL_DB_ROW) {
		*total = zl_stmt_column_int64(st, 0);
		rc = ZL_OK;
	} else if (rc == ZL_DB_DONE) {
		rc = zl_error_set(err, ZL_EDB, "db", "count returned no row");
	}
	zl_stmt_reset(st);
out:
	zl_buf_release(&sql);
	return rc;
}

int zl_store_credit_page(struct zl_db *db, const struct zl_credit_filter *f, int64_t limit,
			 zl_credit_row_fn *fn, void *cls, struct zl_error *err)
{
	struct zl_buf sql = ZL_BUF_INIT(2048);
	struct zl_credit_event *ev = NULL;
	/* The cursor clause is always present: every batch continues after
	 * the last row sent; "9999-99-99" sorts after every date ("none"). */
	char after_date[12] = "9999-99-99";
	int64_t after_id = INT64_MAX, sent = 0;
	struct zl_stmt *st = NULL;
	int rc, cb = 0;

	rc = check_filter(f, err);
	if (rc != ZL_OK)
		return rc;
	if (f->after_date != NULL) {
		zl_strlcpy(after_date, f->after_date, sizeof(after_date));
		after_id = f->after_id;
	}
	/* One event is about 10 KiB: keep it off the caller's stack. */
	ev = calloc(1, sizeof(*ev));
	if (ev == NULL)
		return zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
	zl_buf_adds(&sql, "SELECT " READ_COLUMNS);
	build_where(&sql, f, 1);
	zl_buf_adds(&sql, " ORDER BY event_date DESC, id DESC LIMIT ?");
	if (sql.err) {
		rc = zl_error_set(err, sql.err, NULL, "credit query too long");
		goto out;
	}
	rc = zl_db_prepare(db, zl_buf_str(&sql), &st, err);
	if (rc != ZL_OK)
		goto out;
	for (;;) {
		int64_t want = BATCH, got = 0;
		int i;

		if (limit > 0 && limit - sent < want)
			want = limit - sent;
		if (want <= 0)
			break;
		i = bind_where(st, f, 1, after_date, after_id);
		zl_stmt_bind_int64(st, i, want);
		while ((rc = zl_stmt_step(st, err)) == ZL_DB_ROW) {
			read_event(st, ev);
			got++;
			sent++;
			zl_strlcpy(after_date, ev->event_date, sizeof(after_date));
			after_id = ev->id;
			cb = fn(cls, ev);
			if (cb != 0)
				break;
		}
		zl_stmt_reset(st);
		if (cb != 0) {
			rc = cb;
			goto out;
		}
		if (rc < 0)
			goto out;
		rc = ZL_OK;
		if (got < want)
			break;
	}
out:
	free(ev);
	zl_buf_release(&sql);
	return rc;
}

int zl_store_credit_list(struct zl_db *db, const char *uscc, int public_only, const char *today,
			 zl_credit_row_fn *fn, void *cls, struct zl_error *err)
{
	struct zl_credit_filter f = {.uscc = uscc, .public_only = public_only, .today = today};

	return zl_store_credit_page(db, &f, 0, fn, cls, err);
}

int zl_store_credit_get(struct zl_db *db, int64_t id, struct zl_credit_event *out,
			struct zl_error *err)
{
	struct zl_stmt *st;
	int rc;

	rc = zl_db_prepare(db, "SELECT " READ_COLUMNS " FROM credit_events WHERE id = ?", &st, err);
	if (rc != ZL_OK)
		return rc;
	zl_stmt_bind_int64(st, 1, id);
	rc = zl_stmt_step(st, err);
	if (rc == ZL_DB_ROW) {
		read_event(st, out);
		rc = ZL_OK;
	} else if (rc == ZL_DB_DONE) {
		rc = zl_error_set(err, ZL_ENOTFOUND, "id", "no credit event %" PRId64, id);
	}
	zl_stmt_reset(st);
	return rc;
}

int zl_store_credit_counts(struct zl_db *db, const char *uscc, const char *today,
			   struct zl_credit_counts *out, struct zl_error *err)
{
	struct zl_stmt *st;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = zl_db_prepare(db,
			   "SELECT polarity, count(*) FROM credit_events WHERE uscc = ?"
			   " AND visibility = 'public' AND (public_until = '' OR public_until >= ?)"
			   " GROUP BY polarity",
			   &st, err);
	if (rc != ZL_OK)
		return rc;
	zl_stmt_bind_text(st, 1, uscc, -1);
	zl_stmt_bind_text(st, 2, today, -1);
	while ((rc = zl_stmt_step(st, err)) == ZL_DB_ROW) {
		const char *p = zl_stmt_column_text(st, 0);
		int64_t n = zl_stmt_column_int64(st, 1);

		if (strcmp(p, "positive") == 0)
			out->positive = n;
		else if (strcmp(p, "negative") == 0)
			out->negative = n;
		else
			out->neutral += n;
	}
	zl_stmt_reset(st);
	return rc < 0 ? rc : ZL_OK;
}
