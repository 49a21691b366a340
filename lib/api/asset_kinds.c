/*
 * Asset kinds: the built-in ones, and those declared once per database (schema 4), so that
 * a mistyped kind ("tabel") is refused with the closest known one instead of starting a kind
 * of its own. The declared kinds are read from the store on the first miss and kept on the
 * handle (kinds are never removed; a rollback forgets them, as it may undo a declaration).
 */
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "ops.h"
#include "write.h"

#include "common/strbuf.h"
#include "common/util.h"

/* What the scanners and collectors write and docs/data-model.md lists. Sorted, for bsearch. */
static const char *const builtin_kinds[] = {
	"application", "column", "dag", "dashboard", "database", "dataset", "file", "folder",
	"foreign_table", "job", "materialized_view", "model", "notebook", "pipeline", "project",
	"report", "run", "schema", "system", "table", "task", "topic", "unknown", "view",
};
#define N_BUILTIN (sizeof builtin_kinds / sizeof builtin_kinds[0])

static int cmp_name(const void *key, const void *elem)
{
	return strcmp(key, *(const char *const *)elem);
}

static int is_builtin(const char *kind)
{
	return bsearch(kind, builtin_kinds, N_BUILTIN, sizeof builtin_kinds[0], cmp_name) != NULL;
}

void lin_asset_kinds_forget(lineage_db *db)
{
	for (size_t i = 0; i < db->n_asset_kinds; i++)
		free(db->asset_kinds[i]);
	free(db->asset_kinds);
	db->asset_kinds = NULL;
	db->n_asset_kinds = db->cap_asset_kinds = 0;
	db->asset_kinds_loaded = 0;
}

static int add_loaded(const char *kind, void *payload)
{
	lineage_db *db = payload;
	char *copy;
	if (db->n_asset_kinds == db->cap_asset_kinds) {
		size_t cap = db->cap_asset_kinds ? 2 * db->cap_asset_kinds : 16;
		char **p = realloc(db->asset_kinds, cap * sizeof *p);
		if (!p)
			return lin_error_oom();
		db->asset_kinds = p;
		db->cap_asset_kinds = cap;
	}
	if (!(copy = lin_strdup(kind)))
		return lin_error_oom();
	db->asset_kinds[db->n_asset_kinds++] = copy;
	return 0;
}

static int load(lineage_db *db)
{
	int rc;
	lin_asset_kinds_forget(db);
	if ((rc = lin_store_asset_kinds_each(db->store, add_loaded, db))) {
		lin_asset_kinds_forget(db);
		return rc;
	}
	db->asset_kinds_loaded = 1;
	return 0;
}

static int is_loaded(const lineage_db *db, const char *kind)
{
	for (size_t i = 0; i < db->n_asset_kinds; i++)
		if (!strcmp(db->asset_kinds[i], kind))
			return 1;
	return 0;
}

/* The known kind closest to `kind`, or NULL when none is close enough to be a typo. */
static const char *closest(const lineage_db *db, const char *kind)
{
	size_t len = strlen(kind);
	int limit = len >= 4 ? 2 : 1, best_d = limit + 1;
	const char *best = NULL;
	for (size_t i = 0; i < N_BUILTIN + db->n_asset_kinds; i++) {
		const char *k = i < N_BUILTIN ? builtin_kinds[i] : db->asset_kinds[i - N_BUILTIN];
		int d = lin_edit_distance(kind, k);
		if (d < best_d) {
			best_d = d;
			best = k;
		}
	}
	return best;
}

int lin_asset_kind_check(lineage_db *db, const char *kind)
{
	const char *near;
	int rc;
	if (is_builtin(kind) || is_loaded(db, kind))
		return 0;
	/* Another handle may have declared it since we read them: read them again. */
	if ((rc = load(db)))
		return rc;
	if (is_loaded(db, kind))
		return 0;
	near = closest(db, kind);
	if (near)
		return lin_error_hint(LINEAGE_EINVALID, LINEAGE_HINT_DECLARE_ASSET_KIND, kind,
				      "asset kind \"%.100s\" is not declared (did you mean \"%s\"?)",
				      kind, near);
	return lin_error_hint(LINEAGE_EINVALID, LINEAGE_HINT_DECLARE_ASSET_KIND, kind,
			      "asset kind \"%.100s\" is not declared (the built-in kinds are table, "
			      "view, column, job, dashboard...)", kind);
}

int lineage_asset_kind_check(lineage_db *db, const char *kind)
{
	int rc;
	if ((rc = lin_check_db(db)) || (rc = lin_check_name(kind, "asset kind")))
		return rc;
	return lin_asset_kind_check(db, kind);
}

int lineage_asset_kind_define(lineage_db *db, const char *kind)
{
	lin_write w;
	int rc;
	if ((rc = lin_check_db(db)) || (rc = lin_check_name(kind, "asset kind")))
		return rc;
	if (is_builtin(kind))
		return 0;
	if ((rc = lin_write_begin(db, &w)))
		return rc;
	rc = lin_store_asset_kind_define(db->store, kind);
	return lin_write_end(db, &w, rc);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int lineage_asset_kinds_json(char **out, lineage_db *db)
{
	lin_strbuf sb = LIN_STRBUF_INIT;
	const char **names;
	size_t n = 0;
	int rc;
	if (!out)
		return lin_error_set(LINEAGE_EINVALID, "out is NULL: pass the address of a char pointer");
	*out = NULL;
	if ((rc = lin_check_db(db)) || (rc = load(db)))
		return rc;
	if (!(names = malloc((N_BUILTIN + db->n_asset_kinds) * sizeof *names)))
		return lin_error_oom();
	for (size_t i = 0; i < N_BUILTIN; i++)
		names[n++] = builtin_kinds[i];
	for (size_t i = 0; i < db->n_asset_kinds; i++)
		if (!is_builtin(db->asset_kinds[i]))
			names[n++] = db->asset_kinds[i];
	qsort(names, n, sizeof *names, cmp_str);
	rc = lin_strbuf_putc(&sb, '[');
	for (size_t i = 0; !rc && i < n; i++) {
		rc = lin_strbuf_puts(&sb, i ? ",{\"name\":" : "{\"name\":");
		rc = rc ? rc : lin_json_str(&sb, names[i]);
		rc = rc ? rc : lin_strbuf_puts(&sb, is_builtin(names[i]) ? ",\"builtin\":true}" : ",\"builtin\":false}");
	}
	rc = rc ? rc : lin_strbuf_putc(&sb, ']');
	free(names);
	if (rc) {
		lin_strbuf_free(&sb);
		return rc;
	}
	*out = lin_strbuf_detach(&sb);
	return 0;
}
