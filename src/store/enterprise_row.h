/*
 * enterprise_row.h - what the register's writers inside the store share
 * (store/enterprises.c, enterprise_chunk.c, enterprise_index.c): the lock
 * that serialises them on PostgreSQL, the columns of a record as read
 * back, and how a record is read and compared.  Not for other layers.
 */
#ifndef ZL_STORE_ENTERPRISE_ROW_H
#define ZL_STORE_ENTERPRISE_ROW_H

#include "db/db.h"
#include "domain/enterprise.h"

/*
 * The advisory lock ("Zhiliang enterprise change feed") every writer of
 * the register, its change feed and its name index takes on PostgreSQL,
 * held to the end of the transaction: change numbers and ids are MAX + 1.
 */
#define ZL_ENT_LOCK_SQL "SELECT pg_advisory_xact_lock(6148912503190118407)"

/* The columns of a record, in the order zl_store_enterprise_row_read() reads them. */
#define ZL_ENT_COLS                                                                                \
	"uscc, org_code, legacy, name, region, industry, address, legal_rep,"                      \
	" registered_capital, founded, size_class, status, cqo_name, cqo_appointed,"               \
	" version, created_at, updated_at, eid, updated_by"

/* Fill `e` from a row of ZL_ENT_COLS. */
void zl_store_enterprise_row_read(struct zl_stmt *st, struct zl_enterprise *e);

/*
 * A bulk writer's name for the index (enterprises.h, struct zl_ent_bulk):
 * to its on_name hook, else into its builder; bulk NULL or without either:
 * delta rows (zl_store_index_add_name()).  ZL_OK, ZL_ENOMEM or the error
 * of the delta rows, with err filled.
 */
struct zl_ent_bulk;
int zl_store_ent_bulk_name(struct zl_db *db, struct zl_ent_bulk *bulk, int64_t eid,
			   const char *name, struct zl_error *err);

/* 1 when the stored fields of a and b are equal (an upsert then writes nothing). */
int zl_store_enterprise_same(const struct zl_enterprise *a, const struct zl_enterprise *b);

#endif /* ZL_STORE_ENTERPRISE_ROW_H */
