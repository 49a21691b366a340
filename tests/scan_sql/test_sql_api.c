/* Tests of the public SQL scanner API (include/lineage/scan.h) and its internals. */
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "scan/sql/sql_internal.h"

static lineage_sql_result *analyze(const char *sql, const char *dialect)
{
	lineage_sql_options o;
	lineage_sql_result *r = NULL;
	TU_OK(lineage_sql_options_init(&o, LINEAGE_SQL_OPTIONS_VERSION));
	o.dialect = dialect;
	TU_OK(lineage_sql_analyze(&r, sql, strlen(sql), &o));
	return r;
}

static const lineage_sql_table *find_table(const lineage_sql_result *r, const char *name)
{
	for (size_t i = 0; i < lineage_sql_result_table_count(r); i++)
		if (!strcmp(lineage_sql_result_table(r, i)->name, name))
			return lineage_sql_result_table(r, i);
	return NULL;
}

START_TEST(options_and_errors)
{
	lineage_sql_options o;
	lineage_sql_result *r = (lineage_sql_result *)0x1;
	TU_FAILS(LINEAGE_EINVALID, lineage_sql_options_init(NULL, LINEAGE_SQL_OPTIONS_VERSION));
	TU_FAILS(LINEAGE_EINVALID, lineage_sql_options_init(&o, 99));
	TU_OK(lineage_sql_options_init(&o, LINEAGE_SQL_OPTIONS_VERSION));
	ck_assert_ptr_null(o.dialect);
	ck_assert_int_eq(o.max_depth, 0);
	TU_FAILS(LINEAGE_EINVALID, lineage_sql_analyze(NULL, "select 1", 8, NULL));
	TU_FAILS(LINEAGE_EINVALID, lineage_sql_analyze(&r, NULL, 3, NULL));
	o.dialect = "cobol";
	TU_FAILS(LINEAGE_EINVALID, lineage_sql_analyze(&r, "select 1", 8, &o));
	ck_assert_ptr_nonnull(strstr(lineage_error_last()->message, "cobol"));
	ck_assert_ptr_nonnull(strstr(lineage_error_last()->message, "snowflake"));
	ck_assert_ptr_eq(r, (lineage_sql_result *)0x1); /* untouched on error */
	o.dialect = "postgres";
	o.schema_json = "[1, 2]";
	TU_FAILS(LINEAGE_EINVALID, lineage_sql_analyze(&r, "select 1", 8, &o));
	o.schema_json = "{\"t\": \"a\"}";
	TU_FAILS(LINEAGE_EINVALID, lineage_sql_analyze(&r, "select 1", 8, &o));
	o.schema_json = "{\"t\": [1]}";
	TU_FAILS(LINEAGE_EINVALID, lineage_sql_analyze(&r, "select 1", 8, &o));
	o.schema_json = "{not json";
	TU_FAILS(LINEAGE_EINVALID, lineage_sql_analyze(&r, "select 1", 8, &o));
	o.schema_json = NULL;
	o.version = 7;
	TU_FAILS(LINEAGE_EINVALID, lineage_sql_analyze(&r, "select 1", 8, &o));
	/* NULL sql with length 0 is an empty script; NULL options mean ansi */
	TU_OK(lineage_sql_analyze(&r, NULL, 0, NULL));
	ck_assert_uint_eq(lineage_sql_result_statement_count(r), 0);
	lineage_sql_result_free(r);
	lineage_sql_result_free(NULL);
	char *json = NULL;
	TU_FAILS(LINEAGE_EINVALID, lineage_sql_result_to_json(&json, NULL, 0));
	TU_FAILS(LINEAGE_EINVALID, lineage_sql_result_to_json(NULL, (lineage_sql_result *)0x1, 0));
	ck_assert_uint_eq(lineage_sql_result_table_count(NULL), 0);
	ck_assert_ptr_null(lineage_sql_result_table(NULL, 0));
	ck_assert_ptr_null(lineage_sql_result_column_edge(NULL, 0));
	ck_assert_ptr_null(lineage_sql_result_table_edge(NULL, 0));
	ck_assert_ptr_null(lineage_sql_result_diagnostic(NULL, 0));
}
END_TEST

START_TEST(dialect_names)
{
	const char *const *names = lineage_sql_dialects();
	const char *want[] = {"ansi", "postgres", "snowflake", "bigquery", "sparksql", "databricks",
			      "hive", "mysql", "mariadb", "tsql", "redshift", "oracle", "duckdb",
			      "trino", "athena", "teradata"};
	size_t n = 0;
	while (names[n])
		n++;
	ck_assert_uint_ge(n, 16);
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		int found = 0;
		for (size_t k = 0; k < n; k++)
			found |= !strcmp(names[k], want[i]);
		ck_assert_msg(found, "dialect %s missing", want[i]);
		lineage_sql_result_free(analyze("select 1", want[i]));
	}
	/* every listed name is accepted, and case does not matter */
	for (size_t k = 0; k < n; k++)
		lineage_sql_result_free(analyze("select 1", names[k]));
	lineage_sql_result_free(analyze("select 1", "Snowflake"));
	/* names users pass for engines that speak a listed dialect */
	const char *engines[] = {"greenplum", "materialize", "vertica", "db2", "exasol", "impala",
				 "presto", "spark2", "mssql", "postgresql"};
	for (size_t i = 0; i < sizeof engines / sizeof engines[0]; i++)
		lineage_sql_result_free(analyze("select 1", engines[i]));
}
END_TEST

START_TEST(renames_listed_and_dbt_catalog_schema)
{
	lineage_sql_options o;
	lineage_sql_result *r = analyze("CREATE TABLE s AS SELECT a FROM src;\n"
					"ALTER TABLE s RENAME TO t;\n"
					"INSERT INTO u SELECT * FROM t;", "ansi");
	char *json;
	TU_OK(lineage_sql_result_to_json(&json, r, 0));
	/* no data moves: the statement says what was renamed; t keeps s's columns */
	ck_assert_msg(strstr(json, "\"renamed\":[[\"s\",\"t\"]]"), "%s", json);
	ck_assert_msg(!strstr(json, "[\"s.a\",\"t.a\"]"), "%s", json);
	ck_assert_msg(strstr(json, "[\"t.a\",\"u.a\"]"), "%s", json);
	lineage_free(json);
	lineage_sql_result_free(r);
	/* a dbt catalog.json is a schema too; upper-case column names fold */
	TU_OK(lineage_sql_options_init(&o, LINEAGE_SQL_OPTIONS_VERSION));
	o.dialect = "snowflake";
	o.schema_json = "{\"metadata\": {}, \"nodes\": {\"model.p.orders\": {\"metadata\": "
			"{\"database\": \"DB\", \"schema\": \"RAW\", \"name\": \"ORDERS\"}, "
			"\"columns\": {\"ID\": {}, \"AMOUNT\": {}}}}, \"sources\": {}}";
	const char *sql = "CREATE TABLE out AS SELECT * FROM raw.orders;";
	TU_OK(lineage_sql_analyze(&r, sql, strlen(sql), &o));
	TU_OK(lineage_sql_result_to_json(&json, r, 0));
	ck_assert_msg(strstr(json, "[\"raw.orders.amount\",\"out.amount\"]"), "%s", json);
	lineage_free(json);
	lineage_sql_result_free(r);
	o.schema_json = "[1, 2]";
	ck_assert_int_eq(lineage_sql_analyze(&r, sql, strlen(sql), &o), LINEAGE_EINVALID);
}
END_TEST

START_TEST(accessors_roles_and_edges)
{
	lineage_sql_result *r = analyze("CREATE TEMP TABLE tmp AS SELECT a, b FROM src WHERE c > 1;\n"
					"INSERT INTO out SELECT a + b AS s FROM tmp;\n"
					"INSERT INTO src SELECT 1;\n",
					"postgres");
	const lineage_sql_table *src = find_table(r, "src"), *tmp = find_table(r, "tmp"),
				*out = find_table(r, "out");
	ck_assert_ptr_nonnull(src);
	ck_assert_ptr_nonnull(tmp);
	ck_assert_ptr_nonnull(out);
	ck_assert_uint_eq(src->roles, LINEAGE_SQL_SOURCE | LINEAGE_SQL_TARGET);
	ck_assert_uint_eq(tmp->roles, LINEAGE_SQL_INTERMEDIATE);
	ck_assert_int_eq(tmp->temporary, 1);
	ck_assert_uint_eq(out->roles, LINEAGE_SQL_TARGET);
	ck_assert_uint_eq(out->statement, 1);
	ck_assert_uint_eq(out->line, 2);
	ck_assert_uint_eq(lineage_sql_result_statement_count(r), 3);
	int seen_value = 0, seen_indirect = 0;
	for (size_t i = 0; i < lineage_sql_result_column_edge_count(r); i++) {
		const lineage_sql_edge *e = lineage_sql_result_column_edge(r, i);
		if (!strcmp(e->source, "tmp.b") && !strcmp(e->target, "out.s")) {
			seen_value = 1;
			ck_assert_str_eq(e->kind, "transform");
			ck_assert_str_eq(e->source_table, "tmp");
			ck_assert_str_eq(e->target_table, "out");
			ck_assert_uint_eq(e->statement, 1);
			ck_assert_uint_eq(e->line, 2);
			ck_assert_uint_eq(e->column, 24);
		}
		if (!strcmp(e->kind, "indirect")) {
			seen_indirect = 1;
			ck_assert_str_eq(e->source, "src.c");
			ck_assert_str_eq(e->target, "tmp");
		}
	}
	ck_assert(seen_value && seen_indirect);
	ck_assert_ptr_null(lineage_sql_result_column_edge(r, 1000));
	ck_assert_uint_eq(lineage_sql_result_table_edge_count(r), 2);
	const lineage_sql_edge *te = lineage_sql_result_table_edge(r, 0);
	ck_assert_str_eq(te->source, "src");
	ck_assert_str_eq(te->target, "tmp");
	ck_assert_str_eq(te->kind, "table");
	ck_assert_uint_eq(lineage_sql_result_diagnostic_count(r), 0);
	lineage_sql_result_free(r);
}
END_TEST

START_TEST(json_contract_keys)
{
	lineage_sql_options o;
	lineage_sql_result *r = NULL;
	char *json = NULL;
	const char *sql = "INSERT INTO t SELECT a FROM s;\nBROKEN STATEMENT;\n";
	TU_OK(lineage_sql_options_init(&o, LINEAGE_SQL_OPTIONS_VERSION));
	o.file = "etl/load.sql";
	TU_OK(lineage_sql_analyze(&r, sql, strlen(sql), &o));
	TU_OK(lineage_sql_result_to_json(&json, r, 0));
	static const char *const keys[] = {"\"sources\":[\"s\"]", "\"targets\":[\"t\"]",
					   "\"intermediates\":[]",
					   "\"column_lineage\":[[\"s.a\",\"t.a\"]]", "\"diagnostics\":[",
					   "\"file\":\"etl/load.sql\"", "\"statement\":1",
					   "\"severity\":\"error\"", "\"line\":2"};
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
		ck_assert_msg(strstr(json, keys[i]), "%s not in %s", keys[i], json);
	const lineage_sql_diagnostic *d = lineage_sql_result_diagnostic(r, 0);
	ck_assert_ptr_nonnull(d);
	ck_assert_str_eq(d->file, "etl/load.sql");
	ck_assert_int_eq(d->severity, LINEAGE_SQL_ERROR);
	ck_assert_uint_eq(d->statement, 1);
	ck_assert_uint_eq(d->line, 2);
	ck_assert_uint_eq(d->column, 1);
	lineage_free(json);
	TU_OK(lineage_sql_result_to_json(&json, r, 1));
	ck_assert_ptr_nonnull(strstr(json, "\n  \"sources\""));
	lineage_free(json);
	lineage_sql_result_free(r);
}
END_TEST

static int columns_cb(const char *table, const char ***out, size_t *n, void *payload)
{
	static const char *cols[] = {"id", "name"};
	int *calls = payload;
	(*calls)++;
	if (!strcmp(table, "fail"))
		return LINEAGE_EIO;
	if (strcmp(table, "users"))
		return LINEAGE_ENOTFOUND;
	*out = cols;
	*n = 2;
	return 0;
}

START_TEST(schema_callback)
{
	lineage_sql_options o;
	lineage_sql_result *r = NULL;
	int calls = 0;
	const char *sql = "CREATE TABLE u2 AS SELECT * FROM users JOIN other ON other.k = users.id;"
			  "CREATE TABLE u3 AS SELECT * FROM users;";
	TU_OK(lineage_sql_options_init(&o, LINEAGE_SQL_OPTIONS_VERSION));
	o.columns = columns_cb;
	o.columns_payload = &calls;
	TU_OK(lineage_sql_analyze(&r, sql, strlen(sql), &o));
	ck_assert_int_eq(calls, 2); /* once per table: users, other */
	char *json;
	TU_OK(lineage_sql_result_to_json(&json, r, 0));
	ck_assert_ptr_nonnull(strstr(json, "[\"users.name\",\"u2.name\"]"));
	ck_assert_ptr_nonnull(strstr(json, "[\"other.*\",\"u2.*\"]"));
	ck_assert_ptr_nonnull(strstr(json, "[\"users.id\",\"u3.id\"]"));
	lineage_free(json);
	lineage_sql_result_free(r);
	/* an error from the callback stops the analysis with its code */
	r = NULL;
	sql = "CREATE TABLE x AS SELECT * FROM fail;";
	TU_FAILS(LINEAGE_EIO, lineage_sql_analyze(&r, sql, strlen(sql), &o));
	ck_assert_ptr_null(r);
}
END_TEST

START_TEST(schema_json_and_defaults)
{
	lineage_sql_options o;
	lineage_sql_result *r = NULL;
	const char *sql = "INSERT INTO mart.t SELECT name FROM users u JOIN orders o ON o.uid = u.id;"
			  "INSERT INTO final SELECT * FROM mart.t;";
	TU_OK(lineage_sql_options_init(&o, LINEAGE_SQL_OPTIONS_VERSION));
	o.dialect = "snowflake";
	o.schema_json = "{\"USERS\": [\"id\", \"name\"], \"orders\": [\"oid\", \"uid\"],"
			" \"mart.t\": [\"customer\"]}";
	o.default_schema = "mart";
	TU_OK(lineage_sql_analyze(&r, sql, strlen(sql), &o));
	char *json;
	TU_OK(lineage_sql_result_to_json(&json, r, 0));
	/* "name" is only in users; INSERT without columns maps by position to mart.t */
	ck_assert_msg(strstr(json, "[\"users.name\",\"mart.t.customer\"]"), "%s", json);
	ck_assert_msg(strstr(json, "[\"mart.t.customer\",\"final.customer\"]"), "%s", json);
	ck_assert_msg(strstr(json, "\"intermediates\":[\"mart.t\"]"), "%s", json);
	ck_assert_uint_eq(lineage_sql_result_diagnostic_count(r), 0);
	lineage_free(json);
	lineage_sql_result_free(r);
}
END_TEST

START_TEST(limits)
{
	lineage_sql_options o;
	lineage_sql_result *r = NULL;
	size_t n = 200000;
	char *sql = malloc(2 * n + 64);
	TU_OK(lineage_sql_options_init(&o, LINEAGE_SQL_OPTIONS_VERSION));
	/* 100,000 nested parentheses: a diagnostic, never a stack overflow */
	strcpy(sql, "SELECT ");
	memset(sql + 7, '(', n / 2);
	memset(sql + 7 + n / 2, ')', n / 2);
	strcpy(sql + 7 + n, "; INSERT INTO t SELECT a FROM s");
	TU_OK(lineage_sql_analyze(&r, sql, strlen(sql), &o));
	ck_assert_uint_eq(lineage_sql_result_diagnostic_count(r), 1);
	ck_assert_ptr_nonnull(strstr(lineage_sql_result_diagnostic(r, 0)->reason, "nested too deep"));
	ck_assert_uint_eq(lineage_sql_result_column_edge_count(r), 1);
	lineage_sql_result_free(r);
	/* a lower depth limit */
	o.max_depth = 10;
	const char *deep = "INSERT INTO t SELECT ((((((((((((a)))))))))))) FROM s";
	TU_OK(lineage_sql_analyze(&r, deep, strlen(deep), &o));
	ck_assert_uint_eq(lineage_sql_result_diagnostic_count(r), 1);
	lineage_sql_result_free(r);
	/* statements over max_statement_size are skipped, the next ones read */
	o.max_depth = 0;
	o.max_statement_size = 40;
	const char *two = "INSERT INTO big SELECT aaaaaaaaaa, bbbbbbbbbb, cccccccccc FROM s;"
			  "INSERT INTO t SELECT a FROM s";
	TU_OK(lineage_sql_analyze(&r, two, strlen(two), &o));
	ck_assert_uint_eq(lineage_sql_result_diagnostic_count(r), 1);
	ck_assert_ptr_nonnull(strstr(lineage_sql_result_diagnostic(r, 0)->reason,
				     "max_statement_size"));
	ck_assert_ptr_null(find_table(r, "big"));
	ck_assert_ptr_nonnull(find_table(r, "t"));
	lineage_sql_result_free(r);
	free(sql);
}
END_TEST

START_TEST(keyword_table_sorted)
{
	for (int k = 2; k < K_COUNT_; k++)
		ck_assert_msg(strcmp(lin_sql_keyword_name(k - 1), lin_sql_keyword_name(k)) < 0,
			      "keywords out of order: %s, %s", lin_sql_keyword_name(k - 1),
			      lin_sql_keyword_name(k));
	lin_sql_keywords_init();
	for (int k = 1; k < K_COUNT_; k++) {
		const char *w = lin_sql_keyword_name(k);
		ck_assert_int_eq(lin_sql_keyword(w, strlen(w)), k);
	}
	ck_assert_int_eq(lin_sql_keyword("SeLeCt", 6), K_select);
	ck_assert_int_eq(lin_sql_keyword("selects", 7), K_NONE);
	ck_assert(lin_sql_is_aggregate("count"));
	ck_assert(lin_sql_is_aggregate("variance"));
	ck_assert(!lin_sql_is_aggregate("upper"));
}
END_TEST

START_TEST(lexer_tokens)
{
	sql_lexer lx;
	sql_tokvec tv = {0};
	const char *sql = "select $tag$ ; $tag$, 'a''b', x::int -- c\n; [b] go";
	lin_sql_lexer_init(&lx, sql, strlen(sql), DF_DOLLAR | DF_DOLLAR_TAG);
	ck_assert_int_eq(lin_sql_lex_statement(&lx, &tv), 1);
	ck_assert_uint_eq(tv.n, 8); /* select, $tag$..$tag$, ',', 'a''b', ',', x, ::, int */
	ck_assert_int_eq(tv.v[1].type, T_STRING);
	ck_assert_int_eq(tv.v[6].op, OP2(':', ':'));
	ck_assert_int_eq(lin_sql_lex_statement(&lx, &tv), 1);
	ck_assert_uint_eq(tv.n, 4); /* [ b ] go */
	ck_assert_int_eq(lin_sql_lex_statement(&lx, &tv), 0);
	/* T-SQL: brackets quote, GO ends a batch */
	sql = "select [a b]\n  GO  \nselect 2";
	lin_sql_lexer_init(&lx, sql, strlen(sql), DF_BRACKET_ID | DF_GO);
	ck_assert_int_eq(lin_sql_lex_statement(&lx, &tv), 1);
	ck_assert_uint_eq(tv.n, 2);
	ck_assert_int_eq(tv.v[1].type, T_QIDENT);
	ck_assert_int_eq(lin_sql_lex_statement(&lx, &tv), 1);
	ck_assert_uint_eq(tv.n, 2);
	ck_assert_uint_eq(tv.v[0].line, 3);
	lin_sql_tokvec_free(&tv);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("scan_sql_api");
	TCase *tc = tcase_create("api");
	tcase_add_test(tc, options_and_errors);
	tcase_add_test(tc, dialect_names);
	tcase_add_test(tc, renames_listed_and_dbt_catalog_schema);
	tcase_add_test(tc, accessors_roles_and_edges);
	tcase_add_test(tc, json_contract_keys);
	tcase_add_test(tc, schema_callback);
	tcase_add_test(tc, schema_json_and_defaults);
	tcase_add_test(tc, limits);
	tcase_add_test(tc, keyword_table_sorted);
	tcase_add_test(tc, lexer_tokens);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
