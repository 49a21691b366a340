/* One parsed object (a JSON object, a YAML mapping) as the fields of a record. */
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/error.h"
#include "common/util.h"
#include "reader.h"

static void set_problem(lin_object_record *j, const char *fmt, ...) LIN_PRINTF(2, 3);
static void set_problem(lin_object_record *j, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(j->problem, sizeof j->problem, fmt, ap);
	va_end(ap);
	j->raw.problem = j->problem;
}

/* Strings are kept in the record's arena, valid until the next fill. */
int lin_object_record_fill(lin_object_record *j, json_t *obj, lineage_record_type type)
{
	const char *name;
	json_t *value;
	size_t n = json_object_size(obj), i = 0;
	size_t *offs;
	int has_key = 0, has_edge = 0, rc = 0;
	if (n > j->cap_fields) {
		lin_field *p = realloc(j->fields, n * sizeof *p);
		if (!p)
			return lin_error_oom();
		j->fields = p;
		j->cap_fields = n;
	}
	offs = calloc(n ? 2 * n : 1, sizeof *offs);
	if (!offs)
		return lin_error_oom();
	lin_strbuf_reset(&j->arena);
	json_object_foreach(obj, name, value) {
		lin_field *f = &j->fields[i];
		offs[2 * i] = j->arena.len;
		if ((rc = lin_strbuf_append(&j->arena, name, strlen(name) + 1)) != 0)
			goto done;
		f->json = 0;
		f->value = NULL;
		offs[2 * i + 1] = (size_t)-1;
		if (json_is_string(value)) {
			offs[2 * i + 1] = j->arena.len;
			f->len = json_string_length(value);
			if ((rc = lin_strbuf_append(&j->arena, json_string_value(value), f->len + 1)) != 0)
				goto done;
		} else if (!json_is_null(value)) {
			char *text = json_dumps(value, JSON_ENCODE_ANY | JSON_COMPACT);
			if (!text) {
				rc = lin_error_oom();
				goto done;
			}
			offs[2 * i + 1] = j->arena.len;
			f->len = strlen(text);
			f->json = 1;
			rc = lin_strbuf_append(&j->arena, text, f->len + 1);
			free(text);
			if (rc)
				goto done;
		}
		i++;
	}
	for (i = 0; i < n; i++) {
		lin_field *f = &j->fields[i];
		f->name = j->arena.data + offs[2 * i];
		if (offs[2 * i + 1] != (size_t)-1)
			f->value = j->arena.data + offs[2 * i + 1];
		f->col = lin_col_lookup(f->name, LINEAGE_RECORDS_AUTO);
		has_key |= f->col == LIN_COL_KEY;
		has_edge |= f->col == LIN_COL_SOURCE || f->col == LIN_COL_TARGET;
	}
	if (type != LINEAGE_RECORDS_ASSETS && type != LINEAGE_RECORDS_LINEAGE) {
		if (has_key && has_edge)
			set_problem(j, "Row %llu has both \"key\" (an asset) and \"source\"/\"target\" "
				    "(lineage). Make it one or the other",
				    (unsigned long long)j->raw.row);
		else if (!has_key && !has_edge)
			set_problem(j, "Row %llu has neither \"key\" (an asset) nor \"source\" and "
				    "\"target\" (lineage). Add them",
				    (unsigned long long)j->raw.row);
		type = has_key ? LINEAGE_RECORDS_ASSETS : LINEAGE_RECORDS_LINEAGE;
	}
	for (i = 0; i < n; i++)
		if (j->fields[i].col >= 0 && !lin_col_allowed(j->fields[i].col, type))
			j->fields[i].col = -1;
	j->raw.type = type;
	j->raw.nfields = n;
	j->raw.fields = j->fields;
done:
	free(offs);
	return rc;
}

void lin_object_record_free(lin_object_record *rec)
{
	free(rec->fields);
	lin_strbuf_free(&rec->arena);
}
