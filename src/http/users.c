/*
 * users.c - user administration: POST/GET /api/v1/users, GET/PATCH/DELETE
 * /api/v1/users/{username}.
 *
 * The route table declares the permission and the target organization
 * (body "org" for create, the user's org for the others) and http/auth.c
 * has checked both before these run.  What is left here is what the table
 * cannot say: the role an administrator may grant (zl_role_may_grant), the
 * new organization of a moved account (asked of zl_authz_check itself),
 * the password policy (422, field "password").  Every write runs in one
 * transaction with its audit row; before/after are the <user> JSON texts.
 */
#include <string.h>

#include <cjson/cJSON.h>
#include <sodium.h>

#include "core/json.h"
#include "core/password.h"
#include "http/audit_hook.h"
#include "http/handlers.h"
#include "http/identity.h"
#include "http/list.h"
#include "store/orgs.h"
#include "store/sessions.h"
#include "store/users.h"

void zl_user_write_json(struct zl_jw *w, const struct zl_user *u)
{
	zl_jw_obj_begin(w);
	zl_jw_kstr(w, "username", u->username);
	zl_jw_kstr(w, "display_name", u->display_name);
	zl_jw_kstr(w, "org", u->org);
	zl_jw_kstr(w, "org_name", u->org_name);
	zl_jw_kstr(w, "role", u->role);
	zl_jw_kbool(w, "disabled", u->disabled);
	zl_jw_kstr(w, "created_at", u->created_at);
	zl_jw_kstr(w, "updated_at", u->updated_at);
	zl_jw_obj_end(w);
}

char *zl_user_json_text(struct zl_req *req, const struct zl_user *u)
{
	struct zl_buf b = ZL_BUF_INIT(8192);
	struct zl_jw w;
	char *s = NULL;

	zl_jw_init(&w, &b);
	zl_user_write_json(&w, u);
	if (zl_jw_error(&w) == ZL_OK)
		s = zl_arena_strdup(req->arena, zl_buf_str(&b));
	zl_buf_release(&b);
	return s;
}

static int grant_check(const struct zl_req *req, const char *role, struct zl_error *err)
{
	enum zl_role r;

	if (zl_role_parse(role, &r) != ZL_OK || r == ZL_ROLE_NONE)
		return zl_error_set(err, ZL_EUNPROC, "role", "没有该角色 / unknown role %s", role);
	if (req->principal.kind != ZL_PRINCIPAL_USER || !zl_role_may_grant(req->principal.role, r))
		return zl_error_set(err, ZL_EFORBIDDEN, "role", "you may not grant the role %s",
				    role);
	return ZL_OK;
}

static int respond_user(struct zl_resp *resp, int status, const struct zl_user *u)
{
	struct zl_jw w;

	zl_resp_json(resp, status, &w);
	zl_user_write_json(&w, u);
	return zl_jw_error(&w);
}

static struct zl_user *new_user(struct zl_req *req)
{
	return zl_arena_calloc(req->arena, 1, sizeof(struct zl_user));
}

int zl_h_users_create(struct zl_req *req, struct zl_resp *resp, struct zl_error *err)
{
	static const char *const allowed[] = {"username", "password",	  "org",
					      "role",	  "display_name", NULL};
	const char *username = NULL, *password = NULL, *org = NULL, *role = NULL, *display = NULL;
	struct zl_db *db = zl_req_db(req, err);
	char hash[ZL_PASSWORD_HASH_MAX];
	struct zl_user *u = new_user(req);
	cJSON *body = NULL;
	int rc;

	if (!db)
		return ZL_EUNAVAIL;
	if (!u)
		return zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
	rc = zl_json_parse_object(req->body, req->body_len, 8, &body, err);
	if (rc != ZL_OK)
		return rc;
	if ((rc = zl_json_only_fields(body, allowed, err)) != ZL_OK ||
	    (rc = zl_json_get_string(body, "username", 1, 32, &username, err)) != ZL_OK ||
	    (rc = zl_json_get_string(body, "password", 1, 256, &password, err)) != ZL_OK ||
	    (rc = zl_json_get_string(body, "org", 1, 32, &org, err)) != ZL_OK ||
	    (rc = zl_json_get_string(body, "role", 1, 16, &role, err)) != ZL_OK ||
	    (rc = zl_json_get_string(body, "display_name", 0, 64, &display, err)) != ZL_OK ||
	    (rc = zl_username_valid(username, err)) != ZL_OK ||
	    (rc = grant_check(req, role, err)) != ZL_OK ||
	    (rc = zl_password_policy(password, username, err)) != ZL_OK ||
	    (rc = zl_password_hash(password, hash, err)) != ZL_OK)
		goto out;
	rc = zl_db_begin(db, err);
	if (rc != ZL_OK)
		goto out;
	if ((rc = zl_store_user_create(db, username, hash, org, role, display, err)) != ZL_OK ||
	    (rc = zl_store_user_get(db, username, u, err)) != ZL_OK ||
	    (rc = zl_req_audit(req, db, "user.create",
			       zl_arena_printf(req->arena, "user:%s", username), NULL,
			       zl_user_json_text(req, u), NULL, err)) != ZL_OK) {
		zl_db_rollback(db);
		goto out;
	}
	rc = zl_db_commit(db, err);
	if (rc == ZL_OK)
		rc = respond_user(resp, 201, u);
out:
	sodium_memzero(hash, sizeof(hash));
	sodium_memzero(u->password_hash, sizeof(u->password_hash));
	cJSON_Delete(body);
	return rc;
}

static const struct zl_list_col user_cols[] = {
	{"username", "用户名", "Username", ZL_COL_TEXT},
	{"display_name", "姓名", "Display name", ZL_COL_TEXT},
	{"org", "机构代码", "Organization code", ZL_COL_TEXT},
	{"org_name", "机构", "Organization", ZL_COL_TEXT},
	{"role", "角色", "Role", ZL_COL_TEXT},
	{"disabled", "已停用", "Disabled", ZL_COL_BOOL},
	{"created_at", "创建时间", "Created", ZL_COL_TIME},
	{"updated_at", "更新时间", "Updated", ZL_COL_TIME},
};
#define N_USER_COLS (sizeof(user_cols) / sizeof(user_cols[0]))

struct user_page {
	struct zl_list_writer *w;
	int row_rc; /* the writer's failure, which stops the walk */
};

static int user_row(void *cls, const struct zl_user *u)
{
	struct user_page *p = cls;
	const char *v[N_USER_COLS];

	v[0] = u->username;
	v[1] = u->display_name;
	v[2] = u->org;
	v[3] = u->org_name;
	v[4] = u->role;
	v[5] = u->disabled ? "1" : "0";
	v[6] = u->created_at;
	v[7] = u->updated_at;
	p->row_rc = zl_list_row_key(p->w, v, u->username);
	return p->row_rc;
}

static const char *param(const struct zl_req *req, const char *name)
{
	const char *v = zl_req_query(req, name);

	return v != NULL && v[0] != '\0' ? v : NULL;
}

int zl_h_users_list(struct zl_req *req, struct zl_resp *resp, struct zl_error *err)
{
	struct zl_list_params lp;
	struct zl_user_filter f;
	struct user_page p;
	struct zl_db *db;
	int64_t total = 0;
	const char *s;
	int rc;

	memset(&f, 0, sizeof(f));
	memset(&p, 0, sizeof(p));
	rc = zl_list_parse(req, &lp, err);
	if (rc)
		return rc;
	if (req->principal.org_path[0] == '\0')
		return zl_error_set(err, ZL_EFORBIDDEN, NULL,
				    "users are listed within an organization");
	f.org_path = req->principal.org_path; /* the caller's subtree, always */
	f.org = param(req, "org");
	f.role = param(req, "role");
	f.q = param(req, "q");
	f.disabled = -1;
	if ((s = param(req, "disabled")) != NULL) {
		if (!strcmp(s, "true") || !strcmp(s, "1"))
			f.disabled = 1;
		else if (!strcmp(s, "false") || !strcmp(s, "0"))
			f.disabled = 0;
		else
			return zl_error_set(err, ZL_EINVAL, "disabled",
					    "disabled must be true or false");
	}
	if (f.q && strlen(f.q) > 64)
		return zl_error_set(err, ZL_EINVAL, "q", "q is longer than 64 bytes");
	f.after = lp.cursor_key;
	db = zl_req_db(req, err);
	if (!db)
		return ZL_EUNAVAIL;
	/* Count first: zl_list_begin needs the total. */
	f.limit = -1;
	{
		struct zl_user_filter cf = f;
		rc = zl_store_user_list(db, &cf, NULL, NULL, &total, err);
	}
	if (rc)
		return rc;
	f.limit = zl_list_fetch_limit(&lp);
	rc = zl_list_begin(req, resp, &lp, "users", user_cols, N_USER_COLS, total, &p.w, err);
	if (rc)
		return rc;
	rc = zl_store_user_list(db, &f, user_row, &p, NULL, err);
	if (rc && p.row_rc)
		return zl_list_end(p.w, NULL, err);
	if (rc)
		return rc;
	return zl_list_end_page(p.w, err);
}

/* The {username} of the path, known to exist (else 404: auth let the caller see it). */
static int load_target(struct zl_req *req, struct zl_db *db, struct zl_user *u,
		       struct zl_error *err)
{
	const char *name = zl_req_param(req, "username");
	int rc;

	if (!name)
		return zl_error_set(err, ZL_EINTERNAL, NULL, "route without {username}");
	rc = zl_store_user_get(db, name, u, err);
	if (rc == ZL_ENOTFOUND)
		return zl_error_set(err, ZL_ENOTFOUND, "username", "没有该用户 / no user %s", name);
	sodium_memzero(u->password_hash, sizeof(u->password_hash));
	return rc;
}

int zl_h_users_get(struct zl_req *req, struct zl_resp *resp, struct zl_error *err)
{
	struct zl_db *db = zl_req_db(req, err);
	struct zl_user *u = new_user(req);
	int rc;

	if (!db)
		return ZL_EUNAVAIL;
	if (!u)
		return zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
	rc = load_target(req, db, u, err);
	return rc ? rc : respond_user(resp, 200, u);
}

/*
 * Nobody disables their own account (nor demotes it out of administration
 * by a role change in the same request): the last administrator of a city
 * would lock the city out, and a stolen session should not be able to hide
 * its owner.  Another administrator does it.
 */
static int self_target(const struct zl_req *req, const struct zl_user *u)
{
	return req->principal.kind == ZL_PRINCIPAL_USER &&
	       strcmp(req->principal.name, u->username) == 0;
}

int zl_h_users_update(struct zl_req *req, struct zl_resp *resp, struct zl_error *err)
{
	static const char *const allowed[] = {"display_name", "role",	  "org",
					      "disabled",     "password", NULL};
	struct zl_db *db = zl_req_db(req, err);
	struct zl_user *before = new_user(req), *after = new_user(req);
	struct zl_user_update up = {NULL, NULL, NULL, -1, NULL};
	const char *password = NULL;
	char hash[ZL_PASSWORD_HASH_MAX] = "", *before_json;
	cJSON *body = NULL;
	int rc, disabled = -1;

	if (!db)
		return ZL_EUNAVAIL;
	if (!before || !after)
		return zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
	rc = load_target(req, db, before, err);
	if (rc)
		return rc;
	rc = zl_json_parse_object(req->body, req->body_len, 8, &body, err);
	if (rc != ZL_OK)
		return rc;
	if ((rc = zl_json_only_fields(body, allowed, err)) != ZL_OK ||
	    (rc = zl_json_get_string(body, "display_name", 0, 64, &up.display_name, err)) !=
		    ZL_OK ||
	    (rc = zl_json_get_string(body, "role", 0, 16, &up.role, err)) != ZL_OK ||
	    (rc = zl_json_get_string(body, "org", 0, 32, &up.org, err)) != ZL_OK ||
	    (rc = zl_json_get_bool(body, "disabled", 0, &disabled, err)) != ZL_OK ||
	    (rc = zl_json_get_string(body, "password", 0, 256, &password, err)) != ZL_OK)
		goto out;
	up.disabled = disabled;
	if (disabled == 1 && self_target(req, before)) {
		rc = zl_error_set(err, ZL_ECONFLICT, "disabled",
				  "不能停用自己的账号 / you cannot disable your own account");
		goto out;
	}
	if (up.role && (rc = grant_check(req, up.role, err)) != ZL_OK)
		goto out;
	if (up.org && strcmp(up.org, before->org) != 0) {
		/* Moving the account: the new organization must be in the caller's subtree too. */
		char path[ZL_ORG_PATH_MAX];
		rc = zl_store_org_path(db, up.org, path, sizeof(path), err);
		if (rc == ZL_ENOTFOUND)
			rc = zl_error_set(err, ZL_EUNPROC, "org", "没有该机构 / no organization %s",
					  up.org);
		if (rc == ZL_OK)
			rc = zl_authz_check(&req->principal, ZL_PERM_USER_WRITE, path, err);
		if (rc != ZL_OK)
			goto out;
	}
	if (password) {
		if ((rc = zl_password_policy(password, before->username, err)) != ZL_OK ||
		    (rc = zl_password_hash(password, hash, err)) != ZL_OK)
			goto out;
		up.password_hash = hash;
	}
	before_json = zl_user_json_text(req, before);
	rc = zl_db_begin(db, err);
	if (rc != ZL_OK)
		goto out;
	if ((rc = zl_store_user_update(db, before->username, &up, err)) != ZL_OK ||
	    /* A new password ends the account's other sessions. */
	    (password && (rc = zl_store_session_delete_user(db, before->username, err)) != ZL_OK) ||
	    (rc = zl_store_user_get(db, before->username, after, err)) != ZL_OK ||
	    (rc = zl_req_audit(req, db, "user.update",
			       zl_arena_printf(req->arena, "user:%s", before->username),
			       before_json, zl_user_json_text(req, after),
			       password ? "password changed" : NULL, err)) != ZL_OK) {
		zl_db_rollback(db);
		goto out;
	}
	rc = zl_db_commit(db, err);
	if (rc == ZL_OK)
		rc = respond_user(resp, 200, after);
out:
	sodium_memzero(hash, sizeof(hash));
	sodium_memzero(after->password_hash, sizeof(after->password_hash));
	cJSON_Delete(body);
	return rc;
}

int zl_h_users_delete(struct zl_req *req, struct zl_resp *resp, struct zl_error *err)
{
	struct zl_db *db = zl_req_db(req, err);
	struct zl_user *before = new_user(req), *after = new_user(req);
	char *before_json;
	int rc;

	if (!db)
		return ZL_EUNAVAIL;
	if (!before || !after)
		return zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
	rc = load_target(req, db, before, err);
	if (rc)
		return rc;
	if (self_target(req, before))
		return zl_error_set(err, ZL_ECONFLICT, "username",
				    "不能停用自己的账号 / you cannot disable your own account");
	before_json = zl_user_json_text(req, before);
	rc = zl_db_begin(db, err);
	if (rc != ZL_OK)
		return rc;
	if ((rc = zl_store_user_disable(db, before->username, err)) != ZL_OK ||
	    (rc = zl_store_user_get(db, before->username, after, err)) != ZL_OK ||
	    (rc = zl_req_audit(req, db, "user.disable",
			       zl_arena_printf(req->arena, "user:%s", before->username),
			       before_json, zl_user_json_text(req, after), NULL, err)) != ZL_OK) {
		zl_db_rollback(db);
		return rc;
	}
	rc = zl_db_commit(db, err);
	if (rc == ZL_OK)
		resp->status = 204;
	return rc;
}
