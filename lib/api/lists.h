/* Internal to lib/api/: the result lists of assets, edges and changes. */
#ifndef LIN_API_LISTS_H
#define LIN_API_LISTS_H

#include "lineage/lineage.h"
#include "store/store.h"

struct lineage_asset_list {
	lin_asset_rec **items;
	size_t count, cap, total;
};

struct lineage_edge_list {
	lin_edge_rec **items;
	size_t count, cap;
};

struct lineage_change_list {
	lin_change_rec **items;
	size_t count, cap;
};

/* New empty lists (NULL with ENOMEM). */
lineage_asset_list *lin_asset_list_new(void);
lineage_edge_list *lin_edge_list_new(void);
lineage_change_list *lin_change_list_new(void);

/* Store callbacks that append (taking ownership) to the list given as payload. */
int lin_asset_list_add(lin_asset_rec *rec, void *list);
int lin_edge_list_add(lin_edge_rec *rec, void *list);
int lin_change_list_add(lin_change_rec *rec, void *list);

#endif
