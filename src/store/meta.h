/*
 * meta.h - the instance's key/value facts (table `meta`): instance_id,
 * created_at, demo, and whatever later issues need to remember about the
 * installation itself.  Not for domain data.
 */
#ifndef ZL_STORE_META_H
#define ZL_STORE_META_H

#include <stddef.h>

#include "core/err.h"
#include "db/db.h"

/*
 * Copy the value of `key` into `out` (capacity `n`, always NUL-terminated
 * when n > 0).  Returns ZL_OK, ZL_ENOTFOUND when the key is absent,
 * ZL_ETOOBIG when the value does not fit (out holds a truncated copy), or a
 * database error.
 */
int zl_store_meta_get(struct zl_db *db, const char *key, char *out, size_t n, struct zl_error *err);

/* Insert or replace `key` = `value` (both NUL-terminated, copied). */
int zl_store_meta_set(struct zl_db *db, const char *key, const char *value, struct zl_error *err);

#endif /* ZL_STORE_META_H */
