/*
 * plan.c - `zhiliang plan parse FILE [--encoding auto|utf-8|gbk]`: read a
 * work plan as text (UTF-8, UTF-8 with BOM, UTF-16 with BOM, or GBK /
 * GB18030, detected as core/text.h does), parse it (domain/plan.h) and
 * print it as one JSON object on stdout (docs/plans.md).  FILE "-" reads
 * stdin.
 *
 * Exit status: 0 when the text is a plan; 1 when it is not (no numbered
 * item carries a task attribution; the message says what was found) or
 * memory ran out; 2 for a usage error, a file that cannot be read, or
 * bytes that are not text in the encoding (the message names the byte
 * offset and line).
 */
#include <errno.h>
#include <fcntl.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/buf.h"
#include "core/jw.h"
#include "core/text.h"
#include "domain/plan.h"

int cmd_plan(struct zl_ctx *ctx, int argc, char **argv);

#define USAGE "usage: zhiliang plan parse FILE|- [--encoding auto|utf-8|gbk]\n"

/* Read all of fd into b (capped by b->max). */
static int read_fd(int fd, const char *path, struct zl_buf *b, struct zl_error *err)
{
	char chunk[65536];
	ssize_t n;

	while ((n = read(fd, chunk, sizeof(chunk))) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return zl_error_set(err, ZL_EIO, "", "%s: %s", path, strerror(errno));
		}
		if (zl_buf_add(b, chunk, (size_t)n))
			return zl_error_set(err, ZL_ETOOBIG, "",
					    "%s: larger than %zu bytes, too large for a plan", path,
					    (size_t)ZL_PLAN_MAX_INPUT);
	}
	return ZL_OK;
}

static int read_input(const char *path, struct zl_buf *b, struct zl_error *err)
{
	struct stat st;
	int fd, rc;

	if (!strcmp(path, "-"))
		return read_fd(STDIN_FILENO, "stdin", b, err);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return zl_error_set(err, ZL_EIO, "", "%s: %s", path, strerror(errno));
	if (fstat(fd, &st) != 0 || S_ISDIR(st.st_mode)) {
		rc = zl_error_set(err, ZL_EIO, "", "%s: %s", path,
				  S_ISDIR(st.st_mode) ? "is a directory" : strerror(errno));
		close(fd);
		return rc;
	}
	rc = read_fd(fd, path, b, err);
	close(fd);
	return rc;
}

int cmd_plan(struct zl_ctx *ctx, int argc, char **argv)
{
	struct zl_buf raw = ZL_BUF_INIT(ZL_PLAN_MAX_INPUT), text = ZL_BUF_INIT(ZL_PLAN_MAX_INPUT),
		      json = ZL_BUF_INIT((size_t)1 << 31);
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_plan plan;
	struct zl_jw w;
	const char *file = NULL, *forced = NULL;
	enum zl_encoding enc;
	int rc = ZL_EXIT_USAGE;

	(void)ctx;
	zl_plan_init(&plan);
	if (argc < 2 || strcmp(argv[1], "parse"))
		goto usage;
	for (int i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "--encoding") && i + 1 < argc)
			forced = argv[++i];
		else if (!strncmp(argv[i], "--encoding=", 11))
			forced = argv[i] + 11;
		else if ((argv[i][0] != '-' || !strcmp(argv[i], "-")) && !file)
			file = argv[i];
		else
			goto usage;
	}
	if (!file || (forced && strcmp(forced, "auto") && strcasecmp(forced, "utf-8") &&
		      strcasecmp(forced, "utf8") && strcasecmp(forced, "gbk") &&
		      strcasecmp(forced, "gb18030")))
		goto usage;

	if (read_input(file, &raw, &err) != ZL_OK)
		goto fail;
	if (!forced || !strcmp(forced, "auto"))
		enc = zl_text_detect(raw.data ? raw.data : "", raw.len);
	else if (!strcasecmp(forced, "gbk") || !strcasecmp(forced, "gb18030"))
		enc = ZL_ENC_GB18030;
	else
		enc = raw.len >= 3 && !memcmp(raw.data, "\xEF\xBB\xBF", 3) ? ZL_ENC_UTF8_BOM
									   : ZL_ENC_UTF8;
	if (zl_text_to_utf8(raw.data ? raw.data : "", raw.len, enc, &text, &err) != ZL_OK) {
		char msg[ZL_ERR_MSG_MAX];

		zl_strlcpy(msg, err.message, sizeof(msg));
		zl_error_set(&err, err.code, "", "%s is not %s text: %s", file,
			     zl_encoding_name(enc), msg);
		goto fail;
	}
	zl_buf_release(&raw);

	rc = ZL_EXIT_FAIL;
	if (zl_plan_parse(zl_buf_str(&text), text.len, &plan, &err) != ZL_OK)
		goto fail;
	if (zl_plan_check(&plan, &err) != ZL_OK) {
		char msg[ZL_ERR_MSG_MAX];

		zl_strlcpy(msg, err.message, sizeof(msg));
		zl_error_set(&err, err.code, "", "%s: %s", file, msg);
		goto fail;
	}
	zl_jw_init(&w, &json);
	if (zl_plan_write_json(&plan, &w) != ZL_OK || zl_buf_addch(&json, '\n') != ZL_OK) {
		zl_error_set(&err, ZL_ENOMEM, "", "out of memory writing the JSON");
		goto fail;
	}
	if (fwrite(json.data, 1, json.len, stdout) != json.len) {
		zl_error_set(&err, ZL_EIO, "", "cannot write to stdout");
		goto fail;
	}
	rc = ZL_EXIT_OK;
	goto out;
usage:
	fputs(USAGE, stderr);
	goto out;
fail:
	/* Input that is not readable text is the caller's to fix: status 2. */
	if (err.code == ZL_EIO || err.code == ZL_EINVAL || err.code == ZL_ETOOBIG)
		rc = ZL_EXIT_USAGE;
	zl_cli_error("plan", &err);
out:
	zl_plan_release(&plan);
	zl_buf_release(&raw);
	zl_buf_release(&text);
	zl_buf_release(&json);
	return rc;
}
