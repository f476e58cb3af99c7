#!/usr/bin/env bash
# The Python package's tests (python/tests, pytest) against the release build of the C ABI library
# libpaththermo_c (SwiftPM product paththermo_c; docs/python.md). Run by scripts/test.sh after `swift test`.
# Installs pytest (and NumPy/SciPy, which the tests compare with, and setuptools and wheel, which
# test_install.py's `pip install --no-build-isolation` needs) with pip when they are missing. It builds only
# the paththermo_c product, and only when `swift build`/`swift test` did not leave it in the release bin directory
# (an incremental no-op otherwise).
set -euo pipefail
cd "$(dirname "$0")/.."
for module in pytest numpy scipy setuptools wheel; do
  if ! python3 -c "import $module" 2>/dev/null; then
    echo "python_tests: installing $module" >&2
    python3 -m pip install --quiet --disable-pip-version-check "$module"
  fi
done
bin=$(swift build -c release -Xswiftc -enable-testing --show-bin-path)
suffix=so
[ "$(uname)" = Darwin ] && suffix=dylib
lib="$bin/libpaththermo_c.$suffix"
if [ ! -f "$lib" ]; then
  swift build -c release -Xswiftc -enable-testing --product paththermo_c
fi
export PATHTHERMO_LIB="$lib"
# The CLI beside it (for the tests that compare with `paththermo ... --json`); those tests skip without it.
[ -x "$bin/paththermo" ] && export PATHTHERMO_CLI="$bin/paththermo"
python3 -m pytest -q -p no:cacheprovider python/tests "$@"
