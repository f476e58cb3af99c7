#!/usr/bin/env bash
# CMake + Ninja build of PathThermo's libraries and the `paththermo` CLI, then its ctest smoke tests, an install into
# a temporary prefix and a build and run of the CMake consumer Examples/cmake-consumer against that prefix
# (find_package(PathThermo)).
#
#   scripts/cmake_build.sh            # Release build into .build-cmake/
#   BUILD_DIR=/tmp/pt BUILD_TYPE=Debug scripts/cmake_build.sh
#
# Idempotent: re-running re-configures (cheap) and rebuilds only what changed; new .swift files
# are picked up by the CONFIGURE_DEPENDS globs. Works from a fresh clone: swift-argument-parser is
# fetched by CMake's FetchContent (through git, which may redirect github.com to local mirrors).
# Extra arguments are passed to the configure step, e.g. -DCMAKE_Swift_COMPILER=/opt/swift/usr/bin/swiftc.
# PATHTHERMO_CMAKE_CONSUMER=0 skips the install and the consumer.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${BUILD_DIR:-$ROOT/.build-cmake}"
BUILD_TYPE="${BUILD_TYPE:-Release}"

need() { command -v "$1" >/dev/null 2>&1 || { echo "cmake_build.sh: '$1' not found on PATH ($2)" >&2; exit 1; }; }
need cmake "apt-get install cmake"
need ninja "apt-get install ninja-build"
need swiftc "put the Swift toolchain's usr/bin on PATH"
need pkg-config "apt-get install pkg-config"

# A build dir configured with another generator cannot be reused; start it over.
if [[ -f "$BUILD_DIR/CMakeCache.txt" ]] && ! grep -q '^CMAKE_GENERATOR:INTERNAL=Ninja$' "$BUILD_DIR/CMakeCache.txt"; then
  echo "cmake_build.sh: $BUILD_DIR was configured with another generator; removing it" >&2
  rm -rf "$BUILD_DIR"
fi

start=$(date +%s)
cmake -S "$ROOT" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE="$BUILD_TYPE" "$@"
cmake --build "$BUILD_DIR"
end=$(date +%s)

BIN="$BUILD_DIR/bin/paththermo"
if [[ ! -x "$BIN" ]]; then
  echo "cmake_build.sh: build finished but $BIN is missing" >&2
  exit 1
fi

echo "== ctest (cmake/modules/PathThermoSmokeTests.cmake)"
ctest --test-dir "$BUILD_DIR" --output-on-failure

if [[ "${PATHTHERMO_CMAKE_CONSUMER:-1}" != "0" ]]; then
  PREFIX="$(mktemp -d "${TMPDIR:-/tmp}/paththermo-install.XXXXXX")"
  trap 'rm -rf "$PREFIX"' EXIT
  echo "== cmake --install $BUILD_DIR --prefix $PREFIX"
  cmake --install "$BUILD_DIR" --prefix "$PREFIX" > "$PREFIX.log" || { cat "$PREFIX.log" >&2; rm -f "$PREFIX.log"; exit 1; }
  rm -f "$PREFIX.log"
  for f in bin/paththermo lib/cmake/PathThermo/PathThermoConfig.cmake lib/cmake/PathThermo/PathThermoConfigVersion.cmake; do
    [[ -f "$PREFIX/$f" ]] || { echo "cmake_build.sh: the install has no $f" >&2; exit 1; }
  done
  if find "$PREFIX" -path '*ArgumentParser*' | grep -q .; then
    echo "cmake_build.sh: the install contains swift-argument-parser files" >&2
    exit 1
  fi
  (cd "$PREFIX" && find . -type f | sort | sed 's|^\./|  |')
  "$PREFIX/bin/paththermo" --help > /dev/null

  echo "== Examples/cmake-consumer: find_package(PathThermo) from $PREFIX"
  cmake -S "$ROOT/Examples/cmake-consumer" -B "$PREFIX/consumer-build" -G Ninja \
    -DCMAKE_BUILD_TYPE="$BUILD_TYPE" -DCMAKE_PREFIX_PATH="$PREFIX" "$@"
  cmake --build "$PREFIX/consumer-build"
  "$PREFIX/consumer-build/ou-consumer"
fi

# The version line: VERSION's version and the git commit of the build (cmake/modules/PathThermoBuildCommit.cmake).
echo "== smoke test: $BIN --version"
version_line="$("$BIN" --version)"
printf '%s\n' "$version_line"
case "$version_line" in
  "paththermo $(tr -d '[:space:]' < "$ROOT/VERSION") ("*")") ;;
  *) echo "cmake_build.sh: '$BIN --version' printed '$version_line', not 'paththermo $(cat "$ROOT/VERSION") (<commit>)'" >&2; exit 1 ;;
esac

# A computation, not just the help text: B = −(I − 2·R90), D = 0.5 has σ = 2ω²/γ = 8.
echo "== smoke test: $BIN ou (expects entropy_production_rate 8)"
ou_json="$("$BIN" ou --drift '[[-1,2],[-2,-1]]' --diffusion 0.5 --json)"
ep="$(printf '%s\n' "$ou_json" | sed -n 's/.*"entropy_production_rate" : \([-0-9.eE+]*\).*/\1/p')"
if ! awk -v x="$ep" 'BEGIN { d = x - 8; exit !(x != "" && d < 1e-9 && d > -1e-9) }'; then
  printf '%s\n' "$ou_json" >&2
  echo "cmake_build.sh: the CMake-built paththermo computed a wrong entropy production" >&2
  exit 1
fi
echo "== cmake build OK in $((end - start)) s: $BIN"
