/* Internal to lib/api/: the JSON shapes of assets, edges and changes, and JSON input
 * checks (properties, evidence, tags), independent of the storage backend. */
#ifndef LIN_API_JSON_H
#define LIN_API_JSON_H

#include <stddef.h>
#include <stdint.h>

#include "lineage/lineage.h"
#include "common/strbuf.h"

/* A JSON string literal for `s`, or null for NULL. */
int lin_json_str(lin_strbuf *sb, const char *s);
/* A time as an ISO 8601 UTC string, or null for 0 when `zero_null`. */
int lin_json_time(lin_strbuf *sb, int64_t ms, int zero_null);
/* A number that reads back as the same double. */
int lin_json_double(lin_strbuf *sb, double v);
/* Already-valid JSON text, or `dflt` for NULL. */
int lin_json_raw(lin_strbuf *sb, const char *json, const char *dflt);

/* `raw_tags`: the tags as JSON text to use instead of a->tags (NULL: a->tags). */
int lin_json_asset(lin_strbuf *sb, const lineage_asset *a, const char *raw_tags);
int lin_json_edge(lin_strbuf *sb, const lineage_edge *e);
int lin_json_change(lin_strbuf *sb, const lineage_change *c);

/* Parse `text` as JSON (an object when `object`), and give it back compact with sorted keys
 * in *out (new). EINVALID names `what`. */
int lin_json_normalize(const char *text, int object, const char *what, char **out);
/* RFC 7396 merge of `patch` (a JSON object) into `stored` (a JSON object; NULL: {}): *out
 * is new, compact with sorted keys. */
int lin_json_merge_patch(const char *stored, const char *patch, char **out);
/* Tags as a JSON array (order kept, duplicates dropped); each tag checked. */
int lin_json_tags(const char *const *tags, size_t n, char **out);

/* "2026-11-22T05:49:21.123Z" back to Unix ms; 0 with EINVALID when malformed. */
int lin_parse_time(const char *text, int64_t *out);

#endif
