/*
 * codes.c - loading the static code tables into the database (codes.h).
 */
#include <stdint.h>
#include <stdio.h>

#include "codes/industry.h"
#include "codes/region.h"
#include "store/codes.h"

/* YYYYMMDD -> "YYYY-MM-DD"; 0 (open end) -> NULL. */
static const char *date_text(int ymd, char out[16])
{
	if (ymd == 0)
		return NULL;
	snprintf(out, 16, "%04d-%02d-%02d", ymd / 10000 % 10000, ymd / 100 % 100, ymd % 100);
	return out;
}

static const char *code_text(int code, char out[16])
{
	snprintf(out, 16, "%06d", code % 1000000);
	return out;
}

/* Step an INSERT bound by the caller, then reset it. */
static int run(struct zl_stmt *st, struct zl_error *err)
{
	int rc = zl_stmt_step(st, err);

	zl_stmt_reset(st);
	return rc < 0 ? rc : ZL_OK;
}

static int load_regions(struct zl_db *db, struct zl_error *err)
{
	struct zl_stmt *st;
	char code[16], parent[16], from[16], to[16];
	int rc;

	rc = zl_db_prepare(db,
			   "INSERT INTO regions (code, name, level, parent, valid_from, valid_to)"
			   " VALUES (?, ?, ?, ?, ?, ?)"
			   " ON CONFLICT (code, valid_from) DO UPDATE SET name = excluded.name,"
			   " level = excluded.level, parent = excluded.parent,"
			   " valid_to = excluded.valid_to",
			   &st, err);
	if (rc != ZL_OK)
		return rc;
	for (size_t i = 0; i < zl_region_count(); i++) {
		const struct zl_region *r = zl_region_at(i);
		const struct zl_region *p = zl_region_parent(r, r->valid_from);

		zl_stmt_bind_text(st, 1, code_text(r->code, code), -1);
		zl_stmt_bind_text(st, 2, r->name, -1);
		zl_stmt_bind_int64(st, 3, r->level);
		zl_stmt_bind_text(st, 4, p != NULL ? code_text(p->code, parent) : NULL, -1);
		zl_stmt_bind_text(st, 5, date_text(r->valid_from, from), -1);
		zl_stmt_bind_text(st, 6, date_text(r->valid_to, to), -1);
		rc = run(st, err);
		if (rc != ZL_OK) {
			char msg[ZL_ERR_MSG_MAX];
			/* Copy first: the message is formatted into the same struct. */
			snprintf(msg, sizeof(msg), "%s", err != NULL ? err->message : "");
			zl_error_set(err, (enum zl_err)rc, "regions", "region %06d: %s", r->code,
				     msg);
			return rc;
		}
	}
	rc = zl_db_prepare(
		db,
		"INSERT INTO region_direct_admin (code, valid_from, valid_to)"
		" VALUES (?, ?, ?)"
		" ON CONFLICT (code, valid_from) DO UPDATE SET valid_to = excluded.valid_to",
		&st, err);
	if (rc != ZL_OK)
		return rc;
	for (size_t i = 0; i < zl_region_direct_count(); i++) {
		const struct zl_region_direct *d = zl_region_direct_at(i);

		zl_stmt_bind_text(st, 1, code_text(d->code, code), -1);
		zl_stmt_bind_text(st, 2, date_text(d->valid_from, from), -1);
		zl_stmt_bind_text(st, 3, date_text(d->valid_to, to), -1);
		rc = run(st, err);
		if (rc != ZL_OK)
			return rc;
	}
	return ZL_OK;
}

static int load_industries(struct zl_db *db, struct zl_error *err)
{
	struct zl_stmt *st;
	char letter[2] = {0, 0};
	int rc;

	rc = zl_db_prepare(db,
			   "INSERT INTO industries (code, edition, section, name, level)"
			   " VALUES (?, ?, ?, ?, ?)"
			   " ON CONFLICT (code) DO UPDATE SET edition = excluded.edition,"
			   " section = excluded.section, name = excluded.name,"
			   " level = excluded.level",
			   &st, err);
	if (rc != ZL_OK)
		return rc;
	for (size_t i = 0; i < zl_industry_section_count(); i++) {
		const struct zl_industry_section *s = zl_industry_section_at(i);

		letter[0] = s->letter;
		zl_stmt_bind_text(st, 1, letter, 1);
		zl_stmt_bind_text(st, 2, zl_industry_edition(), -1);
		zl_stmt_bind_text(st, 3, letter, 1);
		zl_stmt_bind_text(st, 4, s->name, -1);
		zl_stmt_bind_int64(st, 5, 1);
		rc = run(st, err);
		if (rc != ZL_OK)
			return rc;
	}
	for (size_t i = 0; i < zl_industry_division_count(); i++) {
		const struct zl_industry_division *d = zl_industry_division_at(i);

		letter[0] = d->section;
		zl_stmt_bind_text(st, 1, d->code, 2);
		zl_stmt_bind_text(st, 2, zl_industry_edition(), -1);
		zl_stmt_bind_text(st, 3, letter, 1);
		zl_stmt_bind_text(st, 4, d->name, -1);
		zl_stmt_bind_int64(st, 5, 2);
		rc = run(st, err);
		if (rc != ZL_OK)
			return rc;
	}
	return ZL_OK;
}

int zl_store_load_codes(struct zl_db *db, struct zl_error *err)
{
	int rc;

	rc = zl_db_begin(db, err);
	if (rc != ZL_OK)
		return rc;
	rc = load_regions(db, err);
	if (rc != ZL_OK)
		goto out;
	rc = load_industries(db, err);
out:
	if (rc != ZL_OK) {
		zl_db_rollback(db);
		return rc;
	}
	return zl_db_commit(db, err);
}
