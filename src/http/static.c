/*
 * static.c - serving the built web UI (cfg.web_root, normally web/dist).
 *
 * The request path arrives canonical (http/path.c: decoded once, no "." or
 * ".." segments, no NUL or backslash).  It is joined to the root, resolved
 * with realpath() and must still lie under the root's own real path, so a
 * symlink cannot lead out of it; the file is then opened with O_NOFOLLOW
 * and must be a regular file.  Unknown paths fall back to index.html (the
 * UI routes in the browser with the history API), except under /assets/,
 * whose names are content-hashed, where a missing file is a plain 404.
 *
 * Text assets are gzip-compressed once and kept in a small cache keyed by
 * path, size and mtime, bounded in entries and bytes.  Entries are
 * reference-counted because a response may still be sending one when the
 * cache evicts it; the mutex is never held while compressing or sending.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "http/internal.h"

#define GZ_MAX_ENTRIES 128
#define GZ_MAX_BYTES (32u << 20)
#define GZ_MAX_FILE (8u << 20)
#define GZ_MIN_FILE 256

struct gz_entry {
	struct zl_static *st;
	struct gz_entry *next;
	char *path;
	off_t size;
	struct timespec mtime;
	unsigned char *data;
	size_t len;
	unsigned refs; /* the cache's own reference plus one per response in flight */
	uint64_t used;
};

struct zl_static {
	char root[PATH_MAX];
	size_t root_len;
	int have_root;
	pthread_mutex_t lock;
	struct gz_entry *entries;
	size_t count, bytes;
	uint64_t tick;
};

static const char NOT_BUILT[] =
	"<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
	"<title>Zhiliang: web UI not built</title></head><body>\n"
	"<h1>The web UI has not been built</h1>\n"
	"<p>The API is running (see <a href=\"/api/v1/openapi.json\">/api/v1/openapi.json</a>), "
	"but the directory configured as <code>web_root</code> does not exist or has no "
	"index.html. Run <code>make web</code> in the repository and reload.</p>\n"
	"</body></html>\n";

int zl_static_new(const char *web_root, struct zl_static **out, struct zl_error *err)
{
	struct zl_static *st = calloc(1, sizeof(*st));

	*out = NULL;
	if (!st)
		return zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
	pthread_mutex_init(&st->lock, NULL);
	if (web_root && web_root[0] && realpath(web_root, st->root)) {
		struct stat sb;

		if (!stat(st->root, &sb) && S_ISDIR(sb.st_mode)) {
			st->have_root = 1;
			st->root_len = strlen(st->root);
			/* "/" as the root would make every prefix check pass trivially; fine. */
			if (st->root_len == 1)
				st->root_len = 0;
		}
	}
	*out = st;
	return ZL_OK;
}

static void entry_free(struct gz_entry *e)
{
	free(e->path);
	free(e->data);
	free(e);
}

/* Drop one reference; the caller holds st->lock. */
static void entry_unref_locked(struct gz_entry *e)
{
	if (--e->refs == 0) {
		e->st->bytes -= e->len;
		entry_free(e);
	}
}

void zl_static_free(struct zl_static *st)
{
	struct gz_entry *e, *next;

	if (!st)
		return;
	for (e = st->entries; e; e = next) {
		next = e->next;
		entry_free(e);
	}
	pthread_mutex_destroy(&st->lock);
	free(st);
}

static void gz_release(void *cls)
{
	struct gz_entry *e = cls;
	struct zl_static *st = e->st;

	pthread_mutex_lock(&st->lock);
	entry_unref_locked(e);
	pthread_mutex_unlock(&st->lock);
}

/* Unlink the least recently used entry; the caller holds the lock. */
static void evict_one_locked(struct zl_static *st)
{
	struct gz_entry **pp, **victim = NULL;

	for (pp = &st->entries; *pp; pp = &(*pp)->next)
		if (!victim || (*pp)->used < (*victim)->used)
			victim = pp;
	if (victim) {
		struct gz_entry *e = *victim;

		*victim = e->next;
		st->count--;
		entry_unref_locked(e);
	}
}

static int same_file(const struct gz_entry *e, const char *path, const struct stat *sb)
{
	return e->size == sb->st_size && e->mtime.tv_sec == sb->st_mtim.tv_sec &&
	       e->mtime.tv_nsec == sb->st_mtim.tv_nsec && !strcmp(e->path, path);
}

/* Find a current entry and take a reference, or NULL. */
static struct gz_entry *gz_lookup(struct zl_static *st, const char *path, const struct stat *sb)
{
	struct gz_entry *e;

	pthread_mutex_lock(&st->lock);
	for (e = st->entries; e; e = e->next)
		if (same_file(e, path, sb))
			break;
	if (e) {
		e->refs++;
		e->used = ++st->tick;
	}
	pthread_mutex_unlock(&st->lock);
	return e;
}

static int gzip_fd(int fd, size_t size, unsigned char **out, size_t *outlen)
{
	unsigned char *in = malloc(size ? size : 1), *dst = NULL;
	size_t got = 0;
	z_stream zs;
	uLong bound;

	if (!in)
		return ZL_ENOMEM;
	while (got < size) {
		ssize_t n = pread(fd, in + got, size - got, (off_t)got);

		if (n <= 0) {
			free(in);
			return ZL_EIO;
		}
		got += (size_t)n;
	}
	memset(&zs, 0, sizeof(zs));
	/* windowBits 15 + 16: a gzip header and trailer, not a zlib one. */
	if (deflateInit2(&zs, 9, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY) != Z_OK) {
		free(in);
		return ZL_ENOMEM;
	}
	bound = deflateBound(&zs, (uLong)size);
	dst = malloc(bound);
	if (!dst) {
		deflateEnd(&zs);
		free(in);
		return ZL_ENOMEM;
	}
	zs.next_in = in;
	zs.avail_in = (uInt)size;
	zs.next_out = dst;
	zs.avail_out = (uInt)bound;
	if (deflate(&zs, Z_FINISH) != Z_STREAM_END) {
		deflateEnd(&zs);
		free(in);
		free(dst);
		return ZL_EIO;
	}
	*outlen = zs.total_out;
	deflateEnd(&zs);
	free(in);
	*out = dst;
	return ZL_OK;
}

/* Compress and insert; returns a referenced entry or NULL (then send uncompressed). */
static struct gz_entry *gz_make(struct zl_static *st, const char *path, int fd,
				const struct stat *sb)
{
	struct gz_entry *e = calloc(1, sizeof(*e)), *old;

	if (!e)
		return NULL;
	e->st = st;
	e->path = strdup(path);
	e->size = sb->st_size;
	e->mtime = sb->st_mtim;
	if (!e->path || gzip_fd(fd, (size_t)sb->st_size, &e->data, &e->len)) {
		entry_free(e);
		return NULL;
	}
	pthread_mutex_lock(&st->lock);
	/* Another thread may have compressed the same file meanwhile: use one copy. */
	for (old = st->entries; old; old = old->next)
		if (same_file(old, path, sb))
			break;
	if (old) {
		old->refs++;
		old->used = ++st->tick;
		pthread_mutex_unlock(&st->lock);
		entry_free(e);
		return old;
	}
	while (st->entries && (st->count >= GZ_MAX_ENTRIES || st->bytes + e->len > GZ_MAX_BYTES))
		evict_one_locked(st);
	e->refs = 2; /* the cache's and the caller's */
	e->used = ++st->tick;
	e->next = st->entries;
	st->entries = e;
	st->count++;
	st->bytes += e->len;
	pthread_mutex_unlock(&st->lock);
	return e;
}

struct ctype {
	const char *ext;
	const char *type;
	int text; /* worth compressing */
};

static const struct ctype ctypes[] = {
	{"html", "text/html; charset=utf-8", 1},
	{"js", "text/javascript; charset=utf-8", 1},
	{"mjs", "text/javascript; charset=utf-8", 1},
	{"css", "text/css; charset=utf-8", 1},
	{"json", "application/json", 1},
	{"map", "application/json", 1},
	{"svg", "image/svg+xml", 1},
	{"txt", "text/plain; charset=utf-8", 1},
	{"xml", "application/xml", 1},
	{"webmanifest", "application/manifest+json", 1},
	{"png", "image/png", 0},
	{"jpg", "image/jpeg", 0},
	{"jpeg", "image/jpeg", 0},
	{"gif", "image/gif", 0},
	{"webp", "image/webp", 0},
	{"ico", "image/x-icon", 0},
	{"woff", "font/woff", 0},
	{"woff2", "font/woff2", 0},
	{"ttf", "font/ttf", 0},
	{"pdf", "application/pdf", 0},
	{"wasm", "application/wasm", 0},
};

static const struct ctype *ctype_for(const char *path)
{
	static const struct ctype other = {"", "application/octet-stream", 0};
	const char *slash = strrchr(path, '/');
	const char *dot = strrchr(slash ? slash : path, '.');

	if (dot)
		for (size_t i = 0; i < sizeof(ctypes) / sizeof(ctypes[0]); i++)
			if (!strcasecmp(dot + 1, ctypes[i].ext))
				return &ctypes[i];
	return &other;
}

/* Does Accept-Encoding list gzip (with a q-value other than 0)? */
static int accepts_gzip(const char *ae)
{
	const char *p;

	if (!ae)
		return 0;
	for (p = ae; (p = strcasestr(p, "gzip")) != NULL; p += 4) {
		const char *q = p + 4;

		if (p != ae && p[-1] != ' ' && p[-1] != ',')
			continue;
		while (*q == ' ')
			q++;
		if (*q == '\0' || *q == ',')
			return 1;
		if (*q == ';') {
			const char *v = strstr(q, "q=");

			return !v || strtod(v + 2, NULL) > 0.0;
		}
	}
	return 0;
}

/* Is `etag` listed in If-None-Match? */
static int etag_matches(const char *inm, const char *etag)
{
	size_t n = strlen(etag);
	const char *p;

	if (!inm)
		return 0;
	if (!strcmp(inm, "*"))
		return 1;
	for (p = inm; (p = strstr(p, etag)) != NULL; p += n)
		if ((p == inm || p[-1] == ' ' || p[-1] == ',' || p[-1] == '/') &&
		    (p[n] == '\0' || p[n] == ',' || p[n] == ' '))
			return 1;
	return 0;
}

static int not_built(struct zl_resp *resp)
{
	resp->status = 503;
	resp->content_type = "text/html; charset=utf-8";
	zl_resp_header(resp, "Cache-Control", "no-store");
	zl_buf_add(&resp->body, NOT_BUILT, sizeof(NOT_BUILT) - 1);
	return ZL_OK;
}

/*
 * Resolve `rel` (canonical, starting with '/') under the root and open it.
 * Returns an fd of a regular file with *sb filled and the real path in
 * `real`, or -1 (missing, not a regular file, or outside the root).
 */
static int open_under_root(struct zl_static *st, const char *rel, char *real, struct stat *sb)
{
	char joined[PATH_MAX];
	size_t rl = strlen(rel);
	int fd;

	if (st->root_len + rl >= sizeof(joined))
		return -1;
	memcpy(joined, st->root, st->root_len);
	memcpy(joined + st->root_len, rel, rl + 1);
	if (!realpath(joined, real))
		return -1;
	if (strncmp(real, st->root, st->root_len) || real[st->root_len] != '/')
		return -1;
	fd = open(real, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return -1;
	if (fstat(fd, sb) || !S_ISREG(sb->st_mode)) {
		close(fd);
		return -1;
	}
	return fd;
}

int zl_static_serve(struct zl_static *st, struct zl_req *req, struct zl_resp *resp,
		    struct zl_error *err)
{
	char real[PATH_MAX];
	const char *rel = req->path;
	const struct ctype *ct;
	const char *etag, *slash;
	struct stat sb;
	int fd = -1, is_index, is_asset, use_gzip = 0;

	if (!st->have_root)
		return not_built(resp);
	is_asset = !strncmp(rel, "/assets/", 8);
	if (rel[strlen(rel) - 1] == '/')
		rel = zl_arena_printf(req->arena, "%sindex.html", rel);
	if (!rel)
		return zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
	fd = open_under_root(st, rel, real, &sb);
	if (fd < 0) {
		if (is_asset)
			return zl_error_set(err, ZL_ENOTFOUND, "path", "no such file");
		/* History-API routing: the UI decides what the path means. */
		fd = open_under_root(st, "/index.html", real, &sb);
		if (fd < 0)
			return not_built(resp);
	}
	slash = strrchr(real, '/');
	is_index = slash && !strcmp(slash, "/index.html");
	ct = ctype_for(real);
	resp->status = 200;
	resp->content_type = ct->type;
	zl_resp_header(resp, "Cache-Control",
		       is_asset	  ? "public, max-age=31536000, immutable"
		       : is_index ? "no-cache"
				  : "public, max-age=3600");
	if (ct->text) {
		zl_resp_header(resp, "Vary", "Accept-Encoding");
		use_gzip = sb.st_size >= GZ_MIN_FILE && (uint64_t)sb.st_size <= GZ_MAX_FILE &&
			   accepts_gzip(zl_req_header(req, "Accept-Encoding"));
	}
	etag = zl_arena_printf(req->arena, "\"%llx-%llx%s\"", (unsigned long long)sb.st_size,
			       (unsigned long long)sb.st_mtim.tv_sec * 1000000000ull +
				       (unsigned long long)sb.st_mtim.tv_nsec,
			       use_gzip ? "-gz" : "");
	if (!etag) {
		close(fd);
		return zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
	}
	zl_resp_header(resp, "ETag", etag);
	if (etag_matches(zl_req_header(req, "If-None-Match"), etag)) {
		close(fd);
		resp->status = 304;
		return ZL_OK;
	}
	if (use_gzip) {
		struct gz_entry *e = gz_lookup(st, real, &sb);

		if (!e)
			e = gz_make(st, real, fd, &sb);
		if (e) {
			close(fd);
			resp->gzip = 1;
			resp->ext_data = e->data;
			resp->ext_len = e->len;
			resp->ext_free = gz_release;
			resp->ext_cls = e;
			return ZL_OK;
		}
	}
	resp->fd = fd;
	resp->fd_size = (uint64_t)sb.st_size;
	return ZL_OK;
}
