#!/usr/bin/env python3
"""Speed of one `paththermo` build against another, side by side in one run (a refactoring's regression check).

Each workload runs with both binaries in alternation, ``--rounds`` times (ABAB…, so a slow window of the VM hits
both sides alike); each side keeps its best wall time (process start to exit). The table reports the ratio
new/base (< 1: the new build is faster) and whether the two printed the same numbers (JSON outputs compared after
dropping timing and provenance keys). Ratios, not absolute times: the VM is noisy.

    git worktree add /tmp/base <old-commit> && (cd /tmp/base && swift build -c release --product paththermo)
    swift build -c release --product paththermo
    python3 scripts/bench_vs_commit.py /tmp/base/.build/release/paththermo .build/release/paththermo \\
        --rounds 5 --json-out docs/measurements/bench_vs_commit.json

The workloads use flag spellings that every build since 0.1.0 accepts. The language-model workload needs
models/SmolLM2-135M-Instruct.Q4_1.gguf (scripts/fetch_model.sh) and is skipped without it.
Exit status: 0 when every workload ran on both sides and printed the same numbers, 1 otherwise.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

import numpy as np

TIMING_KEYS = ("seconds", "per_second", "elapsed", "timing", "wall")
DROPPED = {"provenance", "version", "commit", "command_line"}


def numbers_only(value):
    """The JSON value without timing and provenance keys (they differ from run to run)."""
    if isinstance(value, dict):
        return {k: numbers_only(v) for k, v in value.items()
                if k not in DROPPED and not any(t in k for t in TIMING_KEYS)}
    if isinstance(value, list):
        return [numbers_only(v) for v in value]
    return value


def workloads(scratch: str) -> list[tuple[str, list[str]]]:
    rng = np.random.default_rng(20261202)
    n = 300
    a = rng.standard_normal((n, n)) / np.sqrt(n) - 1.5 * np.eye(n)
    np.save(f"{scratch}/a.npy", a)
    np.save(f"{scratch}/q.npy", -2.0 * np.eye(n))
    drifts = rng.standard_normal((200_000, 2, 2)) - 2.0 * np.eye(2)
    np.save(f"{scratch}/drifts.npy", drifts)
    common = ["--json"]
    jobs = [
        ("lyapunov n=300", ["lyapunov", "--a", f"{scratch}/a.npy", "--q", f"{scratch}/q.npy", "--repeat", "3"] + common),
        ("ou-batch 2x2 × 2·10⁵", ["ou-batch", "--drifts", f"{scratch}/drifts.npy", "--skip-invalid"] + common),
        ("simulate linear 2-D 64×200 000", ["simulate", "--drift", "linear", "--matrix", "[[-1,0.5],[-0.5,-1]]",
                                           "--diffusion", "1", "--dt", "0.01", "--rollouts", "64", "--steps", "200000",
                                           "--seed", "3"] + common),
        ("simulate softmax 2-D 32×100 000", ["simulate", "--drift", "softmax", "--w", "[[1,1],[-1,1]]",
                                            "--keys", "[[1,0],[0,1],[-1,0],[0,-1]]", "--beta", "2", "--leak", "0.5",
                                            "--diffusion", "0.5", "--dt", "0.01", "--rollouts", "32", "--steps",
                                            "100000", "--seed", "3"] + common),
        ("estimate --method all 32×20 000", ["estimate", "--trajectories", f"{scratch}/sim.npy", "--dt", "0.01",
                                             "--method", "all"] + common),
        ("kalman dense T=400", ["kalman", "--a", "[[0.9,0.2],[-0.1,0.8]]", "--c", "[[1,0]]", "--q", "[[1,0],[0,1]]",
                                "--r", "[[0.5]]", "--horizon", "400", "--method", "dense"] + common),
        ("ar-ep transformer K=8 T=32 N=500", ["ar-ep", "--model", "transformer", "--alphabet", "8", "--length", "32",
                                              "--samples", "500"] + common),
        ("figure1 --quick", ["figure1", "--quick", "--out", f"{scratch}/figure1-SIDE"]),
    ]
    if os.path.exists("models/SmolLM2-135M-Instruct.Q4_1.gguf"):
        jobs.append(("text-ep SmolLM2 one sentence", ["text-ep", "--text",
                     "The glass fell off the table and broke into pieces on the kitchen floor."] + common))
    return jobs


def run(binary: str, args: list[str], side: str) -> tuple[float, object, str]:
    args = [a.replace("SIDE", side) for a in args]
    env = dict(os.environ, PATHTHERMO_PROGRESS="0")
    start = time.perf_counter()
    done = subprocess.run([binary] + args, capture_output=True, text=True, env=env)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        return seconds, None, done.stderr.strip().splitlines()[-1] if done.stderr.strip() else f"exit {done.returncode}"
    if "--out" in args:  # a figure: its JSON file holds the numbers, stdout a report with timings
        directory = args[args.index("--out") + 1]
        with open(os.path.join(directory, os.path.basename(directory).rsplit("-", 1)[0] + ".json")) as f:
            return seconds, numbers_only(json.load(f)), ""
    try:
        return seconds, numbers_only(json.loads(done.stdout)), ""
    except json.JSONDecodeError:
        return seconds, done.stdout, ""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("base", help="paththermo binary of the earlier commit")
    parser.add_argument("new", help="paththermo binary of the commit under test")
    parser.add_argument("--rounds", type=int, default=5, help="alternating runs per side (default 5)")
    parser.add_argument("--json-out", help="write the table as JSON here")
    options = parser.parse_args()
    ok = True
    rows = []
    with tempfile.TemporaryDirectory() as scratch:
        subprocess.run([options.base, "simulate", "--drift", "linear", "--matrix", "[[-1,0.5],[-0.5,-1]]",
                        "--diffusion", "1", "--dt", "0.01", "--rollouts", "32", "--steps", "20000", "--seed", "5",
                        "--out", f"{scratch}/sim.npy"], check=True, capture_output=True)
        print("| workload | base s (best) | new s (best) | new/base | same numbers |")
        print("|---|---:|---:|---:|---|")
        for name, args in workloads(scratch):
            best = {"base": float("inf"), "new": float("inf")}
            outputs, errors = {}, {}
            for _ in range(options.rounds):
                for side in ("base", "new"):
                    seconds, output, error = run(getattr(options, side), args, side)
                    best[side] = min(best[side], seconds)
                    outputs[side], errors[side] = output, error
            if errors["base"] or errors["new"]:
                ok = False
                print(f"| {name} | failed: {errors['base'] or '-'} | failed: {errors['new'] or '-'} | | |")
                rows.append({"workload": name, "base_error": errors["base"], "new_error": errors["new"]})
                continue
            same = outputs["base"] == outputs["new"]
            ok = ok and same
            ratio = best["new"] / best["base"]
            print(f"| {name} | {best['base']:.3f} | {best['new']:.3f} | {ratio:.2f} | {'yes' if same else 'NO'} |")
            rows.append({"workload": name, "base_seconds": best["base"], "new_seconds": best["new"],
                         "ratio_new_over_base": ratio, "same_numbers": same})
            sys.stdout.flush()
    if options.json_out:
        with open(options.json_out + ".tmp", "w") as f:
            json.dump({"base": options.base, "new": options.new, "rounds": options.rounds, "rows": rows}, f, indent=2)
        os.replace(options.json_out + ".tmp", options.json_out)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
