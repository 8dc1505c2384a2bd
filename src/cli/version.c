/*
 * version.c - `zhiliang version`: the program version and what it was
 * built with, so a bug report names the exact build.
 */
#include <cjson/cJSON.h>
#include <sodium.h>

#include "cli/cli.h"

int cmd_version(struct zl_ctx *ctx, int argc, char **argv);

int cmd_version(struct zl_ctx *ctx, int argc, char **argv)
{
	char libs[160];

	(void)ctx;
	(void)argv;
	if (argc > 1) {
		fprintf(stderr, "usage: zhiliang version\n");
		return ZL_EXIT_USAGE;
	}
	printf("zhiliang %s\n", zl_version());
	zl_db_library_versions(libs, sizeof(libs));
	printf("%s, libsodium %s, cJSON %s\n", libs, sodium_version_string(), cJSON_Version());
	return ZL_EXIT_OK;
}
