/*
 * test_list.c - http/list.h without a server: query parsing, cursors, and
 * the exact bytes of the JSON and CSV list responses and of the xlsx file
 * (unzipped and inspected), using a hand-built struct zl_req/zl_resp.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <string.h>
#include <unistd.h>

#include "../zipcheck.h"
#include "core/timeutil.h"
#include "http/list.h"

struct fake {
	struct zl_req req;
	struct zl_resp resp;
	struct zl_arena arena;
};

static void fake_init(struct fake *f, size_t body_max, const char *const *kv, size_t npairs)
{
	memset(f, 0, sizeof(*f));
	zl_arena_init(&f->arena, 1 << 20);
	f->req.arena = &f->arena;
	f->req.method = ZL_M_GET;
	for (size_t i = 0; i < npairs; i++) {
		f->req.query[i].key = kv[2 * i];
		f->req.query[i].value = kv[2 * i + 1];
	}
	f->req.nquery = npairs;
	f->resp.status = 200;
	f->resp.fd = -1;
	zl_buf_init(&f->resp.body, body_max);
}

static void fake_release(struct fake *f)
{
	if (f->resp.fd >= 0)
		close(f->resp.fd);
	if (f->resp.ext_data && f->resp.ext_free)
		f->resp.ext_free(f->resp.ext_cls);
	zl_buf_release(&f->resp.body);
	zl_arena_release(&f->arena);
}

static const char *header(const struct zl_resp *r, const char *name)
{
	for (size_t i = 0; i < r->nheaders; i++)
		if (!strcmp(r->headers[i].name, name))
			return r->headers[i].value;
	return NULL;
}

static int parse(const char *const *kv, size_t npairs, struct zl_list_params *lp,
		 struct zl_error *e)
{
	struct fake f;
	int rc;

	fake_init(&f, 1024, kv, npairs);
	zl_error_clear(e);
	rc = zl_list_parse(&f.req, lp, e);
	fake_release(&f);
	return rc;
}

/* Today in Asia/Shanghai as YYYYMMDD, as the export file names use it. */
static void today(char out[16])
{
	int64_t y;
	unsigned m, d;

	zl_civil_from_days((zl_now_us() / 1000000 + ZL_SHANGHAI_OFFSET_S) / 86400, &y, &m, &d);
	snprintf(out, 16, "%04u%02u%02u", (unsigned)y % 10000u, m % 100u, d % 100u);
}

/* ---- parsing ------------------------------------------------------------- */

static void test_parse_defaults(void **state)
{
	struct zl_list_params lp;
	struct zl_error e;

	(void)state;
	assert_int_equal(parse(NULL, 0, &lp, &e), ZL_OK);
	assert_int_equal(lp.format, ZL_LIST_JSON);
	assert_int_equal(lp.limit, 50);
	assert_string_equal(lp.cursor_key, "");
	assert_int_equal(lp.lang_en, 0);
	assert_int_equal(zl_list_fetch_limit(&lp), 51);
	lp.format = ZL_LIST_CSV;
	assert_int_equal(zl_list_fetch_limit(&lp), 0);
	lp.format = ZL_LIST_XLSX;
	assert_int_equal(zl_list_fetch_limit(&lp), 0);
}

static void test_parse_values(void **state)
{
	struct zl_list_params lp;
	struct zl_error e;
	char cur[ZL_CURSOR_MAX + 1];

	(void)state;
	assert_int_equal(zl_cursor_encode("河南省|alice", cur, sizeof(cur)), ZL_OK);
	{
		const char *kv[] = {"limit", "500", "format", "json", "lang", "EN", "cursor", cur};

		assert_int_equal(parse(kv, 4, &lp, &e), ZL_OK);
		assert_int_equal(lp.limit, 500);
		assert_int_equal(lp.format, ZL_LIST_JSON);
		assert_int_equal(lp.lang_en, 1);
		assert_string_equal(lp.cursor_key, "河南省|alice");
	}
	{
		const char *kv[] = {"limit", "1", "format", "CSV", "lang", "zh-CN"};

		assert_int_equal(parse(kv, 3, &lp, &e), ZL_OK);
		assert_int_equal(lp.limit, 1);
		assert_int_equal(lp.format, ZL_LIST_CSV);
		assert_int_equal(lp.lang_en, 0);
	}
	{
		/* exports are the whole result: a (valid) cursor is dropped */
		const char *kv[] = {"format", "Xlsx", "cursor", cur, "limit", "007"};

		assert_int_equal(parse(kv, 3, &lp, &e), ZL_OK);
		assert_int_equal(lp.format, ZL_LIST_XLSX);
		assert_string_equal(lp.cursor_key, "");
		assert_int_equal(lp.limit, 7);
	}
	{
		/* empty values mean "not given" */
		const char *kv[] = {"format", "", "cursor", "", "lang", ""};

		assert_int_equal(parse(kv, 3, &lp, &e), ZL_OK);
		assert_int_equal(lp.format, ZL_LIST_JSON);
		assert_int_equal(lp.limit, 50);
	}
}

static void test_parse_errors(void **state)
{
	static const char *const bad[][3] = {
		{"limit", "0", "limit"},
		{"limit", "501", "limit"},
		{"limit", "-1", "limit"},
		{"limit", "+5", "limit"},
		{"limit", " 5", "limit"},
		{"limit", "5 ", "limit"},
		{"limit", "abc", "limit"},
		{"limit", "", "limit"},
		{"limit", "1e2", "limit"},
		{"limit", "99999999999999999999999", "limit"},
		{"format", "pdf", "format"},
		{"format", "jsonx", "format"},
		{"lang", "fr", "lang"},
		{"cursor", "!!!", "cursor"},
		{"cursor", "YWxpY2U=", "cursor"}, /* padding is not ours */
		{"cursor", "YR", "cursor"},	  /* non-zero trailing bits */
		{"cursor", "AA", "cursor"},	  /* decodes to a NUL byte */
		{"cursor", "_w", "cursor"},	  /* decodes to 0xFF: not UTF-8 */
		{"cursor", "YWxp Y2U", "cursor"},
		{"cursor", "YWxpY2U+", "cursor"}, /* standard, not url-safe, alphabet */
		{"cursor", "A", "cursor"},
		{"cursor", "YW\xa2xpY2U", "cursor"}, /* libsodium 1.0.18 decodes this */
		{"cursor", "YWxp\xc3\xa9Y2U", "cursor"},
	};
	struct zl_list_params lp;
	struct zl_error e;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *kv[] = {bad[i][0], bad[i][1]};

		assert_int_equal(parse(kv, 1, &lp, &e), ZL_EINVAL);
		assert_int_equal(e.code, ZL_EINVAL);
		assert_string_equal(e.field, bad[i][2]);
		assert_true(e.message[0] != '\0');
	}
}

/* ---- cursors ------------------------------------------------------------- */

static void test_cursor_roundtrip(void **state)
{
	char key[ZL_CURSOR_KEY_MAX + 2];
	char cur[ZL_CURSOR_MAX + 1], back[256];
	static const char *const keys[] = {
		"a", "alice", "张三", "2014-07-18T08:30:00Z|42", "?\?>>~~", "line\nbreak"};

	(void)state;
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		assert_int_equal(zl_cursor_encode(keys[i], cur, sizeof(cur)), ZL_OK);
		/* url-safe, no padding: no escaping needed in a query string */
		assert_null(strpbrk(cur, "+/=%&?# "));
		assert_int_equal(zl_cursor_decode(cur, back, sizeof(back)), ZL_OK);
		assert_string_equal(back, keys[i]);
	}
	/* known vectors (RFC 4648 alphabet, url-safe variant) */
	assert_int_equal(zl_cursor_encode("alice", cur, sizeof(cur)), ZL_OK);
	assert_string_equal(cur, "YWxpY2U");
	assert_int_equal(zl_cursor_encode("?\?>>~~", cur, sizeof(cur)), ZL_OK);
	assert_string_equal(cur, "Pz8-Pn5-");

	/* the longest key fits both the cursor bound and cursor_key */
	memset(key, 'k', ZL_CURSOR_KEY_MAX);
	key[ZL_CURSOR_KEY_MAX] = '\0';
	assert_int_equal(zl_cursor_encode(key, cur, sizeof(cur)), ZL_OK);
	assert_int_equal(strlen(cur), ZL_CURSOR_MAX);
	assert_int_equal(zl_cursor_decode(cur, back, sizeof(back)), ZL_OK);
	assert_string_equal(back, key);
	/* ... but not a smaller output buffer */
	assert_int_equal(zl_cursor_decode(cur, back, 100), ZL_EINVAL);
	assert_int_equal(zl_cursor_encode(key, cur, 100), ZL_ETOOBIG);

	key[ZL_CURSOR_KEY_MAX] = 'k';
	key[ZL_CURSOR_KEY_MAX + 1] = '\0';
	assert_int_equal(zl_cursor_encode(key, cur, sizeof(cur)), ZL_EINVAL);
}

static void test_cursor_rejects(void **state)
{
	char out[256], big[ZL_CURSOR_MAX + 8];

	(void)state;
	assert_int_equal(zl_cursor_encode("", out, sizeof(out)), ZL_EINVAL);
	assert_int_equal(zl_cursor_encode(NULL, out, sizeof(out)), ZL_EINVAL);
	assert_int_equal(zl_cursor_encode("\xff\xfe", out, sizeof(out)), ZL_EINVAL);
	assert_int_equal(zl_cursor_encode("\xc0\xaf", out, sizeof(out)), ZL_EINVAL); /* overlong */
	assert_int_equal(zl_cursor_decode("", out, sizeof(out)), ZL_EINVAL);
	assert_int_equal(zl_cursor_decode(NULL, out, sizeof(out)), ZL_EINVAL);
	assert_int_equal(zl_cursor_decode("wK8", out, sizeof(out)), ZL_EINVAL);	 /* C0 AF */
	assert_int_equal(zl_cursor_decode("7aCA", out, sizeof(out)), ZL_EINVAL); /* surrogate */
	assert_int_equal(zl_cursor_decode("YWxpY2U", out, 3), ZL_EINVAL);
	memset(big, 'Q', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(zl_cursor_decode(big, out, sizeof(out)), ZL_EINVAL);
	assert_string_equal(out, "");
}

/* ---- the writers --------------------------------------------------------- */

static const struct zl_list_col cols[] = {
	{"username", "用户名", "Username", ZL_COL_TEXT},
	{"logins", "登录次数", "Logins", ZL_COL_INT},
	{"disabled", "已停用", "Disabled", ZL_COL_BOOL},
	{"created_at", "创建时间", "Created", ZL_COL_TIME},
	{"note", "备注", "Note", ZL_COL_TEXT},
};
#define NCOLS (sizeof(cols) / sizeof(cols[0]))

static const char *const row1[] = {"alice", "42", "0", "2014-07-18T08:30:00Z", "=1+1"};
static const char *const row2[] = {"张三", "-5", "t", NULL, "say \"hi\",\r\nbye"};
static const char *const row3[] = {"zed", NULL, NULL, "2014-07-18", ""};

static int run_list(struct fake *f, const struct zl_list_params *lp, const char *name,
		    const char *const *const *rows, size_t nrows, const char *next,
		    struct zl_error *e)
{
	struct zl_list_writer *w = NULL;
	int rc;

	zl_error_clear(e);
	rc = zl_list_begin(&f->req, &f->resp, lp, name, cols, NCOLS, 3, &w, e);
	if (rc)
		return rc;
	for (size_t i = 0; i < nrows; i++)
		zl_list_row(w, rows[i]);
	return zl_list_end(w, next, e);
}

static void test_json_page(void **state)
{
	const char *const *rows[] = {row1, row2, row3};
	struct zl_list_params lp = {ZL_LIST_JSON, 2, "", 0};
	struct zl_error e;
	struct fake f;

	(void)state;
	fake_init(&f, ZL_RESP_MAX_BODY, NULL, 0);
	/* three rows fed for limit 2: the look-ahead row is dropped */
	assert_int_equal(run_list(&f, &lp, "users", rows, 3, "张三", &e), ZL_OK);
	assert_int_equal(f.resp.status, 200);
	assert_string_equal(f.resp.content_type, "application/json");
	assert_null(header(&f.resp, "Content-Disposition"));
	assert_null(header(&f.resp, "Cache-Control"));
	assert_int_equal(f.resp.fd, -1);
	assert_string_equal(
		zl_buf_str(&f.resp.body),
		"{\"items\":["
		"{\"username\":\"alice\",\"logins\":42,\"disabled\":false,"
		"\"created_at\":\"2014-07-18T08:30:00Z\",\"note\":\"=1+1\"},"
		"{\"username\":\"张三\",\"logins\":-5,\"disabled\":true,\"created_at\":null,"
		"\"note\":\"say \\\"hi\\\",\\r\\nbye\"}"
		"],\"total\":3,\"next_cursor\":\"5byg5LiJ\"}");
	fake_release(&f);

	/* last page: next_cursor null; odd values in typed columns stay strings */
	{
		static const char *const odd[] = {"bob", "12abc", "maybe", "x", NULL};
		static const char *const odd2[] = {"carl", "007", "", "", "\xff"};
		static const char *const odd3[] = {"dan", "-0", "TRUE", "", ""};
		const char *const *r[] = {odd, odd2, odd3};

		lp.limit = 3;
		fake_init(&f, ZL_RESP_MAX_BODY, NULL, 0);
		assert_int_equal(run_list(&f, &lp, "users", r, 3, NULL, &e), ZL_OK);
		assert_string_equal(zl_buf_str(&f.resp.body),
				    "{\"items\":[{\"username\":\"bob\",\"logins\":\"12abc\","
				    "\"disabled\":\"maybe\",\"created_at\":\"x\",\"note\":null},"
				    "{\"username\":\"carl\",\"logins\":\"007\",\"disabled\":\"\","
				    "\"created_at\":\"\",\"note\":\"\xef\xbf\xbd\"},"
				    "{\"username\":\"dan\",\"logins\":-0,\"disabled\":true,"
				    "\"created_at\":\"\",\"note\":\"\"}],"
				    "\"total\":3,\"next_cursor\":null}");
		lp.limit = 2;
		fake_release(&f);
	}
	/* an empty page */
	fake_init(&f, ZL_RESP_MAX_BODY, NULL, 0);
	assert_int_equal(run_list(&f, &lp, "users", NULL, 0, NULL, &e), ZL_OK);
	assert_string_equal(zl_buf_str(&f.resp.body),
			    "{\"items\":[],\"total\":3,\"next_cursor\":null}");
	fake_release(&f);
	/* the total can come after the rows (store functions count in the same call) */
	{
		struct zl_list_writer *w = NULL;

		fake_init(&f, ZL_RESP_MAX_BODY, NULL, 0);
		assert_int_equal(
			zl_list_begin(&f.req, &f.resp, &lp, "users", cols, NCOLS, -1, &w, &e),
			ZL_OK);
		assert_int_equal(zl_list_row(w, row3), ZL_OK);
		zl_list_set_total(w, 1234567890123);
		assert_int_equal(zl_list_end(w, NULL, &e), ZL_OK);
		assert_string_equal(
			zl_buf_str(&f.resp.body),
			"{\"items\":[{\"username\":\"zed\",\"logins\":null,"
			"\"disabled\":null,\"created_at\":\"2014-07-18\",\"note\":\"\"}],"
			"\"total\":1234567890123,\"next_cursor\":null}");
		fake_release(&f);
	}
	/* a key that cannot be a cursor is a bug in the handler */
	fake_init(&f, ZL_RESP_MAX_BODY, NULL, 0);
	assert_int_equal(run_list(&f, &lp, "users", NULL, 0, "", &e), ZL_EINTERNAL);
	assert_int_equal(e.code, ZL_EINTERNAL);
	fake_release(&f);
}

/* Paging kept by the writer: rows with keys, the look-ahead row, next_cursor. */
static void test_row_key_paging(void **state)
{
	const char *const *rows[] = {row1, row2, row3};
	struct zl_list_params lp = {ZL_LIST_JSON, 2, "", 0};
	struct zl_list_writer *w = NULL;
	struct zl_error e = ZL_ERROR_INIT;
	struct fake f;
	char key[64];

	(void)state;
	/* limit 2, three rows: the page ends after row 2, whose key continues */
	fake_init(&f, ZL_RESP_MAX_BODY, NULL, 0);
	assert_int_equal(zl_list_begin(&f.req, &f.resp, &lp, "users", cols, NCOLS, 3, &w, &e),
			 ZL_OK);
	for (size_t i = 0; i < 3; i++)
		assert_int_equal(zl_list_row_key(w, rows[i], rows[i][0]), ZL_OK);
	assert_int_equal(zl_list_end_page(w, &e), ZL_OK);
	assert_non_null(strstr(zl_buf_str(&f.resp.body), "\"next_cursor\":\"5byg5LiJ\""));
	assert_null(strstr(zl_buf_str(&f.resp.body), "zed"));
	assert_int_equal(zl_cursor_decode("5byg5LiJ", key, sizeof(key)), ZL_OK);
	assert_string_equal(key, "张三");
	fake_release(&f);

	/* the last page (no look-ahead row): next_cursor is null */
	lp.limit = 3;
	fake_init(&f, ZL_RESP_MAX_BODY, NULL, 0);
	assert_int_equal(zl_list_begin(&f.req, &f.resp, &lp, "users", cols, NCOLS, 3, &w, &e),
			 ZL_OK);
	for (size_t i = 0; i < 3; i++)
		assert_int_equal(zl_list_row_key(w, rows[i], rows[i][0]), ZL_OK);
	assert_int_equal(zl_list_end_page(w, &e), ZL_OK);
	assert_non_null(strstr(zl_buf_str(&f.resp.body), "\"next_cursor\":null"));
	assert_non_null(strstr(zl_buf_str(&f.resp.body), "zed"));
	fake_release(&f);
}

static void test_csv_export(void **state)
{
	const char *const *rows[] = {row1, row2, row3};
	struct zl_list_params lp = {ZL_LIST_CSV, 1, "", 0};
	struct zl_error e;
	struct fake f;
	char date[16], want[256];

	(void)state;
	today(date);
	fake_init(&f, ZL_RESP_MAX_BODY, NULL, 0);
	/* exports take every row, whatever the limit */
	assert_int_equal(run_list(&f, &lp, "users", rows, 3, "ignored", &e), ZL_OK);
	assert_int_equal(f.resp.status, 200);
	assert_string_equal(f.resp.content_type, "text/csv; charset=utf-8");
	snprintf(want, sizeof(want),
		 "attachment; filename=\"users-%s.csv\"; filename*=UTF-8''users-%s.csv", date,
		 date);
	assert_string_equal(header(&f.resp, "Content-Disposition"), want);
	assert_string_equal(header(&f.resp, "Cache-Control"), "no-store");
	assert_int_equal(f.resp.fd, -1);
	assert_null(f.resp.ext_data);
	assert_string_equal(zl_buf_str(&f.resp.body), "\xef\xbb\xbf"
						      "用户名,登录次数,已停用,创建时间,备注\r\n"
						      "alice,42,否,2014-07-18 16:30:00,'=1+1\r\n"
						      "张三,-5,是,,\"say \"\"hi\"\",\r\nbye\"\r\n"
						      "zed,,,2014-07-18,\r\n");
	fake_release(&f);

	/* lang=en: English header and words; a Chinese file name */
	lp.lang_en = 1;
	fake_init(&f, ZL_RESP_MAX_BODY, NULL, 0);
	assert_int_equal(run_list(&f, &lp, "用户 list", rows, 1, NULL, &e), ZL_OK);
	snprintf(want, sizeof(want),
		 "attachment; filename=\"___list-%s.csv\"; "
		 "filename*=UTF-8''%%E7%%94%%A8%%E6%%88%%B7%%20list-%s.csv",
		 date, date);
	assert_string_equal(header(&f.resp, "Content-Disposition"), want);
	assert_string_equal(zl_buf_str(&f.resp.body), "\xef\xbb\xbf"
						      "Username,Logins,Disabled,Created,Note\r\n"
						      "alice,42,no,2014-07-18 16:30:00,'=1+1\r\n");
	fake_release(&f);
}

static void test_csv_cap(void **state)
{
	static const char *const big[] = {"0123456789012345678901234567890123456789", "1", "1",
					  NULL, NULL};
	struct zl_list_params lp = {ZL_LIST_CSV, 50, "", 0};
	struct zl_list_writer *w = NULL;
	struct zl_error e = ZL_ERROR_INIT;
	struct fake f;
	int rc = ZL_OK, i;

	(void)state;
	fake_init(&f, 512, NULL, 0); /* stands in for ZL_RESP_MAX_BODY */
	assert_int_equal(zl_list_begin(&f.req, &f.resp, &lp, "users", cols, NCOLS, 100, &w, &e),
			 ZL_OK);
	for (i = 0; i < 100 && rc == ZL_OK; i++)
		rc = zl_list_row(w, big);
	assert_int_equal(rc, ZL_ETOOBIG);
	assert_true(i > 5 && i < 20);
	/* later rows keep failing the same way; end reports it */
	assert_int_equal(zl_list_row(w, big), ZL_ETOOBIG);
	assert_int_equal(zl_list_end(w, NULL, &e), ZL_ETOOBIG);
	assert_int_equal(e.code, ZL_ETOOBIG);
	assert_string_equal(zl_err_name(e.code), "payload_too_large");
	assert_int_equal(zl_err_http_status(e.code), 413);
	assert_non_null(strstr(e.message, "export too large, narrow the filters"));
	/* the error answer must not be saved as a file by a browser */
	assert_null(header(&f.resp, "Content-Disposition"));
	fake_release(&f);
}

/* Number of entries in a directory besides . and .. */
static int dir_entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0;

	assert_non_null(d);
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			n++;
	closedir(d);
	return n;
}

static void test_xlsx_export(void **state)
{
	const char *const *rows[] = {row1, row2, row3};
	struct zl_list_params lp = {ZL_LIST_XLSX, 1, "", 0};
	const char *tmp = getenv("TMPDIR");
	struct zl_error e;
	struct fake f;
	unsigned char *zip;
	char *sheet, *ct, date[16], want[256];
	size_t n = 0, len = 0;

	(void)state;
	today(date);
	fake_init(&f, ZL_RESP_MAX_BODY, NULL, 0);
	assert_int_equal(run_list(&f, &lp, "users", rows, 3, NULL, &e), ZL_OK);
	assert_string_equal(f.resp.content_type,
			    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
	snprintf(want, sizeof(want),
		 "attachment; filename=\"users-%s.xlsx\"; filename*=UTF-8''users-%s.xlsx", date,
		 date);
	assert_string_equal(header(&f.resp, "Content-Disposition"), want);
	assert_true(f.resp.fd >= 0);
	assert_null(f.resp.ext_data);
	assert_int_equal(f.resp.body.len, 0);
	assert_int_equal(dir_entries(tmp), 0); /* unlinked: only the descriptor holds it */

	zip = zc_slurp_fd(f.resp.fd, &n);
	assert_non_null(zip);
	assert_int_equal(n, f.resp.fd_size);
	assert_memory_equal(zip, "PK\003\004", 4);
	ct = zc_entry(zip, n, "[Content_Types].xml", &len);
	assert_non_null(ct);
	assert_non_null(strstr(ct, "/xl/worksheets/sheet1.xml"));
	free(ct);
	sheet = zc_entry(zip, n, "xl/worksheets/sheet1.xml", &len);
	assert_non_null(sheet);
	assert_non_null(strstr(sheet, "用户名"));
	assert_non_null(strstr(sheet, "创建时间"));
	assert_non_null(strstr(sheet, "张三"));
	assert_non_null(strstr(sheet, "2014-07-18 16:30:00"));
	assert_non_null(strstr(sheet, "<v>42</v>")); /* INT as a number cell */
	assert_non_null(strstr(sheet, "<v>-5</v>"));
	assert_non_null(strstr(sheet, ">=1+1<")); /* a string cell, not a formula */
	assert_null(strstr(sheet, "<f>"));
	assert_non_null(strstr(sheet, "ySplit=\"1\"")); /* frozen header */
	assert_non_null(strstr(sheet, "<cols>"));
	free(sheet);
	free(zip);
	fake_release(&f);
}

static void test_xlsx_abandoned(void **state)
{
	struct zl_list_params lp = {ZL_LIST_XLSX, 50, "", 0};
	struct zl_list_writer *w = NULL;
	const char *tmp = getenv("TMPDIR");
	struct zl_error e = ZL_ERROR_INIT;
	struct fake f;

	(void)state;
	fake_init(&f, ZL_RESP_MAX_BODY, NULL, 0);
	assert_int_equal(zl_list_begin(&f.req, &f.resp, &lp, "users", cols, NCOLS, 3, &w, &e),
			 ZL_OK);
	assert_int_equal(zl_list_row(w, row1), ZL_OK);
	assert_null(header(&f.resp, "Content-Disposition")); /* only once it succeeded */
	/* the temp file exists while the workbook is being written ... */
	assert_true(dir_entries(tmp) >= 1);
	/* ... and the response owns it: the server's error path frees it */
	assert_non_null(f.resp.ext_data);
	assert_non_null(f.resp.ext_free);
	f.resp.ext_free(f.resp.ext_cls);
	f.resp.ext_data = NULL;
	assert_int_equal(dir_entries(tmp), 0);
	fake_release(&f);

	/* more rows than a sheet holds is refused before anything is written */
	fake_init(&f, ZL_RESP_MAX_BODY, NULL, 0);
	assert_int_equal(zl_list_begin(&f.req, &f.resp, &lp, "users", cols, NCOLS, 2000000, &w, &e),
			 ZL_ETOOBIG);
	assert_null(f.resp.ext_data);
	assert_int_equal(dir_entries(tmp), 0);
	fake_release(&f);
}

static char tmpdir[64];

static int setup(void **state)
{
	(void)state;
	zl_strlcpy(tmpdir, "/tmp/zl-test-list-XXXXXX", sizeof(tmpdir));
	if (!mkdtemp(tmpdir))
		return -1;
	return setenv("TMPDIR", tmpdir, 1);
}

static int teardown(void **state)
{
	(void)state;
	return rmdir(tmpdir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_defaults), cmocka_unit_test(test_parse_values),
		cmocka_unit_test(test_parse_errors),   cmocka_unit_test(test_cursor_roundtrip),
		cmocka_unit_test(test_cursor_rejects), cmocka_unit_test(test_json_page),
		cmocka_unit_test(test_csv_export),     cmocka_unit_test(test_csv_cap),
		cmocka_unit_test(test_xlsx_export),    cmocka_unit_test(test_xlsx_abandoned),
		cmocka_unit_test(test_row_key_paging),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
