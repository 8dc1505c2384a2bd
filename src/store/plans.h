/*
 * plans.h - the plan ledger (督查督办, issue 5): plans, their sections and
 * tasks, who owns each task, milestones and indicators, decomposition into
 * local plans, the traffic lights and their refresh (migration 7,
 * docs/plan-ledger.md).  Progress reports and attachments are in
 * store/plan_reports.h, per-user notifications in store/notifications.h.
 *
 * Input is a neutral structure (struct zl_plan_in): what a plan document
 * says, after parsing, in plain strings.  The text parser's output
 * (domain/plan.h on its own branch) maps onto it one to one: a parsed
 * task's attributions become zl_plan_attr_in, and the store turns them
 * into owner rows (lead, co, shared, unnamed) itself.
 *
 * Department names are resolved to organizations when they are stored
 * (exact name, short name or alias of a current organization,
 * store/orgs.h), among the organizations admissible in the plan
 * (zl_plan_org_admissible, domain/plan_access.h), preferring those under
 * the plan's organization when several match.  A name that matches none,
 * or several, is kept on its owner row as unresolved, with the number of
 * candidates, and listed by zl_store_plan_unresolved(); it is never
 * dropped.  zl_store_plan_map_name() adds an alias and resolves the rows.
 *
 * Lights: each task stores its last evaluation by domain/plan_light.h
 * (light, reasons, the hysteresis day `cleared`, the day evaluated), and
 * every write that changes an input (dates, milestones, indicators,
 * reports, completion) evaluates it again in the same transaction;
 * zl_store_plan_refresh() does so for the passage of time.  Reads
 * (zl_store_plan_tasks) evaluate again for the `today` they are given,
 * from the stored state, so they show the light of that day.  When a
 * task turns yellow or red, or becomes due soon, its owners' users are
 * notified (store/notifications.h).
 *
 * Transactions: every write function runs inside the caller's transaction
 * when one is open (so a handler adds its audit row to it), else opens and
 * commits its own; on failure nothing is written.  Dates are "YYYY-MM-DD"
 * ("" or NULL for none); `today` is the province's day (Asia/Shanghai).
 * Errors: ZL_EUNPROC naming the field ("tasks[2].owners[0].role") for
 * invalid input, ZL_ENOTFOUND, ZL_ECONFLICT, and the database's errors.
 */
#ifndef ZL_STORE_PLANS_H
#define ZL_STORE_PLANS_H

#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/err.h"
#include "db/db.h"
#include "domain/authz.h"
#include "domain/plan_light.h"

/* Limits, in characters (Unicode code points) unless said otherwise. */
#define ZL_PLAN_TITLE_MAX 200
#define ZL_PLAN_ISSUER_MAX 100
#define ZL_PLAN_NUMBER_MAX 16
#define ZL_PLAN_TASK_TITLE_MAX 500
#define ZL_PLAN_TEXT_MAX 20000
#define ZL_PLAN_NAME_MAX 100 /* a department's name as written */
#define ZL_PLAN_TASKS_MAX 2000
#define ZL_PLAN_SECTIONS_MAX 200
#define ZL_PLAN_OWNERS_MAX 64 /* per task */
#define ZL_PLAN_ITEMS_MAX 50  /* milestones, indicators per task */

/* Characters (code points) of a valid UTF-8 string: the unit of the limits. */
size_t zl_plan_chars(const char *s);

/* Who acts, and when.  Strings are borrowed for the call. */
struct zl_plan_actor {
	const char *user;     /* "alice", "token:ID", "cli:root", "demo" (required) */
	const char *org;      /* the actor's organization code, or "" (commands) */
	const char *org_path; /* its path, or "" */
	const char *today;    /* YYYY-MM-DD, Asia/Shanghai (required) */
	const char *now;      /* RFC 3339 UTC instant; NULL: the clock */
};

/* ---- the neutral input -------------------------------------------------------- */

/*
 * One attribution of a task as a plan document states it ("(省质监局、教育厅负责)"):
 * the parser's {"departments","lead","mode","lead_basis","open_ended","flags"}.
 */
struct zl_plan_attr_in {
	const char *const *departments; /* names as written, in order */
	size_t ndepartments;
	const char *lead;	  /* one of departments, or NULL */
	const char *mode;	  /* "lead" | "shared" | "unnamed" */
	const char *lead_basis;	  /* "stated" | "presumed" | "explicit" | NULL */
	int open_ended;		  /* 等, 有关部门, 其他相关单位配合 */
	const char *const *flags; /* the parser's flag names ("co_leads", ...) */
	size_t nflags;
};

/*
 * One owner given directly (the API, decomposition): by organization code
 * (name: its name, no resolution) or by name (resolved as a document's).
 */
struct zl_plan_owner_in {
	const char *name;  /* as written; NULL with org */
	const char *org;   /* organization code; NULL: resolve name */
	const char *role;  /* "lead" | "co" | "shared" | "unnamed" */
	const char *flags; /* comma-separated words, or NULL */
};

struct zl_plan_milestone_in {
	int64_t id;	     /* an existing milestone to keep (updates); 0: new */
	const char *title;   /* required */
	const char *due;     /* required */
	const char *done_on; /* NULL or "": open */
};

struct zl_plan_indicator_in {
	int64_t id;	       /* an existing indicator to keep (updates); 0: new */
	const char *name;      /* "监督抽查覆盖率" (required) */
	const char *unit;      /* "%", or NULL */
	const char *direction; /* "at_least" (default) | "at_most" */
	double target;
	double baseline;
	int has_baseline;
};

struct zl_plan_task_in {
	const char *number;  /* "1", "一", "十八" (required) */
	const char *section; /* number of its section, or NULL */
	const char *title;   /* required */
	const char *text;    /* the whole item, or NULL */
	const char *start;
	const char *deadline;
	int64_t parent_task; /* a task of the plan's parent plan, or 0 */
	/* Owners: from the document's attributions, then the direct ones. */
	const struct zl_plan_attr_in *attrs;
	size_t nattrs;
	const struct zl_plan_owner_in *owners;
	size_t nowners;
	const struct zl_plan_milestone_in *milestones;
	size_t nmilestones;
	const struct zl_plan_indicator_in *indicators;
	size_t nindicators;
};

struct zl_plan_section_in {
	const char *number; /* "一" (required, unique in the plan) */
	const char *title;  /* required */
};

struct zl_plan_in {
	const char *title;	   /* required */
	const char *issuer;	   /* NULL: unknown */
	const char *date;	   /* the document's date, or NULL */
	int year;		   /* 0: the date's year (then the date is required) */
	const char *org;	   /* the owning organization's code (required, current) */
	int64_t parent_plan;	   /* the plan this one decomposes, or 0 */
	const char *lead_rule;	   /* "first_listed" or NULL */
	const char *source_name;   /* the file imported, or NULL */
	const char *source_sha256; /* its SHA-256 (64 hex), or NULL */
	const struct zl_plan_section_in *sections;
	size_t nsections;
	const struct zl_plan_task_in *tasks; /* in document order */
	size_t ntasks;
};

/*
 * Check `in` without a database: required members, lengths, dates, roles,
 * modes, directions, section numbers, start <= deadline, the counts above.
 * ZL_EUNPROC naming the first bad field ("tasks[3].deadline").  The store
 * functions run it themselves; callers may run it first for a dry run.
 */
int zl_plan_in_check(const struct zl_plan_in *in, struct zl_error *err);
/* The same for one task; `field` prefixes the field names ("tasks[3]"). */
int zl_plan_task_in_check(const struct zl_plan_task_in *t, const char *field, struct zl_error *err);

/*
 * Store a whole plan - the plan, its sections, tasks, owners (resolved),
 * milestones and indicators - and evaluate every task's light; the
 * organizations named as owners are notified of their tasks.  in->org
 * must be a current organization (ZL_EUNPROC "org"); parent_plan, when
 * given, must exist (ZL_EUNPROC "parent_plan") and parent_task of each task
 * must be a task of it ("tasks[i].parent_task").  ZL_ECONFLICT when the
 * organization already has a plan from the same source_sha256, or a local
 * plan of the same parent.  *id (may be NULL) receives the plan's id.
 */
int zl_store_plan_create(struct zl_db *db, const struct zl_plan_in *in,
			 const struct zl_plan_actor *who, int64_t *id, struct zl_error *err);

/* ---- reading ---------------------------------------------------------------- */

struct zl_plan_info {
	int64_t id;
	char title[4 * ZL_PLAN_TITLE_MAX + 1];
	char issuer[4 * ZL_PLAN_ISSUER_MAX + 1];
	char doc_date[16];
	int year;
	char org[ZL_ORG_CODE_MAX];
	char org_name[192];
	char org_path[ZL_ORG_PATH_MAX]; /* "" when the organization has no current row */
	int64_t parent_plan;		/* 0: none */
	char lead_rule[16];
	char source_name[256];
	char source_sha256[65];
	char created_by[96];
	char created_at[32];
};

/* One plan; ZL_ENOTFOUND (field "id") when there is none. */
int zl_store_plan_get(struct zl_db *db, int64_t id, struct zl_plan_info *out, struct zl_error *err);

/*
 * Is the plan's organization path related to `caller_path` or does the
 * caller reach an owner of one of its tasks?  *visible is the whole rule
 * of zl_plan_visible() (domain/plan_access.h) with that involvement.
 */
int zl_store_plan_visible(struct zl_db *db, const struct zl_plan_info *p, const char *caller_path,
			  int *visible, struct zl_error *err);

/* Filters of zl_store_plan_list(); NULL / 0 members do not filter. */
struct zl_plan_filter {
	const char *viewer_path; /* only plans visible to this path (required) */
	const char *org;	 /* owned by exactly this organization */
	int year;
	int64_t parent; /* local plans of this plan */
	int top_only;	/* only plans without a parent plan */
	int local_only; /* only plans with one (local plans) */
	const char *q;	/* fragment of the title (% and _ literal) */
	int64_t before; /* cursor: ids below this one (newest first) */
};

typedef int zl_plan_row_fn(void *cls, const struct zl_plan_info *p);

/*
 * Plans matching `f`, newest first (id descending), at most `limit` (<= 0:
 * all), each passed to fn (non-zero stops and is returned).  *total (may
 * be NULL) receives the exact number matching, `before` ignored.
 */
int zl_store_plan_list(struct zl_db *db, const struct zl_plan_filter *f, long limit,
		       zl_plan_row_fn *fn, void *cls, int64_t *total, struct zl_error *err);

/* The local plans of plan `id` (all of them, whoever may see them), oldest first. */
int zl_store_plan_children(struct zl_db *db, int64_t id, zl_plan_row_fn *fn, void *cls,
			   struct zl_error *err);

/* For each task of plan `plan_id` that local tasks refine: fn(cls, task id, how many). */
typedef int zl_plan_count_fn(void *cls, int64_t task_id, int64_t n);
int zl_store_plan_child_counts(struct zl_db *db, int64_t plan_id, zl_plan_count_fn *fn, void *cls,
			       struct zl_error *err);

/* A plan's sections in order, into a caller-owned arena. */
struct zl_plan_section_row {
	const char *number;
	const char *title;
};
int zl_store_plan_sections(struct zl_db *db, int64_t plan_id, struct zl_arena *a,
			   struct zl_plan_section_row **out, size_t *n, struct zl_error *err);

struct zl_plan_owner {
	int ord;
	const char *name;     /* as written */
	const char *org;      /* "" while unresolved */
	const char *org_name; /* the organization's current name, or "" */
	const char *org_path; /* "" while unresolved */
	const char *role;     /* lead | co | shared | unnamed */
	int attribution;      /* index of the attribution it came from; -1: given directly */
	const char *source;   /* document | manual | decompose */
	const char *flags;    /* comma-separated: co_leads, presumed, open_ended, ... */
	int candidates;	      /* unresolved: organizations the name matched (0 or 2+) */
};

struct zl_plan_milestone {
	int64_t id;
	const char *title;
	const char *due;
	const char *done_on; /* "" while open */
};

struct zl_plan_indicator {
	int64_t id;
	const char *name;
	const char *unit;
	const char *direction; /* at_least | at_most */
	double target;
	double baseline;
	double value; /* the latest confirmed value */
	int has_baseline;
	int has_value;
	const char *value_on; /* the date of the report that gave it, "" */
};

struct zl_plan_task_row {
	int64_t id;
	int64_t plan_id;
	int64_t parent_task; /* 0: none */
	int ord;
	const char *number;
	const char *section; /* "" when none */
	const char *title;
	const char *text;
	const char *start;	  /* "" when none */
	const char *deadline;	  /* "" when none */
	const char *completed_on; /* "" while open */
	const char *last_report;  /* date of the latest report not returned, "" */
	const char *lineage;	  /* "/root id/.../id/" */
	const char *updated_at;
	int progress; /* latest confirmed percentage, -1: none */
	/* The stored evaluation (the hysteresis state). */
	enum zl_light stored_light;
	unsigned stored_reasons;
	const char *cleared;
	const char *lit_on;
	/* The light as of the `today` of the read. */
	struct zl_light_result light;
	/* The plan. */
	const char *plan_title;
	const char *plan_org;
	const char *plan_org_path;
	int plan_year;
	struct zl_plan_owner *owners;
	size_t nowners;
	struct zl_plan_milestone *milestones;
	size_t nmilestones;
	struct zl_plan_indicator *indicators;
	size_t nindicators;
};

/* Tasks read together; everything lives in the set's arena. */
struct zl_plan_task_set {
	struct zl_arena arena;
	struct zl_plan_task_row *tasks;
	size_t n;
};

/* An empty set (zl_plan_task_set_release() may be called on it at once). */
void zl_plan_task_set_init(struct zl_plan_task_set *s);
void zl_plan_task_set_release(struct zl_plan_task_set *s);

/* Which tasks zl_store_plan_tasks() reads; NULL / 0 members do not filter. */
struct zl_plan_task_filter {
	int64_t plan_id;
	int64_t task_id;
	const char *owner_org;	  /* an owner row with exactly this organization */
	const char *owner_within; /* an owner row whose organization lies under this path */
	const char *role;	  /* with owner_*: that owner row's role */
	const char *lineage;	  /* descendants of the task with this lineage (not itself) */
	int open_only;		  /* not completed */
};

/*
 * The tasks matching `f`, in plan order (plan id, then document order),
 * with their owners, milestones and indicators, each task's light
 * evaluated for `today`, into `set` (initialised by the caller; on failure
 * it holds nothing).  A filter without plan_id, task_id, owner_* or
 * lineage is refused (ZL_EINTERNAL): reads are bounded by what they ask for.
 */
int zl_store_plan_tasks(struct zl_db *db, const struct zl_plan_task_filter *f, const char *today,
			struct zl_plan_task_set *set, struct zl_error *err);

/* One task as zl_store_plan_tasks() reads it, into `set`; ZL_ENOTFOUND (field "id"). */
int zl_store_plan_task_get(struct zl_db *db, int64_t task_id, const char *today,
			   struct zl_plan_task_set *set, struct zl_error *err);

/* ---- changing ---------------------------------------------------------------- */

/*
 * Add a task at the end of a plan (a local plan's own task, or one the
 * document lacked): checked as zl_plan_in_check checks tasks, its section
 * must exist in the plan; parent_task must belong to the plan's parent.
 * Owners are notified.  *task_id (may be NULL) receives its id.
 */
int zl_store_plan_task_add(struct zl_db *db, int64_t plan_id, const struct zl_plan_task_in *t,
			   const struct zl_plan_actor *who, int64_t *task_id, struct zl_error *err);

/* A change to a task; NULL members and unset lists stay as they are. */
struct zl_plan_task_change {
	const char *title;
	const char *text;
	const char *start;	  /* "" clears */
	const char *deadline;	  /* "" clears */
	const char *completed_on; /* "" reopens */
	int set_owners;		  /* replace the owners with owners[0..nowners) */
	const struct zl_plan_owner_in *owners;
	size_t nowners;
	int set_milestones; /* replace: entries with an id update that milestone */
	const struct zl_plan_milestone_in *milestones;
	size_t nmilestones;
	int set_indicators; /* replace: entries with an id update that indicator; an
			     * indicator left out that reports gave values to is
			     * ZL_ECONFLICT (history is kept) */
	const struct zl_plan_indicator_in *indicators;
	size_t nindicators;
};

/*
 * Change a task and evaluate its light again; organizations that become
 * owners are notified.  ZL_ENOTFOUND (no such task), ZL_EUNPROC naming
 * the field ("deadline", "owners[1].org", "milestones[0].id": not a
 * milestone of this task, ...).
 */
int zl_store_plan_task_update(struct zl_db *db, int64_t task_id,
			      const struct zl_plan_task_change *ch, const struct zl_plan_actor *who,
			      struct zl_error *err);

/* ---- decomposition ---------------------------------------------------------- */

struct zl_plan_decompose {
	const char *org;   /* the local organization: its parent must be the plan's */
	const char *title; /* NULL: the plan's title with the organization's name before it */
	const char *const *numbers; /* task numbers to take over; nnumbers 0: all */
	size_t nnumbers;
};

/*
 * Create the local plan of d->org from plan `plan_id`: its sections and
 * the chosen tasks, each with parent_task set, the same dates, copies of
 * its milestones and indicators (values not copied), and the local
 * organization as lead owner until it assigns its own.  ZL_ENOTFOUND (the
 * plan), ZL_EUNPROC (field "org": not a child of the plan's organization;
 * "numbers[i]": no such task), ZL_ECONFLICT (the organization already has
 * a local plan of it).  *id (may be NULL) receives the new plan's id.
 */
int zl_store_plan_decompose(struct zl_db *db, int64_t plan_id, const struct zl_plan_decompose *d,
			    const struct zl_plan_actor *who, int64_t *id, struct zl_error *err);

/* The roll-up of a task's descendants (every level of local plans). */
struct zl_plan_rollup_org {
	char org[ZL_ORG_CODE_MAX]; /* a child organization of the task's plan */
	char name[192];
	int decomposed;	   /* its local plan has a child of the task */
	int64_t tasks;	   /* descendant tasks in plans of its subtree */
	int64_t lights[4]; /* by enum zl_light */
	int progress;	   /* average confirmed progress, -1: no task reported */
};

struct zl_plan_rollup {
	int64_t tasks;
	int64_t lights[4]; /* by enum zl_light */
	int progress;	   /* average over descendants with a confirmed progress, -1 none */
	size_t norgs;
	struct zl_plan_rollup_org *orgs; /* the plan organization's children expected to
					  * decompose (cities and counties, or the
					  * organizations with a local plan), by code */
};

/*
 * The roll-up of task `t` (as read by zl_store_plan_tasks) for `today`:
 * counts by light and average progress over all its descendants, and per
 * child government of the task's plan organization (kind city or county)
 * or any organization holding a local plan of it: whether it decomposed
 * the task and its own counts.  out->orgs is allocated in `a`.
 */
int zl_store_plan_rollup(struct zl_db *db, const struct zl_plan_task_row *t, const char *today,
			 struct zl_arena *a, struct zl_plan_rollup *out, struct zl_error *err);

/* ---- department names ------------------------------------------------------ */

struct zl_plan_unresolved {
	const char *name;
	int candidates;	     /* 0: no organization has that name; 2+: ambiguous */
	int64_t rows;	     /* owner rows carrying it in the plan */
	const char *numbers; /* the task numbers, comma-separated, in plan order */
};

typedef int zl_plan_unresolved_fn(void *cls, const struct zl_plan_unresolved *u);

/*
 * The unresolved names of a plan, grouped by name (in the database's order
 * of names: callers that page sort them themselves); *total (may be NULL)
 * their number.
 */
int zl_store_plan_unresolved(struct zl_db *db, int64_t plan_id, zl_plan_unresolved_fn *fn,
			     void *cls, int64_t *total, struct zl_error *err);

/*
 * An administrator says what `name` means: it becomes an alias of
 * organization `org` (a current one, ZL_EUNPROC "org" otherwise), the
 * unresolved owner rows of plan `plan_id` carrying it get that
 * organization (ZL_EUNPROC "name" when the plan has none), and every
 * other unresolved row carrying it, in a plan visible to `viewer_path`
 * where the name now resolves, is resolved too.  The organizations are
 * notified of their tasks.  *rows and *plans (may be NULL) receive how
 * many owner rows were resolved, in how many plans.
 */
int zl_store_plan_map_name(struct zl_db *db, int64_t plan_id, const char *name, const char *org,
			   const char *viewer_path, const struct zl_plan_actor *who, int64_t *rows,
			   int64_t *plans, struct zl_error *err);

/* ---- lights ----------------------------------------------------------------- */

struct zl_plan_refresh_stats {
	int64_t tasks;	       /* open tasks evaluated */
	int64_t changed;       /* whose stored light, reasons or state changed */
	int64_t notifications; /* written */
};

/*
 * Evaluate every open task for `today` (YYYY-MM-DD), store what changed
 * and notify turns to yellow or red and new due-soon flags: the daily run
 * (`zhiliang plan refresh`, a timer).  Idempotent for one day.  Opens its
 * own transaction unless one is open.  `st` may be NULL.
 */
int zl_store_plan_refresh(struct zl_db *db, const char *today, struct zl_plan_refresh_stats *st,
			  struct zl_error *err);

/* "红灯" ... for messages and exports: the light's Chinese name. */
const char *zl_plan_light_zh(enum zl_light l);
/* "逾期", "进度滞后" ...: reason bit i's Chinese words (zl_light_reason_name's order), or NULL. */
const char *zl_plan_reason_zh(unsigned bit_index);

#endif /* ZL_STORE_PLANS_H */
