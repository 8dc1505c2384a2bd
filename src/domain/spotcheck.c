/*
 * spotcheck.c - spot-check plans' rules (domain/spotcheck.h): the frequency
 * matrix and a candidate's weight, the status machine, visibility and the
 * right to act, and the check of a plan as written.
 */
#include "domain/spotcheck.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/timeutil.h"
#include "domain/authz.h"
#include "domain/catalogue.h"
#include "domain/check.h"

/* ---- the frequency matrix ------------------------------------------------------------------- */

static const char *const class_names[ZL_SC_CLASSES] = {"AA", "A", "B", "C"};

/* The index of `s` among names[0..n), into *out; ZL_EUNPROC when it is none of them. */
static int lookup(const char *const *names, int n, const char *s, int *out)
{
	for (int i = 0; s && i < n; i++) {
		if (strcmp(s, names[i]) == 0) {
			*out = i;
			return ZL_OK;
		}
	}
	return ZL_EUNPROC;
}

const char *zl_sc_class_name(int cls)
{
	return cls >= 0 && cls < ZL_SC_CLASSES ? class_names[cls] : NULL;
}

int zl_sc_class_parse(const char *s, int *cls)
{
	return lookup(class_names, ZL_SC_CLASSES, s, cls);
}

void zl_sc_freq_default(struct zl_sc_freq *f)
{
	/* Class factors 1, 1.5, 2.5, 3.5 (millionths) times risk factors 2, 1.5, 1 (tenths). */
	static const uint64_t cls[ZL_SC_CLASSES] = {1000000, 1500000, 2500000, 3500000};
	static const uint64_t risk[ZL_SC_RISKS] = {20, 15, 10};

	for (int c = 0; c < ZL_SC_CLASSES; c++)
		for (int r = 0; r < ZL_SC_RISKS; r++)
			f->w[c][r] = cls[c] * risk[r] / 10;
}

int zl_sc_freq_check(const struct zl_sc_freq *f, struct zl_error *err)
{
	for (int c = 0; c < ZL_SC_CLASSES; c++) {
		for (int r = 0; r < ZL_SC_RISKS; r++) {
			char field[32];

			if (f->w[c][r] >= 1 && f->w[c][r] <= ZL_SC_WEIGHT_MAX)
				continue;
			snprintf(field, sizeof(field), "frequency.%s.%s", class_names[c],
				 zl_risk_name(r + 1));
			return zl_error_set(err, ZL_EUNPROC, field,
					    "%s must be a positive weight of at most 1000000000",
					    field);
		}
	}
	return ZL_OK;
}

int zl_sc_weight_parse(double x, uint64_t *w)
{
	double m;

	*w = 0;
	if (!(x > 0) || !(x <= 1e9))
		return ZL_EUNPROC;
	m = round(x * 1e6);
	if (m < 1)
		return ZL_EUNPROC;
	*w = (uint64_t)m;
	return *w <= ZL_SC_WEIGHT_MAX ? ZL_OK : ZL_EUNPROC;
}

double zl_sc_weight_value(uint64_t w)
{
	return (double)w / 1e6;
}

int zl_sc_weight(const struct zl_sc_freq *f, const char *cls, int risk, uint64_t *w,
		 struct zl_error *err)
{
	int c = ZL_SC_B;

	*w = 0;
	if (zl_check_given(cls) && zl_sc_class_parse(cls, &c) != ZL_OK)
		return zl_error_set(err, ZL_EUNPROC, "class",
				    "class must be one of AA, A, B, C (or none)");
	if (risk < 1 || risk > ZL_SC_RISKS)
		return zl_error_set(err, ZL_EUNPROC, "risk", "risk must be 1, 2 or 3 (Ⅰ Ⅱ Ⅲ)");
	*w = f->w[c][risk - 1];
	return ZL_OK;
}

/* ---- the plan's life ------------------------------------------------------------------------ */

static const char *const status_names[ZL_SC_STATUSES] = {"draft", "submitted", "approved",
							 "in_progress", "finished"};
static const char *const status_zh[ZL_SC_STATUSES] = {"草稿", "已报送", "已批准", "实施中",
						      "已完成"};
static const char *const action_names[ZL_SC_ACTIONS] = {"submit", "approve", "return", "start",
							"finish"};
/* Past participles for messages ("cannot be submitted"). */
static const char *const action_done[ZL_SC_ACTIONS] = {"submitted", "approved", "returned",
						       "started", "finished"};

/* from[a] -> to[a] */
static const int step_from[ZL_SC_ACTIONS] = {ZL_SC_DRAFT, ZL_SC_SUBMITTED, ZL_SC_SUBMITTED,
					     ZL_SC_APPROVED, ZL_SC_IN_PROGRESS};
static const int step_to[ZL_SC_ACTIONS] = {ZL_SC_SUBMITTED, ZL_SC_APPROVED, ZL_SC_DRAFT,
					   ZL_SC_IN_PROGRESS, ZL_SC_FINISHED};

const char *zl_sc_status_name(int s)
{
	return s >= 0 && s < ZL_SC_STATUSES ? status_names[s] : NULL;
}

const char *zl_sc_status_zh(int s)
{
	return s >= 0 && s < ZL_SC_STATUSES ? status_zh[s] : NULL;
}

int zl_sc_status_parse(const char *s, int *out)
{
	return lookup(status_names, ZL_SC_STATUSES, s, out);
}

const char *zl_sc_action_name(int a)
{
	return a >= 0 && a < ZL_SC_ACTIONS ? action_names[a] : NULL;
}

int zl_sc_transition(int from, int a, int *to, struct zl_error *err)
{
	if (a < 0 || a >= ZL_SC_ACTIONS || from < 0 || from >= ZL_SC_STATUSES)
		return zl_error_set(err, ZL_EINTERNAL, NULL, "no such plan action or status");
	if (step_from[a] != from)
		return zl_error_set(err, ZL_ECONFLICT, "status",
				    "a plan that is %s cannot be %s (it must be %s)",
				    status_names[from], action_done[a], status_names[step_from[a]]);
	*to = step_to[a];
	return ZL_OK;
}

/* ---- who sees and does what ----------------------------------------------------------------- */

int zl_sc_provincial_approver(const struct zl_sc_caller *c)
{
	return c->approver && zl_org_path_provincial(c->path);
}

int zl_sc_visible(const struct zl_sc_caller *c, const struct zl_sc_plan_facts *p)
{
	int reaches = zl_org_path_within(p->owner_path, c->path);

	if (reaches && c->planner)
		return 1;
	if (p->status >= ZL_SC_SUBMITTED && zl_sc_provincial_approver(c))
		return 1;
	if (p->status < ZL_SC_APPROVED)
		return 0;
	if (reaches || zl_org_path_within(c->path, p->gov_path))
		return 1;
	for (size_t i = 0; i < p->nlabs; i++)
		if (zl_org_path_within(c->path, p->lab_paths[i]))
			return 1;
	return 0;
}

int zl_sc_may(const struct zl_sc_caller *c, const struct zl_sc_plan_facts *p, int a,
	      struct zl_error *err)
{
	int to;

	if (a == ZL_SC_APPROVE || a == ZL_SC_RETURN) {
		if (!zl_sc_provincial_approver(c))
			return zl_error_set(err, ZL_EFORBIDDEN, NULL,
					    "spot-check plans are approved at provincial level");
		if (a == ZL_SC_APPROVE && zl_check_given(p->submitted_by) &&
		    zl_check_given(c->user) && strcmp(p->submitted_by, c->user) == 0)
			return zl_error_set(err, ZL_EFORBIDDEN, NULL,
					    "a plan is approved by someone other than who "
					    "submitted it");
	} else if (!c->planner || !zl_org_path_within(p->owner_path, c->path)) {
		return zl_error_set(err, ZL_EFORBIDDEN, NULL,
				    "only planners of the plan's organization (or above) %s it",
				    a < 0 ? "change" : action_names[a]);
	}
	if (a < 0)
		return p->status == ZL_SC_DRAFT
			       ? ZL_OK
			       : zl_error_set(err, ZL_ECONFLICT, "status",
					      "only a draft plan changes; this one is %s",
					      status_names[p->status]);
	return zl_sc_transition(p->status, a, &to, err);
}

/* ---- the plan as written -------------------------------------------------------------------- */

static const char *const place_names[ZL_SC_PLACES + 1] = {"production", "circulation", "ecommerce",
							  NULL};
static const char *const place_zh[ZL_SC_PLACES] = {"生产", "流通", "电商"};
static const char *const kinds[] = {"yearly", "special", NULL};

const char *zl_sc_place_name(int i)
{
	return i >= 0 && i < ZL_SC_PLACES ? place_names[i] : NULL;
}

const char *zl_sc_place_zh(int i)
{
	return i >= 0 && i < ZL_SC_PLACES ? place_zh[i] : NULL;
}

int zl_sc_place_parse(const char *s, int *out)
{
	return lookup(place_names, ZL_SC_PLACES, s, out);
}

int64_t zl_sc_plan_in_batches(const struct zl_sc_plan_in *in)
{
	int64_t n = 0;

	for (size_t i = 0; i < in->nproducts; i++)
		for (size_t k = 0; k < in->products[i].nquotas; k++)
			n += in->products[i].quotas[k].batches;
	return n;
}

static int six_digits(const char *s)
{
	for (int i = 0; i < 6; i++)
		if (!s || s[i] < '0' || s[i] > '9')
			return 0;
	return s[6] == '\0';
}

static int labs_check(const struct zl_sc_plan_in *in, struct zl_error *err)
{
	char f[ZL_CHECK_FIELD_MAX];
	int rc;

	if (in->nlabs > ZL_SC_LABS_MAX)
		return zl_error_set(err, ZL_EUNPROC, "labs", "labs: at most %d", ZL_SC_LABS_MAX);
	for (size_t i = 0; i < in->nlabs; i++) {
		zl_check_field(f, "", "labs", (long)i);
		if ((rc = zl_check_text(in->labs[i], f, 1, ZL_ORG_CODE_MAX - 1, err)))
			return rc;
		for (size_t k = 0; k < i; k++)
			if (strcmp(in->labs[k], in->labs[i]) == 0)
				return zl_error_set(err, ZL_EUNPROC, f, "%s is listed twice", f);
	}
	return ZL_OK;
}

static int places_check(const struct zl_sc_plan_in *in, struct zl_error *err)
{
	char f[ZL_CHECK_FIELD_MAX];
	int64_t shares = 0, batches = 0;
	int by_share = 0, by_batches = 0, seen[ZL_SC_PLACES] = {0}, rc, t = 0;

	if (in->nplaces == 0)
		return zl_error_set(err, ZL_EUNPROC, "places",
				    "places: name at least one sampling place");
	if (in->nplaces > ZL_SC_PLACES)
		return zl_error_set(err, ZL_EUNPROC, "places", "places: at most %d", ZL_SC_PLACES);
	for (size_t i = 0; i < in->nplaces; i++) {
		const struct zl_sc_place_in *p = &in->places[i];
		char at[ZL_CHECK_FIELD_MAX];

		zl_check_field(at, "", "places", (long)i);
		zl_check_field(f, at, "type", -1);
		if ((rc = zl_check_one_of(p->type, place_names, f, 1, err)))
			return rc;
		zl_sc_place_parse(p->type, &t);
		if (seen[t]++)
			return zl_error_set(err, ZL_EUNPROC, f, "%s: %s is listed twice", f,
					    p->type);
		zl_check_field(f, at, "share", -1);
		if ((p->share > 0) == (p->batches > 0) || p->share < 0 || p->batches < 0)
			return zl_error_set(err, ZL_EUNPROC, f,
					    "%s: give a share (percent) or batches, one of them, "
					    "positive",
					    at);
		if (p->share > 100)
			return zl_error_set(err, ZL_EUNPROC, f, "%s is a percentage, 1..100", f);
		by_share |= p->share > 0;
		by_batches |= p->batches > 0;
		shares += p->share;
		batches += p->batches;
		if (by_share && by_batches)
			return zl_error_set(err, ZL_EUNPROC, at,
					    "%s: give every place a share or every place batches",
					    at);
	}
	if (by_share && shares != 100)
		return zl_error_set(err, ZL_EUNPROC, "places",
				    "places: the shares add up to %lld, not 100",
				    (long long)shares);
	if (by_batches && batches != zl_sc_plan_in_batches(in))
		return zl_error_set(err, ZL_EUNPROC, "places",
				    "places: the batches add up to %lld, the quotas to %lld",
				    (long long)batches, (long long)zl_sc_plan_in_batches(in));
	return ZL_OK;
}

static int product_check(const struct zl_sc_plan_in *in, size_t i, struct zl_error *err)
{
	const struct zl_sc_product_in *p = &in->products[i];
	char at[ZL_CHECK_FIELD_MAX], f[ZL_CHECK_FIELD_MAX], q[ZL_CHECK_FIELD_MAX];
	int found = 0;

	zl_check_field(at, "", "products", (long)i);
	zl_check_field(f, at, "code", -1);
	if (!zl_check_given(p->code))
		return zl_error_set(err, ZL_EUNPROC, f, "%s is required", f);
	if (!zl_cat_code_valid(p->code))
		return zl_error_set(err, ZL_EUNPROC, f, "%s must be a catalogue code", f);
	for (size_t k = 0; k < i; k++)
		if (strcmp(in->products[k].code, p->code) == 0)
			return zl_error_set(err, ZL_EUNPROC, f, "%s: %s is listed twice", f,
					    p->code);
	if (zl_check_given(p->lab)) {
		zl_check_field(f, at, "lab", -1);
		for (size_t k = 0; k < in->nlabs && !found; k++)
			found = strcmp(in->labs[k], p->lab) == 0;
		if (!found)
			return zl_error_set(err, ZL_EUNPROC, f, "%s must be one of the plan's labs",
					    f);
	}
	zl_check_field(q, at, "quotas", -1);
	if (p->nquotas == 0)
		return zl_error_set(err, ZL_EUNPROC, q, "%s: give at least one region's batches",
				    q);
	if (p->nquotas > ZL_SC_QUOTAS_MAX)
		return zl_error_set(err, ZL_EUNPROC, q, "%s: at most %d regions", q,
				    ZL_SC_QUOTAS_MAX);
	for (size_t k = 0; k < p->nquotas; k++) {
		const struct zl_sc_quota_in *x = &p->quotas[k];

		zl_check_field(f, q, x->region && strlen(x->region) <= 16 ? x->region : "?", -1);
		if (!six_digits(x->region))
			return zl_error_set(err, ZL_EUNPROC, f,
					    "%s: a region is a six-digit GB/T 2260 code", f);
		for (size_t j = 0; j < k; j++)
			if (strcmp(p->quotas[j].region, x->region) == 0)
				return zl_error_set(err, ZL_EUNPROC, f, "%s is given twice", f);
		if (x->batches < 1 || x->batches > ZL_SC_BATCHES_MAX)
			return zl_error_set(err, ZL_EUNPROC, f,
					    "%s: batches must be a whole number 1..%d", f,
					    ZL_SC_BATCHES_MAX);
	}
	return ZL_OK;
}

int zl_sc_plan_in_check(const struct zl_sc_plan_in *in, struct zl_error *err)
{
	int64_t a, b;
	int rc;

	if ((rc = zl_check_text(in->title, "title", 1, ZL_SC_TITLE_MAX, err)))
		return rc;
	if (in->year < 1949 || in->year > 2100)
		return zl_error_set(err, ZL_EUNPROC, "year", "year must be 1949..2100");
	if ((rc = zl_check_one_of(in->kind, kinds, "kind", 1, err)) ||
	    (rc = zl_check_text(in->org, "org", 1, ZL_ORG_CODE_MAX - 1, err)) ||
	    (rc = zl_check_date(in->start, "start", 1, err)) ||
	    (rc = zl_check_date(in->end, "end", 1, err)) ||
	    (rc = zl_check_text(in->note, "note", 0, ZL_SC_NOTE_MAX, err)))
		return rc;
	zl_date_parse(in->start, &a);
	zl_date_parse(in->end, &b);
	if (b < a)
		return zl_error_set(err, ZL_EUNPROC, "end", "end is before start");
	if (in->budget_fen < 0 || in->budget_fen > ZL_SC_BUDGET_MAX)
		return zl_error_set(err, ZL_EUNPROC, "budget_fen",
				    "budget_fen is a sum in fen, 0 or more");
	if ((rc = labs_check(in, err)))
		return rc;
	if (in->nproducts == 0)
		return zl_error_set(err, ZL_EUNPROC, "products",
				    "products: name at least one catalogue product");
	if (in->nproducts > ZL_SC_PRODUCTS_MAX)
		return zl_error_set(err, ZL_EUNPROC, "products", "products: at most %d",
				    ZL_SC_PRODUCTS_MAX);
	for (size_t i = 0; i < in->nproducts; i++)
		if ((rc = product_check(in, i, err)))
			return rc;
	if ((rc = places_check(in, err)))
		return rc;
	return in->has_freq ? zl_sc_freq_check(&in->freq, err) : ZL_OK;
}
