// The attention world model's training step (module WorldModel, docs/theory/world-model.md §4).
//
//   cd Benchmarks && swift package benchmark --target WorldModelBenchmarks
//
// Model f_θ(x) = Σ_m softmax_m(β xᵀW k_m) k_m − λx, d = 2, the docs/theory/world-model.md §3 initial model (W₀ = I, M keys at
// radius 2, β = λ = 1 fixed) with M = 8 (the paper's) and M = 64 slots. Data: one fixed minibatch of
// 4 096 transition pairs (x, Δx/Δt) of the docs/theory/world-model.md §2 process dx = −(γI − ωR90)x dt + √(2D) dW (γ = 0.5, ω = 1,
// D = 0.5, Δt = 0.01; 8 rollouts × 4 000 pairs simulated in setup, batch drawn by `fillBatch`).
//
// - "training step": `lossAndGradient` (batched forward + hand-written backward, 9 cblas_dgemm calls)
//   on the pointer API with a preallocated workspace, then one Adam update of the flat parameters and
//   `updating(parameters:)` — the body of `WorldModelTrainer`'s loop without the minibatch draw.
// - "forward evaluate": `evaluate(points:count:workspace:)`, f_θ at the 4 096 points (the same batched
//   forward pass, allocates the two output arrays).
//
// One benchmark iteration = one batch, so samples/s = throughput (# per s) × 4 096. OpenBLAS threads:
// as set by OPENBLAS_NUM_THREADS (the run in docs/measurements/worldmodel-benchmarks.md used 1).

import Benchmark
import WorldModel

let batchSize = 4_096

let benchmarks: @Sendable () -> Void = {
    let config = Benchmark.Configuration(metrics: [.wallClock, .throughput, .mallocCountTotal], warmupIterations: 10,
                                         maxDuration: .seconds(3), maxIterations: 5_000)

    for slots in [8, 64] {
        Benchmark("training step (loss + gradient + Adam), batch 4096, d=2, M=\(slots)", configuration: config) { benchmark, state in
            for _ in benchmark.scaledIterations {
                try state.trainingStep()
            }
            blackHole(state.model.parameters[0])
        } setup: {
            try TrainingStepState(slots: slots)
        }

        Benchmark("forward evaluate, batch 4096, d=2, M=\(slots)", configuration: config) { benchmark, state in
            for _ in benchmark.scaledIterations {
                blackHole(try state.model.evaluate(points: state.points, count: batchSize, workspace: state.workspace)[0])
            }
        } setup: {
            try TrainingStepState(slots: slots)
        }
    }
}

/// Model, optimizer, workspace and one minibatch (a class: the benchmark closure mutates it).
final class TrainingStepState: @unchecked Sendable {
    var model: AttentionWorldModel
    var adam: Adam
    let workspace: AttentionWorldModelWorkspace
    var points: [Double]
    var targets: [Double]
    var gradient: [Double]
    var parameters: [Double]

    init(slots: Int) throws {
        model = try AttentionWorldModel.paperInitial(slots: slots, seed: 7)
        adam = try Adam(parameterCount: model.parameterCount)
        workspace = try model.makeWorkspace(capacity: batchSize)
        let b = try TransitionData.rotationalDriftMatrix(gamma: 0.5, omega: 1)
        let data = try TransitionData.simulate(driftMatrix: b, diffusion: 0.5, timeStep: 0.01, rollouts: 8, steps: 4_001,
                                               burnIn: 500, seed: 11, threads: 1)
        (points, targets) = try data.batch(size: batchSize, seed: 13, step: 0)
        gradient = [Double](repeating: 0, count: model.parameterCount)
        parameters = model.parameters
    }

    /// One step of `WorldModelTrainer.train` on the fixed batch.
    func trainingStep() throws {
        let m = model, ws = workspace
        _ = try points.withUnsafeBufferPointer { (x) throws(WorldModelError) -> Double in
            try targets.withUnsafeBufferPointer { (u) throws(WorldModelError) -> Double in
                try gradient.withUnsafeMutableBufferPointer { (g) throws(WorldModelError) -> Double in
                    try m.lossAndGradient(points: x, targets: u, count: batchSize, workspace: ws, gradientInto: g)
                }
            }
        }
        parameters = model.parameters
        try adam.step(parameters: &parameters, gradient: gradient)
        model = try model.updating(parameters: parameters)
    }
}
