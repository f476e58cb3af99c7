"""Loading libpaththermo_c (the C ABI of include/paththermo.h) and declaring its functions for ctypes.

Discovery, first match wins:
  1. the environment variable PATHTHERMO_LIB: the path of the shared library file (nothing else is tried);
  2. paththermo/lib/libpaththermo_c.so inside this package: the copy that `pip install ./python` /
     `pip wheel ./python` put there (python/setup.py, docs/python.md "Install");
  3. <repository>/.build/release/libpaththermo_c.so, when this package is used from a PathThermo checkout
     (python/paththermo/ two levels below the repository root), after
     `swift build -c release -Xswiftc -enable-testing --product paththermo_c`.
ctypes.CDLL releases the GIL for the duration of every call.
"""
from __future__ import annotations

import ctypes
import os
import pathlib
import sys

_SUFFIX = ".dylib" if sys.platform == "darwin" else ".so"
LIBRARY_NAME = "libpaththermo_c" + _SUFFIX

_i32, _i64, _vp, _cp = ctypes.c_int32, ctypes.c_int64, ctypes.c_void_p, ctypes.c_char_p
# `double *` outputs are declared as void pointers: ctypes then takes a plain address (an int, the fastest argument
# to convert: `_arrays.pointer` and `_arrays.OutputBlock` pass them) as well as a ctypes pointer.
_dp = _vp
# One strided input view: data, dtype, rows, columns, row stride, column stride (elements).
_VIEW = [_vp, _i32, _i64, _i64, _i64, _i64]
# One 3-D trajectory view: data, dtype, rollouts, steps, d, three strides (elements).
_TRAJECTORY = [_vp, _i32, _i64, _i64, _i64, _i64, _i64, _i64]
_dbl, _u64 = ctypes.c_double, ctypes.c_uint64
# simulate's run arguments: dt, rollouts, steps, burn_in, thin, seed, threads, chunk.
_RUN = [_dbl, _i64, _i64, _i64, _i64, _u64, _i64, _i64, _i64]  # dt, counts, seed, threads, chunk, first rollout

_SIGNATURES = {
    "pt_abi_version": ([], _i32),
    "pt_version": ([_cp, _i64], _i64),
    "pt_blas_core": ([_cp, _i64], _i64),
    "pt_free": ([_vp], None),
    "pt_ou": (_VIEW + _VIEW + [_dp] * 6 + [_cp, _i64], _i32),
    "pt_lyapunov": (_VIEW + _VIEW + [_i32, _dp, _dp, _cp, _i64], _i32),
    "pt_asymmetry": (_VIEW + [_dp, _cp, _i64], _i32),
    "pt_simulate_linear": (_VIEW + _VIEW + _RUN + _TRAJECTORY + [_vp, _cp, _i64], _i32),
    "pt_simulate_softmax": (_VIEW + _VIEW + [_dbl, _dbl] + _VIEW + _RUN + _TRAJECTORY + [_vp, _cp, _i64], _i32),
    "pt_kalman": (_VIEW * 6 + [_i64, _cp, _cp, _i64, ctypes.c_uint64, _i32, ctypes.POINTER(_vp), _cp, _i64], _i32),
    "pt_model_open": ([_cp, _cp, _i32, _cp, ctypes.POINTER(_vp), _cp, _i64], _i32),
    "pt_model_free": ([_vp], None),
    "pt_model_text_ep": ([_vp, _cp, _cp, ctypes.POINTER(_vp), _cp, _i64], _i32),
    # trajectories view (8), dt, method, bins, bounds, min_count, basis_order, grid_diffusion, grid_recipe,
    # dt_extrapolation, blocks, threads, allow_monotone, drift view, diffusion view, json_out, message, capacity.
    "pt_estimate": ([_vp, _i32, _i64, _i64, _i64, _i64, _i64, _i64, ctypes.c_double, _cp, _i64, ctypes.c_double,
                     _i64, _i64, _cp, _cp, _i32, _i64, _i64, _i32] + _VIEW + _VIEW
                    + [ctypes.POINTER(ctypes.c_void_p), _cp, _i64], _i32),
}


def candidate_paths() -> list[pathlib.Path]:
    """The paths tried, in order (PATHTHERMO_LIB alone when it is set)."""
    env = os.environ.get("PATHTHERMO_LIB")
    if env:
        return [pathlib.Path(env)]
    package = pathlib.Path(__file__).resolve().parent
    return [package / "lib" / LIBRARY_NAME, package.parent.parent / ".build" / "release" / LIBRARY_NAME]


def find() -> pathlib.Path | None:
    """The library file load() uses: the first candidate path that is a file, or None."""
    return next((path for path in candidate_paths() if path.is_file()), None)


def load() -> ctypes.CDLL:
    """The loaded library with argtypes/restype set; ImportError naming the paths tried when there is none."""
    path = find()
    if path is not None:
        lib = ctypes.CDLL(str(path))
        for name, (args, res) in _SIGNATURES.items():
            fn = getattr(lib, name)
            fn.argtypes = args
            fn.restype = res
        return lib
    tried = ", ".join(str(p) for p in candidate_paths())
    raise ImportError(
        f"paththermo: the PathThermo C library was not found (tried {tried}); install the package with "
        "`pip install ./python` in a PathThermo checkout (it builds the library), or build it with "
        "`swift build -c release -Xswiftc -enable-testing --product paththermo_c` in the repository root, "
        "or set PATHTHERMO_LIB to the path of libpaththermo_c")
