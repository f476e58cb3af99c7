"""simulate's bad inputs raise paththermo.Error with the library's one-line message (or the wrapper's, for what never
reaches the library) and never crash the interpreter: each case in a child interpreter (test_errors.py's harness).
Kept apart from test_errors.py so that the slices of issue 18 merge without conflicts."""
import subprocess
import sys

import pytest

from test_errors import run_child

R = "[[-1.0, 2.0], [-2.0, -1.0]]"
SMALL = "dt=0.01, rollouts=3, steps=10, seed=1"

CASES = {
    "unstable drift diverges": (
        "paththermo.simulate([[1.0, 0.0], [0.0, 1.0]], 1.0, dt=0.5, rollouts=2, steps=3000, seed=1)", "diverged"),
    "non-square drift": (f"paththermo.simulate(np.ones((2, 3)), 1.0, {SMALL})", "square"),
    "NaN drift": (f"paththermo.simulate([[np.nan, 0], [0, -1]], 1.0, {SMALL})", "non-finite"),
    "NaN diffusion": (f"paththermo.simulate({R}, [[np.nan, 0], [0, 1]], {SMALL})", "non-finite"),
    "diffusion not SPD": (f"paththermo.simulate({R}, [[1, 0], [0, -1]], {SMALL})", "positive definite"),
    "diffusion dimension": (f"paththermo.simulate({R}, np.eye(3), {SMALL})", "dimension"),
    "negative scalar diffusion": (f"paththermo.simulate({R}, -1.0, {SMALL})", "positive definite"),
    "out wrong shape": (f"paththermo.simulate({R}, 1.0, out=np.zeros((3, 11, 2)), {SMALL})", "shape (3, 11, 2)"),
    "out dtype int": (f"paththermo.simulate({R}, 1.0, out=np.zeros((3, 10, 2), dtype=int), {SMALL})", "writable"),
    "out read-only": (f"paththermo.simulate({R}, 1.0, out=np.broadcast_to(np.zeros(2), (3, 10, 2)), {SMALL})",
                      "writable"),
    "rollouts 0": (f"paththermo.simulate({R}, 1.0, dt=0.01, rollouts=0, steps=10, seed=1)", "rollouts"),
    "thin 0": (f"paththermo.simulate({R}, 1.0, dt=0.01, rollouts=1, steps=10, thin=0, seed=1)", "thin"),
    "dt 0": (f"paththermo.simulate({R}, 1.0, dt=0.0, rollouts=1, steps=1, seed=1)", "time step"),
    "huge sizes: budget": (
        f"paththermo.simulate({R}, 1.0, dt=0.01, rollouts=2**30, steps=2**10, seed=1)", "exceeds the memory budget"),
    "huge sizes: overflow": (f"paththermo.simulate({R}, 1.0, dt=0.01, rollouts=2**40, steps=2**20, seed=1)",
                             "overflows"),
    "rollouts beyond 2^40": (f"paththermo.simulate({R}, 1.0, dt=0.01, rollouts=2**41, steps=1, seed=1)", "rollouts"),
    "threads beyond 4096": (f"paththermo.simulate({R}, 1.0, threads=5000, {SMALL})", "threads"),
    "negative seed": (f"paththermo.simulate({R}, 1.0, dt=0.1, rollouts=1, steps=1, seed=-1)", "seed"),
    "float steps": (f"paththermo.simulate({R}, 1.0, dt=0.1, rollouts=1, steps=1.5, seed=1)", "steps"),
    "dtype int": (f"paththermo.simulate({R}, 1.0, dtype=np.int32, {SMALL})", "dtype"),
    "softmax without beta": (f"paththermo.simulate(family='softmax', w={R}, keys={R}, {SMALL})", "beta"),
    "softmax keys dimension": (
        f"paththermo.simulate(family='softmax', w={R}, keys=np.ones((3, 3)), beta=1.0, {SMALL})", "keys"),
    "linear with w": (f"paththermo.simulate({R}, w={R}, {SMALL})", "softmax"),
    "unknown family": (f"paththermo.simulate({R}, family='x', {SMALL})", "family"),
}

# Status codes: the budget is a resource limit (3), a wrong out shape a malformed call (1), the rest library errors.
CODES = {"huge sizes: budget": 3, "huge sizes: overflow": 3, "rollouts beyond 2^40": 3, "threads beyond 4096": 3,
         "out wrong shape": 1, "rollouts 0": 2, "NaN drift": 2, "unstable drift diverges": 2}


@pytest.mark.parametrize("name", sorted(CASES))
def test_simulate_bad_input_raises_error_in_child(name, subprocess_env):
    body, expected = CASES[name]
    if name in CODES:
        body = f"try:\n    {body}\nexcept paththermo.Error as e:\n    assert e.code == {CODES[name]}, e.code\n    raise"
    child = run_child(body, expected, subprocess_env)
    assert child.returncode == 0, f"{name}: status {child.returncode}\n{child.stdout}\n{child.stderr}"


RAW = """
import ctypes, sys
import numpy as np
from paththermo import _library
lib = _library.load()
b = np.array([[-1.0, 2.0], [-2.0, -1.0]]); e = np.eye(2); out = np.zeros((2, 5, 2))
bp, ep, op = (ctypes.c_void_p(x.ctypes.data) for x in (b, e, out))
text = ctypes.c_void_p()
msg = ctypes.create_string_buffer(256)
def call(data, json_out, rollouts=2):
    return lib.pt_simulate_linear(bp, 0, 2, 2, 2, 1, ep, 0, 2, 2, 2, 1, 0.01, rollouts, 5, 0, 1, 3, 1, 64, 0,
                                  data, 0, 2, 5, 2, 10, 2, 1, json_out, msg, 256)
status = call(op, None)
assert status == 1 and "json_out" in msg.value.decode(), (status, msg.value)
status = call(None, None)                       # out = NULL: validate only, nothing written
assert status == 0 and msg.value == b"" and not out.any(), (status, msg.value)
status = call(None, None, rollouts=0)
assert status == 2 and "rollouts" in msg.value.decode(), (status, msg.value)
status = call(op, ctypes.byref(text))
assert status == 0 and text.value and out.any(), (status, msg.value)
lib.pt_free(text)
sys.exit(0)
"""


def test_raw_abi_null_json_out_and_validate_only(subprocess_env):
    child = subprocess.run([sys.executable, "-c", RAW], env=subprocess_env, capture_output=True, text=True, timeout=60)
    assert child.returncode == 0, f"status {child.returncode}\n{child.stdout}\n{child.stderr}"
