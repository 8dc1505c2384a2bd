/*
 * test_orgs_http.c - the organization handlers (http/orgs.c) without a server: hand-built
 * requests with a signed-in principal against an in-memory SQLite database holding the loaded
 * tree.  Authorization by route (401/403 from routes.def) is auth.c's and is tested there and
 * in tests/api; here: the subtree restriction of lists, tree=1, paging, the JSON shapes, the
 * write paths with their audit rows, and the move-destination check.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "core/json.h"
#include "http/handlers.h"
#include "store/migrate.h"
#include "store/orgs.h"

struct fake {
	struct zl_req req;
	struct zl_resp resp;
	struct zl_arena arena;
	struct zl_error err;
	cJSON *json;
	int rc;
};

static struct zl_db *open_db(void)
{
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_db *db = NULL;
	int applied = 0;

	if (zl_db_open("sqlite::memory:", NULL, &db, &err) != ZL_OK ||
	    zl_store_migrate(db, &applied, &err) != ZL_OK || zl_store_load_orgs(db, &err) != ZL_OK)
		fail_msg("database: %s", err.message);
	return db;
}

static int setup(void **state)
{
	*state = open_db();
	return 0;
}

static int teardown(void **state)
{
	zl_db_close(*state);
	return 0;
}

/* Run `fn` as an admin of `org_path` (all permissions); kv: NULL-terminated query pairs. */
static void call(struct fake *f, struct zl_db *db, zl_handler_fn *fn, enum zl_method m,
		 const char *org_path, const char *code, const char *const *kv, const char *body)
{
	memset(f, 0, sizeof(*f));
	zl_arena_init(&f->arena, 8u << 20);
	f->req.arena = &f->arena;
	f->req.method = m;
	f->req.db = db;
	f->req.principal.kind = ZL_PRINCIPAL_USER;
	snprintf(f->req.principal.name, sizeof(f->req.principal.name), "admin");
	snprintf(f->req.principal.org, sizeof(f->req.principal.org), "410000");
	snprintf(f->req.principal.org_path, sizeof(f->req.principal.org_path), "%s", org_path);
	f->req.principal.role = ZL_ROLE_ADMIN;
	f->req.principal.perms = zl_role_perms(ZL_ROLE_ADMIN);
	snprintf(f->req.rid, sizeof(f->req.rid), "0123456789abcdef0123456789abcdef");
	if (code != NULL) {
		f->req.params[0].name = "code";
		f->req.params[0].value = code;
		f->req.nparams = 1;
	}
	for (size_t i = 0; kv != NULL && kv[2 * i] != NULL; i++) {
		f->req.query[i].key = kv[2 * i];
		f->req.query[i].value = kv[2 * i + 1];
		f->req.nquery = i + 1;
	}
	f->req.body = body != NULL ? body : "";
	f->req.body_len = strlen(f->req.body);
	f->resp.status = 200;
	f->resp.fd = -1;
	zl_buf_init(&f->resp.body, 16u << 20);
	f->err = (struct zl_error)ZL_ERROR_INIT;
	f->rc = fn(&f->req, &f->resp, &f->err);
	if (f->rc != ZL_OK)
		zl_http_error(&f->resp, &f->err);
	else if (zl_json_parse(zl_buf_str(&f->resp.body), f->resp.body.len, 64, &f->json,
			       &f->err) != ZL_OK)
		fail_msg("not JSON: %s", zl_buf_str(&f->resp.body));
}

static void done(struct fake *f)
{
	cJSON_Delete(f->json);
	zl_buf_release(&f->resp.body);
	zl_arena_release(&f->arena);
}

static const char *str(const cJSON *o, const char *k)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static double num(const cJSON *o, const char *k)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);

	assert_true(cJSON_IsNumber(v));
	return v->valuedouble;
}

static const cJSON *items(const struct fake *f)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(f->json, "items");

	assert_true(cJSON_IsArray(v));
	return v;
}

static int64_t audit_rows(struct zl_db *db)
{
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_stmt *st = NULL;
	int64_t n;

	assert_int_equal(zl_db_prepare(db, "SELECT count(*) FROM audit_log", &st, &err), ZL_OK);
	assert_int_equal(zl_stmt_step(st, &err), ZL_DB_ROW);
	n = zl_stmt_column_int64(st, 0);
	zl_stmt_reset(st);
	return n;
}

static void test_list_paging_and_subtree(void **state)
{
	struct zl_db *db = *state;
	const char *const p1[] = {"kind", "city", "limit", "5", NULL};
	const char *const zz[] = {"kind", "county", "at", "2014-07-01", NULL};
	const char *const bad[] = {"kind", "bogus", NULL};
	struct fake f;
	char cursor[64];

	call(&f, db, zl_h_orgs_list, ZL_M_GET, "/410000/", NULL, p1, NULL);
	assert_int_equal(f.rc, ZL_OK);
	assert_int_equal(num(f.json, "total"), 18);
	assert_int_equal(cJSON_GetArraySize(items(&f)), 5);
	assert_string_equal(str(cJSON_GetArrayItem(items(&f), 0), "code"), "410100");
	assert_string_equal(str(cJSON_GetArrayItem(items(&f), 0), "name"), "郑州市人民政府");
	assert_non_null(str(f.json, "next_cursor"));
	snprintf(cursor, sizeof(cursor), "%s", str(f.json, "next_cursor"));
	done(&f);
	{
		const char *const p2[] = {"kind", "city", "limit", "5", "cursor", cursor, NULL};
		call(&f, db, zl_h_orgs_list, ZL_M_GET, "/410000/", NULL, p2, NULL);
		assert_int_equal(f.rc, ZL_OK);
		assert_string_equal(str(cJSON_GetArrayItem(items(&f), 0), "code"), "410600");
		done(&f);
	}
	/* A 郑州 caller sees 郑州's counties only, and not 巩义 (省直管 since 2014). */
	call(&f, db, zl_h_orgs_list, ZL_M_GET, "/410000/410100/", NULL, zz, NULL);
	assert_int_equal(f.rc, ZL_OK);
	{
		const cJSON *it;
		int n = 0;
		cJSON_ArrayForEach(it, items(&f))
		{
			assert_true(strncmp(str(it, "path"), "/410000/410100/", 15) == 0);
			assert_string_not_equal(str(it, "code"), "410181");
			n++;
		}
		assert_true(n >= 10);
	}
	done(&f);
	call(&f, db, zl_h_orgs_list, ZL_M_GET, "/410000/", NULL, bad, NULL);
	assert_int_equal(f.rc, ZL_EINVAL);
	assert_string_equal(f.err.field, "kind");
	done(&f);
}

static void test_tree_and_alias_search(void **state)
{
	struct zl_db *db = *state;
	const char *const tree[] = {"tree", "1", NULL};
	const char *const q[] = {"q", "发展改革委", NULL};
	const cJSON *root, *kids, *it;
	struct fake f;
	int found = 0;

	/* 开封's subtree as a tree: one root, 兰考 no longer under it (from 2014). */
	call(&f, db, zl_h_orgs_list, ZL_M_GET, "/410000/410200/", NULL, tree, NULL);
	assert_int_equal(f.rc, ZL_OK);
	assert_int_equal(cJSON_GetArraySize(items(&f)), 1);
	root = cJSON_GetArrayItem(items(&f), 0);
	assert_string_equal(str(root, "code"), "410200");
	kids = cJSON_GetObjectItemCaseSensitive(root, "children");
	assert_true(cJSON_GetArraySize(kids) >= 5);
	cJSON_ArrayForEach(it, kids) assert_string_not_equal(str(it, "code"), "410225");
	assert_int_equal(num(f.json, "total"), cJSON_GetArraySize(kids) + 1);
	done(&f);

	call(&f, db, zl_h_orgs_list, ZL_M_GET, "/410000/", NULL, q, NULL);
	assert_int_equal(f.rc, ZL_OK);
	cJSON_ArrayForEach(it, items(&f)) found += strcmp(str(it, "code"), "410000-D012") == 0;
	assert_int_equal(found, 1);
	done(&f);

	call(&f, db, zl_h_org_get, ZL_M_GET, "/410000/", "410000-D012", NULL, NULL);
	assert_int_equal(f.rc, ZL_OK);
	assert_string_equal(str(f.json, "name"), "河南省发展和改革委员会");
	assert_string_equal(str(f.json, "path"), "/410000/410000-D012/");
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(f.json, "aliases")),
			 2);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(f.json, "history")),
			 1);
	assert_int_equal(num(f.json, "children"), 0);
	assert_true(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(f.json, "valid_to")));
	done(&f);
}

static void test_writes_with_audit(void **state)
{
	struct zl_db *db = *state;
	int64_t before = audit_rows(db);
	struct fake f;

	call(&f, db, zl_h_org_create, ZL_M_POST, "/410000/", NULL, NULL,
	     "{\"code\":\"410100-D001\",\"kind\":\"department\",\"name\":\"郑州市质量技术监督局\","
	     "\"parent\":\"410100\",\"aliases\":[\"郑州市质监局\"],\"valid_from\":\"2014-01-01\"}");
	assert_int_equal(f.rc, ZL_OK);
	assert_int_equal(f.resp.status, 201);
	assert_string_equal(str(f.json, "path"), "/410000/410100/410100-D001/");
	assert_string_equal(str(f.json, "region"), "410100");
	done(&f);
	assert_int_equal(audit_rows(db), before + 1);

	/* Codes are never reused; unknown members and bad codes are refused, nothing written. */
	call(&f, db, zl_h_org_create, ZL_M_POST, "/410000/", NULL, NULL,
	     "{\"code\":\"410100-D001\",\"kind\":\"department\",\"name\":\"x\",\"parent\":"
	     "\"410100\"}");
	assert_int_equal(f.rc, ZL_ECONFLICT);
	done(&f);
	call(&f, db, zl_h_org_create, ZL_M_POST, "/410000/", NULL, NULL,
	     "{\"code\":\"410100-X001\",\"kind\":\"department\",\"name\":\"x\",\"parent\":"
	     "\"410100\"}");
	assert_int_equal(f.rc, ZL_EUNPROC);
	assert_string_equal(f.err.field, "code");
	done(&f);
	assert_int_equal(audit_rows(db), before + 1);

	call(&f, db, zl_h_org_update, ZL_M_PATCH, "/410000/", "410100-D001", NULL,
	     "{\"name\":\"郑州市市场监督管理局\",\"date\":\"2019-01-01\"}");
	assert_int_equal(f.rc, ZL_OK);
	assert_string_equal(str(f.json, "valid_from"), "2019-01-01");
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(f.json, "history")),
			 2);
	done(&f);
	assert_int_equal(audit_rows(db), before + 2);

	/* A 郑州 administrator cannot move it out of 郑州 (destination outside the subtree). */
	call(&f, db, zl_h_org_update, ZL_M_PATCH, "/410000/410100/", "410100-D001", NULL,
	     "{\"parent\":\"410200\",\"date\":\"2020-01-01\"}");
	assert_int_equal(f.rc, ZL_EFORBIDDEN);
	done(&f);
	call(&f, db, zl_h_org_update, ZL_M_PATCH, "/410000/410100/", "410100-D001", NULL,
	     "{\"parent\":\"999999\",\"date\":\"2020-01-01\"}");
	assert_int_equal(f.rc, ZL_EFORBIDDEN);
	done(&f);
	call(&f, db, zl_h_org_update, ZL_M_PATCH, "/410000/", "410100-D001", NULL, "{}");
	assert_int_equal(f.rc, ZL_EUNPROC);
	done(&f);
	assert_int_equal(audit_rows(db), before + 2);

	call(&f, db, zl_h_org_update, ZL_M_PATCH, "/410000/", "410100-D001", NULL,
	     "{\"close\":true,\"date\":\"2021-01-01\"}");
	assert_int_equal(f.rc, ZL_OK);
	assert_string_equal(str(f.json, "valid_to"), "2021-01-01");
	done(&f);
	assert_int_equal(audit_rows(db), before + 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_list_paging_and_subtree, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tree_and_alias_search, setup, teardown),
		cmocka_unit_test_setup_teardown(test_writes_with_audit, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
