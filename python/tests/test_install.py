"""The install route of docs/python.md ("Install"): `pip install ./python` builds the Swift library, puts it and the
Swift runtime it needs into the package (paththermo/lib/), and the installed copy imports and computes on its own:
PATHTHERMO_LIB unset, this checkout's python/ not on the path, another working directory, PATH without the Swift
toolchain and no LD_LIBRARY_PATH.

pip runs `swift build -c release -Xswiftc -enable-testing --product paththermo_c` (python/setup.py), the flags of
scripts/test.sh, so after the test build it is an incremental no-op, not a second build. Cost and how to skip it
(PATHTHERMO_SKIP_INSTALL_TEST=1): docs/python.md.
"""
import json
import os
import pathlib
import shutil
import subprocess
import sys

import pytest

import paththermo

ROOT = pathlib.Path(__file__).resolve().parent.parent.parent

pytestmark = pytest.mark.skipif(os.environ.get("PATHTHERMO_SKIP_INSTALL_TEST") == "1",
                                reason="PATHTHERMO_SKIP_INSTALL_TEST=1")

CHILD = r"""
import json, pathlib, sys
import paththermo
from paththermo import _library
r = paththermo.ou([[-1.0, 2.0], [-2.0, -1.0]], 0.5)
maps = pathlib.Path("/proc/self/maps")
runtime = sorted({line.split()[-1] for line in maps.read_text().splitlines() if "libswiftCore" in line}) \
    if maps.exists() else []
print(json.dumps({"package": paththermo.__file__, "library": str(_library.find()), "runtime": runtime,
                  "sigma": r.entropy_production_rate, "covariance": r.stationary_covariance.tolist()}))
"""


def test_pip_install_target_runs_without_the_checkout(tmp_path):
    target = tmp_path / "site"
    # The default build step (the test flags, the runtime copied), whatever the caller's environment says.
    env = {k: v for k, v in os.environ.items()
           if k not in ("PATHTHERMO_LIB", "PYTHONPATH", "PATHTHERMO_SWIFT_FLAGS", "PATHTHERMO_COPY_SWIFT_RUNTIME")}
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                    "--no-build-isolation", "--no-deps", "--target", str(target), str(ROOT / "python")],
                   check=True, env=env, cwd=tmp_path)
    package = target / "paththermo"
    assert (package / "lib" / "libpaththermo_c.so").is_file()

    child_env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(target), "HOME": str(tmp_path),
                 "OPENBLAS_CORETYPE": paththermo.blas_core()}
    try:
        out = subprocess.run([sys.executable, "-c", CHILD], check=True, env=child_env, cwd=tmp_path,
                             capture_output=True, text=True).stdout
    finally:
        shutil.rmtree(target)  # 97 MB, mostly the Swift runtime; pytest keeps tmp_path of the last runs
    result = json.loads(out)
    assert pathlib.Path(result["package"]).parent == package
    assert pathlib.Path(result["library"]) == package / "lib" / "libpaththermo_c.so"
    if sys.platform == "linux":  # the copied Swift runtime, not the toolchain's (RUNPATH $ORIGIN, python/setup.py)
        assert result["runtime"] == [str(package / "lib" / "libswiftCore.so")]
    # The closed form of the rotating drift (test_ou.py): σ = 2ω²/γ = 8, Σ = (D/γ) I = 0.5 I; and bit for bit the
    # numbers of the checkout's library in this process (same sources and flags, same OpenBLAS kernel family).
    assert abs(result["sigma"] - 8.0) <= 8e-12
    assert max(abs(c - e) for row, erow in zip(result["covariance"], [[0.5, 0.0], [0.0, 0.5]])
               for c, e in zip(row, erow)) < 1e-13
    here = paththermo.ou([[-1.0, 2.0], [-2.0, -1.0]], 0.5)
    assert result["sigma"] == here.entropy_production_rate
    assert result["covariance"] == here.stationary_covariance.tolist()
