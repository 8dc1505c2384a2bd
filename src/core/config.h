/*
 * config.h - the program's settings, from defaults, a config file, the
 * environment and command-line flags, in that order of precedence (later
 * wins).
 *
 * File format: UTF-8 text, one `key = value` per line, `#` comments, blank
 * lines ignored; unknown keys are errors naming the line.  Environment:
 * ZHILIANG_<KEY upper-cased> (e.g. ZHILIANG_DB, ZHILIANG_ADDR).  Flags:
 * `--key value` or `--key=value`, handled by the CLI through
 * zl_config_set().  `zhiliang config check` loads everything, validates and
 * prints the effective settings with where each came from.
 */
#ifndef ZL_CORE_CONFIG_H
#define ZL_CORE_CONFIG_H

#include <stddef.h>

#include "core/err.h"

enum zl_config_source { ZL_CFG_DEFAULT = 0, ZL_CFG_FILE, ZL_CFG_ENV, ZL_CFG_FLAG };

struct zl_config {
	char db[512];		/* key "db": sqlite:PATH or postgres://... */
	char addr[128];		/* key "addr": HOST:PORT to listen on (127.0.0.1:8080) */
	char web_root[512];	/* key "web_root": built UI directory (web/dist) */
	char log_level[16];	/* key "log_level": debug|info|warn|error|off */
	int threads;		/* key "threads": HTTP worker threads (0 = cores) */
	size_t max_body;	/* key "max_body": request body cap in bytes (1 MiB) */
	size_t max_upload;	/* key "max_upload": upload body cap in bytes (1 GiB) */
	int conn_timeout;	/* key "conn_timeout": idle connection timeout, seconds */
	int db_busy_ms;		/* key "db_busy_ms": SQLite busy timeout */
	int db_mmap_mb;		/* key "db_mmap_mb": SQLite memory map per connection, MiB
				 * (2048; 0 = none; docs/store.md) */
	int db_cache_mb;	/* key "db_cache_mb": SQLite page cache per connection, MiB
				 * (0 = SQLite's default, 2000 KiB) */
	int session_idle;	/* key "session_idle": session idle expiry, seconds (1800) */
	int session_absolute;	/* key "session_absolute": session lifetime, seconds (43200) */
	int rate_anon_per_min;	/* key "rate_anon_per_min": anonymous API requests per address
				 * and minute (600; 0 = no limit) */
	int rate_anon_burst;	/* key "rate_anon_burst": bucket size for those (100) */
	int rate_login_per_min; /* key "rate_login_per_min": login attempts per address and
				 * minute (10; 0 = no limit) */
	int rate_login_burst;	/* key "rate_login_burst": bucket size for logins (5) */
	int timers;		/* key "timers": on|off, whether serve fires the spot-check
				 * lifecycle's timers daily (on; docs/inspections.md) */
	int stats_min_batches;	/* key "stats_min_batches": spot-check statistics' groups with
				 * fewer tested batches are marked unreliable (30) */
	char config_file[512];	/* where the file came from, or "" */
	/* Where each key's value came from, indexed like zl_config_keys(). */
	enum zl_config_source source[32];
};

/* Fill with built-in defaults. */
void zl_config_defaults(struct zl_config *c);
/*
 * Read `path` (if NULL, use $ZHILIANG_CONFIG, else ./zhiliang.conf if it
 * exists, else nothing) and then the environment.  On error fills `err`
 * with the file:line or the variable name in `field`.
 */
int zl_config_load(struct zl_config *c, const char *path, struct zl_error *err);
/*
 * Parse config-file text `text[0..n)` (need not be NUL-terminated) as if it
 * had been read from a file called `name` (used in messages; "" allowed),
 * applying its settings with source ZL_CFG_FILE.  A leading UTF-8 BOM is
 * skipped; `#` starts a comment only at the start of a line (values such
 * as database URLs may contain '#'); a value may be wrapped in double or
 * single quotes.  Errors (no '=', unknown or repeated key, bad value,
 * invalid UTF-8, NUL byte, line over 4 KiB) return ZL_EINVAL with
 * err->field "NAME:LINE" (the name shortened from the left to fit) and a
 * message that starts with "NAME:LINE: ".  All or nothing: on error `c`
 * is unchanged.  zl_config_load() reads a file through this.
 */
int zl_config_load_text(struct zl_config *c, const char *text, size_t n, const char *name,
			struct zl_error *err);
/* Set one key from a string, recording `src`; validates the value. */
int zl_config_set(struct zl_config *c, const char *key, const char *value,
		  enum zl_config_source src, struct zl_error *err);
/* Check cross-field constraints (e.g. db URL scheme, addr syntax). */
int zl_config_validate(const struct zl_config *c, struct zl_error *err);
/* NULL-terminated list of key names, in a stable order. */
const char *const *zl_config_keys(void);
/* Current value of `key` rendered as text into dst; ZL_ENOTFOUND if unknown. */
int zl_config_get(const struct zl_config *c, const char *key, char *dst, size_t dstlen);
/* "default" | "file" | "env" | "flag" */
const char *zl_config_source_name(enum zl_config_source s);

#endif /* ZL_CORE_CONFIG_H */
