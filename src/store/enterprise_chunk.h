/*
 * enterprise_chunk.h - write many enterprise records at once: the chunk
 * writer of bulk imports (store/import.c).
 *
 * The result is the one of zl_store_enterprise_upsert_bulk() called for
 * each record in turn (store/enterprises.h): the same rows, versions,
 * former names, change rows (numbered in record order), eids (given in
 * record order) and postings; only the timestamps differ (one instant for
 * the whole call instead of one per record).
 *
 * On PostgreSQL the work is set-based: under the change feed's advisory
 * lock, one query reads the existing rows of the records (the record
 * compared and, for one that changed, the JSON snapshot of the version it
 * supersedes written in C, byte for byte as the per-record path writes
 * it); the new and changed records go by COPY into a temporary staging
 * table with their computed version, eid and change number; then one
 * statement each stores the superseded versions, the former names of
 * renamed records, updates the changed rows, inserts the new rows and
 * appends the change rows.  Unchanged records cost only the read.  On
 * SQLite the records are simply upserted one by one.
 */
#ifndef ZL_STORE_ENTERPRISE_CHUNK_H
#define ZL_STORE_ENTERPRISE_CHUNK_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "db/db.h"
#include "store/enterprises.h"

/* Records handled per set of statements (a bigger call is split): sized so the staging
 * table stays within PostgreSQL's default temp_buffers (8 MB). */
#define ZL_ENT_CHUNK_BATCH 8192

/*
 * Write recs[0..n) inside the caller's transaction.  The records must be
 * validated and their keys (uscc) strictly ascending by strcmp (ZL_EINVAL
 * otherwise, nothing written).  `actor` as for zl_store_enterprise_upsert;
 * `bulk` as for zl_store_enterprise_upsert_bulk (may be NULL: postings as
 * delta rows, eids and change numbers from the tables).  `outcomes` (may
 * be NULL) receives one outcome per record.  On an error part of the
 * records may be written: the caller rolls back.
 */
int zl_store_enterprise_write_chunk(struct zl_db *db, const struct zl_enterprise *recs, size_t n,
				    const char *actor, struct zl_ent_bulk *bulk,
				    enum zl_upsert_outcome *outcomes, struct zl_error *err);

#endif /* ZL_STORE_ENTERPRISE_CHUNK_H */
