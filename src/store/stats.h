/*
 * stats.h - row counts of what the database holds, for the home dashboard
 * and /metrics.  The list of counted things is a static table in stats.c:
 * a later issue adds one line per new aggregate.
 */
#ifndef ZL_STORE_STATS_H
#define ZL_STORE_STATS_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "db/db.h"

struct zl_store_count {
	const char *name; /* static string, e.g. "regions" */
	int64_t count;
};

/* How many entries zl_store_counts() fills (the size `out` needs). */
size_t zl_store_count_kinds(void);

/*
 * Fill out[0..*n) with one count per kind, in table order (at most `max`;
 * ZL_ETOOBIG if `max` is smaller than zl_store_count_kinds(), with the
 * first `max` filled).  Reads only; run it in a transaction for a
 * consistent snapshot.
 */
int zl_store_counts(struct zl_db *db, struct zl_store_count *out, size_t max, size_t *n,
		    struct zl_error *err);

#endif /* ZL_STORE_STATS_H */
