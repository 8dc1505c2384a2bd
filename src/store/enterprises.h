/*
 * enterprises.h - the enterprise register (issue 4): one record per
 * enterprise keyed by its USCC, with history, former names, certifications
 * and awards, the name-fragment index and the change feed.
 *
 * Writes run inside the caller's transaction (zl_db_begin): an import
 * commits a whole file at once, a request commits a record and its audit
 * row together.  Each write that changes a record bumps `version`, stores
 * the new version's JSON snapshot in enterprise_versions, records a former
 * name when the name changed, refreshes the record's name grams and appends
 * a row to enterprise_changes.  A write that changes nothing changes
 * nothing (re-importing a file is idempotent).
 */
#ifndef ZL_STORE_ENTERPRISES_H
#define ZL_STORE_ENTERPRISES_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "db/db.h"

#define ZL_ENT_KEY_MAX 24 /* "91410100..." (18) or "ORG:" + 9 */

struct zl_enterprise {
	char uscc[ZL_ENT_KEY_MAX];  /* key: USCC, or "ORG:<org code>" when legacy */
	char org_code[12];          /* GB 11714 code (embedded in the USCC, or the legacy code) */
	int legacy;                 /* 1: only an organization code is known */
	char name[256];
	char region[8];             /* GB/T 2260 code */
	char industry[8];           /* GB/T 4754-2017 division (2 digits) or class (4) */
	char address[512];
	char legal_rep[128];
	char registered_capital[32]; /* 万元, as filed */
	char founded[12];           /* YYYY-MM-DD or "" */
	char size_class[12];        /* large | medium | small | micro | "" */
	char status[12];            /* operating | revoked | cancelled */
	char cqo_name[128];         /* 首席质量官 */
	char cqo_appointed[12];
	int64_t version;            /* read-only: set by the store */
	char created_at[32];        /* read-only */
	char updated_at[32];        /* read-only */
};

enum zl_upsert_outcome { ZL_UPSERT_UNCHANGED = 0, ZL_UPSERT_INSERTED, ZL_UPSERT_UPDATED };

/*
 * Insert or update one record (by e->uscc) inside the caller's transaction.
 * `actor` names who changed it (username, "import:FILE", "demo").  The
 * record must already be validated (http/cli layers validate; see
 * domain/enterprise.h).  `outcome` (may be NULL) says what happened.
 */
int zl_store_enterprise_upsert(struct zl_db *db, const struct zl_enterprise *e,
			       const char *actor, enum zl_upsert_outcome *outcome,
			       struct zl_error *err);

/* One record by key; ZL_ENOTFOUND when absent. */
int zl_store_enterprise_get(struct zl_db *db, const char *uscc, struct zl_enterprise *out,
			    struct zl_error *err);

/* Refresh the name-gram rows of one enterprise (its name and former names). */
int zl_store_enterprise_grams(struct zl_db *db, const char *uscc, struct zl_error *err);

#endif /* ZL_STORE_ENTERPRISES_H */
