"""PathThermo from Python: NumPy arrays in, the Swift library's results out (docs/python.md).

Issue 18: `ou`, `lyapunov`, `asymmetry`, `estimate`, `version` over the C ABI of include/paththermo.h
(libpaththermo_c; see paththermo._library for how it is found). Every failure raises `paththermo.Error`
(a ValueError) with the library's one-line message.
"""
from ._errors import Error
from ._estimate import Estimate, EstimateReport, estimate
from ._core import NonNormality, OUResult, abi_version, asymmetry, blas_core, lyapunov, ou, version

__all__ = ["Error", "Estimate", "EstimateReport", "NonNormality", "OUResult", "abi_version", "asymmetry", "blas_core",
           "estimate", "lyapunov", "ou", "version"]
__version__ = "0.1.0"
