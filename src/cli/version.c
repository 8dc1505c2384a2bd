/*
 * version.c - `zhiliang version`: the program version and what it was
 * built with, so a bug report names the exact build.
 */
#include <cjson/cJSON.h>
#include <sodium.h>
#include <libpq-fe.h>
#include <sqlite3.h>

#include "cli/cli.h"

int cmd_version(struct zl_ctx *ctx, int argc, char **argv);

int cmd_version(struct zl_ctx *ctx, int argc, char **argv)
{
	(void)ctx;
	(void)argv;
	if (argc > 1) {
		fprintf(stderr, "usage: zhiliang version\n");
		return ZL_EXIT_USAGE;
	}
	printf("zhiliang %s\n", zl_version());
	printf("sqlite %s, libpq %d, libsodium %s, cJSON %s\n", sqlite3_libversion(), PQlibVersion(),
	       sodium_version_string(), cJSON_Version());
	return ZL_EXIT_OK;
}
