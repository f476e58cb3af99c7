#!/usr/bin/env bash
# Issue 19, inputs larger than memory: `paththermo estimate` on a large float64 .npy, its peak memory (max RSS) and
# time, and its numbers against the same array loaded whole into memory by NumPy and passed to paththermo.estimate.
#
#   scripts/bench_large_npy.sh [ROLLOUTS [STEPS]]    # default 2000 x 125000 x 2 = 4.0 GB, written to $TMPDIR
#
# Needs the release build (.build/release/paththermo and libpaththermo_c.so), GNU time (/usr/bin/time), NumPy,
# free disk for the file, and for the in-memory comparison as much free memory as the file (PATHTHERMO_COMPARE=0
# skips it). The file is removed at the end.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BIN="$ROOT/.build/release/paththermo"
ROLLOUTS="${1:-2000}"
STEPS="${2:-125000}"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/pt-large.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
[[ -x "$BIN" ]] || { echo "bench_large_npy.sh: build first (swift build -c release -Xswiftc -enable-testing)" >&2; exit 1; }

"$BIN" simulate --drift '[[-1,-1.5],[1.5,-1]]' --diffusion 0.5 --dt 0.01 --rollouts "$ROLLOUTS" --steps "$STEPS" \
    --seed 1 --out "$WORK/x.npy" > /dev/null
echo "file: $(du -h "$WORK/x.npy" | cut -f1) ($ROLLOUTS x $STEPS x 2 float64)"
/usr/bin/time -v "$BIN" estimate --trajectories "$WORK/x.npy" --dt 0.01 --method all --json > "$WORK/mapped.json" \
    2> "$WORK/time.txt"
echo "paththermo estimate --method all: $(grep -E 'Maximum resident' "$WORK/time.txt" | awk '{print $NF/1024}') MiB max RSS," \
     "$(grep -E 'Elapsed' "$WORK/time.txt" | awk '{print $NF}') wall"
if [[ "${PATHTHERMO_COMPARE:-1}" != "0" ]]; then
  PYTHONPATH="$ROOT/python" python3 - "$WORK/x.npy" "$WORK/mapped.json" <<'PY'
import json, sys
import numpy as np
import paththermo
x = np.load(sys.argv[1])                    # the whole file in memory
mine = paththermo.estimate(x, 0.01).to_dict()
cli = json.load(open(sys.argv[2]))
cli.pop("provenance")
def untimed(d):
    return {k: ({kk: vv for kk, vv in v.items() if kk != "seconds"} if isinstance(v, dict) else v) for k, v in d.items()}
same = untimed(mine) == untimed(cli)
print("same numbers as the array loaded whole (paththermo.estimate on np.load):", same)
for k in ("grid", "basis", "tur"):
    print(f"  {k}: {cli[k]['entropy_production_rate']!r} +- {cli[k]['stderr']!r} ({cli[k]['seconds']:.2f} s)")
sys.exit(0 if same else 1)
PY
fi
