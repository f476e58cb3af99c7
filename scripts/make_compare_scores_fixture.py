#!/usr/bin/env python3
"""Writes Tests/Fixtures/compare-scores/set{A,B}.csv (seeded synthetic per-text scores: a continuous metric without
ties and a tied one) and prints SciPy's Mann-Whitney results on them, the reference of CompareScoresTests:

    python3 scripts/make_compare_scores_fixture.py

SciPy: scipy.stats.mannwhitneyu(causal, noncausal, alternative="two-sided", method="exact" | "asymptotic").
"""
import csv
import json
import os

import numpy as np
import scipy.stats as st

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "Fixtures", "compare-scores")
rng = np.random.default_rng(17)


def make(name, nc, nn, shift):
    c1 = np.round(rng.normal(1.0 + shift, 0.5, nc), 3)
    n1 = np.round(rng.normal(1.0, 0.5, nn), 3)
    c2 = np.round(rng.integers(0, 6, nc) + 0.5 * shift, 1)
    n2 = np.round(rng.integers(0, 6, nn) * 1.0, 1)
    rows = []
    for i in range(max(nc, nn)):
        if i < nc:
            rows.append(("causal", f'c{i}, "q"', c1[i], c2[i]))  # ids with a comma and quotes: RFC 4180 quoting
        if i < nn:
            rows.append(("noncausal", f"n{i}", n1[i], n2[i]))
    with open(os.path.join(HERE, name + ".csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["id", "category", "sigma_token_per_T", "sigma_block_per_T"])
        for g, i, a, b in rows:
            w.writerow([i, g, repr(float(a)), repr(float(b))])
    out = {}
    for m, (x, y) in {"sigma_token_per_T": (c1, n1), "sigma_block_per_T": (c2, n2)}.items():
        ties = len(set(np.r_[x, y])) < len(x) + len(y)
        asy = st.mannwhitneyu(x, y, alternative="two-sided", method="asymptotic")
        ex = None if ties else st.mannwhitneyu(x, y, alternative="two-sided", method="exact")
        out[m] = dict(u=float(asy.statistic), p_asymptotic=float(asy.pvalue),
                      p_exact=None if ex is None else float(ex.pvalue),
                      mean_c=float(np.mean(x)), mean_n=float(np.mean(y)),
                      med_c=float(np.median(x)), med_n=float(np.median(y)), ties=ties)
    return out


if __name__ == "__main__":
    os.makedirs(HERE, exist_ok=True)
    print(json.dumps({"setA": make("setA", 12, 10, 0.6), "setB": make("setB", 9, 11, 0.1)}, indent=1))
