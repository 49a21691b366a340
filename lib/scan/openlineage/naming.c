/* OpenLineage dataset and job names mapped to liblineage keys (docs/scanners.md). */
#include <ctype.h>
#include <string.h>

#include "common/strbuf.h"
#include "common/util.h"
#include "ol_internal.h"

/* Namespaces whose datasets are files or objects: the key is the namespace and the path.
 * Every other namespace (postgres://, snowflake://, bigquery, hive://, a custom name...) holds
 * database relations: the name ("db.schema.table") is the key, lower-cased like unquoted SQL
 * identifiers, so that it meets the SQL and dbt scanners' keys. */
static const char *const file_schemes[] = {"s3", "s3a", "s3n", "gs", "gcs", "abfs", "abfss",
					   "wasb", "wasbs", "adl", "hdfs", "file", "dbfs",
					   "ftp", "sftp", "http", "https", "oss", "cos"};
static const char *const topic_schemes[] = {"kafka", "pubsub", "kinesis", "pulsar", "rabbitmq",
					    "eventhub"};

static size_t scheme_len(const char *ns)
{
	const char *colon = strchr(ns, ':');
	return colon ? (size_t)(colon - ns) : strlen(ns);
}

static int scheme_in(const char *ns, const char *const *list, size_t n)
{
	size_t len = scheme_len(ns);
	for (size_t i = 0; i < n; i++)
		if (strlen(list[i]) == len && !lin_ol_strncasecmp(ns, list[i], len))
			return 1;
	return 0;
}

int lin_ol_strncasecmp(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int ca = tolower((unsigned char)a[i]), cb = tolower((unsigned char)b[i]);
		if (ca != cb || !ca)
			return ca - cb;
	}
	return 0;
}

lin_ol_namespace_kind lin_ol_namespace_kind_of(const char *ns)
{
	if (!ns || !*ns)
		return LIN_OL_DATABASE;
	if (scheme_in(ns, file_schemes, sizeof file_schemes / sizeof file_schemes[0]))
		return LIN_OL_FILE;
	if (scheme_in(ns, topic_schemes, sizeof topic_schemes / sizeof topic_schemes[0]))
		return LIN_OL_TOPIC;
	return LIN_OL_DATABASE;
}

char *lin_ol_dataset_key(const char *ns, const char *name)
{
	lin_strbuf sb = LIN_STRBUF_INIT;
	switch (lin_ol_namespace_kind_of(ns)) {
	case LIN_OL_DATABASE:
		for (const char *c = name; *c; c++)
			lin_strbuf_putc(&sb, (char)tolower((unsigned char)*c));
		break;
	case LIN_OL_TOPIC:
	case LIN_OL_FILE: {
		/* "s3://bucket" + "/path" and "s3://bucket" + "path" are the same object. */
		size_t nl = strlen(ns);
		while (nl && ns[nl - 1] == '/')
			nl--;
		while (*name == '/')
			name++;
		lin_strbuf_append(&sb, ns, nl);
		lin_strbuf_putc(&sb, '/');
		lin_strbuf_puts(&sb, name);
		break;
	}
	}
	return lin_strbuf_detach(&sb);
}

char *lin_ol_column_key(const char *dataset_key, const char *ns, const char *field)
{
	lin_strbuf sb = LIN_STRBUF_INIT;
	int lower = lin_ol_namespace_kind_of(ns) == LIN_OL_DATABASE;
	lin_strbuf_puts(&sb, dataset_key);
	lin_strbuf_putc(&sb, '.');
	for (const char *c = field; *c; c++)
		lin_strbuf_putc(&sb, lower ? (char)tolower((unsigned char)*c) : *c);
	return lin_strbuf_detach(&sb);
}

const char *lin_ol_dataset_kind(const char *ns)
{
	switch (lin_ol_namespace_kind_of(ns)) {
	case LIN_OL_DATABASE: return "table";
	case LIN_OL_TOPIC: return "topic";
	case LIN_OL_FILE: return "file";
	}
	return "dataset";
}
