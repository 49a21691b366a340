/* Dispatch of the saved-view operations (backend.h). */
#include "backend.h"

int lin_store_view_get(lin_store *st, const char *name, lin_view_row_cb cb, void *payload)
{
	return st->ops->view_get(st, name, cb, payload);
}

int lin_store_views_each(lin_store *st, size_t offset, size_t limit, lin_view_row_cb cb,
			 void *payload)
{
	return st->ops->views_each(st, offset, limit, cb, payload);
}

int lin_store_view_count(lin_store *st, int64_t *out)
{
	return st->ops->view_count(st, out);
}

int lin_store_view_insert(lin_store *st, const lin_view_row *row)
{
	return st->ops->view_insert(st, row);
}

int lin_store_view_update(lin_store *st, const char *name, const lin_view_row *row)
{
	return st->ops->view_update(st, name, row);
}

int lin_store_view_delete(lin_store *st, const char *name)
{
	return st->ops->view_delete(st, name);
}
