/*
 * list.h - the one way list endpoints answer: cursor paging with an exact
 * total in JSON, or the same query exported as CSV or xlsx.
 *
 * Query parameters every list endpoint accepts (parsed by zl_list_parse):
 *   limit=N      page size, 1..500 (default 50); ignored for exports
 *   cursor=C     opaque continuation from the previous page's next_cursor
 *   format=F     json (default) | csv | xlsx
 * A handler declares its columns once (struct zl_list_col: key, zh-CN and
 * English header, type), runs its store query for limit+1 rows after the
 * cursor (exports: all rows, streamed), and feeds each row to the writer:
 *
 *   JSON  {"items":[{...},...],"total":N,"next_cursor":"..."|null}
 *   CSV   UTF-8 with BOM (Excel opens it correctly), CRLF, RFC 4180
 *         quoting, zh-CN header row (English with lang=en), and a cell
 *         starting with = + - @ prefixed by ' (no formula injection)
 *   xlsx  one sheet via libxlsxwriter, bold frozen header row, column
 *         widths fitted, dates as text; written to an unlinked temp file
 *         and sent through resp->fd
 * with Content-Disposition: attachment; filename="NAME-YYYYMMDD.csv".
 *
 * Cursors are opaque to clients: base64url of the sort key of the last row
 * sent (the handler decides what the key is, e.g. "username" or "seq"),
 * so paging is stable under inserts and has no offset cap.
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
	const char *key;   /* JSON member name */
	const char *zh;    /* header in exports (zh-CN) */
	const char *en;    /* header in exports with lang=en */
	enum zl_col_type type;
};

struct zl_list_params {
	enum zl_list_format format;
	int limit;               /* rows per page (JSON) */
	char cursor_key[256];    /* decoded cursor, "" on the first page */
	int lang_en;             /* lang=en */
};

/* Parse limit/cursor/format/lang from the request; ZL_EINVAL naming the parameter. */
int zl_list_parse(const struct zl_req *req, struct zl_list_params *lp, struct zl_error *err);

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
 * Finish.  `next_cursor_key` is the sort key of the last row of this page
 * when more rows follow, else NULL (JSON only; exports ignore it).
 */
int zl_list_end(struct zl_list_writer *w, const char *next_cursor_key, struct zl_error *err);

/* Cursor encoding, exposed for tests and the fuzz target. */
int zl_cursor_encode(const char *key, char *out, size_t n);
int zl_cursor_decode(const char *cursor, char *out, size_t n);

#endif /* ZL_HTTP_LIST_H */
