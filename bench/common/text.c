/* A growing text buffer for the benchmarks' generated inputs. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "lbench.h"

void lbench_put(lbench_buf *b, const char *fmt, ...)
{
	va_list ap;
	for (;;) {
		va_start(ap, fmt);
		int k = vsnprintf(b->p ? b->p + b->n : NULL, b->p ? b->cap - b->n : 0, fmt, ap);
		va_end(ap);
		if (k >= 0 && b->p && (size_t)k < b->cap - b->n) {
			b->n += (size_t)k;
			return;
		}
		b->cap = b->cap * 2 + (size_t)(k > 0 ? k : 0) + 1024;
		b->p = realloc(b->p, b->cap);
		if (!b->p) {
			fprintf(stderr, "out of memory\n");
			exit(1);
		}
	}
}
