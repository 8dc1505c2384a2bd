/*
 * config.c - settings from defaults, file, environment and flags (see
 * config.h).
 *
 * Every value goes through config_apply(), which validates and stores it,
 * whatever its source, so a bad value is rejected the same way from a file,
 * an environment variable or a flag.  Loading works on a copy and commits
 * only on success, so a failed load leaves the settings as they were.
 */
#include "core/config.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/log.h"
#include "core/text.h"

enum cfg_key {
	K_DB = 0,
	K_ADDR,
	K_WEB_ROOT,
	K_LOG_LEVEL,
	K_THREADS,
	K_MAX_BODY,
	K_MAX_UPLOAD,
	K_CONN_TIMEOUT,
	K_DB_BUSY_MS,
	K_DB_MMAP_MB,
	K_DB_CACHE_MB,
	K_SESSION_IDLE,
	K_SESSION_ABSOLUTE,
	K_RATE_ANON_PER_MIN,
	K_RATE_ANON_BURST,
	K_RATE_LOGIN_PER_MIN,
	K_RATE_LOGIN_BURST,
	K_TIMERS,
	K_STATS_MIN_BATCHES,
	K_COUNT
};

static const char *const cfg_keys[] = {
	"db",
	"addr",
	"web_root",
	"log_level",
	"threads",
	"max_body",
	"max_upload",
	"conn_timeout",
	"db_busy_ms",
	"db_mmap_mb",
	"db_cache_mb",
	"session_idle",
	"session_absolute",
	"rate_anon_per_min",
	"rate_anon_burst",
	"rate_login_per_min",
	"rate_login_burst",
	"timers",
	"stats_min_batches",
	NULL,
};

#define CFG_FILE_MAX ((size_t)1 << 20)
#define CFG_LINE_MAX 4096

_Static_assert(K_COUNT <= sizeof(((struct zl_config *)0)->source) /
				  sizeof(((struct zl_config *)0)->source[0]),
	       "zl_config.source too small");

const char *const *zl_config_keys(void)
{
	return cfg_keys;
}

const char *zl_config_source_name(enum zl_config_source s)
{
	switch (s) {
	case ZL_CFG_DEFAULT:
		return "default";
	case ZL_CFG_FILE:
		return "file";
	case ZL_CFG_ENV:
		return "env";
	case ZL_CFG_FLAG:
		return "flag";
	}
	return "unknown";
}

void zl_config_defaults(struct zl_config *c)
{
	memset(c, 0, sizeof(*c));
	zl_strlcpy(c->db, "sqlite:./var/zhiliang.db", sizeof(c->db));
	zl_strlcpy(c->addr, "127.0.0.1:8080", sizeof(c->addr));
	zl_strlcpy(c->web_root, "web/dist", sizeof(c->web_root));
	zl_strlcpy(c->log_level, "info", sizeof(c->log_level));
	c->threads = 0;
	c->max_body = (size_t)1 << 20;
	c->max_upload = (size_t)1 << 30;
	c->conn_timeout = 30;
	c->db_busy_ms = 5000;
	c->db_mmap_mb = 2048;
	c->db_cache_mb = 0;
	c->session_idle = 1800;
	c->session_absolute = 43200;
	c->rate_anon_per_min = 600;
	c->rate_anon_burst = 100;
	c->rate_login_per_min = 10;
	c->rate_login_burst = 5;
	c->timers = 1;
	c->stats_min_batches = 30;
	/* memset made every source ZL_CFG_DEFAULT (0). */
}

static int key_index(const char *key)
{
	int i;

	for (i = 0; i < K_COUNT; i++)
		if (strcmp(cfg_keys[i], key) == 0)
			return i;
	return -1;
}

static int has_control(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 1;
	return 0;
}

/* A decimal integer in [min, max], the whole string. */
static int parse_int(const char *v, long min, long max, int *out)
{
	char *end;
	long x;

	if (!(v[0] >= '0' && v[0] <= '9') && !(v[0] == '-' && v[1] >= '0' && v[1] <= '9'))
		return -1;
	errno = 0;
	x = strtol(v, &end, 10);
	if (errno || *end || x < min || x > max)
		return -1;
	*out = (int)x;
	return 0;
}

/* Bytes: digits with an optional K, M or G suffix (powers of 1024); > 0. */
static int parse_size(const char *v, size_t *out)
{
	unsigned long long x;
	unsigned shift = 0;
	char *end;

	/* strtoull would accept leading blanks, '+' and '-' (wrapping). */
	if (!(v[0] >= '0' && v[0] <= '9'))
		return -1;
	errno = 0;
	x = strtoull(v, &end, 10);
	if (errno)
		return -1;
	switch (*end) {
	case '\0':
		break;
	case 'k':
	case 'K':
		shift = 10;
		end++;
		break;
	case 'm':
	case 'M':
		shift = 20;
		end++;
		break;
	case 'g':
	case 'G':
		shift = 30;
		end++;
		break;
	default:
		return -1;
	}
	if (*end || x == 0 || x > (unsigned long long)SIZE_MAX >> shift)
		return -1;
	*out = (size_t)(x << shift);
	return 0;
}

static int check_addr(const char *v)
{
	const char *colon = strrchr(v, ':'), *p;
	int port;

	if (!colon || colon == v)
		return -1;
	if (v[0] == '[') {
		/* IPv6 literal: [hex:...]:port */
		if (colon[-1] != ']' || colon - v < 4)
			return -1;
		for (p = v + 1; p < colon - 1; p++)
			if (!isxdigit((unsigned char)*p) && *p != ':' && *p != '.')
				return -1;
	} else {
		for (p = v; p < colon; p++)
			if (!isalnum((unsigned char)*p) && *p != '.' && *p != '-')
				return -1;
	}
	if (parse_int(colon + 1, 1, 65535, &port) || colon[1] == '-')
		return -1;
	return 0;
}

static int check_db(const char *v)
{
	if (strncmp(v, "sqlite:", 7) == 0)
		return v[7] ? 0 : -1;
	if (strncmp(v, "postgres://", 11) == 0 || strncmp(v, "postgresql://", 13) == 0)
		return 0;
	return -1;
}

static int set_str(char *dst, size_t cap, const char *v, const char *field, struct zl_error *err)
{
	if (strlen(v) >= cap)
		return zl_error_set(err, ZL_EINVAL, field, "%s: value longer than %zu bytes", field,
				    cap - 1);
	zl_strlcpy(dst, v, cap);
	return ZL_OK;
}

/* Validate `v` for key `k` and store it; messages name `field`. */
static int config_apply(struct zl_config *c, int k, const char *v, const char *field,
			struct zl_error *err)
{
	enum zl_log_level lvl;
	size_t sz;
	int n;

	if (has_control(v) || !zl_utf8_valid(v, strlen(v)))
		return zl_error_set(err, ZL_EINVAL, field,
				    "%s: control characters or invalid UTF-8 in value", field);
	switch ((enum cfg_key)k) {
	case K_DB:
		if (check_db(v))
			return zl_error_set(err, ZL_EINVAL, field,
					    "%s: database URL must start with sqlite:PATH, "
					    "postgres:// or postgresql://",
					    field);
		return set_str(c->db, sizeof(c->db), v, field, err);
	case K_ADDR:
		if (check_addr(v))
			return zl_error_set(err, ZL_EINVAL, field,
					    "%s: expected HOST:PORT with port 1-65535, got '%.64s'",
					    field, v);
		return set_str(c->addr, sizeof(c->addr), v, field, err);
	case K_WEB_ROOT:
		if (!v[0])
			return zl_error_set(err, ZL_EINVAL, field, "%s: must not be empty", field);
		return set_str(c->web_root, sizeof(c->web_root), v, field, err);
	case K_LOG_LEVEL:
		if (zl_log_level_parse(v, &lvl))
			return zl_error_set(err, ZL_EINVAL, field,
					    "%s: expected debug, info, warn, error or off", field);
		return set_str(c->log_level, sizeof(c->log_level), v, field, err);
	case K_THREADS:
		if (parse_int(v, 0, 1024, &n))
			return zl_error_set(err, ZL_EINVAL, field,
					    "%s: expected an integer 0-1024 (0 = one per core)",
					    field);
		c->threads = n;
		return ZL_OK;
	case K_MAX_BODY:
	case K_MAX_UPLOAD:
		if (parse_size(v, &sz))
			return zl_error_set(err, ZL_EINVAL, field,
					    "%s: expected a positive size in bytes, optionally "
					    "with K, M or G",
					    field);
		if (k == K_MAX_BODY)
			c->max_body = sz;
		else
			c->max_upload = sz;
		return ZL_OK;
	case K_CONN_TIMEOUT:
		if (parse_int(v, 1, 86400, &n))
			return zl_error_set(err, ZL_EINVAL, field, "%s: expected seconds 1-86400",
					    field);
		c->conn_timeout = n;
		return ZL_OK;
	case K_DB_BUSY_MS:
		if (parse_int(v, 0, 600000, &n))
			return zl_error_set(err, ZL_EINVAL, field,
					    "%s: expected milliseconds 0-600000", field);
		c->db_busy_ms = n;
		return ZL_OK;
	case K_DB_MMAP_MB:
		if (parse_int(v, 0, 1 << 20, &n))
			return zl_error_set(err, ZL_EINVAL, field,
					    "%s: expected MiB 0-1048576 (0 = no memory mapping)",
					    field);
		c->db_mmap_mb = n;
		return ZL_OK;
	case K_DB_CACHE_MB:
		if (parse_int(v, 0, 1 << 16, &n))
			return zl_error_set(err, ZL_EINVAL, field,
					    "%s: expected MiB 0-65536 (0 = SQLite's default)",
					    field);
		c->db_cache_mb = n;
		return ZL_OK;
	case K_SESSION_IDLE:
	case K_SESSION_ABSOLUTE:
		/* At least a minute (last_seen is written at most once a minute); at most 30 days.
		 */
		if (parse_int(v, 60, 30 * 86400, &n))
			return zl_error_set(err, ZL_EINVAL, field,
					    "%s: expected seconds 60-2592000", field);
		if (k == K_SESSION_IDLE)
			c->session_idle = n;
		else
			c->session_absolute = n;
		return ZL_OK;
	case K_RATE_ANON_PER_MIN:
	case K_RATE_LOGIN_PER_MIN:
		if (parse_int(v, 0, 1000000, &n))
			return zl_error_set(
				err, ZL_EINVAL, field,
				"%s: expected requests per minute 0-1000000 (0 = no limit)", field);
		if (k == K_RATE_ANON_PER_MIN)
			c->rate_anon_per_min = n;
		else
			c->rate_login_per_min = n;
		return ZL_OK;
	case K_RATE_ANON_BURST:
	case K_RATE_LOGIN_BURST:
		if (parse_int(v, 1, 1000000, &n))
			return zl_error_set(err, ZL_EINVAL, field,
					    "%s: expected a burst size 1-1000000", field);
		if (k == K_RATE_ANON_BURST)
			c->rate_anon_burst = n;
		else
			c->rate_login_burst = n;
		return ZL_OK;
	case K_TIMERS:
		if (strcmp(v, "on") != 0 && strcmp(v, "off") != 0)
			return zl_error_set(err, ZL_EINVAL, field, "%s: expected on or off", field);
		c->timers = strcmp(v, "on") == 0;
		return ZL_OK;
	case K_STATS_MIN_BATCHES:
		if (parse_int(v, 0, 1000000, &n))
			return zl_error_set(err, ZL_EINVAL, field,
					    "%s: expected batches 0-1000000", field);
		c->stats_min_batches = n;
		return ZL_OK;
	case K_COUNT:
		break;
	}
	return zl_error_set(err, ZL_EINTERNAL, field, "unhandled key");
}

int zl_config_set(struct zl_config *c, const char *key, const char *value,
		  enum zl_config_source src, struct zl_error *err)
{
	int k = key ? key_index(key) : -1, rc;

	if (k < 0)
		return zl_error_set(err, ZL_EINVAL, key ? key : "", "unknown setting '%.64s'",
				    key ? key : "");
	if (!value)
		return zl_error_set(err, ZL_EINVAL, key, "%s: missing value", key);
	rc = config_apply(c, k, value, key, err);
	if (rc == ZL_OK)
		c->source[k] = src;
	return rc;
}

/* "NAME:LINE" into dst, keeping the end of NAME when it is too long. */
static void format_where(char *dst, size_t cap, const char *name, size_t line)
{
	char num[32];
	size_t nl, numl;

	numl = (size_t)snprintf(num, sizeof(num), ":%zu", line);
	nl = strlen(name);
	if (nl + numl < cap) {
		memcpy(dst, name, nl);
		memcpy(dst + nl, num, numl + 1);
		return;
	}
	/* "..." + tail of the name + ":LINE" */
	memcpy(dst, "...", 3);
	nl = cap - 1 - numl - 3;
	memcpy(dst + 3, name + strlen(name) - nl, nl);
	memcpy(dst + 3 + nl, num, numl + 1);
}

static int line_error(struct zl_error *err, const char *name, size_t line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int line_error(struct zl_error *err, const char *name, size_t line, const char *fmt, ...)
{
	char where[ZL_ERR_FIELD_MAX], what[ZL_ERR_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	format_where(where, sizeof(where), name, line);
	zl_error_set(err, ZL_EINVAL, "", "%s:%zu: %s", name, line, what);
	if (err)
		zl_strlcpy(err->field, where, sizeof(err->field));
	return ZL_EINVAL;
}

static int is_blank(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r';
}

int zl_config_load_text(struct zl_config *c, const char *text, size_t n, const char *name,
			struct zl_error *err)
{
	struct zl_config tmp = *c;
	size_t seen[K_COUNT] = {0};
	const char *p, *end, *eol, *eq, *ks, *ke, *vs, *ve;
	char key[64], value[CFG_LINE_MAX + 1];
	size_t lineno = 0;
	int k, rc;

	if (!name)
		name = "";
	p = zl_utf8_strip_bom(text, &n);
	end = p + n;
	while (p < end) {
		lineno++;
		eol = memchr(p, '\n', (size_t)(end - p));
		if (!eol)
			eol = end;
		if ((size_t)(eol - p) > CFG_LINE_MAX)
			return line_error(err, name, lineno, "line longer than %d bytes",
					  CFG_LINE_MAX);
		if (memchr(p, '\0', (size_t)(eol - p)))
			return line_error(err, name, lineno, "NUL byte in line");
		if (!zl_utf8_valid(p, (size_t)(eol - p)))
			return line_error(err, name, lineno, "invalid UTF-8");
		ks = p;
		ve = eol;
		p = eol < end ? eol + 1 : end;
		while (ks < ve && is_blank(*ks))
			ks++;
		while (ve > ks && is_blank(ve[-1]))
			ve--;
		if (ks == ve || *ks == '#')
			continue;
		eq = memchr(ks, '=', (size_t)(ve - ks));
		if (!eq)
			return line_error(err, name, lineno, "expected 'key = value'");
		ke = eq;
		while (ke > ks && is_blank(ke[-1]))
			ke--;
		vs = eq + 1;
		while (vs < ve && is_blank(*vs))
			vs++;
		if (ke == ks)
			return line_error(err, name, lineno, "missing key before '='");
		if ((size_t)(ke - ks) >= sizeof(key))
			return line_error(err, name, lineno, "unknown key '%.32s...'", ks);
		memcpy(key, ks, (size_t)(ke - ks));
		key[ke - ks] = '\0';
		k = key_index(key);
		if (k < 0)
			return line_error(err, name, lineno, "unknown key '%s'", key);
		if (seen[k])
			return line_error(err, name, lineno, "key '%s' already set on line %zu",
					  key, seen[k]);
		seen[k] = lineno;
		if (ve - vs >= 2 && (*vs == '"' || *vs == '\'') && ve[-1] == *vs) {
			vs++;
			ve--;
		}
		memcpy(value, vs, (size_t)(ve - vs));
		value[ve - vs] = '\0';
		rc = config_apply(&tmp, k, value, key, err);
		if (rc) {
			char msg[ZL_ERR_MSG_MAX];

			zl_strlcpy(msg, err ? err->message : "invalid value", sizeof(msg));
			return line_error(err, name, lineno, "%s", msg);
		}
		tmp.source[k] = ZL_CFG_FILE;
	}
	*c = tmp;
	return ZL_OK;
}

static int read_file(const char *path, struct zl_buf *b, struct zl_error *err)
{
	char chunk[8192];
	size_t n;
	FILE *f = fopen(path, "rb");
	int rc = ZL_OK;

	if (!f)
		return zl_error_set(err, ZL_EIO, "config", "cannot open config file %s: %s", path,
				    strerror(errno));
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if (zl_buf_add(b, chunk, n)) {
			rc = zl_error_set(err, ZL_EINVAL, "config",
					  "config file %s is larger than %zu bytes", path,
					  CFG_FILE_MAX);
			goto out;
		}
	}
	if (ferror(f))
		rc = zl_error_set(err, ZL_EIO, "config", "cannot read config file %s", path);
out:
	fclose(f);
	return rc;
}

int zl_config_load(struct zl_config *c, const char *path, struct zl_error *err)
{
	struct zl_config tmp = *c;
	struct zl_buf b = ZL_BUF_INIT(CFG_FILE_MAX);
	char var[64];
	const char *v;
	int k, rc = ZL_OK;
	size_t i;

	if (!path || !*path) {
		path = getenv("ZHILIANG_CONFIG");
		if (!path || !*path)
			path = access("zhiliang.conf", F_OK) == 0 ? "zhiliang.conf" : NULL;
	}
	if (path) {
		if (strlen(path) >= sizeof(tmp.config_file)) {
			rc = zl_error_set(err, ZL_EINVAL, "config", "config file path too long");
			goto out;
		}
		rc = read_file(path, &b, err);
		if (rc)
			goto out;
		rc = zl_config_load_text(&tmp, zl_buf_str(&b), b.len, path, err);
		if (rc)
			goto out;
		zl_strlcpy(tmp.config_file, path, sizeof(tmp.config_file));
	}
	for (k = 0; k < K_COUNT; k++) {
		snprintf(var, sizeof(var), "ZHILIANG_%s", cfg_keys[k]);
		for (i = 9; var[i]; i++)
			var[i] = (char)toupper((unsigned char)var[i]);
		v = getenv(var);
		/* An empty variable counts as unset, as in most shells' usage. */
		if (!v || !*v)
			continue;
		rc = config_apply(&tmp, k, v, var, err);
		if (rc)
			goto out;
		tmp.source[k] = ZL_CFG_ENV;
	}
	*c = tmp;
out:
	zl_buf_release(&b);
	return rc;
}

int zl_config_validate(const struct zl_config *c, struct zl_error *err)
{
	struct zl_config tmp;
	char val[600];
	int k, rc;

	/* Re-apply every value, so fields set directly in the struct are checked too. */
	zl_config_defaults(&tmp);
	for (k = 0; k < K_COUNT; k++) {
		rc = zl_config_get(c, cfg_keys[k], val, sizeof(val));
		if (rc)
			return zl_error_set(err, ZL_EINVAL, cfg_keys[k], "%s: value too long",
					    cfg_keys[k]);
		rc = config_apply(&tmp, k, val, cfg_keys[k], err);
		if (rc)
			return rc;
	}
	if (c->session_absolute < c->session_idle)
		return zl_error_set(err, ZL_EINVAL, "session_absolute",
				    "session_absolute (%d s) must not be shorter than session_idle "
				    "(%d s)",
				    c->session_absolute, c->session_idle);
	return ZL_OK;
}

int zl_config_get(const struct zl_config *c, const char *key, char *dst, size_t dstlen)
{
	int k = key ? key_index(key) : -1;
	char num[32];
	const char *s = num;

	if (k < 0)
		return ZL_ENOTFOUND;
	switch ((enum cfg_key)k) {
	case K_DB:
		s = c->db;
		break;
	case K_ADDR:
		s = c->addr;
		break;
	case K_WEB_ROOT:
		s = c->web_root;
		break;
	case K_LOG_LEVEL:
		s = c->log_level;
		break;
	case K_THREADS:
		snprintf(num, sizeof(num), "%d", c->threads);
		break;
	case K_MAX_BODY:
		snprintf(num, sizeof(num), "%zu", c->max_body);
		break;
	case K_MAX_UPLOAD:
		snprintf(num, sizeof(num), "%zu", c->max_upload);
		break;
	case K_CONN_TIMEOUT:
		snprintf(num, sizeof(num), "%d", c->conn_timeout);
		break;
	case K_DB_BUSY_MS:
		snprintf(num, sizeof(num), "%d", c->db_busy_ms);
		break;
	case K_DB_MMAP_MB:
		snprintf(num, sizeof(num), "%d", c->db_mmap_mb);
		break;
	case K_DB_CACHE_MB:
		snprintf(num, sizeof(num), "%d", c->db_cache_mb);
		break;
	case K_SESSION_IDLE:
		snprintf(num, sizeof(num), "%d", c->session_idle);
		break;
	case K_SESSION_ABSOLUTE:
		snprintf(num, sizeof(num), "%d", c->session_absolute);
		break;
	case K_RATE_ANON_PER_MIN:
		snprintf(num, sizeof(num), "%d", c->rate_anon_per_min);
		break;
	case K_RATE_ANON_BURST:
		snprintf(num, sizeof(num), "%d", c->rate_anon_burst);
		break;
	case K_RATE_LOGIN_PER_MIN:
		snprintf(num, sizeof(num), "%d", c->rate_login_per_min);
		break;
	case K_RATE_LOGIN_BURST:
		snprintf(num, sizeof(num), "%d", c->rate_login_burst);
		break;
	case K_TIMERS:
		s = c->timers ? "on" : "off";
		break;
	case K_STATS_MIN_BATCHES:
		snprintf(num, sizeof(num), "%d", c->stats_min_batches);
		break;
	case K_COUNT:
		return ZL_ENOTFOUND;
	}
	if (zl_strlcpy(dst, s, dstlen) >= dstlen)
		return ZL_ETOOBIG;
	return ZL_OK;
}
