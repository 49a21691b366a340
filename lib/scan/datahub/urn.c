/* DataHub URNs: dataset and schemaField URNs parsed and built, and the keys they map to. */
#include <stdlib.h>
#include <string.h>

#include "common/strbuf.h"
#include "common/util.h"
#include "scan/openlineage/ol_internal.h"
#include "dh_internal.h"

#define DATASET_PREFIX "urn:li:dataset:("
#define PLATFORM_PREFIX "urn:li:dataPlatform:"
#define FIELD_PREFIX "urn:li:schemaField:("

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* DataHub percent-encodes the characters that delimit a URN's tuple. */
static char *decode(const char *s, size_t n)
{
	lin_strbuf sb = LIN_STRBUF_INIT;
	for (size_t i = 0; i < n; i++) {
		int hi, lo;
		if (s[i] == '%' && i + 2 < n && (hi = hex_digit(s[i + 1])) >= 0 &&
		    (lo = hex_digit(s[i + 2])) >= 0 && (hi || lo)) {
			lin_strbuf_putc(&sb, (char)(hi * 16 + lo));
			i += 2;
		} else {
			lin_strbuf_putc(&sb, s[i]);
		}
	}
	if (!sb.data)
		lin_strbuf_puts(&sb, "");
	return lin_strbuf_detach(&sb);
}

static void encode(lin_strbuf *sb, const char *s)
{
	for (; *s; s++) {
		if (*s == ',' || *s == '(' || *s == ')' || *s == '%')
			lin_strbuf_printf(sb, "%%%02X", (unsigned char)*s);
		else
			lin_strbuf_putc(sb, *s);
	}
}

void lin_dh_dataset_free(lin_dh_dataset *d)
{
	if (!d)
		return;
	free(d->platform);
	free(d->name);
	free(d->env);
	memset(d, 0, sizeof *d);
}

/* Parse "urn:li:dataset:(...)" of exactly `n` bytes. */
static int parse_dataset_n(lin_dh_dataset *out, const char *urn, size_t n)
{
	size_t pl = strlen(DATASET_PREFIX), ppl = strlen(PLATFORM_PREFIX);
	const char *body, *end, *comma1, *comma2;
	memset(out, 0, sizeof *out);
	if (n < pl + 2 || strncmp(urn, DATASET_PREFIX, pl) || urn[n - 1] != ')')
		return -1;
	body = urn + pl;
	end = urn + n - 1;
	comma1 = memchr(body, ',', (size_t)(end - body));
	for (comma2 = end - 1; comma2 > body && *comma2 != ','; comma2--)
		;
	if (!comma1 || comma2 <= comma1 || (size_t)(comma1 - body) <= ppl ||
	    strncmp(body, PLATFORM_PREFIX, ppl) || comma2 == comma1 + 1 || comma2 + 1 == end)
		return -1;
	out->platform = decode(body + ppl, (size_t)(comma1 - body - (ptrdiff_t)ppl));
	out->name = decode(comma1 + 1, (size_t)(comma2 - comma1 - 1));
	out->env = decode(comma2 + 1, (size_t)(end - comma2 - 1));
	if (!out->platform || !out->name || !out->env || !*out->platform || !*out->name) {
		lin_dh_dataset_free(out);
		return -1;
	}
	return 0;
}

int lin_dh_parse_dataset(lin_dh_dataset *out, const char *urn)
{
	return urn ? parse_dataset_n(out, urn, strlen(urn)) : -1;
}

/* A v2 field path ("[version=2.0].[type=struct].address.[type=string].zip") as the
 * plain dotted path ("address.zip"); a v1 path as it is. */
static char *plain_path(const char *path)
{
	lin_strbuf sb = LIN_STRBUF_INIT;
	const char *p = path;
	if (*path != '[')
		return lin_strdup(path);
	while (*p) {
		const char *dot = strchr(p, '.');
		size_t len = dot ? (size_t)(dot - p) : strlen(p);
		/* "[version=2.0]" itself contains a dot: skip to its closing bracket. */
		if (*p == '[') {
			const char *close = strchr(p, ']');
			if (!close)
				break;
			p = close + 1;
			if (*p == '.')
				p++;
			continue;
		}
		if (sb.len)
			lin_strbuf_putc(&sb, '.');
		lin_strbuf_append(&sb, p, len);
		p += len;
		if (*p == '.')
			p++;
	}
	return sb.len ? lin_strbuf_detach(&sb) : (lin_strbuf_free(&sb), NULL);
}

int lin_dh_parse_field(lin_dh_dataset *out, char **field, const char *urn)
{
	size_t pl = strlen(FIELD_PREFIX), n;
	const char *ds, *p;
	int depth = 0;
	char *raw;
	*field = NULL;
	memset(out, 0, sizeof *out);
	if (!urn || strncmp(urn, FIELD_PREFIX, pl) || (n = strlen(urn)) < pl + 2 || urn[n - 1] != ')')
		return -1;
	ds = urn + pl;
	/* The dataset URN ends at the parenthesis that closes its own tuple. */
	for (p = ds; *p && p < urn + n - 1; p++) {
		if (*p == '(')
			depth++;
		else if (*p == ')' && --depth == 0)
			break;
	}
	if (*p != ')' || p[1] != ',' || p + 2 >= urn + n - 1)
		return -1;
	if (parse_dataset_n(out, ds, (size_t)(p + 1 - ds)))
		return -1;
	raw = decode(p + 2, (size_t)(urn + n - 1 - (p + 2)));
	*field = raw ? plain_path(raw) : NULL;
	free(raw);
	if (!*field || !**field) {
		free(*field);
		*field = NULL;
		lin_dh_dataset_free(out);
		return -1;
	}
	return 0;
}

/* The namespace the OpenLineage naming rules classify ("s3://", "postgres://"). */
static void ns_of(char *buf, size_t size, const lin_dh_dataset *d)
{
	size_t n = strlen(d->platform);
	if (n > size - 4)
		n = size - 4;
	memcpy(buf, d->platform, n);
	memcpy(buf + n, "://", 4);
}

char *lin_dh_dataset_key(const lin_dh_dataset *d)
{
	char ns[80];
	lin_strbuf sb = LIN_STRBUF_INIT;
	const char *name = d->name;
	ns_of(ns, sizeof ns, d);
	if (lin_ol_namespace_kind_of(ns) == LIN_OL_DATABASE)
		return lin_ol_dataset_key(ns, name);
	while (*name == '/')
		name++;
	lin_strbuf_printf(&sb, "%s%s", ns, name);
	return lin_strbuf_detach(&sb);
}

const char *lin_dh_dataset_kind(const lin_dh_dataset *d)
{
	char ns[80];
	ns_of(ns, sizeof ns, d);
	return lin_ol_dataset_kind(ns);
}

char *lin_dh_column_key(const lin_dh_dataset *d, const char *dataset_key, const char *field)
{
	char ns[80];
	ns_of(ns, sizeof ns, d);
	return lin_ol_column_key(dataset_key, ns, field);
}

char *lin_dh_dataset_urn(const char *platform, const char *name, const char *env)
{
	lin_strbuf sb = LIN_STRBUF_INIT;
	lin_strbuf_puts(&sb, DATASET_PREFIX PLATFORM_PREFIX);
	encode(&sb, platform);
	lin_strbuf_putc(&sb, ',');
	encode(&sb, name);
	lin_strbuf_putc(&sb, ',');
	encode(&sb, env);
	lin_strbuf_putc(&sb, ')');
	return lin_strbuf_detach(&sb);
}

char *lin_dh_field_urn(const char *dataset_urn, const char *field)
{
	lin_strbuf sb = LIN_STRBUF_INIT;
	lin_strbuf_printf(&sb, "%s%s,", FIELD_PREFIX, dataset_urn);
	encode(&sb, field);
	lin_strbuf_putc(&sb, ')');
	return lin_strbuf_detach(&sb);
}
