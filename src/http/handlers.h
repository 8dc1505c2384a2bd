/*
 * handlers.h - prototypes of every route handler, generated from routes.def
 * so a handler named in the table and not written fails at link time.
 * Each is defined in the file of its resource (health.c, metrics.c, ...).
 */
#ifndef ZL_HTTP_HANDLERS_H
#define ZL_HTTP_HANDLERS_H

#include "http/http.h"

#define ZL_ROUTE(m, p, fn, perm, scope, tag, summary, resp, media, body) zl_handler_fn fn;
#include "http/routes.def"
#undef ZL_ROUTE

#endif /* ZL_HTTP_HANDLERS_H */
