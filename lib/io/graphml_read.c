/*
 * A streaming GraphML reader on libxml2's xmlTextReader: each <node> is an asset record (its
 * id is the key) and each <edge> a lineage record; <data> values are named by the attr.name
 * of their <key>. Parsed with XML_PARSE_NONET (plus BIG_LINES, for line numbers past 65535)
 * and never NOENT, DTDLOAD or HUGE: external entities are never read, and a document with a
 * DTD is refused outright.
 */
#include <libxml/parser.h>
#include <libxml/xmlreader.h>
#include <stdlib.h>
#include <string.h>

#include "common/error.h"
#include "common/strbuf.h"
#include "common/util.h"
#include "reader.h"

#define MAX_KEYS 1024
#define MAX_WARNED 32

typedef struct gkey {
	char *id;
	char *name;
	char domain; /* 'n' node, 'e' edge, 'a' all, 'o' other */
} gkey;

typedef struct graphml_reader {
	lin_reader base;
	xmlTextReaderPtr xr;
	int started;
	int pending;          /* the current node was not processed yet (after Next()) */
	gkey keys[MAX_KEYS];
	size_t nkeys;
	char *warned[MAX_WARNED];
	size_t nwarned;
	lin_strbuf arena;
	size_t offs[2 * 64];  /* name/value offsets of the fields of the record */
	lin_field fields[64];
	size_t nfields;
	lin_raw raw;
	uint64_t ordinal;
	char xml_error[400];
	int xml_error_line;
	char problem[500];
	char warning[400];
} graphml_reader;

static int io_read(void *ctx, char *buffer, int len)
{
	int err = 0;
	size_t n = lin_src_read(ctx, buffer, (size_t)len, &err);
	return err ? -1 : (int)n;
}

static int io_close(void *ctx)
{
	(void)ctx;
	return 0;
}

static void on_xml_error(void *ctx, xmlErrorPtr e)
{
	graphml_reader *g = ctx;
	size_t n;
	if (!e || g->xml_error[0] || e->level < XML_ERR_ERROR)
		return;
	snprintf(g->xml_error, sizeof g->xml_error, "%s", e->message ? e->message : "XML error");
	n = strlen(g->xml_error);
	while (n && (g->xml_error[n - 1] == '\n' || g->xml_error[n - 1] == ' '))
		g->xml_error[--n] = '\0';
	g->xml_error_line = e->line;
}

static const char *attr(graphml_reader *g, const char *name, xmlChar **hold)
{
	*hold = xmlTextReaderGetAttribute(g->xr, (const xmlChar *)name);
	return (const char *)*hold;
}

static uint64_t node_line(graphml_reader *g)
{
	xmlNodePtr n = xmlTextReaderCurrentNode(g->xr);
	long line = n ? xmlGetLineNo(n) : -1;
	return line > 0 ? (uint64_t)line : (uint64_t)xmlTextReaderGetParserLineNumber(g->xr);
}

static int add_field(graphml_reader *g, const char *name, const char *value, size_t len)
{
	if (g->nfields == sizeof g->fields / sizeof g->fields[0]) {
		if (!g->problem[0])
			snprintf(g->problem, sizeof g->problem,
				 "Row %llu has more than 64 data values. Remove the extra <data> "
				 "elements", (unsigned long long)g->raw.row);
		return 0;
	}
	g->offs[2 * g->nfields] = g->arena.len;
	if (lin_strbuf_append(&g->arena, name, strlen(name) + 1) != 0)
		return LINEAGE_ENOMEM;
	g->offs[2 * g->nfields + 1] = g->arena.len;
	if (lin_strbuf_append(&g->arena, value, len) != 0 || lin_strbuf_putc(&g->arena, '\0') != 0)
		return LINEAGE_ENOMEM;
	g->fields[g->nfields].len = len;
	g->nfields++;
	return 0;
}

static void warn_ignored(graphml_reader *g, const char *name)
{
	for (size_t i = 0; i < g->nwarned; i++)
		if (!strcmp(g->warned[i], name))
			return;
	if (g->nwarned < MAX_WARNED && (g->warned[g->nwarned] = lin_strdup(name)))
		g->nwarned++;
	snprintf(g->warning, sizeof g->warning,
		 "Row %llu: the GraphML attribute \"%.80s\" is not part of the import format and "
		 "is ignored (on every row). Name it prop.%.80s to keep it as a property",
		 (unsigned long long)g->raw.row, name, name);
	g->raw.warning = g->warning;
}

static int refuse_dtd(uint64_t line)
{
	return lin_error_set(LINEAGE_EPARSE, "GraphML with a DTD is not accepted (<!DOCTYPE> near "
			     "line %llu): DTDs and entities can pull in other files. Remove the "
			     "<!DOCTYPE ...> declaration and the entities it defines",
			     (unsigned long long)line);
}

static int fatal_xml(graphml_reader *g)
{
	uint64_t line = g->xml_error_line > 0 ? (uint64_t)g->xml_error_line
					      : (uint64_t)xmlTextReaderGetParserLineNumber(g->xr);
	g->base.fatal_row = line;
	if (strstr(g->xml_error, "ntity"))
		return refuse_dtd(line);
	return lin_error_set(LINEAGE_EPARSE, "Row %llu: the GraphML (XML) is malformed: %s. Check "
			     "that the file is complete and well-formed XML",
			     (unsigned long long)line, g->xml_error[0] ? g->xml_error : "parse error");
}

static int read_key(graphml_reader *g)
{
	xmlChar *id, *name, *dom;
	const char *sid = attr(g, "id", &id), *sname = attr(g, "attr.name", &name),
		   *sdom = attr(g, "for", &dom);
	int rc = 0;
	if (sid && g->nkeys < MAX_KEYS) {
		gkey *k = &g->keys[g->nkeys];
		k->id = lin_strdup(sid);
		k->name = lin_strdup(sname ? sname : sid);
		k->domain = !sdom || !strcmp(sdom, "all") ? 'a' : !strcmp(sdom, "node") ? 'n'
			    : !strcmp(sdom, "edge") ? 'e' : 'o';
		if (!k->id || !k->name) {
			free(k->id);
			free(k->name);
			rc = LINEAGE_ENOMEM;
		} else {
			g->nkeys++;
		}
	}
	xmlFree(id);
	xmlFree(name);
	xmlFree(dom);
	return rc;
}

static const gkey *find_key(graphml_reader *g, const char *id, char domain)
{
	for (size_t i = 0; i < g->nkeys; i++)
		if (!strcmp(g->keys[i].id, id) && (g->keys[i].domain == domain || g->keys[i].domain == 'a'))
			return &g->keys[i];
	return NULL;
}

/* Read a <node> or <edge> with its <data> children into the record. */
static int read_element(graphml_reader *g, int is_edge)
{
	xmlChar *a1 = NULL, *a2 = NULL;
	const char *s, *t;
	int depth = xmlTextReaderDepth(g->xr), rc = 0, ret;
	lineage_record_type type = is_edge ? LINEAGE_RECORDS_LINEAGE : LINEAGE_RECORDS_ASSETS;
	lin_strbuf_reset(&g->arena);
	g->nfields = 0;
	g->problem[0] = '\0';
	g->raw.problem = NULL;
	g->raw.warning = NULL;
	g->raw.row = node_line(g);
	g->raw.type = type;
	if (is_edge) {
		s = attr(g, "source", &a1);
		t = attr(g, "target", &a2);
		if (s)
			rc = add_field(g, "source", s, strlen(s));
		if (!rc && t)
			rc = add_field(g, "target", t, strlen(t));
		xmlFree(a1);
		xmlFree(a2);
	} else {
		if ((s = attr(g, "id", &a1)))
			rc = add_field(g, "key", s, strlen(s));
		xmlFree(a1);
	}
	if (rc)
		return rc;
	if (xmlTextReaderIsEmptyElement(g->xr))
		return 0;
	while ((ret = xmlTextReaderRead(g->xr)) == 1) {
		int type_ = xmlTextReaderNodeType(g->xr);
		const char *local = (const char *)xmlTextReaderConstLocalName(g->xr);
		if (type_ == XML_READER_TYPE_END_ELEMENT && xmlTextReaderDepth(g->xr) == depth)
			return 0;
		if (type_ == XML_READER_TYPE_ELEMENT && local && !strcmp(local, "data")) {
			xmlChar *kid, *text;
			const char *skid = attr(g, "key", &kid);
			const gkey *k = skid ? find_key(g, skid, is_edge ? 'e' : 'n') : NULL;
			const char *name = k ? k->name : skid ? skid : "";
			text = xmlTextReaderReadString(g->xr);
			if (text && strlen((char *)text) > g->base.limits.max_field) {
				g->base.fatal_row = g->raw.row;
				xmlFree(kid);
				xmlFree(text);
				return lin_error_set(LINEAGE_ELIMIT, "Row %llu: a value is longer than %zu bytes, the limit", (unsigned long long)g->raw.row, g->base.limits.max_field);
			}
			if (lin_col_lookup(name, type) < 0)
				warn_ignored(g, name);
			else
				rc = add_field(g, name, text ? (char *)text : "", text ? strlen((char *)text) : 0);
			xmlFree(kid);
			xmlFree(text);
			if (rc)
				return rc;
		}
	}
	return ret < 0 ? fatal_xml(g) : lin_error_set(LINEAGE_EPARSE, "Row %llu: the file ends inside this element; it may be cut short", (unsigned long long)g->raw.row);
}

static int graphml_next(lin_reader *r, const lin_raw **out)
{
	graphml_reader *g = (graphml_reader *)r;
	int ret, rc;
	while ((ret = xmlTextReaderRead(g->xr)) == 1) {
		int type = xmlTextReaderNodeType(g->xr);
		const char *local = (const char *)xmlTextReaderConstLocalName(g->xr);
		if (type == XML_READER_TYPE_DOCUMENT_TYPE) {
			g->base.fatal_row = node_line(g);
			return refuse_dtd(g->base.fatal_row);
		}
		if (type != XML_READER_TYPE_ELEMENT || !local)
			continue;
		if (!g->started) {
			g->started = 1;
			if (strcmp(local, "graphml") != 0)
				return lin_error_set(LINEAGE_EPARSE, "This XML file is not GraphML: its "
						     "root element is <%.60s>, not <graphml>", local);
			continue;
		}
		if (!strcmp(local, "key")) {
			if ((rc = read_key(g)) != 0)
				return rc;
		} else if (!strcmp(local, "node") || !strcmp(local, "edge")) {
			int is_edge = local[0] == 'e';
			if ((rc = read_element(g, is_edge)) != 0)
				return rc;
			if ((g->base.type == LINEAGE_RECORDS_ASSETS && is_edge) ||
			    (g->base.type == LINEAGE_RECORDS_LINEAGE && !is_edge))
				continue;
			for (size_t i = 0; i < g->nfields; i++) {
				g->fields[i].name = g->arena.data + g->offs[2 * i];
				g->fields[i].value = g->arena.data + g->offs[2 * i + 1];
				g->fields[i].json = 0;
				g->fields[i].col = lin_col_lookup(g->fields[i].name, g->raw.type);
			}
			g->raw.fields = g->fields;
			g->raw.nfields = g->nfields;
			g->raw.ordinal = g->ordinal++;
			g->raw.problem = g->problem[0] ? g->problem : NULL;
			*out = &g->raw;
			return 0;
		}
	}
	if (ret < 0)
		return fatal_xml(g);
	if (!g->started)
		return lin_error_set(LINEAGE_EPARSE, "The file is empty or has no XML element: there "
				     "is nothing to import");
	return LINEAGE_ITEROVER;
}

static void graphml_free(lin_reader *r)
{
	graphml_reader *g = (graphml_reader *)r;
	if (g->xr)
		xmlFreeTextReader(g->xr);
	for (size_t i = 0; i < g->nkeys; i++) {
		free(g->keys[i].id);
		free(g->keys[i].name);
	}
	for (size_t i = 0; i < g->nwarned; i++)
		free(g->warned[i]);
	lin_strbuf_free(&g->arena);
}

static const lin_reader_ops graphml_ops = {graphml_next, graphml_free};

int lin_graphml_reader_open(lin_reader **out, lin_src *src, lineage_record_type type,
			    const lin_limits *limits)
{
	graphml_reader *g;
	unsigned char head[512];
	size_t n;
	const char *hint;
	*out = NULL;
	n = lin_src_peek(src, head, sizeof head);
	for (size_t i = 0, line = 1; i + 9 <= n; i++) {
		if (!memcmp(head + i, "<!DOCTYPE", 9))
			return refuse_dtd(line);
		line += head[i] == '\n';
	}
	if (n == 0)
		return lin_error_set(LINEAGE_EPARSE, "The file is empty: there is nothing to import");
	if ((hint = lin_sniff_hint(head, n, LINEAGE_FORMAT_GRAPHML)))
		return lin_error_set(LINEAGE_EPARSE, "%s", hint);
	if (!(g = calloc(1, sizeof *g)))
		return lin_error_oom();
	g->base.ops = &graphml_ops;
	g->base.src = src;
	g->base.limits = *limits;
	g->base.type = type == LINEAGE_RECORDS_BOTH ? LINEAGE_RECORDS_AUTO : type;
	g->base.format = LINEAGE_FORMAT_GRAPHML;
	xmlInitParser();
	g->xr = xmlReaderForIO(io_read, io_close, src, NULL, NULL,
			       XML_PARSE_NONET | XML_PARSE_BIG_LINES);
	if (!g->xr) {
		free(g);
		return lin_error_oom();
	}
	xmlTextReaderSetStructuredErrorHandler(g->xr, on_xml_error, g);
	*out = &g->base;
	return 0;
}
