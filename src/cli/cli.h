/*
 * cli.h - what every command in cli/ shares: its signature and the helpers
 * for the flags every data command takes.
 *
 * A command is `int cmd_NAME(struct zl_ctx *ctx, int argc, char **argv)`:
 * argv[0] is the command name ("uscc", "serve", ...), the rest its own
 * arguments.  Before the call, main.c has loaded the configuration into
 * ctx->cfg (defaults, config file, environment) and initialised ctx->log;
 * global flags (--db, --addr, --config, --log-level) anywhere on the line
 * have already been applied to ctx->cfg and removed from argv.
 * Return value is the process exit status: 0 success, 1 failure (a code
 * that did not validate, a check that failed), 2 usage error.  Commands
 * print errors to stderr as "zhiliang CMD: message" and never exit()
 * themselves (main.c owns process exit; die() exists only there and here).
 */
#ifndef ZL_CLI_CLI_H
#define ZL_CLI_CLI_H

#include "ctx.h"

#define ZL_EXIT_OK 0
#define ZL_EXIT_FAIL 1
#define ZL_EXIT_USAGE 2

typedef int zl_cmd_fn(struct zl_ctx *ctx, int argc, char **argv);

struct zl_cmd {
	const char *name;
	zl_cmd_fn *fn;
	const char *usage;   /* "uscc check [--json] CODE...|-" */
	const char *summary; /* one line for `zhiliang help` */
};

/* The command table (defined in main.c), terminated by a NULL name. */
extern const struct zl_cmd zl_commands[];

/*
 * Open ctx->pool for ctx->cfg.db if not yet open, apply pending migrations
 * when `migrate` is set, and return the calling thread's connection.
 * Prints the error to stderr prefixed with `cmd` and returns NULL on failure.
 */
struct zl_db *zl_cli_open_db(struct zl_ctx *ctx, const char *cmd, int migrate);

/* Print "zhiliang CMD: <message>[ (field)]" to stderr. */
void zl_cli_error(const char *cmd, const struct zl_error *err);

/* The program version, e.g. "0.1.0". */
const char *zl_version(void);

struct zl_insp_timer_stats;
/*
 * The summary line of a run of the lifecycle's timers (store/inspections.h)
 * into out[n], without a newline: "timers of DAY: N inspections with a
 * timer, N steps fired (finalize N, ...), N skipped".  For
 * `inspections fire-timers` and the log of `serve`.
 */
void zl_cli_timers_summary(const char *today, const struct zl_insp_timer_stats *st, char *out,
			   size_t n);

#endif /* ZL_CLI_CLI_H */
