/*
 * json_in.c - request JSON members read at a member path (http/json_in.h),
 * first written for the plan ledger's input (http/plan_http.c).
 */
#include "http/json_in.h"

#include <string.h>

#include "core/buf.h"

static int given(const char *s)
{
	return s != NULL && *s != '\0';
}

/* "path.name" (or "name" at the top), in the arena. */
const char *zl_jin_at(struct zl_req *req, const char *path, const char *name)
{
	const char *s = given(path) ? zl_arena_printf(req->arena, "%s.%s", path, name) : name;

	return s != NULL ? s : name;
}

/* "path.name[i]". */
const char *zl_jin_at_i(struct zl_req *req, const char *path, const char *name, size_t i)
{
	const char *s = given(path) ? zl_arena_printf(req->arena, "%s.%s[%zu]", path, name, i)
				    : zl_arena_printf(req->arena, "%s[%zu]", name, i);

	return s != NULL ? s : name;
}

/* Name the whole member path in an error a getter reported for `name`. */
int zl_jin_relabel(struct zl_error *err, int rc, const char *full, const char *name)
{
	struct zl_buf msg = ZL_BUF_INIT(2 * ZL_ERR_MSG_MAX);
	size_t n = strlen(name);

	if (rc == ZL_OK || err == NULL || strcmp(full, name) == 0)
		return rc;
	zl_buf_adds(&msg, full);
	if (strncmp(err->message, name, n) == 0) {
		zl_buf_adds(&msg, err->message + n);
	} else {
		zl_buf_adds(&msg, ": ");
		zl_buf_adds(&msg, err->message);
	}
	rc = zl_error_set(err, (enum zl_err)rc, full, "%s", msg.err ? full : zl_buf_str(&msg));
	zl_buf_release(&msg);
	return rc;
}

int zl_jin_str(struct zl_req *req, const cJSON *obj, const char *path, const char *name,
	       int required, size_t max, const char **out, struct zl_error *err)
{
	int rc = zl_json_get_string(obj, name, required, max, out, err);

	return zl_jin_relabel(err, rc, zl_jin_at(req, path, name), name);
}

int zl_jin_only(struct zl_req *req, const cJSON *obj, const char *path, const char *const *allowed,
		struct zl_error *err)
{
	int rc;

	if (!cJSON_IsObject(obj))
		return zl_error_set(err, ZL_EUNPROC, given(path) ? path : "",
				    "%s must be an object", given(path) ? path : "the body");
	rc = zl_json_only_fields(obj, allowed, err);
	if (rc != ZL_OK && err != NULL) {
		/* A member named "" is named by its quotes, so the field is never empty. */
		const char *f = zl_jin_at(req, path, err->field[0] ? err->field : "\"\"");

		return zl_error_set(err, (enum zl_err)rc, f, "unknown field %s", f);
	}
	return rc;
}

/* A number member (integers and decimals); *has 0 when absent or null. */
int zl_jin_number(struct zl_req *req, const cJSON *obj, const char *path, const char *name,
		  int required, double *out, int *has, struct zl_error *err)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);

	*has = 0;
	if (v == NULL || cJSON_IsNull(v)) {
		if (required)
			return zl_error_set(err, ZL_EUNPROC, zl_jin_at(req, path, name),
					    "%s is required", zl_jin_at(req, path, name));
		return ZL_OK;
	}
	if (!cJSON_IsNumber(v))
		return zl_error_set(err, ZL_EUNPROC, zl_jin_at(req, path, name),
				    "%s must be a number", zl_jin_at(req, path, name));
	*out = v->valuedouble;
	*has = 1;
	return ZL_OK;
}

/* An array member: *arr NULL when absent or null; n its length (at most max). */
int zl_jin_array(struct zl_req *req, const cJSON *obj, const char *path, const char *name,
		 size_t max, const cJSON **arr, size_t *n, struct zl_error *err)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);

	*arr = NULL;
	*n = 0;
	if (v == NULL || cJSON_IsNull(v))
		return ZL_OK;
	if (!cJSON_IsArray(v))
		return zl_error_set(err, ZL_EUNPROC, zl_jin_at(req, path, name),
				    "%s must be an array", zl_jin_at(req, path, name));
	*n = (size_t)cJSON_GetArraySize(v);
	if (*n > max)
		return zl_error_set(err, ZL_EUNPROC, zl_jin_at(req, path, name),
				    "%s: at most %zu entries", zl_jin_at(req, path, name), max);
	*arr = v;
	return ZL_OK;
}
