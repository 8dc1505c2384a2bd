/*
 * server.c - the HTTP server on libmicrohttpd; the only file that includes
 * <microhttpd.h>.
 *
 * libmicrohttpd runs a pool of worker threads, each with its own epoll
 * loop; a connection stays on one thread.  Per connection we keep a
 * struct zl_conn (arena, body and response buffers, path scratch), created
 * when the connection opens and reused by every request on it, so the hot
 * path does not allocate beyond what libmicrohttpd itself does.
 *
 * Order of events for one request:
 *   uri_log_cb        raw request target (before libmicrohttpd unescapes it):
 *                     reset the connection state, keep the target, start the clock
 *   access_cb #1      headers known: a POST or PUT is routed now; for an
 *                     UPLOAD route (routes.def BODY column) the caller is
 *                     authorized now too, so only an authorized body is ever
 *                     written to disk.  Reject an oversized Content-Length
 *                     (413) early, otherwise return MHD_YES and queue nothing.
 *                     Queuing a response here would make libmicrohttpd close
 *                     the connection after it (7 times slower under keep-alive)
 *   access_cb #2..n-1 body chunks: appended up to cfg.max_body, or for an
 *                     authorized upload streamed to a temporary file up to
 *                     cfg.max_upload (an unauthorized one is read and dropped)
 *   access_cb #n      route (unless done), authorize (unless done), call the
 *                     handler, queue the response, log, count; delete the
 *                     upload's temporary file
 * The size check does not depend on the caller, so any path answers 413 to a
 * body that is too large.
 */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <strings.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "core/log.h"
#include "core/text.h"
#include "http/auth.h"
#include "http/handlers.h"
#include "http/import_jobs.h"
#include "http/internal.h"

#define CONN_ARENA_MAX (8u << 20)
#define CONN_MEMORY_LIMIT (16u * 1024)
#define RESP_KEEP_BYTES (256u * 1024)

static const char CSP[] =
	"default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
	"img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; "
	"base-uri 'none'; form-action 'self'";

/* Dispatch array, indexed by enum zl_route_id. */
static zl_handler_fn *const handlers[] = {
#define ZL_ROUTE(m, p, fn, perm, scope, tag, summary, resp, media, body) fn,
#include "http/routes.def"
#undef ZL_ROUTE
};

struct zl_conn {
	struct zl_http_server *srv;
	struct MHD_Connection *mc;
	struct zl_arena arena;
	struct zl_buf target; /* raw request target: path?query */
	struct zl_buf body;
	struct zl_req req;
	struct zl_resp resp;
	struct timespec t0;
	uint64_t rng; /* splitmix64 state for request ids, seeded per connection */
	int phase;    /* 0: before the first access callback, 1: after it */
	int too_big;
	size_t cap;	 /* the body cap of this request: max_body or max_upload */
	int upload;	 /* the route's BODY is UPLOAD or FILE */
	size_t received; /* bytes of an upload's body read so far */
	int stage;	 /* STAGE_*: how far dispatch() has come */
	int slot;	 /* the metrics slot once routed */
	/* An UPLOAD route's body: a temporary file (up_fd >= 0 while open). */
	int up_fd;
	int up_errno; /* writing the file failed: the answer is an error */
	uint64_t up_len;
	char up_path[256];
	char path[ZL_REQ_MAX_PATH];
};

enum {
	STAGE_NONE = 0, /* nothing decided yet */
	STAGE_ROUTED,	/* req->route and its parameters are set */
	STAGE_ALLOWED,	/* ... and the caller passed authorization */
	STAGE_DONE,	/* c->resp holds the answer (an error, a static file) */
};

static uint64_t splitmix64(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static void make_rid(struct zl_conn *c)
{
	static const char hex[] = "0123456789abcdef";
	uint64_t a = splitmix64(&c->rng), b = splitmix64(&c->rng);

	for (int i = 0; i < 16; i++) {
		c->req.rid[i] = hex[(a >> (60 - 4 * i)) & 15];
		c->req.rid[16 + i] = hex[(b >> (60 - 4 * i)) & 15];
	}
	c->req.rid[32] = '\0';
}

static uint64_t elapsed_us(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (uint64_t)(t1.tv_sec - t0->tv_sec) * 1000000u +
	       (uint64_t)((t1.tv_nsec - t0->tv_nsec) / 1000);
}

static const char *header_lookup(void *conn, const char *name)
{
	return MHD_lookup_connection_value(conn, MHD_HEADER_KIND, name);
}

/*
 * The client's address as numeric text ("192.0.2.7", "2001:db8::1"), an
 * IPv4-mapped IPv6 address shown as IPv4, so one client has one key in the
 * rate limiters whichever socket family accepted it.  "" when unknown.
 */
static void peer_address(struct MHD_Connection *mc, char *out, size_t n)
{
	const union MHD_ConnectionInfo *ci;
	const struct sockaddr *sa;
	socklen_t len;

	out[0] = '\0';
	ci = MHD_get_connection_info(mc, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (!ci || !ci->client_addr)
		return;
	sa = ci->client_addr;
	if (sa->sa_family == AF_INET)
		len = sizeof(struct sockaddr_in);
	else if (sa->sa_family == AF_INET6)
		len = sizeof(struct sockaddr_in6);
	else
		return;
	if (getnameinfo(sa, len, out, (socklen_t)n, NULL, 0, NI_NUMERICHOST)) {
		out[0] = '\0';
		return;
	}
	if (!strncmp(out, "::ffff:", 7) && strchr(out + 7, '.'))
		memmove(out, out + 7, strlen(out + 7) + 1);
}

/* Close and delete an upload's temporary file, if any. */
static void upload_drop(struct zl_conn *c)
{
	if (c->up_fd >= 0)
		close(c->up_fd);
	c->up_fd = -1;
	if (c->up_path[0])
		unlink(c->up_path);
	c->up_path[0] = '\0';
	c->up_len = 0;
	c->up_errno = 0;
}

/*
 * Start an upload's temporary file in $TMPDIR (else /tmp), mode 0600,
 * close-on-exec.  On failure the body is dropped and the answer says why.
 */
static void upload_open(struct zl_conn *c)
{
	const char *dir = getenv("TMPDIR");
	int n = snprintf(c->up_path, sizeof(c->up_path), "%s/zl-upload-XXXXXX",
			 dir && dir[0] ? dir : "/tmp");

	if (n < 0 || (size_t)n >= sizeof(c->up_path)) {
		c->up_path[0] = '\0';
		c->up_errno = ENAMETOOLONG;
		return;
	}
	c->up_fd = mkostemp(c->up_path, O_CLOEXEC);
	if (c->up_fd < 0) {
		c->up_errno = errno;
		c->up_path[0] = '\0';
	}
}

/* Append a chunk to the upload's file; on failure keep errno and drop the file. */
static void upload_write(struct zl_conn *c, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(c->up_fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			int e = w < 0 ? errno : EIO;

			upload_drop(c);
			c->up_errno = e;
			return;
		}
		p += w;
		n -= (size_t)w;
		c->up_len += (uint64_t)w;
	}
}

static void notify_conn_cb(void *cls, struct MHD_Connection *mc, void **socket_context,
			   enum MHD_ConnectionNotificationCode toe)
{
	struct zl_http_server *srv = cls;
	struct zl_conn *c;

	if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
		atomic_fetch_add_explicit(&srv->metrics->open_connections, 1, memory_order_relaxed);
		c = calloc(1, sizeof(*c));
		if (!c)
			return; /* access_cb answers MHD_NO, closing the connection */
		c->srv = srv;
		c->mc = mc;
		zl_arena_init(&c->arena, CONN_ARENA_MAX);
		zl_buf_init(&c->target, CONN_MEMORY_LIMIT);
		zl_buf_init(&c->body, srv->ctx->cfg.max_body);
		zl_buf_init(&c->resp.body, ZL_RESP_MAX_BODY);
		c->resp.fd = -1;
		c->up_fd = -1;
		if (getrandom(&c->rng, sizeof(c->rng), 0) != (ssize_t)sizeof(c->rng))
			c->rng = (uint64_t)(uintptr_t)c ^ (uint64_t)time(NULL);
		/* req.peer lies past what begin() clears: set once per connection. */
		peer_address(mc, c->req.peer, sizeof(c->req.peer));
		*socket_context = c;
		return;
	}
	atomic_fetch_sub_explicit(&srv->metrics->open_connections, 1, memory_order_relaxed);
	c = *socket_context;
	if (!c)
		return;
	upload_drop(c);
	zl_arena_release(&c->arena);
	zl_buf_release(&c->target);
	zl_buf_release(&c->body);
	zl_buf_release(&c->resp.body);
	free(c);
	*socket_context = NULL;
}

/* Called once per request with the raw target; the result becomes *con_cls. */
static void *uri_log_cb(void *cls, const char *uri, struct MHD_Connection *mc)
{
	const union MHD_ConnectionInfo *ci;
	struct zl_conn *c;

	(void)cls;
	ci = MHD_get_connection_info(mc, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	if (!ci || !ci->socket_context)
		return NULL;
	c = ci->socket_context;
	clock_gettime(CLOCK_MONOTONIC, &c->t0);
	c->phase = 0;
	c->too_big = 0;
	c->cap = c->srv->ctx->cfg.max_body;
	c->upload = 0;
	c->received = 0;
	c->stage = STAGE_NONE;
	c->slot = ZL_MET_ROUTE_NONE;
	upload_drop(c);
	zl_arena_reset(&c->arena);
	zl_buf_reset(&c->target);
	zl_buf_adds(&c->target, uri);
	zl_buf_reset(&c->body);
	/* One large response should not pin its buffer for the connection's life. */
	if (c->resp.body.cap > RESP_KEEP_BYTES)
		zl_buf_release(&c->resp.body);
	zl_buf_reset(&c->resp.body);
	return c;
}

static void log_cb(void *cls, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
static void log_cb(void *cls, const char *fmt, va_list ap)
{
	struct zl_http_server *srv = cls;
	char msg[512];
	size_t n;

	if (vsnprintf(msg, sizeof(msg), fmt, ap) < 0)
		return;
	n = strlen(msg);
	while (n && msg[n - 1] == '\n')
		msg[--n] = '\0';
	zl_log_msg(&srv->ctx->log, ZL_LOG_WARN, "libmicrohttpd: %s", msg);
}

/* Release what a handler attached besides the buffer (an open file, a cache entry). */
static void drop_external(struct zl_resp *r)
{
	if (r->fd >= 0) {
		close(r->fd);
		r->fd = -1;
	}
	if (r->ext_data && r->ext_free)
		r->ext_free(r->ext_cls);
	r->ext_data = NULL;
	r->ext_free = NULL;
	r->gzip = 0;
}

static void fail(struct zl_resp *r, enum zl_err code, const char *field, const char *msg)
{
	struct zl_error e = ZL_ERROR_INIT;

	drop_external(r);
	zl_error_set(&e, code, field, "%s", msg);
	zl_http_error(r, &e);
}

static int is_api_path(const char *p)
{
	return !strncmp(p, "/api", 4) && (p[4] == '\0' || p[4] == '/');
}

/* JSON routes take JSON bodies: "application/json" with optional parameters. */
static int json_content_type(const char *ct)
{
	size_t n = strlen("application/json");

	if (!ct || strncasecmp(ct, "application/json", n))
		return 0;
	return ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ';
}

/*
 * Route the request: canonical path, query, route and its parameters.
 * Sets c->slot; STAGE_ROUTED, or STAGE_DONE with the answer in c->resp (an
 * error, or a static file).
 */
static void route_request(struct zl_conn *c)
{
	struct zl_req *req = &c->req;
	struct zl_resp *resp = &c->resp;
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_route_match m;
	char *target = c->target.data ? c->target.data : (char *)"/";
	char *q = strchr(target, '?');
	size_t plen = q ? (size_t)(q - target) : strlen(target);
	int rc;

	c->stage = STAGE_DONE;
	c->slot = ZL_MET_ROUTE_NONE;
	if (zl_path_canon(target, plen, c->path, sizeof(c->path), NULL, &err)) {
		zl_http_error(resp, &err);
		return;
	}
	req->path = c->path;
	if (q && zl_query_parse(q + 1, req->query, ZL_REQ_MAX_QUERY, &req->nquery, &err)) {
		zl_http_error(resp, &err);
		return;
	}
	rc = zl_route_match(req->method, req->path, &m);
	if (rc == ZL_EMETHOD || (rc == ZL_ENOTFOUND && !is_api_path(req->path) &&
				 req->method != ZL_M_GET && req->method != ZL_M_HEAD)) {
		struct zl_buf allow = ZL_BUF_INIT(128);

		zl_method_set_format(rc == ZL_EMETHOD ? m.allow : ZL_M_GET | ZL_M_HEAD, &allow);
		fail(resp, ZL_EMETHOD, "method", "method not allowed for this path");
		zl_resp_header(resp, "Allow", zl_arena_strdup(&c->arena, zl_buf_str(&allow)));
		zl_buf_release(&allow);
		return;
	}
	if (rc == ZL_ENOTFOUND) {
		if (is_api_path(req->path)) {
			fail(resp, ZL_ENOTFOUND, "path", "no such API endpoint");
			return;
		}
		c->slot = ZL_MET_ROUTE_STATIC;
		if (zl_static_serve(c->srv->statics, req, resp, &err)) {
			drop_external(resp);
			zl_http_error(resp, &err);
		}
		return;
	}
	c->slot = m.route;
	req->route = m.route;
	req->route_pattern = zl_routes[m.route].pattern;
	for (size_t i = 0; i < m.nparams; i++) {
		req->params[i].name =
			zl_arena_strndup(&c->arena, m.params[i].name, m.params[i].name_len);
		req->params[i].value =
			zl_arena_strndup(&c->arena, m.params[i].value, m.params[i].value_len);
		if (!req->params[i].name || !req->params[i].value) {
			fail(resp, ZL_ENOMEM, NULL, "out of memory");
			return;
		}
	}
	req->nparams = m.nparams;
	c->stage = STAGE_ROUTED;
}

/*
 * An /api/ request may carry only the query parameters its route declares
 * (params.def), each at most once: a typo such as regoin=410100 would
 * otherwise be ignored and answer an unfiltered list, and of q=a&q=b one
 * would silently win.  0, or 1 with a 400 naming the first unknown or
 * repeated parameter, or one whose value is not UTF-8, in c->resp.  Other
 * paths (/healthz, /metrics, static files) ignore what they do not read:
 * probes and caches add parameters.
 */
static int unknown_query(struct zl_conn *c)
{
	struct zl_req *req = &c->req;
	struct zl_error err = ZL_ERROR_INIT;

	if (!is_api_path(req->path))
		return 0;
	for (size_t i = 0; i < req->nquery; i++) {
		const char *k = req->query[i].key;

		if (zl_route_query_declared(req->route, k)) {
			/* Not UTF-8 (a GBK page, a mangled link): say so, rather than let
			 * PostgreSQL refuse the bytes with a 500 and SQLite match nothing. */
			if (!zl_utf8_valid(req->query[i].value, strlen(req->query[i].value))) {
				zl_error_set(&err, ZL_EINVAL, k,
					     "query parameter %s is not valid UTF-8 / 查询参数 %s 不是有效的 UTF-8 编码",
					     k, k);
				zl_http_error(&c->resp, &err);
				return 1;
			}
			/* Twice is ambiguous (which one filters?): refuse, not first-wins. */
			for (size_t j = 0; j < i; j++) {
				if (strcmp(req->query[j].key, k) != 0)
					continue;
				zl_error_set(&err, ZL_EINVAL, k,
					     "query parameter %s given more than once / 查询参数 %s 重复",
					     k, k);
				zl_http_error(&c->resp, &err);
				return 1;
			}
			continue;
		}
		if (!k[0])
			zl_error_set(&err, ZL_EINVAL, "query",
				     "query parameter without a name / 查询参数缺少名称");
		else
			zl_error_set(&err, ZL_EINVAL, k,
				     "unknown query parameter %s / 未知的查询参数 %s", k, k);
		zl_http_error(&c->resp, &err);
		return 1;
	}
	return 0;
}

/*
 * The single authorization point: nothing below re-checks permissions.
 * The query parameters are checked once the caller is allowed, so an
 * anonymous or unauthorized caller learns nothing about them (and an
 * upload with a bad parameter is dropped, never written to disk).
 */
static void authorize(struct zl_conn *c)
{
	struct zl_req *req = &c->req;
	struct zl_error err = ZL_ERROR_INIT;

	if (zl_auth_request(req, &c->resp, &err)) {
		if (zl_err_http_status(err.code) >= 500)
			zl_log_msg(&c->srv->ctx->log, ZL_LOG_ERROR, "%s %s rid=%s: auth: %s",
				   req->method_name, req->route_pattern, req->rid, err.message);
		zl_http_error(&c->resp, &err);
		c->stage = STAGE_DONE;
		return;
	}
	c->stage = unknown_query(c) ? STAGE_DONE : STAGE_ALLOWED;
}

/* Route (unless done), authorize (unless done) and run the handler; fills c->resp. */
static void dispatch(struct zl_conn *c)
{
	struct zl_req *req = &c->req;
	struct zl_resp *resp = &c->resp;
	struct zl_error err = ZL_ERROR_INIT;
	const struct zl_route *r;
	int rc;

	if (c->too_big) {
		char msg[96];

		snprintf(msg, sizeof(msg), "request body exceeds %zu bytes", c->cap);
		fail(resp, ZL_ETOOBIG, "body", msg);
		return;
	}
	if (c->stage == STAGE_NONE)
		route_request(c);
	if (c->stage == STAGE_ROUTED)
		authorize(c);
	if (c->stage != STAGE_ALLOWED)
		return;
	c->stage = STAGE_DONE;
	r = &zl_routes[req->route];
	if (r->body != ZL_BODY_JSON && c->up_errno) {
		zl_log_msg(&c->srv->ctx->log, ZL_LOG_ERROR,
			   "%s %s rid=%s: cannot store the upload: %s", req->method_name,
			   req->route_pattern, req->rid, strerror(c->up_errno));
		fail(resp, ZL_EIO, "body", "cannot store the upload");
		return;
	}
	if (r->body == ZL_BODY_JSON && (req->method & (ZL_M_POST | ZL_M_PUT | ZL_M_PATCH)) &&
	    req->body_len && !json_content_type(zl_req_header(req, "Content-Type"))) {
		fail(resp, ZL_EMEDIA, "Content-Type", "request body must be application/json");
		return;
	}
	rc = handlers[req->route](req, resp, &err);
	if (rc) {
		if (err.code == ZL_OK)
			zl_error_set(&err, rc, NULL, "request failed");
		if (zl_err_http_status(err.code) >= 500)
			zl_log_msg(&c->srv->ctx->log, ZL_LOG_ERROR, "%s %s rid=%s: %s%s%s",
				   req->method_name, req->route_pattern, req->rid, err.message,
				   err.field[0] ? " field=" : "", err.field);
		drop_external(resp);
		zl_http_error(resp, &err);
	} else if (resp->body.err && resp->fd < 0 && !resp->ext_data) {
		fail(resp, resp->body.err == ZL_ETOOBIG ? ZL_EINTERNAL : ZL_ENOMEM, NULL,
		     "response could not be built");
	}
}

static struct MHD_Response *make_response(struct zl_conn *c)
{
	struct zl_resp *r = &c->resp;
	struct MHD_Response *mr;
	int cache_set = 0;

	if (r->fd >= 0) {
		mr = MHD_create_response_from_fd64(r->fd_size, r->fd);
		if (!mr)
			close(r->fd);
		r->fd = -1; /* owned by libmicrohttpd now (or closed) */
	} else if (r->ext_data) {
		mr = MHD_create_response_from_buffer_with_free_callback_cls(
			r->ext_len, (void *)r->ext_data, r->ext_free, r->ext_cls);
		if (!mr && r->ext_free)
			r->ext_free(r->ext_cls);
		r->ext_data = NULL;
	} else {
		/*
		 * The buffer belongs to the connection and is only reset when
		 * the next request on it starts, after this response was sent.
		 */
		mr = MHD_create_response_from_buffer(r->body.len, r->body.len ? r->body.data : NULL,
						     MHD_RESPMEM_PERSISTENT);
	}
	if (!mr)
		return NULL;
	if (r->content_type)
		MHD_add_response_header(mr, MHD_HTTP_HEADER_CONTENT_TYPE, r->content_type);
	if (r->gzip)
		MHD_add_response_header(mr, MHD_HTTP_HEADER_CONTENT_ENCODING, "gzip");
	MHD_add_response_header(mr, "Content-Security-Policy", CSP);
	MHD_add_response_header(mr, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(mr, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(mr, "X-Frame-Options", "DENY");
	MHD_add_response_header(mr, "X-Request-Id", c->req.rid);
	for (size_t i = 0; i < r->nheaders; i++) {
		if (!r->headers[i].name || !r->headers[i].value)
			continue;
		MHD_add_response_header(mr, r->headers[i].name, r->headers[i].value);
		if (!strcasecmp(r->headers[i].name, "Cache-Control"))
			cache_set = 1;
	}
	/*
	 * API answers hold personal and restricted data: no browser or proxy
	 * may keep a response unless its handler said so (static files do).
	 */
	if (!cache_set)
		MHD_add_response_header(mr, "Cache-Control", "no-store");
	return mr;
}

/* The caller for the access log: username, "token:ID", or NULL (anonymous). */
static const char *log_user(struct zl_req *req)
{
	if (req->principal.kind == ZL_PRINCIPAL_USER)
		return req->principal.name;
	if (req->principal.kind == ZL_PRINCIPAL_TOKEN)
		return zl_arena_printf(req->arena, "token:%s", req->principal.name);
	return NULL;
}

/* A new request on the connection: empty request and response objects. */
static void begin(struct zl_conn *c, struct MHD_Connection *mc, const char *method)
{
	struct zl_req *req = &c->req;
	struct zl_resp *resp = &c->resp;

	memset(req, 0, offsetof(struct zl_req, rid));
	req->method_name = method;
	req->method = zl_method_parse(method);
	req->path = "";
	req->route = -1;
	req->route_pattern = "";
	req->body = "";
	req->arena = &c->arena;
	req->ctx = c->srv->ctx;
	req->srv = c->srv;
	req->db = NULL;
	req->conn = mc;
	req->header_fn = header_lookup;
	/* Anonymous until http/auth.c resolves the request's credentials. */
	zl_principal_anonymous(&req->principal);
	make_rid(c);

	resp->status = 200;
	resp->content_type = NULL;
	resp->nheaders = 0;
	resp->fd = -1;
	resp->fd_size = 0;
	resp->ext_data = NULL;
	resp->ext_len = 0;
	resp->ext_free = NULL;
	resp->ext_cls = NULL;
	resp->gzip = 0;
	zl_buf_reset(&resp->body);
}

static enum MHD_Result respond(struct zl_conn *c, struct MHD_Connection *mc, const char *method)
{
	struct zl_req *req = &c->req;
	struct zl_resp *resp = &c->resp;
	struct zl_http_server *srv = c->srv;
	struct MHD_Response *mr;
	enum MHD_Result ret;

	req->body = zl_buf_str(&c->body);
	req->body_len = c->body.len;
	if (c->up_fd >= 0) {
		/* The handler opens the file by name; ours is only for writing. */
		close(c->up_fd);
		c->up_fd = -1;
		if (c->up_len) {
			req->upload_path = c->up_path;
			req->upload_len = c->up_len;
		}
	}
	dispatch(c);
	upload_drop(c);
	mr = make_response(c);
	if (!mr) {
		zl_log_msg(&srv->ctx->log, ZL_LOG_ERROR, "cannot create response rid=%s", req->rid);
		return MHD_NO;
	}
	ret = MHD_queue_response(mc, (unsigned)resp->status, mr);
	MHD_destroy_response(mr);
	{
		uint64_t us = elapsed_us(&c->t0);

		zl_metrics_observe(srv->metrics, c->slot, req->method, resp->status, us);
		zl_log_request(&srv->ctx->log, method, req->route_pattern,
			       req->path[0] ? req->path : zl_buf_str(&c->target), resp->status, us,
			       log_user(req), req->rid);
	}
	return ret;
}

/*
 * The first call for a request (headers known).  A POST or PUT is routed
 * now, so an UPLOAD route gets its own cap and - once the caller is
 * authorized - a temporary file for its body.  Returns 1 when the answer
 * must be sent now (a declared body over the cap).
 */
static int first_call(struct zl_conn *c, struct MHD_Connection *mc, const char *method)
{
	const char *cl;

	begin(c, mc, method);
	if (c->req.method & (ZL_M_POST | ZL_M_PUT)) {
		route_request(c);
		if (c->stage == STAGE_ROUTED && zl_routes[c->req.route].body != ZL_BODY_JSON) {
			c->upload = 1;
			c->cap = c->srv->ctx->cfg.max_upload;
			authorize(c);
		}
	}
	cl = MHD_lookup_connection_value(mc, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
	if (cl) {
		char *end;
		unsigned long long n;

		errno = 0;
		n = strtoull(cl, &end, 10);
		if (errno || end == cl || n > c->cap) {
			c->too_big = 1;
			return 1;
		}
	}
	if (c->upload && c->stage == STAGE_ALLOWED)
		upload_open(c);
	return 0;
}

static enum MHD_Result access_cb(void *cls, struct MHD_Connection *mc, const char *url,
				 const char *method, const char *version, const char *upload_data,
				 size_t *upload_data_size, void **con_cls)
{
	struct zl_conn *c = *con_cls;

	(void)cls;
	(void)url;
	(void)version;
	if (!c)
		return MHD_NO; /* no connection state (allocation failed): drop it */
	if (c->phase == 0) {
		c->phase = 1;
		/* Answer now and let libmicrohttpd close instead of reading the body. */
		if (first_call(c, mc, method))
			return respond(c, mc, method);
		return MHD_YES;
	}
	if (*upload_data_size) {
		size_t n = *upload_data_size;

		*upload_data_size = 0;
		if (c->too_big)
			return MHD_YES;
		if (c->upload) {
			/* To the file if authorized (and writable), else read and dropped. */
			if (n > c->cap - c->received) {
				/*
				 * Read on and drop the rest, answering 413 at the end:
				 * answering now and closing with unread data would make
				 * the kernel reset the connection, and the client would
				 * see a network error instead of the answer.
				 */
				c->too_big = 1;
				upload_drop(c);
				return MHD_YES;
			}
			c->received += n;
			if (c->up_fd >= 0)
				upload_write(c, upload_data, n);
			return MHD_YES;
		}
		if (zl_buf_add(&c->body, upload_data, n))
			c->too_big = 1;
		return MHD_YES;
	}
	return respond(c, mc, method);
}

/* Split "HOST:PORT" ("[v6]:PORT") and resolve it to a listening address. */
static int resolve_addr(const char *addr, struct sockaddr_storage *ss, int *v6,
			struct zl_error *err)
{
	char host[128];
	const char *colon = strrchr(addr, ':');
	struct addrinfo hints, *res = NULL;
	size_t hl;
	int rc;

	if (!colon || !colon[1])
		return zl_error_set(err, ZL_EINVAL, "addr", "address must be HOST:PORT: %s", addr);
	hl = (size_t)(colon - addr);
	if (hl >= 2 && addr[0] == '[' && addr[hl - 1] == ']') {
		addr++;
		hl -= 2;
	}
	if (hl >= sizeof(host))
		return zl_error_set(err, ZL_EINVAL, "addr", "host name too long");
	memcpy(host, addr, hl);
	host[hl] = '\0';
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	rc = getaddrinfo(hl ? host : NULL, colon + 1, &hints, &res);
	if (rc || !res)
		return zl_error_set(err, ZL_EINVAL, "addr", "cannot resolve %s: %s", addr,
				    gai_strerror(rc));
	memcpy(ss, res->ai_addr, res->ai_addrlen);
	*v6 = res->ai_family == AF_INET6;
	freeaddrinfo(res);
	return ZL_OK;
}

int zl_http_start(struct zl_ctx *ctx, const char *version, struct zl_http_server **out,
		  struct zl_error *err)
{
	struct zl_http_server *srv = NULL;
	struct zl_buf doc = ZL_BUF_INIT(1u << 20);
	struct sockaddr_storage ss;
	const union MHD_DaemonInfo *di;
	unsigned threads;
	unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ERROR_LOG | MHD_USE_TURBO;
	int v6 = 0, rc;

	*out = NULL;
	rc = resolve_addr(ctx->cfg.addr, &ss, &v6, err);
	if (rc)
		goto out;
	srv = calloc(1, sizeof(*srv));
	if (!srv || !(srv->metrics = calloc(1, sizeof(*srv->metrics)))) {
		rc = zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
		goto out;
	}
	srv->ctx = ctx;
	srv->version = version;
	rc = zl_routes_check(srv->scopes, err);
	if (rc)
		goto out;
	rc = zl_ratelimit_new(ctx->cfg.rate_anon_per_min, ctx->cfg.rate_anon_burst, 0,
			      &srv->rl_anon, err);
	if (!rc)
		rc = zl_ratelimit_new(ctx->cfg.rate_login_per_min, ctx->cfg.rate_login_burst, 0,
				      &srv->rl_login, err);
	if (rc)
		goto out;
	rc = zl_openapi_write(&doc, version, err);
	if (rc)
		goto out;
	srv->openapi = zl_buf_detach(&doc, &srv->openapi_len);
	if (!srv->openapi) {
		rc = zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
		goto out;
	}
	rc = zl_static_new(ctx->cfg.web_root, &srv->statics, err);
	if (rc)
		goto out;
	rc = zl_import_jobs_new(ctx, &srv->imports, err);
	if (rc)
		goto out;
	if (v6)
		flags |= MHD_USE_IPv6;
	threads = ctx->cfg.threads > 0 ? (unsigned)ctx->cfg.threads : 0;
	if (!threads) {
		long n = sysconf(_SC_NPROCESSORS_ONLN);

		threads = n > 0 ? (unsigned)n : 1;
	}
	srv->daemon = MHD_start_daemon(
		flags, 0, NULL, NULL, access_cb, srv, MHD_OPTION_EXTERNAL_LOGGER, log_cb, srv,
		MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss, MHD_OPTION_THREAD_POOL_SIZE, threads,
		MHD_OPTION_CONNECTION_TIMEOUT,
		(unsigned)(ctx->cfg.conn_timeout > 0 ? ctx->cfg.conn_timeout : 30),
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)CONN_MEMORY_LIMIT,
		MHD_OPTION_CONNECTION_LIMIT, 4096u, MHD_OPTION_LISTEN_BACKLOG_SIZE, 1024u,
		MHD_OPTION_NOTIFY_CONNECTION, notify_conn_cb, srv, MHD_OPTION_URI_LOG_CALLBACK,
		uri_log_cb, srv, MHD_OPTION_END);
	if (!srv->daemon) {
		rc = zl_error_set(err, ZL_EIO, "addr", "cannot listen on %s: %s", ctx->cfg.addr,
				  errno ? strerror(errno) : "libmicrohttpd failed to start");
		goto out;
	}
	di = MHD_get_daemon_info(srv->daemon, MHD_DAEMON_INFO_BIND_PORT);
	srv->port = di ? di->port : 0;
	*out = srv;
	srv = NULL;
	rc = ZL_OK;
out:
	zl_buf_release(&doc);
	zl_http_stop(srv);
	return rc;
}

unsigned zl_http_port(const struct zl_http_server *srv)
{
	return srv->port;
}

void zl_http_stop(struct zl_http_server *srv)
{
	if (!srv)
		return;
	if (srv->daemon)
		MHD_stop_daemon(srv->daemon);
	/* After the daemon: no request reaches the jobs any more. */
	zl_import_jobs_free(srv->imports);
	zl_static_free(srv->statics);
	zl_ratelimit_free(srv->rl_anon);
	zl_ratelimit_free(srv->rl_login);
	free(srv->openapi);
	free(srv->metrics);
	free(srv);
}
