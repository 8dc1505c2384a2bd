/*
 * sc_report.h - the quality analysis report (产品质量状况分析报告) as
 * files: the statistics of a year gathered into a domain/quality_report.h
 * input, the PDF drawn from its layout (core/pdfw.h), and the xlsx annex
 * with one sheet per table of the PDF holding every group (core/xlsxw.h).
 * Used by GET /api/v1/spotchecks/report.pdf|.xlsx and by
 * `zhiliang report quality` (docs/report.md).
 */
#ifndef ZL_HTTP_SC_REPORT_H
#define ZL_HTTP_SC_REPORT_H

#include <stdint.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "db/db.h"
#include "domain/quality_report.h"

/* Year range the report accepts (the register's data starts in the 2000s). */
#define ZL_SC_REPORT_YEAR_MIN 2000
#define ZL_SC_REPORT_YEAR_MAX 2100

/*
 * Gather the report's figures for `year` and, when `region` is a
 * city-level code, that city (its regions are then its counties; NULL or
 * "": the province, by city) from the spot-check statistics, in one read
 * transaction the caller has begun.  Strings go to `a`.  `date` is the data
 * date printed on the report; `org_name` its issuer (may be NULL);
 * `min_batches` the unreliable threshold (the stats_min_batches setting).
 * ZL_EINVAL (field "region") for a code that is not a city of the
 * province; other store errors as they come.
 */
int zl_sc_report_gather(struct zl_db *db, struct zl_arena *a, int year, const char *region,
			const char *date, const char *org_name, int64_t min_batches,
			struct zl_qr_input *in, struct zl_error *err);

/* Append the report's PDF to `out` (A4, zh-CN; reproducible for a given in->date). */
int zl_sc_report_pdf(const struct zl_qr_input *in, const struct zl_qr_layout *l,
		     struct zl_buf *out, struct zl_error *err);

/*
 * Write the annex: one sheet per table of the PDF (总体, 季度, 地区, 企业规模,
 * 产品) with every group and every figure as numbers.  Returns ZL_OK with
 * *fd (an unlinked temp file in `tmpdir`, offset 0; the caller closes it)
 * and *size, as zl_xlsxw_finish does.
 */
int zl_sc_report_annex(const struct zl_qr_input *in, const struct zl_qr_layout *l,
		       const char *tmpdir, int *fd, uint64_t *size, struct zl_error *err);

#endif /* ZL_HTTP_SC_REPORT_H */
