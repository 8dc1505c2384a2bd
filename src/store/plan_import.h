/*
 * plan_import.h - a plan document's bytes to the plan ledger: the glue
 * between the parser (domain/plan.h) and the store's neutral input
 * (struct zl_plan_in, store/plans.h), shared by `zhiliang plan parse`,
 * `zhiliang plan import` and POST /api/v1/plans/import.
 *
 * Three steps, each usable alone:
 *   1. zl_plan_load() reads a file (or zl_plan_load_fd() a descriptor)
 *      whole, capped at ZL_PLAN_MAX_INPUT;
 *   2. zl_plan_decode() turns its bytes into UTF-8: a BOM decides, else
 *      valid UTF-8 is UTF-8, else GB18030 (which includes GBK), unless the
 *      caller forces an encoding;
 *   3. zl_plan_import_prepare() decodes, parses, refuses a text that is no
 *      plan, and maps the parse onto struct zl_plan_in (zl_plan_import_map,
 *      pure) with the file's SHA-256, ready for zl_store_plan_create().
 *
 * The mapping is one to one (docs/plan-ledger.md): the title, issuer, date
 * and lead rule; the sections in order; each task's number, section, title
 * and whole text; every attribution's departments in order, its lead, mode,
 * lead basis, open-endedness and flags by their names.  The store turns
 * attributions into owner rows (lead, co, shared, unnamed) and resolves the
 * names.  What the ledger cannot hold as written is adapted, never dropped:
 * a title longer than the ledger's limit is cut with "…" (the task's text
 * keeps every word), a section number that repeats gets "(2)", "(3)" and
 * its tasks follow it, an empty title falls back to the file's name, an
 * empty section title to its number.  A task whose text exceeds the
 * ledger's 20,000 characters, or with more than 64 owners, is refused with
 * the task's number and line.  No SQL here.
 */
#ifndef ZL_STORE_PLAN_IMPORT_H
#define ZL_STORE_PLAN_IMPORT_H

#include <stddef.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "domain/plan.h"
#include "store/plans.h"

/* The encodings a caller may force. */
enum zl_plan_enc {
	ZL_PLAN_ENC_AUTO = 0, /* BOM, else UTF-8 when valid, else GB18030 */
	ZL_PLAN_ENC_UTF8,     /* UTF-8, a BOM skipped */
	ZL_PLAN_ENC_GBK,      /* GBK / GB18030 */
};

/*
 * "auto" (or NULL / ""), "utf-8", "utf8", "gbk", "gb18030" (any case) into
 * *out; ZL_EINVAL (field "encoding") for anything else.
 */
int zl_plan_enc_parse(const char *s, enum zl_plan_enc *out, struct zl_error *err);

/*
 * Append everything `fd` yields to `raw` (initialise it with a cap of
 * ZL_PLAN_MAX_INPUT).  `label` names the input in messages ("stdin", a
 * path).  ZL_EIO, or ZL_ETOOBIG past the buffer's cap.
 */
int zl_plan_load_fd(int fd, const char *label, struct zl_buf *raw, struct zl_error *err);

/* The same for the file at `path`: ZL_EIO when it cannot be opened or is a directory. */
int zl_plan_load(const char *path, struct zl_buf *raw, struct zl_error *err);

/*
 * Append raw[0..n) as UTF-8 to `text` (a leading BOM dropped).
 * *encoding (may be NULL) receives the name of the encoding read
 * ("utf-8", "utf-8-bom", "utf-16le", "gb18030", ...; static).  ZL_EINVAL
 * (field "encoding") "LABEL is not gb18030 text: invalid ... at byte offset
 * N (line L)" when the bytes are not text in the encoding; ZL_ETOOBIG /
 * ZL_ENOMEM when `text` cannot grow.
 */
int zl_plan_decode(const char *raw, size_t n, enum zl_plan_enc enc, const char *label,
		   struct zl_buf *text, const char **encoding, struct zl_error *err);

/* What the caller says about the plan beyond what the document says. */
struct zl_plan_import_opts {
	const char *org;	 /* the owning organization's code (required) */
	int year;		 /* 0: the year of the document's date */
	const char *deadline;	 /* every task's deadline (YYYY-MM-DD), or NULL */
	const char *source_name; /* the file's name (a path: its last part), or NULL */
};

/*
 * Map the parsed plan `p` onto *in, allocating in `a` (strings of `p` are
 * borrowed: keep it alive while *in is used).  `sha256` (64 hex, or NULL)
 * is the file's.  Then zl_plan_in_check().  ZL_EUNPROC naming the field,
 * with the task's number and line for a task's field ("tasks[3].text: ...
 * (task 4, line 27)"); "year" when neither the document nor the caller
 * gives a year; ZL_ENOMEM.
 */
int zl_plan_import_map(const struct zl_plan *p, const struct zl_plan_import_opts *o,
		       const char *sha256, struct zl_arena *a, struct zl_plan_in *in,
		       struct zl_error *err);

/* A document read for import: the parse, its mapping and the file's facts. */
struct zl_plan_import {
	struct zl_plan plan;   /* the parse (domain/plan.h) */
	struct zl_plan_in in;  /* what zl_store_plan_create() takes */
	struct zl_arena arena; /* the mapping's arrays and strings */
	char sha256[65];       /* of the bytes as uploaded */
	const char *encoding;  /* the encoding read (static) */
};

/* An empty import (no allocation); zl_plan_import_release() may be called on it. */
void zl_plan_import_init(struct zl_plan_import *im);
void zl_plan_import_release(struct zl_plan_import *im);

/*
 * Decode raw[0..n) (`label` names it in messages), parse it, check that it
 * is a plan and map it with `o` into im (initialised, released first).
 * Errors: ZL_EINVAL (field "encoding") for bytes that are not text in the
 * encoding; ZL_ETOOBIG past ZL_PLAN_MAX_INPUT; ZL_EUNPROC (field "file")
 * "LABEL: not a plan: ..." when no numbered item carries an attribution,
 * or as zl_plan_import_map(); ZL_ENOMEM.
 */
int zl_plan_import_prepare(const char *raw, size_t n, enum zl_plan_enc enc, const char *label,
			   const struct zl_plan_import_opts *o, struct zl_plan_import *im,
			   struct zl_error *err);

/*
 * Of the owner rows of `set`: how many name a department (*names; not the
 * unnamed 各有关部门… rows) and how many of those resolved (*resolved).
 */
void zl_plan_import_count(const struct zl_plan_task_set *set, size_t *names, size_t *resolved);

/*
 * The audit row's detail of a stored import, as one JSON object into
 * `out`: {"file","sha256","org","tasks","names","unresolved"} (counts of
 * owner rows naming a department, and of those left unresolved).  Returns
 * the buffer's error.
 */
int zl_plan_import_detail(const struct zl_plan_import *im, size_t tasks, size_t names,
			  size_t unresolved, struct zl_buf *out);

#endif /* ZL_STORE_PLAN_IMPORT_H */
