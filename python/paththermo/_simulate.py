"""`simulate`: batched Euler-Maruyama rollouts into a NumPy array, bit for bit `paththermo simulate --out`
(include/paththermo.h: pt_simulate_linear, pt_simulate_softmax; docs/python.md)."""
from __future__ import annotations

import ctypes

import numpy as np

from . import _abi
from ._arguments import UINT64, integer, real
from ._arrays import FLOAT32, FLOAT64, matrix_view, square_or_scalar, trajectory_view
from ._errors import Error

_lib = _abi.lib
def simulate(drift=None, diffusion=1.0, *, dt, rollouts, steps, seed, burn_in=0, thin=1, threads=0, chunk=64, first_rollout=0,
             family="linear", w=None, keys=None, beta=None, leak=1.0, dtype=np.float64, out=None, report=False):
    """Simulates dx = f(x) dt + sqrt(2D) dW (Euler-Maruyama) for `rollouts` independent rollouts from the origin and
    returns the recorded states as an array of shape (rollouts, steps, d): `burn_in` unrecorded steps, then `steps`
    states `thin` steps apart. The values are bit for bit those of
    `paththermo simulate ... --seed SEED --out f.npy` (`--float32` for dtype float32), for any `threads` and `chunk`.
    first_rollout=k makes them rollouts k ..< k + rollouts of a larger run (`--first-rollout k`): shards concatenated
    along axis 0 in order are the whole run, bit for bit.

    family "linear": f(x) = drift @ x (drift: d x d). family "softmax": f(x) = sum_m softmax_m(beta x^T w k_m) k_m
    - leak x (w: d x d, keys: M x d, one key per row). diffusion: a scalar s (D = s I, the CLI's `--diffusion s`) or
    a d x d symmetric positive-definite matrix.

    out: a writable float64/float32 array of shape (rollouts, steps, d), any memory order, filled in place and
    returned (its dtype wins over `dtype`); without it a new C-order array of `dtype` is allocated, after the library
    has checked the sizes against its memory budget. report=True returns (array, dict): the CLI's `simulate --json`
    report (final_mean, final_covariance, diffusion_matrix, particle_steps, ...) with `seconds` and
    `particle_steps_per_second` measured by the library, and without the CLI's `out`, `dtype` and `provenance`.
    The GIL is released while the rollouts run. Raises paththermo.Error for bad input (status and message of the
    library), a diverging rollout, or sizes beyond the memory budget.
    """
    if family == "linear":
        if w is not None or keys is not None or beta is not None:
            raise Error("w, keys and beta belong to family='softmax'; the linear drift takes drift=B")
        if drift is None:
            raise Error("the linear drift needs drift=B (the drift matrix)")
        inputs = [matrix_view(drift, "drift")]
        dimension = inputs[0].rows
        function = _lib.pt_simulate_linear
    elif family == "softmax":
        if drift is not None:
            raise Error("drift=B belongs to family='linear'; the softmax drift takes w, keys and beta")
        if w is None or keys is None or beta is None:
            raise Error("family='softmax' needs w, keys and beta")
        inputs = [matrix_view(w, "w"), matrix_view(keys, "keys")]
        dimension = inputs[0].rows
        function = _lib.pt_simulate_softmax
    else:
        raise Error(f"family: expected 'linear' or 'softmax', got {family!r}")
    scalars = [real(beta, "beta"), real(leak, "leak")] if family == "softmax" else []
    noise = square_or_scalar(diffusion, "diffusion", dimension)
    seed = integer(seed, "seed", UINT64)
    counts = [integer(v, n) for v, n in ((rollouts, "rollouts"), (steps, "steps"), (burn_in, "burn_in"),
                                        (thin, "thin"))]
    run = [real(dt, "dt"), *counts, seed, integer(threads, "threads"), integer(chunk, "chunk"),
           integer(first_rollout, "first_rollout")]
    arguments = [a for view in inputs for a in view.arguments()] + scalars + noise.arguments() + run

    if out is None:
        dt_ = np.dtype(dtype)
        if dt_ not in (np.dtype(np.float64), np.dtype(np.float32)):
            raise Error(f"dtype: expected float64 or float32, got {dt_}")
        code = FLOAT32 if dt_ == np.dtype(np.float32) else FLOAT64
        # Validate only (out = NULL): counts, drift, diffusion and the memory budget of the array, before allocating.
        _abi.call(function, *arguments, None, code, counts[0], counts[1], dimension, 0, 0, 0, ctypes.c_void_p())
        out = np.empty((counts[0], counts[1], dimension), dtype=dt_)
    view = trajectory_view(out, "out", writable=True)
    result = _abi.call_json(function, *arguments, *view.arguments())
    return (out, result) if report else out
