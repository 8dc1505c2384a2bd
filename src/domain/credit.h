/*
 * credit.h - the quality credit archive's rules, pure: which kinds of event
 * exist, their default polarity and visibility, how long each stays public,
 * and what makes an event valid (docs/credit.md).
 *
 * An event is an append-only fact about one enterprise (a failed spot
 * check, a penalty, an award, ...).  Whether it shows to the public is
 * decided by two stored fields: visibility ("public" | "internal") and
 * public_until, the last day it shows ("" = no limit).  The default
 * public_until comes from the rule table (domain/credit_rules.def): the
 * event date plus the rule's months, counted as the Civil Code counts
 * periods (2019-02-28 + 3 months = 2019-05-28; 2019-11-30 + 3 months =
 * 2020-02-29).
 *
 * The five-year bound on negative information (河南省社会信用条例) is a
 * refusal, not a clamp: a public negative event whose public_until is
 * missing ("no limit") or later than event date + 60 months is rejected,
 * naming public_until, because silently shortening a date an official
 * entered would publish something other than what was decided.
 *
 * Pure: no I/O, no clock; "today" is passed in.  Dates are "YYYY-MM-DD".
 */
#ifndef ZL_DOMAIN_CREDIT_H
#define ZL_DOMAIN_CREDIT_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

/* Longest public display of a negative event, in months (河南省社会信用条例 2019). */
#define ZL_CREDIT_NEGATIVE_MAX_MONTHS 60

/* Limits of the free-text fields, in characters (bytes: 4 per character at most). */
#define ZL_CREDIT_TITLE_MAX 200
#define ZL_CREDIT_DOCNO_MAX 64
#define ZL_CREDIT_DETAIL_MAX 2000

/*
 * One event, as stored in credit_events (plus `subkind`, which only selects
 * the rule: it is not a column).  Strings are NUL-terminated; "" = empty.
 */
struct zl_credit_event {
	int64_t id;	     /* set by the store */
	char uscc[24];	     /* the enterprise's key (store/enterprises.h) */
	char kind[16];	     /* spot_check, penalty, ... */
	char subkind[16];    /* failed, minor, ...; "" = the kind's default rule */
	char polarity[12];   /* positive | negative | neutral; "" = the rule's */
	char event_date[12]; /* YYYY-MM-DD */
	char source_org[32]; /* organization code of who recorded it */
	char source_org_name[256]; /* its name on event_date; read-only, filled by the store */
	char doc_no[4 * ZL_CREDIT_DOCNO_MAX + 1]; /* 文书编号, or "" */
	char title[4 * ZL_CREDIT_TITLE_MAX + 1];
	char detail[4 * ZL_CREDIT_DETAIL_MAX + 1];
	char visibility[12];   /* public | internal; "" = the rule's */
	char public_until[12]; /* last day shown publicly; "" = no limit */
	char created_at[32];   /* RFC 3339 UTC; set by the store when "" */
	char created_by[64];   /* username, "token:ID", "module:NAME" */
};

/* One row of credit_rules.def. */
struct zl_credit_rule {
	const char *kind;
	const char *subkind;
	const char *polarity;
	const char *visibility;
	int months; /* 0 = no limit */
	int confirmed;
	const char *source;
};

/* The rule table in file order, its length in *n.  Immutable. */
const struct zl_credit_rule *zl_credit_rules(size_t *n);

/* 1 when `kind` is a known kind. */
int zl_credit_kind_known(const char *kind);

/*
 * The rule for kind/subkind (subkind NULL or "": the kind's first row), or
 * NULL when either is unknown.
 */
const struct zl_credit_rule *zl_credit_rule_find(const char *kind, const char *subkind);

/*
 * `date` + `months` calendar months into out ("YYYY-MM-DD"): the same day
 * of the month, or the month's last day when it has fewer days.  ZL_OK, or
 * ZL_EINVAL when `date` is not a real date or months < 0 (out = "").
 */
int zl_credit_add_months(const char *date, int months, char out[11]);

/*
 * The default public_until of an event of kind/subkind on `event_date`
 * into out: "" when the rule sets no limit.  ZL_OK; ZL_EUNPROC for an
 * unknown kind or subkind; ZL_EINVAL for a bad date (out = "" on errors).
 */
int zl_credit_public_until(const char *kind, const char *subkind, const char *event_date,
			   char out[11]);

/*
 * 1 when the event shows publicly on `today`: visibility "public" and
 * public_until "" or on/after today.
 */
int zl_credit_is_public(const struct zl_credit_event *ev, const char *today);

/*
 * Fill what the writer left empty from the rule of ev->kind/ev->subkind:
 * subkind (the kind's default), polarity, visibility and - only when
 * `default_until` is set - public_until.  Also trims spaces around the
 * text fields.  Unknown kind/subkind are left for zl_credit_validate to
 * report.  Never fails.
 */
void zl_credit_apply_defaults(struct zl_credit_event *ev, int default_until);

/*
 * Check one event: uscc given; kind known; subkind "" or known for the
 * kind; polarity and visibility from their enums; event_date a real date
 * not after `today` (NULL: not checked); source_org and title given;
 * lengths within the limits above; public_until "" or a real date on or
 * after event_date; a public negative event shown at most
 * ZL_CREDIT_NEGATIVE_MAX_MONTHS (refused, not clamped).  ZL_OK or
 * ZL_EUNPROC with err->field naming the member.
 */
int zl_credit_validate(const struct zl_credit_event *ev, const char *today, struct zl_error *err);

#endif /* ZL_DOMAIN_CREDIT_H */
