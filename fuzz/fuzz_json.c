/* libFuzzer target for the JSON and JSON Lines import readers (see fuzz_io_common.h): the
 * second bit of the first byte picks JSON Lines. */
#include "fuzz_io_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_read(data, size, size && (data[0] & 4) ? LINEAGE_FORMAT_JSONL : LINEAGE_FORMAT_JSON);
	return 0;
}
