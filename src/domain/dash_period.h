/*
 * dash_period.h - quarters as the statistics and the dashboard write them
 * ("2014Q3"), turned into the dates that bound a period, so that the
 * inspection list can be filtered exactly as the statistics group (the
 * drill-down of docs/dashboard.md).  Pure: no I/O, no clock.
 */
#ifndef ZL_DOMAIN_DASH_PERIOD_H
#define ZL_DOMAIN_DASH_PERIOD_H

/* The first and last years a quarter or year filter may name. */
#define ZL_DASH_YEAR_MIN 1900
#define ZL_DASH_YEAR_MAX 9000

/*
 * Parse "YYYYQn" (exactly: four digits, a capital Q, 1..4, nothing after)
 * into *year and *quarter (1..4).  0, or -1 for anything else (NULL, empty,
 * a year outside ZL_DASH_YEAR_MIN..MAX, "2014q1", "2014Q5", "2014Q1 ").
 */
int zl_dash_quarter_parse(const char *s, int *year, int *quarter);

/*
 * The first day of quarter `quarter` of `year` as "YYYY-MM-DD" in out
 * (after = 1: the first day of the next quarter, so [first, next) bounds
 * it).  Both in range as zl_dash_quarter_parse returns them.
 */
void zl_dash_quarter_day(int year, int quarter, int after, char out[16]);

/* Parse "YYYY" (four digits, in range) into *year: 0, or -1. */
int zl_dash_year_parse(const char *s, int *year);

#endif /* ZL_DOMAIN_DASH_PERIOD_H */
