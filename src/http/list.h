/*
 * list.h - the one way list endpoints answer: cursor paging with an exact
 * total in JSON, or the same query exported as CSV or xlsx.
 *
 * Query parameters every list endpoint accepts (parsed by zl_list_parse;
 * declared by ZL_LIST(handler) in http/params.def, which must stay in step):
 *   limit=N      page size, 1..500 (default 50); ignored for exports
 *   cursor=C     opaque continuation from the previous page's next_cursor
 *   format=F     json (default) | csv | xlsx (any case)
 *   lang=L       zh (default) | zh-CN | en: language of the export header
 * A handler declares its columns once (struct zl_list_col: key, zh-CN and
 * English header, type), runs its store query for limit+1 rows after the
 * cursor (exports: all rows, streamed), and feeds each row to the writer:
 *
 *   JSON  {"items":[{...},...],"total":N,"next_cursor":"..."|null}
 *   CSV   UTF-8 with BOM (Excel opens it correctly), CRLF, RFC 4180
 *         quoting, zh-CN header row (English with lang=en), and a cell
 *         starting with = + - @ TAB CR prefixed by ' (no formula injection)
 *   xlsx  one sheet via libxlsxwriter, bold frozen header row, column
 *         widths fitted, dates as text; written to an unlinked temp file
 *         and sent through resp->fd
 * with Content-Disposition: attachment; filename="NAME-YYYYMMDD.csv".
 *
 * Cursors are opaque to clients: base64url of the sort key of the last row
 * sent (the handler decides what the key is, e.g. "username" or "seq"),
 * so paging is stable under inserts and has no offset cap.
 *
 * Details (docs/lists.md has the full contract and an example handler):
 *   - JSON: rows past lp->limit are dropped, so a handler may feed its
 *     look-ahead row (limit + 1) and only uses it to decide next_cursor.
 *     ZL_COL_INT values are written as numbers, ZL_COL_BOOL ("1"/"0",
 *     PostgreSQL's "t"/"f", "true"/"false") as true/false; a value that does
 *     not parse as its type is written as a string rather than failing.
 *   - Exports: every row (zl_list_parse clears the cursor for them, so
 *     the handler's "after cursor" query returns everything); bools as
 *     是/否 (yes/no with lang=en); RFC 3339 times as Asia/Shanghai wall time
 *     "YYYY-MM-DD HH:MM:SS"; file name NAME-YYYYMMDD.ext (today in
 *     Shanghai), non-ASCII names as filename*=UTF-8''... (RFC 6266);
 *     Cache-Control: no-store.
 *   - CSV is built in resp->body, capped at ZL_RESP_MAX_BODY (64 MiB):
 *     past it zl_list_row/zl_list_end fail with ZL_ETOOBIG (413
 *     payload_too_large, "export too large, narrow the filters").  xlsx is
 *     limited to Excel's 1,048,575 data rows (ZL_ETOOBIG up front when
 *     `total` is larger).
 *   - An unfinished xlsx workbook is owned by the response (resp->ext_free)
 *     until zl_list_end hands over the file, so a handler that fails after
 *     zl_list_begin just returns its error: the server frees the workbook
 *     and its temp file.  A handler must return the error of zl_list_end.
 */
#ifndef ZL_HTTP_LIST_H
#define ZL_HTTP_LIST_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "http/http.h"

enum zl_list_format { ZL_LIST_JSON = 0, ZL_LIST_CSV, ZL_LIST_XLSX };
enum zl_col_type { ZL_COL_TEXT = 0, ZL_COL_INT, ZL_COL_BOOL, ZL_COL_TIME };

struct zl_list_col {
	const char *key; /* JSON member name */
	const char *zh;	 /* header in exports (zh-CN) */
	const char *en;	 /* header in exports with lang=en */
	enum zl_col_type type;
};

struct zl_list_params {
	enum zl_list_format format;
	int limit;	      /* rows per page (JSON) */
	char cursor_key[256]; /* decoded cursor, "" on the first page */
	int lang_en;	      /* lang=en */
};

/* Parse limit/cursor/format/lang from the request; ZL_EINVAL naming the parameter. */
int zl_list_parse(const struct zl_req *req, struct zl_list_params *lp, struct zl_error *err);

/*
 * How many rows the handler should ask its store query for: limit + 1 for
 * JSON (the extra row tells whether a next page exists), 0 for exports,
 * meaning "all" (the store functions' convention for limit <= 0).
 */
int zl_list_fetch_limit(const struct zl_list_params *lp);

struct zl_list_writer; /* opaque; lives in req->arena */

/*
 * Start the response.  `name` is the export's file-name stem ("users").
 * `total` is the exact count of rows matching the filters (all pages).
 */
int zl_list_begin(struct zl_req *req, struct zl_resp *resp, const struct zl_list_params *lp,
		  const char *name, const struct zl_list_col *cols, size_t ncols, int64_t total,
		  struct zl_list_writer **out, struct zl_error *err);
/*
 * One row: `values[i]` is column i as text (NULL for null; ints and bools
 * as decimal text "0"/"1"; times as RFC 3339).  JSON gets typed values.
 * Returns ZL_OK, or an error (e.g. the response cap).
 */
int zl_list_row(struct zl_list_writer *w, const char *const *values);
/*
 * Replace the `total` given to zl_list_begin, for store functions that
 * return the count together with the rows: call it before zl_list_end
 * (JSON writes "total" last).  Exports do not show the total.
 */
void zl_list_set_total(struct zl_list_writer *w, int64_t total);
/*
 * Finish.  `next_cursor_key` is the sort key of the last row of this page
 * when more rows follow, else NULL (JSON only; exports ignore it).
 */
int zl_list_end(struct zl_list_writer *w, const char *next_cursor_key, struct zl_error *err);

/*
 * zl_list_row() for a paged list: `key` is the row's sort key (what the
 * next page's cursor continues after).  The writer remembers the key of the
 * page's last row and treats the look-ahead row (the limit + 1st that the
 * store query returns, see zl_list_fetch_limit) as "another page follows",
 * so handlers keep no paging state; finish with zl_list_end_page().
 */
int zl_list_row_key(struct zl_list_writer *w, const char *const *values, const char *key);
/* zl_list_end() with next_cursor taken from the rows fed to zl_list_row_key(). */
int zl_list_end_page(struct zl_list_writer *w, struct zl_error *err);

/*
 * The Content-Disposition value offering a download named `filename`
 * (UTF-8): attachment; filename="ASCII stand-in"; filename*=UTF-8''...
 * (RFC 6266 / 8187), allocated in `a`; NULL when out of memory or too long.
 */
const char *zl_http_disposition(struct zl_arena *a, const char *filename);

/*
 * Cursor encoding, exposed for tests and the fuzz target.  A cursor is the
 * base64url encoding (RFC 4648 section 5, no padding) of a key of
 * 1..ZL_CURSOR_KEY_MAX bytes of valid UTF-8 without NUL.
 *
 * zl_cursor_encode: writes the cursor into out[n] (n >= ZL_CURSOR_MAX + 1
 * always suffices).  ZL_EINVAL for an empty, too long or non-UTF-8 key;
 * ZL_ETOOBIG when `out` is too small.
 * zl_cursor_decode: writes the key into out[n] (NUL-terminated).  ZL_EINVAL
 * for anything that encode could not have produced (bad alphabet, padding,
 * non-zero trailing bits, empty, too long for `out` or ZL_CURSOR_MAX,
 * a decoded NUL or invalid UTF-8).
 */
#define ZL_CURSOR_KEY_MAX 255 /* bytes of key; fits zl_list_params.cursor_key */
#define ZL_CURSOR_MAX 340     /* characters of cursor for a key of ZL_CURSOR_KEY_MAX bytes */
int zl_cursor_encode(const char *key, char *out, size_t n);
int zl_cursor_decode(const char *cursor, char *out, size_t n);

#endif /* ZL_HTTP_LIST_H */
