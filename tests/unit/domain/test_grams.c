/*
 * test_grams.c - the bigram rules shared by the enterprise register and
 * name search (domain/grams.h).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "domain/grams.h"

static size_t grams_of(const char *s, char g[][ZL_GRAM_SIZE], size_t max)
{
	return zl_name_grams(s, strlen(s), g, max);
}

static void test_chinese(void **state)
{
	char g[ZL_NAME_GRAMS_MAX][ZL_GRAM_SIZE];
	size_t n;

	(void)state;
	n = grams_of("郑州宇通客车", g, ZL_NAME_GRAMS_MAX);
	assert_int_equal(n, 9);
	assert_string_equal(g[0], "郑州");
	assert_string_equal(g[1], "州宇");
	assert_string_equal(g[2], "郑州宇");
	assert_string_equal(g[3], "宇通");
	assert_string_equal(g[4], "州宇通");
	assert_string_equal(g[5], "通客");
	assert_string_equal(g[6], "宇通客");
	assert_string_equal(g[7], "客车");
	assert_string_equal(g[8], "通客车");
}

static void test_punctuation_removed(void **state)
{
	char g[ZL_NAME_GRAMS_MAX][ZL_GRAM_SIZE];
	size_t n;

	(void)state;
	/* full-width brackets, ideographic space, ASCII space and dot are removed */
	n = grams_of("宇通（郑州）\xe3\x80\x80 A.B", g, ZL_NAME_GRAMS_MAX);
	assert_int_equal(n, 9);
	assert_string_equal(g[0], "宇通");
	assert_string_equal(g[1], "通郑");
	assert_string_equal(g[2], "宇通郑");
	assert_string_equal(g[3], "郑州");
	assert_string_equal(g[4], "通郑州");
	assert_string_equal(g[5], "州a");
	assert_string_equal(g[6], "郑州a");
	assert_string_equal(g[7], "ab");
	assert_string_equal(g[8], "州ab");
}

static void test_ascii_and_fullwidth_fold(void **state)
{
	char g[ZL_NAME_GRAMS_MAX][ZL_GRAM_SIZE];
	size_t n;

	(void)state;
	n = grams_of("ＡＢＣ１", g, ZL_NAME_GRAMS_MAX);
	assert_int_equal(n, 5);
	assert_string_equal(g[0], "ab");
	assert_string_equal(g[1], "bc");
	assert_string_equal(g[2], "abc");
	assert_string_equal(g[3], "c1");
	assert_string_equal(g[4], "bc1");
	assert_int_equal(grams_of("AB", g, ZL_NAME_GRAMS_MAX), 1);
	assert_string_equal(g[0], "ab");
}

/*
 * Names over a small alphabet repeat grams often: every gram once, in order
 * of first occurrence, checked against a plain quadratic reference.
 */
/*
 * The grams by the rules, from the kept characters ch[0..nc): every two and
 * three adjacent ones, in order, each once; a lone character alone.
 */
static size_t ref_grams(char ch[][5], size_t nc, char ref[][ZL_GRAM_SIZE])
{
	size_t nref = 0;

	for (size_t i = 1; i < nc; i++) {
		for (size_t w = 2; w <= 3 && w <= i + 1; w++) {
			char cand[ZL_GRAM_SIZE] = "";
			size_t k, cl = 0;

			for (k = i + 1 - w; k <= i; k++)
				cl += (size_t)snprintf(cand + cl, sizeof(cand) - cl, "%s", ch[k]);
			for (k = 0; k < nref && strcmp(ref[k], cand) != 0; k++)
				;
			if (k == nref)
				memcpy(ref[nref++], cand, sizeof(cand));
		}
	}
	if (nc == 1)
		snprintf(ref[nref++], ZL_GRAM_SIZE, "%s", ch[0]);
	return nref;
}

static void test_duplicates_random(void **state)
{
	static const char *const alpha[] = {"有", "限", "公", "司", "a", "1"};
	char g[ZL_NAME_GRAMS_MAX][ZL_GRAM_SIZE];
	uint32_t x = 12345;

	(void)state;
	for (int round = 0; round < 500; round++) {
		char name[200 * 3 + 1], ch[200][5], ref[ZL_NAME_GRAMS_MAX][ZL_GRAM_SIZE];
		size_t len = 0, nc, nref, n;

		x = x * 1103515245u + 12345u;
		nc = 1 + (x >> 16) % 200;
		for (size_t i = 0; i < nc; i++) {
			x = x * 1103515245u + 12345u;
			snprintf(ch[i], sizeof(ch[i]), "%s", alpha[(x >> 16) % 6]);
			memcpy(name + len, ch[i], strlen(ch[i]));
			len += strlen(ch[i]);
		}
		name[len] = '\0';
		nref = ref_grams(ch, nc, ref);
		n = grams_of(name, g, ZL_NAME_GRAMS_MAX);
		assert_int_equal(n, nref);
		for (size_t k = 0; k < n; k++)
			assert_string_equal(g[k], ref[k]);
	}
}

/*
 * Every kind of character, at random: what zl_name_grams() gives is what
 * the rules give through zl_gram_char() one character at a time, and every
 * slot is zero-padded to its end.
 */
static void test_against_the_rules(void **state)
{
	/* ASCII and full-width boundaries, punctuation, the edges of the inline CJK range
	 * (U+4000, U+3FFF, U+A000, U+9FFF), U+F900 (a compatibility ideograph: kept), Latin-1,
	 * emoji, invalid and truncated bytes, a surrogate, the ideographic space. */
	/* clang-format off */
	static const char *const alpha[] = {
		"有", "限", "0", "9", "a", "z", "A", "Z", "@", "[", "`", "{", "/", ":", " ",
		"-", "(", "０", "９", "Ａ", "Ｚ", "ａ", "ｚ", "＠", "，", "、", "〇",
		"\xE4\x80\x80", "\xE3\xBF\xBF", "\xEA\x80\x80", "\xEF\xA4\x80", "é", "😀", "\xFF",
		"\x80", "\xE4\x80", "\xED\xA0\x80", "\xE4\xB8\x80", "\xE9\xBF\xBF", "\xE3\x80\x80",
	};
	/* clang-format on */
	const size_t na = sizeof(alpha) / sizeof(alpha[0]);
	char g[ZL_NAME_GRAMS_MAX][ZL_GRAM_SIZE];
	uint32_t x = 777;

	(void)state;
	for (int round = 0; round < 3000; round++) {
		char name[120 * 4 + 1], ch[120][5], ref[ZL_NAME_GRAMS_MAX][ZL_GRAM_SIZE];
		size_t len = 0, nc = 0, nref, n, i, adv, parts;

		x = x * 1103515245u + 12345u;
		parts = (x >> 16) % 120;
		for (i = 0; i < parts; i++) {
			const char *a;

			x = x * 1103515245u + 12345u;
			a = alpha[(x >> 16) % na];
			memcpy(name + len, a, strlen(a));
			len += strlen(a);
		}
		name[len] = '\0';
		for (i = 0; i < len; i += adv)
			if (zl_gram_char(name + i, len - i, &adv, ch[nc]))
				nc++;
		nref = ref_grams(ch, nc, ref);
		memset(g, 0x55, sizeof(g));
		n = zl_name_grams(name, len, g, ZL_NAME_GRAMS_MAX);
		assert_int_equal(n, nref);
		for (size_t k = 0; k < n; k++) {
			assert_string_equal(g[k], ref[k]);
			for (size_t b = strlen(g[k]); b < ZL_GRAM_SIZE; b++)
				assert_int_equal(g[k][b], 0);
		}
	}
}

static void test_duplicates_once(void **state)
{
	char g[ZL_NAME_GRAMS_MAX][ZL_GRAM_SIZE];

	(void)state;
	/* 有限有限: 有限, 限有, 有限有, 限有限 (the second 有限 is dropped) */
	assert_int_equal(grams_of("有限有限", g, ZL_NAME_GRAMS_MAX), 4);
	assert_string_equal(g[0], "有限");
	assert_string_equal(g[1], "限有");
	assert_string_equal(g[2], "有限有");
	assert_string_equal(g[3], "限有限");
	/* 200 different characters: 199 bigrams and 198 trigrams fit */
	{
		char name[200 * 3 + 1];
		size_t i;

		for (i = 0; i < 200; i++) {
			/* U+4E00 + i: E4 B8 80 + i (all within one lead byte row pair) */
			unsigned cp = 0x4E00 + (unsigned)i;
			name[3 * i] = (char)(0xE0 | (cp >> 12));
			name[3 * i + 1] = (char)(0x80 | ((cp >> 6) & 0x3F));
			name[3 * i + 2] = (char)(0x80 | (cp & 0x3F));
		}
		name[600] = '\0';
		assert_int_equal(grams_of(name, g, ZL_NAME_GRAMS_MAX), 199 + 198);
	}
}

static void test_single_and_empty(void **state)
{
	char g[ZL_NAME_GRAMS_MAX][ZL_GRAM_SIZE];

	(void)state;
	assert_int_equal(grams_of("鑫", g, ZL_NAME_GRAMS_MAX), 1);
	assert_string_equal(g[0], "鑫");
	assert_int_equal(grams_of("（鑫）", g, ZL_NAME_GRAMS_MAX), 1);
	assert_string_equal(g[0], "鑫");
	assert_int_equal(grams_of("", g, ZL_NAME_GRAMS_MAX), 0);
	assert_int_equal(grams_of(" ,.()（）", g, ZL_NAME_GRAMS_MAX), 0);
	assert_int_equal(grams_of("鑫", g, 0), 0);
}

static void test_four_byte_and_invalid(void **state)
{
	char g[ZL_NAME_GRAMS_MAX][ZL_GRAM_SIZE];

	(void)state;
	/* U+20BB7 (𠮷, 4 bytes) three times: grams of 8 and 12 bytes */
	assert_int_equal(
		grams_of("\xf0\xa0\xae\xb7\xf0\xa0\xae\xb7\xf0\xa0\xae\xb7", g, ZL_NAME_GRAMS_MAX),
		2);
	assert_int_equal(strlen(g[0]), 8);
	assert_int_equal(strlen(g[1]), 12);
	/* an invalid byte between two characters is removed like punctuation */
	assert_int_equal(grams_of("宇\xff通", g, ZL_NAME_GRAMS_MAX), 1);
	assert_string_equal(g[0], "宇通");
	/* 〇 is a character of names, not punctuation */
	assert_int_equal(grams_of("三〇", g, ZL_NAME_GRAMS_MAX), 1);
	assert_string_equal(g[0], "三〇");
}

static void test_max_caps(void **state)
{
	char g[2][ZL_GRAM_SIZE];

	(void)state;
	assert_int_equal(grams_of("郑州宇通客车", g, 2), 2);
	assert_string_equal(g[1], "州宇");
	assert_int_equal(grams_of("郑州宇通客车", g, 1), 1);
}

static void test_len_and_char(void **state)
{
	char c[5];
	size_t adv;

	(void)state;
	assert_int_equal(zl_gram_len("宇通", 6), 2);
	assert_int_equal(zl_gram_len("(宇) ", 6), 1);
	assert_int_equal(zl_gram_len("", 0), 0);
	assert_int_equal(zl_gram_char("Ｑx", 4, &adv, c), 1);
	assert_int_equal(adv, 3);
	assert_string_equal(c, "q");
	assert_int_equal(zl_gram_char("，", 3, &adv, c), 0);
	assert_int_equal(adv, 3);
	assert_string_equal(c, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_chinese),
		cmocka_unit_test(test_punctuation_removed),
		cmocka_unit_test(test_ascii_and_fullwidth_fold),
		cmocka_unit_test(test_duplicates_once),
		cmocka_unit_test(test_duplicates_random),
		cmocka_unit_test(test_against_the_rules),
		cmocka_unit_test(test_single_and_empty),
		cmocka_unit_test(test_four_byte_and_invalid),
		cmocka_unit_test(test_max_caps),
		cmocka_unit_test(test_len_and_char),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
