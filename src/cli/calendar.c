/*
 * calendar.c - `zhiliang calendar`: China's official working-day calendar (codes/workdays.h)
 * from the command line, for checking a statutory deadline by hand or from a script.
 *
 *   calendar add-working-days DATE N   the day the N-th working day after DATE falls on
 *                                      (DATE itself not counted): "within 5 working days
 *                                      of 2014-09-30" ends on 2014-10-13
 *   calendar working-days FROM TO      the working days after FROM up to and including TO
 *   calendar is-working-day DATE       "DATE<TAB>working day|day off<TAB>why"; exit 0 or 1
 *   calendar next-working-day DATE     DATE, or the first working day after it
 *   calendar year YYYY                 the year's total, its notices, days off and make-up
 *                                      working days
 *
 * Dates are YYYY-MM-DD.  A malformed date or number, or a date or year outside the
 * calendar (2014-2026; the calendar refuses rather than guess), is a usage error: exit 2
 * with the reason on stderr.  The calendar is built on each run (microseconds).
 */
#include "cli/cli.h"

#include "codes/workdays.h"
#include "core/err.h"
#include "core/timeutil.h"

static const char calendar_usage[] = "usage: zhiliang calendar add-working-days DATE N\n"
				     "       zhiliang calendar working-days FROM TO\n"
				     "       zhiliang calendar is-working-day DATE\n"
				     "       zhiliang calendar next-working-day DATE\n"
				     "       zhiliang calendar year YYYY\n"
				     "DATE is YYYY-MM-DD; the calendar covers 2014-2026.\n";

static const char *const weekday_names[7] = {"Monday", "Tuesday",  "Wednesday", "Thursday",
					     "Friday", "Saturday", "Sunday"};

/* "zhiliang calendar: bad WHAT 'ARG' (expected EXPECTED)": exit 2. */
static int bad_arg(const char *what, const char *arg, const char *expected)
{
	fprintf(stderr, "zhiliang calendar: bad %s '%s' (expected %s)\n", what, arg, expected);
	return ZL_EXIT_USAGE;
}

static int bad_date(const char *arg)
{
	return bad_arg("date", arg, "YYYY-MM-DD, a real date");
}

/* A refusal of the calendar (outside its years, past its end): exit 2, the reason. */
static int refused(const struct zl_error *err)
{
	zl_cli_error("calendar", err);
	return ZL_EXIT_USAGE;
}

static int parse_date(const char *s, int64_t *day)
{
	return zl_date_parse(s, day) == ZL_OK ? 0 : -1;
}

/* 1 to 9 ASCII digits, nothing else. */
static int parse_count(const char *s, int64_t *n)
{
	int64_t v = 0;
	size_t i;

	for (i = 0; s[i]; i++) {
		if (s[i] < '0' || s[i] > '9' || i >= 9)
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	if (i == 0)
		return -1;
	*n = v;
	return 0;
}

static void print_date(int64_t day)
{
	char d[16];

	printf("%s\n", zl_date_format(day, d));
}

static int cmd_add(const struct zl_workdays *wd, char **argv)
{
	struct zl_error err = ZL_ERROR_INIT;
	int64_t day, n, out;

	if (parse_date(argv[2], &day))
		return bad_date(argv[2]);
	if (parse_count(argv[3], &n))
		return bad_arg("number of working days", argv[3], "a whole number, 0 to 999999999");
	if (zl_workdays_add(wd, day, n, &out, &err))
		return refused(&err);
	print_date(out);
	return ZL_EXIT_OK;
}

static int cmd_count(const struct zl_workdays *wd, char **argv)
{
	struct zl_error err = ZL_ERROR_INIT;
	int64_t from, to, n;

	if (parse_date(argv[2], &from))
		return bad_date(argv[2]);
	if (parse_date(argv[3], &to))
		return bad_date(argv[3]);
	if (zl_workdays_count(wd, from, to, &n, &err))
		return refused(&err);
	printf("%lld\n", (long long)n);
	return ZL_EXIT_OK;
}

/* "国庆节 National Day, 国办发明电〔2013〕28号" for a fact. */
static void print_fact_source(const struct zl_workdays_fact *f)
{
	printf("%s %s, %s", zl_workdays_holiday_name(f->holiday),
	       zl_workdays_holiday_name_en(f->holiday), zl_workdays_notice_at(f->notice)->number);
}

static int cmd_is(const struct zl_workdays *wd, char **argv)
{
	struct zl_error err = ZL_ERROR_INIT;
	const struct zl_workdays_fact *f;
	char d[16];
	int64_t day;
	int working = 0;

	if (parse_date(argv[2], &day))
		return bad_date(argv[2]);
	if (zl_workdays_is_working(wd, day, &working, &err))
		return refused(&err);
	printf("%s\t%s\t", zl_date_format(day, d), working ? "working day" : "day off");
	f = zl_workdays_fact_for(day);
	if (!f) {
		printf("%s\n", weekday_names[zl_workdays_weekday(day)]);
	} else {
		printf("%s, %s (", weekday_names[zl_workdays_weekday(day)],
		       f->kind == ZL_WD_WORK ? "make-up working day" : "holiday");
		print_fact_source(f);
		printf(")\n");
	}
	return working ? ZL_EXIT_OK : ZL_EXIT_FAIL;
}

static int cmd_next(const struct zl_workdays *wd, char **argv)
{
	struct zl_error err = ZL_ERROR_INIT;
	int64_t day, out;

	if (parse_date(argv[2], &day))
		return bad_date(argv[2]);
	if (zl_workdays_next(wd, day, &out, &err))
		return refused(&err);
	print_date(out);
	return ZL_EXIT_OK;
}

/* One fact as a line of `calendar year`, with a note when a later notice overrode it. */
static void print_fact_line(const struct zl_workdays *wd, const struct zl_workdays_fact *f)
{
	int64_t a = zl_workdays_day_of(f->from), b = zl_workdays_day_of(f->to);
	char da[16], db[16], when[40];
	int overridden = 0;

	zl_date_format(a, da);
	if (a == b)
		snprintf(when, sizeof(when), "%s %.3s", da, weekday_names[zl_workdays_weekday(a)]);
	else
		snprintf(when, sizeof(when), "%s .. %s", da, zl_date_format(b, db));
	for (int64_t d = a; d <= b; d++) {
		int w = f->kind == ZL_WD_WORK;

		if (zl_workdays_covers(wd, d) && zl_workdays_is_working(wd, d, &w, NULL) == ZL_OK &&
		    w != (f->kind == ZL_WD_WORK))
			overridden = 1;
	}
	printf("  %-5s %-25s %s %s%s\n", f->kind == ZL_WD_WORK ? "work" : "off", when,
	       zl_workdays_holiday_name(f->holiday), zl_workdays_holiday_name_en(f->holiday),
	       overridden ? " (changed by a later notice)" : "");
}

/* The facts of notice `notice` in date order (the table keeps the notice's item order). */
static void print_facts_by_date(const struct zl_workdays *wd, size_t notice)
{
	const struct zl_workdays_fact *sorted[64];
	size_t n = 0;

	for (size_t j = 0; j < zl_workdays_fact_count(); j++) {
		const struct zl_workdays_fact *f = zl_workdays_fact_at(j);
		size_t k = n;

		if (f->notice != notice)
			continue;
		if (n == sizeof(sorted) / sizeof(sorted[0])) {
			print_fact_line(wd, f); /* more than a notice ever holds: unsorted */
			continue;
		}
		while (k > 0 && sorted[k - 1]->from > f->from) {
			sorted[k] = sorted[k - 1];
			k--;
		}
		sorted[k] = f;
		n++;
	}
	for (size_t k = 0; k < n; k++)
		print_fact_line(wd, sorted[k]);
}

static void print_notice(const struct zl_workdays_notice *n)
{
	printf("%s, %d-%02d-%02d, %s%s\n", n->number, n->date / 10000, n->date / 100 % 100,
	       n->date % 100, n->title, n->kind == ZL_WD_CHANGE ? " (a change)" : "");
}

static int cmd_year(const struct zl_workdays *wd, char **argv)
{
	struct zl_error err = ZL_ERROR_INIT;
	int64_t total, weekdays = 0, off = 0, worked = 0, first, end;
	int year = 0;
	size_t shown = SIZE_MAX;
	const char *s = argv[2];

	for (int i = 0; i < 4; i++) {
		if (s[i] < '0' || s[i] > '9')
			return bad_arg("year", s, "YYYY");
		year = year * 10 + (s[i] - '0');
	}
	if (s[4])
		return bad_arg("year", s, "YYYY");
	if (zl_workdays_in_year(wd, year, &total, &err))
		return refused(&err);
	first = zl_days_from_civil(year, 1, 1);
	end = zl_days_from_civil(year + 1, 1, 1);
	for (int64_t d = first; d < end; d++) {
		int w = 0, weekday = zl_workdays_weekday(d) < 5;

		(void)zl_workdays_is_working(wd, d, &w, NULL);
		weekdays += weekday;
		off += weekday && !w;
		worked += !weekday && w;
	}
	printf("%d: %lld working days = %lld Monday-Friday - %lld of them off + %lld Saturdays "
	       "and Sundays worked\n",
	       year, (long long)total, (long long)weekdays, (long long)off, (long long)worked);
	for (size_t i = 0; i < zl_workdays_notice_count(); i++) {
		const struct zl_workdays_notice *n = zl_workdays_notice_at(i);

		if (n->year != year)
			continue;
		print_notice(n);
		print_facts_by_date(wd, i);
	}
	/* Days of this year that another year's notice sets (New Year periods). */
	for (size_t j = 0; j < zl_workdays_fact_count(); j++) {
		const struct zl_workdays_fact *f = zl_workdays_fact_at(j);
		const struct zl_workdays_notice *n = zl_workdays_notice_at(f->notice);

		if (n->year == year || (f->from / 10000 != year && f->to / 10000 != year))
			continue;
		if (shown != f->notice) {
			printf("set by the notice for %d: ", n->year);
			print_notice(n);
			shown = f->notice;
		}
		print_fact_line(wd, f);
	}
	return ZL_EXIT_OK;
}

int cmd_calendar(struct zl_ctx *ctx, int argc, char **argv);

int cmd_calendar(struct zl_ctx *ctx, int argc, char **argv)
{
	static const struct {
		const char *name;
		int nargs;
		int (*fn)(const struct zl_workdays *wd, char **argv);
	} subs[] = {
		{"add-working-days", 2, cmd_add},
		{"working-days", 2, cmd_count},
		{"is-working-day", 1, cmd_is},
		{"next-working-day", 1, cmd_next},
		{"year", 1, cmd_year},
	};
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_workdays wd;

	(void)ctx;
	if (argc < 2) {
		fprintf(stderr, "zhiliang calendar: missing subcommand\n%s", calendar_usage);
		return ZL_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		fputs(calendar_usage, stdout);
		return ZL_EXIT_OK;
	}
	for (size_t i = 0; i < sizeof(subs) / sizeof(subs[0]); i++) {
		if (strcmp(argv[1], subs[i].name))
			continue;
		if (argc != 2 + subs[i].nargs) {
			fprintf(stderr, "zhiliang calendar: %s takes %d argument%s\n%s",
				subs[i].name, subs[i].nargs, subs[i].nargs > 1 ? "s" : "",
				calendar_usage);
			return ZL_EXIT_USAGE;
		}
		if (zl_workdays_init(&wd, &err)) {
			zl_cli_error("calendar", &err);
			return ZL_EXIT_FAIL;
		}
		return subs[i].fn(&wd, argv);
	}
	fprintf(stderr, "zhiliang calendar: unknown subcommand '%s'\n%s", argv[1], calendar_usage);
	return ZL_EXIT_USAGE;
}
