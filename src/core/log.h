/*
 * log.h - structured logging: one JSON object per line.
 *
 * A `struct zl_log` is a sink (a FILE* and a minimum level) owned by the
 * program's context; there is no global logger.  Writes of one line are
 * atomic with respect to other threads (one fwrite under a mutex).
 * Every line has "ts" (UTC, RFC 3339 with microseconds), "level" and "msg"
 * or "event"; request lines add method, route, status, us, user, rid.
 */
#ifndef ZL_CORE_LOG_H
#define ZL_CORE_LOG_H

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>

enum zl_log_level { ZL_LOG_DEBUG = 0, ZL_LOG_INFO, ZL_LOG_WARN, ZL_LOG_ERROR, ZL_LOG_OFF };

struct zl_log {
	FILE *out;              /* borrowed; NULL discards everything */
	enum zl_log_level min;
	pthread_mutex_t lock;
};

/* Initialise a sink writing to `out` (e.g. stderr) at level `min`. */
void zl_log_init(struct zl_log *l, FILE *out, enum zl_log_level min);
void zl_log_release(struct zl_log *l);
/* Parse "debug|info|warn|error|off"; returns ZL_OK or ZL_EINVAL. */
int zl_log_level_parse(const char *s, enum zl_log_level *out);
/* {"ts":..,"level":..,"msg":"<formatted>"} */
void zl_log_msg(struct zl_log *l, enum zl_log_level lvl, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/*
 * The access-log line of one request:
 * {"ts","level":"info","event":"request","method","route","path","status","us","user","rid"}
 * `route` is the route pattern (e.g. "/api/v1/orgs/{code}") or "" when none
 * matched; `user` may be NULL (anonymous).
 */
void zl_log_request(struct zl_log *l, const char *method, const char *route,
		    const char *path, int status, uint64_t usec, const char *user,
		    const char *rid);

#endif /* ZL_CORE_LOG_H */
