import Dynamics
import LinearAlgebra

/// Multi-step deterministic rollouts of a model against the exact conditional mean of linear data
/// (docs/theory/world-model.md §7, Fig. 3):
///
///     x̂_{k+1} = x̂_k + Δt f_θ(x̂_k),          x̄(t) = E[x_t | x_0] = e^{Bt} x_0
///
/// (for the docs/theory/world-model.md §2 data B = −(γI − ωR90), x̄(t) = e^{−γt} Rot(ωt) x_0). The exact mean at t_k = kΔt is
/// (e^{BΔt})^k x_0 with e^{BΔt} from ``Matrix/exponential()``. The error curve is
///
///     err(t_k) = ⟨|x̂(t_k) − x̄(t_k)|²⟩ / ⟨|x_0|²⟩       (averages over the starts),
///
/// and ``meanError`` is its average over the horizon k = 1 … K.
public struct RolloutComparison: Sendable, Codable, Equatable {
    /// t_k = kΔt, k = 1 … K.
    public var times: [Double]
    /// err(t_k).
    public var error: [Double]
    /// ⟨err⟩ over the horizon.
    public var meanError: Double

    /// Compares `drift`'s Euler rollouts from the `starts` (row-major n × d) with e^{Bt}x_0 for
    /// `steps` steps of Δt.
    /// - Throws: ``WorldModelError`` for a non-square or non-finite B, dimensions that disagree, no
    ///   starts, non-finite starts, steps < 1, a non-positive Δt, starts all at the origin, or a
    ///   rollout that becomes non-finite.
    public init<F: Drift>(drift: F, dataDrift b: Matrix, starts: [Double], timeStep: Double, steps: Int) throws {
        let (means, rollout) = try Self.trajectories(drift: drift, dataDrift: b, starts: starts, timeStep: timeStep, steps: steps)
        let d = b.rows, n = starts.count / d
        var norm0 = 0.0
        for v in starts { norm0 += v * v }
        norm0 /= Double(n)
        guard norm0 > 0 else { throw WorldModelError.invalidArgument(name: "⟨|x₀|²⟩", value: 0, requirement: "> 0") }
        var err = [Double](repeating: 0, count: steps)
        for k in 0..<steps {
            var s = 0.0
            let base = (k + 1) * n * d
            for i in 0..<(n * d) { let r = rollout[base + i] - means[base + i]; s += r * r }
            err[k] = s / Double(n) / norm0
        }
        times = (1...steps).map { Double($0) * timeStep }
        error = err
        meanError = err.reduce(0, +) / Double(steps)
    }

    /// The exact conditional means and the model's deterministic rollouts at k = 0 … K, each
    /// row-major ((K + 1) × n × d): index (k·n + i)·d + j.
    public static func trajectories<F: Drift>(
        drift: F, dataDrift b: Matrix, starts: [Double], timeStep: Double, steps: Int
    ) throws -> (exactMean: [Double], rollout: [Double]) {
        guard b.rows == b.columns else { throw WorldModelError.notSquare(name: "data drift matrix", rows: b.rows, columns: b.columns) }
        guard b.isFinite else { throw WorldModelError.nonFinite(name: "data drift matrix") }
        let d = b.rows
        guard d == drift.dimension else {
            throw WorldModelError.dimensionMismatch(detail: "data drift is \(d)×\(d), the model has d = \(drift.dimension)")
        }
        guard !starts.isEmpty, starts.count % d == 0 else {
            throw WorldModelError.dimensionMismatch(detail: "\(starts.count) start values are not a non-empty set of \(d)-vectors")
        }
        guard starts.allSatisfy(\.isFinite) else { throw WorldModelError.nonFinite(name: "rollout starts") }
        guard steps >= 1 else { throw WorldModelError.invalidCount(name: "rollout steps", value: steps, requirement: "≥ 1") }
        try WorldModelError.requirePositive(timeStep, "time step Δt")
        let n = starts.count / d
        let propagator = try (timeStep * b).exponential()
        var means = [Double](repeating: 0, count: (steps + 1) * n * d)
        var rollout = means
        for i in 0..<(n * d) { means[i] = starts[i]; rollout[i] = starts[i] }
        var ws = drift.makeWorkspace(capacity: n)
        var f = [Double](repeating: 0, count: n * d)
        for k in 0..<steps {
            let cur = k * n * d, next = (k + 1) * n * d
            for i in 0..<n {
                for r in 0..<d {
                    var s = 0.0
                    for c in 0..<d { s += propagator[r, c] * means[cur + i * d + c] }
                    means[next + i * d + r] = s
                }
            }
            rollout.withUnsafeBufferPointer { x in
                f.withUnsafeMutableBufferPointer { y in
                    drift.evaluate(UnsafeBufferPointer(rebasing: x[cur..<(cur + n * d)]), count: n, into: y, workspace: &ws)
                }
            }
            for i in 0..<(n * d) { rollout[next + i] = rollout[cur + i] + timeStep * f[i] }
        }
        guard rollout.allSatisfy(\.isFinite) else { throw WorldModelError.nonFinite(name: "deterministic rollout") }
        return (means, rollout)
    }

    /// JSON keys are snake_case, properties camelCase (docs/api.md).
    enum CodingKeys: String, CodingKey {
        case times, error
        case meanError = "mean_error"
    }
}
