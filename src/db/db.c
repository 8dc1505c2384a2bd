/*
 * db.c - the generic half of the database driver: URL dispatch, the
 * per-connection statement cache, transaction bookkeeping and the
 * per-thread connection pool.  Everything backend-specific is behind
 * `struct zl_db_ops` (db_impl.h), implemented by db/sqlite.c and db/pg.c.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "db/db_impl.h"

int zl_db_url_parse(const char *url, const struct zl_db_ops **ops, const char **target,
		    struct zl_error *err)
{
	const char *rest;

	if (url == NULL || *url == '\0')
		return zl_error_set(err, ZL_EINVAL, "db", "empty database URL");
	if (strncmp(url, "sqlite:", 7) == 0) {
		rest = url + 7;
		/* "sqlite://PATH" is accepted as a spelling of "sqlite:PATH", so
		 * "sqlite:///abs/path" names /abs/path. */
		if (strncmp(rest, "//", 2) == 0)
			rest += 2;
		if (*rest == '\0')
			return zl_error_set(err, ZL_EINVAL, "db",
					    "database URL \"sqlite:\" has no file path");
		*ops = &zl_db_sqlite_ops;
		*target = rest;
		return ZL_OK;
	}
	if (strncmp(url, "postgres://", 11) == 0 || strncmp(url, "postgresql://", 13) == 0) {
		*ops = &zl_db_pg_ops;
		*target = url; /* libpq parses the URL itself */
		return ZL_OK;
	}
	return zl_error_set(err, ZL_EINVAL, "db",
			    "unknown database URL scheme (use sqlite:PATH or postgres://...)");
}

void zl_db_library_versions(char *out, size_t n)
{
	char a[64], b[64];

	zl_db_sqlite_ops.library_version(a, sizeof(a));
	zl_db_pg_ops.library_version(b, sizeof(b));
	snprintf(out, n, "%s, %s", a, b);
}

const char *zl_db_url_backend(const char *url)
{
	const struct zl_db_ops *ops;
	const char *target;

	if (zl_db_url_parse(url, &ops, &target, NULL) != ZL_OK)
		return NULL;
	return ops->name;
}

uint64_t zl_db_sql_hash(const char *sql)
{
	uint64_t h = 14695981039346656037ULL;

	for (const unsigned char *p = (const unsigned char *)sql; *p != '\0'; p++) {
		h ^= *p;
		h *= 1099511628211ULL;
	}
	return h;
}

int zl_db_open(const char *url, const struct zl_db_options *opt, struct zl_db **out,
	       struct zl_error *err)
{
	const struct zl_db_ops *ops;
	const char *target;
	struct zl_db *db;
	int rc;

	*out = NULL;
	rc = zl_db_url_parse(url, &ops, &target, err);
	if (rc != ZL_OK)
		return rc;
	db = calloc(1, sizeof(*db));
	if (db == NULL)
		return zl_error_set(err, ZL_ENOMEM, "db", "out of memory opening the database");
	db->ops = ops;
	db->readonly = opt != NULL && opt->readonly;
	rc = ops->open(db, target, opt, err);
	if (rc != ZL_OK) {
		free(db);
		return rc;
	}
	*out = db;
	return ZL_OK;
}

void zl_db_close(struct zl_db *db)
{
	if (db == NULL)
		return;
	zl_db_copy_abort(db);
	if (db->in_tx)
		db->ops->rollback(db);
	for (size_t i = 0; i < db->slot_cap; i++) {
		struct zl_stmt *st = db->slots[i];
		if (st == NULL)
			continue;
		free(st->sql);
		db->ops->finalize(st);
	}
	free(db->slots);
	db->ops->close(db);
	free(db);
}

const char *zl_db_backend(const struct zl_db *db)
{
	return db->ops->name;
}

int zl_db_exec(struct zl_db *db, const char *sql, struct zl_error *err)
{
	return db->ops->exec(db, sql, err);
}

int zl_db_bulk_begin(struct zl_db *db, int *on, struct zl_error *err)
{
	*on = 0;
	if (db->in_tx)
		return zl_error_set(err, ZL_EINTERNAL, "db", "bulk mode inside a transaction");
	if (db->ops->bulk_begin == NULL)
		return ZL_OK;
	return db->ops->bulk_begin(db, on, err);
}

void zl_db_bulk_end(struct zl_db *db)
{
	if (!db->in_tx && db->ops->bulk_end != NULL)
		db->ops->bulk_end(db);
}

int zl_db_begin(struct zl_db *db, struct zl_error *err)
{
	int rc;

	if (db->in_tx)
		return zl_error_set(err, ZL_EINTERNAL, "db", "transaction already open (nesting)");
	rc = db->ops->begin(db, err);
	if (rc == ZL_OK)
		db->in_tx = 1;
	return rc;
}

int zl_db_begin_read(struct zl_db *db, struct zl_error *err)
{
	int rc;

	if (db->in_tx)
		return zl_error_set(err, ZL_EINTERNAL, "db", "transaction already open (nesting)");
	rc = db->ops->begin_read(db, err);
	if (rc == ZL_OK)
		db->in_tx = 1;
	return rc;
}

int zl_db_commit(struct zl_db *db, struct zl_error *err)
{
	int rc;

	if (!db->in_tx)
		return zl_error_set(err, ZL_EINTERNAL, "db", "commit without a transaction");
	rc = db->ops->commit(db, err);
	if (rc != ZL_OK) {
		/* A failed COMMIT may leave the transaction open (SQLite BUSY);
		 * end it so the connection is usable and the state is known. */
		db->ops->rollback(db);
	}
	db->in_tx = 0;
	return rc;
}

int zl_db_rollback(struct zl_db *db)
{
	zl_db_copy_abort(db);
	if (!db->in_tx)
		return ZL_OK;
	db->ops->rollback(db);
	db->in_tx = 0;
	return ZL_OK;
}

int zl_db_in_tx(const struct zl_db *db)
{
	return db->in_tx;
}

/* ---- bulk copy ---------------------------------------------------------------- */

int zl_db_copy_begin(struct zl_db *db, const char *table, const char *cols, struct zl_error *err)
{
	size_t ncols = 1;
	int rc;

	if (db->in_copy)
		return zl_error_set(err, ZL_EINTERNAL, "db", "a copy is already open");
	if (table == NULL || *table == '\0' || cols == NULL || *cols == '\0')
		return zl_error_set(err, ZL_EINVAL, "db", "copy: no table or no columns");
	for (const char *p = cols; *p != '\0'; p++)
		ncols += *p == ',';
	rc = db->ops->copy_begin(db, table, cols, ncols, err);
	if (rc != ZL_OK)
		return rc;
	db->in_copy = 1;
	db->copy_ncols = ncols;
	return ZL_OK;
}

int zl_db_copy_row(struct zl_db *db, const char *const *values, size_t n, struct zl_error *err)
{
	int rc;

	if (!db->in_copy)
		return zl_error_set(err, ZL_EINTERNAL, "db", "copy row without an open copy");
	if (n != db->copy_ncols) {
		zl_db_copy_abort(db);
		return zl_error_set(err, ZL_EINVAL, "db", "copy: %zu values for %zu columns", n,
				    db->copy_ncols);
	}
	rc = db->ops->copy_row(db, values, n, err);
	if (rc != ZL_OK)
		zl_db_copy_abort(db);
	return rc;
}

int zl_db_copy_end(struct zl_db *db, struct zl_error *err)
{
	int rc;

	if (!db->in_copy)
		return zl_error_set(err, ZL_EINTERNAL, "db", "copy end without an open copy");
	rc = db->ops->copy_end(db, NULL, err);
	db->in_copy = 0;
	return rc;
}

void zl_db_copy_abort(struct zl_db *db)
{
	if (db == NULL || !db->in_copy)
		return;
	(void)db->ops->copy_end(db, "copy abandoned", NULL);
	db->in_copy = 0;
}

/* Insert into the cache, which has a free slot (load kept below 1/2). */
static void cache_put(struct zl_stmt **slots, size_t cap, struct zl_stmt *st)
{
	size_t i = (size_t)st->hash & (cap - 1);

	while (slots[i] != NULL)
		i = (i + 1) & (cap - 1);
	slots[i] = st;
}

static int cache_grow(struct zl_db *db)
{
	size_t cap = db->slot_cap ? db->slot_cap * 2 : 32;
	struct zl_stmt **slots = calloc(cap, sizeof(*slots));

	if (slots == NULL)
		return ZL_ENOMEM;
	for (size_t i = 0; i < db->slot_cap; i++)
		if (db->slots[i] != NULL)
			cache_put(slots, cap, db->slots[i]);
	free(db->slots);
	db->slots = slots;
	db->slot_cap = cap;
	return ZL_OK;
}

/* The slot of `sql` in the by-address front of the cache (Fibonacci hashing of the address). */
static size_t addr_slot(const char *sql)
{
	return (size_t)(((uint64_t)(uintptr_t)sql * 0x9e3779b97f4a7c15ULL) >> 58) &
	       (ZL_DB_BY_ADDR - 1);
}

/* Hand out a cached statement, reset if its last user left it bound or mid-result. */
static int cache_hit(struct zl_db *db, struct zl_stmt *st, const char *sql, struct zl_stmt **out)
{
	size_t a = addr_slot(sql);

	if (st->used) {
		db->ops->reset(st);
		st->used = 0;
	}
	db->addr_key[a] = sql;
	db->addr_stmt[a] = st;
	*out = st;
	return ZL_OK;
}

int zl_db_prepare(struct zl_db *db, const char *sql, struct zl_stmt **out, struct zl_error *err)
{
	size_t a = addr_slot(sql);
	struct zl_stmt *st = NULL;
	uint64_t h;
	char *copy;
	int rc;

	*out = NULL;
	if (db->addr_key[a] == sql && strcmp(db->addr_stmt[a]->sql, sql) == 0)
		return cache_hit(db, db->addr_stmt[a], sql, out);
	h = zl_db_sql_hash(sql);
	if (db->slot_cap > 0) {
		size_t i = (size_t)h & (db->slot_cap - 1);
		while (db->slots[i] != NULL) {
			st = db->slots[i];
			if (st->hash == h && strcmp(st->sql, sql) == 0)
				return cache_hit(db, st, sql, out);
			i = (i + 1) & (db->slot_cap - 1);
		}
	}
	if ((db->slot_used + 1) * 2 > db->slot_cap && cache_grow(db) != ZL_OK)
		return zl_error_set(err, ZL_ENOMEM, "db", "out of memory caching a statement");
	copy = strdup(sql);
	if (copy == NULL)
		return zl_error_set(err, ZL_ENOMEM, "db", "out of memory caching a statement");
	rc = db->ops->prepare(db, sql, &st, err);
	if (rc != ZL_OK) {
		free(copy);
		return rc;
	}
	st->db = db;
	st->sql = copy;
	st->hash = h;
	st->used = 0;
	cache_put(db->slots, db->slot_cap, st);
	db->slot_used++;
	db->addr_key[a] = sql;
	db->addr_stmt[a] = st;
	*out = st;
	return ZL_OK;
}

int zl_stmt_bind_int64(struct zl_stmt *st, int idx, int64_t v)
{
	st->used = 1;
	return st->db->ops->bind_int64(st, idx, v);
}

int zl_stmt_bind_double(struct zl_stmt *st, int idx, double v)
{
	st->used = 1;
	return st->db->ops->bind_double(st, idx, v);
}

int zl_stmt_bind_text(struct zl_stmt *st, int idx, const char *s, long n)
{
	st->used = 1;
	if (s == NULL)
		return st->db->ops->bind_null(st, idx);
	return st->db->ops->bind_text(st, idx, s, n < 0 ? strlen(s) : (size_t)n);
}

int zl_stmt_bind_text_ref(struct zl_stmt *st, int idx, const char *s, long n)
{
	if (s == NULL)
		return st->db->ops->bind_null(st, idx);
	return st->db->ops->bind_text_ref(st, idx, s, n < 0 ? strlen(s) : (size_t)n);
}

int zl_stmt_bind_blob(struct zl_stmt *st, int idx, const void *p, size_t n)
{
	if (p == NULL && n > 0)
		return ZL_EINVAL;
	st->used = 1;
	return st->db->ops->bind_blob(st, idx, p, n);
}

int zl_stmt_bind_blob_ref(struct zl_stmt *st, int idx, const void *p, size_t n)
{
	if (p == NULL && n > 0)
		return ZL_EINVAL;
	return st->db->ops->bind_blob_ref(st, idx, p, n);
}

int zl_stmt_bind_null(struct zl_stmt *st, int idx)
{
	st->used = 1;
	return st->db->ops->bind_null(st, idx);
}

int zl_stmt_step(struct zl_stmt *st, struct zl_error *err)
{
	st->used = 1;
	return st->db->ops->step(st, err);
}

int zl_stmt_column_count(struct zl_stmt *st)
{
	return st->db->ops->column_count(st);
}

int zl_stmt_column_is_null(struct zl_stmt *st, int col)
{
	return st->db->ops->column_is_null(st, col);
}

int64_t zl_stmt_column_int64(struct zl_stmt *st, int col)
{
	return st->db->ops->column_int64(st, col);
}

double zl_stmt_column_double(struct zl_stmt *st, int col)
{
	return st->db->ops->column_double(st, col);
}

const char *zl_stmt_column_text(struct zl_stmt *st, int col)
{
	return st->db->ops->column_text(st, col);
}

const void *zl_stmt_column_blob(struct zl_stmt *st, int col, size_t *n)
{
	return st->db->ops->column_blob(st, col, n);
}

int64_t zl_stmt_changes(struct zl_stmt *st)
{
	return st->db->ops->changes(st);
}

void zl_stmt_reset(struct zl_stmt *st)
{
	if (st != NULL) {
		st->db->ops->reset(st);
		st->used = 0;
	}
}

void zl_stmt_done(struct zl_stmt *st)
{
	zl_stmt_reset(st);
}

/*
 * The pool.  Each pool owns a pthread key whose per-thread value is that
 * thread's connection, so zl_db_pool_get() is a lock-free
 * pthread_getspecific() after the first call on a thread.  The mutex guards
 * only the list of all connections (for counting and for closing them in
 * zl_db_pool_free()).  Connections are not closed when their thread exits:
 * servers use a fixed set of worker threads, and a connection stays valid
 * until zl_db_pool_free(), which must run after every user thread is done
 * with the pool.
 */
struct zl_db_pool {
	char *url;
	char *shown_url; /* `url` with any password replaced by "***" */
	struct zl_db_options opt;
	pthread_key_t key;
	pthread_mutex_t lock;
	struct zl_db **conns;
	size_t n, cap;
};

/* A copy of `url` safe to log: "scheme://user:SECRET@host" -> "scheme://user:***@host". */
static char *redact_url(const char *url)
{
	const char *auth = strstr(url, "://"), *at, *colon, *slash;
	size_t n;
	char *out;

	if (auth == NULL)
		return strdup(url);
	auth += 3;
	slash = strchr(auth, '/');
	at = strchr(auth, '@');
	if (at == NULL || (slash != NULL && slash < at))
		return strdup(url);
	colon = memchr(auth, ':', (size_t)(at - auth));
	if (colon == NULL)
		return strdup(url);
	n = (size_t)(colon + 1 - url);
	out = malloc(n + 3 + strlen(at) + 1);
	if (out != NULL) {
		memcpy(out, url, n);
		memcpy(out + n, "***", 3);
		memcpy(out + n + 3, at, strlen(at) + 1);
	}
	return out;
}

int zl_db_pool_new(const char *url, const struct zl_db_options *opt, struct zl_db_pool **out,
		   struct zl_error *err)
{
	const struct zl_db_ops *ops;
	const char *target;
	struct zl_db_pool *p;
	int rc;

	*out = NULL;
	rc = zl_db_url_parse(url, &ops, &target, err);
	if (rc != ZL_OK)
		return rc;
	p = calloc(1, sizeof(*p));
	if (p == NULL)
		return zl_error_set(err, ZL_ENOMEM, "db", "out of memory");
	p->url = strdup(url);
	p->shown_url = redact_url(url);
	if (p->url == NULL || p->shown_url == NULL) {
		free(p->url);
		free(p->shown_url);
		free(p);
		return zl_error_set(err, ZL_ENOMEM, "db", "out of memory");
	}
	if (opt != NULL)
		p->opt = *opt;
	if (pthread_key_create(&p->key, NULL) != 0) {
		free(p->url);
		free(p->shown_url);
		free(p);
		return zl_error_set(err, ZL_EINTERNAL, "db", "cannot create a thread key");
	}
	pthread_mutex_init(&p->lock, NULL);
	*out = p;
	return ZL_OK;
}

struct zl_db *zl_db_pool_get(struct zl_db_pool *p, struct zl_error *err)
{
	struct zl_db *db = pthread_getspecific(p->key);

	if (db != NULL)
		return db;
	if (zl_db_open(p->url, &p->opt, &db, err) != ZL_OK)
		return NULL;
	pthread_mutex_lock(&p->lock);
	if (p->n == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 8;
		struct zl_db **c = realloc(p->conns, cap * sizeof(*c));
		if (c == NULL) {
			pthread_mutex_unlock(&p->lock);
			zl_db_close(db);
			zl_error_set(err, ZL_ENOMEM, "db", "out of memory");
			return NULL;
		}
		p->conns = c;
		p->cap = cap;
	}
	p->conns[p->n++] = db;
	pthread_mutex_unlock(&p->lock);
	if (pthread_setspecific(p->key, db) != 0) {
		/* The connection stays in the list and is closed with the pool. */
		zl_error_set(err, ZL_EINTERNAL, "db", "cannot set a thread key");
		return NULL;
	}
	return db;
}

int zl_db_pool_open_count(struct zl_db_pool *p)
{
	int n;

	pthread_mutex_lock(&p->lock);
	n = (int)p->n;
	pthread_mutex_unlock(&p->lock);
	return n;
}

const char *zl_db_pool_url(const struct zl_db_pool *p)
{
	return p->shown_url;
}

void zl_db_pool_free(struct zl_db_pool *p)
{
	if (p == NULL)
		return;
	for (size_t i = 0; i < p->n; i++)
		zl_db_close(p->conns[i]);
	free(p->conns);
	pthread_key_delete(p->key);
	pthread_mutex_destroy(&p->lock);
	free(p->url);
	free(p->shown_url);
	free(p);
}
