/*
 * health.h - is the database usable by this program right now?  Used by
 * GET /healthz and `zhiliang serve` at start-up.
 */
#ifndef ZL_STORE_HEALTH_H
#define ZL_STORE_HEALTH_H

#include "core/err.h"
#include "db/db.h"

/*
 * Run a trivial query and check the schema version equals the one this
 * program needs.  Returns ZL_OK, or ZL_EUNAVAIL with a message such as
 * "schema at version 0, program needs 1; run zhiliang migrate" (or the
 * driver's error when the database cannot answer).  Read-only.
 */
int zl_store_health(struct zl_db *db, struct zl_error *err);

#endif /* ZL_STORE_HEALTH_H */
