/*
 * core.h - one-time initialisation of the core layer.
 *
 * zl_core_init() must be called once at program start (main.c, each test
 * program, each fuzz target's first run) before any other core function
 * that uses libsodium: zl_rng_*, zl_random_token().  It is idempotent and
 * thread-safe (sodium_init() is), so calling it again is harmless.
 */
#ifndef ZL_CORE_CORE_H
#define ZL_CORE_CORE_H

/* Initialise libsodium.  Returns ZL_OK, or ZL_EINTERNAL if it cannot start. */
int zl_core_init(void);

#endif /* ZL_CORE_CORE_H */
