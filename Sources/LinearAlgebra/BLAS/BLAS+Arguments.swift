import CLAPACK

/// The enum arguments of BLAS, with Swift names for CBLAS's `CBLAS_ORDER`, `CBLAS_TRANSPOSE`, `CBLAS_UPLO`,
/// `CBLAS_SIDE` and `CBLAS_DIAG`.
extension BLAS {
    /// How a matrix is laid out in memory (CBLAS `CBLAS_ORDER`): element (i, j) at `p[i·ld + j]`
    /// (`rowMajor`, C's arrays) or at `p[i + j·ld]` (`columnMajor`, Fortran's and ``Matrix``'s).
    public enum Layout: Sendable, Hashable { case rowMajor, columnMajor }

    /// Whether an operand enters as itself, op(A) = A, or transposed, op(A) = Aᵀ (CBLAS `CblasNoTrans`,
    /// `CblasTrans`). ``Matrix/Transpose`` is the same type.
    public enum Transpose: Sendable, Hashable { case none, transpose }

    /// Which triangle of a symmetric or triangular matrix is referenced (CBLAS `CBLAS_UPLO`); the other is
    /// neither read nor written.
    public enum Triangle: Sendable, Hashable { case upper, lower }

    /// On which side a triangular matrix multiplies (CBLAS `CBLAS_SIDE`): op(A) X (`left`) or X op(A) (`right`).
    public enum Side: Sendable, Hashable { case left, right }

    /// Whether a triangular matrix has an implicit unit diagonal (`unit`: A[i, i] = 1, not read) or its
    /// stored one (`nonUnit`) (CBLAS `CBLAS_DIAG`).
    public enum Diagonal: Sendable, Hashable { case nonUnit, unit }
}

extension BLAS.Layout {
    var cblas: CBLAS_ORDER { self == .rowMajor ? CblasRowMajor : CblasColMajor }
}

extension BLAS.Transpose {
    var cblas: CBLAS_TRANSPOSE { self == .none ? CblasNoTrans : CblasTrans }
}

extension BLAS.Triangle {
    var cblas: CBLAS_UPLO { self == .upper ? CblasUpper : CblasLower }
}

extension BLAS.Side {
    var cblas: CBLAS_SIDE { self == .left ? CblasLeft : CblasRight }
}

extension BLAS.Diagonal {
    var cblas: CBLAS_DIAG { self == .unit ? CblasUnit : CblasNonUnit }
}
