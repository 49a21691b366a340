/* Dispatch of the storage interface to the backend chosen at open. */
#include <string.h>

#include "backend.h"
#include "common/error.h"

int lin_store_open(lin_store **out, const char *path, const lin_store_options *opts)
{
	*out = NULL;
	if (!path || !*path)
		return lin_error_set(LINEAGE_EINVALID, "database path is missing: give a file path or \":memory:\"");
	if (!strncmp(path, "postgres://", 11) || !strncmp(path, "postgresql://", 13))
		return lin_postgres_open(out, path, opts);
	return lin_sqlite_open(out, path, opts);
}

void lin_store_close(lin_store *st)
{
	if (st)
		st->ops->close(st);
}

int lin_store_graph_size(lin_store *st, int64_t *asset_count, int64_t *max_asset_id, int64_t *edge_count, int64_t *max_edge_id)
{
	return st->ops->graph_size(st, asset_count, max_asset_id, edge_count, max_edge_id);
}

int lin_store_scan_vertices(lin_store *st, lin_vertex_cb cb, void *payload)
{
	return st->ops->scan_vertices(st, cb, payload);
}

int lin_store_scan_edges(lin_store *st, lin_edge_cb cb, void *payload)
{
	return st->ops->scan_edges(st, cb, payload);
}

int lin_store_vertices_by_id(lin_store *st, const int64_t *ids, size_t n, lin_vertex_cb cb, void *payload)
{
	return st->ops->vertices_by_id(st, ids, n, cb, payload);
}

int lin_store_edges_by_id(lin_store *st, const int64_t *ids, size_t n, lin_edge_cb cb, void *payload)
{
	return st->ops->edges_by_id(st, ids, n, cb, payload);
}

int lin_store_changed_since(lin_store *st, int64_t since_seq, lin_changed_cb cb, void *payload, int64_t *last_seq)
{
	return st->ops->changed_since(st, since_seq, cb, payload, last_seq);
}

int lin_store_last_seq(lin_store *st, int64_t *out)
{
	return st->ops->last_seq(st, out);
}

int lin_store_data_version(lin_store *st, uint64_t *out)
{
	return st->ops->data_version(st, out);
}

int lin_store_asset_owner(lin_store *st, int64_t id, char **out)
{
	return st->ops->asset_owner(st, id, out);
}

int lin_store_schema_version(lin_store *st)
{
	return st->ops->schema_version(st);
}

int lin_store_begin(lin_store *st)
{
	return st->ops->begin(st);
}

int lin_store_commit(lin_store *st)
{
	return st->ops->commit(st);
}

int lin_store_rollback(lin_store *st)
{
	return st->ops->rollback(st);
}

int lin_store_savepoint(lin_store *st)
{
	return st->ops->savepoint(st);
}

int lin_store_release(lin_store *st)
{
	return st->ops->release(st);
}

int lin_store_rollback_savepoint(lin_store *st)
{
	return st->ops->rollback_savepoint(st);
}

int lin_store_in_transaction(lin_store *st)
{
	return st->ops->in_transaction(st);
}

int lin_store_reference_checks(lin_store *st, int on)
{
	return st->ops->reference_checks(st, on);
}

int lin_store_asset_keys_preload(lin_store *st, int64_t expected_keys)
{
	return st->ops->asset_keys_preload(st, expected_keys);
}

int64_t lin_store_total_changes(lin_store *st)
{
	return st->ops->total_changes(st);
}

int lin_store_asset_insert(lin_store *st, const lin_asset_write *w, int64_t *out_id)
{
	return st->ops->asset_insert(st, w, out_id);
}

int lin_store_asset_update(lin_store *st, int64_t id, const lin_asset_write *w)
{
	return st->ops->asset_update(st, id, w);
}

int lin_store_asset_delete(lin_store *st, int64_t id)
{
	return st->ops->asset_delete(st, id);
}

int lin_store_asset_by_key(lin_store *st, const char *key, lin_asset_rec **out)
{
	return st->ops->asset_by_key(st, key, out);
}

int lin_store_asset_by_id(lin_store *st, int64_t id, lin_asset_rec **out)
{
	return st->ops->asset_by_id(st, id, out);
}

int lin_store_asset_lookup(lin_store *st, const char *key, int64_t *out_id, int *out_unknown)
{
	return st->ops->asset_lookup(st, key, out_id, out_unknown);
}

int lin_store_asset_parent(lin_store *st, int64_t id, int64_t *out_parent)
{
	return st->ops->asset_parent(st, id, out_parent);
}

int lin_store_asset_child_ids(lin_store *st, int64_t id, lin_id_cb cb, void *payload)
{
	return st->ops->asset_child_ids(st, id, cb, payload);
}

int lin_store_asset_children(lin_store *st, int64_t id, lin_asset_rec_cb cb, void *payload)
{
	return st->ops->asset_children(st, id, cb, payload);
}

int lin_store_asset_search(lin_store *st, const lin_search_query *q, lin_asset_rec_cb cb, void *payload, size_t *out_total)
{
	return st->ops->asset_search(st, q, cb, payload, out_total);
}

int lin_store_edge_insert(lin_store *st, const lin_edge_write *w, int64_t *out_id)
{
	return st->ops->edge_insert(st, w, out_id);
}

int lin_store_edge_update(lin_store *st, int64_t id, const lin_edge_write *w)
{
	return st->ops->edge_update(st, id, w);
}

int lin_store_edge_delete(lin_store *st, int64_t id)
{
	return st->ops->edge_delete(st, id);
}

int lin_store_edge_by_id(lin_store *st, int64_t id, lin_edge_rec **out)
{
	return st->ops->edge_by_id(st, id, out);
}

int lin_store_edge_by_identity(lin_store *st, int64_t source_id, int64_t target_id, const char *kind, int64_t job_id, lin_edge_rec **out)
{
	return st->ops->edge_by_identity(st, source_id, target_id, kind, job_id, out);
}

int lin_store_edge_ids_touching(lin_store *st, int64_t asset_id, lin_id_cb cb, void *payload)
{
	return st->ops->edge_ids_touching(st, asset_id, cb, payload);
}

int lin_store_edge_list_for_asset(lin_store *st, int64_t asset_id, unsigned int flags, lin_edge_rec_cb cb, void *payload)
{
	return st->ops->edge_list_for_asset(st, asset_id, flags, cb, payload);
}

int lin_store_edge_list_pending(lin_store *st, size_t offset, size_t limit, int64_t *total,
				lin_edge_rec_cb cb, void *payload)
{
	return st->ops->edge_list_pending(st, offset, limit, total, cb, payload);
}

int lin_store_edge_origin_ids(lin_store *st, const char *origin, lin_id_cb cb, void *payload)
{
	return st->ops->edge_origin_ids(st, origin, cb, payload);
}

int lin_store_kind_define(lin_store *st, const char *kind, int allows_self_loop, int allows_cycles)
{
	return st->ops->kind_define(st, kind, allows_self_loop, allows_cycles);
}

int lin_store_kinds_each(lin_store *st, lin_kind_cb cb, void *payload)
{
	return st->ops->kinds_each(st, cb, payload);
}

int lin_store_asset_kind_define(lin_store *st, const char *kind)
{
	return st->ops->asset_kind_define(st, kind);
}

int lin_store_asset_kinds_each(lin_store *st, lin_asset_kind_cb cb, void *payload)
{
	return st->ops->asset_kinds_each(st, cb, payload);
}

int lin_store_kind_rules(lin_store *st, const char *kind, int *allows_self_loop, int *allows_cycles, int *found)
{
	return st->ops->kind_rules(st, kind, allows_self_loop, allows_cycles, found);
}

int lin_store_change_insert(lin_store *st, const lin_change_write *w, int64_t *out_seq)
{
	return st->ops->change_insert(st, w, out_seq);
}

int lin_store_edge_creations_record(lin_store *st, const lin_change_write *w, const int64_t *ids, size_t n, int64_t *first_seq, int64_t *last_seq)
{
	return st->ops->edge_creations_record(st, w, ids, n, first_seq, last_seq);
}

int lin_store_batch_insert(lin_store *st, const char *actor, const char *label, int64_t at, int64_t *out_id)
{
	return st->ops->batch_insert(st, actor, label, at, out_id);
}

int lin_store_edges_bulk(lin_store *st, int64_t expected, int *deferred)
{
	return st->ops->edges_bulk(st, expected, deferred);
}

int lin_store_edges_bulk_finish(lin_store *st)
{
	return st->ops->edges_bulk_finish(st);
}

int lin_store_edges_prefetch(lin_store *st, const lin_edge_ref *refs, size_t n)
{
	return st->ops->edges_prefetch ? st->ops->edges_prefetch(st, refs, n) : 0;
}

int lin_store_batch_relabel(lin_store *st, int64_t id, const char *label)
{
	return st->ops->batch_relabel(st, id, label);
}

int lin_store_batch_exists(lin_store *st, int64_t id, int *out_found)
{
	return st->ops->batch_exists(st, id, out_found);
}

int lin_store_changes_since(lin_store *st, int64_t since_seq, size_t limit, lin_change_rec_cb cb, void *payload)
{
	return st->ops->changes_since(st, since_seq, limit, cb, payload);
}

int lin_store_history_asset(lin_store *st, const char *key, size_t offset, size_t limit,
			    int64_t *total, lin_change_rec_cb cb, void *payload)
{
	return st->ops->history_asset(st, key, offset, limit, total, cb, payload);
}

int lin_store_history_edge(lin_store *st, int64_t id, size_t limit, lin_change_rec_cb cb, void *payload)
{
	return st->ops->history_edge(st, id, limit, cb, payload);
}

int lin_store_changes_of_batch(lin_store *st, int64_t batch_id, lin_change_rec_cb cb, void *payload)
{
	return st->ops->changes_of_batch(st, batch_id, cb, payload);
}

int lin_store_changed_later(lin_store *st, int64_t after_seq, int64_t batch_id, const char *entity, int64_t id, int *out_found)
{
	return st->ops->changed_later(st, after_seq, batch_id, entity, id, out_found);
}

int lin_store_stats(lin_store *st, lin_stat_cb cb, void *payload)
{
	return st->ops->stats(st, cb, payload);
}

int lin_store_backup(lin_store *st, const char *dest_path, lineage_progress_cb progress, void *payload)
{
	return st->ops->backup(st, dest_path, progress, payload);
}

/* Runs (schema 5): every backend has them, so no NULL check. */
int lin_store_run_get(lin_store *st, int64_t job_id, const char *run_id, char **out)
{
	return st->ops->run_get(st, job_id, run_id, out);
}

int lin_store_run_put(lin_store *st, const lin_run_row *row)
{
	return st->ops->run_put(st, row);
}

int lin_store_runs_of_job(lin_store *st, int64_t job_id, size_t limit, lin_run_row_cb cb,
			  void *payload)
{
	return st->ops->runs_of_job(st, job_id, limit, cb, payload);
}
