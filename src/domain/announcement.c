/*
 * announcement.c - the completeness rule of a result announcement
 * (domain/announcement.h).
 */
#include "domain/announcement.h"

#include <string.h>

static int given(const char *s)
{
	/* Blank text is as missing as none: a cell of spaces names nothing. */
	if (s == NULL)
		return 0;
	while (*s == ' ' || *s == '\t')
		s++;
	return *s != '\0';
}

const char *zl_ann_incomplete(const struct zl_ann_facts *f)
{
	int fail;

	if (!given(f->result) || (strcmp(f->result, "pass") != 0 && strcmp(f->result, "fail") != 0))
		return "result";
	fail = strcmp(f->result, "fail") == 0;
	if (fail && !given(f->uscc))
		return "uscc";
	if (!given(f->enterprise_name))
		return "enterprise_name";
	if (!given(f->product))
		return "product";
	if (!fail)
		return NULL;
	if (!given(f->batch) && !given(f->production_date))
		return "batch";
	if (f->failing_items <= 0)
		return "failing_items";
	return NULL;
}
