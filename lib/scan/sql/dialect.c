/* The dialect table and the keyword table of the SQL scanner. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "common/util.h"
#include "sql_internal.h"

static const sql_dialect dialects[] = {
	{"ansi", DF_NESTED_COMMENT},
	{"postgres", DF_NESTED_COMMENT | DF_DOLLAR | DF_DOLLAR_TAG},
	{"snowflake", DF_BACKSLASH | DF_DOLLAR | DF_UPPER_FOLD | DF_LATERAL_ALIAS |
			      DF_COLON_PATH | DF_SLASH_COMMENT | DF_USE_IS_DB},
	{"bigquery", DF_HASH_COMMENT | DF_BACKSLASH | DF_DQ_STRING | DF_BQ_STRINGS |
			     DF_CI_QUOTED | DF_USE_IS_DB | DF_STRUCT},
	{"sparksql", DF_NESTED_COMMENT | DF_BACKSLASH | DF_DQ_STRING | DF_CI_QUOTED |
			     DF_LAMBDA | DF_STRUCT},
	{"databricks", DF_NESTED_COMMENT | DF_BACKSLASH | DF_DQ_STRING | DF_CI_QUOTED |
			       DF_LAMBDA | DF_LATERAL_ALIAS | DF_COLON_PATH | DF_STRUCT},
	{"hive", DF_BACKSLASH | DF_DQ_STRING | DF_CI_QUOTED | DF_LAMBDA | DF_STRUCT},
	{"mysql", DF_HASH_COMMENT | DF_BACKSLASH | DF_DQ_STRING | DF_CI_QUOTED | DF_DELIMITER},
	{"mariadb", DF_HASH_COMMENT | DF_BACKSLASH | DF_DQ_STRING | DF_CI_QUOTED | DF_DELIMITER},
	{"tsql", DF_NESTED_COMMENT | DF_BRACKET_ID | DF_GO | DF_CI_QUOTED | DF_USE_IS_DB},
	{"redshift", DF_CI_QUOTED | DF_LATERAL_ALIAS | DF_DOLLAR | DF_DOLLAR_TAG},
	{"oracle", DF_UPPER_FOLD | DF_Q_QUOTE | DF_SLASH_LINE},
	{"duckdb", DF_DOLLAR | DF_DOLLAR_TAG | DF_CI_QUOTED | DF_LATERAL_ALIAS | DF_LAMBDA | DF_STRUCT},
	{"trino", DF_CI_QUOTED | DF_LAMBDA | DF_STRUCT},
	{"athena", DF_CI_QUOTED | DF_LAMBDA | DF_STRUCT},
	{"teradata", DF_CI_QUOTED | DF_LATERAL_ALIAS | DF_ABBREV},
	{"sqlite", DF_BRACKET_ID | DF_CI_QUOTED},
	{"clickhouse", DF_BACKSLASH | DF_LAMBDA | DF_NESTED_COMMENT | DF_HASH_COMMENT | DF_STRUCT},
};

#define NDIALECTS (sizeof dialects / sizeof dialects[0])

static const char *const dialect_names[NDIALECTS + 1] = {
	"ansi",     "postgres", "snowflake", "bigquery", "sparksql", "databricks", "hive",
	"mysql",    "mariadb",  "tsql",      "redshift", "oracle",   "duckdb",     "trino",
	"athena",   "teradata", "sqlite",    "clickhouse", NULL};

const char *const *lineage_sql_dialects(void)
{
	return dialect_names;
}

const sql_dialect *lin_sql_dialect_find(const char *name)
{
	if (!name)
		return &dialects[0];
	for (size_t i = 0; i < NDIALECTS; i++)
		if (!lin_strcasecmp(name, dialects[i].name))
			return &dialects[i];
	/* common aliases */
	static const struct {
		const char *alias, *name;
	} aliases[] = {{"postgresql", "postgres"}, {"spark", "sparksql"},
		       {"mssql", "tsql"},          {"sqlserver", "tsql"},
		       {"presto", "trino"},        {"generic", "ansi"},
		       /* engines that speak a listed dialect's grammar */
		       {"greenplum", "postgres"},  {"materialize", "postgres"},
		       {"vertica", "postgres"},    {"cockroachdb", "postgres"},
		       {"db2", "ansi"},            {"exasol", "ansi"},
		       {"impala", "hive"},         {"spark2", "sparksql"},
		       {"sql_server", "tsql"},     {"azure_synapse", "tsql"},
		       {"synapse", "tsql"},        {"fabric", "tsql"},
		       {"starrocks", "mysql"},     {"doris", "mysql"},
		       {"singlestore", "mysql"},   {"tidb", "mysql"},
		       {"bq", "bigquery"},         {"pg", "postgres"}};
	for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++)
		if (!lin_strcasecmp(name, aliases[i].alias))
			return lin_sql_dialect_find(aliases[i].name);
	return NULL;
}

struct kwdef {
	const char *name;
	unsigned flags;
};

static const struct kwdef keywords[] = {
	{"", 0},
#define LIN_KW_DEF(name, flags) {#name, flags},
	LIN_SQL_KEYWORDS(LIN_KW_DEF)
#undef LIN_KW_DEF
};

/* Keyword lookup is on the tokenizer's hot path: an open-addressing table of the keywords,
 * built once per process, hashed on the lower-cased word. */
#define KW_SLOTS 1024u
static uint16_t kw_slots[KW_SLOTS];
static uint8_t kw_len[K_COUNT_];
/* per length, the first letters (bit c - 'a') that some keyword of that length starts with:
 * most identifiers are rejected before they are hashed */
static uint32_t kw_first[18];
static pthread_once_t kw_once = PTHREAD_ONCE_INIT;

static uint32_t kw_hash(const unsigned char *w, size_t len)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < len; i++)
		h = (h ^ w[i]) * 16777619u;
	return h;
}

static void kw_build(void)
{
	for (int k = 1; k < K_COUNT_; k++) {
		size_t len = strlen(keywords[k].name);
		uint32_t h = kw_hash((const unsigned char *)keywords[k].name, len) & (KW_SLOTS - 1);
		while (kw_slots[h])
			h = (h + 1) & (KW_SLOTS - 1);
		kw_slots[h] = (uint16_t)k;
		kw_len[k] = (uint8_t)len;
		if (len < sizeof kw_first / sizeof kw_first[0])
			kw_first[len] |= 1u << (keywords[k].name[0] - 'a');
	}
}

void lin_sql_keywords_init(void)
{
	pthread_once(&kw_once, kw_build);
}

int lin_sql_keyword(const char *word, size_t len)
{
	unsigned char buf[24];
	unsigned first = (unsigned)(word[0] | 32) - 'a';
	/* no keyword is longer than 17 bytes or starts with a digit, '_', '$' or a byte >= 0x80 */
	if (len == 0 || len > 17 || first > 'z' - 'a')
		return K_NONE;
	if (!(kw_first[len] & (1u << first)))
		return K_NONE;
	uint32_t h = 2166136261u; /* kw_hash, fused with the lower-casing */
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)word[i];
		buf[i] = (unsigned char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
		h = (h ^ buf[i]) * 16777619u;
	}
	h &= KW_SLOTS - 1;
	while (kw_slots[h]) {
		int k = kw_slots[h];
		if (kw_len[k] == len && !memcmp(keywords[k].name, buf, len))
			return k;
		h = (h + 1) & (KW_SLOTS - 1);
	}
	return K_NONE;
}

unsigned lin_sql_keyword_flags(int kw)
{
	return kw > 0 && kw < K_COUNT_ ? keywords[kw].flags : 0;
}

const char *lin_sql_keyword_name(int kw)
{
	return kw > 0 && kw < K_COUNT_ ? keywords[kw].name : "";
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int lin_sql_is_aggregate(const char *name)
{
	/* sorted */
	static const char *const aggs[] = {
		"any_value",      "approx_count_distinct", "approx_distinct", "array_agg",
		"avg",            "bit_and",               "bit_or",          "bool_and",
		"bool_or",        "collect_list",          "collect_set",     "count",
		"count_if",       "countif",               "every",           "group_concat",
		"json_agg",       "jsonb_agg",             "listagg",         "logical_and",
		"logical_or",     "max",                   "max_by",          "median",
		"min",            "min_by",                "mode",            "object_agg",
		"percentile_cont", "percentile_disc",      "stddev",          "stddev_pop",
		"stddev_samp",    "string_agg",            "sum",             "var_pop",
		"var_samp",       "variance"};
	return bsearch(&name, aggs, sizeof aggs / sizeof aggs[0], sizeof aggs[0], cmp_str) != NULL;
}
