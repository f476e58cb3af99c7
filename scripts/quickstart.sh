#!/usr/bin/env bash
# The README's library example as a compiled consumer: checks that the README's ```swift block under
# "## The library" is exactly Examples/QuickStart/Sources/QuickStart/main.swift, then builds the package
# Examples/QuickStart (it depends on PathThermo by path) in its own .build and runs it.
# QUICKSTART_CONFIGURATION=release|debug (default debug: the example's simulation is small).
set -euo pipefail
cd "$(dirname "$0")/.."
example=Examples/QuickStart/Sources/QuickStart/main.swift
snippet=$(awk '/^## The library/{on=1; next} on && /^```swift$/{grab=1; next} grab && /^```$/{exit} grab{print}' README.md)
if [ "$snippet" != "$(cat "$example")" ]; then
  echo "quickstart.sh: the README's library example differs from $example:" >&2
  diff <(printf '%s\n' "$snippet") "$example" >&2 || true
  exit 1
fi
cd Examples/QuickStart
swift build -c "${QUICKSTART_CONFIGURATION:-debug}"
"$(swift build -c "${QUICKSTART_CONFIGURATION:-debug}" --show-bin-path)/QuickStart"
