/*
 * dash_period.c - quarters ("2014Q3") and years of the dashboard's filters
 * into the dates that bound them (dash_period.h).
 */
#include "domain/dash_period.h"

#include <stdio.h>

static int year4(const char *s, int *year)
{
	int y = 0;

	for (int i = 0; i < 4; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		y = y * 10 + (s[i] - '0');
	}
	if (y < ZL_DASH_YEAR_MIN || y > ZL_DASH_YEAR_MAX)
		return -1;
	*year = y;
	return 0;
}

int zl_dash_quarter_parse(const char *s, int *year, int *quarter)
{
	int y;

	/* year4 stops at the first non-digit, so a short string is never read past its end. */
	if (s == NULL || year4(s, &y) != 0)
		return -1;
	if (s[4] != 'Q' || s[5] < '1' || s[5] > '4' || s[6] != '\0')
		return -1;
	*year = y;
	*quarter = s[5] - '0';
	return 0;
}

int zl_dash_year_parse(const char *s, int *year)
{
	if (s == NULL || year4(s, year) != 0 || s[4] != '\0')
		return -1;
	return 0;
}

void zl_dash_quarter_day(int year, int quarter, int after, char out[16])
{
	unsigned q = (unsigned)(quarter - 1 + (after ? 1 : 0)), y;

	if (q >= 4) {
		year++;
		q -= 4;
	}
	/* In range for the format whatever the caller passed (the parsers give 1900..9000). */
	y = year < 0 ? 0u : (unsigned)year % 10000u;
	snprintf(out, 16, "%04u-%02u-01", y, q % 4u * 3u + 1u);
}
