/* JSON output of assets, edges and changes (written directly: the bulk paths encode one
 * per change), and JSON input checks with jansson. */
#include "json.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/util.h"

int lin_json_str(lin_strbuf *sb, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	const char *run;
	int rc;
	if (!s)
		return lin_strbuf_puts(sb, "null");
	if ((rc = lin_strbuf_putc(sb, '"')))
		return rc;
	run = s;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		char esc[7];
		const char *rep = NULL;
		if (c == '"')
			rep = "\\\"";
		else if (c == '\\')
			rep = "\\\\";
		else if (c == '\n')
			rep = "\\n";
		else if (c == '\r')
			rep = "\\r";
		else if (c == '\t')
			rep = "\\t";
		else if (c < 0x20) {
			memcpy(esc, "\\u00", 4);
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 15];
			esc[6] = '\0';
			rep = esc;
		}
		if (!rep)
			continue;
		if ((rc = lin_strbuf_append(sb, run, (size_t)(s - run))) ||
		    (rc = lin_strbuf_puts(sb, rep)))
			return rc;
		run = s + 1;
	}
	if ((rc = lin_strbuf_append(sb, run, (size_t)(s - run))))
		return rc;
	return lin_strbuf_putc(sb, '"');
}

/* Civil date of a day count since 1970-01-01 (Howard Hinnant's algorithm): gmtime_r takes
 * a lock and was a tenth of a bulk load's time, three times per audit record. */
static void civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
	int64_t era, doe, yoe, doy, mp;
	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

int lin_json_time(lin_strbuf *sb, int64_t ms, int zero_null)
{
	int64_t days, rem, y;
	int m, d;
	if (zero_null && ms == 0)
		return lin_strbuf_puts(sb, "null");
	days = ms / 86400000;
	rem = ms % 86400000;
	if (rem < 0) {
		rem += 86400000;
		days--;
	}
	civil_from_days(days, &y, &m, &d);
	if (y < 0 || y > 9999) /* outside what four digits hold: the slow, general way */
		return lin_strbuf_printf(sb, "\"%lld-%02d-%02dT%02d:%02d:%02d.%03dZ\"", (long long)y, m,
					 d, (int)(rem / 3600000), (int)(rem / 60000 % 60),
					 (int)(rem / 1000 % 60), (int)(rem % 1000));
	{
		/* "YYYY-MM-DDTHH:MM:SS.mmmZ" written digit by digit: printf cost 7,000
		 * instructions a call, three calls per audit record. */
		char b[26];
		int parts[7] = {(int)y, m, d, (int)(rem / 3600000), (int)(rem / 60000 % 60),
				(int)(rem / 1000 % 60), (int)(rem % 1000)};
		static const int width[7] = {4, 2, 2, 2, 2, 2, 3};
		static const char after[7] = {'-', '-', 'T', ':', ':', '.', 'Z'};
		int pos = 0;
		b[pos++] = '"';
		for (int i = 0; i < 7; i++) {
			for (int k = width[i] - 1, v = parts[i]; k >= 0; k--, v /= 10)
				b[pos + k] = (char)('0' + v % 10);
			pos += width[i];
			b[pos++] = after[i];
		}
		b[pos++] = '"';
		return lin_strbuf_append(sb, b, (size_t)pos);
	}
}

/* A decimal integer without printf. */
static int put_int(lin_strbuf *sb, int64_t v)
{
	char b[24];
	int pos = (int)sizeof b;
	uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	do {
		b[--pos] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		b[--pos] = '-';
	return lin_strbuf_append(sb, b + pos, sizeof b - (size_t)pos);
}

int lin_json_double(lin_strbuf *sb, double v)
{
	char buf[40];
	if (!isfinite(v))
		return lin_strbuf_puts(sb, "null");
	if (v >= 0 && v <= 1) {
		/* Confidences are mostly a few decimals: 0.5, 0.85, 1. */
		double k = nearbyint(v * 1000);
		if (k / 1000.0 == v) {
			int n = (int)k, len = 2;
			if (n == 0 || n == 1000)
				return lin_strbuf_puts(sb, n ? "1" : "0");
			buf[0] = '0';
			buf[1] = '.';
			for (int div = 100; div && n; div /= 10) {
				buf[len++] = (char)('0' + n / div);
				n %= div;
			}
			return lin_strbuf_append(sb, buf, (size_t)len);
		}
	}
	snprintf(buf, sizeof buf, "%.15g", v);
	if (strtod(buf, NULL) != v)
		snprintf(buf, sizeof buf, "%.17g", v);
	return lin_strbuf_puts(sb, buf);
}

int lin_json_raw(lin_strbuf *sb, const char *json, const char *dflt)
{
	return lin_strbuf_puts(sb, json ? json : dflt);
}

/* Each field is `,"name":` then a value; the first without the comma. */
#define KEY(name) lin_strbuf_puts(sb, "," "\"" name "\":")

int lin_json_asset(lin_strbuf *sb, const lineage_asset *a, const char *raw_tags)
{
	int rc = lin_strbuf_puts(sb, "{\"id\":");
	rc = rc ? rc : put_int(sb, a->id);
	rc = rc ? rc : lin_strbuf_puts(sb, ",\"key\":");
	rc = rc ? rc : lin_json_str(sb, a->key);
	rc = rc ? rc : KEY("kind");
	rc = rc ? rc : lin_json_str(sb, a->kind);
	rc = rc ? rc : KEY("name");
	rc = rc ? rc : lin_json_str(sb, a->name);
	rc = rc ? rc : KEY("parent");
	rc = rc ? rc : lin_json_str(sb, a->parent_key);
	rc = rc ? rc : KEY("owner");
	rc = rc ? rc : lin_json_str(sb, a->owner);
	rc = rc ? rc : KEY("description");
	rc = rc ? rc : lin_json_str(sb, a->description);
	rc = rc ? rc : KEY("status");
	rc = rc ? rc : lin_json_str(sb, a->status);
	rc = rc ? rc : KEY("tags");
	if (raw_tags) {
		rc = rc ? rc : lin_strbuf_puts(sb, raw_tags);
	} else {
		rc = rc ? rc : lin_strbuf_putc(sb, '[');
		for (size_t i = 0; i < a->tag_count && !rc; i++) {
			if (i)
				rc = lin_strbuf_putc(sb, ',');
			rc = rc ? rc : lin_json_str(sb, a->tags[i]);
		}
		rc = rc ? rc : lin_strbuf_putc(sb, ']');
	}
	rc = rc ? rc : KEY("properties");
	rc = rc ? rc : lin_json_raw(sb, a->properties_json, "{}");
	rc = rc ? rc : KEY("created_at");
	rc = rc ? rc : lin_json_time(sb, a->created_at_ms, 0);
	rc = rc ? rc : KEY("updated_at");
	rc = rc ? rc : lin_json_time(sb, a->updated_at_ms, 0);
	rc = rc ? rc : lin_strbuf_putc(sb, '}');
	return rc;
}

int lin_json_edge(lin_strbuf *sb, const lineage_edge *e)
{
	int rc = lin_strbuf_puts(sb, "{\"id\":");
	rc = rc ? rc : put_int(sb, e->id);
	rc = rc ? rc : lin_strbuf_puts(sb, ",\"source\":");
	rc = rc ? rc : lin_json_str(sb, e->source_key);
	rc = rc ? rc : KEY("target");
	rc = rc ? rc : lin_json_str(sb, e->target_key);
	rc = rc ? rc : KEY("kind");
	rc = rc ? rc : lin_json_str(sb, e->kind);
	rc = rc ? rc : KEY("job");
	rc = rc ? rc : lin_json_str(sb, e->job_key);
	rc = rc ? rc : KEY("lineage_source");
	rc = rc ? rc : lin_json_str(sb, lineage_source_name(e->lineage_source));
	rc = rc ? rc : KEY("confidence");
	rc = rc ? rc : lin_json_double(sb, e->confidence);
	rc = rc ? rc : KEY("status");
	rc = rc ? rc : lin_json_str(sb, lineage_edge_status_name(e->status));
	rc = rc ? rc : KEY("transformation_type");
	rc = rc ? rc : lin_json_str(sb, e->transformation_type);
	rc = rc ? rc : KEY("transformation");
	rc = rc ? rc : lin_json_str(sb, e->transformation);
	rc = rc ? rc : KEY("description");
	rc = rc ? rc : lin_json_str(sb, e->description);
	rc = rc ? rc : KEY("properties");
	rc = rc ? rc : lin_json_raw(sb, e->properties_json, "{}");
	rc = rc ? rc : KEY("evidence");
	rc = rc ? rc : lin_json_raw(sb, e->evidence_json, "null");
	rc = rc ? rc : KEY("origin");
	rc = rc ? rc : lin_json_str(sb, e->origin);
	rc = rc ? rc : KEY("content_hash");
	rc = rc ? rc : lin_json_str(sb, e->content_hash);
	rc = rc ? rc : KEY("reviewed_by");
	rc = rc ? rc : lin_json_str(sb, e->reviewed_by);
	rc = rc ? rc : KEY("review_comment");
	rc = rc ? rc : lin_json_str(sb, e->review_comment);
	rc = rc ? rc : KEY("reviewed_at");
	rc = rc ? rc : lin_json_time(sb, e->reviewed_at_ms, 1);
	rc = rc ? rc : KEY("created_at");
	rc = rc ? rc : lin_json_time(sb, e->created_at_ms, 0);
	rc = rc ? rc : KEY("updated_at");
	rc = rc ? rc : lin_json_time(sb, e->updated_at_ms, 0);
	rc = rc ? rc : lin_strbuf_putc(sb, '}');
	return rc;
}

int lin_json_change(lin_strbuf *sb, const lineage_change *c)
{
	int rc = lin_strbuf_printf(sb, "{\"seq\":%lld,\"at\":", (long long)c->seq);
	rc = rc ? rc : lin_json_time(sb, c->at_ms, 0);
	rc = rc ? rc : KEY("actor");
	rc = rc ? rc : lin_json_str(sb, c->actor);
	rc = rc ? rc : KEY("action");
	rc = rc ? rc : lin_json_str(sb, c->action);
	rc = rc ? rc : KEY("entity");
	rc = rc ? rc : lin_json_str(sb, c->entity);
	rc = rc ? rc : lin_strbuf_printf(sb, ",\"entity_id\":%lld", (long long)c->entity_id);
	rc = rc ? rc : KEY("asset_key");
	rc = rc ? rc : lin_json_str(sb, c->asset_key);
	rc = rc ? rc : KEY("target_key");
	rc = rc ? rc : lin_json_str(sb, c->target_key);
	rc = rc ? rc : KEY("before");
	rc = rc ? rc : lin_json_raw(sb, c->before_json, "null");
	rc = rc ? rc : KEY("after");
	rc = rc ? rc : lin_json_raw(sb, c->after_json, "null");
	rc = rc ? rc : KEY("comment");
	rc = rc ? rc : lin_json_str(sb, c->comment);
	rc = rc ? rc : lin_strbuf_printf(sb, ",\"batch_id\":%lld}", (long long)c->batch_id);
	return rc;
}

/* ---- input ---- */

#define DUMP_FLAGS (JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY)

static int dump(json_t *value, char **out)
{
	*out = json_dumps(value, DUMP_FLAGS);
	return *out ? 0 : lin_error_oom();
}

int lin_json_normalize(const char *text, int object, const char *what, char **out)
{
	json_error_t err;
	json_t *v;
	int rc;
	*out = NULL;
	v = json_loads(text, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, &err);
	if (!v)
		return lin_error_set(LINEAGE_EINVALID, "%s is not valid JSON (%s at line %d, column %d): fix the JSON text", what, err.text, err.line, err.column);
	if (object && !json_is_object(v)) {
		json_decref(v);
		return lin_error_set(LINEAGE_EINVALID, "%s must be a JSON object such as {\"rows\": 10}: wrap the value in an object", what);
	}
	rc = dump(v, out);
	json_decref(v);
	return rc;
}

struct patch_pair {
	json_t *target, *patch;
};

/* Iterative (an explicit stack): the patch's depth must not drive recursion. */
static int merge(json_t *target, json_t *patch)
{
	struct patch_pair *stack = NULL;
	size_t n = 0, cap = 0;
	int rc = 0;
	stack = malloc(16 * sizeof *stack);
	if (!stack)
		return lin_error_oom();
	cap = 16;
	stack[n++] = (struct patch_pair){target, patch};
	while (n && !rc) {
		struct patch_pair pp = stack[--n];
		const char *k;
		json_t *v;
		json_object_foreach(pp.patch, k, v) {
			if (json_is_null(v)) {
				json_object_del(pp.target, k);
			} else if (json_is_object(v)) {
				json_t *cur = json_object_get(pp.target, k);
				if (!json_is_object(cur)) {
					cur = json_object();
					if (!cur || json_object_set_new(pp.target, k, cur)) {
						rc = lin_error_oom();
						break;
					}
				}
				if (n == cap) {
					struct patch_pair *p = realloc(stack, 2 * cap * sizeof *stack);
					if (!p) {
						rc = lin_error_oom();
						break;
					}
					stack = p;
					cap *= 2;
				}
				stack[n++] = (struct patch_pair){cur, v};
			} else if (json_object_set(pp.target, k, v)) {
				rc = lin_error_oom();
				break;
			}
		}
	}
	free(stack);
	return rc;
}

int lin_json_merge_patch(const char *stored, const char *patch, char **out)
{
	json_error_t err;
	json_t *t = NULL, *p = NULL;
	int rc;
	*out = NULL;
	p = json_loads(patch, JSON_REJECT_DUPLICATES, &err);
	if (!p) {
		rc = lin_error_set(LINEAGE_EINVALID, "properties are not valid JSON (%s at line %d, column %d): fix the JSON text", err.text, err.line, err.column);
		goto done;
	}
	if (!json_is_object(p)) {
		rc = lin_error_set(LINEAGE_EINVALID, "properties must be a JSON object such as {\"rows\": 10}: wrap the value in an object");
		goto done;
	}
	t = stored ? json_loads(stored, 0, NULL) : json_object();
	if (!json_is_object(t)) {
		json_decref(t);
		t = json_object();
	}
	if (!t) {
		rc = lin_error_oom();
		goto done;
	}
	if ((rc = merge(t, p)))
		goto done;
	rc = dump(t, out);
done:
	json_decref(t);
	json_decref(p);
	return rc;
}

#define TAGS_MAX 1000

int lin_json_tags(const char *const *tags, size_t n, char **out)
{
	json_t *arr;
	int rc = 0;
	*out = NULL;
	if (n > TAGS_MAX)
		return lin_error_set(LINEAGE_EINVALID, "%zu tags given: at most %d are allowed", n, TAGS_MAX);
	if (n && !tags)
		return lin_error_set(LINEAGE_EINVALID, "tag_count is %zu but tags is NULL: pass the array", n);
	if (!(arr = json_array()))
		return lin_error_oom();
	for (size_t i = 0; i < n && !rc; i++) {
		int dup = 0;
		if ((rc = lin_check_name(tags[i], "tag")))
			break;
		for (size_t j = 0; j < i && !dup; j++)
			dup = !strcmp(tags[i], tags[j]);
		if (!dup && json_array_append_new(arr, json_string(tags[i])))
			rc = lin_error_oom();
	}
	if (!rc)
		rc = dump(arr, out);
	json_decref(arr);
	return rc;
}

/* Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;
	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

int lin_parse_time(const char *text, int64_t *out)
{
	int y, mo, d, h, mi, s, ms = 0, n = 0;
	*out = 0;
	if (!text || sscanf(text, "%4d-%2d-%2dT%2d:%2d:%2d.%3dZ%n", &y, &mo, &d, &h, &mi, &s, &ms, &n) != 7 ||
	    (size_t)n != strlen(text) || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60)
		return lin_error_set(LINEAGE_EINVALID, "time \"%.40s\" is not like 2026-01-31T12:00:00.000Z", text ? text : "(null)");
	*out = ((days_from_civil(y, mo, d) * 24 + h) * 60 + mi) * 60000LL + s * 1000LL + ms;
	return 0;
}
