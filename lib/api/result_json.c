/* lineage_result_to_json: the plain shapes documented in query.h, and Cytoscape.js. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/error.h"
#include "common/util.h"
#include "engine/result.h"
#include "json.h"

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

/*
 * The plain shapes are written directly (a result can hold hundreds of thousands of nodes
 * and edges: building jansson objects for them cost several times the query); Cytoscape's,
 * which needs sets of the keys seen, goes through jansson below.
 */
#define KEY(sb, name) lin_strbuf_puts(sb, "\"" name "\":")

static int plain_edges(lin_strbuf *sb, const lineage_result *r)
{
	int rc = lin_strbuf_putc(sb, '[');
	for (size_t i = 0; i < r->n_edges && !rc; i++) {
		const lineage_result_edge *e = &r->edges[i];
		rc = lin_strbuf_printf(sb, "%s{\"id\":%lld,\"source\":", i ? "," : "",
				       (long long)e->edge_id);
		rc = rc ? rc : lin_json_str(sb, e->source_key);
		rc = rc ? rc : lin_strbuf_puts(sb, ",\"target\":");
		rc = rc ? rc : lin_json_str(sb, e->target_key);
		rc = rc ? rc : lin_strbuf_puts(sb, ",\"kind\":");
		rc = rc ? rc : lin_json_str(sb, e->kind);
		rc = rc ? rc : lin_strbuf_puts(sb, ",\"lineage_source\":");
		rc = rc ? rc : lin_json_str(sb, lineage_source_name(e->lineage_source));
		rc = rc ? rc : lin_strbuf_puts(sb, ",\"confidence\":");
		rc = rc ? rc : lin_json_double(sb, e->confidence);
		rc = rc ? rc : lin_strbuf_putc(sb, '}');
	}
	return rc ? rc : lin_strbuf_putc(sb, ']');
}

static int plain_nodes(lin_strbuf *sb, const lineage_result *r)
{
	int rc = lin_strbuf_putc(sb, '[');
	for (size_t i = 0; i < r->n_nodes && !rc; i++) {
		const lineage_node *n = &r->nodes[i];
		rc = lin_strbuf_puts(sb, i ? ",{\"key\":" : "{\"key\":");
		rc = rc ? rc : lin_json_str(sb, n->key);
		rc = rc ? rc : lin_strbuf_puts(sb, ",\"kind\":");
		rc = rc ? rc : lin_json_str(sb, n->kind);
		rc = rc ? rc : lin_strbuf_printf(sb, ",\"distance\":%d,\"confidence\":", n->distance);
		rc = rc ? rc : lin_json_double(sb, n->confidence);
		if (!rc && r->type == LIN_RESULT_IMPACT) {
			rc = lin_strbuf_puts(sb, ",\"owner\":");
			rc = rc ? rc : lin_json_str(sb, n->owner);
			rc = rc ? rc : lin_strbuf_puts(sb, ",\"severity\":");
			rc = rc ? rc : lin_json_str(sb, severity_name(n->group));
		} else if (!rc && r->type == LIN_RESULT_STRUCTURE) {
			rc = lin_strbuf_printf(sb, ",\"group\":%d", n->group);
		}
		rc = rc ? rc : lin_strbuf_putc(sb, '}');
	}
	return rc ? rc : lin_strbuf_putc(sb, ']');
}

/* Count `key` in a {name: count} object. */
static int bump(json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);
	if (v)
		return json_integer_set(v, json_integer_value(v) + 1) != 0;
	return put(obj, key, json_integer(1));
}

/* The impact summary (a few counts by name: small, so through jansson). */
static int impact_summary(lin_strbuf *sb, const lineage_result *r)
{
	json_t *o = json_object(), *by_kind = json_object(), *by_owner = json_object();
	json_t *by_sev = json_object(), *by_dist = json_object();
	int max_d = 0, bad = 0, rc;
	double min_c = 1.0;
	char *text;
	bad |= put(by_sev, "breaking", json_integer(0));
	bad |= put(by_sev, "affected", json_integer(0));
	bad |= put(by_sev, "info", json_integer(0));
	for (size_t i = 0; i < r->n_nodes && !bad; i++) {
		const lineage_node *n = &r->nodes[i];
		char d[24];
		snprintf(d, sizeof d, "%d", n->distance);
		bad |= bump(by_kind, n->kind);
		bad |= bump(by_owner, n->owner ? n->owner : "(none)");
		bad |= bump(by_sev, severity_name(n->group));
		bad |= bump(by_dist, d);
		if (n->distance > max_d)
			max_d = n->distance;
		if (n->confidence < min_c)
			min_c = n->confidence;
	}
	bad |= put(o, "total", json_integer((json_int_t)r->n_nodes));
	bad |= put(o, "by_kind", by_kind);
	bad |= put(o, "by_owner", by_owner);
	bad |= put(o, "by_severity", by_sev);
	bad |= put(o, "by_distance", by_dist);
	bad |= put(o, "max_distance", json_integer(max_d));
	bad |= put(o, "min_confidence", r->n_nodes ? json_real(min_c) : json_null());
	text = bad ? NULL : json_dumps(o, JSON_COMPACT | JSON_REAL_PRECISION(15));
	json_decref(o);
	if (!text)
		return lin_error_oom();
	rc = lin_strbuf_puts(sb, text);
	free(text);
	return rc;
}

static int plain(lin_strbuf *sb, const lineage_result *r)
{
	int rc = lin_strbuf_putc(sb, '{');
	switch (r->type) {
	case LIN_RESULT_TRAVERSE:
		rc = rc ? rc : KEY(sb, "root");
		rc = rc ? rc : lin_json_str(sb, r->root);
		rc = rc ? rc : lin_strbuf_puts(sb, ",\"direction\":");
		rc = rc ? rc : lin_json_str(sb, direction_name(r->direction));
		rc = rc ? rc : lin_strbuf_puts(sb, ",\"nodes\":");
		rc = rc ? rc : plain_nodes(sb, r);
		rc = rc ? rc : lin_strbuf_puts(sb, ",\"edges\":");
		rc = rc ? rc : plain_edges(sb, r);
		break;
	case LIN_RESULT_PATHS: {
		int group = -1;
		rc = rc ? rc : KEY(sb, "from");
		rc = rc ? rc : lin_json_str(sb, r->root);
		rc = rc ? rc : lin_strbuf_puts(sb, ",\"to\":");
		rc = rc ? rc : lin_json_str(sb, r->target);
		rc = rc ? rc : lin_strbuf_puts(sb, ",\"paths\":[");
		for (size_t i = 0; i < r->n_nodes && !rc; i++) {
			if (r->nodes[i].group != group) {
				rc = lin_strbuf_puts(sb, group < 0 ? "[" : "],[");
				group = r->nodes[i].group;
			} else {
				rc = lin_strbuf_putc(sb, ',');
			}
			rc = rc ? rc : lin_json_str(sb, r->nodes[i].key);
		}
		rc = rc ? rc : lin_strbuf_puts(sb, group < 0 ? "]" : "]]");
		break;
	}
	case LIN_RESULT_IMPACT:
		rc = rc ? rc : KEY(sb, "root");
		rc = rc ? rc : lin_json_str(sb, r->root);
		rc = rc ? rc : lin_strbuf_puts(sb, ",\"change\":");
		rc = rc ? rc : lin_json_str(sb, lineage_change_type_name((lineage_change_type)r->change));
		rc = rc ? rc : lin_strbuf_puts(sb, ",\"affected\":");
		rc = rc ? rc : plain_nodes(sb, r);
		rc = rc ? rc : lin_strbuf_puts(sb, ",\"edges\":");
		rc = rc ? rc : plain_edges(sb, r);
		rc = rc ? rc : lin_strbuf_puts(sb, ",\"summary\":");
		rc = rc ? rc : impact_summary(sb, r);
		break;
	case LIN_RESULT_STRUCTURE:
		rc = rc ? rc : KEY(sb, "query");
		rc = rc ? rc : lin_json_str(sb, structure_name(r->structure));
		if (!rc && r->root) {
			rc = lin_strbuf_puts(sb, ",\"root\":");
			rc = rc ? rc : lin_json_str(sb, r->root);
		}
		rc = rc ? rc : lin_strbuf_puts(sb, ",\"nodes\":");
		rc = rc ? rc : plain_nodes(sb, r);
		rc = rc ? rc : lin_strbuf_puts(sb, ",\"edges\":");
		rc = rc ? rc : plain_edges(sb, r);
		rc = rc ? rc : lin_strbuf_printf(sb, ",\"groups\":%zu", r->n_groups);
		break;
	}
	rc = rc ? rc : lin_strbuf_printf(sb, ",\"truncated\":%s}", r->truncated ? "true" : "false");
	return rc;
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
	if (format == LINEAGE_JSON_PLAIN) {
		lin_strbuf sb = LIN_STRBUF_INIT;
		if ((rc = plain(&sb, result))) {
			lin_strbuf_free(&sb);
			return rc;
		}
		*out = lin_strbuf_detach(&sb);
		return 0;
	}
	root = cytoscape(result, &bad);
	if (!bad && root)
		*out = json_dumps(root, JSON_COMPACT | JSON_REAL_PRECISION(15));
	json_decref(root);
	if (!*out)
		return lin_error_oom();
	return 0;
}
