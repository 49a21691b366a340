/* Asset search: the user's text becomes plain words (punctuation ignored). */
#include <stdlib.h>
#include <string.h>

#include "lists.h"
#include "write.h"
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
	if (!(buf = lin_strdup(text ? text : "")))
		return LINEAGE_ENOMEM;
	if ((rc = split_words(buf, words, &q.word_count)))
		goto done;
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
