"""The build step of `pip install ./python` and `pip wheel ./python` (docs/python.md, "Install").

Metadata lives in pyproject.toml; this file adds one step to setuptools' build_py: build the Swift library
libpaththermo_c (the C ABI of include/paththermo.h) in the repository root, python/.., with

    swift build -c release --product paththermo_c <flags>

and copy it into the package as paththermo/lib/libpaththermo_c.so, where paththermo/_library.py finds it.
<flags> default to `-Xswiftc -enable-testing`, the flags of scripts/test.sh, so that in a checkout whose tests
were built this is an incremental no-op instead of a second full build (≈ 5–10 min); PATHTHERMO_SWIFT_FLAGS
replaces them (e.g. PATHTHERMO_SWIFT_FLAGS= for a plain release build).

The Swift runtime: the library links the toolchain's shared runtime (libswiftCore, libFoundation*, libdispatch, …)
and carries the RUNPATH `<toolchain>/usr/lib/swift/linux:$ORIGIN`. The step copies those runtime libraries (the
ones the library needs that live in the toolchain, found with ldd) next to it, so an installed package or a wheel
runs without a Swift toolchain; what it still needs from the system are the OS packages of scripts/setup.sh
(OpenBLAS, LAPACKE, UMFPACK) and the C/C++ runtime. PATHTHERMO_COPY_SWIFT_RUNTIME=0 skips the copy (the library
then needs the toolchain at the path it was built with). Why not a static Swift standard library: docs/python.md.

The wheel is a platform wheel tagged py3-none-<platform> (it holds a native library but no CPython extension).
"""
from __future__ import annotations

import os
import pathlib
import shlex
import shutil
import subprocess
import sys

from setuptools import setup
from setuptools.command.build_py import build_py
from setuptools.dist import Distribution

try:  # setuptools ≥ 70.1 carries bdist_wheel; older ones take it from the wheel package
    from setuptools.command.bdist_wheel import bdist_wheel
except ImportError:
    try:
        from wheel.bdist_wheel import bdist_wheel
    except ImportError:
        bdist_wheel = None

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent
SUFFIX = ".dylib" if sys.platform == "darwin" else ".so"
LIBRARY = "libpaththermo_c" + SUFFIX
DEFAULT_FLAGS = "-Xswiftc -enable-testing"


def fail(message: str):
    """Stop the build with one line (pip prints it among its own output)."""
    sys.stderr.write(f"paththermo build: error: {message}\n")
    raise SystemExit(1)


def swift_build() -> pathlib.Path:
    """Builds the product paththermo_c in ROOT and returns the library's path."""
    if not (ROOT / "Package.swift").is_file():
        fail(f"no Package.swift in {ROOT}: build the package from a PathThermo checkout (pip install ./python)")
    swift = shutil.which("swift")
    if swift is None:
        fail("`swift` is not on PATH: install Swift >= 6.1 (swift.org), run scripts/setup.sh, then pip install again")
    flags = shlex.split(os.environ.get("PATHTHERMO_SWIFT_FLAGS", DEFAULT_FLAGS))
    command = [swift, "build", "--package-path", str(ROOT), "-c", "release", *flags]
    sys.stderr.write("paththermo build: " + " ".join(shlex.quote(a) for a in command + ["--product", "paththermo_c"]) + "\n")
    if subprocess.call(command + ["--product", "paththermo_c"], cwd=ROOT) != 0:
        fail("swift build of the product paththermo_c failed (its output is above)")
    bin_path = subprocess.run(command + ["--show-bin-path"], cwd=ROOT, check=True, capture_output=True, text=True)
    library = pathlib.Path(bin_path.stdout.strip()) / LIBRARY
    if not library.is_file():
        fail(f"swift build succeeded but {library} is missing")
    return library


def toolchain_runtime(library: pathlib.Path) -> list[pathlib.Path]:
    """The shared libraries `library` loads from the Swift runtime directory (the directory where ldd resolves
    libswiftCore.so, e.g. <toolchain>/usr/lib/swift/linux), transitively; [] when it needs no shared libswiftCore
    (a -static-stdlib build) or off Linux."""
    if sys.platform != "linux" or shutil.which("ldd") is None:
        return []
    output = subprocess.run(["ldd", str(library)], check=True, capture_output=True, text=True).stdout
    resolved = {}
    for line in output.splitlines():
        name, arrow, rest = line.partition("=>")
        path = rest.strip().split(" (")[0].strip()
        if arrow and path.startswith("/"):
            resolved[name.strip()] = pathlib.Path(path)
    core = resolved.get("libswiftCore.so")
    if core is None:
        return []
    return sorted(path for path in resolved.values() if path.parent == core.parent)


def set_runpath_origin(path: pathlib.Path) -> str | None:
    """Rewrites the DT_RUNPATH (or DT_RPATH) string of the ELF64 little-endian shared library `path` in place to
    `$ORIGIN`, padded with NULs (the string only shrinks, so no section moves): the installed copy then loads the
    Swift runtime copied next to it, not the toolchain's. Returns the old value, or None when there was none or
    the file is not such an ELF file (then nothing is changed)."""
    import struct

    data = bytearray(path.read_bytes())
    if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
        return None
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum = struct.unpack_from("<HH", data, 0x3A)
    sections = [struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize) for i in range(shnum)]
    for _name, kind, _flags, _addr, offset, size, link, _info, _align, entsize in sections:
        if kind != 6:  # SHT_DYNAMIC
            continue
        strtab = sections[link][4]
        for entry in range(offset, offset + size, entsize or 16):
            tag, value = struct.unpack_from("<qQ", data, entry)
            if tag in (15, 29):  # DT_RPATH, DT_RUNPATH
                start = strtab + value
                end = data.index(0, start)
                old = data[start:end].decode()
                new = b"$ORIGIN"
                if end - start < len(new):
                    return None
                data[start:end] = new + b"\0" * (end - start - len(new))
                path.write_bytes(bytes(data))
                return old
    return None


class BuildPyWithSwift(build_py):
    """build_py, then the Swift library (and the toolchain runtime it needs) into <build_lib>/paththermo/lib/."""

    def run(self):
        super().run()
        library = swift_build()
        target = pathlib.Path(self.build_lib) / "paththermo" / "lib"
        shutil.rmtree(target, ignore_errors=True)  # pip reuses python/build/: no runtime left from an earlier build
        target.mkdir(parents=True)
        shutil.copy2(library, target / LIBRARY)
        if os.environ.get("PATHTHERMO_COPY_SWIFT_RUNTIME", "1") != "0":
            runtime = toolchain_runtime(library)
            for path in runtime:
                shutil.copy2(path, target / path.name)
            if runtime:
                old = set_runpath_origin(target / LIBRARY)
                sys.stderr.write(f"paththermo build: copied {len(runtime)} Swift runtime libraries into {target}; "
                                 f"RUNPATH {old} -> $ORIGIN\n")


class BinaryDistribution(Distribution):
    """Not pure Python: the wheel holds a native library, so it goes to platlib with a platform tag."""

    def has_ext_modules(self):
        return True


cmdclass = {"build_py": BuildPyWithSwift}
if bdist_wheel is not None:
    class PlatformWheel(bdist_wheel):
        """py3-none-<platform>: any Python 3 (ctypes, no CPython ABI), one platform."""

        def finalize_options(self):
            super().finalize_options()
            self.root_is_pure = False

        def get_tag(self):
            _, _, platform = super().get_tag()
            return "py3", "none", platform

    cmdclass["bdist_wheel"] = PlatformWheel

setup(cmdclass=cmdclass, distclass=BinaryDistribution)
