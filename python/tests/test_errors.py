"""Bad inputs raise paththermo.Error with the library's one-line message and never crash the interpreter: each case
runs in a child interpreter whose exit status says what happened (0: Error raised; 3: no error; a crash: a signal
or another status)."""
import subprocess
import sys
import textwrap

import pytest

CASES = {
    "ou wrong ndim": ("paththermo.ou(np.zeros(3), 1.0)", "expected a 2-D array"),
    "ou 3-D": ("paththermo.ou(np.zeros((2, 2, 2)), 1.0)", "expected a 2-D array"),
    "ou NaN": ("paththermo.ou([[np.nan, 0.0], [0.0, -1.0]], 1.0)", "NaN"),
    "ou non-square": ("paththermo.ou(np.full((2, 3), -1.0), 1.0)", "square"),
    "ou unstable": ("paththermo.ou([[1.0, 0.0], [0.0, -1.0]], 1.0)", "not stable"),
    "ou diffusion not SPD": ("paththermo.ou(-np.eye(2), [[1.0, 0.0], [0.0, -1.0]])", "positive definite"),
    "ou diffusion shape": ("paththermo.ou(-np.eye(2), np.eye(3))", ""),
    "ou diffusion NaN scalar": ("paththermo.ou(-np.eye(2), float('nan'))", "not finite"),
    "ou empty": ("paththermo.ou(np.zeros((0, 0)), 1.0)", "no entries"),
    "ou complex": ("paththermo.ou(np.eye(2) * (1 + 1j), 1.0)", "real numeric"),
    "ou strings": ("paththermo.ou([['a', 'b'], ['c', 'd']], 1.0)", "real numeric"),
    "lyapunov non-square": ("paththermo.lyapunov(np.ones((3, 2)), np.eye(3))", "square"),
    "lyapunov NaN": ("paththermo.lyapunov(-np.eye(2), [[np.nan, 0], [0, 1]])", ""),
    "lyapunov shape mismatch": ("paththermo.lyapunov(-np.eye(2), np.eye(3))", ""),
    "lyapunov singular": ("paththermo.lyapunov(np.zeros((3, 3)), np.eye(3))", ""),
    "lyapunov discrete unit root": ("paththermo.lyapunov(np.eye(2), np.eye(2), discrete=True)", ""),
    "lyapunov wrong ndim": ("paththermo.lyapunov(np.ones(4), 1.0)", "2-D"),
    "asymmetry non-square": ("paththermo.asymmetry(np.ones((2, 3)))", "square"),
    "asymmetry inf": ("paththermo.asymmetry([[np.inf, 0], [0, 1]])", ""),
    "asymmetry empty": ("paththermo.asymmetry(np.zeros((0, 0)))", "no entries"),
}

PRELUDE = """
import sys
import numpy as np
import paththermo
{setup}
try:
{body}
except paththermo.Error as e:
    message = str(e)
    assert message and "\\n" not in message, repr(message)
    assert {expected!r} in message, message
    assert isinstance(e, ValueError)
    print(message)
    sys.exit(0)
sys.exit(3)
"""


def run_child(body, expected, env, setup="", timeout=60):
    """Runs `body` in a child interpreter (after `setup`, module-level code); exit status 0 when it raised
    paththermo.Error (a one-line ValueError containing `expected`), 3 when it raised nothing, anything else a crash.
    Shared by the error tests of every function (test_simulate_errors, test_estimate, test_kalman, ...)."""
    code = PRELUDE.format(setup=setup, body=textwrap.indent(body, "    "), expected=expected)
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=timeout)


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_input_raises_error_in_child(name, subprocess_env):
    body, expected = CASES[name]
    child = run_child(body, expected, subprocess_env)
    assert child.returncode == 0, f"{name}: status {child.returncode}\n{child.stdout}\n{child.stderr}"


ABI_CASES = {
    # Raw ABI calls that the Python layer never makes: null pointers, bad sizes, an unknown dtype, huge strides.
    "null drift": ("lib.pt_ou(None, 0, 2, 2, 2, 1, d, 0, 2, 2, 2, 1, *[None] * 6, msg, 256)", 1, "null"),
    "negative rows": ("lib.pt_ou(d, 0, -2, 2, 2, 1, d, 0, 2, 2, 2, 1, *[None] * 6, msg, 256)", 1, "no entries"),
    "unknown dtype": ("lib.pt_asymmetry(d, 7, 2, 2, 2, 1, out, msg, 256)", 1, "dtype"),
    "overflowing strides": ("lib.pt_asymmetry(d, 0, 2, 2, 2**62, 2**62, out, msg, 256)", 1, "overflow"),
    "null output": ("lib.pt_lyapunov(d, 0, 2, 2, 2, 1, d, 0, 2, 2, 2, 1, 0, None, None, msg, 256)", 1, "null"),
    "null message buffer": ("lib.pt_asymmetry(None, 0, 2, 2, 2, 1, out, None, 0)", 1, ""),
    "huge size": ("lib.pt_asymmetry(d, 0, 2**40, 2**40, 0, 0, out, msg, 256)", 3, ""),
    "truncated message": ("lib.pt_ou(d, 0, 2, 2, 2, 1, d, 0, 2, 2, 2, 1, *[None] * 6, msg, 6)", 2, "drift"),
}

ABI_PRELUDE = """
import ctypes, sys
import numpy as np
from paththermo import _library
lib = _library.load()
a = np.array([[1.0, 0.0], [0.0, -1.0]])
d = ctypes.c_void_p(a.ctypes.data)
out = (ctypes.c_double * 1)()
out = ctypes.cast(out, ctypes.POINTER(ctypes.c_double))
msg = ctypes.create_string_buffer(256)
status = {call}
text = msg.value.decode()
print(status, repr(text))
assert status == {status}, status
assert {expected!r} in text or "truncated" in {name!r}, text
if "truncated" in {name!r}:
    assert len(msg.value) == 5 and msg.raw[5] == 0, msg.raw[:8]
sys.exit(0)
"""


@pytest.mark.parametrize("name", sorted(ABI_CASES))
def test_raw_abi_misuse_returns_status(name, subprocess_env):
    call, status, expected = ABI_CASES[name]
    code = ABI_PRELUDE.format(call=call, status=status, expected=expected, name=name)
    child = subprocess.run([sys.executable, "-c", code], env=subprocess_env, capture_output=True, text=True, timeout=60)
    assert child.returncode == 0, f"{name}: status {child.returncode}\n{child.stdout}\n{child.stderr}"
