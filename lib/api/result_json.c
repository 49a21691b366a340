/* lineage_result_to_json: the plain shapes documented in query.h, and Cytoscape.js. */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "common/error.h"
#include "common/util.h"
#include "engine/result.h"

/* Each helper returns 1 on failure (so that failures can be OR-ed), 0 on success. */
static int put(json_t *obj, const char *key, json_t *value)
{
	return !obj || !value || json_object_set_new(obj, key, value) != 0;
}

static int push(json_t *arr, json_t *value)
{
	return !arr || !value || json_array_append_new(arr, value) != 0;
}

static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

static const char *severity_name(int group)
{
	switch (group) {
	case LINEAGE_SEVERITY_BREAKING: return "breaking";
	case LINEAGE_SEVERITY_AFFECTED: return "affected";
	case LINEAGE_SEVERITY_INFO: return "info";
	default: return "none";
	}
}

static const char *direction_name(int d)
{
	switch (d) {
	case LINEAGE_UPSTREAM: return "upstream";
	case LINEAGE_DOWNSTREAM: return "downstream";
	default: return "both";
	}
}

static const char *structure_name(int s)
{
	static const char *const names[] = {"unknown", "children", "subtree", "roots", "leaves",
					    "orphans", "cycles", "topo", "critical_path"};
	return s >= 1 && s <= 8 ? names[s] : names[0];
}

static json_t *plain_edges(const lineage_result *r, int *bad)
{
	json_t *arr = json_array();
	for (size_t i = 0; i < r->n_edges && !*bad; i++) {
		const lineage_result_edge *e = &r->edges[i];
		json_t *o = json_object();
		*bad |= put(o, "id", json_integer(e->edge_id));
		*bad |= put(o, "source", json_string(e->source_key));
		*bad |= put(o, "target", json_string(e->target_key));
		*bad |= put(o, "kind", json_string(e->kind));
		*bad |= put(o, "lineage_source", json_string(lineage_source_name(e->lineage_source)));
		*bad |= put(o, "confidence", json_real(e->confidence));
		*bad |= push(arr, o);
	}
	if (!arr)
		*bad = 1;
	return arr;
}

static json_t *plain_node(const lineage_result *r, const lineage_node *n, int *bad)
{
	json_t *o = json_object();
	*bad |= put(o, "key", json_string(n->key));
	*bad |= put(o, "kind", json_string(n->kind));
	*bad |= put(o, "distance", json_integer(n->distance));
	*bad |= put(o, "confidence", json_real(n->confidence));
	if (r->type == LIN_RESULT_IMPACT) {
		*bad |= put(o, "owner", str_or_null(n->owner));
		*bad |= put(o, "severity", json_string(severity_name(n->group)));
	} else if (r->type == LIN_RESULT_STRUCTURE) {
		*bad |= put(o, "group", json_integer(n->group));
	}
	return o;
}

static json_t *plain_nodes(const lineage_result *r, int *bad)
{
	json_t *arr = json_array();
	for (size_t i = 0; i < r->n_nodes && !*bad; i++)
		*bad |= push(arr, plain_node(r, &r->nodes[i], bad));
	if (!arr)
		*bad = 1;
	return arr;
}

/* Count `key` in a {name: count} object. */
static int bump(json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);
	if (v)
		return json_integer_set(v, json_integer_value(v) + 1) != 0;
	return put(obj, key, json_integer(1));
}

static json_t *impact_summary(const lineage_result *r, int *bad)
{
	json_t *o = json_object(), *by_kind = json_object(), *by_owner = json_object();
	json_t *by_sev = json_object(), *by_dist = json_object();
	int max_d = 0;
	double min_c = 1.0;
	*bad |= put(by_sev, "breaking", json_integer(0));
	*bad |= put(by_sev, "affected", json_integer(0));
	*bad |= put(by_sev, "info", json_integer(0));
	for (size_t i = 0; i < r->n_nodes && !*bad; i++) {
		const lineage_node *n = &r->nodes[i];
		char d[24];
		snprintf(d, sizeof d, "%d", n->distance);
		*bad |= bump(by_kind, n->kind);
		*bad |= bump(by_owner, n->owner ? n->owner : "(none)");
		*bad |= bump(by_sev, severity_name(n->group));
		*bad |= bump(by_dist, d);
		if (n->distance > max_d)
			max_d = n->distance;
		if (n->confidence < min_c)
			min_c = n->confidence;
	}
	*bad |= put(o, "total", json_integer((json_int_t)r->n_nodes));
	*bad |= put(o, "by_kind", by_kind);
	*bad |= put(o, "by_owner", by_owner);
	*bad |= put(o, "by_severity", by_sev);
	*bad |= put(o, "by_distance", by_dist);
	*bad |= put(o, "max_distance", json_integer(max_d));
	*bad |= put(o, "min_confidence", r->n_nodes ? json_real(min_c) : json_null());
	return o;
}

static json_t *plain(const lineage_result *r, int *bad)
{
	json_t *o = json_object();
	switch (r->type) {
	case LIN_RESULT_TRAVERSE:
		*bad |= put(o, "root", json_string(r->root));
		*bad |= put(o, "direction", json_string(direction_name(r->direction)));
		*bad |= put(o, "nodes", plain_nodes(r, bad));
		*bad |= put(o, "edges", plain_edges(r, bad));
		*bad |= put(o, "truncated", json_boolean(r->truncated));
		break;
	case LIN_RESULT_PATHS: {
		json_t *paths = json_array(), *cur = NULL;
		int group = -1;
		*bad |= put(o, "from", json_string(r->root));
		*bad |= put(o, "to", json_string(r->target));
		for (size_t i = 0; i < r->n_nodes && !*bad; i++) {
			if (r->nodes[i].group != group) {
				group = r->nodes[i].group;
				cur = json_array();
				*bad |= push(paths, cur);
			}
			*bad |= push(cur, json_string(r->nodes[i].key));
		}
		*bad |= put(o, "paths", paths);
		*bad |= put(o, "truncated", json_boolean(r->truncated));
		break;
	}
	case LIN_RESULT_IMPACT:
		*bad |= put(o, "root", json_string(r->root));
		*bad |= put(o, "change", json_string(lineage_change_type_name((lineage_change_type)r->change)));
		*bad |= put(o, "affected", plain_nodes(r, bad));
		*bad |= put(o, "edges", plain_edges(r, bad));
		*bad |= put(o, "summary", impact_summary(r, bad));
		*bad |= put(o, "truncated", json_boolean(r->truncated));
		break;
	case LIN_RESULT_STRUCTURE:
		*bad |= put(o, "query", json_string(structure_name(r->structure)));
		if (r->root)
			*bad |= put(o, "root", json_string(r->root));
		*bad |= put(o, "nodes", plain_nodes(r, bad));
		*bad |= put(o, "edges", plain_edges(r, bad));
		*bad |= put(o, "groups", json_integer((json_int_t)r->n_groups));
		*bad |= put(o, "truncated", json_boolean(r->truncated));
		break;
	}
	return o;
}

static const char *last_segment(const char *key)
{
	const char *dot = strrchr(key, '.');
	return dot && dot[1] ? dot + 1 : key;
}

static json_t *cy_node(const lineage_result *r, size_t i, int *bad)
{
	const lineage_node *n = &r->nodes[i];
	json_t *el = json_object(), *d = json_object();
	*bad |= put(d, "id", json_string(n->key));
	*bad |= put(d, "label", json_string(last_segment(n->key)));
	*bad |= put(d, "kind", json_string(n->kind));
	*bad |= put(d, "distance", json_integer(n->distance));
	*bad |= put(d, "confidence", json_real(n->confidence));
	if (r->type == LIN_RESULT_IMPACT) {
		*bad |= put(d, "owner", str_or_null(n->owner));
		*bad |= put(d, "severity", json_string(severity_name(n->group)));
	} else if (r->type == LIN_RESULT_PATHS || r->type == LIN_RESULT_STRUCTURE) {
		*bad |= put(d, "group", json_integer(n->group));
	}
	if (r->type == LIN_RESULT_TRAVERSE && i == 0)
		*bad |= put(d, "root", json_true());
	*bad |= put(el, "data", d);
	if (r->pos) {
		json_t *p = json_object();
		*bad |= put(p, "x", json_real(r->pos[2 * i]));
		*bad |= put(p, "y", json_real(r->pos[2 * i + 1]));
		*bad |= put(el, "position", p);
	}
	return el;
}

static json_t *cytoscape(const lineage_result *r, int *bad)
{
	json_t *o = json_object(), *els = json_object(), *nodes = json_array(), *edges = json_array();
	json_t *seen = json_object(), *seen_e = json_object();
	for (size_t i = 0; i < r->n_nodes && !*bad; i++) {
		if (json_object_get(seen, r->nodes[i].key))
			continue; /* an asset on several paths is one element */
		*bad |= put(seen, r->nodes[i].key, json_true());
		*bad |= push(nodes, cy_node(r, i, bad));
	}
	for (size_t i = 0; i < r->n_edges && !*bad; i++) {
		const lineage_result_edge *e = &r->edges[i];
		json_t *el = json_object(), *d = json_object();
		char id[32];
		snprintf(id, sizeof id, "e%lld", (long long)e->edge_id);
		if (json_object_get(seen_e, id)) {
			json_decref(el);
			json_decref(d);
			continue;
		}
		*bad |= put(seen_e, id, json_true());
		/* An end that is not a node of the result (the root of an impact) still needs an
		 * element: Cytoscape refuses edges to missing nodes. */
		for (int k = 0; k < 2; k++) {
			const char *key = k ? e->target_key : e->source_key;
			json_t *xe, *xd;
			if (json_object_get(seen, key))
				continue;
			xe = json_object();
			xd = json_object();
			*bad |= put(seen, key, json_true());
			*bad |= put(xd, "id", json_string(key));
			*bad |= put(xd, "label", json_string(last_segment(key)));
			*bad |= put(xe, "data", xd);
			*bad |= push(nodes, xe);
		}
		*bad |= put(d, "id", json_string(id));
		*bad |= put(d, "source", json_string(e->source_key));
		*bad |= put(d, "target", json_string(e->target_key));
		*bad |= put(d, "kind", json_string(e->kind));
		*bad |= put(d, "lineage_source", json_string(lineage_source_name(e->lineage_source)));
		*bad |= put(d, "confidence", json_real(e->confidence));
		*bad |= put(el, "data", d);
		*bad |= push(edges, el);
	}
	json_decref(seen);
	json_decref(seen_e);
	*bad |= put(els, "nodes", nodes);
	*bad |= put(els, "edges", edges);
	*bad |= put(o, "elements", els);
	return o;
}

int lineage_result_to_json(char **out, const lineage_result *result, lineage_json_format format)
{
	json_t *root;
	int bad = 0, rc;
	if (!out || !result)
		return lin_error_set(LINEAGE_EINVALID, "lineage_result_to_json needs an output pointer and a result");
	*out = NULL;
	if (format != LINEAGE_JSON_PLAIN && format != LINEAGE_JSON_CYTOSCAPE)
		return lin_error_set(LINEAGE_EINVALID, "JSON format %d is unknown: use LINEAGE_JSON_PLAIN or LINEAGE_JSON_CYTOSCAPE", (int)format);
	if ((rc = lin_result_ready(result)))
		return rc;
	root = format == LINEAGE_JSON_PLAIN ? plain(result, &bad) : cytoscape(result, &bad);
	if (!bad && root)
		*out = json_dumps(root, JSON_COMPACT | JSON_REAL_PRECISION(15));
	json_decref(root);
	if (!*out)
		return lin_error_oom();
	return 0;
}
