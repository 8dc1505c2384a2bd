/*
 * compat.h - forced-included (-include) into every translation unit.
 *
 * Pulls in the system headers that declare the functions banned.h forbids,
 * so their declarations are seen before the banning macros, and then
 * banned.h itself.  Nothing else belongs here.
 */
#ifndef ZL_CORE_COMPAT_H
#define ZL_CORE_COMPAT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <wchar.h>

#include "core/banned.h"

#endif /* ZL_CORE_COMPAT_H */
