/*
 * ctx.h - the program context passed to every command and request.
 *
 * Holds what a running zhiliang owns: its settings, its log sink and its
 * database pool.  There is no global state: main.c creates one context,
 * commands and the HTTP server receive a pointer to it.  Only the
 * orchestrating layers (http/, cli/, main.c) include this header; domain
 * and store code receive the narrower things they need (a struct zl_db *,
 * a struct zl_rng *, a time) as arguments.
 */
#ifndef ZL_CTX_H
#define ZL_CTX_H

#include "core/config.h"
#include "core/log.h"
#include "db/db.h"

struct zl_ctx {
	struct zl_config cfg;
	struct zl_log log;
	struct zl_db_pool *pool; /* NULL until a command opens the database */
};

#endif /* ZL_CTX_H */
