/*
 * orgs.h - the organization tree: loading the reference tree, reading it (one organization,
 * lists, subtrees, as of a date) and changing it with history.
 *
 * Table orgs (migration 2) holds one row per (code, valid_from); the current row of a code
 * has valid_to NULL.  A rename, move or closure closes the current row (valid_to = the change
 * date) and, unless it is a closure, opens a new row from that date, so the history of names
 * and parents is kept.  `path` is the materialised path of codes from the root
 * ("/410000/410100/410102/"); it is recomputed for the whole current subtree when an
 * organization moves (descendants' rows are updated in place: their own parent did not
 * change).  Dates are "YYYY-MM-DD" text; "today" is the date in Asia/Shanghai.
 * The rules for codes, kinds and the directly administered counties are in docs/orgs.md.
 *
 * Write functions other than zl_store_load_orgs() run inside the caller's transaction
 * (so the caller can add its audit row to it); they never begin or commit one.
 */
#ifndef ZL_STORE_ORGS_H
#define ZL_STORE_ORGS_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "db/db.h"
#include "domain/authz.h"

#define ZL_ORG_NAME_MAX 192
#define ZL_ORG_ALIASES_MAX 16
#define ZL_ORG_HISTORY_MAX 32

/* One row of the tree.  Strings are NUL-terminated; "" stands for NULL. */
struct zl_org {
	char code[ZL_ORG_CODE_MAX];
	char kind[16];
	char name[ZL_ORG_NAME_MAX];
	char short_name[96];
	char parent[ZL_ORG_CODE_MAX];
	char path[ZL_ORG_PATH_MAX];
	char region[16];
	char valid_from[16];
	char valid_to[16]; /* "" while in force */
	char note[512];
};

/* One organization with what GET /api/v1/orgs/{code} shows. */
struct zl_org_info {
	struct zl_org org; /* the current row, or the last one when the organization is closed */
	size_t naliases;
	char aliases[ZL_ORG_ALIASES_MAX][96];
	int64_t children; /* current rows whose parent is this code */
	size_t nhistory;  /* every row of the code, oldest first (at most ZL_ORG_HISTORY_MAX) */
	struct zl_org history[ZL_ORG_HISTORY_MAX];
};

/*
 * Load (or refresh) the reference tree in one transaction (or inside the caller's, when one
 * is open): the government organizations derived from the GB/T 2260 table with their dated
 * direct-administration parents, and codes/orgs_henan.def with aliases.  Idempotent: rows
 * are upserted by (code, valid_from); a row an administrator has closed stays closed; the
 * paths of all current rows are then recomputed from their parents (an administrator's move
 * survives a reload).  ZL_EDB etc. with `err`; nothing is written on failure.
 */
int zl_store_load_orgs(struct zl_db *db, struct zl_error *err);

/*
 * The current row's materialised path of `code` into path[0..n) ("/410000/410100/").
 * ZL_ENOTFOUND when there is no current row with that code; ZL_ETOOBIG if n is too small.
 */
int zl_store_org_path(struct zl_db *db, const char *code, char *path, size_t n,
		      struct zl_error *err);

/* One organization (see struct zl_org_info); ZL_ENOTFOUND when the code has no row. */
int zl_store_org_get(struct zl_db *db, const char *code, struct zl_org_info *out,
		     struct zl_error *err);

/* Filters of zl_store_org_list(); NULL or "" means "any". */
struct zl_org_filter {
	const char *kind;
	const char *parent;
	const char *q;	/* fragment of the name, short name or an alias (LIKE, % and _ literal) */
	const char *at; /* rows valid on this date, "YYYY-MM-DD"; NULL: today */
	const char *within; /* only rows whose path starts with this path (the caller's subtree) */
	const char *after;  /* cursor: only codes sorting after this one */
};

typedef int zl_org_row_fn(void *cls, const struct zl_org *o);

/*
 * Rows matching `f`, ordered by code, at most `limit` (<= 0: all), each passed to fn (which
 * returns ZL_OK to go on, or an error that stops the walk and is returned).  *total (may be
 * NULL) receives the exact number of matching rows ignoring `after` and `limit`.
 * ZL_EINVAL (field "at") for a malformed date.
 */
int zl_store_org_list(struct zl_db *db, const struct zl_org_filter *f, long limit,
		      zl_org_row_fn *fn, void *cls, int64_t *total, struct zl_error *err);

/* The exact number of rows matching `f` (its `after` is ignored). */
int zl_store_org_count(struct zl_db *db, const struct zl_org_filter *f, int64_t *total,
		       struct zl_error *err);

/*
 * Create an organization.  `o` gives code, kind, name, parent (required), short_name,
 * region, note, valid_from ("" = today); path is computed.  Checks: kind known and not
 * "province", code valid for its kind (zl_org_code_check, ZL_EUNPROC field "code"), the code
 * never used before (ZL_ECONFLICT: codes are never reused), the parent current
 * (ZL_EUNPROC field "parent").  aliases[0..naliases) are added.  On success `o` is filled
 * with the stored row.  Runs in the caller's transaction.
 */
int zl_store_org_create(struct zl_db *db, struct zl_org *o, const char *const *aliases,
			size_t naliases, struct zl_error *err);

/* A change to an organization; NULL members are left as they are. */
struct zl_org_change {
	const char *name;
	const char *short_name;
	const char *parent; /* move */
	const char *note;
	const char *date; /* the change date, "YYYY-MM-DD"; NULL: today */
	int close;	  /* close the organization (no new row) */
	int set_aliases;  /* replace the aliases with aliases[0..naliases) */
	const char *const *aliases;
	size_t naliases;
};

/*
 * Rename/move/close `code`: the current row is closed with valid_to = date and a new row
 * opened from date with the changes (a change dated the current row's own valid_from
 * corrects that row in place).  A move recomputes the paths of the current subtree.
 * Errors: ZL_ENOTFOUND (no current row), ZL_EUNPROC (date before the current row's start,
 * unknown parent, a move into its own subtree, closing an organization with current
 * children - field named), ZL_EINVAL (malformed date).  `out` (may be NULL) receives the new
 * current row (the closed row for a closure).  Runs in the caller's transaction.
 */
int zl_store_org_update(struct zl_db *db, const char *code, const struct zl_org_change *ch,
			struct zl_org *out, struct zl_error *err);

/* An organization a name stands for (zl_store_org_match_name). */
struct zl_org_match {
	char code[ZL_ORG_CODE_MAX];
	char name[ZL_ORG_NAME_MAX];
	char path[ZL_ORG_PATH_MAX];
};

/*
 * The current organizations whose name, short name or an alias is exactly
 * `name` (a department as a plan writes it: 省质监局), by code, at most
 * `max` into out[]; *n receives how many matched (may exceed max: only
 * the first max are written).  Read-only.
 */
int zl_store_org_match_name(struct zl_db *db, const char *name, struct zl_org_match *out,
			    size_t max, size_t *n, struct zl_error *err);

/*
 * Add `alias` to organization `code` (a current one: ZL_EUNPROC "org"
 * otherwise); an alias already there is not an error.  An alias may name
 * several organizations (docs/orgs.md).  Runs in the caller's transaction.
 */
int zl_store_org_alias_add(struct zl_db *db, const char *alias, const char *code,
			   struct zl_error *err);

/* Today's date in Asia/Shanghai as "YYYY-MM-DD" into out. */
void zl_store_org_today(char out[16]);

#endif /* ZL_STORE_ORGS_H */
