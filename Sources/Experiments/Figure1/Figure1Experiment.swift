import Dynamics
import Estimators
import Foundation
import LinearAlgebra
import Parallel
import Thermodynamics
import ResourceLimits

/// The controlled demonstration of Figure 1 (docs/theory/world-model.md §1): the blind grid estimator
/// (Eqs. 25–28, docs/theory/estimators.md §1) applied to rollouts of the linear and the softmax memory-slot attention
/// models over an α sweep, checked against the exact Lyapunov EP where it exists; the
/// symmetrization intervention W → W_S; current fields before/after; and the resolution study of
/// the estimator floor at α = 0 that the paper left open (docs/theory/estimators.md §1, "floor across binning resolutions").
///
/// Every run is seeded from ``Figure1Configuration/seed`` and the run's index, so the whole
/// result is reproducible bit for bit, for any thread count.
public struct Figure1Experiment: Sendable {
    public let configuration: Figure1Configuration
    /// The memory budget (the Fokker–Planck solves check their own plans against it).
    let budget: MemoryBudget

    /// Validates the configuration and checks its ``Figure1Configuration/memoryPlan()`` against `budget`, and the
    /// Fokker–Planck plan of the exact reference (one problem: every drift uses the same grid).
    public init(_ configuration: Figure1Configuration, budget: MemoryBudget = .standard) throws {
        try configuration.validate()
        try budget.check(configuration.memoryPlan())
        self.configuration = configuration
        self.budget = budget
        _ = try exactProblem(LinearDrift.paperToy(alpha: 0), label: "linear model")
    }

    /// Runs every unit and returns the result (``run(part:progress:checkpoint:)`` over all units). `checkpoint` is
    /// called after each unit with the partial result (the CLI writes the files there, so a crash loses at most one
    /// run); `progress`, made for ``totalParticleSteps`` units, advances by particle-steps.
    public func run(progress: ProgressReporter? = nil, checkpoint: (Figure1Result) throws -> Void = { _ in }) throws -> Figure1Result {
        let part = try run(part: self.part(0..<units, software: ""), progress: progress) { try checkpoint(Self.result(of: $0)) }
        return Self.result(of: part)
    }

    /// Whether two configurations describe the same run: they differ at most in the thread count (results do not
    /// depend on it).
    public static func isEquivalent(_ a: Figure1Configuration, _ b: Figure1Configuration) -> Bool {
        var a = a, b = b
        a.threads = 0; b.threads = 0
        return a == b
    }

    /// Euler–Maruyama particle-steps of the whole experiment, pilot runs included (for progress).
    /// Saturates at `Int.max` (counts up to 2⁴⁰ each can make the product overflow; it is only a progress total).
    public var totalParticleSteps: Int {
        let c = configuration
        let run = c.burnIn + c.steps - 1
        let pilot = Self.saturating(pilotRollouts, c.burnIn + pilotSteps - 1)
        let perAlpha = Self.saturatingSum(Self.saturating(2, c.rollouts, run), pilot)
        let sweep = Self.saturating(c.alphas.count, perAlpha)
        let studied = c.resolutionFractions.reduce(0) { Self.saturatingSum($0, studyRollouts($1)) }
        let study = Self.saturating(studied, c.resolutionBins.count, run)
        let split = c.floorSplitFractions.reduce(0) { Self.saturatingSum($0, studyRollouts($1)) }
        let splitStudy = Self.saturating(split, c.floorSplitBins.count, run)
        return Self.saturatingSum(Self.saturatingSum(Self.saturatingSum(sweep, perAlpha), study), splitStudy)
    }

    static func saturating(_ factors: Int...) -> Int { (try? ByteCount.product(factors.map { ByteCount.Factor($0) })) ?? Int.max }
    static func saturatingSum(_ a: Int, _ b: Int) -> Int { (try? ByteCount.sum([a, b])) ?? Int.max }

    var pilotRollouts: Int { min(50, max(1, configuration.rollouts / 4)) }
    var pilotSteps: Int { max(2, configuration.steps / 4) }
    func studyRollouts(_ fraction: Double) -> Int { max(1, Int((Double(configuration.rollouts) * fraction).rounded())) }

    // MARK: Models

    /// The softmax memory-slot model at W(α) = S + α R90 with the configured keys, β, λ (for S = s I the same
    /// drift as ``SoftmaxAttentionDrift/paperToy(alpha:slots:radius:beta:s:leak:)``, bit for bit).
    func softmaxDrift(alpha: Double) throws -> SoftmaxAttentionDrift {
        let c = configuration
        let toy = try SoftmaxAttentionDrift.paperToy(alpha: alpha, slots: c.slots, radius: c.keyRadius, beta: c.beta, s: c.s, leak: c.leak)
        guard c.symmetricPart != nil else { return toy }
        var w = try c.symmetricMatrix()
        w[0, 1] -= alpha
        w[1, 0] += alpha
        return try SoftmaxAttentionDrift(scores: w, keys: toy.keys, beta: c.beta, leak: c.leak)
    }

    /// Seed of run `run`: the base seed mixed with the run index (SplitMix64 increment).
    static func seed(base: UInt64, run: UInt64) -> UInt64 { base &+ (run &+ 1) &* 0x9E37_79B9_7F4A_7C15 }

    /// Least-squares intercept a of σ̂ = a + b·floor (nil with fewer than two distinct floors).
    static func zeroFloorIntercept(_ points: [ResolutionPoint]) -> Double? {
        let n = Double(points.count)
        guard points.count >= 2 else { return nil }
        let mx = points.map(\.floorFormula).reduce(0, +) / n, my = points.map(\.sigmaHat).reduce(0, +) / n
        let sxx = points.reduce(0) { $0 + ($1.floorFormula - mx) * ($1.floorFormula - mx) }
        guard sxx > 0 else { return nil }
        let sxy = points.reduce(0) { $0 + ($1.floorFormula - mx) * ($1.sigmaHat - my) }
        return my - sxy / sxx * mx
    }
}

extension Duration {
    /// The duration in seconds.
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) * 1e-18 }
}
