/*
 * plan_bench.c - speed of the work-plan parser (domain/plan.h) on a
 * document of about 1 MiB (issue 5: "note the parser's speed on a 1 MB
 * document").
 *
 *   plan_bench [--size BYTES] [--rounds N] [FILE]
 *
 * With FILE, the document is FILE's text repeated until it reaches BYTES
 * (default 1048576); without, a synthetic plan is generated: sections
 * 一、 .. with twenty "N." tasks each, every task a few sentences and one
 * attribution, cycling through the closing phrases the parser reads.
 * Prints the document's size, sections and tasks, then the median over N
 * rounds (default 21) of zl_plan_parse() alone and of parse + JSON, in
 * milliseconds and MB/s.  Deterministic input; the clock is the only
 * outside input.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "core/buf.h"
#include "core/jw.h"
#include "domain/plan.h"

/* Chinese numeral for 1..99. */
static void cn(struct zl_buf *b, int n)
{
	static const char *const d[] = {"", "一", "二", "三", "四", "五", "六", "七", "八", "九"};

	if (n >= 20)
		zl_buf_adds(b, d[n / 10]);
	if (n >= 10)
		zl_buf_adds(b, "十");
	zl_buf_adds(b, d[n % 10]);
}

static void generate(struct zl_buf *b, size_t size)
{
	static const char *const depts[] = {
		"省质监局",	  "发展改革委", "工业和信息化厅", "财政厅", "商务厅", "工商局",
		"食品药品监管局", "农业厅",	"住房城乡建设厅", "环保厅", "教育厅", "公安厅"};
	static const char *const closing[] = {"负责", "按职责分工负责", "等负责", "牵头负责"};
	int section = 0, task = 0;

	zl_buf_adds(b, "示范省质量提升工作方案\n");
	while (b->len < size && section < 99) {
		zl_buf_adds(b, "\n");
		cn(b, ++section);
		zl_buf_adds(b, "、加强质量工作第");
		cn(b, section);
		zl_buf_adds(b, "部分\n");
		for (int k = 0; k < 20 && b->len < size; k++) {
			int t = ++task, n = 1 + t % 4;

			zl_buf_addf(b, "%d.开展第%d项质量提升工作。", t, t);
			for (int s = 0; s < 6; s++)
				zl_buf_adds(b,
					    "完善质量监管制度，加强监督抽查，推动企业落实主体责任，"
					    "提升产品、工程和服务质量。");
			zl_buf_adds(b, "（");
			for (int i = 0; i < n; i++)
				zl_buf_addf(b, "%s%s", i ? "、" : "", depts[(t + i) % 12]);
			zl_buf_addf(b, "%s%s）\n", closing[t % 4],
				    t == 1 ? "。列第一位者为牵头部门，下同" : "");
		}
	}
}

int main(int argc, char **argv)
{
	struct zl_buf doc = ZL_BUF_INIT((size_t)1 << 30), json = ZL_BUF_INIT((size_t)1 << 30);
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_plan p;
	const char *file = NULL;
	size_t size = 1048576, copies = 0;
	int rounds = 21;
	double *tp, *tj;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--size") && i + 1 < argc)
			size = strtoul(argv[++i], NULL, 10);
		else if (!strcmp(argv[i], "--rounds") && i + 1 < argc)
			rounds = (int)strtol(argv[++i], NULL, 10);
		else if (argv[i][0] != '-' && !file)
			file = argv[i];
		else {
			fprintf(stderr, "usage: plan_bench [--size BYTES] [--rounds N] [FILE]\n");
			return 2;
		}
	}
	if (rounds < 1 || size < 1)
		return 2;
	if (file) {
		struct zl_buf one = ZL_BUF_INIT((size_t)64 << 20);
		char chunk[65536];
		size_t n;
		FILE *f = fopen(file, "rb");

		if (!f) {
			perror(file);
			return 1;
		}
		while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
			zl_buf_add(&one, chunk, n);
		fclose(f);
		if (one.len == 0)
			return 1;
		while (doc.len < size) {
			zl_buf_add(&doc, one.data, one.len);
			copies++;
		}
		zl_buf_release(&one);
	} else {
		generate(&doc, size);
	}
	if (doc.err)
		return 1;
	tp = calloc((size_t)rounds, sizeof(*tp));
	tj = calloc((size_t)rounds, sizeof(*tj));
	if (!tp || !tj)
		return 1;
	zl_plan_init(&p);
	for (int r = 0; r < rounds; r++) {
		struct zl_jw w;
		double t0 = now_ms(), t1, t2;

		if (zl_plan_parse(doc.data, doc.len, &p, &err) != ZL_OK) {
			fprintf(stderr, "plan_bench: %s\n", err.message);
			return 1;
		}
		t1 = now_ms();
		zl_buf_reset(&json);
		zl_jw_init(&w, &json);
		if (zl_plan_write_json(&p, &w) != ZL_OK)
			return 1;
		t2 = now_ms();
		tp[r] = t1 - t0;
		tj[r] = t2 - t0;
	}
	qsort(tp, (size_t)rounds, sizeof(*tp), cmp_double);
	qsort(tj, (size_t)rounds, sizeof(*tj), cmp_double);
	if (file)
		printf("document: %s x %zu", file, copies);
	else
		printf("document: generated");
	printf(", %zu bytes, %zu sections, %zu tasks, %zu bytes of JSON\n", doc.len, p.nsections,
	       p.ntasks, json.len);
	printf("parse        : %.1f ms (%.1f MB/s), median of %d\n", tp[rounds / 2],
	       (double)doc.len / 1e3 / tp[rounds / 2], rounds);
	printf("parse + JSON : %.1f ms (%.1f MB/s)\n", tj[rounds / 2],
	       (double)doc.len / 1e3 / tj[rounds / 2]);
	zl_plan_release(&p);
	zl_buf_release(&doc);
	zl_buf_release(&json);
	free(tp);
	free(tj);
	return 0;
}
