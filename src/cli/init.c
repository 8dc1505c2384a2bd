/*
 * init.c - `zhiliang init [--demo]`: create (or upgrade) the database, load
 * the dated code tables (GB/T 2260 regions, GB/T 4754 industries) and the
 * organization tree (real organizations, not demo data), and with --demo
 * create the demo administrator and mark the instance as a demonstration so
 * later modules add their demo records.  Idempotent: running it again
 * changes nothing but the tables whose data the program has newer versions
 * of, and keeps an existing administrator's password.
 */
#include <fcntl.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/cli_audit.h"
#include "core/password.h"
#include "core/rand.h"
#include "store/codes.h"
#include "store/demo.h"
#include "store/meta.h"
#include "store/migrate.h"
#include "store/orgs.h"
#include "store/stats.h"
#include "store/users.h"

/* demo-login.txt beside a SQLite database file; ZL_ENOTFOUND for other URLs. */
static int demo_login_path(const char *url, char *out, size_t n)
{
	const char *p, *slash;
	size_t dir;

	if (strncmp(url, "sqlite:", 7) || !strcmp(url + 7, ":memory:"))
		return ZL_ENOTFOUND;
	p = url + 7;
	slash = strrchr(p, '/');
	dir = slash ? (size_t)(slash - p) + 1 : 0; /* keep the '/' */
	if (dir + sizeof("demo-login.txt") > n)
		return ZL_ETOOBIG;
	memcpy(out, p, dir);
	memcpy(out + dir, "demo-login.txt", sizeof("demo-login.txt"));
	return ZL_OK;
}

/*
 * The demo administrator: account "admin", role admin of the province
 * (410000).  Its password comes from $ZHILIANG_DEMO_PASSWORD, else it is
 * generated; it is printed once and, for a SQLite database, kept in
 * demo-login.txt (mode 0600) beside the database so `make run` can show it
 * again.  Nothing is done when the account exists.
 */
static int demo_admin(struct zl_db *db, const char *db_url, char hash_out[128],
		      struct zl_error *err)
{
	static const char alphabet[] = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
	char password[32], hash[128], path[600];
	unsigned char rnd[16];
	const char *env = getenv("ZHILIANG_DEMO_PASSWORD");
	char org[ZL_ORG_PATH_MAX];
	int rc;

	hash_out[0] = '\0';
	rc = zl_store_user_org_path(db, "admin", org, sizeof(org), err);
	if (rc == ZL_OK)
		return ZL_OK; /* already there: keep its password */
	if (rc != ZL_ENOTFOUND)
		return rc;
	zl_error_clear(err);
	if (env && *env) {
		snprintf(password, sizeof(password), "%s", env);
	} else {
		zl_random_token(rnd, sizeof(rnd));
		for (size_t i = 0; i < sizeof(rnd); i++)
			password[i] = alphabet[rnd[i] % (sizeof(alphabet) - 1)];
		password[sizeof(rnd)] = '\0';
	}
	if (zl_password_policy(password, "admin", err) || zl_password_hash(password, hash, err))
		return err->code;
	if (zl_db_begin(db, err))
		return err->code;
	if (zl_store_user_create(db, "admin", hash, "410000", "admin", "演示管理员", err) ||
	    zl_cli_audit(db, "user.create", "user:admin", NULL, NULL, "demo administrator", err) ||
	    zl_db_commit(db, err)) {
		zl_db_rollback(db);
		return err->code;
	}
	printf("demo administrator: admin / %s\n", password);
	memcpy(hash_out, hash, sizeof(hash));
	if (demo_login_path(db_url, path, sizeof(path)) == ZL_OK) {
		FILE *f;
		int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

		if (fd >= 0 && (f = fdopen(fd, "w")) != NULL) {
			fprintf(f, "admin %s\n", password);
			fclose(f);
		} else if (fd >= 0) {
			close(fd);
		}
	}
	return ZL_OK;
}

/*
 * Demo accounts of the roles spot checks need, with the administrator's
 * password (`hash`; "" when the administrator existed already, and then
 * nothing is done: they were made with it): before the draws the
 * inspectors and the laboratory's account, after them (`enterprise` the
 * USCC of the organization zl_store_demo_inspections made) the
 * enterprise's account.  Demo data only: one hash for all of them.
 */
struct demo_account {
	const char *username, *org, *role, *name;
};

static int demo_accounts(struct zl_db *db, const char *hash, const char *enterprise,
			 struct zl_error *err)
{
	static const struct demo_account before[] = {
		{"demo.insp.zj1", "410000-D006", "inspector", "演示检查员张"},
		{"demo.insp.zj2", "410000-D006", "inspector", "演示检查员王"},
		{"demo.insp.zj3", "410000-D006", "inspector", "演示检查员李"},
		{"demo.insp.ly1", "410300", "inspector", "演示检查员赵"},
		{"demo.insp.ly2", "410305", "inspector", "演示检查员刘"},
		{"demo.lab", "410000-L001", "lab", "演示检验员"},
	};
	struct demo_account after = {"demo.enterprise", enterprise, "enterprise", "演示企业质量负责人"};
	const struct demo_account *v = enterprise ? &after : before;
	size_t n = enterprise ? 1 : sizeof(before) / sizeof(before[0]);
	char target[64];

	if (hash[0] == '\0' || (enterprise && enterprise[0] == '\0'))
		return ZL_OK;
	if (zl_db_begin(db, err))
		return err->code;
	for (size_t i = 0; i < n; i++) {
		snprintf(target, sizeof(target), "user:%s", v[i].username);
		if (zl_store_user_create(db, v[i].username, hash, v[i].org, v[i].role, v[i].name,
					 err) ||
		    zl_cli_audit(db, "user.create", target, NULL, NULL, "demo account", err)) {
			zl_db_rollback(db);
			return err->code;
		}
		printf("demo account: %s (%s in %s), the administrator's password\n", v[i].username,
		       v[i].role, v[i].org);
	}
	return zl_db_commit(db, err);
}

int cmd_init(struct zl_ctx *ctx, int argc, char **argv);

/*
 * The demo register: 20,000 synthetic enterprises with valid codes, drawn
 * from a fixed seed so every demo database is the same (and a second run
 * changes nothing); then the demo plan ledger, its dates counted from today;
 * then the key-product catalogue and the 2014 spot-check plans; then the
 * demo accounts of spot checks, a draw with its inspections, and an enterprise
 * account of the enterprise that failed; last, five years (2010-2014) of
 * historical results, whose plans and inspections come after the current
 * ones (their ids do not move).
 */
#define DEMO_ENTERPRISES 20000
#define DEMO_SEED "zhiliang demo 2014"

static int demo_data(struct zl_db *db, const char *hash, struct zl_error *err)
{
	struct zl_rng rng;
	struct zl_demo_history hist;
	char today[16], enterprise[24];
	int rc;

	zl_rng_seed_str(&rng, DEMO_SEED);
	rc = zl_store_demo_enterprises(db, &rng, DEMO_ENTERPRISES, err);
	zl_rng_release(&rng);
	if (rc == ZL_OK) {
		zl_store_org_today(today);
		rc = zl_store_demo_plans(db, today, err);
	}
	if (rc == ZL_OK)
		rc = zl_store_demo_spotchecks(db, today, err);
	if (rc == ZL_OK)
		rc = demo_accounts(db, hash, NULL, err);
	if (rc == ZL_OK)
		rc = zl_store_demo_inspections(db, today, enterprise, err);
	if (rc == ZL_OK)
		rc = demo_accounts(db, hash, enterprise, err);
	if (rc == ZL_OK)
		rc = zl_store_demo_history(db, 1000, &hist, err);
	if (rc == ZL_OK && hist.inspections > 0)
		printf("demo history: %lld inspections of 2010-2014 (%lld failed) by %lld authorities\n",
		       (long long)hist.inspections, (long long)hist.failed,
		       (long long)hist.authorities);
	return rc;
}

int cmd_init(struct zl_ctx *ctx, int argc, char **argv)
{
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_store_count counts[32];
	char hash[128];
	struct zl_db *db;
	size_t n = 0;
	int demo = 0, version = 0;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--demo")) {
			demo = 1;
		} else {
			fprintf(stderr, "usage: zhiliang init [--demo] [--db URL]\n");
			return ZL_EXIT_USAGE;
		}
	}
	/* The demo writes some 200,000 inspections: a page cache that holds their
	 * indexes keeps SQLite from spilling pages mid-transaction. */
	if (demo && ctx->cfg.db_cache_mb == 0)
		ctx->cfg.db_cache_mb = 64;
	db = zl_cli_open_db(ctx, "init", 1);
	if (!db)
		return ZL_EXIT_FAIL;
	if (zl_store_load_codes(db, &err) || zl_store_load_orgs(db, &err))
		goto fail;
	if (demo && (zl_store_meta_set(db, "demo", "1", &err) ||
		     demo_admin(db, ctx->cfg.db, hash, &err) || demo_data(db, hash, &err)))
		goto fail;
	/* Record the run: loading code tables and organizations changes data. */
	if (zl_db_begin(db, &err))
		goto fail;
	if (zl_cli_audit(db, "system.init", "database", NULL, NULL,
			 demo ? "code tables and organizations loaded (demo)"
			      : "code tables and organizations loaded",
			 &err) ||
	    zl_db_commit(db, &err)) {
		zl_db_rollback(db);
		goto fail;
	}
	if (zl_store_schema_version(db, &version, &err) ||
	    zl_store_counts(db, counts, sizeof(counts) / sizeof(counts[0]), &n, &err))
		goto fail;
	printf("database ready: %s (%s, schema version %d%s)\n", ctx->cfg.db, zl_db_backend(db),
	       version, demo ? ", demo" : "");
	for (size_t i = 0; i < n; i++)
		printf("  %-12s %lld\n", counts[i].name, (long long)counts[i].count);
	return ZL_EXIT_OK;
fail:
	zl_cli_error("init", &err);
	return ZL_EXIT_FAIL;
}
