#!/usr/bin/env bash
# ctest paththermo-mpi: `mpirun -np N paththermo-mpi measure|estimate …` prints the JSON numbers of one paththermo
# run, and `… figure1|figure2|figure-spin|text-compare|text-sample-ep|text-fluctuation|text-ep|ar-ep …` writes the files
# (and prints the report) of one run, bit for bit (timings and provenance aside), for
# N = 1, 2, 3 (--oversubscribe: more ranks than cores is fine here); so does the estimator validation
# (scripts/validate_estimators.py --launcher "mpirun … paththermo-mpi"); a rank whose paththermo is killed gives one
# line naming the rank and a non-zero status.
# Usage: mpi_check.sh MPIEXEC PATHTHERMO_MPI PATHTHERMO
set -euo pipefail
MPIEXEC=$1; MPI=$2; P=$3
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
# Open MPI checks for a remote-shell agent even for ranks on this machine only; without ssh, name one that exists.
command -v ssh > /dev/null || command -v rsh > /dev/null || export OMPI_MCA_plm_rsh_agent=false
dir=$(mktemp -d); trap 'rm -rf "$dir"' EXIT; cd "$dir"
same() {   # the JSON of $1 and $2 without provenance and timings
  python3 - "$1" "$2" <<'PY'
import json, sys
def load(path):
    d = json.load(open(path)); d.pop("provenance", None)
    for v in d.values():
        if isinstance(v, dict): v.pop("seconds", None)
    return json.dumps(d, sort_keys=True)
sys.exit(0 if load(sys.argv[1]) == load(sys.argv[2]) else 1)
PY
}
M=(measure --drift '[[-1,0.5],[-0.5,-1]]' --diffusion '[[1,0.2],[0.2,0.5]]' --dt 0.01 --rollouts 30 --steps 2000 --seed 4
   --bounds 4 --bins 16 --threads 1)
"$P" "${M[@]}" --json > one.json
"$P" simulate --drift '[[-1,0.5],[-0.5,-1]]' --diffusion 0.5 --dt 0.01 --rollouts 17 --steps 900 --seed 2 --out traj.npy > /dev/null
E=(estimate --trajectories "$dir/traj.npy" --dt 0.01 --bins 12 --threads 1)
"$P" "${E[@]}" --json > one-estimate.json
for np in 1 2 3; do
  "$MPIEXEC" --oversubscribe -np "$np" "$MPI" --paththermo "$P" "${M[@]}" --json > "mpi$np.json"
  same one.json "mpi$np.json" || { echo "measure: mpirun -np $np differs from one run"; exit 1; }
  "$MPIEXEC" --oversubscribe -np "$np" "$MPI" --paththermo "$P" "${E[@]}" --json > "mpi-estimate$np.json"
  same one-estimate.json "mpi-estimate$np.json" || { echo "estimate: mpirun -np $np differs from one run"; exit 1; }
  echo "mpirun -np $np: measure and estimate identical to one run"
done
# The sweeps: the result files (JSON and CSV) of one run, without timings, provenance and thread counts.
same_files() {
  python3 - "$1" "$2" <<'PY'
import csv, io, json, os, sys
drop = {"seconds", "samples_per_second", "training_seconds", "sampling_seconds", "scoring_seconds", "grid_seconds", "demo_seconds",
        "sampling_tokens_per_second", "provenance", "threads", "wall_s_all_methods"}
def clean(o):
    if isinstance(o, dict): return {k: clean(v) for k, v in o.items() if k not in drop}
    if isinstance(o, list): return [clean(v) for v in o]
    return o
def files(d):
    out = {}
    for name in sorted(os.listdir(d)):
        path = os.path.join(d, name)
        if name.endswith(".json"):
            out[name] = clean(json.load(open(path)))
        elif name.endswith(".csv") or name.endswith(".md"):
            rows = list(csv.reader(io.StringIO(open(path).read())))
            keep = [k for k, c in enumerate(rows[0]) if c not in drop] if name.endswith(".csv") else None
            out[name] = [[r[k] for k in keep if k < len(r)] for r in rows] if keep is not None else rows
    return out
a, b = files(sys.argv[1]), files(sys.argv[2])
sys.exit(0 if a == b and a else 1)
PY
}
F=(figure2 --quick --no-plot --threads 1)
"$P" "${F[@]}" --out f2-one > /dev/null
printf '%s' '{"causal_texts": ["It fell. It broke.", "He ran. He won.", "Rain fell. Roads flooded."], "noncausal_texts": ["Sky is blue. Ice.", "Cats nap. Rain.", "Red. Salt is white.", "Owls hoot. Fish."]}' > texts.json
T=(text-compare --model "$ROOT/Tests/Fixtures/gpt2/tiny-gpt2.gguf" --set "one=$dir/texts.json" --bootstrap 200 --no-plot)
"$P" "${T[@]}" --out tc-one > /dev/null
O=(figure1 --quick --no-plot --threads 1 --s '[[1,0],[0,0.5]]' --exact-grid 40)
"$P" "${O[@]}" --out f1-one > /dev/null 2>&1
G=(figure-spin --quick --no-plot --threads 1)
"$P" "${G[@]}" --out fs-one > /dev/null 2>&1
S=(text-sample-ep --model "$ROOT/Tests/Fixtures/gpt2/tiny-gpt2.gguf" --samples 10 --length 12 --prefix-ids 0 --batch-size 4 --no-plot)
"$P" "${S[@]}" --out ts-one > /dev/null
TF=(text-fluctuation --model "$ROOT/Tests/Fixtures/gpt2/tiny-gpt2.gguf" --samples 9 --length 4 --temperature 1.5,3 --bootstrap 50
    --prefix-ids 95 --batch-size 4 --no-plot)
"$P" "${TF[@]}" --out tf-one > /dev/null
for i in 0 1 2 3 4; do printf '{"id": "t%d", "text": "Cat%d. Dog! Ok?"}\n' "$i" "$i"; done > texts.jsonl
TE=(text-ep --model "$ROOT/Tests/Fixtures/gpt2/tiny-gpt2.gguf" --file "$dir/texts.jsonl" --level sentence)
"$P" "${TE[@]}" --out te-one > te-one.txt
AR=(ar-ep --architecture rnn --alphabet 5 --length 9 --samples 300 --seed 4 --hidden 6 --threads 1)
"$P" "${AR[@]}" --out ar-one > /dev/null
validation=0
if python3 -c "import numpy, scipy" 2> /dev/null; then
  validation=1
  V=(python3 "$ROOT/scripts/validate_estimators.py" --paththermo "$P" --dims 2,3 --seeds 5 --rollouts 8 --states 401)
  mkdir val-one; "${V[@]}" --out val-one/validation > /dev/null 2>&1 || true
fi
for np in 1 2 3; do
  "$MPIEXEC" --oversubscribe -np "$np" "$MPI" --paththermo "$P" "${F[@]}" --out "f2-mpi$np" > /dev/null
  same_files f2-one "f2-mpi$np" || { echo "figure2: mpirun -np $np differs from one run"; exit 1; }
  "$MPIEXEC" --oversubscribe -np "$np" "$MPI" --paththermo "$P" "${O[@]}" --out "f1-mpi$np" > /dev/null
  same_files f1-one "f1-mpi$np" || { echo "figure1: mpirun -np $np differs from one run"; exit 1; }
  "$MPIEXEC" --oversubscribe -np "$np" "$MPI" --paththermo "$P" "${G[@]}" --out "fs-mpi$np" > /dev/null
  same_files fs-one "fs-mpi$np" || { echo "figure-spin: mpirun -np $np differs from one run"; exit 1; }
  "$MPIEXEC" --oversubscribe -np "$np" "$MPI" --paththermo "$P" "${T[@]}" --out "tc-mpi$np" > /dev/null
  same_files tc-one "tc-mpi$np" || { echo "text-compare: mpirun -np $np differs from one run"; exit 1; }
  "$MPIEXEC" --oversubscribe -np "$np" "$MPI" --paththermo "$P" "${S[@]}" --out "ts-mpi$np" > /dev/null
  same_files ts-one "ts-mpi$np" || { echo "text-sample-ep: mpirun -np $np differs from one run"; exit 1; }
  "$MPIEXEC" --oversubscribe -np "$np" "$MPI" --paththermo "$P" "${TF[@]}" --out "tf-mpi$np" > /dev/null
  same_files tf-one "tf-mpi$np" || { echo "text-fluctuation: mpirun -np $np differs from one run"; exit 1; }
  "$MPIEXEC" --oversubscribe -np "$np" "$MPI" --paththermo "$P" "${TE[@]}" --out "te-mpi$np" > "te-mpi$np.txt"
  same_files te-one "te-mpi$np" && cmp -s te-one.txt "te-mpi$np.txt" || { echo "text-ep: mpirun -np $np differs from one run"; exit 1; }
  "$MPIEXEC" --oversubscribe -np "$np" "$MPI" --paththermo "$P" "${AR[@]}" --out "ar-mpi$np" > /dev/null
  same_files ar-one "ar-mpi$np" || { echo "ar-ep: mpirun -np $np differs from one run"; exit 1; }
  if [ "$validation" = 1 ]; then
    mkdir "val-mpi$np"
    "${V[@]}" --launcher "$MPIEXEC --oversubscribe -np $np $MPI --paththermo $P" --out "val-mpi$np/validation" > /dev/null 2>&1 || true
    same_files val-one "val-mpi$np" || { echo "estimator validation: mpirun -np $np differs from one run"; exit 1; }
  fi
  echo "mpirun -np $np: figure1, figure2, figure-spin, text-compare, text-sample-ep, text-fluctuation, text-ep, ar-ep$([ "$validation" = 1 ] && echo " and the estimator validation") identical to one run"
done
[ "$validation" = 1 ] || echo "estimator validation skipped: python3 lacks numpy or scipy (scripts/setup.sh installs them)"

# A rank whose paththermo dies: one line naming it, non-zero status.
cat > fake-paththermo <<FAKE
#!/bin/sh
case "\$*" in *"--shard 1/"*) kill -9 \$\$ ;; esac
exec "$P" "\$@"
FAKE
chmod +x fake-paththermo
if "$MPIEXEC" --oversubscribe -np 3 "$MPI" --paththermo "$dir/fake-paththermo" "${M[@]}" --json > killed.out 2> killed.err; then
  echo "a killed rank was not reported"; exit 1
fi
grep -q '^paththermo-mpi: error: rank 1: paththermo killed by signal 9$' killed.err || { cat killed.err; exit 1; }
[ "$(grep -c '^paththermo-mpi:' killed.err)" = 1 ] || { cat killed.err; exit 1; }
echo "paththermo-mpi: all checks passed"
