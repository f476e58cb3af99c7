import CLAPACK

/// Matrix norms. Frobenius through ``euclideanNorm(_:)`` (scaled before squaring, overflow- and
/// underflow-safe); 1-, ∞- and max-norms through LAPACK `dlange`; the spectral norm ‖M‖₂ = σ_max(M)
/// from the singular values (`dgesdd`, which scales internally).
extension Matrix {
    /// ‖M‖_F = sqrt(Σ m_ij²), computed as 2ᵉ‖2⁻ᵉM‖_F (``euclideanNorm(_:)``): finite whenever the
    /// true value is, e.g. 5·10³⁰⁷ for the entries (3·10³⁰⁷, 4·10³⁰⁷) whose squares overflow.
    public var frobeniusNorm: Double { euclideanNorm(storage) }

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

/// The Euclidean norm ‖v‖₂ = sqrt(Σ vᵢ²) without overflow or harmful underflow.
///
/// Squaring overflows once |vᵢ| > 1.3·10¹⁵⁴ and underflows below 1.5·10⁻¹⁵⁴, so the squares are
/// formed only for entries of moderate size. With m = max |vᵢ| and e = ⌊log₂ m⌋:
/// - if 2⁻⁴⁵⁰ ≤ m ≤ 2⁴⁵⁰, BLAS `dnrm2` on v as it is (every square and their sum stay finite);
/// - otherwise 2ᵉ · ‖2⁻ᵉ v‖₂: scaling by a power of two is exact (LAPACK `dlassq`/`dnrm2` use the
///   same idea; Blue, ACM TOMS 4 (1978) 15–23), so the result is finite and correctly rounded to
///   within a few ulps whenever the true norm is representable, and +∞ only when it is not.
/// NaN entries give NaN and ±∞ entries give +∞; an empty vector has norm 0.
public func euclideanNorm(_ v: [Double]) -> Double {
    guard !v.isEmpty else { return 0 }
    var m = 0.0
    for x in v {
        let a = abs(x)
        if a.isNaN { return .nan }
        if a > m { m = a }
    }
    guard m > 0 else { return 0 }
    guard m.isFinite else { return .infinity }
    let moderate = Double(sign: .plus, exponent: -450, significand: 1)...Double(sign: .plus, exponent: 450, significand: 1)
    if moderate.contains(m) {
        return v.withUnsafeBufferPointer { cblas_dnrm2(Int32($0.count), $0.baseAddress, 1) }
    }
    let e = m.exponent
    let scaled = v.map { Double(sign: .plus, exponent: -e, significand: $0) }
    let inner = scaled.withUnsafeBufferPointer { cblas_dnrm2(Int32($0.count), $0.baseAddress, 1) }
    return Double(sign: .plus, exponent: e, significand: inner)
}
