/*
 * test_import.c - the enterprise import engine (store/import.h) against a
 * real database: an xlsx workbook written here with libxlsxwriter (title
 * row, shared strings, a date cell, a number, an unmapped column, a
 * footer note) is imported and read back; a bad row makes the engine
 * report it and leave written = 0 (the caller's rollback then leaves the
 * register as it was); partial writes the good rows; re-import changes
 * nothing; the progress callback reaches the whole file.  CSV files with
 * a chunk size of 3 rows (sorted runs in temporary files, merged): every
 * row written in the key order of the whole file, re-import unchanged across
 * chunks, a bad row in a later chunk leaves nothing, partial writes the
 * good rows of every chunk, the index flushed mid-import; the 曾用名
 * column: several names per cell recorded and searchable, a bad one
 * rejected.  A file of 12,000 rows (many batches of the threads that check
 * rows and index names, several chunks) with rejects far apart: reported
 * in file order with their row numbers, nothing written; with partial the
 * good rows and their former names are written and found; a re-import
 * adds only the rows refused before.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <xlsxwriter.h>

#include "codes/orgcode.h"
#include "codes/uscc.h"
#include "db/db.h"
#include "store/enterprise_search.h"
#include "store/enterprises.h"
#include "store/import.h"

#include "harness.h"

static char book[64];

static int setup_db(void **state)
{
	struct zl_db *db = harness_open_empty(1);

	if (!db)
		return -1;
	*state = db;
	return 0;
}

/* bad: 0 all good; 1 with a bad code in row 5 */
static void make_book(int bad)
{
	lxw_workbook *wb;
	lxw_worksheet *ws;
	lxw_format *date;
	lxw_datetime dt = {2016, 9, 17, 0, 0, 0};
	int fd;

	snprintf(book, sizeof(book), "/tmp/zl_import_XXXXXX");
	fd = mkstemp(book);
	assert_true(fd >= 0);
	close(fd);
	wb = workbook_new(book);
	assert_non_null(wb);
	ws = workbook_add_worksheet(wb, NULL);
	date = workbook_add_format(wb);
	format_set_num_format_index(date, 14);
	worksheet_write_string(ws, 0, 0, "河南省企业名录（2014）", NULL);
	worksheet_write_string(ws, 1, 0, "统一社会\n信用代码", NULL);
	worksheet_write_string(ws, 1, 1, "企业（单位）名称", NULL);
	worksheet_write_string(ws, 1, 2, "成立日期", NULL);
	worksheet_write_string(ws, 1, 3, "注册资本（万元）", NULL);
	worksheet_write_string(ws, 1, 4, "所在地区", NULL);
	worksheet_write_string(ws, 1, 5, "联系电话", NULL);
	worksheet_write_string(ws, 2, 0, "914112810713741814", NULL);
	worksheet_write_string(ws, 2, 1, "义马甲有限公司", NULL);
	worksheet_write_datetime(ws, 2, 2, &dt, date);
	worksheet_write_number(ws, 2, 3, 500, NULL);
	worksheet_write_string(ws, 2, 4, "义马市", NULL);
	worksheet_write_string(ws, 3, 0, "91440300192317458F", NULL);
	worksheet_write_string(ws, 3, 1, "郑州乙有限公司", NULL);
	worksheet_write_string(ws, 3, 4, "410102", NULL);
	worksheet_write_string(ws, 4, 0, bad ? "91110000600037341N" : "91440606722473344C", NULL);
	worksheet_write_string(ws, 4, 1, "佛山丙有限公司", NULL);
	worksheet_write_string(ws, 4, 4, "郑州市", NULL);
	worksheet_write_string(ws, 6, 0, "注：排名不分先后", NULL);
	assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
}

struct prog {
	uint64_t calls, rows, done, total, written;
	unsigned phases; /* bit 1 << phase for each phase seen */
	uint64_t grams_total;
	uint64_t flushes; /* INDEXING phases begun (grams_total 0, done 0) */
};

static void on_progress(void *cls, const struct zl_import_progress *pr)
{
	struct prog *p = cls;
	p->calls++;
	p->phases |= 1u << pr->phase;
	p->rows = pr->rows;
	p->done = pr->bytes_done;
	p->total = pr->bytes_total;
	p->written = pr->written;
	if (pr->phase == ZL_IMPORT_INDEXING && pr->grams_total > p->grams_total)
		p->grams_total = pr->grams_total;
	if (pr->phase == ZL_IMPORT_INDEXING && pr->grams_total == 0 && pr->grams_done == 0)
		p->flushes++;
}

/* Import `file` in one transaction: committed when the engine says written, else rolled back. */
static int run_file(struct zl_db *db, const char *file, int partial, size_t chunk, size_t flush,
		    struct zl_import_result *res, struct prog *p)
{
	struct zl_import_options opt = {0};
	struct zl_error e = ZL_ERROR_INIT;
	int rc;

	opt.partial = partial;
	opt.actor = "import:test";
	opt.progress = on_progress;
	opt.progress_cls = p;
	opt.chunk_rows = chunk;
	opt.flush_postings = flush;
	zl_import_result_init(res);
	assert_int_equal(zl_db_begin(db, &e), ZL_OK);
	rc = zl_import_enterprises(db, file, &opt, res, &e);
	if (rc == ZL_OK && res->written)
		assert_int_equal(zl_db_commit(db, &e), ZL_OK);
	else
		zl_db_rollback(db);
	return rc;
}

static int run(struct zl_db *db, int partial, struct zl_import_result *res, struct prog *p)
{
	return run_file(db, book, partial, 0, 0, res, p);
}

static void test_xlsx_import(void **state)
{
	struct zl_db *db = *state;
	struct zl_import_result res;
	struct zl_enterprise e;
	struct zl_error err = ZL_ERROR_INIT;
	struct prog p = {0};

	make_book(0);
	assert_int_equal(run(db, 0, &res, &p), ZL_OK);
	assert_int_equal(res.format, ZL_TABLE_XLSX);
	assert_int_equal(res.header_row, 2);
	assert_int_equal(res.rows, 3);
	assert_int_equal(res.imported, 3);
	assert_int_equal(res.rejected, 0);
	assert_int_equal(res.written, 1);
	assert_int_equal(res.nunmapped, 1);
	assert_string_equal(res.unmapped[0], "F (联系电话)");
	assert_true(p.calls >= 1);
	assert_int_equal(p.rows, 3);
	assert_true(p.total > 0 && p.done == p.total);
	zl_import_result_release(&res);

	assert_int_equal(zl_store_enterprise_get(db, "914112810713741814", &e, &err), ZL_OK);
	assert_string_equal(e.name, "义马甲有限公司");
	assert_string_equal(e.founded, "2016-09-17");
	assert_string_equal(e.registered_capital, "500");
	assert_string_equal(e.region, "411281");
	assert_int_equal(zl_store_enterprise_get(db, "91440606722473344C", &e, &err), ZL_OK);
	assert_string_equal(e.region, "410100");

	/* The same file again: nothing changes. */
	assert_int_equal(run(db, 0, &res, &p), ZL_OK);
	assert_int_equal(res.imported, 0);
	assert_int_equal(res.updated, 0);
	assert_int_equal(res.unchanged, 3);
	zl_import_result_release(&res);
	unlink(book);
}

static void test_bad_row(void **state)
{
	struct zl_db *db = *state;
	struct zl_import_result res;
	struct zl_enterprise e;
	struct zl_error err = ZL_ERROR_INIT;
	struct prog p = {0};

	make_book(1);
	assert_int_equal(run(db, 0, &res, &p), ZL_OK);
	assert_int_equal(res.rejected, 1);
	assert_int_equal(res.written, 0);
	assert_int_equal(res.imported, 0);
	assert_int_equal(res.nrejects, 1);
	assert_int_equal(res.rejects[0].row, 5);
	assert_string_equal(res.rejects[0].column, "A (统一社会\n信用代码)");
	assert_string_equal(res.rejects[0].value, "91110000600037341N");
	zl_import_result_release(&res);
	/* Rolled back: the good rows before the bad one are not there. */
	assert_int_equal(zl_store_enterprise_get(db, "914112810713741814", &e, &err), ZL_ENOTFOUND);

	assert_int_equal(run(db, 1, &res, &p), ZL_OK);
	assert_int_equal(res.rejected, 1);
	assert_int_equal(res.written, 1);
	assert_int_equal(res.imported, 2);
	zl_import_result_release(&res);
	assert_int_equal(zl_store_enterprise_get(db, "914112810713741814", &e, &err), ZL_OK);
	unlink(book);
}

/* ---- CSV files in several chunks ----------------------------------------------- */

/* Valid codes (zhiliang uscc sample 12 --seed 4), in no particular key order. */
static const char *const codes[] = {
	"914104812G8P06PU13", "91411522E35XW47N0P", "9141100238JLWU8F5R", "524113234R4K87JY5R",
	"93411425TGRHDD9F0Q", "524109289LJB5Q4Y9M", "524103257PFHUKW664", "91419001FF4YTARQ2E",
	"914107033KRR3XTBX8", "52410329844RM1DU6J", "91410526G9F0L0Q23M", "91411502Y3L4EF3U2J",
};
#define NCODES (sizeof(codes) / sizeof(codes[0]))

static char csv[64];

/* A new temporary file, its name in csv, open for writing. */
static FILE *new_csv(void)
{
	FILE *f;
	int fd;

	snprintf(csv, sizeof(csv), "/tmp/zl_import_XXXXXX");
	fd = mkstemp(csv);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	assert_non_null(f);
	return f;
}

/*
 * A CSV of the 12 codes with names 测试企业<i>号有限公司 (suffix appended to
 * each name); row `bad` (a file row number, 0: none) gets a wrong check
 * character.
 */
static void make_csv(unsigned bad, const char *suffix)
{
	FILE *f = new_csv();

	fprintf(f, "统一社会信用代码,企业名称,所在地区\n");
	for (unsigned i = 0; i < NCODES; i++) {
		char code[32];
		snprintf(code, sizeof(code), "%s", codes[i]);
		if (i + 2 == bad)
			code[17] = code[17] == '0' ? '1' : '0';
		fprintf(f, "%s,测试企业%u号有限公司%s,410102\n", code, i, suffix);
	}
	assert_int_equal(fclose(f), 0);
}

static int64_t count_all(struct zl_db *db)
{
	struct zl_ent_filter f;
	struct zl_error err = ZL_ERROR_INIT;
	int64_t total = -1;

	memset(&f, 0, sizeof(f));
	assert_int_equal(zl_store_enterprise_list(db, &f, NULL, NULL, &total, &err), ZL_OK);
	return total;
}

static int64_t count_q(struct zl_db *db, const char *q)
{
	struct zl_ent_filter f;
	struct zl_error err = ZL_ERROR_INIT;
	int64_t total = -1;

	memset(&f, 0, sizeof(f));
	f.q = q;
	assert_int_equal(zl_store_enterprise_list(db, &f, NULL, NULL, &total, &err), ZL_OK);
	return total;
}

/* PRAGMA cache_size of the connection (SQLite). */
static int64_t cache_size(struct zl_db *db)
{
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_stmt *st;
	int64_t v;

	assert_int_equal(zl_db_prepare(db, "PRAGMA cache_size", &st, &err), ZL_OK);
	assert_int_equal(zl_stmt_step(st, &err), ZL_DB_ROW);
	v = zl_stmt_column_int64(st, 0);
	zl_stmt_reset(st);
	return v;
}

/* SQLite: a checksum of the definitions of the indexes of enterprises (and that there are 3). */
static uint64_t index_defs(struct zl_db *db)
{
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_stmt *st;
	uint64_t sum = 0;
	int64_t n = 0;
	int rc;

	if (is_pg(db))
		return 0;
	assert_int_equal(
		zl_db_prepare(db,
			      "SELECT sql FROM sqlite_master WHERE type = 'index'"
			      " AND tbl_name = 'enterprises' AND sql IS NOT NULL ORDER BY name",
			      &st, &err),
		ZL_OK);
	while ((rc = zl_stmt_step(st, &err)) == ZL_DB_ROW) {
		for (const char *q = zl_stmt_column_text(st, 0); *q; q++)
			sum = sum * 31 + (unsigned char)*q;
		n++;
	}
	zl_stmt_reset(st);
	assert_int_equal(rc, ZL_DB_DONE);
	assert_int_equal(n, 3); /* region, industry, status (eid is the rowid: migration 6) */
	return sum;
}

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void test_chunks(void **state)
{
	struct zl_db *db = *state;
	struct zl_import_result res;
	struct zl_enterprise e;
	struct zl_error err = ZL_ERROR_INIT;
	struct prog p = {0};
	uint64_t nindex;

	/* 12 rows in chunks of 3; the index builder flushed after every chunk. */
	make_csv(0, "");
	if (!is_pg(db))
		exec_ok(db, "PRAGMA cache_size = -2000");
	nindex = index_defs(db);
	assert_int_equal(run_file(db, csv, 0, 3, 1, &res, &p), ZL_OK);
	/* The indexes of the register are as they were (an import creates or drops none). */
	assert_int_equal(index_defs(db), nindex);
	/* The page cache raised for the import is put back. */
	if (!is_pg(db))
		assert_int_equal(cache_size(db), -2000);
	assert_int_equal(res.rows, NCODES);
	assert_int_equal(res.imported, NCODES);
	assert_int_equal(res.rejected, 0);
	assert_int_equal(res.written, 1);
	assert_int_equal(p.phases, (1u << ZL_IMPORT_READING) | (1u << ZL_IMPORT_SORTING) |
					   (1u << ZL_IMPORT_WRITING) | (1u << ZL_IMPORT_INDEXING));
	assert_int_equal(p.written, NCODES);
	assert_true(p.grams_total > 0);
	assert_true(p.total > 0 && p.done == p.total);
	zl_import_result_release(&res);
	for (unsigned i = 0; i < NCODES; i++) {
		char name[64];
		assert_int_equal(zl_store_enterprise_get(db, codes[i], &e, &err), ZL_OK);
		snprintf(name, sizeof(name), "测试企业%u号有限公司", i);
		assert_string_equal(e.name, name);
	}
	assert_int_equal(count_all(db), NCODES);
	/* Four sorted runs on disk, merged: the whole file written in key order (ids and
	 * change numbers follow the keys, not the chunks). */
	{
		const char *sorted[NCODES];

		memcpy(sorted, codes, sizeof(sorted));
		qsort(sorted, NCODES, sizeof(sorted[0]), str_cmp);
		for (unsigned i = 0; i < NCODES; i++) {
			assert_int_equal(zl_store_enterprise_get(db, sorted[i], &e, &err), ZL_OK);
			assert_int_equal(e.eid, (int64_t)i + 1);
		}
	}
	/* Every name is in the index, whichever flush wrote it. */
	assert_int_equal(count_q(db, "测试"), NCODES);
	assert_int_equal(count_q(db, "7号"), 1);

	/* The same file again, other chunk sizes: nothing changes. */
	for (size_t chunk = 1; chunk <= NCODES + 1; chunk += 5) {
		assert_int_equal(run_file(db, csv, 0, chunk, 0, &res, &p), ZL_OK);
		assert_int_equal(res.imported, 0);
		assert_int_equal(res.updated, 0);
		assert_int_equal(res.unchanged, NCODES);
		zl_import_result_release(&res);
	}
	unlink(csv);

	/* New names: every row of every chunk updated, old names still found. */
	make_csv(0, "新");
	assert_int_equal(run_file(db, csv, 0, 5, 0, &res, &p), ZL_OK);
	assert_int_equal(res.updated, NCODES);
	zl_import_result_release(&res);
	assert_int_equal(count_q(db, "司新"), NCODES);
	assert_int_equal(count_q(db, "测试"), NCODES);
	unlink(csv);
}

static void test_reject_in_later_chunk(void **state)
{
	struct zl_db *db = *state;
	struct zl_import_result res;
	struct zl_enterprise e;
	struct zl_error err = ZL_ERROR_INIT;
	struct prog p = {0};

	/* File row 12 (the 11th data row) is bad: the first three chunks were written by then. */
	make_csv(12, "");
	assert_int_equal(run_file(db, csv, 0, 3, 0, &res, &p), ZL_OK);
	assert_int_equal(res.rejected, 1);
	assert_int_equal(res.rejects[0].row, 12);
	assert_string_equal(res.rejects[0].column, "A (统一社会信用代码)");
	if (!is_pg(db))
		assert_int_equal(cache_size(db), -2000); /* the default, restored */
	assert_int_equal(res.written, 0);
	assert_int_equal(res.imported, 0);
	zl_import_result_release(&res);
	assert_int_equal(count_all(db), 0);
	assert_int_equal(zl_store_enterprise_get(db, codes[0], &e, &err), ZL_ENOTFOUND);
	assert_int_equal(count_q(db, "测试"), 0);

	/* Partial: the good rows of every chunk, before and after the bad one. */
	assert_int_equal(run_file(db, csv, 1, 3, 0, &res, &p), ZL_OK);
	assert_int_equal(res.rejected, 1);
	assert_int_equal(res.written, 1);
	assert_int_equal(res.imported, NCODES - 1);
	zl_import_result_release(&res);
	assert_int_equal(count_all(db), NCODES - 1);
	for (unsigned i = 0; i < NCODES; i++)
		assert_int_equal(zl_store_enterprise_get(db, codes[i], &e, &err),
				 i == 10 ? ZL_ENOTFOUND : ZL_OK);
	assert_int_equal(count_q(db, "测试"), NCODES - 1);
	unlink(csv);
}

struct names {
	char v[8][256];
	char to[8][16];
	size_t n;
};

static int got_former(void *cls, const struct zl_ent_former_name *f)
{
	struct names *l = cls;
	if (l->n < 8) {
		snprintf(l->v[l->n], sizeof(l->v[0]), "%s", f->name);
		snprintf(l->to[l->n], sizeof(l->to[0]), "%s", f->valid_to);
		l->n++;
	}
	return ZL_OK;
}

static int has_name(const struct names *l, const char *name)
{
	for (size_t i = 0; i < l->n; i++)
		if (!strcmp(l->v[i], name))
			return 1;
	return 0;
}

static void write_file(const char *text)
{
	FILE *f = new_csv();

	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

static void test_former_names(void **state)
{
	struct zl_db *db = *state;
	struct zl_import_result res;
	struct zl_error err = ZL_ERROR_INIT;
	struct prog p = {0};
	struct names l;
	char text[1024];

	/* Five names in one cell (；、/ ; and a line break), one of them the current name. */
	snprintf(text, sizeof(text),
		 "统一社会信用代码,企业名称,曾用名\n"
		 "%s,郑州宇通客车股份有限公司,\"郑州客车厂；宇通集团、 老宇通 "
		 "/宇通客车股份有限公司\n"
		 "宇通重工;郑州宇通客车股份有限公司\"\n"
		 "%s,义马甲有限公司,\n",
		 codes[0], codes[1]);
	write_file(text);
	assert_int_equal(run_file(db, csv, 0, 1, 0, &res, &p), ZL_OK);
	assert_int_equal(res.rejected, 0);
	assert_int_equal(res.imported, 2);
	assert_int_equal(res.former_names, 5);
	assert_int_equal(res.nnotes, 0);
	assert_int_equal(res.nunmapped, 0);
	zl_import_result_release(&res);
	memset(&l, 0, sizeof(l));
	assert_int_equal(zl_store_enterprise_former_names(db, codes[0], got_former, &l, &err),
			 ZL_OK);
	assert_int_equal(l.n, 5);
	assert_true(has_name(&l, "郑州客车厂"));
	assert_true(has_name(&l, "宇通集团"));
	assert_true(has_name(&l, "老宇通"));
	assert_true(has_name(&l, "宇通客车股份有限公司"));
	assert_true(has_name(&l, "宇通重工"));
	assert_string_equal(l.to[0], "");
	/* Found by fragments of former names only. */
	assert_int_equal(count_q(db, "客车厂"), 1);
	assert_int_equal(count_q(db, "重工"), 1);
	assert_int_equal(count_q(db, "老宇"), 1);

	/* Again: unchanged.  Then one more former name: that record is updated. */
	assert_int_equal(run_file(db, csv, 0, 0, 0, &res, &p), ZL_OK);
	assert_int_equal(res.unchanged, 2);
	assert_int_equal(res.former_names, 0);
	zl_import_result_release(&res);
	unlink(csv);
	snprintf(text, sizeof(text),
		 "统一社会信用代码,企业名称,曾用名\n%s,义马甲有限公司,义马乙厂\n", codes[1]);
	write_file(text);
	assert_int_equal(run_file(db, csv, 0, 0, 0, &res, &p), ZL_OK);
	assert_int_equal(res.updated, 1);
	assert_int_equal(res.former_names, 1);
	zl_import_result_release(&res);
	assert_int_equal(count_q(db, "乙厂"), 1);
	unlink(csv);

	/* A name of one character is refused, naming the column. */
	snprintf(text, sizeof(text),
		 "统一社会信用代码,企业名称,曾用名\n%s,新乡丙有限公司,新乡丁厂；丙\n", codes[2]);
	write_file(text);
	assert_int_equal(run_file(db, csv, 0, 0, 0, &res, &p), ZL_OK);
	assert_int_equal(res.rejected, 1);
	assert_int_equal(res.written, 0);
	assert_string_equal(res.rejects[0].column, "C (曾用名)");
	assert_non_null(strstr(res.rejects[0].reason, "2 to 200"));
	zl_import_result_release(&res);
	unlink(csv);
}

/* ---- a file larger than the batches of the two threads -------------------------------- */

#define NBIG 12000

/* A valid code for i, in an order unlike i's (so the chunks must be merged). */
static void big_code(unsigned i, char out[19])
{
	char check;

	snprintf(out, 19, "91410100%08u", (i * 7919u) % 100000000u);
	assert_int_equal(zl_orgcode_compute_check(out + 8, &check), ZL_OK);
	out[16] = check;
	assert_int_equal(zl_uscc_compute_check(out, &check), ZL_OK);
	out[17] = check;
	out[18] = '\0';
}

/*
 * NBIG rows (many batches of the checker and of the namer, several sorted
 * chunks): every third row has a former name; with `bad`, rows far apart
 * are rejected (a bad code, a duplicate of a row several batches before, a
 * bad date), in file order and by their file row numbers.
 */
static void make_big(int bad)
{
	FILE *f = new_csv();

	fprintf(f, "统一社会信用代码,企业名称,曾用名,成立日期\n");
	for (unsigned i = 0; i < NBIG; i++) {
		char code[19];

		big_code(bad && i == 9000 ? 1500 : i, code);
		if (bad && i == 3000)
			code[17] = code[17] == '0' ? '1' : '0';
		fprintf(f, "%s,大批%u号企业有限公司,%s%s,%s\n", code, i, i % 3 ? "" : "旧名",
			i % 3 ? "" : code + 10, bad && i == 11999 ? "2015-02-30" : "2015-02-28");
		if (i % 5000 == 4999)
			fprintf(f, ",,,\n"); /* blank: skipped, but a row number */
	}
	assert_int_equal(fclose(f), 0);
}

static void test_many_rows(void **state)
{
	struct zl_db *db = *state;
	struct zl_import_result res;
	struct prog p = {0};

	make_big(1);
	assert_int_equal(run_file(db, csv, 0, 2500, 0, &res, &p), ZL_OK);
	assert_int_equal(res.rows, NBIG);
	assert_int_equal(res.rejected, 3);
	assert_int_equal(res.written, 0);
	assert_int_equal(res.rejects[0].row, 3002);
	assert_int_equal(res.rejects[1].row, 9003);
	assert_non_null(strstr(res.rejects[1].reason, "the same enterprise as row 1502"));
	assert_int_equal(res.rejects[2].row, 12003);
	assert_string_equal(res.rejects[2].column, "D (成立日期)");
	zl_import_result_release(&res);
	assert_int_equal(count_all(db), 0);
	/* Partial, the name index flushed mid-import too (more than 1,000 postings). */
	memset(&p, 0, sizeof(p));
	assert_int_equal(run_file(db, csv, 1, 2500, 1000, &res, &p), ZL_OK);
	assert_true(p.flushes >= 2);
	assert_int_equal(res.imported, NBIG - 3);
	assert_int_equal(res.former_names, NBIG / 3 - 2); /* 3000 and 9000 had one, refused */
	zl_import_result_release(&res);
	assert_int_equal(count_all(db), NBIG - 3);
	assert_int_equal(count_q(db, "大批"), NBIG - 3);
	assert_int_equal(count_q(db, "旧名"), NBIG / 3 - 2);
	assert_int_equal(count_q(db, "批11998号"), 1);
	assert_int_equal(count_q(db, "批11999号"), 0);
	unlink(csv);

	/* All good, into a register that has all but the three refused: they come. */
	make_big(0);
	assert_int_equal(run_file(db, csv, 0, 0, 0, &res, &p), ZL_OK);
	assert_int_equal(res.rejected, 0);
	assert_int_equal(res.imported, 3);
	assert_int_equal(res.unchanged, NBIG - 3);
	zl_import_result_release(&res);
	assert_int_equal(run_file(db, csv, 0, 0, 0, &res, &p), ZL_OK);
	assert_int_equal(res.unchanged, NBIG);
	zl_import_result_release(&res);
	assert_int_equal(count_q(db, "批11999号"), 1);
	unlink(csv);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_xlsx_import, setup_db, teardown_db),
		cmocka_unit_test_setup_teardown(test_bad_row, setup_db, teardown_db),
		cmocka_unit_test_setup_teardown(test_chunks, setup_db, teardown_db),
		cmocka_unit_test_setup_teardown(test_reject_in_later_chunk, setup_db, teardown_db),
		cmocka_unit_test_setup_teardown(test_former_names, setup_db, teardown_db),
		cmocka_unit_test_setup_teardown(test_many_rows, setup_db, teardown_db),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
