"""PathThermo from Python: NumPy arrays in, the Swift library's results out (docs/python.md).

Issue 18: `ou`, `lyapunov`, `asymmetry`, `simulate`, `estimate`, `kalman`, `LanguageModel`, `version` over the C ABI of include/paththermo.h
(libpaththermo_c; see paththermo._library for how it is found). Every failure raises `paththermo.Error`
(a ValueError) with the library's one-line message.
"""
from ._errors import Error
from ._estimate import Estimate, EstimateReport, estimate
from ._kalman import KalmanResult, kalman
from ._language_model import LanguageModel, TextEPResult
from ._core import NonNormality, OUResult, abi_version, asymmetry, blas_core, lyapunov, ou, version
from ._simulate import simulate

__all__ = ["Error", "Estimate", "EstimateReport", "KalmanResult", "LanguageModel", "NonNormality", "OUResult",
           "TextEPResult", "abi_version", "asymmetry", "blas_core", "estimate", "kalman", "lyapunov", "ou", "simulate",
           "version"]
__version__ = "0.1.0"
