/*
 * catalogue.c - names of risk levels and severities, and the check of one
 * catalogue category (domain/catalogue.h).  Field names in errors are the
 * JSON member paths of POST /api/v1/catalogue.
 */
#include "domain/catalogue.h"

#include <math.h>
#include <string.h>

#include "codes/industry.h"
#include "domain/check.h"

static const char *const risk_names[ZL_RISKS + 1] = {NULL, "I", "II", "III"};
static const char *const risk_zh[ZL_RISKS + 1] = {NULL, "Ⅰ", "Ⅱ", "Ⅲ"};
static const char *const severities[] = {"serious", "general", NULL};

const char *zl_risk_name(int risk)
{
	return risk >= 1 && risk <= ZL_RISKS ? risk_names[risk] : NULL;
}

const char *zl_risk_zh(int risk)
{
	return risk >= 1 && risk <= ZL_RISKS ? risk_zh[risk] : NULL;
}

int zl_risk_parse(const char *s, int *risk)
{
	for (int r = 1; s && r <= ZL_RISKS; r++) {
		if (strcmp(s, risk_names[r]) == 0 || strcmp(s, risk_zh[r]) == 0) {
			*risk = r;
			return ZL_OK;
		}
	}
	return ZL_EUNPROC;
}

const char *zl_severity_zh(const char *severity)
{
	if (severity && strcmp(severity, "serious") == 0)
		return "严重";
	if (severity && strcmp(severity, "general") == 0)
		return "一般";
	return NULL;
}

int zl_cat_code_valid(const char *code)
{
	size_t n = code ? strlen(code) : 0;

	if (n < 2 || n > ZL_CAT_CODE_MAX)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((code[i] >= '0' && code[i] <= '9') || (code[i] >= 'A' && code[i] <= 'Z')))
			return 0;
	return 1;
}

int zl_cat_key_in(int key_supervised, int key_from, int key_to, int year)
{
	return key_supervised && key_from <= year && (key_to == 0 || year <= key_to);
}

static int is_upper(char c)
{
	return c >= 'A' && c <= 'Z';
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/*
 * A standard's number: a prefix of capitals with at most one "/X" part
 * (GB, GB/T, FZ/T, SH/T, JC/T), one space, then digits in dot-separated
 * groups (175, 4706.1, 5023.1).  A "-2007" suffix is the year, which has a
 * member of its own: refused so the edition is never stored twice.
 */
static int std_number_valid(const char *s, int *has_year)
{
	const char *p = s;
	int slash = 0;

	*has_year = 0;
	if (!is_upper(*p))
		return 0;
	while (is_upper(*p) || (*p == '/' && !slash && is_upper(p[1]))) {
		slash |= *p == '/';
		p++;
	}
	if (*p++ != ' ' || !is_digit(*p))
		return 0;
	for (;;) {
		while (is_digit(*p))
			p++;
		if (*p == '.' && is_digit(p[1])) {
			p++;
			continue;
		}
		break;
	}
	if (*p == '-' && is_digit(p[1])) {
		*has_year = 1;
		return 0;
	}
	return *p == '\0' && (size_t)(p - s) <= ZL_CAT_STD_NUMBER_MAX;
}

static int year_check(int year, const char *field, int required, struct zl_error *err)
{
	if (year == 0 && !required)
		return ZL_OK;
	if (year < ZL_CAT_YEAR_MIN || year > ZL_CAT_YEAR_MAX)
		return zl_error_set(err, ZL_EUNPROC, field, "%s must be a year %d..%d", field,
				    ZL_CAT_YEAR_MIN, ZL_CAT_YEAR_MAX);
	return ZL_OK;
}

static int std_check(const struct zl_cat_in *in, size_t i, struct zl_error *err)
{
	const struct zl_cat_std_in *s = &in->standards[i];
	char at[ZL_CHECK_FIELD_MAX], f[ZL_CHECK_FIELD_MAX];
	int rc, has_year;

	zl_check_field(at, "", "standards", (long)i);
	zl_check_field(f, at, "number", -1);
	if ((rc = zl_check_text(s->number, f, 1, ZL_CAT_STD_NUMBER_MAX, err)))
		return rc;
	if (!std_number_valid(s->number, &has_year))
		return zl_error_set(err, ZL_EUNPROC, f,
				    has_year ? "%s: give the year in year, not in the number"
					     : "%s must look like GB 175 or GB/T 5023.1",
				    f);
	for (size_t k = 0; k < i; k++)
		if (strcmp(in->standards[k].number, s->number) == 0)
			return zl_error_set(err, ZL_EUNPROC, f, "%s: %s is listed twice", f,
					    s->number);
	zl_check_field(f, at, "year", -1);
	if ((rc = year_check(s->year, f, 0, err)))
		return rc;
	zl_check_field(f, at, "title", -1);
	return zl_check_text(s->title, f, 1, ZL_CAT_STD_TITLE_MAX, err);
}

static int limit_check(int has, double v, const char *field, struct zl_error *err)
{
	if (has && !(fabs(v) <= ZL_CAT_LIMIT_MAX))
		return zl_error_set(err, ZL_EUNPROC, field, "%s is out of range", field);
	return ZL_OK;
}

static int item_check(const struct zl_cat_item_in *it, size_t i, struct zl_error *err)
{
	char at[ZL_CHECK_FIELD_MAX], f[ZL_CHECK_FIELD_MAX];
	int rc;

	zl_check_field(at, "", "items", (long)i);
	if ((rc = zl_check_text(it->name, zl_check_field(f, at, "name", -1), 1,
				ZL_CAT_ITEM_NAME_MAX, err)) ||
	    (rc = zl_check_text(it->unit, zl_check_field(f, at, "unit", -1), 0, ZL_CAT_UNIT_MAX,
				err)) ||
	    (rc = zl_check_text(it->text, zl_check_field(f, at, "text", -1), 0, ZL_CAT_TEXT_MAX,
				err)) ||
	    (rc = zl_check_text(it->method, zl_check_field(f, at, "method", -1), 0, ZL_CAT_TEXT_MAX,
				err)) ||
	    (rc = zl_check_one_of(it->severity, severities, zl_check_field(f, at, "severity", -1),
				  1, err)) ||
	    (rc = limit_check(it->has_min, it->min, zl_check_field(f, at, "min", -1), err)) ||
	    (rc = limit_check(it->has_max, it->max, zl_check_field(f, at, "max", -1), err)))
		return rc;
	if (!it->has_min && !it->has_max && !zl_check_given(it->text))
		return zl_error_set(err, ZL_EUNPROC, zl_check_field(f, at, "text", -1),
				    "%s: give the limit as min, max or text", at);
	zl_check_field(f, at, "max", -1);
	if (it->has_min && it->has_max && it->min > it->max)
		return zl_error_set(err, ZL_EUNPROC, f, "%s is below min", f);
	return ZL_OK;
}

int zl_cat_in_check(const struct zl_cat_in *in, struct zl_error *err)
{
	char f[ZL_CHECK_FIELD_MAX];
	int rc;

	if (!zl_check_given(in->code))
		return zl_error_set(err, ZL_EUNPROC, "code", "code is required");
	if (!zl_cat_code_valid(in->code))
		return zl_error_set(err, ZL_EUNPROC, "code",
				    "code is 2 to %d digits or capital letters", ZL_CAT_CODE_MAX);
	if (zl_check_given(in->parent)) {
		if (!zl_cat_code_valid(in->parent))
			return zl_error_set(err, ZL_EUNPROC, "parent",
					    "parent must be a category code");
		if (strcmp(in->parent, in->code) == 0)
			return zl_error_set(err, ZL_EUNPROC, "parent",
					    "a category cannot be its own parent");
	}
	if ((rc = zl_check_text(in->name, "name", 1, ZL_CAT_NAME_MAX, err)) ||
	    (rc = zl_check_text(in->note, "note", 0, ZL_CAT_NOTE_MAX, err)))
		return rc;
	if (!zl_risk_name(in->risk))
		return zl_error_set(err, ZL_EUNPROC, "risk", "risk must be one of I, II, III");
	if (in->key_supervised) {
		if ((rc = year_check(in->key_from, "key_from", 1, err)) ||
		    (rc = year_check(in->key_to, "key_to", 0, err)))
			return rc;
		if (in->key_to && in->key_to < in->key_from)
			return zl_error_set(err, ZL_EUNPROC, "key_to", "key_to is before key_from");
	} else if (in->key_from || in->key_to) {
		return zl_error_set(err, ZL_EUNPROC, in->key_from ? "key_from" : "key_to",
				    "key-supervised years need key_supervised true");
	}
	if (in->nindustries > ZL_CAT_INDUSTRIES_MAX)
		return zl_error_set(err, ZL_EUNPROC, "industries", "industries: at most %d",
				    ZL_CAT_INDUSTRIES_MAX);
	for (size_t i = 0; i < in->nindustries; i++) {
		zl_check_field(f, "", "industries", (long)i);
		if (!zl_check_given(in->industries[i]) || !zl_industry_find(in->industries[i]))
			return zl_error_set(err, ZL_EUNPROC, f,
					    "%s is not a GB/T 4754-2017 code (C3011, C18)", f);
		for (size_t k = 0; k < i; k++)
			if (strcmp(in->industries[k], in->industries[i]) == 0)
				return zl_error_set(err, ZL_EUNPROC, f, "%s is listed twice", f);
	}
	if (in->nstandards > ZL_CAT_STANDARDS_MAX)
		return zl_error_set(err, ZL_EUNPROC, "standards", "standards: at most %d",
				    ZL_CAT_STANDARDS_MAX);
	for (size_t i = 0; i < in->nstandards; i++)
		if ((rc = std_check(in, i, err)))
			return rc;
	if (in->nitems > ZL_CAT_ITEMS_MAX)
		return zl_error_set(err, ZL_EUNPROC, "items", "items: at most %d",
				    ZL_CAT_ITEMS_MAX);
	for (size_t i = 0; i < in->nitems; i++) {
		if ((rc = item_check(&in->items[i], i, err)))
			return rc;
		zl_check_field(f, "", "items", (long)i);
		for (size_t k = 0; k < i; k++)
			if (strcmp(in->items[k].name, in->items[i].name) == 0)
				return zl_error_set(err, ZL_EUNPROC, f, "%s: %s is listed twice", f,
						    in->items[i].name);
	}
	return ZL_OK;
}
