#!/usr/bin/env bash
# Sharded estimate vs one pass (docs/scaling.md): one file, `estimate --method all` on one thread, then the same
# file as N shards (`--shard i/N --save-state`, one thread each, N processes side by side) and `merge`. Checks the
# merged JSON equals the one-pass JSON (timings and provenance aside), prints wall times, the speed-up, and the
# state-file sizes for two file sizes (bytes per state should not grow with the rollouts).
# Usage: scripts/bench_shards.sh [paththermo binary] [rollouts] [steps] [shards]
set -euo pipefail
P=${1:-.build/release/paththermo}; P=$(cd "$(dirname "$P")" && pwd)/$(basename "$P")
R=${2:-2000}; T=${3:-2000}; N=${4:-2}
dir=$(mktemp -d); trap 'rm -rf "$dir"' EXIT; cd "$dir"
model=(--drift '[[-1,0.5],[-0.5,-1]]' --diffusion '[[1,0.2],[0.2,0.5]]')
strip() { grep -v '"seconds"' | python3 -c 'import json,sys; d=json.load(sys.stdin); d.pop("provenance",None); print(json.dumps(d,sort_keys=True))'; }
now() { date +%s.%N; }
"$P" simulate --drift linear --matrix '[[-1,0.5],[-0.5,-1]]' --diffusion '[[1,0.2],[0.2,0.5]]' --dt 0.01 \
    --rollouts "$R" --steps "$T" --seed 3 --out ou.npy > /dev/null
A=(--trajectories ou.npy --dt 0.01 "${model[@]}" --threads 1)
t0=$(now); "$P" estimate "${A[@]}" --json > one.raw; t1=$(now)
for ((i = 0; i < N; i++)); do "$P" estimate "${A[@]}" --shard "$i/$N" --save-state "s$i.state" > /dev/null & done; wait
t2=$(now); "$P" merge s*.state --json > merged.raw; t3=$(now)
strip < one.raw > one.json; strip < merged.raw > merged.json
cmp -s one.json merged.json && same=identical || same=DIFFERENT
python3 - "$t0" "$t1" "$t2" "$t3" "$R" "$T" "$N" "$same" <<'PY'
import sys
t0, t1, t2, t3 = map(float, sys.argv[1:5]); R, T, N, same = sys.argv[5], sys.argv[6], sys.argv[7], sys.argv[8]
print(f"{R} rollouts x {T} steps x d=2, --method all (4 methods), one thread per process")
print(f"one pass        {t1 - t0:7.2f} s")
print(f"{N} shards       {t2 - t1:7.2f} s (side by side), merge {t3 - t2:5.2f} s; speed-up {(t1 - t0) / (t3 - t1):.2f}x")
print(f"merged JSON vs one pass: {same}")
PY
ls -l s*.state | awk '{s += $5} END {printf "state bytes: %d in %d files (%.0f per shard)\n", s, NR, s / NR}'
# The same estimate on a file with 1/4 of the rollouts: state size per shard.
"$P" simulate --drift linear --matrix '[[-1,0.5],[-0.5,-1]]' --diffusion '[[1,0.2],[0.2,0.5]]' --dt 0.01 \
    --rollouts $((R / 4)) --steps "$T" --seed 3 --out small.npy > /dev/null
for ((i = 0; i < N; i++)); do "$P" estimate --trajectories small.npy --dt 0.01 "${model[@]}" --threads 1 --shard "$i/$N" --save-state "q$i.state" > /dev/null; done
ls -l q*.state | awk -v r=$((R / 4)) '{s += $5} END {printf "state bytes with %d rollouts: %.0f per shard\n", r, s / NR}'
[ "$same" = identical ]
