/*
 * json_in.h - reading members of request JSON (parsed strictly by
 * core/json.h) at a member path, so a refusal names the whole path a client
 * wrote: "products[2].quotas.410100", "items[0].severity", "tasks[3].title".
 * The plan ledger's, the catalogue's and the spot-check plans' inputs are
 * read with these.
 *
 * `path` is the path of `obj` ("" or NULL at the top of the body); member
 * names are appended with a dot, indexes as [i].  Strings returned are in
 * req->arena (or the member name itself when the arena is full).  Every
 * refusal is ZL_EUNPROC (422) with err->field the whole path and a message
 * that starts with it; ZL_ENOMEM when the arena is exhausted.
 */
#ifndef ZL_HTTP_JSON_IN_H
#define ZL_HTTP_JSON_IN_H

#include <stddef.h>

#include "core/json.h"
#include "http/http.h"

/* "path.name" (or "name" at the top). */
const char *zl_jin_at(struct zl_req *req, const char *path, const char *name);
/* "path.name[i]" (or "name[i]" at the top). */
const char *zl_jin_at_i(struct zl_req *req, const char *path, const char *name, size_t i);

/*
 * Turn an error a core/json.h getter reported for member `name` into one
 * for the path `full` (field and message); rc passes through.
 */
int zl_jin_relabel(struct zl_error *err, int rc, const char *full, const char *name);

/* zl_json_get_string() at a path: *out NULL when absent or null. */
int zl_jin_str(struct zl_req *req, const cJSON *obj, const char *path, const char *name,
	       int required, size_t max, const char **out, struct zl_error *err);

/* `obj` must be an object holding only the `allowed` members (NULL-terminated). */
int zl_jin_only(struct zl_req *req, const cJSON *obj, const char *path, const char *const *allowed,
		struct zl_error *err);

/* A number member (integers and decimals); *has 0 when absent or null. */
int zl_jin_number(struct zl_req *req, const cJSON *obj, const char *path, const char *name,
		  int required, double *out, int *has, struct zl_error *err);

/* An array member of at most `max` entries: *arr NULL when absent or null, *n its length. */
int zl_jin_array(struct zl_req *req, const cJSON *obj, const char *path, const char *name,
		 size_t max, const cJSON **arr, size_t *n, struct zl_error *err);

#endif /* ZL_HTTP_JSON_IN_H */
