/*
 * fuzz_enterprise.c - libFuzzer target for the normalisation and
 * validation of enterprise records (domain/enterprise.h).
 *
 * The input is split on '\n' into the fields of a record (uscc, org_code,
 * name, region, industry, registered_capital, founded, size_class, status,
 * cqo_name, cqo_appointed, address), each truncated to its buffer.
 * Invariants: every field stays NUL-terminated inside its buffer; a refusal
 * names a field; an accepted record has a canonical key and validating it
 * again accepts it unchanged (normalisation is idempotent).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "domain/enterprise.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void take(const uint8_t **p, const uint8_t *end, char *dst, size_t cap)
{
	const uint8_t *nl = memchr(*p, '\n', (size_t)(end - *p));
	size_t n = (size_t)((nl ? nl : end) - *p);

	if (n >= cap)
		n = cap - 1;
	memcpy(dst, *p, n);
	dst[n] = '\0';
	*p = nl ? nl + 1 : end;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct zl_enterprise e, again;
	struct zl_error err = ZL_ERROR_INIT;
	const uint8_t *p = data, *end = data + size;
	unsigned flags = size > 0 && (data[0] & 1) ? ZL_ENT_LEGACY_IMPORT : 0;
	int rc;

	memset(&e, 0, sizeof(e));
	take(&p, end, e.uscc, sizeof(e.uscc));
	take(&p, end, e.org_code, sizeof(e.org_code));
	take(&p, end, e.name, sizeof(e.name));
	take(&p, end, e.region, sizeof(e.region));
	take(&p, end, e.industry, sizeof(e.industry));
	take(&p, end, e.registered_capital, sizeof(e.registered_capital));
	take(&p, end, e.founded, sizeof(e.founded));
	take(&p, end, e.size_class, sizeof(e.size_class));
	take(&p, end, e.status, sizeof(e.status));
	take(&p, end, e.cqo_name, sizeof(e.cqo_name));
	take(&p, end, e.cqo_appointed, sizeof(e.cqo_appointed));
	take(&p, end, e.address, sizeof(e.address));

	rc = zl_enterprise_validate(&e, flags, &err);
	if (memchr(e.uscc, 0, sizeof(e.uscc)) == NULL ||
	    memchr(e.name, 0, sizeof(e.name)) == NULL ||
	    memchr(e.founded, 0, sizeof(e.founded)) == NULL)
		abort();
	if (rc != ZL_OK) {
		if (rc != ZL_EUNPROC || err.field[0] == '\0')
			abort();
		return 0;
	}
	if (strlen(e.uscc) >= ZL_ENT_KEY_MAX || strlen(e.org_code) != 9 ||
	    (e.legacy && strncmp(e.uscc, "ORG:", 4) != 0) || (!e.legacy && strlen(e.uscc) != 18))
		abort();
	again = e;
	if (zl_enterprise_validate(&again, flags, &err) != ZL_OK)
		abort();
	again.warnings = e.warnings;
	if (memcmp(&again, &e, sizeof(e)) != 0)
		abort();
	return 0;
}
