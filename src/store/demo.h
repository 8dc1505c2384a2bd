/*
 * demo.h - synthetic demonstration data for `zhiliang init --demo`.
 *
 * The register is generated from the caller's seeded random stream
 * (core/rand.h), so one seed always yields the same data; nothing there is
 * real: codes are algorithmically valid but made up (DOMAIN.md section 1).
 * The plan ledger replays a real plan's structure with invented progress.
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

/*
 * The demonstration plan ledger (store/demo_plans.c): Henan's 2014 quality
 * plan from plan_henan_2014.def - its 4 sections and 18 tasks with their
 * departments resolved - with invented dates relative to `today`
 * ("YYYY-MM-DD": the work began 150 days before), milestones, indicators
 * and confirmed reports giving a mix of green, yellow, red and done; the
 * local plans of 郑州, 洛阳, 新乡, 鹤壁 and 漯河 decomposed from it with their
 * own reports, and 中原区's from 郑州's.  One transaction (opened here; the
 * caller must not hold one).  Does nothing when the demo plan exists.
 */
int zl_store_demo_plans(struct zl_db *db, const char *today, struct zl_error *err);

/*
 * The demonstration catalogue and spot-check plans (store/demo_spotchecks.c):
 * the seed catalogue, the province's yearly plan for 2014 by the quality
 * bureau (approved, in progress) and 郑州's special plan for 2014 (submitted,
 * awaiting provincial approval); `today` dates the events.  One transaction
 * (opened here; the caller must not hold one).  Does nothing when the
 * provincial demo plan exists.
 */
int zl_store_demo_spotchecks(struct zl_db *db, const char *today, struct zl_error *err);

/*
 * The demonstration draws and inspections (store/demo_inspections.c): in
 * the provincial plan (zl_store_demo_spotchecks first), a draw of cement
 * makers in 郑州 and 洛阳 and its draw of inspectors, both drawn with seeds
 * derived from fixed text, and the inspections carried through 2014 to a
 * failure under rectification, a pass, an objection and a sample at the
 * laboratory; a few enterprise classes, a declared conflict, and the
 * organization of the failed enterprise, whose USCC goes to `enterprise`
 * ("" when nothing was done).  The inspector accounts demo.insp.zj1..3
 * (410000-D006), demo.insp.ly1 (410300) and demo.insp.ly2 (410305) must
 * exist: the command creates them.  One transaction (opened here).  Does
 * nothing when the plan has draws already.
 */
int zl_store_demo_inspections(struct zl_db *db, const char *today, char enterprise[24],
			      struct zl_error *err);

/* What zl_store_demo_history() wrote. */
struct zl_demo_history {
	int64_t inspections; /* 0 when it found the history there already */
	int64_t failed;	     /* final failures (overturned ones pass) */
	int64_t first_id, last_id;
	int64_t authorities;
};

/*
 * The demonstration history (store/demo_history.c, docs/demo.md): five
 * years (2010-2014) of synthetic spot-check results at the register's
 * makers of the catalogue's products - `per_mille` of 220,000 batches
 * (1000 for the demo; tests take fewer) - in finished yearly plans per
 * authority and published announcements per authority and quarter, every
 * inspection closed (timer-free and on nobody's list).  Needs the register
 * and the catalogue (zl_store_demo_enterprises, zl_store_demo_spotchecks);
 * its plans and inspections get ids after those there.  Seeded from fixed
 * text: the same register gives the same history.  One transaction (opened
 * here; the caller must not hold one).  Does nothing when the history is
 * there.  *out (may be NULL) receives the figures.
 */
int zl_store_demo_history(struct zl_db *db, int per_mille, struct zl_demo_history *out,
			  struct zl_error *err);

#endif /* ZL_STORE_DEMO_H */
