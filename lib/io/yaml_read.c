/*
 * A YAML import file: a sequence of mappings whose keys are the CSV's column names, read as
 * a stream of libyaml events, one mapping at a time (each becomes a JSON object, then a
 * record, as in a JSON file). Scalars are text; `~`, `null` and empty plain scalars are
 * empty; a sequence (tags) or a mapping (properties) is kept as JSON.
 *
 * Bounded whatever the input: aliases are refused (so no "billion laughs" expansion),
 * nesting stops at the reader's depth limit, and libyaml is never fed more than a record's
 * limit between two events (so one scalar cannot grow without bound).
 */
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "common/error.h"
#include "common/util.h"
#include "reader.h"

typedef struct yaml_reader {
	lin_reader base;
	yaml_parser_t parser;
	int parser_ready;
	uint64_t since_event; /* bytes given to libyaml since its last event */
	int too_long;
	int state;            /* 0: before the sequence, 1: in it, 2: after it */
	uint64_t index;
	lin_object_record o;
} yaml_reader;

static int feed(void *ctx, unsigned char *buf, size_t size, size_t *read)
{
	yaml_reader *y = ctx;
	int err = 0;
	if (y->since_event > y->base.limits.max_record + (64u << 10)) {
		y->too_long = 1;
		return 0; /* libyaml: a reader error */
	}
	*read = lin_src_read(y->base.src, buf, size, &err);
	y->since_event += *read;
	return !err;
}

static uint64_t line_of(const yaml_mark_t *m)
{
	return (uint64_t)m->line + 1;
}

static int parse_error(yaml_reader *y)
{
	yaml_parser_t *p = &y->parser;
	y->base.fatal_row = line_of(&p->problem_mark);
	if (y->too_long)
		return lin_error_set(LINEAGE_ELIMIT, "Line %llu: a value or record is longer than "
				     "%zu bytes, the limit for one row. Check the file's quotes and "
				     "indentation, or split the value",
				     (unsigned long long)y->base.fatal_row, y->base.limits.max_record);
	if (p->error == YAML_READER_ERROR && p->problem && strstr(p->problem, "input error"))
		return LINEAGE_EIO;
	if (p->error == YAML_MEMORY_ERROR)
		return lin_error_oom();
	return lin_error_set(LINEAGE_EPARSE, "Line %llu is not valid YAML: %s%s%s. Check the "
			     "indentation and quotes there",
			     (unsigned long long)y->base.fatal_row,
			     p->problem ? p->problem : "a syntax error", p->context ? " " : "",
			     p->context ? p->context : "");
}

/* The next event; an alias is refused. */
static int next_event(yaml_reader *y, yaml_event_t *ev)
{
	if (!yaml_parser_parse(&y->parser, ev))
		return parse_error(y);
	y->since_event = 0;
	if (ev->type == YAML_ALIAS_EVENT) {
		y->base.fatal_row = line_of(&ev->start_mark);
		yaml_event_delete(ev);
		return lin_error_set(LINEAGE_EPARSE, "Line %llu uses a YAML alias (*name). Import "
				     "files do not expand aliases: write the value out in full",
				     (unsigned long long)y->base.fatal_row);
	}
	return 0;
}

static int is_null(const yaml_event_t *ev)
{
	const char *v = (const char *)ev->data.scalar.value;
	if (ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return 0;
	return !*v || !strcmp(v, "~") || !strcmp(v, "null") || !strcmp(v, "Null") ||
	       !strcmp(v, "NULL");
}

/*
 * Build the value that starts with `first` (already read) as JSON, without recursion: a
 * stack of open containers and the keys waiting for their values. Sets *problem (and
 * returns 0) for a value that is read but cannot be used; returns an error when the input
 * cannot be read on.
 */
static int build_value(yaml_reader *y, yaml_event_t *first, json_t **out, char *problem,
		       size_t psize)
{
	json_t *stack[LIN_MAX_DEPTH + 1];
	char *keys[LIN_MAX_DEPTH + 1];
	int depth = 0, rc = 0, max = y->base.limits.max_depth;
	yaml_event_t ev = *first;
	int own = 0; /* ev is ours to delete (first belongs to the caller) */
	*out = NULL;
	if (max > LIN_MAX_DEPTH)
		max = LIN_MAX_DEPTH;
	for (;;) {
		json_t *v = NULL;
		int opened = 0;
		switch (ev.type) {
		case YAML_SCALAR_EVENT:
			if (depth && json_is_object(stack[depth - 1]) && !keys[depth - 1]) {
				/* a mapping's key */
				if (!(keys[depth - 1] = lin_strdup((const char *)ev.data.scalar.value)))
					rc = LINEAGE_ENOMEM;
				goto next;
			}
			v = is_null(&ev) ? json_null()
					 : json_stringn((const char *)ev.data.scalar.value,
							ev.data.scalar.length);
			break;
		case YAML_SEQUENCE_START_EVENT:
			v = json_array();
			opened = 1;
			break;
		case YAML_MAPPING_START_EVENT:
			v = json_object();
			opened = 1;
			break;
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			v = stack[--depth];
			free(keys[depth]);
			break;
		default:
			break;
		}
		if (!v) {
			rc = lin_error_oom();
			break;
		}
		if (opened && depth && json_is_object(stack[depth - 1]) && !keys[depth - 1]) {
			json_decref(v);
			y->base.fatal_row = line_of(&ev.start_mark);
			rc = lin_error_set(LINEAGE_EPARSE, "Line %llu: a field's name is a list or a "
					   "mapping. Name each field with plain text, such as "
					   "\"source\"", (unsigned long long)y->base.fatal_row);
			break;
		}
		if (opened) {
			if (depth == max) {
				json_decref(v);
				y->base.fatal_row = line_of(&ev.start_mark);
				rc = lin_error_set(LINEAGE_ELIMIT, "Line %llu is nested more than %d "
						   "levels deep. A record is a flat mapping of "
						   "fields; check the indentation",
						   (unsigned long long)y->base.fatal_row, max);
				break;
			}
			stack[depth] = v;
			keys[depth++] = NULL;
			goto next;
		}
		if (depth == 0) {
			*out = v;
			break;
		}
		if (json_is_array(stack[depth - 1])) {
			rc = json_array_append_new(stack[depth - 1], v) ? lin_error_oom() : 0;
		} else {
			const char *key = keys[depth - 1];
			if (json_object_get(stack[depth - 1], key) && !problem[0])
				snprintf(problem, psize, "Row %llu: the field \"%.80s\" is given twice. "
					 "Keep one of them", (unsigned long long)y->o.raw.row, key);
			rc = json_object_set_new(stack[depth - 1], key, v) ? lin_error_oom() : 0;
			free(keys[depth - 1]);
			keys[depth - 1] = NULL;
		}
		if (rc)
			break;
	next:
		if (own)
			yaml_event_delete(&ev);
		if (rc || (rc = next_event(y, &ev)) != 0) {
			own = 0;
			break;
		}
		own = 1;
	}
	if (own)
		yaml_event_delete(&ev);
	while (depth > 0) {
		json_decref(stack[--depth]);
		free(keys[depth]);
	}
	return rc;
}

static int start(yaml_reader *y)
{
	yaml_event_t ev;
	int rc;
	for (;;) {
		if ((rc = next_event(y, &ev)) != 0)
			return rc;
		switch (ev.type) {
		case YAML_STREAM_START_EVENT:
		case YAML_DOCUMENT_START_EVENT:
			yaml_event_delete(&ev);
			continue;
		case YAML_SEQUENCE_START_EVENT:
			yaml_event_delete(&ev);
			y->state = 1;
			return 0;
		case YAML_STREAM_END_EVENT:
			yaml_event_delete(&ev);
			return lin_error_set(LINEAGE_EPARSE, "The file is empty: there is nothing to "
					     "import. A YAML file holds a list of records, such as "
					     "\"- source: a\" then \"  target: b\"");
		default: {
			int mapping = ev.type == YAML_MAPPING_START_EVENT;
			y->base.fatal_row = line_of(&ev.start_mark);
			yaml_event_delete(&ev);
			return lin_error_set(LINEAGE_EPARSE, "A YAML import file holds a list of "
					     "records (lines starting with \"- \"), such as \"- source: "
					     "a\" then \"  target: b\"; this one holds %s. Put each "
					     "record in the list",
					     mapping ? "a single mapping" : "a single value");
		}
		}
	}
}

/* After the list: the document and the stream end, and nothing else. */
static int finish(yaml_reader *y)
{
	yaml_event_t ev;
	int rc;
	for (;;) {
		if ((rc = next_event(y, &ev)) != 0)
			return rc;
		if (ev.type == YAML_STREAM_END_EVENT) {
			yaml_event_delete(&ev);
			return LINEAGE_ITEROVER;
		}
		if (ev.type != YAML_DOCUMENT_END_EVENT) {
			y->base.fatal_row = line_of(&ev.start_mark);
			yaml_event_delete(&ev);
			return lin_error_set(LINEAGE_EPARSE, "Line %llu: the file holds a second YAML "
					     "document. Put all the records in one list",
					     (unsigned long long)y->base.fatal_row);
		}
		yaml_event_delete(&ev);
	}
}

static int yaml_next(lin_reader *r, const lin_raw **out)
{
	yaml_reader *y = (yaml_reader *)r;
	yaml_event_t ev;
	json_t *value = NULL;
	int rc;
	if (y->state == 2)
		return LINEAGE_ITEROVER;
	if ((rc = next_event(y, &ev)) != 0)
		return rc;
	if (ev.type == YAML_SEQUENCE_END_EVENT) {
		yaml_event_delete(&ev);
		y->state = 2;
		return finish(y);
	}
	y->o.raw.row = line_of(&ev.start_mark);
	y->o.raw.ordinal = y->index++;
	y->o.raw.problem = NULL;
	y->o.raw.problem_column = NULL;
	y->o.raw.warning = NULL;
	y->o.raw.nfields = 0;
	y->o.raw.fields = y->o.fields;
	y->o.raw.type = r->type;
	y->o.problem[0] = '\0';
	rc = build_value(y, &ev, &value, y->o.problem, sizeof y->o.problem);
	yaml_event_delete(&ev);
	if (rc)
		return rc;
	if (!json_is_object(value))
		snprintf(y->o.problem, sizeof y->o.problem, "Row %llu is not a record: each item of "
			 "the list must be a mapping of fields, such as \"- source: a\" then "
			 "\"  target: b\"", (unsigned long long)y->o.raw.row);
	else if ((rc = lin_object_record_fill(&y->o, value, r->type)) != 0) {
		json_decref(value);
		return rc;
	}
	json_decref(value);
	/* A duplicate key found while building outranks what the fill may have said. */
	if (y->o.problem[0])
		y->o.raw.problem = y->o.problem;
	*out = &y->o.raw;
	return 0;
}

static void yaml_free_reader(lin_reader *r)
{
	yaml_reader *y = (yaml_reader *)r;
	if (y->parser_ready)
		yaml_parser_delete(&y->parser);
	lin_object_record_free(&y->o);
}

static const lin_reader_ops yaml_ops = {yaml_next, yaml_free_reader};

int lin_yaml_reader_open(lin_reader **out, lin_src *src, lineage_record_type type,
			 const lin_limits *limits)
{
	yaml_reader *y = calloc(1, sizeof *y);
	int rc;
	*out = NULL;
	if (!y)
		return lin_error_oom();
	y->base.ops = &yaml_ops;
	y->base.src = src;
	y->base.limits = *limits;
	y->base.type = type == LINEAGE_RECORDS_BOTH ? LINEAGE_RECORDS_AUTO : type;
	y->base.format = LINEAGE_FORMAT_YAML;
	if (!yaml_parser_initialize(&y->parser)) {
		free(y);
		return lin_error_oom();
	}
	y->parser_ready = 1;
	yaml_parser_set_input(&y->parser, feed, y);
	yaml_parser_set_encoding(&y->parser, YAML_UTF8_ENCODING);
	if ((rc = start(y)) != 0) {
		lin_reader_free(&y->base);
		return rc;
	}
	*out = &y->base;
	return 0;
}
