/*
 * grams.c - character bigrams of enterprise names (see grams.h for the
 * rules, which the register and the search share).
 */
#include "domain/grams.h"

#include <stdint.h>
#include <string.h>

#include "core/text.h"

/* 1 if the code point is whitespace or punctuation that indexing ignores. */
static int skipped(uint32_t cp)
{
	if (cp < 0x80)
		return !((cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') ||
			 (cp >= 'A' && cp <= 'Z'));
	if (cp <= 0xBF || cp == 0xD7 || cp == 0xF7) /* C1 controls, Latin-1 symbols, x, / */
		return 1;
	if (cp >= 0x2000 && cp <= 0x206F) /* general punctuation and spaces */
		return 1;
	if (cp >= 0x2E00 && cp <= 0x2E7F) /* supplemental punctuation */
		return 1;
	/* CJK symbols and punctuation, except the iteration marks and 〇
	 * (U+3005..U+3007), which are written as part of names. */
	if (cp >= 0x3000 && cp <= 0x303F)
		return !(cp >= 0x3005 && cp <= 0x3007);
	if (cp >= 0xFE30 && cp <= 0xFE6F) /* vertical and small forms */
		return 1;
	if (cp >= 0xFF01 && cp <= 0xFF65) /* full-width punctuation (letters fold earlier) */
		return 1;
	if (cp >= 0xFFE0 && cp <= 0xFFEE) /* full-width symbols */
		return 1;
	if (cp == 0xFEFF)
		return 1;
	return 0;
}

int zl_gram_char(const char *s, size_t n, size_t *adv, char out[5])
{
	uint32_t cp = 0;
	size_t len = zl_utf8_decode(s, n, &cp);

	out[0] = '\0';
	if (len == 0) {
		*adv = 1; /* an invalid byte is skipped on its own */
		return 0;
	}
	*adv = len;
	/* Full-width letters and digits are the same name as their ASCII forms. */
	if ((cp >= 0xFF10 && cp <= 0xFF19) || (cp >= 0xFF21 && cp <= 0xFF3A) ||
	    (cp >= 0xFF41 && cp <= 0xFF5A))
		cp -= 0xFEE0;
	if (skipped(cp))
		return 0;
	if (cp < 0x80) {
		out[0] = (char)(cp >= 'A' && cp <= 'Z' ? cp + ('a' - 'A') : cp);
		out[1] = '\0';
		return 1;
	}
	memcpy(out, s, len);
	out[len] = '\0';
	return 1;
}

size_t zl_gram_len(const char *s, size_t n)
{
	size_t i = 0, adv, count = 0;
	char c[5];

	while (i < n) {
		count += (size_t)zl_gram_char(s + i, n - i, &adv, c);
		i += adv;
	}
	return count;
}

/*
 * zl_gram_char() for what names are made of, inline: ASCII, and the
 * three-byte sequences E4..E9 (U+4000..U+9FFF: CJK ideographs, none of
 * them skipped or folded); anything else through zl_gram_char().  Returns
 * the length of the kept character in out (not NUL-terminated), 0 when the
 * rules skip it; *adv as zl_gram_char() sets it.
 */
static size_t next_char(const char *s, size_t n, size_t *adv, char out[5])
{
	const unsigned char *u = (const unsigned char *)s;

	if (u[0] < 0x80) {
		*adv = 1;
		if ((u[0] >= 'a' && u[0] <= 'z') || (u[0] >= '0' && u[0] <= '9')) {
			out[0] = (char)u[0];
			return 1;
		}
		if (u[0] >= 'A' && u[0] <= 'Z') {
			out[0] = (char)(u[0] + ('a' - 'A'));
			return 1;
		}
		return 0;
	}
	if (u[0] >= 0xE4 && u[0] <= 0xE9 && n >= 3 && (u[1] & 0xC0) == 0x80 &&
	    (u[2] & 0xC0) == 0x80) {
		*adv = 3;
		memcpy(out, s, 3);
		return 3;
	}
	return zl_gram_char(s, n, adv, out) ? strlen(out) : 0;
}

/*
 * Append the concatenation of k characters (c[i], of len[i] bytes, each
 * in 4 bytes zero-padded) as a gram unless already there; every slot is
 * written whole, zero-padded.  `bloom` (256 bits) remembers hashes of the
 * grams added: most grams of a name are new, and the filter spares them
 * the scan of the earlier ones.
 */
static void add_gram(char grams[][ZL_GRAM_SIZE], size_t *count, size_t max, char *const *c,
		     const size_t *len, size_t k, uint64_t bloom[4])
{
	/* 16 bytes: each character is copied as its 4 (zero-padded) bytes, so the copies are
	 * fixed-size and what follows the gram is zero. */
	char g[16];
	size_t n = 0;
	uint64_t w0, w1, h, bit;

	if (*count >= max)
		return;
	memset(g, 0, sizeof(g));
	for (size_t i = 0; i < k; i++) {
		memcpy(g + n, c[i], 4);
		n += len[i];
	}
	memcpy(&w0, g, 8);
	memcpy(&w1, g + 8, 8);
	h = (w0 ^ (w1 * UINT64_C(0x9E3779B97F4A7C15))) * UINT64_C(0xD6E8FEB86659FD93);
	h ^= h >> 32;
	bit = (uint64_t)1 << (h & 63);
	if (bloom[(h >> 6) & 3] & bit) {
		for (size_t i = 0; i < *count; i++)
			if (memcmp(grams[i], g, ZL_GRAM_SIZE) == 0)
				return;
	}
	bloom[(h >> 6) & 3] |= bit;
	memcpy(grams[(*count)++], g, ZL_GRAM_SIZE);
}

size_t zl_name_grams(const char *s, size_t n, char grams[][ZL_GRAM_SIZE], size_t max)
{
	/* The last three kept characters, oldest first, each zero-padded to 4 bytes. */
	char win[3][5];
	char *c[3] = {win[0], win[1], win[2]};
	size_t len[3] = {0, 0, 0};
	uint64_t bloom[4] = {0, 0, 0, 0};
	size_t i = 0, adv, count = 0, kept = 0, k;
	char cur[5];

	while (i < n) {
		k = next_char(s + i, n - i, &adv, cur);
		i += adv;
		if (k == 0)
			continue;
		/* Rotate the window: the oldest slot takes the new character. */
		{
			char *t = c[0];

			c[0] = c[1];
			c[1] = c[2];
			c[2] = t;
			len[0] = len[1];
			len[1] = len[2];
		}
		memset(c[2], 0, 4);
		memcpy(c[2], cur, k);
		len[2] = k;
		kept++;
		if (kept >= 2)
			add_gram(grams, &count, max, c + 1, len + 1, 2, bloom);
		if (kept >= 3)
			add_gram(grams, &count, max, c, len, 3, bloom);
	}
	if (kept == 1 && max > 0)
		add_gram(grams, &count, max, c + 2, len + 2, 1, bloom);
	return count;
}
