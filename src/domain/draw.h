/*
 * draw.h - random draws that anyone can verify (双随机): which enterprises
 * a spot check samples, and which inspectors go to each, chosen from a
 * published candidate list by a seed that is committed to before the draw
 * and revealed after it.  docs/draws.md is the specification for
 * auditors who re-implement it; this header is the C interface.
 *
 * A draw of enterprises, in three steps:
 *
 *   1. zl_draw_prepare() takes the candidate list (id, weight, stratum,
 *      and opaque attributes carried along) and the number to select or
 *      the quota of each stratum, checks them and puts them in canonical
 *      order.  The list is what remains after the exclusion rules (not
 *      operating, sampled for the same product by the same authority in
 *      the last six months, ...): the caller applies them before, and
 *      what is given here is drawn from as it is.
 *   2. zl_draw_input_commitment() is the SHA-256 of the canonical form of
 *      those inputs (zl_draw_canonical() writes the bytes), and
 *      zl_draw_seed_commitment() the SHA-256 of the 32-byte seed.  Both
 *      are published before the draw; the seed stays secret.
 *   3. zl_draw_run() with the revealed seed gives the selection, in
 *      selection order.  Same inputs and seed, same result, on every
 *      machine: the arithmetic that decides the result is integer only.
 *
 * The method (docs/draws.md has it byte by byte): weighted sampling
 * without replacement after Efraimidis and Spirakis (2006).  Every
 * candidate gets a uniform u in (0, 1] from a ChaCha20 keystream and the
 * key u^(1/w); the candidates with the largest keys are selected, the
 * largest first.  Here the key is kept as its negative base-2 logarithm,
 * L / w with L = -log2(u) in fixed point (zl_draw_neglog2(): an exact
 * integer algorithm, not libm), and two keys are compared as the exact
 * 128-bit products L_a * w_b and L_b * w_a, so no floating-point rounding
 * can differ between machines.  Equal weights give a uniform sample.
 * Each stratum has its own keystream, derived from the seed and the
 * stratum's name, read in the canonical order of its own candidates:
 * what one stratum holds never changes another stratum's result.
 *
 * Inspectors (zl_draw_inspectors_*) are drawn the same way: for each task,
 * a keystream derived from the seed and the task's id gives every
 * inspector of the pool a key; those from the enterprise's own county
 * (when the plan excludes them) and those who declared a conflict of
 * interest with the enterprise are skipped, and the `per_task` smallest
 * keys among the rest are assigned.
 *
 * Pure: no I/O, no clock, no random source but the seed passed in.
 * SHA-256 and ChaCha20 are libsodium's (through core/rand.h for the
 * stream); call zl_core_init() first.  No global state; thread-safe for
 * distinct objects.
 */
#ifndef ZL_DOMAIN_DRAW_H
#define ZL_DOMAIN_DRAW_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/err.h"

/* The algorithm's name and version, the first field of every canonical form. */
#define ZL_DRAW_ALGORITHM "zhiliang-draw-v1"
#define ZL_DRAW_SEED_BYTES 32
/* A SHA-256 in lowercase hex, without the NUL. */
#define ZL_DRAW_HEX_LEN 64

/* Weights are integers in millionths: 1 is 1000000, 2.5 is 2500000. */
#define ZL_DRAW_WEIGHT_ONE UINT64_C(1000000)
#define ZL_DRAW_WEIGHT_MAX UINT64_C(1000000000000000) /* 1,000,000,000 */
/* Room for the longest weight text, "1000000000" or "999999999.999999", and the NUL. */
#define ZL_DRAW_WEIGHT_TEXT 20

/* Limits, in bytes of UTF-8. */
#define ZL_DRAW_ID_MAX 256     /* an id, a stratum, a county */
#define ZL_DRAW_LABEL_MAX 1024 /* the label */
/* At most this many candidates (positions are kept in 32 bits). */
#define ZL_DRAW_MAX_CANDIDATES 100000000u
/* At most this many selected per stratum or task, and in all. */
#define ZL_DRAW_MAX_QUOTA 100000000u

/* Fractional bits of zl_draw_neglog2(). */
#define ZL_DRAW_LOG_BITS 58

struct zl_draw_candidate {
	const char *id;	     /* non-empty, unique in the draw; borrowed */
	const char *stratum; /* its stratum when the draw has quotas, else ignored; borrowed */
	uint64_t weight;     /* millionths, 1 .. ZL_DRAW_WEIGHT_MAX */
	const void *attrs;   /* the caller's, never read: carried to the result */
};

struct zl_draw_quota {
	const char *stratum; /* borrowed */
	uint64_t quota;	     /* 0 .. the stratum's candidates */
};

/* What to draw.  Everything is borrowed and must outlive the prepared draw. */
struct zl_draw_spec {
	const char *label; /* what the draw is for, committed with it; NULL is "" */
	const struct zl_draw_candidate *cand;
	size_t ncand;
	/* Either no quotas and `count` (1 .. ncand) drawn from all candidates, */
	uint64_t count;
	/* or one quota per stratum the candidates name (and none for another). */
	const struct zl_draw_quota *quotas;
	size_t nquotas;
};

struct zl_draw_stratum {
	const char *name; /* "" for the one stratum of an unstratified draw */
	uint64_t quota;
	size_t first; /* its candidates are d->cand[first .. first + n) */
	size_t n;
	size_t input; /* its position in spec->quotas (0 when unstratified) */
};

/* Which inputs a refusal of zl_draw_prepare() is about (positions in the spec). */
struct zl_draw_fault {
	size_t cand;	    /* a candidate, or SIZE_MAX */
	size_t cand2;	    /* the other candidate of a duplicate id, or SIZE_MAX */
	size_t quota;	    /* a quota, or SIZE_MAX */
	const char *member; /* the candidate's "id", "weight" or "stratum"; NULL */
};

/* A prepared draw: the inputs checked and in canonical order. */
struct zl_draw {
	const char *label; /* borrowed, never NULL */
	int stratified;	   /* quotas were given */
	/*
	 * The candidates sorted by stratum name, then by id (bytewise).  Their
	 * ids are copies in `text`, laid out in this order (so a pass over the
	 * draw reads memory in order); stratum names and attrs are the caller's.
	 */
	struct zl_draw_candidate *cand; /* owned array */
	char *text;			/* owned */
	uint32_t *input;		/* input[i]: position of cand[i] in spec->cand */
	size_t ncand;
	struct zl_draw_stratum *strata; /* owned, sorted by name (bytewise) */
	size_t nstrata;
	uint64_t total;		    /* selected in all: the sum of the quotas */
	struct zl_draw_fault fault; /* after a refusal */
};

/* One selected candidate. */
struct zl_draw_pick {
	size_t cand;	  /* index in d->cand (canonical order) */
	size_t input;	  /* position in spec->cand */
	uint64_t u53;	  /* U: u = (U + 1) / 2^53 */
	uint64_t neglog2; /* L = zl_draw_neglog2(U); the key is L / weight */
};

/* The selection: strata in canonical order, each its picks in selection order. */
struct zl_draw_result {
	struct zl_draw_pick *picks; /* owned */
	size_t n;		    /* = d->total */
};

/*
 * Check `spec` and fill `d` (which the caller releases with
 * zl_draw_release() whether this succeeds or not).  Refused with ZL_EUNPROC,
 * a message naming the id or stratum, err->field "candidates" or "quotas",
 * and d->fault giving the positions: no candidates; an id empty, longer
 * than ZL_DRAW_ID_MAX, not UTF-8 or holding a control character; the same
 * id twice; a weight outside 1 .. ZL_DRAW_WEIGHT_MAX; count 0 or more
 * than the candidates; with quotas, a stratum that is empty or has no
 * quota, a quota for a stratum with no candidates, a stratum given two
 * quotas, a quota larger than its stratum, or all quotas 0; a label not
 * UTF-8, too long or with a control character.  ZL_ETOOBIG past
 * ZL_DRAW_MAX_CANDIDATES or ZL_DRAW_MAX_QUOTA; ZL_ENOMEM.
 */
int zl_draw_prepare(struct zl_draw *d, const struct zl_draw_spec *spec, struct zl_error *err);
void zl_draw_release(struct zl_draw *d);

/*
 * Append the canonical form of the prepared inputs (the bytes hashed for
 * the input commitment; docs/draws.md) to `out`.  ZL_OK or the buffer's
 * error.  zl_draw_input_commitment() hashes the same bytes as they are
 * made, without holding them.
 */
int zl_draw_canonical(const struct zl_draw *d, struct zl_buf *out);
/* SHA-256 of the canonical form, lowercase hex.  Cannot fail. */
void zl_draw_input_commitment(const struct zl_draw *d, char out[ZL_DRAW_HEX_LEN + 1]);
/* SHA-256 of the 32 seed bytes, lowercase hex.  Cannot fail. */
void zl_draw_seed_commitment(const unsigned char seed[ZL_DRAW_SEED_BYTES],
			     char out[ZL_DRAW_HEX_LEN + 1]);

/*
 * Draw with `seed`: fills `res` (released with zl_draw_result_release()
 * in every case) with d->total picks.  ZL_OK or ZL_ENOMEM.
 */
int zl_draw_run(const struct zl_draw *d, const unsigned char seed[ZL_DRAW_SEED_BYTES],
		struct zl_draw_result *res, struct zl_error *err);
void zl_draw_result_release(struct zl_draw_result *res);

/*
 * The 32-byte key of the keystream of stratum `name` (kind "stratum") or
 * task `name` (kind "task"): SHA-256 of the netstrings of
 * ZL_DRAW_ALGORITHM, kind, the seed and the name.  For tests and tools.
 */
void zl_draw_stream_key(const char *kind, const unsigned char seed[ZL_DRAW_SEED_BYTES],
			const char *name, unsigned char key[ZL_DRAW_SEED_BYTES]);

/*
 * -log2((u53 + 1) / 2^53) in units of 2^-ZL_DRAW_LOG_BITS, by the integer
 * algorithm of docs/draws.md (58 squarings of a 63-bit fixed-point
 * number); bits of u53 above the 53rd are ignored.  0 for u53 = 2^53 - 1,
 * 53 * 2^58 for 0; less than 2 units (2^-57) from the exact value, and
 * never increasing with u53.
 */
uint64_t zl_draw_neglog2(uint64_t u53);

/*
 * Compare the keys of weights (w_a, w_b) and logs (l_a, l_b): negative
 * when l_a / w_a < l_b / w_b (a is drawn before b), 0 when equal, positive
 * when greater; exact.
 */
int zl_draw_key_cmp(uint64_t l_a, uint64_t w_a, uint64_t l_b, uint64_t w_b);

/*
 * Read a weight: a plain decimal number, digits with at most six after
 * an optional point ("2", "2.5", "0.125", ".5" and "2." are not), greater
 * than 0 and at most 1,000,000,000; spaces and tabs around it are
 * ignored.  Returns ZL_OK and *micro, or ZL_EUNPROC with a message saying
 * what is wrong (err->field is left to the caller: it is set to "").
 */
int zl_draw_weight_parse(const char *s, uint64_t *micro, struct zl_error *err);
/* The canonical text of a weight: "1", "2.5", "0.000001" (no trailing zeros). */
const char *zl_draw_weight_format(uint64_t micro, char out[ZL_DRAW_WEIGHT_TEXT]);

/*
 * Read a seed written as 64 hex digits (either case).  ZL_OK, or ZL_EINVAL
 * with a message saying what is wrong.
 */
int zl_draw_seed_parse(const char *hex, unsigned char seed[ZL_DRAW_SEED_BYTES],
		       struct zl_error *err);
/* `n` bytes as lowercase hex into out[0 .. 2n], NUL-terminated. */
void zl_draw_hex(const unsigned char *p, size_t n, char *out);

/*
 * 1 when `s` may be an id, stratum, county or task: 1 .. ZL_DRAW_ID_MAX
 * bytes of UTF-8 without control characters; else 0 and *why says why.
 */
int zl_draw_name_ok(const char *s, const char **why);

/* ---- inspectors ------------------------------------------------------- */

struct zl_draw_inspector {
	const char *id; /* non-empty, unique in the pool; borrowed */
	const char
		*county; /* GB/T 2260 code of the county worked in; "" or NULL: none (province) */
	const char *const *conflicts; /* ids of enterprises with a declared conflict; borrowed */
	size_t nconflicts;
	const void *attrs; /* the caller's, carried along */
};

struct zl_draw_task {
	const char *id;		/* non-empty, unique among the tasks; borrowed */
	const char *enterprise; /* the inspected enterprise's id */
	const char *county;	/* its county; "" or NULL unknown */
};

struct zl_draw_inspector_spec {
	const char *label; /* NULL is "" */
	const struct zl_draw_inspector *pool;
	size_t npool;
	const struct zl_draw_task *tasks;
	size_t ntasks;
	unsigned per_task;	/* inspectors per task, 1 .. ZL_DRAW_PER_TASK_MAX (the rule is 2) */
	int exclude_own_county; /* never one from the enterprise's county: tasks need a county */
};

/* Inspectors per task at most. */
#define ZL_DRAW_PER_TASK_MAX 16

/* A prepared inspector draw, canonical order: pool and tasks sorted by id. */
struct zl_draw_inspectors {
	const char *label;		/* borrowed, never NULL */
	struct zl_draw_inspector *pool; /* owned array; its conflicts point into conflict_store */
	uint32_t *pool_input;		/* position of pool[i] in spec->pool */
	size_t npool;
	const char **conflict_store; /* owned: every member's conflicts, each list sorted */
	struct zl_draw_task *tasks;  /* owned array; strings borrowed */
	uint32_t *task_input;	     /* position of tasks[i] in spec->tasks */
	size_t ntasks;
	unsigned per_task;
	int exclude_own_county;
	/* After a refusal: cand is the position of the pool member or task (err->field says
	 * which), cand2 a second one (a repeated id); quota is unused. */
	struct zl_draw_fault fault;
};

/* The inspectors of one task. */
struct zl_draw_assignment {
	size_t task;				/* index in ins->tasks */
	size_t member[ZL_DRAW_PER_TASK_MAX];	/* indexes in ins->pool, in selection order */
	uint64_t u53[ZL_DRAW_PER_TASK_MAX];	/* their U */
	uint64_t neglog2[ZL_DRAW_PER_TASK_MAX]; /* their L */
	size_t eligible;			/* pool members left after the rules */
	size_t same_county;			/* skipped as from the enterprise's county */
	size_t conflicted; /* skipped for a declared conflict (and not already for the county) */
};

/* Every task's assignment, tasks in canonical order. */
struct zl_draw_inspector_result {
	struct zl_draw_assignment *tasks; /* owned */
	size_t ntasks;
};

/*
 * Check and order an inspector draw, as zl_draw_prepare() (release with
 * zl_draw_inspectors_release() in every case).  Refused with ZL_EUNPROC,
 * err->field "pool", "tasks", "per_task" or "label": an empty pool or task
 * list, a bad or repeated id, a bad county or enterprise id, a conflict
 * listed twice, per_task outside 1 .. ZL_DRAW_PER_TASK_MAX, a task without
 * a county when the own county is excluded.
 */
int zl_draw_inspectors_prepare(struct zl_draw_inspectors *ins,
			       const struct zl_draw_inspector_spec *spec, struct zl_error *err);
void zl_draw_inspectors_release(struct zl_draw_inspectors *ins);
int zl_draw_inspectors_canonical(const struct zl_draw_inspectors *ins, struct zl_buf *out);
void zl_draw_inspectors_commitment(const struct zl_draw_inspectors *ins,
				   char out[ZL_DRAW_HEX_LEN + 1]);
/*
 * Assign per_task inspectors to every task with `seed`.  ZL_EUNPROC (field
 * "tasks", ins->fault.cand the task's input position) when a task has
 * fewer eligible inspectors than per_task; ZL_ENOMEM.  `res` is released
 * with zl_draw_inspector_result_release() in every case.
 */
int zl_draw_inspectors_run(struct zl_draw_inspectors *ins,
			   const unsigned char seed[ZL_DRAW_SEED_BYTES],
			   struct zl_draw_inspector_result *res, struct zl_error *err);
void zl_draw_inspector_result_release(struct zl_draw_inspector_result *res);

#endif /* ZL_DOMAIN_DRAW_H */
