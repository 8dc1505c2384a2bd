/*
 * workdays.h - China's official working-day calendar (2014-2026) and the deadline
 * arithmetic statutory rules need: "notify the enterprise within 5 working days of the
 * report" (Henan regulation art. 14) is counted in this calendar.
 *
 * A working day is Monday to Friday, minus the days off of the State Council's yearly
 * holiday notices, plus the weekend days those notices declare working days (调休上班).
 * The facts are the table workdays_cn.def (one row per holiday period or make-up day, each
 * under the notice it comes from; sources listed there and in docs/calendar.md).
 *
 * Coverage is 2014-01-01 to 2026-12-31.  Outside it the calendar knows nothing and every
 * function refuses (ZL_EUNPROC): a deadline computed with Monday-Friday alone would be
 * silently wrong around a holiday, which is worse than no answer.  Adding a year is a
 * data change (docs/calendar.md).
 *
 * Dates are int64 day numbers since 1970-01-01 (core/timeutil.h).  struct zl_workdays is a
 * bitmap of the covered days, built once by zl_workdays_init() (a few microseconds) and
 * then only read: share one per process between threads, or build one where needed.
 * Every function is pure; none allocates.
 *
 * Conventions, all the same "D itself not counted" rule:
 *   zl_workdays_add(D, N)     the day on which the N-th working day after D falls:
 *                             "within 5 working days of D" ends on zl_workdays_add(D, 5).
 *                             2014-09-30 + 5 = 2014-10-13 (National Day 1-7 October off,
 *                             Saturday 11 October worked).  N = 0 gives D itself.
 *   zl_workdays_count(A, B)   the working days in (A, B]: after A, up to and including B,
 *                             so zl_workdays_count(D, zl_workdays_add(D, N)) == N.
 *   zl_workdays_next(D)       D if it is a working day, else the first working day after
 *                             it: where a deadline that falls on a day off moves to.
 */
#ifndef ZL_CODES_WORKDAYS_H
#define ZL_CODES_WORKDAYS_H

#include <stddef.h>
#include <stdint.h>

struct zl_error;

#define ZL_WORKDAYS_FIRST_YEAR 2014
#define ZL_WORKDAYS_LAST_YEAR 2026

/* Leap years in 1..y, and the days of the years first..last (a constant expression). */
#define ZL_WORKDAYS_LEAPS_(y) ((y) / 4 - (y) / 100 + (y) / 400)
#define ZL_WORKDAYS_NDAYS                                                                          \
	((ZL_WORKDAYS_LAST_YEAR - ZL_WORKDAYS_FIRST_YEAR + 1) * 365 +                              \
	 ZL_WORKDAYS_LEAPS_(ZL_WORKDAYS_LAST_YEAR) -                                               \
	 ZL_WORKDAYS_LEAPS_(ZL_WORKDAYS_FIRST_YEAR - 1))
#define ZL_WORKDAYS_WORDS ((ZL_WORKDAYS_NDAYS + 63) / 64)

/* The holidays a fact belongs to (names in zl_workdays_holiday_name()). */
enum zl_workdays_holiday {
	ZL_WD_NEW_YEAR,		       /* 元旦 */
	ZL_WD_SPRING_FESTIVAL,	       /* 春节 */
	ZL_WD_QINGMING,		       /* 清明节 */
	ZL_WD_LABOUR_DAY,	       /* 劳动节 */
	ZL_WD_DRAGON_BOAT,	       /* 端午节 */
	ZL_WD_MID_AUTUMN,	       /* 中秋节 */
	ZL_WD_NATIONAL_DAY,	       /* 国庆节 */
	ZL_WD_MID_AUTUMN_NATIONAL_DAY, /* 中秋节、国庆节, one period */
	ZL_WD_VICTORY_DAY_2015,	       /* 抗战胜利70周年纪念日 */
	ZL_WD_HOLIDAY_COUNT
};

enum zl_workdays_notice_kind {
	ZL_WD_ARRANGEMENT, /* the yearly notice (国务院办公厅关于YYYY年部分节假日安排的通知) */
	ZL_WD_CHANGE, /* a later notice that changes or adds to a year's arrangement */
};

enum zl_workdays_fact_kind {
	ZL_WD_OFF,  /* days off */
	ZL_WD_WORK, /* a weekend day declared a working day */
};

/* One notice of the table.  Strings are static UTF-8. */
struct zl_workdays_notice {
	const char *id;	    /* "N2014": its name in workdays_cn.def */
	int year;	    /* the year whose arrangement it sets or changes */
	int kind;	    /* enum zl_workdays_notice_kind */
	const char *number; /* "国办发明电〔2013〕28号" */
	int date;	    /* the date it bears, YYYYMMDD */
	const char *title;  /* "国务院办公厅关于2014年部分节假日安排的通知" */
};

/* One fact: days off from..to, or one make-up working day (from == to). */
struct zl_workdays_fact {
	size_t notice; /* index of its notice (zl_workdays_notice_at) */
	int holiday;   /* enum zl_workdays_holiday */
	int kind;      /* enum zl_workdays_fact_kind */
	int from;      /* YYYYMMDD, inclusive */
	int to;	       /* YYYYMMDD, inclusive */
	int weekday;   /* a make-up day's weekday as the notice states it: 5 Sat, 6 Sun; -1 */
};

/*
 * The calendar: bit i of `bits` is set when day `first` + i is a working day; `before[w]`
 * counts the working days of the words before word w.  Built by zl_workdays_init() and
 * read-only afterwards.  About 1 KiB; may live on the stack.
 */
struct zl_workdays {
	int64_t first; /* day number of ZL_WORKDAYS_FIRST_YEAR-01-01 */
	int64_t end;   /* day number of the day after the last covered day */
	uint64_t bits[ZL_WORKDAYS_WORDS];
	uint32_t before[ZL_WORKDAYS_WORDS];
};

/*
 * Build `wd` from the table.  Returns ZL_OK, or ZL_EINTERNAL (with a message naming the
 * row in `err`, which may be NULL) when the compiled-in table breaks one of its rules:
 * notices out of date order, a fact not under its notice, a date that is not a real date,
 * a range ending before it starts, a make-up working day that does not fall on the
 * Saturday or Sunday its notice states.
 * The unit tests keep that from happening; callers may treat it as a bug.
 */
int zl_workdays_init(struct zl_workdays *wd, struct zl_error *err);

/* 1 if `day` is inside the covered years, else 0. */
int zl_workdays_covers(const struct zl_workdays *wd, int64_t day);

/*
 * Store in *working 1 if `day` is a working day, 0 if not.  Returns ZL_OK, or ZL_EUNPROC
 * when `day` is outside the calendar (message in `err`, field "date"; *working untouched).
 */
int zl_workdays_is_working(const struct zl_workdays *wd, int64_t day, int *working,
			   struct zl_error *err);

/*
 * Store in *out the day on which the n-th working day after `day` falls (`day` itself not
 * counted; n == 0 gives `day`).  Returns ZL_OK; ZL_EINVAL for n < 0 (field "n");
 * ZL_EUNPROC when `day` is outside the calendar (field "date") or the result would fall
 * after its last day (field "n").  *out is untouched on failure.  Cost: a few word
 * operations per 64 days, well under a microsecond for a year's worth of working days.
 */
int zl_workdays_add(const struct zl_workdays *wd, int64_t day, int64_t n, int64_t *out,
		    struct zl_error *err);

/*
 * Store in *out the number of working days after `from` up to and including `to`.
 * Returns ZL_OK; ZL_EINVAL when `to` is before `from` (field "to"); ZL_EUNPROC when
 * either day is outside the calendar (field "from" or "to").  Constant time.
 */
int zl_workdays_count(const struct zl_workdays *wd, int64_t from, int64_t to, int64_t *out,
		      struct zl_error *err);

/*
 * Store in *out `day` if it is a working day, else the first working day after it.
 * Returns ZL_OK, or ZL_EUNPROC when `day` is outside the calendar (field "date") or no
 * working day follows inside it.
 */
int zl_workdays_next(const struct zl_workdays *wd, int64_t day, int64_t *out, struct zl_error *err);

/*
 * Store in *out the number of working days of the calendar year `year`.  Returns ZL_OK,
 * or ZL_EUNPROC when the year is not covered (field "year").
 */
int zl_workdays_in_year(const struct zl_workdays *wd, int year, int64_t *out, struct zl_error *err);

/* "元旦" / "New Year's Day" for an enum zl_workdays_holiday; "?" for anything else. */
const char *zl_workdays_holiday_name(int holiday);
const char *zl_workdays_holiday_name_en(int holiday);

/* The table, in its order (notices by date; each notice's facts after it). */
size_t zl_workdays_notice_count(void);
const struct zl_workdays_notice *zl_workdays_notice_at(size_t i); /* NULL past the end */
size_t zl_workdays_fact_count(void);
const struct zl_workdays_fact *zl_workdays_fact_at(size_t i); /* NULL past the end */

/*
 * The fact that decides `day` (the last one in table order naming it), or NULL when none
 * does and the day is an ordinary weekday or weekend day.  A scan of the table: for
 * explaining a day, not for arithmetic.
 */
const struct zl_workdays_fact *zl_workdays_fact_for(int64_t day);

/* Day of the week of a day number: 0 Monday .. 6 Sunday. */
int zl_workdays_weekday(int64_t day);

/* YYYYMMDD <-> day number (no validation of the YYYYMMDD parts beyond the arithmetic). */
int64_t zl_workdays_day_of(int yyyymmdd);
int zl_workdays_yyyymmdd(int64_t day);

#endif /* ZL_CODES_WORKDAYS_H */
