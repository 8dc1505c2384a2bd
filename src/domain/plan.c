/*
 * plan.c - the work-plan parser (see plan.h for the contract and
 * docs/plans.md for the rules with examples).
 *
 * The text is decoded once into an array of characters, each with its
 * code point folded (full-width ASCII forms to ASCII, odd spaces to ' ')
 * and its byte span in the input, so every rule below compares code points
 * and every name is still copied exactly as written.  Then, in order:
 * lines and their number markers; attributions, region by region (a region
 * is a numbered line and the unnumbered lines under it), in parentheses
 * and in sentences standing alone; the front matter (cover notice, title,
 * issuer, date); the item tree; the task level; and the output, built in
 * the plan's arena.  Temporary arrays live on the heap and are freed
 * before returning.  Every loop advances at least one character or line,
 * and no scan looks further than GROUP_MAX characters from where it
 * starts, so the work is linear in the input.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <uchar.h>

#include "core/text.h"
#include "core/timeutil.h"
#include "domain/plan.h"

#define NONE ((size_t)-1)
#define GROUP_MAX 600	 /* characters inside an attribution's parentheses */
#define SENTENCE_MAX 200 /* characters of a responsibility sentence without them */
#define NAME_MIN 2	 /* characters of a department name */
#define NAME_MAX 40
#define SEG_MAX 256 /* segments read in one group */
#define GP_NAMES 128
#define ST_NAMES 16
#define PAREN_DEPTH 64
#define TITLE_MAX 80 /* characters of a document title line */

/* Number markers, in the order they nest: 一、 > （一） > 1. > （1）. */
enum mark { MK_NONE = -1, MK_CN = 0, MK_PCN, MK_AR, MK_PAR, MK__COUNT };

struct ch {
	uint32_t cp;  /* folded code point; 0xFFFD for an invalid byte */
	uint32_t off; /* byte offset in the input */
	uint32_t len; /* bytes in the input (1..4) */
};

struct line {
	size_t a, b;   /* characters [a, b), trimmed, a < b */
	int kind;      /* enum mark */
	size_t na, nb; /* the number's characters (markers only) */
	size_t body;   /* first character after the marker (a for other lines) */
};

enum role { R_NONE = 0, R_RESP, R_SHARED, R_LEAD, R_GUIDE, R_SUPPORT };

struct pname {
	uint32_t a, b;	 /* characters of the name as written */
	uint8_t role;	 /* enum role; R_NONE while it waits for its closing phrase */
	uint8_t bloc;	 /* a local-government bloc */
	uint8_t huitong; /* X in "X会同Y负责": leads when the phrase closes */
};

enum basis_kind { B_NONE = 0, B_FIRST, B_EXPLICIT };

struct found {
	size_t pos, end;       /* characters of the group or sentence */
	size_t line, end_line; /* lines of pos and end */
	size_t name0, nname;   /* names[name0 .. name0 + nname) of the parser */
	size_t lead;	       /* index into those names, or NONE */
	enum zl_plan_mode mode;
	enum basis_kind basis;
	int open;
	unsigned flags;
	int rule, xiatong;     /* the lead rule stated inside it; with 下同 */
	size_t junk_a, junk_b; /* text left out of it (junk_a == junk_b: none) */
	size_t task;	       /* index of its task, or NONE */
};

struct standing {
	size_t pos, a, b, line; /* where, and the text */
	size_t name0, nname;
	size_t task;
};

struct item {
	size_t line, end_line; /* its marker line; its last line, children included */
	int kind;
	size_t parent, depth;
	size_t nown; /* attributions in its own region */
	size_t task; /* task index, or NONE */
	int self;    /* a task although not of the task kind */
};

struct parser {
	const char *src;
	struct ch *c;
	size_t nc;
	uint32_t *match; /* for '(' : index of its ')' or UINT32_MAX */
	struct line *lines;
	size_t nlines;
	struct found *found;
	size_t nfound, capfound;
	struct pname *names;
	size_t nnames, capnames;
	struct standing *st;
	size_t nst, capst;
	int rule_global; /* a lead rule stated outside every attribution */
	size_t bad_bytes, bad_first;
	struct item *items;
	size_t *line_item; /* per line: the item whose region holds it, or NONE */
	size_t nitems;
	size_t body_start, closing_start;
	int oom;
	struct zl_plan *out;
};

/* ---- characters ----------------------------------------------------- */

static uint32_t fold(uint32_t cp)
{
	if (cp >= 0xFF01 && cp <= 0xFF5E)
		return cp - 0xFEE0;
	switch (cp) {
	case 0x3000: /* ideographic space */
	case 0x00A0:
	case 0xFEFF:
	case 0x200B:
	case '\t':
		return ' ';
	default:
		break;
	}
	if (cp < 0x20 && cp != '\n' && cp != '\r' && cp != 0x0B && cp != 0x0C)
		return ' ';
	return cp;
}

static int is_break(uint32_t cp)
{
	return cp == '\n' || cp == '\r' || cp == 0x0B || cp == 0x0C || cp == 0x85 || cp == 0x2028 ||
	       cp == 0x2029;
}

static int is_space(uint32_t cp)
{
	return cp == ' ' || is_break(cp);
}

static int is_digit(uint32_t cp)
{
	return cp >= '0' && cp <= '9';
}

static int is_cjk(uint32_t cp)
{
	return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
	       (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x20000 && cp <= 0x3134F) || cp == 0x3007;
}

/*
 * Literals are char32_t strings (U"负责"): compared as code points, with no
 * decoding on every call.  They are written in folded form (ASCII
 * punctuation for the full-width forms).
 */
static size_t lit_len(const char32_t *lit)
{
	size_t n = 0;

	while (lit[n])
		n++;
	return n;
}

/* Characters of `lit` if c[i..end) starts with it, else 0. */
static size_t at(const struct parser *P, size_t i, size_t end, const char32_t *lit)
{
	size_t k = 0;

	for (; lit[k]; k++)
		if (i + k >= end || P->c[i + k].cp != lit[k])
			return 0;
	return k;
}

static size_t ends(const struct parser *P, size_t a, size_t b, const char32_t *lit)
{
	size_t n = lit_len(lit);

	return b - a >= n && at(P, b - n, b, lit) ? n : 0;
}

/* First index in [a, b) where `lit` starts, or NONE. */
static size_t find(const struct parser *P, size_t a, size_t b, const char32_t *lit)
{
	for (size_t i = a; i < b; i++)
		if (P->c[i].cp == lit[0] && at(P, i, b, lit))
			return i;
	return NONE;
}

static int has(const struct parser *P, size_t a, size_t b, const char32_t *lit)
{
	return find(P, a, b, lit) != NONE;
}

static int in_set(uint32_t cp, const char32_t *set)
{
	for (; *set; set++)
		if (*set == cp)
			return 1;
	return 0;
}

static void trim(const struct parser *P, size_t *a, size_t *b)
{
	while (*a < *b && is_space(P->c[*a].cp))
		(*a)++;
	while (*b > *a && is_space(P->c[*b - 1].cp))
		(*b)--;
}

/* 0..9 for a Chinese digit (〇 ○ 零 一 .. 九), else -1. */
static int cn_digit(uint32_t cp)
{
	static const char32_t *const d[] = {U"〇○零", U"一", U"二两", U"三", U"四",
					    U"五",    U"六", U"七",   U"八", U"九"};

	for (int i = 0; i < 10; i++)
		if (in_set(cp, d[i]))
			return i;
	return -1;
}

/* Value of a Chinese numeral 一 .. 九十九 in [a, b), or -1. */
static int cn_number(const struct parser *P, size_t a, size_t b)
{
	size_t n = b - a;
	int d0, d1, d2;

	if (n == 0 || n > 3)
		return -1;
	d0 = cn_digit(P->c[a].cp);
	if (n == 1)
		return d0 >= 1 ? d0 : (P->c[a].cp == 0x5341 ? 10 : -1); /* 十 */
	if (n == 2) {
		if (P->c[a].cp == 0x5341) /* 十N */
			return (d1 = cn_digit(P->c[a + 1].cp)) >= 1 ? 10 + d1 : -1;
		if (d0 >= 2 && P->c[a + 1].cp == 0x5341) /* N十 */
			return d0 * 10;
		return -1;
	}
	d2 = cn_digit(P->c[a + 2].cp);
	return d0 >= 2 && P->c[a + 1].cp == 0x5341 && d2 >= 1 ? d0 * 10 + d2 : -1;
}

static int is_cn_numeral_char(uint32_t cp)
{
	return cp == 0x5341 || cn_digit(cp) >= 0;
}

/* ---- growing heap arrays -------------------------------------------- */

static int grow(struct parser *P, void **arr, size_t *cap, size_t need, size_t size)
{
	size_t ncap;
	void *p;

	if (need <= *cap)
		return 0;
	ncap = *cap ? *cap * 2 : 64;
	while (ncap < need)
		ncap *= 2;
	if (ncap > SIZE_MAX / size || !(p = realloc(*arr, ncap * size))) {
		P->oom = 1;
		return -1;
	}
	*arr = p;
	*cap = ncap;
	return 0;
}

/* ---- decoding and lines --------------------------------------------- */

static int decode(struct parser *P, const char *s, size_t n)
{
	size_t i = 0, k = 0, l;
	uint32_t cp = 0;

	P->c = malloc((n + 1) * sizeof(*P->c));
	P->match = malloc((n + 1) * sizeof(*P->match));
	if (!P->c || !P->match)
		return P->oom = 1, -1;
	while (i < n) {
		l = zl_utf8_decode(s + i, n - i, &cp);
		if (l == 0) {
			if (!P->bad_bytes++)
				P->bad_first = i;
			cp = 0xFFFD;
			l = 1;
		}
		P->c[k].cp = fold(cp);
		P->c[k].off = (uint32_t)i;
		P->c[k].len = (uint32_t)l;
		k++;
		i += l;
	}
	P->nc = k;
	return 0;
}

/* The number marker at the start of line L, if any (fills kind, na, nb, body). */
static void marker(struct parser *P, struct line *L)
{
	size_t i = L->a, b = L->b, j;
	uint32_t cp = P->c[i].cp;
	int kind = MK_NONE;

	L->kind = MK_NONE;
	L->body = L->a;
	if (cp == '(') {
		j = i + 1;
		while (j < b && j - i <= 4 &&
		       (is_digit(P->c[j].cp) || is_cn_numeral_char(P->c[j].cp)))
			j++;
		if (j == i + 1 || j >= b || P->c[j].cp != ')')
			return;
		if (is_digit(P->c[i + 1].cp)) {
			for (size_t k = i + 1; k < j; k++)
				if (!is_digit(P->c[k].cp))
					return;
			if (j - i - 1 > 3)
				return;
			kind = MK_PAR;
		} else if (cn_number(P, i + 1, j) > 0) {
			kind = MK_PCN;
		} else {
			return;
		}
		L->na = i + 1;
		L->nb = j;
		j++;
	} else if (is_digit(cp)) {
		j = i;
		while (j < b && is_digit(P->c[j].cp))
			j++;
		if (j - i > 3 || j >= b || !in_set(P->c[j].cp, U".、,)"))
			return;
		/* 1.5万吨, 3、4月份: a digit after the separator is no marker */
		if (j + 1 < b && is_digit(P->c[j + 1].cp))
			return;
		kind = MK_AR;
		L->na = i;
		L->nb = j;
		j++;
	} else if (is_cn_numeral_char(cp)) {
		j = i;
		while (j < b && j - i < 4 && is_cn_numeral_char(P->c[j].cp))
			j++;
		if (j >= b || !in_set(P->c[j].cp, U"、,.") || cn_number(P, i, j) <= 0)
			return;
		kind = MK_CN;
		L->na = i;
		L->nb = j;
		j++;
	} else {
		return;
	}
	while (j < b && is_space(P->c[j].cp))
		j++;
	L->kind = kind;
	L->body = j;
}

static int split_lines(struct parser *P)
{
	size_t i = 0, a, b, cap = 0;

	while (i < P->nc) {
		a = i;
		while (i < P->nc && !is_break(P->c[i].cp))
			i++;
		b = i;
		if (i < P->nc)
			i++;
		trim(P, &a, &b);
		if (a >= b)
			continue;
		if (grow(P, (void **)&P->lines, &cap, P->nlines + 1, sizeof(*P->lines)))
			return -1;
		P->lines[P->nlines].a = a;
		P->lines[P->nlines].b = b;
		marker(P, &P->lines[P->nlines]);
		P->nlines++;
	}
	return 0;
}

/* Index of the line holding character i (lines are sorted; i may sit between them). */
static size_t line_of(const struct parser *P, size_t i)
{
	size_t lo = 0, hi = P->nlines;

	while (lo + 1 < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (P->lines[mid].a <= i)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

/*
 * Match parentheses within each region (a numbered line and the lines up to
 * the next): match[i] is the ')' closing the '(' at i, or UINT32_MAX.
 */
static void match_parens(struct parser *P)
{
	uint32_t stack[PAREN_DEPTH];
	size_t depth = 0, next_region = 0, l = 0;

	for (size_t i = 0; i < P->nc; i++) {
		P->match[i] = UINT32_MAX;
		/* A new region starts at each numbered line: forget what is open. */
		while (l < P->nlines && P->lines[l].a <= i) {
			if (P->lines[l].kind != MK_NONE)
				next_region = 1;
			l++;
		}
		if (next_region) {
			depth = 0;
			next_region = 0;
		}
		if (P->c[i].cp == '(') {
			if (depth < PAREN_DEPTH)
				stack[depth++] = (uint32_t)i;
		} else if (P->c[i].cp == ')' && depth > 0) {
			P->match[stack[--depth]] = (uint32_t)i;
		}
	}
}

/* ---- names ---------------------------------------------------------- */

/* Last characters of an organisation's name (厅, 局, 委, 政府 ...). */
static const char32_t org_suffix[] =
	U"厅局委办部会署院府组行处室门位心社台站联所司区馆队关团校军协体市县学构盟";
/* Words no department name holds: the closing phrases, and adverbs of prose. */
static const char32_t *const verb_words[] = {U"负责", U"牵头", U"会同", U"配合",  U"参与",
					     U"分工", U"指导", U"自行", U"切实",  U"认真",
					     U"全面", U"积极", U"主动", U"进一步"};
/* Characters no department name holds: they belong to prose. */
static const char32_t prose_chars[] = U"的是要应须对把将在被使让向从于了这此并即若为由";

/* Is [a, b) a generic word (有关部门, 其他相关单位, 各部门) rather than a name? */
static int generic(const struct parser *P, size_t a, size_t b)
{
	static const char32_t *const words[] = {
		U"有关部门",	 U"相关部门", U"部门",		 U"有关单位",
		U"相关单位",	 U"单位",     U"有关部门和单位", U"相关部门和单位",
		U"有关部门单位", U"成员单位", U"有关方面",	 U"相关方面",
		U"有关机构",	 U"相关机构", U"职能部门",	 U"有关职能部门",
	};
	size_t k;

	if ((k = at(P, a, b, U"其他")) || (k = at(P, a, b, U"其它")))
		a += k;
	if ((k = at(P, a, b, U"各")))
		a += k;
	if ((k = at(P, a, b, U"省直")) || (k = at(P, a, b, U"省级")) || (k = at(P, a, b, U"省")))
		a += k;
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (at(P, a, b, words[i]) == b - a && b > a)
			return 1;
	return 0;
}

/* The character that ends a name, ignoring a trailing "(市)". */
static uint32_t last_meaningful(const struct parser *P, size_t a, size_t b)
{
	while (b > a && P->c[b - 1].cp == ')') {
		size_t k = b - 1;
		int depth = 0;

		do {
			if (P->c[k].cp == ')')
				depth++;
			else if (P->c[k].cp == '(')
				depth--;
		} while (depth > 0 && k-- > a);
		if (depth != 0 || k <= a)
			return 0;
		b = k;
	}
	return b > a ? P->c[b - 1].cp : 0;
}

/*
 * Is [a, b) a department name: 2..40 characters of Chinese (or letters),
 * balanced inner parentheses "省直管县(市)政府", none of the characters of
 * prose, ending like an organisation?
 */
static int valid_name(const struct parser *P, size_t a, size_t b)
{
	size_t n = 0;
	int depth = 0;

	if (b <= a || b - a > NAME_MAX + 8)
		return 0;
	for (size_t i = a; i < b; i++) {
		uint32_t cp = P->c[i].cp;

		if (is_break(cp))
			continue;
		n++;
		if (cp == '(') {
			depth++;
			continue;
		}
		if (cp == ')') {
			if (--depth < 0)
				return 0;
			continue;
		}
		if ((cp == 0x3001 || cp == ',') && depth > 0)
			continue;
		if (is_cjk(cp)) {
			if (in_set(cp, prose_chars))
				return 0;
			continue;
		}
		if ((cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z') || cp == ' ' || cp == 0xB7)
			continue;
		return 0;
	}
	if (depth != 0 || n < NAME_MIN || n > NAME_MAX)
		return 0;
	if (in_set(P->c[a].cp, U"和及与等"))
		return 0;
	for (size_t i = 0; i < sizeof(verb_words) / sizeof(verb_words[0]); i++)
		if (has(P, a, b, verb_words[i]))
			return 0;
	return in_set(last_meaningful(P, a, b), org_suffix);
}

static int is_bloc(const struct parser *P, size_t a, size_t b)
{
	if (at(P, a, b, U"各") || at(P, a, b, U"试点"))
		return 1;
	if (!ends(P, a, b, U"政府"))
		return 0;
	for (size_t i = a; i < b; i++)
		if (in_set(P->c[i].cp, U"市县区乡镇"))
			return 1;
	return 0;
}

/* ---- one group of words: a parenthesis or a sentence ------------------ */

struct seg {
	size_t a, b;
	uint32_t sep; /* separator after it (folded), 0 at the end */
};

struct gp {
	struct pname names[GP_NAMES];
	size_t n, pending; /* names[pending .. n) wait for their closing phrase */
	int closed;	   /* responsibility phrases closed (support excluded) */
	int support;	   /* support phrases closed (配合, 参与) */
	int open, open_pending;
	int generic, gen_pending;
	int rule, xiatong;
	int junk, junk_pending, junk_note;
	size_t junk_a, junk_b;
	int standing;
	size_t st_a, st_b;
	struct pname st_names[ST_NAMES];
	size_t st_n;
	int label;    /* enum role of a "牵头单位：" label in force */
	int dangling; /* names were still waiting for a phrase at the end */
};

static const struct {
	const char32_t *text;
	enum role role;
} verbs[] = {
	{U"按照职责分工负责", R_SHARED},
	{U"按各自职责负责", R_SHARED},
	{U"按职责分工负责", R_SHARED},
	{U"按职能分工负责", R_SHARED},
	{U"按职责负责", R_SHARED},
	{U"分工负责", R_SHARED},
	{U"共同负责", R_SHARED},
	{U"分别负责", R_SHARED},
	{U"牵头负责", R_LEAD},
	{U"牵头落实", R_LEAD},
	{U"牵头实施", R_LEAD},
	{U"牵头", R_LEAD},
	{U"负责落实", R_RESP},
	{U"负责实施", R_RESP},
	{U"负责", R_RESP},
	{U"指导", R_GUIDE},
	{U"配合落实", R_SUPPORT},
	{U"配合", R_SUPPORT},
	{U"参与", R_SUPPORT},
	{U"参加", R_SUPPORT},
	{U"协助", R_SUPPORT},
	{U"协办", R_SUPPORT},
};

static const struct {
	const char32_t *text;
	enum role role;
} labels[] = {
	{U"牵头单位", R_LEAD},	  {U"牵头部门", R_LEAD},    {U"牵头", R_LEAD},
	{U"责任单位", R_RESP},	  {U"责任部门", R_RESP},    {U"负责单位", R_RESP},
	{U"负责部门", R_RESP},	  {U"主责单位", R_RESP},    {U"实施单位", R_RESP},
	{U"配合单位", R_SUPPORT}, {U"配合部门", R_SUPPORT}, {U"参与单位", R_SUPPORT},
	{U"参与部门", R_SUPPORT}, {U"参加单位", R_SUPPORT}, {U"协办单位", R_SUPPORT},
	{U"协助单位", R_SUPPORT},
};

static void push_name(struct parser *P, struct pname *arr, size_t *n, size_t max, size_t a,
		      size_t b)
{
	if (*n >= max)
		return;
	arr[*n].a = (uint32_t)a;
	arr[*n].b = (uint32_t)b;
	arr[*n].role = R_NONE;
	arr[*n].bloc = (uint8_t)is_bloc(P, a, b);
	arr[*n].huitong = 0;
	(*n)++;
}

/*
 * Read [a, b) as names, into arr[*n ..]: "X等", "X等有关部门", "X等和各省级
 * 人民政府", "X和Y" when X ends like an organisation, generic words.
 * Returns 1, or 0 when some part is no name (prose).
 */
static int add_piece(struct parser *P, struct gp *g, struct pname *arr, size_t *n, size_t max,
		     size_t a, size_t b)
{
	size_t k;

	trim(P, &a, &b);
	if (a >= b)
		return 1;
	if (b - a > 2 && at(P, a, b, U"由"))
		a++;
	if (generic(P, a, b)) {
		g->gen_pending = 1;
		return 1;
	}
	if ((k = find(P, a, b, U"等和")) != NONE)
		return add_piece(P, g, arr, n, max, a, k + 1) &&
		       add_piece(P, g, arr, n, max, k + 2, b);
	if (ends(P, a, b, U"等")) {
		g->open_pending = 1;
		return add_piece(P, g, arr, n, max, a, b - 1);
	}
	if ((k = find(P, a, b, U"等")) != NONE && k > a && generic(P, k + 1, b)) {
		g->open_pending = 1;
		g->gen_pending = 1;
		return add_piece(P, g, arr, n, max, a, k);
	}
	for (k = a + 1; k + 1 < b && k - a <= NAME_MAX; k++) {
		if (!in_set(P->c[k].cp, U"和及与"))
			continue;
		if (in_set(last_meaningful(P, a, k), org_suffix) && valid_name(P, a, k) &&
		    (valid_name(P, k + 1, b) || generic(P, k + 1, b)))
			return add_piece(P, g, arr, n, max, a, k) &&
			       add_piece(P, g, arr, n, max, k + 1, b);
	}
	if (!valid_name(P, a, b))
		return 0;
	push_name(P, arr, n, max, a, b);
	return 1;
}

/* "各省辖市、省直管县(市)政府" is one bloc, not a city list and a government. */
static void merge_blocs(const struct parser *P, struct gp *g)
{
	for (size_t i = g->pending; i + 1 < g->n; i++) {
		struct pname *x = &g->names[i], *y = &g->names[i + 1];

		if (!at(P, x->a, x->b, U"各") || ends(P, x->a, x->b, U"政府") ||
		    !ends(P, y->a, y->b, U"政府") || at(P, y->a, y->b, U"各"))
			continue;
		x->b = y->b;
		x->bloc = 1;
		memmove(y, y + 1, (g->n - i - 2) * sizeof(*y));
		g->n--;
	}
}

static void close_phrase(const struct parser *P, struct gp *g, enum role role)
{
	if (g->n == g->pending && !g->gen_pending)
		return;
	merge_blocs(P, g);
	for (size_t i = g->pending; i < g->n; i++)
		g->names[i].role =
			(uint8_t)(g->names[i].huitong && role != R_SUPPORT ? R_LEAD : role);
	if (role == R_SUPPORT)
		g->support++;
	else
		g->closed++;
	g->generic |= g->gen_pending;
	g->open |= g->open_pending;
	g->gen_pending = g->open_pending = 0;
	g->pending = g->n;
	if (g->junk_pending && role != R_SUPPORT)
		g->junk_note = 1;
	g->junk_pending = 0;
}

static void drop_pending(struct gp *g)
{
	g->n = g->pending;
	g->gen_pending = g->open_pending = 0;
}

static int is_strong(uint32_t sep)
{
	return sep == 0 || sep == ';' || sep == '.' || sep == 0x3002 || sep == '!' || sep == '?';
}

static int is_rule_text(const struct parser *P, size_t a, size_t b)
{
	return has(P, a, b, U"牵头") && (has(P, a, b, U"第一") || has(P, a, b, U"首位"));
}

/* A segment that is no name list: what was pending with it is dropped. */
static void junk(struct gp *g, const struct seg *s)
{
	if (!g->junk_pending) {
		g->junk_a = s->a;
		g->junk_b = s->b;
	}
	g->junk++;
	g->junk_pending = 1;
	drop_pending(g);
}

static void segment(struct parser *P, struct gp *g, const struct seg *s)
{
	size_t a = s->a, b = s->b, vb = 0, i;
	enum role role = R_NONE;

	trim(P, &a, &b);
	if (a >= b)
		return;
	if (is_rule_text(P, a, b)) {
		g->rule = 1;
		g->xiatong |= has(P, a, b, U"下同");
		return;
	}
	if (has(P, a, b, U"下同") && b - a <= 4) {
		g->xiatong = 1;
		return;
	}
	if (s->sep == ':') {
		g->label = R_NONE;
		for (i = 0; i < sizeof(labels) / sizeof(labels[0]); i++)
			if (at(P, a, b, labels[i].text) == b - a)
				g->label = (int)labels[i].role;
		drop_pending(g);
		return;
	}
	for (i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++) {
		if ((vb = ends(P, a, b, verbs[i].text)) > 0) {
			role = verbs[i].role;
			break;
		}
	}
	b -= vb;
	/* X会同Y负责: X leads, Y takes part (the phrase may close segments later). */
	i = find(P, a, b, U"会同");
	if (i != NONE && i > a) {
		size_t before = g->n;

		if (!add_piece(P, g, g->names, &g->n, GP_NAMES, a, i) || g->n == before) {
			junk(g, s);
			return;
		}
		for (size_t k = before; k < g->n; k++)
			g->names[k].huitong = 1;
		a = i + 2;
	}
	if (!add_piece(P, g, g->names, &g->n, GP_NAMES, a, b)) {
		junk(g, s);
		return;
	}
	if (role != R_NONE)
		close_phrase(P, g, role);
	else if (g->label != R_NONE)
		close_phrase(P, g, (enum role)g->label);
}

/* Verbs that end a standing rule's department list (以下均需X落实). */
static size_t standing_verb(const struct parser *P, size_t a, size_t b)
{
	static const char32_t *const v[] = {U"落实", U"负责", U"承担", U"实施",
					    U"参与", U"配合", U"执行", U"完成"};
	size_t k;

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		if ((k = ends(P, a, b, v[i])))
			return k;
	return 0;
}

/*
 * Find a standing rule among the segments: "以下均需试点城市政府落实，不再
 * 列出".  Marks its segments in skip[] and records its text and names.
 */
static void find_standing(struct parser *P, struct gp *g, const struct seg *segs, size_t ns,
			  unsigned char *skip)
{
	static const char32_t *const keys[] = {U"均需", U"均由", U"均要", U"均应",
					       U"都需", U"都由", U"需",	  U"由"};
	size_t first = NONE, last = NONE, k, j;

	for (k = 0; k < ns && first == NONE; k++) {
		if (has(P, segs[k].a, segs[k].b, U"以下") &&
		    (has(P, segs[k].a, segs[k].b, U"均") || has(P, segs[k].a, segs[k].b, U"都"))) {
			first = k;
			for (last = k; last + 1 < ns && !is_strong(segs[last].sep); last++)
				if (has(P, segs[last].a, segs[last].b, U"不再") &&
				    has(P, segs[last].a, segs[last].b, U"列出"))
					break;
		} else if (has(P, segs[k].a, segs[k].b, U"不再") &&
			   has(P, segs[k].a, segs[k].b, U"列出")) {
			first = k > 0 && !is_strong(segs[k - 1].sep) ? k - 1 : k;
			last = k;
		}
	}
	if (first == NONE)
		return;
	g->standing = 1;
	g->st_a = segs[first].a;
	g->st_b = segs[last].b;
	for (k = first; k <= last; k++)
		skip[k] = 1;
	/* The names: after 均需 (or 需, 由) up to a verb. */
	for (k = first; k <= last; k++) {
		size_t a = segs[k].a, b = segs[k].b, v;

		if (k == first) {
			for (j = 0; j < sizeof(keys) / sizeof(keys[0]); j++) {
				size_t p = find(P, a, b, keys[j]);

				if (p != NONE) {
					a = p + lit_len(keys[j]);
					break;
				}
			}
			if (j == sizeof(keys) / sizeof(keys[0]))
				break;
		}
		trim(P, &a, &b);
		v = standing_verb(P, a, b);
		add_piece(P, g, g->st_names, &g->st_n, ST_NAMES, a, b - v);
		if (v)
			break;
	}
	g->gen_pending = g->open_pending = 0;
}

/* Read the words in [a, b) into g. */
static void read_group(struct parser *P, struct gp *g, size_t a, size_t b)
{
	struct seg segs[SEG_MAX];
	unsigned char skip[SEG_MAX] = {0};
	size_t ns = 0, start = a;
	int depth = 0;

	g->n = g->pending = 0;
	g->closed = g->support = g->open = g->open_pending = g->generic = g->gen_pending = 0;
	g->rule = g->xiatong = g->junk = g->junk_pending = g->junk_note = 0;
	g->junk_a = g->junk_b = 0;
	g->standing = 0;
	g->st_a = g->st_b = 0;
	g->st_n = 0;
	g->label = R_NONE;
	g->dangling = 0;
	for (size_t i = a; i <= b && ns < SEG_MAX; i++) {
		uint32_t cp = i < b ? P->c[i].cp : 0;

		if (i < b) {
			if (cp == '(') {
				depth++;
				continue;
			}
			if (cp == ')') {
				depth -= depth > 0;
				continue;
			}
			if (depth > 0 || !in_set(cp, U"、,;:。.!?"))
				continue;
			/* 1.5: a decimal point separates nothing */
			if (cp == '.' && i > a && i + 1 < b && is_digit(P->c[i - 1].cp) &&
			    is_digit(P->c[i + 1].cp))
				continue;
		}
		segs[ns].a = start;
		segs[ns].b = i;
		segs[ns].sep = cp;
		ns++;
		start = i + 1;
	}
	find_standing(P, g, segs, ns, skip);
	for (size_t k = 0; k < ns; k++) {
		if (!skip[k])
			segment(P, g, &segs[k]);
		/* a label ("牵头单位：") holds up to the end of its sentence */
		if (is_strong(segs[k].sep))
			g->label = R_NONE;
	}
	g->dangling = g->n > g->pending || g->gen_pending;
	drop_pending(g);
}

/* ---- attributions ----------------------------------------------------- */

static size_t copy_names(struct parser *P, const struct pname *src, size_t n)
{
	size_t first = P->nnames;

	if (grow(P, (void **)&P->names, &P->capnames, P->nnames + n, sizeof(*P->names)))
		return NONE;
	if (n > 0)
		memcpy(P->names + P->nnames, src, n * sizeof(*src));
	P->nnames += n;
	return first;
}

/* Record the standing rule of g, if any. */
static void add_standing(struct parser *P, const struct gp *g, size_t pos)
{
	struct standing *s;

	if (!g->standing)
		return;
	if (grow(P, (void **)&P->st, &P->capst, P->nst + 1, sizeof(*P->st)))
		return;
	s = &P->st[P->nst];
	s->pos = pos;
	s->a = g->st_a;
	s->b = g->st_b;
	s->line = line_of(P, g->st_a);
	s->name0 = copy_names(P, g->st_names, g->st_n);
	s->nname = s->name0 == NONE ? 0 : g->st_n;
	s->task = NONE;
	P->nst++;
}

/*
 * Turn a read group into an attribution when it closed a responsibility
 * phrase.  Returns 1 when it did.
 */
static int add_found(struct parser *P, const struct gp *g, size_t pos, size_t end, unsigned flags)
{
	size_t nlead = 0, nguide = 0, nresp = 0, nshared = 0, first_lead = NONE, first_guide = NONE,
	       first_resp = NONE, name0;
	struct found *f;

	if (g->closed == 0)
		return 0;
	if (grow(P, (void **)&P->found, &P->capfound, P->nfound + 1, sizeof(*P->found)))
		return 0;
	name0 = copy_names(P, g->names, g->n);
	if (name0 == NONE)
		return 0;
	f = &P->found[P->nfound];
	memset(f, 0, sizeof(*f));
	f->pos = pos;
	f->end = end;
	f->line = line_of(P, pos);
	f->end_line = line_of(P, end > pos ? end - 1 : pos);
	f->name0 = name0;
	f->nname = g->n;
	f->lead = NONE;
	f->flags = flags;
	f->rule = g->rule;
	f->xiatong = g->xiatong;
	f->task = NONE;
	if (g->junk_note) {
		f->junk_a = g->junk_a;
		f->junk_b = g->junk_b;
	}
	for (size_t i = 0; i < g->n; i++) {
		switch (g->names[i].role) {
		case R_LEAD:
			nlead++;
			first_lead = first_lead == NONE ? i : first_lead;
			break;
		case R_GUIDE:
			nguide++;
			first_guide = first_guide == NONE ? i : first_guide;
			break;
		case R_RESP:
			nresp++;
			first_resp = first_resp == NONE ? i : first_resp;
			break;
		case R_SHARED:
			nshared++;
			break;
		default:
			break;
		}
		if (g->names[i].bloc)
			f->flags |= ZL_PLAN_F_LOCAL_GOV;
	}
	f->open = g->open || g->generic;
	f->mode = ZL_PLAN_LEAD;
	if (nlead >= 2 || (nlead == 0 && nguide >= 2)) {
		f->flags |= ZL_PLAN_F_CO_LEADS | (nlead == 0 ? ZL_PLAN_F_GUIDANCE : 0);
	} else if (nlead == 1) {
		f->lead = first_lead;
		f->basis = B_EXPLICIT;
	} else if (nguide == 1) {
		f->lead = first_guide;
		f->basis = B_EXPLICIT;
		f->flags |= ZL_PLAN_F_GUIDANCE;
	} else if (nresp == 1 && (g->support > 0 || nshared > 0)) {
		/* X负责，其他相关单位配合 */
		f->lead = first_resp;
		f->basis = B_EXPLICIT;
	} else if (nresp >= 1) {
		f->lead = first_resp;
		f->basis = B_FIRST;
	} else if (g->n > 0) {
		f->mode = ZL_PLAN_SHARED;
	} else {
		f->mode = ZL_PLAN_UNNAMED;
		f->open = 1;
	}
	P->nfound++;
	return 1;
}

/* A parenthesis: content [a, b); the '(' at pos. */
static int paren_group(struct parser *P, size_t a, size_t b, size_t pos, size_t end, unsigned flags)
{
	struct gp g;
	int r;

	read_group(P, &g, a, b);
	r = add_found(P, &g, pos, end, flags);
	if (g.rule && !r)
		P->rule_global = 1;
	add_standing(P, &g, pos);
	return r;
}

/*
 * A sentence [a, b) outside parentheses: an attribution when every segment
 * is a name list closed by a responsibility phrase ("省质监局、工业和
 * 信息化厅负责落实").  It may also state the lead rule or a standing rule.
 */
static void sentence(struct parser *P, size_t a, size_t b)
{
	struct gp g;
	int r = 0;

	trim(P, &a, &b);
	if (a >= b || b - a > SENTENCE_MAX)
		return;
	/*
	 * Most sentences are prose: unless the last character can end a
	 * closing phrase (负责, 落实, 牵头, 配合 ...), only a lead rule (牵头) or
	 * a standing rule (以下, 不再) could be in it.
	 */
	if (!in_set(P->c[b - 1].cp, U"责实施头导合与加助办")) {
		size_t k = a;

		while (k < b && !in_set(P->c[k].cp, U"牵以不"))
			k++;
		if (k == b)
			return;
	}
	read_group(P, &g, a, b);
	if (g.junk == 0 && !g.dangling && g.closed > 0)
		r = add_found(P, &g, a, b, ZL_PLAN_F_NO_PARENS);
	if (g.rule && !r)
		P->rule_global = 1;
	add_standing(P, &g, a);
}

static int is_terminator(const struct parser *P, size_t i, size_t a, size_t b)
{
	uint32_t cp = P->c[i].cp;

	if (is_break(cp) || cp == 0x3002 || cp == ';' || cp == '!' || cp == '?')
		return 1;
	return cp == '.' &&
	       !(i > a && i + 1 < b && is_digit(P->c[i - 1].cp) && is_digit(P->c[i + 1].cp));
}

/* Find the attributions of the region of lines [l0, l1). */
static void scan_region(struct parser *P, size_t l0, size_t l1)
{
	size_t a = P->lines[l0].body, b = P->lines[l1 - 1].b, s = a, i = a;
	size_t first_found = P->nfound, first_line = NONE;

	while (i < b && !P->oom) {
		if (P->c[i].cp == '(') {
			size_t m = P->match[i];

			if (m != UINT32_MAX && m < b && m - i <= GROUP_MAX) {
				if (paren_group(P, i + 1, m, i, m + 1, 0))
					s = m + 1;
				i = m + 1;
				continue;
			}
			if (m == UINT32_MAX || m >= b) {
				/*
				 * Never closed: read to the end of its line, unless
				 * another bracket opens before that (then that one is
				 * the candidate), so no text is read twice.
				 */
				size_t e = P->lines[line_of(P, i)].b, k = i + 1;

				if (e > i + 1 + GROUP_MAX)
					e = i + 1 + GROUP_MAX;
				while (k < e && P->c[k].cp != '(')
					k++;
				if (k == e && paren_group(P, i + 1, e, i, e, ZL_PLAN_F_UNCLOSED)) {
					s = i = e;
					continue;
				}
			}
			i++;
			continue;
		}
		if (is_terminator(P, i, a, b)) {
			sentence(P, s, i);
			s = i + 1;
		}
		i++;
	}
	if (s < b)
		sentence(P, s, b);
	/* A second paragraph carrying an attribution of its own. */
	for (size_t k = first_found; k < P->nfound; k++) {
		if (first_line == NONE)
			first_line = P->found[k].line;
		else if (P->found[k].line > first_line)
			P->found[k].flags |= ZL_PLAN_F_UNNUMBERED;
	}
}

static void scan(struct parser *P)
{
	size_t l0 = 0;

	for (size_t l = 1; l <= P->nlines && !P->oom; l++) {
		if (l == P->nlines || P->lines[l].kind != MK_NONE) {
			scan_region(P, l0, l);
			l0 = l;
		}
	}
}

/* ---- front matter: title, issuer, date -------------------------------- */

/* A number of up to 3 ASCII digits or Chinese numerals at *i, ended by `stop`. */
static int read_num(const struct parser *P, size_t *i, size_t b, uint32_t stop)
{
	size_t j = *i;
	int v = 0;

	while (j < b && P->c[j].cp != stop && j - *i < 3)
		j++;
	if (j >= b || P->c[j].cp != stop || j == *i)
		return -1;
	if (is_digit(P->c[*i].cp)) {
		for (size_t k = *i; k < j; k++) {
			if (!is_digit(P->c[k].cp))
				return -1;
			v = v * 10 + (int)(P->c[k].cp - '0');
		}
	} else {
		v = cn_number(P, *i, j);
	}
	*i = j + 1;
	return v;
}

/*
 * Is line l a date line ("2014年7月18日", "二〇一四年七月十八日",
 * "(2014年7月18日印发)", "河南省人民政府办公厅 2014年7月18日",
 * "2014-07-18")?  Writes "YYYY-MM-DD" to out and the character where the
 * date starts to *start.
 */
static int date_line(const struct parser *P, size_t l, char out[16], size_t *start)
{
	size_t a = P->lines[l].a, b = P->lines[l].b, y = NONE, i, k;
	int yy = 0, mm, dd;

	if (P->lines[l].kind != MK_NONE || b - a > 60)
		return 0;
	while (b > a && (P->c[b - 1].cp == ')' || is_space(P->c[b - 1].cp)))
		b--;
	if ((k = ends(P, a, b, U"印发")) || (k = ends(P, a, b, U"发布")) ||
	    (k = ends(P, a, b, U"制定")))
		b -= k;
	for (i = a; i + 4 < b; i++) {
		int ok = 1;

		for (k = 0; k < 4; k++) {
			uint32_t cp = P->c[i + k].cp;

			if (!is_digit(cp) && cn_digit(cp) < 0)
				ok = 0;
		}
		if (ok && (i == a || (!is_digit(P->c[i - 1].cp) && cn_digit(P->c[i - 1].cp) < 0))) {
			y = i;
			break;
		}
	}
	if (y == NONE)
		return 0;
	for (k = 0; k < 4; k++) {
		uint32_t cp = P->c[y + k].cp;

		yy = yy * 10 + (is_digit(cp) ? (int)(cp - '0') : cn_digit(cp));
	}
	i = y + 4;
	if (P->c[i].cp == 0x5E74) { /* 年 */
		i++;
		mm = read_num(P, &i, b, 0x6708);	       /* 月 */
		dd = mm > 0 ? read_num(P, &i, b, 0x65E5) : -1; /* 日 */
	} else if (in_set(P->c[i].cp, U"-./")) {
		uint32_t sep = P->c[i].cp;

		i++;
		mm = read_num(P, &i, b, sep);
		k = i;
		dd = 0;
		while (i < b && is_digit(P->c[i].cp) && i - k < 2)
			dd = dd * 10 + (int)(P->c[i++].cp - '0');
		if (i == k)
			dd = -1;
	} else {
		return 0;
	}
	if (i != b || yy < 1900 || yy > 2199 || mm < 1 || dd < 1 ||
	    !zl_date_valid(yy, (unsigned)mm, (unsigned)dd))
		return 0;
	/* Before the date: nothing, an opening parenthesis, or the issuer. */
	k = a;
	while (k < y && (P->c[k].cp == '(' || is_space(P->c[k].cp)))
		k++;
	if (k < y) {
		size_t e = y;

		while (e > k && is_space(P->c[e - 1].cp))
			e--;
		if (!valid_name(P, k, e))
			return 0;
	}
	zl_date_format(zl_days_from_civil(yy, (unsigned)mm, (unsigned)dd), out);
	*start = y;
	return 1;
}

/* Could line l be a document title?  2: it ends like one (方案, 意见 ...). */
static int title_like(const struct parser *P, size_t l)
{
	static const char32_t *const kinds[] = {
		U"方案", U"计划", U"意见", U"规划", U"纲要", U"要点", U"办法", U"措施",
		U"分工", U"安排", U"通知", U"决定", U"细则", U"规定", U"清单", U"任务"};
	const struct line *L = &P->lines[l];
	size_t a = L->a, b = L->b, n = 0;
	char d[16];

	if (L->kind != MK_NONE || date_line(P, l, d, &n) || at(P, a, b, U"附件"))
		return 0;
	n = 0;
	for (size_t i = a; i < b; i++) {
		if (in_set(P->c[i].cp, U"。:;"))
			return 0;
		n++;
	}
	if (n < 4 || n > TITLE_MAX || in_set(P->c[b - 1].cp, U",、"))
		return 0;
	/* "(试行)", "(2014—2016年)", a closing quote */
	while (b > a && in_set(P->c[b - 1].cp, U")》”\"")) {
		if (P->c[b - 1].cp == ')') {
			size_t k = b - 1;

			while (k > a && P->c[k].cp != '(')
				k--;
			b = k;
		} else {
			b--;
		}
		while (b > a && is_space(P->c[b - 1].cp))
			b--;
	}
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (ends(P, a, b, kinds[i]))
			return 2;
	return 1;
}

static const char *dup_chars(struct parser *P, size_t a, size_t b);

/* The first line in [l0, l1) that is title-like (2 first, else 1), or NONE. */
static size_t pick_title(const struct parser *P, size_t l0, size_t l1, int last)
{
	size_t best = NONE;

	for (int want = 2; want >= 1 && best == NONE; want--) {
		for (size_t l = l0; l < l1; l++) {
			if (title_like(P, l) != want)
				continue;
			best = l;
			if (!last)
				break;
		}
	}
	return best;
}

static void front_matter(struct parser *P)
{
	size_t first_attr = P->nfound ? P->found[0].line : P->nlines, date_l = NONE, title = NONE,
	       first_mark = P->nlines, ds = 0, l;
	char date[16] = "";
	struct zl_plan *out = P->out;

	for (l = 0; l < first_attr; l++) {
		char d[16];
		size_t s;

		if (date_line(P, l, d, &s)) {
			date_l = l;
			ds = s;
			memcpy(date, d, sizeof(date));
		}
	}
	if (date_l != NONE) {
		/* A cover notice: issuer, date, then the plan's own title. */
		for (l = date_l + 1; l < first_attr && first_mark == P->nlines; l++)
			if (P->lines[l].kind != MK_NONE)
				first_mark = l;
		if (first_mark > first_attr)
			first_mark = first_attr;
		title = pick_title(P, date_l + 1, first_mark, 0);
		if (title == NONE)
			title = pick_title(P, 0, date_l, 1);
		P->body_start = title != NONE && title > date_l ? title + 1 : date_l + 1;
		out->date = zl_arena_strdup(&out->arena, date);
		if (ds > P->lines[date_l].a) {
			size_t a = P->lines[date_l].a, e = ds;

			while (a < e && (P->c[a].cp == '(' || is_space(P->c[a].cp)))
				a++;
			while (e > a && is_space(P->c[e - 1].cp))
				e--;
			out->issuer = dup_chars(P, a, e);
		} else if (date_l > 0 && date_l - 1 != title &&
			   valid_name(P, P->lines[date_l - 1].a, P->lines[date_l - 1].b)) {
			out->issuer = dup_chars(P, P->lines[date_l - 1].a, P->lines[date_l - 1].b);
		}
	} else {
		for (l = 0; l < first_attr; l++)
			if (P->lines[l].kind != MK_NONE) {
				first_mark = l;
				break;
			}
		if (first_mark > first_attr)
			first_mark = first_attr;
		title = pick_title(P, 0, first_mark, 1);
		P->body_start = title != NONE ? title + 1 : 0;
	}
	if (title != NONE)
		out->title = dup_chars(P, P->lines[title].a, P->lines[title].b);
}

/* After the plan: a signature (issuer, date) in the closing lines. */
static void signature(struct parser *P)
{
	struct zl_plan *out = P->out;
	char d[16];
	size_t s;

	if (out->date)
		return;
	for (size_t l = P->nlines; l-- > P->closing_start;) {
		if (!date_line(P, l, d, &s))
			continue;
		out->date = zl_arena_strdup(&out->arena, d);
		if (s > P->lines[l].a) {
			size_t a = P->lines[l].a, e = s;

			while (e > a && is_space(P->c[e - 1].cp))
				e--;
			out->issuer = dup_chars(P, a, e);
		} else if (l > P->closing_start &&
			   valid_name(P, P->lines[l - 1].a, P->lines[l - 1].b)) {
			out->issuer = dup_chars(P, P->lines[l - 1].a, P->lines[l - 1].b);
		}
		return;
	}
}

/* ---- output strings --------------------------------------------------- */

/* Bytes of [a, b) as written, without line breaks and NUL bytes. */
static size_t raw_len(const struct parser *P, size_t a, size_t b)
{
	size_t n = 0;

	for (size_t i = a; i < b; i++)
		if (!is_break(P->c[i].cp))
			n += P->c[i].len;
	return n;
}

static char *raw_copy(const struct parser *P, char *o, size_t a, size_t b)
{
	for (size_t i = a; i < b; i++) {
		if (is_break(P->c[i].cp))
			continue;
		for (uint32_t k = 0; k < P->c[i].len; k++)
			if (P->src[P->c[i].off + k] != '\0')
				*o++ = P->src[P->c[i].off + k];
	}
	return o;
}

static const char *dup_chars(struct parser *P, size_t a, size_t b)
{
	char *s = zl_arena_alloc(&P->out->arena, raw_len(P, a, b) + 1);

	if (!s) {
		P->oom = 1;
		return "";
	}
	*raw_copy(P, s, a, b) = '\0';
	return s;
}

/* A number as folded characters (１ -> 1). */
static const char *dup_number(struct parser *P, size_t a, size_t b)
{
	char *s = zl_arena_alloc(&P->out->arena, (b - a) * 4 + 1), *o = s;

	if (!s) {
		P->oom = 1;
		return "";
	}
	for (size_t i = a; i < b; i++) {
		uint32_t cp = P->c[i].cp;

		if (cp < 0x80) {
			*o++ = (char)cp;
		} else if (cp < 0x800) {
			*o++ = (char)(0xC0 | (cp >> 6));
			*o++ = (char)(0x80 | (cp & 0x3F));
		} else if (cp < 0x10000) {
			*o++ = (char)(0xE0 | (cp >> 12));
			*o++ = (char)(0x80 | ((cp >> 6) & 0x3F));
			*o++ = (char)(0x80 | (cp & 0x3F));
		} else {
			*o++ = (char)(0xF0 | (cp >> 18));
			*o++ = (char)(0x80 | ((cp >> 12) & 0x3F));
			*o++ = (char)(0x80 | ((cp >> 6) & 0x3F));
			*o++ = (char)(0x80 | (cp & 0x3F));
		}
	}
	*o = '\0';
	return s;
}

/*
 * The title of the item on line l: its first sentence (up to 。；：, or an
 * attribution's parenthesis), or the next line's when the numbered line
 * holds nothing else.
 */
static const char *item_title(struct parser *P, size_t l, size_t last)
{
	size_t a = P->lines[l].body, b = P->lines[l].b, e, depth = 0;

	if (a >= b && l + 1 <= last && P->lines[l + 1].kind == MK_NONE) {
		a = P->lines[l + 1].a;
		b = P->lines[l + 1].b;
	}
	for (e = a; e < b; e++) {
		uint32_t cp = P->c[e].cp;

		if (cp == '(') {
			size_t m = P->match[e];

			/* an attribution in the heading ends the title */
			if (m != UINT32_MAX && m < b && m - e <= GROUP_MAX) {
				struct gp g;

				read_group(P, &g, e + 1, m);
				if (g.closed)
					break;
			}
			depth++;
		} else if (cp == ')') {
			depth -= depth > 0;
		} else if (depth == 0 && (in_set(cp, U"。;:!?") || is_terminator(P, e, a, b))) {
			break;
		}
	}
	while (e > a && (is_space(P->c[e - 1].cp) || in_set(P->c[e - 1].cp, U",、")))
		e--;
	return dup_chars(P, a, e);
}

/* ---- the item tree and the tasks -------------------------------------- */

static int build_items(struct parser *P)
{
	size_t stack[MK__COUNT], depth = 0, n = 0;

	for (size_t l = P->body_start; l < P->nlines; l++)
		n += P->lines[l].kind != MK_NONE;
	P->out->items = n;
	if (n == 0)
		return 0;
	P->items = calloc(n, sizeof(*P->items));
	if (!P->items)
		return P->oom = 1, -1;
	n = 0;
	for (size_t l = P->body_start; l < P->nlines; l++) {
		int kind = P->lines[l].kind;
		struct item *it;

		if (kind == MK_NONE)
			continue;
		while (depth > 0 && P->items[stack[depth - 1]].kind >= kind)
			depth--;
		it = &P->items[n];
		it->line = l;
		it->kind = kind;
		it->parent = depth ? stack[depth - 1] : NONE;
		it->depth = depth;
		it->task = NONE;
		stack[depth++] = n;
		n++;
	}
	P->nitems = n;
	P->line_item = malloc(P->nlines * sizeof(*P->line_item));
	if (!P->line_item)
		return P->oom = 1, -1;
	for (size_t l = 0, i = 0; l < P->nlines; l++) {
		while (i < n && P->items[i].line <= l)
			i++;
		P->line_item[l] = i > 0 ? i - 1 : NONE;
	}
	/* Each item ends before the next item of its kind or an outer one. */
	for (size_t i = 0; i < n; i++) {
		size_t j = i + 1;

		while (j < n && P->items[j].kind > P->items[i].kind)
			j++;
		P->items[i].end_line = (j < n ? P->items[j].line : P->closing_start) - 1;
		if (P->items[i].end_line < P->items[i].line)
			P->items[i].end_line = P->items[i].line;
	}
	return 0;
}

/* The item whose region holds line l, or NONE (before the body or its first item). */
static size_t item_at(const struct parser *P, size_t l)
{
	return l < P->nlines && P->line_item ? P->line_item[l] : NONE;
}

/* Assign each attribution a task item; returns the task kind. */
static int assign(struct parser *P, size_t *owner_of)
{
	size_t count[MK__COUNT] = {0};
	int tk = MK_NONE;

	for (size_t k = 0; k < P->nfound; k++) {
		size_t it = item_at(P, P->found[k].line);

		owner_of[k] = it;
		if (it != NONE && P->items[it].nown++ == 0)
			count[P->items[it].kind]++;
	}
	/* The kind with the most attributed items; in a tie the outer one. */
	for (int k = 0; k < MK__COUNT; k++)
		if (count[k] > 0 && (tk == MK_NONE || count[k] > count[tk]))
			tk = k;
	for (size_t k = 0; k < P->nfound; k++) {
		size_t it = owner_of[k], x = it;

		if (it == NONE)
			continue;
		while (x != NONE && P->items[x].kind != tk)
			x = P->items[x].parent;
		if (x == NONE) {
			x = it;
			P->items[x].self = 1;
			if (P->items[x].kind < tk)
				P->found[k].flags |= ZL_PLAN_F_SECTION_TEXT;
		} else if (x != it) {
			P->found[k].flags |= ZL_PLAN_F_SUB_ITEM;
		}
		P->items[x].task = 0; /* numbered below */
		owner_of[k] = x;
	}
	return tk;
}

static size_t root_of(const struct parser *P, size_t x)
{
	while (P->items[x].parent != NONE)
		x = P->items[x].parent;
	return x;
}

/* The text of task item x: its lines, without those of tasks inside it. */
static const char *task_text(struct parser *P, size_t x)
{
	const struct item *it = &P->items[x];
	size_t len = 0, l, j;
	char *s = NULL, *o = NULL;

	for (int pass = 0; pass < 2; pass++) {
		j = x + 1;
		for (l = it->line; l <= it->end_line; l++) {
			size_t a = l == it->line ? P->lines[l].body : P->lines[l].a;

			while (j < P->nitems && P->items[j].line < l)
				j++;
			if (j < P->nitems && P->items[j].line == l && P->items[j].task != NONE) {
				l = P->items[j].end_line;
				continue;
			}
			if (pass == 0) {
				len += raw_len(P, a, P->lines[l].b) + 1;
			} else {
				if (o > s)
					*o++ = '\n';
				o = raw_copy(P, o, a, P->lines[l].b);
			}
		}
		if (pass == 0) {
			s = o = zl_arena_alloc(&P->out->arena, len + 1);
			if (!s) {
				P->oom = 1;
				return "";
			}
		}
	}
	*o = '\0';
	return s;
}

static void add_note(struct parser *P, size_t *n, const char *kind, const char *text, size_t line)
{
	struct zl_plan_note *note = &P->out->notes[(*n)++];

	note->kind = kind;
	note->text = text;
	note->line = line + 1;
}

static const char **dup_names(struct parser *P, size_t name0, size_t n, size_t *count,
			      int only_leads)
{
	const char **v;
	size_t k = 0;

	*count = 0;
	v = zl_arena_calloc(&P->out->arena, n ? n : 1, sizeof(*v));
	if (!v) {
		P->oom = 1;
		return NULL;
	}
	for (size_t i = 0; i < n; i++) {
		const struct pname *nm = &P->names[name0 + i];

		if (only_leads && nm->role != R_LEAD && nm->role != R_GUIDE)
			continue;
		v[k++] = dup_chars(P, nm->a, nm->b);
	}
	*count = k;
	return v;
}

static int build(struct parser *P)
{
	struct zl_plan *out = P->out;
	struct zl_arena *A = &out->arena;
	size_t *owner_of = NULL, ntasks = 0, nsec = 0, nsub = 0, nnotes = 0, t, k;
	int tk, rule_from = P->rule_global;

	if (P->nfound == 0)
		return 0;
	owner_of = malloc(P->nfound * sizeof(*owner_of));
	if (!owner_of)
		return P->oom = 1, -1;
	tk = assign(P, owner_of);
	for (size_t i = 0; i < P->nitems; i++)
		if (P->items[i].task != NONE)
			P->items[i].task = ntasks++;
	for (size_t i = 0; i < P->nitems; i++) {
		if (P->items[i].kind >= tk)
			continue;
		nsec += P->items[i].depth == 0;
		nsub += P->items[i].depth == 1;
	}
	out->tasks = zl_arena_calloc(A, ntasks ? ntasks : 1, sizeof(*out->tasks));
	out->sections = zl_arena_calloc(A, nsec ? nsec : 1, sizeof(*out->sections));
	out->subsections = zl_arena_calloc(A, nsub ? nsub : 1, sizeof(*out->subsections));
	out->rules = zl_arena_calloc(A, P->nst ? P->nst : 1, sizeof(*out->rules));
	out->notes = zl_arena_calloc(A, 2 * P->nfound + 1, sizeof(*out->notes));
	if (!out->tasks || !out->sections || !out->subsections || !out->rules || !out->notes)
		goto oom;
	if (tk != MK_NONE) {
		for (size_t i = 0; i < P->nitems; i++) {
			const struct item *it = &P->items[i];
			struct zl_plan_section *s;

			if (it->kind >= tk || it->depth > 1)
				continue;
			s = it->depth == 0 ? &out->sections[out->nsections++]
					   : &out->subsections[out->nsubsections++];
			s->number = dup_number(P, P->lines[it->line].na, P->lines[it->line].nb);
			s->title = item_title(P, it->line, it->end_line);
			s->section =
				it->depth == 1
					? dup_number(P, P->lines[P->items[root_of(P, i)].line].na,
						     P->lines[P->items[root_of(P, i)].line].nb)
					: NULL;
			s->line = it->line + 1;
		}
	}
	/* Tasks and their attribution counts. */
	for (size_t i = 0; i < P->nitems; i++) {
		const struct item *it = &P->items[i];
		struct zl_plan_task *task;
		size_t r;

		if (it->task == NONE)
			continue;
		task = &out->tasks[it->task];
		task->number = dup_number(P, P->lines[it->line].na, P->lines[it->line].nb);
		r = root_of(P, i);
		if (r != i)
			task->section = dup_number(P, P->lines[P->items[r].line].na,
						   P->lines[P->items[r].line].nb);
		else if (it->kind < tk)
			task->section = task->number;
		if (it->depth >= 2)
			task->subsection = dup_number(P, P->lines[P->items[it->parent].line].na,
						      P->lines[P->items[it->parent].line].nb);
		task->title = item_title(P, it->line, it->end_line);
		task->text = task_text(P, i);
		task->line = it->line + 1;
	}
	out->ntasks = ntasks;
	for (k = 0; k < P->nfound; k++)
		if (owner_of[k] != NONE)
			out->tasks[P->items[owner_of[k]].task].nattrs++;
	for (t = 0; t < ntasks; t++) {
		out->tasks[t].attrs =
			zl_arena_calloc(A, out->tasks[t].nattrs, sizeof(*out->tasks[t].attrs));
		if (!out->tasks[t].attrs)
			goto oom;
		out->tasks[t].nattrs = 0;
	}
	for (k = 0; k < P->nfound; k++) {
		struct found *f = &P->found[k];
		struct zl_plan_attr *at_;

		/* the first-listed rule: stated on its own, or here, or before with 下同 */
		int covered = rule_from || f->rule;

		rule_from |= f->rule && f->xiatong;
		if (owner_of[k] == NONE) {
			add_note(P, &nnotes, "unattached_attribution", dup_chars(P, f->pos, f->end),
				 f->line);
			continue;
		}
		f->task = P->items[owner_of[k]].task;
		at_ = &out->tasks[f->task].attrs[out->tasks[f->task].nattrs++];
		at_->departments = dup_names(P, f->name0, f->nname, &at_->ndepartments, 0);
		if (f->flags & ZL_PLAN_F_CO_LEADS)
			at_->co_leads = dup_names(P, f->name0, f->nname, &at_->nco_leads, 1);
		at_->lead = f->lead != NONE ? at_->departments[f->lead] : NULL;
		at_->mode = f->mode;
		at_->lead_basis = f->basis == B_EXPLICIT ? ZL_PLAN_BASIS_EXPLICIT
				  : f->basis == B_FIRST	 ? (covered ? ZL_PLAN_BASIS_STATED
								    : ZL_PLAN_BASIS_PRESUMED)
							 : ZL_PLAN_BASIS_NONE;
		at_->open_ended = f->open;
		at_->flags = f->flags;
		at_->line = f->line + 1;
		if (f->junk_a < f->junk_b)
			add_note(P, &nnotes, "unread_text", dup_chars(P, f->junk_a, f->junk_b),
				 line_of(P, f->junk_a));
	}
	/* Standing rules: recorded, and flagged on every attribution from the first on. */
	for (size_t s = 0; s < P->nst; s++) {
		struct standing *st = &P->st[s];
		struct zl_plan_rule *r = &out->rules[out->nrules++];
		size_t it = item_at(P, st->line);

		while (it != NONE && P->items[it].task == NONE)
			it = P->items[it].parent;
		r->text = dup_chars(P, st->a, st->b);
		r->departments = dup_names(P, st->name0, st->nname, &r->ndepartments, 0);
		r->task = it != NONE ? out->tasks[P->items[it].task].number : NULL;
		r->line = st->line + 1;
	}
	for (t = 0; t < ntasks && out->nrules > 0; t++)
		for (size_t j = 0; j < out->tasks[t].nattrs; j++)
			if (out->tasks[t].attrs[j].line >= out->rules[0].line)
				out->tasks[t].attrs[j].flags |= ZL_PLAN_F_STANDING_RULE;
	out->nnotes = nnotes;
	free(owner_of);
	return P->oom ? -1 : 0;
oom:
	free(owner_of);
	P->oom = 1;
	return -1;
}

/* ---- public ----------------------------------------------------------- */

void zl_plan_init(struct zl_plan *p)
{
	memset(p, 0, sizeof(*p));
	p->title = "";
	zl_arena_init(&p->arena, 0);
}

void zl_plan_release(struct zl_plan *p)
{
	zl_arena_release(&p->arena);
	zl_plan_init(p);
}

static void parser_free(struct parser *P)
{
	free(P->c);
	free(P->match);
	free(P->lines);
	free(P->found);
	free(P->names);
	free(P->st);
	free(P->items);
	free(P->line_item);
}

int zl_plan_parse(const char *text, size_t n, struct zl_plan *p, struct zl_error *err)
{
	struct parser P;
	size_t m = n;

	zl_plan_release(p);
	if (n > ZL_PLAN_MAX_INPUT)
		return zl_error_set(err, ZL_ETOOBIG, "", "a plan of %zu bytes is larger than %zu",
				    n, (size_t)ZL_PLAN_MAX_INPUT);
	text = zl_utf8_strip_bom(text, &m);
	memset(&P, 0, sizeof(P));
	P.src = text;
	P.out = p;
	/* Output is at most a few copies of the text: names, titles, texts. */
	zl_arena_init(&p->arena, 8 * m + ((size_t)16 << 20));
	if (decode(&P, text, m) || split_lines(&P))
		goto fail;
	match_parens(&P);
	scan(&P);
	if (P.oom)
		goto fail;
	front_matter(&P);
	P.closing_start = P.nlines;
	if (P.nfound) {
		size_t last = P.found[P.nfound - 1].end_line, l;

		for (l = last + 1; l < P.nlines && P.lines[l].kind == MK_NONE; l++)
			;
		if (l == P.nlines && last + 1 >= P.body_start)
			P.closing_start = last + 1;
	}
	signature(&P);
	if (build_items(&P) || build(&P))
		goto fail;
	p->lead_rule = P.rule_global;
	for (size_t k = 0; k < P.nfound; k++)
		p->lead_rule |= P.found[k].rule;
	if (P.bad_bytes) {
		struct zl_plan_note *notes =
			zl_arena_calloc(&p->arena, p->nnotes + 1, sizeof(*notes));

		if (!notes)
			goto fail;
		if (p->nnotes)
			memcpy(notes, p->notes, p->nnotes * sizeof(*notes));
		notes[p->nnotes].kind = "invalid_utf8";
		notes[p->nnotes].text = zl_arena_printf(
			&p->arena,
			"%zu bytes that are not UTF-8, read as U+FFFD (the first at byte %zu)",
			P.bad_bytes, P.bad_first);
		notes[p->nnotes].line = 1;
		for (size_t i = 0; i < P.nc; i++)
			if (P.c[i].off == P.bad_first) {
				notes[p->nnotes].line = P.nlines ? line_of(&P, i) + 1 : 1;
				break;
			}
		p->notes = notes;
		p->nnotes++;
	}
	if (P.oom)
		goto fail;
	parser_free(&P);
	return ZL_OK;
fail:
	parser_free(&P);
	zl_plan_release(p);
	return zl_error_set(err, ZL_ENOMEM, "", "out of memory reading the plan");
}

int zl_plan_check(const struct zl_plan *p, struct zl_error *err)
{
	size_t loose = 0;

	if (p->ntasks > 0)
		return ZL_OK;
	for (size_t i = 0; i < p->nnotes; i++)
		loose += !strcmp(p->notes[i].kind, "unattached_attribution");
	if (loose)
		return zl_error_set(err, ZL_EUNPROC, "",
				    "not a plan: %zu attribution(s) but none under a numbered item"
				    " (%zu numbered items)",
				    loose, p->items);
	return zl_error_set(err, ZL_EUNPROC, "",
			    "not a plan: none of its %zu numbered items carries a task attribution"
			    " such as (省质监局负责) or 省质监局负责落实。",
			    p->items);
}

const char *zl_plan_mode_name(enum zl_plan_mode m)
{
	switch (m) {
	case ZL_PLAN_LEAD:
		return "lead";
	case ZL_PLAN_SHARED:
		return "shared";
	case ZL_PLAN_UNNAMED:
		return "unnamed";
	}
	return "lead";
}

const char *zl_plan_basis_name(enum zl_plan_basis b)
{
	switch (b) {
	case ZL_PLAN_BASIS_STATED:
		return "stated";
	case ZL_PLAN_BASIS_PRESUMED:
		return "presumed";
	case ZL_PLAN_BASIS_EXPLICIT:
		return "explicit";
	case ZL_PLAN_BASIS_NONE:
		break;
	}
	return NULL;
}

const char *zl_plan_flag_name(unsigned i)
{
	static const char *const names[ZL_PLAN_F_COUNT] = {
		"co_leads", "guidance",	    "no_parentheses", "unnumbered_paragraph",
		"sub_item", "section_text", "standing_rule",  "local_governments",
		"unclosed",
	};

	return i < ZL_PLAN_F_COUNT ? names[i] : NULL;
}

static void write_names(struct zl_jw *w, const char *key, const char *const *v, size_t n)
{
	zl_jw_key(w, key);
	zl_jw_arr_begin(w);
	for (size_t i = 0; i < n; i++)
		zl_jw_str(w, v[i]);
	zl_jw_arr_end(w);
}

static void write_sections(struct zl_jw *w, const char *key, const struct zl_plan_section *s,
			   size_t n, int sub)
{
	zl_jw_key(w, key);
	zl_jw_arr_begin(w);
	for (size_t i = 0; i < n; i++) {
		zl_jw_obj_begin(w);
		if (sub)
			zl_jw_kstr(w, "section", s[i].section);
		zl_jw_kstr(w, "number", s[i].number);
		zl_jw_kstr(w, "title", s[i].title);
		zl_jw_obj_end(w);
	}
	zl_jw_arr_end(w);
}

static void write_attr(struct zl_jw *w, const struct zl_plan_attr *a)
{
	zl_jw_obj_begin(w);
	write_names(w, "departments", a->departments, a->ndepartments);
	zl_jw_kstr(w, "lead", a->lead);
	zl_jw_kstr(w, "mode", zl_plan_mode_name(a->mode));
	zl_jw_kstr(w, "lead_basis", zl_plan_basis_name(a->lead_basis));
	zl_jw_kbool(w, "open_ended", a->open_ended);
	zl_jw_key(w, "flags");
	zl_jw_arr_begin(w);
	for (unsigned i = 0; i < ZL_PLAN_F_COUNT; i++)
		if (a->flags & (1u << i))
			zl_jw_str(w, zl_plan_flag_name(i));
	zl_jw_arr_end(w);
	if (a->flags & ZL_PLAN_F_CO_LEADS)
		write_names(w, "co_leads", a->co_leads, a->nco_leads);
	zl_jw_obj_end(w);
}

void zl_plan_write_notes(const struct zl_plan *p, struct zl_jw *w)
{
	zl_jw_key(w, "standing_rules");
	zl_jw_arr_begin(w);
	for (size_t i = 0; i < p->nrules; i++) {
		zl_jw_obj_begin(w);
		zl_jw_kstr(w, "text", p->rules[i].text);
		write_names(w, "departments", p->rules[i].departments, p->rules[i].ndepartments);
		zl_jw_kstr(w, "task", p->rules[i].task);
		zl_jw_obj_end(w);
	}
	zl_jw_arr_end(w);
	zl_jw_key(w, "notes");
	zl_jw_arr_begin(w);
	for (size_t i = 0; i < p->nnotes; i++) {
		zl_jw_obj_begin(w);
		zl_jw_kint(w, "line", (int64_t)p->notes[i].line);
		zl_jw_kstr(w, "kind", p->notes[i].kind);
		zl_jw_kstr(w, "text", p->notes[i].text);
		zl_jw_obj_end(w);
	}
	zl_jw_arr_end(w);
}

int zl_plan_write_json(const struct zl_plan *p, struct zl_jw *w)
{
	zl_jw_obj_begin(w);
	zl_jw_kstr(w, "title", p->title ? p->title : "");
	zl_jw_kstr(w, "issuer", p->issuer);
	zl_jw_kstr(w, "date", p->date);
	zl_jw_kstr(w, "lead_rule", p->lead_rule ? "first_listed" : NULL);
	write_sections(w, "sections", p->sections, p->nsections, 0);
	write_sections(w, "subsections", p->subsections, p->nsubsections, 1);
	zl_jw_key(w, "tasks");
	zl_jw_arr_begin(w);
	for (size_t i = 0; i < p->ntasks; i++) {
		const struct zl_plan_task *t = &p->tasks[i];

		zl_jw_obj_begin(w);
		zl_jw_kstr(w, "number", t->number);
		zl_jw_kstr(w, "section", t->section);
		zl_jw_kstr(w, "subsection", t->subsection);
		zl_jw_kstr(w, "title", t->title);
		zl_jw_kstr(w, "text", t->text);
		zl_jw_key(w, "attributions");
		zl_jw_arr_begin(w);
		for (size_t j = 0; j < t->nattrs; j++)
			write_attr(w, &t->attrs[j]);
		zl_jw_arr_end(w);
		zl_jw_obj_end(w);
	}
	zl_jw_arr_end(w);
	zl_plan_write_notes(p, w);
	zl_jw_obj_end(w);
	return zl_jw_error(w);
}
