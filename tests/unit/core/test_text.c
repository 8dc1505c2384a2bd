/*
 * test_text.c - UTF-8 validation edge cases, encoding detection, GBK and
 * UTF-16 conversion through iconv with offset/line errors, and full-width
 * folding; the inline sequence length and the word-at-a-time validator
 * against the plain decoder.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/text.h"

#define L(lit) lit, sizeof(lit) - 1

static void test_utf8_valid(void **state)
{
	(void)state;
	assert_true(zl_utf8_valid(L("")));
	assert_true(zl_utf8_valid(L("plain ASCII\n\t")));
	assert_true(zl_utf8_valid(L("质量 😀 é \xf4\x8f\xbf\xbf \xef\xbf\xbf")));
	assert_true(zl_utf8_valid("a\0b", 3));		    /* NUL is a valid character */
	assert_false(zl_utf8_valid(L("\x80")));		    /* lone continuation */
	assert_false(zl_utf8_valid(L("\xc0\xaf")));	    /* overlong '/' */
	assert_false(zl_utf8_valid(L("\xc1\xbf")));	    /* overlong */
	assert_false(zl_utf8_valid(L("\xe0\x9f\xbf")));	    /* overlong 3-byte */
	assert_false(zl_utf8_valid(L("\xf0\x8f\xbf\xbf"))); /* overlong 4-byte */
	assert_false(zl_utf8_valid(L("\xed\xa0\x80")));	    /* U+D800 */
	assert_false(zl_utf8_valid(L("\xed\xbf\xbf")));	    /* U+DFFF */
	assert_true(zl_utf8_valid(L("\xed\x9f\xbf")));	    /* U+D7FF */
	assert_false(zl_utf8_valid(L("\xf4\x90\x80\x80"))); /* U+110000 */
	assert_false(zl_utf8_valid(L("\xf5\x80\x80\x80")));
	assert_false(zl_utf8_valid(L("\xff")));
	assert_false(zl_utf8_valid(L("\xe8\xb4")));	    /* truncated 质 */
	assert_false(zl_utf8_valid(L("\xe8\xb4\x28")));	    /* bad continuation */
	assert_false(zl_utf8_valid(L("\xd6\xca\xc1\xbf"))); /* GBK 质量 */
	assert_int_equal(zl_utf8_invalid_at(L("abc\xe8\xb4\xa8\xe8\xb4")), 6);
	assert_int_equal(zl_utf8_invalid_at(L("abc")), 3);
}

static void test_decode(void **state)
{
	uint32_t cp = 0;

	(void)state;
	assert_int_equal(zl_utf8_decode(L("A"), &cp), 1);
	assert_int_equal(cp, 'A');
	assert_int_equal(zl_utf8_decode(L("\xc3\xa9"), &cp), 2);
	assert_int_equal(cp, 0xe9);
	assert_int_equal(zl_utf8_decode(L("\xe8\xb4\xa8"), &cp), 3);
	assert_int_equal(cp, 0x8d28);
	assert_int_equal(zl_utf8_decode(L("\xf0\x9f\x98\x80"), &cp), 4);
	assert_int_equal(cp, 0x1f600);
	assert_int_equal(zl_utf8_decode("\xe8\xb4\xa8", 2, &cp), 0);
	assert_int_equal(zl_utf8_decode("", 0, &cp), 0);
}

/* zl_utf8_seq_len() says what zl_utf8_decode() says, for every lead and second byte. */
static void test_seq_len(void **state)
{
	static const unsigned char tail[] = {0x00, 0x41, 0x7f, 0x80, 0x8f, 0x90,
					     0x9f, 0xa0, 0xbf, 0xc0, 0xe0, 0xff};
	unsigned char s[4];

	(void)state;
	for (unsigned b0 = 0; b0 < 256; b0++)
		for (unsigned b1 = 0; b1 < 256; b1++)
			for (size_t t = 0; t < sizeof(tail); t++)
				for (size_t n = 1; n <= 4; n++) {
					s[0] = (unsigned char)b0;
					s[1] = (unsigned char)b1;
					s[2] = tail[t];
					s[3] = tail[(t + 3) % sizeof(tail)];
					assert_int_equal(zl_utf8_seq_len((const char *)s, n),
							 zl_utf8_decode((const char *)s, n, NULL));
				}
}

/* The first bad byte is found wherever it falls among runs of ASCII and Chinese. */
static void test_invalid_at_words(void **state)
{
	char s[64];

	(void)state;
	for (size_t at = 0; at < 40; at++) {
		size_t i = 0;

		while (i < at) {
			if (at - i >= 3 && (i % 7) == 3) {
				memcpy(s + i, "质", 3);
				i += 3;
			} else {
				s[i] = (char)('a' + i % 26);
				i++;
			}
		}
		s[i] = (char)0xff;
		memset(s + i + 1, 'z', sizeof(s) - i - 1);
		assert_int_equal(zl_utf8_invalid_at(s, sizeof(s)), i);
		assert_int_equal(zl_utf8_invalid_at(s, i), i);
	}
}

static void test_bom_and_detect(void **state)
{
	size_t n = 6;
	const char *p = zl_utf8_strip_bom("\xef\xbb\xbf"
					  "abc",
					  &n);

	(void)state;
	assert_int_equal(n, 3);
	assert_memory_equal(p, "abc", 3);
	n = 2;
	p = zl_utf8_strip_bom("\xef\xbb", &n);
	assert_int_equal(n, 2);
	assert_int_equal(zl_text_detect(L("\xef\xbb\xbf\xd6\xca")), ZL_ENC_UTF8_BOM);
	assert_int_equal(zl_text_detect(L("\xff\xfe\x28\x8d")), ZL_ENC_UTF16LE_BOM);
	assert_int_equal(zl_text_detect(L("\xfe\xff\x8d\x28")), ZL_ENC_UTF16BE_BOM);
	assert_int_equal(zl_text_detect(L("")), ZL_ENC_UTF8);
	assert_int_equal(zl_text_detect(L("name,code\n")), ZL_ENC_UTF8);
	assert_int_equal(zl_text_detect(L("质量")), ZL_ENC_UTF8);
	assert_int_equal(zl_text_detect(L("\xd6\xca\xc1\xbf")), ZL_ENC_GB18030);
	assert_string_equal(zl_encoding_name(ZL_ENC_GB18030), "gb18030");
	assert_string_equal(zl_encoding_name(ZL_ENC_UTF16LE_BOM), "utf-16le");
}

static void convert_ok(const char *in, size_t n, enum zl_encoding enc, const char *expect)
{
	struct zl_buf b = ZL_BUF_INIT(1 << 20);
	struct zl_error e = ZL_ERROR_INIT;

	zl_buf_adds(&b, "pre:");
	if (zl_text_to_utf8(in, n, enc, &b, &e) != ZL_OK)
		fail_msg("conversion failed: %s", e.message);
	assert_string_equal(zl_buf_str(&b) + 4, expect);
	zl_buf_release(&b);
}

static void convert_bad(const char *in, size_t n, enum zl_encoding enc, const char *msg)
{
	struct zl_buf b = ZL_BUF_INIT(1 << 20);
	struct zl_error e = ZL_ERROR_INIT;

	zl_buf_adds(&b, "pre:");
	assert_int_equal(zl_text_to_utf8(in, n, enc, &b, &e), ZL_EINVAL);
	if (!strstr(e.message, msg))
		fail_msg("message '%s' lacks '%s'", e.message, msg);
	/* The output is rolled back to what it held before. */
	assert_string_equal(zl_buf_str(&b), "pre:");
	assert_int_equal(b.err, 0);
	zl_buf_release(&b);
}

static void test_gbk(void **state)
{
	(void)state;
	/* 质量 in GBK; 河南省 (GB 2312 subset); 镕 (GBK-only, not in GB 2312) */
	convert_ok(L("\xd6\xca\xc1\xbf"), ZL_ENC_GB18030, "质量");
	convert_ok(L("\xba\xd3\xc4\xcf\xca\xa1,410000\r\n"), ZL_ENC_GB18030, "河南省,410000\r\n");
	convert_ok(L("\xe9\x46"), ZL_ENC_GB18030, "镕");
	/* A GB18030 four-byte sequence: U+00A5 (yen sign) is 81 30 84 36. */
	convert_ok(L("\x81\x30\x84\x36"), ZL_ENC_GB18030, "\xc2\xa5");
	convert_ok(L(""), ZL_ENC_GB18030, "");
	/* Truncated: the lead byte of 量 at the very end, on line 3. */
	convert_bad(L("a\r\nb\n\xd6\xca\xc1"), ZL_ENC_GB18030,
		    "truncated GB18030 sequence at byte offset 7 (line 3)");
	/* Invalid: 0xFF is never a GB18030 lead byte (offset 5, line 2). */
	convert_bad(L("ab\n\xd6\xca\xff\x30"), ZL_ENC_GB18030, "at byte offset 5 (line 2)");
}

static void test_gbk_large(void **state)
{
	struct zl_buf b = ZL_BUF_INIT(1 << 22);
	struct zl_buf in = ZL_BUF_INIT(1 << 22);
	struct zl_error e = ZL_ERROR_INIT;
	int i;

	(void)state;
	/* Bigger than iconv's internal chunk, with a 2-byte char straddling chunk ends. */
	zl_buf_addch(&in, 'x');
	for (i = 0; i < 20000; i++)
		zl_buf_add(&in, "\xd6\xca\xc1\xbf\n", 5);
	assert_int_equal(zl_text_to_utf8(in.data, in.len, ZL_ENC_GB18030, &b, &e), ZL_OK);
	assert_int_equal(b.len, 1 + 20000 * 7);
	assert_memory_equal(b.data + b.len - 7, "质量\n", 7);
	/* A bad byte at the end: the line count covers all 20000 lines. */
	zl_buf_addch(&in, (char)0xff);
	zl_buf_reset(&b);
	assert_int_equal(zl_text_to_utf8(in.data, in.len, ZL_ENC_GB18030, &b, &e), ZL_EINVAL);
	assert_non_null(strstr(e.message, "byte offset 100001 (line 20001)"));
	assert_int_equal(b.len, 0);
	/* Output cap. */
	{
		struct zl_buf small = ZL_BUF_INIT(1000);

		in.len--;
		assert_int_equal(zl_text_to_utf8(in.data, in.len, ZL_ENC_GB18030, &small, &e),
				 ZL_ETOOBIG);
		zl_buf_release(&small);
	}
	zl_buf_release(&in);
	zl_buf_release(&b);
}

static void test_utf16_and_utf8(void **state)
{
	(void)state;
	convert_ok(L("\xff\xfe\x28\x8d\xcf\x91\n\0"), ZL_ENC_UTF16LE_BOM, "质量\n");
	convert_ok(L("\xfe\xff\x8d\x28\x91\xcf"), ZL_ENC_UTF16BE_BOM, "质量");
	/* Surrogate pair U+1F600 in UTF-16LE. */
	convert_ok(L("\xff\xfe\x3d\xd8\x00\xde"), ZL_ENC_UTF16LE_BOM, "😀");
	/* Odd byte count: truncated unit. */
	convert_bad(L("\xff\xfe\x41\x00\x0a\x00\x42"), ZL_ENC_UTF16LE_BOM,
		    "truncated UTF-16LE sequence at byte offset 6 (line 2)");
	/* Lone low surrogate. */
	convert_bad(L("\xff\xfe\x41\x00\x00\xdc\x41\x00"), ZL_ENC_UTF16LE_BOM, "byte offset 4");
	convert_ok(L("\xef\xbb\xbf"
		     "a,b"),
		   ZL_ENC_UTF8_BOM, "a,b");
	convert_ok(L("质量"), ZL_ENC_UTF8, "质量");
	convert_bad(L("\xef\xbb\xbf"
		      "ok\n\xe8\xb4"),
		    ZL_ENC_UTF8_BOM, "invalid UTF-8 at byte offset 6 (line 2)");
	convert_bad(L("line1\nline2\nx\xc0\xaf"), ZL_ENC_UTF8,
		    "invalid UTF-8 at byte offset 13 (line 3)");
}

static void fold(const char *in, size_t n, const char *expect)
{
	struct zl_buf b = ZL_BUF_INIT(4096);

	assert_int_equal(zl_text_fold_fullwidth(in, n, &b), ZL_OK);
	assert_string_equal(zl_buf_str(&b), expect);
	zl_buf_release(&b);
}

static void test_fold_fullwidth(void **state)
{
	(void)state;
	fold(L("９１４１０１００ＭＡ３Ｘ７Ｇ８Ｌ２Ａ"), "91410100MA3X7G8L2A");
	fold(L("郑州（宇通）客车　股份，有限公司！～"), "郑州(宇通)客车 股份,有限公司!~");
	fold(L("ａｚＡＺ０９＠［｀｛"), "azAZ09@[`{");
	/* Not folded: U+FF5F (｟), U+FF61 (halfwidth ideographic full stop), 。, 、 */
	fold(L("\xef\xbd\x9f\xef\xbd\xa1。、"), "\xef\xbd\x9f\xef\xbd\xa1。、");
	/* Truncated and invalid bytes pass through unchanged. */
	fold(L("a\xef\xbc"), "a\xef\xbc");
	fold(L("\xe3\x80"), "\xe3\x80");
	fold(L("\xff\xef"), "\xff\xef");
	fold(L(""), "");
	/* Longer than the buffer may grow, shorter once folded: fits. */
	{
		struct zl_buf b = ZL_BUF_INIT(8);
		char out[32];

		assert_int_equal(zl_text_fold_fullwidth(L("ＡＢＣＤＥＦ"), &b), ZL_OK);
		assert_string_equal(zl_buf_str(&b), "ABCDEF");
		assert_int_equal(zl_text_fold_fullwidth(L("ＡＢＣ"), &b), ZL_ETOOBIG);
		zl_buf_release(&b);
		assert_int_equal(zl_text_fold_fullwidth_to(L("ｘ　ｙ"), out), 3);
		assert_memory_equal(out, "x y", 3);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_utf8_valid),	 cmocka_unit_test(test_decode),
		cmocka_unit_test(test_bom_and_detect),	 cmocka_unit_test(test_gbk),
		cmocka_unit_test(test_gbk_large),	 cmocka_unit_test(test_utf16_and_utf8),
		cmocka_unit_test(test_fold_fullwidth),	 cmocka_unit_test(test_seq_len),
		cmocka_unit_test(test_invalid_at_words),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
