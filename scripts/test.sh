#!/usr/bin/env bash
# The test command: install what is missing, then build the tests optimized and run all of them.
# Release mode pays off: the build costs about a minute more than debug, and the statistical
# tests (full-size Figure 1, estimator validation) run in seconds instead of minutes.
# `-enable-testing` keeps `@testable import` working in an optimized build.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
swift test -c release -Xswiftc -enable-testing "$@"
