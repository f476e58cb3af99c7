// libFuzzer's driver entry point (compiler-rt, FuzzerDriver.cpp): runs the fuzzing loop with the given
// callback and libFuzzer's command-line flags. The fuzz executables call it from their own `main`, because
// SwiftPM links an executable's entry point under its own name (so libFuzzer's `main` is never used).
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));
