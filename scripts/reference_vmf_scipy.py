#!/usr/bin/env python3
"""Reference values for the exact von Mises–Fisher primitives of SpinModels (Tests/SpinModelsTests/
VonMisesFisher*Tests.swift).

For a spin on the sphere of radius R in R^D (R^2 = nu = D/2 - 1) at concentration kappa:

    A(kappa)  = I_{nu+1}(kappa) / I_nu(kappa)                 Bessel ratio
    A'(kappa) = 1 - A^2 - (D - 1) A / kappa                   rho / R^2
    A' - A/kappa                                              delta / R^2 (delta = rho - tau)
    ln C_D(kappa) - ln C_D(0) = -ln 0F1(; nu + 1; kappa^2/4)

All four in 80-digit mpmath arithmetic: the ratio from mpmath.besseli where it evaluates, else from Perron's
continued fraction (Gautschi & Slavik 1978) with the number of terms doubled until 70 digits agree; the two are
cross-checked wherever both run. The double-precision SciPy values (scipy.special.ive ratio, and SciPy's own Perron
implementation scipy.special._ufuncs._iv_ratio where present) are compared against the 80-digit values and their
worst relative errors printed, as a check on the reference itself.

Usage:
    python3 scripts/reference_vmf_scipy.py            # prints the Swift literal pasted into the tests, and checks
"""
import math
import sys

import mpmath as mp
import numpy as np
from scipy import special

mp.mp.dps = 80

DIMENSIONS = [3, 4, 5, 8, 16, 64, 128, 512, 4096, 65536, 1048576]
KAPPAS = [1e-12, 1e-3, 0.5, 1.0, 3.0, 10.0, 30.0, 100.0, 1e3, 1e4, 1e6, 1e8, 1e12]
LOGNORM_DIMENSIONS = [3, 8, 64, 512, 4096]
LOGNORM_KAPPAS = [1e-3, 0.5, 3.0, 10.0, 100.0, 1e3, 1e4, 1e6]
# (D, beta, h, h') with h, h' in the first two components: KL(p_h || p_h') of the exact vMF laws.
KL_CASES = [
    (3, 0.7, (1.0, 0.5), (0.2, -0.4)),
    (8, 0.7, (2.0, 0.0), (1.5, 1.0)),
    (64, 0.7, (3.0, 1.0), (2.9, 1.2)),
    (64, 0.7, (3.0, 1.0), (3.000001, 0.999998)),
    (512, 0.7, (20.0, 5.0), (0.0, 1.0)),
    (8, 1.3, (0.01, 0.02), (0.0, 0.0)),
    (16, 2.0, (0.0, 0.0), (1.0, 1.0)),
    (128, 1.0, (50.0, 10.0), (40.0, 30.0)),
]


def perron_ratio(d, kappa):
    """I_{D/2}/I_{D/2-1} by Perron's continued fraction, 80 digits, terms doubled until 70 digits agree."""
    v, x = mp.mpf(d) / 2, mp.mpf(kappa)
    previous, terms = None, 32
    while True:
        t = mp.mpf(0)
        for k in range(terms, 0, -1):
            t = (-(2 * v + 2 * k - 1) * x) / (2 * (v + x) + k + t)
        r = x / (2 * v + x + t)
        if previous is not None and abs(r - previous) < mp.mpf(10) ** -70 * r:
            return r
        previous, terms = r, terms * 2


def besseli_ratio(d, kappa):
    nu = mp.mpf(d) / 2 - 1
    try:
        return mp.besseli(nu + 1, kappa) / mp.besseli(nu, kappa)
    except Exception:  # mpmath's series gives up at very large order and argument
        return None


def main():
    rows, cross, scipy_ive, scipy_perron = [], 0.0, 0.0, 0.0
    iv_ratio = getattr(getattr(special, "_ufuncs", None), "_iv_ratio", None)
    for d in DIMENSIONS:
        nu = mp.mpf(d) / 2 - 1
        for kappa in KAPPAS:
            x = mp.mpf(kappa)
            a = perron_ratio(d, kappa)
            b = besseli_ratio(d, kappa) if d <= 4096 and kappa <= 1e6 else None
            if b is not None:
                cross = max(cross, float(abs(a - b) / a))
            a_prime = 1 - a * a - (2 * nu + 1) * a / x
            excess = a_prime - a / x
            rows.append((d, kappa, a, a_prime, excess))
            with np.errstate(all="ignore"):
                ive = special.ive(float(nu) + 1, kappa) / special.ive(float(nu), kappa)
            if np.isfinite(ive) and ive > 0:
                scipy_ive = max(scipy_ive, float(abs(mp.mpf(ive) - a) / a))
            if iv_ratio is not None:
                scipy_perron = max(scipy_perron, float(abs(mp.mpf(iv_ratio(d / 2, kappa)) - a) / a))
    lognorm = []
    for d in LOGNORM_DIMENSIONS:
        nu = mp.mpf(d) / 2 - 1
        for kappa in LOGNORM_KAPPAS:
            lognorm.append((d, kappa, -mp.log(mp.hyp0f1(nu + 1, mp.mpf(kappa) ** 2 / 4))))

    kl = []
    for d, beta, h, q in KL_CASES:
        nu, r = mp.mpf(d) / 2 - 1, mp.sqrt(mp.mpf(d) / 2 - 1)
        hv, qv = [mp.mpf(c) for c in h], [mp.mpf(c) for c in q]
        hn, qn = mp.sqrt(sum(c * c for c in hv)), mp.sqrt(sum(c * c for c in qv))
        kp, kq = beta * r * hn, beta * r * qn
        log_c = lambda k: -mp.log(mp.hyp0f1(nu + 1, k * k / 4))
        linear = 0 if hn == 0 else beta * r * perron_ratio(d, kp) * sum((a - b) * a for a, b in zip(hv, qv)) / hn
        kl.append((d, beta, h, q, log_c(kp) - log_c(kq) + linear))

    print(f"// {sys.argv[0]} (mpmath {mp.__version__}, scipy {__import__('scipy').__version__}):", file=sys.stderr)
    print(f"//   besseli vs Perron (80 digits) max rel diff {cross:.1e}; scipy ive ratio max rel err {scipy_ive:.1e};"
          f" scipy _iv_ratio max rel err {scipy_perron:.1e}", file=sys.stderr)
    print("    // (D, κ, A_D(κ), A_D′(κ), A_D′ − A_D/κ)")
    print("    static let moments: [(Int, Double, Double, Double, Double)] = [")
    for d, kappa, a, ap, ex in rows:
        print(f"        ({d}, {kappa!r}, {mp.nstr(a, 17, min_fixed=0, max_fixed=0)}, "
              f"{mp.nstr(ap, 17, min_fixed=0, max_fixed=0)}, {mp.nstr(ex, 17, min_fixed=0, max_fixed=0)}),")
    print("    ]")
    print("    // (D, κ, ln C_D(κ) − ln C_D(0))")
    print("    static let logNormaliser: [(Int, Double, Double)] = [")
    for d, kappa, v in lognorm:
        print(f"        ({d}, {kappa!r}, {mp.nstr(v, 17, min_fixed=0, max_fixed=0)}),")
    print("    ]")
    print("    // (D, β, h (first two components), h′, KL(p_h‖p_h′))")
    print("    static let kl: [(Int, Double, (Double, Double), (Double, Double), Double)] = [")
    for d, beta, h, q, v in kl:
        print(f"        ({d}, {beta!r}, ({h[0]!r}, {h[1]!r}), ({q[0]!r}, {q[1]!r}), {mp.nstr(v, 17, min_fixed=0, max_fixed=0)}),")
    print("    ]")


if __name__ == "__main__":
    main()
