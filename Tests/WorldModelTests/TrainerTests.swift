import Foundation
import LinearAlgebra
import Testing
import Dynamics
@testable import WorldModel

/// Reduced-size world-model training runs (docs/theory/world-model.md) shared by the trainer and readout tests (one per ω, computed once).
enum ReducedRuns {
    static let gamma = 0.5, diffusion = 0.5, timeStep = 0.01, leak = 1.0

    /// Training configuration of the reduced runs: batch 4 096, 600 steps (docs/theory/world-model.md §4: 4 096 × 1 500),
    /// checkpoints at 0, 25 and every 100 steps; readout samples 16 rollouts × 50 states.
    static var configuration: TrainingConfiguration {
        var c = TrainingConfiguration()
        c.batchSize = 4_096
        c.steps = 600
        c.checkpointInterval = 100
        c.extraCheckpoints = [25]
        c.seed = 11
        c.stationaryRollouts = 16
        c.stationaryStates = 50
        c.stationaryBurnIn = 500
        return c
    }

    struct Run: Sendable {
        let omega: Double
        let model: AttentionWorldModel
        let record: TrainingRecord
        let validation: TransitionData
        let dataDrift: Matrix
        let readout: SymmetrizationReadout
        /// A* = ω/√((λ − γ)² + ω²), docs/theory/world-model.md §3.
        var predictedAsymmetry: Double { omega / ((leak - gamma) * (leak - gamma) + omega * omega).squareRoot() }
    }

    /// Data: 136 rollouts × 2 001 states after 500 burn-in steps (272 000 pairs, 8 rollouts to
    /// validation; the spec has 256 × 4 000). Readouts with 256 rollout starts × 400 steps (as docs/theory/world-model.md §7).
    static func train(omega: Double) throws -> Run {
        let b = try TransitionData.rotationalDriftMatrix(gamma: gamma, omega: omega)
        let data = try TransitionData.simulate(driftMatrix: b, diffusion: diffusion, timeStep: timeStep, rollouts: 136,
                                               steps: 2_001, burnIn: 500, seed: 100 + UInt64(omega * 100))
        let (training, validation) = try data.split(validationRollouts: 8, seed: 3)
        let trainer = try WorldModelTrainer(configuration: configuration, training: training, validation: validation)
        let (model, record) = try trainer.train(try AttentionWorldModel.paperInitial(seed: 7))
        var settings = SymmetrizationReadout.Settings()
        settings.stationaryRollouts = 16
        settings.stationaryStates = 50
        settings.stationaryBurnIn = 500
        let readout = try SymmetrizationReadout(model: model, dataDrift: b, states: validation.points, settings: settings, seed: 5)
        return Run(omega: omega, model: model, record: record, validation: validation, dataDrift: b, readout: readout)
    }

    static let omegas: [Double] = [0, 0.5, 1, 2]
    // Test-only shared fixture; a failure here is reported by the first test that touches it.
    static let runs: Result<[Run], Error> = Result { try omegas.map { try train(omega: $0) } }
}

@Suite("World-model training and readouts (reduced §10 runs)")
struct TrainerTests {
    @Test("A starts at 0, rises in the first hundred steps, and ends within 0.05 of A* for ω ≥ 0.5")
    func asymmetryAcquired() throws {
        // Measured (deterministic): A = 0.004 (ω = 0), 0.720 / 0.888 / 0.970 vs A* = 0.707 / 0.894 / 0.970.
        // A wanders with the minibatch noise by about ±0.03 between late checkpoints (0.695–0.752 at
        // ω = 0.5, steps 200–600), so the final value's distance to A* (≤ 0.013) is well inside the
        // issue's 0.05, but another seed could come within ≈ 0.04 at ω = 0.5.
        for r in try ReducedRuns.runs.get() {
            let first = try #require(r.record.checkpoints.first)
            #expect(first.step == 0 && first.asymmetry == 0)
            #expect(r.record.steps.count == ReducedRuns.configuration.steps)
            #expect(r.record.steps[0].asymmetry == 0)
            #expect(r.record.checkpoints.map(\.step) == [0, 25, 100, 200, 300, 400, 500, 600])
            #expect(r.record.complete && r.record.samplesPerSecond > 0)
            if r.omega >= 0.5 {
                #expect(abs(r.model.asymmetry - r.predictedAsymmetry) <= 0.05,
                        "ω = \(r.omega): A = \(r.model.asymmetry), A* = \(r.predictedAsymmetry)")
                // "within the first hundred steps" (docs/figure2.md: A = 0.89 at step 100 for ω = 1): at step 100 A is
                // already within 0.1 of A*.
                let at100 = try #require(r.record.checkpoints.first { $0.step == 100 })
                #expect(abs(at100.asymmetry - r.predictedAsymmetry) <= 0.1, "ω = \(r.omega): A(100) = \(at100.asymmetry)")
            } else {
                // Relaxational data: A stays small (reference 0.036; measured 0.004 here, ≤ 0.024 at every checkpoint).
                #expect(r.model.asymmetry < 0.15, "ω = 0: A = \(r.model.asymmetry)")
            }
            // The validation loss falls towards the noise floor d·D/Δt = 100 (docs/theory/world-model.md §4): its excess over
            // the floor shrinks from step 0 to the end (the floor's sampling scatter is ≈ 100·√(2/32 000) ≈ 0.8,
            // so compare the decrease, measured 0.25–4.2, not the level).
            let v0 = r.record.checkpoints.first!.validationLoss, v1 = r.record.checkpoints.last!.validationLoss
            #expect(v1 < v0, "ω = \(r.omega): validation loss \(v0) → \(v1)")
        }
    }

    @Test("A and N grow with ω; symmetrization sends A and N to ≈ 0")
    func nonNormality() throws {
        let runs = try ReducedRuns.runs.get()
        let n = runs.map(\.readout.trained.nonNormality.meanJacobian)
        #expect(n == n.sorted(), "N over ω: \(n)")
        #expect(runs.map(\.model.asymmetry) == runs.map(\.model.asymmetry).sorted())
        for r in runs {
            // N of the data Jacobian is ω/√(γ² + ω²); the trained model's is near it (docs/figure2.md: 0.67 vs 0.71
            // at ω = 0.5). Measured 0.002 / 0.71 / 0.88 / 0.96 vs 0 / 0.707 / 0.894 / 0.970; allow 0.1.
            let dataN = r.omega / (0.25 + r.omega * r.omega).squareRoot()
            #expect(abs(r.readout.trained.nonNormality.meanJacobian - dataN) <= 0.1, "ω = \(r.omega)")
            // W_S: A = 0 exactly; N of the averaged Jacobian β⟨C⟩W_S − λI is only the commutator term
            // [⟨C⟩, W_S] (≈ 0 for near-isotropic key covariance). Measured ≤ 0.006 (reference ≤ 0.016).
            #expect(r.readout.symmetrized.asymmetry == 0)
            #expect(r.readout.symmetrized.nonNormality.meanJacobian < 0.05, "ω = \(r.omega)")
            // The primary N of Eq. 29, ⟨‖J_A‖⟩/⟨‖∇f‖⟩ (issue 15): it keeps the pointwise commutator term of W_S that
            // the averaged Jacobian lets cancel, but stays small (figure2: ≤ 0.016 full, ≤ 0.013 quick), and the
            // trained model's tracks the data's (figure2 full: within 0.053, quick: within 0.089).
            let primary = r.readout.trained.nonNormality, sym = r.readout.symmetrized.nonNormality
            #expect(sym.index < 0.05 && sym.meanRatio < 0.05, "ω = \(r.omega): N(W_S) = \(sym.index), \(sym.meanRatio)")
            #expect(abs(primary.index - dataN) <= 0.12, "ω = \(r.omega): N = \(primary.index), data \(dataN)")
            #expect(primary.samples > 0 && primary.index <= 1 && primary.meanRatio <= 1)
        }
    }

    @Test("excess loss and rollout error rise on symmetrization for circulating data, not at ω = 0")
    func symmetrizationCost() throws {
        for r in try ReducedRuns.runs.get() {
            let x = r.readout
            if r.omega == 0 {
                // Measured ratios 0.999 and 0.997: W_S is as good as W on relaxational data (issue: ≤ 1.2).
                #expect(x.excessLossRatio <= 1.2, "excess loss ratio \(x.excessLossRatio)")
                #expect(x.rolloutErrorRatio <= 1.2, "rollout error ratio \(x.rolloutErrorRatio)")
            } else {
                // Measured ≥ 13× (excess loss) and ≥ 8× (rollout error) for ω ≥ 0.5; require 3×.
                #expect(x.excessLossRatio >= 3, "ω = \(r.omega): \(x.excessLossRatio)")
                #expect(x.rolloutErrorRatio >= 3, "ω = \(r.omega): \(x.rolloutErrorRatio)")
            }
        }
    }

    @Test("prediction lost on symmetrization increases monotonically with the data's EP 2ω²/γ")
    func predictionLost() throws {
        // Measured −0.000003, 0.107, 0.324, 0.446 for σ = 0, 1, 4, 16 (reference 0.000, 0.107, 0.265, 0.470);
        // consecutive gaps ≥ 0.1 are far above the seed scatter of the trained error (≈ 0.01).
        let lost = try ReducedRuns.runs.get().map(\.readout.predictionLost)
        for i in 1..<lost.count { #expect(lost[i] > lost[i - 1] + 0.05, "prediction lost over ω: \(lost)") }
        #expect(abs(lost[0]) < 0.01)
    }

    /// A small training set (ω = 1, 4 rollouts × 500 steps) and the reduced configuration with tiny batches and
    /// readouts, for the tests of the trainer's mechanics.
    static func smallRun() throws -> (TransitionData, TrainingConfiguration) {
        let b = try TransitionData.rotationalDriftMatrix(gamma: 0.5, omega: 1)
        let data = try TransitionData.simulate(driftMatrix: b, diffusion: 0.5, timeStep: 0.01, rollouts: 4, steps: 501, burnIn: 100, seed: 1)
        var c = ReducedRuns.configuration
        c.batchSize = 64
        c.extraCheckpoints = []
        c.stationaryRollouts = 2
        c.stationaryStates = 5
        c.stationaryBurnIn = 10
        return (data, c)
    }

    @Test("the checkpoint callback sees every checkpoint with the model of that step")
    func checkpointCallback() throws {
        let (data, small) = try Self.smallRun()
        var c = small
        c.steps = 20
        c.checkpointInterval = 10
        let trainer = try WorldModelTrainer(configuration: c, training: data)
        var seen: [(Int, Double)] = []
        let (model, record) = try trainer.train(try .paperInitial(seed: 1)) { m, r in seen.append((r.checkpoints.last!.step, m.asymmetry)) }
        #expect(seen.map(\.0) == [0, 10, 20])
        #expect(seen.last!.1 == model.asymmetry)
        #expect(record.checkpoints.allSatisfy { $0.validationLoss.isNaN && $0.entropy == nil })
        // Same seed, same result (minibatches and readout rollouts are seeded).
        let again = try trainer.train(try .paperInitial(seed: 1))
        #expect(again.model == model)
        #expect(again.record.steps == record.steps)
    }

    @Test("learning-rate schedule: constant by default, cosine decay to f·lr when asked")
    func learningRateSchedule() throws {
        var c = TrainingConfiguration()
        #expect(c.learningRate(step: 0) == 1e-2 && c.learningRate(step: 1_499) == 1e-2)
        c.finalLearningRateFraction = 0.1
        // lr_k = lr (f + (1 − f)(1 + cos πk/K)/2): lr at k = 0, (f + 1)/2·lr at K/2, → f·lr at K (exact to rounding).
        #expect(abs(c.learningRate(step: 0) - 1e-2) < 1e-15)
        #expect(abs(c.learningRate(step: 750) - 0.55e-2) < 1e-15)
        #expect(abs(c.learningRate(step: 1_500) - 1e-3) < 1e-15)
        for f in [0.0, 1.5, .nan] {
            c.finalLearningRateFraction = f
            #expect(throws: WorldModelError.self) { try c.validate() }
        }
        var adam = try Adam(parameterCount: 1)
        var p = [0.0]
        #expect(throws: WorldModelError.self) { try adam.step(parameters: &p, gradient: [1], learningRate: 0) }
        try adam.step(parameters: &p, gradient: [1], learningRate: 0.5)
        #expect(abs(p[0] + 0.5) < 1e-7)  // first step moves by lr·sign(g)
    }

    @Test("Polyak tail averaging returns the mean of the last iterates; off by default")
    func tailAveraging() throws {
        let (data, small) = try Self.smallRun()
        var c = small
        c.checkpointInterval = 0
        #expect(c.averagingFraction == 0 && c.averagedSteps == 0)
        func train(steps: Int, averaging: Double) throws -> AttentionWorldModel {
            var k = c
            k.steps = steps
            k.averagingFraction = averaging
            return try WorldModelTrainer(configuration: k, training: data).train(try .paperInitial(seed: 1)).model
        }
        // Constant lr and batches that depend only on (seed, step): the first 8 iterates of a 10-step run are those of
        // an 8-step run, so averaging the last 3 of 10 (a = 0.3) is (θ₈ + θ₉ + θ₁₀)/3, to rounding (1e-14 on O(1) values).
        let iterates = try (8...10).map { try train(steps: $0, averaging: 0).parameters }
        let averaged = try train(steps: 10, averaging: 0.3).parameters
        for i in averaged.indices {
            let mean = (iterates[0][i] + iterates[1][i] + iterates[2][i]) / 3
            #expect(abs(averaged[i] - mean) <= 1e-14 * max(1, abs(mean)))
        }
        // Averaging one iterate is the last iterate, bit for bit.
        #expect(try train(steps: 10, averaging: 0.1) == train(steps: 10, averaging: 0))
        for a in [-0.1, 1.5, .nan] {
            c.averagingFraction = a
            #expect(throws: WorldModelError.self) { try c.validate() }
        }
    }

    @Test("rollout comparison: the exact mean is e^{Bt}x₀ and the true drift has (almost) no error")
    func rolloutComparison() throws {
        let b = try TransitionData.rotationalDriftMatrix(gamma: 0.5, omega: 2)
        let starts = [1.0, 0, 0, -2, 0.5, 0.5]
        let (means, _) = try RolloutComparison.trajectories(drift: try LinearDrift(matrix: b), dataDrift: b, starts: starts,
                                                             timeStep: 0.01, steps: 100)
        // x̄(1) = e^{−γ}Rot(ω)x₀ for x₀ = (1, 0): (e^{−0.5}cos 2, e^{−0.5}sin 2), to 1e-12 (expm + 100 products).
        let k = 100 * 3 * 2
        #expect(abs(means[k] - exp(-0.5) * cos(2.0)) < 1e-12 && abs(means[k + 1] - exp(-0.5) * sin(2.0)) < 1e-12)
        // Euler on the true drift: error O(Δt) in the state, so err(t) = O(Δt²·t²) ≲ 1e-3 over t ≤ 4.
        let exact = try RolloutComparison(drift: try LinearDrift(matrix: b), dataDrift: b, starts: starts, timeStep: 0.01, steps: 400)
        #expect(exact.meanError < 1e-3 && exact.times.count == 400 && exact.times.last == 4)
        // The zero drift keeps x₀: err(t) = e^{−2γt} − 2e^{−γt}cos(ωt)·… > 0, clearly larger.
        let none = try RolloutComparison(drift: try LinearDrift(matrix: Matrix(rows: 2, columns: 2)), dataDrift: b,
                                         starts: starts, timeStep: 0.01, steps: 400)
        #expect(none.meanError > 0.5)
    }

    @Test("bad input: configuration, shapes, non-finite data, unstable data, zero slots")
    func errors() throws {
        let b = try TransitionData.rotationalDriftMatrix(gamma: 0.5, omega: 1)
        let data = try TransitionData.simulate(driftMatrix: b, diffusion: 0.5, timeStep: 0.01, rollouts: 2, steps: 101, burnIn: 0, seed: 1)
        var c = TrainingConfiguration()
        c.batchSize = 0
        #expect(throws: WorldModelError.invalidCount(name: "batch size", value: 0, requirement: "≥ 1")) {
            try WorldModelTrainer(configuration: c, training: data)
        }
        c = TrainingConfiguration()
        c.learningRate = .nan
        #expect(throws: WorldModelError.self) { try WorldModelTrainer(configuration: c, training: data) }
        c = TrainingConfiguration()
        c.steps = 0
        #expect(throws: WorldModelError.self) { try WorldModelTrainer(configuration: c, training: data) }
        // A 3-D model on 2-D data.
        let trainer = try WorldModelTrainer(configuration: TrainingConfiguration(), training: data)
        let model3 = try AttentionWorldModel(scores: .identity(3), keys: .identity(3))
        #expect(throws: WorldModelError.self) { try trainer.train(model3) }
        // Non-finite data, unstable data (γ ≤ 0: eigenvalues −γ ± iω), zero slots.
        #expect(throws: WorldModelError.nonFinite(name: "points")) {
            try TransitionData(dimension: 2, timeStep: 0.01, points: [.nan, 0], targets: [0, 0], rolloutPairCounts: [1])
        }
        #expect(throws: WorldModelError.unstableDrift(spectralAbscissa: 0.1)) { try TransitionData.rotationalDriftMatrix(gamma: -0.1, omega: 1) }
        #expect(throws: WorldModelError.self) {
            try TransitionData.simulate(driftMatrix: try Matrix([[0.1, -1], [1, 0.1]]), diffusion: 0.5, timeStep: 0.01,
                                        rollouts: 1, steps: 10, burnIn: 0, seed: 1)
        }
        #expect(throws: WorldModelError.zeroSlots) { try AttentionWorldModel.paperInitial(slots: 0, seed: 1) }
        // Readouts: mismatched shapes and non-finite points.
        let model = try AttentionWorldModel.paperInitial(seed: 1)
        #expect(throws: WorldModelError.self) { try model.averagedJacobian(points: [1, 2, 3]) }
        #expect(throws: WorldModelError.self) { try model.averagedJacobian(points: [.nan, 0]) }
        #expect(throws: WorldModelError.self) { try model.excessLoss(reference: try LinearDrift(matrix: .identity(3)), points: [0, 0]) }
        #expect(throws: WorldModelError.self) {
            try RolloutComparison(drift: model.drift, dataDrift: b, starts: [0, 0], timeStep: 0.01, steps: 10)
        }
        #expect(throws: WorldModelError.self) {
            try RolloutComparison(drift: model.drift, dataDrift: b, starts: [1, 0], timeStep: 0.01, steps: 0)
        }
    }
}
