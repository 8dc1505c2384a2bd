/*
 * draw.c - `zhiliang draw`: verifiable random draws from files, for
 * scripts and auditors (domain/draw.h; the method is docs/draws.md).
 *
 *   draw commit  INPUTS [--seed HEX | --seed-out FILE] [--json]
 *       the input commitment of the candidates and parameters and the seed
 *       commitment, to publish before the draw; without --seed a seed is
 *       made from the operating system's random source (libsodium
 *       randombytes_buf) and printed, or written to FILE (created 0600,
 *       never overwritten), to be kept secret until the draw.  --json
 *       prints the commitment record (no seed, no result).
 *   draw select  INPUTS --seed HEX [--json]
 *       the selected rows of the candidate file in selection order, header
 *       first, as CSV (UTF-8); --json the full record (inputs, both
 *       commitments, seed, result with each selected row).
 *   draw verify  RECORD.json
 *       rebuild the canonical inputs of a record, check both commitments
 *       and re-run the draw: exit 0 only when everything matches.
 *
 * INPUTS: --candidates FILE.csv (--count N | --stratum COLUMN --quota
 * FILE.csv [--count N]) [--id COLUMN] [--weight COLUMN] [--label TEXT]
 * [--encoding auto|utf-8|gbk].  The candidate file is the list after the
 * exclusions (not operating, sampled recently, ...); the id is its first
 * column unless --id names another.
 *
 * Exit status: 0 done (verify: verified); 1 the inputs are refused (a bad
 * weight, a duplicate id, a quota that does not fit, a malformed table:
 * the message names file, row and column) or, for verify, something
 * differs or the seed is not revealed yet; 2 usage errors, a bad seed, a
 * file that cannot be read or decoded, or (verify) a record that cannot be
 * read or whose inputs are not a draw.
 */
#include <errno.h>
#include <fcntl.h>
#include <strings.h>
#include <unistd.h>

#include <sodium.h>

#include "cli/cli.h"
#include "core/buf.h"
#include "core/csvw.h"
#include "core/jw.h"
#include "core/rand.h"
#include "domain/draw.h"
#include "domain/draw_csv.h"
#include "domain/draw_record.h"

int cmd_draw(struct zl_ctx *ctx, int argc, char **argv);

static const char draw_usage[] =
	"usage: zhiliang draw commit INPUTS [--seed HEX | --seed-out FILE] [--json]\n"
	"       zhiliang draw select INPUTS --seed HEX [--json]\n"
	"       zhiliang draw verify RECORD.json\n"
	"INPUTS: --candidates FILE.csv (--count N | --stratum COLUMN --quota FILE.csv [--count "
	"N])\n"
	"        [--id COLUMN] [--weight COLUMN] [--label TEXT] [--encoding auto|utf-8|gbk]\n"
	"The seed is 64 hex digits.  docs/draws.md describes the method and the record.\n";

/* Files are read whole; this is far beyond any register. */
#define FILE_MAX ((size_t)4 << 30)

struct draw_opts {
	const char *candidates, *quota, *id, *weight, *stratum, *label, *seed_hex, *seed_out;
	enum zl_table_encoding encoding;
	uint64_t count;
	int json;
};

/* "zhiliang draw: <message>" and the usage on stderr; returns ZL_EXIT_USAGE. */
static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("zhiliang draw: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n%s", draw_usage);
	return ZL_EXIT_USAGE;
}

/* Read all of `path` into b. */
static int read_file(const char *path, struct zl_buf *b, struct zl_error *err)
{
	FILE *f = fopen(path, "rb");
	char chunk[1 << 16];
	size_t n;
	int rc = ZL_OK;

	if (f == NULL)
		return zl_error_set(err, ZL_EIO, "", "%s: %s", path, strerror(errno));
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if (zl_buf_add(b, chunk, n) != ZL_OK) {
			rc = zl_error_set(err, ZL_ETOOBIG, "", "%s: too large to read", path);
			break;
		}
	}
	if (rc == ZL_OK && ferror(f))
		rc = zl_error_set(err, ZL_EIO, "", "%s: %s", path, strerror(errno));
	fclose(f);
	return rc;
}

/* A whole number 1 .. ZL_DRAW_MAX_QUOTA. */
static int parse_count(const char *s, uint64_t *out)
{
	uint64_t v = 0;
	size_t i;

	for (i = 0; s[i]; i++) {
		if (s[i] < '0' || s[i] > '9' || i >= 9)
			return -1;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	if (i == 0 || v == 0)
		return -1;
	*out = v;
	return 0;
}

/* Parse the options after the subcommand; returns ZL_EXIT_OK or ZL_EXIT_USAGE. */
static int parse_opts(int argc, char **argv, struct draw_opts *o)
{
	static const struct {
		const char *flag;
		size_t off;
	} strs[] = {
		{"--candidates", offsetof(struct draw_opts, candidates)},
		{"--quota", offsetof(struct draw_opts, quota)},
		{"--id", offsetof(struct draw_opts, id)},
		{"--weight", offsetof(struct draw_opts, weight)},
		{"--stratum", offsetof(struct draw_opts, stratum)},
		{"--label", offsetof(struct draw_opts, label)},
		{"--seed", offsetof(struct draw_opts, seed_hex)},
		{"--seed-out", offsetof(struct draw_opts, seed_out)},
	};

	memset(o, 0, sizeof(*o));
	for (int i = 2; i < argc; i++) {
		const char *a = argv[i];
		size_t k;

		if (!strcmp(a, "--json")) {
			o->json = 1;
			continue;
		}
		if (i + 1 >= argc)
			return usage_error("unknown option or missing value: '%s'", a);
		if (!strcmp(a, "--count")) {
			if (parse_count(argv[++i], &o->count))
				return usage_error("bad --count '%s' (a whole number, at least 1)",
						   argv[i]);
			continue;
		}
		if (!strcmp(a, "--encoding")) {
			const char *e = argv[++i];

			if (!strcasecmp(e, "auto"))
				o->encoding = ZL_TABLE_ENC_AUTO;
			else if (!strcasecmp(e, "utf-8") || !strcasecmp(e, "utf8"))
				o->encoding = ZL_TABLE_ENC_UTF8;
			else if (!strcasecmp(e, "gbk") || !strcasecmp(e, "gb18030"))
				o->encoding = ZL_TABLE_ENC_GBK;
			else
				return usage_error("bad --encoding '%s' (auto, utf-8 or gbk)", e);
			continue;
		}
		for (k = 0; k < sizeof(strs) / sizeof(strs[0]); k++)
			if (!strcmp(a, strs[k].flag))
				break;
		if (k == sizeof(strs) / sizeof(strs[0]))
			return usage_error("unknown option '%s'", a);
		*(const char **)((char *)o + strs[k].off) = argv[++i];
	}
	if (!o->candidates)
		return usage_error("%s", "--candidates FILE.csv is required");
	if (!o->quota && !o->count)
		return usage_error("%s",
				   "--count N (or --stratum COLUMN --quota FILE.csv) is required");
	if (!!o->quota != !!o->stratum)
		return usage_error("%s", "--stratum COLUMN and --quota FILE.csv go together");
	return ZL_EXIT_OK;
}

/* The loaded inputs of commit and select. */
struct loaded {
	struct zl_buf cbytes, qbytes;
	struct zl_draw_table ctab, qtab;
	struct zl_draw_csv csv;
};

static void loaded_release(struct loaded *l)
{
	zl_draw_csv_release(&l->csv);
	zl_draw_table_release(&l->ctab);
	zl_draw_table_release(&l->qtab);
	zl_buf_release(&l->cbytes);
	zl_buf_release(&l->qbytes);
}

/* Read the files and prepare the draw; returns an exit status. */
static int load(const struct draw_opts *o, struct loaded *l)
{
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_draw_csv_input in = {o->label, o->id, o->weight, o->stratum, o->count};

	memset(l, 0, sizeof(*l));
	zl_buf_init(&l->cbytes, FILE_MAX);
	zl_buf_init(&l->qbytes, FILE_MAX);
	if (read_file(o->candidates, &l->cbytes, &err) ||
	    (o->quota && read_file(o->quota, &l->qbytes, &err)) ||
	    zl_draw_table_read(&l->ctab, o->candidates, l->cbytes.data ? l->cbytes.data : "",
			       l->cbytes.len, o->encoding, &err) ||
	    (o->quota &&
	     zl_draw_table_read(&l->qtab, o->quota, l->qbytes.data ? l->qbytes.data : "",
				l->qbytes.len, o->encoding, &err))) {
		zl_cli_error("draw", &err);
		/* a file that cannot be read or decoded is a usage error; a malformed table,
		 * refused input */
		return err.code == ZL_EIO || err.code == ZL_ETOOBIG ||
				       !strcmp(err.field, "encoding")
			       ? ZL_EXIT_USAGE
			       : ZL_EXIT_FAIL;
	}
	if (zl_draw_csv_load(&l->csv, &l->ctab, o->quota ? &l->qtab : NULL, &in, &err)) {
		zl_cli_error("draw", &err);
		return ZL_EXIT_FAIL;
	}
	return ZL_EXIT_OK;
}

/* Print b to stdout; exit status. */
static int emit(struct zl_buf *b)
{
	if (b->err) {
		fprintf(stderr, "zhiliang draw: out of memory writing the output\n");
		return ZL_EXIT_FAIL;
	}
	if (fwrite(b->data ? b->data : "", 1, b->len, stdout) != b->len || fflush(stdout) != 0) {
		fprintf(stderr, "zhiliang draw: writing the output: %s\n", strerror(errno));
		return ZL_EXIT_FAIL;
	}
	return ZL_EXIT_OK;
}

/* Write the seed as hex to a new file readable by its owner only. */
static int write_seed(const char *path, const char *hex)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	size_t n = strlen(hex);
	int ok;

	if (fd < 0) {
		fprintf(stderr, "zhiliang draw: %s: %s%s\n", path, strerror(errno),
			errno == EEXIST ? " (a seed file is never overwritten)" : "");
		return ZL_EXIT_USAGE;
	}
	ok = write(fd, hex, n) == (ssize_t)n && write(fd, "\n", 1) == 1;
	ok = close(fd) == 0 && ok;
	if (!ok) {
		fprintf(stderr, "zhiliang draw: %s: %s\n", path, strerror(errno));
		return ZL_EXIT_FAIL;
	}
	return ZL_EXIT_OK;
}

static int cmd_commit(int argc, char **argv)
{
	struct zl_error err = ZL_ERROR_INIT;
	unsigned char seed[ZL_DRAW_SEED_BYTES];
	char input[ZL_DRAW_HEX_LEN + 1], scom[ZL_DRAW_HEX_LEN + 1], hex[ZL_DRAW_HEX_LEN + 1];
	struct zl_buf out = ZL_BUF_INIT(FILE_MAX);
	struct draw_opts o;
	struct loaded l;
	int rc = parse_opts(argc, argv, &o), made = 0;

	if (rc)
		return rc;
	if (o.seed_hex && o.seed_out)
		return usage_error("%s", "--seed and --seed-out exclude each other");
	if (o.json && !o.seed_hex && !o.seed_out)
		return usage_error("%s", "--json prints no seed: give --seed-out FILE to keep the "
					 "generated seed");
	if (o.seed_hex && zl_draw_seed_parse(o.seed_hex, seed, &err)) {
		fprintf(stderr, "zhiliang draw: bad --seed: %s\n", err.message);
		return ZL_EXIT_USAGE;
	}
	rc = load(&o, &l);
	if (rc)
		goto out;
	if (!o.seed_hex) {
		zl_random_token(seed, sizeof(seed));
		made = 1;
	}
	zl_draw_hex(seed, sizeof(seed), hex);
	if (o.seed_out && (rc = write_seed(o.seed_out, hex)) != ZL_EXIT_OK)
		goto out;
	zl_draw_seed_commitment(seed, scom);
	if (o.json) {
		struct zl_jw w;

		zl_jw_init(&w, &out);
		zl_draw_record_write(&w, &l.csv.draw, scom, NULL, NULL, NULL);
		zl_buf_addch(&out, '\n');
	} else {
		zl_draw_input_commitment(&l.csv.draw, input);
		zl_buf_addf(&out, "input_commitment %s\nseed_commitment %s\n", input, scom);
		if (made && !o.seed_out)
			zl_buf_addf(&out, "seed %s\n", hex);
	}
	rc = emit(&out);
	if (rc == ZL_EXIT_OK && made && !o.seed_out)
		fprintf(stderr, "zhiliang draw: keep the seed secret until the draw, then publish "
				"it with the result\n");
out:
	sodium_memzero(seed, sizeof(seed));
	sodium_memzero(hex, sizeof(hex));
	zl_buf_release(&out);
	loaded_release(&l);
	return rc;
}

/* The record's extra members for a CSV draw: the header, and each pick's row. */
static void hook_columns(void *ctx, struct zl_jw *w)
{
	const struct zl_draw_table *t = ctx;

	zl_jw_key(w, "columns");
	zl_jw_arr_begin(w);
	for (size_t i = 0; i < t->ncols; i++)
		zl_jw_str(w, t->cells[i]);
	zl_jw_arr_end(w);
}

static void hook_row(void *ctx, const struct zl_draw_candidate *c, struct zl_jw *w)
{
	const struct zl_draw_table *t = ctx;
	const char *const *row = c->attrs;

	zl_jw_key(w, "row");
	zl_jw_arr_begin(w);
	for (size_t i = 0; i < t->ncols; i++)
		zl_jw_str(w, row[i]);
	zl_jw_arr_end(w);
}

/* The header and the selected rows as CSV, in selection order. */
static void write_rows(struct zl_buf *out, const struct loaded *l, const struct zl_draw_result *res)
{
	struct zl_csvw cw;

	zl_csvw_init(&cw, out, ZL_CSVW_NO_GUARD); /* the file's own cells, as they were */
	zl_csvw_row(&cw, l->ctab.cells, l->ctab.ncols);
	for (size_t k = 0; k < res->n; k++)
		zl_csvw_row(&cw, l->csv.draw.cand[res->picks[k].cand].attrs, l->ctab.ncols);
}

static int cmd_select(int argc, char **argv)
{
	struct zl_error err = ZL_ERROR_INIT;
	unsigned char seed[ZL_DRAW_SEED_BYTES];
	struct zl_buf out = ZL_BUF_INIT(FILE_MAX);
	struct zl_draw_result res = {0};
	struct draw_opts o;
	struct loaded l;
	int rc = parse_opts(argc, argv, &o);

	if (rc)
		return rc;
	if (o.seed_out)
		return usage_error("%s", "--seed-out belongs to draw commit");
	if (!o.seed_hex)
		return usage_error("%s", "--seed HEX is required (draw commit makes one)");
	if (zl_draw_seed_parse(o.seed_hex, seed, &err)) {
		fprintf(stderr, "zhiliang draw: bad --seed: %s\n", err.message);
		return ZL_EXIT_USAGE;
	}
	rc = load(&o, &l);
	if (rc)
		goto out;
	if (zl_draw_run(&l.csv.draw, seed, &res, &err)) {
		zl_cli_error("draw", &err);
		rc = ZL_EXIT_FAIL;
		goto out;
	}
	if (o.json) {
		struct zl_draw_record_hooks hooks = {hook_columns, hook_row, NULL, &l.ctab};
		struct zl_jw w;

		zl_jw_init(&w, &out);
		zl_draw_record_write(&w, &l.csv.draw, NULL, seed, &res, &hooks);
		zl_buf_addch(&out, '\n');
	} else {
		write_rows(&out, &l, &res);
	}
	rc = emit(&out);
out:
	sodium_memzero(seed, sizeof(seed));
	zl_draw_result_release(&res);
	zl_buf_release(&out);
	loaded_release(&l);
	return rc;
}

/* ---- verify ------------------------------------------------------------------ */

static void print_diffs(const struct zl_draw_check *chk)
{
	size_t shown = chk->ndiffs < ZL_DRAW_DIFFS_KEPT ? chk->ndiffs : ZL_DRAW_DIFFS_KEPT;

	for (size_t i = 0; i < shown; i++) {
		const struct zl_draw_diff *d = &chk->diffs[i];

		if (!strcmp(d->what, "missing"))
			printf("result position %zu DIFFERS: the record has no entry, the draw "
			       "gives "
			       "'%s'\n",
			       d->position, d->computed);
		else if (!strcmp(d->what, "extra"))
			printf("result position %zu DIFFERS: the record has '%s', the draw gives "
			       "no "
			       "more\n",
			       d->position, d->recorded);
		else
			printf("result position %zu DIFFERS: the record has %s '%s', the draw "
			       "gives "
			       "'%s'\n",
			       d->position, d->what, d->recorded, d->computed);
	}
	if (chk->ndiffs > shown)
		printf("... and %zu more positions differ\n", chk->ndiffs - shown);
}

static int cmd_verify(int argc, char **argv)
{
	struct zl_error err = ZL_ERROR_INIT;
	struct zl_buf text = ZL_BUF_INIT(FILE_MAX);
	struct zl_draw_record rec;
	struct zl_draw_check chk;
	int rc;

	if (argc != 3)
		return usage_error("%s", "verify takes one argument, the record file");
	memset(&rec, 0, sizeof(rec));
	if (read_file(argv[2], &text, &err) ||
	    zl_draw_record_parse(text.data ? text.data : "", text.len, &rec, &err)) {
		fprintf(stderr, "zhiliang draw: %s: cannot read the record: %s%s%s%s\n", argv[2],
			err.message, err.field[0] ? " (" : "", err.field, err.field[0] ? ")" : "");
		rc = ZL_EXIT_USAGE;
		goto out;
	}
	if (zl_draw_record_check(&rec, &chk, &err)) {
		fprintf(stderr,
			"zhiliang draw: %s: the record's inputs are not a valid draw: %s%s%s%s\n",
			argv[2], err.message, err.field[0] ? " (" : "", err.field,
			err.field[0] ? ")" : "");
		rc = ZL_EXIT_USAGE;
		goto out;
	}
	if (chk.input_ok)
		printf("input commitment matches: %s\n", rec.input_commitment);
	else
		printf("input commitment DIFFERS: the record says %s, its inputs hash to %s\n",
		       rec.input_commitment, chk.input_computed);
	if (!rec.has_seed)
		printf("seed: not revealed yet; the draw cannot be checked\n");
	else if (chk.seed_ok)
		printf("seed commitment matches: %s\n", rec.seed_commitment);
	else
		printf("seed commitment DIFFERS: the record says %s, its seed hashes to %s\n",
		       rec.seed_commitment, chk.seed_computed);
	if (rec.has_seed && !rec.has_result)
		printf("result: none in the record\n");
	else if (chk.result_checked && chk.result_ok)
		printf("result matches: %zu of %zu positions\n", chk.result_computed,
		       chk.result_recorded);
	else if (chk.result_checked)
		print_diffs(&chk);
	rc = zl_draw_check_ok(&chk) ? ZL_EXIT_OK : ZL_EXIT_FAIL;
	printf("%s\n", rc == ZL_EXIT_OK ? "verified: the result is what the committed inputs and "
					  "the revealed seed give"
					: "NOT verified");
out:
	zl_draw_record_release(&rec);
	zl_buf_release(&text);
	return rc;
}

int cmd_draw(struct zl_ctx *ctx, int argc, char **argv)
{
	(void)ctx;
	if (argc < 2) {
		fprintf(stderr, "zhiliang draw: missing subcommand\n%s", draw_usage);
		return ZL_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		fputs(draw_usage, stdout);
		return ZL_EXIT_OK;
	}
	if (!strcmp(argv[1], "commit"))
		return cmd_commit(argc, argv);
	if (!strcmp(argv[1], "select"))
		return cmd_select(argc, argv);
	if (!strcmp(argv[1], "verify"))
		return cmd_verify(argc, argv);
	fprintf(stderr, "zhiliang draw: unknown subcommand '%s'\n%s", argv[1], draw_usage);
	return ZL_EXIT_USAGE;
}
