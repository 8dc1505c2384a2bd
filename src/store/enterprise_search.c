/*
 * enterprise_search.c - list, search and count the enterprise register
 * (see enterprise_search.h for the matching rules and the plan).
 *
 * The SQL text is assembled from fixed fragments chosen by the shape of
 * the filter (how many bigrams, which filters, which sort); every value
 * from the request is a bound parameter.  The number of distinct texts is
 * bounded (ZL_ENT_GRAMS_MAX, ZL_ENT_TERMS_MAX, four sorts, five filters), so
 * the driver's statement cache stays small.
 */
#include "store/enterprise_search.h"

#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "domain/grams.h"

/* Below this many postings the rarest bigram drives the query. */
#define RARE_CAP 2048
#define BINDS_MAX (2 * ZL_ENT_GRAMS_MAX + 2 * ZL_ENT_TERMS_MAX + 16)

struct plan {
	char terms[ZL_ENT_TERMS_MAX][ZL_ENT_Q_MAX + 1]; /* normalised terms */
	size_t nterms;
	/* "%term%" of each term that a bigram cannot decide by itself */
	char likes[ZL_ENT_TERMS_MAX][ZL_ENT_Q_MAX + 3];
	size_t nlikes;
	char grams[ZL_ENT_GRAMS_MAX][ZL_GRAM_SIZE];
	size_t ngrams;
	size_t driver;	 /* index of the rarest gram */
	int gram_driven; /* 1: the rarest gram has fewer than RARE_CAP postings */
	char region_like[16];
	char industry_like[16];
	const struct zl_ent_filter *f;
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

/* Count the postings of one gram, up to RARE_CAP. */
static int postings(struct zl_db *db, const char *gram, int64_t *out, struct zl_error *err)
{
	struct zl_stmt *st;
	int rc;

	rc = zl_db_prepare(db,
			   "SELECT count(*) FROM (SELECT 1 FROM enterprise_grams"
			   " WHERE gram = ? LIMIT 2048) t",
			   &st, err);
	if (rc != ZL_OK)
		return rc;
	zl_stmt_bind_text(st, 1, gram, -1);
	rc = zl_stmt_step(st, err);
	if (rc == ZL_DB_ROW)
		*out = zl_stmt_column_int64(st, 0);
	zl_stmt_reset(st);
	return rc < 0 ? rc : ZL_OK;
}

static int plan_make(struct zl_db *db, const struct zl_ent_filter *f, struct plan *p,
		     struct zl_error *err)
{
	char g[ZL_NAME_GRAMS_MAX][ZL_GRAM_SIZE];
	size_t t, k, j, ng, chars, gl;
	int64_t best = INT64_MAX, cnt = 0;
	int rc, dropped;

	memset(p, 0, sizeof(*p));
	p->f = f;
	rc = zl_ent_filter_check(f, err);
	if (rc != ZL_OK)
		return rc;
	if (set(f->region))
		region_prefix(f->region, p->region_like, sizeof(p->region_like));
	if (set(f->industry))
		snprintf(p->industry_like, sizeof(p->industry_like), "%s%%", f->industry);
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
	for (k = 0; k < p->ngrams; k++) {
		rc = postings(db, p->grams[k], &cnt, err);
		if (rc != ZL_OK)
			return rc;
		if (cnt < best) {
			best = cnt;
			p->driver = k;
		}
	}
	p->gram_driven = p->ngrams > 0 && (f->plan == 1 || (f->plan == 0 && best < RARE_CAP));
	return ZL_OK;
}

static void bind(struct plan *p, const char *v)
{
	if (p->nbinds < BINDS_MAX) /* BINDS_MAX covers the largest plan */
		p->binds[p->nbinds++] = v;
}

enum shape { SHAPE_ROWS, SHAPE_COUNT, SHAPE_BUCKETS };

/*
 * Append FROM ... WHERE ... for the plan.  `drive`: start from the rarest
 * gram's postings.  `need_e`: the enterprises row is needed (columns,
 * filters, confirmation); when not, a count reads the gram index alone.
 */
static int add_from_where(struct plan *p, struct zl_buf *sql, int drive, int need_e)
{
	const struct zl_ent_filter *f = p->f;
	const char *key = "e.uscc";
	size_t k;
	int rc = 0;

	if (drive && !need_e) {
		rc |= zl_buf_adds(sql, " FROM enterprise_grams g0 WHERE g0.gram = ?");
		key = "g0.uscc";
	} else if (drive) {
		/* CROSS JOIN fixes SQLite's join order: postings outside. */
		rc |= zl_buf_adds(sql, " FROM enterprise_grams g0 CROSS JOIN enterprises e"
				       " WHERE g0.gram = ? AND e.uscc = g0.uscc");
	} else {
		rc |= zl_buf_adds(sql, " FROM enterprises e WHERE 1 = 1");
	}
	if (drive)
		bind(p, p->grams[p->driver]);
	for (k = 0; k < p->ngrams; k++) {
		if (drive && k == p->driver)
			continue;
		rc |= zl_buf_addf(sql,
				  " AND EXISTS (SELECT 1 FROM enterprise_grams g WHERE g.gram = ?"
				  " AND g.uscc = %s)",
				  key);
		bind(p, p->grams[k]);
	}
	for (k = 0; k < p->nlikes; k++) {
		rc |= zl_buf_adds(sql, " AND (lower(e.name) LIKE ? OR EXISTS (SELECT 1 FROM"
				       " enterprise_former_names f WHERE f.uscc = e.uscc"
				       " AND lower(f.name) LIKE ?))");
		bind(p, p->likes[k]);
		bind(p, p->likes[k]);
	}
	if (set(f->region)) {
		rc |= zl_buf_adds(sql, " AND e.region LIKE ?");
		bind(p, p->region_like);
	}
	if (set(f->industry)) {
		rc |= zl_buf_adds(sql, " AND e.industry LIKE ?");
		bind(p, p->industry_like);
	}
	if (set(f->status)) {
		rc |= zl_buf_adds(sql, " AND e.status = ?");
		bind(p, f->status);
	}
	if (set(f->cert)) {
		rc |= zl_buf_adds(sql,
				  " AND EXISTS (SELECT 1 FROM enterprise_certs c"
				  " WHERE c.uscc = e.uscc AND c.kind = ? AND c.status = 'valid')");
		bind(p, f->cert);
	}
	return rc == 0 ? ZL_OK : ZL_ENOMEM;
}

static int needs_e(const struct plan *p)
{
	const struct zl_ent_filter *f = p->f;

	return p->nlikes > 0 || set(f->region) || set(f->industry) || set(f->status) ||
	       set(f->cert);
}

static int run_prepared(struct zl_db *db, struct plan *p, const struct zl_buf *sql,
			struct zl_stmt **st, struct zl_error *err)
{
	size_t i;
	int rc;

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
	" e.cqo_appointed, e.version, e.created_at, e.updated_at"

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

static int count_total(struct zl_db *db, struct plan *p, int64_t *total, struct zl_error *err)
{
	struct zl_buf sql = ZL_BUF_INIT(1 << 16);
	struct zl_stmt *st = NULL;
	int rc;

	p->nbinds = 0;
	rc = zl_buf_adds(&sql, "SELECT count(*)") == 0 ? ZL_OK : ZL_ENOMEM;
	/* Counting always starts from the rarest gram's postings: a common
	 * fragment's total is a range scan of the gram index plus probes. */
	if (rc == ZL_OK)
		rc = add_from_where(p, &sql, p->ngrams > 0, needs_e(p));
	if (rc == ZL_OK)
		rc = run_prepared(db, p, &sql, &st, err);
	if (rc == ZL_OK) {
		rc = zl_stmt_step(st, err);
		if (rc == ZL_DB_ROW)
			*total = zl_stmt_column_int64(st, 0);
		rc = rc < 0 ? rc : ZL_OK;
	}
	zl_stmt_done(st);
	zl_buf_release(&sql);
	if (rc == ZL_ENOMEM)
		zl_error_set(err, rc, NULL, "out of memory");
	return rc;
}

int zl_store_enterprise_list(struct zl_db *db, const struct zl_ent_filter *f, zl_ent_row_fn *fn,
			     void *cls, int64_t *total, struct zl_error *err)
{
	struct zl_buf sql = ZL_BUF_INIT(1 << 16);
	struct zl_stmt *st = NULL;
	struct zl_enterprise e;
	struct plan *p;
	const char *col, *dir, *cmp;
	int rc;

	p = malloc(sizeof(*p));
	if (p == NULL)
		return zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
	rc = plan_make(db, f, p, err);
	if (rc != ZL_OK)
		goto out;
	if (total != NULL) {
		rc = count_total(db, p, total, err);
		if (rc != ZL_OK)
			goto out;
	}
	if (fn == NULL)
		goto out;
	p->nbinds = 0;
	col = sort_cols[f->sort];
	dir = f->desc ? "DESC" : "ASC";
	cmp = f->desc ? "<" : ">";
	rc = zl_buf_adds(&sql, "SELECT " ENT_COLS) == 0 ? ZL_OK : ZL_ENOMEM;
	if (rc == ZL_OK)
		rc = add_from_where(p, &sql, p->gram_driven, 1);
	if (rc == ZL_OK && set(f->after)) {
		if (f->sort == ZL_ENT_SORT_USCC) {
			rc = zl_buf_addf(&sql, " AND e.uscc %s ?", cmp);
			bind(p, f->after);
		} else {
			/* The last row's sort key is read back from the row itself. */
			rc = zl_buf_addf(&sql,
					 " AND (e.%s %s (SELECT s.%s FROM enterprises s WHERE"
					 " s.uscc = ?) OR (e.%s = (SELECT s.%s FROM enterprises s"
					 " WHERE s.uscc = ?) AND e.uscc %s ?))",
					 col, cmp, col, col, col, cmp);
			bind(p, f->after);
			bind(p, f->after);
			bind(p, f->after);
		}
		rc = rc == 0 ? ZL_OK : ZL_ENOMEM;
	}
	if (rc == ZL_OK) {
		if (f->sort == ZL_ENT_SORT_USCC)
			rc = zl_buf_addf(&sql, " ORDER BY e.uscc %s LIMIT ?", dir);
		else
			rc = zl_buf_addf(&sql, " ORDER BY e.%s %s, e.uscc %s LIMIT ?", col, dir,
					 dir);
		rc = rc == 0 ? ZL_OK : ZL_ENOMEM;
	}
	if (rc == ZL_OK)
		rc = run_prepared(db, p, &sql, &st, err);
	if (rc != ZL_OK)
		goto out;
	zl_stmt_bind_int64(st, (int)p->nbinds + 1, f->limit > 0 ? f->limit : INT64_MAX);
	while ((rc = zl_stmt_step(st, err)) == ZL_DB_ROW) {
		read_row(st, &e);
		rc = fn(cls, &e);
		if (rc != ZL_OK)
			goto out;
	}
	rc = rc < 0 ? rc : ZL_OK;
out:
	if (rc == ZL_ENOMEM && err->code == ZL_OK)
		zl_error_set(err, rc, NULL, "out of memory");
	zl_stmt_done(st);
	zl_buf_release(&sql);
	free(p);
	return rc;
}

int zl_store_enterprise_count(struct zl_db *db, const struct zl_ent_filter *f,
			      enum zl_ent_count field, zl_ent_bucket_fn *fn, void *cls,
			      int64_t *total, struct zl_error *err)
{
	struct zl_buf sql = ZL_BUF_INIT(1 << 16);
	struct zl_stmt *st = NULL;
	const char *expr;
	struct plan *p;
	int64_t sum = 0, n;
	int rc;

	if ((unsigned)field > ZL_ENT_COUNT_STATUS)
		return zl_error_set(err, ZL_EINVAL, "count", "bad count field");
	expr = count_exprs[field];
	p = malloc(sizeof(*p));
	if (p == NULL)
		return zl_error_set(err, ZL_ENOMEM, NULL, "out of memory");
	rc = plan_make(db, f, p, err);
	if (rc != ZL_OK)
		goto out;
	rc = zl_buf_addf(&sql, "SELECT %s, count(*)", expr) == 0 ? ZL_OK : ZL_ENOMEM;
	if (rc == ZL_OK)
		rc = add_from_where(p, &sql, p->ngrams > 0, 1);
	if (rc == ZL_OK)
		rc = zl_buf_addf(&sql, " GROUP BY %s ORDER BY %s", expr, expr) == 0 ? ZL_OK
										    : ZL_ENOMEM;
	if (rc == ZL_OK)
		rc = run_prepared(db, p, &sql, &st, err);
	if (rc != ZL_OK)
		goto out;
	while ((rc = zl_stmt_step(st, err)) == ZL_DB_ROW) {
		n = zl_stmt_column_int64(st, 1);
		sum += n;
		if (fn != NULL) {
			rc = fn(cls, zl_stmt_column_text(st, 0), n);
			if (rc != ZL_OK)
				goto out;
		}
	}
	rc = rc < 0 ? rc : ZL_OK;
	if (rc == ZL_OK && total != NULL)
		*total = sum;
out:
	if (rc == ZL_ENOMEM && err->code == ZL_OK)
		zl_error_set(err, rc, NULL, "out of memory");
	zl_stmt_done(st);
	zl_buf_release(&sql);
	free(p);
	return rc;
}
