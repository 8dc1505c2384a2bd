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

/*
 * Append new records: recs[0..n) with keys strictly ascending and above
 * the highest key of the register (bulk->hi_key: a started bulk writer
 * with counters, see zl_store_enterprise_bulk_begin(); ZL_EINVAL
 * otherwise, nothing written), none of which can exist yet.  former[i]
 * (former may be NULL, an entry NULL or "") holds the record's former
 * names separated by '\n', each 1 to 255 bytes without control characters
 * (ZL_EUNPROC, field "former_name", otherwise).  The result is exactly
 * that of zl_store_enterprise_upsert_bulk() for each record in turn
 * followed by zl_store_enterprise_former_name_add_bulk() for each of its
 * former names (valid_to "") but its current name: the same rows, ids,
 * change rows and numbers in the same order, and names handed to the
 * index in the same order.  added[i] (added may be NULL) receives the
 * number of former names recorded for record i (a name given twice counts
 * once).  The rows go by zl_db_copy (COPY on PostgreSQL, batched INSERTs
 * on SQLite): no read per record.  On an error part of the records may be
 * written: the caller rolls back.
 */
int zl_store_enterprise_append(struct zl_db *db, const struct zl_enterprise *recs,
			       const char *const *former, size_t n, const char *actor,
			       struct zl_ent_bulk *bulk, uint32_t *added, struct zl_error *err);

#endif /* ZL_STORE_ENTERPRISE_CHUNK_H */
