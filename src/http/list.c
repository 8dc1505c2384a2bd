/*
 * list.c - cursor paging and CSV/xlsx export for every list endpoint (see
 * list.h for the contract and docs/lists.md for the user-facing rules).
 *
 * One writer, three encodings chosen at zl_list_begin():
 *   JSON  streamed into resp->body with the JSON writer, typed per column;
 *   CSV   streamed into resp->body with the CSV writer; resp->body is
 *         capped at ZL_RESP_MAX_BODY (64 MiB), past which the export fails
 *         with 413 payload_too_large "export too large, narrow the filters";
 *   xlsx  written by core/xlsxw to an unlinked temp file whose descriptor
 *         becomes resp->fd (the server sends and closes it).
 * Until zl_list_end() hands the xlsx file over, the unfinished workbook is
 * registered as the response's ext_free callback, so if the handler fails
 * (returns an error) after zl_list_begin(), the server's error path frees
 * it and removes its temp file; no handler needs cleanup code.
 */
#include "http/list.h"

#include <inttypes.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/csvw.h"
#include "core/text.h"
#include "core/timeutil.h"
#include "core/xlsxw.h"

#define LIMIT_DEFAULT 50
#define LIMIT_MAX 500

struct zl_list_writer {
	struct zl_req *req;
	struct zl_resp *resp;
	const struct zl_list_col *cols;
	size_t ncols;
	enum zl_list_format format;
	int lang_en;
	int limit;
	int64_t total;
	uint64_t rows; /* rows accepted */
	struct zl_jw jw;
	struct zl_csvw csv;
	struct zl_xlsxw *xlsx;
	const char *disposition;	      /* exports: the Content-Disposition value */
	int more;			      /* zl_list_row_key saw the look-ahead row */
	char last_key[ZL_CURSOR_KEY_MAX + 1]; /* sort key of the page's last row */
	struct zl_error error;		      /* first failure, reported by zl_list_end */
};

/* ---- cursors ------------------------------------------------------------- */

int zl_cursor_encode(const char *key, char *out, size_t n)
{
	size_t len = key ? strlen(key) : 0;

	if (len == 0 || len > ZL_CURSOR_KEY_MAX || !zl_utf8_valid(key, len))
		return ZL_EINVAL;
	if (n < sodium_base64_ENCODED_LEN(len, sodium_base64_VARIANT_URLSAFE_NO_PADDING))
		return ZL_ETOOBIG;
	sodium_bin2base64(out, n, (const unsigned char *)key, len,
			  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	return ZL_OK;
}

int zl_cursor_decode(const char *cursor, char *out, size_t n)
{
	size_t len, bin_len = 0;
	const char *end = NULL;

	if (n)
		out[0] = '\0';
	if (!cursor || n < 2)
		return ZL_EINVAL;
	len = strnlen(cursor, ZL_CURSOR_MAX + 1);
	if (len == 0 || len > ZL_CURSOR_MAX)
		return ZL_EINVAL;
	/*
	 * Check the alphabet first: libsodium (1.0.18) maps some bytes >= 0x80
	 * to base64 digits (found by tests/fuzz/fuzz_cursor.c: "YW\xa2xpY2U"
	 * decoded to 6 bytes), which would give one key several cursors.
	 */
	for (size_t i = 0; i < len; i++) {
		char c = cursor[i];

		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '-' || c == '_'))
			return ZL_EINVAL;
	}
	/* libsodium also rejects non-zero trailing bits, so each key has one cursor */
	if (sodium_base642bin((unsigned char *)out, n - 1, cursor, len, NULL, &bin_len, &end,
			      sodium_base64_VARIANT_URLSAFE_NO_PADDING) ||
	    end != cursor + len || bin_len == 0 || bin_len > ZL_CURSOR_KEY_MAX ||
	    memchr(out, '\0', bin_len) || !zl_utf8_valid(out, bin_len)) {
		out[0] = '\0';
		return ZL_EINVAL;
	}
	out[bin_len] = '\0';
	return ZL_OK;
}

/* ---- query parameters ---------------------------------------------------- */

int zl_list_parse(const struct zl_req *req, struct zl_list_params *lp, struct zl_error *err)
{
	const char *limit = zl_req_query(req, "limit");
	const char *cursor = zl_req_query(req, "cursor");
	const char *format = zl_req_query(req, "format");
	const char *lang = zl_req_query(req, "lang");

	memset(lp, 0, sizeof(*lp));
	lp->format = ZL_LIST_JSON;
	lp->limit = LIMIT_DEFAULT;
	if (limit) {
		long v = 0;
		size_t i;

		/* digits only: no sign, space or exponent; at most 3 significant digits */
		for (i = 0; limit[i] >= '0' && limit[i] <= '9' && v <= LIMIT_MAX; i++)
			v = v * 10 + (limit[i] - '0');
		if (i == 0 || limit[i] != '\0' || v < 1 || v > LIMIT_MAX)
			return zl_error_set(err, ZL_EINVAL, "limit",
					    "limit must be a whole number from 1 to %d", LIMIT_MAX);
		lp->limit = (int)v;
	}
	if (format && format[0]) {
		if (!strcasecmp(format, "json"))
			lp->format = ZL_LIST_JSON;
		else if (!strcasecmp(format, "csv"))
			lp->format = ZL_LIST_CSV;
		else if (!strcasecmp(format, "xlsx"))
			lp->format = ZL_LIST_XLSX;
		else
			return zl_error_set(err, ZL_EINVAL, "format",
					    "format must be json, csv or xlsx");
	}
	if (lang && lang[0]) {
		if (!strcasecmp(lang, "en"))
			lp->lang_en = 1;
		else if (strcasecmp(lang, "zh") && strcasecmp(lang, "zh-CN"))
			return zl_error_set(err, ZL_EINVAL, "lang", "lang must be zh or en");
	}
	if (cursor && cursor[0]) {
		if (zl_cursor_decode(cursor, lp->cursor_key, sizeof(lp->cursor_key)))
			return zl_error_set(err, ZL_EINVAL, "cursor",
					    "invalid cursor: pass next_cursor from the previous "
					    "page unchanged");
		/* an export is the whole result, whatever page the client was on */
		if (lp->format != ZL_LIST_JSON)
			lp->cursor_key[0] = '\0';
	}
	return ZL_OK;
}

int zl_list_fetch_limit(const struct zl_list_params *lp)
{
	return lp->format == ZL_LIST_JSON ? lp->limit + 1 : 0;
}

/* ---- value conversions --------------------------------------------------- */

/* -?(0|[1-9][0-9]{0,17}): a JSON number that fits int64 ("007" is not one) */
static int is_int(const char *s)
{
	size_t i = s[0] == '-', start = i;

	while (s[i] >= '0' && s[i] <= '9')
		i++;
	return s[i] == '\0' && i > start && i - start <= 18 && (s[start] != '0' || i - start == 1);
}

/* 1 true, 0 false, -1 neither.  PostgreSQL returns "t"/"f", SQLite 1/0. */
static int bool_value(const char *s)
{
	if (!strcmp(s, "1") || !strcasecmp(s, "t") || !strcasecmp(s, "true"))
		return 1;
	if (!strcmp(s, "0") || !strcasecmp(s, "f") || !strcasecmp(s, "false"))
		return 0;
	return -1;
}

static const char *bool_word(const struct zl_list_writer *w, const char *s)
{
	int b = bool_value(s);

	if (b < 0)
		return s;
	if (w->lang_en)
		return b ? "yes" : "no";
	return b ? "是" : "否";
}

/*
 * Exports show times as Asia/Shanghai wall-clock "YYYY-MM-DD HH:MM:SS"
 * (what officers read and type); text that is not an RFC 3339 time
 * (e.g. a plain date) is passed through.
 */
static const char *export_time(const char *s, char out[32])
{
	int64_t us;

	if (zl_time_parse_rfc3339(s, &us))
		return s;
	zl_time_format_shanghai(us, out); /* 2014-07-18T16:30:00+08:00 */
	out[10] = ' ';
	out[19] = '\0';
	return out;
}

/* ---- the writer ---------------------------------------------------------- */

static int fail(struct zl_list_writer *w, enum zl_err code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int fail(struct zl_list_writer *w, enum zl_err code, const char *fmt, ...)
{
	va_list ap;

	if (w->error.code == ZL_OK) {
		va_start(ap, fmt);
		zl_error_setv(&w->error, code, NULL, fmt, ap);
		va_end(ap);
	}
	return w->error.code;
}

static int body_error(struct zl_list_writer *w)
{
	int e = w->resp->body.err;

	if (!e)
		return ZL_OK;
	if (e == ZL_ETOOBIG)
		return fail(w, ZL_ETOOBIG, "export too large, narrow the filters%s",
			    w->format == ZL_LIST_CSV ? " (CSV exports are limited to 64 MiB)" : "");
	return fail(w, ZL_ENOMEM, "%s", "out of memory");
}

static void xlsx_abandon(void *cls)
{
	zl_xlsxw_free(cls);
}

const char *zl_http_disposition(struct zl_arena *a, const char *filename)
{
	static const char hex[] = "0123456789ABCDEF";
	struct zl_buf b = ZL_BUF_INIT(4096);
	const char *p, *out = NULL;

	zl_buf_adds(&b, "attachment; filename=\"");
	for (p = filename; *p; p++) {
		unsigned char c = (unsigned char)*p;

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '_' || c == '.')
			zl_buf_addch(&b, (char)c);
		else if (!(c & 0x80) || (c & 0xC0) == 0xC0)
			zl_buf_addch(&b, '_'); /* one '_' per character */
	}
	zl_buf_adds(&b, "\"; filename*=UTF-8''");
	for (p = filename; *p; p++) {
		unsigned char c = (unsigned char)*p;

		/* RFC 8187 attr-char */
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    strchr("!#$&+-.^_`|~", c)) {
			zl_buf_addch(&b, (char)c);
		} else {
			zl_buf_addch(&b, '%');
			zl_buf_addch(&b, hex[c >> 4]);
			zl_buf_addch(&b, hex[c & 15]);
		}
	}
	if (!b.err)
		out = zl_arena_strdup(a, zl_buf_str(&b));
	zl_buf_release(&b);
	return out;
}

/*
 * The export's Content-Disposition value (NAME-YYYYMMDD.EXT), kept in
 * w->disposition until zl_list_end adds it.
 */
static int make_disposition(struct zl_list_writer *w, const char *name, const char *ext,
			    struct zl_error *err)
{
	char *file;
	int64_t y;
	unsigned m, d;

	/* today in Asia/Shanghai, the date the officer sees on the wall */
	zl_civil_from_days((zl_now_us() / 1000000 + ZL_SHANGHAI_OFFSET_S) / 86400, &y, &m, &d);
	file = zl_arena_printf(w->req->arena, "%s-%04d%02u%02u.%s", name, (int)y, m, d, ext);
	if (file == NULL || strlen(file) > 1000)
		return zl_error_set(err, ZL_EINVAL, NULL, "export name too long");
	w->disposition = zl_http_disposition(w->req->arena, file);
	if (!w->disposition)
		return zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
	return ZL_OK;
}

/*
 * Added only once the export succeeded: an error answer must not carry
 * "attachment", or a browser would save the error JSON as users.csv.
 */
static int add_export_headers(struct zl_list_writer *w)
{
	/* exports hold personal data: no copy in browser or proxy caches */
	if (zl_resp_header(w->resp, "Content-Disposition", w->disposition) ||
	    zl_resp_header(w->resp, "Cache-Control", "no-store"))
		return fail(w, ZL_EINTERNAL, "%s", "too many response headers");
	return ZL_OK;
}

/* A worksheet name: at most 31 bytes (cut at a UTF-8 boundary), none of []:*?/\ */
static void sheet_name(const char *name, char out[32])
{
	size_t n = 0;

	for (const char *p = name; *p && n < 31; p++)
		out[n++] = strchr("[]:*?/\\'", *p) ? '_' : *p;
	while (n && ((unsigned char)name[n] & 0xC0) == 0x80)
		n--;
	out[n] = '\0';
	if (!n)
		zl_strlcpy(out, "Sheet1", 32);
}

int zl_list_begin(struct zl_req *req, struct zl_resp *resp, const struct zl_list_params *lp,
		  const char *name, const struct zl_list_col *cols, size_t ncols, int64_t total,
		  struct zl_list_writer **out, struct zl_error *err)
{
	struct zl_list_writer *w;
	int rc;

	*out = NULL;
	if (!ncols || !name || !name[0])
		return zl_error_set(err, ZL_EINTERNAL, NULL, "list without columns or name");
	w = zl_arena_calloc(req->arena, 1, sizeof(*w));
	if (!w)
		return zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
	w->req = req;
	w->resp = resp;
	w->cols = cols;
	w->ncols = ncols;
	w->format = lp->format;
	w->lang_en = lp->lang_en;
	w->limit = lp->limit > 0 ? lp->limit : LIMIT_DEFAULT;
	w->total = total;
	zl_error_clear(&w->error);
	resp->status = 200;

	switch (w->format) {
	case ZL_LIST_JSON:
		zl_resp_json(resp, 200, &w->jw);
		zl_jw_obj_begin(&w->jw);
		zl_jw_key(&w->jw, "items");
		zl_jw_arr_begin(&w->jw);
		break;
	case ZL_LIST_CSV:
		rc = make_disposition(w, name, "csv", err);
		if (rc)
			return rc;
		resp->content_type = "text/csv; charset=utf-8";
		zl_csvw_init(&w->csv, &resp->body, ZL_CSVW_BOM);
		for (size_t i = 0; i < ncols; i++)
			zl_csvw_field(&w->csv, w->lang_en ? cols[i].en : cols[i].zh);
		zl_csvw_end_row(&w->csv);
		break;
	case ZL_LIST_XLSX: {
		const char *hdr[ZL_XLSXW_MAX_COLS];
		char sheet[32];

		if (ncols > ZL_XLSXW_MAX_COLS)
			return zl_error_set(err, ZL_EINTERNAL, NULL, "too many columns");
		if (total >= (int64_t)ZL_XLSXW_MAX_ROWS)
			return zl_error_set(err, ZL_ETOOBIG, NULL,
					    "export too large for one xlsx sheet (%" PRId64
					    " rows), narrow the filters",
					    total);
		rc = make_disposition(w, name, "xlsx", err);
		if (rc)
			return rc;
		for (size_t i = 0; i < ncols; i++)
			hdr[i] = w->lang_en ? cols[i].en : cols[i].zh;
		sheet_name(name, sheet);
		rc = zl_xlsxw_new(NULL, sheet, hdr, ncols, &w->xlsx, err);
		if (rc)
			return rc;
		resp->content_type =
			"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
		/* until zl_list_end: the server's error path frees the workbook */
		resp->ext_data = "";
		resp->ext_len = 0;
		resp->ext_free = xlsx_abandon;
		resp->ext_cls = w->xlsx;
		break;
	}
	default:
		return zl_error_set(err, ZL_EINTERNAL, NULL, "unknown list format");
	}
	rc = body_error(w);
	if (rc) {
		*err = w->error;
		return rc;
	}
	*out = w;
	return ZL_OK;
}

static void json_row(struct zl_list_writer *w, const char *const *values)
{
	struct zl_jw *j = &w->jw;

	zl_jw_obj_begin(j);
	for (size_t i = 0; i < w->ncols; i++) {
		const char *v = values[i];

		zl_jw_key(j, w->cols[i].key);
		if (!v) {
			zl_jw_null(j);
			continue;
		}
		switch (w->cols[i].type) {
		case ZL_COL_INT:
			if (is_int(v))
				zl_jw_raw(j, v, strlen(v));
			else
				zl_jw_str(j, v);
			break;
		case ZL_COL_BOOL:
			if (bool_value(v) >= 0)
				zl_jw_bool(j, bool_value(v));
			else
				zl_jw_str(j, v);
			break;
		default:
			zl_jw_str(j, v);
			break;
		}
	}
	zl_jw_obj_end(j);
}

static void csv_row(struct zl_list_writer *w, const char *const *values)
{
	char tbuf[32];

	for (size_t i = 0; i < w->ncols; i++) {
		const char *v = values[i];

		if (!v) {
			zl_csvw_field(&w->csv, NULL);
			continue;
		}
		switch (w->cols[i].type) {
		case ZL_COL_INT:
			zl_csvw_num(&w->csv, v);
			break;
		case ZL_COL_BOOL:
			zl_csvw_field(&w->csv, bool_word(w, v));
			break;
		case ZL_COL_TIME:
			zl_csvw_field(&w->csv, export_time(v, tbuf));
			break;
		default:
			zl_csvw_field(&w->csv, v);
			break;
		}
	}
	zl_csvw_end_row(&w->csv);
}

static int xlsx_row(struct zl_list_writer *w, const char *const *values)
{
	char tbuf[32];
	int rc = ZL_OK;

	for (size_t i = 0; i < w->ncols && !rc; i++) {
		const char *v = values[i];

		if (!v)
			continue;
		switch (w->cols[i].type) {
		case ZL_COL_INT:
			/* up to 15 digits is exact in a double, which is all Excel has */
			if (is_int(v) && strlen(v) <= 15)
				rc = zl_xlsxw_num(w->xlsx, i, (double)strtoll(v, NULL, 10),
						  &w->error);
			else
				rc = zl_xlsxw_str(w->xlsx, i, v, &w->error);
			break;
		case ZL_COL_BOOL:
			rc = zl_xlsxw_str(w->xlsx, i, bool_word(w, v), &w->error);
			break;
		case ZL_COL_TIME:
			rc = zl_xlsxw_str(w->xlsx, i, export_time(v, tbuf), &w->error);
			break;
		default:
			rc = zl_xlsxw_str(w->xlsx, i, v, &w->error);
			break;
		}
	}
	if (!rc)
		rc = zl_xlsxw_end_row(w->xlsx, &w->error);
	return rc;
}

int zl_list_row(struct zl_list_writer *w, const char *const *values)
{
	if (w->error.code)
		return w->error.code;
	switch (w->format) {
	case ZL_LIST_JSON:
		/* the handler's look-ahead row (limit + 1) is not part of the page */
		if (w->rows >= (uint64_t)w->limit)
			return ZL_OK;
		json_row(w, values);
		break;
	case ZL_LIST_CSV:
		csv_row(w, values);
		break;
	case ZL_LIST_XLSX:
		if (xlsx_row(w, values))
			return w->error.code;
		break;
	}
	w->rows++;
	return body_error(w);
}

int zl_list_row_key(struct zl_list_writer *w, const char *const *values, const char *key)
{
	size_t len = key ? strlen(key) : 0;
	int rc;

	if (w->error.code)
		return w->error.code;
	if (w->format == ZL_LIST_JSON && w->rows >= (uint64_t)w->limit) {
		w->more = 1; /* the look-ahead row: another page follows */
		return ZL_OK;
	}
	if (len > ZL_CURSOR_KEY_MAX)
		return fail(w, ZL_EINTERNAL, "cursor key of %zu bytes", len);
	rc = zl_list_row(w, values);
	if (rc == ZL_OK)
		memcpy(w->last_key, key ? key : "", len + 1);
	return rc;
}

int zl_list_end_page(struct zl_list_writer *w, struct zl_error *err)
{
	return zl_list_end(w, w->more && w->last_key[0] ? w->last_key : NULL, err);
}

void zl_list_set_total(struct zl_list_writer *w, int64_t total)
{
	w->total = total;
}

int zl_list_end(struct zl_list_writer *w, const char *next_cursor_key, struct zl_error *err)
{
	struct zl_resp *resp = w->resp;
	int rc = w->error.code;

	if (rc)
		goto out;
	switch (w->format) {
	case ZL_LIST_JSON: {
		char cur[ZL_CURSOR_MAX + 1];

		zl_jw_arr_end(&w->jw);
		zl_jw_kint(&w->jw, "total", w->total);
		zl_jw_key(&w->jw, "next_cursor");
		if (next_cursor_key) {
			if (zl_cursor_encode(next_cursor_key, cur, sizeof(cur))) {
				rc = fail(w, ZL_EINTERNAL, "bad cursor key \"%s\"",
					  next_cursor_key);
				goto out;
			}
			zl_jw_str(&w->jw, cur);
		} else {
			zl_jw_null(&w->jw);
		}
		zl_jw_obj_end(&w->jw);
		rc = body_error(w);
		if (!rc && zl_jw_error(&w->jw))
			rc = fail(w, ZL_EINTERNAL, "%s", "JSON writer misuse");
		break;
	}
	case ZL_LIST_CSV:
		rc = body_error(w);
		if (!rc)
			rc = add_export_headers(w);
		break;
	case ZL_LIST_XLSX: {
		struct zl_xlsxw *x = w->xlsx;
		int fd = -1;
		uint64_t size = 0;

		if (!x) {
			rc = fail(w, ZL_EINTERNAL, "%s", "zl_list_end called twice");
			goto out;
		}
		w->xlsx = NULL;
		resp->ext_data = NULL;
		resp->ext_free = NULL;
		resp->ext_cls = NULL;
		rc = zl_xlsxw_finish(x, &fd, &size, &w->error);
		if (!rc) {
			resp->fd = fd; /* the server sends and closes it, also on error */
			resp->fd_size = size;
			rc = add_export_headers(w);
		}
		break;
	}
	}
out:
	if (rc && err)
		*err = w->error;
	return rc;
}
