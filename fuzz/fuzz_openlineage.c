/* libFuzzer target: the OpenLineage reader (events, arrays, JSON Lines). */
#include "fuzz_scanners.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_scan("openlineage", "events.json", data, size);
}
