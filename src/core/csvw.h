/*
 * csvw.h - CSV writer (RFC 4180) into a struct zl_buf, for exports that
 * people open in Excel or WPS.
 *
 * Output rules:
 *   - fields are separated by ',' and records end with CRLF;
 *   - a field containing ',', '"', CR or LF is enclosed in double quotes,
 *     with each '"' inside doubled; other fields are written bare;
 *   - NULL and "" are both written as an empty field (CSV cannot tell them
 *     apart);
 *   - invalid UTF-8 is replaced by U+FFFD, so the output is always UTF-8;
 *   - optionally a UTF-8 byte order mark (EF BB BF) first, without which
 *     Excel reads UTF-8 Chinese text as the ANSI code page (mojibake).
 *
 * Formula injection ("CSV injection"): a spreadsheet runs a cell that
 * starts with '=', '+', '-' or '@' as a formula (and TAB or CR can hide
 * such a prefix), so exported user data could execute commands or leak
 * data when an officer opens the file.  Following OWASP's recommendation
 * (https://owasp.org/www-community/attacks/CSV_Injection), a text field
 * starting with one of = + - @ TAB CR is prefixed with a single quote ',
 * which makes the spreadsheet treat it as text.  Numbers written with
 * zl_csvw_num() are exempt ("-5" stays a number) as long as they really are
 * plain decimal numbers.  The guard is on by default.
 *
 * Errors are the buffer's (ZL_ETOOBIG at its cap, ZL_ENOMEM) and sticky,
 * like the buffer's: a writer may check once at the end.
 */
#ifndef ZL_CORE_CSVW_H
#define ZL_CORE_CSVW_H

#include <stddef.h>

#include "core/buf.h"

/* zl_csvw_init flags. */
#define ZL_CSVW_BOM 1u	    /* start the output with a UTF-8 BOM */
#define ZL_CSVW_NO_GUARD 2u /* disable the formula-injection guard (raw data files) */

struct zl_csvw {
	struct zl_buf *out; /* borrowed */
	size_t nfields;	    /* fields written in the current record */
	int guard;	    /* formula-injection guard on */
};

/*
 * Start writing into `out` (appended to, not cleared).  With ZL_CSVW_BOM
 * the BOM is appended now.  Returns ZL_OK or the buffer's error.
 */
int zl_csvw_init(struct zl_csvw *w, struct zl_buf *out, unsigned flags);
/* One text field (NULL: empty field).  Returns ZL_OK or the buffer's error. */
int zl_csvw_field(struct zl_csvw *w, const char *s);
/* Text field of `n` bytes (may hold NULs, which are written as they are). */
int zl_csvw_fieldn(struct zl_csvw *w, const char *s, size_t n);
/*
 * A numeric field: when `s` is a plain decimal number (-?digits[.digits])
 * it is written without the formula guard; anything else is written as
 * zl_csvw_field() would (guarded).  NULL: empty field.
 */
int zl_csvw_num(struct zl_csvw *w, const char *s);
/* End the current record (CRLF).  A record with no fields is an empty line. */
int zl_csvw_end_row(struct zl_csvw *w);
/* Convenience: `n` text fields (NULL entries empty), then end the record. */
int zl_csvw_row(struct zl_csvw *w, const char *const *fields, size_t n);
/* 1 if `s` would be prefixed by the formula guard (starts with = + - @ TAB CR). */
int zl_csvw_is_formula(const char *s, size_t n);

#endif /* ZL_CORE_CSVW_H */
