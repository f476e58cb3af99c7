// Declarations only (see include/CLibFuzzer.h); the symbol comes from -sanitize=fuzzer's runtime.
#include "CLibFuzzer.h"
