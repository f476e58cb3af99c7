import LinearAlgebra

/// The orthogonal split of an N × N delayed-correlation error E used by the fidelity figure
/// (docs/theory/spin-fidelity.md §4). With A = J − Jᵀ and Â = A/‖A‖_F,
///
///     E = E_sym + E_⊥ + E_∥,   E_sym = (E + Eᵀ)/2,   E_∥ = ⟨E, Â⟩ Â,   E_⊥ = (E − Eᵀ)/2 − E_∥ ,
///
/// three mutually orthogonal parts (Frobenius inner product). Only E_∥ changes σ = β Σ_ij A_ij D_ij = β⟨A, D⟩:
/// the symmetric part is invisible to σ because A is antisymmetric, and E_⊥ by construction. (For symmetric J, A = 0
/// and E_∥ = 0.) Cost O(N²) per part. Reference: the neqnn fidelity experiment (M. Bal 2026).
public struct DelayedCorrelationSplit: Sendable {
    /// The names of the parts, in the order of ``parts``.
    public enum Part: String, CaseIterable, Sendable, Codable {
        case symmetric
        case antisymmetricOrthogonal = "antisymmetric_orthogonal"
        case projection
    }

    /// N.
    public let sites: Int
    /// Â = (J − Jᵀ)/‖J − Jᵀ‖_F, column-major N × N (all zero for symmetric J).
    public let direction: [Double]

    public init(couplings j: Matrix) {
        let n = j.rows
        sites = n
        var a = [Double](repeating: 0, count: n * n)
        for col in 0..<n { for row in 0..<n { a[row + col * n] = j[row, col] - j[col, row] } }
        let norm = a.reduce(0) { $0 + $1 * $1 }.squareRoot()
        direction = norm > 0 ? a.map { $0 / norm } : a
    }

    /// The part of a column-major N × N matrix `e` (flattened).
    public func part(_ p: Part, of e: [Double]) -> [Double] {
        let n = sites
        var out = [Double](repeating: 0, count: n * n)
        switch p {
        case .symmetric:
            for col in 0..<n { for row in 0..<n { out[row + col * n] = 0.5 * (e[row + col * n] + e[col + row * n]) } }
        case .projection:
            let c = zip(e, direction).reduce(0) { $0 + $1.0 * $1.1 }
            for k in 0..<out.count { out[k] = c * direction[k] }
        case .antisymmetricOrthogonal:
            let c = zip(e, direction).reduce(0) { $0 + $1.0 * $1.1 }
            for col in 0..<n {
                for row in 0..<n {
                    let k = row + col * n
                    out[k] = 0.5 * (e[k] - e[col + row * n]) - c * direction[k]
                }
            }
        }
        return out
    }
}
