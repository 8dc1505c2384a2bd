/*
 * demo.h - synthetic demonstration data for `zhiliang init --demo`.
 *
 * Everything is generated from the caller's seeded random stream
 * (core/rand.h), so one seed always yields the same data; nothing here is
 * real: codes are algorithmically valid but made up (DOMAIN.md section 1).
 */
#ifndef ZL_STORE_DEMO_H
#define ZL_STORE_DEMO_H

#include "core/err.h"
#include "core/rand.h"
#include "db/db.h"

/*
 * Add `n` synthetic manufacturing enterprises of Henan in ONE transaction
 * (opened and committed here; the caller must not hold one): valid USCCs
 * (type 91, registered in a county of Henan in force, a valid GB 11714
 * subject code), realistic names (city or county + trade name + industry
 * word + 有限公司 / 股份有限公司) over the 18 city-level units and divisions
 * 13-41, founding dates, sizes, legal representatives, addresses, chief
 * quality officers, some certifications, awards and former names, and
 * archive events (store/credit.h) for about one in ten.  Running it again
 * with the same seed changes nothing (each record is unchanged, and its
 * certifications, awards and events are written only on insert).
 * Returns ZL_OK, or the first error (nothing written then).  20,000 take a
 * few seconds on SQLite.
 */
int zl_store_demo_enterprises(struct zl_db *db, struct zl_rng *rng, int n, struct zl_error *err);

#endif /* ZL_STORE_DEMO_H */
