import LinearAlgebra

/// Derivatives of the mean-field map g(m) = φ(x + J m) (docs/theory/spin-fixed-points.md §1).
///
/// The single-site response is the mean of an exponential family on the sphere, so its Jacobian is β times the spin
/// covariance (fluctuation–response), for the exact vMF response and, identically, for the large-D closed form:
///
///     ∂φ/∂h (h_i) = β Σ_i = β (τ_i I + δ_i μ_iμ_iᵀ),        μ_i = θ_i/‖θ_i‖,
///
/// (large D: τ = 1/(1 + γ), δ = −‖m‖²/(R²γ), i.e. β(aI − b m mᵀ) = ∂/∂h [βh/(1 + γ)]). Σ_i is symmetric, so
///
///     JVP:  v ↦ (∂g/∂m) v = β Σ ∘ (J v)            VJP:  u ↦ u (∂g/∂m) = Jᵀ (β Σ ∘ u)
///
/// where Σ ∘ w applies Σ_i to row i. The derivatives are taken at the step `state` = step(from: m): its fields θ and
/// its τ, δ. Cost: one N × N × D GEMM plus O(ND) each.
extension NaiveMeanField {
    /// β Σ_i w_i for every site i (the Jacobian of φ at the state's fields applied row-wise; symmetric).
    public func responseJacobianProduct(at state: MeanFieldStep, _ w: Matrix) throws(SpinModelsError) -> Matrix {
        try checkShape(w, "vector")
        try checkState(state)
        var out = w
        let op = SiteCovarianceOperator(state: state, beta: beta)
        out.withUnsafeMutableBufferPointer { o in op.apply(o.baseAddress!) }
        return out
    }

    /// The Jacobian–vector product (∂g/∂m) v = β Σ ∘ (J v) at `state`.
    public func jacobianVectorProduct(at state: MeanFieldStep, _ v: Matrix) throws(SpinModelsError) -> Matrix {
        try checkShape(v, "tangent vector")
        let jv = multiply(.none, v)
        return try responseJacobianProduct(at: state, jv)
    }

    /// The vector–Jacobian product u (∂g/∂m) = Jᵀ (β Σ ∘ u) at `state`.
    public func vectorJacobianProduct(at state: MeanFieldStep, _ u: Matrix) throws(SpinModelsError) -> Matrix {
        let w = try responseJacobianProduct(at: state, u)
        return multiply(.transpose, w)
    }

    /// op(J)·v for an N × D array (one GEMM).
    func multiply(_ trans: BLAS.Transpose, _ v: Matrix) -> Matrix {
        var out = Matrix(rows: sites, columns: space.dimension)
        out.withUnsafeMutableBufferPointer { o in
            v.storage.withUnsafeBufferPointer { vp in
                multiply(trans, vp.baseAddress!, into: o.baseAddress!, accumulate: false)
            }
        }
        return out
    }

    /// out ← op(J) v (+ out when `accumulate`), N × D column-major arrays.
    func multiply(_ trans: BLAS.Transpose, _ v: UnsafePointer<Double>, into out: UnsafeMutablePointer<Double>, accumulate: Bool) {
        let n = sites
        couplings.storage.withUnsafeBufferPointer { j in
            BLAS.gemm(.columnMajor, trans, .none, m: n, n: space.dimension, k: n, alpha: 1,
                      a: j.baseAddress!, lda: n, b: v, ldb: n, beta: accumulate ? 1 : 0, c: out, ldc: n)
        }
    }

    func checkShape(_ v: Matrix, _ name: String) throws(SpinModelsError) {
        guard v.rows == sites, v.columns == space.dimension else {
            throw .dimensionMismatch("\(name) is \(v.rows)×\(v.columns), expected \(sites)×\(space.dimension)")
        }
        guard v.storage.allSatisfy(\.isFinite) else { throw .nonFinite(name) }
    }

    func checkState(_ state: MeanFieldStep) throws(SpinModelsError) {
        guard state.sites == sites, state.fields.columns == space.dimension, state.tangentialVariance.count == sites,
              state.radialExcess.count == sites else {
            throw .dimensionMismatch("mean-field state is \(state.sites)×\(state.fields.columns), expected \(sites)×\(space.dimension)")
        }
    }
}

/// β Σ_i applied row-wise, with the per-site coefficients computed once (for the power and adjoint iterations):
/// out_i = β τ_i v_i + β (δ_i/‖θ_i‖²) θ_i (θ_i·v_i). One scratch array of N; no allocation per application.
final class SiteCovarianceOperator {
    let rows: Int
    let columns: Int
    private let fields: [Double]
    private let tangential: [Double]
    private let radial: [Double]
    private var dots: [Double]

    init(state: MeanFieldStep, beta: Double) {
        rows = state.sites
        columns = state.fields.columns
        fields = state.fields.storage
        var norms = [Double](repeating: 0, count: rows)
        for j in 0..<columns { for i in 0..<rows { let t = fields[i + j * rows]; norms[i] += t * t } }
        tangential = state.tangentialVariance.map { beta * $0 }
        radial = (0..<rows).map { norms[$0] > 0 ? beta * state.radialExcess[$0] / norms[$0] : 0 }
        dots = [Double](repeating: 0, count: rows)
    }

    /// v ← β Σ ∘ v in place (v: rows × columns, column-major).
    func apply(_ v: UnsafeMutablePointer<Double>) {
        let n = rows
        fields.withUnsafeBufferPointer { t in
            dots.withUnsafeMutableBufferPointer { dot in
                for i in 0..<n { dot[i] = 0 }
                for j in 0..<columns {
                    let tc = t.baseAddress! + j * n, vc = v + j * n
                    for i in 0..<n { dot[i] += tc[i] * vc[i] }
                }
                for i in 0..<n { dot[i] *= radial[i] }
                for j in 0..<columns {
                    let tc = t.baseAddress! + j * n, vc = v + j * n
                    for i in 0..<n { vc[i] = tangential[i] * vc[i] + dot[i] * tc[i] }
                }
            }
        }
    }
}
