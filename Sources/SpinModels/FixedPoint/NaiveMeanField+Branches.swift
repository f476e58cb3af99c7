import LinearAlgebra
import Stochastics

/// Branch counting: how many distinct fixed points m* = φ(x + J m*) the mean-field map has, found by Anderson from
/// several starts (docs/theory/spin-fixed-points.md §3). More than one branch means the map is multistable, and a
/// single mean-field "prediction" is then ambiguous. Anderson may also land on unstable fixed points (ρ > 1), which
/// count as branches too (check each with ``localContraction(at:iterations:)``).
///
/// Cost: one fixed-point solve per start. Reference: the fidelity diagnostics of M. Bal's neqnn code (zero start
/// plus four starts at 0.5·R times random unit vectors, residual ≤ 1e-7, match tolerance 1e-3).
extension NaiveMeanField {
    /// The converged solutions from `starts` (nil = zeros) that are distinct: two solutions are the same branch when
    /// their magnetizations differ by at most `matchTolerance` at every site (worst-site Euclidean distance). The
    /// first solution of each branch is kept, in the order of the starts. Unconverged starts are dropped.
    /// - Throws: a shape error for a start, an option error, or ``SpinModelsError/invalidArgument(_:)`` for a
    ///   negative or non-finite `matchTolerance`.
    public func distinctFixedPoints(starts: [Matrix?], options: FixedPointOptions = FixedPointOptions(maxIterations: 120, tolerance: 1e-10),
                                    matchTolerance: Double = 1e-3) throws(SpinModelsError) -> [FixedPointSolution] {
        guard matchTolerance.isFinite, matchTolerance >= 0 else {
            throw .invalidArgument("branch counting: match tolerance must be finite and ≥ 0, got \(matchTolerance)")
        }
        var options = options
        options.requireConvergence = false
        var branches: [FixedPointSolution] = []
        for start in starts {
            let solution = try fixedPoint(from: start, options: options)
            guard solution.converged else { continue }
            if !branches.contains(where: { Self.worstSiteDistance($0.magnetizations, solution.magnetizations) <= matchTolerance }) {
                branches.append(solution)
            }
        }
        return branches
    }

    /// The starts of the fidelity experiment: all zeros, then `count − 1` points `scale`·R·û_i with û_i independent
    /// uniform unit vectors per site (seeded: start k, site i uses the counter-based normals at (seed, stream i, step k)).
    /// - Throws: ``SpinModelsError/invalidArgument(_:)`` for count < 1, a non-finite scale or D beyond the generator.
    public func branchStarts(count: Int, scale: Double = 0.5, seed: UInt64) throws(SpinModelsError) -> [Matrix?] {
        guard count >= 1 else { throw .invalidArgument("branch counting: need at least one start, got \(count)") }
        guard scale.isFinite else { throw .invalidArgument("branch counting: start scale must be finite, got \(scale)") }
        let n = sites, d = space.dimension
        var starts: [Matrix?] = [nil]
        for k in 1..<count {
            let z: [Double]
            do { z = try CounterRandom.normals(seed: seed, streams: 0..<UInt64(n), step: UInt64(k), dimension: d) }
            catch { throw .invalidArgument("branch counting: \(error)") }
            var m = Matrix(rows: n, columns: d)
            for i in 0..<n {
                var s = 0.0
                for c in 0..<d { s += z[i * d + c] * z[i * d + c] }
                let f = s > 0 ? scale * space.radius / s.squareRoot() : 0
                for c in 0..<d { m[i, c] = f * z[i * d + c] }
            }
            starts.append(m)
        }
        return starts
    }

    /// max_i ‖a_i − b_i‖ over sites (rows).
    static func worstSiteDistance(_ a: Matrix, _ b: Matrix) -> Double {
        var worst = 0.0
        for i in 0..<a.rows {
            var s = 0.0
            for c in 0..<a.columns { let r = a[i, c] - b[i, c]; s += r * r }
            worst = max(worst, s)
        }
        return worst.squareRoot()
    }
}
