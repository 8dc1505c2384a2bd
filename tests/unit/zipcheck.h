/*
 * zipcheck.h - a minimal zip reader for tests of the xlsx exports: find an
 * entry by name through the central directory, inflate it with zlib and
 * check its CRC-32, so a test can assert on the XML inside an xlsx file.
 * Header-only (static inline) so each test binary includes it directly;
 * it trusts nothing in the file (every offset is bounds-checked) but is not
 * a general zip implementation (no zip64, no encryption).
 */
#ifndef ZL_TESTS_ZIPCHECK_H
#define ZL_TESTS_ZIPCHECK_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

static inline uint32_t zc_u16(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8;
}

static inline uint32_t zc_u32(const unsigned char *p)
{
	return zc_u16(p) | zc_u16(p + 2) << 16;
}

/* Read the whole of an open file from offset 0 (malloc'd; NULL on error). */
static inline unsigned char *zc_slurp_fd(int fd, size_t *n)
{
	struct stat st;
	unsigned char *p;
	size_t got = 0;

	if (fstat(fd, &st) || st.st_size <= 0)
		return NULL;
	p = malloc((size_t)st.st_size);
	if (!p)
		return NULL;
	while (got < (size_t)st.st_size) {
		ssize_t r = pread(fd, p + got, (size_t)st.st_size - got, (off_t)got);

		if (r <= 0) {
			free(p);
			return NULL;
		}
		got += (size_t)r;
	}
	*n = got;
	return p;
}

/* Number of entries in the central directory, or -1 if there is none. */
static inline long zc_count(const unsigned char *z, size_t n, size_t *cd_off)
{
	size_t stop;

	if (n < 22)
		return -1;
	/* the end record is 22 bytes plus a comment of up to 65535 */
	stop = n - 22 > 65535 ? n - 22 - 65535 : 0;
	for (size_t i = n - 22;; i--) {
		if (zc_u32(z + i) == 0x06054b50u) {
			size_t off = zc_u32(z + i + 16);

			if (off > i)
				return -1;
			*cd_off = off;
			return (long)zc_u16(z + i + 10);
		}
		if (i == stop)
			break;
	}
	return -1;
}

/*
 * The contents of entry `name` (malloc'd, NUL-terminated, length in *len),
 * or NULL when it is missing, damaged or its CRC does not match.
 */
static inline char *zc_entry(const unsigned char *z, size_t n, const char *name, size_t *len)
{
	size_t cd, nl = strlen(name);
	long count = zc_count(z, n, &cd);

	for (long e = 0; e < count; e++) {
		uint32_t method, csize, usize, crc, fnl, xl, cl, loff;
		size_t data;
		char *out;

		if (cd + 46 > n || zc_u32(z + cd) != 0x02014b50u)
			return NULL;
		method = zc_u16(z + cd + 10);
		crc = zc_u32(z + cd + 16);
		csize = zc_u32(z + cd + 20);
		usize = zc_u32(z + cd + 24);
		fnl = zc_u16(z + cd + 28);
		xl = zc_u16(z + cd + 30);
		cl = zc_u16(z + cd + 32);
		loff = zc_u32(z + cd + 42);
		if (cd + 46 + fnl > n)
			return NULL;
		if (fnl != nl || memcmp(z + cd + 46, name, nl)) {
			cd += 46 + fnl + xl + cl;
			continue;
		}
		if ((size_t)loff + 30 > n || zc_u32(z + loff) != 0x04034b50u)
			return NULL;
		data = loff + 30 + zc_u16(z + loff + 26) + zc_u16(z + loff + 28);
		if (data > n || csize > n - data)
			return NULL;
		out = malloc((size_t)usize + 1);
		if (!out)
			return NULL;
		if (method == 0 && csize == usize) {
			memcpy(out, z + data, usize);
		} else if (method == 8) {
			z_stream s;
			int zr;

			memset(&s, 0, sizeof(s));
			if (inflateInit2(&s, -15) != Z_OK) {
				free(out);
				return NULL;
			}
			s.next_in = (Bytef *)(uintptr_t)(z + data);
			s.avail_in = csize;
			s.next_out = (Bytef *)out;
			s.avail_out = usize;
			zr = inflate(&s, Z_FINISH);
			inflateEnd(&s);
			if (zr != Z_STREAM_END || s.total_out != usize) {
				free(out);
				return NULL;
			}
		} else {
			free(out);
			return NULL;
		}
		if (crc32(0L, (const Bytef *)out, usize) != crc) {
			free(out);
			return NULL;
		}
		out[usize] = '\0';
		*len = usize;
		return out;
	}
	return NULL;
}

#endif /* ZL_TESTS_ZIPCHECK_H */
