/* Open-addressing hash map of 128-bit identities (common/hash128.h). */
#include "idmap.h"

#include <stdlib.h>
#include <string.h>

#include "common/error.h"
#include "common/util.h"

static size_t slot_of(const lin_idmap *m, lin_id id)
{
	return (size_t)(id.a ^ (id.b >> 7)) & (m->cap - 1);
}

lin_idmap_entry *lin_idmap_find(const lin_idmap *m, lin_id id)
{
	size_t i;
	if (!m->cap)
		return NULL;
	for (i = slot_of(m, id);; i = (i + 1) & (m->cap - 1)) {
		lin_idmap_entry *e = &m->slots[i];
		if (!e->id.a && !e->id.b)
			return NULL;
		if (e->id.a == id.a && e->id.b == id.b)
			return e;
	}
}

static int grow_to(lin_idmap *m, size_t cap)
{
	lin_idmap_entry *old = m->slots;
	size_t old_cap = m->cap;
	m->slots = calloc(cap, sizeof *m->slots);
	if (!m->slots) {
		m->slots = old;
		return lin_error_oom();
	}
	m->cap = cap;
	for (size_t i = 0; i < old_cap; i++) {
		if (old[i].id.a || old[i].id.b) {
			size_t j = slot_of(m, old[i].id);
			while (m->slots[j].id.a || m->slots[j].id.b)
				j = (j + 1) & (cap - 1);
			m->slots[j] = old[i];
		}
	}
	free(old);
	return 0;
}

static int grow(lin_idmap *m)
{
	return grow_to(m, m->cap ? m->cap * 2 : 1024);
}

int lin_idmap_reserve(lin_idmap *m, size_t n)
{
	size_t cap = m->cap ? m->cap : 1024;
	while (n * 4 > cap * 3)
		cap *= 2;
	return cap > m->cap ? grow_to(m, cap) : 0;
}

int lin_idmap_put(lin_idmap *m, lin_id id, uint64_t row, uint64_t digest)
{
	size_t i;
	int rc;
	if ((m->count + 1) * 4 > m->cap * 3 && (rc = grow(m)) != 0)
		return rc;
	for (i = slot_of(m, id); m->slots[i].id.a || m->slots[i].id.b; i = (i + 1) & (m->cap - 1))
		;
	m->slots[i].id = id;
	m->slots[i].row = row;
	m->slots[i].digest = digest;
	m->count++;
	return 0;
}

void lin_idmap_free(lin_idmap *m)
{
	free(m->slots);
	memset(m, 0, sizeof *m);
}
