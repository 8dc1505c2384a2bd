/*
 * json.c - strict request JSON parsing and field getters (see json.h).
 *
 * The scanner below is an iterative RFC 8259 recogniser: one pass, no
 * recursion, a bit stack for the container kinds.  Only text it accepts is
 * handed to cJSON, so cJSON's leniencies (raw control characters in
 * strings, "01", "1.", lone surrogates, NUL truncation) never reach the
 * program, and every error has an exact byte offset without touching
 * cJSON's global error pointer.
 */
#include "core/json.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/jw.h"
#include "core/text.h"

enum scan_state {
	S_VALUE,	  /* a value must follow */
	S_VALUE_OR_CLOSE, /* just after '[' */
	S_KEY,		  /* after ',' in an object */
	S_KEY_OR_CLOSE,	  /* just after '{' */
	S_COLON,	  /* after a member name */
	S_NEXT,		  /* after a value inside a container: ',' or the closer */
	S_DONE,		  /* the top-level value is complete */
};

struct scan {
	const unsigned char *s;
	size_t n, i;
	const char *why; /* set on failure; i is then the offset */
};

static int scan_fail(struct scan *sc, const char *why)
{
	sc->why = why;
	return -1;
}

/* Four hex digits at sc->i; advances past them. */
static int scan_hex4(struct scan *sc, unsigned *out)
{
	unsigned v = 0;
	int k, h;

	if (sc->n - sc->i < 4)
		return scan_fail(sc, "truncated \\u escape");
	for (k = 0; k < 4; k++) {
		h = zl_hex_digit(sc->s[sc->i + (size_t)k]);
		if (h < 0)
			return scan_fail(sc, "invalid \\u escape");
		v = v << 4 | (unsigned)h;
	}
	sc->i += 4;
	*out = v;
	return 0;
}

/* A string starting at the opening quote at sc->i. */
static int scan_string(struct scan *sc)
{
	const unsigned char *s = sc->s;
	unsigned u, lo;
	size_t start;

	sc->i++;
	for (;;) {
		/* Plain bytes: anything but quote, backslash and controls (UTF-8 was checked). */
		while (sc->i < sc->n && s[sc->i] != '"' && s[sc->i] != '\\' && s[sc->i] >= 0x20)
			sc->i++;
		if (sc->i >= sc->n)
			return scan_fail(sc, "unterminated string");
		if (s[sc->i] == '"') {
			sc->i++;
			return 0;
		}
		if (s[sc->i] < 0x20)
			return scan_fail(sc, "control character in string");
		start = sc->i;
		sc->i++; /* backslash */
		if (sc->i >= sc->n)
			return scan_fail(sc, "unterminated string");
		switch (s[sc->i]) {
		case '"':
		case '\\':
		case '/':
		case 'b':
		case 'f':
		case 'n':
		case 'r':
		case 't':
			sc->i++;
			continue;
		case 'u':
			break;
		default:
			return scan_fail(sc, "invalid escape");
		}
		sc->i++;
		if (scan_hex4(sc, &u))
			return -1;
		if (u == 0) {
			sc->i = start;
			return scan_fail(sc, "\\u0000 is not allowed in strings");
		}
		if (u >= 0xdc00 && u <= 0xdfff) {
			sc->i = start;
			return scan_fail(sc, "unpaired surrogate in \\u escape");
		}
		if (u >= 0xd800 && u <= 0xdbff) {
			if (sc->n - sc->i < 6 || s[sc->i] != '\\' || s[sc->i + 1] != 'u') {
				sc->i = start;
				return scan_fail(sc, "unpaired surrogate in \\u escape");
			}
			sc->i += 2;
			if (scan_hex4(sc, &lo))
				return -1;
			if (lo < 0xdc00 || lo > 0xdfff) {
				sc->i = start;
				return scan_fail(sc, "unpaired surrogate in \\u escape");
			}
		}
	}
}

static int is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

/* The longest number cJSON 1.7 reads whole; longer ones it would split. */
#define NUMBER_MAX 63

static int scan_number(struct scan *sc)
{
	const unsigned char *s = sc->s;
	size_t n = sc->n, start = sc->i;
	char text[NUMBER_MAX + 1];

	if (s[sc->i] == '-')
		sc->i++;
	if (sc->i >= n || !is_digit(s[sc->i]))
		return scan_fail(sc, "invalid number");
	if (s[sc->i] == '0') {
		sc->i++;
		if (sc->i < n && is_digit(s[sc->i]))
			return scan_fail(sc, "leading zero in number");
	} else {
		while (sc->i < n && is_digit(s[sc->i]))
			sc->i++;
	}
	if (sc->i < n && s[sc->i] == '.') {
		sc->i++;
		if (sc->i >= n || !is_digit(s[sc->i]))
			return scan_fail(sc, "digit expected after '.'");
		while (sc->i < n && is_digit(s[sc->i]))
			sc->i++;
	}
	if (sc->i < n && (s[sc->i] == 'e' || s[sc->i] == 'E')) {
		sc->i++;
		if (sc->i < n && (s[sc->i] == '+' || s[sc->i] == '-'))
			sc->i++;
		if (sc->i >= n || !is_digit(s[sc->i]))
			return scan_fail(sc, "digit expected in exponent");
		while (sc->i < n && is_digit(s[sc->i]))
			sc->i++;
	}
	if (sc->i - start > NUMBER_MAX) {
		sc->i = start;
		return scan_fail(sc, "number longer than 63 characters");
	}
	memcpy(text, s + start, sc->i - start);
	text[sc->i - start] = '\0';
	if (isinf(strtod(text, NULL))) {
		sc->i = start;
		return scan_fail(sc, "number out of range");
	}
	return 0;
}

static int scan_literal(struct scan *sc, const char *word)
{
	size_t len = strlen(word);

	if (sc->n - sc->i < len || memcmp(sc->s + sc->i, word, len) != 0)
		return scan_fail(sc, "unexpected character");
	sc->i += len;
	return 0;
}

static int scan_json(struct scan *sc, size_t max_depth)
{
	uint64_t kind[ZL_JSON_DEPTH_LIMIT / 64] = {0}; /* bit set: object */
	enum scan_state st = S_VALUE;
	size_t depth = 0;
	unsigned char c;
	int is_obj, close;

	for (;;) {
		while (sc->i < sc->n && (sc->s[sc->i] == ' ' || sc->s[sc->i] == '\t' ||
					 sc->s[sc->i] == '\n' || sc->s[sc->i] == '\r'))
			sc->i++;
		if (sc->i >= sc->n)
			return st == S_DONE ? 0 : scan_fail(sc, "unexpected end of input");
		c = sc->s[sc->i];
		is_obj = depth > 0 && (kind[(depth - 1) / 64] >> ((depth - 1) % 64) & 1);
		close = 0;
		switch (st) {
		case S_DONE:
			return scan_fail(sc, "unexpected characters after the JSON value");
		case S_COLON:
			if (c != ':')
				return scan_fail(sc, "expected ':'");
			sc->i++;
			st = S_VALUE;
			continue;
		case S_NEXT:
			if (c == ',') {
				sc->i++;
				st = is_obj ? S_KEY : S_VALUE;
				continue;
			}
			if (c != (is_obj ? '}' : ']'))
				return scan_fail(sc, is_obj ? "expected ',' or '}'"
							    : "expected ',' or ']'");
			close = 1;
			break;
		case S_KEY_OR_CLOSE:
		case S_KEY:
			if (c == '}' && st == S_KEY_OR_CLOSE) {
				close = 1;
				break;
			}
			if (c != '"')
				return scan_fail(sc, "expected a member name in double quotes");
			if (scan_string(sc))
				return -1;
			st = S_COLON;
			continue;
		case S_VALUE_OR_CLOSE:
		case S_VALUE:
			if (c == ']' && st == S_VALUE_OR_CLOSE) {
				close = 1;
				break;
			}
			if (c == '{' || c == '[') {
				if (depth >= max_depth)
					return scan_fail(sc, "nesting too deep");
				if (c == '{')
					kind[depth / 64] |= UINT64_C(1) << (depth % 64);
				else
					kind[depth / 64] &= ~(UINT64_C(1) << (depth % 64));
				depth++;
				sc->i++;
				st = c == '{' ? S_KEY_OR_CLOSE : S_VALUE_OR_CLOSE;
				continue;
			}
			if (c == '"') {
				if (scan_string(sc))
					return -1;
			} else if (c == '-' || is_digit(c)) {
				if (scan_number(sc))
					return -1;
			} else if (c == 't') {
				if (scan_literal(sc, "true"))
					return -1;
			} else if (c == 'f') {
				if (scan_literal(sc, "false"))
					return -1;
			} else if (c == 'n') {
				if (scan_literal(sc, "null"))
					return -1;
			} else {
				return scan_fail(sc, "unexpected character");
			}
			st = depth ? S_NEXT : S_DONE;
			continue;
		}
		if (close) {
			depth--;
			sc->i++;
			st = depth ? S_NEXT : S_DONE;
		}
	}
}

static int cmp_names(const void *a, const void *b)
{
	const cJSON *x = *(const cJSON *const *)a, *y = *(const cJSON *const *)b;

	return strcmp(x->string, y->string);
}

/* First duplicate member name anywhere in the tree, or NULL; -1 in *oom on OOM. */
static const cJSON *find_duplicate(const cJSON *v, int *oom)
{
	const cJSON *c, *d;
	const cJSON **names;
	size_t k = 0, i;

	if (!cJSON_IsObject(v) && !cJSON_IsArray(v))
		return NULL;
	for (c = v->child; c; c = c->next) {
		d = find_duplicate(c, oom);
		if (d || *oom)
			return d;
		k++;
	}
	if (!cJSON_IsObject(v) || k < 2)
		return NULL;
	if (k <= 16) {
		/* Small objects, the common case: pairwise is cheaper than sorting. */
		for (c = v->child; c; c = c->next)
			for (d = c->next; d; d = d->next)
				if (strcmp(c->string, d->string) == 0)
					return d;
		return NULL;
	}
	names = malloc(k * sizeof(*names));
	if (!names) {
		*oom = 1;
		return NULL;
	}
	for (i = 0, c = v->child; c; c = c->next)
		names[i++] = c;
	qsort(names, k, sizeof(*names), cmp_names);
	d = NULL;
	for (i = 1; i < k && !d; i++)
		if (strcmp(names[i - 1]->string, names[i]->string) == 0)
			d = names[i];
	free(names);
	return d;
}

static int json_parse(const char *s, size_t n, size_t max_depth, int want_object, cJSON **out,
		      struct zl_error *err)
{
	struct scan sc = {(const unsigned char *)s, n, 0, NULL};
	const char *end = NULL;
	const cJSON *dup;
	size_t bad;
	cJSON *root;
	int oom = 0;

	*out = NULL;
	if (max_depth > ZL_JSON_DEPTH_LIMIT)
		max_depth = ZL_JSON_DEPTH_LIMIT;
	bad = zl_utf8_invalid_at(s, n);
	if (bad < n)
		return zl_error_set(err, ZL_EINVAL, "",
				    "invalid JSON at byte offset %zu: invalid UTF-8", bad);
	if (scan_json(&sc, max_depth))
		return zl_error_set(err, ZL_EINVAL, "", "invalid JSON at byte offset %zu: %s", sc.i,
				    sc.why);
	if (want_object) {
		size_t i = 0;

		/* The scanner accepted the text, so the first non-blank byte starts the value. */
		while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
			i++;
		if (i >= n || s[i] != '{')
			return zl_error_set(err, ZL_EINVAL, "",
					    "invalid JSON at byte offset %zu: expected an object",
					    i);
	}
	root = cJSON_ParseWithLengthOpts(s, n, &end, 0);
	if (!root) {
		/* The scanner accepted it, so cJSON failing means memory or a cJSON limit. */
		if (end && end >= s && end <= s + n)
			return zl_error_set(err, ZL_EINVAL, "",
					    "invalid JSON at byte offset %zu: not supported",
					    (size_t)(end - s));
		return zl_error_set(err, ZL_ENOMEM, "", "out of memory parsing JSON");
	}
	while (end && end < s + n && (*end == ' ' || *end == '\t' || *end == '\n' || *end == '\r'))
		end++;
	if (end != s + n) {
		cJSON_Delete(root);
		return zl_error_set(err, ZL_EINVAL, "",
				    "invalid JSON at byte offset %zu: not supported",
				    end ? (size_t)(end - s) : 0);
	}
	dup = find_duplicate(root, &oom);
	if (oom) {
		cJSON_Delete(root);
		return zl_error_set(err, ZL_ENOMEM, "", "out of memory parsing JSON");
	}
	if (dup) {
		/* Format before freeing: the name lives in the tree. */
		zl_error_set(err, ZL_EINVAL, dup->string, "invalid JSON: duplicate member '%.64s'",
			     dup->string);
		cJSON_Delete(root);
		return ZL_EINVAL;
	}
	*out = root;
	return ZL_OK;
}

int zl_json_parse(const char *s, size_t n, size_t max_depth, cJSON **out, struct zl_error *err)
{
	return json_parse(s, n, max_depth, 0, out, err);
}

int zl_json_parse_object(const char *s, size_t n, size_t max_depth, cJSON **out,
			 struct zl_error *err)
{
	return json_parse(s, n, max_depth, 1, out, err);
}

/* The member, or NULL when absent or JSON null; fails if obj is not an object. */
static int get_member(const cJSON *obj, const char *field, int required, const cJSON **item,
		      struct zl_error *err)
{
	const cJSON *it;

	*item = NULL;
	if (!cJSON_IsObject(obj))
		return zl_error_set(err, ZL_EUNPROC, "", "expected a JSON object");
	it = cJSON_GetObjectItemCaseSensitive(obj, field);
	if (!it || cJSON_IsNull(it)) {
		if (required)
			return zl_error_set(err, ZL_EUNPROC, field, "%s is required", field);
		return ZL_OK;
	}
	*item = it;
	return ZL_OK;
}

/* Number of code points in valid UTF-8 text (continuation bytes not counted). */
static size_t utf8_chars(const char *s)
{
	size_t k = 0;

	for (; *s; s++)
		k += ((unsigned char)*s & 0xc0) != 0x80;
	return k;
}

int zl_json_get_string(const cJSON *obj, const char *field, int required, size_t max_len,
		       const char **out, struct zl_error *err)
{
	const cJSON *it;
	int rc = get_member(obj, field, required, &it, err);

	if (rc)
		return rc;
	if (!it) {
		*out = NULL;
		return ZL_OK;
	}
	if (!cJSON_IsString(it) || !it->valuestring)
		return zl_error_set(err, ZL_EUNPROC, field, "%s must be a string", field);
	if (max_len && utf8_chars(it->valuestring) > max_len)
		return zl_error_set(err, ZL_EUNPROC, field, "%s must be at most %zu characters",
				    field, max_len);
	*out = it->valuestring;
	return ZL_OK;
}

int zl_json_get_int(const cJSON *obj, const char *field, int required, int64_t min, int64_t max,
		    int64_t *out, struct zl_error *err)
{
	const cJSON *it;
	double d;
	int64_t v;
	int rc = get_member(obj, field, required, &it, err);

	if (rc || !it)
		return rc;
	if (!cJSON_IsNumber(it))
		return zl_error_set(err, ZL_EUNPROC, field, "%s must be an integer", field);
	d = it->valuedouble;
	if (!isfinite(d) || d != floor(d))
		return zl_error_set(err, ZL_EUNPROC, field, "%s must be an integer", field);
	if (d > (double)ZL_JSON_INT_MAX || d < -(double)ZL_JSON_INT_MAX)
		return zl_error_set(err, ZL_EUNPROC, field, "%s is out of range", field);
	v = (int64_t)d;
	if (v < min || v > max)
		return zl_error_set(err, ZL_EUNPROC, field, "%s must be between %lld and %lld",
				    field, (long long)min, (long long)max);
	*out = v;
	return ZL_OK;
}

int zl_json_get_bool(const cJSON *obj, const char *field, int required, int *out,
		     struct zl_error *err)
{
	const cJSON *it;
	int rc = get_member(obj, field, required, &it, err);

	if (rc || !it)
		return rc;
	if (!cJSON_IsBool(it))
		return zl_error_set(err, ZL_EUNPROC, field, "%s must be true or false", field);
	*out = cJSON_IsTrue(it) ? 1 : 0;
	return ZL_OK;
}

int zl_json_only_fields(const cJSON *obj, const char *const *allowed, struct zl_error *err)
{
	const cJSON *c;
	const char *const *a;

	if (!cJSON_IsObject(obj))
		return zl_error_set(err, ZL_EUNPROC, "", "expected a JSON object");
	for (c = obj->child; c; c = c->next) {
		for (a = allowed; *a; a++)
			if (strcmp(*a, c->string) == 0)
				break;
		if (!*a)
			return zl_error_set(err, ZL_EUNPROC, c->string, "unknown field '%.64s'",
					    c->string);
	}
	return ZL_OK;
}

void zl_json_write(struct zl_jw *w, const cJSON *v)
{
	const cJSON *c;

	if (!v) {
		zl_jw_null(w);
		return;
	}
	if (cJSON_IsObject(v)) {
		zl_jw_obj_begin(w);
		for (c = v->child; c; c = c->next) {
			zl_jw_key(w, c->string ? c->string : "");
			zl_json_write(w, c);
		}
		zl_jw_obj_end(w);
	} else if (cJSON_IsArray(v)) {
		zl_jw_arr_begin(w);
		for (c = v->child; c; c = c->next)
			zl_json_write(w, c);
		zl_jw_arr_end(w);
	} else if (cJSON_IsString(v)) {
		zl_jw_str(w, v->valuestring);
	} else if (cJSON_IsNumber(v)) {
		zl_jw_double(w, v->valuedouble);
	} else if (cJSON_IsBool(v)) {
		zl_jw_bool(w, cJSON_IsTrue(v));
	} else if (cJSON_IsRaw(v)) {
		zl_jw_raw(w, v->valuestring, v->valuestring ? strlen(v->valuestring) : 0);
	} else {
		zl_jw_null(w);
	}
}
