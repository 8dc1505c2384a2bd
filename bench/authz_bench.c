/*
 * authz_bench.c - the per-request cost of authorization, in microseconds:
 *   1. zl_authz_check() with a target (pure: bits and a prefix compare);
 *   2. reading the cookie and hashing it (zl_cookie_get + SHA-256);
 *   3. zl_store_session_principal() on SQLite with a warm statement cache
 *      (the indexed session lookup joined with the user and organization);
 *   4. zl_store_org_path() (the extra lookup of a "param:code" route).
 *
 * Usage: authz_bench [ITERATIONS] [DB_URL]   (defaults 200000 and a scratch
 * SQLite file under /tmp).  Prints one line per measurement:
 *   "authz_check_us 0.004" ...  Results go to stdout only.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "db/db.h"
#include "domain/audit.h"
#include "domain/authz.h"
#include "http/cookie.h"
#include "store/migrate.h"
#include "store/orgs.h"
#include "store/sessions.h"
#include "store/users.h"

#define TOKEN "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
#define CSRF "60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752"
#define HASH "$argon2id$v=19$m=8192,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2g"

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int die(const char *what, const struct zl_error *e)
{
	fprintf(stderr, "authz_bench: %s: %s\n", what, e->message);
	return 1;
}

int main(int argc, char **argv)
{
	long iters = argc > 1 ? strtol(argv[1], NULL, 10) : 200000;
	char url[600], path[ZL_ORG_PATH_MAX], hash[65], cookie[ZL_CREDENTIAL_MAX];
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_principal p;
	struct zl_user u;
	struct zl_db *db = NULL;
	int64_t now = (int64_t)time(NULL);
	volatile int sink = 0;
	double t0, t;
	char tmp[] = "/tmp/zl-authz-bench-XXXXXX";
	int fd = -1;

	if (iters <= 0)
		iters = 200000;
	if (argc > 2) {
		snprintf(url, sizeof(url), "%s", argv[2]);
	} else {
		fd = mkstemp(tmp);
		if (fd < 0) {
			perror("mkstemp");
			return 1;
		}
		close(fd);
		snprintf(url, sizeof(url), "sqlite:%s", tmp);
	}
	if (zl_db_open(url, NULL, &db, &err) || zl_store_migrate(db, NULL, &err) ||
	    zl_store_load_orgs(db, &err))
		return die("setup", &err);
	if (zl_store_user_get(db, "bench.officer", &u, &err) == ZL_ENOTFOUND &&
	    zl_store_user_create(db, "bench.officer", HASH, "410100", "officer", NULL, &err))
		return die("user", &err);
	zl_sha256_hex(TOKEN, 64, hash);
	if (zl_store_session_create(db, hash, "bench.officer", CSRF, now, now + 43200, NULL, NULL,
				    &err) &&
	    err.code != ZL_ECONFLICT)
		return die("session", &err);

	/* 1. the decision */
	if (zl_store_session_principal(db, hash, now, 1800, &p, &err))
		return die("session lookup", &err);
	t0 = now_s();
	for (long i = 0; i < iters * 10; i++)
		sink += zl_authz_check(&p, ZL_PERM_ORG_READ, "/410000/410100/410102/", &err);
	t = now_s() - t0;
	printf("authz_check_us %.4f\n", t * 1e6 / (double)(iters * 10));

	/* 2. cookie and hash */
	t0 = now_s();
	for (long i = 0; i < iters; i++) {
		sink += zl_cookie_get("theme=dark; zl_session=" TOKEN "; lang=zh-CN", "zl_session",
				      cookie, sizeof(cookie));
		zl_sha256_hex(cookie, 64, hash);
	}
	t = now_s() - t0;
	printf("cookie_parse_and_hash_us %.3f\n", t * 1e6 / (double)iters);

	/* 3. the session lookup (warm: the statement is cached after the first call) */
	t0 = now_s();
	for (long i = 0; i < iters; i++)
		sink += zl_store_session_principal(db, hash, now, 1800, &p, &err);
	t = now_s() - t0;
	if (sink)
		return die("session lookup in loop", &err);
	printf("session_principal_us %.3f\n", t * 1e6 / (double)iters);

	/* 4. a target lookup */
	t0 = now_s();
	for (long i = 0; i < iters; i++)
		sink += zl_store_org_path(db, "410102", path, sizeof(path), &err);
	t = now_s() - t0;
	printf("org_path_us %.3f\n", t * 1e6 / (double)iters);
	printf("iterations %ld backend %s\n", iters,
	       strncmp(url, "sqlite:", 7) ? "postgres" : "sqlite");

	zl_db_close(db);
	if (fd >= 0) {
		char side[64];

		unlink(tmp);
		snprintf(side, sizeof(side), "%s-wal", tmp);
		unlink(side);
		snprintf(side, sizeof(side), "%s-shm", tmp);
		unlink(side);
	}
	return sink ? 1 : 0;
}
