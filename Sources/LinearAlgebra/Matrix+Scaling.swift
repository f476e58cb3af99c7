/// Exact rescaling by powers of two, the tool for computing scale-invariant quantities (norm ratios,
/// relative residuals) of matrices whose entries are near the ends of the `Double` range.
///
/// Multiplying by 2ᵏ changes only the exponent, so it is exact unless the result leaves the normal
/// range; a ratio such as ‖W_A‖_F / ‖W‖_F is therefore computed bit-for-bit the same on 2⁻ᵉW, whose
/// largest entry lies in [1, 2), without the overflow of ‖W‖_F² (or of ‖W‖_F itself) for huge W and
/// without the underflow of the squares for tiny W.
extension Matrix {
    /// e = ⌊log₂ max |m_ij|⌋, so that 2⁻ᵉM has its largest entry in [1, 2); `nil` for an empty or zero
    /// matrix, or one with a non-finite entry (nothing to scale).
    public var magnitudeExponent: Int? {
        var m = 0.0
        for x in storage {
            guard x.isFinite else { return nil }
            m = Swift.max(m, abs(x))
        }
        return m > 0 ? m.exponent : nil
    }

    /// 2ᵏ M, entry by entry (exact unless an entry over- or underflows).
    public func scaled(byPowerOfTwo k: Int) -> Matrix {
        guard k != 0 else { return self }
        var r = self
        for i in r.storage.indices { r.storage[i] = Double(sign: .plus, exponent: k, significand: r.storage[i]) }
        return r
    }

    /// 2⁻ᵉM with e = ``magnitudeExponent`` (largest entry in [1, 2)) and the exponent e; a zero,
    /// empty or non-finite matrix is returned unchanged with e = 0.
    public var normalizedByMagnitude: (matrix: Matrix, exponent: Int) {
        guard let e = magnitudeExponent else { return (self, 0) }
        return (scaled(byPowerOfTwo: -e), e)
    }
}

/// 2ᵏ as a `Double` (0 below the subnormal range, +∞ above the largest finite value).
@inline(__always)
func powerOfTwo(_ k: Int) -> Double { Double(sign: .plus, exponent: k, significand: 1) }

extension Matrix {
    /// (2⁻ᵉM, e) for a term of a sum whose scale is set by its largest term; a zero matrix gets
    /// e = −2¹⁶, far below any `Double` exponent, so that it never sets the scale (its own scaling is moot).
    var termScaling: (matrix: Matrix, exponent: Int) {
        guard let e = magnitudeExponent else { return (self, -(1 << 16)) }
        return (scaled(byPowerOfTwo: -e), e)
    }
}
