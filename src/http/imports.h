/*
 * imports.h - POST /api/v1/imports/enterprises: an enterprise table (CSV,
 * xlsx, xls) uploaded as the raw request body, imported all or nothing
 * (?partial=1: the good rows anyway) by store/import.h, answered with the
 * import report as JSON:
 *
 *   {"imported":N,"updated":N,"unchanged":N,"rejected":N,"written":true,
 *    "header_row":3,"format":"csv","encoding":"gb18030",
 *    "unmapped":["H (备注)"],"notes":[],
 *    "rows":[{"row":5,"column":"A (统一社会信用代码)","value":"...","reason":"..."}]}
 *
 * 200 whether or not rows were rejected (the report is the answer; "written"
 * says whether anything was committed); 400 for an empty body, 415 for a
 * Content-Type other than text/csv, text/plain, application/octet-stream,
 * application/vnd.ms-excel or the xlsx type, 422 when the file as a whole
 * cannot be imported (no header row, ambiguous header, bad encoding).
 * ?name=FILE names the upload in the audit row (default "upload").
 *
 * NOT YET ROUTED: server.c requires application/json bodies and caps them
 * at cfg.max_body (1 MiB) for every route; this route needs a per-route
 * exception (raw body allowed, cap cfg.max_upload).  Until then the
 * handler is declared here rather than through routes.def.
 */
#ifndef ZL_HTTP_IMPORTS_H
#define ZL_HTTP_IMPORTS_H

#include "http/http.h"

int zl_h_import_enterprises(struct zl_req *req, struct zl_resp *resp, struct zl_error *err);

#endif /* ZL_HTTP_IMPORTS_H */
