/* libFuzzer target: one OpenLineage event ingested live (its checks, times and run states),
 * inside a transaction rolled back after each input, so the database never grows. */
#include <stdint.h>
#include <stdlib.h>

#include <lineage/lineage.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static lineage_db *db;
	static lineage_ol_ingest *ing;
	char *json = NULL;
	if (!db && (lineage_db_open(&db, ":memory:", NULL) != 0 ||
		    lineage_ol_ingest_new(&ing, db, NULL) != 0))
		abort();
	if (lineage_db_begin(db, "fuzz") != 0)
		abort();
	if (lineage_ol_ingest_event(NULL, ing, data, size) == 0 &&
	    lineage_ol_ingest_result_json(&json, ing) != 0)
		abort();
	lineage_free(json);
	lineage_db_rollback(db);
	return 0;
}
