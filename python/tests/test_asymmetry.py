"""asymmetry against the NumPy formula ||(W - W^T)/2||_F / ||W||_F."""
import numpy as np
import pytest

import paththermo


@pytest.mark.parametrize("n", [1, 2, 7, 64])
def test_matches_numpy_formula(n):
    rng = np.random.default_rng(n)
    w = rng.standard_normal((n, n))
    expected = np.linalg.norm((w - w.T) / 2) / np.linalg.norm(w)
    assert abs(paththermo.asymmetry(w) - expected) <= 1e-14 * max(expected, 1e-300) + 1e-300


def test_symmetric_zero_antisymmetric_one():
    rng = np.random.default_rng(3)
    m = rng.standard_normal((5, 5))
    assert paththermo.asymmetry(m + m.T) == 0
    assert abs(paththermo.asymmetry(m - m.T) - 1) <= 1e-15
    assert paththermo.asymmetry(np.zeros((3, 3))) == 0


def test_huge_entries_stay_finite():
    w = np.array([[1e308, 1e308], [-1e308, -1e308]])
    assert abs(paththermo.asymmetry(w) - 1 / np.sqrt(2)) <= 1e-15
