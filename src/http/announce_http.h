/*
 * announce_http.h - what the staff announcement handlers
 * (http/announcements.c) and the public results handlers
 * (http/public_results.c) share: the columns of a published result and
 * how a result and an announcement are written (docs/results.md).
 */
#ifndef ZL_HTTP_ANNOUNCE_HTTP_H
#define ZL_HTTP_ANNOUNCE_HTTP_H

#include "core/buf.h"
#include "core/jw.h"
#include "http/http.h"
#include "http/list.h"
#include "store/announcements.h"

/* The columns of a result (lists and exports), and their number. */
extern const struct zl_list_col zl_ann_result_cols[];
#define ZL_ANN_RESULT_NCOLS 26

/*
 * Fill v[0..ZL_ANN_RESULT_NCOLS) with the result's values as text, in
 * req->arena (numbers formatted there); ZL_ENOMEM.
 */
int zl_ann_result_values(struct zl_req *req, const struct zl_ann_result *r, const char **v);

/* The result as a JSON object (the same members as the list columns). */
int zl_ann_result_json(struct zl_req *req, struct zl_jw *w, const struct zl_ann_result *r);

/* The announcement's stage: draft | submitted | published | withdrawn. */
const char *zl_ann_stage(const struct zl_ann_row *a);

/*
 * The announcement's members (without the enclosing braces' begin/end):
 * public = 1 writes only what the public sees.
 */
void zl_ann_json_members(struct zl_jw *w, const struct zl_ann_row *a, int public_view);

/*
 * Append `text` to b as XML character data or attribute value (Atom feed):
 * & < > " ' as entities; C0 controls but TAB, LF, CR, invalid or overlong
 * UTF-8, surrogates and U+FFFE/U+FFFF dropped, so any input gives
 * well-formed XML.  NULL appends nothing; a full buffer sets b->err.
 */
void zl_atom_text(struct zl_buf *b, const char *text);

/* A list of results through http/list.h (limit, cursor, format): filters f; name the export's stem. */
int zl_ann_results_list(struct zl_req *req, struct zl_resp *resp,
			struct zl_ann_result_filter *f, const char *name, struct zl_error *err);

#endif /* ZL_HTTP_ANNOUNCE_HTTP_H */
