import LinearAlgebra

/// Entropy production of the kinetic vector-spin chain and its mean-field proxies (docs/theory/spin-transformers.md
/// §§4–6). All functions take J (N × N) and matrices over site pairs (N × N).
///
/// * Exact steady-state relation: σ = β Σ_ij (J_ij − J_ji) D_ij, with D_ij = ⟨s_{i,t}·s_{j,t−1}⟩ − m_i·m_j the
///   connected delayed correlation traced over the spin components. Only the antisymmetric part of D enters.
/// * Housekeeping EP at a steady state with a symmetric trace product C*: σ_hk = (β²/2) Σ_ij (J_ij − J_ji)² C*_ij ≥ 0,
///   which equals β Σ (J − Jᵀ)∘(βJ∘C*) and vanishes exactly for symmetric J.
/// * Hebbian (stop-gradient) rule: ∂σ/∂J_ij = β(D_ij − D_ji).
/// Cost O(N²) each. Reference: M. Bal (2026); Aguilera, Moosavi & Shimazaki, Nat. Commun. 12, 1197 (2021).
public enum SpinEntropyProduction {
    /// σ = β Σ_ij (J_ij − J_ji) D_ij (the pairwise sum in a fixed order, so the bits do not depend on threads).
    public static func steadyStateRelation(couplings j: Matrix, delayedCorrelation d: Matrix, beta: Double) throws(SpinModelsError) -> Double {
        try checkPair(j, d, "delayed correlation D")
        let n = j.rows
        var s = 0.0
        for b in 0..<n { for a in 0..<n { s += (j[a, b] - j[b, a]) * d[a, b] } }
        return beta * s
    }

    /// σ_hk = (β²/2) Σ_ij (J_ij − J_ji)² C*_ij.
    public static func housekeeping(couplings j: Matrix, traceProduct c: Matrix, beta: Double) throws(SpinModelsError) -> Double {
        try checkPair(j, c, "trace product C*")
        let n = j.rows
        var s = 0.0
        for b in 0..<n { for a in 0..<n { let g = j[a, b] - j[b, a]; s += g * g * c[a, b] } }
        return 0.5 * beta * beta * s
    }

    /// The mean-field delayed correlation of HEAD's form, D = β J ∘ C* (elementwise).
    public static func delayedCorrelation(couplings j: Matrix, traceProduct c: Matrix, beta: Double) throws(SpinModelsError) -> Matrix {
        try checkPair(j, c, "trace product C*")
        var d = j
        d.withUnsafeMutableBufferPointer { p in for k in 0..<p.count { p[k] = beta * p[k] * c.storage[k] } }
        return d
    }

    /// The Hebbian update direction ΔJ = β(D − Dᵀ) = ∂σ/∂J with D held fixed (stop-gradient).
    public static func hebbianUpdate(delayedCorrelation d: Matrix, beta: Double) throws(SpinModelsError) -> Matrix {
        guard d.rows == d.columns else { throw .dimensionMismatch("delayed correlation D must be square, got \(d.rows)×\(d.columns)") }
        let n = d.rows
        var out = Matrix(rows: n, columns: n)
        for b in 0..<n { for a in 0..<n { out[a, b] = beta * (d[a, b] - d[b, a]) } }
        return out
    }

    static func checkPair(_ j: Matrix, _ other: Matrix, _ name: String) throws(SpinModelsError) {
        guard j.rows == j.columns else { throw .dimensionMismatch("couplings J must be square, got \(j.rows)×\(j.columns)") }
        guard other.rows == j.rows, other.columns == j.columns else {
            throw .dimensionMismatch("\(name) is \(other.rows)×\(other.columns), couplings J are \(j.rows)×\(j.columns)")
        }
    }
}
