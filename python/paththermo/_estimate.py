"""`estimate`: entropy production with error bars from an array of trajectories (the blind grid, basis and TUR
estimators and the model-based pathwise one), as `paththermo estimate --trajectories f.npy --json` (docs/python.md;
docs/theory/estimators.md §1-§3, §5-§6; C ABI pt_estimate)."""
from __future__ import annotations

import copy
import math

import numpy as np

from . import _abi
from ._arguments import integer, optional_text
from ._arrays import matrix_view, square_or_scalar, trajectory_view
from ._errors import Error

_METHODS = ("grid", "basis", "tur", "pathwise")
_KEYS = ("entropy_production_rate", "stderr", "bias", "debiased", "diffusion", "samples_used", "method",
         "diffusion_matrix")


class Estimate:
    """One method's estimate, the CLI's JSON object for it: entropy_production_rate (sigma hat, nats per unit time),
    stderr (jackknife over `blocks` contiguous blocks), bias, debiased (sigma hat - bias; with dt_extrapolation the
    Richardson-extrapolated estimate, which stderr then refers to), diffusion_matrix (D hat, d x d ndarray), diffusion
    (tr D hat / d), samples_used (transition pairs), method, and details (every other key: e.g. bins_used,
    basis_size, seconds = the library's own time for accumulate + estimate, without the array conversion).
    A null (non-finite) number of the JSON is NaN here."""

    __slots__ = ("entropy_production_rate", "stderr", "bias", "debiased", "diffusion_matrix", "diffusion",
                 "samples_used", "method", "details", "warnings", "_dict")

    def __init__(self, document: dict):
        self._dict = document
        nan = lambda v: math.nan if v is None else v  # noqa: E731
        self.entropy_production_rate = nan(document["entropy_production_rate"])
        self.stderr = nan(document["stderr"])
        self.bias = nan(document["bias"])
        self.debiased = nan(document["debiased"])
        self.diffusion = nan(document["diffusion"])
        self.samples_used = int(document["samples_used"])
        self.method = document["method"]
        self.diffusion_matrix = np.array(document["diffusion_matrix"], dtype=np.float64)
        self.details = {k: nan(v) for k, v in document.items() if k not in _KEYS and k != "warnings"}
        self.warnings = list(document.get("warnings", []))

    @property
    def seconds(self) -> float:
        """The library's own time for this method (accumulate + estimate), the detail `seconds`."""
        return self.details["seconds"]

    def to_dict(self) -> dict:
        """The CLI's JSON object for this method (plain Python values; non-finite numbers as None)."""
        return copy.deepcopy(self._dict)

    def __repr__(self) -> str:
        return (f"Estimate(method={self.method!r}, entropy_production_rate={self.entropy_production_rate:.6g}, "
                f"stderr={self.stderr:.6g}, debiased={self.debiased:.6g}, samples_used={self.samples_used})")


class EstimateReport:
    """`method="all"`: a mapping method name -> Estimate for the methods that gave one (grid, basis, tur, and
    pathwise when a model was given), `skipped` (method -> the reason, e.g. the grid for d > 3), `dimension`, and
    `to_dict()`, the CLI's JSON document (keys `<method>`, `<method>_skipped`, `dimension`; without its provenance,
    which only the CLI knows; `warnings` when a number is not finite)."""

    def __init__(self, document: dict):
        self._dict = document
        self.dimension = int(document["dimension"])
        self.estimates = {m: Estimate(document[m]) for m in _METHODS if m in document}
        self.skipped = {m: document[f"{m}_skipped"] for m in _METHODS if f"{m}_skipped" in document}
        self.warnings = list(document.get("warnings", []))

    def __getitem__(self, method: str) -> Estimate:
        return self.estimates[method]

    def __contains__(self, method) -> bool:
        return method in self.estimates

    def __iter__(self):
        return iter(self.estimates)

    def __len__(self) -> int:
        return len(self.estimates)

    def keys(self):
        return self.estimates.keys()

    def values(self):
        return self.estimates.values()

    def items(self):
        return self.estimates.items()

    def to_dict(self) -> dict:
        """The CLI's JSON document (plain Python values; non-finite numbers as None, named in "warnings")."""
        return copy.deepcopy(self._dict)

    def __repr__(self) -> str:
        parts = [f"{m}: {e.entropy_production_rate:.6g} ± {e.stderr:.6g}" for m, e in self.estimates.items()]
        parts += [f"{m}: skipped" for m in self.skipped]
        return f"EstimateReport(d={self.dimension}; " + "; ".join(parts) + ")"


def estimate(trajectories, dt, method="all", *, bins=None, bounds=None, min_count=10, basis_order=1, drift=None,
             diffusion=None, grid_diffusion="constant", grid_recipe=None, dt_extrapolation=True, blocks=10, threads=0,
             allow_monotone=False):
    """Entropy production rate with error bars from sampled trajectories, as `paththermo estimate`.

    trajectories: (rollouts, steps, d) or (steps, d) array, float64 or float32 in any memory order (read in place;
    other real dtypes are copied to float64). A row with a NaN splits its rollout into segments; +-Inf, constant or
    zero-padded rollouts, a coordinate that never changes and (unless allow_monotone) a coordinate strictly monotone
    along every rollout (a time column) raise Error. dt: the sampling interval.
    method: "all" (grid, basis, tur, and pathwise when drift and diffusion are given; a method that cannot run, such
    as the grid for d > 3, is listed in `skipped`) or one of "grid", "basis", "tur", "pathwise".
    bins: grid bins per axis (None: 40, 12 for d = 3); bounds: grid half-width L (None: the 99.95% quantile of |x|);
    min_count: samples per valid bin; grid_diffusion: "constant" or "local"; grid_recipe: None, "paper" or
    "corrected". basis_order: monomial degree of the basis estimator. drift, diffusion: the linear model
    f(x) = B x and D (d x d, or a scalar s for s I) of the pathwise estimator. dt_extrapolation: Richardson
    extrapolation over dt and 2 dt (basis, tur, pathwise). blocks: jackknife blocks; threads: workers (0 = one per
    core; results do not depend on it).

    Returns an Estimate for a single method, an EstimateReport for "all"; `.to_dict()` is the CLI's `--json`
    document bit for bit (except the CLI's provenance; `seconds` is timing). Raises Error.
    """
    view = trajectory_view(trajectories, "trajectories")
    d = view.shape[2]
    if (drift is None) != (diffusion is None):
        raise Error("drift and diffusion go together (the pathwise estimator needs the model's drift and its diffusion)")
    model = [None, 0, 0, 0, 0, 0] * 2
    if drift is not None:
        model = matrix_view(drift, "drift").arguments() + square_or_scalar(diffusion, "diffusion", d).arguments()
    half_width = 0.0  # the ABI's "default quantile"
    if bounds is not None:
        half_width = float(bounds)
        if half_width == 0 or math.isnan(half_width):
            raise Error(f"bounds must be finite and > 0 (got {bounds}); pass None for the default quantile")
    document = _abi.call_json(
        _abi.lib.pt_estimate, *view.arguments(), float(dt), optional_text(method, "method"),
        0 if bins is None else integer(bins, "bins"), half_width,
        integer(min_count, "min_count"), integer(basis_order, "basis_order"), optional_text(grid_diffusion, "grid_diffusion"),
        optional_text(grid_recipe, "grid_recipe"), 1 if dt_extrapolation else 0, integer(blocks, "blocks"),
        integer(threads, "threads"), 1 if allow_monotone else 0, *model)
    if method in (None, "all"):
        return EstimateReport(document)
    return Estimate(document)
