import CLAPACK

/// Matrix norms. Frobenius through BLAS `dnrm2` (scaled, overflow-safe); 1-, ∞- and max-norms
/// through LAPACK `dlange`; the spectral norm ‖M‖₂ = σ_max(M) from the singular values (`dgesdd`).
extension Matrix {
    /// ‖M‖_F = sqrt(Σ m_ij²).
    public var frobeniusNorm: Double {
        guard !storage.isEmpty else { return 0 }
        return storage.withUnsafeBufferPointer { cblas_dnrm2(Int32($0.count), $0.baseAddress, 1) }
    }

    /// ‖M‖₁: largest absolute column sum.
    public var oneNorm: Double { lange("1") }

    /// ‖M‖_∞: largest absolute row sum.
    public var infinityNorm: Double { lange("I") }

    /// max |m_ij|.
    public var maxAbsEntry: Double { lange("M") }

    private func lange(_ kind: Character) -> Double {
        guard rows > 0, columns > 0 else { return 0 }
        return storage.withUnsafeBufferPointer {
            LAPACKE_dlange(LAPACK_COL_MAJOR, CChar(kind.asciiValue!), Int32(rows), Int32(columns),
                           $0.baseAddress, Int32(rows))
        }
    }

    /// Singular values in decreasing order (LAPACK `dgesdd`, values only).
    public func singularValues() throws -> [Double] {
        try requireFinite("singularValues")
        let k = Swift.min(rows, columns)
        guard k > 0 else { return [] }
        var a = storage
        var s = [Double](repeating: 0, count: k)
        var dummy = [Double](repeating: 0, count: 1)
        var dummy2 = [Double](repeating: 0, count: 1)
        let info = LAPACKE_dgesdd(LAPACK_COL_MAJOR, CChar(UInt8(ascii: "N")), Int32(rows), Int32(columns),
                                  &a, Int32(rows), &s, &dummy, 1, &dummy2, 1)
        try LAPACK.check(info, "dgesdd")
        return s
    }

    /// Spectral norm ‖M‖₂ = largest singular value.
    public func spectralNorm() throws -> Double { try singularValues().first ?? 0 }
}
