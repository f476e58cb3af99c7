"""paththermo.kalman against `paththermo kalman --json` (bit for bit: the CLI and the ABI call the same library
report, Sources/Experiments/Kalman/KalmanReport.swift) and against an independent NumPy computation of the dense
innovation-reversal formula (scripts/kalman_reference.py's), plus bad inputs raising paththermo.Error."""
import json
import pathlib
import sys
import subprocess

import numpy as np
import pytest

import paththermo
from test_errors import run_child

A2 = [[0.6, 0.2], [-0.1, 0.5]]
C12 = [[1.0, 0.5]]
Q2 = [[0.3, 0.05], [0.05, 0.2]]
R1 = [[0.4]]
K21 = [[0.5], [0.2]]
S1 = [[1.3]]


def run_cli(cli, *arguments):
    out = subprocess.run([str(cli), "kalman", *arguments, "--json"], check=True, capture_output=True, text=True)
    return json.loads(out.stdout)


def comparable(document):
    """The document without what differs between two runs: the timing ("seconds") and the CLI's provenance."""
    return {k: v for k, v in document.items() if k not in ("seconds", "provenance")}


def literal(value):
    return json.dumps(value)


CASES = {
    "signal linear": (dict(a=A2, c=C12, q=Q2, r=R1, horizon=12), []),
    "signal dense": (dict(a=A2, c=C12, q=Q2, r=R1, horizon=12, method="dense"), ["--method", "dense"]),
    "innovation linear": (dict(a=A2, c=C12, k=K21, s=S1, horizon=9), []),
    "innovation dense": (dict(a=A2, c=C12, k=K21, s=S1, horizon=9, method="dense"), ["--method", "dense"]),
    "stationary": (dict(a=A2, c=C12, q=Q2, r=R1, horizon=7, start="stationary"), ["--start", "stationary"]),
    "stationary dense": (dict(a=A2, c=C12, k=K21, s=S1, horizon=7, start="stationary", method="dense"),
                         ["--start", "stationary", "--method", "dense"]),
    "monte carlo": (dict(a=A2, c=C12, q=Q2, r=R1, horizon=6, monte_carlo=300, seed=7),
                    ["--monte-carlo", "300", "--seed", "7"]),
    "decompose": (dict(a=A2, c=C12, k=K21, s=S1, horizon=5, decompose=True), ["--decompose"]),
    "scalars": (dict(a=0.7, c=1.0, q=0.3, r=0.5, horizon=10), []),
    "negative scalars": (dict(a=-0.4, c=-2.0, k=-0.3, s=0.9, horizon=6), []),
    "square 2x2 scalars": (dict(a=A2, c=[[1.0, 0.0], [0.2, 1.0]], q=0.3, r=0.5, horizon=8), []),
}


def cli_arguments(kwargs, extra):
    arguments = []
    for name in ("a", "c", "q", "r", "k", "s"):
        if name in kwargs:
            arguments += [f"--{name}", literal(kwargs[name])]
    return arguments + ["--horizon", str(kwargs["horizon"])] + extra


@pytest.mark.parametrize("name", sorted(CASES))
def test_equals_cli_json(name, cli):
    kwargs, extra = CASES[name]
    expected = run_cli(cli, *cli_arguments(kwargs, extra))
    result = paththermo.kalman(**kwargs)
    document = result.to_dict()
    assert comparable(document) == comparable(expected)       # == on floats: bit for bit
    assert document["seconds"] >= 0 and "provenance" not in document
    assert result.entropy_production == expected["entropy_production"]
    assert result.curve.shape == (kwargs["horizon"], 2) and result.curve.dtype == np.float64
    np.testing.assert_array_equal(result.gain, np.array(expected["gain"]))
    np.testing.assert_array_equal(result.step_terms, np.array(expected["step_terms"]))
    if "monte_carlo" in kwargs:
        assert result.monte_carlo.mean == expected["monte_carlo"]["mean"]
        assert result.monte_carlo.seed == 7 and result.monte_carlo.bootstrap_ci.shape == (2,)
    if kwargs.get("decompose"):
        assert result.decomposition.bound_total == expected["decomposition"]["bound_total"]
        assert result.decomposition.D.shape == (kwargs["horizon"],)


def test_layouts_give_the_same_bits():
    reference = paththermo.kalman(A2, C12, Q2, R1, horizon=8).to_dict()
    a = np.asfortranarray(A2)
    c = np.array([[9.0, 1.0, 9.0, 0.5]])[:, 1::2]                  # a strided view
    q = np.array(Q2)[::-1, ::-1][::-1, ::-1]
    assert comparable(paththermo.kalman(a, c, q, np.float64(0.4), horizon=8).to_dict()) == comparable(reference)


def dense_ep(a, c, k, s, t):
    """S_y(T) from the innovation-reversal matrix built explicitly in NumPy: scripts/kalman_reference.py's, which
    makes the Swift tests' fixtures (independent of the Swift code)."""
    sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / "scripts"))
    try:
        import kalman_reference
    finally:
        sys.path.pop(0)
    return kalman_reference.dense_ep(a, c, k, s, t)


@pytest.mark.parametrize("method", ["dense", "linear"])
def test_independent_numpy_value(method):
    rng = np.random.default_rng(18)
    a = rng.uniform(-1, 1, (3, 3))
    a *= 0.8 / max(abs(np.linalg.eigvals(a)))
    c = rng.uniform(-1, 1, (2, 3))
    k = rng.uniform(-0.5, 0.5, (3, 2))
    g = rng.uniform(-1, 1, (2, 2))
    s = g @ g.T + 0.5 * np.eye(2)
    for t in (1, 2, 5, 10):
        expected = dense_ep(a, c, k, s, t)
        got = paththermo.kalman(a, c, k=k, s=s, horizon=t, method=method).entropy_production
        # Two exact formulas in double precision (conditioning of H ~ 10): 1e-10 relative, 1e-13 absolute.
        assert abs(got - expected) <= 1e-10 * abs(expected) + 1e-13, (t, got, expected)


ERRORS = {
    "non-square A": ("paththermo.kalman(np.ones((2, 3)), [[1.0, 0.0, 0.0]], 0.1, 0.1, horizon=3)", "square"),
    "q without r": ("paththermo.kalman(0.5, 1.0, q=0.1, horizon=3)", "q and r go together"),
    "both models": ("paththermo.kalman(0.5, 1.0, q=0.1, r=0.1, k=0.1, s=1.0, horizon=3)", "give either q and r"),
    "no noise": ("paththermo.kalman(0.5, 1.0, horizon=3)", "give either"),
    "S not SPD": ("paththermo.kalman(0.5, 1.0, k=0.2, s=-1.0, horizon=3)", "positive definite"),
    "unstable stationary": ("paththermo.kalman(1.5, 1.0, k=0.1, s=1.0, horizon=3, start='stationary')", "unstable"),
    "NaN": ("paththermo.kalman([[np.nan]], 1.0, 0.1, 0.1, horizon=3)", ""),
    "horizon 0": ("paththermo.kalman(0.5, 1.0, 0.1, 0.1, horizon=0)", "horizon"),
    "unknown method": ("paththermo.kalman(0.5, 1.0, 0.1, 0.1, horizon=3, method='fast')", "unknown method"),
    "unknown start": ("paththermo.kalman(0.5, 1.0, 0.1, 0.1, horizon=3, start='x')", "unknown start"),
    "monte carlo 1": ("paththermo.kalman(0.5, 1.0, 0.1, 0.1, horizon=3, monte_carlo=1)", "monte_carlo"),
    "decompose stationary": ("paththermo.kalman(0.5, 1.0, 0.1, 0.1, horizon=3, start='stationary', decompose=True)",
                             "decompose needs start zero"),
    "monte carlo stationary": ("paththermo.kalman(0.5, 1.0, 0.1, 0.1, horizon=3, start='stationary', monte_carlo=5)",
                               "use start zero"),
    "K shape": ("paththermo.kalman(np.eye(2) * 0.5, [[1.0, 0.0]], k=np.ones((1, 1)), s=1.0, horizon=3)", "K must be"),
    "dense too large": ("paththermo.kalman(0.5, 1.0, 0.1, 0.1, horizon=20000, method='dense')", "linear"),
    "huge horizon": ("paththermo.kalman(0.5, 1.0, 0.1, 0.1, horizon=2**50)", ""),
    "3-D a": ("paththermo.kalman(np.ones((1, 1, 1)), 1.0, 0.1, 0.1, horizon=3)", "2-D"),
}

@pytest.mark.parametrize("name", sorted(ERRORS))
def test_bad_input_raises_error(name, subprocess_env):
    body, expected = ERRORS[name]
    child = run_child(body, expected, subprocess_env, timeout=120)
    assert child.returncode == 0, f"{name}: status {child.returncode}\n{child.stdout}\n{child.stderr}"
