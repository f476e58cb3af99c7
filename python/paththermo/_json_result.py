"""Result objects built from the JSON document a structured ABI call returns (the CLI's `--json` object):
attribute access for its keys, numeric lists as float64 NumPy arrays (a JSON null, a non-finite number the CLI
named in "warnings", reads as nan), nested objects as results too, and `to_dict()` returning the document itself."""
from __future__ import annotations

import copy

import numpy as np


def _is_numeric(value) -> bool:
    if isinstance(value, list):
        return all(_is_numeric(v) for v in value)
    return value is None or (isinstance(value, (int, float)) and not isinstance(value, bool))


def _attribute(value):
    if isinstance(value, dict):
        return JSONResult(value)
    if isinstance(value, list) and value and _is_numeric(value):
        return np.array(value, dtype=np.float64)
    return value


class JSONResult:
    """A structured result: `result.<key>` for every key of the CLI's JSON object (lists of numbers as float64
    arrays, objects as JSONResult), `result.to_dict()` the object itself (a deep copy), `"key" in result`."""

    def __init__(self, document: dict):
        object.__setattr__(self, "_document", document)
        for key, value in document.items():
            object.__setattr__(self, key, _attribute(value))

    def __setattr__(self, name, value):
        raise AttributeError(f"{type(self).__name__} is read-only")

    def __contains__(self, key) -> bool:
        return key in self._document

    def keys(self):
        return self._document.keys()

    def to_dict(self) -> dict:
        """The JSON object as plain Python values (lists, floats, None for the CLI's nulls)."""
        return copy.deepcopy(self._document)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(sorted(self._document))})"
