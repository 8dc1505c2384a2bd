/*
 * import.c - `zhiliang import enterprises FILE [--partial] [--report FILE]
 * [--encoding auto|utf-8|gbk]`: load an enterprise table (CSV, xlsx, xls)
 * into the register, all or nothing (see store/import.h and docs/import.md).
 *
 * Output: a progress bar on stderr when stderr is a terminal (percent of
 * the file and rows per second, redrawn at most 10 times a second), else
 * one plain line when done; the rejected rows on stderr (the first 20; all
 * of them in the --report file, xlsx or CSV by the file name's extension);
 * and the summary line `imported N, updated N, unchanged N, rejected N` on
 * stdout.  Exit 0 when nothing was rejected, 1 otherwise (or on any
 * failure), 2 on a usage error.  An import that wrote rows is audited as
 * one "enterprise.import" row committed with them.  When nothing else has
 * the database open, the command takes it to itself for the import
 * (zl_db_bulk_begin(): on SQLite a rollback journal instead of the WAL,
 * which writes every page of a large import once instead of twice).
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/cli_audit.h"
#include "core/buf.h"
#include "core/csvw.h"
#include "core/jw.h"
#include "core/xlsxw.h"
#include "store/import.h"
#include "store/orgs.h"
#include "store/sc_import.h"

int cmd_import(struct zl_ctx *ctx, int argc, char **argv);

#define USAGE                                                                                      \
	"usage: zhiliang import enterprises FILE [--partial] [--report FILE.xlsx|FILE.csv]"        \
	" [--encoding auto|utf-8|gbk]\n"                                                           \
	"       zhiliang import spotchecks FILE [--org CODE] [--level national|province|city|"     \
	"county] [--title T] [--doc-no N] [--issued-on DATE] [--product CODE] [--region CODE]"     \
	" [--partial] [--report FILE.xlsx|FILE.csv] [--dry-run] [--encoding auto|utf-8|gbk]\n"

#define SHOW_REJECTS 20

struct bar {
	int tty;
	double start, last;
	enum zl_import_phase phase;
	const char *file;
};

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/*
 * One line, redrawn in place: the bar and percentage of the file read,
 * the rows read and their rate, and what is being done (reading, writing
 * a chunk, indexing names with its own percentage).
 */
static void on_progress(void *cls, const struct zl_import_progress *p)
{
	struct bar *b = cls;
	double t = now_s(), pct, el;
	char bar[41], what[64];
	int fill;

	if (!b->tty)
		return;
	if (p->phase == b->phase && t - b->last < 0.1 &&
	    !(p->phase == ZL_IMPORT_READING && p->bytes_done == p->bytes_total) &&
	    !(p->phase == ZL_IMPORT_INDEXING && p->grams_done == p->grams_total))
		return;
	b->last = t;
	b->phase = p->phase;
	pct = p->bytes_total ? 100.0 * (double)p->bytes_done / (double)p->bytes_total : 100.0;
	el = t - b->start;
	fill = (int)(pct * 40 / 100);
	for (int i = 0; i < 40; i++)
		bar[i] = i < fill ? '#' : '.';
	bar[40] = '\0';
	if (p->phase == ZL_IMPORT_WRITING)
		snprintf(what, sizeof(what), "writing, %llu written",
			 (unsigned long long)p->written);
	else if (p->phase == ZL_IMPORT_SORTING)
		snprintf(what, sizeof(what), "sorting");
	else if (p->phase == ZL_IMPORT_INDEXING)
		snprintf(what, sizeof(what), "indexing names %u%%",
			 p->grams_total ? (unsigned)(100 * p->grams_done / p->grams_total) : 0u);
	else
		snprintf(what, sizeof(what), "reading");
	fprintf(stderr, "\r[%s] %5.1f%% %llu rows %.0f rows/s, %s\033[K", bar, pct,
		(unsigned long long)p->rows, el > 0 ? (double)p->rows / el : 0.0, what);
	fflush(stderr);
}

static int write_all(const char *path, const char *p, size_t n, struct zl_error *err)
{
	FILE *f = fopen(path, "wb");

	if (!f)
		return zl_error_set(err, ZL_EIO, "--report", "cannot write %s", path);
	size_t wrote = fwrite(p, 1, n, f);
	if (fclose(f) != 0 || wrote != n) {
		return zl_error_set(err, ZL_EIO, "--report", "cannot write %s", path);
	}
	return ZL_OK;
}

static int ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);
	return a >= b && !strcasecmp(s + a - b, suffix);
}

/* The report: one line per rejected row, then one per unmapped column. */
static int write_report(const char *path, const struct zl_import_result *res, struct zl_error *err)
{
	static const char *const header[] = {"row", "column", "value", "reason"};
	char rowbuf[24];
	int rc = ZL_OK;

	if (ends_with(path, ".xlsx")) {
		struct zl_xlsxw *x = NULL;
		struct zl_buf out = ZL_BUF_INIT((size_t)1 << 31);
		uint64_t size = 0;
		int fd = -1;

		rc = zl_xlsxw_new(NULL, "rejected", header, 4, &x, err);
		for (size_t i = 0; rc == ZL_OK && i < res->nrejects; i++) {
			const struct zl_import_reject *r = &res->rejects[i];
			if ((rc = zl_xlsxw_num(x, 0, (double)r->row, err)) == ZL_OK &&
			    (rc = zl_xlsxw_str(x, 1, r->column, err)) == ZL_OK &&
			    (rc = zl_xlsxw_str(x, 2, r->value, err)) == ZL_OK &&
			    (rc = zl_xlsxw_str(x, 3, r->reason, err)) == ZL_OK)
				rc = zl_xlsxw_end_row(x, err);
		}
		for (size_t i = 0; rc == ZL_OK && i < res->nunmapped; i++) {
			if ((rc = zl_xlsxw_num(x, 0, (double)res->header_row, err)) == ZL_OK &&
			    (rc = zl_xlsxw_str(x, 1, res->unmapped[i], err)) == ZL_OK &&
			    (rc = zl_xlsxw_str(x, 3, "unmapped column: ignored", err)) == ZL_OK)
				rc = zl_xlsxw_end_row(x, err);
		}
		if (rc != ZL_OK) {
			zl_xlsxw_free(x);
			return rc;
		}
		rc = zl_xlsxw_finish(x, &fd, &size, err);
		if (rc != ZL_OK)
			return rc;
		if (zl_buf_grow(&out, (size_t)size) != ZL_OK ||
		    pread(fd, out.data, (size_t)size, 0) != (ssize_t)size) {
			close(fd);
			zl_buf_release(&out);
			return zl_error_set(err, ZL_EIO, "--report",
					    "cannot read back the workbook");
		}
		close(fd);
		rc = write_all(path, out.data, (size_t)size, err);
		zl_buf_release(&out);
		return rc;
	} else {
		struct zl_buf out = ZL_BUF_INIT((size_t)1 << 31);
		struct zl_csvw w;

		zl_csvw_init(&w, &out, ZL_CSVW_BOM);
		zl_csvw_row(&w, header, 4);
		for (size_t i = 0; i < res->nrejects; i++) {
			const struct zl_import_reject *r = &res->rejects[i];
			snprintf(rowbuf, sizeof(rowbuf), "%llu", (unsigned long long)r->row);
			zl_csvw_num(&w, rowbuf);
			zl_csvw_field(&w, r->column);
			zl_csvw_field(&w, r->value);
			zl_csvw_field(&w, r->reason);
			zl_csvw_end_row(&w);
		}
		for (size_t i = 0; i < res->nunmapped; i++) {
			snprintf(rowbuf, sizeof(rowbuf), "%llu",
				 (unsigned long long)res->header_row);
			zl_csvw_num(&w, rowbuf);
			zl_csvw_field(&w, res->unmapped[i]);
			zl_csvw_field(&w, "");
			zl_csvw_field(&w, "unmapped column: ignored");
			rc = zl_csvw_end_row(&w);
		}
		if (out.err)
			rc = zl_error_set(err, ZL_ETOOBIG, "--report", "report too large");
		else
			rc = write_all(path, zl_buf_str(&out), out.len, err);
		zl_buf_release(&out);
		return rc;
	}
}

static const char *base_name(const char *p)
{
	const char *s = strrchr(p, '/');
	return s ? s + 1 : p;
}

static int audit_detail(const char *file, const struct zl_import_result *res, int partial,
			struct zl_buf *b)
{
	struct zl_jw w;

	zl_jw_init(&w, b);
	zl_jw_obj_begin(&w);
	zl_jw_kstr(&w, "file", base_name(file));
	zl_jw_key(&w, "rows");
	zl_jw_uint(&w, res->rows);
	zl_jw_key(&w, "imported");
	zl_jw_uint(&w, res->imported);
	zl_jw_key(&w, "updated");
	zl_jw_uint(&w, res->updated);
	zl_jw_key(&w, "unchanged");
	zl_jw_uint(&w, res->unchanged);
	zl_jw_key(&w, "rejected");
	zl_jw_uint(&w, res->rejected);
	zl_jw_kbool(&w, "partial", partial);
	zl_jw_obj_end(&w);
	return zl_jw_error(&w);
}

/*
 * After an import ran in the open transaction: when it wrote, add the
 * audit row `action` with `detail` (detail_rc: how building it went) and
 * commit; otherwise roll back.  ZL_OK, or the error in *err with the
 * transaction rolled back.
 */
static int commit_audited(struct zl_db *db, const struct zl_import_result *res,
			  const char *action, const char *file, int detail_rc,
			  const struct zl_buf *detail, struct zl_error *err)
{
	if (!res->written) {
		zl_db_rollback(db);
		return ZL_OK;
	}
	if (detail_rc != ZL_OK) {
		zl_db_rollback(db);
		return zl_error_set(err, ZL_ENOMEM, "", "out of memory");
	}
	if (zl_cli_audit(db, action, base_name(file), NULL, NULL, zl_buf_str(detail), err) !=
		    ZL_OK ||
	    zl_db_commit(db, err) != ZL_OK) {
		zl_db_rollback(db);
		return err->code != ZL_OK ? (int)err->code : ZL_EINTERNAL;
	}
	return ZL_OK;
}

/* The line on what was read: rows, time, rate, header row, format and encoding. */
static void print_read(const char *file, const struct zl_import_result *res, double el)
{
	fprintf(stderr, "%s: %llu rows read in %.1f s (%.0f rows/s), header on row %llu, %s%s%s\n",
		file, (unsigned long long)res->rows, el, el > 0 ? (double)res->rows / el : 0.0,
		(unsigned long long)res->header_row,
		res->format == ZL_TABLE_XLSX  ? "xlsx"
		: res->format == ZL_TABLE_XLS ? "xls"
					      : "csv",
		res->encoding[0] ? " " : "", res->encoding);
}

/* Unmapped columns, notes and the first rejected rows, then how many more. */
static void print_findings(const struct zl_import_result *res, const char *report)
{
	for (size_t i = 0; i < res->nunmapped; i++)
		fprintf(stderr, "unmapped column %s: ignored\n", res->unmapped[i]);
	for (size_t i = 0; i < res->nnotes; i++)
		fprintf(stderr, "%s\n", res->notes[i]);
	for (size_t i = 0; i < res->nrejects && i < SHOW_REJECTS; i++)
		fprintf(stderr, "rejected row %llu%s%s: %s%s%s%s\n",
			(unsigned long long)res->rejects[i].row,
			res->rejects[i].column[0] ? ", " : "", res->rejects[i].column,
			res->rejects[i].reason, res->rejects[i].value[0] ? " (\"" : "",
			res->rejects[i].value, res->rejects[i].value[0] ? "\")" : "");
	if (res->rejected > SHOW_REJECTS)
		fprintf(stderr, "... and %llu more rejected rows%s\n",
			(unsigned long long)(res->rejected - SHOW_REJECTS),
			report ? " (all in the report)" : " (use --report FILE)");
}

static int parse_encoding(const char *e, enum zl_table_encoding *out)
{
	if (!strcmp(e, "auto"))
		*out = ZL_TABLE_ENC_AUTO;
	else if (!strcasecmp(e, "utf-8") || !strcasecmp(e, "utf8"))
		*out = ZL_TABLE_ENC_UTF8;
	else if (!strcasecmp(e, "gbk") || !strcasecmp(e, "gb18030"))
		*out = ZL_TABLE_ENC_GBK;
	else
		return -1;
	return 0;
}

static int sc_audit_detail(const char *file, const struct zl_import_result *res,
			   const struct zl_sc_import_info *info, int partial, struct zl_buf *b)
{
	struct zl_jw w;

	zl_jw_init(&w, b);
	zl_jw_obj_begin(&w);
	zl_jw_kstr(&w, "file", base_name(file));
	zl_jw_kstr(&w, "sha256", info->sha256);
	zl_jw_key(&w, "announcement");
	zl_jw_int(&w, info->announcement_id);
	zl_jw_key(&w, "plan");
	zl_jw_int(&w, info->plan_id);
	zl_jw_key(&w, "rows");
	zl_jw_uint(&w, res->rows);
	zl_jw_key(&w, "imported");
	zl_jw_uint(&w, res->imported);
	zl_jw_key(&w, "skipped");
	zl_jw_uint(&w, res->unchanged);
	zl_jw_key(&w, "rejected");
	zl_jw_uint(&w, res->rejected);
	zl_jw_kbool(&w, "partial", partial);
	zl_jw_obj_end(&w);
	return zl_jw_error(&w);
}

/*
 * `import spotchecks`: a published result table into inspections of a new
 * announcement (store/sc_import.h, docs/results.md).  Output as for
 * enterprises; the summary line is `imported N, updated N, rejected N`
 * (rows already imported from the same file are skipped: a line on stderr
 * says how many).  Audited as one "spotcheck.import" row.
 */
static int import_spotchecks(struct zl_ctx *ctx, int argc, char **argv)
{
	struct zl_sc_import_options opt = {0};
	struct zl_sc_import_info info;
	struct zl_import_result res;
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_buf detail = ZL_BUF_INIT(4096);
	struct zl_plan_actor who = {0};
	const char *file = NULL, *report = NULL;
	char actor[160], today[16];
	struct bar bar = {0};
	struct zl_db *db;
	double el;
	int rc = ZL_EXIT_FAIL, bulk = 0;

	for (int i = 2; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(a, "--partial"))
			opt.partial = 1;
		else if (!strcmp(a, "--dry-run"))
			opt.dry_run = 1;
		else if (!strcmp(a, "--report") && v)
			report = argv[++i];
		else if (!strcmp(a, "--org") && v)
			opt.org = argv[++i];
		else if (!strcmp(a, "--level") && v)
			opt.level = argv[++i];
		else if (!strcmp(a, "--title") && v)
			opt.title = argv[++i];
		else if (!strcmp(a, "--doc-no") && v)
			opt.doc_no = argv[++i];
		else if (!strcmp(a, "--issued-on") && v)
			opt.issued_on = argv[++i];
		else if (!strcmp(a, "--product") && v)
			opt.product = argv[++i];
		else if (!strcmp(a, "--region") && v)
			opt.region = argv[++i];
		else if (!strcmp(a, "--encoding") && v) {
			if (parse_encoding(argv[++i], &opt.encoding)) {
				fputs(USAGE, stderr);
				return ZL_EXIT_USAGE;
			}
		} else if ((a[0] != '-' || !strcmp(a, "-")) && !file)
			file = a;
		else {
			fputs(USAGE, stderr);
			return ZL_EXIT_USAGE;
		}
	}
	if (!file || (report && !ends_with(report, ".xlsx") && !ends_with(report, ".csv"))) {
		fputs(USAGE, stderr);
		return ZL_EXIT_USAGE;
	}
	zl_import_result_init(&res);
	db = zl_cli_open_db(ctx, "import", 1);
	if (!db)
		goto out;
	snprintf(actor, sizeof(actor), "import:%s", base_name(file));
	zl_store_org_today(today);
	who.user = actor;
	who.org = "";
	who.org_path = "";
	who.today = today;
	opt.who = &who;
	opt.source = base_name(file);
	bar.tty = isatty(STDERR_FILENO);
	bar.start = now_s();
	bar.file = file;
	opt.progress = on_progress;
	opt.progress_cls = &bar;
	if (zl_db_bulk_begin(db, &bulk, &err) != ZL_OK || zl_db_begin(db, &err) != ZL_OK)
		goto fail;
	if (zl_sc_import(db, file, &opt, &res, &info, &err) != ZL_OK) {
		zl_db_rollback(db);
		if (bar.tty)
			fputc('\n', stderr);
		goto fail;
	}
	if (commit_audited(db, &res, "spotcheck.import", file,
			   res.written ? sc_audit_detail(file, &res, &info, opt.partial, &detail) : ZL_OK,
			   &detail, &err) != ZL_OK)
		goto fail;
	el = now_s() - bar.start;
	if (bar.tty)
		fputc('\n', stderr);
	print_read(file, &res, el);
	if (res.written)
		fprintf(stderr,
			"announcement %lld (%s, %s, %s%s%s) on plan %lld: %llu passed, %llu failed\n",
			(long long)info.announcement_id, info.title, info.level,
			info.doc_no[0] ? info.doc_no : "no document number",
			info.issued_on[0] ? ", " : "", info.issued_on, (long long)info.plan_id,
			(unsigned long long)info.passed, (unsigned long long)info.failed);
	if (res.unchanged)
		fprintf(stderr, "%llu rows already imported from this file (announcement %lld):"
			" skipped\n",
			(unsigned long long)res.unchanged, (long long)info.announcement_id);
	print_findings(&res, report);
	if (opt.dry_run)
		fprintf(stderr, "dry run: nothing written\n");
	else if (res.rejected && !res.written && !opt.partial)
		fprintf(stderr,
			"nothing written: %llu rows rejected (fix them, or use --partial to"
			" import the good rows)\n",
			(unsigned long long)res.rejected);
	if (bulk) {
		zl_db_bulk_end(db);
		bulk = 0;
	}
	if (report && write_report(report, &res, &err) != ZL_OK)
		goto fail;
	printf("imported %llu, updated %llu, rejected %llu\n", (unsigned long long)res.imported,
	       (unsigned long long)res.updated, (unsigned long long)res.rejected);
	rc = res.rejected ? ZL_EXIT_FAIL : ZL_EXIT_OK;
	goto out;
fail:
	zl_cli_error("import", &err);
out:
	if (bulk)
		zl_db_bulk_end(db);
	zl_buf_release(&detail);
	zl_import_result_release(&res);
	return rc;
}

int cmd_import(struct zl_ctx *ctx, int argc, char **argv)
{
	struct zl_import_options opt = {0};
	struct zl_import_result res;
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_buf detail = ZL_BUF_INIT(4096);
	const char *file = NULL, *report = NULL;
	char actor[160];
	struct bar bar = {0};
	struct zl_db *db;
	double el;
	int rc = ZL_EXIT_FAIL, bulk = 0;

	if (argc >= 2 && !strcmp(argv[1], "spotchecks"))
		return import_spotchecks(ctx, argc, argv);
	if (argc < 2 || strcmp(argv[1], "enterprises")) {
		fputs(USAGE, stderr);
		return ZL_EXIT_USAGE;
	}
	for (int i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "--partial")) {
			opt.partial = 1;
		} else if (!strcmp(argv[i], "--report") && i + 1 < argc) {
			report = argv[++i];
		} else if (!strcmp(argv[i], "--encoding") && i + 1 < argc) {
			const char *e = argv[++i];
			if (!strcmp(e, "auto"))
				opt.encoding = ZL_TABLE_ENC_AUTO;
			else if (!strcasecmp(e, "utf-8") || !strcasecmp(e, "utf8"))
				opt.encoding = ZL_TABLE_ENC_UTF8;
			else if (!strcasecmp(e, "gbk") || !strcasecmp(e, "gb18030"))
				opt.encoding = ZL_TABLE_ENC_GBK;
			else {
				fputs(USAGE, stderr);
				return ZL_EXIT_USAGE;
			}
		} else if ((argv[i][0] != '-' || !strcmp(argv[i], "-")) && !file) {
			file = argv[i];
		} else {
			fputs(USAGE, stderr);
			return ZL_EXIT_USAGE;
		}
	}
	if (!file || (report && !ends_with(report, ".xlsx") && !ends_with(report, ".csv"))) {
		fputs(USAGE, stderr);
		return ZL_EXIT_USAGE;
	}
	zl_import_result_init(&res);
	db = zl_cli_open_db(ctx, "import", 1);
	if (!db)
		goto out;
	snprintf(actor, sizeof(actor), "import:%s", base_name(file));
	opt.actor = actor;
	bar.tty = isatty(STDERR_FILENO);
	bar.start = now_s();
	bar.file = file;
	opt.progress = on_progress;
	opt.progress_cls = &bar;
	if (zl_db_bulk_begin(db, &bulk, &err) != ZL_OK || zl_db_begin(db, &err) != ZL_OK)
		goto fail;
	if (zl_import_enterprises(db, file, &opt, &res, &err) != ZL_OK) {
		zl_db_rollback(db);
		if (bar.tty)
			fputc('\n', stderr);
		goto fail;
	}
	if (commit_audited(db, &res, "enterprise.import", file,
			   res.written ? audit_detail(file, &res, opt.partial, &detail) : ZL_OK, &detail,
			   &err) != ZL_OK)
		goto fail;
	el = now_s() - bar.start;
	if (bar.tty)
		fputc('\n', stderr);
	print_read(file, &res, el);
	if (res.written && res.former_names)
		fprintf(stderr, "%llu former names recorded\n",
			(unsigned long long)res.former_names);
	print_findings(&res, report);
	if (res.rejected && !res.written)
		fprintf(stderr,
			"nothing written: %llu rows rejected (fix them, or use --partial to"
			" import the good rows)\n",
			(unsigned long long)res.rejected);
	if (bulk) {
		zl_db_bulk_end(db);
		bulk = 0;
	}
	if (report && write_report(report, &res, &err) != ZL_OK)
		goto fail;
	printf("imported %llu, updated %llu, unchanged %llu, rejected %llu\n",
	       (unsigned long long)res.imported, (unsigned long long)res.updated,
	       (unsigned long long)res.unchanged, (unsigned long long)res.rejected);
	rc = res.rejected ? ZL_EXIT_FAIL : ZL_EXIT_OK;
	goto out;
fail:
	zl_cli_error("import", &err);
out:
	if (bulk)
		zl_db_bulk_end(db); /* after the rollback: no transaction is open */
	zl_buf_release(&detail);
	zl_import_result_release(&res);
	return rc;
}
