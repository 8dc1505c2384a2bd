/*
 * routes.c - `zhiliang routes [--markdown|--json]`: the HTTP route table
 * (src/http/routes.def) as Markdown (the content of docs/api.md; a test
 * checks they are equal) or as JSON.
 */
#include "cli/cli.h"
#include "http/routes.h"

int cmd_routes(struct zl_ctx *ctx, int argc, char **argv);

int cmd_routes(struct zl_ctx *ctx, int argc, char **argv)
{
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_buf out = ZL_BUF_INIT(1u << 20);
	int json = 0, rc;

	(void)ctx;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json")) {
			json = 1;
		} else if (!strcmp(argv[i], "--markdown")) {
			json = 0;
		} else {
			fprintf(stderr, "usage: zhiliang routes [--markdown|--json]\n");
			return ZL_EXIT_USAGE;
		}
	}
	rc = json ? zl_routes_json(&out, &err) : zl_routes_markdown(&out, &err);
	if (rc) {
		zl_cli_error("routes", &err);
		zl_buf_release(&out);
		return ZL_EXIT_FAIL;
	}
	fwrite(out.data, 1, out.len, stdout);
	zl_buf_release(&out);
	return fflush(stdout) ? ZL_EXIT_FAIL : ZL_EXIT_OK;
}
