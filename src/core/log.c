/*
 * log.c - JSON-lines logging of log.h.
 *
 * Each line is built in a local buffer with the JSON writer and written
 * with a single fwrite + fflush under the sink's mutex, so lines from
 * different threads never interleave and a crash loses at most the line
 * being written.  A line longer than LOG_LINE_MAX is cut short by
 * truncating its message, never dropped silently.
 */
#include "core/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/jw.h"
#include "core/timeutil.h"

#define LOG_LINE_MAX ((size_t)16 * 1024)
#define LOG_MSG_MAX ((size_t)8 * 1024)

static const char *const level_names[] = {"debug", "info", "warn", "error", "off"};

void zl_log_init(struct zl_log *l, FILE *out, enum zl_log_level min)
{
	memset(l, 0, sizeof(*l));
	l->out = out;
	l->min = min;
	pthread_mutex_init(&l->lock, NULL);
}

/* Write the buffered lines.  Caller holds the lock. */
static void flush_locked(struct zl_log *l)
{
	if (l->pending_len && l->out) {
		fwrite(l->pending, 1, l->pending_len, l->out);
		fflush(l->out);
	}
	l->pending_len = 0;
}

void zl_log_flush(struct zl_log *l)
{
	pthread_mutex_lock(&l->lock);
	flush_locked(l);
	pthread_mutex_unlock(&l->lock);
}

int zl_log_set_buffered(struct zl_log *l, size_t cap, int64_t max_delay_us)
{
	char *p = malloc(cap);

	if (!p)
		return ZL_ENOMEM;
	pthread_mutex_lock(&l->lock);
	flush_locked(l);
	free(l->pending);
	l->pending = p;
	l->pending_cap = cap;
	l->max_delay_us = max_delay_us;
	pthread_mutex_unlock(&l->lock);
	return ZL_OK;
}

void zl_log_release(struct zl_log *l)
{
	zl_log_flush(l);
	free(l->pending);
	pthread_mutex_destroy(&l->lock);
	l->pending = NULL;
	l->out = NULL;
}

int zl_log_level_parse(const char *s, enum zl_log_level *out)
{
	size_t i;

	if (!s)
		return ZL_EINVAL;
	for (i = 0; i < sizeof(level_names) / sizeof(level_names[0]); i++) {
		if (strcmp(s, level_names[i]) == 0) {
			*out = (enum zl_log_level)i;
			return ZL_OK;
		}
	}
	return ZL_EINVAL;
}

static int log_enabled(const struct zl_log *l, enum zl_log_level lvl)
{
	return l->out && lvl >= l->min && lvl < ZL_LOG_OFF;
}

/* Open the line's object with "ts" and "level". */
static void log_begin(struct zl_jw *w, enum zl_log_level lvl)
{
	char ts[32];

	zl_jw_obj_begin(w);
	zl_jw_kstr(w, "ts", zl_time_format_rfc3339_us(zl_now_us(), ts));
	zl_jw_kstr(w, "level", level_names[lvl]);
}

/*
 * Emit one finished line: straight to the file when unbuffered, for lines
 * at warn and above (they must not wait behind a crash), and for lines
 * larger than the buffer; otherwise append to the buffer.
 */
static void log_write(struct zl_log *l, enum zl_log_level lvl, struct zl_buf *b)
{
	int64_t now;

	zl_buf_addch(b, '\n');
	if (b->err)
		return;
	pthread_mutex_lock(&l->lock);
	if (!l->pending || lvl >= ZL_LOG_WARN || b->len > l->pending_cap) {
		flush_locked(l);
		fwrite(b->data, 1, b->len, l->out);
		fflush(l->out);
		goto out;
	}
	if (l->pending_len + b->len > l->pending_cap)
		flush_locked(l);
	now = zl_mono_us();
	if (l->pending_len == 0)
		l->pending_since = now;
	memcpy(l->pending + l->pending_len, b->data, b->len);
	l->pending_len += b->len;
	if (now - l->pending_since >= l->max_delay_us)
		flush_locked(l);
out:
	pthread_mutex_unlock(&l->lock);
}

void zl_log_msg(struct zl_log *l, enum zl_log_level lvl, const char *fmt, ...)
{
	struct zl_buf msg = ZL_BUF_INIT(LOG_MSG_MAX);
	struct zl_buf line = ZL_BUF_INIT(LOG_LINE_MAX);
	struct zl_jw w;
	va_list ap;

	if (!log_enabled(l, lvl))
		return;
	va_start(ap, fmt);
	if (zl_buf_addvf(&msg, fmt, ap) == ZL_ETOOBIG) {
		/* Keep what fits and say so, rather than losing the line. */
		va_end(ap);
		va_start(ap, fmt);
		{
			char cut[LOG_MSG_MAX / 2];

			vsnprintf(cut, sizeof(cut), fmt, ap);
			zl_buf_reset(&msg);
			zl_buf_adds(&msg, cut);
			zl_buf_adds(&msg, "...[truncated]");
		}
	}
	va_end(ap);
	zl_jw_init(&w, &line);
	log_begin(&w, lvl);
	zl_jw_kstr(&w, "msg", zl_buf_str(&msg));
	zl_jw_obj_end(&w);
	if (zl_jw_error(&w) == ZL_OK)
		log_write(l, lvl, &line);
	zl_buf_release(&msg);
	zl_buf_release(&line);
}

void zl_log_request(struct zl_log *l, const char *method, const char *route, const char *path,
		    int status, uint64_t usec, const char *user, const char *rid)
{
	struct zl_buf line = ZL_BUF_INIT(LOG_LINE_MAX);
	struct zl_jw w;
	size_t plen;

	if (!log_enabled(l, ZL_LOG_INFO))
		return;
	zl_jw_init(&w, &line);
	log_begin(&w, ZL_LOG_INFO);
	zl_jw_kstr(&w, "event", "request");
	zl_jw_key(&w, "method");
	zl_jw_strn(&w, method ? method : "", method ? strnlen(method, 64) : 0);
	zl_jw_key(&w, "route");
	zl_jw_strn(&w, route ? route : "", route ? strnlen(route, 512) : 0);
	/* A hostile client controls the path; cap it so the line always fits. */
	plen = path ? strnlen(path, 2048) : 0;
	zl_jw_key(&w, "path");
	zl_jw_strn(&w, path ? path : "", plen);
	zl_jw_kint(&w, "status", status);
	zl_jw_key(&w, "us");
	zl_jw_uint(&w, usec);
	zl_jw_key(&w, "user");
	if (user)
		zl_jw_strn(&w, user, strnlen(user, 256));
	else
		zl_jw_null(&w); /* anonymous */
	zl_jw_key(&w, "rid");
	zl_jw_strn(&w, rid ? rid : "", rid ? strnlen(rid, 256) : 0);
	zl_jw_obj_end(&w);
	if (zl_jw_error(&w) == ZL_OK)
		log_write(l, ZL_LOG_INFO, &line);
	zl_buf_release(&line);
}
