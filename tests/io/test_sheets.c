/*
 * Spreadsheets (.xlsx) and YAML through the public import API: the same rows, validation
 * and messages as CSV, and hostile files (zip bombs, external entities, alias bombs, deep
 * nesting) refused with nothing written. Workbooks are written here with libzip, part by
 * part, the way spreadsheet programs lay them out.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include <zip.h>

#include "common/strbuf.h"
#include "testutil.h"

static const char *CONTENT_TYPES =
	"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>"
	"<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
	"<Default Extension=\"xml\" ContentType=\"application/xml\"/></Types>";

static const char *WORKBOOK =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
	"<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
	"xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
	"<sheets><sheet name=\"Notes\" sheetId=\"1\" r:id=\"rId1\"/>"
	"<sheet name=\"Lineage\" sheetId=\"2\" r:id=\"rId2\"/></sheets></workbook>";

static const char *RELS =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
	"<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
	"<Relationship Id=\"rId1\" Type=\"worksheet\" Target=\"worksheets/sheet1.xml\"/>"
	"<Relationship Id=\"rId2\" Type=\"worksheet\" Target=\"/xl/worksheets/sheet2.xml\"/>"
	"</Relationships>";

static const char *STRINGS =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
	"<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" count=\"6\">"
	"<si><t>source</t></si><si><t>target</t></si><si><t>confidence</t></si>"
	"<si><t>raw.orders</t></si>"
	"<si><r><t>stg.</t></r><r><rPr><b/></rPr><t>orders</t></r><rPh><t>x</t></rPh></si>"
	"<si><t xml:space=\"preserve\">lineage_source</t></si></sst>";

/* Sheet 2: a header, two rows with a gap (rows 2 and 5), cells of every kind. */
static const char *SHEET2 =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
	"<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>"
	"<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\"><v>1</v></c>"
	"<c r=\"C1\" t=\"s\"><v>2</v></c><c r=\"D1\" t=\"s\"><v>5</v></c><c r=\"E1\" s=\"3\"/></row>"
	"<row r=\"2\"><c r=\"A2\" t=\"s\"><v>3</v></c><c r=\"B2\" t=\"s\"><v>4</v></c>"
	"<c r=\"C2\"><v>0.8</v></c><c r=\"D2\" t=\"inlineStr\"><is><t>inferred</t></is></c></row>"
	"<row r=\"3\" spans=\"1:4\"/>"
	"<row r=\"5\"><c r=\"A5\" t=\"s\"><v>4</v></c>"
	"<c r=\"B5\" t=\"str\"><f>CONCAT(\"mart.\",\"orders\")</f><v>mart.orders</v></c></row>"
	"</sheetData></worksheet>";

static const char *SHEET1 =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
	"<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>"
	"<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>notes</t></is></c></row>"
	"</sheetData></worksheet>";

typedef struct part {
	const char *name;
	const char *text;
	size_t len; /* 0: strlen(text) */
} part;

static const char *write_workbook(const char *file, const part *parts, size_t n)
{
	const char *path = tu_path(file);
	int err = 0;
	zip_t *z;
	remove(path);
	z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &err);
	ck_assert_ptr_nonnull(z);
	for (size_t i = 0; i < n; i++) {
		size_t len = parts[i].len ? parts[i].len : strlen(parts[i].text);
		zip_source_t *s = zip_source_buffer(z, parts[i].text, len, 0);
		ck_assert_ptr_nonnull(s);
		ck_assert_int_ge(zip_file_add(z, parts[i].name, s, ZIP_FL_OVERWRITE), 0);
	}
	ck_assert_int_eq(zip_close(z), 0);
	return path;
}

static const char *standard_workbook(const char *file, const char *sheet2, const char *strings)
{
	part parts[] = {{"[Content_Types].xml", CONTENT_TYPES, 0},
			{"xl/workbook.xml", WORKBOOK, 0},
			{"xl/_rels/workbook.xml.rels", RELS, 0},
			{"xl/sharedStrings.xml", strings, 0},
			{"xl/worksheets/sheet1.xml", SHEET1, 0},
			{"xl/worksheets/sheet2.xml", sheet2, 0}};
	return write_workbook(file, parts, sizeof parts / sizeof parts[0]);
}

static lineage_import_options opts(void)
{
	lineage_import_options o;
	lineage_import_options_init(&o, LINEAGE_IMPORT_OPTIONS_VERSION);
	o.create_missing = 1;
	return o;
}

static json_int_t edge_count(lineage_db *db)
{
	char *text = NULL;
	json_t *root;
	json_int_t n;
	TU_OK(lineage_db_stats_json(&text, db));
	root = json_loads(text, 0, NULL);
	ck_assert_ptr_nonnull(root);
	n = json_integer_value(json_object_get(root, "edges"));
	json_decref(root);
	lineage_free(text);
	return n;
}

static int has_edge(lineage_db *db, const char *s, const char *t, double *confidence)
{
	lineage_edge *e = NULL;
	int found = lineage_edge_find(&e, db, s, t, NULL, NULL) == 0;
	if (found && confidence)
		*confidence = e->confidence;
	lineage_edge_free(e);
	return found;
}

/* The row of the first item about `key` (an asset, or an edge's source). */
static uint64_t item_row(const lineage_import_report *r, const char *key, const char *entity)
{
	for (size_t i = 0; i < lineage_import_report_item_count(r); i++) {
		const lineage_import_item *it = lineage_import_report_item(r, i);
		if (!strcmp(it->key, key) && !strcmp(it->entity, entity))
			return it->row;
	}
	ck_abort_msg("no item for %s", key);
	return 0;
}

static const char *first_error(const lineage_import_report *r)
{
	return lineage_import_report_error_count(r) ? lineage_import_report_error(r, 0)->message : "";
}

START_TEST(xlsx_named_sheet_rows_as_the_spreadsheet_numbers_them)
{
	lineage_db *db = tu_open_temp();
	lineage_import_report *rep = NULL;
	lineage_import_options o = opts();
	double conf = 0;
	const char *path = standard_workbook("lineage.xlsx", SHEET2, STRINGS);
	o.sheet = "Lineage";
	TU_OK(lineage_import_path(&rep, db, path, &o));
	ck_assert_int_eq(lineage_import_report_summary(rep)->format, LINEAGE_FORMAT_XLSX);
	ck_assert_uint_eq(lineage_import_report_summary(rep)->rows, 2);
	ck_assert(has_edge(db, "raw.orders", "stg.orders", &conf)); /* rich text joined */
	ck_assert_double_eq_tol(conf, 0.8, 1e-9);
	ck_assert(has_edge(db, "stg.orders", "mart.orders", NULL)); /* a formula's value */
	ck_assert_uint_eq(item_row(rep, "stg.orders", "edge"), 5);
	lineage_import_report_free(rep);
	lineage_db_close(db);
}
END_TEST

START_TEST(xlsx_first_sheet_by_default_and_unknown_sheet_names_the_sheets)
{
	lineage_db *db = tu_open_temp();
	lineage_import_report *rep = NULL;
	lineage_import_options o = opts();
	const char *path = standard_workbook("first.xlsx", SHEET2, STRINGS);
	/* The first sheet ("Notes") has no lineage columns. */
	TU_FAILS(LINEAGE_EPARSE, lineage_import_path(&rep, db, path, &o));
	ck_assert_ptr_nonnull(strstr(first_error(rep), "\"notes\" is not a known column"));
	lineage_import_report_free(rep);
	o.sheet = "lineage"; /* names are exact */
	TU_FAILS(LINEAGE_EPARSE, lineage_import_path(&rep, db, path, &o));
	ck_assert_ptr_nonnull(strstr(first_error(rep), "its sheets are \"Notes\", \"Lineage\""));
	lineage_import_report_free(rep);
	ck_assert_int_eq(edge_count(db), 0);
	lineage_db_close(db);
}
END_TEST

START_TEST(xlsx_row_errors_name_row_and_column_letter)
{
	static const char *sheet =
		"<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
		"<sheetData>"
		"<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>source</t></is></c>"
		"<c r=\"B1\" t=\"inlineStr\"><is><t>target</t></is></c>"
		"<c r=\"C1\" t=\"inlineStr\"><is><t>confidence</t></is></c></row>"
		"<row r=\"4\"><c r=\"A4\" t=\"inlineStr\"><is><t>a</t></is></c>"
		"<c r=\"B4\" t=\"inlineStr\"><is><t>b</t></is></c>"
		"<c r=\"C4\" t=\"inlineStr\"><is><t>high</t></is></c></row>"
		"<row r=\"7\"><c r=\"A7\" t=\"inlineStr\"><is><t>a</t></is></c>"
		"<c r=\"B7\" t=\"inlineStr\"><is><t>c</t></is></c>"
		"<c r=\"F7\" t=\"inlineStr\"><is><t>stray</t></is></c></row>"
		"<row r=\"8\"><c r=\"A8\" t=\"inlineStr\"><is><t>a</t></is></c>"
		"<c r=\"B8\" t=\"e\"><v>#REF!</v></c></row>"
		"</sheetData></worksheet>";
	lineage_db *db = tu_open_temp();
	lineage_import_report *rep = NULL;
	lineage_import_options o = opts();
	const char *path = standard_workbook("errors.xlsx", sheet, STRINGS);
	o.sheet = "Lineage";
	TU_FAILS(LINEAGE_EINVALID, lineage_import_path(&rep, db, path, &o));
	ck_assert_uint_eq(lineage_import_report_error_count(rep), 3);
	ck_assert_uint_eq(lineage_import_report_error(rep, 0)->row, 4);
	ck_assert_str_eq(lineage_import_report_error(rep, 0)->column, "confidence");
	ck_assert_ptr_nonnull(strstr(lineage_import_report_error(rep, 1)->message,
				     "Row 7 has a value in column F, which has no header"));
	ck_assert_ptr_nonnull(strstr(lineage_import_report_error(rep, 2)->message,
				     "Row 8, column B holds the spreadsheet error #REF!"));
	ck_assert_int_eq(edge_count(db), 0);
	lineage_import_report_free(rep);
	lineage_db_close(db);
}
END_TEST

START_TEST(xlsx_zip_bomb_is_refused)
{
	/* 64 MiB of one character inflates ~1000x: no spreadsheet does that. */
	size_t big = 64u << 20;
	char *filler = malloc(big);
	lineage_db *db = tu_open_temp();
	lineage_import_report *rep = NULL;
	lineage_import_options o = opts();
	const char *path;
	ck_assert_ptr_nonnull(filler);
	memset(filler, ' ', big);
	memcpy(filler, "<sst>", 5);
	{
		part parts[] = {{"xl/workbook.xml", WORKBOOK, 0},
				{"xl/_rels/workbook.xml.rels", RELS, 0},
				{"xl/sharedStrings.xml", filler, big},
				{"xl/worksheets/sheet1.xml", SHEET1, 0},
				{"xl/worksheets/sheet2.xml", SHEET2, 0}};
		path = write_workbook("bomb.xlsx", parts, sizeof parts / sizeof parts[0]);
	}
	free(filler);
	TU_FAILS(LINEAGE_ELIMIT, lineage_import_path(&rep, db, path, &o));
	ck_assert_ptr_nonnull(strstr(lineage_error_last()->message, "zip bomb"));
	ck_assert_int_eq(edge_count(db), 0);
	lineage_import_report_free(rep);
	lineage_db_close(db);
}
END_TEST

START_TEST(xlsx_external_entities_and_dtds_are_refused)
{
	static const char *xxe =
		"<?xml version=\"1.0\"?><!DOCTYPE sst [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
		"<sst><si><t>&x;</t></si></sst>";
	lineage_db *db = tu_open_temp();
	lineage_import_report *rep = NULL;
	lineage_import_options o = opts();
	const char *path = standard_workbook("xxe.xlsx", SHEET2, xxe);
	o.sheet = "Lineage";
	TU_FAILS(LINEAGE_EPARSE, lineage_import_path(&rep, db, path, &o));
	ck_assert_ptr_nonnull(strstr(first_error(rep), "declares a DTD"));
	ck_assert_ptr_null(strstr(first_error(rep), "root:"));
	ck_assert_int_eq(edge_count(db), 0);
	lineage_import_report_free(rep);
	lineage_db_close(db);
}
END_TEST

START_TEST(xlsx_not_a_workbook_or_damaged)
{
	lineage_db *db = tu_open_temp();
	lineage_import_report *rep = NULL;
	lineage_import_options o = opts();
	const char *path = tu_path("text.xlsx");
	FILE *f = fopen(path, "wb");
	char *data;
	long len;
	fputs("source,target\na,b\n", f);
	fclose(f);
	TU_FAILS(LINEAGE_EPARSE, lineage_import_path(&rep, db, path, &o));
	ck_assert_ptr_nonnull(strstr(first_error(rep), "not an Excel workbook"));
	lineage_import_report_free(rep);
	/* A workbook cut in half. */
	path = standard_workbook("cut.xlsx", SHEET2, STRINGS);
	f = fopen(path, "rb");
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	data = malloc((size_t)len);
	ck_assert_int_eq(fread(data, 1, (size_t)len, f), (size_t)len);
	fclose(f);
	TU_FAILS(LINEAGE_EPARSE, lineage_import_buffer(&rep, db, data, (size_t)len / 2, &o));
	ck_assert_ptr_nonnull(strstr(first_error(rep), "cannot be opened"));
	lineage_import_report_free(rep);
	/* The whole workbook from memory, sheet chosen: the format is told from the bytes. */
	o.sheet = "Lineage";
	TU_OK(lineage_import_buffer(&rep, db, data, (size_t)len, &o));
	ck_assert_int_eq(lineage_import_report_summary(rep)->format, LINEAGE_FORMAT_XLSX);
	lineage_import_report_free(rep);
	free(data);
	ck_assert_int_eq(edge_count(db), 2);
	lineage_db_close(db);
}
END_TEST

static int import_yaml(lineage_db *db, const char *text, lineage_import_report **rep)
{
	lineage_import_options o = opts();
	o.format = LINEAGE_FORMAT_YAML;
	return lineage_import_buffer(rep, db, text, strlen(text), &o);
}

START_TEST(yaml_records_with_tags_properties_and_lines)
{
	static const char *assets =
		"# assets of the shop\n"
		"- key: shop.orders\n"
		"  kind: table\n"
		"  owner: \"shop team\"\n"
		"  tags: [pii, gold]\n"
		"  properties:\n"
		"    rows: 1200\n"
		"    note: ~\n"
		"- key: shop.customers\n"
		"  kind: table\n"
		"  description: >\n"
		"    People who order.\n";
	static const char *edges =
		"---\n"
		"- {source: shop.orders, target: dw.orders, confidence: 0.7, lineage_source: inferred}\n"
		"-\n"
		"  source: shop.customers\n"
		"  target: dw.orders\n"
		"...\n";
	lineage_db *db = tu_open_temp();
	lineage_import_report *rep = NULL;
	lineage_asset *a = NULL;
	double conf = 0;
	TU_OK(import_yaml(db, assets, &rep));
	ck_assert_int_eq(lineage_import_report_summary(rep)->format, LINEAGE_FORMAT_YAML);
	lineage_import_report_free(rep);
	TU_OK(lineage_asset_get(&a, db, "shop.orders"));
	ck_assert_str_eq(a->owner, "shop team");
	ck_assert_uint_eq(a->tag_count, 2);
	ck_assert_ptr_nonnull(strstr(a->properties_json, "\"rows\""));
	lineage_asset_free(a);
	TU_OK(lineage_asset_get(&a, db, "shop.customers"));
	ck_assert_str_eq(a->description, "People who order.\n");
	lineage_asset_free(a);
	TU_OK(import_yaml(db, edges, &rep));
	ck_assert(has_edge(db, "shop.orders", "dw.orders", &conf));
	ck_assert_double_eq_tol(conf, 0.7, 1e-9);
	ck_assert(has_edge(db, "shop.customers", "dw.orders", NULL));
	/* rows are the lines where each record's fields start */
	ck_assert_uint_eq(item_row(rep, "shop.customers", "edge"), 4);
	lineage_import_report_free(rep);
	lineage_db_close(db);
}
END_TEST

START_TEST(yaml_row_errors_and_file_errors)
{
	static const struct {
		const char *text;
		int rc;
		const char *message;
		uint64_t row;
	} cases[] = {
		{"- source: a\n  target: b\n  confidence: high\n", LINEAGE_EINVALID,
		 "\"high\" is not a number", 1},
		{"- source: a\n  target: b\n  target: c\n", LINEAGE_EINVALID,
		 "the field \"target\" is given twice", 1},
		{"- just text\n", LINEAGE_EINVALID, "Row 1 is not a record", 1},
		{"source: a\ntarget: b\n", LINEAGE_EPARSE, "this one holds a single mapping", 0},
		{"", LINEAGE_EPARSE, "The file is empty", 0},
		{"- source: a\n  target: [b\n", LINEAGE_EPARSE, "is not valid YAML", 0},
		{"- source: a\n  target: b\n---\n- source: c\n", LINEAGE_EPARSE,
		 "a second YAML document", 0},
		{"- ? [a, b]\n  : c\n", LINEAGE_EPARSE, "a field's name is a list", 0},
	};
	lineage_db *db = tu_open_temp();
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		lineage_import_report *rep = NULL;
		int rc = import_yaml(db, cases[i].text, &rep);
		ck_assert_msg(rc == cases[i].rc, "case %zu: %d", i, rc);
		ck_assert_msg(strstr(first_error(rep), cases[i].message), "case %zu: %s", i,
			      first_error(rep));
		if (cases[i].row)
			ck_assert_uint_eq(lineage_import_report_error(rep, 0)->row, cases[i].row);
		lineage_import_report_free(rep);
	}
	ck_assert_int_eq(edge_count(db), 0);
	lineage_db_close(db);
}
END_TEST

START_TEST(yaml_alias_bomb_deep_nesting_and_long_values_are_refused)
{
	lineage_db *db = tu_open_temp();
	lineage_import_report *rep = NULL;
	lin_strbuf sb = LIN_STRBUF_INIT;
	lineage_import_options o = opts();
	/* billion laughs */
	TU_FAILS(LINEAGE_EPARSE,
		 import_yaml(db, "- a: &a [x, x, x, x, x, x, x, x, x]\n"
				 "  b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
				 "  c: [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
				 "  source: s\n  target: t\n", &rep));
	ck_assert_ptr_nonnull(strstr(first_error(rep), "alias"));
	lineage_import_report_free(rep);
	/* 100,000 levels of flow sequences */
	lin_strbuf_puts(&sb, "- source: a\n  target: b\n  properties: ");
	for (int i = 0; i < 100000; i++)
		lin_strbuf_putc(&sb, '[');
	TU_FAILS(LINEAGE_ELIMIT, import_yaml(db, sb.data, &rep));
	ck_assert_ptr_nonnull(strstr(first_error(rep), "nested more than"));
	lineage_import_report_free(rep);
	/* One scalar past the record limit never reaches memory whole. */
	lin_strbuf_reset(&sb);
	lin_strbuf_puts(&sb, "- source: a\n  target: \"");
	for (int i = 0; i < (1 << 20); i++)
		lin_strbuf_putc(&sb, 'x');
	lin_strbuf_puts(&sb, "\"\n");
	o.format = LINEAGE_FORMAT_YAML;
	o.max_record_bytes = 4096;
	TU_FAILS(LINEAGE_ELIMIT, lineage_import_buffer(&rep, db, sb.data, sb.len, &o));
	ck_assert_ptr_nonnull(strstr(first_error(rep), "longer than"));
	lineage_import_report_free(rep);
	lin_strbuf_free(&sb);
	ck_assert_int_eq(edge_count(db), 0);
	lineage_db_close(db);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("io_sheets");
	TCase *tc = tcase_create("sheets");
	tcase_add_test(tc, xlsx_named_sheet_rows_as_the_spreadsheet_numbers_them);
	tcase_add_test(tc, xlsx_first_sheet_by_default_and_unknown_sheet_names_the_sheets);
	tcase_add_test(tc, xlsx_row_errors_name_row_and_column_letter);
	tcase_add_test(tc, xlsx_zip_bomb_is_refused);
	tcase_add_test(tc, xlsx_external_entities_and_dtds_are_refused);
	tcase_add_test(tc, xlsx_not_a_workbook_or_damaged);
	tcase_add_test(tc, yaml_records_with_tags_properties_and_lines);
	tcase_add_test(tc, yaml_row_errors_and_file_errors);
	tcase_add_test(tc, yaml_alias_bomb_deep_nesting_and_long_values_are_refused);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run(suite());
}
