#!/usr/bin/env bash
# ctest paththermo-mpi: `mpirun -np N paththermo-mpi measure|estimate …` prints the JSON numbers of one paththermo
# run, bit for bit, for N = 1, 2, 3 (--oversubscribe: more ranks than cores is fine here); a rank whose paththermo is
# killed gives one line naming the rank and a non-zero status.
# Usage: mpi_check.sh MPIEXEC PATHTHERMO_MPI PATHTHERMO
set -euo pipefail
MPIEXEC=$1; MPI=$2; P=$3
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
