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
 * ten minutes, and the plan ledger's daily run (zl_store_plan_refresh,
 * docs/plan-ledger.md): at start, then at the first check (once a minute)
 * of each new day in Asia/Shanghai, so the lights follow the calendar and
 * the owners hear of tasks turning yellow or red, or coming due, even on a
 * day nobody writes.  A failed run is logged and tried again a minute later.
 */
#include <pthread.h>
#include <signal.h>

#include "cli/cli.h"
#include "core/timeutil.h"
#include "http/http.h"
#include "store/logins.h"
#include "store/migrate.h"
#include "store/orgs.h"
#include "store/plans.h"
#include "store/sessions.h"

/* How often expired sessions and stale login-failure counters are deleted. */
#define PURGE_EVERY_SECONDS 600
/* How often the query planner's statistics are refreshed (and once at start). */
#define ANALYZE_EVERY_SECONDS 86400
/* How often the loop looks whether a new day began (the plan lights' daily run). */
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

int cmd_serve(struct zl_ctx *ctx, int argc, char **argv);

int cmd_serve(struct zl_ctx *ctx, int argc, char **argv)
{
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_http_server *srv = NULL;
	char host[128], refreshed[16] = "";
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
		if (tick % DAY_CHECK_SECONDS == 0)
			refresh_plans(ctx, refreshed);
	}
	zl_log_msg(&ctx->log, ZL_LOG_INFO, "signal %d: stopping", sig);
	zl_http_stop(srv);
	return ZL_EXIT_OK;
}
