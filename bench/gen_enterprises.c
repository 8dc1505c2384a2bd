/*
 * gen_enterprises.c - a synthetic enterprise table for the import and
 * lookup benchmarks of `make bench` (issue 4 figures), as CSV on stdout.
 *
 * Usage: gen_enterprises N [--seed S] [--gbk]
 *
 * Writes a header row
 *   统一社会信用代码,企业名称,曾用名,行政区划,行业代码,地址,法定代表人,
 *   注册资本,成立日期,企业规模,经营状态
 * (every one a header the importer maps, src/domain/enterprise_columns.def)
 * and N data rows (1 <= N <= 100,000,000), UTF-8 without a BOM, or GBK
 * with --gbk (converted with iconv), lines ending in "\n", no quoting
 * (no value holds a comma, quote or line break).  Every row passes the
 * importer's validation:
 *   - USCC: "91" (enterprise), the row's county code (pos 3-8), a GB 11714
 *     organization code (8-character body + its mod-11 check) and the
 *     GB 32100 mod-31 check.  The body is 8 digits for firms founded before
 *     2015-10-01 and "MA" + 6 USCC symbols after, as real codes are; it is
 *     a bijection of a pseudo-random permutation of the row number, so the
 *     codes are distinct and come in random order (the hard case for a
 *     B-tree keyed by code).
 *   - name: city (or county) + a 2-character brand (字号) + a trade word +
 *     a legal form, e.g. 洛阳恒瑞机械有限公司; the (brand, trade, form)
 *     triple is a permutation of the row number, so names are distinct
 *     (3-character brands when N exceeds the 2-character space).
 *   - 曾用名 on about 2% of the rows (the same firm as a 厂 before it became
 *     a company, or the reverse), empty otherwise;
 *   - 行政区划: a six-digit Henan county-level code in force (not 市辖区);
 *   - 行业代码: a GB/T 4754-2017 manufacturing class matching the trade word
 *     (C3670 for 汽车配件), written with its section letter as registers do;
 *   - 地址 河南省 + city + county + road + number; 法定代表人 a Chinese name;
 *   - 注册资本 in 万元 according to the size; 成立日期 YYYY-MM-DD, 1985-2024;
 *   - 企业规模 大型 2% / 中型 10% / 小型 48% / 微型 40%;
 *   - 经营状态 存续 80% / 在业 12% / 吊销 5% / 注销 3%.
 * Deterministic: the same N, seed and encoding give the same bytes (row i
 * depends on the seed and i only, not on N, except for the code order
 * permutation, which depends on N).  Default seed "zhiliang".
 * Speed: about 10 million rows in 10-20 seconds on one core.
 */
#include <errno.h>
#include <iconv.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "codes/orgcode.h"
#include "codes/region.h"
#include "codes/uscc.h"
#include "core/err.h"
#include "core/timeutil.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))
#define MAX_ROWS 100000000ull
#define OUT_CAP (1u << 20)
#define ROW_MAX 2048

/* ---- vocabulary ---------------------------------------------------------- */

/* Characters of brand names (字号); duplicates are dropped at start. */
static const char brand_text[] =
	"宇通华兴鑫瑞达恒信德盛泰隆丰金源中天新汇博豫森正安康远宏昌永嘉和润福腾飞辉明诚凯晟龙"
	"顺益美佳立发浩海光力聚科东方亿万豪锦利建星瀚峰洲旭晨航岳铭翔伟振鼎祥威尚创联宝元圣富"
	"贵吉如意春秋山川江河云凤鹏麟雪银日月松柏林青长久众合大民成功荣耀红旗开拓进取卓越精工"
	"巨环球宁祺骏驰赛奥邦坤乾泽涛波澜凌霄翼展扬帆冠君泓沃沣淼焱垚鹤鸿雁鸣芳菲蓝绿紫彤晶玉"
	"琦瑶璞珑琳瑾蓉菁华彩虹桥梁栋楷模范伦亨嘉裕祯禧禾稼穗丰登耕耘牧原野田园宏基固本厚朴"
	"勤俭笃实信义仁智勇毅忠良贤能俊杰英豪雄威武强盛世纪元首创先锋";

/* A trade word and the GB/T 4754-2017 manufacturing classes a firm so named is in. */
struct trade {
	const char *word;
	const char *classes[4];
};

static const struct trade trades[] = {
	{"粮油", {"1331", "1311", "1312"}},
	{"面业", {"1312", "1431"}},
	{"食品", {"1431", "1432", "1419"}},
	{"速冻食品", {"1432"}},
	{"肉类食品", {"1351", "1353"}},
	{"饲料", {"1329"}},
	{"调味品", {"1461", "1462"}},
	{"乳业", {"1441"}},
	{"酒业", {"1512", "1513"}},
	{"饮品", {"1523", "1524", "1529"}},
	{"茶业", {"1530"}},
	{"纺织", {"1711", "1712"}},
	{"棉纺", {"1711"}},
	{"针织", {"1761"}},
	{"服饰", {"1811", "1819"}},
	{"制衣", {"1819"}},
	{"皮革", {"1910"}},
	{"制鞋", {"1951", "1952", "1954"}},
	{"木业", {"2011", "2021"}},
	{"家具", {"2110", "2130"}},
	{"纸业", {"2221"}},
	{"包装", {"2231", "2926"}},
	{"印务", {"2311", "2319"}},
	{"工艺品", {"2439"}},
	{"体育用品", {"2442"}},
	{"化工", {"2614", "2619", "2641"}},
	{"化肥", {"2621", "2624"}},
	{"新材料", {"2651", "2659"}},
	{"药业", {"2710", "2720", "2740"}},
	{"生物", {"2761"}},
	{"化纤", {"2821", "2822"}},
	{"橡胶", {"2911", "2912", "2913"}},
	{"塑业", {"2921", "2922", "2927"}},
	{"水泥", {"3011"}},
	{"建材", {"3021", "3031"}},
	{"玻璃", {"3041", "3042"}},
	{"陶瓷", {"3071", "3072"}},
	{"耐火材料", {"3089"}},
	{"钢铁", {"3110", "3120", "3130"}},
	{"铜业", {"3211", "3251"}},
	{"铝业", {"3216", "3252"}},
	{"钢结构", {"3311"}},
	{"五金", {"3321", "3322", "3329"}},
	{"泵业", {"3441"}},
	{"阀门", {"3443"}},
	{"轴承", {"3451", "3452"}},
	{"机械", {"3511", "3441", "3499"}},
	{"重工", {"3511", "3431"}},
	{"农机", {"3571", "3572"}},
	{"汽车", {"3611", "3670"}},
	{"客车", {"3611", "3612"}},
	{"汽车配件", {"3670"}},
	{"电动车", {"3770"}},
	{"电气", {"3821", "3823", "3824"}},
	{"电缆", {"3831"}},
	{"电源", {"3841", "3849"}},
	{"电器", {"3851", "3854"}},
	{"通信", {"3921", "3922"}},
	{"电子", {"3981", "3982"}},
	{"光电", {"3976"}},
	{"智能科技", {"3911", "4011"}},
	{"仪表", {"4012", "4014"}},
};

static const char *const forms[] = {"有限公司",	    "有限责任公司", "股份有限公司",
				    "科技有限公司", "厂",	    "集团有限公司"};

#include "store/demo_words.def"

/* ---- random numbers: splitmix64, one stream per row ---------------------- */

static uint64_t mix64(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

struct rng {
	uint64_t s;
};

static uint64_t next(struct rng *r)
{
	r->s += 0x9E3779B97F4A7C15ull;
	return mix64(r->s);
}

/* Uniform in [0, n) (the modulo bias is below 2^-40 for the n used here). */
static uint64_t below(struct rng *r, uint64_t n)
{
	return next(r) % n;
}

/*
 * A permutation of [0, n): a 4-round Feistel network on 2*half bits
 * (2^(2*half) >= n) keyed by `key`, cycle-walked back into [0, n).
 */
static uint64_t feistel(uint64_t x, unsigned half, uint64_t key)
{
	uint64_t mask = (1ull << half) - 1, l = x >> half, r = x & mask;

	for (uint64_t k = 0; k < 4; k++) {
		uint64_t t = l ^ (mix64(r ^ (key + k * 0x632BE59BD9B4E019ull)) & mask);
		l = r;
		r = t;
	}
	return (l << half) | r;
}

struct perm {
	uint64_t n, key;
	unsigned half;
};

static void perm_init(struct perm *p, uint64_t n, uint64_t key)
{
	p->n = n;
	p->key = key;
	p->half = 1;
	while (p->half < 32 && (1ull << (2 * p->half)) < n)
		p->half++;
}

static uint64_t perm_at(const struct perm *p, uint64_t i)
{
	uint64_t v = i;

	do
		v = feistel(v, p->half, p->key);
	while (v >= p->n);
	return v;
}

/* ---- places: Henan county-level units in force, with their city --------- */

struct place {
	char code[12];			       /* six digits */
	char city_short[16], county_short[16]; /* 郑州, 中牟 */
	char city[32], county[32];	       /* 郑州市, 中牟县 ("" for a city-level unit) */
};

/* "郑州市" -> "郑州", "中牟县" -> "中牟"; a two-character name stays ("滑县"). */
static void short_name(const char *name, char *out, size_t cap)
{
	size_t n = strlen(name);

	snprintf(out, cap, "%s", name);
	if (n > 6 && (!strcmp(name + n - 3, "市") || !strcmp(name + n - 3, "县") ||
		      !strcmp(name + n - 3, "区")))
		out[n - 3] = '\0';
}

static size_t places_collect(struct place *out, size_t cap)
{
	size_t n = 0;

	for (size_t i = 0; i < zl_region_count() && n < cap; i++) {
		const struct zl_region *r = zl_region_at(i), *c;

		if (r->level != ZL_REGION_COUNTY || r->valid_to != 0 || r->code % 100 == 0)
			continue;
		if (strstr(r->name, "市辖") != NULL)
			continue;
		c = zl_region_parent(r, ZL_REGION_LATEST);
		if (c == NULL)
			continue;
		snprintf(out[n].code, sizeof(out[n].code), "%06d", r->code);
		if (c->level != ZL_REGION_CITY || c->code == 419000) {
			/* 济源: a county-level city under the province's 419000 grouping. */
			snprintf(out[n].city, sizeof(out[n].city), "%s", r->name);
			out[n].county[0] = '\0';
		} else {
			snprintf(out[n].city, sizeof(out[n].city), "%s", c->name);
			snprintf(out[n].county, sizeof(out[n].county), "%s", r->name);
		}
		short_name(out[n].city, out[n].city_short, sizeof(out[n].city_short));
		short_name(r->name, out[n].county_short, sizeof(out[n].county_short));
		n++;
	}
	return n;
}

/* ---- output -------------------------------------------------------------- */

struct out {
	char buf[OUT_CAP];
	size_t len;
	iconv_t cd; /* (iconv_t)-1: UTF-8 as is */
	char conv[OUT_CAP * 2];
};

static void die(const char *msg)
{
	fprintf(stderr, "gen_enterprises: %s\n", msg);
	exit(1);
}

static void write_all(const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(1, p, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			die(strerror(errno));
		}
		p += w;
		n -= (size_t)w;
	}
}

static void out_flush(struct out *o)
{
	if (o->cd == (iconv_t)-1) {
		write_all(o->buf, o->len);
	} else {
		char *in = o->buf, *dst = o->conv;
		size_t inleft = o->len, outleft = sizeof(o->conv);

		if (iconv(o->cd, &in, &inleft, &dst, &outleft) == (size_t)-1 || inleft != 0)
			die("a character has no GBK form");
		write_all(o->conv, sizeof(o->conv) - outleft);
	}
	o->len = 0;
}

static void put(struct out *o, const char *s)
{
	size_t n = strlen(s);

	memcpy(o->buf + o->len, s, n);
	o->len += n;
}

static void putc_(struct out *o, char c)
{
	o->buf[o->len++] = c;
}

/* Decimal of v (v >= 0). */
static void putu(struct out *o, uint64_t v)
{
	char tmp[24];
	int k = 0;

	do {
		tmp[k++] = (char)('0' + v % 10);
		v /= 10;
	} while (v > 0);
	while (k > 0)
		o->buf[o->len++] = tmp[--k];
}

/* ---- one row ------------------------------------------------------------- */

struct gen {
	struct place places[256];
	size_t nplaces;
	char brands[512][4]; /* one UTF-8 character each */
	size_t nbrands;
	int brand_len; /* 2 or 3 characters */
	struct perm code_perm, name_perm;
	uint64_t seed;
	int64_t day0, day1, day_ma; /* founding range, first day of MA codes */
};

/* The organization-code body of permutation value v: 8 digits or "MA" + 6 symbols. */
static void subject_body(uint64_t v, int new_style, char body[8])
{
	if (!new_style) {
		uint64_t x = (v * 7919u + 10000000u) % 100000000u; /* a bijection mod 10^8 */
		for (int k = 7; k >= 0; k--) {
			body[k] = (char)('0' + x % 10);
			x /= 10;
		}
	} else {
		uint64_t x = (v * 7919u + 12345u) % 887503681u; /* 31^6: a bijection */
		body[0] = 'M';
		body[1] = 'A';
		for (int k = 7; k >= 2; k--) {
			body[k] = zl_uscc_alphabet[x % 31];
			x /= 31;
		}
	}
}

static void make_uscc(const struct place *p, const char body[8], char out[19])
{
	char check;

	out[0] = '9';
	out[1] = '1';
	memcpy(out + 2, p->code, 6);
	memcpy(out + 8, body, 8);
	if (zl_orgcode_compute_check(body, &check) != ZL_OK)
		die("internal: organization code body");
	out[16] = check;
	if (zl_uscc_compute_check(out, &check) != ZL_OK)
		die("internal: USCC");
	out[17] = check;
	out[18] = '\0';
}

static void put_name(struct out *o, const struct gen *g, const char *city, uint64_t t, int former)
{
	uint64_t nb = g->nbrands, form = t % NELEM(forms), trade, q;
	size_t a, b, c = SIZE_MAX;

	t /= NELEM(forms);
	trade = t % NELEM(trades);
	q = t / NELEM(trades);
	if (g->brand_len == 3) {
		c = (size_t)(q % nb);
		q /= nb;
	}
	a = (size_t)(q / (nb - 1));
	b = (size_t)(q % (nb - 1));
	if (b >= a)
		b++;
	put(o, city);
	put(o, g->brands[a]);
	put(o, g->brands[b]);
	if (c != SIZE_MAX)
		put(o, g->brands[c]);
	put(o, trades[trade].word);
	if (former) /* the firm as a 厂 before it became a company, or the reverse */
		put(o, !strcmp(forms[form], "厂") ? "有限公司" : "厂");
	else
		put(o, forms[form]);
}

static void row(struct out *o, const struct gen *g, uint64_t i)
{
	struct rng r = {mix64(g->seed ^ mix64(i + 1))};
	const struct place *p = &g->places[below(&r, g->nplaces)];
	int64_t founded = g->day0 + (int64_t)below(&r, (uint64_t)(g->day1 - g->day0 + 1));
	uint64_t t = perm_at(&g->name_perm, i), trade;
	const char *city = below(&r, 10) < 7 ? p->city_short : p->county_short;
	char body[8], uscc[19], date[16];
	int size = (int)below(&r, 100), status = (int)below(&r, 100);
	uint64_t capital;

	subject_body(perm_at(&g->code_perm, i), founded >= g->day_ma, body);
	make_uscc(p, body, uscc);
	put(o, uscc);
	putc_(o, ',');
	put_name(o, g, city, t, 0);
	putc_(o, ',');
	if (below(&r, 1000) < 20)
		put_name(o, g, city, t, 1);
	putc_(o, ',');
	put(o, p->code);
	putc_(o, ',');
	trade = (t / NELEM(forms)) % NELEM(trades);
	{
		size_t nc = 0;
		while (nc < NELEM(trades[0].classes) && trades[trade].classes[nc])
			nc++;
		putc_(o, 'C');
		put(o, trades[trade].classes[below(&r, nc)]);
	}
	putc_(o, ',');
	put(o, "河南省");
	put(o, p->city);
	put(o, p->county);
	put(o, roads[below(&r, NELEM(roads))]);
	putu(o, 1 + below(&r, 300));
	put(o, "号,");
	put(o, surnames[below(&r, NELEM(surnames))]);
	put(o, given_chars[below(&r, NELEM(given_chars))]);
	if (below(&r, 10) < 6)
		put(o, given_chars[below(&r, NELEM(given_chars))]);
	putc_(o, ',');
	/* 大型 2%, 中型 10%, 小型 48%, 微型 40%; capital in 万元 by size. */
	capital = size < 2    ? 5000 + below(&r, 95000)
		  : size < 12 ? 500 + below(&r, 4500)
		  : size < 60 ? 50 + below(&r, 950)
			      : 3 + below(&r, 97);
	putu(o, capital);
	if (below(&r, 5) == 0) {
		putc_(o, '.');
		putu(o, 1 + below(&r, 9));
	}
	putc_(o, ',');
	put(o, zl_date_format(founded, date));
	putc_(o, ',');
	put(o, size < 2 ? "大型" : size < 12 ? "中型" : size < 60 ? "小型" : "微型");
	putc_(o, ',');
	put(o, status < 80 ? "存续" : status < 92 ? "在业" : status < 97 ? "吊销" : "注销");
	putc_(o, '\n');
}

static void brands_collect(struct gen *g)
{
	const unsigned char *s = (const unsigned char *)brand_text;
	size_t n = strlen(brand_text);

	g->nbrands = 0;
	for (size_t i = 0; i + 3 <= n; i += 3) {
		int dup = 0;
		if ((s[i] & 0xF0) != 0xE0)
			die("internal: brand characters must be 3-byte UTF-8");
		for (size_t k = 0; k < g->nbrands && !dup; k++)
			dup = !memcmp(g->brands[k], s + i, 3);
		if (dup || g->nbrands >= NELEM(g->brands))
			continue;
		memcpy(g->brands[g->nbrands], s + i, 3);
		g->brands[g->nbrands][3] = '\0';
		g->nbrands++;
	}
}

static uint64_t seed_of(const char *s)
{
	uint64_t h = 0xCBF29CE484222325ull; /* FNV-1a */

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001B3ull;
	return mix64(h);
}

static int usage(void)
{
	fprintf(stderr, "usage: gen_enterprises N [--seed S] [--gbk]   (1 <= N <= %llu)\n",
		(unsigned long long)MAX_ROWS);
	return 2;
}

int main(int argc, char **argv)
{
	static struct gen g;
	static struct out o;
	const char *seed = "zhiliang";
	unsigned long long n = 0;
	uint64_t space2;
	int gbk = 0, have_n = 0;
	char *end;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--gbk")) {
			gbk = 1;
		} else if (!strcmp(argv[i], "--seed") && i + 1 < argc) {
			seed = argv[++i];
		} else if (!have_n && argv[i][0] >= '0' && argv[i][0] <= '9') {
			errno = 0;
			n = strtoull(argv[i], &end, 10);
			if (errno || *end || n < 1 || n > MAX_ROWS)
				return usage();
			have_n = 1;
		} else {
			return usage();
		}
	}
	if (!have_n)
		return usage();
	g.seed = seed_of(seed);
	g.nplaces = places_collect(g.places, NELEM(g.places));
	brands_collect(&g);
	if (g.nplaces == 0 || g.nbrands < 3)
		die("internal: empty vocabulary");
	g.day0 = zl_days_from_civil(1985, 1, 1);
	g.day1 = zl_days_from_civil(2024, 12, 31);
	g.day_ma = zl_days_from_civil(2015, 10, 1);
	space2 = (uint64_t)g.nbrands * (g.nbrands - 1) * NELEM(trades) * NELEM(forms);
	g.brand_len = n <= space2 ? 2 : 3;
	perm_init(&g.name_perm, g.brand_len == 2 ? space2 : space2 * g.nbrands,
		  g.seed ^ 0x6E616D6573ull);
	perm_init(&g.code_perm, n, g.seed ^ 0x636F646573ull);
	o.cd = (iconv_t)-1;
	if (gbk) {
		o.cd = iconv_open("GBK", "UTF-8");
		if (o.cd == (iconv_t)-1)
			die("iconv cannot convert UTF-8 to GBK");
	}
	put(&o, "统一社会信用代码,企业名称,曾用名,行政区划,行业代码,地址,法定代表人,注册资本,"
		"成立日期,企业规模,经营状态\n");
	for (uint64_t i = 0; i < n; i++) {
		row(&o, &g, i);
		if (o.len > OUT_CAP - ROW_MAX)
			out_flush(&o);
	}
	out_flush(&o);
	if (gbk)
		iconv_close(o.cd);
	return 0;
}
