/*
 * session.c - signing in and out: POST /api/v1/session, DELETE
 * /api/v1/session, GET /api/v1/me.
 *
 * Login: the password is verified even when the account does not exist
 * (against a fixed dummy hash) and while it is locked, so neither the
 * answer nor its timing tells which of the two was wrong, whether the
 * account exists or whether it is locked: every failure is the same 401.
 * The audit row records what really happened (detail "wrong password",
 * "no such user", "disabled", "locked").  Failures are counted per user
 * and per address (store/logins.h).  The session cookie carries 256
 * random bits as 64 hex digits; the database keeps only their SHA-256.
 */
#include <string.h>

#include <cjson/cJSON.h>
#include <sodium.h>

#include "core/json.h"
#include "core/password.h"
#include "core/rand.h"
#include "core/timeutil.h"
#include "http/audit_hook.h"
#include "http/auth.h"
#include "http/cookie.h"
#include "http/handlers.h"
#include "http/identity.h"
#include "store/logins.h"
#include "store/orgs.h"
#include "store/sessions.h"
#include "store/users.h"

#define LOGIN_FAILED "用户名或密码错误 / wrong username or password"

void zl_random_hex(char *out, size_t nbytes)
{
	unsigned char raw[64];

	if (nbytes > sizeof(raw))
		nbytes = sizeof(raw);
	zl_random_token(raw, nbytes);
	for (size_t i = 0; i < nbytes; i++)
		snprintf(out + 2 * i, 3, "%02x", raw[i]);
	out[2 * nbytes] = '\0';
}

void zl_me_write_json(struct zl_jw *w, const struct zl_principal *p, const struct zl_user *u)
{
	zl_jw_obj_begin(w);
	zl_jw_kstr(w, "username", u->username);
	zl_jw_kstr(w, "display_name", u->display_name);
	zl_jw_key(w, "org");
	zl_jw_obj_begin(w);
	zl_jw_kstr(w, "code", u->org);
	zl_jw_kstr(w, "name", u->org_name);
	zl_jw_kstr(w, "kind", u->org_kind);
	zl_jw_obj_end(w);
	zl_jw_kstr(w, "role", u->role);
	zl_jw_key(w, "permissions");
	zl_jw_arr_begin(w);
	for (int i = 0; i < ZL_PERM_COUNT; i++)
		if (p->perms & ZL_PERMBIT(i))
			zl_jw_str(w, zl_perm_name((enum zl_perm)i));
	zl_jw_arr_end(w);
	zl_jw_kstr(w, "csrf_token", p->csrf);
	zl_jw_obj_end(w);
}

static int login_fail(struct zl_req *req, struct zl_db *db, const char *username, const char *org,
		      const char *detail, int count, int64_t now, struct zl_error *err)
{
	int rc;

	rc = zl_db_begin(db, err);
	if (rc != ZL_OK)
		return rc;
	if (count)
		rc = zl_store_login_failed(db, username, req->peer, now, err);
	if (rc == ZL_OK)
		rc = zl_req_audit_as(req, db, username, org, "session.login_failed",
				     *username ? zl_arena_printf(req->arena, "user:%s", username)
					       : "",
				     NULL, NULL, detail, err);
	if (rc == ZL_OK)
		rc = zl_db_commit(db, err);
	else
		zl_db_rollback(db);
	if (rc != ZL_OK)
		return rc;
	return zl_error_set(err, ZL_EUNAUTH, NULL, LOGIN_FAILED);
}

int zl_h_session_create(struct zl_req *req, struct zl_resp *resp, struct zl_error *err)
{
	static const char *const allowed[] = {"username", "password", NULL};
	struct zl_db *db = zl_req_db(req, err);
	const char *username = NULL, *password = NULL;
	char token[65], token_hash[65], name[ZL_USERNAME_MAX] = "";
	struct zl_principal p;
	struct zl_user *u = NULL;
	cJSON *body = NULL;
	struct zl_jw w;
	int64_t now = zl_now_us() / 1000000;
	int rc, locked = 0, found = 0, ok, lifetime = ZL_SESSION_ABSOLUTE_SECONDS;

	if (!db)
		return ZL_EUNAVAIL;
	rc = zl_json_parse_object(req->body, req->body_len, 8, &body, err);
	if (rc != ZL_OK)
		return rc;
	if ((rc = zl_json_only_fields(body, allowed, err)) != ZL_OK ||
	    (rc = zl_json_get_string(body, "username", 1, 64, &username, err)) != ZL_OK ||
	    (rc = zl_json_get_string(body, "password", 1, 1024, &password, err)) != ZL_OK)
		goto out;
	u = zl_arena_calloc(req->arena, 1, sizeof(*u));
	if (!u) {
		rc = zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
		goto out;
	}
	/* A name that cannot exist is looked up as nobody (same answer, same time). */
	if (zl_username_valid(username, NULL) == ZL_OK) {
		zl_strlcpy(name, username, sizeof(name));
		rc = zl_store_login_check(db, name, req->peer, now, &locked, err);
		if (rc != ZL_OK)
			goto out;
		rc = zl_store_user_get(db, name, u, err);
		if (rc == ZL_OK)
			found = 1;
		else if (rc != ZL_ENOTFOUND)
			goto out;
		zl_error_clear(err);
	} else {
		rc = zl_store_login_check(db, "", req->peer, now, &locked, err);
		if (rc != ZL_OK)
			goto out;
	}
	/* Always pay for one verification, outside any transaction. */
	ok = zl_password_verify(found ? u->password_hash : zl_password_dummy_hash(), password);
	if (locked) {
		rc = login_fail(req, db, name, found ? u->org : "", "locked", 0, now, err);
		goto out;
	}
	if (!found || !ok || u->disabled) {
		rc = login_fail(req, db, name, found ? u->org : "",
				!found ? "no such user"
				: !ok  ? "wrong password"
				       : "disabled",
				1, now, err);
		goto out;
	}

	/* The absolute lifetime: config key session_absolute (the cookie's Max-Age too). */
	if (req->ctx != NULL && req->ctx->cfg.session_absolute > 0)
		lifetime = req->ctx->cfg.session_absolute;
	zl_random_hex(token, 32);
	zl_auth_secret_hash(token, token_hash);
	memset(&p, 0, sizeof(p));
	zl_random_hex(p.csrf, 32);
	rc = zl_db_begin(db, err);
	if (rc != ZL_OK)
		goto out;
	if (zl_password_needs_rehash(u->password_hash, ZL_PWCOST_STANDARD)) {
		/* The cost was raised since this hash was made: store a current one. */
		char fresh[ZL_PASSWORD_HASH_MAX];
		struct zl_user_update up = {NULL, NULL, NULL, -1, fresh};
		if (zl_password_hash(password, fresh, NULL) == ZL_OK &&
		    (rc = zl_store_user_update(db, name, &up, err)) != ZL_OK)
			goto rollback;
	}
	if ((rc = zl_store_login_succeeded(db, name, err)) != ZL_OK ||
	    (rc = zl_store_session_create(db, token_hash, name, p.csrf, now, now + lifetime,
					  req->peer, zl_req_header(req, "User-Agent"), err)) !=
		    ZL_OK ||
	    (rc = zl_req_audit_as(req, db, name, u->org, "session.login",
				  zl_arena_printf(req->arena, "user:%s", name), NULL, NULL, NULL,
				  err)) != ZL_OK)
		goto rollback;
	rc = zl_db_commit(db, err);
	if (rc != ZL_OK)
		goto out;

	p.kind = ZL_PRINCIPAL_USER;
	zl_strlcpy(p.name, name, sizeof(p.name));
	zl_strlcpy(p.org, u->org, sizeof(p.org));
	zl_strlcpy(p.org_path, u->org_path, sizeof(p.org_path));
	zl_role_parse(u->role, &p.role);
	p.perms = zl_role_perms(p.role);
	rc = zl_resp_header(resp, "Set-Cookie",
			    zl_arena_printf(req->arena,
					    ZL_SESSION_COOKIE
					    "=%s; Path=/; HttpOnly; SameSite=Strict;"
					    " Max-Age=%d",
					    token, lifetime));
	if (rc != ZL_OK)
		goto out;
	rc = zl_resp_header(resp, "Cache-Control", "no-store");
	if (rc != ZL_OK)
		goto out;
	zl_resp_json(resp, 200, &w);
	zl_jw_obj_begin(&w);
	zl_jw_key(&w, "user");
	zl_me_write_json(&w, &p, u);
	zl_jw_kstr(&w, "csrf_token", p.csrf);
	zl_jw_obj_end(&w);
	rc = zl_jw_error(&w);
	goto out;
rollback:
	zl_db_rollback(db);
out:
	if (u)
		sodium_memzero(u->password_hash, sizeof(u->password_hash));
	cJSON_Delete(body);
	return rc;
}

int zl_h_session_delete(struct zl_req *req, struct zl_resp *resp, struct zl_error *err)
{
	struct zl_db *db = zl_req_db(req, err);
	char cookie[ZL_CREDENTIAL_MAX], hash[65];
	int rc;

	if (!db)
		return ZL_EUNAVAIL;
	/* A caller signed in by an API token has no session to end. */
	if (req->principal.kind == ZL_PRINCIPAL_USER &&
	    zl_cookie_get(zl_req_header(req, "Cookie"), ZL_SESSION_COOKIE, cookie,
			  sizeof(cookie)) == ZL_OK) {
		zl_auth_secret_hash(cookie, hash);
		rc = zl_db_begin(db, err);
		if (rc != ZL_OK)
			return rc;
		if ((rc = zl_store_session_delete(db, hash, err)) != ZL_OK ||
		    (rc = zl_req_audit(req, db, "session.logout",
				       zl_arena_printf(req->arena, "user:%s", req->principal.name),
				       NULL, NULL, NULL, err)) != ZL_OK) {
			zl_db_rollback(db);
			return rc;
		}
		rc = zl_db_commit(db, err);
		if (rc != ZL_OK)
			return rc;
	}
	resp->status = 204;
	return zl_resp_header(resp, "Set-Cookie",
			      ZL_SESSION_COOKIE "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
}

int zl_h_me(struct zl_req *req, struct zl_resp *resp, struct zl_error *err)
{
	struct zl_db *db = zl_req_db(req, err);
	const struct zl_principal *p = &req->principal;
	struct zl_user *u;
	struct zl_jw w;
	int rc;

	if (!db)
		return ZL_EUNAVAIL;
	u = zl_arena_calloc(req->arena, 1, sizeof(*u));
	if (!u)
		return zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
	if (p->kind == ZL_PRINCIPAL_USER) {
		rc = zl_store_user_get(db, p->name, u, err);
		if (rc == ZL_ENOTFOUND)
			return zl_error_set(err, ZL_EUNAUTH, NULL, "not signed in");
		if (rc != ZL_OK)
			return rc;
		sodium_memzero(u->password_hash, sizeof(u->password_hash));
	} else {
		/* An API token: itself, in its organization, with no role. */
		struct zl_org_info *oi = zl_arena_calloc(req->arena, 1, sizeof(*oi));
		snprintf(u->username, sizeof(u->username), "token:%.16s", p->name);
		zl_strlcpy(u->org, p->org, sizeof(u->org));
		if (oi && zl_store_org_get(db, p->org, oi, NULL) == ZL_OK) {
			zl_strlcpy(u->org_name, oi->org.name, sizeof(u->org_name));
			zl_strlcpy(u->org_kind, oi->org.kind, sizeof(u->org_kind));
		}
	}
	zl_resp_json(resp, 200, &w);
	zl_me_write_json(&w, p, u);
	return zl_jw_error(&w);
}
