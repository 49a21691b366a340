/* Exports in the import formats: CSV, JSON (an array) and JSON Lines. Reading the output
 * back with lineage_import_* into an empty database gives the same graph. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "common/error.h"
#include "common/util.h"
#include "export.h"
#include "schema.h"

char *lin_exp_tags_text(const lineage_asset *a)
{
	lin_strbuf sb = LIN_STRBUF_INIT;
	int json = 0;
	for (size_t i = 0; i < a->tag_count; i++)
		json |= strchr(a->tags[i], ';') != NULL || a->tags[i][0] == '[';
	if (json) {
		json_t *arr = json_array();
		char *text;
		for (size_t i = 0; arr && i < a->tag_count; i++)
			json_array_append_new(arr, json_string(a->tags[i]));
		text = arr ? json_dumps(arr, JSON_COMPACT) : NULL;
		json_decref(arr);
		if (!text)
			lin_error_oom();
		return text;
	}
	if (lin_strbuf_puts(&sb, "") != 0)
		return NULL;
	for (size_t i = 0; i < a->tag_count; i++)
		if ((i && lin_strbuf_putc(&sb, ';') != 0) || lin_strbuf_puts(&sb, a->tags[i]) != 0) {
			lin_strbuf_free(&sb);
			return NULL;
		}
	return lin_strbuf_detach(&sb);
}

static const char *props_or_null(const char *json)
{
	return json && strcmp(json, "{}") != 0 ? json : NULL;
}

/* ---- CSV ---- */

static int csv_begin(lin_exp *x)
{
	int rc = 0, first = 1;
	for (const int *c = lin_col_order(x->type); rc == 0 && *c >= 0; c++, first = 0)
		rc = lin_csv_field(x->out, lin_col_name(*c), first);
	return rc ? rc : lin_csv_end(x->out);
}

static int csv_asset(lin_exp *x, const lineage_asset *a)
{
	char *tags = lin_exp_tags_text(a);
	const char *vals[] = {a->key, a->kind, a->name, a->parent_key, a->owner, a->description,
			      tags, a->status, props_or_null(a->properties_json)};
	int rc = tags ? 0 : LINEAGE_ENOMEM;
	for (size_t i = 0; rc == 0 && i < sizeof vals / sizeof vals[0]; i++)
		rc = lin_csv_field(x->out, vals[i], i == 0);
	free(tags);
	return rc ? rc : lin_csv_end(x->out);
}

static int csv_edge(lin_exp *x, const lineage_edge *e)
{
	char conf[40];
	const char *vals[12];
	int rc = 0;
	lin_exp_number(conf, sizeof conf, e->confidence);
	vals[0] = e->source_key;
	vals[1] = e->target_key;
	vals[2] = lin_exp_kind(x, e->source_key);
	vals[3] = lin_exp_kind(x, e->target_key);
	vals[4] = e->kind;
	vals[5] = lineage_source_name(e->lineage_source);
	vals[6] = conf;
	vals[7] = e->transformation_type;
	vals[8] = e->transformation;
	vals[9] = e->job_key;
	vals[10] = e->description;
	vals[11] = props_or_null(e->properties_json);
	for (size_t i = 0; rc == 0 && i < 12; i++)
		rc = lin_csv_field(x->out, vals[i], i == 0);
	return rc ? rc : lin_csv_end(x->out);
}

static int nothing(lin_exp *x)
{
	(void)x;
	return 0;
}

/* ---- JSON objects ---- */

static int set_str(json_t *o, const char *name, const char *v)
{
	return v ? json_object_set_new(o, name, json_string(v)) : 0;
}

static json_t *asset_object(const lineage_asset *a)
{
	json_t *o = json_object(), *tags = json_array();
	if (!o || !tags) {
		json_decref(o);
		json_decref(tags);
		return NULL;
	}
	set_str(o, "key", a->key);
	set_str(o, "kind", a->kind);
	set_str(o, "name", a->name);
	set_str(o, "parent", a->parent_key);
	set_str(o, "owner", a->owner);
	set_str(o, "description", a->description);
	for (size_t i = 0; i < a->tag_count; i++)
		json_array_append_new(tags, json_string(a->tags[i]));
	if (a->tag_count)
		json_object_set_new(o, "tags", tags);
	else
		json_decref(tags);
	set_str(o, "status", a->status);
	return o;
}

static json_t *edge_object(lin_exp *x, const lineage_edge *ed)
{
	json_t *o = json_object();
	if (!o)
		return NULL;
	set_str(o, "source", ed->source_key);
	set_str(o, "target", ed->target_key);
	set_str(o, "source_kind", lin_exp_kind(x, ed->source_key));
	set_str(o, "target_kind", lin_exp_kind(x, ed->target_key));
	set_str(o, "kind", ed->kind);
	set_str(o, "lineage_source", lineage_source_name(ed->lineage_source));
	json_object_set_new(o, "confidence", json_real(ed->confidence));
	set_str(o, "transformation_type", ed->transformation_type);
	set_str(o, "transformation", ed->transformation);
	set_str(o, "job", ed->job_key);
	set_str(o, "description", ed->description);
	return o;
}

/* Numbers are written with 15 digits ("0.8"), or 17 when 15 would not read back the same.
 * The stored properties are spliced in as stored, so that they read back exactly. */
static int put_object(lin_exp *x, json_t *o, const char *props, const char *sep_first,
		      const char *sep)
{
	char *text, num[40];
	int rc, precision = 15;
	json_t *conf = o ? json_object_get(o, "confidence") : NULL;
	if (!o)
		return lin_error_oom();
	if (conf) {
		lin_exp_number(num, sizeof num, json_real_value(conf));
		if (strlen(num) > 16)
			precision = 17;
	}
	text = json_dumps(o, JSON_COMPACT | JSON_REAL_PRECISION(precision));
	json_decref(o);
	if (!text)
		return lin_error_oom();
	rc = lin_out_puts(x->out, x->first ? sep_first : sep);
	if (rc == 0 && props_or_null(props)) {
		size_t len = strlen(text); /* ends with "}" */
		rc = lin_out_write(x->out, text, len - 1);
		if (rc == 0)
			rc = lin_out_puts(x->out, len > 2 ? ",\"properties\":" : "\"properties\":");
		if (rc == 0)
			rc = lin_out_puts(x->out, props);
		if (rc == 0)
			rc = lin_out_puts(x->out, "}");
	} else if (rc == 0) {
		rc = lin_out_puts(x->out, text);
	}
	free(text);
	x->first = 0;
	return rc;
}

static int json_begin(lin_exp *x)
{
	return lin_out_puts(x->out, "[");
}

static int json_asset(lin_exp *x, const lineage_asset *a)
{
	return put_object(x, asset_object(a), a->properties_json, "\n", ",\n");
}

static int json_edge(lin_exp *x, const lineage_edge *e)
{
	return put_object(x, edge_object(x, e), e->properties_json, "\n", ",\n");
}

static int json_end(lin_exp *x)
{
	return lin_out_puts(x->out, "\n]\n");
}

static int jsonl_asset(lin_exp *x, const lineage_asset *a)
{
	int rc;
	rc = put_object(x, asset_object(a), a->properties_json, "", "");
	return rc ? rc : lin_out_puts(x->out, "\n");
}

static int jsonl_edge(lin_exp *x, const lineage_edge *e)
{
	int rc;
	rc = put_object(x, edge_object(x, e), e->properties_json, "", "");
	return rc ? rc : lin_out_puts(x->out, "\n");
}

const lin_exp_fmt *lin_exp_csv(void)
{
	static const lin_exp_fmt f = {1, 1, 1, csv_begin, csv_asset, NULL, csv_edge, nothing, NULL};
	return &f;
}

const lin_exp_fmt *lin_exp_json(void)
{
	static const lin_exp_fmt f = {1, 1, 1, json_begin, json_asset, NULL, json_edge, json_end, NULL};
	return &f;
}

const lin_exp_fmt *lin_exp_jsonl(void)
{
	static const lin_exp_fmt f = {1, 1, 1, nothing, jsonl_asset, NULL, jsonl_edge, nothing, NULL};
	return &f;
}
