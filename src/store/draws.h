/*
 * draws.h - the verifiable random draws of spot checks as a service
 * (migration 10, docs/spotchecks.md "Draws and inspections as a service",
 * docs/draws.md): drawing the enterprises a plan samples for one product
 * and the inspectors who go to them, from lists built here out of the
 * register, the plan and the accounts, with the commitment stored before
 * the draw and the whole record after.
 *
 * A draw of enterprises (kind "select") for a plan in progress, one
 * product and some of its region quotas:
 *
 *   candidates  operating enterprises of the register in each region (a
 *               city's territory without the counties the province
 *               administers directly, a county, or the whole province),
 *               whose GB/T 4754 industry matches one of the catalogue
 *               category's (or, when it names none, its nearest
 *               ancestor's), either being a prefix of the other; less
 *               those another inspection of the same product by the same
 *               authority or one above it has sampled in the last six
 *               months, or has drawn and not sampled yet (河南省产品质量监督
 *               管理条例 art. 12, SAMR order 18): the inspections table is
 *               the memory, cancelled ones do not count;
 *   weights     the plan's frequency matrix, the cell of the enterprise's
 *               class (enterprise_classes; none is B) and the product's
 *               risk level (zl_sc_weight);
 *   strata      the regions, each drawing its quota less what earlier draws
 *               of the plan took there (inspections not cancelled), at most
 *               its candidates: a region short of candidates draws them all
 *               and the shortfall is kept (spotcheck_draw_strata); an
 *               enterprise in the territory of two regions of the draw (a
 *               city and its district) is a candidate of the narrower one.
 *
 * Publishing stores both commitments, the seed (secret: nothing shows it
 * before the draw) and the commitment record (domain/draw_record.h, no
 * seed, no result) whose inputs are the canonical list; extra members say
 * which draw, plan and product it is, and name the candidates and regions.
 * Drawing reads that record back, checks its inputs still hash to the
 * stored commitment, draws with the stored seed, stores the whole record
 * and makes one inspection (state planned) per selected enterprise, in
 * selection order.
 *
 * A draw of inspectors (kind "inspectors") is published for the planned
 * inspections of a drawn select draw that have no inspectors yet: the pool
 * is every enabled account of role inspector in the subtree of the plan's
 * organization or of the governments of those inspections' regions, each
 * named in the record by a pseudonym (I001, I002, ... in the order of the
 * usernames; spotcheck_draw_pool maps them back) with the county its
 * government is when that is a county, and the enterprises of those
 * inspections it declared a conflict of interest with; two per inspection,
 * never from the enterprise's county when the plan says so.  A pool that
 * cannot staff every inspection is refused at publication (ZL_EUNPROC,
 * field "pool"): whether it can does not depend on the seed.  Drawing
 * assigns the inspectors (inspection_inspectors).
 *
 * The seed comes from the caller (the HTTP layer takes it from libsodium's
 * random source): the store reads no random source.  Who may draw is the
 * caller's decision (domain/inspection_access.h); the store refuses what
 * the data forbid: ZL_ECONFLICT for a plan not in progress, a draw already
 * open for the product, quotas already drawn, a draw drawn twice or before
 * its not_before; ZL_EUNPROC naming the member for a product or region the
 * plan does not have, no candidates, a pool too small.
 *
 * Transactions as in store/plans.h: inside the caller's when one is open,
 * else each write in its own.
 */
#ifndef ZL_STORE_DRAWS_H
#define ZL_STORE_DRAWS_H

#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/err.h"
#include "db/db.h"
#include "domain/draw.h"
#include "store/plans.h" /* struct zl_plan_actor */

/* How far back the six-month rule looks. */
#define ZL_DRAW_LOOKBACK_MONTHS 6
/* Inspectors per inspection (双随机: at least two). */
#define ZL_DRAW_INSPECTORS_PER_TASK 2

/* What to draw enterprises for. */
struct zl_draw_new {
	int64_t plan_id;
	const char *product;		/* a catalogue code of the plan's products */
	const char *const *regions;	/* quota regions; NULL / 0: all with batches left */
	size_t nregions;
	const char *label;		/* NULL: "<plan title> <code> <product name>" */
	const char *not_before;		/* RFC 3339 UTC: no draw before; NULL: none */
};

/*
 * Publish a draw of enterprises with `seed` (32 bytes, kept secret until
 * it is drawn): build the candidates, store the commitment.  *id (may be
 * NULL) receives its id.  Refusals: ZL_ENOTFOUND (field "plan"),
 * ZL_ECONFLICT (field "status": the plan is not in progress; "product": a
 * draw of it is published and not drawn; "regions": nothing left to draw),
 * ZL_EUNPROC ("product", "regions[i]", "label", "not_before", or the
 * engine's refusal of the list).
 */
int zl_store_draw_publish(struct zl_db *db, const struct zl_draw_new *in,
			  const unsigned char seed[ZL_DRAW_SEED_BYTES],
			  const struct zl_plan_actor *who, int64_t *id, struct zl_error *err);

/*
 * Publish the draw of inspectors for the planned, unstaffed inspections of
 * the drawn select draw `select_id`, with `seed`.  ZL_ENOTFOUND (field
 * "id"); ZL_ECONFLICT when that draw is not drawn, is not of kind select,
 * has nothing to staff or an inspectors draw of it is open; ZL_EUNPROC
 * (field "pool") when the pool cannot staff an inspection (the message
 * names it and the numbers).
 */
int zl_store_draw_publish_inspectors(struct zl_db *db, int64_t select_id,
				     const unsigned char seed[ZL_DRAW_SEED_BYTES],
				     const struct zl_plan_actor *who, int64_t *id,
				     struct zl_error *err);

/*
 * Draw `id` (either kind) with its stored seed at who->now: store the
 * record, then make the inspections (select) or assign the inspectors.
 * ZL_ENOTFOUND; ZL_ECONFLICT (field "status") when drawn already, or the
 * plan is no longer in progress; (field "not_before") before its time;
 * ZL_EINTERNAL when the stored inputs no longer hash to the commitment.
 */
int zl_store_draw_make(struct zl_db *db, int64_t id, const struct zl_plan_actor *who,
		       struct zl_error *err);

/* One region of a draw of enterprises. */
struct zl_draw_stratum_row {
	const char *region;
	const char *region_name; /* the government's current name, "" */
	const char *region_path; /* its path, "" */
	int64_t plan_quota;	 /* the plan's batches for the product there */
	int64_t earlier;	 /* drawn before (inspections not cancelled) */
	int64_t candidates;	 /* after the exclusions */
	int64_t quota;		 /* drawn now: min(plan_quota - earlier, candidates) */
};

/* One member of an inspectors draw's pool (staff only: the record has pseudonyms). */
struct zl_draw_pool_row {
	const char *member;
	const char *username;
};

/* A stored draw.  Strings live in the set's arena. */
struct zl_sc_draw {
	int64_t id;
	int64_t plan_id;
	const char *plan_title;
	const char *plan_org, *plan_org_path; /* path "" when the organization is gone */
	int plan_status;		      /* enum zl_sc_status */
	const char *product, *product_name;
	const char *kind; /* select | inspectors */
	int64_t of_draw;  /* inspectors: the select draw; else 0 */
	const char *label;
	const char *status; /* published | drawn */
	const char *input_commitment, *seed_commitment;
	const char *seed; /* 64 hex digits once drawn, "" before: never read it earlier */
	const char *record; /* the published record: the commitment, or the whole once drawn */
	int64_t candidates, selected;
	const char *not_before, *org, *published_by, *published_at, *drawn_by, *drawn_at;
	/* Details (zl_store_draw_get only). */
	struct zl_draw_stratum_row *strata;
	size_t nstrata;
	struct zl_draw_pool_row *pool;
	size_t npool;
	int64_t *inspections; /* made by it (select) or staffed by it (inspectors), by position */
	size_t ninspections;
	int64_t *inspector_draws; /* select: its inspectors draws */
	size_t ninspector_draws;
};

struct zl_sc_draw_set {
	struct zl_arena arena;
	struct zl_sc_draw *v;
	size_t n;
};

void zl_sc_draw_set_init(struct zl_sc_draw_set *s);
void zl_sc_draw_set_release(struct zl_sc_draw_set *s);

/* Draw `id` with every detail into `set` (one element); ZL_ENOTFOUND (field "id"). */
int zl_store_draw_get(struct zl_db *db, int64_t id, struct zl_sc_draw_set *set,
		      struct zl_error *err);

/* Filters of zl_store_draw_list; 0 / NULL do not filter. */
struct zl_draw_filter {
	int64_t plan_id;
	const char *product;
	const char *kind;   /* select | inspectors */
	const char *status; /* published | drawn */
	int64_t before;	    /* cursor: ids below it */
	int public_only;    /* plans in progress or finished only (the portal's list) */
};

/*
 * The draws matching `f`, newest first, without details and without the
 * record text (record "" in the set), into `set`.  Who sees a draw (its
 * plan's visibility) is the caller's to filter.
 */
int zl_store_draw_list(struct zl_db *db, const struct zl_draw_filter *f,
		       struct zl_sc_draw_set *set, struct zl_error *err);

/* ---- the inputs draws read ------------------------------------------------------------------ */

/*
 * Set the class of classified supervision (AA, A, B, C) of enterprise
 * `uscc` from `decided_on` (YYYY-MM-DD), or remove it (cls NULL: class B
 * again).  ZL_EUNPROC (field "class") for another class; ZL_ENOTFOUND
 * (field "uscc") for an enterprise not in the register.
 */
int zl_store_ent_class_set(struct zl_db *db, const char *uscc, const char *cls,
			   const char *decided_on, const char *note,
			   const struct zl_plan_actor *who, struct zl_error *err);
/* The class of `uscc` into cls ("" when none is set). */
int zl_store_ent_class_get(struct zl_db *db, const char *uscc, char cls[4], struct zl_error *err);

/* One declared conflict of interest. */
struct zl_conflict {
	char username[33];
	char uscc[24];
	char name[256]; /* the enterprise's name in the register, "" */
	char reason[2001];
	char declared_at[32];
	char withdrawn_at[32]; /* "" while in force */
};
#define ZL_CONFLICT_REASON_MAX 500 /* characters */

/*
 * Declare (or declare again, after a withdrawal) that inspector `username`
 * has a conflict of interest with enterprise `uscc`.  ZL_ENOTFOUND (field
 * "uscc") when it is not in the register; ZL_ECONFLICT when the
 * declaration is in force already; ZL_EUNPROC (field "reason") too long.
 */
int zl_store_conflict_declare(struct zl_db *db, const char *username, const char *uscc,
			      const char *reason, const struct zl_plan_actor *who,
			      struct zl_error *err);
/* Withdraw it; ZL_ENOTFOUND when none is in force.  Draws published before keep it. */
int zl_store_conflict_withdraw(struct zl_db *db, const char *username, const char *uscc,
			       const struct zl_plan_actor *who, struct zl_error *err);

typedef int zl_conflict_fn(void *cls, const struct zl_conflict *c);
/* The declarations of `username` (withdrawn ones too), by USCC. */
int zl_store_conflicts(struct zl_db *db, const char *username, zl_conflict_fn *fn, void *cls,
		       struct zl_error *err);

#endif /* ZL_STORE_DRAWS_H */
