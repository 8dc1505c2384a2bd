/*
 * fuzz_spotcheck_input.c - libFuzzer target for the inputs of the catalogue
 * and of spot-check plans: request JSON read into a category
 * (zl_cat_http_parse, as POST and as PATCH over a category already read)
 * and into a plan (zl_sc_http_parse_plan), then checked by the domain
 * (zl_cat_in_check, zl_sc_plan_in_check).  The first byte picks the reader,
 * the rest is the JSON.
 *
 * Invariants checked:
 *   - reading and checking never crash, whatever the JSON;
 *   - a refusal is 400 or 422 (or out of memory) and names a field;
 *   - an accepted category has a valid code, a name, a risk 1..3, items with
 *     a limit and min <= max;
 *   - an accepted plan has products with quotas of positive batches summing
 *     to zl_sc_plan_in_batches(), places whose shares make 100 or whose
 *     batches make the quotas, and every cell of its matrix positive.
 */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "http/spotcheck_http.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_category(const struct zl_cat_in *in)
{
	assert(zl_cat_code_valid(in->code));
	assert(in->name != NULL && in->name[0] != '\0');
	assert(in->risk >= 1 && in->risk <= 3);
	for (size_t i = 0; i < in->nitems; i++) {
		const struct zl_cat_item_in *x = &in->items[i];

		assert(x->has_min || x->has_max || (x->text && x->text[0]));
		assert(!(x->has_min && x->has_max) || x->min <= x->max);
		assert(zl_severity_zh(x->severity) != NULL);
	}
}

static void check_plan(const struct zl_sc_plan_in *in)
{
	int64_t sum = 0, shares = 0, batches = 0;

	assert(in->nproducts > 0);
	for (size_t i = 0; i < in->nproducts; i++) {
		assert(in->products[i].nquotas > 0);
		for (size_t k = 0; k < in->products[i].nquotas; k++) {
			assert(in->products[i].quotas[k].batches > 0);
			sum += in->products[i].quotas[k].batches;
		}
	}
	assert(sum == zl_sc_plan_in_batches(in));
	for (size_t i = 0; i < in->nplaces; i++) {
		shares += in->places[i].share;
		batches += in->places[i].batches;
	}
	assert(shares == 100 || batches == sum);
	for (int c = 0; in->has_freq && c < ZL_SC_CLASSES; c++)
		for (int r = 0; r < ZL_SC_RISKS; r++)
			assert(in->freq.w[c][r] >= 1 && in->freq.w[c][r] <= ZL_SC_WEIGHT_MAX);
}

static void refused(int rc, const struct zl_error *err)
{
	assert(rc == ZL_EUNPROC || rc == ZL_EINVAL || rc == ZL_ENOMEM);
	assert(rc == ZL_ENOMEM || err->field[0] != '\0' || rc == ZL_EINVAL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct zl_cat_item_in items[] = {
		{"28d抗压强度", "MPa", 1, 0, 42.5, 0, NULL, "GB/T 17671-1999", "serious"}};
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_arena arena;
	struct zl_req req;
	cJSON *body = NULL;
	int rc, mode;

	if (size < 1)
		return 0;
	mode = data[0] % 3;
	memset(&req, 0, sizeof(req));
	zl_arena_init(&arena, 8u << 20);
	req.arena = &arena;
	if (zl_json_parse_object((const char *)data + 1, size - 1, 6, &body, &err) == ZL_OK) {
		if (mode == 2) {
			struct zl_sc_plan_in in;

			rc = zl_sc_http_parse_plan(&req, body, 0, &in, NULL, &err);
			if (rc == ZL_OK)
				rc = zl_sc_plan_in_check(&in, &err);
			if (rc == ZL_OK)
				check_plan(&in);
			else
				refused(rc, &err);
		} else {
			struct zl_cat_in in = {0};
			const char *status = NULL;
			int version = 0;

			if (mode == 1) { /* PATCH over an existing category */
				in.code = "0401";
				in.parent = "04";
				in.name = "普通硅酸盐水泥";
				in.risk = 1;
				in.items = items;
				in.nitems = 1;
			}
			rc = zl_cat_http_parse(&req, body, mode == 1, &in, &status, &version, &err);
			if (rc == ZL_OK)
				rc = zl_cat_in_check(&in, &err);
			if (rc == ZL_OK)
				check_category(&in);
			else
				refused(rc, &err);
		}
		cJSON_Delete(body);
	}
	zl_arena_release(&arena);
	return 0;
}
