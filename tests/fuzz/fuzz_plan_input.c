/*
 * fuzz_plan_input.c - libFuzzer target for the plan ledger's input: request
 * JSON read into the neutral plan structure (http/plan_http.h:
 * zl_plan_http_parse_plan) and checked (store/plans.h: zl_plan_in_check).
 *
 * Invariants checked:
 *   - reading and checking never crash, whatever the JSON;
 *   - a refusal is 400 or 422 (or out of memory) and names a field;
 *   - an accepted plan has a title and an organization, and each task a
 *     number, a title, and owners within the limit once its attributions
 *     are counted; every section number a task names is the plan's.
 */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "http/plan_http.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_accepted(const struct zl_plan_in *in)
{
	assert(in->title != NULL && in->title[0] != '\0');
	assert(in->org != NULL && in->org[0] != '\0');
	for (size_t i = 0; i < in->ntasks; i++) {
		const struct zl_plan_task_in *t = &in->tasks[i];
		size_t owners = t->nowners;
		int known = t->section == NULL || t->section[0] == '\0';

		assert(t->number != NULL && t->number[0] != '\0');
		assert(t->title != NULL && t->title[0] != '\0');
		for (size_t k = 0; k < t->nattrs; k++)
			owners += t->attrs[k].ndepartments ? t->attrs[k].ndepartments : 1;
		assert(owners <= ZL_PLAN_OWNERS_MAX);
		for (size_t k = 0; !known && k < in->nsections; k++)
			known = strcmp(in->sections[k].number, t->section) == 0;
		assert(known);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_arena arena;
	struct zl_plan_in in;
	struct zl_req req;
	cJSON *body = NULL;
	int rc;

	memset(&req, 0, sizeof(req));
	zl_arena_init(&arena, 8u << 20);
	req.arena = &arena;
	if (zl_json_parse_object((const char *)data, size, 8, &body, &err) == ZL_OK) {
		rc = zl_plan_http_parse_plan(&req, body, &in, &err);
		if (rc == ZL_OK)
			rc = zl_plan_in_check(&in, &err);
		if (rc == ZL_OK) {
			check_accepted(&in);
		} else {
			assert(rc == ZL_EUNPROC || rc == ZL_EINVAL || rc == ZL_ENOMEM);
			assert(rc == ZL_ENOMEM || err.field[0] != '\0');
		}
		cJSON_Delete(body);
	}
	zl_arena_release(&arena);
	return 0;
}
