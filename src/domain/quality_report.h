/*
 * quality_report.h - the layout of the quality analysis report (产品质量
 * 状况分析报告, issue 7 item 6, docs/report.md), pure: from groups whose
 * rates are already computed (the spot-check statistics: batches, failed,
 * Wilson intervals, the unreliable flag) it decides what the report says
 * and in which order - the title, the headline paragraph, the comparison
 * with the previous year, the tables with their rows, the ranking of the
 * worst products and regions (only reliable groups are ranked; unreliable
 * ones are listed apart), and the method note.  The PDF and the xlsx annex
 * are drawn from this layout by http/sc_report.c; nothing here draws,
 * reads the clock or does I/O, so the layout is tested on fixed groups.
 *
 * Rates are fractions in [0, 1]; a rate < 0 means "none" (no batches).
 */
#ifndef ZL_DOMAIN_QUALITY_REPORT_H
#define ZL_DOMAIN_QUALITY_REPORT_H

#include <stddef.h>
#include <stdint.h>

/* Rows of a ranking the PDF shows (the annex has them all). */
#define ZL_QR_TOP 10

/* One group of the statistics (strings not owned; they must outlive the layout). */
struct zl_qr_group {
	const char *key;   /* "410100", "2014Q3", "large", a product code */
	const char *label; /* what the report prints: "郑州市", "第三季度", "大型" */
	int64_t batches, failed;
	double pass_rate, ci_low, ci_high; /* by batch, with its 95% Wilson interval */
	int64_t enterprises, enterprises_failed;
	double ent_pass_rate, ent_ci_low, ent_ci_high; /* by enterprise */
	int unreliable; /* fewer batches than the threshold */
};

/* What the report is about and its figures (all borrowed). */
struct zl_qr_input {
	int year;
	const char *scope_name; /* "河南省" or the city's name */
	int by_county;		/* the regions are counties (a city's report) */
	const char *org_name;	/* the issuing organization (footer), may be NULL */
	const char *date;	/* the data date "YYYY-MM-DD" */
	int64_t min_batches;	/* the unreliable threshold */
	struct zl_qr_group total;
	int has_prev;
	struct zl_qr_group prev; /* the previous year's total */
	int has_diff;
	double diff, diff_low, diff_high; /* this year's rate - last year's, Newcombe 95% interval */
	int has_mfg;
	double mfg_rate; /* 制造业产品质量合格率, when output weights exist */
	const struct zl_qr_group *quarters, *regions, *sizes, *products;
	size_t nquarters, nregions, nsizes, nproducts;
};

enum zl_qr_table_kind {
	ZL_QR_OVERVIEW = 0, /* this year and the previous one */
	ZL_QR_QUARTERS,
	ZL_QR_REGIONS,
	ZL_QR_SIZES,
	ZL_QR_PRODUCTS,
	ZL_QR_NTABLES
};

/* A table of the PDF, which is also a sheet of the annex. */
struct zl_qr_table {
	const char *sheet;     /* the annex sheet's name (static) */
	const char *heading;   /* the PDF's section heading (static) */
	const char *key_title; /* the first column's title (static) */
	int ranked;	       /* rows are a ranking: worst first, rank[] set */
	const struct zl_qr_group **rows; /* every group, in report order (the annex) */
	int *rank;			 /* ranked: 1-based rank of rows[i], 0 when unreliable */
	size_t n;
	size_t nshown; /* the PDF's table shows rows[0..nshown) */
	const struct zl_qr_group **apart; /* ranked: the unreliable groups, listed apart */
	size_t napart;
};

struct zl_qr_layout {
	char title[256];
	char subtitle[256];
	char headline[2048];
	char comparison[1024];
	char method[2048];
	char worst[1024]; /* the sentence naming the worst reliable product and region */
	const struct zl_qr_group *overview[2];
	struct zl_qr_table t[ZL_QR_NTABLES];
};

/*
 * Lay the report out.  Returns 0, -1 when out of memory (nothing to
 * release then), or 1 when the year has no tested batch (there is nothing
 * to report: the caller says so).  Release with zl_qr_layout_release.
 */
int zl_qr_layout_make(const struct zl_qr_input *in, struct zl_qr_layout *out);
void zl_qr_layout_release(struct zl_qr_layout *l);

/*
 * Order groups for a ranking: the reliable ones by pass rate, lowest
 * first (ties: the lower interval top first, then by key), then the
 * unreliable ones by key.  order[0..n) receives pointers into v; returns
 * how many are reliable.
 */
size_t zl_qr_rank(const struct zl_qr_group *v, size_t n, const struct zl_qr_group **order);

/* "91.5%" (one decimal), or "—" when rate < 0.  out has room for 16 bytes. */
void zl_qr_pct(double rate, char out[16]);
/* "90.8%–92.1%", or "—".  out has room for 40 bytes. */
void zl_qr_interval(double lo, double hi, char out[40]);

#endif /* ZL_DOMAIN_QUALITY_REPORT_H */
