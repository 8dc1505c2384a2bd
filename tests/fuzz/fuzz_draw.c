/*
 * fuzz_draw.c - libFuzzer target for the two parsers of verifiable draws:
 * the draw record (domain/draw_record.h) and the CSV candidate and quota
 * tables (domain/draw_csv.h).
 *
 * The first byte chooses.  Even: the rest is a record; it is parsed and,
 * when it parses, checked.  Odd: the rest is a candidate table, up to a
 * NUL, then (if there is a NUL) a quota table; bits of the first byte
 * pick the weight column, the count and the forced encoding.
 *
 * Invariants checked:
 *   - nothing crashes or leaks, whatever the bytes;
 *   - a refusal has a known code and a message;
 *   - a record whose check runs reports consistent counts, and one that
 *     verifies still verifies after being written out again from its own
 *     inputs and seed and read back;
 *   - accepted tables give valid candidates (non-empty unique ids in
 *     canonical order, weights in range, every stratum's quota within its
 *     size), and their draw selects the total, each candidate at most once
 *     and within its stratum.
 */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "core/jw.h"
#include "domain/draw_csv.h"
#include "domain/draw_record.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void refusal_ok(int rc, const struct zl_error *err)
{
	assert(rc == ZL_EINVAL || rc == ZL_EUNPROC || rc == ZL_ETOOBIG || rc == ZL_ENOMEM);
	assert(rc == ZL_ENOMEM || err->message[0] != '\0');
}

/* A record that verified: write it again from its own inputs and check the copy. */
static void rewrite_and_check(const struct zl_draw_record *rec)
{
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_buf b = ZL_BUF_INIT(64u << 20);
	struct zl_draw_record again;
	struct zl_draw_check chk;
	struct zl_jw w;

	zl_jw_init(&w, &b);
	if (rec->kind == ZL_DRAW_KIND_SELECT) {
		struct zl_draw d;
		struct zl_draw_result res;

		assert(zl_draw_prepare(&d, &rec->spec, &err) == ZL_OK);
		assert(zl_draw_run(&d, rec->seed, &res, &err) == ZL_OK);
		zl_draw_record_write(&w, &d, NULL, rec->seed, &res, NULL);
		zl_draw_result_release(&res);
		zl_draw_release(&d);
	} else {
		struct zl_draw_inspectors ins;
		struct zl_draw_inspector_result res;

		assert(zl_draw_inspectors_prepare(&ins, &rec->ins_spec, &err) == ZL_OK);
		assert(zl_draw_inspectors_run(&ins, rec->seed, &res, &err) == ZL_OK);
		zl_draw_inspectors_record_write(&w, &ins, NULL, rec->seed, &res, NULL);
		zl_draw_inspector_result_release(&res);
		zl_draw_inspectors_release(&ins);
	}
	assert(zl_jw_error(&w) == ZL_OK);
	assert(zl_draw_record_parse(b.data, b.len, &again, &err) == ZL_OK);
	assert(zl_draw_record_check(&again, &chk, &err) == ZL_OK);
	assert(zl_draw_check_ok(&chk));
	zl_draw_record_release(&again);
	zl_buf_release(&b);
}

static void fuzz_record(const char *s, size_t n)
{
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_draw_record rec;
	struct zl_draw_check chk;
	int rc = zl_draw_record_parse(s, n, &rec, &err);

	if (rc != ZL_OK) {
		refusal_ok(rc, &err);
		zl_draw_record_release(&rec);
		return;
	}
	/* keep runs short: the draw is linear, but the fuzzer wants many runs */
	if (rec.spec.ncand + rec.ins_spec.npool * rec.ins_spec.ntasks > 20000) {
		zl_draw_record_release(&rec);
		return;
	}
	rc = zl_draw_record_check(&rec, &chk, &err);
	if (rc != ZL_OK) {
		refusal_ok(rc, &err);
	} else {
		assert(chk.result_recorded == rec.npicks);
		assert(!chk.result_ok || chk.ndiffs == 0);
		assert(!chk.result_checked || chk.result_ok == (chk.ndiffs == 0));
		if (zl_draw_check_ok(&chk))
			rewrite_and_check(&rec);
	}
	zl_draw_record_release(&rec);
}

static void check_draw(const struct zl_draw *d)
{
	struct zl_error err = ZL_ERROR_INIT;
	unsigned char seed[ZL_DRAW_SEED_BYTES] = {1, 2, 3};
	struct zl_draw_result res;
	uint8_t *taken = calloc(d->ncand ? d->ncand : 1, 1);

	assert(taken != NULL);
	for (size_t i = 0; i < d->nstrata; i++) {
		const struct zl_draw_stratum *st = &d->strata[i];

		assert(st->quota <= st->n);
		for (size_t j = st->first; j < st->first + st->n; j++) {
			assert(d->cand[j].id[0] != '\0');
			assert(d->cand[j].weight >= 1 && d->cand[j].weight <= ZL_DRAW_WEIGHT_MAX);
			assert(j == st->first || strcmp(d->cand[j - 1].id, d->cand[j].id) < 0);
		}
	}
	assert(zl_draw_run(d, seed, &res, &err) == ZL_OK);
	assert(res.n == d->total);
	for (size_t k = 0; k < res.n; k++) {
		assert(res.picks[k].cand < d->ncand);
		assert(!taken[res.picks[k].cand]);
		taken[res.picks[k].cand] = 1;
	}
	zl_draw_result_release(&res);
	free(taken);
}

static void fuzz_tables(uint8_t how, const char *s, size_t n)
{
	static const enum zl_table_encoding encs[] = {ZL_TABLE_ENC_AUTO, ZL_TABLE_ENC_UTF8,
						      ZL_TABLE_ENC_GBK, ZL_TABLE_ENC_AUTO};
	enum zl_table_encoding enc = encs[(how >> 1) & 3];
	const char *nul = memchr(s, '\0', n);
	size_t cn = nul ? (size_t)(nul - s) : n;
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_draw_table t, q;
	struct zl_draw_csv c;
	struct zl_draw_csv_input in = {"fuzz", NULL, NULL, NULL, 1 + ((how >> 3) & 3)};
	int rc;

	memset(&q, 0, sizeof(q));
	memset(&c, 0, sizeof(c));
	rc = zl_draw_table_read(&t, "c.csv", s, cn, enc, &err);
	if (rc == ZL_OK && nul)
		rc = zl_draw_table_read(&q, "q.csv", nul + 1, n - cn - 1, enc, &err);
	if (rc == ZL_OK) {
		/* the weight and stratum columns: the header's second and third cells */
		if ((how & 0x20) && t.ncols > 1)
			in.weight_column = t.cells[1];
		if (nul && t.ncols > 2) {
			in.stratum_column = t.cells[2];
			in.count = 0;
		}
		rc = zl_draw_csv_load(&c, &t, nul ? &q : NULL, &in, &err);
		if (rc == ZL_OK) {
			assert(c.ncand == t.nrows);
			check_draw(&c.draw);
		}
	}
	if (rc != ZL_OK)
		refusal_ok(rc, &err);
	zl_draw_csv_release(&c);
	zl_draw_table_release(&t);
	zl_draw_table_release(&q);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;

	if (!ready) {
		assert(zl_core_init() == ZL_OK);
		ready = 1;
	}
	if (size == 0)
		return 0;
	if ((data[0] & 1) == 0)
		fuzz_record((const char *)data + 1, size - 1);
	else
		fuzz_tables(data[0], (const char *)data + 1, size - 1);
	return 0;
}
