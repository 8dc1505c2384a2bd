/*
 * timeutil.h - clocks, RFC 3339 timestamps and calendar dates.
 *
 * Zhiliang stores instants as int64 microseconds since the Unix epoch
 * (UTC) and calendar dates as int64 days since 1970-01-01; it shows times
 * in Asia/Shanghai, which is UTC+8 all year (no daylight saving since
 * 1991), so the conversion is a fixed offset and needs no tz database.
 * Civil-date arithmetic is done here (proleptic Gregorian calendar), not
 * through gmtime/localtime, so nothing depends on TZ or hidden state.
 * Domain code must not call the clock functions: it receives times.
 */
#ifndef ZL_CORE_TIMEUTIL_H
#define ZL_CORE_TIMEUTIL_H

#include <stdint.h>

#define ZL_SHANGHAI_OFFSET_S (8 * 3600)

/* Wall-clock time (CLOCK_REALTIME), microseconds since the Unix epoch. */
int64_t zl_now_us(void);
/* Monotonic clock (CLOCK_MONOTONIC) in microseconds, for measuring durations. */
int64_t zl_mono_us(void);

/* Days since 1970-01-01 of the proleptic Gregorian date y-m-d (m 1..12, d 1..31). */
int64_t zl_days_from_civil(int64_t y, unsigned m, unsigned d);
/* Inverse of zl_days_from_civil. */
void zl_civil_from_days(int64_t days, int64_t *y, unsigned *m, unsigned *d);
/* 1 if y-m-d is a real calendar date (1 <= m <= 12, day within the month). */
int zl_date_valid(int64_t y, unsigned m, unsigned d);

/*
 * Format the instant `unix_us` into `out` (NUL-terminated, at most 31
 * bytes) and return `out`.  Years outside 0000..9999 are clamped to that
 * range's ends (such instants are bugs, not data).
 *   zl_time_format_rfc3339:     "2014-07-18T08:30:00Z"        (UTC, seconds)
 *   zl_time_format_rfc3339_us:  "2014-07-18T08:30:00.000123Z" (UTC, microseconds)
 *   zl_time_format_shanghai:    "2014-07-18T16:30:00+08:00"   (UTC+8, seconds)
 * Sub-second parts are truncated toward the past, never rounded.
 */
char *zl_time_format_rfc3339(int64_t unix_us, char out[32]);
char *zl_time_format_rfc3339_us(int64_t unix_us, char out[32]);
char *zl_time_format_shanghai(int64_t unix_us, char out[32]);

/*
 * Parse an RFC 3339 date-time: "YYYY-MM-DDTHH:MM:SS[.frac](Z|+HH:MM|-HH:MM)"
 * ('t' or ' ' accepted for 'T', 'z' for 'Z'; up to 9 fraction digits,
 * truncated to microseconds; second 60 is rejected).  The whole string must
 * match.  Returns ZL_OK and stores microseconds since the epoch in
 * *unix_us, or ZL_EINVAL (out of range fields, e.g. 2014-02-30, are
 * invalid too).
 */
int zl_time_parse_rfc3339(const char *s, int64_t *unix_us);

/*
 * Parse a date "YYYY-MM-DD" (the whole string, a real calendar date).
 * Returns ZL_OK and stores days since 1970-01-01, or ZL_EINVAL.
 */
int zl_date_parse(const char *s, int64_t *days);
/* Format days since 1970-01-01 as "YYYY-MM-DD" into out; returns out. */
char *zl_date_format(int64_t days, char out[16]);

#endif /* ZL_CORE_TIMEUTIL_H */
