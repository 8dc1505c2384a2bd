/*
 * search_bench.c - name-fragment search latency over a large register
 * (issue 4 figure: 2- and 3-character fragments over 1,000,000 names,
 * p99 under 20 ms).
 *
 * Usage: search_bench [N] [QUERIES] [PLAN] [detail]
 *   (defaults 1000000, 1000, 0 = automatic plan; 1 or 2 force the list or
 *   the walking plan; "detail" prints every query's total and time to
 *   stderr, for tuning the plan choice).
 * Generates N synthetic Chinese enterprise names (city + two-character
 * brand + trade + legal form, e.g. 洛阳恒瑞机械有限公司) into a scratch
 * SQLite file under /tmp: direct INSERTs of enterprises (with their eid)
 * and the names' postings collected in a zl_gram_builder, written by one
 * zl_store_index_flush(), all in one transaction.  Then times QUERIES
 * searches for random 2-character and QUERIES for 3-character fragments cut
 * at random positions of random names, each one zl_store_enterprise_list()
 * call returning the first page of 20 and the exact total, and a few fixed
 * queries of the most common fragment (有限, in 80% of the names).  Prints:
 *   search_rows N
 *   search_load_s S          (search_flush_s S: the part writing the index)
 *   search_2char_p50_ms X / search_2char_p99_ms X / search_2char_max_ms X
 *   search_2char_cpu_p50_ms X / search_2char_cpu_p99_ms X (the thread's
 *     CPU time: the figure to read when other work shares the machine)
 *   search_3char_p50_ms X / ...
 *   search_fixed_<what>_ms X (median of 21 runs)
 * Results go to stdout only; the scratch file is removed.  For tuning,
 * ZL_SEARCH_BENCH_DB=PATH keeps the register in PATH instead, and a later
 * run with the same N reuses it (no load; the same samples); a database
 * URL there (postgres://...) runs the benchmark on that database.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/rand.h"
#include "db/db.h"
#include "domain/grams.h"
#include "domain/postings.h"
#include "store/enterprise_index.h"
#include "store/enterprise_search.h"
#include "store/migrate.h"

#define SAMPLES 4096

static const char *const cities[] = {"郑州", "开封", "洛阳",   "平顶山", "安阳",   "鹤壁", "新乡",
				     "焦作", "濮阳", "许昌",   "漯河",	 "三门峡", "南阳", "商丘",
				     "信阳", "周口", "驻马店", "济源",	 "河南",   "中原", "豫"};
/* Characters of brand names (字号). */
static const char brand_chars[] =
	"恒瑞鑫源华夏金星天宇通达丰泰隆盛昌兴旺福祥和安康宏伟博远新光明辉煌永嘉豪庆"
	"嘉禾中信诚实德润泽万家鼎力腾飞凯旋立峰晨曦聚宝汇融正大利民众合久长青松柏林"
	"海川江河山岳云龙凤鹏麟瑞雪银河星辰日月春秋冬夏东西南北宏图锦绣金玉满堂富贵"
	"吉祥如意高科技智能创新宝元圣亿佳美联盟友谊好运顺昊翔卓越精工巨豪";
static const char *const trades[] = {"机械", "食品", "电子", "化工", "纺织", "建材",
				     "钢铁", "汽车", "制药", "电气", "塑料", "家具",
				     "包装", "农业", "科技", "实业", "重工", "铝业",
				     "陶瓷", "水泥", "面业", "乳业", "酒业", "服饰"};
static const char *const forms[] = {"有限公司", "股份有限公司", "有限责任公司", "厂",
				    "集团有限公司"};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static const char *const regions[] = {"410102", "410202", "410302", "410402", "410502",
				      "410602", "410702", "410802", "410902", "411002"};

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int die(const char *what, const struct zl_error *e)
{
	fprintf(stderr, "search_bench: %s: %s\n", what, e->message);
	return 1;
}

static void make_name(struct zl_rng *r, char *out, size_t n)
{
	size_t nb = (sizeof(brand_chars) - 1) / 3;
	size_t a = zl_rng_below(r, nb), b = zl_rng_below(r, nb);

	snprintf(out, n, "%s%.3s%.3s%s%s", cities[zl_rng_below(r, NELEM(cities))],
		 brand_chars + 3 * a, brand_chars + 3 * b, trades[zl_rng_below(r, NELEM(trades))],
		 forms[zl_rng_below(r, NELEM(forms))]);
}

static int insert(struct zl_db *db, struct zl_gram_builder *gb, int64_t eid, const char *uscc,
		  const char *name, struct zl_error *err)
{
	struct zl_stmt *st;
	int rc;

	rc = zl_db_prepare(db,
			   "INSERT INTO enterprises (uscc, name, region, industry, status,"
			   " created_at, updated_at, eid) VALUES (?, ?, ?, '34', 'operating',"
			   " '2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z', ?)",
			   &st, err);
	if (rc != ZL_OK)
		return rc;
	zl_stmt_bind_text(st, 1, uscc, -1);
	zl_stmt_bind_text(st, 2, name, -1);
	/* 10 cities of Henan, for the region filter of the fixed queries */
	zl_stmt_bind_text(st, 3, regions[eid % NELEM(regions)], -1);
	zl_stmt_bind_int64(st, 4, eid);
	rc = zl_stmt_step(st, err);
	zl_stmt_reset(st);
	if (rc < 0)
		return rc;
	if (zl_gram_builder_add_name(gb, name, (uint64_t)eid) != ZL_OK)
		return zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
	return ZL_OK;
}

/* Cut a fragment of `chars` kept characters at a random position of name. */
static int fragment(struct zl_rng *r, const char *name, size_t chars, char *out, size_t n)
{
	size_t len = strlen(name), total = zl_gram_len(name, len), start, i = 0, k = 0, adv;
	char c[5];

	if (total < chars)
		return 0;
	start = zl_rng_below(r, total - chars + 1);
	out[0] = '\0';
	while (i < len && k < start + chars) {
		if (zl_gram_char(name + i, len - i, &adv, c)) {
			if (k >= start && strlen(out) + strlen(c) < n)
				memcpy(out + strlen(out), c, strlen(c) + 1);
			k++;
		}
		i += adv;
	}
	return 1;
}

static double cpu_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static int count_row(void *cls, const struct zl_enterprise *e)
{
	(void)e;
	(*(long *)cls)++;
	return 0;
}

static int run(struct zl_db *db, struct zl_rng *r, char (*samples)[256], size_t nsamples,
	       size_t chars, long queries, int plan, int detail, struct zl_error *err)
{
	double *ms = calloc(2 * (size_t)queries, sizeof(double)), *cpu, t0, c0;
	struct zl_ent_filter f = {0};
	char frag[64];
	int64_t total, sum_total = 0;
	long q, rows = 0;
	int rc = ZL_OK;

	if (ms == NULL)
		return ZL_ENOMEM;
	cpu = ms + queries;
	for (q = 0; q < queries; q++) {
		while (!fragment(r, samples[zl_rng_below(r, nsamples)], chars, frag, sizeof(frag)))
			;
		f.q = frag;
		f.limit = 20;
		f.plan = plan;
		t0 = now_s();
		c0 = cpu_s();
		rc = zl_store_enterprise_list(db, &f, count_row, &rows, &total, err);
		ms[q] = (now_s() - t0) * 1000.0;
		cpu[q] = (cpu_s() - c0) * 1000.0;
		if (rc != ZL_OK)
			goto out;
		if (detail)
			fprintf(stderr, "%zu %" PRId64 " %.3f %.3f %s\n", chars, total, ms[q],
				cpu[q], frag);
		sum_total += total;
	}
	qsort(ms, (size_t)queries, sizeof(double), cmp_double);
	printf("search_%zuchar_p50_ms %.3f\n", chars, ms[queries / 2]);
	printf("search_%zuchar_p99_ms %.3f\n", chars, ms[(queries * 99) / 100]);
	printf("search_%zuchar_max_ms %.3f\n", chars, ms[queries - 1]);
	/* CPU time of this thread: what the query costs when the machine is busy */
	qsort(cpu, (size_t)queries, sizeof(double), cmp_double);
	printf("search_%zuchar_cpu_p50_ms %.3f\n", chars, cpu[queries / 2]);
	printf("search_%zuchar_cpu_p99_ms %.3f\n", chars, cpu[(queries * 99) / 100]);
	printf("search_%zuchar_mean_total %.0f\n", chars, (double)sum_total / (double)queries);
out:
	free(ms);
	return rc;
}

static int count_rows(struct zl_db *db, int64_t *n, struct zl_error *err)
{
	struct zl_stmt *st;
	int rc;

	rc = zl_db_prepare(db, "SELECT count(*) FROM enterprises", &st, err);
	if (rc != ZL_OK)
		return rc;
	rc = zl_stmt_step(st, err);
	*n = rc == ZL_DB_ROW ? zl_stmt_column_int64(st, 0) : 0;
	zl_stmt_reset(st);
	return rc < 0 ? rc : ZL_OK;
}

static int count_bucket(void *cls, const char *key, int64_t n)
{
	(void)key;
	(void)n;
	(*(long *)cls)++;
	return 0;
}

/* Median time of 21 runs of one list (count < 0) or count query. */
static int fixed(struct zl_db *db, const char *what, const struct zl_ent_filter *f, int count,
		 struct zl_error *err)
{
	double ms[21], t0;
	int64_t total = 0;
	long rows = 0;
	int i, rc;

	for (i = 0; i < 21; i++) {
		t0 = now_s();
		rc = count >= 0 ? zl_store_enterprise_count(db, f, (enum zl_ent_count)count,
							    count_bucket, &rows, &total, err)
				: zl_store_enterprise_list(db, f, count_row, &rows, &total, err);
		ms[i] = (now_s() - t0) * 1000.0;
		if (rc != ZL_OK)
			return rc;
	}
	qsort(ms, 21, sizeof(double), cmp_double);
	printf("search_fixed_%s_ms %.3f\n", what, ms[10]);
	printf("search_fixed_%s_total %" PRId64 "\n", what, total);
	return ZL_OK;
}

static int run_fixed(struct zl_db *db, int plan, struct zl_error *err)
{
	struct zl_ent_filter f = {0};
	int rc;

	f.q = "有限";
	f.limit = 20;
	f.plan = plan;
	rc = fixed(db, "youxian", &f, -1, err);
	f.sort = ZL_ENT_SORT_NAME;
	if (rc == ZL_OK)
		rc = fixed(db, "youxian_by_name", &f, -1, err);
	f.sort = ZL_ENT_SORT_USCC;
	f.region = "410100"; /* a tenth of the register */
	if (rc == ZL_OK)
		rc = fixed(db, "youxian_region", &f, -1, err);
	f.region = NULL;
	f.status = "operating"; /* every row: the total scans the register */
	if (rc == ZL_OK)
		rc = fixed(db, "youxian_status", &f, -1, err);
	f.status = NULL;
	if (rc == ZL_OK)
		rc = fixed(db, "youxian_count_region", &f, ZL_ENT_COUNT_REGION, err);
	f.q = "郑州";
	if (rc == ZL_OK)
		rc = fixed(db, "zhengzhou_count_region", &f, ZL_ENT_COUNT_REGION, err);
	f.q = NULL;
	if (rc == ZL_OK)
		rc = fixed(db, "all_count_region", &f, ZL_ENT_COUNT_REGION, err);
	return rc;
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? strtol(argv[1], NULL, 10) : 1000000;
	long queries = argc > 2 ? strtol(argv[2], NULL, 10) : 1000, i;
	int plan = argc > 3 ? (int)strtol(argv[3], NULL, 10) : 0;
	int detail = argc > 4 && strcmp(argv[4], "detail") == 0;
	struct zl_gram_builder *gb = NULL;
	struct zl_error err = ZL_ERROR_INIT;
	static char samples[SAMPLES][256];
	char url[600], uscc[40], name[256];
	char tmp[] = "/tmp/zl-search-bench-XXXXXX";
	struct zl_db *db = NULL;
	struct zl_rng r;
	size_t ns = 0;
	const char *keep = getenv("ZL_SEARCH_BENCH_DB");
	int64_t have = 0;
	double t0, t1 = 0;
	int fd, rc = 1;

	if (n < 1 || queries < 1 || plan < 0 || plan > 3) {
		fprintf(stderr, "usage: search_bench [N] [QUERIES] [PLAN] [detail]\n");
		return 2;
	}
	zl_rng_seed_str(&r, "search_bench");
	if (keep != NULL && zl_db_url_backend(keep) != NULL) {
		snprintf(url, sizeof(url), "%s", keep); /* a database URL */
	} else if (keep != NULL && *keep != '\0') {
		snprintf(url, sizeof(url), "sqlite:%s", keep);
	} else {
		keep = NULL;
		fd = mkstemp(tmp);
		if (fd < 0) {
			perror("search_bench: mkstemp");
			return 1;
		}
		close(fd);
		snprintf(url, sizeof(url), "sqlite:%s", tmp);
	}
	if (zl_db_open(url, NULL, &db, &err) != ZL_OK) {
		rc = die("open", &err);
		goto out;
	}
	if (zl_store_migrate(db, NULL, &err) != ZL_OK) {
		rc = die("migrate", &err);
		goto out;
	}
	if (zl_gram_builder_new(&gb) != ZL_OK) {
		fprintf(stderr, "search_bench: out of memory\n");
		goto out;
	}
	if (keep != NULL && count_rows(db, &have, &err) != ZL_OK) {
		rc = die("count", &err);
		goto out;
	}
	t0 = now_s();
	if (zl_db_begin(db, &err) != ZL_OK) {
		rc = die("begin", &err);
		goto out;
	}
	for (i = 0; i < n; i++) {
		/* Keys in order, like a sorted import. */
		snprintf(uscc, sizeof(uscc), "91410100MA%08ld", i);
		make_name(&r, name, sizeof(name));
		if (ns < SAMPLES && zl_rng_below(&r, (uint64_t)(n / SAMPLES + 1)) == 0)
			memcpy(samples[ns++], name, sizeof(name));
		if (have != n && insert(db, gb, i + 1, uscc, name, &err) != ZL_OK) {
			zl_db_rollback(db);
			rc = die("insert", &err);
			goto out;
		}
	}
	if (ns == 0)
		memcpy(samples[ns++], name, sizeof(name));
	t1 = now_s();
	if (have != n && zl_store_index_flush(db, gb, NULL, NULL, &err) != ZL_OK) {
		zl_db_rollback(db);
		rc = die("flush", &err);
		goto out;
	}
	t1 = now_s() - t1;
	if (zl_db_commit(db, &err) != ZL_OK) {
		rc = die("commit", &err);
		goto out;
	}
	if (zl_db_exec(db, "ANALYZE", &err) != ZL_OK) {
		rc = die("analyze", &err);
		goto out;
	}
	printf("search_rows %ld\n", n);
	printf("search_load_s %.1f\n", now_s() - t0);
	printf("search_flush_s %.1f\n", t1);
	fflush(stdout);
	if (run(db, &r, samples, ns, 2, queries, plan, detail, &err) != ZL_OK ||
	    run(db, &r, samples, ns, 3, queries, plan, detail, &err) != ZL_OK ||
	    run_fixed(db, plan, &err) != ZL_OK) {
		rc = die("search", &err);
		goto out;
	}
	rc = 0;
out:
	zl_gram_builder_free(gb);
	zl_db_close(db);
	if (keep != NULL) {
		zl_rng_release(&r);
		return rc;
	}
	unlink(tmp);
	snprintf(url, sizeof(url), "%s-wal", tmp);
	unlink(url);
	snprintf(url, sizeof(url), "%s-shm", tmp);
	unlink(url);
	zl_rng_release(&r);
	return rc;
}
