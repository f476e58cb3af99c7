import Dynamics
import LinearAlgebra
import Stochastics

/// Training data for the world model: transition pairs (x_k, u_k = Δx_k/Δt) of sampled rollouts
/// (docs/theory/world-model.md §2), row-major `count × dimension`, grouped by rollout in rollout order.
public struct TransitionData: Sendable, Equatable {
    /// State dimension d.
    public let dimension: Int
    /// Spacing Δt of the recorded states.
    public let timeStep: Double
    /// x_k, row-major (count × d).
    public let points: [Double]
    /// u_k = (x_{k+1} − x_k)/Δt, row-major (count × d).
    public let targets: [Double]
    /// Number of pairs contributed by each rollout, in order.
    public let rolloutPairCounts: [Int]

    /// Number of pairs n.
    public var count: Int { points.count / dimension }

    /// - Throws: ``WorldModelError`` for d < 1, Δt not finite and positive, arrays whose lengths
    ///   disagree (with each other, with d, or with the rollout counts), or non-finite values.
    public init(dimension: Int, timeStep: Double, points: [Double], targets: [Double], rolloutPairCounts: [Int]) throws(WorldModelError) {
        guard dimension >= 1 else { throw .zeroDimension }
        try WorldModelError.requirePositive(timeStep, "time step Δt")
        guard points.count == targets.count, points.count % dimension == 0,
              rolloutPairCounts.allSatisfy({ $0 >= 0 }),
              rolloutPairCounts.reduce(0, +) * dimension == points.count else {
            throw .dimensionMismatch(detail: "\(points.count) point values, \(targets.count) target values, d = \(dimension), "
                + "\(rolloutPairCounts.reduce(0, +)) pairs in the rollout counts")
        }
        guard points.allSatisfy(\.isFinite) else { throw .nonFinite(name: "points") }
        guard targets.allSatisfy(\.isFinite) else { throw .nonFinite(name: "targets") }
        self.dimension = dimension
        self.timeStep = timeStep
        self.points = points
        self.targets = targets
        self.rolloutPairCounts = rolloutPairCounts
    }

    /// The data drift of docs/theory/world-model.md §2 in d ≥ 2 dimensions: B = −(γI − ωR90) with R90 = [[0, −1], [1, 0]]
    /// acting in the first coordinate plane (x₀, x₁); the other coordinates relax at rate γ.
    /// Its eigenvalues are −γ ± iω (and −γ), so it is stable iff γ > 0; true EP 2ω²/γ for any D (docs/theory/ou-exact.md §3–§4).
    /// - Throws: ``WorldModelError`` for d < 2, non-finite γ or ω, or γ ≤ 0 (unstable data).
    public static func rotationalDriftMatrix(gamma: Double, omega: Double, dimension: Int = 2) throws(WorldModelError) -> Matrix {
        guard dimension >= 2 else { throw .invalidCount(name: "dimension", value: dimension, requirement: "≥ 2") }
        try WorldModelError.requireFinite(gamma, "gamma")
        try WorldModelError.requireFinite(omega, "omega")
        guard gamma > 0 else { throw .unstableDrift(spectralAbscissa: -gamma) }
        var b = Matrix(rows: dimension, columns: dimension)
        for i in 0..<dimension { b[i, i] = -gamma }
        b[0, 1] = -omega
        b[1, 0] = omega
        return b
    }

    /// Samples the linear data process dx = B x dt + √(2D) dW with the Euler–Maruyama engine
    /// (``EulerMaruyama``, from the origin, `burnIn` unrecorded steps, then `steps` recorded states
    /// per rollout, each rollout giving steps − 1 pairs).
    /// - Throws: ``WorldModelError/unstableDrift(spectralAbscissa:)`` when B has an eigenvalue with
    ///   real part ≥ 0, ``WorldModelError/nonFinite(name:)`` for a non-finite B, and the engine's
    ///   ``DynamicsError``s (Δt, D, counts).
    public static func simulate(
        driftMatrix b: Matrix, diffusion: Double, timeStep: Double, rollouts: Int, steps: Int, burnIn: Int,
        seed: UInt64, threads: Int = 0
    ) throws -> TransitionData {
        guard b.rows == b.columns else { throw WorldModelError.notSquare(name: "drift matrix", rows: b.rows, columns: b.columns) }
        guard b.rows >= 1 else { throw WorldModelError.zeroDimension }
        guard b.isFinite else { throw WorldModelError.nonFinite(name: "drift matrix") }
        let abscissa = try b.eigenvalues().map(\.real).max() ?? 0
        guard abscissa < 0 else { throw WorldModelError.unstableDrift(spectralAbscissa: abscissa) }
        return try simulate(drift: LinearDrift(matrix: b), diffusion: diffusion, timeStep: timeStep,
                            rollouts: rollouts, steps: steps, burnIn: burnIn, seed: seed, threads: threads)
    }

    /// Samples dx = f(x) dt + √(2D) dW for any ``Drift`` (e.g. a built-in softmax drift or a
    /// trained model's ``AttentionWorldModel/drift``) and keeps the transition pairs.
    /// - Throws: the engine's ``DynamicsError``s (including a diverging rollout).
    public static func simulate<F: Drift>(
        drift: F, diffusion: Double, timeStep: Double, rollouts: Int, steps: Int, burnIn: Int,
        seed: UInt64, threads: Int = 0
    ) throws -> TransitionData {
        let engine = try EulerMaruyama(timeStep: timeStep, diffusion: diffusion, rollouts: rollouts, steps: steps,
                                       burnIn: burnIn, seed: seed, threads: threads)
        let acc = try engine.run(drift, observer: TransitionRecorder(timeStep: timeStep, dimension: drift.dimension))
        return try TransitionData(dimension: drift.dimension, timeStep: timeStep, points: acc.points,
                                  targets: acc.targets, rolloutPairCounts: acc.rollouts.map(\.pairs))
    }

    /// Splits by rollout: `validationRollouts` rollouts chosen at random under `seed` (rollout r
    /// gets the key ``CounterRandom`` uniform (seed, stream r, step 0); the smallest keys go to
    /// validation), the rest to training; both keep rollout order.
    /// - Throws: ``WorldModelError/invalidCount(name:value:requirement:)`` unless
    ///   0 ≤ validationRollouts < number of rollouts.
    public func split(validationRollouts v: Int, seed: UInt64) throws(WorldModelError) -> (training: TransitionData, validation: TransitionData) {
        let r = rolloutPairCounts.count
        guard v >= 0, v < r else {
            throw .invalidCount(name: "validation rollouts", value: v, requirement: "in 0..<\(r) (rollouts)")
        }
        var keys = [Double](repeating: 0, count: r)
        var one = [0.0]
        for i in 0..<r {
            one.withUnsafeMutableBufferPointer { try? CounterRandom.fillUniforms(seed: seed, stream: UInt64(i), step: 0, into: $0) }
            keys[i] = one[0]
        }
        let chosen = Set((0..<r).sorted { (keys[$0], $0) < (keys[$1], $1) }.prefix(v))
        var trainP: [Double] = [], trainU: [Double] = [], trainC: [Int] = []
        var valP: [Double] = [], valU: [Double] = [], valC: [Int] = []
        var offset = 0
        for i in 0..<r {
            let range = offset..<(offset + rolloutPairCounts[i] * dimension)
            offset = range.upperBound
            if chosen.contains(i) {
                valP += points[range]; valU += targets[range]; valC.append(rolloutPairCounts[i])
            } else {
                trainP += points[range]; trainU += targets[range]; trainC.append(rolloutPairCounts[i])
            }
        }
        let training = try TransitionData(dimension: dimension, timeStep: timeStep, points: trainP, targets: trainU, rolloutPairCounts: trainC)
        let validation = try TransitionData(dimension: dimension, timeStep: timeStep, points: valP, targets: valU, rolloutPairCounts: valC)
        return (training, validation)
    }
}
