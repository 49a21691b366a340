/* Asset search with a tsvector and a GIN index. User words never reach the query syntax: they
 * are split, in SQL, into runs of letters and digits (the same split the indexed column
 * makes), and each run becomes a prefix term; every one must match. Ranked like the SQLite
 * store: exact key first, then by weighted relevance (key > name > tags > description), then
 * by key. */
#include "pg.h"
#include "common/strbuf.h"

#define QUERY "(SELECT to_tsquery('simple', string_agg(t || ':*', ' & '))" \
	" FROM regexp_split_to_table(lower(regexp_replace($1::text, '[^[:alnum:]]+', ' ', 'g')), ' ') AS t" \
	" WHERE t <> '')"

#define FILTERS " AND ($2::text IS NULL OR a.kind = $2) AND ($3::text IS NULL OR a.owner = $3)" \
	" AND ($4::text IS NULL OR a.tags::jsonb ? $4)"

#define FTS_FROM " FROM assets a LEFT JOIN assets p ON p.id = a.parent_id, " QUERY " AS q(q)" \
	" WHERE a.search @@ q.q" FILTERS

static const char sql_fts[] =
	"SELECT a.id, a.key, a.kind, a.name, a.parent_id, p.key, a.owner, a.description,"
	" a.status, a.tags, a.properties, a.created_at, a.updated_at" FTS_FROM
	" ORDER BY a.key = $5 DESC, ts_rank('{0.1, 0.3, 0.5, 1.0}', a.search, q.q) DESC,"
	" a.key COLLATE \"C\" LIMIT $6 OFFSET $7";
static const char sql_fts_count[] = "SELECT count(*)" FTS_FROM;
static const char sql_all[] =
	PG_ASSET_SELECT("WHERE $1::text IS NULL" FILTERS
			" ORDER BY a.key = $5::text DESC, a.key COLLATE \"C\" LIMIT $6 OFFSET $7");
static const char sql_all_count[] = "SELECT count(*) FROM assets a WHERE $1::text IS NULL" FILTERS;

struct asset_walk {
	lin_asset_rec_cb cb;
	void *payload;
};

static int asset_row(PGresult *res, int row, void *payload)
{
	struct asset_walk *w = payload;
	lin_asset_rec *rec;
	int rc = lin_pg_read_asset(res, row, &rec);
	return rc ? rc : w->cb(rec, w->payload);
}

int lin_pg_asset_search(lin_store *st, const lin_search_query *q, lin_asset_rec_cb cb,
			void *payload, size_t *out_total)
{
	lin_pg *p = LIN_PG(st);
	lin_strbuf words = LIN_STRBUF_INIT;
	lin_pg_args a = {0};
	struct asset_walk w = {cb, payload};
	int64_t total = 0, *outs[1] = {&total};
	int fts = q->word_count > 0;
	int rc = 0;

	*out_total = 0;
	for (size_t i = 0; i < q->word_count && !rc; i++)
		rc = lin_strbuf_printf(&words, "%s%s", i ? " " : "", q->words[i]);
	if (rc)
		goto done;
	lin_pg_text(&a, fts ? words.data : NULL);
	lin_pg_text(&a, q->kind);
	lin_pg_text(&a, q->owner);
	lin_pg_text(&a, q->tag);
	if ((rc = lin_pg_one_row(p, PG_ONCE, fts ? sql_fts_count : sql_all_count, &a, outs, 1,
				 "counting search results")))
		goto done;
	*out_total = (size_t)total;
	lin_pg_text(&a, fts ? (q->exact_key ? q->exact_key : "") : NULL);
	lin_pg_int(&a, (int64_t)q->limit);
	lin_pg_int(&a, (int64_t)q->offset);
	rc = lin_pg_each(p, PG_ONCE, fts ? sql_fts : sql_all, &a, asset_row, &w, "searching assets");
done:
	lin_strbuf_free(&words);
	return rc;
}
