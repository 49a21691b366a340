/* The rejects file of an import. */
#include "rejects.h"

#include <errno.h>
#include <stdio.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "common/error.h"
#include "common/util.h"

void lin_rejects_init(lin_rejects *rj, const char *path)
{
	memset(rj, 0, sizeof *rj);
	rj->path = path;
}

static char *second_path(const char *path, lineage_record_type type)
{
	const char *suffix = type == LINEAGE_RECORDS_ASSETS ? "-assets" : "-lineage";
	const char *slash = strrchr(path, '/'), *dot = strrchr(path, '.');
	size_t stem = dot && (!slash || dot > slash) ? (size_t)(dot - path) : strlen(path);
	lin_strbuf sb = LIN_STRBUF_INIT;
	if (lin_strbuf_append(&sb, path, stem) || lin_strbuf_puts(&sb, suffix) ||
	    lin_strbuf_puts(&sb, path + stem)) {
		lin_strbuf_free(&sb);
		return NULL;
	}
	return lin_strbuf_detach(&sb);
}

static int write_header(lin_rejects_file *f, const lin_reader *r)
{
	int rc = 0, first = 1;
	if (r->format == LINEAGE_FORMAT_CSV) {
		for (size_t i = 0; rc == 0 && i < r->header_count; i++) {
			if (lin_col_lookup(r->header[i], LINEAGE_RECORDS_AUTO) == LIN_COL_ERROR)
				continue;
			rc = lin_csv_field(&f->out, r->header[i], first);
			first = 0;
		}
	} else {
		for (const int *c = lin_col_order(f->type); rc == 0 && *c >= 0; c++) {
			rc = lin_csv_field(&f->out, lin_col_name(*c), first);
			first = 0;
		}
	}
	if (rc == 0)
		rc = lin_csv_field(&f->out, "error", first);
	return rc ? rc : lin_csv_end(&f->out);
}

static lin_rejects_file *file_for(lin_rejects *rj, const lin_reader *r, lineage_record_type type)
{
	lin_rejects_file *f;
	for (int i = 0; i < rj->nfiles; i++)
		if (rj->files[i].type == type)
			return &rj->files[i];
	if (rj->nfiles == 2)
		return &rj->files[0];
	f = &rj->files[rj->nfiles];
	f->type = type;
	f->path = rj->nfiles ? second_path(rj->path, type) : lin_strdup(rj->path);
	if (!f->path)
		return NULL;
	if (!(f->file = fopen(f->path, "wb"))) {
		lin_error_set(LINEAGE_EIO, "cannot create the rejects file \"%s\": %s; check the "
			      "folder and its permissions", f->path, strerror(errno));
		free(f->path);
		f->path = NULL;
		return NULL;
	}
	rj->nfiles++;
	lin_out_file(&f->out, f->file, f->path);
	if (write_header(f, r) != 0)
		return NULL;
	return f;
}

/* Fold "properties" and prop.<name> fields into one JSON text (best effort: a properties
 * value that is not JSON is kept as it was). */
static char *fold_properties(const lin_raw *raw)
{
	json_t *obj = json_object();
	const char *plain = NULL;
	char *text = NULL;
	int any = 0;
	for (size_t i = 0; obj && i < raw->nfields; i++) {
		const lin_field *f = &raw->fields[i];
		json_error_t e;
		if (!f->value)
			continue;
		if (f->col == LIN_COL_PROPERTIES) {
			json_t *given = json_loads(f->value, 0, &e);
			if (json_is_object(given))
				json_object_update(obj, given);
			else
				plain = f->value;
			json_decref(given);
			any = 1;
		} else if (f->col == LIN_COL_PROP) {
			json_t *val = f->json ? json_loads(f->value, JSON_DECODE_ANY, &e) : json_string(f->value);
			if (val)
				json_object_set_new(obj, f->name + 5, val);
			any = 1;
		}
	}
	if (plain)
		text = lin_strdup(plain);
	else if (obj && any)
		text = json_dumps(obj, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(obj);
	return text;
}

int lin_rejects_write(lin_rejects *rj, const lin_reader *r, const lin_raw *raw, const char *error)
{
	lineage_record_type type = raw->type == LINEAGE_RECORDS_ASSETS ? LINEAGE_RECORDS_ASSETS
								      : LINEAGE_RECORDS_LINEAGE;
	lin_rejects_file *f;
	int rc = 0, first = 1;
	if (!rj->path)
		return 0;
	if (!(f = file_for(rj, r, type)))
		return lin_error_code() ? lin_error_code() : LINEAGE_EIO;
	if (r->format == LINEAGE_FORMAT_CSV) {
		for (size_t i = 0; rc == 0 && i < raw->nfields; i++) {
			if (raw->fields[i].col == LIN_COL_ERROR)
				continue;
			rc = lin_csv_field(&f->out, raw->fields[i].value, first);
			first = 0;
		}
	} else {
		for (const int *c = lin_col_order(type); rc == 0 && *c >= 0; c++) {
			const char *value = NULL;
			char *props = NULL;
			if (*c == LIN_COL_PROPERTIES) {
				value = props = fold_properties(raw);
			} else {
				for (size_t i = 0; i < raw->nfields; i++)
					if (raw->fields[i].col == *c)
						value = raw->fields[i].value;
			}
			rc = lin_csv_field(&f->out, value, first);
			free(props);
			first = 0;
		}
	}
	if (rc == 0)
		rc = lin_csv_field(&f->out, error, first);
	if (rc == 0)
		rc = lin_csv_end(&f->out);
	rj->rows++;
	return rc;
}

int lin_rejects_close(lin_rejects *rj, int keep)
{
	int rc = 0;
	for (int i = 0; i < rj->nfiles; i++) {
		lin_rejects_file *f = &rj->files[i];
		int frc = lin_out_finish(&f->out);
		if (fclose(f->file) != 0 && frc == 0)
			frc = lin_error_set(LINEAGE_EIO, "cannot write the rejects file \"%s\": %s",
					    f->path, strerror(errno));
		if (frc && !rc)
			rc = frc;
		if (!keep)
			remove(f->path);
		free(f->path);
		lin_strbuf_free(&f->out.mem);
	}
	rj->nfiles = 0;
	return rc;
}
