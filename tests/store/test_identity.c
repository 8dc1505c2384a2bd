/*
 * test_identity.c - the identity part of the store against a real
 * database: users (validation, subtree lists with filters, cursor and
 * exact total, updates, disable ending sessions), sessions (principal,
 * idle and absolute expiry, last_seen throttling, purge), API tokens
 * (principal, revoke, expiry, subtree list) and login lock-out.
 *
 * Like test_store.c, the database comes from ZHILIANG_TEST_DB (default
 * "sqlite::memory:") and every test starts from an empty, migrated one
 * (on PostgreSQL the schema `public` is dropped: use a throwaway database).
 * Hashes here are fixed strings: this suite tests storage, not argon2.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/buf.h"
#include "db/db.h"
#include "domain/authz.h"
#include "store/logins.h"
#include "store/migrate.h"
#include "store/sessions.h"
#include "store/tokens.h"
#include "store/users.h"

#include "harness.h"

#define HASH "$argon2id$v=19$m=8192,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2g"
#define TOK_A "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define TOK_B "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
#define CSRF "cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc"

/* An empty, migrated database with a small organization tree. */
static int setup_db(void **state)
{
	struct zl_db *db = harness_open_empty(1);

	if (!db)
		return -1;
	exec_ok(db,
		"INSERT INTO orgs (code, kind, name, parent, path, valid_from) VALUES"
		" ('410000', 'province', '河南省', NULL, '/410000/', '2014-01-01'),"
		" ('410100', 'city', '郑州市', '410000', '/410000/410100/', '2014-01-01'),"
		" ('410102', 'county', '中原区', '410100', '/410000/410100/410102/', '2014-01-01'),"
		" ('410300', 'city', '洛阳市', '410000', '/410000/410300/', '2014-01-01');"
		"INSERT INTO orgs (code, kind, name, parent, path, valid_from, valid_to) VALUES"
		" ('410300', 'city', '洛阳地区', '410000', '/410000/410300/', '1980-01-01',"
		" '2014-01-01')");
	*state = db;
	return 0;
}

static void create_ok(struct zl_db *db, const char *name, const char *org, const char *role,
		      const char *display)
{
	struct zl_error err = ZL_ERROR_INIT;
	int rc = zl_store_user_create(db, name, HASH, org, role, display, &err);

	if (rc != ZL_OK)
		fail_msg("create %s: %d %s", name, rc, err.message);
}

static void test_username_rules(void **state)
{
	struct zl_error err = ZL_ERROR_INIT;

	(void)state;
	assert_int_equal(zl_username_valid("zhang.san-1_a", &err), ZL_OK);
	assert_int_equal(zl_username_valid("abc", &err), ZL_OK);
	assert_int_equal(zl_username_valid("ab", &err), ZL_EUNPROC);
	assert_string_equal(err.field, "username");
	assert_int_equal(zl_username_valid("Zhang", &err), ZL_EUNPROC);
	assert_int_equal(zl_username_valid("zhang san", &err), ZL_EUNPROC);
	assert_int_equal(zl_username_valid("张三张三", &err), ZL_EUNPROC);
	assert_int_equal(zl_username_valid("abcdefghijabcdefghijabcdefghijab", &err), ZL_OK);
	assert_int_equal(zl_username_valid("abcdefghijabcdefghijabcdefghijabc", &err), ZL_EUNPROC);
	/* Reserved: the audit trail's name for the server's own acts. */
	assert_int_equal(zl_username_valid("system", &err), ZL_EUNPROC);
	assert_non_null(strstr(err.message, "reserved"));
	assert_int_equal(zl_username_valid("system.admin", &err), ZL_OK);
}

static void test_user_create_get(void **state)
{
	struct zl_db *db = *state;
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_user u;
	char path[ZL_ORG_PATH_MAX];

	create_ok(db, "zhang", "410100", "officer", "张三");
	assert_int_equal(zl_store_user_get(db, "zhang", &u, &err), ZL_OK);
	assert_string_equal(u.username, "zhang");
	assert_string_equal(u.display_name, "张三");
	assert_string_equal(u.org, "410100");
	assert_string_equal(u.org_name, "郑州市");
	assert_string_equal(u.org_kind, "city");
	assert_string_equal(u.org_path, "/410000/410100/");
	assert_string_equal(u.role, "officer");
	assert_int_equal(u.disabled, 0);
	assert_string_equal(u.password_hash, HASH);
	assert_int_equal(strlen(u.created_at), 20);
	assert_string_equal(u.created_at, u.updated_at);
	assert_int_equal(zl_store_user_org_path(db, "zhang", path, sizeof(path), &err), ZL_OK);
	assert_string_equal(path, "/410000/410100/");
	/* The closed row of 410300 is not "current": the current name wins. */
	create_ok(db, "wang", "410300", "admin", NULL);
	assert_int_equal(zl_store_user_get(db, "wang", &u, &err), ZL_OK);
	assert_string_equal(u.org_name, "洛阳市");
	assert_string_equal(u.display_name, "");

	assert_int_equal(zl_store_user_get(db, "nobody", &u, &err), ZL_ENOTFOUND);
	assert_int_equal(zl_store_user_org_path(db, "nobody", path, sizeof(path), &err),
			 ZL_ENOTFOUND);
	assert_int_equal(zl_store_user_create(db, "zhang", HASH, "410100", "officer", "", &err),
			 ZL_ECONFLICT);
	assert_string_equal(err.field, "username");
	assert_int_equal(zl_store_user_create(db, "liu", HASH, "419999", "officer", "", &err),
			 ZL_EUNPROC);
	assert_string_equal(err.field, "org");
	assert_int_equal(zl_store_user_create(db, "liu", HASH, "410100", "king", "", &err),
			 ZL_EUNPROC);
	assert_string_equal(err.field, "role");
	assert_int_equal(zl_store_user_create(db, "Liu", HASH, "410100", "officer", "", &err),
			 ZL_EUNPROC);
	assert_string_equal(err.field, "username");
	assert_int_equal(
		zl_store_user_create(db, "liu", HASH, "410100", "officer",
				     "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十"
				     "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十"
				     "一二三四五",
				     &err),
		ZL_EUNPROC);
	assert_string_equal(err.field, "display_name");
}

struct collect {
	char names[16][ZL_USERNAME_MAX];
	int n;
};

static int collect_row(void *cls, const struct zl_user *u)
{
	struct collect *c = cls;

	assert_string_equal(u->password_hash, ""); /* lists never carry the hash */
	if (c->n < 16)
		zl_strlcpy(c->names[c->n++], u->username, ZL_USERNAME_MAX);
	return ZL_OK;
}

static int64_t list(struct zl_db *db, struct zl_user_filter *f, struct collect *c)
{
	struct zl_error err = ZL_ERROR_INIT;
	int64_t total = -1;
	int rc;

	memset(c, 0, sizeof(*c));
	rc = zl_store_user_list(db, f, collect_row, c, &total, &err);
	if (rc != ZL_OK)
		fail_msg("list: %d %s", rc, err.message);
	return total;
}

static void test_user_list(void **state)
{
	struct zl_db *db = *state;
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_user_filter f;
	struct collect c;

	create_ok(db, "admin", "410000", "admin", "省管理员");
	create_ok(db, "zz.officer", "410100", "officer", "郑州 Officer");
	create_ok(db, "zz_admin", "410100", "admin", "郑州管理员");
	create_ok(db, "zy.lab", "410102", "lab", "中原区实验室");
	create_ok(db, "ly.officer", "410300", "officer", "洛阳");

	memset(&f, 0, sizeof(f));
	f.org_path = "/410000/";
	f.disabled = -1;
	assert_int_equal(list(db, &f, &c), 5);
	assert_int_equal(c.n, 5);
	assert_string_equal(c.names[0], "admin");
	assert_string_equal(c.names[1], "ly.officer");
	assert_string_equal(c.names[4], "zz_admin");

	/* Zhengzhou's subtree: not Luoyang, not the province. */
	f.org_path = "/410000/410100/";
	assert_int_equal(list(db, &f, &c), 3);
	assert_string_equal(c.names[0], "zy.lab");
	assert_string_equal(c.names[1], "zz.officer");
	assert_string_equal(c.names[2], "zz_admin");

	/* Paging: limit 2 with a cursor, total stays exact. */
	f.limit = 2;
	assert_int_equal(list(db, &f, &c), 3);
	assert_int_equal(c.n, 2);
	f.after = c.names[1];
	{
		char after[ZL_USERNAME_MAX];
		zl_strlcpy(after, c.names[1], sizeof(after));
		f.after = after;
		assert_int_equal(list(db, &f, &c), 3);
		assert_int_equal(c.n, 1);
		assert_string_equal(c.names[0], "zz_admin");
	}
	f.after = NULL;
	f.limit = 0;

	/* Filters: role; q on username and display name (case-insensitive); org. */
	f.org_path = "/410000/";
	f.role = "officer";
	assert_int_equal(list(db, &f, &c), 2);
	f.role = NULL;
	f.q = "OFFICER";
	assert_int_equal(list(db, &f, &c), 2);
	f.q = "管理员";
	assert_int_equal(list(db, &f, &c), 2);
	/* '_' is literal, not a wildcard. */
	f.q = "z_";
	assert_int_equal(list(db, &f, &c), 1);
	assert_string_equal(c.names[0], "zz_admin");
	f.q = NULL;
	f.org = "410100";
	assert_int_equal(list(db, &f, &c), 3);
	f.org = "410102";
	assert_int_equal(list(db, &f, &c), 1);
	f.org = "419999";
	assert_int_equal(list(db, &f, &c), 0);
	f.org = NULL;

	/* disabled filter. */
	assert_int_equal(zl_store_user_disable(db, "ly.officer", &err), ZL_OK);
	f.disabled = 1;
	assert_int_equal(list(db, &f, &c), 1);
	assert_string_equal(c.names[0], "ly.officer");
	f.disabled = 0;
	assert_int_equal(list(db, &f, &c), 4);
}

static void test_user_update(void **state)
{
	struct zl_db *db = *state;
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_user_update up = {NULL, NULL, NULL, -1, NULL};
	struct zl_user u;

	create_ok(db, "zhang", "410100", "officer", "张三");
	up.display_name = "张三丰";
	up.role = "inspector";
	up.org = "410300";
	assert_int_equal(zl_store_user_update(db, "zhang", &up, &err), ZL_OK);
	assert_int_equal(zl_store_user_get(db, "zhang", &u, &err), ZL_OK);
	assert_string_equal(u.display_name, "张三丰");
	assert_string_equal(u.role, "inspector");
	assert_string_equal(u.org, "410300");
	assert_string_equal(u.org_path, "/410000/410300/");
	assert_string_equal(u.password_hash, HASH);

	memset(&up, 0, sizeof(up));
	up.disabled = -1;
	up.password_hash = "$argon2id$new";
	assert_int_equal(zl_store_user_update(db, "zhang", &up, &err), ZL_OK);
	assert_int_equal(zl_store_user_get(db, "zhang", &u, &err), ZL_OK);
	assert_string_equal(u.password_hash, "$argon2id$new");
	assert_string_equal(u.password_changed_at, u.updated_at);

	up.password_hash = NULL;
	up.role = "emperor";
	assert_int_equal(zl_store_user_update(db, "zhang", &up, &err), ZL_EUNPROC);
	assert_string_equal(err.field, "role");
	up.role = NULL;
	up.org = "419999";
	assert_int_equal(zl_store_user_update(db, "zhang", &up, &err), ZL_EUNPROC);
	assert_string_equal(err.field, "org");
	up.org = NULL;
	assert_int_equal(zl_store_user_update(db, "nobody", &up, &err), ZL_ENOTFOUND);
	assert_int_equal(zl_store_user_disable(db, "nobody", &err), ZL_ENOTFOUND);
	/* Re-enable. */
	up.disabled = 1;
	assert_int_equal(zl_store_user_update(db, "zhang", &up, &err), ZL_OK);
	up.disabled = 0;
	assert_int_equal(zl_store_user_update(db, "zhang", &up, &err), ZL_OK);
	assert_int_equal(zl_store_user_get(db, "zhang", &u, &err), ZL_OK);
	assert_int_equal(u.disabled, 0);
}

static int64_t count_sessions(struct zl_db *db)
{
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_stmt *st;
	int64_t n = -1;

	assert_int_equal(zl_db_prepare(db, "SELECT count(*) FROM sessions", &st, &err), ZL_OK);
	if (zl_stmt_step(st, &err) == ZL_DB_ROW)
		n = zl_stmt_column_int64(st, 0);
	zl_stmt_reset(st);
	return n;
}

static int64_t last_seen(struct zl_db *db, const char *hash)
{
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_stmt *st;
	int64_t n = -1;

	assert_int_equal(
		zl_db_prepare(db, "SELECT last_seen FROM sessions WHERE token_hash = ?", &st, &err),
		ZL_OK);
	zl_stmt_bind_text(st, 1, hash, -1);
	if (zl_stmt_step(st, &err) == ZL_DB_ROW)
		n = zl_stmt_column_int64(st, 0);
	zl_stmt_reset(st);
	return n;
}

static void test_sessions(void **state)
{
	struct zl_db *db = *state;
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_principal p;
	const int64_t t0 = 1400000000, idle = 1800;

	create_ok(db, "zhang", "410100", "officer", "张三");
	assert_int_equal(zl_store_session_create(db, TOK_A, "zhang", CSRF, t0, t0 + 8 * 3600,
						 "127.0.0.1", "curl/7.88", &err),
			 ZL_OK);
	assert_int_equal(
		zl_store_session_create(db, TOK_A, "zhang", CSRF, t0, t0 + 1, NULL, NULL, &err),
		ZL_ECONFLICT);
	assert_int_equal(zl_store_session_principal(db, TOK_A, t0 + 10, idle, &p, &err), ZL_OK);
	assert_int_equal(p.kind, ZL_PRINCIPAL_USER);
	assert_string_equal(p.name, "zhang");
	assert_string_equal(p.org, "410100");
	assert_string_equal(p.org_path, "/410000/410100/");
	assert_int_equal(p.role, ZL_ROLE_OFFICER);
	assert_true(p.perms == zl_role_perms(ZL_ROLE_OFFICER));
	assert_string_equal(p.csrf, CSRF);
	/* last_seen is written at most once a minute. */
	assert_int_equal(last_seen(db, TOK_A), t0);
	assert_int_equal(zl_store_session_principal(db, TOK_A, t0 + 59, idle, &p, &err), ZL_OK);
	assert_int_equal(last_seen(db, TOK_A), t0);
	assert_int_equal(zl_store_session_principal(db, TOK_A, t0 + 60, idle, &p, &err), ZL_OK);
	assert_int_equal(last_seen(db, TOK_A), t0 + 60);
	/* Idle: more than 1800 s after last_seen. */
	assert_int_equal(zl_store_session_principal(db, TOK_A, t0 + 60 + idle, idle, &p, &err),
			 ZL_OK);
	assert_int_equal(
		zl_store_session_principal(db, TOK_A, t0 + 60 + 2 * idle + 1, idle, &p, &err),
		ZL_EUNAUTH);
	assert_int_equal(p.kind, ZL_PRINCIPAL_ANONYMOUS);
	/* Absolute: at expires_at, even when active. */
	{
		int64_t t;
		for (t = t0 + 60 + idle; t < t0 + 8 * 3600; t += 1000)
			assert_int_equal(zl_store_session_principal(db, TOK_A, t, idle, &p, &err),
					 ZL_OK);
		assert_int_equal(
			zl_store_session_principal(db, TOK_A, t0 + 8 * 3600, idle, &p, &err),
			ZL_EUNAUTH);
	}
	/* Unknown token. */
	assert_int_equal(zl_store_session_principal(db, TOK_B, t0, idle, &p, &err), ZL_EUNAUTH);
	assert_int_equal(err.code, ZL_EUNAUTH);
	/* Delete. */
	assert_int_equal(zl_store_session_delete(db, TOK_A, &err), ZL_OK);
	assert_int_equal(count_sessions(db), 0);
	assert_int_equal(zl_store_session_delete(db, TOK_A, &err), ZL_OK);

	/* Disabling the user ends its sessions; a disabled user has none. */
	assert_int_equal(
		zl_store_session_create(db, TOK_A, "zhang", CSRF, t0, t0 + 100, "", "", &err),
		ZL_OK);
	assert_int_equal(
		zl_store_session_create(db, TOK_B, "zhang", CSRF, t0, t0 + 100, "", "", &err),
		ZL_OK);
	assert_int_equal(count_sessions(db), 2);
	assert_int_equal(zl_store_user_disable(db, "zhang", &err), ZL_OK);
	assert_int_equal(count_sessions(db), 0);
	assert_int_equal(
		zl_store_session_create(db, TOK_A, "zhang", CSRF, t0, t0 + 100, "", "", &err),
		ZL_OK);
	assert_int_equal(zl_store_session_principal(db, TOK_A, t0, idle, &p, &err), ZL_EUNAUTH);
}

static void test_session_purge_and_role_change(void **state)
{
	struct zl_db *db = *state;
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_user_update up = {NULL, "admin", NULL, -1, NULL};
	struct zl_principal p;
	int64_t deleted = -1;
	const int64_t t0 = 1400000000;

	create_ok(db, "zhang", "410100", "officer", "张三");
	assert_int_equal(
		zl_store_session_create(db, TOK_A, "zhang", CSRF, t0, t0 + 100, "", "", &err),
		ZL_OK);
	assert_int_equal(
		zl_store_session_create(db, TOK_B, "zhang", CSRF, t0, t0 + 10000, "", "", &err),
		ZL_OK);
	/* A role change applies to live sessions at once. */
	assert_int_equal(zl_store_user_update(db, "zhang", &up, &err), ZL_OK);
	assert_int_equal(zl_store_session_principal(db, TOK_B, t0, 0, &p, &err), ZL_OK);
	assert_int_equal(p.role, ZL_ROLE_ADMIN);
	assert_int_equal(zl_store_session_purge(db, t0 + 100, 0, &deleted, &err), ZL_OK);
	assert_int_equal(deleted, 1);
	assert_int_equal(count_sessions(db), 1);
	assert_int_equal(zl_store_session_purge(db, t0 + 200, 100, &deleted, &err), ZL_OK);
	assert_int_equal(deleted, 1);
	assert_int_equal(count_sessions(db), 0);
}

static int count_token(void *cls, const struct zl_token *t)
{
	(void)t;
	(*(int *)cls)++;
	return ZL_OK;
}

static void test_tokens(void **state)
{
	struct zl_db *db = *state;
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_principal p;
	struct zl_token t;
	char path[ZL_ORG_PATH_MAX];
	int64_t total = -1;
	int n = 0;
	const int64_t t0 = 1400000000;

	assert_int_equal(zl_store_token_create(db, "0123456789abcdef", TOK_A, "统计局对接",
					       "410100", "org.read,stats.read", "admin", 0, &err),
			 ZL_OK);
	assert_int_equal(zl_store_token_create(db, "1111111111111111", TOK_B, "洛阳", "410300",
					       "org.read", "admin", t0 + 100, &err),
			 ZL_OK);
	assert_int_equal(zl_store_token_create(db, "2222222222222222", CSRF, "bad", "419999",
					       "org.read", "admin", 0, &err),
			 ZL_EUNPROC);
	assert_string_equal(err.field, "org");
	assert_int_equal(zl_store_token_create(db, "2222222222222222", CSRF, "", "410100",
					       "org.read", "admin", 0, &err),
			 ZL_EUNPROC);
	assert_string_equal(err.field, "name");
	assert_int_equal(zl_store_token_create(db, "3333333333333333", TOK_A, "dup", "410100",
					       "org.read", "admin", 0, &err),
			 ZL_ECONFLICT);

	assert_int_equal(zl_store_token_principal(db, TOK_A, t0, &p, &err), ZL_OK);
	assert_int_equal(p.kind, ZL_PRINCIPAL_TOKEN);
	assert_string_equal(p.name, "0123456789abcdef");
	assert_string_equal(p.org, "410100");
	assert_string_equal(p.org_path, "/410000/410100/");
	assert_string_equal(p.csrf, "");
	assert_true(p.perms == (ZL_PERMBIT(ZL_PERM_ORG_READ) | ZL_PERMBIT(ZL_PERM_STATS_READ) |
				ZL_PERMBIT(ZL_PERM_PUBLIC) | ZL_PERMBIT(ZL_PERM_AUTHENTICATED)));
	assert_int_equal(zl_store_token_org_path(db, "1111111111111111", path, sizeof(path), &err),
			 ZL_OK);
	assert_string_equal(path, "/410000/410300/");
	assert_int_equal(zl_store_token_org_path(db, "ffff", path, sizeof(path), &err),
			 ZL_ENOTFOUND);
	/* Each use is recorded, at most once a minute. */
	{
		struct zl_token tk;

		assert_int_equal(zl_store_token_get(db, "0123456789abcdef", &tk, &err), ZL_OK);
		assert_string_equal(tk.last_used_at, "2014-05-13T16:53:20Z");
		assert_int_equal(zl_store_token_principal(db, TOK_A, t0 + 59, &p, &err), ZL_OK);
		assert_int_equal(zl_store_token_get(db, "0123456789abcdef", &tk, &err), ZL_OK);
		assert_string_equal(tk.last_used_at, "2014-05-13T16:53:20Z");
		assert_int_equal(zl_store_token_principal(db, TOK_A, t0 + 60, &p, &err), ZL_OK);
		assert_int_equal(zl_store_token_get(db, "0123456789abcdef", &tk, &err), ZL_OK);
		assert_string_equal(tk.last_used_at, "2014-05-13T16:54:20Z");
	}
	/* Expiry. */
	assert_int_equal(zl_store_token_principal(db, TOK_B, t0 + 99, &p, &err), ZL_OK);
	assert_int_equal(zl_store_token_principal(db, TOK_B, t0 + 100, &p, &err), ZL_EUNAUTH);
	/* Subtree list. */
	assert_int_equal(zl_store_token_list(db, "/410000/", "", 0, count_token, &n, &total, &err),
			 ZL_OK);
	assert_int_equal(n, 2);
	assert_int_equal(total, 2);
	n = 0;
	assert_int_equal(
		zl_store_token_list(db, "/410000/410100/", "", 0, count_token, &n, &total, &err),
		ZL_OK);
	assert_int_equal(n, 1);
	assert_int_equal(total, 1);
	n = 0;
	assert_int_equal(zl_store_token_list(db, "/410000/", "0123456789abcdef", 1, count_token, &n,
					     &total, &err),
			 ZL_OK);
	assert_int_equal(n, 1);
	assert_int_equal(total, 2);
	/* Revoke. */
	assert_int_equal(zl_store_token_revoke(db, "0123456789abcdef", &err), ZL_OK);
	assert_int_equal(zl_store_token_principal(db, TOK_A, t0, &p, &err), ZL_EUNAUTH);
	assert_int_equal(p.kind, ZL_PRINCIPAL_ANONYMOUS);
	assert_int_equal(zl_store_token_revoke(db, "0123456789abcdef", &err), ZL_ENOTFOUND);
	assert_int_equal(zl_store_token_get(db, "0123456789abcdef", &t, &err), ZL_OK);
	assert_int_equal(strlen(t.revoked_at), 20);
	assert_string_equal(t.perms, "org.read,stats.read");
	assert_string_equal(t.created_by, "admin");
	assert_int_equal(t.expires_at, 0);
	assert_int_equal(zl_store_token_get(db, "ffff", &t, &err), ZL_ENOTFOUND);
}

static void test_lockout(void **state)
{
	struct zl_db *db = *state;
	struct zl_error err = ZL_ERROR_INIT;
	const int64_t t0 = 1400000000;
	int locked = -1, i;

	assert_int_equal(zl_store_login_check(db, "zhang", "10.0.0.1", t0, &locked, &err), ZL_OK);
	assert_int_equal(locked, 0);
	/* Four failures: not yet; the fifth within 15 minutes locks the user. */
	for (i = 0; i < 4; i++)
		assert_int_equal(zl_store_login_failed(db, "zhang", "10.0.0.1", t0 + i, &err),
				 ZL_OK);
	assert_int_equal(zl_store_login_check(db, "zhang", "", t0 + 5, &locked, &err), ZL_OK);
	assert_int_equal(locked, 0);
	assert_int_equal(zl_store_login_failed(db, "zhang", "10.0.0.1", t0 + 5, &err), ZL_OK);
	assert_int_equal(zl_store_login_check(db, "zhang", "", t0 + 6, &locked, &err), ZL_OK);
	assert_int_equal(locked, 1);
	/* Other users from the same address are not locked (5 < 20). */
	assert_int_equal(zl_store_login_check(db, "li", "10.0.0.1", t0 + 6, &locked, &err), ZL_OK);
	assert_int_equal(locked, 0);
	/* Success does not unlock a locked user (the handler never gets there),
	 * but the lock ends after 15 minutes. */
	assert_int_equal(zl_store_login_check(db, "zhang", "", t0 + 5 + 899, &locked, &err), ZL_OK);
	assert_int_equal(locked, 1);
	assert_int_equal(zl_store_login_check(db, "zhang", "", t0 + 5 + 900, &locked, &err), ZL_OK);
	assert_int_equal(locked, 0);
	/* Success clears the user's count. */
	assert_int_equal(zl_store_login_failed(db, "wang", "", t0, &err), ZL_OK);
	assert_int_equal(zl_store_login_failed(db, "wang", "", t0, &err), ZL_OK);
	assert_int_equal(zl_store_login_failed(db, "wang", "", t0, &err), ZL_OK);
	assert_int_equal(zl_store_login_failed(db, "wang", "", t0, &err), ZL_OK);
	assert_int_equal(zl_store_login_succeeded(db, "wang", &err), ZL_OK);
	assert_int_equal(zl_store_login_failed(db, "wang", "", t0 + 1, &err), ZL_OK);
	assert_int_equal(zl_store_login_check(db, "wang", "", t0 + 1, &locked, &err), ZL_OK);
	assert_int_equal(locked, 0);
	/* Failures spread beyond the window never lock. */
	for (i = 0; i < 10; i++)
		assert_int_equal(zl_store_login_failed(db, "zhao", "", t0 + i * 300, &err), ZL_OK);
	assert_int_equal(zl_store_login_check(db, "zhao", "", t0 + 3000, &locked, &err), ZL_OK);
	assert_int_equal(locked, 0);
	/* 20 failures from one address (different users) lock the address. */
	for (i = 0; i < 19; i++) {
		char name[16];
		snprintf(name, sizeof(name), "u%d", i);
		assert_int_equal(zl_store_login_failed(db, name, "10.9.9.9", t0 + i, &err), ZL_OK);
	}
	assert_int_equal(zl_store_login_check(db, "new", "10.9.9.9", t0 + 20, &locked, &err),
			 ZL_OK);
	assert_int_equal(locked, 0);
	assert_int_equal(zl_store_login_failed(db, "u19", "10.9.9.9", t0 + 20, &err), ZL_OK);
	assert_int_equal(zl_store_login_check(db, "new", "10.9.9.9", t0 + 21, &locked, &err),
			 ZL_OK);
	assert_int_equal(locked, 1);
	assert_int_equal(zl_store_login_check(db, "new", "10.9.9.8", t0 + 21, &locked, &err),
			 ZL_OK);
	assert_int_equal(locked, 0);
	assert_int_equal(zl_store_login_purge(db, t0 + 5000, &err), ZL_OK);
	assert_int_equal(zl_store_login_check(db, "new", "10.9.9.9", t0 + 21, &locked, &err),
			 ZL_OK);
	assert_int_equal(locked, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_username_rules),
		cmocka_unit_test_setup_teardown(test_user_create_get, setup_db, teardown_db),
		cmocka_unit_test_setup_teardown(test_user_list, setup_db, teardown_db),
		cmocka_unit_test_setup_teardown(test_user_update, setup_db, teardown_db),
		cmocka_unit_test_setup_teardown(test_sessions, setup_db, teardown_db),
		cmocka_unit_test_setup_teardown(test_session_purge_and_role_change, setup_db,
						teardown_db),
		cmocka_unit_test_setup_teardown(test_tokens, setup_db, teardown_db),
		cmocka_unit_test_setup_teardown(test_lockout, setup_db, teardown_db),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
