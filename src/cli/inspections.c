/*
 * inspections.c - `zhiliang inspections`: the spot-check lifecycle's housekeeping.
 *
 *   inspections fire-timers [--today YYYY-MM-DD]
 *       fire every timer of the lifecycle that is ready as of the day
 *       (default today in Asia/Shanghai): finalize or close once the
 *       objection period is over, lapse once the rectification period is
 *       (zl_store_insp_fire_timers, docs/inspections.md).  The daily run,
 *       which `serve` also does on its own.  Prints one summary line;
 *       each inspection skipped (a period ending past the working-day
 *       calendar, a record changed meanwhile) is named on stderr and left
 *       for the next run.
 *
 * Exit status: 0 when the run was made (even with inspections skipped:
 * they are reported, and the others fired); 1 when it could not be made
 * (the database); 2 for a usage error.
 */
#include <inttypes.h>

#include "cli/cli.h"
#include "core/buf.h"
#include "core/timeutil.h"
#include "store/inspections.h"
#include "store/orgs.h"

int cmd_inspections(struct zl_ctx *ctx, int argc, char **argv);

#define USAGE "usage: zhiliang inspections fire-timers [--today YYYY-MM-DD]\n"

static int usage(void)
{
	fputs(USAGE, stderr);
	return ZL_EXIT_USAGE;
}

void zl_cli_timers_summary(const char *today, const struct zl_insp_timer_stats *st, char *out,
			   size_t n)
{
	size_t len;
	int first = 1;

	snprintf(out, n,
		 "timers of %s: %" PRId64 " inspections with a timer, %" PRId64 " steps fired",
		 today, st->inspections, st->fired);
	for (int e = 0; e < ZL_INSP_EVENT_COUNT; e++) {
		if (st->by_event[e] == 0)
			continue;
		len = strlen(out);
		snprintf(out + len, n - len, "%s%s %" PRId64, first ? " (" : ", ",
			 zl_insp_event_name((enum zl_insp_event_id)e), st->by_event[e]);
		first = 0;
	}
	len = strlen(out);
	snprintf(out + len, n - len, "%s, %" PRId64 " skipped", first ? "" : ")", st->skipped);
}

static void report_skip(void *cls, int64_t id, const struct zl_error *err)
{
	(void)cls;
	if (err->field[0])
		fprintf(stderr, "zhiliang inspections: inspection %" PRId64 " skipped: %s (%s)\n",
			id, err->message, err->field);
	else
		fprintf(stderr, "zhiliang inspections: inspection %" PRId64 " skipped: %s\n", id,
			err->message);
}

static int fire_timers(struct zl_ctx *ctx, int argc, char **argv)
{
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_insp_timer_stats st;
	char today[16], line[512];
	struct zl_db *db;
	int64_t day;

	zl_store_org_today(today);
	for (int i = 2; i < argc; i++) {
		const char *v = NULL;

		if (!strcmp(argv[i], "--today") && i + 1 < argc)
			v = argv[++i];
		else if (!strncmp(argv[i], "--today=", 8))
			v = argv[i] + 8;
		if (v == NULL || zl_date_parse(v, &day) != ZL_OK)
			return usage();
		zl_strlcpy(today, v, sizeof(today));
	}
	if ((db = zl_cli_open_db(ctx, "inspections", 1)) == NULL)
		return ZL_EXIT_FAIL;
	if (zl_store_insp_fire_timers(db, today, &st, report_skip, NULL, &err) != ZL_OK) {
		zl_cli_error("inspections", &err);
		return ZL_EXIT_FAIL;
	}
	zl_cli_timers_summary(today, &st, line, sizeof(line));
	puts(line);
	return ZL_EXIT_OK;
}

int cmd_inspections(struct zl_ctx *ctx, int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "fire-timers"))
		return fire_timers(ctx, argc, argv);
	return usage();
}
