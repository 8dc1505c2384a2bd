/*
 * common.c - helpers shared by the commands: opening the database named by
 * the configuration, printing errors, the version string.
 */
#include <errno.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "store/migrate.h"

#ifndef ZL_VERSION
#define ZL_VERSION "0.1.0"
#endif

const char *zl_version(void)
{
	return ZL_VERSION;
}

void zl_cli_error(const char *cmd, const struct zl_error *err)
{
	if (err->field[0])
		fprintf(stderr, "zhiliang %s: %s (%s)\n", cmd, err->message, err->field);
	else
		fprintf(stderr, "zhiliang %s: %s\n", cmd, err->message);
}

/*
 * For sqlite:PATH, create PATH's missing parent directories so that a fresh
 * checkout's `zhiliang init` can create ./var/zhiliang.db.
 */
static int make_parent_dirs(const char *url, struct zl_error *err)
{
	char path[512];
	const char *p;
	int n;

	if (strncmp(url, "sqlite:", 7) || !strcmp(url + 7, ":memory:"))
		return ZL_OK;
	p = url + 7;
	if (!strncmp(p, "//", 2))
		p += 2;
	n = snprintf(path, sizeof(path), "%s", p);
	if (n < 0 || (size_t)n >= sizeof(path))
		return zl_error_set(err, ZL_EINVAL, "db", "database path is too long");
	for (char *s = path + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(path, 0750) && errno != EEXIST) {
			int e = errno;

			*s = '/';
			return zl_error_set(err, ZL_EIO, "db", "cannot create directory for %s: %s",
					    p, strerror(e));
		}
		*s = '/';
	}
	return ZL_OK;
}

struct zl_db *zl_cli_open_db(struct zl_ctx *ctx, const char *cmd, int migrate)
{
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_db_options opt = {
		.busy_ms = ctx->cfg.db_busy_ms,
		.readonly = 0,
		.mmap_mb = ctx->cfg.db_mmap_mb > 0 ? ctx->cfg.db_mmap_mb : ZL_DB_MMAP_OFF,
		.cache_mb = ctx->cfg.db_cache_mb,
	};
	struct zl_db *db;
	int applied = 0;

	if (!ctx->pool) {
		if (make_parent_dirs(ctx->cfg.db, &err) ||
		    zl_db_pool_new(ctx->cfg.db, &opt, &ctx->pool, &err)) {
			zl_cli_error(cmd, &err);
			return NULL;
		}
	}
	db = zl_db_pool_get(ctx->pool, &err);
	if (!db) {
		zl_cli_error(cmd, &err);
		return NULL;
	}
	if (migrate) {
		if (zl_store_migrate(db, &applied, &err)) {
			zl_cli_error(cmd, &err);
			return NULL;
		}
		if (applied)
			zl_log_msg(&ctx->log, ZL_LOG_INFO, "applied %d database migration(s)",
				   applied);
	}
	return db;
}
