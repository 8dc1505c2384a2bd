/*
 * credit.h - what other http/ files need from the credit archive's HTTP
 * code (http/credit.c): today's date as the archive counts it and one JSON
 * form of an event, so the enterprise page, the public lookup and the
 * archive endpoints write events the same way.
 */
#ifndef ZL_HTTP_CREDIT_H
#define ZL_HTTP_CREDIT_H

#include "core/jw.h"
#include "domain/credit.h"

/* Today in Asia/Shanghai, "YYYY-MM-DD", into out (the date public_until is compared with). */
void zl_http_credit_today(char out[16]);

/*
 * One event as a JSON object: {"id","uscc","kind","polarity","event_date",
 * "source_org","doc_no","title","detail","public_until","public"} (empty
 * strings as null; "public": shown publicly on `today`).  `staff` adds
 * "visibility", "created_at" and "created_by"; the public form leaves them
 * out (no staff names in public answers).
 */
void zl_http_credit_event_json(struct zl_jw *w, const struct zl_credit_event *ev, const char *today,
			       int staff);

#endif /* ZL_HTTP_CREDIT_H */
