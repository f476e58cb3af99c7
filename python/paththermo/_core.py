"""The functions of the first slice of issue 18: ou, lyapunov, asymmetry, version (docs/python.md)."""
from __future__ import annotations

import ctypes
import math
import warnings
from dataclasses import dataclass

import numpy as np

from . import _abi
from ._arrays import OutputBlock, matrix_view, output, pointer, square_or_scalar
from ._errors import Error

_lib = _abi.lib
_call = _abi.call


def version() -> str:
    """PathThermo's version string (the Swift library's PathThermoVersion, e.g. "0.1.0")."""
    buffer = ctypes.create_string_buffer(64)
    _lib.pt_version(buffer, 64)
    return buffer.value.decode()


def blas_core() -> str:
    """The OpenBLAS kernel family this process runs (e.g. "SkylakeX"); it changes BLAS results in the last bits.
    The CLI picks a better family where OpenBLAS fell back to generic kernels; for its bits set OPENBLAS_CORETYPE
    to the CLI's provenance.blas_core before importing paththermo."""
    buffer = ctypes.create_string_buffer(64)
    _lib.pt_blas_core(buffer, 64)
    return buffer.value.decode()


def abi_version() -> int:
    """The C ABI's version (0 while PathThermo is 0.x: it may change with any release)."""
    return int(_lib.pt_abi_version())


@dataclass(frozen=True)
class NonNormality:
    """Non-normality indices of the drift B (`paththermo ou`'s "non_normality" object)."""
    antisymmetric_ratio: float
    henrici: float
    henrici_relative: float
    commutator: float

    def to_dict(self) -> dict:
        return {"antisymmetric_ratio": self.antisymmetric_ratio, "henrici": self.henrici,
                "henrici_relative": self.henrici_relative, "commutator": self.commutator}


@dataclass(frozen=True)
class OUResult:
    """Exact stationary thermodynamics of dx = B x dt + sqrt(2D) dW; fields and `to_dict()` keys are those of
    `paththermo ou --json` (without its provenance)."""
    dimension: int
    stationary_covariance: np.ndarray
    entropy_production_rate: float
    irreversible_drift: np.ndarray
    reversible_drift: np.ndarray
    probability_current_matrix: np.ndarray
    eigenvalues: np.ndarray          # (n, 2): real, imaginary
    non_normality: NonNormality

    def to_dict(self) -> dict:
        """Plain Python values (lists, floats), as in the CLI's JSON."""
        return {
            "dimension": self.dimension,
            "stationary_covariance": self.stationary_covariance.tolist(),
            "entropy_production_rate": self.entropy_production_rate,
            "irreversible_drift": self.irreversible_drift.tolist(),
            "reversible_drift": self.reversible_drift.tolist(),
            "probability_current_matrix": self.probability_current_matrix.tolist(),
            "eigenvalues": self.eigenvalues.tolist(),
            "non_normality": self.non_normality.to_dict(),
        }


def ou(drift, diffusion=1.0) -> OUResult:
    """Exact stationary covariance, current and entropy-production rate of the OU model dx = B x dt + sqrt(2D) dW.

    drift: B, n x n, Hurwitz. diffusion: D, n x n symmetric positive definite, or a scalar d for D = d I.
    Same computation as `paththermo ou` (Sources/Thermodynamics/OrnsteinUhlenbeck.swift). Raises Error.
    A non-finite result (entries beyond the range of Double) is returned with a RuntimeWarning naming it,
    as the CLI prints a warning.
    """
    b = matrix_view(drift, "drift")
    d = square_or_scalar(diffusion, "diffusion", b.rows)
    n = b.rows
    # The four n x n outputs as one (4, n, n) array: one view to carve, four to unpack (cheaper than four slices).
    out = OutputBlock((4, n, n), (n, 2), (5,))
    matrices, eig, scalars = out.arrays
    first, step = out.pointers[0], 8 * n * n
    _call(_lib.pt_ou, *b.arguments(), *d.arguments(), first, first + step, first + 2 * step, first + 3 * step,
          *out.pointers[1:])
    cov, irr, rev, cur = matrices
    sigma, *indices = scalars.tolist()
    result = OUResult(
        dimension=n, stationary_covariance=cov, entropy_production_rate=sigma,
        irreversible_drift=irr, reversible_drift=rev, probability_current_matrix=cur, eigenvalues=eig,
        non_normality=NonNormality(*indices))
    # One check on the whole block (a sum of finite values is finite or overflows to ±inf, then the exact test
    # decides; np.isfinite(block).all() costs 1.3 µs, this 0.4), naming the culprits only when one fails.
    if not math.isfinite(sum(out.block.tolist())) and not np.isfinite(out.block).all():
        bad = [k for k, v in (("stationary_covariance", cov), ("entropy_production_rate", scalars[:1]),
                              ("irreversible_drift", irr), ("reversible_drift", rev),
                              ("probability_current_matrix", cur), ("eigenvalues", eig),
                              ("non_normality", scalars[1:]))
               if not np.all(np.isfinite(v))]
        warnings.warn(f"paththermo.ou: non-finite values in {', '.join(bad)}", RuntimeWarning, stacklevel=2)
    return result


def lyapunov(a, q, discrete: bool = False, *, residual: bool = False):
    """X with A X + X A^T = Q, or with discrete=True A X A^T - X + Q = 0 (SciPy's solve_continuous_lyapunov /
    solve_discrete_lyapunov conventions; `paththermo lyapunov`). q may be a scalar c for Q = c I.
    Returns X (n x n float64), or (X, relative residual) with residual=True. Raises Error."""
    av = matrix_view(a, "a")
    qv = square_or_scalar(q, "q", av.rows)
    x = output(av.rows, av.rows) if av.rows == av.columns else output(1, 1)
    res = output(1) if residual else None  # the residual costs two more n^3 products: only when asked for
    # A non-square A is rejected by the library before X is written (the 1 x 1 buffer is never touched).
    _call(_lib.pt_lyapunov, *av.arguments(), *qv.arguments(), 1 if discrete else 0, pointer(x), pointer(res))
    return (x, float(res[0])) if residual else x


def asymmetry(w) -> float:
    """Attention query-key asymmetry index ||W_A||_F / ||W||_F with W_A = (W - W^T)/2 (paper Eq. 30;
    `paththermo asymmetry`). Raises Error for an empty, non-square or non-finite W."""
    v = matrix_view(w, "w")
    out = output(1)
    _call(_lib.pt_asymmetry, *v.arguments(), pointer(out))
    value = float(out[0])
    if not math.isfinite(value):  # the library guarantees a finite index for finite W; never pass on a NaN silently
        raise Error("asymmetry index is not finite")
    return value
