/*
 * auth.c - resolving the caller and enforcing the route table's PERM and
 * ORG_SCOPE columns before any handler runs (see auth.h for the steps).
 *
 * Cost per request: an anonymous request to a public route touches no
 * database and takes no lock but one rate-limit stripe; a signed-in request
 * does one indexed session (or token) lookup, a write at most once a
 * minute, and for routes about one organization one more point lookup.
 */
#include "http/auth.h"

#include <string.h>
#include <time.h>

#include <sodium.h>

#include "core/json.h"
#include "domain/audit.h"
#include "http/cookie.h"
#include "http/internal.h"
#include "http/ratelimit.h"
#include "store/orgs.h"
#include "store/sessions.h"
#include "store/tokens.h"
#include "store/users.h"

void zl_auth_secret_hash(const char *secret, char out[65])
{
	zl_sha256_hex(secret, strlen(secret), out);
}

int64_t zl_auth_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int is_login_route(const struct zl_route *r)
{
	return r->method == ZL_M_POST && !strcmp(r->pattern, "/api/v1/session");
}

static int is_api_route(const struct zl_route *r)
{
	return !strncmp(r->pattern, "/api/", 5);
}

/*
 * Fill req->principal from the request's credentials.  Returns ZL_OK (the
 * principal may be anonymous) or the database's error when a credential
 * was sent but could not be checked.
 */
static int resolve_principal(struct zl_req *req, struct zl_error *err)
{
	char secret[ZL_CREDENTIAL_MAX], hash[65];
	const char *h;
	struct zl_db *db;
	struct zl_principal p;
	int is_token = 0, rc;

	zl_principal_anonymous(&req->principal);
	h = zl_req_header(req, "Authorization");
	if (h && zl_bearer_get(h, secret, sizeof(secret)) == ZL_OK && zl_is_api_token(secret)) {
		is_token = 1;
	} else {
		h = zl_req_header(req, "Cookie");
		if (!h || zl_cookie_get(h, ZL_SESSION_COOKIE, secret, sizeof(secret)) != ZL_OK ||
		    !zl_is_hex64(secret))
			return ZL_OK;
	}
	zl_auth_secret_hash(secret, hash);
	sodium_memzero(secret, sizeof(secret));
	db = zl_req_db(req, err);
	if (!db)
		return err->code ? err->code : ZL_EUNAVAIL;
	if (is_token)
		rc = zl_store_token_principal(db, hash, (int64_t)time(NULL), &p, err);
	else
		rc = zl_store_session_principal(db, hash, (int64_t)time(NULL),
						req->ctx->cfg.session_idle, &p, err);
	if (rc == ZL_EUNAUTH) {
		zl_error_clear(err);
		return ZL_OK;
	}
	if (rc)
		return rc;
	req->principal = p;
	return ZL_OK;
}

/* The rate limits; ZL_ERATE with Retry-After set when a bucket is empty. */
static int rate_limit(struct zl_req *req, struct zl_resp *resp, const struct zl_route *r,
		      struct zl_error *err)
{
	struct zl_http_server *srv = req->srv;
	struct zl_ratelimit *rl = NULL;
	int64_t wait;
	char *v;

	if (is_login_route(r))
		rl = srv->rl_login;
	else if (req->principal.kind == ZL_PRINCIPAL_ANONYMOUS && is_api_route(r))
		rl = srv->rl_anon;
	if (!rl)
		return ZL_OK;
	wait = zl_ratelimit_take(rl, req->peer, zl_auth_now_ms());
	if (!wait)
		return ZL_OK;
	v = zl_arena_printf(req->arena, "%lld", (long long)wait);
	if (v)
		zl_resp_header(resp, "Retry-After", v);
	return zl_error_set(err, ZL_ERATE, NULL,
			    "too many requests from this address; retry in %lld s",
			    (long long)wait);
}

static int check_csrf(const struct zl_req *req, const struct zl_route *r, struct zl_error *err)
{
	const char *tok;

	if (req->principal.kind != ZL_PRINCIPAL_USER ||
	    !(req->method & (ZL_M_POST | ZL_M_PUT | ZL_M_PATCH | ZL_M_DELETE)) || is_login_route(r))
		return ZL_OK;
	tok = zl_req_header(req, ZL_CSRF_HEADER);
	/* Lengths are public (always 64); the content is compared in constant time. */
	if (!tok || strlen(tok) != 64 || strlen(req->principal.csrf) != 64 ||
	    sodium_memcmp(tok, req->principal.csrf, 64) != 0)
		return zl_error_set(err, ZL_EFORBIDDEN, ZL_CSRF_HEADER,
				    "missing or wrong CSRF token");
	return ZL_OK;
}

/* An organization code from the JSON body member `name`. */
static int body_org_path(struct zl_req *req, struct zl_db *db, const char *name, char *path,
			 size_t n, struct zl_error *err)
{
	cJSON *root = NULL;
	const char *code = NULL;
	int rc;

	rc = zl_json_parse_object(req->body, req->body_len, 32, &root, err);
	if (rc)
		goto out;
	rc = zl_json_get_string(root, name, 1, ZL_ORG_CODE_MAX - 1, &code, err);
	if (rc)
		goto out;
	rc = zl_store_org_path(db, code, path, n, err);
out:
	cJSON_Delete(root);
	return rc;
}

/*
 * The materialised path of the route's target into path[n]: "" when the
 * target does not exist (zl_authz_check() then decides between 403 and
 * letting the handler answer 404).  *none is set when the route is not
 * about one organization.
 */
static int target_path(struct zl_req *req, const struct zl_org_scope *sc, char *path, size_t n,
		       int *none, struct zl_error *err)
{
	struct zl_db *db;
	const char *v;
	int rc;

	*none = 0;
	path[0] = '\0';
	if (sc->kind == ZL_SCOPE_NONE || sc->kind == ZL_SCOPE_SELF || sc->kind == ZL_SCOPE_PROVINCE) {
		*none = 1;
		return ZL_OK;
	}
	if (sc->kind == ZL_SCOPE_QUERY) {
		v = zl_req_query(req, sc->name);
		if (!v || !*v) {
			zl_strlcpy(path, req->principal.org_path, n);
			return ZL_OK;
		}
	} else if (sc->kind == ZL_SCOPE_BODY) {
		v = NULL;
	} else {
		v = zl_req_param(req, sc->name);
		if (!v)
			return zl_error_set(err, ZL_EINTERNAL, NULL, "route lacks parameter %s",
					    sc->name);
	}
	db = zl_req_db(req, err);
	if (!db)
		return err->code ? err->code : ZL_EUNAVAIL;
	switch (sc->kind) {
	case ZL_SCOPE_PARAM:
	case ZL_SCOPE_QUERY:
		rc = zl_store_org_path(db, v, path, n, err);
		break;
	case ZL_SCOPE_USER:
		rc = zl_store_user_org_path(db, v, path, n, err);
		break;
	case ZL_SCOPE_TOKEN:
		rc = zl_store_token_org_path(db, v, path, n, err);
		break;
	case ZL_SCOPE_BODY:
		rc = body_org_path(req, db, sc->name, path, n, err);
		break;
	default:
		return zl_error_set(err, ZL_EINTERNAL, NULL, "unknown org scope");
	}
	if (rc == ZL_ENOTFOUND || rc == ZL_ETOOBIG) {
		/* No such target: decided like an outside one, never revealed. */
		zl_error_clear(err);
		path[0] = '\0';
		return ZL_OK;
	}
	return rc;
}

int zl_auth_request(struct zl_req *req, struct zl_resp *resp, struct zl_error *err)
{
	const struct zl_route *r = &zl_routes[req->route];
	char path[ZL_ORG_PATH_MAX];
	int rc, none;

	rc = resolve_principal(req, err);
	if (rc) {
		/* The database is down: a public route still answers, anonymously. */
		zl_principal_anonymous(&req->principal);
		if (r->perm != ZL_PERM_PUBLIC)
			return rc;
		zl_error_clear(err);
	}
	rc = rate_limit(req, resp, r, err);
	if (rc)
		return rc;
	rc = check_csrf(req, r, err);
	if (rc)
		return rc;
	/* Permission first, so a caller without it learns nothing from the target. */
	rc = zl_authz_check(&req->principal, r->perm, NULL, err);
	if (rc == ZL_EUNAUTH)
		zl_resp_header(resp, "WWW-Authenticate", "Bearer realm=\"zhiliang\"");
	if (rc || r->perm == ZL_PERM_PUBLIC)
		return rc;
	if (req->srv->scopes[req->route].kind == ZL_SCOPE_PROVINCE)
		return zl_authz_check_provincial(&req->principal, r->perm, err);
	rc = target_path(req, &req->srv->scopes[req->route], path, sizeof(path), &none, err);
	if (rc)
		return rc;
	return zl_authz_check(&req->principal, r->perm, none ? NULL : path, err);
}
