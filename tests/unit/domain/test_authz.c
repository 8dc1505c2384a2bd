/*
 * test_authz.c - the permission model of domain/authz.h: subtree logic on
 * materialised paths, the role matrix, the decision (401 vs 403, subtree,
 * tokens with a restricted permission set) and permission-list parsing.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "core/buf.h"
#include "domain/authz.h"

#define ZHENGZHOU "/410000/410100/"
#define ZZ_DISTRICT "/410000/410100/410102/"
#define LUOYANG "/410000/410300/"
#define PROVINCE "/410000/"

static void user(struct zl_principal *p, enum zl_role role, const char *org, const char *path)
{
	memset(p, 0, sizeof(*p));
	p->kind = ZL_PRINCIPAL_USER;
	zl_strlcpy(p->name, "someone", sizeof(p->name));
	zl_strlcpy(p->org, org, sizeof(p->org));
	zl_strlcpy(p->org_path, path, sizeof(p->org_path));
	p->role = role;
	p->perms = zl_role_perms(role);
	memset(p->csrf, 'a', 64);
}

static void test_within(void **state)
{
	(void)state;
	/* equal paths */
	assert_true(zl_org_path_within(ZHENGZHOU, ZHENGZHOU));
	/* below */
	assert_true(zl_org_path_within(ZZ_DISTRICT, ZHENGZHOU));
	assert_true(zl_org_path_within(ZZ_DISTRICT, PROVINCE));
	assert_true(zl_org_path_within(LUOYANG, PROVINCE));
	/* above and beside */
	assert_false(zl_org_path_within(PROVINCE, ZHENGZHOU));
	assert_false(zl_org_path_within(LUOYANG, ZHENGZHOU));
	assert_false(zl_org_path_within(ZHENGZHOU, LUOYANG));
	/* prefix but not on a boundary */
	assert_false(zl_org_path_within("/41010/", "/4101"));
	assert_true(zl_org_path_within("/4101/x/", "/4101"));
	assert_true(zl_org_path_within("/4101", "/4101"));
	assert_false(zl_org_path_within("/41010/", "/4101/"));
	assert_false(zl_org_path_within("/410000/4101001/", "/410000/410100/"));
	assert_false(zl_org_path_within("/410000/410100", "/410000/410100/"));
	/* empty and NULL reach nothing */
	assert_false(zl_org_path_within("", PROVINCE));
	assert_false(zl_org_path_within(PROVINCE, ""));
	assert_false(zl_org_path_within("", ""));
	assert_false(zl_org_path_within(NULL, PROVINCE));
	assert_false(zl_org_path_within(PROVINCE, NULL));
}

/* The government of a path and the provincial level (catalogue, plan approval). */
static void test_government(void **state)
{
	char out[ZL_ORG_PATH_MAX];

	(void)state;
	assert_int_equal(zl_org_path_government("/410000/410000-D006/", out, sizeof(out)), 8);
	assert_string_equal(out, "/410000/");
	assert_int_equal(
		zl_org_path_government("/410000/410000-D006/410000-L001/", out, sizeof(out)), 8);
	assert_string_equal(out, "/410000/");
	zl_org_path_government("/410000/410100/410102/", out, sizeof(out));
	assert_string_equal(out, "/410000/410100/410102/");
	zl_org_path_government("/410000/410100/410100-D001/", out, sizeof(out));
	assert_string_equal(out, "/410000/410100/");
	zl_org_path_government("/410000/410100", out, sizeof(out));
	assert_string_equal(out, "/410000/410100/");
	/* A directly administered county hangs under the province. */
	zl_org_path_government("/410000/410225/", out, sizeof(out));
	assert_string_equal(out, "/410000/410225/");
	/* No government: 4101001 and 41010 are not six digits; empty, NULL, relative. */
	assert_int_equal(zl_org_path_government("/4101001/41010/", out, sizeof(out)), 0);
	assert_string_equal(out, "");
	assert_int_equal(zl_org_path_government("", out, sizeof(out)), 0);
	assert_int_equal(zl_org_path_government(NULL, out, sizeof(out)), 0);
	assert_int_equal(zl_org_path_government("410000/", out, sizeof(out)), 0);
	/* Too small for the answer: nothing, never a cut (wider) path. */
	assert_int_equal(zl_org_path_government("/410000/410100/", out, 10), 0);
	assert_string_equal(out, "");

	assert_true(zl_org_path_provincial(PROVINCE));
	assert_true(zl_org_path_provincial("/410000/410000-D006/"));
	assert_true(zl_org_path_provincial("/410000/410000-D006/410000-L001/"));
	assert_false(zl_org_path_provincial(ZHENGZHOU));
	assert_false(zl_org_path_provincial(ZZ_DISTRICT));
	assert_false(zl_org_path_provincial("/410000/410225/"));
	assert_false(zl_org_path_provincial("/410000/410100/410100-D001/"));
	assert_false(zl_org_path_provincial(""));
	assert_false(zl_org_path_provincial(NULL));
}

/* Org scope "province": the permission, then the level. */
static void test_check_provincial(void **state)
{
	struct zl_principal p;
	struct zl_error e = ZL_ERROR_INIT;

	(void)state;
	user(&p, ZL_ROLE_OFFICER, "410000-D006", "/410000/410000-D006/");
	assert_int_equal(zl_authz_check_provincial(&p, ZL_PERM_SPOTCHECK_APPROVE, &e), ZL_OK);
	user(&p, ZL_ROLE_ADMIN, "410000", PROVINCE);
	assert_int_equal(zl_authz_check_provincial(&p, ZL_PERM_CATALOGUE_WRITE, &e), ZL_OK);
	user(&p, ZL_ROLE_OFFICER, "410100", ZHENGZHOU);
	assert_int_equal(zl_authz_check_provincial(&p, ZL_PERM_CATALOGUE_WRITE, &e), ZL_EFORBIDDEN);
	assert_non_null(strstr(e.message, "provincial level"));
	assert_non_null(strstr(e.message, "catalogue.write"));
	/* The permission is checked first: an inspector of the province lacks it. */
	user(&p, ZL_ROLE_INSPECTOR, "410000", PROVINCE);
	assert_int_equal(zl_authz_check_provincial(&p, ZL_PERM_SPOTCHECK_APPROVE, &e),
			 ZL_EFORBIDDEN);
	assert_non_null(strstr(e.message, "required"));
	zl_principal_anonymous(&p);
	assert_int_equal(zl_authz_check_provincial(&p, ZL_PERM_SPOTCHECK_APPROVE, &e), ZL_EUNAUTH);
	assert_int_equal(zl_authz_check_provincial(&p, ZL_PERM_PUBLIC, &e), ZL_OK);
}

static void test_roles(void **state)
{
	enum zl_role r;

	(void)state;
	for (int i = 1; i < ZL_ROLE_COUNT; i++) {
		assert_int_equal(zl_role_parse(zl_role_name((enum zl_role)i), &r), ZL_OK);
		assert_int_equal(r, i);
	}
	assert_string_equal(zl_role_name(ZL_ROLE_ADMIN), "admin");
	assert_string_equal(zl_role_name(ZL_ROLE_OFFICER), "officer");
	assert_string_equal(zl_role_name(ZL_ROLE_INSPECTOR), "inspector");
	assert_string_equal(zl_role_name(ZL_ROLE_LAB), "lab");
	assert_string_equal(zl_role_name(ZL_ROLE_ENTERPRISE), "enterprise");
	assert_string_equal(zl_role_name(ZL_ROLE_ANALYST), "analyst");
	assert_int_equal(zl_role_parse("anonymous", &r), ZL_EUNPROC);
	assert_int_equal(zl_role_parse("Admin", &r), ZL_EUNPROC);
	assert_int_equal(zl_role_parse("", &r), ZL_EUNPROC);
	assert_int_equal(zl_role_parse(NULL, &r), ZL_EUNPROC);
	assert_int_equal(zl_role_perms((enum zl_role)99), 0);

	/* Only an admin creates accounts, of any real role. */
	for (int g = 0; g < ZL_ROLE_COUNT; g++)
		for (int t = 0; t < ZL_ROLE_COUNT; t++)
			assert_int_equal(zl_role_may_grant((enum zl_role)g, (enum zl_role)t),
					 g == ZL_ROLE_ADMIN && t != ZL_ROLE_NONE);
}

#define B(id) ZL_PERMBIT(ZL_PERM_##id)

static void test_matrix(void **state)
{
	const zl_permset base = B(PUBLIC) | B(AUTHENTICATED);
	const zl_permset all = B(PUBLIC) | B(AUTHENTICATED) | B(ORG_READ) | B(ORG_WRITE) |
			       B(USER_READ) | B(USER_WRITE) | B(TOKEN_MANAGE) | B(AUDIT_READ) |
			       B(STATS_READ) | B(ENTERPRISE_READ) | B(ENTERPRISE_WRITE) |
			       B(CREDIT_WRITE) | B(PLAN_READ) | B(PLAN_WRITE) | B(PLAN_REPORT) |
			       B(PLAN_CONFIRM) | B(CATALOGUE_WRITE) | B(SPOTCHECK_READ) |
			       B(SPOTCHECK_PLAN) | B(SPOTCHECK_APPROVE) | B(INSPECTION_READ) |
			       B(INSPECTION_ACT) | B(INSPECTION_DECLARE) | B(STATS_WRITE) |
			       B(RESULTS_PUBLISH) | B(RESULTS_APPROVE);
	const zl_permset insp = B(INSPECTION_READ) | B(INSPECTION_ACT);
	const zl_permset ent = B(ENTERPRISE_READ);
	const zl_permset plan = B(PLAN_READ) | B(PLAN_WRITE) | B(PLAN_REPORT) | B(PLAN_CONFIRM);
	const zl_permset sc = B(SPOTCHECK_READ);
	const zl_permset sc_write = B(CATALOGUE_WRITE) | B(SPOTCHECK_PLAN) | B(SPOTCHECK_APPROVE);

	(void)state;
	assert_int_equal(zl_role_perms(ZL_ROLE_NONE), B(PUBLIC));
	assert_int_equal(zl_role_perms(ZL_ROLE_ADMIN), all);
	assert_int_equal(zl_role_perms(ZL_ROLE_OFFICER),
			 base | B(ORG_READ) | B(USER_READ) | B(STATS_READ) | ent |
				 B(ENTERPRISE_WRITE) | B(CREDIT_WRITE) | plan | sc | sc_write |
				 insp | B(STATS_WRITE) | B(RESULTS_PUBLISH) | B(RESULTS_APPROVE));
	assert_int_equal(zl_role_perms(ZL_ROLE_INSPECTOR), base | B(ORG_READ) | ent | B(PLAN_READ) |
								   sc | insp | B(INSPECTION_DECLARE));
	assert_int_equal(zl_role_perms(ZL_ROLE_LAB),
			 base | B(ORG_READ) | ent | B(PLAN_READ) | sc | insp);
	assert_int_equal(zl_role_perms(ZL_ROLE_ENTERPRISE), base | B(ORG_READ) | insp);
	assert_int_equal(zl_role_perms(ZL_ROLE_ANALYST), base | B(ORG_READ) | B(STATS_READ) | ent |
								 B(PLAN_READ) | sc | B(INSPECTION_READ));
	/* The admin-only permissions. */
	for (int r = 0; r < ZL_ROLE_COUNT; r++) {
		zl_permset s = zl_role_perms((enum zl_role)r);
		int admin = r == ZL_ROLE_ADMIN;

		assert_int_equal(!!(s & B(USER_WRITE)), admin);
		assert_int_equal(!!(s & B(ORG_WRITE)), admin);
		assert_int_equal(!!(s & B(TOKEN_MANAGE)), admin);
		assert_int_equal(!!(s & B(AUDIT_READ)), admin);
	}
}

/* Each role against each permission, inside its own organization. */
static void test_check_each_role(void **state)
{
	struct zl_principal p;

	(void)state;
	for (int r = 1; r < ZL_ROLE_COUNT; r++) {
		user(&p, (enum zl_role)r, "410100", ZHENGZHOU);
		for (int perm = 0; perm < ZL_PERM_COUNT; perm++) {
			struct zl_error e = ZL_ERROR_INIT;
			int want = (zl_role_perms((enum zl_role)r) & ZL_PERMBIT(perm))
					   ? ZL_OK
					   : ZL_EFORBIDDEN;
			int rc = zl_authz_check(&p, (enum zl_perm)perm, ZZ_DISTRICT, &e);

			assert_int_equal(rc, want);
			if (rc) {
				assert_int_equal(e.code, ZL_EFORBIDDEN);
				assert_non_null(
					strstr(e.message, zl_perm_name((enum zl_perm)perm)));
			}
		}
	}
}

static void test_check_anonymous(void **state)
{
	struct zl_principal p;
	struct zl_error e = ZL_ERROR_INIT;

	(void)state;
	zl_principal_anonymous(&p);
	assert_int_equal(p.kind, ZL_PRINCIPAL_ANONYMOUS);
	assert_int_equal(p.perms, B(PUBLIC));
	assert_string_equal(p.name, "");
	assert_int_equal(zl_authz_check(&p, ZL_PERM_PUBLIC, NULL, &e), ZL_OK);
	assert_int_equal(zl_authz_check(&p, ZL_PERM_PUBLIC, ZHENGZHOU, &e), ZL_OK);
	for (int perm = ZL_PERM_AUTHENTICATED; perm < ZL_PERM_COUNT; perm++) {
		zl_error_clear(&e);
		assert_int_equal(zl_authz_check(&p, (enum zl_perm)perm, NULL, &e), ZL_EUNAUTH);
		assert_int_equal(e.code, ZL_EUNAUTH);
		assert_non_null(strstr(e.message, zl_perm_name((enum zl_perm)perm)));
	}
	/* 401 even when the target would be outside anyway. */
	assert_int_equal(zl_authz_check(&p, ZL_PERM_ORG_READ, LUOYANG, &e), ZL_EUNAUTH);
	assert_int_equal(zl_authz_check(NULL, ZL_PERM_ORG_READ, NULL, &e), ZL_EUNAUTH);
}

static void test_check_subtree(void **state)
{
	struct zl_principal zz, prov;
	struct zl_error e1 = ZL_ERROR_INIT, e2 = ZL_ERROR_INIT;

	(void)state;
	user(&zz, ZL_ROLE_ADMIN, "410100", ZHENGZHOU);
	user(&prov, ZL_ROLE_ADMIN, "410000", PROVINCE);
	assert_int_equal(zl_authz_check(&zz, ZL_PERM_USER_WRITE, ZHENGZHOU, &e1), ZL_OK);
	assert_int_equal(zl_authz_check(&zz, ZL_PERM_USER_WRITE, ZZ_DISTRICT, &e1), ZL_OK);
	assert_int_equal(zl_authz_check(&zz, ZL_PERM_USER_WRITE, NULL, &e1), ZL_OK);
	assert_int_equal(zl_authz_check(&zz, ZL_PERM_USER_WRITE, LUOYANG, &e1), ZL_EFORBIDDEN);
	assert_int_equal(zl_authz_check(&zz, ZL_PERM_ORG_READ, PROVINCE, &e1), ZL_EFORBIDDEN);
	assert_int_equal(zl_authz_check(&prov, ZL_PERM_USER_WRITE, LUOYANG, &e1), ZL_OK);
	assert_int_equal(zl_authz_check(&prov, ZL_PERM_USER_WRITE, ZZ_DISTRICT, &e1), ZL_OK);
	/* A directly administered county hangs under the province, not the city. */
	assert_int_equal(zl_authz_check(&zz, ZL_PERM_ORG_READ, "/410000/410181/", &e1),
			 ZL_EFORBIDDEN);

	/* A missing target ("") is 403 for a city, exactly like an outside one... */
	zl_error_clear(&e1);
	zl_error_clear(&e2);
	assert_int_equal(zl_authz_check(&zz, ZL_PERM_ORG_READ, "", &e1), ZL_EFORBIDDEN);
	assert_int_equal(zl_authz_check(&zz, ZL_PERM_ORG_READ, LUOYANG, &e2), ZL_EFORBIDDEN);
	assert_string_equal(e1.message, e2.message);
	assert_string_equal(e1.field, e2.field);
	assert_string_equal(e1.message, "permission org.read does not extend to this organization");
	/* ...and passes (to a 404) for the holder of the root. */
	assert_int_equal(zl_authz_check(&prov, ZL_PERM_ORG_READ, "", &e1), ZL_OK);
	/* Missing permission beats the subtree question. */
	user(&zz, ZL_ROLE_OFFICER, "410100", ZHENGZHOU);
	zl_error_clear(&e1);
	assert_int_equal(zl_authz_check(&zz, ZL_PERM_USER_WRITE, ZZ_DISTRICT, &e1), ZL_EFORBIDDEN);
	assert_string_equal(e1.message, "permission user.write required");
	/* A principal without an org path reaches no organization. */
	user(&zz, ZL_ROLE_ADMIN, "x", "");
	assert_int_equal(zl_authz_check(&zz, ZL_PERM_ORG_READ, ZHENGZHOU, &e1), ZL_EFORBIDDEN);
	assert_int_equal(zl_authz_check(&zz, ZL_PERM_ORG_READ, "", &e1), ZL_EFORBIDDEN);
}

static void test_check_token(void **state)
{
	struct zl_principal t;
	struct zl_error e = ZL_ERROR_INIT;

	(void)state;
	memset(&t, 0, sizeof(t));
	t.kind = ZL_PRINCIPAL_TOKEN;
	zl_strlcpy(t.name, "7", sizeof(t.name));
	zl_strlcpy(t.org, "410100", sizeof(t.org));
	zl_strlcpy(t.org_path, ZHENGZHOU, sizeof(t.org_path));
	t.role = ZL_ROLE_NONE;
	assert_int_equal(zl_permset_parse("public,authenticated,org.read", &t.perms, &e), ZL_OK);
	assert_int_equal(zl_authz_check(&t, ZL_PERM_ORG_READ, ZZ_DISTRICT, &e), ZL_OK);
	assert_int_equal(zl_authz_check(&t, ZL_PERM_AUTHENTICATED, NULL, &e), ZL_OK);
	/* what it lacks: 403, not 401 (it did authenticate) */
	assert_int_equal(zl_authz_check(&t, ZL_PERM_USER_READ, ZZ_DISTRICT, &e), ZL_EFORBIDDEN);
	assert_int_equal(zl_authz_check(&t, ZL_PERM_STATS_READ, NULL, &e), ZL_EFORBIDDEN);
	assert_int_equal(zl_authz_check(&t, ZL_PERM_TOKEN_MANAGE, NULL, &e), ZL_EFORBIDDEN);
	assert_string_equal(e.message, "permission token.manage required");
	/* and its own subtree only */
	assert_int_equal(zl_authz_check(&t, ZL_PERM_ORG_READ, LUOYANG, &e), ZL_EFORBIDDEN);
	/* A token whose set is empty still reaches public routes. */
	t.perms = 0;
	assert_int_equal(zl_authz_check(&t, ZL_PERM_PUBLIC, NULL, &e), ZL_OK);
	assert_int_equal(zl_authz_check(&t, ZL_PERM_AUTHENTICATED, NULL, &e), ZL_EFORBIDDEN);
	assert_int_equal(zl_authz_check(&t, (enum zl_perm)ZL_PERM_COUNT, NULL, &e), ZL_EINTERNAL);
}

static void test_perm_names(void **state)
{
	enum zl_perm p;

	(void)state;
	for (int i = 0; i < ZL_PERM_COUNT; i++) {
		assert_int_equal(zl_perm_parse(zl_perm_name((enum zl_perm)i), &p), ZL_OK);
		assert_int_equal(p, i);
		assert_true(strlen(zl_perm_description((enum zl_perm)i)) > 10);
	}
	assert_string_equal(zl_perm_name(ZL_PERM_PUBLIC), "public");
	assert_string_equal(zl_perm_name(ZL_PERM_AUDIT_READ), "audit.read");
	assert_int_equal(zl_perm_parse("org.rea", &p), ZL_EUNPROC);
	assert_int_equal(zl_perm_parse("org.read ", &p), ZL_EUNPROC);
	assert_int_equal(zl_perm_parse(NULL, &p), ZL_EUNPROC);
	assert_string_equal(zl_perm_name((enum zl_perm)ZL_PERM_COUNT), "unknown");
}

static void test_permset(void **state)
{
	zl_permset s;
	struct zl_error e = ZL_ERROR_INIT;
	char out[512], small[12]; /* as the tokens' text (http/tokens.c) */

	(void)state;
	assert_int_equal(zl_permset_parse("org.read,user.read", &s, &e), ZL_OK);
	assert_int_equal(s, B(ORG_READ) | B(USER_READ));
	assert_int_equal(zl_permset_parse("  user.read , org.read\t,org.read ", &s, &e), ZL_OK);
	assert_int_equal(s, B(ORG_READ) | B(USER_READ));
	zl_permset_format(s, out, sizeof(out));
	assert_string_equal(out, "org.read,user.read"); /* enum order */
	assert_int_equal(zl_permset_parse("", &s, &e), ZL_OK);
	assert_int_equal(s, 0);
	zl_permset_format(0, out, sizeof(out));
	assert_string_equal(out, "");

	/* round trips: every role's set, and every single bit */
	for (int r = 0; r < ZL_ROLE_COUNT; r++) {
		zl_permset back;

		zl_permset_format(zl_role_perms((enum zl_role)r), out, sizeof(out));
		assert_int_equal(zl_permset_parse(out, &back, &e), ZL_OK);
		assert_int_equal(back, zl_role_perms((enum zl_role)r));
	}
	for (int i = 0; i < ZL_PERM_COUNT; i++) {
		zl_permset back;

		zl_permset_format(ZL_PERMBIT(i), out, sizeof(out));
		assert_string_equal(out, zl_perm_name((enum zl_perm)i));
		assert_int_equal(zl_permset_parse(out, &back, &e), ZL_OK);
		assert_int_equal(back, ZL_PERMBIT(i));
	}
	/* a short buffer keeps whole names only */
	zl_permset_format(B(ORG_READ) | B(USER_READ), small, sizeof(small));
	assert_string_equal(small, "org.read");
	zl_permset_format(B(ORG_READ), small, 3);
	assert_string_equal(small, "");

	/* errors name the bad entry and leave *out empty */
	s = 123;
	zl_error_clear(&e);
	assert_int_equal(zl_permset_parse("org.read,org.delete", &s, &e), ZL_EUNPROC);
	assert_int_equal(s, 0);
	assert_string_equal(e.field, "permissions");
	assert_string_equal(e.message, "unknown permission: org.delete");
	assert_int_equal(zl_permset_parse("org.read,,user.read", &s, &e), ZL_EUNPROC);
	assert_string_equal(e.message, "empty entry in the permission list");
	assert_int_equal(zl_permset_parse("org.read,", &s, &e), ZL_EUNPROC);
	assert_int_equal(zl_permset_parse(",", &s, &e), ZL_EUNPROC);
	assert_int_equal(zl_permset_parse("ORG.READ", &s, &e), ZL_EUNPROC);
	assert_int_equal(zl_permset_parse("org.read user.read", &s, &e), ZL_EUNPROC);
	assert_int_equal(zl_permset_parse(NULL, &s, &e), ZL_EUNPROC);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_within),		cmocka_unit_test(test_roles),
		cmocka_unit_test(test_government),	cmocka_unit_test(test_check_provincial),
		cmocka_unit_test(test_matrix),		cmocka_unit_test(test_check_each_role),
		cmocka_unit_test(test_check_anonymous), cmocka_unit_test(test_check_subtree),
		cmocka_unit_test(test_check_token),	cmocka_unit_test(test_perm_names),
		cmocka_unit_test(test_permset),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
