/*
 * draw_bench.c - speed of the verifiable draw (domain/draw.h) at the size
 * issue 6 names: 1,000 drawn from 1,000,000 weighted candidates in 200
 * strata.
 *
 *   draw_bench [--candidates N] [--strata S] [--per-stratum K] [--rounds R]
 *              [--csv CANDIDATES.csv QUOTA.csv]
 *
 * Candidates have 18-character USCC-like ids (a permutation of the row
 * number, so they arrive in random order, as from a file), weights from a
 * frequency matrix (0.5, 1, 2, 4: enterprise classes A to D) and one of S
 * strata (six-digit county-like codes); each stratum draws K (default 5).
 * Prints the median over R rounds (default 11) of each step in ms:
 * prepare (check, sort, group) from random order and from canonical order
 * (stratum, then id: as a draw record lists them), the
 * input commitment (SHA-256 of the canonical form), and the draw itself
 * (keystreams, keys, selection).  With --csv it writes the candidates
 * (id, name, county, class, weight) and the quotas as CSV files instead,
 * for timing `zhiliang draw` end to end.  Deterministic input; the clock
 * is the only outside input.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "core/core.h"
#include "domain/draw.h"

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	return v[n / 2];
}

/* A bijection of [0, 2^32): a few rounds of multiply-xorshift. */
static uint32_t permute(uint32_t x)
{
	x ^= x >> 16;
	x *= 0x7feb352du;
	x ^= x >> 15;
	x *= 0x846ca68bu;
	x ^= x >> 16;
	return x;
}

/* Canonical order: stratum, then id. */
static int cmp_cand(const void *pa, const void *pb)
{
	const struct zl_draw_candidate *a = pa, *b = pb;
	int c = strcmp(a->stratum, b->stratum);

	return c ? c : strcmp(a->id, b->id);
}

/* The candidates and quotas as CSV files; 1 on success. */
static int write_csv(const char *cpath, const char *qpath, const struct zl_draw_candidate *cand,
		     size_t n, const struct zl_draw_quota *quotas, size_t nstrata)
{
	static const char *const classes[4] = {"A", "B", "C", "D"};
	FILE *c = fopen(cpath, "w"), *q = fopen(qpath, "w");
	char w[ZL_DRAW_WEIGHT_TEXT];
	int ok = c && q;

	if (ok) {
		fputs("统一社会信用代码,企业名称,行政区划,企业分类,权重\n", c);
		for (size_t i = 0; i < n; i++) {
			uint64_t k = cand[i].weight / 1000000u;

			fprintf(c, "%s,企业%zu有限公司,%s,%s,%s\n", cand[i].id, i, cand[i].stratum,
				classes[k == 0	 ? 0
					: k == 1 ? 1
					: k == 2 ? 2
						 : 3],
				zl_draw_weight_format(cand[i].weight, w));
		}
		fputs("行政区划,抽查数量\n", q);
		for (size_t s = 0; s < nstrata; s++)
			fprintf(q, "%s,%llu\n", quotas[s].stratum,
				(unsigned long long)quotas[s].quota);
	}
	if (c && fclose(c) != 0)
		ok = 0;
	if (q && fclose(q) != 0)
		ok = 0;
	return ok;
}

int main(int argc, char **argv)
{
	size_t n = 1000000, nstrata = 200, per = 5;
	const char *csv_cand = NULL, *csv_quota = NULL;
	int rounds = 11;
	static const uint64_t weights[4] = {500000, 1000000, 2000000, 4000000};
	struct zl_error err = ZL_ERROR_INIT;
	unsigned char seed[ZL_DRAW_SEED_BYTES];
	char hex[ZL_DRAW_HEX_LEN + 1];

	for (int i = 1; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "--candidates"))
			n = strtoul(argv[i + 1], NULL, 10);
		else if (!strcmp(argv[i], "--strata"))
			nstrata = strtoul(argv[i + 1], NULL, 10);
		else if (!strcmp(argv[i], "--per-stratum"))
			per = strtoul(argv[i + 1], NULL, 10);
		else if (!strcmp(argv[i], "--rounds"))
			rounds = (int)strtol(argv[i + 1], NULL, 10);
		else if (!strcmp(argv[i], "--csv") && i + 2 < argc) {
			csv_cand = argv[i + 1];
			csv_quota = argv[i + 2];
			i++;
		}
	}
	if (zl_core_init() != ZL_OK || n == 0 || nstrata == 0 || nstrata > 9999 || rounds < 1)
		return 1;

	char *ids = malloc(n * 19), *sorted_ids = malloc(n * 19),
	     (*names)[8] = malloc(nstrata * sizeof(*names));
	struct zl_draw_candidate *cand = malloc(n * sizeof(*cand)),
				 *sorted = malloc(n * sizeof(*cand));
	struct zl_draw_quota *quotas = malloc(nstrata * sizeof(*quotas));
	double *t_prep = malloc(sizeof(double) * (size_t)rounds),
	       *t_sorted = malloc(sizeof(double) * (size_t)rounds),
	       *t_commit = malloc(sizeof(double) * (size_t)rounds),
	       *t_run = malloc(sizeof(double) * (size_t)rounds);

	if (!ids || !sorted_ids || !names || !cand || !sorted || !quotas || !t_prep || !t_sorted ||
	    !t_commit || !t_run)
		return 1;
	for (size_t s = 0; s < nstrata; s++) {
		snprintf(names[s], sizeof(names[s]), "%06u", 410001u + (unsigned)(s % 9999));
		quotas[s] = (struct zl_draw_quota){names[s], per};
	}
	for (size_t i = 0; i < n; i++) {
		uint32_t p = permute((uint32_t)i);

		snprintf(ids + i * 19, 19, "91%06u%010u", 410001u + (unsigned)(p % nstrata % 9999),
			 p);
		cand[i] = (struct zl_draw_candidate){ids + i * 19, names[p % nstrata],
						     weights[(p >> 8) % 4], NULL};
	}
	/*
	 * The same list in canonical order (stratum, then id), its ids laid out
	 * in that order: as a record lists them, or a register sorted by region
	 * and code.
	 */
	if (csv_cand)
		return write_csv(csv_cand, csv_quota, cand, n, quotas, nstrata) ? 0 : 1;
	memcpy(sorted, cand, n * sizeof(*cand));
	qsort(sorted, n, sizeof(*sorted), cmp_cand);
	for (size_t i = 0; i < n; i++) {
		memcpy(sorted_ids + i * 19, sorted[i].id, 19);
		sorted[i].id = sorted_ids + i * 19;
	}
	for (size_t i = 0; i < sizeof(seed); i++)
		seed[i] = (unsigned char)(i * 7 + 1);

	for (int r = 0; r < rounds; r++) {
		struct zl_draw_spec spec = {"bench", cand, n, 0, quotas, nstrata};
		struct zl_draw d, d2;
		struct zl_draw_result res;
		double t0 = now_ms();

		if (zl_draw_prepare(&d, &spec, &err) != ZL_OK) {
			fprintf(stderr, "prepare: %s\n", err.message);
			return 1;
		}
		t_prep[r] = now_ms() - t0;
		spec.cand = sorted;
		t0 = now_ms();
		if (zl_draw_prepare(&d2, &spec, &err) != ZL_OK)
			return 1;
		t_sorted[r] = now_ms() - t0;
		zl_draw_release(&d2);
		t0 = now_ms();
		zl_draw_input_commitment(&d, hex);
		t_commit[r] = now_ms() - t0;
		t0 = now_ms();
		if (zl_draw_run(&d, seed, &res, &err) != ZL_OK) {
			fprintf(stderr, "run: %s\n", err.message);
			return 1;
		}
		t_run[r] = now_ms() - t0;
		if (r == 0)
			printf("%zu candidates, %zu strata, %zu drawn; input commitment %.16s...\n",
			       n, nstrata, res.n, hex);
		zl_draw_result_release(&res);
		zl_draw_release(&d);
	}
	printf("prepare from random order (check, sort, group): %.1f ms\n", median(t_prep, rounds));
	printf("prepare from canonical order: %.1f ms\n", median(t_sorted, rounds));
	printf("input commitment (SHA-256 of the canonical form): %.1f ms\n",
	       median(t_commit, rounds));
	printf("draw (keystreams, keys, selection): %.1f ms\n", median(t_run, rounds));
	free(ids);
	free(sorted_ids);
	free(names);
	free(cand);
	free(sorted);
	free(quotas);
	free(t_prep);
	free(t_sorted);
	free(t_commit);
	free(t_run);
	return 0;
}
