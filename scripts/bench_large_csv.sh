#!/usr/bin/env bash
# Issue 19, inputs larger than memory: `paththermo estimate` on a large trajectory CSV (rollout,x,y), its peak memory
# (max RSS) and time, and its numbers against the same trajectories as a float64 .npy (the CSV's values are the
# .npy's printed with 17 significant digits, so they read back exactly).
#
#   scripts/bench_large_csv.sh [ROLLOUTS [STEPS]]    # default 200 x 100000 x 2 (≈ 0.8 GB of CSV), written to $TMPDIR
#
# Needs the release build (.build/release/paththermo), GNU time (/usr/bin/time), NumPy and free disk for the files
# (removed at the end).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BIN="$ROOT/.build/release/paththermo"
ROLLOUTS="${1:-200}"
STEPS="${2:-100000}"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/pt-large-csv.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
[[ -x "$BIN" ]] || { echo "bench_large_csv.sh: build first (swift build -c release -Xswiftc -enable-testing)" >&2; exit 1; }

"$BIN" simulate --drift '[[-1,-1.5],[1.5,-1]]' --diffusion 0.5 --dt 0.01 --rollouts "$ROLLOUTS" --steps "$STEPS" \
    --seed 1 --out "$WORK/x.npy" > /dev/null
python3 - "$WORK/x.npy" "$WORK/x.csv" <<'PY'
import sys
import numpy as np
x = np.load(sys.argv[1])
with open(sys.argv[2], "w") as f:
    f.write("rollout,x,y\n")
    for r in range(x.shape[0]):
        ids = np.full((x.shape[1], 1), r)
        np.savetxt(f, np.hstack([ids, x[r]]), fmt=["%d", "%.17g", "%.17g"], delimiter=",")
PY
echo "files: $(du -h "$WORK/x.csv" | cut -f1) CSV, $(du -h "$WORK/x.npy" | cut -f1) .npy ($ROLLOUTS x $STEPS x 2)"
/usr/bin/time -v "$BIN" estimate --trajectories "$WORK/x.csv" --dt 0.01 --method all --json > "$WORK/csv.json" 2> "$WORK/time.txt"
echo "paththermo estimate --method all on the CSV: $(grep -E 'Maximum resident' "$WORK/time.txt" | awk '{print $NF/1024}') MiB max RSS," \
     "$(grep -E 'Elapsed' "$WORK/time.txt" | awk '{print $NF}') wall"
"$BIN" estimate --trajectories "$WORK/x.npy" --dt 0.01 --method all --json > "$WORK/npy.json"
python3 - "$WORK/csv.json" "$WORK/npy.json" <<'PY'
import json, sys
def untimed(path):
    d = json.load(open(path)); d.pop("provenance")
    return {k: ({kk: vv for kk, vv in v.items() if kk != "seconds"} if isinstance(v, dict) else v) for k, v in d.items()}
same = untimed(sys.argv[1]) == untimed(sys.argv[2])
print("same numbers as the .npy of the same trajectories:", same)
sys.exit(0 if same else 1)
PY
