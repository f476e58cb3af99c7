"""paththermo.kalman: entropy production of the Kalman innovation model (`paththermo kalman`, pt_kalman)."""
from __future__ import annotations


from . import _abi
from ._arguments import INT64, UINT64, integer
from ._arrays import square_or_scalar
from ._errors import Error
from ._json_result import JSONResult

_METHODS = ("dense", "linear")
_STARTS = ("zero", "stationary")


class KalmanResult(JSONResult):
    """`paththermo kalman --json` as an object. Keys: horizon, method, start, innovation_covariance (n_y x n_y),
    gain (n_x x n_y), entropy_production, curve ((T, 2): t, S_y(t)), step_terms (T), seconds, and when asked
    monte_carlo (mean, stderr, bootstrap_ci, per_token_mean, fluctuation_mean, fluctuation_stderr, samples, seed)
    and decomposition (D, L, M, bound, bound_total). `seconds` is the library's own timing of the exact
    computation (as the CLI's); the CLI's "provenance" (its command line, commit) is left out; every other number
    equals the CLI's for the same input."""


def kalman(a, c, q=None, r=None, k=None, s=None, *, horizon: int, method: str = "linear", start: str = "zero",
           monte_carlo: int | None = None, seed: int = 1, decompose: bool = False) -> KalmanResult:
    """Exact entropy production S_y(T) = KL(P-> || P<-) of the linear-Gaussian autoregressive model
    (docs/theory/autoregressive.md section 5), as `paththermo kalman --json`.

    Signal model: a (n_x x n_x), c (n_y x n_x), q, r (noise covariances, through the Riccati equation); or the
    innovation model: a, c, k (gain, n_x x n_y), s (innovation covariance, SPD). A scalar x means x*I as in the CLI:
    a 1 x 1 for a; n_x x n_x for c, q and k; n_y x n_y for r and s. method "dense" or "linear"; start "zero" or
    "stationary"; monte_carlo: also estimate S_y(T) from that many (>= 2) trajectories sampled with `seed`;
    decompose: also the retrospective decomposition (zero start). Raises Error.
    """
    if method not in _METHODS:
        raise Error(f"unknown method {method!r} (use dense or linear)")
    if start not in _STARTS:
        raise Error(f"unknown start {start!r} (use zero or stationary)")
    horizon = integer(horizon, "horizon")
    monte_carlo = 0 if monte_carlo is None else integer(monte_carlo, "monte_carlo", (2, INT64[1]))  # 0: none
    seed = integer(seed, "seed", UINT64)
    av = square_or_scalar(a, "a", 1)
    cv = square_or_scalar(c, "c", av.rows)
    nx, ny = av.rows, cv.rows
    views = [None if m is None else square_or_scalar(m, name, dim)
             for m, name, dim in ((q, "q", nx), (r, "r", ny), (k, "k", nx), (s, "s", ny))]
    arguments = [*av.arguments(), *cv.arguments()]
    for v in views:
        arguments += [None, 0, 0, 0, 0, 0] if v is None else v.arguments()
    document = _abi.call_json(_abi.lib.pt_kalman, *arguments, horizon, method.encode(), start.encode(),
                              monte_carlo, seed, 1 if decompose else 0)
    return KalmanResult(document)
