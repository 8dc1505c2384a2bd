/*
 * bench.h - what the micro-benchmarks in bench/ share: a monotonic clock
 * in milliseconds and the comparison that sorts timings for a median.
 * Header-only (static inline): each benchmark is one program.
 */
#ifndef ZL_BENCH_BENCH_H
#define ZL_BENCH_BENCH_H

#include <time.h>

/* Milliseconds on the monotonic clock. */
static inline double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* qsort comparison of doubles, ascending. */
static inline int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

#endif /* ZL_BENCH_BENCH_H */
