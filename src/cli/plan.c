/*
 * plan.c - `zhiliang plan`: work plans from the command line.
 *
 *   plan parse FILE|- [--encoding auto|utf-8|gbk]
 *       read a work plan as text (UTF-8, UTF-8 with BOM, UTF-16 with BOM,
 *       or GBK / GB18030, detected as core/text.h does), parse it
 *       (domain/plan.h) and print it as one JSON object (docs/plans.md).
 *       FILE "-" reads stdin.
 *   plan import FILE --org CODE [--encoding E] [--year YYYY]
 *               [--deadline YYYY-MM-DD] [--dry-run]
 *       parse it the same way and store it in the plan ledger as the plan
 *       of organization CODE (store/plan_import.h maps the parse onto the
 *       ledger's input, docs/plan-ledger.md), audited as "plan.import" in
 *       the same transaction; print a summary: sections, tasks, how many
 *       department names resolved to organizations, and each unresolved
 *       name with its task numbers (for an administrator to map: not an
 *       error).  --dry-run stores nothing and prints the same summary.
 *   plan refresh [--date YYYY-MM-DD]
 *       evaluate every open task's light for the day (default today in
 *       Asia/Shanghai) and notify the turns (zl_store_plan_refresh): the
 *       daily run, which `serve` also does on its own.
 *
 * Exit status: 0 success (a plan printed or stored); 1 when the text is
 * not a plan, or storing failed (an unknown organization, the same file
 * imported before, ...); 2 for a usage error, a file that cannot be read,
 * or bytes that are not text in the encoding (the message names the byte
 * offset and line).
 */
#include <inttypes.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/cli_audit.h"
#include "core/buf.h"
#include "core/jw.h"
#include "core/timeutil.h"
#include "store/orgs.h"
#include "store/plan_import.h"
#include "store/plans.h"

int cmd_plan(struct zl_ctx *ctx, int argc, char **argv);

#define USAGE                                                                                      \
	"usage: zhiliang plan parse FILE|- [--encoding auto|utf-8|gbk]\n"                          \
	"       zhiliang plan import FILE|- --org CODE [--encoding auto|utf-8|gbk] [--year "       \
	"YYYY]\n"                                                                                  \
	"                            [--deadline YYYY-MM-DD] [--dry-run]\n"                        \
	"       zhiliang plan refresh [--date YYYY-MM-DD]\n"

static int usage(void)
{
	fputs(USAGE, stderr);
	return ZL_EXIT_USAGE;
}

/* Input that is not readable text is the caller's to fix: status 2; anything else 1. */
static int fail(const struct zl_error *err)
{
	zl_cli_error("plan", err);
	return err->code == ZL_EIO || err->code == ZL_EINVAL || err->code == ZL_ETOOBIG
		       ? ZL_EXIT_USAGE
		       : ZL_EXIT_FAIL;
}

/* FILE or "-" (stdin) into raw. */
static int load(const char *file, struct zl_buf *raw, struct zl_error *err)
{
	if (!strcmp(file, "-"))
		return zl_plan_load_fd(STDIN_FILENO, "stdin", raw, err);
	return zl_plan_load(file, raw, err);
}

/* The value of "--name V" or "--name=V" at argv[*i] (advancing *i), or NULL. */
static const char *option(int argc, char **argv, int *i, const char *name)
{
	size_t n = strlen(name);

	if (!strcmp(argv[*i], name) && *i + 1 < argc)
		return argv[++*i];
	if (!strncmp(argv[*i], name, n) && argv[*i][n] == '=')
		return argv[*i] + n + 1;
	return NULL;
}

static int is_date(const char *s)
{
	int64_t days;

	return zl_date_parse(s, &days) == ZL_OK;
}

/* ---- parse ------------------------------------------------------------------------ */

static int plan_parse(int argc, char **argv)
{
	struct zl_buf raw = ZL_BUF_INIT(ZL_PLAN_MAX_INPUT), text = ZL_BUF_INIT(ZL_PLAN_MAX_INPUT),
		      json = ZL_BUF_INIT((size_t)1 << 31);
	struct zl_error err = ZL_ERROR_INIT;
	enum zl_plan_enc enc = ZL_PLAN_ENC_AUTO;
	const char *file = NULL, *v;
	struct zl_plan plan;
	struct zl_jw w;
	int rc = ZL_EXIT_USAGE;

	zl_plan_init(&plan);
	for (int i = 2; i < argc; i++) {
		if ((v = option(argc, argv, &i, "--encoding")) != NULL) {
			if (zl_plan_enc_parse(v, &enc, &err) != ZL_OK)
				return usage();
		} else if ((argv[i][0] != '-' || !strcmp(argv[i], "-")) && !file) {
			file = argv[i];
		} else {
			return usage();
		}
	}
	if (!file)
		return usage();
	if (load(file, &raw, &err) != ZL_OK ||
	    zl_plan_decode(raw.data, raw.len, enc, file, &text, NULL, &err) != ZL_OK)
		goto fail;
	zl_buf_release(&raw);
	if (zl_plan_parse(zl_buf_str(&text), text.len, &plan, &err) != ZL_OK)
		goto fail;
	if (zl_plan_check(&plan, &err) != ZL_OK) {
		char msg[ZL_ERR_MSG_MAX];

		zl_strlcpy(msg, err.message, sizeof(msg));
		zl_error_set(&err, err.code, "", "%s: %s", file, msg);
		goto fail;
	}
	zl_jw_init(&w, &json);
	if (zl_plan_write_json(&plan, &w) != ZL_OK || zl_buf_addch(&json, '\n') != ZL_OK) {
		zl_error_set(&err, ZL_ENOMEM, "", "out of memory writing the JSON");
		goto fail;
	}
	if (fwrite(json.data, 1, json.len, stdout) != json.len) {
		zl_error_set(&err, ZL_EIO, "", "cannot write to stdout");
		goto fail;
	}
	rc = ZL_EXIT_OK;
	goto out;
fail:
	rc = fail(&err);
out:
	zl_plan_release(&plan);
	zl_buf_release(&raw);
	zl_buf_release(&text);
	zl_buf_release(&json);
	return rc;
}

/* ---- import ------------------------------------------------------------------------ */

/* What the summary says about the stored plan, read back in the import's transaction. */
struct summary {
	size_t tasks, names, resolved;
	struct zl_buf unresolved; /* lines "unresolved: NAME (...) in tasks 1, 3\n" */
};

static int add_unresolved(void *cls, const struct zl_plan_unresolved *u)
{
	struct summary *s = cls;

	zl_buf_addf(&s->unresolved, "unresolved: %s (%s) in task%s %s\n", u->name,
		    u->candidates == 0 ? "no organization of that name"
				       : "several organizations match",
		    strchr(u->numbers, ',') ? "s" : "", u->numbers);
	return s->unresolved.err ? ZL_ENOMEM : ZL_OK;
}

static int summarize(struct zl_db *db, int64_t id, const char *today, struct summary *s,
		     struct zl_error *err)
{
	struct zl_plan_task_filter f = {.plan_id = id};
	struct zl_plan_task_set set;
	int rc;

	zl_plan_task_set_init(&set);
	rc = zl_store_plan_tasks(db, &f, today, &set, err);
	zl_plan_import_count(&set, &s->names, &s->resolved);
	s->tasks = set.n;
	zl_plan_task_set_release(&set);
	if (rc == ZL_OK)
		rc = zl_store_plan_unresolved(db, id, add_unresolved, s, NULL, err);
	if (rc == ZL_ENOMEM)
		rc = zl_error_set(err, ZL_ENOMEM, "", "out of memory");
	return rc;
}

static int audit_import(struct zl_db *db, int64_t id, const struct zl_plan_import *im,
			const struct summary *s, struct zl_error *err)
{
	struct zl_buf detail = ZL_BUF_INIT(4096);
	char target[32];
	int rc;

	snprintf(target, sizeof(target), "plan:%" PRId64, id);
	rc = zl_plan_import_detail(im, s->tasks, s->names, s->names - s->resolved, &detail)
		     ? zl_error_set(err, ZL_ENOMEM, "", "out of memory")
		     : zl_cli_audit(db, "plan.import", target, NULL, NULL, zl_buf_str(&detail),
				    err);
	zl_buf_release(&detail);
	return rc;
}

static int plan_import(struct zl_ctx *ctx, int argc, char **argv)
{
	struct zl_buf raw = ZL_BUF_INIT(ZL_PLAN_MAX_INPUT);
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_plan_import_opts o = {0};
	struct summary s = {0, 0, 0, ZL_BUF_INIT(1 << 20)};
	struct zl_plan_import im;
	struct zl_plan_actor who = {0};
	enum zl_plan_enc enc = ZL_PLAN_ENC_AUTO;
	const char *file = NULL, *v;
	char user[128], today[16];
	struct zl_db *db;
	int64_t id = 0;
	int dry = 0, year, rc;

	for (int i = 2; i < argc; i++) {
		if ((v = option(argc, argv, &i, "--encoding")) != NULL) {
			if (zl_plan_enc_parse(v, &enc, &err) != ZL_OK)
				return usage();
		} else if ((v = option(argc, argv, &i, "--org")) != NULL) {
			o.org = v;
		} else if ((v = option(argc, argv, &i, "--year")) != NULL) {
			char *end = NULL;
			long y = strtol(v, &end, 10);

			if (end == v || *end || y < 1949 || y > 2100)
				return usage();
			o.year = (int)y;
		} else if ((v = option(argc, argv, &i, "--deadline")) != NULL) {
			if (!is_date(v))
				return usage();
			o.deadline = v;
		} else if (!strcmp(argv[i], "--dry-run")) {
			dry = 1;
		} else if ((argv[i][0] != '-' || !strcmp(argv[i], "-")) && !file) {
			file = argv[i];
		} else {
			return usage();
		}
	}
	if (!file || !o.org || !o.org[0])
		return usage();
	o.source_name = strcmp(file, "-") ? file : NULL;

	zl_plan_import_init(&im);
	if (load(file, &raw, &err) != ZL_OK ||
	    zl_plan_import_prepare(raw.data, raw.len, enc, file, &o, &im, &err) != ZL_OK) {
		rc = fail(&err);
		goto out;
	}
	zl_buf_release(&raw);
	rc = ZL_EXIT_FAIL;
	if ((db = zl_cli_open_db(ctx, "plan", 1)) == NULL)
		goto out;
	zl_cli_audit_actor(user, sizeof(user));
	zl_store_org_today(today);
	who.user = user;
	who.org = "";
	who.org_path = "";
	who.today = today;
	if (zl_db_begin(db, &err) != ZL_OK)
		goto fail;
	if (zl_store_plan_create(db, &im.in, &who, &id, &err) != ZL_OK ||
	    summarize(db, id, today, &s, &err) != ZL_OK ||
	    (!dry && audit_import(db, id, &im, &s, &err) != ZL_OK)) {
		zl_db_rollback(db);
		goto fail;
	}
	if (dry)
		zl_db_rollback(db);
	else if (zl_db_commit(db, &err) != ZL_OK)
		goto fail;
	/* "YYYY-MM-DD": the year is the number before the first '-'. */
	year = im.in.year ? im.in.year : (int)strtol(im.in.date, NULL, 10);
	if (dry)
		printf("dry run, nothing stored: %s (%s, %d)\n", im.in.title, im.in.org, year);
	else
		printf("stored plan %" PRId64 ": %s (%s, %d)\n", id, im.in.title, im.in.org, year);
	printf("%zu sections, %zu tasks; %zu department names: %zu resolved, %zu unresolved\n",
	       im.in.nsections, s.tasks, s.names, s.resolved, s.names - s.resolved);
	fputs(zl_buf_str(&s.unresolved), stdout);
	rc = ZL_EXIT_OK;
	goto out;
fail:
	zl_cli_error("plan", &err);
out:
	zl_plan_import_release(&im);
	zl_buf_release(&raw);
	zl_buf_release(&s.unresolved);
	return rc;
}

/* ---- refresh ------------------------------------------------------------------------- */

static int plan_refresh(struct zl_ctx *ctx, int argc, char **argv)
{
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_plan_refresh_stats st = {0};
	char today[16];
	const char *v;
	struct zl_db *db;

	zl_store_org_today(today);
	for (int i = 2; i < argc; i++) {
		if ((v = option(argc, argv, &i, "--date")) != NULL && is_date(v))
			zl_strlcpy(today, v, sizeof(today));
		else
			return usage();
	}
	if ((db = zl_cli_open_db(ctx, "plan", 1)) == NULL)
		return ZL_EXIT_FAIL;
	if (zl_store_plan_refresh(db, today, &st, &err) != ZL_OK) {
		zl_cli_error("plan", &err);
		return ZL_EXIT_FAIL;
	}
	printf("lights of %s: %" PRId64 " open tasks evaluated, %" PRId64 " changed, %" PRId64
	       " notifications\n",
	       today, st.tasks, st.changed, st.notifications);
	return ZL_EXIT_OK;
}

int cmd_plan(struct zl_ctx *ctx, int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "parse"))
		return plan_parse(argc, argv);
	if (argc >= 2 && !strcmp(argv[1], "import"))
		return plan_import(ctx, argc, argv);
	if (argc >= 2 && !strcmp(argv[1], "refresh"))
		return plan_refresh(ctx, argc, argv);
	return usage();
}
