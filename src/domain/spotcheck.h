/*
 * spotcheck.h - the rules of supervision spot-check plans (抽查计划,
 * docs/spotchecks.md): the frequency matrix and the weight it gives a
 * candidate enterprise, the plan's life (draft -> submitted -> approved ->
 * in progress -> finished), who sees and does what, and the check of a plan
 * as a client writes it before the store compares it with the catalogue and
 * the organization tree.
 *
 * The frequency matrix (classified supervision, DOMAIN.md section 4): for
 * every enterprise class and product risk level a positive weight, how
 * often an enterprise of that class is sampled relative to the others, for
 * a product of that level.  Classes are those of AQSIQ announcement 2012
 * No. 74 (工业企业产品质量分类监管试行办法), in force in 2014: AA 信用监管,
 * A 责任监管, B 常态监管, C 加严监管.  Risk levels are Ⅰ Ⅱ Ⅲ
 * (domain/catalogue.h).  Weights are integers in millionths (1.5 is
 * 1500000), the unit the random draw (domain/draw.h) takes, so a weight
 * goes to the draw without rounding.  zl_sc_freq_default() is the matrix a
 * plan gets when it gives none: the class factor from the food scheme's
 * yearly inspection counts (A ≥1, B 1-2, C 2-3, D 3-4: 1, 1.5, 2.5, 3.5 for
 * AA, A, B, C) times a risk factor (Ⅰ 2, Ⅱ 1.5, Ⅲ 1).  Both factors are a
 * recommendation, not a published rule [U]: every plan may set its own.
 *
 * The plan's life.  A plan is drafted and changed by its organization (or
 * one above it), submitted, then approved or returned (to draft, with a
 * reason) at provincial level - Henan's product quality regulation art. 9
 * makes the province approve city and county plans; the province's own
 * plans go through the same step - by someone other than who submitted it;
 * then started and finished by its organization.  Only a draft changes.
 *
 * Visibility (zl_sc_visible): planners who reach the plan's organization
 * see it from its first draft; provincial approvers see every plan from
 * submission (the approval queue); once approved, everyone under the
 * government the plan belongs to sees it (the cities carry out the
 * provincial plan, a county its city's), and so do its laboratories (their
 * own accounts, not the department above them).  So a
 * city never reads another city's plans, drafts or not.
 *
 * Pure: no I/O.  Strings are borrowed from the caller.
 */
#ifndef ZL_DOMAIN_SPOTCHECK_H
#define ZL_DOMAIN_SPOTCHECK_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

/* ---- the frequency matrix ---------------------------------------------------------- */

enum zl_sc_class { ZL_SC_AA = 0, ZL_SC_A, ZL_SC_B, ZL_SC_C, ZL_SC_CLASSES };
#define ZL_SC_RISKS 3 /* Ⅰ Ⅱ Ⅲ, index risk - 1 */

#define ZL_SC_WEIGHT_ONE UINT64_C(1000000)	    /* a weight of 1 */
#define ZL_SC_WEIGHT_MAX UINT64_C(1000000000000000) /* 1,000,000,000 */

/* "AA", "A", "B", "C" for the classes, NULL otherwise. */
const char *zl_sc_class_name(int cls);
/* The class named `s` into *cls; ZL_EUNPROC for any other text. */
int zl_sc_class_parse(const char *s, int *cls);

struct zl_sc_freq {
	uint64_t w[ZL_SC_CLASSES][ZL_SC_RISKS]; /* millionths, 1 .. ZL_SC_WEIGHT_MAX */
};

/* The default matrix (see above). */
void zl_sc_freq_default(struct zl_sc_freq *f);

/* Every cell 1 .. ZL_SC_WEIGHT_MAX; ZL_EUNPROC naming "frequency.B.II". */
int zl_sc_freq_check(const struct zl_sc_freq *f, struct zl_error *err);

/*
 * A weight as a client writes it (a JSON number: 1, 2.5, 0.25) into
 * millionths, rounded to the nearest; ZL_EUNPROC unless it is finite and
 * gives 1 .. ZL_SC_WEIGHT_MAX.
 */
int zl_sc_weight_parse(double x, uint64_t *w);
/* A weight in millionths as a number for JSON (2500000 -> 2.5). */
double zl_sc_weight_value(uint64_t w);

/*
 * The weight of a candidate: the cell of its class and the product's risk
 * level (1..3).  An enterprise not yet classified (cls NULL or "") counts as
 * class B, 常态监管 - the mode the 2012 rules give by default [U].  Returns
 * ZL_OK with *w set, or ZL_EUNPROC naming "class" (an unknown class) or
 * "risk" (not 1..3).
 */
int zl_sc_weight(const struct zl_sc_freq *f, const char *cls, int risk, uint64_t *w,
		 struct zl_error *err);

/* ---- the plan's life ----------------------------------------------------------------- */

enum zl_sc_status {
	ZL_SC_DRAFT = 0,
	ZL_SC_SUBMITTED,
	ZL_SC_APPROVED,
	ZL_SC_IN_PROGRESS,
	ZL_SC_FINISHED,
	ZL_SC_STATUSES
};

enum zl_sc_action {
	ZL_SC_SUBMIT = 0, /* draft -> submitted, by the plan's organization */
	ZL_SC_APPROVE,	  /* submitted -> approved, at provincial level, not by the submitter */
	ZL_SC_RETURN,	  /* submitted -> draft, at provincial level, with a reason */
	ZL_SC_START,	  /* approved -> in_progress, by the plan's organization */
	ZL_SC_FINISH,	  /* in_progress -> finished, by the plan's organization */
	ZL_SC_ACTIONS
};

/* "draft", "submitted", "approved", "in_progress", "finished"; NULL otherwise. */
const char *zl_sc_status_name(int s);
/* 草稿 已报送 已批准 实施中 已完成 (exports, messages). */
const char *zl_sc_status_zh(int s);
int zl_sc_status_parse(const char *s, int *out);
/* "submit", "approve", "return", "start", "finish"; NULL otherwise. */
const char *zl_sc_action_name(int a);

/*
 * The status after `a` from `from`; ZL_ECONFLICT ("a plan that is approved
 * cannot be submitted") when the machine has no such step.
 */
int zl_sc_transition(int from, int a, int *to, struct zl_error *err);

/* ---- who sees and does what -------------------------------------------------------------- */

struct zl_sc_caller {
	const char *path; /* the caller's organization path */
	int planner;	  /* holds spotcheck.plan */
	int approver;	  /* holds spotcheck.approve */
	const char *user; /* "alice", "token:ID": who acts */
};

struct zl_sc_plan_facts {
	int status;
	const char *owner_path; /* the plan's organization */
	const char *gov_path;	/* the government it belongs to (zl_org_path_government) */
	const char *const *lab_paths;
	size_t nlabs;
	const char *submitted_by; /* who submitted it last, "" never */
};

/* Is the caller a provincial approver (approver at provincial level)? */
int zl_sc_provincial_approver(const struct zl_sc_caller *c);

/* May the caller see the plan? (see above) */
int zl_sc_visible(const struct zl_sc_caller *c, const struct zl_sc_plan_facts *p);

/*
 * May the caller do `a` to the plan now, or change it (a = -1)?  ZL_OK, or
 * ZL_EFORBIDDEN saying who may, or ZL_ECONFLICT when the status forbids it
 * (the forbidden check comes first).  Changing and submit, start, finish
 * need a planner reaching the plan's organization; approve and return a
 * provincial approver who did not submit it.
 */
int zl_sc_may(const struct zl_sc_caller *c, const struct zl_sc_plan_facts *p, int a,
	      struct zl_error *err);

/* ---- the plan as a client writes it --------------------------------------------------------- */

#define ZL_SC_TITLE_MAX 200
#define ZL_SC_NOTE_MAX 2000
#define ZL_SC_REASON_MAX 500
#define ZL_SC_LABS_MAX 50
#define ZL_SC_PRODUCTS_MAX 500
#define ZL_SC_QUOTAS_MAX 400 /* regions per product: Henan has about 180 cities and counties */
#define ZL_SC_BATCHES_MAX 100000
#define ZL_SC_BUDGET_MAX INT64_C(1000000000000000) /* fen: ten trillion yuan */

/* Sampling places: 生产 (production), 流通 (circulation), 电商 (e-commerce). */
#define ZL_SC_PLACES 3
const char *zl_sc_place_name(int i);
const char *zl_sc_place_zh(int i);
int zl_sc_place_parse(const char *s, int *out);

struct zl_sc_quota_in {
	const char *region; /* GB/T 2260 code of a government in the plan's territory */
	int64_t batches;    /* 1 .. ZL_SC_BATCHES_MAX */
};

struct zl_sc_product_in {
	const char *code; /* a catalogue category */
	const char *lab;  /* one of the plan's labs, or NULL */
	const struct zl_sc_quota_in *quotas;
	size_t nquotas;
};

/* A sampling place with its share (percent) or its quota (batches): one of the two. */
struct zl_sc_place_in {
	const char *type; /* production | circulation | ecommerce */
	int64_t share;	  /* 1..100, or 0 */
	int64_t batches;  /* 1.., or 0 */
};

struct zl_sc_plan_in {
	const char *title;
	int year;
	const char *kind; /* yearly | special */
	const char *org;  /* the owning organization */
	int64_t budget_fen;
	const char *start; /* YYYY-MM-DD, required */
	const char *end;   /* YYYY-MM-DD, required, not before start */
	const char *note;
	const char *const *labs; /* organization codes of kind lab */
	size_t nlabs;
	const struct zl_sc_place_in *places;
	size_t nplaces;
	const struct zl_sc_product_in *products;
	size_t nproducts;
	int has_freq; /* 0: the default matrix */
	struct zl_sc_freq freq;
	/* The draw of inspectors may take one from the enterprise's own county
	 * (the rule "never from the own county" is off); 0, the default: it may not. */
	int own_county;
};

/*
 * Check a plan without a database: title, year (1949..2100), kind, org,
 * budget (0 .. ZL_SC_BUDGET_MAX fen), dates (start <= end), note; labs
 * given, unique; places of known types, unique, all by share (summing to
 * 100) or all by batches (summing to the plan's batches); at least one
 * product, codes well-formed and unique, a lab among the plan's, at least
 * one quota each, regions of six digits, unique, batches positive; the
 * matrix complete with positive weights.  ZL_EUNPROC naming the field
 * ("products[2].quotas.410100", "places[1].share", "frequency.B.II").
 */
int zl_sc_plan_in_check(const struct zl_sc_plan_in *in, struct zl_error *err);

/* The plan's batches: the sum of its quotas. */
int64_t zl_sc_plan_in_batches(const struct zl_sc_plan_in *in);

#endif /* ZL_DOMAIN_SPOTCHECK_H */
