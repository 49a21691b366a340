/*
 * Shared helpers of the benchmark programs (bench/bench_*.c): a monotonic timer, latency
 * samples with percentiles, peak memory, and a tiny command-line flag parser.
 *
 * This is benchmark code, not part of liblineage: it prints, it may exit, and nothing in
 * lib/ depends on it.
 */
#ifndef LBENCH_H
#define LBENCH_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* ---- Time ---- */

/* Monotonic clock in nanoseconds. */
uint64_t lbench_now_ns(void);

/* Milliseconds between two lbench_now_ns() readings. */
double lbench_ms(uint64_t start_ns, uint64_t end_ns);

/*
 * CPU time (user + system) this process has used so far, in milliseconds. On a shared
 * machine, wall time also counts waiting for a core: report both.
 */
double lbench_cpu_ms(void);

/*
 * CPU time of the calling thread in nanoseconds (CLOCK_THREAD_CPUTIME_ID): a query timed
 * with it does not count the time slices it waited for while other processes ran.
 */
uint64_t lbench_thread_cpu_ns(void);

/* ---- Latency samples ---- */

/* A growable list of samples (milliseconds, or any double). */
typedef struct lbench_samples {
	double *v;
	size_t n;
	size_t cap;
} lbench_samples;

#define LBENCH_SAMPLES_INIT {NULL, 0, 0}

/* Append one sample; returns 0, or -1 when out of memory. */
int lbench_samples_add(lbench_samples *s, double value);
void lbench_samples_free(lbench_samples *s);

/*
 * The p-th percentile (0..100) by the nearest-rank method over a sorted copy (the samples
 * keep their order); 0 for an empty list. p50 of {1,2,3,4} is 2, p99 of 100 samples is the
 * 99th smallest.
 */
double lbench_percentile(const lbench_samples *s, double p);

/* Sum, mean (0 when empty), smallest and largest (0 when empty). */
double lbench_sum(const lbench_samples *s);
double lbench_mean(const lbench_samples *s);
double lbench_min(const lbench_samples *s);
double lbench_max(const lbench_samples *s);

/* ---- Memory ---- */

/* Peak resident set size of this process in KiB (getrusage; VmHWM when it is larger). */
long lbench_peak_rss_kib(void);

/* Current resident set size in KiB (VmRSS from /proc/self/status), or -1 if unknown. */
long lbench_current_rss_kib(void);

/*
 * Reset the kernel's peak-RSS mark (VmHWM) to the current RSS, so that a later
 * lbench_peak_rss_kib() measures one phase. Returns 0, or -1 when the kernel does not
 * allow it (then the peak covers the whole process).
 */
int lbench_reset_peak_rss(void);

/* ---- Flags ---- */

typedef enum lbench_flag_type {
	LBENCH_FLAG_BOOL,   /* --name sets *(int *)ptr = 1 */
	LBENCH_FLAG_INT,    /* --name N into *(long long *)ptr */
	LBENCH_FLAG_DOUBLE, /* --name X into *(double *)ptr */
	LBENCH_FLAG_STRING  /* --name TEXT into *(const char **)ptr (borrowed from argv) */
} lbench_flag_type;

typedef struct lbench_flag {
	const char *name; /* without the leading "--" */
	lbench_flag_type type;
	void *ptr;
	const char *help;
} lbench_flag;

/*
 * Parse argv against `flags` (n of them). Accepts "--name value" and "--name=value".
 * "--help" or "-h" prints the usage (with `summary`) to stdout and returns 1. An unknown
 * flag, a missing or malformed value, or a positional argument prints a message naming it
 * to stderr and returns -1. Returns 0 when every argument was understood.
 */
int lbench_flags_parse(int argc, char **argv, const lbench_flag *flags, size_t n,
		       const char *summary);

/* Print the usage text to stdout. */
void lbench_flags_usage(const char *prog, const lbench_flag *flags, size_t n,
			const char *summary);

/* ---- Text ---- */

/* A growing text buffer: start with {NULL, 0, 0}; p is NUL-terminated after a put. */
typedef struct lbench_buf {
	char *p;
	size_t n, cap;
} lbench_buf;

/* Append printf-style text; exits with a message when out of memory. */
void lbench_put(lbench_buf *b, const char *fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
	__attribute__((format(printf, 2, 3)))
#endif
	;

/* ---- Output ---- */

/* Write `s` to `f` as a JSON string literal (quoted and escaped). */
void lbench_json_string(FILE *f, const char *s);

#endif
