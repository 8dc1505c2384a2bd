/*
 * credit.c - the rule table, retention dates and validation of quality
 * credit events (domain/credit.h).  Date arithmetic is core/timeutil's
 * civil calendar, so nothing depends on TZ or the clock.
 */
#include <string.h>

#include "core/buf.h"
#include "core/timeutil.h"
#include "domain/credit.h"

static const struct zl_credit_rule rules[] = {
#define ZL_CREDIT_RULE(kind, sub, pol, vis, months, confirmed, source)                             \
	{kind, sub, pol, vis, months, confirmed, source},
#include "domain/credit_rules.def"
#undef ZL_CREDIT_RULE
};
#define NRULES (sizeof(rules) / sizeof(rules[0]))

const struct zl_credit_rule *zl_credit_rules(size_t *n)
{
	*n = NRULES;
	return rules;
}

int zl_credit_kind_known(const char *kind)
{
	return zl_credit_rule_find(kind, NULL) != NULL;
}

const struct zl_credit_rule *zl_credit_rule_find(const char *kind, const char *subkind)
{
	if (kind == NULL)
		return NULL;
	for (size_t i = 0; i < NRULES; i++) {
		if (strcmp(rules[i].kind, kind) != 0)
			continue;
		if (subkind == NULL || subkind[0] == '\0' || strcmp(rules[i].subkind, subkind) == 0)
			return &rules[i];
	}
	return NULL;
}

static int days_in_month(int64_t y, unsigned m)
{
	static const int dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return m == 2 && leap ? 29 : dim[m - 1];
}

int zl_credit_add_months(const char *date, int months, char out[11])
{
	int64_t days, y, total;
	unsigned m, d, dim;
	char buf[16];

	out[0] = '\0';
	if (date == NULL || months < 0 || zl_date_parse(date, &days) != ZL_OK)
		return ZL_EINVAL;
	zl_civil_from_days(days, &y, &m, &d);
	total = y * 12 + (int64_t)(m - 1) + months;
	y = total / 12;
	m = (unsigned)(total % 12) + 1;
	if (y > 9999)
		return ZL_EINVAL;
	/* Civil Code art. 202: no corresponding day means the month's last day. */
	dim = (unsigned)days_in_month(y, m);
	if (d > dim)
		d = dim;
	zl_date_format(zl_days_from_civil(y, m, d), buf);
	zl_strlcpy(out, buf, 11);
	return ZL_OK;
}

int zl_credit_public_until(const char *kind, const char *subkind, const char *event_date,
			   char out[11])
{
	const struct zl_credit_rule *r = zl_credit_rule_find(kind, subkind);
	int64_t days;

	out[0] = '\0';
	if (r == NULL)
		return ZL_EUNPROC;
	if (event_date == NULL || zl_date_parse(event_date, &days) != ZL_OK)
		return ZL_EINVAL;
	if (r->months == 0)
		return ZL_OK;
	return zl_credit_add_months(event_date, r->months, out);
}

int zl_credit_is_public(const struct zl_credit_event *ev, const char *today)
{
	if (strcmp(ev->visibility, "public") != 0)
		return 0;
	return ev->public_until[0] == '\0' || strcmp(ev->public_until, today) >= 0;
}

/* Remove ASCII spaces, tabs and line breaks around s, in place. */
static void trim(char *s)
{
	size_t n = strlen(s), i = 0;

	while (n > 0 &&
	       (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
		n--;
	s[n] = '\0';
	while (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n')
		i++;
	if (i > 0)
		memmove(s, s + i, n - i + 1);
}

void zl_credit_apply_defaults(struct zl_credit_event *ev, int default_until)
{
	const struct zl_credit_rule *r;

	trim(ev->uscc);
	trim(ev->kind);
	trim(ev->subkind);
	trim(ev->polarity);
	trim(ev->event_date);
	trim(ev->source_org);
	trim(ev->doc_no);
	trim(ev->title);
	trim(ev->detail);
	trim(ev->visibility);
	trim(ev->public_until);
	r = zl_credit_rule_find(ev->kind, ev->subkind);
	if (r == NULL)
		return;
	zl_strlcpy(ev->subkind, r->subkind, sizeof(ev->subkind));
	if (ev->polarity[0] == '\0')
		zl_strlcpy(ev->polarity, r->polarity, sizeof(ev->polarity));
	if (ev->visibility[0] == '\0')
		zl_strlcpy(ev->visibility, r->visibility, sizeof(ev->visibility));
	if (default_until && ev->public_until[0] == '\0' && r->months > 0)
		zl_credit_add_months(ev->event_date, r->months, ev->public_until);
}

/* Characters (code points) of UTF-8 text. */
static size_t utf8_chars(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

static int check_len(const char *s, size_t max, const char *field, struct zl_error *err)
{
	if (utf8_chars(s) > max)
		return zl_error_set(err, ZL_EUNPROC, field, "%s is longer than %zu characters",
				    field, max);
	return ZL_OK;
}

/* A list of the kinds for messages: "spot_check, penalty, ...". */
static void kind_list(char *out, size_t n)
{
	struct zl_buf b = ZL_BUF_INIT(256);

	for (size_t i = 0; i < NRULES; i++) {
		if (i > 0 && strcmp(rules[i].kind, rules[i - 1].kind) == 0)
			continue;
		if (b.len > 0)
			zl_buf_adds(&b, ", ");
		zl_buf_adds(&b, rules[i].kind);
	}
	zl_strlcpy(out, b.err ? "" : zl_buf_str(&b), n);
	zl_buf_release(&b);
}

static void subkind_list(const char *kind, char *out, size_t n)
{
	struct zl_buf b = ZL_BUF_INIT(256);

	for (size_t i = 0; i < NRULES; i++) {
		if (strcmp(rules[i].kind, kind) != 0)
			continue;
		if (b.len > 0)
			zl_buf_adds(&b, ", ");
		zl_buf_adds(&b, rules[i].subkind);
	}
	zl_strlcpy(out, b.err ? "" : zl_buf_str(&b), n);
	zl_buf_release(&b);
}

int zl_credit_validate(const struct zl_credit_event *ev, const char *today, struct zl_error *err)
{
	char list[160], limit[11];
	int64_t d, u;
	int rc;

	if (ev->uscc[0] == '\0')
		return zl_error_set(err, ZL_EUNPROC, "uscc", "uscc is required");
	if (ev->kind[0] == '\0')
		return zl_error_set(err, ZL_EUNPROC, "kind", "kind is required");
	if (!zl_credit_kind_known(ev->kind)) {
		kind_list(list, sizeof(list));
		return zl_error_set(err, ZL_EUNPROC, "kind", "unknown kind; kind is one of %s",
				    list);
	}
	if (zl_credit_rule_find(ev->kind, ev->subkind) == NULL) {
		subkind_list(ev->kind, list, sizeof(list));
		return zl_error_set(err, ZL_EUNPROC, "subkind", "subkind of %s is one of %s",
				    ev->kind, list);
	}
	if (strcmp(ev->polarity, "positive") != 0 && strcmp(ev->polarity, "negative") != 0 &&
	    strcmp(ev->polarity, "neutral") != 0)
		return zl_error_set(err, ZL_EUNPROC, "polarity",
				    "polarity is positive, negative or neutral");
	if (zl_date_parse(ev->event_date, &d) != ZL_OK)
		return zl_error_set(err, ZL_EUNPROC, "event_date",
				    "event_date is a date YYYY-MM-DD");
	if (today != NULL && strcmp(ev->event_date, today) > 0)
		return zl_error_set(err, ZL_EUNPROC, "event_date",
				    "event_date %s is in the future (today is %s)", ev->event_date,
				    today);
	if (ev->source_org[0] == '\0')
		return zl_error_set(err, ZL_EUNPROC, "source_org", "source_org is required");
	if (ev->title[0] == '\0')
		return zl_error_set(err, ZL_EUNPROC, "title", "title is required");
	if ((rc = check_len(ev->title, ZL_CREDIT_TITLE_MAX, "title", err)) ||
	    (rc = check_len(ev->doc_no, ZL_CREDIT_DOCNO_MAX, "doc_no", err)) ||
	    (rc = check_len(ev->detail, ZL_CREDIT_DETAIL_MAX, "detail", err)))
		return rc;
	if (strcmp(ev->visibility, "public") != 0 && strcmp(ev->visibility, "internal") != 0)
		return zl_error_set(err, ZL_EUNPROC, "visibility",
				    "visibility is public or internal");
	if (ev->public_until[0] != '\0') {
		if (zl_date_parse(ev->public_until, &u) != ZL_OK)
			return zl_error_set(err, ZL_EUNPROC, "public_until",
					    "public_until is a date YYYY-MM-DD");
		if (u < d)
			return zl_error_set(err, ZL_EUNPROC, "public_until",
					    "public_until is before event_date");
	}
	if (strcmp(ev->visibility, "public") == 0 && strcmp(ev->polarity, "negative") == 0) {
		if (zl_credit_add_months(ev->event_date, ZL_CREDIT_NEGATIVE_MAX_MONTHS, limit) !=
		    ZL_OK)
			return zl_error_set(err, ZL_EUNPROC, "event_date",
					    "event_date out of range");
		if (ev->public_until[0] == '\0' || strcmp(ev->public_until, limit) > 0)
			return zl_error_set(err, ZL_EUNPROC, "public_until",
					    "a public negative event is shown at most 5 years: "
					    "public_until must be on or before %s",
					    limit);
	}
	return ZL_OK;
}
