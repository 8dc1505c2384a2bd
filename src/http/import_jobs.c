/*
 * import_jobs.c - background enterprise imports (import_jobs.h): a fixed
 * table of job slots under one mutex, and one worker thread that runs the
 * queued jobs in submission order.
 *
 * A slot's progress fields change under the mutex (the engine's progress
 * callback); its result (report, JSON, error) is written by the worker
 * before the slot turns done or failed under the mutex, and never changes
 * after, so readers copy the small fields under the mutex and then read
 * the result without it, holding a reader count that keeps the slot from
 * being reused meanwhile.
 */
#include "http/import_jobs.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "core/log.h"

#define RESULT_MAX (64u << 20)

enum job_state { J_FREE = 0, J_QUEUED, J_RUNNING, J_DONE, J_FAILED };

struct job {
	enum job_state state;
	char id[ZL_IMPORT_JOB_ID_LEN + 1];
	struct zl_principal principal; /* the submitter */
	char rid[33];
	char name[256];
	char path[512]; /* the upload, owned by the job until it has run */
	uint64_t size;
	int partial, dry_run;
	enum zl_table_encoding encoding;
	/* A result import: its options and their strings ("" when not given). */
	int sc;
	char sc_org[32], sc_level[16], sc_title[512], sc_doc_no[128], sc_issued_on[16];
	char sc_product[16], sc_region[16];
	uint64_t seq;		  /* submission order */
	struct timespec t_submit; /* monotonic */
	struct timespec t_start, t_end;
	struct zl_import_progress prog; /* last reported; phase 0 before any */
	int readers;			/* status/report calls reading the result */
	/* Written by the worker before the state turns J_DONE / J_FAILED. */
	struct zl_import_result res;
	int written;
	char *json; /* the report as JSON (J_DONE) */
	size_t json_len;
	struct zl_error error; /* J_FAILED */
};

struct zl_import_jobs {
	struct zl_ctx *ctx;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	pthread_t thread;
	int stop;
	uint64_t seq;
	struct job jobs[ZL_IMPORT_JOBS_SLOTS];
};

struct progress_cls {
	struct zl_import_jobs *j;
	struct job *job;
};

static int64_t ms_between(const struct timespec *a, const struct timespec *b)
{
	return (int64_t)(b->tv_sec - a->tv_sec) * 1000 + (b->tv_nsec - a->tv_nsec) / 1000000;
}

static void slot_clear(struct job *job)
{
	zl_import_result_release(&job->res);
	free(job->json);
	memset(job, 0, sizeof(*job));
}

static int finished(const struct job *job)
{
	return job->state == J_DONE || job->state == J_FAILED;
}

static int expired(const struct job *job, const struct timespec *now)
{
	return finished(job) &&
	       ms_between(&job->t_end, now) > (int64_t)ZL_IMPORT_JOBS_KEEP_S * 1000;
}

static void on_progress(void *cls, const struct zl_import_progress *p)
{
	struct progress_cls *pc = cls;

	pthread_mutex_lock(&pc->j->mu);
	pc->job->prog = *p;
	pthread_mutex_unlock(&pc->j->mu);
}

/* Run one job (the worker, without the mutex: the slot is J_RUNNING, nobody else writes it). */
static void run(struct zl_import_jobs *j, struct job *job)
{
	struct zl_import_options opt = {0};
	struct progress_cls pc = {j, job};
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_req req;
	struct zl_db *db = NULL;
	char actor[160];
	int rc;

	memset(&req, 0, sizeof(req));
	req.principal = job->principal;
	memcpy(req.rid, job->rid, sizeof(req.rid));
	req.ctx = j->ctx;
	zl_import_actor(&job->principal, actor, sizeof(actor));
	opt.partial = job->partial;
	opt.encoding = job->encoding;
	opt.actor = actor;
	opt.progress = on_progress;
	opt.progress_cls = &pc;
	zl_import_result_init(&job->res);
	if (!j->ctx->pool)
		rc = zl_error_set(&err, ZL_EUNAVAIL, "db", "no database is open");
	else if ((db = zl_db_pool_get(j->ctx->pool, &err)) == NULL)
		rc = err.code ? err.code : ZL_EUNAVAIL;
	else if (job->sc) {
		struct zl_sc_import_options so = {0};
		so.org = job->sc_org[0] ? job->sc_org : NULL;
		so.level = job->sc_level;
		so.title = job->sc_title;
		so.doc_no = job->sc_doc_no;
		so.issued_on = job->sc_issued_on;
		so.product = job->sc_product;
		so.region = job->sc_region;
		so.partial = job->partial;
		so.encoding = job->encoding;
		so.progress = on_progress;
		so.progress_cls = &pc;
		rc = zl_sc_import_run(&req, db, job->path, &so, job->name, job->dry_run, &job->res,
				      &job->written, &err);
	} else
		rc = zl_import_run(&req, db, job->path, &opt, job->name, job->dry_run, &job->res,
				   &job->written, &err);
	unlink(job->path);
	job->path[0] = '\0';
	if (rc == ZL_OK) {
		struct zl_buf b = ZL_BUF_INIT(RESULT_MAX);
		struct zl_jw w;

		zl_jw_init(&w, &b);
		zl_import_write_json(&w, &job->res, job->written, job->dry_run);
		if (zl_jw_error(&w) || b.err)
			rc = zl_error_set(&err, ZL_EINTERNAL, NULL, "the report is too large");
		else
			job->json = zl_buf_detach(&b, &job->json_len);
		zl_buf_release(&b);
		if (rc == ZL_OK && !job->json)
			rc = zl_error_set(&err, ZL_ENOMEM, NULL, "out of memory");
	}
	if (rc != ZL_OK) {
		if (err.code == ZL_OK)
			zl_error_set(&err, rc, NULL, "the import failed");
		if (zl_err_http_status(err.code) >= 500)
			zl_log_msg(&j->ctx->log, ZL_LOG_ERROR, "import job %s rid=%s: %s", job->id,
				   job->rid, err.message);
		job->error = err;
	}
}

static struct job *next_queued(struct zl_import_jobs *j)
{
	struct job *best = NULL;

	for (size_t i = 0; i < ZL_IMPORT_JOBS_SLOTS; i++)
		if (j->jobs[i].state == J_QUEUED && (!best || j->jobs[i].seq < best->seq))
			best = &j->jobs[i];
	return best;
}

static void *worker(void *arg)
{
	struct zl_import_jobs *j = arg;
	struct job *job;

	pthread_mutex_lock(&j->mu);
	for (;;) {
		while (!j->stop && (job = next_queued(j)) == NULL)
			pthread_cond_wait(&j->cv, &j->mu);
		if (j->stop)
			break;
		job->state = J_RUNNING;
		clock_gettime(CLOCK_MONOTONIC, &job->t_start);
		pthread_mutex_unlock(&j->mu);
		run(j, job);
		pthread_mutex_lock(&j->mu);
		clock_gettime(CLOCK_MONOTONIC, &job->t_end);
		job->state = job->error.code == ZL_OK ? J_DONE : J_FAILED;
	}
	pthread_mutex_unlock(&j->mu);
	return NULL;
}

int zl_import_jobs_new(struct zl_ctx *ctx, struct zl_import_jobs **out, struct zl_error *err)
{
	struct zl_import_jobs *j = calloc(1, sizeof(*j));
	int rc;

	*out = NULL;
	if (!j)
		return zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
	j->ctx = ctx;
	pthread_mutex_init(&j->mu, NULL);
	pthread_cond_init(&j->cv, NULL);
	rc = pthread_create(&j->thread, NULL, worker, j);
	if (rc) {
		pthread_cond_destroy(&j->cv);
		pthread_mutex_destroy(&j->mu);
		free(j);
		return zl_error_set(err, ZL_EINTERNAL, NULL, "cannot start the import worker: %s",
				    strerror(rc));
	}
	*out = j;
	return ZL_OK;
}

void zl_import_jobs_free(struct zl_import_jobs *j)
{
	if (!j)
		return;
	pthread_mutex_lock(&j->mu);
	j->stop = 1;
	for (size_t i = 0; i < ZL_IMPORT_JOBS_SLOTS; i++) {
		struct job *job = &j->jobs[i];

		if (job->state == J_QUEUED) {
			zl_log_msg(&j->ctx->log, ZL_LOG_WARN,
				   "import job %s (%s) dropped: the server is stopping", job->id,
				   job->name);
			unlink(job->path);
			slot_clear(job);
		}
	}
	pthread_cond_broadcast(&j->cv);
	pthread_mutex_unlock(&j->mu);
	pthread_join(j->thread, NULL); /* after the running import, if any */
	for (size_t i = 0; i < ZL_IMPORT_JOBS_SLOTS; i++)
		slot_clear(&j->jobs[i]);
	pthread_cond_destroy(&j->cv);
	pthread_mutex_destroy(&j->mu);
	free(j);
}

static void make_id(char id[ZL_IMPORT_JOB_ID_LEN + 1])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char r[ZL_IMPORT_JOB_ID_LEN / 2];
	size_t got = 0;

	while (got < sizeof(r)) {
		ssize_t n = getrandom(r + got, sizeof(r) - got, 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			abort(); /* the kernel's generator is gone: nothing sensible to do */
		got += (size_t)n;
	}
	for (size_t i = 0; i < sizeof(r); i++) {
		id[2 * i] = hex[r[i] >> 4];
		id[2 * i + 1] = hex[r[i] & 15];
	}
	id[ZL_IMPORT_JOB_ID_LEN] = '\0';
}

/* A slot for a new job (under the mutex), or NULL when all hold live jobs. */
static struct job *free_slot(struct zl_import_jobs *j, const struct timespec *now)
{
	struct job *oldest = NULL;

	for (size_t i = 0; i < ZL_IMPORT_JOBS_SLOTS; i++) {
		struct job *job = &j->jobs[i];

		if (job->state == J_FREE)
			return job;
		if (job->readers || !finished(job))
			continue;
		if (expired(job, now)) {
			slot_clear(job);
			return job;
		}
		if (!oldest || job->seq < oldest->seq)
			oldest = job;
	}
	if (oldest)
		slot_clear(oldest);
	return oldest;
}

int zl_import_jobs_submit(struct zl_import_jobs *j, const struct zl_import_job_spec *s,
			  char id[ZL_IMPORT_JOB_ID_LEN + 1], struct zl_error *err)
{
	struct timespec now;
	struct job *job;
	const char *slash;
	size_t waiting = 0, dl;

	clock_gettime(CLOCK_MONOTONIC, &now);
	pthread_mutex_lock(&j->mu);
	for (size_t i = 0; i < ZL_IMPORT_JOBS_SLOTS; i++)
		waiting += j->jobs[i].state == J_QUEUED || j->jobs[i].state == J_RUNNING;
	job = waiting < ZL_IMPORT_JOBS_WAITING && !j->stop ? free_slot(j, &now) : NULL;
	if (!job) {
		pthread_mutex_unlock(&j->mu);
		return zl_error_set(
			err, ZL_ERATE, NULL,
			"%u imports are waiting already: try again when one has finished",
			(unsigned)ZL_IMPORT_JOBS_WAITING);
	}
	make_id(job->id);
	/* The upload moves next to where it is, under the job's name (same file system). */
	slash = strrchr(s->path, '/');
	dl = slash ? (size_t)(slash - s->path) : 0;
	if (!slash || dl + sizeof("/zl-import-job-") + ZL_IMPORT_JOB_ID_LEN > sizeof(job->path)) {
		slot_clear(job);
		pthread_mutex_unlock(&j->mu);
		return zl_error_set(err, ZL_EIO, "body", "cannot keep the upload: bad path");
	}
	memcpy(job->path, s->path, dl);
	memcpy(job->path + dl, "/zl-import-job-", sizeof("/zl-import-job-") - 1);
	memcpy(job->path + dl + sizeof("/zl-import-job-") - 1, job->id, ZL_IMPORT_JOB_ID_LEN + 1);
	if (rename(s->path, job->path) != 0) {
		int e = errno;

		slot_clear(job);
		pthread_mutex_unlock(&j->mu);
		return zl_error_set(err, ZL_EIO, "body", "cannot keep the upload: %s", strerror(e));
	}
	job->principal = *s->principal;
	snprintf(job->rid, sizeof(job->rid), "%s", s->rid);
	snprintf(job->name, sizeof(job->name), "%s", s->name);
	job->size = s->size;
	job->partial = s->partial;
	job->dry_run = s->dry_run;
	job->encoding = s->encoding;
	job->sc = s->sc != NULL;
	if (s->sc) {
#define CP(dst, v) zl_strlcpy(dst, (v) ? (v) : "", sizeof(dst))
		CP(job->sc_org, s->sc->org);
		CP(job->sc_level, s->sc->level);
		CP(job->sc_title, s->sc->title);
		CP(job->sc_doc_no, s->sc->doc_no);
		CP(job->sc_issued_on, s->sc->issued_on);
		CP(job->sc_product, s->sc->product);
		CP(job->sc_region, s->sc->region);
#undef CP
	}
	job->seq = ++j->seq;
	job->t_submit = now;
	job->state = J_QUEUED;
	memcpy(id, job->id, ZL_IMPORT_JOB_ID_LEN + 1);
	pthread_cond_signal(&j->cv);
	pthread_mutex_unlock(&j->mu);
	return ZL_OK;
}

static int same_caller(const struct zl_principal *a, const struct zl_principal *b)
{
	return a->kind == b->kind && a->kind != ZL_PRINCIPAL_ANONYMOUS && !strcmp(a->name, b->name);
}

/*
 * Find the caller's job `id` and hold it (readers + 1), copying what
 * changes while it runs into *snap.  NULL when there is none for them.
 */
static struct job *hold(struct zl_import_jobs *j, const char *id, const struct zl_principal *who,
			struct job *snap)
{
	struct timespec now;
	struct job *found = NULL;

	if (!id || strlen(id) != ZL_IMPORT_JOB_ID_LEN)
		return NULL;
	clock_gettime(CLOCK_MONOTONIC, &now);
	pthread_mutex_lock(&j->mu);
	for (size_t i = 0; i < ZL_IMPORT_JOBS_SLOTS; i++) {
		struct job *job = &j->jobs[i];

		if (job->state == J_FREE || strcmp(job->id, id) ||
		    !same_caller(&job->principal, who))
			continue;
		if (expired(job, &now)) {
			if (!job->readers)
				slot_clear(job);
			break;
		}
		job->readers++;
		snap->state = job->state;
		snap->prog = job->prog;
		snap->t_start = job->t_start;
		snap->t_end = job->t_end;
		found = job;
		break;
	}
	pthread_mutex_unlock(&j->mu);
	return found;
}

static void release(struct zl_import_jobs *j, struct job *job)
{
	pthread_mutex_lock(&j->mu);
	job->readers--;
	pthread_mutex_unlock(&j->mu);
}

static const char *state_name(enum job_state s)
{
	switch (s) {
	case J_QUEUED:
		return "queued";
	case J_RUNNING:
		return "running";
	case J_DONE:
		return "done";
	case J_FAILED:
		return "failed";
	default:
		return "unknown";
	}
}

static const char *phase_name(enum zl_import_phase p)
{
	switch (p) {
	case ZL_IMPORT_READING:
		return "reading";
	case ZL_IMPORT_SORTING:
		return "sorting";
	case ZL_IMPORT_WRITING:
		return "writing";
	case ZL_IMPORT_INDEXING:
		return "indexing";
	default:
		return NULL;
	}
}

int zl_import_jobs_status(struct zl_import_jobs *j, const char *id, const struct zl_principal *who,
			  struct zl_resp *resp, int status, struct zl_error *err)
{
	struct job snap = {0};
	struct job *job = hold(j, id, who, &snap);
	struct timespec now;
	struct zl_jw w;
	int64_t elapsed = 0;

	if (!job)
		return zl_error_set(err, ZL_ENOTFOUND, "id", "no import %.40s", id ? id : "");
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (snap.state == J_RUNNING)
		elapsed = ms_between(&snap.t_start, &now);
	else if (finished(&snap))
		elapsed = ms_between(&snap.t_start, &snap.t_end);
	zl_resp_json(resp, status, &w);
	zl_jw_obj_begin(&w);
	zl_jw_kstr(&w, "id", job->id);
	zl_jw_kstr(&w, "state", state_name(snap.state));
	zl_jw_kstr(&w, "file", job->name);
	zl_jw_key(&w, "size");
	zl_jw_uint(&w, job->size);
	zl_jw_kbool(&w, "dry_run", job->dry_run);
	zl_jw_kstr(&w, "phase", phase_name(snap.prog.phase));
	zl_jw_key(&w, "rows");
	zl_jw_uint(&w, snap.prog.rows);
	zl_jw_key(&w, "bytes_done");
	zl_jw_uint(&w, snap.prog.bytes_done);
	zl_jw_key(&w, "bytes_total");
	zl_jw_uint(&w, snap.prog.bytes_total ? snap.prog.bytes_total : job->size);
	zl_jw_key(&w, "written_rows");
	zl_jw_uint(&w, snap.prog.written);
	zl_jw_key(&w, "grams_done");
	zl_jw_uint(&w, snap.prog.grams_done);
	zl_jw_key(&w, "grams_total");
	zl_jw_uint(&w, snap.prog.grams_total);
	zl_jw_kint(&w, "elapsed_ms", elapsed);
	zl_jw_key(&w, "result");
	if (snap.state == J_DONE)
		zl_jw_raw(&w, job->json, job->json_len);
	else
		zl_jw_null(&w);
	zl_jw_key(&w, "error");
	if (snap.state == J_FAILED) {
		int http = zl_err_http_status(job->error.code);

		zl_jw_obj_begin(&w);
		zl_jw_kstr(&w, "code", zl_err_name(job->error.code));
		/* As for a request: a 5xx detail stays in the log. */
		zl_jw_kstr(&w, "message",
			   http >= 500 ? "the import failed on the server" : job->error.message);
		zl_jw_kstr(&w, "field", job->error.field[0] ? job->error.field : NULL);
		zl_jw_obj_end(&w);
	} else {
		zl_jw_null(&w);
	}
	zl_jw_obj_end(&w);
	release(j, job);
	return ZL_OK;
}

int zl_import_jobs_report(struct zl_import_jobs *j, const char *id, struct zl_req *req,
			  struct zl_resp *resp, enum zl_import_report fmt, struct zl_error *err)
{
	struct job snap = {0};
	struct job *job = hold(j, id, &req->principal, &snap);
	int rc;

	if (!job)
		return zl_error_set(err, ZL_ENOTFOUND, "id", "no import %.40s", id ? id : "");
	if (snap.state == J_DONE)
		rc = zl_import_write_file(req, resp, &job->res, job->written, fmt, err);
	else if (snap.state == J_FAILED)
		rc = zl_error_set(err, ZL_EUNPROC, "id", "the import failed: it has no report");
	else
		rc = zl_error_set(err, ZL_ECONFLICT, "id", "the import has not finished yet");
	release(j, job);
	return rc;
}
