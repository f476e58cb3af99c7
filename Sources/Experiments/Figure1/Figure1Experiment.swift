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

    /// Runs every part and returns the result. `checkpoint` is called after each run with the
    /// partial result (the CLI writes the files there, so a crash loses at most one run);
    /// `progress`, made for ``totalParticleSteps`` units, advances by particle-steps.
    ///
    /// `resume`: a partial result of an interrupted run with this configuration (threads aside; see
    /// ``canResume(from:)``). Its runs are taken as they are — each run's seed is its index in the fixed order of
    /// runs, so the runs after them draw the seeds they would have drawn — and only the missing runs are computed:
    /// the result equals an uninterrupted run's, bit for bit (`seconds` aside, which adds the earlier run's time).
    public func run(
        progress: ProgressReporter? = nil, resume: Figure1Result? = nil,
        checkpoint: (Figure1Result) throws -> Void = { _ in }
    ) throws -> Figure1Result {
        defer { progress?.finish() }
        let c = configuration
        let clock = ContinuousClock.now
        var result = Figure1Result(configuration: c)
        let previous = try resume.map { r -> Figure1Result in
            guard canResume(from: r) else {
                throw ExperimentError.invalidConfiguration("the checkpoint to resume was made with other settings")
            }
            return r
        }
        let earlier = previous?.seconds ?? 0
        /// The earlier run's sweep points of `model`, and its current-field panel of (model, state) at the panel's α.
        func kept(_ model: String) -> [SweepPoint] { previous?.sweep.filter { $0.model == model } ?? [] }
        func keptPanel(_ model: String, _ state: String) -> CurrentFieldPanel? {
            previous?.currents.first { $0.model == model && $0.state == state }
        }
        var runIndex: UInt64 = 0
        func nextSeed() -> UInt64 {
            defer { runIndex += 1 }
            return Figure1Experiment.seed(base: c.seed, run: runIndex)
        }
        func save() throws {
            result.seconds = earlier + (ContinuousClock.now - clock).seconds
            try checkpoint(result)
        }

        /// Appends the sweep point of one run (and its current field at the panel's α), then checkpoints.
        func record(_ model: String, alpha: Double, w: Matrix, exact: Double?, run: GridRun, halfWidth: Double,
                    fokkerPlanck: ExactReference?) throws {
            result.sweep.append(SweepPoint(model: model, alpha: alpha, asymmetryIndex: try attentionAsymmetryIndex(w),
                                           exact: exact, estimate: EstimateRecord(run.estimate),
                                           netCirculation: run.netCirculation, halfWidth: halfWidth, fokkerPlanck: fokkerPlanck))
            if alpha == c.currentFieldAlpha { result.currents.append(run.panel(model: model, state: "before", alpha: alpha)) }
            try save()
        }

        // Linear model: exact Lyapunov σ vs the blind grid estimate (and the Fokker–Planck solve as a check of it).
        let toy = try LinearAttentionToy(symmetricPart: try c.symmetricMatrix(), diffusion: c.diffusion)
        let linearL = c.linearHalfWidthInStd * (c.diffusion / (try c.smallestSymmetricEigenvalue())).squareRoot()
        for (i, alpha) in c.alphas.enumerated() {
            let seed = nextSeed()
            if i < kept("linear").count {
                result.sweep.append(kept("linear")[i])
                if alpha == c.currentFieldAlpha, let panel = keptPanel("linear", "before") { result.currents.append(panel) }
                continue
            }
            let w = toy.queryKey(alpha: alpha)
            let process = try toy.process(alpha: alpha)
            let drift = try LinearDrift(matrix: process.drift)
            let exact = process.entropyProductionRate
            let run = try gridRun(drift, halfWidth: linearL, bins: c.bins, rollouts: c.rollouts, seed: seed, progress: progress)
            try record("linear", alpha: alpha, w: w, exact: exact, run: run, halfWidth: linearL,
                       fokkerPlanck: try exactReference(drift, label: "linear model at α = \(alpha)"))
        }
        // Softmax model: no closed form; the exact σ from the Fokker–Planck solve. Bounded readout: σ saturates.
        for (i, alpha) in c.alphas.enumerated() {
            let pilotSeed = nextSeed(), seed = nextSeed()
            if i < kept("softmax").count {
                result.sweep.append(kept("softmax")[i])
                if alpha == c.currentFieldAlpha, let panel = keptPanel("softmax", "before") { result.currents.append(panel) }
                continue
            }
            let drift = try softmaxDrift(alpha: alpha)
            let w = drift.scores
            let L = try softmaxHalfWidth(drift, seed: pilotSeed, progress: progress)
            let run = try gridRun(drift, halfWidth: L, bins: c.bins, rollouts: c.rollouts, seed: seed, progress: progress)
            try record("softmax", alpha: alpha, w: w, exact: nil, run: run, halfWidth: L,
                       fokkerPlanck: try exactReference(drift, label: "softmax model at α = \(alpha)"))
        }
        // Intervention W → W_S = S = W(0): the same for every α, so one run per model.
        let symmetricProcess = try toy.process(alpha: 0)
        let isotropic = try LinearDrift(matrix: symmetricProcess.drift)
        let linearSymSeed = nextSeed()
        if let p = previous, p.interventions.count >= 1, let panel = keptPanel("linear", "after") {
            result.interventions.append(p.interventions[0])
            result.currents.append(panel)
        } else {
            let linearSym = try gridRun(isotropic, halfWidth: linearL, bins: c.bins,
                                        rollouts: c.rollouts, seed: linearSymSeed, progress: progress)
            result.interventions.append(InterventionResult(
                model: "linear", exact: symmetricProcess.entropyProductionRate,
                estimate: EstimateRecord(linearSym.estimate), netCirculation: linearSym.netCirculation, halfWidth: linearL,
                fokkerPlanck: try exactReference(isotropic, label: "symmetrized linear model")))
            result.currents.append(linearSym.panel(model: "linear", state: "after", alpha: c.currentFieldAlpha))
            try save()
        }
        let softmaxSymDrift = try softmaxDrift(alpha: 0)
        let softmaxPilotSeed = nextSeed(), softmaxSymSeed = nextSeed()
        if let p = previous, p.interventions.count >= 2, let panel = keptPanel("softmax", "after") {
            result.interventions.append(p.interventions[1])
            result.currents.append(panel)
        } else {
            let softmaxSymL = try softmaxHalfWidth(softmaxSymDrift, seed: softmaxPilotSeed, progress: progress)
            let softmaxSym = try gridRun(softmaxSymDrift, halfWidth: softmaxSymL, bins: c.bins, rollouts: c.rollouts,
                                         seed: softmaxSymSeed, progress: progress)
            // With S ∝ I the symmetrized softmax drift is the gradient of a potential (docs/theory/world-model.md §1): σ = 0.
            // With an anisotropic S the commutator term β/2 [C, W_S] of Eq. 22 survives: only the Fokker–Planck value.
            let softmaxSymExact = try exactReference(softmaxSymDrift, label: "symmetrized softmax model")
            result.interventions.append(InterventionResult(
                model: "softmax", exact: c.symmetricPartIsIsotropic ? 0 : nil, estimate: EstimateRecord(softmaxSym.estimate),
                netCirculation: softmaxSym.netCirculation, halfWidth: softmaxSymL, fokkerPlanck: softmaxSymExact))
            result.currents.append(softmaxSym.panel(model: "softmax", state: "after", alpha: c.currentFieldAlpha))
        }
        let softmaxSymL = result.interventions[1].halfWidth
        let softmaxSymExact = result.interventions[1].fokkerPlanck
        for i in result.sweep.indices {
            let after = result.interventions[result.sweep[i].model == "linear" ? 0 : 1].estimate
            result.sweep[i].collapseFactor = result.sweep[i].estimate.entropyProductionRate / after.entropyProductionRate
            result.sweep[i].exactCollapse = exactCollapse(result.sweep[i], softmaxAfter: softmaxSymExact)
        }
        try save()

        // Resolution study at α = 0 (linear): σ̂ against n_b and N. Rollout r draws the same noise
        // in every run with the same seed, so a fraction of the rollouts is a subset of the data.
        let studySeed = nextSeed()
        for fraction in c.resolutionFractions {
            let rollouts = studyRollouts(fraction)
            for bins in c.resolutionBins {
                if let p = previous, result.resolution.count < p.resolution.count {
                    result.resolution.append(p.resolution[result.resolution.count])
                    continue
                }
                let run = try gridRun(isotropic, halfWidth: linearL, bins: bins, rollouts: rollouts, seed: studySeed, progress: progress)
                result.resolution.append(ResolutionPoint(run.estimate, bins: bins, rolloutFraction: fraction, timeStep: c.timeStep))
            }
            try save()
        }
        result.resolutionExtrapolation = Figure1Experiment.zeroFloorIntercept(result.resolution.filter { $0.bins <= 40 })

        // Floor split (Sec. VII.5) on the symmetrized softmax model: σ̂ over n_b and τ, fitted as σ + c·N_b/τ.
        if !c.floorSplitBins.isEmpty && !c.floorSplitFractions.isEmpty {
            var split = FloorSplit(model: "softmax")
            split.exact = c.symmetricPartIsIsotropic ? 0 : nil
            split.fokkerPlanck = softmaxSymExact
            let keptSplit = previous?.floorSplit?.points ?? []
            for fraction in c.floorSplitFractions {
                for bins in c.floorSplitBins {
                    let seed = nextSeed()
                    if split.points.count < keptSplit.count {
                        split.points.append(keptSplit[split.points.count])
                        continue
                    }
                    let run = try gridRun(softmaxSymDrift, halfWidth: softmaxSymL, bins: bins, rollouts: studyRollouts(fraction),
                                          seed: seed, progress: progress)
                    split.points.append(ResolutionPoint(run.estimate, bins: bins, rolloutFraction: fraction, timeStep: c.timeStep))
                }
                result.floorSplit = split
                try save()
            }
            split.fit = Figure1Experiment.floorFit(split.points, bins: c.floorSplitFitMinBins...c.floorSplitFitMaxBins)
            split.perBins = Figure1Experiment.floorFitsPerBins(split.points)
            if let fit = split.fit, let reference = softmaxSymExact {
                let spread = (fit.interceptStderr * fit.interceptStderr
                              + reference.discretisationError * reference.discretisationError).squareRoot()
                split.deviation = spread > 0 ? (fit.intercept - reference.entropyProductionRate) / spread : nil
            }
            result.floorSplit = split
        }
        result.complete = true
        try save()
        return result
    }

    /// Whether `partial` is a checkpoint of this configuration (the thread count may differ: results do not depend
    /// on it) that ``run(progress:resume:checkpoint:)`` can continue.
    public func canResume(from partial: Figure1Result) -> Bool {
        var a = partial.configuration, b = configuration
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
