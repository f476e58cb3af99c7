import CLAPACK

/// Sparse LU with partial pivoting, `P R A Q = L U`, by SuiteSparse UMFPACK (`umfpack_dl_symbolic`,
/// `umfpack_dl_numeric`, `umfpack_dl_solve`; Davis, ACM TOMS 30 (2004) 196–199).
///
/// Algorithm: a fill-reducing column ordering (AMD on the pattern of A + Aᵀ for the structurally symmetric finite
/// volume generators, COLAMD otherwise), then the unsymmetric-pattern multifrontal factorization, whose dense frontal
/// updates run through BLAS 3 (OpenBLAS); solves apply up to two steps of iterative refinement. The CSR arrays of A
/// are the CSC arrays of Aᵀ, so UMFPACK factors Aᵀ and every solve uses its transposed system (`UMFPACK_At`), which
/// is `A x = b`: no copy.
///
/// Cost on n^d finite-volume grids (this machine, see docs/benchmarks.md): 2-D 320² (10⁵ unknowns) ≈ 1.2 · 10⁹ flops,
/// 3.4 · 10⁶ entries in L; 3-D 40³ (6.4 · 10⁴ unknowns) ≈ 3 · 10¹⁰ flops, 1.4 · 10⁷ entries in L — which is why 3-D
/// systems go to the preconditioned iterative solver (``SparseMatrix/solve(_:options:)``).
///
/// Bits: the result is deterministic for a fixed OpenBLAS thread count (`OPENBLAS_NUM_THREADS`); no `--threads`
/// option of the project changes that count, so results do not depend on `--threads`.
public struct SparseLUFactorization: @unchecked Sendable {
    /// The factored matrix (kept: UMFPACK's refinement steps multiply by it).
    public let matrix: SparseMatrix
    /// UMFPACK's estimate of the reciprocal condition number, min|U_ii| / max|U_ii| (`Info[UMFPACK_RCOND]`).
    public let reciprocalPivotRatio: Double
    /// Entries in L plus U (`Info[UMFPACK_LNZ] + Info[UMFPACK_UNZ]`), the memory of the factors in words.
    public let factorEntries: Int
    /// Floating-point operations of the numeric factorization (`Info[UMFPACK_FLOPS]`).
    public let flops: Double

    private let numeric: UMFPACKNumeric

    /// Factors A (square, finite by construction of ``SparseMatrix``).
    ///
    /// - Throws: ``LinearAlgebraError/notSquare(operation:rows:columns:)``; ``LinearAlgebraError/singular(operation:pivot:)``
    ///   when a pivot is exactly zero (`pivot` = the number of nonzero pivots + 1); ``LinearAlgebraError/lapack(routine:info:)``
    ///   for UMFPACK's other failures (out of memory: `info` = −1).
    public init(_ a: SparseMatrix) throws(LinearAlgebraError) {
        let operation = "sparse LU factorization"
        guard a.rows == a.columns else { throw .notSquare(operation: operation, rows: a.rows, columns: a.columns) }
        let n = a.rows
        var control = [Double](repeating: 0, count: Int(UMFPACK_CONTROL))
        var info = [Double](repeating: 0, count: Int(UMFPACK_INFO))
        umfpack_dl_defaults(&control)
        control[Int(UMFPACK_ORDERING)] = Double(UMFPACK_ORDERING_AMD)
        var symbolic: UnsafeMutableRawPointer?
        var numericPointer: UnsafeMutableRawPointer?
        let status: Int = a.rowStarts.withUnsafeBufferPointer { ap in
            a.columnIndices.withUnsafeBufferPointer { ai in
                a.values.withUnsafeBufferPointer { ax in
                    let s = umfpack_dl_symbolic(n, n, ap.baseAddress, ai.baseAddress, ax.baseAddress, &symbolic,
                                                control, &info)
                    guard s == UMFPACK_OK else { return s }
                    defer { umfpack_dl_free_symbolic(&symbolic) }
                    return umfpack_dl_numeric(ap.baseAddress, ai.baseAddress, ax.baseAddress, symbolic,
                                              &numericPointer, control, &info)
                }
            }
        }
        let holder = UMFPACKNumeric(numericPointer)
        if status == UMFPACK_WARNING_singular_matrix {
            throw .singular(operation: operation, pivot: Int(info[Int(UMFPACK_UDIAG_NZ)]) + 1)
        }
        guard status == UMFPACK_OK, holder.pointer != nil else { throw .lapack(routine: "umfpack_dl_numeric", info: status) }
        matrix = a
        numeric = holder
        reciprocalPivotRatio = info[Int(UMFPACK_RCOND)]
        factorEntries = Int(info[Int(UMFPACK_LNZ)] + info[Int(UMFPACK_UNZ)])
        flops = info[Int(UMFPACK_FLOPS)]
    }

    /// Solves `A x = b`. Cost O(entries of L and U) per refinement step.
    ///
    /// - Throws: ``LinearAlgebraError/dimensionMismatch(operation:detail:)`` for a wrong length,
    ///   ``LinearAlgebraError/nonFinite(operation:)`` for NaN or ±∞ in b or in x,
    ///   ``LinearAlgebraError/lapack(routine:info:)`` when `umfpack_dl_solve` fails.
    public func solve(_ b: [Double]) throws(LinearAlgebraError) -> [Double] {
        let n = matrix.rows
        guard b.count == n else {
            throw .dimensionMismatch(operation: "sparse LU solve", detail: "A is \(n)×\(n), b has \(b.count) entries")
        }
        guard b.allSatisfy(\.isFinite) else { throw .nonFinite(operation: "sparse LU solve") }
        var x = [Double](repeating: 0, count: n)
        var control = [Double](repeating: 0, count: Int(UMFPACK_CONTROL))
        var info = [Double](repeating: 0, count: Int(UMFPACK_INFO))
        umfpack_dl_defaults(&control)
        let a = matrix
        let status: Int = a.rowStarts.withUnsafeBufferPointer { ap in
            a.columnIndices.withUnsafeBufferPointer { ai in
                a.values.withUnsafeBufferPointer { ax in
                    x.withUnsafeMutableBufferPointer { px in
                        umfpack_dl_solve(Int(UMFPACK_At), ap.baseAddress, ai.baseAddress, ax.baseAddress,
                                         px.baseAddress, b, numeric.pointer, control, &info)
                    }
                }
            }
        }
        guard status == UMFPACK_OK else { throw .lapack(routine: "umfpack_dl_solve", info: status) }
        guard x.allSatisfy(\.isFinite) else { throw .nonFinite(operation: "sparse LU solve (result)") }
        return x
    }
}

/// Owns UMFPACK's opaque numeric factorization and frees it once. Immutable after init; `umfpack_dl_solve` only
/// reads it (its workspace is per call), so sharing across threads is safe.
private final class UMFPACKNumeric: @unchecked Sendable {
    var pointer: UnsafeMutableRawPointer?
    init(_ pointer: UnsafeMutableRawPointer?) { self.pointer = pointer }
    deinit { if pointer != nil { umfpack_dl_free_numeric(&pointer) } }
}
