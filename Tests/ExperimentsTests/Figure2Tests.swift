import ArrayIO
import Dynamics
import Foundation
import LinearAlgebra
import Testing
import WorldModel
@testable import Experiments

/// A reduced Figure 2 run shared by the tests below (computed once): ω ∈ {0, 0.5, 1, 2}, the [RD] data and
/// training (256 + 32 rollouts × 4 000 pairs, 1 500 Adam steps of 4 096: the trained model's EP is still
/// rising at ω = 2 after 600 steps, so training is not reduced), final EP from 100 × 10 000 = 10⁶ pairs on a
/// 20 × 20 grid (instead of 4 × 10⁶ on 40 × 40; floor 2d·N_b/τ ≈ 4·280/10⁴ ≈ 0.11, the full run's), checkpoint
/// EP from 20 × 5 000 = 10⁵ pairs at steps 0, 750, 1 500; readouts from 16 × 50 stationary samples.
enum ReducedFigure2 {
    static var configuration: Figure2Configuration {
        var c = Figure2Configuration.quick
        c.setup.omegas = [0, 0.5, 1, 2]
        c.setup.trainingRollouts = 256
        c.setup.validationRollouts = 32
        c.setup.training.steps = 1_500
        c.setup.training.checkpointInterval = 750
        c.setup.training.extraCheckpoints = []
        c.probe.rollouts = 100
        c.probe.steps = 10_001
        c.probe.bins = 20
        var cp = c.probe
        cp.rollouts = 20
        cp.steps = 5_001
        c.checkpointProbe = cp
        c.readout.stationaryRollouts = 16
        c.readout.stationaryStates = 50
        return c
    }

    static let result: Result<Figure2Result, Error> = Result {
        try Figure2Experiment(configuration).run()
    }
}

@Suite("Figure 2 experiment (reduced size)")
struct Figure2Tests {
    @Test("blind EP of the trained model (floor subtracted) is within 15% of 2ω²/γ for ω ≥ 0.5")
    func entropyTracksTheData() throws {
        let r = try ReducedFigure2.result.get()
        for p in r.points where p.omega >= 0.5 {
            // Floor-subtracted σ̂ vs 2ω²/γ = 1, 4, 16; measured −4.7%, −2.1%, +0.9% with the last iterate (seed 20 260 610,
            // before Figures 2–3 defaulted to the tail average over the last half of the steps; the bound holds for both).
            // Error budget: jackknife stderr ≤ 0.03 (ω = 0.5) … 0.2 (ω = 2), i.e. ≤ 3%; the floor formula's ±10%
            // of 0.11 (≤ 1.1% of σ); the grid's bin-averaging bias ≈ −h²/6 ≈ −2% (h = 2L/20 ≈ 0.35); the Δt
            // bias ≈ +2% (docs/theory/estimators.md §1). The dominant term is the trained model itself: its EP scatters by about ±10%
            // over training seeds (5 other seeds at this size, 8 validation rollouts: −18% … +5%, mean −7%),
            // because Adam at constant lr 1e-2 keeps A jittering by ±0.03 (the tail average removes most of that)
            // and the keys are still growing at ω = 2. So the 15% is a ≈ 1.5σ statement per seed; this test
            // pins the default seed.
            let rel = abs(p.entropy.debiased - p.trueSigma) / p.trueSigma
            #expect(rel <= 0.15, "ω = \(p.omega): σ̂ − floor = \(p.entropy.debiased), 2ω²/γ = \(p.trueSigma)")
        }
        // ω = 0: the model is (nearly) a gradient flow; σ̂ sits at the floor (within 3 stderr + 0.05).
        let zero = try #require(r.points.first { $0.omega == 0 })
        #expect(abs(zero.entropy.debiased) <= 3 * zero.entropy.stderr + 0.05, "ω = 0: σ̂ − floor = \(zero.entropy.debiased)")
    }

    @Test("symmetrization collapses σ̂ ≥ 10× for ω ≥ 1 (to the floor) and N to ≈ 0")
    func symmetrizationCollapse() throws {
        for p in try ReducedFigure2.result.get().points {
            // W_S is a gradient flow up to the commutator term [⟨C⟩, W_S]: σ̂(W_S) at the floor within
            // 3 stderr + 0.05, N(W_S) < 0.05 (reference ≤ 0.016).
            let s = p.entropySymmetrized
            #expect(abs(s.debiased) <= 3 * s.stderr + 0.05, "ω = \(p.omega): σ̂(W_S) − floor = \(s.debiased)")
            #expect(p.nonNormalitySymmetrized.meanJacobian < 0.05)
            // The primary N of Eq. 29 keeps the pointwise commutator term but stays small (full run ≤ 0.016).
            #expect(p.nonNormalitySymmetrized.index < 0.05, "ω = \(p.omega): N(W_S) = \(p.nonNormalitySymmetrized.index)")
            if p.omega >= 1 { #expect(p.collapseFactor >= 10, "ω = \(p.omega): collapse \(p.collapseFactor)") }
        }
    }

    @Test("A and σ̂ rise together during training (checkpoints at 0, 750, 1 500)")
    func trainingCurves() throws {
        for p in try ReducedFigure2.result.get().points {
            let ck = p.training.checkpoints
            #expect(ck.map(\.step) == [0, 750, 1_500])
            #expect(ck[0].asymmetry == 0)
            #expect(p.training.steps.count == 1_500)
            guard p.omega >= 1, let e0 = ck[0].entropy, let e1 = ck[2].entropy else { continue }
            // Step 0 (W₀ = I) is a gradient flow: σ̂ at the floor (10⁵ pairs: floor ≈ 1); by the end the
            // floor-subtracted σ̂ is more than half of 2ω²/γ (stderr ≈ 0.2 at this size).
            #expect(abs(e0.debiased) <= 3 * e0.stderr + 0.1, "ω = \(p.omega): σ̂(0) − floor = \(e0.debiased)")
            #expect(e1.debiased > 0.5 * p.trueSigma, "ω = \(p.omega): σ̂(1 500) − floor = \(e1.debiased)")
        }
    }

    @Test("pathwise cross-check: exact on the data chain, agrees with the grid on the model, ≈ 0 for W_S")
    func pathwiseCrossCheck() throws {
        let r = try ReducedFigure2.result.get()
        let s = r.configuration.setup
        for p in r.points {
            let data = try #require(p.entropyDataPathwise), model = try #require(p.entropyPathwise)
            let sym = try #require(p.entropyPathwiseSymmetrized), rotation = try #require(p.rotationData)
            // The Euler chain x' = (I + ΔtB)x + √(2DΔt)ξ of B = −γI + ωR90 has covariance sI, s = D/(γ − (γ² + ω²)Δt/2),
            // and the pathwise closed form E σ̂(h) = tr(B(C_hᵀ − C_h))/(2Dh) gives 2ω²s/D at h = Δt and
            // (2ω²s/D)(1 − γΔt) at 2Δt, so the extrapolated value is (2ω²s/D)(1 + γΔt) (+1.3% at ω = 1, +5% at ω = 2
            // over 2ω²/γ: the chain's own O(Δt)). Tolerance: 4 jackknife stderr (≤ 0.04 … 0.2 here) + 1%.
            let dt = s.timeStep, g = s.gamma, w = p.omega
            let chain = 2 * w * w / (g - (g * g + w * w) * dt / 2) * (1 + g * dt)
            #expect(abs(data.debiased - chain) <= 4 * data.stderr + 0.01 * chain,
                    "ω = \(w): data pathwise \(data.debiased) ± \(data.stderr), chain \(chain)")
            // x × Bx = ω|x|² exactly: the profile's rotation rate of the data is ω to rounding.
            #expect(abs(rotation.angularVelocity - w) <= 1e-9 * max(1, w))
            // W_S ≈ a gradient flow (W_S ≈ aI after training): pathwise σ̂ ≈ 0 (no floor), 3 stderr + 0.05.
            #expect(abs(sym.debiased) <= 3 * sym.stderr + 0.05, "ω = \(w): pathwise σ̂(W_S) = \(sym.debiased)")
            guard w >= 0.5 else { continue }
            // Grid σ̂ − floor and pathwise σ̂ read the same rollouts of the model: measured within 2–6% (the grid
            // reads the exact data chain 2–7% low at this size: edge and sparse bins dropped, bin averaging).
            // 10% bounds that estimator gap plus both standard errors (≤ 3%).
            #expect(abs(p.entropy.debiased - model.debiased) <= 0.1 * model.debiased,
                    "ω = \(w): grid \(p.entropy.debiased) vs pathwise \(model.debiased)")
        }
    }

    @Test("the probe uses the grid in d = 2 and the basis estimator in d = 3")
    func probeDimensions() throws {
        var probe = BlindEntropyProbe()
        probe.rollouts = 10
        probe.steps = 2_001
        probe.burnIn = 200
        probe.bins = 10
        let model2 = try AttentionWorldModel.paperInitial(seed: 1)
        let (r2, grid, halfWidth) = try probe.run(model2, seed: 3)
        #expect(r2.method == "grid" && grid != nil && halfWidth > 0 && r2.samplesUsed > 0)
        // The pathwise estimate rides on the same engine pass: the grid reading is bit-identical.
        let both = try probe.run(model2.drift, seed: 3, pathwise: true)
        #expect(both.reading == r2 && both.halfWidth == halfWidth && both.pathwise?.method == "pathwise" && both.rotation != nil)
        // Rotation profile of a linear drift −γx + ωR90x: every shell has ω_eff = ω and γ_eff = γ, and the rotational
        // rate is ω²⟨r²⟩/D — algebraic identities, so to rounding (1e-12 relative).
        let linear = try probe.run(LinearDrift(matrix: TransitionData.rotationalDriftMatrix(gamma: 0.5, omega: 1.5)), seed: 4, pathwise: true)
        let profile = try #require(linear.rotation)
        #expect(profile.states == 10 * 2_000 && abs(profile.shells.map(\.fraction).reduce(0, +) - 1) < 1e-12)
        for shell in profile.shells where shell.fraction > 0 {
            #expect(abs(shell.angularVelocity - 1.5) < 1e-12 && abs(shell.radialRate - 0.5) < 1e-12)
        }
        #expect(abs(profile.rotationalRate - 2.25 * profile.meanSquareRadius / probe.diffusion) < 1e-12 * profile.rotationalRate)
        // W = I in d = 3 with keys ±2e_i: a gradient flow, so σ̂ is its estimator bias only (finite, small).
        var keys = Matrix(rows: 6, columns: 3)
        for i in 0..<3 { keys[2 * i, i] = 2; keys[2 * i + 1, i] = -2 }
        let model3 = try AttentionWorldModel(scores: .identity(3), keys: keys)
        let r3 = try probe.measure(model3, seed: 3)
        #expect(r3.method == "basis" && r3.entropyProductionRate.isFinite && r3.samplesUsed == 10 * 2_000)
        let again = try probe.measure(model3, seed: 3)
        #expect(again == r3)  // seeded
    }

    @Test("writes JSON, CSV and PNG; the JSON reads back; bad configurations are rejected")
    func filesAndErrors() throws {
        let r = try ReducedFigure2.result.get()
        #expect(r.complete && r.currents.count == 2)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("figure2-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try r.write(to: dir)
        let decoded = try ResultJSON.decode(Figure2Result.self, from: try Data(contentsOf: URL(fileURLWithPath: dir + "/figure2.json")))
        #expect(decoded.points.map(\.model) == r.points.map(\.model))
        let summary = try String(contentsOfFile: dir + "/" + Figure2Result.summaryCSVName, encoding: .utf8)
        #expect(summary.split(separator: "\n").count == 1 + r.points.count)
        let training = try String(contentsOfFile: dir + "/" + Figure2Result.trainingCSVName, encoding: .utf8)
        #expect(training.split(separator: "\n").count == 1 + 4 * 1_500)
        try Figure2Result.renderFigure(in: dir)
        let png = try Data(contentsOf: URL(fileURLWithPath: dir + "/" + Figure2Result.pngName))
        #expect(Array(png.prefix(4)) == [0x89, 0x50, 0x4E, 0x47])

        var c = ReducedFigure2.configuration
        c.setup.gamma = -0.5
        #expect(throws: ExperimentError.self) { try Figure2Experiment(c) }
        c = ReducedFigure2.configuration
        c.setup.slots = 0
        #expect(throws: ExperimentError.self) { try Figure2Experiment(c) }
        c = ReducedFigure2.configuration
        c.setup.omegas = [.nan]
        #expect(throws: ExperimentError.self) { try Figure2Experiment(c) }
        c = ReducedFigure2.configuration
        c.probe.bins = 1
        #expect(throws: ExperimentError.self) { try Figure2Experiment(c) }
        c = ReducedFigure2.configuration
        c.setup.training.batchSize = 0
        #expect(throws: WorldModelError.self) { try Figure2Experiment(c) }
    }
}
