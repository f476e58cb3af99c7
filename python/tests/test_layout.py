"""Memory layouts: float64/float32 arrays in C or Fortran order (and strided views) reach the library in place,
and give the same results as their C-order float64 equivalents; two threads give the same results as one."""
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

import paththermo
from paththermo._arrays import matrix_view


def drift(n, seed):
    rng = np.random.default_rng(seed)
    return rng.standard_normal((n, n)) / np.sqrt(n) - 2.0 * np.eye(n)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("order", ["C", "F"])
def test_no_copy_for_float_arrays_in_either_order(dtype, order):
    a = np.asarray(drift(7, 1), dtype=dtype, order=order)
    view = matrix_view(a, "a")
    assert view.pointer == a.ctypes.data        # the library receives the caller's buffer itself
    assert view.array is a
    item = a.dtype.itemsize
    assert (view.row_stride, view.column_stride) == (a.strides[0] // item, a.strides[1] // item)


def test_strided_view_without_copy():
    big = drift(12, 2)
    sub = big[1::2, ::2]   # 6 x 6, strides (24, 2) elements
    view = matrix_view(sub, "w")
    assert view.pointer == sub.ctypes.data and view.array is sub
    assert paththermo.asymmetry(sub) == paththermo.asymmetry(np.ascontiguousarray(sub))


def test_negative_strides():
    w = drift(5, 3)[::-1, ::-1]
    assert matrix_view(w, "w").row_stride < 0
    assert paththermo.asymmetry(w) == paththermo.asymmetry(np.ascontiguousarray(w))


def test_other_dtypes_are_converted_once():
    w = np.arange(9, dtype=np.int32).reshape(3, 3)
    assert matrix_view(w, "w").array.dtype == np.float64
    assert paththermo.asymmetry(w) == paththermo.asymmetry(w.astype(np.float64))


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_results_equal_for_c_and_fortran_order(dtype):
    b = np.asarray(drift(9, 4), dtype=dtype)
    q = np.asarray(np.eye(9) + 0.1 * np.ones((9, 9)), dtype=dtype)
    reference = paththermo.lyapunov(np.ascontiguousarray(b, dtype=np.float64), q.astype(np.float64))
    for order in "CF":
        x = paththermo.lyapunov(np.asarray(b, order=order), np.asarray(q, order=order))
        np.testing.assert_array_equal(x, reference)
    ou_c = paththermo.ou(b.astype(np.float64), 0.5)
    ou_f = paththermo.ou(np.asfortranarray(b), 0.5)
    assert ou_c.to_dict() == ou_f.to_dict()


def test_two_threads_equal_sequential():
    inputs = [(drift(120, s), np.eye(120)) for s in range(6)]
    sequential = [paththermo.lyapunov(a, q) for a, q in inputs]
    with ThreadPoolExecutor(max_workers=2) as pool:
        parallel = list(pool.map(lambda aq: paththermo.lyapunov(*aq), inputs))
    for x, y in zip(sequential, parallel):
        np.testing.assert_array_equal(x, y)


def test_version():
    assert paththermo.version() == paththermo.__version__
    assert paththermo.abi_version() == 0
