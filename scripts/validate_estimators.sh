#!/usr/bin/env bash
# Validates every blind estimator against the exact Lyapunov EP on random stable OU processes in
# d = 2, 8, 32 with 10^6 samples each (issue 3): builds the CLI in release, generates the trajectories with
# numpy/scipy, runs `paththermo estimate`, and writes docs/measurements/estimators-validation.{md,json}.
# Needs python3 with numpy and scipy. Extra arguments go to scripts/validate_estimators.py.
set -euo pipefail
cd "$(dirname "$0")/.."
SCRATCH="${SCRATCH:-.build-release}"
swift build -c release --scratch-path "$SCRATCH" --product paththermo
BIN="$(swift build -c release --scratch-path "$SCRATCH" --show-bin-path)/paththermo"
mkdir -p docs/measurements
python3 scripts/validate_estimators.py --paththermo "$BIN" "$@"
