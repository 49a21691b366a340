/* Connection URIs: parsed for the collectors, masked for everything a person or a file sees. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "collect_internal.h"
#include "common/error.h"
#include "common/strbuf.h"
#include "common/util.h"

#define MASK "****"

static int hexval(int c)
{
	return isdigit(c) ? c - '0' : isxdigit(c) ? tolower(c) - 'a' + 10 : -1;
}

/* Percent-decode s[0..n) ('+' stays '+': these are URIs, not forms). NULL when out of memory
 * or when it decodes to a NUL byte. */
static char *decode(const char *s, size_t n)
{
	char *out = malloc(n + 1), *o = out;
	if (!out) {
		lin_error_oom();
		return NULL;
	}
	for (size_t i = 0; i < n; i++) {
		int hi, lo;
		if (s[i] == '%' && i + 2 < n && (hi = hexval((unsigned char)s[i + 1])) >= 0 &&
		    (lo = hexval((unsigned char)s[i + 2])) >= 0) {
			*o = (char)(hi * 16 + lo);
			if (!*o) {
				free(out);
				lin_error_set(LINEAGE_EINVALID, "the URI holds %%00: remove it");
				return NULL;
			}
			o++;
			i += 2;
		} else {
			*o++ = s[i];
		}
	}
	*o = '\0';
	return out;
}

void lin_uri_free(lin_uri *uri)
{
	free(uri->scheme);
	free(uri->user);
	free(uri->password);
	free(uri->host);
	free(uri->path);
	for (size_t i = 0; i < uri->nparams; i++) {
		free(uri->params[i].name);
		free(uri->params[i].value);
	}
	free(uri->params);
	memset(uri, 0, sizeof *uri);
}

static int parse_params(lin_uri *u, const char *q)
{
	while (*q) {
		const char *amp = strchr(q, '&'), *end = amp ? amp : q + strlen(q);
		const char *eq = memchr(q, '=', (size_t)(end - q));
		lin_uri_param *p;
		if (end > q) {
			p = realloc(u->params, (u->nparams + 1) * sizeof *p);
			if (!p)
				return lin_error_oom();
			u->params = p;
			p = &u->params[u->nparams];
			p->name = decode(q, (size_t)((eq ? eq : end) - q));
			p->value = eq ? decode(eq + 1, (size_t)(end - eq - 1)) : lin_strdup("");
			if (!p->name || !p->value) {
				free(p->name);
				free(p->value);
				return lin_error_code() ? lin_error_code() : LINEAGE_ENOMEM;
			}
			u->nparams++;
		}
		q = amp ? amp + 1 : end;
	}
	return 0;
}

int lin_uri_parse(lin_uri *out, const char *uri)
{
	const char *sep = strstr(uri, "://"), *auth, *auth_end, *at, *hp, *colon;
	int rc = 0;
	memset(out, 0, sizeof *out);
	if (!sep || sep == uri)
		return lin_error_set(LINEAGE_EINVALID, "not a URI (scheme://...)");
	for (const char *p = uri; p < sep; p++)
		if (!isalnum((unsigned char)*p) && *p != '+' && *p != '-' && *p != '.')
			return lin_error_set(LINEAGE_EINVALID, "not a URI: its scheme has a '%c'", *p);
	if (!(out->scheme = lin_strndup(uri, (size_t)(sep - uri))))
		return LINEAGE_ENOMEM;
	for (char *p = out->scheme; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	auth = sep + 3;
	auth_end = auth + strcspn(auth, "/?#");
	/* The last '@' ends the user part: a password may hold '@' unencoded. */
	at = NULL;
	for (const char *p = auth; p < auth_end; p++)
		if (*p == '@')
			at = p;
	hp = auth;
	if (at) {
		colon = memchr(auth, ':', (size_t)(at - auth));
		out->user = decode(auth, (size_t)((colon ? colon : at) - auth));
		if (!out->user)
			goto fail;
		if (colon && !(out->password = decode(colon + 1, (size_t)(at - colon - 1))))
			goto fail;
		hp = at + 1;
	}
	if (hp < auth_end) {
		const char *port = NULL;
		const char *bracket = *hp == '[' ? memchr(hp, ']', (size_t)(auth_end - hp)) : NULL;
		const char *search = bracket ? bracket : hp;
		const char *c = memchr(search, ':', (size_t)(auth_end - search));
		if (c && !memchr(hp, ',', (size_t)(auth_end - hp)))
			port = c + 1;
		if (!(out->host = lin_strndup(hp, (size_t)((port ? port - 1 : auth_end) - hp))))
			goto fail;
		if (port) {
			long v = 0;
			for (const char *p = port; p < auth_end; p++) {
				if (!isdigit((unsigned char)*p) || (v = v * 10 + (*p - '0')) > 65535) {
					rc = lin_error_set(LINEAGE_EINVALID, "the URI's port is not a number from 1 to 65535");
					goto fail;
				}
			}
			out->port = (int)v;
		}
	}
	if (*auth_end == '/') {
		const char *p = auth_end + 1, *e = p + strcspn(p, "?#");
		if (e > p && !(out->path = decode(p, (size_t)(e - p))))
			goto fail;
		auth_end = e;
	}
	if (*auth_end == '?') {
		const char *q = auth_end + 1;
		char *query = lin_strndup(q, strcspn(q, "#"));
		if (!query)
			goto fail;
		rc = parse_params(out, query);
		free(query);
		if (rc)
			goto fail;
	}
	return 0;
fail:
	rc = rc ? rc : lin_error_code() ? lin_error_code() : LINEAGE_ENOMEM;
	lin_uri_free(out);
	return rc;
}

const char *lin_uri_param_get(const lin_uri *uri, const char *name)
{
	for (size_t i = uri->nparams; i-- > 0;)
		if (!strcmp(uri->params[i].name, name))
			return uri->params[i].value;
	return NULL;
}

const char *lin_uri_password(const lin_uri *uri)
{
	return uri->password ? uri->password : lin_uri_param_get(uri, "password");
}

void lin_mask_secret(char *message, const char *secret)
{
	size_t n = secret ? strlen(secret) : 0, m = n < strlen(MASK) ? n : strlen(MASK);
	char *p, *from = message;
	if (!n || !message)
		return;
	/* Search on after each mask: a secret made of the mask's own characters ("*") would
	 * otherwise be found again in the mask, for ever. */
	while ((p = strstr(from, secret)) != NULL) {
		memcpy(p, MASK, m);
		memmove(p + m, p + n, strlen(p + n) + 1);
		from = p + m;
	}
}

/* The URI's text with the user part's password and any "password" parameter masked. */
int lineage_collect_uri_mask(char **out, const char *uri)
{
	lin_strbuf sb = LIN_STRBUF_INIT;
	const char *sep, *auth, *auth_end, *at = NULL, *q;
	int rc = 0;
	if (!out || !uri)
		return lin_error_set(LINEAGE_EINVALID, "out and uri are required");
	*out = NULL;
	/* Without "://" (a mistyped scheme, a file path) there is no user part, but a
	 * "?password=" parameter is still masked. */
	sep = strstr(uri, "://");
	auth = sep ? sep + 3 : uri;
	auth_end = sep ? auth + strcspn(auth, "/?#") : uri;
	for (const char *p = auth; p < auth_end; p++)
		if (*p == '@')
			at = p;
	if (at && memchr(auth, ':', (size_t)(at - auth))) {
		const char *colon = memchr(auth, ':', (size_t)(at - auth));
		rc = lin_strbuf_append(&sb, uri, (size_t)(colon + 1 - uri));
		rc = rc ? rc : lin_strbuf_puts(&sb, MASK);
		q = at;
	} else {
		q = uri;
	}
	/* Copy the rest parameter by parameter, masking password=... */
	while (!rc && *q) {
		const char *start = q;
		int in_query = (strchr(uri, '?') && q > strchr(uri, '?'));
		size_t n = strcspn(q, "&");
		if (in_query && (!strncmp(q, "password=", 9))) {
			rc = lin_strbuf_puts(&sb, "password=" MASK);
		} else {
			const char *qm = memchr(q, '?', n);
			if (qm && !strncmp(qm + 1, "password=", 9)) {
				rc = lin_strbuf_append(&sb, q, (size_t)(qm + 1 - q));
				rc = rc ? rc : lin_strbuf_puts(&sb, "password=" MASK);
			} else {
				rc = lin_strbuf_append(&sb, q, n);
			}
		}
		q = start + n;
		if (!rc && *q == '&') {
			rc = lin_strbuf_putc(&sb, '&');
			q++;
		}
	}
	if (rc) {
		lin_strbuf_free(&sb);
		return rc;
	}
	*out = lin_strbuf_detach(&sb);
	return 0;
}
