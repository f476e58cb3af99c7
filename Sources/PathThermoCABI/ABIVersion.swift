import PathThermo

/// `pt_abi_version()`: the version of this C ABI (0 while PathThermo is 0.x; it may change with any release).
@_cdecl("pt_abi_version")
public func pt_abi_version() -> Int32 { 0 }

/// `pt_version(buffer, capacity)`: PathThermo's version string (`PathThermoVersion.string`, e.g. "0.1.0"),
/// NUL-terminated and truncated to the capacity. Returns the length of the full string in bytes.
@_cdecl("pt_version")
public func pt_version(_ buffer: UnsafeMutablePointer<CChar>?, _ capacity: Int64) -> Int64 {
    writeMessage(PathThermoVersion.string, to: buffer, capacity: capacity)
    return Int64(PathThermoVersion.string.utf8.count)
}

/// `pt_blas_core(buffer, capacity)`: the OpenBLAS kernel family this process runs (``BLAS/coreName``, e.g.
/// "SkylakeX", "Prescott"). The family changes BLAS results in the last bits; the CLI records it as
/// `provenance.blas_core` and, unlike a library, re-executes itself with a better family where OpenBLAS fell back
/// to generic kernels. A caller that wants the CLI's bits sets `OPENBLAS_CORETYPE` before the library loads.
/// Returns the length of the full name in bytes.
@_cdecl("pt_blas_core")
public func pt_blas_core(_ buffer: UnsafeMutablePointer<CChar>?, _ capacity: Int64) -> Int64 {
    let name = BLAS.coreName
    writeMessage(name, to: buffer, capacity: capacity)
    return Int64(name.utf8.count)
}
