"""simulate against the CLI: the array equals `paththermo simulate ... --out f.npy` bit for bit (np.load), and the
report equals the CLI's `--json` (all keys but the timing, out/dtype and provenance, which the library cannot know)."""
import json
import subprocess

import numpy as np
import pytest

import paththermo

ROTATION = [[-1.0, 2.0], [-2.0, -1.0]]
DRIFT3 = [[-1.5, 0.3, 0.2], [-0.4, -1.0, 0.7], [0.1, -0.6, -2.0]]
ANISOTROPIC = [[1.0, 0.2, 0.0], [0.2, 0.8, 0.1], [0.0, 0.1, 0.5]]
W = [[0.5, 1.0], [-1.0, 0.3]]
KEYS = [[1.0, 0.0], [0.0, 1.0], [-1.0, 0.5]]
TIMING = {"seconds", "particle_steps_per_second"}


def run_cli(cli, tmp_path, arguments):
    """(array of --out, --json report) of `paththermo simulate arguments`."""
    path = tmp_path / "states.npy"
    text = subprocess.run([str(cli), "simulate", *arguments, "--out", str(path), "--json"],
                          check=True, capture_output=True, text=True).stdout
    return np.load(path), json.loads(text)


def assert_bitwise(a, b):
    assert a.dtype == b.dtype and a.shape == b.shape
    view = np.uint64 if a.dtype == np.float64 else np.uint32
    np.testing.assert_array_equal(np.ascontiguousarray(a).view(view), np.ascontiguousarray(b).view(view))


CASES = {
    "linear scalar D": (
        dict(drift=ROTATION, diffusion=0.5, dt=0.01, rollouts=70, steps=300, seed=7),
        ["--drift", "[[-1,2],[-2,-1]]", "--diffusion", "0.5", "--dt", "0.01", "--rollouts", "70", "--steps", "300",
         "--seed", "7"]),
    "linear matrix D": (
        dict(drift=DRIFT3, diffusion=ANISOTROPIC, dt=0.01, rollouts=33, steps=270, seed=3),
        ["--drift", json.dumps(DRIFT3), "--diffusion", json.dumps(ANISOTROPIC), "--dt", "0.01", "--rollouts", "33",
         "--steps", "270", "--seed", "3"]),
    "linear burn-in thin": (
        dict(drift=ROTATION, diffusion=0.25, dt=0.005, rollouts=65, steps=260, burn_in=40, thin=3, seed=2**64 - 5,
             chunk=8),
        ["--drift", "[[-1,2],[-2,-1]]", "--diffusion", "0.25", "--dt", "0.005", "--rollouts", "65", "--steps", "260",
         "--burn-in", "40", "--thin", "3", "--seed", str(2**64 - 5)]),
    "softmax": (
        dict(family="softmax", w=W, keys=KEYS, beta=2.0, leak=1.2, diffusion=0.3, dt=0.02, rollouts=40, steps=300,
             seed=11),
        ["--family", "softmax", "--w", json.dumps(W), "--keys", json.dumps(KEYS), "--beta", "2", "--leak", "1.2",
         "--diffusion", "0.3", "--dt", "0.02", "--rollouts", "40", "--steps", "300", "--seed", "11"]),
}


@pytest.mark.parametrize("name", sorted(CASES))
@pytest.mark.parametrize("float32", [False, True])
def test_equals_cli_npy_and_json(cli, tmp_path, name, float32):
    kwargs, arguments = CASES[name]
    expected, report = run_cli(cli, tmp_path, arguments + (["--float32"] if float32 else []))
    states, mine = paththermo.simulate(**kwargs, dtype=np.float32 if float32 else np.float64, report=True)
    assert_bitwise(states, expected)
    assert set(report) - set(mine) == {"out", "dtype", "provenance"}
    for key in set(mine) - TIMING:
        assert mine[key] == report[key], key
    assert mine["seconds"] > 0 and mine["particle_steps_per_second"] > 0


def test_scalar_diffusion_equals_its_matrix_and_the_matrix_cli(cli, tmp_path):
    """D = s I given as a scalar or as a matrix gives the same bits (the library stores an exact s I as isotropic),
    and so does the CLI's `--diffusion '[[s,0],[0,s]]'`."""
    kwargs = dict(drift=ROTATION, dt=0.01, rollouts=20, steps=100, seed=5)
    scalar = paththermo.simulate(diffusion=0.7, **kwargs)
    matrix = paththermo.simulate(diffusion=0.7 * np.eye(2), **kwargs)
    expected, _ = run_cli(cli, tmp_path, ["--drift", "[[-1,2],[-2,-1]]", "--diffusion", "[[0.7,0],[0,0.7]]",
                                          "--dt", "0.01", "--rollouts", "20", "--steps", "100", "--seed", "5"])
    assert_bitwise(scalar, matrix)
    assert_bitwise(scalar, expected)


def test_threads_and_chunks_do_not_change_bits():
    kwargs = dict(drift=DRIFT3, diffusion=ANISOTROPIC, dt=0.01, rollouts=50, steps=200, seed=9)
    one = paththermo.simulate(**kwargs, threads=1, chunk=64)
    two = paththermo.simulate(**kwargs, threads=2, chunk=7)
    assert_bitwise(one, two)


def test_shards_concatenate_to_the_whole_run(cli, tmp_path):
    """first_rollout (issue 19): shards of 3 + 1 + 4 rollouts concatenated along axis 0 are the 8-rollout run, bit for
    bit, for the general kernel (3-D, matrix D) and the fused 2-D one; a shard equals the CLI's --first-rollout file."""
    for kwargs in (dict(drift=DRIFT3, diffusion=ANISOTROPIC, dt=0.01, steps=60, seed=5),
                   dict(drift=ROTATION, diffusion=0.5, dt=0.01, steps=60, burn_in=40, thin=20, seed=5)):
        whole = paththermo.simulate(**kwargs, rollouts=8)
        parts = [paththermo.simulate(**kwargs, rollouts=b, first_rollout=k, threads=1 + k % 2)
                 for k, b in ((0, 3), (3, 1), (4, 4))]
        assert_bitwise(np.concatenate(parts), whole)
        assert not np.array_equal(parts[2], whole[:4])
    shard, report = paththermo.simulate(**kwargs, rollouts=4, first_rollout=4, report=True)
    states, cli_report = run_cli(cli, tmp_path, ["--drift", "[[-1,2],[-2,-1]]", "--diffusion", "0.5", "--dt", "0.01",
                                                 "--steps", "60", "--burn-in", "40", "--thin", "20", "--seed", "5",
                                                 "--rollouts", "4", "--first-rollout", "4"])
    assert_bitwise(shard, states)
    assert report["first_rollout"] == cli_report["first_rollout"] == 4


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("order", ["C", "F"])
def test_out_is_written_in_place(dtype, order):
    kwargs = dict(drift=ROTATION, diffusion=0.5, dt=0.01, rollouts=30, steps=120, burn_in=3, seed=4)
    expected = paththermo.simulate(**kwargs, dtype=dtype)
    out = np.full((30, 120, 2), np.nan, dtype=dtype, order=order)
    pointer = out.ctypes.data
    returned = paththermo.simulate(**kwargs, out=out)
    assert returned is out and out.ctypes.data == pointer
    assert out.flags.f_contiguous == (order == "F")
    assert_bitwise(np.ascontiguousarray(out), expected)


def test_strided_out_leaves_the_gaps_alone():
    """A view with gaps (every other rollout, reversed steps): written where the view points, nowhere else."""
    kwargs = dict(drift=ROTATION, diffusion=0.5, dt=0.01, rollouts=10, steps=50, seed=1)
    expected = paththermo.simulate(**kwargs)
    base = np.zeros((20, 50, 2))
    paththermo.simulate(**kwargs, out=base[::2, ::-1])
    assert_bitwise(np.ascontiguousarray(base[::2, ::-1]), expected)
    assert not base[1::2].any()


def test_statistics_match_the_ou_covariance():
    """An independent check of the law: the final states' covariance approaches ou's stationary covariance (a
    Lyapunov solve), within the Monte-Carlo error of 4000 rollouts (and the O(dt) bias of Euler-Maruyama)."""
    states = paththermo.simulate(DRIFT3, ANISOTROPIC, dt=0.005, rollouts=4000, steps=1, burn_in=2000, seed=12)
    sigma = paththermo.ou(np.array(DRIFT3), np.array(ANISOTROPIC)).stationary_covariance
    empirical = np.cov(states[:, -1, :].T)
    assert np.max(np.abs(empirical - sigma)) < 0.05 * np.max(np.abs(sigma)) + 0.02
