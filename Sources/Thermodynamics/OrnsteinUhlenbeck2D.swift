import LinearAlgebra
import Parallel

/// Closed-form thermodynamics of 2-D OU processes, allocation-free, and its batched API.
///
/// For 2×2 B (Hurwitz: tr B < 0, det B > 0) and D (SPD), Σ is the closed-form Lyapunov solution of
/// ``Lyapunov2x2`` (docs/theory/ou-exact.md §2). The current matrix is M = (BΣ − ΣBᵀ)/2 = m·𝐉
/// with 𝐉 = [[0, 1], [−1, 0]] and m = ((BΣ)₁₂ − (BΣ)₂₁)/2. For a 2×2 symmetric S, 𝐉ᵀ S 𝐉 = det(S) S⁻¹, so
///
///     σ = tr(Mᵀ D⁻¹ M Σ⁻¹) = m² · tr(D Σ⁻¹) / det D = m² · tr(D · adj Σ) / (det D · det Σ),
///
/// a cancellation-free positive expression. With isotropic D it reduces to σ = (b₁₂ − b₂₁)² / (−tr B),
/// independent of D (docs/theory/ou-exact.md §4–§5).
public enum OrnsteinUhlenbeck2D {
    /// Why a 2-D model was rejected, or `nil` if B is Hurwitz, D is SPD and all entries are finite.
    @inlinable
    public static func validationFailure(drift b: Matrix2x2, diffusion d: Matrix2x2) -> String? {
        guard b.isFinite, d.isFinite else { return "non-finite entries" }
        guard b.trace < 0, b.determinant > 0 else {
            return "drift is not stable (tr B = \(b.trace), det B = \(b.determinant)): no stationary state exists"
        }
        guard d.a12 == d.a21 || abs(d.a12 - d.a21) <= 1e-10 * Swift.max(abs(d.a12), abs(d.a21)) else {
            return "diffusion matrix is not symmetric"
        }
        guard d.a11 > 0, d.determinant > 0 else { return "diffusion matrix is not positive definite" }
        return nil
    }

    /// Stationary covariance Σ solving B Σ + Σ Bᵀ + 2D = 0 (caller has validated B and D).
    @inlinable
    public static func stationaryCovariance(drift b: Matrix2x2, diffusion d: Matrix2x2) -> Matrix2x2 {
        let tau = b.trace, delta = b.determinant
        let shifted = Matrix2x2(b.a11 - tau, b.a12, b.a21, b.a22 - tau)
        let twoD = 2 * d
        return (1 / (-2 * tau * delta)) * (delta * twoD + shifted * twoD * shifted.transposed)
    }

    /// σ for a validated 2-D model (no checks; see ``entropyProductionRate(drift:diffusion:)``).
    @inlinable
    public static func unsafeEntropyProductionRate(drift b: Matrix2x2, diffusion d: Matrix2x2) -> Double {
        let s = stationaryCovariance(drift: b, diffusion: d)
        let bs = b * s
        let m = (bs.a12 - bs.a21) / 2
        // tr(D · adj Σ) with adj Σ = [[s22, −s12], [−s21, s11]].
        let trDAdjS = d.a11 * s.a22 - d.a12 * s.a21 - d.a21 * s.a12 + d.a22 * s.a11
        return m * m * trDAdjS / (d.determinant * s.determinant)
    }

    /// σ of one 2-D model, validated.
    public static func entropyProductionRate(drift b: Matrix2x2, diffusion d: Matrix2x2) throws -> Double {
        if let reason = validationFailure(drift: b, diffusion: d) {
            throw ThermodynamicsError.invalidArgument(name: "2-D OU model", detail: reason)
        }
        return unsafeEntropyProductionRate(drift: b, diffusion: d)
    }

    /// σ for many drifts sharing one diffusion matrix, split over `threads` workers (≤ 0: all cores).
    /// The result does not depend on `threads`.
    /// - Throws: ``ThermodynamicsError/batchElement(index:reason:)`` for the first invalid element.
    public static func entropyProductionRates(
        drifts: [Matrix2x2], diffusion: Matrix2x2, threads: Int = 0
    ) throws -> [Double] {
        try entropyProductionRates(count: drifts.count, threads: threads) { (drifts[$0], diffusion) }
    }

    /// σ for many (drift, diffusion) pairs.
    public static func entropyProductionRates(
        drifts: [Matrix2x2], diffusions: [Matrix2x2], threads: Int = 0
    ) throws -> [Double] {
        guard drifts.count == diffusions.count else {
            throw ThermodynamicsError.dimensionMismatch(detail: "\(drifts.count) drifts but \(diffusions.count) diffusion matrices")
        }
        return try entropyProductionRates(count: drifts.count, threads: threads) { (drifts[$0], diffusions[$0]) }
    }

    private static func entropyProductionRates(
        count: Int, threads: Int, _ model: @Sendable (Int) -> (Matrix2x2, Matrix2x2)
    ) throws -> [Double] {
        for k in 0..<count {
            let (b, d) = model(k)
            if let reason = validationFailure(drift: b, diffusion: d) {
                throw ThermodynamicsError.batchElement(index: k, reason: reason)
            }
        }
        var out = [Double](repeating: 0, count: count)
        out.withUnsafeMutableBufferPointer { buffer in
            let sink = UnsafeSendableBuffer(buffer)
            ParallelFor.chunks(count: count, threads: threads) { range in
                for k in range {
                    let (b, d) = model(k)
                    sink[k] = unsafeEntropyProductionRate(drift: b, diffusion: d)
                }
            }
        }
        return out
    }
}
