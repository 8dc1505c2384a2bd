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

static int seen(char grams[][ZL_GRAM_SIZE], size_t count, const char *g, size_t len)
{
	size_t k;

	for (k = 0; k < count; k++)
		if (memcmp(grams[k], g, len + 1) == 0)
			return 1;
	return 0;
}

/*
 * Append the concatenation of n characters as a gram unless already there.
 * `bloom` (256 bits) remembers hashes of the grams added: most grams of a
 * name are new, and the filter spares them the scan of the earlier ones.
 */
static void add_gram(char grams[][ZL_GRAM_SIZE], size_t *count, size_t max, char chars[][5],
		     size_t n, uint64_t bloom[4])
{
	char g[ZL_GRAM_SIZE];
	size_t k, len = 0, cl;
	uint32_t h = 2166136261u;
	uint64_t bit;

	for (k = 0; k < n; k++) {
		cl = strlen(chars[k]);
		memcpy(g + len, chars[k], cl);
		len += cl;
	}
	g[len] = '\0';
	if (*count >= max)
		return;
	for (k = 0; k < len; k++)
		h = (h ^ (unsigned char)g[k]) * 16777619u;
	bit = (uint64_t)1 << (h & 63);
	if ((bloom[(h >> 6) & 3] & bit) && seen(grams, *count, g, len))
		return;
	bloom[(h >> 6) & 3] |= bit;
	memcpy(grams[(*count)++], g, len + 1);
}

size_t zl_name_grams(const char *s, size_t n, char grams[][ZL_GRAM_SIZE], size_t max)
{
	/* The last three kept characters, oldest first. */
	char win[3][5] = {"", "", ""};
	uint64_t bloom[4] = {0, 0, 0, 0};
	size_t i = 0, adv, count = 0, kept = 0;
	char cur[5];

	while (i < n) {
		if (!zl_gram_char(s + i, n - i, &adv, cur)) {
			i += adv;
			continue;
		}
		i += adv;
		memmove(win[0], win[1], sizeof(win[0]) * 2);
		memcpy(win[2], cur, sizeof(cur));
		kept++;
		if (kept >= 2)
			add_gram(grams, &count, max, win + 1, 2, bloom);
		if (kept >= 3)
			add_gram(grams, &count, max, win, 3, bloom);
	}
	if (kept == 1 && max > 0)
		memcpy(grams[count++], win[2], sizeof(win[2]));
	return count;
}
