/*
 * demo_enterprises.c - the synthetic enterprise register of `init --demo`
 * (store/demo.h): tens of thousands of plausible Henan manufacturers with
 * valid codes, so search, counts, exports and the public lookup have
 * something realistic to work on.
 *
 * Determinism: every choice comes from the caller's ChaCha20 stream in a
 * fixed order, and dates are drawn relative to fixed years, never from the
 * clock, so one seed yields the same register on every machine.
 * Uniqueness: the subject code of record i is a bijection of i, so no two
 * records share a USCC.
 */
#include "store/demo.h"

#include <stdio.h>
#include <string.h>

#include "codes/orgcode.h"
#include "codes/region.h"
#include "codes/uscc.h"
#include "core/buf.h"
#include "core/timeutil.h"
#include "domain/credit.h"
#include "domain/postings.h"
#include "store/credit.h"
#include "store/enterprise_index.h"
#include "store/enterprises.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* Characters of trade names (字号), chosen for how often they occur in real ones. */
static const char *const trade_chars[] = {
	"宇", "通", "华", "兴", "鑫", "瑞", "达", "恒", "信", "德", "盛", "泰", "隆", "丰",
	"金", "源", "中", "天", "新", "汇", "博", "豫", "森", "正", "安", "康", "远", "宏",
	"昌", "永", "嘉", "和", "润", "福", "腾", "飞", "辉", "明", "诚", "凯", "晟", "龙",
	"顺", "益", "美", "佳", "立", "发", "浩", "海", "光", "力", "聚", "科", "东", "方",
	"亿", "万", "豪", "锦", "利", "建", "星", "瀚", "峰", "洲", "旭", "晨", "航", "岳",
	"铭", "翔", "伟", "振", "鼎", "祥", "威", "尚", "创", "联",
};

/* Words naming what a firm of a division makes (GB/T 4754-2017 divisions 13-41). */
struct division_words {
	const char *division;
	const char *words[4];
};

static const struct division_words divisions[] = {
	{"13", {"粮油", "面粉", "饲料", "肉类食品"}},
	{"14", {"食品", "速冻食品", "调味品", "乳业"}},
	{"15", {"酒业", "饮品", "茶业", "酿造"}},
	{"16", {"卷烟材料", "烟草机械", "烟叶复烤", "烟草制品"}},
	{"17", {"纺织", "棉纺", "织造", "纱业"}},
	{"18", {"服饰", "制衣", "服装", "针织"}},
	{"19", {"皮革", "制鞋", "皮具", "毛皮制品"}},
	{"20", {"木业", "板材", "竹木制品", "木制品"}},
	{"21", {"家具", "家居", "办公家具", "木艺"}},
	{"22", {"纸业", "包装", "纸品", "造纸"}},
	{"23", {"印务", "印刷", "彩印", "包装印刷"}},
	{"24", {"文体用品", "工艺品", "体育用品", "玩具"}},
	{"25", {"石化", "焦化", "能源", "燃料"}},
	{"26", {"化工", "精细化工", "涂料", "化肥"}},
	{"27", {"药业", "制药", "生物医药", "中药"}},
	{"28", {"化纤", "纤维", "氨纶", "新材料"}},
	{"29", {"塑业", "橡胶", "塑料制品", "管业"}},
	{"30", {"建材", "水泥", "耐火材料", "玻璃"}},
	{"31", {"钢铁", "特钢", "钢管", "冶金"}},
	{"32", {"铝业", "铜业", "有色金属", "合金"}},
	{"33", {"金属制品", "五金", "紧固件", "钢结构"}},
	{"34", {"机械", "阀门", "泵业", "轴承"}},
	{"35", {"重工", "矿山机械", "起重机械", "农业装备"}},
	{"36", {"汽车", "客车", "汽车零部件", "专用车"}},
	{"37", {"车辆", "轨道装备", "电动车", "船舶配件"}},
	{"38", {"电气", "电缆", "电器", "电源"}},
	{"39", {"电子", "通信设备", "智能科技", "光电"}},
	{"40", {"仪器仪表", "仪表", "计量设备", "检测设备"}},
	{"41", {"日用品", "制品", "工贸", "实业"}},
};

#include "store/demo_words.def"

/* County-level units of Henan in force, with the city they belong to. */
struct place {
	const struct zl_region *county;
	const struct zl_region *city;
};

static size_t places_collect(struct place *out, size_t cap)
{
	size_t n = 0;

	for (size_t i = 0; i < zl_region_count() && n < cap; i++) {
		const struct zl_region *r = zl_region_at(i), *c;

		if (r->level != ZL_REGION_COUNTY || r->valid_to != 0 || r->code % 100 == 0)
			continue;
		/* 市辖区 rows (xx01) are not places a firm registers in. */
		if (r->code % 100 == 1 && strstr(r->name, "市辖") != NULL)
			continue;
		c = zl_region_parent(r, ZL_REGION_LATEST);
		if (c == NULL)
			continue;
		/* 济源 (under the 419000 grouping) is its own city-level unit. */
		if (c->level != ZL_REGION_CITY || c->code == 419000)
			c = r;
		out[n].county = r;
		out[n].city = c;
		n++;
	}
	return n;
}

static uint64_t pick(struct zl_rng *rng, uint64_t n)
{
	return zl_rng_below(rng, n);
}

static int chance(struct zl_rng *rng, int per_thousand)
{
	return (int)zl_rng_below(rng, 1000) < per_thousand;
}

/* "郑州市" -> "郑州", "中牟县" -> "中牟"; a two-character name stays as is ("滑县"). */
static void short_name(const char *name, char *out, size_t cap)
{
	size_t n = strlen(name);

	snprintf(out, cap, "%s", name);
	if (n > 6 && (!strcmp(name + n - 3, "市") || !strcmp(name + n - 3, "县") ||
		      !strcmp(name + n - 3, "区")))
		out[n - 3] = '\0';
}

static void date_between(struct zl_rng *rng, int y0, int y1, char out[16])
{
	int64_t a = zl_days_from_civil(y0, 1, 1), b = zl_days_from_civil(y1, 12, 31);

	zl_date_format(a + (int64_t)pick(rng, (uint64_t)(b - a + 1)), out);
}

/* A day after `from`, at most max_days later and not after 2025-06-30 (no clock). */
static void date_after(struct zl_rng *rng, const char *from, int64_t max_days, char out[16])
{
	int64_t d, end = zl_days_from_civil(2025, 6, 30);

	if (zl_date_parse(from, &d) != ZL_OK)
		d = zl_days_from_civil(2015, 1, 1);
	if (d + max_days > end)
		max_days = end - d;
	if (max_days < 1)
		max_days = 1;
	zl_date_format(d + 1 + (int64_t)pick(rng, (uint64_t)max_days), out);
}

/*
 * The GB 11714 body of record i: 8 digits before 2015-10 (a bijection of i
 * modulo 10^8), or "MA" + 6 USCC symbols after (a bijection modulo 31^6).
 */
static void subject_body(uint64_t i, uint64_t off, int new_style, char body[9])
{
	if (!new_style) {
		uint64_t v = (i * 7919u + off) % 100000000u;

		for (int k = 7; k >= 0; k--) {
			body[k] = (char)('0' + v % 10);
			v /= 10;
		}
	} else {
		uint64_t m = 887503681u; /* 31^6 */
		uint64_t v = (i * 7919u + off) % m;

		body[0] = 'M';
		body[1] = 'A';
		for (int k = 7; k >= 2; k--) {
			body[k] = zl_uscc_alphabet[v % 31];
			v /= 31;
		}
	}
	body[8] = '\0';
}

static int make_uscc(const struct zl_region *county, const char body[9], char out[19])
{
	char check;

	int code = county->code;

	/* "91" + the six digits of the county + the 8-character body. */
	out[0] = '9';
	out[1] = '1';
	for (int k = 7; k >= 2; k--) {
		out[k] = (char)('0' + code % 10);
		code /= 10;
	}
	memcpy(out + 8, body, 8);
	if (zl_orgcode_compute_check(body, &check) != ZL_OK)
		return ZL_EINTERNAL;
	out[16] = check;
	if (zl_uscc_compute_check(out, &check) != ZL_OK)
		return ZL_EINTERNAL;
	out[17] = check;
	out[18] = '\0';
	return ZL_OK;
}

static void person(struct zl_rng *rng, char *out, size_t cap)
{
	const char *s = surnames[pick(rng, N(surnames))];
	const char *g1 = given_chars[pick(rng, N(given_chars))];

	if (chance(rng, 600))
		snprintf(out, cap, "%s%s%s", s, g1, given_chars[pick(rng, N(given_chars))]);
	else
		snprintf(out, cap, "%s%s", s, g1);
}

static const char *const size_classes[] = {"micro", "small", "medium", "large"};

static int size_pick(struct zl_rng *rng)
{
	int r = (int)pick(rng, 100);

	return r < 30 ? 0 : r < 75 ? 1 : r < 93 ? 2 : 3;
}

static int cert(struct zl_db *db, const char *uscc, const char *kind, const char *number,
		const char *from, struct zl_error *err)
{
	struct zl_ent_cert c;
	char to[16];
	int64_t d = 0;

	memset(&c, 0, sizeof(c));
	snprintf(c.kind, sizeof(c.kind), "%s", kind);
	snprintf(c.number, sizeof(c.number), "%s", number);
	snprintf(c.issuer, sizeof(c.issuer), "%s",
		 !strcmp(kind, "production_licence") ? "河南省市场监督管理局"
		 : !strcmp(kind, "ccc")		     ? "中国质量认证中心"
						     : "中国质量认证中心");
	snprintf(c.valid_from, sizeof(c.valid_from), "%s", from);
	zl_date_parse(from, &d);
	zl_date_format(d + 3 * 365 + 1, to);
	snprintf(c.valid_to, sizeof(c.valid_to), "%s", to);
	return zl_store_enterprise_cert_put(db, uscc, &c, NULL, err);
}

static int award(struct zl_db *db, const char *uscc, const char *kind, const char *name,
		 const char *on, struct zl_error *err)
{
	struct zl_ent_award a;

	memset(&a, 0, sizeof(a));
	snprintf(a.kind, sizeof(a.kind), "%s", kind);
	snprintf(a.name, sizeof(a.name), "%s", name);
	snprintf(a.awarded_on, sizeof(a.awarded_on), "%s", on);
	return zl_store_enterprise_award_put(db, uscc, &a, NULL, err);
}

struct ev_kind {
	const char *kind, *subkind, *title;
};

static const struct ev_kind ev_kinds[] = {
	{"spot_check", "passed", "产品质量监督抽查合格"},
	{"spot_check", "passed", "产品质量监督抽查合格"},
	{"spot_check", "failed", "产品质量监督抽查不合格"},
	{"penalty", "minor", "行政处罚：警告并处罚款"},
	{"penalty", "major", "行政处罚：没收违法所得并处罚款"},
	{"recall", "voluntary", "主动召回缺陷产品"},
	{"complaint", "upheld", "消费者投诉经核查属实"},
	{"interview", "safety", "质量安全约谈"},
	{"award", "granted", "获评质量标杆企业"},
	{"certification", "gained", "通过质量管理体系认证"},
};

static int events(struct zl_db *db, struct zl_rng *rng, const struct zl_enterprise *e,
		  const struct place *p, struct zl_error *err)
{
	struct zl_credit_event ev;
	char from[16];
	int n = 1 + (int)pick(rng, 4);

	for (int k = 0; k < n; k++) {
		const struct ev_kind *t = &ev_kinds[pick(rng, N(ev_kinds))];
		int rc;

		memset(&ev, 0, sizeof(ev));
		zl_strlcpy(ev.uscc, e->uscc, sizeof(ev.uscc));
		snprintf(ev.kind, sizeof(ev.kind), "%s", t->kind);
		snprintf(ev.subkind, sizeof(ev.subkind), "%s", t->subkind);
		date_between(rng, 2019, 2025, from);
		zl_strlcpy(ev.event_date, from, sizeof(ev.event_date));
		snprintf(ev.source_org, sizeof(ev.source_org), "%06d", p->city->code);
		snprintf(ev.doc_no, sizeof(ev.doc_no), "豫市监%s〔%.4s〕%d号",
			 !strcmp(t->kind, "penalty") ? "罚" : "抽", ev.event_date,
			 1 + (int)pick(rng, 300));
		snprintf(ev.title, sizeof(ev.title), "%s", t->title);
		snprintf(ev.created_by, sizeof(ev.created_by), "demo");
		zl_credit_apply_defaults(&ev, 1);
		rc = zl_store_credit_add(db, &ev, NULL, err);
		if (rc != ZL_OK)
			return rc;
	}
	return ZL_OK;
}

/* Certifications, awards, a former name and archive events of a new record. */
static int extras(struct zl_db *db, struct zl_rng *rng, const struct zl_enterprise *e,
		  const struct place *p, int div, const char *trade, const char *word,
		  struct zl_error *err)
{
	char from[16], num[64], name[256];
	int food = div <= 2, rc = ZL_OK;
	/* founded is YYYY-MM-DD (validated) or "". */
	int year = e->founded[0] ? (e->founded[0] - '0') * 1000 + (e->founded[1] - '0') * 100 +
					   (e->founded[2] - '0') * 10 + (e->founded[3] - '0')
				 : 0;
	if (chance(rng, 400)) {
		date_between(rng, 2016, 2024, from);
		snprintf(num, sizeof(num), "00%02dQ%05d%s", (int)pick(rng, 25),
			 (int)pick(rng, 100000), "R0M");
		rc = cert(db, e->uscc, "iso9001", num, from, err);
	}
	if (rc == ZL_OK && (food || div == 9 || div == 13 || div == 17 || div == 20) &&
	    chance(rng, 500)) {
		date_between(rng, 2018, 2024, from);
		snprintf(num, sizeof(num), "SC%s%06d", food ? "1" : "X", (int)pick(rng, 1000000));
		rc = cert(db, e->uscc, "production_licence", num, from, err);
	}
	if (rc == ZL_OK && (div == 25 || div == 26 || div == 23) && chance(rng, 400)) {
		date_between(rng, 2017, 2024, from);
		snprintf(num, sizeof(num), "20%02d01%010d", 17 + (int)pick(rng, 8),
			 (int)pick(rng, 1000000000));
		rc = cert(db, e->uscc, "ccc", num, from, err);
	}
	if (rc == ZL_OK && food && chance(rng, 150)) {
		static const char *const fk[] = {"green_food", "pollution_free", "organic",
						 "geo_indication"};
		date_between(rng, 2016, 2024, from);
		snprintf(num, sizeof(num), "LB-%06d", (int)pick(rng, 1000000));
		rc = cert(db, e->uscc, fk[pick(rng, N(fk))], num, from, err);
	}
	if (rc == ZL_OK && (div == 21 || div == 25) && chance(rng, 150)) {
		date_between(rng, 2018, 2024, from);
		snprintf(num, sizeof(num), "CQC%08d", (int)pick(rng, 100000000));
		rc = cert(db, e->uscc, chance(rng, 700) ? "energy_saving" : "low_carbon", num, from,
			  err);
	}
	if (rc == ZL_OK && chance(rng, 30)) {
		date_between(rng, 2010, 2024, from);
		snprintf(name, sizeof(name), "%s牌%s产品", trade, word);
		rc = award(db, e->uscc, "famous_brand", name, from, err);
	}
	if (rc == ZL_OK && chance(rng, 8)) {
		date_between(rng, 2005, 2018, from);
		snprintf(name, sizeof(name), "%s", trade);
		rc = award(db, e->uscc, "well_known_mark", name, from, err);
	}
	if (rc == ZL_OK && food && year > 0 && year < 1995 && chance(rng, 80)) {
		date_between(rng, 2006, 2011, from);
		rc = award(db, e->uscc, "time_honoured", e->name, from, err);
	}
	if (rc == ZL_OK && !strcmp(e->size_class, "large") && chance(rng, 20)) {
		date_between(rng, 2015, 2024, from);
		rc = award(db, e->uscc, "governor_quality_award", "河南省省长质量奖", from, err);
	}
	if (rc == ZL_OK && chance(rng, 60)) {
		char city[64];

		short_name(p->city->name, city, sizeof(city));
		snprintf(name, sizeof(name), "%s%s%s厂", city, trade, word);
		date_after(rng, e->founded, 3000, from);
		rc = zl_store_enterprise_former_name_add(db, e->uscc, name, from, NULL, err);
	}
	if (rc == ZL_OK && chance(rng, 100))
		rc = events(db, rng, e, p, err);
	return rc;
}

static int one(struct zl_db *db, struct zl_ent_bulk *bulk, struct zl_rng *rng,
	       const struct place *places, size_t np, uint64_t i, uint64_t off,
	       struct zl_error *err)
{
	struct zl_enterprise e;
	const struct place *p = &places[pick(rng, np)];
	int div = (int)pick(rng, N(divisions));
	const char *word = divisions[div].words[pick(rng, 4)];
	char trade[32], prefix[64], body[9];
	int new_style = chance(rng, 450), sz = size_pick(rng);
	enum zl_upsert_outcome o;
	int rc;

	memset(&e, 0, sizeof(e));
	snprintf(trade, sizeof(trade), "%s%s", trade_chars[pick(rng, N(trade_chars))],
		 trade_chars[pick(rng, N(trade_chars))]);
	subject_body(i, off, new_style, body);
	if ((rc = make_uscc(p->county, body, e.uscc)) != ZL_OK)
		return zl_error_set(err, rc, "uscc", "demo code generation failed");
	/* Names carry the city, sometimes the county (as registries write them). */
	if (p->county != p->city && strstr(p->county->name, "区") == NULL && chance(rng, 400))
		short_name(p->county->name, prefix, sizeof(prefix));
	else
		short_name(p->city->name, prefix, sizeof(prefix));
	snprintf(e.name, sizeof(e.name), "%s%s%s%s", prefix, trade, word,
		 sz >= 2 && chance(rng, 350) ? "股份有限公司" : "有限公司");
	snprintf(e.region, sizeof(e.region), "%06d", p->county->code);
	snprintf(e.industry, sizeof(e.industry), "%s", divisions[div].division);
	snprintf(e.address, sizeof(e.address), "河南省%s%s%s%d号", p->city->name,
		 p->county != p->city ? p->county->name : "", roads[pick(rng, N(roads))],
		 1 + (int)pick(rng, 999));
	person(rng, e.legal_rep, sizeof(e.legal_rep));
	snprintf(e.registered_capital, sizeof(e.registered_capital), "%d",
		 (int)(sz == 0	 ? 10 + pick(rng, 90)
		       : sz == 1 ? 100 + pick(rng, 900)
		       : sz == 2 ? 1000 + pick(rng, 9000)
				 : 10000 + pick(rng, 90000)));
	if (new_style)
		date_between(rng, 2016, 2024, e.founded);
	else
		date_between(rng, 1985, 2014, e.founded);
	snprintf(e.size_class, sizeof(e.size_class), "%s", size_classes[sz]);
	{
		int s = (int)pick(rng, 100);

		snprintf(e.status, sizeof(e.status), "%s",
			 s < 90	  ? "operating"
			 : s < 94 ? "revoked"
				  : "cancelled");
	}
	if (sz >= 2 && chance(rng, 600)) {
		person(rng, e.cqo_name, sizeof(e.cqo_name));
		date_between(rng, 2018, 2024, e.cqo_appointed);
	}
	rc = zl_enterprise_validate(&e, 0, err);
	if (rc != ZL_OK)
		return rc; /* a bug in the generator: the message names the field */
	rc = zl_store_enterprise_upsert_bulk(db, &e, "demo", bulk, &o, err);
	if (rc != ZL_OK || o != ZL_UPSERT_INSERTED)
		return rc;
	return extras(db, rng, &e, p, div, trade, word, err);
}

int zl_store_demo_enterprises(struct zl_db *db, struct zl_rng *rng, int n, struct zl_error *err)
{
	struct place places[256];
	size_t np = places_collect(places, N(places));
	struct zl_ent_bulk bulk = {0};
	uint64_t off;
	int rc;

	if (n < 0)
		return zl_error_set(err, ZL_EINVAL, "n", "negative count");
	if (np == 0)
		return zl_error_set(err, ZL_EINTERNAL, "region", "no county of Henan in force");
	/* Certifications, awards and former names are written as single changes in the
	 * same transaction: change rows are numbered as they are written, no counter. */
	bulk.next_seq = -1;
	off = zl_rng_u64(rng) % 100000000u;
	/* The names' postings are collected in memory and written once at
	 * the end, a row per gram; former names go in as delta rows, folded
	 * in by the same flush. */
	if (zl_gram_builder_new(&bulk.grams) != ZL_OK)
		return zl_error_set(err, ZL_ENOMEM, "demo", "out of memory");
	rc = zl_db_begin(db, err);
	if (rc != ZL_OK) {
		zl_gram_builder_free(bulk.grams);
		return rc;
	}
	for (int i = 0; i < n && rc == ZL_OK; i++) {
		/* Each record draws from its own stream, so what one record
		 * consumes (extras only on insert) never shifts the next. */
		unsigned char seed[ZL_RNG_SEED_BYTES];
		struct zl_rng sub;

		zl_rng_bytes(rng, seed, sizeof(seed));
		zl_rng_seed(&sub, seed);
		rc = one(db, &bulk, &sub, places, np, (uint64_t)i, off, err);
		zl_rng_release(&sub);
	}
	if (rc == ZL_OK)
		rc = zl_store_index_flush(db, bulk.grams, NULL, NULL, err);
	zl_gram_builder_free(bulk.grams);
	if (rc != ZL_OK) {
		zl_db_rollback(db);
		return rc;
	}
	return zl_db_commit(db, err);
}
