/*
 * Internal: the exporters. The driver (export.c) walks the assets, then the edges, of the
 * whole graph or of a query result, and hands each to the format's callbacks; each format
 * (exp_records.c: CSV, JSON, JSON Lines; exp_graph.c: Cytoscape, GraphML, DOT) writes to a
 * lin_out as it goes.
 */
#ifndef LIN_IO_EXPORT_H
#define LIN_IO_EXPORT_H

#include "idmap.h"
#include "lineage/export.h"
#include "out.h"

typedef struct lin_exp lin_exp;

typedef struct lin_exp_fmt {
	int assets;        /* wants the assets */
	int edges;         /* wants the edges */
	int kinds;         /* needs the kinds of edge ends (source_kind, target_kind) */
	int (*begin)(lin_exp *x);
	int (*asset)(lin_exp *x, const lineage_asset *a);
	int (*between)(lin_exp *x); /* after the assets, before the edges */
	int (*edge)(lin_exp *x, const lineage_edge *e);
	int (*end)(lin_exp *x);
	void (*cleanup)(lin_exp *x);
} lin_exp_fmt;

struct lin_exp {
	lineage_db *db;
	const lineage_result *result; /* NULL: the whole graph */
	lineage_export_options opts;
	lineage_record_type type;     /* resolved: ASSETS, LINEAGE or BOTH */
	int want_assets, want_edges;  /* what the format and the type ask for */
	lin_out *out;
	const lin_exp_fmt *fmt;
	uint64_t count;               /* records written */
	int first;                    /* no record written yet in the current list */
	/* Kinds of assets, for source_kind/target_kind: by key. */
	lin_idmap kinds;              /* asset id (of its key) -> index in kind_names (row) */
	char **kind_names;
	size_t nkinds, cap_kinds;
	/* Positions (Cytoscape): by key, index into pos (x, y pairs). */
	lin_idmap pos_index;
	double *pos;
	int has_pos;
	void *state;                  /* the format's own (GraphML writer) */
};

const lin_exp_fmt *lin_exp_csv(void);
const lin_exp_fmt *lin_exp_json(void);
const lin_exp_fmt *lin_exp_jsonl(void);
const lin_exp_fmt *lin_exp_cytoscape(void);
const lin_exp_fmt *lin_exp_graphml(void);
const lin_exp_fmt *lin_exp_dot(void);

/* The kind of the asset `key` (known from the walk), or NULL. */
const char *lin_exp_kind(const lin_exp *x, const char *key);
/* The position of `key` after a layout; 0 when found. */
int lin_exp_position(const lin_exp *x, const char *key, double *px, double *py);

/* A confidence as the shortest text that reads back to the same double. */
void lin_exp_number(char *buf, size_t size, double d);
/* Tags for a CSV cell: "a;b", or a JSON array when a tag holds ";". New string. */
char *lin_exp_tags_text(const lineage_asset *a);

#endif
