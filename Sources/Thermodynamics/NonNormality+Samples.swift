import LinearAlgebra

/// The non-normality index N of Eq. 29 of arXiv:2606.28751 over state samples of a nonlinear drift
/// (docs/theory/odd-work.md §4, docs/theory/world-model.md §5 c):
///
///     N = ⟨‖J_A(x)‖_F⟩_p / ⟨‖∇f(x)‖_F⟩_p          (primary: the ratio of p-averages, ``index``)
///     N_ratio = ⟨‖J_A(x)‖_F / ‖∇f(x)‖_F⟩_p         (the p-average of the ratio, ``meanRatio``)
///     N_mean = ‖⟨∇f⟩_A‖_F / ‖⟨∇f⟩‖_F               (of the averaged Jacobian, ``meanJacobian``: PathThermo's index
///                                                   before issue 15)
///
/// with J_A = (∇f − ∇fᵀ)/2 and the averages over the given samples x ~ p. All three lie in [0, 1] because
/// ‖F‖²_F = ‖F_S‖²_F + ‖J_A‖²_F, and they coincide for a linear drift (constant ∇f). They differ when ∇f varies:
/// N_mean lets antisymmetric parts of opposite sign cancel across the state space (a symmetrized attention model
/// whose pointwise J_A = (β/2)[C(x), W_S] averages to ≈ 0 has N_mean ≈ 0 but N > 0), while N and N_ratio measure the
/// local circulation wherever it is. A sample with ∇f = 0 adds 0 to both sums of N and counts as 0 in N_ratio
/// (the zero matrix is symmetric, as in ``NonNormality``).
///
/// Cost O(n d²) for n samples; the sums run in sample order (the same bits for any thread setting of the caller).
public struct SampledNonNormality: Sendable, Equatable {
    /// N = ⟨‖J_A‖_F⟩ / ⟨‖∇f‖_F⟩ (primary).
    public let index: Double
    /// ⟨‖J_A‖_F / ‖∇f‖_F⟩.
    public let meanRatio: Double
    /// ⟨∇f⟩ and its indices (``NonNormality``: ``NonNormality/antisymmetricRatio`` is N_mean).
    public let meanJacobian: Matrix
    public let meanJacobianIndices: NonNormality
    /// The number of samples.
    public let samples: Int

    /// N, N_ratio and N_mean from `count` Jacobians stored row-major d × d one after the other.
    /// - Throws: ``ThermodynamicsError`` for no samples, a buffer of the wrong size or non-finite entries; the
    ///   errors of ``NonNormality/init(_:)`` for ⟨∇f⟩.
    public init(jacobians: [Double], dimension d: Int) throws {
        guard d > 0, !jacobians.isEmpty, jacobians.count % (d * d) == 0 else {
            throw ThermodynamicsError.dimensionMismatch(detail: "non-normality samples: \(jacobians.count) values are not a non-empty set of \(d)×\(d) Jacobians")
        }
        guard jacobians.allSatisfy(\.isFinite) else { throw ThermodynamicsError.invalidArgument(name: "non-normality samples", detail: "Jacobian entries must be finite") }
        let n = jacobians.count / (d * d)
        var sumA = 0.0, sumF = 0.0, sumRatio = 0.0
        var mean = [Double](repeating: 0, count: d * d)
        for s in 0..<n {
            let base = s * d * d
            // ‖F‖_F and ‖J_A‖_F scaled by the largest entry (no overflow or underflow of the squares).
            var scale = 0.0
            for e in 0..<(d * d) { scale = Swift.max(scale, abs(jacobians[base + e])); mean[e] += jacobians[base + e] }
            guard scale > 0 else { continue }
            var f2 = 0.0, a2 = 0.0
            for i in 0..<d {
                for j in 0..<d {
                    let fij = jacobians[base + i * d + j] / scale, fji = jacobians[base + j * d + i] / scale
                    f2 += fij * fij
                    let a = 0.5 * (fij - fji)
                    a2 += a * a
                }
            }
            let normF = scale * f2.squareRoot(), normA = scale * a2.squareRoot()
            sumF += normF; sumA += normA
            sumRatio += normA / normF
        }
        let m = try Matrix(rows: d, columns: d, rowMajor: mean.map { $0 / Double(n) })
        meanJacobian = m
        meanJacobianIndices = try NonNormality(m)
        index = sumF > 0 ? sumA / sumF : 0
        meanRatio = sumRatio / Double(n)
        samples = n
        guard index.isFinite, meanRatio.isFinite else { throw ThermodynamicsError.invalidArgument(name: "non-normality index", detail: "not finite (Jacobian norms overflow)") }
    }
}
