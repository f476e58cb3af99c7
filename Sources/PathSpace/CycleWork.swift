import Foundation
import Dynamics
import LinearAlgebra

/// The odd-elastic work of a drift around a closed loop and the entropy it produces per cycle (Eqs. 23–24 of
/// arXiv:2606.28751; docs/theory/odd-work.md §2):
///
///     W = ∮ f(x)·dx,        Σ_cycle = W / D  (D = s·I)   or   ∮ f(x)ᵀ D⁻¹ dx  (matrix D),
///     𝒜_ij = ½ ∮ (u_i du_j − u_j du_i),   u = x − x₀   (signed area of the projection on the (i, j) plane),
///
/// with x₀ the circle's centre or the polygon's vertex mean. Linearising f ≈ f(x₀) + F u (F = ∇f(x₀)) gives
/// W ≈ −Σ_ij (F_A)_ij 𝒜_ij (``linearisedWork``; Eq. 23 with K = −F): only the antisymmetric (odd) part of the
/// stiffness does work, and a gradient drift does none on any loop.
///
/// **Sign convention.** Loops are traversed counter-clockwise (from e_i toward e_j) unless ``LoopOrientation/clockwise``.
/// For f = −(I + αR90)x, R90 = [[0, −1], [1, 0]], the clockwise unit circle gives W = +2απ and the counter-clockwise
/// one −2απ: W = −2α𝒜₁₂, positive when the loop follows the flow −αR90x.
///
/// **Quadrature.**
/// - Circle: the periodic trapezoid rule in θ with n nodes θ_k = 2πk/n, W ≈ (2π/n) Σ_k f(x(θ_k))·x'(θ_k):
///   spectrally accurate for an analytic f (the error falls like e^{−cn}); exact for the areas (n ≥ 3).
/// - Polygon: n-point Gauss–Legendre on every edge p_k → p_{k+1}, dx = (p_{k+1} − p_k) dt (exact for a
///   polynomial f of degree ≤ 2n − 1); the areas by the shoelace formula ½ Σ_k (u_k,i u_{k+1},j − u_k,j u_{k+1},i),
///   exact.
///
/// Cost: one batched drift evaluation per node (circle n, polygon n·edges), in blocks of 1 024 nodes; O(1 024·d)
/// memory. Sums run in node order on one thread (the same bits for any thread setting).
public struct CycleWork: Sendable, Equatable {
    /// W = ∮ f·dx.
    public let work: Double
    /// W/s for D = s·I, ∮ fᵀ D⁻¹ dx for a matrix D.
    public let entropyPerCycle: Double
    /// 𝒜 (d × d, antisymmetric).
    public let signedAreas: Matrix
    /// −Σ_ij (F_A)_ij 𝒜_ij with F = ∇f(x₀): Eq. 23's prediction from the Jacobian at x₀.
    public let linearisedWork: Double
    /// x₀: the circle's centre or the polygon's vertex mean.
    public let referencePoint: [Double]
    /// The drift evaluations (quadrature nodes) used.
    public let nodes: Int
    /// The circle's orientation, or the polygon's from the sign of 𝒜 in `plane`.
    public let orientation: LoopOrientation
    /// The plane whose orientation is reported.
    public let plane: [Int]

    /// The most quadrature nodes of one circle (bounds the run time: ≈ 1 s of softmax evaluations).
    public static let maximumCircleNodes = 10_000_000
    /// The most nodes of one polygon (edges × nodes per edge).
    public static let maximumPolygonNodes = 10_000_000
    /// Nodes per batched drift call.
    static let block = 1_024

    /// W, Σ_cycle and 𝒜 of `drift` around `loop`.
    /// - Parameters:
    ///   - points: circle: the number of θ nodes (≥ 3); polygon: Gauss–Legendre nodes per edge (≥ 1).
    ///   - plane: the plane whose orientation a polygon reports (a circle reports its own).
    /// - Throws: ``PathSpaceError`` for a loop of another dimension than the drift, a diffusion of another
    ///   dimension, a node count out of range, or a non-finite drift value on the loop.
    public init<F: Drift>(drift f: F, diffusion: Diffusion, loop: ClosedLoop, points: Int,
                          plane: (Int, Int) = (0, 1)) throws(PathSpaceError) {
        let d = f.dimension
        guard loop.dimension == d else {
            throw .dimensionMismatch("the loop lives in d = \(loop.dimension), the drift has dimension \(d)")
        }
        do { try diffusion.requireDimension(d) } catch { throw .dimensionMismatch("\(error)") }
        let inverse = try Self.diffusionInverse(diffusion, dimension: d)
        var sumWork = 0.0, sumEntropy = 0.0
        var areas = Matrix(rows: d, columns: d)
        let x0: [Double], nodes: Int, orientation: LoopOrientation, reported: (Int, Int)
        switch loop {
        case .circle(let c):
            guard points >= 3, points <= Self.maximumCircleNodes else {
                throw .invalidArgument("a circle needs 3…\(Self.maximumCircleNodes) quadrature points, got \(points)")
            }
            x0 = c.centre; nodes = points; orientation = c.orientation; reported = c.plane
            let (i, j) = c.plane, sign = c.orientation == .clockwise ? -1.0 : 1.0, r = c.radius
            let step = 2 * Double.pi / Double(points)
            try Self.integrate(f, count: points, inverse: inverse, work: &sumWork, entropy: &sumEntropy) { k, x, dx in
                let theta = step * Double(k)
                let cs = cos(theta), sn = sin(theta)
                for m in 0..<d { x[m] = c.centre[m]; dx[m] = 0 }
                x[i] += r * cs; x[j] += sign * r * sn
                dx[i] = -r * sn * step; dx[j] = sign * r * cs * step
            }
            // 𝒜_ij = ½ ∮ (u_i du_j − u_j du_i) by the same rule: ½ Σ_k sign r² (cos² + sin²) Δθ, exact for n ≥ 3.
            var a = 0.0
            for k in 0..<points {
                let theta = step * Double(k)
                let ui = r * cos(theta), uj = sign * r * sin(theta)
                let dui = -r * sin(theta) * step, duj = sign * r * cos(theta) * step
                a += 0.5 * (ui * duj - uj * dui)
            }
            areas[i, j] = a; areas[j, i] = -a
        case .polygon(let p):
            let rule: GaussLegendre
            do { rule = try GaussLegendre(nodes: points) } catch { throw .invalidArgument("points per edge: \(error.description)") }
            let edges = p.count
            let (total, overflow) = edges.multipliedReportingOverflow(by: points)
            guard !overflow, total <= Self.maximumPolygonNodes else {
                throw .invalidArgument("\(edges) edges × \(points) points per edge exceeds \(Self.maximumPolygonNodes) quadrature nodes")
            }
            try CircleLoop.checkPlane(plane, dimension: d)
            nodes = total; reported = plane
            var mean = [Double](repeating: 0, count: d)
            for e in 0..<edges { for m in 0..<d { mean[m] += p.vertices[e * d + m] } }
            x0 = mean.map { $0 / Double(edges) }
            let v = p.vertices
            try Self.integrate(f, count: total, inverse: inverse, work: &sumWork, entropy: &sumEntropy) { k, x, dx in
                let e = k / points, q = k % points, next = (e + 1) % edges
                let t = 0.5 * (rule.nodes[q] + 1), w = 0.5 * rule.weights[q]
                for m in 0..<d {
                    let a = v[e * d + m], b = v[next * d + m]
                    x[m] = a + t * (b - a)
                    dx[m] = w * (b - a)
                }
            }
            // Shoelace on u = p − x₀: each straight edge contributes ½ (a_i b_j − a_j b_i) exactly.
            for e in 0..<edges {
                let next = (e + 1) % edges
                for i in 0..<d {
                    for j in (i + 1)..<d {
                        let ai = v[e * d + i] - x0[i], aj = v[e * d + j] - x0[j]
                        let bi = v[next * d + i] - x0[i], bj = v[next * d + j] - x0[j]
                        areas[i, j] += 0.5 * (ai * bj - aj * bi)
                    }
                }
            }
            for i in 0..<d { for j in (i + 1)..<d { areas[j, i] = -areas[i, j] } }
            let a = areas[plane.0, plane.1]
            orientation = a > 0 ? .counterClockwise : (a < 0 ? .clockwise : .zeroArea)
        }
        guard sumWork.isFinite, sumEntropy.isFinite else { throw .nonFinite("work around the loop") }
        work = sumWork
        entropyPerCycle = inverse == nil ? sumWork / diffusion.scale : sumEntropy
        signedAreas = areas
        referencePoint = x0
        self.nodes = nodes
        self.orientation = orientation
        self.plane = [reported.0, reported.1]
        // Eq. 23 at x₀: W ≈ −Σ_ij (F_A)_ij 𝒜_ij.
        let jac: Matrix
        do { jac = try f.jacobian(at: x0) } catch { throw .nonFinite("Jacobian at the loop's reference point: \(error)") }
        var linear = 0.0
        for i in 0..<d { for j in 0..<d { linear -= 0.5 * (jac[i, j] - jac[j, i]) * areas[i, j] } }
        guard linear.isFinite else { throw .nonFinite("Jacobian at the loop's reference point") }
        linearisedWork = linear
    }

    /// D⁻¹ row-major for a matrix D, nil for D = s·I.
    static func diffusionInverse(_ diffusion: Diffusion, dimension d: Int) throws(PathSpaceError) -> [Double]? {
        guard let m = diffusion.matrix else { return nil }
        do {
            let inv = try CholeskyFactorization(m).solve(Matrix.identity(d))
            var out = [Double](repeating: 0, count: d * d)
            for i in 0..<d { for j in 0..<d { out[i * d + j] = inv[i, j] } }
            return out
        } catch {
            throw .notPositiveDefinite("diffusion matrix D: \(error)")
        }
    }

    /// Σ_k f(x_k)·dx_k and Σ_k f(x_k)ᵀ D⁻¹ dx_k over `count` nodes that `node(k, x, dx)` writes (dx already
    /// carries the quadrature weight), evaluated in blocks of ``block``.
    static func integrate<F: Drift>(
        _ f: F, count: Int, inverse: [Double]?, work: inout Double, entropy: inout Double,
        node: (Int, UnsafeMutablePointer<Double>, UnsafeMutablePointer<Double>) -> Void
    ) throws(PathSpaceError) {
        let d = f.dimension, b = Swift.min(block, count)
        var workspace = f.makeWorkspace(capacity: b)
        var x = [Double](repeating: 0, count: b * d), dx = x, y = x
        var start = 0
        var bad: Int?
        while start < count {
            let m = Swift.min(b, count - start)
            x.withUnsafeMutableBufferPointer { xb in
                dx.withUnsafeMutableBufferPointer { db in
                    for k in 0..<m { node(start + k, xb.baseAddress! + k * d, db.baseAddress! + k * d) }
                }
            }
            x.withUnsafeBufferPointer { xb in
                y.withUnsafeMutableBufferPointer { yb in
                    f.evaluate(UnsafeBufferPointer(rebasing: xb[0..<(m * d)]), count: m,
                               into: UnsafeMutableBufferPointer(rebasing: yb[0..<(m * d)]), workspace: &workspace)
                }
            }
            for k in 0..<m {
                var dot = 0.0, weighted = 0.0
                for i in 0..<d {
                    let fi = y[k * d + i]
                    if !fi.isFinite, bad == nil { bad = start + k }
                    dot += fi * dx[k * d + i]
                    if let inverse {
                        var g = 0.0
                        for j in 0..<d { g += inverse[i * d + j] * dx[k * d + j] }
                        weighted += fi * g
                    }
                }
                work += dot
                entropy += weighted
            }
            if let bad {
                let point = (0..<d).map { x[(bad - start) * d + $0] }
                throw .nonFinite("drift at loop node \(bad), x = \(point)")
            }
            start += m
        }
    }
}
