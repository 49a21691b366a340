/*
 * Internal: API tokens in the store (issue 15; the table `tokens`, docs/data-model.md).
 * Only the SHA-256 digest of a token is stored (hex); lib/api/token.c makes and checks them.
 */
#ifndef LIN_STORE_TOKENS_H
#define LIN_STORE_TOKENS_H

#include <stdint.h>

#include "lineage/token.h"

typedef struct lin_store lin_store;

typedef struct lin_token_write {
	const char *user;
	const char *role;
	const char *digest; /* 64 hex digits */
	const char *created_by;
	int64_t created_at, expires_at; /* ms; expires_at 0: never */
} lin_token_write;

/* A stored token: `pub` and the strings it points to, in one allocation with the digest. */
typedef struct lin_token_rec {
	lineage_token pub;
	char digest[65];
} lin_token_rec;

/* A new record holding copies of the strings (NULL with ENOMEM). Freed with free(). */
lin_token_rec *lin_token_rec_new(const char *user, const char *role, const char *created_by);

typedef int (*lin_token_rec_cb)(lin_token_rec *rec, void *payload); /* takes rec */

int lin_store_token_insert(lin_store *st, const lin_token_write *w, int64_t *out_id);
/* By digest (when `digest` is not NULL) or by id; *out NULL when there is none. */
int lin_store_token_find(lin_store *st, int64_t id, const char *digest, lin_token_rec **out);
/* Every token, by id. */
int lin_store_tokens_each(lin_store *st, lin_token_rec_cb cb, void *payload);
/* Set revoked_at (the caller checked it was not). */
int lin_store_token_revoke(lin_store *st, int64_t id, int64_t at);
int lin_store_token_touch(lin_store *st, int64_t id, int64_t at);

#endif
