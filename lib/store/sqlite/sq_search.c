/* Asset search with FTS5. User words become quoted prefix terms: user text never reaches
 * MATCH as query syntax. */
#include "sq.h"
#include "common/strbuf.h"

#define FILTERS " AND (?2 IS NULL OR a.kind = ?2) AND (?3 IS NULL OR a.owner = ?3)" \
	" AND (?4 IS NULL OR EXISTS (SELECT 1 FROM json_each(a.tags) WHERE value = ?4))"

/* Key hits weigh most, then name, tags and description. */
#define FTS_FROM " FROM assets_fts f JOIN assets a ON a.id = f.rowid" \
	" LEFT JOIN assets p ON p.id = a.parent_id WHERE assets_fts MATCH ?1" FILTERS

static const char sql_fts[] =
	"SELECT a.id, a.key, a.kind, a.name, a.parent_id, p.key, a.owner, a.description,"
	" a.status, a.tags, a.properties, a.created_at, a.updated_at" FTS_FROM
	" ORDER BY a.key = ?5 DESC, bm25(assets_fts, 10.0, 5.0, 1.0, 3.0), a.key LIMIT ?6 OFFSET ?7";
static const char sql_fts_count[] = "SELECT count(*)" FTS_FROM;
static const char sql_all[] =
	ASSET_SELECT("WHERE 1" FILTERS " ORDER BY a.key LIMIT ?6 OFFSET ?7");
static const char sql_all_count[] =
	"SELECT count(*) FROM assets a WHERE 1" FILTERS;

static int match_expr(const lin_search_query *q, lin_strbuf *sb)
{
	int rc = 0;
	for (size_t i = 0; i < q->word_count && !rc; i++) {
		const char *w = q->words[i];
		if (i)
			rc = lin_strbuf_putc(sb, ' ');
		rc = rc ? rc : lin_strbuf_putc(sb, '"');
		for (; *w && !rc; w++)
			rc = *w == '"' ? lin_strbuf_puts(sb, "\"\"") : lin_strbuf_putc(sb, *w);
		rc = rc ? rc : lin_strbuf_puts(sb, "\"*");
	}
	return rc;
}

static int bind_common(sqlite3_stmt *stmt, const lin_search_query *q, const char *match)
{
	int rc = lin_sq_bind_text(stmt, 1, match);
	rc |= lin_sq_bind_text(stmt, 2, q->kind);
	rc |= lin_sq_bind_text(stmt, 3, q->owner);
	rc |= lin_sq_bind_text(stmt, 4, q->tag);
	return rc;
}

struct asset_walk {
	lin_asset_rec_cb cb;
	void *payload;
};

static int asset_row(sqlite3_stmt *stmt, void *payload)
{
	struct asset_walk *w = payload;
	lin_asset_rec *rec;
	int rc = lin_sq_read_asset(stmt, &rec);
	return rc ? rc : w->cb(rec, w->payload);
}

int lin_sq_asset_search(lin_store *st, const lin_search_query *q, lin_asset_rec_cb cb,
			void *payload, size_t *out_total)
{
	lin_sq *s = LIN_SQ(st);
	lin_strbuf match = LIN_STRBUF_INIT;
	sqlite3_stmt *list = NULL, *count = NULL;
	struct asset_walk w = {cb, payload};
	int fts = q->word_count > 0;
	int rc;

	*out_total = 0;
	/* Inside a transaction, its own writes must be found too. */
	if (!sqlite3_get_autocommit(s->db) && (rc = lin_sq_fts_sync(s)))
		return rc;
	if (fts && (rc = match_expr(q, &match)))
		goto done;
	rc = sqlite3_prepare_v2(s->db, fts ? sql_fts : sql_all, -1, &list, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(s->db, fts ? sql_fts_count : sql_all_count, -1, &count, NULL);
	if (rc != SQLITE_OK) {
		rc = lin_sq_error(s, rc, "searching assets");
		goto done;
	}
	bind_common(count, q, match.data);
	rc = sqlite3_step(count);
	if (rc != SQLITE_ROW) {
		rc = lin_sq_error(s, rc, "counting search results");
		goto done;
	}
	*out_total = (size_t)sqlite3_column_int64(count, 0);
	bind_common(list, q, match.data);
	lin_sq_bind_text(list, 5, q->exact_key);
	sqlite3_bind_int64(list, 6, (sqlite3_int64)q->limit);
	sqlite3_bind_int64(list, 7, (sqlite3_int64)q->offset);
	rc = lin_sq_each(s, list, asset_row, &w, "searching assets");
done:
	sqlite3_finalize(list);
	sqlite3_finalize(count);
	lin_strbuf_free(&match);
	return rc;
}
