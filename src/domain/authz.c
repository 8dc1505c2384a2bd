/*
 * authz.c - the permission model: names of permissions and roles, the
 * role -> permission matrix, organization subtrees, and zl_authz_check(),
 * the one place a permission decision is made (docs/permissions.md).
 *
 * Everything here is pure and works on immutable tables, so the HTTP layer
 * can call it on every request from any thread without locks.
 */
#include "domain/authz.h"

#include <string.h>

static const char *const perm_names[ZL_PERM_COUNT] = {
#define ZL_PERM(id, name, desc) name,
#include "domain/perms.def"
#undef ZL_PERM
};

static const char *const perm_descs[ZL_PERM_COUNT] = {
#define ZL_PERM(id, name, desc) desc,
#include "domain/perms.def"
#undef ZL_PERM
};

/* < 64, not <= 64: the admin row shifts by ZL_PERM_COUNT. */
_Static_assert(ZL_PERM_COUNT < 64, "a zl_permset holds at most 63 permissions");

static const char *const role_names[ZL_ROLE_COUNT] = {
	[ZL_ROLE_NONE] = "anonymous",  [ZL_ROLE_ADMIN] = "admin",
	[ZL_ROLE_OFFICER] = "officer", [ZL_ROLE_INSPECTOR] = "inspector",
	[ZL_ROLE_LAB] = "lab",	       [ZL_ROLE_ENTERPRISE] = "enterprise",
	[ZL_ROLE_ANALYST] = "analyst",
};

#define P(id) ZL_PERMBIT(ZL_PERM_##id)
/* What every signed-in role has: the public routes and its own account. */
#define BASE (P(PUBLIC) | P(AUTHENTICATED))

/*
 * The matrix.  Writing permissions (user.write, org.write, token.manage)
 * and audit.read are the administrator's alone; every role applies only
 * within the subtree of the organization it is held in.  catalogue.write
 * and spotcheck.approve are also bound to the provincial level by their
 * routes' org scope "province" (zl_org_path_provincial).
 */
static const zl_permset role_perms[ZL_ROLE_COUNT] = {
	[ZL_ROLE_NONE] = P(PUBLIC),
	[ZL_ROLE_ADMIN] = (ZL_PERMBIT(ZL_PERM_COUNT) - 1),
	[ZL_ROLE_OFFICER] = BASE | P(ORG_READ) | P(USER_READ) | P(STATS_READ) | P(ENTERPRISE_READ) |
			    P(ENTERPRISE_WRITE) | P(CREDIT_WRITE) | P(PLAN_READ) | P(PLAN_WRITE) |
			    P(PLAN_REPORT) | P(PLAN_CONFIRM) | P(CATALOGUE_WRITE) |
			    P(SPOTCHECK_READ) | P(SPOTCHECK_PLAN) | P(SPOTCHECK_APPROVE) |
			    P(INSPECTION_READ) | P(INSPECTION_ACT) | P(STATS_WRITE) |
			    P(RESULTS_PUBLISH) | P(RESULTS_APPROVE),
	[ZL_ROLE_INSPECTOR] = BASE | P(ORG_READ) | P(ENTERPRISE_READ) | P(PLAN_READ) |
			      P(SPOTCHECK_READ) | P(INSPECTION_READ) | P(INSPECTION_ACT) |
			      P(INSPECTION_DECLARE),
	[ZL_ROLE_LAB] = BASE | P(ORG_READ) | P(ENTERPRISE_READ) | P(PLAN_READ) | P(SPOTCHECK_READ) |
			P(INSPECTION_READ) | P(INSPECTION_ACT),
	/* An enterprise sees its own record through a later, narrower route,
	 * and its own inspections (domain/inspection_access.h). */
	[ZL_ROLE_ENTERPRISE] = BASE | P(ORG_READ) | P(INSPECTION_READ) | P(INSPECTION_ACT),
	[ZL_ROLE_ANALYST] = BASE | P(ORG_READ) | P(STATS_READ) | P(ENTERPRISE_READ) | P(PLAN_READ) |
			    P(SPOTCHECK_READ) | P(INSPECTION_READ),
};

void zl_principal_anonymous(struct zl_principal *p)
{
	memset(p, 0, sizeof(*p));
	p->kind = ZL_PRINCIPAL_ANONYMOUS;
	p->role = ZL_ROLE_NONE;
	p->perms = role_perms[ZL_ROLE_NONE];
}

const char *zl_role_name(enum zl_role r)
{
	if ((unsigned)r >= ZL_ROLE_COUNT)
		return "unknown";
	return role_names[r];
}

int zl_role_parse(const char *s, enum zl_role *out)
{
	/* "anonymous" is not a role an account can hold: start at 1. */
	for (int r = 1; s && r < ZL_ROLE_COUNT; r++) {
		if (!strcmp(s, role_names[r])) {
			*out = (enum zl_role)r;
			return ZL_OK;
		}
	}
	return ZL_EUNPROC;
}

zl_permset zl_role_perms(enum zl_role r)
{
	if ((unsigned)r >= ZL_ROLE_COUNT)
		return 0;
	return role_perms[r];
}

int zl_role_may_grant(enum zl_role granter, enum zl_role r)
{
	return granter == ZL_ROLE_ADMIN && r > ZL_ROLE_NONE && r < ZL_ROLE_COUNT;
}

const char *zl_perm_name(enum zl_perm p)
{
	if ((unsigned)p >= ZL_PERM_COUNT)
		return "unknown";
	return perm_names[p];
}

const char *zl_perm_description(enum zl_perm p)
{
	if ((unsigned)p >= ZL_PERM_COUNT)
		return "";
	return perm_descs[p];
}

/* Match the `len` bytes at `s` against the permission names. */
static int perm_lookup(const char *s, size_t len, enum zl_perm *out)
{
	for (int i = 0; i < ZL_PERM_COUNT; i++) {
		if (strlen(perm_names[i]) == len && !memcmp(perm_names[i], s, len)) {
			*out = (enum zl_perm)i;
			return ZL_OK;
		}
	}
	return ZL_EUNPROC;
}

int zl_perm_parse(const char *s, enum zl_perm *out)
{
	if (!s)
		return ZL_EUNPROC;
	return perm_lookup(s, strlen(s), out);
}

static int is_space(char c)
{
	return c == ' ' || c == '\t';
}

int zl_permset_parse(const char *s, zl_permset *out, struct zl_error *err)
{
	zl_permset set = 0;
	const char *p = s;

	*out = 0;
	if (!s)
		return zl_error_set(err, ZL_EUNPROC, "permissions", "permissions missing");
	while (is_space(*p))
		p++;
	if (!*p)
		return ZL_OK; /* the empty set */
	for (;;) {
		const char *b, *e;
		enum zl_perm perm;

		while (is_space(*p))
			p++;
		b = p;
		while (*p && *p != ',')
			p++;
		e = p;
		while (e > b && is_space(e[-1]))
			e--;
		if (e == b)
			return zl_error_set(err, ZL_EUNPROC, "permissions",
					    "empty entry in the permission list");
		if (perm_lookup(b, (size_t)(e - b), &perm)) {
			int shown = (int)((size_t)(e - b) > 48 ? 48 : (size_t)(e - b));

			return zl_error_set(err, ZL_EUNPROC, "permissions",
					    "unknown permission: %.*s", shown, b);
		}
		set |= ZL_PERMBIT(perm);
		if (!*p)
			break;
		p++; /* the comma */
	}
	*out = set;
	return ZL_OK;
}

void zl_permset_format(zl_permset set, char *out, size_t n)
{
	size_t len = 0;

	if (!n)
		return;
	out[0] = '\0';
	for (int i = 0; i < ZL_PERM_COUNT; i++) {
		size_t nl;

		if (!(set & ZL_PERMBIT(i)))
			continue;
		nl = strlen(perm_names[i]);
		/* Whole names only: a truncated list must still parse. */
		if (len + (len ? 1 : 0) + nl + 1 > n)
			break;
		if (len)
			out[len++] = ',';
		memcpy(out + len, perm_names[i], nl);
		len += nl;
		out[len] = '\0';
	}
}

int zl_org_path_within(const char *path, const char *ancestor_path)
{
	size_t n;

	if (!path || !ancestor_path || !*path || !*ancestor_path)
		return 0;
	n = strlen(ancestor_path);
	if (strncmp(path, ancestor_path, n))
		return 0;
	/*
	 * Paths end with '/', so "/4101/" is no prefix of "/41010/"; a path
	 * stored without the final '/' still only matches at a boundary.
	 */
	return ancestor_path[n - 1] == '/' || path[n] == '\0' || path[n] == '/';
}

static int six_digits(const char *s, size_t n)
{
	if (n != 6)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

size_t zl_org_path_government(const char *path, char *out, size_t n)
{
	size_t end = 0;

	if (n)
		out[0] = '\0';
	if (!path || path[0] != '/')
		return 0;
	for (const char *s = path + 1; *s;) {
		const char *e = strchr(s, '/');
		size_t len = e ? (size_t)(e - s) : strlen(s);

		if (six_digits(s, len))
			end = (size_t)(s - path) + len + 1; /* through its '/' */
		if (!e)
			break;
		s = e + 1;
	}
	if (!end || end >= n || end > strlen(path) + 1)
		return 0;
	memcpy(out, path, end - 1);
	out[end - 1] = '/';
	out[end] = '\0';
	return end;
}

int zl_org_path_provincial(const char *path)
{
	char gov[ZL_ORG_PATH_MAX];
	size_t n = zl_org_path_government(path, gov, sizeof(gov));

	/* One segment: "/410000/" is 8 bytes, its only '/' after the first at the end. */
	return n == 8 && strchr(gov + 1, '/') == gov + 7;
}

/* A root path ("/410000/"): its holder's subtree is the whole tree. */
static int is_root_path(const char *path)
{
	const char *p;

	if (!path || path[0] != '/' || !path[1])
		return 0;
	p = strchr(path + 1, '/');
	return !p || !p[1];
}

int zl_authz_check(const struct zl_principal *p, enum zl_perm need, const char *target_path,
		   struct zl_error *err)
{
	const char *name = zl_perm_name(need);

	if ((unsigned)need >= ZL_PERM_COUNT)
		return zl_error_set(err, ZL_EINTERNAL, NULL,
				    "route declares an unknown permission");
	if (need == ZL_PERM_PUBLIC)
		return ZL_OK;
	if (!p || p->kind == ZL_PRINCIPAL_ANONYMOUS)
		return zl_error_set(err, ZL_EUNAUTH, NULL,
				    "sign in required: this needs the permission %s", name);
	if (!(p->perms & ZL_PERMBIT(need)))
		return zl_error_set(err, ZL_EFORBIDDEN, NULL, "permission %s required", name);
	if (!target_path)
		return ZL_OK;
	/*
	 * "" is a target that does not exist (or could not be resolved): only
	 * a holder of the whole tree may learn that, everyone else gets the
	 * same 403 as for a target outside their subtree.
	 */
	if (!*target_path ? is_root_path(p->org_path)
			  : zl_org_path_within(target_path, p->org_path))
		return ZL_OK;
	return zl_error_set(err, ZL_EFORBIDDEN, NULL,
			    "permission %s does not extend to this organization", name);
}

int zl_authz_check_provincial(const struct zl_principal *p, enum zl_perm need,
			      struct zl_error *err)
{
	int rc = zl_authz_check(p, need, NULL, err);

	if (rc != ZL_OK || need == ZL_PERM_PUBLIC || zl_org_path_provincial(p->org_path))
		return rc;
	return zl_error_set(err, ZL_EFORBIDDEN, NULL,
			    "permission %s is exercised at provincial level only",
			    zl_perm_name(need));
}
