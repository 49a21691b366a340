/* libFuzzer target: the dbt manifest reader (and the SQL it finds in compiled nodes). */
#include "fuzz_scanners.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_scan("dbt", "manifest.json", data, size);
}
