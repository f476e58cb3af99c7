#!/usr/bin/env bash
# Locality (P1, docs/theory/locality.md §6): ε̂(τ) of a fully observed 2-D OU (Markov) and of one coordinate of a
# 2-D OU with the other hidden, with the exact Gaussian-conditioning lag coefficient of the Euler chain (§5).
# Usage: scripts/locality_demo.sh [path/to/paththermo]   (needs python3 with numpy for the CSV and the exact value)
set -euo pipefail
bin=${1:-.build/release/paththermo}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
lags=1,5,20,50

"$bin" simulate --drift '[[-1,2],[0,-1.5]]' --diffusion 0.5 --dt 0.01 --rollouts 40 --steps 5000 --burn-in 1000 \
    --seed 3 --out "$dir/markov.npy" > /dev/null
echo "== Markov: B = [[-1,2],[0,-1.5]], both coordinates observed"
"$bin" locality --trajectories "$dir/markov.npy" --dt 0.01 --lags $lags

"$bin" simulate --drift '[[-0.5,1],[-1,-0.5]]' --diffusion 0.5 --dt 0.01 --rollouts 40 --steps 5000 --burn-in 1000 \
    --seed 5 --out "$dir/hidden.npy" > /dev/null
python3 - "$dir" <<'EOF'
import sys, numpy as np
d = sys.argv[1]
x = np.load(f"{d}/hidden.npy")
with open(f"{d}/hidden.csv", "w") as f:
    f.write("rollout,x0,x1\n")
    for r in range(x.shape[0]):
        for s in x[r]:
            f.write(f"{r},{float(s[0])!r},{float(s[1])!r}\n")
EOF
echo "== hidden coordinate: B = [[-0.5,1],[-1,-0.5]], only x0 observed (--columns x0)"
"$bin" locality --trajectories "$dir/hidden.csv" --columns x0 --dt 0.01 --lags $lags --json > "$dir/hidden.json"
python3 - "$dir/hidden.json" $lags <<'EOF'
import sys, json, numpy as np
r = json.load(open(sys.argv[1]))
lags = [int(k) for k in sys.argv[2].split(",")]
dt, D = 0.01, 0.5
B = np.array([[-0.5, 1.0], [-1.0, -0.5]])
M = np.eye(2) + dt * B
S, P = 2 * D * dt * np.eye(2), M.copy()
for _ in range(40):
    S = S + P @ S @ P.T
    P = P @ P
print(f"{'lag':>4} {'epsilon':>9} {'stderr':>8} {'bias':>8} {'z':>7} {'c fitted':>9} {'± se':>7} {'c exact':>9}")
for i, k in enumerate(lags):
    s = [(np.linalg.matrix_power(M, j) @ S)[0, 0] for j in range(k + 2)]
    c = ((s[k + 1] - s[k]) * s[0] - (s[1] - s[0]) * s[k]) / (dt * (s[0] ** 2 - s[k] ** 2))
    print(f"{k:>4} {r['epsilon'][i]:9.4f} {r['stderr'][i]:8.4f} {r['bias'][i]:8.4f} {r['z'][i]:7.1f} "
          f"{r['history_coefficients'][i][0][0]:9.4f} {r['history_coefficient_stderr'][i][0][0]:7.4f} {c:9.4f}")
EOF
