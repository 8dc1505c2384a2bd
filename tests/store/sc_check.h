/*
 * sc_check.h - the store suite's proof that the statistics' rollups
 * (store/scstats.h) equal a raw GROUP BY over the inspections, for every
 * grain, batches, failures and distinct enterprises; then that a rebuild
 * gives the same.  The raw side is written here again, on purpose not with
 * the store's SQL, from the definitions in docs/statistics.md.
 * Header-only; include after harness.h.
 */
#ifndef ZL_TEST_STORE_SC_CHECK_H
#define ZL_TEST_STORE_SC_CHECK_H

#include "store/scstats.h"

/* The raw facts, by docs/statistics.md. */
#define SC_RAW                                                                                     \
	"(SELECT i.uscc AS uscc, CASE WHEN i.conclusion = 'fail' THEN 1 ELSE 0 END AS fail,"      \
	" CASE WHEN i.sampled_on <> '' THEN substr(i.sampled_on, 1, 4) || 'Q' ||"                \
	"   CAST((CAST(substr(i.sampled_on, 6, 2) AS INTEGER) + 2) / 3 AS TEXT)"                  \
	"  WHEN i.report_on <> '' THEN substr(i.report_on, 1, 4) || 'Q' ||"                      \
	"   CAST((CAST(substr(i.report_on, 6, 2) AS INTEGER) + 2) / 3 AS TEXT)"                   \
	"  WHEN a.issued_on IS NOT NULL AND a.issued_on <> '' THEN substr(a.issued_on, 1, 4) ||" \
	"   'Q' || CAST((CAST(substr(a.issued_on, 6, 2) AS INTEGER) + 2) / 3 AS TEXT)"            \
	"  ELSE '' END AS q,"                                                                      \
	" CASE WHEN i.county LIKE '__90%' OR i.county = '' THEN i.county"                         \
	"  ELSE substr(i.county, 1, 4) || '00' END AS city,"                                      \
	" i.county AS county, i.product AS product, i.size_class AS sz, i.level AS lv,"          \
	" i.place AS pl"                                                                           \
	" FROM inspections i LEFT JOIN spotcheck_announcements a ON a.id = i.announcement_id"     \
	" WHERE i.conclusion IN ('pass', 'fail') AND i.deemed = 0 AND i.state IN ('tested',"      \
	" 'notified', 'objection_window', 'retest', 'failed', 'rectifying', 'follow_up',"        \
	" 'uncorrected', 'announced', 'suspended', 'closed')) r"

#define SC_RAW_AGG(SEL, GRP)                                                                       \
	"SELECT " SEL ", count(*), sum(fail), count(DISTINCT uscc),"                               \
	" count(DISTINCT CASE WHEN fail = 1 THEN uscc END) FROM " SC_RAW " GROUP BY " GRP
#define SC_CELLS(G)                                                                                \
	"SELECT quarter, city, county, product, size, level, place, batches, failed,"             \
	" enterprises, enterprises_failed FROM sc_cells WHERE grain = " #G
/* Rows of one side missing from the other, both ways. */
#define SC_DIFF(G, SEL, GRP)                                                                       \
	"SELECT count(*) FROM (" SC_RAW_AGG(SEL, GRP) " EXCEPT " SC_CELLS(G) ") d",              \
	"SELECT count(*) FROM (" SC_CELLS(G) " EXCEPT " SC_RAW_AGG(SEL, GRP) ") d"

static __attribute__((unused)) void sc_check_equal(struct zl_db *db)
{
	static const char *const diff[] = {
		SC_DIFF(1, "q, city, '', '', '', '', ''", "q, city"),
		SC_DIFF(2, "q, city, county, '', '', '', ''", "q, city, county"),
		SC_DIFF(3, "q, '', '', product, '', '', ''", "q, product"),
		SC_DIFF(4, "q, '', '', '', sz, lv, pl", "q, sz, lv, pl"),
		SC_DIFF(5, "q, city, county, product, sz, lv, pl",
			"q, city, county, product, sz, lv, pl"),
	};

	for (size_t i = 0; i < sizeof(diff) / sizeof(diff[0]); i++)
		if (harness_query_int(db, diff[i]) != 0)
			fail_msg("rollup grain %zu differs from the raw GROUP BY (%s)", i / 2 + 1,
				 i % 2 ? "extra cells" : "missing cells");
	/* No enterprise row for an empty cell, none left at zero. */
	assert_int_equal(harness_query_int(db, "SELECT count(*) FROM sc_cell_ents WHERE batches <= 0"
					       " OR failed < 0 OR failed > batches"),
			 0);
}

/* Rollups equal the raw GROUP BY now, and again after a rebuild. */
static __attribute__((unused)) void sc_check_rollups(struct zl_db *db)
{
	struct zl_error err = ZL_ERROR_INIT;
	int64_t ents = harness_query_int(db, "SELECT count(*) FROM sc_cell_ents");

	sc_check_equal(db);
	if (zl_store_sc_rollup_rebuild(db, &err) != ZL_OK)
		fail_msg("rebuild: %s", err.message);
	sc_check_equal(db);
	assert_int_equal(harness_query_int(db, "SELECT count(*) FROM sc_cell_ents"), ents);
}

#endif /* ZL_TEST_STORE_SC_CHECK_H */
