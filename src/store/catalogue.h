/*
 * catalogue.h - the key-product catalogue (重点监管产品目录) in the database
 * (migration 9, docs/spotchecks.md): product categories as a tree, each
 * with its GB/T 4754-2017 industries, risk level, key-supervised years,
 * standards and test items; created, changed and retired over the API
 * with every version kept as a JSON snapshot; seeded once from
 * codes/catalogue.h.
 *
 * A category is checked by domain/catalogue.h, then against the rest of
 * the catalogue here: its parent exists and is active, the tree stays a
 * tree (no cycles) of at most ZL_CAT_DEPTH_MAX levels, a retired category
 * has no active children.  Retired categories stay (plans name them) and
 * can be reinstated.
 *
 * The catalogue is small (hundreds of categories): reads load all of it, or
 * one category, into a set whose strings live in the set's arena, sorted by
 * code (bytewise, the same on both backends).
 *
 * Transactions: writes run inside the caller's transaction when one is open
 * (the handler adds its audit row to it), else in their own.  Errors:
 * ZL_EUNPROC naming the field, ZL_ENOTFOUND (field "code"), ZL_ECONFLICT
 * (an existing code, a stale version, active children), the database's.
 */
#ifndef ZL_STORE_CATALOGUE_H
#define ZL_STORE_CATALOGUE_H

#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/err.h"
#include "core/jw.h"
#include "db/db.h"
#include "domain/catalogue.h"
#include "store/plans.h" /* struct zl_plan_actor: who acts, and when */

struct zl_cat_std {
	const char *number;
	int year; /* 0 unknown */
	const char *title;
};

struct zl_cat_item {
	const char *name;
	const char *unit; /* "" none */
	int has_min, has_max;
	double min, max;
	const char *text;     /* "" none */
	const char *method;   /* "" none */
	const char *severity; /* serious | general */
};

struct zl_cat {
	const char *code;
	const char *parent; /* "" for a family */
	const char *name;
	int risk; /* 1..3 */
	int key_supervised, key_from, key_to;
	const char *note;
	const char *status;	/* active | retired */
	const char *retired_on; /* YYYY-MM-DD, "" while active */
	int version;
	const char *created_by, *created_at, *updated_by, *updated_at;
	int depth;	 /* 1 for a family (filled by zl_store_cat_load for whole sets) */
	size_t children; /* categories directly under it, active or not (whole sets) */
	const char **industries;
	size_t nindustries;
	struct zl_cat_std *standards;
	size_t nstandards;
	struct zl_cat_item *items;
	size_t nitems;
};

/* Categories read together, sorted by code; everything lives in the arena. */
struct zl_cat_set {
	struct zl_arena arena;
	struct zl_cat *v;
	size_t n;
};

void zl_cat_set_init(struct zl_cat_set *s);
void zl_cat_set_release(struct zl_cat_set *s);
/* The category of `code` in the set, or NULL. */
const struct zl_cat *zl_cat_set_find(const struct zl_cat_set *s, const char *code);

/*
 * Load the whole catalogue (code NULL) or one category (ZL_ENOTFOUND,
 * field "code", when there is none) with its industries, standards and
 * items into `set` (initialised by the caller; empty on failure).  depth
 * and children are filled only for the whole catalogue.
 */
int zl_store_cat_load(struct zl_db *db, const char *code, struct zl_cat_set *set,
		      struct zl_error *err);

/* The status ("active", "retired") and risk of category `code`; ZL_ENOTFOUND. */
int zl_store_cat_status(struct zl_db *db, const char *code, char status[16], int *risk,
			struct zl_error *err);

/* Create a category (version 1); ZL_ECONFLICT (field "code") when the code exists. */
int zl_store_cat_create(struct zl_db *db, const struct zl_cat_in *in,
			const struct zl_plan_actor *who, struct zl_error *err);

/*
 * Replace category in->code with `in` (every member; lists replaced) and,
 * when `status` is "active" or "retired" rather than NULL, set its status
 * (retired_on today; reinstating needs an active parent).  `expect_version`
 * > 0 makes it conditional: ZL_ECONFLICT (field "version") when the
 * category is at another version.  The version goes up by one.
 */
int zl_store_cat_update(struct zl_db *db, const struct zl_cat_in *in, const char *status,
			int expect_version, const struct zl_plan_actor *who, struct zl_error *err);

/*
 * Category `c` as the input of its next version (a PATCH starts from it):
 * its strings borrowed from `c`, its arrays allocated in `a`.  ZL_ENOMEM.
 */
int zl_cat_input_of(struct zl_arena *a, const struct zl_cat *c, struct zl_cat_in *in,
		    struct zl_error *err);

/* Retire category `code` (no active children: ZL_ECONFLICT); retiring twice is ZL_ECONFLICT. */
int zl_store_cat_retire(struct zl_db *db, const char *code, const struct zl_plan_actor *who,
			struct zl_error *err);

/* One version of a category. */
struct zl_cat_version {
	int version;
	const char *action; /* create | update | retire | reinstate | seed */
	const char *changed_by;
	const char *changed_at;
	const char *snapshot; /* the category as JSON, as GET answers it */
};
typedef int zl_cat_version_fn(void *cls, const struct zl_cat_version *v);

/* The versions of `code`, newest first; ZL_ENOTFOUND when there is no such category. */
int zl_store_cat_versions(struct zl_db *db, const char *code, zl_cat_version_fn *fn, void *cls,
			  struct zl_error *err);

/*
 * Load the seed catalogue (codes/catalogue.h) as version 1 of each
 * category, action "seed", when the catalogue is empty; otherwise nothing
 * (*loaded 0): once there, the catalogue is edited, never reseeded.
 * `loaded` may be NULL.
 */
int zl_store_cat_seed(struct zl_db *db, const struct zl_plan_actor *who, int *loaded,
		      struct zl_error *err);

/*
 * The category as JSON, the form of the version snapshots: code, parent,
 * name, risk ("I".."III"), key_supervised, key_from, key_to, note, status,
 * retired_on, version, industries [{code, division}], standards [{number,
 * year, title}], items [{name, unit, min, max, text, method, severity}].
 * _members writes them into an object the caller has opened.
 */
void zl_cat_write_json(struct zl_jw *w, const struct zl_cat *c);
void zl_cat_write_members(struct zl_jw *w, const struct zl_cat *c);

#endif /* ZL_STORE_CATALOGUE_H */
