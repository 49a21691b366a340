/* The validation engine: schema checks of each row and duplicate checks across rows. */
#include "validate.h"

#include <ctype.h>
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/db_internal.h"
#include "common/error.h"
#include "common/util.h"

#define MAX_NAME 1024
#define MAX_OWNER 256
#define MAX_STATUS 64
#define MAX_DESCRIPTION 65536
#define MAX_TRANSFORMATION (1024 * 1024)
#define MAX_PROPERTIES (1024 * 1024)

/* ---- A per-row arena whose strings never move ---- */

struct lin_arena_block {
	lin_arena_block *next;
	size_t used, cap;
	char data[];
};

static char *arena_alloc(lin_vctx *v, size_t n)
{
	lin_arena_block *b = v->arena;
	if (!b || b->cap - b->used < n) {
		size_t cap = n > 65536 ? n : 65536;
		lin_arena_block *nb = malloc(sizeof *nb + cap);
		if (!nb) {
			lin_error_oom();
			return NULL;
		}
		nb->used = 0;
		nb->cap = cap;
		nb->next = b;
		v->arena = b = nb;
	}
	b->used += n;
	return b->data + b->used - n;
}

static char *arena_strndup(lin_vctx *v, const char *s, size_t n)
{
	char *p = arena_alloc(v, n + 1);
	if (p) {
		memcpy(p, s, n);
		p[n] = '\0';
	}
	return p;
}

/* Keep the newest block (reused), free the others. */
static void arena_reset(lin_vctx *v)
{
	lin_arena_block *b = v->arena;
	if (!b)
		return;
	while (b->next) {
		lin_arena_block *n = b->next;
		b->next = n->next;
		free(n);
	}
	b->used = 0;
}

/* ---- Messages ---- */

int lin_vctx_init(lin_vctx *v, lineage_db *db, lineage_import_report *rep)
{
	memset(v, 0, sizeof *v);
	v->db = db;
	v->rep = rep;
	v->pass = 1;
	v->record = 1;
	lin_seen_init(&v->assets);
	lin_seen_init(&v->edges);
	return 0;
}

void lin_vctx_free(lin_vctx *v)
{
	while (v->arena) {
		lin_arena_block *n = v->arena->next;
		free(v->arena);
		v->arena = n;
	}
	lin_seen_free(&v->assets);
	lin_seen_free(&v->edges);
	lin_strbuf_free(&v->msgs);
	free(v->tags);
	for (size_t i = 0; i < v->nkinds; i++)
		free(v->kinds[i].kind);
	for (size_t i = 0; i < v->ndeclared; i++)
		free(v->declared[i].kind);
	free(v->declared);
}

int lin_verror(lin_vctx *v, int warning, uint64_t row, const char *column, const char *value,
	       const char *fmt, ...)
{
	char body[1200], msg[1400];
	va_list ap;
	size_t n;
	va_start(ap, fmt);
	vsnprintf(body, sizeof body, fmt, ap);
	va_end(ap);
	n = strlen(body);
	while (n && (body[n - 1] == '.' || body[n - 1] == ' '))
		body[--n] = '\0';
	if (column)
		snprintf(msg, sizeof msg, "Row %llu, column \"%s\": %s.", (unsigned long long)row,
			 column, body);
	else if (!strncmp(body, "Row ", 4))
		snprintf(msg, sizeof msg, "%s.", body);
	else
		snprintf(msg, sizeof msg, "Row %llu: %s.", (unsigned long long)row, body);
	if (!warning) {
		v->row_errors++;
		if (v->msgs.len && lin_strbuf_putc(&v->msgs, ' ') != 0)
			return LINEAGE_ENOMEM;
		if (lin_strbuf_puts(&v->msgs, msg) != 0)
			return LINEAGE_ENOMEM;
	}
	if (!v->record || !v->rep)
		return 0;
	return lin_report_issue(v->rep, warning, row, column, value, value ? strlen(value) : 0, msg);
}

/* A short printable form of a value for a message (rotating thread-local buffers): bytes
 * that are not UTF-8 become "?", control characters a space. */
static const char *show(const char *s)
{
	static _Thread_local char bufs[4][100];
	static _Thread_local int next;
	char *b = bufs[next++ & 3];
	size_t o = 0, i = 0, len = strlen(s);
	while (i < len && o < 80) {
		unsigned char c = (unsigned char)s[i];
		size_t n = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3
			 : (c & 0xF8) == 0xF0 ? 4 : 0;
		if (n == 0 || i + n > len || !lin_utf8_valid(s + i, n)) {
			b[o++] = '?';
			i++;
		} else if (n == 1 && (c < 0x20 || c == 0x7F)) {
			b[o++] = ' ';
			i++;
		} else if (o + n > 80) {
			break;
		} else {
			memcpy(b + o, s + i, n);
			o += n;
			i += n;
		}
	}
	b[o] = '\0';
	if (i < len)
		memcpy(b + o, "...", 4);
	return b;
}

/* The message of the last lin_check_* error, without its code. */
static const char *why(void)
{
	return lin_error_plain();
}

/* ---- Field checks ---- */

static int check_utf8(lin_vctx *v, uint64_t row, const char *col, const char *value)
{
	if (lin_utf8_valid(value, strlen(value)))
		return 0;
	return lin_verror(v, 0, row, col, value,
			  "the value is not valid UTF-8 text. Save the file as UTF-8 (in Excel: "
			  "\"CSV UTF-8\") and import it again");
}

static int check_key(lin_vctx *v, uint64_t row, const char *col, const char *value,
		     const char *example)
{
	if (!value)
		return lin_verror(v, 0, row, col, NULL,
				  "the value is missing. Give an asset key, such as \"%s\"", example);
	if (lin_check_key(value, "the key") != 0)
		return lin_verror(v, 0, row, col, value, "%s", why());
	return 0;
}

static int check_text(lin_vctx *v, uint64_t row, const char *col, const char *value, size_t max)
{
	size_t len;
	if (!value)
		return 0;
	len = strlen(value);
	if (!lin_utf8_valid(value, len))
		return check_utf8(v, row, col, value);
	if (len > max)
		return lin_verror(v, 0, row, col, NULL,
				  "the value is %zu bytes long; at most %zu are allowed. Shorten it",
				  len, max);
	return 0;
}

static int check_name(lin_vctx *v, uint64_t row, const char *col, const char *value,
		      const char *example)
{
	if (!value)
		return 0;
	if (lin_check_name(value, "the value") != 0)
		return lin_verror(v, 0, row, col, value, "%s (such as \"%s\")", why(), example);
	return 0;
}

/* Copy a short value without the spaces around it. */
static const char *trimmed(lin_vctx *v, const char *s)
{
	size_t len;
	if (!s)
		return NULL;
	while (*s == ' ' || *s == '\t')
		s++;
	len = strlen(s);
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	return len ? arena_strndup(v, s, len) : NULL;
}

static int parse_tags(lin_vctx *v, const lin_raw *raw, const lin_field *f, lin_row *row)
{
	size_t n = 0;
	json_t *arr = NULL;
	const char *p;
	int rc = 0;
	int as_json = f->json;
	row->tags_set = 1;
	row->tag_count = 0;
	if (!as_json && f->value[0] == '[') {
		/* Text cells may hold a JSON list, for tags that contain ";". */
		json_error_t e;
		json_t *probe = json_loads(f->value, 0, &e);
		as_json = json_is_array(probe);
		json_decref(probe);
	}
	if (as_json) {
		json_error_t e;
		size_t i;
		json_t *t;
		arr = json_loads(f->value, 0, &e);
		if (!json_is_array(arr)) {
			json_decref(arr);
			return lin_verror(v, 0, raw->row, "tags", f->value,
					  "tags must be a list of words, such as [\"finance\", \"pii\"] "
					  "or \"finance;pii\"");
		}
		n = json_array_size(arr);
		if (n > v->cap_tags) {
			const char **t2 = realloc(v->tags, n * sizeof *t2);
			if (!t2) {
				json_decref(arr);
				return lin_error_oom();
			}
			v->tags = t2;
			v->cap_tags = n;
		}
		json_array_foreach(arr, i, t) {
			if (!json_is_string(t)) {
				rc = lin_verror(v, 0, raw->row, "tags", f->value,
						"each tag must be text, such as [\"finance\", \"pii\"]");
				break;
			}
			if (!(v->tags[row->tag_count++] = trimmed(v, json_string_value(t)))) {
				row->tag_count--;
				continue;
			}
		}
		json_decref(arr);
	} else {
		for (p = f->value; *p; p++)
			n += *p == ';';
		n++;
		if (n > v->cap_tags) {
			const char **t2 = realloc(v->tags, n * sizeof *t2);
			if (!t2)
				return lin_error_oom();
			v->tags = t2;
			v->cap_tags = n;
		}
		for (p = f->value;;) {
			const char *end = strchr(p, ';');
			size_t len = end ? (size_t)(end - p) : strlen(p);
			char *tag = arena_strndup(v, p, len);
			const char *t;
			if (!tag)
				return LINEAGE_ENOMEM;
			if ((t = trimmed(v, tag)))
				v->tags[row->tag_count++] = t;
			if (!end)
				break;
			p = end + 1;
		}
	}
	for (size_t i = 0; rc == 0 && i < row->tag_count; i++) {
		if (lin_check_name(v->tags[i], "the tag") != 0)
			rc = lin_verror(v, 0, raw->row, "tags", v->tags[i], "%s", why());
	}
	row->tags = v->tags;
	return rc;
}

/* Merge "properties" and prop.<name> fields into one JSON object. */
static int build_properties(lin_vctx *v, const lin_raw *raw, lin_row *row)
{
	json_t *obj = NULL;
	int rc = 0;
	for (size_t i = 0; i < raw->nfields; i++) {
		const lin_field *f = &raw->fields[i];
		json_t *val;
		json_error_t e;
		if (!f->value || (!f->json && !*f->value))
			continue;
		if (f->col != LIN_COL_PROPERTIES && f->col != LIN_COL_PROP)
			continue;
		if (!obj && !(obj = json_object()))
			return lin_error_oom();
		if (f->col == LIN_COL_PROPERTIES) {
			json_t *given = json_loads(f->value, 0, &e);
			if (!json_is_object(given)) {
				json_decref(given);
				rc = lin_verror(v, 0, raw->row, "properties", f->value,
						"this is not a JSON object. Write the properties like "
						"{\"team\": \"sales\", \"rows\": 120}");
				continue;
			}
			json_object_update(obj, given);
			json_decref(given);
			continue;
		}
		{
			const char *pname = f->name;
			while (*pname == ' ' || *pname == '\t')
				pname++;
			pname += 5; /* "prop." */
			val = f->json ? json_loads(f->value, JSON_DECODE_ANY, &e) : json_string(f->value);
			if (!val) {
				rc = lin_verror(v, 0, raw->row, f->name, f->value,
						"the value is not valid UTF-8 text or JSON. Save the file "
						"as UTF-8");
				continue;
			}
			if (json_object_set_new(obj, pname, val) != 0) {
				rc = lin_verror(v, 0, raw->row, f->name, NULL,
						"the property name is not valid UTF-8 text");
				continue;
			}
		}
	}
	if (obj && !v->row_errors) {
		char *text = json_dumps(obj, JSON_COMPACT | JSON_SORT_KEYS);
		if (!text) {
			json_decref(obj);
			return lin_error_oom();
		}
		if (strlen(text) > MAX_PROPERTIES)
			rc = lin_verror(v, 0, raw->row, "properties", NULL,
					"the properties are %zu bytes long; at most %d are allowed",
					strlen(text), MAX_PROPERTIES);
		row->properties = arena_strndup(v, text, strlen(text));
		free(text);
		if (!row->properties)
			rc = LINEAGE_ENOMEM;
	}
	json_decref(obj);
	return rc < 0 ? rc : 0;
}

static int parse_confidence(lin_vctx *v, const lin_raw *raw, const char *value, lin_row *row)
{
	char *end;
	double d;
	if (!value)
		return 0;
	d = strtod(value, &end);
	while (*end == ' ')
		end++;
	if (end == value || *end || !isfinite(d))
		return lin_verror(v, 0, raw->row, "confidence", value,
				  "\"%s\" is not a number. Use a number from 0 to 1, such as 0.8",
				  show(value));
	if (d < 0 || d > 1)
		return lin_verror(v, 0, raw->row, "confidence", value,
				  "%s is outside 0 to 1. Use a number from 0 to 1, such as 0.8 "
				  "(80%% is written 0.8)",
				  show(value));
	row->confidence = d;
	return 0;
}

static int add_declared(const char *kind, int self_loop, int cycles, void *payload)
{
	lin_vctx *v = payload;
	lin_kind_rule *p = realloc(v->declared, (v->ndeclared + 1) * sizeof *p);
	if (!p)
		return lin_error_oom();
	v->declared = p;
	if (!(p[v->ndeclared].kind = lin_strdup(kind)))
		return lin_error_oom();
	p[v->ndeclared].self_loop = self_loop;
	p[v->ndeclared].cycles = cycles;
	v->ndeclared++;
	return 0;
}

int lin_vctx_read_kinds(lin_vctx *v, lineage_db *db)
{
	return lin_store_kinds_each(db->store, add_declared, v);
}

int lin_vctx_kind_rules(lin_vctx *v, const char *kind, int *self_loop, int *cycles)
{
	lin_kind_rule *r;
	for (size_t i = 0; i < v->nkinds; i++) {
		if (!strcmp(v->kinds[i].kind, kind)) {
			*self_loop = v->kinds[i].self_loop;
			*cycles = v->kinds[i].cycles;
			return 0;
		}
	}
	*self_loop = !strcmp(kind, "update") || !strcmp(kind, "incremental");
	*cycles = 1;
	if (v->db && lineage_edge_kind_rules(v->db, kind, self_loop, cycles) != 0)
		return lin_error_code();
	for (size_t i = 0; !v->db && i < v->ndeclared; i++) {
		if (!strcmp(v->declared[i].kind, kind)) {
			*self_loop = v->declared[i].self_loop;
			*cycles = v->declared[i].cycles;
		}
	}
	if (v->nkinds == sizeof v->kinds / sizeof v->kinds[0]) {
		free(v->kinds[--v->nkinds].kind);
	}
	r = &v->kinds[v->nkinds];
	if (!(r->kind = lin_strdup(kind)))
		return LINEAGE_ENOMEM;
	r->self_loop = *self_loop;
	r->cycles = *cycles;
	v->nkinds++;
	return 0;
}

lin_id lin_asset_id(const char *key)
{
	lin_idhash h;
	lin_idhash_init(&h);
	lin_idhash_str(&h, "a");
	lin_idhash_str(&h, key);
	return lin_idhash_done(&h);
}

lin_id lin_edge_id(const char *source, const char *target, const char *kind, const char *job)
{
	lin_idhash h;
	lin_idhash_init(&h);
	lin_idhash_str(&h, "e");
	lin_idhash_str(&h, source);
	lin_idhash_str(&h, target);
	lin_idhash_str(&h, kind ? kind : LINEAGE_EDGE_KIND_DEFAULT);
	lin_idhash_str(&h, job);
	return lin_idhash_done(&h);
}

/* Is column c part of the row's identity (so equal in rows whose digests are compared)? */
static int in_identity(const lin_row *row, int c)
{
	if (row->type == LINEAGE_RECORDS_ASSETS)
		return c == LIN_COL_KEY;
	return c == LIN_COL_SOURCE || c == LIN_COL_TARGET || c == LIN_COL_KIND || c == LIN_COL_JOB;
}

/* The hash of what a row says beyond its identity: rows with the same identity and digest
 * are the same row written twice. */
static uint64_t digest(const lin_row *row)
{
	lin_idhash h;
	lin_idhash_init(&h);
	for (int c = 0; c < LIN_COL_COUNT; c++)
		if (!in_identity(row, c))
			lin_idhash_str(&h, row->v[c]);
	lin_idhash_u64(&h, row->lineage_source == LINEAGE_SOURCE_ANY ? LINEAGE_SOURCE_MANUAL
								     : row->lineage_source);
	lin_idhash_u64(&h, row->tags_set ? row->tag_count + 1 : 0);
	for (size_t i = 0; i < row->tag_count; i++)
		lin_idhash_str(&h, row->tags[i]);
	lin_idhash_str(&h, row->properties);
	return lin_idhash_done(&h).a;
}

/* Rules across rows: the first row with an identity wins; an identical repeat is a warning,
 * a different one an error. */
static int check_repeat(lin_vctx *v, const lin_raw *raw, lin_row *row)
{
	if (v->pass != 1)
		return 0; /* pass 1 found them all; the import remembers the repeats */
	int is_asset = row->type == LINEAGE_RECORDS_ASSETS;
	lin_seen *m = is_asset ? &v->assets : &v->edges;
	lin_id id = is_asset ? lin_asset_id(row->v[LIN_COL_KEY])
			     : lin_edge_id(row->v[LIN_COL_SOURCE], row->v[LIN_COL_TARGET],
					   lin_row_edge_kind(row), row->v[LIN_COL_JOB]);
	uint64_t d = digest(row), first_row, first_digest;
	char what[400];
	int seen = lin_seen_get(m, id, &first_row, &first_digest);
	if (seen < 0)
		return seen;
	if (!seen)
		return lin_seen_put(m, id, raw->row, d);
	if (first_row == raw->row)
		return 0;
	/* Only a repeat needs the words (formatting them for every row is costly). */
	if (is_asset)
		snprintf(what, sizeof what, "the asset \"%s\"", show(row->v[LIN_COL_KEY]));
	else
		snprintf(what, sizeof what, "the %s edge from \"%s\" to \"%s\"%s%s%s",
			 show(lin_row_edge_kind(row)), show(row->v[LIN_COL_SOURCE]),
			 show(row->v[LIN_COL_TARGET]), row->v[LIN_COL_JOB] ? " (job \"" : "",
			 row->v[LIN_COL_JOB] ? show(row->v[LIN_COL_JOB]) : "",
			 row->v[LIN_COL_JOB] ? "\")" : "");
	if (first_digest == d) {
		v->duplicate = 1;
		return lin_verror(v, 1, raw->row, NULL, NULL,
				  "this row repeats row %llu (%s); it is imported once",
				  (unsigned long long)first_row, what);
	}
	return lin_verror(v, 0, raw->row, NULL, NULL,
			  "%s is also on row %llu, with different values. Keep one of the two "
			  "rows, or merge them into one",
			  what, (unsigned long long)first_row);
}

static int check_asset(lin_vctx *v, const lin_raw *raw, lin_row *row)
{
	uint64_t r = raw->row;
	int rc;
	if ((rc = check_key(v, r, "key", row->v[LIN_COL_KEY], "warehouse.sales.orders")) < 0)
		return rc;
	if (row->v[LIN_COL_PARENT]) {
		if ((rc = check_key(v, r, "parent", row->v[LIN_COL_PARENT], "warehouse.sales")) < 0)
			return rc;
		if (row->v[LIN_COL_KEY] && !strcmp(row->v[LIN_COL_KEY], row->v[LIN_COL_PARENT]))
			rc = lin_verror(v, 0, r, "parent", row->v[LIN_COL_PARENT],
					"an asset cannot contain itself. Give the key of the asset "
					"that contains it, or leave the parent empty");
	}
	if (rc >= 0)
		rc = check_name(v, r, "kind", row->v[LIN_COL_KIND], "table");
	if (rc >= 0)
		rc = check_text(v, r, "name", row->v[LIN_COL_NAME], MAX_NAME);
	if (rc >= 0)
		rc = check_text(v, r, "owner", row->v[LIN_COL_OWNER], MAX_OWNER);
	if (rc >= 0)
		rc = check_text(v, r, "status", row->v[LIN_COL_STATUS], MAX_STATUS);
	if (rc >= 0)
		rc = check_text(v, r, "description", row->v[LIN_COL_DESCRIPTION], MAX_DESCRIPTION);
	return rc < 0 ? rc : 0;
}

static int check_edge(lin_vctx *v, const lin_raw *raw, lin_row *row)
{
	uint64_t r = raw->row;
	int rc = 0, self_loop, cycles;
	if (v->trusted)
		goto values;
	if ((rc = check_key(v, r, "source", row->v[LIN_COL_SOURCE], "warehouse.sales.orders")) < 0 ||
	    (rc = check_key(v, r, "target", row->v[LIN_COL_TARGET], "mart.daily_sales")) < 0)
		return rc;
	if (row->v[LIN_COL_JOB] && (rc = check_key(v, r, "job", row->v[LIN_COL_JOB], "etl.load_sales")) < 0)
		return rc;
	if ((rc = check_name(v, r, "kind", row->v[LIN_COL_KIND], "flow")) < 0 ||
	    (rc = check_name(v, r, "source_kind", row->v[LIN_COL_SOURCE_KIND], "table")) < 0 ||
	    (rc = check_name(v, r, "target_kind", row->v[LIN_COL_TARGET_KIND], "table")) < 0 ||
	    (rc = check_name(v, r, "transformation_type", row->v[LIN_COL_TRANSFORMATION_TYPE], "aggregate")) < 0 ||
	    (rc = check_text(v, r, "transformation", row->v[LIN_COL_TRANSFORMATION], MAX_TRANSFORMATION)) < 0 ||
	    (rc = check_text(v, r, "description", row->v[LIN_COL_DESCRIPTION], MAX_DESCRIPTION)) < 0)
		return rc;
values:
	if (row->v[LIN_COL_LINEAGE_SOURCE]) {
		lineage_source s;
		if (lineage_source_parse(&s, row->v[LIN_COL_LINEAGE_SOURCE]) != 0 || s == LINEAGE_SOURCE_ANY) {
			if ((rc = lin_verror(v, 0, r, "lineage_source", row->v[LIN_COL_LINEAGE_SOURCE],
					     "\"%s\" is not a lineage source. Use inferred, manual or "
					     "approved (or leave it empty for manual)",
					     show(row->v[LIN_COL_LINEAGE_SOURCE]))) < 0)
				return rc;
		} else {
			row->lineage_source = s;
		}
	}
	if ((rc = parse_confidence(v, raw, row->v[LIN_COL_CONFIDENCE], row)) < 0)
		return rc;
	if (!v->row_errors && !strcmp(row->v[LIN_COL_SOURCE], row->v[LIN_COL_TARGET])) {
		const char *kind = lin_row_edge_kind(row);
		if ((rc = lin_vctx_kind_rules(v, kind, &self_loop, &cycles)) != 0)
			return rc;
		if (!self_loop)
			return lin_verror(v, 0, r, "target", row->v[LIN_COL_TARGET],
					  "the source and the target are the same asset (\"%s\"), and an "
					  "edge of kind \"%s\" cannot go from an asset to itself. Fix the "
					  "target, or use a kind that allows it, such as \"update\"",
					  show(row->v[LIN_COL_TARGET]), show(kind));
	}
	return 0;
}

int lin_validate(lin_vctx *v, const lin_raw *raw, lin_row *row)
{
	int rc = 0;
	arena_reset(v);
	lin_strbuf_reset(&v->msgs);
	v->row_errors = 0;
	v->duplicate = 0;
	memset(row, 0, sizeof *row);
	row->row = raw->row;
	row->type = raw->type;
	row->confidence = -1;
	if (raw->warning && v->pass == 1 && (rc = lin_verror(v, 1, raw->row, NULL, NULL, "%s", raw->warning)) < 0)
		return rc;
	if (raw->problem) {
		rc = lin_verror(v, 0, raw->row, raw->problem_column, NULL, "%s", raw->problem);
		return rc < 0 ? rc : 1;
	}
	for (size_t i = 0; i < raw->nfields; i++) {
		const lin_field *f = &raw->fields[i];
		const char *val = f->value;
		if (f->col < 0) {
			char help[900];
			lin_col_help(help, sizeof help, f->name, raw->type);
			if ((rc = lin_verror(v, 0, raw->row, NULL, NULL,
					     "\"%s\" is not a known field. %s", show(f->name), help)) < 0)
				return rc;
			continue;
		}
		if (!val || (!f->json && !*val) || f->col == LIN_COL_PROP || f->col == LIN_COL_ERROR ||
		    f->col == LIN_COL_PROPERTIES)
			continue;
		if (f->col == LIN_COL_TAGS) {
			if ((rc = parse_tags(v, raw, f, row)) < 0)
				return rc;
			continue;
		}
		if (f->json && f->col != LIN_COL_CONFIDENCE) {
			if ((rc = lin_verror(v, 0, raw->row, lin_col_name(f->col), val,
					     "the value must be text, not %s. Put it in quotes", show(val))) < 0)
				return rc;
			continue;
		}
		if (f->len != strlen(val)) {
			if ((rc = lin_verror(v, 0, raw->row, lin_col_name(f->col), NULL,
					     "the value contains a NUL character. Remove it")) < 0)
				return rc;
			continue;
		}
		switch (f->col) {
		case LIN_COL_KIND:
		case LIN_COL_SOURCE_KIND:
		case LIN_COL_TARGET_KIND:
		case LIN_COL_LINEAGE_SOURCE:
		case LIN_COL_CONFIDENCE:
		case LIN_COL_TRANSFORMATION_TYPE:
			if (!(row->v[f->col] = trimmed(v, val)) && *val && !isspace((unsigned char)*val))
				return LINEAGE_ENOMEM;
			break;
		default:
			row->v[f->col] = val;
		}
	}
	for (size_t i = 0; i < raw->nfields && !v->row_errors; i++) {
		const lin_field *f = &raw->fields[i];
		if (f->col == LIN_COL_PROP || f->col == LIN_COL_PROPERTIES)
			if ((rc = check_utf8(v, raw->row, f->name, f->value ? f->value : "")) < 0)
				return rc;
	}
	if (!v->row_errors && (rc = build_properties(v, raw, row)) < 0)
		return rc;
	if (row->type == LINEAGE_RECORDS_ASSETS)
		rc = check_asset(v, raw, row);
	else
		rc = check_edge(v, raw, row);
	if (rc < 0)
		return rc;
	if (!v->row_errors && (rc = check_repeat(v, raw, row)) < 0)
		return rc;
	return v->row_errors ? 1 : 0;
}
