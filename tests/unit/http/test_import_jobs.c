/*
 * test_import_jobs.c - the background imports of http/import_jobs.h against a
 * migrated SQLite file: jobs run in submission order on the one worker, the
 * queue holds at most ZL_IMPORT_JOBS_WAITING (429 beyond), a job is only its
 * submitter's (404 for anyone else), its report is there once it is done
 * (409 before, 422 when it failed), and the upload file is gone after it ran.
 *
 * The worker is held on the first job by giving it a FIFO as the upload:
 * the engine's open() of it blocks until the test opens the other end.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "ctx.h"
#include "http/import_jobs.h"
#include "store/migrate.h"

/* A valid enterprise of 郑州 (GB 32100 check character). */
static const char good_csv[] = "统一社会信用代码,企业名称,所在地区\n"
			       "91410100MA9UPA012R,郑州任务测试机械有限公司,410102\n";

struct fixture {
	struct zl_ctx ctx;
	struct zl_import_jobs *jobs;
	char dir[64];
	struct zl_principal alice, bob;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct zl_error err = ZL_ERROR_INIT;
	char url[128];
	struct zl_db *db;
	int applied = 0;

	assert_non_null(f);
	snprintf(f->dir, sizeof(f->dir), "/tmp/zl-test-jobs-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	zl_config_defaults(&f->ctx.cfg);
	zl_log_init(&f->ctx.log, NULL, ZL_LOG_ERROR);
	snprintf(url, sizeof(url), "sqlite:%s/j.db", f->dir);
	if (zl_db_pool_new(url, NULL, &f->ctx.pool, &err) != ZL_OK ||
	    (db = zl_db_pool_get(f->ctx.pool, &err)) == NULL ||
	    zl_store_migrate(db, &applied, &err) != ZL_OK)
		fail_msg("database: %s", err.message);
	if (zl_import_jobs_new(&f->ctx, &f->jobs, &err) != ZL_OK)
		fail_msg("jobs: %s", err.message);
	zl_principal_anonymous(&f->alice);
	f->alice.kind = ZL_PRINCIPAL_USER;
	snprintf(f->alice.name, sizeof(f->alice.name), "alice");
	snprintf(f->alice.org, sizeof(f->alice.org), "410000");
	f->bob = f->alice;
	snprintf(f->bob.name, sizeof(f->bob.name), "bob");
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	char cmd[128];

	zl_import_jobs_free(f->jobs);
	zl_db_pool_free(f->ctx.pool);
	zl_log_release(&f->ctx.log);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", f->dir);
	assert_int_equal(system(cmd), 0);
	free(f);
	return 0;
}

static void write_file(const char *path, const char *text)
{
	FILE *fp = fopen(path, "wb");

	assert_non_null(fp);
	assert_int_equal(fwrite(text, 1, strlen(text), fp), strlen(text));
	assert_int_equal(fclose(fp), 0);
}

static int submit(struct fixture *f, const char *path, const struct zl_principal *who,
		  char id[ZL_IMPORT_JOB_ID_LEN + 1], struct zl_error *err)
{
	struct zl_import_job_spec s = {
		.path = path,
		.size = 100,
		.principal = who,
		.rid = "0123456789abcdef0123456789abcdef",
		.name = "jobs.csv",
	};

	return zl_import_jobs_submit(f->jobs, &s, id, err);
}

/* The job's state as JSON text (into a static buffer), or NULL with *rc set. */
static const char *status(struct fixture *f, const char *id, const struct zl_principal *who,
			  int *rc)
{
	static char text[65536];
	struct zl_resp resp;
	struct zl_error err = ZL_ERROR_INIT;

	memset(&resp, 0, sizeof(resp));
	zl_buf_init(&resp.body, 1u << 20);
	resp.fd = -1;
	*rc = zl_import_jobs_status(f->jobs, id, who, &resp, 200, &err);
	snprintf(text, sizeof(text), "%s", zl_buf_str(&resp.body));
	zl_buf_release(&resp.body);
	return *rc == ZL_OK ? text : NULL;
}

/* Wait (at most 10 s) until the job's JSON contains `want`. */
static void wait_for(struct fixture *f, const char *id, const char *want)
{
	const struct timespec tick = {0, 20 * 1000 * 1000};
	int rc;

	for (int i = 0; i < 500; i++) {
		const char *s = status(f, id, &f->alice, &rc);

		assert_int_equal(rc, ZL_OK);
		if (strstr(s, want))
			return;
		nanosleep(&tick, NULL);
	}
	fail_msg("job %s never showed %s", id, want);
}

static int report(struct fixture *f, const char *id)
{
	struct zl_req req;
	struct zl_resp resp;
	struct zl_arena arena;
	struct zl_error err = ZL_ERROR_INIT;
	int rc;

	memset(&req, 0, sizeof(req));
	memset(&resp, 0, sizeof(resp));
	zl_arena_init(&arena, 1u << 20);
	req.arena = &arena;
	req.principal = f->alice;
	zl_buf_init(&resp.body, 1u << 20);
	resp.fd = -1;
	rc = zl_import_jobs_report(f->jobs, id, &req, &resp, ZL_IMPORT_REPORT_CSV, &err);
	if (rc == ZL_OK)
		assert_non_null(strstr(zl_buf_str(&resp.body), "row,column,value,reason"));
	zl_buf_release(&resp.body);
	zl_arena_release(&arena);
	return rc;
}

static void test_jobs_queue_owner_report(void **state)
{
	struct fixture *f = *state;
	struct zl_error err = ZL_ERROR_INIT;
	char path[128], held[256], ids[ZL_IMPORT_JOBS_WAITING][ZL_IMPORT_JOB_ID_LEN + 1];
	char extra[ZL_IMPORT_JOB_ID_LEN + 1];
	struct stat st;
	const char *s;
	int rc, fd;

	/* Job 0 holds the worker: its upload is a FIFO nobody writes yet. */
	snprintf(path, sizeof(path), "%s/fifo", f->dir);
	assert_int_equal(mkfifo(path, 0600), 0);
	assert_int_equal(submit(f, path, &f->alice, ids[0], &err), ZL_OK);
	assert_int_equal(stat(path, &st), -1); /* moved into the job */
	wait_for(f, ids[0], "\"state\":\"running\"");
	for (int i = 1; i < ZL_IMPORT_JOBS_WAITING; i++) {
		snprintf(path, sizeof(path), "%s/up%d.csv", f->dir, i);
		write_file(path, good_csv);
		assert_int_equal(submit(f, path, &f->alice, ids[i], &err), ZL_OK);
		s = status(f, ids[i], &f->alice, &rc);
		assert_non_null(strstr(s, "\"state\":\"queued\""));
		assert_non_null(strstr(s, "\"file\":\"jobs.csv\""));
	}
	/* The queue is full: 429, and the upload stays where it was. */
	snprintf(path, sizeof(path), "%s/up-extra.csv", f->dir);
	write_file(path, good_csv);
	assert_int_equal(submit(f, path, &f->alice, extra, &err), ZL_ERATE);
	assert_int_equal(stat(path, &st), 0);
	/* Only the submitter sees a job; no report before it is done. */
	assert_null(status(f, ids[1], &f->bob, &rc));
	assert_int_equal(rc, ZL_ENOTFOUND);
	assert_null(status(f, "nonexistent", &f->alice, &rc));
	assert_int_equal(rc, ZL_ENOTFOUND);
	assert_int_equal(report(f, ids[1]), ZL_ECONFLICT);

	/* Release the worker: the FIFO is not a regular file, so job 0 fails. */
	snprintf(held, sizeof(held), "%s/zl-import-job-%s", f->dir, ids[0]);
	fd = open(held, O_WRONLY);
	assert_true(fd >= 0);
	close(fd);
	wait_for(f, ids[ZL_IMPORT_JOBS_WAITING - 1], "\"state\":\"done\"");
	s = status(f, ids[0], &f->alice, &rc);
	assert_non_null(strstr(s, "\"state\":\"failed\""));
	assert_non_null(strstr(s, "\"result\":null"));
	assert_null(strstr(s, "\"error\":null"));
	assert_int_equal(report(f, ids[0]), ZL_EUNPROC);
	/* In order: the first good file imported the enterprise, the next found it unchanged. */
	s = status(f, ids[1], &f->alice, &rc);
	assert_non_null(strstr(s, "\"imported\":1,"));
	assert_non_null(strstr(s, "\"written\":true"));
	assert_non_null(strstr(s, "\"rows\":1,"));
	s = status(f, ids[2], &f->alice, &rc);
	assert_non_null(strstr(s, "\"imported\":0,\"updated\":0,\"unchanged\":1"));
	assert_int_equal(report(f, ids[1]), ZL_OK);
	/* The uploads are gone once their jobs ran. */
	for (int i = 0; i < ZL_IMPORT_JOBS_WAITING; i++) {
		snprintf(held, sizeof(held), "%s/zl-import-job-%s", f->dir, ids[i]);
		assert_int_equal(stat(held, &st), -1);
	}
	/* Room again. */
	assert_int_equal(submit(f, path, &f->alice, extra, &err), ZL_OK);
	wait_for(f, extra, "\"state\":\"done\"");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_jobs_queue_owner_report),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
