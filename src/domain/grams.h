/*
 * grams.h - the character bigrams and trigrams that index enterprise
 * names for fragment search (issue 4, "find anyone fast").
 *
 * SQLite's FTS5 trigram tokenizer cannot answer two-character Chinese
 * fragments (DESIGN.md), so the register stores, for every current and
 * former name, the set of its character bigrams and trigrams in
 * enterprise_grams, and a search splits its query by the same rules: a
 * fragment of two or three characters is then one exact index lookup, a
 * longer one the AND of its trigrams (confirmed by a substring test).  Both sides MUST
 * use these functions, or the index and the query drift apart.
 *
 * The rules, on the UTF-8 text of a name:
 *   - the name is read as a sequence of characters (code points);
 *   - whitespace and punctuation (ASCII, general punctuation, CJK symbols
 *     and punctuation, full-width punctuation, brackets) are skipped, that
 *     is removed: "宇通(郑州)" is read as 宇通郑州;
 *   - full-width ASCII letters and digits fold to ASCII ("Ａ１" -> "a1"),
 *     and ASCII letters are lower-cased;
 *   - invalid UTF-8 bytes are skipped like punctuation;
 *   - every two and every three adjacent kept characters are one gram each
 *     (the bytes of the characters concatenated), in order of position,
 *     the bigram ending at a character before the trigram ending there;
 *     duplicates are kept once;
 *   - a name with exactly one kept character yields that character alone
 *     as its single gram; a name with none yields no gram.
 *
 * Pure, no allocation, thread-safe.
 */
#ifndef ZL_DOMAIN_GRAMS_H
#define ZL_DOMAIN_GRAMS_H

#include <stddef.h>

/* Bytes of one gram buffer: three characters of up to 4 bytes and a NUL. */
#define ZL_GRAM_SIZE 13

/*
 * Grams of a name of up to 200 characters never exceed this count (199
 * bigrams and 198 trigrams; the register validates names to 2..200
 * characters).
 */
#define ZL_NAME_GRAMS_MAX 400

/*
 * Read the character at s[0..n) (n > 0).  Stores in *adv the number of
 * bytes it occupies (>= 1) and returns 1 with its normalised UTF-8 bytes,
 * NUL-terminated, in out (at most 4 bytes + NUL) when the character is kept
 * for indexing, or 0 when the rules above skip it (out is then "").
 */
int zl_gram_char(const char *s, size_t n, size_t *adv, char out[5]);

/*
 * The distinct grams of s[0..n), in order of first occurrence, written as
 * NUL-terminated strings into grams[0..max), each slot zero-padded to its
 * end (so a slot's first ZL_GRAM_SIZE - 1 bytes are a fixed-size key).
 * Returns how many were written (never more than max; a longer name's
 * later grams are dropped, so pass max >= ZL_NAME_GRAMS_MAX for a
 * validated name).
 */
size_t zl_name_grams(const char *s, size_t n, char grams[][ZL_GRAM_SIZE], size_t max);

/*
 * Number of characters of s[0..n) the rules keep (the length of the
 * normalised text).  A search uses it to tell a one-character query (no
 * gram can answer it) from a longer one.
 */
size_t zl_gram_len(const char *s, size_t n);

#endif /* ZL_DOMAIN_GRAMS_H */
