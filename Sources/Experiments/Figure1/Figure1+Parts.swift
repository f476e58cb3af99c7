import Dynamics
import Foundation
import LinearAlgebra
import Parallel
import Thermodynamics

/// One run of Figure 1 (a unit of ``Figure1Experiment/Part``): a sweep point (with its current field at the panel's
/// α), an intervention W → W_S (with its current field), a point of the resolution study or of the floor split.
public enum Figure1Unit: Codable, Sendable, Equatable {
    case sweep(SweepPoint, panel: CurrentFieldPanel?)
    case intervention(InterventionResult, panel: CurrentFieldPanel)
    case resolution(ResolutionPoint)
    case floorSplit(ResolutionPoint)
}

/// The runs of a Figure 1 part, in unit order.
public struct Figure1Units: SweepPayload, Equatable {
    public var runs: [Figure1Unit] = []
    public init() {}
    public mutating func append(_ next: Figure1Units) { runs += next.runs }
}

extension Figure1Experiment {
    public typealias Part = SweepPart<Figure1Configuration, Figure1Units>

    /// The units, in the fixed order of one run (each run's seeds are its run indices, docs/theory/reproducibility.md
    /// §6): the linear model at every α (run index i), the softmax model at every α (pilot A + 2i, run A + 2i + 1),
    /// the linear and the softmax intervention (3A; 3A + 1, 3A + 2), the resolution study (all with 3A + 3: a
    /// fraction of the rollouts is a subset of the data) and the floor split (3A + 4 + j).
    public var units: Int { 2 * configuration.alphas.count + 2 + resolutionUnits + floorSplitUnits }

    var resolutionUnits: Int { configuration.resolutionFractions.count * configuration.resolutionBins.count }
    var floorSplitUnits: Int {
        let c = configuration
        return c.floorSplitBins.isEmpty || c.floorSplitFractions.isEmpty ? 0 : c.floorSplitFractions.count * c.floorSplitBins.count
    }

    /// The part of this experiment that computes units `range` (a whole run is `0 ..< units`).
    public func part(_ range: Range<Int>, software: String, preset: String = "") -> Part {
        Part(command: "figure1", software: software, preset: preset, configuration: configuration, total: units, range: range,
             payload: Figure1Units())
    }

    /// Progress units of the runs in `range`: their share of ``totalParticleSteps`` (an estimate for a part).
    public func particleSteps(_ range: Range<Int>) -> Int {
        Int((Double(totalParticleSteps) * Double(range.count) / Double(max(1, units))).rounded())
    }

    /// Computes the units of `part` it does not hold yet and returns the complete part; `checkpoint` gets the part
    /// after every unit. Every unit draws its seeds from its run indices, so the parts of any split, merged
    /// (``Part/merge(_:names:equivalent:)``), or a part resumed after an interruption, equal one run bit for bit
    /// (seconds aside). Throws ``ExperimentError/invalidPart(_:)`` for a part of another configuration.
    public func run(part start: Part, progress: ProgressReporter? = nil, checkpoint: (Part) throws -> Void = { _ in }) throws -> Part {
        defer { progress?.finish() }
        let c = configuration
        guard Self.isEquivalent(start.configuration, c), start.total == units else {
            throw ExperimentError.invalidPart("the part to continue was made with other settings")
        }
        let clock = ContinuousClock.now
        var part = start
        part.configuration = configuration  // a resumed part records this run's settings (its threads, say)
        let earlier = start.seconds
        let a = c.alphas.count
        func seed(_ run: Int) -> UInt64 { Self.seed(base: c.seed, run: UInt64(run)) }
        let toy = try LinearAttentionToy(symmetricPart: try c.symmetricMatrix(), diffusion: c.diffusion)
        let linearL = c.linearHalfWidthInStd * (c.diffusion / (try c.smallestSymmetricEigenvalue())).squareRoot()
        let symmetricProcess = try toy.process(alpha: 0)
        let isotropic = try LinearDrift(matrix: symmetricProcess.drift)
        let softmaxSymDrift = try softmaxDrift(alpha: 0)
        /// The grid half-width of W_S's softmax runs: the intervention's, from this part or its pilot run again.
        var softmaxSymL: Double?
        func symmetrizedHalfWidth() throws -> Double {
            if let softmaxSymL { return softmaxSymL }
            for case .intervention(let r, _) in part.payload.runs where r.model == "softmax" { softmaxSymL = r.halfWidth }
            let l = try softmaxSymL ?? softmaxHalfWidth(softmaxSymDrift, seed: seed(3 * a + 1), progress: progress)
            softmaxSymL = l
            return l
        }

        for unit in part.remaining {
            let run: Figure1Unit
            switch unit {
            case 0..<a:  // linear model at α: exact Lyapunov σ vs the blind grid estimate (and the Fokker–Planck check)
                let alpha = c.alphas[unit]
                let process = try toy.process(alpha: alpha)
                let drift = try LinearDrift(matrix: process.drift)
                let grid = try gridRun(drift, halfWidth: linearL, bins: c.bins, rollouts: c.rollouts, seed: seed(unit), progress: progress)
                run = try sweepUnit("linear", alpha: alpha, w: toy.queryKey(alpha: alpha), exact: process.entropyProductionRate,
                                    run: grid, halfWidth: linearL,
                                    fokkerPlanck: try exactReference(drift, label: "linear model at α = \(alpha)"))
            case a..<(2 * a):  // softmax model at α: no closed form; the exact σ from the Fokker–Planck solve
                let i = unit - a, alpha = c.alphas[i]
                let drift = try softmaxDrift(alpha: alpha)
                let l = try softmaxHalfWidth(drift, seed: seed(a + 2 * i), progress: progress)
                let grid = try gridRun(drift, halfWidth: l, bins: c.bins, rollouts: c.rollouts, seed: seed(a + 2 * i + 1), progress: progress)
                run = try sweepUnit("softmax", alpha: alpha, w: drift.scores, exact: nil, run: grid, halfWidth: l,
                                    fokkerPlanck: try exactReference(drift, label: "softmax model at α = \(alpha)"))
            case 2 * a:  // intervention W → W_S = S = W(0) of the linear model
                let grid = try gridRun(isotropic, halfWidth: linearL, bins: c.bins, rollouts: c.rollouts, seed: seed(3 * a), progress: progress)
                run = .intervention(InterventionResult(
                    model: "linear", exact: symmetricProcess.entropyProductionRate, estimate: EstimateRecord(grid.estimate),
                    netCirculation: grid.netCirculation, halfWidth: linearL,
                    fokkerPlanck: try exactReference(isotropic, label: "symmetrized linear model")),
                    panel: grid.panel(model: "linear", state: "after", alpha: c.currentFieldAlpha))
            case 2 * a + 1:  // and of the softmax model (with S ∝ I a gradient flow, σ = 0; else only the Fokker–Planck value)
                let l = try symmetrizedHalfWidth()
                let grid = try gridRun(softmaxSymDrift, halfWidth: l, bins: c.bins, rollouts: c.rollouts, seed: seed(3 * a + 2),
                                       progress: progress)
                run = .intervention(InterventionResult(
                    model: "softmax", exact: c.symmetricPartIsIsotropic ? 0 : nil, estimate: EstimateRecord(grid.estimate),
                    netCirculation: grid.netCirculation, halfWidth: l,
                    fokkerPlanck: try exactReference(softmaxSymDrift, label: "symmetrized softmax model")),
                    panel: grid.panel(model: "softmax", state: "after", alpha: c.currentFieldAlpha))
            case (2 * a + 2)..<(2 * a + 2 + resolutionUnits):  // resolution study at α = 0 (linear): σ̂ against n_b and N
                let k = unit - (2 * a + 2)
                let fraction = c.resolutionFractions[k / c.resolutionBins.count], bins = c.resolutionBins[k % c.resolutionBins.count]
                let grid = try gridRun(isotropic, halfWidth: linearL, bins: bins, rollouts: studyRollouts(fraction), seed: seed(3 * a + 3),
                                       progress: progress)
                run = .resolution(ResolutionPoint(grid.estimate, bins: bins, rolloutFraction: fraction, timeStep: c.timeStep))
            default:  // floor split (Sec. VII.5) on the symmetrized softmax model: σ̂ over n_b and τ
                let k = unit - (2 * a + 2 + resolutionUnits)
                let fraction = c.floorSplitFractions[k / c.floorSplitBins.count], bins = c.floorSplitBins[k % c.floorSplitBins.count]
                let grid = try gridRun(softmaxSymDrift, halfWidth: try symmetrizedHalfWidth(), bins: bins,
                                       rollouts: studyRollouts(fraction), seed: seed(3 * a + 4 + k), progress: progress)
                run = .floorSplit(ResolutionPoint(grid.estimate, bins: bins, rolloutFraction: fraction, timeStep: c.timeStep))
            }
            part.payload.runs.append(run)
            part.done += 1
            part.seconds = earlier + (ContinuousClock.now - clock).seconds
            try checkpoint(part)
        }
        part.seconds = earlier + (ContinuousClock.now - clock).seconds
        return part
    }

    /// A sweep point and, at the panel's α, its current field.
    func sweepUnit(_ model: String, alpha: Double, w: Matrix, exact: Double?, run: GridRun, halfWidth: Double,
                   fokkerPlanck: ExactReference?) throws -> Figure1Unit {
        .sweep(SweepPoint(model: model, alpha: alpha, asymmetryIndex: try attentionAsymmetryIndex(w), exact: exact,
                          estimate: EstimateRecord(run.estimate), netCirculation: run.netCirculation, halfWidth: halfWidth,
                          fokkerPlanck: fokkerPlanck),
               panel: alpha == configuration.currentFieldAlpha ? run.panel(model: model, state: "before", alpha: alpha) : nil)
    }

    /// The result of a part's runs (one run's, the merge of a sharded run's parts, or a checkpoint's partial one):
    /// the runs in order, then what needs several of them — the collapse factors once both interventions are in,
    /// the zero-floor extrapolation once the resolution study is complete, the floor split's fits once all its
    /// points are.
    public static func result(of part: Part) -> Figure1Result {
        let c = part.configuration
        var result = Figure1Result(configuration: c)
        var split = FloorSplit(model: "softmax")
        var resolutionDone = 0, splitDone = 0
        for run in part.payload.runs {
            switch run {
            case let .sweep(point, panel):
                result.sweep.append(point)
                if let panel { result.currents.append(panel) }
            case let .intervention(intervention, panel):
                result.interventions.append(intervention)
                result.currents.append(panel)
            case let .resolution(point):
                result.resolution.append(point)
                resolutionDone += 1
            case let .floorSplit(point):
                split.points.append(point)
                splitDone += 1
            }
        }
        if result.interventions.count == 2 {
            let softmaxSymExact = result.interventions[1].fokkerPlanck
            for i in result.sweep.indices {
                let after = result.interventions[result.sweep[i].model == "linear" ? 0 : 1].estimate
                result.sweep[i].collapseFactor = result.sweep[i].estimate.entropyProductionRate / after.entropyProductionRate
                result.sweep[i].exactCollapse = exactCollapse(result.sweep[i], softmaxAfter: softmaxSymExact, configuration: c)
            }
        }
        if resolutionDone == c.resolutionFractions.count * c.resolutionBins.count {
            result.resolutionExtrapolation = zeroFloorIntercept(result.resolution.filter { $0.bins <= 40 })
        }
        if splitDone > 0 {
            split.exact = c.symmetricPartIsIsotropic ? 0 : nil
            split.fokkerPlanck = result.interventions.count == 2 ? result.interventions[1].fokkerPlanck : nil
            if splitDone == c.floorSplitFractions.count * c.floorSplitBins.count {
                split.fit = floorFit(split.points, bins: c.floorSplitFitMinBins...c.floorSplitFitMaxBins)
                split.perBins = floorFitsPerBins(split.points)
                if let fit = split.fit, let reference = split.fokkerPlanck {
                    let spread = (fit.interceptStderr * fit.interceptStderr
                                  + reference.discretisationError * reference.discretisationError).squareRoot()
                    split.deviation = spread > 0 ? (fit.intercept - reference.entropyProductionRate) / spread : nil
                }
            }
            result.floorSplit = split
        }
        result.seconds = part.seconds
        result.complete = part.isComplete
        return result
    }
}
