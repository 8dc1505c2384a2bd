/*
 * fuzz_plan.c - libFuzzer target for the work-plan parser (domain/plan.h).
 *
 * Any bytes parse (ZL_OK) and the result keeps its invariants: every task
 * has a number and at least one attribution; a lead is one of the
 * attribution's departments and has a basis exactly when it is there;
 * shared and unnamed attributions have no lead, unnamed ones no
 * department and are open-ended; co-leads are flagged with no lead and
 * name two or more; only known flags are set; names are non-empty;
 * zl_plan_check agrees with the task count; the JSON is valid UTF-8 and
 * JSON, and the same bytes give the same JSON twice.  The import's mapping
 * onto the ledger's input (store/plan_import.h) takes any parse: it either
 * passes the ledger's checks or is refused naming a field.
 */
#include <cJSON.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/jw.h"
#include "core/text.h"
#include "domain/plan.h"
#include "store/plan_import.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_attr(const struct zl_plan_attr *a)
{
	int found = 0;

	if (a->flags >> ZL_PLAN_F_COUNT)
		abort();
	for (size_t i = 0; i < a->ndepartments; i++) {
		if (!a->departments[i] || !a->departments[i][0])
			abort();
		found |= a->departments[i] == a->lead;
	}
	if ((a->lead == NULL) != (a->lead_basis == ZL_PLAN_BASIS_NONE))
		abort();
	if (a->lead && !found)
		abort();
	if (a->mode != ZL_PLAN_LEAD && a->lead)
		abort();
	if (a->mode == ZL_PLAN_UNNAMED && (a->ndepartments || !a->open_ended))
		abort();
	if (a->flags & ZL_PLAN_F_CO_LEADS) {
		if (a->lead || a->nco_leads < 2 || a->nco_leads > a->ndepartments)
			abort();
	} else if (a->mode == ZL_PLAN_LEAD && !a->lead) {
		abort();
	}
}

static char *json_of(const struct zl_plan *p, size_t *n)
{
	struct zl_buf b = ZL_BUF_INIT((size_t)64 << 20);
	struct zl_jw w;

	zl_jw_init(&w, &b);
	if (zl_plan_write_json(p, &w) != ZL_OK)
		abort();
	return zl_buf_detach(&b, n);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct zl_plan p;
	struct zl_error err = ZL_ERROR_INIT;
	char *a, *b;
	size_t na = 0, nb = 0;
	cJSON *j;

	if (size > 65536)
		return 0;
	zl_plan_init(&p);
	if (zl_plan_parse((const char *)data, size, &p, &err) != ZL_OK)
		abort();
	if ((zl_plan_check(&p, &err) == ZL_OK) != (p.ntasks > 0))
		abort();
	for (size_t t = 0; t < p.ntasks; t++) {
		const struct zl_plan_task *task = &p.tasks[t];

		if (!task->number || !task->number[0] || task->nattrs == 0 || !task->title ||
		    !task->text)
			abort();
		for (size_t k = 0; k < task->nattrs; k++)
			check_attr(&task->attrs[k]);
	}
	for (size_t s = 0; s < p.nsections; s++)
		if (!p.sections[s].number || !p.sections[s].number[0])
			abort();
	if (p.ntasks > 0) {
		struct zl_plan_import_opts o = {"410000", 2026, NULL, "fuzz.txt"};
		struct zl_arena ar;
		struct zl_plan_in in;
		int rc;

		zl_arena_init(&ar, (size_t)256 << 20);
		rc = zl_plan_import_map(&p, &o, NULL, &ar, &in, &err);
		if ((rc != ZL_OK && rc != ZL_EUNPROC) || (rc == ZL_EUNPROC && !err.field[0]) ||
		    (rc == ZL_OK && zl_plan_in_check(&in, &err) != ZL_OK))
			abort();
		zl_arena_release(&ar);
	}
	a = json_of(&p, &na);
	if (!zl_utf8_valid(a, na) || !(j = cJSON_Parse(a)))
		abort();
	cJSON_Delete(j);
	if (zl_plan_parse((const char *)data, size, &p, &err) != ZL_OK)
		abort();
	b = json_of(&p, &nb);
	if (na != nb || memcmp(a, b, na) != 0)
		abort();
	free(a);
	free(b);
	zl_plan_release(&p);
	return 0;
}
