#!/usr/bin/env bash
# `measure` in one process vs N shards side by side (one thread each) + `merge` (docs/scaling.md): checks the merged
# JSON equals the one-run JSON (timings and provenance aside) and prints the speed-up and the state bytes per shard.
# Usage: scripts/bench_measure.sh [paththermo binary] [rollouts] [steps] [shards] [method]
# (rollouts × steps particle-steps per method; e.g. 2000 × 500000 = 10⁹).
set -euo pipefail
P=${1:-.build/release/paththermo}; P=$(cd "$(dirname "$P")" && pwd)/$(basename "$P")
R=${2:-400}; T=${3:-250000}; N=${4:-2}; METHOD=${5:-basis}
dir=$(mktemp -d); trap 'rm -rf "$dir"' EXIT; cd "$dir"
run=(measure --drift '[[-1,0.5],[-0.5,-1]]' --diffusion '[[1,0.2],[0.2,0.5]]' --dt 0.01 --rollouts "$R" --steps "$T"
     --seed 3 --method "$METHOD" --bounds 4 --threads 1)
strip() { grep -v '"seconds"' | python3 -c 'import json,sys; d=json.load(sys.stdin); d.pop("provenance",None); print(json.dumps(d,sort_keys=True))'; }
now() { date +%s.%N; }
t0=$(now); "$P" "${run[@]}" --json > one.raw; t1=$(now)
for ((i = 0; i < N; i++)); do "$P" "${run[@]}" --shard "$i/$N" --save-state "s$i.state" > /dev/null & done; wait
t2=$(now); "$P" merge s*.state --json > merged.raw; t3=$(now)
strip < one.raw > one.json; strip < merged.raw > merged.json
cmp -s one.json merged.json && same=identical || same=DIFFERENT
python3 - "$t0" "$t1" "$t2" "$t3" "$R" "$T" "$N" "$METHOD" "$same" <<'PY'
import sys
t0, t1, t2, t3 = map(float, sys.argv[1:5]); R, T, N, method, same = sys.argv[5:10]
print(f"measure --method {method}: {R} rollouts x {T} steps = {int(R) * int(T):.3g} particle-steps, one thread per process")
print(f"one process     {t1 - t0:8.2f} s")
print(f"{N} shards        {t2 - t1:8.2f} s side by side, merge {t3 - t2:5.2f} s; speed-up {(t1 - t0) / (t3 - t1):.2f}x")
print(f"merged JSON vs one run: {same}")
PY
ls -l s*.state | awk '{s += $5} END {printf "state bytes per shard: %.0f\n", s / NR}'
[ "$same" = identical ]
