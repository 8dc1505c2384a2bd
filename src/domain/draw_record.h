/*
 * draw_record.h - the published record of a draw (domain/draw.h) as JSON,
 * and its verification: what `zhiliang draw verify RECORD.json` and the
 * public "verify this draw" page run.
 *
 * A record holds the algorithm, the inputs in canonical order (enough to
 * rebuild the canonical form), the two commitments published before the
 * draw, and, once drawn, the seed and the result in selection order.
 * Before the draw the same record without seed and result is the public
 * commitment.  docs/draws.md, "The record", gives every member; members it
 * does not name are ignored (a service may add its own, such as the time
 * of publication), and so is what a result entry carries besides the
 * checked members (the CSV row of a selected candidate, for reading).
 *
 * Checking a record: rebuild the canonical inputs and hash them (input
 * commitment), hash the seed (seed commitment), re-run the draw and
 * compare the result position by position (id, stratum or task, and the
 * u53 and neglog2 a position states).  Every difference is counted; the
 * first few are kept with what the record says and what was computed.
 *
 * Pure: parsing and checking do no I/O.  Not thread-safe per record.
 */
#ifndef ZL_DOMAIN_DRAW_RECORD_H
#define ZL_DOMAIN_DRAW_RECORD_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "core/err.h"
#include "domain/draw.h"

struct zl_jw;

/* The value of the record's "record" member. */
#define ZL_DRAW_RECORD_FORMAT "zhiliang-draw-record"
/* Nesting of a record: object > array > object > array (conflicts, rows) > value. */
#define ZL_DRAW_RECORD_DEPTH 6

enum zl_draw_kind {
	ZL_DRAW_KIND_SELECT = 1, /* "select": candidates drawn by count or quotas */
	ZL_DRAW_KIND_INSPECTORS, /* "inspectors": inspectors assigned to tasks */
};

/* What a writer adds to the standard members (each callback may be NULL). */
struct zl_draw_record_hooks {
	/* Extra top-level members, written last (e.g. "columns"). */
	void (*extra)(void *ctx, struct zl_jw *w);
	/* Extra members of the result entry of candidate `c` (e.g. "row"). */
	void (*pick)(void *ctx, const struct zl_draw_candidate *c, struct zl_jw *w);
	/* The same for an inspector of an assignment. */
	void (*member)(void *ctx, const struct zl_draw_inspector *m, struct zl_jw *w);
	void *ctx;
};

/*
 * Write the record of the prepared draw `d` as one JSON object.  Before
 * the draw `seed` and `res` are NULL: the record then carries the seed
 * commitment `seed_commitment` (64 hex digits) and no seed or result.
 * After it, `seed` (32 bytes) and `res` (from zl_draw_run() with that
 * seed) are given and `seed_commitment` may be NULL (it is computed).
 * The input commitment is computed.  Errors are the writer's (check
 * zl_jw_error()).
 */
void zl_draw_record_write(struct zl_jw *w, const struct zl_draw *d, const char *seed_commitment,
			  const unsigned char *seed, const struct zl_draw_result *res,
			  const struct zl_draw_record_hooks *hooks);
/* The same for an inspector draw. */
void zl_draw_inspectors_record_write(struct zl_jw *w, const struct zl_draw_inspectors *ins,
				     const char *seed_commitment, const unsigned char *seed,
				     const struct zl_draw_inspector_result *res,
				     const struct zl_draw_record_hooks *hooks);

/* One position of a published result, as the record states it. */
struct zl_draw_record_pick {
	const char *id;	   /* the candidate or inspector */
	const char *group; /* its stratum ("" unstratified) or task; NULL when not stated */
	int has_u53, has_neglog2;
	uint64_t u53, neglog2;
};

/* A parsed record.  Strings point into `root`. */
struct zl_draw_record {
	cJSON *root; /* owned */
	enum zl_draw_kind kind;
	char input_commitment[ZL_DRAW_HEX_LEN + 1];
	char seed_commitment[ZL_DRAW_HEX_LEN + 1];
	int has_seed;
	unsigned char seed[ZL_DRAW_SEED_BYTES];
	/* kind select: the inputs as zl_draw_prepare() takes them */
	struct zl_draw_spec spec;
	struct zl_draw_candidate *cand; /* owned */
	struct zl_draw_quota *quotas;	/* owned */
	/* kind inspectors */
	struct zl_draw_inspector_spec ins_spec;
	struct zl_draw_inspector *pool; /* owned */
	const char **conflicts;		/* owned: every member's conflicts */
	struct zl_draw_task *tasks;	/* owned */
	/* the published result (has_result 0 before the draw) */
	int has_result;
	struct zl_draw_record_pick *picks; /* owned; inspectors: task by task */
	size_t npicks;
};

/*
 * Parse the record text s[0 .. n).  Returns ZL_OK, or ZL_EINVAL (not
 * JSON; the message names the byte offset) or ZL_EUNPROC (a member
 * missing, of the wrong type or malformed; err->field names it, e.g.
 * "candidates[3].weight") or ZL_ENOMEM.  The record is released with
 * zl_draw_record_release() in every case.  Whether the inputs make a
 * valid draw (no duplicate id, quotas that fit) is zl_draw_record_check()'s
 * question.
 */
int zl_draw_record_parse(const char *s, size_t n, struct zl_draw_record *rec, struct zl_error *err);
void zl_draw_record_release(struct zl_draw_record *rec);

/* A position where the published result and the re-run differ. */
struct zl_draw_diff {
	size_t position;  /* 1-based, in the order of the record's result */
	const char *what; /* "id", "stratum", "task", "u53", "neglog2", "missing", "extra" */
	char recorded[ZL_DRAW_ID_MAX + 1];
	char computed[ZL_DRAW_ID_MAX + 1];
};

#define ZL_DRAW_DIFFS_KEPT 10

struct zl_draw_check {
	int input_ok;
	char input_computed[ZL_DRAW_HEX_LEN + 1];
	int seed_ok; /* when the record has a seed */
	char seed_computed[ZL_DRAW_HEX_LEN + 1];
	int result_checked; /* the record has a seed and a result */
	int result_ok;
	size_t result_recorded;			       /* positions in the record */
	size_t result_computed;			       /* positions the draw gives */
	size_t ndiffs;				       /* positions that differ (all of them) */
	struct zl_draw_diff diffs[ZL_DRAW_DIFFS_KEPT]; /* the first ones */
};

/* 1 when everything was checked and matches: both commitments and every position. */
int zl_draw_check_ok(const struct zl_draw_check *chk);

/*
 * Check `rec` into `chk`.  Returns ZL_OK when the check ran (whatever it
 * found: see chk), or the refusal of the record's inputs by
 * zl_draw_prepare() / zl_draw_inspectors_prepare() (ZL_EUNPROC naming
 * what is wrong: such a record cannot be checked), or ZL_ENOMEM.  The
 * draw is re-run whenever the record has a seed and a result, even when
 * the seed does not match its commitment, so that both are reported.
 */
int zl_draw_record_check(const struct zl_draw_record *rec, struct zl_draw_check *chk,
			 struct zl_error *err);

#endif /* ZL_DOMAIN_DRAW_RECORD_H */
