/*
 * fuzz_announcement.c - libFuzzer target for what announcements take from
 * outside: the Atom text escaping (http/announce_http.h, zl_atom_text), the
 * check of a new draft (store/announcements.h, zl_ann_new_check) and the
 * completeness rule (domain/announcement.h), on fields cut from the input
 * at NUL bytes.
 *
 * Invariants checked:
 *   - the escaped text is valid UTF-8 without C0 controls other than TAB,
 *     LF, CR, without U+FFFE/U+FFFF, without a raw < > " ', and every &
 *     begins one of the five entities; input without those special
 *     characters and already valid passes unchanged;
 *   - zl_ann_new_check either accepts or names one of org, level, title,
 *     doc_no, issued_on, note;
 *   - zl_ann_incomplete answers NULL or one of its documented fields.
 */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/text.h"
#include "domain/announcement.h"
#include "http/announce_http.h"
#include "store/announcements.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_escape(const char *s)
{
	struct zl_buf b;
	const char *o;
	size_t n;

	zl_buf_init(&b, 1 << 20);
	zl_atom_text(&b, s);
	assert(!b.err);
	o = zl_buf_str(&b);
	n = strlen(o);
	assert(zl_utf8_valid(o, n));
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)o[i];

		assert(c >= 0x20 || c == '\t' || c == '\n' || c == '\r');
		assert(c != '<' && c != '>' && c != '"' && c != '\'');
		if (c == '&')
			assert(!strncmp(o + i, "&amp;", 5) || !strncmp(o + i, "&lt;", 4) ||
			       !strncmp(o + i, "&gt;", 4) || !strncmp(o + i, "&quot;", 6) ||
			       !strncmp(o + i, "&apos;", 6));
		/* U+FFFE and U+FFFF are EF BF BE / EF BF BF. */
		if (c == 0xEF && i + 2 < n)
			assert(!((unsigned char)o[i + 1] == 0xBF &&
				 ((unsigned char)o[i + 2] == 0xBE || (unsigned char)o[i + 2] == 0xBF)));
	}
	if (zl_utf8_valid(s, strlen(s)) && !strpbrk(s, "<>&\"'\xEF")) {
		int plain = 1;

		for (const unsigned char *p = (const unsigned char *)s; *p; p++)
			plain &= *p >= 0x20 || *p == '\t' || *p == '\n' || *p == '\r';
		/* Surrogates never pass zl_utf8_valid; so a plain valid text is kept whole. */
		if (plain)
			assert(!strcmp(o, s));
	}
	zl_buf_release(&b);
}

static const char *in(const char *const *f, size_t nf, const char *s)
{
	for (size_t i = 0; i < nf; i++)
		if (s != NULL && !strcmp(f[i], s))
			return f[i];
	return NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const new_fields[] = {"org", "level", "title", "doc_no", "issued_on", "note"};
	static const char *const facts_fields[] = {"uscc", "enterprise_name", "product", "batch",
						   "failing_items", "result"};
	char *buf = malloc(size + 8);
	const char *part[7];
	size_t k = 0, at = 0;

	if (buf == NULL)
		return 0;
	memcpy(buf, data, size);
	memset(buf + size, 0, 8);
	/* Up to seven NUL-separated fields; missing ones are "". */
	for (; k < 7; k++) {
		part[k] = buf + (at < size ? at : size);
		while (at < size && buf[at] != '\0')
			at++;
		at++;
	}
	check_escape(part[0]);
	{
		struct zl_ann_new n = {part[0], part[1], part[2], part[3], part[4], part[5]};
		struct zl_error err = ZL_ERROR_INIT;

		if (zl_ann_new_check(&n, &err) != ZL_OK)
			assert(in(new_fields, 6, err.field) != NULL);
	}
	{
		struct zl_ann_facts f = {part[0], part[1], part[2], part[3], part[4], part[5],
					 size ? data[0] % 3 : 0};
		const char *miss = zl_ann_incomplete(&f);

		assert(miss == NULL || in(facts_fields, 6, miss) != NULL);
	}
	free(buf);
	return 0;
}
