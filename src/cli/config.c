/*
 * config.c - `zhiliang config check`: load the configuration exactly as the
 * server would (defaults, file, environment, flags), validate it, and print
 * every effective setting with where it came from.  Exit 1 when invalid.
 */
#include "cli/cli.h"

int cmd_config(struct zl_ctx *ctx, int argc, char **argv);

int cmd_config(struct zl_ctx *ctx, int argc, char **argv)
{
	struct zl_error err = ZL_ERROR_INIT;
	const char *const *keys = zl_config_keys();
	char value[600];

	if (argc != 2 || strcmp(argv[1], "check")) {
		fprintf(stderr, "usage: zhiliang config check [--config FILE]\n");
		return ZL_EXIT_USAGE;
	}
	printf("# configuration file: %s\n",
	       ctx->cfg.config_file[0] ? ctx->cfg.config_file : "(none)");
	for (size_t i = 0; keys[i]; i++) {
		if (zl_config_get(&ctx->cfg, keys[i], value, sizeof(value)))
			continue;
		printf("%s = %s\t# %s\n", keys[i], value,
		       zl_config_source_name(ctx->cfg.source[i]));
	}
	if (zl_config_validate(&ctx->cfg, &err)) {
		zl_cli_error("config", &err);
		return ZL_EXIT_FAIL;
	}
	printf("# ok\n");
	return ZL_EXIT_OK;
}
