"""NumPy arrays as the C ABI's strided 2-D views (include/paththermo.h): pointer, dtype code, shape, strides in
elements. float64 and float32 arrays in any order (C, Fortran, or another strided view) go to the library in place;
other dtypes, and views whose byte strides are not whole elements, are copied once to float64."""
from __future__ import annotations

import ctypes
import math

import numpy as np

from ._errors import Error

FLOAT64, FLOAT32 = 0, 1
_CODES = {np.dtype(np.float64): FLOAT64, np.dtype(np.float32): FLOAT32}
_FLOAT64 = np.dtype(np.float64)


class View:
    """A 2-D array as the ABI sees it. `array` keeps the memory alive for the call; `pointer` is the address of
    element [0, 0] that the library receives (tests compare it with the caller's `arr.ctypes.data`)."""

    __slots__ = ("array", "pointer", "code", "rows", "columns", "row_stride", "column_stride")

    def __init__(self, array: np.ndarray):
        self.array = array
        self.pointer = array.__array_interface__["data"][0]  # (0.6 µs less than array.ctypes.data)
        self.code = _CODES[array.dtype]
        self.rows, self.columns = array.shape
        item = array.dtype.itemsize
        row_bytes, column_bytes = array.strides
        self.row_stride, self.column_stride = row_bytes // item, column_bytes // item

    def arguments(self) -> list:
        """The six ABI arguments: data (an address: the ABI declares it `void *`), dtype, rows, columns, row stride,
        column stride."""
        return [self.pointer, self.code, self.rows, self.columns, self.row_stride, self.column_stride]


def matrix_view(value, name: str) -> View:
    """`value` as a 2-D float64/float32 view; paththermo.Error for another ndim, a complex or non-numeric dtype."""
    array = np.asarray(value)
    if array.ndim != 2:
        raise Error(f"{name}: expected a 2-D array, got {array.ndim}-D with shape {array.shape}")
    if array.dtype is _FLOAT64 and array.flags.c_contiguous:  # the common case, in place without further checks
        return View(array)
    return View(_abi_layout(array, name))


def _abi_layout(array: np.ndarray, name: str, writable: bool = False) -> np.ndarray:
    """`array` itself when the ABI can read it in place (float64/float32, aligned, strides in whole elements), else
    one copy: another real dtype to float64, a misaligned or odd-strided view to C order. An output buffer
    (`writable`) cannot be copied: Error instead. Error for a dtype that is not real and numeric."""
    if array.dtype not in _CODES:
        if array.dtype.kind not in "biuf":
            raise Error(f"{name}: expected a real numeric array, got dtype {array.dtype}")
        array = array.astype(np.float64)
    item = array.dtype.itemsize
    if any(s % item for s in array.strides) or not array.flags.aligned:
        if writable:
            raise Error(f"{name}: the array's strides are not whole elements (pass an aligned array)")
        array = np.array(array, dtype=array.dtype, order="C")
    return array


def square_or_scalar(value, name: str, dimension: int) -> View:
    """A matrix, or a scalar s read as s·I of `dimension` (the CLI's --diffusion/--q convention). The s·I of recent
    (dimension, s) pairs are kept, read-only: building one costs microseconds, as much as a small call."""
    if type(value) is float or type(value) is int:
        s = float(value)
    else:
        array = np.asarray(value)
        if array.ndim != 0:
            return matrix_view(array, name)
        if array.dtype.kind not in "biuf":
            raise Error(f"{name}: expected a real number, got dtype {array.dtype}")
        s = float(array)
    if not math.isfinite(s):
        raise Error(f"{name}: scalar is not finite")
    key = (dimension, s)
    view = _SCALED_IDENTITIES.get(key)
    if view is None:
        identity = s * np.eye(dimension)
        identity.flags.writeable = False
        view = View(identity)
        if dimension <= 64:
            if len(_SCALED_IDENTITIES) >= 64:
                _SCALED_IDENTITIES.clear()
            _SCALED_IDENTITIES[key] = view
    return view


# (dimension, s) -> View of s·I (read-only; the library never writes inputs), for square_or_scalar.
_SCALED_IDENTITIES: dict = {}


def output(*shape: int) -> np.ndarray:
    """A fresh C-order float64 output buffer."""
    return np.empty(shape, dtype=np.float64)


def pointer(array: np.ndarray | None):
    """The ABI's `double *` for an output buffer, as an address (NULL for None)."""
    if array is None:
        return None
    return array.ctypes.data


class OutputBlock:
    """Several C-order float64 outputs carved from one allocation: one buffer and one address instead of one per
    output (each costs microseconds, as much as a small call's computation). The buffer is a ctypes array (its
    address costs 0.1 µs, a NumPy array's 1–2 µs) seen through `np.frombuffer`, which keeps it alive; it is
    zero-filled, so use it for small outputs only. `arrays` are views of `block`; `pointers` their addresses."""

    __slots__ = ("block", "arrays", "pointers")

    def __init__(self, *shapes: tuple):
        layout = _BLOCK_LAYOUTS.get(shapes)
        if layout is None:
            layout = _block_layout(shapes)
        total, spans = layout
        storage = (ctypes.c_double * total)()
        block = np.frombuffer(storage)  # float64, the default (naming the dtype costs 0.4 µs more)
        base = ctypes.addressof(storage)
        self.block = block
        self.arrays = [block[start:stop].reshape(shape) for start, stop, shape in spans]
        self.pointers = [base + 8 * start for start, _, _ in spans]


def _block_layout(shapes: tuple) -> tuple:
    """(total size, [(start, stop, shape)]) of an OutputBlock, kept for the next call with the same shapes."""
    spans, offset = [], 0
    for shape in shapes:
        size = math.prod(shape)
        spans.append((offset, offset + size, shape))
        offset += size
    if len(_BLOCK_LAYOUTS) >= 256:
        _BLOCK_LAYOUTS.clear()
    _BLOCK_LAYOUTS[shapes] = layout = (offset, spans)
    return layout


# shapes -> (total, spans) for OutputBlock: working them out costs a microsecond per call.
_BLOCK_LAYOUTS: dict = {}


def trajectory_view(value, name: str, *, writable: bool = False) -> "TrajectoryView":
    """`value` as the ABI's 3-D (rollouts, steps, d) view; a 2-D (steps, d) array is one rollout. float64/float32 in
    any order go in place; another real dtype (or a misaligned view) is copied once to float64, which `writable`
    (an output buffer) refuses. paththermo.Error for another ndim or a non-numeric dtype."""
    array = np.asarray(value)
    if array.ndim not in (2, 3):
        raise Error(f"{name}: expected a 3-D (rollouts, steps, d) or 2-D (steps, d) array, got {array.ndim}-D "
                    f"with shape {array.shape}")
    if writable and (array.dtype not in _CODES or not array.flags.writeable):
        raise Error(f"{name}: expected a writable float64 or float32 array, got dtype {array.dtype}")
    return TrajectoryView(_abi_layout(array, name, writable))


class TrajectoryView:
    """A (rollouts, steps, d) array as the ABI sees it (a 2-D array as one rollout, stride 0 on the first axis).
    `array` keeps the memory alive; `pointer` is the address of element [0, 0, 0]."""

    __slots__ = ("array", "pointer", "code", "shape", "strides")

    def __init__(self, array: np.ndarray):
        self.array = array
        self.pointer = array.__array_interface__["data"][0]  # (0.6 µs less than array.ctypes.data)
        self.code = _CODES[array.dtype]
        item = array.dtype.itemsize
        strides = [s // item for s in array.strides]
        if array.ndim == 2:
            self.shape, self.strides = (1, *array.shape), (0, *strides)
        else:
            self.shape, self.strides = tuple(array.shape), tuple(strides)

    def arguments(self) -> list:
        """The eight ABI arguments: data, dtype, rollouts, steps, d, and the three strides (elements)."""
        return [ctypes.c_void_p(self.pointer), self.code, *self.shape, *self.strides]
