"""Shared set-up: import paththermo from this checkout's python/ folder (no install needed) and locate the CLI
built next to the library (for the tests that compare with `paththermo ... --json`)."""
import os
import pathlib
import sys

PYTHON_DIR = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PYTHON_DIR))

import pytest  # noqa: E402

import paththermo  # noqa: E402,F401
from paththermo import _library  # noqa: E402


def cli_path():
    """The paththermo executable beside the loaded library (PATHTHERMO_CLI overrides), or None."""
    env = os.environ.get("PATHTHERMO_CLI")
    if env:
        return pathlib.Path(env)
    candidate = (_library.find() or _library.candidate_paths()[0]).parent / "paththermo"
    return candidate if candidate.is_file() else None


@pytest.fixture
def cli(monkeypatch):
    """The CLI, run with this process's OpenBLAS kernel family (so that BLAS results agree bit for bit: the CLI
    would otherwise pick its own family where OpenBLAS fell back to generic kernels)."""
    path = cli_path()
    if path is None:
        pytest.skip("no paththermo executable beside the library (set PATHTHERMO_CLI)")
    monkeypatch.setenv("OPENBLAS_CORETYPE", paththermo.blas_core())
    return path


@pytest.fixture
def subprocess_env():
    """The environment for child interpreters: python/ on the path, the same library."""
    env = dict(os.environ)
    env["PYTHONPATH"] = str(PYTHON_DIR) + os.pathsep + env.get("PYTHONPATH", "")
    env["PATHTHERMO_LIB"] = str(_library.find())
    return env
