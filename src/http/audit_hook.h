/*
 * audit_hook.h - how a request handler records what it changed in the
 * audit trail (store/audit.h).
 *
 * Call it inside the handler's transaction, after the change and before
 * the commit, so the change and its audit row commit or roll back
 * together.  The actor, organization and request id come from the
 * request; the handler says what it did and passes the JSON of the thing
 * before and after (only their SHA-256 digests are stored).
 */
#ifndef ZL_HTTP_AUDIT_HOOK_H
#define ZL_HTTP_AUDIT_HOOK_H

#include "core/err.h"
#include "db/db.h"
#include "http/http.h"

/*
 * Append an audit row for the request's principal: actor = the username
 * (users), "token:ID" (API tokens) or "anonymous"; org = the principal's
 * organization ("" for anonymous); before/after digest = SHA-256 hex of
 * `before_json` / `after_json`, or "" when NULL; request_id = req->rid;
 * `target` and `detail` may be NULL ("").  `action` names what was done
 * ("user.create").  Must run inside a transaction on `db` (ZL_EINTERNAL
 * otherwise); other failures are the store's (ZL_EDB, ...).  Nothing is
 * retained.
 */
int zl_req_audit(struct zl_req *req, struct zl_db *db, const char *action, const char *target,
		 const char *before_json, const char *after_json, const char *detail,
		 struct zl_error *err);

/*
 * The same with an explicit actor and organization, for requests whose
 * actor is not (yet) the principal: a login names the account that signed
 * in ("session.login") or tried to ("session.login_failed").
 */
int zl_req_audit_as(struct zl_req *req, struct zl_db *db, const char *actor, const char *org,
		    const char *action, const char *target, const char *before_json,
		    const char *after_json, const char *detail, struct zl_error *err);

#endif /* ZL_HTTP_AUDIT_HOOK_H */
