#!/usr/bin/env python3
"""Regenerate the .npy fixtures read by Tests/ArrayIOTests/NPYFixtureTests.swift.

Every file here is written by NumPy itself (np.save / np.lib.format.write_array), so the tests
check the Swift reader against the reference implementation of the format
(https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html).
The values are small closed-form arrays; the Swift tests hard-code the same definitions.

Usage:  python3 Tests/Fixtures/npy/make_npy_fixtures.py   (needs numpy; writes next to this file)
"""
import os
import warnings

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))


def save(name, array, version=None):
    path = os.path.join(HERE, name)
    with open(path, "wb") as f:
        if version is None:
            np.save(f, array)
        else:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # NumPy warns that 2.0/3.0 files need numpy >= 1.9/1.17
                np.lib.format.write_array(f, array, version=version)
    back = np.load(path)
    assert back.dtype == array.dtype and back.shape == array.shape
    assert np.array_equal(back, array, equal_nan=array.dtype.kind == "f")
    print(f"{name:28s} {array.dtype.str:5s} shape={array.shape} fortran={np.isfortran(array)} "
          f"{os.path.getsize(path)} bytes")


m23 = np.arange(6, dtype=np.float64).reshape(2, 3) * 0.5          # [[0, .5, 1], [1.5, 2, 2.5]]
save("f8_c_2x3.npy", m23)
save("f8_fortran_2x3.npy", np.asfortranarray(m23))
save("f4_3x2.npy", (np.arange(6).reshape(3, 2) * 0.25 - 0.5).astype("<f4"))  # exact in float32
save("f4_tenth.npy", np.array([0.1, -1.0 / 3.0], dtype="<f4"))                # rounded to float32
save("f8_big_endian_2x2.npy", np.array([[1.5, -2.25], [3e10, -4e-3]], dtype=">f8"))
save("f4_big_endian_2.npy", np.array([1.5, -0.125], dtype=">f4"))
save("i8_2x3.npy", np.array([[-3, 0, 7], [2**40, -(2**40), 1]], dtype="<i8"))
save("i4_4.npy", np.array([-2147483648, -1, 0, 2147483647], dtype="<i4"))
save("f2_3.npy", np.array([1.0, -0.5, 65504.0], dtype="<f2"))
save("bool_3.npy", np.array([True, False, True]))
save("u1_3.npy", np.array([0, 1, 255], dtype="u1"))
r3 = np.arange(24, dtype=np.float64).reshape(2, 3, 4)             # value = 12 i + 4 j + k
save("f8_rank3_2x3x4.npy", r3)
save("f8_fortran_rank3_2x3x4.npy", np.asfortranarray(r3))
save("f8_rank0.npy", np.array(2.5))
save("f8_rank1_3.npy", np.array([1.0, -2.0, 3.5]))
save("f8_empty_0x3.npy", np.zeros((0, 3)))
save("f8_nonfinite_3.npy", np.array([np.nan, np.inf, -np.inf]))
save("f8_v2_2x3.npy", m23, version=(2, 0))
save("f8_v3_2x3.npy", m23, version=(3, 0))
save("c16_2.npy", np.array([1 + 2j, 3 - 4j]))                        # unsupported dtype
with open(os.path.join(HERE, "object_2.npy"), "wb") as f:                # unsupported: pickled objects
    np.save(f, np.array([1, "a"], dtype=object), allow_pickle=True)
print(f"{'object_2.npy':28s} |O    shape=(2,) (pickled; not read back)")
