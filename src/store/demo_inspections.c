/*
 * demo_inspections.c - the demonstration draws and inspections of
 * `init --demo` (store/demo.h): in the province's 2014 plan, a draw of
 * cement makers (0401) in 郑州 and 洛阳, committed and drawn, its draw of
 * inspectors committed and drawn, and the inspections it made carried to
 * different points of their lifecycle in 2014 - a failure under
 * rectification, a pass closed, an objection awaiting the re-test, a
 * sample at the laboratory, the rest planned.  A few enterprises get a
 * class of classified supervision (so the weights differ), an inspector a
 * declared conflict, and the failed enterprise an organization of its own
 * (for an enterprise account, which the command adds).  The seeds are
 * derived from fixed text, so every demo database draws the same; a real
 * draw takes its seed from libsodium (http/draws.c).  Written through the
 * store's own functions in one transaction; run again, it changes nothing.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "codes/workdays.h"
#include "core/rand.h"
#include "store/demo.h"
#include "store/draws.h"
#include "store/inspections.h"
#include "store/orgs.h"
#include "store/query.h"

#define PROV_TITLE "2014年河南省产品质量监督抽查计划"
#define N(a) (sizeof(a) / sizeof((a)[0]))

static void demo_seed(const char *text, unsigned char seed[ZL_DRAW_SEED_BYTES])
{
	struct zl_rng rng;

	zl_rng_seed_str(&rng, text);
	zl_rng_bytes(&rng, seed, ZL_DRAW_SEED_BYTES);
	zl_rng_release(&rng);
}

/* The first `n` operating cement makers (division 30) of `prefix`, by USCC, into out. */
static int makers(struct zl_db *db, const char *lo, const char *hi, char out[][24], size_t n,
		  size_t *got, struct zl_error *err)
{
	struct zl_stmt *st;
	int rc = zl_db_prepare(db,
			       "SELECT uscc FROM enterprises WHERE status = 'operating'"
			       " AND industry = '30' AND region >= ? AND region < ? ORDER BY uscc",
			       &st, err);

	*got = 0;
	if (rc != ZL_OK)
		return rc;
	zl_stmt_bind_text(st, 1, lo, -1);
	zl_stmt_bind_text(st, 2, hi, -1);
	while (*got < n && (rc = zl_stmt_step(st, err)) == ZL_DB_ROW)
		zl_store_col_text(st, 0, out[(*got)++], 24);
	zl_stmt_reset(st);
	return rc < 0 ? rc : ZL_OK;
}

/* Classes and a declared conflict, before the draws read them. */
static int inputs(struct zl_db *db, const struct zl_plan_actor *who, struct zl_error *err)
{
	static const char *const classes[] = {"AA", "A", "C", "C"};
	char zz[4][24], ly[4][24];
	size_t nzz = 0, nly = 0;
	int rc;

	if ((rc = makers(db, "4101", "4102", zz, N(zz), &nzz, err)) ||
	    (rc = makers(db, "4103", "4104", ly, N(ly), &nly, err)))
		return rc;
	for (size_t i = 0; i < nzz && rc == ZL_OK; i++)
		rc = zl_store_ent_class_set(db, zz[i], classes[i], "2014-01-15", "演示数据", who, err);
	for (size_t i = 0; i < nly && rc == ZL_OK; i++)
		rc = zl_store_ent_class_set(db, ly[i], classes[N(classes) - 1 - i], "2014-01-15",
					    "演示数据", who, err);
	if (rc == ZL_OK && nzz > 0)
		rc = zl_store_conflict_declare(db, "demo.insp.zj1", zz[0], "亲属在该企业任职（演示）", who,
					       err);
	return rc;
}

/* One step of the demo: `event` by `role` on `date`, the rest from `ev`. */
static int step(struct zl_db *db, int64_t id, struct zl_insp_event ev, const char *event,
		enum zl_insp_role role, const char *date, const struct zl_insp_env *env,
		const struct zl_plan_actor *who, struct zl_error *err)
{
	struct zl_insp_step st;

	memset(&st, 0, sizeof(st));
	if (zl_insp_event_parse(event, &ev.event) != ZL_OK)
		return zl_error_set(err, ZL_EINTERNAL, "event", "demo: no event %s", event);
	ev.role = role;
	ev.date = date;
	st.ev = ev;
	return zl_store_insp_apply(db, id, &st, env, who, NULL, err);
}

static const struct zl_insp_sampling sampling = {
	"production", "P.O42.5-20140402", "2014-04-02", "P·O 42.5 袋装50kg", "演示牌", 2, 2, 1,
	"豫质抽封-0001", 1};

/* The report of a cement sample: compressive strength fails when `fail`. */
static void report(struct zl_insp_event *ev, struct zl_insp_item items[3], int fail)
{
	items[0] = (struct zl_insp_item){"3d抗压强度", fail ? "15.2" : "21.6", "≥17.0", "MPa",
					 fail ? ZL_INSP_FAIL : ZL_INSP_PASS};
	items[1] = (struct zl_insp_item){"28d抗压强度", "45.1", "≥42.5", "MPa", ZL_INSP_PASS};
	items[2] = (struct zl_insp_item){"氯离子", "0.031", "≤0.06", "%", ZL_INSP_PASS};
	ev->items = items;
	ev->nitems = 3;
	ev->conclusion = fail ? ZL_INSP_FAIL : ZL_INSP_PASS;
}

/* Sample, test, notify and hand over the result of inspection `id`. */
static int tested(struct zl_db *db, int64_t id, int fail, const char *no,
		  const struct zl_insp_env *env, const struct zl_plan_actor *who,
		  struct zl_error *err)
{
	static const unsigned char photo[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
	struct zl_insp_item items[3];
	struct zl_insp_event ev;
	int rc;

	memset(&ev, 0, sizeof(ev));
	ev.sampling = &sampling;
	rc = zl_store_insp_attachment_add(db, id, "photo", "抽样现场.png", "image/png", photo,
					  sizeof(photo), who, NULL, err);
	if (rc == ZL_OK)
		rc = step(db, id, ev, "record_sampling", ZL_INSP_ROLE_INSPECTOR, "2014-04-10", env,
			  who, err);
	memset(&ev, 0, sizeof(ev));
	ev.doc_no = no;
	report(&ev, items, fail);
	if (rc == ZL_OK && no != NULL)
		rc = step(db, id, ev, "enter_report", ZL_INSP_ROLE_LAB, "2014-04-21", env, who, err);
	memset(&ev, 0, sizeof(ev));
	if (rc == ZL_OK && no != NULL)
		rc = step(db, id, ev, "notify", ZL_INSP_ROLE_OFFICER, "2014-04-23", env, who, err);
	if (rc == ZL_OK && no != NULL)
		rc = step(db, id, ev, "receive", ZL_INSP_ROLE_OFFICER, "2014-04-24", env, who, err);
	return rc;
}

/* Carry the inspections to their points: failed under rectification, passed, objected,
 * sampled; the rest stay planned. */
static int lifecycles(struct zl_db *db, const int64_t *ids, size_t n, const char *today,
		      const struct zl_plan_actor *who, struct zl_error *err)
{
	static const size_t contested[] = {0};
	struct zl_workdays wd;
	struct zl_insp_env env = {&wd, today, NULL};
	struct zl_insp_event ev;
	int rc = zl_workdays_init(&wd, err);

	if (rc != ZL_OK || n < 4)
		return rc;
	/* 1: failed, the failure final, under rectification. */
	rc = tested(db, ids[0], 1, "豫质检(2014)水泥-001", &env, who, err);
	memset(&ev, 0, sizeof(ev));
	if (rc == ZL_OK)
		rc = step(db, ids[0], ev, "finalize", ZL_INSP_ROLE_OFFICER, "2014-05-12", &env, who,
			  err);
	ev.doc_no = "豫质监责改〔2014〕12号";
	ev.received_on = "2014-05-15";
	if (rc == ZL_OK)
		rc = step(db, ids[0], ev, "order_rectification", ZL_INSP_ROLE_OFFICER, "2014-05-14",
			  &env, who, err);
	/* 2: passed and closed. */
	memset(&ev, 0, sizeof(ev));
	if (rc == ZL_OK)
		rc = tested(db, ids[1], 0, "豫质检(2014)水泥-002", &env, who, err);
	if (rc == ZL_OK)
		rc = step(db, ids[1], ev, "close", ZL_INSP_ROLE_OFFICER, "2014-05-12", &env, who,
			  err);
	/* 3: failed, an objection filed: the re-test is due. */
	if (rc == ZL_OK)
		rc = tested(db, ids[2], 1, "豫质检(2014)水泥-003", &env, who, err);
	ev.contested = contested;
	ev.ncontested = N(contested);
	if (rc == ZL_OK)
		rc = step(db, ids[2], ev, "object", ZL_INSP_ROLE_ENTERPRISE, "2014-04-30", &env, who,
			  err);
	/* 4: sampled, at the laboratory. */
	if (rc == ZL_OK)
		rc = tested(db, ids[3], 0, NULL, &env, who, err);
	return rc;
}

/* The failed enterprise's own organization, under its county, for an enterprise account. */
static int enterprise_org(struct zl_db *db, int64_t id, char uscc[24], struct zl_error *err)
{
	struct zl_insp_set s;
	struct zl_org o;
	int rc;

	zl_insp_set_init(&s);
	rc = zl_store_insp_get(db, id, &s, err);
	if (rc == ZL_OK) {
		memset(&o, 0, sizeof(o));
		zl_strlcpy(uscc, s.v[0].uscc, 24);
		zl_strlcpy(o.code, s.v[0].uscc, sizeof(o.code));
		zl_strlcpy(o.kind, "enterprise", sizeof(o.kind));
		zl_strlcpy(o.name, s.v[0].enterprise_name, sizeof(o.name));
		zl_strlcpy(o.parent, s.v[0].county[0] ? s.v[0].county : s.v[0].region,
			   sizeof(o.parent));
		zl_strlcpy(o.region, s.v[0].county, sizeof(o.region));
		zl_strlcpy(o.valid_from, "2014-01-01", sizeof(o.valid_from));
		rc = zl_store_org_create(db, &o, NULL, 0, err);
		if (rc == ZL_EUNPROC) {
			/* Its county is no organization of the tree: under the quota's region. */
			zl_error_clear(err);
			zl_strlcpy(o.parent, s.v[0].region, sizeof(o.parent));
			rc = zl_store_org_create(db, &o, NULL, 0, err);
		}
	}
	zl_insp_set_release(&s);
	return rc;
}

int zl_store_demo_inspections(struct zl_db *db, const char *today, char enterprise[24],
			      struct zl_error *err)
{
	static const char *const regions[] = {"410100", "410300"};
	struct zl_plan_actor who = {"demo.zj.planner", "410000-D006", "", today, NULL};
	unsigned char seed[ZL_DRAW_SEED_BYTES];
	struct zl_draw_new in;
	struct zl_sc_draw_set ds;
	int64_t plan = 0, draws = 0, sel = 0, ins = 0;
	int rc;

	enterprise[0] = '\0';
	rc = zl_store_int_by_key(db, "SELECT COALESCE(MAX(id), 0) FROM spotcheck_plans WHERE"
				     " title = ?",
				 PROV_TITLE, &plan, err);
	if (rc != ZL_OK || plan == 0)
		return rc;
	rc = zl_store_int_by_id(db, "SELECT count(*) FROM spotcheck_draws WHERE plan_id = ?", plan,
				&draws, err);
	if (rc != ZL_OK || draws > 0)
		return rc;
	zl_sc_draw_set_init(&ds);
	if ((rc = zl_db_begin(db, err)))
		goto done;
	memset(&in, 0, sizeof(in));
	in.plan_id = plan;
	in.product = "0401";
	in.regions = regions;
	in.nregions = N(regions);
	demo_seed("zhiliang demo draw: cement 2014", seed);
	if ((rc = inputs(db, &who, err)) ||
	    (rc = zl_store_draw_publish(db, &in, seed, &who, &sel, err)) ||
	    (rc = zl_store_draw_make(db, sel, &who, err)))
		goto out;
	demo_seed("zhiliang demo draw: cement 2014, inspectors", seed);
	if ((rc = zl_store_draw_publish_inspectors(db, sel, seed, &who, &ins, err)) ||
	    (rc = zl_store_draw_make(db, ins, &who, err)) ||
	    (rc = zl_store_draw_get(db, sel, &ds, err)) ||
	    (rc = lifecycles(db, ds.v[0].inspections, ds.v[0].ninspections, today, &who, err)))
		goto out;
	if (ds.v[0].ninspections > 0)
		rc = enterprise_org(db, ds.v[0].inspections[0], enterprise, err);
out:
	if (rc == ZL_OK)
		rc = zl_db_commit(db, err);
	else
		zl_db_rollback(db);
done:
	zl_sc_draw_set_release(&ds);
	return rc;
}
