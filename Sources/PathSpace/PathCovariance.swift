import LinearAlgebra
import Dynamics

/// Which ends of the path are pinned when the action is expanded about x* (Eq. 16's boundary conditions).
public enum PathBoundary: String, Sendable, CaseIterable, Codable {
    /// x₀ fixed, x_n free: the uncertainty of a prediction.
    case freeEnd
    /// x₀ and x_n fixed: the uncertainty of a plan.
    case dirichlet
}

/// The Gaussian (Laplace) uncertainty of a path about x*: Cov = (∇²S)⁻¹ over the free nodes, i.e. 2D·G of
/// Eq. 17 (docs/theory/path-space.md §4), computed from the band-Cholesky factor without the dense inverse.
public struct PathCovariance: Sendable, Equatable {
    /// Cov[x_n, x_n] (d × d) for a free end; for Dirichlet ends the last free node x_{n−1}.
    public var finalCovariance: Matrix
    /// Var[x_k]_j for k = 0 … n (row-major (n + 1) × d; zero at pinned nodes).
    public var marginalVariances: [Double]
    /// The diagonal blocks Cov[x_k, x_k] (row-major d × d each; zero at pinned nodes).
    public var marginalCovariances: [[Double]]
    /// ln det of the Hessian over the free nodes.
    public var logDeterminant: Double

    public init(finalCovariance: Matrix, marginalVariances: [Double], marginalCovariances: [[Double]], logDeterminant: Double) {
        self.finalCovariance = finalCovariance
        self.marginalVariances = marginalVariances
        self.marginalCovariances = marginalCovariances
        self.logDeterminant = logDeterminant
    }
}

extension OnsagerMachlupAction {
    /// The covariance of paths about `path` (an instanton for `.freeEnd`, a plan for `.dirichlet`).
    public func predictiveCovariance(about path: DiscretePath, boundary: PathBoundary) throws(PathSpaceError) -> PathCovariance {
        throw .notImplemented("predictive covariance")
    }
}
