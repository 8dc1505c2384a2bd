/*
 * user.c - `zhiliang user`: manage accounts from the command line (the
 * first administrator of an installation is made this way).
 *
 *   user add USERNAME --org CODE --role ROLE [--display-name NAME] [--password-stdin]
 *   user list [--org CODE]
 *   user disable USERNAME
 *   user passwd USERNAME --password-stdin
 *
 * Without --password-stdin, `add` generates a random 16-character password
 * and prints it once.  Passwords read from stdin are the first line
 * (without its line ending) and must pass the password policy.  Every
 * change is written with its audit row (actor "cli:USER") in one
 * transaction.
 */
#include <string.h>

#include <sodium.h>

#include "cli/cli.h"
#include "cli/cli_audit.h"
#include "core/buf.h"
#include "core/password.h"
#include "core/rand.h"
#include "http/identity.h"
#include "store/sessions.h"
#include "store/users.h"

int cmd_user(struct zl_ctx *ctx, int argc, char **argv);

#define USAGE                                                                                      \
	"usage: zhiliang user add USERNAME --org CODE --role ROLE [--display-name NAME]"           \
	" [--password-stdin]\n"                                                                    \
	"       zhiliang user list [--org CODE]\n"                                                 \
	"       zhiliang user disable USERNAME\n"                                                  \
	"       zhiliang user passwd USERNAME --password-stdin\n"

/* No 0/O, 1/l/I: the password is read off a screen once. */
static const char alphabet[] = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

static void generate_password(char out[17])
{
	const unsigned n = sizeof(alphabet) - 1, limit = 256 - 256 % n;
	size_t i = 0;

	while (i < 16) {
		unsigned char b[32];
		zl_random_token(b, sizeof(b));
		/* Reject bytes past the last whole multiple of n: no modulo bias. */
		for (size_t k = 0; k < sizeof(b) && i < 16; k++)
			if (b[k] < limit)
				out[i++] = alphabet[b[k] % n];
		sodium_memzero(b, sizeof(b));
	}
	out[16] = '\0';
}

static int read_password(char *out, size_t n)
{
	size_t len;

	if (!fgets(out, (int)n, stdin))
		return -1;
	len = strlen(out);
	while (len > 0 && (out[len - 1] == '\n' || out[len - 1] == '\r'))
		out[--len] = '\0';
	return 0;
}

static char *user_json(const struct zl_user *u, struct zl_buf *b)
{
	struct zl_jw w;

	zl_buf_reset(b);
	zl_jw_init(&w, b);
	zl_user_write_json(&w, u);
	return zl_jw_error(&w) == ZL_OK ? (char *)zl_buf_str(b) : NULL;
}

static int user_add(struct zl_ctx *ctx, int argc, char **argv)
{
	const char *username = NULL, *org = NULL, *role = NULL, *display = NULL;
	struct zl_error err = ZL_ERROR_INIT;
	char pw[ZL_PASSWORD_MAX_BYTES + 8], hash[ZL_PASSWORD_HASH_MAX], target[64];
	struct zl_buf json = ZL_BUF_INIT(8192);
	struct zl_user u;
	struct zl_db *db;
	int from_stdin = 0, generated = 0, rc = ZL_EXIT_FAIL;

	for (int i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "--org") && i + 1 < argc)
			org = argv[++i];
		else if (!strcmp(argv[i], "--role") && i + 1 < argc)
			role = argv[++i];
		else if (!strcmp(argv[i], "--display-name") && i + 1 < argc)
			display = argv[++i];
		else if (!strcmp(argv[i], "--password-stdin"))
			from_stdin = 1;
		else if (argv[i][0] != '-' && !username)
			username = argv[i];
		else {
			fputs(USAGE, stderr);
			return ZL_EXIT_USAGE;
		}
	}
	if (!username || !org || !role) {
		fputs(USAGE, stderr);
		return ZL_EXIT_USAGE;
	}
	if (zl_username_valid(username, &err) != ZL_OK)
		goto fail;
	if (from_stdin) {
		if (read_password(pw, sizeof(pw)) != 0) {
			fprintf(stderr, "zhiliang user: no password on standard input\n");
			return ZL_EXIT_FAIL;
		}
		if (zl_password_policy(pw, username, &err) != ZL_OK)
			goto fail;
	} else {
		do
			generate_password(pw);
		while (zl_password_policy(pw, username, NULL) != ZL_OK);
		generated = 1;
	}
	if (zl_password_hash(pw, hash, &err) != ZL_OK)
		goto fail;
	db = zl_cli_open_db(ctx, "user", 1);
	if (!db)
		goto out;
	snprintf(target, sizeof(target), "user:%s", username);
	if (zl_db_begin(db, &err) != ZL_OK)
		goto fail;
	if (zl_store_user_create(db, username, hash, org, role, display, &err) != ZL_OK ||
	    zl_store_user_get(db, username, &u, &err) != ZL_OK ||
	    zl_cli_audit(db, "user.create", target, NULL, user_json(&u, &json), NULL, &err) !=
		    ZL_OK ||
	    zl_db_commit(db, &err) != ZL_OK) {
		zl_db_rollback(db);
		goto fail;
	}
	printf("created %s (%s in %s %s)\n", username, role, org, u.org_name);
	if (generated)
		printf("password: %s\n(shown once: give it to the user, who should change it)\n",
		       pw);
	rc = ZL_EXIT_OK;
	goto out;
fail:
	zl_cli_error("user", &err);
out:
	sodium_memzero(pw, sizeof(pw));
	sodium_memzero(hash, sizeof(hash));
	zl_buf_release(&json);
	return rc;
}

static int print_row(void *cls, const struct zl_user *u)
{
	(void)cls;
	printf("%-24s %-10s %-8s %-9s %s %s\n", u->username, u->role, u->org,
	       u->disabled ? "disabled" : "active", u->org_name, u->display_name);
	return ZL_OK;
}

static int user_list(struct zl_ctx *ctx, int argc, char **argv)
{
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_user_filter f;
	struct zl_db *db;
	int64_t total = 0;

	memset(&f, 0, sizeof(f));
	f.org_path = "/"; /* the command line sees the whole tree */
	f.disabled = -1;
	for (int i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "--org") && i + 1 < argc) {
			f.org = argv[++i];
		} else {
			fputs(USAGE, stderr);
			return ZL_EXIT_USAGE;
		}
	}
	db = zl_cli_open_db(ctx, "user", 1);
	if (!db)
		return ZL_EXIT_FAIL;
	printf("%-24s %-10s %-8s %-9s %s\n", "USERNAME", "ROLE", "ORG", "STATE", "ORG NAME / NAME");
	if (zl_store_user_list(db, &f, print_row, NULL, &total, &err) != ZL_OK) {
		zl_cli_error("user", &err);
		return ZL_EXIT_FAIL;
	}
	printf("%lld users\n", (long long)total);
	return ZL_EXIT_OK;
}

/* disable, or passwd with `hash` set. */
static int user_change(struct zl_ctx *ctx, const char *username, const char *hash)
{
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_buf before = ZL_BUF_INIT(8192), after = ZL_BUF_INIT(8192);
	struct zl_user_update up = {NULL, NULL, NULL, -1, hash};
	struct zl_user u;
	struct zl_db *db;
	char target[64];
	int rc = ZL_EXIT_FAIL;

	db = zl_cli_open_db(ctx, "user", 1);
	if (!db)
		return ZL_EXIT_FAIL;
	snprintf(target, sizeof(target), "user:%s", username);
	if (zl_db_begin(db, &err) != ZL_OK)
		goto fail;
	if (zl_store_user_get(db, username, &u, &err) != ZL_OK || !user_json(&u, &before))
		goto rollback;
	if (hash) {
		if (zl_store_user_update(db, username, &up, &err) != ZL_OK ||
		    zl_store_session_delete_user(db, username, &err) != ZL_OK)
			goto rollback;
	} else if (zl_store_user_disable(db, username, &err) != ZL_OK) {
		goto rollback;
	}
	if (zl_store_user_get(db, username, &u, &err) != ZL_OK ||
	    zl_cli_audit(db, hash ? "user.update" : "user.disable", target, zl_buf_str(&before),
			 user_json(&u, &after), hash ? "password changed" : NULL, &err) != ZL_OK ||
	    zl_db_commit(db, &err) != ZL_OK)
		goto rollback;
	printf(hash ? "password of %s changed\n" : "%s disabled\n", username);
	rc = ZL_EXIT_OK;
	goto out;
rollback:
	zl_db_rollback(db);
fail:
	zl_cli_error("user", &err);
out:
	sodium_memzero(u.password_hash, sizeof(u.password_hash));
	zl_buf_release(&before);
	zl_buf_release(&after);
	return rc;
}

int cmd_user(struct zl_ctx *ctx, int argc, char **argv)
{
	const char *sub = argc > 1 ? argv[1] : "";

	if (!strcmp(sub, "add"))
		return user_add(ctx, argc, argv);
	if (!strcmp(sub, "list"))
		return user_list(ctx, argc, argv);
	if (!strcmp(sub, "disable") && argc == 3)
		return user_change(ctx, argv[2], NULL);
	if (!strcmp(sub, "passwd") && argc == 4 && !strcmp(argv[3], "--password-stdin")) {
		struct zl_error err = ZL_ERROR_INIT;
		char pw[ZL_PASSWORD_MAX_BYTES + 8], hash[ZL_PASSWORD_HASH_MAX];
		int rc;
		if (read_password(pw, sizeof(pw)) != 0) {
			fprintf(stderr, "zhiliang user: no password on standard input\n");
			return ZL_EXIT_FAIL;
		}
		if (zl_password_policy(pw, argv[2], &err) != ZL_OK ||
		    zl_password_hash(pw, hash, &err) != ZL_OK) {
			sodium_memzero(pw, sizeof(pw));
			zl_cli_error("user", &err);
			return ZL_EXIT_FAIL;
		}
		sodium_memzero(pw, sizeof(pw));
		rc = user_change(ctx, argv[2], hash);
		sodium_memzero(hash, sizeof(hash));
		return rc;
	}
	fputs(USAGE, stderr);
	return ZL_EXIT_USAGE;
}
