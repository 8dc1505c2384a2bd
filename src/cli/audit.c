/*
 * audit.c - `zhiliang audit`: check and read the audit trail.
 *
 *   audit verify [--head SEQ:HASH]  recompute the hash chain; exit 0 when
 *                                   intact, 1 naming the first broken row
 *   audit head                      print the latest row as SEQ:HASH, to be
 *                                   recorded outside the database
 *   audit list [--limit N] [--actor A] [--action X]
 *                                   the most recent rows, tab-separated
 *
 * The chain alone cannot show that rows were cut off its end (the rest
 * still links up); a head recorded earlier and given to --head can: that
 * row must still be there with the same hash.  See docs/audit.md.
 * These commands only read: they never migrate or write the database.
 */
#include <errno.h>
#include <inttypes.h>

#include "cli/cli.h"
#include "store/audit.h"

int cmd_audit(struct zl_ctx *ctx, int argc, char **argv);

#define USAGE                                                                                      \
	"usage: zhiliang audit verify [--head SEQ:HASH] [--db URL]\n"                              \
	"       zhiliang audit head [--db URL]\n"                                                  \
	"       zhiliang audit list [--limit N] [--actor NAME] [--action ACTION] [--db URL]\n"

static int usage(void)
{
	fputs(USAGE, stderr);
	return ZL_EXIT_USAGE;
}

/* Parse "SEQ:HASH" (SEQ >= 1, HASH 64 lowercase hex digits). */
static int parse_head(const char *s, int64_t *seq, char hash[ZL_SHA256_HEX_LEN + 1])
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || end == s || *end != ':' || v < 1 || !zl_audit_is_hash(end + 1))
		return ZL_EINVAL;
	*seq = v;
	zl_strlcpy(hash, end + 1, ZL_SHA256_HEX_LEN + 1);
	return ZL_OK;
}

static int do_verify(struct zl_ctx *ctx, int argc, char **argv)
{
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_audit_verify_result r;
	char want[ZL_SHA256_HEX_LEN + 1], have[ZL_SHA256_HEX_LEN + 1];
	int64_t head_seq = 0;
	struct zl_db *db;
	int rc;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--head") && i + 1 < argc) {
			if (parse_head(argv[++i], &head_seq, want) != ZL_OK) {
				fprintf(stderr, "zhiliang audit: --head wants SEQ:HASH (as printed"
						" by 'zhiliang audit head')\n");
				return ZL_EXIT_USAGE;
			}
		} else {
			return usage();
		}
	}
	db = zl_cli_open_db(ctx, "audit", 0);
	if (!db)
		return ZL_EXIT_FAIL;
	if (zl_store_audit_verify(db, &r, &err) != ZL_OK) {
		zl_cli_error("audit", &err);
		return ZL_EXIT_FAIL;
	}
	if (r.first_bad != 0) {
		printf("audit trail broken at row %" PRId64 ": %s\n", r.first_bad, r.reason);
		return ZL_EXIT_FAIL;
	}
	if (head_seq > 0) {
		/* The chain is intact, so row head_seq is what the recorded head
		 * says only if nothing up to it was rewritten or cut off. */
		rc = zl_store_audit_hash_at(db, head_seq, have, &err);
		if (rc == ZL_ENOTFOUND) {
			printf("audit trail broken at row %" PRId64
			       ": row missing (the trail has %" PRId64 " rows; truncated?)\n",
			       head_seq, r.rows);
			return ZL_EXIT_FAIL;
		}
		if (rc != ZL_OK) {
			zl_cli_error("audit", &err);
			return ZL_EXIT_FAIL;
		}
		if (strcmp(have, want) != 0) {
			printf("audit trail broken at row %" PRId64
			       ": row_hash differs from the recorded head (trail rewritten)\n",
			       head_seq);
			return ZL_EXIT_FAIL;
		}
		printf("audit trail intact: %" PRId64 " rows (row %" PRId64
		       " matches the recorded head)\n",
		       r.rows, head_seq);
		return ZL_EXIT_OK;
	}
	printf("audit trail intact: %" PRId64 " rows\n", r.rows);
	return ZL_EXIT_OK;
}

static int do_head(struct zl_ctx *ctx, int argc)
{
	struct zl_error err = ZL_ERROR_INIT;
	char hash[ZL_SHA256_HEX_LEN + 1];
	int64_t seq = 0;
	struct zl_db *db;

	if (argc > 1)
		return usage();
	db = zl_cli_open_db(ctx, "audit", 0);
	if (!db)
		return ZL_EXIT_FAIL;
	if (zl_store_audit_head(db, &seq, hash, &err) != ZL_OK) {
		zl_cli_error("audit", &err);
		return ZL_EXIT_FAIL;
	}
	printf("%" PRId64 ":%s\n", seq, hash);
	return ZL_EXIT_OK;
}

/* One field of a tab-separated line: tabs and line breaks become spaces. */
static void put_field(const char *s, int last)
{
	for (; *s; s++)
		putchar(*s == '\t' || *s == '\n' || *s == '\r' ? ' ' : *s);
	putchar(last ? '\n' : '\t');
}

static int print_row(void *arg, const struct zl_audit_record *r)
{
	(void)arg;
	printf("%" PRId64 "\t", r->f.seq);
	put_field(r->f.at, 0);
	put_field(r->f.actor, 0);
	put_field(r->f.org, 0);
	put_field(r->f.action, 0);
	put_field(r->f.target, 0);
	put_field(r->f.request_id, 0);
	put_field(r->f.detail, 1);
	return ferror(stdout) ? ZL_EIO : ZL_OK;
}

static int do_list(struct zl_ctx *ctx, int argc, char **argv)
{
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_audit_filter f = {0};
	long long limit = 50;
	struct zl_db *db;
	int rc;

	for (int i = 1; i < argc; i++) {
		if (i + 1 >= argc)
			return usage();
		if (!strcmp(argv[i], "--limit")) {
			char *end;

			errno = 0;
			limit = strtoll(argv[++i], &end, 10);
			if (errno != 0 || *end != '\0' || end == argv[i] || limit < 1) {
				fprintf(stderr,
					"zhiliang audit: --limit wants a positive number\n");
				return ZL_EXIT_USAGE;
			}
		} else if (!strcmp(argv[i], "--actor")) {
			f.actor = argv[++i];
		} else if (!strcmp(argv[i], "--action")) {
			f.action = argv[++i];
		} else {
			return usage();
		}
	}
	db = zl_cli_open_db(ctx, "audit", 0);
	if (!db)
		return ZL_EXIT_FAIL;
	rc = zl_store_audit_list(db, &f, limit, print_row, NULL, &err);
	if (rc == ZL_EIO) {
		fprintf(stderr, "zhiliang audit: cannot write the output\n");
		return ZL_EXIT_FAIL;
	}
	if (rc != ZL_OK) {
		zl_cli_error("audit", &err);
		return ZL_EXIT_FAIL;
	}
	return ZL_EXIT_OK;
}

int cmd_audit(struct zl_ctx *ctx, int argc, char **argv)
{
	if (argc < 2)
		return usage();
	if (!strcmp(argv[1], "verify"))
		return do_verify(ctx, argc - 1, argv + 1);
	if (!strcmp(argv[1], "head"))
		return do_head(ctx, argc - 1);
	if (!strcmp(argv[1], "list"))
		return do_list(ctx, argc - 1, argv + 1);
	return usage();
}
