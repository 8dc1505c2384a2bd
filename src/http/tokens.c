/*
 * tokens.c - API tokens: POST/GET /api/v1/tokens, DELETE
 * /api/v1/tokens/{id}.
 *
 * A token is "zlt_" + 64 hex digits (256 random bits), shown only in the
 * creation response; the database keeps its SHA-256 (zl_auth_secret_hash).
 * Its permissions are a subset of its creator's (403 otherwise), public
 * and authenticated being implied; it is scoped to an organization that
 * the route table has already checked lies in the creator's subtree.
 */
#include <string.h>

#include <cjson/cJSON.h>

#include "core/json.h"
#include "core/timeutil.h"
#include "http/audit_hook.h"
#include "http/auth.h"
#include "http/handlers.h"
#include "http/identity.h"
#include "http/list.h"
#include "store/tokens.h"

static void expires_text(int64_t t, char out[32])
{
	if (t > 0)
		zl_time_format_rfc3339(t * 1000000, out);
	else
		out[0] = '\0';
}

static void token_write_json(struct zl_jw *w, const struct zl_token *t, const char *secret)
{
	char exp[32];
	char perms[sizeof(t->perms)];
	char *save = NULL, *tok;

	expires_text(t->expires_at, exp);
	zl_jw_obj_begin(w);
	zl_jw_kstr(w, "id", t->id);
	if (secret)
		zl_jw_kstr(w, "token", secret);
	zl_jw_kstr(w, "name", t->name);
	zl_jw_kstr(w, "org", t->org);
	zl_jw_key(w, "permissions");
	zl_jw_arr_begin(w);
	zl_strlcpy(perms, t->perms, sizeof(perms));
	for (tok = strtok_r(perms, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
		zl_jw_str(w, tok);
	zl_jw_arr_end(w);
	zl_jw_kstr(w, "created_by", t->created_by);
	zl_jw_kstr(w, "created_at", t->created_at);
	zl_jw_key(w, "expires_at");
	if (exp[0])
		zl_jw_str(w, exp);
	else
		zl_jw_null(w);
	zl_jw_key(w, "revoked_at");
	if (t->revoked_at[0])
		zl_jw_str(w, t->revoked_at);
	else
		zl_jw_null(w);
	zl_jw_obj_end(w);
}

static char *token_json_text(struct zl_req *req, const struct zl_token *t)
{
	struct zl_buf b = ZL_BUF_INIT(8192);
	struct zl_jw w;
	char *s = NULL;

	zl_jw_init(&w, &b);
	token_write_json(&w, t, NULL);
	if (zl_jw_error(&w) == ZL_OK)
		s = zl_arena_strdup(req->arena, zl_buf_str(&b));
	zl_buf_release(&b);
	return s;
}

int zl_h_tokens_create(struct zl_req *req, struct zl_resp *resp, struct zl_error *err)
{
	static const char *const allowed[] = {"name", "org", "permissions", "expires_at", NULL};
	const zl_permset implied = ZL_PERMBIT(ZL_PERM_PUBLIC) | ZL_PERMBIT(ZL_PERM_AUTHENTICATED);
	struct zl_db *db = zl_req_db(req, err);
	const char *name = NULL, *org = NULL, *expires = NULL;
	char id[17], secret[4 + 65], hash[65], perms_text[512];
	struct zl_token *t = zl_arena_calloc(req->arena, 1, sizeof(*t));
	const cJSON *arr, *it;
	zl_permset perms = 0;
	int64_t exp = 0;
	cJSON *body = NULL;
	struct zl_jw w;
	int rc;

	if (!db)
		return ZL_EUNAVAIL;
	if (!t)
		return zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
	rc = zl_json_parse_object(req->body, req->body_len, 8, &body, err);
	if (rc != ZL_OK)
		return rc;
	if ((rc = zl_json_only_fields(body, allowed, err)) != ZL_OK ||
	    (rc = zl_json_get_string(body, "name", 1, 100, &name, err)) != ZL_OK ||
	    (rc = zl_json_get_string(body, "org", 1, 32, &org, err)) != ZL_OK ||
	    (rc = zl_json_get_string(body, "expires_at", 0, 40, &expires, err)) != ZL_OK)
		goto out;
	arr = cJSON_GetObjectItemCaseSensitive(body, "permissions");
	if (!cJSON_IsArray(arr) || cJSON_GetArraySize(arr) == 0) {
		rc = zl_error_set(err, ZL_EUNPROC, "permissions",
				  "permissions must be a non-empty array of permission names");
		goto out;
	}
	cJSON_ArrayForEach(it, arr)
	{
		enum zl_perm p;
		if (!cJSON_IsString(it) || zl_perm_parse(it->valuestring, &p) != ZL_OK) {
			rc = zl_error_set(err, ZL_EUNPROC, "permissions", "unknown permission %s",
					  cJSON_IsString(it) ? it->valuestring : "(not a string)");
			goto out;
		}
		perms |= ZL_PERMBIT(p);
	}
	if (perms & ~req->principal.perms) {
		rc = zl_error_set(err, ZL_EFORBIDDEN, "permissions",
				  "a token cannot get a permission its creator lacks");
		goto out;
	}
	perms &= ~implied;
	if (perms == 0) {
		rc = zl_error_set(err, ZL_EUNPROC, "permissions",
				  "permissions must name at least one permission besides public and"
				  " authenticated");
		goto out;
	}
	if (expires) {
		int64_t us;
		if (zl_time_parse_rfc3339(expires, &us) != ZL_OK) {
			rc = zl_error_set(err, ZL_EUNPROC, "expires_at",
					  "expires_at must be an RFC 3339 time");
			goto out;
		}
		exp = us / 1000000;
		if (exp <= zl_now_us() / 1000000) {
			rc = zl_error_set(err, ZL_EUNPROC, "expires_at",
					  "expires_at must be in the future");
			goto out;
		}
	}
	zl_permset_format(perms, perms_text, sizeof(perms_text));
	zl_random_hex(id, 8);
	memcpy(secret, "zlt_", 4);
	zl_random_hex(secret + 4, 32);
	zl_auth_secret_hash(secret, hash);
	rc = zl_db_begin(db, err);
	if (rc != ZL_OK)
		goto out;
	if ((rc = zl_store_token_create(db, id, hash, name, org, perms_text, req->principal.name,
					exp, err)) != ZL_OK ||
	    (rc = zl_store_token_get(db, id, t, err)) != ZL_OK ||
	    (rc = zl_req_audit(req, db, "token.create", zl_arena_printf(req->arena, "token:%s", id),
			       NULL, token_json_text(req, t), NULL, err)) != ZL_OK) {
		zl_db_rollback(db);
		goto out;
	}
	rc = zl_db_commit(db, err);
	if (rc != ZL_OK)
		goto out;
	rc = zl_resp_header(resp, "Cache-Control", "no-store");
	if (rc != ZL_OK)
		goto out;
	zl_resp_json(resp, 201, &w);
	token_write_json(&w, t, secret);
	rc = zl_jw_error(&w);
out:
	cJSON_Delete(body);
	return rc;
}

static const struct zl_list_col token_cols[] = {
	{"id", "编号", "ID", ZL_COL_TEXT},
	{"name", "名称", "Name", ZL_COL_TEXT},
	{"org", "机构代码", "Organization code", ZL_COL_TEXT},
	{"permissions", "权限", "Permissions", ZL_COL_TEXT},
	{"created_by", "创建人", "Created by", ZL_COL_TEXT},
	{"created_at", "创建时间", "Created", ZL_COL_TIME},
	{"expires_at", "到期时间", "Expires", ZL_COL_TIME},
	{"revoked_at", "吊销时间", "Revoked", ZL_COL_TIME},
};
#define N_TOKEN_COLS (sizeof(token_cols) / sizeof(token_cols[0]))

struct token_page {
	struct zl_list_writer *w;
	int row_rc; /* the writer's failure, which stops the walk */
};

static int token_row(void *cls, const struct zl_token *t)
{
	struct token_page *p = cls;
	const char *v[N_TOKEN_COLS];
	char exp[32];

	expires_text(t->expires_at, exp);
	v[0] = t->id;
	v[1] = t->name;
	v[2] = t->org;
	v[3] = t->perms;
	v[4] = t->created_by;
	v[5] = t->created_at;
	v[6] = exp[0] ? exp : NULL;
	v[7] = t->revoked_at[0] ? t->revoked_at : NULL;
	p->row_rc = zl_list_row_key(p->w, v, t->id);
	return p->row_rc;
}

int zl_h_tokens_list(struct zl_req *req, struct zl_resp *resp, struct zl_error *err)
{
	struct zl_list_params lp;
	struct token_page p;
	struct zl_db *db;
	int64_t total = 0;
	int rc;

	memset(&p, 0, sizeof(p));
	rc = zl_list_parse(req, &lp, err);
	if (rc)
		return rc;
	if (req->principal.org_path[0] == '\0')
		return zl_error_set(err, ZL_EFORBIDDEN, NULL,
				    "tokens are listed within an organization");
	db = zl_req_db(req, err);
	if (!db)
		return ZL_EUNAVAIL;
	rc = zl_store_token_list(db, req->principal.org_path, "", 0, NULL, NULL, &total, err);
	if (rc)
		return rc;
	rc = zl_list_begin(req, resp, &lp, "tokens", token_cols, N_TOKEN_COLS, total, &p.w, err);
	if (rc)
		return rc;
	rc = zl_store_token_list(db, req->principal.org_path, lp.cursor_key,
				 zl_list_fetch_limit(&lp), token_row, &p, NULL, err);
	if (rc && p.row_rc)
		return zl_list_end(p.w, NULL, err);
	if (rc)
		return rc;
	return zl_list_end_page(p.w, err);
}

int zl_h_tokens_delete(struct zl_req *req, struct zl_resp *resp, struct zl_error *err)
{
	struct zl_db *db = zl_req_db(req, err);
	const char *id = zl_req_param(req, "id");
	struct zl_token *before = zl_arena_calloc(req->arena, 1, sizeof(*before));
	struct zl_token *after = zl_arena_calloc(req->arena, 1, sizeof(*after));
	char *before_json;
	int rc;

	if (!db)
		return ZL_EUNAVAIL;
	if (!before || !after || !id)
		return zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
	rc = zl_store_token_get(db, id, before, err);
	if (rc != ZL_OK)
		return rc;
	before_json = token_json_text(req, before);
	rc = zl_db_begin(db, err);
	if (rc != ZL_OK)
		return rc;
	if ((rc = zl_store_token_revoke(db, id, err)) != ZL_OK ||
	    (rc = zl_store_token_get(db, id, after, err)) != ZL_OK ||
	    (rc = zl_req_audit(req, db, "token.revoke", zl_arena_printf(req->arena, "token:%s", id),
			       before_json, token_json_text(req, after), NULL, err)) != ZL_OK) {
		zl_db_rollback(db);
		return rc;
	}
	rc = zl_db_commit(db, err);
	if (rc == ZL_OK)
		resp->status = 204;
	return rc;
}
