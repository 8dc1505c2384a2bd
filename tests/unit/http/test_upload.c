/*
 * test_upload.c - the per-route body caps of http/server.c: a JSON route
 * takes at most max_body, an UPLOAD route (routes.def BODY column) at most
 * max_upload, whether the size is declared (Content-Length: refused before
 * the body is read) or found while reading (chunked); and an unauthorized
 * upload is read and dropped, never written to disk.  A real server on a
 * loopback port with small caps and no database: the caller is anonymous,
 * so within the cap an upload answers 401.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <dirent.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ctx.h"
#include "http/http.h"

#define MAX_BODY 1024u
#define MAX_UPLOAD 65536u
#define ROUTE "/api/v1/imports/enterprises"

struct fixture {
	struct zl_ctx ctx;
	struct zl_http_server *srv;
	unsigned port;
	char tmpdir[64];
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct zl_error err = ZL_ERROR_INIT;

	assert_non_null(f);
	zl_config_defaults(&f->ctx.cfg);
	snprintf(f->ctx.cfg.addr, sizeof(f->ctx.cfg.addr), "127.0.0.1:0");
	snprintf(f->ctx.cfg.web_root, sizeof(f->ctx.cfg.web_root), "/nonexistent-zl-web");
	f->ctx.cfg.threads = 1;
	f->ctx.cfg.max_body = MAX_BODY;
	f->ctx.cfg.max_upload = MAX_UPLOAD;
	f->ctx.cfg.rate_anon_per_min = 0;
	f->ctx.cfg.rate_login_per_min = 0;
	zl_log_init(&f->ctx.log, NULL, ZL_LOG_ERROR);
	/* Uploads would go here: it must stay empty. */
	snprintf(f->tmpdir, sizeof(f->tmpdir), "/tmp/zl-test-upload-XXXXXX");
	assert_non_null(mkdtemp(f->tmpdir));
	setenv("TMPDIR", f->tmpdir, 1);
	if (zl_http_start(&f->ctx, "test", &f->srv, &err) != ZL_OK)
		fail_msg("start: %s", err.message);
	f->port = zl_http_port(f->srv);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	zl_http_stop(f->srv);
	rmdir(f->tmpdir);
	zl_log_release(&f->ctx.log);
	free(f);
	return 0;
}

/*
 * Send head + `body_len` bytes of 'x' (chunked in 4 KiB chunks when
 * `chunked`); return the status of the answer and copy its text to out.
 * The server may answer and close before the body is all sent.
 */
static int exchange(const struct fixture *f, const char *head, size_t body_len, int chunked,
		    char *out, size_t n)
{
	struct sockaddr_in sa = {0};
	char chunk[4096 + 16], buf[8192];
	size_t got = 0, sent = 0;
	int fd = socket(AF_INET, SOCK_STREAM, 0), status = -1;

	assert_true(fd >= 0);
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)f->port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_true(send(fd, head, strlen(head), MSG_NOSIGNAL) == (ssize_t)strlen(head));
	while (sent < body_len) {
		size_t k = body_len - sent < 4096 ? body_len - sent : 4096, off = 0;

		if (chunked)
			off = (size_t)snprintf(chunk, sizeof(chunk), "%zx\r\n", k);
		memset(chunk + off, 'x', k);
		if (chunked) {
			memcpy(chunk + off + k, "\r\n", 2);
			off += 2;
		}
		if (send(fd, chunk, off + k, MSG_NOSIGNAL) < 0)
			break; /* answered and closed early */
		sent += k;
	}
	if (chunked && sent == body_len)
		(void)send(fd, "0\r\n\r\n", 5, MSG_NOSIGNAL);
	for (;;) {
		ssize_t r = recv(fd, buf + got, sizeof(buf) - 1 - got, 0);

		if (r <= 0)
			break;
		got += (size_t)r;
		buf[got] = '\0';
		if (strstr(buf, "\r\n\r\n") && strchr(strstr(buf, "\r\n\r\n"), '}'))
			break;
		if (got == sizeof(buf) - 1)
			break;
	}
	buf[got] = '\0';
	close(fd);
	if (sscanf(buf, "HTTP/1.1 %d", &status) != 1)
		status = -1;
	if (n) {
		size_t k = got < n - 1 ? got : n - 1;

		memcpy(out, buf, k);
		out[k] = '\0';
	}
	return status;
}

static int dir_empty(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *e;
	int n = 0;

	assert_non_null(d);
	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			n++;
	closedir(d);
	return n == 0;
}

static void head_for(char *out, size_t n, const char *path, const char *ctype, size_t len,
		     int chunked)
{
	if (chunked)
		snprintf(out, n,
			 "POST %s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
			 "Content-Type: %s\r\nTransfer-Encoding: chunked\r\n\r\n",
			 path, ctype);
	else
		snprintf(out, n,
			 "POST %s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
			 "Content-Type: %s\r\nContent-Length: %zu\r\n\r\n",
			 path, ctype, len);
}

/* Over max_body but within max_upload: the upload route reads it (then 401, anonymous). */
static void test_upload_cap_is_max_upload(void **state)
{
	struct fixture *f = *state;
	char head[512], resp[8192];

	head_for(head, sizeof(head), ROUTE, "text/csv", 10000, 0);
	assert_int_equal(exchange(f, head, 10000, 0, resp, sizeof(resp)), 401);
	head_for(head, sizeof(head), ROUTE, "text/csv", 10000, 1);
	assert_int_equal(exchange(f, head, 10000, 1, resp, sizeof(resp)), 401);
	/* The same size on a JSON route is over its cap. */
	head_for(head, sizeof(head), "/api/v1/users", "application/json", 10000, 0);
	assert_int_equal(exchange(f, head, 10000, 0, resp, sizeof(resp)), 413);
	assert_non_null(strstr(resp, "exceeds 1024 bytes"));
	assert_true(dir_empty(f->tmpdir));
}

static void test_upload_over_cap_declared(void **state)
{
	struct fixture *f = *state;
	char head[512], resp[8192];

	head_for(head, sizeof(head), ROUTE, "text/csv", MAX_UPLOAD + 1, 0);
	/* Answered from the header alone: send no body. */
	assert_int_equal(exchange(f, head, 0, 0, resp, sizeof(resp)), 413);
	assert_non_null(strstr(resp, "\"payload_too_large\""));
	assert_non_null(strstr(resp, "exceeds 65536 bytes"));
	/* Exactly the cap is allowed. */
	head_for(head, sizeof(head), ROUTE, "text/csv", MAX_UPLOAD, 0);
	assert_int_equal(exchange(f, head, MAX_UPLOAD, 0, resp, sizeof(resp)), 401);
	assert_true(dir_empty(f->tmpdir));
}

static void test_upload_over_cap_chunked(void **state)
{
	struct fixture *f = *state;
	char head[512], resp[8192];

	head_for(head, sizeof(head), ROUTE, "text/csv", 0, 1);
	assert_int_equal(exchange(f, head, MAX_UPLOAD + 4096, 1, resp, sizeof(resp)), 413);
	assert_non_null(strstr(resp, "exceeds 65536 bytes"));
	assert_true(dir_empty(f->tmpdir));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_upload_cap_is_max_upload),
		cmocka_unit_test(test_upload_over_cap_declared),
		cmocka_unit_test(test_upload_over_cap_chunked),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
