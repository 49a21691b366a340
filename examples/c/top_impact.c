/*
 * top_impact: a small program using liblineage's public API. It records a tiny pipeline
 * (an app table, a warehouse table, a dashboard, with column-level flows), then asks where
 * the app table's data goes and what dropping one of its columns would affect.
 *
 * Build against an installed liblineage:
 *   cc top_impact.c $(pkg-config --cflags --libs lineage) -o top_impact
 * Run: ./top_impact [DATABASE]      (default: a private in-memory database)
 */
#include <stdio.h>

#include <lineage/lineage.h>

static int check(int rc, const char *what)
{
	if (rc)
		fprintf(stderr, "top_impact: %s: %s (%s)\n", what, lineage_error_last()->message,
			lineage_error_code_name(rc));
	return rc;
}

static int add_asset(lineage_db *db, const char *key, const char *kind, const char *parent,
		     const char *owner)
{
	lineage_asset_spec spec;
	lineage_asset_spec_init(&spec, LINEAGE_ASSET_SPEC_VERSION);
	spec.key = key;
	spec.kind = kind;
	spec.parent_key = parent;
	spec.owner = owner;
	return check(lineage_asset_upsert(NULL, NULL, db, &spec), key);
}

static int add_edge(lineage_db *db, const char *source, const char *target,
		    lineage_source origin, double confidence)
{
	lineage_edge_spec spec;
	lineage_edge_spec_init(&spec, LINEAGE_EDGE_SPEC_VERSION);
	spec.source_key = source;
	spec.target_key = target;
	spec.lineage_source = origin;
	spec.confidence = confidence;
	return check(lineage_edge_upsert(NULL, NULL, db, &spec), target);
}

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : ":memory:";
	lineage_db *db = NULL;
	lineage_result *down = NULL, *impact = NULL;
	int rc = 1;

	printf("liblineage %s\n", lineage_version());
	if (check(lineage_db_open(&db, path, NULL), "open"))
		goto done;

	/* One transaction: one batch in the audit trail, written all at once. */
	if (check(lineage_db_begin(db, "top_impact example"), "begin") ||
	    add_asset(db, "app.orders", "table", NULL, "app-team") ||
	    add_asset(db, "app.orders.amount", "column", "app.orders", "app-team") ||
	    add_asset(db, "wh.fct_orders", "table", NULL, "analytics") ||
	    add_asset(db, "wh.fct_orders.revenue", "column", "wh.fct_orders", "analytics") ||
	    add_asset(db, "bi.revenue", "dashboard", NULL, "finance") ||
	    add_edge(db, "app.orders", "wh.fct_orders", LINEAGE_SOURCE_MANUAL, -1) ||
	    add_edge(db, "app.orders.amount", "wh.fct_orders.revenue", LINEAGE_SOURCE_INFERRED,
		     0.9) ||
	    add_edge(db, "wh.fct_orders", "bi.revenue", LINEAGE_SOURCE_APPROVED, -1) ||
	    add_edge(db, "wh.fct_orders.revenue", "bi.revenue", LINEAGE_SOURCE_MANUAL, -1) ||
	    check(lineage_db_commit(db), "commit"))
		goto done;

	if (check(lineage_query_downstream(&down, db, "app.orders", NULL), "downstream"))
		goto done;
	printf("downstream of %s:\n", lineage_result_root(down));
	for (size_t i = 1; i < lineage_result_node_count(down); i++) {
		const lineage_node *n = lineage_result_node(down, i);
		printf("  %d hop(s)  %s (%s)\n", n->distance, n->key, n->kind);
	}

	if (check(lineage_query_impact(&impact, db, "app.orders.amount", LINEAGE_CHANGE_DROP,
				       NULL),
		  "impact"))
		goto done;
	printf("dropping app.orders.amount affects:\n");
	for (size_t i = 0; i < lineage_result_node_count(impact); i++) {
		const lineage_node *n = lineage_result_node(impact, i);
		if (n->distance == 0)
			continue; /* the changed asset itself */
		printf("  %s (%s, owner %s, confidence %.2f)\n", n->key, n->kind,
		       n->owner ? n->owner : "none", n->confidence);
	}
	rc = 0;
done:
	lineage_result_free(down);
	lineage_result_free(impact);
	lineage_db_close(db);
	return rc;
}
