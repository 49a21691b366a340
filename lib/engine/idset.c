#include "idset.h"

#include <stdlib.h>

#include "common/error.h"

static size_t slot_of(uint64_t key, size_t cap)
{
	return (size_t)((key * 0x9E3779B97F4A7C15ULL) >> 17) & (cap - 1);
}

static void place(uint64_t *a, size_t cap, uint64_t key)
{
	size_t i = slot_of(key, cap);
	while (a[i])
		i = (i + 1) & (cap - 1);
	a[i] = key;
}

int lin_idset_add(lin_idset *s, int64_t x)
{
	uint64_t key = (uint64_t)x + 1;
	size_t i;
	if (key == 0)
		key = 1; /* INT64_MAX + 1 wraps: share a cell rather than lose it */
	if ((s->n + 1) * 2 > s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 256;
		uint64_t *a = calloc(cap, sizeof *a);
		if (!a)
			return lin_error_oom();
		for (i = 0; i < s->cap; i++)
			if (s->a[i])
				place(a, cap, s->a[i]);
		free(s->a);
		s->a = a;
		s->cap = cap;
	}
	for (i = slot_of(key, s->cap); s->a[i]; i = (i + 1) & (s->cap - 1))
		if (s->a[i] == key)
			return 1;
	s->a[i] = key;
	s->n++;
	return 0;
}

void lin_idset_free(lin_idset *s)
{
	free(s->a);
	s->a = NULL;
	s->cap = s->n = 0;
}
