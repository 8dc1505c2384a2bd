/*
 * text.h - UTF-8 validation, encoding detection and conversion to UTF-8,
 * and full-width folding, for text that arrives from outside (uploaded
 * files, legacy exports, form fields).
 *
 * Zhiliang stores and emits UTF-8 only.  Files from provincial systems are
 * often GBK (read here as GB18030, its superset) or UTF-16 with a BOM;
 * zl_text_detect() guesses the encoding and zl_text_to_utf8() converts
 * through glibc iconv, failing with the byte offset and line of the first
 * bad sequence so the user can find it.  No global state; thread-safe.
 */
#ifndef ZL_CORE_TEXT_H
#define ZL_CORE_TEXT_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/err.h"

/*
 * Decode the UTF-8 sequence at the start of s[0..n) (n > 0).  Returns its
 * length (1..4) and stores the code point in *cp (if cp is non-NULL), or
 * returns 0 if the bytes there are not a complete, shortest-form sequence
 * of a Unicode scalar value (overlong forms, surrogates U+D800..U+DFFF,
 * values above U+10FFFF, stray continuation bytes, truncation).
 */
size_t zl_utf8_decode(const char *s, size_t n, uint32_t *cp);

/*
 * The length of the sequence at the start of s[0..n) (n > 0) as
 * zl_utf8_decode() counts it (0: invalid), without the code point: inline
 * for ASCII and the three-byte sequences of Chinese text, which validation
 * loops over whole files meet nearly always.
 */
static inline size_t zl_utf8_seq_len(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;

	if (p[0] < 0x80)
		return 1;
	/* E1..EC, EE, EF: any continuation bytes (E0 and ED restrict the second). */
	if (p[0] >= 0xE1 && p[0] != 0xED && p[0] <= 0xEF && n >= 3 && (p[1] & 0xC0) == 0x80 &&
	    (p[2] & 0xC0) == 0x80)
		return 3;
	return zl_utf8_decode(s, n, NULL);
}

/* 1 if s[0..n) is entirely valid UTF-8 (by zl_utf8_decode's rules), else 0. */
int zl_utf8_valid(const char *s, size_t n);

/* Value of an ASCII hex digit (0-9, a-f, A-F), or -1 for any other byte. */
int zl_hex_digit(unsigned char c);

/* Offset of the first invalid byte in s[0..n), or n if all of it is valid. */
size_t zl_utf8_invalid_at(const char *s, size_t n);

/*
 * Skip a leading UTF-8 byte order mark (EF BB BF): returns s or s + 3 and
 * reduces *n accordingly.
 */
const char *zl_utf8_strip_bom(const char *s, size_t *n);

enum zl_encoding {
	ZL_ENC_UTF8 = 0,    /* UTF-8 without BOM */
	ZL_ENC_UTF8_BOM,    /* UTF-8 starting with EF BB BF */
	ZL_ENC_UTF16LE_BOM, /* UTF-16 little-endian starting with FF FE */
	ZL_ENC_UTF16BE_BOM, /* UTF-16 big-endian starting with FE FF */
	ZL_ENC_GB18030,	    /* GB18030, which includes GBK and GB 2312 */
};

/*
 * Guess the encoding of s[0..n): a BOM decides first; otherwise text that
 * is valid UTF-8 (including pure ASCII and empty input) is ZL_ENC_UTF8,
 * and anything else is taken to be GB18030/GBK, the only other encoding
 * Chinese government systems produce without a BOM.
 */
enum zl_encoding zl_text_detect(const char *s, size_t n);

/* "utf-8", "utf-8-bom", "utf-16le", "utf-16be", "gb18030". */
const char *zl_encoding_name(enum zl_encoding enc);

/*
 * Append the text in[0..n), encoded as `enc`, to `out` as UTF-8 without a
 * BOM (a BOM that `enc` says is there is skipped; for ZL_ENC_UTF8 and
 * ZL_ENC_GB18030 none is expected).  UTF-8 input is validated, not
 * converted.  On an invalid or truncated sequence returns ZL_EINVAL with a
 * message naming the byte offset in `in` and the 1-based line number (and
 * `out` truncated back to its length on entry); ZL_ETOOBIG/ZL_ENOMEM when
 * `out` cannot grow; ZL_EINTERNAL when iconv lacks the conversion.
 */
int zl_text_to_utf8(const char *in, size_t n, enum zl_encoding enc, struct zl_buf *out,
		    struct zl_error *err);

/*
 * Append s[0..n) to `out`, replacing the full-width forms of ASCII
 * (U+FF01..U+FF5E, e.g. "ＡＢＣ１２３（）") by their ASCII counterparts
 * (0x21..0x7E) and the ideographic space U+3000 by ' '.  Everything else,
 * including invalid bytes, is copied unchanged.  Returns ZL_OK or the
 * buffer's error.
 */
int zl_text_fold_fullwidth(const char *s, size_t n, struct zl_buf *out);
/*
 * The same into `out`, which has room for n bytes (the folded text is
 * never longer); not NUL-terminated.  Returns the length written.
 */
size_t zl_text_fold_fullwidth_to(const char *s, size_t n, char *out);

#endif /* ZL_CORE_TEXT_H */
