import LinearAlgebra
import ResourceLimits

/// The Laplace covariance from a given Hessian of the path negative log-likelihood.
///
/// P[x] ∝ e^{−S[x]}, so about a minimiser x* the free nodes are Gaussian with covariance H⁻¹, H = ∇²S restricted
/// to the free nodes: in the continuum limit H ↦ M/(2D) with M the Jacobi operator of Eq. 16 and H⁻¹ ↦ 2D·G,
/// the predictive covariance of Eq. 17 (docs/theory/path-space-inference.md §4; Eqs. 15–17 of arXiv:2606.28751). The
/// boundary conditions of Eq. 16 become which block rows and columns are removed: x₀ is pinned in both cases
/// (block 0 goes); a free end keeps block n, whose Hessian row is the discrete natural condition (∂_t − F)η = 0
/// at T; Dirichlet ends remove block n too.
///
/// Algorithm: band Cholesky of H (LAPACK `dpbtrf`, kd = 2d − 1, ≈ 4 n d³ flops), then
/// - ln det H = 2 Σ ln diag of the factor (the fluctuation determinant of Eq. 15, up to the normalisation M₀),
/// - Cov[x_k, x_k] for every free node by the backward selected-inversion recursion on the factor
///   (``BandCholeskyFactorization/inverseDiagonalBlocks(blockSize:)``, ≈ 2.3 n d³), never the dense inverse.
/// Time O(n d³), memory O(n d²).
extension PathCovariance {
    /// The covariance about a path of n + 1 nodes from the Hessian of S over all nodes 0 … n ((n + 1) blocks of
    /// d × d, as ``OnsagerMachlupAction/hessian(of:)`` returns it).
    ///
    /// - Throws: ``PathSpaceError/invalidArgument(_:)`` for too few nodes (a free end needs n ≥ 1, Dirichlet ends
    ///   n ≥ 2) or a malformed Hessian (ragged or asymmetric blocks); ``PathSpaceError/nonFinite(_:)`` for NaN or
    ///   ±∞ in it or in the result; ``PathSpaceError/notPositiveDefinite(_:)`` naming the first node where the
    ///   restricted Hessian stops being positive definite (x* is not a minimum there).
    public init(hessian: BlockTridiagonalMatrix, boundary: PathBoundary) throws(PathSpaceError) {
        let d = hessian.blockSize, nodes = hessian.blockCount
        let minimumNodes = boundary == .dirichlet ? 3 : 2
        guard nodes >= minimumNodes else {
            throw .invalidArgument("path covariance with \(boundary == .dirichlet ? "Dirichlet ends" : "a free end") needs at least \(minimumNodes) path states, got \(nodes)")
        }
        let free = try Self.mapHessianErrors(d) { () throws(LinearAlgebraError) in
            try hessian.removingEndBlocks(first: true, last: boundary == .dirichlet)
        }
        let factor = try Self.mapHessianErrors(d) { () throws(LinearAlgebraError) in
            try BandCholeskyFactorization(free.symmetricBand())
        }
        let blocks = try Self.mapHessianErrors(d) { () throws(LinearAlgebraError) in
            try factor.inverseDiagonalBlocksFlat(blockSize: d)
        }
        let logDet = factor.logDeterminant
        guard logDet.isFinite, blocks.allSatisfy(\.isFinite) else {
            throw .nonFinite("path covariance (the Hessian is too ill-conditioned to invert)")
        }

        // Scatter the free blocks into node order; pinned nodes keep zeros.
        let square = d * d, firstFree = 1, freeCount = free.blockCount
        var covariances = [[Double]](repeating: [Double](repeating: 0, count: square), count: nodes)
        var variances = [Double](repeating: 0, count: nodes * d)
        for f in 0..<freeCount {
            let node = firstFree + f
            let block = Array(blocks[(f * square)..<((f + 1) * square)])
            covariances[node] = block
            for j in 0..<d { variances[node * d + j] = block[j * d + j] }
        }
        let last = firstFree + freeCount - 1
        var final = Matrix(rows: d, columns: d)
        for r in 0..<d { for c in 0..<d { final[r, c] = covariances[last][r * d + c] } }
        self.init(finalCovariance: final, marginalVariances: variances, marginalCovariances: covariances,
                  logDeterminant: logDet)
    }

    /// The bytes that ``OnsagerMachlupAction/predictiveCovariance(about:boundary:budget:)`` allocates for a path of
    /// `nodes` states in `dimension` dimensions: the Hessian (2 blocks a node), its band and band factor (2 × 2d²),
    /// the inverse blocks twice (flat and per node): ≈ 8 d² values a node.
    public static func memoryPlan(nodes: Int, dimension: Int) -> AllocationPlan {
        AllocationPlan("path covariance").adding(.init(nodes, "path states"), .init(dimension, "d"), .init(dimension, "d"),
                                                .init(8, "copies"), .init(8, "bytes"))
    }
}

extension PathCovariance {
    /// Runs `body` on the Hessian restricted to the free nodes 1, 2, … (blocks of side `d`) and turns its
    /// linear-algebra errors into path-space errors. A failed leading minor of order m lies in row m − 1 of the
    /// restricted matrix: node 1 + (m − 1)/d, component (m − 1) mod d.
    static func mapHessianErrors<T>(_ d: Int, _ body: () throws(LinearAlgebraError) -> T) throws(PathSpaceError) -> T {
        do {
            return try body()
        } catch {
            switch error {
            case let .notPositiveDefinite(_, minor):
                throw .notPositiveDefinite(
                    "the Hessian of the action about the path at node \(1 + (minor - 1) / d) (component \((minor - 1) % d)): the path is not a minimum there, so it has no Gaussian covariance")
            case .nonFinite: throw .nonFinite("the Hessian of the action (\(error))")
            default: throw .invalidArgument("path covariance: the Hessian of the action is malformed: \(error)")
            }
        }
    }
}
