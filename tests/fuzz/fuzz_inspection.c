/*
 * fuzz_inspection.c - libFuzzer target for the spot-check state machine
 * (domain/inspection.h).  The input drives a sequence of events through one record: each
 * step takes a few bytes for the event, the role, how far "today" moves on, the event's
 * date, and whether its data are the good ones or broken in one of many ways.
 *
 * Invariants checked after every step:
 *   - the record is always one zl_insp_check() accepts (never an undefined state);
 *   - an accepted event is a row of the table from the state it left, fired by a role the
 *     row names, and lands in that row's state; what it writes to the credit archive is a
 *     kind/subkind of domain/credit_rules.def;
 *   - a terminal state is never left;
 *   - a refusal is one of the documented codes, names a field, writes nothing, and is
 *     ZL_ECONFLICT exactly when the table has no row for (state, event);
 *   - the task list and the buttons never fail inside the calendar, and the buttons are
 *     a subset of the table's events for that state and role.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "codes/workdays.h"
#include "core/err.h"
#include "core/timeutil.h"
#include "domain/credit.h"
#include "domain/inspection.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct zl_workdays cal;
static int cal_ready;

struct in {
	const uint8_t *p;
	size_t n;
};

static unsigned byte(struct in *in)
{
	if (in->n == 0)
		return 0;
	in->n--;
	return *in->p++;
}

static const char *pick(struct in *in, const char *const *pool, size_t n)
{
	return pool[byte(in) % n];
}

#define PICK(in, pool) pick(in, pool, sizeof(pool) / sizeof(pool[0]))

static const char *const texts[] = {"见附件", "", " ", NULL, "x"};
static const char *const places[] = {"production", "circulation", "ecommerce", "warehouse", ""};
static const char *const names[] = {"标志", "泄漏电流", "接地", "功率", "标志", ""};
static const char *const samplers_pool[] = {"张伟", "李娜", "王芳", "张伟", "", NULL};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct in in = {data, size};
	struct zl_inspection rec, next, before;
	struct zl_error err = ZL_ERROR_INIT;
	int64_t today;
	char today_s[16], date_s[16], recv_s[16], until_s[16];

	if (!cal_ready) {
		if (zl_workdays_init(&cal, &err) != ZL_OK)
			abort();
		cal_ready = 1;
	}
	if (zl_insp_init(&rec, byte(&in) & 1 ? "2014-06-30" : "", &err) != ZL_OK)
		abort();
	today = zl_days_from_civil(2014, 3, 1);

	for (int step = 0; step < 64 && in.n > 0; step++) {
		struct zl_insp_env env = {&cal, today_s, NULL};
		struct zl_insp_event ev;
		struct zl_insp_effect eff;
		struct zl_insp_sampling sampling;
		struct zl_insp_item items[6];
		struct zl_insp_due dues[ZL_INSP_DUES_MAX];
		struct zl_insp_deadlines dl;
		const char *samplers[3];
		size_t contested[4];
		enum zl_insp_verdict verdicts[4];
		const struct zl_insp_transition *row;
		unsigned mode, adv;
		size_t ndue;
		int rc, good;

		/* Four bytes a step; broken data ("bad") read more. */
		memset(&ev, 0, sizeof(ev));
		ev.event = (enum zl_insp_event_id)(byte(&in) % (ZL_INSP_EVENT_COUNT + 1));
		ev.role = (enum zl_insp_role)(byte(&in) % (ZL_INSP_ROLE_COUNT + 1));
		adv = byte(&in);
		mode = byte(&in);
		good = mode < 192; /* mostly good data, so that deep states are reached */
		today += adv % 24;
		if (today > zl_days_from_civil(2026, 6, 30))
			break;
		zl_date_format(today, today_s);
		zl_date_format(today - (good ? mode & 1 : byte(&in) % 4), date_s);
		ev.date = date_s;

		/* Good data follow from the header and the record; bad data from more bytes. */
		samplers[0] = good ? "张伟" : PICK(&in, samplers_pool);
		samplers[1] = good ? "李娜" : PICK(&in, samplers_pool);
		samplers[2] = good ? "王芳" : PICK(&in, samplers_pool);
		ev.samplers = samplers;
		ev.nsamplers = good ? 2 : byte(&in) % 4;
		sampling.place = good ? "production" : PICK(&in, places);
		sampling.batch = good ? "B1" : PICK(&in, texts);
		sampling.production_date = good		   ? "2014-01-01"
					   : byte(&in) & 1 ? date_s
							   : "2014-13-01";
		sampling.spec = good ? "S" : PICK(&in, texts);
		sampling.trademark = good ? "T" : PICK(&in, texts);
		sampling.sample_qty = good ? 2 : (int)(byte(&in) % 3);
		sampling.backup_qty = good ? 2 : (int)(byte(&in) % 3);
		sampling.backup_sealed = good ? 1 : (int)(byte(&in) % 2);
		sampling.seal_no = good ? "F1" : PICK(&in, texts);
		sampling.photos = good ? 1 : (int)(byte(&in) % 2);
		ev.sampling = good || byte(&in) % 4 ? &sampling : NULL;

		/* Items: good reports fail item i when bit i + 1 of mode is set. */
		ev.nitems = good ? 1 + (mode >> 5) % 4 : 1 + byte(&in) % 6;
		ev.conclusion = ZL_INSP_PASS;
		for (size_t i = 0; i < ev.nitems; i++) {
			unsigned b = good ? (mode >> (1 + i)) & 1 : byte(&in);

			items[i].name = good ? names[i] : names[b % 6];
			items[i].measured = good ? "1" : PICK(&in, texts);
			items[i].limit = good ? "2" : PICK(&in, texts);
			items[i].unit = "";
			items[i].verdict = good ? (b ? ZL_INSP_FAIL : ZL_INSP_PASS)
						: (enum zl_insp_verdict)(b % 3);
			if (items[i].verdict == ZL_INSP_FAIL)
				ev.conclusion = ZL_INSP_FAIL;
		}
		ev.items = items;
		if (!good)
			ev.conclusion = (enum zl_insp_verdict)(byte(&in) % 3);

		/* Contest the failed items (the contested ones for a re-test), or any numbers. */
		ev.ncontested = 0;
		for (int i = 0; good && i < rec.nitems && ev.ncontested < 4; i++) {
			const uint64_t *set =
				rec.state == ZL_INSP_RETEST ? rec.contested : rec.failed;

			if ((set[i / 64] >> (i % 64)) & 1)
				contested[ev.ncontested++] = (size_t)i;
		}
		if (!good) {
			ev.ncontested = byte(&in) % 5;
			for (size_t i = 0; i < ev.ncontested; i++)
				contested[i] = byte(&in) % 8;
		}
		for (size_t i = 0; i < ev.ncontested; i++)
			verdicts[i] = good ? ((mode >> (1 + i)) & 1 ? ZL_INSP_FAIL : ZL_INSP_PASS)
					   : (enum zl_insp_verdict)(byte(&in) % 3);
		ev.contested = contested;
		ev.verdicts = verdicts;

		ev.doc_no = good ? "No.1" : PICK(&in, texts);
		ev.reason = good ? "理由" : PICK(&in, texts);
		zl_date_format(today - (good ? 0 : (int64_t)(byte(&in) % 3) - 1), recv_s);
		ev.received_on = good || byte(&in) % 4 ? recv_s : "2014-02-30";
		zl_date_format(today + (good ? 30 + adv : (int64_t)(byte(&in) % 90) - 5), until_s);
		ev.until = until_s;
		ev.days = good ? 1 + (int)(adv % 30) : (int)(byte(&in) % 40) - 2;
		ev.level = (enum zl_insp_level)(good ? ZL_INSP_LEVEL_PROVINCE : byte(&in) % 6);

		memset(&next, 0xA5, sizeof(next));
		before = next;
		err.field[0] = '\0';
		rc = zl_insp_apply(&rec, &ev, &env, &next, &eff, &err);
		row = (unsigned)ev.event < ZL_INSP_EVENT_COUNT
			      ? zl_insp_transition_find(rec.state, ev.event)
			      : NULL;
		if (rc == ZL_OK) {
			if (row == NULL || next.state != row->to ||
			    !(row->roles & (1u << ev.role)) || eff.row != row)
				abort();
			if (zl_insp_state_terminal(rec.state) && next.state != rec.state)
				abort();
			if (zl_insp_check(&next, NULL) != ZL_OK)
				abort();
			if (row->credit_kind != NULL &&
			    (zl_credit_rule_find(row->credit_kind, row->credit_subkind) == NULL ||
			     strcmp(eff.credit_date, date_s) != 0))
				abort();
			rec = next;
		} else {
			if (rc != ZL_EINVAL && rc != ZL_ECONFLICT && rc != ZL_EFORBIDDEN &&
			    rc != ZL_EUNPROC)
				abort();
			if (err.field[0] == '\0' || memcmp(&next, &before, sizeof(next)) != 0)
				abort();
			if ((unsigned)ev.event < ZL_INSP_EVENT_COUNT &&
			    (unsigned)ev.role < ZL_INSP_ROLE_COUNT &&
			    (rc == ZL_ECONFLICT) != (row == NULL))
				abort();
		}
		if (zl_insp_check(&rec, NULL) != ZL_OK)
			abort();

		/* The task lists and buttons on the record as it now is. */
		rc = zl_insp_dues(&rec, &env, 0, dues, &ndue, &err);
		if (rc != ZL_OK && rc != ZL_EUNPROC)
			abort();
		if (rc == ZL_OK && ndue > ZL_INSP_DUES_MAX)
			abort();
		rc = zl_insp_deadlines(&rec, &env, &dl, &err);
		if (rc != ZL_OK && rc != ZL_EUNPROC)
			abort();
		for (unsigned roles = 1; roles <= ZL_INSP_BY_ANY; roles <<= 1) {
			uint64_t avail = zl_insp_available(&rec, &env, roles);

			if (avail & ~zl_insp_events_for(rec.state, roles))
				abort();
		}
	}
	return 0;
}
