"""Calling the C ABI: the message buffer and status check every function shares, and JSON results
(include/paththermo.h: `char **json_out`, released with pt_free)."""
from __future__ import annotations

import ctypes
import json
import threading

from . import _library
from ._errors import Error

lib = _library.load()
MESSAGE_CAPACITY = 1024
_thread = threading.local()


def call(function, *arguments) -> None:
    """Calls an ABI function with a message buffer appended; raises Error with its message on a non-zero status.
    Each thread reuses its own buffer (making one costs a third of a microsecond; the library writes it in full on
    every call, the empty string on success)."""
    try:
        message = _thread.message
    except AttributeError:
        message = _thread.message = ctypes.create_string_buffer(MESSAGE_CAPACITY)
    status = function(*arguments, message, MESSAGE_CAPACITY)
    if status != 0:
        raise Error(message.value.decode("utf-8", errors="replace"), code=status)


def call_json(function, *arguments) -> dict:
    """Calls an ABI function whose last result is a JSON document (`char **json_out` before the message buffer)
    and returns it parsed (the object `paththermo <command> --json` prints; floats round-trip bit for bit).
    The library's text is released with pt_free whatever happens."""
    text = ctypes.c_void_p()
    try:
        call(function, *arguments, ctypes.byref(text))
        return json.loads(ctypes.string_at(text.value).decode("utf-8"))
    finally:
        if text.value:
            lib.pt_free(text)
