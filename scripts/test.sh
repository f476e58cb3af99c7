#!/usr/bin/env bash
# The test command: install what is missing, then build the tests optimized and run all of them.
# Release mode pays off: the build costs about a minute more than debug, and the statistical
# tests (full-size Figure 1, estimator validation) run in seconds instead of minutes.
# `-enable-testing` keeps `@testable import` working in an optimized build.
#
# Then (unless PATHTHERMO_FUZZ=0) a short fuzz run (docs/reliability.md): every libFuzzer target of Fuzz/ for
# PATHTHERMO_FUZZ_SECONDS (default 5) with a fixed seed, and scripts/fuzz_cli.py on the paththermo just
# built for PATHTHERMO_FUZZ_CASES (default 150) cases; about 3 minutes on 2 cores, the fuzz build included.
# PATHTHERMO_FUZZ=0 skips it.
set -euo pipefail
cd "$(dirname "$0")/.."
# On by default since issue 12's fixes (size limits, one-line errors, finite outputs) are in: both short runs
# pass on the integrated code (docs/reliability.md, "In the test command").
fuzz_default=1
scripts/setup.sh
swift test -c release -Xswiftc -enable-testing "$@"
# The README's library example, compiled and run as a consumer package (Examples/QuickStart; debug, its own .build).
scripts/quickstart.sh
# The Python package (python/, issue 18) over the C ABI library just built: pytest (installed with pip when missing).
scripts/python_tests.sh
if [ "${PATHTHERMO_FUZZ:-$fuzz_default}" != "0" ]; then
  status=0
  FUZZ_SEED=1 scripts/fuzz.sh "${PATHTHERMO_FUZZ_SECONDS:-5}" || status=1
  bin=$(swift build -c release -Xswiftc -enable-testing --show-bin-path)
  python3 scripts/fuzz_cli.py "$bin/paththermo" --seed 1 --cases "${PATHTHERMO_FUZZ_CASES:-150}" --timeout 5 || status=1
  exit $status
fi
