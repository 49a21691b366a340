/* Dispatch of the token operations (backend.h), and their record. */
#include <stdlib.h>
#include <string.h>

#include "backend.h"

lin_token_rec *lin_token_rec_new(const char *user, const char *role, const char *created_by)
{
	size_t lu = strlen(user) + 1, lr = strlen(role) + 1;
	size_t lc = created_by ? strlen(created_by) + 1 : 0;
	lin_token_rec *r = calloc(1, sizeof *r + lu + lr + lc);
	char *p;
	if (!r)
		return NULL;
	p = (char *)(r + 1);
	r->pub.user = memcpy(p, user, lu);
	r->pub.role = memcpy(p + lu, role, lr);
	r->pub.created_by = created_by ? memcpy(p + lu + lr, created_by, lc) : NULL;
	return r;
}

int lin_store_token_insert(lin_store *st, const lin_token_write *w, int64_t *out_id)
{
	return st->ops->token_insert(st, w, out_id);
}

int lin_store_token_find(lin_store *st, int64_t id, const char *digest, lin_token_rec **out)
{
	return st->ops->token_find(st, id, digest, out);
}

int lin_store_tokens_each(lin_store *st, lin_token_rec_cb cb, void *payload)
{
	return st->ops->tokens_each(st, cb, payload);
}

int lin_store_token_revoke(lin_store *st, int64_t id, int64_t at)
{
	return st->ops->token_revoke(st, id, at);
}

int lin_store_token_touch(lin_store *st, int64_t id, int64_t at)
{
	return st->ops->token_touch(st, id, at);
}
