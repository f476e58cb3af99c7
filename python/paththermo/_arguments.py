"""Scalar arguments of the C ABI checked in Python, one rule each for every wrapper: integers (bool and float
refused, within the ABI's int64 or a narrower range), reals, and NUL-free UTF-8 strings (a NUL would silently end
the C string). Every refusal is paththermo.Error naming the argument."""
from __future__ import annotations

import operator

from ._errors import Error

INT64 = (-(1 << 63), (1 << 63) - 1)
UINT64 = (0, (1 << 64) - 1)


def integer(value, name: str, bounds=INT64) -> int:
    """An integer argument (bool and float refused) in `bounds` (int64 unless narrower)."""
    if isinstance(value, bool):
        raise Error(f"{name}: expected an integer, got {value!r}")
    try:
        n = operator.index(value)
    except TypeError:
        raise Error(f"{name}: expected an integer, got {value!r}") from None
    if not bounds[0] <= n <= bounds[1]:
        raise Error(f"{name}: {n} is out of the range [{bounds[0]}, {bounds[1]}]")
    return n


def real(value, name: str) -> float:
    """A real argument (anything float() takes)."""
    try:
        return float(value)
    except (TypeError, ValueError):
        raise Error(f"{name}: expected a real number, got {value!r}") from None


def text(value, name: str) -> bytes:
    """A str argument as the NUL-terminated UTF-8 the ABI reads (lone surrogates pass through, and the library then
    refuses them as invalid UTF-8)."""
    if not isinstance(value, str):
        raise Error(f"{name}: expected a str, got {type(value).__name__}")
    if "\x00" in value:
        raise Error(f"{name}: contains a NUL character")
    return value.encode("utf-8", errors="surrogatepass")


def optional_text(value, name: str) -> bytes | None:
    """`text`, or None (the ABI's NULL: the default) for None."""
    return None if value is None else text(value, name)
