/*
 * The library's advice in JavaScript's words. A liblineage error whose message ends with a
 * fix naming a C function or constant carries a hint (lineage_hint) and the message without
 * that fix; the addon says the fix with its own methods and options instead.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addon.h"

/* The last segment of a dotted key: what graph.search() would find it by. */
static const char *last_word(const char *key)
{
	const char *dot = strrchr(key, '.');
	return dot && dot[1] ? dot + 1 : key;
}

char *addon_error_words(const lineage_error *e)
{
	char advice[600];
	const char *arg = e->hint_arg ? e->hint_arg : "";
	size_t len;
	char *out;
	switch (e->hint) {
	case LINEAGE_HINT_FIND_ASSET: snprintf(advice, sizeof advice, "check the spelling (keys are case-sensitive) or find it with graph.search('%.200s')", last_word(arg)); break;
	case LINEAGE_HINT_DECLARE_ASSET_KIND: snprintf(advice, sizeof advice, "declare it first with graph.defineAssetKind('%.200s')", arg); break;
	case LINEAGE_HINT_DECLARE_EDGE_KIND: snprintf(advice, sizeof advice, "use kind 'update', or declare the kind with graph.defineEdgeKind('%.200s', { allowsSelfLoop: true })", arg); break;
	case LINEAGE_HINT_REMOVE_CASCADE: snprintf(advice, sizeof advice, "remove them first, or pass { cascade: true }"); break;
	case LINEAGE_HINT_OPEN_WRITABLE: snprintf(advice, sizeof advice, "open it without { readonly: true }"); break;
	case LINEAGE_HINT_OPEN_READONLY: snprintf(advice, sizeof advice, "make the file writable, or open it with { readonly: true }"); break;
	case LINEAGE_HINT_OPEN_CREATE: snprintf(advice, sizeof advice, "check the path, or open it without { create: false }"); break;
	case LINEAGE_HINT_BEGIN: snprintf(advice, sizeof advice, "call graph.begin() first"); break;
	case LINEAGE_HINT_BATCH_IDS: snprintf(advice, sizeof advice, "take batch ids from graph.changesSince() or graph.history()"); break;
	case LINEAGE_HINT_CREATE_MISSING: snprintf(advice, sizeof advice, "add it first with graph.addAsset(), or pass createMissing: true"); break;
	default: return strdup(e->message ? e->message : "unknown error");
	}
	len = strlen(e->problem) + 2 + strlen(advice) + 1;
	if ((out = malloc(len)))
		snprintf(out, len, "%s: %s", e->problem, advice);
	return out;
}
