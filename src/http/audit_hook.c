/*
 * audit_hook.c - audit rows for requests (audit_hook.h).
 */
#include "domain/audit.h"
#include "http/audit_hook.h"
#include "store/audit.h"

/* SHA-256 hex of a JSON text into `out`, or "" for NULL. */
static const char *digest(const char *json, char out[ZL_SHA256_HEX_LEN + 1])
{
	if (json == NULL)
		return "";
	zl_sha256_hex(json, strlen(json), out);
	return out;
}

int zl_req_audit_as(struct zl_req *req, struct zl_db *db, const char *actor, const char *org,
		    const char *action, const char *target, const char *before_json,
		    const char *after_json, const char *detail, struct zl_error *err)
{
	char before[ZL_SHA256_HEX_LEN + 1], after[ZL_SHA256_HEX_LEN + 1];
	struct zl_audit_entry e = {
		.at = NULL,
		.actor = actor,
		.org = org != NULL ? org : "",
		.action = action,
		.target = target != NULL ? target : "",
		.before_digest = digest(before_json, before),
		.after_digest = digest(after_json, after),
		.request_id = req->rid,
		.detail = detail != NULL ? detail : "",
	};

	return zl_store_audit_append(db, &e, NULL, err);
}

int zl_req_audit(struct zl_req *req, struct zl_db *db, const char *action, const char *target,
		 const char *before_json, const char *after_json, const char *detail,
		 struct zl_error *err)
{
	const struct zl_principal *p = &req->principal;
	char actor[ZL_NAME_MAX + 8];

	switch (p->kind) {
	case ZL_PRINCIPAL_USER:
		snprintf(actor, sizeof(actor), "%s", p->name);
		break;
	case ZL_PRINCIPAL_TOKEN:
		snprintf(actor, sizeof(actor), "token:%s", p->name);
		break;
	default:
		snprintf(actor, sizeof(actor), "anonymous");
		break;
	}
	return zl_req_audit_as(req, db, actor, p->kind == ZL_PRINCIPAL_ANONYMOUS ? "" : p->org,
			       action, target, before_json, after_json, detail, err);
}
