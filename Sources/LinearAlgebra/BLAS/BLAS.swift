import CLAPACK

/// Pointer-level BLAS: the level-2/3 routines the modules above `LinearAlgebra` call on their own buffers
/// (`gemm`, `gemv`, `syrk`, `trsm`, each in `Float` and `Double`, row- or column-major) and OpenBLAS's thread
/// controls (``threadCount``, ``setThreadCount(_:)``). `LinearAlgebra` is the only module that
/// imports the `CLAPACK` shim; every other module reaches BLAS through here.
///
/// **Thin.** Each wrapper is one call of the CBLAS routine of the same name (`BLAS.gemm` on `Double` is
/// `cblas_dgemm`, on `Float` `cblas_sgemm`, …) with the same arguments, so results are bit-identical to calling
/// CBLAS directly. The argument enums (``Layout``, ``Transpose``, ``Triangle``, ``Side``, ``Diagonal``) are
/// Swift names for CBLAS's.
///
/// **Storage.** An r × c operand with leading dimension `ld` holds element (i, j) at `p[i·ld + j]` in
/// ``Layout/rowMajor`` (`ld ≥ max(1, c)`) and at `p[i + j·ld]` in ``Layout/columnMajor`` (`ld ≥ max(1, r)`);
/// `ld` larger than that skips the elements in between (a sub-block of a larger matrix).
///
/// **The caller's responsibility**, as in CBLAS: dimensions ≥ 0, leading dimensions and increments as above,
/// buffers that hold every element they address, and an output that does not overlap an input. Nothing is
/// checked here (the callers check shapes once, before their hot loops); none of it traps. A dimension,
/// leading dimension or increment that does not fit BLAS's 32-bit integer (``maximumDimension``) reaches
/// BLAS as −1, which BLAS's own argument check refuses: it reports the argument on standard output and
/// returns without touching the output buffer.
public enum BLAS {
    /// The largest dimension, leading dimension or increment BLAS accepts (its integer is 32 bits).
    public static let maximumDimension = Int(Int32.max)

    /// `x` as BLAS's 32-bit integer, or −1 (an illegal value BLAS refuses) when it does not fit.
    @inline(__always)
    static func int(_ x: Int) -> Int32 { Int32(exactly: x) ?? -1 }
}
