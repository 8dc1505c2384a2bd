/*
 * spotcheck_plans.h - spot-check plans (抽查计划) in the database
 * (migration 9, docs/spotchecks.md): a yearly or special plan of a
 * province, city or county organization with its products from the
 * catalogue and their quotas of batches per region, sampling places,
 * laboratories, budget, dates, the frequency matrix, its status and the
 * events of its life.
 *
 * A plan is checked by domain/spotcheck.h (zl_sc_plan_in_check), then
 * against the database here: its organization is current and belongs to a
 * government (province, city or county: the plan's level, fixed when it is
 * made); labs are current organizations of kind lab; products exist in
 * the catalogue and are active; every quota's region is a government in
 * the territory of the plan's government (a city plan never sets quotas
 * for another city, nor for a county the province administers directly).
 * Refusals are ZL_EUNPROC naming the field as domain/spotcheck.h does.
 *
 * Who may do what (domain/spotcheck.h, zl_sc_may and zl_sc_visible) is
 * the caller's business: the store refuses only what the machine forbids
 * (ZL_ECONFLICT: a change to a plan that is not a draft, a step the
 * status does not allow, a stale version).
 *
 * Transactions as in store/plans.h: inside the caller's when one is open.
 * Reads fill a set whose strings live in its arena.
 */
#ifndef ZL_STORE_SPOTCHECK_PLANS_H
#define ZL_STORE_SPOTCHECK_PLANS_H

#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/err.h"
#include "db/db.h"
#include "domain/spotcheck.h"
#include "store/plans.h" /* struct zl_plan_actor */

struct zl_sc_quota {
	const char *region;
	const char *region_name; /* the government's current name, "" */
	int64_t batches;
};

struct zl_sc_product {
	const char *code;
	const char *name;   /* the category's name, "" when it is gone */
	int risk;	    /* 1..3 */
	const char *status; /* the category's: active | retired */
	const char *lab;    /* "" none */
	struct zl_sc_quota *quotas;
	size_t nquotas;
	int64_t batches; /* the sum of its quotas */
};

struct zl_sc_place {
	const char *type; /* production | circulation | ecommerce */
	int64_t share;	  /* percent, 0 when by batches */
	int64_t batches;
};

struct zl_sc_lab {
	const char *org;
	const char *name;
	const char *path; /* "" when it has no current row */
};

struct zl_sc_event {
	int seq;
	const char *action; /* create | update | submit | approve | return | start | finish */
	const char *from, *to;
	const char *actor, *org, *at, *note;
};

struct zl_sc_plan {
	int64_t id;
	const char *title;
	int year;
	const char *kind;
	const char *org, *org_name, *org_path; /* path "" when the organization is gone */
	const char *gov, *gov_path, *level;    /* province | city | county */
	int64_t budget_fen;
	const char *start, *end, *note;
	int status; /* enum zl_sc_status */
	int version;
	const char *created_by, *created_at, *updated_by, *updated_at;
	const char *submitted_by, *submitted_at, *decided_by, *decided_at, *decision_note;
	struct zl_sc_lab *labs;
	size_t nlabs;
	const char **lab_paths; /* the labs' paths, for zl_sc_visible */
	int64_t batches;	/* of all products */
	int exclude_own_county; /* inspectors are never drawn from the enterprise's county */
	size_t nproducts_total; /* products of the plan (also in summaries) */
	/* Details (zl_store_sc_plan_get only; empty in lists). */
	struct zl_sc_place *places;
	size_t nplaces;
	struct zl_sc_product *products;
	size_t nproducts;
	struct zl_sc_freq freq;
	struct zl_sc_event *events;
	size_t nevents;
};

struct zl_sc_plan_set {
	struct zl_arena arena;
	struct zl_sc_plan *v;
	size_t n;
};

void zl_sc_plan_set_init(struct zl_sc_plan_set *s);
void zl_sc_plan_set_release(struct zl_sc_plan_set *s);

/* The facts the access rules need, pointing into p. */
void zl_sc_plan_facts(const struct zl_sc_plan *p, struct zl_sc_plan_facts *f);

/* One plan with every detail into `set` (one element); ZL_ENOTFOUND (field "id"). */
int zl_store_sc_plan_get(struct zl_db *db, int64_t id, struct zl_sc_plan_set *set,
			 struct zl_error *err);

/* Filters of zl_store_sc_plan_list; NULL / 0 / -1 members do not filter. */
struct zl_sc_plan_filter {
	int year;	   /* 0: any */
	const char *kind;  /* yearly | special */
	const char *level; /* province | city | county */
	int status;	   /* enum zl_sc_status, -1: any */
	const char *org;   /* owned by exactly this organization */
	const char *q;	   /* a fragment of the title (% and _ literal) */
	int open_only;	   /* 1: not finished (the current plans, not the record of past years) */
};

/*
 * The plans matching `f`, newest first (id descending), as summaries (no
 * places, products, matrix or events; labs, batches and the number of
 * products are there), into `set`.  Visibility is the caller's: filter the
 * set with zl_sc_visible().
 */
int zl_store_sc_plan_list(struct zl_db *db, const struct zl_sc_plan_filter *f,
			  struct zl_sc_plan_set *set, struct zl_error *err);

/* Store a new plan as a draft (event "create"); *id (may be NULL) receives its id. */
int zl_store_sc_plan_create(struct zl_db *db, const struct zl_sc_plan_in *in,
			    const struct zl_plan_actor *who, int64_t *id, struct zl_error *err);

/*
 * Replace draft plan `id` with `in` (every member; its organization may
 * change within the checks above).  ZL_ECONFLICT (field "status") unless it
 * is a draft; `expect_version` > 0: ZL_ECONFLICT (field "version") when
 * the plan is at another version.  Event "update".
 */
int zl_store_sc_plan_update(struct zl_db *db, int64_t id, const struct zl_sc_plan_in *in,
			    int expect_version, const struct zl_plan_actor *who,
			    struct zl_error *err);

/*
 * One step of the plan's life (enum zl_sc_action) with an optional note (a
 * return's reason: required, ZL_EUNPROC field "reason").  Submitting checks
 * again that every product is active (the catalogue may have changed).
 * Records who submitted or decided, and the event.  ZL_ECONFLICT (field
 * "status") when the status does not allow the step.
 */
int zl_store_sc_plan_act(struct zl_db *db, int64_t id, int action, const char *note,
			 const struct zl_plan_actor *who, struct zl_error *err);

#endif /* ZL_STORE_SPOTCHECK_PLANS_H */
