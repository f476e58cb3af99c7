import LinearAlgebra

/// A path on a uniform time grid: the states x₀, x₁, …, x_n at times t_k = k·Δt, x_k ∈ ℝᵈ
/// (docs/theory/path-space-inference.md §1; Eq. 1 of arXiv:2606.28751).
///
/// Storage is row-major (n + 1) × d: component j of x_k is `points[k · d + j]`, the layout of a `.npy`
/// array of shape (n + 1, d).
public struct DiscretePath: Sendable, Equatable {
    /// The state dimension d.
    public let dimension: Int
    /// The time step Δt.
    public let timeStep: Double
    /// x₀ … x_n, row-major (n + 1) × d.
    public var points: [Double]

    /// - Throws: ``PathSpaceError`` when d < 1, the count is not a multiple of d, there are fewer than two
    ///   states, Δt is not finite and positive, or an entry is non-finite.
    public init(points: [Double], dimension: Int, timeStep: Double) throws(PathSpaceError) {
        guard dimension >= 1 else { throw .invalidArgument("path dimension must be ≥ 1, got \(dimension)") }
        guard points.count % dimension == 0 else {
            throw .dimensionMismatch("a path of dimension \(dimension) needs a multiple of \(dimension) values, got \(points.count)")
        }
        guard points.count / dimension >= 2 else {
            throw .invalidArgument("a path needs at least 2 states, got \(points.count / dimension)")
        }
        guard timeStep.isFinite, timeStep > 0 else { throw .invalidArgument("time step must be finite and > 0, got \(timeStep)") }
        guard points.allSatisfy(\.isFinite) else { throw .nonFinite("path states") }
        self.dimension = dimension
        self.timeStep = timeStep
        self.points = points
    }

    /// A path from the rows of an (n + 1) × d matrix.
    public init(matrix: Matrix, timeStep: Double) throws(PathSpaceError) {
        try self.init(points: matrix.transposed.storage, dimension: matrix.columns, timeStep: timeStep)
    }

    /// The number of steps n (the path has n + 1 states).
    public var steps: Int { points.count / dimension - 1 }

    /// The horizon T = n·Δt.
    public var horizon: Double { Double(steps) * timeStep }

    /// x_k.
    public func state(_ k: Int) -> [Double] { Array(points[(k * dimension)..<((k + 1) * dimension)]) }

    /// The path as an (n + 1) × d matrix (for `.npy` output).
    public var matrix: Matrix {
        // The shape always matches the storage, so this cannot throw.
        (try? Matrix(rows: steps + 1, columns: dimension, rowMajor: points)) ?? Matrix(rows: 0, columns: 0)
    }

    /// The time-reversed path x̃_k = x_{n−k} (Eq. 9).
    public var reversed: DiscretePath {
        var out = self
        let d = dimension, n = steps
        for k in 0...n {
            for j in 0..<d { out.points[k * d + j] = points[(n - k) * d + j] }
        }
        return out
    }
}
