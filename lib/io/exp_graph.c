/* Exports for viewers and graph tools: Cytoscape.js JSON, GraphML (libxml2's xmlTextWriter;
 * also readable by the GraphML importer) and Graphviz DOT. */
#include <jansson.h>
#include <libxml/xmlwriter.h>
#include <stdlib.h>
#include <string.h>

#include "common/error.h"
#include "common/util.h"
#include "export.h"

/* ---- Cytoscape.js ---- */

static int put_json(lin_exp *x, json_t *o)
{
	char *text;
	int rc;
	if (!o)
		return lin_error_oom();
	text = json_dumps(o, JSON_COMPACT | JSON_REAL_PRECISION(15));
	json_decref(o);
	if (!text)
		return lin_error_oom();
	rc = lin_out_puts(x->out, x->first ? "\n" : ",\n");
	if (rc == 0)
		rc = lin_out_puts(x->out, text);
	free(text);
	x->first = 0;
	return rc;
}

static int cy_begin(lin_exp *x)
{
	x->first = 1;
	return lin_out_puts(x->out, "{\"elements\": {\"nodes\": [");
}

static int cy_asset(lin_exp *x, const lineage_asset *a)
{
	json_t *data = json_pack("{s:s,s:s,s:s}", "id", a->key, "label", a->name, "kind", a->kind);
	json_t *node;
	double px, py;
	if (data && a->owner)
		json_object_set_new(data, "owner", json_string(a->owner));
	if (data && a->parent_key)
		json_object_set_new(data, "container", json_string(a->parent_key));
	node = data ? json_pack("{s:o}", "data", data) : NULL;
	if (node && lin_exp_position(x, a->key, &px, &py) == 0)
		json_object_set_new(node, "position", json_pack("{s:f,s:f}", "x", px, "y", py));
	return put_json(x, node);
}

static int cy_between(lin_exp *x)
{
	x->first = 1;
	return lin_out_puts(x->out, "\n], \"edges\": [");
}

static int cy_edge(lin_exp *x, const lineage_edge *e)
{
	char id[32];
	json_t *data;
	snprintf(id, sizeof id, "e%lld", (long long)e->id);
	data = json_pack("{s:s,s:s,s:s,s:s,s:s,s:f}", "id", id, "source", e->source_key, "target",
			 e->target_key, "kind", e->kind, "lineage_source",
			 lineage_source_name(e->lineage_source), "confidence", e->confidence);
	if (data && e->job_key)
		json_object_set_new(data, "job", json_string(e->job_key));
	if (data && e->transformation_type)
		json_object_set_new(data, "label", json_string(e->transformation_type));
	return put_json(x, data ? json_pack("{s:o}", "data", data) : NULL);
}

static int cy_end(lin_exp *x)
{
	return lin_out_puts(x->out, "\n]}}\n");
}

const lin_exp_fmt *lin_exp_cytoscape(void)
{
	static const lin_exp_fmt f = {1, 1, 0, cy_begin, cy_asset, cy_between, cy_edge, cy_end, NULL};
	return &f;
}

/* ---- GraphML ---- */

static const char *const node_keys[][2] = {
	{"nk", "kind"}, {"nn", "name"}, {"np", "parent"}, {"no", "owner"}, {"nd", "description"},
	{"nt", "tags"}, {"ns", "status"}, {"nx", "properties"}};
static const char *const edge_keys[][2] = {
	{"ek", "kind"}, {"el", "lineage_source"}, {"ec", "confidence"},
	{"et", "transformation_type"}, {"ex", "transformation"}, {"ej", "job"},
	{"ed", "description"}, {"ep", "properties"}};

static int xml_write(void *ctx, const char *buf, int len)
{
	return lin_out_write(ctx, buf, (size_t)len) == 0 ? len : -1;
}

static int xml_close(void *ctx)
{
	(void)ctx;
	return 0;
}

static int xml_fail(lin_exp *x)
{
	return x->out->failed ? LINEAGE_EIO
			      : lin_error_set(LINEAGE_ERROR, "writing GraphML failed (libxml2)");
}

/* Text that XML 1.0 can hold: C0 controls other than tab, LF and CR become U+FFFD. */
static char *xml_text(const char *s)
{
	lin_strbuf sb = LIN_STRBUF_INIT;
	if (lin_strbuf_puts(&sb, "") != 0)
		return NULL;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		int rc = c < 0x20 && c != '\t' && c != '\n' && c != '\r'
				 ? lin_strbuf_puts(&sb, "\xEF\xBF\xBD")
				 : lin_strbuf_putc(&sb, (char)c);
		if (rc) {
			lin_strbuf_free(&sb);
			return NULL;
		}
	}
	return lin_strbuf_detach(&sb);
}

static int data_elem(xmlTextWriterPtr w, const char *key, const char *value)
{
	char *text;
	int rc = 0;
	if (!value)
		return 0;
	if (!(text = xml_text(value)))
		return -1;
	if (xmlTextWriterStartElement(w, BAD_CAST "data") < 0 ||
	    xmlTextWriterWriteAttribute(w, BAD_CAST "key", BAD_CAST key) < 0 ||
	    xmlTextWriterWriteString(w, BAD_CAST text) < 0 || xmlTextWriterEndElement(w) < 0)
		rc = -1;
	free(text);
	return rc;
}

static int key_elem(xmlTextWriterPtr w, const char *id, const char *domain, const char *name,
		    const char *type)
{
	return xmlTextWriterStartElement(w, BAD_CAST "key") < 0 ||
			       xmlTextWriterWriteAttribute(w, BAD_CAST "id", BAD_CAST id) < 0 ||
			       xmlTextWriterWriteAttribute(w, BAD_CAST "for", BAD_CAST domain) < 0 ||
			       xmlTextWriterWriteAttribute(w, BAD_CAST "attr.name", BAD_CAST name) < 0 ||
			       xmlTextWriterWriteAttribute(w, BAD_CAST "attr.type", BAD_CAST type) < 0 ||
			       xmlTextWriterEndElement(w) < 0
		       ? -1
		       : 0;
}

static int gm_begin(lin_exp *x)
{
	xmlOutputBufferPtr ob;
	xmlTextWriterPtr w;
	xmlInitParser();
	if (!(ob = xmlOutputBufferCreateIO(xml_write, xml_close, x->out, NULL)))
		return lin_error_oom();
	if (!(w = xmlNewTextWriter(ob))) {
		xmlOutputBufferClose(ob);
		return lin_error_oom();
	}
	x->state = w;
	xmlTextWriterSetIndent(w, 1);
	xmlTextWriterSetIndentString(w, BAD_CAST "  ");
	if (xmlTextWriterStartDocument(w, NULL, "UTF-8", NULL) < 0 ||
	    xmlTextWriterStartElement(w, BAD_CAST "graphml") < 0 ||
	    xmlTextWriterWriteAttribute(w, BAD_CAST "xmlns", BAD_CAST "http://graphml.graphdrawing.org/xmlns") < 0)
		return xml_fail(x);
	for (size_t i = 0; i < sizeof node_keys / sizeof node_keys[0]; i++)
		if (key_elem(w, node_keys[i][0], "node", node_keys[i][1], "string") < 0)
			return xml_fail(x);
	for (size_t i = 0; i < sizeof edge_keys / sizeof edge_keys[0]; i++)
		if (key_elem(w, edge_keys[i][0], "edge", edge_keys[i][1], i == 2 ? "double" : "string") < 0)
			return xml_fail(x);
	if (xmlTextWriterStartElement(w, BAD_CAST "graph") < 0 ||
	    xmlTextWriterWriteAttribute(w, BAD_CAST "id", BAD_CAST "lineage") < 0 ||
	    xmlTextWriterWriteAttribute(w, BAD_CAST "edgedefault", BAD_CAST "directed") < 0)
		return xml_fail(x);
	return 0;
}

static int gm_asset(lin_exp *x, const lineage_asset *a)
{
	xmlTextWriterPtr w = x->state;
	char *tags = lin_exp_tags_text(a), *id = xml_text(a->key);
	const char *props = a->properties_json && strcmp(a->properties_json, "{}") ? a->properties_json : NULL;
	int bad = !tags || !id;
	bad = bad || xmlTextWriterStartElement(w, BAD_CAST "node") < 0 ||
	      xmlTextWriterWriteAttribute(w, BAD_CAST "id", BAD_CAST id) < 0 ||
	      data_elem(w, "nk", a->kind) < 0 || data_elem(w, "nn", a->name) < 0 ||
	      data_elem(w, "np", a->parent_key) < 0 || data_elem(w, "no", a->owner) < 0 ||
	      data_elem(w, "nd", a->description) < 0 ||
	      data_elem(w, "nt", a->tag_count ? tags : NULL) < 0 ||
	      data_elem(w, "ns", a->status) < 0 || data_elem(w, "nx", props) < 0 ||
	      xmlTextWriterEndElement(w) < 0;
	free(tags);
	free(id);
	return bad ? xml_fail(x) : 0;
}

static int gm_edge(lin_exp *x, const lineage_edge *e)
{
	xmlTextWriterPtr w = x->state;
	char id[32], conf[40];
	char *src = xml_text(e->source_key), *dst = xml_text(e->target_key);
	const char *props = e->properties_json && strcmp(e->properties_json, "{}") ? e->properties_json : NULL;
	int bad = !src || !dst;
	snprintf(id, sizeof id, "e%lld", (long long)e->id);
	lin_exp_number(conf, sizeof conf, e->confidence);
	bad = bad || xmlTextWriterStartElement(w, BAD_CAST "edge") < 0 ||
	      xmlTextWriterWriteAttribute(w, BAD_CAST "id", BAD_CAST id) < 0 ||
	      xmlTextWriterWriteAttribute(w, BAD_CAST "source", BAD_CAST src) < 0 ||
	      xmlTextWriterWriteAttribute(w, BAD_CAST "target", BAD_CAST dst) < 0 ||
	      data_elem(w, "ek", e->kind) < 0 ||
	      data_elem(w, "el", lineage_source_name(e->lineage_source)) < 0 ||
	      data_elem(w, "ec", conf) < 0 || data_elem(w, "et", e->transformation_type) < 0 ||
	      data_elem(w, "ex", e->transformation) < 0 || data_elem(w, "ej", e->job_key) < 0 ||
	      data_elem(w, "ed", e->description) < 0 || data_elem(w, "ep", props) < 0 ||
	      xmlTextWriterEndElement(w) < 0;
	free(src);
	free(dst);
	return bad ? xml_fail(x) : 0;
}

static int gm_end(lin_exp *x)
{
	xmlTextWriterPtr w = x->state;
	if (xmlTextWriterEndDocument(w) < 0 || xmlTextWriterFlush(w) < 0)
		return xml_fail(x);
	return 0;
}

static void gm_cleanup(lin_exp *x)
{
	if (x->state)
		xmlFreeTextWriter(x->state);
	x->state = NULL;
}

const lin_exp_fmt *lin_exp_graphml(void)
{
	static const lin_exp_fmt f = {1, 1, 0, gm_begin, gm_asset, NULL, gm_edge, gm_end, gm_cleanup};
	return &f;
}

/* ---- Graphviz DOT ---- */

static int dot_str(lin_out *o, const char *s)
{
	int rc = lin_out_write(o, "\"", 1);
	for (; rc == 0 && *s; s++) {
		if (*s == '"' || *s == '\\')
			rc = lin_out_write(o, "\\", 1);
		if (rc == 0)
			rc = *s == '\n' ? lin_out_write(o, "\\n", 2)
			     : (unsigned char)*s < 0x20 ? lin_out_write(o, " ", 1)
							 : lin_out_write(o, s, 1);
	}
	return rc ? rc : lin_out_write(o, "\"", 1);
}

static int dot_begin(lin_exp *x)
{
	return lin_out_puts(x->out, "digraph lineage {\n  rankdir=LR;\n"
				    "  node [shape=box, style=rounded, fontname=\"Helvetica\"];\n"
				    "  edge [fontname=\"Helvetica\", fontsize=10];\n");
}

static int dot_asset(lin_exp *x, const lineage_asset *a)
{
	lin_strbuf label = LIN_STRBUF_INIT;
	int rc = lin_strbuf_printf(&label, "%s\n(%s)", a->name ? a->name : a->key, a->kind);
	if (rc == 0 && (rc = lin_out_puts(x->out, "  ")) == 0 && (rc = dot_str(x->out, a->key)) == 0 &&
	    (rc = lin_out_puts(x->out, " [label=")) == 0 && (rc = dot_str(x->out, label.data)) == 0)
		rc = lin_out_puts(x->out, "];\n");
	lin_strbuf_free(&label);
	return rc;
}

static int dot_edge(lin_exp *x, const lineage_edge *e)
{
	char conf[40];
	int rc;
	lin_exp_number(conf, sizeof conf, e->confidence);
	if ((rc = lin_out_puts(x->out, "  ")) || (rc = dot_str(x->out, e->source_key)) ||
	    (rc = lin_out_puts(x->out, " -> ")) || (rc = dot_str(x->out, e->target_key)))
		return rc;
	switch (e->lineage_source) {
	case LINEAGE_SOURCE_INFERRED:
		rc = lin_out_printf(x->out, " [style=dashed, label=\"%s\"", conf);
		break;
	case LINEAGE_SOURCE_APPROVED:
		rc = lin_out_puts(x->out, " [style=bold");
		break;
	default:
		rc = lin_out_puts(x->out, " [style=solid");
	}
	if (rc == 0 && strcmp(e->kind, LINEAGE_EDGE_KIND_DEFAULT) != 0) {
		if ((rc = lin_out_puts(x->out, ", tooltip=")) == 0)
			rc = dot_str(x->out, e->kind);
	}
	return rc ? rc : lin_out_puts(x->out, "];\n");
}

static int dot_end(lin_exp *x)
{
	return lin_out_puts(x->out, "}\n");
}

const lin_exp_fmt *lin_exp_dot(void)
{
	static const lin_exp_fmt f = {1, 1, 0, dot_begin, dot_asset, NULL, dot_edge, dot_end, NULL};
	return &f;
}
