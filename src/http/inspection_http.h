/*
 * inspection_http.h - a lifecycle step as request JSON, read into the
 * machine's event (domain/inspection.h) and the store's step
 * (store/inspections.h) for POST /api/v1/inspections/{id}/events, with
 * refusals naming the member path ("items[2].verdict", "sampling.batch").
 * http/inspections.c answers with it; the fuzz target
 * tests/fuzz/fuzz_inspection_event.c reads with it.
 *
 * The body: {"event", "date", "version"?, and what the event carries:
 *   "samplers"?: [names]                        record_sampling, refuse_sampling
 *   "sampling": {"place","batch","production_date","spec","trademark",
 *                "sample_qty","backup_qty","backup_sealed","seal_no"}
 *   "doc_no"                                    report, re-test, order numbers
 *   "items": [{"name","measured","limit","unit"?,"verdict"}], "conclusion"
 *   "contested": [item numbers], "verdicts"?: [pass|fail], "measured"?: [..]
 *   "received_on", "until", "days", "reason"}
 * Members an event does not read are refused by the machine's guards only
 * when it needs them; their form is checked here whatever the event.
 * The role and the authority's level are not the client's to say: the
 * handler sets them from the caller.
 *
 * Strings point into the cJSON tree or req->arena; arrays are in
 * req->arena.  ZL_EUNPROC (422) for a wrong member, ZL_ENOMEM.
 */
#ifndef ZL_HTTP_INSPECTION_HTTP_H
#define ZL_HTTP_INSPECTION_HTTP_H

#include "core/json.h"
#include "http/http.h"
#include "store/inspections.h"

/* Read `body` into *step (cleared first; ev.role and ev.level left for the caller). */
int zl_insp_http_parse_event(struct zl_req *req, const cJSON *body, struct zl_insp_step *step,
			     struct zl_error *err);

#endif /* ZL_HTTP_INSPECTION_HTTP_H */
