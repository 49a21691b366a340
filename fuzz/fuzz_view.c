/* libFuzzer target: a saved view's body and name, as the service and the CLI pass them
 * (lineage_view_save's JSON checks), then read back, renamed, listed and deleted, so the
 * in-memory database stays empty between inputs. The first line of the input is the name. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <lineage/lineage.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static lineage_db *db;
	char *text = malloc(size + 1), *name, *body, *json = NULL;
	if (!text)
		return 0;
	if (!db && lineage_db_open(&db, ":memory:", NULL) != 0)
		abort();
	memcpy(text, data, size);
	text[size] = '\0';
	body = strchr(text, '\n');
	name = body ? text : (char *)"v";
	if (body)
		*body++ = '\0';
	else
		body = text;
	if (lineage_view_save(db, name, body, LINEAGE_VIEW_UPSERT) == 0) {
		/* What was saved reads back and lists, under its name and a new one. */
		if (lineage_view_get(&json, db, name) != 0)
			abort();
		lineage_free(json);
		json = NULL;
		if (lineage_view_list(&json, db, 0, 10) != 0)
			abort();
		if (lineage_view_rename(db, name, "fuzz renamed") == 0)
			name = (char *)"fuzz renamed";
		if (lineage_view_delete(db, name) != 0)
			abort();
	}
	lineage_free(json);
	free(text);
	return 0;
}
