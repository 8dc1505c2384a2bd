/*
 * import.h - the enterprise import engine: read a table file (CSV, xlsx,
 * xls through core/table.h), find its header and map its columns
 * (domain/import_map.h), normalise and validate every row
 * (domain/enterprise.h, legacy-import rules) and upsert the accepted rows
 * (store/enterprises.h), collecting every rejected row with its row number
 * as the file shows it, the column, the value and the reason.
 *
 * Atomicity is the caller's transaction: zl_import_enterprises() must run
 * inside zl_db_begin().  Accepted rows are collected in chunks (at most
 * opt->chunk_rows rows, packed: a few hundred bytes per row, so memory
 * stays bounded for files of millions of rows); each full chunk is sorted
 * by key and set aside in an unlinked temporary file in $TMPDIR (else
 * /tmp), and once the whole file is read the sorted chunks are merged, so
 * that every accepted row of the file is written in key order (rows above
 * the register's highest key appended without a read,
 * zl_store_enterprise_append(); the others looked up,
 * zl_store_enterprise_upsert_bulk(); a file that fits in one chunk is
 * sorted in memory and never touches the disk).  The validation of the
 * rows and the postings of the names run on a second thread (one at a
 * time: while reading, then while writing); results are the same as on
 * one thread, in the same order.  The postings of the new
 * names go into one in-memory builder that is flushed into the name index
 * (store/enterprise_index.h) when it grows large and once at the end.
 * Nothing is written before the whole file has been read and validated.
 * As soon as a row is rejected without opt->partial the engine stops
 * writing, keeps validating to report every bad row, and leaves
 * res->written = 0: the caller must then roll back.  With res->written = 1
 * the caller commits (after its audit row).  On SQLite the connection's
 * page cache is raised for the import (ZL_IMPORT_CACHE_KIB) and restored
 * before returning, whatever the outcome.
 *
 * Rows skipped without counting: rows above the header (titles), rows whose
 * cells are all blank, and footer notes (a row whose only non-blank cell
 * starts with 注 / 备注 / 说明 / 制表 / 填表).  A second row for the same
 * enterprise key is rejected naming the first row.
 *
 * Former names (a 曾用名 column): a cell may hold several names separated by
 * ；, ;, 、, / or line breaks; each is trimmed and must have 2 to 200
 * characters (at most 255 bytes) of valid text, or the row is rejected.
 * Each is recorded with zl_store_enterprise_former_name_add_bulk() (date given
 * up unknown: ""); a name equal to the row's current name is skipped.  An
 * existing record that is unchanged but gains a former name counts as
 * updated.
 */
#ifndef ZL_STORE_IMPORT_H
#define ZL_STORE_IMPORT_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "core/table.h"
#include "db/db.h"

#define ZL_IMPORT_MAX_REJECTS_DEFAULT 100000u
/* Accepted rows sorted together in memory (one run of the external sort). */
#define ZL_IMPORT_CHUNK_ROWS ((size_t)256 * 1024)
/* Packed bytes of one chunk at most (a chunk is written earlier when it is reached). */
#define ZL_IMPORT_CHUNK_BYTES ((size_t)128 * 1024 * 1024)
/* The name-index builder is flushed when it holds more postings than this (4-8 bytes each): a
 * flush into a non-empty index rewrites every blob it touches, so one at the end is best. */
#define ZL_IMPORT_FLUSH_POSTINGS ((size_t)256 * 1024 * 1024)
/* SQLite page cache during an import, KiB (PRAGMA cache_size = -this), when larger than the
 * connection's own. */
#define ZL_IMPORT_CACHE_KIB 1048576

struct zl_import_reject {
	uint64_t row;	  /* row number in the file (1-based, as a spreadsheet shows it) */
	char column[96];  /* "B (统一社会信用代码)", or "" for the whole row */
	char value[256];  /* the cell as read (cut at a character boundary) */
	char reason[256]; /* why */
};

/*
 * Progress.  Rows are read and validated until a chunk is full, then the
 * chunk is sorted (and set aside on disk when more follow), and so on;
 * at the end the sorted chunks are merged and every accepted row is
 * written in key order; the name index is flushed when its builder is
 * large and at the end.
 */
enum zl_import_phase {
	ZL_IMPORT_READING = 1, /* reading and validating rows */
	ZL_IMPORT_WRITING,     /* writing the accepted rows in key order */
	ZL_IMPORT_INDEXING,    /* flushing the name index */
	ZL_IMPORT_SORTING      /* sorting a chunk (and spilling it), or starting the merge */
};

struct zl_import_progress {
	enum zl_import_phase phase;
	uint64_t rows;			  /* data rows read so far */
	uint64_t bytes_done, bytes_total; /* of the file */
	uint64_t written;		  /* accepted rows written so far */
	uint64_t grams_done, grams_total; /* INDEXING: grams of this flush merged / in all */
};

typedef void zl_import_progress_fn(void *cls, const struct zl_import_progress *p);

struct zl_import_options {
	int partial;			 /* write the good rows even when some are rejected */
	enum zl_table_encoding encoding; /* CSV decoding */
	const char *actor;		 /* recorded by the store; NULL: "import" */
	zl_import_progress_fn *progress; /* may be NULL; called every 256 rows read, every 4096
					  * rows written, while indexing, and at the end */
	void *progress_cls;
	size_t max_rejects;    /* rejects kept in res->rejects (0: default); all are counted */
	size_t chunk_rows;     /* rows per sorted chunk, one run (0: ZL_IMPORT_CHUNK_ROWS) */
	size_t flush_postings; /* index builder flush threshold (0: ZL_IMPORT_FLUSH_POSTINGS) */
};

struct zl_import_result {
	uint64_t rows; /* data rows read (below the header, not blank) */
	uint64_t imported, updated, unchanged, rejected;
	uint64_t former_names; /* former names recorded (new ones only) */
	int written;	       /* 1: accepted rows were written, commit; 0: roll back */
	uint64_t header_row;   /* where the header was found */
	enum zl_table_format format;
	char encoding[16];		  /* CSV encoding detected ("" for workbooks) */
	struct zl_import_reject *rejects; /* the first max_rejects rejected rows */
	size_t nrejects, cap;
	char **unmapped; /* "D (备注)" for each header cell that names no field */
	size_t nunmapped;
	char **notes; /* other remarks for the user (none at present) */
	size_t nnotes;
};

void zl_import_result_init(struct zl_import_result *res);
void zl_import_result_release(struct zl_import_result *res);

/*
 * Split a former-name cell (see the file comment) into names, trim and
 * check each, and append them to `out` (after resetting it) separated by
 * '\n', which no accepted name holds; empty parts are dropped.  ZL_OK, or
 * ZL_EUNPROC with a reason in err (field "former_name"), or ZL_ENOMEM.
 */
struct zl_buf;
int zl_import_former_names(const char *cell, struct zl_buf *out, struct zl_error *err);

/*
 * Shared with the other imports (store/sc_import.h):
 * zl_import_add_reject() counts a rejected row in res->rejected and keeps
 * it (row number, column label such as "B (统一社会信用代码)" or "", the
 * value and the reason, each cut at a character boundary) while fewer than
 * `max` are kept; ZL_OK or ZL_ENOMEM.  zl_import_skip_row() is 1 for a row
 * the imports skip without counting: all blank, or a footer note (its only
 * non-blank cell starts with 注 / 备注 / 说明 / 制表 / 填表).
 * zl_import_push_str() appends a copy of s to a list of strings
 * (res->unmapped, res->notes); ZL_OK or ZL_ENOMEM.
 */
int zl_import_add_reject(struct zl_import_result *res, size_t max, uint64_t row,
			 const char *column, const char *value, const char *reason);
int zl_import_skip_row(const char *const *cells, size_t n);
int zl_import_push_str(char ***list, size_t *n, const char *s);
/*
 * SQLite: raise the connection's page cache to ZL_IMPORT_CACHE_KIB for an
 * import (*saved the previous size, 0 when unchanged or not SQLite), and
 * put it back after, whatever the outcome.
 */
int zl_import_cache_raise(struct zl_db *db, int64_t *saved, struct zl_error *err);
void zl_import_cache_restore(struct zl_db *db, int64_t saved);

/*
 * Import the enterprise table at `path` into `db` (inside the caller's
 * transaction).  Returns ZL_OK when the whole file was read (rows may have
 * been rejected: see res), or an error that concerns the file as a whole
 * (unreadable, bad encoding, no header row, ambiguous header, a database
 * failure) - then the caller rolls back.  res must be initialised.
 */
int zl_import_enterprises(struct zl_db *db, const char *path, const struct zl_import_options *opt,
			  struct zl_import_result *res, struct zl_error *err);

#endif /* ZL_STORE_IMPORT_H */
