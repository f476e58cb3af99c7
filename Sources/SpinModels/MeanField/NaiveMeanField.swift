#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import LinearAlgebra

/// The first-order Plefka[t−1, t] ("naive") mean-field dynamics of vector spins on spheres of radius R
/// (docs/theory/spin-transformers.md §3):
///
///     θ_{i,t} = x_i + Σ_j J_ij m_{j,t−1},     m_{i,t} = φ(θ_{i,t}) = βθ_{i,t} / (1 + √(1 + β²‖θ_{i,t}‖²/R²)),
///
/// one attention-like update with the previous magnetizations as the values. J is N × N (row-stochastic for softmax
/// attention, generally asymmetric), x is N × D. Cost per step: one GEMM (2N²D flops) plus O(ND).
/// Reference: M. Bal (2026); Aguilera, Moosavi & Shimazaki, Nat. Commun. 12, 1197 (2021) for the binary template.
public struct NaiveMeanField: Sendable {
    /// J, N × N.
    public let couplings: Matrix
    /// x, N × D.
    public let inputs: Matrix
    /// β > 0.
    public let beta: Double
    /// The sphere (D, R).
    public let space: SpinSpace
    /// The single-site response: large-D φ (default) or exact vMF.
    public let response: SpinResponse

    /// - Throws: ``SpinModelsError`` for a non-square J, an x whose shape is not N × D, β ≤ 0, non-finite entries.
    public init(couplings: Matrix, inputs: Matrix, beta: Double, space: SpinSpace,
                response: SpinResponse = .largeDimension) throws(SpinModelsError) {
        guard couplings.rows == couplings.columns else {
            throw .dimensionMismatch("couplings J must be square, got \(couplings.rows)×\(couplings.columns)")
        }
        guard couplings.rows > 0 else { throw .invalidArgument("couplings J are empty (0 sites)") }
        guard inputs.rows == couplings.rows else {
            throw .dimensionMismatch("inputs have \(inputs.rows) sites (rows), couplings J have \(couplings.rows)")
        }
        guard inputs.columns == space.dimension else {
            throw .dimensionMismatch("inputs have \(inputs.columns) components per site, the spin dimension D is \(space.dimension)")
        }
        try SpinSpace.checkBeta(beta)
        guard couplings.storage.allSatisfy(\.isFinite) else { throw .nonFinite("couplings J") }
        guard inputs.storage.allSatisfy(\.isFinite) else { throw .nonFinite("inputs x") }
        self.couplings = couplings
        self.inputs = inputs
        self.beta = beta
        self.space = space
        self.response = response
    }

    /// The number of sites N.
    public var sites: Int { couplings.rows }

    /// θ = x + J m for magnetizations m (N × D).
    public func fields(magnetizations m: Matrix) throws(SpinModelsError) -> Matrix {
        guard m.rows == sites, m.columns == space.dimension else {
            throw .dimensionMismatch("magnetizations are \(m.rows)×\(m.columns), expected \(sites)×\(space.dimension)")
        }
        var theta = inputs
        theta.withUnsafeMutableBufferPointer { t in
            couplings.storage.withUnsafeBufferPointer { j in
                m.storage.withUnsafeBufferPointer { mm in
                    BLAS.gemm(.columnMajor, .none, .none, m: sites, n: space.dimension, k: sites, alpha: 1,
                              a: j.baseAddress!, lda: sites, b: mm.baseAddress!, ldb: sites,
                              beta: 1, c: t.baseAddress!, ldc: sites)
                }
            }
        }
        return theta
    }

    /// One mean-field step from the previous magnetizations: θ = x + J m_prev, m = φ(θ) (or the exact vMF mean).
    public func step(from previous: Matrix) throws(SpinModelsError) -> MeanFieldStep {
        let theta = try fields(magnetizations: previous)
        switch response {
        case .largeDimension: return try space.response(fields: theta, beta: beta)
        case .exact: return try space.exactResponse(fields: theta, beta: beta)
        }
    }
}
