/*
 * placeholders.c - rewriting `?` placeholders into PostgreSQL's `$n`.
 *
 * Store code writes SQL once with `?` placeholders (SQLite's native form);
 * libpq wants numbered `$1..$n`.  The rewriter is a small lexer that knows
 * just enough SQL to find the `?` that are placeholders: it skips string
 * literals, quoted identifiers, dollar-quoted strings and comments.  It is
 * pure and runs once per statement (the result is prepared and cached), so
 * it favours clarity over speed.  Fuzzed by tests/fuzz/fuzz_placeholders.c.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "db/db_impl.h"

static int is_ident_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c >= 0x80;
}

static int is_ident_start(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
}

/*
 * If `p` (pointing at '$') opens a dollar quote, return the length of the
 * opening tag including both '$' (e.g. 2 for "$$", 5 for "$ab$"), else 0.
 * A '$' right after an identifier character is part of that identifier
 * (PostgreSQL allows '$' inside identifiers), and "$1" is a parameter.
 */
static size_t dollar_tag_len(const char *start, const char *p)
{
	size_t n = 1;

	if (p > start && is_ident_char((unsigned char)p[-1]))
		return 0;
	if (p[1] == '$')
		return 2;
	if (!is_ident_start((unsigned char)p[1]))
		return 0;
	while (p[n] != '\0' && p[n] != '$') {
		if (!is_ident_char((unsigned char)p[n]))
			return 0;
		n++;
	}
	if (p[n] != '$')
		return 0;
	return n + 1;
}

/* Length of the lexical unit starting at p that cannot hold placeholders, or 0. */
static size_t skip_quoted(const char *start, const char *p)
{
	const char *q = p;

	if (*p == '\'' || *p == '"') {
		char quote = *p;
		/* E'..' strings allow backslash escapes; an 'E' that ends a longer
		 * identifier (e.g. "WHERE name='x'") does not start one. */
		int backslash = quote == '\'' && p > start && (p[-1] == 'E' || p[-1] == 'e') &&
				(p - 1 == start || !is_ident_char((unsigned char)p[-2]));
		q++;
		while (*q != '\0') {
			if (backslash && *q == '\\' && q[1] != '\0') {
				q += 2;
				continue;
			}
			if (*q == quote) {
				if (q[1] == quote) { /* doubled quote: an escaped quote */
					q += 2;
					continue;
				}
				q++;
				return (size_t)(q - p);
			}
			q++;
		}
		return (size_t)(q - p);
	}
	if (p[0] == '-' && p[1] == '-') {
		while (*q != '\0' && *q != '\n')
			q++;
		return (size_t)(q - p);
	}
	if (p[0] == '/' && p[1] == '*') {
		int depth = 0;
		while (*q != '\0') {
			if (q[0] == '/' && q[1] == '*') {
				depth++;
				q += 2;
			} else if (q[0] == '*' && q[1] == '/') {
				depth--;
				q += 2;
				if (depth == 0)
					break;
			} else {
				q++;
			}
		}
		return (size_t)(q - p);
	}
	if (*p == '$') {
		size_t tag = dollar_tag_len(start, p);
		if (tag == 0)
			return 0;
		q += tag;
		while (*q != '\0') {
			if (*q == '$' && strncmp(q, p, tag) == 0)
				return (size_t)(q + tag - p);
			q++;
		}
		return (size_t)(q - p);
	}
	return 0;
}

char *zl_db_rewrite_placeholders(const char *sql, int *nparams)
{
	size_t len = strlen(sql), count = 0, cap, o = 0;
	const char *p;
	char *out;
	int n = 0;

	/* First pass: an upper bound on the output size. */
	for (p = sql; *p != '\0';) {
		size_t skip = skip_quoted(sql, p);
		if (skip > 0) {
			p += skip;
			continue;
		}
		if (*p == '?')
			count++;
		p++;
	}
	/* Each '?' (1 byte) becomes '$' plus at most 20 digits. */
	if (count > (SIZE_MAX - len - 1) / 21)
		return NULL;
	cap = len + count * 21 + 1;
	out = malloc(cap);
	if (out == NULL)
		return NULL;
	for (p = sql; *p != '\0';) {
		size_t skip = skip_quoted(sql, p);
		if (skip > 0) {
			memcpy(out + o, p, skip);
			o += skip;
			p += skip;
			continue;
		}
		if (*p == '?') {
			int w;
			n++;
			w = snprintf(out + o, cap - o, "$%d", n);
			if (w < 0 || (size_t)w >= cap - o) {
				free(out);
				return NULL;
			}
			o += (size_t)w;
			p++;
			continue;
		}
		out[o++] = *p++;
	}
	out[o] = '\0';
	if (nparams != NULL)
		*nparams = n;
	return out;
}
