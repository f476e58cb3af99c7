import LinearAlgebra
import Dynamics
import ResourceLimits

/// Which ends of the path are pinned when the action is expanded about x* (Eq. 16's boundary conditions).
public enum PathBoundary: String, Sendable, CaseIterable, Codable {
    /// x₀ fixed, x_n free: the uncertainty of a prediction.
    case freeEnd
    /// x₀ and x_n fixed: the uncertainty of a plan.
    case dirichlet
}

/// The Gaussian (Laplace) uncertainty of a path about x*: Cov = (∇²S)⁻¹ over the free nodes, i.e. 2D·G of
/// Eq. 17 (docs/theory/path-space-inference.md §4), computed from the band-Cholesky factor without the dense inverse.
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
    /// The covariance of paths about `path` (an instanton for `.freeEnd`, a plan for `.dirichlet`): the Hessian
    /// ∇²S about the path (``hessian(of:)``), restricted to the free nodes and inverted blockwise by
    /// ``PathCovariance/init(hessian:boundary:)`` — Cov = H⁻¹ = 2D·G of Eq. 17 (docs/theory/path-space-inference.md §4;
    /// Eqs. 15–17 of arXiv:2606.28751). O(n d³) time, O(n d²) memory.
    ///
    /// - Parameter budget: the memory the run may plan (checked before the Hessian is built).
    /// - Throws: ``PathSpaceError/invalidArgument(_:)`` for a plan over the budget or too few states; the errors
    ///   of ``hessian(of:)`` and ``PathCovariance/init(hessian:boundary:)``
    ///   (``PathSpaceError/notPositiveDefinite(_:)`` naming the node where the path is not a minimum).
    public func predictiveCovariance(about path: DiscretePath, boundary: PathBoundary,
                                     budget: MemoryBudget = .standard) throws(PathSpaceError) -> PathCovariance {
        let nodes = path.steps + 1
        let minimumNodes = boundary == .dirichlet ? 3 : 2
        guard nodes >= minimumNodes else {
            throw .invalidArgument("path covariance with \(boundary == .dirichlet ? "Dirichlet ends" : "a free end") needs at least \(minimumNodes) path states, got \(nodes)")
        }
        do {
            try budget.check(PathCovariance.memoryPlan(nodes: nodes, dimension: path.dimension))
        } catch {
            throw .invalidArgument("\(error)")
        }
        let h = try hessian(of: path)
        guard h.blockCount == nodes, h.blockSize == path.dimension else {
            throw .dimensionMismatch("the Hessian has \(h.blockCount) blocks of side \(h.blockSize), the path \(nodes) states of dimension \(path.dimension)")
        }
        return try PathCovariance(hessian: h, boundary: boundary)
    }
}
