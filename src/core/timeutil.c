/*
 * timeutil.c - clocks and calendar arithmetic of timeutil.h.
 *
 * The civil-date conversions are the well-known era-based algorithms
 * (days from 0000-03-01 in 400-year eras of 146097 days), exact for the
 * whole int64 range we accept here.
 */
#include "core/timeutil.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/err.h"

#define US_PER_S INT64_C(1000000)
#define S_PER_DAY INT64_C(86400)

static int64_t clock_us(clockid_t id)
{
	struct timespec ts;

	if (clock_gettime(id, &ts) != 0)
		return 0;
	return (int64_t)ts.tv_sec * US_PER_S + ts.tv_nsec / 1000;
}

int64_t zl_now_us(void)
{
	return clock_us(CLOCK_REALTIME);
}

int64_t zl_mono_us(void)
{
	return clock_us(CLOCK_MONOTONIC);
}

/* Floor division, so instants before 1970 land on the right day. */
static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;

	if ((a % b != 0) && ((a < 0) != (b < 0)))
		q--;
	return q;
}

int64_t zl_days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = floor_div(y, 400);
	yoe = y - era * 400;
	doy = (153 * (int64_t)(m > 2 ? m - 3 : m + 9) + 2) / 5 + (int64_t)d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void zl_civil_from_days(int64_t days, int64_t *y, unsigned *m, unsigned *d)
{
	int64_t z = days + 719468, era, doe, yoe, doy, mp;

	era = floor_div(z, 146097);
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
	*m = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

static int is_leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int zl_date_valid(int64_t y, unsigned m, unsigned d)
{
	static const unsigned char mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	if (m < 1 || m > 12 || d < 1)
		return 0;
	if (m == 2 && is_leap(y))
		return d <= 29;
	return d <= mdays[m - 1];
}

/* Earliest and latest instants with a four-digit year. */
#define MIN_US (INT64_C(-62167219200) * US_PER_S)
#define MAX_US (INT64_C(253402300799) * US_PER_S + 999999)

/* Write v as exactly `width` decimal digits (zero-padded) at p; returns the end. */
static char *put_digits(char *p, uint64_t v, int width)
{
	int i;

	for (i = width - 1; i >= 0; i--) {
		p[i] = (char)('0' + v % 10);
		v /= 10;
	}
	return p + width;
}

/* "YYYY-MM-DD" for y in 0..9999; returns the end (not terminated). */
static char *put_date(char *p, int64_t y, unsigned m, unsigned d)
{
	p = put_digits(p, (uint64_t)y, 4);
	*p++ = '-';
	p = put_digits(p, m, 2);
	*p++ = '-';
	return put_digits(p, d, 2);
}

static char *format_time(int64_t unix_us, int64_t offset_s, int with_us, const char *suffix,
			 char out[32])
{
	int64_t secs, days, sod, y, frac;
	unsigned m, d;
	char *p = out;
	size_t sl = strlen(suffix);

	/* Clamp so the local year stays in 0000..9999. */
	if (unix_us < MIN_US - offset_s * US_PER_S)
		unix_us = MIN_US - offset_s * US_PER_S;
	if (unix_us > MAX_US - offset_s * US_PER_S)
		unix_us = MAX_US - offset_s * US_PER_S;
	secs = floor_div(unix_us, US_PER_S);
	frac = unix_us - secs * US_PER_S;
	secs += offset_s;
	days = floor_div(secs, S_PER_DAY);
	sod = secs - days * S_PER_DAY;
	zl_civil_from_days(days, &y, &m, &d);
	p = put_date(p, y, m, d);
	*p++ = 'T';
	p = put_digits(p, (uint64_t)(sod / 3600), 2);
	*p++ = ':';
	p = put_digits(p, (uint64_t)(sod / 60 % 60), 2);
	*p++ = ':';
	p = put_digits(p, (uint64_t)(sod % 60), 2);
	if (with_us) {
		*p++ = '.';
		p = put_digits(p, (uint64_t)frac, 6);
	}
	/* At most 26 bytes so far; suffixes are "Z" or "+08:00". */
	if (sl > (size_t)(31 - (p - out)))
		sl = (size_t)(31 - (p - out));
	memcpy(p, suffix, sl);
	p[sl] = '\0';
	return out;
}

char *zl_time_format_rfc3339(int64_t unix_us, char out[32])
{
	return format_time(unix_us, 0, 0, "Z", out);
}

char *zl_time_format_rfc3339_us(int64_t unix_us, char out[32])
{
	return format_time(unix_us, 0, 1, "Z", out);
}

char *zl_time_format_shanghai(int64_t unix_us, char out[32])
{
	return format_time(unix_us, ZL_SHANGHAI_OFFSET_S, 0, "+08:00", out);
}

/* Exactly `n` ASCII digits at s as a number, or -1. */
static int64_t digits(const char *s, int n)
{
	int64_t v = 0;
	int i;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* "YYYY-MM-DD" at s (10 bytes, no terminator check); days via *days. */
static int parse_date10(const char *s, int64_t *days)
{
	int64_t y, m, d;

	if (strnlen(s, 10) < 10 || s[4] != '-' || s[7] != '-')
		return ZL_EINVAL;
	y = digits(s, 4);
	m = digits(s + 5, 2);
	d = digits(s + 8, 2);
	if (y < 0 || m < 0 || d < 0 || !zl_date_valid(y, (unsigned)m, (unsigned)d))
		return ZL_EINVAL;
	*days = zl_days_from_civil(y, (unsigned)m, (unsigned)d);
	return ZL_OK;
}

int zl_date_parse(const char *s, int64_t *days)
{
	if (!s || strlen(s) != 10)
		return ZL_EINVAL;
	return parse_date10(s, days);
}

char *zl_date_format(int64_t days, char out[16])
{
	int64_t y;
	unsigned m, d;

	zl_civil_from_days(days, &y, &m, &d);
	if (y < 0) {
		y = 0;
		m = d = 1;
	} else if (y > 9999) {
		y = 9999;
		m = 12;
		d = 31;
	}
	*put_date(out, y, m, d) = '\0';
	return out;
}

int zl_time_parse_rfc3339(const char *s, int64_t *unix_us)
{
	int64_t days, hh, mm, ss, us = 0, off = 0, oh, om;
	const char *p;
	int nfrac = 0;

	if (!s || parse_date10(s, &days) != ZL_OK)
		return ZL_EINVAL;
	p = s + 10;
	if (*p != 'T' && *p != 't' && *p != ' ')
		return ZL_EINVAL;
	p++;
	if (strnlen(p, 8) < 8 || p[2] != ':' || p[5] != ':')
		return ZL_EINVAL;
	hh = digits(p, 2);
	mm = digits(p + 3, 2);
	ss = digits(p + 6, 2);
	if (hh < 0 || hh > 23 || mm < 0 || mm > 59 || ss < 0 || ss > 59)
		return ZL_EINVAL;
	p += 8;
	if (*p == '.') {
		p++;
		while (*p >= '0' && *p <= '9') {
			if (++nfrac > 9)
				return ZL_EINVAL;
			if (nfrac <= 6)
				us = us * 10 + (*p - '0');
			p++;
		}
		if (nfrac == 0)
			return ZL_EINVAL;
		for (; nfrac < 6; nfrac++)
			us *= 10;
	}
	if (*p == 'Z' || *p == 'z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		if (strnlen(p, 6) < 6 || p[3] != ':')
			return ZL_EINVAL;
		oh = digits(p + 1, 2);
		om = digits(p + 4, 2);
		if (oh < 0 || oh > 23 || om < 0 || om > 59)
			return ZL_EINVAL;
		off = (oh * 3600 + om * 60) * (*p == '-' ? -1 : 1);
		p += 6;
	} else {
		return ZL_EINVAL;
	}
	if (*p != '\0')
		return ZL_EINVAL;
	*unix_us = ((days * S_PER_DAY + hh * 3600 + mm * 60 + ss) - off) * US_PER_S + us;
	return ZL_OK;
}
