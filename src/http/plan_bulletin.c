/*
 * plan_bulletin.c - GET /api/v1/plans/{id}/bulletin: the periodic bulletin
 * (通报) of a plan as of today, as JSON or as a PDF (issue 5, item 5).
 *
 * The figures are the completion tallies (zl_plan_http_tallies: by lead or
 * shared owner, or by local plan) ranked by the on-time completion rate
 * (domain/plan_bulletin.h), plus the list of overdue tasks.  The PDF is the
 * document an office circulates: the summary, the ranking table with a
 * light per organization, a chart of the rates, the overdue tasks, and the
 * request that their lead organizations explain in writing within five
 * working days (the date computed with the working-day calendar).  Who may
 * read it is who may read the plan (its completion figures are counts, as
 * GET .../completion shows them).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codes/workdays.h"
#include "core/jw.h"
#include "core/pdfw.h"
#include "core/timeutil.h"
#include "http/handlers.h"
#include "http/list.h"
#include "http/plan_http.h"

/* Tasks listed as overdue at most (the PDF and JSON say when more are left out). */
#define OVERDUE_MAX 500
/* Working days the lead organizations of overdue tasks have to explain (a drafting choice). */
#define EXPLAIN_WORKING_DAYS 5

struct overdue {
	int64_t task_id, plan_id, days;
	const char *number, *title, *leads, *org_name, *deadline;
};

struct bulletin {
	struct zl_req *req;
	const char *today;
	int64_t today_days;
	struct zl_plan_tally sum; /* every task once, whoever owns it */
	struct overdue *v;
	size_t n, cap, more;
};

static int given(const char *s)
{
	return s != NULL && s[0] != '\0';
}

static const char *dup(struct zl_req *req, const char *s)
{
	return zl_arena_strdup(req->arena, s ? s : "");
}

/* Sum every task once and collect the open ones past their deadline (zl_plan_tally_visit_fn). */
static int visit(void *cls, const struct zl_plan_task_row *t, const struct zl_plan_tally *local)
{
	struct bulletin *b = cls;
	struct overdue *o;
	int64_t d;

	zl_plan_tally_task(&b->sum, t->deadline, t->completed_on, t->light.light, t->progress,
			   b->today);
	if (given(t->completed_on) || !given(t->deadline) || strcmp(t->deadline, b->today) >= 0)
		return ZL_OK;
	if (b->n == OVERDUE_MAX) {
		b->more++;
		return ZL_OK;
	}
	if (b->n == b->cap) {
		size_t cap = b->cap ? 2 * b->cap : 32;
		struct overdue *v = zl_arena_calloc(b->req->arena, cap, sizeof(*v));

		if (v == NULL)
			return ZL_ENOMEM;
		if (b->n)
			memcpy(v, b->v, b->n * sizeof(*v));
		b->v = v;
		b->cap = cap;
	}
	o = &b->v[b->n];
	o->task_id = t->id;
	o->plan_id = t->plan_id;
	o->days = zl_date_parse(t->deadline, &d) == ZL_OK ? b->today_days - d : 0;
	o->number = dup(b->req, t->number);
	o->title = dup(b->req, t->title);
	/* A shared task (按职责分工负责) has no lead: all its owners answer for it. */
	o->leads = zl_plan_http_names(b->req, t, 1);
	o->leads = dup(b->req, o->leads ? o->leads : zl_plan_http_names(b->req, t, 0));
	o->org_name = local ? local->org_name : "";
	o->deadline = dup(b->req, t->deadline);
	if (!o->number || !o->title || !o->leads || !o->deadline)
		return ZL_ENOMEM;
	b->n++;
	return ZL_OK;
}

/* Longest overdue first, then by plan and task (deterministic). */
static int cmp_overdue(const void *pa, const void *pb)
{
	const struct overdue *a = pa, *b = pb;

	if (a->days != b->days)
		return a->days > b->days ? -1 : 1;
	if (a->plan_id != b->plan_id)
		return a->plan_id < b->plan_id ? -1 : 1;
	return a->task_id < b->task_id ? -1 : a->task_id > b->task_id;
}

/* "87.5" (a rate in percent, one decimal) or NULL when there is none. */
static const char *pct(struct zl_req *req, double rate)
{
	if (rate < 0)
		return NULL;
	return zl_arena_printf(req->arena, "%.1f", (rate > 1 ? 1 : rate) * 100.0 + 1e-9);
}

/* The light a row of the ranking shows: red with overdue tasks, yellow under 80% on time. */
static unsigned mark_of(const struct zl_plan_tally *y)
{
	double r = zl_plan_tally_rate(y);

	if (y->overdue > 0)
		return ZL_PDF_RED;
	if (r >= 0 && r < 0.8)
		return ZL_PDF_YELLOW;
	return r < 0 ? ZL_PDF_GREY : ZL_PDF_GREEN;
}

/* ---- JSON ------------------------------------------------------------------------ */

static void tally_members(struct zl_jw *w, const struct zl_plan_tally *y)
{
	double r = zl_plan_tally_rate(y);
	int p = zl_plan_tally_progress(y);

	zl_jw_kint(w, "tasks", y->tasks);
	zl_jw_kint(w, "assessed", y->assessed);
	zl_jw_kint(w, "on_time", y->on_time);
	zl_jw_kint(w, "late", y->late);
	zl_jw_kint(w, "overdue", y->overdue);
	zl_jw_kint(w, "done", y->done);
	zl_jw_key(w, "on_time_rate");
	if (r < 0)
		zl_jw_null(w);
	else
		zl_jw_double(w, r);
	zl_jw_kint(w, "green", y->lights[ZL_LIGHT_GREEN]);
	zl_jw_kint(w, "yellow", y->lights[ZL_LIGHT_YELLOW]);
	zl_jw_kint(w, "red", y->lights[ZL_LIGHT_RED]);
	zl_jw_key(w, "progress");
	if (p < 0)
		zl_jw_null(w);
	else
		zl_jw_int(w, p);
}

static int answer_json(struct zl_resp *resp, const struct zl_plan_info *p, const char *today,
		       int local, const struct zl_plan_tallies *x, const size_t *order,
		       const int *rank, const struct zl_plan_tally *sum, const struct bulletin *b,
		       const char *explain_by)
{
	struct zl_jw w;

	zl_resp_json(resp, 200, &w);
	zl_jw_obj_begin(&w);
	zl_jw_key(&w, "plan");
	zl_jw_obj_begin(&w);
	zl_jw_kint(&w, "id", p->id);
	zl_jw_kstr(&w, "title", p->title);
	zl_jw_kstr(&w, "org", p->org);
	zl_jw_kstr(&w, "org_name", p->org_name);
	zl_jw_kint(&w, "year", p->year);
	zl_jw_obj_end(&w);
	zl_jw_kstr(&w, "as_of", today);
	zl_jw_kstr(&w, "by", local ? "local" : "owner");
	zl_jw_key(&w, "summary");
	zl_jw_obj_begin(&w);
	zl_jw_kint(&w, "organizations", (int64_t)x->n);
	tally_members(&w, sum);
	zl_jw_obj_end(&w);
	zl_jw_key(&w, "ranking");
	zl_jw_arr_begin(&w);
	for (size_t i = 0; i < x->n; i++) {
		const struct zl_plan_tally *y = &x->v[order[i]];

		zl_jw_obj_begin(&w);
		zl_jw_kint(&w, "rank", rank[i]);
		zl_jw_kstr(&w, "org", y->org);
		zl_jw_kstr(&w, "org_name", y->org_name);
		if (local)
			zl_jw_kint(&w, "plan_id", y->plan_id);
		tally_members(&w, y);
		zl_jw_obj_end(&w);
	}
	zl_jw_arr_end(&w);
	zl_jw_key(&w, "overdue_tasks");
	zl_jw_arr_begin(&w);
	for (size_t i = 0; i < b->n; i++) {
		const struct overdue *o = &b->v[i];

		zl_jw_obj_begin(&w);
		zl_jw_kint(&w, "task_id", o->task_id);
		zl_jw_kint(&w, "plan_id", o->plan_id);
		zl_jw_kstr(&w, "number", o->number);
		zl_jw_kstr(&w, "title", o->title);
		zl_jw_kstr(&w, "lead", o->leads);
		if (local)
			zl_jw_kstr(&w, "org_name", o->org_name);
		zl_jw_kstr(&w, "deadline", o->deadline);
		zl_jw_kint(&w, "days_overdue", o->days);
		zl_jw_obj_end(&w);
	}
	zl_jw_arr_end(&w);
	zl_jw_kint(&w, "overdue_not_listed", (int64_t)b->more);
	zl_jw_kstr(&w, "explain_by", explain_by[0] ? explain_by : NULL);
	zl_jw_obj_end(&w);
	return zl_jw_error(&w);
}

/* ---- PDF ------------------------------------------------------------------------- */

static const char *num(struct zl_req *req, int64_t v)
{
	char s[24];

	snprintf(s, sizeof(s), "%" PRId64, v);
	return zl_arena_strdup(req->arena, s);
}

static int answer_pdf(struct zl_req *req, struct zl_resp *resp, const struct zl_plan_info *p,
		      const char *today, int local, const struct zl_plan_tallies *x,
		      const size_t *order, const int *rank, const struct zl_plan_tally *sum,
		      const struct bulletin *b, const char *explain_by, struct zl_error *err)
{
	static const struct zl_pdf_col rank_cols[] = {
		{"排名", 0.08, ZL_PDF_CENTER},	    {"单位", 0.27, ZL_PDF_LEFT},
		{"任务", 0.08, ZL_PDF_RIGHT},	    {"应完成", 0.10, ZL_PDF_RIGHT},
		{"按期完成", 0.11, ZL_PDF_RIGHT},   {"按期完成率", 0.13, ZL_PDF_RIGHT},
		{"逾期未完成", 0.13, ZL_PDF_RIGHT}, {"平均进度", 0.10, ZL_PDF_RIGHT},
	};
	static const struct zl_pdf_col overdue_cols[] = {
		{"序号", 0.08, ZL_PDF_LEFT},
		{"任务", 0.36, ZL_PDF_LEFT},
		{"牵头（负责）单位", 0.24, ZL_PDF_LEFT},
		{"截止日期", 0.18, ZL_PDF_CENTER},
		{"逾期天数", 0.14, ZL_PDF_RIGHT},
	};
	struct zl_pdf_info info = {
		.title = NULL, .author = p->org_name, .footer = p->org_name, .date = today};
	struct zl_pdf_bar *bars = x->n ? zl_arena_calloc(req->arena, x->n, sizeof(*bars)) : NULL;
	struct zl_buf text = ZL_BUF_INIT(64 * 1024);
	const char *disposition;
	struct zl_pdf *pdf;
	double rate = zl_plan_tally_rate(sum);
	char title[1024], sub[512], file[64];
	int rc;

	if (x->n && bars == NULL)
		return zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
	snprintf(title, sizeof(title), "关于《%s》落实情况的通报", p->title);
	info.title = title;
	info.subject = "督查督办通报";
	if ((pdf = zl_pdf_new(&info, err)) == NULL)
		return ZL_ENOMEM;
	snprintf(sub, sizeof(sub), "%s · 截至 %s", p->org_name, today);
	zl_pdf_title(pdf, title, sub);

	zl_pdf_heading(pdf, 1, "一、总体情况");
	zl_buf_addf(&text,
		    "截至%s，《%s》共有任务 %" PRId64 " 项（按%s统计，涉及 %zu 个单位），"
		    "其中应完成 %" PRId64 " 项，按期完成 %" PRId64 " 项",
		    today, p->title, sum->tasks, local ? "下级实施方案" : "牵头和共同负责单位",
		    x->n, sum->assessed, sum->on_time);
	if (rate >= 0)
		zl_buf_addf(&text, "，按期完成率 %.1f%%", rate * 100.0 + 1e-9);
	zl_buf_addf(&text,
		    "；逾期完成 %" PRId64 " 项，逾期未完成 %" PRId64 " 项。"
		    "目前红灯 %" PRId64 " 项、黄灯 %" PRId64 " 项、绿灯 %" PRId64
		    " 项、已完成 %" PRId64 " 项。",
		    sum->late, sum->overdue, sum->lights[ZL_LIGHT_RED],
		    sum->lights[ZL_LIGHT_YELLOW], sum->lights[ZL_LIGHT_GREEN],
		    sum->lights[ZL_LIGHT_DONE]);
	zl_pdf_text(pdf, zl_buf_str(&text));

	zl_pdf_heading(pdf, 1, "二、各单位按期完成情况排名");
	zl_pdf_table_begin(pdf, rank_cols, sizeof(rank_cols) / sizeof(rank_cols[0]));
	for (size_t i = 0; i < x->n; i++) {
		const struct zl_plan_tally *y = &x->v[order[i]];
		int prog = zl_plan_tally_progress(y);
		const char *r = pct(req, zl_plan_tally_rate(y));
		char progress[16];
		const char *cells[8];

		snprintf(progress, sizeof(progress), "%d%%", prog);
		cells[0] = num(req, rank[i]);
		cells[1] = y->org_name[0] ? y->org_name : y->org;
		cells[2] = num(req, y->tasks);
		cells[3] = num(req, y->assessed);
		cells[4] = num(req, y->on_time);
		cells[5] = r ? zl_arena_printf(req->arena, "%s%%", r) : "—";
		cells[6] = num(req, y->overdue);
		cells[7] = prog >= 0 ? zl_arena_strdup(req->arena, progress) : "—";
		zl_pdf_table_row(pdf, cells, mark_of(y));
		bars[i].label = cells[1];
		bars[i].value = r ? zl_plan_tally_rate(y) * 100.0 : 0;
		bars[i].value_text = r ? cells[5] : "—";
		bars[i].color = mark_of(y);
	}
	zl_pdf_table_end(pdf);
	zl_pdf_note(pdf, "注：应完成 = 截止日期已过或已完成的任务；按期完成率 = 按期完成 / 应完成；"
			 "红点：有逾期未完成任务；黄点：按期完成率低于 80%；灰点：尚无应完成任务。"
			 "平均进度为牵头单位确认的最新进度。");
	if (x->n)
		zl_pdf_bars(pdf, "按期完成率（%）", bars, x->n, 100);

	zl_pdf_heading(pdf, 1, "三、逾期未完成任务");
	if (b->n == 0) {
		zl_pdf_text(pdf, "截至通报之日，没有逾期未完成的任务。");
	} else {
		zl_pdf_table_begin(pdf, overdue_cols,
				   sizeof(overdue_cols) / sizeof(overdue_cols[0]));
		for (size_t i = 0; i < b->n; i++) {
			const struct overdue *o = &b->v[i];
			const char *cells[5];

			cells[0] = o->number;
			cells[1] = local && o->org_name[0] ? zl_arena_printf(req->arena, "%s（%s）",
									     o->title, o->org_name)
							   : o->title;
			cells[2] = o->leads;
			cells[3] = o->deadline;
			cells[4] = num(req, o->days);
			zl_pdf_table_row(pdf, cells, ZL_PDF_RED);
		}
		zl_pdf_table_end(pdf);
		if (b->more)
			zl_pdf_note(pdf, zl_arena_printf(req->arena, "另有 %zu 项逾期任务未列出。",
							 b->more));
	}

	zl_pdf_heading(pdf, 1, "四、工作要求");
	zl_buf_reset(&text);
	zl_buf_adds(&text, "请各单位对照任务分工台账，加快推进工作落实，按时报送进展情况。");
	if (b->n && explain_by[0])
		zl_buf_addf(&text,
			    "逾期未完成任务的牵头单位，请于 %s 前（%d 个工作日内）书面报告原因"
			    "和整改措施。",
			    explain_by, EXPLAIN_WORKING_DAYS);
	zl_pdf_text(pdf, zl_buf_str(&text));
	zl_buf_release(&text);

	resp->status = 200;
	resp->content_type = "application/pdf";
	snprintf(file, sizeof(file), "bulletin-%" PRId64 "-%s.pdf", p->id, today);
	disposition = zl_http_disposition(req->arena, file);
	if ((rc = zl_pdf_finish(pdf, &resp->body, err)) != ZL_OK)
		return rc;
	if (disposition == NULL || zl_resp_header(resp, "Content-Disposition", disposition) ||
	    zl_resp_header(resp, "Cache-Control", "no-store"))
		return zl_error_set(err, ZL_ENOMEM, NULL, "cannot answer the PDF");
	return ZL_OK;
}

/* Today + EXPLAIN_WORKING_DAYS working days, or "" outside the calendar's years. */
static void explain_date(const char *today, char out[16])
{
	struct zl_workdays *wd = malloc(sizeof(*wd));
	struct zl_error e = ZL_ERROR_INIT;
	int64_t d, due;

	out[0] = '\0';
	if (wd != NULL && zl_workdays_init(wd, &e) == ZL_OK && zl_date_parse(today, &d) == ZL_OK &&
	    zl_workdays_add(wd, d, EXPLAIN_WORKING_DAYS, &due, &e) == ZL_OK)
		zl_date_format(due, out);
	free(wd);
}

int zl_h_plan_bulletin(struct zl_req *req, struct zl_resp *resp, struct zl_error *err)
{
	struct zl_plan_info *p = zl_arena_calloc(req->arena, 1, sizeof(*p));
	const char *by = zl_req_query(req, "by"), *format = zl_req_query(req, "format");
	struct zl_plan_tallies x = {0};
	struct bulletin b = {0};
	struct zl_plan_actor who;
	char today[16], explain_by[16];
	struct zl_db *db;
	size_t *order;
	int *rank;
	int64_t id;
	int rc, local, pdf;

	if (p == NULL)
		return zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
	if ((rc = zl_plan_http_id(req, "plan", &id, err)))
		return rc;
	if (given(by) && strcmp(by, "owner") != 0 && strcmp(by, "local") != 0)
		return zl_error_set(err, ZL_EINVAL, "by", "by is owner or local");
	if (given(format) && strcmp(format, "json") != 0 && strcmp(format, "pdf") != 0)
		return zl_error_set(err, ZL_EINVAL, "format", "format is json or pdf");
	local = given(by) && strcmp(by, "local") == 0;
	pdf = given(format) && strcmp(format, "pdf") == 0;
	zl_plan_http_actor(req, &who, today);
	b.req = req;
	b.today = today;
	if (zl_date_parse(today, &b.today_days) != ZL_OK)
		return zl_error_set(err, ZL_EINTERNAL, NULL, "no date for today");
	if (!(db = zl_req_db(req, err)))
		return ZL_EUNAVAIL;
	if ((rc = zl_db_begin_read(db, err)))
		return rc;
	rc = zl_plan_http_plan(req, db, id, p, err);
	if (rc == ZL_OK)
		rc = zl_plan_http_tallies(req, db, id, local, today, visit, &b, &x, err);
	zl_db_rollback(db);
	if (rc == ZL_ENOMEM)
		return zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
	if (rc != ZL_OK)
		return rc;
	order = zl_arena_calloc(req->arena, x.n + 1, sizeof(*order));
	rank = zl_arena_calloc(req->arena, x.n + 1, sizeof(*rank));
	if (order == NULL || rank == NULL)
		return zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
	zl_plan_rank(x.v, x.n, order, rank);
	if (b.n > 1)
		qsort(b.v, b.n, sizeof(*b.v), cmp_overdue);
	explain_date(today, explain_by);
	if (pdf)
		return answer_pdf(req, resp, p, today, local, &x, order, rank, &b.sum, &b,
				  explain_by, err);
	return answer_json(resp, p, today, local, &x, order, rank, &b.sum, &b, explain_by);
}
