/* The process-wide scanner registry: built-in scanners plus the host's own. */
#include <pthread.h>
#include <string.h>

#include "common/error.h"
#include "common/strbuf.h"
#include "scan_internal.h"

#define MAX_CUSTOM 64

static pthread_mutex_t registry_lock = PTHREAD_MUTEX_INITIALIZER;
static lineage_scanner custom[MAX_CUSTOM];
static size_t custom_count;

static const lineage_scanner *const builtins[] = {
	&lin_scanner_dbt, &lin_scanner_openlineage, &lin_scanner_sql, &lin_scanner_airflow,
	&lin_scanner_datahub,
	/* collectors (collect.h): their input is a URI */
	&lin_collector_postgres, &lin_collector_mysql, &lin_collector_sqlite};
#define BUILTIN_COUNT (sizeof builtins / sizeof builtins[0])
#define FILE_SCANNERS 4 /* the first builtins read files; the others are collectors */

int lin_scanner_reads_files(const char *name)
{
	for (size_t i = 0; i < FILE_SCANNERS; i++)
		if (!strcmp(builtins[i]->name, name))
			return 1;
	return 0;
}

int lineage_scanner_register(const lineage_scanner *scanner)
{
	size_t i;
	int rc = 0;
	if (!scanner || scanner->version != LINEAGE_SCANNER_VERSION)
		return lin_error_set(LINEAGE_EINVALID, "scanner is NULL or its version is not LINEAGE_SCANNER_VERSION: fill every field and set version");
	if (!scanner->name || !*scanner->name || strlen(scanner->name) > 64 || !scanner->scan)
		return lin_error_set(LINEAGE_EINVALID, "a scanner needs a name (1 to 64 bytes) and a scan function");
	pthread_mutex_lock(&registry_lock);
	for (i = 0; i < custom_count; i++)
		if (!strcmp(custom[i].name, scanner->name))
			break;
	if (i == custom_count && custom_count == MAX_CUSTOM)
		rc = lin_error_set(LINEAGE_ELIMIT, "at most %d scanners can be registered: unregister one first", MAX_CUSTOM);
	else {
		custom[i] = *scanner;
		if (i == custom_count)
			custom_count++;
	}
	pthread_mutex_unlock(&registry_lock);
	return rc;
}

int lineage_scanner_unregister(const char *name)
{
	int rc = LINEAGE_ENOTFOUND;
	pthread_mutex_lock(&registry_lock);
	for (size_t i = 0; name && i < custom_count; i++) {
		if (!strcmp(custom[i].name, name)) {
			memmove(&custom[i], &custom[i + 1], (custom_count - i - 1) * sizeof custom[0]);
			custom_count--;
			rc = 0;
			break;
		}
	}
	pthread_mutex_unlock(&registry_lock);
	if (rc)
		return lin_error_set(rc, "no registered scanner is called \"%.64s\"", name ? name : "(null)");
	return 0;
}

/* Custom scanners come first, so a host can replace a built-in one by name. */
int lin_scanner_find(lineage_scanner *out, const char *name)
{
	int found = 0;
	lin_strbuf known = LIN_STRBUF_INIT;
	pthread_mutex_lock(&registry_lock);
	for (size_t i = 0; i < custom_count && !found; i++)
		if (!strcmp(custom[i].name, name)) {
			*out = custom[i];
			found = 1;
		}
	for (size_t i = 0; i < BUILTIN_COUNT && !found; i++)
		if (!strcmp(builtins[i]->name, name)) {
			*out = *builtins[i];
			found = 1;
		}
	if (!found) {
		for (size_t i = 0; i < BUILTIN_COUNT; i++)
			lin_strbuf_printf(&known, "%s%s", i ? ", " : "", builtins[i]->name);
		for (size_t i = 0; i < custom_count; i++)
			lin_strbuf_printf(&known, ", %s", custom[i].name);
	}
	pthread_mutex_unlock(&registry_lock);
	if (!found) {
		lin_error_set(LINEAGE_EINVALID, "unknown scanner type \"%.64s\": use one of auto, %s", name,
			      known.data ? known.data : "");
		lin_strbuf_free(&known);
		return LINEAGE_EINVALID;
	}
	return 0;
}

int lin_scanner_detect(lineage_scanner *out, const char *path, const unsigned char *head,
		       size_t head_len)
{
	int best = 0;
	lineage_scanner candidates[MAX_CUSTOM + BUILTIN_COUNT];
	size_t n = 0;
	/* Copy under the lock, call detect outside it: a detect function may be slow. */
	pthread_mutex_lock(&registry_lock);
	for (size_t i = 0; i < custom_count; i++)
		candidates[n++] = custom[i];
	for (size_t i = 0; i < BUILTIN_COUNT; i++)
		candidates[n++] = *builtins[i];
	pthread_mutex_unlock(&registry_lock);
	for (size_t i = 0; i < n; i++) {
		int score;
		if (!candidates[i].detect)
			continue;
		score = candidates[i].detect(path, head, head_len, candidates[i].payload);
		if (score > best) {
			best = score;
			*out = candidates[i];
		}
	}
	return best > 0 ? 0 : LINEAGE_ENOTFOUND;
}

int lineage_scanner_list_json(char **out)
{
	json_t *arr = json_array();
	int rc = 0;
	*out = NULL;
	if (!arr)
		return lin_error_oom();
	pthread_mutex_lock(&registry_lock);
	for (size_t i = 0; i < BUILTIN_COUNT; i++)
		json_array_append_new(arr, json_pack("{s:s, s:s, s:b}", "name", builtins[i]->name,
						     "description", builtins[i]->description ? builtins[i]->description : "",
						     "builtin", 1));
	for (size_t i = 0; i < custom_count; i++)
		json_array_append_new(arr, json_pack("{s:s, s:s, s:b}", "name", custom[i].name,
						     "description", custom[i].description ? custom[i].description : "",
						     "builtin", 0));
	pthread_mutex_unlock(&registry_lock);
	*out = json_dumps(arr, JSON_COMPACT);
	if (!*out)
		rc = lin_error_oom();
	json_decref(arr);
	return rc;
}
