/*
 * test_plans.c - the store suite for the plan ledger (store/plans.h,
 * store/plan_reports.h, store/notifications.h): a provincial plan stored
 * from document attributions with its names resolved (and left unresolved
 * when unknown or ambiguous), scoped resolution of local names, mapping a
 * name, the checks naming fields, lights with their hysteresis stored on
 * every write and by the refresh, reports and their confirmation,
 * attachments, decomposition into city and county plans with the roll-up,
 * visibility of plans, task lists, and notifications.  Runs against
 * ZHILIANG_TEST_DB (SQLite by default, PostgreSQL when pointed at one);
 * every test starts from an empty database with the organization tree.
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
#include "domain/plan_access.h"
#include "store/demo.h"
#include "store/migrate.h"
#include "store/notifications.h"
#include "store/orgs.h"
#include "store/plan_reports.h"
#include "store/plans.h"
#include "store/users.h"

#include "harness.h"

#define PROV "410000"
#define ZJ "410000-D006" /* 省质监局 */
#define SP "410000-D002" /* 省食品药品监管局 */
#define JY "410000-D003" /* 教育厅 */
#define GA "410000-D004" /* 公安厅 */
#define GROUP "410000-G001"
#define ZZ "410100"
#define LY "410300"
#define ZY "410102" /* 郑州市中原区 */

#define ROOT_PATH "/410000/"
#define ZZ_PATH "/410000/410100/"
#define LY_PATH "/410000/410300/"
#define ZJ_PATH "/410000/410000-D006/"

static void must(int rc, const struct zl_error *err)
{
	if (rc != ZL_OK)
		fail_msg("failed (%d): %s: %s", rc, err->field, err->message);
}

static void add_user(struct zl_db *db, const char *name, const char *org, const char *role)
{
	struct zl_error err = ZL_ERROR_INIT;

	must(zl_store_user_create(db, name, "x", org, role, NULL, &err), &err);
}

static void add_org(struct zl_db *db, const char *code, const char *name, const char *parent,
		    const char *alias)
{
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_org o = {0};
	const char *aliases[1] = {alias};

	zl_strlcpy(o.code, code, sizeof(o.code));
	zl_strlcpy(o.kind, "department", sizeof(o.kind));
	zl_strlcpy(o.name, name, sizeof(o.name));
	zl_strlcpy(o.parent, parent, sizeof(o.parent));
	zl_strlcpy(o.valid_from, "2014-01-01", sizeof(o.valid_from));
	assert_int_equal(zl_db_begin(db, &err), ZL_OK);
	must(zl_store_org_create(db, &o, aliases, alias ? 1 : 0, &err), &err);
	assert_int_equal(zl_db_commit(db, &err), ZL_OK);
}

/* An empty, migrated database with the tree and a few accounts. */
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
	add_user(db, "prov.officer", PROV, "officer");
	add_user(db, "zj.officer", ZJ, "officer");
	add_user(db, "zj.analyst", ZJ, "analyst");
	add_user(db, "zj.enterprise", ZJ, "enterprise"); /* no plan.read: never notified */
	add_user(db, "sp.officer", SP, "officer");
	add_user(db, "jy.officer", JY, "officer");
	add_user(db, "zz.officer", ZZ, "officer");
	add_user(db, "ly.officer", LY, "officer");
	*state = db;
	return 0;
}

static struct zl_plan_actor actor(const char *user, const char *org, const char *today)
{
	struct zl_plan_actor a = {user, org, "", today, NULL};

	return a;
}

/* ---- a slice of the Henan plan, as the parser would give it ------------------- */

static const char *const t1_deps[] = {
	"省食品药品监管局",    "教育厅", "公安厅", "农业厅", "质监局", "畜牧局",
	"河南出入境检验检疫局"};
static const char *const t2_deps[] = {"省工业和信息化厅", "公安厅", "质监局"};
static const char *const t15_deps[] = {"省质监局"};
static const char *const t18_deps[] = {"省质量立省战略工作领导小组"};
static const char *const t19_deps[] = {"省卫生厅", "质监局"};
static const char *const t20_deps[] = {"市质监局"};
static const char *const co_flag[] = {"co_leads"};

static const struct zl_plan_attr_in a1 = {t1_deps, 7, "省食品药品监管局", "lead", "stated", 0,
					  NULL,	   0};
static const struct zl_plan_attr_in a2 = {t2_deps, 3, NULL, "shared", NULL, 0, NULL, 0};
static const struct zl_plan_attr_in a15 = {t15_deps, 1, "省质监局", "lead", "stated", 1, NULL, 0};
static const struct zl_plan_attr_in a18 = {
	t18_deps, 1, "省质量立省战略工作领导小组", "lead", "explicit", 1, NULL, 0};
static const struct zl_plan_attr_in a19 = {t19_deps, 2, NULL, "lead", NULL, 0, co_flag, 1};
static const struct zl_plan_attr_in a20 = {t20_deps, 1, "市质监局", "lead", "presumed", 0, NULL, 0};
static const struct zl_plan_attr_in unnamed = {NULL, 0, NULL, "unnamed", NULL, 1, NULL, 0};

static const struct zl_plan_section_in sections[] = {
	{"一", "加强重点领域质量安全监管"},
	{"四", "强化质量治理体系和能力建设"},
};

static const struct zl_plan_milestone_in t1_ms[] = {
	{0, "完成婴幼儿配方乳粉综合治理", "2014-10-31", NULL}};
static const struct zl_plan_indicator_in t2_ind[] = {
	{0, "监督抽查覆盖率", "%", "at_least", 90, 60, 1},
	{0, "不合格率", "%", "at_most", 2, 8, 1},
};

/* A provincial plan of 2014: tasks run 2014-07-18 .. 2014-12-31. */
static int64_t henan(struct zl_db *db, const char *today)
{
	struct zl_plan_task_in tasks[6];
	struct zl_plan_in in = {0};
	struct zl_plan_actor who = actor("cli:root", "", today);
	struct zl_error err = ZL_ERROR_INIT;
	int64_t id = 0;

	memset(tasks, 0, sizeof(tasks));
	tasks[0] = (struct zl_plan_task_in){.number = "1",
					    .section = "一",
					    .title = "加强食品农产品质量安全监管",
					    .start = "2014-07-18",
					    .deadline = "2014-12-31",
					    .attrs = &a1,
					    .nattrs = 1,
					    .milestones = t1_ms,
					    .nmilestones = 1};
	tasks[1] = (struct zl_plan_task_in){.number = "2",
					    .section = "一",
					    .title = "加强消费品等重点产品质量安全监管",
					    .start = "2014-07-18",
					    .deadline = "2014-12-31",
					    .attrs = &a2,
					    .nattrs = 1,
					    .indicators = t2_ind,
					    .nindicators = 2};
	tasks[2] = (struct zl_plan_task_in){.number = "15",
					    .section = "四",
					    .title = "推进质量共治",
					    .deadline = "2014-12-31",
					    .attrs = &a15,
					    .nattrs = 1};
	tasks[3] = (struct zl_plan_task_in){.number = "18",
					    .section = "四",
					    .title = "加强政府质量工作考核",
					    .deadline = "2014-12-31",
					    .attrs = &a18,
					    .nattrs = 1};
	tasks[4] = (struct zl_plan_task_in){
		.number = "19", .title = "一项虚构的任务", .attrs = &a19, .nattrs = 1};
	tasks[5] = (struct zl_plan_task_in){
		.number = "20", .title = "各有关部门的任务", .attrs = &unnamed, .nattrs = 1};
	in.title = "贯彻实施质量发展纲要2014年行动计划实施方案";
	in.issuer = "河南省人民政府办公厅";
	in.date = "2014-07-18";
	in.org = PROV;
	in.lead_rule = "first_listed";
	in.source_name = "henan-2014-quality-plan.txt";
	in.source_sha256 = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
	in.sections = sections;
	in.nsections = 2;
	in.tasks = tasks;
	in.ntasks = 6;
	must(zl_store_plan_create(db, &in, &who, &id, &err), &err);
	assert_true(id > 0);
	return id;
}

/* The set's task with this number. */
static struct zl_plan_task_row *task_no(struct zl_plan_task_set *s, const char *number)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->tasks[i].number, number) == 0)
			return &s->tasks[i];
	fail_msg("no task %s", number);
	return NULL;
}

static void read_plan(struct zl_db *db, int64_t plan, const char *today,
		      struct zl_plan_task_set *set)
{
	struct zl_plan_task_filter f = {.plan_id = plan};
	struct zl_error err = ZL_ERROR_INIT;

	zl_plan_task_set_init(set);
	must(zl_store_plan_tasks(db, &f, today, set, &err), &err);
}

struct names {
	int n;
	char name[8][64];
	int candidates[8];
	int64_t rows[8];
	char numbers[8][64];
};

static int collect_unresolved(void *cls, const struct zl_plan_unresolved *u)
{
	struct names *x = cls;

	if (x->n < 8) {
		zl_strlcpy(x->name[x->n], u->name, sizeof(x->name[0]));
		x->candidates[x->n] = u->candidates;
		x->rows[x->n] = u->rows;
		zl_strlcpy(x->numbers[x->n], u->numbers, sizeof(x->numbers[0]));
		x->n++;
	}
	return 0;
}

static int64_t notes_of(struct zl_db *db, const char *user, const char *kind)
{
	char sql[256];

	snprintf(sql, sizeof(sql),
		 "SELECT count(*) FROM notifications WHERE username = '%s' AND kind = '%s'", user,
		 kind);
	return harness_query_int(db, sql);
}

/* ---- tests -------------------------------------------------------------------- */

static void test_create_from_attributions(void **state)
{
	struct zl_db *db = *state;
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_plan_info p;
	struct zl_plan_task_set set;
	struct zl_plan_task_row *t;
	struct names un = {0};
	int64_t id = henan(db, "2014-07-20"), total = 0;

	must(zl_store_plan_get(db, id, &p, &err), &err);
	assert_string_equal(p.org, PROV);
	assert_string_equal(p.org_path, ROOT_PATH);
	assert_int_equal(p.year, 2014); /* from the document's date */
	assert_string_equal(p.lead_rule, "first_listed");
	assert_string_equal(p.created_by, "cli:root");

	read_plan(db, id, "2014-07-20", &set);
	assert_int_equal(set.n, 6);
	/* Task 1: the stated lead and six co-responsible departments, all resolved. */
	t = task_no(&set, "1");
	assert_string_equal(t->section, "一");
	assert_int_equal(t->nowners, 7);
	assert_string_equal(t->owners[0].name, "省食品药品监管局");
	assert_string_equal(t->owners[0].org, SP);
	assert_string_equal(t->owners[0].role, "lead");
	assert_string_equal(t->owners[0].flags, "stated");
	assert_string_equal(t->owners[0].source, "document");
	assert_int_equal(t->owners[0].attribution, 0);
	assert_string_equal(t->owners[4].name, "质监局");
	assert_string_equal(t->owners[4].org, ZJ);
	assert_string_equal(t->owners[4].role, "co");
	assert_string_equal(t->lineage + strlen(t->lineage) - 1, "/");
	assert_int_equal(t->nmilestones, 1);
	assert_int_equal(t->light.light, ZL_LIGHT_GREEN);
	assert_string_equal(t->lit_on, "2014-07-20"); /* stored at creation */
	/* Task 2: shared by duty, no lead. */
	t = task_no(&set, "2");
	for (size_t i = 0; i < t->nowners; i++)
		assert_string_equal(t->owners[i].role, "shared");
	assert_int_equal(t->nindicators, 2);
	assert_string_equal(t->indicators[1].direction, "at_most");
	assert_true(t->indicators[0].has_baseline && !t->indicators[0].has_value);
	/* Task 15: open-ended; task 18: the leading group, explicitly. */
	t = task_no(&set, "15");
	assert_string_equal(t->owners[0].flags, "open_ended,stated");
	t = task_no(&set, "18");
	assert_string_equal(t->owners[0].org, GROUP);
	assert_string_equal(t->owners[0].flags, "open_ended,explicit");
	/* Task 19: co-leads leave no lead; 省卫生厅 is unknown: kept unresolved. */
	t = task_no(&set, "19");
	assert_string_equal(t->owners[0].name, "省卫生厅");
	assert_string_equal(t->owners[0].org, "");
	assert_int_equal(t->owners[0].candidates, 0);
	assert_string_equal(t->owners[0].role, "co");
	assert_string_equal(t->owners[0].flags, "co_leads");
	assert_string_equal(t->owners[1].org, ZJ);
	/* Task 20: nobody named. */
	t = task_no(&set, "20");
	assert_int_equal(t->nowners, 1);
	assert_string_equal(t->owners[0].role, "unnamed");
	zl_plan_task_set_release(&set);

	must(zl_store_plan_unresolved(db, id, collect_unresolved, &un, &total, &err), &err);
	assert_int_equal(total, 1);
	assert_string_equal(un.name[0], "省卫生厅");
	assert_int_equal(un.rows[0], 1);
	assert_string_equal(un.numbers[0], "19");

	/* Assignment notices: the lead of task 1, the bureau for 1, 2, 15, 19. */
	assert_int_equal(notes_of(db, "sp.officer", "plan.task_assigned"), 1);
	assert_int_equal(notes_of(db, "zj.officer", "plan.task_assigned"), 4);
	assert_int_equal(notes_of(db, "zj.analyst", "plan.task_assigned"), 4);
	assert_int_equal(notes_of(db, "zj.enterprise", "plan.task_assigned"), 0);

	/* The same file again for the same organization: refused, nothing written. */
	assert_int_equal(harness_query_int(db, "SELECT count(*) FROM plans"), 1);
	{
		struct zl_plan_in in = {0};
		struct zl_plan_actor who = actor("cli:root", "", "2014-07-20");

		in.title = "again";
		in.year = 2014;
		in.org = PROV;
		in.source_sha256 =
			"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
		assert_int_equal(zl_store_plan_create(db, &in, &who, NULL, &err), ZL_ECONFLICT);
		assert_string_equal(err.field, "source_sha256");
	}
	assert_int_equal(harness_query_int(db, "SELECT count(*) FROM plans"), 1);
}

static void expect_refusal(struct zl_db *db, const struct zl_plan_in *in, int code,
			   const char *field)
{
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_plan_actor who = actor("t", "", "2014-07-20");

	/* What needs no database is refused before it is reached. */
	if (strcmp(field, "org") != 0 && strstr(field, "].org") == NULL)
		assert_int_equal(zl_plan_in_check(in, &err), code);
	zl_error_clear(&err);
	assert_int_equal(zl_store_plan_create(db, in, &who, NULL, &err), code);
	assert_string_equal(err.field, field);
}

static void test_refusals_name_the_field(void **state)
{
	struct zl_db *db = *state;
	static const char *const deps[] = {"教育厅"};
	struct zl_plan_attr_in bad_lead = {deps, 1, "公安厅", "lead", "stated", 0, NULL, 0};
	struct zl_plan_attr_in bad_mode = {deps, 1, NULL, "both", NULL, 0, NULL, 0};
	struct zl_plan_owner_in bad_role = {"教育厅", NULL, "boss", NULL};
	struct zl_plan_owner_in far_org = {NULL, "410302", "co", NULL}; /* 洛阳's district */
	struct zl_plan_milestone_in bad_ms = {0, "节点", "2014-02-30", NULL};
	struct zl_plan_task_in t = {.number = "1", .title = "任务"};
	struct zl_plan_in in = {0};

	in.title = "计划";
	in.year = 2014;
	in.org = ZZ;
	in.tasks = &t;
	in.ntasks = 1;

	t.attrs = &bad_lead;
	t.nattrs = 1;
	expect_refusal(db, &in, ZL_EUNPROC, "tasks[0].attributions[0].lead");
	t.attrs = &bad_mode;
	expect_refusal(db, &in, ZL_EUNPROC, "tasks[0].attributions[0].mode");
	t.nattrs = 0;
	t.owners = &bad_role;
	t.nowners = 1;
	expect_refusal(db, &in, ZL_EUNPROC, "tasks[0].owners[0].role");
	t.nowners = 0;
	t.start = "2014-12-01";
	t.deadline = "2014-11-30";
	expect_refusal(db, &in, ZL_EUNPROC, "tasks[0].deadline");
	t.start = t.deadline = NULL;
	t.milestones = &bad_ms;
	t.nmilestones = 1;
	expect_refusal(db, &in, ZL_EUNPROC, "tasks[0].milestones[0].due");
	t.nmilestones = 0;
	t.section = "九";
	expect_refusal(db, &in, ZL_EUNPROC, "tasks[0].section");
	t.section = NULL;
	in.year = 0;
	expect_refusal(db, &in, ZL_EUNPROC, "date");
	in.year = 2014;
	in.source_sha256 = "ABC";
	expect_refusal(db, &in, ZL_EUNPROC, "source_sha256");
	in.source_sha256 = NULL;
	in.org = "999999";
	expect_refusal(db, &in, ZL_EUNPROC, "org");
	in.org = ZZ;
	/* Checked against the database: an organization of another government. */
	t.owners = &far_org;
	t.nowners = 1;
	expect_refusal(db, &in, ZL_EUNPROC, "tasks[0].owners[0].org");
	assert_int_equal(harness_query_int(db, "SELECT count(*) FROM plans"), 0);
	assert_int_equal(harness_query_int(db, "SELECT count(*) FROM plan_tasks"), 0);
}

static int64_t one_task_plan(struct zl_db *db, const char *org, int64_t parent_plan,
			     const struct zl_plan_attr_in *a, const char *today)
{
	struct zl_plan_task_in t = {.number = "1", .title = "任务", .attrs = a, .nattrs = 1};
	struct zl_plan_in in = {0};
	struct zl_plan_actor who = actor("t", "", today);
	struct zl_error err = ZL_ERROR_INIT;
	int64_t id = 0;

	in.title = "计划";
	in.year = 2014;
	in.org = org;
	in.parent_plan = parent_plan;
	in.tasks = &t;
	in.ntasks = 1;
	must(zl_store_plan_create(db, &in, &who, &id, &err), &err);
	return id;
}

static const char *first_owner_org(struct zl_db *db, int64_t plan, int *candidates)
{
	static char org[ZL_ORG_CODE_MAX];
	struct zl_plan_task_set set;

	read_plan(db, plan, "2014-07-20", &set);
	zl_strlcpy(org, set.tasks[0].owners[0].org, sizeof(org));
	*candidates = set.tasks[0].owners[0].candidates;
	zl_plan_task_set_release(&set);
	return org;
}

static void test_resolution_is_scoped(void **state)
{
	struct zl_db *db = *state;
	int cand = -1;

	/* Both cities have a bureau the local plans call 市质监局. */
	add_org(db, "410100-D001", "郑州市质量技术监督局", ZZ, "市质监局");
	add_org(db, "410300-D001", "洛阳市质量技术监督局", LY, "市质监局");
	add_org(db, "410100-D002", "郑州市商务局", ZZ, "郑州商务");

	/* In each city's plan the name means its own bureau. */
	assert_string_equal(
		first_owner_org(db, one_task_plan(db, ZZ, 0, &a20, "2014-07-20"), &cand),
		"410100-D001");
	assert_string_equal(
		first_owner_org(db, one_task_plan(db, LY, 0, &a20, "2014-07-20"), &cand),
		"410300-D001");
	/* In the province's plan it is ambiguous: kept, with two candidates. */
	assert_string_equal(
		first_owner_org(db, one_task_plan(db, PROV, 0, &a20, "2014-07-20"), &cand), "");
	assert_int_equal(cand, 2);
	/* 郑州's department is no owner 洛阳's plan can name. */
	{
		static const char *const d[] = {"郑州商务"};
		struct zl_plan_attr_in a = {d, 1, "郑州商务", "lead", "stated", 0, NULL, 0};

		assert_string_equal(
			first_owner_org(db, one_task_plan(db, LY, 0, &a, "2014-07-20"), &cand), "");
		assert_int_equal(cand, 0);
		assert_string_equal(
			first_owner_org(db, one_task_plan(db, ZY, 0, &a, "2014-07-20"), &cand),
			"410100-D002"); /* 中原区's plan may name its city's bureau */
	}
}

static void test_map_name(void **state)
{
	struct zl_db *db = *state;
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_plan_actor admin = actor("api.admin", PROV, "2014-07-20");
	int64_t a = henan(db, "2014-07-20"), rows = 0, plans = 0;
	static const char *const d[] = {"省卫生厅"};
	struct zl_plan_attr_in at = {d, 1, "省卫生厅", "lead", "stated", 0, NULL, 0};
	int64_t zz_plan = one_task_plan(db, ZZ, 0, &at, "2014-07-20");
	int64_t ly_plan = one_task_plan(db, LY, 0, &at, "2014-07-20");
	struct names un = {0};
	int cand;

	/* Unknown name, wrong organization, a name the plan does not carry. */
	assert_int_equal(zl_store_plan_map_name(db, a, "省卫生厅", "999999", ZZ_PATH, &admin, NULL,
						NULL, &err),
			 ZL_EUNPROC);
	assert_string_equal(err.field, "org");
	assert_int_equal(
		zl_store_plan_map_name(db, a, "省计生委", JY, ZZ_PATH, &admin, NULL, NULL, &err),
		ZL_EUNPROC);
	assert_string_equal(err.field, "name");
	assert_int_equal(
		harness_query_int(db, "SELECT count(*) FROM org_aliases WHERE alias = '省计生委'"),
		0);

	/* Mapped by someone of 郑州: the provincial plan and 郑州's plan, not 洛阳's. */
	must(zl_store_plan_map_name(db, a, "省卫生厅", JY, ZZ_PATH, &admin, &rows, &plans, &err),
	     &err);
	assert_int_equal(rows, 2);
	assert_int_equal(plans, 2);
	assert_int_equal(
		harness_query_int(db, "SELECT count(*) FROM org_aliases WHERE alias = '省卫生厅'"
				      " AND code = '410000-D003'"),
		1);
	must(zl_store_plan_unresolved(db, a, collect_unresolved, &un, NULL, &err), &err);
	assert_int_equal(un.n, 0);
	assert_string_equal(first_owner_org(db, zz_plan, &cand), JY);
	assert_string_equal(first_owner_org(db, ly_plan, &cand), "");
	/* Education is told of its new tasks (provincial task 19 and 郑州's task 1),
	 * after task 1 of the plan that named it from the start. */
	assert_int_equal(notes_of(db, "jy.officer", "plan.task_assigned"), 3);
	/* A later plan resolves it through the alias. */
	assert_string_equal(first_owner_org(db, one_task_plan(db, ZZ, 0, &at, "2014-07-20"), &cand),
			    JY);
}

static void test_lights_stored_with_hysteresis(void **state)
{
	struct zl_db *db = *state;
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_plan_task_set set;
	struct zl_plan_task_row *t;
	int64_t plan = henan(db, "2014-07-20"), task, rid = 0;
	struct zl_plan_refresh_stats st;

	read_plan(db, plan, "2014-07-20", &set);
	task = task_no(&set, "1")->id;
	zl_plan_task_set_release(&set);

	/* The milestone of 2014-10-31 passes undone: red on the day after. */
	must(zl_store_plan_refresh(db, "2014-11-01", &st, &err), &err);
	assert_true(st.tasks >= 5);
	assert_true(st.changed >= 1);
	read_plan(db, plan, "2014-11-01", &set);
	t = task_no(&set, "1");
	assert_int_equal(t->stored_light, ZL_LIGHT_RED);
	assert_true(t->stored_reasons & ZL_LIGHT_MILESTONE_OVERDUE);
	zl_plan_task_set_release(&set);
	assert_int_equal(notes_of(db, "sp.officer", "plan.task_red"), 1);
	assert_int_equal(notes_of(db, "zj.officer", "plan.task_red"), 1); /* co-responsible */
	/* Idempotent for the day. */
	must(zl_store_plan_refresh(db, "2014-11-01", &st, &err), &err);
	assert_int_equal(st.changed, 0);
	assert_int_equal(st.notifications, 0);

	/* The milestone is done: yellow (recovering), not green. */
	{
		struct zl_plan_milestone_in ms = {0, "完成婴幼儿配方乳粉综合治理", "2014-10-31",
						  "2014-11-03"};
		struct zl_plan_task_change ch = {0};
		struct zl_plan_actor who = actor("prov.officer", PROV, "2014-11-03");

		read_plan(db, plan, "2014-11-03", &set);
		ms.id = task_no(&set, "1")->milestones[0].id;
		zl_plan_task_set_release(&set);
		ch.set_milestones = 1;
		ch.milestones = &ms;
		ch.nmilestones = 1;
		must(zl_store_plan_task_update(db, task, &ch, &who, &err), &err);
	}
	read_plan(db, plan, "2014-11-03", &set);
	t = task_no(&set, "1");
	assert_int_equal(t->stored_light, ZL_LIGHT_YELLOW);
	assert_true(t->stored_reasons & ZL_LIGHT_RECOVERING);
	assert_string_equal(t->cleared, "2014-11-03");
	zl_plan_task_set_release(&set);

	/* A report after that day, on schedule (about 70% expected): green once confirmed. */
	{
		struct zl_plan_report_in r = {task, SP, "婴幼儿配方乳粉综合治理完成", 80, NULL,
					      NULL, 0};
		struct zl_plan_actor who = actor("sp.officer", SP, "2014-11-05");
		struct zl_plan_actor lead = actor("sp.chief", SP, "2014-11-06");

		must(zl_store_plan_report_add(db, &r, &who, &rid, &err), &err);
		must(zl_store_plan_report_decide(db, rid, 1, NULL, 0, &lead, &err), &err);
	}
	read_plan(db, plan, "2014-11-06", &set);
	t = task_no(&set, "1");
	assert_int_equal(t->stored_light, ZL_LIGHT_GREEN);
	assert_int_equal(t->progress, 80);
	assert_string_equal(t->last_report, "2014-11-05");
	zl_plan_task_set_release(&set);

	/* A read evaluates for its own day: past the deadline it is red. */
	read_plan(db, plan, "2015-01-02", &set);
	t = task_no(&set, "1");
	assert_int_equal(t->light.light, ZL_LIGHT_RED);
	assert_true(t->light.reasons & ZL_LIGHT_OVERDUE);
	assert_int_equal(t->stored_light, ZL_LIGHT_GREEN); /* until written */
	zl_plan_task_set_release(&set);
}

static void test_reports(void **state)
{
	struct zl_db *db = *state;
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_plan_task_set set;
	struct zl_plan_task_row *t;
	struct zl_plan_report *r = calloc(1, sizeof(*r));
	int64_t plan = henan(db, "2014-07-20"), task, ind0, ind1, r1 = 0, r2 = 0, r3 = 0, total;
	struct zl_plan_actor zj = actor("zj.officer", ZJ, "2014-09-01");
	struct zl_plan_actor prov = actor("prov.officer", PROV, "2014-09-05");

	read_plan(db, plan, "2014-07-20", &set);
	t = task_no(&set, "2");
	task = t->id;
	ind0 = t->indicators[0].id;
	ind1 = t->indicators[1].id;
	zl_plan_task_set_release(&set);
	{
		/* An organization that does not own the task, an unknown indicator. */
		struct zl_plan_value_in v[2] = {{ind0, 75}, {999999, 1}};
		struct zl_plan_report_in in = {task, JY, "进展", 40, NULL, v, 1};

		assert_int_equal(zl_store_plan_report_add(db, &in, &zj, NULL, &err), ZL_EUNPROC);
		assert_string_equal(err.field, "org");
		in.org = ZJ;
		in.nvalues = 2;
		assert_int_equal(zl_store_plan_report_add(db, &in, &zj, NULL, &err), ZL_EUNPROC);
		assert_string_equal(err.field, "values[1].indicator");
		in.nvalues = 1;
		in.progress = 101;
		assert_int_equal(zl_store_plan_report_add(db, &in, &zj, NULL, &err), ZL_EUNPROC);
		assert_string_equal(err.field, "progress");
		in.progress = 40;
		in.date = "2014-09-02"; /* after today */
		assert_int_equal(zl_store_plan_report_add(db, &in, &zj, NULL, &err), ZL_EUNPROC);
		assert_string_equal(err.field, "date");
		in.date = "2014-08-30";
		must(zl_store_plan_report_add(db, &in, &zj, &r1, &err), &err);
		in.date = NULL;
		in.progress = 50;
		v[0].value = 80;
		v[1] = (struct zl_plan_value_in){ind1, 5};
		in.nvalues = 2;
		must(zl_store_plan_report_add(db, &in, &zj, &r2, &err), &err);
	}
	/* Shared task without a lead: the province is asked to confirm. */
	assert_int_equal(notes_of(db, "prov.officer", "plan.report_pending"), 2);
	assert_int_equal(notes_of(db, "zj.officer", "plan.report_pending"), 0);
	must(zl_store_plan_reports(db, task, NULL, NULL, 0, 0, NULL, NULL, &total, &err), &err);
	assert_int_equal(total, 2);

	/* Returning needs a reason; confirm the newer, then the older. */
	assert_int_equal(zl_store_plan_report_decide(db, r2, 0, NULL, 0, &prov, &err), ZL_EUNPROC);
	assert_string_equal(err.field, "reason");
	must(zl_store_plan_report_decide(db, r2, 1, "好", 0, &prov, &err), &err);
	must(zl_store_plan_report_decide(db, r1, 1, NULL, 0, &prov, &err), &err);
	assert_int_equal(zl_store_plan_report_decide(db, r1, 0, "再议", 0, &prov, &err),
			 ZL_ECONFLICT);
	assert_int_equal(notes_of(db, "zj.officer", "plan.report_confirmed"), 2);
	read_plan(db, plan, "2014-09-05", &set);
	t = task_no(&set, "2");
	assert_int_equal(t->progress, 50); /* the newest confirmed, not the last confirmed */
	assert_true(t->indicators[0].has_value);
	assert_true(t->indicators[0].value == 80.0);
	assert_string_equal(t->indicators[0].value_on, "2014-09-01");
	assert_true(t->indicators[1].value == 5.0);
	assert_string_equal(t->last_report, "2014-09-01");
	zl_plan_task_set_release(&set);

	/* A returned report counts for nothing. */
	{
		struct zl_plan_report_in in = {task, ZJ, "有误的报送", 90, NULL, NULL, 0};
		struct zl_plan_actor later = actor("zj.officer", ZJ, "2014-09-10");

		must(zl_store_plan_report_add(db, &in, &later, &r3, &err), &err);
		must(zl_store_plan_report_decide(db, r3, 0, "数据不实", 0, &prov, &err), &err);
	}
	must(zl_store_plan_report_get(db, r3, r, &err), &err);
	assert_string_equal(r->status, "returned");
	assert_string_equal(r->decision_note, "数据不实");
	assert_string_equal(r->decided_by, "prov.officer");
	assert_string_equal(r->org_name, "河南省质量技术监督局");
	assert_int_equal(notes_of(db, "zj.officer", "plan.report_returned"), 1);
	read_plan(db, plan, "2014-09-10", &set);
	t = task_no(&set, "2");
	assert_int_equal(t->progress, 50);
	assert_string_equal(t->last_report, "2014-09-01");
	zl_plan_task_set_release(&set);

	/* Completing with the confirmation closes the task to further reports. */
	{
		struct zl_plan_report_in in = {task, ZJ, "全部完成", 100, NULL, NULL, 0};
		struct zl_plan_actor later = actor("zj.officer", ZJ, "2014-12-20");
		int64_t r4 = 0;

		must(zl_store_plan_report_add(db, &in, &later, &r4, &err), &err);
		must(zl_store_plan_report_decide(db, r4, 1, NULL, 1, &prov, &err), &err);
		read_plan(db, plan, "2014-12-21", &set);
		t = task_no(&set, "2");
		assert_string_equal(t->completed_on, "2014-12-20");
		assert_int_equal(t->light.light, ZL_LIGHT_DONE);
		assert_int_equal(t->stored_light, ZL_LIGHT_DONE);
		zl_plan_task_set_release(&set);
		assert_int_equal(zl_store_plan_report_add(db, &in, &later, NULL, &err),
				 ZL_ECONFLICT);
	}
	free(r);
}

struct report_ids {
	int n;
	int64_t ids[8];
};

static int collect_report(void *cls, const struct zl_plan_report *r)
{
	struct report_ids *x = cls;

	if (x->n < 8)
		x->ids[x->n++] = r->id;
	return 0;
}

static void test_report_paging(void **state)
{
	struct zl_db *db = *state;
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_plan_task_set set;
	int64_t plan = henan(db, "2014-07-20"), task, ids[3];
	struct report_ids got = {0};
	static const char *const days[] = {"2014-08-01", "2014-09-01", "2014-08-15"};

	read_plan(db, plan, "2014-07-20", &set);
	task = task_no(&set, "15")->id;
	zl_plan_task_set_release(&set);
	for (int i = 0; i < 3; i++) {
		struct zl_plan_report_in in = {task, ZJ, "进展", 10 * (i + 1), days[i], NULL, 0};
		struct zl_plan_actor who = actor("zj.officer", ZJ, "2014-09-30");

		must(zl_store_plan_report_add(db, &in, &who, &ids[i], &err), &err);
	}
	must(zl_store_plan_reports(db, task, NULL, NULL, 0, 2, collect_report, &got, NULL, &err),
	     &err);
	assert_int_equal(got.n, 2);
	assert_int_equal(got.ids[0], ids[1]); /* 09-01 */
	assert_int_equal(got.ids[1], ids[2]); /* 08-15 */
	got.n = 0;
	must(zl_store_plan_reports(db, task, NULL, "2014-08-15", ids[2], 2, collect_report, &got,
				   NULL, &err),
	     &err);
	assert_int_equal(got.n, 1);
	assert_int_equal(got.ids[0], ids[0]);
	got.n = 0;
	must(zl_store_plan_reports(db, task, "confirmed", NULL, 0, 0, collect_report, &got, NULL,
				   &err),
	     &err);
	assert_int_equal(got.n, 0);
}

static void test_attachments(void **state)
{
	struct zl_db *db = *state;
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_plan_task_set set;
	struct zl_plan_attachment a;
	int64_t plan = henan(db, "2014-07-20"), task, rid = 0;
	struct zl_plan_actor zj = actor("zj.officer", ZJ, "2014-09-01");
	static const char pdf[] = "%PDF-1.4 not really\n\x00\x01\x02 binary";
	void *data = NULL;
	size_t n = 0;
	char *big;

	read_plan(db, plan, "2014-07-20", &set);
	task = task_no(&set, "15")->id;
	zl_plan_task_set_release(&set);
	{
		struct zl_plan_report_in in = {task, ZJ, "附材料", 30, NULL, NULL, 0};

		must(zl_store_plan_report_add(db, &in, &zj, &rid, &err), &err);
	}
	must(zl_store_plan_attachment_add(db, rid, "质量月活动总结.pdf", "application/pdf", pdf,
					  sizeof(pdf) - 1, &zj, &a, &err),
	     &err);
	assert_int_equal(a.size, (int64_t)sizeof(pdf) - 1);
	assert_int_equal(strlen(a.sha256), 64);
	assert_string_equal(a.name, "质量月活动总结.pdf");
	must(zl_store_plan_attachment_get(db, a.id, &a, &data, &n, &err), &err);
	assert_int_equal(n, sizeof(pdf) - 1);
	assert_memory_equal(data, pdf, n); /* byte for byte, NUL included */
	free(data);
	assert_int_equal(zl_store_plan_attachment_add(db, rid, "../x.pdf", "application/pdf", pdf,
						      4, &zj, NULL, &err),
			 ZL_EUNPROC);
	assert_string_equal(err.field, "name");
	assert_int_equal(
		zl_store_plan_attachment_add(db, rid, "x.pdf", "pdf", pdf, 4, &zj, NULL, &err),
		ZL_EUNPROC);
	assert_string_equal(err.field, "type");
	big = calloc(1, ZL_PLAN_ATTACHMENT_MAX + 1);
	assert_non_null(big);
	assert_int_equal(zl_store_plan_attachment_add(db, rid, "big.bin",
						      "application/octet-stream", big,
						      ZL_PLAN_ATTACHMENT_MAX + 1, &zj, NULL, &err),
			 ZL_ETOOBIG);
	free(big);
	/* Once decided, files are no longer added. */
	{
		struct zl_plan_actor prov = actor("prov.officer", PROV, "2014-09-02");

		must(zl_store_plan_report_decide(db, rid, 1, NULL, 0, &prov, &err), &err);
	}
	assert_int_equal(zl_store_plan_attachment_add(db, rid, "late.pdf", "application/pdf", pdf,
						      4, &zj, NULL, &err),
			 ZL_ECONFLICT);
	assert_int_equal(harness_query_int(db, "SELECT count(*) FROM plan_attachments"), 1);
}

static void test_task_update(void **state)
{
	struct zl_db *db = *state;
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_plan_task_set set;
	struct zl_plan_task_row *t;
	int64_t plan = henan(db, "2014-07-20"), task, ind0, ind1, ms0;
	struct zl_plan_actor prov = actor("prov.officer", PROV, "2014-08-01");

	read_plan(db, plan, "2014-07-20", &set);
	t = task_no(&set, "2");
	task = t->id;
	ind0 = t->indicators[0].id;
	ind1 = t->indicators[1].id;
	zl_plan_task_set_release(&set);
	read_plan(db, plan, "2014-07-20", &set);
	ms0 = task_no(&set, "1")->milestones[0].id;
	zl_plan_task_set_release(&set);

	{
		/* A value reported for the first indicator keeps it. */
		struct zl_plan_value_in v = {ind0, 70};
		struct zl_plan_report_in in = {task, ZJ, "进展", 20, NULL, &v, 1};
		struct zl_plan_actor zj = actor("zj.officer", ZJ, "2014-08-01");

		must(zl_store_plan_report_add(db, &in, &zj, NULL, &err), &err);
	}
	{
		struct zl_plan_indicator_in keep_second = {ind1, "不合格率", "%", "at_most",
							   3,	 8,	     1};
		struct zl_plan_task_change ch = {0};

		ch.set_indicators = 1;
		ch.indicators = &keep_second;
		ch.nindicators = 1;
		assert_int_equal(zl_store_plan_task_update(db, task, &ch, &prov, &err),
				 ZL_ECONFLICT);
		assert_string_equal(err.field, "indicators");
	}
	{
		/* Keep the first, change the second, add a third; a foreign id is refused. */
		struct zl_plan_indicator_in x[3] = {
			{ind0, "监督抽查覆盖率", "%", "at_least", 95, 60, 1},
			{ind1, "不合格率", "%", "at_most", 3, 8, 1},
			{0, "抽查批次", "批", NULL, 5000, 0, 0},
		};
		struct zl_plan_task_change ch = {0};

		ch.set_indicators = 1;
		ch.indicators = x;
		ch.nindicators = 3;
		x[2].id = ms0;
		assert_int_equal(zl_store_plan_task_update(db, task, &ch, &prov, &err), ZL_EUNPROC);
		assert_string_equal(err.field, "indicators[2].id");
		x[2].id = 0;
		ch.deadline = "2015-03-31";
		ch.start = "";
		must(zl_store_plan_task_update(db, task, &ch, &prov, &err), &err);
	}
	read_plan(db, plan, "2014-08-01", &set);
	t = task_no(&set, "2");
	assert_int_equal(t->nindicators, 3);
	assert_int_equal(t->indicators[0].id, ind0);
	assert_true(t->indicators[0].target == 95.0);
	assert_true(t->indicators[1].target == 3.0);
	assert_string_equal(t->indicators[2].direction, "at_least");
	assert_string_equal(t->deadline, "2015-03-31");
	assert_string_equal(t->start, "");
	zl_plan_task_set_release(&set);

	{
		/* New owners: education leads (told), the bureau stays (not told again). */
		struct zl_plan_owner_in o[2] = {{NULL, JY, "lead", NULL},
						{"质监局", NULL, "co", NULL}};
		struct zl_plan_task_change ch = {0};
		int64_t before = notes_of(db, "zj.officer", "plan.task_assigned");

		ch.set_owners = 1;
		ch.owners = o;
		ch.nowners = 2;
		must(zl_store_plan_task_update(db, task, &ch, &prov, &err), &err);
		assert_int_equal(notes_of(db, "jy.officer", "plan.task_assigned"), 2);
		assert_int_equal(notes_of(db, "zj.officer", "plan.task_assigned"), before);
		read_plan(db, plan, "2014-08-01", &set);
		t = task_no(&set, "2");
		assert_int_equal(t->nowners, 2);
		assert_string_equal(t->owners[0].name, "河南省教育厅");
		assert_string_equal(t->owners[0].source, "manual");
		assert_string_equal(t->owners[1].org, ZJ);
		zl_plan_task_set_release(&set);
	}
	{
		struct zl_plan_task_change ch = {0};

		ch.deadline = "2014-13-01";
		assert_int_equal(zl_store_plan_task_update(db, task, &ch, &prov, &err), ZL_EUNPROC);
		assert_string_equal(err.field, "deadline");
		assert_int_equal(zl_store_plan_task_update(db, 999999, &ch, &prov, &err),
				 ZL_ENOTFOUND);
	}
	/* An extra task at the end of the plan. */
	{
		struct zl_plan_owner_in o = {NULL, ZJ, "lead", NULL};
		struct zl_plan_task_in t21 = {.number = "21",
					      .section = "四",
					      .title = "补充任务",
					      .deadline = "2014-12-31",
					      .owners = &o,
					      .nowners = 1};
		int64_t id = 0;

		must(zl_store_plan_task_add(db, plan, &t21, &prov, &id, &err), &err);
		t21.section = "九";
		assert_int_equal(zl_store_plan_task_add(db, plan, &t21, &prov, NULL, &err),
				 ZL_EUNPROC);
		assert_string_equal(err.field, "section");
		read_plan(db, plan, "2014-08-01", &set);
		assert_int_equal(set.n, 7);
		assert_int_equal(set.tasks[6].id, id);
		assert_int_equal(set.tasks[6].ord, 6);
		zl_plan_task_set_release(&set);
	}
}

static void test_decompose_and_rollup(void **state)
{
	struct zl_db *db = *state;
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_plan_task_set set, local;
	struct zl_plan_task_row *t1;
	struct zl_plan_rollup ru;
	struct zl_arena a;
	int64_t plan = henan(db, "2014-07-20"), zz = 0, ly = 0, zy = 0, t1_id;
	struct zl_plan_actor zzo = actor("zz.officer", ZZ, "2014-08-01");
	struct zl_plan_actor lyo = actor("ly.officer", LY, "2014-08-01");
	static const char *const two[] = {"1", "2"};
	static const char *const bad[] = {"77"};
	struct zl_plan_decompose d = {ZZ, NULL, NULL, 0};

	must(zl_store_plan_decompose(db, plan, &d, &zzo, &zz, &err), &err);
	assert_int_equal(zl_store_plan_decompose(db, plan, &d, &zzo, NULL, &err), ZL_ECONFLICT);
	d.org = ZY; /* a district is not directly under the province */
	assert_int_equal(zl_store_plan_decompose(db, plan, &d, &zzo, NULL, &err), ZL_EUNPROC);
	assert_string_equal(err.field, "org");
	d.org = LY;
	d.numbers = bad;
	d.nnumbers = 1;
	assert_int_equal(zl_store_plan_decompose(db, plan, &d, &lyo, NULL, &err), ZL_EUNPROC);
	assert_string_equal(err.field, "numbers[0]");
	d.numbers = two;
	d.nnumbers = 2;
	d.title = "洛阳市贯彻落实方案";
	must(zl_store_plan_decompose(db, plan, &d, &lyo, &ly, &err), &err);

	read_plan(db, plan, "2014-08-01", &set);
	t1 = task_no(&set, "1");
	t1_id = t1->id;
	read_plan(db, zz, "2014-08-01", &local);
	assert_int_equal(local.n, 6);
	assert_string_equal(local.tasks[0].number, "1");
	assert_int_equal(local.tasks[0].parent_task, t1_id);
	assert_string_equal(local.tasks[0].deadline, "2014-12-31");
	assert_int_equal(local.tasks[0].nowners, 1);
	assert_string_equal(local.tasks[0].owners[0].org, ZZ);
	assert_string_equal(local.tasks[0].owners[0].role, "lead");
	assert_string_equal(local.tasks[0].owners[0].source, "decompose");
	assert_int_equal(local.tasks[0].nmilestones, 1);
	assert_string_equal(local.tasks[0].milestones[0].done_on, "");
	assert_int_equal(local.tasks[1].nindicators, 2);
	assert_false(local.tasks[1].indicators[0].has_value);
	assert_true(strncmp(local.tasks[0].lineage, t1->lineage, strlen(t1->lineage)) == 0);
	assert_string_equal(local.tasks[0].plan_title,
			    "郑州市人民政府：贯彻实施质量发展纲要2014年行动计划实施方案");
	/* 郑州 decomposed for itself: no notice to itself. */
	assert_int_equal(notes_of(db, "zz.officer", "plan.task_assigned"), 0);

	/* And on down: 中原区 from 郑州's plan. */
	d = (struct zl_plan_decompose){ZY, NULL, two, 1};
	must(zl_store_plan_decompose(db, zz, &d, &zzo, &zy, &err), &err);
	{
		struct zl_plan_info p;

		must(zl_store_plan_get(db, zy, &p, &err), &err);
		assert_int_equal(p.parent_plan, zz);
		assert_string_equal(p.org_path, "/410000/410100/410102/");
		/* One organization in front of the title, not one per level. */
		assert_string_equal(p.title, "郑州市中原区人民政府：贯彻实施质量发展纲要2014年行动计划实施方案");
	}
	/* 郑州 reports on its task 1: 60%, confirmed. */
	{
		struct zl_plan_report_in in = {local.tasks[0].id, ZZ, "进展", 60, NULL, NULL, 0};
		int64_t rid = 0;
		struct zl_plan_actor chief = actor("zz.chief", ZZ, "2014-08-02");

		must(zl_store_plan_report_add(db, &in, &zzo, &rid, &err), &err);
		must(zl_store_plan_report_decide(db, rid, 1, NULL, 0, &chief, &err), &err);
	}
	zl_plan_task_set_release(&local);

	zl_arena_init(&a, 1 << 20);
	must(zl_store_plan_rollup(db, t1, "2014-08-02", &a, &ru, &err), &err);
	assert_int_equal(ru.tasks, 3); /* 郑州's, 洛阳's, 中原区's */
	assert_int_equal(ru.progress, 60);
	assert_int_equal(ru.lights[ZL_LIGHT_GREEN] + ru.lights[ZL_LIGHT_YELLOW] +
				 ru.lights[ZL_LIGHT_RED] + ru.lights[ZL_LIGHT_DONE],
			 3);
	/* 18 cities and the ten directly administered counties. */
	assert_int_equal(ru.norgs, 28);
	for (size_t i = 0; i < ru.norgs; i++) {
		const struct zl_plan_rollup_org *o = &ru.orgs[i];

		if (strcmp(o->org, ZZ) == 0) {
			assert_true(o->decomposed);
			assert_int_equal(o->tasks, 2);
			assert_int_equal(o->progress, 60);
		} else if (strcmp(o->org, LY) == 0) {
			assert_true(o->decomposed);
			assert_int_equal(o->tasks, 1);
			assert_int_equal(o->progress, -1);
		} else {
			assert_false(o->decomposed);
			assert_int_equal(o->tasks, 0);
		}
	}
	zl_arena_release(&a);
	zl_plan_task_set_release(&set);
}

struct plan_ids {
	int n;
	int64_t ids[16];
};

static int collect_plan(void *cls, const struct zl_plan_info *p)
{
	struct plan_ids *x = cls;

	if (x->n < 16)
		x->ids[x->n++] = p->id;
	return 0;
}

static int has(const struct plan_ids *x, int64_t id)
{
	for (int i = 0; i < x->n; i++)
		if (x->ids[i] == id)
			return 1;
	return 0;
}

static void test_visibility(void **state)
{
	struct zl_db *db = *state;
	struct zl_error err = ZL_ERROR_INIT;
	int64_t prov = henan(db, "2014-07-20"), zz, ly, total = 0;
	static const char *const d[] = {"省质监局"};
	struct zl_plan_attr_in names_bureau = {d, 1, "省质监局", "lead", "stated", 0, NULL, 0};
	struct plan_ids got = {0};
	struct zl_plan_filter f = {0};
	struct zl_plan_info p;
	int visible = -1;

	zz = one_task_plan(db, ZZ, 0, &a20, "2014-07-20");	    /* names nobody known */
	ly = one_task_plan(db, LY, 0, &names_bureau, "2014-07-20"); /* names the bureau */

	f.viewer_path = ROOT_PATH;
	must(zl_store_plan_list(db, &f, 0, collect_plan, &got, &total, &err), &err);
	assert_int_equal(total, 3);
	assert_int_equal(got.ids[0], ly); /* newest first */

	got.n = 0;
	f.viewer_path = ZZ_PATH;
	must(zl_store_plan_list(db, &f, 0, collect_plan, &got, &total, &err), &err);
	assert_int_equal(total, 2);
	assert_true(has(&got, prov) && has(&got, zz) && !has(&got, ly));

	got.n = 0;
	f.viewer_path = ZJ_PATH; /* the bureau: the province's, and 洛阳's that names it */
	must(zl_store_plan_list(db, &f, 0, collect_plan, &got, &total, &err), &err);
	assert_int_equal(total, 2);
	assert_true(has(&got, prov) && has(&got, ly) && !has(&got, zz));

	/* The same answer one plan at a time. */
	must(zl_store_plan_get(db, ly, &p, &err), &err);
	must(zl_store_plan_visible(db, &p, ZZ_PATH, &visible, &err), &err);
	assert_false(visible);
	must(zl_store_plan_visible(db, &p, ZJ_PATH, &visible, &err), &err);
	assert_true(visible);
	must(zl_store_plan_visible(db, &p, "/410000/410300/410302/", &visible, &err), &err);
	assert_true(visible);

	/* Filters and the cursor. */
	got.n = 0;
	f.viewer_path = ROOT_PATH;
	f.top_only = 1;
	f.q = "2014年";
	must(zl_store_plan_list(db, &f, 0, collect_plan, &got, &total, &err), &err);
	assert_int_equal(total, 1);
	assert_int_equal(got.ids[0], prov);
	got.n = 0;
	f.q = NULL;
	f.top_only = 0;
	f.before = ly;
	must(zl_store_plan_list(db, &f, 1, collect_plan, &got, &total, &err), &err);
	assert_int_equal(total, 3);
	assert_int_equal(got.n, 1);
	assert_int_equal(got.ids[0], zz);
	got.n = 0;
	f.before = 0;
	f.org = LY;
	must(zl_store_plan_list(db, &f, 0, collect_plan, &got, &total, &err), &err);
	assert_int_equal(total, 1);
}

static void test_task_lists(void **state)
{
	struct zl_db *db = *state;
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_plan_task_set set;
	struct zl_plan_task_filter f = {0};

	henan(db, "2014-07-20");
	f.owner_org = ZJ;
	zl_plan_task_set_init(&set);
	must(zl_store_plan_tasks(db, &f, "2014-07-20", &set, &err), &err);
	assert_int_equal(set.n, 4); /* 1, 2, 15, 19 */
	zl_plan_task_set_release(&set);
	f.role = "lead";
	must(zl_store_plan_tasks(db, &f, "2014-07-20", &set, &err), &err);
	assert_int_equal(set.n, 1); /* 15 */
	assert_string_equal(set.tasks[0].number, "15");
	zl_plan_task_set_release(&set);
	memset(&f, 0, sizeof(f));
	f.owner_within = ROOT_PATH;
	f.role = "shared";
	must(zl_store_plan_tasks(db, &f, "2014-07-20", &set, &err), &err);
	assert_int_equal(set.n, 1); /* 2 */
	zl_plan_task_set_release(&set);
	memset(&f, 0, sizeof(f));
	assert_int_equal(zl_store_plan_tasks(db, &f, "2014-07-20", &set, &err), ZL_EINTERNAL);
	assert_int_equal(zl_store_plan_task_get(db, 424242, "2014-07-20", &set, &err),
			 ZL_ENOTFOUND);
}

struct note_list {
	int n;
	int64_t ids[64];
	char kinds[64][32];
};

static int collect_note(void *cls, const struct zl_note *n)
{
	struct note_list *x = cls;

	if (x->n < 64) {
		x->ids[x->n] = n->id;
		zl_strlcpy(x->kinds[x->n], n->kind, sizeof(x->kinds[0]));
		x->n++;
	}
	return 0;
}

static void test_notifications(void **state)
{
	struct zl_db *db = *state;
	struct zl_error err = ZL_ERROR_INIT;
	struct note_list l = {0};
	int64_t total = 0, unread = 0, changed = 0;
	struct zl_plan_refresh_stats st;

	henan(db, "2014-12-20"); /* the tasks with a deadline are due within 14 days */
	must(zl_store_notifications(db, "zj.officer", 0, 0, 0, collect_note, &l, &total, &unread,
				    &err),
	     &err);
	/* Four assignments, due-soon (1, 2, 15: 19 has no deadline) and lights. */
	assert_int_equal(total, l.n);
	assert_int_equal(unread, total);
	assert_int_equal(notes_of(db, "zj.officer", "plan.task_due_soon"), 3);
	for (int i = 1; i < l.n; i++)
		assert_true(l.ids[i] < l.ids[i - 1]);
	/* Reading: only one's own. */
	must(zl_store_notifications_read(db, "sp.officer", l.ids, 2, 0, NULL, &changed, &err),
	     &err);
	assert_int_equal(changed, 0);
	must(zl_store_notifications_read(db, "zj.officer", l.ids, 2, 0, NULL, &changed, &err),
	     &err);
	assert_int_equal(changed, 2);
	must(zl_store_notifications(db, "zj.officer", 1, 0, 0, NULL, NULL, &total, &unread, &err),
	     &err);
	assert_int_equal(total, l.n - 2);
	assert_int_equal(unread, l.n - 2);
	/* Paging: below an id. */
	{
		struct note_list p = {0};

		must(zl_store_notifications(db, "zj.officer", 0, l.ids[1], 1, collect_note, &p,
					    NULL, NULL, &err),
		     &err);
		assert_int_equal(p.n, 1);
		assert_int_equal(p.ids[0], l.ids[2]);
	}
	must(zl_store_notifications_read(db, "zj.officer", NULL, 0, 1, NULL, &changed, &err), &err);
	assert_int_equal(changed, l.n - 2);
	/* The new year: overdue; red notices once. */
	must(zl_store_plan_refresh(db, "2015-01-05", &st, &err), &err);
	assert_int_equal(notes_of(db, "zj.officer", "plan.task_red"), 3);
	must(zl_store_plan_refresh(db, "2015-01-06", &st, &err), &err);
	assert_int_equal(notes_of(db, "zj.officer", "plan.task_red"), 3);
}

static void test_demo(void **state)
{
	struct zl_db *db = *state;
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_plan_task_set set;
	struct zl_plan_task_row *t;
	int64_t lights[4] = {0};
	struct plan_ids got = {0};
	struct zl_plan_filter f = {.viewer_path = ROOT_PATH};
	struct names un = {0};

	must(zl_store_demo_plans(db, "2026-03-01", &err), &err);
	must(zl_store_plan_list(db, &f, 0, collect_plan, &got, NULL, &err), &err);
	assert_int_equal(got.n, 7); /* the province, five cities, one district */
	/* The provincial plan: the checks on the structure. */
	read_plan(db, got.ids[got.n - 1], "2026-03-01", &set);
	assert_int_equal(set.n, 18);
	t = task_no(&set, "1");
	assert_string_equal(t->owners[0].org, SP);
	assert_string_equal(t->owners[0].role, "lead");
	assert_string_equal(task_no(&set, "2")->owners[0].role, "shared");
	assert_string_equal(task_no(&set, "18")->owners[0].org, GROUP);
	for (size_t i = 0; i < set.n; i++) {
		lights[set.tasks[i].light.light]++;
		for (size_t k = 0; k < set.tasks[i].nowners; k++)
			assert_true(set.tasks[i].owners[k].org[0] != '\0');
	}
	/* Every colour shows. */
	for (int l = 0; l < 4; l++)
		assert_true(lights[l] > 0);
	zl_plan_task_set_release(&set);
	must(zl_store_plan_unresolved(db, got.ids[got.n - 1], collect_unresolved, &un, NULL, &err),
	     &err);
	assert_int_equal(un.n, 0);
	/* Again: nothing changes. */
	must(zl_store_demo_plans(db, "2026-03-02", &err), &err);
	assert_int_equal(harness_query_int(db, "SELECT count(*) FROM plans"), 7);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup_db, teardown_db)
	const struct CMUnitTest tests[] = {
		T(test_create_from_attributions),
		T(test_refusals_name_the_field),
		T(test_resolution_is_scoped),
		T(test_map_name),
		T(test_lights_stored_with_hysteresis),
		T(test_reports),
		T(test_report_paging),
		T(test_attachments),
		T(test_task_update),
		T(test_decompose_and_rollup),
		T(test_visibility),
		T(test_task_lists),
		T(test_notifications),
		T(test_demo),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
