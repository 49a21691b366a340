/*
 * Internal: saved views in the store (issue 15; the table `views`, schema 7,
 * docs/data-model.md). A view is a name, its root's key (kept apart so that a list needs no
 * body) and its body as JSON text; lib/api/view.c checks them.
 */
#ifndef LIN_STORE_VIEWS_H
#define LIN_STORE_VIEWS_H

#include <stddef.h>
#include <stdint.h>

typedef struct lin_store lin_store;

/* A view's row; in a callback, borrowed for the call. `body` is NULL in lists. */
typedef struct lin_view_row {
	const char *name, *root, *body, *created_by, *updated_by;
	int64_t created_at, updated_at; /* Unix ms */
} lin_view_row;

typedef int (*lin_view_row_cb)(const lin_view_row *row, void *payload);

/* View `name` with its body: `cb` is called once, or not at all when there is none. */
int lin_store_view_get(lin_store *st, const char *name, lin_view_row_cb cb, void *payload);
/* Views by name, without bodies: `limit` (0: all) from `offset`. */
int lin_store_views_each(lin_store *st, size_t offset, size_t limit, lin_view_row_cb cb,
			 void *payload);
int lin_store_view_count(lin_store *st, int64_t *out);
int lin_store_view_insert(lin_store *st, const lin_view_row *row);
/* The view called `name` becomes `row` (its name may change); created_* are kept. */
int lin_store_view_update(lin_store *st, const char *name, const lin_view_row *row);
int lin_store_view_delete(lin_store *st, const char *name);

#endif
