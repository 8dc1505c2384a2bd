/*
 * fuzz_credit.c - libFuzzer target for the credit archive's rules
 * (domain/credit.h): defaults, validation and month arithmetic on arbitrary
 * field text.  The input is up to eight lines: kind, subkind, polarity,
 * event_date, visibility, public_until, title, today.
 *
 * Invariants: an added-months date is a real date not before its input and
 * never further than the month count allows; an accepted event has
 * public_until "" or on/after event_date, and a public negative one ends
 * within five years of its date; an event never shows publicly before
 * it is dated when internal.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/timeutil.h"
#include "domain/credit.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct zl_credit_event ev;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char text[1024], *fields[8] = {0}, *save = NULL, *line, limit[11], out[11];
	struct zl_error err = ZL_ERROR_INIT;
	const char *today;
	int64_t d, u;
	size_t n = 0;

	if (size >= sizeof(text))
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	for (line = strtok_r(text, "\n", &save); line != NULL && n < 8;
	     line = strtok_r(NULL, "\n", &save))
		fields[n++] = line;
	memset(&ev, 0, sizeof(ev));
	zl_strlcpy(ev.uscc, "91411728KF1ABFBX2G", sizeof(ev.uscc));
	zl_strlcpy(ev.source_org, "410000", sizeof(ev.source_org));
	zl_strlcpy(ev.kind, fields[0] ? fields[0] : "", sizeof(ev.kind));
	zl_strlcpy(ev.subkind, fields[1] ? fields[1] : "", sizeof(ev.subkind));
	zl_strlcpy(ev.polarity, fields[2] ? fields[2] : "", sizeof(ev.polarity));
	zl_strlcpy(ev.event_date, fields[3] ? fields[3] : "", sizeof(ev.event_date));
	zl_strlcpy(ev.visibility, fields[4] ? fields[4] : "", sizeof(ev.visibility));
	zl_strlcpy(ev.public_until, fields[5] ? fields[5] : "", sizeof(ev.public_until));
	zl_strlcpy(ev.title, fields[6] ? fields[6] : "t", sizeof(ev.title));
	today = fields[7] ? fields[7] : "2026-01-01";

	for (int m = 0; m <= 61; m += 1 + m / 4) {
		int64_t a, b;
		if (zl_credit_add_months(ev.event_date, m, out) != ZL_OK)
			break;
		if (zl_date_parse(out, &b) != ZL_OK || zl_date_parse(ev.event_date, &a) != ZL_OK ||
		    b < a || b - a > (int64_t)m * 31)
			abort();
	}
	zl_credit_public_until(ev.kind, ev.subkind, ev.event_date, out);
	zl_credit_apply_defaults(&ev, 1);
	if (zl_credit_validate(&ev, today, &err) != ZL_OK)
		return 0;
	if (zl_date_parse(ev.event_date, &d) != ZL_OK)
		abort();
	if (ev.public_until[0] != '\0' && (zl_date_parse(ev.public_until, &u) != ZL_OK || u < d))
		abort();
	if (strcmp(ev.visibility, "public") == 0 && strcmp(ev.polarity, "negative") == 0) {
		if (zl_credit_add_months(ev.event_date, ZL_CREDIT_NEGATIVE_MAX_MONTHS, limit) !=
			    ZL_OK ||
		    ev.public_until[0] == '\0' || strcmp(ev.public_until, limit) > 0)
			abort();
	}
	if (strcmp(ev.visibility, "internal") == 0 && zl_credit_is_public(&ev, today))
		abort();
	return 0;
}
