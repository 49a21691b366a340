#include "lbench.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int lbench_samples_add(lbench_samples *s, double value)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 64;
		double *v = realloc(s->v, cap * sizeof *v);
		if (!v)
			return -1;
		s->v = v;
		s->cap = cap;
	}
	s->v[s->n++] = value;
	return 0;
}

void lbench_samples_free(lbench_samples *s)
{
	free(s->v);
	s->v = NULL;
	s->n = s->cap = 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

double lbench_percentile(const lbench_samples *s, double p)
{
	double *sorted, result;
	size_t rank;
	if (!s->n)
		return 0;
	sorted = malloc(s->n * sizeof *sorted);
	if (!sorted)
		return NAN;
	memcpy(sorted, s->v, s->n * sizeof *sorted);
	qsort(sorted, s->n, sizeof *sorted, cmp_double);
	if (p <= 0)
		rank = 1;
	else if (p >= 100)
		rank = s->n;
	else
		rank = (size_t)ceil(p / 100.0 * (double)s->n);
	if (rank < 1)
		rank = 1;
	result = sorted[rank - 1];
	free(sorted);
	return result;
}

double lbench_sum(const lbench_samples *s)
{
	double t = 0;
	for (size_t i = 0; i < s->n; i++)
		t += s->v[i];
	return t;
}

double lbench_mean(const lbench_samples *s)
{
	return s->n ? lbench_sum(s) / (double)s->n : 0;
}

double lbench_min(const lbench_samples *s)
{
	double m = s->n ? s->v[0] : 0;
	for (size_t i = 1; i < s->n; i++)
		if (s->v[i] < m)
			m = s->v[i];
	return m;
}

double lbench_max(const lbench_samples *s)
{
	double m = s->n ? s->v[0] : 0;
	for (size_t i = 1; i < s->n; i++)
		if (s->v[i] > m)
			m = s->v[i];
	return m;
}
