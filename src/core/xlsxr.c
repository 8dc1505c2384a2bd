/*
 * xlsxr.c - the xlsx reader of xlsxr.h.  Small parts (workbook, rels,
 * shared strings, styles) are parsed whole with one expat parser each; the
 * worksheet is parsed with XML_GetBuffer/XML_ParseBuffer and suspended with
 * XML_StopParser at every </row>, so rows are pulled one at a time.
 * Element and attribute names are compared by local name (after any
 * prefix), because some writers use prefixed SpreadsheetML (<x:row>).
 */
#include <expat.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "core/buf.h"
#include "core/xlsxr.h"

#define CHUNK 65536

struct numfmt {
	int id;
	int is_date;
};

struct cellref {
	size_t col;
	size_t off;
};

struct zl_xlsxr {
	zip_t *za;
	int date1904;

	/* shared strings: NUL-terminated texts in sst, offsets in sst_off */
	struct zl_buf sst;
	size_t *sst_off;
	size_t nsst, sst_cap;

	/* styles: for each cellXfs index, 1 when it is a date format */
	unsigned char *xf_date;
	size_t nxf, xf_cap;
	struct numfmt *fmts;
	size_t nfmts, fmts_cap;

	/* worksheet streaming */
	zip_file_t *sheet;
	uint64_t sheet_size, sheet_read;
	XML_Parser p;
	int suspended, final, row_ready, failed;
	struct zl_error perr; /* error raised inside a handler */

	/* the row being built */
	uint64_t row, next_row;
	struct zl_buf rowtext;
	struct cellref *refs;
	size_t nrefs, refs_cap;
	const char **cells;
	size_t cells_cap;
	size_t next_col;

	/* the cell being built */
	int in_c, in_v, in_t, in_is, in_rph, in_si;
	char ctype[16];
	long cstyle;
	size_t ccol;
	struct zl_buf val;

	/* scratch for the small parts */
	char first_rid[128]; /* the wanted sheet's relationship id (the first by default) */
	char sheet_name[128];
	size_t want_sheet, seen_sheets;
	char sheet_target[512];
	int in_cellxfs;
};

static const char *local(const char *name)
{
	const char *c = strrchr(name, ':');
	return c ? c + 1 : name;
}

static const char *attr(const char **atts, const char *name)
{
	for (size_t i = 0; atts[i]; i += 2)
		if (!strcmp(local(atts[i]), name))
			return atts[i + 1];
	return NULL;
}

/* Refuse DTDs: no entities, no expansion attacks. */
static void XMLCALL on_doctype(void *ud, const XML_Char *name, const XML_Char *sysid,
			       const XML_Char *pubid, int has_internal)
{
	struct zl_xlsxr *x = ud;
	(void)name, (void)sysid, (void)pubid, (void)has_internal;
	if (!x->failed) {
		x->failed = 1;
		zl_error_set(&x->perr, ZL_EINVAL, "", "xlsx part has a document type declaration");
	}
	XML_StopParser(x->p, XML_FALSE);
}

static XML_Parser new_parser(struct zl_xlsxr *x)
{
	XML_Parser p = XML_ParserCreate("UTF-8");
	if (!p)
		return NULL;
	XML_SetUserData(p, x);
	XML_SetStartDoctypeDeclHandler(p, on_doctype);
	x->p = p;
	return p;
}

static void fail(struct zl_xlsxr *x, enum zl_err code, const char *msg)
{
	if (!x->failed) {
		x->failed = 1;
		zl_error_set(&x->perr, code, "", "%s", msg);
	}
	XML_StopParser(x->p, XML_FALSE);
}

/* Parse a whole zip entry with parser p.  Missing entry: ZL_ENOTFOUND. */
static int parse_part(struct zl_xlsxr *x, const char *name, XML_Parser p, struct zl_error *err)
{
	zip_file_t *f = zip_fopen(x->za, name, 0);
	int rc = ZL_OK;

	if (!f)
		return ZL_ENOTFOUND;
	x->failed = 0;
	zl_error_clear(&x->perr);
	for (;;) {
		void *buf = XML_GetBuffer(p, CHUNK);
		zip_int64_t n;
		if (!buf) {
			rc = zl_error_set(err, ZL_ENOMEM, "", "out of memory parsing %s", name);
			break;
		}
		n = zip_fread(f, buf, CHUNK);
		if (n < 0) {
			rc = zl_error_set(err, ZL_EMEDIA, "", "cannot read %s from the xlsx: %s",
					  name, zip_file_strerror(f));
			break;
		}
		if (XML_ParseBuffer(p, (int)n, n == 0) != XML_STATUS_OK) {
			if (x->failed)
				rc = zl_error_set(err, x->perr.code, "", "%s: %s", name,
						  x->perr.message);
			else
				rc = zl_error_set(err, ZL_EINVAL, "",
						  "%s: malformed XML at line %lu: %s", name,
						  (unsigned long)XML_GetCurrentLineNumber(p),
						  XML_ErrorString(XML_GetErrorCode(p)));
			break;
		}
		if (n == 0)
			break;
	}
	zip_fclose(f);
	return rc;
}

/* ---- workbook.xml ---- */

static void XMLCALL wb_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct zl_xlsxr *x = ud;
	const char *n = local(name), *v;

	if (!strcmp(n, "workbookPr")) {
		v = attr(atts, "date1904");
		x->date1904 = v && (!strcmp(v, "1") || !strcmp(v, "true"));
	} else if (!strcmp(n, "sheet") && !x->first_rid[0] && x->seen_sheets++ == x->want_sheet) {
		v = attr(atts, "id");
		if (v)
			zl_strlcpy(x->first_rid, v, sizeof(x->first_rid));
		v = attr(atts, "name");
		zl_strlcpy(x->sheet_name, v ? v : "", sizeof(x->sheet_name));
	}
}

static void XMLCALL rels_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct zl_xlsxr *x = ud;
	const char *id, *target;

	if (strcmp(local(name), "Relationship"))
		return;
	id = attr(atts, "Id");
	target = attr(atts, "Target");
	if (id && target && !strcmp(id, x->first_rid)) {
		if (target[0] == '/')
			zl_strlcpy(x->sheet_target, target + 1, sizeof(x->sheet_target));
		else
			snprintf(x->sheet_target, sizeof(x->sheet_target), "xl/%s", target);
	}
}

/* ---- sharedStrings.xml ---- */

static int sst_push(struct zl_xlsxr *x)
{
	if (x->nsst == x->sst_cap) {
		size_t ncap = x->sst_cap ? x->sst_cap * 2 : 256;
		size_t *o = realloc(x->sst_off, ncap * sizeof(*o));
		if (!o)
			return -1;
		x->sst_off = o;
		x->sst_cap = ncap;
	}
	x->sst_off[x->nsst++] = x->sst.len;
	return 0;
}

static void XMLCALL sst_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct zl_xlsxr *x = ud;
	const char *n = local(name);
	(void)atts;

	if (!strcmp(n, "si")) {
		x->in_si = 1;
		if (sst_push(x) != 0)
			fail(x, ZL_ENOMEM, "out of memory");
	} else if (!strcmp(n, "rPh")) {
		x->in_rph = 1;
	} else if (!strcmp(n, "t")) {
		x->in_t = 1;
	}
}

static void XMLCALL sst_end(void *ud, const XML_Char *name)
{
	struct zl_xlsxr *x = ud;
	const char *n = local(name);

	if (!strcmp(n, "si")) {
		x->in_si = 0;
		if (zl_buf_addch(&x->sst, '\0') != ZL_OK)
			fail(x, ZL_ETOOBIG, "shared strings too large");
	} else if (!strcmp(n, "rPh")) {
		x->in_rph = 0;
	} else if (!strcmp(n, "t")) {
		x->in_t = 0;
	}
}

static void XMLCALL sst_text(void *ud, const XML_Char *s, int len)
{
	struct zl_xlsxr *x = ud;

	if (x->in_si && x->in_t && !x->in_rph)
		if (zl_buf_add(&x->sst, s, (size_t)len) != ZL_OK)
			fail(x, ZL_ETOOBIG, "shared strings too large");
}

/* ---- styles.xml ---- */

static int builtin_date(int id)
{
	return (id >= 14 && id <= 17) || id == 22 || (id >= 27 && id <= 36) ||
	       (id >= 50 && id <= 58);
}

/* A custom format is a date when y or d appears outside quotes, brackets and escapes. */
static int format_is_date(const char *f)
{
	int quoted = 0, bracket = 0;

	for (; *f; f++) {
		char c = *f;
		if (quoted) {
			quoted = c != '"';
			continue;
		}
		if (bracket) {
			bracket = c != ']';
			continue;
		}
		if (c == '"')
			quoted = 1;
		else if (c == '[')
			bracket = 1;
		else if (c == '\\' && f[1])
			f++;
		else if (c == 'y' || c == 'Y' || c == 'd' || c == 'D')
			return 1;
	}
	return 0;
}

static int fmt_is_date(const struct zl_xlsxr *x, int id)
{
	for (size_t i = 0; i < x->nfmts; i++)
		if (x->fmts[i].id == id)
			return x->fmts[i].is_date;
	return builtin_date(id);
}

static void XMLCALL styles_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct zl_xlsxr *x = ud;
	const char *n = local(name), *v;

	if (!strcmp(n, "numFmt")) {
		const char *code = attr(atts, "formatCode");
		v = attr(atts, "numFmtId");
		if (!v || !code)
			return;
		if (x->nfmts == x->fmts_cap) {
			size_t ncap = x->fmts_cap ? x->fmts_cap * 2 : 16;
			struct numfmt *f =
				ncap < 100000 ? realloc(x->fmts, ncap * sizeof(*f)) : NULL;
			if (!f) {
				fail(x, ZL_ENOMEM, "too many number formats");
				return;
			}
			x->fmts = f;
			x->fmts_cap = ncap;
		}
		x->fmts[x->nfmts].id = (int)strtol(v, NULL, 10);
		x->fmts[x->nfmts++].is_date = format_is_date(code);
	} else if (!strcmp(n, "cellXfs")) {
		x->in_cellxfs = 1;
	} else if (!strcmp(n, "xf") && x->in_cellxfs) {
		if (x->nxf == x->xf_cap) {
			size_t ncap = x->xf_cap ? x->xf_cap * 2 : 64;
			unsigned char *d = ncap < (1u << 20) ? realloc(x->xf_date, ncap) : NULL;
			if (!d) {
				fail(x, ZL_ENOMEM, "too many cell formats");
				return;
			}
			x->xf_date = d;
			x->xf_cap = ncap;
		}
		v = attr(atts, "numFmtId");
		x->xf_date[x->nxf++] =
			v ? (unsigned char)fmt_is_date(x, (int)strtol(v, NULL, 10)) : 0;
	}
}

static void XMLCALL styles_end(void *ud, const XML_Char *name)
{
	struct zl_xlsxr *x = ud;
	if (!strcmp(local(name), "cellXfs"))
		x->in_cellxfs = 0;
}

/* ---- dates ---- */

/* Days since 1970-01-01 -> civil date (Howard Hinnant's algorithm). */
static void civil(long long z, int *y, int *m, int *d)
{
	long long era, yoe, doy, mp;
	unsigned doe;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

int zl_excel_serial_date(double serial, int date1904, char out[11])
{
	long long days;
	int y, m, d;

	if (!(serial >= 1 && serial < 2958466))
		return -1;
	days = (long long)floor(serial);
	if (date1904) {
		days += -24107; /* 1904-01-01 is day -24107 since 1970 */
	} else {
		if (days == 60) {
			memcpy(out, "1900-02-29", 11);
			return 0;
		}
		if (days < 60)
			days += 1;
		days += -25569; /* serial 25569 = 1970-01-01 */
	}
	civil(days, &y, &m, &d);
	if (y < 1 || y > 9999)
		return -1;
	{
		char tmp[40];
		snprintf(tmp, sizeof(tmp), "%04d-%02d-%02d", y, m, d);
		memcpy(out, tmp, 11);
	}
	return 0;
}

/* ---- worksheet ---- */

static size_t col_index(const char *r, int *ok)
{
	size_t col = 0;
	int n = 0;

	while (*r >= 'A' && *r <= 'Z') {
		col = col * 26 + (size_t)(*r - 'A' + 1);
		r++;
		if (++n > 3)
			break;
	}
	*ok = n > 0 && n <= 3 && col >= 1 && col <= ZL_XLSXR_MAX_COLS;
	return col - 1;
}

static void XMLCALL sh_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct zl_xlsxr *x = ud;
	const char *n = local(name), *v;

	if (!strcmp(n, "row")) {
		v = attr(atts, "r");
		x->row = x->next_row;
		if (v) {
			char *end;
			unsigned long long r = strtoull(v, &end, 10);
			if (*end == '\0' && r >= 1 && r <= 100000000ULL)
				x->row = r;
		}
		x->next_row = x->row + 1;
		zl_buf_reset(&x->rowtext);
		x->nrefs = 0;
		x->next_col = 0;
	} else if (!strcmp(n, "c")) {
		int ok = 1;
		x->in_c = 1;
		zl_buf_reset(&x->val);
		v = attr(atts, "t");
		zl_strlcpy(x->ctype, v ? v : "n", sizeof(x->ctype));
		v = attr(atts, "s");
		x->cstyle = v ? strtol(v, NULL, 10) : 0;
		v = attr(atts, "r");
		x->ccol = v ? col_index(v, &ok) : x->next_col;
		if (!ok || x->ccol >= ZL_XLSXR_MAX_COLS)
			fail(x, ZL_EINVAL, "bad cell reference");
		x->next_col = x->ccol + 1;
	} else if (x->in_c && !strcmp(n, "v")) {
		x->in_v = 1;
	} else if (x->in_c && !strcmp(n, "is")) {
		x->in_is = 1;
	} else if (x->in_is && !strcmp(n, "rPh")) {
		x->in_rph = 1;
	} else if (x->in_is && !strcmp(n, "t")) {
		x->in_t = 1;
	}
}

static int add_cell(struct zl_xlsxr *x, const char *s, size_t n)
{
	if (x->nrefs == x->refs_cap) {
		size_t ncap = x->refs_cap ? x->refs_cap * 2 : 32;
		struct cellref *r;
		if (ncap > ZL_XLSXR_MAX_COLS * 2)
			return ZL_ETOOBIG;
		r = realloc(x->refs, ncap * sizeof(*r));
		if (!r)
			return ZL_ENOMEM;
		x->refs = r;
		x->refs_cap = ncap;
	}
	x->refs[x->nrefs].col = x->ccol;
	x->refs[x->nrefs++].off = x->rowtext.len;
	zl_buf_add(&x->rowtext, s, n);
	zl_buf_addch(&x->rowtext, '\0');
	return x->rowtext.err ? ZL_ETOOBIG : ZL_OK;
}

static void end_cell(struct zl_xlsxr *x)
{
	const char *v = zl_buf_str(&x->val), *t = x->ctype;
	char date[11];
	int rc;

	if (!strcmp(t, "s")) {
		char *end;
		unsigned long idx = strtoul(v, &end, 10);
		if (end == v || *end != '\0' || idx >= x->nsst) {
			fail(x, ZL_EINVAL, "shared string index out of range");
			return;
		}
		v = x->sst.data + x->sst_off[idx];
		rc = add_cell(x, v, strlen(v));
	} else if (!strcmp(t, "b")) {
		rc = add_cell(x, v[0] == '1' ? "TRUE" : "FALSE", v[0] == '1' ? 4 : 5);
	} else if (!strcmp(t, "d")) {
		rc = add_cell(x, v, x->val.len > 10 ? 10 : x->val.len);
	} else if (!strcmp(t, "n") && x->cstyle >= 0 && (size_t)x->cstyle < x->nxf &&
		   x->xf_date[x->cstyle] && x->val.len > 0) {
		char *end;
		double d = strtod(v, &end);
		if (*end == '\0' && zl_excel_serial_date(d, x->date1904, date) == 0)
			rc = add_cell(x, date, 10);
		else
			rc = add_cell(x, v, x->val.len);
	} else {
		rc = add_cell(x, v, x->val.len);
	}
	if (rc == ZL_ETOOBIG)
		fail(x, ZL_ETOOBIG, "row too large");
	else if (rc != ZL_OK)
		fail(x, ZL_ENOMEM, "out of memory");
}

static void XMLCALL sh_end(void *ud, const XML_Char *name)
{
	struct zl_xlsxr *x = ud;
	const char *n = local(name);

	if (!strcmp(n, "c")) {
		if (x->in_c)
			end_cell(x);
		x->in_c = x->in_v = x->in_is = x->in_t = x->in_rph = 0;
	} else if (!strcmp(n, "v")) {
		x->in_v = 0;
	} else if (!strcmp(n, "is")) {
		x->in_is = 0;
	} else if (!strcmp(n, "rPh")) {
		x->in_rph = 0;
	} else if (!strcmp(n, "t")) {
		x->in_t = 0;
	} else if (!strcmp(n, "row")) {
		if (x->nrefs > 0) {
			x->row_ready = 1;
			XML_StopParser(x->p, XML_TRUE);
		}
	}
}

static void XMLCALL sh_text(void *ud, const XML_Char *s, int len)
{
	struct zl_xlsxr *x = ud;

	if ((x->in_v && !x->in_is) || (x->in_is && x->in_t && !x->in_rph))
		if (zl_buf_add(&x->val, s, (size_t)len) != ZL_OK)
			fail(x, ZL_ETOOBIG, "cell too large");
}

static int open_common(struct zl_xlsxr *x, struct zl_error *err)
{
	zip_stat_t st;
	XML_Parser p;
	int rc;

	/* workbook: first sheet's relationship id */
	if (!(p = new_parser(x)))
		return zl_error_set(err, ZL_ENOMEM, "", "out of memory");
	XML_SetStartElementHandler(p, wb_start);
	rc = parse_part(x, "xl/workbook.xml", p, err);
	XML_ParserFree(p);
	x->p = NULL;
	if (rc == ZL_ENOTFOUND)
		return zl_error_set(err, ZL_EMEDIA, "",
				    "not an xlsx workbook (no xl/workbook.xml in the zip)");
	if (rc != ZL_OK)
		return rc;
	if (!x->first_rid[0] && x->want_sheet > 0 && x->seen_sheets > 0)
		return zl_error_set(err, ZL_ENOTFOUND, "",
				    "the xlsx workbook has %zu sheets, no sheet %zu", x->seen_sheets,
				    x->want_sheet + 1);
	if (!x->first_rid[0])
		return zl_error_set(err, ZL_EMEDIA, "", "the xlsx workbook has no worksheet");

	if (!(p = new_parser(x)))
		return zl_error_set(err, ZL_ENOMEM, "", "out of memory");
	XML_SetStartElementHandler(p, rels_start);
	rc = parse_part(x, "xl/_rels/workbook.xml.rels", p, err);
	XML_ParserFree(p);
	x->p = NULL;
	if (rc != ZL_OK && rc != ZL_ENOTFOUND)
		return rc;
	if (!x->sheet_target[0])
		snprintf(x->sheet_target, sizeof(x->sheet_target), "xl/worksheets/sheet%zu.xml",
			 x->want_sheet + 1);

	if (!(p = new_parser(x)))
		return zl_error_set(err, ZL_ENOMEM, "", "out of memory");
	XML_SetElementHandler(p, sst_start, sst_end);
	XML_SetCharacterDataHandler(p, sst_text);
	rc = parse_part(x, "xl/sharedStrings.xml", p, err);
	XML_ParserFree(p);
	x->p = NULL;
	if (rc != ZL_OK && rc != ZL_ENOTFOUND)
		return rc;
	x->in_t = x->in_rph = x->in_si = 0;

	if (!(p = new_parser(x)))
		return zl_error_set(err, ZL_ENOMEM, "", "out of memory");
	XML_SetElementHandler(p, styles_start, styles_end);
	rc = parse_part(x, "xl/styles.xml", p, err);
	XML_ParserFree(p);
	x->p = NULL;
	if (rc != ZL_OK && rc != ZL_ENOTFOUND)
		return rc;

	x->sheet = zip_fopen(x->za, x->sheet_target, 0);
	if (!x->sheet)
		return zl_error_set(err, ZL_EMEDIA, "", "the xlsx has no worksheet part %s",
				    x->sheet_target);
	if (zip_stat(x->za, x->sheet_target, 0, &st) == 0 && (st.valid & ZIP_STAT_SIZE))
		x->sheet_size = st.size;
	if (!(p = new_parser(x)))
		return zl_error_set(err, ZL_ENOMEM, "", "out of memory");
	XML_SetElementHandler(p, sh_start, sh_end);
	XML_SetCharacterDataHandler(p, sh_text);
	x->next_row = 1;
	x->failed = 0;
	zl_error_clear(&x->perr);
	return ZL_OK;
}

static struct zl_xlsxr *alloc_reader(void)
{
	struct zl_xlsxr *x = calloc(1, sizeof(*x));
	if (!x)
		return NULL;
	zl_buf_init(&x->sst, ZL_XLSXR_MAX_SST_BYTES);
	zl_buf_init(&x->rowtext, ZL_XLSXR_MAX_ROW_BYTES);
	zl_buf_init(&x->val, ZL_XLSXR_MAX_ROW_BYTES);
	return x;
}

int zl_xlsxr_open(const char *path, struct zl_xlsxr **out, struct zl_error *err)
{
	struct zl_xlsxr *x = alloc_reader();
	int zerr = 0, rc;

	*out = NULL;
	if (!x)
		return zl_error_set(err, ZL_ENOMEM, "", "out of memory");
	x->za = zip_open(path, ZIP_RDONLY, &zerr);
	if (!x->za) {
		zl_xlsxr_close(x);
		return zl_error_set(err,
				    zerr == ZIP_ER_OPEN || zerr == ZIP_ER_READ ? ZL_EIO : ZL_EMEDIA,
				    "", "%s: not a readable xlsx (zip) file", path);
	}
	rc = open_common(x, err);
	if (rc != ZL_OK) {
		zl_xlsxr_close(x);
		return rc;
	}
	*out = x;
	return ZL_OK;
}

int zl_xlsxr_open_buffer(const void *p, size_t n, struct zl_xlsxr **out, struct zl_error *err)
{
	return zl_xlsxr_open_buffer_sheet(p, n, 0, out, err);
}

int zl_xlsxr_open_buffer_sheet(const void *p, size_t n, size_t sheet, struct zl_xlsxr **out,
			       struct zl_error *err)
{
	struct zl_xlsxr *x = alloc_reader();
	zip_source_t *src;
	zip_error_t ze;
	int rc;

	*out = NULL;
	if (!x)
		return zl_error_set(err, ZL_ENOMEM, "", "out of memory");
	x->want_sheet = sheet;
	zip_error_init(&ze);
	src = zip_source_buffer_create(n ? p : "", n, 0, &ze);
	if (src)
		x->za = zip_open_from_source(src, ZIP_RDONLY, &ze);
	if (!x->za) {
		if (src)
			zip_source_free(src);
		zip_error_fini(&ze);
		zl_xlsxr_close(x);
		return zl_error_set(err, ZL_EMEDIA, "", "not a readable xlsx (zip) file");
	}
	zip_error_fini(&ze);
	rc = open_common(x, err);
	if (rc != ZL_OK) {
		zl_xlsxr_close(x);
		return rc;
	}
	*out = x;
	return ZL_OK;
}

static int build_row(struct zl_xlsxr *x, const char *const **cells, size_t *ncells,
		     struct zl_error *err)
{
	size_t n = 0;

	for (size_t i = 0; i < x->nrefs; i++)
		if (x->refs[i].col + 1 > n)
			n = x->refs[i].col + 1;
	if (n > x->cells_cap) {
		const char **c = realloc((void *)x->cells, n * sizeof(*c));
		if (!c)
			return zl_error_set(err, ZL_ENOMEM, "", "out of memory");
		x->cells = c;
		x->cells_cap = n;
	}
	for (size_t i = 0; i < n; i++)
		x->cells[i] = "";
	for (size_t i = 0; i < x->nrefs; i++)
		x->cells[x->refs[i].col] = x->rowtext.data + x->refs[i].off;
	*cells = x->cells;
	*ncells = n;
	return 1;
}

int zl_xlsxr_next(struct zl_xlsxr *x, const char *const **cells, size_t *ncells,
		  struct zl_error *err)
{
	char field[32];

	*cells = NULL;
	*ncells = 0;
	if (!x->p)
		return 0;
	x->row_ready = 0;
	while (!x->row_ready) {
		enum XML_Status st;

		if (x->suspended) {
			st = XML_ResumeParser(x->p);
		} else if (x->final) {
			return 0;
		} else {
			void *buf = XML_GetBuffer(x->p, CHUNK);
			zip_int64_t n;
			if (!buf)
				return zl_error_set(err, ZL_ENOMEM, "", "out of memory");
			n = zip_fread(x->sheet, buf, CHUNK);
			if (n < 0)
				return zl_error_set(err, ZL_EMEDIA, "",
						    "cannot read the worksheet: %s",
						    zip_file_strerror(x->sheet));
			x->sheet_read += (uint64_t)n;
			x->final = n == 0;
			st = XML_ParseBuffer(x->p, (int)n, x->final);
		}
		if (st == XML_STATUS_ERROR) {
			snprintf(field, sizeof(field), "row %llu", (unsigned long long)x->row);
			if (x->failed)
				return zl_error_set(err, x->perr.code, field,
						    "worksheet row %llu: %s",
						    (unsigned long long)x->row, x->perr.message);
			return zl_error_set(err, ZL_EINVAL, field,
					    "worksheet: malformed XML at line %lu: %s",
					    (unsigned long)XML_GetCurrentLineNumber(x->p),
					    XML_ErrorString(XML_GetErrorCode(x->p)));
		}
		x->suspended = st == XML_STATUS_SUSPENDED;
	}
	return build_row(x, cells, ncells, err);
}

const char *zl_xlsxr_sheet_name(const struct zl_xlsxr *x)
{
	return x->sheet_name;
}

uint64_t zl_xlsxr_row(const struct zl_xlsxr *x)
{
	return x->row;
}

void zl_xlsxr_progress(const struct zl_xlsxr *x, uint64_t *done, uint64_t *total)
{
	*done = x->sheet_read;
	*total = x->sheet_size > x->sheet_read ? x->sheet_size : x->sheet_read;
}

void zl_xlsxr_close(struct zl_xlsxr *x)
{
	if (!x)
		return;
	if (x->p)
		XML_ParserFree(x->p);
	if (x->sheet)
		zip_fclose(x->sheet);
	if (x->za)
		zip_discard(x->za);
	zl_buf_release(&x->sst);
	zl_buf_release(&x->rowtext);
	zl_buf_release(&x->val);
	free(x->sst_off);
	free(x->xf_date);
	free(x->fmts);
	free(x->refs);
	free((void *)x->cells);
	free(x);
}
