"""include/paththermo.h agrees with the library: every declared function is exported and wrapped, and a C program
compiled against the header (when a C compiler is on PATH) calls pt_ou and gets sigma = 8 for the smoke drift."""
import pathlib
import re
import shutil
import subprocess

import pytest

from paththermo import _library

ROOT = pathlib.Path(__file__).resolve().parent.parent.parent
HEADER = ROOT / "include" / "paththermo.h"


def declared_functions():
    return set(re.findall(r"^(?:\w+_t|void) (pt_\w+)\(", HEADER.read_text(), flags=re.MULTILINE))


def test_header_declarations_are_exported_and_wrapped():
    names = declared_functions()
    assert {"pt_ou", "pt_lyapunov", "pt_asymmetry", "pt_version", "pt_abi_version", "pt_blas_core"} <= names
    lib = _library.load()
    for name in names:
        assert hasattr(lib, name), name
    assert names == set(_library._SIGNATURES)


C_PROGRAM = r"""
#include <stdio.h>
#include "paththermo.h"
int main(void) {
    double b[4] = {-1, 2, -2, -1}, d[4] = {0.5, 0, 0, 0.5}, s[5];
    char message[256];
    int32_t status = pt_ou(b, PT_FLOAT64, 2, 2, 2, 1, d, PT_FLOAT64, 2, 2, 2, 1, NULL, NULL, NULL, NULL, NULL, s,
                           message, sizeof message);
    if (status != PT_OK) { fprintf(stderr, "%s\n", message); return 1; }
    double bad[4] = {1, 0, 0, -1};
    status = pt_ou(bad, PT_FLOAT64, 2, 2, 2, 1, d, PT_FLOAT64, 2, 2, 2, 1, NULL, NULL, NULL, NULL, NULL, s + 1,
                   message, sizeof message);
    printf("%.17g %d %s\n", s[0], status, message);
    return 0;
}
"""


def test_c_program_against_the_header(tmp_path):
    cc = shutil.which("cc") or shutil.which("gcc") or shutil.which("clang")
    if cc is None:
        pytest.skip("no C compiler on PATH")
    lib = _library.find()
    (tmp_path / "main.c").write_text(C_PROGRAM)
    subprocess.run([cc, "-std=c99", "-Wall", "-Werror", "-I", str(HEADER.parent), str(tmp_path / "main.c"),
                    str(lib), f"-Wl,-rpath,{lib.parent}", "-o", str(tmp_path / "main")], check=True)
    out = subprocess.run([str(tmp_path / "main")], check=True, capture_output=True, text=True).stdout.split(" ", 2)
    assert abs(float(out[0]) - 8) <= 8e-12
    assert out[1] == "2" and "not stable" in out[2]
