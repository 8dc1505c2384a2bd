/*
 * fuzz_sc_import.c - libFuzzer target for the reading of published
 * spot-check result tables (domain/sc_import.h): the input is split into
 * rows at '\n' and cells at '|'; the first rows are offered as the header
 * (as the import does), the rest parsed as data rows, and every title row
 * goes through zl_sc_title_hints.  Invariants: no crash, no read past a
 * cell; a refusal is ZL_EUNPROC (or ZL_ENOMEM) with a message; an accepted
 * row has a producer or a sampled unit, dates of ten characters or none,
 * 0 <= nitems <= ZL_SC_ITEMS_MAX, at least one item when failed and none
 * when passed, every item non-empty and without separators or leading '*';
 * zl_sc_name_norm is idempotent.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "domain/sc_import.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_CELLS 32

static size_t split(char *line, const char **cells)
{
	size_t n = 0;
	char *p = line;

	cells[n++] = p;
	while ((p = strchr(p, '|')) != NULL && n < MAX_CELLS) {
		*p++ = '\0';
		cells[n++] = p;
	}
	return n;
}

static void check_row(const struct zl_sc_row *r)
{
	if (!r->producer[0] && !r->sampled_unit[0])
		abort();
	if ((r->production_date[0] && strlen(r->production_date) != 10) ||
	    (r->sampled_on[0] && strlen(r->sampled_on) != 10))
		abort();
	if (r->nitems > ZL_SC_ITEMS_MAX || (r->failed && r->nitems == 0) ||
	    (!r->failed && r->nitems != 0))
		abort();
	for (size_t i = 0; i < r->nitems; i++) {
		const char *it = r->items[i];
		if (!it[0] || it[0] == '*' || strchr(it, ',') || strchr(it, ';') ||
		    strchr(it, '\n') || strstr(it, "、") || strstr(it, "；"))
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size + 1), *line, *save = NULL;
	struct zl_sc_row *r = malloc(sizeof(*r));
	struct zl_sc_map m;
	uint64_t row = 0;

	if (!buf || !r) {
		free(buf);
		free(r);
		return 0;
	}
	memcpy(buf, data, size);
	buf[size] = '\0';
	zl_sc_map_init(&m);
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		const char *cells[MAX_CELLS];
		struct zl_error err = ZL_ERROR_INIT;
		size_t n;
		long col;
		int rc;

		row++;
		{
			int year;
			char doc[64], lvl[16];
			zl_sc_title_hints(line, &year, doc, sizeof(doc), lvl, sizeof(lvl));
		}
		n = split(line, cells);
		if (!m.header_row) {
			rc = zl_sc_map_header(&m, cells, n, row, &err);
			if (rc < 0 && (rc != ZL_EUNPROC || !err.message[0]))
				abort();
			if (rc == 1 && zl_sc_map_check(&m, &err) != ZL_OK)
				zl_sc_map_release(&m);
			continue;
		}
		rc = zl_sc_row_parse(&m, cells, n, r, &col, &err);
		if (rc == ZL_OK)
			check_row(r);
		else if (rc != ZL_EUNPROC || !err.message[0] || col >= (long)m.ncols)
			abort();
		{
			char a[512], b[512];
			zl_sc_name_norm(cells[0], a, sizeof(a));
			zl_sc_name_norm(a, b, sizeof(b));
			if (strcmp(a, b))
				abort();
		}
	}
	zl_sc_map_release(&m);
	free(buf);
	free(r);
	return 0;
}
