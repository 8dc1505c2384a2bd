/*
 * draw_record.c - the draw record as JSON: writing it, reading it back
 * strictly (every member the check needs, with the path of a bad one in
 * err->field), and checking it by re-running the draw (draw_record.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/json.h"
#include "core/jw.h"
#include "domain/draw_record.h"

/* ---- writing ------------------------------------------------------------ */

static void write_head(struct zl_jw *w, const char *kind, const char *label, const char *input,
		       const char *seed_commitment, const unsigned char *seed)
{
	char hex[ZL_DRAW_HEX_LEN + 1];

	zl_jw_kstr(w, "record", ZL_DRAW_RECORD_FORMAT);
	zl_jw_kstr(w, "algorithm", ZL_DRAW_ALGORITHM);
	zl_jw_kstr(w, "kind", kind);
	zl_jw_kstr(w, "label", label);
	zl_jw_kstr(w, "input_commitment", input);
	if (seed) {
		zl_draw_seed_commitment(seed, hex);
		zl_jw_kstr(w, "seed_commitment", hex);
		zl_draw_hex(seed, ZL_DRAW_SEED_BYTES, hex);
		zl_jw_kstr(w, "seed", hex);
	} else {
		zl_jw_kstr(w, "seed_commitment", seed_commitment ? seed_commitment : "");
	}
}

/* u53 as a JSON number (exact: below 2^53), neglog2 as a decimal string (up to 2^64). */
static void write_key(struct zl_jw *w, uint64_t u53, uint64_t neglog2)
{
	char d[24];

	zl_jw_key(w, "u53");
	zl_jw_uint(w, u53);
	snprintf(d, sizeof(d), "%llu", (unsigned long long)neglog2);
	zl_jw_kstr(w, "neglog2", d);
}

void zl_draw_record_write(struct zl_jw *w, const struct zl_draw *d, const char *seed_commitment,
			  const unsigned char *seed, const struct zl_draw_result *res,
			  const struct zl_draw_record_hooks *hooks)
{
	char input[ZL_DRAW_HEX_LEN + 1], wt[ZL_DRAW_WEIGHT_TEXT];

	zl_draw_input_commitment(d, input);
	zl_jw_obj_begin(w);
	write_head(w, "select", d->label, input, seed_commitment, seed);
	zl_jw_key(w, "count");
	zl_jw_uint(w, d->total);
	if (d->stratified) {
		zl_jw_key(w, "quotas");
		zl_jw_arr_begin(w);
		for (size_t i = 0; i < d->nstrata; i++) {
			zl_jw_obj_begin(w);
			zl_jw_kstr(w, "stratum", d->strata[i].name);
			zl_jw_key(w, "quota");
			zl_jw_uint(w, d->strata[i].quota);
			zl_jw_key(w, "candidates");
			zl_jw_uint(w, d->strata[i].n);
			zl_jw_obj_end(w);
		}
		zl_jw_arr_end(w);
	}
	zl_jw_key(w, "candidates");
	zl_jw_arr_begin(w);
	for (size_t i = 0; i < d->ncand; i++) {
		zl_jw_obj_begin(w);
		zl_jw_kstr(w, "id", d->cand[i].id);
		zl_jw_kstr(w, "weight", zl_draw_weight_format(d->cand[i].weight, wt));
		if (d->stratified)
			zl_jw_kstr(w, "stratum", d->cand[i].stratum);
		zl_jw_obj_end(w);
	}
	zl_jw_arr_end(w);
	if (seed && res) {
		zl_jw_key(w, "result");
		zl_jw_arr_begin(w);
		for (size_t i = 0; i < res->n; i++) {
			const struct zl_draw_candidate *c = &d->cand[res->picks[i].cand];

			zl_jw_obj_begin(w);
			zl_jw_key(w, "position");
			zl_jw_uint(w, i + 1);
			zl_jw_kstr(w, "id", c->id);
			if (d->stratified)
				zl_jw_kstr(w, "stratum", c->stratum);
			zl_jw_kstr(w, "weight", zl_draw_weight_format(c->weight, wt));
			write_key(w, res->picks[i].u53, res->picks[i].neglog2);
			if (hooks && hooks->pick)
				hooks->pick(hooks->ctx, c, w);
			zl_jw_obj_end(w);
		}
		zl_jw_arr_end(w);
	}
	if (hooks && hooks->extra)
		hooks->extra(hooks->ctx, w);
	zl_jw_obj_end(w);
}

void zl_draw_inspectors_record_write(struct zl_jw *w, const struct zl_draw_inspectors *ins,
				     const char *seed_commitment, const unsigned char *seed,
				     const struct zl_draw_inspector_result *res,
				     const struct zl_draw_record_hooks *hooks)
{
	char input[ZL_DRAW_HEX_LEN + 1];

	zl_draw_inspectors_commitment(ins, input);
	zl_jw_obj_begin(w);
	write_head(w, "inspectors", ins->label, input, seed_commitment, seed);
	zl_jw_key(w, "per_task");
	zl_jw_uint(w, ins->per_task);
	zl_jw_kbool(w, "exclude_own_county", ins->exclude_own_county);
	zl_jw_key(w, "pool");
	zl_jw_arr_begin(w);
	for (size_t i = 0; i < ins->npool; i++) {
		const struct zl_draw_inspector *m = &ins->pool[i];

		zl_jw_obj_begin(w);
		zl_jw_kstr(w, "id", m->id);
		zl_jw_kstr(w, "county", m->county);
		zl_jw_key(w, "conflicts");
		zl_jw_arr_begin(w);
		for (size_t k = 0; k < m->nconflicts; k++)
			zl_jw_str(w, m->conflicts[k]);
		zl_jw_arr_end(w);
		zl_jw_obj_end(w);
	}
	zl_jw_arr_end(w);
	zl_jw_key(w, "tasks");
	zl_jw_arr_begin(w);
	for (size_t i = 0; i < ins->ntasks; i++) {
		zl_jw_obj_begin(w);
		zl_jw_kstr(w, "id", ins->tasks[i].id);
		zl_jw_kstr(w, "enterprise", ins->tasks[i].enterprise);
		zl_jw_kstr(w, "county", ins->tasks[i].county);
		zl_jw_obj_end(w);
	}
	zl_jw_arr_end(w);
	if (seed && res) {
		zl_jw_key(w, "result");
		zl_jw_arr_begin(w);
		for (size_t i = 0; i < res->ntasks; i++) {
			const struct zl_draw_assignment *a = &res->tasks[i];

			zl_jw_obj_begin(w);
			zl_jw_kstr(w, "task", ins->tasks[a->task].id);
			zl_jw_key(w, "inspectors");
			zl_jw_arr_begin(w);
			for (unsigned k = 0; k < ins->per_task; k++) {
				const struct zl_draw_inspector *m = &ins->pool[a->member[k]];

				zl_jw_obj_begin(w);
				zl_jw_kstr(w, "id", m->id);
				write_key(w, a->u53[k], a->neglog2[k]);
				if (hooks && hooks->member)
					hooks->member(hooks->ctx, m, w);
				zl_jw_obj_end(w);
			}
			zl_jw_arr_end(w);
			zl_jw_obj_end(w);
		}
		zl_jw_arr_end(w);
	}
	if (hooks && hooks->extra)
		hooks->extra(hooks->ctx, w);
	zl_jw_obj_end(w);
}

/* ---- reading ------------------------------------------------------------ */

/*
 * Put the path of the member being read in front of err->field:
 * "candidates[3]" + "weight" -> "candidates[3].weight".
 */
static int at_path(struct zl_error *err, int rc, const char *path)
{
	char f[ZL_ERR_FIELD_MAX];
	size_t n;

	if (rc == ZL_OK || err == NULL)
		return rc;
	n = zl_strlcpy(f, path, sizeof(f));
	if (err->field[0] && n + 1 < sizeof(f)) {
		f[n++] = '.';
		zl_strlcpy(f + n, err->field, sizeof(f) - n);
	}
	zl_strlcpy(err->field, f, sizeof(err->field));
	return rc;
}

/*
 * A refusal about member `field` of the object at `path`: `what` is the
 * message, or NULL to keep the one err holds (from a parser of the value).
 */
static int field_at(struct zl_error *err, const char *path, const char *field, const char *what)
{
	if (err == NULL)
		return ZL_EUNPROC;
	if (what)
		zl_error_set(err, ZL_EUNPROC, field, "%s %s", field, what);
	zl_strlcpy(err->field, field, sizeof(err->field));
	return at_path(err, ZL_EUNPROC, path);
}

/* A required string member (any length: the engine checks the limits). */
static int get_str(const cJSON *obj, const char *field, const char *path, const char **out,
		   struct zl_error *err)
{
	return at_path(err, zl_json_get_string(obj, field, 1, 0, out, err), path);
}

static int get_hex(const cJSON *obj, const char *field, char out[ZL_DRAW_HEX_LEN + 1],
		   struct zl_error *err)
{
	const char *s;
	int rc = zl_json_get_string(obj, field, 1, 0, &s, err);

	if (rc)
		return rc;
	if (strlen(s) != ZL_DRAW_HEX_LEN || strspn(s, "0123456789abcdef") != ZL_DRAW_HEX_LEN)
		return zl_error_set(err, ZL_EUNPROC, field,
				    "%s must be a SHA-256 as 64 lowercase hex digits", field);
	memcpy(out, s, ZL_DRAW_HEX_LEN + 1);
	return ZL_OK;
}

static int get_array(const cJSON *obj, const char *field, const cJSON **out, struct zl_error *err)
{
	const cJSON *a = cJSON_GetObjectItemCaseSensitive(obj, field);

	if (!cJSON_IsArray(a))
		return zl_error_set(err, ZL_EUNPROC, field, "%s must be an array", field);
	*out = a;
	return ZL_OK;
}

static int get_u64_text(const cJSON *obj, const char *field, const char *path, uint64_t *out,
			struct zl_error *err)
{
	const char *s;
	uint64_t v = 0;
	int rc = get_str(obj, field, path, &s, err);

	if (rc)
		return rc;
	for (size_t i = 0; s[i]; i++) {
		if (s[i] < '0' || s[i] > '9' || i >= 20 || v > (UINT64_MAX - 9) / 10)
			goto bad;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	if (s[0] == '\0' || (s[0] == '0' && s[1]))
		goto bad;
	*out = v;
	return ZL_OK;
bad:
	return at_path(err,
		       zl_error_set(err, ZL_EUNPROC, field,
				    "%s must be a whole number written as a string", field),
		       path);
}

static int read_seed(struct zl_draw_record *rec, const cJSON *root, struct zl_error *err)
{
	const cJSON *s = cJSON_GetObjectItemCaseSensitive(root, "seed");

	if (s == NULL || cJSON_IsNull(s))
		return ZL_OK;
	if (!cJSON_IsString(s))
		return zl_error_set(err, ZL_EUNPROC, "seed", "seed must be 64 hex digits");
	if (zl_draw_seed_parse(s->valuestring, rec->seed, err))
		return ZL_EUNPROC;
	rec->has_seed = 1;
	return ZL_OK;
}

/* count, quotas and candidates of a "select" record. */
static int read_select(struct zl_draw_record *rec, const cJSON *root, struct zl_error *err)
{
	const cJSON *cands = NULL, *quotas = cJSON_GetObjectItemCaseSensitive(root, "quotas"), *it;
	char path[48];
	int64_t count = 0;
	size_t i;
	int rc;

	rc = zl_json_get_int(root, "count", 1, 1, ZL_DRAW_MAX_QUOTA, &count, err);
	if (rc == ZL_OK)
		rc = get_array(root, "candidates", &cands, err);
	if (rc)
		return rc;
	rec->spec.count = (uint64_t)count;
	if (quotas && !cJSON_IsNull(quotas)) {
		uint64_t sum = 0;

		if (!cJSON_IsArray(quotas) || cJSON_GetArraySize(quotas) == 0)
			return zl_error_set(err, ZL_EUNPROC, "quotas",
					    "quotas must be a non-empty array");
		rec->spec.nquotas = (size_t)cJSON_GetArraySize(quotas);
		rec->quotas = calloc(rec->spec.nquotas, sizeof(*rec->quotas));
		if (rec->quotas == NULL)
			return ZL_ENOMEM;
		i = 0;
		cJSON_ArrayForEach(it, quotas)
		{
			int64_t q = 0;

			snprintf(path, sizeof(path), "quotas[%zu]", i);
			rc = get_str(it, "stratum", path, &rec->quotas[i].stratum, err);
			if (rc == ZL_OK)
				rc = at_path(err,
					     zl_json_get_int(it, "quota", 1, 0, ZL_DRAW_MAX_QUOTA,
							     &q, err),
					     path);
			if (rc)
				return rc;
			rec->quotas[i++].quota = (uint64_t)q;
			sum += (uint64_t)q;
		}
		if (sum != rec->spec.count)
			return zl_error_set(err, ZL_EUNPROC, "count",
					    "count %llu is not the sum of the quotas (%llu)",
					    (unsigned long long)rec->spec.count,
					    (unsigned long long)sum);
		rec->spec.quotas = rec->quotas;
	}
	rec->spec.ncand = (size_t)cJSON_GetArraySize(cands);
	rec->cand = calloc(rec->spec.ncand ? rec->spec.ncand : 1, sizeof(*rec->cand));
	if (rec->cand == NULL)
		return ZL_ENOMEM;
	i = 0;
	cJSON_ArrayForEach(it, cands)
	{
		struct zl_draw_candidate *c = &rec->cand[i];
		const char *w = NULL;

		snprintf(path, sizeof(path), "candidates[%zu]", i);
		rc = get_str(it, "id", path, &c->id, err);
		if (rc == ZL_OK)
			rc = get_str(it, "weight", path, &w, err);
		if (rc == ZL_OK && zl_draw_weight_parse(w, &c->weight, err))
			rc = field_at(err, path, "weight", NULL);
		if (rc == ZL_OK && rec->spec.nquotas)
			rc = get_str(it, "stratum", path, &c->stratum, err);
		if (rc)
			return rc;
		i++;
	}
	rec->spec.cand = rec->cand;
	return ZL_OK;
}

/* pool, tasks, per_task and exclude_own_county of an "inspectors" record. */
static int read_inspectors(struct zl_draw_record *rec, const cJSON *root, struct zl_error *err)
{
	struct zl_draw_inspector_spec *spec = &rec->ins_spec;
	const cJSON *pool = NULL, *tasks = NULL, *it, *c;
	char path[48];
	int64_t per = 0;
	size_t i = 0, nconf = 0, at = 0;
	int excl = 0, rc;

	rc = zl_json_get_int(root, "per_task", 1, 1, ZL_DRAW_PER_TASK_MAX, &per, err);
	if (rc == ZL_OK)
		rc = zl_json_get_bool(root, "exclude_own_county", 1, &excl, err);
	if (rc == ZL_OK)
		rc = get_array(root, "pool", &pool, err);
	if (rc == ZL_OK)
		rc = get_array(root, "tasks", &tasks, err);
	if (rc)
		return rc;
	spec->per_task = (unsigned)per;
	spec->exclude_own_county = excl;
	spec->npool = (size_t)cJSON_GetArraySize(pool);
	spec->ntasks = (size_t)cJSON_GetArraySize(tasks);
	cJSON_ArrayForEach(it, pool)
	{
		const cJSON *list = cJSON_GetObjectItemCaseSensitive(it, "conflicts");

		if (cJSON_IsArray(list))
			nconf += (size_t)cJSON_GetArraySize(list);
	}
	rec->pool = calloc(spec->npool ? spec->npool : 1, sizeof(*rec->pool));
	rec->conflicts = calloc(nconf ? nconf : 1, sizeof(*rec->conflicts));
	rec->tasks = calloc(spec->ntasks ? spec->ntasks : 1, sizeof(*rec->tasks));
	if (!rec->pool || !rec->conflicts || !rec->tasks)
		return ZL_ENOMEM;
	cJSON_ArrayForEach(it, pool)
	{
		struct zl_draw_inspector *m = &rec->pool[i];
		const cJSON *list = cJSON_GetObjectItemCaseSensitive(it, "conflicts");
		size_t k = 0;

		snprintf(path, sizeof(path), "pool[%zu]", i++);
		rc = get_str(it, "id", path, &m->id, err);
		if (rc == ZL_OK)
			rc = get_str(it, "county", path, &m->county, err);
		if (rc)
			return rc;
		if (!cJSON_IsArray(list))
			return field_at(err, path, "conflicts", "must be an array of ids");
		m->conflicts = rec->conflicts + at;
		cJSON_ArrayForEach(c, list)
		{
			if (!cJSON_IsString(c))
				return field_at(err, path, "conflicts", "must be an array of ids");
			rec->conflicts[at + k++] = c->valuestring;
		}
		m->nconflicts = k;
		at += k;
	}
	i = 0;
	cJSON_ArrayForEach(it, tasks)
	{
		struct zl_draw_task *t = &rec->tasks[i];

		snprintf(path, sizeof(path), "tasks[%zu]", i++);
		rc = get_str(it, "id", path, &t->id, err);
		if (rc == ZL_OK)
			rc = get_str(it, "enterprise", path, &t->enterprise, err);
		if (rc == ZL_OK)
			rc = get_str(it, "county", path, &t->county, err);
		if (rc)
			return rc;
	}
	spec->pool = rec->pool;
	spec->tasks = rec->tasks;
	return ZL_OK;
}

/* The optional u53 and neglog2 of a result entry. */
static int read_key(struct zl_draw_record_pick *p, const cJSON *it, const char *path,
		    struct zl_error *err)
{
	const cJSON *u = cJSON_GetObjectItemCaseSensitive(it, "u53");
	const cJSON *l = cJSON_GetObjectItemCaseSensitive(it, "neglog2");
	int64_t v = 0;
	int rc;

	if (u && !cJSON_IsNull(u)) {
		rc = at_path(err, zl_json_get_int(it, "u53", 1, 0, ZL_JSON_INT_MAX - 1, &v, err),
			     path);
		if (rc)
			return rc;
		p->has_u53 = 1;
		p->u53 = (uint64_t)v;
	}
	if (l && !cJSON_IsNull(l)) {
		rc = get_u64_text(it, "neglog2", path, &p->neglog2, err);
		if (rc)
			return rc;
		p->has_neglog2 = 1;
	}
	return ZL_OK;
}

static int add_pick(struct zl_draw_record *rec, size_t *cap, struct zl_draw_record_pick **out)
{
	if (rec->npicks == *cap) {
		size_t n = *cap ? 2 * *cap : 16;
		struct zl_draw_record_pick *p = realloc(rec->picks, n * sizeof(*p));

		if (p == NULL)
			return ZL_ENOMEM;
		rec->picks = p;
		*cap = n;
	}
	*out = &rec->picks[rec->npicks++];
	memset(*out, 0, sizeof(**out));
	return ZL_OK;
}

/* The published result, flattened to positions. */
static int read_result(struct zl_draw_record *rec, const cJSON *root, struct zl_error *err)
{
	const cJSON *res = cJSON_GetObjectItemCaseSensitive(root, "result"), *it, *m;
	struct zl_draw_record_pick *p;
	char path[64];
	size_t cap = 0, i = 0;
	int rc;

	if (res == NULL || cJSON_IsNull(res))
		return ZL_OK;
	if (!cJSON_IsArray(res))
		return zl_error_set(err, ZL_EUNPROC, "result", "result must be an array");
	rec->has_result = 1;
	cJSON_ArrayForEach(it, res)
	{
		snprintf(path, sizeof(path), "result[%zu]", i++);
		if (rec->kind == ZL_DRAW_KIND_SELECT) {
			const cJSON *st = cJSON_GetObjectItemCaseSensitive(it, "stratum");

			if ((rc = add_pick(rec, &cap, &p)) != ZL_OK)
				return rc;
			rc = get_str(it, "id", path, &p->id, err);
			if (rc == ZL_OK && st && !cJSON_IsNull(st))
				rc = get_str(it, "stratum", path, &p->group, err);
			else if (rc == ZL_OK && rec->spec.nquotas == 0)
				p->group = "";
			if (rc == ZL_OK)
				rc = read_key(p, it, path, err);
			if (rc)
				return rc;
			continue;
		}
		const char *task;
		const cJSON *list = cJSON_GetObjectItemCaseSensitive(it, "inspectors");
		size_t k = 0;

		rc = get_str(it, "task", path, &task, err);
		if (rc)
			return rc;
		if (!cJSON_IsArray(list))
			return field_at(err, path, "inspectors", "must be an array");
		cJSON_ArrayForEach(m, list)
		{
			char sub[128];

			snprintf(sub, sizeof(sub), "%s.inspectors[%zu]", path, k++);
			if ((rc = add_pick(rec, &cap, &p)) != ZL_OK)
				return rc;
			p->group = task;
			rc = get_str(m, "id", sub, &p->id, err);
			if (rc == ZL_OK)
				rc = read_key(p, m, sub, err);
			if (rc)
				return rc;
		}
	}
	return ZL_OK;
}

int zl_draw_record_parse(const char *s, size_t n, struct zl_draw_record *rec, struct zl_error *err)
{
	const char *fmt, *alg, *kind;
	int rc;

	memset(rec, 0, sizeof(*rec));
	rc = zl_json_parse_object(s, n, ZL_DRAW_RECORD_DEPTH, &rec->root, err);
	if (rc)
		return rc;
	rc = zl_json_get_string(rec->root, "record", 1, 0, &fmt, err);
	if (rc == ZL_OK && strcmp(fmt, ZL_DRAW_RECORD_FORMAT) != 0)
		rc = zl_error_set(err, ZL_EUNPROC, "record",
				  "not a draw record: \"record\" is not \"%s\"",
				  ZL_DRAW_RECORD_FORMAT);
	if (rc == ZL_OK)
		rc = zl_json_get_string(rec->root, "algorithm", 1, 0, &alg, err);
	if (rc == ZL_OK && strcmp(alg, ZL_DRAW_ALGORITHM) != 0)
		rc = zl_error_set(err, ZL_EUNPROC, "algorithm",
				  "algorithm '%.64s' is not one this program knows (%s)", alg,
				  ZL_DRAW_ALGORITHM);
	if (rc == ZL_OK)
		rc = zl_json_get_string(rec->root, "kind", 1, 0, &kind, err);
	if (rc)
		return rc;
	if (strcmp(kind, "select") == 0)
		rec->kind = ZL_DRAW_KIND_SELECT;
	else if (strcmp(kind, "inspectors") == 0)
		rec->kind = ZL_DRAW_KIND_INSPECTORS;
	else
		return zl_error_set(err, ZL_EUNPROC, "kind",
				    "kind must be \"select\" or \"inspectors\", not '%.64s'", kind);
	rc = zl_json_get_string(rec->root, "label", 1, 0, &rec->spec.label, err);
	rec->ins_spec.label = rec->spec.label;
	if (rc == ZL_OK)
		rc = get_hex(rec->root, "input_commitment", rec->input_commitment, err);
	if (rc == ZL_OK)
		rc = get_hex(rec->root, "seed_commitment", rec->seed_commitment, err);
	if (rc == ZL_OK)
		rc = read_seed(rec, rec->root, err);
	if (rc == ZL_OK)
		rc = rec->kind == ZL_DRAW_KIND_SELECT ? read_select(rec, rec->root, err)
						      : read_inspectors(rec, rec->root, err);
	if (rc == ZL_OK)
		rc = read_result(rec, rec->root, err);
	if (rc == ZL_ENOMEM)
		zl_error_set(err, ZL_ENOMEM, "", "out of memory");
	return rc;
}

void zl_draw_record_release(struct zl_draw_record *rec)
{
	cJSON_Delete(rec->root);
	free(rec->cand);
	free(rec->quotas);
	free(rec->pool);
	free((void *)rec->conflicts);
	free(rec->tasks);
	free(rec->picks);
	memset(rec, 0, sizeof(*rec));
}

/* ---- checking ------------------------------------------------------------ */

int zl_draw_check_ok(const struct zl_draw_check *chk)
{
	return chk->input_ok && chk->seed_ok && chk->result_checked && chk->result_ok;
}

static void diff(struct zl_draw_check *chk, size_t position, const char *what, const char *recorded,
		 const char *computed)
{
	if (chk->ndiffs < ZL_DRAW_DIFFS_KEPT) {
		struct zl_draw_diff *d = &chk->diffs[chk->ndiffs];

		d->position = position;
		d->what = what;
		zl_strlcpy(d->recorded, recorded, sizeof(d->recorded));
		zl_strlcpy(d->computed, computed, sizeof(d->computed));
	}
	chk->ndiffs++;
}

/* What the re-run gives at one position. */
struct computed {
	const char *id, *group;
	uint64_t u53, neglog2;
};

/* Compare position i (0-based) of the record with the re-run; one difference at most. */
static void compare_at(struct zl_draw_check *chk, const struct zl_draw_record *rec, size_t i,
		       const struct computed *c, const char *group_name)
{
	const struct zl_draw_record_pick *p = i < rec->npicks ? &rec->picks[i] : NULL;
	char a[24], b[24];

	if (p == NULL) {
		diff(chk, i + 1, "missing", "", c->id);
		return;
	}
	if (c == NULL) {
		diff(chk, i + 1, "extra", p->id, "");
		return;
	}
	if (strcmp(p->id, c->id) != 0) {
		diff(chk, i + 1, "id", p->id, c->id);
	} else if (p->group && strcmp(p->group, c->group) != 0) {
		diff(chk, i + 1, group_name, p->group, c->group);
	} else if (p->has_u53 && p->u53 != c->u53) {
		snprintf(a, sizeof(a), "%llu", (unsigned long long)p->u53);
		snprintf(b, sizeof(b), "%llu", (unsigned long long)c->u53);
		diff(chk, i + 1, "u53", a, b);
	} else if (p->has_neglog2 && p->neglog2 != c->neglog2) {
		snprintf(a, sizeof(a), "%llu", (unsigned long long)p->neglog2);
		snprintf(b, sizeof(b), "%llu", (unsigned long long)c->neglog2);
		diff(chk, i + 1, "neglog2", a, b);
	}
}

static int check_select(const struct zl_draw_record *rec, struct zl_draw_check *chk,
			struct zl_error *err)
{
	struct zl_draw d;
	struct zl_draw_result res = {0};
	int rc = zl_draw_prepare(&d, &rec->spec, err);

	if (rc)
		goto out;
	zl_draw_input_commitment(&d, chk->input_computed);
	chk->input_ok = strcmp(chk->input_computed, rec->input_commitment) == 0;
	if (!rec->has_seed || !rec->has_result)
		goto out;
	rc = zl_draw_run(&d, rec->seed, &res, err);
	if (rc)
		goto out;
	chk->result_checked = 1;
	chk->result_computed = res.n;
	for (size_t i = 0; i < res.n || i < rec->npicks; i++) {
		struct computed c;

		if (i < res.n) {
			const struct zl_draw_candidate *cand = &d.cand[res.picks[i].cand];

			c = (struct computed){cand->id, cand->stratum, res.picks[i].u53,
					      res.picks[i].neglog2};
		}
		compare_at(chk, rec, i, i < res.n ? &c : NULL, "stratum");
	}
out:
	zl_draw_result_release(&res);
	zl_draw_release(&d);
	return rc;
}

static int check_inspectors(const struct zl_draw_record *rec, struct zl_draw_check *chk,
			    struct zl_error *err)
{
	struct zl_draw_inspectors ins;
	struct zl_draw_inspector_result res = {0};
	size_t pos = 0;
	int rc = zl_draw_inspectors_prepare(&ins, &rec->ins_spec, err);

	if (rc)
		goto out;
	zl_draw_inspectors_commitment(&ins, chk->input_computed);
	chk->input_ok = strcmp(chk->input_computed, rec->input_commitment) == 0;
	if (!rec->has_seed || !rec->has_result)
		goto out;
	rc = zl_draw_inspectors_run(&ins, rec->seed, &res, err);
	if (rc)
		goto out;
	chk->result_checked = 1;
	chk->result_computed = res.ntasks * ins.per_task;
	for (size_t t = 0; t < res.ntasks; t++) {
		for (unsigned k = 0; k < ins.per_task; k++, pos++) {
			const struct zl_draw_assignment *a = &res.tasks[t];
			struct computed c = {ins.pool[a->member[k]].id, ins.tasks[a->task].id,
					     a->u53[k], a->neglog2[k]};

			compare_at(chk, rec, pos, &c, "task");
		}
	}
	for (; pos < rec->npicks; pos++)
		compare_at(chk, rec, pos, NULL, "task");
out:
	zl_draw_inspector_result_release(&res);
	zl_draw_inspectors_release(&ins);
	return rc;
}

int zl_draw_record_check(const struct zl_draw_record *rec, struct zl_draw_check *chk,
			 struct zl_error *err)
{
	int rc;

	memset(chk, 0, sizeof(*chk));
	chk->result_recorded = rec->npicks;
	if (rec->has_seed) {
		zl_draw_seed_commitment(rec->seed, chk->seed_computed);
		chk->seed_ok = strcmp(chk->seed_computed, rec->seed_commitment) == 0;
	}
	rc = rec->kind == ZL_DRAW_KIND_SELECT ? check_select(rec, chk, err)
					      : check_inspectors(rec, chk, err);
	if (rc)
		return rc;
	chk->result_ok = chk->result_checked && chk->ndiffs == 0;
	return ZL_OK;
}
