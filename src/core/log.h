/*
 * log.h - structured logging: one JSON object per line.
 *
 * A `struct zl_log` is a sink (a FILE* and a minimum level) owned by the
 * program's context; there is no global logger.  Writes of one line are
 * atomic with respect to other threads (under a mutex).
 *
 * By default every line is written through at once.  A long-running server
 * calls zl_log_set_buffered() so access-log lines collect in a bounded
 * buffer (as nginx's `access_log ... buffer= flush=`) and reach the file in
 * one write: when the buffer is full, when a warn or error line arrives,
 * when the oldest pending line is older than the delay (checked on each
 * write), on zl_log_flush() (the serve loop calls it every second) and on
 * zl_log_release().  A crash can lose at most that delay's worth of lines.
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
	FILE *out; /* borrowed; NULL discards everything */
	enum zl_log_level min;
	pthread_mutex_t lock;
	char *pending; /* buffered lines, or NULL when writing through */
	size_t pending_len;
	size_t pending_cap;
	int64_t pending_since; /* monotonic us of the oldest pending line */
	int64_t max_delay_us;
};

/* Initialise a sink writing to `out` (e.g. stderr) at level `min`. */
void zl_log_init(struct zl_log *l, FILE *out, enum zl_log_level min);
/* Flush and free the buffer (if any); the FILE is not closed. */
void zl_log_release(struct zl_log *l);
/*
 * Buffer up to `cap` bytes of lines for at most `max_delay_us`.  Returns
 * ZL_OK, or ZL_ENOMEM (the sink then keeps writing through).
 */
int zl_log_set_buffered(struct zl_log *l, size_t cap, int64_t max_delay_us);
/* Write out whatever is buffered. Thread-safe. */
void zl_log_flush(struct zl_log *l);
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
void zl_log_request(struct zl_log *l, const char *method, const char *route, const char *path,
		    int status, uint64_t usec, const char *user, const char *rid);

#endif /* ZL_CORE_LOG_H */
