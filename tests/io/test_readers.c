/* Tests of the streaming readers (CSV, JSON, JSON Lines, GraphML) and of the validation
 * messages, without a database. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"
#include "common/strbuf.h"
#include "io/reader.h"
#include "io/report.h"
#include "io/validate.h"

static const lin_limits limits = {16u << 20, 64u << 20, LIN_MAX_DEPTH};

/* Every record as "row|name=value|...;" (values of JSON fields in <>). */
static int dump(char **out, const char *data, size_t len, lineage_format format,
		lineage_record_type type, const lin_limits *lim)
{
	lin_src src;
	lin_reader *r = NULL;
	const lin_raw *raw;
	lin_strbuf sb = LIN_STRBUF_INIT;
	int rc;
	lin_src_open_mem(&src, data, len);
	if ((rc = lin_reader_open(&r, &src, format, type, lim ? lim : &limits, NULL)) != 0)
		return rc;
	lin_strbuf_puts(&sb, "");
	while ((rc = lin_reader_next(r, &raw)) == 0) {
		lin_strbuf_printf(&sb, "%llu", (unsigned long long)raw->row);
		if (raw->problem)
			lin_strbuf_puts(&sb, "|PROBLEM");
		for (size_t i = 0; i < raw->nfields; i++)
			lin_strbuf_printf(&sb, raw->fields[i].json ? "|%s=<%s>" : "|%s=%s",
					  raw->fields[i].name,
					  raw->fields[i].value ? raw->fields[i].value : "(null)");
		lin_strbuf_puts(&sb, ";");
	}
	lin_reader_free(r);
	if (rc != LINEAGE_ITEROVER) {
		lin_strbuf_free(&sb);
		return rc;
	}
	*out = lin_strbuf_detach(&sb);
	return 0;
}

/* Read and validate (pass 1 of an import); the report has the errors and warnings. */
static int check(lineage_import_report **rep, const char *data, lineage_format format,
		 lineage_record_type type, uint64_t *invalid)
{
	lin_src src;
	lin_reader *r = NULL;
	const lin_raw *raw;
	lin_vctx v;
	lin_row row;
	int rc;
	*invalid = 0;
	ck_assert_int_eq(lin_report_new(rep, "test", 1000, 1000), 0);
	lin_src_open_mem(&src, data, strlen(data));
	if ((rc = lin_reader_open(&r, &src, format, type, &limits, NULL)) != 0)
		return rc;
	lin_vctx_init(&v, NULL, *rep);
	while ((rc = lin_reader_next(r, &raw)) == 0) {
		int vr = lin_validate(&v, raw, &row);
		ck_assert_int_ge(vr, 0);
		*invalid += vr > 0;
		(*rep)->sum.rows++;
	}
	lin_vctx_free(&v);
	lin_reader_free(r);
	return rc == LINEAGE_ITEROVER ? 0 : rc;
}

static const char *first_error(const lineage_import_report *rep)
{
	const lineage_import_issue *is = lineage_import_report_error(rep, 0);
	return is ? is->message : "(no error)";
}

START_TEST(csv_rfc4180)
{
	const char data[] = "\xEF\xBB\xBFsource,target,description\r\n"
			    "a,b,\"plain, with comma\"\r\n"
			    "c,d,\"two\r\nlines and \"\"quotes\"\"\"\r\n"
			    "e,f,\n";
	char *out = NULL;
	TU_OK(dump(&out, data, sizeof data - 1, LINEAGE_FORMAT_CSV, LINEAGE_RECORDS_AUTO, NULL));
	ck_assert_str_eq(out, "2|source=a|target=b|description=plain, with comma;"
			      "3|source=c|target=d|description=two\r\nlines and \"quotes\";"
			      "5|source=e|target=f|description=;");
	free(out);
}
END_TEST

START_TEST(csv_delimiters_and_line_ends)
{
	static const char *const inputs[] = {"source;target\na;b\r\nc;d\re;f",
					     "source\ttarget\na\tb\r\nc\td\re\tf\n",
					     "source|target\r\na|b\nc|d\re|f\r\n"};
	for (size_t i = 0; i < 3; i++) {
		char *out = NULL;
		TU_OK(dump(&out, inputs[i], strlen(inputs[i]), LINEAGE_FORMAT_CSV,
			   LINEAGE_RECORDS_AUTO, NULL));
		ck_assert_str_eq(out, "2|source=a|target=b;3|source=c|target=d;4|source=e|target=f;");
		free(out);
	}
}
END_TEST

START_TEST(csv_blank_lines_and_trailing_cells)
{
	const char data[] = "key,kind\n\na,table,,\n,\nb,view\n";
	char *out = NULL;
	TU_OK(dump(&out, data, sizeof data - 1, LINEAGE_FORMAT_CSV, LINEAGE_RECORDS_AUTO, NULL));
	ck_assert_str_eq(out, "3|key=a|kind=table;5|key=b|kind=view;");
	free(out);
}
END_TEST

START_TEST(csv_bad_files)
{
	char *out = NULL;
	const char *msg;
	TU_FAILS(LINEAGE_EPARSE, dump(&out, "", 0, LINEAGE_FORMAT_CSV, 0, NULL));
	ck_assert_ptr_nonnull(strstr(lineage_error_last()->message, "empty"));
	TU_FAILS(LINEAGE_EPARSE, dump(&out, "source,target,source\na,b,c\n", 26, LINEAGE_FORMAT_CSV, 0, NULL));
	ck_assert_ptr_nonnull(strstr(lineage_error_last()->message, "appears twice"));
	TU_FAILS(LINEAGE_EPARSE, dump(&out, "sorce,target\na,b\n", 17, LINEAGE_FORMAT_CSV, 0, NULL));
	msg = lineage_error_last()->message;
	ck_assert_msg(strstr(msg, "\"sorce\" is not a known column") && strstr(msg, "Did you mean \"source\"?") &&
		      strstr(msg, "Lineage columns are: source, target"), "%s", msg);
	TU_FAILS(LINEAGE_EPARSE, dump(&out, "source,target\na,\"b\nc,d\n", 23, LINEAGE_FORMAT_CSV, 0, NULL));
	msg = lineage_error_last()->message;
	ck_assert_msg(strstr(msg, "Row 2, column \"target\": the quote opened here is never closed"), "%s", msg);
	TU_FAILS(LINEAGE_EPARSE, dump(&out, "[{\"source\": \"a\"}]", 18, LINEAGE_FORMAT_CSV, 0, NULL));
	ck_assert_ptr_nonnull(strstr(lineage_error_last()->message, "looks like JSON"));
	TU_FAILS(LINEAGE_EPARSE, dump(&out, "<?xml version=\"1.0\"?><graphml/>", 31, LINEAGE_FORMAT_CSV, 0, NULL));
	ck_assert_ptr_nonnull(strstr(lineage_error_last()->message, "GraphML"));
	TU_FAILS(LINEAGE_EPARSE, dump(&out, "key,source\na,b\n", 15, LINEAGE_FORMAT_CSV, 0, NULL));
	ck_assert_ptr_nonnull(strstr(lineage_error_last()->message, "one record type"));
	TU_FAILS(LINEAGE_EPARSE, dump(&out, "owner,kind\na,b\n", 15, LINEAGE_FORMAT_CSV, 0, NULL));
	ck_assert_ptr_nonnull(strstr(lineage_error_last()->message, "cannot be told"));
	TU_FAILS(LINEAGE_EPARSE, dump(&out, "source,owner\na,b\n", 17, LINEAGE_FORMAT_CSV, 0, NULL));
	ck_assert_ptr_nonnull(strstr(lineage_error_last()->message, "not a column of lineage files"));
	TU_FAILS(LINEAGE_EPARSE, dump(&out, "source,target\na,b\0c\n", 20, LINEAGE_FORMAT_CSV, 0, NULL));
	ck_assert_ptr_nonnull(strstr(lineage_error_last()->message, "NUL byte"));
	TU_FAILS(LINEAGE_EPARSE, dump(&out, "\xFF\xFEs\0", 4, LINEAGE_FORMAT_CSV, 0, NULL));
	ck_assert_ptr_nonnull(strstr(lineage_error_last()->message, "UTF-16"));
}
END_TEST

START_TEST(csv_long_line_is_an_error_not_oom)
{
	/* A line of 20 MB without a delimiter stops at the 16 MiB field limit. */
	size_t n = 20u << 20;
	char *data = malloc(n + 32), *out = NULL;
	lin_limits small = {1000, 4000, 64};
	memcpy(data, "source,target\n", 14);
	memset(data + 14, 'x', n);
	TU_FAILS(LINEAGE_ELIMIT, dump(&out, data, n + 14, LINEAGE_FORMAT_CSV, 0, NULL));
	ck_assert_ptr_nonnull(strstr(lineage_error_last()->message, "Row 2, column \"source\": a value is longer than 16777216 bytes"));
	/* The record limit applies across fields. */
	for (size_t i = 14; i < 14 + 5000; i += 10)
		data[i] = ',';
	TU_FAILS(LINEAGE_ELIMIT, dump(&out, data, 14 + 5000, LINEAGE_FORMAT_CSV, 0, &small));
	ck_assert_ptr_nonnull(strstr(lineage_error_last()->message, "Row 2 is longer than 4000 bytes"));
	free(data);
}
END_TEST

START_TEST(csv_row_problems)
{
	lineage_import_report *rep = NULL;
	uint64_t invalid;
	TU_OK(check(&rep, "source,target,confidence\n"
			  "a,b\n"
			  "a,b,0.5,extra\n"
			  "a,\"b\"x,1\n"
			  "a,b,high\n"
			  "a,b,80\n"
			  "a,b,0.8\n",
		    LINEAGE_FORMAT_CSV, 0, &invalid));
	ck_assert_uint_eq(invalid, 5);
	ck_assert_uint_eq(lineage_import_report_error_count(rep), 5);
	ck_assert_str_eq(lineage_import_report_error(rep, 0)->message,
			 "Row 2 has 2 values but the header has 3 columns. Check for a missing or extra delimiter (\",\"), or quote values that contain one.");
	ck_assert_ptr_nonnull(strstr(lineage_import_report_error(rep, 2)->message, "Row 4, column \"target\": there is text after a closing quote"));
	ck_assert_str_eq(lineage_import_report_error(rep, 3)->message,
			 "Row 5, column \"confidence\": \"high\" is not a number. Use a number from 0 to 1, such as 0.8.");
	ck_assert_uint_eq(lineage_import_report_error(rep, 3)->row, 5);
	ck_assert_str_eq(lineage_import_report_error(rep, 3)->column, "confidence");
	ck_assert_str_eq(lineage_import_report_error(rep, 3)->value, "high");
	ck_assert_ptr_nonnull(strstr(lineage_import_report_error(rep, 4)->message, "Row 6, column \"confidence\": 80 is outside 0 to 1"));
	lineage_import_report_free(rep);
}
END_TEST

START_TEST(schema_messages)
{
	lineage_import_report *rep = NULL;
	uint64_t invalid;
	char big[70000];
	lin_strbuf sb = LIN_STRBUF_INIT;
	memset(big, 'd', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	lin_strbuf_puts(&sb, "source,target,lineage_source,kind,description\n");
	lin_strbuf_puts(&sb, ",b,,,\n");                 /* 2: source missing */
	lin_strbuf_puts(&sb, "a,a,,,\n");                /* 3: self-loop */
	lin_strbuf_puts(&sb, "a,a,,update,\n");          /* 4: fine */
	lin_strbuf_puts(&sb, "a,b,maybe,,\n");           /* 5: lineage source */
	lin_strbuf_puts(&sb, "\"a \",b,,,\n");           /* 6: white space in key */
	lin_strbuf_puts(&sb, "a,b\xff,,,\n");            /* 7: not UTF-8 */
	lin_strbuf_printf(&sb, "a,c,,,%s\n", big);       /* 8: too long */
	lin_strbuf_puts(&sb, "x,y,inferred,flow,one\n"); /* 9: fine */
	lin_strbuf_puts(&sb, "x,y,inferred,,one\n");     /* 10: the same again: a warning */
	lin_strbuf_puts(&sb, "x,y,manual,,two\n");       /* 11: conflicting */
	TU_OK(check(&rep, sb.data, LINEAGE_FORMAT_CSV, 0, &invalid));
	ck_assert_uint_eq(invalid, 7);
	ck_assert_str_eq(first_error(rep), "Row 2, column \"source\": the value is missing. Give an asset key, such as \"warehouse.sales.orders\".");
	ck_assert_ptr_nonnull(strstr(lineage_import_report_error(rep, 1)->message, "Row 3, column \"target\": the source and the target are the same asset (\"a\")"));
	ck_assert_str_eq(lineage_import_report_error(rep, 2)->message, "Row 5, column \"lineage_source\": \"maybe\" is not a lineage source. Use inferred, manual or approved (or leave it empty for manual).");
	ck_assert_ptr_nonnull(strstr(lineage_import_report_error(rep, 3)->message, "Row 6, column \"source\": the key \"a \" starts or ends with white space"));
	ck_assert_ptr_nonnull(strstr(lineage_import_report_error(rep, 4)->message, "Row 7, column \"target\": the key is not valid UTF-8"));
	ck_assert_str_eq(lineage_import_report_error(rep, 4)->value, "b?");
	ck_assert_ptr_nonnull(strstr(lineage_import_report_error(rep, 5)->message, "Row 8, column \"description\": the value is 69999 bytes long; at most 65536"));
	ck_assert_str_eq(lineage_import_report_error(rep, 6)->message, "Row 11: the flow edge from \"x\" to \"y\" is also on row 9, with different values. Keep one of the two rows, or merge them into one.");
	ck_assert_uint_eq(lineage_import_report_warning_count(rep), 1);
	ck_assert_str_eq(lineage_import_report_warning(rep, 0)->message, "Row 10: this row repeats row 9 (the flow edge from \"x\" to \"y\"); it is imported once.");
	lineage_import_report_free(rep);
	lin_strbuf_free(&sb);
}
END_TEST

START_TEST(assets_fields)
{
	lin_src src;
	lin_reader *r = NULL;
	const lin_raw *raw;
	lin_vctx v;
	lin_row row;
	lineage_import_report *rep = NULL;
	const char data[] = "key,kind,tags,prop.rows,properties,error\n"
			    "w.s.orders,table, finance ; pii;;,12,\"{\"\"team\"\": \"\"sales\"\"}\",old message\n";
	lin_src_open_mem(&src, data, sizeof data - 1);
	TU_OK(lin_report_new(&rep, "t", 10, 10));
	TU_OK(lin_reader_open(&r, &src, LINEAGE_FORMAT_CSV, 0, &limits, NULL));
	ck_assert_int_eq(r->type, LINEAGE_RECORDS_ASSETS);
	lin_vctx_init(&v, NULL, rep);
	TU_OK(lin_reader_next(r, &raw));
	ck_assert_int_eq(lin_validate(&v, raw, &row), 0);
	ck_assert_str_eq(row.v[LIN_COL_KEY], "w.s.orders");
	ck_assert_int_eq(row.tags_set, 1);
	ck_assert_uint_eq(row.tag_count, 2);
	ck_assert_str_eq(row.tags[0], "finance");
	ck_assert_str_eq(row.tags[1], "pii");
	ck_assert_str_eq(row.properties, "{\"rows\":\"12\",\"team\":\"sales\"}");
	TU_FAILS(LINEAGE_ITEROVER, lin_reader_next(r, &raw));
	lin_vctx_free(&v);
	lin_reader_free(r);
	lineage_import_report_free(rep);
}
END_TEST

START_TEST(json_array)
{
	const char data[] = "\xEF\xBB\xBF [\n {\"source\": \"a\", \"target\": \"b\", \"confidence\": 0.5,\n"
			    "  \"properties\": {\"x\": [1, {\"y\": \"]\"}]}},\n"
			    " {\"key\": \"k\", \"kind\": \"table\", \"tags\": [\"t1\", \"t2\"], \"owner\": null}\n]\n";
	char *out = NULL;
	TU_OK(dump(&out, data, sizeof data - 1, LINEAGE_FORMAT_JSON, 0, NULL));
	ck_assert_str_eq(out, "1|source=a|target=b|confidence=<0.5>|properties=<{\"x\":[1,{\"y\":\"]\"}]}>;"
			      "2|key=k|kind=table|tags=<[\"t1\",\"t2\"]>|owner=(null);");
	free(out);
	TU_OK(dump(&out, "[]", 2, LINEAGE_FORMAT_JSON, 0, NULL));
	ck_assert_str_eq(out, "");
	free(out);
}
END_TEST

START_TEST(json_bad_files)
{
	char *out = NULL, *deep;
	size_t n = 100000;
	TU_FAILS(LINEAGE_EPARSE, dump(&out, "  ", 2, LINEAGE_FORMAT_JSON, 0, NULL));
	ck_assert_ptr_nonnull(strstr(lineage_error_last()->message, "empty"));
	TU_FAILS(LINEAGE_EPARSE, dump(&out, "{\"source\": \"a\"}", 15, LINEAGE_FORMAT_JSON, 0, NULL));
	ck_assert_ptr_nonnull(strstr(lineage_error_last()->message, "import it as jsonl"));
	TU_FAILS(LINEAGE_EPARSE, dump(&out, "source,target\n", 14, LINEAGE_FORMAT_JSON, 0, NULL));
	ck_assert_ptr_nonnull(strstr(lineage_error_last()->message, "not JSON"));
	TU_FAILS(LINEAGE_EPARSE, dump(&out, "[{\"source\": \"a\"},]", 18, LINEAGE_FORMAT_JSON, 0, NULL));
	ck_assert_ptr_nonnull(strstr(lineage_error_last()->message, "Row 2: a comma is followed by"));
	TU_FAILS(LINEAGE_EPARSE, dump(&out, "[{\"source\": \"a\"}", 16, LINEAGE_FORMAT_JSON, 0, NULL));
	ck_assert_ptr_nonnull(strstr(lineage_error_last()->message, "ends before the array is closed"));
	TU_FAILS(LINEAGE_EPARSE, dump(&out, "[{\"source\": \"a}]", 16, LINEAGE_FORMAT_JSON, 0, NULL));
	ck_assert_ptr_nonnull(strstr(lineage_error_last()->message, "never closed"));
	TU_FAILS(LINEAGE_EPARSE, dump(&out, "[{}] x", 6, LINEAGE_FORMAT_JSON, 0, NULL));
	ck_assert_ptr_nonnull(strstr(lineage_error_last()->message, "Text follows the end"));
	/* 100,000 levels deep: a clean error, no recursion. */
	deep = malloc(2 * n + 3);
	deep[0] = '[';
	memset(deep + 1, '[', n);
	memset(deep + 1 + n, ']', n);
	deep[2 * n + 1] = ']';
	deep[2 * n + 2] = '\0';
	TU_FAILS(LINEAGE_EPARSE, dump(&out, deep, 2 * n + 2, LINEAGE_FORMAT_JSON, 0, NULL));
	ck_assert_ptr_nonnull(strstr(lineage_error_last()->message, "Row 1 is nested more than 64 levels deep"));
	free(deep);
	/* In JSON Lines, such a line is one invalid row; the next lines are still read. */
	deep = malloc(2 * n + 32);
	memcpy(deep, "\n{\"a\": ", 7);
	memset(deep + 7, '[', n);
	memset(deep + 7 + n, ']', n);
	memcpy(deep + 7 + 2 * n, "}\n{}\n", 6);
	TU_OK(dump(&out, deep, 2 * n + 13, LINEAGE_FORMAT_JSONL, 0, NULL));
	ck_assert_str_eq(out, "2|PROBLEM;3|PROBLEM;"); /* 3: {} is neither type */
	free(out);
	free(deep);
}
END_TEST

START_TEST(json_row_problems)
{
	lineage_import_report *rep = NULL;
	uint64_t invalid;
	TU_OK(check(&rep, "[{\"source\": \"a\", \"target\": \"b\", \"confidence\": \"0.7\"},\n"
			  " {\"source\": \"a\" \"target\": \"c\"},\n"
			  " 42,\n"
			  " {\"source\": \"a\", \"target\": \"d\", \"confidnce\": 1},\n"
			  " {\"source\": \"a\", \"target\": \"e\", \"kind\": 5},\n"
			  " {\"owner\": \"x\"},\n"
			  " {\"source\": \"a\", \"target\": \"f\", \"confidence\": true}]",
		    LINEAGE_FORMAT_JSON, 0, &invalid));
	ck_assert_uint_eq(invalid, 6);
	ck_assert_ptr_nonnull(strstr(lineage_import_report_error(rep, 0)->message, "Row 2 is not valid JSON"));
	ck_assert_ptr_nonnull(strstr(lineage_import_report_error(rep, 1)->message, "Row 3 is not an object"));
	ck_assert_ptr_nonnull(strstr(lineage_import_report_error(rep, 2)->message, "Row 4: \"confidnce\" is not a known field. Did you mean \"confidence\"?"));
	ck_assert_ptr_nonnull(strstr(lineage_import_report_error(rep, 3)->message, "Row 5, column \"kind\": the value must be text"));
	ck_assert_ptr_nonnull(strstr(lineage_import_report_error(rep, 4)->message, "Row 6 has neither"));
	ck_assert_ptr_nonnull(strstr(lineage_import_report_error(rep, 5)->message, "Row 7, column \"confidence\": \"true\" is not a number"));
	lineage_import_report_free(rep);
}
END_TEST

START_TEST(jsonl_lines)
{
	const char data[] = "{\"source\": \"a\", \"target\": \"b\"}\r\n\n  \n{\"key\": \"k\"}\n{bad\n";
	char *out = NULL;
	TU_OK(dump(&out, data, sizeof data - 1, LINEAGE_FORMAT_JSONL, 0, NULL));
	ck_assert_str_eq(out, "1|source=a|target=b;4|key=k;5|PROBLEM;");
	free(out);
	TU_FAILS(LINEAGE_EPARSE, dump(&out, "[{}]", 4, LINEAGE_FORMAT_JSONL, 0, NULL));
	ck_assert_ptr_nonnull(strstr(lineage_error_last()->message, "import it as json"));
}
END_TEST

START_TEST(graphml_read)
{
	const char data[] =
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\">\n"
		"  <key id=\"d0\" for=\"node\" attr.name=\"kind\" attr.type=\"string\"/>\n"
		"  <key id=\"d1\" for=\"edge\" attr.name=\"confidence\" attr.type=\"double\"/>\n"
		"  <key id=\"d2\" for=\"node\" attr.name=\"color\" attr.type=\"string\"/>\n"
		"  <graph edgedefault=\"directed\">\n"
		"    <node id=\"a\"><data key=\"d0\">table</data><data key=\"d2\">red</data></node>\n"
		"    <node id=\"b\"/>\n"
		"    <edge source=\"a\" target=\"b\"><data key=\"d1\">0.5</data></edge>\n"
		"  </graph>\n</graphml>\n";
	char *out = NULL;
	lineage_import_report *rep = NULL;
	uint64_t invalid;
	TU_OK(dump(&out, data, sizeof data - 1, LINEAGE_FORMAT_GRAPHML, 0, NULL));
	ck_assert_str_eq(out, "7|key=a|kind=table;8|key=b;9|source=a|target=b|confidence=0.5;");
	free(out);
	TU_OK(check(&rep, data, LINEAGE_FORMAT_GRAPHML, 0, &invalid));
	ck_assert_uint_eq(invalid, 0);
	ck_assert_uint_eq(lineage_import_report_warning_count(rep), 1);
	ck_assert_ptr_nonnull(strstr(lineage_import_report_warning(rep, 0)->message, "\"color\" is not part of the import format"));
	lineage_import_report_free(rep);
}
END_TEST

START_TEST(graphml_refuses_dtd_and_entities)
{
	const char dtd[] = "<?xml version=\"1.0\"?>\n<!DOCTYPE graphml [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n"
			   "<graphml><graph><node id=\"&x;\"/></graph></graphml>";
	const char laughs[] = "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">"
			      "<!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">]>"
			      "<graphml><graph><node id=\"&lol2;\"/></graph></graphml>";
	char *out = NULL;
	TU_FAILS(LINEAGE_EPARSE, dump(&out, dtd, sizeof dtd - 1, LINEAGE_FORMAT_GRAPHML, 0, NULL));
	ck_assert_ptr_nonnull(strstr(lineage_error_last()->message, "GraphML with a DTD is not accepted"));
	TU_FAILS(LINEAGE_EPARSE, dump(&out, laughs, sizeof laughs - 1, LINEAGE_FORMAT_GRAPHML, 0, NULL));
	ck_assert_ptr_nonnull(strstr(lineage_error_last()->message, "GraphML with a DTD is not accepted"));
	TU_FAILS(LINEAGE_EPARSE, dump(&out, "<svg/>", 6, LINEAGE_FORMAT_GRAPHML, 0, NULL));
	ck_assert_ptr_nonnull(strstr(lineage_error_last()->message, "not GraphML"));
	TU_FAILS(LINEAGE_EPARSE, dump(&out, "<graphml><graph><node id=\"a\">", 29, LINEAGE_FORMAT_GRAPHML, 0, NULL));
	ck_assert_ptr_nonnull(strstr(lineage_error_last()->message, "malformed"));
	TU_FAILS(LINEAGE_EPARSE, dump(&out, "source,target\n", 14, LINEAGE_FORMAT_GRAPHML, 0, NULL));
	ck_assert_ptr_nonnull(strstr(lineage_error_last()->message, "not XML"));
}
END_TEST

START_TEST(format_detection)
{
	lin_src src;
	lin_src_open_mem(&src, " [", 2);
	ck_assert_int_eq(lin_detect_format(&src, NULL), LINEAGE_FORMAT_JSON);
	ck_assert_int_eq(lin_detect_format(&src, "x.CSV"), LINEAGE_FORMAT_CSV);
	ck_assert_int_eq(lin_detect_format(&src, "x.ndjson"), LINEAGE_FORMAT_JSONL);
	ck_assert_int_eq(lin_detect_format(&src, "x.graphml"), LINEAGE_FORMAT_GRAPHML);
	lin_src_open_mem(&src, "{", 1);
	ck_assert_int_eq(lin_detect_format(&src, NULL), LINEAGE_FORMAT_JSONL);
	lin_src_open_mem(&src, "<", 1);
	ck_assert_int_eq(lin_detect_format(&src, NULL), LINEAGE_FORMAT_GRAPHML);
	lin_src_open_mem(&src, "a,b", 3);
	ck_assert_int_eq(lin_detect_format(&src, NULL), LINEAGE_FORMAT_CSV);
}
END_TEST

#define PIPED "source,target\na,b\n"

/* A stream that cannot seek, holding `data` (small: it fits in the pipe). */
static FILE *pipe_of(const char *data)
{
	int fds[2];
	ck_assert_int_eq(pipe(fds), 0);
	ck_assert_int_eq(write(fds[1], data, strlen(data)), (ssize_t)strlen(data));
	close(fds[1]);
	return fdopen(fds[0], "rb");
}

START_TEST(stream_that_cannot_seek)
{
	/* A pipe is copied while read, and read again from the copy. */
	FILE *in;
	lin_src src;
	char buf[64];
	size_t n;
	int err = 0;
	in = pipe_of(PIPED);
	TU_OK(lin_src_open_file(&src, in));
	ck_assert_uint_eq(lin_src_peek(&src, buf, 6), 6);
	n = lin_src_read(&src, buf, sizeof buf, &err);
	ck_assert_uint_eq(n, 18);
	TU_OK(lin_src_rewind(&src));
	n = lin_src_read(&src, buf, sizeof buf, &err);
	ck_assert_uint_eq(n, 18);
	ck_assert_int_eq(memcmp(buf, PIPED, 18), 0);
	lin_src_close(&src);
	fclose(in);
}
END_TEST

START_TEST(stream_read_once)
{
	/* Read once, a pipe is not copied: it cannot be read again. */
	FILE *in;
	lin_src src;
	char buf[64];
	int err = 0;
	in = pipe_of(PIPED);
	TU_OK(lin_src_open_file(&src, in));
	ck_assert_uint_eq(lin_src_peek(&src, buf, 6), 6);
	lin_src_read_once(&src);
	ck_assert_ptr_null(src.tee);
	ck_assert_uint_eq(lin_src_read(&src, buf, sizeof buf, &err), 18);
	ck_assert_int_eq(memcmp(buf, PIPED, 18), 0);
	TU_FAILS(LINEAGE_EUSAGE, lin_src_rewind(&src));
	lin_src_close(&src);
	fclose(in);
}
END_TEST

START_TEST(names_and_options)
{
	lineage_format f;
	lineage_record_type t;
	lineage_import_options o;
	TU_OK(lineage_format_parse(&f, "JSONL"));
	ck_assert_int_eq(f, LINEAGE_FORMAT_JSONL);
	ck_assert_str_eq(lineage_format_name(LINEAGE_FORMAT_GRAPHML), "graphml");
	TU_OK(lineage_format_parse(&f, "xlsx"));
	ck_assert_int_eq(f, LINEAGE_FORMAT_XLSX);
	TU_OK(lineage_format_parse(&f, "yml"));
	ck_assert_int_eq(f, LINEAGE_FORMAT_YAML);
	TU_FAILS(LINEAGE_EINVALID, lineage_format_parse(&f, "xls"));
	ck_assert_ptr_nonnull(strstr(lineage_error_last()->message, "csv, json, jsonl"));
	TU_OK(lineage_record_type_parse(&t, "assets"));
	ck_assert_int_eq(t, LINEAGE_RECORDS_ASSETS);
	ck_assert_str_eq(lineage_record_type_name(LINEAGE_RECORDS_LINEAGE), "lineage");
	TU_FAILS(LINEAGE_EINVALID, lineage_record_type_parse(&t, "rows"));
	TU_OK(lineage_import_options_init(&o, LINEAGE_IMPORT_OPTIONS_VERSION));
	ck_assert_uint_eq(o.max_errors, 1000);
	TU_FAILS(LINEAGE_EINVALID, lineage_import_options_init(&o, 99));
	/* A version 1 caller's struct ends before `sheet`: init must not write past it. */
	memset(&o, 0x5a, sizeof o);
	TU_OK(lineage_import_options_init(&o, 1));
	ck_assert_int_eq(((unsigned char *)&o.sheet)[0], 0x5a);
}
END_TEST

START_TEST(report_json_and_caps)
{
	lineage_import_report *rep = NULL;
	char *json = NULL;
	TU_OK(lin_report_new(&rep, "f.csv", 2, 1));
	TU_OK(lin_report_issue(rep, 0, 5, "c", "v\xff", 2, "Row 5: bad."));
	TU_OK(lin_report_issue(rep, 0, 3, NULL, NULL, 0, "Row 3: bad."));
	TU_OK(lin_report_issue(rep, 0, 9, NULL, NULL, 0, "Row 9: bad."));
	TU_OK(lin_report_item(rep, "create", "edge", "a", "b", "flow", 2));
	TU_OK(lin_report_item(rep, "create", "edge", "a", "c", "flow", 3));
	lin_report_sort(rep);
	ck_assert_uint_eq(lineage_import_report_summary(rep)->errors, 3);
	ck_assert_uint_eq(lineage_import_report_error_count(rep), 2);
	ck_assert_uint_eq(lineage_import_report_error(rep, 0)->row, 3);
	ck_assert_ptr_null(lineage_import_report_error(rep, 2));
	ck_assert_uint_eq(lineage_import_report_item_count(rep), 1);
	TU_OK(lineage_import_report_to_json(&json, rep));
	ck_assert_ptr_nonnull(strstr(json, "\"errors_total\": 3"));
	ck_assert_ptr_nonnull(strstr(json, "\"value\": \"v?\""));
	ck_assert_ptr_nonnull(strstr(json, "\"committed\": false"));
	ck_assert_ptr_nonnull(strstr(json, "\"created\": {"));
	lineage_free(json);
	lineage_import_report_free(rep);
	lineage_import_report_free(NULL);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("io_readers");
	TCase *tc = tcase_create("readers");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, csv_rfc4180);
	tcase_add_test(tc, csv_delimiters_and_line_ends);
	tcase_add_test(tc, csv_blank_lines_and_trailing_cells);
	tcase_add_test(tc, csv_bad_files);
	tcase_add_test(tc, csv_long_line_is_an_error_not_oom);
	tcase_add_test(tc, csv_row_problems);
	tcase_add_test(tc, schema_messages);
	tcase_add_test(tc, assets_fields);
	tcase_add_test(tc, json_array);
	tcase_add_test(tc, json_bad_files);
	tcase_add_test(tc, json_row_problems);
	tcase_add_test(tc, jsonl_lines);
	tcase_add_test(tc, graphml_read);
	tcase_add_test(tc, graphml_refuses_dtd_and_entities);
	tcase_add_test(tc, format_detection);
	tcase_add_test(tc, stream_that_cannot_seek);
	tcase_add_test(tc, stream_read_once);
	tcase_add_test(tc, names_and_options);
	tcase_add_test(tc, report_json_and_caps);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run(suite());
}
