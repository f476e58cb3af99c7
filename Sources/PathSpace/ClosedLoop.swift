import LinearAlgebra

/// The direction a circle is traversed in its plane (e_i, e_j): counter-clockwise turns e_i toward e_j
/// (positive signed area 𝒜_ij), clockwise the other way (docs/theory/odd-work.md §2).
public enum LoopOrientation: String, Sendable, Equatable, CaseIterable {
    case counterClockwise = "counter-clockwise"
    case clockwise
    /// A polygon whose signed area in the reporting plane is exactly 0 (e.g. a figure eight).
    case zeroArea = "zero-area"
}

/// A circle x(θ) = c + r (cos θ e_i ± sin θ e_j), θ ∈ [0, 2π), in the plane of coordinates i and j
/// (+ counter-clockwise, − clockwise).
public struct CircleLoop: Sendable, Equatable {
    public let centre: [Double]
    public let radius: Double
    /// The coordinates (i, j) spanning the plane, i ≠ j.
    public let plane: (Int, Int)
    public let orientation: LoopOrientation

    /// - Throws: ``PathSpaceError`` unless d ≥ 2, the centre is finite, r is finite and > 0, the plane names two
    ///   distinct coordinates in 0..<d and the orientation is counter-clockwise or clockwise.
    public init(centre: [Double], radius: Double, plane: (Int, Int) = (0, 1),
                orientation: LoopOrientation = .counterClockwise) throws(PathSpaceError) {
        let d = centre.count
        guard d >= 2 else { throw .dimensionMismatch("a loop needs d ≥ 2; the centre has \(d) component\(d == 1 ? "" : "s")") }
        guard centre.allSatisfy(\.isFinite) else { throw .nonFinite("circle centre") }
        guard radius.isFinite, radius > 0 else { throw .invalidArgument("circle radius must be finite and > 0, got \(radius)") }
        try Self.checkPlane(plane, dimension: d)
        guard orientation != .zeroArea else { throw .invalidArgument("a circle is counter-clockwise or clockwise") }
        self.centre = centre; self.radius = radius; self.plane = plane; self.orientation = orientation
    }

    /// Throws unless `plane` names two distinct coordinates of ℝᵈ.
    static func checkPlane(_ plane: (Int, Int), dimension d: Int) throws(PathSpaceError) {
        guard (0..<d).contains(plane.0), (0..<d).contains(plane.1), plane.0 != plane.1 else {
            throw .invalidArgument("plane (\(plane.0), \(plane.1)) must name two distinct coordinates in 0…\(d - 1)")
        }
    }

    public static func == (a: CircleLoop, b: CircleLoop) -> Bool {
        a.centre == b.centre && a.radius == b.radius && a.plane == b.plane && a.orientation == b.orientation
    }
}

/// A closed polygon p₀, p₁, …, p_{n−1} = p₀ in ℝᵈ, traversed in the order of its vertices.
public struct PolygonLoop: Sendable, Equatable {
    /// The distinct vertices p₀ … p_{n−2}, row-major (n − 1) × d; the closing edge returns to p₀.
    public let vertices: [Double]
    public let dimension: Int
    /// Number of distinct vertices (= edges), n − 1 ≥ 3.
    public var count: Int { vertices.count / dimension }

    /// Relative closure tolerance: |p_{n−1} − p₀|_∞ ≤ `closureTolerance` · max(1, extent of the loop).
    public static let closureTolerance = 1e-9

    /// The loop from its n × d vertex matrix whose last row repeats the first (within ``closureTolerance``; the
    /// last row is then replaced by the first exactly).
    /// - Throws: ``PathSpaceError`` for d < 2, fewer than 3 distinct vertices (n < 4 rows), non-finite entries,
    ///   or "loop does not close".
    public init(vertices m: Matrix) throws(PathSpaceError) {
        let n = m.rows, d = m.columns
        guard d >= 2 else { throw .dimensionMismatch("a loop needs d ≥ 2 columns, got \(d)") }
        guard n >= 4 else {
            throw .invalidArgument("a loop needs at least 3 distinct vertices plus the closing row (n ≥ 4 rows), got \(n) row\(n == 1 ? "" : "s")")
        }
        guard m.isFinite else { throw .nonFinite("loop vertices") }
        var extent = 0.0, gap = 0.0
        for j in 0..<d {
            var lo = m[0, j], hi = m[0, j]
            for i in 0..<n { lo = min(lo, m[i, j]); hi = max(hi, m[i, j]) }
            extent = max(extent, hi - lo)
            gap = max(gap, abs(m[n - 1, j] - m[0, j]))
        }
        let tolerance = Self.closureTolerance * max(1, extent)
        guard gap <= tolerance else {
            throw .invalidArgument("loop does not close: the last row is \(gap) from the first (max-abs; tolerance \(tolerance))")
        }
        var v = [Double](repeating: 0, count: (n - 1) * d)
        for i in 0..<(n - 1) { for j in 0..<d { v[i * d + j] = m[i, j] } }
        vertices = v
        dimension = d
    }
}

/// A closed loop for ``CycleWork``: a circle (periodic trapezoid rule in θ) or a polygon (Gauss–Legendre per edge).
public enum ClosedLoop: Sendable, Equatable {
    case circle(CircleLoop)
    case polygon(PolygonLoop)

    public var dimension: Int {
        switch self {
        case .circle(let c): return c.centre.count
        case .polygon(let p): return p.dimension
        }
    }
}
