/*
 * enterprise.h - the enterprise record of the register (issue 4) and its
 * validation: what a record is, how its fields are normalised, and the
 * vocabularies of its certifications and awards.
 *
 * The record struct lives here (not in store/) so that the pure
 * validation can see it; store/enterprises.h includes this header.
 * Everything here is pure: no clock, no I/O, no allocation, thread-safe.
 */
#ifndef ZL_DOMAIN_ENTERPRISE_H
#define ZL_DOMAIN_ENTERPRISE_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

#define ZL_ENT_KEY_MAX 24 /* "91410100..." (18) or "ORG:" + 9 */

/*
 * The code, date and enum fields are larger than their canonical values so
 * that raw input (full-width digits take 3 bytes each, "2014年7月1日",
 * "吊销，未注销") fits before zl_enterprise_validate() normalises it; after
 * validation uscc fits ZL_ENT_KEY_MAX bytes.
 */
struct zl_enterprise {
	char uscc[64];	   /* key: USCC, or "ORG:<org code>" when legacy */
	char org_code[36]; /* GB 11714 code (embedded in the USCC, or the legacy code) */
	int legacy;	   /* 1: only an organization code is known */
	char name[256];
	char region[24];   /* GB/T 2260 code */
	char industry[24]; /* GB/T 4754-2017 division (2 digits) or class (4), no letter */
	char address[512];
	char legal_rep[128];
	char registered_capital[48]; /* 万元, as filed */
	char founded[32];	     /* YYYY-MM-DD or "" */
	char size_class[32];	     /* large | medium | small | micro | "" */
	char status[32];	     /* operating | revoked | cancelled */
	char cqo_name[128];	     /* 首席质量官 */
	char cqo_appointed[32];
	int64_t version;     /* read-only: set by the store */
	char created_at[32]; /* read-only */
	char updated_at[32]; /* read-only */
	int64_t eid;	     /* read-only: the numeric id of the name index (> 0 once stored) */
	char updated_by[96]; /* read-only: who wrote the current version */
	unsigned warnings;   /* ZL_ENT_WARN_* set by zl_enterprise_validate; not stored */
};

/* Flags for zl_enterprise_validate(). */
#define ZL_ENT_LEGACY_IMPORT 0x1u /* inner GB 11714 check failures are warnings, not errors */

/* Warning bits left in e->warnings by zl_enterprise_validate() (the record is valid). */
#define ZL_ENT_WARN_ORG_CHECK 0x1u    /* the organization code's check char is wrong */
#define ZL_ENT_WARN_LOWERCASE 0x2u    /* the code was written in lowercase */
#define ZL_ENT_WARN_UNKNOWN_TYPE 0x4u /* USCC pos 1-2 not in the authority/type table */

/*
 * Normalise and validate `e` in place.
 *
 * Normalisation: every text field is trimmed of ASCII whitespace and the
 * ideographic space U+3000; in the code and date fields full-width
 * characters fold to ASCII ("９１４４..." -> "9144...") and inner spaces go;
 * the USCC and organization code are upper-cased (a lowercase code is
 * accepted with ZL_ENT_WARN_LOWERCASE); a record with no USCC but an
 * organization code (in org_code, in uscc as 9 or 10 characters, or as
 * "ORG:<code>") becomes the legacy key "ORG:" + code with legacy = 1; for a
 * USCC, org_code is set to its positions 9-17.  industry loses its section
 * letter ("C3611" -> "3611"); dates written 2014/7/1, 2014.7.1, 20140701 or
 * 2014年7月1日 become 2014-07-01; status and size_class accept the Chinese
 * words (存续 在营 开业 吊销 注销; 大型 中型 小型 微型); an empty status is
 * "operating"; registered_capital drops thousands separators and a
 * trailing 万元 / 万.
 *
 * Validation: the USCC per GB 32100 (codes/uscc.h; the inner GB 11714 check
 * is an error unless `flags` has ZL_ENT_LEGACY_IMPORT, then a warning);
 * region "" or a GB/T 2260 code of Henan still in force; industry "" or a
 * GB/T 4754-2017 division or class; dates "" or real dates from 1800; the
 * enums; name 2..200 characters; every text valid UTF-8 without control
 * characters; cqo_appointed only with cqo_name.
 *
 * Returns ZL_OK (warnings in e->warnings) or ZL_EUNPROC with err->field the
 * JSON name of the first bad field and a message saying why.
 */
int zl_enterprise_validate(struct zl_enterprise *e, unsigned flags, struct zl_error *err);

/* English text of one warning bit ("" for an unknown bit). */
const char *zl_enterprise_warning_text(unsigned bit);

/*
 * Certification and award kinds (the `kind` column of enterprise_certs and
 * enterprise_awards).  The label is the Chinese name shown to users.
 */
struct zl_ent_kind {
	const char *kind;  /* "iso9001" */
	const char *label; /* "ISO 9001质量管理体系认证" */
};

/* The kind row for `kind`, or NULL when it is not a certification (award) kind. */
const struct zl_ent_kind *zl_enterprise_cert_kind(const char *kind);
const struct zl_ent_kind *zl_enterprise_award_kind(const char *kind);
/* Iteration: count and row i (NULL past the end). */
size_t zl_enterprise_cert_kind_count(void);
const struct zl_ent_kind *zl_enterprise_cert_kind_at(size_t i);
size_t zl_enterprise_award_kind_count(void);
const struct zl_ent_kind *zl_enterprise_award_kind_at(size_t i);

/*
 * Normalise a date field in place (same rules as zl_enterprise_validate:
 * "" stays ""; 2014/7/1 -> 2014-07-01).  Returns ZL_OK, or ZL_EUNPROC with
 * err->field = `field` when the text is not a real date from 1800 on.
 * `cap` is the size of the buffer at `s` (at least 11).
 */
int zl_enterprise_date_normalise(char *s, size_t cap, const char *field, struct zl_error *err);

#endif /* ZL_DOMAIN_ENTERPRISE_H */
