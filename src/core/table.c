/*
 * table.c - the row source of table.h: format sniffing, mapping and
 * decoding of CSV text, and dispatch to csvr / xlsxr / xlsr.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/csvr.h"
#include "core/table.h"
#include "core/text.h"
#include "core/xlsr.h"
#include "core/xlsxr.h"

struct zl_table_reader {
	enum zl_table_format fmt;
	uint64_t file_size;
	/* CSV */
	void *map;
	size_t map_len;
	struct zl_buf conv; /* converted text when not UTF-8 */
	size_t text_len;
	enum zl_encoding enc;
	struct zl_csvr csv;
	/* workbooks */
	struct zl_xlsxr *xlsx;
	struct zl_xlsr *xls;
};

enum zl_table_format zl_table_sniff(const void *p, size_t n)
{
	static const unsigned char ole[8] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};
	const unsigned char *b = p;

	if (n >= 4 && b[0] == 'P' && b[1] == 'K' && b[2] == 3 && b[3] == 4)
		return ZL_TABLE_XLSX;
	if (n >= 8 && !memcmp(b, ole, 8))
		return ZL_TABLE_XLS;
	return ZL_TABLE_CSV;
}

static int open_csv(struct zl_table_reader *t, int fd, const char *path,
		    const struct zl_table_options *opt, struct zl_error *err)
{
	uint64_t cap = opt && opt->max_convert ? opt->max_convert : ZL_TABLE_MAX_CONVERT;
	enum zl_table_encoding want = opt ? opt->encoding : ZL_TABLE_ENC_AUTO;
	const char *text = "";
	size_t n = 0;
	int rc;

	if (t->file_size > 0) {
		t->map = mmap(NULL, (size_t)t->file_size, PROT_READ, MAP_PRIVATE, fd, 0);
		if (t->map == MAP_FAILED) {
			t->map = NULL;
			return zl_error_set(err, ZL_EIO, "", "%s: %s", path, strerror(errno));
		}
		t->map_len = (size_t)t->file_size;
		madvise(t->map, t->map_len, MADV_SEQUENTIAL);
		text = t->map;
		n = t->map_len;
	}
	if (want == ZL_TABLE_ENC_GBK)
		t->enc = ZL_ENC_GB18030;
	else if (want == ZL_TABLE_ENC_UTF8)
		t->enc = n >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3) ? ZL_ENC_UTF8_BOM : ZL_ENC_UTF8;
	else
		t->enc = zl_text_detect(text, n);
	if (want == ZL_TABLE_ENC_UTF8) {
		/* auto-detection already proved the text valid; a forced UTF-8 must be checked */
		size_t bad = zl_utf8_invalid_at(text, n);
		if (bad < n) {
			size_t line = 1;
			for (size_t i = 0; i < bad; i++)
				line += text[i] == '\n';
			return zl_error_set(
				err, ZL_EINVAL, "encoding",
				"%s is not valid UTF-8: bad byte at offset %zu (line %zu);"
				" try --encoding gbk",
				path, bad, line);
		}
	}
	if (t->enc != ZL_ENC_UTF8 && t->enc != ZL_ENC_UTF8_BOM) {
		if (n > cap)
			return zl_error_set(
				err, ZL_ETOOBIG, "",
				"%s: a %s file larger than %llu bytes cannot be converted"
				" in memory; save it as UTF-8 CSV",
				path, zl_encoding_name(t->enc), (unsigned long long)cap);
		zl_buf_init(&t->conv, (size_t)cap * 2 + 16);
		rc = zl_text_to_utf8(text, n, t->enc, &t->conv, err);
		if (rc != ZL_OK)
			return rc;
		text = t->conv.data ? t->conv.data : "";
		n = t->conv.len;
	}
	t->text_len = n;
	return zl_csvr_init_buf(&t->csv, text, n, ZL_CSVR_DELIM_AUTO, err);
}

int zl_table_open(const char *path, const struct zl_table_options *opt,
		  struct zl_table_reader **out, struct zl_error *err)
{
	struct zl_table_reader *t = calloc(1, sizeof(*t));
	unsigned char magic[8] = {0};
	struct stat st;
	ssize_t got = 0;
	int fd = -1, rc;

	*out = NULL;
	if (!t)
		return zl_error_set(err, ZL_ENOMEM, "", "out of memory");
	zl_buf_init(&t->conv, 1);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) != 0) {
		rc = zl_error_set(err, ZL_EIO, "", "%s: %s", path, strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		rc = zl_error_set(err, ZL_EIO, "", "%s: not a regular file", path);
		goto out;
	}
	t->file_size = (uint64_t)st.st_size;
	if (t->file_size > 0)
		got = pread(fd, magic, sizeof(magic), 0);
	if (got < 0) {
		rc = zl_error_set(err, ZL_EIO, "", "%s: %s", path, strerror(errno));
		goto out;
	}
	t->fmt = zl_table_sniff(magic, (size_t)got);
	if (t->fmt == ZL_TABLE_XLSX)
		rc = zl_xlsxr_open(path, &t->xlsx, err);
	else if (t->fmt == ZL_TABLE_XLS)
		rc = zl_xlsr_open(path, &t->xls, err);
	else
		rc = open_csv(t, fd, path, opt, err);
out:
	if (fd >= 0)
		close(fd);
	if (rc != ZL_OK) {
		zl_table_close(t);
		return rc;
	}
	*out = t;
	return ZL_OK;
}

int zl_table_next(struct zl_table_reader *t, const char *const **cells, size_t *ncells,
		  struct zl_error *err)
{
	if (t->xlsx)
		return zl_xlsxr_next(t->xlsx, cells, ncells, err);
	if (t->xls)
		return zl_xlsr_next(t->xls, cells, ncells, err);
	return zl_csvr_next(&t->csv, cells, ncells, err);
}

uint64_t zl_table_row(const struct zl_table_reader *t)
{
	if (t->xlsx)
		return zl_xlsxr_row(t->xlsx);
	if (t->xls)
		return zl_xlsr_row(t->xls);
	return zl_csvr_record(&t->csv);
}

enum zl_table_format zl_table_format(const struct zl_table_reader *t)
{
	return t->fmt;
}

const char *zl_table_encoding_name(const struct zl_table_reader *t)
{
	return t->fmt == ZL_TABLE_CSV ? zl_encoding_name(t->enc) : "";
}

void zl_table_progress(const struct zl_table_reader *t, uint64_t *done, uint64_t *total)
{
	uint64_t d = 0, n = 0;

	*total = t->file_size;
	if (t->xlsx)
		zl_xlsxr_progress(t->xlsx, &d, &n);
	else if (t->xls)
		zl_xlsr_progress(t->xls, &d, &n);
	else {
		d = zl_csvr_consumed(&t->csv);
		n = t->text_len;
	}
	/* Scale the reader's position to the file: converted or decompressed sizes differ. */
	*done = n ? (uint64_t)((long double)d / (long double)n * (long double)t->file_size)
		  : t->file_size;
	if (*done > *total)
		*done = *total;
}

void zl_table_close(struct zl_table_reader *t)
{
	if (!t)
		return;
	zl_csvr_release(&t->csv);
	zl_xlsxr_close(t->xlsx);
	zl_xlsr_close(t->xls);
	zl_buf_release(&t->conv);
	if (t->map)
		munmap(t->map, t->map_len);
	free(t);
}
