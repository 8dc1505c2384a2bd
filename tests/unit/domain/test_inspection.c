/*
 * test_inspection.c - the spot-check state machine (domain/inspection.h): every (state,
 * event) pair outside the table refused; every row of the table taken with its guard
 * satisfied, and refused with it violated (wrong role, bad or out-of-order date, and the
 * row's own guard); the deadlines across National Day and the Spring Festival; a full
 * failure path with an extension to closed, and a full pass path; the task lists; the
 * table's own consistency (reachability, credit kinds, names); and docs/inspections.md
 * against the table (ZL_INSP_WRITE_DOCS=1 rewrites its generated part: review the diff).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codes/workdays.h"
#include "core/buf.h"
#include "core/jw.h"
#include "core/timeutil.h"
#include "domain/credit.h"
#include "domain/inspection.h"

#define TODAY "2015-06-30"
#define TOMORROW "2015-07-01"

static struct zl_workdays cal;

static int setup(void **state)
{
	struct zl_error err = ZL_ERROR_INIT;

	(void)state;
	if (zl_workdays_init(&cal, &err) != ZL_OK) {
		fprintf(stderr, "zl_workdays_init: %s\n", err.message);
		return -1;
	}
	return 0;
}

static struct zl_insp_env env_at(const char *today)
{
	struct zl_insp_env e = {&cal, today, NULL};

	return e;
}

static const char *day_plus(const char *date, int days, char out[16])
{
	int64_t d;

	if (zl_date_parse(date, &d) != ZL_OK)
		return date; /* a malformed date stays malformed */
	return zl_date_format(d + days, out);
}

/* ---- event payloads -------------------------------------------------------------------- */

/* Changes to an event's good payload, each breaking one guard. */
enum mod {
	M_NONE,
	M_ONE_SAMPLER,
	M_DUP_SAMPLER,
	M_EMPTY_SAMPLER,
	M_NO_SAMPLING,
	M_BAD_PLACE,
	M_NO_BATCH,
	M_NO_SPEC,
	M_BLANK_TRADEMARK,
	M_MADE_AFTER,
	M_MADE_BAD,
	M_NO_SAMPLE_QTY,
	M_NO_BACKUP,
	M_UNSEALED,
	M_NO_SEAL,
	M_NO_PHOTOS,
	M_NO_REASON,
	M_NULL_REASON,
	M_NO_DOC,
	M_NO_ITEMS,
	M_TOO_MANY_ITEMS,
	M_ITEM_NO_VERDICT,
	M_ITEM_DUP_NAME,
	M_ITEM_NO_MEASURED,
	M_ITEM_NO_LIMIT,
	M_CONCLUSION_PASS,
	M_CONCLUSION_NONE,
	M_PASS_REPORT,
	M_PASS_ITEMS_FAIL_CONCLUSION,
	M_CONTEST_PASSED,
	M_CONTEST_TWICE,
	M_CONTEST_NONE,
	M_CONTEST_OUT,
	M_CONTEST_ONE,
	M_VERDICTS_ALL_PASS,
	M_VERDICTS_ONE_FAIL,
	M_VERDICTS_MISSING_ONE,
	M_VERDICT_NONE,
	M_RETEST_UNCONTESTED,
	M_RETEST_TWICE,
	M_RECEIVED_BEFORE,
	M_RECEIVED_BAD,
	M_RECEIVED_FUTURE,
	M_DAYS_0,
	M_DAYS_31,
	M_DAYS_11,
	M_LEVEL_CITY,
	M_LEVEL_BAD,
	M_UNTIL_BEFORE,
	M_UNTIL_BAD,
};

static const char *samplers2[] = {"张伟", "李娜"};
static const char *samplers_dup[] = {"张伟", "张伟"};
static const char *samplers_empty[] = {"张伟", " "};
static struct zl_insp_sampling sampling;
static struct zl_insp_item items[ZL_INSP_ITEMS_MAX + 1];
static size_t contested[4];
static enum zl_insp_verdict verdicts[4];
static char received_buf[16], until_buf[16];

static void good_sampling(void)
{
	sampling.place = "production";
	sampling.batch = "20140901";
	sampling.production_date = "2014-09-01";
	sampling.spec = "BCD-215";
	sampling.trademark = "美的";
	sampling.sample_qty = 4;
	sampling.backup_qty = 4;
	sampling.backup_sealed = 1;
	sampling.seal_no = "FZ-0001";
	sampling.photos = 3;
}

/* Four items: 0 and 3 pass, 1 and 2 fail (or all pass). */
static void good_items(int all_pass)
{
	static const char *const names[] = {"标志和说明", "泄漏电流", "接地措施", "输入功率"};

	memset(items, 0, sizeof(items));
	for (int i = 0; i < 4; i++) {
		items[i].name = names[i];
		items[i].measured = i == 1 ? "0.9" : "符合";
		items[i].limit = i == 1 ? "≤0.75" : "GB 4706.1-2005";
		items[i].unit = i == 1 ? "mA" : "";
		items[i].verdict = !all_pass && (i == 1 || i == 2) ? ZL_INSP_FAIL : ZL_INSP_PASS;
	}
}

/* A good event `e` on `date` by `role`, changed by `mod`. */
static void fill(struct zl_insp_event *ev, enum zl_insp_event_id e, enum zl_insp_role role,
		 const char *date, enum mod mod)
{
	memset(ev, 0, sizeof(*ev));
	ev->event = e;
	ev->role = role;
	ev->date = date;
	good_sampling();
	good_items(0);
	switch (e) {
	case ZL_INSP_EV_RECORD_SAMPLING:
	case ZL_INSP_EV_REFUSE_SAMPLING:
		ev->samplers = samplers2;
		ev->nsamplers = 2;
		ev->sampling = e == ZL_INSP_EV_RECORD_SAMPLING ? &sampling : NULL;
		ev->reason =
			e == ZL_INSP_EV_REFUSE_SAMPLING ? "负责人拒绝抽样，未在抽样单上签字" : NULL;
		break;
	case ZL_INSP_EV_ENTER_REPORT:
	case ZL_INSP_EV_AMEND_REPORT:
		ev->doc_no = "(2014)豫质检字第0917号";
		ev->items = items;
		ev->nitems = 4;
		ev->conclusion = ZL_INSP_FAIL;
		break;
	case ZL_INSP_EV_OBJECT:
		contested[0] = 1;
		contested[1] = 2;
		ev->contested = contested;
		ev->ncontested = 2;
		break;
	case ZL_INSP_EV_RETEST_UPHELD:
	case ZL_INSP_EV_RETEST_OVERTURNED:
		ev->doc_no = "(2014)豫质检复字第0031号";
		contested[0] = 1;
		contested[1] = 2;
		verdicts[0] = e == ZL_INSP_EV_RETEST_UPHELD ? ZL_INSP_FAIL : ZL_INSP_PASS;
		verdicts[1] = ZL_INSP_PASS;
		ev->contested = contested;
		ev->verdicts = verdicts;
		ev->ncontested = 2;
		break;
	case ZL_INSP_EV_ORDER_RECTIFICATION:
		ev->doc_no = "豫质监整字〔2014〕12号";
		ev->received_on = day_plus(date, 1, received_buf);
		break;
	case ZL_INSP_EV_REQUEST_EXTENSION:
	case ZL_INSP_EV_GRANT_EXTENSION:
		ev->days = 10;
		break;
	case ZL_INSP_EV_ANNOUNCE:
		ev->level = ZL_INSP_LEVEL_PROVINCE;
		break;
	case ZL_INSP_EV_SUSPEND:
		ev->level = ZL_INSP_LEVEL_PROVINCE;
		ev->until = day_plus(date, 60, until_buf);
		break;
	case ZL_INSP_EV_SAMPLE_UNUSABLE:
	case ZL_INSP_EV_REJECT_OBJECTION:
	case ZL_INSP_EV_REFUSE_EXTENSION:
	case ZL_INSP_EV_EXEMPT:
	case ZL_INSP_EV_CANCEL:
		ev->reason = "见附件说明";
		break;
	default:
		break;
	}
	switch (mod) {
	case M_NONE:
		break;
	case M_ONE_SAMPLER:
		ev->nsamplers = 1;
		break;
	case M_DUP_SAMPLER:
		ev->samplers = samplers_dup;
		break;
	case M_EMPTY_SAMPLER:
		ev->samplers = samplers_empty;
		break;
	case M_NO_SAMPLING:
		ev->sampling = NULL;
		break;
	case M_BAD_PLACE:
		sampling.place = "warehouse";
		break;
	case M_NO_BATCH:
		sampling.batch = "";
		break;
	case M_NO_SPEC:
		sampling.spec = NULL;
		break;
	case M_BLANK_TRADEMARK:
		sampling.trademark = "  ";
		break;
	case M_MADE_AFTER:
		sampling.production_date = "2014-09-11";
		break;
	case M_MADE_BAD:
		sampling.production_date = "2014/09/01";
		break;
	case M_NO_SAMPLE_QTY:
		sampling.sample_qty = 0;
		break;
	case M_NO_BACKUP:
		sampling.backup_qty = 0;
		break;
	case M_UNSEALED:
		sampling.backup_sealed = 0;
		break;
	case M_NO_SEAL:
		sampling.seal_no = "";
		break;
	case M_NO_PHOTOS:
		sampling.photos = 0;
		break;
	case M_NO_REASON:
		ev->reason = "";
		break;
	case M_NULL_REASON:
		ev->reason = NULL;
		break;
	case M_NO_DOC:
		ev->doc_no = "";
		break;
	case M_NO_ITEMS:
		ev->nitems = 0;
		break;
	case M_TOO_MANY_ITEMS:
		ev->nitems = ZL_INSP_ITEMS_MAX + 1;
		break;
	case M_ITEM_NO_VERDICT:
		items[2].verdict = ZL_INSP_NO_VERDICT;
		break;
	case M_ITEM_DUP_NAME:
		items[3].name = items[0].name;
		break;
	case M_ITEM_NO_MEASURED:
		items[0].measured = "";
		break;
	case M_ITEM_NO_LIMIT:
		items[1].limit = NULL;
		break;
	case M_CONCLUSION_PASS:
		ev->conclusion = ZL_INSP_PASS;
		break;
	case M_CONCLUSION_NONE:
		ev->conclusion = ZL_INSP_NO_VERDICT;
		break;
	case M_PASS_REPORT:
		good_items(1);
		ev->conclusion = ZL_INSP_PASS;
		break;
	case M_PASS_ITEMS_FAIL_CONCLUSION:
		good_items(1);
		break;
	case M_CONTEST_PASSED:
		contested[0] = 0;
		break;
	case M_CONTEST_TWICE:
		contested[1] = 1;
		break;
	case M_CONTEST_NONE:
		ev->ncontested = 0;
		break;
	case M_CONTEST_OUT:
		contested[0] = 4;
		break;
	case M_CONTEST_ONE:
		ev->ncontested = 1;
		break;
	case M_VERDICTS_ALL_PASS:
		verdicts[0] = verdicts[1] = ZL_INSP_PASS;
		break;
	case M_VERDICTS_ONE_FAIL:
		verdicts[0] = ZL_INSP_FAIL;
		break;
	case M_VERDICTS_MISSING_ONE:
		ev->ncontested = 1;
		break;
	case M_VERDICT_NONE:
		verdicts[0] = ZL_INSP_NO_VERDICT;
		break;
	case M_RETEST_UNCONTESTED:
		contested[0] = 0;
		break;
	case M_RETEST_TWICE:
		contested[1] = 1;
		break;
	case M_RECEIVED_BEFORE:
		ev->received_on = day_plus(date, -1, received_buf);
		break;
	case M_RECEIVED_BAD:
		ev->received_on = "2014-10-32";
		break;
	case M_RECEIVED_FUTURE:
		ev->received_on = TOMORROW;
		break;
	case M_DAYS_0:
		ev->days = 0;
		break;
	case M_DAYS_31:
		ev->days = 31;
		break;
	case M_DAYS_11:
		ev->days = 11;
		break;
	case M_LEVEL_CITY:
		ev->level = ZL_INSP_LEVEL_CITY;
		break;
	case M_LEVEL_BAD:
		ev->level = (enum zl_insp_level)9;
		break;
	case M_UNTIL_BEFORE:
		ev->until = date;
		break;
	case M_UNTIL_BAD:
		ev->until = "";
		break;
	}
}

/* ---- fixtures: records reached by a chain of good events --------------------------------- */

enum fx {
	FX_PLANNED,
	FX_REFUSED,
	FX_WARNED,
	FX_REFUSED_AGAIN,
	FX_DEEMED,
	FX_SAMPLED,
	FX_UNTESTABLE,
	FX_TESTED,
	FX_TESTED_PASS,
	FX_NOTIFIED,
	FX_NOTIFIED_PASS,
	FX_WINDOW,
	FX_WINDOW_PASS,
	FX_RETEST,
	FX_FAILED,
	FX_FAILED_RETURNED,
	FX_RECTIFYING,
	FX_REQUESTED,
	FX_EXTENDED,
	FX_FOLLOW_UP,
	FX_UNCORRECTED,
	FX_ANNOUNCED,
	FX_UNCORRECTED1,
	FX_SUSPENDED,
	FX_UNCORRECTED2,
	FX_CLOSED,
	FX_CANCELLED,
	/* The same after an objection: nothing to return as uncontested. */
	FX_FAILED_R,
	FX_RECTIFYING_R,
	FX_FOLLOW_UP_R,
	FX_UNCORRECTED_R,
	FX_ANNOUNCED_R,
	FX_UNCORRECTED1_R,
	FX_SUSPENDED_R,
	FX_CLOSED_R,
	FX_COUNT
};

struct fx_step {
	int parent; /* -1: a new record */
	enum zl_insp_event_id event;
	enum zl_insp_role role;
	const char *date;
	enum mod mod;
};

#define EV(x) ZL_INSP_EV_##x
#define R(x) ZL_INSP_ROLE_##x
static const struct fx_step fx_steps[FX_COUNT] = {
	[FX_PLANNED] = {-1, 0, 0, NULL, M_NONE},
	[FX_REFUSED] = {FX_PLANNED, EV(REFUSE_SAMPLING), R(INSPECTOR), "2014-09-10", M_NONE},
	[FX_WARNED] = {FX_REFUSED, EV(WARN), R(OFFICER), "2014-09-11", M_NONE},
	[FX_REFUSED_AGAIN] = {FX_WARNED, EV(REFUSE_SAMPLING), R(INSPECTOR), "2014-09-12", M_NONE},
	[FX_DEEMED] = {FX_REFUSED_AGAIN, EV(DEEM_FAILED), R(OFFICER), "2014-09-15", M_NONE},
	[FX_SAMPLED] = {FX_PLANNED, EV(RECORD_SAMPLING), R(INSPECTOR), "2014-09-10", M_NONE},
	[FX_UNTESTABLE] = {FX_SAMPLED, EV(SAMPLE_UNUSABLE), R(LAB), "2014-09-15", M_NONE},
	[FX_TESTED] = {FX_SAMPLED, EV(ENTER_REPORT), R(LAB), "2014-09-26", M_NONE},
	[FX_TESTED_PASS] = {FX_SAMPLED, EV(ENTER_REPORT), R(LAB), "2014-09-26", M_PASS_REPORT},
	[FX_NOTIFIED] = {FX_TESTED, EV(NOTIFY), R(OFFICER), "2014-09-29", M_NONE},
	[FX_NOTIFIED_PASS] = {FX_TESTED_PASS, EV(NOTIFY), R(LAB), "2014-09-29", M_NONE},
	/* Received 2014-09-30: the objection period runs until 2014-10-15. */
	[FX_WINDOW] = {FX_NOTIFIED, EV(RECEIVE), R(ENTERPRISE), "2014-09-30", M_NONE},
	[FX_WINDOW_PASS] = {FX_NOTIFIED_PASS, EV(RECEIVE), R(OFFICER), "2014-09-30", M_NONE},
	[FX_RETEST] = {FX_WINDOW, EV(OBJECT), R(ENTERPRISE), "2014-10-10", M_NONE},
	[FX_FAILED] = {FX_WINDOW, EV(FINALIZE), R(SYSTEM), "2014-10-16", M_NONE},
	[FX_FAILED_RETURNED] = {FX_FAILED, EV(RETURN_SAMPLES), R(LAB), "2014-10-17", M_NONE},
	/* Order received 2014-10-21: rectify by 2014-11-20, ask for more by 2014-11-15. */
	[FX_RECTIFYING] = {FX_FAILED, EV(ORDER_RECTIFICATION), R(OFFICER), "2014-10-20", M_NONE},
	[FX_REQUESTED] = {FX_RECTIFYING, EV(REQUEST_EXTENSION), R(ENTERPRISE), "2014-11-10",
			  M_NONE},
	/* 10 more days: 2014-11-30, a Sunday, so 2014-12-01. */
	[FX_EXTENDED] = {FX_REQUESTED, EV(GRANT_EXTENSION), R(OFFICER), "2014-11-12", M_NONE},
	[FX_FOLLOW_UP] = {FX_RECTIFYING, EV(APPLY_FOLLOW_UP), R(ENTERPRISE), "2014-11-10", M_NONE},
	[FX_UNCORRECTED] = {FX_FOLLOW_UP, EV(FOLLOW_UP_FAILED), R(OFFICER), "2014-11-25", M_NONE},
	[FX_ANNOUNCED] = {FX_UNCORRECTED, EV(ANNOUNCE), R(OFFICER), "2014-12-01", M_NONE},
	[FX_UNCORRECTED1] = {FX_ANNOUNCED, EV(FOLLOW_UP_FAILED), R(OFFICER), "2014-12-15", M_NONE},
	[FX_SUSPENDED] = {FX_UNCORRECTED1, EV(SUSPEND), R(OFFICER), "2014-12-20", M_NONE},
	[FX_UNCORRECTED2] = {FX_SUSPENDED, EV(FOLLOW_UP_FAILED), R(OFFICER), "2015-02-25", M_NONE},
	[FX_CLOSED] = {FX_WINDOW_PASS, EV(CLOSE), R(OFFICER), "2014-10-01", M_NONE},
	[FX_CANCELLED] = {FX_PLANNED, EV(CANCEL), R(OFFICER), "2014-09-05", M_NONE},
	[FX_FAILED_R] = {FX_RETEST, EV(RETEST_UPHELD), R(LAB), "2014-10-20", M_NONE},
	[FX_RECTIFYING_R] = {FX_FAILED_R, EV(ORDER_RECTIFICATION), R(OFFICER), "2014-10-22",
			     M_NONE},
	[FX_FOLLOW_UP_R] = {FX_RECTIFYING_R, EV(APPLY_FOLLOW_UP), R(ENTERPRISE), "2014-11-01",
			    M_NONE},
	[FX_UNCORRECTED_R] = {FX_FOLLOW_UP_R, EV(FOLLOW_UP_FAILED), R(OFFICER), "2014-11-05",
			      M_NONE},
	[FX_ANNOUNCED_R] = {FX_UNCORRECTED_R, EV(ANNOUNCE), R(OFFICER), "2014-11-10", M_NONE},
	[FX_UNCORRECTED1_R] = {FX_ANNOUNCED_R, EV(FOLLOW_UP_FAILED), R(OFFICER), "2014-11-15",
			       M_NONE},
	[FX_SUSPENDED_R] = {FX_UNCORRECTED1_R, EV(SUSPEND), R(OFFICER), "2014-11-20", M_NONE},
	[FX_CLOSED_R] = {FX_RETEST, EV(RETEST_OVERTURNED), R(LAB), "2014-10-20", M_NONE},
};

/* Apply one event that must be accepted. */
static void must(struct zl_inspection *r, const struct zl_insp_event *ev, const char *today,
		 struct zl_insp_effect *eff)
{
	struct zl_insp_env env = env_at(today);
	struct zl_insp_effect local;
	struct zl_error err = ZL_ERROR_INIT;

	if (zl_insp_apply(r, ev, &env, r, eff ? eff : &local, &err) != ZL_OK)
		fail_msg("%s in %s on %s refused: %s (field %s)", zl_insp_event_name(ev->event),
			 zl_insp_state_name(r->state), ev->date, err.message, err.field);
}

static void build(struct zl_inspection *r, int fx)
{
	const struct fx_step *s = &fx_steps[fx];
	struct zl_insp_event ev;

	if (s->parent < 0) {
		assert_int_equal(zl_insp_init(r, "2014-09-30", NULL), ZL_OK);
		return;
	}
	build(r, s->parent);
	fill(&ev, s->event, s->role, s->date, s->mod);
	must(r, &ev, TODAY, NULL);
}

/* The first fixture whose record is in state `s`. */
static int fixture_in(enum zl_insp_state s)
{
	struct zl_inspection r;

	for (int fx = 0; fx < FX_COUNT; fx++) {
		build(&r, fx);
		if (r.state == s)
			return fx;
	}
	fail_msg("no fixture reaches state %s", zl_insp_state_name(s));
	return -1;
}

/* ---- the cases: every row of the table with its guard met and broken ------------------- */

struct kase {
	int fx;
	enum zl_insp_event_id event;
	enum zl_insp_role role;
	const char *date;
	enum mod mod;
	int rc;		   /* ZL_OK or the refusal */
	const char *field; /* the refusal's field */
};

#define OK(fx, ev, role, date)                                                                     \
	{                                                                                          \
		FX_##fx, EV(ev), R(role), date, M_NONE, ZL_OK, NULL                                \
	}
#define OKM(fx, ev, role, date, mod)                                                               \
	{                                                                                          \
		FX_##fx, EV(ev), R(role), date, mod, ZL_OK, NULL                                   \
	}
#define NO(fx, ev, role, date, mod, rc, field)                                                     \
	{                                                                                          \
		FX_##fx, EV(ev), R(role), date, mod, rc, field                                     \
	}
#define UN ZL_EUNPROC
#define IN ZL_EINVAL

static const struct kase cases[] = {
	OK(PLANNED, RECORD_SAMPLING, INSPECTOR, "2014-09-10"),
	NO(PLANNED, RECORD_SAMPLING, INSPECTOR, "2014-09-10", M_ONE_SAMPLER, UN, "samplers"),
	NO(PLANNED, RECORD_SAMPLING, INSPECTOR, "2014-09-10", M_DUP_SAMPLER, UN, "samplers[1]"),
	NO(PLANNED, RECORD_SAMPLING, INSPECTOR, "2014-09-10", M_EMPTY_SAMPLER, UN, "samplers[1]"),
	NO(PLANNED, RECORD_SAMPLING, INSPECTOR, "2014-09-10", M_NO_SAMPLING, IN, "sampling"),
	NO(PLANNED, RECORD_SAMPLING, INSPECTOR, "2014-09-10", M_BAD_PLACE, UN, "sampling.place"),
	NO(PLANNED, RECORD_SAMPLING, INSPECTOR, "2014-09-10", M_NO_BATCH, UN, "sampling.batch"),
	NO(PLANNED, RECORD_SAMPLING, INSPECTOR, "2014-09-10", M_NO_SPEC, IN, "sampling.spec"),
	NO(PLANNED, RECORD_SAMPLING, INSPECTOR, "2014-09-10", M_BLANK_TRADEMARK, UN,
	   "sampling.trademark"),
	NO(PLANNED, RECORD_SAMPLING, INSPECTOR, "2014-09-10", M_MADE_AFTER, UN,
	   "sampling.production_date"),
	NO(PLANNED, RECORD_SAMPLING, INSPECTOR, "2014-09-10", M_MADE_BAD, IN,
	   "sampling.production_date"),
	NO(PLANNED, RECORD_SAMPLING, INSPECTOR, "2014-09-10", M_NO_SAMPLE_QTY, UN,
	   "sampling.sample_qty"),
	NO(PLANNED, RECORD_SAMPLING, INSPECTOR, "2014-09-10", M_NO_BACKUP, UN,
	   "sampling.backup_qty"),
	NO(PLANNED, RECORD_SAMPLING, INSPECTOR, "2014-09-10", M_UNSEALED, UN,
	   "sampling.backup_sealed"),
	NO(PLANNED, RECORD_SAMPLING, INSPECTOR, "2014-09-10", M_NO_SEAL, UN, "sampling.seal_no"),
	NO(PLANNED, RECORD_SAMPLING, INSPECTOR, "2014-09-10", M_NO_PHOTOS, UN, "sampling.photos"),
	OK(PLANNED, REFUSE_SAMPLING, INSPECTOR, "2014-09-10"),
	NO(PLANNED, REFUSE_SAMPLING, INSPECTOR, "2014-09-10", M_NO_REASON, UN, "reason"),
	NO(PLANNED, REFUSE_SAMPLING, INSPECTOR, "2014-09-10", M_NULL_REASON, IN, "reason"),
	NO(PLANNED, REFUSE_SAMPLING, INSPECTOR, "2014-09-10", M_ONE_SAMPLER, UN, "samplers"),
	OK(PLANNED, CANCEL, OFFICER, "2014-09-05"),
	NO(PLANNED, CANCEL, OFFICER, "2014-09-05", M_NO_REASON, UN, "reason"),

	OK(REFUSED, WARN, OFFICER, "2014-09-11"),
	OK(REFUSED_AGAIN, DEEM_FAILED, OFFICER, "2014-09-15"),
	NO(REFUSED, DEEM_FAILED, OFFICER, "2014-09-15", M_NONE, UN, "warnings"),
	OK(REFUSED, CANCEL, OFFICER, "2014-09-12"),
	NO(REFUSED, CANCEL, OFFICER, "2014-09-12", M_NULL_REASON, IN, "reason"),

	OK(SAMPLED, ENTER_REPORT, LAB, "2014-09-26"),
	OKM(SAMPLED, ENTER_REPORT, LAB, "2014-09-26", M_PASS_REPORT),
	NO(SAMPLED, ENTER_REPORT, LAB, "2014-09-26", M_NO_DOC, UN, "doc_no"),
	NO(SAMPLED, ENTER_REPORT, LAB, "2014-09-26", M_NO_ITEMS, UN, "items"),
	NO(SAMPLED, ENTER_REPORT, LAB, "2014-09-26", M_TOO_MANY_ITEMS, UN, "items"),
	NO(SAMPLED, ENTER_REPORT, LAB, "2014-09-26", M_ITEM_NO_VERDICT, UN, "items[2].verdict"),
	NO(SAMPLED, ENTER_REPORT, LAB, "2014-09-26", M_ITEM_DUP_NAME, UN, "items[3].name"),
	NO(SAMPLED, ENTER_REPORT, LAB, "2014-09-26", M_ITEM_NO_MEASURED, UN, "items[0].measured"),
	NO(SAMPLED, ENTER_REPORT, LAB, "2014-09-26", M_ITEM_NO_LIMIT, IN, "items[1].limit"),
	NO(SAMPLED, ENTER_REPORT, LAB, "2014-09-26", M_CONCLUSION_PASS, UN, "conclusion"),
	NO(SAMPLED, ENTER_REPORT, LAB, "2014-09-26", M_CONCLUSION_NONE, UN, "conclusion"),
	NO(SAMPLED, ENTER_REPORT, LAB, "2014-09-26", M_PASS_ITEMS_FAIL_CONCLUSION, UN,
	   "conclusion"),
	NO(SAMPLED, ENTER_REPORT, LAB, "2014-09-09", M_NONE, UN, "date"), /* before sampling */
	OK(SAMPLED, SAMPLE_UNUSABLE, LAB, "2014-09-15"),
	NO(SAMPLED, SAMPLE_UNUSABLE, LAB, "2014-09-15", M_NO_REASON, UN, "reason"),
	OK(SAMPLED, CANCEL, OFFICER, "2014-09-12"),
	NO(SAMPLED, CANCEL, OFFICER, "2014-09-12", M_NO_REASON, UN, "reason"),

	OK(UNTESTABLE, RESAMPLE, OFFICER, "2014-09-16"),
	OK(UNTESTABLE, CANCEL, OFFICER, "2014-09-16"),
	NO(UNTESTABLE, CANCEL, OFFICER, "2014-09-16", M_NO_REASON, UN, "reason"),

	OK(TESTED, AMEND_REPORT, LAB, "2014-09-27"),
	NO(TESTED, AMEND_REPORT, LAB, "2014-09-27", M_CONCLUSION_PASS, UN, "conclusion"),
	NO(TESTED, AMEND_REPORT, LAB, "2014-09-27", M_NO_DOC, UN, "doc_no"),
	OK(TESTED, NOTIFY, OFFICER, "2014-09-29"),
	NO(TESTED, NOTIFY, LAB, "2014-09-25", M_NONE, UN, "date"), /* before the report */

	OK(NOTIFIED, RECEIVE, ENTERPRISE, "2014-09-30"),
	NO(NOTIFIED, RECEIVE, OFFICER, "2014-09-28", M_NONE, UN, "date"),

	OK(WINDOW, OBJECT, ENTERPRISE, "2014-10-15"), /* the period's last day */
	OKM(WINDOW, OBJECT, ENTERPRISE, "2014-10-01", M_CONTEST_ONE),
	NO(WINDOW, OBJECT, ENTERPRISE, "2014-10-16", M_NONE, UN, "date"),
	NO(WINDOW, OBJECT, ENTERPRISE, "2014-10-10", M_CONTEST_PASSED, UN, "contested[0]"),
	NO(WINDOW, OBJECT, ENTERPRISE, "2014-10-10", M_CONTEST_TWICE, UN, "contested[1]"),
	NO(WINDOW, OBJECT, ENTERPRISE, "2014-10-10", M_CONTEST_NONE, UN, "contested"),
	NO(WINDOW, OBJECT, ENTERPRISE, "2014-10-10", M_CONTEST_OUT, UN, "contested[0]"),
	NO(WINDOW_PASS, OBJECT, ENTERPRISE, "2014-10-10", M_NONE, UN, "conclusion"),
	OK(WINDOW_PASS, CLOSE, OFFICER, "2014-10-01"),
	OK(WINDOW_PASS, CLOSE, SYSTEM, "2014-10-16"),
	NO(WINDOW, CLOSE, SYSTEM, "2014-10-16", M_NONE, UN, "conclusion"),
	OK(WINDOW, FINALIZE, SYSTEM, "2014-10-16"),
	NO(WINDOW, FINALIZE, OFFICER, "2014-10-15", M_NONE, UN, "date"),
	NO(WINDOW_PASS, FINALIZE, SYSTEM, "2014-10-16", M_NONE, UN, "conclusion"),
	OK(WINDOW, RETURN_SAMPLES, LAB, "2014-10-16"),
	NO(WINDOW, RETURN_SAMPLES, LAB, "2014-10-15", M_NONE, UN, "date"),

	OK(RETEST, RETEST_UPHELD, LAB, "2014-10-20"),
	NO(RETEST, RETEST_UPHELD, LAB, "2014-10-20", M_VERDICTS_ALL_PASS, UN, "verdicts"),
	NO(RETEST, RETEST_UPHELD, LAB, "2014-10-20", M_NO_DOC, UN, "doc_no"),
	NO(RETEST, RETEST_UPHELD, LAB, "2014-10-20", M_VERDICTS_MISSING_ONE, UN, "verdicts"),
	NO(RETEST, RETEST_UPHELD, LAB, "2014-10-20", M_VERDICT_NONE, UN, "verdicts[0]"),
	NO(RETEST, RETEST_UPHELD, LAB, "2014-10-20", M_RETEST_UNCONTESTED, UN, "contested[0]"),
	NO(RETEST, RETEST_UPHELD, LAB, "2014-10-20", M_RETEST_TWICE, UN, "contested[1]"),
	OK(RETEST, RETEST_OVERTURNED, LAB, "2014-10-20"),
	NO(RETEST, RETEST_OVERTURNED, LAB, "2014-10-20", M_VERDICTS_ONE_FAIL, UN, "verdicts"),
	OK(RETEST, REJECT_OBJECTION, OFFICER, "2014-10-14"),
	NO(RETEST, REJECT_OBJECTION, OFFICER, "2014-10-14", M_NO_REASON, UN, "reason"),

	OK(FAILED, ORDER_RECTIFICATION, OFFICER, "2014-10-20"),
	OK(DEEMED, ORDER_RECTIFICATION, OFFICER, "2014-09-20"),
	NO(FAILED, ORDER_RECTIFICATION, OFFICER, "2014-10-20", M_NO_DOC, UN, "doc_no"),
	NO(FAILED, ORDER_RECTIFICATION, OFFICER, "2014-10-20", M_RECEIVED_BEFORE, UN,
	   "received_on"),
	NO(FAILED, ORDER_RECTIFICATION, OFFICER, "2014-10-20", M_RECEIVED_BAD, IN, "received_on"),
	NO(FAILED, ORDER_RECTIFICATION, OFFICER, "2014-10-20", M_RECEIVED_FUTURE, UN,
	   "received_on"),
	OK(FAILED, EXEMPT, OFFICER, "2014-10-20"),
	NO(FAILED, EXEMPT, OFFICER, "2014-10-20", M_NO_REASON, UN, "reason"),
	OK(FAILED, RETURN_SAMPLES, LAB, "2014-10-17"),
	NO(FAILED_RETURNED, RETURN_SAMPLES, LAB, "2014-10-18", M_NONE, UN, "samples_returned_on"),
	NO(FAILED_R, RETURN_SAMPLES, OFFICER, "2014-10-21", M_NONE, UN, "objected_on"),
	NO(DEEMED, RETURN_SAMPLES, OFFICER, "2014-09-20", M_NONE, UN, "received_on"),

	OK(RECTIFYING, REQUEST_EXTENSION, ENTERPRISE, "2014-11-15"), /* 5 days before 11-20 */
	NO(RECTIFYING, REQUEST_EXTENSION, ENTERPRISE, "2014-11-16", M_NONE, UN, "date"),
	NO(RECTIFYING, REQUEST_EXTENSION, ENTERPRISE, "2014-11-10", M_DAYS_0, UN, "days"),
	NO(RECTIFYING, REQUEST_EXTENSION, ENTERPRISE, "2014-11-10", M_DAYS_31, UN, "days"),
	NO(REQUESTED, REQUEST_EXTENSION, ENTERPRISE, "2014-11-11", M_NONE, UN, "extension"),
	NO(EXTENDED, REQUEST_EXTENSION, ENTERPRISE, "2014-11-13", M_NONE, UN, "extension"),
	OK(REQUESTED, GRANT_EXTENSION, OFFICER, "2014-11-12"),
	NO(RECTIFYING, GRANT_EXTENSION, OFFICER, "2014-11-12", M_NONE, UN, "extension"),
	NO(REQUESTED, GRANT_EXTENSION, OFFICER, "2014-11-12", M_DAYS_11, UN, "days"),
	NO(REQUESTED, GRANT_EXTENSION, OFFICER, "2014-11-12", M_DAYS_0, UN, "days"),
	OK(REQUESTED, REFUSE_EXTENSION, OFFICER, "2014-11-12"),
	NO(REQUESTED, REFUSE_EXTENSION, OFFICER, "2014-11-12", M_NO_REASON, UN, "reason"),
	NO(RECTIFYING, REFUSE_EXTENSION, OFFICER, "2014-11-12", M_NONE, UN, "extension"),
	OK(RECTIFYING, APPLY_FOLLOW_UP, ENTERPRISE, "2014-11-20"),
	NO(RECTIFYING, APPLY_FOLLOW_UP, ENTERPRISE, "2014-11-21", M_NONE, UN, "date"),
	OK(EXTENDED, APPLY_FOLLOW_UP, ENTERPRISE, "2014-12-01"),
	NO(EXTENDED, APPLY_FOLLOW_UP, ENTERPRISE, "2014-12-02", M_NONE, UN, "date"),
	OK(RECTIFYING, LAPSE, SYSTEM, "2014-11-21"),
	NO(RECTIFYING, LAPSE, SYSTEM, "2014-11-20", M_NONE, UN, "date"),
	NO(REQUESTED, LAPSE, SYSTEM, "2014-11-21", M_NONE, UN, "extension"),
	NO(EXTENDED, LAPSE, OFFICER, "2014-11-21", M_NONE, UN, "date"),
	OK(RECTIFYING, EXEMPT, OFFICER, "2014-10-25"),
	NO(RECTIFYING, EXEMPT, OFFICER, "2014-10-25", M_NO_REASON, UN, "reason"),
	OK(RECTIFYING, RETURN_SAMPLES, LAB, "2014-10-25"),
	NO(RECTIFYING_R, RETURN_SAMPLES, LAB, "2014-10-25", M_NONE, UN, "objected_on"),

	OK(FOLLOW_UP, FOLLOW_UP_PASSED, OFFICER, "2014-11-25"),
	OK(FOLLOW_UP, FOLLOW_UP_FAILED, OFFICER, "2014-11-25"),
	OK(FOLLOW_UP, RETURN_SAMPLES, OFFICER, "2014-11-11"),
	NO(FOLLOW_UP_R, RETURN_SAMPLES, LAB, "2014-11-11", M_NONE, UN, "objected_on"),

	OK(UNCORRECTED, ANNOUNCE, OFFICER, "2014-12-01"),
	NO(UNCORRECTED, ANNOUNCE, OFFICER, "2014-12-01", M_LEVEL_CITY, UN, "level"),
	NO(UNCORRECTED, ANNOUNCE, OFFICER, "2014-12-01", M_LEVEL_BAD, IN, "level"),
	NO(UNCORRECTED1, ANNOUNCE, OFFICER, "2014-12-16", M_NONE, UN, "level"),
	OK(UNCORRECTED1, SUSPEND, OFFICER, "2014-12-20"),
	NO(UNCORRECTED, SUSPEND, OFFICER, "2014-12-01", M_NONE, UN, "level"),
	NO(UNCORRECTED2, SUSPEND, OFFICER, "2015-03-01", M_NONE, UN, "level"),
	NO(UNCORRECTED1, SUSPEND, OFFICER, "2014-12-20", M_LEVEL_CITY, UN, "level"),
	NO(UNCORRECTED1, SUSPEND, OFFICER, "2014-12-20", M_UNTIL_BEFORE, UN, "until"),
	NO(UNCORRECTED1, SUSPEND, OFFICER, "2014-12-20", M_UNTIL_BAD, IN, "until"),
	OK(UNCORRECTED2, REVOKE, OFFICER, "2015-03-01"),
	NO(UNCORRECTED1, REVOKE, OFFICER, "2014-12-20", M_NONE, UN, "level"),
	NO(UNCORRECTED, REVOKE, OFFICER, "2014-12-20", M_NONE, UN, "level"),
	OK(UNCORRECTED, EXEMPT, OFFICER, "2014-11-26"),
	NO(UNCORRECTED, EXEMPT, OFFICER, "2014-11-26", M_NO_REASON, UN, "reason"),
	OK(UNCORRECTED, RETURN_SAMPLES, LAB, "2014-11-26"),
	NO(UNCORRECTED_R, RETURN_SAMPLES, LAB, "2014-11-26", M_NONE, UN, "objected_on"),

	OK(ANNOUNCED, FOLLOW_UP_PASSED, OFFICER, "2014-12-15"),
	OK(ANNOUNCED, FOLLOW_UP_FAILED, OFFICER, "2014-12-15"),
	OK(ANNOUNCED, EXEMPT, OFFICER, "2014-12-15"),
	NO(ANNOUNCED, EXEMPT, OFFICER, "2014-12-15", M_NO_REASON, UN, "reason"),
	OK(ANNOUNCED, RETURN_SAMPLES, LAB, "2014-12-02"),
	NO(ANNOUNCED_R, RETURN_SAMPLES, LAB, "2014-12-02", M_NONE, UN, "objected_on"),

	OK(SUSPENDED, FOLLOW_UP_PASSED, OFFICER, "2015-02-25"),
	OK(SUSPENDED, FOLLOW_UP_FAILED, OFFICER, "2015-02-25"),
	OK(SUSPENDED, EXEMPT, OFFICER, "2015-01-05"),
	NO(SUSPENDED, EXEMPT, OFFICER, "2015-01-05", M_NO_REASON, UN, "reason"),
	OK(SUSPENDED, RETURN_SAMPLES, LAB, "2014-12-21"),
	NO(SUSPENDED_R, RETURN_SAMPLES, LAB, "2014-12-21", M_NONE, UN, "objected_on"),

	OK(CLOSED, RETURN_SAMPLES, LAB, "2014-10-16"),
	NO(CLOSED, RETURN_SAMPLES, LAB, "2014-10-15", M_NONE, UN, "date"),
	NO(CLOSED_R, RETURN_SAMPLES, OFFICER, "2014-10-21", M_NONE, UN, "objected_on"),
};

/* Apply `ev` to `r`, which must be refused with `rc` naming `field`; nothing may be written. */
static void refused(const struct zl_inspection *r, const struct zl_insp_event *ev, int rc,
		    const char *field, const char *what)
{
	struct zl_insp_env env = env_at(TODAY);
	struct zl_inspection next, before;
	struct zl_insp_effect eff, eff_before;
	struct zl_error err = ZL_ERROR_INIT;
	int got;

	memset(&next, 0xA5, sizeof(next));
	memset(&eff, 0x5A, sizeof(eff));
	before = next;
	eff_before = eff;
	got = zl_insp_apply(r, ev, &env, &next, &eff, &err);
	if (got != rc || strcmp(err.field, field) != 0)
		fail_msg("%s: %s in %s on %s: want %d on %s, got %d on %s (%s)", what,
			 zl_insp_event_name(ev->event), zl_insp_state_name(r->state), ev->date, rc,
			 field, got, err.field, err.message);
	assert_true(err.message[0] != '\0');
	assert_memory_equal(&next, &before, sizeof(next));
	assert_memory_equal(&eff, &eff_before, sizeof(eff));
}

static void test_table_rows(void **state)
{
	size_t nrows, ok_for[128] = {0}, bad_for[128] = {0};
	const struct zl_insp_transition *rows = zl_insp_transitions(&nrows);
	char before[16];

	(void)state;
	assert_true(nrows <= 128);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct kase *k = &cases[i];
		struct zl_inspection r, next;
		struct zl_insp_event ev;
		struct zl_insp_effect eff;
		struct zl_insp_env env = env_at(TODAY);
		struct zl_error err = ZL_ERROR_INIT;
		const struct zl_insp_transition *row;
		char label[64];

		build(&r, k->fx);
		row = zl_insp_transition_find(r.state, k->event);
		if (row == NULL)
			fail_msg("case %zu: %s is not in the table from %s", i,
				 zl_insp_event_name(k->event), zl_insp_state_name(r.state));
		fill(&ev, k->event, k->role, k->date, k->mod);
		snprintf(label, sizeof(label), "case %zu", i);
		if (k->rc != ZL_OK) {
			refused(&r, &ev, k->rc, k->field, label);
			bad_for[row - rows]++;
			continue;
		}
		if (zl_insp_apply(&r, &ev, &env, &next, &eff, &err) != ZL_OK)
			fail_msg("case %zu: %s in %s refused: %s (%s)", i,
				 zl_insp_event_name(k->event), zl_insp_state_name(r.state),
				 err.message, err.field);
		assert_int_equal(next.state, row->to);
		assert_ptr_equal(eff.row, row);
		assert_int_equal(zl_insp_check(&next, NULL), ZL_OK);
		if (row->credit_kind != NULL) {
			assert_string_equal(eff.credit_kind, row->credit_kind);
			assert_string_equal(eff.credit_date, k->date);
		} else {
			assert_null(eff.credit_kind);
		}
		if (k->event == ZL_INSP_EV_RETURN_SAMPLES)
			assert_string_equal(next.last_on, r.last_on);
		else
			assert_string_equal(next.last_on, k->date);
		ok_for[row - rows]++;

		/* The same event by every role the row does not name. */
		for (int role = 0; role < ZL_INSP_ROLE_COUNT; role++) {
			if (row->roles & (1u << role))
				continue;
			fill(&ev, k->event, (enum zl_insp_role)role, k->date, k->mod);
			refused(&r, &ev, ZL_EFORBIDDEN, "role", label);
		}
		/* A malformed date, a date after today, a date before the previous step. */
		fill(&ev, k->event, k->role, "2014-02-30", k->mod);
		refused(&r, &ev, ZL_EINVAL, "date", label);
		fill(&ev, k->event, k->role, TOMORROW, k->mod);
		refused(&r, &ev, ZL_EUNPROC, "date", label);
		if (r.last_on[0] != '\0' && k->event != EV(RETURN_SAMPLES)) {
			fill(&ev, k->event, k->role, day_plus(r.last_on, -1, before), k->mod);
			refused(&r, &ev, ZL_EUNPROC, "date", label);
		}
		bad_for[row - rows]++;
	}
	/* Every row taken at least once, and its own guard broken where it has one. */
	for (size_t i = 0; i < nrows; i++) {
		if (ok_for[i] == 0 || bad_for[i] == 0)
			fail_msg("row %s --%s--> %s has no accepted case",
				 zl_insp_state_name(rows[i].from),
				 zl_insp_event_name(rows[i].event), zl_insp_state_name(rows[i].to));
	}
	for (size_t i = 0; i < nrows; i++) {
		size_t own = 0;

		if (strcmp(rows[i].guard, "none") == 0)
			continue;
		for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
			struct zl_inspection r;

			if (cases[c].rc == ZL_OK || cases[c].event != rows[i].event)
				continue;
			build(&r, cases[c].fx);
			own += r.state == rows[i].from;
		}
		if (own == 0)
			fail_msg("row %s --%s--> has a guard but no case breaking it",
				 zl_insp_state_name(rows[i].from),
				 zl_insp_event_name(rows[i].event));
	}
}

static void test_illegal_pairs(void **state)
{
	size_t refusals = 0;

	(void)state;
	for (int s = 0; s < ZL_INSP_STATE_COUNT; s++) {
		struct zl_inspection r;

		build(&r, fixture_in((enum zl_insp_state)s));
		assert_int_equal(r.state, s);
		for (int e = 0; e < ZL_INSP_EVENT_COUNT; e++) {
			if (zl_insp_transition_find((enum zl_insp_state)s,
						    (enum zl_insp_event_id)e))
				continue;
			for (int role = 0; role < ZL_INSP_ROLE_COUNT; role++) {
				struct zl_insp_env env = env_at(TODAY);
				struct zl_inspection next = r;
				struct zl_insp_event ev;
				struct zl_error err = ZL_ERROR_INIT;

				fill(&ev, (enum zl_insp_event_id)e, (enum zl_insp_role)role,
				     "2015-06-01", M_NONE);
				assert_int_equal(zl_insp_apply(&r, &ev, &env, &next, NULL, &err),
						 ZL_ECONFLICT);
				assert_string_equal(err.field, "event");
				/* The message names the event and the state. */
				assert_non_null(strstr(err.message, zl_insp_event_name(ev.event)));
				assert_non_null(strstr(err.message, zl_insp_state_name(r.state)));
				assert_memory_equal(&next, &r, sizeof(r));
				refusals++;
			}
		}
	}
	/* 16 states x 30 events, less the table's rows, for each of 5 roles. */
	{
		size_t n;

		zl_insp_transitions(&n);
		assert_int_equal(refusals, (ZL_INSP_STATE_COUNT * ZL_INSP_EVENT_COUNT - n) *
						   ZL_INSP_ROLE_COUNT);
	}
}

static void test_bad_inputs(void **state)
{
	struct zl_inspection r, bad;
	struct zl_insp_event ev;
	struct zl_insp_env env = env_at(TODAY);
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_insp_rules rules = zl_insp_rules_default();

	(void)state;
	build(&r, FX_PLANNED);
	fill(&ev, EV(RECORD_SAMPLING), R(INSPECTOR), "2014-09-10", M_NONE);
	/* The environment. */
	env.today = "2015-6-30";
	assert_int_equal(zl_insp_apply(&r, &ev, &env, &r, NULL, &err), ZL_EINVAL);
	assert_string_equal(err.field, "today");
	env = env_at(TODAY);
	env.wd = NULL;
	assert_int_equal(zl_insp_apply(&r, &ev, &env, &r, NULL, &err), ZL_EINVAL);
	assert_string_equal(err.field, "calendar");
	env = env_at(TODAY);
	rules.min_samplers = 0;
	env.rules = &rules;
	assert_int_equal(zl_insp_apply(&r, &ev, &env, &r, NULL, &err), ZL_EINVAL);
	assert_string_equal(err.field, "rules");
	env = env_at(TODAY);
	/* Unknown event and role. */
	ev.event = (enum zl_insp_event_id)ZL_INSP_EVENT_COUNT;
	assert_int_equal(zl_insp_apply(&r, &ev, &env, &r, NULL, &err), ZL_EINVAL);
	assert_string_equal(err.field, "event");
	assert_int_equal(zl_insp_apply(&r, NULL, &env, &r, NULL, &err), ZL_EINVAL);
	fill(&ev, EV(RECORD_SAMPLING), (enum zl_insp_role)7, "2014-09-10", M_NONE);
	assert_int_equal(zl_insp_apply(&r, &ev, &env, &r, NULL, &err), ZL_EINVAL);
	assert_string_equal(err.field, "role");
	/* A record the machine could not have produced. */
	fill(&ev, EV(RECORD_SAMPLING), R(INSPECTOR), "2014-09-10", M_NONE);
	bad = r;
	bad.state = (enum zl_insp_state)40;
	assert_int_equal(zl_insp_apply(&bad, &ev, &env, &bad, NULL, &err), ZL_EINTERNAL);
	assert_string_equal(err.field, "state");
	bad = r;
	memcpy(bad.last_on, "2014-13-01", 11);
	assert_int_equal(zl_insp_check(&bad, &err), ZL_EINTERNAL);
	assert_string_equal(err.field, "last_on");
	memset(bad.last_on, 'x', sizeof(bad.last_on)); /* no terminating NUL */
	assert_int_equal(zl_insp_check(&bad, &err), ZL_EINTERNAL);
	build(&bad, FX_RETEST);
	bad.contested[0] |= 1; /* item 0 passed */
	assert_int_equal(zl_insp_check(&bad, &err), ZL_EINTERNAL);
	assert_string_equal(err.field, "contested");
	build(&bad, FX_ANNOUNCED);
	bad.level = 2;
	assert_int_equal(zl_insp_check(&bad, &err), ZL_EINTERNAL);
	assert_string_equal(err.field, "level");
	build(&bad, FX_CLOSED);
	bad.outcome = ZL_INSP_OUTCOME_NONE;
	assert_int_equal(zl_insp_check(&bad, &err), ZL_EINTERNAL);
	assert_string_equal(err.field, "outcome");
	build(&bad, FX_FAILED);
	bad.final_on[0] = '\0';
	assert_int_equal(zl_insp_check(&bad, &err), ZL_EINTERNAL);
	assert_string_equal(err.field, "final_on");
	/* init: a malformed plan date. */
	assert_int_equal(zl_insp_init(&bad, "2014-09-31", &err), ZL_EINVAL);
	assert_string_equal(err.field, "plan_due");
	assert_int_equal(bad.state, ZL_INSP_PLANNED);
	assert_int_equal(zl_insp_init(&bad, NULL, &err), ZL_OK);
	assert_string_equal(bad.plan_due, "");
}

/* ---- deadlines ------------------------------------------------------------------------- */

static struct zl_insp_deadlines deadlines_of(const struct zl_inspection *r, const char *today)
{
	struct zl_insp_env env = env_at(today);
	struct zl_insp_deadlines d;
	struct zl_error err = ZL_ERROR_INIT;

	if (zl_insp_deadlines(r, &env, &d, &err) != ZL_OK)
		fail_msg("deadlines: %s", err.message);
	return d;
}

/* A record reported on `report` and, when given, received on `received`. */
static void reported(struct zl_inspection *r, const char *report, const char *received)
{
	struct zl_insp_event ev;

	build(r, FX_PLANNED);
	fill(&ev, EV(RECORD_SAMPLING), R(INSPECTOR), "2014-09-01", M_NONE);
	must(r, &ev, TODAY, NULL);
	fill(&ev, EV(ENTER_REPORT), R(LAB), report, M_NONE);
	must(r, &ev, TODAY, NULL);
	if (received == NULL)
		return;
	fill(&ev, EV(NOTIFY), R(OFFICER), received, M_NONE);
	must(r, &ev, TODAY, NULL);
	fill(&ev, EV(RECEIVE), R(ENTERPRISE), received, M_NONE);
	must(r, &ev, TODAY, NULL);
}

static void test_deadlines_across_holidays(void **state)
{
	struct zl_inspection r;
	struct zl_insp_deadlines d;
	struct zl_insp_event ev;
	struct zl_insp_effect eff;
	struct zl_insp_rules rules = zl_insp_rules_default();
	struct zl_insp_env env = env_at(TODAY);
	struct zl_error err = ZL_ERROR_INIT;

	(void)state;
	/* The vector: 1-7 October off, Saturday 11 October worked. */
	reported(&r, "2014-09-30", NULL);
	d = deadlines_of(&r, TODAY);
	assert_string_equal(d.notify_by, "2014-10-13");
	assert_string_equal(d.objection_until, "");
	/* A report just before National Day: the make-up Saturday counts. */
	reported(&r, "2014-09-29", NULL);
	assert_string_equal(deadlines_of(&r, TODAY).notify_by, "2014-10-11");
	/* Friday before it: Sunday 28 September was worked. */
	reported(&r, "2014-09-26", NULL);
	assert_string_equal(deadlines_of(&r, TODAY).notify_by, "2014-10-09");
	/* Before the Spring Festival 2015 (18-24 February off). */
	reported(&r, "2015-02-13", NULL);
	assert_string_equal(deadlines_of(&r, TODAY).notify_by, "2015-02-26");

	/* Notified on the last day: on time; a day later: accepted, flagged late. */
	reported(&r, "2014-09-30", NULL);
	fill(&ev, EV(NOTIFY), R(OFFICER), "2014-10-13", M_NONE);
	assert_int_equal(zl_insp_apply(&r, &ev, &env, &r, &eff, &err), ZL_OK);
	assert_int_equal(eff.late, 0);
	assert_int_equal(r.notified_late, 0);
	assert_string_equal(eff.deadline, "2014-10-13");
	reported(&r, "2014-09-30", NULL);
	fill(&ev, EV(NOTIFY), R(LAB), "2014-10-14", M_NONE);
	assert_int_equal(zl_insp_apply(&r, &ev, &env, &r, &eff, &err), ZL_OK);
	assert_int_equal(eff.late, 1);
	assert_int_equal(r.notified_late, 1);

	/* Received 22 September: 15 days end on 7 October, a day off, so on the 8th. */
	reported(&r, "2014-09-19", "2014-09-22");
	d = deadlines_of(&r, TODAY);
	assert_string_equal(d.objection_until, "2014-10-08");
	/* Uncontested samples: 7 days after that. */
	assert_string_equal(d.sample_return_by, "2014-10-15");
	fill(&ev, EV(OBJECT), R(ENTERPRISE), "2014-10-08", M_NONE);
	assert_int_equal(zl_insp_apply(&r, &ev, &env, &r, NULL, &err), ZL_OK);
	assert_int_equal(r.state, ZL_INSP_RETEST);
	/* Without moving off days off the period ends on the 7th. */
	reported(&r, "2014-09-19", "2014-09-22");
	rules.roll_to_working_day = 0;
	env.rules = &rules;
	assert_int_equal(zl_insp_deadlines(&r, &env, &d, &err), ZL_OK);
	assert_string_equal(d.objection_until, "2014-10-07");
	fill(&ev, EV(OBJECT), R(ENTERPRISE), "2014-10-08", M_NONE);
	assert_int_equal(zl_insp_apply(&r, &ev, &env, &r, NULL, &err), ZL_EUNPROC);
	assert_string_equal(err.field, "date");
	assert_non_null(strstr(err.message, "2014-10-07"));
	env.rules = NULL;

	/* Rectification: order received 5 September, 30 days end Sunday 5 October (off). */
	build(&r, FX_FAILED);
	memcpy(r.order_on, "2014-09-05", 11);
	memcpy(r.order_received_on, "2014-09-05", 11);
	r.state = ZL_INSP_RECTIFYING; /* a hand-made record: only deadlines read it */
	memcpy(r.final_on, "2014-09-01", 11);
	memcpy(r.last_on, "2014-09-05", 11);
	assert_int_equal(zl_insp_check(&r, &err), ZL_OK);
	d = deadlines_of(&r, TODAY);
	assert_string_equal(d.rectify_by, "2014-10-08");
	assert_string_equal(d.extension_request_by, "2014-10-03");
	/* An extension of 30 days runs on from the unmoved end: 5 October + 30 = 4 November. */
	r.extension = ZL_INSP_EXT_GRANTED;
	r.extension_asked = 30;
	r.extension_days = 30;
	memcpy(r.extension_asked_on, "2014-10-01", 11);
	d = deadlines_of(&r, TODAY);
	assert_string_equal(d.rectify_by, "2014-11-04");
	assert_string_equal(d.extension_request_by, "");

	/* Outside the calendar: refused, naming the deadline. */
	reported(&r, "2014-09-19", "2014-09-22");
	memcpy(r.received_on, "2026-12-25", 11);
	memcpy(r.last_on, "2026-12-25", 11);
	env = env_at("2026-12-28");
	assert_int_equal(zl_insp_deadlines(&r, &env, &d, &err), ZL_EUNPROC);
	assert_string_equal(err.field, "objection_until");
	assert_string_equal(d.notify_by, "");
	fill(&ev, EV(OBJECT), R(ENTERPRISE), "2026-12-28", M_NONE);
	assert_int_equal(zl_insp_apply(&r, &ev, &env, &r, NULL, &err), ZL_EUNPROC);
	assert_string_equal(err.field, "objection_until");
}

/* ---- full paths ------------------------------------------------------------------------ */

/* Apply and check the state reached and the credit event written. */
static void go(struct zl_inspection *r, enum zl_insp_event_id e, enum zl_insp_role role,
	       const char *date, enum mod mod, enum zl_insp_state want, const char *credit)
{
	struct zl_insp_event ev;
	struct zl_insp_effect eff;
	char got[64] = "";

	fill(&ev, e, role, date, mod);
	must(r, &ev, TODAY, &eff);
	assert_int_equal(r->state, want);
	if (eff.credit_kind != NULL)
		snprintf(got, sizeof(got), "%s/%s", eff.credit_kind, eff.credit_subkind);
	assert_string_equal(got, credit ? credit : "");
}

static void test_failure_path_with_extension(void **state)
{
	struct zl_inspection r;
	struct zl_insp_deadlines d;

	(void)state;
	build(&r, FX_PLANNED);
	go(&r, EV(RECORD_SAMPLING), R(INSPECTOR), "2014-09-10", M_NONE, ZL_INSP_SAMPLED, NULL);
	go(&r, EV(ENTER_REPORT), R(LAB), "2014-09-30", M_NONE, ZL_INSP_TESTED, NULL);
	go(&r, EV(NOTIFY), R(OFFICER), "2014-10-13", M_NONE, ZL_INSP_NOTIFIED, NULL);
	assert_int_equal(r.notified_late, 0);
	go(&r, EV(RECEIVE), R(ENTERPRISE), "2014-10-14", M_NONE, ZL_INSP_OBJECTION_WINDOW, NULL);
	d = deadlines_of(&r, "2014-10-14");
	assert_string_equal(d.objection_until, "2014-10-29");
	/* No objection: the timer makes it final the day after the period. */
	go(&r, EV(FINALIZE), R(SYSTEM), "2014-10-30", M_NONE, ZL_INSP_FAILED, "spot_check/failed");
	go(&r, EV(RETURN_SAMPLES), R(LAB), "2014-11-03", M_NONE, ZL_INSP_FAILED, NULL);
	go(&r, EV(ORDER_RECTIFICATION), R(OFFICER), "2014-11-03", M_NONE, ZL_INSP_RECTIFYING, NULL);
	d = deadlines_of(&r, "2014-11-04");
	assert_string_equal(d.rectify_by, "2014-12-04");
	assert_string_equal(d.extension_request_by, "2014-11-29");
	go(&r, EV(REQUEST_EXTENSION), R(ENTERPRISE), "2014-11-28", M_NONE, ZL_INSP_RECTIFYING,
	   NULL);
	go(&r, EV(GRANT_EXTENSION), R(OFFICER), "2014-12-01", M_NONE, ZL_INSP_RECTIFYING, NULL);
	/* 4 December + 10 = 14 December, a Sunday: 15 December. */
	assert_string_equal(deadlines_of(&r, "2014-12-01").rectify_by, "2014-12-15");
	go(&r, EV(APPLY_FOLLOW_UP), R(ENTERPRISE), "2014-12-15", M_NONE, ZL_INSP_FOLLOW_UP, NULL);
	go(&r, EV(FOLLOW_UP_FAILED), R(OFFICER), "2014-12-22", M_NONE, ZL_INSP_UNCORRECTED, NULL);
	go(&r, EV(ANNOUNCE), R(OFFICER), "2015-01-05", M_NONE, ZL_INSP_ANNOUNCED, NULL);
	go(&r, EV(FOLLOW_UP_FAILED), R(OFFICER), "2015-02-02", M_NONE, ZL_INSP_UNCORRECTED, NULL);
	go(&r, EV(SUSPEND), R(OFFICER), "2015-02-05", M_NONE, ZL_INSP_SUSPENDED, "penalty/major");
	assert_string_equal(r.suspended_until, "2015-04-06");
	go(&r, EV(FOLLOW_UP_PASSED), R(OFFICER), "2015-04-07", M_NONE, ZL_INSP_CLOSED, NULL);
	assert_int_equal(r.outcome, ZL_INSP_OUTCOME_RECTIFIED);
	assert_string_equal(r.closed_on, "2015-04-07");
	assert_int_equal(r.extension, ZL_INSP_EXT_GRANTED);
	assert_int_equal(r.extension_days, 10);
	assert_int_equal(r.level, 2);
	/* Closed is terminal: only nothing (samples were returned) is left. */
	assert_int_equal(zl_insp_available(&r, &(struct zl_insp_env){&cal, "2015-04-08", NULL},
					   ZL_INSP_BY_ANY),
			 0);
}

static void test_refusal_and_revocation_path(void **state)
{
	struct zl_inspection r;

	(void)state;
	build(&r, FX_PLANNED);
	go(&r, EV(REFUSE_SAMPLING), R(INSPECTOR), "2014-09-10", M_NONE, ZL_INSP_REFUSED, NULL);
	go(&r, EV(WARN), R(OFFICER), "2014-09-11", M_NONE, ZL_INSP_PLANNED, "penalty/minor");
	go(&r, EV(REFUSE_SAMPLING), R(INSPECTOR), "2014-09-15", M_NONE, ZL_INSP_REFUSED, NULL);
	go(&r, EV(DEEM_FAILED), R(OFFICER), "2014-09-16", M_NONE, ZL_INSP_FAILED,
	   "spot_check/failed");
	assert_int_equal(r.deemed, 1);
	assert_int_equal(r.refusals, 2);
	assert_int_equal(r.warnings, 1);
	go(&r, EV(ORDER_RECTIFICATION), R(OFFICER), "2014-09-17", M_NONE, ZL_INSP_RECTIFYING, NULL);
	/* Received 18 September: 30 days end Saturday 18 October (off), so Monday the 20th. */
	go(&r, EV(LAPSE), R(SYSTEM), "2014-10-21", M_NONE, ZL_INSP_UNCORRECTED, NULL);
	go(&r, EV(ANNOUNCE), R(OFFICER), "2014-10-22", M_NONE, ZL_INSP_ANNOUNCED, NULL);
	go(&r, EV(FOLLOW_UP_FAILED), R(OFFICER), "2014-11-21", M_NONE, ZL_INSP_UNCORRECTED, NULL);
	go(&r, EV(SUSPEND), R(OFFICER), "2014-11-25", M_NONE, ZL_INSP_SUSPENDED, "penalty/major");
	go(&r, EV(FOLLOW_UP_FAILED), R(OFFICER), "2015-01-26", M_NONE, ZL_INSP_UNCORRECTED, NULL);
	go(&r, EV(REVOKE), R(OFFICER), "2015-02-02", M_NONE, ZL_INSP_CLOSED, "penalty/major");
	assert_int_equal(r.outcome, ZL_INSP_OUTCOME_REVOKED);
}

static void test_pass_paths(void **state)
{
	struct zl_inspection r;
	struct zl_insp_due dues[ZL_INSP_DUES_MAX];
	struct zl_insp_env env = env_at("2014-10-16");
	size_t n;

	(void)state;
	/* Tested, notified, received, closed by the timer after the period, samples returned. */
	build(&r, FX_WINDOW_PASS);
	assert_int_equal(zl_insp_dues(&r, &env, ZL_INSP_BY_SYSTEM, dues, &n, NULL), ZL_OK);
	assert_int_equal(n, 1);
	assert_int_equal(dues[0].task, ZL_INSP_TASK_CLOSE);
	assert_string_equal(dues[0].date, "2014-10-16");
	assert_int_equal(dues[0].ready, 1);
	go(&r, EV(CLOSE), R(SYSTEM), "2014-10-16", M_NONE, ZL_INSP_CLOSED, "spot_check/passed");
	assert_int_equal(r.outcome, ZL_INSP_OUTCOME_PASSED);
	assert_int_equal(zl_insp_dues(&r, &env, ZL_INSP_BY_LAB, dues, &n, NULL), ZL_OK);
	assert_int_equal(n, 1);
	assert_int_equal(dues[0].task, ZL_INSP_TASK_RETURN_SAMPLES);
	assert_string_equal(dues[0].date, "2014-10-22");
	go(&r, EV(RETURN_SAMPLES), R(LAB), "2014-10-20", M_NONE, ZL_INSP_CLOSED, NULL);
	assert_int_equal(zl_insp_dues(&r, &env, 0, dues, &n, NULL), ZL_OK);
	assert_int_equal(n, 0);

	/* Closed directly by the officer, inside the period: nothing can be contested. */
	build(&r, FX_WINDOW_PASS);
	go(&r, EV(CLOSE), R(OFFICER), "2014-10-01", M_NONE, ZL_INSP_CLOSED, "spot_check/passed");

	/* A failure overturned by the re-test. */
	build(&r, FX_WINDOW);
	go(&r, EV(OBJECT), R(ENTERPRISE), "2014-10-15", M_NONE, ZL_INSP_RETEST, NULL);
	go(&r, EV(RETEST_OVERTURNED), R(LAB), "2014-10-31", M_NONE, ZL_INSP_CLOSED,
	   "spot_check/passed");
	assert_int_equal(r.outcome, ZL_INSP_OUTCOME_OVERTURNED);
	assert_int_equal(r.conclusion, ZL_INSP_PASS);

	/* One of two failed items contested and overturned: the other still fails. */
	build(&r, FX_WINDOW);
	go(&r, EV(OBJECT), R(ENTERPRISE), "2014-10-15", M_CONTEST_ONE, ZL_INSP_RETEST, NULL);
	{
		struct zl_insp_event ev;
		struct zl_error err = ZL_ERROR_INIT;
		struct zl_insp_env e2 = env_at(TODAY);

		fill(&ev, EV(RETEST_OVERTURNED), R(LAB), "2014-10-31", M_CONTEST_ONE);
		ev.ncontested = 1;
		assert_int_equal(zl_insp_apply(&r, &ev, &e2, &r, NULL, &err), ZL_EUNPROC);
		assert_string_equal(err.field, "verdicts");
		fill(&ev, EV(RETEST_UPHELD), R(LAB), "2014-10-31", M_NONE);
		verdicts[0] = ZL_INSP_PASS;
		ev.ncontested = 1;
		assert_int_equal(zl_insp_apply(&r, &ev, &e2, &r, NULL, &err), ZL_OK);
		assert_int_equal(r.state, ZL_INSP_FAILED);
	}

	/* An untestable sample, resampled, then cancelled. */
	build(&r, FX_UNTESTABLE);
	go(&r, EV(RESAMPLE), R(OFFICER), "2014-09-16", M_NONE, ZL_INSP_PLANNED, NULL);
	assert_string_equal(r.sampled_on, "");
	assert_int_equal(r.resamples, 1);
	go(&r, EV(RECORD_SAMPLING), R(INSPECTOR), "2014-09-20", M_NONE, ZL_INSP_SAMPLED, NULL);
	go(&r, EV(CANCEL), R(OFFICER), "2014-09-22", M_NONE, ZL_INSP_CANCELLED, NULL);
	assert_int_equal(r.outcome, ZL_INSP_OUTCOME_CANCELLED);
	assert_int_equal(zl_insp_events_for(r.state, ZL_INSP_BY_ANY), 0);
}

/* ---- task lists and buttons ------------------------------------------------------------ */

static void test_dues(void **state)
{
	struct zl_inspection r;
	struct zl_insp_due dues[ZL_INSP_DUES_MAX];
	struct zl_insp_env env;
	size_t n;

	(void)state;
	/* Planned: the inspector, by the plan's day. */
	build(&r, FX_PLANNED);
	env = env_at("2014-10-01");
	assert_int_equal(zl_insp_dues(&r, &env, ZL_INSP_BY_INSPECTOR, dues, &n, NULL), ZL_OK);
	assert_int_equal(n, 1);
	assert_int_equal(dues[0].task, ZL_INSP_TASK_SAMPLE);
	assert_string_equal(dues[0].date, "2014-09-30");
	assert_int_equal(dues[0].overdue, 1);
	assert_int_equal(zl_insp_dues(&r, &env, ZL_INSP_BY_ENTERPRISE, dues, &n, NULL), ZL_OK);
	assert_int_equal(n, 0);

	/* Tested on 2014-09-26: notify by 2014-10-09, overdue from the 10th. */
	build(&r, FX_TESTED);
	env = env_at("2014-10-09");
	assert_int_equal(zl_insp_dues(&r, &env, ZL_INSP_BY_OFFICER, dues, &n, NULL), ZL_OK);
	assert_int_equal(n, 1);
	assert_int_equal(dues[0].task, ZL_INSP_TASK_NOTIFY);
	assert_string_equal(dues[0].date, "2014-10-09");
	assert_int_equal(dues[0].overdue, 0);
	env = env_at("2014-10-10");
	assert_int_equal(zl_insp_dues(&r, &env, ZL_INSP_BY_LAB, dues, &n, NULL), ZL_OK);
	assert_int_equal(dues[0].overdue, 1);

	/* The objection period of a failure. */
	build(&r, FX_WINDOW);
	env = env_at("2014-10-15");
	assert_int_equal(zl_insp_dues(&r, &env, 0, dues, &n, NULL), ZL_OK);
	assert_int_equal(n, 2);
	assert_int_equal(dues[0].task, ZL_INSP_TASK_OBJECT);
	assert_int_equal(dues[0].kind, ZL_INSP_RIGHT);
	assert_string_equal(dues[0].date, "2014-10-15");
	assert_int_equal(dues[1].task, ZL_INSP_TASK_FINALIZE);
	assert_string_equal(dues[1].date, "2014-10-16");
	assert_int_equal(dues[1].ready, 0);
	env = env_at("2014-10-16");
	assert_int_equal(zl_insp_dues(&r, &env, 0, dues, &n, NULL), ZL_OK);
	assert_int_equal(n, 2); /* the right is gone; the timer is ready; samples are due */
	assert_int_equal(dues[0].task, ZL_INSP_TASK_FINALIZE);
	assert_int_equal(dues[0].ready, 1);
	assert_int_equal(dues[1].task, ZL_INSP_TASK_RETURN_SAMPLES);
	assert_string_equal(dues[1].date, "2014-10-22");
	assert_int_equal(zl_insp_dues(&r, &env, ZL_INSP_BY_ENTERPRISE, dues, &n, NULL), ZL_OK);
	assert_int_equal(n, 0);

	/* Rectifying: order received 2014-10-21, rectify by 2014-11-20. */
	build(&r, FX_RECTIFYING);
	env = env_at("2014-11-15");
	assert_int_equal(zl_insp_dues(&r, &env, ZL_INSP_BY_ENTERPRISE, dues, &n, NULL), ZL_OK);
	assert_int_equal(n, 2);
	assert_int_equal(dues[0].task, ZL_INSP_TASK_RECTIFY);
	assert_string_equal(dues[0].date, "2014-11-20");
	assert_int_equal(dues[1].task, ZL_INSP_TASK_REQUEST_EXTENSION);
	assert_string_equal(dues[1].date, "2014-11-15");
	env = env_at("2014-11-21");
	assert_int_equal(
		zl_insp_dues(&r, &env, ZL_INSP_BY_ENTERPRISE | ZL_INSP_BY_SYSTEM, dues, &n, NULL),
		ZL_OK);
	assert_int_equal(n, 2);
	assert_int_equal(dues[0].task, ZL_INSP_TASK_RECTIFY);
	assert_int_equal(dues[0].overdue, 1);
	assert_int_equal(dues[1].task, ZL_INSP_TASK_LAPSE);
	assert_int_equal(dues[1].ready, 1);
	/* A pending request: the officer must decide; the period does not lapse meanwhile. */
	build(&r, FX_REQUESTED);
	assert_int_equal(
		zl_insp_dues(&r, &env, ZL_INSP_BY_OFFICER | ZL_INSP_BY_SYSTEM, dues, &n, NULL),
		ZL_OK);
	assert_int_equal(n, 2);
	assert_int_equal(dues[0].task, ZL_INSP_TASK_DECIDE_EXTENSION);
	assert_string_equal(dues[0].date, "2014-11-20");
	assert_int_equal(dues[0].overdue, 1);
	assert_int_equal(dues[1].task, ZL_INSP_TASK_RETURN_SAMPLES);

	/* Suspended: the follow-up check when the period ends. */
	build(&r, FX_SUSPENDED);
	env = env_at("2015-02-19");
	assert_int_equal(zl_insp_dues(&r, &env, ZL_INSP_BY_OFFICER, dues, &n, NULL), ZL_OK);
	assert_int_equal(dues[0].task, ZL_INSP_TASK_FOLLOW_UP);
	assert_string_equal(dues[0].date, "2015-02-18");
	assert_int_equal(dues[0].overdue, 1);

	/* A bad environment. */
	env = env_at("soon");
	assert_int_equal(zl_insp_dues(&r, &env, 0, dues, &n, NULL), ZL_EINVAL);
	assert_int_equal(n, 0);
}

#define BIT(e) (UINT64_C(1) << ZL_INSP_EV_##e)

static void test_buttons(void **state)
{
	struct zl_inspection r;
	struct zl_insp_env env;

	(void)state;
	assert_int_equal(zl_insp_events_for(ZL_INSP_PLANNED, ZL_INSP_BY_INSPECTOR),
			 BIT(RECORD_SAMPLING) | BIT(REFUSE_SAMPLING));
	assert_int_equal(zl_insp_events_for(ZL_INSP_PLANNED, ZL_INSP_BY_OFFICER), BIT(CANCEL));
	assert_int_equal(zl_insp_events_for(ZL_INSP_PLANNED, ZL_INSP_BY_ENTERPRISE), 0);
	assert_int_equal(zl_insp_events_for(ZL_INSP_CLOSED, ZL_INSP_BY_ANY), BIT(RETURN_SAMPLES));
	assert_int_equal(zl_insp_events_for(ZL_INSP_CANCELLED, ZL_INSP_BY_ANY), 0);

	build(&r, FX_RECTIFYING);
	env = env_at("2014-11-15");
	assert_int_equal(zl_insp_available(&r, &env, ZL_INSP_BY_ENTERPRISE),
			 BIT(REQUEST_EXTENSION) | BIT(APPLY_FOLLOW_UP));
	assert_int_equal(zl_insp_available(&r, &env, ZL_INSP_BY_SYSTEM), 0);
	assert_int_equal(zl_insp_available(&r, &env, ZL_INSP_BY_OFFICER),
			 BIT(REQUEST_EXTENSION) | BIT(APPLY_FOLLOW_UP) | BIT(EXEMPT) |
				 BIT(RETURN_SAMPLES));
	env = env_at("2014-11-21");
	assert_int_equal(zl_insp_available(&r, &env, ZL_INSP_BY_ENTERPRISE), 0);
	assert_int_equal(zl_insp_available(&r, &env, ZL_INSP_BY_SYSTEM), BIT(LAPSE));
	build(&r, FX_REQUESTED);
	assert_int_equal(zl_insp_available(&r, &env, ZL_INSP_BY_OFFICER),
			 BIT(GRANT_EXTENSION) | BIT(REFUSE_EXTENSION) | BIT(EXEMPT) |
				 BIT(RETURN_SAMPLES));
	build(&r, FX_WINDOW);
	env = env_at("2014-10-15");
	assert_int_equal(zl_insp_available(&r, &env, ZL_INSP_BY_ANY), BIT(OBJECT));
	env = env_at("2014-10-16");
	assert_int_equal(zl_insp_available(&r, &env, ZL_INSP_BY_ANY),
			 BIT(FINALIZE) | BIT(RETURN_SAMPLES));
	build(&r, FX_UNCORRECTED1);
	env = env_at(TODAY);
	assert_int_equal(zl_insp_available(&r, &env, ZL_INSP_BY_OFFICER),
			 BIT(SUSPEND) | BIT(EXEMPT) | BIT(RETURN_SAMPLES));
	env = env_at("bad");
	assert_int_equal(zl_insp_available(&r, &env, ZL_INSP_BY_ANY), 0);
}

/* ---- the table itself ------------------------------------------------------------------ */

static void test_table_shape(void **state)
{
	size_t n, ndue;
	const struct zl_insp_transition *t = zl_insp_transitions(&n);
	const struct zl_insp_due_rule *due = zl_insp_due_rules(&ndue);
	unsigned reached = 1u << ZL_INSP_PLANNED, used_events = 0;
	int grew = 1;

	(void)state;
	for (size_t i = 0; i < n; i++) {
		/* No duplicate rows: one next state per (state, event). */
		assert_ptr_equal(zl_insp_transition_find(t[i].from, t[i].event), &t[i]);
		assert_true(t[i].roles != 0 && (t[i].roles & ~ZL_INSP_BY_ANY) == 0);
		/* Terminal states are never left. */
		if (zl_insp_state_terminal(t[i].from))
			assert_int_equal(t[i].to, t[i].from);
		/* What it writes is a kind of the credit archive. */
		if (t[i].credit_kind != NULL) {
			assert_non_null(zl_credit_rule_find(t[i].credit_kind, t[i].credit_subkind));
			assert_non_null(t[i].credit_title);
		} else {
			assert_null(t[i].credit_subkind);
		}
		assert_true(t[i].guard[0] != '\0');
		used_events |= 1u << t[i].event;
	}
	assert_int_equal(used_events, (1u << ZL_INSP_EVENT_COUNT) - 1);
	/* Every state is reached from planned; every open state leads somewhere else. */
	while (grew) {
		grew = 0;
		for (size_t i = 0; i < n; i++)
			if ((reached & (1u << t[i].from)) && !(reached & (1u << t[i].to))) {
				reached |= 1u << t[i].to;
				grew = 1;
			}
	}
	assert_int_equal(reached, (1u << ZL_INSP_STATE_COUNT) - 1);
	for (int i = 0; i < ZL_INSP_STATE_COUNT; i++) {
		enum zl_insp_state s = (enum zl_insp_state)i;
		int leaves = 0, listed = 0;

		for (size_t j = 0; j < n; j++)
			leaves |= t[j].from == s && t[j].to != s;
		for (size_t j = 0; j < ndue; j++)
			listed |= due[j].state == s && due[j].task != ZL_INSP_TASK_RETURN_SAMPLES;
		assert_int_equal(leaves, !zl_insp_state_terminal(s));
		/* Every open state is on someone's list. */
		assert_int_equal(listed, !zl_insp_state_terminal(s));
	}
	/* A due rule's roles may fire the events that do its task's state's work. */
	for (size_t i = 0; i < ndue; i++)
		assert_true(zl_insp_events_for(due[i].state, due[i].roles) != 0);
	/* The rules the code uses are the table's. */
	{
		struct zl_insp_rules r = zl_insp_rules_default();

		assert_int_equal(r.notify_working_days, 5);
		assert_int_equal(r.objection_days, 15);
		assert_int_equal(r.sample_return_days, 7);
		assert_int_equal(r.rectification_days, 30);
		assert_int_equal(r.extension_max_days, 30);
		assert_int_equal(r.extension_notice_days, 5);
		assert_int_equal(zl_insp_deadline_rule(ZL_INSP_DL_NOTIFY)->unit, ZL_INSP_WORKING);
		assert_null(zl_insp_deadline_rule(ZL_INSP_DEADLINE_COUNT));
	}
}

static void test_names(void **state)
{
	(void)state;
	for (int s = 0; s < ZL_INSP_STATE_COUNT; s++) {
		enum zl_insp_state back;

		assert_int_equal(
			zl_insp_state_parse(zl_insp_state_name((enum zl_insp_state)s), &back),
			ZL_OK);
		assert_int_equal(back, s);
		assert_non_null(zl_insp_state_zh((enum zl_insp_state)s));
	}
	for (int e = 0; e < ZL_INSP_EVENT_COUNT; e++) {
		enum zl_insp_event_id back;

		assert_int_equal(
			zl_insp_event_parse(zl_insp_event_name((enum zl_insp_event_id)e), &back),
			ZL_OK);
		assert_int_equal(back, e);
	}
	for (int r = 0; r < ZL_INSP_ROLE_COUNT; r++) {
		enum zl_insp_role back;

		assert_int_equal(zl_insp_role_parse(zl_insp_role_name((enum zl_insp_role)r), &back),
				 ZL_OK);
		assert_int_equal(back, r);
	}
	/* The stored names, pinned: changing one breaks stored records. */
	assert_string_equal(zl_insp_state_name(ZL_INSP_OBJECTION_WINDOW), "objection_window");
	assert_string_equal(zl_insp_event_name(ZL_INSP_EV_ORDER_RECTIFICATION),
			    "order_rectification");
	assert_string_equal(zl_insp_role_name(ZL_INSP_ROLE_LAB), "lab");
	assert_string_equal(zl_insp_outcome_name(ZL_INSP_OUTCOME_OVERTURNED), "overturned");
	assert_null(zl_insp_state_name((enum zl_insp_state)ZL_INSP_STATE_COUNT));
	assert_null(zl_insp_event_name((enum zl_insp_event_id)ZL_INSP_EVENT_COUNT));
	{
		enum zl_insp_state s;
		enum zl_insp_event_id e;
		enum zl_insp_role r;
		enum zl_insp_verdict v;
		enum zl_insp_level l;
		enum zl_insp_outcome o;

		assert_int_equal(zl_insp_state_parse("Planned", &s), ZL_EINVAL);
		assert_int_equal(zl_insp_state_parse(NULL, &s), ZL_EINVAL);
		assert_int_equal(zl_insp_event_parse("approve", &e), ZL_EINVAL);
		assert_int_equal(zl_insp_role_parse("admin", &r), ZL_EINVAL);
		assert_int_equal(zl_insp_verdict_parse("fail", &v), ZL_OK);
		assert_int_equal(v, ZL_INSP_FAIL);
		assert_int_equal(zl_insp_level_parse("province", &l), ZL_OK);
		assert_int_equal(l, ZL_INSP_LEVEL_PROVINCE);
		assert_int_equal(zl_insp_outcome_parse("revoked", &o), ZL_OK);
		assert_int_equal(o, ZL_INSP_OUTCOME_REVOKED);
		assert_int_equal(zl_insp_outcome_parse("closed", &o), ZL_EINVAL);
	}
	assert_string_equal(zl_insp_extension_name(ZL_INSP_EXT_REFUSED), "refused");
	assert_string_equal(zl_insp_due_kind_name(ZL_INSP_TIMER), "timer");
	assert_string_equal(zl_insp_task_name(ZL_INSP_TASK_RECTIFY), "rectify");
}

static void test_json(void **state)
{
	struct zl_buf b = ZL_BUF_INIT(1 << 20);
	struct zl_jw w;
	cJSON *root, *rows, *row;
	size_t n;

	(void)state;
	zl_jw_init(&w, &b);
	zl_insp_describe_json(&w);
	assert_int_equal(zl_jw_error(&w), ZL_OK);
	root = cJSON_Parse(zl_buf_str(&b));
	assert_non_null(root);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(root, "states")),
			 ZL_INSP_STATE_COUNT);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(root, "events")),
			 ZL_INSP_EVENT_COUNT);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(root, "roles")),
			 ZL_INSP_ROLE_COUNT);
	rows = cJSON_GetObjectItem(root, "transitions");
	zl_insp_transitions(&n);
	assert_int_equal(cJSON_GetArraySize(rows), (int)n);
	/* Every row read back names a row of the table. */
	cJSON_ArrayForEach(row, rows)
	{
		enum zl_insp_state from, to;
		enum zl_insp_event_id ev;
		const struct zl_insp_transition *t;

		assert_int_equal(
			zl_insp_state_parse(cJSON_GetObjectItem(row, "from")->valuestring, &from),
			ZL_OK);
		assert_int_equal(
			zl_insp_event_parse(cJSON_GetObjectItem(row, "event")->valuestring, &ev),
			ZL_OK);
		assert_int_equal(
			zl_insp_state_parse(cJSON_GetObjectItem(row, "to")->valuestring, &to),
			ZL_OK);
		t = zl_insp_transition_find(from, ev);
		assert_non_null(t);
		assert_int_equal(t->to, to);
		assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(row, "roles")),
				 __builtin_popcount(t->roles));
	}
	cJSON_Delete(root);
	zl_buf_release(&b);
}

/* ---- docs/inspections.md --------------------------------------------------------------- */

#define DOC_BEGIN                                                                                  \
	"<!-- BEGIN generated by zl_insp_describe_markdown(); test_inspection checks it -->\n"
#define DOC_END "<!-- END generated -->\n"

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	struct zl_buf b = ZL_BUF_INIT((size_t)1 << 22);
	char chunk[8192];
	size_t got;

	if (f == NULL)
		return NULL;
	while ((got = fread(chunk, 1, sizeof(chunk), f)) > 0)
		assert_int_equal(zl_buf_add(&b, chunk, got), ZL_OK);
	fclose(f);
	return zl_buf_detach(&b, NULL);
}

static void test_docs(void **state)
{
	const char *root = getenv("ZL_TEST_ROOT");
	char path[512];
	struct zl_buf want = ZL_BUF_INIT((size_t)1 << 22);
	char *doc, *begin, *end;

	(void)state;
	snprintf(path, sizeof(path), "%s/docs/inspections.md", root && *root ? root : ".");
	doc = slurp(path);
	if (doc == NULL)
		fail_msg("cannot read %s (run from the repository root or set ZL_TEST_ROOT)", path);
	begin = strstr(doc, DOC_BEGIN);
	end = begin ? strstr(begin, DOC_END) : NULL;
	if (begin == NULL || end == NULL)
		fail_msg("%s lacks the generated block's markers", path);
	begin += strlen(DOC_BEGIN);
	assert_int_equal(zl_buf_adds(&want, "\n"), ZL_OK);
	assert_int_equal(zl_insp_describe_markdown(&want), ZL_OK);
	assert_int_equal(zl_buf_adds(&want, "\n"), ZL_OK);
	if ((size_t)(end - begin) != want.len || memcmp(begin, want.data, want.len) != 0) {
		if (getenv("ZL_INSP_WRITE_DOCS") != NULL) {
			FILE *f = fopen(path, "wb");

			assert_non_null(f);
			fwrite(doc, 1, (size_t)(begin - doc), f);
			fwrite(want.data, 1, want.len, f);
			fputs(end, f);
			fclose(f);
		} else {
			fail_msg("%s differs from the table in src/domain/inspection.def: "
				 "ZL_INSP_WRITE_DOCS=1 rewrites its generated part",
				 path);
		}
	}
	free(doc);
	zl_buf_release(&want);
}

/*
 * An imported failure (store/sc_import.h): state failed, outcome disposal_unknown.  Nothing
 * is due on it (no task, no timer); the outcome fits no other state; an officer's step
 * (the rectification order) clears it.
 */
static void test_disposal_unknown(void **state)
{
	struct zl_insp_env env = env_at(TODAY);
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_insp_due due[ZL_INSP_DUES_MAX];
	struct zl_inspection r, next;
	struct zl_insp_event ev;
	enum zl_insp_outcome o;
	size_t n = 99;
	(void)state;

	memset(&r, 0, sizeof(r));
	r.state = ZL_INSP_FAILED;
	r.outcome = ZL_INSP_OUTCOME_DISPOSAL_UNKNOWN;
	r.conclusion = ZL_INSP_FAIL;
	r.nitems = 2;
	r.failed[0] = 3;
	memcpy(r.report_on, "2014-06-01", 11);
	memcpy(r.notified_on, "2014-06-01", 11);
	memcpy(r.received_on, "2014-06-01", 11);
	memcpy(r.final_on, "2014-06-01", 11);
	memcpy(r.last_on, "2014-06-01", 11);
	assert_int_equal(zl_insp_check(&r, &err), ZL_OK);
	assert_int_equal(zl_insp_dues(&r, &env, 0, due, &n, &err), ZL_OK);
	assert_int_equal(n, 0);
	assert_string_equal(zl_insp_outcome_name(r.outcome), "disposal_unknown");
	assert_int_equal(zl_insp_outcome_parse("disposal_unknown", &o), ZL_OK);
	assert_int_equal(o, ZL_INSP_OUTCOME_DISPOSAL_UNKNOWN);
	/* The same failure of our own would be the officer's task. */
	r.outcome = ZL_INSP_OUTCOME_NONE;
	assert_int_equal(zl_insp_dues(&r, &env, 0, due, &n, &err), ZL_OK);
	assert_true(n > 0);
	r.outcome = ZL_INSP_OUTCOME_DISPOSAL_UNKNOWN;
	next = r;
	next.state = ZL_INSP_CLOSED;
	memcpy(next.closed_on, "2014-06-01", 11);
	assert_int_equal(zl_insp_check(&next, &err), ZL_EINTERNAL);
	memset(&ev, 0, sizeof(ev));
	ev.event = ZL_INSP_EV_ORDER_RECTIFICATION;
	ev.role = ZL_INSP_ROLE_OFFICER;
	ev.date = "2014-07-01";
	ev.doc_no = "豫质监责改〔2014〕1号";
	ev.received_on = "2014-07-02";
	if (zl_insp_apply(&r, &ev, &env, &next, NULL, &err) != ZL_OK)
		fail_msg("order_rectification: %s", err.message);
	assert_int_equal(next.state, ZL_INSP_RECTIFYING);
	assert_int_equal(next.outcome, ZL_INSP_OUTCOME_NONE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_disposal_unknown),
		cmocka_unit_test(test_table_rows),
		cmocka_unit_test(test_illegal_pairs),
		cmocka_unit_test(test_bad_inputs),
		cmocka_unit_test(test_deadlines_across_holidays),
		cmocka_unit_test(test_failure_path_with_extension),
		cmocka_unit_test(test_refusal_and_revocation_path),
		cmocka_unit_test(test_pass_paths),
		cmocka_unit_test(test_dues),
		cmocka_unit_test(test_buttons),
		cmocka_unit_test(test_table_shape),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_docs),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
