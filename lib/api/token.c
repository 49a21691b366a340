/*
 * API tokens (include/lineage/token.h): made from the system's random source, stored as
 * their SHA-256 digest (lib/common/sha256.c), found by that digest and checked in constant
 * time.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "json.h"
#include "write.h"
#include "common/error.h"
#include "common/sha256.h"
#include "common/strbuf.h"
#include "common/util.h"
#include "store/tokens.h"

#define TOKEN_PREFIX "lin_"
#define TOKEN_RANDOM_BYTES 32 /* 256 bits */
#define TOKEN_BODY_LEN 43     /* base64url of 32 bytes, without padding */
#define TOKEN_LEN (sizeof TOKEN_PREFIX - 1 + TOKEN_BODY_LEN)
#define TOUCH_EVERY_MS 60000  /* last_used_at is a write: at most once a minute */

static const char *const roles[] = {"viewer", "editor", "steward", "admin"};
static const char b64url[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

int lineage_token_role_rank(const char *role)
{
	for (int i = 0; role && i < 4; i++)
		if (!strcmp(role, roles[i]))
			return i + 1;
	return 0;
}

void lineage_token_free(lineage_token *token)
{
	free(token); /* a lin_token_rec, whose first member it is */
}

/* n bytes from getrandom(), or /dev/urandom where that system call is missing. */
static int random_bytes(unsigned char *out, size_t n)
{
	size_t got = 0;
	int fd;
	while (got < n) {
		ssize_t r = getrandom(out + got, n - got, 0);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			break;
		got += (size_t)r;
	}
	if (got == n)
		return 0;
	if ((fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC)) < 0)
		return lin_error_set(LINEAGE_EIO, "cannot read the system's random source (getrandom and /dev/urandom failed): a token cannot be made safely");
	for (got = 0; got < n;) {
		ssize_t r = read(fd, out + got, n - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	close(fd);
	return got == n ? 0 : lin_error_set(LINEAGE_EIO, "cannot read the system's random source: a token cannot be made safely");
}

static void base64url(char *out, const unsigned char *in, size_t n)
{
	uint32_t acc = 0;
	int bits = 0;
	for (size_t i = 0; i < n; i++) {
		acc = acc << 8 | in[i];
		bits += 8;
		while (bits >= 6) {
			bits -= 6;
			*out++ = b64url[(acc >> bits) & 63];
		}
	}
	if (bits)
		*out++ = b64url[(acc << (6 - bits)) & 63];
	*out = '\0';
}

static int token_json(lin_strbuf *sb, const lineage_token *t, int64_t now)
{
	const char *state = t->revoked_at_ms ? "revoked"
			  : t->expires_at_ms && t->expires_at_ms <= now ? "expired" : "active";
	int rc = lin_strbuf_printf(sb, "{\"id\":%lld,\"user\":", (long long)t->id);
	rc = rc ? rc : lin_json_str(sb, t->user);
	rc = rc ? rc : lin_strbuf_puts(sb, ",\"role\":");
	rc = rc ? rc : lin_json_str(sb, t->role);
	rc = rc ? rc : lin_strbuf_puts(sb, ",\"created_by\":");
	rc = rc ? rc : lin_json_str(sb, t->created_by);
	rc = rc ? rc : lin_strbuf_puts(sb, ",\"created_at\":");
	rc = rc ? rc : lin_json_time(sb, t->created_at_ms, 0);
	rc = rc ? rc : lin_strbuf_puts(sb, ",\"expires_at\":");
	rc = rc ? rc : lin_json_time(sb, t->expires_at_ms, 1);
	rc = rc ? rc : lin_strbuf_puts(sb, ",\"revoked_at\":");
	rc = rc ? rc : lin_json_time(sb, t->revoked_at_ms, 1);
	rc = rc ? rc : lin_strbuf_puts(sb, ",\"last_used_at\":");
	rc = rc ? rc : lin_json_time(sb, t->last_used_at_ms, 1);
	rc = rc ? rc : lin_strbuf_printf(sb, ",\"state\":\"%s\"}", state);
	return rc;
}

/* The audit record of a token's creation or revocation: who it is for, never the secret. */
static int audit(lineage_db *db, lin_write *w, const char *action, const lineage_token *before,
		 const lineage_token *after)
{
	lin_strbuf b = LIN_STRBUF_INIT, a = LIN_STRBUF_INIT;
	lin_audit rec = {0};
	int64_t now = lin_now_ms();
	int rc = 0;
	if (before)
		rc = token_json(&b, before, now);
	rc = rc ? rc : token_json(&a, after, now);
	if (!rc) {
		rec.action = action;
		rec.entity = "token";
		rec.entity_id = after->id;
		rec.before_json = b.data;
		rec.after_json = a.data;
		rc = lin_audit_record(db, w, &rec);
	}
	lin_strbuf_free(&b);
	lin_strbuf_free(&a);
	return rc;
}

int lineage_token_create(char **out_token, int64_t *out_id, lineage_db *db, const char *user,
			 const char *role, int64_t expires_at_ms)
{
	unsigned char raw[TOKEN_RANDOM_BYTES];
	char text[TOKEN_LEN + 1], digest[2 * LIN_SHA256_SIZE + 1];
	lin_token_write tw = {0};
	lineage_token made = {0};
	lin_write w;
	int64_t id = 0;
	int rc;
	if (!out_token)
		return lin_error_set(LINEAGE_EINVALID, "out_token is NULL: pass the address of a char pointer");
	*out_token = NULL;
	if (out_id)
		*out_id = 0;
	if ((rc = lin_check_db(db)))
		return rc;
	if (!user || !*user)
		return lin_error_set(LINEAGE_EINVALID, "the token's user is missing: give the name of the person or service it is for");
	if ((rc = lin_check_name(user, "the token's user")))
		return rc;
	if (!lineage_token_role_rank(role))
		return lin_error_set(LINEAGE_EINVALID, "role \"%.100s\" is not a role: use viewer, editor, steward or admin", role ? role : "");
	tw.created_at = lin_now_ms();
	if (expires_at_ms < 0 || (expires_at_ms && expires_at_ms <= tw.created_at))
		return lin_error_set(LINEAGE_EINVALID, "the token's expiry is in the past: give a time to come, or none for a token that does not expire");
	if ((rc = random_bytes(raw, sizeof raw)))
		return rc;
	memcpy(text, TOKEN_PREFIX, sizeof TOKEN_PREFIX - 1);
	base64url(text + sizeof TOKEN_PREFIX - 1, raw, sizeof raw);
	lin_sha256_hex(text, TOKEN_LEN, digest);
	tw.user = user;
	tw.role = role;
	tw.digest = digest;
	tw.created_by = db->actor;
	tw.expires_at = expires_at_ms;
	if ((rc = lin_write_begin(db, &w)))
		goto done;
	rc = lin_store_token_insert(db->store, &tw, &id);
	if (!rc) {
		made.id = id;
		made.user = user;
		made.role = role;
		made.created_by = db->actor;
		made.created_at_ms = tw.created_at;
		made.expires_at_ms = expires_at_ms;
		rc = audit(db, &w, "create", NULL, &made);
	}
	if ((rc = lin_write_end(db, &w, rc)))
		goto done;
	if (!(*out_token = lin_strdup(text))) {
		rc = lin_error_oom();
		goto done;
	}
	if (out_id)
		*out_id = id;
done:
	/* the secret lives only in the caller's copy */
	memset(raw, 0, sizeof raw);
	memset(text, 0, sizeof text);
	return rc;
}

typedef struct list_ctx {
	lin_strbuf sb;
	int64_t now, count;
} list_ctx;

static int list_row(lin_token_rec *rec, void *payload)
{
	list_ctx *c = payload;
	int rc = (c->count++ ? lin_strbuf_putc(&c->sb, ',') : 0);
	rc = rc ? rc : token_json(&c->sb, &rec->pub, c->now);
	free(rec);
	return rc;
}

int lineage_token_list_json(char **out, lineage_db *db)
{
	list_ctx c = {LIN_STRBUF_INIT, lin_now_ms(), 0};
	int rc;
	if (!out)
		return lin_error_set(LINEAGE_EINVALID, "out is NULL: pass the address of a char pointer");
	*out = NULL;
	if ((rc = lin_check_db(db)))
		return rc;
	rc = lin_strbuf_puts(&c.sb, "{\"tokens\":[");
	rc = rc ? rc : lin_store_tokens_each(db->store, list_row, &c);
	rc = rc ? rc : lin_strbuf_puts(&c.sb, "]}");
	if (rc) {
		lin_strbuf_free(&c.sb);
		return rc;
	}
	*out = lin_strbuf_detach(&c.sb);
	return 0;
}

static int count_row(lin_token_rec *rec, void *payload)
{
	free(rec);
	(*(int64_t *)payload)++;
	return 0;
}

int lineage_token_count(int64_t *out, lineage_db *db)
{
	int rc;
	if (!out)
		return lin_error_set(LINEAGE_EINVALID, "out is NULL: pass the address of an int64_t");
	*out = 0;
	if ((rc = lin_check_db(db)))
		return rc;
	return lin_store_tokens_each(db->store, count_row, out);
}

int lineage_token_revoke(lineage_db *db, int64_t id)
{
	lin_token_rec *rec = NULL;
	lineage_token after;
	lin_write w;
	int rc;
	if ((rc = lin_check_db(db)))
		return rc;
	if ((rc = lin_write_begin(db, &w)))
		return rc;
	if ((rc = lin_store_token_find(db->store, id, NULL, &rec)))
		goto done;
	if (!rec) {
		rc = lin_error_set(LINEAGE_ENOTFOUND, "there is no token %lld: list the tokens to see their ids", (long long)id);
		goto done;
	}
	if (rec->pub.revoked_at_ms) {
		rc = lin_error_set(LINEAGE_ECONFLICT, "token %lld (user \"%.200s\") is already revoked", (long long)id, rec->pub.user);
		goto done;
	}
	after = rec->pub;
	after.revoked_at_ms = lin_now_ms();
	if (!(rc = lin_store_token_revoke(db->store, id, after.revoked_at_ms)))
		rc = audit(db, &w, "revoke", &rec->pub, &after);
done:
	free(rec);
	return lin_write_end(db, &w, rc);
}

/* Whether `token` has the shape of one of ours (checked before any lookup). */
static int well_formed(const char *token)
{
	if (strlen(token) != TOKEN_LEN || strncmp(token, TOKEN_PREFIX, sizeof TOKEN_PREFIX - 1))
		return 0;
	for (const char *p = token + sizeof TOKEN_PREFIX - 1; *p; p++)
		if (!strchr(b64url, *p))
			return 0;
	return 1;
}

static void touch(lineage_db *db, lin_token_rec *rec, int64_t now)
{
	lin_error_saved saved;
	lin_write w;
	if ((db->flags & LINEAGE_OPEN_READONLY) || now - rec->pub.last_used_at_ms < TOUCH_EVERY_MS)
		return;
	/* best effort: a busy database must not refuse a valid token */
	lin_error_save(&saved);
	if (!lin_write_begin(db, &w))
		lin_write_end(db, &w, lin_store_token_touch(db->store, rec->pub.id, now));
	lin_error_restore(&saved);
	rec->pub.last_used_at_ms = now;
}

int lineage_token_verify(lineage_token **out, lineage_db *db, const char *token)
{
	char digest[2 * LIN_SHA256_SIZE + 1];
	lin_token_rec *rec = NULL;
	int64_t now = lin_now_ms();
	int rc;
	if (!out)
		return lin_error_set(LINEAGE_EINVALID, "out is NULL: pass the address of a lineage_token pointer");
	*out = NULL;
	if ((rc = lin_check_db(db)))
		return rc;
	if (!token || !well_formed(token))
		return lin_error_set(LINEAGE_EAUTH, "the token is malformed: a liblineage token starts with \"" TOKEN_PREFIX "\" followed by 43 letters, digits, '-' or '_'; copy it again from where it was created");
	lin_sha256_hex(token, strlen(token), digest);
	if ((rc = lin_store_token_find(db->store, 0, digest, &rec)))
		return rc;
	if (!rec || !lin_equal_consttime(rec->digest, digest, sizeof digest)) {
		free(rec);
		return lin_error_set(LINEAGE_EAUTH, "the token is not known to this database: ask an administrator for a token");
	}
	if (rec->pub.revoked_at_ms) {
		rc = lin_error_set(LINEAGE_EAUTH, "token %lld (user \"%.200s\") was revoked: ask an administrator for a new token", (long long)rec->pub.id, rec->pub.user);
		free(rec);
		return rc;
	}
	if (rec->pub.expires_at_ms && rec->pub.expires_at_ms <= now) {
		rc = lin_error_set(LINEAGE_EAUTH, "token %lld (user \"%.200s\") has expired: ask an administrator for a new token", (long long)rec->pub.id, rec->pub.user);
		free(rec);
		return rc;
	}
	touch(db, rec, now);
	*out = &rec->pub;
	return 0;
}
