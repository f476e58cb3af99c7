import LinearAlgebra

/// A reference Jacobian of any drift by Richardson-extrapolated central differences (Ridders' method), accurate
/// enough to check an analytic Jacobian to ≈ 10⁻¹³ (docs/theory/odd-work.md §3).
///
/// **Algorithm.** Column j of F(x) = ∇f(x) is the limit h → 0 of the central difference
/// D(h) = (f(x + h e_j) − f(x − h e_j)) / (2h) = F e_j + c₂h² + c₄h⁴ + …. Ridders' tableau (Numerical Recipes
/// §5.7, `dfridr`) evaluates D at h₀, h₀/1.4, h₀/1.4², … (up to 10 steps) and eliminates the even powers of h one
/// order per tableau column, so entry (k, i) has truncation error O(h_i^{2k+2}); each new entry's error is
/// estimated by its distance to its two parents, the best estimate is kept, and the tableau stops once the
/// diagonal grows by more than twice the best estimate (rounding, ≈ ε‖f‖/h, has taken over). Because the safe
/// starting step depends on how fast f curves, the tableau runs for five starting steps
/// h₀ = s·max(1, |x_j|), s ∈ {0.4, 0.2, 0.1, 0.05, 0.025}, and the column with the smallest error estimate wins.
///
/// Tested (`JacobianSplitTests`): max |F_fd − F| ≤ 10⁻¹² on the softmax toy (β = 2, α ≤ 3) and on a d = 3, M = 6
/// attention; a linear drift is differentiated exactly up to rounding. The error estimate is reported so that a
/// drift curving much faster than these (where the fixed starting steps are too coarse) shows it.
///
/// Cost: ≤ 5 · 10 · 2 = 100 drift evaluations per column, 100·d per point, no allocation beyond O(d²).
public struct FiniteDifferenceJacobian: Sendable, Equatable {
    /// The extrapolated Jacobian F_ij ≈ ∂f_i/∂x_j.
    public let jacobian: Matrix
    /// The largest of the per-column error estimates of the tableau (max-abs over the column's entries).
    public let errorEstimate: Double

    /// The starting steps s of h₀ = s·max(1, |x_j|), largest first.
    public static let startingSteps: [Double] = [0.4, 0.2, 0.1, 0.05, 0.025]
    /// The step shrink factor of the tableau and its maximum size.
    static let shrink = 1.4, tableauSize = 10

    /// The reference Jacobian of `f` at `point`.
    /// - Throws: ``DynamicsError/dimensionMismatch(detail:)`` for a point of the wrong length,
    ///   ``DynamicsError/nonFinite(name:)`` for a non-finite point or a non-finite drift value near it.
    public init<F: Drift>(of f: F, at point: [Double]) throws(DynamicsError) {
        try checkPoint(point, dimension: f.dimension)
        let d = f.dimension
        var workspace = f.makeWorkspace(capacity: 1)
        var x = point
        var plus = [Double](repeating: 0, count: d), minus = plus
        var firstError: DynamicsError?
        /// D(h) for column j: the central difference over the step actually taken.
        func difference(_ j: Int, _ h: Double) -> [Double] {
            let up = point[j] + h, down = point[j] - h
            x[j] = up
            x.withUnsafeBufferPointer { xp in plus.withUnsafeMutableBufferPointer { f.evaluate(xp, count: 1, into: $0, workspace: &workspace) } }
            x[j] = down
            x.withUnsafeBufferPointer { xp in minus.withUnsafeMutableBufferPointer { f.evaluate(xp, count: 1, into: $0, workspace: &workspace) } }
            x[j] = point[j]
            if !(plus.allSatisfy(\.isFinite) && minus.allSatisfy(\.isFinite)), firstError == nil {
                firstError = .nonFinite(name: "drift value within \(h) of the point along coordinate \(j)")
            }
            let width = up - down
            return (0..<d).map { (plus[$0] - minus[$0]) / width }
        }
        var jac = Matrix(rows: d, columns: d)
        var worst = 0.0
        for j in 0..<d {
            var best: (column: [Double], error: Double)?
            for s in Self.startingSteps {
                let h0 = s * Swift.max(1, abs(point[j]))
                let candidate = Self.tableau(h0) { difference(j, $0) }
                if best == nil || candidate.error < best!.error { best = candidate }
            }
            if let firstError { throw firstError }
            for i in 0..<d { jac[i, j] = best!.column[i] }
            worst = Swift.max(worst, best!.error)
        }
        jacobian = jac
        errorEstimate = worst
    }

    /// Ridders' tableau from the starting step `h0`: the best extrapolated column and its error estimate.
    static func tableau(_ h0: Double, _ difference: (Double) -> [Double]) -> (column: [Double], error: Double) {
        let n = tableauSize, c2 = shrink * shrink
        func gap(_ a: [Double], _ b: [Double]) -> Double {
            var m = 0.0
            for i in a.indices { m = Swift.max(m, abs(a[i] - b[i])) }
            return m
        }
        var previous: [[Double]] = [difference(h0)]
        var answer = previous[0], error = Double.greatestFiniteMagnitude
        var h = h0
        for _ in 1..<n {
            h /= shrink
            var current: [[Double]] = [difference(h)]
            var factor = c2
            for k in 1...previous.count {
                let a = current[k - 1], b = previous[k - 1]
                current.append(a.indices.map { (a[$0] * factor - b[$0]) / (factor - 1) })
                factor *= c2
                let estimate = Swift.max(gap(current[k], current[k - 1]), gap(current[k], previous[k - 1]))
                if estimate <= error { error = estimate; answer = current[k] }
            }
            // Higher order is worse by a significant factor: rounding dominates, stop.
            if gap(current[previous.count], previous[previous.count - 1]) >= 2 * error { break }
            previous = current
        }
        return (answer, error)
    }
}
