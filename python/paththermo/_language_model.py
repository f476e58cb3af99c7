"""paththermo.LanguageModel: text entropy production under a GGUF language model loaded once (`paththermo
text-ep`; pt_model_open, pt_model_text_ep, pt_model_free)."""
from __future__ import annotations

import ctypes
import os
import threading

from . import _abi
from . import _arguments
from ._errors import Error
from ._json_result import JSONResult

_SEGMENTATIONS = ("tokens", "text")
_LEVELS = ("token", "sentence")


class TextEPResult(JSONResult):
    """`paththermo text-ep --text ... --json` as an object. Keys: level, tokens, blocks, logp_forward,
    logp_reversed, entropy_production (sigma = ln P(y) - ln P(R y)), per_block, tokenization, segmentation (as the
    CLI's document without its "provenance" run record; every number equals the CLI's)."""


class LanguageModel:
    """A GGUF language model (llama or gpt2 architecture, e.g. models/SmolLM2-135M-Instruct.Q4_1.gguf from
    scripts/fetch_model.sh) with its tokenizer, loaded once by the library and freed by close(), by leaving a
    `with` block, or when the object is collected.

    prefix: the neutral text conditioning both orders (None: the <|endoftext|> token); leading_space: tokenize
    " " + text; segmentation: "tokens" (cut sentence blocks after tokens ending in '.', '!' or '?') or "text" (the
    string rule). Same conventions as `paththermo text-ep --prefix/--leading-space/--segmentation`. Calls on one
    model run one at a time (the library serializes them; each pass already uses every core); several models run
    concurrently. Raises Error (a missing file: "model file ... not found: run scripts/fetch_model.sh ...").
    """

    def __init__(self, path, prefix: str | None = None, leading_space: bool = False, segmentation: str = "tokens"):
        self._handle = None
        self._lock = threading.Lock()
        if segmentation not in _SEGMENTATIONS:
            raise Error(f"unknown segmentation {segmentation!r} (use tokens or text)")
        self.path = os.fspath(path)
        self.prefix, self.leading_space, self.segmentation = prefix, bool(leading_space), segmentation
        handle = ctypes.c_void_p()
        _abi.call(_abi.lib.pt_model_open, _arguments.text(self.path, "path"), _arguments.optional_text(prefix, "prefix"),
                  1 if leading_space else 0, segmentation.encode(), ctypes.byref(handle))
        self._handle = handle

    def text_ep(self, text: str, level: str = "token") -> TextEPResult:
        """sigma = ln P(text | prefix) - ln P(reversed text | prefix): level "token" reverses the tokens, "sentence"
        the order of the sentence blocks. The CLI's `text-ep --text ... --json` document as a TextEPResult."""
        if level not in _LEVELS:
            raise Error(f"unknown level {level!r} (use token or sentence)")
        encoded = _arguments.text(text, "text")
        with self._lock:
            if self._handle is None:
                raise Error("the model is closed")
            return TextEPResult(_abi.call_json(_abi.lib.pt_model_text_ep, self._handle, encoded, level.encode()))

    def close(self) -> None:
        """Frees the model (idempotent; waits for a call in progress on another thread)."""
        lock = getattr(self, "_lock", None)
        if lock is None:
            return
        with lock:
            handle, self._handle = self._handle, None
            if handle is not None and handle.value:
                _abi.lib.pt_model_free(handle)

    @property
    def closed(self) -> bool:
        return self._handle is None

    def __enter__(self) -> "LanguageModel":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __del__(self):
        try:
            self.close()
        except Exception:  # interpreter shutdown: the library may be gone already
            pass

    def __repr__(self) -> str:
        state = "closed" if self.closed else "open"
        return f"LanguageModel({self.path!r}, {state})"
