/* API tokens in SQLite (the table `tokens`, schema 5; lib/store/tokens.h). */
#include <stdio.h>
#include <stdlib.h>

#include "sq.h"

#define TOKEN_SELECT "SELECT id, user_name, role, created_by, created_at, expires_at," \
	" revoked_at, last_used_at, digest FROM tokens "

static int read_token(sqlite3_stmt *stmt, lin_token_rec **out)
{
	const char *user = (const char *)sqlite3_column_text(stmt, 1);
	const char *role = (const char *)sqlite3_column_text(stmt, 2);
	const char *digest = (const char *)sqlite3_column_text(stmt, 8);
	lin_token_rec *r = lin_token_rec_new(user ? user : "", role ? role : "",
					     (const char *)sqlite3_column_text(stmt, 3));
	if (!r)
		return lin_error_oom();
	r->pub.id = sqlite3_column_int64(stmt, 0);
	r->pub.created_at_ms = sqlite3_column_int64(stmt, 4);
	r->pub.expires_at_ms = sqlite3_column_int64(stmt, 5);
	r->pub.revoked_at_ms = sqlite3_column_int64(stmt, 6);
	r->pub.last_used_at_ms = sqlite3_column_int64(stmt, 7);
	snprintf(r->digest, sizeof r->digest, "%s", digest ? digest : "");
	*out = r;
	return 0;
}

int lin_sq_token_insert(lin_store *st, const lin_token_write *w, int64_t *out_id)
{
	lin_sq *s = LIN_SQ(st);
	sqlite3_stmt *stmt = NULL;
	int rc = lin_sq_stmt(s, SQ_TOKEN_INSERT,
			     "INSERT INTO tokens(user_name, role, digest, created_by, created_at,"
			     " expires_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)", &stmt);
	if (rc)
		return rc;
	lin_sq_bind_text(stmt, 1, w->user);
	lin_sq_bind_text(stmt, 2, w->role);
	lin_sq_bind_text(stmt, 3, w->digest);
	lin_sq_bind_text(stmt, 4, w->created_by);
	sqlite3_bind_int64(stmt, 5, w->created_at);
	lin_sq_bind_id(stmt, 6, w->expires_at);
	if ((rc = lin_sq_step_done(s, stmt, "storing a token")))
		return rc;
	*out_id = sqlite3_last_insert_rowid(s->db);
	return 0;
}

int lin_sq_token_find(lin_store *st, int64_t id, const char *digest, lin_token_rec **out)
{
	lin_sq *s = LIN_SQ(st);
	sqlite3_stmt *stmt = NULL;
	int rc = digest ? lin_sq_stmt(s, SQ_TOKEN_BY_DIGEST, TOKEN_SELECT "WHERE digest = ?1", &stmt)
			: lin_sq_stmt(s, SQ_TOKEN_BY_ID, TOKEN_SELECT "WHERE id = ?1", &stmt);
	*out = NULL;
	if (rc)
		return rc;
	if (digest)
		sqlite3_bind_text(stmt, 1, digest, -1, SQLITE_STATIC);
	else
		sqlite3_bind_int64(stmt, 1, id);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		rc = read_token(stmt, out);
	else
		rc = rc == SQLITE_DONE ? 0 : lin_sq_error(s, rc, "reading a token");
	sqlite3_reset(stmt);
	return rc;
}

typedef struct each_ctx {
	lin_token_rec_cb cb;
	void *payload;
} each_ctx;

static int token_row(sqlite3_stmt *stmt, void *payload)
{
	each_ctx *c = payload;
	lin_token_rec *r = NULL;
	int rc = read_token(stmt, &r);
	return rc ? rc : c->cb(r, c->payload);
}

int lin_sq_tokens_each(lin_store *st, lin_token_rec_cb cb, void *payload)
{
	lin_sq *s = LIN_SQ(st);
	sqlite3_stmt *stmt = NULL;
	each_ctx c = {cb, payload};
	int rc = lin_sq_stmt(s, SQ_TOKENS_EACH, TOKEN_SELECT "ORDER BY id", &stmt);
	return rc ? rc : lin_sq_each(s, stmt, token_row, &c, "reading the tokens");
}

static int set_time(lin_sq *s, enum lin_sq_stmt which, const char *sql, int64_t id, int64_t at)
{
	sqlite3_stmt *stmt = NULL;
	int rc = lin_sq_stmt(s, which, sql, &stmt);
	if (rc)
		return rc;
	sqlite3_bind_int64(stmt, 1, at);
	sqlite3_bind_int64(stmt, 2, id);
	return lin_sq_step_done(s, stmt, "updating a token");
}

int lin_sq_token_revoke(lin_store *st, int64_t id, int64_t at)
{
	return set_time(LIN_SQ(st), SQ_TOKEN_REVOKE, "UPDATE tokens SET revoked_at = ?1 WHERE id = ?2",
			id, at);
}

int lin_sq_token_touch(lin_store *st, int64_t id, int64_t at)
{
	return set_time(LIN_SQ(st), SQ_TOKEN_TOUCH, "UPDATE tokens SET last_used_at = ?1 WHERE id = ?2",
			id, at);
}
