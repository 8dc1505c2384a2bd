/*
 * migrate.c - the schema of Zhiliang as numbered migrations.
 *
 * To change the schema, append a migration to `migrations` below; never
 * edit one that has shipped.  Write it in the portable subset of
 * docs/store.md (TEXT, INTEGER, BIGINT, DOUBLE PRECISION; times as ISO 8601
 * TEXT in UTC); set `postgres` only when the dialects really differ (it
 * replaces `sql` on PostgreSQL), e.g. BLOB (SQLite) versus BYTEA.
 */
#include <limits.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "store/migrate.h"
#include "store/scstats.h"

struct migration {
	int version;
	const char *name;
	const char *sql;      /* both backends, unless `postgres` is set */
	const char *postgres; /* PostgreSQL variant, or NULL */
	/* More statements, run after the first part in the same transaction:
	 * ISO C promises string literals of 4095 bytes only (-Woverlength-strings). */
	const char *sql2;
	const char *postgres2;
};

/* SQL is laid out as SQL. */
/* clang-format off */
/* Created before every migration too, so the version can be checked first. */
#define SCHEMA_MIGRATIONS_DDL \
	"CREATE TABLE IF NOT EXISTS schema_migrations (\n" \
	"	version INTEGER PRIMARY KEY,\n" \
	"	name TEXT NOT NULL,\n" \
	"	applied_at TEXT NOT NULL\n" \
	");\n"

/*
 * Migration 7: the plan ledger (docs/plan-ledger.md, store/plans.h).  The
 * two backends differ only in generated ids and blobs, so the DDL is
 * written once with those two spellings as arguments, in two parts (the
 * reports, attachments and notifications run as the migration's sql2).
 *
 * plans: a government work plan, owned by an organization (`org`); a local
 * plan decomposes `parent_plan` (at most one per organization and parent).
 * plan_tasks: its numbered tasks in document order (`ord`), each knowing
 * the task of the parent plan it refines (`parent_task`) and its lineage
 * ("/root id/.../own id/") so a roll-up is a prefix match; `progress` is
 * the latest confirmed percentage (-1 none), `last_report` the date of the
 * latest report not returned; light, reasons, cleared and lit_on are the
 * last evaluation of domain/plan_light.h (its hysteresis state).  Dates
 * are "YYYY-MM-DD" with "" for none, so they sort and compare as text.
 * plan_task_owners: the departments of a task's attributions, the name as
 * written and the organization it resolved to (NULL: unresolved, with the
 * number of candidates: 0 unknown, 2+ ambiguous).
 * plan_reports / plan_report_values / plan_attachments: progress reports,
 * the indicator values they give and their files (kept in the database).
 * notifications: per user, unread while read_at is "".
 */
#define PLANS_DDL(ID) \
	"CREATE TABLE plans (\n" \
	"	id " ID ",\n" \
	"	title TEXT NOT NULL,\n" \
	"	issuer TEXT NOT NULL DEFAULT '',\n" \
	"	doc_date TEXT NOT NULL DEFAULT '',\n" \
	"	year INTEGER NOT NULL,\n" \
	"	org TEXT NOT NULL,\n" \
	"	parent_plan BIGINT REFERENCES plans (id),\n" \
	"	lead_rule TEXT NOT NULL DEFAULT '',\n" \
	"	source_name TEXT NOT NULL DEFAULT '',\n" \
	"	source_sha256 TEXT NOT NULL DEFAULT '',\n" \
	"	created_by TEXT NOT NULL,\n" \
	"	created_at TEXT NOT NULL\n" \
	");\n" \
	"CREATE INDEX plans_org ON plans (org);\n" \
	"CREATE UNIQUE INDEX plans_local ON plans (parent_plan, org);\n" \
	"CREATE UNIQUE INDEX plans_source ON plans (org, source_sha256) WHERE source_sha256 <> '';\n" \
	"CREATE TABLE plan_sections (\n" \
	"	plan_id BIGINT NOT NULL REFERENCES plans (id),\n" \
	"	number TEXT NOT NULL,\n" \
	"	title TEXT NOT NULL,\n" \
	"	ord INTEGER NOT NULL,\n" \
	"	PRIMARY KEY (plan_id, number)\n" \
	");\n" \
	"CREATE TABLE plan_tasks (\n" \
	"	id " ID ",\n" \
	"	plan_id BIGINT NOT NULL REFERENCES plans (id),\n" \
	"	ord INTEGER NOT NULL,\n" \
	"	number TEXT NOT NULL,\n" \
	"	section TEXT NOT NULL DEFAULT '',\n" \
	"	title TEXT NOT NULL,\n" \
	"	text TEXT NOT NULL DEFAULT '',\n" \
	"	start_on TEXT NOT NULL DEFAULT '',\n" \
	"	deadline TEXT NOT NULL DEFAULT '',\n" \
	"	parent_task BIGINT REFERENCES plan_tasks (id),\n" \
	"	lineage TEXT NOT NULL DEFAULT '',\n" \
	"	completed_on TEXT NOT NULL DEFAULT '',\n" \
	"	progress INTEGER NOT NULL DEFAULT -1,\n" \
	"	last_report TEXT NOT NULL DEFAULT '',\n" \
	"	light TEXT NOT NULL DEFAULT 'green',\n" \
	"	reasons INTEGER NOT NULL DEFAULT 0,\n" \
	"	cleared TEXT NOT NULL DEFAULT '',\n" \
	"	lit_on TEXT NOT NULL DEFAULT '',\n" \
	"	updated_at TEXT NOT NULL,\n" \
	"	UNIQUE (plan_id, ord)\n" \
	");\n" \
	"CREATE INDEX plan_tasks_parent ON plan_tasks (parent_task);\n" \
	"CREATE TABLE plan_task_owners (\n" \
	"	task_id BIGINT NOT NULL REFERENCES plan_tasks (id),\n" \
	"	ord INTEGER NOT NULL,\n" \
	"	name TEXT NOT NULL,\n" \
	"	org TEXT,\n" \
	"	role TEXT NOT NULL CHECK (role IN ('lead', 'co', 'shared', 'unnamed')),\n" \
	"	attribution INTEGER NOT NULL DEFAULT -1,\n" \
	"	source TEXT NOT NULL DEFAULT 'document',\n" \
	"	flags TEXT NOT NULL DEFAULT '',\n" \
	"	candidates INTEGER NOT NULL DEFAULT 0,\n" \
	"	PRIMARY KEY (task_id, ord)\n" \
	");\n" \
	"CREATE INDEX plan_task_owners_org ON plan_task_owners (org);\n" \
	"CREATE INDEX plan_task_owners_name ON plan_task_owners (name);\n" \
	"CREATE TABLE plan_milestones (\n" \
	"	id " ID ",\n" \
	"	task_id BIGINT NOT NULL REFERENCES plan_tasks (id),\n" \
	"	ord INTEGER NOT NULL,\n" \
	"	title TEXT NOT NULL,\n" \
	"	due TEXT NOT NULL,\n" \
	"	done_on TEXT NOT NULL DEFAULT ''\n" \
	");\n" \
	"CREATE INDEX plan_milestones_task ON plan_milestones (task_id);\n" \
	"CREATE TABLE plan_indicators (\n" \
	"	id " ID ",\n" \
	"	task_id BIGINT NOT NULL REFERENCES plan_tasks (id),\n" \
	"	ord INTEGER NOT NULL,\n" \
	"	name TEXT NOT NULL,\n" \
	"	unit TEXT NOT NULL DEFAULT '',\n" \
	"	direction TEXT NOT NULL CHECK (direction IN ('at_least', 'at_most')),\n" \
	"	target DOUBLE PRECISION NOT NULL,\n" \
	"	baseline DOUBLE PRECISION,\n" \
	"	value DOUBLE PRECISION,\n" \
	"	value_on TEXT NOT NULL DEFAULT ''\n" \
	");\n" \
	"CREATE INDEX plan_indicators_task ON plan_indicators (task_id);\n"

#define PLAN_REPORTS_DDL(ID, BLOB) \
	"CREATE TABLE plan_reports (\n" \
	"	id " ID ",\n" \
	"	task_id BIGINT NOT NULL REFERENCES plan_tasks (id),\n" \
	"	org TEXT NOT NULL,\n" \
	"	author TEXT NOT NULL,\n" \
	"	report_on TEXT NOT NULL,\n" \
	"	created_at TEXT NOT NULL,\n" \
	"	text TEXT NOT NULL,\n" \
	"	progress INTEGER NOT NULL CHECK (progress BETWEEN 0 AND 100),\n" \
	"	status TEXT NOT NULL DEFAULT 'submitted'\n" \
	"		CHECK (status IN ('submitted', 'confirmed', 'returned')),\n" \
	"	decided_by TEXT NOT NULL DEFAULT '',\n" \
	"	decided_at TEXT NOT NULL DEFAULT '',\n" \
	"	decision_note TEXT NOT NULL DEFAULT ''\n" \
	");\n" \
	"CREATE INDEX plan_reports_task ON plan_reports (task_id, report_on);\n" \
	"CREATE INDEX plan_reports_status ON plan_reports (status);\n" \
	"CREATE TABLE plan_report_values (\n" \
	"	report_id BIGINT NOT NULL REFERENCES plan_reports (id),\n" \
	"	indicator_id BIGINT NOT NULL REFERENCES plan_indicators (id),\n" \
	"	value DOUBLE PRECISION NOT NULL,\n" \
	"	PRIMARY KEY (report_id, indicator_id)\n" \
	");\n" \
	"CREATE INDEX plan_report_values_indicator ON plan_report_values (indicator_id);\n" \
	"CREATE TABLE plan_attachments (\n" \
	"	id " ID ",\n" \
	"	report_id BIGINT NOT NULL REFERENCES plan_reports (id),\n" \
	"	name TEXT NOT NULL,\n" \
	"	media_type TEXT NOT NULL,\n" \
	"	size BIGINT NOT NULL,\n" \
	"	sha256 TEXT NOT NULL,\n" \
	"	data " BLOB " NOT NULL,\n" \
	"	created_by TEXT NOT NULL,\n" \
	"	created_at TEXT NOT NULL\n" \
	");\n" \
	"CREATE INDEX plan_attachments_report ON plan_attachments (report_id);\n" \
	"CREATE TABLE notifications (\n" \
	"	id " ID ",\n" \
	"	username TEXT NOT NULL,\n" \
	"	kind TEXT NOT NULL,\n" \
	"	plan_id BIGINT,\n" \
	"	task_id BIGINT,\n" \
	"	report_id BIGINT,\n" \
	"	message TEXT NOT NULL,\n" \
	"	created_at TEXT NOT NULL,\n" \
	"	read_at TEXT NOT NULL DEFAULT ''\n" \
	");\n" \
	"CREATE INDEX notifications_user ON notifications (username, id);\n"

/*
 * Migration 9: the key-product catalogue and spot-check plans
 * (docs/spotchecks.md, store/catalogue.h, store/spotcheck_plans.h), in two
 * parts written once for both backends with the generated id as argument.
 *
 * catalogue_categories: the catalogue's tree (parent), one row per product
 * category with its risk level (1..3 = Ⅰ..Ⅲ), key-supervised years and
 * status; a retired category is kept (plans name it).  Its GB/T 4754
 * industries, standards and test items are child rows in order (`ord`);
 * a limit is limit_min and/or limit_max (NULL: none) and/or limit_text.
 * catalogue_versions: every version of a category as a JSON snapshot, the
 * current one included, so its history reads without the audit trail.
 */
#define CATALOGUE_DDL \
	"CREATE TABLE catalogue_categories (\n" \
	"	code TEXT PRIMARY KEY,\n" \
	"	parent TEXT REFERENCES catalogue_categories (code),\n" \
	"	name TEXT NOT NULL,\n" \
	"	risk INTEGER NOT NULL CHECK (risk BETWEEN 1 AND 3),\n" \
	"	key_supervised INTEGER NOT NULL DEFAULT 0,\n" \
	"	key_from INTEGER NOT NULL DEFAULT 0,\n" \
	"	key_to INTEGER NOT NULL DEFAULT 0,\n" \
	"	note TEXT NOT NULL DEFAULT '',\n" \
	"	status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'retired')),\n" \
	"	retired_on TEXT NOT NULL DEFAULT '',\n" \
	"	version INTEGER NOT NULL DEFAULT 1,\n" \
	"	created_by TEXT NOT NULL,\n" \
	"	created_at TEXT NOT NULL,\n" \
	"	updated_by TEXT NOT NULL,\n" \
	"	updated_at TEXT NOT NULL\n" \
	");\n" \
	"CREATE INDEX catalogue_categories_parent ON catalogue_categories (parent);\n" \
	"CREATE TABLE catalogue_industries (\n" \
	"	code TEXT NOT NULL REFERENCES catalogue_categories (code),\n" \
	"	ord INTEGER NOT NULL,\n" \
	"	industry TEXT NOT NULL,\n" \
	"	edition TEXT NOT NULL,\n" \
	"	PRIMARY KEY (code, ord)\n" \
	");\n" \
	"CREATE INDEX catalogue_industries_industry ON catalogue_industries (industry);\n" \
	"CREATE TABLE catalogue_standards (\n" \
	"	code TEXT NOT NULL REFERENCES catalogue_categories (code),\n" \
	"	ord INTEGER NOT NULL,\n" \
	"	number TEXT NOT NULL,\n" \
	"	year INTEGER NOT NULL DEFAULT 0,\n" \
	"	title TEXT NOT NULL,\n" \
	"	PRIMARY KEY (code, ord)\n" \
	");\n" \
	"CREATE TABLE catalogue_items (\n" \
	"	code TEXT NOT NULL REFERENCES catalogue_categories (code),\n" \
	"	ord INTEGER NOT NULL,\n" \
	"	name TEXT NOT NULL,\n" \
	"	unit TEXT NOT NULL DEFAULT '',\n" \
	"	limit_min DOUBLE PRECISION,\n" \
	"	limit_max DOUBLE PRECISION,\n" \
	"	limit_text TEXT NOT NULL DEFAULT '',\n" \
	"	method TEXT NOT NULL DEFAULT '',\n" \
	"	severity TEXT NOT NULL CHECK (severity IN ('serious', 'general')),\n" \
	"	PRIMARY KEY (code, ord)\n" \
	");\n" \
	"CREATE TABLE catalogue_versions (\n" \
	"	code TEXT NOT NULL REFERENCES catalogue_categories (code),\n" \
	"	version INTEGER NOT NULL,\n" \
	"	action TEXT NOT NULL,\n" \
	"	changed_by TEXT NOT NULL,\n" \
	"	changed_at TEXT NOT NULL,\n" \
	"	snapshot TEXT NOT NULL,\n" \
	"	PRIMARY KEY (code, version)\n" \
	");\n"

/*
 * spotcheck_plans: a yearly or special plan of an organization (`org`),
 * with the government it belongs to (`gov`, a GB/T 2260 code) and that
 * government's level, fixed when the plan is made; budget in fen; status
 * of domain/spotcheck.h and who submitted and decided it last.  Its labs,
 * sampling places (a share in percent or batches), products with a lab,
 * quotas of batches per product and region, the frequency matrix (weights
 * in millionths by enterprise class AA/A/B/C and risk 1..3) and the events
 * of its life are child rows.
 */
#define SPOTCHECK_DDL(ID) \
	"CREATE TABLE spotcheck_plans (\n" \
	"	id " ID ",\n" \
	"	title TEXT NOT NULL,\n" \
	"	year INTEGER NOT NULL,\n" \
	"	kind TEXT NOT NULL CHECK (kind IN ('yearly', 'special')),\n" \
	"	org TEXT NOT NULL,\n" \
	"	gov TEXT NOT NULL,\n" \
	"	level TEXT NOT NULL CHECK (level IN ('province', 'city', 'county')),\n" \
	"	budget_fen BIGINT NOT NULL DEFAULT 0,\n" \
	"	start_on TEXT NOT NULL,\n" \
	"	end_on TEXT NOT NULL,\n" \
	"	note TEXT NOT NULL DEFAULT '',\n" \
	"	status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'submitted',\n" \
	"		'approved', 'in_progress', 'finished')),\n" \
	"	version INTEGER NOT NULL DEFAULT 1,\n" \
	"	created_by TEXT NOT NULL,\n" \
	"	created_at TEXT NOT NULL,\n" \
	"	updated_by TEXT NOT NULL,\n" \
	"	updated_at TEXT NOT NULL,\n" \
	"	submitted_by TEXT NOT NULL DEFAULT '',\n" \
	"	submitted_at TEXT NOT NULL DEFAULT '',\n" \
	"	decided_by TEXT NOT NULL DEFAULT '',\n" \
	"	decided_at TEXT NOT NULL DEFAULT '',\n" \
	"	decision_note TEXT NOT NULL DEFAULT ''\n" \
	");\n" \
	"CREATE INDEX spotcheck_plans_org ON spotcheck_plans (org);\n" \
	"CREATE INDEX spotcheck_plans_year ON spotcheck_plans (year, status);\n" \
	"CREATE TABLE spotcheck_plan_labs (\n" \
	"	plan_id BIGINT NOT NULL REFERENCES spotcheck_plans (id),\n" \
	"	ord INTEGER NOT NULL,\n" \
	"	lab TEXT NOT NULL,\n" \
	"	PRIMARY KEY (plan_id, lab)\n" \
	");\n" \
	"CREATE TABLE spotcheck_plan_places (\n" \
	"	plan_id BIGINT NOT NULL REFERENCES spotcheck_plans (id),\n" \
	"	ord INTEGER NOT NULL,\n" \
	"	place TEXT NOT NULL CHECK (place IN ('production', 'circulation', 'ecommerce')),\n" \
	"	share INTEGER NOT NULL DEFAULT 0,\n" \
	"	batches INTEGER NOT NULL DEFAULT 0,\n" \
	"	PRIMARY KEY (plan_id, place)\n" \
	");\n" \
	"CREATE TABLE spotcheck_plan_products (\n" \
	"	plan_id BIGINT NOT NULL REFERENCES spotcheck_plans (id),\n" \
	"	ord INTEGER NOT NULL,\n" \
	"	product TEXT NOT NULL REFERENCES catalogue_categories (code),\n" \
	"	lab TEXT NOT NULL DEFAULT '',\n" \
	"	PRIMARY KEY (plan_id, product)\n" \
	");\n" \
	"CREATE INDEX spotcheck_plan_products_product ON spotcheck_plan_products (product);\n" \
	"CREATE TABLE spotcheck_plan_quotas (\n" \
	"	plan_id BIGINT NOT NULL REFERENCES spotcheck_plans (id),\n" \
	"	product TEXT NOT NULL,\n" \
	"	region TEXT NOT NULL,\n" \
	"	ord INTEGER NOT NULL,\n" \
	"	batches INTEGER NOT NULL CHECK (batches > 0),\n" \
	"	PRIMARY KEY (plan_id, product, region)\n" \
	");\n" \
	"CREATE TABLE spotcheck_plan_frequency (\n" \
	"	plan_id BIGINT NOT NULL REFERENCES spotcheck_plans (id),\n" \
	"	ent_class TEXT NOT NULL CHECK (ent_class IN ('AA', 'A', 'B', 'C')),\n" \
	"	risk INTEGER NOT NULL CHECK (risk BETWEEN 1 AND 3),\n" \
	"	weight BIGINT NOT NULL CHECK (weight > 0),\n" \
	"	PRIMARY KEY (plan_id, ent_class, risk)\n" \
	");\n" \
	"CREATE TABLE spotcheck_plan_events (\n" \
	"	plan_id BIGINT NOT NULL REFERENCES spotcheck_plans (id),\n" \
	"	seq INTEGER NOT NULL,\n" \
	"	action TEXT NOT NULL,\n" \
	"	from_status TEXT NOT NULL,\n" \
	"	to_status TEXT NOT NULL,\n" \
	"	actor TEXT NOT NULL,\n" \
	"	org TEXT NOT NULL,\n" \
	"	acted_at TEXT NOT NULL,\n" \
	"	note TEXT NOT NULL DEFAULT '',\n" \
	"	PRIMARY KEY (plan_id, seq)\n" \
	");\n"

/*
 * Migration 10: draws as a service (docs/spotchecks.md, store/draws.h).
 *
 * spotcheck_plans.exclude_own_county: the plan's rule for the draw of
 * inspectors (never one from the enterprise's own county), on by default.
 * enterprise_classes: the class of classified supervision (AA, A, B, C;
 * AQSIQ 2012 No. 74) an enterprise was given; none is class B for the
 * frequency matrix (zl_sc_weight).  inspector_conflicts: conflicts of
 * interest an inspector declared with an enterprise (withdrawn_at set when
 * withdrawn: a declaration is never erased, past draws name it).
 */
#define DRAWS_DDL \
	"ALTER TABLE spotcheck_plans ADD COLUMN exclude_own_county INTEGER NOT NULL DEFAULT 1;\n" \
	"CREATE TABLE enterprise_classes (\n" \
	"	uscc TEXT PRIMARY KEY,\n" \
	"	ent_class TEXT NOT NULL CHECK (ent_class IN ('AA', 'A', 'B', 'C')),\n" \
	"	decided_on TEXT NOT NULL,\n" \
	"	decided_by TEXT NOT NULL,\n" \
	"	note TEXT NOT NULL DEFAULT ''\n" \
	");\n" \
	"CREATE TABLE inspector_conflicts (\n" \
	"	username TEXT NOT NULL,\n" \
	"	uscc TEXT NOT NULL,\n" \
	"	reason TEXT NOT NULL DEFAULT '',\n" \
	"	declared_at TEXT NOT NULL,\n" \
	"	withdrawn_at TEXT NOT NULL DEFAULT '',\n" \
	"	PRIMARY KEY (username, uscc)\n" \
	");\n"

/*
 * spotcheck_draws: one verifiable draw (domain/draw.h) of a plan's product:
 * kind select (enterprises, by region quotas) or inspectors (for the
 * inspections a select draw made: of_draw).  Published, it holds both
 * commitments, the seed (secret until drawn: no route shows it before) and
 * the commitment record, whose inputs are the canonical list drawn from;
 * drawn, the whole record.  spotcheck_draw_strata: per region, the plan's
 * quota, the batches drawn before, the candidates found and the quota
 * drawn now.  spotcheck_draw_pool: the inspectors draw's pseudonyms of the
 * accounts in its pool (the record names members, not accounts).
 */
#define DRAW_TABLES_DDL(ID) \
	"CREATE TABLE spotcheck_draws (\n" \
	"	id " ID ",\n" \
	"	plan_id BIGINT NOT NULL REFERENCES spotcheck_plans (id),\n" \
	"	product TEXT NOT NULL,\n" \
	"	kind TEXT NOT NULL CHECK (kind IN ('select', 'inspectors')),\n" \
	"	of_draw BIGINT,\n" \
	"	label TEXT NOT NULL,\n" \
	"	status TEXT NOT NULL CHECK (status IN ('published', 'drawn')),\n" \
	"	input_commitment TEXT NOT NULL,\n" \
	"	seed_commitment TEXT NOT NULL,\n" \
	"	seed TEXT NOT NULL,\n" \
	"	commitment TEXT NOT NULL,\n" \
	"	record TEXT NOT NULL DEFAULT '',\n" \
	"	candidates INTEGER NOT NULL,\n" \
	"	selected INTEGER NOT NULL,\n" \
	"	not_before TEXT NOT NULL DEFAULT '',\n" \
	"	org TEXT NOT NULL,\n" \
	"	published_by TEXT NOT NULL,\n" \
	"	published_at TEXT NOT NULL,\n" \
	"	drawn_by TEXT NOT NULL DEFAULT '',\n" \
	"	drawn_at TEXT NOT NULL DEFAULT ''\n" \
	");\n" \
	"CREATE INDEX spotcheck_draws_plan ON spotcheck_draws (plan_id, product);\n" \
	"CREATE INDEX spotcheck_draws_of ON spotcheck_draws (of_draw);\n" \
	"CREATE TABLE spotcheck_draw_strata (\n" \
	"	draw_id BIGINT NOT NULL REFERENCES spotcheck_draws (id),\n" \
	"	region TEXT NOT NULL,\n" \
	"	plan_quota INTEGER NOT NULL,\n" \
	"	earlier INTEGER NOT NULL,\n" \
	"	candidates INTEGER NOT NULL,\n" \
	"	quota INTEGER NOT NULL,\n" \
	"	PRIMARY KEY (draw_id, region)\n" \
	");\n" \
	"CREATE TABLE spotcheck_draw_pool (\n" \
	"	draw_id BIGINT NOT NULL REFERENCES spotcheck_draws (id),\n" \
	"	member TEXT NOT NULL,\n" \
	"	username TEXT NOT NULL,\n" \
	"	PRIMARY KEY (draw_id, member)\n" \
	");\n"

/*
 * Migration 11: inspections (docs/inspections.md, store/inspections.h).
 *
 * inspections: one spot check of one product at one enterprise, made by a
 * draw (draw_id, its position) or by hand; the plan's government `gov` is
 * the authority the six-month rule looks for.  The columns from `state`
 * to `closed_on` are the lifecycle machine's record (struct
 * zl_inspection, domain/inspection.h): its item sets as hex words; those
 * after it the documents: the sampling record, the report numbers, the
 * rectification order's number.
 */
#define INSPECTIONS_DDL(ID) \
	"CREATE TABLE inspections (\n" \
	"	id " ID ",\n" \
	"	plan_id BIGINT NOT NULL REFERENCES spotcheck_plans (id),\n" \
	"	product TEXT NOT NULL,\n" \
	"	uscc TEXT NOT NULL,\n" \
	"	enterprise_name TEXT NOT NULL,\n" \
	"	county TEXT NOT NULL DEFAULT '',\n" \
	"	region TEXT NOT NULL,\n" \
	"	lab TEXT NOT NULL DEFAULT '',\n" \
	"	gov TEXT NOT NULL,\n" \
	"	draw_id BIGINT,\n" \
	"	draw_position INTEGER NOT NULL DEFAULT 0,\n" \
	"	version INTEGER NOT NULL DEFAULT 1,\n" \
	"	created_by TEXT NOT NULL,\n" \
	"	created_at TEXT NOT NULL,\n" \
	"	updated_by TEXT NOT NULL,\n" \
	"	updated_at TEXT NOT NULL,\n" \
	"	state TEXT NOT NULL,\n" \
	"	outcome TEXT NOT NULL DEFAULT '',\n" \
	"	conclusion TEXT NOT NULL DEFAULT '',\n" \
	"	nitems INTEGER NOT NULL DEFAULT 0,\n" \
	"	failed_items TEXT NOT NULL DEFAULT '',\n" \
	"	contested_items TEXT NOT NULL DEFAULT '',\n" \
	"	retest_failed TEXT NOT NULL DEFAULT '',\n" \
	"	deemed INTEGER NOT NULL DEFAULT 0,\n" \
	"	notified_late INTEGER NOT NULL DEFAULT 0,\n" \
	"	refusals INTEGER NOT NULL DEFAULT 0,\n" \
	"	warnings INTEGER NOT NULL DEFAULT 0,\n" \
	"	resamples INTEGER NOT NULL DEFAULT 0,\n" \
	"	extension TEXT NOT NULL DEFAULT '',\n" \
	"	extension_asked INTEGER NOT NULL DEFAULT 0,\n" \
	"	extension_days INTEGER NOT NULL DEFAULT 0,\n" \
	"	sanction_level INTEGER NOT NULL DEFAULT 0,\n" \
	"	plan_due TEXT NOT NULL DEFAULT '',\n" \
	"	last_on TEXT NOT NULL DEFAULT '',\n" \
	"	sampled_on TEXT NOT NULL DEFAULT '',\n" \
	"	report_on TEXT NOT NULL DEFAULT '',\n" \
	"	notified_on TEXT NOT NULL DEFAULT '',\n" \
	"	received_on TEXT NOT NULL DEFAULT '',\n" \
	"	objected_on TEXT NOT NULL DEFAULT '',\n" \
	"	final_on TEXT NOT NULL DEFAULT '',\n" \
	"	order_on TEXT NOT NULL DEFAULT '',\n" \
	"	order_received_on TEXT NOT NULL DEFAULT '',\n" \
	"	extension_asked_on TEXT NOT NULL DEFAULT '',\n" \
	"	follow_up_applied_on TEXT NOT NULL DEFAULT '',\n" \
	"	follow_up_on TEXT NOT NULL DEFAULT '',\n" \
	"	announced_on TEXT NOT NULL DEFAULT '',\n" \
	"	suspended_on TEXT NOT NULL DEFAULT '',\n" \
	"	suspended_until TEXT NOT NULL DEFAULT '',\n" \
	"	samples_returned_on TEXT NOT NULL DEFAULT '',\n" \
	"	closed_on TEXT NOT NULL DEFAULT '',\n" \
	"	place TEXT NOT NULL DEFAULT '',\n" \
	"	batch TEXT NOT NULL DEFAULT '',\n" \
	"	production_date TEXT NOT NULL DEFAULT '',\n" \
	"	spec TEXT NOT NULL DEFAULT '',\n" \
	"	trademark TEXT NOT NULL DEFAULT '',\n" \
	"	sample_qty INTEGER NOT NULL DEFAULT 0,\n" \
	"	backup_qty INTEGER NOT NULL DEFAULT 0,\n" \
	"	backup_sealed INTEGER NOT NULL DEFAULT 0,\n" \
	"	seal_no TEXT NOT NULL DEFAULT '',\n" \
	"	samplers TEXT NOT NULL DEFAULT '',\n" \
	"	report_no TEXT NOT NULL DEFAULT '',\n" \
	"	retest_no TEXT NOT NULL DEFAULT '',\n" \
	"	order_no TEXT NOT NULL DEFAULT ''\n" \
	");\n" \
	"CREATE INDEX inspections_plan ON inspections (plan_id, product, region);\n" \
	"CREATE INDEX inspections_uscc ON inspections (uscc, product);\n" \
	"CREATE INDEX inspections_draw ON inspections (draw_id);\n"

/*
 * inspection_inspectors: who was drawn (or assigned) for an inspection.
 * inspection_items: the laboratory report's items in order, with the
 * re-test's verdict for contested ones.  inspection_events: every step
 * applied (the machine's event, role, date, states before and after, its
 * data as JSON, the credit-archive event it wrote).  inspection_attachments:
 * photos of the sampling and documents, stored like the plan ledger's.
 */
#define INSPECTION_PARTS_DDL(ID, BLOB) \
	"CREATE TABLE inspection_inspectors (\n" \
	"	inspection_id BIGINT NOT NULL REFERENCES inspections (id),\n" \
	"	username TEXT NOT NULL,\n" \
	"	ord INTEGER NOT NULL,\n" \
	"	draw_id BIGINT,\n" \
	"	PRIMARY KEY (inspection_id, username)\n" \
	");\n" \
	"CREATE INDEX inspection_inspectors_user ON inspection_inspectors (username);\n" \
	"CREATE TABLE inspection_items (\n" \
	"	inspection_id BIGINT NOT NULL REFERENCES inspections (id),\n" \
	"	ord INTEGER NOT NULL,\n" \
	"	name TEXT NOT NULL,\n" \
	"	measured TEXT NOT NULL,\n" \
	"	limit_text TEXT NOT NULL,\n" \
	"	unit TEXT NOT NULL DEFAULT '',\n" \
	"	verdict TEXT NOT NULL,\n" \
	"	retest_measured TEXT NOT NULL DEFAULT '',\n" \
	"	retest_verdict TEXT NOT NULL DEFAULT '',\n" \
	"	PRIMARY KEY (inspection_id, ord)\n" \
	");\n" \
	"CREATE TABLE inspection_events (\n" \
	"	inspection_id BIGINT NOT NULL REFERENCES inspections (id),\n" \
	"	seq INTEGER NOT NULL,\n" \
	"	event TEXT NOT NULL,\n" \
	"	role TEXT NOT NULL,\n" \
	"	actor TEXT NOT NULL,\n" \
	"	org TEXT NOT NULL,\n" \
	"	on_date TEXT NOT NULL,\n" \
	"	at TEXT NOT NULL,\n" \
	"	from_state TEXT NOT NULL,\n" \
	"	to_state TEXT NOT NULL,\n" \
	"	data TEXT NOT NULL,\n" \
	"	credit_event BIGINT,\n" \
	"	PRIMARY KEY (inspection_id, seq)\n" \
	");\n" \
	"CREATE TABLE inspection_attachments (\n" \
	"	id " ID ",\n" \
	"	inspection_id BIGINT NOT NULL REFERENCES inspections (id),\n" \
	"	kind TEXT NOT NULL CHECK (kind IN ('photo', 'document')),\n" \
	"	name TEXT NOT NULL,\n" \
	"	media_type TEXT NOT NULL,\n" \
	"	size BIGINT NOT NULL,\n" \
	"	sha256 TEXT NOT NULL,\n" \
	"	data " BLOB " NOT NULL,\n" \
	"	created_by TEXT NOT NULL,\n" \
	"	created_at TEXT NOT NULL\n" \
	");\n" \
	"CREATE INDEX inspection_attachments_insp ON inspection_attachments (inspection_id);\n"

/*
 * Migration 13: spot-check results and their publication (issue 7;
 * docs/results.md).
 *
 * spotcheck_announcements: a 公告 grouping final results - our own (origin
 * own: an officer assembles it from closed or failed inspections and
 * approves it) or a published notice imported from a file (origin
 * imported: source names the file, source_sha256 makes a re-import find
 * it).  Public once status is published.
 *
 * New inspection columns: the announcement that carries it; its level
 * (national | province | city | county: the plan's, or the notice's for an
 * imported row); the enterprise's size class when sampled (the statistics
 * group by it, and a later change of the register must not move old
 * results); what a published table says beyond the register: the sampled
 * unit (受检单位), the retailer and online platform, a nominal producer
 * (标称) and suspected counterfeit (假冒), the product as written, the
 * notice's remark and the row of the imported file.
 *
 * spotcheck_plans.origin: imported results hang on a plan of origin
 * imported per authority and year (the plan the notice reports on, whose
 * details the notice does not give); plan lists show them as such.
 */
#define RESULTS_DDL(ID) \
	"CREATE TABLE spotcheck_announcements (\n" \
	"	id " ID ",\n" \
	"	org TEXT NOT NULL,\n" \
	"	level TEXT NOT NULL CHECK (level IN ('national', 'province', 'city', 'county')),\n" \
	"	title TEXT NOT NULL,\n" \
	"	doc_no TEXT NOT NULL DEFAULT '',\n" \
	"	origin TEXT NOT NULL CHECK (origin IN ('own', 'imported')),\n" \
	"	source TEXT NOT NULL DEFAULT '',\n" \
	"	source_sha256 TEXT NOT NULL DEFAULT '',\n" \
	"	status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published',\n" \
	"		'withdrawn')),\n" \
	"	issued_on TEXT NOT NULL DEFAULT '',\n" \
	"	published_at TEXT NOT NULL DEFAULT '',\n" \
	"	note TEXT NOT NULL DEFAULT '',\n" \
	"	version INTEGER NOT NULL DEFAULT 1,\n" \
	"	created_by TEXT NOT NULL,\n" \
	"	created_at TEXT NOT NULL,\n" \
	"	updated_by TEXT NOT NULL,\n" \
	"	updated_at TEXT NOT NULL,\n" \
	"	approved_by TEXT NOT NULL DEFAULT '',\n" \
	"	approved_at TEXT NOT NULL DEFAULT ''\n" \
	");\n" \
	"CREATE INDEX spotcheck_announcements_status ON spotcheck_announcements (status, published_at);\n" \
	"CREATE UNIQUE INDEX spotcheck_announcements_source ON spotcheck_announcements (org, source_sha256)" \
	" WHERE source_sha256 <> '';\n" \
	"ALTER TABLE inspections ADD COLUMN announcement_id BIGINT REFERENCES spotcheck_announcements (id);\n" \
	"ALTER TABLE inspections ADD COLUMN level TEXT NOT NULL DEFAULT '';\n" \
	"ALTER TABLE inspections ADD COLUMN size_class TEXT NOT NULL DEFAULT '';\n" \
	"ALTER TABLE inspections ADD COLUMN sampled_unit TEXT NOT NULL DEFAULT '';\n" \
	"ALTER TABLE inspections ADD COLUMN retailer TEXT NOT NULL DEFAULT '';\n" \
	"ALTER TABLE inspections ADD COLUMN platform TEXT NOT NULL DEFAULT '';\n" \
	"ALTER TABLE inspections ADD COLUMN nominal INTEGER NOT NULL DEFAULT 0;\n" \
	"ALTER TABLE inspections ADD COLUMN counterfeit INTEGER NOT NULL DEFAULT 0;\n" \
	"ALTER TABLE inspections ADD COLUMN product_text TEXT NOT NULL DEFAULT '';\n" \
	"ALTER TABLE inspections ADD COLUMN remark TEXT NOT NULL DEFAULT '';\n" \
	"ALTER TABLE inspections ADD COLUMN source_row INTEGER NOT NULL DEFAULT 0;\n" \
	"CREATE INDEX inspections_announcement ON inspections (announcement_id);\n" \
	"ALTER TABLE spotcheck_plans ADD COLUMN origin TEXT NOT NULL DEFAULT 'own';\n" \
	"UPDATE inspections SET level = (SELECT p.level FROM spotcheck_plans p WHERE p.id = inspections.plan_id);\n" \
	"UPDATE inspections SET size_class = COALESCE((SELECT e.size_class FROM enterprises e" \
	" WHERE e.uscc = inspections.uscc), '');\n"

/*
 * Migration 14: spot-check statistics (issue 7; docs/statistics.md,
 * store/scstats.h).
 *
 * sc_cells: per grain (1 quarter x city, 2 quarter x county, 3 quarter x
 * product, 4 quarter x size x level x place, 5 every dimension) and cell
 * key k (the cell's values joined by '|'), the tested batches, failed
 * batches, and distinct enterprises tested and failed; the values again as
 * columns ('' where the grain does not have the dimension) to filter on.
 * sc_cell_ents: each enterprise's batches and failures in a cell, which
 * keeps the cell's enterprise counts exact as facts come and go.
 * output_weights: industrial output by year, region and GB/T 4754 division,
 * the weights of the manufacturing pass rate (制造业产品质量合格率).
 * The rollups are filled from the inspections after the tables are made
 * (zl_store_sc_rollup_rebuild, run by the migration).
 */
#define SCSTATS_DDL(NOROWID) \
	"CREATE TABLE sc_cells (\n" \
	"	grain INTEGER NOT NULL,\n" \
	"	k TEXT NOT NULL,\n" \
	"	quarter TEXT NOT NULL,\n" \
	"	city TEXT NOT NULL,\n" \
	"	county TEXT NOT NULL,\n" \
	"	product TEXT NOT NULL,\n" \
	"	size TEXT NOT NULL,\n" \
	"	level TEXT NOT NULL,\n" \
	"	place TEXT NOT NULL,\n" \
	"	batches BIGINT NOT NULL,\n" \
	"	failed BIGINT NOT NULL,\n" \
	"	enterprises BIGINT NOT NULL,\n" \
	"	enterprises_failed BIGINT NOT NULL,\n" \
	"	PRIMARY KEY (grain, k)\n" \
	")" NOROWID ";\n" \
	"CREATE TABLE sc_cell_ents (\n" \
	"	grain INTEGER NOT NULL,\n" \
	"	k TEXT NOT NULL,\n" \
	"	uscc TEXT NOT NULL,\n" \
	"	batches BIGINT NOT NULL,\n" \
	"	failed BIGINT NOT NULL,\n" \
	"	PRIMARY KEY (grain, k, uscc)\n" \
	")" NOROWID ";\n" \
	"CREATE TABLE output_weights (\n" \
	"	year INTEGER NOT NULL,\n" \
	"	region TEXT NOT NULL,\n" \
	"	division TEXT NOT NULL,\n" \
	"	output DOUBLE PRECISION NOT NULL CHECK (output >= 0),\n" \
	"	updated_by TEXT NOT NULL,\n" \
	"	updated_at TEXT NOT NULL,\n" \
	"	PRIMARY KEY (year, region, division)\n" \
	");\n"

/*
 * Migration 15: the steps of an announcement's approval (docs/results.md,
 * "Publication").  A draft is submitted for approval (submitted_by/at; an
 * approver other than the submitter publishes it, as for spot-check plans)
 * and a published announcement may be withdrawn with a reason
 * (withdrawn_by/at, withdraw_reason): it leaves the public lists, its row
 * and results stay.
 */
#define ANNOUNCE_STEPS_DDL \
	"ALTER TABLE spotcheck_announcements ADD COLUMN submitted_by TEXT NOT NULL DEFAULT '';\n" \
	"ALTER TABLE spotcheck_announcements ADD COLUMN submitted_at TEXT NOT NULL DEFAULT '';\n" \
	"ALTER TABLE spotcheck_announcements ADD COLUMN withdrawn_by TEXT NOT NULL DEFAULT '';\n" \
	"ALTER TABLE spotcheck_announcements ADD COLUMN withdrawn_at TEXT NOT NULL DEFAULT '';\n" \
	"ALTER TABLE spotcheck_announcements ADD COLUMN withdraw_reason TEXT NOT NULL DEFAULT '';\n"

static const struct migration migrations[] = {
	{ 1, "foundation",
	  SCHEMA_MIGRATIONS_DDL
	  /* Instance facts: instance_id, created_at, demo. */
	  "CREATE TABLE meta (\n"
	  "	key TEXT PRIMARY KEY,\n"
	  "	value TEXT NOT NULL\n"
	  ");\n"
	  /* GB/T 2260 administrative divisions, dated: a code may be reused
	   * or renamed, so (code, valid_from) is the key; valid_to is NULL
	   * while the entry is in force.  level 1 province, 2 city, 3 county. */
	  "CREATE TABLE regions (\n"
	  "	code TEXT NOT NULL,\n"
	  "	name TEXT NOT NULL,\n"
	  "	level INTEGER NOT NULL CHECK (level BETWEEN 1 AND 3),\n"
	  "	parent TEXT,\n"
	  "	valid_from TEXT NOT NULL,\n"
	  "	valid_to TEXT,\n"
	  "	PRIMARY KEY (code, valid_from)\n"
	  ");\n"
	  "CREATE INDEX regions_parent ON regions (parent);\n"
	  /* 省直管县: a dated flag on a county, not a code change. */
	  "CREATE TABLE region_direct_admin (\n"
	  "	code TEXT NOT NULL,\n"
	  "	valid_from TEXT NOT NULL,\n"
	  "	valid_to TEXT,\n"
	  "	PRIMARY KEY (code, valid_from)\n"
	  ");\n"
	  /* GB/T 4754 sections (level 1) and divisions (level 2). */
	  "CREATE TABLE industries (\n"
	  "	code TEXT PRIMARY KEY,\n"
	  "	edition TEXT NOT NULL,\n"
	  "	section TEXT NOT NULL,\n"
	  "	name TEXT NOT NULL,\n"
	  "	level INTEGER NOT NULL\n"
	  ");\n",
	  NULL, NULL, NULL },
	{ 2, "identity",
	  /* The organization tree.  A row per (code, valid_from): renaming or
	   * moving an organization closes its row (valid_to) and opens a new
	   * one, so history is kept; the current row has valid_to NULL.
	   * kind: province | city | county | department | group | lab |
	   * enterprise | other.  Governments use their GB/T 2260 code; other
	   * codes are documented in docs/orgs.md.  `path` is the materialised
	   * path of codes from the root ("/410000/410100/410102/") so "is X in
	   * Y's subtree" is a prefix test, in C and in SQL (path LIKE 'p%'). */
	  "CREATE TABLE orgs (\n"
	  "	code TEXT NOT NULL,\n"
	  "	kind TEXT NOT NULL,\n"
	  "	name TEXT NOT NULL,\n"
	  "	short_name TEXT,\n"
	  "	parent TEXT,\n"
	  "	path TEXT NOT NULL,\n"
	  "	region TEXT,\n"
	  "	valid_from TEXT NOT NULL,\n"
	  "	valid_to TEXT,\n"
	  "	note TEXT,\n"
	  "	PRIMARY KEY (code, valid_from)\n"
	  ");\n"
	  "CREATE INDEX orgs_parent ON orgs (parent);\n"
	  "CREATE INDEX orgs_path ON orgs (path);\n"
	  /* Names an organization is also known by (省质监局 for
	   * 河南省质量技术监督局); an alias may name several (ambiguity is
	   * reported, not resolved silently). */
	  "CREATE TABLE org_aliases (\n"
	  "	alias TEXT NOT NULL,\n"
	  "	code TEXT NOT NULL,\n"
	  "	PRIMARY KEY (alias, code)\n"
	  ");\n"
	  /* One role held in one organization per account; it applies to
	   * the organization's subtree.  role: admin | officer | inspector |
	   * lab | enterprise | analyst.  Times are RFC 3339 UTC text. */
	  "CREATE TABLE users (\n"
	  "	username TEXT PRIMARY KEY,\n"
	  "	display_name TEXT NOT NULL DEFAULT '',\n"
	  "	password_hash TEXT NOT NULL,\n"
	  "	org TEXT NOT NULL,\n"
	  "	role TEXT NOT NULL,\n"
	  "	disabled INTEGER NOT NULL DEFAULT 0,\n"
	  "	created_at TEXT NOT NULL,\n"
	  "	updated_at TEXT NOT NULL,\n"
	  "	password_changed_at TEXT NOT NULL\n"
	  ");\n"
	  "CREATE INDEX users_org ON users (org);\n"
	  /* Login sessions.  Only the SHA-256 of the cookie token is stored.
	   * Times are Unix seconds (BIGINT) because every request compares
	   * them. */
	  "CREATE TABLE sessions (\n"
	  "	token_hash TEXT PRIMARY KEY,\n"
	  "	username TEXT NOT NULL,\n"
	  "	csrf_token TEXT NOT NULL,\n"
	  "	created_at BIGINT NOT NULL,\n"
	  "	last_seen BIGINT NOT NULL,\n"
	  "	expires_at BIGINT NOT NULL,\n"
	  "	address TEXT NOT NULL DEFAULT '',\n"
	  "	user_agent TEXT NOT NULL DEFAULT ''\n"
	  ");\n"
	  "CREATE INDEX sessions_user ON sessions (username);\n"
	  /* API tokens for system-to-system use: shown once, stored hashed,
	   * scoped to an organization (and its subtree) and a permission list
	   * (comma-separated names from domain/perms.def). */
	  "CREATE TABLE api_tokens (\n"
	  "	id TEXT PRIMARY KEY,\n"
	  "	token_hash TEXT NOT NULL UNIQUE,\n"
	  "	name TEXT NOT NULL,\n"
	  "	org TEXT NOT NULL,\n"
	  "	perms TEXT NOT NULL,\n"
	  "	created_by TEXT NOT NULL,\n"
	  "	created_at TEXT NOT NULL,\n"
	  "	expires_at BIGINT,\n"
	  "	revoked_at TEXT,\n"
	  "	last_used_at TEXT\n"
	  ");\n"
	  /* Failed logins per key ("u:USERNAME" or "a:ADDRESS") for lock-out
	   * and delay; kept in the database so every server process agrees. */
	  "CREATE TABLE login_failures (\n"
	  "	key TEXT PRIMARY KEY,\n"
	  "	failures INTEGER NOT NULL,\n"
	  "	window_start BIGINT NOT NULL,\n"
	  "	locked_until BIGINT NOT NULL DEFAULT 0\n"
	  ");\n"
	  /* The append-only, hash-chained audit trail.  seq is 1, 2, 3, ...
	   * without gaps; row_hash = SHA-256 over the row's canonical content
	   * and prev_hash (the previous row's row_hash; 64 zeros for row 1).
	   * See store/audit.h for the exact canonical form. */
	  "CREATE TABLE audit_log (\n"
	  "	seq BIGINT PRIMARY KEY,\n"
	  "	at TEXT NOT NULL,\n"
	  "	actor TEXT NOT NULL,\n"
	  "	org TEXT NOT NULL DEFAULT '',\n"
	  "	action TEXT NOT NULL,\n"
	  "	target TEXT NOT NULL DEFAULT '',\n"
	  "	before_digest TEXT NOT NULL DEFAULT '',\n"
	  "	after_digest TEXT NOT NULL DEFAULT '',\n"
	  "	request_id TEXT NOT NULL DEFAULT '',\n"
	  "	detail TEXT NOT NULL DEFAULT '',\n"
	  "	prev_hash TEXT NOT NULL,\n"
	  "	row_hash TEXT NOT NULL\n"
	  ");\n"
	  "CREATE INDEX audit_log_actor ON audit_log (actor);\n"
	  "CREATE INDEX audit_log_target ON audit_log (target);\n",
	  NULL, NULL, NULL },
	{ 3, "audit_append_only",
	  /* The database itself refuses to change or remove audit rows, so a
	   * bug or a careless UPDATE cannot rewrite history.  Someone with
	   * the rights to drop these triggers can still tamper; the hash
	   * chain makes that detectable (zhiliang audit verify). */
	  "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log\n"
	  "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;\n"
	  "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log\n"
	  "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;\n",
	  /* PostgreSQL: one function for UPDATE, DELETE and TRUNCATE. */
	  "CREATE FUNCTION audit_log_append_only() RETURNS trigger\n"
	  "LANGUAGE plpgsql AS $$\n"
	  "BEGIN\n"
	  "	RAISE EXCEPTION 'audit_log is append-only';\n"
	  "END\n"
	  "$$;\n"
	  "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log\n"
	  "	FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();\n"
	  "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log\n"
	  "	FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();\n"
	  "CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log\n"
	  "	FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();\n", NULL, NULL },
	{ 4, "enterprises",
	  /* The enterprise register.  `uscc` is the key: an 18-character
	   * unified social credit code, or for a legacy record that has only
	   * an organization code "ORG:" + its 9 characters (legacy = 1).
	   * registered_capital in 10,000 yuan (万元) as text to keep the
	   * figure as filed.  status: operating | revoked | cancelled.
	   * size_class: large | medium | small | micro.  change_seq is the
	   * number of the enterprise_changes row of the last change. */
	  "CREATE TABLE enterprises (\n"
	  "	uscc TEXT PRIMARY KEY,\n"
	  "	org_code TEXT NOT NULL DEFAULT '',\n"
	  "	legacy INTEGER NOT NULL DEFAULT 0,\n"
	  "	name TEXT NOT NULL,\n"
	  "	region TEXT NOT NULL DEFAULT '',\n"
	  "	industry TEXT NOT NULL DEFAULT '',\n"
	  "	address TEXT NOT NULL DEFAULT '',\n"
	  "	legal_rep TEXT NOT NULL DEFAULT '',\n"
	  "	registered_capital TEXT NOT NULL DEFAULT '',\n"
	  "	founded TEXT NOT NULL DEFAULT '',\n"
	  "	size_class TEXT NOT NULL DEFAULT '',\n"
	  "	status TEXT NOT NULL DEFAULT 'operating',\n"
	  "	cqo_name TEXT NOT NULL DEFAULT '',\n"
	  "	cqo_appointed TEXT NOT NULL DEFAULT '',\n"
	  "	version INTEGER NOT NULL DEFAULT 1,\n"
	  "	created_at TEXT NOT NULL,\n"
	  "	updated_at TEXT NOT NULL,\n"
	  "	change_seq BIGINT NOT NULL DEFAULT 0\n"
	  ");\n"
	  "CREATE INDEX enterprises_region ON enterprises (region);\n"
	  "CREATE INDEX enterprises_industry ON enterprises (industry);\n"
	  "CREATE INDEX enterprises_status ON enterprises (status);\n"
	  /* Every version of a record (a JSON snapshot), so changes keep
	   * history; names the enterprise was known by before. */
	  "CREATE TABLE enterprise_versions (\n"
	  "	uscc TEXT NOT NULL,\n"
	  "	version INTEGER NOT NULL,\n"
	  "	changed_at TEXT NOT NULL,\n"
	  "	changed_by TEXT NOT NULL,\n"
	  "	data TEXT NOT NULL,\n"
	  "	PRIMARY KEY (uscc, version)\n"
	  ");\n"
	  "CREATE TABLE enterprise_former_names (\n"
	  "	uscc TEXT NOT NULL,\n"
	  "	name TEXT NOT NULL,\n"
	  "	valid_to TEXT NOT NULL,\n"
	  "	PRIMARY KEY (uscc, name)\n"
	  ");\n"
	  /* Certifications (iso9001, ccc, production_licence, pollution_free,
	   * green_food, organic, geo_indication, energy_saving, low_carbon)
	   * and brands/awards (famous_brand, well_known_mark, time_honoured,
	   * governor_quality_award), each dated. */
	  "CREATE TABLE enterprise_certs (\n"
	  "	uscc TEXT NOT NULL,\n"
	  "	kind TEXT NOT NULL,\n"
	  "	number TEXT NOT NULL DEFAULT '',\n"
	  "	issuer TEXT NOT NULL DEFAULT '',\n"
	  "	valid_from TEXT NOT NULL DEFAULT '',\n"
	  "	valid_to TEXT NOT NULL DEFAULT '',\n"
	  "	status TEXT NOT NULL DEFAULT 'valid',\n"
	  "	PRIMARY KEY (uscc, kind, number)\n"
	  ");\n"
	  "CREATE TABLE enterprise_awards (\n"
	  "	uscc TEXT NOT NULL,\n"
	  "	kind TEXT NOT NULL,\n"
	  "	name TEXT NOT NULL,\n"
	  "	awarded_on TEXT NOT NULL DEFAULT '',\n"
	  "	valid_to TEXT NOT NULL DEFAULT '',\n"
	  "	PRIMARY KEY (uscc, kind, name)\n"
	  ");\n"
	  /* Character bigrams (and single characters, for one-character
	   * names) of every current and former name, generated by the
	   * application: answers two-character Chinese fragments on both
	   * backends, where SQLite's trigram tokenizer cannot (DESIGN.md). */
	  "CREATE TABLE enterprise_grams (\n"
	  "	gram TEXT NOT NULL,\n"
	  "	uscc TEXT NOT NULL,\n"
	  "	PRIMARY KEY (gram, uscc)\n"
	  ");\n"
	  "CREATE INDEX enterprise_grams_uscc ON enterprise_grams (uscc);\n"
	  /* The credit archive: append-only events.  kind: spot_check,
	   * penalty, recall, complaint, accident, interview, award,
	   * certification.  polarity: positive | negative | neutral.
	   * visibility: public | internal.  public_until: the date after which
	   * it no longer shows publicly ('' = no limit). */
	  "CREATE TABLE credit_events (\n"
	  "	id BIGINT PRIMARY KEY,\n"
	  "	uscc TEXT NOT NULL,\n"
	  "	kind TEXT NOT NULL,\n"
	  "	polarity TEXT NOT NULL,\n"
	  "	event_date TEXT NOT NULL,\n"
	  "	source_org TEXT NOT NULL,\n"
	  "	doc_no TEXT NOT NULL DEFAULT '',\n"
	  "	title TEXT NOT NULL,\n"
	  "	detail TEXT NOT NULL DEFAULT '',\n"
	  "	visibility TEXT NOT NULL,\n"
	  "	public_until TEXT NOT NULL DEFAULT '',\n"
	  "	created_at TEXT NOT NULL,\n"
	  "	created_by TEXT NOT NULL\n"
	  ");\n"
	  "CREATE INDEX credit_events_uscc ON credit_events (uscc, event_date);\n"
	  /* The change feed: one row per change of an enterprise, numbered. */
	  "CREATE TABLE enterprise_changes (\n"
	  "	seq BIGINT PRIMARY KEY,\n"
	  "	uscc TEXT NOT NULL,\n"
	  "	op TEXT NOT NULL,\n"
	  "	at TEXT NOT NULL\n"
	  ");\n",
	  NULL, NULL, NULL },
	{ 5, "enterprise_index",
	  /* The name index as postings lists (store/enterprise_index.h): one
	   * blob of sorted enterprise ids per gram, plus one row per posting
	   * added by single edits.  Enterprises get a numeric id for it (eid,
	   * unique, never reused) and remember who changed them last
	   * (updated_by): the current version is the row itself, and
	   * enterprise_versions keeps the versions it superseded. */
	  "ALTER TABLE enterprises ADD COLUMN eid BIGINT NOT NULL DEFAULT 0;\n"
	  "ALTER TABLE enterprises ADD COLUMN updated_by TEXT NOT NULL DEFAULT '';\n"
	  "UPDATE enterprises SET eid = rowid;\n"
	  "CREATE UNIQUE INDEX enterprises_eid ON enterprises (eid);\n"
	  /* Filter indexes carry eid: a search's total under a filter tests
	   * the filtered ids against its postings from the index alone. */
	  "DROP INDEX enterprises_region;\n"
	  "DROP INDEX enterprises_industry;\n"
	  "DROP INDEX enterprises_status;\n"
	  "CREATE INDEX enterprises_region ON enterprises (region, eid);\n"
	  "CREATE INDEX enterprises_industry ON enterprises (industry, eid);\n"
	  "CREATE INDEX enterprises_status ON enterprises (status, eid);\n"
	  "UPDATE enterprises SET updated_by = coalesce((SELECT v.changed_by"
	  " FROM enterprise_versions v WHERE v.uscc = enterprises.uscc"
	  " AND v.version = enterprises.version), '');\n"
	  "CREATE TABLE enterprise_postings (\n"
	  "	gram TEXT PRIMARY KEY,\n"
	  "	n BIGINT NOT NULL,\n"
	  "	ids BLOB NOT NULL\n"
	  ") WITHOUT ROWID;\n"
	  "CREATE TABLE enterprise_gram_delta (\n"
	  "	gram TEXT NOT NULL,\n"
	  "	eid BIGINT NOT NULL,\n"
	  "	PRIMARY KEY (gram, eid)\n"
	  ") WITHOUT ROWID;\n"
	  "INSERT INTO enterprise_gram_delta (gram, eid)"
	  " SELECT g.gram, e.eid FROM enterprise_grams g JOIN enterprises e ON e.uscc = g.uscc;\n"
	  "DROP TABLE enterprise_grams;\n",
	  /* PostgreSQL: no rowid, BYTEA, grams in byte order as on SQLite. */
	  "ALTER TABLE enterprises ADD COLUMN eid BIGINT NOT NULL DEFAULT 0;\n"
	  "ALTER TABLE enterprises ADD COLUMN updated_by TEXT NOT NULL DEFAULT '';\n"
	  "UPDATE enterprises SET eid = r.n FROM (SELECT uscc, row_number() OVER (ORDER BY uscc) AS n"
	  " FROM enterprises) r WHERE enterprises.uscc = r.uscc;\n"
	  "CREATE UNIQUE INDEX enterprises_eid ON enterprises (eid);\n"
	  /* Filter indexes carry eid: a search's total under a filter tests
	   * the filtered ids against its postings from the index alone. */
	  "DROP INDEX enterprises_region;\n"
	  "DROP INDEX enterprises_industry;\n"
	  "DROP INDEX enterprises_status;\n"
	  "CREATE INDEX enterprises_region ON enterprises (region, eid);\n"
	  "CREATE INDEX enterprises_industry ON enterprises (industry, eid);\n"
	  "CREATE INDEX enterprises_status ON enterprises (status, eid);\n"
	  "UPDATE enterprises SET updated_by = coalesce((SELECT v.changed_by"
	  " FROM enterprise_versions v WHERE v.uscc = enterprises.uscc"
	  " AND v.version = enterprises.version), '');\n"
	  "CREATE TABLE enterprise_postings (\n"
	  "	gram TEXT COLLATE \"C\" PRIMARY KEY,\n"
	  "	n BIGINT NOT NULL,\n"
	  "	ids BYTEA NOT NULL\n"
	  ");\n"
	  "CREATE TABLE enterprise_gram_delta (\n"
	  "	gram TEXT COLLATE \"C\" NOT NULL,\n"
	  "	eid BIGINT NOT NULL,\n"
	  "	PRIMARY KEY (gram, eid)\n"
	  ");\n"
	  "INSERT INTO enterprise_gram_delta (gram, eid)"
	  " SELECT g.gram, e.eid FROM enterprise_grams g JOIN enterprises e ON e.uscc = g.uscc;\n"
	  "DROP TABLE enterprise_grams;\n", NULL, NULL },
	{ 6, "enterprise_rowids",
	  /* SQLite: a table keyed by `x TEXT PRIMARY KEY` or `x BIGINT
	   * PRIMARY KEY` is a rowid B-tree plus a second B-tree for the key,
	   * and every row is written to both.  The register becomes a table
	   * keyed by its id (eid INTEGER PRIMARY KEY is the rowid: the unique
	   * index on eid goes), with the code as a UNIQUE column, and the
	   * change feed a table keyed by its number: two B-trees fewer per
	   * record and change.  An index entry holds the rowid, so the filter
	   * indexes on (region), (industry), (status) carry the eid as
	   * before.  Rows keep their ids and numbers. */
	  "CREATE TABLE enterprises_v6 (\n"
	  "	uscc TEXT NOT NULL UNIQUE,\n"
	  "	org_code TEXT NOT NULL DEFAULT '',\n"
	  "	legacy INTEGER NOT NULL DEFAULT 0,\n"
	  "	name TEXT NOT NULL,\n"
	  "	region TEXT NOT NULL DEFAULT '',\n"
	  "	industry TEXT NOT NULL DEFAULT '',\n"
	  "	address TEXT NOT NULL DEFAULT '',\n"
	  "	legal_rep TEXT NOT NULL DEFAULT '',\n"
	  "	registered_capital TEXT NOT NULL DEFAULT '',\n"
	  "	founded TEXT NOT NULL DEFAULT '',\n"
	  "	size_class TEXT NOT NULL DEFAULT '',\n"
	  "	status TEXT NOT NULL DEFAULT 'operating',\n"
	  "	cqo_name TEXT NOT NULL DEFAULT '',\n"
	  "	cqo_appointed TEXT NOT NULL DEFAULT '',\n"
	  "	version INTEGER NOT NULL DEFAULT 1,\n"
	  "	created_at TEXT NOT NULL,\n"
	  "	updated_at TEXT NOT NULL,\n"
	  "	change_seq BIGINT NOT NULL DEFAULT 0,\n"
	  "	eid INTEGER PRIMARY KEY,\n"
	  "	updated_by TEXT NOT NULL DEFAULT ''\n"
	  ");\n"
	  "INSERT INTO enterprises_v6 (uscc, org_code, legacy, name, region, industry, address,"
	  " legal_rep, registered_capital, founded, size_class, status, cqo_name, cqo_appointed,"
	  " version, created_at, updated_at, change_seq, eid, updated_by)"
	  " SELECT uscc, org_code, legacy, name, region, industry, address,"
	  " legal_rep, registered_capital, founded, size_class, status, cqo_name, cqo_appointed,"
	  " version, created_at, updated_at, change_seq, eid, updated_by"
	  " FROM enterprises ORDER BY eid;\n"
	  "DROP TABLE enterprises;\n"
	  "ALTER TABLE enterprises_v6 RENAME TO enterprises;\n"
	  "CREATE INDEX enterprises_region ON enterprises (region);\n"
	  "CREATE INDEX enterprises_industry ON enterprises (industry);\n"
	  "CREATE INDEX enterprises_status ON enterprises (status);\n"
	  "CREATE TABLE enterprise_changes_v6 (\n"
	  "	seq INTEGER PRIMARY KEY,\n"
	  "	uscc TEXT NOT NULL,\n"
	  "	op TEXT NOT NULL,\n"
	  "	at TEXT NOT NULL\n"
	  ");\n"
	  "INSERT INTO enterprise_changes_v6 (seq, uscc, op, at)"
	  " SELECT seq, uscc, op, at FROM enterprise_changes ORDER BY seq;\n"
	  "DROP TABLE enterprise_changes;\n"
	  "ALTER TABLE enterprise_changes_v6 RENAME TO enterprise_changes;\n",
	  /* PostgreSQL keeps rows in a heap and every key in an index of its
	   * own whatever the declaration: nothing to change. */
	  "SELECT 1;\n", NULL, NULL },
	{ 7, "plans", PLANS_DDL("INTEGER PRIMARY KEY"),
	  PLANS_DDL("BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"),
	  PLAN_REPORTS_DDL("INTEGER PRIMARY KEY", "BLOB"),
	  PLAN_REPORTS_DDL("BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY", "BYTEA") },
	/* The register's certification filter (cert=iso9001) reads the holders of a
	 * kind from here instead of probing every enterprise's certifications. */
	{ 8, "enterprise_certs_kind",
	  "CREATE INDEX enterprise_certs_kind ON enterprise_certs (kind, status, uscc);\n",
	  NULL, NULL, NULL },
	{ 9, "spotchecks", CATALOGUE_DDL, NULL,
	  SPOTCHECK_DDL("INTEGER PRIMARY KEY"),
	  SPOTCHECK_DDL("BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY") },
	{ 10, "draws", DRAWS_DDL, NULL,
	  DRAW_TABLES_DDL("INTEGER PRIMARY KEY"),
	  DRAW_TABLES_DDL("BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY") },
	{ 11, "inspections", INSPECTIONS_DDL("INTEGER PRIMARY KEY"),
	  INSPECTIONS_DDL("BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"),
	  INSPECTION_PARTS_DDL("INTEGER PRIMARY KEY", "BLOB"),
	  INSPECTION_PARTS_DDL("BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY", "BYTEA") },
	/* The daily run of the timers reads the inspections in a state with a
	 * timer (zl_store_insp_fire_timers), not every inspection ever made. */
	{ 12, "inspections_state",
	  "CREATE INDEX inspections_state ON inspections (state, id);\n",
	  NULL, NULL, NULL },
	{ 13, "spotcheck_results", RESULTS_DDL("INTEGER PRIMARY KEY"),
	  RESULTS_DDL("BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"), NULL, NULL },
	{ 14, "spotcheck_stats", SCSTATS_DDL(" WITHOUT ROWID"), SCSTATS_DDL(""), NULL, NULL },
	{ 15, "announcement_steps", ANNOUNCE_STEPS_DDL, NULL, NULL, NULL },
};
/* clang-format on */

#define N_MIGRATIONS ((int)(sizeof(migrations) / sizeof(migrations[0])))

/* An arbitrary constant naming "Zhiliang schema migration" among advisory locks. */
#define PG_LOCK_SQL "SELECT pg_advisory_xact_lock(7526736435116680807)"

int zl_store_schema_latest(void)
{
	return migrations[N_MIGRATIONS - 1].version;
}

static int is_postgres(struct zl_db *db)
{
	return strcmp(zl_db_backend(db), "postgres") == 0;
}

/* Run a query returning one integer (count, max) into *out. */
static int query_int(struct zl_db *db, const char *sql, int bind, int64_t *out,
		     struct zl_error *err)
{
	struct zl_stmt *st;
	int rc;

	rc = zl_db_prepare(db, sql, &st, err);
	if (rc != ZL_OK)
		return rc;
	if (bind >= 0)
		zl_stmt_bind_int64(st, 1, bind);
	rc = zl_stmt_step(st, err);
	if (rc == ZL_DB_ROW) {
		*out = zl_stmt_column_int64(st, 0);
		rc = ZL_OK;
	} else if (rc == ZL_DB_DONE) {
		rc = zl_error_set(err, ZL_EDB, "db", "query returned no row");
	}
	zl_stmt_reset(st);
	return rc;
}

int zl_store_schema_version(struct zl_db *db, int *version, struct zl_error *err)
{
	int64_t n = 0;
	int rc;

	*version = 0;
	rc = query_int(
		db,
		is_postgres(db)
			? "SELECT count(*) FROM pg_catalog.pg_tables"
			  " WHERE schemaname = current_schema() AND tablename = 'schema_migrations'"
			: "SELECT count(*) FROM sqlite_master"
			  " WHERE type = 'table' AND name = 'schema_migrations'",
		-1, &n, err);
	if (rc != ZL_OK || n == 0)
		return rc;
	rc = query_int(db, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations", -1, &n, err);
	if (rc == ZL_OK)
		*version = (int)n;
	return rc;
}

int zl_store_migrations_pending(struct zl_db *db, int *n, struct zl_error *err)
{
	int version, rc;

	*n = 0;
	rc = zl_store_schema_version(db, &version, err);
	if (rc != ZL_OK)
		return rc;
	for (int i = 0; i < N_MIGRATIONS; i++)
		if (migrations[i].version > version)
			(*n)++;
	return ZL_OK;
}

static void utc_now(char *out, size_t n)
{
	time_t t = time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/*
 * Steps in C that a migration needs after its SQL, in the same transaction:
 * 14 fills the statistics' rollups from the inspections already held.
 */
static int post_step(struct zl_db *db, int version, struct zl_error *err)
{
	if (version == 14)
		return zl_store_sc_rollup_rebuild(db, err);
	return ZL_OK;
}

/* Apply one migration in its own transaction; *did is set when it ran. */
static int apply_one(struct zl_db *db, const struct migration *m, int *did, struct zl_error *err)
{
	const char *sql = is_postgres(db) && m->postgres != NULL ? m->postgres : m->sql;
	struct zl_stmt *st;
	char now[32];
	int64_t present = 0;
	int rc;

	*did = 0;
	rc = zl_db_begin(db, err);
	if (rc != ZL_OK)
		return rc;
	if (is_postgres(db)) {
		/* Serialise concurrent migrators; released at commit/rollback. */
		rc = zl_db_exec(db, PG_LOCK_SQL, err);
		if (rc != ZL_OK)
			goto out;
	}
	rc = zl_db_exec(db, SCHEMA_MIGRATIONS_DDL, err);
	if (rc != ZL_OK)
		goto out;
	/* Re-check under the lock: another process may have applied it. */
	rc = query_int(db, "SELECT count(*) FROM schema_migrations WHERE version = ?", m->version,
		       &present, err);
	if (rc != ZL_OK || present > 0)
		goto out;
	rc = zl_db_exec(db, sql, err);
	if (rc != ZL_OK)
		goto out;
	sql = is_postgres(db) && m->postgres2 != NULL ? m->postgres2 : m->sql2;
	if (sql != NULL) {
		rc = zl_db_exec(db, sql, err);
		if (rc != ZL_OK)
			goto out;
	}
	if ((rc = post_step(db, m->version, err)) != ZL_OK)
		goto out;
	rc = zl_db_prepare(db,
			   "INSERT INTO schema_migrations (version, name, applied_at)"
			   " VALUES (?, ?, ?)",
			   &st, err);
	if (rc != ZL_OK)
		goto out;
	utc_now(now, sizeof(now));
	zl_stmt_bind_int64(st, 1, m->version);
	zl_stmt_bind_text(st, 2, m->name, -1);
	zl_stmt_bind_text(st, 3, now, -1);
	rc = zl_stmt_step(st, err);
	zl_stmt_reset(st);
	if (rc < 0)
		goto out;
	rc = ZL_OK;
	*did = 1;
out:
	if (rc != ZL_OK) {
		zl_db_rollback(db);
		*did = 0;
		return rc;
	}
	return zl_db_commit(db, err);
}

int zl_store_migrations_count(void)
{
	return N_MIGRATIONS;
}

int zl_store_migrate(struct zl_db *db, int *applied, struct zl_error *err)
{
	return zl_store_migrate_to(db, INT_MAX, applied, err);
}

int zl_store_migrate_to(struct zl_db *db, int target, int *applied, struct zl_error *err)
{
	int version, count = 0, rc, did;

	if (applied != NULL)
		*applied = 0;
	if (zl_db_in_tx(db))
		return zl_error_set(err, ZL_EINTERNAL, "db", "migrate inside a transaction");
	/* Fast path (every start-up): nothing to do, no write lock taken. */
	rc = zl_store_schema_version(db, &version, err);
	if (rc != ZL_OK)
		return rc;
	for (int i = 0; i < N_MIGRATIONS; i++) {
		const struct migration *m = &migrations[i];
		if (m->version <= version)
			continue;
		if (m->version > target)
			break;
		rc = apply_one(db, m, &did, err);
		if (rc != ZL_OK) {
			/* Keep the backend's message, say which migration failed. */
			char msg[ZL_ERR_MSG_MAX];
			snprintf(msg, sizeof(msg), "%s", err != NULL ? err->message : "");
			zl_error_set(err, (enum zl_err)rc, "migration", "migration %d (%s): %s",
				     m->version, m->name, msg);
			break;
		}
		count += did;
	}
	if (applied != NULL)
		*applied = count;
	return rc;
}

int zl_store_analyze(struct zl_db *db, struct zl_error *err)
{
	return zl_db_exec(db, is_postgres(db) ? "ANALYZE" : "PRAGMA analysis_limit = 1000; ANALYZE",
			  err);
}
