/*
 * fuzz_config.c - libFuzzer target for the config-file parser.
 *
 * Invariants: a failed parse leaves the settings untouched and names a
 * "NAME:LINE" field; every value of an accepted one validates on its own.
 * Rules across settings (session_absolute not shorter than session_idle)
 * are zl_config_validate()'s alone: a file may set one of the pair and the
 * environment or a flag the other, so the loader must not refuse it.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/config.h"
#include "core/err.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct zl_config c, before;
	struct zl_error e = ZL_ERROR_INIT;

	zl_config_defaults(&c);
	before = c;
	if (zl_config_load_text(&c, (const char *)data, size, "fuzz.conf", &e) != ZL_OK) {
		if (memcmp(&c, &before, sizeof(c)) != 0)
			abort();
		if (strncmp(e.field, "fuzz.conf:", 10) != 0)
			abort();
		return 0;
	}
	/* The one rule across keys (session_absolute >= session_idle) is the validator's alone:
	 * a file may set one of the two and a flag the other (tests/unit/core/test_config.c). */
	if (zl_config_validate(&c, &e) != ZL_OK &&
	    (strcmp(e.field, "session_absolute") != 0 || c.session_absolute >= c.session_idle))
		abort();
	return 0;
}
