/* Asset search: the user's text becomes plain words (punctuation ignored). */
#include <stdlib.h>
#include <string.h>

#include "lists.h"
#include "ops.h"
#include "common/util.h"

#define TEXT_MAX 4096
#define WORDS_MAX 32
#define LIMIT_DEFAULT 50
#define LIMIT_MAX 10000

int lineage_search_options_init(lineage_search_options *opts, unsigned int version)
{
	if (!opts)
		return lin_error_set(LINEAGE_EINVALID, "opts is NULL: pass the struct to fill");
	if (version != LINEAGE_SEARCH_OPTIONS_VERSION)
		return lin_error_set(LINEAGE_EINVALID, "search options version %u is unknown: pass LINEAGE_SEARCH_OPTIONS_VERSION (%d)", version, LINEAGE_SEARCH_OPTIONS_VERSION);
	memset(opts, 0, sizeof *opts);
	opts->version = version;
	opts->limit = LIMIT_DEFAULT;
	return 0;
}

static int is_word_byte(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80;
}

static int blank(const char *s)
{
	for (; s && *s; s++)
		if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
			return 0;
	return 1;
}

static int has_tag(const lineage_asset *a, const char *tag)
{
	for (size_t i = 0; i < a->tag_count; i++)
		if (!strcmp(a->tags[i], tag))
			return 1;
	return 0;
}

/* The result of a search for `text` without words: the asset keyed `text` when it passes
 * the filters, else none. */
static int exact_key_only(lineage_db *db, const char *text, const lin_search_query *q,
			  lineage_asset_list **out)
{
	lineage_asset_list *list = lin_asset_list_new();
	lin_asset_rec *rec = NULL;
	int rc;
	if (!list)
		return lin_error_oom();
	if (!lin_check_key(text, "key") && (rc = lin_store_asset_by_key(db->store, text, &rec))) {
		lineage_asset_list_free(list);
		return rc;
	}
	lineage_error_clear();
	if (rec && (!q->kind || !strcmp(rec->pub.kind, q->kind)) &&
	    (!q->owner || (rec->pub.owner && !strcmp(rec->pub.owner, q->owner))) &&
	    (!q->tag || has_tag(&rec->pub, q->tag))) {
		list->total = 1;
		if (!q->offset) {
			rc = lin_asset_list_add(rec, list);
			rec = NULL;
			if (rc) {
				lineage_asset_list_free(list);
				return rc;
			}
		}
	}
	lin_asset_rec_free(rec);
	*out = list;
	return 0;
}

/* Split `text` (copied into `buf`) into words in place. */
static int split_words(char *buf, const char **words, size_t *n)
{
	char *p = buf;
	*n = 0;
	while (*p) {
		while (*p && !is_word_byte((unsigned char)*p))
			p++;
		if (!*p)
			break;
		if (*n == WORDS_MAX)
			return lin_error_set(LINEAGE_EINVALID, "the search text has more than %d words: use fewer words", WORDS_MAX);
		words[(*n)++] = p;
		while (*p && is_word_byte((unsigned char)*p))
			p++;
		if (*p)
			*p++ = '\0';
	}
	return 0;
}

int lineage_asset_search(lineage_asset_list **out, lineage_db *db, const char *text,
			 const lineage_search_options *opts)
{
	lineage_search_options defaults;
	lin_search_query q = {0};
	const char *words[WORDS_MAX];
	lineage_asset_list *list = NULL;
	char *buf = NULL;
	int rc;

	if (!out)
		return lin_error_set(LINEAGE_EINVALID, "out is NULL: pass the address of a list pointer");
	*out = NULL;
	if ((rc = lin_check_db(db)) || (rc = lin_check_text(text, "search text", TEXT_MAX)))
		return rc;
	if (!opts) {
		lineage_search_options_init(&defaults, LINEAGE_SEARCH_OPTIONS_VERSION);
		opts = &defaults;
	}
	if (opts->version != LINEAGE_SEARCH_OPTIONS_VERSION)
		return lin_error_set(LINEAGE_EINVALID, "search options version %u is unknown: fill them with lineage_search_options_init()", opts->version);
	if (opts->limit > LIMIT_MAX)
		return lin_error_set(LINEAGE_EINVALID, "limit %zu is too large: ask for at most %d results and page with offset", opts->limit, LIMIT_MAX);
	if ((rc = lin_check_text(opts->kind, "kind filter", 256)) ||
	    (rc = lin_check_text(opts->owner, "owner filter", 1024)) ||
	    (rc = lin_check_text(opts->tag, "tag filter", 256)))
		return rc;
	/* A kind no asset can have is a typo: say so rather than find nothing. */
	if (opts->kind && *opts->kind && (rc = lin_asset_kind_check(db, opts->kind)))
		return rc;
	if (!(buf = lin_strdup(text ? text : "")))
		return LINEAGE_ENOMEM;
	if ((rc = split_words(buf, words, &q.word_count)))
		goto done;
	if (!q.word_count && !blank(text)) {
		/* Only punctuation ('"', "--"): no word to look for, so it matches literally, as
		 * an exact key, or nothing (never every asset, which is what no words means). */
		rc = exact_key_only(db, text, &q, out);
		goto done;
	}
	q.words = words;
	q.exact_key = text;
	q.kind = opts->kind && *opts->kind ? opts->kind : NULL;
	q.owner = opts->owner && *opts->owner ? opts->owner : NULL;
	q.tag = opts->tag && *opts->tag ? opts->tag : NULL;
	q.limit = opts->limit ? opts->limit : LIMIT_DEFAULT;
	q.offset = opts->offset;
	if (!(list = lin_asset_list_new())) {
		rc = LINEAGE_ENOMEM;
		goto done;
	}
	if ((rc = lin_store_asset_search(db->store, &q, lin_asset_list_add, list, &list->total)))
		goto done;
	*out = list;
	list = NULL;
done:
	lineage_asset_list_free(list);
	free(buf);
	return rc;
}
