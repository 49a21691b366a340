/* Result lists: growth, access, JSON and release. */
#include "lists.h"

#include <stdlib.h>

#include "json.h"
#include "write.h"
#include "common/strbuf.h"

/* Make room for one more pointer in a list's array. */
static int grow(void ***items, size_t count, size_t *cap)
{
	void **p;
	size_t n;
	if (count < *cap)
		return 0;
	n = *cap ? *cap * 2 : 16;
	p = realloc(*items, n * sizeof *p);
	if (!p)
		return lin_error_oom();
	*items = p;
	*cap = n;
	return 0;
}

lineage_asset_list *lin_asset_list_new(void)
{
	lineage_asset_list *l = calloc(1, sizeof *l);
	if (!l)
		lin_error_oom();
	return l;
}

lineage_edge_list *lin_edge_list_new(void)
{
	lineage_edge_list *l = calloc(1, sizeof *l);
	if (!l)
		lin_error_oom();
	return l;
}

lineage_change_list *lin_change_list_new(void)
{
	lineage_change_list *l = calloc(1, sizeof *l);
	if (!l)
		lin_error_oom();
	return l;
}

int lin_asset_list_add(lin_asset_rec *rec, void *payload)
{
	lineage_asset_list *l = payload;
	int rc = grow((void ***)&l->items, l->count, &l->cap);
	if (rc) {
		lin_asset_rec_free(rec);
		return rc;
	}
	l->items[l->count++] = rec;
	return 0;
}

int lin_edge_list_add(lin_edge_rec *rec, void *payload)
{
	lineage_edge_list *l = payload;
	int rc = grow((void ***)&l->items, l->count, &l->cap);
	if (rc) {
		lin_edge_rec_free(rec);
		return rc;
	}
	l->items[l->count++] = rec;
	return 0;
}

int lin_change_list_add(lin_change_rec *rec, void *payload)
{
	lineage_change_list *l = payload;
	int rc = grow((void ***)&l->items, l->count, &l->cap);
	if (rc) {
		lin_change_rec_free(rec);
		return rc;
	}
	l->items[l->count++] = rec;
	return 0;
}

/* ---- assets ---- */

size_t lineage_asset_list_count(const lineage_asset_list *list)
{
	return list ? list->count : 0;
}

const lineage_asset *lineage_asset_list_get(const lineage_asset_list *list, size_t i)
{
	return list && i < list->count ? &list->items[i]->pub : NULL;
}

size_t lineage_asset_list_total(const lineage_asset_list *list)
{
	return list ? list->total : 0;
}

int lineage_asset_list_to_json(char **out, const lineage_asset_list *list)
{
	lin_strbuf sb = LIN_STRBUF_INIT;
	int rc;
	if (!out || !list)
		return lin_error_set(LINEAGE_EINVALID, "out and list must not be NULL");
	*out = NULL;
	rc = lin_strbuf_printf(&sb, "{\"total\":%zu,\"results\":[", list->total);
	for (size_t i = 0; i < list->count && !rc; i++) {
		if (i)
			rc = lin_strbuf_putc(&sb, ',');
		rc = rc ? rc : lin_json_asset(&sb, &list->items[i]->pub, NULL);
	}
	rc = rc ? rc : lin_strbuf_puts(&sb, "]}");
	if (rc) {
		lin_strbuf_free(&sb);
		return rc;
	}
	*out = lin_strbuf_detach(&sb);
	return 0;
}

void lineage_asset_list_free(lineage_asset_list *list)
{
	if (!list)
		return;
	for (size_t i = 0; i < list->count; i++)
		lin_asset_rec_free(list->items[i]);
	free(list->items);
	free(list);
}

/* ---- edges ---- */

size_t lineage_edge_list_count(const lineage_edge_list *list)
{
	return list ? list->count : 0;
}

const lineage_edge *lineage_edge_list_get(const lineage_edge_list *list, size_t i)
{
	return list && i < list->count ? &list->items[i]->pub : NULL;
}

int lineage_edge_list_to_json(char **out, const lineage_edge_list *list)
{
	lin_strbuf sb = LIN_STRBUF_INIT;
	int rc;
	if (!out || !list)
		return lin_error_set(LINEAGE_EINVALID, "out and list must not be NULL");
	*out = NULL;
	rc = lin_strbuf_puts(&sb, "{\"edges\":[");
	for (size_t i = 0; i < list->count && !rc; i++) {
		if (i)
			rc = lin_strbuf_putc(&sb, ',');
		rc = rc ? rc : lin_json_edge(&sb, &list->items[i]->pub);
	}
	rc = rc ? rc : lin_strbuf_puts(&sb, "]}");
	if (rc) {
		lin_strbuf_free(&sb);
		return rc;
	}
	*out = lin_strbuf_detach(&sb);
	return 0;
}

void lineage_edge_list_free(lineage_edge_list *list)
{
	if (!list)
		return;
	for (size_t i = 0; i < list->count; i++)
		lin_edge_rec_free(list->items[i]);
	free(list->items);
	free(list);
}

/* ---- changes ---- */

size_t lineage_change_list_count(const lineage_change_list *list)
{
	return list ? list->count : 0;
}

const lineage_change *lineage_change_list_get(const lineage_change_list *list, size_t i)
{
	return list && i < list->count ? &list->items[i]->pub : NULL;
}

int lineage_change_list_to_json(char **out, const lineage_change_list *list)
{
	lin_strbuf sb = LIN_STRBUF_INIT;
	int rc;
	if (!out || !list)
		return lin_error_set(LINEAGE_EINVALID, "out and list must not be NULL");
	*out = NULL;
	rc = lin_strbuf_puts(&sb, "{\"changes\":[");
	for (size_t i = 0; i < list->count && !rc; i++) {
		if (i)
			rc = lin_strbuf_putc(&sb, ',');
		rc = rc ? rc : lin_json_change(&sb, &list->items[i]->pub);
	}
	rc = rc ? rc : lin_strbuf_puts(&sb, "]}");
	if (rc) {
		lin_strbuf_free(&sb);
		return rc;
	}
	*out = lin_strbuf_detach(&sb);
	return 0;
}

void lineage_change_list_free(lineage_change_list *list)
{
	if (!list)
		return;
	for (size_t i = 0; i < list->count; i++)
		lin_change_rec_free(list->items[i]);
	free(list->items);
	free(list);
}
