/*
 * core.c - one-time initialisation of the core layer (see core.h).
 */
#include "core/core.h"

#include <sodium.h>

#include "core/err.h"

int zl_core_init(void)
{
	/* 0: initialised now, 1: already initialised, -1: failure. */
	if (sodium_init() < 0)
		return ZL_EINTERNAL;
	return ZL_OK;
}
