/*
 * test_orgs.c - the organization tree in the database (store/orgs.h) and its reference data
 * (codes/orgs.h), against SQLite and PostgreSQL like test_store.c:
 *
 *   build/release/tests/store/test_orgs
 *   ZHILIANG_TEST_DB=$(scripts/pg.sh start /tmp/zl-pg 55432) build/release/tests/store/test_orgs
 *
 * Every test starts from an empty database (on PostgreSQL the schema `public` is dropped and
 * re-created: point it at a throwaway database), migrates it and loads the tree.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "codes/orgs.h"
#include "codes/region.h"
#include "db/db.h"
#include "store/migrate.h"
#include "store/orgs.h"

#include "harness.h"

/* An empty, migrated database with the tree loaded. */
static int setup_db(void **state)
{
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_db *db = harness_open_empty(1);

	if (!db)
		return -1;
	if (zl_store_load_orgs(db, &err) != ZL_OK) {
		fprintf(stderr, "cannot load the organizations: %s\n", err.message);
		zl_db_close(db);
		return -1;
	}
	*state = db;
	return 0;
}

static int64_t query_int(struct zl_db *db, const char *sql, const char *arg)
{
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_stmt *st = NULL;
	int64_t v;

	if (zl_db_prepare(db, sql, &st, &err) != ZL_OK)
		fail_msg("prepare failed: %s\nSQL: %s", err.message, sql);
	if (arg != NULL)
		zl_stmt_bind_text(st, 1, arg, -1);
	assert_int_equal(zl_stmt_step(st, &err), ZL_DB_ROW);
	v = zl_stmt_column_int64(st, 0);
	zl_stmt_reset(st);
	return v;
}

/* Collects the codes a list returns. */
struct seen {
	size_t n;
	char codes[600][ZL_ORG_CODE_MAX];
	char parents[600][ZL_ORG_CODE_MAX];
	char paths[600][ZL_ORG_PATH_MAX];
};

static int collect(void *cls, const struct zl_org *o)
{
	struct seen *s = cls;

	if (s->n < 600) {
		snprintf(s->codes[s->n], ZL_ORG_CODE_MAX, "%s", o->code);
		snprintf(s->parents[s->n], ZL_ORG_CODE_MAX, "%s", o->parent);
		snprintf(s->paths[s->n], ZL_ORG_PATH_MAX, "%s", o->path);
	}
	s->n++;
	return ZL_OK;
}

static int64_t list(struct zl_db *db, const struct zl_org_filter *f, long limit, struct seen *s)
{
	struct zl_error err = ZL_ERROR_INIT;
	int64_t total = -1;
	int rc;

	s->n = 0;
	rc = zl_store_org_list(db, f, limit, collect, s, &total, &err);
	if (rc != ZL_OK)
		fail_msg("list failed (%d): %s", rc, err.message);
	return total;
}

static int seen_has(const struct seen *s, const char *code)
{
	for (size_t i = 0; i < s->n && i < 600; i++)
		if (strcmp(s->codes[i], code) == 0)
			return (int)i + 1;
	return 0;
}

static void expect_path(struct zl_db *db, const char *code, const char *want)
{
	struct zl_error err = ZL_ERROR_INIT;
	char path[ZL_ORG_PATH_MAX];

	assert_int_equal(zl_store_org_path(db, code, path, sizeof(path), &err), ZL_OK);
	assert_string_equal(path, want);
}

static struct seen *new_seen(void)
{
	struct seen *s = calloc(1, sizeof(*s));

	assert_non_null(s);
	return s;
}

/* ---- the loaded tree ------------------------------------------------------------------ */

static void test_root_and_cities(void **state)
{
	struct zl_db *db = *state;
	struct zl_org_filter f = {.kind = "city", .at = "2014-07-18"};
	struct zl_org_info *info = calloc(1, sizeof(*info));
	struct zl_error err = ZL_ERROR_INIT;
	struct seen *s = new_seen();
	static const char *const cities[] = {"410100", "410200", "410300", "410400", "410500",
					     "410600", "410700", "410800", "410900", "411000",
					     "411100", "411200", "411300", "411400", "411500",
					     "411600", "411700", "419001"};

	assert_int_equal(zl_store_org_get(db, "410000", info, &err), ZL_OK);
	assert_string_equal(info->org.kind, "province");
	assert_string_equal(info->org.name, "河南省人民政府");
	assert_string_equal(info->org.parent, "");
	assert_string_equal(info->org.path, "/410000/");
	expect_path(db, "410000", "/410000/");

	/* The 18 省辖市 (17 prefecture-level cities + 济源) under the province. */
	assert_int_equal(list(db, &f, 0, s), 18);
	assert_int_equal(s->n, 18);
	for (size_t i = 0; i < 18; i++) {
		int k = seen_has(s, cities[i]);
		assert_true(k > 0);
		assert_string_equal(s->parents[k - 1], "410000");
	}
	assert_int_equal(zl_store_org_get(db, "410100", info, &err), ZL_OK);
	assert_string_equal(info->org.name, "郑州市人民政府");
	assert_string_equal(info->org.region, "410100");
	assert_int_equal(zl_store_org_get(db, "419001", info, &err), ZL_OK);
	assert_string_equal(info->org.name, "济源市人民政府");
	assert_string_equal(info->org.path, "/410000/419001/");
	/* Aliases of a city as plans write it. */
	assert_int_equal(query_int(db, "SELECT count(*) FROM org_aliases WHERE alias = ?", "郑州"),
			 1);
	/* 419000 is a grouping, no government. */
	assert_int_equal(zl_store_org_get(db, "419000", info, &err), ZL_ENOTFOUND);
	/* A district's government carries the city's name. */
	assert_int_equal(zl_store_org_get(db, "410102", info, &err), ZL_OK);
	assert_string_equal(info->org.name, "郑州市中原区人民政府");
	assert_string_equal(info->org.kind, "county");
	assert_string_equal(info->org.path, "/410000/410100/410102/");
	free(info);
	free(s);
}

static void test_direct_counties(void **state)
{
	struct zl_db *db = *state;
	struct zl_org_filter f = {.kind = "county", .parent = "410000", .at = "2014-01-01"};
	struct zl_org_filter before = {.kind = "county", .parent = "410000", .at = "2013-12-31"};
	struct zl_org_filter kaifeng = {.parent = "410200", .at = "2013-12-31"};
	struct zl_org_filter kaifeng14 = {.parent = "410200", .at = "2014-01-01"};
	static const char *const direct[10][2] = {{"410181", "410100"}, {"410225", "410200"},
						  {"410482", "410400"}, {"410526", "410500"},
						  {"410728", "410700"}, {"411381", "411300"},
						  {"411481", "411400"}, {"411525", "411500"},
						  {"411628", "411600"}, {"411729", "411700"}};
	struct seen *s = new_seen();

	/* From 2014-01-01 the ten report to the province... */
	assert_int_equal(list(db, &f, 0, s), 10);
	for (size_t i = 0; i < 10; i++) {
		int k = seen_has(s, direct[i][0]);
		char want[64];
		assert_true(k > 0);
		snprintf(want, sizeof(want), "/410000/%s/", direct[i][0]);
		assert_string_equal(s->paths[k - 1], want);
	}
	/* ... the day before, they were under their cities. */
	assert_int_equal(list(db, &before, 0, s), 0);
	for (size_t i = 0; i < 10; i++) {
		struct zl_org_filter c = {.parent = direct[i][1], .at = "2013-12-31"};
		char want[64];
		int k;
		list(db, &c, 0, s);
		k = seen_has(s, direct[i][0]);
		assert_true(k > 0);
		snprintf(want, sizeof(want), "/410000/%s/%s/", direct[i][1], direct[i][0]);
		assert_string_equal(s->paths[k - 1], want);
	}
	list(db, &kaifeng, 0, s);
	assert_true(seen_has(s, "410225"));
	list(db, &kaifeng14, 0, s);
	assert_false(seen_has(s, "410225"));
	/* Today: 兰考 under the province; 长垣 under its post-2019 code 410783. */
	expect_path(db, "410225", "/410000/410225/");
	expect_path(db, "410783", "/410000/410783/");
	/* The region code stays under the city. */
	assert_int_equal(query_int(db,
				   "SELECT count(*) FROM orgs WHERE code = ? AND region = '410225'"
				   " AND parent = '410000'",
				   "410225"),
			 1);
	free(s);
}

/* Every department, group and other body the plan names, by every short form it uses. */
static const char *const plan_names[][2] = {
	{"省政府办公厅", "410000-D001"},
	{"省食品药品监管局", "410000-D002"},
	{"食品药品监管局", "410000-D002"},
	{"教育厅", "410000-D003"},
	{"公安厅", "410000-D004"},
	{"省公安厅", "410000-D004"},
	{"农业厅", "410000-D005"},
	{"省农业厅", "410000-D005"},
	{"质监局", "410000-D006"},
	{"省质监局", "410000-D006"},
	{"畜牧局", "410000-D007"},
	{"河南出入境检验检疫局", "410000-D008"},
	{"省工业和信息化厅", "410000-D009"},
	{"工业和信息化厅", "410000-D009"},
	{"商务厅", "410000-D010"},
	{"工商局", "410000-D011"},
	{"省工商局", "410000-D011"},
	{"省发展改革委", "410000-D012"},
	{"发展改革委", "410000-D012"},
	{"邮政管理局", "410000-D013"},
	{"环保厅", "410000-D014"},
	{"省住房城乡建设厅", "410000-D015"},
	{"住房城乡建设厅", "410000-D015"},
	{"旅游局", "410000-D016"},
	{"交通运输厅", "410000-D017"},
	{"科技厅", "410000-D018"},
	{"财政厅", "410000-D019"},
	{"人力资源社会保障厅", "410000-D020"},
	{"文化厅", "410000-D021"},
	{"省政府国资委", "410000-D022"},
	{"广电局", "410000-D023"},
	{"知识产权局", "410000-D024"},
	{"省质量立省战略工作领导小组", "410000-G001"},
	{"总工会", "410000-O001"},
	{"省政府", "410000"},
};

static void test_plan_departments(void **state)
{
	struct zl_db *db = *state;
	struct zl_org_info *info = calloc(1, sizeof(*info));
	struct zl_error err = ZL_ERROR_INIT;
	struct seen *s = new_seen();
	struct zl_org_filter dep = {.kind = "department", .at = "2014-07-18"};

	for (size_t i = 0; i < sizeof(plan_names) / sizeof(plan_names[0]); i++) {
		struct zl_org_filter f = {.q = plan_names[i][0], .at = "2014-07-18"};
		struct zl_stmt *st = NULL;
		assert_int_equal(zl_db_prepare(db, "SELECT code FROM org_aliases WHERE alias = ?",
					       &st, &err),
				 ZL_OK);
		zl_stmt_bind_text(st, 1, plan_names[i][0], -1);
		if (zl_stmt_step(st, &err) != ZL_DB_ROW)
			fail_msg("alias %s missing", plan_names[i][0]);
		assert_string_equal(zl_stmt_column_text(st, 0), plan_names[i][1]);
		/* Exactly one organization carries the alias. */
		assert_int_equal(zl_stmt_step(st, &err), ZL_DB_DONE);
		zl_stmt_reset(st);
		/* And the list search finds it by that fragment. */
		list(db, &f, 0, s);
		if (!seen_has(s, plan_names[i][1]))
			fail_msg("q=%s does not find %s", plan_names[i][0], plan_names[i][1]);
	}
	assert_int_equal(zl_store_org_get(db, "410000-D006", info, &err), ZL_OK);
	assert_string_equal(info->org.name, "河南省质量技术监督局");
	assert_string_equal(info->org.kind, "department");
	assert_string_equal(info->org.path, "/410000/410000-D006/");
	assert_int_equal(info->naliases, 2);
	assert_int_equal(info->children, 2); /* the two laboratories */
	assert_int_equal(info->nhistory, 1);
	assert_int_equal(zl_store_org_get(db, "410000-D012", info, &err), ZL_OK);
	assert_string_equal(info->org.name, "河南省发展和改革委员会");
	/* 24 departments (the issuer and the 23 of the task attributions). */
	assert_int_equal(list(db, &dep, 0, s), 24);
	/* Laboratories sit under the quality bureau. */
	expect_path(db, "410000-L001", "/410000/410000-D006/410000-L001/");
	/* Every reference code obeys the code rules. */
	for (size_t i = 0; i < zl_org_def_count(); i++) {
		const struct zl_org_def *d = zl_org_def_at(i);
		const char *why = NULL;
		if (zl_org_code_check(d->kind, d->code, &why) != 0)
			fail_msg("%s: %s", d->code, why);
	}
	free(info);
	free(s);
}

static void test_list_filters_and_paging(void **state)
{
	struct zl_db *db = *state;
	struct zl_org_filter zz = {
		.within = "/410000/410100/", .kind = "county", .at = "2014-07-18"};
	struct zl_org_filter pct = {.q = "%"}, und = {.q = "_"};
	struct zl_org_filter bad = {.at = "2014-02-30"};
	struct zl_error err = ZL_ERROR_INIT;
	struct seen *s = new_seen();
	char last[ZL_ORG_CODE_MAX] = "";
	int64_t total, got = 0;

	/* Zhengzhou's subtree in 2014: its districts and counties, not 巩义 (direct). */
	total = list(db, &zz, 0, s);
	assert_true(total >= 10);
	assert_true(seen_has(s, "410102"));
	assert_false(seen_has(s, "410181"));
	for (size_t i = 0; i < s->n; i++)
		assert_true(strncmp(s->paths[i], "/410000/410100/", 15) == 0);
	/* % and _ are literal in q. */
	assert_int_equal(list(db, &pct, 0, s), 0);
	assert_int_equal(list(db, &und, 0, s), 0);
	assert_int_equal(zl_store_org_list(db, &bad, 0, collect, s, NULL, &err), ZL_EINVAL);
	assert_string_equal(err.field, "at");
	/* Paging by code: pages of 7 cover the subtree exactly once, in order. */
	for (;;) {
		struct zl_org_filter p = zz;
		int64_t t;
		p.after = last;
		t = list(db, &p, 7, s);
		assert_int_equal(t, total);
		if (s->n == 0)
			break;
		assert_true(strcmp(s->codes[0], last) > 0);
		got += (int64_t)s->n;
		snprintf(last, sizeof(last), "%s", s->codes[s->n - 1]);
	}
	assert_int_equal(got, total);
	free(s);
}

/* ---- changes -------------------------------------------------------------------------- */

static void test_rename_keeps_history(void **state)
{
	struct zl_db *db = *state;
	struct zl_org_change ch = {.name = "河南省质量技术监督局(更名测试)", .date = "2016-03-01"};
	struct zl_org_info *info = calloc(1, sizeof(*info));
	struct zl_org_filter old = {.q = "河南省质量技术监督局", .at = "2015-01-01"};
	struct zl_error err = ZL_ERROR_INIT;
	struct seen *s = new_seen();
	struct zl_org out;

	assert_int_equal(zl_store_org_update(db, "410000-D006", &ch, &out, &err), ZL_OK);
	assert_string_equal(out.valid_from, "2016-03-01");
	assert_int_equal(zl_store_org_get(db, "410000-D006", info, &err), ZL_OK);
	assert_string_equal(info->org.name, "河南省质量技术监督局(更名测试)");
	assert_string_equal(info->org.valid_to, "");
	assert_int_equal(info->nhistory, 2);
	assert_string_equal(info->history[0].name, "河南省质量技术监督局");
	assert_string_equal(info->history[0].valid_from, "2014-01-01");
	assert_string_equal(info->history[0].valid_to, "2016-03-01");
	assert_int_equal(info->naliases, 2); /* aliases stay */
	assert_int_equal(info->children, 2);
	/* As of 2015 the old name is found, as of today the new one. */
	list(db, &old, 0, s);
	assert_true(seen_has(s, "410000-D006"));
	/* A change dated before the current row's start is refused. */
	ch.date = "2015-01-01";
	assert_int_equal(zl_store_org_update(db, "410000-D006", &ch, NULL, &err), ZL_EUNPROC);
	assert_string_equal(err.field, "date");
	/* Reloading keeps the rename: one current row, the administrator's. */
	assert_int_equal(zl_store_load_orgs(db, &err), ZL_OK);
	assert_int_equal(query_int(db,
				   "SELECT count(*) FROM orgs WHERE code = ? AND valid_to IS NULL",
				   "410000-D006"),
			 1);
	assert_int_equal(zl_store_org_get(db, "410000-D006", info, &err), ZL_OK);
	assert_string_equal(info->org.name, "河南省质量技术监督局(更名测试)");
	assert_string_equal(info->history[0].valid_to, "2016-03-01");
	free(info);
	free(s);
}

static void test_create_and_move(void **state)
{
	struct zl_db *db = *state;
	struct zl_org o = {0}, lab = {0}, out;
	struct zl_org_change mv = {.parent = "410100", .date = "2020-05-01"};
	struct zl_org_change loop = {.parent = "410000-L900", .date = "2020-06-01"};
	struct zl_org_info *info = calloc(1, sizeof(*info));
	struct zl_error err = ZL_ERROR_INIT;
	const char *aliases[] = {"测试部门"};

	snprintf(o.code, sizeof(o.code), "410000-D900");
	snprintf(o.kind, sizeof(o.kind), "department");
	snprintf(o.name, sizeof(o.name), "测试部门全称");
	snprintf(o.parent, sizeof(o.parent), "410000");
	snprintf(o.valid_from, sizeof(o.valid_from), "2019-01-01");
	assert_int_equal(zl_store_org_create(db, &o, aliases, 1, &err), ZL_OK);
	assert_string_equal(o.path, "/410000/410000-D900/");
	lab = o;
	snprintf(lab.code, sizeof(lab.code), "410000-L900");
	snprintf(lab.kind, sizeof(lab.kind), "lab");
	snprintf(lab.parent, sizeof(lab.parent), "410000-D900");
	assert_int_equal(zl_store_org_create(db, &lab, NULL, 0, &err), ZL_OK);
	expect_path(db, "410000-L900", "/410000/410000-D900/410000-L900/");

	/* Codes are never reused, and must follow their kind's rule. */
	assert_int_equal(zl_store_org_create(db, &o, NULL, 0, &err), ZL_ECONFLICT);
	snprintf(o.code, sizeof(o.code), "410000-X901");
	assert_int_equal(zl_store_org_create(db, &o, NULL, 0, &err), ZL_EUNPROC);
	assert_string_equal(err.field, "code");
	snprintf(o.code, sizeof(o.code), "419999");
	snprintf(o.kind, sizeof(o.kind), "county");
	assert_int_equal(zl_store_org_create(db, &o, NULL, 0, &err), ZL_EUNPROC);
	snprintf(o.code, sizeof(o.code), "410100-D001");
	snprintf(o.kind, sizeof(o.kind), "department");
	snprintf(o.parent, sizeof(o.parent), "499999");
	assert_int_equal(zl_store_org_create(db, &o, NULL, 0, &err), ZL_EUNPROC);
	assert_string_equal(err.field, "parent");

	/* Moving recomputes the paths of the whole subtree, in one go. */
	assert_int_equal(zl_store_org_update(db, "410000-D900", &mv, &out, &err), ZL_OK);
	assert_string_equal(out.path, "/410000/410100/410000-D900/");
	expect_path(db, "410000-D900", "/410000/410100/410000-D900/");
	expect_path(db, "410000-L900", "/410000/410100/410000-D900/410000-L900/");
	assert_int_equal(zl_store_org_get(db, "410000-D900", info, &err), ZL_OK);
	assert_int_equal(info->nhistory, 2);
	assert_string_equal(info->history[0].parent, "410000");
	assert_string_equal(info->history[1].parent, "410100");
	/* Never into its own subtree. */
	assert_int_equal(zl_store_org_update(db, "410000-D900", &loop, NULL, &err), ZL_EUNPROC);
	/* A reload keeps the move (paths recomputed from current parents). */
	assert_int_equal(zl_store_load_orgs(db, &err), ZL_OK);
	expect_path(db, "410000-L900", "/410000/410100/410000-D900/410000-L900/");

	/* Closing: refused while children are current, then the leaf and the parent. */
	{
		struct zl_org_change cl = {.close = 1, .date = "2021-01-01"};
		char path[ZL_ORG_PATH_MAX];
		assert_int_equal(zl_store_org_update(db, "410000-D900", &cl, NULL, &err),
				 ZL_EUNPROC);
		assert_int_equal(zl_store_org_update(db, "410000-L900", &cl, NULL, &err), ZL_OK);
		assert_int_equal(zl_store_org_update(db, "410000-D900", &cl, NULL, &err), ZL_OK);
		assert_int_equal(zl_store_org_path(db, "410000-D900", path, sizeof(path), &err),
				 ZL_ENOTFOUND);
		assert_int_equal(zl_store_org_get(db, "410000-D900", info, &err), ZL_OK);
		assert_string_equal(info->org.valid_to, "2021-01-01");
	}
	free(info);
}

static void test_idempotent_reload(void **state)
{
	struct zl_db *db = *state;
	struct zl_error err = ZL_ERROR_INIT;
	int64_t rows = query_int(db, "SELECT count(*) FROM orgs", NULL);
	int64_t aliases = query_int(db, "SELECT count(*) FROM org_aliases", NULL);
	int64_t current = query_int(db, "SELECT count(*) FROM orgs WHERE valid_to IS NULL", NULL);

	assert_true(rows > 200);
	assert_int_equal(zl_store_load_orgs(db, &err), ZL_OK);
	assert_int_equal(zl_store_load_orgs(db, &err), ZL_OK);
	assert_int_equal(query_int(db, "SELECT count(*) FROM orgs", NULL), rows);
	assert_int_equal(query_int(db, "SELECT count(*) FROM org_aliases", NULL), aliases);
	assert_int_equal(query_int(db, "SELECT count(*) FROM orgs WHERE valid_to IS NULL", NULL),
			 current);
	/* Inside a caller's transaction it joins it. */
	assert_int_equal(zl_db_begin(db, &err), ZL_OK);
	assert_int_equal(zl_store_load_orgs(db, &err), ZL_OK);
	assert_true(zl_db_in_tx(db));
	assert_int_equal(zl_db_commit(db, &err), ZL_OK);
	/* No code has two current rows. */
	assert_int_equal(
		query_int(db,
			  "SELECT count(*) FROM (SELECT code FROM orgs WHERE valid_to IS NULL"
			  " GROUP BY code HAVING count(*) > 1) d",
			  NULL),
		0);
}

/* ---- reference data (pure) ------------------------------------------------------------ */

static void test_code_rules(void **state)
{
	const char *why = NULL;

	(void)state;
	assert_int_equal(zl_org_code_check("province", "410000", &why), 0);
	assert_int_equal(zl_org_code_check("city", "410100", &why), 0);
	assert_int_equal(zl_org_code_check("city", "419001", &why), 0);
	assert_int_equal(zl_org_code_check("city", "410102", &why), -1);
	assert_int_equal(zl_org_code_check("county", "410225", &why), 0);
	assert_int_equal(zl_org_code_check("county", "41022", &why), -1);
	assert_int_equal(zl_org_code_check("county", "999999", &why), -1);
	assert_int_equal(zl_org_code_check("department", "410000-D001", &why), 0);
	assert_int_equal(zl_org_code_check("department", "410100-D001", &why), 0);
	assert_int_equal(zl_org_code_check("department", "410000-L001", &why), -1);
	assert_int_equal(zl_org_code_check("department", "410000-D000", &why), -1);
	assert_int_equal(zl_org_code_check("department", "990000-D001", &why), -1);
	assert_int_equal(zl_org_code_check("lab", "410000-L01", &why), -1);
	assert_int_equal(zl_org_code_check("group", "410000-G001", &why), 0);
	assert_int_equal(zl_org_code_check("enterprise", "914403001922038216", &why), 0);
	assert_int_equal(zl_org_code_check("enterprise", "914403001922038217", &why), -1);
	assert_int_equal(zl_org_code_check("nonsense", "410000", &why), -1);
	assert_non_null(why);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup_db, teardown_db)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_root_and_cities),      T(test_direct_counties),
		T(test_plan_departments),     T(test_list_filters_and_paging),
		T(test_rename_keeps_history), T(test_create_and_move),
		T(test_idempotent_reload),    cmocka_unit_test(test_code_rules),
	};

	fprintf(stderr, "orgs store suite against %s\n",
		zl_db_url_backend(test_url()) != NULL ? zl_db_url_backend(test_url())
						      : "(bad ZHILIANG_TEST_DB)");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
