/*
 * buf.h - a growable byte buffer with a hard size cap (after curl's dynbuf
 * and git's strbuf).
 *
 * Invariants:
 *   - `len <= cap`, and when `data` is non-NULL, `data[len] == '\0'`, so the
 *     contents can always be used as a C string (they may also hold NULs).
 *   - `len` never exceeds `max`; an append that would pass it fails with
 *     ZL_ETOOBIG and leaves the buffer unchanged.
 *   - After any failed append `err` is set (sticky) and later appends are
 *     no-ops returning the same error, so a writer may check once at the end.
 * The buffer owns `data`; zl_buf_release() frees it and re-initialises.
 */
#ifndef ZL_CORE_BUF_H
#define ZL_CORE_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct zl_buf {
	char *data;
	size_t len;
	size_t cap;
	size_t max;
	int err; /* 0, ZL_ETOOBIG or ZL_ENOMEM; sticky */
};

#define ZL_BUF_INIT(maxbytes)                                                                      \
	{                                                                                          \
		NULL, 0, 0, (maxbytes), 0                                                          \
	}

/* Initialise an empty buffer that may grow up to `max` bytes.  No allocation. */
void zl_buf_init(struct zl_buf *b, size_t max);
/* Free the contents and re-initialise with the same cap. */
void zl_buf_release(struct zl_buf *b);
/* Empty the buffer, keeping its allocation; clears the sticky error. */
void zl_buf_reset(struct zl_buf *b);
/* Make room for `extra` more bytes.  Returns ZL_OK, ZL_ETOOBIG or ZL_ENOMEM. */
int zl_buf_grow(struct zl_buf *b, size_t extra);
/* Append bytes.  Returns ZL_OK or the (sticky) error. */
int zl_buf_add(struct zl_buf *b, const void *p, size_t n);
/* Append a NUL-terminated string. */
int zl_buf_adds(struct zl_buf *b, const char *s);
/* Append one byte. */
int zl_buf_addch(struct zl_buf *b, char c);
/* Append formatted text (vsnprintf semantics). */
int zl_buf_addf(struct zl_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int zl_buf_addvf(struct zl_buf *b, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
/* Shorten to `len` bytes (must be <= b->len). */
void zl_buf_truncate(struct zl_buf *b, size_t len);
/*
 * Hand the contents to the caller (who must free() them) and re-initialise.
 * Never returns NULL unless allocation fails: an empty buffer yields "".
 */
char *zl_buf_detach(struct zl_buf *b, size_t *len);
/* The contents as a C string; "" when empty.  Valid until the next append. */
const char *zl_buf_str(const struct zl_buf *b);

/*
 * Copy the C string `src` into `dst` of `size` bytes, truncating, always
 * NUL-terminating when size > 0 (BSD strlcpy).  Returns strlen(src), so
 * `>= size` means the copy was truncated.  The replacement for the banned
 * strcpy/strncpy when filling fixed-size arrays.
 */
size_t zl_strlcpy(char *dst, const char *src, size_t size);

#endif /* ZL_CORE_BUF_H */
