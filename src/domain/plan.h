/*
 * plan.h - reading a government work plan (实施方案, 行动计划, 意见) as
 * plain text: its title, issuer and date, its sections, and the numbered
 * items that carry task attributions ("(省质监局、教育厅负责)"), each
 * attribution read into departments, a lead and how sure that lead is.
 *
 * Pure: the parser takes a UTF-8 buffer and returns a structure; no I/O, no
 * clock, no global state, thread-safe.  Decoding GBK or a BOM is the
 * caller's job (core/text.h).  Invalid UTF-8 bytes are read as U+FFFD and
 * noted; no input makes the parser fail except by running out of memory,
 * and the work is linear in the size of the text.
 *
 * The rules (docs/plans.md describes them with examples):
 *   - Lines are paragraphs.  A line that starts with 一、 (a Chinese numeral
 *     and 、，. or ．), (一) / （一）, 1. / 1、 / １． or (1) / （1） opens a
 *     numbered item; the four kinds nest in that order, whatever order a
 *     document shows them in.  Unnumbered lines belong to the item above
 *     them.
 *   - An attribution is a parenthesised group, or a sentence standing
 *     alone, that names departments and closes with a responsibility
 *     phrase (负责, 按职责分工负责, X牵头, X指导, X会同Y负责, 牵头单位：X,
 *     X负责，其他相关单位配合, ...).  Names are kept as written.
 *   - The tasks are the items of the numbering kind that carries the most
 *     attributions; an attribution under a deeper item goes to its task,
 *     one in an item of another kind makes that item a task of its own.
 *     Sections are the outermost items above the tasks.
 *   - The lead rule ("列第一位者为牵头部门", "排在第一位的部门为牵头部门")
 *     applies to the whole document when stated on its own, from its
 *     attribution on when stated inside one with 下同, else to that one.
 *   - Title, issuer and date come from a cover notice (the date line, the
 *     issuer above it, the plan's title below it) or from the lines before
 *     the first item and a signature after the last.
 */
#ifndef ZL_DOMAIN_PLAN_H
#define ZL_DOMAIN_PLAN_H

#include <stddef.h>

#include "core/arena.h"
#include "core/err.h"
#include "core/jw.h"

/*
 * Larger texts are refused (ZL_ETOOBIG): a plan is tens of kilobytes, and
 * the parser holds about 16 bytes per character while it works.
 */
#define ZL_PLAN_MAX_INPUT ((size_t)64 << 20)

enum zl_plan_mode {
	ZL_PLAN_LEAD = 0, /* one department leads (or co-leads: flag ZL_PLAN_F_CO_LEADS) */
	ZL_PLAN_SHARED,	  /* 按职责分工负责: the named departments share, no single lead */
	ZL_PLAN_UNNAMED,  /* no department named (各有关部门和单位按职责分工负责) */
};

enum zl_plan_basis {
	ZL_PLAN_BASIS_NONE = 0, /* no lead */
	ZL_PLAN_BASIS_STATED,	/* first listed, by the document's stated lead rule */
	ZL_PLAN_BASIS_PRESUMED, /* first listed, no rule stated for this attribution */
	ZL_PLAN_BASIS_EXPLICIT, /* named by the text: X牵头, 牵头单位：X, X负责，Y配合, X指导 */
};

/* Flags of an attribution (bits of zl_plan_attr.flags); names in zl_plan_flag_name(). */
enum zl_plan_flag {
	ZL_PLAN_F_CO_LEADS = 1u << 0,	/* "co_leads": two or more named as lead; lead is NULL */
	ZL_PLAN_F_GUIDANCE = 1u << 1,	/* "guidance": the lead is named by 指导, not 牵头 */
	ZL_PLAN_F_NO_PARENS = 1u << 2,	/* "no_parentheses": a sentence, not a parenthesis */
	ZL_PLAN_F_UNNUMBERED = 1u << 3, /* "unnumbered_paragraph": a later paragraph of the item */
	ZL_PLAN_F_SUB_ITEM = 1u << 4,	/* "sub_item": found under a numbered sub-item */
	ZL_PLAN_F_SECTION_TEXT = 1u << 5,  /* "section_text": in a section's own text */
	ZL_PLAN_F_STANDING_RULE = 1u << 6, /* "standing_rule": a standing rule applies too */
	ZL_PLAN_F_LOCAL_GOV = 1u << 7, /* "local_governments": a bloc such as 各省辖市政府 */
	ZL_PLAN_F_UNCLOSED = 1u << 8,  /* "unclosed": the parenthesis never closes */
};
#define ZL_PLAN_F_COUNT 9

struct zl_plan_attr {
	const char **departments; /* as written, in order, blocs included; generic words not */
	size_t ndepartments;
	const char **co_leads; /* with ZL_PLAN_F_CO_LEADS: the departments named as leads */
	size_t nco_leads;
	const char *lead; /* one of departments, or NULL */
	enum zl_plan_mode mode;
	enum zl_plan_basis lead_basis; /* ZL_PLAN_BASIS_NONE exactly when lead is NULL */
	int open_ended; /* others may join: 等, 有关部门, 其他相关单位配合 */
	unsigned flags; /* enum zl_plan_flag bits */
	size_t line;	/* 1-based line of the text where it starts */
};

struct zl_plan_task {
	const char *number;	/* "1", "一", "十八": no brackets or punctuation */
	const char *section;	/* number of its section, or NULL */
	const char *subsection; /* number of the item between section and task, or NULL */
	const char *title;	/* its first sentence or heading line */
	const char *text;	/* the whole item after the number, lines joined by '\n' */
	struct zl_plan_attr *attrs;
	size_t nattrs; /* >= 1 */
	size_t line;
};

struct zl_plan_section {
	const char *number;
	const char *title;
	const char *section; /* for a subsection: the number of its section; else NULL */
	size_t line;
};

/* "以下均需试点城市政府落实，不再列出": applies to attributions from here on. */
struct zl_plan_rule {
	const char *text;
	const char **departments;
	size_t ndepartments;
	const char *task; /* number of the task it stands in, or NULL */
	size_t line;
};

struct zl_plan_note {
	const char *kind; /* "unattached_attribution", "invalid_utf8" */
	const char *text;
	size_t line;
};

/*
 * The parsed document.  Every pointer points into `arena`, which the plan
 * owns: zl_plan_release() frees all of it at once.  Strings are UTF-8 as
 * in the input (invalid bytes copied as they are; NUL bytes dropped).
 */
struct zl_plan {
	const char *title;  /* "" when no title line was found */
	const char *issuer; /* NULL when not found */
	const char *date;   /* "YYYY-MM-DD", or NULL */
	int lead_rule;	    /* 1: a first-listed lead rule is stated somewhere */
	struct zl_plan_section *sections;
	size_t nsections;
	struct zl_plan_section *subsections;
	size_t nsubsections;
	struct zl_plan_task *tasks; /* in document order */
	size_t ntasks;
	struct zl_plan_rule *rules;
	size_t nrules;
	struct zl_plan_note *notes;
	size_t nnotes;
	size_t items; /* numbered items seen (for the "not a plan" message) */
	struct zl_arena arena;
};

/* An empty plan (no allocation); zl_plan_release() may be called on it. */
void zl_plan_init(struct zl_plan *p);

/* Free everything the plan holds and leave it empty (as after zl_plan_init). */
void zl_plan_release(struct zl_plan *p);

/*
 * Parse text[0..n) (UTF-8; a leading BOM is skipped) into `p`, which must
 * be initialised and is released first.  Returns ZL_OK, also for a text
 * that holds no task (see zl_plan_check), or ZL_ETOOBIG (n larger than
 * ZL_PLAN_MAX_INPUT) or ZL_ENOMEM, with a message in `err` and `p` empty.
 */
int zl_plan_parse(const char *text, size_t n, struct zl_plan *p, struct zl_error *err);

/*
 * ZL_OK when the plan has at least one task; otherwise ZL_EUNPROC with a
 * message saying that this is not a plan and what was found instead.
 */
int zl_plan_check(const struct zl_plan *p, struct zl_error *err);

/*
 * Write the plan as the JSON object of docs/plans.md to `w`.  Returns
 * zl_jw_error(w).
 */
int zl_plan_write_json(const struct zl_plan *p, struct zl_jw *w);

/*
 * The members "standing_rules" and "notes" of that object, into the object
 * the caller has opened (the import's answer repeats them).
 */
void zl_plan_write_notes(const struct zl_plan *p, struct zl_jw *w);

/* "lead", "shared", "unnamed"; "stated", "presumed", "explicit" (NULL for NONE). */
const char *zl_plan_mode_name(enum zl_plan_mode m);
const char *zl_plan_basis_name(enum zl_plan_basis b);
/* Name of flag bit i (0 <= i < ZL_PLAN_F_COUNT), e.g. "co_leads"; NULL past the end. */
const char *zl_plan_flag_name(unsigned i);

#endif /* ZL_DOMAIN_PLAN_H */
