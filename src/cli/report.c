/*
 * report.c - `zhiliang report`: documents produced from the database.
 *
 *   report quality --year YYYY [--region CODE] [--out FILE.pdf]
 *                  [--annex FILE.xlsx] [--date YYYY-MM-DD]
 *       the quality analysis report (产品质量状况分析报告) of a year as a
 *       PDF, for the province (by city) or for a city or county given by
 *       its GB/T 2260 code (by county), and optionally its xlsx annex (one
 *       sheet per table, every group); docs/report.md.  --date is the data
 *       date printed on it (default today in Asia/Shanghai); the same data
 *       and date give the same bytes.  The PDF goes to --out (default
 *       quality-report-YEAR[-REGION].pdf).  Files are written to a
 *       temporary name and renamed, so a failure leaves nothing
 *       half-written.  Prints one line with the headline figures.
 *
 * Exit status: 0 written; 1 when the year has no tested batch for the
 * region (nothing to report: said on stderr, no file written) or on a
 * database or file error; 2 for a usage error (a bad year, region code or
 * date included).
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/buf.h"
#include "core/timeutil.h"
#include "http/sc_report.h"
#include "store/orgs.h"

int cmd_report(struct zl_ctx *ctx, int argc, char **argv);

#define USAGE                                                                                \
	"usage: zhiliang report quality --year YYYY [--region CODE] [--out FILE.pdf] "       \
	"[--annex FILE.xlsx] [--date YYYY-MM-DD]\n"

static int usage(const char *why)
{
	if (why)
		fprintf(stderr, "zhiliang report: %s\n", why);
	fputs(USAGE, stderr);
	return ZL_EXIT_USAGE;
}

/* Write n bytes (or the open file fd's contents when data is NULL) to path via path.tmp. */
static int write_file(const char *path, const void *data, size_t n, int fd_in)
{
	char tmp[4096], chunk[65536];
	int fd, ok = 1;
	ssize_t got;

	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= sizeof(tmp)) {
		fprintf(stderr, "zhiliang report: %s: name too long\n", path);
		return -1;
	}
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		fprintf(stderr, "zhiliang report: %s: %s\n", tmp, strerror(errno));
		return -1;
	}
	if (data) {
		for (size_t off = 0; ok && off < n;) {
			got = write(fd, (const char *)data + off, n - off);
			if (got <= 0)
				ok = 0;
			else
				off += (size_t)got;
		}
	} else {
		while (ok && (got = read(fd_in, chunk, sizeof(chunk))) != 0) {
			if (got < 0 || write(fd, chunk, (size_t)got) != got)
				ok = 0;
		}
	}
	if (close(fd) != 0)
		ok = 0;
	if (!ok || rename(tmp, path) != 0) {
		fprintf(stderr, "zhiliang report: cannot write %s: %s\n", path, strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}

static int quality(struct zl_ctx *ctx, int argc, char **argv)
{
	const char *year_s = NULL, *region = NULL, *out = NULL, *annex = NULL, *date = NULL;
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_arena arena;
	struct zl_buf pdf = ZL_BUF_INIT(256u << 20);
	struct zl_qr_input in;
	struct zl_qr_layout l;
	char today[16], def_out[64], rate[16], ci[40];
	int made = 0, rc = ZL_EXIT_FAIL, year, fd = -1;
	struct zl_db *db;
	uint64_t size;
	int64_t day;
	char *end;
	long v;

	for (int i = 2; i < argc; i++) {
		const char **dst = NULL;
		const char *a = argv[i];

		if (!strcmp(a, "--year"))
			dst = &year_s;
		else if (!strcmp(a, "--region"))
			dst = &region;
		else if (!strcmp(a, "--out"))
			dst = &out;
		else if (!strcmp(a, "--annex"))
			dst = &annex;
		else if (!strcmp(a, "--date"))
			dst = &date;
		else
			return usage(NULL);
		if (i + 1 >= argc || !argv[i + 1][0])
			return usage(NULL);
		*dst = argv[++i];
	}
	if (year_s == NULL)
		return usage("--year is required");
	errno = 0;
	v = strtol(year_s, &end, 10);
	if (errno || end == year_s || *end || v < ZL_SC_REPORT_YEAR_MIN || v > ZL_SC_REPORT_YEAR_MAX)
		return usage("--year must be a year 2000..2100");
	year = (int)v;
	if (date && zl_date_parse(date, &day) != ZL_OK)
		return usage("--date must be a date YYYY-MM-DD");
	if (region && !strcmp(region, "410000"))
		region = NULL;
	if (!date) {
		zl_store_org_today(today);
		date = today;
	}
	if (!out) {
		snprintf(def_out, sizeof(def_out), "quality-report-%d%s%s.pdf", year,
			 region ? "-" : "", region ? region : "");
		out = def_out;
	}
	if ((db = zl_cli_open_db(ctx, "report", 1)) == NULL)
		return ZL_EXIT_FAIL;
	zl_arena_init(&arena, 64u << 20);
	if ((rc = zl_db_begin_read(db, &err)) == ZL_OK) {
		rc = zl_sc_report_gather(db, &arena, year, region, date, NULL,
					 ctx->cfg.stats_min_batches, &in, &err);
		zl_db_rollback(db);
	}
	if (rc == ZL_EINVAL) {
		zl_cli_error("report", &err);
		rc = ZL_EXIT_USAGE;
		goto out;
	}
	if (rc != ZL_OK) {
		zl_cli_error("report", &err);
		rc = ZL_EXIT_FAIL;
		goto out;
	}
	rc = zl_qr_layout_make(&in, &l);
	if (rc > 0) {
		fprintf(stderr, "zhiliang report: %s has no tested batch in %d: nothing to report\n",
			in.scope_name, year);
		rc = ZL_EXIT_FAIL;
		goto out;
	}
	if (rc < 0) {
		fputs("zhiliang report: out of memory\n", stderr);
		rc = ZL_EXIT_FAIL;
		goto out;
	}
	made = 1;
	rc = ZL_EXIT_FAIL;
	if (zl_sc_report_pdf(&in, &l, &pdf, &err) != ZL_OK) {
		zl_cli_error("report", &err);
		goto out;
	}
	if (annex && zl_sc_report_annex(&in, &l, NULL, &fd, &size, &err) != ZL_OK) {
		zl_cli_error("report", &err);
		goto out;
	}
	if (write_file(out, pdf.data, pdf.len, -1) != 0)
		goto out;
	if (annex && write_file(annex, NULL, 0, fd) != 0) {
		unlink(out);
		goto out;
	}
	zl_qr_pct(in.total.pass_rate, rate);
	zl_qr_interval(in.total.ci_low, in.total.ci_high, ci);
	printf("%s %d: %" PRId64 " batches, %" PRId64 " failed, pass rate %s (95%% %s); %s%s%s\n",
	       in.scope_name, year, in.total.batches, in.total.failed, rate, ci, out,
	       annex ? ", " : "", annex ? annex : "");
	rc = ZL_EXIT_OK;
out:
	if (fd >= 0)
		close(fd);
	if (made)
		zl_qr_layout_release(&l);
	zl_buf_release(&pdf);
	zl_arena_release(&arena);
	return rc;
}

int cmd_report(struct zl_ctx *ctx, int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "quality"))
		return quality(ctx, argc, argv);
	return usage(NULL);
}
