/* Text tables for people, and a small key -> index map used to render results. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

struct cli_table {
	size_t columns;
	size_t rows, cap;
	char **cells;         /* rows * columns, row-major; row 0 holds the headers */
	cli_style *styles;    /* the same layout */
	size_t *widths;
};

/* Display width: UTF-8 code points (good enough for keys and names). */
static size_t text_width(const char *s)
{
	size_t w = 0;
	for (; *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			w++;
	return w;
}

cli_table *cli_table_new(size_t columns, const char *const *headers)
{
	cli_table *t = calloc(1, sizeof *t);
	if (!t)
		return NULL;
	t->columns = columns;
	t->widths = calloc(columns, sizeof *t->widths);
	if (!t->widths || cli_table_add(t, headers)) {
		cli_table_free(t);
		return NULL;
	}
	return t;
}

int cli_table_add_styled(cli_table *t, const char *const *cells, const cli_style *styles)
{
	if (t->rows == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 16;
		char **c = realloc(t->cells, cap * t->columns * sizeof *c);
		if (!c)
			return -1;
		t->cells = c;
		cli_style *s = realloc(t->styles, cap * t->columns * sizeof *s);
		if (!s)
			return -1;
		t->styles = s;
		t->cap = cap;
	}
	char **row = t->cells + t->rows * t->columns;
	for (size_t i = 0; i < t->columns; i++) {
		row[i] = strdup(cells[i] ? cells[i] : "-");
		if (!row[i]) {
			for (size_t j = 0; j < i; j++)
				free(row[j]);
			return -1;
		}
		t->styles[t->rows * t->columns + i] = styles ? styles[i] : CLI_RESET;
		size_t w = text_width(row[i]);
		if (w > t->widths[i])
			t->widths[i] = w;
	}
	t->rows++;
	return 0;
}

int cli_table_add(cli_table *t, const char *const *cells)
{
	return cli_table_add_styled(t, cells, NULL);
}

void cli_table_print(const cli_ctx *ctx, cli_table *t, FILE *f)
{
	for (size_t r = 0; r < t->rows; r++) {
		for (size_t c = 0; c < t->columns; c++) {
			const char *cell = t->cells[r * t->columns + c];
			cli_style st = r == 0 ? CLI_BOLD : t->styles[r * t->columns + c];
			int last = c + 1 == t->columns;
			fprintf(f, "%s%s%s", st == CLI_RESET ? "" : cli_sty(ctx, st), cell,
				st == CLI_RESET ? "" : cli_sty(ctx, CLI_RESET));
			if (!last)
				fprintf(f, "%*s", (int)(t->widths[c] - text_width(cell) + 2), "");
		}
		fputc('\n', f);
	}
}

void cli_table_free(cli_table *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->rows * t->columns; i++)
		free(t->cells[i]);
	free(t->cells);
	free(t->styles);
	free(t->widths);
	free(t);
}

/* Open addressing with linear probing; the table is at most half full. */
struct cli_keymap {
	size_t cap;
	const char **keys;
	size_t *values;
	size_t count;
};

static size_t hash_key(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
	return (size_t)h;
}

cli_keymap *cli_keymap_new(size_t expected)
{
	cli_keymap *m = calloc(1, sizeof *m);
	size_t cap = 16;
	if (!m)
		return NULL;
	while (cap < expected * 2 + 1)
		cap *= 2;
	m->cap = cap;
	m->keys = calloc(cap, sizeof *m->keys);
	m->values = calloc(cap, sizeof *m->values);
	if (!m->keys || !m->values) {
		cli_keymap_free(m);
		return NULL;
	}
	return m;
}

static int keymap_grow(cli_keymap *m)
{
	cli_keymap bigger = {m->cap * 2, NULL, NULL, 0};
	bigger.keys = calloc(bigger.cap, sizeof *bigger.keys);
	bigger.values = calloc(bigger.cap, sizeof *bigger.values);
	if (!bigger.keys || !bigger.values) {
		free(bigger.keys);
		free(bigger.values);
		return -1;
	}
	for (size_t i = 0; i < m->cap; i++)
		if (m->keys[i])
			cli_keymap_put(&bigger, m->keys[i], m->values[i]);
	free(m->keys);
	free(m->values);
	*m = bigger;
	return 0;
}

int cli_keymap_put(cli_keymap *m, const char *key, size_t value)
{
	if ((m->count + 1) * 2 > m->cap && keymap_grow(m))
		return -1;
	size_t i = hash_key(key) & (m->cap - 1);
	while (m->keys[i]) {
		if (!strcmp(m->keys[i], key))
			return 0;
		i = (i + 1) & (m->cap - 1);
	}
	m->keys[i] = key;
	m->values[i] = value;
	m->count++;
	return 0;
}

size_t cli_keymap_get(const cli_keymap *m, const char *key)
{
	size_t i = hash_key(key) & (m->cap - 1);
	while (m->keys[i]) {
		if (!strcmp(m->keys[i], key))
			return m->values[i];
		i = (i + 1) & (m->cap - 1);
	}
	return (size_t)-1;
}

void cli_keymap_free(cli_keymap *m)
{
	if (!m)
		return;
	free(m->keys);
	free(m->values);
	free(m);
}
