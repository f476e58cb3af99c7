/// A symmetric block-tridiagonal matrix: `blockCount` diagonal blocks A_k (each `blockSize` × `blockSize`,
/// symmetric) and the blocks below the diagonal L_k = block (k+1, k); the block above is L_kᵀ.
///
///     ⎡ A₀  L₀ᵀ          ⎤
///     ⎢ L₀  A₁  L₁ᵀ      ⎥
///     ⎢     L₁  A₂  ⋱    ⎥
///     ⎣         ⋱   ⋱    ⎦
///
/// This is the shape of the Hessian of a discretised path action: node k couples only to k ± 1
/// (docs/theory/path-space-inference.md §2). As a band matrix it has 2·blockSize − 1 super-diagonals, which is how it
/// is factored (LAPACK `dpbtrf`, see `BandCholeskyFactorization`).
///
/// Storage: `diagonal[k]` is A_k and `subdiagonal[k]` is L_k (k = 0 … blockCount − 2), each row-major
/// (blockSize · blockSize values); memory O(blockCount · blockSize²).
public struct BlockTridiagonalMatrix: Sendable, Equatable {
    /// The side of each block, d.
    public let blockSize: Int
    /// The number of diagonal blocks, n.
    public let blockCount: Int
    /// A_k, row-major, k = 0 … n − 1.
    public var diagonal: [[Double]]
    /// L_k = block (k+1, k), row-major, k = 0 … n − 2.
    public var subdiagonal: [[Double]]

    /// A zero matrix of `blockCount` blocks of side `blockSize`.
    /// - Throws: ``LinearAlgebraError/invalidShape(detail:)`` when a size is < 1 or the order n·d overflows.
    public init(blockSize: Int, blockCount: Int) throws(LinearAlgebraError) {
        guard blockSize >= 1, blockCount >= 1 else {
            throw .invalidShape(detail: "block-tridiagonal matrix needs blockSize ≥ 1 and blockCount ≥ 1, got \(blockSize) and \(blockCount)")
        }
        let (square, o1) = blockSize.multipliedReportingOverflow(by: blockSize)
        let (_, o2) = square.multipliedReportingOverflow(by: blockCount)
        guard !o1, !o2 else {
            throw .invalidShape(detail: "block-tridiagonal matrix of \(blockCount) blocks of side \(blockSize) is too large")
        }
        self.blockSize = blockSize
        self.blockCount = blockCount
        diagonal = Array(repeating: Array(repeating: 0, count: square), count: blockCount)
        subdiagonal = Array(repeating: Array(repeating: 0, count: square), count: blockCount - 1)
    }

    /// The order n · d of the whole matrix.
    public var order: Int { blockSize * blockCount }
}
