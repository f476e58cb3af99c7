"""paththermo.Error: every failure of the package (a malformed call or the library's one-line message)."""


class Error(ValueError):
    """A PathThermo failure; `str(e)` is the library's one-line message, `e.code` the C ABI status
    (1 invalid argument, 2 rejected by the library, 3 resource limit; 0 for checks made in Python)."""

    def __init__(self, message: str, code: int = 0):
        super().__init__(message)
        self.code = code
