"""estimate against the CLI (`paththermo estimate --trajectories f.npy --json`, the same data saved with np.save: equal
dicts, every number bit for bit) and against the exact OU entropy production (paththermo.ou), on trajectories from a
small seeded NumPy simulator, the issue's story: "trajectories from the user's own NumPy simulator -> EP with error
bars". The `seconds` details are timings (different in every run): they are compared as present, then dropped."""
import json
import subprocess

import numpy as np
import pytest

import paththermo
from paththermo import _arrays
from test_errors import run_child


def simulate_ou(drift, diffusion, rollouts, steps, dt, seed, substeps=4):
    """Euler-Maruyama for dx = B x dt + sqrt(2 D) dW (D a d x d matrix), `substeps` steps per recorded dt, started
    from the exact stationary covariance: a (rollouts, steps, d) float64 array."""
    b, dmat = np.asarray(drift, float), np.asarray(diffusion, float)
    d = b.shape[0]
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((rollouts, d)) @ np.linalg.cholesky(paththermo.ou(b, dmat).stationary_covariance).T
    h = dt / substeps
    noise = np.linalg.cholesky(2 * dmat * h)
    out = np.empty((rollouts, steps, d))
    for t in range(steps):
        out[:, t] = x
        for _ in range(substeps):
            x = x + h * x @ b.T + rng.standard_normal((rollouts, d)) @ noise.T
    return out


def rotating(gamma, omega, extra=()):
    """B = -(gamma I - omega R90) in the first plane, extra relaxing directions at rates `extra`: sigma = 2 omega^2 /
    gamma for D = s I."""
    b = np.diag([-gamma, -gamma] + [-e for e in extra])
    b[0, 1], b[1, 0] = -omega, omega
    return b


def without_seconds(document):
    """The document with every `seconds` detail removed (asserted present and positive first)."""
    out = {}
    for key, value in document.items():
        if isinstance(value, dict) and "entropy_production_rate" in value:
            value = dict(value)
            assert value.pop("seconds") > 0
        out[key] = value
    return out


def cli_estimate(cli, tmp_path, array, dt, *options):
    path = tmp_path / "x.npy"
    np.save(path, array)
    text = subprocess.run([str(cli), "estimate", "--trajectories", str(path), "--dt", repr(dt), "--json", *options],
                          check=True, capture_output=True, text=True).stdout
    document = json.loads(text)
    document.pop("provenance")
    return document


DT = 0.02
TWO_D = simulate_ou(rotating(1.0, 1.5), 0.5 * np.eye(2), rollouts=16, steps=2000, dt=DT, seed=1)


def test_all_methods_2d_equal_cli(cli, tmp_path):
    report = paththermo.estimate(TWO_D, DT)
    assert isinstance(report, paththermo.EstimateReport)
    assert set(report) == {"grid", "basis", "tur"} and report.skipped == {} and report.dimension == 2
    expected = cli_estimate(cli, tmp_path, TWO_D, DT)
    assert without_seconds(report.to_dict()) == without_seconds(expected)
    basis = report["basis"]
    assert basis.entropy_production_rate == expected["basis"]["entropy_production_rate"]
    assert basis.diffusion_matrix.shape == (2, 2)
    np.testing.assert_array_equal(basis.diffusion_matrix, np.array(expected["basis"]["diffusion_matrix"]))
    assert basis.samples_used == 16 * 1999
    assert basis.seconds > 0 and "basis_size" in basis.details


def test_basis_close_to_exact_ou_sigma():
    """sigma = 2 omega^2 / gamma = 4.5 (paththermo.ou); the Euler-Maruyama chain at h = dt/4 is biased by O(h) ~ 1 %
    of sigma, the estimate's stderr is ~4 %: |debiased - sigma| <= 4 stderr + 2 % sigma."""
    exact = paththermo.ou(rotating(1.0, 1.5), 0.5).entropy_production_rate
    assert abs(exact - 4.5) < 1e-12
    e = paththermo.estimate(TWO_D, DT, method="basis")
    assert isinstance(e, paththermo.Estimate) and e.method == "basis"
    assert abs(e.debiased - exact) <= 4 * e.stderr + 0.02 * exact, (e.debiased, e.stderr, exact)
    np.testing.assert_allclose(e.diffusion_matrix, 0.5 * np.eye(2), atol=0.05)


def test_3d_grid_skipped_equal_cli(cli, tmp_path):
    x = simulate_ou(rotating(1.0, 1.0, (0.7, 2.0)), 0.4 * np.eye(4), rollouts=8, steps=1500, dt=DT, seed=2)
    report = paththermo.estimate(x, DT)
    assert "grid" not in report and "grid" in report.skipped and report.dimension == 4
    assert without_seconds(report.to_dict()) == without_seconds(cli_estimate(cli, tmp_path, x, DT))
    with pytest.raises(paththermo.Error, match="grid"):
        paththermo.estimate(x, DT, method="grid")


def test_3d_corrected_grid_equal_cli(cli, tmp_path):
    x = simulate_ou(rotating(1.0, 1.0, (0.7,)), 0.4 * np.eye(3), rollouts=8, steps=1500, dt=DT, seed=3)
    mine = paththermo.estimate(x, DT, method="grid", bins=8).to_dict()
    assert without_seconds({"g": mine}) == without_seconds({"g": cli_estimate(cli, tmp_path, x, DT, "--method", "grid",
                                                                               "--bins", "8")})


def test_pathwise_anisotropic_matrix_diffusion(cli, tmp_path):
    b = np.array([[-1.2, 0.8], [-0.5, -0.9]])
    dmat = np.array([[0.6, 0.15], [0.15, 0.3]])
    x = simulate_ou(b, dmat, rollouts=12, steps=1500, dt=DT, seed=4)
    mine = paththermo.estimate(x, DT, method="pathwise", drift=b, diffusion=dmat)
    expected = cli_estimate(cli, tmp_path, x, DT, "--method", "pathwise", "--drift", json.dumps(b.tolist()),
                            "--diffusion", json.dumps(dmat.tolist()))
    assert without_seconds({"p": mine.to_dict()}) == without_seconds({"p": expected})
    np.testing.assert_array_equal(mine.diffusion_matrix, dmat)
    # "all" with the model includes pathwise, as the CLI's.
    report = paththermo.estimate(x, DT, drift=b, diffusion=dmat)
    assert "pathwise" in report
    exact = paththermo.ou(b, dmat).entropy_production_rate
    assert abs(mine.debiased - exact) <= 4 * mine.stderr + 0.02 * exact, (mine.debiased, mine.stderr, exact)


def test_float32_and_fortran_order_read_in_place(cli, tmp_path):
    x32 = TWO_D.astype(np.float32)
    expected = without_seconds(cli_estimate(cli, tmp_path, x32, DT))
    assert without_seconds(paththermo.estimate(x32, DT).to_dict()) == expected
    fortran = np.asfortranarray(x32)
    assert not fortran.flags.c_contiguous
    view = _arrays.trajectory_view(fortran, "trajectories")
    assert view.array is fortran and view.pointer == fortran.ctypes.data  # no copy: the library reads it in place
    assert without_seconds(paththermo.estimate(fortran, DT).to_dict()) == expected
    # A strided float64 view (every other step, reversed coordinates) equals the copied array.
    strided = TWO_D[:, ::2, ::-1]
    assert _arrays.trajectory_view(strided, "t").pointer == strided.ctypes.data
    assert (without_seconds(paththermo.estimate(strided, 2 * DT).to_dict())
            == without_seconds(paththermo.estimate(np.ascontiguousarray(strided), 2 * DT).to_dict()))


def test_c_order_slices_read_in_place(cli, tmp_path):
    # A slice of whole steps (rollouts further apart than their length) and a single (steps, d) rollout: the library
    # reads both in place (no copy on either side) with the estimates of the contiguous copy, bit for bit.
    half = TWO_D[:, : TWO_D.shape[1] // 2]
    assert not half.flags.c_contiguous and half.strides[1:] == (16, 8)
    assert _arrays.trajectory_view(half, "t").array is half
    expected = without_seconds(cli_estimate(cli, tmp_path, np.ascontiguousarray(half), DT))
    assert without_seconds(paththermo.estimate(half, DT).to_dict()) == expected
    one = TWO_D[3]
    assert (without_seconds(paththermo.estimate(one, DT).to_dict())
            == without_seconds(cli_estimate(cli, tmp_path, one, DT)))


def test_memory_mapped_file_read_in_place(tmp_path):
    # np.load(..., mmap_mode="r"): a read-only memmap of the file goes to the library as is (no copy into memory
    # first) and gives the loaded array's estimates bit for bit.
    path = tmp_path / "x.npy"
    np.save(path, TWO_D)
    mapped = np.load(path, mmap_mode="r")
    assert isinstance(mapped, np.memmap) and not mapped.flags.writeable
    view = _arrays.trajectory_view(mapped, "trajectories")
    assert view.pointer == mapped.ctypes.data and np.shares_memory(view.array, mapped)  # a view of the map, no copy
    assert (without_seconds(paththermo.estimate(mapped, DT).to_dict())
            == without_seconds(paththermo.estimate(np.load(path), DT).to_dict()))


def test_nan_rows_split_rollouts(cli, tmp_path):
    x = TWO_D[:4].copy()
    x[0, 500] = np.nan          # splits rollout 0
    x[1, 700:705, 1] = np.nan   # one NaN coordinate is a NaN row
    x[2, 1] = np.nan            # leaves a lone first state (discarded)
    report = paththermo.estimate(x, DT)
    assert report["basis"].samples_used == 4 * 1999 - 2 - 6 - 2
    assert without_seconds(report.to_dict()) == without_seconds(cli_estimate(cli, tmp_path, x, DT))
    # A 2-D (steps, d) array is one rollout, as a (steps, d) .npy.
    one = paththermo.estimate(TWO_D[0], DT, method="tur")
    assert without_seconds({"t": one.to_dict()}) == without_seconds({"t": cli_estimate(cli, tmp_path, TWO_D[0], DT,
                                                                                      "--method", "tur")})


@pytest.mark.parametrize("kwargs,options", [
    ({"bins": 20, "bounds": 3.0, "min_count": 5}, ["--bins", "20", "--bounds", "3.0", "--min-count", "5"]),
    ({"basis_order": 2, "blocks": 7}, ["--basis-order", "2", "--blocks", "7"]),
    ({"grid_recipe": "corrected", "grid_diffusion": "local"}, ["--grid-recipe", "corrected", "--grid-diffusion", "local"]),
    ({"dt_extrapolation": False, "threads": 3}, ["--no-dt-extrapolation", "--threads", "3"]),
])
def test_options_equal_cli(cli, tmp_path, kwargs, options):
    report = paththermo.estimate(TWO_D, DT, **kwargs)
    assert without_seconds(report.to_dict()) == without_seconds(cli_estimate(cli, tmp_path, TWO_D, DT, *options))


def test_monotone_coordinate_allowed_on_request(cli, tmp_path):
    x = TWO_D[:4].copy()
    # A noisy clock: strictly increasing along every rollout (its D hat is finite, so the estimate runs when kept).
    x[:, :, 1] = np.cumsum(np.random.default_rng(5).uniform(0.5, 1.5, x.shape[:2]), axis=1) * DT
    with pytest.raises(paththermo.Error, match="allow_monotone"):
        paththermo.estimate(x, DT)
    mine = paththermo.estimate(x, DT, method="basis", allow_monotone=True)
    expected = cli_estimate(cli, tmp_path, x, DT, "--method", "basis", "--allow-monotone")
    assert without_seconds({"b": mine.to_dict()}) == without_seconds({"b": expected})


CASES = {
    "wrong ndim": ("paththermo.estimate(np.zeros(10), 0.1)", "expected a 3-D"),
    "NaN only": ("paththermo.estimate(np.full((2, 10, 2), np.nan), 0.1)", "too few samples"),
    "inf": ("x = np.random.default_rng(0).standard_normal((2, 50, 2)); x[1, 3, 0] = np.inf\n"
            "paththermo.estimate(x, 0.1)", "rollout 1, step 3, coordinate 0 is inf"),
    "constant": ("paththermo.estimate(np.ones((3, 50, 2)), 0.1)", "constant"),
    "zero padded": ("x = np.random.default_rng(0).standard_normal((2, 50, 2)); x[1, 40:] = 0\n"
                    "paththermo.estimate(x, 0.1)", "zero-padded"),
    "never changing coordinate": ("x = np.random.default_rng(0).standard_normal((2, 50, 2)); x[:, :, 1] = 3\n"
                                  "paththermo.estimate(x, 0.1)", "coordinate 1 never changes"),
    "monotone": ("x = np.random.default_rng(0).standard_normal((2, 50, 2)); x[:, :, 0] = np.arange(50)\n"
                 "paththermo.estimate(x, 0.1)", "allow_monotone"),
    "d = 4 grid": ("paththermo.estimate(np.random.default_rng(0).standard_normal((2, 500, 4)), 0.1, method='grid')",
                   "grid"),
    "pathwise not SPD": ("paththermo.estimate(np.random.default_rng(0).standard_normal((2, 500, 2)), 0.1, "
                         "method='pathwise', drift=-np.eye(2), diffusion=[[1.0, 0.0], [0.0, -1.0]])", "pathwise"),
    "pathwise without diffusion": ("paththermo.estimate(np.random.default_rng(0).standard_normal((2, 500, 2)), 0.1, "
                                   "method='pathwise', drift=-np.eye(2))", "go together"),
    "pathwise wrong shape": ("paththermo.estimate(np.random.default_rng(0).standard_normal((2, 500, 2)), 0.1, "
                             "method='pathwise', drift=-np.eye(3), diffusion=1.0)", "expected 2 × 2"),
    "huge shape": ("from numpy.lib.stride_tricks import as_strided\n"
                   "x = as_strided(np.zeros(1), shape=(1 << 20, 1 << 20, 4), strides=(0, 0, 0))\n"
                   "paththermo.estimate(x, 0.1)", "memory budget"),
    "one step": ("paththermo.estimate(np.zeros((3, 1, 2)), 0.1)", "≥ 2 states"),
    "bad dt": ("paththermo.estimate(np.zeros((3, 10, 2)), -0.1)", "dt"),
    "bad method": ("paththermo.estimate(np.zeros((3, 10, 2)), 0.1, method='kde')", "method"),
    # A NUL would end the C string early ("basis\0x" read as "basis"): refused instead.
    "NUL in method": ("paththermo.estimate(np.zeros((3, 10, 2)), 0.1, method='basis\\x00x')", "NUL"),
    "bad blocks": ("paththermo.estimate(np.zeros((3, 10, 2)), 0.1, blocks=1)", "blocks"),
    "bad bins": ("paththermo.estimate(np.zeros((3, 10, 2)), 0.1, bins=2)", "bins"),
    "bad bounds": ("paththermo.estimate(np.zeros((3, 10, 2)), 0.1, bounds=-1.0)", "bounds"),
    "bad recipe": ("paththermo.estimate(np.zeros((3, 10, 2)), 0.1, grid_recipe='best')", "grid_recipe"),
    "strings": ("paththermo.estimate(np.array([[['a']]]), 0.1)", "real numeric"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_input_raises_error_in_child(name, subprocess_env):
    body, expected = CASES[name]
    child = run_child(body, expected, subprocess_env)
    assert child.returncode == 0, f"{name}: status {child.returncode}\n{child.stdout}\n{child.stderr}"
