/*
 * enterprise_search.c - list, search and count the enterprise register
 * (see enterprise_search.h for the matching rules and the plans, and
 * docs/search.md for the measurements behind the thresholds).
 *
 * The name terms are answered in C from the postings index
 * (store/enterprise_index.h): the candidate ids L.  Everything else (the
 * other filters, the confirming LIKEs of long terms, sort, keyset cursor)
 * is SQL, assembled from fixed fragments chosen by the shape of the filter;
 * every value from the request is a bound parameter.  The number of distinct
 * texts is bounded (ZL_ENT_TERMS_MAX, four sorts, five filters, two plans),
 * so the driver's statement cache stays small.
 */
#include "store/enterprise_search.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "domain/grams.h"
#include "domain/postings.h"
#include "store/enterprise_index.h"

/*
 * Automatic plan (docs/search.md has the measurements).  Reading a row of
 * L by its eid costs about `ratio` times reading the next row of a walk:
 * WALK_RATIO_SQLITE (a random page against the page just read) or
 * WALK_RATIO_PG (there every walked row also crosses the wire).  Without
 * other conditions a walk reads about limit * rows / |L| rows for a page
 * and nothing for the total, so the list plan wins while
 * |L|^2 * ratio <= limit * rows; with other conditions a walk also reads
 * every row meeting them for the total (and a count of buckets reads them
 * all), so the list plan wins while |L| * ratio <= rows.  Up to LIST_MIN
 * ids the list plan always wins.
 */
#define LIST_MIN 256
#define WALK_RATIO_SQLITE 16
#define WALK_RATIO_PG 2
/* Walking plan: rows read per batch (one statement each). */
#define WALK_BATCH_MIN 64
#define WALK_BATCH_MAX 65536
/* Counting walk on PostgreSQL: rows per batch (libpq holds a whole result). */
#define COUNT_BATCH 65536
#define BINDS_MAX (2 * ZL_ENT_TERMS_MAX + 16)

enum mode {
	MODE_SCAN,  /* no gram term: SQL alone (no q, or one-character terms only) */
	MODE_EMPTY, /* the gram terms have no common posting: nothing matches */
	MODE_LIST,  /* L travels to SQL as one bound parameter */
	MODE_WALK   /* SQL walks the register in order; C keeps the rows in L */
};

struct plan {
	char terms[ZL_ENT_TERMS_MAX][ZL_ENT_Q_MAX + 1]; /* normalised terms */
	size_t nterms;
	/* "%term%" of each term that its grams cannot decide by themselves */
	char likes[ZL_ENT_TERMS_MAX][ZL_ENT_Q_MAX + 3];
	size_t nlikes;
	char grams[ZL_ENT_GRAMS_MAX][ZL_GRAM_SIZE];
	size_t ngrams;
	/* code prefix filters: LIKE 'prefix%' and the range [lo, hi) */
	char region_like[16], region_lo[16], region_hi[16];
	char industry_like[16], industry_lo[16], industry_hi[16];
	const struct zl_ent_filter *f;
	enum mode mode;
	int pg;
	struct zl_ids cand; /* L: sorted, distinct eids (MODE_LIST, MODE_WALK) */
	uint64_t *bits;	    /* MODE_WALK: L as a bitmap over eids < nbits, or NULL */
	uint64_t nbits;
	struct zl_buf list;  /* MODE_LIST: L as the bound text */
	int64_t rows;	     /* MODE_WALK: the register's size (max eid) */
	double ratio;	     /* cost of a list probe / a walked row */
	int64_t batch0;	     /* MODE_WALK: first batch; 0: sized by the density of L */
	int64_t count_batch; /* MODE_WALK on PostgreSQL: rows per counting batch */
	struct zl_ids found; /* MODE_WALK: the rows matching everything (M), from the total */
	int found_valid;     /* found holds M */
	int64_t seen;	     /* rows meeting the other conditions, read by that walk */
	char cursor[ZL_ENT_KEY_MAX]; /* MODE_WALK: uscc of the last row read */
	const char *binds[BINDS_MAX];
	size_t nbinds;
};

static const char *const sort_cols[] = {"uscc", "name", "founded", "updated_at"};
static const char *const count_exprs[] = {"e.region", "substr(e.industry, 1, 2)", "e.status"};

int zl_ent_sort_parse(const char *s, enum zl_ent_sort *out)
{
	if (strcmp(s, "uscc") == 0)
		*out = ZL_ENT_SORT_USCC;
	else if (strcmp(s, "name") == 0)
		*out = ZL_ENT_SORT_NAME;
	else if (strcmp(s, "founded") == 0)
		*out = ZL_ENT_SORT_FOUNDED;
	else if (strcmp(s, "updated_at") == 0)
		*out = ZL_ENT_SORT_UPDATED;
	else
		return ZL_EINVAL;
	return ZL_OK;
}

int zl_ent_count_parse(const char *s, enum zl_ent_count *out)
{
	if (strcmp(s, "region") == 0)
		*out = ZL_ENT_COUNT_REGION;
	else if (strcmp(s, "industry") == 0)
		*out = ZL_ENT_COUNT_INDUSTRY;
	else if (strcmp(s, "status") == 0)
		*out = ZL_ENT_COUNT_STATUS;
	else
		return ZL_EINVAL;
	return ZL_OK;
}

static int set(const char *s)
{
	return s != NULL && *s != '\0';
}

static int all_digits(const char *s, size_t min, size_t max)
{
	size_t n = strlen(s), i;

	if (n < min || n > max)
		return 0;
	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

/* Split q into normalised terms (grams.h rules), filling p->terms. */
static int split_terms(struct plan *p, const char *q, struct zl_error *err)
{
	size_t n = strlen(q), i = 0, adv, len = 0;
	char c[5];

	if (n > ZL_ENT_Q_MAX)
		return zl_error_set(err, ZL_EINVAL, "q", "q is longer than %d bytes", ZL_ENT_Q_MAX);
	p->nterms = 0;
	while (i <= n) {
		int kept = i < n && zl_gram_char(q + i, n - i, &adv, c);

		if (i == n)
			adv = 1;
		if (kept) {
			size_t cl = strlen(c);

			if (len == 0 && p->nterms == ZL_ENT_TERMS_MAX)
				return zl_error_set(err, ZL_EINVAL, "q", "q has more than %d words",
						    ZL_ENT_TERMS_MAX);
			/* normalised text is never longer than the input */
			memcpy(p->terms[p->nterms] + len, c, cl);
			len += cl;
		} else if (len > 0) {
			p->terms[p->nterms++][len] = '\0';
			len = 0;
		}
		i += adv;
	}
	if (p->nterms == 0)
		return zl_error_set(err, ZL_EINVAL, "q",
				    "q has no letters or characters to search for");
	return ZL_OK;
}

int zl_ent_filter_check(const struct zl_ent_filter *f, struct zl_error *err)
{
	struct plan p;
	size_t i;

	if (set(f->q) && split_terms(&p, f->q, err) != ZL_OK)
		return ZL_EINVAL;
	/* A region code names its subtree by its significant digits:
	 * 41 (province), 4101 (city), 410102 (county). */
	if (set(f->region) && !all_digits(f->region, 2, 6))
		return zl_error_set(err, ZL_EINVAL, "region", "region must be a GB/T 2260 code");
	if (set(f->industry) && !all_digits(f->industry, 2, 4))
		return zl_error_set(err, ZL_EINVAL, "industry",
				    "industry must be a GB/T 4754 code of 2 to 4 digits");
	if (set(f->status) && strcmp(f->status, "operating") != 0 &&
	    strcmp(f->status, "revoked") != 0 && strcmp(f->status, "cancelled") != 0)
		return zl_error_set(err, ZL_EINVAL, "status",
				    "status must be operating, revoked or cancelled");
	if (set(f->cert)) {
		for (i = 0; f->cert[i]; i++)
			if (!((f->cert[i] >= 'a' && f->cert[i] <= 'z') || f->cert[i] == '_' ||
			      (f->cert[i] >= '0' && f->cert[i] <= '9')))
				break;
		if (f->cert[i] != '\0' || i > 32)
			return zl_error_set(err, ZL_EINVAL, "cert",
					    "cert must be a certification kind such as iso9001");
	}
	if (set(f->after) && strlen(f->after) >= ZL_ENT_KEY_MAX)
		return zl_error_set(err, ZL_EINVAL, "cursor", "bad cursor");
	if ((unsigned)f->sort > ZL_ENT_SORT_UPDATED)
		return zl_error_set(err, ZL_EINVAL, "sort", "bad sort");
	return ZL_OK;
}

/* Significant prefix of a region code ("410100" -> "4101%"). */
static void region_prefix(const char *code, char *out, size_t n)
{
	size_t len = strlen(code);

	if (len > n - 2) /* checked digits: at most 6 */
		len = n - 2;
	while (len > 2 && len % 2 == 0 && code[len - 1] == '0' && code[len - 2] == '0')
		len -= 2;
	memcpy(out, code, len);
	out[len] = '%';
	out[len + 1] = '\0';
}

/*
 * The codes starting with the digits of `like` ("4101%") are the range
 * [lo, hi) = ["4101", "4102") in any collation, since codes are digits;
 * the range lets both backends use the column's index (a LIKE prefix uses
 * an index on neither by default).  hi is "" when every digit is 9 (no
 * upper bound).
 */
static void prefix_range(const char *like, char *lo, char *hi)
{
	size_t n = strlen(like) - 1, i; /* without the % */

	memcpy(lo, like, n);
	lo[n] = '\0';
	memcpy(hi, like, n);
	hi[n] = '\0';
	for (i = n; i > 0; i--) {
		if (hi[i - 1] != '9') {
			hi[i - 1]++;
			hi[i] = '\0';
			return;
		}
	}
	hi[0] = '\0';
}

static void plan_free(struct plan *p)
{
	if (p == NULL)
		return;
	zl_ids_release(&p->cand);
	zl_ids_release(&p->found);
	free(p->bits);
	zl_buf_release(&p->list);
	free(p);
}

/*
 * L = the intersection of the postings of every gram, rarest first (by
 * zl_store_gram_estimate, which reads no blob), stopping as soon as it is
 * empty.  Sets MODE_EMPTY when nothing is left.
 */
static int candidates(struct zl_db *db, struct plan *p, struct zl_error *err)
{
	struct zl_ids next = ZL_IDS_INIT, tmp = ZL_IDS_INIT, swap;
	int64_t est[ZL_ENT_GRAMS_MAX];
	size_t order[ZL_ENT_GRAMS_MAX], i, j;
	int rc = ZL_OK;

	for (i = 0; i < p->ngrams; i++) {
		rc = zl_store_gram_estimate(db, p->grams[i], &est[i], err);
		if (rc != ZL_OK)
			return rc;
		for (j = i; j > 0 && est[order[j - 1]] > est[i]; j--)
			order[j] = order[j - 1];
		order[j] = i;
	}
	/* The estimate is an upper bound: 0 means no postings at all. */
	if (est[order[0]] == 0) {
		p->mode = MODE_EMPTY;
		return ZL_OK;
	}
	rc = zl_store_gram_postings(db, p->grams[order[0]], &p->cand, err);
	for (i = 1; rc == ZL_OK && i < p->ngrams && p->cand.n > 0; i++) {
		zl_ids_clear(&next);
		rc = zl_store_gram_postings(db, p->grams[order[i]], &next, err);
		if (rc == ZL_OK)
			rc = zl_ids_intersect(&p->cand, &next, &tmp);
		if (rc == ZL_OK) {
			swap = p->cand;
			p->cand = tmp;
			tmp = swap;
		}
	}
	zl_ids_release(&next);
	zl_ids_release(&tmp);
	if (rc == ZL_OK && p->cand.n == 0)
		p->mode = MODE_EMPTY;
	return rc;
}

/* Decimal digits of v into out (room for 20), returning the length. */
static size_t u64_dec(uint64_t v, char *out)
{
	char t[20];
	size_t n = 0, i;

	do {
		t[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v > 0);
	for (i = 0; i < n; i++)
		out[i] = t[n - 1 - i];
	return n;
}

/*
 * L as one bound text: a JSON array "[1,2,3]" for SQLite's json_each(), an
 * array literal "{1,2,3}" for PostgreSQL's CAST(? AS BIGINT[]).
 */
static int make_list(struct plan *p)
{
	char d[20];
	size_t i;

	zl_buf_init(&p->list, p->cand.n * 21 + 16);
	zl_buf_addch(&p->list, p->pg ? '{' : '[');
	for (i = 0; i < p->cand.n; i++) {
		if (i > 0)
			zl_buf_addch(&p->list, ',');
		zl_buf_add(&p->list, d, u64_dec(p->cand.v[i], d));
	}
	zl_buf_addch(&p->list, p->pg ? '}' : ']');
	return p->list.err == 0 ? ZL_OK : ZL_ENOMEM;
}

/*
 * Membership for the walking plan: a bitmap over the eids when it costs
 * at most 4 times the id list itself plus 128 KiB (eids are dense: they
 * count the register's records), else binary search in L.
 */
static int make_bits(struct plan *p)
{
	uint64_t last = p->cand.v[p->cand.n - 1], words = last / 64 + 1, id;
	size_t i;

	if (words > 4 * (uint64_t)p->cand.n + 16384)
		return ZL_OK;
	p->bits = calloc((size_t)words, sizeof(uint64_t));
	if (p->bits == NULL)
		return ZL_ENOMEM;
	p->nbits = words * 64;
	for (i = 0; i < p->cand.n; i++) {
		id = p->cand.v[i];
		p->bits[id / 64] |= (uint64_t)1 << (id % 64);
	}
	return ZL_OK;
}

static int member(const struct plan *p, int64_t eid)
{
	uint64_t id = (uint64_t)eid;

	if (eid <= 0)
		return 0;
	if (p->bits != NULL)
		return id < p->nbits && ((p->bits[id / 64] >> (id % 64)) & 1) != 0;
	return zl_ids_contains(&p->cand, id);
}

/* The register's size, for the density of L: max(eid), one index probe. */
static int register_rows(struct zl_db *db, int64_t *out, struct zl_error *err)
{
	struct zl_stmt *st;
	int rc;

	rc = zl_db_prepare(db, "SELECT max(eid) FROM enterprises", &st, err);
	if (rc != ZL_OK)
		return rc;
	rc = zl_stmt_step(st, err);
	*out = rc == ZL_DB_ROW ? zl_stmt_column_int64(st, 0) : 0;
	zl_stmt_reset(st);
	return rc < 0 ? rc : ZL_OK;
}

/* Conditions besides the gram terms: then |L| is not the total. */
static int has_others(const struct plan *p)
{
	const struct zl_ent_filter *f = p->f;

	return p->nlikes > 0 || set(f->region) || set(f->industry) || set(f->status) ||
	       set(f->cert);
}

static int choose_mode(struct zl_db *db, struct plan *p, int counting, struct zl_error *err)
{
	const struct zl_ent_filter *f = p->f;
	double n = (double)p->cand.n, limit;
	int rc;

	rc = register_rows(db, &p->rows, err);
	if (rc != ZL_OK)
		return rc;
	if (p->rows < (int64_t)p->cand.n)
		p->rows = (int64_t)p->cand.n;
	if (f->plan == 1)
		p->mode = MODE_LIST;
	else if (f->plan == 2 || f->plan == 3)
		p->mode = MODE_WALK;
	else if (p->cand.n <= LIST_MIN)
		p->mode = MODE_LIST;
	else if (counting || has_others(p))
		p->mode = n * p->ratio <= (double)p->rows ? MODE_LIST : MODE_WALK;
	else {
		/* "All rows" (an export) reads at most the whole register. */
		limit = f->limit > 0 ? (double)f->limit : (double)p->rows;
		p->mode = n * n * p->ratio <= limit * (double)p->rows ? MODE_LIST : MODE_WALK;
	}
	return p->mode == MODE_LIST ? make_list(p) : make_bits(p);
}

/* `counting`: the plan is for count buckets (every row meeting the conditions is read). */
static int plan_make(struct zl_db *db, const struct zl_ent_filter *f, int counting,
		     struct plan **out, struct zl_error *err)
{
	char g[ZL_NAME_GRAMS_MAX][ZL_GRAM_SIZE];
	struct zl_ids empty = ZL_IDS_INIT;
	size_t t, k, j, ng, chars, gl;
	struct plan *p;
	int rc, dropped;

	*out = NULL;
	rc = zl_ent_filter_check(f, err);
	if (rc != ZL_OK)
		return rc;
	p = malloc(sizeof(*p));
	if (p == NULL)
		return zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
	memset(p, 0, sizeof(*p));
	p->cand = empty;
	p->found = empty;
	zl_buf_init(&p->list, 0);
	p->f = f;
	p->mode = MODE_SCAN;
	p->pg = strcmp(zl_db_backend(db), "postgres") == 0;
	p->ratio = p->pg ? WALK_RATIO_PG : WALK_RATIO_SQLITE;
	/* Plan 3 (tests): walk in the smallest batches, so that small data
	 * still crosses batch boundaries. */
	p->batch0 = f->plan == 3 ? 2 : 0;
	p->count_batch = f->plan == 3 ? 2 : COUNT_BATCH;
	*out = p;
	if (set(f->region)) {
		region_prefix(f->region, p->region_like, sizeof(p->region_like));
		prefix_range(p->region_like, p->region_lo, p->region_hi);
	}
	if (set(f->industry)) {
		snprintf(p->industry_like, sizeof(p->industry_like), "%s%%", f->industry);
		prefix_range(p->industry_like, p->industry_lo, p->industry_hi);
	}
	if (!set(f->q))
		return ZL_OK;
	split_terms(p, f->q, err);
	for (t = 0; t < p->nterms; t++) {
		chars = zl_gram_len(p->terms[t], strlen(p->terms[t]));
		dropped = 0;
		if (chars >= 2) {
			ng = zl_name_grams(p->terms[t], strlen(p->terms[t]), g, ZL_NAME_GRAMS_MAX);
			for (k = 0; k < ng; k++) {
				/* A term of 2 or 3 characters is one of its own grams (the
				 * last one); a longer term is looked up by its trigrams. */
				gl = zl_gram_len(g[k], strlen(g[k]));
				if (chars <= 3 ? gl != chars : gl != 3)
					continue;
				for (j = 0; j < p->ngrams && strcmp(p->grams[j], g[k]) != 0; j++)
					;
				if (j < p->ngrams)
					continue;
				if (p->ngrams == ZL_ENT_GRAMS_MAX) {
					dropped = 1;
					continue;
				}
				memcpy(p->grams[p->ngrams++], g[k], ZL_GRAM_SIZE);
			}
		}
		/* Two or three characters: the gram is the term, nothing to confirm. */
		if (chars == 1 || chars > 3 || dropped)
			snprintf(p->likes[p->nlikes++], sizeof(p->likes[0]), "%%%s%%", p->terms[t]);
	}
	if (p->ngrams == 0)
		return ZL_OK;
	rc = candidates(db, p, err);
	if (rc == ZL_OK && p->mode != MODE_EMPTY)
		rc = choose_mode(db, p, counting, err);
	if (rc == ZL_ENOMEM && err->code == ZL_OK)
		zl_error_set(err, rc, NULL, "out of memory");
	return rc;
}

static void bind(struct plan *p, const char *v)
{
	if (p->nbinds < BINDS_MAX) /* BINDS_MAX covers the largest plan */
		p->binds[p->nbinds++] = v;
}

/* A code prefix condition: the range for the index, the LIKE for exactness. */
static void add_prefix(struct plan *p, struct zl_buf *sql, const char *pre, const char *col,
		       const char *like, const char *lo, const char *hi)
{
	zl_buf_addf(sql, " AND %se.%s >= ?", pre, col);
	bind(p, lo);
	if (*hi != '\0') {
		zl_buf_addf(sql, " AND %se.%s < ?", pre, col);
		bind(p, hi);
	}
	zl_buf_addf(sql, " AND e.%s LIKE ?", col);
	bind(p, like);
}

/*
 * Append FROM ... WHERE ...: L when `use_list`, the confirming LIKEs and
 * the filters.  Starts the bind list afresh.  `page`: the query of a page
 * in uscc order, which should read the uscc index in order and stop after
 * the page; given an index on a filter column (region: a tenth of the
 * register for a city) SQLite's planner prefers it and sorts every row of
 * the filter instead (0.6 s for a city at a million records, against
 * under 1 ms for the walk).  SQLite's unary + on the column keeps it from
 * that index; PostgreSQL weighs the LIMIT itself (and has no unary + for
 * text).
 */
static void add_from_where(struct plan *p, struct zl_buf *sql, int use_list, int page)
{
	const struct zl_ent_filter *f = p->f;
	const char *pre = page && !p->pg && f->sort == ZL_ENT_SORT_USCC ? "+" : "";
	size_t k;

	p->nbinds = 0;
	zl_buf_adds(sql, " FROM enterprises e WHERE 1 = 1");
	if (use_list) {
		/*
		 * L is ONE bound text, so the SQL text does not depend on its
		 * length (one cached statement) and no parameter limit applies.
		 * Reading a list out of one parameter has no portable spelling
		 * (docs/store.md): SQLite's json_each() table function, and
		 * PostgreSQL's array cast, chosen here by backend.  Both plan a
		 * probe per id: of the table itself on SQLite (eid is its rowid),
		 * of the unique index enterprises_eid on PostgreSQL.
		 */
		zl_buf_adds(sql, p->pg ? " AND e.eid = ANY (CAST(? AS BIGINT[]))"
				       : " AND e.eid IN (SELECT value FROM json_each(?))");
		bind(p, zl_buf_str(&p->list));
	}
	for (k = 0; k < p->nlikes; k++) {
		zl_buf_adds(sql, " AND (lower(e.name) LIKE ? OR EXISTS (SELECT 1 FROM"
				 " enterprise_former_names f WHERE f.uscc = e.uscc"
				 " AND lower(f.name) LIKE ?))");
		bind(p, p->likes[k]);
		bind(p, p->likes[k]);
	}
	if (set(f->region))
		add_prefix(p, sql, pre, "region", p->region_like, p->region_lo, p->region_hi);
	if (set(f->industry))
		add_prefix(p, sql, pre, "industry", p->industry_like, p->industry_lo,
			   p->industry_hi);
	if (set(f->status)) {
		zl_buf_addf(sql, " AND %se.status = ?", pre);
		bind(p, f->status);
	}
	if (set(f->cert)) {
		/* IN, not a correlated EXISTS: the holders of the kind are read once from
		 * enterprise_certs_kind, and the planner may drive the query from them. */
		zl_buf_adds(sql, " AND e.uscc IN (SELECT c.uscc FROM enterprise_certs c"
				 " WHERE c.kind = ? AND c.status = 'valid')");
		bind(p, f->cert);
	}
}

/* Keyset condition: rows after the row whose uscc is `cursor`, in sort order. */
static void add_keyset(struct plan *p, struct zl_buf *sql, const char *cursor)
{
	const char *col = sort_cols[p->f->sort], *cmp = p->f->desc ? "<" : ">";

	if (p->f->sort == ZL_ENT_SORT_USCC) {
		zl_buf_addf(sql, " AND e.uscc %s ?", cmp);
		bind(p, cursor);
		return;
	}
	/* The last row's sort key is read back from the row itself. */
	zl_buf_addf(sql,
		    " AND (e.%s %s (SELECT s.%s FROM enterprises s WHERE"
		    " s.uscc = ?) OR (e.%s = (SELECT s.%s FROM enterprises s"
		    " WHERE s.uscc = ?) AND e.uscc %s ?))",
		    col, cmp, col, col, col, cmp);
	bind(p, cursor);
	bind(p, cursor);
	bind(p, cursor);
}

static void add_order(const struct plan *p, struct zl_buf *sql)
{
	const char *dir = p->f->desc ? "DESC" : "ASC";

	if (p->f->sort == ZL_ENT_SORT_USCC)
		zl_buf_addf(sql, " ORDER BY e.uscc %s LIMIT ?", dir);
	else
		zl_buf_addf(sql, " ORDER BY e.%s %s, e.uscc %s LIMIT ?", sort_cols[p->f->sort], dir,
			    dir);
}

static int run_prepared(struct zl_db *db, struct plan *p, const struct zl_buf *sql,
			struct zl_stmt **st, struct zl_error *err)
{
	size_t i;
	int rc;

	if (sql->err != 0)
		return zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
	rc = zl_db_prepare(db, zl_buf_str(sql), st, err);
	if (rc != ZL_OK)
		return rc;
	for (i = 0; i < p->nbinds; i++)
		zl_stmt_bind_text(*st, (int)i + 1, p->binds[i], -1);
	return ZL_OK;
}

#define ENT_COLS                                                                                   \
	"e.uscc, e.org_code, e.legacy, e.name, e.region, e.industry, e.address, e.legal_rep,"      \
	" e.registered_capital, e.founded, e.size_class, e.status, e.cqo_name,"                    \
	" e.cqo_appointed, e.version, e.created_at, e.updated_at, e.eid"
#define COL_EID 17

static void read_row(struct zl_stmt *st, struct zl_enterprise *e)
{
	memset(e, 0, sizeof(*e));
	zl_strlcpy(e->uscc, zl_stmt_column_text(st, 0), sizeof(e->uscc));
	zl_strlcpy(e->org_code, zl_stmt_column_text(st, 1), sizeof(e->org_code));
	e->legacy = (int)zl_stmt_column_int64(st, 2);
	zl_strlcpy(e->name, zl_stmt_column_text(st, 3), sizeof(e->name));
	zl_strlcpy(e->region, zl_stmt_column_text(st, 4), sizeof(e->region));
	zl_strlcpy(e->industry, zl_stmt_column_text(st, 5), sizeof(e->industry));
	zl_strlcpy(e->address, zl_stmt_column_text(st, 6), sizeof(e->address));
	zl_strlcpy(e->legal_rep, zl_stmt_column_text(st, 7), sizeof(e->legal_rep));
	zl_strlcpy(e->registered_capital, zl_stmt_column_text(st, 8),
		   sizeof(e->registered_capital));
	zl_strlcpy(e->founded, zl_stmt_column_text(st, 9), sizeof(e->founded));
	zl_strlcpy(e->size_class, zl_stmt_column_text(st, 10), sizeof(e->size_class));
	zl_strlcpy(e->status, zl_stmt_column_text(st, 11), sizeof(e->status));
	zl_strlcpy(e->cqo_name, zl_stmt_column_text(st, 12), sizeof(e->cqo_name));
	zl_strlcpy(e->cqo_appointed, zl_stmt_column_text(st, 13), sizeof(e->cqo_appointed));
	e->version = zl_stmt_column_int64(st, 14);
	zl_strlcpy(e->created_at, zl_stmt_column_text(st, 15), sizeof(e->created_at));
	zl_strlcpy(e->updated_at, zl_stmt_column_text(st, 16), sizeof(e->updated_at));
}

/*
 * Walk the eids of the rows meeting every condition but L (restricted to
 * L in SQL too when `use_list`), plus the value of `expr` when not NULL,
 * calling fn for those in L.  SQLite streams one statement; PostgreSQL's
 * driver holds a whole result in memory, so there the walk goes in
 * batches of count_batch by eid (keyset on the unique enterprises_eid
 * index; SQLite's eid is the rowid).
 */
typedef int walk_fn(void *cls, int64_t eid, const char *value);

static int walk_eids(struct zl_db *db, struct plan *p, int use_list, const char *expr, walk_fn *fn,
		     void *cls, struct zl_error *err)
{
	struct zl_buf sql = ZL_BUF_INIT(1 << 16);
	struct zl_stmt *st = NULL;
	int64_t last = 0, got, eid;
	int rc;

	zl_buf_adds(&sql, "SELECT e.eid");
	if (expr != NULL)
		zl_buf_addf(&sql, ", %s", expr);
	add_from_where(p, &sql, use_list, 0);
	if (p->pg)
		zl_buf_adds(&sql, " AND e.eid > ? ORDER BY e.eid LIMIT ?");
	for (;;) {
		rc = run_prepared(db, p, &sql, &st, err);
		if (rc != ZL_OK)
			break;
		if (p->pg) {
			zl_stmt_bind_int64(st, (int)p->nbinds + 1, last);
			zl_stmt_bind_int64(st, (int)p->nbinds + 2, p->count_batch);
		}
		got = 0;
		while ((rc = zl_stmt_step(st, err)) == ZL_DB_ROW) {
			got++;
			p->seen++;
			eid = zl_stmt_column_int64(st, 0);
			last = eid;
			if (!member(p, eid))
				continue;
			rc = fn(cls, eid, expr != NULL ? zl_stmt_column_text(st, 1) : NULL);
			if (rc != ZL_OK)
				break;
		}
		zl_stmt_reset(st);
		st = NULL;
		if (rc != ZL_OK || !p->pg || got < p->count_batch)
			break;
	}
	zl_stmt_done(st);
	zl_buf_release(&sql);
	return rc;
}

/* The total of the walking plan keeps the matching eids (M) for the page. */
static int keep_match(void *cls, int64_t eid, const char *value)
{
	struct plan *p = cls;

	(void)value;
	return zl_ids_push(&p->found, (uint64_t)eid);
}

static int count_total(struct zl_db *db, struct plan *p, int64_t *total, struct zl_error *err)
{
	struct zl_buf sql = ZL_BUF_INIT(1 << 16);
	struct zl_stmt *st = NULL;
	int rc;

	*total = 0;
	if (p->mode == MODE_EMPTY)
		return ZL_OK;
	/* Postings are distinct and name existing records: |L| is exact. */
	if (p->mode != MODE_SCAN && !has_others(p)) {
		*total = (int64_t)p->cand.n;
		return ZL_OK;
	}
	/*
	 * With other conditions the plans read the matching eids M (in SQL over
	 * L, or by a walk), so that the page can then be read over M alone.
	 */
	if (p->mode == MODE_WALK || p->mode == MODE_LIST) {
		p->seen = 0;
		zl_ids_clear(&p->found);
		rc = walk_eids(db, p, p->mode == MODE_LIST, NULL, keep_match, p, err);
		*total = (int64_t)p->found.n;
		p->found_valid = rc == ZL_OK;
		return rc;
	}
	zl_buf_adds(&sql, "SELECT count(*)");
	add_from_where(p, &sql, p->mode == MODE_LIST, 0);
	rc = run_prepared(db, p, &sql, &st, err);
	if (rc == ZL_OK) {
		rc = zl_stmt_step(st, err);
		if (rc == ZL_DB_ROW)
			*total = zl_stmt_column_int64(st, 0);
		rc = rc < 0 ? rc : ZL_OK;
	}
	zl_stmt_done(st);
	zl_buf_release(&sql);
	return rc;
}

/*
 * The page query: columns (`narrow`: uscc and eid only), conditions,
 * keyset after `cursor` (NULL: none), order.
 */
static void page_sql(struct plan *p, struct zl_buf *sql, const char *cursor, int narrow)
{
	zl_buf_reset(sql);
	zl_buf_adds(sql, narrow ? "SELECT e.uscc, e.eid" : "SELECT " ENT_COLS);
	add_from_where(p, sql, p->mode == MODE_LIST, 1);
	if (cursor != NULL)
		add_keyset(p, sql, cursor);
	add_order(p, sql);
}

/* MODE_SCAN and MODE_LIST: one statement gives the page. */
static int list_rows(struct zl_db *db, struct plan *p, zl_ent_row_fn *fn, void *cls,
		     struct zl_error *err)
{
	const struct zl_ent_filter *f = p->f;
	struct zl_buf sql = ZL_BUF_INIT(1 << 16);
	struct zl_stmt *st = NULL;
	struct zl_enterprise e;
	int rc;

	page_sql(p, &sql, set(f->after) ? f->after : NULL, 0);
	rc = run_prepared(db, p, &sql, &st, err);
	if (rc == ZL_OK) {
		zl_stmt_bind_int64(st, (int)p->nbinds + 1, f->limit > 0 ? f->limit : INT64_MAX);
		while ((rc = zl_stmt_step(st, err)) == ZL_DB_ROW) {
			read_row(st, &e);
			rc = fn(cls, &e);
			if (rc != ZL_OK)
				break;
		}
		rc = rc == ZL_DB_DONE ? ZL_OK : rc;
	}
	zl_stmt_done(st);
	zl_buf_release(&sql);
	return rc;
}

/*
 * MODE_WALK: read the register in sort order (other conditions in SQL) in
 * batches, keeping the rows in L, until `limit` rows are found.  The first
 * batch is sized by the density of L (|L| / rows, or the matches per row
 * seen by the total's walk) to hold the page with a margin; each further
 * batch doubles, continuing after the last row read.  A page walks only
 * uscc and eid (on PostgreSQL every row of a batch crosses the wire), then
 * reads its rows by the list plan over the eids found, in the same order;
 * "all rows" (an export) walks every column in one pass instead.
 */
static int walk_rows(struct zl_db *db, struct plan *p, zl_ent_row_fn *fn, void *cls,
		     struct zl_error *err)
{
	const struct zl_ent_filter *f = p->f;
	struct zl_buf sql = ZL_BUF_INIT(1 << 16);
	struct zl_ids page = ZL_IDS_INIT;
	struct zl_stmt *st = NULL;
	struct zl_enterprise e;
	int64_t want = f->limit > 0 ? f->limit : INT64_MAX, sent = 0, batch, got, eid;
	int keyed = set(f->after), narrow = f->limit > 0, rc = ZL_OK, stop = 0;
	double need;

	if (keyed)
		zl_strlcpy(p->cursor, f->after, sizeof(p->cursor));
	if (p->batch0 > 0) {
		batch = p->batch0;
	} else if (f->limit > 0) {
		if (p->found_valid) /* rows meeting the other conditions per match */
			need = (double)want * (double)p->seen / (double)p->found.n * 1.25 + 32;
		else
			need = (double)want * (double)p->rows / (double)p->cand.n * 1.25 + 32;
		batch = need > WALK_BATCH_MAX	? WALK_BATCH_MAX
			: need < WALK_BATCH_MIN ? WALK_BATCH_MIN
						: (int64_t)need;
	} else {
		batch = INT64_MAX; /* every row: one pass */
	}
	while (!stop) {
		page_sql(p, &sql, keyed ? p->cursor : NULL, narrow);
		rc = run_prepared(db, p, &sql, &st, err);
		if (rc != ZL_OK)
			break;
		zl_stmt_bind_int64(st, (int)p->nbinds + 1, batch);
		got = 0;
		while (!stop && (rc = zl_stmt_step(st, err)) == ZL_DB_ROW) {
			got++;
			zl_strlcpy(p->cursor, zl_stmt_column_text(st, 0), sizeof(p->cursor));
			eid = zl_stmt_column_int64(st, narrow ? 1 : COL_EID);
			if (!member(p, eid))
				continue;
			if (narrow) {
				rc = zl_ids_push(&page, (uint64_t)eid);
			} else {
				read_row(st, &e);
				rc = fn(cls, &e);
			}
			if (rc != ZL_OK || ++sent == want)
				stop = 1;
		}
		zl_stmt_reset(st);
		st = NULL;
		if (rc < 0 || (stop && rc != ZL_OK))
			break;
		rc = ZL_OK;
		if (got < batch)
			break; /* the end of the register */
		keyed = 1;
		/* (batch is below INT64_MAX here: "every row" ends above) */
		batch = batch >= WALK_BATCH_MAX / 2 ? WALK_BATCH_MAX : batch * 2;
	}
	zl_buf_release(&sql);
	if (rc == ZL_OK && page.n > 0) {
		/* the page's rows, by the list plan over their eids */
		zl_ids_sort_unique(&page);
		zl_ids_release(&p->cand);
		p->cand = page;
		page.v = NULL;
		page.n = page.cap = 0;
		free(p->bits);
		p->bits = NULL;
		zl_buf_release(&p->list);
		p->mode = MODE_LIST;
		rc = make_list(p);
		if (rc == ZL_OK)
			rc = list_rows(db, p, fn, cls, err);
	}
	zl_ids_release(&page);
	return rc;
}

/*
 * After a total with other conditions the rows matching everything (M)
 * are known.  The list plan then reads the page over M instead of L
 * (half the probes when M is much smaller); the walking plan switches to
 * the list plan over M when M is small.  The list still carries every
 * condition, so it stays exact.  Plan 3 keeps walking (tests see both).
 */
static int refine(struct plan *p)
{
	double n = (double)p->found.n, limit;
	struct zl_ids swap;

	if (!p->found_valid || p->f->plan == 3)
		return ZL_OK;
	if (p->found.n == 0) {
		p->mode = MODE_EMPTY;
		return ZL_OK;
	}
	limit = p->f->limit > 0 ? (double)p->f->limit : (double)p->rows;
	if (p->mode == MODE_WALK && p->found.n > LIST_MIN &&
	    n * n * p->ratio > limit * (double)p->rows)
		return ZL_OK;
	if (p->mode == MODE_LIST && p->found.n == p->cand.n)
		return ZL_OK;
	swap = p->cand;
	p->cand = p->found;
	p->found = swap;
	p->found_valid = 0;
	free(p->bits);
	p->bits = NULL;
	zl_buf_release(&p->list);
	p->mode = MODE_LIST;
	return make_list(p);
}

int zl_store_enterprise_list(struct zl_db *db, const struct zl_ent_filter *f, zl_ent_row_fn *fn,
			     void *cls, int64_t *total, struct zl_error *err)
{
	struct plan *p;
	int rc;

	rc = plan_make(db, f, 0, &p, err);
	if (rc == ZL_OK && total != NULL)
		rc = count_total(db, p, total, err);
	if (rc == ZL_OK && fn != NULL)
		rc = refine(p);
	if (rc == ZL_OK && fn != NULL && p->mode != MODE_EMPTY)
		rc = p->mode == MODE_WALK ? walk_rows(db, p, fn, cls, err)
					  : list_rows(db, p, fn, cls, err);
	if (rc == ZL_ENOMEM && err->code == ZL_OK)
		zl_error_set(err, rc, NULL, "out of memory");
	plan_free(p);
	return rc;
}

/* Buckets counted in C (walking plan): keys kept sorted by byte order. */
struct bucket {
	char *key;
	int64_t n;
};

struct bucket_map {
	struct bucket *v;
	size_t n, cap;
	size_t hint; /* the last key's slot: consecutive rows often share it */
};

static int bucket_add(void *cls, int64_t eid, const char *key)
{
	struct bucket_map *m = cls;
	struct bucket *v;

	(void)eid;
	size_t lo = 0, hi = m->n, mid;
	int c;

	if (m->hint < m->n && strcmp(m->v[m->hint].key, key) == 0) {
		m->v[m->hint].n++;
		return ZL_OK;
	}
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		c = strcmp(m->v[mid].key, key);
		if (c == 0) {
			m->v[mid].n++;
			m->hint = mid;
			return ZL_OK;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (m->n == m->cap) {
		v = realloc(m->v, (m->cap ? m->cap * 2 : 64) * sizeof(*v));
		if (v == NULL)
			return ZL_ENOMEM;
		m->v = v;
		m->cap = m->cap ? m->cap * 2 : 64;
	}
	memmove(m->v + lo + 1, m->v + lo, (m->n - lo) * sizeof(*m->v));
	m->v[lo].key = strdup(key);
	if (m->v[lo].key == NULL) {
		memmove(m->v + lo, m->v + lo + 1, (m->n - lo) * sizeof(*m->v));
		return ZL_ENOMEM;
	}
	m->v[lo].n = 1;
	m->n++;
	m->hint = lo;
	return ZL_OK;
}

static void bucket_map_release(struct bucket_map *m)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		free(m->v[i].key);
	free(m->v);
}

/*
 * MODE_WALK: count the walked rows in L per key in C.  Keys are sent in
 * byte order, which for these keys (digit codes, "", lower-case ASCII
 * statuses) is the order of ORDER BY on both backends.
 */
static int walk_buckets(struct zl_db *db, struct plan *p, const char *expr, zl_ent_bucket_fn *fn,
			void *cls, int64_t *sum, struct zl_error *err)
{
	struct bucket_map m = {NULL, 0, 0, 0};
	size_t i;
	int rc;

	rc = walk_eids(db, p, 0, expr, bucket_add, &m, err);
	for (i = 0; rc == ZL_OK && i < m.n; i++) {
		*sum += m.v[i].n;
		if (fn != NULL)
			rc = fn(cls, m.v[i].key, m.v[i].n);
	}
	bucket_map_release(&m);
	return rc;
}

int zl_store_enterprise_count(struct zl_db *db, const struct zl_ent_filter *f,
			      enum zl_ent_count field, zl_ent_bucket_fn *fn, void *cls,
			      int64_t *total, struct zl_error *err)
{
	struct zl_buf sql = ZL_BUF_INIT(1 << 16);
	struct zl_stmt *st = NULL;
	const char *expr;
	struct plan *p = NULL;
	int64_t sum = 0, n;
	int rc;

	if ((unsigned)field > ZL_ENT_COUNT_STATUS)
		return zl_error_set(err, ZL_EINVAL, "count", "bad count field");
	expr = count_exprs[field];
	rc = plan_make(db, f, 1, &p, err);
	if (rc != ZL_OK || p->mode == MODE_EMPTY)
		goto out;
	if (p->mode == MODE_WALK) {
		rc = walk_buckets(db, p, expr, fn, cls, &sum, err);
		goto out;
	}
	zl_buf_addf(&sql, "SELECT %s, count(*)", expr);
	add_from_where(p, &sql, p->mode == MODE_LIST, 0);
	zl_buf_addf(&sql, " GROUP BY %s ORDER BY %s", expr, expr);
	rc = run_prepared(db, p, &sql, &st, err);
	if (rc != ZL_OK)
		goto out;
	while ((rc = zl_stmt_step(st, err)) == ZL_DB_ROW) {
		n = zl_stmt_column_int64(st, 1);
		sum += n;
		if (fn != NULL) {
			rc = fn(cls, zl_stmt_column_text(st, 0), n);
			if (rc != ZL_OK)
				break;
		}
	}
	rc = rc == ZL_DB_DONE ? ZL_OK : rc;
out:
	if (rc == ZL_OK && total != NULL)
		*total = sum;
	if (rc == ZL_ENOMEM && err->code == ZL_OK)
		zl_error_set(err, rc, NULL, "out of memory");
	zl_stmt_done(st);
	zl_buf_release(&sql);
	plan_free(p);
	return rc;
}
