/*
 * fuzz_json.c - libFuzzer target for the strict JSON parser.
 *
 * Whatever zl_json_parse() accepts must survive a round trip: writing the
 * tree with the streaming writer and parsing that output again gives an
 * equal tree.  Rejections must carry a message.  The getters run on every
 * accepted object to exercise their type checks.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/json.h"
#include "core/jw.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const allowed[] = {"a", "b", "name", NULL};
	struct zl_error e = ZL_ERROR_INIT;
	struct zl_buf out = ZL_BUF_INIT(1 << 24);
	struct zl_jw w;
	cJSON *j = NULL, *j2 = NULL;
	const char *s;
	int64_t v;
	int b;

	if (zl_json_parse((const char *)data, size, 64, &j, &e) != ZL_OK) {
		if (j || e.code == ZL_OK || !e.message[0])
			abort();
		return 0;
	}
	zl_jw_init(&w, &out);
	zl_json_write(&w, j);
	if (zl_jw_error(&w) != ZL_OK)
		abort();
	if (zl_json_parse(out.data, out.len, 64, &j2, &e) != ZL_OK)
		abort(); /* our writer produced something our parser rejects */
	if (!cJSON_Compare(j, j2, 1))
		abort();
	if (cJSON_IsObject(j)) {
		zl_json_get_string(j, "name", 0, 10, &s, &e);
		zl_json_get_int(j, "a", 0, -5, 5, &v, &e);
		zl_json_get_bool(j, "b", 0, &b, &e);
		zl_json_only_fields(j, allowed, &e);
	}
	cJSON_Delete(j);
	cJSON_Delete(j2);
	zl_buf_release(&out);
	return 0;
}
