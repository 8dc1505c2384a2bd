/*
 * workdays.c - the working-day calendar of workdays.h: the table of workdays_cn.def turned
 * into a bitmap of the covered days, and the deadline arithmetic over it.
 *
 * One bit per day (4,748 days, 75 words) with a running count of working days before each
 * word, so counting between two days is two popcounts and adding N working days skips whole
 * words by their popcount: adding a year's 250 working days touches about six words.
 */
#include "codes/workdays.h"

#include <assert.h>
#include <string.h>

#include "core/err.h"
#include "core/timeutil.h"

enum {
#define ZL_WD_NOTICE(id, year, kind, number, date, title) NOTICE_##id,
#define ZL_WD_OFF(notice, holiday, from, to)
#define ZL_WD_WORK(notice, holiday, date, weekday)
#include "codes/workdays_cn.def"
#undef ZL_WD_NOTICE
#undef ZL_WD_OFF
#undef ZL_WD_WORK
	NNOTICES
};

static const struct zl_workdays_notice notices[] = {
#define ZL_WD_NOTICE(id, year, kind, number, date, title)                                          \
	{#id, year, ZL_WD_##kind, number, date, title},
#define ZL_WD_OFF(notice, holiday, from, to)
#define ZL_WD_WORK(notice, holiday, date, weekday)
#include "codes/workdays_cn.def"
#undef ZL_WD_NOTICE
#undef ZL_WD_OFF
#undef ZL_WD_WORK
};

/* The weekdays a notice states for its make-up days ("（星期六）"). */
#define WEEKDAY_SAT 5
#define WEEKDAY_SUN 6

static const struct zl_workdays_fact facts[] = {
#define ZL_WD_NOTICE(id, year, kind, number, date, title)
#define ZL_WD_OFF(notice, holiday, from, to)                                                       \
	{NOTICE_##notice, ZL_WD_##holiday, ZL_WD_OFF, from, to, -1},
#define ZL_WD_WORK(notice, holiday, date, weekday)                                                 \
	{NOTICE_##notice, ZL_WD_##holiday, ZL_WD_WORK, date, date, WEEKDAY_##weekday},
#include "codes/workdays_cn.def"
#undef ZL_WD_NOTICE
#undef ZL_WD_OFF
#undef ZL_WD_WORK
};

#define NFACTS (sizeof(facts) / sizeof(facts[0]))

/* Every row of the table in order: NOTICE_ROW for a notice, the named notice for a fact. */
#define NOTICE_ROW SIZE_MAX
static const size_t row_notice[] = {
#define ZL_WD_NOTICE(id, year, kind, number, date, title) NOTICE_ROW,
#define ZL_WD_OFF(notice, holiday, from, to) NOTICE_##notice,
#define ZL_WD_WORK(notice, holiday, date, weekday) NOTICE_##notice,
#include "codes/workdays_cn.def"
#undef ZL_WD_NOTICE
#undef ZL_WD_OFF
#undef ZL_WD_WORK
};

static const struct {
	const char *zh;
	const char *en;
} holiday_names[ZL_WD_HOLIDAY_COUNT] = {
	[ZL_WD_NEW_YEAR] = {"元旦", "New Year's Day"},
	[ZL_WD_SPRING_FESTIVAL] = {"春节", "Spring Festival"},
	[ZL_WD_QINGMING] = {"清明节", "Qingming Festival"},
	[ZL_WD_LABOUR_DAY] = {"劳动节", "Labour Day"},
	[ZL_WD_DRAGON_BOAT] = {"端午节", "Dragon Boat Festival"},
	[ZL_WD_MID_AUTUMN] = {"中秋节", "Mid-Autumn Festival"},
	[ZL_WD_NATIONAL_DAY] = {"国庆节", "National Day"},
	[ZL_WD_MID_AUTUMN_NATIONAL_DAY] = {"中秋节、国庆节",
					   "Mid-Autumn Festival and National Day"},
	[ZL_WD_VICTORY_DAY_2015] = {"抗战胜利70周年纪念日", "70th anniversary of victory (2015)"},
};

const char *zl_workdays_holiday_name(int holiday)
{
	return holiday >= 0 && holiday < ZL_WD_HOLIDAY_COUNT ? holiday_names[holiday].zh : "?";
}

const char *zl_workdays_holiday_name_en(int holiday)
{
	return holiday >= 0 && holiday < ZL_WD_HOLIDAY_COUNT ? holiday_names[holiday].en : "?";
}

size_t zl_workdays_notice_count(void)
{
	return NNOTICES;
}

const struct zl_workdays_notice *zl_workdays_notice_at(size_t i)
{
	return i < NNOTICES ? &notices[i] : NULL;
}

size_t zl_workdays_fact_count(void)
{
	return NFACTS;
}

const struct zl_workdays_fact *zl_workdays_fact_at(size_t i)
{
	return i < NFACTS ? &facts[i] : NULL;
}

int zl_workdays_weekday(int64_t day)
{
	/* 1970-01-01 was a Thursday (3 when Monday is 0). */
	return (int)(((day + 3) % 7 + 7) % 7);
}

int64_t zl_workdays_day_of(int yyyymmdd)
{
	return zl_days_from_civil(yyyymmdd / 10000, (unsigned)(yyyymmdd / 100 % 100),
				  (unsigned)(yyyymmdd % 100));
}

int zl_workdays_yyyymmdd(int64_t day)
{
	int64_t y;
	unsigned m, d;

	zl_civil_from_days(day, &y, &m, &d);
	return (int)(y * 10000 + m * 100 + d);
}

static int yyyymmdd_valid(int v)
{
	return v > 0 && zl_date_valid(v / 10000, (unsigned)(v / 100 % 100), (unsigned)(v % 100));
}

static int covered(const struct zl_workdays *wd, int64_t day)
{
	return day >= wd->first && day < wd->end;
}

int zl_workdays_covers(const struct zl_workdays *wd, int64_t day)
{
	return covered(wd, day);
}

static void set_bit(struct zl_workdays *wd, int64_t day, int on)
{
	uint64_t i = (uint64_t)(day - wd->first);

	if (on)
		wd->bits[i / 64] |= UINT64_C(1) << (i % 64);
	else
		wd->bits[i / 64] &= ~(UINT64_C(1) << (i % 64));
}

static int get_bit(const struct zl_workdays *wd, int64_t day)
{
	uint64_t i = (uint64_t)(day - wd->first);

	return (int)((wd->bits[i / 64] >> (i % 64)) & 1);
}

/* Check the rules of workdays_cn.def's header; ZL_EINTERNAL names the offending row. */
static int check_table(struct zl_error *err)
{
	size_t f = 0;

	for (size_t i = 0; i < NNOTICES; i++) {
		const struct zl_workdays_notice *n = &notices[i];

		if (!yyyymmdd_valid(n->date))
			return zl_error_set(err, ZL_EINTERNAL, n->id, "notice %s: bad date %d",
					    n->id, n->date);
		if (i > 0 && n->date < notices[i - 1].date)
			return zl_error_set(err, ZL_EINTERNAL, n->id,
					    "notice %s is dated before the notice above it", n->id);
	}
	/* Facts follow their own notice, so table order is notice order. */
	for (size_t r = 0, cur = NOTICE_ROW, next = 0; r < sizeof(row_notice) / sizeof(size_t);
	     r++) {
		if (row_notice[r] == NOTICE_ROW) {
			cur = next++;
			continue;
		}
		if (row_notice[r] != cur)
			return zl_error_set(err, ZL_EINTERNAL, notices[row_notice[r]].id,
					    "fact %zu names notice %s but does not follow it", f,
					    notices[row_notice[r]].id);
		f++;
	}
	for (size_t i = 0; i < NFACTS; i++) {
		const struct zl_workdays_fact *x = &facts[i];
		const char *id = notices[x->notice].id;

		if (!yyyymmdd_valid(x->from) || !yyyymmdd_valid(x->to))
			return zl_error_set(err, ZL_EINTERNAL, id, "fact %zu (%s): bad date %d", i,
					    id, yyyymmdd_valid(x->from) ? x->to : x->from);
		if (x->to < x->from)
			return zl_error_set(err, ZL_EINTERNAL, id,
					    "fact %zu (%s): %d ends before it starts", i, id,
					    x->from);
		if (x->kind == ZL_WD_WORK &&
		    zl_workdays_weekday(zl_workdays_day_of(x->from)) != x->weekday)
			return zl_error_set(err, ZL_EINTERNAL, id,
					    "fact %zu (%s): make-up working day %d is not the %s "
					    "the notice states",
					    i, id, x->from,
					    x->weekday == WEEKDAY_SAT ? "Saturday" : "Sunday");
	}
	return ZL_OK;
}

int zl_workdays_init(struct zl_workdays *wd, struct zl_error *err)
{
	uint32_t total = 0;
	int rc;

	memset(wd, 0, sizeof(*wd));
	wd->first = zl_days_from_civil(ZL_WORKDAYS_FIRST_YEAR, 1, 1);
	wd->end = zl_days_from_civil(ZL_WORKDAYS_LAST_YEAR + 1, 1, 1);
	assert(wd->end - wd->first == ZL_WORKDAYS_NDAYS);
	rc = check_table(err);
	if (rc)
		return rc;
	for (int64_t d = wd->first; d < wd->end; d++)
		set_bit(wd, d, zl_workdays_weekday(d) < 5);
	/* In table order: the last fact naming a day wins (a change notice comes later). */
	for (size_t i = 0; i < NFACTS; i++) {
		int64_t a = zl_workdays_day_of(facts[i].from);
		int64_t b = zl_workdays_day_of(facts[i].to);

		for (int64_t d = a; d <= b; d++) {
			if (covered(wd, d))
				set_bit(wd, d, facts[i].kind == ZL_WD_WORK);
		}
	}
	for (size_t w = 0; w < ZL_WORKDAYS_WORDS; w++) {
		wd->before[w] = total;
		total += (uint32_t)__builtin_popcountll(wd->bits[w]);
	}
	return ZL_OK;
}

static int outside(int64_t day, const char *field, struct zl_error *err)
{
	char d[16];

	return zl_error_set(err, ZL_EUNPROC, field,
			    "%s is outside the working-day calendar, which covers %d-01-01 to "
			    "%d-12-31",
			    zl_date_format(day, d), ZL_WORKDAYS_FIRST_YEAR, ZL_WORKDAYS_LAST_YEAR);
}

int zl_workdays_is_working(const struct zl_workdays *wd, int64_t day, int *working,
			   struct zl_error *err)
{
	if (!covered(wd, day))
		return outside(day, "date", err);
	*working = get_bit(wd, day);
	return ZL_OK;
}

/* Working days among the first p covered days (0 <= p <= ZL_WORKDAYS_NDAYS). */
static int64_t prefix(const struct zl_workdays *wd, int64_t p)
{
	uint64_t w = (uint64_t)p / 64, b = (uint64_t)p % 64;

	if (w >= ZL_WORKDAYS_WORDS)
		return (int64_t)wd->before[ZL_WORKDAYS_WORDS - 1] +
		       __builtin_popcountll(wd->bits[ZL_WORKDAYS_WORDS - 1]);
	return (int64_t)wd->before[w] +
	       (b ? __builtin_popcountll(wd->bits[w] & ((UINT64_C(1) << b) - 1)) : 0);
}

int zl_workdays_count(const struct zl_workdays *wd, int64_t from, int64_t to, int64_t *out,
		      struct zl_error *err)
{
	if (!covered(wd, from))
		return outside(from, "from", err);
	if (!covered(wd, to))
		return outside(to, "to", err);
	if (to < from)
		return zl_error_set(err, ZL_EINVAL, "to", "the end date is before the start date");
	*out = prefix(wd, to - wd->first + 1) - prefix(wd, from - wd->first + 1);
	return ZL_OK;
}

int zl_workdays_add(const struct zl_workdays *wd, int64_t day, int64_t n, int64_t *out,
		    struct zl_error *err)
{
	uint64_t pos, w, word;
	int64_t left = n;

	if (!covered(wd, day))
		return outside(day, "date", err);
	if (n < 0)
		return zl_error_set(err, ZL_EINVAL, "n", "the number of working days is negative");
	if (n == 0) {
		*out = day;
		return ZL_OK;
	}
	/* Skip whole words by their popcount, then walk the bits of the last one. */
	pos = (uint64_t)(day - wd->first) + 1;
	w = pos / 64;
	word = w < ZL_WORKDAYS_WORDS ? wd->bits[w] & (~UINT64_C(0) << (pos % 64)) : 0;
	while (w < ZL_WORKDAYS_WORDS) {
		int c = __builtin_popcountll(word);

		if (c >= left) {
			while (--left > 0)
				word &= word - 1; /* drop the lowest set bit */
			*out = wd->first + (int64_t)(w * 64) + __builtin_ctzll(word);
			return ZL_OK;
		}
		left -= c;
		if (++w < ZL_WORKDAYS_WORDS)
			word = wd->bits[w];
	}
	{
		char d[16];

		return zl_error_set(err, ZL_EUNPROC, "n",
				    "%s plus %lld working days falls after %d-12-31, the end of "
				    "the working-day calendar",
				    zl_date_format(day, d), (long long)n, ZL_WORKDAYS_LAST_YEAR);
	}
}

int zl_workdays_next(const struct zl_workdays *wd, int64_t day, int64_t *out, struct zl_error *err)
{
	uint64_t pos, w, word;

	if (!covered(wd, day))
		return outside(day, "date", err);
	pos = (uint64_t)(day - wd->first);
	w = pos / 64;
	word = wd->bits[w] & (~UINT64_C(0) << (pos % 64));
	for (;;) {
		if (word) {
			*out = wd->first + (int64_t)(w * 64) + __builtin_ctzll(word);
			return ZL_OK;
		}
		if (++w >= ZL_WORKDAYS_WORDS)
			break;
		word = wd->bits[w];
	}
	{
		char d[16];

		return zl_error_set(err, ZL_EUNPROC, "date",
				    "no working day follows %s inside the working-day calendar",
				    zl_date_format(day, d));
	}
}

int zl_workdays_in_year(const struct zl_workdays *wd, int year, int64_t *out, struct zl_error *err)
{
	if (year < ZL_WORKDAYS_FIRST_YEAR || year > ZL_WORKDAYS_LAST_YEAR)
		return zl_error_set(err, ZL_EUNPROC, "year",
				    "the working-day calendar covers %d to %d, not %d",
				    ZL_WORKDAYS_FIRST_YEAR, ZL_WORKDAYS_LAST_YEAR, year);
	*out = prefix(wd, zl_days_from_civil(year + 1, 1, 1) - wd->first) -
	       prefix(wd, zl_days_from_civil(year, 1, 1) - wd->first);
	return ZL_OK;
}

const struct zl_workdays_fact *zl_workdays_fact_for(int64_t day)
{
	int v = zl_workdays_yyyymmdd(day);

	for (size_t i = NFACTS; i-- > 0;) {
		if (facts[i].from <= v && v <= facts[i].to)
			return &facts[i];
	}
	return NULL;
}
