/* API tokens in PostgreSQL (the table `tokens`, schema 5; lib/store/tokens.h). Statements are
 * run unprepared (PG_ONCE): tokens are read once per request at most. */
#include <stdio.h>
#include <stdlib.h>

#include "pg.h"

#define TOKEN_SELECT "SELECT id, user_name, role, created_by, created_at, expires_at," \
	" revoked_at, last_used_at, digest FROM tokens "

static int read_token(const PGresult *res, int row, lin_token_rec **out)
{
	const char *digest = lin_pg_cstr(res, row, 8);
	lin_token_rec *r = lin_token_rec_new(PQgetvalue(res, row, 1), PQgetvalue(res, row, 2),
					     lin_pg_cstr(res, row, 3));
	if (!r)
		return lin_error_oom();
	r->pub.id = lin_pg_i64(res, row, 0);
	r->pub.created_at_ms = lin_pg_i64(res, row, 4);
	r->pub.expires_at_ms = lin_pg_i64(res, row, 5);
	r->pub.revoked_at_ms = lin_pg_i64(res, row, 6);
	r->pub.last_used_at_ms = lin_pg_i64(res, row, 7);
	snprintf(r->digest, sizeof r->digest, "%s", digest ? digest : "");
	*out = r;
	return 0;
}

int lin_pg_token_insert(lin_store *st, const lin_token_write *w, int64_t *out_id)
{
	lin_pg_args a = {0};
	int64_t *outs[1] = {out_id};
	lin_pg_text(&a, w->user);
	lin_pg_text(&a, w->role);
	lin_pg_text(&a, w->digest);
	lin_pg_text(&a, w->created_by);
	lin_pg_int(&a, w->created_at);
	lin_pg_id(&a, w->expires_at);
	/* the highest id + 1, under the writer lock (pg.h) */
	return lin_pg_one_row(LIN_PG(st), PG_ONCE,
			      "INSERT INTO tokens(id, user_name, role, digest, created_by, created_at,"
			      " expires_at) SELECT coalesce(max(id), 0) + 1, $1, $2, $3, $4, $5, $6"
			      " FROM tokens RETURNING id", &a, outs, 1, "storing a token");
}

int lin_pg_token_find(lin_store *st, int64_t id, const char *digest, lin_token_rec **out)
{
	lin_pg_args a = {0};
	PGresult *res = NULL;
	int rc;
	*out = NULL;
	if (digest)
		lin_pg_text(&a, digest);
	else
		lin_pg_int(&a, id);
	if ((rc = lin_pg_run(LIN_PG(st), PG_ONCE,
			     digest ? TOKEN_SELECT "WHERE digest = $1" : TOKEN_SELECT "WHERE id = $1",
			     &a, &res, "reading a token")))
		return rc;
	if (PQntuples(res) > 0)
		rc = read_token(res, 0, out);
	PQclear(res);
	return rc;
}

struct token_walk {
	lin_token_rec_cb cb;
	void *payload;
};

static int token_row(PGresult *res, int row, void *payload)
{
	struct token_walk *w = payload;
	lin_token_rec *r = NULL;
	int rc = read_token(res, row, &r);
	return rc ? rc : w->cb(r, w->payload);
}

int lin_pg_tokens_each(lin_store *st, lin_token_rec_cb cb, void *payload)
{
	struct token_walk w = {cb, payload};
	return lin_pg_each(LIN_PG(st), PG_ONCE, TOKEN_SELECT "ORDER BY id", NULL, token_row, &w,
			   "reading the tokens");
}

int lin_pg_token_revoke(lin_store *st, int64_t id, int64_t at)
{
	lin_pg_args a = {0};
	lin_pg_int(&a, at);
	lin_pg_int(&a, id);
	return lin_pg_exec(LIN_PG(st), PG_ONCE, "UPDATE tokens SET revoked_at = $1 WHERE id = $2", &a,
			   "revoking a token");
}

int lin_pg_token_touch(lin_store *st, int64_t id, int64_t at)
{
	lin_pg_args a = {0};
	lin_pg_int(&a, at);
	lin_pg_int(&a, id);
	return lin_pg_exec(LIN_PG(st), PG_ONCE, "UPDATE tokens SET last_used_at = $1 WHERE id = $2",
			   &a, "recording a token's use");
}
