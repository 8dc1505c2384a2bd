/*
 * fuzz_placeholders.c - libFuzzer target for the two parsers of the db
 * driver: the `?` -> `$n` placeholder rewriter and the database URL parser
 * (src/db/placeholders.c, src/db/db.c).  Besides memory safety it checks
 * the rewriter's invariant: every `?` of the input is either kept or
 * replaced, so kept + replaced == the input's count, and the text outside
 * the replaced placeholders is unchanged in length.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "db/db_impl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t count_char(const char *s, char c)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		n += *s == c;
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct zl_db_ops *ops;
	const char *target;
	struct zl_error err = ZL_ERROR_INIT;
	char *in, *out;
	int n = -1;

	if (size > 1 << 16)
		return 0;
	in = malloc(size + 1);
	if (in == NULL)
		return 0;
	memcpy(in, data, size);
	in[size] = '\0';

	out = zl_db_rewrite_placeholders(in, &n);
	if (out != NULL) {
		if (n < 0 || count_char(out, '?') + (size_t)n != count_char(in, '?'))
			abort();
		if (strlen(out) < strlen(in))
			abort();
		free(out);
	}

	if (zl_db_url_parse(in, &ops, &target, &err) == ZL_OK) {
		/* The target points into the input and is never empty. */
		if (target < in || target > in + strlen(in) || *target == '\0')
			abort();
		if (strcmp(zl_db_url_backend(in), ops->name) != 0)
			abort();
	} else if (err.code != ZL_EINVAL || zl_db_url_backend(in) != NULL) {
		abort();
	}
	free(in);
	return 0;
}
