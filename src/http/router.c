/*
 * router.c - matching a method and a canonical path against the route table.
 *
 * Patterns are compared segment by segment ("/a/{id}/b" split on '/'); a
 * "{name}" segment matches any non-empty segment and is captured.  No regex
 * and no allocation: the table is small and a linear scan over it costs
 * less than building a tree would save.
 */
#include "http/path.h"

#include <string.h>

static const char *const method_names[ZL_M_COUNT] = {
	"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "OTHER",
};

enum zl_method zl_method_parse(const char *s)
{
	for (unsigned i = 0; i + 1 < ZL_M_COUNT; i++)
		if (!strcmp(s, method_names[i]))
			return (enum zl_method)(1u << i);
	return ZL_M_OTHER;
}

unsigned zl_method_index(enum zl_method m)
{
	for (unsigned i = 0; i < ZL_M_COUNT; i++)
		if ((unsigned)m == 1u << i)
			return i;
	return ZL_M_COUNT - 1;
}

const char *zl_method_name(enum zl_method m)
{
	return method_names[zl_method_index(m)];
}

int zl_method_set_format(unsigned set, struct zl_buf *out)
{
	int first = 1;

	for (unsigned i = 0; i + 1 < ZL_M_COUNT; i++) {
		if (!(set & (1u << i)))
			continue;
		if (!first)
			zl_buf_adds(out, ", ");
		zl_buf_adds(out, method_names[i]);
		first = 0;
	}
	return out->err;
}

/* The end of the segment starting at `s` (the next '/' or the NUL). */
static const char *seg_end(const char *s)
{
	while (*s != '\0' && *s != '/')
		s++;
	return s;
}

int zl_pattern_match(const char *pattern, const char *path, struct zl_param *params, size_t max,
		     size_t *nparams)
{
	const char *p = pattern, *s = path;
	size_t np = 0;

	/* One pass over both strings: a literal segment is compared byte by
	 * byte as it is walked, so a route of another prefix (most of the
	 * table) is left at its first differing byte. */
	for (;;) {
		const char *pe;

		if (*p != '/' || *s != '/')
			return 0;
		p++;
		s++;
		pe = *p == '{' ? seg_end(p) : NULL;
		if (pe != NULL && pe - p >= 2 && pe[-1] == '}') {
			const char *se = seg_end(s);

			if (se == s)
				return 0;
			if (np >= max && params)
				return 0;
			if (params) {
				params[np].name = p + 1;
				params[np].name_len = (size_t)(pe - p - 2);
				params[np].value = s;
				params[np].value_len = (size_t)(se - s);
			}
			np++;
			p = pe;
			s = se;
		} else {
			while (*p != '\0' && *p != '/' && *p == *s) {
				p++;
				s++;
			}
			/* Both segments must end here. */
			if ((*p != '\0' && *p != '/') || (*s != '\0' && *s != '/'))
				return 0;
		}
		if (!*p || !*s)
			break;
	}
	if (*p || *s)
		return 0;
	if (nparams)
		*nparams = np;
	return 1;
}

int zl_route_match(enum zl_method method, const char *path, struct zl_route_match *m)
{
	enum zl_method want = method == ZL_M_HEAD ? ZL_M_GET : method;

	m->route = -1;
	m->allow = 0;
	m->nparams = 0;
	for (int i = 0; i < ZL_ROUTE_COUNT; i++) {
		size_t np = 0;

		if (!zl_pattern_match(zl_routes[i].pattern, path, m->params, ZL_ROUTE_MAX_PARAMS,
				      &np))
			continue;
		if (zl_routes[i].method == want) {
			m->route = i;
			m->nparams = np;
			return ZL_OK;
		}
		m->allow |= zl_routes[i].method;
		if (zl_routes[i].method == ZL_M_GET)
			m->allow |= ZL_M_HEAD;
	}
	m->nparams = 0;
	return m->allow ? ZL_EMETHOD : ZL_ENOTFOUND;
}
