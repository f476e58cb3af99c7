import LinearAlgebra

/// The linear drift f(x) = B x of the Ornstein–Uhlenbeck process dx = B x dt + √(2D) dW
/// (the convention of `OrnsteinUhlenbeck(drift:)`; docs/theory/ou-exact.md §3–§4).
///
/// A batch is one matrix product: with the points as the rows of X (n × d, row-major), the
/// drifts are the rows of X·Bᵀ, computed by `BLAS.gemm` (`dgemm`) on the raw buffers in fixed blocks of
/// 16 rows (``RowBlockedProduct``: a point's drift then never depends on the batch size). For d = 2 a
/// hand-written loop replaces the dgemm: a 2 × 2 product per point is far below the size at
/// which BLAS pays for its call overhead (see `Benchmarks/DynamicsBenchmarks`). Each output
/// row depends only on its own input row, so results do not depend on the batch size.
/// The Jacobian is B everywhere.
public struct LinearDrift: Drift {
    /// The drift matrix B (d × d).
    public let matrix: Matrix
    public let dimension: Int
    /// B in row-major order (= Bᵀ column-major), the layout the batched product reads.
    @usableFromInline let rowMajor: [Double]

    /// - Throws: ``DynamicsError`` when B is not square, is 0 × 0, or holds NaN/±Inf.
    public init(matrix: Matrix) throws(DynamicsError) {
        guard matrix.rows == matrix.columns else {
            throw .notSquare(name: "drift matrix B", rows: matrix.rows, columns: matrix.columns)
        }
        guard matrix.rows > 0 else { throw .zeroDimension }
        guard matrix.isFinite else { throw .nonFinite(name: "drift matrix B") }
        self.matrix = matrix
        dimension = matrix.rows
        rowMajor = matrix.transposed.storage
    }

    /// The paper's linear-attention toy f(x) = −W x with W = sI + α R90, R90 = [[0, −1], [1, 0]]
    /// (docs/theory/world-model.md §1; `LinearAttentionToy` with S = sI): B = −(sI + αR90). Exact EP 2α²/s.
    public static func paperToy(alpha: Double, s: Double = 1) throws(DynamicsError) -> LinearDrift {
        try DynamicsError.requireFinite(alpha, "alpha")
        try DynamicsError.requireFinite(s, "s")
        var b = Matrix(rows: 2, columns: 2)
        b[0, 0] = -s; b[1, 1] = -s
        b[0, 1] = alpha; b[1, 0] = -alpha
        return try LinearDrift(matrix: b)
    }

    /// The intervention B → B_S = (B + Bᵀ)/2 (docs/theory/world-model.md §1, P4): a gradient flow, so its
    /// exact EP is 0. For the paper toy this is `paperToy(alpha: 0, s: s)`.
    public func symmetrized() -> LinearDrift {
        // B is square and finite (checked at init), so neither step can fail.
        let bs = (try? matrix.symmetricPart()) ?? matrix
        return (try? LinearDrift(matrix: bs)) ?? self
    }

    public func makeWorkspace(capacity: Int) -> DriftScratch {
        let r = dimension == 2 ? 0 : RowBlockedProduct.rowBlock * dimension
        return DriftScratch(capacity: capacity, padIn: r, padOut: r, scores: 0)
    }

    public func evaluate(
        _ points: UnsafeBufferPointer<Double>, count: Int,
        into output: UnsafeMutableBufferPointer<Double>, workspace: inout DriftScratch
    ) {
        guard count > 0, let x = points.baseAddress, let y = output.baseAddress else { return }
        let d = dimension
        if d == 2 {
            let b00 = rowMajor[0], b01 = rowMajor[1], b10 = rowMajor[2], b11 = rowMajor[3]
            for i in 0..<count {
                let x0 = x[2 * i], x1 = x[2 * i + 1]
                y[2 * i] = b00 * x0 + b01 * x1
                y[2 * i + 1] = b10 * x0 + b11 * x1
            }
            return
        }
        // Y (n×d) = X (n×d) · Bᵀ, with B stored row-major and read transposed; in fixed row
        // blocks so that each row's result does not depend on the batch size.
        rowMajor.withUnsafeBufferPointer { b in
            RowBlockedProduct.multiply(x, rows: count, inner: d, b.baseAddress!, columns: d, transposed: true,
                                       into: y, padIn: workspace.padIn, padOut: workspace.padOut)
        }
    }

    /// F = B (constant). - Throws: ``DynamicsError/dimensionMismatch(detail:)`` for a point of the
    /// wrong length, ``DynamicsError/nonFinite(name:)`` for a non-finite point.
    public func jacobian(at point: [Double]) throws -> Matrix {
        try checkPoint(point, dimension: dimension)
        return matrix
    }
}

/// Throws unless `point` has `dimension` finite components.
func checkPoint(_ point: [Double], dimension: Int) throws(DynamicsError) {
    guard point.count == dimension else {
        throw .dimensionMismatch(detail: "point has \(point.count) components, the drift has dimension \(dimension)")
    }
    guard point.allSatisfy(\.isFinite) else { throw .nonFinite(name: "point") }
}
