/*
 * main.c - the zhiliang program: the command table and process setup.
 *
 * Like git.c, this file only finds the command and prepares what every
 * command receives: a struct zl_ctx with the settings (defaults, config
 * file, ZHILIANG_* environment, then global flags from the command line)
 * and a log sink.  Each command lives in its own file under cli/.
 * This is the one place that may terminate the process.
 */
#include <errno.h>

#include "cli/cli.h"
#include "core/core.h"

int cmd_version(struct zl_ctx *ctx, int argc, char **argv);
int cmd_help(struct zl_ctx *ctx, int argc, char **argv);
int cmd_serve(struct zl_ctx *ctx, int argc, char **argv);
int cmd_init(struct zl_ctx *ctx, int argc, char **argv);
int cmd_migrate(struct zl_ctx *ctx, int argc, char **argv);
int cmd_config(struct zl_ctx *ctx, int argc, char **argv);
int cmd_uscc(struct zl_ctx *ctx, int argc, char **argv);
int cmd_routes(struct zl_ctx *ctx, int argc, char **argv);
int cmd_audit(struct zl_ctx *ctx, int argc, char **argv);
int cmd_user(struct zl_ctx *ctx, int argc, char **argv);
int cmd_import(struct zl_ctx *ctx, int argc, char **argv);
int cmd_index(struct zl_ctx *ctx, int argc, char **argv);
int cmd_plan(struct zl_ctx *ctx, int argc, char **argv);
int cmd_calendar(struct zl_ctx *ctx, int argc, char **argv);
int cmd_draw(struct zl_ctx *ctx, int argc, char **argv);
int cmd_inspections(struct zl_ctx *ctx, int argc, char **argv);
int cmd_report(struct zl_ctx *ctx, int argc, char **argv);
int cmd_stats(struct zl_ctx *ctx, int argc, char **argv);

const struct zl_cmd zl_commands[] = {
	{"help", cmd_help, "help [COMMAND]", "List commands, or show one command's usage"},
	{"version", cmd_version, "version", "Print the program version and build details"},
	{"serve", cmd_serve, "serve [--addr HOST:PORT] [--db URL]",
	 "Serve the web UI and the API (default http://127.0.0.1:8080)"},
	{"init", cmd_init, "init [--demo] [--db URL]",
	 "Create or upgrade the database and load the code tables (--demo: demo data)"},
	{"migrate", cmd_migrate, "migrate [--db URL]", "Apply pending database migrations"},
	{"config", cmd_config, "config check [--config FILE]",
	 "Validate the configuration and print the effective settings"},
	{"uscc", cmd_uscc, "uscc check [--json] [--legacy] CODE...|-",
	 "Validate unified social credit codes (GB 32100); '-' reads stdin"},
	{"routes", cmd_routes, "routes [--markdown|--json]",
	 "Print the HTTP route table (the source of docs/api.md)"},
	{"user", cmd_user,
	 "user add USERNAME --org CODE --role ROLE [--display-name NAME] [--password-stdin]"
	 " | list [--org CODE] | disable USERNAME | passwd USERNAME --password-stdin",
	 "Manage user accounts (a generated password is printed once)"},
	{"import", cmd_import,
	 "import enterprises FILE [--partial] [--report FILE.xlsx|FILE.csv] [--encoding "
	 "auto|utf-8|gbk] | import spotchecks FILE [--org CODE] [--level LEVEL] [--title T]"
	 " [--doc-no N] [--issued-on DATE] [--product CODE] [--region CODE] [--partial]"
	 " [--report FILE] [--dry-run]",
	 "Import an enterprise table, or a published spot-check result table (CSV, xlsx, xls):"
	 " all rows or none"},
	{"index", cmd_index, "index rebuild | stats [--json]",
	 "Rebuild the name index of the enterprise register, or count its rows"},
	{"plan", cmd_plan,
	 "plan parse FILE|- [--encoding auto|utf-8|gbk]"
	 " | import FILE|- --org CODE [--encoding auto|utf-8|gbk] [--year YYYY]"
	 " [--deadline YYYY-MM-DD] [--dry-run] | refresh [--date YYYY-MM-DD]",
	 "Work plans: parse one to JSON, import one into the plan ledger, refresh the lights"},
	{"calendar", cmd_calendar,
	 "calendar add-working-days DATE N | working-days FROM TO | is-working-day DATE"
	 " | next-working-day DATE | year YYYY",
	 "China's working-day calendar 2014-2026: statutory deadlines in working days"},
	{"draw", cmd_draw,
	 "draw commit|select --candidates FILE.csv (--count N | --stratum COLUMN --quota FILE.csv)"
	 " [--weight COLUMN] [--seed HEX] [--json] | verify RECORD.json",
	 "Verifiable random draws: commitments, selection and verification (docs/draws.md)"},
	{"inspections", cmd_inspections, "inspections fire-timers [--today YYYY-MM-DD]",
	 "Fire the spot-check lifecycle's ready timers: finalize, close, lapse (serve does it "
	 "daily)"},
	{"report", cmd_report,
	 "report quality --year YYYY [--region CODE] [--out FILE.pdf] [--annex FILE.xlsx]"
	 " [--date YYYY-MM-DD]",
	 "The quality analysis report of a year: PDF with its xlsx annex (docs/report.md)"},
	{"audit", cmd_audit,
	 "audit verify [--head SEQ:HASH] | head | list [--limit N] [--actor A] [--action X]",
	 "Verify the hash-chained audit trail (exit 1 naming the first broken row)"},
	{"stats", cmd_stats,
	 "stats rebuild | show --by DIM[,DIM] [--year Y] [--from YYYYQn] [--to YYYYQn]"
	 " [--region CODE] [--product CODE] [--json]",
	 "Spot-check statistics: rebuild the rollups, or show pass rates with 95% intervals"},
	{NULL, NULL, NULL, NULL},
};

/* Print "zhiliang: <message>" and exit with `status`. */
static void die(int status, const char *fmt, ...) __attribute__((format(printf, 2, 3), noreturn));
static void die(int status, const char *fmt, ...)
{
	va_list ap;

	fputs("zhiliang: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(status);
}

/* Flags any command accepts, mapped to configuration keys. */
static const struct {
	const char *flag;
	const char *key;
} global_flags[] = {
	{"--db", "db"},
	{"--addr", "addr"},
	{"--log-level", "log_level"},
	{"--web-root", "web_root"},
	{"--threads", "threads"},
};

/*
 * Find "--config FILE" first: the file must be read before flags override
 * it.  Returns the path or NULL; removes nothing (done in apply_flags).
 */
static const char *find_config_flag(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--config") && i + 1 < argc)
			return argv[i + 1];
		if (!strncmp(argv[i], "--config=", 9))
			return argv[i] + 9;
		if (!strcmp(argv[i], "--"))
			break;
	}
	return NULL;
}

/* Apply and remove global flags from argv; returns the new argc. */
static int apply_flags(struct zl_ctx *ctx, int argc, char **argv)
{
	int out = 1;

	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i];
		const char *key = NULL, *value = NULL;
		size_t n;

		if (!strcmp(arg, "--")) {
			while (i < argc)
				argv[out++] = argv[i++];
			break;
		}
		if (!strcmp(arg, "--config") || !strncmp(arg, "--config=", 9)) {
			if (!strcmp(arg, "--config"))
				i++;
			continue;
		}
		for (size_t f = 0; f < sizeof(global_flags) / sizeof(global_flags[0]); f++) {
			n = strlen(global_flags[f].flag);
			if (strncmp(arg, global_flags[f].flag, n))
				continue;
			if (arg[n] == '=') {
				key = global_flags[f].key;
				value = arg + n + 1;
			} else if (arg[n] == '\0') {
				if (i + 1 >= argc)
					die(ZL_EXIT_USAGE, "%s needs a value", arg);
				key = global_flags[f].key;
				value = argv[++i];
			}
			break;
		}
		if (key) {
			struct zl_error err = ZL_ERROR_INIT;

			if (zl_config_set(&ctx->cfg, key, value, ZL_CFG_FLAG, &err))
				die(ZL_EXIT_USAGE, "%s: %s", arg, err.message);
			continue;
		}
		argv[out++] = argv[i];
	}
	argv[out] = NULL;
	return out;
}

static const struct zl_cmd *find_cmd(const char *name)
{
	for (const struct zl_cmd *c = zl_commands; c->name; c++)
		if (!strcmp(c->name, name))
			return c;
	return NULL;
}

int cmd_help(struct zl_ctx *ctx, int argc, char **argv)
{
	const struct zl_cmd *c;
	int width = 10;

	(void)ctx;
	if (argc > 1) {
		c = find_cmd(argv[1]);
		if (!c) {
			fprintf(stderr, "zhiliang help: unknown command '%s'\n", argv[1]);
			return ZL_EXIT_USAGE;
		}
		printf("usage: zhiliang %s\n\n%s\n", c->usage, c->summary);
		return ZL_EXIT_OK;
	}
	printf("usage: zhiliang [--config FILE] [--db URL] [--addr HOST:PORT] [--log-level LEVEL]"
	       " COMMAND [ARGS]\n\nCommands:\n");
	/* The names in one column, as wide as the longest. */
	for (c = zl_commands; c->name; c++)
		if ((int)strlen(c->name) > width)
			width = (int)strlen(c->name);
	for (c = zl_commands; c->name; c++)
		printf("  %-*s %s\n", width, c->name, c->summary);
	printf("\nThe database defaults to sqlite:./var/zhiliang.db (or $ZHILIANG_DB);\n"
	       "PostgreSQL: --db postgres://USER@HOST:PORT/DBNAME.\n"
	       "'zhiliang help COMMAND' shows a command's usage.\n");
	return ZL_EXIT_OK;
}

int main(int argc, char **argv)
{
	struct zl_ctx ctx;
	struct zl_error err = ZL_ERROR_INIT;
	const struct zl_cmd *cmd;
	enum zl_log_level lvl = ZL_LOG_INFO;
	int rc;

	memset(&ctx, 0, sizeof(ctx));
	if (zl_core_init())
		die(ZL_EXIT_FAIL, "cannot initialise the crypto library");
	zl_config_defaults(&ctx.cfg);
	if (zl_config_load(&ctx.cfg, find_config_flag(argc, argv), &err)) {
		if (err.field[0])
			die(ZL_EXIT_FAIL, "configuration: %s: %s", err.field, err.message);
		die(ZL_EXIT_FAIL, "configuration: %s", err.message);
	}
	argc = apply_flags(&ctx, argc, argv);
	if (zl_log_level_parse(ctx.cfg.log_level, &lvl))
		die(ZL_EXIT_FAIL, "unknown log level '%s'", ctx.cfg.log_level);
	zl_log_init(&ctx.log, stderr, lvl);

	if (argc < 2) {
		cmd_help(&ctx, 1, argv);
		rc = ZL_EXIT_USAGE;
		goto out;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		rc = cmd_help(&ctx, 1, argv);
		goto out;
	}
	if (!strcmp(argv[1], "--version")) {
		rc = cmd_version(&ctx, 1, argv);
		goto out;
	}
	cmd = find_cmd(argv[1]);
	if (!cmd) {
		fprintf(stderr, "zhiliang: unknown command '%s' (see 'zhiliang help')\n", argv[1]);
		rc = ZL_EXIT_USAGE;
		goto out;
	}
	rc = cmd->fn(&ctx, argc - 1, argv + 1);
out:
	zl_db_pool_free(ctx.pool);
	zl_log_release(&ctx.log);
	if (fflush(stdout) == EOF && errno != EPIPE && !rc)
		rc = ZL_EXIT_FAIL;
	return rc;
}
