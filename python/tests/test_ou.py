"""ou against closed forms (the Swift tests' rotating drift: sigma = 2 omega^2 / gamma) and against the CLI's JSON."""
import json
import subprocess

import numpy as np
import pytest

import paththermo


def rotating_drift(gamma, omega, extra=()):
    """B = -(gamma I - omega R90) in the first plane, extra relaxing directions at the rates `extra`."""
    b = np.diag([-gamma, -gamma] + [-e for e in extra])
    b[0, 1], b[1, 0] = -omega, omega
    return b


@pytest.mark.parametrize("gamma,omega,d", [(1.0, 0.0, 0.5), (1.0, 1.0, 0.5), (0.3, 2.5, 1.7), (2.0, -3.0, 0.01)])
@pytest.mark.parametrize("extra", [(), (0.7,), (0.4, 3.0)])
def test_rotating_drift_closed_form(gamma, omega, d, extra):
    r = paththermo.ou(rotating_drift(gamma, omega, extra), d)
    expected = 2 * omega * omega / gamma
    assert abs(r.entropy_production_rate - expected) <= 1e-12 * max(1, expected)
    sigma = np.diag([d / gamma, d / gamma] + [d / e for e in extra])
    assert np.max(np.abs(r.stationary_covariance - sigma)) < 1e-13
    # The current matrix M = Omega Sigma: antisymmetric, M[1,0] = omega d / gamma (net circulation 2 M[1,0]).
    assert abs(r.probability_current_matrix[1, 0] - omega * d / gamma) < 1e-12
    np.testing.assert_array_equal(r.probability_current_matrix, -r.probability_current_matrix.T)
    # B = B_rev + B_irr.
    np.testing.assert_allclose(r.reversible_drift + r.irreversible_drift, rotating_drift(gamma, omega, extra),
                               rtol=0, atol=1e-12)


def test_cmake_smoke_drift_gives_eight():
    """scripts/cmake_build.sh's smoke test: B = [[-1,2],[-2,-1]], D = 0.5: sigma = 2*2^2/1 = 8."""
    r = paththermo.ou([[-1.0, 2.0], [-2.0, -1.0]], 0.5)
    assert abs(r.entropy_production_rate - 8) <= 8e-12
    assert r.dimension == 2
    np.testing.assert_allclose(np.sort_complex(r.eigenvalues[:, 0] + 1j * r.eigenvalues[:, 1]), [-1 - 2j, -1 + 2j])


def test_two_beads_at_two_temperatures():
    k, gamma, t1, t2 = 1.3, 0.7, 2.0, 0.5
    b = (-k / gamma) * np.array([[2.0, -1.0], [-1.0, 2.0]])
    d = np.diag([t1 / gamma, t2 / gamma])
    expected = k * (t1 - t2) ** 2 / (4 * gamma * t1 * t2)
    assert abs(paththermo.ou(b, d).entropy_production_rate - expected) <= 1e-12 * max(1, expected)


@pytest.mark.parametrize("drift,diffusion", [
    ("[[-1,2],[-2,-1]]", "0.5"),
    ("[[-1.5,0.3,0.2],[-0.4,-1,0.7],[0.1,-0.6,-2]]", "[[1,0.2,0],[0.2,0.8,0.1],[0,0.1,0.5]]"),
])
def test_equals_cli_json(cli, drift, diffusion):
    """to_dict() has the CLI's keys and the same numbers bit for bit."""
    report = json.loads(subprocess.run([str(cli), "ou", "--drift", drift, "--diffusion", diffusion, "--json"],
                                       check=True, capture_output=True, text=True).stdout)
    mine = paththermo.ou(np.array(json.loads(drift), dtype=float), np.array(json.loads(diffusion), dtype=float)).to_dict()
    assert set(mine) <= set(report)
    for key, value in mine.items():
        assert value == report[key], key
    assert set(report) - set(mine) <= {"provenance", "warnings"}
