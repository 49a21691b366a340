/* libFuzzer target for the YAML import reader (see fuzz_io_common.h). */
#include "fuzz_io_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_read(data, size, LINEAGE_FORMAT_YAML);
	return 0;
}
