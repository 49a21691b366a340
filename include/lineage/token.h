/*
 * liblineage: API tokens for services in front of a lineage database. A token is a secret
 * string ("lin_" and 43 base64url characters: 256 random bits) given to a user with a role;
 * the database keeps only its SHA-256 digest, so the text is shown once, by
 * lineage_token_create(), and can never be read back. Creating and revoking a token are
 * changes in the audit trail (entity "token", without the secret).
 *
 * Roles, each allowing what the ones before it allow:
 *   "viewer"  read;
 *   "editor"  write assets and manual edges, import;
 *   "steward" approve and reject edges;
 *   "admin"   revert batches, back up, manage tokens.
 * The library stores and verifies tokens; a service decides what each role may do.
 */
#ifndef LINEAGE_TOKEN_H
#define LINEAGE_TOKEN_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A token as stored (never its text or digest). Allocated by liblineage, read-only. */
typedef struct lineage_token {
	int64_t id;
	const char *user;
	const char *role;          /**< "viewer", "editor", "steward" or "admin" */
	const char *created_by;    /**< the handle's actor that created it */
	int64_t created_at_ms;     /**< Unix time in milliseconds */
	int64_t expires_at_ms;     /**< 0: never */
	int64_t revoked_at_ms;     /**< 0: not revoked */
	int64_t last_used_at_ms;   /**< 0: never verified; updated at most once a minute */
} lineage_token;

/** Free a token from lineage_token_verify(); NULL is a no-op. */
LINEAGE_EXTERN void lineage_token_free(lineage_token *token);

/**
 * The rank of a role name: 1 viewer, 2 editor, 3 steward, 4 admin; 0 for anything else.
 * A role may do what its rank and every lower rank allow.
 */
LINEAGE_EXTERN int lineage_token_role_rank(const char *role);

/**
 * Create a token for `user` with `role`, valid until `expires_at_ms` (Unix ms; 0: never).
 * *out_token receives the token's text (new, lineage_free() it): the only time it can be read.
 * *out_id (may be NULL) its id, for lineage_token_revoke().
 * @return 0; EINVALID (an empty or malformed user, an unknown role, an expiry in the past);
 *         EREADONLY; EIO when the system's random source cannot be read.
 */
LINEAGE_EXTERN int lineage_token_create(char **out_token, int64_t *out_id, lineage_db *db,
					const char *user, const char *role,
					int64_t expires_at_ms);

/**
 * Every token, oldest first, as JSON: {"tokens": [{"id", "user", "role", "created_by",
 * "created_at", "expires_at", "revoked_at", "last_used_at", "state"}, ...]} with times in
 * ISO 8601 (null when unset) and state "active", "expired" or "revoked".
 * Neither the token nor its digest is ever included. *out is new (lineage_free() it).
 */
LINEAGE_EXTERN int lineage_token_list_json(char **out, lineage_db *db);

/** How many tokens the database holds, revoked and expired ones included: a service
 *  requires tokens once it holds one. */
LINEAGE_EXTERN int lineage_token_count(int64_t *out, lineage_db *db);

/**
 * Revoke token `id`: it stops verifying at once. Recorded in the audit trail.
 * @return 0; ENOTFOUND (no such token); ECONFLICT (already revoked).
 */
LINEAGE_EXTERN int lineage_token_revoke(lineage_db *db, int64_t id);

/**
 * The token whose text is `token`, if it may be used now. The digest is compared in
 * constant time. Records when it was last used (at most once a minute; not on a read-only
 * handle). *out is new (lineage_token_free()).
 * @return 0; EAUTH with a message saying whether the token is unknown, malformed, expired
 *         or revoked (the message never contains the token).
 */
LINEAGE_EXTERN int lineage_token_verify(lineage_token **out, lineage_db *db, const char *token);

#ifdef __cplusplus
}
#endif
#endif
