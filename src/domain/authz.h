/*
 * authz.h - who may do what, for which organizations: the pure decision.
 *
 * A caller (struct zl_principal) is anonymous, a signed-in user or an API
 * token.  A user holds one role in one organization; a role is a set of
 * permissions (the matrix in authz.c, documented in docs/permissions.md)
 * and applies to the organization's whole subtree.  A token carries its own
 * permission set, never more than its creator could grant, scoped to an
 * organization's subtree.
 *
 * Organizations are compared by their materialised path ("/410000/410100/"):
 * X is in Y's subtree when X's path starts with Y's path.  Directly
 * administered counties hang under the province in the organization tree
 * (they report to it) though their GB/T 2260 code stays under the city, so
 * a city officer does not reach them.
 *
 * Pure: no I/O, no clock; the HTTP layer resolves the caller and the target
 * organization's path, then asks zl_authz_check().  This is the one place
 * a permission decision is made.
 */
#ifndef ZL_DOMAIN_AUTHZ_H
#define ZL_DOMAIN_AUTHZ_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

enum zl_perm {
#define ZL_PERM(id, name, desc) ZL_PERM_##id,
#include "domain/perms.def"
#undef ZL_PERM
	ZL_PERM_COUNT
};

typedef uint64_t zl_permset; /* bit (1 << enum zl_perm) */
#define ZL_PERMBIT(p) ((zl_permset)1 << (p))

enum zl_role {
	ZL_ROLE_NONE = 0, /* anonymous */
	ZL_ROLE_ADMIN,
	ZL_ROLE_OFFICER,
	ZL_ROLE_INSPECTOR,
	ZL_ROLE_LAB,
	ZL_ROLE_ENTERPRISE,
	ZL_ROLE_ANALYST,
	ZL_ROLE_COUNT
};

enum zl_principal_kind { ZL_PRINCIPAL_ANONYMOUS = 0, ZL_PRINCIPAL_USER, ZL_PRINCIPAL_TOKEN };

#define ZL_ORG_CODE_MAX 32
#define ZL_ORG_PATH_MAX 256
#define ZL_NAME_MAX 64

struct zl_principal {
	enum zl_principal_kind kind;
	char name[ZL_NAME_MAX];		/* username, or token id; "" when anonymous */
	char org[ZL_ORG_CODE_MAX];	/* organization the role/token is held in */
	char org_path[ZL_ORG_PATH_MAX]; /* its materialised path */
	enum zl_role role;		/* ZL_ROLE_NONE for anonymous and tokens */
	zl_permset perms;		/* effective permissions */
	char csrf[65];			/* session's CSRF token (hex); "" for tokens */
};

/* An anonymous caller (perms = public only). */
void zl_principal_anonymous(struct zl_principal *p);

/* "admin" <-> ZL_ROLE_ADMIN ...; parse returns ZL_EUNPROC for unknown names. */
const char *zl_role_name(enum zl_role r);
int zl_role_parse(const char *s, enum zl_role *out);
/* Permissions of a role (the matrix). */
zl_permset zl_role_perms(enum zl_role r);
/* True when a holder of `granter` may give an account the role `r`
 * (an admin may create any role; nobody else creates accounts). */
int zl_role_may_grant(enum zl_role granter, enum zl_role r);

const char *zl_perm_name(enum zl_perm p);
const char *zl_perm_description(enum zl_perm p);
int zl_perm_parse(const char *s, enum zl_perm *out);
/* Parse "org.read,user.read" (spaces allowed); ZL_EUNPROC naming the bad entry. */
int zl_permset_parse(const char *s, zl_permset *out, struct zl_error *err);
/* Write "org.read,user.read" (in enum order). */
void zl_permset_format(zl_permset set, char *out, size_t n);

/* True when `path` is `ancestor_path` or below it (prefix on '/' boundaries). */
int zl_org_path_within(const char *path, const char *ancestor_path);

/*
 * The government an organization belongs to, by its path: the path cut
 * after its last segment of exactly six digits (a GB/T 2260 government:
 * province, city or county; docs/orgs.md).  "/410000/410000-D006/" (the
 * provincial quality bureau) gives "/410000/"; "/410000/410100/410102/"
 * gives itself; a directly administered county "/410000/410225/" itself.
 * Writes it into out[n] and returns its length, or 0 (out "") when the
 * path names no government or does not fit.
 */
size_t zl_org_path_government(const char *path, char *out, size_t n);

/*
 * True when `path` is at provincial level: its government is the root of
 * the tree (its first segment), so the province itself, a provincial
 * department or one of its laboratories - never a city or county body.
 * Spot-check plans of cities and counties are approved at this level
 * (Henan's product quality regulation, art. 9), and the product catalogue
 * is kept there.
 */
int zl_org_path_provincial(const char *path);

/*
 * The decision.  `need` is the route's permission; `target_path` is the
 * materialised path of the organization the request is about, or NULL when
 * the route is not about one organization (scope "none"/"self"), or ""
 * when the target does not exist: then only the holder of a root
 * organization (a one-segment path such as "/410000/") passes, so a caller
 * cannot tell a missing target from one outside their subtree.
 * Returns ZL_OK; ZL_EUNAUTH when the caller is anonymous and `need` is not
 * public; ZL_EFORBIDDEN when the permission is missing or the target lies
 * outside the caller's subtree.  Fills `err` with a message that names the
 * permission but never reveals whether the target exists.
 */
int zl_authz_check(const struct zl_principal *p, enum zl_perm need, const char *target_path,
		   struct zl_error *err);

/*
 * The decision for a route of org scope "province": zl_authz_check() with
 * no target, then the caller's organization must be at provincial level
 * (zl_org_path_provincial), else ZL_EFORBIDDEN "permission X is exercised
 * at provincial level only".  The catalogue is kept, and city and county
 * spot-check plans are approved, at that level.
 */
int zl_authz_check_provincial(const struct zl_principal *p, enum zl_perm need,
			      struct zl_error *err);

#endif /* ZL_DOMAIN_AUTHZ_H */
