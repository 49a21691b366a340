/* libFuzzer target: the DataHub reader (MetadataChangeProposals and MCEs, URNs). */
#include "fuzz_scanners.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_scan("datahub", "metadata.json", data, size);
}
