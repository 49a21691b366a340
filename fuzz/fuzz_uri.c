/* libFuzzer target for the collectors' connection URIs: parsing, masking the password. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "collect/collect_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1), *masked = NULL;
	lin_uri u;
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (lin_uri_parse(&u, text) == 0) {
		/* The masked text never holds the user part's password as written. */
		if (lineage_collect_uri_mask(&masked, text) == 0 && u.password && strlen(u.password) > 4 &&
		    !strchr(u.password, '%') && strstr(text, u.password) == strstr(text, ":") + 1 &&
		    strstr(masked, u.password))
			abort();
		lin_mask_secret(text, u.password);
		lineage_free(masked);
		lin_uri_free(&u);
	}
	free(text);
	return 0;
}
