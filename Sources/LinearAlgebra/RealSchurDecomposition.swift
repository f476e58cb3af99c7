import CLAPACK

/// Real Schur decomposition `A = Z T Zᵀ` (LAPACK `dgees`).
///
/// `T` is quasi-upper-triangular: 1×1 blocks carry real eigenvalues, 2×2 blocks with equal
/// diagonal entries carry complex-conjugate pairs. `Z` is orthogonal. This is the first half of
/// Bartels–Stewart (see ``solveContinuousLyapunov(_:_:)``) and the source of Henrici's departure
/// from normality, ‖strictly-upper part of T‖_F (2×2 blocks counted by their eigenvalues).
public struct RealSchurDecomposition: Sendable {
    /// The quasi-upper-triangular Schur form T.
    public let form: Matrix
    /// The orthogonal Schur vectors Z (columns).
    public let vectors: Matrix
    /// Eigenvalues in the order they appear on the diagonal of T.
    public let eigenvalues: [Eigenvalue]

    public init(_ a: Matrix) throws {
        try a.requireSquareFinite("Schur decomposition")
        let n = a.rows
        var t = a
        var z = Matrix(rows: n, columns: n)
        var wr = [Double](repeating: 0, count: n)
        var wi = [Double](repeating: 0, count: n)
        if n > 0 {
            var sdim: Int32 = 0
            let info = t.withUnsafeMutableBufferPointer { pt in
                z.withUnsafeMutableBufferPointer { pz in
                    LAPACKE_dgees(LAPACK_COL_MAJOR, LAPACK.char("V"), LAPACK.char("N"), nil, Int32(n),
                                  pt.baseAddress, Int32(n), &sdim, &wr, &wi, pz.baseAddress, Int32(n))
                }
            }
            if info > 0 {
                throw LinearAlgebraError.notConverged(
                    operation: "Schur decomposition", detail: "QR algorithm failed (dgees info = \(info))")
            }
            try LAPACK.check(info, "dgees")
        }
        form = t
        vectors = z
        eigenvalues = zip(wr, wi).map { Eigenvalue(real: $0, imaginary: $1) }
    }

    /// Largest real part of the eigenvalues (the spectral abscissa); negative iff A is Hurwitz.
    public var spectralAbscissa: Double { eigenvalues.map(\.real).max() ?? -.infinity }

    /// Largest eigenvalue modulus (the spectral radius); below 1 iff A is Schur-stable.
    public var spectralRadius: Double { eigenvalues.map(\.magnitude).max() ?? 0 }
}

extension Matrix {
    /// Eigenvalues of a general real matrix (LAPACK `dgeev`, no eigenvectors).
    public func eigenvalues() throws -> [Eigenvalue] {
        try requireSquareFinite("eigenvalues")
        let n = rows
        guard n > 0 else { return [] }
        var a = storage
        var wr = [Double](repeating: 0, count: n)
        var wi = [Double](repeating: 0, count: n)
        var vl = [Double](repeating: 0, count: 1)
        var vr = [Double](repeating: 0, count: 1)
        let info = LAPACKE_dgeev(LAPACK_COL_MAJOR, LAPACK.char("N"), LAPACK.char("N"), Int32(n), &a, Int32(n),
                                 &wr, &wi, &vl, 1, &vr, 1)
        if info > 0 {
            throw LinearAlgebraError.notConverged(operation: "eigenvalues", detail: "dgeev info = \(info)")
        }
        try LAPACK.check(info, "dgeev")
        return zip(wr, wi).map { Eigenvalue(real: $0, imaginary: $1) }
    }

    /// Spectral radius max |λᵢ| (from ``eigenvalues()``); below 1 iff the matrix is Schur-stable.
    public func spectralRadius() throws -> Double {
        try eigenvalues().map(\.magnitude).max() ?? 0
    }
}
