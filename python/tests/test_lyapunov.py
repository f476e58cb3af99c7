"""lyapunov against SciPy on random stable systems (seeded), n = 2 ... 200, to 1e-12 relative (Frobenius)."""
import numpy as np
import pytest
import scipy.linalg

import paththermo

SIZES = [2, 3, 5, 10, 31, 64, 100, 200]


def relative_error(x, reference):
    return np.linalg.norm(x - reference) / np.linalg.norm(reference)


def stable_continuous(n, rng):
    """M/sqrt(n) has its spectrum in a disc of radius about 1; shifting by -2 I makes every real part <= -0.5."""
    return rng.standard_normal((n, n)) / np.sqrt(n) - 2.0 * np.eye(n)


def stable_discrete(n, rng):
    """Spectral radius 0.6 exactly (a random matrix scaled by its own radius)."""
    m = rng.standard_normal((n, n))
    return 0.6 * m / np.max(np.abs(np.linalg.eigvals(m)))


def spd(n, rng):
    g = rng.standard_normal((n, n))
    return g @ g.T / n + np.eye(n)


@pytest.mark.parametrize("n", SIZES)
def test_continuous_matches_scipy(n):
    rng = np.random.default_rng(1000 + n)
    a, q = stable_continuous(n, rng), spd(n, rng)
    x, residual = paththermo.lyapunov(a, q, residual=True)
    assert relative_error(x, scipy.linalg.solve_continuous_lyapunov(a, q)) <= 1e-12
    assert residual <= 1e-13
    # A non-symmetric right-hand side takes the general (not the symmetric) path.
    q2 = rng.standard_normal((n, n))
    assert relative_error(paththermo.lyapunov(a, q2), scipy.linalg.solve_continuous_lyapunov(a, q2)) <= 1e-12


@pytest.mark.parametrize("n", SIZES)
def test_discrete_matches_scipy(n):
    rng = np.random.default_rng(2000 + n)
    a, q = stable_discrete(n, rng), spd(n, rng)
    x = paththermo.lyapunov(a, q, discrete=True)
    assert relative_error(x, scipy.linalg.solve_discrete_lyapunov(a, q)) <= 1e-12


def test_scalar_q_is_a_multiple_of_the_identity():
    rng = np.random.default_rng(7)
    a = stable_continuous(6, rng)
    np.testing.assert_array_equal(paththermo.lyapunov(a, 2.5), paththermo.lyapunov(a, 2.5 * np.eye(6)))


def test_cli_lyapunov_residual_agrees(cli, tmp_path):
    """The same solution as `paththermo lyapunov --out` (bitwise), read back from its .npy."""
    import json
    import subprocess
    rng = np.random.default_rng(11)
    a, q = stable_continuous(40, rng), spd(40, rng)
    np.save(tmp_path / "a.npy", a)
    np.save(tmp_path / "q.npy", q)
    for discrete in (False, True):
        aa = stable_discrete(40, rng) if discrete else a
        np.save(tmp_path / "a.npy", aa)
        args = [str(cli), "lyapunov", "--a", str(tmp_path / "a.npy"), "--q", str(tmp_path / "q.npy"),
                "--out", str(tmp_path / "x.npy"), "--json"] + (["--discrete"] if discrete else [])
        report = json.loads(subprocess.run(args, check=True, capture_output=True, text=True).stdout)
        x, residual = paththermo.lyapunov(aa, q, discrete=discrete, residual=True)
        np.testing.assert_array_equal(x, np.load(tmp_path / "x.npy"))
        assert residual == report["residual"]
