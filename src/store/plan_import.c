/*
 * plan_import.c - reading, decoding and mapping a plan document for the
 * ledger (see plan_import.h).  The mapping copies no text it need not: the
 * input's strings point into the parse, and only what is adapted (a title
 * cut to the ledger's limit, a renumbered section) is built in the arena.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/jw.h"
#include "core/text.h"
#include "domain/audit.h"
#include "store/plan_import.h"

#define ARENA_MAX ((size_t)256 << 20)

static int given(const char *s)
{
	return s != NULL && *s != '\0';
}

int zl_plan_enc_parse(const char *s, enum zl_plan_enc *out, struct zl_error *err)
{
	if (!given(s) || !strcasecmp(s, "auto"))
		*out = ZL_PLAN_ENC_AUTO;
	else if (!strcasecmp(s, "utf-8") || !strcasecmp(s, "utf8"))
		*out = ZL_PLAN_ENC_UTF8;
	else if (!strcasecmp(s, "gbk") || !strcasecmp(s, "gb18030"))
		*out = ZL_PLAN_ENC_GBK;
	else
		return zl_error_set(err, ZL_EINVAL, "encoding",
				    "encoding must be auto, utf-8 or gbk");
	return ZL_OK;
}

int zl_plan_load_fd(int fd, const char *label, struct zl_buf *raw, struct zl_error *err)
{
	char chunk[65536];
	ssize_t n;

	while ((n = read(fd, chunk, sizeof(chunk))) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return zl_error_set(err, ZL_EIO, "", "%s: %s", label, strerror(errno));
		}
		if (zl_buf_add(raw, chunk, (size_t)n))
			return zl_error_set(err, ZL_ETOOBIG, "",
					    "%s: larger than %zu bytes, too large for a plan",
					    label, (size_t)ZL_PLAN_MAX_INPUT);
	}
	return ZL_OK;
}

int zl_plan_load(const char *path, struct zl_buf *raw, struct zl_error *err)
{
	struct stat st;
	int fd, rc;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return zl_error_set(err, ZL_EIO, "", "%s: %s", path, strerror(errno));
	if (fstat(fd, &st) != 0 || S_ISDIR(st.st_mode)) {
		rc = zl_error_set(err, ZL_EIO, "", "%s: %s", path,
				  S_ISDIR(st.st_mode) ? "is a directory" : strerror(errno));
		close(fd);
		return rc;
	}
	rc = zl_plan_load_fd(fd, path, raw, err);
	close(fd);
	return rc;
}

int zl_plan_decode(const char *raw, size_t n, enum zl_plan_enc enc, const char *label,
		   struct zl_buf *text, const char **encoding, struct zl_error *err)
{
	enum zl_encoding e;
	int rc;

	if (raw == NULL)
		raw = "";
	if (enc == ZL_PLAN_ENC_AUTO)
		e = zl_text_detect(raw, n);
	else if (enc == ZL_PLAN_ENC_GBK)
		e = ZL_ENC_GB18030;
	else
		e = n >= 3 && !memcmp(raw, "\xEF\xBB\xBF", 3) ? ZL_ENC_UTF8_BOM : ZL_ENC_UTF8;
	if (encoding != NULL)
		*encoding = zl_encoding_name(e);
	rc = zl_text_to_utf8(raw, n, e, text, err);
	if (rc == ZL_EINVAL) {
		char msg[ZL_ERR_MSG_MAX];

		zl_strlcpy(msg, err->message, sizeof(msg));
		rc = zl_error_set(err, ZL_EINVAL, "encoding", "%s is not %s text: %s", label,
				  zl_encoding_name(e), msg);
	}
	return rc;
}

/* ---- the mapping ------------------------------------------------------------------ */

/* s, or a copy cut to `max` characters ending in "…" (on a character boundary). */
static const char *cut(struct zl_arena *a, const char *s, size_t max)
{
	size_t chars = 0, i = 0;
	char *out;

	if (s == NULL || zl_plan_chars(s) <= max)
		return s;
	/* Keep max - 1 characters and the ellipsis. */
	while (s[i] && chars < max - 1) {
		i++;
		while ((s[i] & 0xC0) == 0x80)
			i++;
		chars++;
	}
	out = zl_arena_alloc(a, i + sizeof("…"));
	if (out == NULL)
		return NULL;
	memcpy(out, s, i);
	memcpy(out + i, "…", sizeof("…"));
	return out;
}

/* The last part of a path ("a/b/plan.txt" -> "plan.txt"). */
static const char *base_name(const char *p)
{
	const char *s = p ? strrchr(p, '/') : NULL;

	return s ? s + 1 : p;
}

/* The plan's title when the document has none: the file's name without its extension. */
static const char *title_of_file(struct zl_arena *a, const char *name)
{
	const char *dot;

	if (!given(name))
		return NULL;
	dot = strrchr(name, '.');
	return dot && dot != name ? zl_arena_strndup(a, name, (size_t)(dot - name))
				  : zl_arena_strdup(a, name);
}

/*
 * The sections as the ledger numbers them: a number seen before gets
 * "(2)", "(3)".  numbers[i] is section i's number in the ledger.
 */
static int number_sections(const struct zl_plan *p, struct zl_arena *a,
			   struct zl_plan_section_in *out)
{
	for (size_t i = 0; i < p->nsections; i++) {
		const struct zl_plan_section *s = &p->sections[i];
		int seen = 1;

		for (size_t j = 0; j < i; j++)
			seen += strcmp(p->sections[j].number, s->number) == 0;
		/* 12 characters and "(NN)" stay within the ledger's 16. */
		const char *short_number = cut(a, s->number, seen == 1 ? ZL_PLAN_NUMBER_MAX : 12);

		if (short_number == NULL)
			return ZL_ENOMEM;
		out[i].number =
			seen == 1 ? short_number : zl_arena_printf(a, "%s(%d)", short_number, seen);
		out[i].title =
			given(s->title) ? cut(a, s->title, ZL_PLAN_TITLE_MAX) : out[i].number;
		if (out[i].number == NULL || out[i].title == NULL)
			return ZL_ENOMEM;
	}
	return ZL_OK;
}

/* The ledger's number of the section task t stands in: the last one of its number above it. */
static const char *section_of(const struct zl_plan *p, const struct zl_plan_section_in *mapped,
			      const struct zl_plan_task *t)
{
	const char *found = NULL;

	if (t->section == NULL)
		return NULL;
	for (size_t i = 0; i < p->nsections; i++) {
		if (strcmp(p->sections[i].number, t->section) != 0)
			continue;
		if (found == NULL || p->sections[i].line <= t->line)
			found = mapped[i].number;
	}
	return found;
}

static int map_attr(const struct zl_plan_attr *pa, struct zl_arena *a, struct zl_plan_attr_in *ai)
{
	const char **flags = zl_arena_calloc(a, ZL_PLAN_F_COUNT, sizeof(*flags));

	if (flags == NULL)
		return ZL_ENOMEM;
	memset(ai, 0, sizeof(*ai));
	ai->departments = pa->departments;
	ai->ndepartments = pa->ndepartments;
	ai->lead = pa->lead;
	ai->mode = zl_plan_mode_name(pa->mode);
	ai->lead_basis = zl_plan_basis_name(pa->lead_basis);
	ai->open_ended = pa->open_ended;
	for (unsigned i = 0; i < ZL_PLAN_F_COUNT; i++)
		if (pa->flags & (1u << i))
			flags[ai->nflags++] = zl_plan_flag_name(i);
	ai->flags = flags;
	return ZL_OK;
}

/* Add "(task N, line L)" to a check's message about tasks[i]. */
static int name_task(const struct zl_plan *p, int rc, struct zl_error *err)
{
	char msg[ZL_ERR_MSG_MAX];
	size_t i;

	if (rc != ZL_EUNPROC || sscanf(err->field, "tasks[%zu]", &i) != 1 || i >= p->ntasks)
		return rc;
	zl_strlcpy(msg, err->message, sizeof(msg));
	return zl_error_set(err, rc, err->field, "%s (task %s, line %zu)", msg, p->tasks[i].number,
			    p->tasks[i].line);
}

int zl_plan_import_map(const struct zl_plan *p, const struct zl_plan_import_opts *o,
		       const char *sha256, struct zl_arena *a, struct zl_plan_in *in,
		       struct zl_error *err)
{
	struct zl_plan_section_in *sections = NULL;
	struct zl_plan_task_in *tasks = NULL;
	const char *name = base_name(o->source_name);

	memset(in, 0, sizeof(*in));
	if (p->nsections && !(sections = zl_arena_calloc(a, p->nsections, sizeof(*sections))))
		goto oom;
	if (p->ntasks && !(tasks = zl_arena_calloc(a, p->ntasks, sizeof(*tasks))))
		goto oom;
	in->title = given(p->title) ? cut(a, p->title, ZL_PLAN_TITLE_MAX)
				    : cut(a, title_of_file(a, name), ZL_PLAN_TITLE_MAX);
	if (!given(in->title))
		return zl_error_set(err, ZL_EUNPROC, "title",
				    "the document has no title line: name the file after the plan");
	in->issuer = cut(a, p->issuer, ZL_PLAN_ISSUER_MAX);
	in->date = p->date;
	in->year = o->year;
	if (in->year == 0 && !given(p->date))
		return zl_error_set(err, ZL_EUNPROC, "year",
				    "the document states no date: give the plan's year");
	in->org = o->org;
	in->lead_rule = p->lead_rule ? "first_listed" : NULL;
	in->source_name = cut(a, name, 200);
	in->source_sha256 = sha256;
	if (number_sections(p, a, sections) != ZL_OK)
		goto oom;
	in->sections = sections;
	in->nsections = p->nsections;
	for (size_t i = 0; i < p->ntasks; i++) {
		const struct zl_plan_task *pt = &p->tasks[i];
		struct zl_plan_task_in *t = &tasks[i];
		struct zl_plan_attr_in *attrs = zl_arena_calloc(a, pt->nattrs, sizeof(*attrs));

		if (attrs == NULL)
			goto oom;
		t->number = cut(a, pt->number, ZL_PLAN_NUMBER_MAX);
		t->section = section_of(p, sections, pt);
		t->title = given(pt->title) ? cut(a, pt->title, ZL_PLAN_TASK_TITLE_MAX)
					    : cut(a, pt->text, ZL_PLAN_TASK_TITLE_MAX);
		if (!given(t->title))
			t->title = t->number;
		t->text = pt->text;
		t->deadline = given(o->deadline) ? o->deadline : NULL;
		for (size_t k = 0; k < pt->nattrs; k++)
			if (map_attr(&pt->attrs[k], a, &attrs[k]) != ZL_OK)
				goto oom;
		t->attrs = attrs;
		t->nattrs = pt->nattrs;
		if (t->number == NULL || t->title == NULL)
			goto oom;
	}
	in->tasks = tasks;
	in->ntasks = p->ntasks;
	return name_task(p, zl_plan_in_check(in, err), err);
oom:
	return zl_error_set(err, ZL_ENOMEM, NULL, "out of memory mapping the plan");
}

/* ---- the whole way ------------------------------------------------------------------ */

void zl_plan_import_init(struct zl_plan_import *im)
{
	memset(im, 0, sizeof(*im));
	zl_plan_init(&im->plan);
	zl_arena_init(&im->arena, ARENA_MAX);
}

void zl_plan_import_release(struct zl_plan_import *im)
{
	zl_plan_release(&im->plan);
	zl_arena_release(&im->arena);
	memset(&im->in, 0, sizeof(im->in));
	im->sha256[0] = '\0';
	im->encoding = NULL;
}

int zl_plan_import_prepare(const char *raw, size_t n, enum zl_plan_enc enc, const char *label,
			   const struct zl_plan_import_opts *o, struct zl_plan_import *im,
			   struct zl_error *err)
{
	struct zl_buf text = ZL_BUF_INIT(ZL_PLAN_MAX_INPUT);
	int rc;

	zl_plan_import_release(im);
	zl_arena_init(&im->arena, ARENA_MAX);
	if (n > ZL_PLAN_MAX_INPUT)
		return zl_error_set(err, ZL_ETOOBIG, "file",
				    "%s: larger than %zu bytes, too large for a plan", label,
				    (size_t)ZL_PLAN_MAX_INPUT);
	zl_sha256_hex(raw != NULL ? raw : "", n, im->sha256);
	rc = zl_plan_decode(raw, n, enc, label, &text, &im->encoding, err);
	if (rc == ZL_OK)
		rc = zl_plan_parse(zl_buf_str(&text), text.len, &im->plan, err);
	zl_buf_release(&text);
	if (rc != ZL_OK)
		return rc;
	if (zl_plan_check(&im->plan, err) != ZL_OK) {
		char msg[ZL_ERR_MSG_MAX];

		zl_strlcpy(msg, err->message, sizeof(msg));
		return zl_error_set(err, ZL_EUNPROC, "file", "%s: %s", label, msg);
	}
	return zl_plan_import_map(&im->plan, o, im->sha256, &im->arena, &im->in, err);
}

int zl_plan_import_detail(const struct zl_plan_import *im, size_t tasks, size_t names,
			  size_t unresolved, struct zl_buf *out)
{
	struct zl_jw w;

	zl_jw_init(&w, out);
	zl_jw_obj_begin(&w);
	zl_jw_kstr(&w, "file", im->in.source_name);
	zl_jw_kstr(&w, "sha256", im->sha256);
	zl_jw_kstr(&w, "org", im->in.org);
	zl_jw_key(&w, "tasks");
	zl_jw_uint(&w, tasks);
	zl_jw_key(&w, "names");
	zl_jw_uint(&w, names);
	zl_jw_key(&w, "unresolved");
	zl_jw_uint(&w, unresolved);
	zl_jw_obj_end(&w);
	return zl_jw_error(&w);
}

void zl_plan_import_count(const struct zl_plan_task_set *set, size_t *names, size_t *resolved)
{
	*names = *resolved = 0;
	for (size_t i = 0; i < set->n; i++) {
		for (size_t k = 0; k < set->tasks[i].nowners; k++) {
			const struct zl_plan_owner *o = &set->tasks[i].owners[k];

			if (strcmp(o->role, "unnamed") == 0 || !given(o->name))
				continue;
			++*names;
			*resolved += given(o->org);
		}
	}
}
