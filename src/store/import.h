/*
 * import.h - the enterprise import engine: read a table file (CSV, xlsx,
 * xls through core/table.h), find its header and map its columns
 * (domain/import_map.h), normalise and validate every row
 * (domain/enterprise.h, legacy-import rules) and upsert the accepted rows
 * (store/enterprises.h), collecting every rejected row with its row number
 * as the file shows it, the column, the value and the reason.
 *
 * Atomicity is the caller's transaction: zl_import_enterprises() must run
 * inside zl_db_begin().  It writes as it reads (so memory stays flat for
 * files of millions of rows); as soon as a row is rejected without
 * opt->partial it stops writing, keeps validating to report every bad
 * row, and leaves res->written = 0: the caller must then roll back.  With
 * res->written = 1 the caller commits (after its audit row).
 *
 * Rows skipped without counting: rows above the header (titles), rows whose
 * cells are all blank, and footer notes (a row whose only non-blank cell
 * starts with 注 / 备注 / 说明 / 制表 / 填表).  A second row for the same
 * enterprise key is rejected naming the first row.  Columns recognised but not
 * stored by this import (former_name) are listed in res->notes.
 */
#ifndef ZL_STORE_IMPORT_H
#define ZL_STORE_IMPORT_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "core/table.h"
#include "db/db.h"

#define ZL_IMPORT_MAX_REJECTS_DEFAULT 100000u

struct zl_import_reject {
	uint64_t row;	  /* row number in the file (1-based, as a spreadsheet shows it) */
	char column[96];  /* "B (统一社会信用代码)", or "" for the whole row */
	char value[256];  /* the cell as read (cut at a character boundary) */
	char reason[256]; /* why */
};

/* Progress: data rows handled so far, bytes of the file read / its size. */
typedef void zl_import_progress_fn(void *cls, uint64_t rows, uint64_t bytes_done,
				   uint64_t bytes_total);

struct zl_import_options {
	int partial;			 /* write the good rows even when some are rejected */
	enum zl_table_encoding encoding; /* CSV decoding */
	const char *actor;		 /* recorded by the store; NULL: "import" */
	zl_import_progress_fn *progress; /* may be NULL; called every 256 rows and at the end */
	void *progress_cls;
	size_t max_rejects; /* rejects kept in res->rejects (0: default); all are counted */
};

struct zl_import_result {
	uint64_t rows; /* data rows read (below the header, not blank) */
	uint64_t imported, updated, unchanged, rejected;
	int written;	     /* 1: accepted rows were written, commit; 0: roll back */
	uint64_t header_row; /* where the header was found */
	enum zl_table_format format;
	char encoding[16];		  /* CSV encoding detected ("" for workbooks) */
	struct zl_import_reject *rejects; /* the first max_rejects rejected rows */
	size_t nrejects, cap;
	char **unmapped; /* "D (备注)" for each header cell that names no field */
	size_t nunmapped;
	char **notes; /* other remarks ("column E (曾用名) is recognised but not imported") */
	size_t nnotes;
};

void zl_import_result_init(struct zl_import_result *res);
void zl_import_result_release(struct zl_import_result *res);

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
