/*
 * serve.c - `zhiliang serve`: open the database (applying migrations), start
 * the HTTP server and run until SIGINT or SIGTERM.
 *
 * --addr, --db, --web-root and --threads are global flags that main.c has
 * already applied to ctx->cfg.  The shutdown signals are blocked before the
 * server's threads start, so they inherit the mask and only this thread
 * receives them, synchronously through sigwait(): no signal handler, no
 * async-signal-safety concerns.
 *
 * The same thread does the housekeeping: deleting expired sessions every
 * ten minutes, and two daily runs, at start, then at the first check (once
 * a minute) of each new day in Asia/Shanghai: the plan ledger's
 * (zl_store_plan_refresh, docs/plan-ledger.md), so the lights follow the
 * calendar and the owners hear of tasks turning yellow or red, or coming
 * due, even on a day nobody writes; and the spot-check lifecycle's timers
 * (zl_store_insp_fire_timers, docs/inspections.md), so a period that ended
 * is finalized, closed or lapsed without an officer doing it by hand.  A
 * failed run is logged and tried again a minute later; an inspection the
 * timers skip is logged and left for the next day's run.  The setting
 * "timers" (on) turns the second off, for a server that must not run them.
 */
#include <pthread.h>
#include <signal.h>

#include "cli/cli.h"
#include "core/timeutil.h"
#include "http/http.h"
#include "store/inspections.h"
#include "store/logins.h"
#include "store/migrate.h"
#include "store/orgs.h"
#include "store/plans.h"
#include "store/sessions.h"

/* How often expired sessions and stale login-failure counters are deleted. */
#define PURGE_EVERY_SECONDS 600
/* How often the query planner's statistics are refreshed (and once at start). */
#define ANALYZE_EVERY_SECONDS 86400
/* How often the loop looks whether a new day began (the daily runs). */
#define DAY_CHECK_SECONDS 60

/* Housekeeping on the main thread's own connection; failures are logged only. */
static void purge_expired(struct zl_ctx *ctx)
{
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_db *db = zl_db_pool_get(ctx->pool, &err);
	int64_t now = zl_now_us() / 1000000, n = 0;

	if (!db || zl_store_session_purge(db, now, ctx->cfg.session_idle, &n, &err) ||
	    zl_store_login_purge(db, now, &err))
		zl_log_msg(&ctx->log, ZL_LOG_WARN, "purging expired sessions: %s", err.message);
	else if (n)
		zl_log_msg(&ctx->log, ZL_LOG_INFO, "purged %lld expired session(s)", (long long)n);
}

/* The planner's statistics (zl_store_analyze); a failure is logged only. */
static void analyze(struct zl_ctx *ctx)
{
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_db *db = zl_db_pool_get(ctx->pool, &err);

	if (!db || zl_store_analyze(db, &err))
		zl_log_msg(&ctx->log, ZL_LOG_WARN, "refreshing planner statistics: %s", err.message);
}

/*
 * The plan lights' daily run, when the province's day is not `*done` (the
 * day of the last successful run, "" at start); logged either way.
 */
static void refresh_plans(struct zl_ctx *ctx, char done[16])
{
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_plan_refresh_stats st = {0};
	struct zl_db *db;
	char today[16];

	zl_store_org_today(today);
	if (!strcmp(today, done))
		return;
	db = zl_db_pool_get(ctx->pool, &err);
	if (!db || zl_store_plan_refresh(db, today, &st, &err)) {
		zl_log_msg(&ctx->log, ZL_LOG_WARN,
			   "plan lights of %s: %s (tried again in a minute)", today, err.message);
		return;
	}
	zl_log_msg(&ctx->log, ZL_LOG_INFO,
		   "plan lights of %s: %lld open tasks evaluated, %lld changed, %lld notifications",
		   today, (long long)st.tasks, (long long)st.changed, (long long)st.notifications);
	zl_strlcpy(done, today, 16);
}

static void log_skip(void *cls, int64_t id, const struct zl_error *err)
{
	struct zl_ctx *ctx = cls;

	zl_log_msg(&ctx->log, ZL_LOG_WARN, "timers: inspection %lld skipped: %s%s%s%s",
		   (long long)id, err->message, err->field[0] ? " (" : "", err->field,
		   err->field[0] ? ")" : "");
}

/*
 * The lifecycle timers' daily run, when the province's day is not `*done`
 * (the day of the last run made, "" at start); logged either way.
 */
static void fire_timers(struct zl_ctx *ctx, char done[16])
{
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_insp_timer_stats st;
	struct zl_db *db;
	char today[16], line[512];

	/* Off for a server that must not write them (a second server, fixed test data). */
	if (!ctx->cfg.timers)
		return;
	zl_store_org_today(today);
	if (!strcmp(today, done))
		return;
	db = zl_db_pool_get(ctx->pool, &err);
	if (!db || zl_store_insp_fire_timers(db, today, &st, log_skip, ctx, &err)) {
		zl_log_msg(&ctx->log, ZL_LOG_WARN, "timers of %s: %s (tried again in a minute)",
			   today, err.message);
		return;
	}
	zl_cli_timers_summary(today, &st, line, sizeof(line));
	zl_log_msg(&ctx->log, ZL_LOG_INFO, "%s", line);
	zl_strlcpy(done, today, 16);
}

int cmd_serve(struct zl_ctx *ctx, int argc, char **argv);

int cmd_serve(struct zl_ctx *ctx, int argc, char **argv)
{
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_http_server *srv = NULL;
	char host[128], refreshed[16] = "", fired[16] = "";
	const char *colon;
	sigset_t set;
	int sig = 0;

	if (argc > 1) {
		fprintf(stderr,
			"zhiliang serve: unexpected argument '%s'\n"
			"usage: zhiliang serve [--addr HOST:PORT] [--db URL] [--web-root DIR] "
			"[--threads N]\n",
			argv[1]);
		return ZL_EXIT_USAGE;
	}
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	if (pthread_sigmask(SIG_BLOCK, &set, NULL)) {
		fprintf(stderr, "zhiliang serve: cannot block signals\n");
		return ZL_EXIT_FAIL;
	}
	/* A client that hangs up must not kill the server. */
	signal(SIGPIPE, SIG_IGN);
	if (!zl_cli_open_db(ctx, "serve", 1))
		return ZL_EXIT_FAIL;
	analyze(ctx);
	if (zl_http_start(ctx, zl_version(), &srv, &err)) {
		zl_cli_error("serve", &err);
		return ZL_EXIT_FAIL;
	}
	colon = strrchr(ctx->cfg.addr, ':');
	snprintf(host, sizeof(host), "%.*s", colon ? (int)(colon - ctx->cfg.addr) : 0,
		 ctx->cfg.addr);
	printf("Zhiliang listening on http://%s:%u/\n", host[0] ? host : "0.0.0.0",
	       zl_http_port(srv));
	fflush(stdout);
	zl_log_msg(&ctx->log, ZL_LOG_INFO, "listening on %s (web root %s)", ctx->cfg.addr,
		   ctx->cfg.web_root);
	/* Access-log lines reach the file in batches, at most a second late. */
	if (zl_log_set_buffered(&ctx->log, 64 * 1024, 1000000))
		zl_log_msg(&ctx->log, ZL_LOG_WARN, "no memory for a log buffer; writing through");
	refresh_plans(ctx, refreshed);
	fire_timers(ctx, fired);
	for (unsigned tick = 1;; tick++) {
		const struct timespec second = {1, 0};

		sig = sigtimedwait(&set, NULL, &second);
		if (sig > 0)
			break;
		zl_log_flush(&ctx->log);
		if (tick % PURGE_EVERY_SECONDS == 0)
			purge_expired(ctx);
		if (tick % ANALYZE_EVERY_SECONDS == 0)
			analyze(ctx);
		if (tick % DAY_CHECK_SECONDS == 0) {
			refresh_plans(ctx, refreshed);
			fire_timers(ctx, fired);
		}
	}
	zl_log_msg(&ctx->log, ZL_LOG_INFO, "signal %d: stopping", sig);
	zl_http_stop(srv);
	return ZL_EXIT_OK;
}
