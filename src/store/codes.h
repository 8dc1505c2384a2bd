/*
 * codes.h - copying the code tables of src/codes/ (GB/T 2260 regions of
 * Henan with their directly-administered flags, GB/T 4754-2017 sections and
 * divisions) into the database, so SQL can join and filter on them.
 *
 * Representation: region codes as 6-character TEXT ("410100"), dates as
 * TEXT "YYYY-MM-DD" with valid_to NULL while in force; a region's parent is
 * the parent in force on the row's valid_from.  Industry sections are rows
 * of level 1 whose code is the letter ("C"), divisions level 2 with the
 * two-digit code ("13"); both carry their edition ("GB/T 4754-2017").
 */
#ifndef ZL_STORE_CODES_H
#define ZL_STORE_CODES_H

#include "core/err.h"
#include "db/db.h"

/*
 * Insert or update every row of the code tables, in one transaction
 * (all or nothing; must not be called inside one).  Idempotent: a second
 * call changes nothing.  Rows that are no longer in the tables are left
 * alone (codes are dated, never deleted).  Needs the schema (migrate first).
 */
int zl_store_load_codes(struct zl_db *db, struct zl_error *err);

#endif /* ZL_STORE_CODES_H */
